#!/bin/sh
# The RELAX NG schema of the article format: every article fixture and
# every expected output validates; documents that break the contract are
# refused.
. "$(dirname "$0")/lib.sh"
for f in "$FIX"/expected/*.xml "$FIX"/format/*.xml "$FIX"/docx/*.xml "$FIX"/pdf/*.xml \
         "$FIX"/newsgrep/spellings.xml "$FIX"/newsgrep/second.xml "$FIX"/newsgrep/no-articles.xml; do
    [ -f "$f" ] || continue
    valid "fixture ${f#$FIX/} validates" "$f"
done

good='<articles version="1"><article id="0123456789abcdef" lang="vi"><title>T <em>x</em></title><date when="2023-07-12T13:01:00+07:00">12/07/2023</date><body><p>a</p><list type="number"><item>i</item></list><figure src="a.jpg"/></body><related><link href="https://x.vn/">l</link></related></article></articles>'
printf '%s' "$good" >"$TMP/good.xml"
valid "a document with every element validates" "$TMP/good.xml"

refused() { # NAME XML: xmllint --relaxng refuses it
    printf '%s' "$2" >"$TMP/bad.xml"
    if xmllint --noout --relaxng "$SCHEMA" "$TMP/bad.xml" >/dev/null 2>&1; then
        fail "schema refuses $1"
    else
        ok "schema refuses $1"
    fi
}
refused "another version" '<articles version="2"/>'
refused "an article without a title" '<articles version="1"><article><body/></article></articles>'
refused "an article without a body" '<articles version="1"><article><title>T</title></article></articles>'
refused "an unknown element" '<articles version="1"><article><title>T</title><body><blink/></body></article></articles>'
refused "a malformed id" '<articles version="1"><article id="xyz"><title>T</title><body/></article></articles>'
refused "a date/@when that is not ISO 8601" '<articles version="1"><article><title>T</title><date when="12/07/2023">x</date><body/></article></articles>'
refused "two bylines" '<articles version="1"><article><title>T</title><byline>a</byline><byline>b</byline><body/></article></articles>'
refused "a namespace" '<articles xmlns="urn:x" version="1"/>'
refused "a table without rows" '<articles version="1"><article><title>T</title><body><table><caption>c</caption></table></body></article></articles>'
refused "a row without cells" '<articles version="1"><article><title>T</title><body><table><row/></table></body></article></articles>'
refused "a colspan of 0" '<articles version="1"><article><title>T</title><body><table><row><cell colspan="0">x</cell></row></table></body></article></articles>'
refused "a figure type that is not an image" '<articles version="1"><article><title>T</title><body><figure src="a" type="text/html"/></body></article></articles>'
refused "two sections" '<articles version="1"><article><title>T</title><section>a</section><section>b</section><body/></article></articles>'
refused "a list without items" '<articles version="1"><article><title>T</title><body><list/></body></article></articles>'
