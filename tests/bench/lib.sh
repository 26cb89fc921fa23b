# Shared helpers for the benchmarks.  Source it: . "$(dirname "$0")/lib.sh"
BUILD=${1:-build}
BIN=$BUILD/bin
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=
[ -d "$TOP/../shared/corpus" ] && CORPUS=$(cd "$TOP/../shared/corpus" && pwd)
WORK=$(mktemp -d) || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
export LC_ALL=C.UTF-8

need_corpus() {
    if [ -z "$CORPUS" ]; then
        echo "skipped: ../shared/corpus is not there"
        exit 0
    fi
}

# need_cmd CMD DEB WHY: installs the Debian package DEB (apt-get, once
# more after an update) when CMD is missing; without it the benchmark
# says it is skipped and exits 0.
need_cmd() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "  installing $2 (apt-get) $3"
    _sudo=; [ "$(id -u)" = 0 ] || _sudo=sudo
    { $_sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1 ||
      { $_sudo apt-get update -qq && $_sudo apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1; }; } ||
        { echo "skipped: $2 could not be installed"; exit 0; }
}

# time_runs N COMMAND…: runs the command N times, its output dropped;
# SECS is the wall time of all N (whole processes, start-up included).
time_runs() {
    _runs=$1 _i=0; shift
    _start=$(date +%s.%N)
    while [ $_i -lt "$_runs" ]; do
        "$@" >/dev/null 2>&1
        _i=$((_i + 1))
    done
    SECS=$(awk -v a="$_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.4f", b - a }')
}

# measure NAME COMMAND…: runs it under /usr/bin/time; sets SECS (the wall
# time to the millisecond: time's own %e has 10 ms steps, an eighth of a
# 0.08 s run) and RSS_KB (time's %M).
measure() {
    _name=$1; shift
    _t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.err"
    _rc=$?
    SECS=$(awk -v a="$_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
    RSS_KB=$(tail -n 1 "$WORK/.time") # after a "Command exited" line, if any
    if [ $_rc -ne 0 ]; then
        echo "  $_name: exit status $_rc: $(tail -n 2 "$WORK/.err" | tr '\n' ' ')"
    fi
}

# measure_best N NAME COMMAND…: N runs; SECS the fastest (the figure a busy
# machine disturbs least), RSS_KB the largest.  BEFORE_RUN, when set, is
# run (untimed) before each run: `rm -f OUT`, so that every run writes a
# new file as a batch conversion does (replacing a 37 MB file makes ext4
# free the old one inside rename, 15-20 ms on one thread after the work).
measure_best() {
    _n=$1; shift
    _best= _rss=0
    while [ "$_n" -gt 0 ]; do
        [ -n "${BEFORE_RUN:-}" ] && eval "$BEFORE_RUN"
        measure "$@"
        _best=$(awk -v a="$_best" -v b="$SECS" 'BEGIN { print (a == "" || b < a) ? b : a }')
        [ "$RSS_KB" -gt "$_rss" ] && _rss=$RSS_KB
        _n=$((_n - 1))
    done
    SECS=$_best RSS_KB=$_rss
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
