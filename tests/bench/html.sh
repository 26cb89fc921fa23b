#!/bin/sh
# news2xml on the corpus HTML pages beside Mozilla Readability (npm
# @mozilla/readability with jsdom, installed on first use into
# BUILD/bench-node): token precision, recall and F1 of the body text
# against a reference (tests/bench/html.js says how it is made), and
# pages per second.  Targets: F1 at least Readability's; speed at least
# 20 x Readability's.
. "$(dirname "$0")/lib.sh"
need_corpus
src=$CORPUS/vi-html
. "$TOP/tests/bench/readability.inc"

# the article pages (the home page is left out: it has no body to score)
find "$src" -name '*.html' ! -path '*non-article*' | sort >"$WORK/pages"
# shellcheck disable=SC2046
"$BIN/news2xml" -o "$WORK/out.xml" $(cat "$WORK/pages") 2>"$WORK/err" || {
    echo "  news2xml failed: $(head -n 3 "$WORK/err")"
    exit 1
}
# speed: the same pages several times over, whole process
runs=20
# shellcheck disable=SC2046
time_runs $runs "$BIN/news2xml" -o "$WORK/speed.xml" $(cat "$WORK/pages")
node "$NODEDIR/html.js" "$src" "$WORK/out.xml" "$SECS" "$runs"
