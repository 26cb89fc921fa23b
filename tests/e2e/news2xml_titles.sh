#!/bin/sh
# news2xml: the title a reader sees on HTML pages whose metadata and
# headings disagree or say it in an unusual way (Dublin Core, site names
# in other scripts, separators without spaces).  Every output validates
# against the schema and is read back with xmllint's XPath.
. "$(dirname "$0")/lib.sh"
N2X=$BIN/news2xml
H=$FIX/html

# title PAGE: T is news2xml's title of fixtures/html/PAGE.html (after
# checking that the run succeeds and the output validates).
title() {
    "$N2X" "$H/$1.html" >"$TMP/$1.xml" 2>"$TMP/$1.err"
    check_eq "$1: exit 0, one article, nothing on stderr" "0:1:" \
        "$?:$(xpath "$TMP/$1.xml" 'count(//article)'):$(cat "$TMP/$1.err")"
    valid "$1: validates" "$TMP/$1.xml"
    T=$(xpath "$TMP/$1.xml" 'string(//article/title)')
}

# ---- Dublin Core in HTML: <meta name="DC.title"> ----
title title-dublin-core
check_eq "title-dublin-core: DC.Title, not the document number in <title>" \
    "Quy định mới về giờ mở cửa chợ đêm phố Hàng Ngang" "$T"
# the RDFa form (property="dc:title") is the one meant when a page has both
printf '<html><head><title>Trang</title><meta name="DC.title" content="Tên trong name"><meta property="dc:title" content="Tên trong property"></head><body><p>Sáng nay, người dân phường đã ra quân dọn dẹp đường phố, khơi thông cống rãnh trước mùa mưa bão năm nay.</p></body></html>' >"$TMP/dc-both.html"
"$N2X" "$TMP/dc-both.html" >"$TMP/dc-both.xml" 2>/dev/null
check_eq "Dublin Core: property=\"dc:title\" before name=\"DC.title\"" "Tên trong property" \
    "$(xpath "$TMP/dc-both.xml" 'string(//article/title)')"

# ---- the site's name in another script, after a separator without spaces ----
title title-korean-site
check_eq "title-korean-site: the <title> without \"ㅣ\" and the site's name, not the logo's <h1>" \
    "시립도서관, 다음 달부터 밤 10시까지 문 연다" "$T"
title title-japanese-site
check_eq "title-japanese-site: og:title without \"：\" and the site's name, not the logo's <h1>" \
    "市立図書館、来月から夜間も開館、午後１０時まで" "$T"

# ---- a headline that names the site is a headline, not the logo ----
title title-names-site
check_eq "title-names-site: the <h1> headline naming the site (not og:title cut after the site's name)" \
    "Báo Mẫu ra mắt ứng dụng đọc tin cho điện thoại" "$T"
