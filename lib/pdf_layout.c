/* Turning articles into laid-out pieces: fonts, inline styles, links and
 * the block styles (title, paragraphs, headings, quotes, lists…).  Every
 * layout is made in the one PangoContext of pdf_fonts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pdf_int.h"

/* Paragraphs longer than this are laid out in pieces, so that no word
 * (a run without spaces) is ever longer than this. */
#define CHUNK_BYTES 8192

static PangoFontDescription *derive(const PangoFontDescription *base,
                                    double scale, PangoWeight weight,
                                    PangoStyle style)
{
    PangoFontDescription *d = pango_font_description_copy(base);
    if (!d)
        return NULL;
    pango_font_description_set_size(
        d, (gint)(pango_font_description_get_size(base) * scale + 0.5));
    pango_font_description_set_weight(d, weight);
    pango_font_description_set_style(d, style);
    return d;
}

static pdf_cache *cache_new(void);

int pdf_fonts_init(pdf_fonts *f, const char *font, bt_error *err)
{
    memset(f, 0, sizeof *f);
    PangoFontMap *map = pango_cairo_font_map_get_default();
    f->ctx = pango_font_map_create_context(map);
    f->cache = cache_new();
    f->body = pango_font_description_from_string(font ? font
                                                      : bt_pdf_default_font());
    if (!f->ctx || !f->body || !f->cache)
        goto oom;
    if (pango_font_description_get_size(f->body) <= 0)
        pango_font_description_set_size(f->body, (gint)(10.5 * PANGO_SCALE));
    if (pango_font_description_get_size_is_absolute(f->body))
        pango_font_description_set_size(
            f->body, pango_font_description_get_size(f->body));
    f->size = pango_font_description_get_size(f->body) / (double)PANGO_SCALE;

    /* Unhinted metrics and unrounded positions: the PDF is scalable, and
     * the same numbers must come out when measuring and when drawing. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(f->ctx, 72); /* 1 unit = 1 point */
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    pango_context_set_language(f->ctx, pango_language_from_string("vi"));

    f->italic = derive(f->body, 1, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC);
    f->title = derive(f->body, 1.9, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    f->meta = derive(f->body, 0.85, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC);
    f->head = derive(f->body, 1.15, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    f->small_head = derive(f->body, 0.9, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    f->furniture = derive(f->body, 0.8, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
    f->masthead = derive(f->body, 2.6, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    f->toc = derive(f->body, 1, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    f->cell = derive(f->body, 0.9, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL);
    f->section = derive(f->body, 1.35, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    f->run_on_title = derive(f->body, 1.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL);
    if (!f->italic || !f->title || !f->meta || !f->head || !f->small_head ||
        !f->furniture || !f->masthead || !f->toc || !f->cell || !f->section || !f->run_on_title)
        goto oom;
    return 0;
oom:
    pdf_fonts_free(f);
    bt_error_nomem(err, NULL);
    return -1;
}

static void cache_free(pdf_cache *c);

void pdf_fonts_free(pdf_fonts *f)
{
    PangoFontDescription **all[] = {&f->body, &f->italic, &f->title,
                                    &f->meta, &f->head, &f->small_head,
                                    &f->furniture, &f->masthead, &f->toc,
                                    &f->cell, &f->section, &f->run_on_title};
    for (size_t i = 0; i < BT_ARRAY_LEN(all); i++) {
        if (*all[i])
            pango_font_description_free(*all[i]);
        *all[i] = NULL;
    }
    cache_free(f->cache);
    f->cache = NULL;
    if (f->ctx)
        g_object_unref(f->ctx);
    f->ctx = NULL;
}

/* ---- Rich text: the spans of a bt_text as text plus style ranges ---- */

enum { RUN_EM = 1, RUN_STRONG = 2, RUN_LINK = 4 };

typedef struct run {
    int start, end;
    unsigned style;
    const char *href; /* borrowed from the article */
} run;

typedef struct rich {
    bt_buf text;
    run *runs;
    size_t nruns, cap;
    int space; /* a space is pending (collapsed white space) */
} rich;

/* Only links a reader can safely follow become clickable. */
static int link_allowed(const char *href)
{
    static const char *const schemes[] = {"http://", "https://", "mailto:",
                                          "ftp://"};
    if (!href)
        return 0;
    for (size_t i = 0; i < BT_ARRAY_LEN(schemes); i++)
        if (!strncasecmp(href, schemes[i], strlen(schemes[i])))
            return 1;
    return 0;
}

/* Appends s, white space runs collapsed to one space (the XML keeps line
 * breaks of the source; a printed paragraph does not). */
static int rich_add(rich *r, const char *s, unsigned style, const char *href)
{
    if (!g_utf8_validate(s, -1, NULL)) {
        /* Not from the reader (which cleans its input): never hand pango
         * bytes it would refuse. */
        char *valid = g_utf8_make_valid(s, -1);
        int rc = valid ? rich_add(r, valid, style, href) : -1;
        g_free(valid);
        return rc;
    }
    int start = -1;
    for (const char *p = s; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v') {
            r->space = r->text.len > 0 && r->text.data[r->text.len - 1] != '\t';
            p++;
            continue;
        }
        if (r->space) {
            if (bt_buf_addc(&r->text, ' ') < 0)
                return -1;
            r->space = 0;
        }
        if (start < 0)
            start = (int)r->text.len;
        if (c < 0x20 || c == 0x7f) {
            /* Other control characters would show as boxes. */
            if (bt_buf_addc(&r->text, ' ') < 0)
                return -1;
            p++;
            continue;
        }
        size_t n = 1; /* copy the whole run of ordinary bytes at once */
        while (p[n] && ((unsigned char)p[n] > ' ' && (unsigned char)p[n] != 0x7f))
            n++;
        if (bt_buf_add(&r->text, p, n) < 0)
            return -1;
        p += n;
    }
    if (r->text.len > (size_t)1 << 30)
        return -1;
    if (start < 0 || (!style && !link_allowed(href)))
        return 0;
    unsigned st = style | (link_allowed(href) ? RUN_LINK : 0);
    if (bt_grow_array((void **)&r->runs, &r->cap, r->nruns + 1, sizeof *r->runs) < 0)
        return -1;
    r->runs[r->nruns++] = (run){start, (int)r->text.len, st,
                                (st & RUN_LINK) ? href : NULL};
    return 0;
}

static int rich_add_text(rich *r, const bt_text *t)
{
    for (size_t i = 0; i < t->nspans; i++) {
        unsigned st = 0;
        if (t->spans[i].style & BT_STYLE_EM)
            st |= RUN_EM;
        if (t->spans[i].style & BT_STYLE_STRONG)
            st |= RUN_STRONG;
        if (t->spans[i].text && rich_add(r, t->spans[i].text, st, t->spans[i].href) < 0)
            return -1;
    }
    return 0;
}

static void rich_free(rich *r)
{
    bt_buf_free(&r->text);
    free(r->runs);
    memset(r, 0, sizeof *r);
    bt_buf_init(&r->text, 0);
}

/* ---- Shaped words ----
 *
 * PangoLayout shapes a paragraph whole, then shapes each line again once
 * it has broken it, and a bulletin lays everything out twice: shaping was
 * most of xml2pdf's time.  Here text is cut into words at spaces, each
 * word is shaped once per font and kept in a cache (a common word is
 * shaped once per document), lines are broken greedily at spaces (inside
 * a word only when it is wider than the line), and drawn with
 * pango_cairo_show_glyph_item, which keeps the text layer.  pango still
 * chooses the fonts (pango_itemize: styles, fallback fonts, scripts). */

typedef struct pdf_word {
    PangoFont *font;       /* a reference (may be NULL: no font at all) */
    int level, script;
    unsigned hash;
    int len;                 /* bytes of text */
    int width;               /* pango units */
    int nglyphs;
    PangoGlyphInfo *glyphs;  /* in the same block, after the text */
    int *clusters;           /* byte offsets from the word's start */
    char text[];
} pdf_word;

typedef struct font_metrics {
    PangoFont *font; /* a reference */
    int ascent, descent, ul_pos, ul_thick;
} font_metrics;

#define CACHE_SLOTS 32768     /* open addressing, a power of two */
#define CACHE_MAX_WORDS 16384 /* then the cache starts again */
#define CACHE_WORD_BYTES 64   /* longer words are shaped for their piece only */

/* The font of a block font in a style (RUN_EM, RUN_STRONG), and which
 * characters below U+2100 it has (2 bits each: 0 unknown, 1 yes, 2 no). */
#define COVER_LIMIT 0x2100
typedef struct style_font {
    const PangoFontDescription *base;
    unsigned style;
    PangoFont *font; /* a reference; NULL when none could be loaded */
    unsigned char cover[COVER_LIMIT / 4];
} style_font;

/* The hash is kept next to the pointer: one cache line per probe. */
typedef struct cache_slot {
    unsigned hash;
    pdf_word *w;
} cache_slot;

struct pdf_cache {
    cache_slot slot[CACHE_SLOTS];
    style_font **sfonts;
    size_t nsfonts, sfonts_cap;
    size_t nwords;
    font_metrics *metrics;
    size_t nmetrics, metrics_cap;
    PangoGlyphString *scratch; /* the glyphs of one run being drawn */
    PangoGlyphString *shaped;  /* pango_shape's output, copied into words */
};

enum { BOX_WORD, BOX_SPACE, BOX_TAB };

/* A word, a space or a tab: the glyphs [g0, g1) of w, bytes [start,
 * start+len) of the text; base is where w's text starts. */
typedef struct pdf_box {
    const pdf_word *w;
    int item;
    int start, len, base;
    int g0, g1;
    int width; /* pango units */
    unsigned char kind, link;
    unsigned char brk; /* a line may break after it (after "/" or "-") */
    unsigned hash;     /* of the word, for the cache */
} pdf_box;

struct pdf_text {
    pdf_cache *cache;
    char *text;
    int len;
    PangoItem **items;
    font_metrics *imetrics; /* each item's font's (font not referenced) */
    int nitems;
    int rtl; /* some item runs right to left */
    pdf_box *boxes;
    size_t nboxes, cap;
    pdf_word **owned; /* words too long for the cache */
    size_t nowned, owned_cap;
};

static void word_free(pdf_word *w)
{
    if (!w)
        return;
    if (w->font)
        g_object_unref(w->font);
    free(w);
}

static unsigned word_hash(const PangoFont *font, int level, int script,
                          const char *s, int len)
{
    unsigned h = 2166136261u;
    uintptr_t fp = (uintptr_t)font;
    for (size_t i = 0; i < sizeof fp; i++) {
        h ^= (unsigned char)(fp >> (8 * i));
        h *= 16777619u;
    }
    h = (h ^ (unsigned)level) * 16777619u;
    h = (h ^ (unsigned)script) * 16777619u;
    for (int i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static pdf_word *shape_word(pdf_cache *c, const PangoItem *item, const char *s,
                            int len, unsigned hash)
{
    if (!c->shaped && !(c->shaped = pango_glyph_string_new()))
        return NULL;
    PangoAnalysis an = item->analysis;
    an.extra_attrs = NULL;
    an.flags = 0;
    PangoGlyphString *gs = c->shaped;
    pango_shape_with_flags(s, len, s, len, &an, gs, PANGO_SHAPE_NONE);
    size_t n = gs->num_glyphs > 0 ? (size_t)gs->num_glyphs : 0;
    /* One block: the struct, the text, the glyphs (aligned), the clusters. */
    size_t text_end = sizeof(pdf_word) + (size_t)len + 1;
    size_t gpos = (text_end + 7) & ~(size_t)7;
    size_t cpos = gpos + n * sizeof(PangoGlyphInfo);
    pdf_word *w = malloc(cpos + n * sizeof(int));
    if (!w)
        return NULL;
    memset(w, 0, sizeof *w);
    memcpy(w->text, s, (size_t)len);
    w->text[len] = '\0';
    w->len = len;
    w->hash = hash;
    w->level = item->analysis.level;
    w->script = item->analysis.script;
    w->nglyphs = (int)n;
    w->glyphs = (PangoGlyphInfo *)((char *)w + gpos);
    w->clusters = (int *)((char *)w + cpos);
    if (n) {
        memcpy(w->glyphs, gs->glyphs, n * sizeof(PangoGlyphInfo));
        memcpy(w->clusters, gs->log_clusters, n * sizeof(int));
    }
    for (size_t i = 0; i < n; i++)
        w->width += w->glyphs[i].geometry.width;
    if (item->analysis.font)
        w->font = g_object_ref(item->analysis.font);
    return w;
}

static const pdf_word *get_word(pdf_cache *c, pdf_text *t, const PangoItem *item,
                                const char *s, int len, unsigned h)
{
    if (len > CACHE_WORD_BYTES) {
        if (bt_grow_array((void **)&t->owned, &t->owned_cap, t->nowned + 1,
                          sizeof *t->owned) < 0)
            return NULL;
        pdf_word *w = shape_word(c, item, s, len, 0);
        if (w)
            t->owned[t->nowned++] = w;
        return w;
    }
    PangoFont *font = item->analysis.font;
    int level = item->analysis.level, script = item->analysis.script;
    size_t i = h & (CACHE_SLOTS - 1);
    for (; c->slot[i].w; i = (i + 1) & (CACHE_SLOTS - 1)) {
        const pdf_word *w = c->slot[i].w;
        if (c->slot[i].hash == h && w->font == font && w->level == level &&
            w->script == script && w->len == len && !memcmp(w->text, s, (size_t)len))
            return w;
    }
    if (c->nwords >= CACHE_SLOTS / 2) {
        /* Full (only between trims, in very long front matter): keep
         * the word for this text alone. */
        if (bt_grow_array((void **)&t->owned, &t->owned_cap, t->nowned + 1,
                          sizeof *t->owned) < 0)
            return NULL;
        pdf_word *w = shape_word(c, item, s, len, h);
        if (w)
            t->owned[t->nowned++] = w;
        return w;
    }
    pdf_word *w = shape_word(c, item, s, len, h);
    if (!w)
        return NULL;
    c->slot[i].hash = h;
    c->slot[i].w = w;
    c->nwords++;
    return w;
}

static const font_metrics *get_metrics(pdf_cache *c, PangoFont *font,
                                       PangoLanguage *lang)
{
    for (size_t i = 0; i < c->nmetrics; i++)
        if (c->metrics[i].font == font)
            return &c->metrics[i];
    if (bt_grow_array((void **)&c->metrics, &c->metrics_cap, c->nmetrics + 1,
                      sizeof *c->metrics) < 0)
        return NULL;
    PangoFontMetrics *m = pango_font_get_metrics(font, lang);
    if (!m)
        return NULL;
    font_metrics *fm = &c->metrics[c->nmetrics++];
    fm->font = font ? g_object_ref(font) : NULL;
    fm->ascent = pango_font_metrics_get_ascent(m);
    fm->descent = pango_font_metrics_get_descent(m);
    fm->ul_pos = pango_font_metrics_get_underline_position(m);
    fm->ul_thick = pango_font_metrics_get_underline_thickness(m);
    pango_font_metrics_unref(m);
    return fm;
}

static void cache_clear_words(pdf_cache *c)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        word_free(c->slot[i].w);
        c->slot[i].w = NULL;
    }
    c->nwords = 0;
}

static pdf_cache *cache_new(void)
{
    return calloc(1, sizeof(pdf_cache));
}

static void cache_free(pdf_cache *c)
{
    if (!c)
        return;
    cache_clear_words(c);
    for (size_t i = 0; i < c->nmetrics; i++)
        if (c->metrics[i].font)
            g_object_unref(c->metrics[i].font);
    free(c->metrics);
    for (size_t i = 0; i < c->nsfonts; i++) {
        if (c->sfonts[i]->font)
            g_object_unref(c->sfonts[i]->font);
        free(c->sfonts[i]);
    }
    free(c->sfonts);
    if (c->scratch)
        pango_glyph_string_free(c->scratch);
    if (c->shaped)
        pango_glyph_string_free(c->shaped);
    free(c);
}

void pdf_fonts_trim(pdf_fonts *f)
{
    if (f->cache && f->cache->nwords > CACHE_MAX_WORDS)
        cache_clear_words(f->cache);
}

static void text_free(pdf_text *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->nitems; i++)
        pango_item_free(t->items[i]);
    free(t->items);
    free(t->imetrics);
    for (size_t i = 0; i < t->nowned; i++)
        word_free(t->owned[i]);
    free(t->owned);
    free(t->boxes);
    free(t->text);
    free(t);
}

static pdf_box *add_box(pdf_text *t)
{
    pdf_box *b = bt_array_add((void **)&t->boxes, &t->cap, &t->nboxes, sizeof *t->boxes);
    if (!b)
        return NULL;
    return b;
}

/* Is byte i inside a link of pc? */
static int in_link(const pdf_piece *pc, int i)
{
    for (size_t k = 0; k < pc->nlinks; k++)
        if (i >= pc->links[k].start && i < pc->links[k].end)
            return 1;
    return 0;
}

/* The next link boundary after byte i (or len). */
static int link_edge(const pdf_piece *pc, int i, int len)
{
    int e = len;
    for (size_t k = 0; k < pc->nlinks; k++) {
        if (pc->links[k].start > i && pc->links[k].start < e)
            e = pc->links[k].start;
        if (pc->links[k].end > i && pc->links[k].end < e)
            e = pc->links[k].end;
    }
    return e;
}

typedef struct style_run {
    int start, end;
    unsigned style;
} style_run;

static style_font *style_font_for(pdf_cache *c, PangoContext *ctx,
                                  const PangoFontDescription *base,
                                  unsigned style)
{
    for (size_t i = 0; i < c->nsfonts; i++)
        if (c->sfonts[i]->base == base && c->sfonts[i]->style == style)
            return c->sfonts[i];
    if (bt_grow_array((void **)&c->sfonts, &c->sfonts_cap, c->nsfonts + 1,
                      sizeof *c->sfonts) < 0)
        return NULL;
    style_font *sf = calloc(1, sizeof *sf);
    PangoFontDescription *d =
        pango_font_description_copy(pango_context_get_font_description(ctx));
    if (!sf || !d) {
        free(sf);
        if (d)
            pango_font_description_free(d);
        return NULL;
    }
    pango_font_description_merge(d, base, TRUE);
    if (style & RUN_EM)
        pango_font_description_set_style(d, PANGO_STYLE_ITALIC);
    if (style & RUN_STRONG)
        pango_font_description_set_weight(d, PANGO_WEIGHT_BOLD);
    sf->base = base;
    sf->style = style;
    sf->font = pango_context_load_font(ctx, d);
    pango_font_description_free(d);
    c->sfonts[c->nsfonts++] = sf;
    return sf;
}

/* Characters whose item pango_itemize would give without surprises: Latin
 * (Vietnamese included), common punctuation, combining marks; no bidi
 * controls, separators or zero-width characters. */
static int plain_char(gunichar ch)
{
    if (ch == '\t')
        return 1;
    if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
        return 0;
    if (ch < 0x370 || (ch >= 0x1e00 && ch < 0x1f00) || (ch >= 0x20a0 && ch < 0x20d0))
        return 1;
    return ch >= 0x2010 && ch < 0x2028 && ch != 0x2028;
}

static int latin_letter(gunichar ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           (ch >= 0xc0 && ch < 0x250 && ch != 0xd7 && ch != 0xf7) ||
           (ch >= 0x1e00 && ch < 0x1f00);
}

static int covered(style_font *sf, gunichar ch)
{
    if (ch == '\t')
        return 1;
    unsigned char *b = &sf->cover[ch / 4];
    int sh = (int)(ch % 4) * 2, v = (*b >> sh) & 3;
    if (!v) {
        v = pango_font_has_char(sf->font, ch) ? 1 : 2;
        *b = (unsigned char)(*b | (v << sh));
    }
    return v == 1;
}

/* The items of plain text (see plain_char) that every character's own
 * style font has: one per style run, as pango_itemize would make them,
 * without its cost.  0, or 1 when pango must itemize, -1 out of memory. */
static int simple_items(const pdf_fonts *f, pdf_text *t,
                        const PangoFontDescription *base, const style_run *runs,
                        size_t nruns)
{
    size_t r = 0, cap = 0;
    int latin = 0, item_start = 0, item_chars = 0, chars = 0;
    style_font *cur = NULL;
    for (int p = 0; p <= t->len;) {
        style_font *sf = NULL;
        gunichar ch = 0;
        if (p < t->len) {
            ch = g_utf8_get_char(t->text + p);
            if (!plain_char(ch))
                return 1;
            while (r < nruns && runs[r].end <= p)
                r++;
            unsigned style = r < nruns && runs[r].start <= p ? runs[r].style : 0;
            if (!cur || style != cur->style)
                sf = style_font_for(t->cache, f->ctx, base, style);
            else
                sf = cur;
            if (!sf)
                return -1;
            if (!sf->font || !covered(sf, ch))
                return 1;
            latin |= latin_letter(ch);
        }
        if (cur && sf != cur) {
            if (bt_grow_array((void **)&t->items, &cap, (size_t)t->nitems + 1,
                              sizeof *t->items) < 0)
                return -1;
            PangoItem *it = pango_item_new();
            if (!it)
                return -1;
            it->offset = item_start;
            it->length = p - item_start;
            it->num_chars = chars - item_chars;
            it->analysis.font = g_object_ref(cur->font);
            it->analysis.level = 0;
            it->analysis.gravity = PANGO_GRAVITY_SOUTH;
            it->analysis.language = pango_context_get_language(f->ctx);
            t->items[t->nitems++] = it;
            item_start = p;
            item_chars = chars;
        }
        cur = sf;
        if (p == t->len)
            break;
        p = (int)(g_utf8_next_char(t->text + p) - t->text);
        chars++;
    }
    for (int i = 0; i < t->nitems; i++)
        t->items[i]->analysis.script = latin ? PANGO_SCRIPT_LATIN : PANGO_SCRIPT_COMMON;
    return 0;
}

/* Ideographs, kana and their punctuation: a line may break after each. */
static int cjk_char(gunichar ch)
{
    return (ch >= 0x2e80 && ch < 0xa000) || (ch >= 0xf900 && ch < 0xfb00) ||
           (ch >= 0xff00 && ch < 0xfff0) || (ch >= 0x20000 && ch < 0x30000);
}

/* Itemizes s and cuts it into shaped boxes. */
static pdf_text *text_new(const pdf_fonts *f, const pdf_piece *pc,
                          const char *s, int len, PangoAttrList *attrs,
                          const PangoFontDescription *base,
                          const style_run *runs, size_t nruns)
{
    pdf_text *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cache = f->cache;
    t->text = malloc((size_t)len + 1);
    if (!t->text)
        goto fail;
    memcpy(t->text, s, (size_t)len);
    t->text[len] = '\0';
    t->len = len;
    int simple = simple_items(f, t, base, runs, nruns);
    if (simple < 0)
        goto fail;
    if (simple) {
        for (int i = 0; i < t->nitems; i++)
            pango_item_free(t->items[i]);
        free(t->items);
        t->items = NULL;
        t->nitems = 0;
        GList *items = pango_itemize(f->ctx, t->text, 0, len, attrs, NULL);
        int n = (int)g_list_length(items);
        t->items = malloc((n > 0 ? (size_t)n : 1) * sizeof *t->items);
        if (!t->items) {
            g_list_free_full(items, (GDestroyNotify)pango_item_free);
            goto fail;
        }
        for (GList *l = items; l; l = l->next)
            t->items[t->nitems++] = l->data;
        g_list_free(items);
    }

    t->imetrics = malloc((t->nitems > 0 ? (size_t)t->nitems : 1) * sizeof *t->imetrics);
    if (!t->imetrics)
        goto fail;
    for (int i = 0; i < t->nitems; i++) {
        const font_metrics *m = get_metrics(t->cache, t->items[i]->analysis.font,
                                            pango_context_get_language(f->ctx));
        if (!m)
            goto fail;
        t->imetrics[i] = *m;
    }
    for (int i = 0; i < t->nitems; i++)
        t->rtl |= t->items[i]->analysis.level % 2;
    for (int i = 0; i < t->nitems; i++) {
        const PangoItem *it = t->items[i];
        int p = it->offset, end = it->offset + it->length;
        while (p < end) {
            int q = p + 1, kind = BOX_WORD, brk = 0;
            if (t->text[p] == ' ')
                kind = BOX_SPACE;
            else if (t->text[p] == '\t')
                kind = BOX_TAB;
            else {
                int stop = pc->nlinks ? link_edge(pc, p, end) : end;
                int pc0 = p; /* where the previous character starts */
                while (q < stop && t->text[q] != ' ' && t->text[q] != '\t') {
                    if (((unsigned char)t->text[q] & 0xC0) == 0x80) {
                        q++;
                        continue;
                    }
                    /* As in UAX #14: a break after "/" or "-" inside a
                     * word, unless a digit, "/" or "-" follows; and after
                     * every CJK ideograph or kana. */
                    char prev = t->text[q - 1], next = t->text[q];
                    if ((prev == '/' || prev == '-') && q - 1 > p &&
                        !(next >= '0' && next <= '9') && next != '/' && next != '-') {
                        brk = 1;
                        break;
                    }
                    if ((unsigned char)t->text[pc0] >= 0xE2 &&
                        cjk_char(g_utf8_get_char(t->text + pc0))) {
                        brk = 1;
                        break;
                    }
                    pc0 = q++;
                }
            }
            pdf_box *b = add_box(t);
            if (!b)
                goto fail;
            b->item = i;
            b->start = b->base = p;
            b->len = q - p;
            b->kind = (unsigned char)kind;
            b->link = pc->nlinks && in_link(pc, p);
            b->brk = (unsigned char)brk;
            if (kind != BOX_TAB && q - p <= CACHE_WORD_BYTES) {
                b->hash = word_hash(it->analysis.font, it->analysis.level,
                                    it->analysis.script, t->text + p, q - p);
                /* Look the words up once all are known: the memory
                 * fetches overlap instead of waiting one by one. */
                __builtin_prefetch(&t->cache->slot[b->hash & (CACHE_SLOTS - 1)]);
            }
            p = q;
        }
    }
    for (size_t k = 0; k < t->nboxes; k++) {
        pdf_box *b = &t->boxes[k];
        if (k + 2 < t->nboxes) {
            const pdf_word *ahead =
                t->cache->slot[t->boxes[k + 2].hash & (CACHE_SLOTS - 1)].w;
            if (ahead)
                __builtin_prefetch(ahead);
        }
        if (b->kind == BOX_TAB)
            continue;
        b->w = get_word(t->cache, t, t->items[b->item], t->text + b->start, b->len,
                        b->hash);
        if (!b->w)
            goto fail;
        b->g1 = b->w->nglyphs;
        b->width = b->w->width;
    }
    return t;
fail:
    text_free(t);
    return NULL;
}

static int glyph_range_width(const pdf_word *w, int g0, int g1)
{
    int x = 0;
    for (int g = g0; g < g1; g++)
        x += w->glyphs[g].geometry.width;
    return x;
}

/* Box k is wider than room: cuts it after the last whole cluster that
 * fits (after the first one when force), the rest becoming box k+1.
 * 1 when cut, 0 when nothing fits, -1 when out of memory. */
static int split_box(pdf_text *t, size_t k, int room, int force)
{
    pdf_box *b = &t->boxes[k];
    if (!b->w || b->w->level % 2 || b->g1 - b->g0 < 2)
        return 0;
    const int *cl = b->w->clusters;
    int x = 0, cut = -1;
    for (int g = b->g0; g < b->g1;) {
        int e = g + 1;
        while (e < b->g1 && cl[e] == cl[g])
            e++;
        x += glyph_range_width(b->w, g, e);
        if (x > room && !(force && cut < 0))
            break;
        cut = e;
        g = e;
    }
    if (cut < 0 || cut >= b->g1)
        return 0;
    if (!add_box(t))
        return -1;
    b = &t->boxes[k];
    memmove(b + 2, b + 1, (t->nboxes - k - 2) * sizeof *b);
    pdf_box *r = b + 1;
    *r = *b;
    int cut_byte = b->base + cl[cut];
    r->g0 = cut;
    r->start = cut_byte;
    r->len = b->start + b->len - cut_byte;
    r->width = glyph_range_width(b->w, r->g0, r->g1);
    b->g1 = cut;
    b->len = cut_byte - b->start;
    b->width = glyph_range_width(b->w, b->g0, b->g1);
    return 1;
}

/* Breaks the boxes into lines of width W (pango units); with a hanging
 * indent, lines after the first start at hang, where the tab goes. */
static int break_lines(const pdf_fonts *f, pdf_piece *pc, PangoAlignment align,
                       int justify, int W, int hang)
{
    pdf_text *t = pc->text;
    size_t cap = 0, i = 0;
    int first = 1, y = 0;
    while (i < t->nboxes) {
        int x0 = first ? 0 : hang, x = x0, x_end = x0;
        size_t b0 = i, line_end = i;
        first = 0;
        while (i < t->nboxes) {
            size_t j = i;
            int uw = 0;
            while (j < t->nboxes && t->boxes[j].kind == BOX_WORD) {
                uw += t->boxes[j++].width;
                if (t->boxes[j - 1].brk)
                    break;
            }
            if (i > b0 && x + uw > W)
                break;
            if (i == b0 && x + uw > W && uw > 0) {
                /* A word wider than the line: as much as fits. */
                size_t k = i;
                while (k < j && x + t->boxes[k].width <= W)
                    x += t->boxes[k++].width;
                if (k < j) {
                    int rc = split_box(t, k, W - x, k == b0);
                    if (rc < 0)
                        return -1;
                    if (rc > 0 || k == b0)
                        x += t->boxes[k++].width;
                }
                line_end = i = k;
                x_end = x;
                break;
            }
            x += uw;
            i = line_end = j;
            x_end = x;
            if (i < t->nboxes && t->boxes[i].kind == BOX_TAB) {
                int tx = hang > x ? hang : x + (int)(f->size * PANGO_SCALE / 2);
                t->boxes[i].width = tx - x;
                x = x_end = tx;
                line_end = ++i;
            } else if (i < t->nboxes && t->boxes[i].kind == BOX_SPACE) {
                x += t->boxes[i++].width; /* a space: trailing unless more fits */
            }
        }
        pdf_line *l = bt_array_add((void **)&pc->lines, &cap, &pc->nlines, sizeof *pc->lines);
        if (!l)
            return -1;
        l->box0 = b0;
        l->box1 = line_end;
        size_t mlast = line_end > b0 ? line_end : b0 + 1;
        int asc = 0, desc = 0, spaces = 0;
        for (size_t k = b0; k < mlast && k < t->nboxes; k++) {
            const font_metrics *m = &t->imetrics[t->boxes[k].item];
            if (m->ascent > asc)
                asc = m->ascent;
            if (m->descent > desc)
                desc = m->descent;
            if (k < line_end && t->boxes[k].kind == BOX_SPACE)
                spaces++;
        }
        int avail = W - x0, nat = x_end - x0, off = 0;
        if (justify && align == PANGO_ALIGN_LEFT && i < t->nboxes && spaces > 0 &&
            nat < avail)
            l->space_extra = (avail - nat) / (double)spaces / PANGO_SCALE;
        else if (align == PANGO_ALIGN_CENTER && nat < avail)
            off = (avail - nat) / 2;
        else if (align == PANGO_ALIGN_RIGHT && nat < avail)
            off = avail - nat;
        l->x = (x0 + off) / (double)PANGO_SCALE;
        l->top = y / (double)PANGO_SCALE;
        l->baseline = (y + asc) / (double)PANGO_SCALE;
        y += asc + desc;
        l->bottom = y / (double)PANGO_SCALE;
        if (b0 < t->nboxes) {
            size_t last = line_end > b0 ? line_end - 1 : b0;
            l->start = t->boxes[b0].start;
            l->len = t->boxes[last].start + t->boxes[last].len - l->start;
        }
    }
    return 0;
}

/* Draws the boxes idx[0..n) (or box0.. box0+n-1 when idx is NULL) as one
 * run of glyphs from x on the baseline; returns its width. */
static double draw_run(cairo_t *cr, const pdf_piece *pc, const pdf_line *l,
                       const size_t *idx, size_t box0, size_t n, double x,
                       double base, int *color)
{
    const pdf_text *t = pc->text;
    pdf_cache *c = t->cache;
#define BOX(k) (&t->boxes[idx ? idx[k] : box0 + (k)])
    const pdf_box *bx = BOX(0);
    int ng = 0;
    for (size_t k = 0; k < n; k++)
        ng += BOX(k)->g1 - BOX(k)->g0;
    if (!c->scratch && !(c->scratch = pango_glyph_string_new()))
        return 0;
    PangoGlyphString *gs = c->scratch;
    pango_glyph_string_set_size(gs, ng);
    int gi = 0, seg = bx->start;
    double w = 0;
    for (size_t k = 0; k < n; k++) {
        const pdf_box *q = BOX(k);
        for (int g = q->g0; g < q->g1; g++, gi++) {
            gs->glyphs[gi] = q->w->glyphs[g];
            gs->log_clusters[gi] = q->base + q->w->clusters[g] - seg;
        }
        double ww = q->width / (double)PANGO_SCALE;
        if (q->kind == BOX_SPACE && l->space_extra > 0 && gi > 0) {
            int extra = (int)(l->space_extra * PANGO_SCALE + 0.5);
            gs->glyphs[gi - 1].geometry.width += extra;
            ww += extra / (double)PANGO_SCALE;
        }
        w += ww;
    }
    const pdf_box *lastb = BOX(n - 1);
#undef BOX
    PangoItem item = *t->items[bx->item];
    item.offset = seg;
    item.length = lastb->start + lastb->len - seg;
    item.num_chars = (int)g_utf8_strlen(t->text + seg, item.length);
    PangoGlyphItem gitem = {.item = &item, .glyphs = gs};
    if (*color != bx->link) {
        if (bx->link)
            cairo_set_source_rgb(cr, 0x1a / 255.0, 0x3b / 255.0, 0x8c / 255.0);
        else
            cairo_set_source_rgb(cr, pc->gray, pc->gray, pc->gray);
        *color = bx->link;
    }
    cairo_move_to(cr, x, base);
    pango_cairo_show_glyph_item(cr, t->text, &gitem);
    if (bx->link) {
        const font_metrics *m = &t->imetrics[bx->item];
        double th = m->ul_thick / (double)PANGO_SCALE;
        cairo_rectangle(cr, x, base - m->ul_pos / (double)PANGO_SCALE, w,
                        th > 0 ? th : 0.5);
        cairo_fill(cr);
    }
    return w;
}

static double box_width(const pdf_line *l, const pdf_box *bx)
{
    double w = bx->width / (double)PANGO_SCALE;
    if (bx->kind == BOX_SPACE && l->space_extra > 0)
        w += (int)(l->space_extra * PANGO_SCALE + 0.5) / (double)PANGO_SCALE;
    return w;
}

/* A line with right-to-left runs: each run's boxes in reverse order (the
 * glyphs of a box are already in visual order), one box at a time. */
static void draw_line_rtl(cairo_t *cr, const pdf_piece *pc, const pdf_line *l,
                          double x, double base)
{
    const pdf_text *t = pc->text;
    size_t n = l->box1 - l->box0;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return;
    for (size_t k = 0; k < n; k++)
        order[k] = l->box0 + k;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && t->items[t->boxes[order[e]].item]->analysis.level % 2)
            e++;
        for (size_t a = k, b = e; a + 1 < b; a++, b--) {
            size_t tmp = order[a];
            order[a] = order[b - 1];
            order[b - 1] = tmp;
        }
        k = e > k ? e : k + 1;
    }
    int color = -1;
    for (size_t k = 0; k < n; k++) {
        const pdf_box *bx = &t->boxes[order[k]];
        if (bx->kind == BOX_TAB || bx->g1 <= bx->g0)
            x += box_width(l, bx);
        else
            x += draw_run(cr, pc, l, &order[k], 0, 1, x, base, &color);
    }
    free(order);
}

void pdf_draw_line(cairo_t *cr, const pdf_piece *pc, size_t li, double x0,
                   double y0)
{
    const pdf_text *t = pc->text;
    const pdf_line *l = &pc->lines[li];
    double x = x0 + l->x, base = y0 + l->baseline;
    if (t->rtl) {
        draw_line_rtl(cr, pc, l, x, base);
        return;
    }
    int color = -1;
    for (size_t b = l->box0; b < l->box1;) {
        const pdf_box *bx = &t->boxes[b];
        if (bx->kind == BOX_TAB || bx->g1 <= bx->g0) {
            x += box_width(l, bx);
            b++;
            continue;
        }
        size_t e = b + 1;
        while (e < l->box1 && t->boxes[e].item == bx->item &&
               t->boxes[e].kind != BOX_TAB && t->boxes[e].link == bx->link &&
               t->boxes[e].g1 > t->boxes[e].g0)
            e++;
        x += draw_run(cr, pc, l, NULL, b, e - b, x, base, &color);
        b = e;
    }
}

int pdf_line_x_range(const pdf_piece *pc, size_t li, int s, int e, double *xa,
                     double *xb)
{
    const pdf_text *t = pc->text;
    const pdf_line *l = &pc->lines[li];
    double x = l->x;
    int found = 0;
    for (size_t b = l->box0; b < l->box1; b++) {
        const pdf_box *bx = &t->boxes[b];
        double w = box_width(l, bx);
        if (bx->start < e && bx->start + bx->len > s) {
            if (!found)
                *xa = x;
            *xb = x + w;
            found = 1;
        }
        x += w;
    }
    return found;
}

/* ---- Pieces ---- */

void pdf_piece_clear(pdf_piece *pc)
{
    text_free(pc->text);
    for (size_t j = 0; j < pc->nlinks; j++)
        free(pc->links[j].href);
    free(pc->links);
    free(pc->lines);
    free(pc->src);
    memset(pc, 0, sizeof *pc);
}

void pdf_pieces_clear(pdf_pieces *p)
{
    for (size_t i = 0; i < p->n; i++)
        pdf_piece_clear(&p->v[i]);
    p->n = 0;
    for (size_t i = 0; i < p->ntables; i++)
        pdf_table_free(p->tables[i]);
    p->ntables = 0;
}

void pdf_pieces_free(pdf_pieces *p)
{
    pdf_pieces_clear(p);
    free(p->v);
    free(p->tables);
    memset(p, 0, sizeof *p);
}

static pdf_piece *new_piece(pdf_pieces *p)
{
    pdf_piece *pc = bt_array_add((void **)&p->v, &p->cap, &p->n, sizeof *p->v);
    if (!pc)
        return NULL;
    return pc;
}

typedef struct piece_style {
    const PangoFontDescription *font;
    PangoAlignment align;
    int justify;
    double indent_left, indent_right;
    double hang;        /* hanging indent for a bullet or number */
    double space_before;
    double gray;
    int keep_next, full_width, whole;
} piece_style;

/* Lays out text[a, b) of r as one piece. */
static int add_piece(const pdf_fonts *f, pdf_pieces *out, const rich *r,
                     int a, int b, const piece_style *st, double width)
{
    pdf_piece *pc = new_piece(out);
    if (!pc)
        return -1;
    pc->indent = st->indent_left;
    pc->space_before = st->space_before;
    pc->gray = st->gray;
    pc->keep_next = st->keep_next != 0;
    pc->full_width = st->full_width != 0;
    pc->whole = st->whole != 0;
    style_run *sruns = NULL;
    size_t nsruns = 0;
    PangoAttrList *attrs = pango_attr_list_new();
    PangoAttribute *fa = pango_attr_font_desc_new(st->font);
    if (!attrs || !fa)
        goto oom;
    fa->start_index = 0;
    fa->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
    pango_attr_list_insert(attrs, fa);
    double w = width - st->indent_left - st->indent_right;
    if (w < 2 * f->size)
        w = 2 * f->size;
    sruns = malloc((r->nruns ? r->nruns : 1) * sizeof *sruns);
    if (!sruns)
        goto oom;
    for (size_t i = 0; i < r->nruns; i++) {
        int s = r->runs[i].start > a ? r->runs[i].start : a;
        int e = r->runs[i].end < b ? r->runs[i].end : b;
        if (s >= e)
            continue;
        unsigned style = r->runs[i].style;
        PangoAttribute *at[2] = {NULL, NULL};
        if (style & RUN_EM)
            at[0] = pango_attr_style_new(PANGO_STYLE_ITALIC);
        if (style & RUN_STRONG)
            at[1] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        if (style & RUN_LINK) {
            if (bt_grow_array((void **)&pc->links, &pc->links_cap,
                              pc->nlinks + 1, sizeof *pc->links) < 0)
                goto oom;
            pc->links[pc->nlinks] = (pdf_link){s - a, e - a,
                                                bt_strdup(r->runs[i].href)};
            if (!pc->links[pc->nlinks++].href)
                goto oom;
        }
        if (style & (RUN_EM | RUN_STRONG))
            sruns[nsruns++] = (style_run){s - a, e - a, style & (RUN_EM | RUN_STRONG)};
        for (int k = 0; k < 2; k++) {
            if (!at[k])
                continue;
            at[k]->start_index = (guint)(s - a);
            at[k]->end_index = (guint)(e - a);
            pango_attr_list_insert(attrs, at[k]);
        }
    }
    pc->text = text_new(f, pc, r->text.data + a, b - a, attrs,
                        st->font, sruns, nsruns);
    pango_attr_list_unref(attrs);
    attrs = NULL;
    free(sruns);
    sruns = NULL;
    if (!pc->text ||
        break_lines(f, pc, st->align, st->justify, (int)(w * PANGO_SCALE),
                    (int)(st->hang * PANGO_SCALE)) < 0)
        goto oom;
    return 0;
oom:
    if (attrs)
        pango_attr_list_unref(attrs);
    free(sruns);
    return -1;
}

/* Lays out r as one piece, or as several when it is enormous, cut at a
 * space when there is one near the end of a chunk. */
static int add_rich(const pdf_fonts *f, pdf_pieces *out, const rich *r,
                    const piece_style *st, double width)
{
    int len = (int)r->text.len, a = 0;
    if (len == 0)
        return 0;
    piece_style s = *st;
    while (a < len) {
        int b = len;
        if (len - a > CHUNK_BYTES) {
            b = a + CHUNK_BYTES;
            int cut = b;
            while (cut > a + CHUNK_BYTES / 2 && r->text.data[cut] != ' ')
                cut--;
            if (r->text.data[cut] == ' ')
                b = cut + 1;
            while (b > a && ((unsigned char)r->text.data[b] & 0xC0) == 0x80)
                b--; /* never cut inside a UTF-8 sequence */
        }
        if (add_piece(f, out, r, a, b, &s, width) < 0)
            return -1;
        s.space_before = 0; /* the chunks read as one paragraph */
        s.hang = 0;
        a = b;
    }
    return 0;
}

static int add_text(const pdf_fonts *f, pdf_pieces *out, const char *prefix,
                    const bt_text *t, const piece_style *st, double width)
{
    rich r = {BT_BUF_INIT, NULL, 0, 0, 0};
    int rc = -1;
    if (prefix && bt_buf_adds(&r.text, prefix) < 0)
        goto done;
    if (rich_add_text(&r, t) < 0)
        goto done;
    rc = (prefix && r.text.len == strlen(prefix)) ? 0 : add_rich(f, out, &r, st, width);
done:
    rich_free(&r);
    return rc;
}

pdf_piece *pdf_plain_piece(const pdf_fonts *f, pdf_pieces *out,
                           const char *text, const PangoFontDescription *font,
                           double width, int align, bt_error *err)
{
    rich r = {BT_BUF_INIT, NULL, 0, 0, 0};
    piece_style st = {.font = font, .align = (PangoAlignment)align};
    size_t before = out->n;
    int rc = rich_add(&r, text ? text : "", 0, NULL);
    if (rc == 0 && r.text.len == 0)
        rc = bt_buf_adds(&r.text, " "); /* an empty line still has a height */
    if (rc == 0)
        rc = add_rich(f, out, &r, &st, width);
    rich_free(&r);
    if (rc < 0 || out->n != before + 1) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    return &out->v[before];
}

pdf_piece *pdf_text_piece(const pdf_fonts *f, pdf_pieces *out, const bt_text *t,
                          const PangoFontDescription *font, int align,
                          double width, bt_error *err)
{
    rich r = {BT_BUF_INIT, NULL, 0, 0, 0};
    piece_style st = {.font = font, .align = (PangoAlignment)align};
    size_t before = out->n;
    int rc = rich_add_text(&r, t);
    if (rc == 0 && r.text.len > CHUNK_BYTES) {
        size_t cut = CHUNK_BYTES;
        while (cut > 0 && ((unsigned char)r.text.data[cut] & 0xC0) == 0x80)
            cut--;
        r.text.len = cut;
        r.text.data[cut] = '\0';
        rc = bt_buf_adds(&r.text, "…");
        for (size_t i = 0; i < r.nruns; i++)
            if (r.runs[i].end > (int)cut)
                r.runs[i].end = r.runs[i].start < (int)cut ? (int)cut : r.runs[i].start;
    }
    if (rc == 0 && r.text.len == 0)
        rc = bt_buf_adds(&r.text, " ");
    if (rc == 0)
        rc = add_piece(f, out, &r, 0, (int)r.text.len, &st, width);
    rich_free(&r);
    if (rc < 0 || out->n != before + 1) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    return &out->v[before];
}

int pdf_text_pieces(const pdf_fonts *f, pdf_pieces *out, const bt_text *t,
                    const PangoFontDescription *font, int align, double width)
{
    piece_style st = {.font = font, .align = (PangoAlignment)align};
    size_t before = out->n;
    if (add_text(f, out, NULL, t, &st, width) < 0)
        return -1;
    return (int)(out->n - before);
}

void pdf_piece_widths(const pdf_piece *pc, double *min, double *max)
{
    const pdf_text *t = pc->text;
    int word = 0, widest = 0, all = 0, trailing = 0;
    for (size_t i = 0; t && i < t->nboxes; i++) {
        const pdf_box *b = &t->boxes[i];
        all += b->width;
        if (b->kind == BOX_WORD) {
            word += b->width;
            trailing = 0;
            if (word > widest)
                widest = word;
            if (b->brk)
                word = 0;
        } else {
            word = 0;
            trailing += b->width;
        }
    }
    *min = widest / (double)PANGO_SCALE;
    *max = (all - trailing) / (double)PANGO_SCALE;
}

int pdf_piece_rebreak(const pdf_fonts *f, pdf_piece *pc, double width, int align)
{
    free(pc->lines);
    pc->lines = NULL;
    pc->nlines = 0;
    if (width < f->size)
        width = f->size;
    return break_lines(f, pc, (PangoAlignment)align, 0, (int)(width * PANGO_SCALE), 0);
}

char *pdf_shorten(const char *s, size_t max_chars)
{
    size_t n = 0, i = 0;
    for (; s[i] && n < max_chars; n++) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    if (!s[i])
        return bt_strdup(s);
    /* Back to the last space, unless that loses most of the text. */
    size_t cut = i;
    while (cut > 0 && s[cut - 1] != ' ')
        cut--;
    if (cut > i / 2) {
        while (cut > 0 && s[cut - 1] == ' ')
            cut--;
        i = cut;
    }
    char *out = malloc(i + 4);
    if (!out)
        return NULL;
    memcpy(out, s, i);
    memcpy(out + i, "…", 4); /* 3 bytes + NUL */
    return out;
}

/* Says what became of a figure's image, in the layout that is drawn. */
static void figure_notice(const pdf_frame *fr, const char *src, const char *what)
{
    if (!fr->notice || !fr->report)
        return;
    bt_buf m = BT_BUF_INIT;
    if (bt_buf_addf(&m, "%s: %s", src, what) == 0)
        fr->notice(m.data, 0, fr->notice_ctx);
    bt_buf_free(&m);
}

/* A figure: its image scaled to the column (never past its size at 96
 * pixels an inch, never taller than half the page), or a small frame
 * when the file cannot be had, then its caption, the two never apart.  A
 * remote image is never fetched: its caption alone. */
static int figure_pieces(const pdf_fonts *f, const pdf_frame *fr, const bt_block *b,
                         pdf_pieces *out, double space_before)
{
    const double sz = f->size, colw = fr->column_width;
    int has_caption = !bt_text_is_empty(&b->text);
    size_t first = out->n;
    if (b->src && *b->src) {
        pdf_image_info info;
        const char *why = NULL;
        int remote = bt_src_is_remote(b->src);
        if (remote) {
            figure_notice(fr, b->src, "remote image not fetched, caption only");
        } else {
            pdf_piece *pc = new_piece(out);
            if (!pc)
                return -1;
            if (pdf_image_probe(b->src, &info, &why) == 0) {
                double w = info.width * 0.75, h = info.height * 0.75;
                double maxh = 0.5 * fr->column_height;
                if (w > colw) {
                    h *= colw / w;
                    w = colw;
                }
                if (h > maxh) {
                    w *= maxh / h;
                    h = maxh;
                }
                pc->kind = PDF_PIECE_IMAGE;
                pc->img = info;
                if (!(pc->src = bt_strdup(b->src)))
                    return -1;
                pc->width = w;
                pc->height = h;
            } else {
                figure_notice(fr, b->src, why);
                pc->kind = PDF_PIECE_FRAME;
                pc->width = colw * 0.5;
                pc->height = 3 * sz;
            }
            pc->indent = (colw - pc->width) / 2;
            pc->whole = 1;
            pc->keep_next = has_caption;
            pc->space_before = space_before;
            if (!(pc->lines = calloc(1, sizeof *pc->lines)))
                return -1;
            pc->nlines = 1;
            pc->lines[0].bottom = pc->lines[0].baseline = pc->height;
        }
    }
    if (!has_caption)
        return 0;
    piece_style st = {.font = f->meta, .align = PANGO_ALIGN_CENTER, .gray = 0.35,
                      .whole = 1,
                      .space_before = out->n > first ? 0.35 * sz : space_before};
    return add_text(f, out, NULL, &b->text, &st, colw);
}

int pdf_article_pieces(const pdf_fonts *f, const pdf_frame *fr,
                       const bt_article *a, const bt_words *w,
                       pdf_pieces *out, bt_error *err)
{
    const double sz = f->size, colw = fr->column_width;

    piece_style title = {.font = fr->run_on ? f->run_on_title : f->title,
                         .align = PANGO_ALIGN_LEFT, .keep_next = 1, .full_width = 1};
    if (add_text(f, out, NULL, &a->title, &title, fr->full_width) < 0)
        goto oom;

    /* Date (as people read it) and site under the title, small and grey. */
    bt_buf meta = BT_BUF_INIT;
    int rc = bt_date_human(a->date_text, a->date_when, w->code, &meta);
    if (rc == 0 && a->source_name && *a->source_name)
        rc = bt_buf_addf(&meta, "%s%s", meta.len ? " · " : "", a->source_name);
    if (rc == 0 && meta.len) {
        rich r = {BT_BUF_INIT, NULL, 0, 0, 0};
        piece_style st = {.font = f->meta, .align = PANGO_ALIGN_LEFT,
                          .space_before = 0.3 * sz, .gray = 0.35,
                          .keep_next = 1, .full_width = 1};
        rc = rich_add(&r, meta.data, 0, NULL);
        if (rc == 0)
            rc = add_rich(f, out, &r, &st, fr->full_width);
        rich_free(&r);
    }
    bt_buf_free(&meta);
    if (rc < 0)
        goto oom;
    /* Body text starts a little below the header. */
    int first_body = 1;

    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *b = &a->blocks[i];
        size_t before = out->n;
        piece_style st = {.font = f->body, .align = PANGO_ALIGN_LEFT,
                          .justify = 1, .space_before = 0.55 * sz};
        if (first_body)
            st.space_before = 1.2 * sz;
        switch (b->kind) {
        case BT_BLOCK_P:
            rc = add_text(f, out, NULL, &b->text, &st, colw);
            break;
        case BT_BLOCK_H:
            st.font = f->head;
            st.justify = 0;
            st.space_before = (first_body ? 1.2 : 1.0) * sz;
            st.keep_next = 1;
            rc = add_text(f, out, NULL, &b->text, &st, colw);
            break;
        case BT_BLOCK_QUOTE:
            st.font = f->italic;
            st.indent_left = st.indent_right = 1.8 * sz;
            rc = add_text(f, out, NULL, &b->text, &st, colw);
            break;
        case BT_BLOCK_LIST:
            for (size_t k = 0; k < b->nitems && rc == 0; k++) {
                char mark[32];
                if (b->numbered)
                    snprintf(mark, sizeof mark, "%zu.\t", k + 1);
                else
                    snprintf(mark, sizeof mark, "•\t");
                piece_style it = st;
                it.indent_left = 1.2 * sz;
                it.hang = 1.6 * sz;
                it.space_before = k == 0 ? st.space_before : 0.2 * sz;
                rc = add_text(f, out, mark, &b->items[k], &it, colw);
            }
            break;
        case BT_BLOCK_FIGURE:
            rc = figure_pieces(f, fr, b, out, st.space_before + 0.3 * sz);
            break;
        case BT_BLOCK_TABLE:
            rc = pdf_table_pieces(f, fr, b, out, err);
            break;
        }
        if (rc < 0)
            goto oom;
        if (out->n > before)
            first_body = 0;
    }

    if (a->byline && *a->byline) {
        rich r = {BT_BUF_INIT, NULL, 0, 0, 0};
        piece_style st = {.font = f->toc, .align = PANGO_ALIGN_RIGHT,
                          .space_before = 0.8 * sz};
        rc = rich_add(&r, a->byline, 0, NULL);
        if (rc == 0)
            rc = add_rich(f, out, &r, &st, colw);
        rich_free(&r);
        if (rc < 0)
            goto oom;
    }

    if (a->nrelated) {
        rich r = {BT_BUF_INIT, NULL, 0, 0, 0};
        piece_style st = {.font = f->small_head, .align = PANGO_ALIGN_LEFT,
                          .space_before = 1.4 * sz, .keep_next = 1};
        rc = rich_add(&r, w->related, 0, NULL);
        if (rc == 0)
            rc = add_rich(f, out, &r, &st, colw);
        rich_free(&r);
        for (size_t k = 0; k < a->nrelated && rc == 0; k++) {
            piece_style it = {.font = f->meta, .align = PANGO_ALIGN_LEFT,
                              .indent_left = 0.6 * sz, .hang = 1.2 * sz,
                              .space_before = 0.2 * sz};
            rich ri = {BT_BUF_INIT, NULL, 0, 0, 0};
            rc = bt_buf_adds(&ri.text, "•\t");
            if (rc == 0)
                rc = rich_add(&ri, a->related[k].text ? a->related[k].text : "",
                              0, a->related[k].href);
            if (rc == 0 && ri.text.len > 4)
                rc = add_rich(f, out, &ri, &it, colw);
            rich_free(&ri);
        }
        if (rc < 0)
            goto oom;
    }
    return 0;
oom:
    bt_error_nomem(err, NULL);
    return -1;
}
