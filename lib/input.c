/*
 * Inputs of any kind: the kind is sniffed from the first bytes (zip,
 * gzip, WARC, HTML, else a text page), then the input goes to the
 * matching reader.  Archives yield many articles, each handed to the
 * caller's callback as soon as it is made, so memory stays flat.
 * Also the byte source the archive readers stream from (bt_src).
 */
#include "input_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { SNIFF = 4096, MAX_STDIN_ZIP = 256 << 20 };

void bt_input_problem(const bt_input_ctx *c, int failed, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->on_problem)
        c->on_problem(msg, failed, c->ctx);
}

/* ---- sniffing ---- */

/* word starts with '<': only the places holding a '<' are compared, so a
 * text page (few or no '<') is sniffed at memchr speed. */
static int has_ci(const char *s, size_t len, const char *word)
{
    size_t w = strlen(word);
    const char *end = s + len;
    for (const char *p = s; (size_t)(end - p) >= w; p++) {
        p = memchr(p, word[0], (size_t)(end - p) - w + 1);
        if (!p)
            return 0;
        if (!strncasecmp(p, word, w))
            return 1;
    }
    return 0;
}

static int html_name(const char *name)
{
    static const char *const ext[] = {".html", ".htm", ".xhtml", ".shtml", ".jsp", ".php", ".asp", ".aspx"};
    size_t n = name ? strlen(name) : 0;
    for (size_t i = 0; i < BT_ARRAY_LEN(ext); i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcasecmp(name + n - e, ext[i]))
            return 1;
    }
    return 0;
}

bt_input_kind bt_input_sniff(const char *name, const char *head, size_t len)
{
    const unsigned char *u = (const unsigned char *)head;
    if (len >= 4 && u[0] == 'P' && u[1] == 'K' && ((u[2] == 3 && u[3] == 4) || (u[2] == 5 && u[3] == 6)))
        return BT_INPUT_ZIP;
    if (len >= 2 && u[0] == 0x1f && u[1] == 0x8b)
        return BT_INPUT_GZIP;
    if (len >= 5 && !memcmp(head, "WARC/", 5))
        return BT_INPUT_WARC;
    char ascii[SNIFF];
    size_t n = 0;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        /* UTF-16: the markup is ASCII, one byte of each pair */
        size_t lo = u[0] == 0xFF ? 2 : 3;
        for (size_t i = lo; i < len && n < sizeof ascii; i += 2)
            ascii[n++] = (char)u[i];
    } else {
        n = len < sizeof ascii ? len : sizeof ascii;
        memcpy(ascii, head, n);
    }
    static const char *const marks[] = {"<html", "<!doctype html", "<head", "<body", "<meta ",
                                        "<title>"};
    for (size_t i = 0; i < BT_ARRAY_LEN(marks); i++)
        if (has_ci(ascii, n, marks[i]))
            return BT_INPUT_HTML;
    if (html_name(name) && memchr(ascii, '<', n))
        return BT_INPUT_HTML;
    return BT_INPUT_TEXT;
}

/* ---- the byte source ---- */

int bt_src_init(bt_src *s, FILE *f, const void *mem, size_t memlen, const void *pre,
                size_t prelen, int gz)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    s->mem = mem;
    s->memlen = memlen;
    s->pre = pre;
    s->prelen = prelen;
    s->gz = gz;
    if (gz) {
        s->zin = malloc(BT_SRC_CHUNK);
        if (!s->zin)
            return -1;
        /* 15 + 16: gzip only */
        if (inflateInit2(&s->zs, 15 + 16) != Z_OK) {
            free(s->zin);
            s->zin = NULL;
            return -1;
        }
        s->zinit = 1;
    }
    return 0;
}

static long raw_read(bt_src *s, unsigned char *buf, size_t n)
{
    if (s->prepos < s->prelen) {
        size_t k = s->prelen - s->prepos < n ? s->prelen - s->prepos : n;
        memcpy(buf, s->pre + s->prepos, k);
        s->prepos += k;
        return (long)k;
    }
    if (s->mem) {
        size_t k = s->memlen - s->mempos < n ? s->memlen - s->mempos : n;
        memcpy(buf, s->mem + s->mempos, k);
        s->mempos += k;
        return (long)k;
    }
    if (!s->f)
        return 0;
    size_t k = fread(buf, 1, n, s->f);
    if (k == 0 && ferror(s->f)) {
        s->error = strerror(errno);
        return -1;
    }
    return (long)k;
}

int bt_src_unread(bt_src *s, const void *data, size_t len)
{
    free(s->back);
    s->back = NULL;
    s->backlen = s->backpos = 0;
    if (!len)
        return 0;
    if (!(s->back = malloc(len)))
        return -1;
    memcpy(s->back, data, len);
    s->backlen = len;
    s->out -= len < s->out ? len : s->out;
    return 0;
}

long bt_src_read(bt_src *s, void *buf, size_t n)
{
    if (s->error)
        return -1;
    if (!n)
        return 0;
    if (s->backpos < s->backlen) {
        size_t k = s->backlen - s->backpos < n ? s->backlen - s->backpos : n;
        memcpy(buf, s->back + s->backpos, k);
        s->backpos += k;
        s->out += k;
        return (long)k;
    }
    if (!s->gz) {
        long k = raw_read(s, buf, n);
        if (k > 0)
            s->out += (unsigned long long)k;
        return k;
    }
    s->zs.next_out = buf;
    s->zs.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
    uInt want = s->zs.avail_out;
    while (s->zs.avail_out == want) {
        if (s->zend) {
            /* the next gzip member, if any */
            if (!s->zs.avail_in && !s->raw_eof) {
                long k = raw_read(s, s->zin, BT_SRC_CHUNK);
                if (k < 0)
                    return -1;
                if (k == 0)
                    s->raw_eof = 1;
                s->zs.next_in = s->zin;
                s->zs.avail_in = (uInt)k;
            }
            if (!s->zs.avail_in || s->zs.next_in[0] != 0x1f)
                return 0; /* the end (trailing padding is ignored) */
            inflateReset(&s->zs);
            s->zend = 0;
        }
        if (!s->zs.avail_in) {
            if (s->raw_eof) {
                s->error = "truncated gzip data";
                return -1;
            }
            long k = raw_read(s, s->zin, BT_SRC_CHUNK);
            if (k < 0)
                return -1;
            if (k == 0) {
                s->raw_eof = 1;
                s->error = "truncated gzip data";
                return -1;
            }
            s->zs.next_in = s->zin;
            s->zs.avail_in = (uInt)k;
        }
        int rc = inflate(&s->zs, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s->zend = 1;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            s->error = "damaged gzip data";
            return -1;
        }
    }
    long got = (long)(want - s->zs.avail_out);
    s->out += (unsigned long long)got;
    return got;
}

void bt_src_free(bt_src *s)
{
    if (s->zinit)
        inflateEnd(&s->zs);
    free(s->zin);
    free(s->back);
    memset(s, 0, sizeof *s);
}

/* ---- dispatching ---- */

static int one_page(const bt_input_ctx *c, bt_input_kind kind, const char *name, const char *file,
                    const char *url, const char *data, size_t len, int depth, bt_error *err)
{
    bt_extract_opts opts = *c->opts;
    /* standard input read as one page has no file name to record */
    opts.name = depth == 0 && !c->opts->name && !strcmp(name, "-") ? NULL : name;
    if (url)
        opts.url = url;
    bt_article a;
    bt_article_init(&a);
    int rc = kind == BT_INPUT_HTML ? bt_htmlpage_extract(data, len, &opts, &a, err)
                                   : bt_textpage_extract(data, len, &opts, &a, err);
    if (rc == BT_NOT_ARTICLE) {
        bt_input_problem(c, 0, "%s", err->msg);
        bt_error_clear(err);
        bt_article_free(&a);
        return 0;
    }
    if (rc < 0) {
        bt_article_free(&a);
        if (depth > 0) { /* a page of an archive: report it, go on */
            bt_input_problem(c, 1, "%s", err->msg);
            bt_error_clear(err);
            return 0;
        }
        return -1;
    }
    if (file && file != name) {
        free(a.source_file);
        if (!(a.source_file = bt_strdup(file))) {
            bt_article_free(&a);
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            return -1;
        }
    }
    rc = c->on_article ? c->on_article(&a, c->ctx) : 0;
    bt_article_free(&a);
    return rc;
}

/* Reads from src into out until the end or more than max bytes. */
static int read_rest(bt_src *src, const char *name, size_t max, bt_buf *out, bt_error *err)
{
    for (;;) {
        if (bt_buf_grow(out, BT_SRC_CHUNK) < 0) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            return -1;
        }
        long k = bt_src_read(src, out->data + out->len, BT_SRC_CHUNK);
        if (k < 0) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", name, src->error);
            return -1;
        }
        if (k == 0)
            return 0;
        out->len += (size_t)k;
        out->data[out->len] = '\0';
        if (out->len > max) {
            bt_error_set(err, BT_ERR_LIMIT, "%s: larger than %zu MB", name, max >> 20);
            return -1;
        }
    }
}

/* A gzip'd input: a .warc.gz (streamed), or one gzip'd page. */
static int gzip_input(const bt_input_ctx *c, const char *name, bt_src *src, int depth, bt_error *err)
{
    char head[8];
    size_t got = 0;
    while (got < sizeof head) {
        long k = bt_src_read(src, head + got, sizeof head - got);
        if (k < 0) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", name, src->error);
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    if (got >= 5 && !memcmp(head, "WARC/", 5)) {
        if (bt_src_unread(src, head, got) < 0) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            return -1;
        }
        return bt_warc_read(c, name, src, depth, err);
    }
    if (depth >= BT_MAX_DEPTH) {
        bt_error_set(err, BT_ERR_LIMIT, "%s: archives nested too deep", name);
        return -1;
    }
    bt_buf page = BT_BUF_INIT;
    int rc = bt_buf_add(&page, head, got);
    if (rc < 0)
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
    else
        rc = read_rest(src, name, c->max_page, &page, err);
    if (!rc)
        rc = bt_input_memory(c, name, NULL, NULL, page.data, page.len, depth + 1, err);
    bt_buf_free(&page);
    return rc;
}

int bt_input_memory(const bt_input_ctx *c, const char *name, const char *file, const char *url,
                    const char *data, size_t len, int depth, bt_error *err)
{
    bt_input_kind kind = bt_input_sniff(name, data, len);
    if ((kind == BT_INPUT_ZIP || kind == BT_INPUT_WARC || kind == BT_INPUT_GZIP) &&
        depth >= BT_MAX_DEPTH) {
        bt_error_set(err, BT_ERR_LIMIT, "%s: archives nested too deep", name);
        if (depth > 0) {
            bt_input_problem(c, 1, "%s", err->msg);
            bt_error_clear(err);
            return 0;
        }
        return -1;
    }
    int rc = 0;
    if (kind == BT_INPUT_ZIP)
        return bt_zip_read(c, name, NULL, data, len, depth, err);
    if (kind == BT_INPUT_WARC || kind == BT_INPUT_GZIP) {
        bt_src src;
        if (bt_src_init(&src, NULL, data, len, NULL, 0, kind == BT_INPUT_GZIP) < 0) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            return -1;
        }
        rc = kind == BT_INPUT_WARC ? bt_warc_read(c, name, &src, depth, err)
                                   : gzip_input(c, name, &src, depth, err);
        bt_src_free(&src);
        return rc;
    }
    return one_page(c, kind, name, file, url, data, len, depth, err);
}

int bt_extract_input(const char *name, const char *data, size_t len, const bt_extract_opts *opts,
                     bt_article_fn on_article, bt_problem_fn on_problem, void *ctx, bt_error *err)
{
    static const bt_extract_opts defaults = {0};
    bt_input_ctx c = {opts ? opts : &defaults, on_article, on_problem, ctx, 64u << 20};
    return bt_input_memory(&c, name ? name : "-", NULL, NULL, data ? data : "", len, 0, err);
}

int bt_extract_file(const char *path, size_t max_page, const bt_extract_opts *opts,
                    bt_article_fn on_article, bt_problem_fn on_problem, void *ctx, bt_error *err)
{
    static const bt_extract_opts defaults = {0};
    bt_input_ctx c = {opts ? opts : &defaults, on_article, on_problem, ctx, max_page};
    int use_stdin = !path || !strcmp(path, "-");
    const char *name = use_stdin ? "-" : path;
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", name, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_INPUT, "%s: is a directory", name);
        if (!use_stdin)
            fclose(f);
        return -1;
    }
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    bt_buf data = BT_BUF_INIT;
    int rc = 0;
    if (bt_buf_grow(&data, SNIFF) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
        rc = -1;
    }
    while (!rc && data.len < SNIFF) {
        size_t k = fread(data.data + data.len, 1, SNIFF - data.len, f);
        if (k == 0) {
            if (ferror(f)) {
                bt_error_set(err, BT_ERR_IO, "%s: %s", name, strerror(errno));
                rc = -1;
            }
            break;
        }
        data.len += k;
        data.data[data.len] = '\0';
    }
    bt_input_kind kind = rc ? BT_INPUT_TEXT : bt_input_sniff(name, data.data, data.len);
    if (rc) {
        /* nothing */
    } else if (kind == BT_INPUT_ZIP && regular && !use_stdin) {
        /* libzip reads the central directory and each member itself */
        rc = bt_zip_read(&c, name, path, NULL, 0, 0, err);
    } else if (kind == BT_INPUT_WARC || kind == BT_INPUT_GZIP) {
        bt_src src;
        if (bt_src_init(&src, f, NULL, 0, data.data, data.len, kind == BT_INPUT_GZIP) < 0) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            rc = -1;
        } else {
            rc = kind == BT_INPUT_WARC ? bt_warc_read(&c, name, &src, 0, err)
                                       : gzip_input(&c, name, &src, 0, err);
            bt_src_free(&src);
        }
    } else {
        /* a page (or a zip on standard input): read whole, bounded */
        size_t max = kind == BT_INPUT_ZIP ? (size_t)MAX_STDIN_ZIP : max_page;
        bt_src src;
        bt_src_init(&src, f, NULL, 0, NULL, 0, 0);
        rc = read_rest(&src, name, max, &data, err);
        bt_src_free(&src);
        if (!rc)
            rc = bt_input_memory(&c, name, NULL, NULL, data.data, data.len, 0, err);
    }
    bt_buf_free(&data);
    if (!use_stdin)
        fclose(f);
    return rc;
}
