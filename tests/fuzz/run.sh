#!/bin/sh
# Runs the libFuzzer harnesses built in BUILD/fuzz, one after the other,
# each for SECONDS, on its corpus (BUILD/corpus/NAME, kept between runs)
# and fresh seeds from fixtures/ (tests/fuzz/seeds.sh):
#   sh tests/fuzz/run.sh BUILD SECONDS [NAME...]     (make fuzz does this)
# Prints one line per harness (executions, coverage, corpus) and fails
# when one found a crash, a leak, a timeout or a broken promise; the
# input is left in BUILD/crashes/ and replays with BUILD/fuzz/NAME FILE.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
build=$1 secs=$2
shift 2
names=$*
if [ -z "$names" ]; then
    for f in tests/fuzz/fuzz_*.c; do
        n=${f##*/fuzz_}
        names="$names ${n%.c}"
    done
fi
sh tests/fuzz/seeds.sh "$build/seeds" || exit 2
mkdir -p "$build/crashes" "$build/logs"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export BT_FUZZ_RNG="$top/lib/bantin.rng"

failed=0
for name in $names; do
    bin=$build/fuzz/$name
    if [ ! -x "$bin" ]; then
        echo "fuzz $name: no harness $bin" >&2
        failed=1
        continue
    fi
    case $name in
    html) dict=html ;;
    input) dict=input ;;
    text | decode | vntext) dict=text ;;
    date) dict=date ;;
    *) dict=xml ;;
    esac
    mkdir -p "$build/corpus/$name"
    log=$build/logs/$name.log
    "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="tests/fuzz/$dict.dict" -artifact_prefix="$build/crashes/$name-" \
        "$build/corpus/$name" "$build/seeds/$name" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[^ ]*' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        echo "fuzz $name: ${runs:-?} runs in ${secs}s, $cov"
    else
        failed=1
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        why=$(grep -m 1 -E '^bantin fuzz:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log")
        echo "fuzz $name: FAILED after ${runs:-?} runs: ${why:-exit status $rc}"
        echo "  input: ${art:-none saved}; log: $log; replay: $bin ${art:-FILE}"
    fi
done
[ "$failed" -eq 0 ] || {
    echo "fuzz: a harness failed; keep its input as fixtures/fuzz/NAME-what.ext (see tests/fuzz/README.md)"
    exit 1
}
