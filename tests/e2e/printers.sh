#!/bin/sh
# What both printers do the same way, read back by independent readers
# (pandoc for the .docx, pdftotext for the PDF): the order (--sort), one
# copy of each story, sections (--group-by section), dates as people read
# them, the shared options, and "nothing to print".
. "$(dirname "$0")/lib.sh"
S=$FIX/print/selection.xml
for tool in pandoc pdftotext; do
    if ! command -v $tool >/dev/null 2>&1; then
        skip "printer tests" "$tool is not installed"
        exit 0
    fi
done

# The lines of a document as a reader sees them, blank ones dropped.
docx_lines() { pandoc -t plain --wrap=none "$1" | sed '/^[[:space:]]*$/d'; }
pdf_lines() { pdftotext -enc UTF-8 -layout "$1" - | sed 's/^[[:space:]]*//; s/[[:space:]]*$//; /^$/d'; }
# The titles of the fixture, in the order they appear in a text, once each.
titles() { grep -o 'Tin [ABCD] [^.]*' | awk '!seen[$0]++'; }

for t in xml2docx xml2pdf; do
    ext=${t#xml2}
    lines() { if [ "$t" = xml2docx ]; then docx_lines "$1"; else pdf_lines "$1"; fi; }

    "$BIN/$t" -q -o "$TMP/in.$ext" "$S"
    check_eq "$t: input order by default, the mobile copy left out" \
        "Tin A về giao thông|Tin B về giá vàng|Tin C về thời tiết|Tin D không ngày" \
        "$(lines "$TMP/in.$ext" | titles | tr '\n' '|' | sed 's/|$//')"
    "$BIN/$t" -o "$TMP/dup.$ext" "$S" 2>"$TMP/dup.err"
    check_contains "$t: says how many duplicates it left out" "$TMP/dup.err" "1 duplicate article left out"

    "$BIN/$t" -q --sort date -o "$TMP/date.$ext" "$S"
    check_eq "$t: --sort date: newest first, the undated last" \
        "Tin B về giá vàng|Tin C về thời tiết|Tin A về giao thông|Tin D không ngày" \
        "$(lines "$TMP/date.$ext" | grep -v 'Mục lục' | titles | tr '\n' '|' | sed 's/|$//')"
    "$BIN/$t" -q --sort oldest -o "$TMP/old.$ext" "$S"
    check_eq "$t: --sort oldest" \
        "Tin A về giao thông|Tin C về thời tiết|Tin B về giá vàng|Tin D không ngày" \
        "$(lines "$TMP/old.$ext" | titles | tr '\n' '|' | sed 's/|$//')"

    "$BIN/$t" -q --keep-duplicates -o "$TMP/keep.$ext" "$S"
    check_eq "$t: --keep-duplicates keeps the mobile copy too" "1" \
        "$(lines "$TMP/keep.$ext" | grep -c 'Bản cho điện thoại' | tr -d ' ')"
    check_eq "$t: which is dropped by default" "0" \
        "$(lines "$TMP/in.$ext" | grep -c 'Bản cho điện thoại' | tr -d ' ')"

    "$BIN/$t" -q --sort date --group-by section -o "$TMP/sec.$ext" "$S"
    lines "$TMP/sec.$ext" >"$TMP/sec.txt"
    # the body: each head, then its articles (the last occurrence of each head)
    order=$(grep -n -x 'Kinh tế\|Thời sự\|Tin khác\|Tin [ABCD] [^.]*' "$TMP/sec.txt" | tail -n 7 | cut -d: -f2- | tr '\n' '|' | sed 's/|$//')
    check_eq "$t: --group-by section: heads, each before its articles" \
        "Kinh tế|Tin B về giá vàng|Thời sự|Tin C về thời tiết|Tin A về giao thông|Tin khác|Tin D không ngày" "$order"

    # dates: machine-like ones as people read them, human ones as printed
    lines "$TMP/in.$ext" >"$TMP/in.txt"
    check_contains "$t: '2023-07-10T08:00:00+07:00' reads 'Thứ hai, 10/07/2023, 08:00'" "$TMP/in.txt" "Thứ hai, 10/07/2023, 08:00"
    check_contains "$t: '20230712' reads 'Thứ tư, 12/07/2023'" "$TMP/in.txt" "Thứ tư, 12/07/2023"
    check_contains "$t: a date written for people is kept" "$TMP/in.txt" "11/07/2023 - 09:00 AM"
    if grep -q '2023-07-10T08\|20230712' "$TMP/in.txt"; then
        fail "$t: no machine-written date is left"
    else
        ok "$t: no machine-written date is left"
    fi

    # nothing to print: a notice and status 1, no file
    printf '<articles version="1"/>\n' >"$TMP/empty.xml"
    check_status "$t: nothing to print exits 1" 1 "$BIN/$t" -o "$TMP/empty.$ext" "$TMP/empty.xml"
    [ -e "$TMP/empty.$ext" ] && fail "$t: and writes no file" || ok "$t: and writes no file"

    # the shared options: the same values accepted and refused
    check_status "$t: four margins TOP,RIGHT,BOTTOM,LEFT" 0 "$BIN/$t" -q -m 20,15,20,30mm -o "$TMP/m.$ext" "$S"
    for p in A3 A5 B5 Letter Legal 200x250mm; do
        check_status "$t: paper $p" 0 "$BIN/$t" -q -p "$p" -o "$TMP/p.$ext" "$S"
    done
    for bad in "-m 400mm" "-p A9" "-L xx" "--sort sideways" "--group-by author"; do
        # shellcheck disable=SC2086
        "$BIN/$t" $bad -o "$TMP/bad.$ext" "$S" >"$TMP/bad.out" 2>&1
        st=$?
        check_eq "$t: '$bad' is refused with status 2" 2 "$st"
        check_eq "$t: ... in one line" 1 "$(wc -l <"$TMP/bad.out" | tr -d ' ')"
    done
    "$BIN/$t" --frobnicate "$S" >"$TMP/unk.out" 2>&1
    check_eq "$t: an unknown option points at --help" "Try '$t --help' for more information." \
        "$(tail -n 1 "$TMP/unk.out")"
done

# English furniture and dates
"$BIN/xml2docx" -q -L en -o "$TMP/en.docx" "$S"
docx_lines "$TMP/en.docx" >"$TMP/en.txt"
check_contains "xml2docx -L en: the contents are 'Contents'" "$TMP/en.txt" "Contents"
unzip -p "$TMP/en.docx" word/footer1.xml 2>/dev/null | grep -q ' of ' &&
    ok "xml2docx -L en: 'Page N of M' in the footer" || fail "xml2docx -L en: 'Page N of M' in the footer"

# the sections' document is valid Open XML
V=$TOP/tests/.node/node_modules/.bin/ooxml-validate
if [ -x "$V" ] && [ "$BUILD_KIND" != sanitized ]; then
    out=$("$V" --of json --ov Microsoft365 "$TMP/sec.docx" 2>&1)
    check_eq "Open XML SDK: no error in the grouped document" "[]" "$(echo "$out" | tr -d ' \n')"
fi
