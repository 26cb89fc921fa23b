#!/bin/sh
# xml2pdf against WeasyPrint (also pango-based): the same 200-article
# bulletin, typeset by both in one run, from our XML and from equivalent
# HTML made here (masthead, contents with page numbers, running header,
# "Trang N/M" footer, justified bodies, each article on a new page), each
# article with two photos: JPEGs of 1600x1067 pixels (about 230 KB, made
# here, 400 distinct files) placed after its first and third paragraphs.
# Prints pages/s and peak RSS for each and the ratios; then checks that
# xml2pdf's memory stays flat from 200 to 2,000 articles (4,000 photos).
# Usage: sh tests/bench/xml2pdf.sh BUILD_DIR
. "$(dirname "$0")/lib.sh"
need_corpus

need_cmd weasyprint weasyprint "for the comparison"
need_cmd xmlstarlet xmlstarlet "to make the HTML"
need_cmd cjpeg libjpeg-turbo-progs "to make the photos"
# Photos: 10 pictures, then 400 files (each picture with its own comment
# segment: distinct bytes, so that no one can share one between figures).
mkdir -p "$WORK/photos"
MK=$TOP/fixtures/pdf/make-images.py
for i in 0 1 2 3 4 5 6 7 8 9; do
    python3 "$MK" ppm 1600 1067 "$i" "$WORK/p.ppm" && cjpeg -quality 82 "$WORK/p.ppm" > "$WORK/base$i.jpg" || exit 1
done
i=0
while [ $i -lt 400 ]; do
    python3 "$MK" copy "$WORK/base$((i % 10)).jpg" "photo $i" "$WORK/photos/p$i.jpg" || exit 1
    i=$((i + 1))
done
# Two figures per article, after its first and third paragraphs.
with_photos() {
    python3 - "$1" "$2" <<'PY'
import sys, xml.etree.ElementTree as ET
tree = ET.parse(sys.argv[1])
for k, art in enumerate(tree.getroot().iter("article")):
    body = art.find("body")
    for j, after in enumerate((1, 3)):
        fig = ET.Element("figure", src="photos/p%d.jpg" % ((2 * k + j) % 400))
        ET.SubElement(fig, "caption").text = "Ảnh %d của bài %d. Ảnh: PV" % (j + 1, k + 1)
        body.insert(min(after + j, len(body)), fig)
tree.write(sys.argv[2], encoding="UTF-8", xml_declaration=True)
PY
}
ls "$CORPUS"/vi-text/dantri-unc/*.txt | head -n 200 > "$WORK/list"
"$BIN/news2xml" -o "$WORK/t200.xml" $(cat "$WORK/list") || exit 1
with_photos "$WORK/t200.xml" "$WORK/b200.xml" || exit 1
n=$(grep -c '<article ' "$WORK/b200.xml")
nf=$(grep -c '<figure ' "$WORK/b200.xml")

# The same bulletin as HTML for WeasyPrint.
cat > "$WORK/html.xsl" <<'EOF'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="html" encoding="UTF-8"/>
<xsl:template match="/articles">
<html lang="vi"><head><meta charset="utf-8"/><title>Bản tin Quận Đống Đa</title>
<style>
@page { size: A4; margin: 20mm;
  @top-left { content: "Bản tin Quận Đống Đa"; font-size: 8.4pt; color: #555 }
  @top-right { content: "Số 28"; font-size: 8.4pt; color: #555 }
  @bottom-center { content: "Trang " counter(page) "/" counter(pages); font-size: 8.4pt } }
@page :first { @top-left { content: none } @top-right { content: none } }
body { font-family: "Noto Serif"; font-size: 10.5pt }
h1.mast { text-align: center; font-size: 27pt; margin: 0 }
.issue { text-align: center; font-style: italic; color: #444; border-bottom: 1.2pt solid black; padding-bottom: 6pt }
.toc a { display: block; font-weight: bold; color: black; text-decoration: none; margin-top: 7pt }
.toc a::after { content: target-counter(attr(href), page); float: right }
.toc span { display: block; font-style: italic; font-weight: normal; color: #555; font-size: 9pt }
article { break-before: page }
article h1 { font-size: 20pt; margin: 0 }
.meta { font-style: italic; color: #555; font-size: 9pt; margin-bottom: 12pt }
p { text-align: justify; margin: 0 0 5.8pt 0; orphans: 2; widows: 2 }
h2 { font-size: 12pt; break-after: avoid }
blockquote { font-style: italic; margin: 0 19pt }
.byline { text-align: right; font-weight: bold }
figure { margin: 8pt 0; text-align: center; break-inside: avoid }
figure img { max-width: 100%; max-height: 125mm }
figcaption { font-style: italic; font-size: 9pt; color: #555 }
</style></head><body>
<h1 class="mast">Bản tin Quận Đống Đa</h1>
<div class="issue">Số 28 · Ngày 14 tháng 7 năm 2023</div>
<h2>Mục lục</h2>
<div class="toc"><xsl:for-each select="article">
<a href="#a{position()}"><xsl:value-of select="title"/><span><xsl:value-of select="date"/></span></a>
</xsl:for-each></div>
<xsl:for-each select="article">
<article id="a{position()}"><h1><xsl:value-of select="title"/></h1>
<div class="meta"><xsl:value-of select="date"/></div>
<xsl:for-each select="body/*">
<xsl:choose>
<xsl:when test="self::h"><h2><xsl:value-of select="."/></h2></xsl:when>
<xsl:when test="self::quote"><blockquote><xsl:value-of select="."/></blockquote></xsl:when>
<xsl:when test="self::list"><ul><xsl:for-each select="item"><li><xsl:value-of select="."/></li></xsl:for-each></ul></xsl:when>
<xsl:when test="self::figure"><figure><img src="{@src}"/><figcaption><xsl:value-of select="caption"/></figcaption></figure></xsl:when>
<xsl:otherwise><p><xsl:value-of select="."/></p></xsl:otherwise>
</xsl:choose></xsl:for-each>
<xsl:if test="byline"><p class="byline"><xsl:value-of select="byline"/></p></xsl:if>
</article></xsl:for-each>
</body></html>
</xsl:template>
</xsl:stylesheet>
EOF
xmlstarlet tr "$WORK/html.xsl" "$WORK/b200.xml" > "$WORK/b200.html" || exit 1

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
rate() { awk -v p="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", p / s; else print "inf" }'; }

echo "  bulletin of $n articles (corpus vi-text/dantri-unc) with $nf photos, A4, Noto Serif"
echo "  (each timed 3 times, the fastest run kept)"
measure_best 3 xml2pdf "$BIN/xml2pdf" --bulletin --page-per-article --sort input --keep-duplicates --title "Bản tin Quận Đống Đa" --issue "Số 28" \
    --date 2023-07-14 -o "$WORK/x.pdf" "$WORK/b200.xml"
xs=$SECS xr=$RSS_KB xp=$(pages "$WORK/x.pdf")
measure_best 3 weasyprint weasyprint "$WORK/b200.html" "$WORK/w.pdf"
ws=$SECS wr=$RSS_KB wp=$(pages "$WORK/w.pdf")
xps=$(rate "$xp" "$xs") wps=$(rate "$wp" "$ws")
printf '  %-11s %5s pages %7ss %8s pages/s  peak RSS %7s MB\n' xml2pdf "$xp" "$xs" "$xps" "$(mb "$xr")"
printf '  %-11s %5s pages %7ss %8s pages/s  peak RSS %7s MB\n' weasyprint "$wp" "$ws" "$wps" "$(mb "$wr")"
sp=$(ratio "$xps" "$wps") mr=$(ratio "$xr" "$wr")
echo "  speed: xml2pdf makes $sp x WeasyPrint's pages per second (target >= 20)"
echo "  memory: xml2pdf's peak RSS is $mr of WeasyPrint's (target < 0.25)"

# Memory must stay flat as the bulletin grows: 2,000 articles.
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$WORK/list"; done > "$WORK/list2000"
"$BIN/news2xml" -o "$WORK/t2000.xml" $(cat "$WORK/list2000") || exit 1
with_photos "$WORK/t2000.xml" "$WORK/b2000.xml" || exit 1
measure xml2pdf-2000 "$BIN/xml2pdf" --bulletin --page-per-article --sort input --keep-duplicates --title "Bản tin Quận Đống Đa" --issue "Số 28" \
    --date 2023-07-14 -o "$WORK/x2000.pdf" "$WORK/b2000.xml"
p2=$(pages "$WORK/x2000.pdf")
printf '  %-11s %5s pages %7ss %8s pages/s  peak RSS %7s MB (2,000 articles, 4,000 photos)\n' xml2pdf "$p2" "$SECS" "$(rate "$p2" "$SECS")" "$(mb "$RSS_KB")"
echo "  memory growth from 200 to 2,000 articles: $(ratio "$RSS_KB" "$xr") x (flat: close to 1)"
check_images() { pdfimages -list "$1" 2>/dev/null | awk 'NR > 2 && $9 == "jpeg" && $4 == 1600 && $5 == 1067' | wc -l | tr -d ' '; }
echo "  photos embedded as 1600x1067 JPEG: xml2pdf $(check_images "$WORK/x.pdf") of $nf, WeasyPrint $(check_images "$WORK/w.pdf")"
# The run-on bulletin (the default) on the same input, for its page count.
measure xml2pdf-run-on "$BIN/xml2pdf" --bulletin --title "Bản tin Quận Đống Đa" --issue "Số 28" \
    --date 2023-07-14 -o "$WORK/r.pdf" "$WORK/b200.xml"
printf '  %-11s %5s pages %7ss %8s pages/s  peak RSS %7s MB (articles run on, sorted, de-duplicated)\n' xml2pdf "$(pages "$WORK/r.pdf")" "$SECS" "$(rate "$(pages "$WORK/r.pdf")" "$SECS")" "$(mb "$RSS_KB")"
