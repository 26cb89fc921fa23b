#!/bin/sh
# End-to-end tests of newsgrep: what a user sees on stdout, stderr and in
# the exit status, checked with independent readers (xmllint, python3).
. "$(dirname "$0")/lib.sh"

NG=$BIN/newsgrep
F=$FIX/newsgrep
S=$F/spellings.xml

# ids of the articles newsgrep keeps (-l), on one line
ids() { "$NG" -l "$@" | cut -f2 | tr '\n' ' ' | sed 's/ $//'; }

# ---- options ----
check_status "--help exits 0" 0 "$NG" --help
"$NG" --help >"$TMP/help" 2>/dev/null
check_contains "--help prints the usage on stdout" "$TMP/help" "Usage: newsgrep"
check_contains "--version names the tool" "$("$NG" --version >"$TMP/v"; echo "$TMP/v")" "newsgrep (bantin)"
check_status "-h exits 0" 0 "$NG" -h
"$NG" -h >"$TMP/h" 2>/dev/null
check "-h prints the same usage as --help" cmp "$TMP/h" "$TMP/help"
check_status "no pattern is an error" 2 "$NG"
check_status "an unknown option is an error" 2 "$NG" --bogus x "$S"
"$NG" --bogus x "$S" >"$TMP/out" 2>"$TMP/err"
check_eq "an unknown option: one line and the pointer at --help, nothing on stdout" \
    "newsgrep: unknown option '--bogus'|Try 'newsgrep --help' for more information.|0" \
    "$(tr '\n' '|' <"$TMP/err")$(wc -c <"$TMP/out" | tr -d ' ')"
"$NG" -Z x "$S" 2>"$TMP/err"
check_contains "an unknown short option is named" "$TMP/err" "newsgrep: unknown option '-Z'"
"$NG" x "$S" -e 2>"$TMP/err"; st=$?
check_eq "an option without its value: exit 2, named" "2:newsgrep: option '-e' needs a value" \
    "$st:$(head -n 1 "$TMP/err")"
"$NG" --since 2023-08-01 --until 2023-07-01 x "$S" >"$TMP/out" 2>"$TMP/err"; st=$?
check_eq "--since after --until: exit 2, one message, no output" "2:2:0" \
    "$st:$(wc -l <"$TMP/err" | tr -d ' '):$(wc -c <"$TMP/out" | tr -d ' ')"
check_contains "--since after --until says so" "$TMP/err" "--since 2023-08-01 comes after --until 2023-07-01"
"$NG" --lang vietnamese x "$S" 2>"$TMP/err"; st=$?
check_eq "an unknown --lang: exit 2" 2 "$st"
check_contains "an unknown --lang is named" "$TMP/err" 'newsgrep: --lang: unknown language code "vietnamese"'
check_status "--lang xx (no such language): exit 2" 2 "$NG" --lang xx x "$S"
check_status "--lang vi-VN is a language (no article is vi-VN: exit 1)" 1 \
    "$NG" -q --lang vi-VN "quan uy" "$S"
"$NG" --in title,bogus x "$S" 2>"$TMP/err"; st=$?
check_eq "--in with an unknown field: exit 2" 2 "$st"
check_contains "--in names the unknown field" "$TMP/err" 'newsgrep: --in: unknown field "bogus"'
"$NG" --since soon x "$S" 2>"$TMP/err"; st=$?
check_eq "--since with a bad date: exit 2" 2 "$st"
check_contains "--since says what it could not read" "$TMP/err" 'cannot read the date "soon"'
"$NG" -E 'quan(' "$S" 2>"$TMP/err"; st=$?
check_eq "a bad regular expression: exit 2" 2 "$st"
check_contains "a bad regular expression is named" "$TMP/err" 'invalid regular expression "quan("'

# ---- spellings the way people type ----
all_quan="a000000000000001 a000000000000002 a000000000000003 a000000000000004 a000000000000005 a000000000000006 a000000000000001 a000000000000008 a000000000000009 a00000000000000a"
check_eq "quan uy finds every spelling (tones, NFD, capitals, &#…;, <em>)" "$all_quan" "$(ids "quan uy" "$S")"
check_eq "QUAN UY (capitals) finds only capitals" "a000000000000003" "$(ids "QUAN UY" "$S")"
check_eq "-i ignores case even with capitals" "$all_quan" "$(ids -i "QUAN UY" "$S")"
check_eq "Quận ủy (capital) matches its case, either tone placement" \
    "a000000000000001 a000000000000002 a000000000000004 a000000000000005 a000000000000006 a000000000000001 a000000000000009 a00000000000000a" \
    "$(ids "Quận ủy" "$S")"
check_eq "dong da finds Đống Đa (đ = d) and Dong Da" \
    "a000000000000001 a000000000000001 a000000000000007" "$(ids "dong da" "$S")"
check_eq "hòa finds hoà and hòa, not hóa" "a000000000000002 a000000000000003" "$(ids "hòa" "$S")"
check_eq "hoà finds the same" "a000000000000002 a000000000000003" "$(ids "hoà" "$S")"
check_eq "thuỷ = thủy" "$(ids "thủy" "$S")" "$(ids "thuỷ" "$S")"
check_eq "nino finds El Niño" "a000000000000006" "$(ids nino "$S")"
check_eq "entities are text: at&t, <news>" "a000000000000007 a000000000000007" \
    "$(ids "at&t" "$S") $(ids "<news>" "$S")"
check_eq "--exact: tone placement and case count" "a000000000000002" "$(ids --exact "Quận uỷ" "$S")"
check_eq "--exact: no diacritic folding" "" "$(ids --exact "quan uy" "$S")"
check_eq "-w: whole words" "a000000000000006" "$(ids -w "ha" "$S")"
check "without -w, parts of words too" test "$("$NG" -c "ha" "$S")" -gt 1
check_eq "-E: a regular expression over folded text" "a000000000000003" "$(ids -E "^quan uy hoan" "$S")"
check_eq "-e twice: either" "a000000000000007 a00000000000000b" "$(ids -e "bong da" -e "weather" "$S")"
check_eq "--all: both" "a000000000000001 a000000000000001" "$(ids --all -e "quan uy" -e "dong da" "$S")"
check_eq "-t: must be in the title" "a000000000000006" "$(ids -t "thoi tiet" "$S")"
check_eq "-t and -e: both" "" "$(ids -t "thoi tiet" -e "dong da" "$S")"
check_eq "-t and -e: both, found" "a000000000000006" "$(ids -t "thoi tiet" -e "el nino" "$S")"
check_eq "comments inside an article do not hide text" "a00000000000000b" "$(ids "tran dau" "$S")"
check_eq "--in byline" "a000000000000001 a000000000000001" "$(ids --in byline "van hoa" "$S")"
check_eq "--in related" "a00000000000000b" "$(ids --in related "hang viet nam" "$S")"
check_eq "--in source" "a000000000000001 a000000000000001" "$(ids --in source "cong thong tin" "$S")"
check_eq "the default fields are title and body" "" "$(ids "van hoa" "$S")"
check_eq "-v keeps the others" "a000000000000007 a00000000000000b" "$(ids -v "quan uy" "$S")"

# ---- filters ----
check_eq "--since/--until include their own days" \
    "a000000000000001 a000000000000002 a000000000000003 a000000000000004 a000000000000005 a000000000000006 a000000000000001" \
    "$(ids --since 2023-07-01 --until 2023-07-31 "quan uy" "$S")"
check_eq "--since 01/07/2023 is the same day" "$(ids --since 2023-07-01 "quan uy" "$S")" \
    "$(ids --since 01/07/2023 "quan uy" "$S")"
check_eq "--until 30/06/2023" "a000000000000009" "$(ids --until 30/06/2023 "quan uy" "$S")"
check_eq "--since 2023-08-01" "a00000000000000a" "$(ids --since 2023-08-01 "quan uy" "$S")"
check_eq "--unique drops the repeated id" \
    "a000000000000001 a000000000000002 a000000000000003 a000000000000004 a000000000000005 a000000000000006 a000000000000008 a000000000000009 a00000000000000a" \
    "$(ids --unique "quan uy" "$S")"
check_eq "--lang en" "a000000000000007" "$(ids --lang en "dong da" "$S")"
check_eq "--lang vi" "a000000000000001 a000000000000001" "$(ids --lang vi "dong da" "$S")"

# relative dates: articles dated today, yesterday and 8 days ago (the
# dates of Vietnam, where "today" is reckoned)
today=$(TZ=Asia/Ho_Chi_Minh date +%F)
yest=$(TZ=Asia/Ho_Chi_Minh date -d "$today -1 day" +%F 2>/dev/null)
old=$(TZ=Asia/Ho_Chi_Minh date -d "$today -8 days" +%F 2>/dev/null)
if [ -n "$yest" ] && [ -n "$old" ]; then
    {
        echo '<articles version="1">'
        for d in "$today:e000000000000001" "$yest:e000000000000002" "$old:e000000000000003"; do
            printf '<article id="%s"><title>Quận ủy</title><date when="%s">x</date><body><p>x</p></body></article>\n' \
                "${d#*:}" "${d%%:*}"
        done
        echo '</articles>'
    } >"$TMP/rel.xml"
    check_eq "--since 7d" "e000000000000001 e000000000000002" "$(ids --since 7d "quan uy" "$TMP/rel.xml")"
    check_eq "--since today" "e000000000000001" "$(ids --since today "quan uy" "$TMP/rel.xml")"
    check_eq "--since yesterday --until yesterday" "e000000000000002" \
        "$(ids --since yesterday --until yesterday "quan uy" "$TMP/rel.xml")"
else
    skip "relative dates" "date -d is not GNU date"
fi

# ---- output ----
"$NG" "quan uy" "$S" >"$TMP/out.xml"; st=$?
check_eq "a match exits 0" 0 "$st"
valid "the XML output validates against the schema" "$TMP/out.xml"
check_eq "the XML output holds every match" 10 "$(xpath "$TMP/out.xml" "count(//article)")"
"$NG" "" "$S" >"$TMP/all.xml"
check "an empty pattern keeps every article byte for byte" cmp "$S" "$TMP/all.xml"
python3 - "$S" "$TMP/out.xml" >"$TMP/py" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
src = ET.parse(sys.argv[1]).getroot()
out = ET.parse(sys.argv[2]).getroot()
for a in list(src) + list(out):
    a.tail = None
want = [ET.tostring(a) for a in src if a.get("id") in {o.get("id") for o in out}]
got = [ET.tostring(a) for a in out]
print("same" if want == got else "different")
EOF
check_contains "matching articles are unchanged (python's reading)" "$TMP/py" "same"

"$NG" -c "quan uy" "$S" >"$TMP/c"
check_eq "-c counts articles" 10 "$(cat "$TMP/c")"
"$NG" -c -H "quan uy" "$S" "$F/second.xml" >"$TMP/c"
check_eq "-c -H counts per file" "$S:10 $F/second.xml:1" "$(tr '\n' ' ' <"$TMP/c" | sed 's/ $//')"
"$NG" -l "dong da" "$S" >"$TMP/l"
check_eq "-l: file, id, date, title" "$(printf '%s\ta000000000000007\t2023-07-10\tHanoi weather' "$S")" \
    "$(sed -n 3p "$TMP/l")"
"$NG" -O "quan uy" "$F/second.xml" >"$TMP/o"
check_eq "-O: file:id: the match in context" "$F/second.xml:b000000000000001: Quận ủy Cầu Giấy sơ kết" "$(cat "$TMP/o")"
"$NG" -O "el nino" "$S" >"$TMP/o"
check_eq "-O: context reaches the match in a later paragraph" \
    "$S:a000000000000006: Hiện tượng El Niño kéo dài." "$(cat "$TMP/o")"
"$NG" -O --color=always "nino" "$S" >"$TMP/o"
check_contains "--color=always highlights the match" "$TMP/o" "$(printf 'El \033[1;31mNiño\033[0m')"
NO_COLOR=1 "$NG" -O --color=auto "nino" "$S" >"$TMP/o"
check "NO_COLOR and a pipe: no colour" sh -c "! grep -q \"$(printf '\033')\" '$TMP/o'"
"$NG" -O -v "quan uy" "$S" >"$TMP/o"; st=$?
check_eq "-O -v: no snippets, still a match" "0:0" "$st:$(wc -c <"$TMP/o" | tr -d ' ')"
"$NG" --format json "dong da" "$S" >"$TMP/j"
python3 - "$TMP/j" >"$TMP/py" 2>&1 <<'EOF'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(len(objs), objs[0]["id"], objs[0]["title"], objs[2]["lang"], objs[0]["byline"],
      objs[0]["body"][0][:7])
EOF
check_eq "--format json: one object per line" \
    "3 a000000000000001 Ban thường vụ Quận ủy Đống Đa làm việc en Phòng Văn hóa Ngày 1/" "$(cat "$TMP/py")"
"$NG" -q "quan uy" "$S" >"$TMP/q"; st=$?
check_eq "-q: exit 0, no output" "0:0" "$st:$(wc -c <"$TMP/q" | tr -d ' ')"
"$NG" -o "$TMP/o.xml" "quan uy" "$S" >"$TMP/stdout"; st=$?
check_eq "-o FILE: exit 0, nothing on stdout" "0:0" "$st:$(wc -c <"$TMP/stdout" | tr -d ' ')"
valid "-o FILE writes a valid document" "$TMP/o.xml"
check "-o FILE holds what stdout would" cmp "$TMP/o.xml" "$TMP/out.xml"
"$NG" -c -o "$TMP/c.txt" "quan uy" "$S"
check_eq "-o FILE with -c" 10 "$(cat "$TMP/c.txt")"
echo keep >"$TMP/kept.xml"
"$NG" -o "$TMP/kept.xml" "quan uy" "$F/malformed.xml" 2>/dev/null
valid "-o FILE after a bad input: still a complete document" "$TMP/kept.xml"

# JSON: every key, null when the article lacks it; the page file
"$NG" --format json "" "$S" "$F/issue12.xml" >"$TMP/j"
python3 - "$TMP/j" >"$TMP/py" 2>&1 <<'EOF2'
import json, sys
keys = ["file", "id", "lang", "title", "date", "when", "byline", "section", "source",
        "href", "page", "body", "related"]
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
bad = [o.get("id") for o in objs if list(o) != keys]
a1 = [o for o in objs if o["id"] == "a000000000000001"][0]
a8 = [o for o in objs if o["id"] == "a000000000000008"][0]
t = [o for o in objs if o["id"] == "c000000000000005"][0]
print(len(objs), bad, a1["page"], a1["href"], a8["when"], a8["byline"], a8["page"], a8["related"],
      t["body"])
EOF2
check_eq "--format json: every key in order, null when absent, page from source/@file" \
    "19 [] a1.txt https://example.vn/a1 None None None [] ['Kết quả bầu cử', 'Quận\tủy']" "$(cat "$TMP/py")"

# ---- exit status, errors, empty input ----
"$NG" "khong co dau" "$S" >"$TMP/none.xml"; st=$?
check_eq "no match exits 1" 1 "$st"
valid "no match still writes a valid (empty) document" "$TMP/none.xml"
"$NG" "quan uy" "$F/empty.xml" >"$TMP/e.xml"; st=$?
check_eq "an empty file: no match, no error" 1 "$st"
valid "an empty file gives an empty document" "$TMP/e.xml"
printf '' | "$NG" -c x >"$TMP/c"; st=$?
check_eq "an empty stdin: count 0, exit 1" "1:0" "$st:$(cat "$TMP/c")"
check_status "an <articles/> document: exit 1" 1 "$NG" x "$F/no-articles.xml"
cat "$S" | "$NG" -c "quan uy" >"$TMP/c"
check_eq "reads standard input" 10 "$(cat "$TMP/c")"

"$NG" "quan uy" "$F/second.xml" "$F/malformed.xml" "$S" >"$TMP/m.xml" 2>"$TMP/err"; st=$?
check_eq "a malformed file among good ones: exit 2" 2 "$st"
check_eq "one error line" 1 "$(wc -l <"$TMP/err" | tr -d ' ')"
check "the error is newsgrep: file:line:col: what" \
    grep -Eq "^newsgrep: $F/malformed.xml:11:[0-9]+: .+" "$TMP/err"
valid "the output is still a valid document" "$TMP/m.xml"
check_eq "the good files (and the good part) are still searched" \
    "b000000000000001 c000000000000001 a000000000000001" \
    "$(xpath "$TMP/m.xml" '//article/@id' | tr ' ' '\n' | sed -n 's/^id="\(.*\)"/\1/p' | sed -n '1,3p' | tr '\n' ' ' | sed 's/ $//')"
# Damaged articles that match in their title: the search needs only the
# title, but what is written out is read whole first, and a damaged one is
# an error, never passed on (xml2pdf would refuse the output).
{
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<articles version="1">\n'
    printf '<article id="d000000000000001"><title>Quận ủy họp</title><body><p>Tốt.</p></body></article>\n'
    printf '<article id="d000000000000002"><title>Quận ủy</title><body><p>Hà Nội <b>mưa</b> to</p></body></article>\n'
    printf '<article id="d000000000000003"><title>Quận ủy</title><body><p>Hà Nội <em>mưa</p></body></article>\n'
    printf '<article id="d000000000000004"><title>Quận ủy</title><body><p>Hà \377\376 Nội</p></body></article>\n'
    printf '<article id="d000000000000005"><title>Quận ủy</title><body><p>a\001b</p></body></article>\n'
    printf '<article id="d000000000000006"><title>Quận ủy</title><body><p x=1>c</p></body></article>\n'
    printf '<article id="d000000000000007"><title>Quận ủy cuối</title><body><p>Tốt.</p></body></article>\n'
    printf '</articles>\n'
} >"$TMP/damaged.xml"
"$NG" "quan uy" "$TMP/damaged.xml" >"$TMP/d.xml" 2>"$TMP/err"; st=$?
check_eq "damaged articles written out: exit 2, one line for each of the five" "2:5" \
    "$st:$(wc -l <"$TMP/err" | tr -d ' ')"
check "each says newsgrep: file:line:col: what" \
    sh -c "! grep -Ev '^newsgrep: $TMP/damaged.xml:[4-8]:[0-9]+: .+' '$TMP/err'"
check_contains "an element the format has not is named" "$TMP/err" "unexpected element <b> in <p>"
valid "what is written is still a valid document" "$TMP/d.xml"
check_eq "the good articles, and only those, are written" "d000000000000001 d000000000000007" \
    "$(xpath "$TMP/d.xml" '//article/@id' | sed -n 's/.*id="\(.*\)"/\1/p' | tr '\n' ' ' | sed 's/ $//')"
"$BIN/xml2pdf" -o "$TMP/d.pdf" "$TMP/d.xml" 2>"$TMP/err2"; st=$?
check_eq "xml2pdf reads what newsgrep wrote" "0:" "$st:$(cat "$TMP/err2")"
printf '<articles version="1"><article id="d000000000000008"><title>Tin</title><body><p>mưa <b>quận ủy</b></p></body></article></articles>\n' >"$TMP/inner.xml"
"$NG" -c "quan uy" "$TMP/inner.xml" >/dev/null 2>"$TMP/err"; st=$?
check_eq "a match inside an element the format has not: an error, not a quiet no" "2:1" \
    "$st:$(wc -l <"$TMP/err" | tr -d ' ')"
"$NG" "quan uy" "$F/truncated.xml" >/dev/null 2>"$TMP/err"; st=$?
check_eq "a truncated file: exit 2" 2 "$st"
check_contains "a truncated file: where the input ends" "$TMP/err" \
    "newsgrep: $F/truncated.xml:11:26: the input ends too early (the document is cut off)"
"$NG" x "$TMP/missing.xml" >/dev/null 2>"$TMP/err"; st=$?
check_eq "a missing file: exit 2" 2 "$st"
check_contains "a missing file is named" "$TMP/err" "newsgrep: $TMP/missing.xml: No such file or directory"
check_status "a directory without -r is an error" 2 "$NG" x "$F"

mkdir -p "$TMP/tree/sub"
cp "$S" "$TMP/tree/a.xml"
cp "$F/second.xml" "$TMP/tree/sub/b.xml"
echo "quan uy, not an article file" >"$TMP/tree/sub/notes.txt"
"$NG" -r -c "quan uy" "$TMP/tree" >"$TMP/c" 2>"$TMP/err"; st=$?
check_eq "-r searches the .xml files under DIR" "0:11" "$st:$(cat "$TMP/c")"

mkdir -p "$TMP/emptydir"
"$NG" -r -c x "$TMP/emptydir" >"$TMP/c" 2>"$TMP/err"; st=$?
check_eq "-r, an empty folder: exit 1 (no match), a count of 0, nothing on stderr" "1:0:" \
    "$st:$(cat "$TMP/c"):$(cat "$TMP/err")"

# symbolic links under -r: passed over with one notice, or --follow
ln -s "$TMP/tree/a.xml" "$TMP/tree/sub/c.xml"
ln -s "$TMP/tree" "$TMP/tree/sub/loop"
"$NG" -r -c "quan uy" "$TMP/tree" >"$TMP/c" 2>"$TMP/err"; st=$?
check_eq "-r: links passed over, the count as before, one notice" \
    "0:11:newsgrep: skipped 2 symbolic links (--follow follows them)" "$st:$(cat "$TMP/c"):$(cat "$TMP/err")"
check_eq "-q -r: no notice, the status alone" "1:" "$("$NG" -q -r "khong co dau" "$TMP/tree" 2>&1; echo "$?:")"
"$NG" -r --follow -c -H "quan uy" "$TMP/tree" >"$TMP/c" 2>"$TMP/err"; st=$?
check_eq "--follow: the linked file counted too, the loop named and not walked" \
    "0:3:1" "$st:$(wc -l <"$TMP/c" | tr -d ' '):$(grep -c 'sub/loop: a link back to a directory it is in, not followed' "$TMP/err")"
check_eq "--follow: the linked file's count is its target's" \
    "$(grep '/a.xml:' "$TMP/c" | cut -d: -f2)" "$(grep '/c.xml:' "$TMP/c" | cut -d: -f2)"
ln -s "$TMP/tree/gone.xml" "$TMP/tree/sub/d.xml"
"$NG" -r --follow -c -H "quan uy" "$TMP/tree" >"$TMP/c" 2>"$TMP/err"; st=$?
check_eq "--follow, a broken link: named, exit 2, and no count line for it (as grep -c)" \
    "2:1:0:3" "$st:$(grep -c 'sub/d.xml: No such file or directory' "$TMP/err"):$(grep -c '/d.xml:' "$TMP/c"):$(wc -l <"$TMP/c" | tr -d ' ')"
rm "$TMP/tree/sub/c.xml" "$TMP/tree/sub/loop" "$TMP/tree/sub/d.xml"

# ---- a closed pipe ends it quietly ----
i=0
{
    echo '<articles version="1">'
    while [ $i -lt 3000 ]; do
        printf '<article id="%016x"><title>Quận ủy %d</title><body><p>Bài số %d về quận ủy.</p></body></article>\n' $i $i $i
        i=$((i + 1))
    done
    echo '</articles>'
} >"$TMP/many.xml"
"$NG" -l "quan uy" "$TMP/many.xml" 2>"$TMP/err" | head -n 1 >/dev/null
check_eq "| head: no message" "" "$(cat "$TMP/err")"
"$NG" "quan uy" "$TMP/many.xml" 2>"$TMP/err" | head -c 100 >/dev/null
check_eq "| head -c: no message" "" "$(cat "$TMP/err")"

# errors far into a stream (past the first reads) still point at their line
{ sed '$d' "$TMP/many.xml"; printf '<article id="ffffffffffffffff"><title>Quận ủy <b>x</title><body/></article>\n</articles>\n'; } >"$TMP/late.xml"
"$NG" -c "quan uy" "$TMP/late.xml" >"$TMP/c" 2>"$TMP/err"; st=$?
check_eq "a bad article after 3000 good ones: exit 2, they still count" "2:3000" "$st:$(cat "$TMP/c")"
check "its error names line 3002" grep -q "^newsgrep: $TMP/late.xml:3002:[0-9]*: " "$TMP/err"
{ sed '$d' "$TMP/many.xml"; printf '  <article id="ffffffffffffffff"><title>Quận ủy' ; } >"$TMP/late2.xml"
"$NG" -c "quan uy" "$TMP/late2.xml" >/dev/null 2>"$TMP/err"
check_contains "a file cut off at line 3002, said where it ends" "$TMP/err" "newsgrep: $TMP/late2.xml:3002:48: the input ends too early (the document is cut off)"

# ---- pipelines ----
if [ -x "$BIN/news2xml" ]; then
    "$BIN/news2xml" "$FIX"/text/dongda-2023-07-12.txt 2>/dev/null | "$NG" "quan uy" >"$TMP/p.xml"
    valid "news2xml | newsgrep gives a valid document" "$TMP/p.xml"
    check_eq "news2xml | newsgrep keeps the article" 1 "$(xpath "$TMP/p.xml" "count(//article)")"
else
    skip "news2xml | newsgrep" "news2xml is not built"
fi
if [ -x "$BIN/xml2pdf" ] && command -v pdftotext >/dev/null 2>&1; then
    "$NG" "dong da" "$S" | "$BIN/xml2pdf" -o "$TMP/out.pdf" 2>"$TMP/err"
    pdftotext "$TMP/out.pdf" "$TMP/pdf.txt" 2>/dev/null
    check_contains "newsgrep | xml2pdf prints the matches" "$TMP/pdf.txt" "Hanoi weather"
else
    skip "newsgrep | xml2pdf" "xml2pdf or pdftotext is missing"
fi
if [ -x "$BIN/xml2docx" ] && command -v unzip >/dev/null 2>&1; then
    "$NG" "dong da" "$S" | "$BIN/xml2docx" -o "$TMP/out.docx" 2>"$TMP/err"
    unzip -p "$TMP/out.docx" word/document.xml >"$TMP/doc.xml" 2>/dev/null
    check_contains "newsgrep | xml2docx writes the matches" "$TMP/doc.xml" "Hanoi weather"
else
    skip "newsgrep | xml2docx" "xml2docx or unzip is missing"
fi

# ---- issue 12, case by case: OPTIONS|PATTERN|the ids it keeps|what ----
I=$F/issue12.xml
c() { printf 'c%015d ' "$@" | sed 's/ $//'; }
while IFS='|' read -r opts pat want why; do
    [ -n "$why" ] || continue
    # shellcheck disable=SC2086
    got=$("$NG" -l $opts -e "$pat" "$I" | cut -f2 | tr '\n' ' ' | sed 's/ $//')
    check_eq "$why" "$want" "$got"
done <<EOF
--in=byline|T.Thủy|$(c 1)|glued to the next word, folded (T.ThủyTổng hợp)
--in=byline --exact|T.Thủy|$(c 1)|the same with --exact
--in=byline|T.Thuỷ|$(c 1)|the same in the other tone placement
|hòa|$(c 1 3)|HòaBình (glued) and hòan (closed syllable)
|thuỷ|$(c 2)|thủyđiện
--exact -i|KHOÁ|$(c 2 3)|--exact -i folds case and tone placement (Khoá, khóa, khóai)
--exact|KHOÁ||--exact alone does not
--exact -i|khoa||--exact -i keeps diacritics
|hoàn|$(c 3)|hoàn finds the misplaced hòan
|khoá|$(c 2 3)|khoá finds khóa and the misplaced khóai
|khoái|$(c 3)|khoái finds khóai
|Đống Đa|$(c 4)|Đ finds Ð (U+00D0, old converters)
|dong da|$(c 4)|d finds Ð
--exact|Đống Đa||--exact: Ð is not Đ
|quan uy||quan uy crosses no table cell nor paragraph
|ket qua bau cu|$(c 5)|a table's caption is body text
-w|uy|$(c 5 6)|a table cell is a block of its own (-w uy)
-w|quan uy||-w quan uy: not across cells nor paragraphs
-E|quận\$|$(c 5 6)|-E: \$ at the end of a block (a cell, a paragraph)
-E|^ủy|$(c 5 6)|-E: ^ at the start of a block
-E|quận\\s+ủy||-E: no match runs from one block into the next
-E|thúc.ở|$(c 6)|-E: . within a block
| ha |$(c 7)|' ha ': Hà between spaces, not chà or Hải
|quan |$(c 4 5 6)|'quan ': quận before a space or at a block's end (a cell), not Quảng
-w|quan |$(c 4 5 6)|-w 'quan ' the same
|  |$(c 1 2 3 4 5 6 7)|white space only: the empty pattern, every article
EOF

# a regular expression that needs too much work: that article is reported,
# the others are still searched
"$NG" -l -E '(\w+\s?)+$' "$F/backtrack.xml" >"$TMP/l" 2>"$TMP/err"; st=$?
check_eq "PCRE2's match limit: exit 2, the other articles kept" "2:d000000000000001 d000000000000003" \
    "$st:$(cut -f2 "$TMP/l" | tr '\n' ' ' | sed 's/ $//')"
check_eq "PCRE2's match limit: one line naming the article" 1 "$(wc -l <"$TMP/err" | tr -d ' ')"
check "the line is newsgrep: file:line:col: what" \
    grep -q "^newsgrep: $F/backtrack.xml:4:3: .*match limit.*left out" "$TMP/err"

# ---- streams: gzip, documents one after another, merging ----
gzip -c "$S" >"$TMP/s.xml.gz"
check_eq "a gzip'd file" 10 "$("$NG" -c "quan uy" "$TMP/s.xml.gz")"
check_eq "gzip'd standard input" 10 "$(gzip -c "$S" | "$NG" -c "quan uy")"
{ gzip -c "$S"; gzip -c "$F/second.xml"; } >"$TMP/two.gz"
check_eq "two gzip members (cat a.gz b.gz)" 11 "$("$NG" -c "quan uy" "$TMP/two.gz")"
head -c 300 "$TMP/s.xml.gz" >"$TMP/cut.gz"
"$NG" -c x "$TMP/cut.gz" >/dev/null 2>"$TMP/err"; st=$?
check_eq "a gzip file cut short: exit 2, named" "2:newsgrep: $TMP/cut.gz: the gzip data is cut short" \
    "$st:$(cat "$TMP/err")"
cat "$S" "$F/second.xml" "$I" | "$NG" "" >"$TMP/cat.xml"; st=$?
want=$(( $(xpath "$S" "count(//article)") + $(xpath "$F/second.xml" "count(//article)") + 7 ))
check_eq "cat a.xml b.xml c.xml | newsgrep: every document searched" "0:$want" \
    "$st:$(xpath "$TMP/cat.xml" "count(//article)")"
valid "… into one valid document" "$TMP/cat.xml"
mkdir -p "$TMP/gztree"
cp "$TMP/s.xml.gz" "$TMP/gztree/a.xml.gz"
cp "$F/second.xml" "$TMP/gztree/b.xml"
check_eq "-r searches *.xml.gz too" 11 "$("$NG" -r -c "quan uy" "$TMP/gztree")"

# merging archives: newsgrep --unique '' parts…
mkdir -p "$TMP/parts"
python3 - "$S" "$TMP/parts" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
lines = text.split("\n", 2)
head, rest = lines[:2], lines[2]
arts = ["  <article" + a for a in rest.split("  <article")[1:]]
arts[-1] = arts[-1].replace("</articles>\n", "")
def part(name, chosen):
    with open(sys.argv[2] + "/" + name, "w", encoding="utf-8") as f:
        f.write("\n".join(head) + "\n" + "".join(chosen) + "</articles>\n")
part("p1.xml", arts[0:3])   # articles 1-3
part("p2.xml", arts[1:6])   # articles 2-6: they overlap
EOF
gzip -c "$S" >"$TMP/parts/p3.xml.gz"                   # all of them again
valid "the first part is a document" "$TMP/parts/p1.xml"
valid "the second part is a document" "$TMP/parts/p2.xml"
"$NG" --unique '' -o "$TMP/merged.xml" "$TMP/parts/p1.xml" "$TMP/parts/p2.xml" \
    "$TMP/parts/p3.xml.gz"; st=$?
check_eq "merging: exit 0" 0 "$st"
valid "merging: a valid document" "$TMP/merged.xml"
python3 - "$TMP/merged.xml" "$S" >"$TMP/py" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
out = list(ET.parse(sys.argv[1]).getroot())
src = list(ET.parse(sys.argv[2]).getroot())
ids = [a.get("id") for a in out]
want = []
for a in src:
    if a.get("id") not in want:
        want.append(a.get("id"))
for a in out + src:
    a.tail = None
first = {}
for a in src:
    first.setdefault(a.get("id"), ET.tostring(a))
same = all(ET.tostring(a) == first[a.get("id")] for a in out)
print(len(ids), len(set(ids)), ids == want, same)
EOF
check_eq "merging: each article once (11 ids), in input order, unchanged" "11 11 True True" "$(cat "$TMP/py")"

# ---- real news: newsgrep agrees with an independent folding in python ----
if [ -n "$CORPUS" ] && [ -x "$BIN/news2xml" ]; then
    ls "$CORPUS"/vi-text/dantri-unc/*.txt | head -n 400 >"$TMP/list"
    xargs "$BIN/news2xml" <"$TMP/list" >"$TMP/corpus.xml" 2>/dev/null
    for q in "quan uy" "ha noi" "covid" "bong da"; do
        got=$("$NG" -c "$q" "$TMP/corpus.xml")
        want=$(python3 - "$TMP/corpus.xml" "$q" <<'EOF'
import sys, unicodedata, xml.etree.ElementTree as ET
def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return " ".join(s.lower().split())
q = fold(sys.argv[2])
n = 0
for a in ET.parse(sys.argv[1]).getroot():
    texts = ["".join(a.find("title").itertext())]
    for b in a.find("body").iter():
        if b.tag in ("p", "h", "quote", "item", "caption"):
            texts.append("".join(b.itertext()))
    n += any(q in fold(t) for t in texts)
print(n)
EOF
)
        check_eq "corpus: \"$q\" counts as python's folding does ($want)" "$want" "$got"
    done
    # the independent oracle (tests/e2e/newsgrep_oracle.py) on spelling
    # variants of the corpus (NFD, tone marks moved, upper case, glued
    # words) and generated queries; and --exact never finds more
    python3 "$TOP/tests/e2e/newsgrep_oracle.py" "$NG" "$TMP/corpus.xml" --articles 60 \
        --queries 120 --seed 7 >"$TMP/oracle" 2>&1; st=$?
    sed 's/^/# /' "$TMP/oracle" | head -n 12
    check_eq "the oracle agrees on every query ($(grep agreement "$TMP/oracle"))" 0 "$st"
    check "folding finds whatever --exact finds ($(grep invariant "$TMP/oracle"))" \
        grep -Eq "^invariant: ([0-9]+)/\\1 " "$TMP/oracle"
else
    skip "corpus agreement" "no corpus or no news2xml"
    skip "the oracle" "no corpus or no news2xml"
    skip "folding finds whatever --exact finds" "no corpus or no news2xml"
fi

# ---- a big archive: mapped whole, paged by a helper thread ----
# 54 MB (16,384 copies of the spellings file, one document after another)
# is past the size that gets the helper (lib/xml_map.c); every count and
# byte must be what the read path (a pipe) gives.
cp "$S" "$TMP/big.xml"
for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
    cat "$TMP/big.xml" "$TMP/big.xml" >"$TMP/big2.xml" && mv "$TMP/big2.xml" "$TMP/big.xml"
done
one=$("$NG" -c "quan uy" "$S")
check_eq "big archive: -c counts every copy" "$((one * 16384))" "$("$NG" -c "quan uy" "$TMP/big.xml")"
"$NG" "quan uy" "$TMP/big.xml" | cksum >"$TMP/big.map"
cat "$TMP/big.xml" | "$NG" "quan uy" | cksum >"$TMP/big.read"
check_eq "big archive: the articles written are those the read path writes" \
    "$(cat "$TMP/big.read")" "$(cat "$TMP/big.map")"
# a damaged article near the end: the same place named either way
printf '<articles>\n<article id="x"><title>quan uy</title><body><p>a <b>b</b></p></body></article>\n</articles>\n' \
    >>"$TMP/big.xml"
"$NG" "quan uy" "$TMP/big.xml" >/dev/null 2>"$TMP/big.err"; st=$?
cat "$TMP/big.xml" | "$NG" "quan uy" >/dev/null 2>"$TMP/big.err2"
check_eq "big archive: a damaged article is named at its line, as when read" \
    "2:$(sed 's/^[^:]*: (standard input)//' "$TMP/big.err2")" \
    "$st:$(sed "s|^[^:]*: $TMP/big.xml||" "$TMP/big.err")"
check "big archive: the damaged article's line is past the copies" \
    grep -q ":$(($(wc -l <"$S") * 16384 + 2)):" "$TMP/big.err"
rm -f "$TMP/big.xml" "$TMP/big.map" "$TMP/big.read"

echo "1..$_n"
