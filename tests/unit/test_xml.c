/* The article model, the streaming reader and the writer. */
#include "unit.h"

#include <errno.h>

#include <stdio.h>

static const char EXAMPLE[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<articles version=\"1\">\n"
    "  <article id=\"0123456789abcdef\" lang=\"vi\">\n"
    "    <title>Quận <em>uỷ</em> Đống Đa</title>\n"
    "    <date when=\"2023-07-12T13:01:00+07:00\">12/07/2023 - 01:01 PM</date>\n"
    "    <byline>Quận Đống Đa</byline>\n"
    "    <source href=\"https://example.vn/a\" file=\"a.txt\">Báo A</source>\n"
    "    <body>\n"
    "      <p>Một <strong>hai <em>ba</em></strong> <a href=\"https://x.vn/\">bốn <em>năm</em></a> sáu</p>\n"
    "      <h>Tiêu đề phụ</h>\n"
    "      <quote>Trích dẫn</quote>\n"
    "      <list type=\"number\"><item>một</item><item>hai</item></list>\n"
    "      <figure src=\"a.jpg\"><caption>Ảnh: PV</caption></figure>\n"
    "    </body>\n"
    "    <related>\n"
    "      <link href=\"https://x.vn/b\">Tin B</link>\n"
    "    </related>\n"
    "  </article>\n"
    "  <article><title>Hai</title><body><p>x</p></body></article>\n"
    "</articles>\n";

static void test_read_example(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory(EXAMPLE, strlen(EXAMPLE), "t.xml", &err);
    assert_non_null(r);
    bt_article a;
    bt_article_init(&a);
    assert_int_equal(bt_reader_next(r, &a, &err), 1);
    assert_string_equal(a.id, "0123456789abcdef");
    assert_string_equal(a.lang, "vi");
    char *title = bt_article_title_plain(&a);
    assert_string_equal(title, "Quận uỷ Đống Đa");
    free(title);
    assert_int_equal(a.title.nspans, 3);
    assert_int_equal(a.title.spans[1].style, BT_STYLE_EM);
    assert_string_equal(a.date_text, "12/07/2023 - 01:01 PM");
    assert_string_equal(a.date_when, "2023-07-12T13:01:00+07:00");
    assert_string_equal(a.byline, "Quận Đống Đa");
    assert_string_equal(a.source_href, "https://example.vn/a");
    assert_string_equal(a.source_file, "a.txt");
    assert_string_equal(a.source_name, "Báo A");
    assert_int_equal(a.nblocks, 5);
    const bt_block *p = &a.blocks[0];
    assert_int_equal(p->kind, BT_BLOCK_P);
    /* "Một " "hai " "ba" " " "bốn " "năm" " sáu" */
    assert_int_equal(p->text.nspans, 7);
    assert_string_equal(p->text.spans[2].text, "ba");
    assert_int_equal(p->text.spans[2].style, BT_STYLE_EM | BT_STYLE_STRONG);
    assert_string_equal(p->text.spans[5].href, "https://x.vn/");
    assert_int_equal(p->text.spans[5].style, BT_STYLE_EM);
    assert_int_equal(a.blocks[1].kind, BT_BLOCK_H);
    assert_int_equal(a.blocks[2].kind, BT_BLOCK_QUOTE);
    assert_int_equal(a.blocks[3].kind, BT_BLOCK_LIST);
    assert_int_equal(a.blocks[3].nitems, 2);
    assert_true(a.blocks[3].numbered);
    assert_int_equal(a.blocks[4].kind, BT_BLOCK_FIGURE);
    assert_string_equal(a.blocks[4].src, "a.jpg");
    assert_int_equal(a.nrelated, 1);
    assert_string_equal(a.related[0].text, "Tin B");

    assert_int_equal(bt_reader_next(r, &a, &err), 1);
    assert_int_equal(strlen(a.id), 16); /* computed when missing */
    assert_null(a.date_when);
    assert_int_equal(bt_reader_next(r, &a, &err), 0);
    bt_article_free(&a);
    bt_reader_close(r);
}

/* Reading what the writer wrote gives the same article back. */
static void test_round_trip(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    bt_article a, b;
    assert_int_equal(unit_read_first(EXAMPLE, strlen(EXAMPLE), &a, &err), 1);
    char *buf = unit_articles_xml(&a, 1);
    assert_non_null(strstr(buf, "<p>Một <strong>hai <em>ba</em></strong> "
                                "<a href=\"https://x.vn/\">bốn <em>năm</em></a> sáu</p>"));
    assert_non_null(strstr(buf, "<list type=\"number\">"));
    assert_int_equal(unit_read_first(buf, strlen(buf), &b, &err), 1);
    assert_string_equal(a.id, b.id);
    bt_buf ba = BT_BUF_INIT, bb = BT_BUF_INIT;
    bt_article_body_plain(&a, &ba);
    bt_article_body_plain(&b, &bb);
    assert_string_equal(ba.data, bb.data);
    assert_int_equal(a.nblocks, b.nblocks);
    assert_int_equal(b.blocks[0].text.nspans, 7);
    bt_buf_free(&ba);
    bt_buf_free(&bb);
    free(buf);
    bt_article_free(&a);
    bt_article_free(&b);
}

static void test_bare_article(void **state)
{
    (void)state;
    const char *xml = "<article><title>T</title><body><p>A</p></body></article>";
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory(xml, strlen(xml), "t.xml", &err);
    bt_article a;
    bt_article_init(&a);
    assert_int_equal(bt_reader_next(r, &a, &err), 1);
    assert_int_equal(bt_reader_next(r, &a, &err), 0);
    bt_article_free(&a);
    bt_reader_close(r);
}

static void expect_error(const char *xml, const char *want)
{
    bt_error err = BT_ERROR_INIT;
    bt_article a;
    bt_article_init(&a);
    bt_reader *r = bt_reader_open_memory(xml, strlen(xml), "bad.xml", &err);
    assert_non_null(r);
    int rc;
    while ((rc = bt_reader_next(r, &a, &err)) == 1)
        ;
    bt_reader_close(r);
    bt_article_free(&a);
    assert_int_equal(rc, -1);
    if (!strstr(err.msg, want))
        fail_msg("error '%s' does not contain '%s'", err.msg, want);
    assert_true(!strncmp(err.msg, "bad.xml:", 8));
}

/* An empty input, or white space only, holds no article: not an error
 * (newsgrep's output when nothing matched). */
static void test_empty_is_no_articles(void **state)
{
    (void)state;
    static const char *const empty[] = {"", " \n\t\n"};
    for (size_t i = 0; i < 2; i++) {
        bt_error err = BT_ERROR_INIT;
        bt_article a;
        bt_article_init(&a);
        bt_reader *r = bt_reader_open_memory(empty[i], strlen(empty[i]), "e.xml", &err);
        assert_non_null(r);
        assert_int_equal(bt_reader_next(r, &a, &err), 0);
        bt_reader_close(r);
    }
}

/* Documents one after another (cat a.xml b.xml), each with its prolog. */
static void test_concatenated(void **state)
{
    (void)state;
    static const char two[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\">"
        "<article><title>Một</title><body><p>a</p></body></article></articles>\n"
        "<?xml version=\"1.0\"?><!-- the second --><article><title>Hai</title><body>"
        "<p><![CDATA[</article>]]></p></body></article>\n"
        "<articles version=\"1\"/><articles version=\"1\"><article><title>Ba</title>"
        "<body/></article></articles>";
    bt_error err = BT_ERROR_INIT;
    bt_article a;
    bt_article_init(&a);
    bt_reader *r = bt_reader_open_memory(two, strlen(two), "c.xml", &err);
    assert_non_null(r);
    const char *want[] = {"Một", "Hai", "Ba"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(bt_reader_next(r, &a, &err), 1);
        char *t = bt_article_title_plain(&a);
        assert_string_equal(t, want[i]);
        free(t);
    }
    assert_int_equal(bt_reader_next(r, &a, &err), 0);
    bt_reader_close(r);
    bt_article_free(&a);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("<html><body/></html>", "bad.xml:1:");
    expect_error("<html><body/></html>", "expected <articles> or <article>");
    expect_error("<articles version=\"2\"/>", "unsupported format version \"2\"");
    expect_error("<articles version=\"1\"><article><title>T</title><body>", "bad.xml:1:");
    /* the input cut short, a doctype where the line says, text, binary */
    expect_error("<articles version=\"1\"><article><title>T</ti", "the input ends too early");
    expect_error("\n<!DOCTYPE articles>\n<articles version=\"1\"/>",
                 "bad.xml:2:1: a DOCTYPE is not allowed");
    expect_error("hello", "bad.xml:1:1: text, not an article document");
    expect_error("\x7f" "ELF\x02\x01", "bad.xml:1:1: binary data");
    /* a second document's errors point into the whole stream */
    expect_error("<articles version=\"1\"/>\n<articles version=\"1\">\n<article><title>T</title><body><p>x</q></body></article></articles>",
                 "bad.xml:3:");
    expect_error("<articles version=\"1\">\n<article><body/></article></articles>",
                 "bad.xml:2:1: <article> has no <title>");
    expect_error("<articles version=\"1\"><article><title>T</title></article></articles>",
                 "has no <body>");
    expect_error("<articles version=\"1\"><article><title>T</title><body><p>x</p>"
                 "<blink>x</blink></body></article></articles>",
                 "unexpected element <blink> in <body>");
    expect_error("<articles version=\"1\"><article><title>T<b>x</b></title><body/>"
                 "</article></articles>",
                 "unexpected element <b> in <title>");
    expect_error("<articles version=\"1\"><foo/></articles>", "unexpected element <foo>");
    expect_error("<articles xmlns=\"urn:x\" version=\"1\"/>", "namespace");
    expect_error("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                 "<articles version=\"1\"><article><title>&e;</title><body/></article></articles>",
                 "DOCTYPE");
    expect_error("<articles version=\"1\"><article><title>a</title><title>b</title><body/>"
                 "</article></articles>",
                 "more than one <title>");
    expect_error("<articles version=\"1\"><article><title>\x01</title><body/></article></articles>",
                 "bad.xml:1:");
}

/* Whatever the model holds, the writer's output is well-formed NFC. */
static void test_writer_cleans(void **state)
{
    (void)state;
    bt_article a;
    bt_article_init(&a);
    assert_int_equal(bt_text_set_plain(&a.title, "Quan\x08 u\xef\xbb\xbfy\x01 \xff"), 0);
    /* "u" + combining hook above: NFD of "ủ" */
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, "u\xcc\x89y ban <&> \"q\""), 0);
    bt_error err = BT_ERROR_INIT;
    char *buf = unit_articles_xml(&a, 1);
    assert_non_null(strstr(buf, "<title>Quan uy \xef\xbf\xbd</title>"));
    assert_non_null(strstr(buf, "<p>\xe1\xbb\xa7y ban &lt;&amp;&gt; \"q\"</p>"));
    bt_article b;
    assert_int_equal(unit_read_first(buf, strlen(buf), &b, &err), 1);
    free(buf);
    bt_article_free(&a);
    bt_article_free(&b);
}

/* Same text, same id; whitespace differences aside. */
static void test_id(void **state)
{
    (void)state;
    bt_article a, b;
    bt_article_init(&a);
    bt_article_init(&b);
    bt_text_set_plain(&a.title, "Tiêu đề");
    bt_text_set_plain(&b.title, "  Tiêu   đề ");
    bt_article_add_para(&a, BT_BLOCK_P, "Một hai");
    bt_article_add_para(&b, BT_BLOCK_P, "Một\n hai ");
    bt_article_compute_id(&a);
    bt_article_compute_id(&b);
    assert_string_equal(a.id, b.id);
    bt_article_add_para(&b, BT_BLOCK_P, "ba");
    bt_article_compute_id(&b);
    assert_string_not_equal(a.id, b.id);
    bt_article_free(&a);
    bt_article_free(&b);
}

/* Tables, figure sizes and sections survive a read and a write. */
static void test_table_figure_section(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_file("fixtures/format/table-figure-section.xml", &err);
    assert_non_null(r);
    bt_article a;
    bt_article_init(&a);
    assert_int_equal(bt_reader_next(r, &a, &err), 1);
    bt_reader_close(r);
    assert_string_equal(a.section, "Giáo dục");
    assert_int_equal(a.nblocks, 3);
    const bt_block *fig = &a.blocks[1], *t = &a.blocks[2];
    assert_int_equal(fig->kind, BT_BLOCK_FIGURE);
    assert_int_equal(fig->width, 800);
    assert_int_equal(fig->height, 533);
    assert_string_equal(fig->media_type, "image/jpeg");
    assert_int_equal(t->kind, BT_BLOCK_TABLE);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->rows[0].ncells, 2);
    assert_true(t->rows[0].cells[0].header);
    assert_int_equal(t->rows[0].cells[1].colspan, 2);
    assert_int_equal(t->rows[1].cells[2].rowspan, 2);
    assert_false(t->rows[1].cells[1].header);
    assert_int_equal(t->rows[2].cells[1].text.spans[0].style, BT_STYLE_STRONG);
    bt_buf body = BT_BUF_INIT;
    assert_int_equal(bt_article_body_plain(&a, &body), 0);
    assert_non_null(strstr(body.data, "Điểm chuẩn theo ngành\nNgành\tĐiểm chuẩn\nY khoa\t28,15\tA00, B00\n"));
    bt_buf_free(&body);

    /* written and read again: the same article, the same id */
    char *xml = unit_articles_xml(&a, 1);
    bt_article b;
    assert_int_equal(unit_read_first(xml, strlen(xml), &b, &err), 1);
    assert_string_equal(b.id, a.id);
    assert_int_equal(b.blocks[2].rows[0].cells[1].colspan, 2);
    assert_string_equal(b.section, "Giáo dục");
    assert_string_equal(b.blocks[1].media_type, "image/jpeg");
    free(xml);
    bt_article_free(&a);
    bt_article_free(&b);
}

static void test_buf(void **state)
{
    (void)state;
    bt_buf b = BT_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(bt_buf_addf(&b, "%d,", i), 0);
    assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
    assert_int_equal(b.data[b.len], '\0');
    char *s = bt_buf_detach(&b);
    assert_non_null(b.data); /* never NULL: an empty buffer reads as "" */
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    free(s);
    s = bt_buf_detach(&b);
    assert_string_equal(s, "");
    free(s);
    bt_buf_reset(&b);
    bt_buf_free(&b);
    assert_string_equal(b.data, "");

    /* A capped buffer refuses to pass its cap and stays as it was. */
    bt_buf c = BT_BUF_INIT_MAX(8);
    assert_int_equal(bt_buf_adds(&c, "12345678"), 0);
    errno = 0;
    assert_int_equal(bt_buf_addc(&c, '9'), -1);
    assert_int_equal(errno, EFBIG);
    assert_string_equal(c.data, "12345678");
    bt_error err = BT_ERROR_INIT;
    bt_error_buf(&err, "page.html", &c);
    assert_int_equal(err.code, BT_ERR_LIMIT);
    assert_string_equal(err.msg, "page.html: larger than 8 bytes");
    bt_buf_free(&c);
    assert_int_equal(c.max, 8);
    assert_int_equal(bt_buf_addf(&c, "%s", "123456789"), -1);
    assert_int_equal(c.len, 0);
    bt_buf_free(&c);

    bt_error_nomem(&err, NULL);
    assert_int_equal(err.code, BT_ERR_NOMEM);
    assert_string_equal(err.msg, "out of memory");
    assert_string_equal(bt_code_name(BT_ERR_IO), "I/O error");
    bt_error_clear(&err);
    assert_int_equal(err.code, BT_OK);
}

static void test_namer(void **state)
{
    (void)state;
    fe_namer *n = fe_namer_new();
    bt_article a;
    bt_article_init(&a);
    bt_text_set_plain(&a.title, "Ban Thường vụ Quận uỷ Đống Đa làm việc với Ban Dân vận");
    a.date_when = bt_strdup("2023-07-12T13:01:00+07:00");
    bt_buf name = BT_BUF_INIT;
    assert_int_equal(fe_namer_name(n, &a, "pdf", &name), 0);
    assert_string_equal(name.data, "2023-07-12-ban-thuong-vu-quan-uy-dong-da-lam-viec-voi-ban-dan-van.pdf");
    bt_buf_reset(&name);
    assert_int_equal(fe_namer_name(n, &a, "pdf", &name), 0);
    assert_string_equal(name.data, "2023-07-12-ban-thuong-vu-quan-uy-dong-da-lam-viec-voi-ban-dan-van-2.pdf");
    free(a.date_when);
    a.date_when = bt_strdup("../../../../tmp/x");
    bt_buf_reset(&name);
    assert_int_equal(fe_namer_name(n, &a, "docx", &name), 0);
    assert_null(strchr(name.data, '/'));
    assert_int_equal(strncmp(name.data, "undated-", 8), 0);
    free(a.date_when);
    a.date_when = NULL;
    bt_buf_reset(&name);
    assert_int_equal(fe_namer_name(n, &a, "docx", &name), 0);
    assert_int_equal(strncmp(name.data, "undated-ban-", 12), 0);
    assert_non_null(strstr(name.data, "-2.docx")); /* the same undated name again */
    bt_buf_free(&name);
    bt_article_free(&a);
    fe_namer_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_example), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bare_article), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_writer_cleans), cmocka_unit_test(test_id),
        cmocka_unit_test(test_table_figure_section),
        cmocka_unit_test(test_empty_is_no_articles),
        cmocka_unit_test(test_concatenated),
        cmocka_unit_test(test_buf),          cmocka_unit_test(test_namer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
