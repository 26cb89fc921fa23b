#!/bin/sh
# Streams that compose: every reader of the format takes a concatenation
# of documents (cat a.xml b.xml), each with its own prolog and root, and
# gzip'd input (archive.xml.gz), plain or concatenated.
. "$(dirname "$0")/lib.sh"
"$BIN/news2xml" -q -o "$TMP/a.xml" "$FIX/text/dongda-2023-07-12.txt" "$FIX/text/header-lines.txt"
"$BIN/news2xml" -q -o "$TMP/b.xml" "$FIX/text/updated-ampm.txt"
cat "$TMP/a.xml" "$TMP/b.xml" >"$TMP/ab.xml"
gzip -c "$TMP/ab.xml" >"$TMP/ab.xml.gz"
{ gzip -c "$TMP/a.xml"; gzip -c "$TMP/b.xml"; } >"$TMP/members.xml.gz"
# documents written by Windows tools start with a byte order mark
{ printf '\357\273\277'; cat "$TMP/a.xml"; printf '\357\273\277'; cat "$TMP/b.xml"; } >"$TMP/bom.xml"
ids() { xmllint --xpath '//article/@id' "$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/id="\(.*\)"/\1/p' | sort; }
want=$( (ids "$TMP/a.xml"; ids "$TMP/b.xml") | sort)
check_eq "the three articles have three ids" 3 "$(echo "$want" | wc -l | tr -d ' ')"

for input in ab.xml ab.xml.gz members.xml.gz bom.xml; do
    rm -f "$TMP/n.xml" "$TMP/n2.xml" "$TMP/p.pdf" "$TMP/d.docx" # nothing left from the last round
    # news2xml passes the articles through
    "$BIN/news2xml" -q -o "$TMP/n.xml" "$TMP/$input"
    check_eq "news2xml reads $input: every article, once" "$want" "$(ids "$TMP/n.xml")"
    cat "$TMP/$input" | "$BIN/news2xml" -q -o "$TMP/n2.xml"
    check_eq "... from a pipe too" "$want" "$(ids "$TMP/n2.xml")"
    # the printers print each of them
    if command -v pdfinfo >/dev/null 2>&1; then
        cat "$TMP/$input" | "$BIN/xml2pdf" -q -o "$TMP/p.pdf"
        check_eq "xml2pdf reads $input from a pipe: one page per article" 3 \
            "$(pdfinfo "$TMP/p.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')"
    fi
    if command -v pandoc >/dev/null 2>&1; then
        "$BIN/xml2docx" -q --no-toc -o "$TMP/d.docx" "$TMP/$input"
        check_eq "xml2docx reads $input: every article" 3 \
            "$(unzip -p "$TMP/d.docx" word/document.xml | grep -o 'w:val="Title"' | wc -l | tr -d ' ')"
    fi
    # newsgrep finds in all of them
    check_eq "newsgrep -c reads $input" 3 "$("$BIN/newsgrep" -c '' "$TMP/$input" 2>&1)"
done

# a damaged or cut gzip stream is an error naming the input, not a crash
head -c 200 "$TMP/ab.xml.gz" >"$TMP/cut.xml.gz"
for t in xml2docx xml2pdf; do
    "$BIN/$t" -q -o "$TMP/cut.out" "$TMP/cut.xml.gz" 2>"$TMP/cut.err"
    check_eq "$t: a cut gzip stream exits 2" 2 "$?"
    check_contains "$t: ... naming the input" "$TMP/cut.err" "$TMP/cut.xml.gz:"
done
