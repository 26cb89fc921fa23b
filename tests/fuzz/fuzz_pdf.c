/* xml2pdf on parsed articles: the articles the reader takes from any bytes
 * typeset with bt_pdf_* into memory, plain (each article on new pages) or
 * as a bulletin (two passes).  The last byte picks the look: bit 0 a
 * bulletin, bit 1 two columns, bit 2 A5 paper, bit 3 English furniture.
 * The PDF made is complete: it starts with %PDF-, ends with %%EOF, and
 * (when not a bulletin, whose articles run on) has a page for every
 * article at least. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PDF_MAX_ARTICLES = 6 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bt_article arts[PDF_MAX_ARTICLES];
    size_t n = 0;
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory((const char *)data, size, "input.xml", &err);
    if (!r)
        return 0;
    while (n < PDF_MAX_ARTICLES) {
        bt_article_init(&arts[n]);
        if (bt_reader_next(r, &arts[n], &err) != 1) {
            bt_article_free(&arts[n]);
            break;
        }
        n++;
    }
    bt_reader_close(r);
    if (!n)
        return 0;

    unsigned look = data[size - 1];
    bt_pdf_opts o;
    bt_pdf_opts_init(&o);
    char *mem = NULL;
    size_t len = 0;
    FILE *f = NULL;
    bt_pdf *p = NULL;
    if ((look & 1 && (bt_pdf_opts_set(&o, "title", "Bản tin Quận", &err) < 0 ||
                      bt_pdf_opts_set(&o, "issue", "Số 1", &err) < 0)) ||
        (look & 2 && bt_pdf_opts_set(&o, "columns", "2", &err) < 0) ||
        (look & 4 && bt_pdf_opts_set(&o, "paper", "A5", &err) < 0) ||
        (look & 8 && bt_pdf_opts_set(&o, "lang", "en", &err) < 0))
        goto done; /* out of memory */
    o.bulletin = look & 1;
    o.created = 0;
    if (!(p = bt_pdf_new(&o, &err))) {
        fuzz_check_error(&err, "bt_pdf_new");
        goto done;
    }
    for (size_t i = 0; o.bulletin && i < n; i++)
        if (bt_pdf_measure(p, &arts[i], &err) < 0) {
            fuzz_check_error(&err, "bt_pdf_measure");
            goto done;
        }
    if (!(f = open_memstream(&mem, &len)))
        goto done;
    if (bt_pdf_start(p, f, &err) < 0) {
        fuzz_check_error(&err, "bt_pdf_start");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (bt_pdf_add(p, &arts[i], &err) < 0) {
            fuzz_check_error(&err, "bt_pdf_add");
            goto done;
        }
    if (bt_pdf_finish(p, &err) < 0) {
        fuzz_check_error(&err, "bt_pdf_finish");
        goto done;
    }
    /* a plain PDF starts each article on a new page; a bulletin's run on */
    if (!o.bulletin && bt_pdf_pages(p) < (int)n)
        fuzz_fail("%d pages for %zu articles", bt_pdf_pages(p), n);
    if (fflush(f) != 0)
        goto done;
    if (len < 16 || memcmp(mem, "%PDF-", 5))
        fuzz_fail("the PDF does not start with %%PDF- (%zu bytes)", len);
    size_t tail = len;
    while (tail && (mem[tail - 1] == '\n' || mem[tail - 1] == '\r'))
        tail--;
    if (tail < 5 || memcmp(mem + tail - 5, "%%EOF", 5))
        fuzz_fail("the PDF does not end with %%%%EOF");
done:
    bt_pdf_free(p);
    if (f)
        fclose(f);
    free(mem);
    bt_pdf_opts_free(&o);
    for (size_t i = 0; i < n; i++)
        bt_article_free(&arts[i]);
    return 0;
}
