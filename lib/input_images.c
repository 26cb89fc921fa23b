/*
 * The images of the articles (news2xml --images).  Each figure's image
 * is looked for in the input that holds its page, never on the network:
 * a data: URI, else the container's find (a zip's member, a web
 * archive's record, an MHTML part, a file in the page's folder: see
 * input_imgpath.c).  The
 * bytes must be a JPEG, PNG, GIF or WebP image within the size and pixel
 * limits; the image is stored once, named by the SHA-256 of its bytes,
 * and the figure then points at the copy (relative to the output's
 * folder) with its size and type.  A figure whose image is not stored
 * keeps its address, and the address is reported once.
 */
#include "input_int.h"

#include <errno.h>
#include <fcntl.h>
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

/* ---- hashing ---- */

void bt_sha256(const void *data, size_t len, unsigned char out[32])
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
static void file_name(const unsigned char digest[32], bt_image_type type, char out[80])
{
    static const char hexd[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hexd[digest[i] >> 4];
        out[2 * i + 1] = hexd[digest[i] & 15];
    }
    snprintf(out + 64, 16, ".%s", bt_image_ext(type));
}

/* Writes the image unless the folder has it: under a temporary name,
 * then renamed, so that a name is always a whole image (and two threads
 * or runs storing the same image both leave it whole). */
static int store(bt_images *im, const bt_buf *bytes, bt_imgent *e, bt_error *err)
{
    unsigned char digest[32]; /* into e once stored: it shares e's room with the spool's offset */
    bt_sha256(bytes->data, bytes->len, digest);
    pthread_mutex_lock(&im->mu);
    int known = bt_set_has(im->stored, digest, 32);
    pthread_mutex_unlock(&im->mu);
    if (known) {
        memcpy(e->u.digest, digest, 32);
        return 0;
    }
    char name[80];
    file_name(digest, e->info.type, name);
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
    if (!strstr(tmp.data, "XXXXXX"))
        unlink(tmp.data);
done:
    if (rc == 0) {
        memcpy(e->u.digest, digest, 32);
        pthread_mutex_lock(&im->mu);
        bt_set_add(im->stored, digest, 32); /* out of memory: only a cache */
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
    if (bt_url_scheme(src) || !strncmp(src, "//", 2))
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
        r = bt_img_data_uri(src, &lk);
    else if (it->images && it->images->find)
        r = it->images->find(it->images, c, src, base, local, &lk, err);
    else {
        lk.why = bt_url_scheme(src) || !strncmp(src, "//", 2)
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
    file_name(e->u.digest, e->info.type, name);
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
