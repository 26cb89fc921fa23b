/* HTML extraction and input dispatch: metadata, the article among
 * furniture, blocks and inline styles, pages that are not articles,
 * WARC records in memory, and safety on damaged input (sniffing is
 * test_input.c's). */
#include "unit.h"

#include <stdio.h>

static const char *const HEAD =
    "<html><head><meta charset=\"utf-8\"><title>Tiêu đề trang - Báo Mẫu</title>%s</head><body>"
    "<nav class=\"menu\"><a href=\"/\">Trang chủ</a> <a href=\"/thoi-su\">Thời sự</a></nav>";

static const char *const BODY =
    "<div class=\"content\"><h1>Tiêu đề trang</h1>"
    "<p>TT - Đoạn mở đầu của bài báo mẫu, đủ dài để là một đoạn văn thật sự, có dấu phẩy, dấu chấm.</p>"
    "<p>Đoạn thứ hai có chữ <em>nghiêng</em>, chữ <strong>đậm</strong> và <a href=\"/tin/a.htm\">một liên kết</a> trong câu, cũng đủ dài.</p>"
    "<div class=\"tin-lien-quan\"><a href=\"/tin/b.htm\">Một bài liên quan có tiêu đề khá dài</a></div>"
    "<p>Đoạn thứ ba kết thúc bài viết với nội dung đầy đủ, có nhiều dấu phẩy, nhiều chữ, và một dấu chấm.</p>"
    "<p><strong>Minh Khôi</strong></p></div>"
    "<div class=\"comment\">Bình luận (3): Bài viết rất hay, cảm ơn tác giả, mong có thêm nhiều bài nữa.</div>"
    "</body></html>";

/* A page from HEAD (with extra head markup) and BODY. */
static char *page(const char *extra_head)
{
    size_t n = strlen(HEAD) + strlen(extra_head) + strlen(BODY) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, HEAD, extra_head);
    strcat(p, BODY);
    return p;
}

static int extract(const char *html, bt_article *a, bt_error *err)
{
    bt_extract_opts o = {0};
    o.name = "test.html";
    bt_article_init(a);
    return bt_htmlpage_extract(html, strlen(html), &o, a, err);
}

/* The page is an article: *a holds it (fails with the reason if not). */
static void extract_ok(const char *html, bt_article *a)
{
    bt_error err = BT_ERROR_INIT;
    if (extract(html, a, &err) != 1)
        fail_msg("no article: %s", err.msg);
}

static char *plain(const bt_text *t)
{
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_text_plain(t, &b), 0);
    return bt_buf_detach(&b);
}

static void test_article_and_furniture(void **state)
{
    (void)state;
    char *html = page("<meta property=\"og:url\" content=\"https://bao.example.vn/tin/bai-mau.htm\">");
    bt_article a;
    extract_ok(html, &a);
    char *t = plain(&a.title);
    assert_string_equal(t, "Tiêu đề trang"); /* the <h1>, not "… - Báo Mẫu" */
    free(t);
    assert_string_equal(a.byline, "Minh Khôi");
    assert_int_equal(a.nblocks, 3);
    char *first = plain(&a.blocks[0].text);
    assert_true(!strncmp(first, "TT - Đoạn mở đầu", strlen("TT - Đoạn mở đầu")));
    free(first);
    /* em, strong and an absolute link in the second paragraph */
    const bt_text *p2 = &a.blocks[1].text;
    int em = 0, strong = 0, link = 0;
    for (size_t i = 0; i < p2->nspans; i++) {
        em |= p2->spans[i].style == BT_STYLE_EM && !strcmp(p2->spans[i].text, "nghiêng");
        strong |= p2->spans[i].style == BT_STYLE_STRONG && !strcmp(p2->spans[i].text, "đậm");
        link |= p2->spans[i].href && !strcmp(p2->spans[i].href, "https://bao.example.vn/tin/a.htm");
    }
    assert_true(em && strong && link);
    assert_int_equal(a.nrelated, 1);
    assert_string_equal(a.related[0].href, "https://bao.example.vn/tin/b.htm");
    bt_buf body = BT_BUF_INIT;
    assert_int_equal(bt_article_body_plain(&a, &body), 0);
    assert_null(strstr(body.data, "Bình luận"));
    assert_null(strstr(body.data, "Thời sự"));
    assert_null(strstr(body.data, "liên quan"));
    bt_buf_free(&body);
    bt_article_free(&a);
    free(html);
}

static void test_jsonld_date_and_author(void **state)
{
    (void)state;
    char *html = page("<script type=\"application/ld+json\">[{\"@type\":\"WebSite\"},"
                      "{\"@type\":[\"NewsArticle\"],\"headline\":\"Tiêu đề trang\","
                      "\"datePublished\":\"2023-07-12T13:01:00+07:00\",\"author\":{\"name\":\"Minh Khôi\"}}]</script>");
    bt_article a;
    extract_ok(html, &a);
    assert_string_equal(a.date_when, "2023-07-12T13:01:00+07:00");
    assert_string_equal(a.byline, "Minh Khôi");
    bt_article_free(&a);
    free(html);
    /* broken JSON-LD is ignored, not an error */
    html = page("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":</script>");
    extract_ok(html, &a);
    assert_null(a.date_when);
    bt_article_free(&a);
    free(html);
}

static void test_date_from_dantri_url(void **state)
{
    (void)state;
    char *html = page("<meta property=\"og:url\" content=\"https://dantri.com.vn/xa-hoi/bai-20221224192522724.htm\">");
    bt_article a;
    extract_ok(html, &a);
    assert_string_equal(a.date_when, "2022-12-24T19:25:22+07:00");
    bt_article_free(&a);
    free(html);
}

static void test_not_an_article(void **state)
{
    (void)state;
    const char *home =
        "<html><head><title>Báo Mẫu</title></head><body><ul>"
        "<li><a href=\"/a\">Hà Nội đón hơn 2 triệu học sinh bước vào năm học mới</a></li>"
        "<li><a href=\"/b\">Thành phố chuẩn bị mở thêm ba tuyến xe buýt điện</a></li>"
        "<li><a href=\"/c\">Phường Láng Thượng ra quân làm sạch đường phố</a></li></ul></body></html>";
    bt_article a;
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(extract(home, &a, &err), 0);
    assert_non_null(strstr(err.msg, "not an article"));
    bt_article_free(&a);
    assert_int_equal(extract("", &a, &err), 0);
    bt_article_free(&a);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_buf_adds(&b, "<html><body>"), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(bt_buf_adds(&b, "<div>"), 0);
    assert_int_equal(bt_buf_adds(&b, "chữ"), 0);
    bt_article a;
    bt_error err = BT_ERROR_INIT;
    bt_extract_opts o = {0};
    bt_article_init(&a);
    int rc = bt_htmlpage_extract(b.data, b.len, &o, &a, &err);
    assert_true(rc == 1 || rc == 0 || rc == -1);
    bt_article_free(&a);
    bt_buf_free(&b);
}

/* An empty list is dropped; a list of links is related news. */
static void test_lists(void **state)
{
    (void)state;
    const char *html =
        "<html><body><div class=\"content\"><h1>Tiêu đề bài thử nghiệm danh sách</h1>"
        "<p>Đoạn văn đầu tiên của bài, đủ dài để được tính là nội dung chính của trang, có dấu phẩy, có dấu chấm.</p>"
        "<ul><li> </li><li></li></ul>"
        "<p>Đoạn văn thứ hai cũng đủ dài để được tính là nội dung, với dấu phẩy, và dấu chấm ở cuối câu.</p>"
        "<ul><li>Mục một của danh sách thật</li><li>Mục hai</li></ul>"
        "<ul><li><a href=\"/a\">Một bài liên quan có tiêu đề dài</a></li>"
        "<li><a href=\"/b\">Bài thứ hai cũng liên quan đến chủ đề</a></li></ul></div></body></html>";
    bt_article a;
    extract_ok(html, &a);
    assert_int_equal(a.nblocks, 3);
    assert_int_equal(a.blocks[2].kind, BT_BLOCK_LIST);
    assert_int_equal(a.blocks[2].nitems, 2);
    assert_int_equal(a.nrelated, 2);
    assert_string_equal(a.related[1].text, "Bài thứ hai cũng liên quan đến chủ đề");
    bt_article_free(&a);
}

typedef struct seen {
    int articles, problems, failures;
    char href[256];
} seen;

static int on_article(bt_article *a, void *ctx)
{
    seen *s = ctx;
    s->articles++;
    snprintf(s->href, sizeof s->href, "%s", a->source_href ? a->source_href : "");
    return 0;
}

static void on_problem(const char *msg, int failed, void *ctx)
{
    seen *s = ctx;
    (void)msg;
    s->problems++;
    s->failures += failed;
}

/* A WARC of one request and one response record, built in memory. */
static char *warc(const char *body, size_t *len)
{
    bt_buf http = BT_BUF_INIT, w = BT_BUF_INIT;
    assert_int_equal(bt_buf_addf(&http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", body), 0);
    assert_int_equal(bt_buf_addf(&w, "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: https://x.vn/a\r\n"
                                     "Content-Length: 5\r\n\r\nGET /\r\n\r\n"), 0);
    unit_warc_response(&w, "<https://x.vn/a>", http.data, http.len);
    bt_buf_free(&http);
    *len = w.len;
    return bt_buf_detach(&w);
}

static void test_warc_in_memory(void **state)
{
    (void)state;
    char *html = page("");
    size_t len;
    char *w = warc(html, &len);
    seen s = {0};
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_extract_input("a.warc", w, len, NULL, on_article, on_problem, &s, &err), 0);
    assert_int_equal(s.articles, 1);
    assert_int_equal(s.problems, 0);
    assert_string_equal(s.href, "https://x.vn/a"); /* angle brackets of WARC 1.0 gone */
    /* cut anywhere: never a crash, and a cut record is a failure */
    for (size_t cut = 0; cut < len; cut += 7) {
        seen t = {0};
        int rc = bt_extract_input("a.warc", w, cut, NULL, on_article, on_problem, &t, &err);
        assert_true(rc == 0 || rc == -1);
        assert_true(t.articles <= 1);
    }
    seen t = {0};
    assert_int_equal(bt_extract_input("a.warc", w, len - 40, NULL, on_article, on_problem, &t, &err), 0);
    assert_int_equal(t.articles, 0);
    assert_int_equal(t.failures, 1);
    free(w);
    free(html);
}

/* Damaged copies of a page: any bytes, never a crash. */
static void test_mutations(void **state)
{
    (void)state;
    char *html = page("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>");
    size_t len = strlen(html);
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        char *copy = malloc(len);
        assert_non_null(copy);
        memcpy(copy, html, len);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % len] = (char)(seed >> 16);
        }
        bt_article a;
        bt_error err = BT_ERROR_INIT;
        bt_extract_opts o = {0};
        bt_article_init(&a);
        int rc = bt_htmlpage_extract(copy, (seed >> 4) % (len + 1), &o, &a, &err);
        assert_true(rc == 1 || rc == 0 || rc == -1);
        bt_article_free(&a);
        free(copy);
    }
    free(html);
}

/* The language: declared (og:locale, <html lang>), else the text's. */
static void test_lang(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"<html><head><meta property=\"og:locale\" content=\"de_DE\"><title>Ein Titel für den Test</title></head>"
         "<body><p>Der Stadtrat hat am Montag drei neue Bibliotheken eröffnet, die ersten seit Jahren.</p></body></html>",
         "de"},
        {"<html lang=\"EN-gb\"><head><title>A title for the test</title></head><body><p>The council opened "
         "three new libraries on Monday, the first in the suburbs for years.</p></body></html>",
         "en"},
        {"<html><head><title>Tiêu đề thử</title></head><body><p>Sáng nay, người dân phường đã ra quân dọn dẹp "
         "đường phố, khơi thông cống rãnh trước mùa mưa bão.</p></body></html>",
         "vi"},
        {"<html><head><title>A title for the test</title></head><body><p>The council opened three new libraries "
         "on Monday, and it is the first time in the suburbs that the city has done this for years, as the mayor "
         "said to the press at the opening of the first one.</p></body></html>",
         "en"},
        {"<html><head><title>都市に三つの新しい図書館</title></head><body><p>市議会は月曜日に三つの新しい図書館を開館した。"
         "郊外では十年ぶりのことである。</p></body></html>",
         "ja"},
        /* Latin text that is neither Vietnamese nor English: no guess */
        {"<html><head><title>Un título de prueba</title></head><body><p>El ayuntamiento abrió el lunes tres "
         "nuevas bibliotecas públicas, las primeras en las afueras desde hace años, según dijo la alcaldesa."
         "</p></body></html>",
         NULL},
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        bt_article a;
        extract_ok(cases[i][0], &a);
        if (cases[i][1]) {
            assert_non_null(a.lang);
            assert_string_equal(a.lang, cases[i][1]);
        } else {
            assert_null(a.lang);
        }
        bt_article_free(&a);
    }
}

/* The section: JSON-LD BreadcrumbList, article:section, a breadcrumb trail. */
static void test_section(void **state)
{
    (void)state;
    static const char *const body =
        "<h1>Tiêu đề của bài viết thử nghiệm</h1><div class=\"content\"><p>Đoạn văn thứ nhất của bài viết, đủ dài để "
        "thành một đoạn thật sự, có dấu phẩy, dấu chấm.</p><p>Đoạn văn thứ hai của bài viết cũng đủ dài, có dấu phẩy "
        "và kết thúc bằng dấu chấm.</p></div></body></html>";
    static const char *const heads[][2] = {
        {"<script type=\"application/ld+json\">{\"@type\":\"BreadcrumbList\",\"itemListElement\":["
         "{\"@type\":\"ListItem\",\"position\":1,\"name\":\"Trang chủ\"},{\"@type\":\"ListItem\",\"position\":2,"
         "\"name\":\"Pháp luật\"},{\"@type\":\"ListItem\",\"position\":3,\"name\":\"Tiêu đề của bài viết thử nghiệm\"}]}"
         "</script></head><body>",
         "Pháp luật"},
        {"<meta property=\"article:section\" content=\"Thể thao\"></head><body>", "Thể thao"},
        {"</head><body><ul class=\"breadcrumb\"><li><a href=\"/\">Trang chủ</a></li><li><a href=\"/kt\">Kinh tế"
         "</a></li><li><a href=\"/kt/ck\">Chứng khoán</a></li></ul>",
         "Chứng khoán"},
        {"</head><body>", NULL},
    };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        bt_buf page = BT_BUF_INIT;
        assert_int_equal(bt_buf_addf(&page, "<html><head><title>Tiêu đề của bài viết thử nghiệm</title>%s%s",
                                     heads[i][0], body), 0);
        bt_article a;
        extract_ok(page.data, &a);
        if (heads[i][1])
            assert_string_equal(a.section, heads[i][1]);
        else
            assert_null(a.section);
        bt_article_free(&a);
        bt_buf_free(&page);
    }
}

/* Data tables are table blocks; layout tables and one-cell frames are not. */
static void test_tables(void **state)
{
    (void)state;
    static const char *const html =
        "<html><head><title>Bảng giá vàng hôm nay ở các cửa hàng lớn</title></head><body><table><tr><td>"
        "<h1>Bảng giá vàng hôm nay ở các cửa hàng lớn</h1>"
        "<p>Giá vàng miếng sáng nay tăng nhẹ ở hầu hết các cửa hàng, theo khảo sát của phóng viên, người mua vẫn ít.</p>"
        "<table><tr><th>Loại</th><th>Mua</th><th>Bán</th></tr><tr><td>Miếng</td><td>70,1</td><td>71,2</td></tr>"
        "<tr><td colspan=\"3\">Đơn vị: triệu đồng/lượng</td></tr></table>"
        "<table><tr><td><p>Giới phân tích cho rằng giá sẽ còn biến động, người dân nên cân nhắc trước khi mua vào.</p>"
        "</td></tr></table></td></tr></table></body></html>";
    bt_article a;
    extract_ok(html, &a);
    size_t tables = 0, paras = 0;
    for (size_t i = 0; i < a.nblocks; i++) {
        const bt_block *b = &a.blocks[i];
        if (b->kind == BT_BLOCK_TABLE) {
            tables++;
            assert_int_equal(b->nrows, 3);
            assert_int_equal(b->rows[0].ncells, 3);
            assert_true(b->rows[0].cells[0].header && !b->rows[1].cells[0].header);
            assert_int_equal(b->rows[2].cells[0].colspan, 3);
            char *t = plain(&b->rows[1].cells[2].text);
            assert_string_equal(t, "71,2");
            free(t);
        }
        paras += b->kind == BT_BLOCK_P;
    }
    assert_int_equal(tables, 1);
    assert_int_equal(paras, 2);
    bt_article_free(&a);
}

/* Text pages: the category line above a dateline and the title. */
static void test_text_layouts(void **state)
{
    (void)state;
    static const char *const page =
        "Thời sự\nThứ tư, 15/11/2023, 08:05 (GMT+7)\nTiêu đề bài viết nằm sau dòng chuyên mục và dòng ngày\n"
        "Đoạn thứ nhất của bài viết, đủ dài để là một đoạn văn thật sự, có dấu phẩy và dấu chấm cuối câu.\n"
        "Đoạn thứ hai cũng đủ dài, kể tiếp câu chuyện, với nhiều chữ, nhiều dấu phẩy, và một dấu chấm.\n";
    bt_article a;
    bt_error err = BT_ERROR_INIT;
    bt_article_init(&a);
    assert_int_equal(bt_textpage_extract(page, strlen(page), NULL, &a, &err), 1);
    char *t = plain(&a.title);
    assert_string_equal(t, "Tiêu đề bài viết nằm sau dòng chuyên mục và dòng ngày");
    free(t);
    assert_string_equal(a.section, "Thời sự");
    assert_string_equal(a.date_when, "2023-11-15T08:05:00+07:00");
    assert_string_equal(a.lang, "vi");
    assert_int_equal(a.nblocks, 2);
    bt_article_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_and_furniture),
        cmocka_unit_test(test_jsonld_date_and_author),
        cmocka_unit_test(test_date_from_dantri_url),
        cmocka_unit_test(test_not_an_article),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_warc_in_memory),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_lang),
        cmocka_unit_test(test_section),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_text_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
