/*
 * Where a figure's image may be, for news2xml --images (input_images.c
 * stores it): the keys of URLs as pages and web archives write them, the
 * paths an image may have inside a tree of files (a zip's members, a
 * page's folder) given its src and the page's URL, the page's folder as
 * an image container (never leaving it), data: URIs, and the small map
 * the containers keep what they know in.
 */
#include "input_int.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/base64.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
/* ---- keys and the maps ---- */

void bt_img_key(const void *s, size_t n, unsigned char key[16])
{
    unsigned char d[32];
    bt_sha256(s, n, d);
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
size_t bt_url_scheme(const char *s)
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
    size_t sl = bt_url_scheme(url), i = 0;
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
    size_t bs = bt_url_scheme(base), ss = bt_url_scheme(src);
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
    size_t n = strcspn(src, "#"), sl = bt_url_scheme(src);
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
    size_t sl = bt_url_scheme(src);
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

int bt_img_data_uri(const char *src, bt_imglook *lk)
{
    const char *comma = strchr(src + 5, ',');
    if (!comma) {
        lk->why = "a data: URI without data";
        return 0;
    }
    int b64 = comma - src >= 12 && !strncasecmp(comma - 7, ";base64", 7);
    const char *d = comma + 1;
    size_t n = strlen(d);
    bt_buf *out = lk->bytes, unescaped = BT_BUF_INIT;
    bt_buf_reset(out);
    if (b64 && memchr(d, '%', n)) {
        /* base64 written with URL escapes ("%2B" for "+") */
        for (size_t i = 0; i < n; i++) {
            int hi, lo, ch = (unsigned char)d[i];
            if (ch == '%' && i + 2 < n && (hi = hexval(d[i + 1])) >= 0 && (lo = hexval(d[i + 2])) >= 0) {
                ch = hi << 4 | lo;
                i += 2;
            }
            if (bt_buf_addc(&unescaped, (char)ch) < 0)
                return -1;
        }
        d = unescaped.data;
        n = unescaped.len;
    }
    int rc = 1;
    if (b64) {
        struct base64_decode_ctx ctx;
        base64_decode_init(&ctx);
        for (size_t i = 0; i < n && out->len <= lk->max && rc == 1; i += 4096) {
            size_t take = n - i < 4096 ? n - i : 4096, got = BASE64_DECODE_LENGTH(take);
            if (bt_buf_grow(out, got) < 0) {
                rc = -1;
            } else if (!base64_decode_update(&ctx, &got, (uint8_t *)out->data + out->len, take, d + i)) {
                lk->why = "a data: URI whose base64 is broken";
                rc = 0;
            } else {
                out->len += got;
                out->data[out->len] = '\0';
            }
        }
        if (rc == 1 && out->len <= lk->max && !base64_decode_final(&ctx)) {
            lk->why = "a data: URI whose base64 is cut short";
            rc = 0;
        }
        bt_buf_free(&unescaped);
        if (rc != 1)
            return rc;
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
