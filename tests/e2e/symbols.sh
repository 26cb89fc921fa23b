#!/bin/sh
# The shared library's exports are the API, and bantin.h is the whole of it
# (as curl's tests/test1167.pl checks for curl): every symbol libbantin.so
# exports is declared BT_API in bantin.h and prefixed bt_, every BT_API
# declaration is exported, and nothing else is.
. "$(dirname "$0")/lib.sh"
build=$(dirname "$BIN")
so=$(ls -t "$build"/libbantin.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
    fail "the shared library is built"
    exit 1
fi
ok "the shared library is built ($(basename "$so"))"
check_eq "its soname is libbantin.so.1" "libbantin.so.1" \
    "$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"

nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' |
    grep -v '^_' | sort -u >"$TMP/exported"
# BT_API declarations: the name before "(" (functions) or before "[" / ";"
# (variables), on the logical line that starts with BT_API.
sed -n 's/^BT_API[^(]*[ *]\(bt_[A-Za-z0-9_]*\)(.*/\1/p; s/^BT_API extern [^;]* \**\([A-Za-z0-9_]*\)\(\[\]\)\{0,1\};.*/\1/p' \
    "$TOP/lib/bantin.h" | sort -u >"$TMP/declared"
n=$(wc -l <"$TMP/exported" | tr -d ' ')
[ "$n" -gt 50 ] && ok "libbantin.so exports $n symbols" || fail "libbantin.so exports $n symbols"
check_eq "every exported symbol is prefixed bt_" "" "$(grep -v '^bt_' "$TMP/exported")"
check_eq "every exported symbol is declared BT_API in bantin.h" "" \
    "$(comm -23 "$TMP/exported" "$TMP/declared" | tr '\n' ' ')"
check_eq "every BT_API declaration is exported" "" \
    "$(comm -13 "$TMP/exported" "$TMP/declared" | tr '\n' ' ')"
check_eq "every function bantin.h declares is BT_API" "" \
    "$(grep -E '^[a-z][a-z_ ]*[ *]bt_[a-z0-9_]+\(' "$TOP/lib/bantin.h" | grep -v '^typedef' | tr '\n' ' ')"
# the front end (tool helpers) is not part of the library
check_eq "no fe_ helper is in the library" "" "$(grep '^fe_' "$TMP/exported")"
