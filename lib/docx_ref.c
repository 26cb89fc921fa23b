/* docx_ref.c — --reference-doc: a user's .docx lends its styles (ours
 * fill the ids it lacks), its page setup, the place of its page numbers
 * and its default table style, as pandoc's reference documents do. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "docx_int.h"

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

/* Their default table style, when it is not Word's plain "Normal Table". */
static void take_table_style(xmlDocPtr styles, bt_docx_prepared *p)
{
    xmlNodePtr root = xmlDocGetRootElement(styles);

    for (xmlNodePtr c = root->children; c; c = c->next) {
        xmlChar *type, *def, *id;
        if (!is_w(c, "style"))
            continue;
        type = xmlGetNsProp(c, BAD_CAST "type", BAD_CAST BT_NS_W);
        def = xmlGetNsProp(c, BAD_CAST "default", BAD_CAST BT_NS_W);
        id = xmlGetNsProp(c, BAD_CAST "styleId", BAD_CAST BT_NS_W);
        if (type && def && id && xmlStrEqual(type, BAD_CAST "table") &&
            (xmlStrEqual(def, BAD_CAST "1") || xmlStrEqual(def, BAD_CAST "true")) &&
            !xmlStrEqual(id, BAD_CAST "TableNormal") &&
            (size_t)xmlStrlen(id) < sizeof(p->table_style))
            strcpy(p->table_style, (const char *)id);
        xmlFree(type), xmlFree(def), xmlFree(id);
    }
}

/* 1 when a field code's first word is PAGE. */
static int page_field(const xmlChar *code)
{
    const char *s = (const char *)code;

    while (*s == ' ')
        s++;
    return !strncmp(s, "PAGE", 4) && (s[4] == '\0' || s[4] == ' ' || s[4] == '\\');
}

/* 1 when the subtree holds a PAGE field (simple or complex). */
static int has_page_field(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (is_w(n, "fldSimple")) {
            xmlChar *v = xmlGetNsProp(n, BAD_CAST "instr", BAD_CAST BT_NS_W);
            int yes = v && page_field(v);
            xmlFree(v);
            if (yes)
                return 1;
        } else if (is_w(n, "instrText")) {
            xmlChar *v = xmlNodeGetContent(n);
            int yes = v && page_field(v);
            xmlFree(v);
            if (yes)
                return 1;
        }
        if (n->type == XML_ELEMENT_NODE && has_page_field(n->children))
            return 1;
    }
    return 0;
}

/* Page numbers go in the header when a header of theirs numbers pages
 * and no footer does. */
static void take_numbers_place(zip_t *z, bt_docx_prepared *p)
{
    zip_int64_t n = zip_get_num_entries(z, 0);
    int in_header = 0, in_footer = 0;
    bt_buf part = BT_BUF_INIT;

    for (zip_int64_t i = 0; i < n && i < 10000; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        int header = name && !strncmp(name, "word/header", 11);
        int footer = name && !strncmp(name, "word/footer", 11);
        xmlDocPtr doc;
        if ((!header && !footer) || strchr(name + 5, '/'))
            continue;
        bt_buf_reset(&part);
        if (read_part(z, name, &part) != 0 || !(doc = parse_part(&part)))
            continue;
        if (has_page_field(xmlDocGetRootElement(doc))) {
            in_header |= header;
            in_footer |= footer;
        }
        xmlFreeDoc(doc);
    }
    bt_buf_free(&part);
    p->numbers_in_header = in_header && !in_footer;
}

int bt_docx_reference(const char *path, bt_docx_opts *o, bt_docx_prepared *p,
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
    take_table_style(doc, p);
    if (merge_styles(doc, &p->styles, &p->styles) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory merging styles", path);
        goto done;
    }
    xmlFreeDoc(doc);
    doc = NULL;

    bt_buf_reset(&part); /* the page setup is optional: ignore what is not there */
    if (read_part(z, "word/document.xml", &part) == 0 && (doc = parse_part(&part)) &&
        is_w(xmlDocGetRootElement(doc), "document"))
        take_page(doc, o);
    take_numbers_place(z, p);
    rc = 0;
done:
    xmlFreeDoc(doc);
    bt_buf_free(&part);
    zip_close(z);
    return rc;
}
