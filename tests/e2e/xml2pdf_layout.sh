#!/bin/sh
# xml2pdf's figures, tables, bulletins (order, duplicates, sections,
# masthead, run-on layout), human dates and options, checked with
# independent readers: pdfimages, pdftotext, pdfinfo (poppler), qpdf, jq.
. "$(dirname "$0")/lib.sh"
X=$BIN/xml2pdf
P=$FIX/pdf

for tool in pdftotext pdfinfo pdfimages qpdf jq python3; do
    if ! command -v $tool >/dev/null 2>&1; then
        skip "xml2pdf layout tests" "$tool is not installed"
        exit 0
    fi
done
squash() { tr -d ' \t\n\f\r-' ; }
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# ---- figures ----------------------------------------------------------------
"$X" -o "$TMP/ft.pdf" "$P/figures-tables.xml" 2> "$TMP/err.txt"
check_eq "figures and a table typeset" 0 $?
check "… qpdf --check passes" qpdf --check "$TMP/ft.pdf"
pdfimages -list "$TMP/ft.pdf" | awk 'NR > 2 { print $4 "x" $5, $3, $9 }' > "$TMP/images.txt"
check_eq "pdfimages lists every image at its pixel size, JPEGs as JPEG, the PNG with its alpha" \
    "640x427 image jpeg|300x400 image jpeg|96x48 image image|96x48 smask image" \
    "$(paste -sd '|' "$TMP/images.txt")"
check "… the JPEG is embedded byte for byte (no re-encoding)" sh -c \
    "pdfimages -j '$TMP/ft.pdf' '$TMP/img' && cmp '$TMP/img-000.jpg' '$P/photo.jpg'"
check_contains "a missing image: a notice" "$TMP/err.txt" "images/khong-co.jpg: not found"
check_contains "a remote image is not fetched: a notice" "$TMP/err.txt" \
    "https://example.org/anh/xa.jpg: remote image not fetched, caption only"
pdftotext -enc UTF-8 "$TMP/ft.pdf" - | squash > "$TMP/ft.txt"
for cap in "Thísinhlàmthủtụcdựthi.Ảnh:MinhKhôi" "Ảnhdọc,lưudạngprogressive." \
           "Ảnhkhôngtìmthấyvẫngiữchúthích." "Ảnhtrênmạngkhôngđượctảivề."; do
    check_contains "the caption '$cap' is printed" "$TMP/ft.txt" "$cap"
done
check "-q silences the notices" sh -c "'$X' -q -o '$TMP/q.pdf' '$P/figures-tables.xml' 2>&1 | grep -q . && exit 1 || exit 0"
# A figure's src is relative to its XML file, wherever xml2pdf runs.
mkdir -p "$TMP/run"
(cd "$TMP/run" && "$X" -q -o out.pdf "$P/figures-tables.xml")
check_eq "src is relative to the XML file, not the working directory" 4 \
    "$(pdfimages -list "$TMP/run/out.pdf" | awk 'NR > 2' | wc -l | tr -d ' ')"
(cd "$P" && "$X" -q -o "$TMP/stdin.pdf" < figures-tables.xml)
check_eq "… and to the working directory for standard input" 4 \
    "$(pdfimages -list "$TMP/stdin.pdf" | awk 'NR > 2' | wc -l | tr -d ' ')"
# Formats by their bytes, not their names; limits.
cp "$P/photo.jpg" "$TMP/photo-named.png"
printf 'GIF89a\001\000\001\000\000\000\000;' > "$TMP/anim.gif"
cp "$P/photo.jpg" "$TMP/anim.jpg.gif"
printf 'not an image at all' > "$TMP/text.jpg"
truncate -s 60M "$TMP/huge.jpg"
printf '\377\330\377' | dd of="$TMP/huge.jpg" conv=notrunc 2>/dev/null
python3 -c "
import struct, zlib, sys
def chunk(k, d): return struct.pack('>I', len(d)) + k + d + struct.pack('>I', zlib.crc32(k + d))
sys.stdout.buffer.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 30000, 30000, 8, 2, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b''))" > "$TMP/bomb.png"
head -c 2000 "$P/photo.jpg" > "$TMP/cut.jpg"
{
    echo '<articles version="1"><article><title>Định dạng</title><body>'
    for f in photo-named.png anim.gif anim.jpg.gif text.jpg huge.jpg bomb.png cut.jpg; do
        echo "<figure src=\"$f\"><caption>chú thích $f</caption></figure>"
    done
    echo '</body></article></articles>'
} > "$TMP/formats.xml"
"$X" -o "$TMP/formats.pdf" "$TMP/formats.xml" 2> "$TMP/err.txt"
check_eq "odd images never stop the document" 0 $?
check "… qpdf --check passes" qpdf --check "$TMP/formats.pdf"
check_eq "… a JPEG named .png is a JPEG" "640 427 jpeg" \
    "$(pdfimages -list "$TMP/formats.pdf" | awk 'NR == 3 { print $4, $5, $9 }')"
check_eq "… and so is a JPEG named .gif: the only images" 4 "$(pdfimages -list "$TMP/formats.pdf" | wc -l | tr -d ' ')"
check_contains "… a GIF: a notice" "$TMP/err.txt" "anim.gif: GIF images are not printed (JPEG or PNG only)"
check "… no notice for either" sh -c "! grep -qE 'anim.jpg.gif|photo-named' '$TMP/err.txt'"
check_contains "… not an image: a notice" "$TMP/err.txt" "text.jpg: not a JPEG or PNG image"
check_contains "… over the size limit: a notice" "$TMP/err.txt" "huge.jpg: larger than 50 MB"
check_contains "… over the pixel limit: a notice" "$TMP/err.txt" "bomb.png: more than 50 million pixels"
check_contains "… a truncated JPEG: a notice" "$TMP/err.txt" "cut.jpg: truncated JPEG"
check_eq "… every caption is printed" 7 "$(pdftotext "$TMP/formats.pdf" - | grep -c 'chú thích')"

# ---- tables ----------------------------------------------------------------
pdftotext -raw -enc UTF-8 "$TMP/ft.pdf" - > "$TMP/raw.txt"
check "every cell's text in row order" sh -c "tr '\n' ' ' < '$TMP/raw.txt' | tr -s ' ' |
    grep -qF 'Ngành Điểm chuẩn Y khoa 28,15 A00, B00 Răng - Hàm - Mặt 27,5 Điều dưỡng 23,2 B00'"
# A long table: 150 rows, a header, over several pages.
awk 'BEGIN {
    print "<articles version=\"1\"><article lang=\"vi\"><title>Bảng dài</title><body><table><caption>Kết quả</caption>"
    print "<row><cell type=\"header\">Số thứ tự</cell><cell type=\"header\">Họ và tên</cell><cell type=\"header\">Điểm</cell></row>"
    for (i = 1; i <= 150; i++)
        printf "<row><cell>r%03d</cell><cell>Nguyễn Văn Thí Sinh số %d</cell><cell>%d,%d</cell></row>\n", i, i, 15 + i % 15, i % 10
    print "</table></body></article></articles>" }' > "$TMP/long.xml"
check "a 150-row table typesets" "$X" -o "$TMP/long.pdf" "$TMP/long.xml"
check "… qpdf --check passes" qpdf --check "$TMP/long.pdf"
n=$(pages "$TMP/long.pdf")
check_eq "… over several pages, the header at the top of each" "$n" \
    "$(pdftotext -enc UTF-8 "$TMP/long.pdf" - | awk 'BEGIN { RS = "\f" } /Số thứ tự/ { c++ } END { print c + 0 }')"
check "… more than one page" test "$n" -ge 3
pdftotext -raw -enc UTF-8 "$TMP/long.pdf" - | grep -o 'r[0-9][0-9][0-9]' > "$TMP/rows.txt"
awk 'BEGIN { for (i = 1; i <= 150; i++) printf "r%03d\n", i }' > "$TMP/rows-want.txt"
check "… every row once, in order" cmp "$TMP/rows.txt" "$TMP/rows-want.txt"
check "a table in two columns typesets" sh -c "'$X' --columns 2 -o '$TMP/long2.pdf' '$TMP/long.xml' && qpdf --check '$TMP/long2.pdf'"
# A row taller than a page breaks between its lines, nothing lost.
awk 'BEGIN { printf "<articles version=\"1\"><article><title>Ô dài</title><body><table><row><cell type=\"header\">A</cell><cell type=\"header\">B</cell></row><row><cell>"
    for (i = 0; i < 3000; i++) printf "w%04d ", i
    printf "</cell><cell>ngắn</cell></row></table></body></article></articles>" }' > "$TMP/tall.xml"
check "a table row taller than a page typesets" "$X" -o "$TMP/tall.pdf" "$TMP/tall.xml"
check_eq "… every word of it printed" 3000 "$(pdftotext "$TMP/tall.pdf" - | grep -o 'w[0-9][0-9][0-9][0-9]' | sort -u | wc -l | tr -d ' ')"
# Spans and widths that make no sense are still printed.
awk 'BEGIN { printf "<articles version=\"1\"><article><title>Bảng lạ</title><body><table>"
    printf "<row><cell colspan=\"100000\">rộng</cell></row><row><cell rowspan=\"9999\">cao</cell><cell/></row><row/>"
    printf "</table><table><row>"; for (i = 0; i < 60; i++) printf "<cell>c%02d</cell>", i
    printf "</row></table></body></article></articles>" }' > "$TMP/odd.xml"
check "odd spans and 60 columns typeset" "$X" -o "$TMP/odd.pdf" "$TMP/odd.xml"
check_eq "… every cell's text printed" 62 "$(pdftotext "$TMP/odd.pdf" - | grep -oE 'rộng|cao|c[0-9][0-9]' | sort -u | wc -l | tr -d ' ')"

# ---- dates as people read them --------------------------------------------------
cat > "$TMP/dates.xml" <<'EOF'
<articles version="1">
<article lang="vi"><title>Ngày máy một</title><date when="2021-04-11">20210411</date><body><p>a</p></body></article>
<article lang="vi"><title>Ngày máy hai</title><date when="2022-12-24T19:25:22+07:00">2022-12-24T19:25:22+07:00</date><body><p>b</p></body></article>
<article lang="vi"><title>Ngày người</title><date when="2023-07-12T13:01:00+07:00">12/07/2023 - 01:01 PM</date><body><p>c</p></body></article>
<article lang="en"><title>English date</title><date when="2022-12-24T19:25:22+07:00">2022-12-24T19:25:22+07:00</date><body><p>d</p></body></article>
</articles>
EOF
"$X" -o "$TMP/dates.pdf" "$TMP/dates.xml"
pdftotext -enc UTF-8 "$TMP/dates.pdf" "$TMP/dates.txt"
check_contains "20210411 reads as a date" "$TMP/dates.txt" "Chủ nhật, 11/04/2021"
check_contains "ISO 8601 reads as a date and time" "$TMP/dates.txt" "Thứ bảy, 24/12/2022, 19:25"
check_contains "a human date is kept as printed" "$TMP/dates.txt" "12/07/2023 - 01:01 PM"
check_contains "in the article's language" "$TMP/dates.txt" "Saturday, 24 December 2022, 19:25"
check "… no machine date is left" sh -c "! grep -qE '20210411|T19:25' '$TMP/dates.txt'"

# ---- bulletins: order, duplicates, sections ---------------------------------------
# Two copies of one story (as a site's desktop and mobile pages: other
# markup, other spacing and case), and stories in sections, dated apart.
cat > "$TMP/week.xml" <<'EOF'
<articles version="1">
<article lang="vi"><title>Tin C thứ tư</title><date when="2023-07-12">12/07/2023</date><section>Thời sự</section><body><p>Nội dung ccc.</p></body></article>
<article lang="vi"><title>Tin A thứ hai</title><date when="2023-07-10">10/07/2023</date><section>Kinh tế</section><body><p>Sáng nay, quận họp bàn về nội dung aaa.</p></body></article>
<article lang="vi"><title>Tin D thứ năm</title><date when="2023-07-13">13/07/2023</date><section>thời  sự</section><body><p>Nội dung ddd.</p></body></article>
<article lang="vi"><title>Tin B không ngày</title><body><p>Nội dung bbb.</p></body></article>
<article lang="vi"><title>TIN A THỨ HAI</title><date when="2023-07-10">10/07/2023</date><section>Kinh tế</section><body><p><strong>Sáng nay, quận  họp bàn về nội dung aaa</strong></p><p>Một đoạn nữa.</p></body></article>
<article lang="vi"><title>Tin E thứ sáu</title><date when="2023-07-14T08:00:00+07:00">08:00 14/07/2023</date><section>Kinh tế</section><body><p>Nội dung eee.</p></body></article>
</articles>
EOF
order() { pdftotext -enc UTF-8 "$1" - | tr -d '\f' | grep -oE '^(Tin [A-E]|TIN A)' | tr '\n' ' '; }
"$X" --bulletin --title "Tuần" -o "$TMP/week.pdf" "$TMP/week.xml" 2> "$TMP/err.txt"
check_eq "a bulletin: newest first, undated last, the copy left out (contents, then body)" \
    "Tin E Tin D Tin C Tin A Tin B Tin E Tin D Tin C Tin A Tin B " "$(order "$TMP/week.pdf")"
check_contains "… with a notice" "$TMP/err.txt" "1 duplicate article left out"
"$X" --bulletin --sort oldest -q -o "$TMP/old.pdf" "$TMP/week.xml"
check_eq "--sort oldest" "Tin A Tin C Tin D Tin E Tin B " "$(order "$TMP/old.pdf" | cut -d' ' -f11-)"
"$X" --bulletin --sort input --keep-duplicates -o "$TMP/in.pdf" "$TMP/week.xml" 2> "$TMP/err.txt"
check_eq "--sort input --keep-duplicates" "Tin C Tin A Tin D Tin B TIN A Tin E " "$(order "$TMP/in.pdf" | cut -d' ' -f13-)"
check_eq "… and no notice" "" "$(cat "$TMP/err.txt")"
"$X" --sort date -q -o "$TMP/plain.pdf" "$TMP/week.xml"
check_eq "--sort date for a plain PDF too" "Tin E Tin D Tin C Tin A Tin B " "$(order "$TMP/plain.pdf")"
"$X" --bulletin --group-by section -q -o "$TMP/sec.pdf" "$TMP/week.xml"
pdftotext -enc UTF-8 "$TMP/sec.pdf" - | tr -d '\f' | grep -oE '^(Tin [A-E]|Kinh tế|Thời sự|thời  sự|Tin khác)' | tr '\n' '|' > "$TMP/sec.txt"
check_eq "--group-by section: heads in the contents and the body, sections as first met, spellings merged" \
    "Kinh tế|Tin E|Tin A|Thời sự|Tin D|Tin C|Tin khác|Tin B|Kinh tế|Tin E|Tin A|Thời sự|Tin D|Tin C|Tin khác|Tin B|" \
    "$(cat "$TMP/sec.txt")"
qpdf --json --json-key=outlines "$TMP/sec.pdf" | jq -r '.outlines[] | .title + ":" + ([.kids[].title] | join(","))' > "$TMP/outline.txt"
check_eq "… the outline has the sections with their articles" \
    "Kinh tế:Tin E thứ sáu,Tin A thứ hai|Thời sự:Tin D thứ năm,Tin C thứ tư|Tin khác:Tin B không ngày" \
    "$(paste -sd '|' "$TMP/outline.txt")"
check "… qpdf --check passes" qpdf --check "$TMP/sec.pdf"

# ---- the masthead ------------------------------------------------------------
"$X" --bulletin -T "Bản tin Quận Đống Đa" -I "Số 28" -D 2023-07-14 -P "QUẬN UỶ ĐỐNG ĐA" \
    -N "Lưu hành nội bộ" --logo "$P/logo.png" -q -o "$TMP/mast.pdf" "$TMP/week.xml"
pdftotext -f 1 -l 1 -enc UTF-8 "$TMP/mast.pdf" - | squash > "$TMP/mast.txt"
check "the masthead: publisher, notice, title, issue, date in words, contents" \
    grep -q 'QUẬNUỶĐỐNGĐALưuhànhnộibộBảntinQuậnĐốngĐaSố28·Thứsáu,ngày14tháng7năm2023Mụclục' "$TMP/mast.txt"
check_eq "… the logo is on page 1 at its pixel size" "1 96 48" \
    "$(pdfimages -list "$TMP/mast.pdf" | awk 'NR == 3 { print $1, $4, $5 }')"
"$X" --bulletin --logo "$TMP/text.jpg" -o "$TMP/x.pdf" "$TMP/week.xml" 2> "$TMP/err.txt"
check_eq "a logo that is not an image is an error" 2 $?
check_contains "… saying so" "$TMP/err.txt" "logo $TMP/text.jpg: not a JPEG or PNG image"
# Contents titles are cut at a word, never inside one.
awk 'BEGIN { printf "<articles version=\"1\"><article><title>"
    for (i = 0; i < 80; i++) printf "Dàiquá%02d ", i
    printf "</title><body><p>x</p></body></article></articles>" }' > "$TMP/long-title.xml"
"$X" --bulletin -q -o "$TMP/lt.pdf" "$TMP/long-title.xml"
check "a long title in the contents ends on a whole word and '…'" sh -c \
    "pdftotext -f 1 -l 1 -enc UTF-8 '$TMP/lt.pdf' - | tr -d '\n' | grep -qE 'Dàiquá[0-9]{2}…'"

# ---- run-on layout: no title without two lines of its body under it -------------
awk 'BEGIN { srand(7); print "<articles version=\"1\">"
    for (a = 1; a <= 40; a++) {
        printf "<article lang=\"vi\"><title>Tieude%02d tin ngắn</title><body>", a
        n = 1 + (a * 7) % 5
        for (p = 0; p < n; p++) { printf "<p>"; m = 20 + (a * 13 + p * 29) % 90; for (w = 0; w < m; w++) printf "b%02dw ", a; print "</p>" }
        print "</body></article>" }
    print "</articles>" }' > "$TMP/short.xml"
lines_of() {
    pdftotext -bbox-layout "$1" - | awk '
        /<page / { pg++; match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) }
        /<line / { match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
                   match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0; first = 1 }
        /<word / && first { t = $0; sub(/.*">/, "", t); sub(/<\/word>.*/, "", t)
                   printf "%d.%d %08.1f %s\n", pg, (x < w / 2 ? 1 : 2), y, t; first = 0 }' |
        sort -t ' ' -k1,1n -k2,2 | awk '{ print $1, $3 }'
}
for cols in 1 2; do
    "$X" --bulletin --sort input --columns $cols -q -o "$TMP/short$cols.pdf" "$TMP/short.xml"
    # The body: from the page the first article's text is on.
    lines_of "$TMP/short$cols.pdf" | awk '$2 ~ /^(Tieude|b[0-9][0-9]w)/' |
        awk '$2 ~ /^b/ && !body { body = $1 + 0 } { l[NR] = $0; pg[NR] = $1 + 0 }
             END { for (i = 1; i <= NR; i++) if (pg[i] >= int(body)) print l[i] }' > "$TMP/sl$cols.txt"
    # After each title: at least two lines of its own body in the same column.
    awk '$2 ~ /^Tieude/ { if (t != "" && n < 2) { print "# " t " has " n " lines under it"; bad = 1 }
                          t = substr($2, 7, 2); seg = $1; n = 0; next }
         t != "" && $1 == seg && $2 == "b" t "w" { n++ }
         END { if (t != "" && n < 2) bad = 1; exit bad }' "$TMP/sl$cols.txt"
    check_eq "run-on, $cols column(s): every title has two lines of its body under it" 0 $?
    check_eq "… and articles share pages" 1 "$(awk -v p="$(pages "$TMP/short$cols.pdf")" 'BEGIN { print (p < 40) }')"
    check_eq "… every title printed once in the body" 40 "$(grep -c Tieude "$TMP/sl$cols.txt" | tr -d ' ')"
done
"$X" --bulletin --page-per-article --sort input -q -o "$TMP/ppa.pdf" "$TMP/short.xml"
check "--page-per-article: more pages than run-on" test "$(pages "$TMP/ppa.pdf")" -gt "$(pages "$TMP/short1.pdf")"

# ---- options -------------------------------------------------------------------
D=$TMP/dates.xml
for bad in "-m 400mm" "-m 20,15,20" "-m 20,15,20,30,5" "--paper 5x5mm" "--lang xx" \
           "--columns 3" "--sort size" "--group-by site" "--date 2023-02-30"; do
    "$X" $bad -o "$TMP/x.pdf" "$D" 2> "$TMP/err.txt"
    st=$?
    if [ "$st" -eq 2 ] && [ "$(wc -l < "$TMP/err.txt" | tr -d ' ')" -eq 1 ] && [ ! -e "$TMP/x.pdf" ]; then
        ok "'$bad' is refused in one line with status 2"
    else
        fail "'$bad' is refused in one line with status 2 (status $st)"; sed 's/^/#   /' "$TMP/err.txt"
    fi
done
"$X" --font "Noto Serif 0" -o "$TMP/x.pdf" "$D" 2> "$TMP/err.txt"
check_eq "--font \"Noto Serif 0\" is refused with status 2" "2 1" "$? $(wc -l < "$TMP/err.txt" | tr -d ' ')"
"$X" --no-such-option "$D" > "$TMP/out.txt" 2> "$TMP/err.txt"
check_eq "an unknown option: status 2" 2 $?
check_eq "… one line naming it, one pointing at --help" \
    "xml2pdf: unknown option '--no-such-option'|Try 'xml2pdf --help' for more information." \
    "$(paste -sd '|' "$TMP/err.txt")"
check_eq "… nothing on standard output" "" "$(cat "$TMP/out.txt")"
"$X" -o 2> "$TMP/err.txt"
check_contains "an option without its value says so" "$TMP/err.txt" "option '-o' needs a value"
for paper in "A3 841.89 x 1190.55" "B5 498.898 x 708.661" "Legal 612 x 1008" "148x210mm 419.528 x 595.276" "8.5x11in 612 x 792"; do
    set -- $paper
    "$X" -p "$1" -o "$TMP/p.pdf" "$D"
    check_contains "--paper $1" "$TMP/p.pdf" "" && pdfinfo "$TMP/p.pdf" | grep -q "Page size: *$2 x $4 pts" \
        && ok "… is $2 x $4 pt" || fail "… is $2 x $4 pt ($(pdfinfo "$TMP/p.pdf" | grep 'Page size'))"
done
# Four margins: the text starts 30 mm from the left and 20 mm from the top.
"$X" -m 20,15,20,30mm -o "$TMP/m.pdf" "$D"
pdftotext -f 1 -l 1 -bbox "$TMP/m.pdf" - | awk '/<word / { match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
    match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
    if (minx == "" || x < minx) minx = x; if (miny == "" || y < miny) miny = y }
    END { printf "%d %d\n", minx / 72 * 25.4 + 0.5, miny / 72 * 25.4 + 0.5 }' > "$TMP/margins.txt"
check_eq "-m 20,15,20,30mm: text 30 mm from the left, 20 mm from the top" "30 20" "$(cat "$TMP/margins.txt")"
printf 'bulletin = yes\nsort = input\nduplicates = keep\ngroup-by = none\nlayout = page-per-article\npublisher = "UBND PHƯỜNG"\nnotice = Lưu hành nội bộ\nlogo = logo.png\nmargin = 20,15,20,30mm\npaper = B5\n' > "$TMP/all.style"
cp "$P/logo.png" "$TMP/logo.png"
(cd / && "$X" --style "$TMP/all.style" -o "$TMP/st.pdf" "$TMP/week.xml")
check_eq "a style file holds it all (logo relative to it, B5, page per article, input order)" \
    "1 96 48|B5|Tin C Tin A Tin D Tin B TIN A Tin E " \
    "$(pdfimages -list "$TMP/st.pdf" | awk 'NR == 3 { print $1, $4, $5 }')|$(pdfinfo "$TMP/st.pdf" | grep -q '498.898 x 708.661' && echo B5)|$(order "$TMP/st.pdf" | cut -d' ' -f13-)"
# The man page renders every option of --help, "--font="FAMILY SIZE"" with its space.
if command -v man >/dev/null 2>&1; then
    MANWIDTH=120 man -l "$TOP/cmd/xml2pdf.1" 2>/dev/null | col -b > "$TMP/man.txt"
    missing=
    for o in $("$X" --help | grep -oE -- '--[a-z-]+' | sort -u); do
        grep -qE -- "(^| |,)$o([=, ]|$)" "$TMP/man.txt" || missing="$missing $o"
    done
    check_eq "the man page has every option --help lists" "" "$missing"
    check_contains "… --font=\"FAMILY SIZE\" keeps its space" "$TMP/man.txt" '-f, --font="FAMILY SIZE"'
else
    skip "the man page renders every option" "man is not installed"
fi
