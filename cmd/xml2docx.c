/* xml2docx: articles in the bantin format out as Word (.docx) documents,
 * all in one, or one per article with -d DIR. */
#include "fe.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct run {
    bt_docx_opts opts;
    const char *dir;    /* -d: one file per article */
    bt_docx *doc;       /* otherwise: the one document */
    fe_namer *namer;
    fe_progress *progress;
    size_t articles;
    size_t remote;      /* remote images left out (only the first is told) */
    int failed;         /* an input could not be read */
} run;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: xml2docx [OPTION]... [FILE]...\n"
            "Write articles in the bantin format as Word documents (.docx).\n"
            "With no FILE, or when FILE is -, read standard input.\n"
            "\n"
            "  -o, --output=FILE        write one document holding every article\n"
            "                           to FILE (default: standard output)\n"
            "  -d, --dir=DIR            write one YYYY-MM-DD-slug.docx per article\n"
            "  -p, --paper=SIZE         A4 (default), A5, A3, B5, Letter, Legal or\n"
            "                           WIDTHxHEIGHT[mm|cm|in|pt]\n"
            "  -f, --font=NAME          body font (default Times New Roman)\n"
            "  -s, --font-size=PT       body size in points, 1 to 1638 (default 13)\n"
            "  -m, --margin=M           margins: one length or TOP,RIGHT,BOTTOM,LEFT\n"
            "                           (default 20,15,20,30 mm)\n"
            "  -L, --lang=LANG          words of the page numbers and headings:\n"
            "                           vi, en or fr (default: the first article's)\n"
            "      --reference-doc=FILE take styles and page setup from FILE.docx\n"
            "      --toc, --no-toc      always / never start with a table of contents\n"
            "                           (default: when there is more than one article)\n"
            "  -q, --quiet              no progress bar\n"
            "  -h, --help               show this help and exit\n"
            "  -V, --version            show the version and exit\n"
            "\n"
            "Figures show their image when src is a local JPEG, PNG or GIF file\n"
            "(relative to the XML file); remote images are never fetched.\n"
            "Exit status: 0 success, 2 an input or output failed.\n");
}

/* A figure left without its image: said once for remote ones (they are
 * the normal case of a scraped archive), every time for the others. */
static void notice(bt_docx_notice kind, const char *msg, void *ctx)
{
    run *r = ctx;

    if (kind == BT_DOCX_IMAGE_REMOTE && r->remote++ > 0)
        return;
    fe_warn("%s", msg);
}

/* -d: the article as DIR/YYYY-MM-DD-slug.docx, written whole or not at all. */
static int write_one(run *r, const char *input, const bt_article *a, bt_error *err)
{
    bt_buf path = BT_BUF_INIT;
    fe_out *out = NULL;
    bt_docx *d = NULL;
    int rc = -1;

    if (bt_buf_addf(&path, "%s/", r->dir) < 0 || fe_namer_name(r->namer, a, "docx", &path) < 0) {
        bt_error_nomem(err, NULL);
        goto done;
    }
    if (!(out = fe_out_open(path.data, FE_OUT_BINARY, err)) ||
        !(d = bt_docx_open(&r->opts, err)) || bt_docx_set_source(d, input, err) < 0 ||
        bt_docx_add_article(d, a, err) < 0)
        goto done;
    rc = bt_docx_close(d, fe_out_stream(out), err);
    d = NULL;
    if (rc == 0) {
        rc = fe_out_commit(out, err);
        out = NULL;
    }
done:
    if (rc < 0) {
        bt_docx_abort(d);
        fe_out_abort(out);
        if (!strstr(err->msg, path.data)) { /* say which file */
            bt_error e2;
            bt_error_set(&e2, err->code, "%s: %s", path.data, err->msg);
            *err = e2;
        }
    }
    bt_buf_free(&path);
    return rc;
}

/* Returns -1 on an output failure (stop), 0 otherwise (a bad input only
 * sets r->failed). */
static int convert(run *r, const char *path)
{
    bt_error err = BT_ERROR_INIT;
    bt_article a;
    bt_reader *rd = bt_reader_open_file(path, &err);
    int got;

    if (!rd || (r->doc && bt_docx_set_source(r->doc, path, &err) < 0)) {
        fe_error(&err);
        bt_reader_close(rd);
        r->failed = 1;
        return rd ? -1 : 0;
    }
    bt_article_init(&a);
    while ((got = bt_reader_next(rd, &a, &err)) == 1) {
        int rc = r->dir ? write_one(r, path, &a, &err) : bt_docx_add_article(r->doc, &a, &err);
        bt_article_free(&a);
        if (rc < 0) {
            fe_error(&err);
            bt_reader_close(rd);
            return -1;
        }
        fe_progress_step(r->progress, ++r->articles);
    }
    bt_article_free(&a);
    bt_reader_close(rd);
    if (got < 0) {
        fe_error(&err);
        r->failed = 1;
    }
    return 0;
}

/* The articles in the named files, for the progress bar's total, by the
 * library's splitter (no parsing); 0 when it cannot tell (standard input,
 * or an input that will fail anyway). */
static size_t count_articles(char **files, int n)
{
    size_t total = 0;

    for (int i = 0; i < n; i++) {
        bt_error err = BT_ERROR_INIT;
        bt_rawarticle raw;
        bt_artscan *s;
        int fd;

        if (!strcmp(files[i], "-") || (fd = open(files[i], O_RDONLY | O_CLOEXEC)) < 0)
            return 0;
        if ((s = bt_artscan_open(fd, files[i], &err))) {
            while (bt_artscan_next(s, &raw, &err) == 1)
                total++;
            bt_artscan_close(s);
        }
        close(fd);
    }
    return total;
}

/* Options that take a value: 0, or 2 (the exit status) after saying why
 * in one line. */
static int option(run *r, int c, const char *arg)
{
    bt_error err = BT_ERROR_INIT;
    char *end;

    switch (c) {
    case 'p':
        if (bt_docx_parse_paper(&r->opts, arg, &err) < 0)
            break;
        return 0;
    case 'm':
        if (bt_docx_parse_margin(&r->opts, arg, &err) < 0)
            break;
        return 0;
    case 'L':
        if (bt_docx_parse_lang(&r->opts, arg, &err) < 0)
            break;
        return 0;
    case 'f':
        if (!*arg) {
            bt_error_set(&err, BT_ERR_USAGE, "empty font name");
            break;
        }
        r->opts.font = arg;
        return 0;
    case 's':
        r->opts.font_pt = strtod(arg, &end);
        if (end == arg || *end || !(r->opts.font_pt >= 1 && r->opts.font_pt <= 1638)) {
            bt_error_set(&err, BT_ERR_USAGE, "bad font size '%s' (points, 1 to 1638)", arg);
            break;
        }
        return 0;
    default:
        return 0;
    }
    fe_error(&err);
    return 2;
}

int main(int argc, char **argv)
{
    enum { OPT_TOC = 256, OPT_NO_TOC, OPT_REF };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"dir", required_argument, NULL, 'd'},
        {"directory", required_argument, NULL, 'd'}, /* the old name, kept */
        {"paper", required_argument, NULL, 'p'},
        {"font", required_argument, NULL, 'f'},
        {"font-size", required_argument, NULL, 's'},
        {"margin", required_argument, NULL, 'm'},
        {"lang", required_argument, NULL, 'L'},
        {"reference-doc", required_argument, NULL, OPT_REF},
        {"toc", no_argument, NULL, OPT_TOC},
        {"no-toc", no_argument, NULL, OPT_NO_TOC},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    bt_error err = BT_ERROR_INIT;
    fe_out *out = NULL;
    int quiet = 0, c, rc = 0;
    run r;

    fe_init(argv[0]);
    memset(&r, 0, sizeof(r));
    bt_docx_opts_init(&r.opts);
    r.opts.on_notice = notice;
    r.opts.notice_ctx = &r;
    opterr = 0; /* our messages, one line each */
    while ((c = getopt_long(argc, argv, ":o:d:p:f:s:m:L:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'd': r.dir = optarg; break;
        case OPT_REF: r.opts.reference_doc = optarg; break;
        case OPT_TOC: r.opts.toc = 1; break;
        case OPT_NO_TOC: r.opts.toc = 0; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': fe_version(); return 0;
        case ':':
            return fe_usage_error("option '%s' needs a value", argv[optind - 1]);
        case '?':
            if (optopt)
                return fe_usage_error("unknown option '-%c'", optopt);
            return fe_usage_error("unknown option '%s'", argv[optind - 1]);
        default:
            if (option(&r, c, optarg))
                return 2;
        }
    }
    if (output && r.dir)
        return fe_usage_error("-o and -d exclude each other");
    if (!r.dir && (!output || !strcmp(output, "-")) && isatty(STDOUT_FILENO)) {
        fe_warn("will not write a .docx to a terminal (use -o FILE or -d DIR)");
        return 2;
    }
    /* checked, and the template read, once before any article */
    if (bt_docx_opts_load(&r.opts, &err) < 0) {
        fe_error(&err);
        return 2;
    }
    if (r.dir) {
        if (fe_mkdir_p(r.dir, &err) < 0 || !(r.namer = fe_namer_new())) {
            if (!r.namer && !err.msg[0])
                bt_error_nomem(&err, NULL);
            fe_error(&err);
            bt_docx_opts_free(&r.opts);
            return 2;
        }
        if (!quiet && isatty(STDERR_FILENO)) /* a bar needs the total */
            r.progress = fe_progress_new("articles", count_articles(argv + optind, argc - optind),
                                         quiet);
    } else if (!(r.doc = bt_docx_open(&r.opts, &err))) {
        fe_error(&err);
        bt_docx_opts_free(&r.opts);
        return 2;
    }

    if (optind == argc)
        rc = convert(&r, "-");
    for (int i = optind; i < argc && rc == 0; i++)
        rc = convert(&r, argv[i]);
    fe_progress_done(r.progress);
    fe_namer_free(r.namer);
    if (r.remote > 1)
        fe_warn("%zu more remote image%s not fetched (captions only)", r.remote - 1,
                r.remote > 2 ? "s" : "");

    if (!r.dir) { /* one document: all of it or nothing */
        if (rc < 0 || r.failed) {
            bt_docx_abort(r.doc);
            rc = -1;
        } else if (!(out = fe_out_open(output, FE_OUT_BINARY, &err))) {
            bt_docx_abort(r.doc);
            rc = -1;
        } else if (bt_docx_close(r.doc, fe_out_stream(out), &err) < 0) {
            fe_out_abort(out);
            rc = -1;
        } else {
            rc = fe_out_commit(out, &err);
        }
        if (rc < 0 && err.msg[0])
            fe_error(&err);
    }
    bt_docx_opts_free(&r.opts);
    return rc < 0 || r.failed ? 2 : 0;
}
