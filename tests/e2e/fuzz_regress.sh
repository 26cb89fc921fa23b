#!/bin/sh
# The fuzzers' regressions, as a user meets them: every input in
# fixtures/fuzz/ (see tests/fuzz/README.md) given to each built tool.
# Whatever the bytes, a tool exits with one of its statuses (news2xml,
# xml2pdf, xml2docx: 0 or 2; newsgrep: 0, 1 or 2) without a sanitizer
# report, says what went wrong in lines that start with its name, writes
# an output that its reader accepts when it succeeds (news2xml: the
# schema, xml2pdf: pdfinfo, xml2docx: unzip -t) and none when it fails.
# The prefilter's inputs also run newsgrep with their options and
# patterns: the matches and the non-matches (-v, which sees every
# article) together are all the articles, none in both.
. "$(dirname "$0")/lib.sh"

# voice TOOL FILE: every line of FILE starts with "TOOL: ", and none is a
# sanitizer's report.
voice() {
    if grep -qE 'Sanitizer|runtime error:' "$2"; then
        return 1
    fi
    ! grep -qv "^$1: " "$2"
}

# allowed GOT ALLOWED...: GOT is one of ALLOWED.
allowed() {
    _got=$1; shift
    for _s in "$@"; do [ "$_got" -eq "$_s" ] && return 0; done
    return 1
}

report() { # NAME OK-FLAG ERRFILE
    if [ "$2" = 1 ]; then ok "$1"; else
        fail "$1"; sed 's/^/#   /' "$3" | head -n 8; fi
}

# printer TOOL EXT WHAT READER…: TOOL -o out.EXT on the input $f exits 0
# with an output READER accepts, or 2 with none.
printer() {
    _tool=$1 _out=$TMP/out.$2 _what=$3; shift 3
    rm -f "$_out"
    "$BIN/$_tool" -o "$_out" "$f" >/dev/null 2>"$TMP/err"; st=$?
    good=0
    if allowed "$st" 0 2 && voice "$_tool" "$TMP/err"; then
        if [ "$st" -eq 0 ]; then
            "$@" "$_out" >>"$TMP/err" 2>&1 && good=1
        else
            [ ! -e "$_out" ] && good=1
        fi
    fi
    report "$_tool $name: status $st, $_what or none" $good "$TMP/err"
}

for f in "$FIX"/fuzz/*; do
    [ -f "$f" ] || continue
    name=fuzz/${f##*/}

    "$BIN/news2xml" "$f" >"$TMP/out.xml" 2>"$TMP/err"; st=$?
    good=0
    if allowed "$st" 0 2 && voice news2xml "$TMP/err"; then
        # status 2 with the articles read before the failure, or none
        if [ ! -s "$TMP/out.xml" ] ||
            xmllint --noout --relaxng "$SCHEMA" "$TMP/out.xml" >>"$TMP/err" 2>&1; then
            good=1
        fi
    fi
    report "news2xml $name: status $st, valid output or none" $good "$TMP/err"

    "$BIN/newsgrep" -c a "$f" >"$TMP/count" 2>"$TMP/err"; st=$?
    good=0
    allowed "$st" 0 1 2 && voice newsgrep "$TMP/err" && good=1
    report "newsgrep $name: status $st" $good "$TMP/err"

    printer xml2pdf pdf "a PDF" pdfinfo
    printer xml2docx docx "a DOCX" unzip -tq
done

# An href that is not a URI (the schema's anyURI, as libxml2 reads it) is
# percent-encoded, keeping its own escapes, so the document stays valid
# and decoding it gives back what the page had.
"$BIN/news2xml" "$FIX/fuzz/html-href-not-a-uri.html" >"$TMP/h.xml" 2>/dev/null
check_contains "news2xml: an href that is not a URI is percent-encoded, escapes kept" \
    "$TMP/h.xml" 'href="%E2%80%8Bhttps%3A//example.vn/c.html"'
check_contains "news2xml: a figure src with a broken escape is percent-encoded" \
    "$TMP/h.xml" 'src="file%3A///C%7C/Documents%20and%20Settings/a%25E%20b.jpg"'

# libxml2's two-line message about bad UTF-8 is one line of ours.
"$BIN/xml2pdf" -o "$TMP/u.pdf" "$FIX/fuzz/reader-not-utf8.xml" 2>"$TMP/err"
check_eq "xml2pdf: bad UTF-8 is reported in one line" 1 "$(wc -l <"$TMP/err" | tr -d ' ')"
check_contains "xml2pdf: the line names the bytes" "$TMP/err" \
    "reader-not-utf8.xml:3:21: Input is not proper UTF-8, indicate encoding ! Bytes: 0xC3 0x28"

# The prefilter's inputs: "OPTS<TAB>PATTERN[<TAB>PATTERN]…" then a stream.
for f in "$FIX"/fuzz/prefilter-*; do
    [ -f "$f" ] || continue
    name=fuzz/${f##*/}
    head -n 1 "$f" >"$TMP/head"
    tail -n +2 "$f" >"$TMP/stream.xml"
    tab=$(printf '\t')
    case $(cat "$TMP/head") in
    *"$tab"*) opts=$(cut -f 1 "$TMP/head") pats=$(cut -f 2- "$TMP/head") ;;
    *) opts="" pats=$(cat "$TMP/head") ;;
    esac
    set --
    in=""
    case $opts in *w*) set -- "$@" -w ;; esac
    case $opts in *i*) set -- "$@" -i ;; esac
    case $opts in *s*) set -- "$@" -s ;; esac
    case $opts in *x*) set -- "$@" --exact ;; esac
    case $opts in *a*) set -- "$@" --all ;; esac
    case $opts in *E*) set -- "$@" -E ;; esac
    case $opts in *T*) in="$in,title" ;; esac
    case $opts in *B*) in="$in,body" ;; esac
    case $opts in *Y*) in="$in,byline" ;; esac
    case $opts in *S*) in="$in,source" ;; esac
    case $opts in *R*) in="$in,related" ;; esac
    [ -n "$in" ] && set -- "$@" --in="${in#,}"
    first=1
    oldifs=$IFS
    IFS=$tab
    for p in $pats; do
        case $opts in *t*) [ $first = 1 ] && { set -- "$@" -t "$p"; first=0; continue; } ;; esac
        set -- "$@" -e "$p"
        first=0
    done
    IFS=$oldifs
    "$BIN/newsgrep" -l "$@" "$TMP/stream.xml" >"$TMP/yes" 2>"$TMP/err"; st1=$?
    "$BIN/newsgrep" -l -v "$@" "$TMP/stream.xml" >"$TMP/no" 2>>"$TMP/err"; st2=$?
    total=$(xmllint --xpath 'count(//article)' "$TMP/stream.xml" 2>/dev/null)
    yes=$(wc -l <"$TMP/yes" | tr -d ' ') no=$(wc -l <"$TMP/no" | tr -d ' ')
    cut -f 2 "$TMP/yes" | sort >"$TMP/yes.ids"
    cut -f 2 "$TMP/no" | sort >"$TMP/no.ids"
    both=$(comm -12 "$TMP/yes.ids" "$TMP/no.ids" | wc -l | tr -d ' ')
    good=0
    voice newsgrep "$TMP/err" && good=1
    report "newsgrep $name: status $st1 and $st2 (-v), each problem one line" $good "$TMP/err"
    if [ -z "$total" ] || [ "$st1" -eq 2 ] || [ "$st2" -eq 2 ]; then
        skip "newsgrep $name: matches and non-matches are all the articles" \
            "the stream is not well formed ($st1, $st2)"
    elif [ $((yes + no)) -eq "$total" ] && [ "$both" -eq 0 ]; then
        ok "newsgrep $name: $yes matches and $no non-matches of $total articles"
    else
        fail "newsgrep $name: $yes matches, $no non-matches ($both in both) of $total articles"
        sed 's/^/#   /' "$TMP/err" | head -n 5
    fi
done
exit 0
