/* The flow: pages, columns, placing laid-out pieces line by line without
 * widows or orphans, balancing two columns, repeating a table's header
 * after a break, drawing pieces of every kind, and the page furniture. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "pdf_int.h"

#define EPS 0.01

static double column_x(const bt_pdf *p)
{
    return p->left + p->col * (p->frame.column_width + p->gutter);
}

/* cairo tag attributes quote strings with '…' and escape ' and \. */
static int quote_attr(bt_buf *b, const char *s)
{
    int rc = bt_buf_addc(b, '\'');
    for (; *s && rc == 0; s++) {
        if (*s == '\'' || *s == '\\')
            rc |= bt_buf_addc(b, '\\');
        rc |= bt_buf_addc(b, *s);
    }
    return rc | bt_buf_addc(b, '\'');
}

/* ---- drawing ---- */

static void draw_links(bt_pdf *p, const pdf_piece *pc, size_t li, double x0, double y0)
{
    const pdf_line *l = &pc->lines[li];
    for (size_t i = 0; i < pc->nlinks; i++) {
        const pdf_link *k = &pc->links[i];
        double xa, xb;
        if (k->end <= l->start || k->start >= l->start + l->len ||
            !pdf_line_x_range(pc, li, k->start, k->end, &xa, &xb) || xb - xa < 0.5)
            continue;
        bt_buf a = BT_BUF_INIT;
        int rc = bt_buf_adds(&a, "uri=");
        rc |= quote_attr(&a, k->href);
        rc |= bt_buf_addf(&a, " rect=[%.2f %.2f %.2f %.2f]", x0 + xa, y0 + l->top, xb - xa,
                          l->bottom - l->top);
        if (rc == 0) {
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, a.data);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        }
        bt_buf_free(&a);
    }
}

static void draw_text_line(void *ctx, const pdf_piece *pc, size_t i, double x0, double y0)
{
    bt_pdf *p = ctx;
    pdf_draw_line(p->cr, pc, i, x0, y0);
    if (pc->nlinks)
        draw_links(p, pc, i, x0, y0);
}

static void draw_frame(bt_pdf *p, double x, double y, double w, double h)
{
    cairo_save(p->cr);
    cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(p->cr, 0.6);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_move_to(p->cr, x, y);
    cairo_line_to(p->cr, x + w, y + h);
    cairo_move_to(p->cr, x + w, y);
    cairo_line_to(p->cr, x, y + h);
    cairo_stroke(p->cr);
    cairo_restore(p->cr);
}

/* The image is read only now, painted, and let go: one at a time in
 * memory (cairo keeps a JPEG's bytes until the page is written). */
static void draw_image(bt_pdf *p, const pdf_piece *pc, double x, double y)
{
    const char *why = NULL;
    cairo_surface_t *s = pdf_image_load(pc->src, &pc->img, &why);
    if (!s) {
        if (p->o.on_notice) {
            bt_buf m = BT_BUF_INIT;
            if (bt_buf_addf(&m, "%s: %s", pc->src, why ? why : "unreadable") == 0)
                p->o.on_notice(m.data, 0, p->o.notice_ctx);
            bt_buf_free(&m);
        }
        draw_frame(p, x, y, pc->width, pc->height);
        return;
    }
    cairo_save(p->cr);
    cairo_translate(p->cr, x, y);
    cairo_scale(p->cr, pc->width / pc->img.width, pc->height / pc->img.height);
    cairo_set_source_surface(p->cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(p->cr), CAIRO_FILTER_GOOD);
    cairo_paint(p->cr);
    cairo_restore(p->cr);
    cairo_surface_destroy(s);
}

void pdf_rule(bt_pdf *p, double y, double width)
{
    if (!p->cr)
        return;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, p->left, y);
    cairo_line_to(p->cr, p->left + p->frame.full_width, y);
    cairo_stroke(p->cr);
}

void pdf_draw_lines(bt_pdf *p, const pdf_piece *pc, size_t k, size_t n, double x0,
                    double y0)
{
    if (!p->cr || !n)
        return;
    const pdf_line *l = &pc->lines[k];
    switch (pc->kind) {
    case PDF_PIECE_TEXT:
        for (size_t i = k; i < k + n; i++)
            draw_text_line(p, pc, i, x0, y0);
        break;
    case PDF_PIECE_IMAGE:
        draw_image(p, pc, x0, y0 + l->top);
        break;
    case PDF_PIECE_FRAME:
        draw_frame(p, x0, y0 + l->top, pc->width, pc->height);
        break;
    case PDF_PIECE_RULE:
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_set_line_width(p->cr, pc->height);
        cairo_move_to(p->cr, x0, y0 + l->top + pc->height / 2);
        cairo_line_to(p->cr, x0 + pc->width, y0 + l->top + pc->height / 2);
        cairo_stroke(p->cr);
        break;
    case PDF_PIECE_ROW:
        pdf_table_draw(p->cr, pc, k, n, x0, y0, draw_text_line, p);
        break;
    }
}

/* ---- pages ---- */

/* Header (bulletin title and issue, with a rule) on every page but the
 * first, footer "Trang N/M" on every page of a bulletin. */
void pdf_draw_furniture(bt_pdf *p)
{
    if (!p->o.bulletin || !p->cr)
        return;
    pdf_fonts *f = &p->fonts;
    double w = p->frame.full_width, gap = p->o.margin[0] * 0.45;
    double foot_gap = p->o.margin[2] * 0.45;
    char foot[96];
    bt_error err;
    pdf_pieces_clear(&p->furniture);
    snprintf(foot, sizeof foot, "%s %d%s%d", p->words->page, p->page, p->words->page_of,
             p->total_pages);
    pdf_piece *pc = pdf_plain_piece(f, &p->furniture, foot, f->furniture, w,
                                    PANGO_ALIGN_CENTER, &err);
    if (pc) {
        pc->gray = 0.3;
        pdf_draw_lines(p, pc, 0, pc->nlines, p->left, p->bottom + foot_gap * 0.6);
    }
    if (p->page > 1) {
        pdf_piece *l = pdf_plain_piece(f, &p->furniture, p->o.title, f->furniture, w * 0.7,
                                       PANGO_ALIGN_LEFT, &err);
        pdf_piece *r = pdf_plain_piece(f, &p->furniture, p->o.issue, f->furniture, w * 0.3,
                                       PANGO_ALIGN_RIGHT, &err);
        if (l && r) {
            l = &p->furniture.v[p->furniture.n - 2]; /* the array may have moved */
            double h = pdf_piece_height(l, 1);
            double y = p->top - gap - h;
            l->gray = r->gray = 0.3;
            pdf_draw_lines(p, l, 0, 1, p->left, y);
            pdf_draw_lines(p, r, 0, 1, p->left + w * 0.7, y);
            cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
            cairo_set_line_width(p->cr, 0.5);
            cairo_move_to(p->cr, p->left, p->top - gap * 0.7);
            cairo_line_to(p->cr, p->left + w, p->top - gap * 0.7);
            cairo_stroke(p->cr);
        }
    }
    pdf_pieces_clear(&p->furniture);
}

void pdf_page_end(bt_pdf *p)
{
    if (!p->page_open)
        return;
    if (p->cr) {
        pdf_draw_furniture(p);
        cairo_show_page(p->cr);
    }
    p->page_open = 0;
}

void pdf_page_begin(bt_pdf *p)
{
    pdf_page_end(p);
    p->page++;
    p->page_open = 1;
    p->col = 0;
    p->y = p->col_top = p->fresh_y = p->zone_low = p->top;
}

static void next_column(bt_pdf *p)
{
    if (p->y > p->zone_low)
        p->zone_low = p->y;
    if (p->col + 1 < p->ncols) {
        p->col++;
        p->y = p->fresh_y = p->col_top;
    } else {
        int ncols = p->ncols;
        pdf_page_begin(p);
        p->ncols = ncols;
    }
}

/* Where the current column ends. */
static double column_bottom(const bt_pdf *p)
{
    if (p->bal_page && p->page == p->bal_page && p->ncols > 1 && p->bal_bottom < p->bottom)
        return p->bal_bottom;
    return p->bottom;
}

double pdf_piece_height(const pdf_piece *pc, size_t nlines)
{
    if (!pc->nlines || !nlines)
        return 0;
    if (nlines > pc->nlines)
        nlines = pc->nlines;
    return pc->lines[nlines - 1].bottom - pc->lines[0].top;
}

static double piece_x(const bt_pdf *p, const pdf_piece *pc)
{
    return (pc->full_width ? p->left : column_x(p)) + pc->indent;
}

/* At the top of a column a table continues in: its header again. */
static void repeat_header(bt_pdf *p, const pdf_piece *v, size_t i)
{
    const pdf_piece *pc = &v[i];
    if (pc->kind != PDF_PIECE_ROW || pc->header || p->table != pc->table)
        return;
    for (size_t j = 0; j < i; j++) {
        const pdf_piece *h = &v[j];
        if (h->kind != PDF_PIECE_ROW || h->table != pc->table || !h->header || !h->nlines)
            continue;
        double hh = pdf_piece_height(h, h->nlines);
        if (p->y + hh > column_bottom(p) - 0.3 * (column_bottom(p) - p->col_top))
            return; /* a header that fills the column is not repeated */
        pdf_draw_lines(p, h, 0, h->nlines, piece_x(p, h), p->y - h->lines[0].top);
        p->y += hh;
    }
    p->fresh_y = p->y;
}

/* Records where the marked piece's first line went, and when drawing puts
 * the destination and outline entries there. */
static void mark(bt_pdf *p)
{
    p->mark_page = p->page;
    p->mark_top = p->y;
    if (!p->cr)
        return;
    double y = p->y > 12 ? p->y - 12 : 0;
    if (p->dest[0]) {
        char attr[96];
        snprintf(attr, sizeof attr, "name='%s' x=0 y=%.2f", p->dest, y);
        cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attr);
        cairo_tag_end(p->cr, CAIRO_TAG_DEST);
        p->dest[0] = '\0';
    }
    char link[64];
    snprintf(link, sizeof link, "page=%d pos=[0 %.2f]", p->page, y);
    if (p->section_outline) {
        p->section_id = cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT,
                                                      p->section_outline, link, 0);
        free(p->section_outline);
        p->section_outline = NULL;
    }
    if (p->outline) {
        cairo_pdf_surface_add_outline(p->surface, p->section_id, p->outline, link, 0);
        free(p->outline);
        p->outline = NULL;
    }
}

/* Places piece i of v (n pieces), breaking it across columns and pages
 * line by line: no single first line at the foot of a column (orphan),
 * no single last line at the head of one (widow), and a piece marked
 * keep_next stays with the start of what follows. */
void pdf_place_piece(bt_pdf *p, const pdf_piece *v, size_t i, size_t n)
{
    const pdf_piece *pc = &v[i];
    if (!pc->nlines)
        return;
    if (pc->kind == PDF_PIECE_ROW && !pc->header && p->y <= p->fresh_y + EPS &&
        p->y > p->top - EPS)
        repeat_header(p, v, i);
    double space = p->y > p->fresh_y + EPS ? pc->space_before : 0;
    if (pc->keep_next || pc->whole) {
        double need = space + pdf_piece_height(pc, pc->nlines);
        size_t j = i + 1;
        for (; pc->keep_next && j < n && v[j].keep_next; j++)
            need += v[j].space_before + pdf_piece_height(&v[j], v[j].nlines);
        if (pc->keep_next && j < n)
            need += v[j].space_before + pdf_piece_height(&v[j], v[j].whole ? v[j].nlines : 2);
        if (p->y + need > column_bottom(p) + EPS && p->y > p->fresh_y + EPS) {
            next_column(p);
            repeat_header(p, v, i);
            space = 0;
        }
    }
    if (pc->kind == PDF_PIECE_RULE && p->y <= p->fresh_y + EPS)
        return; /* no rule at the head of a column */
    p->y += space;
    if (pc->kind == PDF_PIECE_ROW)
        p->table = pc->table;
    int first = 1;
    for (size_t k = 0; k < pc->nlines;) {
        double base = pc->lines[k].top;
        size_t rest = pc->nlines - k, fit = 0;
        while (fit < rest && p->y + (pc->lines[k + fit].bottom - base) <= column_bottom(p) + EPS)
            fit++;
        if (fit < rest && !pc->keep_next && !pc->whole && pc->kind == PDF_PIECE_TEXT) {
            if (rest - fit == 1 && fit > 0)
                fit--; /* widow: carry two lines over */
            if (k == 0 && fit == 1)
                fit = 0; /* orphan: move the paragraph */
        }
        if (fit == 0 && p->y <= p->fresh_y + EPS)
            fit = 1; /* taller than a column: it has to go somewhere */
        if (fit > 0) {
            double x0 = piece_x(p, pc);
            double y0 = p->y - base;
            if (first) {
                p->last_top = p->y;
                p->last_baseline = y0 + pc->lines[k].baseline;
                p->last_page = p->page;
                if (i == p->mark_piece)
                    mark(p);
                first = 0;
            }
            pdf_draw_lines(p, pc, k, fit, x0, y0);
            p->y = y0 + pc->lines[k + fit - 1].bottom;
            k += fit;
        }
        if (k < pc->nlines) {
            next_column(p);
            repeat_header(p, v, i);
        }
    }
}

static void flow_pieces(bt_pdf *p, const pdf_pieces *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        const pdf_piece *pc = &ps->v[i];
        if (!pc->full_width && p->ncols != p->o.columns) {
            /* The body's columns start under the article header. */
            if (p->y > p->top + EPS)
                p->y += pc->space_before;
            p->ncols = p->o.columns;
            p->col = 0;
            p->col_top = p->fresh_y = p->zone_low = p->y;
        } else if (pc->full_width && p->ncols != 1) {
            /* Across the page again, under the lower column. */
            if (p->zone_low > p->y)
                p->y = p->zone_low;
            p->ncols = 1;
            p->col = 0;
        }
        pdf_place_piece(p, ps->v, i, ps->n);
    }
}

/* The flow state a dry run changes and must give back: bt_pdf's fields,
 * listed once for the copy, the save and the restore. */
#define FLOW_FIELDS(X)                                                                    \
    X(int, page) X(int, page_open) X(int, col) X(int, ncols) X(double, y)                 \
    X(double, col_top) X(double, fresh_y) X(double, zone_low) X(double, last_top)         \
    X(double, last_baseline) X(int, last_page) X(const pdf_table *, table)

typedef struct flow_state {
#define FLOW_FIELD(type, name) type name;
    FLOW_FIELDS(FLOW_FIELD)
#undef FLOW_FIELD
} flow_state;

static flow_state flow_save(const bt_pdf *p)
{
    flow_state s;
#define FLOW_FIELD(type, name) s.name = p->name;
    FLOW_FIELDS(FLOW_FIELD)
#undef FLOW_FIELD
    return s;
}

static void flow_restore(bt_pdf *p, const flow_state *s)
{
#define FLOW_FIELD(type, name) p->name = s->name;
    FLOW_FIELDS(FLOW_FIELD)
#undef FLOW_FIELD
}

/* Places the pieces; with two columns the last page has its columns
 * balanced, newspaper style: the lowest column end that still fits
 * everything on that page, found by dry runs (placement only, the
 * layouts are done), so the page count never changes. */
void pdf_place_all(bt_pdf *p, const pdf_pieces *ps)
{
    p->bal_page = 0;
    if (p->o.columns < 2) {
        flow_pieces(p, ps);
        return;
    }
    cairo_t *cr = p->cr;
    flow_state start = flow_save(p);
    p->cr = NULL;
    flow_pieces(p, ps);
    int last = p->page;
    double top = p->col_top;
    double used = p->ncols > 1 && p->col > 0 ? (p->bottom - top) + (p->y - top) : p->y - top;
    double best = 0, step = p->fonts.size * 0.25;
    if (p->ncols > 1 && used > 0) {
        for (double lim = top + used / 2; lim < p->bottom - EPS; lim += step) {
            flow_restore(p, &start);
            p->bal_page = last;
            p->bal_bottom = lim;
            flow_pieces(p, ps);
            if (p->page == last) {
                best = lim;
                break;
            }
        }
    }
    flow_restore(p, &start);
    p->cr = cr;
    p->bal_page = best > 0 ? last : 0;
    p->bal_bottom = best;
    flow_pieces(p, ps);
    p->bal_page = 0;
}
