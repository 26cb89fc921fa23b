/* xml2docx: articles in the bantin format out as Word (.docx) documents,
 * all in one, or one per article with -d DIR. */
#include "fe.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct run {
    bt_docx_opts opts;
    bt_select_opts sel_opts;
    fe_inputs *in;
    bt_docx *doc;       /* the one document (not -d) */
    const char *dir;    /* -d: one file per article */
    size_t remote;      /* remote images left out (only the first is told) */
    int quiet;
} run;

static void usage(void)
{
    printf("Usage: xml2docx [OPTION]... [FILE]...\n"
           "Write articles in the bantin format as Word documents (.docx).\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n"
           "  -o, --output=FILE        one document holding every article (default:\n"
           "                           standard output)\n"
           "  -d, --dir=DIR            one YYYY-MM-DD-slug.docx per article in DIR\n"
           "  -S, --sort=ORDER         date (newest first), newest, oldest or input\n"
           "                           (the default)\n"
           "      --keep-duplicates    keep the copies of one story (same id, or same\n"
           "                           title and lead); they are dropped by default\n"
           "      --group-by=section   articles under their section's head\n"
           "  -p, --paper=SIZE         A4 (default), A3, A5, B5, Letter, Legal or\n"
           "                           WIDTHxHEIGHT such as 210x297mm\n"
           "  -m, --margin=LENGTHS     one length or TOP,RIGHT,BOTTOM,LEFT\n"
           "                           (default 20,15,20,30mm)\n"
           "  -f, --font=\"FAMILY [SIZE]\" body font (default \"Times New Roman 13\")\n"
           "      --font-size=PT       body size in points, 1 to 1638 (default 13)\n"
           "  -L, --lang=CODE          words of the page numbers and headings:\n"
           "                           vi, en or fr (default: the first article's)\n"
           "      --reference-doc=FILE take styles and page setup from FILE.docx\n"
           "      --toc, --no-toc      always / never start with a table of contents\n"
           "                           (default: when there is more than one article)\n"
           "  -q, --quiet              no progress bar and no notices\n"
           "  -h, --help               show this help and exit\n"
           "  -V, --version            show the version and exit\n"
           "\n"
           "Figures show their image when src is a local JPEG, PNG or GIF file\n"
           "(relative to the XML file); remote images are never fetched.\n"
           "Exit status: 0 success, 1 nothing to write, 2 an input or output failed.\n");
}

/* A figure left without its image: said once for remote ones (they are
 * the normal case of a scraped archive), every time for the others. */
static void notice(bt_docx_notice kind, const char *msg, void *ctx)
{
    run *r = ctx;
    if (r->quiet || (kind == BT_DOCX_IMAGE_REMOTE && r->remote++ > 0))
        return;
    fe_warn("%s", msg);
}

/* ---- one document ---- */

static int docx_section(void *ctx, const char *name, bt_error *err)
{
    return bt_docx_section(((run *)ctx)->doc, name, err);
}

static int docx_article(void *ctx, const bt_article *a, bt_error *err)
{
    return bt_docx_add_article(((run *)ctx)->doc, a, err);
}

static int docx_finish(void *ctx, FILE *f, bt_error *err)
{
    run *r = ctx;
    int rc = bt_docx_close(r->doc, f, err);
    r->doc = NULL;
    return rc;
}

static void docx_drop(void *ctx)
{
    run *r = ctx;
    bt_docx_abort(r->doc);
    r->doc = NULL;
}

/* The document is built in memory as the articles come, and written out
 * whole at the end. */
static int write_one(run *r, const char *output)
{
    bt_error err = BT_ERROR_INIT;
    if (!(r->doc = bt_docx_open(&r->opts, &err))) {
        fe_error(&err);
        return 2;
    }
    fe_sink build = {docx_section, docx_article, r};
    fe_doc_job job = {output, "write", &build, NULL, NULL, docx_finish, docx_drop, r};
    return fe_print_doc(r->in, &r->sel_opts, r->quiet, &job);
}

/* ---- -d DIR: one document per article ---- */

static int write_article(void *ctx, const bt_article *a, FILE *f, bt_error *err)
{
    bt_docx *d = bt_docx_open(&((run *)ctx)->opts, err);
    if (!d || bt_docx_add_article(d, a, err) < 0) {
        bt_docx_abort(d);
        return -1;
    }
    return bt_docx_close(d, f, err);
}

/* ---- options ---- */

enum { OPT_SIZE = 256, OPT_TOC, OPT_NO_TOC, OPT_REF, OPT_GROUP, OPT_KEEP };

/* -f "Times New Roman 13": a family, and a size when the last word is a
 * number, as xml2pdf takes it. */
static int font_option(run *r, char *arg, bt_error *err)
{
    char *sp = strrchr(arg, ' ');
    char *end;
    if (sp && sp[1] >= '0' && sp[1] <= '9') {
        double pt = strtod(sp + 1, &end);
        if (*end || !(pt >= 1 && pt <= 1638)) {
            bt_error_set(err, BT_ERR_USAGE, "bad font size in '%s' (1 to 1638 points)", arg);
            return -1;
        }
        r->opts.font_pt = pt;
        *sp = '\0';
    }
    if (!*arg) {
        bt_error_set(err, BT_ERR_USAGE, "empty font name");
        return -1;
    }
    r->opts.font = arg;
    return 0;
}

/* Options that take a value: 0, or -1 with err. */
static int option(run *r, int c, char *arg, bt_error *err)
{
    char *end;
    switch (c) {
    case 'p': return bt_docx_parse_paper(&r->opts, arg, err);
    case 'm': return bt_docx_parse_margin(&r->opts, arg, err);
    case 'L': return bt_docx_parse_lang(&r->opts, arg, err);
    case 'f': return font_option(r, arg, err);
    case 'S': return bt_sort_parse(arg, &r->sel_opts.sort, err);
    case OPT_GROUP:
        if (strcmp(arg, "section")) {
            bt_error_set(err, BT_ERR_USAGE, "cannot group by '%s' (only: section)", arg);
            return -1;
        }
        r->sel_opts.group_by_section = 1;
        return 0;
    case OPT_SIZE:
        r->opts.font_pt = strtod(arg, &end);
        if (end == arg || *end || !(r->opts.font_pt >= 1 && r->opts.font_pt <= 1638)) {
            bt_error_set(err, BT_ERR_USAGE, "bad font size '%s' (points, 1 to 1638)", arg);
            return -1;
        }
        return 0;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"dir", required_argument, NULL, 'd'},
        {"directory", required_argument, NULL, 'd'}, /* the old name, kept */
        {"sort", required_argument, NULL, 'S'}, {"keep-duplicates", no_argument, NULL, OPT_KEEP},
        {"group-by", required_argument, NULL, OPT_GROUP}, {"paper", required_argument, NULL, 'p'},
        {"font", required_argument, NULL, 'f'}, {"font-size", required_argument, NULL, OPT_SIZE},
        {"margin", required_argument, NULL, 'm'}, {"lang", required_argument, NULL, 'L'},
        {"reference-doc", required_argument, NULL, OPT_REF}, {"toc", no_argument, NULL, OPT_TOC},
        {"no-toc", no_argument, NULL, OPT_NO_TOC}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    fe_init(argv[0]);
    run r;
    memset(&r, 0, sizeof r);
    bt_docx_opts_init(&r.opts);
    r.opts.on_notice = notice;
    r.opts.notice_ctx = &r;
    r.sel_opts.sort = BT_SORT_INPUT;
    const char *output = NULL;
    bt_error err = BT_ERROR_INIT;
    int c, status = 2;
    opterr = 0; /* our messages, one line each */
    while ((c = getopt_long(argc, argv, ":o:d:S:p:f:m:L:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'd': r.dir = optarg; break;
        case OPT_REF: r.opts.reference_doc = optarg; break;
        case OPT_TOC: r.opts.toc = 1; break;
        case OPT_NO_TOC: r.opts.toc = 0; break;
        case OPT_KEEP: r.sel_opts.keep_duplicates = 1; break;
        case 'q': r.quiet = 1; break;
        case 'h': usage(); return 0;
        case 'V': fe_version(); return 0;
        case ':': case '?': return fe_option_error(c, argv);
        default:
            if (option(&r, c, optarg, &err) < 0) {
                fe_error(&err);
                return 2;
            }
        }
    }
    if (output && r.dir)
        return fe_usage_error("-o and -d cannot be used together");
    if (!r.dir && (!output || !strcmp(output, "-")) && isatty(STDOUT_FILENO)) {
        fe_warn("will not write a .docx to a terminal (use -o FILE or -d DIR)");
        return 2;
    }
    /* checked, and the template read, once before any article */
    if (bt_docx_opts_load(&r.opts, &err) < 0 ||
        !(r.in = fe_inputs_new(argv + optind, (size_t)(argc - optind), r.quiet, &err))) {
        fe_error(&err);
        goto done;
    }
    fe_dir_job job = {r.dir, "docx", "write", write_article, &r};
    status = r.dir ? fe_print_dir(r.in, &r.sel_opts, r.quiet, &job) : write_one(&r, output);
    if (r.remote > 1 && !r.quiet)
        fe_warn("%zu more remote image%s not fetched (captions only)", r.remote - 1,
                r.remote > 2 ? "s" : "");
done:
    fe_inputs_free(r.in);
    bt_docx_opts_free(&r.opts);
    return status;
}
