#!/bin/sh
# xml2docx end to end: the .docx files are read back by independent
# readers (unzip, xmllint, pandoc, LibreOffice + pdftotext, and the Open
# XML SDK validator from npm @ooxml-tools/validate).
. "$(dirname "$0")/lib.sh"

X=$BIN/xml2docx
have() { command -v "$1" >/dev/null 2>&1; }
sanitized() { [ "${BUILD_KIND:-plain}" = sanitized ]; }

# every_part_wellformed FILE.docx: each entry parses as XML.
every_part_wellformed() {
    for _p in $(unzip -Z1 "$1" | grep -E '\.(xml|rels)$'); do
        unzip -p "$1" "$(printf '%s' "$_p" | sed 's/\[/\\[/g')" | xmllint --noout - || { echo "$_p is not well-formed"; return 1; }
    done
}
# no_file PATH: the path does not exist (no partial output).
no_file() { [ ! -e "$1" ] || { echo "$1 exists"; return 1; }; }
# oneline: all text on one line, white space collapsed.
oneline() { tr -s ' \n\t\f' '    ' | sed 's/^ //; s/ $//'; }

check "--help prints usage and exits 0" sh -c "'$X' --help | grep -q '^Usage: xml2docx'"
check "--version names the tool" sh -c "'$X' --version | grep -q '^xml2docx (bantin)'"
check_status "an unknown option exits 2" 2 "$X" --frobnicate
check_status "a bad --paper exits 2" 2 "$X" --paper A99 -o "$TMP/x.docx" "$FIX/docx/rich.xml"
check "... and leaves no file" no_file "$TMP/x.docx"
check_status "-o and -d together exit 2" 2 "$X" -o "$TMP/x.docx" -d "$TMP/xd" "$FIX/docx/rich.xml"

# ---- the example article ---------------------------------------------
"$BIN/news2xml" -o "$TMP/dongda.xml" "$FIX/text/dongda-2023-07-12.txt" 2>"$TMP/err" ||
    { cat "$TMP/err"; }
D=$TMP/dongda.docx
check_status "the example article converts" 0 "$X" -o "$D" "$TMP/dongda.xml"
check "unzip -t passes" unzip -tq "$D"
check "every part is well-formed XML" every_part_wellformed "$D"
check_eq "[Content_Types].xml is the first entry" "[Content_Types].xml" "$(unzip -Z1 "$D" | head -n 1)"
check_eq "all the parts, in a fixed order" \
    "[Content_Types].xml _rels/.rels word/document.xml word/_rels/document.xml.rels word/styles.xml word/settings.xml word/numbering.xml word/footer1.xml docProps/core.xml docProps/app.xml" \
    "$(unzip -Z1 "$D" | tr '\n' ' ' | sed 's/ $//')"
check_eq "entries are deflated and dated 1980-01-01" "10" \
    "$(unzip -Zv "$D" | grep -c 'file last modified on (DOS date/time): *1980 Jan 1 00:00:00')"
check_eq "no data descriptors (general purpose bit 3 clear in all 10)" 10 \
    "$(unzip -Zv "$D" | grep -c 'extended local header: *no')"
unzip -p "$D" word/settings.xml >"$TMP/settings.xml"
unzip -p "$D" docProps/core.xml >"$TMP/core.xml"
unzip -p "$D" word/document.xml >"$TMP/document.xml"
unzip -p "$D" word/styles.xml >"$TMP/styles.xml"
check_eq "settings.xml: compatibilityMode 15" "15" \
    "$(xpath "$TMP/settings.xml" "string(//*[local-name()='compatSetting'][@*[local-name()='name']='compatibilityMode']/@*[local-name()='val'])")"
check_eq "core.xml: title" "$(xpath "$TMP/dongda.xml" 'string(//article/title)')" \
    "$(xpath "$TMP/core.xml" "string(//*[local-name()='title'])")"
check_eq "core.xml: creator = byline" "$(xpath "$TMP/dongda.xml" 'string(//article/byline)')" \
    "$(xpath "$TMP/core.xml" "string(//*[local-name()='creator'])")"
check_eq "core.xml: created = the article date" "$(xpath "$TMP/dongda.xml" 'string(//article/date/@when)')" \
    "$(xpath "$TMP/core.xml" "string(//*[local-name()='created'])")"
check_eq "core.xml: language" "vi-VN" "$(xpath "$TMP/core.xml" "string(//*[local-name()='language'])")"
check_eq "every run is marked Vietnamese" \
    "$(xpath "$TMP/document.xml" "count(//*[local-name()='r'][*[local-name()='t']])")" \
    "$(xpath "$TMP/document.xml" "count(//*[local-name()='r'][*[local-name()='t']][*[local-name()='rPr']/*[local-name()='lang']/@*[local-name()='val']='vi-VN'])")"
check_eq "A4 page" "11906x16838" \
    "$(xpath "$TMP/document.xml" "concat(string(//*[local-name()='pgSz']/@*[local-name()='w']),'x',string(//*[local-name()='pgSz']/@*[local-name()='h']))")"
check_eq "margins 20/15/20/30 mm" "1134 850 1134 1701" \
    "$(xpath "$TMP/document.xml" "concat(//*[local-name()='pgMar']/@*[local-name()='top'],' ',//*[local-name()='pgMar']/@*[local-name()='right'],' ',//*[local-name()='pgMar']/@*[local-name()='bottom'],' ',//*[local-name()='pgMar']/@*[local-name()='left'])")"
check_eq "Times New Roman 13 pt for all scripts" "Times New Roman|Times New Roman|Times New Roman|Times New Roman|26" \
    "$(xpath "$TMP/styles.xml" "concat(//*[local-name()='rPrDefault']//*[local-name()='rFonts']/@*[local-name()='ascii'],'|',//*[local-name()='rPrDefault']//*[local-name()='rFonts']/@*[local-name()='hAnsi'],'|',//*[local-name()='rPrDefault']//*[local-name()='rFonts']/@*[local-name()='cs'],'|',//*[local-name()='rPrDefault']//*[local-name()='rFonts']/@*[local-name()='eastAsia'],'|',//*[local-name()='rPrDefault']//*[local-name()='sz']/@*[local-name()='val'])")"
for s in Title Date Byline "heading 1" "heading 2" Normal Quote "List Paragraph" caption Hyperlink Related; do
    check_eq "style '$s' is defined" 1 \
        "$(xpath "$TMP/styles.xml" "count(//*[local-name()='style'][*[local-name()='name']/@*[local-name()='val']='$s'])")"
done

# pandoc reads back title, date, byline and every paragraph, in order.
# (pandoc lifts leading Title and Date paragraphs into its metadata,
# which -s prints first.)
if have pandoc; then
    article_lines "$TMP/dongda.xml" title date byline | grep -v '^[[:space:]]*$' >"$TMP/want.txt"
    pandoc -s --wrap=none -f docx -t plain "$D" | grep -v '^[[:space:]]*$' >"$TMP/got.txt"
    check_eq "pandoc reads back title, date, byline and paragraphs, letter for letter" \
        "$(cat "$TMP/want.txt")" "$(head -n "$(wc -l <"$TMP/want.txt")" "$TMP/got.txt")"
    check "pandoc sees more than the header (guards the check above)" \
        test "$(wc -l <"$TMP/want.txt")" -ge 6
else
    skip "pandoc reads back the example" "pandoc not installed"
fi

# ---- every element, and styles through pandoc ---------------------------
R=$TMP/rich.docx
check_status "the rich fixture converts" 0 "$X" -o "$R" "$FIX/docx/rich.xml"
check "rich: every part is well-formed XML" every_part_wellformed "$R"
unzip -p "$R" word/document.xml >"$TMP/rdoc.xml"
unzip -p "$R" word/_rels/document.xml.rels >"$TMP/rrels.xml"
unzip -p "$R" word/settings.xml >"$TMP/rsettings.xml"
check_eq "rich: a hyperlink in the body and two related links" 3 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='hyperlink'][@*[local-name()='id']])")"
check_eq "rich: hyperlink targets are external and percent-encoded" \
    "https://example.org/tin%20t%E1%BB%A9c?id=1&x=%C4%91" \
    "$(xpath "$TMP/rrels.xml" "string(//*[@TargetMode='External'][1]/@Target)")"
check_eq "rich: list items are numbered paragraphs" 8 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='numPr'])")"
check_eq "rich: the second numbered list has its own numbering" 2 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='numId'][@*[local-name()='val']!='1' and @*[local-name()='val']!='2'])")"
check_eq "rich: a table of contents field (two articles)" 1 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='instrText'][contains(.,'TOC')])")"
check_eq "rich: nothing asks to update fields on opening" 0 \
    "$(grep -c 'updateFields\|w:dirty' "$TMP/rsettings.xml" "$TMP/rdoc.xml" | awk -F: '{ s += $2 } END { print s }')"
check_eq "rich: the second article starts a new page" 1 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='pageBreakBefore'])")"
check_contains "rich: spaces at run ends kept with xml:space" "$TMP/rdoc.xml" \
    '<w:t xml:space="preserve">Sáng ngày 28/12, UBND phường tổ chức hội nghị </w:t>'
if have pandoc; then
    pandoc -f docx+styles -t json "$R" >"$TMP/rich.json"
    for s in Title Date Byline Quote "List Paragraph" caption Hyperlink "toc 1"; do
        check_contains "pandoc sees custom style '$s'" "$TMP/rich.json" "[\"custom-style\",\"$s\"]"
    done
    check_contains "pandoc sees the Related heading" "$TMP/rich.json" '"Related"'
    pandoc -f docx -t markdown --wrap=none "$R" >"$TMP/rich.md"
    check_contains "pandoc: emphasis" "$TMP/rich.md" "triển khai *nhiệm vụ* năm"
    check_contains "pandoc: strong" "$TMP/rich.md" "hội nghị **tổng kết** công tác"
    check_contains "pandoc: a link" "$TMP/rich.md" "[trang thông tin điện tử](https://example.org/tin%20t%E1%BB%A9c?id=1&x=%C4%91)"
    check_contains "pandoc: numbered list" "$TMP/rich.md" "1.  Hoàn thành 15/15 chỉ tiêu"
    check_contains "pandoc: bullets" "$TMP/rich.md" "-   Trật tự đô thị"
    check_contains "pandoc: related links" "$TMP/rich.md" "[Tuyên dương 20 gia đình văn hoá tiêu biểu](https://example.org/b)"
else
    skip "pandoc sees the styles" "pandoc not installed"
fi

# ---- options --------------------------------------------------------
O=$TMP/opts.docx
check_status "--paper/--margin/--font/--font-size" 0 "$X" --paper Letter --margin 1in \
    --font "DejaVu Serif" --font-size 12 -o "$O" "$FIX/docx/rich.xml"
unzip -p "$O" word/document.xml >"$TMP/odoc.xml"
unzip -p "$O" word/styles.xml >"$TMP/ostyles.xml"
check_eq "Letter page, 1-inch margins" "12240x15840 1440" \
    "$(xpath "$TMP/odoc.xml" "concat(//*[local-name()='pgSz']/@*[local-name()='w'],'x',//*[local-name()='pgSz']/@*[local-name()='h'],' ',//*[local-name()='pgMar']/@*[local-name()='left'])")"
check_eq "font and size" "DejaVu Serif 24" \
    "$(xpath "$TMP/ostyles.xml" "concat(//*[local-name()='rPrDefault']//*[local-name()='rFonts']/@*[local-name()='cs'],' ',//*[local-name()='rPrDefault']//*[local-name()='sz']/@*[local-name()='val'])")"
check_status "--no-toc" 0 "$X" --no-toc -o "$TMP/notoc.docx" "$FIX/docx/rich.xml"
check_eq "--no-toc leaves the field out" 0 \
    "$(unzip -p "$TMP/notoc.docx" word/document.xml | xmllint --xpath "count(//*[local-name()='instrText'])" -)"

if have pandoc; then
    pandoc -o "$TMP/ref.docx" --print-default-data-file reference.docx 2>/dev/null
    F=$TMP/withref.docx
    check_status "--reference-doc" 0 "$X" --reference-doc "$TMP/ref.docx" -o "$F" "$FIX/docx/rich.xml"
    unzip -p "$F" word/styles.xml >"$TMP/fstyles.xml"
    unzip -p "$F" word/document.xml >"$TMP/fdoc.xml"
    check_eq "--reference-doc: its styles are used" \
        "$(unzip -p "$TMP/ref.docx" word/styles.xml | xmllint --xpath "string(//*[local-name()='style'][@*[local-name()='styleId']='Title']//*[local-name()='color']/@*[local-name()='val'])" -)" \
        "$(xpath "$TMP/fstyles.xml" "string(//*[local-name()='style'][@*[local-name()='styleId']='Title']//*[local-name()='color']/@*[local-name()='val'])")"
    check_eq "--reference-doc: our styles it lacks are added" 1 \
        "$(xpath "$TMP/fstyles.xml" "count(//*[local-name()='style'][@*[local-name()='styleId']='Byline'])")"
    check_eq "--reference-doc: our page when it sets none" 11906 \
        "$(xpath "$TMP/fdoc.xml" "string(//*[local-name()='pgSz']/@*[local-name()='w'])")"
else
    skip "--reference-doc" "pandoc not installed (it makes the template)"
fi
# our own A5 document as the template: its page setup comes along
"$X" --paper A5 --margin 12mm -o "$TMP/a5.docx" "$FIX/docx/rich.xml" 2>/dev/null
check_status "--reference-doc with a page setup" 0 "$X" --reference-doc "$TMP/a5.docx" -o "$TMP/froma5.docx" "$TMP/dongda.xml"
check_eq "... takes its page size and margins" "8391 680" \
    "$(unzip -p "$TMP/froma5.docx" word/document.xml | xmllint --xpath "concat(//*[local-name()='pgSz']/@*[local-name()='w'],' ',//*[local-name()='pgMar']/@*[local-name()='left'])" -)"
check_status "... unless --paper says otherwise" 0 "$X" --reference-doc "$TMP/a5.docx" --paper A4 -o "$TMP/froma5b.docx" "$TMP/dongda.xml"
check_eq "... A4 then" "11906" \
    "$(unzip -p "$TMP/froma5b.docx" word/document.xml | xmllint --xpath "string(//*[local-name()='pgSz']/@*[local-name()='w'])" -)"
check_status "-d with --reference-doc" 0 "$X" --reference-doc "$TMP/a5.docx" -d "$TMP/refd" "$FIX/docx/rich.xml"
check_eq "... every file takes the template's page" "8391 8391" \
    "$(for f in "$TMP"/refd/*.docx; do unzip -p "$f" word/document.xml | xmllint --xpath "string(//*[local-name()='pgSz']/@*[local-name()='w'])" -; done | tr '\n' ' ' | sed 's/ $//')"
printf 'not a zip' >"$TMP/bad-ref.docx"
check_status "--reference-doc that is not a .docx exits 2" 2 "$X" --reference-doc "$TMP/bad-ref.docx" -o "$TMP/r.docx" "$FIX/docx/rich.xml"
cp "$TMP/.out" "$TMP/err1"
check "... with a message naming it" grep -q "^xml2docx: .*bad-ref.docx" "$TMP/err1"
check "... and no output file" no_file "$TMP/r.docx"
check_status "... also with -d" 2 "$X" --reference-doc "$TMP/bad-ref.docx" -d "$TMP/rbad" "$FIX/docx/rich.xml"
check "... which makes no directory" no_file "$TMP/rbad"

# ---- reproducible ---------------------------------------------------
"$X" -o "$TMP/again.docx" "$TMP/dongda.xml"
check "same input, byte-identical file" cmp "$D" "$TMP/again.docx"
SOURCE_DATE_EPOCH=1700000000 "$X" -o "$TMP/sde.docx" "$TMP/dongda.xml"
check "SOURCE_DATE_EPOCH sets the entry times" sh -c \
    "unzip -Zv '$TMP/sde.docx' | grep -q 'file last modified on (DOS date/time): *2023 Nov 14 22:13:20'"
check "standard input to standard output gives the same bytes" sh -c \
    "'$X' < '$TMP/dongda.xml' > '$TMP/stdio.docx' && cmp '$D' '$TMP/stdio.docx'"

# ---- bad input: a clear error or a valid document, never a partial file ----
printf '<?xml version="1.0"?>\n<articles version="1"><article><title>x</title>\n<body><p>y</body>' >"$TMP/malformed.xml"
check_status "malformed XML exits 2" 2 "$X" -o "$TMP/m.docx" "$TMP/malformed.xml"
cp "$TMP/.out" "$TMP/err2"
check "... with tool: file:line:col: what" grep -q '^xml2docx: .*malformed.xml:[0-9][0-9]*:[0-9][0-9]*: ' "$TMP/err2"
check "... and no output file" no_file "$TMP/m.docx"
echo keep >"$TMP/keep.docx"
"$X" -o "$TMP/keep.docx" "$TMP/malformed.xml" 2>/dev/null
check_eq "an existing output file is left untouched on error" keep "$(cat "$TMP/keep.docx")"
check_status "-d with malformed XML exits 2" 2 "$X" -d "$TMP/md" "$TMP/malformed.xml"
check_eq "... and writes no file" "" "$(ls -A "$TMP/md" 2>/dev/null)"

printf '<?xml version="1.0"?>\n<articles version="1"><article><title>a\001b</title><body><p>c\033d</p></body></article></articles>' >"$TMP/ctrl.xml"
"$X" -o "$TMP/ctrl.docx" "$TMP/ctrl.xml" >"$TMP/ctrl.err" 2>&1; st=$?
if [ "$st" -eq 0 ]; then
    check "control characters: a valid document" every_part_wellformed "$TMP/ctrl.docx"
else
    check_eq "control characters: exit 2" 2 "$st"
    check "control characters: a clear message" grep -q '^xml2docx: .*ctrl.xml:[0-9]*:[0-9]*: ' "$TMP/ctrl.err"
    check "control characters: no output file" no_file "$TMP/ctrl.docx"
fi

long=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "Tiêu đề " }' | cut -c1-10000)
printf '<?xml version="1.0"?>\n<articles version="1"><article><title>%s</title><body><p>x</p></body></article></articles>' "$long" >"$TMP/long.xml"
check_status "a 10,000-character title" 0 "$X" -o "$TMP/long.docx" "$TMP/long.xml"
check "... gives a well-formed document" every_part_wellformed "$TMP/long.docx"
check_eq "... that keeps the whole title" "$(xpath "$TMP/long.xml" 'string-length(//title)')" \
    "$(unzip -p "$TMP/long.docx" word/document.xml | xmllint --xpath "string-length(string(//*[local-name()='p'][1]))" -)"
check_status "... and -d names the file within limits" 0 "$X" -d "$TMP/longd" "$TMP/long.xml"
check_eq "... one file" 1 "$(ls "$TMP/longd" | wc -l | tr -d ' ')"

printf '<?xml version="1.0"?>\n<articles version="1"/>\n' >"$TMP/empty.xml"
check_status "an empty <articles>: nothing to write, exit 1" 1 "$X" -o "$TMP/empty.docx" "$TMP/empty.xml"
check "... and no output file" no_file "$TMP/empty.docx"
"$X" -o "$TMP/empty.docx" "$TMP/empty.xml" 2>"$TMP/empty.err"
check_contains "... with a notice saying so" "$TMP/empty.err" "nothing to write"
printf '<?xml version="1.0"?>\n<html/>\n' >"$TMP/html.xml"
check_status "a foreign root exits 2" 2 "$X" -o "$TMP/h.docx" "$TMP/html.xml"
check "... and no output file" no_file "$TMP/h.docx"
printf '<?xml version="1.0"?>\n<articles version="1"><article><title>x</title><date when="../../../../evil">d</date><body><p>y</p></body></article></articles>' >"$TMP/evil.xml"
mkdir -p "$TMP/deep/a/b/c"
check_status "-d: a date that would leave DIR is not used in the name" 0 "$X" -d "$TMP/deep/a/b/c/out" "$TMP/evil.xml"
check_eq "... and the one file stays inside DIR" "$TMP/deep/a/b/c/out/undated-x.docx" "$(find "$TMP/deep" -type f)"
check_status "a missing input exits 2" 2 "$X" -o "$TMP/n.docx" "$TMP/does-not-exist.xml"
check "... and no output file" no_file "$TMP/n.docx"
check_status "an unwritable output exits 2" 2 "$X" -o "$TMP/no/such/dir/x.docx" "$FIX/docx/rich.xml"

# ---- options: one set for every tool ----------------------------------
check_status "-d/--dir is the long name" 0 "$X" -q --dir "$TMP/dd" "$FIX/docx/rich.xml"
check_status "--directory still works" 0 "$X" -q --directory "$TMP/dd2" "$FIX/docx/rich.xml"
check_eq "... the same files" "$(ls "$TMP/dd")" "$(ls "$TMP/dd2")"
check "--help names --dir, not --directory" sh -c "'$X' --help | grep -q -- '--dir=DIR' && ! '$X' --help | grep -q -- '--directory'"
check "--help gives -r to no option (it means --recursive elsewhere)" sh -c "! '$X' --help | grep -q -- '-r,'"
check_status "-r is not --reference-doc" 2 "$X" -r "$TMP/x.docx" -o "$TMP/r.docx" "$FIX/docx/rich.xml"
# a value out of range: one line saying so
for bad in "-m 400mm" "-m 100mm,100mm,100mm,100mm" "--font-size 0" "--font-size 2000" "--lang xx" "-p 10x10"; do
    # shellcheck disable=SC2086
    "$X" -o "$TMP/bad.docx" "$FIX/docx/rich.xml" $bad >"$TMP/bad.out" 2>"$TMP/bad.err"; st=$?
    check_eq "'$bad' is refused with status 2" 2 "$st"
    check_eq "... in one line" "1 1" "$(wc -l <"$TMP/bad.err" | tr -d ' ') $(grep -c '^xml2docx: ' "$TMP/bad.err")"
    check "... writing nothing" no_file "$TMP/bad.docx"
done
# an unknown option: named, with a pointer to --help
for bad in "--frobnicate" "-Z" "--output"; do
    "$X" -o "$TMP/bad.docx" "$FIX/docx/rich.xml" $bad >"$TMP/bad.out" 2>"$TMP/bad.err"; st=$?
    check_eq "'$bad' is refused with status 2" 2 "$st"
    check "... naming it and pointing at --help" sh -c \
        "grep -q \"^xml2docx: .*'$bad'\" '$TMP/bad.err' && grep -q -- \"--help' for more\" '$TMP/bad.err'"
    check "... writing nothing" no_file "$TMP/bad.docx"
done
check_contains "a missing value is named" "$TMP/bad.err" "option '--output' needs a value"
if have groff; then
    groff -man -Tutf8 "$TOP/cmd/xml2docx.1" 2>"$TMP/man.err" | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' >"$TMP/man.txt"
    check_eq "the man page renders without warnings" "" "$(cat "$TMP/man.err")"
    # every option of --help: tests/e2e/manpages.sh
else
    skip "the man page renders every option" "groff not installed"
fi

# ---- figures and tables ------------------------------------------------
# The fixture names images/…; they are made beside a copy of it.
FT=$TMP/ft
mkdir -p "$FT"
cp "$FIX/docx/figures-tables.xml" "$FT/"
if have cjpeg && python3 "$FIX/docx/make-images.py" "$FT"; then
    G=$FT/ft.docx
    check_status "figures and tables convert (bad images are notices)" 0 "$X" -o "$G" "$FT/figures-tables.xml"
    cp "$TMP/.out" "$FT/notices"
    check "ft: every part is well-formed XML" every_part_wellformed "$G"
    check_eq "ft: the JPEG, PNG and GIF in word/media, the photo shown twice stored once" \
        "word/media/image1.jpeg word/media/image2.png word/media/image3.gif" \
        "$(unzip -Z1 "$G" | grep '^word/media/' | tr '\n' ' ' | sed 's/ $//')"
    check "ft: the stored images are the files, byte for byte" sh -c \
        "unzip -p '$G' word/media/image1.jpeg | cmp -s - '$FT/images/photo.jpg' && unzip -p '$G' word/media/image3.gif | cmp -s - '$FT/images/small.gif'"
    check_eq "ft: images are stored, not deflated again" 3 "$(unzip -Zv "$G" | grep -A12 'word/media/' | grep -c 'compression method: *none (stored)')"
    unzip -p "$G" '\[Content_Types\].xml' >"$FT/types.xml"
    unzip -p "$G" word/document.xml >"$FT/doc.xml"
    unzip -p "$G" word/_rels/document.xml.rels >"$FT/rels.xml"
    check_eq "ft: content types for jpeg, png and gif" "image/jpeg image/png image/gif" \
        "$(xpath "$FT/types.xml" "concat(//*[@Extension='jpeg']/@ContentType,' ',//*[@Extension='png']/@ContentType,' ',//*[@Extension='gif']/@ContentType)")"
    check_eq "ft: three image relationships into media/" 3 \
        "$(xpath "$FT/rels.xml" "count(//*[substring(@Type, string-length(@Type) - 5)='/image'][starts-with(@Target,'media/image')])")"
    check_eq "ft: four inline pictures" 4 "$(xpath "$FT/doc.xml" "count(//*[local-name()='inline'])")"
    # A4 less 30 + 15 mm margins: 165 mm = 5940000 EMU of text width.
    check_eq "ft: the photo (800 px) scaled to the text width, aspect kept" "5940000x3957525" \
        "$(xpath "$FT/doc.xml" "concat((//*[local-name()='inline'])[1]/*[local-name()='extent']/@cx,'x',(//*[local-name()='inline'])[1]/*[local-name()='extent']/@cy)")"
    check_eq "ft: the small GIF not upscaled (40x30 px at 96 dpi)" "381000x285750" \
        "$(xpath "$FT/doc.xml" "concat((//*[local-name()='inline'])[3]/*[local-name()='extent']/@cx,'x',(//*[local-name()='inline'])[3]/*[local-name()='extent']/@cy)")"
    check_eq "ft: the caption is the picture's description" "Thí sinh dự thi. Ảnh: PV" \
        "$(xpath "$FT/doc.xml" "string((//*[local-name()='docPr'])[1]/@descr)")"
    for n in "anh-tu-xa.jpg': remote image not fetched" "khong-co.jpg': no such file" \
             "not-an-image.jpg': not a JPEG, PNG, GIF or WebP image" "photo.webp': WebP, which Word cannot show" \
             "bomb.png': 20000x20000 pixels, over the limit"; do
        check_contains "ft: a notice for $(echo "$n" | cut -d"'" -f1)" "$FT/notices" "$n"
    done
    check_contains "ft: the second remote image is counted, not told again" "$FT/notices" "1 more remote image not fetched"
    check_eq "ft: every caption kept, with or without its image (9 figures, 1 table)" 10 \
        "$(xpath "$FT/doc.xml" "count(//*[local-name()='pStyle'][@*[local-name()='val']='Caption'])")"
    check_eq "ft: two Word tables" 2 "$(xpath "$FT/doc.xml" "count(//*[local-name()='tbl'])")"
    check_eq "ft: the header row repeats on each page" 2 "$(xpath "$FT/doc.xml" "count(//*[local-name()='tblHeader'])")"
    check_eq "ft: colspan as gridSpan" 2 "$(xpath "$FT/doc.xml" "count(//*[local-name()='gridSpan'][@*[local-name()='val']='2'])")"
    check_eq "ft: rowspan as vMerge restart + continue" "1 1" \
        "$(xpath "$FT/doc.xml" "count(//*[local-name()='vMerge'][@*[local-name()='val']='restart'])") $(xpath "$FT/doc.xml" "count(//*[local-name()='vMerge'][not(@*)])")"
    check_eq "ft: every row fills the 3-column grid" "0" \
        "$(xpath "$FT/doc.xml" "count(//*[local-name()='tr'][sum(*[local-name()='tc']/*[local-name()='tcPr']/*[local-name()='gridSpan']/@*[local-name()='val']) + count(*[local-name()='tc'][not(*[local-name()='tcPr']/*[local-name()='gridSpan'])]) != 3])")"
    check_eq "ft: tables use the Table style" "Table Table" \
        "$(xpath "$FT/doc.xml" "concat((//*[local-name()='tblStyle'])[1]/@*[local-name()='val'],' ',(//*[local-name()='tblStyle'])[2]/@*[local-name()='val'])")"
    if have pandoc; then
        pandoc -f docx -t native "$G" >"$FT/native.txt"
        check_eq "pandoc: 4 Image and 2 Table" "4 2" "$(grep -c '^ *\[* *Image' "$FT/native.txt") $(grep -c 'Table$\|^, Table\|^\[ Table' "$FT/native.txt")"
        # every cell's text, one a line, from pandoc's JSON
        pandoc -f docx -t json "$G" | python3 -c '
import json, sys
def text(x):
    if isinstance(x, dict):
        t = x.get("t")
        if t == "Str": return x["c"]
        if t in ("Space", "SoftBreak"): return " "
        return text(x.get("c", []))
    if isinstance(x, list): return "".join(text(i) for i in x)
    return ""
def walk(x):
    if isinstance(x, list):
        if len(x) == 5 and isinstance(x[0], list) and isinstance(x[4], list) and x[1] in ({"t": "AlignDefault"},) :
            print(text(x[4]).strip())
        for i in x: walk(i)
    elif isinstance(x, dict): walk(x.get("c", []))
walk(json.load(sys.stdin)["blocks"])' >"$FT/cells.txt"
        check_eq "pandoc: every cell in row order" \
            "Ngành|Điểm chuẩn|Y khoa|28,15|A00, B00|Răng - Hàm - Mặt|27,5|Dược học|26,1|A00|Ngày|Mua|Bán|Thứ hai|66,5|67,1|Thứ ba|không giao dịch|Thứ tư" \
            "$(grep -v '^$' "$FT/cells.txt" | tr '\n' '|' | sed 's/|$//')"
        check_eq "pandoc: a 2-column-wide cell" 2 "$(grep -c '(ColSpan 2)' "$FT/native.txt")"
        check_eq "pandoc: a 2-row-high cell" 1 "$(grep -c '(RowSpan 2)' "$FT/native.txt")"
    else
        skip "pandoc reads images and tables" "pandoc not installed"
    fi
    # an absolute src, read from standard input: found all the same
    sed "s|images/|nowhere/|g; s|nowhere/photo.jpg|$FT/images/photo.jpg|" "$FT/figures-tables.xml" >"$FT/abs.xml"
    check_status "an absolute src, the XML on standard input" 0 sh -c "'$X' -o '$FT/abs.docx' <'$FT/abs.xml'"
    check_eq "... embeds the photo" "word/media/image1.jpeg" "$(unzip -Z1 "$FT/abs.docx" | grep '^word/media/')"
    check_status "-d: figures and tables, one file per article" 0 "$X" -q -d "$FT/d" "$FT/figures-tables.xml"
    check_eq "... each with its own images" "3 1" \
        "$(for f in "$FT"/d/*.docx; do unzip -Z1 "$f" | grep -c '^word/media/'; done | tr '\n' ' ' | sed 's/ $//')"
else
    skip "figures and tables" "cjpeg (libjpeg-turbo-progs) or python3 missing"
    G=
fi

# ---- page numbers and the contents -------------------------------------
unzip -p "$R" word/footer1.xml >"$TMP/footer.xml"
P="//*[local-name()='p']"
check_eq "the footer: 'Trang ' PAGE '/' NUMPAGES" "Trang | PAGE |/| NUMPAGES " \
    "$(xpath "$TMP/footer.xml" "concat($P/*[local-name()='r'][1],'|',$P/*[local-name()='fldSimple'][1]/@*[local-name()='instr'],'|',$P/*[local-name()='r'][2],'|',$P/*[local-name()='fldSimple'][2]/@*[local-name()='instr'])")"
check_eq "the section refers to it" "rId4 footer1.xml" \
    "$(xpath "$TMP/rdoc.xml" "string(//*[local-name()='footerReference']/@*[local-name()='id'])") $(xpath "$TMP/rrels.xml" "string(//*[@Id='rId4']/@Target)")"
check_status "--lang en" 0 "$X" --lang en -o "$TMP/en.docx" "$FIX/docx/rich.xml"
check "... 'Page N of M' and 'Contents'" sh -c \
    "unzip -p '$TMP/en.docx' word/footer1.xml | grep -q '>Page </w:t>.*NUMPAGES' && unzip -p '$TMP/en.docx' word/footer1.xml | grep -q '> of </w:t>' && unzip -p '$TMP/en.docx' word/document.xml | grep -q '>Contents</w:t>'"
check_eq "the contents are filled in: one linked entry per article" 2 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='p'][*[local-name()='pPr']/*[local-name()='pStyle']/@*[local-name()='val']='TOC1']/*[local-name()='hyperlink'][starts-with(@*[local-name()='anchor'],'_Toc')])")"
check_eq "... each linking to a bookmark on its article's title" 2 \
    "$(xpath "$TMP/rdoc.xml" "count(//*[local-name()='p'][*[local-name()='pPr']/*[local-name()='pStyle']/@*[local-name()='val']='Title']/*[local-name()='bookmarkStart'][@*[local-name()='name']=//*[local-name()='hyperlink']/@*[local-name()='anchor']])")"
if have python3; then
    # a reference document that numbers its pages in the header
    python3 - "$R" "$TMP/hdr-ref.docx" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as out:
    for n in z.namelist():
        d = z.read(n)
        if n == "word/footer1.xml":
            n, d = "word/header1.xml", d.replace(b"w:ftr", b"w:hdr")
        d = d.replace(b"footerReference", b"headerReference").replace(b"footer1.xml", b"header1.xml")
        d = d.replace(b"relationships/footer", b"relationships/header").replace(b"footer+xml", b"header+xml")
        out.writestr(n, d)
PY
    check_status "--reference-doc with page numbers in its header" 0 "$X" --reference-doc "$TMP/hdr-ref.docx" -o "$TMP/hdr.docx" "$FIX/docx/rich.xml"
    check "... puts ours in the header too" sh -c \
        "unzip -Z1 '$TMP/hdr.docx' | grep -qx word/header1.xml && ! unzip -Z1 '$TMP/hdr.docx' | grep -q footer && unzip -p '$TMP/hdr.docx' word/header1.xml | grep -q 'w:pStyle w:val=\"Header\"'"
fi

# ---- many articles --------------------------------------------------
M=$TMP/many.docx
if [ -n "$CORPUS" ] && [ -d "$CORPUS/vi-text/dantri-unc" ]; then
    ls "$CORPUS"/vi-text/dantri-unc/*.txt | head -n 50 | xargs "$BIN/news2xml" -o "$TMP/many.xml"
    check_eq "50 corpus articles as XML" 50 "$(grep -c '<article ' "$TMP/many.xml")"
    check_status "one .docx of 50 articles" 0 "$X" -o "$M" "$TMP/many.xml"
    check "... well-formed parts" every_part_wellformed "$M"
    check_eq "... 50 titles" 50 \
        "$(unzip -p "$M" word/document.xml | xmllint --xpath "count(//*[local-name()='pStyle'][@*[local-name()='val']='Title'])" -)"
    check_status "-d: one file per article" 0 "$X" -q -d "$TMP/dir" "$TMP/many.xml"
    check_eq "... 50 files" 50 "$(ls "$TMP/dir" | wc -l | tr -d ' ')"
    check_eq "... all named YYYY-MM-DD-slug.docx" 50 \
        "$(ls "$TMP/dir" | grep -cE '^([0-9]{4}-[0-9]{2}-[0-9]{2}|undated)-[a-z0-9-]+\.docx$')"
    bad=0
    for f in "$TMP"/dir/*.docx; do unzip -tq "$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
    check_eq "... every one passes unzip -t" 0 "$bad"
else
    skip "one .docx of 50 corpus articles" "corpus not found (../shared/corpus)"
    M=
fi
check_status "-d on the fixture" 0 "$X" -d "$TMP/rd" "$FIX/docx/rich.xml"
cp "$TMP/.out" "$TMP/rd.err"
check_eq "-d shows no progress bar when standard error is not a terminal" 0 "$(grep -c articles "$TMP/rd.err")"
if have script; then
    script -qec "'$X' -d '$TMP/rdt' '$FIX/docx/rich.xml'" /dev/null </dev/null >"$TMP/tty.out" 2>&1
    check_contains "-d on a terminal shows a progress bar" "$TMP/tty.out" "] 2/2 articles"
    script -qec "'$X' -q -d '$TMP/rdq' '$FIX/docx/rich.xml'" /dev/null </dev/null >"$TMP/ttyq.out" 2>&1
    check "... and -q silences it" sh -c "! grep -q articles '$TMP/ttyq.out'"
else
    skip "-d on a terminal shows a progress bar" "script(1) not installed"
fi
check_eq "-d: dated and undated names" "2023-12-28-hoi-nghi-tong-ket-cong-tac-nam-2023.docx undated-bai-thu-hai.docx" \
    "$(ls "$TMP/rd" | tr '\n' ' ' | sed 's/ $//')"

# ---- external readers: LibreOffice and the Open XML SDK validator ------
if sanitized; then
    skip "LibreOffice converts the documents" "sanitizer build: external readers run in the plain build"
    skip "the Open XML SDK validator" "sanitizer build: external readers run in the plain build"
    exit 0
fi

if have soffice && have pdftotext; then
    mkdir -p "$TMP/pdf"
    timeout 900 soffice -env:UserInstallation="file://$TMP/lo" --headless \
        --convert-to pdf --outdir "$TMP/pdf" "$D" "$R" ${M:+"$M"} >"$TMP/soffice.log" 2>&1
    for f in "$D" "$R" ${M:+"$M"}; do
        b=$(basename "$f" .docx)
        xml=$TMP/$b.xml; [ "$b" = rich ] && xml=$FIX/docx/rich.xml
        check "LibreOffice converts $b.docx" test -s "$TMP/pdf/$b.pdf"
        pdftotext "$TMP/pdf/$b.pdf" - 2>/dev/null | oneline >"$TMP/$b.pdf.txt"
        n=$(xpath "$xml" 'count(//article)'); i=1; missing=0
        while [ "$i" -le "$n" ]; do
            t=$(xpath "$xml" "string(//article[$i]/title)" | oneline)
            grep -qF -- "$t" "$TMP/$b.pdf.txt" || { missing=$((missing + 1)); echo "# missing: $t"; }
            i=$((i + 1))
        done
        check_eq "pdftotext of $b.pdf holds all $n titles" 0 "$missing"
    done
    check "LibreOffice reports no error" sh -c "! grep -qi 'error' '$TMP/soffice.log'"
    pdftotext -f 1 -l 1 "$TMP/pdf/rich.pdf" - | oneline >"$TMP/rich.p1.txt"
    check_eq "LibreOffice: the contents page lists both titles, with no field left to fill" \
        "Mục lục Hội nghị tổng kết công tác năm 2023 Bài thứ hai Trang 1/3" "$(cat "$TMP/rich.p1.txt")"
    check_eq "LibreOffice: 'Trang N/3' at the foot of every page" "Trang 1/3 Trang 2/3 Trang 3/3" \
        "$(pdftotext "$TMP/pdf/rich.pdf" - | grep -o 'Trang [0-9]*/[0-9]*' | tr '\n' ' ' | sed 's/ $//')"
    if [ -n "$G" ]; then
        timeout 900 soffice -env:UserInstallation="file://$TMP/lo" --headless \
            --convert-to pdf --outdir "$TMP/pdf" "$G" >"$TMP/soffice-ft.log" 2>&1
        check "LibreOffice converts ft.docx" test -s "$TMP/pdf/ft.pdf"
        check_eq "LibreOffice: pdfimages lists the 4 pictures at their pixel sizes" \
            "800x533 1950x325 40x30 800x533" \
            "$(pdfimages -list "$TMP/pdf/ft.pdf" | awk 'NR > 2 { printf "%s%sx%s", (NR > 3 ? " " : ""), $4, $5 }')"
        pdftotext -layout "$TMP/pdf/ft.pdf" "$TMP/ft.layout.txt"
        for row in "Ngành +Điểm chuẩn" "Y khoa +28,15 +A00, B00" "Răng - Hàm - Mặt +27,5" "Dược học +26,1 +A00" \
                   "Ngày +Mua +Bán" "Thứ hai +66,5 +67,1" "Thứ ba +không giao dịch" "Thứ tư"; do
            check "LibreOffice: the row '$row' reads in order" grep -qE "^ *$row *\$" "$TMP/ft.layout.txt"
        done
    fi
    # styles survive a round trip through LibreOffice (.docx back to .docx)
    timeout 900 soffice -env:UserInstallation="file://$TMP/lo" --headless \
        --convert-to 'docx:MS Word 2007 XML' --outdir "$TMP/rt" "$R" >"$TMP/soffice-rt.log" 2>&1
    unzip -p "$TMP/rt/rich.docx" word/styles.xml >"$TMP/rtstyles.xml" 2>/dev/null
    for s in Title Date Byline Quote "List Paragraph" Hyperlink Related; do
        check_eq "LibreOffice round trip keeps style '$s'" 1 \
            "$(xpath "$TMP/rtstyles.xml" "count(//*[local-name()='style'][*[local-name()='name']/@*[local-name()='val']='$s'])")"
    done
    if have pandoc; then
        pandoc -f docx+styles -t json "$TMP/rt/rich.docx" >"$TMP/rt.json" 2>/dev/null
        check_contains "... and pandoc still sees 'Byline' on the byline after it" "$TMP/rt.json" '["custom-style","Byline"]'
    fi
else
    skip "LibreOffice converts the documents" "soffice or pdftotext not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
fi

V=$TOP/tests/.node/node_modules/.bin/ooxml-validate
if [ ! -x "$V" ] && have npm; then
    npm install --silent --prefix "$TOP/tests/.node" @ooxml-tools/validate >/dev/null 2>&1
fi
if [ -x "$V" ]; then
    for f in "$D" "$R" ${G:+"$G"} ${G:+"$FT/abs.docx"} "$TMP/hdr.docx" ${M:+"$M"}; do
        for ov in Microsoft365 Office2007; do
            out=$("$V" --of json --ov "$ov" "$f" 2>&1)
            check_eq "Open XML SDK ($ov): no error in $(basename "$f")" "[]" "$(echo "$out" | tr -d ' \n')"
        done
    done
    # the validator itself finds errors (pandoc's own .docx has some)
    if have pandoc; then
        pandoc -o "$TMP/pandoc.docx" "$TMP/dongda.xml" -f markdown 2>/dev/null
        check "the validator does report errors (pandoc's .docx)" sh -c \
            "'$V' --of json --ov Office2007 '$TMP/pandoc.docx' | grep -q description"
    fi
else
    skip "the Open XML SDK validator" "npm could not install @ooxml-tools/validate"
fi
