# Shared helpers for the end-to-end tests.  Source it first:
#   . "$(dirname "$0")/lib.sh"
# Each check prints one TAP line.  Paths:
#   $BIN      the built tools (set by tests/run.sh; defaults to build/bin)
#   $FIX      fixtures/          $SCHEMA  lib/bantin.rng
#   $CORPUS   ../shared/corpus when it exists, else empty
#   $TMP      a scratch directory removed at exit
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/build/bin}
FIX=$TOP/fixtures
SCHEMA=$TOP/lib/bantin.rng
CORPUS=
[ -d "$TOP/../shared/corpus" ] && CORPUS=$(cd "$TOP/../shared/corpus" && pwd)
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
export LC_ALL=C.UTF-8
unset SOURCE_DATE_EPOCH
_n=0

ok()   { _n=$((_n + 1)); echo "ok $_n - $*"; }
fail() { _n=$((_n + 1)); echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }

# check NAME COMMAND…: passes when the command exits 0.
check() {
    _name=$1; shift
    if "$@" >"$TMP/.out" 2>&1; then ok "$_name"; else
        fail "$_name"; sed 's/^/#   /' "$TMP/.out" | head -n 15; fi
}
# check_status NAME STATUS COMMAND…: passes when the command exits STATUS.
check_status() {
    _name=$1 _want=$2; shift 2
    "$@" >"$TMP/.out" 2>&1; _got=$?
    if [ "$_got" -eq "$_want" ]; then ok "$_name"; else
        fail "$_name (exit $_got, wanted $_want)"; sed 's/^/#   /' "$TMP/.out" | head -n 15; fi
}
# check_eq NAME WANT GOT
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        fail "$1"; echo "#   wanted: $2"; echo "#   got:    $3"; fi
}
# check_contains NAME FILE TEXT: the file holds the text (fixed string).
check_contains() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        fail "$1"; echo "#   '$3' not found in $2"; fi
}
# valid NAME FILE: the file validates against the article schema.
valid() { check "$1" xmllint --noout --relaxng "$SCHEMA" "$2"; }
# xpath FILE EXPR: the string value of an XPath expression.
xpath() { xmllint --xpath "$2" "$1" 2>/dev/null; }
# article_lines FILE ELEMENT…: the text of the first article's ELEMENTs
# (title, date, byline…), then of each paragraph of its body, one a line.
article_lines() {
    _file=$1; shift
    for _el in "$@"; do
        xpath "$_file" "string(//article/$_el)"; echo
    done
    _np=$(xpath "$_file" 'count(//article/body/p)') _ip=1
    while [ "$_ip" -le "$_np" ]; do
        xpath "$_file" "string(//article/body/p[$_ip])"; echo
        _ip=$((_ip + 1))
    done
}

# without_file: an article stream without its source file="…" attributes
# (all that differs between two copies of one page).
without_file() { sed 's/ file="[^"]*"//'; }
# same_article NAME BASE OUT WHY INPUT: news2xml reads INPUT into OUT,
# which must be BASE but for file names; skipped, saying WHY, when INPUT
# could not be made (it is empty).
same_article() {
    if [ -s "$5" ]; then
        "$BIN/news2xml" "$5" 2>"$TMP/err" | without_file >"$3"
        check "$1" cmp "$2" "$3"
    else
        skip "$1" "$4"
    fi
}
