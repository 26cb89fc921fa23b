/*
 * A web archive's images (WARC, ARC, with news2xml --images).  The
 * record of an image may come before or after the page that shows it
 * (wget writes a page, then what it needs), so the archive is read in
 * one pass: each image record is indexed as it streams past (a key and
 * an offset kept in memory; its bytes appended to a temporary spool,
 * unless the archive is a plain file they can be read back from),
 * each article is held (written to a second temporary file, its page's
 * name to a third), and at the archive's end the held articles are read
 * back in order, their figures found in the index, and handed on.  In
 * memory only the index grows, by one 72-byte entry (with the table's
 * slack, about 130 bytes) per image record: pages and images are on disk.
 */
#include "input_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int spool_error(bt_error *err)
{
    bt_error_set(err, BT_ERR_IO, "temporary file: %s", strerror(errno ? errno : EIO));
    return -1;
}

static int web_find(bt_imgsrc *s, bt_input_ctx *c, const char *src, const char *base, int local,
                    bt_imglook *lk, bt_error *err)
{
    (void)c, (void)base, (void)local;
    bt_webimg *w = s->ctx;
    unsigned char key[16];
    if (bt_url_key(src, key) < 0) {
        bt_error_nomem(err, src);
        return -1;
    }
    bt_imgent *e = bt_imgmap_get(&w->index, key, 0);
    if (!e) {
        lk->why = "not in the archive";
        return 0;
    }
    lk->ent = e;
    if (e->state != BT_IMG_SPOOLED)
        return 2;
    bt_buf_reset(lk->bytes);
    if (!e->in_input && fflush(w->spool) != 0)
        return spool_error(err);
    if (bt_buf_grow(lk->bytes, (size_t)e->u.at.len) < 0) {
        bt_error_nomem(err, src);
        return -1;
    }
    ssize_t got = pread(e->in_input ? w->input_fd : fileno(w->spool), lk->bytes->data,
                        (size_t)e->u.at.len, (off_t)e->u.at.off);
    if (got != (ssize_t)e->u.at.len) {
        if (got >= 0)
            errno = EIO;
        return spool_error(err);
    }
    lk->bytes->len = (size_t)e->u.at.len;
    lk->bytes->data[lk->bytes->len] = '\0';
    return 1;
}

void bt_webimg_init(bt_webimg *w, const bt_input_ctx *c, const bt_item *it)
{
    memset(w, 0, sizeof *w);
    w->input_fd = -1;
    if (!c->opts->images)
        return;
    w->src.find = web_find;
    w->src.ctx = w;
    w->src.hold = 1;
    /* a file on disk read as it is: its images can be read back from it */
    if (it->path && it->src->fd >= 0 && !it->src->up && !(it->src->flags & BT_SRC_INFLATE))
        w->input_fd = it->src->fd;
}

long long bt_webimg_at(const bt_webimg *w, const struct bt_lines *r)
{
    /* the stream's position less what the line reader holds unread */
    return w->input_fd < 0 ? -1 : (long long)(r->src->out - (r->len - r->pos));
}

/* 1 when the len bytes at body are in the archive's file at at (the
 * first and last few compared, so that a wrong offset is never used). */
static int in_input(const bt_webimg *w, const char *body, size_t len, long long at)
{
    char head[32], tail[32];
    size_t n = len < sizeof head ? len : sizeof head;
    return at >= 0 && w->input_fd >= 0 && len &&
           pread(w->input_fd, head, n, (off_t)at) == (ssize_t)n && !memcmp(head, body, n) &&
           pread(w->input_fd, tail, n, (off_t)(at + (long long)(len - n))) == (ssize_t)n &&
           !memcmp(tail, body + len - n, n);
}

int bt_webimg_record(bt_webimg *w, bt_input_ctx *c, const char *url, const char *body,
                     size_t len, int claims, int cut, long long at, bt_error *err)
{
    if (!w || !w->src.find || !url || !*url)
        return 0;
    bt_images *im = c->opts->images;
    bt_image_info info;
    const char *why;
    int ok = bt_image_probe((const unsigned char *)body, len, &info, &why) == 0;
    if (!ok && !claims && info.type == BT_IMAGE_UNKNOWN)
        return 0; /* a script, a style sheet: no figure's image */
    unsigned char key[16];
    if (bt_url_key(url, key) < 0) {
        bt_error_nomem(err, url);
        return -1;
    }
    bt_imgent *e = bt_imgmap_get(&w->index, key, 1);
    if (!e) {
        bt_error_nomem(err, url);
        return -1;
    }
    if (e->state == BT_IMG_SPOOLED)
        return 0; /* the first whole copy is kept */
    e->state = BT_IMG_REFUSED;
    e->info = info;
    e->why = why;
    if (cut) {
        e->reason = BT_IMG_CUT;
    } else if (len > bt_images_max_bytes(im)) {
        e->reason = BT_IMG_TOO_LARGE;
    } else if (!ok) {
        e->reason = BT_IMG_NOT_IMAGE;
    } else if ((uint64_t)info.width * info.height > bt_images_max_pixels(im)) {
        e->reason = BT_IMG_TOO_MANY_PIXELS;
    } else if (in_input(w, body, len, at)) {
        e->state = BT_IMG_SPOOLED;
        e->in_input = 1;
        e->u.at.off = (unsigned long long)at;
        e->u.at.len = len;
    } else {
        if (!w->spool && !(w->spool = tmpfile()))
            return spool_error(err);
        if (len && fwrite(body, 1, len, w->spool) != len)
            return spool_error(err);
        e->state = BT_IMG_SPOOLED;
        e->in_input = 0;
        e->u.at.off = w->spooled;
        e->u.at.len = len;
        w->spooled += len;
    }
    return 0;
}

int bt_webimg_alias(bt_webimg *w, const char *url, const char *target, bt_error *err)
{
    if (!w->src.find)
        return 0;
    unsigned char t[16], u[16];
    if (bt_url_key(target, t) < 0 || bt_url_key(url, u) < 0) {
        bt_error_nomem(err, url);
        return -1;
    }
    bt_imgent *e = bt_imgmap_get(&w->index, t, 0);
    if (!e)
        return 0; /* an image of another archive, or not an image */
    bt_imgent copy = *e;
    if (!(e = bt_imgmap_get(&w->index, u, 1))) {
        bt_error_nomem(err, url);
        return -1;
    }
    if (e->state != BT_IMG_SPOOLED) {
        memcpy(copy.key, u, sizeof u);
        *e = copy;
    }
    return 0;
}

int bt_webimg_hold(bt_imgsrc *s, bt_input_ctx *c, const bt_item *it, const bt_article *a,
                   bt_error *err)
{
    (void)c;
    bt_webimg *w = s->ctx;
    if (w->broken) {
        *err = w->error;
        return -1;
    }
    if (!w->held) {
        if (!(w->held = tmpfile()) || !(w->names = tmpfile()))
            return spool_error(err);
        if (!(w->writer = bt_writer_open(w->held, err)))
            return -1;
    }
    /* once the two files may disagree, no article more is held */
    size_t n = strlen(it->name) + 1;
    if (bt_writer_article(w->writer, a, err) < 0 ||
        (fwrite(it->name, 1, n, w->names) != n && spool_error(err))) {
        w->broken = 1;
        w->error = *err;
        return -1;
    }
    w->nheld++;
    return 0;
}

int bt_webimg_flush(bt_webimg *w, bt_input_ctx *c, bt_error *err)
{
    w->src.hold = 0;
    if (w->broken) {
        *err = w->error;
        return -1;
    }
    if (!w->writer)
        return 0;
    bt_writer *wr = w->writer;
    w->writer = NULL;
    if (bt_writer_close(wr, err) < 0)
        return -1;
    if (fflush(w->held) != 0 || fflush(w->names) != 0 || fseek(w->names, 0, SEEK_SET) != 0 ||
        lseek(fileno(w->held), 0, SEEK_SET) < 0)
        return spool_error(err);
    bt_reader *r = bt_reader_open_fd(fileno(w->held), "(held articles)", err);
    if (!r)
        return -1;
    char *name = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t k = 0; k < w->nheld && rc == 0; k++) {
        bt_article a;
        bt_article_init(&a);
        int got = bt_reader_next(r, &a, err);
        if (got == 1 && getdelim(&name, &cap, '\0', w->names) < 0) {
            rc = spool_error(err);
        } else if (got <= 0) {
            if (got == 0)
                bt_error_set(err, BT_ERR_INTERNAL, "internal error: a held article is missing");
            rc = -1;
        } else {
            bt_item page = {0};
            page.name = name;
            page.images = &w->src;
            rc = bt_images_article(c, &page, &a, 0, err);
            if (rc == 0)
                rc = bt_input_hand(c, name, &a, err);
        }
        bt_article_free(&a);
    }
    free(name);
    bt_reader_close(r);
    return rc;
}

void bt_webimg_free(bt_webimg *w)
{
    bt_writer_discard(w->writer);
    if (w->spool)
        fclose(w->spool);
    if (w->held)
        fclose(w->held);
    if (w->names)
        fclose(w->names);
    bt_imgmap_free(&w->index);
    memset(w, 0, sizeof *w);
}
