/* Character encodings: turning the bytes of a text page into UTF-8.
 *
 * The order of decisions (bt_decode):
 *   1. a forced encoding (--encoding) is used as it is, strictly;
 *   2. a byte-order mark wins: UTF-8 (stripped), UTF-16LE, UTF-16BE;
 *   3. NUL bytes at every other position mean UTF-16 without a BOM;
 *      UTF-16 (2 or 3) is refused, naming its first unpaired surrogate,
 *      when more than 1 code unit in 100 is one (and more than 4 are):
 *      random bytes after a BOM have about 3 in 100, a damaged text a few;
 *   4. valid UTF-8 is kept as it is;
 *   5. mostly valid UTF-8 (at least twice as many valid multi-byte
 *      sequences as invalid bytes), or UTF-8 after a BOM, is a damaged
 *      UTF-8 file: each invalid byte becomes U+FFFD; after a BOM, more
 *      than 1 invalid byte in 100 (and more than 4) is refused, as for
 *      UTF-16;
 *   6. otherwise Windows-1258 and TCVN3 are both tried with iconv on the
 *      start of the input, and the one whose non-ASCII words look most
 *      like Vietnamese syllables wins, when at least half of them do;
 *      Windows-1258 also wins when its only non-ASCII characters are
 *      common punctuation (curly quotes, dashes, no-break space, €),
 *      unless TCVN3 reads at least five good Vietnamese words;
 *   7. else the input is refused, naming its first invalid byte.
 * Legacy decodings are normalised to NFC (Windows-1258 spells tones as
 * combining marks). */
#include "internal.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

/* How much of the input the legacy guess looks at. */
#define SAMPLE_LEN (256u * 1024u)
#define UTF16_SAMPLE (64u * 1024u)

static const char *display_name(const char *name)
{
    return name && *name ? name : "input";
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* Scans s for UTF-8 validity.  Returns the number of invalid bytes;
 * *multi gets the number of valid multi-byte sequences and *first_bad
 * the offset of the first invalid byte (len when none). */
static size_t utf8_scan(const unsigned char *s, size_t len, size_t *multi,
                        size_t *first_bad)
{
    size_t bad = 0, nmulti = 0, i = 0;
    *first_bad = len;
    while (i < len) {
        while (len - i >= 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (x & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* Inline the common two- and three-byte forms (no overlongs, no
         * surrogates); anything else goes to the full decoder. */
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
            nmulti++;
            i += 2;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            nmulti++;
            i += 3;
            continue;
        }
        uint32_t cp;
        size_t l = bt_utf8_decode(s + i, len - i, &cp);
        if (l) {
            nmulti++;
            i += l;
        } else {
            if (!bad)
                *first_bad = i;
            bad++;
            i++;
        }
    }
    *multi = nmulti;
    return bad;
}

/* Appends s with each invalid byte replaced by U+FFFD. */
static int utf8_repair(const unsigned char *s, size_t len, bt_buf *out)
{
    if (bt_buf_grow(out, len) < 0)
        return -1;
    size_t run = 0, i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = bt_utf8_decode(s + i, len - i, &cp);
        if (l) {
            i += l;
            continue;
        }
        if (bt_buf_add(out, s + run, i - run) < 0 ||
            bt_buf_add(out, "\xEF\xBF\xBD", 3) < 0)
            return -1;
        run = ++i;
    }
    return bt_buf_add(out, s + run, len - run);
}

/* ------------------------------------------------------------------ */
/* UTF-16                                                              */
/* ------------------------------------------------------------------ */

/* Appends UTF-16 (big_endian or little) as UTF-8; unpaired surrogates
 * and a final odd byte become U+FFFD.  *bad: how many unpaired
 * surrogates, *first_bad: the offset of the first. */
static int utf16_decode(const unsigned char *s, size_t len, int big_endian,
                        bt_buf *out, size_t *bad, size_t *first_bad)
{
    *bad = 0;
    if (bt_buf_grow(out, len + len / 2) < 0)
        return -1;
    size_t i = 0;
    while (i + 1 < len) {
        uint32_t u = big_endian ? (uint32_t)s[i] << 8 | s[i + 1]
                                : (uint32_t)s[i + 1] << 8 | s[i];
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < len) {
            uint32_t v = big_endian ? (uint32_t)s[i] << 8 | s[i + 1]
                                    : (uint32_t)s[i + 1] << 8 | s[i];
            if (v >= 0xDC00 && v <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                i += 2;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            if (!(*bad)++)
                *first_bad = i - 2;
            u = 0xFFFD;
        }
        char enc[4];
        size_t l = bt_utf8_encode(u, enc);
        if (bt_buf_add(out, enc, l) < 0)
            return -1;
    }
    if (i < len && bt_buf_add(out, "\xEF\xBF\xBD", 3) < 0)
        return -1;
    return 0;
}

/* Guesses UTF-16 without a BOM from NUL bytes: text in Latin script has a
 * zero high byte in most code units, UTF-8 and 8-bit text have no NULs.
 * Returns 1 (LE), 2 (BE) or 0. */
static int utf16_guess(const unsigned char *s, size_t len)
{
    size_t n = len < UTF16_SAMPLE ? len : UTF16_SAMPLE;
    n &= ~(size_t)1;
    if (n < 4)
        return 0;
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += !s[i];
        odd += !s[i + 1];
    }
    size_t units = n / 2;
    if (units < 8)
        return 0; /* too short to tell */
    if (odd * 4 >= units && even * 20 <= odd)
        return 1;
    if (even * 4 >= units && odd * 20 <= even)
        return 2;
    return 0;
}

/* ------------------------------------------------------------------ */
/* iconv                                                               */
/* ------------------------------------------------------------------ */

/* Converts s with iconv from `from` to UTF-8, appending to out.
 * Returns 0, -1 when out of memory, or -2 when a byte cannot be
 * converted (*bad_at gets its offset; a truncated sequence at the end
 * counts as invalid at its first byte). */
static int iconv_to_utf8(const char *from, const char *s, size_t len,
                         bt_buf *out, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return -3;
    char *in = (char *)s;
    size_t left = len;
    int rc = 0;
    int flushing = 0; /* input done: CP1258 may still hold a letter back */
    for (;;) {
        /* Chunks keep the first allocation small for big inputs; the
         * buffer doubles, so the whole stays linear. */
        size_t want = left < 65536 ? left * 3 + 64 : 65536 * 3;
        if (bt_buf_grow(out, want) < 0) {
            rc = -1;
            break;
        }
        char *o = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = flushing ? iconv(cd, NULL, NULL, &o, &room)
                            : iconv(cd, &in, &left, &o, &room);
        out->len = (size_t)(o - out->data);
        if (r != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1;
            continue;
        }
        if (errno == E2BIG)
            continue;
        rc = -2; /* EILSEQ, or EINVAL: a sequence cut off at the end */
        *bad_at = (size_t)(in - s);
        break;
    }
    iconv_close(cd);
    if (out->data)
        out->data[out->len] = '\0';
    return rc;
}

/* ------------------------------------------------------------------ */
/* How Vietnamese a text looks                                         */
/* ------------------------------------------------------------------ */


/* 1 when the lowercase letters w[0..n) (bases) form a Vietnamese syllable
 * shape: initial consonant, one to three vowels, final consonant. */
static int syllable_shape(const char *w, size_t n)
{
    static const char *const initials[] = {
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
        "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s",
        "t", "v", "x", "",
    };
    static const char *const finals[] = {"ng", "nh", "ch", "c", "m", "n",
                                         "p", "t", ""};
    size_t i = 0;
    for (size_t k = 0; k < BT_ARRAY_LEN(initials); k++) {
        size_t l = strlen(initials[k]);
        if (l <= n && !strncmp(w, initials[k], l)) {
            i = l;
            break;
        }
    }
    size_t v = 0;
    while (i + v < n && strchr("aeiouy", w[i + v]))
        v++;
    if (v < 1 || v > 3)
        return 0;
    const char *rest = w + i + v;
    size_t rl = n - i - v;
    for (size_t k = 0; k < BT_ARRAY_LEN(finals); k++)
        if (strlen(finals[k]) == rl && !strncmp(rest, finals[k], rl))
            return 1;
    return 0;
}

/* Punctuation and symbols any Windows text may hold (no-break space,
 * « » ° © …, dashes, curly quotes, ellipsis, €, ™): no evidence either
 * way. */
static int neutral_symbol(uint32_t cp)
{
    return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2010 && cp <= 0x2027) || cp == 0x2030 || cp == 0x2039 ||
           cp == 0x203A || cp == 0x20AC || cp == 0x2122;
}

/* Scores UTF-8 text: the share (0–1000) of words holding a non-ASCII
 * character that are plausible Vietnamese syllables; -1 when there are
 * none.  Non-letter symbols outside ASCII count against it. */
static int vietnamese_score(const char *text, size_t len, size_t *ngood)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t good = 0, total = 0;
    char w[16];
    size_t wn = 0;
    int tones = 0, non_ascii = 0, broken = 0;
    size_t i = 0;
    while (i <= len) {
        uint32_t cp = 0;
        size_t l = 1;
        if (i < len)
            l = bt_utf8_next(s + i, len - i, &cp);
        /* Lowercase the letters Vietnamese uses. */
        if (cp >= 'A' && cp <= 'Z')
            cp |= 0x20;
        else if ((cp >= 0xC0 && cp <= 0xDD) && cp != 0xD7)
            cp += 0x20;
        else if (cp == 0x102 || cp == 0x110 || cp == 0x128 || cp == 0x168 ||
                 cp == 0x1A0 || cp == 0x1AF)
            cp += 1;
        else if (cp >= 0x1EA0 && cp <= 0x1EF9)
            cp |= 1;
        char base;
        int tone;
        int letter = i < len && ((cp >= 'a' && cp <= 'z') ||
                                 (cp >= 0x80 && bt_vn_letter((int32_t)cp, &base, &tone)));
        if (letter) {
            if (cp < 0x80)
                base = (char)cp, tone = 0;
            else
                non_ascii = 1, base = (char)(base | 0x20); /* lowercase */
            if (wn < sizeof w)
                w[wn] = base;
            wn++;
            tones += tone;
        } else {
            if (i < len && cp >= 0x80 && !neutral_symbol(cp)) {
                /* A symbol or letter foreign to Vietnamese: glued to a
                 * word it spoils it; alone it counts as a bad word. */
                if (wn)
                    broken = 1;
                else
                    total++;
            }
            if (wn && (non_ascii || broken)) {
                total++;
                if (!broken && tones <= 1 && wn <= 7 && syllable_shape(w, wn))
                    good++;
            }
            wn = 0;
            tones = non_ascii = broken = 0;
        }
        i += l;
    }
    *ngood = good;
    if (!total)
        return -1;
    return (int)(good * 1000 / total);
}

/* ------------------------------------------------------------------ */
/* bt_decode                                                           */
/* ------------------------------------------------------------------ */

/* Appends the UTF-8 in tmp cleaned by bt_text_clean (NFC, no U+FEFF, no
 * control characters XML forbids), and frees tmp. */
static int finish(bt_buf *tmp, bt_buf *out)
{
    int r = bt_text_clean(tmp->data, tmp->len, out);
    bt_buf_free(tmp);
    return r;
}

static int decode_forced(const unsigned char *s, size_t len, const char *forced,
                         const char *name, bt_buf *out, const char **detected,
                         bt_error *err)
{
    const char *iconv_name = forced;
    const char *label = forced;
    if (!strcasecmp(forced, "UTF-8") || !strcasecmp(forced, "UTF8")) {
        size_t multi, bad_at;
        if (utf8_scan(s, len, &multi, &bad_at)) {
            bt_error_set(err, BT_ERR_INPUT, "%s: cannot decode as UTF-8: invalid byte 0x%02X at offset %zu",
                         display_name(name), s[bad_at], bad_at);
            return -1;
        }
        if (detected)
            *detected = "UTF-8";
        if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
            s += 3, len -= 3;
        if (bt_buf_add(out, s, len) < 0)
            goto oom;
        return 0;
    }
    if (!strcasecmp(forced, "TCVN3") || !strcasecmp(forced, "TCVN") ||
        !strcasecmp(forced, "ABC") || !strcasecmp(forced, "TCVN5712-1")) {
        iconv_name = "TCVN5712-1";
        label = "TCVN3";
    } else if (!strcasecmp(forced, "CP1258") ||
               !strcasecmp(forced, "WINDOWS-1258")) {
        iconv_name = "CP1258";
        label = "CP1258";
    }
    bt_buf tmp = BT_BUF_INIT;
    size_t bad_at = 0;
    int r = iconv_to_utf8(iconv_name, (const char *)s, len, &tmp, &bad_at);
    if (r == -3) {
        bt_error_set(err, BT_ERR_USAGE, "%s: unknown encoding '%s'", display_name(name), forced);
        bt_buf_free(&tmp);
        return -1;
    }
    if (r == -2) {
        if (bad_at < len)
            bt_error_set(err, BT_ERR_INPUT, "%s: cannot decode as %s: invalid byte 0x%02X at offset %zu",
                         display_name(name), label, s[bad_at], bad_at);
        else
            bt_error_set(err, BT_ERR_INPUT, "%s: cannot decode as %s: truncated at the end",
                         display_name(name), label);
        bt_buf_free(&tmp);
        return -1;
    }
    if (r < 0 || finish(&tmp, out) < 0) {
        bt_buf_free(&tmp);
        goto oom;
    }
    if (detected)
        *detected = label;
    return 0;
oom:
    bt_error_nomem(err, display_name(name));
    return -1;
}

/* Tries one legacy encoding on the sample: its score, or -2 when the
 * sample does not convert. */
static int legacy_score(const char *enc, const unsigned char *s, size_t len,
                        size_t *ngood, int *oom)
{
    bt_buf tmp = BT_BUF_INIT;
    size_t bad_at;
    size_t n = len < SAMPLE_LEN ? len : SAMPLE_LEN;
    int r = iconv_to_utf8(enc, (const char *)s, n, &tmp, &bad_at);
    int score = -2;
    if (r == -1)
        *oom = 1;
    else if (r == 0)
        score = vietnamese_score(tmp.data, tmp.len, ngood);
    bt_buf_free(&tmp);
    return score;
}

int bt_decode(const char *data, size_t len, const char *forced,
              const char *name, bt_buf *out, const char **detected,
              bt_error *err)
{
    const unsigned char *s = (const unsigned char *)data;
    if (forced && *forced)
        return decode_forced(s, len, forced, name, out, detected, err);

    bt_buf tmp = BT_BUF_INIT;
    const char *what;
    int bom16 = len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF));
    int u16 = bom16 ? (s[0] == 0xFE ? 2 : 1) : utf16_guess(s, len);
    if (u16) {
        size_t skip = bom16 ? 2 : 0, bad, first_bad = 0;
        what = u16 == 2 ? "UTF-16BE" : "UTF-16LE";
        if (utf16_decode(s + skip, len - skip, u16 == 2, &tmp, &bad, &first_bad) < 0)
            goto oom;
        if (bad > 4 && bad * 100 > (len - skip) / 2) {
            bt_buf_free(&tmp);
            bt_error_set(err, BT_ERR_INPUT,
                         "%s: cannot decode as %s: %zu unpaired surrogates, the first at offset %zu",
                         display_name(name), what, bad, skip + first_bad);
            return -1;
        }
        if (finish(&tmp, out) < 0)
            goto oom;
        goto done;
    }

    const unsigned char *body = s;
    size_t blen = len;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        body += 3, blen -= 3;
    size_t multi, first_bad;
    size_t bad = utf8_scan(body, blen, &multi, &first_bad);
    what = "UTF-8";
    if (!bad) {
        if (bt_buf_add(out, body, blen) < 0)
            goto oom;
        goto done;
    }
    if (body != s && bad > 4 && bad * 100 > blen) {
        /* after a BOM, but random bytes, not a damaged text (as for UTF-16) */
        bt_error_set(err, BT_ERR_INPUT,
                     "%s: cannot decode as UTF-8: %zu invalid bytes, the first at offset %zu",
                     display_name(name), bad, 3 + first_bad);
        return -1;
    }
    if (body != s || multi >= 2 * bad) {
        /* A BOM, or mostly UTF-8: a damaged file, not a legacy one. */
        if (utf8_repair(body, blen, out) < 0)
            goto oom;
        goto done;
    }

    int oom = 0;
    size_t cp1258_good = 0, tcvn_good = 0;
    int cp1258 = legacy_score("CP1258", s, len, &cp1258_good, &oom);
    int tcvn = legacy_score("TCVN5712-1", s, len, &tcvn_good, &oom);
    if (oom)
        goto oom;
    const char *enc = NULL;
    if (cp1258 >= 500 && cp1258 >= tcvn)
        enc = "CP1258", what = "CP1258";
    else if (tcvn >= 500 && (cp1258 != -1 || tcvn_good >= 5))
        enc = "TCVN5712-1", what = "TCVN3";
    else if (cp1258 == -1)
        enc = "CP1258", what = "CP1258"; /* ASCII words, Windows punctuation */
    if (!enc) {
        bt_error_set(err, BT_ERR_INPUT, "%s: cannot decode: invalid byte 0x%02X at offset %zu",
                     display_name(name), s[first_bad], first_bad);
        return -1;
    }
    size_t bad_at = 0;
    int r = iconv_to_utf8(enc, data, len, &tmp, &bad_at);
    if (r == -2) {
        bt_buf_free(&tmp);
        if (bad_at < len)
            bt_error_set(err, BT_ERR_INPUT, "%s: cannot decode as %s: invalid byte 0x%02X at offset %zu",
                         display_name(name), what, s[bad_at], bad_at);
        else
            bt_error_set(err, BT_ERR_INPUT, "%s: cannot decode as %s: truncated at the end",
                         display_name(name), what);
        return -1;
    }
    if (r < 0 || finish(&tmp, out) < 0)
        goto oom;
done:
    if (detected)
        *detected = what;
    return 0;
oom:
    bt_buf_free(&tmp);
    bt_error_nomem(err, display_name(name));
    return -1;
}

/* ------------------------------------------------------------------ */
/* A page, decoded once (the input layer's one step)                   */
/* ------------------------------------------------------------------ */

/* The charset an HTML or XML page declares in its first 64 KB: <meta
 * charset>, http-equiv content="…; charset=…", <?xml … encoding="…"?>;
 * "" when none. */
static void declared_in_page(const char *s, size_t len, char out[40])
{
    out[0] = '\0';
    if (len > 65536)
        len = 65536;
    if (len > 5 && !memcmp(s, "<?xml", 5)) {
        const char *end = memchr(s, '>', len);
        for (const char *p = s; end && p + 9 < end; p++) {
            if (strncmp(p, "encoding", 8))
                continue;
            p += 8;
            while (p < end && (*p == ' ' || *p == '=' || *p == '"' || *p == '\''))
                p++;
            size_t n = 0;
            while (p < end && n < 39 && *p != '"' && *p != '\'' && *p != ' ' && *p != '?')
                out[n++] = *p++;
            out[n] = '\0';
            return;
        }
    }
    for (size_t i = 0; i + 8 < len; i++) {
        if ((s[i] | 0x20) != 'c' || strncasecmp(s + i, "charset", 7))
            continue;
        size_t k = i + 7;
        while (k < len && (s[k] == ' ' || s[k] == '=' || s[k] == '"' || s[k] == '\''))
            k++;
        size_t n = 0;
        while (k < len && n < 39 &&
               ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
                (s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == '_' || s[k] == '.' ||
                s[k] == ':'))
            out[n++] = s[k++];
        out[n] = '\0';
        if (n)
            return;
    }
}

/* What iconv should be asked for a charset a page declares: the WHATWG
 * rule that ISO-8859-1 and ASCII mean Windows-1252, and the Vietnamese
 * names; NULL for UTF-8 (nothing to convert) or what cannot help. */
static const char *declared_to_iconv(const char *cs)
{
    if (!cs[0] || !strcasecmp(cs, "utf-8") || !strcasecmp(cs, "utf8") ||
        !strncasecmp(cs, "utf-16", 6) || !strncasecmp(cs, "unicode", 7))
        return NULL; /* UTF-16 is told by its BOM or its NULs */
    if (!strcasecmp(cs, "iso-8859-1") || !strcasecmp(cs, "latin1") ||
        !strcasecmp(cs, "us-ascii") || !strcasecmp(cs, "ascii"))
        return "WINDOWS-1252";
    if (!strcasecmp(cs, "tcvn") || !strcasecmp(cs, "tcvn3") || !strcasecmp(cs, "abc") ||
        !strcasecmp(cs, "x-viet-tcvn") || !strcasecmp(cs, "x-viet-tcvn5712") ||
        !strcasecmp(cs, "tcvn5712-1"))
        return "TCVN5712-1";
    return cs;
}

int bt_decode_page(const char *data, size_t len, const char *forced, const char *declared,
                   int html, const char *name, bt_buf *buf, const char **text, size_t *tlen,
                   const char **charset, bt_error *err)
{
    const char *what = "UTF-8";
    /* Most pages are clean UTF-8 already (NFC, nothing XML forbids, no
     * NUL): one scan, no copy. */
    if (!(forced && *forced) && bt_text_clean_prefix(data, len) == len) {
        if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
            data += 3, len -= 3; /* cannot happen: U+FEFF is not clean */
        *text = data;
        *tlen = len;
        if (charset)
            *charset = what;
        return 0;
    }
    bt_buf tmp = BT_BUF_INIT;
    int done = 0;
    const unsigned char *u = (const unsigned char *)data;
    int bom = (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
              (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF);
    if (!(forced && *forced) && !bom) {
        /* what the container (HTTP, MIME) or the page itself declares,
         * tried strictly, for pages that are not valid UTF-8 */
        char in_page[40] = "";
        const char *cs = declared && *declared ? declared_to_iconv(declared) : NULL;
        if (!cs && html) {
            declared_in_page(data, len, in_page);
            cs = declared_to_iconv(in_page);
        }
        size_t multi, first_bad;
        if (cs && utf8_scan(u, len, &multi, &first_bad)) {
            size_t bad_at;
            int r = iconv_to_utf8(cs, data, len, &tmp, &bad_at);
            if (r == -1)
                goto oom;
            if (r == 0) {
                what = cs;
                done = 1;
            } else {
                bt_buf_reset(&tmp);
            }
        }
    }
    if (!done && bt_decode(data, len, forced, name, &tmp, &what, err) < 0) {
        bt_buf_free(&tmp);
        return -1;
    }
    if (bt_text_clean(tmp.data, tmp.len, buf) < 0)
        goto oom;
    bt_buf_free(&tmp);
    *text = buf->data;
    *tlen = buf->len;
    if (charset)
        *charset = what;
    return 0;
oom:
    bt_buf_free(&tmp);
    bt_error_nomem(err, display_name(name));
    return -1;
}
