/* bt_xml_text_ok (lib/search_valid.c): UTF-8 that XML 1.0 takes, on
 * every step the CPU runs, held to an independent reader (utf8proc). */
#include "unit.h"

#include <utf8proc.h>

#include "search_int.h"

/* The isas this CPU runs: 0 always, 256 and 512 when it can. */
static int isas[3], nisa;

static int setup(void **state)
{
    (void)state;
    isas[nisa++] = 0;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2"))
        isas[nisa++] = 256;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        isas[nisa++] = 512;
#endif
    return 0;
}

/* The oracle: utf8proc's reading, XML 1.0's Char production, and no
 * "]]>" (allowed in attribute values only). */
static int oracle(const char *s, size_t len)
{
    for (size_t k = 2; k < len; k++)
        if (s[k] == '>' && s[k - 1] == ']' && s[k - 2] == ']')
            return 0;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (l <= 0)
            return 0;
        if (!(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF)))
            return 0;
        i += (size_t)l;
    }
    return 1;
}

static void check(const char *s, size_t len, int want, const char *what)
{
    for (int k = 0; k < nisa; k++) {
        int got = bt_xml_text_ok_isa(s, len, isas[k]);
        if (got != want)
            fail_msg("%s (%zu bytes), isa %d: %d, want %d", what, len, isas[k], got, want);
    }
    if (bt_xml_text_ok(s, len) != want)
        fail_msg("%s: bt_xml_text_ok is not %d", what, want);
}

/* Each flaw, alone, at every place in a text long enough for several
 * vector steps: the flaw is found wherever it stands, and the text
 * around it is never taken for one. */
static void test_flaws_everywhere(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        int ok; /* 1 right, 0 wrong, 2 right or wrong by its neighbours */
    } pieces[] = {
        {"\xc3\xa0", 1}, {"\xe1\xbb\x87", 1}, {"\xf0\x9f\x98\x80", 1}, {"\xef\xbf\xbd", 1},
        {"\t\n\r", 1}, {"\x7f", 1}, {"\xc2\x85", 1}, {"\xed\x9f\xbf", 1}, {"\xee\x80\x80", 1},
        {"\xf4\x8f\xbf\xbf", 1}, {"\xf0\x90\x80\x80", 1}, {"\xe0\xa0\x80", 1},
        {"\xc0\x80", 0}, {"\xc1\xbf", 0}, {"\xe0\x80\x80", 0}, {"\xe0\x9f\xbf", 0},
        {"\xf0\x80\x80\x80", 0}, {"\xf0\x8f\xbf\xbf", 0}, {"\xed\xa0\x80", 0},
        {"\xed\xbf\xbf", 0}, {"\xf4\x90\x80\x80", 0}, {"\xf5\x80\x80\x80", 0},
        {"\xf8\x88\x80\x80\x80", 0}, {"\xff", 0}, {"\xfe", 0}, {"\x80", 0}, {"\xbf", 0},
        {"\xc3", 0}, {"\xe1\xbb", 0}, {"\xf0\x9f\x98", 0}, {"\xc3\xa0\x80", 0},
        {"\xe1\xbb\x87\x87", 0}, {"\x01", 0}, {"\x08", 0}, {"\x0b", 0}, {"\x0c", 0},
        {"\x1f", 0}, {"\xef\xbf\xbe", 0}, {"\xef\xbf\xbf", 0}, {"\xc3\x41", 0},
        {"\xe1\x41\x87", 0}, {"]]>", 0},
        {"]>", 2}, {"]] >", 2}, {"]]", 2}, {">", 2},
    };
    const char *text = "Hà Nội, ngày 12/07/2023 - 01:01 PM: Ban Thường vụ Quận ủy Đống Đa "
                       "làm việc với Ban Dân vận <p>";
    size_t tlen = strlen(text);
    char buf[512];
    for (size_t k = 0; k < NELEMS(pieces); k++) {
        size_t plen = strlen(pieces[k].bytes);
        for (size_t at = 0; at <= tlen; at++) {
            memcpy(buf, text, at);
            memcpy(buf + at, pieces[k].bytes, plen);
            memcpy(buf + at + plen, text + at, tlen - at);
            size_t len = tlen + plen;
            int want = oracle(buf, len);
            /* a piece that is right may still cut a character of the text */
            if (pieces[k].ok == 1 && want != 1 &&
                (at == 0 || ((unsigned char)text[at] & 0xC0) != 0x80))
                fail_msg("piece %zu at %zu: the oracle says %d", k, at, want);
            char what[64];
            snprintf(what, sizeof what, "piece %zu at %zu", k, at);
            check(buf, len, want, what);
            check(buf, at + plen, oracle(buf, at + plen), what); /* the text ends with it */
        }
    }
    check("", 0, 1, "nothing");
}

/* Random texts of right and wrong pieces, 0 to 300 bytes: every step
 * says what the oracle says. */
static void test_random_texts(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "Z", " ", "<", "&amp;", "\n", "\xc3\xa0", "\xc6\xb0", "\xe1\xbb\x87", "\xe1\xba\xa1",
        "\xf0\x9f\x98\x80", "\xef\xbf\xbd", "\xef\xbf\xbe", "\x01", "\x80", "\xc3", "\xe1\xbb",
        "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xff", "]", ">",
    };
    unsigned seed = 12345;
    char buf[400];
    int bad = 0;
    for (int n = 0; n < 200000; n++) {
        size_t len = 0, want_len = (seed = seed * 1103515245u + 12345u) >> 16 & 255;
        /* mostly right pieces, so that a flaw stands among good text */
        while (len < want_len) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            size_t p = r % 100 < 97 ? r % 11 : 11 + r % (NELEMS(pieces) - 11);
            if (r % 1000 == 0) { /* a random byte */
                buf[len++] = (char)(r >> 3);
                continue;
            }
            size_t pl = strlen(pieces[p]);
            if (len + pl > sizeof buf)
                break;
            memcpy(buf + len, pieces[p], pl);
            len += pl;
        }
        int want = oracle(buf, len);
        bad += !want;
        check(buf, len, want, "random text");
    }
    assert_true(bad > 20000 && bad < 180000); /* both kinds were tried */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flaws_everywhere),
        cmocka_unit_test(test_random_texts),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
