/*
 * The search matcher: patterns folded the way Vietnamese readers type,
 * matched with PCRE2 against an article's fields.
 *
 * Every pattern, literal or not, becomes one PCRE2 program (literals are
 * escaped), so -w, smart case and the Unicode rules are the same for
 * both.  The folding itself is bt_fold's (lib/text_vn.c): a pattern and
 * the text are folded with the same mode and compared.  Case is left to
 * PCRE2 (PCRE2_CASELESS in UTF mode), so the folds used here keep case
 * and a regular expression's escapes (\S, \W, \p{Lu}) are never folded
 * into something else:
 *
 *   --exact                   BT_FOLD_EXACT          (NFC only)
 *   pattern with diacritics   BT_FOLD_TONES          (ủy = uỷ, NFC = NFD)
 *   pattern without           BT_FOLD_BASE_KEEPCASE  (diacritics gone, đ = d)
 *
 * Literal patterns also go to the byte-level prefilter (search_prefilter.c),
 * which lets a search skip, unparsed, the articles that cannot match.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "search_int.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

enum { NFIELDS = 5, NMODES = 5 };

static const char *const field_names[NFIELDS] = {"title", "body", "byline",
                                                 "source", "related"};

typedef struct mpattern {
    pcre2_code *code;
    pcre2_match_data *md;
    bt_fold_mode mode;
    unsigned fields;
    int required;
    long pf; /* index in the prefilter, or -1 */
    int nonempty; /* a literal with some text */
} mpattern;

struct bt_matcher {
    bt_match_opts o;
    mpattern *pats;
    size_t npats, cap;
    bt_prefilter *pf;
    /* The fields of the article being matched: plain text, then folded
     * per mode with offsets back into the plain text. */
    bt_buf text[NFIELDS];
    int have_text[NFIELDS];
    bt_buf folded[NFIELDS][NMODES];
    size_t *offsets[NFIELDS][NMODES];
    int have_folded[NFIELDS][NMODES];
    bt_buf scratch;
    bt_buf block, block_folded; /* match_blocks */
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
    if (!m || !(m->pf = bt_prefilter_new())) {
        free(m);
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t f = 0; f < NFIELDS; f++) {
        bt_buf_init(&m->text[f], 0);
        for (size_t k = 0; k < NMODES; k++)
            bt_buf_init(&m->folded[f][k], 0);
    }
    bt_buf_init(&m->scratch, 0);
    bt_buf_init(&m->block, 0);
    bt_buf_init(&m->block_folded, 0);
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
    for (size_t f = 0; f < NFIELDS; f++) {
        bt_buf_free(&m->text[f]);
        for (size_t k = 0; k < NMODES; k++) {
            bt_buf_free(&m->folded[f][k]);
            free(m->offsets[f][k]);
        }
    }
    bt_buf_free(&m->scratch);
    bt_buf_free(&m->block);
    bt_buf_free(&m->block_folded);
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

/* Escapes a literal for PCRE2: every ASCII character that is not a
 * letter or digit gets a backslash. */
static int escape_literal(const char *s, size_t len, bt_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int plain = c >= 0x80 || (c >= '0' && c <= '9') ||
                    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        if (c == '\0') {
            if (bt_buf_adds(out, "\\x{0}") < 0)
                return -1;
            continue;
        }
        if ((!plain && bt_buf_addc(out, '\\') < 0) || bt_buf_addc(out, (char)c) < 0)
            return -1;
    }
    return 0;
}

static int compile(bt_matcher *m, mpattern *mp, const char *src, size_t len,
                   int caseless, const char *shown, bt_error *err)
{
    bt_buf re = BT_BUF_INIT;
    int rc = -1;
    if (m->o.word) {
        if (bt_buf_adds(&re, "(?<!\\w)(?:") < 0 || bt_buf_add(&re, src, len) < 0 ||
            bt_buf_adds(&re, ")(?!\\w)") < 0)
            goto oom;
    } else if (bt_buf_add(&re, src, len) < 0) {
        goto oom;
    }
    int code;
    PCRE2_SIZE where;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0);
    mp->code = pcre2_compile((PCRE2_SPTR)re.data, re.len, opts,
                             &code, &where, NULL);
    if (!mp->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        bt_error_set(err, BT_ERR_USAGE, "invalid regular expression \"%s\": %s", shown, (char *)msg);
        goto done;
    }
    pcre2_jit_compile(mp->code, PCRE2_JIT_COMPLETE); /* faster when it can */
    mp->md = pcre2_match_data_create_from_pattern(mp->code, NULL);
    if (!mp->md)
        goto oom;
    rc = 0;
    goto done;
oom:
    bt_error_set(err, BT_ERR_NOMEM, "out of memory");
done:
    bt_buf_free(&re);
    return rc;
}

int bt_matcher_add(bt_matcher *m, const char *pattern, unsigned fields,
                   int required, bt_error *err)
{
    if (bt_grow_array((void **)&m->pats, &m->cap, m->npats + 1, sizeof *m->pats) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return -1;
    }
    mpattern *mp = &m->pats[m->npats];
    memset(mp, 0, sizeof *mp);
    mp->fields = fields;
    mp->required = required;
    mp->pf = -1;

    bt_buf text = BT_BUF_INIT, folded = BT_BUF_INIT, src = BT_BUF_INIT;
    int rc = -1;
    size_t plen = strlen(pattern);
    if (!m->o.regex) {
        /* field text has its white space collapsed, so the pattern too */
        if (bt_text_collapse_space(pattern, plen, &text) < 0)
            goto oom;
    } else if (bt_buf_add(&text, pattern, plen) < 0) {
        goto oom;
    }
    const char *t = text.data;
    int upper = m->o.regex ? regex_has_upper(t) : bt_has_upper(t, text.len);
    if (upper < 0)
        goto oom;
    int caseless = m->o.ignore_case > 0 || (!m->o.ignore_case && !m->o.exact && !upper);
    if (m->o.exact)
        mp->mode = BT_FOLD_EXACT;
    else if (bt_has_diacritics(t, text.len))
        mp->mode = BT_FOLD_TONES;
    else
        mp->mode = BT_FOLD_BASE_KEEPCASE;
    if (bt_fold(t, text.len, mp->mode, &folded, NULL) < 0)
        goto oom;
    const char *f = folded.data;
    if (m->o.regex) {
        if (bt_buf_add(&src, f, folded.len) < 0)
            goto oom;
    } else if (escape_literal(f, folded.len, &src) < 0) {
        goto oom;
    }
    if (compile(m, mp, src.data, src.len, caseless, pattern, err) < 0)
        goto done;
    mp->nonempty = !m->o.regex && folded.len > 0;
    if (!m->o.regex) {
        mp->pf = bt_prefilter_add(m->pf, t, text.len);
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
    bt_error_set(err, BT_ERR_NOMEM, "out of memory");
done:
    bt_buf_free(&text);
    bt_buf_free(&folded);
    bt_buf_free(&src);
    return rc;
}

/* ---- the prefilter ---- */

int bt_matcher_may_match(bt_matcher *m, const char *xml, size_t len)
{
    int any = 0, others = 0;
    for (size_t i = 0; i < m->npats; i++) {
        const mpattern *mp = &m->pats[i];
        if (!mp->required) {
            others = 1;
            if (!m->o.all)
                continue;
        }
        if (mp->pf >= 0 && !bt_prefilter_may(m->pf, (size_t)mp->pf, xml, len))
            return 0;
    }
    if (!others || m->o.all)
        return 1;
    for (size_t i = 0; i < m->npats && !any; i++) {
        const mpattern *mp = &m->pats[i];
        if (!mp->required)
            any = mp->pf < 0 || bt_prefilter_may(m->pf, (size_t)mp->pf, xml, len);
    }
    return any;
}

int bt_matcher_gate(bt_matcher *m, bt_prefilter **pf, size_t *idx)
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
            *pf = m->pf;
            *idx = (size_t)mp->pf;
            return 1;
        }
    }
    return 0;
}

/* ---- field text ---- */

/* Appends s collapsed to out, a '\n' before it when out holds a block
 * already (so that matches cannot run from one block into the next). */
static int add_plain(bt_buf *out, const char *s, size_t len)
{
    size_t mark = out->len;
    if (out->len && bt_buf_addc(out, '\n') < 0)
        return -1;
    size_t start = out->len;
    if (bt_text_collapse_space(s, len, out) < 0)
        return -1;
    if (out->len == start) { /* nothing but white space: no block */
        out->len = mark;
        if (out->data)
            out->data[mark] = '\0';
    }
    return 0;
}

static int add_text(bt_matcher *m, bt_buf *out, const bt_text *t)
{
    bt_buf_reset(&m->scratch);
    if (bt_text_plain(t, &m->scratch) < 0)
        return -1;
    return m->scratch.len ? add_plain(out, m->scratch.data, m->scratch.len) : 0;
}

static int field_text(bt_matcher *m, const bt_article *a, size_t f)
{
    if (m->have_text[f])
        return 0;
    bt_buf *out = &m->text[f];
    bt_buf_reset(out);
    int rc = 0;
    switch (f) {
    case 0:
        rc = add_text(m, out, &a->title);
        break;
    case 1:
        for (size_t i = 0; i < a->nblocks && !rc; i++) {
            const bt_block *b = &a->blocks[i];
            if (b->kind == BT_BLOCK_LIST)
                for (size_t k = 0; k < b->nitems && !rc; k++)
                    rc = add_text(m, out, &b->items[k]);
            else
                rc = add_text(m, out, &b->text);
        }
        break;
    case 2:
        if (a->byline)
            rc = add_plain(out, a->byline, strlen(a->byline));
        break;
    case 3:
        if (a->source_name)
            rc = add_plain(out, a->source_name, strlen(a->source_name));
        break;
    case 4:
        for (size_t i = 0; i < a->nrelated && !rc; i++)
            if (a->related[i].text)
                rc = add_plain(out, a->related[i].text, strlen(a->related[i].text));
        break;
    }
    if (rc < 0)
        return -1;
    if (bt_buf_grow(out, 0) < 0) /* data is never NULL from here on */
        return -1;
    m->have_text[f] = 1;
    return 0;
}

/* The field folded for mode; with offsets only when asked (they cost). */
static int field_folded(bt_matcher *m, const bt_article *a, size_t f,
                        bt_fold_mode mode, int want_offsets)
{
    if (m->have_folded[f][mode] && (m->offsets[f][mode] || !want_offsets))
        return 0;
    if (field_text(m, a, f) < 0)
        return -1;
    bt_buf *out = &m->folded[f][mode];
    bt_buf_reset(out);
    free(m->offsets[f][mode]);
    m->offsets[f][mode] = NULL;
    if (bt_fold(m->text[f].data, m->text[f].len, mode, out,
                want_offsets ? &m->offsets[f][mode] : NULL) < 0 ||
        bt_buf_grow(out, 0) < 0)
        return -1;
    m->have_folded[f][mode] = 1;
    return 0;
}

static void forget_article(bt_matcher *m)
{
    memset(m->have_text, 0, sizeof m->have_text);
    memset(m->have_folded, 0, sizeof m->have_folded);
}

/* ---- matching ---- */

/* Without fn: 1 when mp matches field f, 0 when not, -1 on error.
 * With fn: calls it for each match; its first non-zero result, else 0. */
static int match_field(bt_matcher *m, mpattern *mp, const bt_article *a, size_t f,
                       bt_match_fn fn, void *ctx, bt_error *err)
{
    if (field_folded(m, a, f, mp->mode, fn != NULL) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return -1;
    }
    const bt_buf *t = &m->folded[f][mp->mode];
    const size_t *off = m->offsets[f][mp->mode];
    PCRE2_SIZE at = 0;
    while (at <= t->len) {
        int r = pcre2_match(mp->code, (PCRE2_SPTR)t->data, t->len, at, 0, mp->md, NULL);
        if (r == PCRE2_ERROR_NOMATCH)
            break;
        if (r < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(r, msg, sizeof msg);
            bt_error_set(err, BT_ERR_LIMIT, "matching failed: %s", (char *)msg);
            return -1;
        }
        if (!fn)
            return 1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(mp->md);
        size_t s = ov[0], e = ov[1];
        if (s > t->len || e > t->len || e < s) /* \K can make these odd */
            e = s = s > t->len ? t->len : s;
        size_t os = off[s], oe = off[e];
        if (oe < os) /* a tone mark moved by the fold: keep the span sane */
            oe = os;
        int stop = fn(ctx, 1u << f, m->text[f].data, m->text[f].len, os, oe);
        if (stop)
            return stop;
        if (e > at)
            at = e;
        else { /* an empty match: step over one character */
            at++;
            while (at < t->len && ((unsigned char)t->data[at] & 0xC0) == 0x80)
                at++;
        }
    }
    return 0;
}

/* 1 when mp matches one block of text t, 0 when not, -1 on error. */
static int match_block(bt_matcher *m, mpattern *mp, const bt_text *t, bt_error *err)
{
    bt_buf_reset(&m->scratch);
    bt_buf_reset(&m->block);
    bt_buf_reset(&m->block_folded);
    if (bt_text_plain(t, &m->scratch) < 0 ||
        (m->scratch.len &&
         bt_text_collapse_space(m->scratch.data, m->scratch.len, &m->block) < 0) ||
        (m->block.len &&
         bt_fold(m->block.data, m->block.len, mp->mode, &m->block_folded, NULL) < 0)) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return -1;
    }
    if (!m->block_folded.len)
        return 0; /* a literal with text cannot match nothing */
    int r = pcre2_match(mp->code, (PCRE2_SPTR)m->block_folded.data, m->block_folded.len,
                        0, 0, mp->md, NULL);
    if (r == PCRE2_ERROR_NOMATCH)
        return 0;
    if (r < 0) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(r, msg, sizeof msg);
        bt_error_set(err, BT_ERR_LIMIT, "matching failed: %s", (char *)msg);
        return -1;
    }
    return 1;
}

/* The body, block by block, stopping at the first that matches: the
 * same answer as match_field for a literal pattern (a literal holds no
 * '\n', so it cannot run from one block into the next, and a block's
 * edges are non-word characters to -w either way), without folding the
 * rest of the body. */
static int match_blocks(bt_matcher *m, mpattern *mp, const bt_article *a, bt_error *err)
{
    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *b = &a->blocks[i];
        size_t n = b->kind == BT_BLOCK_LIST ? b->nitems : 1;
        for (size_t k = 0; k < n; k++) {
            int r = match_block(m, mp, b->kind == BT_BLOCK_LIST ? &b->items[k] : &b->text,
                                err);
            if (r)
                return r;
        }
    }
    return 0;
}

static int pattern_matches(bt_matcher *m, mpattern *mp, const bt_article *a,
                           bt_error *err)
{
    for (size_t f = 0; f < NFIELDS; f++) {
        if (!(mp->fields & (1u << f)))
            continue;
        int r = f == 1 && mp->nonempty && m->npats == 1
                    ? match_blocks(m, mp, a, err)
                    : match_field(m, mp, a, f, NULL, NULL, err);
        if (r)
            return r;
    }
    return 0;
}

int bt_matcher_article(bt_matcher *m, const bt_article *a, bt_error *err)
{
    forget_article(m);
    int others = 0, any = 0;
    for (size_t i = 0; i < m->npats; i++) {
        mpattern *mp = &m->pats[i];
        if (!mp->required) {
            others = 1;
            if (!m->o.all)
                continue;
        }
        int r = pattern_matches(m, mp, a, err);
        if (r <= 0)
            return r;
    }
    if (!others || m->o.all)
        return 1;
    for (size_t i = 0; i < m->npats && !any; i++) {
        mpattern *mp = &m->pats[i];
        if (mp->required)
            continue;
        int r = pattern_matches(m, mp, a, err);
        if (r < 0)
            return -1;
        any = r;
    }
    return any;
}

int bt_matcher_each(bt_matcher *m, const bt_article *a, bt_match_fn fn,
                    void *ctx, bt_error *err)
{
    forget_article(m);
    for (size_t i = 0; i < m->npats; i++) {
        for (size_t f = 0; f < NFIELDS; f++) {
            if (!(m->pats[i].fields & (1u << f)))
                continue;
            int r = match_field(m, &m->pats[i], a, f, fn, ctx, err);
            if (r)
                return r;
        }
    }
    return 0;
}
