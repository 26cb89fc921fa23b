#!/bin/sh
# xml2pdf end to end, checked with independent readers: pdftotext,
# pdfinfo, pdffonts (poppler), qpdf (structure, outline, links) and jq.
. "$(dirname "$0")/lib.sh"
X=$BIN/xml2pdf
P=$FIX/pdf

# Text with all white space and hyphens removed: pdftotext re-flows lines
# and drops a hyphen that ends a line, so compare letters only.
squash() { tr -d ' \t\n\f\r-' ; }
# The pages of a PDF, one per line: "N<TAB>text of page N squashed".
pages_text() {
    pdftotext -enc UTF-8 "$1" - | awk 'BEGIN { RS = "\f" } { gsub(/[ \t\n\r-]/, ""); print NR "\t" $0 }'
}

for tool in pdftotext pdfinfo pdffonts qpdf jq xmllint; do
    if ! command -v $tool >/dev/null 2>&1; then
        skip "xml2pdf tests" "$tool is not installed"
        exit 0
    fi
done

# ---- the example article ----------------------------------------------
"$BIN/news2xml" -o "$TMP/dongda.xml" "$FIX/text/dongda-2023-07-12.txt"
check "example article typesets" "$X" -o "$TMP/dongda.pdf" "$TMP/dongda.xml"
check "qpdf --check passes" qpdf --check "$TMP/dongda.pdf"
article_lines "$TMP/dongda.xml" title date | squash > "$TMP/want.txt"
pdftotext -enc UTF-8 "$TMP/dongda.pdf" - | squash > "$TMP/got.txt"
if [ -s "$TMP/want.txt" ] && grep -qF -f "$TMP/want.txt" "$TMP/got.txt"; then
    ok "title, date and every paragraph come back in order, letter for letter"
else
    fail "title, date and every paragraph come back in order, letter for letter"
fi
pdfinfo "$TMP/dongda.pdf" > "$TMP/info.txt"
check_contains "page size is A4" "$TMP/info.txt" "595.276 x 841.89 pts (A4)"
check_contains "metadata Title is the article title" "$TMP/info.txt" \
    "Title:           Ban thường vụ Quận uỷ Đống Đa làm việc với Ban Dân vận"
check_contains "metadata Author is the byline" "$TMP/info.txt" "Author:          Quận Đống Đa"
check_contains "metadata Creator names bantin" "$TMP/info.txt" "Creator:         bantin"
check_contains "CreationDate is the article's date, not the clock" "$TMP/info.txt" \
    "CreationDate:    Wed Jul 12 06:01:00 2023 UTC"
pdffonts "$TMP/dongda.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } NR > 2 { n++ }
    END { exit (bad || !n) }'
check_eq "every font is embedded" 0 $?
check_eq "one outline entry" 1 "$(qpdf --json --json-key=outlines "$TMP/dongda.pdf" | jq '.outlines | length')"

SOURCE_DATE_EPOCH=1689300000 "$X" -o "$TMP/a.pdf" "$TMP/dongda.xml"
SOURCE_DATE_EPOCH=1689300000 "$X" -o "$TMP/b.pdf" < "$TMP/dongda.xml"
check "same input gives a byte-identical PDF" cmp "$TMP/a.pdf" "$TMP/b.pdf"
pdfinfo "$TMP/a.pdf" > "$TMP/info.txt"
check_contains "CreationDate comes from SOURCE_DATE_EPOCH" "$TMP/info.txt" \
    "CreationDate:    Fri Jul 14 02:00:00 2023 UTC"

# ---- typography: every element, diacritics, links -----------------------
check "rich article typesets" "$X" -o "$TMP/rich.pdf" "$P/rich.xml"
check "rich article: qpdf --check passes" qpdf --check "$TMP/rich.pdf"
pdftotext -enc UTF-8 "$TMP/rich.pdf" "$TMP/rich.txt"
check_contains "stacked diacritics in the text layer (ỗ)" "$TMP/rich.txt" "Hỗ trợ người dân"
check_contains "stacked diacritics in the text layer (ặ, Ử)" "$TMP/rich.txt" "Tử Đặng"
check_contains "strong text is kept" "$TMP/rich.txt" "hỗ trợ khẩn cấp"
pdftotext -raw -enc UTF-8 "$TMP/rich.pdf" "$TMP/rich-raw.txt"
check_contains "list items have bullets" "$TMP/rich-raw.txt" "• Dọn bùn đất"
check_contains "numbered lists are numbered" "$TMP/rich.txt" "2. Báo cáo Uỷ ban nhân dân quận."
check_contains "related links end under 'Tin liên quan'" "$TMP/rich.txt" "Tin liên quan"
check_contains "figure captions are printed" "$TMP/rich.txt" "Đoàn công tác thăm hỏi các hộ dân."
pdffonts "$TMP/rich.pdf" | awk 'NR > 2 && $1 !~ /NotoSerif/ { bad = 1 } END { exit bad }'
check_eq "Vietnamese needs no fallback font (all Noto Serif)" 0 $?
pdffonts "$TMP/rich.pdf" | awk 'NR > 2 && $1 ~ /Bold/ { b = 1 } NR > 2 && $1 ~ /Italic/ { i = 1 }
    END { exit !(b && i) }'
check_eq "bold and italic faces are used" 0 $?
qpdf --json --json-key=qpdf "$TMP/rich.pdf" > "$TMP/rich.json"
uris=$(jq -r '[.qpdf[1][] | .value["/A"]?["/URI"]? // empty] | sort | join(" ")' "$TMP/rich.json")
check_eq "links are clickable, unsafe ones are not" \
    "u:https://example.org/chi-tiet?id=1&lang=vi u:https://example.org/tin/lien-quan-1" "$uris"
pdfinfo "$TMP/rich.pdf" > "$TMP/info.txt"
check_contains "metadata Subject is the site" "$TMP/info.txt" "Subject:         Cổng thông tin phường"

# ---- options and the style file -------------------------------------------
"$X" --paper Letter -o "$TMP/l.pdf" "$P/rich.xml" && pdfinfo "$TMP/l.pdf" > "$TMP/info.txt"
check_contains "--paper Letter" "$TMP/info.txt" "612 x 792 pts (letter)"
"$X" --style "$P/look.style" -o "$TMP/s.pdf" "$TMP/dongda.xml" && pdfinfo "$TMP/s.pdf" > "$TMP/info.txt"
check_contains "--style sets the paper (A5)" "$TMP/info.txt" "419.528 x 595.276 pts"
"$X" --style "$P/look.style" -p A4 -o "$TMP/s.pdf" "$TMP/dongda.xml" && pdfinfo "$TMP/s.pdf" > "$TMP/info.txt"
check_contains "options on the command line win over the style file" "$TMP/info.txt" "(A4)"
"$X" --font "DejaVu Sans 9" -o "$TMP/f.pdf" "$TMP/dongda.xml"
check "--font picks any installed family" sh -c "pdffonts '$TMP/f.pdf' | grep -q DejaVuSans"
printf 'paper = A4\ncolour = red\n' > "$TMP/bad.style"
"$X" --style "$TMP/bad.style" -o "$TMP/x.pdf" "$TMP/dongda.xml" 2> "$TMP/err.txt"
check_eq "a bad style file fails with exit 2" 2 $?
check_contains "… naming the file and line" "$TMP/err.txt" "bad.style:2:1: unknown setting 'colour'"
check_status "--help exits 0" 0 "$X" --help
check_status "--version exits 0" 0 "$X" --version
check_status "an unknown paper is an error" 2 "$X" --paper B3 -o "$TMP/x.pdf" "$TMP/dongda.xml"
"$X" --paper B3 -o "$TMP/x.pdf" "$TMP/dongda.xml" 2> "$TMP/err.txt"
check_eq "… in one line" 1 "$(wc -l < "$TMP/err.txt" | tr -d ' ')"
check_status "-d with --bulletin is refused" 2 "$X" -d "$TMP/d" --bulletin "$TMP/dongda.xml"

# ---- -d DIR: one PDF per article ----------------------------------------
cat "$TMP/dongda.xml" > "$TMP/two.xml"
sed -n '/<article /,/<\/article>/p' "$P/rich.xml" | sed '1i <articles version="1">' > "$TMP/rich-only.xml"
echo '</articles>' >> "$TMP/rich-only.xml"
"$X" -d "$TMP/dir1" "$TMP/dongda.xml" "$TMP/rich-only.xml" "$TMP/dongda.xml" 2> "$TMP/err.txt"
check_eq "-d prints a story given twice once" 2 "$(ls "$TMP/dir1" | wc -l | tr -d ' ')"
check_contains "… with a notice" "$TMP/err.txt" "1 duplicate article left out (--keep-duplicates keeps them)"
check "-d --keep-duplicates writes one PDF per article" "$X" -q --keep-duplicates -d "$TMP/dir" "$TMP/dongda.xml" "$TMP/rich-only.xml" "$TMP/dongda.xml"
ls "$TMP/dir" > "$TMP/names.txt"
check_eq "… three files" 3 "$(wc -l < "$TMP/names.txt" | tr -d ' ')"
check_eq "… named YYYY-MM-DD-slug.pdf, made unique" 3 \
    "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]+\.pdf$' "$TMP/names.txt")"
check_contains "… the slug folds đ to d" "$TMP/names.txt" "2023-07-12-ban-thuong-vu-quan-uy-dong-da"
check_contains "… the rich article" "$TMP/names.txt" "2023-09-05-ho-tro-nguoi-dan-khac-phuc"
bad=0
for f in "$TMP"/dir/*.pdf; do qpdf --check "$f" >/dev/null 2>&1 || bad=1; done
check_eq "… each passes qpdf --check" 0 "$bad"

# ---- pagination: no widow, no orphan, headings stay with their text -------
# Paragraphs of 2 to 9 lines whose words name the paragraph ("q07w"), and
# headings ("Heading07"), over several pages; then look at each page.
awk 'BEGIN {
    print "<articles version=\"1\"><article lang=\"vi\"><title>Phân trang</title><body>"
    for (p = 1; p <= 90; p++) {
        if (p % 7 == 0) printf "<h>Heading%02d mục lớn</h>\n", p
        n = 14 + (p * 37) % 100
        printf "<p>"
        for (w = 0; w < n; w++) printf "q%02dw ", p
        print "</p>"
    }
    print "</body></article></articles>" }' > "$TMP/para.xml"
# The printed lines, from pdftotext -bbox-layout: "PAGE.COLUMN first-word"
# in reading order (a line's column: which half of the page it starts in).
printed_lines() {
    pdftotext -bbox-layout "$1" - | awk '
        /<page / { pg++; match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) }
        /<line / { match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
                   match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
                   first = 1 }
        /<word / && first { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
                   printf "%d.%d %08.1f %s\n", pg, (x < w / 2 ? 1 : 2), y, t; first = 0 }' |
        sort -t ' ' -k1,1n -k2,2 | awk '{ print $1, $3 }'
}
for cols in 1 2; do
    check "a long article typesets ($cols column)" "$X" --columns $cols -o "$TMP/para$cols.pdf" "$TMP/para.xml"
    printed_lines "$TMP/para$cols.pdf" > "$TMP/lines$cols.txt"
    # A paragraph split over columns or pages keeps at least two lines in
    # each part; a heading is never the last line of a column.
    awk '$2 ~ /^q/ { k = $2; s = $1; n[k, s]++; if (!((k, s) in seen)) { seen[k, s] = 1; parts[k]++ } }
         END { for (ks in n) { split(ks, a, SUBSEP)
                 if (parts[a[1]] > 1 && n[ks] < 2) { print "paragraph " a[1] " has one line in column " a[2]; bad = 1 } }
               exit bad }' "$TMP/lines$cols.txt" > "$TMP/widows.txt"
    st=$?
    nseg=$(awk '{ print $1 }' "$TMP/lines$cols.txt" | sort -u | wc -l | tr -d ' ')
    if [ "$st" -eq 0 ] && [ "$nseg" -ge 3 ] && [ "$(grep -c . "$TMP/lines$cols.txt")" -gt 300 ]; then
        ok "no widow or orphan line over $nseg columns ($cols per page)"
    else
        fail "no widow or orphan line over $nseg columns ($cols per page)"; sed 's/^/#   /' "$TMP/widows.txt" | head
    fi
    splits=$(awk '$2 ~ /^q/ { if ($2 == last && $1 != lastseg) s++; last = $2; lastseg = $1 } END { print s + 0 }' "$TMP/lines$cols.txt")
    if [ "$splits" -ge 2 ]; then ok "… paragraphs do break across columns ($splits)"; else fail "… paragraphs do break across columns ($splits)"; fi
    awk '{ if (prev != "" && $1 != prevseg && prev ~ /^Heading/) { print "# heading ends column " prevseg; bad = 1 }
           prev = $2; prevseg = $1 } END { exit bad }' "$TMP/lines$cols.txt"
    check_eq "… no heading ends a column ($cols per page)" 0 $?
    pdftotext -enc UTF-8 "$TMP/para$cols.pdf" - | grep -o 'q[0-9][0-9]w' | sort | uniq -c | awk '{ print $2, $1 }' > "$TMP/words$cols.txt"
done
# Newspaper style: the last page's two columns end level (within 3 lines).
awk '{ last = $1; n[$1]++ } END { split(last, a, "."); l = n[a[1] ".1"]; r = n[a[1] ".2"]
      d = l - r; if (d < 0) d = -d; print (r > 0 && d <= 3) ? "balanced" : "unbalanced " l " " r }' \
    "$TMP/lines2.txt" > "$TMP/bal.txt"
check_eq "two columns are balanced on the article's last page" balanced "$(cat "$TMP/bal.txt")"
awk 'BEGIN { for (p = 1; p <= 90; p++) printf "q%02dw %d\n", p, 14 + (p * 37) % 100 }' > "$TMP/words.txt"
check "every word of every paragraph is printed (1 column)" cmp "$TMP/words.txt" "$TMP/words1.txt"
check "every word of every paragraph is printed (2 columns)" cmp "$TMP/words.txt" "$TMP/words2.txt"

# ---- bad input ----------------------------------------------------------
echo "precious" > "$TMP/keep.pdf"
printf '<articles version="1"><article><title>x</title><body><p>a</b></body>' > "$TMP/bad.xml"
"$X" -o "$TMP/keep.pdf" "$TMP/bad.xml" 2> "$TMP/err.txt"
check_eq "malformed XML: exit 2" 2 $?
check "… error names file:line:col" grep -qE '^xml2pdf: .*bad\.xml:[0-9]+:[0-9]+: ' "$TMP/err.txt"
check_eq "… the output file is left untouched" "precious" "$(cat "$TMP/keep.pdf")"
check_eq "… and no temporary file is left" 1 "$(ls -A "$TMP" | grep -c 'keep')"
printf '<articles version="1"></articles>' > "$TMP/empty.xml"
"$X" -o "$TMP/e.pdf" "$TMP/empty.xml" 2> "$TMP/err.txt"
check_eq "an empty <articles> is nothing to print: exit 1" 1 $?
check_eq "… saying so in one line" "xml2pdf: nothing to print: no articles in the input" "$(cat "$TMP/err.txt")"
check "… and no file is written" test ! -e "$TMP/e.pdf"
"$X" --bulletin --title "Trống" -o "$TMP/eb.pdf" "$TMP/empty.xml" 2> "$TMP/err.txt"
check_eq "an empty bulletin is nothing to print too: exit 1" 1 $?
check "… and no file is written" test ! -e "$TMP/eb.pdf"
"$X" -d "$TMP/emptydir" "$TMP/empty.xml" 2> "$TMP/err.txt"
check_eq "… the same with -d" 1 $?
"$X" --font "No Such Font Family 11" -o "$TMP/nf.pdf" "$TMP/dongda.xml" 2> "$TMP/err.txt"
check_eq "an unknown font is an error" 2 $?
check_contains "… saying which" "$TMP/err.txt" "font family 'No Such Font Family' is not installed"
check "… and no file is written" test ! -e "$TMP/nf.pdf"
awk 'BEGIN { printf "<articles version=\"1\"><article><title>"
    for (i = 0; i < 1000; i++) printf "Tiêu đềdài "
    printf "</title><body><p>Đoạn văn.</p></body></article></articles>" }' > "$TMP/longtitle.xml"
check "a 10,000-character title gives a document" "$X" --bulletin -o "$TMP/lt.pdf" "$TMP/longtitle.xml"
check "… that passes qpdf --check" qpdf --check "$TMP/lt.pdf"
awk 'BEGIN { printf "<articles version=\"1\"><article><title>Một đoạn không có dấu cách</title><body><p>"
    for (i = 0; i < 100000; i++) printf "từ"
    printf "</p></body></article></articles>" }' > "$TMP/nospace.xml"
check "a paragraph of 100,000 words and no spaces gives a document" "$X" -o "$TMP/ns.pdf" "$TMP/nospace.xml"
check "… that passes qpdf --check" qpdf --check "$TMP/ns.pdf"
got=$(pdftotext -enc UTF-8 "$TMP/ns.pdf" - | squash | grep -o 'từ' | wc -l | tr -d ' ')
check_eq "… with every word printed" 100000 "$got"

# ---- bulletin words and dates ----------------------------------------------
SOURCE_DATE_EPOCH=1689300000 "$X" --bulletin --title "Weekly" -o "$TMP/en.pdf" --lang en "$P/rich.xml"
pages_text "$TMP/en.pdf" > "$TMP/en.txt"
check_contains "--lang en: the footer says Page N of M" "$TMP/en.txt" "Page1of2"
check_contains "--lang en: the contents are 'Contents'" "$TMP/en.txt" "Contents"
check_contains "--lang en: related links under 'Related'" "$TMP/en.txt" "Related"
pdftotext -f 1 -l 1 "$TMP/en.pdf" "$TMP/en-raw.txt"
check_contains "the bulletin date defaults to SOURCE_DATE_EPOCH's day, in words" "$TMP/en-raw.txt" "Friday, 14 July 2023"
pdfinfo "$TMP/en.pdf" > "$TMP/info.txt"
check_contains "bulletin metadata Title is --title" "$TMP/info.txt" "Title:           Weekly"

# ---- a bulletin of real articles ----------------------------------------
if [ -z "$CORPUS" ] || [ ! -d "$CORPUS/vi-text/dantri-unc" ]; then
    skip "bulletin of 50 real articles" "corpus not found"
    exit 0
fi
ls "$CORPUS"/vi-text/dantri-unc/*.txt | sed -n '1~32p' | head -n 50 > "$TMP/list.txt"
"$BIN/news2xml" -o "$TMP/b.xml" $(cat "$TMP/list.txt")
n=$(grep -c '<article ' "$TMP/b.xml")
check_eq "50 corpus articles" 50 "$n"
# Piped in, so the two passes read a spooled copy of standard input.
check "bulletin of 50 articles from a pipe" sh -c "cat '$TMP/b.xml' | '$X' --bulletin --sort input \
    --keep-duplicates --title 'Bản tin Quận Đống Đa' --issue 'Số 28' --date 2023-07-14 -o '$TMP/b.pdf'"
check "… passes qpdf --check" qpdf --check "$TMP/b.pdf"
M=$(pdfinfo "$TMP/b.pdf" | awk '/^Pages:/ { print $2 }')
pages_text "$TMP/b.pdf" > "$TMP/pages.txt"
bad=$(awk -F '\t' -v m="$M" 'NR <= m && index($2, "Trang" NR "/" m) == 0 { c++ } END { print c + 0 }' "$TMP/pages.txt")
check_eq "every one of the $M pages has its footer Trang N/$M" 0 "$bad"
check "page 1 has the masthead" sh -c "head -n 1 '$TMP/pages.txt' | grep -q 'BảntinQuậnĐốngĐa.*Số28.*Thứsáu,ngày14tháng7năm2023.*Mụclục'"
qpdf --json "$TMP/b.pdf" > "$TMP/b.json"
check_eq "the outline has one entry per article" 50 "$(jq '.outlines | length' "$TMP/b.json")"
# Each contents entry is a link: its rectangle holds the title and the
# printed page number; the title must be on that page, the link must go
# there, and the entries must be the articles, in order.
jq -r '
  (.pages | to_entries | map({key: .value.object, value: (.key + 1)}) | from_entries) as $pg
  | .qpdf[1] as $o
  | ($o[.qpdf[1] | to_entries[] | select(.value.value["/Type"]? == "/Catalog") | .value.value["/Names"] | "obj:" + .].value["/Dests"]) as $dref
  | ($o["obj:" + $dref].value["/Names"]) as $names
  | ([range(0; $names | length; 2) | {key: $names[.], value: $pg[$names[. + 1][0]]}] | from_entries) as $dest
  | .pages | to_entries[] | .key as $i | .value.object as $p
  | ($o["obj:" + $p].value["/Annots"] // [])[] | $o["obj:" + .].value
  | select(.["/Dest"]?) | [$i + 1, $dest[.["/Dest"]], .["/Rect"][]] | @tsv' "$TMP/b.json" > "$TMP/toc.tsv"
check_eq "the contents has one link per article" 50 "$(grep -c . "$TMP/toc.tsv")"
H=$(pdfinfo "$TMP/b.pdf" | awk '/^Page size:/ { print $5 }')
k=0 bad=0
while IFS="$(printf '\t')" read -r tocpage target x1 y1 x2 y2; do
    k=$((k + 1))
    entry=$(pdftotext -enc UTF-8 -f "$tocpage" -l "$tocpage" -x "${x1%.*}" \
        -y "$(awk -v h="$H" -v y="$y2" 'BEGIN { printf "%d", h - y }')" \
        -W "$(awk -v a="$x1" -v b="$x2" 'BEGIN { printf "%d", b - a + 1 }')" \
        -H "$(awk -v a="$y1" -v b="$y2" 'BEGIN { printf "%d", b - a + 1 }')" "$TMP/b.pdf" - | squash)
    printed=$(printf '%s' "$entry" | grep -oE '[0-9]+$')
    title=$(printf '%s' "$entry" | sed -E 's/[0-9]+$//')
    want=$(xpath "$TMP/b.xml" "string(//article[$k]/title)" | squash | cut -c1-40)
    page=$(awk -F '\t' -v n="$printed" '$1 == n { print $2 }' "$TMP/pages.txt")
    if [ -z "$printed" ] || [ "$printed" != "$target" ]; then
        echo "# entry $k: printed page '$printed', link goes to $target"; bad=1
    elif ! printf '%s' "$title" | grep -qF -- "$(printf '%s' "$want" | cut -c1-20)"; then
        echo "# entry $k: title '$title' is not article $k ('$want')"; bad=1
    elif ! printf '%s' "$page" | grep -qF -- "$(printf '%s' "$title" | cut -c1-30)"; then
        echo "# entry $k: '$title' not found on page $printed"; bad=1
    fi
done < "$TMP/toc.tsv"
check_eq "each contents entry prints the page its title is on, and links there" 0 "$bad"
jq -r '.outlines[] | [.destpageposfrom1, .title] | @tsv' "$TMP/b.json" > "$TMP/outline.tsv"
cut -f1 "$TMP/outline.tsv" > "$TMP/outline-pages.txt"
cut -f2 "$TMP/toc.tsv" > "$TMP/toc-pages.txt"
check "the outline and the contents agree on every page" cmp "$TMP/outline-pages.txt" "$TMP/toc-pages.txt"
"$X" --bulletin --sort input --keep-duplicates --title "Bản tin Quận Đống Đa" --issue "Số 28" --date 2023-07-14 -o "$TMP/b2.pdf" "$TMP/b.xml"
check "a bulletin read from a file is byte-identical to one read from a pipe" cmp "$TMP/b.pdf" "$TMP/b2.pdf"
check "a two-column bulletin passes qpdf --check" sh -c "'$X' --bulletin --columns 2 --title T -o '$TMP/b3.pdf' '$TMP/b.xml' && qpdf --check '$TMP/b3.pdf'"
check_eq "… its contents page is one column across the page (page numbers aside)" 0 \
    "$(printed_lines "$TMP/b3.pdf" | awk '$1 == "1.2" && $2 !~ /^[0-9]+$/' | wc -l | tr -d ' ')"
