/*
 * Dates as Vietnamese news pages print them.
 *
 * The text is cut into tokens (numbers, words, punctuation) and the
 * formats are small patterns over tokens.  Words are folded to lowercase
 * ASCII without diacritics ("Thứ" → "thu", "Đăng" → "dang") by a table of
 * the Latin letters Vietnamese uses, skipping combining marks, so NFC,
 * NFD and either tone placement all look alike, and no locale is
 * involved.  Tokens are made on demand into a small ring, so any input
 * is read once, in constant memory.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Folding letters                                                     */
/* ------------------------------------------------------------------ */

/* Base letters of U+1EA0..U+1EF9 (Vietnamese letters with tone marks),
 * one per upper/lower pair. */
static const char VI_EXT[] = "aaaaaaaaaaaa" "eeeeeeee" "ii" "oooooooooooo"
                             "uuuuuuu" "yyyy";
/* Base letters of U+00C0..U+00FF (Latin-1 letters), '\0' for non-letters. */
static const char LATIN1[] = "aaaaaaaceeeeiiii" "dnooooo\0ouuuuy\0\0"
                             "aaaaaaaceeeeiiii" "dnooooo\0ouuuuy\0y";

_Static_assert(sizeof VI_EXT == 0x5A / 2 + 1, "one letter per pair");
_Static_assert(sizeof LATIN1 == 0x40 + 1, "one entry per code point");

enum { CP_SPACE = -1, CP_MARK = -2, CP_OTHER = -3, CP_DASH = -4 };

/* What a non-ASCII code point is to us: a base letter, a space, a
 * combining mark, a dash, or something else. */
static int classify_cp(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0xFF)
        return LATIN1[cp - 0xC0] ? LATIN1[cp - 0xC0] : CP_OTHER;
    if (cp >= 0x1EA0 && cp <= 0x1EF9)
        return VI_EXT[(cp - 0x1EA0) / 2];
    switch (cp) {
    case 0x102: case 0x103: return 'a';
    case 0x110: case 0x111: return 'd';
    case 0x128: case 0x129: return 'i';
    case 0x168: case 0x169: return 'u';
    case 0x1A0: case 0x1A1: return 'o';
    case 0x1AF: case 0x1B0: return 'u';
    case 0xA0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
    case 0xFEFF: case 0x200B:
        return CP_SPACE;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212:
        return CP_DASH;
    case 0xB7: case 0x2022: case 0x2219: case 0x22C5: case 0xFF5C:
        return '|'; /* dots and bars that separate date parts */
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return CP_SPACE;
    if (cp >= 0x300 && cp <= 0x36F)
        return CP_MARK;
    return CP_OTHER;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

typedef enum { T_END, T_NUM, T_WORD, T_PUNCT, T_OTHER } tok_kind;

#define WORD_MAX 15 /* longer words are kept cut; none of ours is this long */

typedef struct token {
    tok_kind kind;
    size_t start, end; /* byte span */
    int gap;           /* white space (or the start of text) before it */
    tok_kind prev;     /* kind of the token before (T_END at the start) */
    int ndigits;       /* T_NUM */
    long value;        /* T_NUM: -1 when more than 9 digits */
    char word[WORD_MAX + 1]; /* T_WORD: folded; T_PUNCT: the character */
    size_t wlen;       /* T_WORD: folded length (may exceed WORD_MAX) */
} token;

#define RING 64 /* tokens kept; patterns look at most ~30 ahead */

typedef struct lexer {
    const unsigned char *s;
    size_t len, pos;
    size_t ntok; /* tokens made so far */
    tok_kind last;
    token ring[RING];
} lexer;

static void lex_init(lexer *lx, const char *s, size_t len)
{
    lx->s = (const unsigned char *)s;
    lx->len = s ? len : 0;
    lx->pos = 0;
    lx->ntok = 0;
    lx->last = T_END;
}

/* Decodes the code point at pos: its class (see classify_cp, or the
 * ASCII byte itself) and its length in bytes (invalid bytes: 1, OTHER). */
static int peek_cp(const lexer *lx, size_t pos, size_t *n)
{
    unsigned c = lx->s[pos];
    if (c < 0x80) {
        *n = 1;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v')
            return CP_SPACE;
        if (c < 0x20 || c == 0x7F)
            return CP_OTHER;
        return (int)c;
    }
    uint32_t cp;
    *n = bt_utf8_decode(lx->s + pos, lx->len - pos, &cp);
    if (*n == 0) {
        *n = 1;
        return CP_OTHER;
    }
    return classify_cp(cp);
}

static int is_letter_class(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == CP_MARK;
}

static void lex_one(lexer *lx, token *t)
{
    memset(t, 0, sizeof *t);
    t->prev = lx->last;
    t->gap = lx->ntok == 0;
    size_t n;
    int c = 0;
    while (lx->pos < lx->len) {
        c = peek_cp(lx, lx->pos, &n);
        if (c != CP_SPACE)
            break;
        t->gap = 1;
        lx->pos += n;
    }
    t->start = lx->pos;
    if (lx->pos >= lx->len) {
        t->kind = T_END;
        t->end = lx->pos;
        t->gap = 1;
        return;
    }
    if (c >= '0' && c <= '9') {
        t->kind = T_NUM;
        long v = 0;
        while (lx->pos < lx->len && lx->s[lx->pos] >= '0' &&
               lx->s[lx->pos] <= '9') {
            if (t->ndigits < 10)
                v = v * 10 + (lx->s[lx->pos] - '0');
            if (t->ndigits < 1000)
                t->ndigits++;
            lx->pos++;
        }
        t->value = t->ndigits <= 9 ? v : -1;
    } else if (is_letter_class(c)) {
        t->kind = T_WORD;
        while (lx->pos < lx->len) {
            c = peek_cp(lx, lx->pos, &n);
            if (!is_letter_class(c))
                break;
            lx->pos += n;
            if (c == CP_MARK)
                continue;
            if (c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            if (t->wlen < WORD_MAX)
                t->word[t->wlen] = (char)c;
            t->wlen++;
        }
    } else if (c == CP_OTHER) {
        t->kind = T_OTHER;
        lx->pos += n;
    } else {
        t->kind = T_PUNCT;
        t->word[0] = c == CP_DASH ? '-' : (char)c;
        lx->pos += n;
    }
    t->end = lx->pos;
    lx->last = t->kind;
}

/* Token i of the text (made on demand).  A token that fell out of the
 * ring reads as the end, which only makes a pattern fail. */
static const token *tok(lexer *lx, size_t i)
{
    static const token end = {T_END, 0, 0, 1, T_END, 0, -1, "", 0};
    while (lx->ntok <= i) {
        lex_one(lx, &lx->ring[lx->ntok % RING]);
        lx->ntok++;
    }
    if (lx->ntok - i > RING)
        return &end;
    return &lx->ring[i % RING];
}

static int is_num(const token *t, int min_digits, int max_digits)
{
    return t->kind == T_NUM && t->ndigits >= min_digits &&
           t->ndigits <= max_digits;
}

static int is_punct(const token *t, char c)
{
    return t->kind == T_PUNCT && t->word[0] == c;
}

static int is_word(const token *t, const char *w)
{
    return t->kind == T_WORD && t->wlen == strlen(w) && !strcmp(t->word, w);
}

/* ------------------------------------------------------------------ */
/* Calendar                                                            */
/* ------------------------------------------------------------------ */

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int date_ok(long y, long m, long d)
{
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month((int)y, (int)m);
}

/* Days from 1970-01-01 in the proleptic Gregorian calendar: count from
 * March so the leap day is the last of the year. */
static long long days_from_civil(long long y, long long m, long long d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

long long bt_date_days(const bt_date *d)
{
    return days_from_civil(d->year, d->month, d->day);
}

/* ------------------------------------------------------------------ */
/* Zones                                                               */
/* ------------------------------------------------------------------ */

static int format_offset(int sign, long h, long m, char out[7])
{
    if (h < 0 || h > 14 || m < 0 || m > 59 || (h == 14 && m))
        return -1;
    if (h == 0 && m == 0)
        sign = '+';
    out[0] = (char)sign;
    out[1] = (char)('0' + h / 10);
    out[2] = (char)('0' + h % 10);
    out[3] = ':';
    out[4] = (char)('0' + m / 10);
    out[5] = (char)('0' + m % 10);
    out[6] = '\0';
    return 0;
}

static int ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (x != y)
            return 0;
    }
    return 1;
}

int bt_tz_parse(const char *s, char out[7])
{
    out[0] = '\0';
    if (!s)
        return -1;
    size_t n = strlen(s);
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z'))
        return format_offset('+', 0, 0, out);
    if (n >= 3 && (ascii_ieq(s, "utc", 3) || ascii_ieq(s, "gmt", 3))) {
        s += 3;
        n -= 3;
        if (n == 0)
            return format_offset('+', 0, 0, out);
    }
    if (n < 2 || (s[0] != '+' && s[0] != '-'))
        return -1;
    int sign = s[0];
    const char *p = s + 1;
    long h = 0, m = 0;
    int hd = 0;
    while (*p >= '0' && *p <= '9' && hd < 5)
        h = h * 10 + (*p++ - '0'), hd++;
    if (hd == 4 && !*p) { /* +0700 */
        m = h % 100;
        h /= 100;
    } else if (hd >= 1 && hd <= 2 && *p == ':') { /* +07:00, +7:00 */
        p++;
        if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') ||
            p[2])
            return -1;
        m = (p[0] - '0') * 10 + (p[1] - '0');
    } else if (!(hd >= 1 && hd <= 2 && !*p)) { /* +7, +07 */
        return -1;
    }
    if (format_offset(sign, h, m, out) < 0) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

/* A zone at token k: "GMT+7", "(GMT+07:00)", "UTC", "ICT", "+07:00",
 * "+0700", "Z" (glued to the time).  Returns the token after it, or 0. */
static size_t match_zone(lexer *lx, size_t k, char tz[7])
{
    size_t i = k;
    int paren = is_punct(tok(lx, i), '(');
    if (paren)
        i++;
    const token *t = tok(lx, i);
    char out[7];
    if (is_word(t, "gmt") || is_word(t, "utc")) {
        i++;
        format_offset('+', 0, 0, out);
        const token *sg = tok(lx, i), *h = tok(lx, i + 1);
        if ((is_punct(sg, '+') || is_punct(sg, '-')) && !h->gap &&
            is_num(h, 1, 4)) {
            long hh = h->value, mm = 0;
            i += 2;
            if (h->ndigits == 4) {
                mm = hh % 100;
                hh /= 100;
            } else if (h->ndigits <= 2 && is_punct(tok(lx, i), ':') &&
                       !tok(lx, i)->gap && is_num(tok(lx, i + 1), 2, 2) &&
                       !tok(lx, i + 1)->gap) {
                mm = tok(lx, i + 1)->value;
                i += 2;
            } else if (h->ndigits > 2) {
                return 0;
            }
            if (format_offset(sg->word[0], hh, mm, out) < 0)
                return 0;
        }
    } else if (is_word(t, "ict")) {
        i++;
        format_offset('+', 7, 0, out);
    } else if (!paren && is_word(t, "z") && !t->gap) {
        i++;
        format_offset('+', 0, 0, out);
    } else if ((is_punct(t, '+') || (is_punct(t, '-') && !t->gap)) &&
               !tok(lx, i + 1)->gap) {
        /* A bare offset needs two-digit minutes, so "- 12/07" and
         * "+7" in prose are not zones. */
        const token *h = tok(lx, i + 1);
        long hh, mm;
        if (is_num(h, 4, 4)) {
            hh = h->value / 100;
            mm = h->value % 100;
            i += 2;
        } else if (is_num(h, 2, 2) && is_punct(tok(lx, i + 2), ':') &&
                   !tok(lx, i + 2)->gap && is_num(tok(lx, i + 3), 2, 2) &&
                   !tok(lx, i + 3)->gap) {
            hh = h->value;
            mm = tok(lx, i + 3)->value;
            i += 4;
        } else {
            return 0;
        }
        const token *after = tok(lx, i), *next = tok(lx, i + 1);
        if (!after->gap &&
            (after->kind == T_NUM ||
             ((is_punct(after, '/') || is_punct(after, '-') ||
               is_punct(after, '.')) &&
              next->kind == T_NUM && !next->gap)))
            return 0; /* part of a date or a number, not a zone */
        if (format_offset(t->word[0], hh, mm, out) < 0)
            return 0;
    } else {
        return 0;
    }
    if (paren) {
        if (!is_punct(tok(lx, i), ')'))
            return 0;
        i++;
    }
    memcpy(tz, out, 7);
    return i;
}

/* ------------------------------------------------------------------ */
/* Times                                                               */
/* ------------------------------------------------------------------ */

typedef struct clock_time {
    int hour, minute, second;
    char tz[7];
    size_t start, end; /* bytes */
} clock_time;

/* 1 for AM, 2 for PM, 0 for neither; *i moves past the marker. */
static int match_ampm(lexer *lx, size_t *i)
{
    const token *t = tok(lx, *i);
    if (is_word(t, "am") || is_word(t, "sa") || is_word(t, "sang")) {
        (*i)++;
        return 1;
    }
    if (is_word(t, "pm") || is_word(t, "ch") || is_word(t, "chieu") ||
        is_word(t, "toi")) {
        (*i)++;
        return 2;
    }
    /* "a.m." / "p.m." */
    if ((is_word(t, "a") || is_word(t, "p")) && is_punct(tok(lx, *i + 1), '.') &&
        !tok(lx, *i + 1)->gap && is_word(tok(lx, *i + 2), "m") &&
        !tok(lx, *i + 2)->gap) {
        int r = t->word[0] == 'a' ? 1 : 2;
        *i += 3;
        if (is_punct(tok(lx, *i), '.') && !tok(lx, *i)->gap)
            (*i)++;
        return r;
    }
    return 0;
}

/* A time at token i: "13:01", "13:01:00", "1:01 PM", "08:30 SA",
 * "18h30", "18g30", "18h", "18 giờ 30 phút", each with an optional zone.
 * Returns the token after it, or 0. */
static size_t match_time(lexer *lx, size_t i, clock_time *ct)
{
    const token *h = tok(lx, i);
    if (!is_num(h, 1, 2))
        return 0;
    long hour = h->value, minute = 0, second = 0;
    size_t k = i + 1;
    const token *t = tok(lx, k);
    if (is_punct(t, ':') && !t->gap && is_num(tok(lx, k + 1), 2, 2) &&
        !tok(lx, k + 1)->gap) {
        minute = tok(lx, k + 1)->value;
        k += 2;
        if (is_punct(tok(lx, k), ':') && !tok(lx, k)->gap &&
            is_num(tok(lx, k + 1), 2, 2) && !tok(lx, k + 1)->gap) {
            second = tok(lx, k + 1)->value;
            k += 2;
            if (is_punct(tok(lx, k), '.') && !tok(lx, k)->gap &&
                tok(lx, k + 1)->kind == T_NUM && !tok(lx, k + 1)->gap)
                k += 2; /* fractions of a second */
        }
    } else if ((is_word(t, "h") || is_word(t, "g")) && !t->gap) {
        k++;
        if (is_num(tok(lx, k), 2, 2) && !tok(lx, k)->gap) {
            minute = tok(lx, k)->value;
            k++;
        }
    } else if (is_word(t, "gio")) {
        k++;
        if (is_num(tok(lx, k), 1, 2)) {
            minute = tok(lx, k)->value;
            k++;
            if (is_word(tok(lx, k), "phut"))
                k++;
        }
    } else {
        return 0;
    }
    int ampm = match_ampm(lx, &k);
    if (ampm == 1) {
        if (hour > 12)
            return 0;
        if (hour == 12)
            hour = 0;
    } else if (ampm == 2) {
        /* "13:01 PM" is sloppy but not ambiguous. */
        if (hour == 0)
            return 0;
        if (hour < 12)
            hour += 12;
    }
    if (hour > 23 || minute > 59 || second > 59)
        return 0;
    ct->hour = (int)hour;
    ct->minute = (int)minute;
    ct->second = (int)second;
    ct->tz[0] = '\0';
    ct->start = h->start;
    ct->end = tok(lx, k - 1)->end;
    size_t z = match_zone(lx, k, ct->tz);
    if (z) {
        k = z;
        ct->end = tok(lx, k - 1)->end;
    }
    return k;
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

static const char *const MONTHS_EN[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

static int english_month(const token *t)
{
    if (t->kind != T_WORD || t->wlen < 3 || t->wlen > WORD_MAX)
        return 0;
    for (int m = 0; m < 12; m++) {
        const char *name = MONTHS_EN[m];
        if (!strcmp(t->word, name) ||
            (t->wlen == 3 && !strncmp(t->word, name, 3)) ||
            (m == 8 && !strcmp(t->word, "sept")))
            return m + 1;
    }
    return 0;
}

/* 1 when tokens a, b are "X", sep glued together. */
static int glued_sep(const token *t, char sep)
{
    return is_punct(t, sep) && !t->gap;
}

/* "N?N?N" from token i, glued together with the same separator, one of
 * seps (the second number one or two digits, the third cmin to cmax; the
 * first is the caller's to check): the separator, or 0. */
static char glued_numbers(lexer *lx, size_t i, const char *seps, int cmin, int cmax)
{
    const token *s1 = tok(lx, i + 1);
    char sep = s1->word[0];
    if (s1->kind == T_PUNCT && !s1->gap && sep && strchr(seps, sep) &&
        is_num(tok(lx, i + 2), 1, 2) && !tok(lx, i + 2)->gap &&
        glued_sep(tok(lx, i + 3), sep) && is_num(tok(lx, i + 4), cmin, cmax) &&
        !tok(lx, i + 4)->gap)
        return sep;
    return 0;
}

/* The year that ends a date after its month, at token k: ", 2023", or
 * with nam also "năm 2023" (the comma optional).  Returns the token after
 * it, or 0. */
static size_t year_after_month(lexer *lx, size_t k, int nam, long *y)
{
    if (is_punct(tok(lx, k), ','))
        k++;
    if (nam && is_word(tok(lx, k), "nam"))
        k++;
    if (!is_num(tok(lx, k), 4, 4))
        return 0;
    *y = tok(lx, k)->value;
    return k + 1;
}

/* The date part at token i (no time): "12/07/2023", "12-7-2023",
 * "12.07.2023", "2023-07-12", "2023/07/12", "20230712",
 * "5 tháng 9 năm 2023", "12 July 2023", "July 12, 2023".  Returns the
 * token after it, or 0.  *iso is set for year-first forms (where a
 * glued "T" may lead to the time). */
static size_t match_day(lexer *lx, size_t i, bt_date *d, int *iso)
{
    const token *t = tok(lx, i);
    long y = 0, m = 0, day = 0;
    size_t k = 0;
    char sep;
    *iso = 0;
    if (is_num(t, 1, 2)) {
        const token *s1 = tok(lx, i + 1);
        int m_en;
        if ((sep = glued_numbers(lx, i, "/-.", 4, 4)) != 0) {
            day = t->value;
            m = tok(lx, i + 2)->value;
            y = tok(lx, i + 4)->value;
            k = i + 5;
            /* "12/07/2023/5" is not a date. */
            if (glued_sep(tok(lx, k), sep) && tok(lx, k + 1)->kind == T_NUM &&
                !tok(lx, k + 1)->gap)
                return 0;
        } else if (is_word(s1, "thang") && is_num(tok(lx, i + 2), 1, 2)) {
            day = t->value;
            m = tok(lx, i + 2)->value;
            k = year_after_month(lx, i + 3, 1, &y);
        } else if ((m_en = english_month(s1)) != 0) {
            day = t->value;
            m = m_en;
            k = year_after_month(lx, i + 2, 0, &y);
        }
    } else if (is_num(t, 4, 4)) {
        if (!glued_numbers(lx, i, "-/", 1, 2))
            return 0;
        y = t->value;
        m = tok(lx, i + 2)->value;
        day = tok(lx, i + 4)->value;
        k = i + 5;
        *iso = 1;
    } else if (is_num(t, 8, 8)) {
        /* yyyymmdd on its own, not glued to a word ("id20201101"). */
        const token *next = tok(lx, i + 1);
        if ((!t->gap && t->prev == T_WORD) ||
            (!next->gap && next->kind == T_WORD))
            return 0;
        y = t->value / 10000;
        m = t->value / 100 % 100;
        day = t->value % 100;
        k = i + 1;
        *iso = 1;
    } else if ((m = english_month(t)) != 0) {
        if (is_num(tok(lx, i + 1), 1, 2)) {
            day = tok(lx, i + 1)->value;
            k = year_after_month(lx, i + 2, 0, &y);
        }
    }
    if (!k || !date_ok(y, m, day))
        return 0;
    d->year = (int)y;
    d->month = (int)m;
    d->day = (int)day;
    d->start = t->start;
    d->end = tok(lx, k - 1)->end;
    return k;
}

/* Tokens that may stand between a date and its time. */
static int is_joiner(const token *t)
{
    return is_punct(t, '-') || is_punct(t, '|') || is_punct(t, ',') ||
           is_word(t, "luc") || is_word(t, "vao") || is_word(t, "ngay");
}

#define MAX_JOINERS 3

int bt_date_find(const char *s, size_t len, bt_date *d)
{
    lexer lx;
    lex_init(&lx, s, len);
    memset(d, 0, sizeof *d);
    clock_time last = {0, 0, 0, "", 0, 0};
    size_t last_end = 0; /* token after the last time seen, 0: none */
    for (size_t i = 0; tok(&lx, i)->kind != T_END; i++) {
        int iso;
        size_t k = match_day(&lx, i, d, &iso);
        if (k) {
            clock_time ct;
            size_t j = k, n = 0;
            if (iso && is_word(tok(&lx, j), "t") && !tok(&lx, j)->gap &&
                !tok(&lx, j + 1)->gap)
                j++;
            else
                while (n < MAX_JOINERS && is_joiner(tok(&lx, j)))
                    j++, n++;
            size_t after = match_time(&lx, j, &ct);
            if (after) {
                k = after;
                d->end = ct.end;
            } else if (last_end && i - last_end <= MAX_JOINERS) {
                size_t m = last_end;
                while (m < i && is_joiner(tok(&lx, m)))
                    m++;
                if (m == i) {
                    ct = last;
                    d->start = ct.start;
                    after = 1;
                }
            }
            if (after) {
                d->has_time = 1;
                d->hour = ct.hour;
                d->minute = ct.minute;
                d->second = ct.second;
                memcpy(d->tz, ct.tz, sizeof d->tz);
            }
            if (!d->tz[0] && (j = match_zone(&lx, k, d->tz)) != 0)
                d->end = tok(&lx, j - 1)->end;
            return 1;
        }
        if (i >= last_end || !last_end) {
            clock_time ct;
            size_t e = match_time(&lx, i, &ct);
            if (e) {
                last = ct;
                last_end = e;
            }
        }
    }
    memset(d, 0, sizeof *d);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Datelines                                                           */
/* ------------------------------------------------------------------ */

#define DATELINE_MAX 200

/* Word sequences a dateline may hold besides its date. */
static const char *const LINE_PHRASES[] = {
    /* weekdays */
    "thu hai", "thu ba", "thu tu", "thu nam", "thu sau", "thu bay",
    "chu nhat", "cn", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "mon", "tue", "wed", "fri", "sat",
    "sun", /* not "thu": alone, "Thứ" is no weekday */
    /* labels */
    "cap nhat", "cap nhat luc", "cap nhat lan cuoi", "ngay cap nhat",
    "dang", "dang luc", "dang ngay", "dang vao", "ngay dang", "ngay",
    "luc", "vao", "vao luc", "thoi gian", "xuat ban", "ngay xuat ban",
    "gio", "published", "updated", "posted", "modified", "created",
    "last updated", "date", "on", "at",
    /* parts of the day, zones */
    "sang", "trua", "chieu", "toi", "dem", "gmt", "utc", "ict",
};

/* Matches the phrase p at token i; returns its length in tokens or 0. */
static size_t match_phrase(lexer *lx, size_t i, const char *p,
                           const bt_date *d)
{
    size_t n = 0;
    while (*p) {
        size_t wl = strcspn(p, " ");
        const token *t = tok(lx, i + n);
        if (t->kind != T_WORD || t->wlen != wl || strncmp(t->word, p, wl) ||
            (t->end > d->start && t->start < d->end))
            return 0;
        n++;
        p += wl;
        if (*p == ' ')
            p++;
    }
    return n;
}

int bt_date_line(const char *s, size_t len, bt_date *d)
{
    if (len > DATELINE_MAX || !bt_date_find(s, len, d))
        return 0;
    lexer lx;
    lex_init(&lx, s, len);
    size_t i = 0;
    for (const token *t; (t = tok(&lx, i))->kind != T_END;) {
        if (t->start >= d->start && t->end <= d->end) {
            i++;
            continue;
        }
        if (t->kind == T_PUNCT && strchr(",-|:;()[]./#=", t->word[0])) {
            i++;
            continue;
        }
        if (t->kind != T_WORD)
            return 0;
        size_t best = 0;
        for (size_t p = 0; p < BT_ARRAY_LEN(LINE_PHRASES); p++) {
            size_t n = match_phrase(&lx, i, LINE_PHRASES[p], d);
            if (n > best)
                best = n;
        }
        /* "Thứ 2" … "Thứ 7", "T2" … "T7", "CN" */
        const token *next = tok(&lx, i + 1);
        if (best <= 1 && (is_word(t, "thu") || (is_word(t, "t") && !next->gap)) &&
            is_num(next, 1, 1) && next->value >= 2 && next->value <= 7 &&
            (next->end <= d->start || next->start >= d->end))
            best = 2;
        if (!best)
            return 0;
        i += best;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Formatting and reading back                                         */
/* ------------------------------------------------------------------ */

static void put_digits(char *out, long v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void bt_date_format_when(const bt_date *d, const char *tz, char out[32])
{
    char zone[7];
    if (d->tz[0] && bt_tz_parse(d->tz, zone) == 0)
        ;
    else if (!tz || bt_tz_parse(tz, zone) < 0)
        memcpy(zone, "+07:00", 7);
    /* Fields out of range print as their last digits rather than
     * overflowing the buffer. */
    long y = d->year < 0 ? 0 : d->year % 10000;
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, (d->month < 0 ? 0 : d->month) % 100, 2);
    out[7] = '-';
    put_digits(out + 8, (d->day < 0 ? 0 : d->day) % 100, 2);
    if (!d->has_time) {
        out[10] = '\0';
        return;
    }
    out[10] = 'T';
    put_digits(out + 11, (d->hour < 0 ? 0 : d->hour) % 100, 2);
    out[13] = ':';
    put_digits(out + 14, (d->minute < 0 ? 0 : d->minute) % 100, 2);
    out[16] = ':';
    put_digits(out + 17, (d->second < 0 ? 0 : d->second) % 100, 2);
    memcpy(out + 19, zone, 7);
}

/* Reads exactly n digits at *p. */
static int read_digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return -1;
        x = x * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return 0;
}

int bt_when_parse(const char *when, bt_date *d)
{
    memset(d, 0, sizeof *d);
    if (!when)
        return -1;
    const char *p = when;
    int y, m, day;
    if (read_digits(&p, 4, &y) || *p++ != '-' || read_digits(&p, 2, &m) ||
        *p++ != '-' || read_digits(&p, 2, &day) || !date_ok(y, m, day))
        goto bad;
    d->year = y, d->month = m, d->day = day;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        int h, mi, s = 0;
        p++;
        if (read_digits(&p, 2, &h) || *p++ != ':' || read_digits(&p, 2, &mi))
            goto bad;
        if (*p == ':') {
            p++;
            if (read_digits(&p, 2, &s))
                goto bad;
            if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                    goto bad;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        if (h > 23 || mi > 59 || s > 59)
            goto bad;
        d->hour = h, d->minute = mi, d->second = s, d->has_time = 1;
        /* only the forms bt_date_format_when writes, and "Z" */
        size_t zl = strlen(p);
        if (zl && ((zl != 1 && !(zl == 6 && p[3] == ':')) ||
                   bt_tz_parse(p, d->tz) < 0))
            goto bad;
        p += strlen(p);
    }
    if (*p)
        goto bad;
    d->end = (size_t)(p - when);
    return 0;
bad:
    memset(d, 0, sizeof *d);
    return -1;
}

/* Folds s (ASCII letters lowercased, Vietnamese letters to their base,
 * marks dropped, spaces collapsed and trimmed) into out; -1 when it does
 * not fit or holds anything else. */
static int fold_words(const char *s, char *out, size_t cap)
{
    lexer lx;
    lex_init(&lx, s, strlen(s));
    size_t n = 0;
    for (size_t i = 0;; i++) {
        const token *t = tok(&lx, i);
        if (t->kind == T_END)
            break;
        if (t->kind != T_WORD || t->wlen > WORD_MAX || n + t->wlen + 2 > cap)
            return -1;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, t->word, t->wlen);
        n += t->wlen;
    }
    out[n] = '\0';
    return 0;
}

int bt_date_parse_user(const char *s, long long now_epoch, const char *tz,
                       bt_date *d)
{
    memset(d, 0, sizeof *d);
    if (!s)
        return -1;
    char zone[7];
    if (!tz)
        tz = "+07:00";
    if (bt_tz_parse(tz, zone) < 0)
        return -1;
    long long offset = ((zone[1] - '0') * 10 + (zone[2] - '0')) * 3600LL +
                       ((zone[4] - '0') * 10 + (zone[5] - '0')) * 60LL;
    if (zone[0] == '-')
        offset = -offset;
    /* Today where the reader is: floor division, also before 1970. */
    long long local = now_epoch + offset;
    long long today = local / 86400 - (local % 86400 < 0);

    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;

    long long back = -1;
    char words[32];
    if (len && s[len - 1] != ' ') {
        /* "7d", "2w" */
        size_t i = 0;
        long long n = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i < 6)
            n = n * 10 + (s[i++] - '0');
        if (i > 0 && i + 1 == len && (s[i] == 'd' || s[i] == 'D'))
            back = n;
        else if (i > 0 && i + 1 == len && (s[i] == 'w' || s[i] == 'W'))
            back = n * 7;
    }
    if (back < 0 && len < sizeof words) {
        char copy[sizeof words];
        memcpy(copy, s, len);
        copy[len] = '\0';
        if (fold_words(copy, words, sizeof words) == 0) {
            if (!strcmp(words, "today") || !strcmp(words, "hom nay"))
                back = 0;
            else if (!strcmp(words, "yesterday") || !strcmp(words, "hom qua"))
                back = 1;
        }
    }
    if (back >= 0) {
        civil_from_days(today - back, &d->year, &d->month, &d->day);
        d->end = len;
        if (!date_ok(d->year, d->month, d->day)) {
            memset(d, 0, sizeof *d);
            return -1;
        }
        return 0;
    }
    if (bt_date_find(s, len, d) && d->start == 0 && d->end == len)
        return 0;
    memset(d, 0, sizeof *d);
    return -1;
}
