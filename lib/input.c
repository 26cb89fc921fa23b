/*
 * Inputs of any kind: the dispatcher.  Each input format is an entry of
 * the table below ({name, bid, read}, as libarchive's format
 * descriptors); the dispatcher peeks at an input's first bytes, asks
 * every format for its bid and hands the input to the highest bidder.
 * Archive readers hand their members back through the context's member
 * callback, so no reader calls the dispatcher by name.  The two rules
 * that hold for every format live here only: containers nest at most
 * BT_MAX_DEPTH deep, and a failure inside an archive is reported and the
 * archive goes on, while at top level it is the input's failure.
 */
#include "input_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Asked in this order; a later format wins a tie only with a higher bid. */
static const bt_format *const formats[] = {
    &bt_format_zip,   &bt_format_gzip,     &bt_format_warc, &bt_format_arc,
    &bt_format_mhtml, &bt_format_articles, &bt_format_html, &bt_format_other,
    &bt_format_text,
};

enum { DEFAULT_RATIO = 100 };
#define DEFAULT_CAP (8ull << 30)

void bt_input_problem(const bt_input_ctx *c, int kind, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->on_problem)
        c->on_problem(msg, kind, c->ctx);
}

void bt_item_member(bt_item *m, const bt_item *parent, const char *name, bt_src *src)
{
    memset(m, 0, sizeof *m);
    m->name = name;
    m->file = name;
    m->src = src;
    m->depth = parent->depth + 1;
    m->in_archive = 1;
    m->listed = parent->listed;
    m->budget = parent->budget;
    m->images = parent->images;
}

int bt_item_stopped(const bt_item *it)
{
    return bt_budget_over(it->budget) != NULL;
}

void bt_item_budget(bt_budget *b, const bt_item *it, const bt_input_ctx *c)
{
    memset(b, 0, sizeof *b);
    b->up = it->budget;
    b->name = it->name;
    b->size = it->size;
    b->raw = it->size ? NULL : &it->src->raw;
    b->ratio = c->opts->max_ratio ? c->opts->max_ratio : DEFAULT_RATIO;
    b->cap = c->opts->max_unpacked ? c->opts->max_unpacked : DEFAULT_CAP;
}

int bt_budget_report(const bt_input_ctx *c, const bt_budget *b)
{
    if (!b->over)
        return 0;
    bt_error e = BT_ERROR_INIT;
    bt_budget_error(b, &e);
    bt_input_problem(c, BT_PROBLEM_FAILED, "%s", e.msg);
    return 1;
}

int bt_input_hand(bt_input_ctx *c, const char *name, bt_article *a, bt_error *err)
{
    if (!c->on_article)
        return 0;
    if (c->on_article(a, c->ctx)) {
        bt_error_set(err, BT_ERR_STOPPED, "%s: stopped", name);
        return -1;
    }
    return 0;
}

int bt_input_article(bt_input_ctx *c, const bt_item *it, bt_article *a, bt_error *err)
{
    const char *file = it->file;
    if (file && (!a->source_file || strcmp(a->source_file, file))) {
        free(a->source_file);
        if (!(a->source_file = bt_strdup(file))) {
            bt_error_nomem(err, it->name);
            return -1;
        }
    }
    if (it->url && !a->source_href && !(a->source_href = bt_strdup(it->url))) {
        bt_error_nomem(err, it->name);
        return -1;
    }
    if (c->opts->images) {
        /* a web archive's images may come after the page: its end */
        if (it->images && it->images->hold)
            return bt_webimg_hold(it->images, c, it, a, err);
        if (bt_images_article(c, it, a, 0, err) < 0)
            return -1;
    }
    return bt_input_hand(c, it->name, a, err);
}

/* ---- shared helpers ---- */

int bt_name_has_ext(const char *name, const char *const *exts)
{
    size_t n = name ? strlen(name) : 0;
    for (; *exts; exts++) {
        size_t e = strlen(*exts);
        if (n > e && !strcasecmp(name + n - e, *exts))
            return 1;
    }
    return 0;
}

const char *bt_header_value(const char *line, size_t len, const char *key, size_t *vlen)
{
    size_t k = strlen(key);
    if (len <= k || strncasecmp(line, key, k) || line[k] != ':')
        return NULL;
    size_t i = k + 1;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t e = len;
    while (e > i && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
        e--;
    *vlen = e - i;
    return line + i;
}

void bt_content_type_charset(const char *v, size_t len, char *out, size_t outsz)
{
    out[0] = '\0';
    for (size_t i = 0; i + 8 <= len; i++) {
        if (strncasecmp(v + i, "charset", 7))
            continue;
        size_t k = i + 7;
        while (k < len && (v[k] == ' ' || v[k] == '='))
            k++;
        if (k < len && (v[k] == '"' || v[k] == '\''))
            k++;
        size_t n = 0;
        while (k < len && n + 1 < outsz &&
               (((v[k] | 0x20) >= 'a' && (v[k] | 0x20) <= 'z') || (v[k] >= '0' && v[k] <= '9') ||
                v[k] == '-' || v[k] == '_' || v[k] == '.' || v[k] == ':'))
            out[n++] = v[k++];
        out[n] = '\0';
        return;
    }
}

/* ---- dispatching ---- */

static const bt_format *choose(const bt_item *it)
{
    const bt_format *best = &bt_format_text;
    int best_bid = 0;
    for (size_t i = 0; i < BT_ARRAY_LEN(formats); i++) {
        int bid = formats[i]->bid(it);
        if (bid > best_bid) {
            best_bid = bid;
            best = formats[i];
        }
    }
    return best;
}

/* The one place of both rules: nesting, and report-inside / fail-at-top. */
static int dispatch(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    if (bt_item_stopped(it))
        return 0;
    const unsigned char *head;
    long n = bt_src_peek(it->src, BT_SNIFF, &head);
    int rc;
    if (n < 0) {
        bt_src_error(it->src, it->name, err);
        rc = -1;
    } else {
        it->head = head;
        it->headlen = (size_t)n;
        const bt_format *f = choose(it);
        if (f->container && it->depth >= BT_MAX_DEPTH) {
            bt_error_set(err, BT_ERR_LIMIT, "%s: archives nested too deep", it->name);
            rc = -1;
        } else {
            rc = f->read(c, it, err);
        }
    }
    if (rc < 0 && err->code != BT_ERR_NOMEM && err->code != BT_ERR_STOPPED &&
        (it->in_archive || bt_item_stopped(it))) {
        if (!bt_item_stopped(it))
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s", err->msg);
        bt_error_clear(err);
        return 0;
    }
    return rc;
}

static const bt_extract_opts defaults;

bt_input_kind bt_input_sniff(const char *name, const char *head, size_t len)
{
    bt_item it = {0};
    it.name = name ? name : "";
    it.head = (const unsigned char *)(head ? head : "");
    it.headlen = len < BT_SNIFF ? len : BT_SNIFF;
    return choose(&it)->kind;
}

int bt_extract_input(const char *name, const char *data, size_t len, const bt_extract_opts *opts,
                     bt_article_fn on_article, bt_problem_fn on_problem, void *ctx, bt_error *err)
{
    bt_input_ctx c = {opts ? opts : &defaults, on_article, on_problem, ctx, 64u << 20, dispatch, NULL};
    bt_src src;
    bt_src_mem(&src, data, len);
    bt_item it = {0};
    it.name = name ? name : "(standard input)";
    it.file = name;
    it.size = len;
    it.src = &src;
    it.listed = c.opts->skip_other;
    int rc = dispatch(&c, &it, err);
    bt_src_free(&src);
    return rc;
}

int bt_extract_file(const char *path, size_t max_page, const bt_extract_opts *opts,
                    bt_article_fn on_article, bt_problem_fn on_problem, void *ctx, bt_error *err)
{
    return bt_extract_file_keyed(path, max_page, opts, on_article, on_problem, NULL, ctx, err);
}

int bt_extract_file_keyed(const char *path, size_t max_page, const bt_extract_opts *opts,
                          bt_article_fn on_article, bt_problem_fn on_problem,
                          bt_image_problem_fn on_image, void *ctx, bt_error *err)
{
    bt_input_ctx c = {opts ? opts : &defaults, on_article, on_problem, ctx, max_page, dispatch,
                      on_image};
    int use_stdin = !path || !strcmp(path, "-");
    const char *name = use_stdin ? "(standard input)" : path;
    int fd = bt_open_input(path, err);
    if (fd < 0)
        return -1;
    struct stat st;
    int have_st = fstat(fd, &st) == 0;
    if (have_st && S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_INPUT, "%s: is a directory (use -r to read the files in it)", name);
        if (!use_stdin)
            close(fd);
        return -1;
    }
    bt_src src;
    bt_src_fd(&src, fd);
    bt_item it = {0};
    it.name = name;
    it.file = use_stdin ? NULL : path;
    it.src = &src;
    it.listed = c.opts->skip_other;
    if (have_st && S_ISREG(st.st_mode)) {
        it.size = src.size = (unsigned long long)st.st_size;
        if (!use_stdin)
            it.path = path;
    }
    /* a page's images may be beside it (standard input: the current folder) */
    bt_imgsrc folder;
    char *dir = NULL;
    if (c.opts->images) {
        const char *slash = use_stdin ? NULL : strrchr(path, '/');
        dir = !slash ? bt_strdup(".") : bt_strndup(path, slash == path ? 1 : (size_t)(slash - path));
        if (!dir) {
            bt_error_nomem(err, name);
            if (!use_stdin)
                close(fd);
            return -1;
        }
        bt_imgsrc_dir(&folder, dir);
        it.images = &folder;
    }
    int rc = dispatch(&c, &it, err);
    free(dir);
    bt_src_free(&src);
    if (!use_stdin)
        close(fd);
    return rc;
}
