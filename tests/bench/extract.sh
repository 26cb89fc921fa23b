#!/bin/sh
# HTML extraction on pages no one here wrote, news2xml beside Mozilla
# Readability (npm @mozilla/readability + jsdom) on the same pages in the
# same run: body F1 over word 4-grams (the article-extraction benchmark's
# metric) and over single words, titles and lang right, pages without an
# article, pages per second (tests/bench/extract.js says how).
#   development set: Readability's own test pages, ../shared/corpus/web-readability
#   held-out sets:   CHECKSET=DIR[:DIR…], each in the benchmark's layout
#                    (DIR/html/ID.html.gz, DIR/ground-truth.json); never in the repo
# Targets: F1 >= 0.95 on the development set and >= 0.96 on held-out news
# pages, titles right on >= 95 % of pages, speed >= 20 x Readability's.
. "$(dirname "$0")/lib.sh"
need_corpus
. "$TOP/tests/bench/readability.inc"

score() { # KIND DIR LISTFILE
    # shellcheck disable=SC2046
    "$BIN/news2xml" -q -o "$WORK/out.xml" $(cat "$3") 2>"$WORK/err"
    if [ ! -s "$WORK/out.xml" ]; then
        echo "  news2xml failed: $(head -n 3 "$WORK/err")"
        return 1
    fi
    runs=3
    # shellcheck disable=SC2046
    time_runs $runs "$BIN/news2xml" -q -o "$WORK/speed.xml" $(cat "$3")
    node "$NODEDIR/extract.js" "$1" "$2" "$WORK/out.xml" "$SECS" "$runs" ${EXTRACT_DETAIL:+"$EXTRACT_DETAIL.$(basename "$2").tsv"}
}

dev=$CORPUS/web-readability
if [ -d "$dev" ]; then
    find "$dev" -name source.html.gz | sort >"$WORK/dev"
    score readability "$dev" "$WORK/dev" || exit 1
else
    echo "skipped: $dev is not there"
fi
if [ -n "$CHECKSET" ]; then
    echo "$CHECKSET" | tr ':' '\n' | while read -r d; do
        [ -n "$d" ] || continue
        if [ ! -f "$d/ground-truth.json" ]; then
            echo "  skipped held-out set $d: no ground-truth.json"
            continue
        fi
        find "$d/html" -name '*.html.gz' | sort >"$WORK/held"
        score aeb "$d" "$WORK/held"
    done
else
    echo "  (held-out sets: CHECKSET=DIR[:DIR…] make bench; none given)"
fi
