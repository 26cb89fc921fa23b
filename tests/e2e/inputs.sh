#!/bin/sh
# news2xml's inputs: ARC, MHTML, gzip'd and chunked HTTP bodies, the
# warcio test files, archives that would multiply their size, a page saved
# "complete", the article format passed through, -j, -g, the options, and
# the GNU parallel recipe of the README.  Outputs validate against the
# schema and articles are compared with those of the page read alone.
. "$(dirname "$0")/lib.sh"
N2X=$BIN/news2xml
I=$FIX/inputs
H=$FIX/html
W=$CORPUS/warcio-tests
strip_file() { sed 's/ file="[^"]*"//; s/ href="[^"]*"//' "$1"; }
ids() { xpath "$1" '//article/@id' | tr ' ' '\n' | sed -n 's/.*id="\(.*\)"/\1/p'; }

"$N2X" "$H/article-jsonld.html" >"$TMP/jsonld.xml"
"$N2X" "$H/article-meta.html" >"$TMP/meta.xml"
jsonld_id=$(xpath "$TMP/jsonld.xml" 'string(//article/@id)')
meta_id=$(xpath "$TMP/meta.xml" 'string(//article/@id)')

# ---- ARC ----
for f in pages.arc pages.arc.gz; do
    "$N2X" "$I/$f" >"$TMP/arc.xml" 2>"$TMP/err"
    check_eq "$f: exit 0, nothing on stderr, two articles (the image skipped)" "0::2" \
        "$?:$(cat "$TMP/err"):$(xpath "$TMP/arc.xml" 'count(//article)')"
    valid "$f: validates" "$TMP/arc.xml"
    check_eq "$f: the same articles as the pages alone" "$jsonld_id $meta_id" \
        "$(xpath "$TMP/arc.xml" 'string(//article[1]/@id)') $(xpath "$TMP/arc.xml" 'string(//article[2]/@id)')"
    check_eq "$f: source/@href is the record's URL, spaces and all" \
        "https://dongda.example.vn/tin-tuc/lang-thuong.htm|https://dongda.example.vn/giao duc/khai giang.htm" \
        "$(xpath "$TMP/arc.xml" 'string(//article[1]/source/@href)')|$(xpath "$TMP/arc.xml" 'string(//article[2]/source/@href)')"
    check_eq "$f: no record header leaks into the text" "" \
        "$(grep -E 'filedesc|HTTP/1\.1|Content-Length|192\.0\.2\.7' "$TMP/arc.xml")"
done

# ---- HTTP bodies: gzip-encoded and chunked at once ----
"$N2X" "$I/gzip-chunked.warc" >"$TMP/gz.xml" 2>"$TMP/err"
check_eq "WARC, gzip-encoded chunked response: exit 0, the article of the page" "0:$jsonld_id" \
    "$?:$(xpath "$TMP/gz.xml" 'string(//article/@id)')"

# ---- MHTML ----
"$N2X" "$I/page-qp.mhtml" >"$TMP/qp.xml" 2>"$TMP/err"
check_eq "MHTML, quoted-printable: exit 0, the page's article" "0:$meta_id" \
    "$?:$(xpath "$TMP/qp.xml" 'string(//article/@id)')"
check_eq "MHTML: the title decoded (not =C4=90…)" "Hà Nội đón hơn 2 triệu học sinh bước vào năm học mới" \
    "$(xpath "$TMP/qp.xml" 'string(//article/title)')"
check_eq "MHTML: source/@href from Content-Location" "https://dongda.example.vn/giao-duc/khai-giang.htm" \
    "$(xpath "$TMP/qp.xml" 'string(//source/@href)')"
valid "MHTML: validates" "$TMP/qp.xml"
"$N2X" "$I/page-b64-cp1258.mht" >"$TMP/b64.xml" 2>"$TMP/err"
check_eq "MHT, base64 in Windows-1258 (the part's charset): the same article" "0:$meta_id" \
    "$?:$(xpath "$TMP/b64.xml" 'string(//article/@id)')"
"$N2X" <"$I/page-qp.mhtml" >"$TMP/qp-stdin.xml"
check_eq "MHTML on standard input: sniffed" "$meta_id" "$(xpath "$TMP/qp-stdin.xml" 'string(//article/@id)')"
# GMime and libzip are opened when the first MHTML or zip file comes,
# not at start-up (with what they bring, 5 ms of every process)
if command -v ldd >/dev/null 2>&1; then
    check_eq "news2xml is linked with none of GMime, glib, libzip, OpenSSL" 0 \
        "$(ldd "$N2X" | grep -c -E 'libgmime|libglib|libgio|libgpgme|libzip|libcrypto')"
fi
if [ "$BUILD_KIND" != sanitized ] && command -v cc >/dev/null 2>&1; then
    # a machine without them: dlopen fails (a preloaded stand-in)
    printf '%s\n' '#include <stddef.h>' \
        'void *dlopen(const char *f, int m) { (void)f; (void)m; return NULL; }' \
        'char *dlerror(void) { return "cannot open shared object file"; }' >"$TMP/nodl.c"
    if cc -shared -fPIC -o "$TMP/nodl.so" "$TMP/nodl.c" 2>/dev/null; then
        LD_PRELOAD="$TMP/nodl.so" "$N2X" "$I/page-qp.mhtml" "$FIX/archive/pages.zip" \
            "$H/article-meta.html" >"$TMP/nodl.xml" 2>"$TMP/err"
        check_eq "without GMime or libzip: each such file named with why, exit 2, the other page still out" \
            "2:news2xml: $I/page-qp.mhtml: reading MHTML needs GMime (cannot open shared object file)|news2xml: $FIX/archive/pages.zip: reading zip archives needs libzip (cannot open shared object file)|:$meta_id" \
            "$?:$(tr '\n' '|' <"$TMP/err"):$(xpath "$TMP/nodl.xml" 'string(//article/@id)')"
        # an older or odd build of them: a function missing
        printf '%s\n' '#include <stddef.h>' 'static int lib;' \
            'void *dlopen(const char *f, int m) { (void)f; (void)m; return &lib; }' \
            'void *dlsym(void *h, const char *s) { (void)h; (void)s; return NULL; }' >"$TMP/nosym.c"
        cc -shared -fPIC -o "$TMP/nosym.so" "$TMP/nosym.c" 2>/dev/null
        LD_PRELOAD="$TMP/nosym.so" "$N2X" "$I/page-qp.mhtml" "$FIX/archive/pages.zip" \
            "$H/article-meta.html" >"$TMP/nosym.xml" 2>"$TMP/err"
        check_eq "a function missing from them: named, exit 2, the other page still out" \
            "2:2:$meta_id" \
            "$?:$(grep -c -E 'needs (GMime|libzip) \(lib[a-z0-9.-]+\.so\.[0-9]+ has no (g_mime|zip)_[a-z_]+\)$' "$TMP/err"):$(xpath "$TMP/nosym.xml" 'string(//article/@id)')"
    else
        skip "without GMime or libzip: each such file named" "cc cannot build a shared object"
    fi
else
    skip "without GMime or libzip: each such file named" "a sanitized build (LD_PRELOAD), or no cc"
fi

# ---- the warcio test files ----
if [ -n "$CORPUS" ] && [ -d "$W" ]; then
    notice() { # FILE URL: exit 0, the one page record read as its article
        "$N2X" "$W/$1" >"$TMP/w.xml" 2>"$TMP/err"
        check_eq "warcio $1: exit 0, the page record read (its article, from $2)" \
            "0:1:Example Domain:$2" \
            "$?:$(grep -c '<article ' "$TMP/w.xml"):$(xpath "$TMP/w.xml" 'string(//title)'):$(xpath "$TMP/w.xml" 'string(//source/@href)')"
    }
    notice example.warc http://example.com/
    notice example.warc.gz http://example.com/
    notice example.arc http://example.com/
    notice example.arc.gz http://example.com/
    notice example-wrong-chunks.warc.gz http://example.com/
    notice example-bad-non-chunked.warc.gz http://example.com/
    notice example-resource.warc.gz http://example.com/
    notice example-wget-bad-target-uri.warc.gz http://example.com/
    # ARC and WARC of the same capture give the same article
    for f in example.arc example.warc; do
        "$N2X" "$W/$f" 2>/dev/null | grep -v 'file=' >"$TMP/$f.out"
    done
    check "warcio: example.arc reads as example.warc does" cmp "$TMP/example.arc.out" "$TMP/example.warc.out"
    "$N2X" "$W/example-iana.org-chunked.warc" >"$TMP/iana.xml" 2>"$TMP/err"
    check_eq "warcio chunked response: exit 0, one article" "0:1" "$?:$(xpath "$TMP/iana.xml" 'count(//article)')"
    check_eq "warcio chunked response: no chunk sizes in the text" "" \
        "$(xpath "$TMP/iana.xml" '//body' | grep -xE '[0-9a-fA-F]{1,6}\r?')"
    for f in example-space-in-target-uri.warc.gz post-test.warc.gz example-digest.warc; do
        "$N2X" "$W/$f" >"$TMP/w.xml" 2>"$TMP/err"
        check_eq "warcio $f: no page in it (an image, JSON, a revisit): exit 0, silent" "0:" \
            "$?:$(cat "$TMP/err")"
    done
    "$N2X" "$W/example-trunc.warc" >"$TMP/w.xml" 2>"$TMP/err"
    check_eq "warcio example-trunc.warc: exit 2, the records before read, one line for the cut" "2:1" \
        "$?:$(grep -c 'the rest is skipped' "$TMP/err")"
    "$N2X" "$W/example-space-in-url.arc" >"$TMP/w.xml" 2>"$TMP/err"
    check_eq "warcio example-space-in-url.arc: the URL with spaces, the cut record named" "2:1" \
        "$?:$(grep -c 'EmailTitle=Examples From The Live Web&IsPopUp=False): truncated ARC record' "$TMP/err")"
    "$N2X" "$W/bad.arc" >"$TMP/w.xml" 2>"$TMP/err"
    check_eq "warcio bad.arc: exit 2, one line, nothing written" "2:1:0" \
        "$?:$(wc -l <"$TMP/err" | tr -d ' '):$(wc -c <"$TMP/w.xml" | tr -d ' ')"
    "$N2X" "$W/example-bad.warc.gz.bad" >"$TMP/w.xml" 2>"$TMP/err"
    check_eq "warcio example-bad.warc.gz.bad: no crash, clear lines" "" \
        "$(grep -v '^news2xml: ' "$TMP/err")"
else
    skip "the warcio test files" "../shared/corpus/warcio-tests is not there"
fi

# ---- archives that would multiply their size ----
if command -v python3 >/dev/null 2>&1; then
    python3 "$FIX/archive/make-bomb.py" overlap "$TMP/overlap.zip"
    "$N2X" "$TMP/overlap.zip" >"$TMP/bomb.xml" 2>"$TMP/err"
    check_eq "zip of 1,000 entries over one 10 MB member: exit 2, one line naming it, nothing out" \
        "2:1:1:0" "$?:$(wc -l <"$TMP/err" | tr -d ' '):$(grep -c "$TMP/overlap.zip: members overlap" "$TMP/err"):$(wc -c <"$TMP/bomb.xml" | tr -d ' ')"
    check_eq "the overlapping zip is $(($(wc -c <"$TMP/overlap.zip") / 1024)) KB" "yes" \
        "$([ "$(wc -c <"$TMP/overlap.zip")" -lt 100000 ] && echo yes)"
    mkdir -p "$TMP/inzip" && cp "$TMP/overlap.zip" "$TMP/inzip/" && (cd "$TMP/inzip" && zip -q ../outer.zip overlap.zip)
    cp "$FIX/text/dongda-2023-07-12.txt" "$TMP/inzip/"
    (cd "$TMP/inzip" && zip -q ../outer.zip dongda-2023-07-12.txt)
    "$N2X" "$TMP/outer.zip" >"$TMP/outer.xml" 2>"$TMP/err"
    check_eq "the same inside a zip: reported, the other member converted" "2:1:1" \
        "$?:$(grep -c 'outer.zip:overlap.zip: members overlap' "$TMP/err"):$(xpath "$TMP/outer.xml" 'count(//article)')"
    python3 "$FIX/archive/make-bomb.py" ratio "$TMP/ratio.zip" "$FIX/text/breadcrumb-date-first.txt"
    "$N2X" "$TMP/ratio.zip" >"$TMP/ratio.xml" 2>"$TMP/err"
    rc=$? n=$(xpath "$TMP/ratio.xml" 'count(//article)')
    check_eq "20 members of 1 MB in a 115 KB zip: exit 2, one line, the members before kept" "2:1:yes" \
        "$rc:$(grep -c "$TMP/ratio.zip: unpacks to more than 100 times its size" "$TMP/err"):$([ "$n" -gt 0 ] && [ "$n" -lt 20 ] && echo yes)"
    "$N2X" --max-ratio 1000 "$TMP/ratio.zip" >"$TMP/ratio.xml" 2>"$TMP/err"
    check_eq "--max-ratio 1000: all 20 members" "0:20" "$?:$(xpath "$TMP/ratio.xml" 'count(//article)')"
    "$N2X" --max-ratio 1000 --max-unpacked 3M "$TMP/ratio.zip" >"$TMP/ratio.xml" 2>"$TMP/err"
    check_eq "--max-unpacked 3M: stops at the cap, one line" "2:1:3" \
        "$?:$(grep -c 'unpacks to more than 3.0 MB (the cap' "$TMP/err"):$(xpath "$TMP/ratio.xml" 'count(//article)')"
    head -c 50000000 /dev/zero | gzip -9 >"$TMP/zeros.gz"
    "$N2X" "$TMP/zeros.gz" >/dev/null 2>"$TMP/err"
    check_eq "a gzip bomb: exit 2, one line" "2:1" "$?:$(wc -l <"$TMP/err" | tr -d ' ')"
else
    skip "archives that would multiply their size" "python3 is not installed"
fi

# ---- a page saved "complete": the page and its folder of files ----
mkdir -p "$TMP/saved/Trang_files"
cp "$H/article-jsonld.html" "$TMP/saved/Trang.html"
printf 'var site_id = 12; document.write("<html>");\n' >"$TMP/saved/Trang_files/app.js"
printf 'body { margin: 0 }\n' >"$TMP/saved/Trang_files/style.css"
printf '{"@context": "https://schema.org", "headline": "x"}\n' >"$TMP/saved/Trang_files/data.json"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$TMP/saved/Trang_files/logo.png"
printf '\377\330\377\340\0\020JFIF' >"$TMP/saved/Trang_files/anh"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$TMP/saved/Trang_files/icon.svg"
"$N2X" -r "$TMP/saved" >"$TMP/saved.xml" 2>"$TMP/err"
check_eq "-r on a saved page: exit 0, one article, one notice for the 6 other files" \
    "0:1:news2xml: skipped 6 files that are not news pages (scripts, styles, images, data)" \
    "$?:$(xpath "$TMP/saved.xml" 'count(//article)'):$(cat "$TMP/err")"
check_status "a named image is an error" 2 "$N2X" "$TMP/saved/Trang_files/logo.png"
check_eq "a named image: one line saying what it is" \
    "news2xml: $TMP/saved/Trang_files/logo.png: not a news page (a PNG image)" "$(cat "$TMP/.out")"

# ---- the article format passes through ----
"$N2X" "$FIX"/text/*.txt "$H"/article-*.html >"$TMP/a.xml" 2>/dev/null
"$N2X" "$TMP/a.xml" >"$TMP/b.xml" 2>"$TMP/err"
check "articles through news2xml again: byte for byte the same" cmp "$TMP/a.xml" "$TMP/b.xml"
check_eq "articles through news2xml again: as many articles" \
    "$(xpath "$TMP/a.xml" 'count(//article)')" "$(xpath "$TMP/b.xml" 'count(//article)')"
gzip -c "$TMP/a.xml" | "$N2X" >"$TMP/c.xml"
check "gzip'd articles on standard input: the same" cmp "$TMP/a.xml" "$TMP/c.xml"
(cd "$TMP" && zip -q arts.zip a.xml)
"$N2X" "$TMP/arts.zip" >"$TMP/d.xml"
check "articles inside a zip: the same" cmp "$TMP/a.xml" "$TMP/d.xml"
python3 -c 'import sys,unicodedata; sys.stdout.write(unicodedata.normalize("NFD", open(sys.argv[1], encoding="utf-8").read()))' \
    "$TMP/a.xml" >"$TMP/nfd.xml"
"$N2X" "$TMP/nfd.xml" >"$TMP/e.xml"
check "NFD articles: normalised back to the same bytes" cmp "$TMP/a.xml" "$TMP/e.xml"
sed 's|<title>Chỉ có|<title>Đã sửa: Chỉ có|' "$TMP/a.xml" >"$TMP/edited.xml"
"$N2X" "$TMP/edited.xml" >"$TMP/f.xml"
check_eq "an edited article gets its id computed again" "no" \
    "$(grep -q "$(xpath "$TMP/edited.xml" 'string(//article[title[starts-with(., "Đã sửa")]]/@id)')" "$TMP/f.xml" && echo yes || echo no)"
head -c 3000 "$TMP/a.xml" >"$TMP/cut.xml"
"$N2X" "$TMP/cut.xml" >"$TMP/g.xml" 2>"$TMP/err"
check_eq "a cut-off article file: exit 2, one line with its position" "2:1" \
    "$?:$(grep -c "^news2xml: $TMP/cut.xml:[0-9]*:[0-9]*: " "$TMP/err")"

# ---- -j: the same output on several threads ----
mkdir -p "$TMP/mix"
cp "$FIX"/text/*.txt "$H"/*.html "$FIX"/archive/pages.* "$I"/pages.arc* "$I"/*.mht* "$TMP/mix/"
: >"$TMP/mix/empty.txt"
"$N2X" -r "$TMP/mix" >"$TMP/j1.xml" 2>"$TMP/j1.err"
rc1=$?
for j in 2 3 8; do
    "$N2X" -j $j -r "$TMP/mix" >"$TMP/j.xml" 2>"$TMP/j.err"
    check_eq "-j $j: the same exit status, output and messages as -j 1" "$rc1:same:same" \
        "$?:$(cmp -s "$TMP/j1.xml" "$TMP/j.xml" && echo same):$(cmp -s "$TMP/j1.err" "$TMP/j.err" && echo same)"
done
if [ -n "$CORPUS" ] && [ "$BUILD_KIND" != sanitized ]; then
    "$N2X" -r "$CORPUS/vi-text" "$CORPUS/vi-html" >"$TMP/c1.xml" 2>"$TMP/c1.err"
    "$N2X" -j 2 -r "$CORPUS/vi-text" "$CORPUS/vi-html" >"$TMP/c2.xml" 2>"$TMP/c2.err"
    check "corpus, -j 2: byte-identical to -j 1" cmp "$TMP/c1.xml" "$TMP/c2.xml"
else
    skip "corpus, -j 2: byte-identical to -j 1" "no corpus, or a sanitized build"
fi
check_status "-j 0 is refused" 2 "$N2X" -j 0 "$FIX/text/title-only.txt"

# ---- -g: globs for -r, as ripgrep ----
"$N2X" -r -g '*.html' "$TMP/mix" >"$TMP/g.xml" 2>/dev/null
check_eq "-g '*.html': only the HTML pages" "$("$N2X" "$TMP"/mix/*.html 2>/dev/null | grep -c '<article ')" \
    "$(grep -c '<article ' "$TMP/g.xml")"
"$N2X" -r -g '!*.txt' -g '!*.zip' -g '!*.warc*' -g '!*.arc*' -g '!*.mht*' "$TMP/mix" >"$TMP/g2.xml" 2>/dev/null
check "-g '!GLOB' excludes: the same as the HTML pages alone" cmp "$TMP/g.xml" "$TMP/g2.xml"
"$N2X" -r -g '*.txt' -g '!dongda*' "$TMP/mix" >"$TMP/g3.xml" 2>/dev/null
check_eq "-g: the last matching glob wins" "0" "$(grep -c 'dongda-2023' "$TMP/g3.xml")"
check_status "-g without -r is a usage error" 2 "$N2X" -g '*.html' "$H/article-meta.html"

# ---- -r on a folder with nothing to read: said, not a silent empty week ----
mkdir -p "$TMP/emptydir"
"$N2X" -r "$TMP/emptydir" >"$TMP/e.xml" 2>"$TMP/e.err"
check_eq "-r, an empty folder: exit 0, one notice, an empty document" \
    "0:news2xml: $TMP/emptydir: no files to read in it:0" \
    "$?:$(cat "$TMP/e.err"):$(xpath "$TMP/e.xml" 'count(//article)')"
valid "-r, an empty folder: the empty document validates" "$TMP/e.xml"
"$N2X" -r -g '*.nothing' "$TMP/mix" >/dev/null 2>"$TMP/e.err"
check_eq "-r, globs that keep nothing: the notice says so" \
    "news2xml: $TMP/mix: no files to read in it that the globs keep" "$(cat "$TMP/e.err")"

# ---- symbolic links under -r: passed over with a notice, or --follow ----
mkdir -p "$TMP/links/sub"
cp "$H/article-meta.html" "$TMP/links/b.html"
ln -s "$H/article-jsonld.html" "$TMP/links/a.html"
ln -s "$TMP/links" "$TMP/links/sub/loop"
"$N2X" -r "$TMP/links" >"$TMP/ln.xml" 2>"$TMP/ln.err"
check_eq "-r: links passed over, one notice, exit 0, the real page only" \
    "0:news2xml: skipped 2 symbolic links (--follow follows them):$meta_id" \
    "$?:$(cat "$TMP/ln.err"):$(ids "$TMP/ln.xml" | tr '\n' ' ' | sed 's/ $//')"
"$N2X" -r --follow "$TMP/links" >"$TMP/lf.xml" 2>"$TMP/lf.err"
check_eq "--follow: the linked page too, in name order; the loop named, not walked" \
    "0:1:$jsonld_id $meta_id" \
    "$?:$(grep -c 'sub/loop: a link back to a directory it is in, not followed' "$TMP/lf.err"):$(ids "$TMP/lf.xml" | tr '\n' ' ' | sed 's/ $//')"
valid "--follow: validates" "$TMP/lf.xml"
ln -s "$TMP/links/gone.html" "$TMP/links/c.html"
"$N2X" -r --follow "$TMP/links" >"$TMP/lb.xml" 2>"$TMP/lb.err"
check_eq "--follow, a broken link: named, exit 2, the other pages still out" \
    "2:1:2" "$?:$(grep -c 'c.html' "$TMP/lb.err"):$(xpath "$TMP/lb.xml" 'count(//article)')"

# ---- options: one line and a pointer at --help, status 2 ----
usage_err() { # NAME ARGS…
    _name=$1; shift
    "$N2X" "$FIX/text/title-only.txt" "$@" >"$TMP/u.out" 2>"$TMP/u.err"
    _rc=$?
    check_eq "$_name: status 2, one line and 'Try news2xml --help', nothing out" "2:2:1:0" \
        "$_rc:$(wc -l <"$TMP/u.err" | tr -d ' '):$(grep -c "^Try 'news2xml --help'" "$TMP/u.err"):$(wc -c <"$TMP/u.out" | tr -d ' ')"
}
usage_err "unknown option" --bogus
usage_err "unknown short option" -Y
usage_err "unknown --lang" --lang banana
usage_err "bad --tz" --tz 25:99
usage_err "unknown --encoding" --encoding NO-SUCH-CHARSET
usage_err "bad --max-ratio" --max-ratio lots
usage_err "bad --max-unpacked" --max-unpacked 12Q
usage_err "missing value" --output
"$N2X" --lang en-GB "$FIX/text/title-only.txt" >"$TMP/l.xml"
check_eq "--lang en-GB is accepted" "en-GB" "$(xpath "$TMP/l.xml" 'string(//article/@lang)')"
sed 's/\\-/-/g' "$TOP/cmd/news2xml.1" >"$TMP/man.txt"
for o in output recursive quiet help version jobs glob follow max-ratio max-unpacked encoding tz lang; do
    grep -q -- "--$o" "$TMP/man.txt" || { fail "man page documents --$o"; continue; }
    ok "man page documents --$o"
done

# ---- standard input is named by the library ----
: >"$TMP/empty"
"$N2X" <"$TMP/empty" >/dev/null 2>"$TMP/err"
check_eq "an empty standard input: named (standard input)" "1" "$(grep -c '^news2xml: (standard input): ' "$TMP/err")"

# ---- the GNU parallel recipe of the README ----
if command -v parallel >/dev/null 2>&1; then
    mkdir -p "$TMP/pages"
    cp "$FIX"/text/*.txt "$H"/article-*.html "$FIX"/archive/pages.zip "$I"/pages.arc "$TMP/pages/"
    if [ -n "$CORPUS" ]; then
        find "$CORPUS/vi-text/baomoi-magizbox" -type f | head -n 200 | while read -r f; do
            cp "$f" "$TMP/pages/bm-$(basename "$f")"; done
    fi
    (cd "$TMP" && PATH="$BIN:$PATH" parallel -j4 news2xml ::: pages/* >merged.xml 2>/dev/null)
    "$N2X" "$TMP"/pages/* >"$TMP/seq.xml" 2>/dev/null
    python3 - "$TMP/merged.xml" "$TMP/seq.xml" >"$TMP/cmp.out" <<'EOF'
import re, sys
import xml.etree.ElementTree as ET
def ids(path):
    data = open(path, encoding='utf-8').read()
    docs = [d for d in re.split(r'(?=<\?xml )', data) if d.strip()]
    out = []
    for d in docs:
        out += [a.get('id') for a in ET.fromstring(d.encode()).iter('article')]
    return len(docs), sorted(out)
nm, merged = ids(sys.argv[1])
ns, seq = ids(sys.argv[2])
print(nm, len(merged), len(seq), 'same' if merged == seq else 'differ')
EOF
    set -- $(cat "$TMP/cmp.out")
    check_eq "GNU parallel -j4 news2xml ::: pages/*: the articles of a sequential run ($3 articles)" "same" "$4"
    check "GNU parallel: one document per page ($1 documents)" test "$1" -gt 1
else
    skip "the GNU parallel recipe" "parallel is not installed"
fi
