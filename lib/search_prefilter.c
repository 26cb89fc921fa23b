/*
 * The byte-level prefilter: can this article's raw XML hold a match?
 *
 * Parsing an article costs far more than reading it, so a search first
 * asks, on the raw bytes, whether a pattern can occur at all, the way
 * ripgrep does: the pattern is folded as loosely as any mode folds
 * (BT_FOLD_BASE: no case, no diacritics, đ = d) and one of its ASCII
 * characters becomes the anchor.  Each byte that may spell the anchor —
 * 'q' and 'Q', or for 'n' also the lead bytes of 'ñ', 'Ń', … — with
 * bytes before and after it that may spell its neighbours is a
 * candidate, checked outwards, character by character, against the
 * folded pattern: tags count as nothing, the five predefined entities as
 * their characters, any run of white space as one space.  A "yes" only
 * means "may": the matcher has the last word (search_match.c).
 *
 * One scan (bt_prefilter_scan) serves the article splitter and the
 * matcher: over an article's bytes it finds the '<' the splitter must look
 * at, notes what only the parser can read, and finds the candidates, 64
 * bytes a step with AVX-512BW or 32 with AVX2 (the same kernel,
 * search_scan.h, over the vector layer of search_vec.h), byte by byte
 * elsewhere.  Every byte is tested against byte sets held as nibble
 * tables (vpshufb): the anchor's ASCII spellings with the bytes that may
 * stand before and after it, or the lead and second bytes of its other
 * spellings.  The pattern has one such anchor per ASCII letter;
 * bt_prefilter_tune keeps the one that finds the fewest candidates at the
 * start of the input (in Vietnamese, "ng" + a vowel is everywhere, "n" +
 * "u" is not).  AVX-512 reads the corpus about 20 % faster than AVX2 on
 * the machine this was measured on.
 *
 * How each character folds comes from bt_fold itself, asked about every
 * BMP code point it does not leave as it is (about 5,000 of them), so the
 * prefilter can never disagree with the matcher about what folds to what
 * (a unit test compares the table with bt_fold on every code point).  The
 * build asks once and compiles the answers in (bt_foldtab_built); a
 * search asks again, about 3 ms, only when its utf8proc is not the one
 * the build used.  When in doubt (a comment next to a hit, an astral
 * character with an unknown fold) it answers "may match": only a "no"
 * must be certain.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The vector kernels, where the compiler can target them (the CPU is
 * asked at run time). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VECTOR_SCAN 1
#else
#define VECTOR_SCAN 0
#endif

/* Values of the fold table besides plain code points. */
#define FOLD_NONE 0x200000u    /* vanishes (combining marks, U+200B) */
#define FOLD_SPACE 0x200001u   /* white space */
#define FOLD_UNKNOWN 0x200002u /* not in the table (astral) */
#define FOLD_MULTI 0x400000u   /* | index into multi[]: folds to several */
#define SPACE_UNIT 0xFFFFFFFFu /* a pattern unit: a run of white space */

enum { TABLE_SIZE = 0x10000, MULTI_MAX = BT_FOLDTAB_MULTI_MAX };

typedef struct multi_fold {
    uint32_t cp[MULTI_MAX];
    size_t n;
} multi_fold;

enum { SET_A, SET_N, SET_P, SET_L, SET_S, SET_N2, SET_P2, SET_L3, SET_T3, NSETS };

/* An anchor of the scan, as byte sets (nibble tables, see nibble_set):
 * the anchor's ASCII spellings (A), the bytes that may stand after (N)
 * and before (P) it, and for its other spellings their lead (L) and
 * second (S) bytes; multi: L is not empty.  N2 holds the bytes that may
 * follow the first byte after the anchor when that begins a multi-byte
 * character (its second bytes), P2 those that may stand before the byte
 * before it when that ends one (the second-to-last bytes): "n" before a
 * Vietnamese vowel (E1 BA …) is no candidate for "ng".  The anchor's
 * other spellings are two bytes long (lead in L) or three (lead in L3,
 * third byte in T3), so that the character after them is known too:
 * "từ" is no candidate for the 'u' of "tuong".  first: the bytes that may
 * start a spelling of the anchor (for the byte-by-byte scan). */
typedef struct fused_variant {
    size_t anchor;
    unsigned char first[256];
    unsigned char set_lo[NSETS][16], set_hi[NSETS][16];
    int multi;
} fused_variant;

enum { MAX_VARIANTS = 16 };


typedef struct pattern {
    uint32_t *u; /* the folded pattern, one unit per code point */
    size_t n;
    int judge;   /* 0: cannot tell, always "may" */
    size_t anchor; /* the unit the first variant anchors on */
    /* one anchor per ASCII unit, and the one in use (bt_prefilter_tune) */
    fused_variant *fv;
    int nfv, cur;
    /* which odd pairs and trios (see struct bt_prefilter) may take part
     * in a match of this pattern (odd_needs): only those are looked for */
    unsigned odd;
} pattern;

enum { ODD_PAIRS = 1, ODD_TRI = 2 };

enum { ISA_PLAIN, ISA_AVX2, ISA_AVX512 };

enum { NPAIR = 2 }; /* byte pairs that are odd characters */
enum { ODD_LEAD = 1, ODD_THIRD, ODD_PAIR }; /* bt_prefilter.odd_pair */

struct bt_prefilter {
    uint32_t *fold; /* TABLE_SIZE entries, built with the first pattern */
    multi_fold *multi;
    size_t nmulti, multi_cap;
    pattern *pats;
    size_t npats, pats_cap;
    int isa; /* the widest vector kernel the CPU runs */
    /* Characters that vanish in the fold (combining marks) or fold to
     * several characters (ß, ligatures) may stand anywhere in a match.
     * Those whose lead byte Vietnamese text uses, and whose fold holds no
     * ASCII letter (marks for symbols, Greek), join every byte set of the
     * scan ("other": their first, second, second-to-last and last bytes).
     * The rest, and astral characters, would blunt the sets: they make an
     * article "odd" instead (BT_PF_ODD: it may match anywhere, and only
     * its blocks can tell), told by their lead byte (odd_lo/odd_hi), by a
     * pair of bytes (odd_pairs: ß, ŉ) or by the third byte of a pair that
     * Vietnamese letters start too (odd_tri: E1 BA, for ẚ and ẞ).
     * odd_pair holds the same for the byte-by-byte scan: ODD_LEAD odd,
     * ODD_THIRD look at the third byte, ODD_PAIR one of the pairs. */
    unsigned char other_first[256], other_second[256], other_last2[256], other_last[256];
    unsigned char odd_lo[16], odd_hi[16];
    unsigned char odd_pairs[NPAIR][2];
    struct {
        unsigned char b0, b1, lo[16], hi[16], third[256];
    } odd_tri;
    unsigned char odd_pair[256][256];
};

/* The lead bytes of Vietnamese text: their odd characters go by more than
 * their lead (see struct bt_prefilter). */
static const unsigned char common_leads[] = {0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xE1, 0xE2};

bt_prefilter *bt_prefilter_new(void)
{
    bt_prefilter *p = calloc(1, sizeof(bt_prefilter));
#if VECTOR_SCAN
    if (p && __builtin_cpu_supports("avx2")) {
        p->isa = ISA_AVX2;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
            p->isa = ISA_AVX512;
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

/* How bt_text_collapse_space treats code point cp in running text (asked
 * between two letters): FOLD_SPACE, FOLD_NONE when it drops it, or cp
 * itself when it keeps it. */
static int space_fold(uint32_t cp, bt_buf *tmp, uint32_t *out)
{
    char s[8];
    size_t l = bt_utf8_encode(cp, s + 1);
    s[0] = 'a';
    s[l + 1] = 'b';
    bt_buf_reset(tmp);
    if (bt_text_collapse_space(s, l + 2, tmp) < 0)
        return -1;
    if (tmp->len == 3 && !memcmp(tmp->data, "a b", 3))
        *out = FOLD_SPACE;
    else if (tmp->len == 2)
        *out = FOLD_NONE;
    else
        *out = cp;
    return 0;
}

/* The table entry for a character whose fold is cps[0..n): nothing, one
 * code point, or a new multi[] entry. */
static int fold_entry(bt_prefilter *p, const uint32_t *cps, size_t n, uint32_t *out)
{
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

/* What one code point folds to, as bt_text_collapse_space and then
 * bt_fold(BT_FOLD_BASE) treat it in running text. */
static int fold_one(bt_prefilter *p, uint32_t cp, bt_buf *tmp, uint32_t *out)
{
    if (space_fold(cp, tmp, out) < 0)
        return -1;
    if (*out != cp)
        return 0;
    char s[4];
    size_t l = bt_utf8_encode(cp, s);
    bt_buf_reset(tmp);
    if (bt_fold(s, l, BT_FOLD_BASE, tmp, NULL) < 0)
        return -1;
    uint32_t cps[MULTI_MAX];
    size_t n;
    if (decode_all(tmp->data, tmp->len, cps, MULTI_MAX, &n) < 0) {
        *out = cp; /* cannot happen with valid folds; keep it literal */
        return 0;
    }
    return fold_entry(p, cps, n, out);
}

static int build_table_slowly(bt_prefilter *p);

/* 1 when bt_fold leaves code point c as it is, alone: no canonical
 * decomposition, no case folding, not a mark it drops, not a letter it
 * maps itself (Vietnamese letters, đ, ð, Hangul).  Most of the BMP: the
 * table asks bt_fold only about the others. */
static int folds_to_itself(uint32_t c)
{
    const utf8proc_property_t *pr = utf8proc_get_property((utf8proc_int32_t)c);
    char base;
    int tone;
    return pr->category != UTF8PROC_CATEGORY_MN && pr->casefold_seqindex == UINT16_MAX &&
           (pr->decomp_seqindex == UINT16_MAX || pr->decomp_type) &&
           !bt_vn_letter((int32_t)c, &base, &tone) && c != 0xF0 && c != 0xD0 &&
           !(c >= 0xAC00 && c <= 0xD7A3);
}

static int needs_fold(uint32_t c)
{
    return !(c >= 0xD800 && c < 0xE000) && !folds_to_itself(c);
}

/* Folds U+0080…U+FFFF in one bt_fold call, each after a '\n' (which
 * nothing composes with), so the output is "\n" fold(c) for each c in
 * turn.  0, or -1 when the output is not shaped so (then fold_one). */
static int fold_batch(bt_prefilter *p, bt_buf *in, bt_buf *out)
{
    unsigned char need[TABLE_SIZE / 8]; /* needs_fold, remembered */
    memset(need, 0, sizeof need);
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++) {
        char enc[4];
        if (needs_fold(c))
            need[c >> 3] |= (unsigned char)(1u << (c & 7));
        else {
            if (!(c >= 0xD800 && c < 0xE000))
                p->fold[c] = c;
            continue;
        }
        if (bt_buf_addc(in, '\n') < 0 || bt_buf_add(in, enc, bt_utf8_encode(c, enc)) < 0)
            return -1;
    }
    if (bt_fold(in->data, in->len, BT_FOLD_BASE, out, NULL) < 0)
        return -1;
    const char *o = out->data, *end = out->data + out->len;
    uint32_t c = 0x80;
#define NEED(c) (need[(c) >> 3] >> ((c) & 7) & 1)
    while (o < end) {
        while (c < TABLE_SIZE && !NEED(c))
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
        if (fold_entry(p, cps, n, &p->fold[c]) < 0)
            return -1;
        c++;
        o = next;
    }
    while (c < TABLE_SIZE && !NEED(c))
        c++;
#undef NEED
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
        uint32_t f;
        if (space_fold(c, tmp, &f) < 0)
            return -1;
        if (f != c)
            p->fold[c] = f;
    }
    return 0;
}

/* The table from bt_foldtab_built: 1, 0 when it is not for this
 * utf8proc, -1 when out of memory.  The ASCII and surrogate entries are
 * set already. */
static int load_table(bt_prefilter *p, const bt_foldtab *t)
{
    if (!t->n || strcmp(t->utf8proc, utf8proc_version()) != 0)
        return 0;
    if (t->nmulti) {
        p->multi = calloc(t->nmulti, sizeof *p->multi);
        if (!p->multi)
            return -1;
        p->multi_cap = t->nmulti;
    }
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++)
        if (!(c >= 0xD800 && c < 0xE000))
            p->fold[c] = c;
    for (size_t k = 0; k < t->n; k++)
        p->fold[t->entries[k][0]] = t->entries[k][1];
    for (size_t k = 0; k < t->nmulti; k++) {
        p->multi[k].n = t->multi[k][0];
        memcpy(p->multi[k].cp, t->multi[k] + 1, MULTI_MAX * sizeof *p->multi[k].cp);
    }
    p->nmulti = t->nmulti;
    return 1;
}

/* built: the table the build computed, when it is for this utf8proc. */
static int build_table(bt_prefilter *p, const bt_foldtab *built)
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
    int loaded = built ? load_table(p, built) : 0;
    if (loaded) {
        if (loaded > 0)
            return 0;
        free(p->fold);
        p->fold = NULL;
        return -1;
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

int bt_prefilter_write_foldtab(FILE *out)
{
    bt_prefilter *p = bt_prefilter_new();
    if (!p || build_table(p, NULL) < 0) {
        bt_prefilter_free(p);
        return -1;
    }
    size_t n = 0;
    fprintf(out, "/* Written by lib/gen/mkfoldtab.c: what bt_fold makes of each BMP code\n"
                 " * point, computed at build time (see bt_foldtab in search_int.h). */\n"
                 "#include \"search_int.h\"\n\nstatic const uint32_t entries[][2] = {\n");
    for (uint32_t c = 0x80; c < TABLE_SIZE; c++)
        if (!(c >= 0xD800 && c < 0xE000) && p->fold[c] != c) {
            fprintf(out, "    {0x%04X, 0x%X},\n", (unsigned)c, (unsigned)p->fold[c]);
            n++;
        }
    /* each array ends in a row of zeros, which n does not count: never empty */
    fprintf(out, "    {0, 0},\n};\n\n"
                 "static const uint32_t multi[][1 + BT_FOLDTAB_MULTI_MAX] = {\n");
    for (size_t k = 0; k < p->nmulti; k++) {
        fprintf(out, "    {%zu", p->multi[k].n);
        for (size_t j = 0; j < MULTI_MAX; j++)
            fprintf(out, ", 0x%X", j < p->multi[k].n ? (unsigned)p->multi[k].cp[j] : 0u);
        fprintf(out, "},\n");
    }
    fprintf(out, "    {0},\n};\n\n"
                 "const bt_foldtab bt_foldtab_built = {\"%s\", %zu, entries, %zu, multi};\n",
            utf8proc_version(), n, p->nmulti);
    bt_prefilter_free(p);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
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

/* The predefined entity whose name follows the '&' at s[i]: its index in
 * entities[], or -1. */
static inline int entity_after(const char *s, size_t i, size_t len)
{
    for (size_t k = 0; k < BT_ARRAY_LEN(entities); k++)
        if (len - i - 1 >= entities[k].len &&
            !memcmp(s + i + 1, entities[k].name, entities[k].len))
            return (int)k;
    return -1;
}

/* Decodes the sequence at s[0..n) (n > 0, s[0] >= 0x80): its length, 0
 * when it is not valid UTF-8.  The two- and three-byte sequences of
 * Vietnamese text without a call. */
static inline size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c < 0xE0 && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = (c & 0x1Fu) << 6 | (s[1] & 0x3Fu);
        return 2;
    }
    if (c >= 0xE1 && c < 0xED && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = (c & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
        return 3;
    }
    return bt_utf8_decode(s, n, cp);
}

/* The next character of text at *pos, stepping over tags. */
static inline int next_char(const char *s, size_t len, size_t *pos, uint32_t *cp)
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
            int k = entity_after(s, i, len);
            if (k < 0)
                return T_MAYBE;
            *cp = entities[k].cp;
            *pos = i + 1 + entities[k].len;
            return T_CHAR;
        }
        if (c < 0x80) {
            *cp = c;
            *pos = i + 1;
            return T_CHAR;
        }
        size_t l = decode((const unsigned char *)s + i, len - i, cp);
        if (!l) {
            *cp = 0xFFFD;
            l = 1;
        }
        *pos = i + l;
        return T_CHAR;
    }
}

/* The character of text that ends at *pos, stepping back over tags. */
static inline int prev_char(const char *s, size_t *pos, uint32_t *cp)
{
    for (;;) {
        size_t i = *pos;
        if (i == 0)
            return T_END;
        unsigned char c = (unsigned char)s[i - 1];
        if (c < 0x80 && c != '>' && c != ';') {
            *cp = c;
            *pos = i - 1;
            return T_CHAR;
        }
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
            *cp = c;
            *pos = i - 1;
            return T_CHAR;
        }
        size_t k = i - 1;
        while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        size_t l = decode((const unsigned char *)s + k, i - k, cp);
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

/* Answers of the walks below: no match, a match (with its edge), or one
 * that cannot be told from here (markup only the parser reads, an
 * unknown character). */
enum { W_NO, W_YES, W_MAYBE };

/* Does the pattern go on from the anchor: forward (fwd 1), does u[k..n)
 * start at pos, or backward (fwd 0), does u[0..k) end there?  W_YES sets
 * *edge where it ends or starts.  One walk for both sides, so that they
 * read text alike; fwd is a constant at each call, and inlining it into
 * both drops the tests on it (the compiler would keep one copy). */
static inline __attribute__((always_inline)) int match_walk(const bt_prefilter *p, const pattern *pt, const char *s,
                             size_t len, size_t pos, size_t k, int fwd, size_t *edge)
{
    const uint32_t *u = pt->u;
    size_t left; /* units still to match: u[k..k + left) or u[k - left..k) */
    uint32_t cp;
#define READ(pos) (fwd ? next_char(s, len, &(pos), &cp) : prev_char(s, &(pos), &cp))
    while ((left = fwd ? pt->n - k : k) > 0) {
        uint32_t want = fwd ? u[k] : u[k - 1];
        if (want == SPACE_UNIT) {
            size_t spaces = 0;
            for (;;) {
                size_t save = pos;
                int r = READ(pos);
                if (r == T_MAYBE)
                    return W_MAYBE;
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
                return W_NO;
            k = fwd ? k + 1 : k - 1;
            continue;
        }
        int r = READ(pos);
        if (r != T_CHAR)
            return r == T_MAYBE ? W_MAYBE : W_NO;
        uint32_t f = fold_of(p, cp);
        if (f == FOLD_NONE)
            continue;
        if (f == FOLD_UNKNOWN)
            return W_MAYBE;
        if (f == FOLD_SPACE)
            return W_NO;
        if (f & FOLD_MULTI) {
            /* its units, or those of them the pattern has room for (then
             * the match may go on past the pattern's edge: maybe) */
            const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
            size_t take = m->n < left ? m->n : left;
            if (!units_eq(fwd ? u + k : u + k - take, fwd ? m->cp : m->cp + m->n - take, take))
                return W_NO;
            if (take < m->n)
                return W_MAYBE;
            k = fwd ? k + take : k - take;
            continue;
        }
        if (f != want)
            return W_NO;
        k = fwd ? k + 1 : k - 1;
    }
#undef READ
    *edge = pos;
    return W_YES;
}

/* 1 when the fold f[0, k) of one character can overlap a match of pt:
 * some placing of it against the pattern where the units it shares with
 * the pattern are equal ("ß" = "ss" in "strasse", or its second 's' at
 * the start of "sa"). */
static int fold_overlaps(const pattern *pt, const uint32_t *f, size_t k)
{
    long n = (long)pt->n;
    for (long d = 1 - (long)k; d < n; d++) { /* f[j] against u[d + j] */
        long j0 = d < 0 ? -d : 0, j1 = n - d < (long)k ? n - d : (long)k;
        int same = j0 < j1;
        for (long j = j0; same && j < j1; j++)
            same = f[j] == pt->u[j + d];
        if (same)
            return 1;
    }
    return 0;
}

/* An anchor byte at s[h] for unit anchor: W_NO, W_YES with the match's
 * [*start, *end) (markup and marks next to its edges left out, except
 * the marks of its last letter), or W_MAYBE. */
static int check_hit_at(const bt_prefilter *p, const pattern *pt, size_t anchor,
                        const char *s, size_t len, size_t h, size_t *start, size_t *end)
{
    uint32_t cp;
    size_t l = 1;
    if ((unsigned char)s[h] < 0x80) {
        cp = (unsigned char)s[h];
    } else if (!(l = decode((const unsigned char *)s + h, len - h, &cp))) {
        return W_NO;
    }
    uint32_t f = fold_of(p, cp);
    if (f & FOLD_MULTI) { /* ß for "s", ﬁ for "f": not worth the detail */
        const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
        for (size_t j = 0; j < m->n; j++)
            if (m->cp[j] == pt->u[anchor])
                return fold_overlaps(pt, m->cp, m->n) ? W_MAYBE : W_NO;
        return W_NO; /* the anchor cannot be there */
    }
    if (f != pt->u[anchor])
        return W_NO;
    int b = match_walk(p, pt, s, len, h, anchor, 0, start);
    if (b == W_NO)
        return W_NO;
    int a = match_walk(p, pt, s, len, h + l, anchor + 1, 1, end);
    return a == W_NO ? W_NO : a == W_YES && b == W_YES ? W_YES : W_MAYBE;
}

static int hit(const bt_prefilter *p, const pattern *pt, size_t anchor, const char *s,
               size_t len, size_t h)
{
    size_t start, end;
    return check_hit_at(p, pt, anchor, s, len, h, &start, &end) != W_NO;
}

/* ---- what the splitter must see ---- */

/* 1 when the '&' at s[i] starts one of the five predefined entities. */
static int amp_plain(const char *s, size_t i, size_t len)
{
    return entity_after(s, i, len) >= 0;
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

/* ---- the scan ---- */

static int is_odd(const bt_prefilter *p, const pattern *pt, const char *s, size_t i,
                  size_t len)
{
    unsigned char b0 = (unsigned char)s[i], b1 = i + 1 < len ? (unsigned char)s[i + 1] : 0;
    if (b0 < 0xC0)
        return 0;
    switch (p->odd_pair[b0][b1]) {
    case ODD_LEAD:
        return 1;
    case ODD_PAIR:
        return (pt->odd & ODD_PAIRS) != 0;
    case ODD_THIRD:
        return (pt->odd & ODD_TRI) && i + 2 < len && p->odd_tri.third[(unsigned char)s[i + 2]];
    default:
        return 0;
    }
}

/* One byte of the scan, a byte at a time: 1 when the scan stops at s[i]. */
static inline int plain_byte(const bt_prefilter *p, const pattern *pt,
                             const fused_variant *v, const char *s, size_t i,
                             size_t len, unsigned mode, unsigned *flags)
{
    unsigned char c = (unsigned char)s[i];
    if (mode & SCAN_EVENTS) {
        if (c == '<' && is_event(s, i, len))
            return 1;
        if (c == '&' && !amp_plain(s, i, len))
            *flags |= BT_PF_AMP;
    }
    if (!v || (*flags & (BT_PF_HIT | BT_PF_ODD)))
        return 0;
    if (is_odd(p, pt, s, i, len)) {
        *flags |= BT_PF_ODD;
        return (mode & SCAN_STOP_HIT) != 0;
    }
    if (v->first[c] && hit(p, pt, v->anchor, s, len, i)) {
        *flags |= BT_PF_HIT;
        return (mode & SCAN_STOP_HIT) != 0;
    }
    return 0;
}

/* The scan a byte at a time, from i to len (v NULL: no candidates). */
static size_t fused_plain(const bt_prefilter *p, const pattern *pt,
                          const fused_variant *v, const char *s, size_t i, size_t len,
                          unsigned mode, unsigned *flags)
{
    for (; i < len; i++)
        if (plain_byte(p, pt, v, s, i, len, mode, flags))
            return i;
    return len;
}

#if VECTOR_SCAN
#define VEC_BITS 256
#include "search_vec.h"
#include "search_scan.h"
#undef VEC_BITS
#define VEC_BITS 512
#include "search_vec.h"
#include "search_scan.h"
#undef VEC_BITS
#endif

int bt_prefilter_judges(const bt_prefilter *p, size_t i)
{
    return p->pats[i].judge && p->pats[i].nfv > 0;
}

int bt_prefilter_can_fuse(const bt_prefilter *p, size_t i)
{
    return p->isa != ISA_PLAIN && bt_prefilter_judges(p, i);
}

size_t bt_prefilter_scan(const bt_prefilter *p, size_t i, const char *s, size_t from,
                         size_t len, unsigned mode, unsigned *flags)
{
    const pattern *pt = &p->pats[i];
    if (!bt_prefilter_judges(p, i)) {
        *flags |= BT_PF_HIT; /* may match anywhere */
        if (mode & SCAN_STOP_HIT)
            return from < len ? from : len;
        return fused_plain(p, pt, NULL, s, from, len, mode, flags);
    }
#if VECTOR_SCAN
    if (p->isa == ISA_AVX512)
        return scan_avx512(p, pt, s, from, len, mode, flags);
    if (p->isa == ISA_AVX2)
        return scan_avx2(p, pt, s, from, len, mode, flags);
#endif
    return fused_plain(p, pt, &pt->fv[pt->cur], s, from, len, mode, flags);
}

int bt_prefilter_span(const bt_prefilter *p, size_t i, const char *s, size_t len, size_t h,
                      size_t *start, size_t *end)
{
    const pattern *pt = &p->pats[i];
    if (!bt_prefilter_judges(p, i))
        return W_MAYBE;
    return check_hit_at(p, pt, pt->fv[pt->cur].anchor, s, len, h, start, end);
}

int bt_prefilter_may(const bt_prefilter *p, size_t i, const char *xml, size_t len)
{
    unsigned flags = 0;
    bt_prefilter_scan(p, i, xml, 0, len, SCAN_STOP_HIT, &flags);
    return (flags & (BT_PF_HIT | BT_PF_ODD)) != 0;
}

void bt_prefilter_tune(bt_prefilter *p, size_t i, const char *sample, size_t len)
{
    pattern *pt = &p->pats[i];
    if (!bt_prefilter_can_fuse(p, i))
        return;
    size_t best = (size_t)-1;
    for (int k = 0; k < pt->nfv; k++) {
        size_t n = 0;
#if VECTOR_SCAN
        n = p->isa == ISA_AVX512 ? count_avx512(&pt->fv[k], sample, len)
                                 : count_avx2(&pt->fv[k], sample, len);
#endif
        if (n < best) {
            best = n;
            pt->cur = k;
        }
    }
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

/* The first anchor: the ASCII unit whose spellings are rarest. */
static void choose_anchor(pattern *pt)
{
    unsigned best = (unsigned)-1;
    for (size_t k = 0; k < pt->n; k++) {
        uint32_t c = pt->u[k];
        if (c >= 0x80 || c == SPACE_UNIT || strchr("&<>\"';", (int)c))
            continue;
        unsigned cost = byte_cost((unsigned char)c);
        if (c >= 'a' && c <= 'z')
            cost += byte_cost((unsigned char)(c - 0x20));
        if (cost < best) {
            best = cost;
            pt->anchor = k;
            pt->judge = 1;
        }
    }
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

/* The byte sets of the scan, gathered in one walk over the fold
 * table for every unit of a pattern that an anchor or its neighbour
 * may be (fused_build). */
typedef struct unit_bytes {
    uint32_t u;
    unsigned char anchor_first[256]; /* lead bytes of its spellings */
    unsigned char a[256], l[256], s[256]; /* ASCII spellings; lead and
                                             second bytes of the others */
    unsigned char l3[256], t3[256];       /* lead and third of the 3-byte ones */
    int multi;
    unsigned char first[256], last[256]; /* of the characters folding to it */
    unsigned char second[256], last2[256]; /* their second and second-to-last
                                             bytes, when longer than one */
} unit_bytes;

typedef struct fused_build {
    unit_bytes *units;
    size_t n;
    int wide; /* a unit is a code point past ASCII (not SPACE_UNIT) */
    unsigned char space_first[256], space_last[256]; /* white space */
    unsigned char space_second[256], space_last2[256];
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
        if (el == 2)
            ub->l[(unsigned char)enc[0]] = 1;
        else
            ub->l3[(unsigned char)enc[0]] = ub->t3[(unsigned char)enc[2]] = 1;
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
        uint32_t f = p->fold[t];
        if (f == FOLD_NONE || f == FOLD_UNKNOWN || (f & FOLD_MULTI))
            continue; /* odd or other, or U+00AD and U+200B (edge_set) */
        /* folds to no unit of the pattern: most of the table, whose
         * entries are themselves, past ASCII */
        if (f != FOLD_SPACE && (f < 0x80 ? !ascii[f] : !b->wide || !unit_of(b, f)))
            continue;
        char enc[4];
        size_t el = bt_utf8_encode(t, enc);
        unsigned char lead = (unsigned char)enc[0], last = (unsigned char)enc[el - 1];
        if (f == FOLD_SPACE) {
            b->space_first[lead] = b->space_last[last] = 1;
            if (el > 1)
                b->space_second[(unsigned char)enc[1]] = b->space_last2[(unsigned char)enc[el - 2]] = 1;
            continue;
        }
        unit_bytes *ub = f < 0x80 ? ascii[f] : unit_of(b, f);
        if (!ub)
            continue;
        ub->first[lead] = ub->last[last] = 1;
        if (el > 1)
            ub->second[(unsigned char)enc[1]] = ub->last2[(unsigned char)enc[el - 2]] = 1;
        add_spelling(ub, enc, el);
    }
}

/* The bytes that may stand just after (side > 0: the first byte of the
 * next character) or just before (side < 0: the last byte of the one
 * before) an anchor next to which unit u must come: those of the
 * characters folding to u (or to several units, one of them u), of
 * U+00AD and U+200B (which vanish), the "other" characters (see struct
 * bt_prefilter), white space for a space, and markup.  The odd characters
 * are not among them. */
static void edge_set(const bt_prefilter *p, const fused_build *b, uint32_t u, int side,
                     unsigned char member[256], unsigned char inner[256])
{
    const unit_bytes *ub = unit_of((fused_build *)b, u);
    for (int c = 0; c < 256; c++) {
        member[c] = (side > 0 ? p->other_first[c] : p->other_last[c]) ||
                    (u == SPACE_UNIT && (side > 0 ? b->space_first[c] : b->space_last[c])) ||
                    (ub && (side > 0 ? ub->first[c] : ub->last[c]));
        inner[c] = (side > 0 ? p->other_second[c] : p->other_last2[c]) ||
                   (u == SPACE_UNIT && (side > 0 ? b->space_second[c] : b->space_last2[c])) ||
                   (ub && (side > 0 ? ub->second[c] : ub->last2[c]));
    }
    member[side > 0 ? '<' : '>'] = 1; /* a tag */
    member[side > 0 ? '&' : ';'] = 1; /* an entity */
    member[side > 0 ? 0xC2 : 0xAD] = 1; /* U+00AD */
    inner[side > 0 ? 0xAD : 0xC2] = 1;
    member[side > 0 ? 0xE2 : 0x8B] = 1; /* U+200B */
    inner[0x80] = 1;
}

/* The scan's anchor at unit k. */
static void build_variant(const bt_prefilter *p, const fused_build *b, const pattern *pt,
                          size_t k, fused_variant *v)
{
    unsigned char member[NSETS][256];
    const unit_bytes *ub = unit_of((fused_build *)b, pt->u[k]);
    memset(v, 0, sizeof *v);
    v->anchor = k;
    if (ub) {
        memcpy(v->first, ub->anchor_first, 256);
        memcpy(member[SET_A], ub->a, 256);
        memcpy(member[SET_L], ub->l, 256);
        memcpy(member[SET_S], ub->s, 256);
        memcpy(member[SET_L3], ub->l3, 256);
        memcpy(member[SET_T3], ub->t3, 256);
        v->multi = ub->multi;
    } else { /* cannot happen: every byte is a candidate then */
        memset(v->first, 1, 256);
        memset(member, 1, sizeof member);
    }
    if (k + 1 < pt->n) {
        edge_set(p, b, pt->u[k + 1], 1, member[SET_N], member[SET_N2]);
    } else {
        memset(member[SET_N], 1, 256);
        memset(member[SET_N2], 1, 256);
    }
    if (k > 0) {
        edge_set(p, b, pt->u[k - 1], -1, member[SET_P], member[SET_P2]);
    } else {
        memset(member[SET_P], 1, 256);
        memset(member[SET_P2], 1, 256);
    }
    for (int j = 0; j < NSETS; j++)
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
            if (!unit_of(&b, want[w])) {
                b.units[b.n++].u = want[w];
                b.wide |= want[w] >= 0x80 && want[w] != SPACE_UNIT;
            }
    }
    walk_table(p, &b);
    for (int j = 0; j < nk; j++)
        build_variant(p, &b, pt, ks[j], &pt->fv[pt->nfv++]);
    free(b.units);
    return 0;
}

/* The byte pairs that start the three-byte Vietnamese letters (ạ … ỹ). */
static void letter_pairs(unsigned char pairs[64][64])
{
    memset(pairs, 0, 64 * 64);
    for (uint32_t c = 0x800; c < 0x2000; c++) {
        char enc[4], base;
        int tone;
        if (bt_vn_letter((int32_t)c, &base, &tone) && bt_utf8_encode(c, enc) == 3)
            pairs[(unsigned char)enc[0] & 0x3F][(unsigned char)enc[1] & 0x3F] = 1;
    }
}

/* 1 when fold f (FOLD_MULTI) holds an ASCII character. */
static int multi_ascii(const bt_prefilter *p, uint32_t f)
{
    const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
    for (size_t k = 0; k < m->n; k++)
        if (m->cp[k] < 0x80)
            return 1;
    return 0;
}

/* The other and odd characters (see struct bt_prefilter). */
static void build_odd(bt_prefilter *p)
{
    unsigned char lead[256], letters[64][64];
    int npair = 0;
    memset(lead, 0, sizeof lead);
    memset(p->odd_pairs, 0xC0, sizeof p->odd_pairs); /* 0xC0: never UTF-8 */
    p->odd_tri.b0 = 0;
    letter_pairs(letters);
    for (uint32_t t = 0x80; t < TABLE_SIZE; t++) {
        uint32_t f = p->fold[t];
        if ((t >= 0xD800 && t < 0xE000) || !(f == FOLD_NONE || (f & FOLD_MULTI)) ||
            t == 0xAD || t == 0x200B)
            continue;
        unsigned char e[4];
        size_t el = bt_utf8_encode(t, (char *)e);
        int common = 0;
        for (size_t k = 0; k < BT_ARRAY_LEN(common_leads); k++)
            common |= common_leads[k] == e[0];
        int pair = -1;
        for (int k = 0; k < npair; k++)
            if (p->odd_pairs[k][0] == e[0] && p->odd_pairs[k][1] == e[1])
                pair = k;
        int letter = el == 3 && letters[e[0] & 0x3F][e[1] & 0x3F];
        if (common && !((f & FOLD_MULTI) && multi_ascii(p, f))) {
            p->other_first[e[0]] = p->other_second[e[1]] = 1;
            p->other_last2[e[el - 2]] = p->other_last[e[el - 1]] = 1;
        } else if (common && letter && (!p->odd_tri.b0 || (e[0] == p->odd_tri.b0 &&
                                                           e[1] == p->odd_tri.b1))) {
            p->odd_tri.b0 = e[0];
            p->odd_tri.b1 = e[1];
            p->odd_tri.third[e[2]] = 1;
            p->odd_pair[e[0]][e[1]] = ODD_THIRD;
        } else if (common && !letter && (pair >= 0 || npair < NPAIR)) {
            if (pair < 0) {
                p->odd_pairs[npair][0] = e[0];
                p->odd_pairs[npair++][1] = e[1];
            }
            p->odd_pair[e[0]][e[1]] = ODD_PAIR; /* every character so begun is odd */
        } else {
            lead[e[0]] = 1; /* every character of this lead is odd */
        }
    }
    if (!p->odd_tri.b0)
        p->odd_tri.b0 = p->odd_tri.b1 = 0xC0;
    for (unsigned b = 0xF0; b <= 0xF4; b++) /* astral characters */
        lead[b] = 1;
    for (unsigned b = 0xC0; b < 256; b++)
        if (lead[b])
            memset(p->odd_pair[b], ODD_LEAD, 256);
    nibble_set(lead, p->odd_lo, p->odd_hi);
    nibble_set(p->odd_tri.third, p->odd_tri.lo, p->odd_tri.hi);
}

/* Which odd pairs and trios may take part in a match of pt: those of a
 * character whose fold overlaps it.  The rest cannot, and the scan does
 * not look for them: "viet nam" has no use for ß, ŉ or ẚ, and looking for
 * them took about a seventh of its CPU time (their tables and bytes cost
 * the vector loop registers). */
static unsigned odd_needs(const bt_prefilter *p, const pattern *pt)
{
    unsigned need = 0;
    for (uint32_t t = 0x80; t < TABLE_SIZE; t++) {
        uint32_t f = p->fold[t];
        if (!(f & FOLD_MULTI) || (t >= 0xD800 && t < 0xE000))
            continue;
        unsigned char e[4];
        size_t el = bt_utf8_encode(t, (char *)e);
        unsigned kind = p->odd_pair[e[0]][e[1]];
        unsigned bit = kind == ODD_PAIR ? ODD_PAIRS
                       : kind == ODD_THIRD && el > 2 && p->odd_tri.third[e[2]] ? ODD_TRI
                                                                              : 0;
        if (bit && !(need & bit)) {
            const multi_fold *m = &p->multi[f & ~FOLD_MULTI];
            if (fold_overlaps(pt, m->cp, m->n))
                need |= bit;
        }
    }
    return need;
}

long bt_prefilter_add(bt_prefilter *p, const char *pattern_text, size_t len)
{
    if (!p->fold) {
        if (build_table(p, &bt_foldtab_built) < 0)
            return -1;
        build_odd(p);
    }
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
        i += bt_utf8_next((const unsigned char *)f + i, folded.len - i, &cp);
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
    choose_anchor(pt);
    if (pt->judge && set_fused(p, pt) < 0)
        goto oom;
    pt->odd = odd_needs(p, pt);
    return (long)p->npats++;
oom:
    bt_buf_free(&folded);
    free(pt->u);
    free(pt->fv);
    return -1;
}
