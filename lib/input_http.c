/*
 * The HTTP response a web-archive record (WARC, ARC) holds: the status
 * line and headers are read, a page that is not a 2xx HTML response is
 * skipped, the body is undone from Transfer-Encoding: chunked (a body
 * that only claims to be chunked is taken as it is, as warcio does) and
 * from Content-Encoding gzip/deflate (through the byte stream's one
 * inflate path; a body cut short keeps what is there), and the page goes
 * back to the dispatcher with its URL and the charset of its
 * Content-Type.
 */
#include "input_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct http {
    int status;
    char type[128];    /* media type, lower case, without parameters */
    char charset[40];
    int chunked, compressed, unknown_coding;
    long long length;  /* Content-Length, or -1 */
    size_t body;       /* offset of the body in the block */
} http;

static void media_type(const char *v, size_t n, char *out, size_t outsz, char *cs, size_t cssz)
{
    size_t k = 0;
    while (k < n && v[k] != ';' && v[k] != ' ' && k + 1 < outsz) {
        out[k] = (char)(v[k] >= 'A' && v[k] <= 'Z' ? v[k] | 0x20 : v[k]);
        k++;
    }
    out[k] = '\0';
    bt_content_type_charset(v, n, cs, cssz);
}

static int parse_http(const char *s, size_t len, http *h)
{
    memset(h, 0, sizeof *h);
    h->length = -1;
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
        const char *v;
        size_t vn;
        if ((v = bt_header_value(s + i, l, "Content-Type", &vn)))
            media_type(v, vn, h->type, sizeof h->type, h->charset, sizeof h->charset);
        else if ((v = bt_header_value(s + i, l, "Content-Length", &vn)) && vn && vn < 19 &&
                 strspn(v, "0123456789") >= vn)
            h->length = strtoll(v, NULL, 10);
        else if ((v = bt_header_value(s + i, l, "Transfer-Encoding", &vn)))
            h->chunked = vn >= 7 && !strncasecmp(v + vn - 7, "chunked", 7);
        else if ((v = bt_header_value(s + i, l, "Content-Encoding", &vn))) {
            if ((vn == 4 && !strncasecmp(v, "gzip", 4)) || (vn == 6 && !strncasecmp(v, "x-gzip", 6)) ||
                (vn == 7 && !strncasecmp(v, "deflate", 7)))
                h->compressed = 1;
            else if (vn && strncasecmp(v, "identity", vn < 8 ? vn : 8))
                h->unknown_coding = 1;
        }
        first = 0;
        if (!nl)
            break;
        i = e + 1;
    }
    h->body = len;
    return 0;
}

/* Undoes Transfer-Encoding: chunked into out; -1 when the body does not
 * start as chunks.  A cut-off last chunk keeps what is there. */
static int dechunk(const char *s, size_t len, bt_buf *out, int *oom)
{
    size_t i = 0;
    while (i < len) {
        size_t k = i, digits = 0;
        unsigned long long n = 0;
        while (k < len && digits < 16) {
            char ch = s[k];
            int d = ch >= '0' && ch <= '9' ? ch - '0'
                    : (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10
                                                                : -1;
            if (d < 0)
                break;
            n = n << 4 | (unsigned)d;
            k++, digits++;
        }
        const char *nl = digits ? memchr(s + k, '\n', len - k) : NULL;
        if (!nl || (size_t)(nl - (s + k)) > 1024) /* chunk extensions are short */
            return i == 0 ? -1 : 0;
        i = (size_t)(nl - s) + 1;
        if (n == 0)
            return 0;
        if (n > len - i)
            n = len - i;
        if (bt_buf_add(out, s + i, (size_t)n) < 0) {
            *oom = 1;
            return -1;
        }
        i += (size_t)n;
        if (i < len && s[i] == '\r')
            i++;
        if (i < len && s[i] == '\n')
            i++;
    }
    return 0;
}

static int html_type(const char *type)
{
    return !type[0] || !strcmp(type, "text/html") || !strcmp(type, "application/xhtml+xml") ||
           strstr(type, "html") != NULL;
}

/* An image's body for the archive's index: inflated when it is
 * compressed, told cut when it is shorter than it says. */
static int image_body(bt_input_ctx *c, bt_webimg *w, const char *name, const char *url,
                      const char *body, size_t len, const http *h, int cut, long long at,
                      bt_error *err)
{
    if (!h->chunked && h->length >= 0 && (unsigned long long)len < (unsigned long long)h->length)
        cut = 1;
    if (!h->compressed)
        return bt_webimg_record(w, c, url, body, len, !strncmp(h->type, "image/", 6), cut,
                                h->chunked ? -1 : at, err);
    bt_src mem, z;
    bt_src_mem(&mem, body, len);
    if (bt_src_filter(&z, &mem, BT_SRC_INFLATE | BT_SRC_LENIENT) < 0) {
        bt_error_nomem(err, name);
        return -1;
    }
    bt_buf out = BT_BUF_INIT;
    const char *p;
    size_t n;
    bt_error e = BT_ERROR_INIT;
    int rc = 0;
    if (bt_src_rest(&z, bt_images_max_bytes(c->opts->images) + 1, name, &out, &p, &n, &e) < 0) {
        if (e.code == BT_ERR_NOMEM) {
            *err = e;
            rc = -1;
        } /* else broken or too large: not an image of this archive */
    } else {
        rc = bt_webimg_record(w, c, url, p, n, !strncmp(h->type, "image/", 6), cut || z.truncated,
                              -1, err);
    }
    bt_buf_free(&out);
    bt_src_free(&z);
    bt_src_free(&mem);
    return rc;
}

int bt_http_page(bt_input_ctx *c, const bt_item *parent, const char *name, const char *url,
                 const char *block, size_t len, int is_http, const char *media,
                 bt_webimg *w, int cut, long long at, bt_error *err)
{
    http h;
    memset(&h, 0, sizeof h);
    h.length = -1;
    int page;
    if (is_http) {
        if (parse_http(block, len, &h) < 0)
            return 0; /* not an HTTP response: skipped */
        if (h.status < 200 || h.status > 299)
            return 0;
        page = html_type(h.type);
        block += h.body;
        len -= h.body;
        if (at >= 0)
            at += (long long)h.body;
    } else {
        char cs[40];
        media_type(media, strlen(media), h.type, sizeof h.type, cs, sizeof cs);
        memcpy(h.charset, cs, sizeof cs);
        page = h.type[0] && html_type(h.type);
    }
    int image = !page && w && w->src.find;
    if (page && w && w->src.find && !h.type[0] && !h.chunked && !h.compressed) {
        /* no media type: an image tells itself by its bytes */
        bt_image_info info;
        const char *why;
        bt_image_probe((const unsigned char *)block, len, &info, &why);
        image = info.type != BT_IMAGE_UNKNOWN;
        page = !image;
    }
    if (!page && !image)
        return 0;
    if (h.unknown_coding) {
        if (page)
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s: a content encoding this reader does not know",
                             name);
        return 0;
    }
    bt_buf plain = BT_BUF_INIT;
    int rc = 0, oom = 0;
    if (h.chunked && dechunk(block, len, &plain, &oom) == 0) {
        block = plain.data;
        len = plain.len;
    } else if (oom) {
        bt_buf_free(&plain);
        bt_error_nomem(err, name);
        return -1;
    }
    if (image) {
        rc = image_body(c, w, name, url, block, len, &h, cut, at, err);
    } else if (len) {
        bt_src mem, z;
        bt_src_mem(&mem, block, len);
        bt_src *src = &mem;
        if (h.compressed) {
            if (bt_src_filter(&z, &mem, BT_SRC_INFLATE | BT_SRC_LENIENT) < 0) {
                bt_buf_free(&plain);
                bt_error_nomem(err, name);
                return -1;
            }
            z.budget = parent->budget;
            src = &z;
        }
        bt_item m;
        bt_item_member(&m, parent, name, src);
        m.file = parent->file;
        m.url = url;
        m.charset = h.charset[0] ? h.charset : NULL;
        m.in_archive = 1;
        rc = c->member(c, &m, err);
        if (h.compressed)
            bt_src_free(&z);
        bt_src_free(&mem);
    }
    bt_buf_free(&plain);
    return rc;
}
