/* Unit tests of the search matcher, its prefilter, the raw reader and
 * the raw article splitter (lib/search_*.c, lib/xml_split.c), the cases of
 * issue 12 in one table. */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* The prefilter is compiled in here so that its scan paths (byte by
 * byte, AVX2, AVX-512) can be checked against one another; the matcher
 * then uses this copy instead of the library's. */
#include "../../lib/search_prefilter.c"

/* ---- helpers ---- */

static bt_matcher *matcher(const char *pattern, int regex, int word,
                           int ignore_case, int exact)
{
    bt_match_opts o = {regex, word, ignore_case, exact, 0};
    bt_error err = BT_ERROR_INIT;
    bt_matcher *m = bt_matcher_new(&o, &err);
    assert_non_null(m);
    if (pattern)
        assert_int_equal(bt_matcher_add(m, pattern, BT_FIELD_TITLE | BT_FIELD_BODY, 0, &err), 0);
    return m;
}

static void make_article(bt_article *a, const char *title, const char *body)
{
    bt_article_init(a);
    assert_int_equal(bt_text_set_plain(&a->title, title), 0);
    if (body)
        assert_int_equal(bt_article_add_para(a, BT_BLOCK_P, body), 0);
}

/* Does pattern (with options) match an article with this title? */
static int matches(const char *pattern, const char *title, int regex, int word,
                   int ignore_case, int exact)
{
    bt_matcher *m = matcher(pattern, regex, word, ignore_case, exact);
    bt_article a;
    make_article(&a, title, NULL);
    bt_error err = BT_ERROR_INIT;
    int r = bt_matcher_article(m, &a, &err);
    assert_true(r >= 0);
    bt_article_free(&a);
    bt_matcher_free(m);
    return r;
}

/* The options of a case: -E, -w, -i, --exact, -s (then the field byline
 * alone, for the issue 12 table). */
enum { O_E = 1, O_W = 2, O_I = 4, O_X = 8, O_S = 16, O_BYLINE = 32 };

static bt_match_opts opts_of(unsigned opts)
{
    bt_match_opts o = {(opts & O_E) != 0, (opts & O_W) != 0,
                       opts & O_I ? 1 : opts & O_S ? -1 : 0, (opts & O_X) != 0, 0};
    return o;
}

/* A pattern with its options, the title of an article, and whether the
 * pattern matches it. */
typedef struct tcase {
    const char *pattern;
    unsigned opts;
    const char *title;
    int want;
} tcase;

static void check_titles(const tcase *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bt_match_opts o = opts_of(c[i].opts);
        if (matches(c[i].pattern, c[i].title, o.regex, o.word, o.ignore_case, o.exact) != c[i].want)
            fail_msg("\"%s\" (options %u) on \"%s\": want %d", c[i].pattern, c[i].opts,
                     c[i].title, c[i].want);
    }
}

/* ---- folding the way people type ---- */

static void test_no_diacritics_match_any(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"quan uy", 0, "Ban thường vụ Quận ủy Đống Đa", 1},
        {"quan uy", 0, "Quận uỷ", 1},
        {"quan uy", 0, "QUẬN ỦY", 1},
        {"dong da", 0, "Quận Đống Đa", 1},
        {"dong da", 0, "quận đống đa", 1},
        /* NFD text: base letters followed by combining marks */
        {"quan uy", 0, "Qua\xcc\xa3\xcc\x82n u\xcc\x89y", 1},
        {"quan uy", 0, "Quan hệ", 0},
        {"dong da", 0, "Đông Anh", 0},
    };
    check_titles(cases, NELEMS(cases));
}

static void test_diacritics_must_match(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"quận ủy", 0, "Quận uỷ Ba Đình", 1}, /* tone placement */
        {"hòa bình", 0, "hoà bình", 1},
        {"hoà bình", 0, "hòa bình", 1},
        {"thủy điện", 0, "thuỷ điện", 1},
        {"thuỷ", 0, "Thủy lợi", 1}, /* no capital: any case */
        {"quận ủy", 0, "QUẬN ỦY", 1},
        {"quận ủy", 0, "Qua\xcc\xa3\xcc\x82n u\xcc\x89y", 1}, /* NFD */
        /* NFD pattern against NFC text */
        {"qua\xcc\xa3\xcc\x82n", 0, "Quận ủy", 1},
        {"hòa", 0, "hỏa hoạn", 0}, /* another tone */
        {"quận", 0, "Quân đội", 0},
        {"đống", 0, "Dong", 0}, /* đ asked for */
    };
    check_titles(cases, NELEMS(cases));
}

static void test_smart_case(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"hanoi", 0, "HANOI", 1},
        {"Hanoi", 0, "Hanoi", 1},
        {"Hanoi", 0, "HANOI", 0}, /* a capital: case counts */
        {"Dong Da", 0, "Quận Đống Đa", 1}, /* Đ folds to D, case kept */
        {"Dong Da", 0, "quận đống đa", 0},
        {"Hanoi", O_I, "HANOI", 1}, /* -i */
        {"hanoi", O_S, "HANOI", 0}, /* -s */
        {"hanoi", O_S, "hanoi", 1},
    };
    check_titles(cases, NELEMS(cases));
}

static void test_exact(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"Quận ủy", O_X, "Quận ủy", 1},
        {"Quận ủy", O_X, "Quận uỷ", 0}, /* tone placement counts */
        {"quan uy", O_X, "Quận ủy", 0},
        {"quận ủy", O_X, "Quận ủy", 0}, /* case counts */
        {"quận ủy", O_I | O_X, "Quận ủy", 1}, /* unless -i */
        /* NFC is not folding: NFD text still equals NFC */
        {"Quận", O_X, "Qua\xcc\xa3\xcc\x82n", 1},
    };
    check_titles(cases, NELEMS(cases));
}

static void test_words_and_regex(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"ha", O_W, "Hà Nội", 1},
        {"ha", O_W, "Hải Phòng", 0},
        {"noi", O_W | O_X, "Nội Bài nối", 0},
        {"quan \\w+ da", O_E, "Quận Đống Đa", 1},
        {"^ban", O_E, "Ban thường vụ", 1},
        {"^vu", O_E, "Ban thường vụ", 0},
        /* \S must stay \S: smart case looks past escapes */
        {"quan\\s\\S+", O_E, "QUẬN ỦY", 1},
        /* literal metacharacters are literal */
        {"a.b", 0, "x a.b y", 1},
        {"a.b", 0, "x acb y", 0},
        {"(c)", 0, "bản quyền (c) 2023", 1},
    };
    check_titles(cases, NELEMS(cases));
    bt_match_opts o = {1, 0, 0, 0, 0};
    bt_error err = BT_ERROR_INIT;
    bt_matcher *m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "quan(", BT_FIELD_TITLE, 0, &err), -1);
    assert_non_null(strstr(err.msg, "quan("));
    bt_matcher_free(m);
}

static void test_fields_all_required(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    unsigned f = 0;
    assert_int_equal(bt_fields_parse("title,body", &f, &err), 0);
    assert_int_equal(f, BT_FIELD_TITLE | BT_FIELD_BODY);
    assert_int_equal(bt_fields_parse("byline,related,source", &f, &err), 0);
    assert_int_equal(f, BT_FIELD_BYLINE | BT_FIELD_RELATED | BT_FIELD_SOURCE);
    assert_int_equal(bt_fields_parse("title,bodies", &f, &err), -1);
    assert_non_null(strstr(err.msg, "bodies"));
    assert_string_equal(bt_field_name(BT_FIELD_RELATED), "related");

    bt_article a;
    make_article(&a, "Quận ủy Đống Đa", "Hội nghị tổng kết công tác.");
    a.byline = bt_strdup("Phòng Văn hóa");

    /* patterns, each in its fields and maybe required, with or without --all */
    static const struct {
        int all;
        struct {
            const char *pattern;
            unsigned fields;
            int required;
        } terms[2];
        int want;
    } cases[] = {
        {0, {{"van hoa", BT_FIELD_TITLE | BT_FIELD_BODY, 0}}, 0},
        {0, {{"van hoa", BT_FIELD_BYLINE, 0}}, 1},
        /* any of several; --all: every one; required: always */
        {0, {{"tong ket", BT_FIELD_BODY, 0}, {"bong da", BT_FIELD_BODY, 0}}, 1},
        {1, {{"tong ket", BT_FIELD_BODY, 0}, {"bong da", BT_FIELD_BODY, 0}}, 0},
        {0, {{"tong ket", BT_FIELD_BODY, 0}, {"hoi nghi", BT_FIELD_TITLE, 1}}, 0}, /* not in the title */
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        bt_match_opts o = {0, 0, 0, 0, cases[i].all};
        bt_matcher *m = bt_matcher_new(&o, &err);
        assert_non_null(m);
        for (size_t k = 0; k < 2 && cases[i].terms[k].pattern; k++)
            assert_int_equal(bt_matcher_add(m, cases[i].terms[k].pattern, cases[i].terms[k].fields,
                                            cases[i].terms[k].required, &err), 0);
        if (bt_matcher_article(m, &a, &err) != cases[i].want)
            fail_msg("fields case %zu: want %d", i, cases[i].want);
        bt_matcher_free(m);
    }
    bt_article_free(&a);
}

static void test_blocks_do_not_join(void **state)
{
    (void)state;
    bt_article a;
    make_article(&a, "Tin", "kết thúc ở quận");
    assert_int_equal(bt_article_add_para(&a, BT_BLOCK_P, "ủy ban họp"), 0);
    bt_match_opts o = {0, 0, 0, 0, 0};
    bt_error err = BT_ERROR_INIT;
    bt_matcher *m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "quan uy", BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_article(m, &a, &err), 0);
    bt_matcher_free(m);
    bt_article_free(&a);
}

typedef struct spans {
    char got[4][64];
    int n;
} spans;

static int collect(void *ctx, unsigned field, const char *text, size_t len,
                   size_t start, size_t end)
{
    spans *s = ctx;
    assert_true(end <= len && start <= end);
    assert_int_equal(field, BT_FIELD_BODY);
    if (s->n < 4)
        snprintf(s->got[s->n++], sizeof s->got[0], "%.*s", (int)(end - start), text + start);
    return 0;
}

static void test_match_positions(void **state)
{
    (void)state;
    bt_article a;
    /* the spans are in the block's text as matched: NBSP and a double
     * space collapsed, NFD composed (NFC) */
    make_article(&a, "Tin", "Ban Thường vụ Quận\xc2\xa0ủy và  quận   uỷ, rồi Qua\xcc\xa3\xcc\x82n u\xcc\x89y.");
    bt_matcher *m = matcher("quan uy", 0, 0, 0, 0);
    spans s = {.n = 0};
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_matcher_each(m, &a, collect, &s, &err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.got[0], "Quận ủy");
    assert_string_equal(s.got[1], "quận uỷ");
    assert_string_equal(s.got[2], "Quận ủy");
    bt_matcher_free(m);
    bt_article_free(&a);
}

/* ---- issue 12: one table, each case matched parsed and raw ---- */

/* How an article of the table is built: its title, then its body
 * blocks split at '|' (a block starting "#" is a table row whose cells
 * are split at '#'), then byline. */
typedef struct mcase {
    const char *pattern;
    unsigned opts; /* O_* below */
    const char *title, *body, *byline;
    int want;
    const char *why;
} mcase;

static const mcase cases[] = {
    /* folding never finds less than --exact: tone marks glued to the next word */
    {"T.Thủy", O_BYLINE, "Tin", "x", "T.ThủyTổng hợp", 1, "glued byline, folded"},
    {"T.Thủy", O_BYLINE | O_X, "Tin", "x", "T.ThủyTổng hợp", 1, "glued byline, exact"},
    {"T.Thuỷ", O_BYLINE, "Tin", "x", "T.ThủyTổng hợp", 1, "glued, other tone placement"},
    {"hòa", 0, "Tin", "Đội HòaBình thắng", NULL, 1, "HòaBình"},
    {"thủy", 0, "Tin", "nhà máy thủyđiện", NULL, 1, "thủyđiện"},
    {"thuỷ", 0, "Tin", "nhà máy thủyđiện", NULL, 1, "thủyđiện, new style pattern"},
    {"Thủy", 0, "Tin", "ThủyTheo tin", NULL, 1, "ThủyTheo"},
    /* --exact -i folds case and tone placement */
    {"KHOÁ", O_X | O_I, "Tin", "mở khóa học mới", NULL, 1, "--exact -i KHOÁ finds khóa"},
    {"KHOÁ", O_X | O_I, "Tin", "mở khoá học mới", NULL, 1, "--exact -i KHOÁ finds khoá"},
    {"Khoá", O_X, "Tin", "mở khóa học mới", NULL, 0, "--exact keeps tone placement"},
    {"khoa", O_X | O_I, "Tin", "mở khóa học mới", NULL, 0, "--exact -i keeps diacritics"},
    /* -E sees one block at a time, ^ and $ at its edges */
    {"quận$", O_E, "Tin", "kết thúc ở quận|ủy ban họp", NULL, 1, "$ at a block's end"},
    {"^ủy", O_E, "Tin", "kết thúc ở quận|ủy ban họp", NULL, 1, "^ at a block's start"},
    {"quận\\s+ủy", O_E, "Tin", "kết thúc ở quận|ủy ban họp", NULL, 0, "no match across blocks"},
    {"quan.uy", O_E, "Tin", "kết thúc ở quận|ủy ban họp", NULL, 0, ". does not cross blocks"},
    {"^tin$", O_E, "Tin", "x", NULL, 1, "the title is one block"},
    {"quan uy", 0, "Tin", "kết thúc ở quận|ủy ban họp", NULL, 0, "literals do not cross blocks"},
    /* a space at a pattern's edge: white space or a block's edge */
    {"quan ", O_W, "Tin", "Quảng Nam", NULL, 0, "-w 'quan ' is not quang"},
    {"quan ", 0, "Tin", "Quảng Nam", NULL, 0, "'quan ' wants a space after"},
    {"quan ", 0, "Tin", "họp ở quận", NULL, 1, "'quan ' at a block's end"},
    {"quan ", 0, "Tin", "quận uỷ", NULL, 1, "'quan ' before a space"},
    {" ha ", 0, "Tin", "Hà Nội", NULL, 1, "' ha ' at a block's start"},
    {" ha ", 0, "Tin", "Hải Hà", NULL, 1, "' ha ' at a block's end"},
    {" ha ", 0, "Tin", "Hạ Long", NULL, 1, "' ha ' is any Hà, Hạ"},
    {" ha ", 0, "Tin", "Hải Phòng", NULL, 0, "' ha ' is not hải"},
    {" ha ", 0, "Tin", "chà là", NULL, 0, "' ha ' is not chà"},
    {"ha", 0, "Tin", "chà là", NULL, 1, "'ha' is part of chà"},
    {"   ", 0, "Tin", "x", NULL, 1, "only spaces: the empty pattern"},
    /* one rule for misplaced tone marks: oa, oe, uy, wherever they stand */
    {"hoàn", 0, "Tin", "đã hòan thành", NULL, 1, "hoàn finds hòan"},
    {"hòan", 0, "Tin", "đã hoàn thành", NULL, 1, "hòan finds hoàn"},
    {"khoá", 0, "Tin", "rất khóai", NULL, 1, "khoá finds khóai"},
    {"khóa", 0, "Tin", "rất khoái", NULL, 1, "khóa finds khoái"},
    {"khoái", 0, "Tin", "rất khóai", NULL, 1, "khoái finds khóai"},
    {"khỏe", 0, "Tin", "sức khoẻ", NULL, 1, "khỏe finds khoẻ"},
    {"quý", 0, "Tin", "quỹ qúy", NULL, 1, "quý finds qúy"},
    {"hòa", 0, "Tin", "hóa học", NULL, 0, "another tone is another word"},
    {"hoà", 0, "Tin", "hoạ sĩ", NULL, 0, "another tone, other placement"},
    {"thủ", 0, "Tin", "thuỷ điện", NULL, 0, "thủ is not the start of thuỷ"},
    {"thủ", 0, "Tin", "thủy điện", NULL, 1, "thủ is the start of thủy"},
    /* ð/Ð, written for đ/Đ by old converters, are đ/Đ */
    {"Đống Đa", 0, "Tin", "quận \xc3\x90\xe1\xbb\x91ng \xc3\x90" "a", NULL, 1, "Đ finds Ð"},
    {"dong da", 0, "Tin", "quận \xc3\x90\xe1\xbb\x91ng \xc3\x90" "a", NULL, 1, "d finds Ð"},
    {"\xc3\xb0\xe1\xbb\x91ng", 0, "Tin", "quận Đống Đa", NULL, 1, "ð finds đ"},
    {"Đống", O_X, "Tin", "quận \xc3\x90\xe1\xbb\x91ng", NULL, 0, "--exact: Ð is not Đ"},
    /* tables: every cell a block */
    {"quan uy", 0, "Tin", "#Quận ủy#Ba Đình", NULL, 1, "a table cell"},
    {"quan uy", 0, "Tin", "#Quận#ủy", NULL, 0, "no match across cells"},
    {"ba dinh", 0, "Tin", "#Quận ủy#Ba Đình|#x#y", NULL, 1, "the second cell"},
    /* smart case, -s, -w */
    {"Dong Da", 0, "Tin", "quận đống đa", NULL, 0, "a capital: case counts"},
    {"dong da", O_S, "Tin", "Quận Đống Đa", NULL, 0, "-s: case counts"},
    {"noi", O_W, "Tin", "Nội Bài nối", NULL, 1, "-w whole words"},
    {"no", O_W, "Tin", "Nội Bài nối", NULL, 0, "-w not inside words"},
};

/* The article of a case, as a model and as the article format. */
static void build_case(const mcase *c, bt_article *a, bt_buf *xml)
{
    bt_article_init(a);
    strcpy(a->id, "0123456789abcdef");
    assert_int_equal(bt_text_set_plain(&a->title, c->title), 0);
    char *body = strdup(c->body), *save = NULL;
    assert_non_null(body);
    for (char *blk = strtok_r(body, "|", &save); blk; blk = strtok_r(NULL, "|", &save)) {
        if (blk[0] != '#') {
            assert_int_equal(bt_article_add_para(a, BT_BLOCK_P, blk), 0);
            continue;
        }
        bt_block *t = bt_article_add_block(a, BT_BLOCK_TABLE);
        assert_non_null(t);
        bt_row *r = bt_block_add_row(t);
        assert_non_null(r);
        char *save2 = NULL;
        for (char *cell = strtok_r(blk + 1, "#", &save2); cell; cell = strtok_r(NULL, "#", &save2)) {
            bt_cell *x = bt_row_add_cell(r);
            assert_non_null(x);
            assert_int_equal(bt_text_set_plain(&x->text, cell), 0);
        }
    }
    free(body);
    if (c->byline)
        a->byline = bt_strdup(c->byline);
    /* the same article written out, as a stream holds it */
    char *all = unit_articles_xml(a, 1);
    const char *start = strstr(all, "<article"), *end = strstr(all, "</article>");
    assert_non_null(start);
    assert_non_null(end);
    bt_buf_reset(xml);
    assert_int_equal(bt_buf_add(xml, start, (size_t)(end + 10 - start)), 0);
    free(all);
}

static bt_matcher *case_matcher(const mcase *c)
{
    bt_match_opts o = opts_of(c->opts);
    bt_error err = BT_ERROR_INIT;
    bt_matcher *m = bt_matcher_new(&o, &err);
    assert_non_null(m);
    unsigned fields = c->opts & O_BYLINE ? BT_FIELD_BYLINE : BT_FIELD_TITLE | BT_FIELD_BODY;
    if (bt_matcher_add(m, c->pattern, fields, 0, &err) < 0)
        fail_msg("pattern \"%s\": %s", c->pattern, err.msg);
    return m;
}

static void test_issue12_table(void **state)
{
    (void)state;
    bt_buf xml = BT_BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const mcase *c = &cases[i];
        bt_article a;
        build_case(c, &a, &xml);
        bt_matcher *m = case_matcher(c);
        bt_error err = BT_ERROR_INIT;
        int parsed = bt_matcher_article(m, &a, &err);
        int raw = bt_matcher_raw(m, xml.data, xml.len, &err);
        if (parsed != c->want)
            fail_msg("%s: \"%s\" parsed %d, wanted %d", c->why, c->pattern, parsed, c->want);
        if (raw != RAW_PARSE && raw != c->want)
            fail_msg("%s: \"%s\" raw %d, wanted %d (%s)", c->why, c->pattern, raw, c->want,
                     xml.data);
        if (c->want && !(c->opts & O_E) && !bt_matcher_may_match(m, xml.data, xml.len))
            fail_msg("%s: the prefilter says no", c->why);
        bt_matcher_free(m);
        bt_article_free(&a);
    }
    bt_buf_free(&xml);
}

/* A regular expression that needs too much work fails with BT_ERR_LIMIT
 * (the search reports that article and goes on). */
static void test_match_limit(void **state)
{
    (void)state;
    bt_article a;
    bt_buf body = BT_BUF_INIT;
    for (int i = 0; i < 40; i++)
        assert_int_equal(bt_buf_adds(&body, "chữ và chữ "), 0);
    assert_int_equal(bt_buf_adds(&body, "."), 0);
    make_article(&a, body.data, body.data);
    bt_matcher *m = matcher("(\\w+\\s?)+$", 1, 0, 0, 0);
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_matcher_article(m, &a, &err), -1);
    assert_int_equal(err.code, BT_ERR_LIMIT);
    bt_matcher_free(m);
    bt_article_free(&a);
    bt_buf_free(&body);
}

/* ---- the prefilter never says no to a match ---- */

/* For each raw article: when the full matcher matches, the prefilter
 * must have said "may", and the raw matcher agrees with the parsed one. */
static void check_sound(const char *pattern, const char *xml, int want)
{
    bt_matcher *m = matcher(pattern, 0, 0, 0, 0);
    bt_error err = BT_ERROR_INIT;
    bt_article a;
    assert_int_equal(unit_read_first(xml, strlen(xml), &a, &err), 1);
    int full = bt_matcher_article(m, &a, &err);
    int may = bt_matcher_may_match(m, xml, strlen(xml));
    int raw = bt_matcher_raw(m, xml, strlen(xml), &err);
    if (full != want || (full && !may) || (raw != RAW_PARSE && raw != full))
        fail_msg("pattern \"%s\" on %s: match %d (wanted %d), prefilter %d, raw %d", pattern,
                 xml, full, want, may, raw);
    bt_article_free(&a);
    bt_matcher_free(m);
}

#define ART(t, b) "<article id=\"0123456789abcdef\"><title>" t "</title><body><p>" b "</p></body></article>"

/* An article written out as the input holds it is first read for its
 * markup: what the format writes passes, anything else goes to the
 * parser (RAW_PARSE), which says what is wrong. */
static void test_raw_check(void **state)
{
    (void)state;
    static const struct {
        const char *xml;
        int want;
    } cases[] = {
        {ART("Tin", "Hà Nội"), RAW_YES},
        {"<article id=\"0123456789abcdef\" lang='vi'>\n  <title>T</title>\n  <source file=\"a b.txt\"/>"
         "<body><p>x <em>y</em> <a href=\"http://x/?a=1&amp;b=2\">z</a></p><figure src=\"i.jpg\">"
         "<caption>c</caption></figure><table><row><cell>1</cell></row></table></body>"
         "<related><link href=\"h\">l</link></related></article >", RAW_YES},
        {"<article><title>T</title><body><p>a > b</p><p/></body></article>", RAW_YES},
        {ART("Tin", "Hà Nội <b>mưa</b>"), RAW_PARSE},            /* not the format's */
        {ART("Tin", "Hà Nội <b>mưa"), RAW_PARSE},                /* not closed */
        {ART("Tin", "Hà <em>Nội</p></em>"), RAW_PARSE},          /* crossed */
        {"<article><title>T</title><body><p>x</p></body>", RAW_PARSE}, /* no end */
        {"<article><title>T</title></article><p>x</p>", RAW_PARSE},  /* more after it */
        {"<article><title x=1>T</title></article>", RAW_PARSE},      /* unquoted */
        {"<article><title x=\"1\"y=\"2\">T</title></article>", RAW_PARSE}, /* no space */
        {"<article><title x=\"<\">T</title></article>", RAW_PARSE},  /* '<' in a value */
        {"<article><title x>T</title></article>", RAW_PARSE},        /* no value */
        {"<article><title>T</title x></article>", RAW_PARSE},        /* end tag with more */
        {"<article><title>T</title></article", RAW_PARSE},           /* cut */
        {"</article>", RAW_PARSE},
        {" <article></article>", RAW_PARSE},
        {"<articles><article></article></articles>", RAW_PARSE},
        {"<article><p><p><p><p><p><p><p><p><p><p><p><p><p><p><p><p><p>", RAW_PARSE},
        {"", RAW_PARSE},
        {ART("Tin", "Hà Nội \xff\xfe"), RAW_PARSE},             /* not UTF-8 */
        {ART("Tin", "a\x01b"), RAW_PARSE},                       /* a control */
        {ART("Tin\xe1\xbb", "x"), RAW_PARSE},                   /* cut */
        {ART("Tin", "\xef\xbf\xbe"), RAW_PARSE},                /* U+FFFE */
        {ART("Tin", "a ]]> b"), RAW_PARSE},                       /* not in text */
        /* what the reader refuses in the format's elements */
        {"<article><body><p>x</p></body></article>", RAW_PARSE},          /* no title */
        {"<article><title>T</title></article>", RAW_PARSE},               /* no body */
        {"<article><title>T</title><title>U</title><body/></article>", RAW_PARSE},
        {"<article><title>T</title><body/><body/></article>", RAW_PARSE},
        {"<article><title>T</title><body>x<p>y</p></body></article>", RAW_PARSE},
        {"<article>x<title>T</title><body/></article>", RAW_PARSE},
        {"<article><title>T</title><p>x</p><body/></article>", RAW_PARSE},
        {"<article><title>T</title><body><item>x</item></body></article>", RAW_PARSE},
        {"<article><title>T</title><body><p><p>x</p></p></body></article>", RAW_PARSE},
        {"<article><title>T</title><body><list>x<item>y</item></list></body></article>", RAW_PARSE},
        {"<article><title>T<p>x</p></title><body/></article>", RAW_PARSE},
        {"<article><title>T</title><date><em>x</em></date><body/></article>", RAW_PARSE},
        {"<article xmlns=\"urn:x\"><title>T</title><body/></article>", RAW_PARSE},
        {"<article><title x:y=\"1\">T</title><body/></article>", RAW_PARSE},
        {"<article><title x=\"1\" x=\"2\">T</title><body/></article>", RAW_PARSE},
        {"<article/>", RAW_PARSE},
        {"<article><title 1x=\"1\">T</title><body/></article>", RAW_PARSE},
        {"<article><title -x=\"1\">T</title><body/></article>", RAW_PARSE},
        {"<article><title \xc3\xa0=\"1\">T</title><body/></article>", RAW_PARSE},
        {"<article><title x-y.z_1=\"1\">T</title><body/></article>", RAW_YES},
        {"<article>\n <title>T <em>a <strong>b</strong></em></title>\n <body>\n  <list><item>i</item></list>"
         "\n </body>\n</article>", RAW_YES},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        int got = bt_raw_check(cases[k].xml, strlen(cases[k].xml));
        if (got != cases[k].want)
            fail_msg("case %zu, %s: %d, want %d", k, cases[k].xml, got, cases[k].want);
    }
}

static void test_prefilter_sound(void **state)
{
    (void)state;
    check_sound("quan uy", ART("Quận ủy", "x"), 1);
    check_sound("quan uy", ART("Tin", "QUẬN\n   ỦY họp"), 1);
    check_sound("quan uy", ART("Tin", "Quận <em>ủy</em>"), 1);
    check_sound("quan uy", ART("Tin", "Qu<strong>ận</strong> ủy"), 1);
    check_sound("quan uy", ART("Tin", "Quận\xc2\xa0ủy"), 1);
    check_sound("quan uy", ART("Tin", "Qua\xcc\xa3\xcc\x82n u\xcc\x89y"), 1);
    check_sound("quan uy", ART("Tin", "Quan hệ"), 0);
    check_sound("quan uy", ART("Tin", "quận</p><p>ủy"), 0);
    check_sound("nino", ART("Tin", "El Niño"), 1);
    check_sound("nino", ART("Tin", "EL NIÑO"), 1);
    /* case is PCRE2's (simple folding): ß is not "ss"; the prefilter
     * may still say "may" */
    check_sound("strasse", ART("Tin", "Straße"), 0);
    check_sound("dong da", ART("Tin", "ĐỐNG ĐA"), 1);
    check_sound("at&t", ART("Tin", "AT&amp;T"), 1);
    check_sound("a<b", ART("Tin", "a&lt;b"), 1);
    check_sound("\"x\"", ART("Tin", "&quot;x&quot;"), 1);
    check_sound("hòa", ART("Tin", "hoà"), 1);
    check_sound("ủy", ART("Tin", "uỷ"), 1);
    check_sound("kelvin", ART("Tin", "\xe2\x84\xaa" "elvin"), 1); /* U+212A */
    check_sound("qq", ART("Tin", "qQ"), 1);
    check_sound("2023", ART("Tin", "năm 2023"), 1);
    check_sound("", ART("Tin", "x"), 1);
    check_sound("   ", ART("Tin", "x"), 1);
    check_sound("x", ART("Tin", "x\xe2\x80\x8b"), 1); /* U+200B after */
    check_sound("ab", ART("Tin", "a\xe2\x80\x8b" "b"), 1); /* and within */
    check_sound("ab", ART("Tin", "a\xc2\xad" "b"), 1);       /* U+00AD within */
    check_sound("tuong", ART("Tin", "tu\xf0\x9d\x85\xa5ong"), 0); /* astral, not a mark */
    check_sound("thu", ART("Tin", "th\xe1\xb7\x80u"), 1);    /* U+1DC0, a mark */
    check_sound("tuong", ART("Tin", "t\xd6\x91uong"), 1);     /* U+0591, a mark */
    /* a unit past ASCII beside the anchor: its spellings are looked up */
    check_sound("5°c", ART("Tin", "nắng 35°C"), 1);
    check_sound("x°", ART("Tin", "X°"), 1);
    check_sound("kim 김정은", ART("Tin", "KIM 김정은"), 1);
    check_sound("2020москва", ART("Tin", "2020МОСКВА"), 1);
    check_sound("2020москва", ART("Tin", "2020 МОСКВА"), 0);
    check_sound("αb", ART("Tin", "ΆB"), 1); /* Ά: α with a tonos */

    /* says no to what cannot match */
    bt_matcher *m = matcher("quan uy", 0, 0, 0, 0);
    const char *x = ART("Bóng đá", "Đội tuyển thắng quan trọng");
    assert_int_equal(bt_matcher_may_match(m, x, strlen(x)), 0);
    bt_matcher_free(m);
}

/* Every scan path (byte by byte, AVX2, AVX-512, as the CPU allows) must
 * stop at the same events, see the same '&', and find the same places:
 * each checks a superset of the anchor's positions with the same hit(). */
static void check_scan(bt_prefilter *p, const char *s, size_t len)
{
    int top = p->isa;
    for (size_t i = 0; i < p->npats; i++) {
        pattern *pt = &p->pats[i];
        int nv = pt->nfv ? pt->nfv : 1, cur = pt->cur;
        for (int k = 0; k < nv; k++) {
            pt->cur = k;
            size_t want_ev[64], want_stop[64];
            int nev = 0, nstop = 0;
            unsigned want_flags = 0, want_stop_flags = 0;
            for (int isa = ISA_PLAIN; isa <= top; isa++) {
                p->isa = isa;
                unsigned flags = 0;
                int n = 0;
                size_t ev[64];
                for (size_t from = 0;;) {
                    size_t q = bt_prefilter_scan(p, i, s, from, len, SCAN_EVENTS, &flags);
                    if (q >= len || n == 64)
                        break;
                    ev[n++] = q;
                    from = q + 1;
                }
                /* every place, stopping at each (after an odd character
                 * the article may match anywhere: nothing more to find) */
                size_t stop[64];
                int ns = 0;
                unsigned sf = 0;
                for (size_t from = 0; from < len && ns < 64;) {
                    unsigned f = 0;
                    size_t q = bt_prefilter_scan(p, i, s, from, len, SCAN_STOP_HIT, &f);
                    sf |= f;
                    if (q >= len || !(f & (BT_PF_HIT | BT_PF_ODD)))
                        break;
                    stop[ns++] = q;
                    from = q + 1;
                    if (f & BT_PF_ODD)
                        break;
                }
                if (isa == ISA_PLAIN) {
                    memcpy(want_ev, ev, sizeof ev);
                    memcpy(want_stop, stop, sizeof stop);
                    nev = n, nstop = ns, want_flags = flags, want_stop_flags = sf;
                    continue;
                }
                /* A place next to an odd character may be missed by a
                 * vector path, which says "odd" instead: both mean the
                 * article may match, and the places found before must
                 * be the same. */
                int odd = (flags | want_flags | sf | want_stop_flags) & BT_PF_ODD;
                int same_places = ns == nstop && !memcmp(stop, want_stop, (size_t)ns * sizeof *stop);
                if (odd && !same_places) {
                    int k2 = 0;
                    while (k2 < ns && k2 < nstop && stop[k2] == want_stop[k2])
                        k2++;
                    same_places = (k2 == ns || k2 == nstop || (sf & BT_PF_ODD)) &&
                                  (sf & (BT_PF_HIT | BT_PF_ODD)) &&
                                  (want_stop_flags & (BT_PF_HIT | BT_PF_ODD));
                }
                unsigned mask = odd ? BT_PF_AMP : ~0u;
                if (n != nev || memcmp(ev, want_ev, (size_t)n * sizeof *ev) ||
                    (flags & mask) != (want_flags & mask) ||
                    !(flags & (BT_PF_HIT | BT_PF_ODD)) != !(want_flags & (BT_PF_HIT | BT_PF_ODD)) ||
                    !same_places)
                    fail_msg("isa %d, pattern %zu, anchor %d on \"%.*s\": %d events (want %d), "
                             "flags %u (%u), %d places (%d)", isa, i, k, (int)len, s, n, nev,
                             flags, want_flags, ns, nstop);
            }
            p->isa = top;
        }
        pt->cur = cur;
    }
}

/* The fold table, built in one go from the code points bt_fold does not
 * leave alone, is bt_fold's on every BMP code point. */
static void test_fold_table(void **state)
{
    (void)state;
    bt_prefilter *p = bt_prefilter_new();
    assert_non_null(p);
    assert_true(bt_prefilter_add(p, "x", 1) >= 0);
    bt_buf tmp = BT_BUF_INIT;
    bt_prefilter q; /* for fold_one's table of multiple folds */
    memset(&q, 0, sizeof q);
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++) {
        if (c >= 0xD800 && c < 0xE000)
            continue;
        uint32_t want;
        assert_int_equal(fold_one(&q, c, &tmp, &want), 0);
        uint32_t got = p->fold[c];
        if ((want & FOLD_MULTI) && (got & FOLD_MULTI)) {
            const multi_fold *a = &q.multi[want & ~FOLD_MULTI], *b = &p->multi[got & ~FOLD_MULTI];
            if (a->n == b->n && !memcmp(a->cp, b->cp, a->n * sizeof *a->cp))
                continue;
        }
        if (got != want)
            fail_msg("U+%04X folds to %#x in the table, %#x by bt_fold", (unsigned)c, got, want);
    }
    free(q.multi);
    bt_buf_free(&tmp);
    bt_prefilter_free(p);
}

/* The table the build computed (build/gen/foldtab.c) is the one this
 * utf8proc gives at run time, entry for entry, and the prefilter takes it:
 * a build that computed none, or for another utf8proc, would fail here. */
static void test_fold_table_built(void **state)
{
    (void)state;
    assert_true(bt_foldtab_built.n > 0);
    assert_string_equal(bt_foldtab_built.utf8proc, utf8proc_version());
    bt_prefilter *built = bt_prefilter_new(), *computed = bt_prefilter_new();
    assert_non_null(built);
    assert_non_null(computed);
    assert_int_equal(build_table(built, &bt_foldtab_built), 0);
    assert_int_equal(build_table(computed, NULL), 0);
    assert_int_equal(built->nmulti, computed->nmulti);
    for (uint32_t c = 0; c < TABLE_SIZE; c++)
        if (built->fold[c] != computed->fold[c])
            fail_msg("U+%04X: %#x in the built table, %#x computed", (unsigned)c,
                     built->fold[c], computed->fold[c]);
    for (size_t k = 0; k < computed->nmulti; k++) {
        assert_int_equal(built->multi[k].n, computed->multi[k].n);
        assert_memory_equal(built->multi[k].cp, computed->multi[k].cp,
                            computed->multi[k].n * sizeof *computed->multi[k].cp);
    }
    /* a table for another utf8proc is not taken */
    bt_foldtab other = bt_foldtab_built;
    other.utf8proc = "0.0.0-not-this-one";
    bt_prefilter *q = bt_prefilter_new();
    assert_non_null(q);
    q->fold = malloc(TABLE_SIZE * sizeof *q->fold);
    assert_non_null(q->fold);
    assert_int_equal(load_table(q, &other), 0);
    bt_prefilter_free(q);
    bt_prefilter_free(built);
    bt_prefilter_free(computed);
}

/* mkfoldtab's output: what the build compiles into bt_foldtab_built. */
static void test_fold_table_written(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(bt_prefilter_write_foldtab(f), 0);
    fclose(f);
    char want[160];
    snprintf(want, sizeof want, "bt_foldtab_built = {\"%s\", %zu, entries, %zu, multi};",
             utf8proc_version(), bt_foldtab_built.n, bt_foldtab_built.nmulti);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "    {0x00C0, 0x61},\n")); /* À is a */
    assert_non_null(strstr(text, "    {0x0111, 0x64},\n")); /* đ is d */
    free(text);
    /* a stream that fails is told */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        setvbuf(full, NULL, _IONBF, 0);
        assert_int_equal(bt_prefilter_write_foldtab(full), -1);
        fclose(full);
    }
}

static const char *const path_patterns[] = {
    "quan uy", "ngan hang nha nuoc", "khoi to", "nino", "kelvin", "covid",
    "bao hiem", "2020", "vu", "a", "dong da", "thu tuong", "qq", "ha noi",
    "strasse", "at&t", "x", "", "viet nam"};

static bt_prefilter *path_prefilter(void)
{
    bt_prefilter *p = bt_prefilter_new();
    assert_non_null(p);
    for (size_t i = 0; i < sizeof path_patterns / sizeof *path_patterns; i++)
        assert_true(bt_prefilter_add(p, path_patterns[i], strlen(path_patterns[i])) >= 0);
    return p;
}

static void test_scan_paths_agree(void **state)
{
    (void)state;
    bt_prefilter *p = path_prefilter();
    static const char *const texts[] = {
        ART("Quận ủy", "x"), ART("Tin", "El Niño, EL NIÑO, ñ"),
        ART("Tin", "\xe2\x84\xaa" "elvin and \xe1\xb8\xb1hoi to"), /* K, ḱ */
        ART("Ngân hàng Nhà nước", "khởi tố bị can"), ART("Tin", "Covid-19 COVID"),
        ART("Bảo hiểm", "ḃao hiem"), ART("Tin", "năm 2020, vụ việc"),
        ART("Tin", "Đống Đa, Dong Da"), ART("Thủ tướng", "Hà Nội, Việt Nam, viet  nam"),
        "q", "", "<article>qQ</article>",
        /* what the scan must stop at or notice */
        ART("Ngân <em>hàng</em> Nhà&#32;nước", "<!-- c --> Ngân hàng Nhà nước </a> <aria"),
        ART("Tin", "AT&amp;T &amp at&t; Stra\xc3\x9f" "e <?pi?> x\xe2\x80\x8b"),
        ART("Tin", "Nga\xcc\x82" "n ha\xcc\x80" "ng Nha\xcc\x80 nu\xcc\x9b" "o\xcc\x81" "c "
                   "ngân\xc2\xa0" "hàng nhà\nnước <article> </article"),
        ART("Tin", "th\xe1\xb7\x80u tu\xf0\x9f\x98\x80ong h\xd6\x91" "a n\xe1\xbb\x99i"),
        ART("Tin", "viet \xc5\x89" "am, Stra\xc3\x9f" "e, x\xe1\xba\x9a, STRA\xe1\xba\x9e" "E"), /* ŉ ß ẚ ẞ */
        "\xff\xfe<\x80" "a&<!&"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t n = strlen(texts[i]);
        /* every tail, so that each byte meets each lane and the edges */
        for (size_t k = 0; k <= n; k++)
            check_scan(p, texts[i] + k, n - k);
    }
    bt_prefilter_free(p);
}

/* The odd pairs and trios (ß, ŉ; ẚ, ẞ: characters that fold to several)
 * are looked for only by a pattern whose match one of them can overlap,
 * and a text holding one is then odd for that pattern alone. */
static void test_odd_needs(void **state)
{
    (void)state;
    static const struct {
        const char *pattern;
        unsigned odd;
    } cases[] = {
        {"viet nam", 0},         {"ha noi", 0},          {"thu tuong", 0},
        {"quan uy", 0},          {"nam", ODD_PAIRS},      /* ŉ = ʼn, its n first */
        {"ngan hang nha nuoc", ODD_PAIRS},               {"xa", ODD_TRI}, /* ẚ = aʾ */
        {"strasse", ODD_PAIRS | ODD_TRI},                /* ß, ẞ = ss */
        {"as", ODD_PAIRS | ODD_TRI},                     /* ß's s last, ẚ's a first */
    };
    bt_prefilter *p = bt_prefilter_new();
    assert_non_null(p);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        long i = bt_prefilter_add(p, cases[k].pattern, strlen(cases[k].pattern));
        assert_true(i >= 0);
        if (p->pats[i].odd != cases[k].odd)
            fail_msg("\"%s\": odd %u, want %u", cases[k].pattern, p->pats[i].odd, cases[k].odd);
    }
    /* "ŉam": odd for "nam", which it may hold; not for "viet nam" */
    const char *x = ART("Tin", "\xc5\x89" "am");
    for (long i = 0; i < 2; i++) {
        long k = i ? 4 : 0;
        unsigned flags = 0;
        bt_prefilter_scan(p, (size_t)k, x, 0, strlen(x), 0, &flags);
        assert_int_equal((flags & BT_PF_ODD) != 0, i == 1);
    }
    bt_prefilter_free(p);
}

/* ---- the raw splitter ---- */

static FILE *temp_with(const char *data, size_t len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fflush(f);
    rewind(f);
    return f;
}

/* Scans data; returns the number of articles, or -1 with err set. */
static int scan_all(const char *data, bt_error *err, int *must_parse)
{
    FILE *f = temp_with(data, strlen(data));
    bt_artscan *s = bt_artscan_open(fileno(f), "in.xml", err);
    assert_non_null(s);
    bt_rawarticle raw;
    int n = 0, rc;
    if (must_parse)
        *must_parse = 0;
    while ((rc = bt_artscan_next(s, &raw, err)) == 1) {
        assert_memory_equal(raw.xml, "<article", 8);
        assert_memory_equal(raw.xml + raw.len - 10, "</article>", 10);
        if (must_parse)
            *must_parse += raw.must_parse;
        bt_article a;
        bt_article_init(&a);
        if (bt_artscan_parse(s, &raw, &a, err) < 0) {
            rc = -1;
            break;
        }
        bt_article_free(&a);
        n++;
    }
    bt_artscan_close(s);
    fclose(f);
    return rc < 0 ? -1 : n;
}

static void test_artscan_good(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    int mp;
    assert_int_equal(scan_all("", &err, NULL), 0);
    assert_int_equal(scan_all("  \n", &err, NULL), 0);
    assert_int_equal(scan_all("<articles version=\"1\"/>", &err, NULL), 0);
    assert_int_equal(scan_all("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                              "<!-- c --><articles version='1'>" ART("a", "b")
                              "<!-- </article> -->\n" ART("c", "d") "</articles>\n",
                              &err, &mp), 2);
    assert_int_equal(mp, 0);
    assert_int_equal(scan_all(ART("bare", "root"), &err, NULL), 1);
    assert_int_equal(scan_all("<articles>" ART("a", "b<!-- </article> -->") ART("c", "&#7911;")
                              ART("e", "<![CDATA[</article>]]>") "</articles>",
                              &err, &mp), 3);
    assert_int_equal(mp, 3);
}

static void expect_error(const char *data, const char *where)
{
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(scan_all(data, &err, NULL), -1);
    if (!strstr(err.msg, where))
        fail_msg("wanted \"%s\" in \"%s\"", where, err.msg);
}

static void test_artscan_errors(void **state)
{
    (void)state;
    expect_error("<articles>\n" ART("a", "b") "\n", "in.xml:3:1: the input ends too early (the document is cut off)");
    expect_error("<articles>\n  <article id=\"x\"><title>a</title>", "in.xml:2:35: the input ends too early");
    expect_error("<articles>\n  hello\n</articles>", "in.xml:2:3: text directly inside <articles>");
    expect_error("<articles>\n <foo/></articles>", "in.xml:2:2: unexpected element <foo>");
    expect_error("<html></html>", "in.xml:1:1: expected <articles> or <article>, found <html>");
    expect_error("<!DOCTYPE x>\n<articles/>", "in.xml:1:1: a DOCTYPE is not allowed");
    expect_error("<articles version=\"2\"/>", "unsupported format version \"2\"");
    expect_error("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><articles/>", "encoding");
    expect_error("plain text", "in.xml:1:1: text, not an article document");
    expect_error("\x89PNG\r\n\x1a\n", "in.xml:1:1: binary data, not an article document");
    /* an error inside an article points into the stream */
    expect_error("<articles>\n\n  <article><title>a <b>x</title><body/></article></articles>",
                 "in.xml:3:");
    /* ... and so do the lines libxml2 names in its words */
    expect_error("<articles>\n\n  <article><title>a\n<b>x</title><body/></article></articles>",
                 "b line 4 and title");
    /* columns count characters, as the reader counts them */
    expect_error("<articles>\n<article><title>\xe1\xbb\xa7y ban", "in.xml:2:23: the input ends too early");
}

static void test_artscan_big_article(void **state)
{
    (void)state;
    /* an article larger than one read, and many small ones */
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_buf_adds(&b, "<articles>"), 0);
    assert_int_equal(bt_buf_adds(&b, "<article><title>big</title><body>"), 0);
    for (int i = 0; i < 40000; i++)
        assert_int_equal(bt_buf_adds(&b, "<p>Quận ủy</p>"), 0);
    assert_int_equal(bt_buf_adds(&b, "</body></article>"), 0);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(bt_buf_adds(&b, "\n" ART("t", "b")), 0);
    assert_int_equal(bt_buf_adds(&b, "</articles>"), 0);
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(scan_all(b.data, &err, NULL), 3001);
    bt_buf_free(&b);
}

/* A file of several mapping windows: articles across their edges, one
 * larger than a window, the filter, and an error line far into it. */
static void test_artscan_windows(void **state)
{
    (void)state;
    bt_buf b = BT_BUF_INIT;
    long line = 1;
    assert_int_equal(bt_buf_adds(&b, "<articles>\n"), 0);
    line++;
    for (int part = 0; part < 2; part++) {
        for (int i = 0; i < 30000; i++, line++)
            assert_int_equal(bt_buf_adds(&b, i % 1000 == 7 ? ART("Quận ủy", "x") "\n"
                                                            : ART("t", "b") "\n"), 0);
        if (part == 0) {
            assert_int_equal(bt_buf_adds(&b, "<article><title>big</title><body>"), 0);
            for (int i = 0; i < 150000; i++)
                assert_int_equal(bt_buf_adds(&b, "<p>Quận ủy</p>"), 0);
            assert_int_equal(bt_buf_adds(&b, "</body></article>\n"), 0);
            line++;
        }
    }
    assert_int_equal(bt_buf_adds(&b, "  oops\n</articles>\n"), 0);
    char want[64];
    snprintf(want, sizeof want, "in.xml:%ld:3: text directly inside", line);
    for (int filtered = 0; filtered < 2; filtered++) {
        FILE *f = temp_with(b.data, b.len);
        bt_error err = BT_ERROR_INIT;
        bt_artscan *sc = bt_artscan_open(fileno(f), "in.xml", &err);
        assert_non_null(sc);
        bt_matcher *m = matcher("quan uy", 0, 0, 0, 0);
        if (filtered)
            bt_artscan_filter(sc, m);
        bt_rawarticle raw;
        int n = 0, rc;
        while ((rc = bt_artscan_next(sc, &raw, &err)) == 1) {
            assert_memory_equal(raw.xml, "<article", 8);
            assert_memory_equal(raw.xml + raw.len - 10, "</article>", 10);
            n++;
        }
        assert_int_equal(rc, -1);
        if (!strstr(err.msg, want))
            fail_msg("wanted \"%s\" in \"%s\"", want, err.msg);
        assert_int_equal(n, filtered ? 61 : 60001);
        bt_matcher_free(m);
        bt_artscan_close(sc);
        fclose(f);
    }
    bt_buf_free(&b);
}

/* ---- streams: documents one after another, gzip ---- */

static void test_artscan_concatenated(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<articles version=\"1\">\n"
                      "  " ART("a", "b") "\n</articles>\n";
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_buf_adds(&b, doc), 0);
    assert_int_equal(bt_buf_adds(&b, doc), 0);
    assert_int_equal(bt_buf_adds(&b, "\xef\xbb\xbf"), 0); /* a BOM before the third */
    assert_int_equal(bt_buf_adds(&b, doc), 0);
    assert_int_equal(bt_buf_adds(&b, ART("bare", "root") "\n<articles/>"), 0);
    assert_int_equal(scan_all(b.data, &err, NULL), 4);
    bt_buf_free(&b);
    /* what still is not a document */
    expect_error("<articles/>\n</articles>", "in.xml:2:1: extra content");
    expect_error("<articles/>\nhello", "in.xml:2:1: extra content");
    expect_error("<articles/>\n<foo/>", "in.xml:2:1: extra content");
    expect_error("<articles/>\n<?xml version=\"1.0\"?>", "no <articles> element");
    expect_error("<articles/><?xml version=\"1.0\" encoding=\"latin1\"?><articles/>", "encoding");
}

/* Compresses data with gzip (one member per call) into f. */
static void gzip_into(FILE *f, const char *data)
{
    unsigned char out[1 << 16];
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)strlen(data);
    int r;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        r = deflate(&z, Z_FINISH);
        fwrite(out, 1, sizeof out - z.avail_out, f);
    } while (r == Z_OK);
    assert_int_equal(r, Z_STREAM_END);
    deflateEnd(&z);
}

static int scan_fd(int fd, bt_error *err)
{
    bt_artscan *s = bt_artscan_open(fd, "in.xml.gz", err);
    assert_non_null(s);
    bt_rawarticle raw;
    int n = 0, rc;
    while ((rc = bt_artscan_next(s, &raw, err)) == 1) {
        bt_article a;
        bt_article_init(&a);
        assert_int_equal(bt_artscan_parse(s, &raw, &a, err), 0);
        bt_article_free(&a);
        n++;
    }
    bt_artscan_close(s);
    return rc < 0 ? -1 : n;
}

static void test_artscan_gzip(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    bt_buf big = BT_BUF_INIT;
    assert_int_equal(bt_buf_adds(&big, "<articles>"), 0);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(bt_buf_adds(&big, "\n" ART("Quận ủy", "một bài khá dài về quận")), 0);
    assert_int_equal(bt_buf_adds(&big, "</articles>\n"), 0);
    /* a file of two members (cat a.gz b.gz) */
    FILE *f = tmpfile();
    assert_non_null(f);
    gzip_into(f, big.data);
    gzip_into(f, "<article><title>x</title><body/></article>");
    fflush(f);
    rewind(f);
    assert_int_equal(scan_fd(fileno(f), &err), 5001);
    /* the same through a pipe */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        rewind(f);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            if (write(fds[1], buf, n) < 0)
                _exit(1);
        _exit(0);
    }
    close(fds[1]);
    assert_int_equal(scan_fd(fds[0], &err), 5001);
    close(fds[0]);
    waitpid(pid, NULL, 0);
    fclose(f);
    /* cut short, and damaged */
    f = tmpfile();
    gzip_into(f, big.data);
    fflush(f);
    long n = ftell(f);
    assert_int_equal(ftruncate(fileno(f), n / 2), 0);
    rewind(f);
    assert_int_equal(scan_fd(fileno(f), &err), -1);
    assert_non_null(strstr(err.msg, "in.xml.gz: the gzip data is cut short"));
    fclose(f);
    f = tmpfile();
    fwrite("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage garbage", 1, 26, f);
    fflush(f);
    rewind(f);
    assert_int_equal(scan_fd(fileno(f), &err), -1);
    assert_non_null(strstr(err.msg, "not valid gzip data"));
    fclose(f);
    bt_buf_free(&big);
}

/* ---- on real news ---- */

/* The corpus as one archive (the first files of dantri), or NULL. */
static FILE *corpus_archive(int *count)
{
    const char *dir = "../shared/corpus/vi-text/dantri-unc";
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    FILE *f = tmpfile();
    assert_non_null(f);
    bt_error err = BT_ERROR_INIT;
    bt_writer *w = bt_writer_open(f, &err);
    assert_non_null(w);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) && files < 400) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bt_buf data = BT_BUF_INIT;
        if (bt_read_file(path, 1 << 24, &data, &err) < 0)
            continue;
        bt_article a;
        bt_article_init(&a);
        bt_extract_opts o = {0};
        o.name = e->d_name;
        if (bt_textpage_extract(data.data, data.len, &o, &a, &err) == 1) {
            assert_int_equal(bt_writer_article(w, &a, &err), 0);
            files++;
        }
        bt_article_free(&a);
        bt_buf_free(&data);
    }
    closedir(d);
    assert_int_equal(bt_writer_close(w, &err), 0);
    fflush(f);
    rewind(f);
    *count = files;
    return f;
}

/* On real news: the prefilter never rules out a match, each anchor finds
 * every match, the raw matcher agrees with the parsed one, and folding
 * finds at least what --exact finds. */
static void test_corpus_sound(void **state)
{
    (void)state;
    int files;
    FILE *f = corpus_archive(&files);
    if (!f) {
        skip(); /* no corpus on this machine */
        return;
    }
    static const char *const patterns[] = {"quan uy", "ha noi", "covid", "bóng đá",
                                           "viet nam", "thủ tướng", "2020", "chi",
                                           "dong", "Việt Nam", "Thủy", "hoà", " ha ",
                                           "tp.hcm", "uỷ ban"};
    enum { NP = sizeof patterns / sizeof *patterns };
    bt_matcher *ms[NP], *exact[NP], *words[NP];
    for (size_t i = 0; i < NP; i++) {
        ms[i] = matcher(patterns[i], 0, 0, 0, 0);
        exact[i] = matcher(patterns[i], 0, 0, 0, 1);
        words[i] = matcher(patterns[i], 0, 1, 0, 0);
    }
    bt_error err = BT_ERROR_INIT;
    bt_artscan *s = bt_artscan_open(fileno(f), "corpus", &err);
    assert_non_null(s);
    bt_prefilter *paths = path_prefilter();
    /* the same patterns in a prefilter of their own, to try each anchor
     * against the full matcher */
    bt_prefilter *mine = bt_prefilter_new();
    assert_non_null(mine);
    for (size_t i = 0; i < NP; i++)
        assert_int_equal(bt_prefilter_add(mine, patterns[i], strlen(patterns[i])), (long)i);
    bt_rawarticle raw;
    int n = 0, hits[NP] = {0}, passed[NP] = {0}, rawn = 0;
    while (bt_artscan_next(s, &raw, &err) == 1) {
        bt_article a;
        bt_article_init(&a);
        assert_int_equal(bt_artscan_parse(s, &raw, &a, &err), 0);
        /* what news2xml writes is read for its markup without the parser */
        if (!raw.must_parse && bt_raw_check(raw.xml, raw.len) != RAW_YES)
            fail_msg("article %s is sent to the parser before it is written", a.id);
        if (n < 60)
            check_scan(paths, raw.xml, raw.len);
        for (size_t i = 0; i < NP; i++) {
            int full = bt_matcher_article(ms[i], &a, &err);
            int may = raw.must_parse || bt_matcher_may_match(ms[i], raw.xml, raw.len);
            if (full && !may)
                fail_msg("prefilter missed \"%s\" in article %s", patterns[i], a.id);
            if (bt_matcher_article(exact[i], &a, &err) > full)
                fail_msg("--exact \"%s\" finds article %s, folding does not", patterns[i], a.id);
            const bt_matcher *pair[2] = {ms[i], words[i]};
            for (int w = 0; w < 2 && !raw.must_parse; w++) {
                bt_matcher *mm = (bt_matcher *)pair[w];
                int want = w ? bt_matcher_article(mm, &a, &err) : full;
                int r = bt_matcher_raw(mm, raw.xml, raw.len, &err);
                if (r != RAW_PARSE && r != want)
                    fail_msg("raw \"%s\"%s: %d, parsed %d, article %s", patterns[i],
                             w ? " -w" : "", r, want, a.id);
                rawn += r != RAW_PARSE;
            }
            const pattern *pt = &mine->pats[i];
            for (int k = 0; full && !raw.must_parse && k < pt->nfv; k++) {
                const fused_variant *v = &pt->fv[k];
                int hit_ = 0;
                for (size_t h = 0; h < raw.len && !hit_; h++)
                    hit_ = v->first[(unsigned char)raw.xml[h]] &&
                           hit(mine, pt, v->anchor, raw.xml, raw.len, h);
                if (!hit_)
                    fail_msg("anchor %zu of \"%s\" missed article %s", v->anchor,
                             patterns[i], a.id);
            }
            hits[i] += full;
            passed[i] += may;
        }
        bt_article_free(&a);
        n++;
    }
    assert_int_equal(n, files);
    /* the raw matcher answered for nearly every article */
    assert_true(rawn > n * NP);
    /* and the prefilter is selective: "quan uy" lets few articles through */
    assert_true(hits[0] > 0);
    assert_true(passed[0] < n / 5);
    bt_artscan_close(s);
    bt_prefilter_free(paths);
    bt_prefilter_free(mine);
    fclose(f);
    for (size_t i = 0; i < NP; i++) {
        bt_matcher_free(ms[i]);
        bt_matcher_free(exact[i]);
        bt_matcher_free(words[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_diacritics_match_any),
        cmocka_unit_test(test_diacritics_must_match),
        cmocka_unit_test(test_smart_case),
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_words_and_regex),
        cmocka_unit_test(test_fields_all_required),
        cmocka_unit_test(test_blocks_do_not_join),
        cmocka_unit_test(test_match_positions),
        cmocka_unit_test(test_issue12_table),
        cmocka_unit_test(test_match_limit),
        cmocka_unit_test(test_prefilter_sound),
        cmocka_unit_test(test_raw_check),
        cmocka_unit_test(test_odd_needs),
        cmocka_unit_test(test_fold_table),
        cmocka_unit_test(test_fold_table_built),
        cmocka_unit_test(test_fold_table_written),
        cmocka_unit_test(test_scan_paths_agree),
        cmocka_unit_test(test_artscan_good),
        cmocka_unit_test(test_artscan_errors),
        cmocka_unit_test(test_artscan_big_article),
        cmocka_unit_test(test_artscan_windows),
        cmocka_unit_test(test_artscan_concatenated),
        cmocka_unit_test(test_artscan_gzip),
        cmocka_unit_test(test_corpus_sound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
