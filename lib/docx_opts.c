/* docx_opts.c — the options of a Word document: page, margins, the
 * language of its furniture, and what bt_docx_opts_load prepares once
 * for many documents. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx_int.h"

void bt_docx_opts_init(bt_docx_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->toc = -1;
}

int bt_docx_opts_load(bt_docx_opts *o, bt_error *err)
{
    bt_docx_prepared *p;

    if (o->prepared)
        return 0;
    if (!(p = calloc(1, sizeof(*p)))) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    if (bt_docx_prepare(o, p, err) < 0) {
        bt_docx_prepared_free(p);
        free(p);
        return -1;
    }
    o->prepared = p;
    return 0;
}

void bt_docx_opts_free(bt_docx_opts *o)
{
    if (o->prepared) {
        bt_docx_prepared_free(o->prepared);
        free(o->prepared);
    }
    o->prepared = NULL;
}

void bt_docx_page_of(const bt_docx_opts *o, bt_docx_page *pg)
{
    pg->w = o->page_w_mm > 0 ? o->page_w_mm : 210;
    pg->h = o->page_h_mm > 0 ? o->page_h_mm : 297;
    pg->top = 20, pg->right = 15, pg->bottom = 20, pg->left = 30;
    if (o->margins_set) {
        pg->top = o->margin_top_mm, pg->right = o->margin_right_mm;
        pg->bottom = o->margin_bottom_mm, pg->left = o->margin_left_mm;
    }
}

long bt_docx_twips(double mm)
{
    return lround(mm * 1440.0 / 25.4);
}

static int check_page(const bt_docx_opts *o, bt_error *err)
{
    bt_docx_page pg;
    bt_docx_page_of(o, &pg);
    const double pt = 72.0 / 25.4;
    double m[4] = {pg.top * pt, pg.right * pt, pg.bottom * pt, pg.left * pt};
    return bt_page_check(pg.w * pt, pg.h * pt, m, err);
}

void bt_docx_prepared_free(bt_docx_prepared *p)
{
    bt_buf_free(&p->styles);
}

int bt_docx_prepare(bt_docx_opts *o, bt_docx_prepared *p, bt_error *err)
{
    memset(p, 0, sizeof(*p));
    bt_buf_init(&p->styles, 0);
    strcpy(p->table_style, "Table");
    if (o->lang && bt_lang_check(o->lang, err) < 0)
        return -1;
    if (bt_docx_styles_xml(o, "vi-VN", &p->styles) < 0) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    if (o->reference_doc && bt_docx_reference(o->reference_doc, o, p, err) < 0)
        return -1;
    return check_page(o, err);
}

/* ---- words and page options: the printers' shared ones ------------- */

int bt_docx_parse_lang(bt_docx_opts *o, const char *s, bt_error *err)
{
    if (bt_lang_check(s, err) < 0)
        return -1;
    o->lang = s;
    return 0;
}

int bt_docx_parse_paper(bt_docx_opts *o, const char *s, bt_error *err)
{
    double w, h;
    if (bt_paper_parse(s, &w, &h, err) < 0)
        return -1;
    o->page_w_mm = w * 25.4 / 72.0;
    o->page_h_mm = h * 25.4 / 72.0;
    return 0;
}

int bt_docx_parse_margin(bt_docx_opts *o, const char *s, bt_error *err)
{
    double m[4];
    if (bt_margins_parse(s, m, err) < 0)
        return -1;
    o->margin_top_mm = m[0] * 25.4 / 72.0;
    o->margin_right_mm = m[1] * 25.4 / 72.0;
    o->margin_bottom_mm = m[2] * 25.4 / 72.0;
    o->margin_left_mm = m[3] * 25.4 / 72.0;
    o->margins_set = 1;
    return 0;
}
