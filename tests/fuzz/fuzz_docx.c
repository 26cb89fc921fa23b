/* xml2docx on parsed articles: the articles the reader takes from any
 * bytes written with bt_docx_* into a memory stream (a table of contents
 * when there are several).  The package must be a zip whose every XML
 * part is well formed (read back with libzip and libxml2). */
#include "fuzz.h"

#include <zip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { DOCX_MAX_ARTICLES = 8, DOCX_MAX_PART = 64 << 20 };

/* Every part named *.xml or *.rels parses as XML. */
static void docx_check_package(const char *mem, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(mem, len, 0, &ze);
    if (!src)
        return;
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z) {
        zip_source_free(src);
        fuzz_fail("the DOCX is not a zip archive: %s", zip_error_strerror(&ze));
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    int seen_document = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t nl = name ? strlen(name) : 0;
        if (!name || !((nl > 4 && !strcmp(name + nl - 4, ".xml")) ||
                       (nl > 5 && !strcmp(name + nl - 5, ".rels"))))
            continue;
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) < 0 || st.size > DOCX_MAX_PART)
            fuzz_fail("the DOCX part %s cannot be read", name);
        seen_document |= !strcmp(name, "word/document.xml");
        char *buf = malloc(st.size ? st.size : 1);
        zip_file_t *zf = buf ? zip_fopen_index(z, (zip_uint64_t)i, 0) : NULL;
        if (!zf) {
            free(buf);
            continue;
        }
        zip_int64_t got = zip_fread(zf, buf, st.size);
        zip_fclose(zf);
        if (got != (zip_int64_t)st.size)
            fuzz_fail("the DOCX part %s is damaged", name);
        xmlDocPtr doc = xmlReadMemory(buf, (int)st.size, name, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
        if (!doc) {
            const xmlError *e = xmlGetLastError();
            fprintf(stderr, "%.*s\n", (int)st.size, buf);
            fuzz_fail("the DOCX part %s is not well-formed XML: %s", name,
                      e && e->message ? e->message : "?");
        }
        xmlFreeDoc(doc);
        free(buf);
    }
    zip_close(z);
    if (!seen_document)
        fuzz_fail("the DOCX has no word/document.xml");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xmlSetStructuredErrorFunc(NULL, fuzz_quiet);
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory((const char *)data, size, "input.xml", &err);
    if (!r)
        return 0;
    bt_docx_opts o;
    bt_docx_opts_init(&o);
    bt_docx *d = bt_docx_open(&o, &err);
    if (!d) {
        fuzz_check_error(&err, "bt_docx_open");
        bt_reader_close(r);
        return 0;
    }
    bt_article a;
    bt_article_init(&a);
    size_t n = 0;
    while (n < DOCX_MAX_ARTICLES && bt_reader_next(r, &a, &err) == 1) {
        n++;
        int rc = bt_docx_add_article(d, &a, &err);
        bt_article_free(&a);
        if (rc < 0) {
            fuzz_check_error(&err, "bt_docx_add_article");
            bt_docx_abort(d);
            bt_reader_close(r);
            return 0;
        }
    }
    bt_article_free(&a);
    bt_reader_close(r);
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    if (!f) {
        bt_docx_abort(d);
        return 0;
    }
    int rc = bt_docx_close(d, f, &err);
    if (fclose(f) == 0 && rc == 0)
        docx_check_package(mem, len);
    else if (rc < 0)
        fuzz_check_error(&err, "bt_docx_close");
    free(mem);
    bt_docx_opts_free(&o);
    return 0;
}
