/* xml2pdf: articles in, PDF out — one document, one per article (-d), or
 * a printed bulletin with masthead, contents and page numbers. */
#include "fe.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: xml2pdf [OPTION]... [FILE]...\n"
            "Typeset articles in the bantin format as PDF.\n"
            "With no FILE, or when FILE is -, read standard input.\n"
            "\n"
            "  -o, --output=FILE     write one PDF to FILE (default standard output)\n"
            "  -d, --dir=DIR         one PDF per article in DIR, named YYYY-MM-DD-slug.pdf\n"
            "  -b, --bulletin        a bulletin: masthead, contents, header and footer\n"
            "  -T, --title=TEXT      bulletin title\n"
            "  -I, --issue=TEXT      bulletin issue, e.g. \"Số 28\"\n"
            "  -D, --date=YYYY-MM-DD bulletin date (default SOURCE_DATE_EPOCH or today)\n"
            "  -l, --lang=CODE       words of headers and footers (vi, en; default\n"
            "                        from the articles)\n"
            "  -c, --columns=N       1 or 2 columns of body text\n"
            "  -p, --paper=NAME      A4 (default), A5 or Letter\n"
            "  -m, --margin=LENGTH   page margin, e.g. 20mm (default), 2cm, 1in, 54pt\n"
            "  -f, --font=\"FAMILY SIZE\"  body font (default \"Noto Serif 10.5\")\n"
            "  -s, --style=FILE      read the settings above from \"key = value\" lines\n"
            "  -q, --quiet           no progress bar\n"
            "  -h, --help            show this help and exit\n"
            "  -V, --version         show the version and exit\n"
            "\n"
            "Exit status: 0 on success, 2 on any error (no output file is left).\n");
}

typedef struct setting {
    const char *key, *value;
} setting;

typedef struct input {
    const char *name; /* as given */
    FILE *spool;      /* a copy of a non-file input, for the second pass */
} input;

typedef struct run {
    input *in;
    size_t nin;
    bt_pdf_opts opts;
    int quiet;
} run;

static void fail(const bt_error *err)
{
    fe_warn("%s", err->msg);
}

/* Calls fn for every article of every input, in order. */
static int each_article(run *r, int (*fn)(const bt_article *, void *),
                        void *ctx, bt_error *err)
{
    for (size_t i = 0; i < r->nin; i++) {
        bt_reader *rd;
        if (r->in[i].spool) {
            if (fseek(r->in[i].spool, 0, SEEK_SET) != 0) {
                bt_error_set(err, BT_ERR_IO, "%s: %s", r->in[i].name, strerror(errno));
                return -1;
            }
            rd = bt_reader_open_fd(fileno(r->in[i].spool), r->in[i].name, err);
        } else {
            rd = bt_reader_open_file(r->in[i].name, err);
        }
        if (!rd)
            return -1;
        bt_article a;
        bt_article_init(&a);
        int got;
        while ((got = bt_reader_next(rd, &a, err)) == 1) {
            int rc = fn(&a, ctx);
            bt_article_free(&a);
            if (rc < 0) {
                bt_reader_close(rd);
                return -1;
            }
        }
        bt_article_free(&a);
        bt_reader_close(rd);
        if (got < 0)
            return -1;
    }
    return 0;
}

/* A bulletin reads its input twice.  Files are simply read again; standard
 * input and pipes are copied to an unnamed temporary file on the way. */
static int spool_streams(run *r, bt_error *err)
{
    for (size_t i = 0; i < r->nin; i++) {
        struct stat st;
        const char *name = r->in[i].name;
        int is_stdin = !strcmp(name, "-");
        if (!is_stdin && stat(name, &st) == 0 && S_ISREG(st.st_mode))
            continue;
        if (!is_stdin && stat(name, &st) < 0) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", name, strerror(errno));
            return -1;
        }
        FILE *src = is_stdin ? stdin : fopen(name, "rb");
        FILE *dst = tmpfile();
        if (!src || !dst) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", src ? "temporary file" : name,
                         strerror(errno));
            if (dst)
                fclose(dst);
            if (src && !is_stdin)
                fclose(src);
            return -1;
        }
        char buf[65536];
        size_t n;
        int rc = 0;
        while ((n = fread(buf, 1, sizeof buf, src)) > 0)
            if (fwrite(buf, 1, n, dst) != n) {
                rc = -1;
                break;
            }
        if (ferror(src) || fflush(dst) != 0)
            rc = -1;
        if (rc < 0)
            bt_error_set(err, BT_ERR_IO, "%s: %s", name, strerror(errno ? errno : EIO));
        if (!is_stdin)
            fclose(src);
        r->in[i].spool = dst;
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int measure_one(const bt_article *a, void *ctx)
{
    void **c = ctx;
    return bt_pdf_measure(c[0], a, c[1]);
}

static int add_one(const bt_article *a, void *ctx)
{
    void **c = ctx;
    return bt_pdf_add(c[0], a, c[1]);
}

/* One PDF (plain or bulletin) to -o FILE or standard output. */
static int write_one(run *r, const char *output)
{
    bt_error err = BT_ERROR_INIT;
    bt_pdf *pdf = bt_pdf_new(&r->opts, &err);
    if (!pdf) {
        fail(&err);
        return 2;
    }
    void *ctx[2] = {pdf, &err};
    if (r->opts.bulletin &&
        (spool_streams(r, &err) < 0 || each_article(r, measure_one, ctx, &err) < 0)) {
        fail(&err);
        bt_pdf_free(pdf);
        return 2;
    }
    fe_out *out = fe_out_open(output, FE_OUT_BINARY, &err);
    if (!out) {
        fail(&err);
        bt_pdf_free(pdf);
        return 2;
    }
    if (bt_pdf_start(pdf, fe_out_stream(out), &err) < 0 ||
        each_article(r, add_one, ctx, &err) < 0 || bt_pdf_finish(pdf, &err) < 0) {
        fail(&err);
        bt_pdf_free(pdf);
        fe_out_abort(out);
        return 2;
    }
    bt_pdf_free(pdf);
    if (fe_out_commit(out, &err) < 0) {
        fail(&err);
        return 2;
    }
    return 0;
}

typedef struct dir_run {
    run *r;
    const char *dir;
    fe_namer *namer;
    fe_progress *progress;
    size_t done;
    bt_buf path;
} dir_run;

static int write_article(const bt_article *a, void *ctx)
{
    dir_run *d = ctx;
    bt_error err = BT_ERROR_INIT;
    bt_buf_reset(&d->path);
    if (bt_buf_addf(&d->path, "%s/", d->dir) < 0 ||
        fe_namer_name(d->namer, a, "pdf", &d->path) < 0) {
        fe_warn("out of memory");
        return -1;
    }
    bt_pdf *pdf = bt_pdf_new(&d->r->opts, &err);
    fe_out *out = pdf ? fe_out_open(d->path.data, FE_OUT_BINARY, &err) : NULL;
    if (!out || bt_pdf_start(pdf, fe_out_stream(out), &err) < 0 ||
        bt_pdf_add(pdf, a, &err) < 0 || bt_pdf_finish(pdf, &err) < 0) {
        fail(&err);
        bt_pdf_free(pdf);
        fe_out_abort(out);
        return -1;
    }
    bt_pdf_free(pdf);
    if (fe_out_commit(out, &err) < 0) {
        fail(&err);
        return -1;
    }
    fe_progress_step(d->progress, ++d->done);
    return 0;
}

static int count_one(const bt_article *a, void *ctx)
{
    (void)a;
    ++*(size_t *)ctx;
    return 0;
}

static int all_files(const run *r)
{
    struct stat st;
    for (size_t i = 0; i < r->nin; i++)
        if (!strcmp(r->in[i].name, "-") || stat(r->in[i].name, &st) < 0 ||
            !S_ISREG(st.st_mode))
            return 0;
    return 1;
}

/* -d DIR: one PDF per article, read in one pass. */
static int write_dir(run *r, const char *dir)
{
    bt_error err = BT_ERROR_INIT;
    dir_run d = {r, dir, fe_namer_new(), NULL, 0, BT_BUF_INIT};
    if (!d.namer) {
        fe_warn("out of memory");
        return 2;
    }
    if (fe_mkdir_p(dir, &err) < 0) {
        fail(&err);
        fe_namer_free(d.namer);
        return 2;
    }
    /* A bar needs the total: count the articles first when the inputs
     * can be read twice and someone is watching. */
    size_t total = 0;
    if (!r->quiet && isatty(2) && all_files(r) &&
        each_article(r, count_one, &total, &err) < 0) {
        fail(&err);
        fe_namer_free(d.namer);
        return 2;
    }
    d.progress = fe_progress_new("articles", total, r->quiet);
    int rc = each_article(r, write_article, &d, &err);
    fe_progress_done(d.progress);
    if (rc < 0 && err.msg[0])
        fail(&err);
    if (rc == 0 && d.done == 0) {
        fe_warn("no articles in the input");
        rc = -1;
    }
    bt_buf_free(&d.path);
    fe_namer_free(d.namer);
    return rc < 0 ? 2 : 0;
}

/* SOURCE_DATE_EPOCH, when set and valid (-1 otherwise). */
static long long source_date_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL) {
        fe_warn("ignoring invalid SOURCE_DATE_EPOCH '%s'", s);
        return -1;
    }
    return v;
}

int main(int argc, char **argv)
{
    fe_init(argv[0]);
    /* Typesetting allocates and frees a page's worth of memory over and
     * over: keep it instead of giving it back to the kernel each time
     * (the peak is the same, the page faults are not). */
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"dir", required_argument, NULL, 'd'},
        {"bulletin", no_argument, NULL, 'b'},
        {"title", required_argument, NULL, 'T'},
        {"issue", required_argument, NULL, 'I'},
        {"date", required_argument, NULL, 'D'},
        {"lang", required_argument, NULL, 'l'},
        {"columns", required_argument, NULL, 'c'},
        {"paper", required_argument, NULL, 'p'},
        {"margin", required_argument, NULL, 'm'},
        {"font", required_argument, NULL, 'f'},
        {"style", required_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    run r = {0};
    const char *output = NULL, *dir = NULL, *style = NULL;
    setting set[64];
    size_t nset = 0;
    int bulletin = 0, c;
    while ((c = getopt_long(argc, argv, "o:d:bT:I:D:l:c:p:m:f:s:qhV", longopts,
                            NULL)) != -1) {
        const char *key = NULL;
        switch (c) {
        case 'o': output = optarg; break;
        case 'd': dir = optarg; break;
        case 'b': bulletin = 1; break;
        case 's': style = optarg; break;
        case 'q': r.quiet = 1; break;
        case 'T': key = "title"; break;
        case 'I': key = "issue"; break;
        case 'D': key = "date"; break;
        case 'l': key = "lang"; break;
        case 'c': key = "columns"; break;
        case 'p': key = "paper"; break;
        case 'm': key = "margin"; break;
        case 'f': key = "font"; break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            fe_version();
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        if (key) {
            if (nset == sizeof set / sizeof set[0]) {
                fe_warn("too many options");
                return 2;
            }
            set[nset++] = (setting){key, optarg};
        }
    }
    if (output && dir) {
        fe_warn("-o and -d cannot be used together");
        return 2;
    }
    if (dir && bulletin) {
        fe_warn("--bulletin makes one PDF: use -o, not -d");
        return 2;
    }

    /* The style file first, so that options on the command line win. */
    bt_error err = BT_ERROR_INIT;
    bt_pdf_opts_init(&r.opts);
    int rc = 0;
    if (style && bt_pdf_opts_load(&r.opts, style, &err) < 0)
        rc = -1;
    for (size_t i = 0; i < nset && rc == 0; i++) {
        if (bt_pdf_opts_set(&r.opts, set[i].key, set[i].value, &err) < 0) {
            bt_error e = err;
            bt_error_set(&err, BT_ERR_USAGE, "--%s: %s", set[i].key, e.msg);
            rc = -1;
        }
    }
    if (rc == 0 && bt_pdf_opts_check(&r.opts, &err) < 0)
        rc = -1;
    r.opts.bulletin = bulletin;
    r.opts.created = source_date_epoch();
    if (rc == 0 && bulletin && !r.opts.date) {
        time_t now = r.opts.created >= 0 ? (time_t)r.opts.created : time(NULL);
        struct tm tm;
        char day[16];
        if (r.opts.created >= 0 ? !gmtime_r(&now, &tm) : !localtime_r(&now, &tm))
            memset(&tm, 0, sizeof tm);
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        rc = bt_pdf_opts_set(&r.opts, "date", day, &err);
    }
    if (rc < 0) {
        fail(&err);
        bt_pdf_opts_free(&r.opts);
        bt_pdf_shutdown();
        return 2;
    }

    static const char *const stdin_only[] = {"-"};
    const char *const *names = optind < argc ? (const char *const *)argv + optind
                                             : stdin_only;
    r.nin = optind < argc ? (size_t)(argc - optind) : 1;
    r.in = calloc(r.nin, sizeof *r.in);
    if (!r.in) {
        fe_warn("out of memory");
        bt_pdf_opts_free(&r.opts);
        bt_pdf_shutdown();
        return 2;
    }
    for (size_t i = 0; i < r.nin; i++)
        r.in[i].name = names[i];

    int status = dir ? write_dir(&r, dir) : write_one(&r, output);

    for (size_t i = 0; i < r.nin; i++)
        if (r.in[i].spool)
            fclose(r.in[i].spool);
    free(r.in);
    bt_pdf_opts_free(&r.opts);
    bt_pdf_shutdown();
    return status;
}
