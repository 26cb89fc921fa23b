/* What the two record-based web archive readers (WARC, ARC) do alike:
 * the archive's budget and image index, the line reader, the record's
 * first line past the blank lines between records, its block (kept or
 * skipped, a cut-off one told once), and the end (held articles handed
 * on, a budget overrun told). */
#include "input_int.h"

#include <stdlib.h>

int bt_webarc_open(bt_webarc *a, bt_input_ctx *c, const bt_item *it, bt_error *err)
{
    a->c = c;
    a->it = it;
    bt_item_budget(&a->budget, it, c);
    a->self = *it;
    a->self.budget = &a->budget;
    bt_webimg_init(&a->w, c, it);
    if (a->w.src.find)
        a->self.images = &a->w.src;
    a->max_block = c->max_page;
    if (c->opts->images && bt_images_max_bytes(c->opts->images) > a->max_block)
        a->max_block = bt_images_max_bytes(c->opts->images);
    a->r = (bt_lines){it->src, malloc(BT_SRC_CHUNK), 0, 0, 0};
    bt_buf_init(&a->line, 0);
    bt_buf_init(&a->block, 0);
    a->at = -1;
    if (!a->r.buf) {
        bt_error_nomem(err, it->name);
        return -1;
    }
    return 0;
}

int bt_webarc_next(bt_webarc *a)
{
    if (bt_item_stopped(&a->self))
        return 0;
    int l;
    do /* records are separated by blank lines */
        l = bt_lines_get(&a->r, &a->line);
    while (l == 1 && a->line.len == 0);
    return l;
}

int bt_webarc_block(bt_webarc *a, long long length, int keep, const char *kind,
                    size_t record, const char *what, bt_error *err)
{
    const bt_item *it = a->it;
    int terr = 0;
    bt_buf_reset(&a->block);
    a->at = bt_webimg_at(&a->w, &a->r);
    unsigned long long got =
        bt_lines_take(&a->r, (unsigned long long)length, keep ? &a->block : NULL, &terr);
    if (terr == 2) {
        bt_error_nomem(err, it->name);
        return -1;
    }
    if (got < (unsigned long long)length) {
        if (!bt_item_stopped(&a->self))
            bt_input_problem(a->c, BT_PROBLEM_FAILED,
                             "%s: record %zu (%s): truncated %s record (%llu of %lld bytes)%s%s",
                             it->name, record, what, kind, got, length,
                             it->src->error ? ": " : "", it->src->error ? it->src->error : "");
        return 0;
    }
    return 1;
}

int bt_webarc_close(bt_webarc *a, int rc, bt_error *err)
{
    free(a->r.buf);
    bt_buf_free(&a->line);
    bt_buf_free(&a->block);
    if (rc == 0)
        rc = bt_webimg_flush(&a->w, a->c, err);
    bt_webimg_free(&a->w);
    bt_budget_report(a->c, &a->budget);
    return rc;
}
