#!/bin/sh
# news2xml on text pages: the example page, the variety of real pages,
# encodings, many inputs, bad input.  Every output validates against the
# schema (xmllint --relaxng) and is read back with xmllint's XPath.
. "$(dirname "$0")/lib.sh"
N2X=$BIN/news2xml
T=$FIX/text

# ---- the example page ----
"$N2X" "$T/dongda-2023-07-12.txt" >"$TMP/dongda.xml" 2>"$TMP/err"
check_eq "example: exit 0, nothing on stderr" "0:" "$?:$(cat "$TMP/err")"
valid "example: validates against the schema" "$TMP/dongda.xml"
check_eq "example: title" \
    "Ban thường vụ Quận uỷ Đống Đa làm việc với Ban Dân vận Quận uỷ, MTTQ và các tổ chức chính trị xã hội quận về đánh giá kết quả hoạt động 6 tháng đầu năm 2023" \
    "$(xpath "$TMP/dongda.xml" 'string(//article/title)')"
check_eq "example: date as printed" "12/07/2023 - 01:01 PM" "$(xpath "$TMP/dongda.xml" 'string(//date)')"
check_eq "example: date/@when" "2023-07-12T13:01:00+07:00" "$(xpath "$TMP/dongda.xml" 'string(//date/@when)')"
check_eq "example: four paragraphs" "4" "$(xpath "$TMP/dongda.xml" 'count(//body/p)')"
check_eq "example: nothing but paragraphs in the body" "4" "$(xpath "$TMP/dongda.xml" 'count(//body/*)')"
check_eq "example: first paragraph" "Thực hiện Quyết định số 825-QĐ/QU ngày 13/4/2022" \
    "$(xpath "$TMP/dongda.xml" 'substring(//body/p[1],1,48)')"
check_eq "example: last paragraph ends" "trật tự đô thị…." \
    "$(xpath "$TMP/dongda.xml" 'substring(//body/p[4], string-length(//body/p[4]) - 15)')"
check_eq "example: byline" "Quận Đống Đa" "$(xpath "$TMP/dongda.xml" 'string(//byline)')"
check_eq "example: one related link" "1" "$(xpath "$TMP/dongda.xml" 'count(//related/link)')"
check_eq "example: related link text" \
    "Kết quả bình chọn Hàng Việt Nam được người tiêu dùng yêu thích 2020" \
    "$(xpath "$TMP/dongda.xml" 'string(//related/link)')"
check_eq "example: no boilerplate in the body" "" \
    "$(xpath "$TMP/dongda.xml" '//body' | grep -E 'Các tin tức khác|danh mục tin tức|Kết quả bình chọn')"
check_eq "example: source file" "$T/dongda-2023-07-12.txt" "$(xpath "$TMP/dongda.xml" 'string(//source/@file)')"
check_eq "example: lang" "vi" "$(xpath "$TMP/dongda.xml" 'string(//article/@lang)')"
"$N2X" -o "$TMP/dongda2.xml" "$T/dongda-2023-07-12.txt"
check "example: -o writes the same bytes as stdout" cmp "$TMP/dongda.xml" "$TMP/dongda2.xml"
check "example: matches the expected output" cmp "$FIX/expected/dongda-2023-07-12.xml" \
    "$(cd "$TOP" && "$N2X" -o "$TMP/rel.xml" fixtures/text/dongda-2023-07-12.txt && echo "$TMP/rel.xml")"
check_eq "example: id is 16 hex digits" "16" \
    "$(xpath "$TMP/dongda.xml" 'string(//article/@id)' | tr -cd '0-9a-f' | wc -c | tr -d ' ')"

# ---- the variety of real pages ----
f=$TMP/crumb.xml
"$N2X" "$T/breadcrumb-date-first.txt" >"$f"
valid "breadcrumb page: validates" "$f"
check_eq "breadcrumb page: title after breadcrumb and date" \
    "Phường Láng Thượng ra quân làm sạch đường phố trước mùa mưa bão" "$(xpath "$f" 'string(//title)')"
check_eq "breadcrumb page: weekday date with GMT+7" "2023-07-12T13:01:00+07:00" "$(xpath "$f" 'string(//date/@when)')"
check_eq "breadcrumb page: three paragraphs" "3" "$(xpath "$f" 'count(//body/p)')"
check_eq "breadcrumb page: byline" "Minh Khôi" "$(xpath "$f" 'string(//byline)')"
check_eq "breadcrumb page: two related links" "2" "$(xpath "$f" 'count(//related/link)')"
check_eq "breadcrumb page: second related link" "Phường Ô Chợ Dừa hoàn thành nạo vét hồ Xã Đàn" \
    "$(xpath "$f" 'string(//related/link[2])')"
check_eq "breadcrumb page: no furniture anywhere" "" \
    "$(grep -E 'Trang chủ|Chia sẻ|Bình luận|Từ khóa|Tin liên quan' "$f")"

f=$TMP/category.xml
"$N2X" "$T/category-time-first.txt" >"$f"
valid "category page: validates" "$f"
check_eq "category page: category line dropped" \
    "Quận Đống Đa khai trương điểm sinh hoạt cộng đồng mới tại phường Trung Liệt" "$(xpath "$f" 'string(//title)')"
check_eq "category page: time before date" "2023-07-12T13:01:00+07:00" "$(xpath "$f" 'string(//date/@when)')"
check_eq "category page: subheading" "Nâng cao đời sống tinh thần cho người dân" "$(xpath "$f" 'string(//body/h)')"
check_eq "category page: lead kept as first paragraph" \
    "Điểm sinh hoạt cộng đồng rộng 300 mét vuông sẽ phục vụ hơn 5.000 người dân trong khu vực." \
    "$(xpath "$f" 'string(//body/p[1])')"
check_eq "category page: four paragraphs" "4" "$(xpath "$f" 'count(//body/p)')"
check_eq "category page: Nguồn goes to source" "Cổng thông tin quận Đống Đa" "$(xpath "$f" 'string(//source)')"
check_eq "category page: byline PV" "PV" "$(xpath "$f" 'string(//byline)')"

f=$TMP/updated.xml
"$N2X" "$T/updated-ampm.txt" >"$f"
check_eq "Cập nhật with CH: 08:30 CH is 20:30" "2023-09-05T20:30:00+07:00" "$(xpath "$f" 'string(//date/@when)')"
check_eq "Cập nhật: title" "Hà Nội đón hơn 2 triệu học sinh bước vào năm học mới" "$(xpath "$f" 'string(//title)')"
check_eq "byline with agency" "Nguyễn Văn A - TTXVN" "$(xpath "$f" 'string(//byline)')"

f=$TMP/longdate.xml
"$N2X" "$T/long-date-no-time.txt" >"$f"
check_eq "Ngày 5 tháng 9 năm 2023: date only" "2023-09-05" "$(xpath "$f" 'string(//date/@when)')"
check_eq "Xem thêm: heading ends the body" "2" "$(xpath "$f" 'count(//body/p)')"
check_eq "Xem thêm: its title becomes a link" "Quận Hoàn Kiếm tổng kết phong trào thi đua năm 2022" \
    "$(xpath "$f" 'string(//related/link)')"

f=$TMP/header.xml
"$N2X" "$T/header-lines.txt" >"$f"
valid "header lines: validates" "$f"
check_eq "header lines: url to source/@href" "https://example.vn/thoi-su/demo-20201101114516249.htm" \
    "$(xpath "$f" 'string(//source/@href)')"
check_eq "header lines: date" "2020-11-01" "$(xpath "$f" 'string(//date/@when)')"
check_eq "header lines: title is the first text line" "Thành phố chuẩn bị mở thêm ba tuyến xe buýt điện" \
    "$(xpath "$f" 'string(//title)')"
check_eq "header lines: byline" "Trường Thịnh" "$(xpath "$f" 'string(//byline)')"
check_eq "header lines: paragraphs one per line" "3" "$(xpath "$f" 'count(//body/p)')"

f=$TMP/wrapped.xml
"$N2X" "$T/hard-wrapped.txt" >"$f"
check_eq "hard-wrapped: lines joined into two paragraphs" "2" "$(xpath "$f" 'count(//body/p)')"
check_eq "hard-wrapped: joined text" \
    "Cầu rộng 3,5 mét, có lan can an toàn và hệ thống chiếu sáng bằng năng lượng mặt trời. Kinh phí xây dựng do các doanh nghiệp trên địa bàn đóng góp." \
    "$(xpath "$f" 'string(//body/p[2])')"
check_eq "hard-wrapped: dd-mm-yyyy date" "2023-07-12" "$(xpath "$f" 'string(//date/@when)')"

f=$TMP/title-only.xml
"$N2X" "$T/title-only.txt" >"$f"
check_eq "title only: an article with just a title" "Chỉ có một dòng tiêu đề mà thôi:0" \
    "$(xpath "$f" 'string(//title)'):$(xpath "$f" 'count(//body/*)')"
valid "title only: validates" "$f"

# --tz
"$N2X" --tz=+09:00 "$T/dongda-2023-07-12.txt" >"$TMP/tz.xml"
check_eq "--tz overrides +07:00" "2023-07-12T13:01:00+09:00" "$(xpath "$TMP/tz.xml" 'string(//date/@when)')"
check_status "--tz rejects garbage" 2 "$N2X" --tz=banana "$T/dongda-2023-07-12.txt"

# ---- layouts around the title: category lines, datelines, breadcrumbs, bylines before the body ----
# tline NAME: "title|when|byline|section|paragraphs|lang" of fixtures/text/NAME.txt
tline() {
    "$N2X" "$T/$1.txt" >"$TMP/$1.xml" 2>/dev/null || echo "exit $?"
    xmllint --noout --relaxng "$SCHEMA" "$TMP/$1.xml" 2>/dev/null || echo "invalid"
    printf '%s|%s|%s|%s|%s|%s' "$(xpath "$TMP/$1.xml" 'string(//article/title)')" "$(xpath "$TMP/$1.xml" 'string(//date/@when)')" \
        "$(xpath "$TMP/$1.xml" 'string(//byline)')" "$(xpath "$TMP/$1.xml" 'string(//article/section)')" \
        "$(xpath "$TMP/$1.xml" 'count(//body/p)')" "$(xpath "$TMP/$1.xml" 'string(//article/@lang)')"
}
check_eq "layout: category line, then the dateline, then the title" \
    "Hà Nội lắp thêm 200 camera giám sát giao thông ở các nút giao lớn|2023-11-15T08:05:00+07:00|Minh Khôi|Thời sự|3|vi" \
    "$(tline category-date-title)"
check_eq "layout: title, a byline before the dateline, then the body" \
    "Chợ đêm phố cổ mở thêm tuyến mới từ tháng sau|2023-09-05T20:30:00+07:00|Hoài Nam||3|vi" \
    "$(tline title-byline-date)"
check_eq "layout: breadcrumb, title, dateline after it, a labelled byline" \
    "Lãi suất tiết kiệm tiếp tục giảm ở nhiều ngân hàng|2023-09-05T08:30:00+07:00|Thu Trang|Tài chính|2|vi" \
    "$(tline breadcrumb-title-date-byline)"
check_eq "layout: a category and the dateline on one line" \
    "Hơn 2.000 giáo viên được tuyển mới trước năm học|2023-09-04T07:15:00+07:00||Giáo dục|2|vi" \
    "$(tline category-dateline-line)"
check_eq "layout: a page in English is lang=\"en\", not vi" \
    "Council approves a new bus route to the airport||||3|en" "$(tline english)"

"$N2X" "$T/flattened-table.txt" >"$TMP/flat.xml"
check_eq "layout: a table flattened one cell per line stays lines of text in order, no table" "0:11:27,5" \
    "$(xpath "$TMP/flat.xml" 'count(//body/table)'):$(xpath "$TMP/flat.xml" 'count(//body/*)'):$(xpath "$TMP/flat.xml" 'string(//body/*[6])')"

# ---- encodings: every form gives the same article ----
base=$T/breadcrumb-date-first.txt
"$N2X" "$base" | without_file >"$TMP/enc-base.xml"
printf '\357\273\277' | cat - "$base" >"$TMP/bom.txt"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$base"; } >"$TMP/u16le.txt"
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$base"; } >"$TMP/u16be.txt"
sed 's/$/\r/' "$base" >"$TMP/crlf.txt"
python3 -c 'import sys,unicodedata; sys.stdout.write(unicodedata.normalize("NFD", open(sys.argv[1], encoding="utf-8").read()))' "$base" >"$TMP/nfd.txt" 2>/dev/null ||
    uconv -x nfd "$base" >"$TMP/nfd.txt" 2>/dev/null
iconv -f UTF-8 -t CP1258 "$base" >"$TMP/cp1258.txt"
iconv -f UTF-8 -t TCVN5712-1 "$base" >"$TMP/tcvn.txt"
for kind in bom u16le u16be crlf nfd cp1258 tcvn; do
    same_article "encoding $kind: same article as plain UTF-8" "$TMP/enc-base.xml" "$TMP/enc-$kind.xml" \
        "could not make the input" "$TMP/$kind.txt"
done
check_eq "NFD input: output is NFC (no combining marks)" "" \
    "$(grep -c "$(printf '\314\200')" "$TMP/enc-nfd.xml" | grep -v '^0$')"
"$N2X" --encoding=CP1258 "$TMP/cp1258.txt" | without_file >"$TMP/enc-forced.xml"
check "--encoding CP1258 forced" cmp "$TMP/enc-base.xml" "$TMP/enc-forced.xml"

# ---- many inputs ----
"$N2X" "$T"/*.txt >"$TMP/all.xml"
check_eq "several files: one article each" "$(ls "$T"/*.txt | wc -l | tr -d ' ')" "$(xpath "$TMP/all.xml" 'count(//article)')"
valid "several files: one valid document" "$TMP/all.xml"
"$N2X" -r "$T" >"$TMP/rec.xml"
check "-r DIR: same as the sorted files" cmp "$TMP/all.xml" "$TMP/rec.xml"
"$N2X" <"$T/dongda-2023-07-12.txt" >"$TMP/stdin.xml"
check_eq "stdin: same title" "$(xpath "$TMP/dongda.xml" 'string(//title)')" "$(xpath "$TMP/stdin.xml" 'string(//title)')"
check_eq "stdin: same id as the file" "$(xpath "$TMP/dongda.xml" 'string(//article/@id)')" \
    "$(xpath "$TMP/stdin.xml" 'string(//article/@id)')"
check_status "directory without -r is an error" 2 "$N2X" "$T"

# a failing file among good ones: reported, skipped, exit 2
: >"$TMP/empty.txt"
"$N2X" "$T/dongda-2023-07-12.txt" "$TMP/empty.txt" "$T/updated-ampm.txt" >"$TMP/mixed.xml" 2>"$TMP/err"
check_eq "a bad file among good ones: exit 2" "2" "$?"
check_eq "a bad file among good ones: the others converted" "2" "$(xpath "$TMP/mixed.xml" 'count(//article)')"
check_eq "a bad file among good ones: one line naming the file" "1:1" \
    "$(wc -l <"$TMP/err" | tr -d ' '):$(grep -c "^news2xml: $TMP/empty.txt: " "$TMP/err")"
check_status "a missing file: exit 2" 2 "$N2X" "$TMP/nope.txt"
grep -q "^news2xml: $TMP/nope.txt: No such file" "$TMP/.out" && ok "a missing file: clear message" ||
    fail "a missing file: clear message"

# ---- bad input ----
bad() { # NAME FILE: exit 2 with one line, or exit 0 with a valid article
    "$N2X" "$2" >"$TMP/bad.xml" 2>"$TMP/bad.err"
    rc=$?
    lines=$(wc -l <"$TMP/bad.err" | tr -d ' ')
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q '^news2xml: ' "$TMP/bad.err"; then
        ok "$1: one-line error, exit 2 ($(cat "$TMP/bad.err"))"
    elif [ $rc -eq 0 ] && xmllint --noout --relaxng "$SCHEMA" "$TMP/bad.xml" 2>/dev/null; then
        ok "$1: a valid article"
    else
        fail "$1: exit $rc"; head -c 300 "$TMP/bad.err" | sed 's/^/#   /'
    fi
}
bad "empty file" "$TMP/empty.txt"
printf '   \n\t\n  \n' >"$TMP/blank.txt"
bad "only blank lines" "$TMP/blank.txt"
head -c 65536 /dev/urandom >"$TMP/random.bin"
bad "random bytes" "$TMP/random.bin"
check_status "random bytes: refused" 2 "$N2X" "$TMP/random.bin"
# the input is new each run: one that is taken for an article is kept
rc=0
"$N2X" "$TMP/random.bin" >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || {
    cp "$TMP/random.bin" "${TMPDIR:-/tmp}/bantin-random-taken.bin" &&
        echo "# the random bytes were taken: kept as ${TMPDIR:-/tmp}/bantin-random-taken.bin"
}
printf 'Tiêu đề\nĐoạn văn có byte\000NUL ở giữa.\n' >"$TMP/nul.txt"
bad "NUL bytes" "$TMP/nul.txt"
printf 'Tiêu đề bài viết có lỗi mã hoá\nĐoạn văn đầu tiên đúng chuẩn UTF-8.\nỞ giữa có byte hỏng \377\376 rồi tiếp tục bình thường.\nĐoạn cuối cùng vẫn đọc được đầy đủ.\n' >"$TMP/badutf8.txt"
"$N2X" "$TMP/badutf8.txt" >"$TMP/badutf8.xml" 2>"$TMP/err"
check_eq "invalid UTF-8 in the middle: still an article" "0:3" \
    "$?:$(xpath "$TMP/badutf8.xml" 'count(//body/p)')"
printf 'Tiêu đề\nCó ký tự \010 xoá và \357\273\277 BOM lạc.\n' >"$TMP/ctrl.txt"
"$N2X" "$TMP/ctrl.txt" >"$TMP/ctrl.xml"
valid "U+0008 and stray U+FEFF: dropped, output valid" "$TMP/ctrl.xml"
check_eq "U+0008 and stray U+FEFF: text kept" "Có ký tự xoá và BOM lạc." "$(xpath "$TMP/ctrl.xml" 'string(//body/p)')"
# a 100 MB single line: refused quickly, or converted, in bounded memory
if [ "$BUILD_KIND" = sanitized ]; then n=20; else n=100; fi
head -c $((n * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$TMP/huge.txt"
bad "a $n MB single line" "$TMP/huge.txt"
rm -f "$TMP/huge.txt"
check_status "-o into a missing directory: exit 2" 2 "$N2X" -o "$TMP/no/such/dir/out.xml" "$T/title-only.txt"
"$N2X" -o "$TMP/keep.xml" "$T/title-only.txt"
cp "$TMP/keep.xml" "$TMP/keep.orig"
"$N2X" -o "$TMP/keep.xml" "$TMP/random.bin" 2>/dev/null
check "a run where every input fails leaves the previous -o file alone" \
    cmp "$TMP/keep.orig" "$TMP/keep.xml"
check_eq "no temporary files left behind" "" "$(ls -a "$TMP" | grep '^\.keep.xml\.')"
check_status "--help exits 0" 0 "$N2X" --help
check_status "unknown option exits 2" 2 "$N2X" --bogus
"$N2X" --version | grep -q 'news2xml (bantin)' && ok "--version" || fail "--version"

# ---- the corpus: every page converts ----
if [ -n "$CORPUS" ] && [ "$BUILD_KIND" != sanitized ]; then
    "$N2X" -r "$CORPUS/vi-text" >"$TMP/corpus.xml" 2>"$TMP/corpus.err"
    check_eq "corpus: all 2,000 text pages convert without error" "0:" "$?:$(head -c 500 "$TMP/corpus.err")"
    valid "corpus: the output validates" "$TMP/corpus.xml"
    check_eq "corpus: 2,000 articles" "2000" "$(xpath "$TMP/corpus.xml" 'count(//article)')"
    check_eq "corpus: every article has a title" "0" "$(xpath "$TMP/corpus.xml" 'count(//article[normalize-space(title)=""])')"
    check_eq "corpus: every article has a paragraph" "0" "$(xpath "$TMP/corpus.xml" 'count(//article[not(body/p)])')"
    check_eq "corpus: dantri pages have their url and date" "1600:1600" \
        "$(xpath "$TMP/corpus.xml" 'count(//article[starts-with(source/@href,"https://dantri")])'):$(xpath "$TMP/corpus.xml" 'count(//article[starts-with(source/@href,"https://dantri")][date/@when])')"
elif [ -n "$CORPUS" ]; then
    "$N2X" -r "$CORPUS/vi-text/baomoi-magizbox" >"$TMP/corpus.xml" 2>"$TMP/corpus.err"
    check_eq "corpus (baomoi part, sanitized build): converts without error" "0:" "$?:$(head -c 500 "$TMP/corpus.err")"
else
    skip "corpus: all text pages convert" "../shared/corpus is not there"
fi

# attribute values keep their letters as UTF-8 (a writer that does not
# know its encoding writes "H&#xE0;_N&#x1ED9;i"), on one thread or two
printf '<?xml version="1.0" encoding="UTF-8"?>\n<articles version="1"><article><title>Hà Nội</title><source href="https://vi.wikipedia.org/wiki/Hà_Nội" file="tin-tức.html">Báo</source><body><p>Thủ đô</p></body></article></articles>\n' >"$TMP/attr.xml"
for j in 1 2; do
    "$N2X" -q -j $j "$TMP/attr.xml" >"$TMP/attr.out"
    check_eq "-j $j: a URL and a file name with Vietnamese letters are written as UTF-8" \
        'href="https://vi.wikipedia.org/wiki/Hà_Nội" file="tin-tức.html"' \
        "$(grep -o 'href="[^"]*" file="[^"]*"' "$TMP/attr.out")"
done
