/* Unit tests for lib/text_vn.c: cleaning, white space, folding, slugs.
 * Run from the top of the checkout (tests/run.sh does): the corpus tests
 * read ../shared/corpus/vi-text and skip when it is absent. */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <time.h>
#include <utf8proc.h>

/* ---- helpers ---------------------------------------------------- */

static char *clean(const char *s, size_t len)
{
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_text_clean(s, len, &b), 0);
    return bt_buf_detach(&b);
}

static char *collapse(const char *s)
{
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_text_collapse_space(s, strlen(s), &b), 0);
    return bt_buf_detach(&b);
}

static char *fold(const char *s, bt_fold_mode mode)
{
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_fold(s, strlen(s), mode, &b, NULL), 0);
    return bt_buf_detach(&b);
}

static char *slug(const char *s, size_t max)
{
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_slug(s, max, &b), 0);
    return bt_buf_detach(&b);
}

#define CHECK_CLEAN(in, want)                                   \
    do {                                                        \
        char *got_ = clean(in, sizeof(in) - 1);                 \
        assert_string_equal(got_, want);                        \
        free(got_);                                             \
    } while (0)

#define CHECK_COLLAPSE(in, want)                                \
    do {                                                        \
        char *got_ = collapse(in);                              \
        assert_string_equal(got_, want);                        \
        free(got_);                                             \
    } while (0)

#define CHECK_FOLD(in, mode, want)                              \
    do {                                                        \
        char *got_ = fold(in, mode);                            \
        assert_string_equal(got_, want);                        \
        free(got_);                                             \
    } while (0)

/* a and b fold to the same string in mode (and it is want when given). */
static void assert_fold_same(const char *a, const char *b, bt_fold_mode mode)
{
    char *fa = fold(a, mode), *fb = fold(b, mode);
    if (strcmp(fa, fb))
        fail_msg("'%s' → '%s' but '%s' → '%s' (mode %d)", a, fa, b, fb, mode);
    free(fa);
    free(fb);
}

static void assert_fold_differ(const char *a, const char *b, bt_fold_mode mode)
{
    char *fa = fold(a, mode), *fb = fold(b, mode);
    if (!strcmp(fa, fb))
        fail_msg("'%s' and '%s' both fold to '%s' (mode %d)", a, b, fa, mode);
    free(fa);
    free(fb);
}

/* NFD of s by utf8proc, the reference implementation. */
static char *nfd(const char *s)
{
    char *r = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
    assert_non_null(r);
    return r;
}

/* Calls fn on every corpus text file; returns how many, 0 when absent. */
static size_t each_corpus_file(void (*fn)(const char *, size_t, void *),
                               void *ctx)
{
    static const char *const dirs[] = {"vi-text/dantri-unc", "vi-text/baomoi-magizbox"};
    size_t count = 0;
    for (size_t d = 0; d < 2; d++) {
        char top[4096];
        snprintf(top, sizeof top, "%s", unit_corpus(dirs[d]));
        DIR *dir = opendir(top);
        if (!dir)
            continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            char path[sizeof top + 256];
            snprintf(path, sizeof path, "%s/%s", top, e->d_name);
            size_t len;
            char *text = unit_read_file(path, &len);
            if (!text)
                continue;
            fn(text, len, ctx);
            free(text);
            count++;
        }
        closedir(dir);
    }
    return count;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- bt_text_clean ---------------------------------------------- */

static void clean_keeps_clean_text(void **state)
{
    (void)state;
    CHECK_CLEAN("", "");
    CHECK_CLEAN("plain ASCII\ttab\nnewline\r", "plain ASCII\ttab\nnewline\r");
    CHECK_CLEAN("Quận uỷ Đống Đa – “trích dẫn” …",
                "Quận uỷ Đống Đa – “trích dẫn” …");
    /* Old and new tone placement are both kept as written. */
    CHECK_CLEAN("hòa hoà thủy thuỷ", "hòa hoà thủy thuỷ");
}

static void clean_appends(void **state)
{
    (void)state;
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_buf_adds(&b, "x:"), 0);
    assert_int_equal(bt_text_clean("e\xCC\x81", 3, &b), 0);
    assert_string_equal(b.data, "x:\xC3\xA9");
    bt_buf_free(&b);
}

static void clean_normalises_to_nfc(void **state)
{
    (void)state;
    /* e + combining acute → é; ư + dot below + horn orders → ự */
    CHECK_CLEAN("Cafe\xCC\x81", "Café");
    CHECK_CLEAN("Qua\xCC\x82\xCC\xA3n u\xCC\x89y", "Quận ủy");
    /* marks in non-canonical order (acute before dot below) */
    CHECK_CLEAN("a\xCC\x81\xCC\xA3", "\xE1\xBA\xA1\xCC\x81");
    /* singleton: U+2000 EN QUAD is U+2002 EN SPACE in NFC */
    CHECK_CLEAN("a\xE2\x80\x80" "b", "a\xE2\x80\x82" "b");
    /* '=' + U+0338 composes to U+2260 */
    CHECK_CLEAN("1 =\xCC\xB8 2", "1 \xE2\x89\xA0 2");
    /* Hangul jamo L V T → one syllable 한 */
    CHECK_CLEAN("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C");
    /* a mark at the very start stays */
    CHECK_CLEAN("\xCC\x81x", "\xCC\x81x");
}

static void clean_replaces_invalid_utf8(void **state)
{
    (void)state;
    CHECK_CLEAN("a\xFF" "b", "a\xEF\xBF\xBD" "b");
    /* a truncated sequence: each byte becomes one U+FFFD */
    CHECK_CLEAN("x\xE1\xBA", "x\xEF\xBF\xBD\xEF\xBF\xBD");
    /* overlong '/' and an encoded surrogate */
    CHECK_CLEAN("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_CLEAN("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* a lone continuation byte between letters */
    CHECK_CLEAN("Vi\x80t", "Vi\xEF\xBF\xBDt");
}

static void clean_drops_forbidden(void **state)
{
    (void)state;
    /* U+0008 backspaces as in the corpus, other C0 controls, NUL */
    CHECK_CLEAN("Ha\x08 No\x01i\x1F", "Ha Noi");
    CHECK_CLEAN("a\0b", "ab");
    /* U+FEFF anywhere, U+FFFE, U+FFFF */
    CHECK_CLEAN("\xEF\xBB\xBFtin\xEF\xBB\xBF" "tuc", "tintuc");
    CHECK_CLEAN("a\xEF\xBF\xBE\xEF\xBF\xBF" "b", "ab");
    /* a dropped character does not keep a mark from its letter */
    CHECK_CLEAN("e\x08\xCC\x81", "\xC3\xA9");
    CHECK_CLEAN("\x08", "");
}

static void clean_survives_mark_floods(void **state)
{
    (void)state;
    /* 100 000 combining marks: linear, valid, nothing lost but order */
    size_t n = 100000;
    char *s = malloc(1 + 2 * n);
    assert_non_null(s);
    s[0] = 'a';
    for (size_t i = 0; i < n; i++) {
        s[1 + 2 * i] = '\xCC';
        s[2 + 2 * i] = (char)(i % 2 ? 0x81 : 0xA3); /* acute, dot below */
    }
    char *r = clean(s, 1 + 2 * n);
    size_t rl = strlen(r);
    assert_true(unit_valid_utf8(r, rl));
    /* one mark composed into the a, the rest kept */
    assert_in_range(rl, 2 * n - 2, 2 * n + 2);
    free(r);
    free(s);
}

struct corpus_clean {
    size_t files, bytes, changed, mismatches;
    double seconds;
};

/* Reference: utf8proc's NFC with forbidden characters removed first. */
static char *reference_clean(const char *s, size_t len)
{
    bt_buf b = BT_BUF_INIT;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        assert_true(l > 0); /* the corpus is valid UTF-8 */
        int ok = cp == 9 || cp == 10 || cp == 13 || (cp >= 0x20 && cp <= 0xD7FF) ||
                 (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF) || cp >= 0x10000;
        if (ok)
            assert_int_equal(bt_buf_add(&b, s + i, (size_t)l), 0);
        i += (size_t)l;
    }
    char *plain = bt_buf_detach(&b);
    char *r = (char *)utf8proc_NFC((const utf8proc_uint8_t *)plain);
    free(plain);
    assert_non_null(r);
    return r;
}

static void clean_one_corpus_file(const char *text, size_t len, void *ctx)
{
    struct corpus_clean *c = ctx;
    bt_buf b = BT_BUF_INIT;
    double t0 = now();
    assert_int_equal(bt_text_clean(text, len, &b), 0);
    c->seconds += now() - t0;
    c->files++;
    c->bytes += len;
    char *want = reference_clean(text, len);
    if (strcmp(want, b.data))
        c->mismatches++;
    if (b.len != len || memcmp(b.data, text, len))
        c->changed++;
    free(want);
    bt_buf_free(&b);
}

static void clean_matches_utf8proc_on_corpus(void **state)
{
    (void)state;
    struct corpus_clean c = {0};
    if (!each_corpus_file(clean_one_corpus_file, &c))
        skip();
    print_message("# clean: %zu files, %zu bytes, %zu changed, %.0f MB/s\n",
                  c.files, c.bytes, c.changed, c.bytes / 1e6 / (c.seconds + 1e-9));
    assert_int_equal(c.mismatches, 0);
    /* The corpus was chosen to hold non-NFC text and U+0008. */
    assert_true(c.changed > 0);
}

/* ---- bt_text_collapse_space ------------------------------------- */

static void collapse_space_runs(void **state)
{
    (void)state;
    CHECK_COLLAPSE("", "");
    CHECK_COLLAPSE("   \t\n ", "");
    CHECK_COLLAPSE("  Hà   Nội \n", "Hà Nội");
    CHECK_COLLAPSE("a\xC2\xA0\xC2\xA0" "b", "a b");                 /* NBSP */
    CHECK_COLLAPSE("a\xE2\x80\x83\xE2\x80\x8A" "b", "a b");         /* em, hair */
    CHECK_COLLAPSE("a\xE2\x80\xAF" "b\xE3\x80\x80" "c", "a b c");   /* 202F, 3000 */
    CHECK_COLLAPSE("\xE3\x80\x80x\xC2\xA0", "x");
    /* zero-width space and soft hyphen vanish, even inside a space run */
    CHECK_COLLAPSE("Thành\xE2\x80\x8Bphố", "Thànhphố");
    CHECK_COLLAPSE("phân\xC2\xAD" "biệt", "phânbiệt");
    CHECK_COLLAPSE("a \xE2\x80\x8B b", "a b");
    CHECK_COLLAPSE("\xE2\x80\x8B", "");
    /* single spaces between words are copied with the words: what comes
     * after a space is still looked at */
    CHECK_COLLAPSE("Ủy ban nhân dân", "Ủy ban nhân dân");
    CHECK_COLLAPSE("a b  c", "a b c");
    CHECK_COLLAPSE("a b \xE1\x9A\x80" "c", "a b c");  /* U+1680 after a space */
    CHECK_COLLAPSE("a \xC2\xA0" "b c", "a b c");
    CHECK_COLLAPSE("a b\tc d ", "a b c d");
    CHECK_COLLAPSE("a \xE1\xBA\xA1 \xE1", "a \xE1\xBA\xA1 \xE1"); /* a cut letter, passed through */
}

/* ---- bt_fold ---------------------------------------------------- */

static const char *const tone_pairs[][2] = {
    {"ủy", "uỷ"},       {"hòa", "hoà"},         {"thủy", "thuỷ"},
    {"khỏe", "khoẻ"},   {"Quận ủy", "Quận uỷ"}, {"HÒA BÌNH", "HOÀ BÌNH"},
    {"quý", "qúy"},     {"Thủy lợi", "Thuỷ lợi"}, {"tòa án", "toà án"},
    {"hòe", "hoè"},     {"lũy", "luỹ"},         {"họa sĩ", "hoạ sĩ"},
};

static void fold_tone_placement(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEMS(tone_pairs); i++) {
        assert_fold_same(tone_pairs[i][0], tone_pairs[i][1], BT_FOLD_TONES);
        assert_fold_same(tone_pairs[i][0], tone_pairs[i][1], BT_FOLD_CASE);
        /* EXACT keeps the author's spelling apart */
        assert_fold_differ(tone_pairs[i][0], tone_pairs[i][1], BT_FOLD_EXACT);
    }
    /* the canonical place is the second vowel, in NFC */
    CHECK_FOLD("Quận ủy", BT_FOLD_TONES, "Quận uỷ");
    CHECK_FOLD("hòa thủy khỏe", BT_FOLD_TONES, "hoà thuỷ khoẻ");
    CHECK_FOLD("hoà", BT_FOLD_TONES, "hoà");
    /* syllables without the ambiguity keep their marks */
    CHECK_FOLD("người Việt hoàng tuyết", BT_FOLD_TONES,
               "người Việt hoàng tuyết");
}

/* The one rule: a tone on the first vowel of oa, oe or uy moves to the
 * second wherever the pair stands: closed syllables and triphthongs
 * (where it is a misspelling), words glued together, NFD. */
static void fold_tone_one_rule(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"hòan", "hoàn"},         {"khóai", "khoái"},       {"tọan", "toạn"},
        {"ThủyTheo", "ThuỷTheo"}, {"thủyđiện", "thuỷđiện"}, {"HòaBình", "HoàBình"},
        {"T.ThủyTổng", "T.ThuỷTổng"}, {"qủy", "quỷ"},
        {"ho\xcc\x80" "an", "hoàn"}, /* NFD */
        /* what the rule leaves alone: the tone already on the second
         * vowel, another mark on a vowel, other pairs */
        {"hoàn", "hoàn"}, {"khoái", "khoái"}, {"thuở", "thuở"}, {"mùa", "mùa"},
        {"quốc", "quốc"}, {"khuyến", "khuyến"}, {"hóa", "hoá"},
    };
    for (size_t i = 0; i < NELEMS(cases); i++)
        CHECK_FOLD(cases[i][0], BT_FOLD_TONES, cases[i][1]);
    assert_fold_same("KHÓAI", "khoái", BT_FOLD_CASE);
}

/* ð/Ð, which legacy converters wrote for đ/Đ, are đ/Đ in every mode but
 * EXACT (and d/D in the BASE modes). */
static void fold_eth(void **state)
{
    (void)state;
    CHECK_FOLD("\xc3\x90\xe1\xbb\x91ng \xc3\xb0" "a", BT_FOLD_TONES, "Đống đa");
    CHECK_FOLD("\xc3\x90\xe1\xbb\x91ng", BT_FOLD_CASE, "đống");
    CHECK_FOLD("\xc3\x90\xe1\xbb\x91ng \xc3\xb0" "a", BT_FOLD_BASE, "dong da");
    CHECK_FOLD("\xc3\x90\xe1\xbb\x91ng", BT_FOLD_BASE_KEEPCASE, "Dong");
    CHECK_FOLD("\xc3\x90\xe1\xbb\x91ng", BT_FOLD_EXACT, "\xc3\x90\xe1\xbb\x91ng");
    assert_true(bt_has_diacritics("\xc3\xb0", 2));
    assert_true(bt_has_diacritics("\xc3\x90", 2));
}

static void fold_keeps_words_apart(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"hoa", "hòa"},   {"hòa", "hóa"},   {"thủy", "thùy"}, {"ma", "má"},
        {"má", "mà"},     {"mả", "mã"},     {"mã", "mạ"},     {"dạ", "đạ"},
        {"río", "rió"},   {"hoa", "hoá"},   {"uy", "úy"},     {"ủy", "úy"},
    };
    for (size_t i = 0; i < NELEMS(pairs); i++) {
        assert_fold_differ(pairs[i][0], pairs[i][1], BT_FOLD_TONES);
        assert_fold_differ(pairs[i][0], pairs[i][1], BT_FOLD_CASE);
    }
}

static void fold_case(void **state)
{
    (void)state;
    assert_fold_same("QUẬN ỦY", "quận uỷ", BT_FOLD_CASE);
    CHECK_FOLD("QUẬN ỦY", BT_FOLD_CASE, "quận uỷ");
    CHECK_FOLD("ĐỐNG ĐA", BT_FOLD_CASE, "đống đa");
    CHECK_FOLD("Straße", BT_FOLD_CASE, "strasse"); /* full case folding */
    assert_fold_differ("QUẬN", "quận", BT_FOLD_TONES);
}

static void fold_base(void **state)
{
    (void)state;
    CHECK_FOLD("Đống Đa", BT_FOLD_BASE, "dong da");
    CHECK_FOLD("Đống Đa", BT_FOLD_BASE_KEEPCASE, "Dong Da");
    CHECK_FOLD("QUẬN ỦY Thủy Nguyên", BT_FOLD_BASE, "quan uy thuy nguyen");
    CHECK_FOLD("Người dân phường Hoà Bình", BT_FOLD_BASE_KEEPCASE,
               "Nguoi dan phuong Hoa Binh");
    CHECK_FOLD("ăâêôơưđ ĂÂÊÔƠƯĐ", BT_FOLD_BASE, "aaeooud aaeooud");
    CHECK_FOLD("crème brûlée", BT_FOLD_BASE, "creme brulee");
    assert_fold_same("hòa", "hoá", BT_FOLD_BASE);
}

static void fold_exact_is_nfc(void **state)
{
    (void)state;
    CHECK_FOLD("Cafe\xCC\x81 ho\xCC\x80" "a", BT_FOLD_EXACT, "Café hòa");
    CHECK_FOLD("QUẬN ủy", BT_FOLD_EXACT, "QUẬN ủy");
}

static void fold_empty_and_invalid(void **state)
{
    (void)state;
    for (int m = BT_FOLD_EXACT; m <= BT_FOLD_BASE_KEEPCASE; m++) {
        bt_buf b = BT_BUF_INIT;
        size_t *offs = NULL;
        assert_int_equal(bt_fold("", 0, (bt_fold_mode)m, &b, &offs), 0);
        assert_int_equal(b.len, 0);
        assert_non_null(offs);
        assert_int_equal(offs[0], 0); /* the end entry */
        free(offs);
        bt_buf_free(&b);
    }
    CHECK_FOLD("a\xFF" "B", BT_FOLD_CASE, "a\xEF\xBF\xBD" "b");
    CHECK_FOLD("\xE1\xBA", BT_FOLD_BASE, "\xEF\xBF\xBD\xEF\xBF\xBD");
    /* a lone combining mark, a mark after a digit */
    CHECK_FOLD("\xCC\x81", BT_FOLD_CASE, "\xCC\x81");
    CHECK_FOLD("1\xCC\x81", BT_FOLD_BASE, "1");
}

/* The folded text does not depend on the input's normalisation form. */
static void fold_nfd_equals_nfc(void **state)
{
    (void)state;
    static const char *const samples[] = {
        "Quận uỷ Đống Đa làm việc với Ủy ban nhân dân phường",
        "QUẬN ỦY hòa thủy khỏe người Việt Nam",
        "Thời tiết hôm nay: trời nắng, có lúc có mưa rào",
        "crème brûlée ΐ ᾂ 한국어 Ǖ",
    };
    for (size_t i = 0; i < NELEMS(samples); i++) {
        char *d = nfd(samples[i]);
        assert_string_not_equal(d, samples[i]);
        for (int m = BT_FOLD_EXACT; m <= BT_FOLD_BASE_KEEPCASE; m++)
            assert_fold_same(samples[i], d, (bt_fold_mode)m);
        free(d);
    }
}

static void fold_offsets(void **state)
{
    (void)state;
    /* "QUẬN ỦY": Q0 U1 Ậ2-4 N5 ' '6 Ủ7-9 Y10, len 11 */
    const char *s = "QUẬN ỦY";
    bt_buf b = BT_BUF_INIT;
    size_t *o = NULL;
    assert_int_equal(bt_fold(s, strlen(s), BT_FOLD_CASE, &b, &o), 0);
    assert_string_equal(b.data, "quận uỷ");
    /* q u ậ(3 bytes) n ' ' u ỷ(3 bytes) */
    static const size_t want[] = {0, 1, 2, 2, 2, 5, 6, 7, 10, 10, 10, 11};
    assert_int_equal(b.len + 1, NELEMS(want));
    for (size_t k = 0; k < NELEMS(want); k++)
        assert_int_equal(o[k], want[k]);
    /* "uỷ" in the folded text is "ỦY" in the original */
    const char *hit = strstr(b.data, "uỷ");
    size_t a = (size_t)(hit - b.data), e = a + strlen("uỷ");
    assert_int_equal(o[e] - o[a], strlen("ỦY"));
    assert_memory_equal(s + o[a], "ỦY", o[e] - o[a]);
    free(o);
    bt_buf_free(&b);

    /* BASE with an NFD input and a prefix already in the buffer: the
     * offsets are for the bytes this call appended */
    char *d = nfd("Đống Đa");
    assert_int_equal(bt_buf_adds(&b, "prefix "), 0);
    assert_int_equal(bt_fold(d, strlen(d), BT_FOLD_BASE, &b, &o), 0);
    assert_string_equal(b.data, "prefix dong da");
    /* Đ0-1 o2 ̂3-4 ́5-6 n7 g8 ' '9 Đ10-11 a12, len 13 */
    static const size_t want2[] = {0, 2, 7, 8, 9, 10, 12, 13};
    assert_int_equal(strlen(d), 13);
    for (size_t k = 0; k < NELEMS(want2); k++)
        assert_int_equal(o[k], want2[k]);
    free(o);
    free(d);
    bt_buf_free(&b);

    /* ß folds to two bytes that both point at it */
    assert_int_equal(bt_fold("aß", 3, BT_FOLD_CASE, &b, &o), 0);
    assert_string_equal(b.data, "ass");
    assert_int_equal(o[1], 1);
    assert_int_equal(o[2], 1);
    assert_int_equal(o[3], 3);
    free(o);
    bt_buf_free(&b);
}

/* Offsets always point at character starts and never go backwards, and
 * the NFD form of the text (every accent a separate mark) folds the same. */
static void fold_offsets_on_corpus_file(const char *text, size_t len, void *ctx)
{
    size_t *bytes = ctx;
    char *plain = strndup(text, len); /* the corpus has no NUL */
    assert_non_null(plain);
    char *d = nfd(plain);
    free(plain);
    for (int m = BT_FOLD_EXACT; m <= BT_FOLD_BASE_KEEPCASE; m++) {
        bt_buf b = BT_BUF_INIT, bd = BT_BUF_INIT;
        size_t *o = NULL;
        assert_int_equal(bt_fold(text, len, (bt_fold_mode)m, &b, &o), 0);
        assert_int_equal(bt_fold(d, strlen(d), (bt_fold_mode)m, &bd, NULL), 0);
        if (b.len != bd.len || memcmp(b.data, bd.data, b.len))
            fail_msg("mode %d: NFC and NFD fold differently", m);
        bt_buf_free(&bd);
        assert_true(unit_valid_utf8(b.data, b.len));
        assert_int_equal(o[b.len], len);
        for (size_t k = 0; k < b.len; k++) {
            assert_true(o[k] < len);
            assert_true(((unsigned char)text[o[k]] & 0xC0) != 0x80);
            if (k)
                assert_true(o[k] >= o[k - 1]);
        }
        if (m == BT_FOLD_BASE) /* ASCII only for Vietnamese text */
            for (size_t k = 0; k < b.len; k++)
                if ((unsigned char)b.data[k] >= 0x80) {
                    /* other scripts or symbols may remain: only check
                     * that no Vietnamese letter does */
                    uint32_t cp = 0;
                    utf8proc_iterate((const utf8proc_uint8_t *)b.data + k,
                                     (utf8proc_ssize_t)(b.len - k),
                                     (utf8proc_int32_t *)&cp);
                    assert_false(cp >= 0x1EA0 && cp <= 0x1EF9);
                    assert_false(cp == 0x111 || cp == 0x1B0 || cp == 0x1A1);
                }
        free(o);
        bt_buf_free(&b);
    }
    free(d);
    *bytes += len;
}

static void fold_corpus(void **state)
{
    (void)state;
    size_t bytes = 0;
    if (!each_corpus_file(fold_offsets_on_corpus_file, &bytes))
        skip();
    print_message("# fold: %zu bytes checked in 5 modes\n", bytes);
}

/* ---- questions and slugs ---------------------------------------- */

static void has_diacritics(void **state)
{
    (void)state;
    assert_false(bt_has_diacritics("", 0));
    assert_false(bt_has_diacritics("quan uy", 7));
    assert_true(bt_has_diacritics("quận", strlen("quận")));
    assert_true(bt_has_diacritics("Đa", strlen("Đa")));
    assert_true(bt_has_diacritics("đa", strlen("đa")));
    assert_true(bt_has_diacritics("a\xCC\x81", 3));
    assert_true(bt_has_diacritics("café", strlen("café")));
    assert_false(bt_has_diacritics("“–”", strlen("“–”")));
}

static void has_upper(void **state)
{
    (void)state;
    assert_false(bt_has_upper("", 0));
    assert_false(bt_has_upper("quận uỷ 2023", strlen("quận uỷ 2023")));
    assert_true(bt_has_upper("Quận", strlen("Quận")));
    assert_true(bt_has_upper("quẬn", strlen("quẬn")));
    assert_true(bt_has_upper("đĐ", strlen("đĐ")));
    assert_false(bt_has_upper("đ", strlen("đ")));
}

static void slugs(void **state)
{
    (void)state;
    char *r;
#define CHECK_SLUG(in, max, want) \
    r = slug(in, max);            \
    assert_string_equal(r, want); \
    free(r)
    CHECK_SLUG("Đống Đa", 60, "dong-da");
    CHECK_SLUG("  Ban thường vụ Quận uỷ Đống Đa làm việc với …  ", 60,
               "ban-thuong-vu-quan-uy-dong-da-lam-viec-voi");
    CHECK_SLUG("Giá xăng tăng 1.000 đồng/lít!", 60,
               "gia-xang-tang-1-000-dong-lit");
    CHECK_SLUG("", 60, "article");
    CHECK_SLUG("!!! … ???", 60, "article");
    CHECK_SLUG("中文", 60, "article");
    /* cut at a word boundary, never leaving a '-' at the end */
    CHECK_SLUG("Quận uỷ Đống Đa", 12, "quan-uy-dong");
    CHECK_SLUG("Quận uỷ Đống Đa", 11, "quan-uy");
    CHECK_SLUG("Quận uỷ Đống Đa", 7, "quan-uy");
    CHECK_SLUG("Quận uỷ Đống Đa", 6, "quan");
    CHECK_SLUG("abcdefghij", 4, "abcd");
    CHECK_SLUG("Quận uỷ", 0, "quan-uy");
#undef CHECK_SLUG
    /* slugs are at most max_len bytes of [a-z0-9-] */
    const char *t = "Thời tiết hôm nay: trời nắng, có lúc có mưa rào rất to";
    for (size_t max = 1; max < 70; max++) {
        r = slug(t, max);
        assert_true(strlen(r) <= max);
        assert_true(r[0] != '-' && r[strlen(r) - 1] != '-');
        assert_int_equal(strspn(r, "abcdefghijklmnopqrstuvwxyz0123456789-"), strlen(r));
        assert_null(strstr(r, "--"));
        free(r);
    }
}

/* ---- random inputs ---------------------------------------------- */

/* Strings glued from pieces that stress the normaliser: letters in both
 * forms, every Vietnamese mark, invalid bytes, forbidden characters.
 * A fixed seed: the same strings every run. */
static const char *const pieces[] = {
    "a", "o", "u", "y", "e", "i", "h", "ng", "Q", "Đ", "đ", " ", ".", "=",
    "ò", "ủ", "ậ", "Ự", "ễ", "ă", "ơ", "Ư", "\xCC\x80", "\xCC\x81", "\xCC\x83",
    "\xCC\x89", "\xCC\xA3", "\xCC\x82", "\xCC\x86", "\xCC\x9B", "\xCC\xB8",
    "\xFF", "\xC3", "\xE1\xBA", "\x08", "\xEF\xBB\xBF", "\xE2\x80\x80", "ß",
    "\xE1\x84\x92", "\xE1\x85\xA1", "\xE1\x86\xAB", "한", "Ω", "\xEF\xBF\xBE",
};

static unsigned long lcg(unsigned long *state)
{
    *state = *state * 6364136223846793005ul + 1442695040888963407ul;
    return *state >> 33;
}

static void random_inputs(void **state)
{
    (void)state;
    unsigned long seed = 12345;
    for (int iter = 0; iter < 3000; iter++) {
        bt_buf in = BT_BUF_INIT;
        size_t n = lcg(&seed) % 24;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(bt_buf_adds(&in, pieces[lcg(&seed) % NELEMS(pieces)]), 0);
        const char *x = in.data;

        /* clean: valid, NFC, idempotent */
        char *c = clean(x, in.len);
        size_t cl = strlen(c);
        assert_true(unit_valid_utf8(c, cl));
        char *cn = (char *)utf8proc_NFC((const utf8proc_uint8_t *)c);
        assert_non_null(cn);
        if (strcmp(c, cn))
            fail_msg("clean output not NFC for input #%d", iter);
        free(cn);
        char *cc = clean(c, cl);
        assert_string_equal(cc, c);
        free(cc);

        /* fold: valid, offsets sane, NFD-independent, idempotent */
        char *d = nfd(c);
        for (int m = BT_FOLD_EXACT; m <= BT_FOLD_BASE_KEEPCASE; m++) {
            bt_buf b = BT_BUF_INIT;
            size_t *o = NULL;
            assert_int_equal(bt_fold(x, in.len, (bt_fold_mode)m, &b, &o), 0);
            assert_true(unit_valid_utf8(b.data, b.len));
            for (size_t k = 0; k < b.len; k++) {
                assert_true(o[k] < in.len);
                if (k)
                    assert_true(o[k] >= o[k - 1]);
            }
            assert_int_equal(o[b.len], in.len);
            free(o);
            bt_buf_free(&b);
            char *f1 = fold(c, (bt_fold_mode)m), *f2 = fold(d, (bt_fold_mode)m);
            if (strcmp(f1, f2))
                fail_msg("mode %d: '%s' and its NFD fold to '%s' / '%s'", m, c, f1, f2);
            char *f3 = fold(f1, (bt_fold_mode)m);
            if (strcmp(f1, f3))
                fail_msg("mode %d: fold of '%s' is '%s' but folds again to '%s'", m, c, f1, f3);
            free(f1);
            free(f2);
            free(f3);
        }
        free(d);
        free(c);
        bt_buf_free(&in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_keeps_clean_text),
        cmocka_unit_test(clean_appends),
        cmocka_unit_test(clean_normalises_to_nfc),
        cmocka_unit_test(clean_replaces_invalid_utf8),
        cmocka_unit_test(clean_drops_forbidden),
        cmocka_unit_test(clean_survives_mark_floods),
        cmocka_unit_test(clean_matches_utf8proc_on_corpus),
        cmocka_unit_test(collapse_space_runs),
        cmocka_unit_test(fold_tone_placement),
        cmocka_unit_test(fold_tone_one_rule),
        cmocka_unit_test(fold_eth),
        cmocka_unit_test(fold_keeps_words_apart),
        cmocka_unit_test(fold_case),
        cmocka_unit_test(fold_base),
        cmocka_unit_test(fold_exact_is_nfc),
        cmocka_unit_test(fold_empty_and_invalid),
        cmocka_unit_test(fold_nfd_equals_nfc),
        cmocka_unit_test(fold_offsets),
        cmocka_unit_test(fold_corpus),
        cmocka_unit_test(has_diacritics),
        cmocka_unit_test(has_upper),
        cmocka_unit_test(slugs),
        cmocka_unit_test(random_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
