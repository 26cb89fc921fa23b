/* docx_spool.c — the byte streams a document is assembled from: a spool
 * keeps the body (and the images) in memory until it grows, then in an
 * unnamed temporary file, so memory stays flat; a chain hands libzip a
 * part made of several pieces without joining them. */
#include <errno.h>
#include <string.h>

#include "docx_int.h"

#define SPOOL_MEM_MAX (1u << 20) /* bytes kept in memory before spilling */

void bt_spool_init(bt_spool *s)
{
    memset(s, 0, sizeof(*s));
    bt_buf_init(&s->mem, 0);
}

static int spill(bt_spool *s)
{
    if (!s->fp && !(s->fp = tmpfile()))
        return -1;
    if (s->mem.len && fwrite(s->mem.data, 1, s->mem.len, s->fp) != s->mem.len)
        return -1;
    bt_buf_reset(&s->mem);
    return 0;
}

int bt_spool_add(bt_spool *s, const void *data, size_t len)
{
    if (s->failed || bt_buf_add(&s->mem, data, len) < 0 ||
        (s->mem.len > SPOOL_MEM_MAX && spill(s) < 0)) {
        s->failed = 1;
        return -1;
    }
    s->size += len;
    return 0;
}

int bt_spool_write(void *ctx, const char *data, int len)
{
    return bt_spool_add(ctx, data, (size_t)len) < 0 ? -1 : len;
}

int bt_spool_finish(bt_spool *s)
{
    if (s->fp && (spill(s) < 0 || fflush(s->fp) != 0 || ferror(s->fp)))
        s->failed = 1;
    return s->failed ? -1 : 0;
}

void bt_spool_free(bt_spool *s)
{
    bt_buf_free(&s->mem);
    if (s->fp)
        fclose(s->fp);
    s->fp = NULL;
}

/* ---- chain --------------------------------------------------------- */

void bt_chain_init(bt_chain *c)
{
    memset(c, 0, sizeof(*c));
    zip_error_init(&c->error);
}

void bt_chain_fini(bt_chain *c)
{
    zip_error_fini(&c->error);
}

void bt_chain_add_mem(bt_chain *c, const char *mem, size_t len)
{
    if (c->n == BT_CHAIN_MAX)
        return; /* a bug: the parts are fixed and fewer */
    c->p[c->n].mem = mem ? mem : "";
    c->p[c->n].fp = NULL;
    c->p[c->n].off = 0;
    c->p[c->n].len = mem ? len : 0;
    c->n++;
}

void bt_chain_add_spool(bt_chain *c, const bt_spool *s, size_t off, size_t len)
{
    if (!s->fp) {
        bt_chain_add_mem(c, s->mem.data + off, len);
        return;
    }
    if (c->n == BT_CHAIN_MAX)
        return;
    c->p[c->n].mem = NULL;
    c->p[c->n].fp = s->fp;
    c->p[c->n].off = off;
    c->p[c->n].len = len;
    c->n++;
}

zip_int64_t bt_chain_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    bt_chain *c = ud;

    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        c->cur = 0;
        c->off = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t done = 0;
        while (done < len && c->cur < c->n) {
            size_t want = c->p[c->cur].len - c->off;
            if (want > len - done)
                want = (size_t)(len - done);
            if (want == 0) {
                c->cur++;
                c->off = 0;
                continue;
            }
            if (c->p[c->cur].fp) {
                /* several chains may read one spool: seek every time */
                FILE *fp = c->p[c->cur].fp;
                if (fseeko(fp, (off_t)(c->p[c->cur].off + c->off), SEEK_SET) != 0 ||
                    fread((char *)data + done, 1, want, fp) != want) {
                    zip_error_set(&c->error, ZIP_ER_READ, errno);
                    return -1;
                }
            } else {
                memcpy((char *)data + done, c->p[c->cur].mem + c->off, want);
            }
            c->off += want;
            done += want;
        }
        return (zip_int64_t)done;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_uint64_t total = 0;
        if (len < sizeof(*st))
            return -1;
        for (int i = 0; i < c->n; i++)
            total += c->p[i].len;
        zip_stat_init(st);
        st->size = total;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&c->error, data, len);
    case ZIP_SOURCE_FREE:
        return 0; /* the chain belongs to its caller */
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_READABLE;
    default:
        zip_error_set(&c->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}
