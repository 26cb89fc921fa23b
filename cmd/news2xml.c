/* news2xml: news pages in, one <articles> document out. */
#include "fe.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_PAGE = 64 << 20 }; /* a larger file is not a news page */

typedef struct run {
    bt_extract_opts opts;
    bt_writer *writer;
    int recursive;
    size_t failed;
    size_t articles;
    size_t notices; /* pages that are not articles */
    int write_failed;
    int quiet;
    size_t inputs_done;
    fe_progress *progress; /* NULL unless stderr is a terminal */
} run;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: news2xml [OPTION]... [FILE|DIR]...\n"
            "Turn news pages (text or HTML) and archives of them (.zip, .warc,\n"
            ".warc.gz) into the bantin article format.\n"
            "With no FILE, or when FILE is -, read standard input.\n"
            "\n"
            "  -o, --output=FILE     write to FILE instead of standard output\n"
            "  -r, --recursive       read every file under each DIR (pages and archives)\n"
            "  -e, --encoding=NAME   input encoding (iconv name), instead of guessing\n"
            "  -z, --tz=OFFSET       UTC offset of printed times (default +07:00)\n"
            "  -L, --lang=CODE       language of the articles (default: as the page says)\n"
            "  -q, --quiet           no progress messages\n"
            "  -h, --help            show this help and exit\n"
            "  -V, --version         show the version and exit\n"
            "\n"
            "A page that is not an article (a home page) is skipped with a notice.\n"
            "Exit status: 0 all pages converted, 2 some page could not be read.\n");
}

/* "-: …" from the library reads better as "(standard input): …". */
static void report(const char *msg)
{
    if (!strncmp(msg, "-: ", 3) || !strncmp(msg, "-:", 2))
        fe_warn("(standard input)%s", msg + 1);
    else
        fe_warn("%s", msg);
}

static int write_article(bt_article *a, void *ctx)
{
    run *r = ctx;
    bt_error err = BT_ERROR_INIT;
    if (bt_writer_article(r->writer, a, &err) < 0) {
        fe_warn("%s", err.msg);
        r->write_failed = 1;
        return 1; /* stop: the output is broken */
    }
    r->articles++;
    return 0;
}

static void problem(const char *msg, int failed, void *ctx)
{
    run *r = ctx;
    report(msg);
    if (failed)
        r->failed++;
    else
        r->notices++;
}

/* One input: a page, or an archive of pages (streamed). */
static int convert(const char *path, void *ctx)
{
    run *r = ctx;
    bt_error err = BT_ERROR_INIT;
    int use_stdin = !strcmp(path, "-");
    bt_extract_opts opts = r->opts;
    opts.name = use_stdin ? NULL : path;
    int rc = bt_extract_file(path, MAX_PAGE, &opts, write_article, problem, r, &err);
    fe_progress_step(r->progress, ++r->inputs_done);
    if (r->write_failed)
        return -1;
    if (rc < 0) {
        report(err.msg);
        r->failed++;
    }
    return 0; /* report, skip, go on with the others */
}

static int convert_arg(run *r, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!r->recursive) {
            fe_warn("%s: is a directory (use -r to read the files in it)", path);
            r->failed++;
            return 0;
        }
        bt_error err = BT_ERROR_INIT;
        int rc = fe_walk(path, convert, r, &err);
        if (rc < 0 && !r->write_failed) {
            fe_warn("%s", err.msg);
            r->failed++;
            return 0;
        }
        return rc;
    }
    return convert(path, r);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"recursive", no_argument, NULL, 'r'},
        {"encoding", required_argument, NULL, 'e'},
        {"tz", required_argument, NULL, 'z'},
        {"lang", required_argument, NULL, 'L'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    fe_init(argv[0]);
    run r = {0};
    const char *output = NULL;
    char tz[7];
    int c;
    while ((c = getopt_long(argc, argv, "o:re:z:L:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'r':
            r.recursive = 1;
            break;
        case 'e':
            r.opts.encoding = optarg;
            break;
        case 'z':
            if (bt_tz_parse(optarg, tz) < 0) {
                fe_warn("invalid time zone '%s' (expected e.g. +07:00)", optarg);
                return 2;
            }
            r.opts.tz = tz;
            break;
        case 'L':
            r.opts.lang = optarg;
            break;
        case 'q':
            r.quiet = 1;
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

    bt_error err = BT_ERROR_INIT;
    fe_out *out = fe_out_open(output, 0, &err);
    if (!out) {
        fe_warn("%s", err.msg);
        return 2;
    }
    r.writer = bt_writer_open(fe_out_stream(out), &err);
    if (!r.writer) {
        fe_warn("%s", err.msg);
        fe_out_abort(out);
        return 2;
    }
    /* the total is known when no directory is to be walked */
    size_t total = (size_t)(argc - optind);
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            total = 0;
    }
    if (total > 1 || (r.recursive && !total))
        r.progress = fe_progress_new("inputs", total, r.quiet);
    int rc = 0;
    if (optind == argc)
        rc = convert("-", &r);
    for (int i = optind; i < argc && rc == 0; i++)
        rc = convert_arg(&r, argv[i]);

    fe_progress_done(r.progress);
    /* nothing converted at all: write nothing, keep an -o file as it was */
    if (rc < 0 || r.write_failed || (r.failed && !r.articles)) {
        bt_writer_discard(r.writer);
        fe_out_abort(out);
        return 2;
    }
    if (bt_writer_close(r.writer, &err) < 0) {
        fe_error(&err);
        fe_out_abort(out);
        return 2;
    }
    if (fe_out_commit(out, &err) < 0) {
        fe_error(&err);
        return 2;
    }
    return r.failed ? 2 : 0;
}
