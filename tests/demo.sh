#!/bin/sh
# make demo: the main pipeline on a shipped fixture, into out/.
#   news2xml fixtures/text/dongda-2023-07-12.txt > out/dongda.xml
#   xml2docx out/dongda.xml -o out/dongda.docx
#   xml2pdf  --bulletin … -o out/bulletin.pdf
set -e
bin=${1:-build}/bin
mkdir -p out
"$bin/news2xml" -o out/dongda.xml fixtures/text/dongda-2023-07-12.txt
echo "wrote out/dongda.xml"
"$bin/news2xml" -o out/articles.xml fixtures/text/*.txt
echo "wrote out/articles.xml ($(grep -c '<article ' out/articles.xml) articles)"
if [ -x "$bin/xml2docx" ]; then
    "$bin/xml2docx" -o out/dongda.docx out/dongda.xml
    echo "wrote out/dongda.docx"
fi
if [ -x "$bin/xml2pdf" ]; then
    "$bin/xml2pdf" -o out/dongda.pdf out/dongda.xml
    echo "wrote out/dongda.pdf"
    "$bin/xml2pdf" --bulletin --title "Bản tin Quận Đống Đa" --issue "Số 28" \
        --date 2023-07-14 -o out/bulletin.pdf out/articles.xml
    echo "wrote out/bulletin.pdf"
fi
