/* docx_styles.c — the DOCX parts that describe the look of the document:
 * word/styles.xml (real named styles users can restyle in Word, written
 * from one table), word/numbering.xml and word/settings.xml. */
#include <math.h>
#include <string.h>

#include "docx_int.h"

/* ---- styles.xml ---------------------------------------------------- */

enum {
    S_DEFAULT = 1u << 0,     /* w:default="1": the type's default style */
    S_QFORMAT = 1u << 1,     /* shown in the style gallery */
    S_SEMIHIDDEN = 1u << 2,
    S_UNHIDE = 1u << 3,
    S_KEEP_NEXT = 1u << 4,
    S_KEEP_LINES = 1u << 5,
    S_CONTEXTUAL = 1u << 6,  /* no spacing between paragraphs of the style */
    S_RULE_ABOVE = 1u << 7,  /* a thin rule over the paragraph */
    S_BOLD = 1u << 8,
    S_ITALIC = 1u << 9,
    S_GRID = 1u << 10,       /* table: thin borders on every cell */
    S_FIRST_ROW_BOLD = 1u << 11, /* table: the header row in bold */
    S_CELL_MARGINS = 1u << 12,   /* table: Word's default cell margins */
};

#define NONE (-1)

typedef struct style_spec {
    const char *type;           /* "paragraph", "character", "table" */
    const char *id, *name, *based_on, *next;
    int priority;               /* uiPriority; 0: none */
    unsigned flags;
    int before, after;          /* spacing in twips; NONE: inherited */
    const char *jc;             /* alignment; NULL: inherited */
    int outline;                /* outline level; NONE */
    int ind_left, ind_right;    /* indents in twips; 0: none */
    int size;                   /* half-points added to the body size; 0: same */
    const char *color, *underline;
} style_spec;

/* Titles and headings keep with what follows; the body is justified, as
 * Vietnamese documents are set; outline level 9 keeps furniture headings
 * out of the navigation pane. */
static const style_spec styles[] = {
    {"paragraph", "Normal", "Normal", NULL, NULL, 0, S_DEFAULT | S_QFORMAT,
     NONE, NONE, "both", NONE, 0, 0, 0, NULL, NULL},
    {"character", "DefaultParagraphFont", "Default Paragraph Font", NULL, NULL, 1,
     S_DEFAULT | S_SEMIHIDDEN | S_UNHIDE, NONE, NONE, NULL, NONE, 0, 0, 0, NULL, NULL},
    {"table", "TableNormal", "Normal Table", NULL, NULL, 99,
     S_DEFAULT | S_SEMIHIDDEN | S_UNHIDE | S_CELL_MARGINS, NONE, NONE, NULL, NONE, 0, 0, 0, NULL, NULL},
    {"paragraph", "Title", "Title", "Normal", "Date", 10,
     S_QFORMAT | S_KEEP_NEXT | S_KEEP_LINES | S_BOLD, 240, 240, "center", NONE, 0, 0, 10, NULL, NULL},
    {"paragraph", "Date", "Date", "Normal", "Byline", 11, S_QFORMAT | S_KEEP_NEXT | S_ITALIC,
     0, 60, "center", NONE, 0, 0, 0, NULL, NULL},
    {"paragraph", "Byline", "Byline", "Normal", "Normal", 12, S_QFORMAT | S_KEEP_NEXT | S_BOLD,
     0, 240, "center", NONE, 0, 0, 0, NULL, NULL},
    {"paragraph", "Heading1", "heading 1", "Normal", "Normal", 9,
     S_QFORMAT | S_KEEP_NEXT | S_KEEP_LINES | S_BOLD, 240, 120, "left", 0, 0, 0, 2, NULL, NULL},
    {"paragraph", "Heading2", "heading 2", "Normal", "Normal", 9,
     S_QFORMAT | S_KEEP_NEXT | S_KEEP_LINES | S_BOLD | S_ITALIC, 200, 100, "left", 1, 0, 0, 0, NULL, NULL},
    {"paragraph", "Quote", "Quote", "Normal", "Normal", 29, S_QFORMAT | S_ITALIC,
     NONE, NONE, NULL, NONE, 567, 567, 0, NULL, NULL},
    {"paragraph", "ListParagraph", "List Paragraph", "Normal", NULL, 34, S_QFORMAT | S_CONTEXTUAL,
     0, 60, NULL, NONE, 720, 0, 0, NULL, NULL},
    {"paragraph", "Figure", "Figure", "Normal", "Caption", 35, S_QFORMAT | S_KEEP_NEXT,
     120, 60, "center", NONE, 0, 0, 0, NULL, NULL},
    {"paragraph", "Caption", "caption", "Normal", "Normal", 35, S_QFORMAT | S_ITALIC,
     NONE, NONE, "center", NONE, 0, 0, -4, NULL, NULL},
    {"paragraph", "TableText", "Table Text", "Normal", NULL, 36, S_QFORMAT,
     0, 0, "left", NONE, 0, 0, 0, NULL, NULL},
    {"table", "Table", "Table", "TableNormal", NULL, 59, S_QFORMAT | S_GRID | S_FIRST_ROW_BOLD,
     NONE, NONE, NULL, NONE, 0, 0, 0, NULL, NULL},
    {"paragraph", "Related", "Related", "Heading2", "ListParagraph", 36, S_QFORMAT | S_RULE_ABOVE,
     360, 120, NULL, 9, 0, 0, 0, NULL, NULL},
    {"paragraph", "TOCHeading", "TOC Heading", "Heading1", "Normal", 39, S_QFORMAT,
     NONE, NONE, "center", 9, 0, 0, 0, NULL, NULL},
    {"paragraph", "TOC1", "toc 1", "Normal", "Normal", 39, S_QFORMAT,
     0, 100, "left", NONE, 0, 0, 0, NULL, NULL},
    {"paragraph", "TOC2", "toc 2", "Normal", "Normal", 39, S_QFORMAT,
     0, 60, "left", NONE, 284, 0, 0, NULL, NULL},
    {"paragraph", "Header", "header", "Normal", NULL, 99, S_UNHIDE,
     NONE, NONE, "center", NONE, 0, 0, -2, NULL, NULL},
    {"paragraph", "Footer", "footer", "Normal", NULL, 99, S_UNHIDE,
     NONE, NONE, "center", NONE, 0, 0, -2, NULL, NULL},
    {"character", "Hyperlink", "Hyperlink", "DefaultParagraphFont", NULL, 99, S_UNHIDE,
     NONE, NONE, NULL, NONE, 0, 0, 0, "0563C1", "single"},
};

static void fonts(bt_xw *x, const char *font)
{
    bt_xw_empty(x, "w:rFonts", "w:ascii", font, "w:eastAsia", font, "w:hAnsi", font, "w:cs",
                font, NULL);
}

static void size(bt_xw *x, long half_points)
{
    bt_xw_vali(x, "w:sz", half_points);
    bt_xw_vali(x, "w:szCs", half_points);
}

static void border(bt_xw *x, const char *side)
{
    bt_xw_empty(x, side, "w:val", "single", "w:sz", "4", "w:space", "4", "w:color", "auto", NULL);
}

static void ppr(bt_xw *x, const style_spec *s)
{
    if (!(s->flags & (S_KEEP_NEXT | S_KEEP_LINES | S_CONTEXTUAL | S_RULE_ABOVE)) &&
        s->before == NONE && s->after == NONE && !s->jc && s->outline == NONE &&
        !s->ind_left && !s->ind_right)
        return;
    bt_xw_start(x, "w:pPr");
    if (s->flags & S_KEEP_NEXT)
        bt_xw_val(x, "w:keepNext", NULL);
    if (s->flags & S_KEEP_LINES)
        bt_xw_val(x, "w:keepLines", NULL);
    if (s->flags & S_RULE_ABOVE) {
        bt_xw_start(x, "w:pBdr");
        border(x, "w:top");
        bt_xw_end(x);
    }
    if (s->before != NONE || s->after != NONE) {
        bt_xw_start(x, "w:spacing");
        if (s->before != NONE)
            bt_xw_attrf(x, "w:before", "%d", s->before);
        if (s->after != NONE)
            bt_xw_attrf(x, "w:after", "%d", s->after);
        bt_xw_end(x);
    }
    if (s->ind_left || s->ind_right) {
        bt_xw_start(x, "w:ind");
        if (s->ind_left)
            bt_xw_attrf(x, "w:left", "%d", s->ind_left);
        if (s->ind_right)
            bt_xw_attrf(x, "w:right", "%d", s->ind_right);
        bt_xw_end(x);
    }
    if (s->flags & S_CONTEXTUAL)
        bt_xw_val(x, "w:contextualSpacing", NULL);
    if (s->jc)
        bt_xw_val(x, "w:jc", s->jc);
    if (s->outline != NONE)
        bt_xw_vali(x, "w:outlineLvl", s->outline);
    bt_xw_end(x);
}

static void bold(bt_xw *x)
{
    bt_xw_val(x, "w:b", NULL);
    bt_xw_val(x, "w:bCs", NULL);
}

static void rpr(bt_xw *x, const style_spec *s, long sz)
{
    if (!(s->flags & (S_BOLD | S_ITALIC)) && !s->size && !s->color && !s->underline)
        return;
    bt_xw_start(x, "w:rPr");
    if (s->flags & S_BOLD)
        bold(x);
    if (s->flags & S_ITALIC) {
        bt_xw_val(x, "w:i", NULL);
        bt_xw_val(x, "w:iCs", NULL);
    }
    if (s->color)
        bt_xw_val(x, "w:color", s->color);
    if (s->size)
        size(x, sz + s->size >= 2 ? sz + s->size : 2);
    if (s->underline)
        bt_xw_val(x, "w:u", s->underline);
    bt_xw_end(x);
}

static void cell_margin(bt_xw *x, const char *side, const char *twips)
{
    bt_xw_empty(x, side, "w:w", twips, "w:type", "dxa", NULL);
}

static void tblpr(bt_xw *x, const style_spec *s)
{
    if (!(s->flags & (S_GRID | S_CELL_MARGINS)))
        return;
    bt_xw_start(x, "w:tblPr");
    if (s->flags & S_GRID) {
        static const char *const sides[] = {"w:top", "w:left", "w:bottom", "w:right",
                                            "w:insideH", "w:insideV"};
        bt_xw_start(x, "w:tblBorders");
        for (size_t i = 0; i < BT_ARRAY_LEN(sides); i++)
            bt_xw_empty(x, sides[i], "w:val", "single", "w:sz", "4", "w:space", "0", "w:color",
                        "auto", NULL);
        bt_xw_end(x);
    }
    if (s->flags & S_CELL_MARGINS) {
        bt_xw_start(x, "w:tblCellMar");
        cell_margin(x, "w:top", "0");
        cell_margin(x, "w:left", "108");
        cell_margin(x, "w:bottom", "0");
        cell_margin(x, "w:right", "108");
        bt_xw_end(x);
    }
    bt_xw_end(x);
}

static void style(bt_xw *x, const style_spec *s, long sz)
{
    bt_xw_start(x, "w:style");
    bt_xw_attr(x, "w:type", s->type);
    if (s->flags & S_DEFAULT)
        bt_xw_attr(x, "w:default", "1");
    bt_xw_attr(x, "w:styleId", s->id);
    bt_xw_val(x, "w:name", s->name);
    if (s->based_on)
        bt_xw_val(x, "w:basedOn", s->based_on);
    if (s->next)
        bt_xw_val(x, "w:next", s->next);
    if (s->priority)
        bt_xw_vali(x, "w:uiPriority", s->priority);
    if (s->flags & S_SEMIHIDDEN)
        bt_xw_val(x, "w:semiHidden", NULL);
    if (s->flags & S_UNHIDE)
        bt_xw_val(x, "w:unhideWhenUsed", NULL);
    if (s->flags & S_QFORMAT)
        bt_xw_val(x, "w:qFormat", NULL);
    ppr(x, s);
    rpr(x, s, sz);
    tblpr(x, s);
    if (s->flags & S_FIRST_ROW_BOLD) {
        bt_xw_start(x, "w:tblStylePr");
        bt_xw_attr(x, "w:type", "firstRow");
        bt_xw_start(x, "w:rPr");
        bold(x);
        bt_xw_end(x);
        bt_xw_end(x);
    }
    bt_xw_end(x);
}

int bt_docx_styles_xml(const bt_docx_opts *o, const char *lang, bt_buf *out)
{
    const char *font = o->font && *o->font ? o->font : "Times New Roman";
    double pt = o->font_pt > 0 ? o->font_pt : 13.0;
    long sz = lround(pt * 2);
    bt_xw x;

    if (sz < 2)
        sz = 2;
    if (bt_xw_open_part(&x, out, "w:styles", "xmlns:w", BT_NS_W) < 0)
        return -1;

    bt_xw_start(&x, "w:docDefaults");
    bt_xw_start(&x, "w:rPrDefault");
    bt_xw_start(&x, "w:rPr");
    fonts(&x, font);
    size(&x, sz);
    bt_xw_empty(&x, "w:lang", "w:val", lang, "w:eastAsia", lang, "w:bidi", "ar-SA", NULL);
    bt_xw_end(&x); /* rPr */
    bt_xw_end(&x); /* rPrDefault */
    bt_xw_start(&x, "w:pPrDefault");
    bt_xw_start(&x, "w:pPr");
    bt_xw_empty(&x, "w:spacing", "w:after", "120", "w:line", "276", "w:lineRule", "auto", NULL);
    bt_xw_end(&x); /* pPr */
    bt_xw_end(&x); /* pPrDefault */
    bt_xw_end(&x); /* docDefaults */
    for (size_t i = 0; i < BT_ARRAY_LEN(styles); i++)
        style(&x, &styles[i], sz);
    bt_xw_end(&x); /* styles */
    return bt_xw_finish(&x);
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
    bt_xw_empty(x, "w:ind", "w:left", "720", "w:hanging", "360", NULL);
    bt_xw_end(x);
    bt_xw_end(x); /* lvl */
    bt_xw_end(x);
}

int bt_docx_numbering_xml(size_t nnumbered, bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_part(&x, out, "w:numbering", "xmlns:w", BT_NS_W) < 0)
        return -1;
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
    return bt_xw_finish(&x);
}

/* ---- settings.xml -------------------------------------------------- */

int bt_docx_settings_xml(const char *lang, bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_part(&x, out, "w:settings", "xmlns:w", BT_NS_W) < 0)
        return -1;
    bt_xw_empty(&x, "w:zoom", "w:percent", "100", NULL);
    bt_xw_vali(&x, "w:defaultTabStop", 720);
    bt_xw_val(&x, "w:characterSpacingControl", "doNotCompress");
    /* Word 2013+ layout: otherwise Word opens the file in Compatibility Mode */
    bt_xw_start(&x, "w:compat");
    bt_xw_empty(&x, "w:compatSetting",
                "w:name", "compatibilityMode", "w:uri", "http://schemas.microsoft.com/office/word",
                "w:val", "15", NULL);
    bt_xw_end(&x);
    bt_xw_empty(&x, "w:themeFontLang", "w:val", lang, NULL);
    bt_xw_end(&x);
    return bt_xw_finish(&x);
}

