/* news2xml: news pages in, one <articles> document out. */
#include "fe.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_PAGE = 64 << 20, MAX_JOBS = 256 }; /* a larger file is not a news page */

typedef struct run {
    bt_writer *writer;
    const char *out_name; /* for write errors */
    bt_batch *batch;
    int recursive;
    fe_walk_opts walk;
    char **globs;
    size_t nglobs;
    const char *walk_dir; /* the directory being walked, for globs */
    size_t walk_added;    /* files it gave to the batch */
    size_t failed, articles, notices, skipped;
    int write_failed;
    size_t inputs_done;
    fe_progress *progress; /* NULL unless stderr is a terminal */
} run;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: news2xml [OPTION]... [FILE|DIR]...\n"
            "Turn news pages (text, HTML, MHTML) and archives of them (.zip, .warc,\n"
            ".warc.gz, .arc, .arc.gz, gzip) into the bantin article format; article\n"
            "files pass through.  With no FILE, or when FILE is -, read standard input.\n"
            "\n"
            "  -o, --output=FILE        write to FILE instead of standard output\n"
            "  -r, --recursive          read every file under each DIR (pages and archives;\n"
            "                           scripts, styles, images and JSON are skipped)\n"
            "  -g, --glob=GLOB          with -r, read only files matching GLOB, or skip\n"
            "                           them with !GLOB (repeatable; the last match wins)\n"
            "      --follow             with -r, follow symbolic links (skipped otherwise)\n"
            "  -j, --jobs=N             convert N inputs at a time (default 1); the output\n"
            "                           is the same whatever N\n"
            "      --encoding=NAME      input encoding (iconv name), instead of guessing\n"
            "  -z, --tz=OFFSET          UTC offset of printed times (default +07:00)\n"
            "  -L, --lang=CODE          language of the articles (default: as the page\n"
            "                           says, or guessed from its text)\n"
            "      --max-ratio=N        an archive may unpack to N times its size (100)\n"
            "      --max-unpacked=SIZE  and to SIZE at most (8G; K, M, G suffixes)\n"
            "      --images=DIR         store the images the inputs hold (web-archive\n"
            "                           records, zip members, files beside a saved page,\n"
            "                           data: URIs) in DIR, named by their content, and\n"
            "                           point the figures at them; nothing is fetched\n"
            "      --max-image-size=SIZE\n"
            "                           the largest image stored (32M)\n"
            "      --max-image-pixels=N the most pixels of an image stored (50M)\n"
            "  -q, --quiet              no progress bar\n"
            "  -h, --help               show this help and exit\n"
            "  -V, --version            show the version and exit\n"
            "\n"
            "A page that is not an article (a home page) is skipped with a notice.\n"
            "Exit status: 0 all pages converted, 2 some page could not be read.\n");
}

/* The batch has written the article (bt_batch_set_writer). */
static int count_article(bt_article *a, void *ctx)
{
    (void)a;
    ((run *)ctx)->articles++;
    return 0;
}

/* Writing failed (bt_batch_add, _finish or the writer's close): a write
 * error is named after the output file. */
static void batch_failed(run *r, const bt_error *err)
{
    if (err->code == BT_ERR_IO)
        fe_warn("%s: %s", r->out_name, err->msg);
    else
        fe_error(err);
    r->write_failed = 1;
}

static void problem(const char *msg, int kind, void *ctx)
{
    run *r = ctx;
    if (kind == BT_PROBLEM_SKIPPED) {
        r->skipped++; /* one notice for all of them, at the end */
        return;
    }
    /* BT_PROBLEM_IMAGE: the figure keeps its URL, a notice (once per address) */
    fe_warn("%s", msg);
    if (kind == BT_PROBLEM_FAILED)
        r->failed++;
    else
        r->notices++;
}

static void done(const char *path, int rc, const bt_error *err, void *ctx)
{
    run *r = ctx;
    (void)path;
    fe_progress_step(r->progress, ++r->inputs_done);
    if (rc < 0) {
        fe_error(err);
        r->failed++;
    }
}

static int add_listed(const char *path, void *ctx)
{
    run *r = ctx;
    size_t dl = strlen(r->walk_dir);
    const char *rel = path + dl + (path[dl] == '/');
    if (r->nglobs && !fe_glob_keep(r->globs, r->nglobs, rel))
        return 0;
    bt_error err = BT_ERROR_INIT;
    r->walk_added++;
    int rc = bt_batch_add(r->batch, path, 1, &err);
    if (rc < 0)
        batch_failed(r, &err);
    return rc;
}

static int convert_arg(run *r, const char *path)
{
    struct stat st;
    bt_error err = BT_ERROR_INIT;
    if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!r->recursive) {
            fe_warn("%s: is a directory (use -r to read the files in it)", path);
            r->failed++;
            return 0;
        }
        r->walk_dir = path;
        r->walk_added = 0;
        int rc = fe_walk(path, &r->walk, add_listed, r, &err);
        if (rc < 0 && !r->write_failed && err.msg[0]) {
            fe_error(&err);
            r->failed++;
            return 0;
        }
        /* a wrong folder in a cron job should not pass for a quiet week */
        if (rc == 0 && !r->walk_added)
            fe_warn("%s: no files to read in it%s", path,
                    r->nglobs ? " that the globs keep" : "");
        return rc;
    }
    int rc = bt_batch_add(r->batch, path, 0, &err);
    if (rc < 0)
        batch_failed(r, &err);
    return rc;
}

int main(int argc, char **argv)
{
    enum {
        OPT_MAX_RATIO = 256, OPT_MAX_UNPACKED, OPT_IMAGES, OPT_MAX_IMAGE_SIZE,
        OPT_MAX_IMAGE_PIXELS, OPT_FOLLOW
    };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},    {"recursive", no_argument, NULL, 'r'},
        {"glob", required_argument, NULL, 'g'},      {"jobs", required_argument, NULL, 'j'},
        {"follow", no_argument, NULL, OPT_FOLLOW},
        {"encoding", required_argument, NULL, 'e'},  {"tz", required_argument, NULL, 'z'},
        {"lang", required_argument, NULL, 'L'},      {"quiet", no_argument, NULL, 'q'},
        {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
        {"max-unpacked", required_argument, NULL, OPT_MAX_UNPACKED},
        {"images", required_argument, NULL, OPT_IMAGES},
        {"max-image-size", required_argument, NULL, OPT_MAX_IMAGE_SIZE},
        {"max-image-pixels", required_argument, NULL, OPT_MAX_IMAGE_PIXELS},
        {"help", no_argument, NULL, 'h'},            {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    fe_init(argv[0]);
    static run r; /* static: what it holds stays reachable to the end */
    bt_extract_opts opts = {0};
    bt_images_opts img_opts = {0};
    const char *output = NULL;
    char tz[7], *end;
    unsigned long long v;
    long jobs = 1;
    int quiet = 0, c;
    bt_error err = BT_ERROR_INIT;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:rg:j:z:L:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'r': r.recursive = 1; break;
        case OPT_FOLLOW: r.walk.follow = 1; break;
        case 'g': {
            char **g = realloc(r.globs, (r.nglobs + 1) * sizeof *g);
            if (!g) {
                fe_warn("out of memory");
                return 2;
            }
            r.globs = g;
            r.globs[r.nglobs++] = optarg;
            break;
        }
        case 'j':
            errno = 0;
            jobs = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || jobs < 1 || jobs > MAX_JOBS)
                return fe_usage_error("invalid --jobs '%s' (1 to %d)", optarg, MAX_JOBS);
            break;
        case 'e': {
            bt_buf probe = BT_BUF_INIT;
            int bad = bt_decode("", 0, optarg, NULL, &probe, NULL, &err) < 0;
            bt_buf_free(&probe);
            if (bad)
                return fe_usage_error("unknown encoding '%s'", optarg);
            opts.encoding = optarg;
            break;
        }
        case 'z':
            if (bt_tz_parse(optarg, tz) < 0)
                return fe_usage_error("invalid time zone '%s' (expected e.g. +07:00)", optarg);
            opts.tz = tz;
            break;
        case 'L':
            if (!fe_known_lang(optarg))
                return fe_usage_error("unknown language '%s' (expected e.g. vi or en)", optarg);
            opts.lang = optarg;
            break;
        case OPT_MAX_RATIO:
            if (fe_parse_size(optarg, &v) < 0 || v > 1000000)
                return fe_usage_error("invalid --max-ratio '%s' (1 to 1000000)", optarg);
            opts.max_ratio = (unsigned)v;
            break;
        case OPT_MAX_UNPACKED:
            if (fe_parse_size(optarg, &v) < 0)
                return fe_usage_error("invalid --max-unpacked '%s' (e.g. 512M, 20G)", optarg);
            opts.max_unpacked = v;
            break;
        case OPT_IMAGES:
            if (!*optarg)
                return fe_usage_error("--images needs a directory");
            img_opts.dir = optarg;
            break;
        case OPT_MAX_IMAGE_SIZE:
            if (fe_parse_size(optarg, &v) < 0 || v > (1ull << 30))
                return fe_usage_error("invalid --max-image-size '%s' (e.g. 32M, at most 1G)", optarg);
            img_opts.max_bytes = (size_t)v;
            break;
        case OPT_MAX_IMAGE_PIXELS:
            if (fe_parse_count(optarg, &v) < 0)
                return fe_usage_error("invalid --max-image-pixels '%s' (e.g. 50M)", optarg);
            img_opts.max_pixels = v;
            break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': fe_version(); return 0;
        default: return fe_option_error(c, argv);
        }
    }
    if (r.nglobs && !r.recursive)
        return fe_usage_error("--glob selects the files -r finds: add -r");
    if ((img_opts.max_bytes || img_opts.max_pixels) && !img_opts.dir)
        return fe_usage_error("--max-image-size and --max-image-pixels go with --images");

    fe_out *out = fe_out_open(output, 0, &err);
    if (!out) {
        fe_error(&err);
        return 2;
    }
    /* srcs are written relative to the folder the output goes to */
    static char *out_dir;
    if (img_opts.dir) {
        int ok = fe_mkdir_p(img_opts.dir, &err) == 0;
        if (ok && !(out_dir = fe_out_dir(output))) {
            bt_error_nomem(&err, NULL);
            ok = 0;
        }
        img_opts.out_dir = out_dir;
        if (ok && !(opts.images = bt_images_open(&img_opts, &err)))
            ok = 0;
        if (!ok) {
            fe_warn("--images: %s", err.msg);
            fe_out_abort(out);
            free(out_dir);
            return 2;
        }
    }
    r.writer = bt_writer_open(fe_out_stream(out), &err);
    r.out_name = fe_out_name(out);
    r.batch = r.writer ? bt_batch_new((unsigned)jobs, MAX_PAGE, &opts, count_article, problem,
                                      done, &r, &err)
                       : NULL;
    if (r.batch)
        bt_batch_set_writer(r.batch, r.writer);
    if (!r.batch) {
        fe_error(&err);
        bt_writer_discard(r.writer);
        fe_out_abort(out);
        bt_images_close(opts.images);
        free(out_dir);
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
        r.progress = fe_progress_new("inputs", total, quiet);
    int rc = optind == argc ? convert_arg(&r, "-") : 0;
    for (int i = optind; i < argc && rc == 0; i++)
        rc = convert_arg(&r, argv[i]);
    if (rc == 0 && (rc = bt_batch_finish(r.batch, &err)) < 0)
        batch_failed(&r, &err);
    bt_batch_free(r.batch);
    bt_images_close(opts.images);
    free(out_dir);
    fe_progress_done(r.progress);
    free(r.globs);
    fe_walk_notice(&r.walk);
    if (r.skipped)
        fe_warn("skipped %zu file%s that %s not news pages (scripts, styles, images, data)",
                r.skipped, r.skipped == 1 ? "" : "s", r.skipped == 1 ? "is" : "are");
    /* nothing converted at all: write nothing, keep an -o file as it was */
    if (rc || r.write_failed || (r.failed && !r.articles)) {
        bt_writer_discard(r.writer);
        fe_out_abort(out);
        return 2;
    }
    if (bt_writer_close(r.writer, &err) < 0) {
        batch_failed(&r, &err);
        fe_out_abort(out);
        return 2;
    }
    if (fe_out_commit(out, &err) < 0) {
        fe_error(&err);
        return 2;
    }
    return r.failed ? 2 : 0;
}
