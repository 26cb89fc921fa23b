/* A bulletin's first pages: the masthead (the issuing body and a notice
 * line, the logo, the title, the issue and the date) and the contents,
 * titles with dot leaders to their page numbers, each entry a link to
 * where its article starts. */
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"

#define EPS 0.01

/* "Thứ sáu, ngày 14 tháng 7 năm 2023" from the bulletin's date. */
static char *bulletin_date_text(const bt_pdf *p)
{
    bt_date d;
    bt_buf b = BT_BUF_INIT;
    if (!p->o.date || bt_when_parse(p->o.date, &d) < 0)
        return bt_strdup("");
    if (bt_date_long(&d, p->words->code, &b) < 0) {
        bt_buf_free(&b);
        return NULL;
    }
    return bt_buf_detach(&b);
}

/* Places ps's pieces in order (not balanced: the front is one column). */
static void place(bt_pdf *p, pdf_pieces *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        pdf_place_piece(p, ps->v, i, ps->n);
}

/* The publisher on the left and the notice on the right of one line. */
static int top_line(bt_pdf *p, pdf_pieces *ps, bt_error *err)
{
    pdf_fonts *f = &p->fonts;
    double w = p->frame.full_width;
    const char *left = p->o.publisher, *right = p->o.notice;
    if (!left && !right)
        return 0;
    pdf_pieces_clear(ps);
    pdf_piece *l = pdf_plain_piece(f, ps, left ? left : right, left ? f->small_head : f->meta,
                                   left && right ? w * 0.58 : w,
                                   left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, err);
    if (!l)
        return -1;
    l->full_width = 1;
    place(p, ps);
    if (left && right) {
        double base = p->last_baseline, y = p->y;
        pdf_piece *r = pdf_plain_piece(f, &p->furniture, right, f->meta, w * 0.42,
                                       PANGO_ALIGN_RIGHT, err);
        if (!r)
            return -1;
        double first = r->lines[0].baseline;
        pdf_draw_lines(p, r, 0, r->nlines, p->left + w * 0.58, base - first);
        double end = base - first + r->lines[r->nlines - 1].bottom;
        p->y = end > y ? end : y;
        pdf_pieces_clear(&p->furniture);
    }
    p->y += 0.8 * f->size;
    return 0;
}

/* The logo, centred, at most 22 mm high and a third of the width. */
static int logo(bt_pdf *p, pdf_pieces *ps)
{
    if (!p->o.logo)
        return 0;
    pdf_image_info info;
    const char *why;
    if (pdf_image_probe(p->o.logo, &info, &why) < 0)
        return 0; /* checked by bt_pdf_opts_check; gone since: no logo */
    double maxh = 22 * 72 / 25.4, maxw = p->frame.full_width / 3;
    double w = info.width * 0.75, h = info.height * 0.75;
    if (h > maxh)
        w *= maxh / h, h = maxh;
    if (w > maxw)
        h *= maxw / w, w = maxw;
    pdf_pieces_clear(ps);
    if (bt_grow_array((void **)&ps->v, &ps->cap, 1, sizeof *ps->v) < 0)
        return -1;
    pdf_piece *pc = &ps->v[ps->n++];
    memset(pc, 0, sizeof *pc);
    pc->kind = PDF_PIECE_IMAGE;
    pc->img = info;
    pc->src = bt_strdup(p->o.logo);
    pc->lines = calloc(1, sizeof *pc->lines);
    if (!pc->src || !pc->lines)
        return -1;
    pc->nlines = 1;
    pc->lines[0].bottom = pc->lines[0].baseline = h;
    pc->width = w;
    pc->height = h;
    pc->full_width = 1;
    pc->indent = (p->frame.full_width - w) / 2;
    place(p, ps);
    p->y += 0.5 * p->fonts.size;
    return 0;
}

static int masthead(bt_pdf *p, pdf_pieces *ps, bt_error *err)
{
    pdf_fonts *f = &p->fonts;
    double w = p->frame.full_width, sz = f->size;
    if (top_line(p, ps, err) < 0 || logo(p, ps) < 0)
        return -1;
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
    if (!mast) {
        bt_buf_free(&line);
        return -1;
    }
    mast->full_width = 1;
    place(p, ps);
    pdf_pieces_clear(ps);
    p->y += 0.5 * sz;
    pdf_rule(p, p->y, 1.4);
    p->y += 0.5 * sz;
    pdf_piece *sub = pdf_plain_piece(f, ps, line.data, f->meta, w, PANGO_ALIGN_CENTER, err);
    bt_buf_free(&line);
    if (!sub)
        return -1;
    sub->full_width = 1;
    sub->gray = 0.25;
    place(p, ps);
    p->y += 0.4 * sz;
    pdf_rule(p, p->y, 0.5);
    p->y += 1.2 * sz;
    return 0;
}

/* A new page unless h more points fit on this one. */
static void keep_room(bt_pdf *p, double h)
{
    if (p->y + h > p->bottom + EPS && p->y > p->top + EPS)
        pdf_page_begin(p);
}

/* Dot leaders from x0 to x1 on the baseline: drawn, not text, so that a
 * reader's text layer holds the title and the number only. */
static void leaders(bt_pdf *p, double x0, double x1, double base)
{
    if (!p->cr)
        return;
    double step = p->fonts.size * 0.45;
    cairo_set_source_rgb(p->cr, 0.45, 0.45, 0.45);
    for (double x = x1 - step / 2; x > x0 + step / 2; x -= step) {
        cairo_arc(p->cr, x, base - 0.6, 0.55, 0, 6.2832);
        cairo_fill(p->cr);
    }
}

/* One entry: the title (bold, wrapped at spaces) with leaders to its page
 * number on its last line, the date under it; a link over it all. */
static int entry(bt_pdf *p, pdf_pieces *ps, const pdf_toc_entry *e, size_t number,
                 bt_error *err)
{
    pdf_fonts *f = &p->fonts;
    double w = p->frame.full_width, sz = f->size, numw = 3.2 * sz;
    pdf_pieces_clear(ps);
    pdf_fonts_trim(f); /* no piece is alive */
    pdf_piece *t = pdf_plain_piece(f, ps, e->title, e->section ? f->head : f->toc,
                                   e->section ? w : w - numw - 2 * sz, PANGO_ALIGN_LEFT, err);
    if (!t)
        return -1;
    t->space_before = (e->section ? 1.3 : 0.65) * sz;
    t->whole = 1;
    t->full_width = 1;
    if (e->section) {
        /* With the first entry under it. */
        keep_room(p, t->space_before + pdf_piece_height(t, t->nlines) + 4 * sz);
        place(p, ps);
        return 0;
    }
    if (e->date) {
        pdf_piece *d = pdf_plain_piece(f, ps, e->date, f->meta, w - numw, PANGO_ALIGN_LEFT, err);
        if (!d)
            return -1;
        t = &ps->v[0];
        t->keep_next = 1;
        d->whole = 1;
        d->full_width = 1;
        d->gray = 0.35;
        d->space_before = 0.1 * sz;
    }
    pdf_place_piece(p, ps->v, 0, ps->n);
    t = &ps->v[0];
    double top = p->last_top, base0 = p->last_baseline;
    if (p->cr) {
        size_t last = t->nlines - 1;
        double base = base0 - t->lines[0].baseline + t->lines[last].baseline;
        double xa = 0, xb = 0;
        pdf_line_x_range(t, last, t->lines[last].start,
                         t->lines[last].start + t->lines[last].len, &xa, &xb);
        char num[24];
        snprintf(num, sizeof num, "%d", p->front_pages + e->page);
        pdf_piece *np = pdf_plain_piece(f, &p->furniture, num, f->toc, numw,
                                        PANGO_ALIGN_RIGHT, err);
        if (!np)
            return -1;
        double nx = p->left + w - numw;
        pdf_draw_lines(p, np, 0, 1, nx, base - np->lines[0].baseline);
        leaders(p, p->left + xb + 0.3 * sz, nx + np->lines[0].x - 0.3 * sz, base);
        pdf_pieces_clear(&p->furniture);
        char attr[128];
        snprintf(attr, sizeof attr, "dest='a%zu' rect=[%.2f %.2f %.2f %.2f]", number,
                 p->left, top, w, pdf_piece_height(t, t->nlines));
        cairo_tag_begin(p->cr, CAIRO_TAG_LINK, attr);
        cairo_tag_end(p->cr, CAIRO_TAG_LINK);
    }
    for (size_t k = 1; k < ps->n; k++)
        pdf_place_piece(p, ps->v, k, ps->n);
    return 0;
}

int pdf_typeset_front(bt_pdf *p, bt_error *err)
{
    pdf_pieces *ps = &p->pieces;
    int start = p->page + 1;
    pdf_page_begin(p);
    p->ncols = 1;
    p->mark_piece = SIZE_MAX;
    if (masthead(p, ps, err) < 0)
        goto fail;
    pdf_pieces_clear(ps);
    if (p->ntoc) {
        pdf_piece *head = pdf_plain_piece(&p->fonts, ps, p->words->contents, p->fonts.head,
                                          p->frame.full_width, PANGO_ALIGN_LEFT, err);
        if (!head)
            goto fail;
        head->full_width = 1;
        keep_room(p, pdf_piece_height(head, head->nlines) + 4 * p->fonts.size);
        place(p, ps);
    }
    size_t number = 0;
    for (size_t i = 0; i < p->ntoc; i++) {
        const pdf_toc_entry *e = &p->toc[i];
        if (entry(p, ps, e, e->section ? 0 : ++number, err) < 0)
            goto fail;
    }
    pdf_pieces_clear(ps);
    return p->page - start + 1;
fail:
    pdf_pieces_clear(ps);
    if (!err->msg[0])
        bt_error_nomem(err, NULL);
    return -1;
}
