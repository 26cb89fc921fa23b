/* The DOCX writer: package layout, safe XML, determinism, options. */
#include "unit.h"

#include <unistd.h>

#include <libxml/parser.h>
#include <zip.h>

/* Writes the articles as a .docx into memory (via a temporary file). */
static void write_docx(const bt_docx_opts *o, bt_article *arts, size_t n, bt_buf *out)
{
    bt_error err = BT_ERROR_INIT;
    bt_docx *d = bt_docx_open(o, &err);
    FILE *f = tmpfile();
    char chunk[8192];
    size_t got;

    assert_non_null(d);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(bt_docx_add_article(d, &arts[i], &err), 0);
    assert_int_equal(bt_docx_close(d, f, &err), 0);
    rewind(f);
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(bt_buf_add(out, chunk, got), 0);
    fclose(f);
}

static zip_t *open_zip(const bt_buf *b, zip_source_t **src)
{
    zip_error_t ze;
    zip_t *z;

    zip_error_init(&ze);
    *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    assert_non_null(*src);
    z = zip_open_from_source(*src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(z);
    zip_error_fini(&ze);
    return z;
}

/* The part's bytes (NUL-terminated, malloc'd), checked to be well-formed XML. */
static char *part(zip_t *z, const char *name)
{
    zip_stat_t st;
    zip_file_t *f;
    char *data;
    xmlDocPtr doc;

    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    data = malloc(st.size + 1);
    assert_non_null(data);
    f = zip_fopen(z, name, 0);
    assert_non_null(f);
    assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    data[st.size] = '\0';
    doc = xmlReadMemory(data, (int)st.size, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    if (!doc)
        fail_msg("%s is not well-formed XML", name);
    xmlFreeDoc(doc);
    return data;
}

static void sample(bt_article *a, const char *title)
{
    bt_article_init(a);
    a->lang = bt_strdup("vi");
    a->date_text = bt_strdup("12/07/2023 - 01:01 PM");
    a->date_when = bt_strdup("2023-07-12T13:01:00+07:00");
    a->byline = bt_strdup("Quận Đống Đa");
    assert_int_equal(bt_text_set_plain(&a->title, title), 0);
    assert_int_equal(bt_article_add_para(a, BT_BLOCK_P, "Đoạn một."), 0);
}

static void test_parts_in_order(void **state)
{
    static const char *const names[] = {
        "[Content_Types].xml", "_rels/.rels", "word/document.xml",
        "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
        "word/numbering.xml", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml",
    };
    bt_buf b = BT_BUF_INIT;
    bt_article a;
    zip_source_t *src;
    zip_t *z;
    (void)state;

    sample(&a, "Tiêu đề");
    write_docx(NULL, &a, 1, &b);
    z = open_zip(&b, &src);
    assert_int_equal(zip_get_num_entries(z, 0), (zip_int64_t)(sizeof(names) / sizeof(names[0])));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        zip_stat_t st;
        assert_string_equal(zip_get_name(z, i, 0), names[i]);
        assert_int_equal(zip_stat_index(z, i, 0, &st), 0);
        assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
        free(part(z, names[i]));
    }
    /* no data descriptors: general purpose bit 3 of the first local header */
    assert_true(b.len > 30);
    assert_int_equal(b.data[6] & 0x08, 0);
    zip_close(z);
    bt_article_free(&a);
    bt_buf_free(&b);
}

static void test_document_content(void **state)
{
    bt_buf b = BT_BUF_INIT;
    bt_article a;
    bt_block *list;
    zip_source_t *src;
    zip_t *z;
    char *doc, *rels, *core, *settings, *styles;
    (void)state;

    sample(&a, "Tiêu đề");
    assert_int_equal(bt_text_add(&a.blocks[0].text, " xem ", 5, BT_STYLE_STRONG, NULL), 0);
    assert_int_equal(bt_text_add(&a.blocks[0].text, "đây", 4, BT_STYLE_EM, "https://vd.vn/a b"), 0);
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_H, "Mục"), 0);
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_QUOTE, "Trích"), 0);
    list = bt_article_add_block(&a, BT_BLOCK_LIST);
    assert_non_null(list);
    list->numbered = 1;
    assert_int_equal(bt_text_set_plain(bt_block_add_item(list), "Một"), 0);
    assert_int_equal(bt_article_add_related(&a, "https://vd.vn/r", "Liên quan"), 0);
    write_docx(NULL, &a, 1, &b);
    z = open_zip(&b, &src);
    doc = part(z, "word/document.xml");
    rels = part(z, "word/_rels/document.xml.rels");
    core = part(z, "docProps/core.xml");
    settings = part(z, "word/settings.xml");
    styles = part(z, "word/styles.xml");

    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Title\"/>"));
    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Date\"/>"));
    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Byline\"/>"));
    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Heading1\"/>"));
    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Quote\"/>"));
    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Related\"/>"));
    assert_non_null(strstr(doc, "<w:numId w:val=\"2\"/>"));
    assert_non_null(strstr(doc, "<w:lang w:val=\"vi-VN\"/>"));
    assert_non_null(strstr(doc, "<w:t xml:space=\"preserve\"> xem </w:t>"));
    assert_non_null(strstr(doc, "<w:hyperlink r:id=\"rIdH1\""));
    assert_null(strstr(doc, "TOC \\h")); /* one article: no table of contents */
    assert_non_null(strstr(rels, "Target=\"https://vd.vn/a%20b\" TargetMode=\"External\""));
    assert_non_null(strstr(rels, "Target=\"https://vd.vn/r\""));
    assert_non_null(strstr(core, "<dc:title>Tiêu đề</dc:title>"));
    assert_non_null(strstr(core, "<dc:creator>Quận Đống Đa</dc:creator>"));
    assert_non_null(strstr(core, ">2023-07-12T13:01:00+07:00</dcterms:created>"));
    assert_non_null(strstr(settings, "w:name=\"compatibilityMode\""));
    assert_non_null(strstr(settings, "w:val=\"15\""));
    assert_null(strstr(settings, "updateFields"));
    assert_non_null(strstr(styles, "w:ascii=\"Times New Roman\" w:eastAsia=\"Times New Roman\" "
                                   "w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\""));
    assert_non_null(strstr(styles, "<w:sz w:val=\"26\"/>"));
    assert_non_null(strstr(doc, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert_non_null(strstr(doc, "<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""));
    free(doc), free(rels), free(core), free(settings), free(styles);
    zip_close(z);
    bt_article_free(&a);
    bt_buf_free(&b);
}

static void test_forbidden_characters_dropped(void **state)
{
    bt_buf b = BT_BUF_INIT;
    bt_article a;
    zip_source_t *src;
    zip_t *z;
    char *doc, *core;
    (void)state;

    sample(&a, "A\x01" "B\x1F" "C\xEF\xBF\xBE" "D\xFF" "E");
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, "x\x0By\x0C" "z"), 0);
    write_docx(NULL, &a, 1, &b);
    z = open_zip(&b, &src);
    doc = part(z, "word/document.xml"); /* part() checks well-formedness */
    core = part(z, "docProps/core.xml");
    assert_non_null(strstr(doc, ">ABCD\xEF\xBF\xBD" "E</w:t>")); /* bad byte → U+FFFD */
    assert_non_null(strstr(doc, ">xyz</w:t>"));
    assert_non_null(strstr(core, "<dc:title>ABCD\xEF\xBF\xBD" "E</dc:title>"));
    free(doc), free(core);
    zip_close(z);
    bt_article_free(&a);
    bt_buf_free(&b);
}

static void test_reproducible(void **state)
{
    bt_buf b1 = BT_BUF_INIT, b2 = BT_BUF_INIT, b3 = BT_BUF_INIT;
    bt_article a;
    zip_source_t *src;
    zip_t *z;
    zip_stat_t st;
    struct tm tm;
    (void)state;

    sample(&a, "Giống nhau");
    unsetenv("SOURCE_DATE_EPOCH");
    write_docx(NULL, &a, 1, &b1);
    write_docx(NULL, &a, 1, &b2);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);
    z = open_zip(&b1, &src);
    assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
    localtime_r(&st.mtime, &tm); /* libzip reads DOS times as local time */
    assert_int_equal(tm.tm_year, 80);
    assert_int_equal(tm.tm_mon, 0);
    assert_int_equal(tm.tm_mday, 1);
    zip_close(z);

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* 2023-11-14 22:13:20 UTC */
    write_docx(NULL, &a, 1, &b3);
    unsetenv("SOURCE_DATE_EPOCH");
    z = open_zip(&b3, &src);
    assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
    localtime_r(&st.mtime, &tm);
    assert_int_equal(tm.tm_year, 123);
    assert_int_equal(tm.tm_mon, 10);
    assert_int_equal(tm.tm_mday, 14);
    assert_int_equal(tm.tm_hour, 22);
    zip_close(z);
    bt_article_free(&a);
    bt_buf_free(&b1);
    bt_buf_free(&b2);
    bt_buf_free(&b3);
}

/* Enough articles that the body spills to a temporary file. */
static void test_many_articles_toc(void **state)
{
    enum { N = 400 };
    bt_buf b = BT_BUF_INIT, para = BT_BUF_INIT;
    bt_article a;
    zip_source_t *src;
    zip_t *z;
    char *doc, *settings, *core, *p;
    size_t titles = 0, breaks = 0;
    (void)state;

    for (int i = 0; i < 300; i++)
        assert_int_equal(bt_buf_adds(&para, "Nội dung dài của bài báo. "), 0);
    {
        bt_error err = BT_ERROR_INIT;
        bt_docx *d = bt_docx_open(NULL, &err);
        FILE *f = tmpfile();
        char chunk[8192];
        size_t got;
        assert_non_null(d);
        for (int i = 0; i < N; i++) {
            char title[64];
            snprintf(title, sizeof(title), "Bài số %d", i + 1);
            sample(&a, title);
            assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, para.data), 0);
            assert_int_equal(bt_docx_add_article(d, &a, &err), 0);
            bt_article_free(&a);
        }
        assert_non_null(f);
        assert_int_equal(bt_docx_close(d, f, &err), 0);
        rewind(f);
        while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
            assert_int_equal(bt_buf_add(&b, chunk, got), 0);
        fclose(f);
    }
    z = open_zip(&b, &src);
    doc = part(z, "word/document.xml");
    settings = part(z, "word/settings.xml");
    core = part(z, "docProps/core.xml");
    assert_true(strlen(doc) > (2u << 20)); /* bigger than the in-memory spool */
    for (p = doc; (p = strstr(p, "<w:pStyle w:val=\"Title\"/>")); p++)
        titles++;
    for (p = doc; (p = strstr(p, "<w:pageBreakBefore/>")); p++)
        breaks++;
    assert_int_equal(titles, N);
    assert_int_equal(breaks, N - 1);
    assert_non_null(strstr(doc, "TOC \\h \\z \\t &quot;Title,1&quot;"));
    assert_non_null(strstr(doc, ">Bài số 400</w:t>"));
    assert_true(strstr(doc, "fldCharType=\"end\"") < strstr(doc, "w:val=\"Title\""));
    /* filled in now: nothing asks to update fields on opening */
    assert_null(strstr(settings, "updateFields"));
    assert_null(strstr(doc, "w:dirty"));
    assert_non_null(strstr(doc, "<w:hyperlink w:anchor=\"_Toc000000400\" w:history=\"1\">"));
    assert_non_null(strstr(doc, "<w:bookmarkStart w:id=\"400\" w:name=\"_Toc000000400\"/>"));
    assert_null(strstr(core, "dc:title")); /* a collection has no one title */
    free(doc), free(settings), free(core);
    zip_close(z);
    bt_buf_free(&b);
    bt_buf_free(&para);
}

static void test_empty_document(void **state)
{
    bt_buf b = BT_BUF_INIT;
    zip_source_t *src;
    zip_t *z;
    char *doc;
    (void)state;

    write_docx(NULL, NULL, 0, &b);
    z = open_zip(&b, &src);
    doc = part(z, "word/document.xml");
    assert_non_null(strstr(doc, "<w:body><w:p/><w:sectPr>"));
    free(doc);
    zip_close(z);
    bt_buf_free(&b);
}

static void test_options(void **state)
{
    bt_docx_opts o;
    bt_error err = BT_ERROR_INIT;
    bt_buf b = BT_BUF_INIT;
    bt_article a;
    zip_source_t *src;
    zip_t *z;
    char *doc, *styles;
    (void)state;

    bt_docx_opts_init(&o);
    assert_int_equal(bt_docx_parse_paper(&o, "letter", &err), 0);
    assert_true(o.page_w_mm > 215.8 && o.page_w_mm < 216);
    assert_int_equal(bt_docx_parse_paper(&o, "8.5x11in", &err), 0);
    assert_true(o.page_w_mm > 215.8 && o.page_w_mm < 216);
    assert_true(o.page_h_mm > 279.3 && o.page_h_mm < 279.5);
    assert_int_equal(bt_docx_parse_paper(&o, "148x210", &err), 0);
    assert_true(o.page_w_mm == 148 && o.page_h_mm == 210);
    assert_int_equal(bt_docx_parse_paper(&o, "A9000", &err), -1);
    assert_non_null(strstr(err.msg, "A9000"));
    assert_int_equal(bt_docx_parse_paper(&o, "0x0", &err), -1);
    assert_int_equal(bt_docx_parse_margin(&o, "2cm", &err), 0);
    assert_true(o.margins_set && o.margin_left_mm == 20 && o.margin_top_mm == 20);
    assert_int_equal(bt_docx_parse_margin(&o, "10,20,30,40", &err), 0);
    assert_true(o.margin_top_mm == 10 && o.margin_right_mm == 20 &&
                o.margin_bottom_mm == 30 && o.margin_left_mm == 40);
    assert_int_equal(bt_docx_parse_margin(&o, "10,20", &err), -1);
    assert_int_equal(bt_docx_parse_margin(&o, "-5", &err), -1);
    assert_int_equal(bt_docx_parse_margin(&o, "abc", &err), -1);

    bt_docx_opts_init(&o);
    assert_int_equal(bt_docx_parse_paper(&o, "A5", &err), 0);
    assert_int_equal(bt_docx_parse_margin(&o, "10mm", &err), 0);
    o.font = "Arial";
    o.font_pt = 11.5;
    sample(&a, "Tựa");
    free(a.lang);
    a.lang = bt_strdup("en");
    assert_int_equal(bt_article_add_related(&a, NULL, "No address"), 0);
    write_docx(&o, &a, 1, &b);
    z = open_zip(&b, &src);
    doc = part(z, "word/document.xml");
    styles = part(z, "word/styles.xml");
    assert_non_null(strstr(doc, "<w:pgSz w:w=\"8391\" w:h=\"11906\"/>"));
    assert_non_null(strstr(doc, "<w:pgMar w:top=\"567\" w:right=\"567\" w:bottom=\"567\" w:left=\"567\""));
    assert_non_null(strstr(doc, "<w:lang w:val=\"en-US\"/>"));
    assert_non_null(strstr(doc, ">Related</w:t>"));
    assert_non_null(strstr(styles, "w:ascii=\"Arial\""));
    assert_non_null(strstr(styles, "<w:sz w:val=\"23\"/>"));
    free(doc), free(styles);
    zip_close(z);
    bt_article_free(&a);
    bt_buf_free(&b);
}

static void test_bad_reference_doc(void **state)
{
    bt_docx_opts o;
    bt_error err = BT_ERROR_INIT;
    char path[] = "/tmp/bantin-test-docx-XXXXXX";
    int fd = mkstemp(path);
    (void)state;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a zip", 9), 9);
    close(fd);
    bt_docx_opts_init(&o);
    o.reference_doc = path;
    assert_null(bt_docx_open(&o, &err));
    assert_non_null(strstr(err.msg, path));
    o.reference_doc = "/nonexistent/ref.docx";
    assert_null(bt_docx_open(&o, &err));
    assert_non_null(strstr(err.msg, "/nonexistent/ref.docx"));
    unlink(path);
}

/* A template read once serves many documents, page setup included. */
static void test_reference_loaded_once(void **state)
{
    bt_docx_opts o, ref;
    bt_error err = BT_ERROR_INIT;
    bt_buf b = BT_BUF_INIT, b2 = BT_BUF_INIT;
    bt_article a;
    char path[] = "/tmp/bantin-test-ref-XXXXXX";
    int fd = mkstemp(path);
    zip_source_t *src;
    zip_t *z;
    char *styles, *doc;
    (void)state;

    assert_true(fd >= 0);
    bt_docx_opts_init(&ref);
    assert_int_equal(bt_docx_parse_paper(&ref, "A5", &err), 0);
    ref.font = "Template Sans";
    sample(&a, "Mẫu");
    write_docx(&ref, &a, 1, &b);
    assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
    close(fd);

    bt_docx_opts_init(&o);
    o.reference_doc = path;
    assert_int_equal(bt_docx_opts_load(&o, &err), 0);
    assert_non_null(o.prepared);
    assert_true(o.page_w_mm > 147.9 && o.page_w_mm < 148.1);
    unlink(path); /* from here on only the loaded copy can be used */
    write_docx(&o, &a, 1, &b2);
    z = open_zip(&b2, &src);
    styles = part(z, "word/styles.xml");
    doc = part(z, "word/document.xml");
    assert_non_null(strstr(styles, "w:ascii=\"Template Sans\""));
    assert_non_null(strstr(doc, "<w:pgSz w:w=\"8391\" w:h=\"11906\"/>"));
    free(styles), free(doc);
    zip_close(z);
    bt_docx_opts_free(&o);
    assert_null(o.prepared);
    bt_article_free(&a);
    bt_buf_free(&b);
    bt_buf_free(&b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_in_order),
        cmocka_unit_test(test_document_content),
        cmocka_unit_test(test_forbidden_characters_dropped),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_many_articles_toc),
        cmocka_unit_test(test_empty_document),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bad_reference_doc),
        cmocka_unit_test(test_reference_loaded_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
