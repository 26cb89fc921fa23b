/* Turning articles into laid-out pieces: fonts, inline styles, links and
 * the block styles (title, paragraphs, headings, quotes, lists…).  Every
 * layout is made in the one PangoContext of pdf_fonts. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pdf_internal.h"

/* Paragraphs longer than this are laid out in pieces: pango's line
 * breaker slows down badly on one enormous paragraph without spaces. */
#define CHUNK_BYTES 8192

const pdf_words *pdf_words_for(const char *lang)
{
    static const pdf_words vi = {"Trang", "Mục lục", "Tin liên quan"};
    static const pdf_words en = {"Page", "Contents", "Related"};
    if (!lang || !strncasecmp(lang, "vi", 2))
        return &vi;
    return &en;
}

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

int pdf_fonts_init(pdf_fonts *f, const char *font, bt_error *err)
{
    memset(f, 0, sizeof *f);
    PangoFontMap *map = pango_cairo_font_map_get_default();
    f->ctx = pango_font_map_create_context(map);
    f->body = pango_font_description_from_string(font ? font
                                                      : bt_pdf_default_font());
    if (!f->ctx || !f->body)
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
    if (!f->italic || !f->title || !f->meta || !f->head || !f->small_head ||
        !f->furniture || !f->masthead || !f->toc)
        goto oom;
    return 0;
oom:
    pdf_fonts_free(f);
    bt_error_set(err, "out of memory");
    return -1;
}

void pdf_fonts_free(pdf_fonts *f)
{
    PangoFontDescription **all[] = {&f->body, &f->italic, &f->title,
                                    &f->meta, &f->head, &f->small_head,
                                    &f->furniture, &f->masthead, &f->toc};
    for (size_t i = 0; i < BT_ARRAY_LEN(all); i++) {
        if (*all[i])
            pango_font_description_free(*all[i]);
        *all[i] = NULL;
    }
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
}

/* ---- Pieces ---- */

void pdf_pieces_clear(pdf_pieces *p)
{
    for (size_t i = 0; i < p->n; i++) {
        pdf_piece *pc = &p->v[i];
        if (pc->layout)
            g_object_unref(pc->layout);
        for (size_t j = 0; j < pc->nlinks; j++)
            free(pc->links[j].href);
        free(pc->links);
        free(pc->lines);
    }
    p->n = 0;
}

void pdf_pieces_free(pdf_pieces *p)
{
    pdf_pieces_clear(p);
    free(p->v);
    memset(p, 0, sizeof *p);
}

static pdf_piece *new_piece(pdf_pieces *p)
{
    if (bt_grow_array((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v) < 0)
        return NULL;
    pdf_piece *pc = &p->v[p->n++];
    memset(pc, 0, sizeof *pc);
    return pc;
}

/* Records every line's position, walking with one iterator (getting
 * line i by index is O(i)). */
static int measure_lines(pdf_piece *pc)
{
    int n = pango_layout_get_line_count(pc->layout);
    pc->lines = calloc(n > 0 ? (size_t)n : 1, sizeof *pc->lines);
    if (!pc->lines)
        return -1;
    PangoLayoutIter *it = pango_layout_get_iter(pc->layout);
    size_t i = 0;
    do {
        if (i >= (size_t)n)
            break;
        PangoRectangle logical;
        int y0, y1;
        pdf_line *l = &pc->lines[i++];
        l->line = pango_layout_iter_get_line_readonly(it);
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        pango_layout_iter_get_line_yrange(it, &y0, &y1);
        l->x = logical.x / (double)PANGO_SCALE;
        l->top = y0 / (double)PANGO_SCALE;
        l->bottom = y1 / (double)PANGO_SCALE;
        l->baseline = pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
        l->start = l->line->start_index;
        l->len = l->line->length;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    pc->nlines = i;
    return 0;
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
    pc->layout = pango_layout_new(f->ctx);
    PangoAttrList *attrs = pango_attr_list_new();
    if (!pc->layout || !attrs)
        goto oom;
    double w = width - st->indent_left - st->indent_right;
    if (w < 2 * f->size)
        w = 2 * f->size;
    pango_layout_set_width(pc->layout, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(pc->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_font_description(pc->layout, st->font);
    pango_layout_set_alignment(pc->layout, st->align);
    pango_layout_set_justify(pc->layout, st->justify);
    if (st->hang > 0) {
        /* "•\ttext": the tab stop is where every line starts. */
        PangoTabArray *tabs = pango_tab_array_new_with_positions(
            1, FALSE, PANGO_TAB_LEFT, (int)(st->hang * PANGO_SCALE));
        if (!tabs)
            goto oom;
        pango_layout_set_tabs(pc->layout, tabs);
        pango_tab_array_free(tabs);
        pango_layout_set_indent(pc->layout, -(int)(st->hang * PANGO_SCALE));
    }
    /* Text is printed as written: no hyphens added at line breaks. */
    PangoAttribute *nohyph = pango_attr_insert_hyphens_new(FALSE);
    if (!nohyph)
        goto oom;
    pango_attr_list_insert(attrs, nohyph);
    for (size_t i = 0; i < r->nruns; i++) {
        int s = r->runs[i].start > a ? r->runs[i].start : a;
        int e = r->runs[i].end < b ? r->runs[i].end : b;
        if (s >= e)
            continue;
        unsigned style = r->runs[i].style;
        PangoAttribute *at[4] = {NULL, NULL, NULL, NULL};
        if (style & RUN_EM)
            at[0] = pango_attr_style_new(PANGO_STYLE_ITALIC);
        if (style & RUN_STRONG)
            at[1] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        if (style & RUN_LINK) {
            at[2] = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
            at[3] = pango_attr_foreground_new(0x1a1a, 0x3b3b, 0x8c8c);
            if (bt_grow_array((void **)&pc->links, &pc->links_cap,
                              pc->nlinks + 1, sizeof *pc->links) < 0)
                goto oom;
            pc->links[pc->nlinks] = (pdf_link){s - a, e - a,
                                                bt_strdup(r->runs[i].href)};
            if (!pc->links[pc->nlinks++].href)
                goto oom;
        }
        for (int k = 0; k < 4; k++) {
            if (!at[k])
                continue;
            at[k]->start_index = (guint)(s - a);
            at[k]->end_index = (guint)(e - a);
            pango_attr_list_insert(attrs, at[k]);
        }
    }
    pango_layout_set_text(pc->layout, r->text.data ? r->text.data + a : "", b - a);
    pango_layout_set_attributes(pc->layout, attrs);
    pango_attr_list_unref(attrs);
    if (measure_lines(pc) < 0)
        goto oom;
    return 0;
oom:
    if (attrs)
        pango_attr_list_unref(attrs);
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
        bt_error_set(err, "out of memory");
        return NULL;
    }
    return &out->v[before];
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
    char *out = malloc(i + 4);
    if (!out)
        return NULL;
    memcpy(out, s, i);
    memcpy(out + i, "…", 4); /* 3 bytes + NUL */
    return out;
}

/* The date as printed, else the machine date. */
static const char *date_shown(const bt_article *a)
{
    if (a->date_text && *a->date_text)
        return a->date_text;
    return a->date_when;
}

int pdf_article_pieces(const pdf_fonts *f, const pdf_frame *fr,
                       const bt_article *a, const pdf_words *w,
                       pdf_pieces *out, bt_error *err)
{
    const double sz = f->size, colw = fr->column_width;

    piece_style title = {.font = f->title, .align = PANGO_ALIGN_LEFT,
                         .keep_next = 1, .full_width = 1};
    if (add_text(f, out, NULL, &a->title, &title, fr->full_width) < 0)
        goto oom;

    /* Date and site under the title, small and grey. */
    bt_buf meta = BT_BUF_INIT;
    const char *d = date_shown(a);
    int rc = 0;
    if (d)
        rc |= bt_buf_adds(&meta, d);
    if (a->source_name && *a->source_name)
        rc |= bt_buf_addf(&meta, "%s%s", meta.len ? " · " : "", a->source_name);
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
            st.font = f->meta;
            st.justify = 0;
            st.align = PANGO_ALIGN_CENTER;
            st.gray = 0.35;
            rc = add_text(f, out, NULL, &b->text, &st, colw);
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
    bt_error_set(err, "out of memory");
    return -1;
}
