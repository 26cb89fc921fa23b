#!/bin/sh
# news2xml --images: the images a WARC, an ARC, a zip, an MHTML file, a
# page saved "complete" and data: URIs hold are stored once under their
# SHA-256 (checked with sha256sum and file), the figures point at them
# from the XML's folder with their size and type, what cannot be stored
# is reported once and keeps its address, -j and -r give the same output,
# and the stored images go on into xml2pdf (pdfimages) and xml2docx
# (unzip).  The inputs are written by fixtures/images/make-images.py.
. "$(dirname "$0")/lib.sh"
N2X=$BIN/news2xml
G=$TMP/gen
if ! command -v python3 >/dev/null 2>&1 || ! command -v cjpeg >/dev/null 2>&1 ||
    ! python3 "$FIX/images/make-images.py" "$G" 2>"$TMP/gen.err"; then
    skip "news2xml --images" "python3 and cjpeg are needed to write the test inputs"
    exit 0
fi
cd "$TMP" || exit 2
sha() { sha256sum "$1" | cut -c1-64; }
attr() { xpath "$1" "string($2)"; } # FILE XPATH
fig() { # FILE CAPTION: "src width height type" of the figure with that caption
    for _a in src width height type; do
        printf '%s|' "$(xpath "$1" "string(//figure[caption='$2']/@$_a)")"
    done | sed 's/|$//; s/|/ /g'
}
# every src that is not a URL names a file, from the XML's folder
srcs_resolve() { # XML
    _d=$(dirname "$1") _bad=
    for _s in $(xpath "$1" '//figure/@src' | sed 's/^ *src="\([^"]*\)"/\1/' | tr -d ' '); do
        case $_s in *:*) continue ;; esac
        [ -f "$_d/$_s" ] || _bad="$_bad $_s"
    done
    [ -z "$_bad" ] || { echo "missing:$_bad"; return 1; }
}
# every file of DIR is named by the SHA-256 of its bytes and the
# extension of what file(1) says it is
names_ok() { # DIR
    for _f in "$1"/*; do
        _want="$(sha "$_f").$(file -b --mime-type "$_f" | sed 's|image/||')"
        [ "$(basename "$_f")" = "$_want" ] || { echo "$_f: wanted $_want"; return 1; }
    done
}
nfiles() { find "$1" -type f | wc -l | tr -d ' '; }
S=$G/src
I=$G/in
PHOTO=$(sha "$S/photo.jpg") WIDE=$(sha "$S/wide.png") SMALL=$(sha "$S/small.gif")

# ---- a WARC: images before and after the page, and what cannot be stored ----
mkdir out
"$N2X" --images out/img -o out/a.xml "$I/page.warc" 2>err
check_eq "WARC: exit 0, two articles" "0:2" "$?:$(xpath out/a.xml 'count(//article)')"
valid "WARC: validates" out/a.xml
check_eq "WARC: the image record before the page, stored with its size and type" \
    "img/$PHOTO.jpeg 640 427 image/jpeg" "$(fig out/a.xml 'Ảnh trước trang')"
check_eq "WARC: the image record after the page (chunked), stored" \
    "img/$WIDE.png 1200 400 image/png" "$(fig out/a.xml 'Ảnh sau trang')"
check_eq "WARC: a data: URI (base64), stored" \
    "img/$SMALL.gif 40 30 image/gif" "$(fig out/a.xml 'Ảnh trong trang')"
check_eq "WARC: the second page's use of the first image, the same file" \
    "img/$PHOTO.jpeg 640 427 image/jpeg" "$(fig out/a.xml 'Lại ảnh trước trang')"
check_eq "WARC: a revisit record (after the page) of the first image: the same file" \
    "img/$PHOTO.jpeg 640 427 image/jpeg" "$(fig out/a.xml 'Bản ghi revisit')"
check_eq "WARC: a missing image keeps its URL (in both pages)" \
    "https://cdn.example.vn/mat.jpg   |https://cdn.example.vn/mat.jpg   " \
    "$(fig out/a.xml 'Ảnh không có trong kho')|$(fig out/a.xml 'Lại ảnh không có')"
check_eq "WARC: the missing image is one notice, for the first page" "1:1" \
    "$(grep -c 'mat\.jpg' err):$(grep -c '^news2xml: .*page\.warc:https://tin\.example\.vn/thoi-su/bai-mot\.html: image https://cdn\.example\.vn/mat\.jpg not stored: not in the archive$' err)"
check_eq "WARC: text served as image/jpeg is not stored, its URL kept, one notice" \
    "https://tin.example.vn/anh/gia.jpg   :1" \
    "$(fig out/a.xml 'Không phải ảnh'):$(grep -c 'gia\.jpg not stored: not a JPEG, PNG, GIF or WebP image' err)"
check_eq "WARC: a PNG of 400 million pixels is not stored, one notice" \
    "https://tin.example.vn/anh/bom.png   :1" \
    "$(fig out/a.xml 'Quá nhiều điểm ảnh'):$(grep -c 'bom\.png not stored: 20000x20000 pixels, more than 50000000' err)"
check_eq "WARC: an image the crawler cut (WARC-Truncated) is not stored" \
    "https://tin.example.vn/anh/cat.jpg   :1" \
    "$(fig out/a.xml 'Ảnh bị cắt'):$(grep -c 'cat\.jpg not stored: cut short in the archive' err)"
check_eq "WARC: four notices, nothing else on stderr" "4" "$(wc -l <err | tr -d ' ')"
check_eq "WARC: each image stored once (3 files for 4 stored figures)" "3" "$(nfiles out/img)"
check "WARC: files named by the SHA-256 of their bytes and their type (file)" names_ok out/img
check "WARC: every src resolves from the XML's folder" srcs_resolve out/a.xml
"$N2X" "$I/page.warc" >plain.xml 2>plain.err
strip_fig() { sed -E 's/<figure[^>]*>/<figure>/' "$1"; }
strip_fig plain.xml >plain.s
strip_fig out/a.xml >img.s
check "WARC: the same articles as without --images, but for the figures" cmp plain.s img.s
check_eq "without --images: no figure has a size, type or data: src; nothing on stderr" "0:0:" \
    "$(grep -c 'width=\|type="image' plain.xml):$(grep -c 'src="data:' plain.xml):$(cat plain.err)"

"$N2X" --images out/img -o out/gz.xml "$I/page.warc.gz" 2>err
without_file <out/a.xml >a.s
without_file <out/gz.xml >gz.s
check "WARC, gzip'd record by record: the same figures" cmp a.s gz.s
check_eq "WARC.gz: still 3 files" "3" "$(nfiles out/img)"
"$N2X" --images img <"$I/page.warc" >stdin.xml 2>err
check_eq "WARC on standard input: srcs relative to the current folder" \
    "img/$WIDE.png 1200 400 image/png" "$(fig stdin.xml 'Ảnh sau trang')"
"$N2X" --images out/img -o out/both.xml "$I/page.warc" "$I/page.warc.gz" 2>err
check_eq "two archives with the same missing image: one notice for the run" "1" "$(grep -c 'mat\.jpg' err)"

# ---- ARC, MHTML, zip ----
"$N2X" --images out/img -o out/arc.xml "$I/page.arc" 2>err
check_eq "ARC: the image record after the page, stored" "0:img/$WIDE.png 1200 400 image/png:" \
    "$?:$(fig out/arc.xml 'Ảnh sau trang'):$(cat err)"
ZJ=$(sha "$S/zip.jpg") ZP=$(sha "$S/zip.png")
"$N2X" --images out/img -o out/mht.xml "$I/page.mhtml" 2>err
check_eq "MHTML: a part by its Content-Location, stored" "img/$ZJ.jpeg 320 240 image/jpeg" \
    "$(fig out/mht.xml 'Theo Content-Location')"
check_eq "MHTML: a part by its Content-ID (cid:), stored" "img/$ZP.png 300 200 image/png" \
    "$(fig out/mht.xml 'Theo Content-ID')"
"$N2X" --images out/img -o out/zip.xml "$I/pages.zip" 2>err
check_eq "zip: the member at the src's path from the page's member" "img/$ZJ.jpeg 320 240 image/jpeg" \
    "$(fig out/zip.xml 'Theo đường dẫn của trang')"
check_eq "zip: the member at the host and path of the image's URL" "img/$ZP.png 300 200 image/png" \
    "$(fig out/zip.xml 'Theo đường dẫn của URL')"
valid "zip: validates" out/zip.xml

# ---- a page saved "complete", and data: URIs ----
SJ=$(sha "$S/saved.jpg") SG=$(sha "$S/saved.gif")
"$N2X" --images out/img -o out/saved.xml "$I/saved/Bài viết.html" 2>err
check_eq "saved page: the file in Bài viết_files/ (an escaped relative src)" \
    "img/$SJ.jpeg 480 320 image/jpeg" "$(fig out/saved.xml 'Ảnh bên cạnh trang')"
check_eq "saved page: a file: URL into the page's folder" "img/$SG.gif 48 24 image/gif" \
    "$(fig out/saved.xml 'Ảnh theo URL file:')"
check_eq "saved page: a src leading out of the page's folder is not read" \
    "https://tin.example.vn/ngoai.png   :1" \
    "$(fig out/saved.xml 'Ngoài thư mục của trang'):$(grep -c "ngoai\.png not stored: outside the page's folder, not read" err)"
check_eq "saved page: the file outside was not copied" "" "$(ls out/img | grep "$(sha "$I/ngoai.png")")"
mkdir sl
cp "$I/saved/Bài viết.html" sl/
ln -s "$I/saved/Bài viết_files" "sl/Bài viết_files"
"$N2X" --images out/img -o out/sl.xml "sl/Bài viết.html" 2>err
check_eq "saved page: a folder that is a symbolic link to elsewhere is not followed" \
    "https://tin.example.vn/chinh-tri/B%C3%A0i%20vi%E1%BA%BFt_files/anh.jpg   :1" \
    "$(fig out/sl.xml 'Ảnh bên cạnh trang'):$(grep -c 'anh\.jpg not stored: outside the page.s folder (a symbolic link), not read' err)"
"$N2X" --images out/img -o out/data.xml "$I/data.html" 2>err
check_eq "data: URI with line breaks in its base64, stored" "img/$SMALL.gif 40 30 image/gif" \
    "$(fig out/data.xml 'GIF trong base64, có xuống dòng')"
check_eq "data: SVG is not stored: the figure keeps its caption, no src (as without --images), one notice" \
    "1:0:1" \
    "$(xpath out/data.xml "count(//figure[caption='SVG không được lưu'])"):$(xpath out/data.xml "count(//figure[caption='SVG không được lưu']/@src)"):$(grep -c 'image data:image/svg+xml,.* not stored: not a JPEG' err)"
check_eq "data: a 1x1 stand-in: no src, not stored, no notice" "1:0:0" \
    "$(xpath out/data.xml "count(//figure[caption='Ảnh giữ chỗ 1x1'])"):$(xpath out/data.xml "count(//figure[caption='Ảnh giữ chỗ 1x1']/@src)"):$(grep -c 'R0lGODlhAQABAIAAAAAAAP' err)"
valid "data: validates" out/data.xml
check "all of it: names are content hashes" names_ok out/img
check_eq "all of it: seven distinct images stored" "7" "$(nfiles out/img)"
same=0
while read -r name w h; do
    f=$(ls out/img/"$(sha "$S/$name")".* 2>/dev/null)
    [ -n "$f" ] && cmp -s "$f" "$S/$name" && [ "$(xpath out/a.xml "count(//figure[@width=$w][@height=$h])") \
        $(xpath out/zip.xml "count(//figure[@width=$w][@height=$h])") $(xpath out/saved.xml \
        "count(//figure[@width=$w][@height=$h])") $(xpath out/mht.xml "count(//figure[@width=$w][@height=$h])")" != "0 0 0 0" ] &&
        same=$((same + 1))
done <"$G/expect.txt"
check_eq "every image the inputs hold is stored byte for byte, a figure has its size" "7" "$same"

# ---- limits ----
"$N2X" --images lim --max-image-size=20K "$I/page.warc" >lim.xml 2>err
check_eq "--max-image-size=20K: the 51 KB photo is not stored (one notice), the 16 KB PNG is" \
    "https://tin.example.vn/anh/truoc.jpg   :1:lim/$WIDE.png" \
    "$(fig lim.xml 'Ảnh trước trang'):$(grep -c 'truoc\.jpg not stored: larger than 20 KB' err):$(attr lim.xml "//figure[caption='Ảnh sau trang']/@src")"
"$N2X" --images lim --max-image-pixels=300000 "$I/page.warc" >lim.xml 2>err
check_eq "--max-image-pixels=300000: 1200x400 refused, 640x427 stored" \
    "1:lim/$PHOTO.jpeg" \
    "$(grep -c 'sau\.png not stored: 1200x400 pixels, more than 300000' err):$(attr lim.xml "//figure[caption='Ảnh trước trang']/@src")"
"$N2X" --images lim --max-image-pixels=500M "$I/page.warc" >lim.xml 2>err
check_eq "--max-image-pixels=500M: the 400-megapixel header is stored as an image" "lim/" \
    "$(attr lim.xml "//figure[caption='Quá nhiều điểm ảnh']/@src" | cut -c1-4)"

# ---- where the srcs point from ----
mkdir -p out/sub abs
"$N2X" --images out/img -o out/sub/a.xml "$I/page.arc" 2>/dev/null
check_eq "-o out/sub/a.xml --images out/img: src ../img/…" "../img/$WIDE.png" \
    "$(attr out/sub/a.xml '//figure/@src')"
"$N2X" --images "$TMP/abs/img" -o out/sub/b.xml "$I/page.arc" 2>/dev/null
check_eq "an absolute --images DIR: still a relative src" "../../abs/img/$WIDE.png" \
    "$(attr out/sub/b.xml '//figure/@src')"
check "relative srcs resolve" srcs_resolve out/sub/b.xml

"$N2X" --images img -o /dev/stdout "$I/page.arc" >dev.xml 2>/dev/null
check_eq "-o /dev/stdout: srcs relative to the current folder, as for standard output" "img/$WIDE.png" \
    "$(attr dev.xml '//figure/@src')"

# ---- -r, -j: the same output ----
mkdir j1 j3
(cd j1 && "$N2X" -r --images img -o a.xml "$I" 2>err)
(cd j3 && "$N2X" -r -j 3 --images img -o a.xml "$I" 2>err)
check "-r -j 3 --images: the same XML as -j 1" cmp j1/a.xml j3/a.xml
check "-r -j 3 --images: the same notices as -j 1" cmp j1/err j3/err
check "-r -j 3 --images: the same files" diff -r j1/img j3/img
check_eq "-r: every input's articles, their images stored once" "9:7" \
    "$(xpath j1/a.xml 'count(//article)'):$(nfiles j1/img)"
check_eq "-r: the missing image reported once for the run" "1" "$(grep -c 'mat\.jpg' j1/err)"
# an article file's figures are paths from its folder: copied into the new DIR
"$N2X" --images re/img -o re.xml j1/a.xml 2>re.err
sed 's|src="img/|src="re/img/|' j1/a.xml >j1.s
check "the article format with --images: srcs now point into the new DIR" cmp j1.s re.xml
check_eq "the article format with --images: the same 7 files" "7" "$(nfiles re/img)"

# ---- the pipeline, into PDF and Word ----
mkdir -p p
"$N2X" --images p/img -o p/a.xml "$I/page.warc" 2>/dev/null &&
    "$BIN/xml2pdf" -o p/a.pdf p/a.xml 2>/dev/null
check_eq "news2xml --images | xml2pdf: pdfimages lists the JPEG and the PNG at their pixel sizes" \
    "640x427 640x427 640x427 1200x400" \
    "$(pdfimages -list p/a.pdf 2>/dev/null | awk 'NR > 2 {print $4 "x" $5}' | sort -r | tr '\n' ' ' | sed 's/ $//')"
"$BIN/xml2docx" -o p/a.docx p/a.xml 2>/dev/null
check_eq "news2xml --images | xml2docx: word/media holds the three images" "gif jpeg png" \
    "$(unzip -l p/a.docx | sed -n 's|.*word/media/image[0-9]*\.\([a-z]*\)$|\1|p' | sort -u | tr '\n' ' ' | sed 's/ $//')"

# ---- bad usage ----
: >afile
check_status "--images on a file: exit 2" 2 "$N2X" --images afile "$I/page.arc"
"$N2X" --images afile "$I/page.arc" >bad.out 2>bad.err
check_eq "--images on a file: one line, nothing on stdout" "1:0" \
    "$(wc -l <bad.err | tr -d ' '):$(wc -c <bad.out | tr -d ' ')"
check_status "--max-image-size without --images: usage error" 2 "$N2X" --max-image-size=1M "$I/page.arc"
check_status "--max-image-size=0: usage error" 2 "$N2X" --images img --max-image-size=0 "$I/page.arc"
check_status "--max-image-pixels=lots: usage error" 2 "$N2X" --images img --max-image-pixels=lots "$I/page.arc"
