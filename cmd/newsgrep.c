/* newsgrep: keep the articles of a stream that match, folded the way
 * Vietnamese readers type. */
#include "fe.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum output_kind { OUT_XML, OUT_JSON, OUT_LIST, OUT_COUNT, OUT_SNIPPETS, OUT_QUIET };

/* The ids already written (--unique): an open-addressing set. */
typedef struct idset {
    uint64_t *slots; /* 0 = empty; ids are stored + 1 so 0 stays free */
    size_t cap, n;
} idset;

typedef struct run {
    bt_matcher *matcher;
    enum output_kind out;
    int invert, unique, with_filename, color, recursive;
    int has_since, has_until;
    long long since, until; /* calendar days */
    const char *lang;
    idset seen;
    int started;   /* the XML document has begun */
    int errors;    /* some input could not be read */
    unsigned long long total;
    int done;      /* -q found a match: stop reading */
} run;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: newsgrep [OPTION]... PATTERN [FILE]...\n"
            "   or: newsgrep [OPTION]... -e PATTERN... [FILE]...\n"
            "Keep the articles of article streams that match PATTERN.\n"
            "With no FILE, or when FILE is -, read standard input.\n"
            "A pattern without diacritics matches any diacritics (\"quan uy\" finds\n"
            "\"Quận ủy\", \"dong da\" finds \"Đống Đa\"); one with diacritics matches\n"
            "them, in either tone placement (ủy = uỷ).\n"
            "\n"
            "Matching:\n"
            "  -e, --regexp=PATTERN   a pattern; repeat for more (any may match)\n"
            "  -t, --title=PATTERN    a pattern that must match the title\n"
            "      --all              every -e pattern must match, not just one\n"
            "  -E, --regex            patterns are regular expressions (PCRE2)\n"
            "  -F, --fixed-strings    patterns are literal text (the default)\n"
            "  -w, --word             match whole words only\n"
            "  -i, --ignore-case      ignore case (default: smart case, ignoring case\n"
            "                         when the pattern has no capital letter)\n"
            "  -s, --case-sensitive   respect case even without capital letters\n"
            "      --exact            no folding: diacritics, tone placement and case\n"
            "                         must match as written (NFC)\n"
            "      --in=FIELDS        fields searched: title,body,byline,source,related\n"
            "                         (default title,body)\n"
            "  -v, --invert-match     keep the articles that do not match\n"
            "\n"
            "Filters:\n"
            "      --since=DATE       articles dated DATE or later\n"
            "      --until=DATE       articles dated DATE or earlier\n"
            "                         (YYYY-MM-DD, DD/MM/YYYY, today, yesterday, 7d, 2w)\n"
            "      --lang=CODE        articles in this language (vi, en, …)\n"
            "      --unique           drop articles whose id was already written\n"
            "\n"
            "Output (default: the matching articles as one <articles> document):\n"
            "  -l, --list             FILE<TAB>ID<TAB>DATE<TAB>TITLE per article\n"
            "  -c, --count            the number of matching articles\n"
            "  -H, --with-filename    with -c: one count per file\n"
            "  -o, --snippets         each match in context: FILE:ID: …context…\n"
            "      --color[=WHEN]     highlight matches: auto (default), always, never\n"
            "      --format=FORMAT    xml (default) or json (one object per line)\n"
            "  -q, --quiet            no output; exit 0 at the first match\n"
            "  -r, --recursive        search the *.xml files under each DIR\n"
            "      --help             show this help and exit\n"
            "  -V, --version          show the version and exit\n"
            "\n"
            "Exit status: 0 some article matched, 1 none did, 2 an error occurred.\n");
}

/* ---- small helpers ---- */

static int idset_add(idset *s, const char *hex)
{
    uint64_t id = strtoull(hex, NULL, 16) + 1;
    if (id == 0)
        id = 1;
    if (s->n * 2 >= s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        uint64_t *slots = calloc(ncap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i])
                continue;
            size_t k = (size_t)(s->slots[i] * 0x9E3779B97F4A7C15ull) & (ncap - 1);
            while (slots[k])
                k = (k + 1) & (ncap - 1);
            slots[k] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->cap = ncap;
    }
    size_t k = (size_t)(id * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
    while (s->slots[k]) {
        if (s->slots[k] == id)
            return 0; /* seen */
        k = (k + 1) & (s->cap - 1);
    }
    s->slots[k] = id;
    s->n++;
    return 1;
}

static void out_failed(void)
{
    if (errno == EPIPE)
        exit(2); /* the reader went away: end quietly */
    fe_warn("cannot write the output: %s", strerror(errno));
    exit(2);
}

static void put(const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, stdout) != n)
        out_failed();
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

static const char *display_name(const char *path)
{
    return strcmp(path, "-") ? path : "(standard input)";
}

static int lang_ok(const run *r, const bt_article *a)
{
    if (!r->lang)
        return 1;
    if (!a->lang)
        return 0;
    size_t n = strlen(r->lang);
    return !strncasecmp(a->lang, r->lang, n) && (a->lang[n] == '\0' || a->lang[n] == '-');
}

static int date_ok(const run *r, const bt_article *a)
{
    if (!r->has_since && !r->has_until)
        return 1;
    bt_date d;
    if (!a->date_when || bt_when_parse(a->date_when, &d) < 0)
        return 0; /* undated articles cannot be in a date range */
    long long days = bt_date_days(&d);
    return (!r->has_since || days >= r->since) && (!r->has_until || days <= r->until);
}

/* ---- output of one article ---- */

typedef struct snippet_ctx {
    const run *r;
    const char *file;
    const char *id;
} snippet_ctx;

/* Steps back or forward over at most n characters within [lo, hi). */
static size_t back_chars(const char *s, size_t lo, size_t at, int n)
{
    while (at > lo && n > 0) {
        at--;
        while (at > lo && ((unsigned char)s[at] & 0xC0) == 0x80)
            at--;
        n--;
    }
    return at;
}

static size_t fwd_chars(const char *s, size_t at, size_t hi, int n)
{
    while (at < hi && n > 0) {
        at++;
        while (at < hi && ((unsigned char)s[at] & 0xC0) == 0x80)
            at++;
        n--;
    }
    return at;
}

static int print_snippet(void *arg, unsigned field, const char *text, size_t len,
                         size_t start, size_t end)
{
    (void)field;
    const snippet_ctx *c = arg;
    enum { CONTEXT = 40 }; /* characters either side */
    size_t lo = start, hi = end;
    while (lo > 0 && text[lo - 1] != '\n')
        lo--;
    while (hi < len && text[hi] != '\n')
        hi++;
    size_t from = back_chars(text, lo, start, CONTEXT);
    size_t to = fwd_chars(text, end, hi, CONTEXT);
    if (c->r->color)
        printf("\033[35m%s\033[0m:\033[32m%s\033[0m: ", c->file, c->id);
    else
        printf("%s:%s: ", c->file, c->id);
    if (from > lo)
        puts_("…");
    put(text + from, start - from);
    if (c->r->color)
        puts_("\033[1;31m");
    put(text + start, end - start);
    if (c->r->color)
        puts_("\033[0m");
    put(text + end, to - end);
    if (to < hi)
        puts_("…");
    puts_("\n");
    return 0;
}

static void json_add_str(json_object *o, const char *key, const char *v)
{
    if (v)
        json_object_object_add(o, key, json_object_new_string(v));
}

static int print_json(const char *file, const bt_article *a)
{
    json_object *o = json_object_new_object(), *body = json_object_new_array();
    bt_buf b = BT_BUF_INIT;
    char *title = bt_article_title_plain(a);
    int rc = -1;
    if (!o || !body || !title)
        goto done;
    json_add_str(o, "file", file);
    json_add_str(o, "id", a->id);
    json_add_str(o, "lang", a->lang);
    json_add_str(o, "title", title);
    json_add_str(o, "date", a->date_text);
    json_add_str(o, "when", a->date_when);
    json_add_str(o, "byline", a->byline);
    json_add_str(o, "source", a->source_name);
    json_add_str(o, "href", a->source_href);
    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *blk = &a->blocks[i];
        size_t n = blk->kind == BT_BLOCK_LIST ? blk->nitems : 1;
        for (size_t k = 0; k < n; k++) {
            bt_buf_reset(&b);
            if (bt_text_plain(blk->kind == BT_BLOCK_LIST ? &blk->items[k] : &blk->text,
                              &b) < 0)
                goto done;
            if (b.len)
                json_object_array_add(body, json_object_new_string_len(b.data, (int)b.len));
        }
    }
    json_object_object_add(o, "body", body);
    body = NULL;
    if (a->nrelated) {
        json_object *rel = json_object_new_array();
        if (!rel)
            goto done;
        for (size_t i = 0; i < a->nrelated; i++) {
            json_object *l = json_object_new_object();
            if (!l)
                break;
            json_add_str(l, "href", a->related[i].href);
            json_add_str(l, "text", a->related[i].text);
            json_object_array_add(rel, l);
        }
        json_object_object_add(o, "related", rel);
    }
    const char *s = json_object_to_json_string_ext(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (!s)
        goto done;
    puts_(s);
    puts_("\n");
    rc = 0;
done:
    json_object_put(body);
    json_object_put(o);
    free(title);
    bt_buf_free(&b);
    return rc;
}

static void start_document(run *r)
{
    if (r->started)
        return;
    r->started = 1;
    puts_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\">\n");
}

/* Writes a selected article.  0 or -1 (out of memory). */
static int emit(run *r, const char *file, const bt_rawarticle *raw,
                const bt_article *a, bt_error *err)
{
    switch (r->out) {
    case OUT_QUIET:
        r->done = 1;
        return 0;
    case OUT_COUNT:
        return 0;
    case OUT_XML:
        start_document(r);
        puts_("  ");
        put(raw->xml, raw->len); /* byte for byte, as the input had it */
        puts_("\n");
        return 0;
    case OUT_LIST: {
        char *title = bt_article_title_plain(a);
        if (!title)
            break;
        printf("%s\t%s\t%s\t%s\n", file, a->id, a->date_when ? a->date_when : "", title);
        free(title);
        return 0;
    }
    case OUT_SNIPPETS: {
        if (r->invert)
            return 0; /* nothing matched to show */
        snippet_ctx c = {r, file, a->id};
        return bt_matcher_each(r->matcher, a, print_snippet, &c, err) < 0 ? -1 : 0;
    }
    case OUT_JSON:
        if (print_json(file, a) == 0)
            return 0;
        break;
    }
    bt_error_set(err, BT_ERR_NOMEM, "out of memory");
    return -1;
}

/* ---- searching one stream ---- */

/* 1 selected, 0 not, -1 error (err set; the stream is given up). */
static int judge(run *r, bt_artscan *scan, const bt_rawarticle *raw,
                 const char *file, bt_error *err)
{
    int must_parse = raw->must_parse || r->invert;
    if (!must_parse && !bt_matcher_may_match(r->matcher, raw->xml, raw->len))
        return 0;
    bt_article a;
    bt_article_init(&a);
    int rc = -1;
    if (bt_artscan_parse(scan, raw, &a, err) < 0)
        goto done;
    rc = 0;
    if (!lang_ok(r, &a) || !date_ok(r, &a))
        goto done;
    int m = bt_matcher_article(r->matcher, &a, err);
    if (m < 0) {
        rc = -1;
        goto done;
    }
    if (m == r->invert)
        goto done;
    if (r->unique) {
        int fresh = idset_add(&r->seen, a.id);
        if (fresh < 0) {
            bt_error_set(err, BT_ERR_NOMEM, "out of memory");
            rc = -1;
            goto done;
        }
        if (!fresh)
            goto done;
    }
    rc = emit(r, file, raw, &a, err) < 0 ? -1 : 1;
done:
    bt_article_free(&a);
    return rc;
}

static int search_stream(run *r, int fd, const char *path)
{
    const char *file = display_name(path);
    bt_error err = BT_ERROR_INIT;
    bt_artscan *scan = bt_artscan_open(fd, file, &err);
    unsigned long long count = 0;
    int rc = 0;
    if (!scan) {
        fe_warn("%s", err.msg);
        r->errors = 1;
        return -1;
    }
    if (!r->invert)
        bt_artscan_filter(scan, r->matcher); /* skip what cannot match */
    bt_rawarticle raw;
    while (!r->done) {
        int n = bt_artscan_next(scan, &raw, &err);
        if (n == 0)
            break;
        if (n > 0)
            n = judge(r, scan, &raw, file, &err);
        if (n < 0) {
            fe_warn("%s", err.msg);
            r->errors = 1;
            rc = -1;
            break; /* a malformed file is skipped; the others are searched */
        }
        count += (unsigned long long)n;
    }
    bt_artscan_close(scan);
    r->total += count;
    if (r->out == OUT_COUNT && r->with_filename)
        printf("%s:%llu\n", file, count);
    return rc;
}

static int search_path(const char *path, void *ctx)
{
    run *r = ctx;
    if (r->done)
        return 1;
    if (!strcmp(path, "-"))
        return search_stream(r, 0, path), 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fe_warn("%s: %s", path, strerror(errno));
        r->errors = 1;
        return 0;
    }
    search_stream(r, fd, path);
    close(fd);
    return 0;
}

static int search_tree_file(const char *path, void *ctx)
{
    size_t n = strlen(path);
    if (n < 4 || strcmp(path + n - 4, ".xml"))
        return 0; /* -r searches the article files only */
    search_path(path, ctx);
    return ((run *)ctx)->done;
}

static void search_operand(run *r, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!r->recursive) {
            fe_warn("%s: is a directory (use -r to search it)", path);
            r->errors = 1;
            return;
        }
        bt_error err = BT_ERROR_INIT;
        if (fe_walk(path, search_tree_file, r, &err) < 0) {
            fe_warn("%s", err.msg);
            r->errors = 1;
        }
        return;
    }
    search_path(path, r);
}

/* ---- options ---- */

static int parse_date(const char *opt, const char *s, long long *days)
{
    bt_date d;
    if (bt_date_parse_user(s, (long long)time(NULL), NULL, &d) < 0) {
        fe_warn("%s: cannot read the date \"%s\" (use YYYY-MM-DD, DD/MM/YYYY, "
                "today, yesterday, 7d or 2w)", opt, s);
        return -1;
    }
    *days = bt_date_days(&d);
    return 0;
}

enum {
    OPT_ALL = 256, OPT_EXACT, OPT_IN, OPT_SINCE, OPT_UNTIL, OPT_LANG,
    OPT_UNIQUE, OPT_COLOR, OPT_FORMAT, OPT_HELP
};

typedef struct pattern_arg {
    const char *text;
    int title;
} pattern_arg;

int main(int argc, char **argv)
{
    fe_init(argv[0]);
    run r;
    memset(&r, 0, sizeof r);
    bt_match_opts mo = {0, 0, 0, 0, 0};
    int case_sensitive = 0, count = 0, list = 0, snippets = 0, json = 0, quiet = 0;
    const char *color = "auto", *in = "title,body";
    pattern_arg *pats = calloc((size_t)argc + 1, sizeof *pats);
    size_t npats = 0;
    int status = 2;
    if (!pats) {
        fe_warn("out of memory");
        return 2;
    }

    static const struct option longopts[] = {
        {"regexp", required_argument, NULL, 'e'},
        {"title", required_argument, NULL, 't'},
        {"all", no_argument, NULL, OPT_ALL},
        {"regex", no_argument, NULL, 'E'},
        {"extended-regexp", no_argument, NULL, 'E'},
        {"fixed-strings", no_argument, NULL, 'F'},
        {"word", no_argument, NULL, 'w'},
        {"word-regexp", no_argument, NULL, 'w'},
        {"ignore-case", no_argument, NULL, 'i'},
        {"case-sensitive", no_argument, NULL, 's'},
        {"exact", no_argument, NULL, OPT_EXACT},
        {"in", required_argument, NULL, OPT_IN},
        {"invert-match", no_argument, NULL, 'v'},
        {"since", required_argument, NULL, OPT_SINCE},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"lang", required_argument, NULL, OPT_LANG},
        {"unique", no_argument, NULL, OPT_UNIQUE},
        {"list", no_argument, NULL, 'l'},
        {"count", no_argument, NULL, 'c'},
        {"with-filename", no_argument, NULL, 'H'},
        {"snippets", no_argument, NULL, 'o'},
        {"only-matching", no_argument, NULL, 'o'},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"colour", optional_argument, NULL, OPT_COLOR},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"quiet", no_argument, NULL, 'q'},
        {"recursive", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "e:t:EFwisvlcHoqrV", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': pats[npats++] = (pattern_arg){optarg, 0}; break;
        case 't': pats[npats++] = (pattern_arg){optarg, 1}; break;
        case OPT_ALL: mo.all = 1; break;
        case 'E': mo.regex = 1; break;
        case 'F': mo.regex = 0; break;
        case 'w': mo.word = 1; break;
        case 'i': mo.ignore_case = 1; case_sensitive = 0; break;
        case 's': case_sensitive = 1; mo.ignore_case = 0; break;
        case OPT_EXACT: mo.exact = 1; break;
        case OPT_IN: in = optarg; break;
        case 'v': r.invert = 1; break;
        case OPT_SINCE:
            if (parse_date("--since", optarg, &r.since) < 0)
                { status = 2; goto done; }
            r.has_since = 1;
            break;
        case OPT_UNTIL:
            if (parse_date("--until", optarg, &r.until) < 0)
                { status = 2; goto done; }
            r.has_until = 1;
            break;
        case OPT_LANG: r.lang = optarg; break;
        case OPT_UNIQUE: r.unique = 1; break;
        case 'l': list = 1; break;
        case 'c': count = 1; break;
        case 'H': r.with_filename = 1; break;
        case 'o': snippets = 1; break;
        case OPT_COLOR: color = optarg ? optarg : "auto"; break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "json"))
                json = 1;
            else if (!strcmp(optarg, "xml"))
                json = 0;
            else {
                fe_warn("--format: unknown format \"%s\" (xml or json)", optarg);
                { status = 2; goto done; }
            }
            break;
        case 'q': quiet = 1; break;
        case 'r': r.recursive = 1; break;
        case OPT_HELP: usage(stdout); status = 0; goto done;
        case 'V': fe_version(); status = 0; goto done;
        default:
            fprintf(stderr, "Try 'newsgrep --help' for more information.\n");
            { status = 2; goto done; }
        }
    }
    if (!npats) {
        if (optind >= argc) {
            fe_warn("no pattern given");
            fprintf(stderr, "Usage: newsgrep [OPTION]... PATTERN [FILE]...\n"
                            "Try 'newsgrep --help' for more information.\n");
            { status = 2; goto done; }
        }
        pats[npats++] = (pattern_arg){argv[optind++], 0};
    }
    if (!strcmp(color, "always"))
        r.color = 1;
    else if (!strcmp(color, "auto")) {
        const char *no = getenv("NO_COLOR");
        r.color = isatty(1) && !(no && *no);
    } else if (strcmp(color, "never")) {
        fe_warn("--color: expected auto, always or never, not \"%s\"", color);
        { status = 2; goto done; }
    }
    r.out = quiet ? OUT_QUIET : count ? OUT_COUNT : list ? OUT_LIST
          : snippets ? OUT_SNIPPETS : json ? OUT_JSON : OUT_XML;
    if (case_sensitive)
        mo.ignore_case = -1;

    bt_error err = BT_ERROR_INIT;
    unsigned fields;
    if (bt_fields_parse(in, &fields, &err) < 0) {
        fe_warn("--in: %s", err.msg);
        { status = 2; goto done; }
    }
    r.matcher = bt_matcher_new(&mo, &err);
    if (!r.matcher) {
        fe_warn("%s", err.msg);
        { status = 2; goto done; }
    }
    for (size_t i = 0; i < npats; i++) {
        int rc = bt_matcher_add(r.matcher, pats[i].text,
                                pats[i].title ? BT_FIELD_TITLE : fields,
                                pats[i].title, &err);
        if (rc < 0) {
            fe_warn("%s", err.msg);
            goto done;
        }
    }
    free(pats);
    pats = NULL;

    static char outbuf[1 << 16];
    if (!isatty(1))
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    if (optind >= argc)
        search_operand(&r, r.recursive ? "." : "-");
    for (int i = optind; i < argc && !r.done; i++)
        search_operand(&r, argv[i]);

    if (r.out == OUT_XML) {
        if (r.started)
            puts_("</articles>\n");
        else
            puts_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\"/>\n");
    } else if (r.out == OUT_COUNT && !r.with_filename) {
        printf("%llu\n", r.total);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        out_failed();
    int matched = r.out == OUT_QUIET ? r.done : r.total > 0;
    if (r.out == OUT_QUIET && matched)
        status = 0;
    else
        status = r.errors ? 2 : matched ? 0 : 1;
done:
    bt_matcher_free(r.matcher);
    free(r.seen.slots);
    free(pats);
    return status;
}
