/* docx_table.c — a table block as a real Word table: its caption above
 * it, the grid worked out from the spans (w:gridSpan across, w:vMerge
 * down, the covered places filled with continuation cells as Word
 * requires), leading header rows repeated on every page (w:tblHeader),
 * the style of the reference document. */
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"

#define MAX_COLS 63 /* Word's limit */

typedef struct place {
    unsigned col, span, rows;
} place;

/* Where a cell placed at (r, col) with a rowspan reaches: the covered
 * columns are those whose origin row is above r and whose last row is r
 * or below. */
typedef struct cover {
    size_t first, last; /* rows */
    unsigned span;
} cover;

static int covered(const cover *cv, unsigned c, size_t r)
{
    return cv[c].span && cv[c].first < r && cv[c].last >= r;
}

/* Places every cell on the grid.  Returns the number of columns, or 0
 * when a row would pass MAX_COLS (then the table is written as text). */
static unsigned layout(const bt_block *b, place *pl, cover *cv)
{
    unsigned ncols = 0;
    size_t k = 0;

    memset(cv, 0, MAX_COLS * sizeof(*cv));
    for (size_t r = 0; r < b->nrows; r++) {
        const bt_row *row = &b->rows[r];
        unsigned c = 0;
        for (size_t i = 0; i < row->ncells; i++, k++) {
            const bt_cell *cell = &row->cells[i];
            unsigned span = cell->colspan ? cell->colspan : 1, rows = cell->rowspan ? cell->rowspan : 1;
            while (c < MAX_COLS && covered(cv, c, r))
                c += cv[c].span;
            if (c >= MAX_COLS)
                return 0;
            /* a span stops before the next place covered from above */
            for (unsigned j = 1; j < span; j++)
                if (c + j >= MAX_COLS || covered(cv, c + j, r)) {
                    span = j;
                    break;
                }
            if (rows > b->nrows - r)
                rows = (unsigned)(b->nrows - r);
            pl[k] = (place){c, span, rows};
            cv[c] = (cover){r, r + rows - 1, span};
            c += span;
            if (c > ncols)
                ncols = c;
        }
    }
    return ncols;
}

static void cell_start(bt_xw *x, long width, unsigned span, const char *vmerge)
{
    bt_xw_start(x, "w:tc");
    bt_xw_start(x, "w:tcPr");
    bt_xw_start(x, "w:tcW");
    bt_xw_attrf(x, "w:w", "%ld", width * span);
    bt_xw_attr(x, "w:type", "dxa");
    bt_xw_end(x);
    if (span > 1)
        bt_xw_vali(x, "w:gridSpan", span);
    if (vmerge)
        bt_xw_val(x, "w:vMerge", *vmerge ? vmerge : NULL);
    bt_xw_end(x);
}

/* A cell with nothing in it (a place covered from above, or past the end
 * of a short row) still needs its paragraph. */
static void empty_cell(bt_xw *x, long width, unsigned span, const char *vmerge)
{
    cell_start(x, width, span, vmerge);
    bt_docx_para_start(x, "TableText", 0, 0);
    bt_xw_end(x);
    bt_xw_end(x);
}

static int row_is_header(const bt_row *row)
{
    if (row->ncells == 0)
        return 0;
    for (size_t i = 0; i < row->ncells; i++)
        if (!row->cells[i].header)
            return 0;
    return 1;
}

static int grid(bt_docx *d, const bt_block *b, const place *pl, cover *cv, unsigned ncols,
                const char *lang)
{
    bt_xw *x = &d->xbody;
    long text_w = bt_docx_twips(d->page.w - d->page.left - d->page.right);
    long col_w = text_w / ncols;
    int heading = 1;
    size_t k = 0;

    bt_xw_start(x, "w:tbl");
    bt_xw_start(x, "w:tblPr");
    bt_xw_val(x, "w:tblStyle", d->prep->table_style);
    bt_xw_empty(x, "w:tblW", "w:w", "5000", "w:type", "pct", NULL);
    bt_xw_val(x, "w:tblLook", "04A0"); /* first row and column formatting, row bands */
    bt_xw_end(x);
    bt_xw_start(x, "w:tblGrid");
    for (unsigned c = 0; c < ncols; c++) {
        bt_xw_start(x, "w:gridCol");
        bt_xw_attrf(x, "w:w", "%ld", col_w);
        bt_xw_end(x);
    }
    bt_xw_end(x);

    memset(cv, 0, MAX_COLS * sizeof(*cv));
    for (size_t r = 0; r < b->nrows; r++) {
        const bt_row *row = &b->rows[r];
        unsigned c = 0;
        size_t i = 0;

        heading = heading && row_is_header(row);
        bt_xw_start(x, "w:tr");
        if (heading) {
            bt_xw_start(x, "w:trPr");
            bt_xw_val(x, "w:tblHeader", NULL);
            bt_xw_end(x);
        }
        while (c < ncols) {
            if (covered(cv, c, r)) {
                unsigned span = cv[c].span;
                empty_cell(x, col_w, span, "");
                c += span;
            } else if (i < row->ncells && pl[k].col == c) {
                const place *p = &pl[k];
                const bt_cell *cell = &row->cells[i];
                cell_start(x, col_w, p->span, p->rows > 1 ? "restart" : NULL);
                bt_docx_para_start(x, "TableText", 0, 0);
                if (bt_docx_runs(d, x, &cell->text, cell->header ? BT_STYLE_STRONG : 0, lang) < 0)
                    return -1;
                bt_xw_end(x); /* p */
                bt_xw_end(x); /* tc */
                cv[c] = (cover){r, r + p->rows - 1, p->span};
                c += p->span;
                i++, k++;
            } else {
                empty_cell(x, col_w, 1, NULL);
                c++;
            }
        }
        k += row->ncells - i; /* none are left: layout placed them all */
        bt_xw_end(x); /* tr */
    }
    bt_xw_end(x); /* tbl */
    /* a paragraph after it, so that two tables in a row stay two */
    bt_xw_val(x, "w:p", NULL);
    return 0;
}

/* More than Word's 63 columns: each row as one line of text. */
static int as_text(bt_docx *d, const bt_block *b, const char *lang)
{
    bt_xw *x = &d->xbody;
    bt_text sep = {0};
    bt_span bar = {" | ", 0, NULL};

    sep.spans = &bar;
    sep.nspans = 1;
    for (size_t r = 0; r < b->nrows; r++) {
        const bt_row *row = &b->rows[r];
        bt_docx_para_start(x, "TableText", 0, 0);
        for (size_t i = 0; i < row->ncells; i++) {
            if ((i > 0 && bt_docx_runs(d, x, &sep, 0, lang) < 0) ||
                bt_docx_runs(d, x, &row->cells[i].text, row->cells[i].header ? BT_STYLE_STRONG : 0,
                             lang) < 0)
                return -1;
        }
        bt_xw_end(x);
    }
    return 0;
}

int bt_docx_table(bt_docx *d, const bt_block *b, const char *lang)
{
    cover cv[MAX_COLS];
    place *pl = NULL;
    size_t ncells = 0;
    unsigned ncols;
    int rc;

    if (!bt_text_is_empty(&b->text)) {
        bt_docx_para_start(&d->xbody, "Caption", 0, 1);
        if (bt_docx_runs(d, &d->xbody, &b->text, 0, lang) < 0)
            return -1;
        bt_xw_end(&d->xbody);
    }
    for (size_t r = 0; r < b->nrows; r++)
        ncells += b->rows[r].ncells;
    if (ncells == 0)
        return 0;
    if (!(pl = calloc(ncells, sizeof(*pl))))
        return -1;
    ncols = layout(b, pl, cv);
    rc = ncols ? grid(d, b, pl, cv, ncols, lang) : as_text(d, b, lang);
    free(pl);
    return rc;
}
