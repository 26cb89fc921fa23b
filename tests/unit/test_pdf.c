/* The PDF typesetter: settings, style files, fonts, and whole documents
 * made from articles built in code (checked as PDF bytes here; the e2e
 * test reads them back with poppler and qpdf). */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
/* fontconfig leaks while parsing its configuration; not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

#define MM (72.0 / 25.4)

/* Each test gets default settings in *state, freed after it. */
static int opts_setup(void **state)
{
    bt_pdf_opts *o = malloc(sizeof *o);
    if (!o)
        return -1;
    bt_pdf_opts_init(o);
    *state = o;
    return 0;
}

static int opts_teardown(void **state)
{
    bt_pdf_opts_free(*state);
    free(*state);
    return 0;
}

#define pdf_test(f) cmocka_unit_test_setup_teardown(f, opts_setup, opts_teardown)

static void test_defaults(void **state)
{
    bt_pdf_opts *o = *state;
    assert_true(fabs(o->page_width - 210 * MM) < 0.01);
    assert_true(fabs(o->page_height - 297 * MM) < 0.01);
    assert_true(fabs(o->margin[0] - 20 * MM) < 0.01);
    assert_int_equal(o->columns, 1);
    assert_null(o->font);
    assert_true(o->created < 0);
}

static void test_set_values(void **state)
{
    bt_pdf_opts *o = *state;
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_pdf_opts_set(o, "paper", "a5", &err), 0);
    assert_true(fabs(o->page_width - 148 * MM) < 0.01);
    assert_int_equal(bt_pdf_opts_set(o, "paper", "Letter", &err), 0);
    assert_true(fabs(o->page_width - 612) < 0.01 && fabs(o->page_height - 792) < 0.01);
    assert_int_equal(bt_pdf_opts_set(o, "paper", "B3", &err), -1);
    assert_non_null(strstr(err.msg, "unknown paper 'B3'"));

    assert_int_equal(bt_pdf_opts_set(o, "margin", "2cm", &err), 0);
    assert_true(fabs(o->margin[0] - 20 * MM) < 0.01);
    assert_int_equal(bt_pdf_opts_set(o, "margin", "1in", &err), 0);
    assert_true(fabs(o->margin[0] - 72) < 0.01);
    assert_int_equal(bt_pdf_opts_set(o, "margin", "54pt", &err), 0);
    assert_true(fabs(o->margin[0] - 54) < 0.01);
    assert_int_equal(bt_pdf_opts_set(o, "margin", "15", &err), 0);
    assert_true(fabs(o->margin[0] - 15 * MM) < 0.01);
    assert_int_equal(bt_pdf_opts_set(o, "margin", "-3mm", &err), -1);
    assert_int_equal(bt_pdf_opts_set(o, "margin", "3 furlongs", &err), -1);
    assert_non_null(strstr(err.msg, "bad margin"));

    assert_int_equal(bt_pdf_opts_set(o, "columns", "2", &err), 0);
    assert_int_equal(o->columns, 2);
    assert_int_equal(bt_pdf_opts_set(o, "columns", "3", &err), -1);

    assert_int_equal(bt_pdf_opts_set(o, "date", "2024-02-29", &err), 0);
    assert_string_equal(o->date, "2024-02-29");
    assert_int_equal(bt_pdf_opts_set(o, "date", "2023-02-29", &err), -1);
    assert_int_equal(bt_pdf_opts_set(o, "date", "14/07/2023", &err), -1);
    assert_string_equal(o->date, "2024-02-29"); /* a bad value changes nothing */

    assert_int_equal(bt_pdf_opts_set(o, "font", "Noto Serif 11", &err), 0);
    assert_string_equal(o->font, "Noto Serif 11");
    assert_int_equal(bt_pdf_opts_set(o, "font", "Noto Serif 500", &err), -1);
    assert_int_equal(bt_pdf_opts_set(o, "title", "Bản tin Quận Đống Đa", &err), 0);
    assert_string_equal(o->title, "Bản tin Quận Đống Đa");
    assert_int_equal(bt_pdf_opts_set(o, "lang", "en", &err), 0);
    assert_int_equal(bt_pdf_opts_set(o, "lang", "e n", &err), -1);
    assert_int_equal(bt_pdf_opts_set(o, "colour", "red", &err), -1);
    assert_non_null(strstr(err.msg, "unknown setting 'colour'"));
}

static void test_style_file(void **state)
{
    bt_pdf_opts *o = *state;
    char path[] = "/tmp/test_pdf_styleXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("# weekly bulletin\n\npaper = A5\n  margin=12mm  \n"
          "title = \"  Bản tin  \"\nfont = DejaVu Serif 9\n", f);
    fclose(f);
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_pdf_opts_load(o, path, &err), 0);
    assert_true(fabs(o->page_width - 148 * MM) < 0.01);
    assert_true(fabs(o->margin[0] - 12 * MM) < 0.01);
    assert_string_equal(o->title, "  Bản tin  ");
    assert_string_equal(o->font, "DejaVu Serif 9");

    f = fopen(path, "w");
    assert_non_null(f);
    fputs("paper = A4\ncolumns 2\n", f);
    fclose(f);
    assert_int_equal(bt_pdf_opts_load(o, path, &err), -1);
    char want[256];
    snprintf(want, sizeof want, "%s:2:1: expected 'key = value'", path);
    assert_string_equal(err.msg, want);

    f = fopen(path, "w");
    assert_non_null(f);
    fputs("paper = A4\n   paper = B9\n", f);
    fclose(f);
    assert_int_equal(bt_pdf_opts_load(o, path, &err), -1);
    snprintf(want, sizeof want, "%s:2:4: unknown paper 'B9'", path);
    assert_non_null(strstr(err.msg, want));
    unlink(path);
    assert_int_equal(bt_pdf_opts_load(o, path, &err), -1);
}

static void test_font_check(void **state)
{
    bt_pdf_opts *o = *state;
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_pdf_opts_check(o, &err), 0); /* the default font */
    assert_int_equal(bt_pdf_opts_set(o, "font", "serif 10", &err), 0);
    assert_int_equal(bt_pdf_opts_check(o, &err), 0);
    assert_int_equal(bt_pdf_opts_set(o, "font", "noto serif 12", &err), 0);
    assert_int_equal(bt_pdf_opts_check(o, &err), 0); /* case does not matter */
    assert_int_equal(bt_pdf_opts_set(o, "font", "Comic Nonsense 12", &err), 0);
    assert_int_equal(bt_pdf_opts_check(o, &err), -1);
    assert_non_null(strstr(err.msg, "'Comic Nonsense' is not installed"));
}

/* An article with n paragraphs of about 80 words each. */
static void make_article(bt_article *a, const char *title, int n)
{
    unit_sample_article(a, title);
    for (int i = 0; i < n; i++) {
        bt_buf b = BT_BUF_INIT;
        for (int w = 0; w < 80; w++)
            assert_int_equal(bt_buf_addf(&b, "đoạn%d chữ%d ", i, w), 0);
        assert_int_equal(bt_article_add_para(a, i % 5 == 4 ? BT_BLOCK_H : BT_BLOCK_P,
                                             b.data), 0);
        bt_buf_free(&b);
    }
    bt_block *l = bt_article_add_block(a, BT_BLOCK_LIST);
    assert_non_null(l);
    bt_text *it = bt_block_add_item(l);
    assert_non_null(it);
    assert_int_equal(bt_text_add(it, "một mục ", 7, 0, NULL), 0); /* cut inside ụ */
    assert_int_equal(bt_text_add(it, "có liên kết", strlen("có liên kết"), BT_STYLE_EM,
                                 "https://example.org/a'b"), 0);
    assert_int_equal(bt_article_add_related(a, "https://example.org/r", "Tin khác"), 0);
}

typedef struct mem_pdf {
    char *data;
    size_t len;
} mem_pdf;

/* Typesets articles (plain, or a bulletin in two passes) into memory. */
static int typeset(const bt_pdf_opts *o, bt_article *arts, int n, mem_pdf *out,
                   int *pages, bt_error *err)
{
    bt_pdf *p = bt_pdf_new(o, err);
    assert_non_null(p);
    int rc = 0;
    for (int i = 0; o->bulletin && i < n && rc == 0; i++)
        rc = bt_pdf_measure(p, &arts[i], err);
    out->data = NULL;
    out->len = 0;
    FILE *f = open_memstream(&out->data, &out->len);
    assert_non_null(f);
    if (rc == 0)
        rc = bt_pdf_start(p, f, err);
    for (int i = 0; i < n && rc == 0; i++)
        rc = bt_pdf_add(p, &arts[i], err);
    if (rc == 0)
        rc = bt_pdf_finish(p, err);
    if (pages)
        *pages = bt_pdf_pages(p);
    bt_pdf_free(p);
    fclose(f);
    return rc;
}

static size_t count(const mem_pdf *m, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= m->len; i++)
        if (!memcmp(m->data + i, needle, k))
            n++;
    return n;
}

static void test_plain_document(void **state)
{
    bt_pdf_opts *o = *state;
    bt_article a[2];
    make_article(&a[0], "Hỗ trợ người dân ở Tử Đặng", 3);
    make_article(&a[1], "Bài dài", 60);
    bt_error err = BT_ERROR_INIT;
    mem_pdf m1, m2;
    int pages = 0;
    assert_int_equal(typeset(o, a, 2, &m1, &pages, &err), 0);
    assert_true(m1.len > 1000);
    assert_memory_equal(m1.data, "%PDF-1.5", 8);
    assert_memory_equal(m1.data + m1.len - 6, "%%EOF\n", 6);
    assert_true(pages >= 3); /* 1 page + a long article over several */
    assert_int_equal(count(&m1, "/Type /Page %"), (size_t)pages);
    assert_true(count(&m1, "/URI") >= 2); /* the list item and the related link */
    /* Reproducible: no clock, no random ids. */
    assert_int_equal(typeset(o, a, 2, &m2, NULL, &err), 0);
    assert_int_equal(m1.len, m2.len);
    assert_memory_equal(m1.data, m2.data, m1.len);
    free(m1.data);
    free(m2.data);
    /* Two columns hold the same text on no more pages. */
    int pages2 = 0;
    o->columns = 2;
    assert_int_equal(typeset(o, a, 2, &m2, &pages2, &err), 0);
    assert_true(pages2 >= 2 && pages2 <= pages + 1);
    free(m2.data);
    bt_article_free(&a[0]);
    bt_article_free(&a[1]);
}

static void test_bulletin(void **state)
{
    bt_pdf_opts *o = *state;
    bt_article a[3];
    make_article(&a[0], "Tin thứ nhất", 2);
    make_article(&a[1], "Tin thứ hai", 40);
    make_article(&a[2], "Tin thứ ba", 1);
    bt_error err = BT_ERROR_INIT;
    o->bulletin = 1;
    assert_int_equal(bt_pdf_opts_set(o, "title", "Bản tin", &err), 0);
    assert_int_equal(bt_pdf_opts_set(o, "date", "2023-07-14", &err), 0);
    mem_pdf m;
    int pages = 0;
    assert_int_equal(typeset(o, a, 3, &m, &pages, &err), 0);
    assert_true(pages >= 5); /* front page + 1 + several + 1 */
    assert_int_equal(count(&m, "/Dest ("), 3); /* one contents link per article */
    assert_true(count(&m, "/Names") >= 1);
    assert_int_equal(count(&m, "/Type /Page %"), (size_t)pages);
    free(m.data);

    /* The second pass must see what the first saw. */
    bt_pdf *p = bt_pdf_new(o, &err);
    assert_non_null(p);
    assert_int_equal(bt_pdf_measure(p, &a[0], &err), 0);
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    assert_int_equal(bt_pdf_start(p, f, &err), 0);
    assert_int_equal(bt_pdf_add(p, &a[1], &err), -1); /* longer than measured */
    assert_non_null(strstr(err.msg, "changed between the two passes"));
    bt_pdf_free(p);
    p = bt_pdf_new(o, &err);
    assert_int_equal(bt_pdf_measure(p, &a[0], &err), 0);
    assert_int_equal(bt_pdf_measure(p, &a[2], &err), 0);
    assert_int_equal(bt_pdf_start(p, f, &err), 0);
    assert_int_equal(bt_pdf_add(p, &a[0], &err), 0);
    assert_int_equal(bt_pdf_finish(p, &err), -1); /* one article missing */
    assert_non_null(strstr(err.msg, "fewer articles"));
    bt_pdf_free(p);
    fclose(f);

    /* An empty bulletin is a masthead page. */
    assert_int_equal(typeset(o, a, 0, &m, &pages, &err), 0);
    assert_int_equal(pages, 1);
    free(m.data);
    for (int i = 0; i < 3; i++)
        bt_article_free(&a[i]);
}

static void test_nothing_to_print(void **state)
{
    bt_pdf_opts *o = *state;
    bt_error err = BT_ERROR_INIT;
    mem_pdf m;
    assert_int_equal(typeset(o, NULL, 0, &m, NULL, &err), -1);
    assert_string_equal(err.msg, "no articles in the input");
    free(m.data);
    /* Margins that leave no room. */
    assert_int_equal(bt_pdf_opts_set(o, "margin", "10cm", &err), 0);
    assert_null(bt_pdf_new(o, &err));
    assert_non_null(strstr(err.msg, "too little room"));
}

static void test_hostile_text(void **state)
{
    bt_pdf_opts *o = *state;
    bt_article a;
    bt_article_init(&a);
    bt_buf t = BT_BUF_INIT;
    for (int i = 0; i < 2000; i++)
        assert_int_equal(bt_buf_adds(&t, "Tiêu "), 0);
    assert_int_equal(bt_text_set_plain(&a.title, t.data), 0); /* 10,000 chars */
    bt_buf_reset(&t);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(bt_buf_adds(&t, "chữ"), 0); /* no space at all */
    assert_int_equal(bt_buf_adds(&t, "\t\x01\n  end"), 0); /* control chars */
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, t.data), 0);
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_QUOTE, ""), 0);
    assert_non_null(bt_article_add_block(&a, BT_BLOCK_LIST)); /* no items */
    assert_non_null(bt_article_add_block(&a, BT_BLOCK_FIGURE)); /* no caption */
    assert_int_equal(bt_article_add_related(&a, NULL, "không có địa chỉ"), 0);
    bt_buf_free(&t);
    o->bulletin = 1;
    bt_error err = BT_ERROR_INIT;
    mem_pdf m;
    int pages = 0;
    assert_int_equal(typeset(o, &a, 1, &m, &pages, &err), 0);
    assert_true(pages >= 4);
    free(m.data);
    bt_article_free(&a);
}

/* The line breaker: words shaped once and cached, breaks after "/" in
 * long URLs, right-to-left and mixed scripts, and more distinct words
 * than the cache keeps (it starts again between articles): both passes
 * must agree, and the text must come out whole. */
static void test_words_and_breaks(void **state)
{
    bt_pdf_opts *o = *state;
    enum { N = 6 };
    bt_article a[N];
    for (int k = 0; k < N; k++) {
        bt_article_init(&a[k]);
        assert_int_equal(bt_text_set_plain(&a[k].title, "Liên kết dài và chữ lạ"), 0);
        bt_buf b = BT_BUF_INIT;
        /* 4,000 distinct words per article: 24,000 in all. */
        for (int w = 0; w < 4000; w++)
            assert_int_equal(bt_buf_addf(&b, "từ%d-%d ", k, w), 0);
        assert_int_equal(bt_article_add_para(&a[k], BT_BLOCK_P, b.data), 0);
        bt_buf_free(&b);
        assert_int_equal(bt_article_add_para(&a[k], BT_BLOCK_P,
            "Xem https://example.org/rat/dai/khong/co/dau/cach/nao/ca/de/xem/"
            "ngat/dong/the/nao/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
            "hết."), 0);
        assert_int_equal(bt_article_add_para(&a[k], BT_BLOCK_QUOTE,
            "Arabic: مرحبا بالعالم هذا نص عربي طويل بعض الشيء لاختبار الالتفاف "
            "مرحبا بالعالم هذا نص عربي، Hebrew: שלום עולם, 中文文本测试中文文本测试"
            "中文文本测试中文文本测试中文文本测试中文文本测试中文文本测试, "
            "emoji 😀👍🏽, NFD Tiếng Việt, soft\u00adhyphen."), 0);
    }
    bt_error err = BT_ERROR_INIT;
    o->bulletin = 1;
    o->columns = 2;
    mem_pdf m1, m2;
    int pages = 0;
    assert_int_equal(typeset(o, a, N, &m1, &pages, &err), 0);
    assert_true(pages > N);
    assert_int_equal(count(&m1, "/Type /Page %"), (size_t)pages);
    /* Reproducible, though the cache started again on the way. */
    assert_int_equal(typeset(o, a, N, &m2, NULL, &err), 0);
    assert_int_equal(m1.len, m2.len);
    assert_memory_equal(m1.data, m2.data, m1.len);
    free(m1.data);
    free(m2.data);
    for (int k = 0; k < N; k++)
        bt_article_free(&a[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        pdf_test(test_defaults),
        pdf_test(test_set_values),
        pdf_test(test_style_file),
        pdf_test(test_font_check),
        pdf_test(test_plain_document),
        pdf_test(test_bulletin),
        pdf_test(test_nothing_to_print),
        pdf_test(test_hostile_text),
        pdf_test(test_words_and_breaks),
    };
    int rc = cmocka_run_group_tests_name("pdf", tests, NULL, NULL);
    bt_pdf_shutdown();
    return rc;
}
