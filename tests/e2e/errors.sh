#!/bin/sh
# One voice: the same bad inputs through all four tools, and the exact
# line each says (tool: FILE:LINE:COL: what, or tool: FILE: what), its exit
# status, and that nothing reaches standard output.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 2
"$BIN/news2xml" -q -o good.xml "$FIX/text/dongda-2023-07-12.txt"
: >empty.xml
printf '<?xml version="1.0"?>\n<!DOCTYPE articles>\n<articles version="1"/>\n' >doctype.xml
head -c 300 good.xml >cut.xml
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1' >image.png
printf 'hello, this is not XML\n' >text.xml
printf '<articles version="2"/>\n' >v2.xml
printf '<?xml version="1.0"?>\n<articles version="1">\n<article><title>T</title><body><p>x</q></body></article></articles>\n' >mismatch.xml
# an encoding the format does not allow (libxml2 would try it, and print
# its own "encoding error" lines when it fails)
printf '<?xml version="1.0" encoding="UT-F8"?>\n<!-- caf\351 -->\n<articles version="1"/>\n' >latin.xml
mkdir dir

# run TOOL INPUT: the tool on one input, as a user would call it; sets
# OUT (what reached standard output), ERR (standard error) and ST.
run() {
    case $1 in
    news2xml) "$BIN/news2xml" "$2" >out 2>err ;;
    newsgrep) "$BIN/newsgrep" x "$2" >out 2>err ;;
    *) "$BIN/$1" "$2" >out 2>err ;;
    esac
    ST=$?
    OUT=$(wc -c <out | tr -d ' ')
    ERR=$(cat err)
}
# expect TOOL INPUT STATUS LINE: one line on stderr, nothing on stdout.
expect() {
    run "$1" "$2"
    check_eq "$1 $2: status $3, nothing on stdout, one line" "$3|0|$4" "$ST|$OUT|$ERR"
}

for t in news2xml newsgrep xml2docx xml2pdf; do
    expect "$t" missing.xml 2 "$t: missing.xml: No such file or directory"
    expect "$t" doctype.xml 2 "$t: doctype.xml:2:1: a DOCTYPE is not allowed in the article format"
    expect "$t" v2.xml 2 "$t: v2.xml:1:1: unsupported format version \"2\" (this is version 1)"
    expect "$t" cut.xml 2 "$t: cut.xml:4:144: the input ends too early (the document is cut off)"
    expect "$t" mismatch.xml 2 "$t: mismatch.xml:3:40: Opening and ending tag mismatch: p line 3 and q"
    expect "$t" latin.xml 2 "$t: latin.xml:1:1: encoding \"UT-F8\" is not supported (the article format is UTF-8)"
done
for t in newsgrep xml2docx xml2pdf; do
    expect "$t" image.png 2 "$t: image.png:1:1: binary data, not an article document"
    expect "$t" text.xml 2 "$t: text.xml:1:1: text, not an article document (it does not start with '<')"
done
for t in news2xml newsgrep; do
    expect "$t" dir 2 "$t: dir: is a directory (use -r to read the files in it)"
done
for t in xml2docx xml2pdf; do
    expect "$t" dir 2 "$t: dir: is a directory"
done
expect news2xml image.png 2 "news2xml: image.png: not a news page (a PNG image)"
# an empty input holds no article: nothing to print, nothing matched
expect xml2docx empty.xml 1 "xml2docx: nothing to write: no articles in the input"
expect xml2pdf empty.xml 1 "xml2pdf: nothing to print: no articles in the input"
run newsgrep empty.xml
check_eq "newsgrep empty.xml: no match, status 1, nothing said" "1|" "$ST|$ERR"
valid "... and an empty article document on stdout" out
# standard input is "(standard input)"
"$BIN/xml2pdf" <cut.xml >out 2>err
check_eq "standard input is named (standard input)" \
    "xml2pdf: (standard input):4:144: the input ends too early (the document is cut off)" "$(cat err)"
"$BIN/newsgrep" x <doctype.xml >out 2>err
check_eq "... in newsgrep too" \
    "newsgrep: (standard input):2:1: a DOCTYPE is not allowed in the article format" "$(cat err)"

# a write failure names the file and the reason (a full device of our own)
if [ "$(id -u)" = 0 ]; then
    mknod full c 1 7
    for t in news2xml newsgrep xml2docx xml2pdf; do
        case $t in
        news2xml) "$BIN/news2xml" -o full "$FIX/text/dongda-2023-07-12.txt" 2>err ;;
        newsgrep) "$BIN/newsgrep" -o full '' good.xml 2>err ;;
        *) "$BIN/$t" -o full good.xml 2>err ;;
        esac
        check_eq "$t -o onto a full device: status 2 and one line naming it" \
            "2|$t: full: write error: No space left on device" "$?|$(cat err)"
    done
    # articles rendered on worker threads: the same line (a large output,
    # so that the writes fail while the batch runs, not at the end)
    for i in $(seq 1 40); do cp "$FIX/text/dongda-2023-07-12.txt" "p$i.txt"; done
    "$BIN/news2xml" -j 2 -o full p*.txt 2>err
    check_eq "news2xml -j 2 -o onto a full device: status 2 and one line naming it" \
        "2|news2xml: full: write error: No space left on device" "$?|$(cat err)"
else
    skip "write failures name the file" "not root: mknod needs it"
fi
