/*
 * Is a raw article's text what an XML reader takes, byte for byte?
 *
 * newsgrep writes a selected article as the input holds it, after reading
 * only what its search needed (bt_search_check_raw).  Before that, this
 * pass makes sure the bytes are UTF-8 (no overlong form, no surrogate,
 * nothing past U+10FFFF, no sequence cut off) with none of the characters
 * XML 1.0 forbids: the C0 controls but tab, line feed and carriage
 * return, and U+FFFE, U+FFFF; nor "]]>", which XML allows in attribute
 * values only (where the parser is left to decide).  About 0.07 ns a
 * byte on the machine this was written on, where parsing costs some 5.
 *
 * 64 bytes a step with AVX-512BW, 32 with AVX2 (the vector layer of
 * search_vec.h), by the method of Keiser and Lemire ("Validating UTF-8 in
 * less than one instruction per byte", 2021): three table lookups, on the
 * nibbles of each byte and of the byte before it, name every error that
 * two neighbouring bytes can show; the bytes two and three back tell
 * where a second continuation byte must stand.  The first bytes, and
 * every byte without the vector instructions, are read one character at
 * a time with bt_utf8_decode and bt_xml_char_ok, which a unit test holds
 * the vector path to.
 */
#include "search_int.h"

/* What two neighbouring bytes can show, one bit each. */
enum {
    TOO_SHORT = 1 << 0,  /* a lead byte, then no continuation byte */
    TOO_LONG = 1 << 1,   /* an ASCII byte, then a continuation byte */
    OVERLONG_3 = 1 << 2, /* E0 80…9F */
    TOO_LARGE = 1 << 3,  /* F4 90…BF, F5…FF: past U+10FFFF */
    SURROGATE = 1 << 4,  /* ED A0…BF */
    OVERLONG_2 = 1 << 5, /* C0, C1 */
    TOO_LARGE_1000 = 1 << 6,
    OVERLONG_4 = 1 << 6, /* F0 80…8F */
    TWO_CONTS = 1 << 7,  /* two continuation bytes: right only in a 3- or 4-byte form */
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

/* By the high nibble of the first byte, its low nibble, the high nibble
 * of the second: a bit set in all three is an error (TWO_CONTS aside). */
static const unsigned char first_high[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
    TOO_SHORT | OVERLONG_2,
    TOO_SHORT,
    TOO_SHORT | OVERLONG_3 | SURROGATE,
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4};
static const unsigned char first_low[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
    CARRY | OVERLONG_2,
    CARRY,
    CARRY,
    CARRY | TOO_LARGE,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
    CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000};
static const unsigned char second_high[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT};

/* The C0 controls XML forbids (all but 09, 0A, 0D), as nibble tables
 * (see V(in)): high nibble 0 is class 1, 1 is class 2. */
static const unsigned char control_low[16] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 3, 3, 2, 3, 3};
static const unsigned char control_high[16] = {1, 2};

/* One character at a time from s[i] to at least `until` (a character may
 * reach past it): the offset reached, or 0 when something is wrong. */
static size_t chars_ok(const unsigned char *s, size_t len, size_t i, size_t until)
{
    while (i < until) {
        uint32_t cp;
        size_t l = bt_utf8_decode(s + i, len - i, &cp);
        if (!l || !bt_xml_char_ok(cp) ||
            (cp == '>' && i >= 2 && s[i - 1] == ']' && s[i - 2] == ']'))
            return 0;
        i += l;
    }
    return i;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VECTOR_VALID 1
#define VEC_BITS 256
#include "search_vec.h"
#include "search_valid_step.h"
#undef VEC_BITS
#define VEC_BITS 512
#include "search_vec.h"
#include "search_valid_step.h"
#undef VEC_BITS
#else
#define VECTOR_VALID 0
#endif

int bt_xml_text_ok_isa(const char *text, size_t len, int isa)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t vw = isa == 512 ? 64 : isa == 256 ? 32 : 0;
    if (!VECTOR_VALID || !vw || len < vw + 3)
        return chars_ok(s, len, 0, len) == len;
    /* the vector step reads three bytes back: the first characters here */
    size_t i = chars_ok(s, len, 0, 3);
    if (!i)
        return 0;
    /* a sequence cut off at the end has no byte after it to show it */
    if (s[len - 1] >= 0xC0 || s[len - 2] >= 0xE0 || s[len - 3] >= 0xF0)
        return 0;
    if (i + vw > len)
        i = len - vw;
#if VECTOR_VALID
    return isa == 512 ? blocks_ok_avx512(s, i, len) : blocks_ok_avx2(s, i, len);
#else
    return 0;
#endif
}

int bt_xml_text_ok(const char *text, size_t len)
{
    int isa = 0;
#if VECTOR_VALID
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        isa = 512;
    else if (__builtin_cpu_supports("avx2"))
        isa = 256;
#endif
    return bt_xml_text_ok_isa(text, len, isa);
}
