#!/bin/sh
# Where -o writes, for every tool: a FIFO, a symbolic link, a device, an
# existing file with its own mode, standard output under its names — and
# that a failed run harms nothing and writes nothing.
. "$(dirname "$0")/lib.sh"

XML=$TMP/in.xml
"$BIN/news2xml" -o "$XML" "$FIX/text/dongda-2023-07-12.txt" || { fail "news2xml makes the input"; exit 1; }
cp "$FIX/text/dongda-2023-07-12.txt" "$TMP/page.txt"

# run_tool TOOL OUT: the tool writing its output to OUT (-o OUT).
run_tool() {
    case $1 in
    news2xml) "$BIN/news2xml" -q -o "$2" "$TMP/page.txt" ;;
    xml2docx) "$BIN/xml2docx" -q -o "$2" "$XML" ;;
    xml2pdf)  "$BIN/xml2pdf" -q -o "$2" "$XML" ;;
    newsgrep) "$BIN/newsgrep" -o "$2" "dong da" "$XML" ;;
    esac
}
# run_bad TOOL OUT: the same tool failing (its input does not exist).
run_bad() {
    case $1 in
    news2xml) "$BIN/news2xml" -q -o "$2" "$TMP/missing.txt" ;;
    newsgrep) "$BIN/newsgrep" -o "$2" "dong da" "$TMP/missing.xml" ;;
    *)        "$BIN/$1" -q -o "$2" "$TMP/missing.xml" ;;
    esac
}
# looks_right TOOL FILE: what the tool writes, by an independent reader.
looks_right() {
    case $1 in
    news2xml|newsgrep) xmllint --noout --relaxng "$SCHEMA" "$2" 2>/dev/null ;;
    xml2docx) unzip -tq "$2" >/dev/null 2>&1 ;;
    xml2pdf)  qpdf --check "$2" >/dev/null 2>&1 ;;
    esac
}

TOOLS="news2xml xml2docx xml2pdf"
# newsgrep takes -o as --output once its options follow the common set
"$BIN/newsgrep" --help 2>/dev/null | grep -q -- '--output' && TOOLS="$TOOLS newsgrep"

for t in $TOOLS; do
    d=$TMP/$t
    mkdir -p "$d"

    # a new file gets 0666 & ~umask
    (umask 027; run_tool "$t" "$d/new.out") >/dev/null 2>&1
    check_eq "$t: a new -o file gets 0666 & ~umask" "640" "$(stat -c %a "$d/new.out")"
    looks_right "$t" "$d/new.out" && ok "$t: and holds a whole document" || fail "$t: and holds a whole document"

    # an existing file keeps its mode
    echo old >"$d/keep.out"
    chmod 0604 "$d/keep.out"
    run_tool "$t" "$d/keep.out" >/dev/null 2>&1
    check_eq "$t: an existing 0604 file keeps its mode" "604" "$(stat -c %a "$d/keep.out")"

    # and its owner and group, where we may set them (as root)
    if [ "$(id -u)" = 0 ]; then
        echo old >"$d/owned.out"
        chown 65534:65534 "$d/owned.out"
        run_tool "$t" "$d/owned.out" >/dev/null 2>&1
        check_eq "$t: an existing file keeps its owner and group" "65534:65534" "$(stat -c %u:%g "$d/owned.out")"
    fi

    # a failed run leaves the existing file and no temporary file
    echo precious >"$d/fail.out"
    run_bad "$t" "$d/fail.out" >/dev/null 2>&1
    check_eq "$t: a failed run leaves an existing -o file as it was" "precious" "$(cat "$d/fail.out")"
    check_eq "$t: and leaves no temporary file" "" "$(ls -A "$d" | grep '^\.' )"
    check_eq "$t: a failed run writes nothing to standard output" "0" \
        "$(run_bad "$t" - 2>/dev/null | wc -c | tr -d ' ')"

    # a symbolic link is followed: its target is replaced, the link stays
    echo old >"$d/target.out"
    ln -s target.out "$d/link.out"
    run_tool "$t" "$d/link.out" >/dev/null 2>&1
    [ -L "$d/link.out" ] && ok "$t: -o onto a symlink leaves the link" || fail "$t: -o onto a symlink leaves the link"
    looks_right "$t" "$d/target.out" && ok "$t: and writes the file it points at" ||
        fail "$t: and writes the file it points at"
    # a dangling link: the file is made where the link points
    ln -s made.out "$d/dangling.out"
    run_tool "$t" "$d/dangling.out" >/dev/null 2>&1
    looks_right "$t" "$d/made.out" && ok "$t: -o onto a dangling symlink makes its target" ||
        fail "$t: -o onto a dangling symlink makes its target"

    # a FIFO is written into, not replaced
    mkfifo "$d/fifo"
    timeout 20 cat "$d/fifo" >"$d/from-fifo" &
    reader=$!
    run_tool "$t" "$d/fifo" >/dev/null 2>&1
    wait $reader
    [ -p "$d/fifo" ] && ok "$t: -o onto a FIFO leaves the FIFO" || fail "$t: -o onto a FIFO leaves the FIFO"
    looks_right "$t" "$d/from-fifo" && ok "$t: and its reader gets the whole document" ||
        fail "$t: and its reader gets the whole document"

    # standard output under its names
    run_tool "$t" - >"$d/dash.out" 2>/dev/null
    looks_right "$t" "$d/dash.out" && ok "$t: -o - writes standard output" || fail "$t: -o - writes standard output"
    # (never the system's /dev/stdout itself: a tool that got it wrong would
    # replace it; links of our own that lead there take the same path)
    ln -s /dev/stdout "$d/stdout"
    run_tool "$t" "$d/stdout" 2>/dev/null | cat >"$d/devstdout.out"
    looks_right "$t" "$d/devstdout.out" && ok "$t: -o a link to /dev/stdout writes into a pipe" ||
        fail "$t: -o a link to /dev/stdout writes into a pipe"
    [ -L "$d/stdout" ] && ok "$t: and the link is still a link" || fail "$t: and the link is still a link"
    ln -s /proc/self/fd/1 "$d/fd1"
    run_tool "$t" "$d/fd1" >"$d/viafd.out" 2>/dev/null
    looks_right "$t" "$d/viafd.out" && ok "$t: -o a symlink to /proc/self/fd/1 writes standard output" ||
        fail "$t: -o a symlink to /proc/self/fd/1 writes standard output"
    # a file opened for appending by the shell is appended to, not replaced
    echo first >"$d/append.out"
    run_tool "$t" "$d/stdout" >>"$d/append.out" 2>/dev/null
    check_eq "$t: -o /dev/stdout appends where the shell appends" "first" "$(head -n 1 "$d/append.out")"
    looks_right "$t" "$d/append.out" || [ "$(wc -c <"$d/append.out")" -gt 100 ] &&
        ok "$t: after what was there" || fail "$t: after what was there"

    # a device node of our own (never the system's): written into, kept
    if [ "$(id -u)" = 0 ]; then
        mknod "$d/null" c 1 3
        run_tool "$t" "$d/null" >/dev/null 2>&1
        check_eq "$t: -o onto a character device (our own null) succeeds" "0" "$?"
        [ -c "$d/null" ] && ok "$t: and leaves the device a device" || fail "$t: and leaves the device a device"
        mknod "$d/full" c 1 7
        run_tool "$t" "$d/full" >/dev/null 2>"$d/full.err"
        st=$?
        check_eq "$t: -o onto a full device fails with status 2" "2" "$st"
        check_contains "$t: and names the file and the reason" "$d/full.err" "$d/full: write error: No space left on device"
        [ -c "$d/full" ] && ok "$t: and leaves that device a device" || fail "$t: and leaves that device a device"
    else
        skip "$t: -o onto device nodes" "not root: mknod needs it"
    fi
done

# binary documents are not written to a terminal
if command -v script >/dev/null 2>&1; then
    for t in xml2docx xml2pdf; do
        script -qec "$BIN/$t $XML" /dev/null >"$TMP/tty.$t" 2>&1
        check_contains "$t refuses to write to a terminal" "$TMP/tty.$t" "terminal"
    done
else
    skip "binary output is not written to a terminal" "script(1) not installed"
fi

# a run stopped by a signal leaves no temporary file behind: each tool is
# held reading a FIFO after its output file is open, then killed
# (xml2docx opens its output only once every input is read: not here).
# A job started with & has SIGINT ignored; env gives it back as a user
# at a terminal has it.
for t in news2xml newsgrep xml2pdf; do
    for sig in INT:2 TERM:15 HUP:1; do
        num=${sig#*:} sig=${sig%:*}
        d=$TMP/sig.$t.$sig
        mkdir "$d" && mkfifo "$d/fifo"
        run="env --default-signal=$sig $BIN/$t"
        case $t in
        news2xml) $run -q -o "$d/out" "$TMP/page.txt" "$d/fifo" 2>/dev/null & ;;
        newsgrep) $run -o "$d/out" "dong da" "$XML" "$d/fifo" 2>/dev/null & ;;
        xml2pdf) $run -q -o "$d/out" "$XML" "$d/fifo" 2>/dev/null & ;;
        esac
        pid=$!
        tries=0 # until the temporary file is there (5 s at most)
        while [ -z "$(find "$d" -name '.out.*')" ] && [ $tries -lt 100 ]; do
            sleep 0.05
            tries=$((tries + 1))
        done
        made=$(find "$d" -name '.out.*' | wc -l | tr -d ' ')
        kill -s "$sig" $pid
        wait $pid
        st=$?
        check_eq "$t killed by SIG$sig: dies of it, its temporary file gone, no output" \
            "1|$((128 + num))|" "$made|$st|$(ls -A "$d" | grep -v '^fifo$')"
    done
done
