/* The article XML reader on any bytes: each article it reads must survive
 * the writer (fuzz_roundtrip: this is how the writer's mis-nested inline
 * markup was found), and a reader reset onto the same bytes must read the
 * same articles and end the same way (an error the same way). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { READER_MAX = 32 };

/* Reads up to READER_MAX articles; ids[] gets their ids.  Returns the
 * count, or -1 - count when it ended in an error. */
static long reader_all(bt_reader *r, char ids[][17], int check)
{
    long n = 0;
    bt_article a;
    bt_article_init(&a);
    bt_error err = BT_ERROR_INIT;
    int got = 0;
    while (n < READER_MAX && (got = bt_reader_next(r, &a, &err)) == 1) {
        if (check)
            fuzz_roundtrip(&a, "reader");
        memcpy(ids[n++], a.id, 17);
        bt_article_free(&a);
    }
    bt_article_free(&a);
    if (n < READER_MAX && got < 0) {
        fuzz_check_error(&err, "bt_reader_next");
        return -1 - n;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char ids[READER_MAX][17], again[READER_MAX][17];
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory((const char *)data, size, "input.xml", &err);
    if (!r) {
        fuzz_check_error(&err, "bt_reader_open_memory");
        return 0;
    }
    long n = reader_all(r, ids, 1);
    if (bt_reader_reset_memory(r, (const char *)data, size, &err) < 0) {
        fuzz_check_error(&err, "bt_reader_reset_memory");
    } else {
        /* After an error, how many articles came out before it depends on
         * how far libxml2 had read ahead, which differs between the two. */
        long m = reader_all(r, again, 0);
        if ((m < 0) != (n < 0) || (n >= 0 && m != n))
            fuzz_fail("a reset reader read %ld articles, a new one %ld (negative: error)", m, n);
        long k = n < 0 ? (m < n ? -1 - n : -1 - m) : n; /* read by both */
        for (long i = 0; i < k; i++)
            if (strcmp(ids[i], again[i]))
                fuzz_fail("a reset reader read article %ld as %s, a new one as %s", i,
                          again[i], ids[i]);
    }
    bt_reader_close(r);
    return 0;
}
