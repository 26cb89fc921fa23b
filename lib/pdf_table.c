/* Tables: cells placed on a grid (colspan, rowspan, as HTML places them),
 * columns sized to their content (the widest word and the whole text of
 * each, as browsers do), a grid of thin rules, header cells bold on grey.
 *
 * The flow (pdf.c) sees a table as pieces: its caption, then one ROW
 * piece per group of rows that rowspans tie together.  A group's "lines"
 * are bands between the heights where no cell's line of text is cut, so
 * a group taller than a column breaks there like a paragraph; the header
 * groups come first, marked, and are drawn again at the top of each
 * column or page the table continues on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"

#define MAX_COLS 40          /* wider is not a table a page can show */
#define MAX_CELL_CHARS 4000  /* more is shortened: a cell is not a chapter */

typedef struct tcell {
    size_t row, col;      /* grid position of its top left */
    size_t nrows, ncols;  /* spans, at least 1 */
    int header;
    size_t piece, npieces; /* its text: t->texts.v[piece ..+ npieces) */
    double y0, y1;        /* from its group's top */
} tcell;

typedef struct tgroup {
    size_t row0, row1; /* rows [row0, row1) */
    size_t cell0, cell1; /* cells [cell0, cell1) start in it (cells are in row order) */
    double height;
} tgroup;

struct pdf_table {
    size_t ncols, nrows;
    double *colx, *colw; /* from the table's left */
    double *rowh;
    tcell *cells;
    size_t ncells;
    tgroup *groups;
    size_t ngroups;
    pdf_pieces texts; /* the cells' text */
    double pad, width;
};

void pdf_table_free(pdf_table *t)
{
    if (!t)
        return;
    free(t->colx);
    free(t->colw);
    free(t->rowh);
    free(t->cells);
    free(t->groups);
    pdf_pieces_free(&t->texts);
    free(t);
}

/* Puts each cell on the grid: the first free column of its row, taking
 * the columns that rowspans from above hold. */
static int place_cells(pdf_table *t, const bt_block *b)
{
    size_t *busy = NULL, busy_cap = 0, total = 0;
    for (size_t r = 0; r < b->nrows; r++)
        total += b->rows[r].ncells;
    t->cells = calloc(total ? total : 1, sizeof *t->cells);
    if (!t->cells)
        return -1;
    t->nrows = b->nrows;
    for (size_t r = 0; r < b->nrows; r++) {
        const bt_row *row = &b->rows[r];
        size_t c = 0;
        for (size_t k = 0; k < row->ncells; k++) {
            const bt_cell *in = &row->cells[k];
            while (c < t->ncols && busy[c] > r)
                c++;
            size_t cs = in->colspan ? in->colspan : 1;
            size_t rs = in->rowspan ? in->rowspan : 1;
            if (cs > MAX_COLS || c + cs > MAX_COLS)
                goto too_wide;
            if (rs > b->nrows - r)
                rs = b->nrows - r; /* as HTML: a span stops at the table's end */
            if (c + cs > t->ncols) {
                if (bt_grow_array((void **)&busy, &busy_cap, c + cs, sizeof *busy) < 0)
                    goto oom;
                for (size_t i = t->ncols; i < c + cs; i++)
                    busy[i] = 0;
                t->ncols = c + cs;
            }
            for (size_t i = c; i < c + cs; i++)
                busy[i] = r + rs;
            tcell *cell = &t->cells[t->ncells++];
            *cell = (tcell){r, c, rs, cs, in->header, 0, 0, 0, 0};
            c += cs;
        }
    }
    free(busy);
    return 0;
too_wide:
    free(busy);
    return 1;
oom:
    free(busy);
    return -1;
}

/* Rows that rowspans tie together make one group: it ends where no cell
 * begun in it reaches further. */
static int make_groups(pdf_table *t)
{
    t->groups = calloc(t->nrows ? t->nrows : 1, sizeof *t->groups);
    if (!t->groups)
        return -1;
    size_t k = 0;
    for (size_t r = 0; r < t->nrows;) {
        tgroup *g = &t->groups[t->ngroups++];
        g->row0 = r;
        g->cell0 = k;
        size_t end = r + 1;
        for (; r < end; r++)
            for (; k < t->ncells && t->cells[k].row == r; k++)
                if (t->cells[k].row + t->cells[k].nrows > end)
                    end = t->cells[k].row + t->cells[k].nrows;
        g->row1 = end;
        g->cell1 = k;
    }
    return 0;
}

/* Widths of the grid's columns: each column's widest word and whole text
 * (cells spanning several share theirs out), then the room shared as a
 * browser's automatic table layout does. */
static int size_columns(pdf_table *t, double room)
{
    size_t n = t->ncols;
    double *mn = calloc(n, sizeof *mn), *mx = calloc(n, sizeof *mx);
    t->colw = calloc(n, sizeof *t->colw);
    t->colx = calloc(n + 1, sizeof *t->colx);
    if (!mn || !mx || !t->colw || !t->colx) {
        free(mn);
        free(mx);
        return -1;
    }
    for (size_t span = 1; span <= n; span++) {
        for (size_t k = 0; k < t->ncells; k++) {
            const tcell *c = &t->cells[k];
            if (c->ncols != span)
                continue;
            double cmin = 0, cmax = 0;
            for (size_t j = 0; j < c->npieces; j++) {
                double a, b;
                pdf_piece_widths(&t->texts.v[c->piece + j], &a, &b);
                cmin = fmax(cmin, a);
                cmax = fmax(cmax, b);
            }
            cmin += 2 * t->pad + 1;
            cmax += 2 * t->pad + 1;
            double smin = 0, smax = 0;
            for (size_t i = c->col; i < c->col + span; i++)
                smin += mn[i], smax += mx[i];
            for (size_t i = c->col; i < c->col + span; i++) {
                if (cmin > smin)
                    mn[i] += (cmin - smin) / (double)span;
                if (cmax > smax)
                    mx[i] += (cmax - smax) / (double)span;
            }
        }
    }
    double summin = 0, summax = 0;
    for (size_t i = 0; i < n; i++) {
        if (mx[i] < mn[i])
            mx[i] = mn[i];
        summin += mn[i];
        summax += mx[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (summax <= room)
            /* Natural widths; a table nearly as wide as the column fills it. */
            t->colw[i] = summax >= 0.6 * room ? mx[i] * room / summax : mx[i];
        else if (summin <= room)
            t->colw[i] = mn[i] + (room - summin) * (summax > summin
                                                        ? (mx[i] - mn[i]) / (summax - summin)
                                                        : 1.0 / (double)n);
        else
            t->colw[i] = room * mn[i] / summin; /* words will be cut */
        t->colx[i + 1] = t->colx[i] + t->colw[i];
    }
    t->width = t->colx[n];
    free(mn);
    free(mx);
    return 0;
}

static double cell_width(const pdf_table *t, const tcell *c)
{
    return t->colx[c->col + c->ncols] - t->colx[c->col];
}

static double text_height(const pdf_piece *pc)
{
    return pc->nlines ? pc->lines[pc->nlines - 1].bottom - pc->lines[0].top : 0;
}

/* The height of a cell's text, and where its piece j starts in it. */
static double cell_text(const pdf_table *t, const tcell *c, size_t j)
{
    double h = 0;
    for (size_t k = 0; k < j && k < c->npieces; k++)
        h += text_height(&t->texts.v[c->piece + k]);
    return h;
}

/* Where the lines of a cell's text piece j are measured from, on the
 * table's y axis (a line's top and bottom are added to it). */
static double piece_origin(const pdf_table *t, const tcell *c, size_t j)
{
    const pdf_piece *tp = &t->texts.v[c->piece + j];
    return c->y0 + t->pad + cell_text(t, c, j) - (tp->nlines ? tp->lines[0].top : 0);
}

/* Row heights: the tallest cell of the row; a rowspan cell taller than
 * its rows gives its last row the difference. */
static int size_rows(pdf_table *t, double line)
{
    t->rowh = calloc(t->nrows ? t->nrows : 1, sizeof *t->rowh);
    if (!t->rowh)
        return -1;
    for (size_t r = 0; r < t->nrows; r++)
        t->rowh[r] = line + 2 * t->pad;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < t->ncells; k++) {
            const tcell *c = &t->cells[k];
            if ((pass == 0) != (c->nrows == 1))
                continue;
            double h = 2 * t->pad + cell_text(t, c, c->npieces);
            double have = 0;
            for (size_t r = c->row; r < c->row + c->nrows; r++)
                have += t->rowh[r];
            if (h > have)
                t->rowh[c->row + c->nrows - 1] += h - have;
        }
    }
    return 0;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The bands of group g: heights where a cut splits no cell's line. */
static int group_bands(const pdf_table *t, const tgroup *g, pdf_piece *pc)
{
    size_t ncand = 0, cap = 0;
    double *cand = NULL;
    for (size_t k = g->cell0; k < g->cell1; k++) {
        const tcell *c = &t->cells[k];
        size_t add = 2;
        for (size_t j = 0; j < c->npieces; j++)
            add += t->texts.v[c->piece + j].nlines;
        if (bt_grow_array((void **)&cand, &cap, ncand + add, sizeof *cand) < 0)
            return -1;
        cand[ncand++] = c->y0;
        cand[ncand++] = c->y1;
        for (size_t j = 0; j < c->npieces; j++) {
            const pdf_piece *tp = &t->texts.v[c->piece + j];
            double off = piece_origin(t, c, j);
            for (size_t i = 0; i < tp->nlines; i++)
                cand[ncand++] = off + tp->lines[i].bottom;
        }
    }
    if (bt_grow_array((void **)&cand, &cap, ncand + 1, sizeof *cand) < 0)
        return -1;
    cand[ncand++] = g->height;
    qsort(cand, ncand, sizeof *cand, by_double);
    pc->lines = calloc(ncand, sizeof *pc->lines);
    if (!pc->lines) {
        free(cand);
        return -1;
    }
    double last = 0;
    for (size_t i = 0; i < ncand; i++) {
        double y = cand[i];
        if (y <= last + 0.5 || y > g->height + 1e-6)
            continue;
        int ok = y >= g->height - 1e-6;
        for (size_t k = g->cell0; k < g->cell1 && !ok; k++) {
            const tcell *c = &t->cells[k];
            for (size_t j = 0; j < c->npieces; j++) {
                const pdf_piece *tp = &t->texts.v[c->piece + j];
                double off = piece_origin(t, c, j);
                for (size_t l = 0; l < tp->nlines; l++) {
                    double a = off + tp->lines[l].top, b = off + tp->lines[l].bottom;
                    if (a < y - 1e-6 && b > y + 1e-6)
                        goto next; /* cuts a line */
                }
            }
        }
        ok = 1;
    next:
        if (!ok)
            continue;
        pdf_line *l = &pc->lines[pc->nlines++];
        l->top = last;
        l->bottom = l->baseline = y;
        last = y;
    }
    free(cand);
    return 0;
}

/* A table too wide for any page: each row a paragraph, cells separated by
 * " | ", so that nothing is lost. */
static int rows_as_text(const pdf_fonts *f, const pdf_frame *fr, const bt_block *b,
                        pdf_pieces *out, bt_error *err)
{
    for (size_t r = 0; r < b->nrows; r++) {
        bt_text line = {0};
        int rc = 0;
        for (size_t k = 0; k < b->rows[r].ncells && rc == 0; k++) {
            const bt_text *ct = &b->rows[r].cells[k].text;
            if (k)
                rc = bt_text_add(&line, " | ", 3, 0, NULL);
            for (size_t s = 0; s < ct->nspans && rc == 0; s++)
                if (ct->spans[s].text)
                    rc = bt_text_add(&line, ct->spans[s].text, strlen(ct->spans[s].text),
                                 ct->spans[s].style, ct->spans[s].href);
        }
        pdf_piece *pc = rc == 0 ? pdf_text_piece(f, out, &line, f->cell, PANGO_ALIGN_LEFT,
                                                 fr->column_width, err)
                                : NULL;
        bt_text_free(&line);
        if (!pc)
            return -1;
        pc->space_before = 0.2 * f->size;
    }
    return 0;
}

int pdf_table_pieces(const pdf_fonts *f, const pdf_frame *fr, const bt_block *b,
                     pdf_pieces *out, bt_error *err)
{
    const double sz = f->size;
    size_t before = out->n;
    if (!bt_text_is_empty(&b->text)) {
        pdf_piece *cap = pdf_text_piece(f, out, &b->text, f->meta, PANGO_ALIGN_LEFT,
                                        fr->column_width, err);
        if (!cap)
            return -1;
        cap->space_before = 0.8 * sz;
        cap->gray = 0.3;
        cap->keep_next = 1;
        cap->whole = 1;
    }
    if (!b->nrows)
        return 0;
    pdf_table *t = calloc(1, sizeof *t);
    if (!t || bt_grow_array((void **)&out->tables, &out->tables_cap, out->ntables + 1,
                            sizeof *out->tables) < 0) {
        free(t);
        goto oom;
    }
    out->tables[out->ntables++] = t; /* freed with the pieces from here on */
    t->pad = 0.3 * sz;
    int placed = place_cells(t, b);
    if (placed < 0)
        goto oom;
    if (placed > 0)
        return rows_as_text(f, fr, b, out, err);
    /* Each cell's text, first on one line to measure it. */
    size_t k = 0;
    for (size_t r = 0; r < b->nrows; r++) {
        for (size_t i = 0; i < b->rows[r].ncells; i++, k++) {
            const bt_cell *in = &b->rows[r].cells[i];
            if (bt_text_is_empty(&in->text))
                continue;
            t->cells[k].piece = t->texts.n;
            int np = pdf_text_pieces(f, &t->texts, &in->text,
                                     in->header ? f->small_head : f->cell, PANGO_ALIGN_LEFT, 1e6);
            if (np < 0)
                goto oom;
            t->cells[k].npieces = (size_t)np;
        }
    }
    if (size_columns(t, fr->column_width) < 0)
        goto oom;
    for (k = 0; k < t->ncells; k++) {
        tcell *c = &t->cells[k];
        for (size_t j = 0; j < c->npieces; j++)
            if (pdf_piece_rebreak(f, &t->texts.v[c->piece + j], cell_width(t, c) - 2 * t->pad,
                                  PANGO_ALIGN_LEFT) < 0)
                goto oom;
    }
    if (size_rows(t, 1.2 * 0.9 * sz) < 0 || make_groups(t) < 0)
        goto oom;
    /* Leading groups of header cells only are the header. */
    int in_header = 1;
    for (size_t g = 0; g < t->ngroups; g++) {
        tgroup *gr = &t->groups[g];
        double top = 0;
        for (size_t r = gr->row0; r < gr->row1; r++)
            top += t->rowh[r];
        gr->height = top;
        double rowtop = 0;
        size_t r = gr->row0;
        int all_header = gr->cell1 > gr->cell0;
        for (k = gr->cell0; k < gr->cell1; k++) {
            tcell *c = &t->cells[k];
            for (; r < c->row; r++)
                rowtop += t->rowh[r];
            c->y0 = rowtop;
            c->y1 = rowtop;
            for (size_t q = c->row; q < c->row + c->nrows; q++)
                c->y1 += t->rowh[q];
            all_header &= c->header;
        }
        in_header &= all_header && g + 1 < t->ngroups;
        pdf_piece *pc;
        if (!(pc = bt_array_add((void **)&out->v, &out->cap, &out->n, sizeof *out->v)))
            goto oom;
        pc->kind = PDF_PIECE_ROW;
        pc->table = t;
        pc->group = g;
        pc->width = t->width;
        pc->whole = 1;
        pc->header = in_header != 0;
        pc->keep_next = in_header != 0;
        pc->space_before = g == 0 && out->n - 1 == before ? 0.8 * sz : 0;
        if (group_bands(t, gr, pc) < 0)
            goto oom;
    }
    return 0;
oom:
    bt_error_nomem(err, NULL);
    return -1;
}

void pdf_table_draw(cairo_t *cr, const pdf_piece *pc, size_t k, size_t n, double x0,
                    double y0, pdf_line_drawer draw, void *ctx)
{
    const pdf_table *t = pc->table;
    const tgroup *g = &t->groups[pc->group];
    double b0 = pc->lines[k].top, b1 = pc->lines[k + n - 1].bottom;
    for (size_t i = g->cell0; i < g->cell1; i++) {
        const tcell *c = &t->cells[i];
        double a = fmax(c->y0, b0), b = fmin(c->y1, b1);
        if (b <= a + 1e-6)
            continue;
        double x = x0 + t->colx[c->col], w = cell_width(t, c);
        if (c->header) {
            cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
            cairo_rectangle(cr, x, y0 + a, w, b - a);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        cairo_set_line_width(cr, 0.5);
        cairo_rectangle(cr, x, y0 + a, w, b - a);
        cairo_stroke(cr);
        for (size_t j = 0; j < c->npieces; j++) {
            const pdf_piece *tp = &t->texts.v[c->piece + j];
            double off = piece_origin(t, c, j);
            for (size_t l = 0; l < tp->nlines; l++) {
                double top = off + tp->lines[l].top, bottom = off + tp->lines[l].bottom;
                if (top >= b0 - 1e-6 && bottom <= b1 + 1e-6)
                    draw(ctx, tp, l, x + t->pad, y0 + off);
            }
        }
    }
}
