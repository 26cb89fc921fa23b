/*
 * The byte stream every input reader reads from (bt_src): a file
 * descriptor, memory, a function (a zip member) or another stream, with
 * the one inflate path of the input layer (zlib: gzip with every member
 * in turn, as .warc.gz has one per record, zlib or raw deflate as HTTP
 * sends them), peeking for the format bids, and the unpacking budget
 * that keeps an archive from multiplying its size.  It depends on
 * nothing else of the input layer.
 */
#include "input_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- budgets ---- */

static unsigned long long allowed(const bt_budget *b)
{
    unsigned long long base = b->size ? b->size : b->raw ? *b->raw : 0;
    if (base < 4096)
        base = 4096; /* a tiny archive may still hold a page */
    unsigned long long by_ratio =
        b->ratio && base > ULLONG_MAX / b->ratio ? ULLONG_MAX : base * (b->ratio ? b->ratio : 1);
    return b->cap && b->cap < by_ratio ? b->cap : by_ratio;
}

int bt_budget_charge(bt_budget *b, unsigned long long n)
{
    int rc = 0;
    for (; b; b = b->up) {
        b->used += n;
        if (b->used > allowed(b)) {
            b->over = 1;
            rc = -1;
        }
    }
    return rc;
}

const bt_budget *bt_budget_over(const bt_budget *b)
{
    for (; b; b = b->up)
        if (b->over)
            return b;
    return NULL;
}

static void human(unsigned long long n, char *out, size_t outsz)
{
    if (n >= 1ull << 30)
        snprintf(out, outsz, "%.1f GB", (double)n / (1ull << 30));
    else if (n >= 1ull << 20)
        snprintf(out, outsz, "%.1f MB", (double)n / (1ull << 20));
    else
        snprintf(out, outsz, "%llu KB", (n + 1023) >> 10);
}

void bt_budget_error(const bt_budget *b, bt_error *err)
{
    char lim[32];
    unsigned long long a = allowed(b);
    human(a, lim, sizeof lim);
    if (b->cap && a == b->cap)
        bt_error_set(err, BT_ERR_LIMIT, "%s: unpacks to more than %s (the cap for one archive); the rest is skipped",
                     b->name, lim);
    else
        bt_error_set(err, BT_ERR_LIMIT,
                     "%s: unpacks to more than %u times its size (%s); the rest is skipped",
                     b->name, b->ratio, lim);
}

/* ---- set up ---- */

static void init(bt_src *s)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

void bt_src_fd(bt_src *s, int fd)
{
    init(s);
    s->fd = fd;
}

void bt_src_mem(bt_src *s, const void *data, size_t len)
{
    init(s);
    s->mem = data ? data : (const void *)"";
    s->memlen = len;
}

void bt_src_func(bt_src *s, bt_src_fn fn, void *ctx)
{
    init(s);
    s->fn = fn;
    s->fn_ctx = ctx;
}

int bt_src_filter(bt_src *s, bt_src *up, unsigned flags)
{
    init(s);
    s->up = up;
    s->flags = flags;
    if (flags & BT_SRC_INFLATE) {
        if (!(s->zin = malloc(BT_SRC_CHUNK)))
            return -1;
    }
    return 0;
}

static long fail(bt_src *s, bt_code code, const char *why)
{
    if (!s->error) {
        s->error = why;
        s->code = code;
    }
    return -1;
}

/* Bytes from below: the fd, the memory, the function or the stream. */
static long raw_read(bt_src *s, unsigned char *buf, size_t n)
{
    long k = 0;
    if (s->up) {
        k = bt_src_read(s->up, buf, n);
        if (k < 0)
            return fail(s, s->up->code, s->up->error);
    } else if (s->mem) {
        size_t m = s->memlen - s->mempos < n ? s->memlen - s->mempos : n;
        memcpy(buf, s->mem + s->mempos, m);
        s->mempos += m;
        k = (long)m;
    } else if (s->fn) {
        const char *why = NULL;
        k = s->fn(s->fn_ctx, buf, n, &why);
        if (k < 0)
            return fail(s, BT_ERR_INPUT, why ? why : "read error");
    } else if (s->fd >= 0 && !s->fd_eof) {
        do
            k = read(s->fd, buf, n > (1u << 30) ? (1u << 30) : n);
        while (k < 0 && errno == EINTR);
        if (k < 0)
            return fail(s, BT_ERR_IO, strerror(errno));
        /* a file's end stays its end: peeking at a small page, then
         * reading it, would otherwise ask twice */
        s->fd_eof = k == 0 && s->size;
    }
    s->raw += (unsigned long long)k;
    return k;
}

/* ---- inflating ---- */

/* Which wrapper the compressed bytes have, from their first two. */
static int zmode_of(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return 15 + 16; /* gzip */
    if (n >= 2 && (p[0] & 0x0f) == 8 && ((p[0] << 8) | p[1]) % 31 == 0)
        return 15; /* zlib */
    return -15;    /* raw deflate, as some servers send "deflate" */
}

static int fill_in(bt_src *s)
{
    long k = raw_read(s, s->zin, BT_SRC_CHUNK);
    if (k < 0)
        return -1;
    if (k == 0)
        s->raw_eof = 1;
    s->zs.next_in = s->zin;
    s->zs.avail_in = (uInt)k;
    return 0;
}

static long inflate_read(bt_src *s, unsigned char *buf, size_t n)
{
    if (!s->zinit) {
        if (fill_in(s) < 0)
            return -1;
        if (!s->zs.avail_in)
            return 0; /* nothing at all */
        s->zmode = zmode_of(s->zs.next_in, s->zs.avail_in);
        if (inflateInit2(&s->zs, s->zmode) != Z_OK)
            return fail(s, BT_ERR_NOMEM, "out of memory");
        s->zinit = 1;
    }
    s->zs.next_out = buf;
    s->zs.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
    uInt want = s->zs.avail_out;
    while (s->zs.avail_out == want) {
        if (s->zend) {
            /* another gzip member may follow (trailing padding is ignored) */
            if (!s->zs.avail_in && !s->raw_eof && fill_in(s) < 0)
                return -1;
            if (s->zmode != 15 + 16 || !s->zs.avail_in || s->zs.next_in[0] != 0x1f)
                return 0;
            inflateReset(&s->zs);
            s->zend = 0;
        }
        if (!s->zs.avail_in) {
            if (!s->raw_eof && fill_in(s) < 0)
                return -1;
            if (!s->zs.avail_in) {
                if (s->flags & BT_SRC_LENIENT) {
                    s->truncated = 1;
                    s->zend = 1;
                    s->raw_eof = 1;
                    break;
                }
                return fail(s, BT_ERR_INPUT, "compressed data ends too early");
            }
        }
        int rc = inflate(&s->zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s->zend = 1;
        } else if (rc == Z_MEM_ERROR) {
            return fail(s, BT_ERR_NOMEM, "out of memory");
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            if (s->flags & BT_SRC_LENIENT) {
                s->truncated = 1;
                s->zend = 1;
                s->raw_eof = 1;
                s->zs.avail_in = 0;
                break;
            }
            return fail(s, BT_ERR_INPUT, "damaged compressed data");
        }
    }
    return (long)(want - s->zs.avail_out);
}

/* ---- reading ---- */

/* Bytes not seen before (past the peeked ones), charged to the budget. */
static long fresh_read(bt_src *s, unsigned char *buf, size_t n)
{
    long k = s->flags & BT_SRC_INFLATE ? inflate_read(s, buf, n) : raw_read(s, buf, n);
    if (k > 0 && s->budget && bt_budget_charge(s->budget, (unsigned long long)k) < 0)
        return fail(s, BT_ERR_LIMIT, "unpacking budget used up");
    return k;
}

long bt_src_read(bt_src *s, void *buf, size_t n)
{
    if (s->error)
        return -1;
    if (!n)
        return 0;
    if (s->backpos < s->backlen) {
        size_t m = s->backlen - s->backpos < n ? s->backlen - s->backpos : n;
        memcpy(buf, s->back + s->backpos, m);
        s->backpos += m;
        s->out += m;
        return (long)m;
    }
    long k = fresh_read(s, buf, n);
    if (k > 0)
        s->out += (unsigned long long)k;
    return k;
}

static int back_reserve(bt_src *s, size_t need)
{
    if (s->backpos && s->backpos == s->backlen)
        s->backpos = s->backlen = 0;
    if (s->backpos) {
        memmove(s->back, s->back + s->backpos, s->backlen - s->backpos);
        s->backlen -= s->backpos;
        s->backpos = 0;
    }
    if (need <= s->backcap)
        return 0;
    unsigned char *p = realloc(s->back, need);
    if (!p)
        return -1;
    s->back = p;
    s->backcap = need;
    return 0;
}

long bt_src_peek(bt_src *s, size_t n, const unsigned char **p)
{
    if (s->error)
        return -1;
    /* plain memory: point into it */
    if (s->mem && !(s->flags & BT_SRC_INFLATE) && s->backpos == s->backlen) {
        size_t left = s->memlen - s->mempos;
        *p = s->mem + s->mempos;
        return (long)(left < n ? left : n);
    }
    if (back_reserve(s, n) < 0)
        return fail(s, BT_ERR_NOMEM, "out of memory");
    while (s->backlen < n) {
        long k = fresh_read(s, s->back + s->backlen, n - s->backlen);
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        s->backlen += (size_t)k;
    }
    *p = s->back;
    return (long)s->backlen;
}

int bt_src_unread(bt_src *s, const void *data, size_t len)
{
    if (!len)
        return 0;
    size_t have = s->backlen - s->backpos;
    unsigned char *p = malloc(have + len);
    if (!p)
        return -1;
    memcpy(p, data, len);
    memcpy(p + len, s->back + s->backpos, have);
    free(s->back);
    s->back = p;
    s->backpos = 0;
    s->backlen = s->backcap = have + len;
    s->out -= len < s->out ? len : s->out;
    return 0;
}

void bt_src_error(const bt_src *s, const char *name, bt_error *err)
{
    bt_error_set(err, s->code ? s->code : BT_ERR_IO, "%s: %s", name,
                 s->error ? s->error : "read error");
}

int bt_src_rest(bt_src *s, size_t max, const char *name, bt_buf *out, const char **p,
                size_t *len, bt_error *err)
{
    if (s->mem && !(s->flags & BT_SRC_INFLATE) && s->backpos == s->backlen && !s->budget) {
        size_t left = s->memlen - s->mempos;
        if (left > max) {
            bt_error_set(err, BT_ERR_LIMIT, "%s: larger than %zu MB", name, max >> 20);
            return -1;
        }
        *p = (const char *)s->mem + s->mempos;
        *len = left;
        s->mempos = s->memlen;
        s->out += left;
        return 0;
    }
    if (!out->cap && s->backpos == 0 && s->backlen && s->backlen <= max) {
        /* the peeked bytes start the buffer: no copy */
        out->data = (char *)s->back;
        out->len = s->backlen;
        out->cap = s->backcap;
        s->back = NULL;
        s->backlen = s->backcap = 0;
        s->out += out->len;
        if (bt_buf_grow(out, 0) < 0) {
            bt_error_nomem(err, name);
            return -1;
        }
        out->data[out->len] = '\0';
    }
    /* a file of known size: its buffer made once, to fit (a 6 KB page
     * made a 266 KB buffer, mapped and unmapped, growing by chunks) */
    if (s->size && s->fd >= 0 && !s->up && s->size > s->out && s->size - s->out <= max &&
        bt_buf_grow(out, (size_t)(s->size - s->out) + 1) < 0) {
        bt_error_nomem(err, name);
        return -1;
    }
    size_t chunk = BT_SRC_CHUNK;
    for (;;) {
        if (out->len >= max + 1) {
            bt_error_set(err, BT_ERR_LIMIT, "%s: larger than %zu MB", name, max >> 20);
            return -1;
        }
        size_t room = max + 1 - out->len < chunk ? max + 1 - out->len : chunk;
        size_t spare = out->cap > out->len + 1 ? out->cap - out->len - 1 : 0;
        if (spare && spare < room)
            room = spare; /* what the buffer has room for first */
        if (bt_buf_grow(out, room) < 0) {
            bt_error_nomem(err, name);
            return -1;
        }
        long k = bt_src_read(s, out->data + out->len, room);
        if (k < 0) {
            bt_src_error(s, name, err);
            return -1;
        }
        if (k == 0)
            break;
        out->len += (size_t)k;
        out->data[out->len] = '\0';
        if (chunk < (16u << 20))
            chunk *= 2; /* big pages: fewer, larger reads */
    }
    *p = out->data;
    *len = out->len;
    return 0;
}

void bt_src_free(bt_src *s)
{
    if (s->zinit)
        inflateEnd(&s->zs);
    free(s->zin);
    free(s->back);
    int fd = s->fd;
    init(s);
    s->fd = fd; /* the descriptor stays the caller's */
}
