/* docx_opts.c — the options of a Word document: page, margins, the
 * language of its furniture, and what bt_docx_opts_load prepares once
 * for many documents. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx_int.h"

#define MIN_TEXT_MM 20.0 /* the least text width or height margins may leave */

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
    if (pg.w - pg.left - pg.right < MIN_TEXT_MM || pg.h - pg.top - pg.bottom < MIN_TEXT_MM) {
        bt_error_set(err, BT_ERR_USAGE,
                     "margins %g,%g,%g,%g mm leave no room for text on a %gx%g mm page",
                     pg.top, pg.right, pg.bottom, pg.left, pg.w, pg.h);
        return -1;
    }
    return 0;
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
    if (o->lang && !bt_docx_words_for(o->lang)) {
        bt_error_set(err, BT_ERR_USAGE, "unknown language '%s' (vi, en or fr)", o->lang);
        return -1;
    }
    if (bt_docx_styles_xml(o, "vi-VN", &p->styles) < 0) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    if (o->reference_doc && bt_docx_reference(o->reference_doc, o, p, err) < 0)
        return -1;
    return check_page(o, err);
}

/* ---- words --------------------------------------------------------- */

static const bt_docx_words words[] = {
    {"vi", "M\xE1\xBB\xA5" "c l\xE1\xBB\xA5" "c", "Tin li\xC3\xAA" "n quan", "Trang ", "/", ""},
    {"en", "Contents", "Related", "Page ", " of ", ""},
    {"fr", "Sommaire", "Articles li\xC3\xA9s", "Page ", " sur ", ""},
};

const bt_docx_words *bt_docx_words_for(const char *lang)
{
    for (size_t i = 0; lang && i < BT_ARRAY_LEN(words); i++)
        if (!strncasecmp(lang, words[i].lang, 2) && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
            return &words[i];
    return NULL;
}

int bt_docx_parse_lang(bt_docx_opts *o, const char *s, bt_error *err)
{
    if (!bt_docx_words_for(s)) {
        bt_error_set(err, BT_ERR_USAGE, "unknown language '%s' (vi, en or fr)", s);
        return -1;
    }
    o->lang = s;
    return 0;
}

/* ---- page options -------------------------------------------------- */

/* A length with an optional unit, in millimetres; -1 when malformed. */
static double parse_length(const char *s, const char **end)
{
    char *e;
    double v = strtod(s, &e);
    double scale = 1.0;

    if (e == s || !isfinite(v) || v < 0)
        return -1;
    if (!strncasecmp(e, "mm", 2)) {
        e += 2;
    } else if (!strncasecmp(e, "cm", 2)) {
        scale = 10.0, e += 2;
    } else if (!strncasecmp(e, "in", 2)) {
        scale = 25.4, e += 2;
    } else if (!strncasecmp(e, "pt", 2)) {
        scale = 25.4 / 72.0, e += 2;
    }
    *end = e;
    return v * scale;
}

int bt_docx_parse_paper(bt_docx_opts *o, const char *s, bt_error *err)
{
    static const struct { const char *name; double w, h; } papers[] = {
        {"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210},
        {"B5", 176, 250}, {"Letter", 215.9, 279.4}, {"Legal", 215.9, 355.6},
    };
    const char *e;
    double w, h;

    for (size_t i = 0; i < BT_ARRAY_LEN(papers); i++) {
        if (!strcasecmp(s, papers[i].name)) {
            o->page_w_mm = papers[i].w;
            o->page_h_mm = papers[i].h;
            return 0;
        }
    }
    w = parse_length(s, &e);
    if (w > 0 && (*e == 'x' || *e == 'X')) {
        const char *unit_w = e;
        h = parse_length(e + 1, &e);
        if (h > 0 && *e == '\0') {
            /* "210x297mm": a unit given only at the end applies to both */
            const char *u = e;
            while (u > s && isalpha((unsigned char)u[-1]))
                u--;
            if (unit_w > s && !isalpha((unsigned char)unit_w[-1]) && *u) {
                const char *dummy;
                char tmp[32];
                snprintf(tmp, sizeof(tmp), "1%s", u);
                w *= parse_length(tmp, &dummy);
            }
            if (w >= 25 && h >= 25 && w <= 2000 && h <= 2000) {
                o->page_w_mm = w;
                o->page_h_mm = h;
                return 0;
            }
        }
    }
    bt_error_set(err, BT_ERR_USAGE, "unknown paper size '%s' (try A4, A5, Letter or 210x297mm)", s);
    return -1;
}

int bt_docx_parse_margin(bt_docx_opts *o, const char *s, bt_error *err)
{
    double v[4];
    int n = 0;
    const char *p = s, *e;

    while (n < 4) {
        v[n] = parse_length(p, &e);
        if (v[n] < 0 || v[n] > 200)
            break;
        n++;
        if (*e == '\0') {
            p = e;
            break;
        }
        if (*e != ',')
            break;
        p = e + 1;
    }
    if (*p != '\0' || (n != 1 && n != 4)) {
        bt_error_set(err, BT_ERR_USAGE,
                     "bad margin '%s' (one length, or TOP,RIGHT,BOTTOM,LEFT; 0 to 200 mm each)", s);
        return -1;
    }
    if (n == 1)
        v[1] = v[2] = v[3] = v[0];
    o->margin_top_mm = v[0];
    o->margin_right_mm = v[1];
    o->margin_bottom_mm = v[2];
    o->margin_left_mm = v[3];
    o->margins_set = 1;
    return 0;
}
