/*
 * The images of the articles (news2xml --images).  Each figure's image
 * is looked for in the input that holds its page, never on the network:
 * a data: URI, else the container's find (a zip's member, a web
 * archive's record, an MHTML part, a file in the page's folder).  The
 * bytes must be a JPEG, PNG, GIF or WebP image within the size and pixel
 * limits; the image is stored once, named by the SHA-256 of its bytes,
 * and the figure then points at the copy (relative to the output's
 * folder) with its size and type.  A figure whose image is not stored
 * keeps its address, and the address is reported once.
 */
#include "input_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <nettle/version.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_BYTES ((size_t)32 << 20)
#define DEFAULT_MAX_PIXELS 50000000ull

struct bt_images {
    char *dir;          /* where images go (canonical) */
    char *prefix;       /* from the output's folder to dir: "" or "…/" */
    size_t max_bytes;
    uint64_t max_pixels;
    mode_t mode;        /* of new files */
    pthread_mutex_t mu; /* for the two sets */
    bt_set *stored;     /* digests of the images known to be in dir */
    bt_set *reported;   /* keys of the addresses reported */
};

/* ---- hashing and the maps ---- */

static void sha256(const void *data, size_t len, unsigned char out[32])
{
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, len, data);
#if NETTLE_VERSION_MAJOR > 3 || (NETTLE_VERSION_MAJOR == 3 && NETTLE_VERSION_MINOR >= 10)
    sha256_digest(&h, out);
#else
    sha256_digest(&h, SHA256_DIGEST_SIZE, out);
#endif
}

void bt_img_key(const void *s, size_t n, unsigned char key[16])
{
    unsigned char d[32];
    sha256(s, n, d);
    memcpy(key, d, 16);
}

bt_imgent *bt_imgmap_get(bt_imgmap *m, const unsigned char key[16], int add)
{
    for (;;) {
        if (m->cap) {
            size_t mask = m->cap - 1, i;
            uint64_t h;
            memcpy(&h, key, sizeof h); /* the key is a hash already */
            for (i = (size_t)h & mask; m->slots[i].state; i = (i + 1) & mask)
                if (!memcmp(m->slots[i].key, key, 16))
                    return &m->slots[i];
            if (!add)
                return NULL;
            if ((m->n + 1) * 4 <= m->cap * 3) {
                bt_imgent *e = &m->slots[i];
                memcpy(e->key, key, 16);
                e->state = BT_IMG_NEW;
                m->n++;
                return e;
            }
        } else if (!add) {
            return NULL;
        }
        size_t cap = m->cap ? m->cap * 2 : 64;
        bt_imgent *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t k = 0; k < m->cap; k++) {
            if (!m->slots[k].state)
                continue;
            uint64_t h;
            memcpy(&h, m->slots[k].key, sizeof h);
            size_t j = (size_t)h & (cap - 1);
            while (slots[j].state)
                j = (j + 1) & (cap - 1);
            slots[j] = m->slots[k];
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
}

void bt_imgmap_free(bt_imgmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---- URLs ---- */

/* "http:", "data:", "file:": a scheme of two letters or more ("C:" is a
 * drive).  Its length, or 0. */
static size_t scheme_len(const char *s)
{
    size_t i = 0;
    while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
           (i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.')))
        i++;
    return i >= 2 && s[i] == ':' ? i : 0;
}

static int hexval(int ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0'
           : (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10
                                                      : -1;
}

static int unreserved(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

/* Bytes a URL may not hold as they are (RFC 3986): written as escapes. */
static int needs_escape(unsigned char ch)
{
    return ch <= 0x20 || ch == 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '\\' ||
           ch == '^' || ch == '`' || ch == '{' || ch == '|' || ch == '}';
}

/* Where the authority of "scheme://authority/path" ends, or 0 when src
 * has no authority. */
static size_t authority_end(const char *s, size_t sl)
{
    if (!sl || s[sl + 1] != '/' || s[sl + 2] != '/')
        return 0;
    return sl + 3 + strcspn(s + sl + 3, "/?#");
}

int bt_url_key(const char *url, unsigned char key[16])
{
    static const char hexd[] = "0123456789ABCDEF";
    bt_buf b = BT_BUF_INIT;
    while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
        url++;
    size_t n = strcspn(url, "#");
    while (n && (url[n - 1] == ' ' || url[n - 1] == '\t' || url[n - 1] == '\n' || url[n - 1] == '\r'))
        n--;
    size_t sl = scheme_len(url), i = 0;
    int rc = 0;
    size_t ae = authority_end(url, sl);
    if (ae && ae <= n) {
        for (i = 0; i < sl + 3 && rc == 0; i++)
            rc = bt_buf_addc(&b, (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] | 0x20 : url[i]));
        size_t he = ae;
        if (sl == 4 && !strncasecmp(url, "http", 4) && he - i >= 3 && !memcmp(url + he - 3, ":80", 3))
            he -= 3;
        else if (sl == 5 && !strncasecmp(url, "https", 5) && he - i >= 4 &&
                 !memcmp(url + he - 4, ":443", 4))
            he -= 4;
        for (; i < he && rc == 0; i++)
            rc = bt_buf_addc(&b, (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] | 0x20 : url[i]));
        i = ae;
        if (rc == 0 && (i >= n || url[i] != '/'))
            rc = bt_buf_addc(&b, '/');
    }
    for (; i < n && rc == 0; i++) {
        unsigned char ch = (unsigned char)url[i];
        int hi, lo;
        if (ch == '%' && i + 2 < n && (hi = hexval(url[i + 1])) >= 0 && (lo = hexval(url[i + 2])) >= 0) {
            int v = hi << 4 | lo;
            i += 2;
            if (unreserved(v) || v >= 0x80) {
                rc = bt_buf_addc(&b, (char)v);
                continue;
            }
            ch = (unsigned char)v; /* written back as an escape, in upper case */
        } else if (!needs_escape(ch)) {
            rc = bt_buf_addc(&b, (char)ch);
            continue;
        }
        char esc[3] = {'%', hexd[ch >> 4], hexd[ch & 15]};
        rc = bt_buf_add(&b, esc, 3);
    }
    if (rc == 0)
        bt_img_key(b.data, b.len, key);
    bt_buf_free(&b);
    return rc;
}

/* Appends the segments of s[0..n) to p, "." dropped and ".." taking the
 * last one back; -1 when ".." would go above floor (the tree's root). */
static int push_segments(bt_buf *p, size_t floor, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '/')
            e++;
        size_t len = e - i;
        if (len == 2 && s[i] == '.' && s[i + 1] == '.') {
            if (p->len <= floor)
                return -1;
            size_t k = p->len;
            while (k > floor && p->data[k - 1] != '/')
                k--;
            p->len = k > floor ? k - 1 : floor;
            p->data[p->len] = '\0';
        } else if (len && !(len == 1 && s[i] == '.')) {
            if ((p->len > floor && bt_buf_addc(p, '/') < 0) || bt_buf_add(p, s + i, len) < 0)
                return -2;
        }
        i = e + 1;
    }
    return 0;
}

typedef struct cand {
    int (*fn)(void *ctx, const char *path);
    void *ctx;
    bt_buf path, rel, last;
    int left; /* a path would have left the tree */
} cand;

/* Tries root/dir/rel, rel as written and with its escapes undone, with
 * and without its query: 1 or -1 from fn, 0 when none was it, -1 out of
 * memory. */
static int try_path(cand *k, const char *root, const char *dir, const char *rel, size_t n)
{
    size_t q = 0;
    while (q < n && rel[q] != '?')
        q++;
    int escaped = memchr(rel, '%', n) != NULL;
    for (int v = 0; v < 4; v++) {
        int decode = v & 1;
        size_t len = v < 2 ? n : q;
        if ((decode && !escaped) || (v >= 2 && q == n))
            continue;
        bt_buf_reset(&k->rel);
        for (size_t i = 0; i < len; i++) {
            int hi, lo, ch = (unsigned char)rel[i];
            if (decode && ch == '%' && i + 2 < len && (hi = hexval(rel[i + 1])) >= 0 &&
                (lo = hexval(rel[i + 2])) >= 0 && (hi << 4 | lo) != '/' && (hi << 4 | lo) != 0) {
                ch = hi << 4 | lo;
                i += 2;
            }
            if (bt_buf_addc(&k->rel, (char)ch) < 0)
                return -1;
        }
        bt_buf_reset(&k->path);
        if (bt_buf_adds(&k->path, root) < 0 ||
            (k->path.len && k->path.data[k->path.len - 1] != '/' && bt_buf_addc(&k->path, '/') < 0))
            return -1;
        size_t floor = k->path.len;
        int r = push_segments(&k->path, floor, dir, strlen(dir));
        if (r == 0)
            r = push_segments(&k->path, floor, k->rel.data, k->rel.len);
        if (r == -2)
            return -1;
        k->left |= r < 0;
        if (r < 0 || k->path.len == floor || !strcmp(k->path.data, k->last.data))
            continue;
        bt_buf_reset(&k->last);
        if (bt_buf_add(&k->last, k->path.data, k->path.len) < 0)
            return -1;
        int got = k->fn(k->ctx, k->path.data);
        if (got)
            return got;
    }
    return 0;
}

/* The path of src's URL relative to the folder of base's (same scheme
 * and authority), with src's query, into out; 0, 1 when they are not on
 * the same site, -1 out of memory. */
static int relative_url(const char *base, const char *src, bt_buf *out)
{
    size_t bs = scheme_len(base), ss = scheme_len(src);
    size_t ba = authority_end(base, bs), sa = authority_end(src, ss);
    if (!ba || !sa || ba != sa || strncasecmp(base, src, ba))
        return 1;
    const char *bp = base + ba, *sp = src + sa;
    size_t bn = strcspn(bp, "?#"), sn = strcspn(sp, "#");
    while (bn && bp[bn - 1] != '/')
        bn--; /* the page's folder */
    size_t i = 0, common = 0;
    for (;; i++) {
        if (i < bn && i < sn && bp[i] == '/' && sp[i] == '/')
            common = i + 1;
        if (i >= bn || i >= sn || bp[i] != sp[i] || sp[i] == '?')
            break;
    }
    for (size_t k = common; k < bn; k++)
        if (bp[k] == '/' && bt_buf_adds(out, "../") < 0)
            return -1;
    return bt_buf_add(out, sp + common, sn - common) < 0 ? -1 : 0;
}

int bt_img_candidates(const char *src, const char *base, const char *root, const char *dir,
                      int urlpath, int (*fn)(void *ctx, const char *path), void *ctx, int *left)
{
    cand k = {fn, ctx, BT_BUF_INIT, BT_BUF_INIT, BT_BUF_INIT, 0};
    size_t n = strcspn(src, "#"), sl = scheme_len(src);
    int r = 0;
    if (!sl && strncmp(src, "//", 2) && src[0] != '/') {
        r = try_path(&k, root, dir, src, n);
    } else if (sl && base) {
        bt_buf rel = BT_BUF_INIT;
        int got = relative_url(base, src, &rel);
        r = got < 0 ? -1 : got == 0 ? try_path(&k, root, dir, rel.data, rel.len) : 0;
        bt_buf_free(&rel);
    }
    size_t ae = authority_end(src, sl);
    if (!r && urlpath && ae && ae <= n && strncasecmp(src, "file:", 5)) {
        /* a mirror's layout: host/path, or path, under some folder */
        const char *host = src + sl + 3, *path = src + ae;
        size_t hn = (size_t)(path - host), pn = n - ae;
        while (pn && *path == '/')
            path++, pn--;
        bt_buf hp = BT_BUF_INIT;
        if (bt_buf_add(&hp, host, hn) < 0 || bt_buf_addc(&hp, '/') < 0 || bt_buf_add(&hp, path, pn) < 0)
            r = -1;
        size_t dn = strlen(dir);
        while (!r) {
            char *d = bt_strndup(dir, dn);
            if (!d) {
                r = -1;
                break;
            }
            r = try_path(&k, root, d, hp.data, hp.len);
            if (!r && pn)
                r = try_path(&k, root, d, path, pn);
            free(d);
            if (!dn)
                break;
            while (dn && dir[dn - 1] != '/')
                dn--;
            while (dn && dir[dn - 1] == '/')
                dn--;
        }
        bt_buf_free(&hp);
    }
    bt_buf_free(&k.path);
    bt_buf_free(&k.rel);
    bt_buf_free(&k.last);
    if (left)
        *left = k.left;
    return r;
}

/* ---- the folder of a page file ---- */

int bt_img_read_fd(int fd, bt_imglook *lk)
{
    bt_buf_reset(lk->bytes);
    while (lk->bytes->len <= lk->max) {
        size_t want = lk->max + 1 - lk->bytes->len;
        if (want > 1 << 20)
            want = 1 << 20;
        if (bt_buf_grow(lk->bytes, want) < 0) {
            lk->why = "out of memory";
            return -2;
        }
        ssize_t k = read(fd, lk->bytes->data + lk->bytes->len, want);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(lk->whybuf, sizeof lk->whybuf, "%s", strerror(errno));
            lk->why = lk->whybuf;
            return -1;
        }
        if (k == 0)
            break;
        lk->bytes->len += (size_t)k;
        lk->bytes->data[lk->bytes->len] = '\0';
    }
    return 0;
}

typedef struct disk {
    bt_imglook *lk;
    const char *inside; /* the folder the file must be in, or NULL */
    int oom;
} disk;

static int inside(const char *dir, const char *path);

/* A regular file only: a FIFO or a device could block or never end; and
 * one in the page's folder, a symbolic link to elsewhere not followed. */
static int disk_try(void *ctx, const char *path)
{
    disk *d = ctx;
    if (d->inside && inside(d->inside, path) == 0) {
        d->lk->why = "outside the page's folder (a symbolic link), not read";
        return 0;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT && errno != ENOTDIR) {
            snprintf(d->lk->whybuf, sizeof d->lk->whybuf, "%s", strerror(errno));
            d->lk->why = d->lk->whybuf;
        }
        return 0;
    }
    struct stat st;
    int r = 0;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        d->lk->why = "not a regular file";
    } else {
        int k = bt_img_read_fd(fd, d->lk);
        if (k == -2)
            d->oom = 1;
        r = k == 0 ? 1 : k == -2 ? -1 : 0;
    }
    close(fd);
    return r;
}

/* file:///abs/path, file://localhost/abs/path, file:/abs/path → the
 * path, escapes undone, into out; -1 for a host we cannot read. */
static int file_url_path(const char *src, bt_buf *out)
{
    const char *p = src + 5;
    if (!strncmp(p, "//", 2)) {
        p += 2;
        if (!strncasecmp(p, "localhost/", 10))
            p += 9;
        else if (*p != '/')
            return -1;
    }
    size_t n = strcspn(p, "?#");
    for (size_t i = 0; i < n; i++) {
        int hi, lo, ch = (unsigned char)p[i];
        if (ch == '%' && i + 2 < n && (hi = hexval(p[i + 1])) >= 0 && (lo = hexval(p[i + 2])) >= 0 &&
            (hi << 4 | lo) != 0) {
            ch = hi << 4 | lo;
            i += 2;
        }
        if (bt_buf_addc(out, (char)ch) < 0)
            return -2;
    }
    return out->len && out->data[0] == '/' ? 0 : -1;
}

/* 1 when the absolute path lies inside the folder dir (both made
 * canonical: no symbolic link leads out), 0 when not, -1 when there is
 * no such file. */
static int inside(const char *dir, const char *path)
{
    char *p = realpath(path, NULL);
    if (!p)
        return -1;
    char *d = realpath(dir, NULL);
    size_t n = d ? strlen(d) : 0;
    int in = d && !strncmp(d, p, n) && (p[n] == '/' || (n == 1 && d[0] == '/'));
    free(d);
    free(p);
    return in;
}

static int dir_find(bt_imgsrc *s, bt_input_ctx *c, const char *src, const char *base, int local,
                    bt_imglook *lk, bt_error *err)
{
    (void)c;
    disk d = {lk, local ? NULL : s->dir, 0};
    int r = 0;
    size_t sl = scheme_len(src);
    if (sl == 4 && !strncasecmp(src, "file", 4)) {
        bt_buf path = BT_BUF_INIT;
        int k = file_url_path(src, &path);
        if (k == -2)
            d.oom = 1;
        else if (k < 0)
            lk->why = "a file: URL on another host";
        else if (!local && (k = inside(s->dir, path.data)) <= 0)
            lk->why = k < 0 ? "no such file" : "outside the page's folder, not read";
        else
            r = disk_try(&d, path.data);
        bt_buf_free(&path);
    } else if (local && !sl && strncmp(src, "//", 2)) {
        /* an article file's own path, as the printers read it */
        bt_buf path = BT_BUF_INIT;
        if ((src[0] != '/' && (bt_buf_adds(&path, s->dir) < 0 || bt_buf_addc(&path, '/') < 0)) ||
            bt_buf_adds(&path, src) < 0)
            d.oom = 1;
        else
            r = disk_try(&d, path.data);
        bt_buf_free(&path);
    } else if (!local) {
        int left = 0;
        r = bt_img_candidates(src, base, s->dir, "", 0, disk_try, &d, &left);
        if (!r && !lk->why && left)
            lk->why = "outside the page's folder, not read";
        if (!r && !lk->why)
            lk->why = sl || !strncmp(src, "//", 2)
                          ? "not in the page's folder (images are never fetched)"
                      : src[0] == '/' ? "a path from the site's root, not in the page's folder"
                                      : "no such file in the page's folder";
    }
    if (d.oom || r < 0) {
        bt_error_nomem(err, src);
        return -1;
    }
    if (!r && !lk->why)
        lk->why = sl ? "not in the input (images are never fetched)" : "no such file";
    return r;
}

void bt_imgsrc_dir(bt_imgsrc *s, const char *dir)
{
    memset(s, 0, sizeof *s);
    s->find = dir_find;
    s->dir = dir;
}

/* ---- data: URIs ---- */

static int data_uri(const char *src, bt_imglook *lk)
{
    const char *comma = strchr(src + 5, ',');
    if (!comma) {
        lk->why = "a data: URI without data";
        return 0;
    }
    int b64 = comma - src >= 12 && !strncasecmp(comma - 7, ";base64", 7);
    const char *d = comma + 1;
    size_t n = strlen(d);
    bt_buf *out = lk->bytes;
    bt_buf_reset(out);
    if (b64) {
        struct base64_decode_ctx ctx;
        base64_decode_init(&ctx);
        for (size_t i = 0; i < n && out->len <= lk->max; i += 4096) {
            size_t take = n - i < 4096 ? n - i : 4096, got = BASE64_DECODE_LENGTH(take);
            if (bt_buf_grow(out, got) < 0)
                return -1;
            if (!base64_decode_update(&ctx, &got, (uint8_t *)out->data + out->len, take, d + i)) {
                lk->why = "a data: URI whose base64 is broken";
                return 0;
            }
            out->len += got;
            out->data[out->len] = '\0';
        }
        if (out->len <= lk->max && !base64_decode_final(&ctx)) {
            lk->why = "a data: URI whose base64 is cut short";
            return 0;
        }
    } else {
        for (size_t i = 0; i < n && out->len <= lk->max; i++) {
            int hi, lo, ch = (unsigned char)d[i];
            if (ch == '%' && i + 2 < n && (hi = hexval(d[i + 1])) >= 0 && (lo = hexval(d[i + 2])) >= 0) {
                ch = hi << 4 | lo;
                i += 2;
            }
            if (bt_buf_addc(out, (char)ch) < 0)
                return -1;
        }
    }
    if (out->len > lk->max + 1) {
        out->len = lk->max + 1;
        out->data[out->len] = '\0';
    }
    return 1;
}

/* ---- the store ---- */

/* From the canonical folder from to the canonical folder to: "" or a
 * path ending in '/'. */
static char *relative_dir(const char *from, const char *to)
{
    size_t i = 0, common = 0;
    for (;; i++) {
        char a = from[i], b = to[i];
        if ((a == '/' || !a) && (b == '/' || !b))
            common = i;
        if (!a || !b || a != b)
            break;
    }
    bt_buf p = BT_BUF_INIT;
    int rc = 0;
    for (const char *f = from + common; *f && rc == 0; f++)
        if (*f == '/' && f[1] && f[1] != '/')
            rc = bt_buf_adds(&p, "../");
    const char *t = to + common;
    while (*t == '/')
        t++;
    if (rc == 0 && *t)
        rc = bt_buf_adds(&p, t) < 0 || bt_buf_addc(&p, '/') < 0 ? -1 : 0;
    char *s = rc == 0 ? bt_buf_detach(&p) : NULL;
    bt_buf_free(&p);
    return s;
}

bt_images *bt_images_open(const bt_images_opts *o, bt_error *err)
{
    if (!o || !o->dir || !*o->dir) {
        bt_error_set(err, BT_ERR_USAGE, "images: no directory given");
        return NULL;
    }
    bt_images *im = calloc(1, sizeof *im);
    if (!im) {
        bt_error_nomem(err, o->dir);
        return NULL;
    }
    const char *out = o->out_dir && *o->out_dir ? o->out_dir : ".";
    char *outreal = NULL;
    struct stat st;
    if (!(im->dir = realpath(o->dir, NULL)) || stat(im->dir, &st) < 0) {
        bt_error_set(err, errno == ENOMEM ? BT_ERR_NOMEM : BT_ERR_IO, "%s: %s", o->dir, strerror(errno));
        goto fail;
    }
    if (!S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_USAGE, "%s: not a directory", o->dir);
        goto fail;
    }
    if (access(im->dir, W_OK | X_OK) < 0) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", o->dir, strerror(errno));
        goto fail;
    }
    if (!(outreal = realpath(out, NULL))) {
        bt_error_set(err, errno == ENOMEM ? BT_ERR_NOMEM : BT_ERR_IO, "%s: %s", out, strerror(errno));
        goto fail;
    }
    im->prefix = relative_dir(outreal, im->dir);
    im->stored = bt_set_new();
    im->reported = bt_set_new();
    if (!im->prefix || !im->stored || !im->reported) {
        bt_error_nomem(err, o->dir);
        goto fail;
    }
    free(outreal);
    im->max_bytes = o->max_bytes ? o->max_bytes : DEFAULT_MAX_BYTES;
    im->max_pixels = o->max_pixels ? o->max_pixels : DEFAULT_MAX_PIXELS;
    mode_t mask = umask(0); /* before any thread: umask is the process's */
    umask(mask);
    im->mode = 0666 & ~mask;
    pthread_mutex_init(&im->mu, NULL);
    return im;
fail:
    free(outreal);
    free(im->dir);
    free(im->prefix);
    bt_set_free(im->stored);
    bt_set_free(im->reported);
    free(im);
    return NULL;
}

void bt_images_close(bt_images *im)
{
    if (!im)
        return;
    pthread_mutex_destroy(&im->mu);
    bt_set_free(im->stored);
    bt_set_free(im->reported);
    free(im->dir);
    free(im->prefix);
    free(im);
}

size_t bt_images_max_bytes(const bt_images *im)
{
    return im->max_bytes;
}

uint64_t bt_images_max_pixels(const bt_images *im)
{
    return im->max_pixels;
}

int bt_images_first(bt_images *im, const unsigned char key[16])
{
    pthread_mutex_lock(&im->mu);
    int added = bt_set_add(im->reported, key, 16);
    pthread_mutex_unlock(&im->mu);
    return added != 0; /* out of memory: reported again rather than lost */
}

/* The file name of a stored image: hex digest and extension. */
static void file_name(const bt_imgent *e, char out[80])
{
    static const char hexd[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hexd[e->digest[i] >> 4];
        out[2 * i + 1] = hexd[e->digest[i] & 15];
    }
    snprintf(out + 64, 16, ".%s", bt_image_ext(e->info.type));
}

/* Writes the image unless the folder has it: under a temporary name,
 * then renamed, so that a name is always a whole image (and two threads
 * or runs storing the same image both leave it whole). */
static int store(bt_images *im, const bt_buf *bytes, bt_imgent *e, bt_error *err)
{
    sha256(bytes->data, bytes->len, e->digest);
    pthread_mutex_lock(&im->mu);
    int known = bt_set_has(im->stored, e->digest, 32);
    pthread_mutex_unlock(&im->mu);
    if (known)
        return 0;
    char name[80];
    file_name(e, name);
    bt_buf path = BT_BUF_INIT, tmp = BT_BUF_INIT;
    int rc = -1, fd = -1;
    struct stat st;
    if (bt_buf_addf(&path, "%s/%s", im->dir, name) < 0 ||
        bt_buf_addf(&tmp, "%s/.bantin-image-XXXXXX", im->dir) < 0) {
        bt_error_nomem(err, im->dir);
        goto done;
    }
    if (stat(path.data, &st) == 0 && S_ISREG(st.st_mode) && (unsigned long long)st.st_size == bytes->len) {
        rc = 0; /* a file named by its content: the same bytes */
        goto done;
    }
    if ((fd = mkostemp(tmp.data, O_CLOEXEC)) < 0)
        goto io;
    for (size_t at = 0; at < bytes->len;) {
        ssize_t k = write(fd, bytes->data + at, bytes->len - at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            goto io;
        at += (size_t)k;
    }
    if (fchmod(fd, im->mode) < 0)
        goto io;
    int cl = close(fd);
    fd = -1;
    if (cl < 0 || rename(tmp.data, path.data) < 0)
        goto io;
    rc = 0;
    goto done;
io:
    bt_error_set(err, BT_ERR_IO, "%s: cannot store an image: %s", im->dir, strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp.data);
done:
    if (rc == 0) {
        pthread_mutex_lock(&im->mu);
        bt_set_add(im->stored, e->digest, 32); /* out of memory: only a cache */
        pthread_mutex_unlock(&im->mu);
    }
    bt_buf_free(&path);
    bt_buf_free(&tmp);
    return rc;
}

/* Judges an image's bytes: e becomes REFUSED (why), or keeps its state
 * with e->info set (0). */
static int judge(const bt_images *im, const bt_buf *bytes, bt_imgent *e)
{
    const char *why;
    if (bytes->len > im->max_bytes) {
        e->reason = BT_IMG_TOO_LARGE;
    } else if (bt_image_probe((const unsigned char *)bytes->data, bytes->len, &e->info, &why) < 0) {
        e->reason = BT_IMG_NOT_IMAGE;
        e->why = why;
    } else if ((uint64_t)e->info.width * e->info.height > im->max_pixels) {
        e->reason = BT_IMG_TOO_MANY_PIXELS;
    } else {
        return 0;
    }
    e->state = BT_IMG_REFUSED;
    return -1;
}

/* ---- figures ---- */

/* An address as messages show it: long ones (data: URIs) cut. */
static void shown(const char *src, char out[112])
{
    size_t n = strlen(src);
    if (n < 100) {
        memcpy(out, src, n + 1);
        return;
    }
    n = 96;
    while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, src, n);
    memcpy(out + n, "\xE2\x80\xA6", 4); /* … */
}

static void report(bt_input_ctx *c, const bt_item *it, const char *src,
                   const unsigned char key[16], const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(bt_input_ctx *c, const bt_item *it, const char *src,
                   const unsigned char key[16], const char *fmt, ...)
{
    char why[256], addr[112], msg[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    shown(src, addr);
    snprintf(msg, sizeof msg, "%s: image %s not stored: %s", it->name, addr, why);
    if (c->on_image)
        c->on_image(key, msg, c->ctx);
    else if (bt_images_first(c->opts->images, key) && c->on_problem)
        c->on_problem(msg, BT_PROBLEM_IMAGE, c->ctx);
}

static void report_refused(bt_input_ctx *c, const bt_item *it, const char *src,
                           const unsigned char key[16], const bt_imgent *e)
{
    const bt_images *im = c->opts->images;
    switch (e->reason) {
    case BT_IMG_TOO_LARGE:
        if (im->max_bytes % (1 << 20) == 0)
            report(c, it, src, key, "larger than %zu MB", im->max_bytes >> 20);
        else if (im->max_bytes % (1 << 10) == 0)
            report(c, it, src, key, "larger than %zu KB", im->max_bytes >> 10);
        else
            report(c, it, src, key, "larger than %zu bytes", im->max_bytes);
        break;
    case BT_IMG_TOO_MANY_PIXELS:
        report(c, it, src, key, "%ux%u pixels, more than %llu", e->info.width, e->info.height,
               (unsigned long long)im->max_pixels);
        break;
    case BT_IMG_CUT:
        report(c, it, src, key, "cut short in the archive");
        break;
    default:
        report(c, it, src, key, "%s", e->why ? e->why : "not an image");
        break;
    }
}

/* The key an address is reported under: the URL, or for a relative path
 * the path from the page's folder (two pages of one folder share it). */
static int address_key(const bt_item *it, const char *src, unsigned char key[16])
{
    if (scheme_len(src) || !strncmp(src, "//", 2))
        return bt_url_key(src, key);
    const char *slash = strrchr(it->name, '/');
    bt_buf b = BT_BUF_INIT;
    int rc = bt_buf_add(&b, it->name, slash ? (size_t)(slash - it->name) : 0);
    if (rc == 0 && (rc = bt_buf_addc(&b, '\n')) == 0 && (rc = bt_buf_adds(&b, src)) == 0)
        bt_img_key(b.data, b.len, key);
    bt_buf_free(&b);
    return rc;
}

/* A data: URI that is not stored goes, as it does without images: 1. */
static int drop_data(bt_block *b, int inline_image)
{
    if (!inline_image)
        return 0;
    free(b->src);
    b->src = NULL;
    return 1;
}

/* 0, 1 when a data: src went, -1 (err). */
static int figure(bt_input_ctx *c, const bt_item *it, bt_block *b, const char *base, int local,
                  bt_buf *bytes, bt_error *err)
{
    bt_images *im = c->opts->images;
    const char *src = b->src;
    unsigned char key[16];
    bt_imglook lk = {bytes, im->max_bytes, NULL, NULL, ""};
    bt_imgent mine;
    int r;
    if (address_key(it, src, key) < 0) {
        bt_error_nomem(err, it->name);
        return -1;
    }
    bt_buf_reset(bytes);
    if (!strncasecmp(src, "data:", 5))
        r = data_uri(src, &lk);
    else if (it->images && it->images->find)
        r = it->images->find(it->images, c, src, base, local, &lk, err);
    else {
        lk.why = scheme_len(src) || !strncmp(src, "//", 2)
                     ? "not in the input (images are never fetched)"
                     : "not in the input";
        r = 0;
    }
    if (r < 0) {
        if (!err->msg[0])
            bt_error_nomem(err, it->name);
        return -1;
    }
    int inline_image = !strncasecmp(src, "data:", 5);
    if (r == 0) {
        report(c, it, src, key, "%s", lk.why ? lk.why : "not found");
        return drop_data(b, inline_image);
    }
    bt_imgent *e = lk.ent;
    if (!e) {
        memset(&mine, 0, sizeof mine);
        mine.state = BT_IMG_NEW;
        e = &mine;
    }
    if (r == 1 && judge(im, bytes, e) == 0) {
        /* a lazy loader's 1x1 stand-in, not the figure's image */
        if (inline_image && (uint64_t)e->info.width * e->info.height <= 4)
            return drop_data(b, 1);
        if (store(im, bytes, e, err) < 0)
            return -1;
        e->state = BT_IMG_STORED;
    }
    if (e->state != BT_IMG_STORED) {
        report_refused(c, it, src, key, e);
        return drop_data(b, inline_image);
    }
    char name[80];
    file_name(e, name);
    bt_buf path = BT_BUF_INIT;
    char *type = bt_strdup(bt_image_media_type(e->info.type));
    if (!type || bt_buf_addf(&path, "%s%s", im->prefix, name) < 0) {
        free(type);
        bt_buf_free(&path);
        bt_error_nomem(err, it->name);
        return -1;
    }
    free(b->src);
    b->src = bt_buf_detach(&path);
    bt_buf_free(&path);
    free(b->media_type);
    b->media_type = type;
    b->width = e->info.width;
    b->height = e->info.height;
    if (!b->src) {
        bt_error_nomem(err, it->name);
        return -1;
    }
    return 0;
}

int bt_images_article(bt_input_ctx *c, const bt_item *it, bt_article *a, int local, bt_error *err)
{
    bt_buf bytes = BT_BUF_INIT;
    const char *base = local ? NULL : a->source_href;
    int rc = 0;
    size_t kept = 0;
    for (size_t i = 0; i < a->nblocks; i++) {
        bt_block *b = &a->blocks[i];
        int r = 0;
        if (rc == 0 && b->kind == BT_BLOCK_FIGURE && b->src && *b->src &&
            (r = figure(c, it, b, base, local, &bytes, err)) < 0)
            rc = -1;
        if (r == 1 && bt_text_is_empty(&b->text)) {
            bt_block_free(b); /* nothing left of it: the page's extractor leaves such out */
            continue;
        }
        a->blocks[kept++] = *b;
    }
    a->nblocks = kept;
    bt_buf_free(&bytes);
    return rc;
}
