/* Helpers shared by the unit tests (declared in unit.h).  They fail the
 * running test through cmocka's asserts, like the tests' own code. */
#include "unit.h"

#include <utf8proc.h>

char *unit_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    bt_buf b = BT_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(bt_buf_add(&b, chunk, n), 0);
    assert_int_equal(ferror(f), 0);
    fclose(f);
    *len = b.len;
    return bt_buf_detach(&b);
}

const char *unit_corpus(const char *sub)
{
    static char path[4096];
    const char *top = getenv("BANTIN_CORPUS");
    int n = snprintf(path, sizeof path, "%s/%s", top ? top : "../shared/corpus", sub);
    assert_true(n > 0 && (size_t)n < sizeof path);
    return path;
}

int unit_valid_utf8(const char *s, size_t len)
{
    utf8proc_ssize_t i = 0;
    while ((size_t)i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)len - i, &cp);
        if (l <= 0)
            return 0;
        i += l;
    }
    return 1;
}

void unit_sample_article(bt_article *a, const char *title)
{
    bt_article_init(a);
    a->lang = bt_strdup("vi");
    a->date_text = bt_strdup("12/07/2023 - 01:01 PM");
    a->date_when = bt_strdup("2023-07-12T13:01:00+07:00");
    a->byline = bt_strdup("Quận Đống Đa");
    assert_non_null(a->lang);
    assert_non_null(a->date_text);
    assert_non_null(a->date_when);
    assert_non_null(a->byline);
    assert_int_equal(bt_text_set_plain(&a->title, title), 0);
}

void unit_write_articles(FILE *f, const bt_article *arts, size_t n)
{
    bt_error err = BT_ERROR_INIT;
    bt_writer *w = bt_writer_open(f, &err);
    assert_non_null(w);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(bt_writer_article(w, &arts[i], &err), 0);
    assert_int_equal(bt_writer_close(w, &err), 0);
}

char *unit_articles_xml(const bt_article *arts, size_t n)
{
    char *xml = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&xml, &len);
    assert_non_null(f);
    unit_write_articles(f, arts, n);
    assert_int_equal(fclose(f), 0);
    return xml;
}

int unit_read_first(const char *xml, size_t len, bt_article *a, bt_error *err)
{
    bt_article_init(a);
    bt_reader *r = bt_reader_open_memory(xml, len, "t.xml", err);
    if (!r)
        return -1;
    int rc = bt_reader_next(r, a, err);
    bt_reader_close(r);
    return rc;
}

void unit_warc_response(bt_buf *w, const char *uri, const char *http, size_t len)
{
    assert_int_equal(bt_buf_addf(w, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
                                    "Content-Type: application/http; msgtype=response\r\n"
                                    "Content-Length: %zu\r\n\r\n", uri, len), 0);
    assert_int_equal(bt_buf_add(w, http, len), 0);
    assert_int_equal(bt_buf_adds(w, "\r\n\r\n"), 0);
}
