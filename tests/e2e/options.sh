#!/bin/sh
# One set of options: across the four tools a letter means one thing (the
# same long name wherever it is used), the common ones are everywhere, and
# a wrong option is one line pointing at --help, status 2.
. "$(dirname "$0")/lib.sh"
TOOLS="news2xml newsgrep xml2docx xml2pdf"
for t in $TOOLS; do
    "$BIN/$t" --help | grep -oE -- '-[A-Za-z0-9], --[a-z][a-z-]*' | sed "s/^/$t /"
done >"$TMP/pairs"
# letter -> the long names it stands for, over all tools
clash=$(awk '{ split($2, l, ","); k = l[1]; if (!(k SUBSEP $3 in seen)) { seen[k SUBSEP $3] = 1; names[k] = names[k] " " $3; n[k]++ } }
             END { for (k in n) if (n[k] > 1) print k ":" names[k] }' "$TMP/pairs" | sort)
check_eq "no letter stands for two different options" "" "$clash"
for t in $TOOLS; do
    for o in "-o, --output" "-q, --quiet" "-h, --help" "-V, --version"; do
        grep -q "^$t $o\$" "$TMP/pairs" && ok "$t has $o" || fail "$t has $o"
    done
    check_status "$t -h is the help" 0 "$BIN/$t" -h
    check_status "$t --version" 0 "$BIN/$t" --version
    "$BIN/$t" --no-such-option >"$TMP/o.out" 2>&1
    st=$?
    check_eq "$t: an unknown option is status 2" 2 "$st"
    check_eq "$t: ... in one line, then a pointer to --help" \
        "$t: unknown option '--no-such-option'|Try '$t --help' for more information." \
        "$(tr '\n' '|' <"$TMP/o.out" | sed 's/|$//')"
done
for t in news2xml newsgrep; do
    grep -q "^$t -r, --recursive\$" "$TMP/pairs" && ok "$t has -r, --recursive" || fail "$t has -r, --recursive"
done
for t in xml2docx xml2pdf; do
    grep -q "^$t -d, --dir\$" "$TMP/pairs" && ok "$t has -d, --dir" || fail "$t has -d, --dir"
    for o in "-p, --paper" "-m, --margin" "-f, --font" "-L, --lang" "-S, --sort"; do
        grep -q "^$t $o\$" "$TMP/pairs" && ok "$t has $o" || fail "$t has $o"
    done
done
