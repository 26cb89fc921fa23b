#!/bin/sh
# Runs every test against each build directory given (build, build-san):
# the cmocka unit tests in tests/unit and the end-to-end scripts in
# tests/e2e.  Every test speaks TAP ("ok …", "not ok …", "# SKIP").
# Ends with one summary line: "N passed, N failed" (", N skipped").
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
pass=0 fail=0 skip=0
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT INT TERM

count() { # $1 = label, $2 = exit status of the test program
    p=$(grep -c '^ok ' "$log" | tr -d ' ')
    s=$(grep '^ok ' "$log" | grep -ci '# skip' | tr -d ' ')
    # cmocka 1.1 prints a skipped test as "not ok N # SKIP name"
    cs=$(grep '^not ok ' "$log" | grep -ci '# skip' | tr -d ' ')
    f=$(grep -c '^not ok ' "$log" | tr -d ' ')
    grep '^not ok ' "$log" | grep -vi '# skip' | sed 's/^not ok /  FAIL: /'
    p=$((p - s)) s=$((s + cs)) f=$((f - cs))
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "  FAIL: $1 exited with status $2"
        tail -n 5 "$log" | sed 's/^/    /'
        f=1
    fi
    echo "$1: $p passed, $f failed, $s skipped"
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

# The sanitized build's leak checker knows the leaks of libraries we use.
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

for build in "$@"; do
    case $build in *san*) kind=sanitized ;; *) kind=plain ;; esac
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
        count "$kind $(basename "$t")" $?
    done
    for t in tests/e2e/*.sh; do
        [ -f "$t" ] && [ "$(basename "$t")" != lib.sh ] || continue
        BIN="$top/$build/bin" BUILD_KIND=$kind sh "$t" >"$log" 2>&1
        count "$kind $(basename "$t" .sh)" $?
    done
done
echo
if [ "$skip" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
