#!/bin/sh
# Every tool's man page renders without warnings and documents every option
# its --help lists, with the same short letter.
. "$(dirname "$0")/lib.sh"
if ! command -v groff >/dev/null 2>&1; then
    skip "man pages" "groff is not installed"
    exit 0
fi
for t in news2xml newsgrep xml2docx xml2pdf; do
    page=$TOP/cmd/$t.1
    groff -man -Tutf8 -rLL=120n "$page" 2>"$TMP/$t.err" | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' >"$TMP/$t.man"
    check_eq "$t(1) renders without warnings" "" "$(cat "$TMP/$t.err")"
    "$BIN/$t" --help >"$TMP/$t.help"
    missing=
    # "-x, --long" pairs and lone "--long" options as --help lists them
    for o in $(grep -oE -- '(-[A-Za-z], )?--[a-z][a-z-]*' "$TMP/$t.help" | tr ' ' '_' | sort -u); do
        o=$(echo "$o" | tr '_' ' ')
        grep -qF -- "$o" "$TMP/$t.man" || missing="$missing '$o'"
    done
    check_eq "$t(1) documents every option of --help, with its letter" "" "$missing"
done
