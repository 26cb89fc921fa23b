/* The PDF typesetter's public interface: documents, articles, sections
 * and the two passes of a bulletin, on cairo's PDF surface.  Pieces come
 * laid out from pdf_layout.c (and pdf_table.c), are placed by pdf_flow.c;
 * a bulletin's front pages are pdf_front.c's.
 *
 * Bulletins need, on page 1, the page numbers of articles that follow, and
 * "Trang N/M" needs M.  Rather than keep pages in memory, the caller runs
 * two passes over the same articles: the first only paginates (layout
 * without a surface) and keeps, per article, the page it starts on and
 * the shortened title and date for the contents; the second draws.
 * Memory is one article's layout plus that small list and a bounded cache
 * of shaped words (pdf_layout.c), however long the bulletin. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>

#include "pdf_int.h"

#define TOC_TITLE_CHARS 300
#define OUTLINE_TITLE_CHARS 200

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = bt_strdup(src);
    return *dst ? 0 : -1;
}

static int oom(bt_error *err)
{
    bt_error_nomem(err, NULL);
    return -1;
}

/* ---- articles ---- */

static const bt_words *article_words(const bt_pdf *p, const bt_article *a)
{
    return p->o.lang ? p->words : bt_words_or_vi(a->lang);
}

static int run_on(const bt_pdf *p)
{
    return p->o.bulletin && !p->o.page_per_article;
}

/* A rule-like piece of the full width. */
static pdf_piece *rule_piece(bt_pdf *p, pdf_pieces *ps, double thick, double space)
{
    pdf_piece *pc = bt_array_add((void **)&ps->v, &ps->cap, &ps->n, sizeof *ps->v);
    if (!pc)
        return NULL;
    pc->kind = PDF_PIECE_RULE;
    pc->lines = calloc(1, sizeof *pc->lines);
    if (!pc->lines)
        return NULL;
    pc->nlines = 1;
    pc->lines[0].bottom = pc->lines[0].baseline = thick;
    pc->width = p->frame.full_width;
    pc->height = thick;
    pc->full_width = 1;
    pc->keep_next = 1;
    pc->whole = 1;
    pc->space_before = space;
    return pc;
}

/* What comes before an article's title: a rule from the one before when
 * they run on, and the head of a section starting here. */
static int lead_in(bt_pdf *p, const bt_words *w, bt_error *err)
{
    pdf_fonts *f = &p->fonts;
    pdf_pieces *ps = &p->pieces;
    double sz = f->size;
    if (p->section_pending) {
        pdf_piece *h = pdf_plain_piece(f, ps, p->section ? p->section : w->other, f->section,
                                       p->frame.full_width, PANGO_ALIGN_LEFT, err);
        if (!h)
            return -1;
        h->full_width = 1;
        h->keep_next = 1;
        h->whole = 1;
        h->space_before = 2.0 * sz;
        if (!rule_piece(p, ps, 1.6, 0.25 * sz)) /* under the head */
            return oom(err);
    } else if (run_on(p) && p->page_open) {
        if (!rule_piece(p, ps, 0.5, 1.6 * sz))
            return oom(err);
    }
    return 0;
}

/* Paginates (and in the second pass draws) one article: from a new page,
 * or where the last one ended when a bulletin's articles run on.
 * Returns the page its title is on. */
static int typeset_article(bt_pdf *p, const bt_article *a, size_t number, bt_error *err)
{
    pdf_pieces_clear(&p->pieces);
    pdf_pieces_clear(&p->furniture);
    pdf_fonts_trim(&p->fonts);
    const bt_words *w = article_words(p, a);
    if (lead_in(p, w, err) < 0)
        return -1;
    size_t title = p->pieces.n;
    p->frame.report = p->cr != NULL;
    if (pdf_article_pieces(&p->fonts, &p->frame, a, w, &p->pieces, err) < 0)
        return -1;
    if (!p->page_open || !run_on(p)) {
        pdf_page_begin(p);
        p->ncols = 1;
    }
    p->table = NULL;
    p->mark_piece = title;
    p->mark_page = p->page;
    free(p->outline);
    free(p->section_outline);
    p->outline = p->section_outline = NULL;
    snprintf(p->dest, sizeof p->dest, "a%zu", number);
    if (p->cr) {
        char *t = bt_article_title_plain(a);
        p->outline = t ? pdf_shorten(t, OUTLINE_TITLE_CHARS) : NULL;
        free(t);
        if (!p->outline)
            return oom(err);
        if (!*p->outline) {
            free(p->outline);
            if (!(p->outline = bt_strdup("—")))
                return oom(err);
        }
        if (p->section_pending &&
            !(p->section_outline = bt_strdup(p->section ? p->section : w->other)))
            return oom(err);
        if (!p->have_meta_title && !p->o.bulletin) {
            cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, p->outline);
            const char *subject = a->source_name && *a->source_name ? a->source_name
                                                                    : a->date_text;
            if (subject && *subject)
                cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_SUBJECT,
                                               subject);
            p->have_meta_title = 1;
        }
        if (!p->have_author && a->byline && *a->byline) {
            cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_AUTHOR, a->byline);
            p->have_author = 1;
        }
    }
    p->section_pending = 0;
    pdf_place_all(p, &p->pieces);
    pdf_pieces_clear(&p->pieces);
    p->mark_piece = SIZE_MAX;
    return p->mark_page;
}

/* ---- the public interface ---- */

static void forward_notice(const char *msg, int failed, void *ctx)
{
    bt_pdf *p = ctx;
    if (p->o.on_notice)
        p->o.on_notice(msg, failed, p->o.notice_ctx);
}

bt_pdf *bt_pdf_new(const bt_pdf_opts *o, bt_error *err)
{
    bt_pdf *p = calloc(1, sizeof *p);
    if (!p) {
        oom(err);
        return NULL;
    }
    p->o = *o;
    if (dup_opt(&p->o.font, o->font) || dup_opt(&p->o.title, o->title) ||
        dup_opt(&p->o.issue, o->issue) || dup_opt(&p->o.date, o->date) ||
        dup_opt(&p->o.lang, o->lang) || dup_opt(&p->o.publisher, o->publisher) ||
        dup_opt(&p->o.notice, o->notice) || dup_opt(&p->o.logo, o->logo)) {
        oom(err);
        bt_pdf_free(p);
        return NULL;
    }
    if (p->o.columns < 1 || p->o.columns > 2)
        p->o.columns = 1;
    if (pdf_fonts_init(&p->fonts, p->o.font, err) < 0) {
        bt_pdf_free(p);
        return NULL;
    }
    const double *m = p->o.margin;
    double tw = p->o.page_width - m[1] - m[3];
    double th = p->o.page_height - m[0] - m[2];
    if (tw < 10 * p->fonts.size || th < 10 * p->fonts.size) {
        bt_error_set(err, BT_ERR_USAGE, "margins leave too little room on the page");
        bt_pdf_free(p);
        return NULL;
    }
    p->left = m[3];
    p->top = m[0];
    p->bottom = p->o.page_height - m[2];
    p->gutter = 1.5 * p->fonts.size;
    p->frame.full_width = tw;
    p->frame.column_width = p->o.columns == 2 ? (tw - p->gutter) / 2 : tw;
    p->frame.column_height = th;
    p->frame.run_on = run_on(p);
    p->frame.notice = forward_notice;
    p->frame.notice_ctx = p;
    p->ncols = 1;
    p->mark_piece = SIZE_MAX;
    p->words = bt_words_or_vi(p->o.lang ? p->o.lang : "vi");
    return p;
}

static int add_entry(bt_pdf *p, pdf_toc_entry **out)
{
    if (!(*out = bt_array_add((void **)&p->toc, &p->toc_cap, &p->ntoc, sizeof *p->toc)))
        return -1;
    return 0;
}

int bt_pdf_section(bt_pdf *p, const char *name, bt_error *err)
{
    free(p->section);
    p->section = NULL;
    if (name && !(p->section = bt_strdup(name)))
        return oom(err);
    p->section_pending = 1;
    if (!p->o.bulletin)
        return 0;
    if (!p->started) {
        pdf_toc_entry *e;
        if (add_entry(p, &e) < 0)
            return oom(err);
        e->section = 1;
        e->title = pdf_shorten(name ? name : p->words->other, TOC_TITLE_CHARS);
        if (!e->title)
            return oom(err);
        return 0;
    }
    if (p->next_entry >= p->ntoc || !p->toc[p->next_entry].section) {
        bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                                        "(a section that was not there)");
        return -1;
    }
    p->next_entry++;
    return 0;
}

static char *toc_date(const bt_pdf *p, const bt_article *a)
{
    bt_buf b = BT_BUF_INIT;
    if (bt_date_human(a->date_text, a->date_when, article_words(p, a)->code, &b) < 0) {
        bt_buf_free(&b);
        return NULL;
    }
    if (!b.len) {
        bt_buf_free(&b);
        return bt_strdup("");
    }
    char *d = pdf_shorten(b.data, 60);
    bt_buf_free(&b);
    return d;
}

int bt_pdf_measure(bt_pdf *p, const bt_article *a, bt_error *err)
{
    if (p->started) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: measuring after the output started");
        return -1;
    }
    if (p->narticles == 0 && !p->o.lang)
        p->words = bt_words_or_vi(a->lang);
    pdf_toc_entry *e;
    if (add_entry(p, &e) < 0)
        return oom(err);
    char *title = bt_article_title_plain(a);
    if (!title)
        return oom(err);
    e->title = pdf_shorten(title, TOC_TITLE_CHARS);
    free(title);
    e->date = toc_date(p, a);
    if (!e->title || !e->date)
        return oom(err);
    if (!*e->date) {
        free(e->date);
        e->date = NULL;
    }
    size_t k = p->ntoc - 1;
    int page = typeset_article(p, a, ++p->narticles, err);
    if (page < 0)
        return -1;
    p->toc[k].page = page;
    p->toc[k].end = p->page;
    p->total_pages = p->page;
    if (!run_on(p))
        pdf_page_end(p);
    return 0;
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
        bt_error_nomem(err, NULL);
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
        cairo_t *cr = p->cr;
        p->cr = NULL;
        int body = p->page;
        p->page = p->page_open = 0;
        int front = pdf_typeset_front(p, err);
        if (front < 0)
            return -1;
        p->front_pages = front;
        p->total_pages = body + front;
        p->page = p->page_open = 0;
        p->cr = cr;
        if (pdf_typeset_front(p, err) != front) {
            if (!err->msg[0])
                bt_error_set(err, BT_ERR_INTERNAL, "internal error: contents changed length");
            return -1;
        }
        pdf_page_end(p); /* the articles start on a page of their own */
    }
    p->narticles = 0;
    p->next_entry = 0;
    p->section_pending = 0;
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
    if (!p->o.bulletin && p->narticles == 0 && !p->o.lang)
        p->words = bt_words_or_vi(a->lang);
    size_t k = 0;
    if (p->o.bulletin) {
        if (p->next_entry >= p->ntoc || p->toc[p->next_entry].section) {
            bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                                            "(more articles than measured)");
            return -1;
        }
        k = p->next_entry++;
    }
    int page = typeset_article(p, a, ++p->narticles, err);
    if (page < 0)
        return -1;
    if (p->o.bulletin && (page - p->front_pages != p->toc[k].page ||
                          p->page - p->front_pages != p->toc[k].end)) {
        bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                                        "(article %zu)", p->narticles);
        return -1;
    }
    return 0;
}

int bt_pdf_finish(bt_pdf *p, bt_error *err)
{
    if (!p->started) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: finishing before starting");
        return -1;
    }
    if (p->o.bulletin && p->next_entry != p->ntoc) {
        bt_error_set(err, BT_ERR_INPUT, "the input changed between the two passes "
                                        "(fewer articles than measured)");
        return -1;
    }
    if (!p->o.bulletin && p->narticles == 0) {
        bt_error_set(err, BT_ERR_INPUT, "no articles in the input");
        return -1;
    }
    if (p->page == 0 && p->o.bulletin) {
        pdf_page_begin(p); /* cannot be: the front has a page */
    }
    if (p->page_open)
        pdf_draw_furniture(p);
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
    free(p->outline);
    free(p->section_outline);
    free(p->section);
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
