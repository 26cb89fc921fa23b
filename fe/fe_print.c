/* What the printers (xml2pdf, xml2docx) do the same way with their
 * articles: the selection's order, each story once, section heads where a
 * group starts, a notice for the copies left out, "nothing to print". */
#include "fe.h"

#include <stdlib.h>

struct fe_print {
    fe_inputs *in;
    bt_select_opts opts;
    bt_select *sel;
    int quiet;
    int told;         /* the duplicates notice is out */
    const fe_sink *sink;
    size_t sent;
};

fe_print *fe_print_new(fe_inputs *in, const bt_select_opts *o, int quiet, bt_error *err)
{
    fe_print *p = calloc(1, sizeof *p);
    if (!p) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    p->in = in;
    p->opts = *o;
    p->quiet = quiet;
    /* sorting and grouping need every article first */
    if (p->opts.sort != BT_SORT_INPUT || p->opts.group_by_section)
        p->opts.store = 1;
    return p;
}

void fe_print_free(fe_print *p)
{
    if (!p)
        return;
    bt_select_free(p->sel);
    free(p);
}

static void tell_dropped(fe_print *p)
{
    size_t n = p->sel ? bt_select_dropped(p->sel) : 0;
    if (n && !p->quiet && !p->told++)
        fe_warn("%zu duplicate article%s left out (--keep-duplicates keeps them)", n,
                n == 1 ? "" : "s");
}

/* A stored selection, in its order: a section head where a group starts. */
static int send_selected(bt_article *a, size_t k, void *ctx, bt_error *err)
{
    fe_print *p = ctx;
    if (p->opts.group_by_section && p->sink->section) {
        const char *sec = bt_select_section(p->sel, k);
        if ((k == 0 || sec != bt_select_section(p->sel, k - 1)) &&
            p->sink->section(p->sink->ctx, sec, err) < 0)
            return -1;
    }
    p->sent++;
    return p->sink->article(p->sink->ctx, a, err);
}

/* Input order in one pass: each copy of a story dropped as it streams by. */
static int send_streamed(bt_article *a, size_t k, void *ctx, bt_error *err)
{
    (void)k;
    fe_print *p = ctx;
    int fresh = bt_select_add(p->sel, a, err);
    if (fresh <= 0)
        return fresh;
    p->sent++;
    return p->sink->article(p->sink->ctx, a, err);
}

int fe_print_run(fe_print *p, const fe_sink *sink, size_t *sent, bt_error *err)
{
    int rc;
    p->sink = sink;
    p->sent = 0;
    if (p->opts.store) {
        if (!p->sel && !(p->sel = fe_inputs_select(p->in, &p->opts, err)))
            return -1;
        p->told = 1; /* fe_inputs_select has said it */
        rc = fe_select_each(p->sel, send_selected, p, err);
    } else {
        bt_select_free(p->sel); /* a second streamed pass starts afresh */
        if (!(p->sel = bt_select_new(&p->opts, err)))
            return -1;
        rc = fe_inputs_each(p->in, send_streamed, p, err);
        if (rc == 0)
            tell_dropped(p);
    }
    *sent = p->sent;
    return rc;
}

int fe_nothing_to_print(const char *verb)
{
    fe_warn("nothing to %s: no articles in the input", verb);
    return 1;
}
