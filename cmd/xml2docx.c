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
    const char *dir;    /* -d: one file per article */
    bt_docx *doc;       /* otherwise: the one document */
    fe_namer *namer;
    fe_progress *progress;
    size_t articles;
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
            "  -d, --directory=DIR      write one YYYY-MM-DD-slug.docx per article\n"
            "  -p, --paper=SIZE         A4 (default), A5, A3, B5, Letter, Legal or\n"
            "                           WIDTHxHEIGHT[mm|cm|in|pt]\n"
            "  -f, --font=NAME          body font (default Times New Roman)\n"
            "  -s, --font-size=PT       body size in points (default 13)\n"
            "  -m, --margin=M           margins: one length or TOP,RIGHT,BOTTOM,LEFT\n"
            "                           (default 20,15,20,30 mm)\n"
            "  -r, --reference-doc=FILE take styles and page setup from FILE.docx\n"
            "      --toc, --no-toc      always / never start with a table of contents\n"
            "                           (default: when there is more than one article)\n"
            "  -q, --quiet              no progress bar\n"
            "  -h, --help               show this help and exit\n"
            "  -V, --version            show the version and exit\n"
            "\n"
            "Exit status: 0 success, 2 an input or output failed.\n");
}

/* -d: the article as DIR/YYYY-MM-DD-slug.docx, written whole or not at all. */
static int write_one(run *r, const bt_article *a, bt_error *err)
{
    bt_buf path = BT_BUF_INIT;
    fe_out *out = NULL;
    bt_docx *d = NULL;
    int rc = -1;

    size_t base;

    if (bt_buf_adds(&path, r->dir) < 0 || bt_buf_addc(&path, '/') < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        goto done;
    }
    base = path.len;
    if (fe_namer_name(r->namer, a, "docx", &path) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* the name comes from the article (its date): it must stay in DIR */
    if (strchr(path.data + base, '/') || path.data[base] == '.') {
        bt_error_set(err, BT_ERR_INPUT, "%s: refusing an output name that leaves the directory "
                     "(bad date '%s')", path.data, a->date_when ? a->date_when : "");
        goto done;
    }
    if (!(out = fe_out_open(path.data, FE_OUT_BINARY, err)) ||
        !(d = bt_docx_open(&r->opts, err)))
        goto done;
    if (bt_docx_add_article(d, a, err) < 0)
        goto done;
    rc = bt_docx_close(d, fe_out_stream(out), err);
    d = NULL;
    if (rc < 0)
        goto done;
    rc = fe_out_commit(out, err);
    out = NULL;
    if (rc < 0)
        goto done;
done:
    if (rc < 0) {
        bt_docx_abort(d);
        fe_out_abort(out);
        if (path.data && !strchr(err->msg, '/')) { /* say which file */
            bt_error e2;
            bt_error_set(&e2, BT_ERR_INPUT, "%s: %s", path.data, err->msg);
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

    if (!rd) {
        fe_warn("%s", err.msg);
        r->failed = 1;
        return 0;
    }
    bt_article_init(&a);
    while ((got = bt_reader_next(rd, &a, &err)) == 1) {
        int rc = r->dir ? write_one(r, &a, &err) : bt_docx_add_article(r->doc, &a, &err);
        bt_article_free(&a);
        if (rc < 0) {
            fe_warn("%s", err.msg);
            bt_reader_close(rd);
            return -1;
        }
        r->articles++;
        fe_progress_step(r->progress, r->articles);
    }
    bt_article_free(&a);
    bt_reader_close(rd);
    if (got < 0) {
        fe_warn("%s", err.msg);
        r->failed = 1;
    }
    return 0;
}

/* How many <article> elements a file holds, by a quick scan of its bytes,
 * for the progress bar's total; 0 when it cannot tell (standard input). */
static size_t count_articles(const char *path)
{
    enum { TAG = 8 }; /* strlen("<article") */
    char buf[65536 + TAG];
    size_t keep = 0, n, count = 0;
    FILE *f;

    if (!strcmp(path, "-") || !(f = fopen(path, "rb")))
        return 0;
    while ((n = fread(buf + keep, 1, sizeof(buf) - keep, f)) > 0) {
        size_t len = keep + n;
        const char *p = buf, *end = buf + len;
        while ((p = memmem(p, (size_t)(end - p), "<article", TAG))) {
            if (p + TAG >= end)
                break; /* the next byte is in the next chunk */
            if (p[TAG] && strchr(" \t\r\n>/", p[TAG]))
                count++;
            p += TAG;
        }
        keep = len < TAG ? len : TAG;
        memmove(buf, end - keep, keep);
    }
    fclose(f);
    return count;
}

static int parse_size(const char *s, double *pt)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end != '\0' || !(v >= 1 && v <= 1638))
        return -1;
    *pt = v;
    return 0;
}

int main(int argc, char **argv)
{
    enum { OPT_TOC = 256, OPT_NO_TOC };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"directory", required_argument, NULL, 'd'},
        {"paper", required_argument, NULL, 'p'},
        {"font", required_argument, NULL, 'f'},
        {"font-size", required_argument, NULL, 's'},
        {"margin", required_argument, NULL, 'm'},
        {"reference-doc", required_argument, NULL, 'r'},
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
    while ((c = getopt_long(argc, argv, "o:d:p:f:s:m:r:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'd':
            r.dir = optarg;
            break;
        case 'p':
            if (bt_docx_parse_paper(&r.opts, optarg, &err) < 0) {
                fe_warn("%s", err.msg);
                return 2;
            }
            break;
        case 'f':
            if (!*optarg) {
                fe_warn("empty font name");
                return 2;
            }
            r.opts.font = optarg;
            break;
        case 's':
            if (parse_size(optarg, &r.opts.font_pt) < 0) {
                fe_warn("bad font size '%s' (points, 1 to 1638)", optarg);
                return 2;
            }
            break;
        case 'm':
            if (bt_docx_parse_margin(&r.opts, optarg, &err) < 0) {
                fe_warn("%s", err.msg);
                return 2;
            }
            break;
        case 'r':
            r.opts.reference_doc = optarg;
            break;
        case OPT_TOC:
            r.opts.toc = 1;
            break;
        case OPT_NO_TOC:
            r.opts.toc = 0;
            break;
        case 'q':
            quiet = 1;
            break;
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
    }
    if (output && r.dir) {
        fe_warn("-o and -d exclude each other");
        return 2;
    }

    if (r.dir) {
        /* the template is read once, before any article, for all of them */
        if (bt_docx_opts_load(&r.opts, &err) < 0) {
            fe_warn("%s", err.msg);
            return 2;
        }
        if (fe_mkdir_p(r.dir, &err) < 0) {
            fe_warn("%s", err.msg);
            bt_docx_opts_free(&r.opts);
            return 2;
        }
        if (!(r.namer = fe_namer_new())) {
            fe_warn("out of memory");
            bt_docx_opts_free(&r.opts);
            return 2;
        }
        if (!quiet && isatty(STDERR_FILENO)) { /* a bar needs the total */
            size_t total = 0;
            int known = optind < argc;
            for (int i = optind; i < argc; i++) {
                known = known && strcmp(argv[i], "-") != 0;
                total += count_articles(argv[i]);
            }
            r.progress = fe_progress_new("articles", known ? total : 0, quiet);
        }
    } else {
        if ((!output || !strcmp(output, "-")) && isatty(STDOUT_FILENO)) {
            fe_warn("will not write a .docx to a terminal (use -o FILE or -d DIR)");
            return 2;
        }
        if (!(r.doc = bt_docx_open(&r.opts, &err))) {
            fe_warn("%s", err.msg);
            return 2;
        }
    }

    if (optind == argc)
        rc = convert(&r, "-");
    for (int i = optind; i < argc && rc == 0; i++)
        rc = convert(&r, argv[i]);
    fe_progress_done(r.progress);
    fe_namer_free(r.namer);

    if (r.dir) {
        bt_docx_opts_free(&r.opts);
        return rc < 0 || r.failed ? 2 : 0;
    }

    /* one document: all of it or nothing */
    if (rc < 0 || r.failed) {
        bt_docx_abort(r.doc);
        return 2;
    }
    if (!(out = fe_out_open(output, FE_OUT_BINARY, &err))) {
        fe_warn("%s", err.msg);
        bt_docx_abort(r.doc);
        return 2;
    }
    if (bt_docx_close(r.doc, fe_out_stream(out), &err) < 0) {
        fe_warn("%s", err.msg);
        fe_out_abort(out);
        return 2;
    }
    if (fe_out_commit(out, &err) < 0) {
        fe_warn("%s", err.msg);
        return 2;
    }
    return 0;
}
