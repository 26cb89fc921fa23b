/* The DOCX writer: package layout, safe XML, determinism, options. */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "internal.h" /* bt_image_probe */

#include <libxml/parser.h>
#include <zip.h>

/* Closes the document into memory (via a temporary file). */
static void close_into(bt_docx *d, bt_buf *out)
{
    bt_error err = BT_ERROR_INIT;
    FILE *f = tmpfile();
    char chunk[8192];
    size_t got;

    assert_non_null(f);
    assert_int_equal(bt_docx_close(d, f, &err), 0);
    rewind(f);
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(bt_buf_add(out, chunk, got), 0);
    fclose(f);
}

/* Writes the articles as a .docx into memory. */
static void write_docx(const bt_docx_opts *o, bt_article *arts, size_t n, bt_buf *out)
{
    bt_error err = BT_ERROR_INIT;
    bt_docx *d = bt_docx_open(o, &err);

    assert_non_null(d);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(bt_docx_add_article(d, &arts[i], &err), 0);
    close_into(d, out);
}

/* A package in memory, opened with libzip (which checks its structure). */
typedef struct package {
    bt_buf bytes;
    zip_t *zip;
} package;

static void package_open(package *p)
{
    zip_error_t ze;
    zip_source_t *src;

    zip_error_init(&ze);
    src = zip_source_buffer_create(p->bytes.data, p->bytes.len, 0, &ze);
    assert_non_null(src);
    p->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(p->zip);
    zip_error_fini(&ze);
}

/* The articles written with options o, opened again. */
static void package_write(package *p, const bt_docx_opts *o, bt_article *arts, size_t n)
{
    bt_buf_init(&p->bytes, 0);
    write_docx(o, arts, n, &p->bytes);
    package_open(p);
}

static void package_close(package *p)
{
    zip_close(p->zip);
    bt_buf_free(&p->bytes);
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

/* text, the part called name, holds every string of want (NULL-ended). */
static void holds(const char *name, const char *text, const char *const *want)
{
    for (; *want; want++)
        if (!strstr(text, *want))
            fail_msg("%s does not hold %s", name, *want);
}

static void sample(bt_article *a, const char *title)
{
    unit_sample_article(a, title);
    assert_int_equal(bt_article_add_para(a, BT_BLOCK_P, "Đoạn một."), 0);
}

static void test_parts_in_order(void **state)
{
    static const char *const names[] = {
        "[Content_Types].xml", "_rels/.rels", "word/document.xml",
        "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
        "word/numbering.xml", "word/footer1.xml", "docProps/core.xml", "docProps/app.xml",
    };
    package pk;
    bt_article a;
    (void)state;

    sample(&a, "Tiêu đề");
    package_write(&pk, NULL, &a, 1);
    assert_int_equal(zip_get_num_entries(pk.zip, 0), (zip_int64_t)NELEMS(names));
    for (size_t i = 0; i < NELEMS(names); i++) {
        zip_stat_t st;
        assert_string_equal(zip_get_name(pk.zip, i, 0), names[i]);
        assert_int_equal(zip_stat_index(pk.zip, i, 0, &st), 0);
        assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
        free(part(pk.zip, names[i]));
    }
    /* no data descriptors: general purpose bit 3 of the first local header */
    assert_true(pk.bytes.len > 30);
    assert_int_equal(pk.bytes.data[6] & 0x08, 0);
    package_close(&pk);
    bt_article_free(&a);
}

static void test_document_content(void **state)
{
    package pk;
    bt_article a;
    bt_block *list;
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
    package_write(&pk, NULL, &a, 1);
    doc = part(pk.zip, "word/document.xml");
    rels = part(pk.zip, "word/_rels/document.xml.rels");
    core = part(pk.zip, "docProps/core.xml");
    settings = part(pk.zip, "word/settings.xml");
    styles = part(pk.zip, "word/styles.xml");

    holds("document.xml", doc, (const char *const[]){
        "<w:pStyle w:val=\"Title\"/>", "<w:pStyle w:val=\"Date\"/>", "<w:pStyle w:val=\"Byline\"/>",
        "<w:pStyle w:val=\"Heading1\"/>", "<w:pStyle w:val=\"Quote\"/>", "<w:pStyle w:val=\"Related\"/>",
        "<w:numId w:val=\"2\"/>", "<w:lang w:val=\"vi-VN\"/>", "<w:t xml:space=\"preserve\"> xem </w:t>",
        "<w:hyperlink r:id=\"rIdH1\"",
        /* A4, margins 20/15/20/30 mm */
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
        "<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\"", NULL});
    assert_null(strstr(doc, "TOC \\h")); /* one article: no table of contents */
    holds("document.xml.rels", rels, (const char *const[]){
        "Target=\"https://vd.vn/a%20b\" TargetMode=\"External\"", "Target=\"https://vd.vn/r\"", NULL});
    holds("core.xml", core, (const char *const[]){
        "<dc:title>Tiêu đề</dc:title>", "<dc:creator>Quận Đống Đa</dc:creator>",
        ">2023-07-12T13:01:00+07:00</dcterms:created>", NULL});
    holds("settings.xml", settings, (const char *const[]){
        "w:name=\"compatibilityMode\"", "w:val=\"15\"", NULL});
    assert_null(strstr(settings, "updateFields"));
    holds("styles.xml", styles, (const char *const[]){
        "w:ascii=\"Times New Roman\" w:eastAsia=\"Times New Roman\" "
        "w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"",
        "<w:sz w:val=\"26\"/>", NULL});
    free(doc), free(rels), free(core), free(settings), free(styles);
    package_close(&pk);
    bt_article_free(&a);
}

static void test_forbidden_characters_dropped(void **state)
{
    package pk;
    bt_article a;
    char *doc, *core;
    (void)state;

    sample(&a, "A\x01" "B\x1F" "C\xEF\xBF\xBE" "D\xFF" "E");
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, "x\x0By\x0C" "z"), 0);
    package_write(&pk, NULL, &a, 1);
    doc = part(pk.zip, "word/document.xml"); /* part() checks well-formedness */
    core = part(pk.zip, "docProps/core.xml");
    assert_non_null(strstr(doc, ">ABCD\xEF\xBF\xBD" "E</w:t>")); /* bad byte → U+FFFD */
    assert_non_null(strstr(doc, ">xyz</w:t>"));
    assert_non_null(strstr(core, "<dc:title>ABCD\xEF\xBF\xBD" "E</dc:title>"));
    free(doc), free(core);
    package_close(&pk);
    bt_article_free(&a);
}

static void test_reproducible(void **state)
{
    package p1, p2, p3;
    bt_article a;
    zip_stat_t st;
    struct tm tm;
    (void)state;

    sample(&a, "Giống nhau");
    unsetenv("SOURCE_DATE_EPOCH");
    package_write(&p1, NULL, &a, 1);
    package_write(&p2, NULL, &a, 1);
    assert_int_equal(p1.bytes.len, p2.bytes.len);
    assert_memory_equal(p1.bytes.data, p2.bytes.data, p1.bytes.len);
    assert_int_equal(zip_stat_index(p1.zip, 0, 0, &st), 0);
    localtime_r(&st.mtime, &tm); /* libzip reads DOS times as local time */
    assert_int_equal(tm.tm_year, 80);
    assert_int_equal(tm.tm_mon, 0);
    assert_int_equal(tm.tm_mday, 1);

    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* 2023-11-14 22:13:20 UTC */
    package_write(&p3, NULL, &a, 1);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(zip_stat_index(p3.zip, 0, 0, &st), 0);
    localtime_r(&st.mtime, &tm);
    assert_int_equal(tm.tm_year, 123);
    assert_int_equal(tm.tm_mon, 10);
    assert_int_equal(tm.tm_mday, 14);
    assert_int_equal(tm.tm_hour, 22);
    package_close(&p1);
    package_close(&p2);
    package_close(&p3);
    bt_article_free(&a);
}

/* Enough articles that the body spills to a temporary file. */
static void test_many_articles_toc(void **state)
{
    enum { N = 400 };
    package pk;
    bt_buf para = BT_BUF_INIT;
    bt_article a;
    bt_error err = BT_ERROR_INIT;
    bt_docx *d = bt_docx_open(NULL, &err);
    char *doc, *settings, *core, *p;
    size_t titles = 0, breaks = 0;
    (void)state;

    assert_non_null(d);
    for (int i = 0; i < 300; i++)
        assert_int_equal(bt_buf_adds(&para, "Nội dung dài của bài báo. "), 0);
    /* one article at a time, as the tool adds them */
    for (int i = 0; i < N; i++) {
        char title[64];
        snprintf(title, sizeof(title), "Bài số %d", i + 1);
        sample(&a, title);
        assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, para.data), 0);
        assert_int_equal(bt_docx_add_article(d, &a, &err), 0);
        bt_article_free(&a);
    }
    bt_buf_init(&pk.bytes, 0);
    close_into(d, &pk.bytes);
    package_open(&pk);
    doc = part(pk.zip, "word/document.xml");
    settings = part(pk.zip, "word/settings.xml");
    core = part(pk.zip, "docProps/core.xml");
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
    package_close(&pk);
    bt_buf_free(&para);
}

static void test_empty_document(void **state)
{
    package pk;
    char *doc;
    (void)state;

    package_write(&pk, NULL, NULL, 0);
    doc = part(pk.zip, "word/document.xml");
    assert_non_null(strstr(doc, "<w:body><w:p/><w:sectPr>"));
    free(doc);
    package_close(&pk);
}

static void test_options(void **state)
{
    bt_docx_opts o;
    bt_error err = BT_ERROR_INIT;
    package pk;
    bt_article a;
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
    package_write(&pk, &o, &a, 1);
    doc = part(pk.zip, "word/document.xml");
    styles = part(pk.zip, "word/styles.xml");
    holds("document.xml", doc, (const char *const[]){
        "<w:pgSz w:w=\"8391\" w:h=\"11906\"/>",
        "<w:pgMar w:top=\"567\" w:right=\"567\" w:bottom=\"567\" w:left=\"567\"",
        "<w:lang w:val=\"en-US\"/>", ">Related</w:t>", NULL});
    holds("styles.xml", styles, (const char *const[]){"w:ascii=\"Arial\"", "<w:sz w:val=\"23\"/>", NULL});
    free(doc), free(styles);
    package_close(&pk);
    bt_article_free(&a);
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
    bt_buf b = BT_BUF_INIT;
    package pk;
    bt_article a;
    char path[] = "/tmp/bantin-test-ref-XXXXXX";
    int fd = mkstemp(path);
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
    package_write(&pk, &o, &a, 1);
    styles = part(pk.zip, "word/styles.xml");
    doc = part(pk.zip, "word/document.xml");
    assert_non_null(strstr(styles, "w:ascii=\"Template Sans\""));
    assert_non_null(strstr(doc, "<w:pgSz w:w=\"8391\" w:h=\"11906\"/>"));
    free(styles), free(doc);
    package_close(&pk);
    bt_docx_opts_free(&o);
    assert_null(o.prepared);
    bt_article_free(&a);
    bt_buf_free(&b);
}

/* ---- images ---- */

static const unsigned char png_head[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x03, 0x20, 0, 0, 0x02, 0x58, 8, 2, 0, 0, 0, 0, 0, 0, 0, /* 800 x 600 */
};

static void test_image_probe(void **state)
{
    /* a JPEG with an APP0 segment, then a SOF2 (progressive) frame */
    static const unsigned char jpg[] = {
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC2, 0, 17, 8, 0x01, 0x2C, 0x01, 0x90, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    };
    static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 40, 0, 30, 0, 0, 0, 0};
    static const unsigned char webp[] = {
        'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
        0, 0, 0, 0, 0x7F, 0x02, 0, 0xDF, 0x01, 0,
    };
    static const unsigned char truncated_jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F'};
    bt_image_info im;
    const char *why;
    (void)state;

    assert_int_equal(bt_image_probe(jpg, sizeof(jpg), &im, &why), 0);
    assert_true(im.type == BT_IMAGE_JPEG && im.width == 400 && im.height == 300);
    assert_int_equal(bt_image_probe(png_head, sizeof(png_head), &im, &why), 0);
    assert_true(im.type == BT_IMAGE_PNG && im.width == 800 && im.height == 600);
    assert_int_equal(bt_image_probe(gif, sizeof(gif), &im, &why), 0);
    assert_true(im.type == BT_IMAGE_GIF && im.width == 40 && im.height == 30);
    assert_int_equal(bt_image_probe(webp, sizeof(webp), &im, &why), 0);
    assert_true(im.type == BT_IMAGE_WEBP && im.width == 640 && im.height == 480);
    assert_string_equal(bt_image_media_type(BT_IMAGE_WEBP), "image/webp");
    assert_int_equal(bt_image_probe(truncated_jpg, sizeof(truncated_jpg), &im, &why), -1);
    assert_non_null(strstr(why, "JPEG"));
    assert_int_equal(bt_image_probe((const unsigned char *)"<html>", 6, &im, &why), -1);
    assert_string_equal(why, "not a JPEG, PNG, GIF or WebP image");
    assert_int_equal(bt_image_probe(png_head, 20, &im, &why), -1); /* cut in IHDR */
    /* every prefix of every header is safe to probe */
    for (size_t n = 0; n <= sizeof(jpg); n++)
        (void)bt_image_probe(jpg, n, &im, &why);
}

typedef struct notices {
    int count[3];
    char last[1024];
} notices;

static void on_notice(bt_docx_notice kind, const char *msg, void *ctx)
{
    notices *n = ctx;
    n->count[kind]++;
    snprintf(n->last, sizeof(n->last), "%s", msg);
}

static void add_figure(bt_article *a, const char *src, const char *caption)
{
    bt_block *f = bt_article_add_block(a, BT_BLOCK_FIGURE);
    assert_non_null(f);
    f->src = bt_strdup(src);
    if (caption)
        assert_int_equal(bt_text_set_plain(&f->text, caption), 0);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void test_figures(void **state)
{
    char dir[] = "/tmp/bantin-test-fig-XXXXXX", path[256];
    bt_docx_opts o;
    bt_error err = BT_ERROR_INIT;
    package pk;
    notices n = {{0}, ""};
    bt_article a;
    bt_docx *d;
    FILE *f;
    char *doc, *rels;
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/p.png", dir);
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(png_head, 1, sizeof(png_head), f), sizeof(png_head));
    fclose(f);
    snprintf(path, sizeof(path), "%s/fifo.png", dir);
    assert_int_equal(mkfifo(path, 0600), 0);

    bt_docx_opts_init(&o);
    o.on_notice = on_notice;
    o.notice_ctx = &n;
    o.image_max_pixels = 1000000;
    sample(&a, "Ảnh");
    add_figure(&a, "p.png", "Có ảnh");
    add_figure(&a, "p.png", NULL);            /* the same file: stored once */
    add_figure(&a, "fifo.png", "FIFO");       /* never opened for reading */
    add_figure(&a, "//cdn.example/x.jpg", "Xa");
    add_figure(&a, "data:image/png;base64,AAAA", "Dữ liệu");
    add_figure(&a, "C:\\anh.png", "Ổ đĩa"); /* not a URL: a (missing) file name */
    /* srcs relative to the XML file, made paths from here (as the tool does) */
    assert_int_equal(bt_article_resolve_figures(&a, dir, &err), 0);
    package_write(&pk, &o, &a, 1);
    assert_int_equal(n.count[BT_DOCX_IMAGE_REMOTE], 2);
    assert_int_equal(n.count[BT_DOCX_IMAGE_MISSING], 2);
    assert_non_null(strstr(n.last, "figure '"));
    assert_non_null(strstr(n.last, "C:\\anh.png': no such file"));
    doc = part(pk.zip, "word/document.xml");
    rels = part(pk.zip, "word/_rels/document.xml.rels");
    assert_int_equal(count(doc, "<wp:inline "), 2);
    assert_int_equal(count(rels, "/relationships/image\""), 1);
    /* 800 px at 96 dpi is 7620000 EMU: scaled to 165 mm of text */
    assert_non_null(strstr(doc, "<wp:extent cx=\"5940000\" cy=\"4455000\"/>"));
    assert_int_equal(zip_name_locate(pk.zip, "word/media/image1.png", 0) >= 0, 1);
    assert_int_equal(count(doc, "w:val=\"Caption\""), 5);
    free(doc), free(rels);
    package_close(&pk);
    bt_article_free(&a);

    /* over the pixel limit: refused */
    o.image_max_pixels = 1000;
    sample(&a, "Lớn");
    add_figure(&a, "p.png", "Quá lớn");
    assert_int_equal(bt_article_resolve_figures(&a, dir, &err), 0);
    d = bt_docx_open(&o, &err);
    assert_int_equal(bt_docx_add_article(d, &a, &err), 0);
    bt_docx_abort(d);
    assert_int_equal(n.count[BT_DOCX_IMAGE_REFUSED], 1);
    assert_non_null(strstr(n.last, "800x600 pixels, over the limit of 1000"));
    /* over the size limit */
    o.image_max_pixels = 0;
    o.image_max_bytes = 10;
    d = bt_docx_open(&o, &err);
    assert_int_equal(bt_docx_add_article(d, &a, &err), 0);
    bt_docx_abort(d);
    assert_int_equal(n.count[BT_DOCX_IMAGE_REFUSED], 2);
    assert_non_null(strstr(n.last, "larger than 10 bytes"));
    bt_article_free(&a);
    unlink(path);
    snprintf(path, sizeof(path), "%s/p.png", dir);
    unlink(path);
    rmdir(dir);
}

/* ---- tables ---- */

static bt_cell *cell(bt_row *r, const char *text, unsigned colspan, unsigned rowspan, int header)
{
    bt_cell *c = bt_row_add_cell(r);
    assert_non_null(c);
    assert_int_equal(bt_text_set_plain(&c->text, text), 0);
    c->colspan = colspan;
    c->rowspan = rowspan;
    c->header = header;
    return c;
}

/* The document part of the article's package (pk to close after). */
static char *one_doc(bt_article *a, package *pk)
{
    package_write(pk, NULL, a, 1);
    return part(pk->zip, "word/document.xml");
}

static void test_tables(void **state)
{
    package pk;
    bt_article a;
    bt_block *t;
    bt_row *r;
    char *doc;
    (void)state;

    sample(&a, "Bảng");
    t = bt_article_add_block(&a, BT_BLOCK_TABLE);
    r = bt_block_add_row(t);
    cell(r, "A", 1, 0, 1);
    cell(r, "B", 2, 1, 1);
    r = bt_block_add_row(t);
    cell(r, "C", 1, 9, 0);  /* a rowspan past the end stops at the last row */
    cell(r, "D", 5, 1, 0);  /* a colspan past the grid is kept: the grid widens */
    r = bt_block_add_row(t);
    cell(r, "E", 3, 1, 0);  /* C covers the first place: E starts after it */
    bt_block_add_row(t);    /* an empty row */
    doc = one_doc(&a, &pk);
    assert_int_equal(count(doc, "<w:tbl>"), 1);
    assert_int_equal(count(doc, "<w:gridCol "), 6);
    assert_int_equal(count(doc, "<w:tr>"), 4);
    assert_int_equal(count(doc, "<w:tblHeader/>"), 1);
    assert_int_equal(count(doc, "<w:vMerge w:val=\"restart\"/>"), 1);
    assert_int_equal(count(doc, "<w:vMerge/>"), 2); /* rows 3 and 4 */
    assert_non_null(strstr(doc, "<w:gridSpan w:val=\"5\"/>"));
    assert_non_null(strstr(doc, "<w:gridSpan w:val=\"3\"/>"));
    assert_non_null(strstr(doc, "<w:tblStyle w:val=\"Table\"/>"));
    assert_true(strstr(doc, ">A<") < strstr(doc, ">B<") && strstr(doc, ">B<") < strstr(doc, ">C<") &&
                strstr(doc, ">D<") < strstr(doc, ">E<"));
    free(doc);
    package_close(&pk);
    bt_article_free(&a);

    /* wider than Word's 63 columns: the rows as lines of text */
    sample(&a, "Rộng");
    t = bt_article_add_block(&a, BT_BLOCK_TABLE);
    r = bt_block_add_row(t);
    for (int i = 0; i < 70; i++)
        cell(r, "x", 1, 1, 0);
    doc = one_doc(&a, &pk);
    assert_null(strstr(doc, "<w:tbl>"));
    assert_int_equal(count(doc, "> | </w:t>"), 69);
    free(doc);
    package_close(&pk);
    bt_article_free(&a);
}

static void test_lang_and_margins(void **state)
{
    bt_docx_opts o;
    bt_error err = BT_ERROR_INIT;
    (void)state;

    bt_docx_opts_init(&o);
    assert_int_equal(bt_docx_parse_lang(&o, "vi-VN", &err), 0);
    assert_int_equal(bt_docx_parse_lang(&o, "EN", &err), 0);
    assert_int_equal(bt_docx_parse_lang(&o, "xx", &err), -1);
    assert_non_null(strstr(err.msg, "unknown language 'xx'"));
    assert_int_equal(bt_docx_parse_lang(&o, "vietnamese", &err), -1);
    assert_int_equal(bt_docx_parse_margin(&o, "400mm", &err), -1);
    assert_int_equal(bt_docx_parse_margin(&o, "100mm", &err), 0);
    assert_int_equal(bt_docx_opts_load(&o, &err), -1); /* nothing left of A4 */
    assert_non_null(strstr(err.msg, "leave too little room"));
    assert_null(o.prepared);
    assert_null(bt_docx_open(&o, &err));
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
        cmocka_unit_test(test_image_probe),
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_lang_and_margins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
