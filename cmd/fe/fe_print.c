/* What the printers (xml2pdf, xml2docx) do the same way with their
 * articles: the selection's order, each story once, section heads where a
 * group starts, a notice for the copies left out, "nothing to print", and
 * with -d DIR one named file per article. */
#include "fe.h"

#include <stdlib.h>
#include <unistd.h>

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

/* ---- one document ---- */

int fe_print_doc(fe_inputs *in, const bt_select_opts *o, int quiet, const fe_doc_job *job)
{
    bt_error err = BT_ERROR_INIT;
    fe_print *p = fe_print_new(in, o, quiet, &err);
    fe_out *out = NULL;
    size_t sent = 1;
    int status = 2;
    if (!p || (job->layout && fe_print_run(p, job->layout, &sent, &err) < 0))
        goto fail;
    if (sent == 0)
        goto nothing;
    if (!(out = fe_out_open(job->output, FE_OUT_BINARY, &err)) ||
        (job->start && job->start(job->ctx, fe_out_stream(out), &err) < 0) ||
        (job->draw && fe_print_run(p, job->draw, &sent, &err) < 0))
        goto fail;
    if (sent == 0)
        goto nothing;
    if (job->finish(job->ctx, fe_out_stream(out), &err) < 0)
        goto fail;
    status = fe_out_commit(out, &err) < 0 ? 2 : 0;
    out = NULL;
    if (status)
        fe_error(&err);
    goto done;
nothing:
    status = fe_nothing_to_print(job->verb);
    goto done;
fail:
    fe_error(&err);
done:
    job->drop(job->ctx); /* before its stream goes */
    fe_out_abort(out);
    fe_print_free(p);
    return status;
}

/* ---- -d DIR ---- */

typedef struct dir_run {
    const fe_dir_job *job;
    fe_namer *namer;
    fe_progress *bar;
    size_t written;
    bt_buf path;
} dir_run;

static int write_file(void *ctx, const bt_article *a, bt_error *err)
{
    dir_run *d = ctx;
    bt_buf_reset(&d->path);
    if (bt_buf_addf(&d->path, "%s/", d->job->dir) < 0 ||
        fe_namer_name(d->namer, a, d->job->ext, &d->path) < 0) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    fe_out *out = fe_out_open(d->path.data, FE_OUT_BINARY, err);
    if (!out)
        return -1;
    if (d->job->write(d->job->ctx, a, fe_out_stream(out), err) < 0) {
        fe_out_abort(out);
        return -1;
    }
    if (fe_out_commit(out, err) < 0)
        return -1;
    fe_progress_step(d->bar, ++d->written);
    return 0;
}

int fe_print_dir(fe_inputs *in, const bt_select_opts *o, int quiet, const fe_dir_job *job)
{
    bt_error err = BT_ERROR_INIT;
    dir_run d = {job, NULL, NULL, 0, BT_BUF_INIT};
    bt_select_opts so = *o;
    /* one file each: the order and the groups do not matter */
    so.store = 0;
    so.sort = BT_SORT_INPUT;
    so.group_by_section = 0;
    fe_sink sink = {NULL, write_file, &d};
    fe_print *p = fe_print_new(in, &so, quiet, &err);
    d.namer = fe_namer_new();
    size_t sent = 0;
    int rc = p && d.namer ? fe_mkdir_p(job->dir, &err) : (bt_error_nomem(&err, NULL), -1);
    if (rc == 0) {
        /* A bar needs the total: count the articles when someone watches. */
        size_t total = !quiet && isatty(2) ? fe_inputs_count(in) : 0;
        d.bar = fe_progress_new("articles", total, quiet);
        rc = fe_print_run(p, &sink, &sent, &err);
        fe_progress_done(d.bar);
    }
    if (rc < 0)
        fe_error(&err);
    bt_buf_free(&d.path);
    fe_namer_free(d.namer);
    fe_print_free(p);
    return rc < 0 ? 2 : sent == 0 ? fe_nothing_to_print(job->verb) : 0;
}
