#!/bin/sh
# make bench: every benchmark in tests/bench, each running our tool and
# its peer in one run and printing the ratio.  They need ../shared/corpus
# and say so when it is not there.  A benchmark is not a test: it prints
# figures and targets, it never fails because the machine is slow.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
command -v /usr/bin/time >/dev/null 2>&1 || [ -x /usr/bin/time ] || {
    echo "bench: installing time (for /usr/bin/time)"
    apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
}
status=0
for b in "$top"/tests/bench/*.sh; do
    [ "$(basename "$b")" = lib.sh ] && continue
    echo "== $(basename "$b" .sh)"
    sh "$b" "$top/$build" || status=1
    echo
done
exit $status
