/*
 * Zip archives of pages, read with libzip member by member, in the
 * archive's order.  Each member is streamed from libzip to the
 * dispatcher, never written to disk, so "../" in a member's name is only
 * a name.  Two guards keep an archive from multiplying its size: members
 * whose data overlap (the 1,000 directory entries of a "zip bomb" that
 * all point at one member) are refused before anything is read, and
 * what the members unpack is charged to the archive's budget.  With
 * --images, a page's figures are looked for among the other members.
 */
#include "input_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* libzip is opened the first time a zip archive is read, not linked: it
 * brings OpenSSL, bzip2 and xz, 1.7 ms of every news2xml's start-up,
 * and most runs read no zip (DOCX writing links it; see util_dl.c). */
#ifndef BT_LIBZIP_SONAME
#define BT_LIBZIP_SONAME "libzip.so.4"
#endif

/* The functions used, each called as lz.name(...). */
#define LZ_FUNCS(X) \
    X(zip_fread) X(zip_file_strerror) X(zip_name_locate) X(zip_fopen_index) \
    X(zip_strerror) X(zip_fclose) X(zip_error_init_with_code) X(zip_error_init) \
    X(zip_open_from_source) X(zip_open) X(zip_source_buffer_create) \
    X(zip_source_free) X(zip_error_strerror) X(zip_get_num_entries) \
    X(zip_get_name) X(zip_stat_index) X(zip_discard) X(zip_error_fini)

static struct {
#define LZ_FIELD(f) __typeof__(&f) f;
    LZ_FUNCS(LZ_FIELD)
#undef LZ_FIELD
} lz;

static bt_dl_lib libzip = {BT_LIBZIP_SONAME, "reading zip archives needs libzip",
                           PTHREAD_ONCE_INIT, ""};

static void libzip_start(void)
{
    void *h = bt_dl_open(&libzip);
    if (!h)
        return;
#define LZ_SYM(f) bt_dl_sym(&libzip, h, #f, &lz.f);
    LZ_FUNCS(LZ_SYM)
#undef LZ_SYM
}

/* ---- the central directory, for the spans of the members' data ---- */

typedef struct bytes {
    int fd;                  /* >= 0: a file */
    const unsigned char *mem;
    unsigned long long size;
} bytes;

static int read_at(const bytes *b, unsigned long long off, void *buf, size_t n)
{
    if (off > b->size || n > b->size - off)
        return -1;
    if (b->mem) {
        memcpy(buf, b->mem + off, n);
        return 0;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(b->fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        got += (size_t)k;
    }
    return 0;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long long le32(const unsigned char *p)
{
    return (unsigned long long)le16(p) | (unsigned long long)le16(p + 2) << 16;
}

static unsigned long long le64(const unsigned char *p)
{
    return le32(p) | le32(p + 4) << 32;
}

typedef struct span {
    unsigned long long start, end;
} span;

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* 1 when the data of two members overlap, 0 when not or when the
 * directory cannot be followed (libzip then judges it), -1: OOM. */
static int members_overlap(const bytes *b)
{
    unsigned char tail[65557];
    size_t tn = b->size < sizeof tail ? (size_t)b->size : sizeof tail;
    if (tn < 22 || read_at(b, b->size - tn, tail, tn) < 0)
        return 0;
    size_t e = tn - 22 + 1;
    while (e-- > 0)
        if (!memcmp(tail + e, "PK\5\6", 4) && e + 22 + le16(tail + e + 20) <= tn)
            break;
    if (e == (size_t)-1)
        return 0;
    unsigned long long entries = le16(tail + e + 10), cd_size = le32(tail + e + 12),
                       cd_off = le32(tail + e + 16);
    if (entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_off == 0xFFFFFFFF) {
        unsigned char loc[20], z64[56];
        unsigned long long eocd = b->size - tn + e;
        if (eocd < 20 || read_at(b, eocd - 20, loc, 20) < 0 || memcmp(loc, "PK\6\7", 4) ||
            read_at(b, le64(loc + 8), z64, 56) < 0 || memcmp(z64, "PK\6\6", 4))
            return 0;
        entries = le64(z64 + 32);
        cd_size = le64(z64 + 40);
        cd_off = le64(z64 + 48);
    }
    if (cd_size > b->size || cd_size > BT_MAX_MEMBER || entries > cd_size / 46 + 1)
        return 0;
    unsigned char *cd = malloc(cd_size ? (size_t)cd_size : 1);
    span *sp = malloc((entries ? (size_t)entries : 1) * sizeof *sp);
    int rc = 0;
    if (!cd || !sp) {
        rc = -1;
        goto done;
    }
    if (read_at(b, cd_off, cd, (size_t)cd_size) < 0)
        goto done;
    size_t n = 0, at = 0;
    while (n < entries && at + 46 <= cd_size && !memcmp(cd + at, "PK\1\2", 4)) {
        const unsigned char *h = cd + at;
        unsigned long long comp = le32(h + 20), uncomp = le32(h + 24), off = le32(h + 42);
        size_t nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32);
        if (at + 46 + nlen + xlen + clen > cd_size)
            break;
        /* Zip64: the sizes and offset that do not fit come in extra field 1 */
        const unsigned char *x = h + 46 + nlen, *xe = x + xlen;
        while (x + 4 <= xe) {
            size_t dl = le16(x + 2);
            if (x + 4 + dl > xe)
                break;
            if (le16(x) == 1) {
                const unsigned char *d = x + 4, *de = d + dl;
                if (uncomp == 0xFFFFFFFF && d + 8 <= de)
                    uncomp = le64(d), d += 8;
                if (comp == 0xFFFFFFFF && d + 8 <= de)
                    comp = le64(d), d += 8;
                if (off == 0xFFFFFFFF && d + 8 <= de)
                    off = le64(d);
            }
            x += 4 + dl;
        }
        /* the least a member occupies: its local header and its data */
        sp[n].start = off;
        sp[n].end = comp > ULLONG_MAX - off - 30 ? ULLONG_MAX : off + 30 + comp;
        n++;
        at += 46 + nlen + xlen + clen;
    }
    qsort(sp, n, sizeof *sp, span_cmp);
    for (size_t i = 1; i < n && !rc; i++)
        rc = sp[i].start < sp[i - 1].end;
done:
    free(cd);
    free(sp);
    return rc;
}

/* ---- reading the members ---- */

static int zip_bid(const bt_item *it)
{
    const unsigned char *u = it->head;
    return it->headlen >= 4 && u[0] == 'P' && u[1] == 'K' &&
                   ((u[2] == 3 && u[3] == 4) || (u[2] == 5 && u[3] == 6))
               ? 32
               : 0;
}

static int skipped_member(const char *n)
{
    size_t len = strlen(n);
    return !len || n[len - 1] == '/' || !strncmp(n, "__MACOSX/", 9);
}

static long member_read(void *ctx, void *buf, size_t n, const char **why)
{
    zip_file_t *zf = ctx;
    zip_int64_t k = lz.zip_fread(zf, buf, n);
    if (k < 0)
        *why = lz.zip_file_strerror(zf);
    return (long)k;
}

/* ---- the images of the pages: other members ---- */

typedef struct zipimg {
    bt_imgsrc src;
    zip_t *z;
    const char *member;  /* the page being read */
    bt_budget *budget;
    bt_imgmap seen;      /* member index → what it is */
    bt_imglook *lk;      /* the look being made */
} zipimg;

static int zip_try(void *ctx, const char *path)
{
    zipimg *zi = ctx;
    bt_imglook *lk = zi->lk;
    zip_int64_t i = lz.zip_name_locate(zi->z, path, 0);
    if (i < 0)
        return 0;
    unsigned char key[16] = {0};
    memcpy(key, &i, sizeof i);
    bt_imgent *e = bt_imgmap_get(&zi->seen, key, 1);
    if (!e)
        return -1;
    lk->ent = e;
    if (e->state != BT_IMG_NEW)
        return 2;
    zip_file_t *zf = lz.zip_fopen_index(zi->z, (zip_uint64_t)i, 0);
    if (!zf) {
        snprintf(lk->whybuf, sizeof lk->whybuf, "%s: %s", path, lz.zip_strerror(zi->z));
        lk->why = lk->whybuf;
        lk->ent = NULL;
        return 0;
    }
    bt_buf_reset(lk->bytes);
    int r = 1;
    while (lk->bytes->len <= lk->max) {
        size_t want = lk->max + 1 - lk->bytes->len;
        if (want > 1 << 20)
            want = 1 << 20;
        if (bt_buf_grow(lk->bytes, want) < 0) {
            r = -1;
            break;
        }
        zip_int64_t k = lz.zip_fread(zf, lk->bytes->data + lk->bytes->len, want);
        if (k < 0) {
            snprintf(lk->whybuf, sizeof lk->whybuf, "%s: %s", path, lz.zip_file_strerror(zf));
            lk->why = lk->whybuf;
            lk->ent = NULL;
            r = 0;
            break;
        }
        if (k == 0)
            break;
        lk->bytes->len += (size_t)k;
        lk->bytes->data[lk->bytes->len] = '\0';
        if (bt_budget_charge(zi->budget, (unsigned long long)k) < 0) {
            lk->why = "the archive's unpacking limit was reached";
            lk->ent = NULL;
            r = 0;
            break;
        }
    }
    lz.zip_fclose(zf);
    return r;
}

static int zip_find(bt_imgsrc *s, bt_input_ctx *c, const char *src, const char *base, int local,
                    bt_imglook *lk, bt_error *err)
{
    (void)c, (void)local;
    zipimg *zi = s->ctx;
    const char *slash = strrchr(zi->member, '/');
    char *dir = bt_strndup(zi->member, slash ? (size_t)(slash - zi->member) : 0);
    if (!dir) {
        bt_error_nomem(err, src);
        return -1;
    }
    zi->lk = lk;
    int r = bt_img_candidates(src, base, "", dir, 1, zip_try, zi, NULL);
    free(dir);
    if (r < 0) {
        bt_error_nomem(err, src);
        return -1;
    }
    if (!r && !lk->why)
        lk->why = "not in the zip";
    return r;
}

static int zip_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    if (bt_dl_ready(&libzip, libzip_start, it->name, err) < 0)
        return -1;
    bt_buf held = BT_BUF_INIT;
    bytes b = {-1, NULL, 0};
    int rc = 0, own_fd = -1;
    zip_t *z = NULL;
    zip_error_t ze;
    lz.zip_error_init(&ze);
    if (it->path) {
        own_fd = open(it->path, O_RDONLY | O_CLOEXEC);
        if (own_fd < 0) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", it->name, strerror(errno));
            return -1;
        }
        b.fd = own_fd;
        b.size = it->size;
        int code = 0;
        /* libzip reads the central directory and each member itself */
        if (!(z = lz.zip_open(it->path, ZIP_RDONLY, &code)))
            lz.zip_error_init_with_code(&ze, code);
    } else {
        /* on standard input or inside an archive: held in memory */
        const char *p;
        size_t len;
        if (bt_src_rest(it->src, BT_MAX_MEMBER, it->name, &held, &p, &len, err) < 0) {
            rc = -1;
            goto out;
        }
        b.mem = (const unsigned char *)p;
        b.size = len;
        zip_source_t *s = lz.zip_source_buffer_create(p, len, 0, &ze);
        if (s && !(z = lz.zip_open_from_source(s, ZIP_RDONLY, &ze)))
            lz.zip_source_free(s);
    }
    if (!z) {
        bt_error_set(err, BT_ERR_INPUT, "%s: not a readable zip archive: %s", it->name,
                     lz.zip_error_strerror(&ze));
        rc = -1;
        goto out;
    }
    int ov = members_overlap(&b);
    if (ov) {
        if (ov < 0)
            bt_error_nomem(err, it->name);
        else
            bt_error_set(err, BT_ERR_INPUT,
                         "%s: members overlap (a zip bomb?); the archive is not read", it->name);
        rc = -1;
        goto out;
    }
    bt_budget budget;
    bt_item_budget(&budget, it, c);
    budget.size = b.size;
    zip_int64_t n = lz.zip_get_num_entries(z, 0);
    bt_buf label = BT_BUF_INIT;
    zipimg zi = {{zip_find, NULL, NULL, 0}, z, "", &budget, {0}, NULL};
    zi.src.ctx = &zi;
    for (zip_int64_t i = 0; i < n && !rc && !bt_budget_over(&budget); i++) {
        const char *member = lz.zip_get_name(z, (zip_uint64_t)i, 0);
        if (!member || skipped_member(member))
            continue;
        bt_buf_reset(&label);
        if (bt_buf_addf(&label, "%s:%s", it->name, member) < 0) {
            bt_error_nomem(err, it->name);
            rc = -1;
            break;
        }
        zip_file_t *zf = lz.zip_fopen_index(z, (zip_uint64_t)i, 0);
        if (!zf) {
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s: cannot read: %s", label.data,
                             lz.zip_strerror(z));
            continue;
        }
        bt_src ms;
        bt_src_func(&ms, member_read, zf);
        bt_item m;
        bt_item_member(&m, it, label.data, &ms);
        m.budget = &budget;
        ms.budget = &budget;
        zi.member = member;
        m.images = c->opts->images ? &zi.src : NULL;
        zip_stat_t st;
        if (lz.zip_stat_index(z, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
            m.size = st.size;
        rc = c->member(c, &m, err);
        bt_src_free(&ms);
        lz.zip_fclose(zf);
    }
    bt_buf_free(&label);
    bt_imgmap_free(&zi.seen);
    bt_budget_report(c, &budget);
out:
    if (z)
        lz.zip_discard(z);
    lz.zip_error_fini(&ze);
    bt_buf_free(&held);
    if (own_fd >= 0)
        close(own_fd);
    return rc;
}

const bt_format bt_format_zip = {"zip", BT_INPUT_ZIP, zip_bid, zip_read, 1};
