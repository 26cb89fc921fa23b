/* docx_styles.c — the DOCX parts that describe the look of the document:
 * word/styles.xml (real named styles users can restyle in Word),
 * word/numbering.xml, word/settings.xml, the page options and the
 * --reference-doc template. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "docx_int.h"

void bt_docx_opts_init(bt_docx_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->toc = -1;
}

int bt_docx_opts_load(bt_docx_opts *o, bt_error *err)
{
    bt_buf styles = BT_BUF_INIT;

    if (!o->reference_doc || o->loaded_styles)
        return 0;
    if (bt_docx_styles_xml(o, "vi-VN", &styles) < 0) {
        bt_buf_free(&styles);
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return -1;
    }
    if (bt_docx_reference(o->reference_doc, o, &styles, err) < 0) {
        bt_buf_free(&styles);
        return -1;
    }
    o->loaded_styles_len = styles.len;
    o->loaded_styles = bt_buf_detach(&styles);
    return 0;
}

void bt_docx_opts_free(bt_docx_opts *o)
{
    free(o->loaded_styles);
    o->loaded_styles = NULL;
    o->loaded_styles_len = 0;
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
        if (v[n] < 0 || v[n] > 500)
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
        bt_error_set(err, BT_ERR_USAGE, "bad margin '%s' (one length, or TOP,RIGHT,BOTTOM,LEFT in mm)", s);
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

/* ---- styles.xml ---------------------------------------------------- */

static void fonts(bt_xw *x, const char *font)
{
    bt_xw_start(x, "w:rFonts");
    bt_xw_attr(x, "w:ascii", font);
    bt_xw_attr(x, "w:eastAsia", font);
    bt_xw_attr(x, "w:hAnsi", font);
    bt_xw_attr(x, "w:cs", font);
    bt_xw_end(x);
}

static void size(bt_xw *x, long half_points)
{
    bt_xw_vali(x, "w:sz", half_points);
    bt_xw_vali(x, "w:szCs", half_points);
}

static void spacing(bt_xw *x, int before, int after)
{
    bt_xw_start(x, "w:spacing");
    bt_xw_attrf(x, "w:before", "%d", before);
    bt_xw_attrf(x, "w:after", "%d", after);
    bt_xw_end(x);
}

/* <w:style> up to its pPr; the caller writes pPr/rPr and ends it. */
static void style_start(bt_xw *x, const char *type, const char *id,
                        const char *name, const char *based_on,
                        const char *next, int priority)
{
    bt_xw_start(x, "w:style");
    bt_xw_attr(x, "w:type", type);
    bt_xw_attr(x, "w:styleId", id);
    bt_xw_val(x, "w:name", name);
    if (based_on)
        bt_xw_val(x, "w:basedOn", based_on);
    if (next)
        bt_xw_val(x, "w:next", next);
    bt_xw_vali(x, "w:uiPriority", priority);
    bt_xw_val(x, "w:qFormat", NULL);
}

int bt_docx_styles_xml(const bt_docx_opts *o, const char *lang, bt_buf *out)
{
    const char *font = o->font && *o->font ? o->font : "Times New Roman";
    double pt = o->font_pt > 0 ? o->font_pt : 13.0;
    long sz = lround(pt * 2);
    bt_xw x;

    if (sz < 2)
        sz = 2;
    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "w:styles");
    bt_xw_attr(&x, "xmlns:w", BT_NS_W);

    bt_xw_start(&x, "w:docDefaults");
    bt_xw_start(&x, "w:rPrDefault");
    bt_xw_start(&x, "w:rPr");
    fonts(&x, font);
    size(&x, sz);
    bt_xw_start(&x, "w:lang");
    bt_xw_attr(&x, "w:val", lang);
    bt_xw_attr(&x, "w:eastAsia", lang);
    bt_xw_attr(&x, "w:bidi", "ar-SA");
    bt_xw_end(&x);
    bt_xw_end(&x); /* rPr */
    bt_xw_end(&x); /* rPrDefault */
    bt_xw_start(&x, "w:pPrDefault");
    bt_xw_start(&x, "w:pPr");
    bt_xw_start(&x, "w:spacing");
    bt_xw_attr(&x, "w:after", "120");
    bt_xw_attr(&x, "w:line", "276");
    bt_xw_attr(&x, "w:lineRule", "auto");
    bt_xw_end(&x);
    bt_xw_end(&x); /* pPr */
    bt_xw_end(&x); /* pPrDefault */
    bt_xw_end(&x); /* docDefaults */

    /* Normal body: justified, as Vietnamese documents are set. */
    bt_xw_start(&x, "w:style");
    bt_xw_attr(&x, "w:type", "paragraph");
    bt_xw_attr(&x, "w:default", "1");
    bt_xw_attr(&x, "w:styleId", "Normal");
    bt_xw_val(&x, "w:name", "Normal");
    bt_xw_val(&x, "w:qFormat", NULL);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:jc", "both");
    bt_xw_end(&x);
    bt_xw_end(&x);

    bt_xw_start(&x, "w:style");
    bt_xw_attr(&x, "w:type", "character");
    bt_xw_attr(&x, "w:default", "1");
    bt_xw_attr(&x, "w:styleId", "DefaultParagraphFont");
    bt_xw_val(&x, "w:name", "Default Paragraph Font");
    bt_xw_vali(&x, "w:uiPriority", 1);
    bt_xw_val(&x, "w:semiHidden", NULL);
    bt_xw_val(&x, "w:unhideWhenUsed", NULL);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Title", "Title", "Normal", "Date", 10);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:keepNext", NULL);
    bt_xw_val(&x, "w:keepLines", NULL);
    spacing(&x, 240, 240);
    bt_xw_val(&x, "w:jc", "center");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:b", NULL);
    bt_xw_val(&x, "w:bCs", NULL);
    size(&x, sz + 10);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Date", "Date", "Normal", "Byline", 11);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:keepNext", NULL);
    spacing(&x, 0, 60);
    bt_xw_val(&x, "w:jc", "center");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:i", NULL);
    bt_xw_val(&x, "w:iCs", NULL);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Byline", "Byline", "Normal", "Normal", 12);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:keepNext", NULL);
    spacing(&x, 0, 240);
    bt_xw_val(&x, "w:jc", "center");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:b", NULL);
    bt_xw_val(&x, "w:bCs", NULL);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Heading1", "heading 1", "Normal", "Normal", 9);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:keepNext", NULL);
    bt_xw_val(&x, "w:keepLines", NULL);
    spacing(&x, 240, 120);
    bt_xw_val(&x, "w:jc", "left");
    bt_xw_vali(&x, "w:outlineLvl", 0);
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:b", NULL);
    bt_xw_val(&x, "w:bCs", NULL);
    size(&x, sz + 2);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Heading2", "heading 2", "Normal", "Normal", 9);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:keepNext", NULL);
    bt_xw_val(&x, "w:keepLines", NULL);
    spacing(&x, 200, 100);
    bt_xw_val(&x, "w:jc", "left");
    bt_xw_vali(&x, "w:outlineLvl", 1);
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:b", NULL);
    bt_xw_val(&x, "w:bCs", NULL);
    bt_xw_val(&x, "w:i", NULL);
    bt_xw_val(&x, "w:iCs", NULL);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Quote", "Quote", "Normal", "Normal", 29);
    bt_xw_start(&x, "w:pPr");
    bt_xw_start(&x, "w:ind");
    bt_xw_attr(&x, "w:left", "567");
    bt_xw_attr(&x, "w:right", "567");
    bt_xw_end(&x);
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:i", NULL);
    bt_xw_val(&x, "w:iCs", NULL);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "ListParagraph", "List Paragraph", "Normal", NULL, 34);
    bt_xw_start(&x, "w:pPr");
    spacing(&x, 0, 60);
    bt_xw_start(&x, "w:ind");
    bt_xw_attr(&x, "w:left", "720");
    bt_xw_end(&x);
    bt_xw_val(&x, "w:contextualSpacing", NULL);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Caption", "caption", "Normal", "Normal", 35);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:jc", "center");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:i", NULL);
    bt_xw_val(&x, "w:iCs", NULL);
    size(&x, sz > 6 ? sz - 4 : sz);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "Related", "Related", "Heading2", "ListParagraph", 36);
    bt_xw_start(&x, "w:pPr");
    bt_xw_start(&x, "w:pBdr");
    bt_xw_start(&x, "w:top");
    bt_xw_attr(&x, "w:val", "single");
    bt_xw_attr(&x, "w:sz", "4");
    bt_xw_attr(&x, "w:space", "4");
    bt_xw_attr(&x, "w:color", "auto");
    bt_xw_end(&x);
    bt_xw_end(&x);
    spacing(&x, 360, 120);
    bt_xw_vali(&x, "w:outlineLvl", 9); /* not a document heading: keep it out of outlines */
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "TOCHeading", "TOC Heading", "Heading1", "Normal", 39);
    bt_xw_start(&x, "w:pPr");
    bt_xw_val(&x, "w:jc", "center");
    bt_xw_vali(&x, "w:outlineLvl", 9);
    bt_xw_end(&x);
    bt_xw_end(&x);

    style_start(&x, "paragraph", "TOC1", "toc 1", "Normal", "Normal", 39);
    bt_xw_start(&x, "w:pPr");
    spacing(&x, 0, 100);
    bt_xw_val(&x, "w:jc", "left");
    bt_xw_end(&x);
    bt_xw_end(&x);

    bt_xw_start(&x, "w:style");
    bt_xw_attr(&x, "w:type", "character");
    bt_xw_attr(&x, "w:styleId", "Hyperlink");
    bt_xw_val(&x, "w:name", "Hyperlink");
    bt_xw_val(&x, "w:basedOn", "DefaultParagraphFont");
    bt_xw_vali(&x, "w:uiPriority", 99);
    bt_xw_val(&x, "w:unhideWhenUsed", NULL);
    bt_xw_start(&x, "w:rPr");
    bt_xw_val(&x, "w:color", "0563C1");
    bt_xw_val(&x, "w:u", "single");
    bt_xw_end(&x);
    bt_xw_end(&x);

    bt_xw_end(&x); /* styles */
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

/* ---- numbering.xml ------------------------------------------------- */

static void abstract_num(bt_xw *x, int id, const char *nsid, const char *fmt,
                         const char *text)
{
    bt_xw_start(x, "w:abstractNum");
    bt_xw_attrf(x, "w:abstractNumId", "%d", id);
    bt_xw_val(x, "w:nsid", nsid);
    bt_xw_val(x, "w:multiLevelType", "singleLevel");
    bt_xw_start(x, "w:lvl");
    bt_xw_attr(x, "w:ilvl", "0");
    bt_xw_vali(x, "w:start", 1);
    bt_xw_val(x, "w:numFmt", fmt);
    bt_xw_val(x, "w:lvlText", text);
    bt_xw_val(x, "w:lvlJc", "left");
    bt_xw_start(x, "w:pPr");
    bt_xw_start(x, "w:ind");
    bt_xw_attr(x, "w:left", "720");
    bt_xw_attr(x, "w:hanging", "360");
    bt_xw_end(x);
    bt_xw_end(x);
    bt_xw_end(x); /* lvl */
    bt_xw_end(x);
}

int bt_docx_numbering_xml(size_t nnumbered, bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "w:numbering");
    bt_xw_attr(&x, "xmlns:w", BT_NS_W);
    abstract_num(&x, 0, "5B7A1C01", "bullet", "\xE2\x80\xA2");
    abstract_num(&x, 1, "5B7A1C02", "decimal", "%1.");
    for (size_t i = 1; i <= nnumbered + 1 && !x.failed; i++) {
        bt_xw_start(&x, "w:num");
        bt_xw_attrf(&x, "w:numId", "%zu", i);
        bt_xw_vali(&x, "w:abstractNumId", i == 1 ? 0 : 1);
        if (i > 1) { /* each numbered list counts from 1 again */
            bt_xw_start(&x, "w:lvlOverride");
            bt_xw_attr(&x, "w:ilvl", "0");
            bt_xw_vali(&x, "w:startOverride", 1);
            bt_xw_end(&x);
        }
        bt_xw_end(&x);
    }
    bt_xw_end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

/* ---- settings.xml -------------------------------------------------- */

int bt_docx_settings_xml(int update_fields, const char *lang, bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "w:settings");
    bt_xw_attr(&x, "xmlns:w", BT_NS_W);
    bt_xw_start(&x, "w:zoom");
    bt_xw_attr(&x, "w:percent", "100");
    bt_xw_end(&x);
    bt_xw_vali(&x, "w:defaultTabStop", 720);
    bt_xw_val(&x, "w:characterSpacingControl", "doNotCompress");
    if (update_fields)
        bt_xw_val(&x, "w:updateFields", "true");
    /* Word 2013+ layout: otherwise Word opens the file in Compatibility Mode */
    bt_xw_start(&x, "w:compat");
    bt_xw_start(&x, "w:compatSetting");
    bt_xw_attr(&x, "w:name", "compatibilityMode");
    bt_xw_attr(&x, "w:uri", "http://schemas.microsoft.com/office/word");
    bt_xw_attr(&x, "w:val", "15");
    bt_xw_end(&x);
    bt_xw_end(&x);
    bt_xw_start(&x, "w:themeFontLang");
    bt_xw_attr(&x, "w:val", lang);
    bt_xw_end(&x);
    bt_xw_end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

/* ---- --reference-doc ---------------------------------------------- */

#define REF_PART_MAX (16u << 20)

static int read_part(zip_t *z, const char *name, bt_buf *out)
{
    zip_stat_t st;
    zip_file_t *f;
    char chunk[8192];
    zip_int64_t n;

    if (zip_stat(z, name, 0, &st) < 0)
        return 1; /* no such part */
    if ((st.valid & ZIP_STAT_SIZE) && st.size > REF_PART_MAX)
        return -1;
    f = zip_fopen(z, name, 0);
    if (!f)
        return -1;
    while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0) {
        if (out->len + (size_t)n > REF_PART_MAX || bt_buf_add(out, chunk, (size_t)n) < 0) {
            zip_fclose(f);
            return -1;
        }
    }
    zip_fclose(f);
    return n < 0 ? -1 : 0;
}

static xmlDocPtr parse_part(const bt_buf *b)
{
    if (!b->len || b->len > INT32_MAX)
        return NULL;
    return xmlReadMemory(b->data, (int)b->len, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int is_w(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           !strcmp((const char *)n->ns->href, BT_NS_W) &&
           !strcmp((const char *)n->name, name);
}

static xmlNodePtr child_w(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

/* A twips attribute of a page element, in mm; -1 when absent. */
static double twips_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetNsProp(n, BAD_CAST name, BAD_CAST BT_NS_W);
    double mm = -1;

    if (v) {
        char *e;
        double t = strtod((const char *)v, &e);
        if (e != (char *)v && isfinite(t) && t >= 0 && t < 1e6)
            mm = t * 25.4 / 1440.0;
        xmlFree(v);
    }
    return mm;
}

static void take_page(xmlDocPtr doc, bt_docx_opts *o)
{
    xmlNodePtr body = child_w(xmlDocGetRootElement(doc), "body");
    xmlNodePtr sect = child_w(body, "sectPr"), sz, mar;

    if (!sect)
        return;
    sz = child_w(sect, "pgSz");
    mar = child_w(sect, "pgMar");
    if (sz && o->page_w_mm <= 0) {
        double w = twips_attr(sz, "w"), h = twips_attr(sz, "h");
        if (w >= 25 && h >= 25) {
            o->page_w_mm = w;
            o->page_h_mm = h;
        }
    }
    if (mar && !o->margins_set) {
        double t = twips_attr(mar, "top"), r = twips_attr(mar, "right");
        double b = twips_attr(mar, "bottom"), l = twips_attr(mar, "left");
        if (t >= 0 && r >= 0 && b >= 0 && l >= 0) {
            o->margin_top_mm = t, o->margin_right_mm = r;
            o->margin_bottom_mm = b, o->margin_left_mm = l;
            o->margins_set = 1;
        }
    }
}

static int has_style(xmlNodePtr root, const xmlChar *id)
{
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (is_w(c, "style")) {
            xmlChar *v = xmlGetNsProp(c, BAD_CAST "styleId", BAD_CAST BT_NS_W);
            int same = v && xmlStrEqual(v, id);
            xmlFree(v);
            if (same)
                return 1;
        }
    }
    return 0;
}

/* Their styles, plus ours wherever they lack a style id we use. */
static int merge_styles(xmlDocPtr theirs, const bt_buf *ours_xml, bt_buf *out)
{
    xmlDocPtr ours = parse_part(ours_xml);
    xmlNodePtr troot = xmlDocGetRootElement(theirs), oroot;
    xmlChar *mem = NULL;
    int len = 0, rc = -1;

    if (!ours)
        return -1;
    oroot = xmlDocGetRootElement(ours);
    for (xmlNodePtr c = oroot->children; c; c = c->next) {
        xmlChar *id;
        if (!is_w(c, "style"))
            continue;
        id = xmlGetNsProp(c, BAD_CAST "styleId", BAD_CAST BT_NS_W);
        if (id && !has_style(troot, id)) {
            xmlNodePtr copy = xmlDocCopyNode(c, theirs, 1);
            if (!copy || !xmlAddChild(troot, copy)) {
                xmlFreeNode(copy);
                xmlFree(id);
                goto done;
            }
            xmlReconciliateNs(theirs, copy);
        }
        xmlFree(id);
    }
    xmlDocDumpMemoryEnc(theirs, &mem, &len, "UTF-8");
    if (!mem)
        goto done;
    bt_buf_reset(out);
    rc = bt_buf_add(out, mem, (size_t)len);
done:
    xmlFree(mem);
    xmlFreeDoc(ours);
    return rc;
}

int bt_docx_reference(const char *path, bt_docx_opts *o, bt_buf *styles,
                      bt_error *err)
{
    bt_buf part = BT_BUF_INIT;
    xmlDocPtr doc = NULL;
    zip_t *z;
    int zerr = 0, rc = -1, got;

    z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        bt_error_set(err, BT_ERR_IO, "%s: cannot read the reference document: %s", path,
                     zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    got = read_part(z, "word/styles.xml", &part);
    if (got != 0 || !(doc = parse_part(&part)) ||
        !is_w(xmlDocGetRootElement(doc), "styles")) {
        bt_error_set(err, BT_ERR_INPUT, "%s: not a usable .docx: %s", path,
                     got == 1 ? "no word/styles.xml" : "word/styles.xml is not WordprocessingML styles");
        goto done;
    }
    if (merge_styles(doc, styles, styles) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory merging styles", path);
        goto done;
    }
    xmlFreeDoc(doc);
    doc = NULL;

    bt_buf_reset(&part); /* the page setup is optional: ignore what is not there */
    if (read_part(z, "word/document.xml", &part) == 0 && (doc = parse_part(&part)) &&
        is_w(xmlDocGetRootElement(doc), "document"))
        take_page(doc, o);
    rc = 0;
done:
    xmlFreeDoc(doc);
    bt_buf_free(&part);
    zip_close(z);
    return rc;
}
