/* Unit tests for the input layer: the byte stream (lib/input_src.c), the
 * format bids, decoding a page once (bt_decode_page), the budget, the
 * nesting limit, and the rule "inside an archive report and go on". */
#include "unit.h"

#include "input_int.h"

#include <stdio.h>
#include <zlib.h>

/* ---- helpers ---- */

/* Compresses data with zlib's deflate in the given wrapper (windowBits
 * 15 + 16: gzip, 15: zlib, -15: raw). */
static size_t pack(const char *data, size_t len, int bits, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void read_all(bt_src *s, bt_buf *out)
{
    char buf[7]; /* small reads cross every boundary */
    long k;
    while ((k = bt_src_read(s, buf, sizeof buf)) > 0)
        assert_int_equal(bt_buf_add(out, buf, (size_t)k), 0);
    assert_int_equal(k, 0);
}

/* f inflating z[0, n) read from memory (mem, which f frees). */
static void inflating(bt_src *mem, bt_src *f, const void *z, size_t n, int flags)
{
    bt_src_mem(mem, z, n);
    assert_int_equal(bt_src_filter(f, mem, BT_SRC_INFLATE | flags), 0);
}

/* f gives exactly want, then ends; f is freed. */
static void expect_text(bt_src *f, const char *want)
{
    bt_buf out = BT_BUF_INIT;
    read_all(f, &out);
    assert_string_equal(out.data, want);
    bt_buf_free(&out);
    bt_src_free(f);
}

enum { CHUNK = 4096 };

/* Reads f in large pieces to its end or first error: the last result. */
static long read_to_end(bt_src *f)
{
    char buf[CHUNK];
    long k;
    while ((k = bt_src_read(f, buf, sizeof buf)) > 0)
        ;
    return k;
}

/* ---- the byte stream ---- */

static void test_inflate_wrappers(void **state)
{
    (void)state;
    const char *text = "Ha Noi don hon 2 trieu hoc sinh buoc vao nam hoc moi. ";
    int bits[] = {15 + 16, 15, -15};
    for (size_t i = 0; i < 3; i++) {
        unsigned char z[256];
        size_t n = pack(text, strlen(text), bits[i], z, sizeof z);
        bt_src mem, f;
        inflating(&mem, &f, z, n, 0);
        expect_text(&f, text);
    }
}

static void test_gzip_members_in_turn(void **state)
{
    (void)state;
    unsigned char z[512];
    size_t n = pack("first record, ", 14, 15 + 16, z, sizeof z);
    n += pack("second record", 13, 15 + 16, z + n, sizeof z - n);
    bt_src mem, f;
    inflating(&mem, &f, z, n, 0);
    expect_text(&f, "first record, second record");
}

static void test_truncated_gzip(void **state)
{
    (void)state;
    char text[4000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + (i * 7919) % 26);
    unsigned char z[8192];
    size_t n = pack(text, sizeof text, 15 + 16, z, sizeof z);
    /* strict: the cut is an error saying so */
    bt_src mem, f;
    inflating(&mem, &f, z, n / 2, 0);
    assert_int_equal(read_to_end(&f), -1);
    assert_non_null(strstr(f.error, "ends too early"));
    assert_int_equal(f.code, BT_ERR_INPUT);
    bt_src_free(&f);
    /* lenient (an HTTP body): what is there, then the end */
    inflating(&mem, &f, z, n / 2, BT_SRC_LENIENT);
    bt_buf out = BT_BUF_INIT;
    read_all(&f, &out);
    assert_true(out.len > 0 && out.len < sizeof text);
    assert_memory_equal(out.data, text, out.len);
    assert_int_equal(f.truncated, 1);
    bt_buf_free(&out);
    bt_src_free(&f);
}

static void test_peek_unread(void **state)
{
    (void)state;
    unsigned char z[256];
    size_t n = pack("WARC/1.1\r\nrest of it", 20, 15 + 16, z, sizeof z);
    bt_src mem, f;
    inflating(&mem, &f, z, n, 0);
    const unsigned char *p;
    assert_int_equal(bt_src_peek(&f, 5, &p), 5);
    assert_memory_equal(p, "WARC/", 5);
    assert_int_equal(bt_src_peek(&f, 10, &p), 10); /* more than before */
    assert_memory_equal(p, "WARC/1.1\r\n", 10);
    char buf[4];
    assert_int_equal(bt_src_read(&f, buf, 4), 4);
    assert_memory_equal(buf, "WARC", 4);
    assert_int_equal(bt_src_unread(&f, "XY", 2), 0);
    expect_text(&f, "XY/1.1\r\nrest of it");
    /* plain memory: peek points into it, rest hands it over uncopied */
    const char *page = "Tiêu đề\nĐoạn văn.";
    bt_src_mem(&mem, page, strlen(page));
    assert_int_equal(bt_src_peek(&mem, 4096, &p), (long)strlen(page));
    assert_ptr_equal(p, page);
    bt_buf held = BT_BUF_INIT;
    const char *all;
    size_t len;
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_src_rest(&mem, 1 << 20, "p", &held, &all, &len, &err), 0);
    assert_ptr_equal(all, page);
    assert_int_equal(len, strlen(page));
    assert_int_equal(held.cap, 0);
    bt_src_free(&mem);
}

static void test_rest_limit(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'a', sizeof big);
    bt_src mem, f;
    unsigned char z[1024];
    size_t n = pack(big, sizeof big, 15 + 16, z, sizeof z);
    inflating(&mem, &f, z, n, 0);
    bt_buf out = BT_BUF_INIT;
    const char *p;
    size_t len;
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_src_rest(&f, 4096, "big.gz", &out, &p, &len, &err), -1);
    assert_int_equal(err.code, BT_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "big.gz: larger than"));
    bt_buf_free(&out);
    bt_src_free(&f);
}

static void test_budget(void **state)
{
    (void)state;
    char zeros[100000] = {0};
    unsigned char z[2048];
    size_t n = pack(zeros, sizeof zeros, 15 + 16, z, sizeof z);
    bt_budget outer = {0}, inner = {0};
    outer.name = "outer.zip";
    outer.size = 1000;
    outer.ratio = 10; /* at most 4096 × 10: the floor of a tiny archive */
    inner.up = &outer;
    inner.name = "inner.gz";
    inner.size = n;
    inner.ratio = 1000000;
    bt_src mem, f;
    inflating(&mem, &f, z, n, 0);
    f.budget = &inner;
    assert_int_equal(read_to_end(&f), -1);
    assert_int_equal(f.code, BT_ERR_LIMIT);
    assert_ptr_equal(bt_budget_over(&inner), &outer); /* the outer one was exceeded */
    assert_true(outer.used <= 40960 + CHUNK);
    bt_error err = BT_ERROR_INIT;
    bt_budget_error(&outer, &err);
    assert_non_null(strstr(err.msg, "outer.zip: unpacks to more than 10 times its size"));
    bt_src_free(&f);
    /* the absolute cap */
    bt_budget cap = {0};
    cap.name = "a.warc.gz";
    cap.size = 1 << 20;
    cap.ratio = 100;
    cap.cap = 5000;
    assert_int_equal(bt_budget_charge(&cap, 4000), 0);
    assert_int_equal(bt_budget_charge(&cap, 2000), -1);
    bt_budget_error(&cap, &err);
    assert_non_null(strstr(err.msg, "a.warc.gz: unpacks to more than 5 KB (the cap"));
}

/* ---- bids ---- */

/* What each format bids for, and what no format takes. */
static void test_bids(void **state)
{
    (void)state;
    static const char mht[] = "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
                              "\ttype=\"text/html\"; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<html>";
    static const char arts[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\">\n"
                               "  <article id=\"0123456789abcdef\"><title>T</title><body/></article>";
    /* an XHTML page is no article document */
    static const char xhtml[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html><head><title>x</title>";
    static const struct {
        const char *name, *head;
        size_t len;
        bt_input_kind want;
    } cases[] = {
        {"a.txt", "PK\3\4xxxx", 8, BT_INPUT_ZIP},
        {"a", "\x1f\x8b\x08", 3, BT_INPUT_GZIP},
        {"a", "WARC/1.1\r\n", 10, BT_INPUT_WARC},
        {"a.warc", "WARC/1.0\r\n", 10, BT_INPUT_WARC},
        {"a.txt", "\n  <!DOCTYPE html><p>x", 22, BT_INPUT_HTML},
        {"a.jsp", "<%@ page %>\n<meta charset=x>", 28, BT_INPUT_HTML},
        {"a.html", "Tiêu đề\nĐoạn văn", 20, BT_INPUT_TEXT},
        {"a.html", "<p>Đoạn", 9, BT_INPUT_HTML},
        {NULL, "", 0, BT_INPUT_TEXT},
        {"a", "filedesc://x.arc 0.0.0.0 2014 text/plain 75\n", 45, BT_INPUT_ARC},
        {"page.mhtml", mht, sizeof mht - 1, BT_INPUT_MHTML},
        {"out.xml", arts, sizeof arts - 1, BT_INPUT_ARTICLES},
        {"a", "<article><title>", 16, BT_INPUT_ARTICLES},
        {"a.xhtml", xhtml, sizeof xhtml - 1, BT_INPUT_HTML},
        {"logo", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, BT_INPUT_OTHER},
        {"p.jpg", "\xFF\xD8\xFF\xE0", 4, BT_INPUT_OTHER},
        {"site.js", "var s = '<html>';", 17, BT_INPUT_OTHER},
        {"site.css", "body { margin: 0 }", 18, BT_INPUT_OTHER},
        {"data", "{\"@context\": \"x\"}", 18, BT_INPUT_OTHER},
        {"data", "[{\"a\": 1}]", 10, BT_INPUT_OTHER},
        /* a text page may start with a bracket or a brace */
        {"t.txt", "[Video] Tiêu đề\nĐoạn", 22, BT_INPUT_TEXT},
        {"t.txt", "{Ảnh} Tiêu đề", 17, BT_INPUT_TEXT},
        {"b", "ab\0cd\0\0\1\2", 9, BT_INPUT_OTHER},
        /* UTF-16 text has NUL bytes but is a page */
        {"u", "T\0i\0e\0u\0 \0d\0e\0 \0b\0a\0i\0 \0v\0i\0e\0t\0", 32, BT_INPUT_TEXT},
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        bt_input_kind got = bt_input_sniff(cases[i].name, cases[i].head, cases[i].len);
        if (got != cases[i].want)
            fail_msg("sniff case %zu (%s, \"%.*s\"): kind %d, want %d", i,
                     cases[i].name ? cases[i].name : "no name", (int)cases[i].len,
                     cases[i].head, (int)got, (int)cases[i].want);
    }
}

/* ---- decoding once ---- */

static void test_decode_page(void **state)
{
    (void)state;
    bt_buf buf = BT_BUF_INIT;
    const char *t, *cs;
    size_t n;
    bt_error err = BT_ERROR_INIT;
    /* clean UTF-8: the same bytes, no copy */
    const char *clean = "<p>Hà Nội</p>";
    assert_int_equal(bt_decode_page(clean, strlen(clean), NULL, NULL, 1, "p", &buf, &t, &n, &cs, &err), 0);
    assert_ptr_equal(t, clean);
    assert_string_equal(cs, "UTF-8");
    assert_int_equal(buf.cap, 0);
    /* NFD and a stray U+FEFF: cleaned */
    const char *nfd = "Ha\xcc\x80 Nô\xcc\xa3i\xef\xbb\xbf";
    assert_int_equal(bt_decode_page(nfd, strlen(nfd), NULL, NULL, 0, "p", &buf, &t, &n, NULL, &err), 0);
    assert_string_equal(t, "Hà Nội");
    bt_buf_reset(&buf);
    /* Windows-1258 declared by the container (HTTP, MIME): taken */
    const char *cp = "<p>H\xe0 N\xf4\xf2i</p>"; /* "Hà Nội": ô + combining dot below */
    assert_int_equal(bt_decode_page(cp, strlen(cp), NULL, "windows-1258", 1, "p", &buf, &t, &n, &cs, &err), 0);
    assert_string_equal(t, "<p>Hà Nội</p>");
    assert_string_equal(cs, "windows-1258");
    bt_buf_reset(&buf);
    /* declared by the page itself */
    char page[200];
    snprintf(page, sizeof page, "<html><head><meta charset=\"windows-1258\"></head><body>%s</body>", cp);
    assert_int_equal(bt_decode_page(page, strlen(page), NULL, NULL, 1, "p", &buf, &t, &n, &cs, &err), 0);
    assert_non_null(strstr(t, "<p>Hà Nội</p>"));
    bt_buf_reset(&buf);
    /* valid UTF-8 is UTF-8 whatever is declared */
    const char *u8 = "<p>Hà Nội</p>";
    assert_int_equal(bt_decode_page(u8, strlen(u8), NULL, "windows-1258", 1, "p", &buf, &t, &n, &cs, &err), 0);
    assert_string_equal(t, u8);
    /* a forced encoding that does not fit fails */
    assert_int_equal(bt_decode_page("\xff\xfe", 2, "UTF-8", NULL, 0, "p.txt", &buf, &t, &n, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "p.txt: cannot decode as UTF-8"));
    bt_buf_free(&buf);
}

/* ---- the dispatcher's rules ---- */

typedef struct seen {
    int articles, failed, notices, skipped;
    char last[1200];
} seen;

static int on_article(bt_article *a, void *ctx)
{
    (void)a;
    ((seen *)ctx)->articles++;
    return 0;
}

static void on_problem(const char *msg, int kind, void *ctx)
{
    seen *s = ctx;
    snprintf(s->last, sizeof s->last, "%s", msg);
    if (kind == BT_PROBLEM_FAILED)
        s->failed++;
    else if (kind == BT_PROBLEM_SKIPPED)
        s->skipped++;
    else
        s->notices++;
}

/* gzip'd n times over */
static size_t nest_gzip(const char *page, int times, unsigned char *out, size_t cap)
{
    unsigned char a[4096], b[4096];
    size_t n = strlen(page);
    memcpy(a, page, n);
    for (int i = 0; i < times; i++) {
        n = pack((const char *)a, n, 15 + 16, b, sizeof b);
        memcpy(a, b, n);
    }
    assert_true(n <= cap);
    memcpy(out, a, n);
    return n;
}

static void test_nesting_and_rules(void **state)
{
    (void)state;
    const char *page = "Tiêu đề bài báo thử\n\nĐoạn văn thứ nhất của bài báo thử nghiệm.\n";
    unsigned char z[4096];
    bt_error err = BT_ERROR_INIT;
    seen s = {0};
    size_t n = nest_gzip(page, 2, z, sizeof z);
    assert_int_equal(bt_extract_input("p.gz.gz", (const char *)z, n, NULL, on_article, on_problem, &s, &err), 0);
    assert_int_equal(s.articles, 1);
    /* too deep: at top level the input fails */
    memset(&s, 0, sizeof s);
    n = nest_gzip(page, BT_MAX_DEPTH + 1, z, sizeof z);
    assert_int_equal(bt_extract_input("deep.gz", (const char *)z, n, NULL, on_article, on_problem, &s, &err), -1);
    assert_non_null(strstr(err.msg, "deep.gz: archives nested too deep"));
    assert_int_equal(s.articles, 0);
    /* a non-page at top level fails; listed (found by -r) it is skipped */
    bt_error_clear(&err);
    assert_int_equal(bt_extract_input("logo.png", "\x89PNG\r\n\x1a\n\0\0", 10, NULL, on_article,
                                      on_problem, &s, &err), -1);
    assert_string_equal(err.msg, "logo.png: not a news page (a PNG image)");
    bt_extract_opts o = {0};
    o.skip_other = 1;
    memset(&s, 0, sizeof s);
    assert_int_equal(bt_extract_input("site.js", "var a = 1;", 10, &o, on_article, on_problem, &s, &err), 0);
    assert_int_equal(s.skipped, 1);
    assert_string_equal(s.last, "site.js: skipped: not a news page (a script)");
}

static void test_warc_record_failures_go_on(void **state)
{
    (void)state;
    /* a record whose gzip'd body is damaged: reported, the next one read */
    const char *html = "<html><head><title>T</title></head><body><h1>Tiêu đề bài báo thử nghiệm</h1>"
                       "<p>Đoạn văn thứ nhất của bài báo thử nghiệm, đủ dài để là một bài báo thật sự, "
                       "có dấu phẩy, có chấm câu, có nhiều chữ để đạt ngưỡng của trình trích xuất.</p>"
                       "<p>Đoạn văn thứ hai tiếp tục câu chuyện với thêm nhiều chữ nữa, thêm dấu phẩy, "
                       "thêm dấu chấm, để chắc chắn rằng đây là nội dung bài viết chứ không phải trang "
                       "chủ hay danh sách liên kết.</p></body></html>";
    bt_buf w = BT_BUF_INIT;
    for (int i = 0; i < 2; i++) {
        char http[4096], uri[32];
        int hn = snprintf(http, sizeof http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n%s\r\n%s",
                          i == 0 ? "Content-Encoding: gzip\r\n" : "",
                          i == 0 ? "\x1f\x8b\x08\x00garbage" : html);
        assert_true(hn > 0 && (size_t)hn < sizeof http);
        snprintf(uri, sizeof uri, "http://x/%d", i);
        unit_warc_response(&w, uri, http, (size_t)hn);
    }
    seen s = {0};
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_extract_input("a.warc", w.data, w.len, NULL, on_article, on_problem, &s, &err), 0);
    assert_int_equal(s.articles, 1);
    bt_buf_free(&w);
}

/* Any bytes given to the extractors directly (not decoded first) are
 * safe, and any bytes through the dispatcher give 0 or -1, never a crash. */
static void test_random_bytes(void **state)
{
    (void)state;
    unsigned seed = 12345;
    char buf[3000];
    for (int round = 0; round < 300; round++) {
        size_t n = (seed = seed * 1103515245u + 12345u) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly text, some markup, some bytes of every kind */
            unsigned r = seed >> 16;
            buf[i] = r % 7 == 0 ? (char)(r >> 3) : r % 5 == 0 ? "<>\n/=\"&"[r % 7] : (char)('a' + r % 26);
        }
        if (round % 10 == 0 && n > 4)
            memcpy(buf, round % 20 ? "WARC/1.0\r\n" : "filedesc://", round % 20 ? 10 : 11);
        bt_article a;
        bt_error err = BT_ERROR_INIT;
        bt_article_init(&a);
        int rc = bt_textpage_extract(buf, n, NULL, &a, &err);
        assert_true(rc == 1 || rc == -1);
        bt_article_free(&a);
        bt_article_init(&a);
        rc = bt_htmlpage_extract(buf, n, NULL, &a, &err);
        assert_true(rc == 1 || rc == 0 || rc == -1);
        bt_article_free(&a);
        seen s = {0};
        rc = bt_extract_input("r", buf, n, NULL, on_article, on_problem, &s, &err);
        assert_true(rc == 0 || rc == -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflate_wrappers),
        cmocka_unit_test(test_gzip_members_in_turn),
        cmocka_unit_test(test_truncated_gzip),
        cmocka_unit_test(test_peek_unread),
        cmocka_unit_test(test_rest_limit),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_bids),
        cmocka_unit_test(test_decode_page),
        cmocka_unit_test(test_nesting_and_rules),
        cmocka_unit_test(test_warc_record_failures_go_on),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
