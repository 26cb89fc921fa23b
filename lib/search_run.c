/*
 * The search loop: each input split into raw articles (xml_split.c),
 * each article judged on its raw bytes when they are unambiguous
 * (search_raw.c, bt_matcher_raw) and parsed only when they are not, the
 * filters of bt_search_opts (language, dates, ids already selected)
 * applied, and the selected articles handed to the caller.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct bt_search {
    bt_matcher *m;
    bt_search_opts o;
    bt_problem_fn on_problem;
    void *problem_ctx;
    int problems;
    bt_set *seen;        /* ids selected so far (unique) */
    /* the article being judged or handed out */
    const char *name;
    bt_artscan *scan;
    const bt_rawarticle *raw;
    bt_article article;
    int parsed;          /* article holds it */
    char id[17];
    bt_buf attr;
};

/* ---- options ---- */

void bt_search_opts_init(bt_search_opts *o)
{
    memset(o, 0, sizeof *o);
}

/* ISO 639-1 */
static const char languages[] =
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs "
    "cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha "
    "he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn "
    "ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb "
    "nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd "
    "se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw "
    "ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

int bt_search_opts_lang(bt_search_opts *o, const char *code, bt_error *err)
{
    size_t n = strlen(code);
    int ok = n >= 2 && n < sizeof o->lang && (code[2] == '\0' || code[2] == '-');
    if (ok) {
        char two[3] = {(char)(code[0] | 0x20), (char)(code[1] | 0x20), '\0'};
        const char *hit = strstr(languages, two);
        ok = hit && (hit - languages) % 3 == 0;
        /* then subtags: "-" and 2 to 8 letters or digits */
        for (size_t i = 2; ok && i < n;) {
            size_t k = i + 1;
            while (k < n && (((code[k] | 0x20) >= 'a' && (code[k] | 0x20) <= 'z') ||
                             (code[k] >= '0' && code[k] <= '9')))
                k++;
            ok = k - i - 1 >= 2 && k - i - 1 <= 8 && (k == n || code[k] == '-');
            i = k;
        }
    }
    if (!ok) {
        bt_error_set(err, BT_ERR_USAGE,
                     "--lang: unknown language code \"%.20s\" (an ISO 639-1 code such as "
                     "vi or en, optionally with a region: vi-VN)", code);
        return -1;
    }
    memcpy(o->lang, code, n + 1);
    return 0;
}

static int one_date(const char *opt, const char *s, long long now, long long *days,
                    bt_error *err)
{
    bt_date d;
    if (bt_date_parse_user(s, now, NULL, &d) < 0) {
        bt_error_set(err, BT_ERR_USAGE,
                     "%s: cannot read the date \"%.40s\" (use YYYY-MM-DD, DD/MM/YYYY, today, "
                     "yesterday, 7d or 2w)", opt, s);
        return -1;
    }
    *days = bt_date_days(&d);
    return 0;
}

int bt_search_opts_dates(bt_search_opts *o, const char *since, const char *until,
                         long long now_epoch, bt_error *err)
{
    if (since) {
        if (one_date("--since", since, now_epoch, &o->since, err) < 0)
            return -1;
        o->has_since = 1;
    }
    if (until) {
        if (one_date("--until", until, now_epoch, &o->until, err) < 0)
            return -1;
        o->has_until = 1;
    }
    if (o->has_since && o->has_until && o->since > o->until) {
        bt_error_set(err, BT_ERR_USAGE, "--since %.40s comes after --until %.40s: no day is "
                     "in between", since ? since : "", until ? until : "");
        return -1;
    }
    return 0;
}

/* ---- the filters ---- */

static int lang_ok(const bt_search *s, const char *lang)
{
    size_t n = strlen(s->o.lang);
    return lang && !strncasecmp(lang, s->o.lang, n) && (lang[n] == '\0' || lang[n] == '-');
}

static int date_ok(const bt_search *s, const char *when)
{
    bt_date d;
    if (!when || bt_when_parse(when, &d) < 0)
        return 0; /* undated articles are in no date range */
    long long days = bt_date_days(&d);
    return (!s->o.has_since || days >= s->o.since) && (!s->o.has_until || days <= s->o.until);
}

static int is_id(const char *s, size_t n)
{
    if (n != 16)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A regular expression that needs too much work on one article: reported,
 * the article left out. */
static void problem(bt_search *s, const bt_error *err)
{
    long line, col;
    char msg[sizeof err->msg + 64];
    bt_artscan_where(s->scan, &line, &col);
    s->problems++;
    snprintf(msg, sizeof msg, "%s:%ld:%ld: %s; the article is left out",
             s->name, line, col, err->msg);
    if (s->on_problem)
        s->on_problem(msg, 1, s->problem_ctx);
}

/* What the matcher's answer m (1, 0, or -1 with err) leaves of the
 * article, raw or parsed alike: 1 kept so far, 0 left out (no match, or
 * the match too costly: told, and the search goes on), -1 an error. */
static int verdict(bt_search *s, int m, bt_error *err)
{
    if (m < 0) {
        if (err->code != BT_ERR_LIMIT)
            return -1;
        problem(s, err);
        return 0;
    }
    return m != s->o.invert;
}

/* The id, for --unique: 1 when it was not selected yet, 0 when it was, -1. */
static int fresh(bt_search *s, const char *id, bt_error *err)
{
    memcpy(s->id, id, 17);
    if (!s->o.unique)
        return 1;
    int r = bt_set_add(s->seen, id, 16);
    if (r < 0)
        bt_error_nomem(err, NULL);
    return r;
}

/* The article from its raw bytes: 1 selected, 0 not, -1 error, RAW_PARSE. */
static int judge_raw(bt_search *s, const bt_rawarticle *raw, bt_error *err)
{
    int r;
    if (s->o.lang[0]) {
        bt_buf_reset(&s->attr);
        if ((r = bt_raw_attr(raw->xml, raw->len, NULL, "lang", &s->attr)) != RAW_YES)
            return r == RAW_NO ? 0 : r < 0 ? (bt_error_nomem(err, NULL), -1) : r;
        if (!lang_ok(s, s->attr.data))
            return 0;
    }
    if (s->o.has_since || s->o.has_until) {
        bt_buf_reset(&s->attr);
        if ((r = bt_raw_attr(raw->xml, raw->len, "date", "when", &s->attr)) != RAW_YES)
            return r == RAW_NO ? 0 : r < 0 ? (bt_error_nomem(err, NULL), -1) : r;
        if (!date_ok(s, s->attr.data))
            return 0;
    }
    int m = raw->wanted ? bt_matcher_raw(s->m, raw->xml, raw->len, err) : 0;
    if (m == RAW_PARSE)
        return RAW_PARSE;
    if ((m = verdict(s, m, err)) <= 0)
        return m;
    bt_buf_reset(&s->attr);
    r = bt_raw_attr(raw->xml, raw->len, NULL, "id", &s->attr);
    if (r < 0)
        return bt_error_nomem(err, NULL), -1;
    if (r != RAW_YES || !is_id(s->attr.data, s->attr.len))
        return s->o.unique ? RAW_PARSE : 1; /* the parser computes it */
    return fresh(s, s->attr.data, err);
}

static int parse(bt_search *s, bt_error *err)
{
    if (s->parsed)
        return 0;
    bt_article_free(&s->article);
    if (bt_artscan_parse(s->scan, s->raw, &s->article, err) < 0)
        return -1;
    s->parsed = 1;
    return 0;
}

/* The same, parsed. */
static int judge_parsed(bt_search *s, bt_error *err)
{
    if (parse(s, err) < 0)
        return -1;
    const bt_article *a = &s->article;
    if ((s->o.lang[0] && !lang_ok(s, a->lang)) ||
        ((s->o.has_since || s->o.has_until) && !date_ok(s, a->date_when)))
        return 0;
    int m = verdict(s, bt_matcher_article(s->m, a, err), err);
    if (m <= 0)
        return m;
    return fresh(s, a->id, err);
}

static int judge(bt_search *s, bt_error *err)
{
    s->parsed = 0;
    s->id[0] = '\0';
    if (!s->raw->must_parse) {
        int r = judge_raw(s, s->raw, err);
        if (r != RAW_PARSE)
            return r;
    }
    return judge_parsed(s, err);
}

/* ---- the search ---- */

bt_search *bt_search_new(bt_matcher *m, const bt_search_opts *o, bt_problem_fn on_problem,
                         void *ctx, bt_error *err)
{
    bt_search *s = calloc(1, sizeof *s);
    if (!s || !(s->seen = bt_set_new())) {
        free(s);
        bt_error_nomem(err, NULL);
        return NULL;
    }
    s->m = m;
    if (o)
        s->o = *o;
    else
        bt_search_opts_init(&s->o);
    s->on_problem = on_problem;
    s->problem_ctx = ctx;
    bt_article_init(&s->article);
    bt_buf_init(&s->attr, 0);
    return s;
}

void bt_search_free(bt_search *s)
{
    if (!s)
        return;
    bt_set_free(s->seen);
    bt_article_free(&s->article);
    bt_buf_free(&s->attr);
    free(s);
}

int bt_search_had_problems(const bt_search *s)
{
    return s->problems > 0;
}

const bt_article *bt_search_article(bt_search *s, bt_error *err)
{
    if (!s->raw) {
        bt_error_set(err, BT_ERR_USAGE, "bt_search_article: no article is being handed out");
        return NULL;
    }
    return parse(s, err) < 0 ? NULL : &s->article;
}

int bt_search_check_raw(bt_search *s, bt_error *err)
{
    if (!s->raw) {
        bt_error_set(err, BT_ERR_USAGE, "bt_search_check_raw: no article is being handed out");
        return -1;
    }
    if (s->parsed || bt_raw_check(s->raw->xml, s->raw->len) == RAW_YES)
        return 0;
    return parse(s, err); /* the parser says what is wrong, if anything */
}

long long bt_search_file(bt_search *s, const char *path, bt_found_fn fn, void *ctx,
                         bt_error *err)
{
    int std = !strcmp(path, "-");
    const char *name = std ? "(standard input)" : path;
    int fd = bt_open_input(path, err);
    if (fd < 0)
        return -1;
    bt_artscan *scan = bt_artscan_open(fd, name, err);
    if (!scan) {
        if (!std)
            close(fd);
        return -1;
    }
    bt_artscan_hook hook;
    if (bt_matcher_hook(s->m, !s->o.invert, &hook))
        bt_artscan_set_hook(scan, &hook); /* -v sees every article */
    s->scan = scan;
    s->name = name;
    long long count = 0;
    bt_rawarticle raw;
    for (;;) {
        int n = bt_artscan_next(scan, &raw, err);
        if (n <= 0) {
            if (n < 0)
                count = -1;
            break;
        }
        s->raw = &raw;
        n = judge(s, err);
        if (n < 0) {
            count = -1;
            break;
        }
        if (!n)
            continue;
        count++;
        bt_found f = {name, raw.xml, raw.len, s->id};
        if (fn && fn(s, &f, ctx)) {
            bt_error_set(err, BT_ERR_STOPPED, "%s: stopped", name);
            count = -1;
            break;
        }
    }
    s->raw = NULL;
    s->scan = NULL;
    bt_artscan_close(scan);
    if (!std)
        close(fd);
    return count;
}
