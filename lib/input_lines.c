/* Lines and counted blocks from a byte stream, for the record-based
 * web archives (WARC, ARC). */
#include "input_int.h"

#include <string.h>

enum { MAX_LINE = 1 << 16 };

static int fill(bt_lines *r)
{
    if (r->pos < r->len || r->eof)
        return 0;
    long k = bt_src_read(r->src, r->buf, BT_SRC_CHUNK);
    if (k < 0)
        return -1;
    r->pos = 0;
    r->len = (size_t)k;
    r->eof = k == 0;
    return 0;
}

/* One line without its CR LF into out; 1: a line, 0: the end, -1: error
 * or a line longer than MAX_LINE. */
int bt_lines_get(bt_lines *r, bt_buf *out)
{
    bt_buf_reset(out);
    for (;;) {
        if (fill(r) < 0)
            return -1;
        if (r->pos == r->len)
            return out->len ? 1 : 0;
        unsigned char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
        if (out->len + n > MAX_LINE || bt_buf_add(out, r->buf + r->pos, n) < 0)
            return -1;
        r->pos += n + (nl != NULL);
        if (nl) {
            if (out->len && out->data[out->len - 1] == '\r')
                out->data[--out->len] = '\0';
            return 1;
        }
    }
}

/* Reads n bytes into out (keep) or drops them; returns the bytes got. */
unsigned long long bt_lines_take(bt_lines *r, unsigned long long n, bt_buf *out, int *err)
{
    unsigned long long got = 0;
    *err = 0;
    while (got < n) {
        if (fill(r) < 0) {
            *err = 1;
            return got;
        }
        if (r->pos == r->len)
            return got;
        size_t k = r->len - r->pos;
        if (k > n - got)
            k = (size_t)(n - got);
        if (out && bt_buf_add(out, r->buf + r->pos, k) < 0) {
            *err = 2;
            return got;
        }
        r->pos += k;
        got += k;
    }
    return got;
}

