/* The inputs of a printer (xml2pdf, xml2docx): files named on the command
 * line read in order, their articles counted for a progress bar, and read
 * into a selection when they are to be sorted, de-duplicated or printed
 * in more than one pass. */
#include "fe.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fe_inputs {
    const char **names;
    size_t n;
    int quiet;
};

fe_inputs *fe_inputs_new(char *const *names, size_t n, int quiet, bt_error *err)
{
    static const char *const stdin_only[] = {"-"};
    fe_inputs *in = calloc(1, sizeof *in);
    if (!in || !(in->names = malloc((n ? n : 1) * sizeof *in->names))) {
        free(in);
        bt_error_nomem(err, NULL);
        return NULL;
    }
    in->n = n ? n : 1;
    for (size_t i = 0; i < in->n; i++)
        in->names[i] = n ? names[i] : stdin_only[0];
    in->quiet = quiet;
    return in;
}

void fe_inputs_free(fe_inputs *in)
{
    if (!in)
        return;
    free(in->names);
    free(in);
}

/* The directory figures of an input are relative to ("." for standard
 * input), malloc'd. */
static char *input_dir(const char *name)
{
    if (!strcmp(name, "-"))
        return bt_strdup(".");
    char *copy = bt_strdup(name);
    if (!copy)
        return NULL;
    char *dir = bt_strdup(dirname(copy));
    free(copy);
    return dir;
}

int fe_inputs_each(fe_inputs *in, fe_article_fn fn, void *ctx, bt_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i < in->n; i++) {
        char *dir = input_dir(in->names[i]);
        if (!dir) {
            bt_error_nomem(err, NULL);
            return -1;
        }
        bt_reader *rd = bt_reader_open_file(in->names[i], err);
        if (!rd) {
            free(dir);
            return -1;
        }
        bt_article a;
        bt_article_init(&a);
        int got, rc = 0;
        while (rc == 0 && (got = bt_reader_next(rd, &a, err)) == 1) {
            rc = bt_article_resolve_figures(&a, dir, err);
            if (rc == 0)
                rc = fn(&a, k++, ctx, err);
            bt_article_free(&a);
        }
        bt_article_free(&a);
        bt_reader_close(rd);
        free(dir);
        if (rc < 0 || got < 0)
            return -1;
    }
    return 0;
}

size_t fe_inputs_count(fe_inputs *in)
{
    size_t total = 0;
    for (size_t i = 0; i < in->n; i++) {
        struct stat st;
        const char *name = in->names[i];
        if (!strcmp(name, "-") || stat(name, &st) < 0 || !S_ISREG(st.st_mode))
            return 0;
        int fd = open(name, O_RDONLY);
        if (fd < 0)
            return 0;
        bt_error err = BT_ERROR_INIT;
        bt_artscan *s = bt_artscan_open(fd, name, &err);
        bt_rawarticle raw;
        int got = s ? 0 : -1;
        while (s && (got = bt_artscan_next(s, &raw, &err)) == 1)
            total++;
        bt_artscan_close(s);
        close(fd);
        if (got < 0)
            return 0; /* gzip'd, or broken: the real read will say */
    }
    return total;
}

typedef struct select_run {
    bt_select *s;
    fe_progress *bar;
    size_t done;
} select_run;

static int add_one(bt_article *a, size_t k, void *ctx, bt_error *err)
{
    (void)k;
    select_run *r = ctx;
    fe_progress_step(r->bar, ++r->done);
    return bt_select_add(r->s, a, err) < 0 ? -1 : 0;
}

bt_select *fe_inputs_select(fe_inputs *in, const bt_select_opts *o, bt_error *err)
{
    select_run r = {bt_select_new(o, err), NULL, 0};
    if (!r.s)
        return NULL;
    /* Reading is quick; a bar only for a long run (many inputs). */
    if (in->n > 50)
        r.bar = fe_progress_new("reading", 0, in->quiet);
    int rc = fe_inputs_each(in, add_one, &r, err);
    fe_progress_done(r.bar);
    if (rc < 0 || bt_select_finish(r.s, err) < 0) {
        bt_select_free(r.s);
        return NULL;
    }
    size_t dropped = bt_select_dropped(r.s);
    if (dropped && !in->quiet)
        fe_warn("%zu duplicate article%s left out (--keep-duplicates keeps them)", dropped,
                dropped == 1 ? "" : "s");
    return r.s;
}

int fe_select_each(bt_select *s, fe_article_fn fn, void *ctx, bt_error *err)
{
    bt_article a;
    bt_article_init(&a);
    for (size_t k = 0; k < bt_select_count(s); k++) {
        if (bt_select_get(s, k, &a, err) < 0)
            return -1;
        int rc = fn(&a, k, ctx, err);
        bt_article_free(&a);
        if (rc < 0)
            return -1;
    }
    return 0;
}
