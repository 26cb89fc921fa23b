#!/bin/sh
# xml2docx against pandoc: 1,000 corpus articles written as 1,000 .docx
# files (xml2docx -d in one process; pandoc once per article from
# equivalent Markdown made here, as a batch script would run it), then as
# one 1,000-article .docx by both.  Then 200 of them with two photos
# each (20 distinct photo-like 1200x800 JPEGs made here by
# fixtures/docx/make-images.py), both ways again.  Prints times, peak RSS
# and the ratios; then checks that -d's memory stays flat from 100 to
# 1,000 articles, and from 20 to 200 with photos.
# Usage: sh tests/bench/xml2docx.sh BUILD_DIR
. "$(dirname "$0")/lib.sh"
need_corpus

command -v pandoc >/dev/null 2>&1 || { echo "skipped: pandoc is not installed"; exit 0; }
need_cmd xmlstarlet xmlstarlet "to make the Markdown"

ls "$CORPUS"/vi-text/dantri-unc/*.txt | head -n 1000 > "$WORK/list"
"$BIN/news2xml" -o "$WORK/a1000.xml" $(cat "$WORK/list") || exit 1
"$BIN/news2xml" -o "$WORK/a100.xml" $(head -n 100 "$WORK/list") || exit 1
n=$(grep -c '<article ' "$WORK/a1000.xml")

# The same articles as Markdown, one file each: a pandoc title block
# (title, byline, date), headings, quotes, lists, related links.
cat > "$WORK/md.xsl" <<'XSL'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/articles">
<xsl:for-each select="article">
<xsl:text>=====FILE </xsl:text><xsl:value-of select="format-number(position(), '0000')"/><xsl:text>&#10;</xsl:text>
<xsl:text>% </xsl:text><xsl:value-of select="title"/><xsl:text>&#10;% </xsl:text>
<xsl:value-of select="byline"/><xsl:text>&#10;% </xsl:text><xsl:value-of select="date"/><xsl:text>&#10;&#10;</xsl:text>
<xsl:for-each select="body/*">
<xsl:choose>
<xsl:when test="self::h"><xsl:text>## </xsl:text><xsl:value-of select="."/></xsl:when>
<xsl:when test="self::quote"><xsl:text>> </xsl:text><xsl:value-of select="."/></xsl:when>
<xsl:when test="self::list"><xsl:for-each select="item"><xsl:text>- </xsl:text><xsl:value-of select="."/><xsl:text>&#10;</xsl:text></xsl:for-each></xsl:when>
<xsl:when test="self::figure and @src"><xsl:text>![</xsl:text><xsl:value-of select="caption"/><xsl:text>](</xsl:text><xsl:value-of select="@src"/><xsl:text>)</xsl:text></xsl:when>
<xsl:when test="self::figure"><xsl:value-of select="caption"/></xsl:when>
<xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
</xsl:choose><xsl:text>&#10;&#10;</xsl:text></xsl:for-each>
<xsl:if test="related/link"><xsl:text>## Tin liên quan&#10;&#10;</xsl:text>
<xsl:for-each select="related/link"><xsl:text>- </xsl:text>
<xsl:choose><xsl:when test="@href"><xsl:text>[</xsl:text><xsl:value-of select="."/><xsl:text>](</xsl:text><xsl:value-of select="@href"/><xsl:text>)</xsl:text></xsl:when>
<xsl:otherwise><xsl:value-of select="."/></xsl:otherwise></xsl:choose><xsl:text>&#10;</xsl:text></xsl:for-each></xsl:if>
</xsl:for-each>
</xsl:template>
</xsl:stylesheet>
XSL
# to_md XML DIR: one Markdown file per article in DIR, DIR.all.md beside
# it, and DIR.single.md, the single document (the articles one after
# another, each title a heading)
to_md() {
    mkdir -p "$2"
    xmlstarlet tr "$WORK/md.xsl" "$1" > "$2.all.md" || exit 1
    awk -v dir="$2" '/^=====FILE / { if (f) close(f); f = dir "/" $2 ".md"; next } { print > f }' "$2.all.md"
    grep -v '^=====FILE ' "$2.all.md" | sed 's/^% \(.*\)$/# \1/' > "$2.single.md"
}
cat > "$WORK/batch.sh" <<'SH'
for f in "$1"/*.md; do
    b=${f##*/}
    pandoc -f markdown -o "$2/${b%.md}.docx" "$f" || exit 1
done
SH

# compare LABEL XML MD_DIR SMALL_XML: xml2docx -d in one process against
# pandoc once per article (MD_DIR, from to_md), then one document of all
# by both, then -d's peak RSS on SMALL_XML beside XML's (flat: close to 1).
compare() {
    _out=$WORK/out-$1
    _n=$(grep -c '<article ' "$2") _ns=$(grep -c '<article ' "$4")
    mkdir -p "$_out/xd" "$_out/pd" "$_out/xds"
    measure "xml2docx -d $1" "$BIN/xml2docx" -q -d "$_out/xd" "$2"
    xs=$SECS xr=$RSS_KB
    measure "pandoc batch $1" sh "$WORK/batch.sh" "$3" "$_out/pd"
    ps=$SECS pr=$RSS_KB
    printf '  %s batch:  %-14s %4s files %8ss  peak RSS %7s MB  %6s KB\n' "$1" "xml2docx -d" \
        "$(ls "$_out/xd" | wc -l)" "$xs" "$(mb "$xr")" "$(du -sk "$_out/xd" | cut -f1)"
    printf '  %s batch:  %-14s %4s files %8ss  peak RSS %7s MB  %6s KB (largest process)\n' "$1" "pandoc x $_n" \
        "$(ls "$_out/pd" | wc -l)" "$ps" "$(mb "$pr")" "$(du -sk "$_out/pd" | cut -f1)"
    echo "  $1 batch speed: xml2docx -d is $(ratio "$ps" "$xs") x pandoc (target >= 50)"

    measure "xml2docx -o $1" "$BIN/xml2docx" -o "$_out/x.docx" "$2"
    xs1=$SECS xr1=$RSS_KB
    measure "pandoc single $1" pandoc -f markdown -o "$_out/p.docx" "$3.single.md"
    ps1=$SECS pr1=$RSS_KB
    printf '  %s single: %-14s %8ss  peak RSS %7s MB  %6s KB\n' "$1" xml2docx "$xs1" "$(mb "$xr1")" \
        "$(( $(wc -c <"$_out/x.docx") / 1024 ))"
    printf '  %s single: %-14s %8ss  peak RSS %7s MB  %6s KB\n' "$1" pandoc "$ps1" "$(mb "$pr1")" \
        "$(( $(wc -c <"$_out/p.docx") / 1024 ))"
    echo "  $1 single-document speed: xml2docx is $(ratio "$ps1" "$xs1") x pandoc (target >= 10)"

    measure "xml2docx -d $1 $_ns" "$BIN/xml2docx" -q -d "$_out/xds" "$4"
    echo "  $1 -d peak RSS: $(mb "$RSS_KB") MB for $_ns articles, $(mb "$xr") MB for $_n;" \
         "growth $(ratio "$xr" "$RSS_KB") x (flat: close to 1)"
}

echo "  $n articles (corpus vi-text/dantri-unc); pandoc $(pandoc --version | head -n 1 | cut -d' ' -f2)"
to_md "$WORK/a1000.xml" "$WORK/md"
compare text "$WORK/a1000.xml" "$WORK/md" "$WORK/a100.xml"

# ---- with photos -------------------------------------------------------
command -v cjpeg >/dev/null 2>&1 || { echo "  with photos: skipped (cjpeg, from libjpeg-turbo-progs, is missing)"; exit 0; }
python3 "$TOP/fixtures/docx/make-images.py" "$WORK/photos" --photos 20 1200x800 || exit 1
# two figures at the end of each of the first 200 articles, photos taken in turn
awk -v dir="$WORK/photos" '
    /<article[ >]/ { n++ }
    /<\/body>/ && n <= 200 && !done[n]++ {
        for (k = 0; k < 2; k++) {
            i = (2 * (n - 1) + k) % 20 + 1
            sub(/<\/body>/, "<figure src=\"" dir "/photo-" i ".jpg\"><caption>Ảnh " i "</caption></figure></body>")
        }
    }
    n <= 200 || /<\/articles>/ { print }' "$WORK/a1000.xml" > "$WORK/p200.xml"
awk '/<article[ >]/ { n++ } n <= 20 || /<\/articles>/ { print }' "$WORK/p200.xml" > "$WORK/p20.xml"
np=$(grep -c '<article ' "$WORK/p200.xml")
nf=$(grep -o '<figure src=' "$WORK/p200.xml" | wc -l)
to_md "$WORK/p200.xml" "$WORK/pmd"
echo "  with photos: $np articles, $nf figures ($(du -sk "$WORK/photos" | cut -f1) KB of JPEG in 20 files)"
compare photos "$WORK/p200.xml" "$WORK/pmd" "$WORK/p20.xml"
