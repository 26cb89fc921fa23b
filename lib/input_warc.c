/*
 * Web archives (WARC 1.0/1.1, ISO 28500), as written by wget
 * --warc-file and by crawlers, plain or gzip'd record by record.  The
 * archive is streamed: each record's header is read, an HTML response
 * (or resource) record's block is read (up to the page limit) and
 * becomes an article with source/@href from WARC-Target-URI; any other
 * record is skipped without being kept.
 */
#include "input_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_LINE = 1 << 16, MAX_HEADERS = 1 << 20 };

typedef struct rd {
    bt_src *src;
    unsigned char *buf;
    size_t pos, len;
    int eof;
} rd;

static int fill(rd *r)
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
static int read_line(rd *r, bt_buf *out)
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
            if (!out->data)
                return bt_buf_adds(out, "") < 0 ? -1 : 1;
            return 1;
        }
    }
}

/* Reads n bytes into out (keep) or drops them; returns the bytes got. */
static unsigned long long take(rd *r, unsigned long long n, bt_buf *out, int *err)
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

static const char *header_value(const char *line, const char *key)
{
    size_t k = strlen(key);
    if (strncasecmp(line, key, k) || line[k] != ':')
        return NULL;
    const char *v = line + k + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    return v;
}

/* ---- the HTTP response inside a record ---- */

/* Undoes Transfer-Encoding: chunked; -1 on malformed data. */
static int dechunk(const char *s, size_t len, bt_buf *out)
{
    size_t i = 0;
    while (i < len) {
        char *end;
        unsigned long long n = strtoull(s + i, &end, 16);
        if (end == s + i)
            return -1;
        const char *nl = memchr(end, '\n', len - (size_t)(end - s));
        if (!nl)
            return -1;
        i = (size_t)(nl - s) + 1;
        if (n == 0)
            return 0;
        if (n > len - i)
            n = len - i; /* a cut-off last chunk: keep what is there */
        if (bt_buf_add(out, s + i, (size_t)n) < 0)
            return -1;
        i += (size_t)n;
        while (i < len && (s[i] == '\r' || s[i] == '\n'))
            i++;
    }
    return 0;
}

/* Undoes Content-Encoding: gzip/deflate, up to max bytes. */
static int inflate_body(const char *s, size_t len, size_t max, bt_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        return -1;
    zs.next_in = (Bytef *)(uintptr_t)s;
    zs.avail_in = (uInt)(len > (1u << 30) ? (1u << 30) : len);
    int rc = 0;
    for (;;) {
        if (bt_buf_grow(out, BT_SRC_CHUNK) < 0) {
            rc = -1;
            break;
        }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = BT_SRC_CHUNK;
        int z = inflate(&zs, Z_NO_FLUSH);
        out->len += BT_SRC_CHUNK - zs.avail_out;
        out->data[out->len] = '\0';
        if (z == Z_STREAM_END)
            break;
        if (out->len > max || (z != Z_OK && z != Z_BUF_ERROR) ||
            (z == Z_BUF_ERROR && !zs.avail_in)) {
            rc = z == Z_BUF_ERROR && !zs.avail_in ? 0 : -1; /* cut short: keep it */
            break;
        }
    }
    inflateEnd(&zs);
    return out->len > max ? -1 : rc;
}

typedef struct http {
    int status;
    char type[128];
    int chunked, gzipped;
    size_t body; /* offset of the body in the block */
} http;

static int parse_http(const char *s, size_t len, http *h)
{
    memset(h, 0, sizeof *h);
    if (len < 12 || strncmp(s, "HTTP/", 5))
        return -1;
    const char *sp = memchr(s, ' ', len < 16 ? len : 16);
    if (!sp)
        return -1;
    h->status = atoi(sp + 1);
    size_t i = 0;
    int first = 1;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t l = e - i;
        if (l && s[i + l - 1] == '\r')
            l--;
        if (!l && !first) {
            h->body = nl ? e + 1 : len;
            return 0;
        }
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(l < sizeof line - 1 ? l : sizeof line - 1), s + i);
        const char *v;
        if ((v = header_value(line, "Content-Type")))
            snprintf(h->type, sizeof h->type, "%s", v);
        else if ((v = header_value(line, "Transfer-Encoding")))
            h->chunked = strstr(v, "chunked") != NULL;
        else if ((v = header_value(line, "Content-Encoding")))
            h->gzipped = strstr(v, "gzip") || strstr(v, "deflate");
        first = 0;
        if (!nl)
            break;
        i = e + 1;
    }
    h->body = len;
    return 0;
}

static int html_type(const char *type)
{
    return !type[0] || strstr(type, "html") != NULL;
}

/* An HTML page from one record: the article, a notice, or nothing. */
static int page_record(const bt_input_ctx *c, const char *name, const char *uri, int is_http,
                       const char *ctype, bt_buf *block, int depth, bt_error *err)
{
    const char *body = block->data;
    size_t len = block->len;
    http h;
    if (is_http) {
        if (parse_http(body, len, &h) < 0)
            return 0; /* not an HTTP response: skipped */
        if (h.status < 200 || h.status > 299 || !html_type(h.type))
            return 0;
        body += h.body;
        len -= h.body;
    } else if (!html_type(ctype)) {
        return 0;
    }
    char label[1200];
    snprintf(label, sizeof label, "%s:%s", name, uri && *uri ? uri : "(no URI)");
    bt_buf dec = BT_BUF_INIT, unz = BT_BUF_INIT;
    int rc = 0;
    if (is_http && h.chunked) {
        if (dechunk(body, len, &dec) < 0) {
            bt_input_problem(c, 1, "%s: damaged chunked encoding", label);
            goto done;
        }
        body = dec.data;
        len = dec.len;
    }
    if (is_http && h.gzipped) {
        if (inflate_body(body, len, c->max_page, &unz) < 0) {
            bt_input_problem(c, 1, "%s: damaged or too large compressed body", label);
            goto done;
        }
        body = unz.data;
        len = unz.len;
    }
    if (!len)
        goto done;
    rc = bt_input_memory(c, label, name, uri && *uri ? uri : NULL, body, len, depth + 1, err);
done:
    bt_buf_free(&dec);
    bt_buf_free(&unz);
    return rc;
}

int bt_warc_read(const bt_input_ctx *c, const char *name, bt_src *src, int depth, bt_error *err)
{
    rd r = {src, malloc(BT_SRC_CHUNK), 0, 0, 0};
    bt_buf line = BT_BUF_INIT, block = BT_BUF_INIT;
    char *uri = NULL;
    int rc = 0;
    if (!r.buf) {
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
        return -1;
    }
    for (size_t records = 0;; records++) {
        int l;
        do /* records are separated by blank lines */
            l = read_line(&r, &line);
        while (l == 1 && line.len == 0);
        if (l == 0)
            break;
        unsigned long long at = src->out;
        if (l < 0 || strncmp(line.data, "WARC/", 5)) {
            const char *why = src->error ? src->error : "not a WARC record header";
            if (records == 0) {
                bt_error_set(err, BT_ERR_INPUT, "%s: %s", name, why);
                rc = -1;
            } else {
                bt_input_problem(c, 1, "%s: record %zu (near byte %llu): %s; the rest is skipped",
                                 name, records + 1, at, why);
            }
            break;
        }
        char type[64] = "", ctype[128] = "";
        long long length = -1;
        free(uri);
        uri = NULL;
        size_t header_bytes = 0;
        while ((l = read_line(&r, &line)) == 1 && line.len) {
            const char *v;
            header_bytes += line.len;
            if (header_bytes > MAX_HEADERS) {
                l = -1;
                break;
            }
            if ((v = header_value(line.data, "WARC-Type")))
                snprintf(type, sizeof type, "%s", v);
            else if ((v = header_value(line.data, "Content-Type")))
                snprintf(ctype, sizeof ctype, "%s", v);
            else if ((v = header_value(line.data, "Content-Length"))) {
                char *end;
                length = strtoll(v, &end, 10);
                if (end == v || length < 0)
                    length = -1;
            } else if ((v = header_value(line.data, "WARC-Target-URI"))) {
                /* WARC 1.0 wrote it in angle brackets */
                size_t n = strlen(v);
                if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
                    v++, n -= 2;
                free(uri);
                if (!(uri = bt_strndup(v, n))) {
                    l = -1;
                    break;
                }
            }
        }
        if (l != 1 || length < 0) {
            bt_input_problem(c, 1, "%s: record %zu: %s; the rest is skipped", name, records + 1,
                             src->error ? src->error
                             : l == 0  ? "truncated WARC record header"
                                       : "bad WARC record header (no Content-Length)");
            break;
        }
        int is_http = !strcasecmp(type, "response") && !strncasecmp(ctype, "application/http", 16);
        int wanted = is_http || (!strcasecmp(type, "resource") && html_type(ctype) && ctype[0]);
        int terr = 0;
        if (wanted && (unsigned long long)length > c->max_page + (unsigned long long)MAX_HEADERS) {
            bt_input_problem(c, 1, "%s:%s: larger than %zu MB; skipped", name, uri ? uri : "",
                             c->max_page >> 20);
            wanted = 0;
        }
        bt_buf_reset(&block);
        unsigned long long got = take(&r, (unsigned long long)length, wanted ? &block : NULL, &terr);
        if (terr == 2) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            rc = -1;
            break;
        }
        if (got < (unsigned long long)length) {
            bt_input_problem(c, 1, "%s: record %zu (%s): truncated WARC record (%llu of %lld bytes)%s%s",
                             name, records + 1, uri ? uri : type, got, length,
                             src->error ? ": " : "", src->error ? src->error : "");
            break;
        }
        if (wanted) {
            rc = page_record(c, name, uri, is_http, ctype, &block, depth, err);
            if (rc)
                break;
        }
    }
    free(uri);
    free(r.buf);
    bt_buf_free(&line);
    bt_buf_free(&block);
    return rc;
}
