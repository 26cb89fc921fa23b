/*
 * gzip: a filter, not an archive.  The gunzipped stream (every gzip
 * member in turn: a .warc.gz or .arc.gz has one per record) goes back to
 * the dispatcher under the same name, so a .warc.gz is read as a WARC,
 * a page.html.gz as a page, whatever the unpacked bytes are.  What it
 * unpacks is charged to its own budget, so a gzip bomb stops early.
 */
#include "input_int.h"

static int gzip_bid(const bt_item *it)
{
    return it->headlen >= 3 && it->head[0] == 0x1f && it->head[1] == 0x8b && it->head[2] == 8
               ? 24 /* 24 bits checked */
               : 0;
}

static int gzip_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    bt_src z;
    if (bt_src_filter(&z, it->src, BT_SRC_INFLATE) < 0) {
        bt_error_nomem(err, it->name);
        return -1;
    }
    bt_budget budget;
    bt_item_budget(&budget, it, c);
    bt_item m = *it;
    m.src = &z;
    m.path = NULL;
    m.size = 0;
    m.depth = it->depth + 1;
    m.budget = &budget;
    z.budget = &budget;
    int rc = c->member(c, &m, err);
    bt_src_free(&z);
    bt_budget_report(c, &budget); /* one line, as a failure */
    return rc;
}

const bt_format bt_format_gzip = {"gzip", BT_INPUT_GZIP, gzip_bid, gzip_read, 1};
