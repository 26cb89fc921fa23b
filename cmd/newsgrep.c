/* newsgrep: keep the articles of a stream that match, folded the way
 * Vietnamese readers type.  The search is the library's (bt_search); this
 * file reads the options and prints. */
#include "fe.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum output_kind { OUT_XML, OUT_JSON, OUT_LIST, OUT_COUNT, OUT_SNIPPETS, OUT_QUIET };

typedef struct run {
    bt_matcher *matcher;
    bt_search *search;
    enum output_kind out;
    FILE *f;
    int invert, with_filename, color, recursive;
    fe_walk_opts walk;
    int started;   /* the XML document has begun */
    int errors;    /* something could not be read or searched */
    int done;      /* -q found a match: stop reading */
    unsigned long long total, in_file; /* selected articles: all, this input */
    bt_buf line;
} run;

static void usage(void)
{
    printf("Usage: newsgrep [OPTION]... PATTERN [FILE|DIR]...\n"
           "   or: newsgrep [OPTION]... -e PATTERN... [FILE|DIR]...\n"
           "Keep the articles of article streams (plain or gzip'd) that match PATTERN;\n"
           "with no FILE, or when FILE is -, read standard input.  A pattern without\n"
           "diacritics matches any (\"quan uy\" finds \"Quận ủy\"); one with diacritics\n"
           "matches them, the tone of oa, oe, uy on either vowel (ủy = uỷ).\n\n"
           "  -e, --regexp=PATTERN   a pattern; repeat for more (any may match)\n"
           "  -t, --title=PATTERN    a pattern that must match the title\n"
           "      --all              every -e pattern must match, not just one\n"
           "  -E, --regex            PCRE2 regular expressions (-F: literal, the default)\n"
           "  -w, --word             match whole words only\n"
           "  -i, --ignore-case      ignore case (default: smart case; -s: respect it)\n"
           "      --exact            no folding: the text as written (NFC)\n"
           "      --in=FIELDS        title,body,byline,source,related (default title,body)\n"
           "  -v, --invert-match     keep the articles that do not match\n"
           "      --since=DATE       dated DATE or later (--until: or earlier); YYYY-MM-DD,\n"
           "                         DD/MM/YYYY, today, yesterday, 7d, 2w\n"
           "      --lang=CODE        in this language (vi, en, vi-VN, ...)\n"
           "      --unique           drop articles whose id was already kept\n"
           "  -o, --output=FILE      write to FILE (default: standard output)\n"
           "  -l, --list             FILE<TAB>ID<TAB>DATE<TAB>TITLE per article\n"
           "  -c, --count            the number of matching articles (-H: per file)\n"
           "  -O, --snippets         each match in context: FILE:ID: ...context...\n"
           "      --color[=WHEN]     highlight snippets: auto (default), always, never\n"
           "      --format=FORMAT    xml (default: one <articles> document) or json\n"
           "  -q, --quiet            no output; exit 0 at the first match\n"
           "  -r, --recursive        search the *.xml and *.xml.gz files under each DIR\n"
           "      --follow           with -r, follow symbolic links (skipped otherwise)\n"
           "  -h, --help             show this help;  -V, --version: the version\n\n"
           "Exit status: 0 some article matched, 1 none did, 2 an error occurred.\n");
}

static void put(run *r, const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, r->f) != n) {
        if (errno != EPIPE)
            fe_warn("cannot write the output: %s", strerror(errno));
        exit(2); /* a closed pipe ends it quietly */
    }
}

#define puts_(r, s) put((r), (s), strlen(s))

typedef struct snippet_ctx {
    run *r;
    const char *file, *id;
} snippet_ctx;

static int print_snippet(void *arg, unsigned field, const char *text, size_t len,
                         size_t start, size_t end)
{
    const snippet_ctx *c = arg;
    run *r = c->r;
    (void)field;
    bt_buf_reset(&r->line);
    if (bt_snippet(text, len, start, end, 40, r->color ? "\033[1;31m" : "",
                   r->color ? "\033[0m" : "", &r->line) < 0)
        return -1;
    if (r->color)
        fprintf(r->f, "\033[35m%s\033[0m:\033[32m%s\033[0m: ", c->file, c->id);
    else
        fprintf(r->f, "%s:%s: ", c->file, c->id);
    put(r, r->line.data, r->line.len);
    puts_(r, "\n");
    return 0;
}

/* Writes a selected article; 1 stops the search (-q). */
static int on_found(bt_search *s, const bt_found *f, void *arg)
{
    run *r = arg;
    bt_error err = BT_ERROR_INIT;
    /* a damaged article is told, never passed on (nor counted as found) */
    if (r->out == OUT_XML && bt_search_check_raw(s, &err) < 0)
        goto failed;
    r->total++;
    r->in_file++;
    if (r->out == OUT_QUIET)
        return r->done = 1;
    if (r->out == OUT_COUNT)
        return 0;
    if (r->out == OUT_XML) {
        if (!r->started++)
            puts_(r, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\">\n");
        puts_(r, "  ");
        put(r, f->xml, f->len); /* byte for byte, as the input had it */
        puts_(r, "\n");
        return 0;
    }
    const bt_article *a = bt_search_article(s, &err);
    char *title = NULL;
    snippet_ctx c = {r, f->file, a ? a->id : ""};
    bt_buf_reset(&r->line);
    if (!a)
        goto failed;
    switch (r->out) {
    case OUT_LIST:
        if (!(title = bt_article_title_plain(a)))
            goto nomem;
        fprintf(r->f, "%s\t%s\t%s\t%s\n", f->file, a->id, a->date_when ? a->date_when : "",
                title);
        free(title);
        break;
    case OUT_SNIPPETS: /* with -v nothing matched to show */
        if (!r->invert && bt_matcher_each(r->matcher, a, print_snippet, &c, &err))
            goto nomem_or_failed;
        break;
    default:
        if (bt_json_article(a, f->file, &r->line, &err) < 0 || bt_buf_addc(&r->line, '\n') < 0)
            goto failed;
        put(r, r->line.data, r->line.len);
    }
    return 0;
nomem_or_failed:
    if (err.msg[0])
        goto failed;
nomem:
    bt_error_nomem(&err, NULL);
failed:
    fe_error(&err);
    r->errors = 1;
    return 0;
}

static void on_problem(const char *msg, int failed, void *arg)
{
    fe_warn("%s", msg);
    ((run *)arg)->errors |= failed;
}

static int search_path(const char *path, void *arg)
{
    run *r = arg;
    bt_error err = BT_ERROR_INIT;
    r->in_file = 0;
    int failed = 0;
    if (bt_search_file(r->search, path, on_found, r, &err) < 0 && err.code != BT_ERR_STOPPED) {
        fe_error(&err);
        r->errors = failed = 1;
    }
    /* a file that could not be read has no count, as with grep -c */
    if (r->out == OUT_COUNT && r->with_filename && !failed)
        fprintf(r->f, "%s:%llu\n", fe_name(path), r->in_file);
    return r->done;
}

static int search_tree_file(const char *path, void *arg)
{
    size_t n = strlen(path);
    if ((n >= 4 && !strcmp(path + n - 4, ".xml")) || (n >= 7 && !strcmp(path + n - 7, ".xml.gz")))
        return search_path(path, arg); /* -r searches the article files only */
    return 0;
}

static void search_operand(run *r, const char *path)
{
    struct stat st;
    bt_error err = BT_ERROR_INIT;
    if (!strcmp(path, "-") || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
        search_path(path, r);
    else if (!r->recursive)
        fe_warn("%s: is a directory (use -r to read the files in it)", path), r->errors = 1;
    else if (fe_walk(path, &r->walk, search_tree_file, r, &err) < 0)
        fe_error(&err), r->errors = 1;
}

enum {
    OPT_ALL = 256, OPT_EXACT, OPT_IN, OPT_SINCE, OPT_UNTIL, OPT_LANG,
    OPT_UNIQUE, OPT_COLOR, OPT_FORMAT, OPT_FOLLOW
};

static const struct option longopts[] = {
    {"regexp", required_argument, NULL, 'e'}, {"title", required_argument, NULL, 't'},
    {"all", no_argument, NULL, OPT_ALL}, {"regex", no_argument, NULL, 'E'},
    {"extended-regexp", no_argument, NULL, 'E'}, {"fixed-strings", no_argument, NULL, 'F'},
    {"word", no_argument, NULL, 'w'}, {"word-regexp", no_argument, NULL, 'w'},
    {"ignore-case", no_argument, NULL, 'i'}, {"case-sensitive", no_argument, NULL, 's'},
    {"exact", no_argument, NULL, OPT_EXACT}, {"in", required_argument, NULL, OPT_IN},
    {"invert-match", no_argument, NULL, 'v'}, {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL}, {"lang", required_argument, NULL, OPT_LANG},
    {"unique", no_argument, NULL, OPT_UNIQUE}, {"output", required_argument, NULL, 'o'},
    {"list", no_argument, NULL, 'l'}, {"count", no_argument, NULL, 'c'},
    {"with-filename", no_argument, NULL, 'H'}, {"snippets", no_argument, NULL, 'O'},
    {"color", optional_argument, NULL, OPT_COLOR}, {"colour", optional_argument, NULL, OPT_COLOR},
    {"format", required_argument, NULL, OPT_FORMAT}, {"quiet", no_argument, NULL, 'q'},
    {"recursive", no_argument, NULL, 'r'}, {"follow", no_argument, NULL, OPT_FOLLOW},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    fe_init(argv[0]);
    run r = {0};
    bt_match_opts mo = {0, 0, 0, 0, 0};
    bt_search_opts so;
    bt_search_opts_init(&so);
    int out[6] = {0}; /* which output options were given, by kind */
    const char *color = "auto", *in = "title,body", *since = NULL, *until = NULL,
               *output = NULL;
    const char **pats = calloc((size_t)argc + 1, sizeof *pats);
    int *titles = calloc((size_t)argc + 1, sizeof *titles);
    size_t npats = 0;
    int status = 2, c;
    bt_error err = BT_ERROR_INIT;
    fe_out *o = NULL;
    if (!pats || !titles) {
        fe_warn("out of memory");
        goto done;
    }
    opterr = 0; /* an unknown option is one line (fe_usage_error) */
    while ((c = getopt_long(argc, argv, ":e:t:EFwisvo:lcHOqrhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': case 't': titles[npats] = c == 't'; pats[npats++] = optarg; break;
        case OPT_ALL: mo.all = 1; break;
        case 'E': mo.regex = 1; break;
        case 'F': mo.regex = 0; break;
        case 'w': mo.word = 1; break;
        case 'i': mo.ignore_case = 1; break;
        case 's': mo.ignore_case = -1; break;
        case OPT_EXACT: mo.exact = 1; break;
        case OPT_IN: in = optarg; break;
        case 'v': so.invert = r.invert = 1; break;
        case OPT_SINCE: since = optarg; break;
        case OPT_UNTIL: until = optarg; break;
        case OPT_LANG:
            if (bt_search_opts_lang(&so, optarg, &err) < 0)
                goto usage_error;
            break;
        case OPT_UNIQUE: so.unique = 1; break;
        case 'o': output = optarg; break;
        case 'l': out[OUT_LIST] = 1; break;
        case 'c': out[OUT_COUNT] = 1; break;
        case 'H': r.with_filename = 1; break;
        case 'O': out[OUT_SNIPPETS] = 1; break;
        case 'q': out[OUT_QUIET] = 1; break;
        case 'r': r.recursive = 1; break;
        case OPT_FOLLOW: r.walk.follow = 1; break;
        case OPT_COLOR: color = optarg ? optarg : "auto"; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "xml") && strcmp(optarg, "json")) {
                status = fe_usage_error("--format: unknown format \"%s\" (xml or json)", optarg);
                goto done;
            }
            out[OUT_JSON] = !strcmp(optarg, "json");
            break;
        case 'h': usage(); status = 0; goto done;
        case 'V': fe_version(); status = 0; goto done;
        default: /* ':' a value missing, '?' unknown */
            status = fe_option_error(c, argv);
            goto done;
        }
    }
    if (!npats && optind >= argc) {
        status = fe_usage_error("no pattern given");
        goto done;
    }
    if (!npats)
        pats[npats++] = argv[optind++];
    if (!strcmp(color, "always") || !strcmp(color, "auto")) {
        const char *no = getenv("NO_COLOR");
        r.color = !strcmp(color, "always") || (isatty(1) && !output && !(no && *no));
    } else if (strcmp(color, "never")) {
        status = fe_usage_error("--color: expected auto, always or never, not \"%s\"", color);
        goto done;
    }
    r.out = out[OUT_QUIET] ? OUT_QUIET : out[OUT_COUNT] ? OUT_COUNT : out[OUT_LIST] ? OUT_LIST
          : out[OUT_SNIPPETS] ? OUT_SNIPPETS : out[OUT_JSON] ? OUT_JSON : OUT_XML;
    unsigned fields;
    if (bt_fields_parse(in, &fields, &err) < 0) {
        status = fe_usage_error("--in: %s", err.msg);
        goto done;
    }
    if (bt_search_opts_dates(&so, since, until, (long long)time(NULL), &err) < 0)
        goto usage_error;
    if (!(r.matcher = bt_matcher_new(&mo, &err)))
        goto failed;
    for (size_t i = 0; i < npats; i++)
        if (bt_matcher_add(r.matcher, pats[i], titles[i] ? BT_FIELD_TITLE : fields, titles[i],
                           &err) < 0)
            goto usage_error;
    if (!(r.search = bt_search_new(r.matcher, &so, on_problem, &r, &err)))
        goto failed;
    if (r.out != OUT_QUIET && !(o = fe_out_open(output, 0, &err)))
        goto failed;
    r.f = o ? fe_out_stream(o) : stdout;
    bt_buf_init(&r.line, 0);

    if (optind >= argc)
        search_operand(&r, r.recursive ? "." : "-");
    for (int i = optind; i < argc && !r.done; i++)
        search_operand(&r, argv[i]);
    if (r.out != OUT_QUIET) /* -q: the status is the whole answer */
        fe_walk_notice(&r.walk);

    /* a run whose inputs failed and that found nothing writes nothing, and
     * keeps an -o file as it was */
    if (r.errors && !r.total && !r.started) {
        status = 2;
        goto done;
    }
    if (r.out == OUT_XML)
        puts_(&r, r.started ? "</articles>\n"
                            : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\"/>\n");
    else if (r.out == OUT_COUNT && !r.with_filename)
        fprintf(r.f, "%llu\n", r.total);
    if (o && fe_out_commit(o, &err) < 0) {
        o = NULL;
        goto failed;
    }
    o = NULL;
    status = r.out == OUT_QUIET && r.done ? 0 : r.errors ? 2 : r.total ? 0 : 1;
    goto done;
usage_error:
    status = err.code == BT_ERR_USAGE ? fe_usage_error("%s", err.msg) : (fe_error(&err), 2);
    goto done;
failed:
    fe_error(&err);
    status = 2;
done:
    fe_out_abort(o);
    bt_search_free(r.search);
    bt_matcher_free(r.matcher);
    bt_buf_free(&r.line);
    free(pats);
    free(titles);
    return status;
}
