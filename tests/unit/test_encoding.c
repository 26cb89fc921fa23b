/* Unit tests for lib/text_encoding.c (bt_decode).  Run from the top of the
 * checkout (tests/run.sh does).  fixtures/encoding holds our own
 * sentences (vi-utf8.txt) converted with iconv (see its README); the
 * TCVN3 sample of the shared corpus is used when present. */
#include "unit.h"

#include <stdio.h>
#include <utf8proc.h>

#define FIX "fixtures/encoding/"
#define TCVN_SAMPLE "vi-encodings/smartcharsetconverter-tcvn/"

/* The path of a fixture, in a static buffer. */
static const char *fixture_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, FIX "%s", name);
    return path;
}

static char *fixture(const char *name, size_t *len)
{
    const char *path = fixture_path(name);
    char *s = unit_read_file(path, len);
    if (!s)
        fail_msg("cannot read %s (run from the top of the checkout)", path);
    return s;
}

/* Removes every '\r' (line endings aside). */
static size_t strip_cr(char *s, size_t len)
{
    size_t w = 0;
    for (size_t r = 0; r < len; r++)
        if (s[r] != '\r')
            s[w++] = s[r];
    s[w] = '\0';
    return w;
}

/* Decodes data and returns the text; *det gets the detected name. */
static char *decode_ok(const char *data, size_t len, const char *forced,
                       const char **det, size_t *outlen)
{
    bt_buf out = BT_BUF_INIT;
    bt_error err;
    bt_error_clear(&err);
    if (bt_decode(data, len, forced, "t.txt", &out, det, &err) != 0)
        fail_msg("bt_decode failed: %s", err.msg);
    if (outlen)
        *outlen = out.len;
    return bt_buf_detach(&out);
}

/* data[0, len) decodes, guessing, to want, naming detected (when it is
 * not NULL). */
static void expect_text(const char *data, size_t len, const char *detected, const char *want)
{
    const char *det = NULL;
    char *got = decode_ok(data, len, NULL, &det, NULL);
    if (detected)
        assert_string_equal(det, detected);
    assert_string_equal(got, want);
    free(got);
}

/* Decoding must fail with exactly this message. */
static void decode_fails(const char *data, size_t len, const char *forced,
                         const char *want)
{
    bt_buf out = BT_BUF_INIT;
    bt_error err;
    bt_error_clear(&err);
    const char *det = "unchanged";
    assert_int_equal(bt_decode(data, len, forced, "t.txt", &out, &det, &err), -1);
    assert_string_equal(err.msg, want);
    assert_string_equal(det, "unchanged");
    bt_buf_free(&out);
}

/* The file's bytes decode (as forced, or guessed: forced NULL) to
 * want[0, wlen), naming the encoding detected; with strip, once every
 * '\r' is gone from what comes out. */
static void expect_decoded(const char *path, const char *forced, const char *want,
                           size_t wlen, const char *detected, int strip)
{
    size_t len, glen;
    char *data = unit_read_file(path, &len);
    if (!data)
        fail_msg("cannot read %s", path);
    const char *det = NULL;
    char *got = decode_ok(data, len, forced, &det, &glen);
    if (strip)
        glen = strip_cr(got, glen);
    if (strcmp(got, want))
        fail_msg("%s as %s decoded to:\n%s", path, forced ? forced : "guessed", got);
    assert_int_equal(glen, wlen);
    assert_string_equal(det, detected);
    free(got);
    free(data);
}

/* A file, the encoding it is read as (NULL: guessed) and the name the
 * decoder must give. */
typedef struct decode_case {
    const char *file, *forced, *detected;
} decode_case;

/* ---- the fixtures: one text, many encodings --------------------- */

static void fixtures_decode_to_the_same_text(void **state)
{
    (void)state;
    static const decode_case cases[] = {
        {"vi-utf8.txt", NULL, "UTF-8"},
        {"vi-utf8-bom.txt", NULL, "UTF-8"},
        {"vi-utf16le-bom.txt", NULL, "UTF-16LE"},
        {"vi-utf16be-bom.txt", NULL, "UTF-16BE"},
        {"vi-utf16le.txt", NULL, "UTF-16LE"},
        {"vi-cp1258.txt", NULL, "CP1258"},
        {"vi-tcvn3.txt", NULL, "TCVN3"},
    };
    size_t wlen;
    char *want = fixture("vi-utf8.txt", &wlen);
    for (size_t i = 0; i < NELEMS(cases); i++)
        expect_decoded(fixture_path(cases[i].file), cases[i].forced, want, wlen, cases[i].detected, 0);
    free(want);
}

static void valid_utf8_is_kept_as_is(void **state)
{
    (void)state;
    size_t len, glen;
    char *data = fixture("vi-nfd.txt", &len);
    const char *det = NULL;
    char *got = decode_ok(data, len, NULL, &det, &glen);
    assert_int_equal(glen, len);
    assert_memory_equal(got, data, len); /* NFD stays NFD: not our job */
    assert_string_equal(det, "UTF-8");
    free(got);
    free(data);

    got = decode_ok("", 0, NULL, &det, &glen);
    assert_string_equal(got, "");
    assert_string_equal(det, "UTF-8");
    free(got);

    /* NUL bytes in a short UTF-8 text do not make it UTF-16 */
    got = decode_ok("abc\0def", 7, NULL, &det, &glen);
    assert_int_equal(glen, 7);
    assert_string_equal(det, "UTF-8");
    free(got);
}

static void forced_encodings(void **state)
{
    (void)state;
    size_t wlen, len;
    char *want = fixture("vi-utf8.txt", &wlen);
    static const decode_case cases[] = {
        {"vi-tcvn3.txt", "TCVN3", "TCVN3"},
        {"vi-tcvn3.txt", "tcvn5712-1", "TCVN3"},
        {"vi-cp1258.txt", "windows-1258", "CP1258"},
        {"vi-utf16le.txt", "UTF-16LE", "UTF-16LE"},
        {"vi-utf16le-bom.txt", "UTF-16LE", "UTF-16LE"}, /* BOM dropped */
        {"vi-utf8-bom.txt", "utf-8", "UTF-8"},
    };
    for (size_t i = 0; i < NELEMS(cases); i++)
        expect_decoded(fixture_path(cases[i].file), cases[i].forced, want, wlen, cases[i].detected, 0);
    /* Forcing a wrong 8-bit encoding is obeyed, not second-guessed. */
    char *data = fixture("vi-cp1258.txt", &len);
    const char *det = NULL;
    char *got = decode_ok(data, len, "TCVN3", &det, NULL);
    assert_string_not_equal(got, want);
    assert_string_equal(det, "TCVN3");
    free(got);
    free(data);
    data = fixture("vi-tcvn3.txt", &len);
    assert_int_equal((unsigned char)data[282], 0x9E); /* undefined in Windows-1258 */
    decode_fails(data, len, "CP1258",
                 "t.txt: cannot decode as CP1258: invalid byte 0x9E at offset 282");
    free(data);
    free(want);
}

/* ---- damaged and undecodable input ------------------------------ */

static void damaged_utf8_stays_utf8(void **state)
{
    (void)state;
    size_t len, glen;
    char *data = fixture("vi-utf8.txt", &len);
    /* Break two bytes: the lead byte of "á" (S á n g) and a space. */
    assert_true(len > 100);
    assert_memory_equal(data, "S\xC3\xA1ng", 5);
    data[1] = '\xFF';
    char *space = memchr(data + 60, ' ', len - 60);
    assert_non_null(space);
    *space = '\x80';
    char expect_head[] = "S\xEF\xBF\xBD\xEF\xBF\xBDng";
    const char *det = NULL;
    char *got = decode_ok(data, len, NULL, &det, &glen);
    assert_string_equal(det, "UTF-8");
    /* 0xFF and the orphaned 0xA1 each became U+FFFD; 0x80 too */
    assert_memory_equal(got, expect_head, strlen(expect_head));
    assert_int_equal(glen, len + 2 * 2 + 2);
    free(got);

    /* Forced UTF-8 is strict and names the first bad byte. */
    decode_fails(data, len, "UTF-8",
                 "t.txt: cannot decode as UTF-8: invalid byte 0xFF at offset 1");
    free(data);
}

static void undecodable_input_fails_with_offset(void **state)
{
    (void)state;
    /* Bytes undefined in Windows-1258 and not Vietnamese in TCVN3 */
    static const char junk[] = "Tin t\x81\x8d\x8f\x90\x9d\x9e\x81\x8d c\x90\x8f";
    decode_fails(junk, sizeof junk - 1, NULL,
                 "t.txt: cannot decode: invalid byte 0x81 at offset 5");
    /* French in Latin-1 is not taken for Vietnamese */
    static const char latin1[] = "Le caf\xE9 cr\xE8me br\xFBl\xE9" "e, na\xEF" "ve fa\xE7" "ade";
    decode_fails(latin1, sizeof latin1 - 1, NULL,
                 "t.txt: cannot decode: invalid byte 0xE9 at offset 6");
    /* A forced encoding that does not fit names the byte, and an
     * unknown name is said to be one. */
    decode_fails("ab\x81", 3, "CP1258",
                 "t.txt: cannot decode as CP1258: invalid byte 0x81 at offset 2");
    decode_fails("ab", 2, "no-such-charset",
                 "t.txt: unknown encoding 'no-such-charset'");
    /* no name: the message still says what it is about */
    bt_buf out = BT_BUF_INIT;
    bt_error err;
    assert_int_equal(bt_decode("\x81\x8d\x8f\x90\x9d\x9e\x81\x8d", 8, NULL, NULL,
                               &out, NULL, &err), -1);
    assert_string_equal(err.msg, "input: cannot decode: invalid byte 0x81 at offset 0");
    bt_buf_free(&out);
}

static void windows_punctuation_is_cp1258(void **state)
{
    (void)state;
    /* ASCII words with Windows-1258 curly quotes, en dash, euro, NBSP */
    static const char s[] = "\x93Gia\x94 \x96 100\x80\xA0net";
    expect_text(s, sizeof s - 1, "CP1258", "“Gia” – 100€\xC2\xA0net");
}

static void utf16_edge_cases(void **state)
{
    (void)state;
    /* BOM, "Đa", an unpaired high surrogate, "!", then an odd byte */
    static const char le[] = "\xFF\xFE\x10\x01\x61\x00\x00\xD8\x21\x00\x41";
    expect_text(le, sizeof le - 1, "UTF-16LE", "Đa\xEF\xBF\xBD!\xEF\xBF\xBD");
    /* a surrogate pair (U+1F600) in big-endian */
    static const char be[] = "\xFE\xFF\x00\x61\xD8\x3D\xDE\x00";
    expect_text(be, sizeof be - 1, "UTF-16BE", "a\xF0\x9F\x98\x80");
    /* only a BOM */
    expect_text("\xFF\xFE", 2, NULL, "");
}

static void cp1258_combining_tones_become_nfc(void **state)
{
    (void)state;
    /* "Việt" in Windows-1258: V i ê (0xEA) + combining dot below (0xF2) t;
     * "hoà" with the grave as combining mark 0xCC */
    static const char s[] = "Vi\xEA\xF2t Nam ho\xE0 b\xECnh ho\x61\xCC ng\xE3y";
    const char *det = NULL;
    char *got = decode_ok(s, sizeof s - 1, NULL, &det, NULL);
    assert_string_equal(det, "CP1258");
    char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)got);
    assert_non_null(nfc);
    assert_string_equal(got, nfc);
    assert_non_null(strstr(got, "Việt"));
    free(nfc);
    free(got);
}

/* ---- scale ------------------------------------------------------ */

static void big_inputs_are_linear(void **state)
{
    (void)state;
    /* 16 MB of TCVN3 and of UTF-8: decoded whole (no time asserted;
     * a quadratic step would hang here) */
    size_t len;
    char *unit = fixture("vi-tcvn3.txt", &len);
    size_t reps = (16u << 20) / len;
    bt_buf big = BT_BUF_INIT;
    for (size_t i = 0; i < reps; i++)
        assert_int_equal(bt_buf_add(&big, unit, len), 0);
    const char *det = NULL;
    size_t glen;
    char *got = decode_ok(big.data, big.len, NULL, &det, &glen);
    assert_string_equal(det, "TCVN3");
    size_t ulen;
    char *utf = fixture("vi-utf8.txt", &ulen);
    assert_int_equal(glen, reps * ulen);
    assert_memory_equal(got + glen - ulen, utf, ulen);
    free(got);
    bt_buf_reset(&big);
    for (size_t i = 0; i < reps; i++)
        assert_int_equal(bt_buf_add(&big, utf, ulen), 0);
    got = decode_ok(big.data, big.len, NULL, &det, &glen);
    assert_string_equal(det, "UTF-8");
    assert_int_equal(glen, big.len);
    free(got);
    free(utf);
    free(unit);
    bt_buf_free(&big);
}

/* ---- the corpus sample ------------------------------------------ */

static void corpus_tcvn_sample(void **state)
{
    (void)state;
    size_t wlen;
    char *want = unit_read_file(unit_corpus(TCVN_SAMPLE "demo1-utf8.txt"), &wlen);
    if (!want)
        skip();
    wlen = strip_cr(want, wlen);
    static const decode_case cases[] = {
        {"demo1-tcvn.txt", NULL, "TCVN3"},
        {"demo1-utf16le.txt", NULL, "UTF-16LE"},
        {"demo1-utf8.txt", NULL, "UTF-8"},
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        char sub[512];
        snprintf(sub, sizeof sub, TCVN_SAMPLE "%s", cases[i].file);
        expect_decoded(unit_corpus(sub), cases[i].forced, want, wlen, cases[i].detected, 1);
    }
    free(want);
}

/* ---- random bytes ----------------------------------------------- */

static unsigned long lcg(unsigned long *state)
{
    *state = *state * 6364136223846793005ul + 1442695040888963407ul;
    return *state >> 33;
}

/* Any bytes: either valid UTF-8 comes out, or one clean message. */
static void random_bytes(void **state)
{
    (void)state;
    static const char *const starts[] = {"", "\xFF\xFE", "\xFE\xFF", "\xEF\xBB\xBF"};
    unsigned long seed = 777;
    size_t ok = 0, failed = 0;
    for (int iter = 0; iter < 3000; iter++) {
        unsigned char data[200];
        size_t n = lcg(&seed) % sizeof data;
        int kind = (int)(lcg(&seed) % 4);
        for (size_t k = 0; k < n; k++) {
            unsigned long r = lcg(&seed);
            /* mostly text-like bytes, some NULs, some high bytes */
            data[k] = kind == 0 ? (unsigned char)r
                    : kind == 1 ? (unsigned char)(r % 3 ? 'a' + r % 26 : 0x80 + r % 128)
                    : kind == 2 ? (unsigned char)(k % 2 ? 0 : 'a' + r % 26)
                                : (unsigned char)(r % 2 ? ' ' : 0xA0 + r % 96);
        }
        const char *st = starts[lcg(&seed) % NELEMS(starts)];
        size_t sl = strlen(st);
        if (sl <= n)
            memcpy(data, st, sl);
        bt_buf out = BT_BUF_INIT;
        bt_error err;
        bt_error_clear(&err);
        const char *det = NULL;
        if (bt_decode((const char *)data, n, NULL, "r.bin", &out, &det, &err) == 0) {
            assert_non_null(det);
            assert_true(unit_valid_utf8(out.data, out.len));
            ok++;
        } else {
            assert_true(strncmp(err.msg, "r.bin: cannot decode", 20) == 0);
            assert_int_equal(out.len, 0);
            failed++;
        }
        bt_buf_free(&out);
    }
    /* both outcomes were exercised */
    assert_true(ok > 100);
    assert_true(failed > 100);
}

/* UTF-16 units (LE, after a BOM) "ab…" with an unpaired high surrogate
 * at every step-th unit, n units in all. */
static size_t utf16_with_bad(unsigned char *buf, size_t n, size_t step)
{
    buf[0] = 0xFF, buf[1] = 0xFE;
    for (size_t k = 0; k < n; k++) {
        int bad = step && k % step == step - 1;
        buf[2 + 2 * k] = bad ? 0x00 : (unsigned char)('a' + k % 26);
        buf[3 + 2 * k] = bad ? 0xD8 : 0x00;
    }
    return 2 + 2 * n;
}

/* Random bytes after a UTF-16 BOM (1 in 32,768 random files starts with
 * one) are not a text: about 3 units in 100 are unpaired surrogates.  A
 * text with a few is damaged, and kept.  The same after a UTF-8 BOM. */
static void random_bytes_after_a_bom_are_refused(void **state)
{
    (void)state;
    static unsigned char buf[2 + 2 * 32768];
    unsigned long seed = 7;
    for (size_t k = 0; k < sizeof buf; k++)
        buf[k] = (unsigned char)(lcg(&seed) >> 8);
    buf[0] = 0xFE, buf[1] = 0xFF;
    bt_buf out = BT_BUF_INIT;
    bt_error err;
    bt_error_clear(&err);
    assert_int_equal(bt_decode((const char *)buf, sizeof buf, NULL, "t.txt", &out, NULL, &err),
                     -1);
    assert_true(strncmp(err.msg, "t.txt: cannot decode as UTF-16BE: ", 34) == 0);
    assert_int_equal(out.len, 0);
    /* 5 unpaired in 400 units: refused, naming the first (unit 79) */
    size_t len = utf16_with_bad(buf, 400, 80);
    decode_fails((const char *)buf, len, NULL,
                 "t.txt: cannot decode as UTF-16LE: 5 unpaired surrogates, the first at offset 160");
    /* 5 in 600 (under 1 in 100), or 4 in 200: a damaged text */
    size_t wlen;
    len = utf16_with_bad(buf, 600, 120);
    char *got = decode_ok((const char *)buf, len, NULL, NULL, &wlen);
    assert_int_equal(wlen, 595 + 5 * 3);
    free(got);
    len = utf16_with_bad(buf, 200, 50);
    got = decode_ok((const char *)buf, len, NULL, NULL, &wlen);
    assert_int_equal(wlen, 196 + 4 * 3);
    free(got);
    /* after a UTF-8 BOM: random bytes refused, a few bad bytes kept */
    for (size_t k = 0; k < sizeof buf; k++)
        buf[k] = (unsigned char)(lcg(&seed) >> 8);
    memcpy(buf, "\xEF\xBB\xBF", 3);
    assert_int_equal(bt_decode((const char *)buf, sizeof buf, NULL, "t.txt", &out, NULL, &err),
                     -1);
    assert_true(strncmp(err.msg, "t.txt: cannot decode as UTF-8: ", 31) == 0);
    assert_int_equal(out.len, 0);
    for (size_t k = 0; k < 400; k++) /* 5 in 400 */
        buf[3 + k] = k % 80 == 79 ? 0xFF : (unsigned char)('a' + k % 26);
    decode_fails((const char *)buf, 3 + 400, NULL,
                 "t.txt: cannot decode as UTF-8: 5 invalid bytes, the first at offset 82");
    for (size_t k = 0; k < 600; k++) /* 5 in 600 */
        buf[3 + k] = k % 120 == 119 ? 0xFF : (unsigned char)('a' + k % 26);
    got = decode_ok((const char *)buf, 3 + 600, NULL, NULL, &wlen);
    assert_int_equal(wlen, 595 + 5 * 3);
    free(got);
    /* without a BOM too, guessed from the NULs */
    len = utf16_with_bad(buf, 400, 80);
    decode_fails((const char *)buf + 2, len - 2, NULL,
                 "t.txt: cannot decode as UTF-16LE: 5 unpaired surrogates, the first at offset 158");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixtures_decode_to_the_same_text),
        cmocka_unit_test(valid_utf8_is_kept_as_is),
        cmocka_unit_test(forced_encodings),
        cmocka_unit_test(damaged_utf8_stays_utf8),
        cmocka_unit_test(undecodable_input_fails_with_offset),
        cmocka_unit_test(windows_punctuation_is_cp1258),
        cmocka_unit_test(utf16_edge_cases),
        cmocka_unit_test(random_bytes_after_a_bom_are_refused),
        cmocka_unit_test(cp1258_combining_tones_become_nfc),
        cmocka_unit_test(big_inputs_are_linear),
        cmocka_unit_test(corpus_tcvn_sample),
        cmocka_unit_test(random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
