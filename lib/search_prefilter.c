/*
 * The byte-level prefilter: can this article's raw XML hold a match?
 *
 * Parsing an article costs far more than reading it, so a search first
 * asks, on the raw bytes, whether a pattern can occur at all, the way
 * ripgrep does: the pattern is folded as loosely as any mode folds
 * (BT_FOLD_BASE: no case, no diacritics, đ = d) and one of its ASCII
 * characters becomes the anchor.  The anchor's spellings — 'q' and 'Q',
 * or for 'n' also 'ñ', 'Ń', … — are found with memchr (or a byte table
 * when some spelling is not ASCII), and each hit is checked outwards,
 * character by character, against the folded pattern: tags count as
 * nothing, the five predefined entities as their characters, any run of
 * white space as one space.
 *
 * A search does not call the prefilter article by article, though: the
 * splitter (xml_split.c) makes one fused pass over each article's bytes
 * (bt_prefilter_structure) that finds its end tag, notes what only the
 * parser can read, and looks for the anchor, 64 bytes a step with
 * AVX-512BW (32 with AVX2).  There every byte is tested against byte
 * sets held as nibble tables (vpshufb): the anchor's ASCII spellings with
 * the bytes that may stand before and after it, or the lead and second
 * bytes of its other spellings.  The pattern has one such anchor per
 * ASCII letter; bt_prefilter_tune keeps the one that finds the fewest
 * candidates at the start of the input (in Vietnamese, "ng" + a vowel is
 * everywhere, "n" + "u" is not).
 *
 * How each character folds comes from bt_fold itself, asked once per BMP
 * code point when the first pattern arrives (a few milliseconds), so the
 * prefilter can never disagree with the matcher about what folds to
 * what.  When in doubt (a comment next to a hit, an astral character
 * with an unknown fold) it answers "may match": only a "no" must be
 * certain.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define VECTOR_SCAN 1
#else
#define VECTOR_SCAN 0
#endif
/* AVX2 where the compiler can target it and the CPU has it (checked at
 * run time): twice the bytes per step. */
#if VECTOR_SCAN && defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define VECTOR_AVX2 1
#else
#define VECTOR_AVX2 0
#endif

/* Values of the fold table besides plain code points. */
#define FOLD_NONE 0x200000u    /* vanishes (combining marks, U+200B) */
#define FOLD_SPACE 0x200001u   /* white space */
#define FOLD_UNKNOWN 0x200002u /* not in the table (astral) */
#define FOLD_MULTI 0x400000u   /* | index into multi[]: folds to several */
#define SPACE_UNIT 0xFFFFFFFFu /* a pattern unit: a run of white space */

enum { TABLE_SIZE = 0x10000, MULTI_MAX = 6 };

typedef struct multi_fold {
    uint32_t cp[MULTI_MAX];
    size_t n;
} multi_fold;

/* A UTF-8 spelling the vector scan looks for: first byte b0, second
 * in [l1, h1], third in [l2, h2] (0–255: any). */
typedef struct cond {
    unsigned char b0, l1, h1, l2, h2;
} cond;

enum { MAX_CONDS = 12 };

typedef struct pattern {
    uint32_t *u; /* the folded pattern, one unit per code point */
    size_t n;
    int judge;   /* 0: cannot tell, always "may" */
    size_t anchor;
    int nbytes;  /* 1 or 2: memchr for these bytes; 0: use first[] */
    unsigned char bytes[2];
    unsigned char first[256]; /* bytes that may start an anchor spelling */
    /* The anchor's spellings for a vector scan: its ASCII bytes, and its
     * other spellings as byte conditions (nconds < 0: too many). */
    unsigned char ascii[4];
    int nascii;
    cond conds[MAX_CONDS];
    int nconds;
    /* Bytes that may stand just after (before) an anchor spelling, when
     * the pattern goes on there; any byte >= 0x80 may too. */
    unsigned char next[8], prev[8];
    int nnext, nprev; /* -1: no filter */
    /* The fused pass's anchors (fused_variant), one per ASCII unit, and
     * the one in use (chosen by bt_prefilter_tune). */
    struct fused_variant *fv;
    int nfv, cur;
} pattern;

/* An anchor of the fused pass, as byte sets (nibble tables, see
 * nibble_set): the anchor's ASCII spellings (A), the bytes that may
 * stand after (N) and before (P) it, and for its other spellings their
 * lead (L) and second (S) bytes; multi: L is not empty. */
typedef struct fused_variant {
    size_t anchor;
    unsigned char first[256];
    unsigned char set_lo[5][16], set_hi[5][16];
    int multi;
} fused_variant;

enum { MAX_VARIANTS = 16 };

enum { SET_A, SET_N, SET_P, SET_L, SET_S };

struct bt_prefilter {
    uint32_t *fold; /* TABLE_SIZE entries, built with the first pattern */
    multi_fold *multi;
    size_t nmulti, multi_cap;
    pattern *pats;
    size_t npats, pats_cap;
    int avx2;   /* the CPU runs AVX2 */
    int avx512; /* and AVX-512BW (the fused pass then takes 64 bytes a step) */
};

bt_prefilter *bt_prefilter_new(void)
{
    bt_prefilter *p = calloc(1, sizeof(bt_prefilter));
#if VECTOR_AVX2
    if (p) {
        p->avx2 = __builtin_cpu_supports("avx2");
        p->avx512 = p->avx2 && __builtin_cpu_supports("avx512f") &&
                    __builtin_cpu_supports("avx512bw");
    }
#endif
    return p;
}

void bt_prefilter_free(bt_prefilter *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->npats; i++) {
        free(p->pats[i].u);
        free(p->pats[i].fv);
    }
    free(p->pats);
    free(p->multi);
    free(p->fold);
    free(p);
}

/* ---- the fold table ---- */

static int decode_all(const char *s, size_t len, uint32_t *out, size_t max,
                      size_t *n)
{
    size_t i = 0;
    *n = 0;
    while (i < len) {
        uint32_t cp;
        size_t l = bt_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (!l)
            return -1;
        if (*n == max)
            return -1;
        out[(*n)++] = cp;
        i += l;
    }
    return 0;
}

/* What one code point folds to, as bt_text_collapse_space and then
 * bt_fold(BT_FOLD_BASE) treat it in running text. */
static int fold_one(bt_prefilter *p, uint32_t cp, bt_buf *tmp, uint32_t *out)
{
    char s[8];
    size_t l = bt_utf8_encode(cp, s + 1);
    s[0] = 'a';
    s[l + 1] = 'b';
    bt_buf_reset(tmp);
    if (bt_text_collapse_space(s, l + 2, tmp) < 0)
        return -1;
    if (tmp->len == 3 && !memcmp(tmp->data, "a b", 3)) {
        *out = FOLD_SPACE;
        return 0;
    }
    if (tmp->len == 2) {
        *out = FOLD_NONE;
        return 0;
    }
    bt_buf_reset(tmp);
    if (bt_fold(s + 1, l, BT_FOLD_BASE, tmp, NULL) < 0)
        return -1;
    uint32_t cps[MULTI_MAX];
    size_t n;
    if (decode_all(tmp->data, tmp->len, cps, MULTI_MAX, &n) < 0) {
        *out = cp; /* cannot happen with valid folds; keep it literal */
        return 0;
    }
    if (n == 0) {
        *out = FOLD_NONE;
    } else if (n == 1) {
        *out = cps[0];
    } else {
        if (bt_grow_array((void **)&p->multi, &p->multi_cap, p->nmulti + 1,
                          sizeof *p->multi) < 0)
            return -1;
        multi_fold *m = &p->multi[p->nmulti];
        memcpy(m->cp, cps, n * sizeof *cps);
        m->n = n;
        *out = FOLD_MULTI | (uint32_t)p->nmulti++;
    }
    return 0;
}

static int build_table_slowly(bt_prefilter *p);

/* Folds U+0080…U+FFFF in one bt_fold call, each after a '\n' (which
 * nothing composes with), so the output is "\n" fold(c) for each c in
 * turn.  0, or -1 when the output is not shaped so (then fold_one). */
static int fold_batch(bt_prefilter *p, bt_buf *in, bt_buf *out)
{
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++) {
        char enc[4];
        if (c >= 0xD800 && c < 0xE000)
            continue;
        if (bt_buf_addc(in, '\n') < 0 || bt_buf_add(in, enc, bt_utf8_encode(c, enc)) < 0)
            return -1;
    }
    if (bt_fold(in->data, in->len, BT_FOLD_BASE, out, NULL) < 0)
        return -1;
    const char *o = out->data, *end = out->data + out->len;
    uint32_t c = 0x80;
    while (o < end) {
        while (c >= 0xD800 && c < 0xE000)
            c++;
        if (*o != '\n' || c >= TABLE_SIZE)
            return -1;
        const char *next = memchr(o + 1, '\n', (size_t)(end - o - 1));
        if (!next)
            next = end;
        uint32_t cps[MULTI_MAX];
        size_t n;
        if (decode_all(o + 1, (size_t)(next - o - 1), cps, MULTI_MAX, &n) < 0)
            return -1;
        if (n == 0) {
            p->fold[c] = FOLD_NONE;
        } else if (n == 1) {
            p->fold[c] = cps[0];
        } else {
            if (bt_grow_array((void **)&p->multi, &p->multi_cap, p->nmulti + 1,
                              sizeof *p->multi) < 0)
                return -1;
            multi_fold *m = &p->multi[p->nmulti];
            memcpy(m->cp, cps, n * sizeof *cps);
            m->n = n;
            p->fold[c] = FOLD_MULTI | (uint32_t)p->nmulti++;
        }
        c++;
        o = next;
    }
    return c == TABLE_SIZE ? 0 : -1;
}

/* The white space and vanishing characters, as bt_text_collapse_space
 * treats them (only separators and controls can be). */
static int mark_spaces(bt_prefilter *p, bt_buf *tmp)
{
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++) {
        utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
        if (cat != UTF8PROC_CATEGORY_ZS && cat != UTF8PROC_CATEGORY_ZL &&
            cat != UTF8PROC_CATEGORY_ZP && cat != UTF8PROC_CATEGORY_CC &&
            cat != UTF8PROC_CATEGORY_CF)
            continue;
        char s[8];
        size_t l = bt_utf8_encode(c, s + 1);
        s[0] = 'a';
        s[l + 1] = 'b';
        bt_buf_reset(tmp);
        if (bt_text_collapse_space(s, l + 2, tmp) < 0)
            return -1;
        if (tmp->len == 3 && !memcmp(tmp->data, "a b", 3))
            p->fold[c] = FOLD_SPACE;
        else if (tmp->len == 2)
            p->fold[c] = FOLD_NONE;
    }
    return 0;
}

static int build_table(bt_prefilter *p)
{
    p->fold = malloc(TABLE_SIZE * sizeof *p->fold);
    if (!p->fold)
        return -1;
    for (uint32_t c = 0xD800; c < 0xE000; c++)
        p->fold[c] = FOLD_UNKNOWN;
    for (uint32_t c = 0; c < 0x80; c++) {
        if (c == ' ' || (c >= 0x09 && c <= 0x0D))
            p->fold[c] = FOLD_SPACE;
        else
            p->fold[c] = c >= 'A' && c <= 'Z' ? c | 0x20 : c;
    }
    bt_buf in = BT_BUF_INIT, out = BT_BUF_INIT;
    int rc = fold_batch(p, &in, &out);
    if (rc == 0)
        rc = mark_spaces(p, &out);
    bt_buf_free(&in);
    bt_buf_free(&out);
    if (rc == 0)
        return 0;
    p->nmulti = 0;
    return build_table_slowly(p);
}

static int build_table_slowly(bt_prefilter *p)
{
    bt_buf tmp = BT_BUF_INIT;
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++) {
        if (c >= 0xD800 && c < 0xE000) {
            p->fold[c] = FOLD_UNKNOWN;
            continue;
        }
        if (fold_one(p, c, &tmp, &p->fold[c]) < 0) {
            bt_buf_free(&tmp);
            free(p->fold);
            p->fold = NULL;
            return -1;
        }
    }
    bt_buf_free(&tmp);
    return 0;
}

static uint32_t fold_of(const bt_prefilter *p, uint32_t cp)
{
    return cp < TABLE_SIZE ? p->fold[cp] : FOLD_UNKNOWN;
}

/* ---- reading characters out of raw XML ---- */

enum { T_END, T_MAYBE, T_CHAR };

static const struct {
    const char *name; /* after '&', with the ';' */
    size_t len;
    uint32_t cp;
} entities[] = {
    {"amp;", 4, '&'}, {"lt;", 3, '<'}, {"gt;", 3, '>'}, {"quot;", 5, '"'},
    {"apos;", 5, '\''},
};

/* The next character of text at *pos, stepping over tags. */
static int next_char(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
    for (;;) {
        size_t i = *pos;
        if (i >= len)
            return T_END;
        unsigned char c = (unsigned char)s[i];
        if (c == '<') {
            if (i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?'))
                return T_MAYBE;
            const char *gt = memchr(s + i, '>', len - i);
            if (!gt)
                return T_END;
            *pos = (size_t)(gt - s) + 1;
            continue;
        }
        if (c == '&') {
            for (size_t k = 0; k < BT_ARRAY_LEN(entities); k++) {
                if (len - i - 1 >= entities[k].len &&
                    !memcmp(s + i + 1, entities[k].name, entities[k].len)) {
                    *cp = entities[k].cp;
                    *pos = i + 1 + entities[k].len;
                    return T_CHAR;
                }
            }
            return T_MAYBE;
        }
        if (c < 0x80) {
            *cp = c;
            *pos = i + 1;
            return T_CHAR;
        }
        size_t l = bt_utf8_decode((const unsigned char *)s + i, len - i, cp);
        if (!l) {
            *cp = 0xFFFD;
            l = 1;
        }
        *pos = i + l;
        return T_CHAR;
    }
}

/* The character of text that ends at *pos, stepping back over tags. */
static int prev_char(const char *s, size_t *pos, uint32_t *cp)
{
    for (;;) {
        size_t i = *pos;
        if (i == 0)
            return T_END;
        unsigned char c = (unsigned char)s[i - 1];
        if (c == '>') {
            const char *lt = memrchr(s, '<', i - 1);
            if (!lt)
                return T_END;
            if (lt[1] == '!' || lt[1] == '?')
                return T_MAYBE;
            *pos = (size_t)(lt - s);
            continue;
        }
        if (c == ';') {
            for (size_t k = 0; k < BT_ARRAY_LEN(entities); k++) {
                size_t n = entities[k].len;
                if (i >= n + 1 && s[i - n - 1] == '&' &&
                    !memcmp(s + i - n, entities[k].name, n)) {
                    *cp = entities[k].cp;
                    *pos = i - n - 1;
                    return T_CHAR;
                }
            }
        }
        if (c < 0x80) {
            *cp = c;
            *pos = i - 1;
            return T_CHAR;
        }
        size_t k = i - 1;
        while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        size_t l = bt_utf8_decode((const unsigned char *)s + k, i - k, cp);
        if (l != i - k) {
            *cp = 0xFFFD;
            k = i - 1;
        }
        *pos = k;
        return T_CHAR;
    }
}

/* ---- checking a hit ---- */

static int units_eq(const uint32_t *a, const uint32_t *b, size_t n)
{
    return !memcmp(a, b, n * sizeof *a);
}

/* Does u[k..n) start at *pos?  1 yes (or cannot tell), 0 no. */
static int match_forward(const bt_prefilter *p, const pattern *pt,
                         const char *s, size_t len, size_t pos, size_t k)
{
    const uint32_t *u = pt->u;
    size_t n = pt->n;
    uint32_t cp;
    while (k < n) {
        if (u[k] == SPACE_UNIT) {
            size_t spaces = 0;
            for (;;) {
                size_t save = pos;
                int r = next_char(s, len, &pos, &cp);
                if (r == T_MAYBE)
                    return 1;
                if (r == T_END)
                    break;
                uint32_t f = fold_of(p, cp);
                if (f == FOLD_SPACE)
                    spaces++;
                else if (f != FOLD_NONE) {
                    pos = save;
                    break;
                }
            }
            if (!spaces)
                return 0;
            k++;
            continue;
        }
        int r = next_char(s, len, &pos, &cp);
        if (r != T_CHAR)
            return r == T_MAYBE;
        uint32_t f = fold_of(p, cp);
        if (f == FOLD_NONE)
            continue;
        if (f == FOLD_UNKNOWN)
            return 1;
        if (f == FOLD_SPACE)
            return 0;
        if (f & FOLD_MULTI) {
            const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
            if (n - k >= m->n && units_eq(u + k, m->cp, m->n)) {
                k += m->n;
                continue;
            }
            return m->n > n - k && units_eq(u + k, m->cp, n - k);
        }
        if (f != u[k])
            return 0;
        k++;
    }
    return 1;
}

/* Does u[0..k) end at *pos? */
static int match_backward(const bt_prefilter *p, const pattern *pt,
                          const char *s, size_t pos, size_t k)
{
    const uint32_t *u = pt->u;
    uint32_t cp;
    while (k > 0) {
        if (u[k - 1] == SPACE_UNIT) {
            size_t spaces = 0;
            for (;;) {
                size_t save = pos;
                int r = prev_char(s, &pos, &cp);
                if (r == T_MAYBE)
                    return 1;
                if (r == T_END)
                    break;
                uint32_t f = fold_of(p, cp);
                if (f == FOLD_SPACE)
                    spaces++;
                else if (f != FOLD_NONE) {
                    pos = save;
                    break;
                }
            }
            if (!spaces)
                return 0;
            k--;
            continue;
        }
        int r = prev_char(s, &pos, &cp);
        if (r != T_CHAR)
            return r == T_MAYBE;
        uint32_t f = fold_of(p, cp);
        if (f == FOLD_NONE)
            continue;
        if (f == FOLD_UNKNOWN)
            return 1;
        if (f == FOLD_SPACE)
            return 0;
        if (f & FOLD_MULTI) {
            const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
            if (k >= m->n && units_eq(u + k - m->n, m->cp, m->n)) {
                k -= m->n;
                continue;
            }
            return m->n > k && units_eq(u, m->cp + (m->n - k), k);
        }
        if (f != u[k - 1])
            return 0;
        k--;
    }
    return 1;
}

/* check_hit for the anchor u[anchor]. */
static int check_hit_at(const bt_prefilter *p, const pattern *pt, size_t anchor,
                        const char *s, size_t len, size_t h);

/* An anchor byte at s[h]: 1 when a match may go through it. */
static int check_hit(const bt_prefilter *p, const pattern *pt, const char *s,
                     size_t len, size_t h)
{
    return check_hit_at(p, pt, pt->anchor, s, len, h);
}

static int check_hit_at(const bt_prefilter *p, const pattern *pt, size_t anchor,
                        const char *s, size_t len, size_t h)
{
    uint32_t cp;
    size_t l = 1;
    if ((unsigned char)s[h] < 0x80) {
        cp = (unsigned char)s[h];
    } else if (!(l = bt_utf8_decode((const unsigned char *)s + h, len - h, &cp))) {
        return 0;
    }
    uint32_t f = fold_of(p, cp);
    if (f & FOLD_MULTI) { /* ß for "s", ﬁ for "f": not worth the detail */
        const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
        for (size_t j = 0; j < m->n; j++)
            if (m->cp[j] == pt->u[anchor])
                return 1;
        return 0; /* the anchor cannot be there */
    }
    if (f != pt->u[anchor])
        return 0;
    return match_backward(p, pt, s, h, anchor) &&
           match_forward(p, pt, s, len, h + l, anchor + 1);
}

/* Adds the spelling enc[0..len) to the conditions, merging it into the
 * last one when its bytes continue a range. */
static void add_cond(pattern *pt, const unsigned char *enc, size_t len)
{
    if (pt->nconds < 0)
        return;
    cond c = {enc[0], enc[1], enc[1], len > 2 ? enc[2] : 0, len > 2 ? enc[2] : 255};
    if (len > 3) {
        pt->nconds = -1;
        return;
    }
    if (pt->nconds) {
        cond *last = &pt->conds[pt->nconds - 1];
        if (last->b0 == c.b0 && len == 2 && last->l2 == 0 && last->h2 == 255 &&
            last->h1 + 1 == c.l1) {
            last->h1 = c.l1;
            return;
        }
        if (last->b0 == c.b0 && len == 3 && last->l1 == c.l1 && last->h1 == c.l1 &&
            !(last->l2 == 0 && last->h2 == 255) && last->h2 + 1 == c.l2) {
            last->h2 = c.l2;
            return;
        }
    }
    if (pt->nconds == MAX_CONDS) {
        pt->nconds = -1;
        return;
    }
    pt->conds[pt->nconds++] = c;
}

#if VECTOR_SCAN
static size_t lowest_bit(unsigned bits)
{
#if defined(__GNUC__)
    return (size_t)__builtin_ctz(bits);
#else
    return (size_t)(ffs((int)bits) - 1);
#endif
}

/* Bytes of v in [lo, lo + span] (unsigned), as 0xFF lanes. */
static __m128i in_range(__m128i v, __m128i lo, __m128i span)
{
    __m128i d = _mm_sub_epi8(v, lo);
    return _mm_cmpeq_epi8(_mm_max_epu8(d, span), span);
}

/* Fills n lanes from a list of k bytes, repeating the last (k > 0). */
static void splat_list(__m128i *out, int n, const unsigned char *b, int k)
{
    for (int i = 0; i < n; i++)
        out[i] = _mm_set1_epi8((char)b[i < k ? i : k - 1]);
}

/* The common shape, with fixed lane counts so that the compiler keeps
 * every constant in a register: at most 2 ASCII spellings, 4 bytes
 * before and after, 4 other spellings (each tested on every block:
 * their first bytes, 0xC4 or 0xE1, are everywhere in Vietnamese). */
static int scan_vector_small(const bt_prefilter *p, const pattern *pt,
                             const char *s, size_t len)
{
    const __m128i zero = _mm_setzero_si128(), ones = _mm_cmpeq_epi8(zero, zero);
    __m128i asc[2], nx[4], pv[4], cb0[4], cl1[4], cs1[4], cl2[4], cs2[4];
    splat_list(asc, 2, pt->ascii, pt->nascii);
    __m128i no_next = pt->nnext > 0 ? zero : ones, no_prev = pt->nprev > 0 ? zero : ones;
    splat_list(nx, 4, pt->nnext > 0 ? pt->next : pt->ascii, pt->nnext > 0 ? pt->nnext : 1);
    splat_list(pv, 4, pt->nprev > 0 ? pt->prev : pt->ascii, pt->nprev > 0 ? pt->nprev : 1);
    for (int c = 0; c < 4; c++) {
        /* missing spellings repeat the first (or test nothing) */
        cond k = pt->nconds ? pt->conds[c < pt->nconds ? c : 0]
                            : (cond){0, 1, 0, 0, 255}; /* an empty range */
        cb0[c] = _mm_set1_epi8((char)k.b0);
        cl1[c] = _mm_set1_epi8((char)k.l1);
        cs1[c] = _mm_set1_epi8((char)(k.h1 - k.l1));
        cl2[c] = _mm_set1_epi8((char)k.l2);
        cs2[c] = _mm_set1_epi8((char)(k.h2 - k.l2));
    }
    const unsigned char *u = (const unsigned char *)s;
    if (len && pt->first[u[0]] && check_hit(p, pt, s, len, 0))
        return 1;
    size_t i;
    for (i = 1; i + 18 <= len; i += 16) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 2));
        __m128i vp = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 1));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v0, asc[0]), _mm_cmpeq_epi8(v0, asc[1]));
        __m128i okn = _mm_or_si128(_mm_or_si128(no_next, _mm_cmplt_epi8(v1, zero)),
                                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v1, nx[0]),
                                                             _mm_cmpeq_epi8(v1, nx[1])),
                                                _mm_or_si128(_mm_cmpeq_epi8(v1, nx[2]),
                                                             _mm_cmpeq_epi8(v1, nx[3]))));
        __m128i okp = _mm_or_si128(_mm_or_si128(no_prev, _mm_cmplt_epi8(vp, zero)),
                                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(vp, pv[0]),
                                                             _mm_cmpeq_epi8(vp, pv[1])),
                                                _mm_or_si128(_mm_cmpeq_epi8(vp, pv[2]),
                                                             _mm_cmpeq_epi8(vp, pv[3]))));
        m = _mm_and_si128(m, _mm_and_si128(okn, okp));
        for (int c = 0; c < 4; c++) /* unrolled by the compiler */
            m = _mm_or_si128(m, _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v0, cb0[c]),
                                                            in_range(v1, cl1[c], cs1[c])),
                                              in_range(v2, cl2[c], cs2[c])));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        while (bits) {
            size_t k = lowest_bit(bits);
            if (check_hit(p, pt, s, len, i + k))
                return 1;
            bits &= bits - 1;
        }
    }
    for (; i < len; i++)
        if (pt->first[u[i]] && check_hit(p, pt, s, len, i))
            return 1;
    return 0;
}

#if VECTOR_AVX2
/* scan_vector_small 32 bytes at a time, on CPUs with AVX2. */
__attribute__((target("avx2"))) static __m256i in_range256(__m256i v, __m256i lo,
                                                            __m256i span)
{
    __m256i d = _mm256_sub_epi8(v, lo);
    return _mm256_cmpeq_epi8(_mm256_max_epu8(d, span), span);
}

__attribute__((target("avx2"))) static int scan_avx2(const bt_prefilter *p,
                                                      const pattern *pt,
                                                      const char *s, size_t len)
{
    const __m256i zero = _mm256_setzero_si256(), ones = _mm256_cmpeq_epi8(zero, zero);
    unsigned char asc[2], nx[4], pv[4];
    int na = pt->nascii > 0 ? pt->nascii : 1;
    for (int k = 0; k < 2; k++)
        asc[k] = pt->ascii[k < na ? k : na - 1];
    for (int k = 0; k < 4; k++) {
        nx[k] = pt->nnext > 0 ? pt->next[k < pt->nnext ? k : pt->nnext - 1] : pt->ascii[0];
        pv[k] = pt->nprev > 0 ? pt->prev[k < pt->nprev ? k : pt->nprev - 1] : pt->ascii[0];
    }
    __m256i a0 = _mm256_set1_epi8((char)asc[0]), a1 = _mm256_set1_epi8((char)asc[1]);
    __m256i n0 = _mm256_set1_epi8((char)nx[0]), n1 = _mm256_set1_epi8((char)nx[1]),
            n2 = _mm256_set1_epi8((char)nx[2]), n3 = _mm256_set1_epi8((char)nx[3]);
    __m256i p0 = _mm256_set1_epi8((char)pv[0]), p1 = _mm256_set1_epi8((char)pv[1]),
            p2 = _mm256_set1_epi8((char)pv[2]), p3 = _mm256_set1_epi8((char)pv[3]);
    __m256i no_next = pt->nnext > 0 ? zero : ones, no_prev = pt->nprev > 0 ? zero : ones;
    __m256i cb0[4], cl1[4], cs1[4], cl2[4], cs2[4];
    for (int c = 0; c < 4; c++) {
        cond k = pt->nconds ? pt->conds[c < pt->nconds ? c : 0] : (cond){0, 1, 0, 0, 255};
        cb0[c] = _mm256_set1_epi8((char)k.b0);
        cl1[c] = _mm256_set1_epi8((char)k.l1);
        cs1[c] = _mm256_set1_epi8((char)(k.h1 - k.l1));
        cl2[c] = _mm256_set1_epi8((char)k.l2);
        cs2[c] = _mm256_set1_epi8((char)(k.h2 - k.l2));
    }
    const unsigned char *u = (const unsigned char *)s;
    if (len && pt->first[u[0]] && check_hit(p, pt, s, len, 0))
        return 1;
    size_t i;
    for (i = 1; i + 34 <= len; i += 32) {
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 1));
        __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 2));
        __m256i vp = _mm256_loadu_si256((const __m256i *)(const void *)(s + i - 1));
        __m256i m = _mm256_or_si256(_mm256_cmpeq_epi8(v0, a0), _mm256_cmpeq_epi8(v0, a1));
        __m256i okn = _mm256_or_si256(
            _mm256_or_si256(no_next, _mm256_cmpgt_epi8(zero, v1)),
            _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v1, n0), _mm256_cmpeq_epi8(v1, n1)),
                            _mm256_or_si256(_mm256_cmpeq_epi8(v1, n2), _mm256_cmpeq_epi8(v1, n3))));
        __m256i okp = _mm256_or_si256(
            _mm256_or_si256(no_prev, _mm256_cmpgt_epi8(zero, vp)),
            _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(vp, p0), _mm256_cmpeq_epi8(vp, p1)),
                            _mm256_or_si256(_mm256_cmpeq_epi8(vp, p2), _mm256_cmpeq_epi8(vp, p3))));
        m = _mm256_and_si256(m, _mm256_and_si256(okn, okp));
        for (int c = 0; c < 4; c++)
            m = _mm256_or_si256(
                m, _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(v0, cb0[c]),
                                                     in_range256(v1, cl1[c], cs1[c])),
                                    in_range256(v2, cl2[c], cs2[c])));
        unsigned bits = (unsigned)_mm256_movemask_epi8(m);
        while (bits) {
            size_t k = lowest_bit(bits);
            if (check_hit(p, pt, s, len, i + k))
                return 1;
            bits &= bits - 1;
        }
    }
    for (; i < len; i++)
        if (pt->first[u[i]] && check_hit(p, pt, s, len, i))
            return 1;
    return 0;
}
#endif

/* Finds the anchor's spellings 16 bytes at a time (SSE2, which every
 * x86-64 has); each candidate is checked as a hit. */
static int scan_vector(const bt_prefilter *p, const pattern *pt, const char *s,
                       size_t len)
{
    __m128i asc[4], b0[MAX_CONDS], l1[MAX_CONDS], s1[MAX_CONDS], l2[MAX_CONDS],
        s2[MAX_CONDS];
    int any1[MAX_CONDS], any2[MAX_CONDS];
    for (int a = 0; a < pt->nascii; a++)
        asc[a] = _mm_set1_epi8((char)pt->ascii[a]);
    for (int c = 0; c < pt->nconds; c++) {
        const cond *k = &pt->conds[c];
        b0[c] = _mm_set1_epi8((char)k->b0);
        l1[c] = _mm_set1_epi8((char)k->l1);
        s1[c] = _mm_set1_epi8((char)(k->h1 - k->l1));
        l2[c] = _mm_set1_epi8((char)k->l2);
        s2[c] = _mm_set1_epi8((char)(k->h2 - k->l2));
        any1[c] = k->l1 == 0 && k->h1 == 255;
        any2[c] = k->l2 == 0 && k->h2 == 255;
    }
    /* gates: the first byte of 2-byte spellings, the second of 3-byte */
    __m128i gate0[MAX_CONDS], gate1[MAX_CONDS];
    int ngate0 = 0, ngate1 = 0;
    for (int c = 0; c < pt->nconds; c++) {
        const cond *k = &pt->conds[c];
        int three = !(k->l2 == 0 && k->h2 == 255);
        if (three && k->l1 == k->h1)
            gate1[ngate1++] = _mm_set1_epi8((char)k->l1);
        else
            gate0[ngate0++] = _mm_set1_epi8((char)k->b0);
    }
    __m128i nx[8], pv[8];
    for (int a = 0; a < pt->nnext; a++)
        nx[a] = _mm_set1_epi8((char)pt->next[a]);
    for (int a = 0; a < pt->nprev; a++)
        pv[a] = _mm_set1_epi8((char)pt->prev[a]);
    const __m128i zero = _mm_setzero_si128();
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    /* the first byte has nothing before it: the plain loop takes it */
    if (len && pt->first[u[0]] && check_hit(p, pt, s, len, 0))
        return 1;
    for (i = 1; i + 18 <= len; i += 16) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i m = _mm_setzero_si128();
        for (int a = 0; a < pt->nascii; a++)
            m = _mm_or_si128(m, _mm_cmpeq_epi8(v0, asc[a]));
        if (pt->nnext > 0) { /* what follows must be able to go on */
            __m128i ok = _mm_cmplt_epi8(v1, zero);
            for (int a = 0; a < pt->nnext; a++)
                ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v1, nx[a]));
            m = _mm_and_si128(m, ok);
        }
        if (pt->nprev > 0) {
            __m128i vp = _mm_loadu_si128((const __m128i *)(const void *)(s + i - 1));
            __m128i ok = _mm_cmplt_epi8(vp, zero);
            for (int a = 0; a < pt->nprev; a++)
                ok = _mm_or_si128(ok, _mm_cmpeq_epi8(vp, pv[a]));
            m = _mm_and_si128(m, ok);
        }
        /* The other spellings are rare: look for them only in a block
         * holding one of their rarest bytes (the third-byte lead 0xE1 is
         * everywhere in Vietnamese, its second byte is not). */
        __m128i gate = _mm_setzero_si128();
        for (int g = 0; g < ngate0; g++)
            gate = _mm_or_si128(gate, _mm_cmpeq_epi8(v0, gate0[g]));
        for (int g = 0; g < ngate1; g++)
            gate = _mm_or_si128(gate, _mm_cmpeq_epi8(v1, gate1[g]));
        if (_mm_movemask_epi8(gate)) {
            __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 2));
            for (int c = 0; c < pt->nconds; c++) {
                __m128i t = _mm_cmpeq_epi8(v0, b0[c]);
                if (!any1[c])
                    t = _mm_and_si128(t, in_range(v1, l1[c], s1[c]));
                if (!any2[c])
                    t = _mm_and_si128(t, in_range(v2, l2[c], s2[c]));
                m = _mm_or_si128(m, t);
            }
        }
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        while (bits) {
            size_t k = lowest_bit(bits);
            if (check_hit(p, pt, s, len, i + k))
                return 1;
            bits &= bits - 1;
        }
    }
    for (; i < len; i++)
        if (pt->first[u[i]] && check_hit(p, pt, s, len, i))
            return 1;
    return 0;
}
#endif

int bt_prefilter_may(bt_prefilter *p, size_t i, const char *xml, size_t len)
{
    const pattern *pt = &p->pats[i];
    if (!pt->judge)
        return 1;
    if (pt->nbytes) {
        /* memchr for each byte, taking hits in order */
        size_t next[2];
        for (int b = 0; b < pt->nbytes; b++) {
            const char *q = memchr(xml, pt->bytes[b], len);
            next[b] = q ? (size_t)(q - xml) : len;
        }
        if (pt->nbytes == 1)
            next[1] = len;
        for (;;) {
            int b = next[1] < next[0];
            size_t h = next[b];
            if (h >= len)
                return 0;
            if (check_hit(p, pt, xml, len, h))
                return 1;
            const char *q = memchr(xml + h + 1, pt->bytes[b], len - h - 1);
            next[b] = q ? (size_t)(q - xml) : len;
        }
    }
#if VECTOR_SCAN
    if (pt->nconds >= 0) {
        if (pt->nascii >= 1 && pt->nascii <= 2 && pt->nnext <= 4 && pt->nprev <= 4 &&
            pt->nconds <= 4) {
#if VECTOR_AVX2
            if (p->avx2)
                return scan_avx2(p, pt, xml, len);
#endif
            return scan_vector_small(p, pt, xml, len);
        }
        return scan_vector(p, pt, xml, len);
    }
#endif
    const unsigned char *s = (const unsigned char *)xml;
    for (size_t h = 0; h < len; h++)
        if (pt->first[s[h]] && check_hit(p, pt, xml, len, h))
            return 1;
    return 0;
}

/* ---- the fused scan: an article's structure and the anchor in one pass ---- */

/* 1 when the '&' at s[i] starts one of the five predefined entities. */
static int amp_plain(const char *s, size_t i, size_t len)
{
    for (size_t k = 0; k < BT_ARRAY_LEN(entities); k++)
        if (len - i - 1 >= entities[k].len &&
            !memcmp(s + i + 1, entities[k].name, entities[k].len))
            return 1;
    return 0;
}

/* A '<' at s[i] that the splitter must look at: "</a", "<ar", "<!" or
 * "<?" (an end tag of the article, a nested one, a comment, CDATA or a
 * PI).  At the end of the input (too few bytes to tell) it says yes. */
static int is_event(const char *s, size_t i, size_t len)
{
    if (i + 2 >= len)
        return 1;
    char a = s[i + 1], b = s[i + 2];
    return a == '!' || a == '?' || (a == '/' && b == 'a') || (a == 'a' && b == 'r');
}

/* The scalar scan of the fused pass, from i to len. */
static size_t fused_plain(const bt_prefilter *p, const pattern *pt,
                          const fused_variant *v, const char *s, size_t i, size_t len,
                          unsigned *flags)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; i < len; i++) {
        if (u[i] == '<' && is_event(s, i, len))
            return i;
        if (u[i] == '&' && !amp_plain(s, i, len))
            *flags |= BT_PF_AMP;
        if (!(*flags & BT_PF_HIT) && v && v->first[u[i]] &&
            check_hit_at(p, pt, v->anchor, s, len, i))
            *flags |= BT_PF_HIT;
    }
    return len;
}

#if VECTOR_AVX2
static __m256i set_table(const unsigned char t[16]) __attribute__((target("avx2")));
static __m256i set_table(const unsigned char t[16])
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)t);
    return _mm256_broadcastsi128_si256(x);
}

/* 0xFF in the lanes whose byte is NOT in the set (lo, hi: the tables;
 * nlo, nhi: the byte's nibbles). */
__attribute__((target("avx2"))) static inline __m256i not_in(__m256i lo, __m256i hi,
                                                             __m256i nlo, __m256i nhi)
{
    return _mm256_cmpeq_epi8(
        _mm256_and_si256(_mm256_shuffle_epi8(lo, nlo), _mm256_shuffle_epi8(hi, nhi)),
        _mm256_setzero_si256());
}

/* The candidates of variant v in the 32 bytes at s + i (s[i - 1] and
 * s[i + 32] readable), as bits. */
__attribute__((target("avx2"))) static inline unsigned
candidates_avx2(const fused_variant *v, const char *s, size_t i)
{
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 1));
    __m256i vp = _mm256_loadu_si256((const __m256i *)(const void *)(s + i - 1));
    __m256i lo0 = _mm256_and_si256(v0, low4),
            hi0 = _mm256_and_si256(_mm256_srli_epi16(v0, 4), low4),
            lo1 = _mm256_and_si256(v1, low4),
            hi1 = _mm256_and_si256(_mm256_srli_epi16(v1, 4), low4),
            lop = _mm256_and_si256(vp, low4),
            hip = _mm256_and_si256(_mm256_srli_epi16(vp, 4), low4);
    __m256i bad = _mm256_or_si256(
        not_in(set_table(v->set_lo[SET_A]), set_table(v->set_hi[SET_A]), lo0, hi0),
        _mm256_or_si256(
            not_in(set_table(v->set_lo[SET_N]), set_table(v->set_hi[SET_N]), lo1, hi1),
            not_in(set_table(v->set_lo[SET_P]), set_table(v->set_hi[SET_P]), lop, hip)));
    if (v->multi)
        bad = _mm256_and_si256(
            bad, _mm256_or_si256(
                     not_in(set_table(v->set_lo[SET_L]), set_table(v->set_hi[SET_L]), lo0, hi0),
                     not_in(set_table(v->set_lo[SET_S]), set_table(v->set_hi[SET_S]), lo1, hi1)));
    return ~(unsigned)_mm256_movemask_epi8(bad);
}

/* The vector scans look at the byte before each position, so the first
 * byte of the input is done here, as the plain scan would: 1 when it
 * starts an event (the scan stops at 0), else 0 with *flags updated. */
static int fused_first_byte(const bt_prefilter *p, const pattern *pt,
                            const fused_variant *fv, const char *s, size_t len,
                            unsigned *flags)
{
    const unsigned char c0 = (unsigned char)s[0];
    if (c0 == '<' && is_event(s, 0, len))
        return 1;
    if (c0 == '&' && !amp_plain(s, 0, len))
        *flags |= BT_PF_AMP;
    if (!(*flags & BT_PF_HIT) && fv->first[c0] && check_hit_at(p, pt, fv->anchor, s, len, 0))
        *flags |= BT_PF_HIT;
    return 0;
}

__attribute__((target("avx2"))) static size_t fused_avx2(const bt_prefilter *p,
                                                          const pattern *pt,
                                                          const char *s, size_t from,
                                                          size_t len, unsigned *flags)
{
    const fused_variant *fv = &pt->fv[pt->cur];
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    const __m256i alo = set_table(fv->set_lo[SET_A]), ahi = set_table(fv->set_hi[SET_A]),
                  nlo = set_table(fv->set_lo[SET_N]), nhi = set_table(fv->set_hi[SET_N]),
                  plo = set_table(fv->set_lo[SET_P]), phi = set_table(fv->set_hi[SET_P]),
                  llo = set_table(fv->set_lo[SET_L]), lhi = set_table(fv->set_hi[SET_L]),
                  slo = set_table(fv->set_lo[SET_S]), shi = set_table(fv->set_hi[SET_S]);
    const __m256i lt = _mm256_set1_epi8('<'), amp = _mm256_set1_epi8('&'),
                  bang = _mm256_set1_epi8('!'), qm = _mm256_set1_epi8('?'),
                  slash = _mm256_set1_epi8('/'), la = _mm256_set1_epi8('a'),
                  lr = _mm256_set1_epi8('r');
    const int multi = fv->multi;
    const size_t anchor = fv->anchor;
    size_t i = from;
    if (i == 0 && len) {
        if (fused_first_byte(p, pt, fv, s, len, flags))
            return 0;
        i = 1;
    }
    for (;;) {
        /* as in fused_avx512: a hot loop without calls finds the next
         * block with something to do */
        int want = !(*flags & BT_PF_HIT);
        unsigned evbits = 0, ampbits = 0, bits = 0;
        for (; i + 35 <= len; i += 32) {
            __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
            __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 1));
            __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 2));
            __m256i ev = _mm256_and_si256(
                _mm256_cmpeq_epi8(v0, lt),
                _mm256_or_si256(
                    _mm256_or_si256(_mm256_cmpeq_epi8(v1, bang), _mm256_cmpeq_epi8(v1, qm)),
                    _mm256_or_si256(_mm256_and_si256(_mm256_cmpeq_epi8(v1, slash),
                                                     _mm256_cmpeq_epi8(v2, la)),
                                    _mm256_and_si256(_mm256_cmpeq_epi8(v1, la),
                                                     _mm256_cmpeq_epi8(v2, lr)))));
            evbits = (unsigned)_mm256_movemask_epi8(ev);
            ampbits = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, amp));
            bits = 0;
            if (want) {
                __m256i vp = _mm256_loadu_si256((const __m256i *)(const void *)(s + i - 1));
                __m256i lo0 = _mm256_and_si256(v0, low4),
                        hi0 = _mm256_and_si256(_mm256_srli_epi16(v0, 4), low4),
                        lo1 = _mm256_and_si256(v1, low4),
                        hi1 = _mm256_and_si256(_mm256_srli_epi16(v1, 4), low4),
                        lop = _mm256_and_si256(vp, low4),
                        hip = _mm256_and_si256(_mm256_srli_epi16(vp, 4), low4);
                __m256i bad = _mm256_or_si256(
                    not_in(alo, ahi, lo0, hi0),
                    _mm256_or_si256(not_in(nlo, nhi, lo1, hi1), not_in(plo, phi, lop, hip)));
                if (multi)
                    bad = _mm256_and_si256(bad, _mm256_or_si256(not_in(llo, lhi, lo0, hi0),
                                                                not_in(slo, shi, lo1, hi1)));
                bits = ~(unsigned)_mm256_movemask_epi8(bad);
            }
            if (evbits | ampbits | bits)
                break;
        }
        if (i + 35 > len)
            break;
        /* positions from the first event on are left to the next call */
        unsigned keep = evbits ? (evbits & -evbits) - 1 : ~0u;
        ampbits &= keep;
        while (ampbits) {
            size_t k = lowest_bit(ampbits);
            if (!amp_plain(s, i + k, len))
                *flags |= BT_PF_AMP;
            ampbits &= ampbits - 1;
        }
        bits &= keep;
        while (bits) {
            size_t k = lowest_bit(bits);
            if (check_hit_at(p, pt, anchor, s, len, i + k)) {
                *flags |= BT_PF_HIT;
                break;
            }
            bits &= bits - 1;
        }
        if (evbits)
            return i + lowest_bit(evbits);
        i += 32;
    }
    return fused_plain(p, pt, fv, s, i, len, flags);
}

/* fused_avx2, 64 bytes a step with AVX-512BW: the byte tests give bit
 * masks directly. */
__attribute__((target("avx512f,avx512bw"))) static size_t
fused_avx512(const bt_prefilter *p, const pattern *pt, const char *s, size_t from,
             size_t len, unsigned *flags)
{
    const fused_variant *fv = &pt->fv[pt->cur];
#define TABLE512(t) _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)(t)))
    const __m512i low4 = _mm512_set1_epi8(0x0F);
    const __m512i alo = TABLE512(fv->set_lo[SET_A]), ahi = TABLE512(fv->set_hi[SET_A]),
                  nlo = TABLE512(fv->set_lo[SET_N]), nhi = TABLE512(fv->set_hi[SET_N]),
                  plo = TABLE512(fv->set_lo[SET_P]), phi = TABLE512(fv->set_hi[SET_P]),
                  llo = TABLE512(fv->set_lo[SET_L]), lhi = TABLE512(fv->set_hi[SET_L]),
                  slo = TABLE512(fv->set_lo[SET_S]), shi = TABLE512(fv->set_hi[SET_S]);
#undef TABLE512
    const __m512i lt = _mm512_set1_epi8('<'), amp = _mm512_set1_epi8('&'),
                  bang = _mm512_set1_epi8('!'), qm = _mm512_set1_epi8('?'),
                  slash = _mm512_set1_epi8('/'), la = _mm512_set1_epi8('a'),
                  lr = _mm512_set1_epi8('r');
    const int multi = fv->multi;
    const size_t anchor = fv->anchor;
    size_t i = from;
    if (i == 0 && len) {
        if (fused_first_byte(p, pt, fv, s, len, flags))
            return 0;
        i = 1;
    }
    for (;;) {
        /* The hot loop holds no call, so that every table stays in a
         * register: it only finds the next block with something to do
         * (an event, a '&', a candidate), which is then done below. */
        int want = !(*flags & BT_PF_HIT);
        uint64_t evbits = 0, ampbits = 0, bits = 0;
        for (; i + 67 <= len; i += 64) {
            __m512i v0 = _mm512_loadu_si512((const void *)(s + i));
            __m512i v1 = _mm512_loadu_si512((const void *)(s + i + 1));
            __m512i v2 = _mm512_loadu_si512((const void *)(s + i + 2));
            __mmask64 lts = _mm512_cmpeq_epi8_mask(v0, lt);
            __mmask64 one = _mm512_mask_cmpeq_epi8_mask(lts, v1, bang) |
                            _mm512_mask_cmpeq_epi8_mask(lts, v1, qm);
            __mmask64 sl = _mm512_mask_cmpeq_epi8_mask(lts, v1, slash);
            __mmask64 ar = _mm512_mask_cmpeq_epi8_mask(lts, v1, la);
            evbits = one | _mm512_mask_cmpeq_epi8_mask(sl, v2, la) |
                     _mm512_mask_cmpeq_epi8_mask(ar, v2, lr);
            ampbits = _mm512_cmpeq_epi8_mask(v0, amp);
            bits = 0;
            if (want) {
                __m512i vp = _mm512_loadu_si512((const void *)(s + i - 1));
                __m512i lo0 = _mm512_and_si512(v0, low4),
                        hi0 = _mm512_and_si512(_mm512_srli_epi16(v0, 4), low4),
                        lo1 = _mm512_and_si512(v1, low4),
                        hi1 = _mm512_and_si512(_mm512_srli_epi16(v1, 4), low4),
                        lop = _mm512_and_si512(vp, low4),
                        hip = _mm512_and_si512(_mm512_srli_epi16(vp, 4), low4);
                __mmask64 in = _mm512_test_epi8_mask(_mm512_shuffle_epi8(alo, lo0),
                                                     _mm512_shuffle_epi8(ahi, hi0));
                in = _mm512_mask_test_epi8_mask(in, _mm512_shuffle_epi8(nlo, lo1),
                                                _mm512_shuffle_epi8(nhi, hi1));
                in = _mm512_mask_test_epi8_mask(in, _mm512_shuffle_epi8(plo, lop),
                                                _mm512_shuffle_epi8(phi, hip));
                if (multi) {
                    __mmask64 l = _mm512_test_epi8_mask(_mm512_shuffle_epi8(llo, lo0),
                                                        _mm512_shuffle_epi8(lhi, hi0));
                    in |= _mm512_mask_test_epi8_mask(l, _mm512_shuffle_epi8(slo, lo1),
                                                     _mm512_shuffle_epi8(shi, hi1));
                }
                bits = (uint64_t)in;
            }
            if (evbits | ampbits | bits)
                break;
        }
        if (i + 67 > len)
            break;
        uint64_t keep = evbits ? (evbits & -evbits) - 1 : ~(uint64_t)0;
        ampbits &= keep;
        while (ampbits) {
            size_t k = (size_t)__builtin_ctzll(ampbits);
            if (!amp_plain(s, i + k, len))
                *flags |= BT_PF_AMP;
            ampbits &= ampbits - 1;
        }
        bits &= keep;
        while (bits) {
            size_t k = (size_t)__builtin_ctzll(bits);
            if (check_hit_at(p, pt, anchor, s, len, i + k)) {
                *flags |= BT_PF_HIT;
                break;
            }
            bits &= bits - 1;
        }
        if (evbits)
            return i + (size_t)__builtin_ctzll(evbits);
        i += 64;
    }
    return fused_avx2(p, pt, s, i, len, flags);
}

/* How many candidates variant v finds in s[1, len - 33). */
__attribute__((target("avx2"))) static size_t count_candidates(const fused_variant *v,
                                                                const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 1; i + 33 <= len; i += 32)
        n += (size_t)__builtin_popcount(candidates_avx2(v, s, i));
    return n;
}
#endif

int bt_prefilter_can_fuse(const bt_prefilter *p, size_t i)
{
#if VECTOR_AVX2
    return p->avx2 && p->pats[i].judge && p->pats[i].nfv > 0;
#else
    (void)p;
    (void)i;
    return 0;
#endif
}

size_t bt_prefilter_structure(const bt_prefilter *p, size_t i, const char *s,
                              size_t from, size_t len, unsigned *flags)
{
    const pattern *pt = &p->pats[i];
#if VECTOR_AVX2
    if (bt_prefilter_can_fuse(p, i))
        return p->avx512 ? fused_avx512(p, pt, s, from, len, flags)
                         : fused_avx2(p, pt, s, from, len, flags);
#endif
    if (!pt->judge || !pt->nfv) {
        *flags |= BT_PF_HIT;
        return fused_plain(p, pt, NULL, s, from, len, flags);
    }
    return fused_plain(p, pt, &pt->fv[pt->cur], s, from, len, flags);
}

void bt_prefilter_tune(bt_prefilter *p, size_t i, const char *sample, size_t len)
{
    pattern *pt = &p->pats[i];
#if VECTOR_AVX2
    if (!bt_prefilter_can_fuse(p, i))
        return;
    size_t best = (size_t)-1;
    for (int k = 0; k < pt->nfv; k++) {
        size_t n = count_candidates(&pt->fv[k], sample, len);
        if (n < best) {
            best = n;
            pt->cur = k;
        }
    }
#else
    (void)pt;
    (void)sample;
    (void)len;
#endif
}

/* ---- compiling a pattern ---- */

/* Rough frequency of each byte in Vietnamese news XML, per 10,000. */
static unsigned byte_cost(unsigned char b)
{
    static const unsigned short letters[26] = {
        181, 77, 326, 66, 59, 4, 294, 480, 326, 2, 70, 101, 128,
        635, 140, 138, 39, 110, 73, 385, 164, 101, 6, 22, 78, 2};
    if (b >= 'a' && b <= 'z')
        return letters[b - 'a'];
    if (b >= 'A' && b <= 'Z')
        return letters[b - 'A'] / 8 + 1;
    if (b >= '0' && b <= '9')
        return 40;
    if (b < 0x80)
        return 20;
    switch (b) {
    case 0xC3: return 426;
    case 0xC4: return 162;
    case 0xC6: return 105;
    case 0xE1: return 736;
    default: return 5;
    }
}

/* Sets the anchor: the unit whose spellings are cheapest to find. */
static void choose_anchor(const bt_prefilter *p, pattern *pt)
{
    unsigned long best = (unsigned long)-1;
    for (size_t k = 0; k < pt->n; k++) {
        uint32_t c = pt->u[k];
        if (c >= 0x80 || c == SPACE_UNIT || strchr("&<>\"';", (int)c))
            continue;
        unsigned char first[256] = {0};
        int ascii = 0, other = 0;
        pattern cand;
        cand.nascii = 0;
        cand.nconds = 0;
        for (uint32_t t = 0; t < TABLE_SIZE; t++) {
            uint32_t f = p->fold[t];
            int hit = f == c;
            if (f & FOLD_MULTI) {
                const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
                for (size_t j = 0; j < m->n; j++)
                    hit |= m->cp[j] == c;
            }
            if (!hit)
                continue;
            char enc[4];
            size_t el = bt_utf8_encode(t, enc);
            unsigned char b = (unsigned char)enc[0];
            if (el == 1 && cand.nascii < 4)
                cand.ascii[cand.nascii++] = b;
            else if (el == 1)
                cand.nconds = -1;
            else
                add_cond(&cand, (const unsigned char *)enc, el);
            if (!first[b]) {
                first[b] = 1;
                if (b < 0x80)
                    ascii++;
                else
                    other++;
            }
        }
        unsigned long cost = 0;
        for (int b = 0; b < 128; b++)
            if (first[b])
                cost += byte_cost((unsigned char)b);
        if (!other && ascii <= 2)
            ; /* memchr */
        else if (VECTOR_SCAN && cand.nconds >= 0)
            cost += 20 + 40 * (unsigned long)cand.nconds;
        else
            cost += 2000; /* a byte-by-byte loop */
        if (cost < best) {
            best = cost;
            pt->anchor = k;
            memcpy(pt->first, first, sizeof first);
            memcpy(pt->ascii, cand.ascii, sizeof cand.ascii);
            pt->nascii = cand.nascii;
            memcpy(pt->conds, cand.conds, sizeof cand.conds);
            pt->nconds = cand.nconds;
            pt->nbytes = 0;
            if (!other && ascii <= 2)
                for (int b = 0; b < 128; b++)
                    if (first[b])
                        pt->bytes[pt->nbytes++] = (unsigned char)b;
            pt->judge = 1;
        }
    }
}

/* The ASCII bytes that may stand at the edge of unit u in the raw XML:
 * its own ASCII spellings, white space for a space, and the markup that
 * may come between characters (edge: "<&" after, ">;" before). */
static int edge_bytes(const bt_prefilter *p, uint32_t u, const char *markup,
                      unsigned char *out)
{
    int n = 0;
    if (u == SPACE_UNIT) {
        static const char ws[] = " \t\n\r\v\f";
        for (const char *w = ws; *w; w++)
            out[n++] = (unsigned char)*w;
    } else {
        for (uint32_t c = 0; c < 0x80; c++) {
            if (p->fold[c] != u)
                continue;
            if (n == 6)
                return -1;
            out[n++] = (unsigned char)c;
        }
    }
    out[n++] = (unsigned char)markup[0];
    out[n++] = (unsigned char)markup[1];
    return n;
}

/* A byte set as two 16-entry tables: b is in it when
 * lo[b & 15] & hi[b >> 4] is not 0.  Each high nibble gets a class bit
 * for its set of low nibbles; past 8 distinct sets the last class takes
 * the union of the rest (a superset, which is safe). */
static void nibble_set(const unsigned char member[256], unsigned char lo[16],
                       unsigned char hi[16])
{
    unsigned masks[8] = {0};
    int nclass = 0;
    memset(lo, 0, 16);
    memset(hi, 0, 16);
    for (int h = 0; h < 16; h++) {
        unsigned m = 0;
        for (int l = 0; l < 16; l++)
            if (member[h << 4 | l])
                m |= 1u << l;
        if (!m)
            continue;
        int c;
        for (c = 0; c < nclass; c++)
            if (masks[c] == m)
                break;
        if (c == nclass) {
            if (nclass < 8)
                nclass++;
            else
                c = 7;
            masks[c] |= m;
        }
        hi[h] |= (unsigned char)(1u << c);
    }
    for (int c = 0; c < nclass; c++)
        for (int l = 0; l < 16; l++)
            if (masks[c] >> l & 1)
                lo[l] |= (unsigned char)(1u << c);
}

/* The byte sets of the fused pass, gathered in one walk over the fold
 * table for every unit of a pattern that an anchor or its neighbour
 * may be (fused_build). */
typedef struct unit_bytes {
    uint32_t u;
    unsigned char anchor_first[256]; /* lead bytes of its spellings */
    unsigned char a[256], l[256], s[256]; /* ASCII spellings; lead and
                                             second bytes of the others */
    int multi;
    unsigned char first[256], last[256]; /* of the characters folding to it */
} unit_bytes;

typedef struct fused_build {
    unit_bytes *units;
    size_t n;
    unsigned char other_first[256], other_last[256]; /* vanishing, unknown, multiple */
    unsigned char space_first[256], space_last[256]; /* white space */
} fused_build;

static unit_bytes *unit_of(fused_build *b, uint32_t u)
{
    for (size_t j = 0; j < b->n; j++)
        if (b->units[j].u == u)
            return &b->units[j];
    return NULL;
}

static void add_spelling(unit_bytes *ub, const char *enc, size_t el)
{
    ub->anchor_first[(unsigned char)enc[0]] = 1;
    if (el == 1) {
        ub->a[(unsigned char)enc[0]] = 1;
    } else {
        ub->l[(unsigned char)enc[0]] = 1;
        ub->s[(unsigned char)enc[1]] = 1;
        ub->multi = 1;
    }
}

static void walk_table(const bt_prefilter *p, fused_build *b)
{
    unit_bytes *ascii[128] = {NULL};
    for (size_t j = 0; j < b->n; j++)
        if (b->units[j].u < 0x80)
            ascii[b->units[j].u] = &b->units[j];
    for (uint32_t t = 0; t < TABLE_SIZE; t++) {
        if (t >= 0xD800 && t < 0xE000)
            continue;
        uint32_t f = p->fold[t];
        char enc[4];
        size_t el = bt_utf8_encode(t, enc);
        unsigned char lead = (unsigned char)enc[0], last = (unsigned char)enc[el - 1];
        if (f == FOLD_NONE || f == FOLD_UNKNOWN || (f & FOLD_MULTI)) {
            b->other_first[lead] = b->other_last[last] = 1;
            if (f & FOLD_MULTI) {
                const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
                for (size_t k = 0; k < m->n; k++) {
                    unit_bytes *ub = unit_of(b, m->cp[k]);
                    if (ub)
                        add_spelling(ub, enc, el);
                }
            }
            continue;
        }
        if (f == FOLD_SPACE) {
            b->space_first[lead] = b->space_last[last] = 1;
            continue;
        }
        unit_bytes *ub = f < 0x80 ? ascii[f] : unit_of(b, f);
        if (!ub)
            continue;
        ub->first[lead] = ub->last[last] = 1;
        add_spelling(ub, enc, el);
    }
}

/* The bytes that may stand just after (side > 0: the first byte of the
 * next character) or just before (side < 0: the last byte of the one
 * before) an anchor next to which unit u must come: those of the
 * characters folding to u, vanishing or unknown, white space for a
 * space, markup, astral characters and (when U+FFFD may stand for u)
 * bytes that do not decode. */
static void edge_set(const bt_prefilter *p, const fused_build *b, uint32_t u, int side,
                     unsigned char member[256])
{
    const unit_bytes *ub = unit_of((fused_build *)b, u);
    for (int c = 0; c < 256; c++)
        member[c] = (side > 0 ? b->other_first[c] : b->other_last[c]) ||
                    (u == SPACE_UNIT && (side > 0 ? b->space_first[c] : b->space_last[c])) ||
                    (ub && (side > 0 ? ub->first[c] : ub->last[c]));
    member[side > 0 ? '<' : '>'] = 1; /* a tag */
    member[side > 0 ? '&' : ';'] = 1; /* an entity */
    if (side > 0)
        memset(member + 0xF0, 1, 5);
    else
        memset(member + 0x80, 1, 0x40);
    uint32_t ffd = p->fold[0xFFFD];
    if (ffd == u || ffd == FOLD_NONE || ffd == FOLD_UNKNOWN || (ffd & FOLD_MULTI))
        memset(member + 0x80, 1, 0x80);
}

/* The fused pass's anchor at unit k. */
static void build_variant(const bt_prefilter *p, const fused_build *b, const pattern *pt,
                          size_t k, fused_variant *v)
{
    unsigned char member[5][256];
    const unit_bytes *ub = unit_of((fused_build *)b, pt->u[k]);
    memset(v, 0, sizeof *v);
    v->anchor = k;
    if (ub) {
        memcpy(v->first, ub->anchor_first, 256);
        memcpy(member[SET_A], ub->a, 256);
        memcpy(member[SET_L], ub->l, 256);
        memcpy(member[SET_S], ub->s, 256);
        v->multi = ub->multi;
    } else { /* cannot happen: every byte is a candidate then */
        memset(v->first, 1, 256);
        memset(member, 1, sizeof member);
    }
    if (k + 1 < pt->n)
        edge_set(p, b, pt->u[k + 1], 1, member[SET_N]);
    else
        memset(member[SET_N], 1, 256);
    if (k > 0)
        edge_set(p, b, pt->u[k - 1], -1, member[SET_P]);
    else
        memset(member[SET_P], 1, 256);
    for (int j = 0; j < 5; j++)
        nibble_set(member[j], v->set_lo[j], v->set_hi[j]);
}

/* One variant per ASCII unit, up to MAX_VARIANTS (the first is the
 * anchor chosen by cost); 0 or -1 when out of memory. */
static int set_fused(const bt_prefilter *p, pattern *pt)
{
    size_t ks[MAX_VARIANTS];
    int nk = 0;
    ks[nk++] = pt->anchor;
    for (size_t k = 0; k < pt->n && nk < MAX_VARIANTS; k++) {
        uint32_t c = pt->u[k];
        if (k != pt->anchor && c < 0x80 && !strchr("&<>\"';", (int)c))
            ks[nk++] = k;
    }
    fused_build b;
    memset(&b, 0, sizeof b);
    b.units = calloc(3 * (size_t)nk, sizeof *b.units);
    pt->fv = calloc((size_t)nk, sizeof *pt->fv);
    if (!b.units || !pt->fv) {
        free(b.units);
        return -1;
    }
    for (int j = 0; j < nk; j++) {
        size_t k = ks[j];
        uint32_t want[3] = {pt->u[k], k + 1 < pt->n ? pt->u[k + 1] : pt->u[k],
                            k > 0 ? pt->u[k - 1] : pt->u[k]};
        for (int w = 0; w < 3; w++)
            if (!unit_of(&b, want[w]))
                b.units[b.n++].u = want[w];
    }
    walk_table(p, &b);
    for (int j = 0; j < nk; j++)
        build_variant(p, &b, pt, ks[j], &pt->fv[pt->nfv++]);
    free(b.units);
    return 0;
}

static int set_neighbours(const bt_prefilter *p, pattern *pt)
{
    pt->nnext = pt->nprev = -1;
    if (!pt->judge)
        return 0;
    if (pt->anchor + 1 < pt->n)
        pt->nnext = edge_bytes(p, pt->u[pt->anchor + 1], "<&", pt->next);
    if (pt->anchor > 0)
        pt->nprev = edge_bytes(p, pt->u[pt->anchor - 1], ">;", pt->prev);
    return set_fused(p, pt);
}

long bt_prefilter_add(bt_prefilter *p, const char *pattern_text, size_t len)
{
    if (!p->fold && build_table(p) < 0)
        return -1;
    if (bt_grow_array((void **)&p->pats, &p->pats_cap, p->npats + 1,
                      sizeof *p->pats) < 0)
        return -1;
    pattern *pt = &p->pats[p->npats];
    memset(pt, 0, sizeof *pt);
    bt_buf folded = BT_BUF_INIT;
    if (bt_fold(pattern_text, len, BT_FOLD_BASE, &folded, NULL) < 0)
        goto oom;
    const char *f = folded.data;
    size_t ucap = 0;
    /* one unit per folded character, a run of white space as one */
    size_t i = 0;
    while (i < folded.len) {
        uint32_t cp;
        size_t l = bt_utf8_decode((const unsigned char *)f + i, folded.len - i, &cp);
        if (!l)
            cp = 0xFFFD, l = 1;
        i += l;
        uint32_t k = fold_of(p, cp);
        if (k == FOLD_NONE)
            continue;
        if (k == FOLD_SPACE) {
            if (pt->n && pt->u[pt->n - 1] != SPACE_UNIT) {
                if (bt_grow_array((void **)&pt->u, &ucap, pt->n + 1, sizeof *pt->u) < 0)
                    goto oom;
                pt->u[pt->n++] = SPACE_UNIT;
            }
            continue;
        }
        if (k & FOLD_MULTI) {
            const multi_fold *m = &p->multi[k & ~FOLD_MULTI];
            if (bt_grow_array((void **)&pt->u, &ucap, pt->n + m->n, sizeof *pt->u) < 0)
                goto oom;
            memcpy(pt->u + pt->n, m->cp, m->n * sizeof *m->cp);
            pt->n += m->n;
            continue;
        }
        if (bt_grow_array((void **)&pt->u, &ucap, pt->n + 1, sizeof *pt->u) < 0)
            goto oom;
        pt->u[pt->n++] = k == FOLD_UNKNOWN ? cp : k;
    }
    while (pt->n && pt->u[pt->n - 1] == SPACE_UNIT)
        pt->n--;
    bt_buf_free(&folded);
    choose_anchor(p, pt);
    if (set_neighbours(p, pt) < 0)
        goto oom;
    return (long)p->npats++;
oom:
    bt_buf_free(&folded);
    free(pt->u);
    free(pt->fv);
    return -1;
}
