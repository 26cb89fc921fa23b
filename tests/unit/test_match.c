/* Unit tests of the search matcher, its prefilter and the raw article
 * splitter (lib/search_match.c, lib/search_prefilter.c, lib/xml_split.c). */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

/* The prefilter is compiled in here so that its scan paths (plain, SSE2,
 * AVX2) can be checked against one another; the matcher then uses this
 * copy instead of the library's. */
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

static int lit(const char *pattern, const char *title)
{
    return matches(pattern, title, 0, 0, 0, 0);
}

/* ---- folding the way people type ---- */

static void test_no_diacritics_match_any(void **state)
{
    (void)state;
    assert_true(lit("quan uy", "Ban thường vụ Quận ủy Đống Đa"));
    assert_true(lit("quan uy", "Quận uỷ"));
    assert_true(lit("quan uy", "QUẬN ỦY"));
    assert_true(lit("dong da", "Quận Đống Đa"));
    assert_true(lit("dong da", "quận đống đa"));
    /* NFD text: base letters followed by combining marks */
    assert_true(lit("quan uy", "Qua\xcc\xa3\xcc\x82n u\xcc\x89y"));
    assert_false(lit("quan uy", "Quan hệ"));
    assert_false(lit("dong da", "Đông Anh"));
}

static void test_diacritics_must_match(void **state)
{
    (void)state;
    assert_true(lit("quận ủy", "Quận uỷ Ba Đình"));      /* tone placement */
    assert_true(lit("hòa bình", "hoà bình"));
    assert_true(lit("hoà bình", "hòa bình"));
    assert_true(lit("thủy điện", "thuỷ điện"));
    assert_true(lit("thuỷ", "Thủy lợi"));               /* no capital: any case */
    assert_true(lit("quận ủy", "QUẬN ỦY"));
    assert_true(lit("quận ủy", "Qua\xcc\xa3\xcc\x82n u\xcc\x89y")); /* NFD */
    /* NFD pattern against NFC text */
    assert_true(lit("qua\xcc\xa3\xcc\x82n", "Quận ủy"));
    assert_false(lit("hòa", "hỏa hoạn"));                /* another tone */
    assert_false(lit("quận", "Quân đội"));
    assert_false(lit("đống", "Dong"));                  /* đ asked for */
}

static void test_smart_case(void **state)
{
    (void)state;
    assert_true(lit("hanoi", "HANOI"));
    assert_true(lit("Hanoi", "Hanoi"));
    assert_false(lit("Hanoi", "HANOI"));                /* a capital: case counts */
    assert_true(lit("Dong Da", "Quận Đống Đa"));        /* Đ folds to D, case kept */
    assert_false(lit("Dong Da", "quận đống đa"));
    assert_true(matches("Hanoi", "HANOI", 0, 0, 1, 0)); /* -i */
    assert_false(matches("hanoi", "HANOI", 0, 0, -1, 0)); /* -s */
    assert_true(matches("hanoi", "hanoi", 0, 0, -1, 0));
}

static void test_exact(void **state)
{
    (void)state;
    assert_true(matches("Quận ủy", "Quận ủy", 0, 0, 0, 1));
    assert_false(matches("Quận ủy", "Quận uỷ", 0, 0, 0, 1)); /* tone placement counts */
    assert_false(matches("quan uy", "Quận ủy", 0, 0, 0, 1));
    assert_false(matches("quận ủy", "Quận ủy", 0, 0, 0, 1)); /* case counts */
    assert_true(matches("quận ủy", "Quận ủy", 0, 0, 1, 1));  /* unless -i */
    /* NFC is not folding: NFD text still equals NFC */
    assert_true(matches("Quận", "Qua\xcc\xa3\xcc\x82n", 0, 0, 0, 1));
}

static void test_words_and_regex(void **state)
{
    (void)state;
    assert_true(matches("ha", "Hà Nội", 0, 1, 0, 0));
    assert_false(matches("ha", "Hải Phòng", 0, 1, 0, 0));
    assert_false(matches("noi", "Nội Bài nối", 0, 1, 0, 1));
    assert_true(matches("quan \\w+ da", "Quận Đống Đa", 1, 0, 0, 0));
    assert_true(matches("^ban", "Ban thường vụ", 1, 0, 0, 0));
    assert_false(matches("^vu", "Ban thường vụ", 1, 0, 0, 0));
    /* \S must stay \S: smart case looks past escapes */
    assert_true(matches("quan\\s\\S+", "QUẬN ỦY", 1, 0, 0, 0));
    /* literal metacharacters are literal */
    assert_true(lit("a.b", "x a.b y"));
    assert_false(lit("a.b", "x acb y"));
    assert_true(lit("(c)", "bản quyền (c) 2023"));
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

    bt_match_opts o = {0, 0, 0, 0, 0};
    bt_matcher *m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "van hoa", BT_FIELD_TITLE | BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_article(m, &a, &err), 0);
    bt_matcher_free(m);
    m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "van hoa", BT_FIELD_BYLINE, 0, &err), 0);
    assert_int_equal(bt_matcher_article(m, &a, &err), 1);
    bt_matcher_free(m);

    /* any of several; --all: every one; required: always */
    m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "tong ket", BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_add(m, "bong da", BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_article(m, &a, &err), 1);
    bt_matcher_free(m);
    o.all = 1;
    m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "tong ket", BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_add(m, "bong da", BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_article(m, &a, &err), 0);
    bt_matcher_free(m);
    o.all = 0;
    m = bt_matcher_new(&o, &err);
    assert_int_equal(bt_matcher_add(m, "tong ket", BT_FIELD_BODY, 0, &err), 0);
    assert_int_equal(bt_matcher_add(m, "hoi nghi", BT_FIELD_TITLE, 1, &err), 0);
    assert_int_equal(bt_matcher_article(m, &a, &err), 0); /* not in the title */
    bt_matcher_free(m);
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
    /* NBSP and a double space collapse; NFD keeps its marks in the span */
    make_article(&a, "Tin", "Ban Thường vụ Quận\xc2\xa0ủy và  quận   uỷ, rồi Qua\xcc\xa3\xcc\x82n u\xcc\x89y.");
    bt_matcher *m = matcher("quan uy", 0, 0, 0, 0);
    spans s = {.n = 0};
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_matcher_each(m, &a, collect, &s, &err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.got[0], "Quận ủy");
    assert_string_equal(s.got[1], "quận uỷ");
    assert_string_equal(s.got[2], "Qua\xcc\xa3\xcc\x82n u\xcc\x89y");
    bt_matcher_free(m);
    bt_article_free(&a);
}

/* ---- the prefilter never says no to a match ---- */

/* For each raw article: when the full matcher matches, the prefilter
 * must have said "may". */
static void check_sound(const char *pattern, const char *xml, int want)
{
    bt_matcher *m = matcher(pattern, 0, 0, 0, 0);
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory(xml, strlen(xml), "t", &err);
    assert_non_null(r);
    bt_article a;
    bt_article_init(&a);
    assert_int_equal(bt_reader_next(r, &a, &err), 1);
    int full = bt_matcher_article(m, &a, &err);
    int may = bt_matcher_may_match(m, xml, strlen(xml));
    if (full != want || (full && !may))
        fail_msg("pattern \"%s\" on %s: match %d (wanted %d), prefilter %d", pattern, xml,
                 full, want, may);
    bt_article_free(&a);
    bt_reader_close(r);
    bt_matcher_free(m);
}

#define ART(t, b) "<article id=\"0123456789abcdef\"><title>" t "</title><body><p>" b "</p></body></article>"

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

    /* says no to what cannot match */
    bt_matcher *m = matcher("quan uy", 0, 0, 0, 0);
    const char *x = ART("Bóng đá", "Đội tuyển thắng quan trọng");
    assert_int_equal(bt_matcher_may_match(m, x, strlen(x)), 0);
    bt_matcher_free(m);
}

/* Every scan path must give the same answer: each checks a superset of
 * the anchor's positions with the same check_hit. */
static int plain_may(const bt_prefilter *p, const pattern *pt, const char *s,
                     size_t len)
{
    if (!pt->judge)
        return 1;
    for (size_t h = 0; h < len; h++)
        if (pt->first[(unsigned char)s[h]] && check_hit(p, pt, s, len, h))
            return 1;
    return 0;
}

static void check_paths(bt_prefilter *p, const char *s, size_t len)
{
    for (size_t i = 0; i < p->npats; i++) {
        const pattern *pt = &p->pats[i];
        int want = plain_may(p, pt, s, len);
        if (!pt->judge)
            continue;
#if VECTOR_SCAN
        if (pt->nconds >= 0) {
            if (scan_vector(p, pt, s, len) != want)
                fail_msg("scan_vector: pattern %zu on \"%.*s\": %d", i, (int)len, s, want);
            if (pt->nascii >= 1 && pt->nascii <= 2 && pt->nnext <= 4 &&
                pt->nprev <= 4 && pt->nconds <= 4) {
                assert_int_equal(scan_vector_small(p, pt, s, len), want);
#if VECTOR_AVX2
                if (p->avx2)
                    assert_int_equal(scan_avx2(p, pt, s, len), want);
#endif
            }
        }
#endif
        assert_int_equal(bt_prefilter_may(p, i, s, len), want);
    }
}

/* The fused pass (bt_prefilter_structure, each of its anchors) against
 * a byte-by-byte reading: the same '<' events, the same '&' verdict, and
 * a hit exactly when the plain scan finds one. */
static void check_fused(bt_prefilter *p, const char *s, size_t len)
{
    /* the reference: events and unusual entities, byte by byte */
    size_t want_ev[64];
    int nwant = 0, want_amp = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '<' && is_event(s, i, len) && nwant < 64)
            want_ev[nwant++] = i;
        if (s[i] == '&' && !amp_plain(s, i, len))
            want_amp = 1;
    }
    for (size_t i = 0; i < p->npats; i++) {
        pattern *pt = &p->pats[i];
        int nv = pt->nfv ? pt->nfv : 1, cur = pt->cur;
        int wide = p->avx512; /* AVX-512, then AVX2 alone */
        for (int k = 0; k < nv * (wide ? 2 : 1); k++) {
            p->avx512 = wide && k < nv;
            pt->cur = pt->nfv ? k % nv : 0;
            /* each variant's hits, by the plain scan of its anchor */
            int vhit = 1;
            if (pt->nfv) {
                vhit = 0;
                for (size_t h = 0; h < len && !vhit; h++)
                    vhit = pt->fv[k % nv].first[(unsigned char)s[h]] &&
                           check_hit_at(p, pt, pt->fv[k % nv].anchor, s, len, h);
            }
            unsigned flags = 0;
            size_t from = 0;
            int nev = 0;
            for (;;) {
                size_t q = bt_prefilter_structure(p, i, s, from, len, &flags);
                if (q >= len)
                    break;
                assert_true(nev < nwant);
                assert_int_equal(q, want_ev[nev]);
                nev++;
                from = q + 1;
            }
            if (nwant < 64)
                assert_int_equal(nev, nwant);
            assert_int_equal((flags & BT_PF_AMP) != 0, want_amp);
            if (bt_prefilter_can_fuse(p, i) || !pt->judge)
                assert_int_equal((flags & BT_PF_HIT) != 0, pt->judge ? vhit : 1);
        }
        pt->cur = cur;
        p->avx512 = wide;
    }
}

static const char *const path_patterns[] = {
    "quan uy", "ngan hang nha nuoc", "khoi to", "nino", "kelvin", "covid",
    "bao hiem", "2020", "vu", "a", "dong da", "thu tuong", "qq", "ha noi",
    "strasse", "at&t", "x", ""};

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
        ART("Tin", "Đống Đa, Dong Da"), ART("Thủ tướng", "Hà Nội"), "q", "",
        "<article>qQ</article>",
        /* what the fused pass must stop at or notice */
        ART("Ngân <em>hàng</em> Nhà&#32;nước", "<!-- c --> Ngân hàng Nhà nước </a> <aria"),
        ART("Tin", "AT&amp;T &amp at&t; Stra\xc3\x9f" "e <?pi?> x\xe2\x80\x8b"),
        ART("Tin", "Nga\xcc\x82" "n ha\xcc\x80" "ng Nha\xcc\x80 nu\xcc\x9b" "o\xcc\x81" "c "
                   "ngân\xc2\xa0" "hàng nhà\nnước <article> </article"),
        "\xff\xfe<\x80" "a&<!&"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t n = strlen(texts[i]);
        /* every tail, so that each byte meets each lane and the edges */
        for (size_t k = 0; k <= n; k++) {
            check_paths(p, texts[i] + k, n - k);
            check_fused(p, texts[i] + k, n - k);
        }
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
    expect_error("<articles>\n" ART("a", "b") "\n", "in.xml:3:1: <articles> is not closed");
    expect_error("<articles>\n  <article id=\"x\"><title>a</title>", "in.xml:2:3: <article> is not closed");
    expect_error("<articles>\n  hello\n</articles>", "in.xml:2:3: text directly inside <articles>");
    expect_error("<articles>\n <foo/></articles>", "in.xml:2:2: unexpected element <foo>");
    expect_error("<html></html>", "in.xml:1:1: expected <articles> or <article>, found <html>");
    expect_error("<!DOCTYPE x>\n<articles/>", "in.xml:1:1: a DOCTYPE is not allowed");
    expect_error("<articles version=\"2\"/>", "unsupported format version \"2\"");
    expect_error("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><articles/>", "encoding");
    expect_error("<articles/>\n<articles/>", "in.xml:2:1: extra content");
    expect_error("plain text", "in.xml:1:1: not the article format");
    /* an error inside an article points into the stream */
    expect_error("<articles>\n\n  <article><title>a <b>x</title><body/></article></articles>",
                 "in.xml:3:");
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

/* ---- on real news: the prefilter agrees with the matcher ---- */

static void test_corpus_sound(void **state)
{
    (void)state;
    const char *dir = "../shared/corpus/vi-text/dantri-unc";
    DIR *d = opendir(dir);
    if (!d) {
        skip(); /* no corpus on this machine */
        return;
    }
    static const char *const patterns[] = {"quan uy", "ha noi", "covid", "bóng đá",
                                           "viet nam", "thủ tướng", "2020", "chi",
                                           "dong", "Việt Nam"};
    enum { NP = sizeof patterns / sizeof *patterns };
    bt_matcher *ms[NP];
    for (size_t i = 0; i < NP; i++)
        ms[i] = matcher(patterns[i], 0, 0, 0, 0);
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
        if (bt_textpage_extract(data.data, data.len, &o, &a, &err) == 0) {
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
    bt_artscan *s = bt_artscan_open(fileno(f), "corpus", &err);
    assert_non_null(s);
    bt_prefilter *paths = path_prefilter();
    /* the same patterns in a prefilter of their own, to try each anchor
     * of the fused pass against the full matcher */
    bt_prefilter *mine = bt_prefilter_new();
    assert_non_null(mine);
    for (size_t i = 0; i < NP; i++)
        assert_int_equal(bt_prefilter_add(mine, patterns[i], strlen(patterns[i])), (long)i);
    bt_rawarticle raw;
    int n = 0, hits[NP] = {0}, passed[NP] = {0};
    while (bt_artscan_next(s, &raw, &err) == 1) {
        bt_article a;
        bt_article_init(&a);
        assert_int_equal(bt_artscan_parse(s, &raw, &a, &err), 0);
        check_paths(paths, raw.xml, raw.len);
        check_fused(paths, raw.xml, raw.len);
        for (size_t i = 0; i < NP; i++) {
            int full = bt_matcher_article(ms[i], &a, &err);
            int may = raw.must_parse || bt_matcher_may_match(ms[i], raw.xml, raw.len);
            if (full && !may)
                fail_msg("prefilter missed \"%s\" in article %s", patterns[i], a.id);
            const pattern *pt = &mine->pats[i];
            for (int k = 0; full && !raw.must_parse && k < pt->nfv; k++) {
                const fused_variant *v = &pt->fv[k];
                int hit = 0;
                for (size_t h = 0; h < raw.len && !hit; h++)
                    hit = v->first[(unsigned char)raw.xml[h]] &&
                          check_hit_at(mine, pt, v->anchor, raw.xml, raw.len, h);
                if (!hit)
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
    /* and it is selective: "quan uy" lets few articles through */
    assert_true(hits[0] > 0);
    assert_true(passed[0] < n / 5);
    bt_artscan_close(s);
    bt_prefilter_free(paths);
    bt_prefilter_free(mine);
    fclose(f);
    for (size_t i = 0; i < NP; i++)
        bt_matcher_free(ms[i]);
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
        cmocka_unit_test(test_prefilter_sound),
        cmocka_unit_test(test_scan_paths_agree),
        cmocka_unit_test(test_artscan_good),
        cmocka_unit_test(test_artscan_errors),
        cmocka_unit_test(test_artscan_big_article),
        cmocka_unit_test(test_artscan_windows),
        cmocka_unit_test(test_corpus_sound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
