/*
 * The search matcher: patterns folded the way Vietnamese readers type,
 * matched with PCRE2 against an article's blocks, one block at a time.
 *
 * Every pattern, literal or not, becomes one PCRE2 program (literals are
 * escaped), so -w, smart case and the Unicode rules are the same for
 * both.  A block's text is what a reader sees (NFC, white space collapsed,
 * search_int.h); what differs by mode is what the program is run on:
 *
 *   --exact, or a pattern with diacritics   the text itself; the pattern
 *       spells each oa/oe/uy pair both ways, (?:hòa|hoà), and đ as [đð]
 *   a pattern without diacritics            the text and the pattern
 *       folded by bt_fold(BT_FOLD_BASE_KEEPCASE): no marks, đ = d
 *
 * Case is left to PCRE2 (PCRE2_CASELESS in UTF mode), so a regular
 * expression's escapes (\S, \W, \p{Lu}) are never folded into something
 * else.  Spelling the tone pairs in the pattern, rather than moving tones
 * in the text, keeps the text as written: whatever --exact finds, folding
 * finds too, even inside glued words ("T.ThủyTổng hợp").
 *
 * Literal patterns also go to the byte-level prefilter (search_prefilter.c),
 * and an article's raw bytes can be matched without parsing it
 * (bt_matcher_raw): the prefilter finds the places a match may be,
 * search_raw.c the block around each, and the same program decides.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "search_int.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { NFIELDS = 5 };

/* A regular expression that needs more backtracking than this on one
 * block is reported for that article, not waited for. */
enum { MATCH_LIMIT = 1000000 };

static const char *const field_names[NFIELDS] = {"title", "body", "byline",
                                                 "source", "related"};

typedef struct mpattern {
    pcre2_code *code;
    pcre2_match_data *md;
    int fold;     /* the text is folded (BT_FOLD_BASE_KEEPCASE) first */
    unsigned fields;
    int required;
    int empty;    /* a literal of nothing (or of white space): matches
                     every article */
    long pf;      /* index in the prefilter, or -1 */
} mpattern;

struct bt_matcher {
    bt_match_opts o;
    mpattern *pats;
    size_t npats, cap;
    bt_prefilter *pf;
    pcre2_match_context *mctx;
    /* work buffers for one block: plain text, clean, collapsed, folded */
    bt_buf plain, clean, text, folded;
    size_t *offsets;
    /* the hook of bt_matcher_hook */
    size_t gate;
};

int bt_fields_parse(const char *list, unsigned *fields, bt_error *err)
{
    unsigned f = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t k;
        for (k = 0; k < NFIELDS; k++)
            if (strlen(field_names[k]) == n && !strncmp(p, field_names[k], n))
                break;
        if (k == NFIELDS) {
            if (n == 0) {
                p++;
                continue;
            }
            bt_error_set(err, BT_ERR_USAGE, "unknown field \"%.*s\" (fields: title, body, byline, "
                              "source, related)", (int)(n > 40 ? 40 : n), p);
            return -1;
        }
        f |= 1u << k;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!f) {
        bt_error_set(err, BT_ERR_USAGE, "no field given (fields: title, body, byline, source, related)");
        return -1;
    }
    *fields = f;
    return 0;
}

const char *bt_field_name(unsigned field)
{
    for (size_t k = 0; k < NFIELDS; k++)
        if (field == 1u << k)
            return field_names[k];
    return "?";
}

bt_matcher *bt_matcher_new(const bt_match_opts *o, bt_error *err)
{
    bt_matcher *m = calloc(1, sizeof *m);
    if (!m || !(m->pf = bt_prefilter_new()) || !(m->mctx = pcre2_match_context_create(NULL))) {
        if (m)
            bt_prefilter_free(m->pf);
        free(m);
        bt_error_nomem(err, NULL);
        return NULL;
    }
    pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
    bt_buf_init(&m->plain, 0);
    bt_buf_init(&m->clean, 0);
    bt_buf_init(&m->text, 0);
    bt_buf_init(&m->folded, 0);
    if (o)
        m->o = *o;
    return m;
}

void bt_matcher_free(bt_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->npats; i++) {
        pcre2_match_data_free(m->pats[i].md);
        pcre2_code_free(m->pats[i].code);
    }
    free(m->pats);
    bt_buf_free(&m->plain);
    bt_buf_free(&m->clean);
    bt_buf_free(&m->text);
    bt_buf_free(&m->folded);
    free(m->offsets);
    pcre2_match_context_free(m->mctx);
    bt_prefilter_free(m->pf);
    free(m);
}

/* ---- compiling patterns ---- */

/* Smart case looks at what the pattern spells, not at its escapes. */
static int regex_has_upper(const char *s)
{
    bt_buf b = BT_BUF_INIT;
    for (const char *p = s; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            if ((*p == 'p' || *p == 'P') && p[1] == '{') {
                const char *close = strchr(p, '}');
                if (close)
                    p = close;
            }
            continue;
        }
        if (bt_buf_addc(&b, *p) < 0) {
            bt_buf_free(&b);
            return -1;
        }
    }
    int r = b.len ? bt_has_upper(b.data, b.len) : 0;
    bt_buf_free(&b);
    return r;
}

/* Appends code point cp of a literal: a backslash before every ASCII
 * character that is not a letter or digit; with eth, đ and ð as [đð]. */
static int add_cp(bt_buf *out, uint32_t cp, int in_class, int eth)
{
    char enc[4];
    if (eth && (cp == 0x111 || cp == 0xF0))
        return bt_buf_adds(out, in_class ? "\xc4\x91\xc3\xb0" : "[\xc4\x91\xc3\xb0]");
    if (eth && (cp == 0x110 || cp == 0xD0))
        return bt_buf_adds(out, in_class ? "\xc4\x90\xc3\x90" : "[\xc4\x90\xc3\x90]");
    if (cp == 0)
        return bt_buf_adds(out, "\\x{0}");
    if (cp < 0x80 && !((cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) &&
        bt_buf_addc(out, '\\') < 0)
        return -1;
    return bt_buf_add(out, enc, bt_utf8_encode(cp, enc));
}

static int add_literal(bt_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t l = bt_utf8_next((const unsigned char *)s + i, len - i, &cp);
        if (add_cp(out, cp, 0, 0) < 0)
            return -1;
        i += l;
    }
    return 0;
}

static int is_tone(utf8proc_int32_t m)
{
    return m == 0x300 || m == 0x301 || m == 0x303 || m == 0x309 || m == 0x323;
}

/* A vowel of a tone pair: its ASCII base letter and its tone mark (0:
 * none), or 0 when it carries another mark (â, ơ, …) or is no letter. */
static char pair_vowel(uint32_t cp, utf8proc_int32_t *tone)
{
    utf8proc_int32_t d[4];
    utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 4,
                                                 UTF8PROC_DECOMPOSE, NULL);
    *tone = 0;
    if (n < 1 || n > 2 || d[0] >= 0x80)
        return 0;
    if (n == 2) {
        if (!is_tone(d[1]))
            return 0;
        *tone = d[1];
    }
    return (char)d[0];
}

static int add_composed(bt_buf *out, char base, utf8proc_int32_t tone)
{
    utf8proc_int32_t c = base;
    if (tone) {
        utf8proc_uint8_t in[8], *res = NULL;
        char b[4];
        size_t bl = bt_utf8_encode((uint32_t)tone, b);
        in[0] = (utf8proc_uint8_t)base;
        memcpy(in + 1, b, bl);
        utf8proc_ssize_t n = utf8proc_map(in, (utf8proc_ssize_t)(1 + bl), &res,
                                          UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (n < 0)
            return -1;
        int rc = bt_buf_add(out, res, (size_t)n);
        free(res);
        return rc;
    }
    return add_cp(out, (uint32_t)c, 0, 1);
}

/* At s[i] (code points cps[0..n)): oa, oe or uy with one tone mark, on
 * either vowel, and no other mark: both spellings, (?:òa|oà).  Returns
 * 1 when written, 0 when there is no pair at i, -1 when out of memory. */
static int add_tone_pair(bt_buf *out, const uint32_t *cps, size_t n, size_t i)
{
    if (i + 1 >= n)
        return 0;
    utf8proc_int32_t t0, t1;
    char a = pair_vowel(cps[i], &t0), b = pair_vowel(cps[i + 1], &t1);
    char la = (char)(a | 0x20), lb = (char)(b | 0x20);
    if (!a || !b || !(t0 ? !t1 : t1) ||
        !((la == 'o' && (lb == 'a' || lb == 'e')) || (la == 'u' && lb == 'y')))
        return 0;
    utf8proc_int32_t t = t0 ? t0 : t1;
    if (bt_buf_adds(out, "(?:") < 0 || add_composed(out, a, t) < 0 ||
        add_composed(out, b, 0) < 0 || bt_buf_addc(out, '|') < 0 ||
        add_composed(out, a, 0) < 0 || add_composed(out, b, t) < 0 ||
        bt_buf_addc(out, ')') < 0)
        return -1;
    return 1;
}

static int decode_all(const char *s, size_t len, uint32_t **cps, size_t *n)
{
    *cps = malloc((len + 1) * sizeof **cps);
    *n = 0;
    if (!*cps)
        return -1;
    for (size_t i = 0; i < len; (*n)++)
        i += bt_utf8_next((const unsigned char *)s + i, len - i, &(*cps)[*n]);
    return 0;
}

/* A literal with diacritics (NFC): each tone pair spelled both ways. */
static int add_tone_literal(bt_buf *out, const char *s, size_t len)
{
    uint32_t *cps;
    size_t n;
    if (decode_all(s, len, &cps, &n) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        rc = add_tone_pair(out, cps, n, i);
        if (rc > 0)
            i++;
        else if (rc == 0)
            rc = add_cp(out, cps[i], 0, 1);
    }
    free(cps);
    return rc < 0 ? -1 : 0;
}

/* A regular expression with diacritics (NFC): the same for the tone pairs
 * of its literal text (outside classes, escapes and quantified letters),
 * and đ as [đð] (inside classes too). */
static int add_tone_regex(bt_buf *out, const char *s, size_t len)
{
    uint32_t *cps;
    size_t n;
    if (decode_all(s, len, &cps, &n) < 0)
        return -1;
    int rc = 0, in_class = 0;
    char enc[4];
    for (size_t i = 0; i < n && rc >= 0; i++) {
        uint32_t c = cps[i];
        if (c == '\\' && i + 1 < n && cps[i + 1] == 'Q') { /* \Q…\E: as it is */
            size_t e = i + 2;
            while (e + 1 < n && !(cps[e] == '\\' && cps[e + 1] == 'E'))
                e++;
            e = e + 1 < n ? e + 2 : n;
            for (; i < e && rc >= 0; i++)
                rc = bt_buf_add(out, enc, bt_utf8_encode(cps[i], enc));
            i--;
            continue;
        }
        if (c == '\\' && i + 1 < n) { /* an escape: copied as it is */
            rc = bt_buf_add(out, enc, bt_utf8_encode(c, enc)) < 0 ||
                         bt_buf_add(out, enc, bt_utf8_encode(cps[i + 1], enc)) < 0
                     ? -1 : 0;
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = 0;
            if (c == 0x111 || c == 0xF0 || c == 0x110 || c == 0xD0)
                rc = add_cp(out, c, 1, 1);
            else
                rc = bt_buf_add(out, enc, bt_utf8_encode(c, enc));
            continue;
        }
        if (c == '[') {
            in_class = 1;
            rc = bt_buf_addc(out, '[');
            if (rc == 0 && i + 1 < n && cps[i + 1] == '^')
                rc = bt_buf_addc(out, '^'), i++;
            if (rc == 0 && i + 1 < n && cps[i + 1] == ']') /* a ']' first is literal */
                rc = bt_buf_addc(out, ']'), i++;
            continue;
        }
        if (i + 2 >= n || !strchr("*+?{", cps[i + 2] < 0x80 ? (int)cps[i + 2] : 'x')) {
            rc = add_tone_pair(out, cps, n, i);
            if (rc > 0) {
                i++;
                continue;
            }
            if (rc < 0)
                break;
        }
        if (c == 0x111 || c == 0xF0 || c == 0x110 || c == 0xD0)
            rc = add_cp(out, c, 0, 1);
        else
            rc = bt_buf_add(out, enc, bt_utf8_encode(c, enc));
    }
    free(cps);
    return rc < 0 ? -1 : 0;
}

static int compile(mpattern *mp, const bt_buf *re, int caseless, const char *shown,
                   bt_error *err)
{
    int code;
    PCRE2_SIZE where;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0);
    mp->code = pcre2_compile((PCRE2_SPTR)re->data, re->len, opts, &code, &where, NULL);
    if (!mp->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        bt_error_set(err, BT_ERR_USAGE, "invalid regular expression \"%s\": %s", shown,
                     (char *)msg);
        return -1;
    }
    pcre2_jit_compile(mp->code, PCRE2_JIT_COMPLETE); /* faster when it can */
    mp->md = pcre2_match_data_create_from_pattern(mp->code, NULL);
    if (!mp->md) {
        pcre2_code_free(mp->code);
        bt_error_nomem(err, NULL);
        return -1;
    }
    return 0;
}

/* 1 when the pattern begins (side < 0) or ends (side > 0) with white
 * space, as bt_text_collapse_space sees it. */
static int edge_space(const char *s, size_t len, int side, bt_buf *tmp)
{
    bt_buf_reset(tmp);
    if ((side < 0 && bt_buf_addc(tmp, 'x') < 0) || bt_buf_add(tmp, s, len) < 0 ||
        (side > 0 && bt_buf_addc(tmp, 'x') < 0))
        return -1;
    size_t n = tmp->len;
    char *copy = bt_buf_detach(tmp);
    if (!copy)
        return -1;
    int rc = bt_text_collapse_space(copy, n, tmp);
    free(copy);
    if (rc < 0)
        return -1;
    return tmp->len >= 2 &&
           (side < 0 ? tmp->data[1] == ' ' : tmp->data[tmp->len - 2] == ' ');
}

/* The pattern (nfc) into re as the mode says: folded to its base letters,
 * its tone marks on either vowel, or as it is; a regex as written, a
 * literal escaped.  -1 when out of memory. */
static int add_pattern(bt_buf *re, const bt_buf *nfc, int regex, int fold, int tones,
                       bt_buf *folded)
{
    const char *s = nfc->data;
    size_t n = nfc->len;
    if (fold) {
        if (bt_fold(s, n, BT_FOLD_BASE_KEEPCASE, folded, NULL) < 0)
            return -1;
        s = folded->data, n = folded->len;
    } else if (tones) {
        return regex ? add_tone_regex(re, s, n) : add_tone_literal(re, s, n);
    }
    return regex ? bt_buf_add(re, s, n) : add_literal(re, s, n);
}

int bt_matcher_add(bt_matcher *m, const char *pattern, unsigned fields,
                   int required, bt_error *err)
{
    if (bt_grow_array((void **)&m->pats, &m->cap, m->npats + 1, sizeof *m->pats) < 0) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    mpattern *mp = &m->pats[m->npats];
    memset(mp, 0, sizeof *mp);
    mp->fields = fields;
    mp->required = required;
    mp->pf = -1;

    bt_buf text = BT_BUF_INIT, nfc = BT_BUF_INIT, folded = BT_BUF_INIT, re = BT_BUF_INIT,
           tmp = BT_BUF_INIT;
    int rc = -1, lead = 0, trail = 0;
    size_t plen = strlen(pattern);
    if (!m->o.regex) {
        /* white space inside is one space, at the edges a block edge too */
        if ((lead = edge_space(pattern, plen, -1, &tmp)) < 0 ||
            (trail = edge_space(pattern, plen, 1, &tmp)) < 0 ||
            bt_text_collapse_space(pattern, plen, &text) < 0)
            goto oom;
    } else if (bt_buf_add(&text, pattern, plen) < 0) {
        goto oom;
    }
    if (bt_fold(text.data, text.len, BT_FOLD_EXACT, &nfc, NULL) < 0)
        goto oom;
    int upper = m->o.regex ? regex_has_upper(nfc.data) : bt_has_upper(nfc.data, nfc.len);
    if (upper < 0)
        goto oom;
    int exact = m->o.exact && m->o.ignore_case <= 0;
    int caseless = m->o.ignore_case > 0 || (!m->o.ignore_case && !exact && !upper);
    int tones = !exact && (m->o.exact || bt_has_diacritics(nfc.data, nfc.len));
    mp->fold = !exact && !tones;
    if (m->o.regex) {
        if (add_pattern(&re, &nfc, 1, mp->fold, tones, &folded) < 0)
            goto oom;
    } else {
        mp->empty = nfc.len == 0;
        if (lead && bt_buf_adds(&re, "(?:^|\\s)") < 0)
            goto oom;
        if (m->o.word && bt_buf_adds(&re, "(?<!\\w)(?:") < 0)
            goto oom;
        if (add_pattern(&re, &nfc, 0, mp->fold, tones, &folded) < 0)
            goto oom;
        if (m->o.word && bt_buf_adds(&re, ")(?!\\w)") < 0)
            goto oom;
        if (trail && bt_buf_adds(&re, "(?:\\s|$)") < 0)
            goto oom;
    }
    if (compile(mp, &re, caseless, pattern, err) < 0)
        goto done;
    if (!m->o.regex && !mp->empty) {
        mp->pf = bt_prefilter_add(m->pf, nfc.data, nfc.len);
        if (mp->pf < 0) {
            pcre2_match_data_free(mp->md);
            pcre2_code_free(mp->code);
            goto oom;
        }
    }
    m->npats++;
    rc = 0;
    goto done;
oom:
    bt_error_nomem(err, NULL);
done:
    bt_buf_free(&text);
    bt_buf_free(&nfc);
    bt_buf_free(&folded);
    bt_buf_free(&re);
    bt_buf_free(&tmp);
    return rc;
}

/* ---- matching one block ---- */

static int match_failed(int r, bt_error *err)
{
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(r, msg, sizeof msg);
    bt_error_set(err, r == PCRE2_ERROR_NOMEMORY ? BT_ERR_NOMEM : BT_ERR_LIMIT,
                 "the pattern needs too much work here (%s)", (char *)msg);
    return -1;
}

/* mp on one block whose clean (NFC) text is s[0..len): 1, 0 or -1.  With
 * fn, calls it for each match and returns its first non-zero result. */
static int match_clean(bt_matcher *m, mpattern *mp, unsigned field, const char *s,
                       size_t len, bt_match_fn fn, void *ctx, bt_error *err)
{
    bt_buf_reset(&m->text);
    if (bt_text_collapse_space(s, len, &m->text) < 0)
        return bt_error_nomem(err, NULL), -1;
    const bt_buf *t = &m->text;
    if (!t->len)
        return 0; /* an empty block holds no match */
    if (mp->fold) {
        bt_buf_reset(&m->folded);
        free(m->offsets);
        m->offsets = NULL;
        if (bt_fold(m->text.data, m->text.len, BT_FOLD_BASE_KEEPCASE, &m->folded,
                    fn ? &m->offsets : NULL) < 0)
            return bt_error_nomem(err, NULL), -1;
        t = &m->folded;
    }
    PCRE2_SIZE at = 0;
    while (at <= t->len) {
        int r = pcre2_match(mp->code, (PCRE2_SPTR)t->data, t->len, at, 0, mp->md, m->mctx);
        if (r == PCRE2_ERROR_NOMATCH)
            return 0;
        if (r < 0)
            return match_failed(r, err);
        if (!fn)
            return 1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mp->md);
        size_t s0 = ov[0], e0 = ov[1];
        if (s0 > t->len || e0 > t->len || e0 < s0) /* \K can make these odd */
            e0 = s0 = s0 > t->len ? t->len : s0;
        size_t os = mp->fold ? m->offsets[s0] : s0, oe = mp->fold ? m->offsets[e0] : e0;
        if (oe < os)
            oe = os;
        int stop = fn(ctx, field, m->text.data, m->text.len, os, oe);
        if (stop)
            return stop;
        if (e0 > at) {
            at = e0;
        } else { /* an empty match: step over one character */
            at++;
            while (at < t->len && ((unsigned char)t->data[at] & 0xC0) == 0x80)
                at++;
        }
    }
    return 0;
}

/* mp on one block of plain text (as a parsed article holds it). */
static int match_plain(bt_matcher *m, mpattern *mp, unsigned field, const char *s,
                       size_t len, bt_match_fn fn, void *ctx, bt_error *err)
{
    bt_buf_reset(&m->clean);
    if (bt_text_clean(s, len, &m->clean) < 0)
        return bt_error_nomem(err, NULL), -1;
    return match_clean(m, mp, field, m->clean.data, m->clean.len, fn, ctx, err);
}

static int match_text(bt_matcher *m, mpattern *mp, unsigned field, const bt_text *t,
                      bt_match_fn fn, void *ctx, bt_error *err)
{
    bt_buf_reset(&m->plain);
    if (bt_text_plain(t, &m->plain) < 0)
        return bt_error_nomem(err, NULL), -1;
    return match_plain(m, mp, field, m->plain.data, m->plain.len, fn, ctx, err);
}

static int match_str(bt_matcher *m, mpattern *mp, unsigned field, const char *s,
                     bt_match_fn fn, void *ctx, bt_error *err)
{
    return s ? match_plain(m, mp, field, s, strlen(s), fn, ctx, err) : 0;
}

/* ---- a parsed article ---- */

/* mp on every block of its fields, in order: the first non-zero result. */
static int match_article(bt_matcher *m, mpattern *mp, const bt_article *a,
                         bt_match_fn fn, void *ctx, bt_error *err)
{
    int r = 0;
    if (mp->fields & BT_FIELD_TITLE)
        r = match_text(m, mp, BT_FIELD_TITLE, &a->title, fn, ctx, err);
    for (size_t i = 0; !r && (mp->fields & BT_FIELD_BODY) && i < a->nblocks; i++) {
        const bt_block *b = &a->blocks[i];
        if (b->kind == BT_BLOCK_LIST) {
            for (size_t k = 0; !r && k < b->nitems; k++)
                r = match_text(m, mp, BT_FIELD_BODY, &b->items[k], fn, ctx, err);
            continue;
        }
        r = match_text(m, mp, BT_FIELD_BODY, &b->text, fn, ctx, err); /* or the caption */
        for (size_t k = 0; !r && b->kind == BT_BLOCK_TABLE && k < b->nrows; k++)
            for (size_t c = 0; !r && c < b->rows[k].ncells; c++)
                r = match_text(m, mp, BT_FIELD_BODY, &b->rows[k].cells[c].text, fn, ctx,
                               err);
    }
    if (!r && (mp->fields & BT_FIELD_BYLINE))
        r = match_str(m, mp, BT_FIELD_BYLINE, a->byline, fn, ctx, err);
    if (!r && (mp->fields & BT_FIELD_SOURCE))
        r = match_str(m, mp, BT_FIELD_SOURCE, a->source_name, fn, ctx, err);
    for (size_t i = 0; !r && (mp->fields & BT_FIELD_RELATED) && i < a->nrelated; i++)
        r = match_str(m, mp, BT_FIELD_RELATED, a->related[i].text, fn, ctx, err);
    return r;
}

/* ---- a raw article ---- */

typedef struct raw_ctx {
    bt_matcher *m;
    mpattern *mp;
    const char *xml;
    bt_error *err;
} raw_ctx;

/* mp on one raw block: 1, 0, RAW_PARSE or -1. */
static int raw_block_matches(void *arg, const raw_block *b)
{
    raw_ctx *c = arg;
    bt_matcher *m = c->m;
    if (!(c->mp->fields & b->field))
        return 0;
    bt_buf_reset(&m->clean);
    int r = bt_raw_text(c->xml, b, &m->clean);
    if (r < 0)
        return bt_error_nomem(c->err, NULL), -1;
    if (r == RAW_PARSE)
        return RAW_PARSE;
    return match_clean(m, c->mp, b->field, m->clean.data, m->clean.len, NULL, NULL, c->err);
}

/* The raw bytes around a match at xml[start, end) in block b, widened to
 * white space (or the block's edges) on both sides and never ending
 * inside a tag: the text the program then sees holds the match and its
 * neighbours as the whole block would show them, so -w, the edges of
 * the pattern and ^/$ read the same. */
static raw_block widen(const char *xml, const raw_block *b, size_t start, size_t end)
{
    raw_block w = *b;
    size_t i = start;
    while (i > b->start) {
        char c = xml[i - 1];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        if (c == '>') { /* a tag: step over it */
            const char *lt = memrchr(xml + b->start, '<', i - 1 - b->start);
            i = lt ? (size_t)(lt - xml) : b->start;
            continue;
        }
        i--;
    }
    w.start = i;
    for (i = end; i < b->end; i++) {
        char c = xml[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        if (c == '<') {
            const char *gt = memchr(xml + i, '>', b->end - i);
            if (!gt)
                break;
            i = (size_t)(gt - xml);
        }
    }
    w.end = i;
    return w;
}

/* mp on a raw article: the places the prefilter finds, each judged on the
 * words around it; every block when the prefilter cannot judge mp. */
static int raw_matches(bt_matcher *m, mpattern *mp, const char *xml, size_t len,
                       bt_error *err)
{
    raw_ctx c = {m, mp, xml, err};
    if (mp->empty)
        return 1;
    if (mp->pf < 0 || !bt_prefilter_judges(m->pf, (size_t)mp->pf))
        return bt_raw_blocks(xml, len, mp->fields, raw_block_matches, &c);
    size_t from = 0;
    raw_block b = {0, 0, 0};
    while (from < len) {
        unsigned flags = 0;
        size_t h = bt_prefilter_scan(m->pf, (size_t)mp->pf, xml, from, len, SCAN_STOP_HIT,
                                     &flags), start, end;
        if (flags & BT_PF_ODD) /* a match may be anywhere: every block, then */
            return bt_raw_blocks(xml, len, mp->fields, raw_block_matches, &c);
        if (!(flags & BT_PF_HIT) || h >= len)
            return 0;
        from = h + 1;
        if (h >= b.end) { /* a block not seen yet */
            int r = bt_raw_block_at(xml, len, h, &b);
            if (r == RAW_PARSE)
                return RAW_PARSE;
            if (r == RAW_NO) {
                b.end = 0;
                continue;
            }
        }
        if (!(mp->fields & b.field)) {
            from = b.end;
            continue;
        }
        int r = bt_prefilter_span(m->pf, (size_t)mp->pf, xml, len, h, &start, &end);
        if (r == RAW_NO)
            continue;
        if (r == RAW_YES && start >= b.start && end <= b.end) {
            raw_block w = widen(xml, &b, start, end);
            r = raw_block_matches(&c, &w);
        } else { /* the whole block, then */
            r = raw_block_matches(&c, &b);
            from = b.end;
        }
        if (r)
            return r;
    }
    return 0;
}

/* ---- patterns together ---- */

typedef int (*pattern_fn)(bt_matcher *m, mpattern *mp, const void *arg, size_t len,
                          bt_error *err);

/* The patterns taken together (required ones, then --all or any of the
 * others), each asked with fn: 1, 0, or the first other result. */
static int combine(bt_matcher *m, pattern_fn fn, const void *arg, size_t len, bt_error *err)
{
    int others = 0;
    for (size_t i = 0; i < m->npats; i++) {
        mpattern *mp = &m->pats[i];
        if (!mp->required) {
            others = 1;
            if (!m->o.all)
                continue;
        }
        int r = fn(m, mp, arg, len, err);
        if (r != 1)
            return r;
    }
    if (!others || m->o.all)
        return 1;
    for (size_t i = 0; i < m->npats; i++) {
        if (m->pats[i].required)
            continue;
        int r = fn(m, &m->pats[i], arg, len, err);
        if (r)
            return r;
    }
    return 0;
}

static int parsed_fn(bt_matcher *m, mpattern *mp, const void *arg, size_t len,
                     bt_error *err)
{
    (void)len;
    return mp->empty ? 1 : match_article(m, mp, arg, NULL, NULL, err);
}

static int raw_fn(bt_matcher *m, mpattern *mp, const void *arg, size_t len, bt_error *err)
{
    return raw_matches(m, mp, arg, len, err);
}

int bt_matcher_article(bt_matcher *m, const bt_article *a, bt_error *err)
{
    return combine(m, parsed_fn, a, 0, err);
}

int bt_matcher_raw(bt_matcher *m, const char *xml, size_t len, bt_error *err)
{
    return combine(m, raw_fn, xml, len, err);
}

int bt_matcher_each(bt_matcher *m, const bt_article *a, bt_match_fn fn,
                    void *ctx, bt_error *err)
{
    for (size_t i = 0; i < m->npats; i++) {
        if (m->pats[i].empty)
            continue;
        int r = match_article(m, &m->pats[i], a, fn, ctx, err);
        if (r)
            return r;
    }
    return 0;
}

/* Steps back (n < 0) or forward over |n| characters within [0, len). */
static size_t step_chars(const char *s, size_t len, size_t at, long n)
{
    for (; n < 0 && at > 0; n++)
        while (--at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
            ;
    for (; n > 0 && at < len; n--)
        while (++at < len && ((unsigned char)s[at] & 0xC0) == 0x80)
            ;
    return at;
}

int bt_snippet(const char *text, size_t len, size_t start, size_t end, unsigned context,
               const char *on, const char *off, bt_buf *out)
{
    size_t from = step_chars(text, len, start, -(long)context);
    size_t to = step_chars(text, len, end, (long)context);
    return (from > 0 && bt_buf_adds(out, "…") < 0) ||
                   bt_buf_add(out, text + from, start - from) < 0 || bt_buf_adds(out, on) < 0 ||
                   bt_buf_add(out, text + start, end - start) < 0 || bt_buf_adds(out, off) < 0 ||
                   bt_buf_add(out, text + end, to - end) < 0 ||
                   (to < len && bt_buf_adds(out, "…") < 0)
               ? -1
               : 0;
}

/* ---- the prefilter ---- */

static int may_fn(bt_matcher *m, mpattern *mp, const void *arg, size_t len, bt_error *err)
{
    (void)err;
    return mp->pf < 0 || bt_prefilter_may(m->pf, (size_t)mp->pf, arg, len);
}

int bt_matcher_may_match(bt_matcher *m, const char *xml, size_t len)
{
    return combine(m, may_fn, xml, len, NULL) != 0;
}

static size_t hook_scan(void *ctx, const char *s, size_t from, size_t len, unsigned *flags)
{
    bt_matcher *m = ctx;
    size_t r = bt_prefilter_scan(m->pf, m->gate, s, from, len, SCAN_EVENTS, flags);
    if (*flags & BT_PF_ODD)
        *flags |= BT_SCAN_WANT; /* it may match: the matcher will see */
    return r;
}

static void hook_tune(void *ctx, const char *sample, size_t len)
{
    bt_matcher *m = ctx;
    bt_prefilter_tune(m->pf, m->gate, sample, len);
}

int bt_matcher_hook(bt_matcher *m, int skip, bt_artscan_hook *hook)
{
    size_t optional = 0;
    for (size_t i = 0; i < m->npats; i++)
        optional += !m->pats[i].required;
    for (size_t i = 0; i < m->npats; i++) {
        const mpattern *mp = &m->pats[i];
        /* a pattern every match needs: required, or --all, or the only
         * one that is not required */
        int needed = mp->required || m->o.all || optional == 1;
        if (needed && mp->pf >= 0 && bt_prefilter_can_fuse(m->pf, (size_t)mp->pf)) {
            m->gate = (size_t)mp->pf;
            hook->scan = hook_scan;
            hook->tune = hook_tune;
            hook->ctx = m;
            hook->skip = skip;
            return 1;
        }
    }
    return 0;
}

void bt_artscan_filter(bt_artscan *s, bt_matcher *m)
{
    bt_artscan_hook hook;
    bt_artscan_set_hook(s, m && bt_matcher_hook(m, 1, &hook) ? &hook : NULL);
}
