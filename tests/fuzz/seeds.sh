#!/bin/sh
# Makes the seed corpus of every harness from fixtures/ (and, when
# ../shared/corpus is there, a few of its smaller files):
#   sh tests/fuzz/seeds.sh DIR      -> DIR/<harness>/…
# The seeds are made afresh each time and never committed.  Every
# fixtures/fuzz/<harness>-* input (a crash once found) is a seed too.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
fix=$top/fixtures
corpus=$top/../shared/corpus
rm -rf "$out"
for h in text html input reader date decode vntext prefilter pdf docx; do
    mkdir -p "$out/$h"
done

# put HARNESS FILE...: copies each file in, named after where it came from
put() {
    h=$1; shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        name=$(printf '%s' "${f#"$top"/}" | sed 's|^\.\./||' | tr '/' '_')
        cp "$f" "$out/$h/$name"
    done
}
# small FIND-ARGS...: the corpus files under 32 KB, at most 12 of them
small() {
    [ -d "$corpus" ] || return 0
    find "$corpus" "$@" -type f -size -32k 2>/dev/null | sort | head -n 12
}

xml="$fix/expected/*.xml $fix/newsgrep/*.xml $fix/docx/*.xml $fix/pdf/*.xml $fix/format/*.xml"
# shellcheck disable=SC2086
{
    put text $fix/text/* $fix/encoding/*.txt
    put html $fix/html/*.html
    put input $fix/archive/*.zip $fix/archive/*.warc $fix/archive/*.warc.gz \
        $fix/text/dongda-2023-07-12.txt $fix/html/article-meta.html
    put input $(small -path '*warcio-tests*')
    put html $(small -path '*vi-html*' -name '*.htm*')
    put text $(small -path '*vi-text*' -name '*.txt')
    put decode $fix/encoding/*.txt $(small -path '*vi-encodings*')
    put vntext $fix/encoding/*.txt $fix/text/title-only.txt
    for h in reader pdf docx; do
        put $h $xml
    done
}

# the test pages of a readability suite, unpacked, the smaller ones
if [ -d "$corpus/web-readability" ]; then
    m=0
    for f in $(find "$corpus/web-readability" -name source.html.gz | sort); do
        [ "$m" -lt 16 ] || break
        name=$(basename "$(dirname "$f")")
        gzip -dc "$f" > "$out/html/readability-$name.html" 2>/dev/null || continue
        if [ "$(wc -c < "$out/html/readability-$name.html")" -gt 32768 ]; then
            rm -f "$out/html/readability-$name.html"
        else
            m=$((m + 1))
        fi
    done
fi

# dates: the short lines of the text pages that hold a digit, and the
# when= values of the article fixtures
n=0
for f in "$fix"/text/*.txt; do
    grep -a '[0-9]' "$f" | awk 'length($0) <= 200' | while IFS= read -r line; do
        n=$((n + 1))
        printf '%s' "$line" > "$out/date/$(basename "$f" .txt)-$n"
    done
done
# shellcheck disable=SC2086
cat $xml | grep -o 'when="[^"]*"' | sed 's/^when="//; s/"$//' | sort -u |
    while IFS= read -r when; do
        printf '%s' "$when" > "$out/date/when-$(printf '%s' "$when" | tr -c 'A-Za-z0-9' _)"
    done

# the prefilter: each article stream behind a line of options and patterns
# (see fuzz_prefilter.c), spellings with and without diacritics
k=0
printf '%s\n' '	quan uy' 'w	Đống Đa' 'x	uỷ' 'i	QUẬN ỦY' 'a	hoà	quận' \
    'tTB	dong da	khoi' 'YSR	TTXVN' 'E	qu[aậ]n' 's	Hà Nội' 'B	ủy ban' |
    while IFS= read -r head; do
        k=$((k + 1))
        # shellcheck disable=SC2086
        for f in $xml; do
            { printf '%s\n' "$head"; cat "$f"; } > "$out/prefilter/$k-$(basename "$f")"
        done
    done

# the inputs crashes were once found with
for f in "$fix"/fuzz/*; do
    [ -f "$f" ] || continue
    h=${f##*/}
    h=${h%%-*}
    [ -d "$out/$h" ] && cp "$f" "$out/$h/"
done
exit 0
