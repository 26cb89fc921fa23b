#!/bin/sh
# news2xml on HTML pages and web archives: metadata, the article among
# menus, ads and related boxes, rich blocks, charsets, a page that is not
# an article, zip and WARC archives, bad input, and the corpus pages
# (expected values in fixtures/html-expected/corpus.tsv).  Every output
# validates against the schema and is read back with xmllint's XPath.
. "$(dirname "$0")/lib.sh"
N2X=$BIN/news2xml
H=$FIX/html
A=$FIX/archive

# ---- a page with JSON-LD, a menu, ads, related boxes and comments ----
f=$TMP/jsonld.xml
"$N2X" "$H/article-jsonld.html" >"$f" 2>"$TMP/err"
check_eq "JSON-LD page: exit 0, nothing on stderr" "0:" "$?:$(cat "$TMP/err")"
valid "JSON-LD page: validates" "$f"
check_eq "JSON-LD page: one article" "1" "$(xpath "$f" 'count(//article)')"
check_eq "JSON-LD page: title" "Phường Láng Thượng ra quân làm sạch đường phố trước mùa mưa bão" \
    "$(xpath "$f" 'string(//article/title)')"
check_eq "JSON-LD page: date as printed" "Thứ tư, 12/07/2023 - 13:01" "$(xpath "$f" 'string(//date)')"
check_eq "JSON-LD page: date/@when" "2023-07-12T13:01:00+07:00" "$(xpath "$f" 'string(//date/@when)')"
check_eq "JSON-LD page: byline" "Minh Khôi" "$(xpath "$f" 'string(//byline)')"
check_eq "JSON-LD page: source/@href from og:url" \
    "https://dongda.example.vn/tin-tuc/lang-thuong-ra-quan-lam-sach-duong-pho-20230712130100123.htm" \
    "$(xpath "$f" 'string(//source/@href)')"
check_eq "JSON-LD page: site name" "Cổng thông tin quận Đống Đa" "$(xpath "$f" 'string(//source)')"
check_eq "JSON-LD page: the lead first, prefix kept" \
    "(Dân trí) - Sáng 12/7, hơn 300 cán bộ, đoàn viên và người dân phường Láng Thượng đã ra quân tổng vệ sinh các tuyến phố." \
    "$(xpath "$f" 'string(//body/p[1])')"
check_eq "JSON-LD page: last paragraph (byline taken out)" \
    "Phường sẽ duy trì ra quân vào sáng thứ bảy hằng tuần cho đến hết mùa mưa bão, và biểu dương những tổ dân phố làm tốt." \
    "$(xpath "$f" 'string(//body/p[last()])')"
check_eq "JSON-LD page: six paragraphs" "6" "$(xpath "$f" 'count(//body/p)')"
check_eq "JSON-LD page: subheading" "Huy động sức dân" "$(xpath "$f" 'string(//body/h)')"
check_eq "JSON-LD page: quote" "Mỗi người dân hãy là một tuyên truyền viên để giữ gìn đường phố xanh, sạch, đẹp." \
    "$(xpath "$f" 'string(//body/quote)')"
check_eq "JSON-LD page: numbered list of three" "number:3" \
    "$(xpath "$f" 'string(//body/list/@type)'):$(xpath "$f" 'count(//body/list/item)')"
check_eq "JSON-LD page: figure from the lazy-loaded image" "https://dongda.example.vn/anh/2023/07/ra-quan.jpg" \
    "$(xpath "$f" 'string(//body/figure/@src)')"
check_eq "JSON-LD page: caption with Ảnh:" "Người dân dọn vệ sinh ngõ 1194 đường Láng. Ảnh: Minh Khôi" \
    "$(xpath "$f" 'string(//body/figure/caption)')"
check_eq "JSON-LD page: em kept" "“Hà Nội xanh, sạch, đẹp”" "$(xpath "$f" 'string(//body/p[2]/em)')"
check_eq "JSON-LD page: strong kept" "Nguyễn Văn Bình" "$(xpath "$f" 'string(//body/p/strong)')"
check_eq "JSON-LD page: link made absolute" "https://dongda.example.vn/tin-tuc/ke-hoach-phong-chong-lut-bao.htm" \
    "$(xpath "$f" 'string(//body/p/a/@href)')"
check_eq "JSON-LD page: related box and Đọc thêm become three links" "3" "$(xpath "$f" 'count(//related/link)')"
check_eq "JSON-LD page: Đọc thêm: cut from the link title" "Quận Hoàn Kiếm tổng kết phong trào thi đua năm 2022" \
    "$(xpath "$f" 'string(//related/link[3])')"
check_eq "JSON-LD page: related link address" "https://dongda.example.vn/tin-tuc/o-cho-dua-nao-vet-ho.htm" \
    "$(xpath "$f" 'string(//related/link[1]/@href)')"
check_eq "JSON-LD page: no menu, ads, share bar, tags, comments, sidebar or footer in the body" "" \
    "$(xpath "$f" '//body' | grep -o -E 'Thời sự|Quảng cáo|Chia sẻ|Zalo|Từ khóa|Bình luận|Tin đọc nhiều|Tin cùng chuyên mục|Bản quyền|Trang chủ|Tin liên quan|Đọc thêm|trung Liệt|xe buýt điện')"

# ---- a page with only meta tags, a table figure, an agency byline ----
f=$TMP/meta.xml
"$N2X" "$H/article-meta.html" >"$f"
valid "meta page: validates" "$f"
check_eq "meta page: <h1> title (not the <title> with the site name)" \
    "Hà Nội đón hơn 2 triệu học sinh bước vào năm học mới" "$(xpath "$f" 'string(//article/title)')"
check_eq "meta page: Cập nhật … CH date" "Cập nhật: 08:30 CH | 05/09/2023|2023-09-05T20:30:00+07:00" \
    "$(xpath "$f" 'string(//date)')|$(xpath "$f" 'string(//date/@when)')"
check_eq "meta page: canonical link" "http://thudo.example.vn/giao-duc/ha-noi-don-hon-2-trieu-hoc-sinh.html" \
    "$(xpath "$f" 'string(//source/@href)')"
check_eq "meta page: TT - lead kept, not a byline" "TT - Sáng 5/9, hơn 2,2 triệu học sinh Thủ đô chính thức bước vào năm học 2023-2024 trong không khí phấn khởi." \
    "$(xpath "$f" 'string(//body/p[1])')"
check_eq "meta page: agency byline" "Nguyễn Văn A - TTXVN" "$(xpath "$f" 'string(//byline)')"
check_eq "meta page: table picture is a figure with its caption" \
    "http://thudo.example.vn/giao-duc/anh/khai-giang.jpg|Học sinh trường Tiểu học Kim Liên trong lễ khai giảng - Ảnh: T.L" \
    "$(xpath "$f" 'string(//figure/@src)')|$(xpath "$f" 'string(//figure/caption)')"
check_eq "meta page: <br><br> splits a paragraph" "Các trường cũng được yêu cầu công khai các khoản thu ngay từ đầu năm học." \
    "$(xpath "$f" 'string(//body/p[4])')"
check_eq "meta page: hidden ad left out, five paragraphs" "5:" \
    "$(xpath "$f" 'count(//body/p)'):$(grep -o 'Quảng cáo' "$f")"

"$N2X" <"$H/article-meta.html" >"$TMP/stdin.xml"
check_eq "HTML on standard input: same article, no file name" \
    "$(xpath "$f" 'string(//article/@id)'):" "$(xpath "$TMP/stdin.xml" 'string(//article/@id)'):$(xpath "$TMP/stdin.xml" 'string(//source/@file)')"

# ---- charsets: declared, wrong, BOM: every form gives the same article ----
"$N2X" "$H/article-meta.html" | without_file >"$TMP/cs-base.xml"
sed 's/charset=utf-8/charset=windows-1258/' "$H/article-meta.html" | iconv -f UTF-8 -t CP1258 >"$TMP/cp1258.html"
sed 's/charset=utf-8/charset=iso-8859-1/' "$H/article-meta.html" >"$TMP/wrong-latin1.html"
iconv -f UTF-8 -t CP1258 "$H/article-meta.html" >"$TMP/wrong-utf8.html"
{ printf '\357\273\277'; cat "$H/article-meta.html"; } >"$TMP/bom.html"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$H/article-meta.html"; } >"$TMP/u16.html"
for kind in cp1258 wrong-latin1 wrong-utf8 bom u16; do
    case $kind in
    cp1258) what="declared windows-1258" ;; wrong-latin1) what="UTF-8 declared as iso-8859-1" ;;
    wrong-utf8) what="Windows-1258 declared as UTF-8" ;; bom) what="UTF-8 BOM" ;; u16) what="UTF-16LE BOM" ;;
    esac
    same_article "charset: $what gives the same article" "$TMP/cs-base.xml" "$TMP/cs-$kind.xml" \
        "iconv could not make the input" "$TMP/$kind.html"
done

# ---- extraction rules that hold on pages no one here wrote (issue 11) ----
# out NAME: converts fixtures/html/NAME.html into $TMP/NAME.xml and checks it validates
out() {
    "$N2X" "$H/$1.html" >"$TMP/$1.xml" 2>"$TMP/$1.err"
    check_eq "$1: exit 0, one article" "0:1" "$?:$(xpath "$TMP/$1.xml" 'count(//article)')"
    valid "$1: validates" "$TMP/$1.xml"
}
out br-body
f=$TMP/br-body.xml
check_eq "br-body: a body split by <br><br> in a div is four paragraphs" "4" "$(xpath "$f" 'count(//body/p)')"
check_eq "br-body: one <br> is a space inside a paragraph" \
    "Mỗi khóa học kéo dài hai tuần, các em được hướng dẫn kỹ năng an toàn dưới nước, cách tự cứu và cứu bạn khi gặp nạn, do huấn luyện viên của trung tâm thể thao quận đứng lớp." \
    "$(xpath "$f" 'string(//body/p[2])')"
check_eq "br-body: no menu or footer" "" "$(xpath "$f" '//body' | grep -o -E 'Trang chủ|Bản quyền')"

out ad-split
f=$TMP/ad-split.xml
check_eq "ad-split: both halves of a body split around an ad slot" "4:Từ ngày 1/10|Sở cho biết" \
    "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,12)')|$(xpath "$f" 'substring(//body/p[4],1,11)')"
check_eq "ad-split: no ad, no sidebar" "" "$(xpath "$f" '//body' | grep -o -E 'Quảng cáo|Tin mới|Một tin khác')"

out span-body
f=$TMP/span-body.xml
check_eq "span-body: a body in a span inside a layout table, three paragraphs" "3" "$(xpath "$f" 'count(//body/p)')"
check_eq "span-body: title from <title> without the site's suffix" \
    "Quận Hai Bà Trưng ra mắt mô hình tổ tự quản giữ gìn vệ sinh môi trường" "$(xpath "$f" 'string(//article/title)')"
check_eq "span-body: no table left in the body" "0" "$(xpath "$f" 'count(//body/table)')"

out link-lists
f=$TMP/link-lists.xml
check_eq "link-lists: the three paragraphs of the article, nothing else" "3" "$(xpath "$f" 'count(//body/*)')"
check_eq "link-lists: no kudos, tags, teaser, share bar or reader comments" "" \
    "$(xpath "$f" '//body' | grep -o -E 'đã thích|Tags|Read more|Siêu thị|Share|Tweet|Chợ này rất tiện|buổi chiều')"
check_eq "link-lists: the breadcrumb names the section" "Kinh tế" "$(xpath "$f" 'string(//article/section)')"

out sections
f=$TMP/sections.xml
check_eq "sections: a story in three wrappers is not cut after the first" "5:2" \
    "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'count(//body/h)')"
check_eq "sections: the last paragraph" "Nhiều người mong sau" "$(xpath "$f" 'substring(//body/p[last()],1,20)')"

out nbsp
f=$TMP/nbsp.xml
check_contains "nbsp: &nbsp; before a link keeps the words apart" "$f" "lần thứ 3 <a href=\"/tin/gia-xang.htm\">vừa</a>"
check_contains "nbsp: &nbsp; around <strong> keeps the words apart" "$f" "của <strong>họ</strong> Lưu"

out lead-twice
f=$TMP/lead-twice.xml
check_eq "lead-twice: the lead printed above the body and in it comes once" "1" \
    "$(xpath "$f" 'count(//body/p[starts-with(., "(PV) - Sáng 9/9")])')"
check_eq "lead-twice: the headline <h1>, not the logo's, without \" | … Mobile\"" \
    "Phường Trung Hòa khánh thành vườn hoa cộng đồng" "$(xpath "$f" 'string(//article/title)')"

out title-odd
f=$TMP/title-odd.xml
check_eq "title-odd: empty og:title and an <h1> naming the site: the <title> without the site" \
    "Người dân háo hức đón xem pháo hoa đêm giao thừa" "$(xpath "$f" 'string(//article/title)')"

out english
f=$TMP/english.xml
check_eq "english: a page in English without lang is lang=\"en\"" "en" "$(xpath "$f" 'string(//article/@lang)')"
"$N2X" -L fr "$H/english.html" >"$TMP/english-fr.xml"
check_eq "english: --lang overrides" "fr" "$(xpath "$TMP/english-fr.xml" 'string(//article/@lang)')"
check_eq "lang: <html lang=\"vi\"> and Vietnamese text give vi" "vi" "$(xpath "$TMP/sections.xml" 'string(//article/@lang)')"
check_eq "lang: a Vietnamese page that declares lang=\"en\" is vi" "vi" \
    "$(printf '<html lang="en"><head><title>Thử</title></head><body><p>Sáng nay, người dân phường đã ra quân dọn dẹp đường phố, khơi thông cống rãnh trước mùa mưa bão.</p></body></html>' |
       "$N2X" | xpath /dev/stdin 'string(//article/@lang)')"

out tables
f=$TMP/tables.xml
check_eq "tables: the data table is one table block with its caption" "1:Điểm chuẩn một số ngành (thang 30 điểm)" \
    "$(xpath "$f" 'count(//body/table)'):$(xpath "$f" 'string(//body/table/caption)')"
check_eq "tables: five rows, header cells marked, spans kept" "5:4:2:2" \
    "$(xpath "$f" 'count(//table/row)'):$(xpath "$f" 'count(//table/row/cell[@type="header"])'):$(xpath "$f" 'string(//table/row[1]/cell[1]/@rowspan)'):$(xpath "$f" 'string(//table/row[1]/cell[2]/@colspan)')"
check_eq "tables: cells in row order, inline markup kept" "Đại học Bách khoa|28,5|28,0|28,5" \
    "$(xpath "$f" 'string(//table/row[3]/cell[1])')|$(xpath "$f" 'string(//table/row[3]/cell[2])')|$(xpath "$f" 'string(//table/row[3]/cell[3])')|$(xpath "$f" 'string(//table/row[3]/cell[2]/strong)')"
check_eq "tables: the page's layout table and the one-cell frame are text, not tables" "4:Theo các chuyên gia" \
    "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[3],1,19)')"
check_eq "tables: figure keeps src, caption, width and height" "/anh/thi-sinh.jpg|800|533|Thí sinh làm thủ tục nhập học. Ảnh: Hoài Nam" \
    "$(xpath "$f" 'string(//figure/@src)')|$(xpath "$f" 'string(//figure/@width)')|$(xpath "$f" 'string(//figure/@height)')|$(xpath "$f" 'string(//figure/caption)')"
check_eq "tables: article:section is the section" "Tuyển sinh" "$(xpath "$f" 'string(//article/section)')"
check_eq "tables: the navigation columns are left out" "" "$(xpath "$f" '//body' | grep -o -E 'Du học|Tin khác')"

# issue 9's shapes from the page side: <em> around a link and on after it,
# one <em> around several links, a strong/em span followed by a link
out nesting
f=$TMP/nesting.xml
check_eq "nesting: every word of the four paragraphs is there" \
    "Sáng nay, đoàn tàu đầu tiên đã chạy thử đoạn trên cao, nửa sau của bài có thể đọc tại đây. Lịch chạy chính thức sẽ được công bố sau khi hoàn tất đánh giá an toàn hệ thống." \
    "$(xpath "$f" 'string(//body/p[1])')"
check_eq "nesting: the links keep their addresses" "6" "$(xpath "$f" 'count(//body//a[@href])')"
check_eq "nesting: em around links stays em inside them" "3" "$(xpath "$f" 'count(//body/p[2]//a[em or ancestor::em])')"

# ---- second round: news pages of many sites and languages (issue 11) ----
out widget-wrapper
f=$TMP/widget-wrapper.xml
check_eq "widget-wrapper: the article inside a box whose class says widget is kept, four paragraphs" "4:Từ sáng sớm" \
    "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,11)')"
check_eq "widget-wrapper: no sidebar" "" "$(xpath "$f" '//body' | grep -o -E 'Tin mới|Mùa lúa')"

out form-page
f=$TMP/form-page.xml
check_eq "form-page: a page inside one <form>, its text split by <br> in a box whose class says print" \
    "1:Sáng 8/3, Hội Liên hiệp" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,23)')"
check_eq "form-page: no menu, search box or footer" "" "$(xpath "$f" '//body' | grep -o -E 'Trang chủ|Tìm|Giới thiệu')"

out unclosed-aside
f=$TMP/unclosed-aside.xml
check_eq "unclosed-aside: an aside left open around the article keeps the article, four paragraphs" \
    "4:Chiều 28/4" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,10)')"
check_eq "unclosed-aside: no poll, ad or closed sidebar" "" \
    "$(xpath "$f" '//body' | grep -o -E 'Câu hỏi|Quảng cáo|Đọc nhiều|Giá vàng')"

out class-hint
f=$TMP/class-hint.xml
check_eq "class-hint: a short box whose class says main-content does not outweigh the article" \
    "8:Từ tối thứ sáu" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,14)')"
check_eq "class-hint: no sign-up box" "" "$(xpath "$f" '//body' | grep -o -E 'Đăng ký')"

out streamed-hidden
f=$TMP/streamed-hidden.xml
check_eq "streamed-hidden: the article streamed into a <div hidden> is read, four paragraphs" \
    "4:Từ ngày 1/6" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,11)')"
check_eq "streamed-hidden: a small hidden menu stays out" "" "$(xpath "$f" '//body' | grep -o -E 'Menu ẩn|Thời sự')"

out hidden-rest
f=$TMP/hidden-rest.xml
check_eq "hidden-rest: the story's rest in a hidden box (shown by a script) is kept, five paragraphs" \
    "5:Đội vô địch" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[5],1,11)')"

out comments-column
f=$TMP/comments-column.xml
check_eq "comments-column: readers' comments in a list whose class also says column are left out, even when longer" \
    "3:Từ tháng này" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,12)')"
check_eq "comments-column: no comment text" "" "$(xpath "$f" '//body' | grep -o -E 'Tôi thấy|Ý tưởng hay')"

out next-story
f=$TMP/next-story.xml
check_eq "next-story: the story under the page's headline, not the longer next one loaded below" \
    "3:Sáng 15/5" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[1],1,9)')"
check_eq "next-story: nothing of the next story" "" "$(xpath "$f" '//body' | grep -o -E 'Chợ hoa')"

out title-escaped
f=$TMP/title-escaped.xml
check_eq "title-escaped: character references escaped twice in og:title are decoded" \
    "Giá xăng ‘giảm sâu’ từ chiều nay" "$(xpath "$f" 'string(//article/title)')"

out hidden-class
f=$TMP/hidden-class.xml
check_eq "hidden-class: boxes a class hides (hidden, sr-only) are left out, one shown from some width on is kept" \
    "4:Thẻ thư viện" "$(xpath "$f" 'count(//body/p)'):$(xpath "$f" 'substring(//body/p[4],1,12)')"
check_eq "hidden-class: no sign-in prompt or screen-reader label" "" "$(xpath "$f" '//body' | grep -o -E 'ĐĂNG KÝ|Đăng ký|Quảng cáo')"

# ---- not an article ----
"$N2X" "$H/homepage.html" >"$TMP/home.xml" 2>"$TMP/err"
check_eq "home page: exit 0, no article" "0:0" "$?:$(xpath "$TMP/home.xml" 'count(//article)')"
check_eq "home page: one notice naming the file" "1:1" \
    "$(wc -l <"$TMP/err" | tr -d ' '):$(grep -c "^news2xml: $H/homepage.html: not an article" "$TMP/err")"
valid "home page: the (empty) output validates" "$TMP/home.xml"
"$N2X" "$H/truncated.html" >"$TMP/trunc.xml" 2>"$TMP/err"
check_eq "truncated HTML: an article with the text that is there" "0:Tin bị cắt giữa chừng khi lưu trang:2" \
    "$?:$(xpath "$TMP/trunc.xml" 'string(//article/title)'):$(xpath "$TMP/trunc.xml" 'count(//body/p)')"

# ---- the kind is sniffed from content, not from the name ----
cp "$H/article-jsonld.html" "$TMP/looks-like-text.txt"
"$N2X" "$TMP/looks-like-text.txt" | without_file >"$TMP/sniff1.xml"
"$N2X" "$H/article-jsonld.html" | without_file >"$TMP/sniff0.xml"
check "HTML named .txt: read as HTML" cmp "$TMP/sniff0.xml" "$TMP/sniff1.xml"
cp "$FIX/text/dongda-2023-07-12.txt" "$TMP/looks-like-html.html"
"$N2X" "$TMP/looks-like-html.html" | without_file >"$TMP/sniff2.xml"
"$N2X" "$FIX/text/dongda-2023-07-12.txt" | without_file >"$TMP/sniff3.xml"
check "text page named .html: read as text" cmp "$TMP/sniff3.xml" "$TMP/sniff2.xml"

# ---- archives ----
f=$TMP/zip.xml
"$N2X" "$A/pages.zip" >"$f" 2>"$TMP/err"
check_eq "zip: exit 0, three articles" "0:3" "$?:$(xpath "$f" 'count(//article)')"
valid "zip: validates" "$f"
check_eq "zip: HTML, HTML and text members, in order" \
    "Phường Láng Thượng ra quân làm sạch đường phố trước mùa mưa bão|Hà Nội đón hơn 2 triệu học sinh bước vào năm học mới|Quận Đống Đa" \
    "$(xpath "$f" 'string(//article[1]/title)')|$(xpath "$f" 'string(//article[2]/title)')|$(xpath "$f" 'string(//article[3]/byline)')"
check_eq "zip: source/@file names the member" "$A/pages.zip:trang/article-meta.htm" \
    "$(xpath "$f" 'string(//article[2]/source/@file)')"
check_eq "zip: the home page in it is one notice" "1" "$(grep -c 'pages.zip:homepage.html: not an article' "$TMP/err")"
check_eq "zip: same article as the page alone" "$(xpath "$TMP/jsonld.xml" 'string(//article/@id)')" \
    "$(xpath "$f" 'string(//article[1]/@id)')"

f=$TMP/warc.xml
"$N2X" "$A/pages.warc" >"$f" 2>"$TMP/err"
check_eq "WARC: exit 0, two articles (request, image, 404, metadata skipped)" "0:2" \
    "$?:$(xpath "$f" 'count(//article)')"
valid "WARC: validates" "$f"
check_eq "WARC: source/@href from WARC-Target-URI" \
    "https://dongda.example.vn/tin-tuc/lang-thuong.htm|https://dongda.example.vn/giao-duc/khai-giang.htm" \
    "$(xpath "$f" 'string(//article[1]/source/@href)')|$(xpath "$f" 'string(//article[2]/source/@href)')"
check_eq "WARC: chunked response decoded" "TT - Sáng 5/9, hơn 2,2 triệu học sinh Thủ đô chính thức bước vào năm học 2023-2024 trong không khí phấn khởi." \
    "$(xpath "$f" 'string(//article[2]/body/p[1])')"
check_eq "WARC: the home page record is one notice" "1:1" \
    "$(wc -l <"$TMP/err" | tr -d ' '):$(grep -c 'index.html: not an article' "$TMP/err")"
"$N2X" "$A/pages.warc.gz" 2>/dev/null | without_file >"$TMP/warcgz.xml"
without_file <"$f" >"$TMP/warc-nofile.xml"
check "WARC.gz (a gzip member per record): same articles" cmp "$TMP/warc-nofile.xml" "$TMP/warcgz.xml"
"$N2X" <"$A/pages.warc.gz" 2>/dev/null | without_file >"$TMP/warcgz-stdin.xml"
check "WARC.gz on standard input: same articles" cmp "$TMP/warc-nofile.xml" "$TMP/warcgz-stdin.xml"
cp "$A/pages.warc.gz" "$TMP/no-extension"
"$N2X" "$TMP/no-extension" 2>/dev/null | without_file >"$TMP/warcgz-noext.xml"
check "WARC.gz without its extension: sniffed" cmp "$TMP/warc-nofile.xml" "$TMP/warcgz-noext.xml"
gzip -c "$H/article-jsonld.html" >"$TMP/page.html.gz"
"$N2X" "$TMP/page.html.gz" 2>/dev/null | without_file >"$TMP/pagegz.xml"
check "a gzip'd page: same article" cmp "$TMP/sniff0.xml" "$TMP/pagegz.xml"

mkdir -p "$TMP/mixed/sub"
cp "$A/pages.zip" "$A/pages.warc.gz" "$TMP/mixed/"
cp "$H/article-meta.html" "$FIX/text/updated-ampm.txt" "$TMP/mixed/sub/"
"$N2X" -r "$TMP/mixed" >"$TMP/mixed.xml" 2>"$TMP/err"
check_eq "-r: text, HTML, zip and WARC.gz mixed: 3 + 2 + 1 + 1 articles" "0:7" \
    "$?:$(xpath "$TMP/mixed.xml" 'count(//article)')"
valid "-r: validates" "$TMP/mixed.xml"

# a big WARC.gz is streamed: memory does not grow with the archive
if [ -x /usr/bin/time ] && [ "$BUILD_KIND" != sanitized ]; then
    for n in 100 1000; do
        i=0; while [ $i -lt $n ]; do cat "$A/pages.warc.gz"; i=$((i + 1)); done >"$TMP/many.warc.gz"
        /usr/bin/time -f '%M' -o "$TMP/rss-$n" "$N2X" -o "$TMP/many.xml" "$TMP/many.warc.gz" 2>/dev/null
        eval "articles_$n=\$(grep -c '<article ' \"\$TMP/many.xml\")"
    done
    rss100=$(tail -n 1 "$TMP/rss-100") rss1000=$(tail -n 1 "$TMP/rss-1000")
    check_eq "WARC.gz of 1,000 copies: 2,000 articles" "2000" "$articles_1000"
    check "WARC.gz: peak memory flat from 100 to 1,000 copies ($rss100 KB, $rss1000 KB)" \
        test "$rss1000" -lt $((rss100 + 4096))
    rm -f "$TMP/many.warc.gz" "$TMP/many.xml"
else
    skip "WARC.gz streamed in flat memory" "no /usr/bin/time or a sanitized build"
fi

# ---- bad archives and pages ----
bad() { # NAME FILE: exit 2 with one-line messages, or exit 0 with valid output
    "$N2X" "$2" >"$TMP/bad.xml" 2>"$TMP/bad.err"
    rc=$?
    if [ $rc -eq 2 ] && [ -s "$TMP/bad.err" ] && ! grep -qv '^news2xml: ' "$TMP/bad.err"; then
        ok "$1: clear message, exit 2 ($(head -n 1 "$TMP/bad.err" | cut -c1-150))"
    elif [ $rc -eq 0 ] && xmllint --noout --relaxng "$SCHEMA" "$TMP/bad.xml" 2>/dev/null; then
        ok "$1: valid output"
    else
        fail "$1: exit $rc"; head -c 300 "$TMP/bad.err" | sed 's/^/#   /'
    fi
}
head -c 7000 "$A/pages.warc" >"$TMP/cut.warc"
"$N2X" "$TMP/cut.warc" >"$TMP/cut.xml" 2>"$TMP/err"
check_eq "truncated WARC: exit 2, the record before kept, one line" "2:1:1" \
    "$?:$(xpath "$TMP/cut.xml" 'count(//article)'):$(grep -c 'truncated WARC record' "$TMP/err")"
head -c 4000 "$A/pages.warc.gz" >"$TMP/cut.warc.gz"
bad "truncated WARC.gz" "$TMP/cut.warc.gz"
head -c 3000 "$A/pages.zip" >"$TMP/cut.zip"
bad "truncated zip" "$TMP/cut.zip"
printf 'WARC/1.0\r\nWARC-Type: response\r\n\r\n' >"$TMP/nolength.warc"
bad "WARC record without Content-Length" "$TMP/nolength.warc"
{ printf '\037\213'; head -c 5000 /dev/urandom; } >"$TMP/garbage.gz"
bad "gzip magic then garbage" "$TMP/garbage.gz"
head -c 5000 /dev/urandom >"$TMP/random.html"
bad "random bytes named .html" "$TMP/random.html"

# a member named ../../evil-article.html: read, never written anywhere
mkdir -p "$TMP/jail/in/deep"
cp "$A/dotdot.zip" "$TMP/jail/in/deep/"
(cd "$TMP/jail/in/deep" && "$N2X" -o out.xml dotdot.zip) 2>"$TMP/err"
check_eq "zip with ../ names: converted" "1" "$(xpath "$TMP/jail/in/deep/out.xml" 'count(//article)')"
check_eq "zip with ../ names: nothing written but the output" "$TMP/jail/in/deep/out.xml" \
    "$(find "$TMP/jail" -type f ! -name dotdot.zip)"

# a zip whose member inflates to 1 GB of text: refused at the page limit
if command -v zip >/dev/null 2>&1; then
    head -c 1073741824 /dev/zero | tr '\0' a | (cd "$TMP" && zip -q bomb.zip -)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$TMP/rss" "$N2X" "$TMP/bomb.zip" >"$TMP/bomb.xml" 2>"$TMP/err"
    else
        "$N2X" "$TMP/bomb.zip" >"$TMP/bomb.xml" 2>"$TMP/err"
    fi
    rc=$?
    check_eq "zip with a 1 GB member: exit 2, member refused" "2:1" "$rc:$(grep -c 'larger than 64 MB' "$TMP/err")"
    rss=$(tail -n 1 "$TMP/rss" 2>/dev/null)
    if [ -n "$rss" ] && [ "$BUILD_KIND" != sanitized ]; then
        check "zip with a 1 GB member: memory stays under 300 MB (${rss} KB)" test "$rss" -lt 307200
    else
        skip "zip with a 1 GB member: memory bound" "no /usr/bin/time or a sanitized build"
    fi
    rm -f "$TMP/bomb.zip"
else
    skip "zip with a 1 GB member" "zip is not installed"
fi

# deeply nested markup: the parser stops at its depth limit, no crash
{ printf '<html><body>'; i=0; while [ $i -lt 1000 ]; do printf '<div><div><div><div><div><div><div><div><div><div>'; i=$((i + 1)); done
  i=0; while [ $i -lt 10 ]; do printf '<div>'; i=$((i + 1)); done; } >"$TMP/deep.html"
i=0; while [ $i -lt 10 ]; do cat "$TMP/deep.html"; i=$((i + 1)); done >"$TMP/deep100k.html"
bad "100,000 nested divs" "$TMP/deep100k.html"
rm -f "$TMP/deep.html" "$TMP/deep100k.html"

# a 50 MB page (10 MB in the sanitized build): converted in bounded memory
if [ "$BUILD_KIND" = sanitized ]; then n=10; else n=50; fi
{ printf '<html><head><title>Trang rất lớn</title></head><body><h1>Một trang rất lớn</h1><p>'
  head -c $((n * 1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '</p></body></html>'; } >"$TMP/huge.html"
bad "a $n MB page" "$TMP/huge.html"
rm -f "$TMP/huge.html"

# ---- the corpus: expected title, date, byline, first and last paragraph ----
if [ -n "$CORPUS" ] && [ -d "$CORPUS/vi-html" ]; then
    exp=$FIX/html-expected/corpus.tsv
    for page in $(grep -v '^#' "$exp" | cut -f1 | uniq); do
        out=$TMP/corpus.xml
        "$N2X" "$CORPUS/vi-html/$page" >"$out" 2>"$TMP/err"
        rc=$?
        short=$(basename "$page" | cut -c1-40)
        if [ $rc -ne 0 ] || ! xmllint --noout --relaxng "$SCHEMA" "$out" 2>/dev/null; then
            fail "corpus $short: exit $rc or invalid output"; continue
        fi
        got_title=$(xpath "$out" 'string(//article/title)')
        got_when=$(xpath "$out" 'string(//date/@when)')
        got_byline=$(xpath "$out" 'string(//byline)')
        got_first=$(xpath "$out" 'substring(//body/p[1],1,50)')
        got_last=$(xpath "$out" 'substring(//body/p[last()],string-length(//body/p[last()])-39)')
        want=$(grep "^$page	" "$exp" | cut -f2- | tr '\t' '=' )
        got=$(printf 'title=%s\nwhen=%s\nbyline=%s\nfirst=%s\nlast=%s' "$got_title" "$got_when" \
            "$got_byline" "$got_first" "$got_last")
        check_eq "corpus $short: title, date, byline, first and last paragraph" "$want" "$got"
    done
    home=$CORPUS/vi-html/tuoitre-naustudio/non-article/tuoitre-homepage-20150323.html
    "$N2X" "$home" >"$TMP/home.xml" 2>"$TMP/err"
    check_eq "corpus home page: no article, one notice" "0:0:1" \
        "$?:$(xpath "$TMP/home.xml" 'count(//article)'):$(grep -c 'not an article' "$TMP/err")"
    vne=$CORPUS/vi-html/vnexpress-fundus
    if [ -f "$vne/VnExpress.expected.json" ] && command -v node >/dev/null 2>&1; then
        "$N2X" "$vne/VnExpress_2025_10_22.html" >"$TMP/vne.xml"
        want=$(node -e 'const j=require(process.argv[1]).V1; console.log(j.title); console.log(j.authors.join(", ")); console.log(j.body.sections[0].paragraphs.filter(p => !/Ảnh:/.test(p)).join("\n"))' "$vne/VnExpress.expected.json")
        got=$(printf '%s\n%s\n' "$(xpath "$TMP/vne.xml" 'string(//article/title)')" "$(xpath "$TMP/vne.xml" 'string(//byline)')"
              xmllint --xpath '//body/p[position()>1]' "$TMP/vne.xml" | sed -e 's/<[^>]*>//g' -e '/^$/d')
        check_eq "corpus VnExpress: title, author and paragraphs as fundus expects" "$want" "$got"
    else
        skip "corpus VnExpress against fundus's JSON" "node is not installed"
    fi
else
    skip "corpus HTML pages" "../shared/corpus/vi-html is not there"
fi
