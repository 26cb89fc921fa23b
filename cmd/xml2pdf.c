/* xml2pdf: articles in, PDF out — one document, one per article (-d), or
 * a printed bulletin with masthead, contents and page numbers. */
#include "fe.h"

#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(void)
{
    printf("Usage: xml2pdf [OPTION]... [FILE]...\n"
           "Typeset articles in the bantin format as PDF.\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n"
           "  -o, --output=FILE        write one PDF to FILE (default standard output)\n"
           "  -d, --dir=DIR            one PDF per article in DIR, named YYYY-MM-DD-slug.pdf\n"
           "  -b, --bulletin           a bulletin: masthead, contents, header and footer;\n"
           "                           articles run on, sorted newest first\n"
           "      --page-per-article   a bulletin's articles each from a new page\n"
           "  -T, --title=TEXT         bulletin title\n"
           "  -I, --issue=TEXT         bulletin issue, e.g. \"Số 28\"\n"
           "  -D, --date=YYYY-MM-DD    bulletin date (default SOURCE_DATE_EPOCH or today)\n"
           "  -P, --publisher=TEXT     the issuing body, top left of the masthead\n"
           "  -N, --notice=TEXT        a line top right, e.g. \"Lưu hành nội bộ\"\n"
           "      --logo=FILE          a PNG or JPEG logo for the masthead\n"
           "  -S, --sort=ORDER         date (newest first), newest, oldest or input\n"
           "                           (default: date for a bulletin, else input)\n"
           "      --keep-duplicates    keep the copies of one story (same id, or same\n"
           "                           title and lead); they are dropped by default\n"
           "      --group-by=section   articles under their section's head\n"
           "  -L, --lang=CODE          words the PDF adds: vi or en (default: the\n"
           "                           articles' language)\n"
           "      --columns=N          1 or 2 columns of body text\n"
           "  -p, --paper=NAME         A4 (default), A3, A5, B5, Letter, Legal or\n"
           "                           WIDTHxHEIGHT such as 210x297mm\n"
           "  -m, --margin=LENGTHS     one length (20mm, the default) or four,\n"
           "                           TOP,RIGHT,BOTTOM,LEFT such as 20,15,20,30mm\n"
           "  -f, --font=\"FAMILY SIZE\" body font (default \"Noto Serif 10.5\")\n"
           "      --style=FILE         settings from \"key = value\" lines (see xml2pdf(1))\n"
           "  -q, --quiet              no progress bar and no notices\n"
           "  -h, --help               show this help and exit\n"
           "  -V, --version            show the version and exit\n"
           "\n"
           "Exit status: 0 on success, 1 when there is nothing to print, 2 on any error\n"
           "(no output file is left).\n");
}

typedef struct run {
    fe_inputs *in;
    bt_pdf_opts opts;
    int quiet;
    bt_pdf *pdf;
    const char *dir; /* -d: one file per article */
} run;

static void notice(const char *msg, int failed, void *ctx)
{
    (void)failed;
    if (!((run *)ctx)->quiet)
        fe_warn("%s", msg);
}

/* ---- one PDF ---- */

static int pdf_section(void *ctx, const char *name, bt_error *err)
{
    return bt_pdf_section(((run *)ctx)->pdf, name, err);
}

static int pdf_measure(void *ctx, const bt_article *a, bt_error *err)
{
    return bt_pdf_measure(((run *)ctx)->pdf, a, err);
}

static int pdf_add(void *ctx, const bt_article *a, bt_error *err)
{
    return bt_pdf_add(((run *)ctx)->pdf, a, err);
}

static int pdf_start(void *ctx, FILE *f, bt_error *err)
{
    return bt_pdf_start(((run *)ctx)->pdf, f, err);
}

static int pdf_finish(void *ctx, FILE *f, bt_error *err)
{
    (void)f; /* written into as the pages were drawn */
    run *r = ctx;
    if (bt_pdf_finish(r->pdf, err) < 0)
        return -1;
    bt_pdf_free(r->pdf);
    r->pdf = NULL;
    return 0;
}

static void pdf_drop(void *ctx)
{
    run *r = ctx;
    bt_pdf_free(r->pdf);
    r->pdf = NULL;
}

/* A bulletin measures every article first (the contents' page numbers),
 * then typesets them in the same order; a plain PDF takes one pass. */
static int write_one(run *r, const char *output)
{
    bt_error err = BT_ERROR_INIT;
    if (!(r->pdf = bt_pdf_new(&r->opts, &err))) {
        fe_error(&err);
        return 2;
    }
    bt_select_opts so;
    bt_pdf_select_opts(&r->opts, &so);
    fe_sink measure = {pdf_section, pdf_measure, r}, draw = {pdf_section, pdf_add, r};
    fe_doc_job job = {output, "print", r->opts.bulletin ? &measure : NULL, pdf_start, &draw,
                      pdf_finish, pdf_drop, r};
    return fe_print_doc(r->in, &so, r->quiet, &job);
}

/* ---- -d DIR: one PDF per article ---- */

static int write_article(void *ctx, const bt_article *a, FILE *f, bt_error *err)
{
    bt_pdf *pdf = bt_pdf_new(&((run *)ctx)->opts, err);
    int rc = pdf && bt_pdf_start(pdf, f, err) == 0 && bt_pdf_add(pdf, a, err) == 0 &&
                     bt_pdf_finish(pdf, err) == 0 ? 0 : -1;
    bt_pdf_free(pdf);
    return rc;
}

static int write_dir(run *r)
{
    bt_select_opts so;
    bt_pdf_select_opts(&r->opts, &so);
    fe_dir_job job = {r->dir, "pdf", "print", write_article, r};
    return fe_print_dir(r->in, &so, r->quiet, &job);
}

/* ---- options ---- */

typedef struct setting {
    const char *key, *value;
} setting;

/* The style file, then the command line's settings over it, then the
 * defaults that depend on them. */
static int settings(run *r, const char *style, const setting *set, size_t nset)
{
    bt_error err = BT_ERROR_INIT;
    if (style && bt_pdf_opts_load(&r->opts, style, &err) < 0) {
        fe_error(&err);
        return -1;
    }
    for (size_t i = 0; i < nset; i++) {
        if (bt_pdf_opts_set(&r->opts, set[i].key, set[i].value, &err) < 0) {
            fe_warn("--%s: %s", set[i].key, err.msg);
            return -1;
        }
    }
    r->opts.created = fe_source_date_epoch();
    if (r->opts.bulletin && !r->opts.date) {
        time_t now = r->opts.created >= 0 ? (time_t)r->opts.created : time(NULL);
        struct tm tm;
        char day[16];
        if (r->opts.created >= 0 ? !gmtime_r(&now, &tm) : !localtime_r(&now, &tm))
            memset(&tm, 0, sizeof tm);
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        if (bt_pdf_opts_set(&r->opts, "date", day, &err) < 0) {
            fe_error(&err);
            return -1;
        }
    }
    if (bt_pdf_opts_check(&r->opts, &err) < 0) {
        fe_error(&err);
        return -1;
    }
    r->opts.on_notice = notice;
    r->opts.notice_ctx = r;
    return 0;
}

int main(int argc, char **argv)
{
    fe_init(argv[0]);
    /* Typesetting allocates and frees a page's worth of memory over and
     * over: keep it instead of giving it back to the kernel each time. */
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
    enum { OPT_PAGE = 256, OPT_LOGO, OPT_KEEP };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"dir", required_argument, NULL, 'd'},
        {"bulletin", no_argument, NULL, 'b'}, {"page-per-article", no_argument, NULL, OPT_PAGE},
        {"title", required_argument, NULL, 'T'}, {"issue", required_argument, NULL, 'I'},
        {"date", required_argument, NULL, 'D'}, {"publisher", required_argument, NULL, 'P'},
        {"notice", required_argument, NULL, 'N'}, {"logo", required_argument, NULL, OPT_LOGO},
        {"sort", required_argument, NULL, 'S'}, {"keep-duplicates", no_argument, NULL, OPT_KEEP},
        {"group-by", required_argument, NULL, 'g'}, {"lang", required_argument, NULL, 'L'},
        {"columns", required_argument, NULL, 'c'}, {"paper", required_argument, NULL, 'p'},
        {"margin", required_argument, NULL, 'm'}, {"font", required_argument, NULL, 'f'},
        {"style", required_argument, NULL, 's'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const char *const keys[128] = {
        ['T'] = "title", ['I'] = "issue", ['D'] = "date", ['P'] = "publisher",
        ['N'] = "notice", ['S'] = "sort", ['g'] = "group-by", ['L'] = "lang",
        ['c'] = "columns", ['p'] = "paper", ['m'] = "margin", ['f'] = "font",
    };
    run r = {0};
    const char *output = NULL, *style = NULL;
    setting set[64];
    size_t nset = 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:d:bT:I:D:P:N:S:L:p:m:f:qhV", longopts,
                            NULL)) != -1) {
        setting s = {NULL, optarg};
        switch (c) {
        case 'o': output = optarg; break;
        case 'd': r.dir = optarg; break;
        case 's': style = optarg; break;
        case 'q': r.quiet = 1; break;
        case 'b': s = (setting){"bulletin", "yes"}; break;
        case OPT_PAGE: s = (setting){"layout", "page-per-article"}; break;
        case OPT_KEEP: s = (setting){"duplicates", "keep"}; break;
        case OPT_LOGO: s.key = "logo"; break;
        case 'h': usage(); return 0;
        case 'V': fe_version(); return 0;
        case ':': case '?': return fe_option_error(c, argv);
        default: s.key = c > 0 && c < 128 ? keys[c] : NULL; break;
        }
        if (s.key) {
            if (nset == sizeof set / sizeof set[0])
                return fe_usage_error("too many options");
            set[nset++] = s;
        }
    }
    if (output && r.dir)
        return fe_usage_error("-o and -d cannot be used together");
    bt_pdf_opts_init(&r.opts);
    int status = 2;
    bt_error err = BT_ERROR_INIT;
    if (settings(&r, style, set, nset) < 0)
        goto done;
    if (r.dir && r.opts.bulletin) {
        status = fe_usage_error("--bulletin makes one PDF: use -o, not -d");
        goto done;
    }
    r.in = fe_inputs_new(argv + optind, (size_t)(argc - optind), r.quiet, &err);
    if (!r.in) {
        fe_error(&err);
        goto done;
    }
    status = r.dir ? write_dir(&r) : write_one(&r, output);
done:
    fe_inputs_free(r.in);
    bt_pdf_opts_free(&r.opts);
    bt_pdf_shutdown();
    return status;
}
