/* The PDF typesetter: pages, columns, pagination, page furniture, the
 * bulletin's masthead and contents, outline and metadata, on cairo's PDF
 * surface.  Pieces come laid out from pdf_layout.c.
 *
 * Bulletins need, on page 1, the page numbers of articles that follow, and
 * "Trang N/M" needs M.  Rather than keep pages in memory, the caller runs
 * two passes over the same articles: the first only paginates (layout
 * without a surface) and keeps, per article, its page count and the
 * shortened title and date for the contents; the second draws.  Memory is
 * one article's layout plus that small list and a bounded cache of shaped
 * words (pdf_layout.c), however long the bulletin. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>

#include "pdf_int.h"

#define EPS 0.01
#define TOC_TITLE_CHARS 300
#define OUTLINE_TITLE_CHARS 200

typedef struct toc_entry {
    char *title; /* shortened */
    char *date;  /* as shown in the contents, may be NULL */
    int pages;
} toc_entry;

struct bt_pdf {
    bt_pdf_opts o; /* strings owned by this copy */
    pdf_fonts fonts;
    pdf_frame frame;
    const pdf_words *words;
    double left, top, bottom, gutter;

    FILE *out;
    cairo_surface_t *surface;
    cairo_t *cr; /* NULL while measuring */
    int started, failed;

    /* Where the next line goes. */
    int page;      /* current page number, 0 before the first */
    int page_open;
    int col, ncols;
    double y, col_top;
    /* Two-column balancing: on page bal_page the columns end at
     * bal_bottom instead of the page's bottom (0: no balancing). */
    int bal_page;
    double bal_bottom;
    /* Where the last placed piece's first line landed. */
    double last_top, last_baseline;
    int last_page;

    /* Bulletin: what the first pass found. */
    toc_entry *toc;
    size_t ntoc, toc_cap;
    int measuring_done;
    int front_pages, total_pages;
    size_t next_article; /* articles typeset in the second pass */

    int have_meta_title, have_author, have_date;
    pdf_pieces pieces, furniture;
};

/* ---- small helpers ---- */

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = bt_strdup(src);
    return *dst ? 0 : -1;
}

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

/* ---- drawing pieces ---- */

static void draw_links(bt_pdf *p, const pdf_piece *pc, size_t li,
                       double x0, double y0)
{
    const pdf_line *l = &pc->lines[li];
    for (size_t i = 0; i < pc->nlinks; i++) {
        const pdf_link *k = &pc->links[i];
        double xa, xb;
        if (k->end <= l->start || k->start >= l->start + l->len ||
            !pdf_line_x_range(pc, li, k->start, k->end, &xa, &xb) ||
            xb - xa < 0.5)
            continue;
        bt_buf a = BT_BUF_INIT;
        int rc = bt_buf_adds(&a, "uri=");
        rc |= quote_attr(&a, k->href);
        rc |= bt_buf_addf(&a, " rect=[%.2f %.2f %.2f %.2f]", x0 + xa,
                          y0 + l->top, xb - xa, l->bottom - l->top);
        if (rc == 0) {
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, a.data);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        }
        bt_buf_free(&a);
    }
}

/* Draws lines [k, k+n) of pc with the piece's top at (x0, y0). */
static void draw_lines(bt_pdf *p, const pdf_piece *pc, size_t k, size_t n,
                       double x0, double y0)
{
    if (!p->cr)
        return;
    for (size_t i = k; i < k + n; i++) {
        pdf_draw_line(p->cr, pc, i, x0, y0);
        if (pc->nlinks)
            draw_links(p, pc, i, x0, y0);
    }
}

/* ---- pages ---- */

static void draw_furniture(bt_pdf *p);

static void page_end(bt_pdf *p)
{
    if (!p->page_open)
        return;
    if (p->cr) {
        draw_furniture(p);
        cairo_show_page(p->cr);
    }
    p->page_open = 0;
}

static void page_begin(bt_pdf *p)
{
    page_end(p);
    p->page++;
    p->page_open = 1;
    p->col = 0;
    p->y = p->col_top = p->top;
}

static void next_column(bt_pdf *p)
{
    if (p->col + 1 < p->ncols) {
        p->col++;
        p->y = p->col_top;
    } else {
        page_begin(p);
    }
}

/* Where the current column ends. */
static double column_bottom(const bt_pdf *p)
{
    if (p->bal_page && p->page == p->bal_page && p->ncols > 1 &&
        p->bal_bottom < p->bottom)
        return p->bal_bottom;
    return p->bottom;
}

static double piece_height(const pdf_piece *pc, size_t nlines)
{
    if (!pc->nlines || !nlines)
        return 0;
    if (nlines > pc->nlines)
        nlines = pc->nlines;
    return pc->lines[nlines - 1].bottom - pc->lines[0].top;
}

/* Places piece i of v (n pieces), breaking it across columns and pages
 * line by line: no single first line at the foot of a column (orphan),
 * no single last line at the head of one (widow), and a piece marked
 * keep_next stays with the start of what follows. */
static void place_piece(bt_pdf *p, const pdf_piece *v, size_t i, size_t n)
{
    const pdf_piece *pc = &v[i];
    if (!pc->nlines)
        return;
    double space = p->y > p->col_top + EPS ? pc->space_before : 0;
    if (pc->keep_next || pc->whole) {
        double need = space + piece_height(pc, pc->nlines);
        size_t j = i + 1;
        for (; pc->keep_next && j < n && v[j].keep_next; j++)
            need += v[j].space_before + piece_height(&v[j], v[j].nlines);
        if (pc->keep_next && j < n)
            need += v[j].space_before +
                    piece_height(&v[j], v[j].whole ? v[j].nlines : 2);
        if (p->y + need > column_bottom(p) + EPS && p->y > p->col_top + EPS) {
            next_column(p);
            space = 0;
        }
    }
    p->y += space;
    int first = 1;
    for (size_t k = 0; k < pc->nlines;) {
        double base = pc->lines[k].top;
        size_t rest = pc->nlines - k, fit = 0;
        while (fit < rest &&
               p->y + (pc->lines[k + fit].bottom - base) <= column_bottom(p) + EPS)
            fit++;
        if (fit < rest && !pc->keep_next && !pc->whole) {
            if (rest - fit == 1 && fit > 0)
                fit--; /* widow: carry two lines over */
            if (k == 0 && fit == 1)
                fit = 0; /* orphan: move the paragraph */
        }
        if (fit == 0 && p->y <= p->col_top + EPS)
            fit = 1; /* taller than a column: it has to go somewhere */
        if (fit > 0) {
            double x0 = (pc->full_width ? p->left : column_x(p)) + pc->indent;
            double y0 = p->y - base;
            if (first) {
                p->last_top = p->y;
                p->last_baseline = y0 + pc->lines[k].baseline;
                p->last_page = p->page;
                first = 0;
            }
            draw_lines(p, pc, k, fit, x0, y0);
            p->y = y0 + pc->lines[k + fit - 1].bottom;
            k += fit;
        }
        if (k < pc->nlines)
            next_column(p);
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
            p->col_top = p->y;
        } else if (pc->full_width && p->ncols != 1) {
            p->ncols = 1;
            p->col = 0;
        }
        place_piece(p, ps->v, i, ps->n);
    }
}

/* The flow state a dry run changes and must give back. */
typedef struct flow_state {
    int page, page_open, col, ncols;
    double y, col_top, last_top, last_baseline;
    int last_page;
} flow_state;

static flow_state flow_save(const bt_pdf *p)
{
    return (flow_state){p->page, p->page_open, p->col, p->ncols, p->y,
                        p->col_top, p->last_top, p->last_baseline, p->last_page};
}

static void flow_restore(bt_pdf *p, const flow_state *s)
{
    p->page = s->page;
    p->page_open = s->page_open;
    p->col = s->col;
    p->ncols = s->ncols;
    p->y = s->y;
    p->col_top = s->col_top;
    p->last_top = s->last_top;
    p->last_baseline = s->last_baseline;
    p->last_page = s->last_page;
}

/* Places the pieces; with two columns the article's last page has its
 * columns balanced, newspaper style: the lowest column end that still
 * fits everything on that page, found by dry runs (placement only, the
 * layouts are done), so the page count never changes. */
static void place_all(bt_pdf *p, const pdf_pieces *ps)
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
    double used = p->ncols > 1 && p->col > 0 ? (p->bottom - top) + (p->y - top)
                                             : p->y - top;
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

/* Header (bulletin title and issue, with a rule) on every page but the
 * first, footer "Trang N/M" on every page of a bulletin. */
static void draw_furniture(bt_pdf *p)
{
    if (!p->o.bulletin || !p->cr)
        return;
    pdf_fonts *f = &p->fonts;
    double w = p->frame.full_width, gap = p->o.margin * 0.45;
    char foot[96];
    bt_error err;
    pdf_pieces_clear(&p->furniture);
    snprintf(foot, sizeof foot, "%s %d/%d", p->words->page, p->page,
             p->total_pages);
    pdf_piece *pc = pdf_plain_piece(f, &p->furniture, foot, f->furniture, w,
                                    PANGO_ALIGN_CENTER, &err);
    if (pc) {
        pc->gray = 0.3;
        draw_lines(p, pc, 0, pc->nlines, p->left, p->bottom + gap * 0.6);
    }
    if (p->page > 1) {
        pdf_piece *l = pdf_plain_piece(f, &p->furniture, p->o.title, f->furniture,
                                       w * 0.7, PANGO_ALIGN_LEFT, &err);
        pdf_piece *r = pdf_plain_piece(f, &p->furniture, p->o.issue, f->furniture,
                                       w * 0.3, PANGO_ALIGN_RIGHT, &err);
        if (l && r) {
            l = &p->furniture.v[p->furniture.n - 2]; /* the array may have moved */
            double h = piece_height(l, 1);
            double y = p->top - gap - h;
            l->gray = r->gray = 0.3;
            draw_lines(p, l, 0, 1, p->left, y);
            draw_lines(p, r, 0, 1, p->left + w * 0.7, y);
            cairo_set_line_width(p->cr, 0.5);
            cairo_move_to(p->cr, p->left, p->top - gap * 0.7);
            cairo_line_to(p->cr, p->left + w, p->top - gap * 0.7);
            cairo_stroke(p->cr);
        }
    }
    pdf_pieces_clear(&p->furniture);
}

/* ---- the bulletin's first pages: masthead and contents ---- */

static char *bulletin_date_text(const bt_pdf *p)
{
    int y, m, d;
    if (!p->o.date || sscanf(p->o.date, "%d-%d-%d", &y, &m, &d) != 3)
        return bt_strdup("");
    bt_buf b = BT_BUF_INIT;
    int rc;
    if (p->words == pdf_words_for("vi"))
        rc = bt_buf_addf(&b, "Ngày %d tháng %d năm %d", d, m, y);
    else
        rc = bt_buf_adds(&b, p->o.date);
    if (rc < 0) {
        bt_buf_free(&b);
        return NULL;
    }
    return bt_buf_detach(&b);
}

/* Lays out (and draws, in the second pass) the masthead and contents;
 * returns the number of pages they take. */
static int typeset_front(bt_pdf *p, bt_error *err)
{
    pdf_fonts *f = &p->fonts;
    double w = p->frame.full_width, sz = f->size;
    pdf_pieces *ps = &p->pieces;
    int start = p->page + 1;
    page_begin(p);
    p->ncols = 1;

    pdf_pieces_clear(ps);
    char *date = bulletin_date_text(p);
    bt_buf line = BT_BUF_INIT;
    int rc = date ? 0 : -1;
    if (rc == 0 && p->o.issue)
        rc |= bt_buf_adds(&line, p->o.issue);
    if (rc == 0 && date && *date)
        rc |= bt_buf_addf(&line, "%s%s", line.len ? " · " : "", date);
    free(date);
    pdf_piece *mast = rc < 0 ? NULL
                             : pdf_plain_piece(f, ps, p->o.title ? p->o.title : "",
                                               f->masthead, w, PANGO_ALIGN_CENTER, err);
    pdf_piece *sub = mast ? pdf_plain_piece(f, ps, line.data,
                                            f->meta, w, PANGO_ALIGN_CENTER, err)
                          : NULL;
    bt_buf_free(&line);
    if (!sub)
        goto oom;
    ps->v[0].full_width = ps->v[1].full_width = 1; /* never in columns */
    ps->v[1].space_before = 0.4 * sz;
    ps->v[1].gray = 0.25;
    place_all(p, ps);
    p->y += 0.6 * sz;
    if (p->cr) {
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        cairo_set_line_width(p->cr, 1.2);
        cairo_move_to(p->cr, p->left, p->y);
        cairo_line_to(p->cr, p->left + w, p->y);
        cairo_stroke(p->cr);
    }
    p->y += 1.0 * sz;

    pdf_pieces_clear(ps);
    pdf_piece *head = pdf_plain_piece(f, ps, p->words->contents, f->head, w,
                                      PANGO_ALIGN_LEFT, err);
    if (!head)
        goto oom;
    ps->v[0].keep_next = 1;
    ps->v[0].full_width = 1;
    /* The heading stays with the first entry. */
    int page_of = p->front_pages + 1;
    const double numw = 4.0 * sz;
    for (size_t i = 0; i <= p->ntoc; i++) {
        if (i > 0) {
            pdf_pieces_clear(ps);
            pdf_fonts_trim(f); /* no piece is alive */
        }
        if (i == p->ntoc) {
            if (i == 0)
                place_all(p, ps);
            break;
        }
        toc_entry *e = &p->toc[i];
        size_t t = ps->n;
        pdf_piece *title = pdf_plain_piece(f, ps, e->title, f->toc, w - numw,
                                           PANGO_ALIGN_LEFT, err);
        pdf_piece *dt = title && e->date
                            ? pdf_plain_piece(f, ps, e->date, f->meta, w - numw,
                                              PANGO_ALIGN_LEFT, err)
                            : title;
        if (!dt)
            goto oom;
        ps->v[t].space_before = 0.7 * sz;
        ps->v[t].whole = 1;
        ps->v[t].full_width = 1;
        ps->v[t].keep_next = ps->n > t + 1;
        if (ps->n > t + 1) {
            ps->v[t + 1].whole = 1;
            ps->v[t + 1].full_width = 1;
            ps->v[t + 1].gray = 0.35;
            ps->v[t + 1].space_before = 0.1 * sz;
        }
        for (size_t k = 0; k < ps->n; k++) {
            place_piece(p, ps->v, k, ps->n);
            if (k != t || !p->cr)
                continue;
            /* The page number, right-aligned on the title's first line,
             * and a link over the entry to the article's destination. */
            char num[24];
            snprintf(num, sizeof num, "%d", page_of);
            pdf_pieces_clear(&p->furniture);
            pdf_piece *np = pdf_plain_piece(f, &p->furniture, num, f->toc, numw,
                                            PANGO_ALIGN_RIGHT, err);
            if (!np)
                goto oom;
            draw_lines(p, np, 0, 1, p->left + w - numw,
                       p->last_baseline - np->lines[0].baseline);
            pdf_pieces_clear(&p->furniture);
            char attr[128];
            snprintf(attr, sizeof attr, "dest='a%zu' rect=[%.2f %.2f %.2f %.2f]",
                     i + 1, p->left, p->last_top, w,
                     piece_height(&ps->v[t], ps->v[t].nlines));
            cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attr);
            cairo_tag_end(p->cr, CAIRO_TAG_LINK);
        }
        page_of += e->pages;
    }
    pdf_pieces_clear(ps);
    return p->page - start + 1;
oom:
    pdf_pieces_clear(ps);
    if (!err->msg[0])
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
    return -1;
}

/* ---- articles ---- */

static const pdf_words *article_words(const bt_pdf *p, const bt_article *a)
{
    return p->o.lang ? p->words : pdf_words_for(a->lang);
}

/* Paginates (and in the second pass draws) one article from a new page;
 * returns its page count. */
static int typeset_article(bt_pdf *p, const bt_article *a, size_t number,
                           bt_error *err)
{
    pdf_pieces_clear(&p->pieces);
    pdf_pieces_clear(&p->furniture);
    pdf_fonts_trim(&p->fonts);
    if (pdf_article_pieces(&p->fonts, &p->frame, a, article_words(p, a),
                           &p->pieces, err) < 0)
        return -1;
    int start = p->page + 1;
    page_begin(p);
    p->ncols = 1;
    if (p->cr) {
        char *title = bt_article_title_plain(a);
        char *shown = title ? pdf_shorten(title, OUTLINE_TITLE_CHARS) : NULL;
        free(title);
        if (!shown) {
            bt_error_set(err, BT_ERR_NOMEM, "out of memory");
            return -1;
        }
        char attr[96];
        snprintf(attr, sizeof attr, "name='a%zu' x=0 y=%.2f", number,
                 p->top > 20 ? p->top - 20 : 0);
        cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attr);
        cairo_tag_end(p->cr, CAIRO_TAG_DEST);
        snprintf(attr, sizeof attr, "page=%d pos=[0 %.2f]", p->page,
                 p->top > 20 ? p->top - 20 : 0);
        cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT,
                                      *shown ? shown : "—", attr, 0);
        if (!p->have_meta_title && !p->o.bulletin) {
            cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE,
                                           shown);
            const char *subject = a->source_name && *a->source_name
                                      ? a->source_name : a->date_text;
            if (subject && *subject)
                cairo_pdf_surface_set_metadata(
                    p->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
            p->have_meta_title = 1;
        }
        if (!p->have_author && a->byline && *a->byline) {
            cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_AUTHOR,
                                           a->byline);
            p->have_author = 1;
        }
        free(shown);
    }
    place_all(p, &p->pieces);
    pdf_pieces_clear(&p->pieces);
    return p->page - start + 1;
}

/* ---- the public interface ---- */

bt_pdf *bt_pdf_new(const bt_pdf_opts *o, bt_error *err)
{
    bt_pdf *p = calloc(1, sizeof *p);
    if (!p) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->o = *o;
    if (dup_opt(&p->o.font, o->font) || dup_opt(&p->o.title, o->title) ||
        dup_opt(&p->o.issue, o->issue) || dup_opt(&p->o.date, o->date) ||
        dup_opt(&p->o.lang, o->lang)) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        bt_pdf_free(p);
        return NULL;
    }
    if (p->o.columns < 1 || p->o.columns > 2)
        p->o.columns = 1;
    if (pdf_fonts_init(&p->fonts, p->o.font, err) < 0) {
        bt_pdf_free(p);
        return NULL;
    }
    double m = p->o.margin;
    double tw = p->o.page_width - 2 * m;
    double th = p->o.page_height - 2 * m;
    if (tw < 10 * p->fonts.size || th < 10 * p->fonts.size) {
        bt_error_set(err, BT_ERR_USAGE, "margin %.0fpt leaves too little room on the page", m);
        bt_pdf_free(p);
        return NULL;
    }
    p->left = m;
    p->top = m;
    p->bottom = p->o.page_height - m;
    p->gutter = 1.5 * p->fonts.size;
    p->frame.full_width = tw;
    p->frame.column_width = p->o.columns == 2 ? (tw - p->gutter) / 2 : tw;
    p->ncols = 1;
    p->words = pdf_words_for(p->o.lang ? p->o.lang : "vi");
    return p;
}

static char *toc_date(const bt_pdf *p, const bt_article *a)
{
    int y, m, d;
    if (a->date_when && sscanf(a->date_when, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        char buf[32];
        if (p->words == pdf_words_for("vi"))
            snprintf(buf, sizeof buf, "%02d/%02d/%04d", d, m, y);
        else
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return bt_strdup(buf);
    }
    if (a->date_text)
        return pdf_shorten(a->date_text, 60);
    return NULL;
}

int bt_pdf_measure(bt_pdf *p, const bt_article *a, bt_error *err)
{
    if (p->started) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: measuring after the output started");
        return -1;
    }
    if (p->ntoc == 0 && !p->o.lang)
        p->words = pdf_words_for(a->lang);
    if (bt_grow_array((void **)&p->toc, &p->toc_cap, p->ntoc + 1,
                      sizeof *p->toc) < 0)
        goto oom;
    toc_entry *e = &p->toc[p->ntoc];
    memset(e, 0, sizeof *e);
    char *title = bt_article_title_plain(a);
    if (!title)
        goto oom;
    e->title = pdf_shorten(title, TOC_TITLE_CHARS);
    free(title);
    if (!e->title)
        goto oom;
    e->date = toc_date(p, a);
    p->ntoc++;
    int n = typeset_article(p, a, p->ntoc, err);
    if (n < 0)
        return -1;
    e->pages = n;
    p->total_pages += n;
    page_end(p);
    return 0;
oom:
    bt_error_set(err, BT_ERR_NOMEM, "out of memory");
    return -1;
}

static cairo_status_t write_out(void *closure, const unsigned char *data,
                                unsigned int len)
{
    FILE *f = closure;
    return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS
                                          : CAIRO_STATUS_WRITE_ERROR;
}

/* CreationDate: SOURCE_DATE_EPOCH (via o->created), else the bulletin
 * date, else the first article's date; cairo would stamp the clock. */
static void set_create_date(bt_pdf *p, const bt_article *a)
{
    char buf[40] = "";
    int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
    if (p->o.created >= 0) {
        time_t t = (time_t)p->o.created;
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    } else if (p->o.date && sscanf(p->o.date, "%4d-%2d-%2d", &y, &mo, &d) == 3) {
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT00:00:00", y, mo, d);
    } else if (a && a->date_when &&
               sscanf(a->date_when, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3) {
        const char *rest = a->date_when + n;
        char tz[8] = "";
        if (sscanf(rest, "T%2d:%2d:%2d", &h, &mi, &s) == 3 && strlen(rest) >= 9) {
            const char *z = rest + 9;
            if ((z[0] == '+' || z[0] == '-') && strlen(z) == 6)
                snprintf(tz, sizeof tz, "%s", z);
            else if (!strcmp(z, "Z"))
                snprintf(tz, sizeof tz, "Z");
        }
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", y % 10000,
                 mo % 100, d % 100, h % 100, mi % 100, s % 100, tz);
    }
    if (!buf[0])
        snprintf(buf, sizeof buf, "1970-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, buf);
    p->have_date = 1;
}

int bt_pdf_start(bt_pdf *p, FILE *out, bt_error *err)
{
    if (p->started) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: started twice");
        return -1;
    }
    p->out = out;
    p->surface = cairo_pdf_surface_create_for_stream(
        write_out, out, p->o.page_width, p->o.page_height);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        bt_error_set(err, BT_ERR_IO, "cannot create the PDF: %s",
                     cairo_status_to_string(cairo_surface_status(p->surface)));
        return -1;
    }
    cairo_pdf_surface_restrict_to_version(p->surface, CAIRO_PDF_VERSION_1_5);
    p->cr = cairo_create(p->surface);
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return -1;
    }
    p->started = 1;
    /* A link outside any structure tag makes cairo 1.16 write a damaged
     * cross-reference table: everything goes inside "Document". */
    cairo_tag_begin(p->cr, "Document", NULL);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
                                   "bantin " BT_VERSION);
    if (p->o.bulletin) {
        if (p->o.title) {
            cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE,
                                           p->o.title);
            p->have_meta_title = 1;
        }
        bt_buf subj = BT_BUF_INIT;
        if (p->o.issue)
            bt_buf_adds(&subj, p->o.issue);
        if (p->o.date)
            bt_buf_addf(&subj, "%s%s", subj.len ? ", " : "", p->o.date);
        if (subj.len)
            cairo_pdf_surface_set_metadata(p->surface,
                                           CAIRO_PDF_METADATA_SUBJECT, subj.data);
        bt_buf_free(&subj);
        set_create_date(p, NULL);
        /* The first pass measured the articles after the front pages,
         * numbering from 1: measure the front now and draw for real. */
        p->measuring_done = 1;
        cairo_t *cr = p->cr;
        p->cr = NULL;
        int saved_total = p->total_pages;
        p->page = 0;
        int front = typeset_front(p, err);
        if (front < 0)
            return -1;
        p->page_open = 0;
        p->front_pages = front;
        p->total_pages = saved_total + front;
        p->page = 0;
        p->cr = cr;
        if (typeset_front(p, err) != front) {
            if (!err->msg[0])
                bt_error_set(err, BT_ERR_INTERNAL, "internal error: contents changed length");
            return -1;
        }
    }
    return 0;
}

int bt_pdf_add(bt_pdf *p, const bt_article *a, bt_error *err)
{
    if (!p->started) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: bt_pdf_add before bt_pdf_start");
        return -1;
    }
    if (!p->have_date)
        set_create_date(p, a);
    if (!p->o.bulletin && p->next_article == 0 && !p->o.lang)
        p->words = pdf_words_for(a->lang);
    if (p->o.bulletin && p->next_article >= p->ntoc) {
        bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                          "(more articles than measured)");
        return -1;
    }
    int n = typeset_article(p, a, p->next_article + 1, err);
    if (n < 0)
        return -1;
    if (p->o.bulletin && n != p->toc[p->next_article].pages) {
        bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                          "(article %zu)", p->next_article + 1);
        return -1;
    }
    p->next_article++;
    return 0;
}

int bt_pdf_finish(bt_pdf *p, bt_error *err)
{
    if (!p->started) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: finishing before starting");
        return -1;
    }
    if (p->o.bulletin && p->next_article != p->ntoc) {
        bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                          "(fewer articles than measured)");
        return -1;
    }
    if (p->page == 0) {
        bt_error_set(err, BT_ERR_INPUT, "no articles in the input");
        return -1;
    }
    if (p->page_open)
        draw_furniture(p);
    cairo_tag_end(p->cr, "Document");
    if (p->page_open)
        cairo_show_page(p->cr);
    p->page_open = 0;
    cairo_destroy(p->cr);
    p->cr = NULL;
    cairo_surface_finish(p->surface);
    cairo_status_t st = cairo_surface_status(p->surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        bt_error_set(err, BT_ERR_IO, "cannot write the PDF: %s", cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

int bt_pdf_pages(const bt_pdf *p)
{
    return p->o.bulletin && !p->started ? p->total_pages : p->page;
}

void bt_pdf_free(bt_pdf *p)
{
    if (!p)
        return;
    if (p->cr)
        cairo_destroy(p->cr);
    if (p->surface) {
        /* An abandoned document: finish into the stream the caller will
         * throw away, so that cairo frees everything. */
        cairo_surface_destroy(p->surface);
    }
    for (size_t i = 0; i < p->ntoc; i++) {
        free(p->toc[i].title);
        free(p->toc[i].date);
    }
    free(p->toc);
    pdf_pieces_free(&p->pieces);
    pdf_pieces_free(&p->furniture);
    pdf_fonts_free(&p->fonts);
    bt_pdf_opts_free(&p->o);
    free(p);
}

void bt_pdf_shutdown(void)
{
    /* (cairo_debug_reset_static_data would be tidier still, but it
     * asserts when pango still holds a scaled font somewhere.) */
    pango_cairo_font_map_set_default(NULL);
}
