/*
 * Articles from HTML news pages.
 *
 * The page comes decoded to UTF-8 (the input layer's one decoding step:
 * the charset its container or the page declares, a BOM, detection) and
 * is parsed with libxml2's tolerant HTML parser, without network access.
 * Then:
 *   1. metadata the page declares (page_html_meta.c): title, date, author,
 *      address, site name;
 *   2. the article's container, found by scoring blocks (page_html_score.c),
 *      plus the lead (sapo) printed above it;
 *   3. its blocks: paragraphs, subheadings, quotes, lists, figures with
 *      captions, inline em/strong/links (made absolute);
 *   4. the text-page rules on those blocks: related-news headings and the
 *      links under them, furniture lines, "Nguồn:", the byline, a dateline.
 * A page without article text (a home page, a category list) is not an
 * article: bt_htmlpage_extract says so and returns 0.
 */
#include "page_int.h"

#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    MAX_PARA = 1 << 20,    /* bytes in one paragraph (XML readers' limits) */
    MAX_TITLE = 1000,
    MIN_ARTICLE = 250,     /* characters of paragraph text an article has */
    MIN_RETRY = 500,       /* below this, score again without class words */
    MAX_LEAD = 2000,
    MAX_BYLINE_BLOCKS = 2, /* the byline is among the last few blocks */
    MAX_SPANS = 4096,      /* styled runs in one paragraph */
    MAX_HEADING = 200,     /* characters: a longer <h2> is a lead, not a subheading */
};

/* ---- assembling ---- */

typedef struct extract {
    const bt_extract_opts *opts;
    bt_article *a;
    char tz[7];
    const char *name;
    bt_error *err;
    bt_html_meta meta;
    bt_html_scan scan;
    const char *base;   /* URL links are made absolute against */
    char *title_plain;
    /* the block being written */
    bt_text pending;    /* committed runs of the block being written */
    bt_buf run;         /* the last run, still growing (one look) */
    unsigned run_style;
    char *run_href;
    size_t pending_len; /* bytes in pending and run */
    int pending_space;
    int quote, heading, in_list;
    size_t list_block;  /* index of the open LIST block */
    int figure;
    size_t figure_block;
    int table, caption;  /* inside a data table, its caption */
    size_t table_block;
    xmlNodePtr table_node;
    xmlNodePtr root;    /* of the subtree being written */
    xmlNodePtr page;    /* the document's root element */
    char *junk_byline;  /* a byline found in a box left out */
    size_t lead_blocks; /* blocks written from a lead above the article */
} extract;

static int oom(extract *x)
{
    bt_error_nomem(x->err, x->name);
    return -1;
}

static int set_str(char **field, const char *s)
{
    free(*field);
    *field = bt_strdup(s);
    return *field ? 0 : -1;
}

static char *plain_of(const bt_text *t)
{
    bt_buf b = BT_BUF_INIT;
    if (bt_text_plain(t, &b) < 0) {
        bt_buf_free(&b);
        return NULL;
    }
    return bt_buf_detach(&b);
}

/* Text is gathered in runs of one look, so that many small text nodes
 * cost linear time; a run goes into pending when the look changes. */
static int commit_run(extract *x)
{
    int rc = 0;
    if (x->run.len)
        rc = bt_text_add(&x->pending, x->run.data, x->run.len, x->run_style, x->run_href);
    bt_buf_reset(&x->run);
    free(x->run_href);
    x->run_href = NULL;
    return rc;
}

static int add_piece(extract *x, const char *s, size_t len, unsigned style, const char *href)
{
    if (x->pending.nspans >= MAX_SPANS) {
        /* a paragraph of endless markup: the rest of it is plain text */
        style = 0;
        href = NULL;
    }
    int same = x->run_style == style && ((!href && !x->run_href) || (href && x->run_href && !strcmp(href, x->run_href)));
    if (x->run.len && !same && commit_run(x) < 0)
        return -1;
    if (!x->run.len) {
        x->run_style = style;
        free(x->run_href);
        x->run_href = NULL;
        if (href && !(x->run_href = bt_strdup(href)))
            return -1;
    }
    if (bt_buf_add(&x->run, s, len) < 0)
        return -1;
    x->pending_len += len;
    return 0;
}

/* Ends the block being written: into the open figure's caption, the open
 * list's next item, or a new paragraph, subheading or quote. */
static int flush(extract *x)
{
    bt_text *t = &x->pending;
    if (commit_run(x) < 0)
        return oom(x);
    bt_text_trim_end(t);
    x->pending_space = 0;
    x->pending_len = 0;
    if (!t->nspans)
        return 0;
    bt_block *b = NULL;
    if (x->table) {
        /* a cell's text (or the caption's), its blocks run together */
        bt_block *tb = &x->a->blocks[x->table_block];
        bt_text *dst = &tb->text;
        if (!x->caption) {
            if (!tb->nrows || !tb->rows[tb->nrows - 1].ncells) {
                bt_text_free(t);
                return 0; /* text between cells */
            }
            bt_row *r = &tb->rows[tb->nrows - 1];
            dst = &r->cells[r->ncells - 1].text;
        }
        if (dst->nspans && bt_text_add(dst, " ", 1, 0, NULL) < 0)
            return oom(x);
        for (size_t i = 0; i < t->nspans; i++)
            if (bt_text_add(dst, t->spans[i].text, strlen(t->spans[i].text), t->spans[i].style,
                            t->spans[i].href) < 0)
                return oom(x);
        bt_text_free(t);
        return 0;
    }
    if (x->figure) {
        b = &x->a->blocks[x->figure_block];
        if (b->text.nspans && bt_text_add(&b->text, " ", 1, 0, NULL) < 0)
            return oom(x);
        for (size_t i = 0; i < t->nspans; i++)
            if (bt_text_add(&b->text, t->spans[i].text, strlen(t->spans[i].text), t->spans[i].style,
                            t->spans[i].href) < 0)
                return oom(x);
        bt_text_free(t);
        return 0;
    }
    if (x->in_list) {
        bt_text *item = bt_block_add_item(&x->a->blocks[x->list_block]);
        if (!item)
            return oom(x);
        *item = *t;
        memset(t, 0, sizeof *t);
        return 0;
    }
    b = bt_article_add_block(x->a, x->heading ? BT_BLOCK_H : x->quote ? BT_BLOCK_QUOTE : BT_BLOCK_P);
    if (!b)
        return oom(x);
    b->text = *t;
    memset(t, 0, sizeof *t);
    return 0;
}

/* em/strong/link of a text node, from its ancestors inside the subtree. */
static unsigned style_of(extract *x, xmlNodePtr n, const char **href)
{
    unsigned style = 0;
    *href = NULL;
    for (xmlNodePtr p = n->parent; p && p != x->root->parent; p = p->parent) {
        if (bt_html_is(p, "em") || bt_html_is(p, "i") || bt_html_is(p, "cite"))
            style |= BT_STYLE_EM;
        else if (bt_html_is(p, "strong") || bt_html_is(p, "b"))
            style |= BT_STYLE_STRONG;
        else if (bt_html_is(p, "a") && !*href)
            *href = bt_html_attr(p, "href");
        if (p == x->root)
            break;
    }
    return style;
}

/* An absolute link, or NULL for script and in-page links. */
static xmlChar *absolute(extract *x, const char *href)
{
    while (href && (*href == ' ' || *href == '\n' || *href == '\t'))
        href++;
    if (!href || !*href || *href == '#' || !strncasecmp(href, "javascript:", 11) ||
        !strncasecmp(href, "data:", 5))
        return NULL;
    xmlChar *u = x->base ? xmlBuildURI((const xmlChar *)href, (const xmlChar *)x->base) : NULL;
    return u ? u : xmlStrdup((const xmlChar *)href);
}

/* White space at the start (end = 0) or the end of s: ASCII, U+00A0,
 * U+2000–U+200A, U+202F, U+205F, U+3000. */
static int space_at(const char *s, size_t len, int end)
{
    if (!len)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = end ? u[len - 1] : u[0];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f')
        return 1;
    if (len >= 2 && (end ? (u[len - 2] == 0xC2 && u[len - 1] == 0xA0) : (u[0] == 0xC2 && u[1] == 0xA0)))
        return 1;
    if (len >= 3) {
        const unsigned char *p = end ? u + len - 3 : u;
        if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF))
            return 1;
        if ((p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) || (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))
            return 1;
    }
    return 0;
}

static int add_inline(extract *x, xmlNodePtr n)
{
    const char *raw = (const char *)n->content;
    bt_buf b = BT_BUF_INIT;
    size_t rawlen = strlen(raw);
    /* &nbsp; and the other Unicode spaces beside an inline element
     * separate words as a plain space does ("3&nbsp;<a>vừa</a>") */
    int lead = space_at(raw, rawlen, 0);
    int trail = space_at(raw, rawlen, 1);
    if (bt_text_collapse_space(raw, rawlen, &b) < 0) {
        bt_buf_free(&b);
        return oom(x);
    }
    if (!b.len) {
        x->pending_space |= rawlen > 0;
        bt_buf_free(&b);
        return 0;
    }
    const char *href_raw;
    unsigned style = style_of(x, n, &href_raw);
    xmlChar *href = absolute(x, href_raw);
    int rc = 0;
    if ((lead || x->pending_space) && x->pending_len)
        rc = add_piece(x, " ", 1, 0, NULL);
    /* a giant text is cut into paragraphs of at most MAX_PARA bytes */
    const char *s = b.data;
    size_t len = b.len;
    while (!rc && len) {
        size_t room = x->pending_len < MAX_PARA ? MAX_PARA - x->pending_len : 1;
        size_t take = len < room ? len : room;
        while (take < len && take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--;
        if (!take)
            take = len < room ? len : room;
        rc = add_piece(x, s, take, style, (const char *)href);
        s += take;
        len -= take;
        if (!rc && len)
            rc = flush(x);
    }
    x->pending_space = trail;
    xmlFree(href);
    bt_buf_free(&b);
    return rc < 0 ? oom(x) : 0;
}

/* The address of an image: lazy loaders keep it in data-* attributes
 * (src then holds a placeholder); a data: URI is the image itself, kept
 * when the images are stored (keep_data). */
static const char *image_src(xmlNodePtr img, int keep_data)
{
    const char *src = bt_html_attr(img, "src");
    if (!src || !*src || !strncasecmp(src, "data:", 5)) {
        static const char *const alt[] = {"data-src", "data-original", "data-lazy-src"};
        for (size_t i = 0; i < BT_ARRAY_LEN(alt); i++) {
            const char *v = bt_html_attr(img, alt[i]);
            if (v && *v)
                return v;
        }
        return keep_data && src && *src ? src : NULL;
    }
    return src;
}

static xmlNodePtr first_img(xmlNodePtr n)
{
    for (xmlNodePtr c = n; c; c = bt_html_next(n, c, 1))
        if (bt_html_is(c, "img"))
            return c;
    return NULL;
}

/* width="640" or "640px": pixels; 0 for anything else (a percentage). */
static unsigned pixels(const char *v)
{
    if (!v)
        return 0;
    char *end;
    long k = strtol(v, &end, 10);
    while (*end == ' ')
        end++;
    if (k <= 0 || k > 100000 || (*end && strcasecmp(end, "px")))
        return 0;
    return (unsigned)k;
}

static int open_figure(extract *x, xmlNodePtr n)
{
    if (flush(x) < 0)
        return -1;
    bt_block *b = bt_article_add_block(x->a, BT_BLOCK_FIGURE);
    if (!b)
        return oom(x);
    xmlNodePtr img = first_img(n);
    const char *src = img ? image_src(img, x->opts->images != NULL) : NULL;
    if (src) {
        xmlChar *u = strncasecmp(src, "data:", 5) ? absolute(x, src) : xmlStrdup((const xmlChar *)src);
        if (u) {
            b->src = bt_strdup((const char *)u);
            xmlFree(u);
            if (!b->src)
                return oom(x);
        }
    }
    if (img) {
        b->width = pixels(bt_html_attr(img, "width"));
        b->height = pixels(bt_html_attr(img, "height"));
    }
    x->figure = 1;
    x->figure_block = x->a->nblocks - 1;
    return 0;
}

static int is_heading(xmlNodePtr n)
{
    return bt_html_is(n, "h1") || bt_html_is(n, "h2") || bt_html_is(n, "h3") || bt_html_is(n, "h4") ||
           bt_html_is(n, "h5") || bt_html_is(n, "h6");
}

/* A table that only frames a picture and its caption. */
static int picture_table(extract *x, xmlNodePtr n)
{
    bt_html_info *in = bt_html_info_of(&x->scan, n);
    return in && in->imgs == 1 && in->text < 400;
}

/* A list that is a box of links (related news, tags), nearly all links:
 * not article text.  Items that cite a link or two are text. */
static int link_list(extract *x, xmlNodePtr n)
{
    bt_html_info *in = bt_html_info_of(&x->scan, n);
    return in && in->text && in->link * 4 > in->text * 3;
}

static int lead_class(xmlNodePtr n);
static int add_related_text(extract *x, const char *text, const char *href);

/* The links of a related-news box inside the article go to <related>. */
static int collect_links(extract *x, xmlNodePtr box)
{
    for (xmlNodePtr n = box; n; n = bt_html_next(box, n, 1)) {
        if (!bt_html_is(n, "a"))
            continue;
        bt_buf t = BT_BUF_INIT;
        xmlChar *href = absolute(x, bt_html_attr(n, "href"));
        int rc = bt_html_node_text(n, 1000, &t);
        if (!rc && t.len)
            rc = add_related_text(x, t.data, (const char *)href);
        xmlFree(href);
        bt_buf_free(&t);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The text of a junk box when it reads as a byline: the last one is
 * kept, for when the article's text ends without one. */
static int junk_byline(extract *x, xmlNodePtr n)
{
    bt_buf t = BT_BUF_INIT;
    if (bt_html_node_text(n, 400, &t) < 0) {
        bt_buf_free(&t);
        return oom(x);
    }
    if (t.len && bt_rule_byline(t.data, t.len) && !bt_rule_furniture(t.data, t.len)) {
        free(x->junk_byline);
        if (!(x->junk_byline = bt_buf_detach(&t)))
            return oom(x);
    }
    bt_buf_free(&t);
    return 0;
}

/* A "1", "2"… span attribute (1 when absent or odd, at most 1000). */
static unsigned span_attr(xmlNodePtr n, const char *name)
{
    const char *v = bt_html_attr(n, name);
    long k = v ? strtol(v, NULL, 10) : 1;
    return k >= 1 && k <= 1000 ? (unsigned)k : 1;
}

/* Rows, cells and the caption of a data table; the blocks inside a cell
 * are its text. */
static int table_part(extract *x, xmlNodePtr n)
{
    bt_block *b = &x->a->blocks[x->table_block];
    if (bt_html_is(n, "table"))
        return 0; /* a table in a cell: its text is the cell's */
    if (bt_html_is(n, "caption")) {
        x->caption = 1;
        return 0;
    }
    if (bt_html_is(n, "tr")) {
        for (xmlNodePtr p = n->parent; p && p != x->table_node; p = p->parent)
            if (bt_html_is(p, "td") || bt_html_is(p, "th"))
                return 0;
        return bt_block_add_row(b) ? 0 : oom(x);
    }
    if (bt_html_is(n, "td") || bt_html_is(n, "th")) {
        for (xmlNodePtr p = n->parent; p && p != x->table_node; p = p->parent)
            if (bt_html_is(p, "td") || bt_html_is(p, "th"))
                return 0;
        if (!b->nrows && !bt_block_add_row(b))
            return oom(x);
        bt_cell *c = bt_row_add_cell(&b->rows[b->nrows - 1]);
        if (!c)
            return oom(x);
        int head = bt_html_is(n, "th");
        for (xmlNodePtr p = n->parent; p && p != x->table_node && !head; p = p->parent)
            head = bt_html_is(p, "thead");
        c->header = head;
        c->colspan = span_attr(n, "colspan");
        c->rowspan = span_attr(n, "rowspan");
    }
    return 0;
}

static int enter(extract *x, xmlNodePtr n, int *descend)
{
    *descend = 0;
    bt_html_info *in = bt_html_info_of(&x->scan, n);
    if (!in || (n != x->root && bt_html_related_box(n)))
        return in ? collect_links(x, n) : 0;
    if (in->junk && in->text && in->text <= 60 && n != x->root)
        return junk_byline(x, n); /* a share bar may end with the author's name */
    if (in->aside || in->junk ||
        (n != x->root && bt_html_furniture(n, 1) && !bt_html_prose_box(in) && !in->wrapper))
        return 0;
    if (bt_html_is(n, "br")) {
        /* two line breaks end a paragraph, one is a space */
        xmlNodePtr p = n->prev;
        while (p && p->type == XML_TEXT_NODE &&
               (!p->content || strspn((const char *)p->content, " \t\r\n") == strlen((const char *)p->content)))
            p = p->prev;
        if (bt_html_is(p, "br"))
            return flush(x);
        x->pending_space = 1;
        return 0;
    }
    if (bt_html_is(n, "img") || bt_html_is(n, "picture") || bt_html_is(n, "source"))
        return 0;
    if (!bt_html_is_block(n) && !in->has_block) {
        *descend = 1; /* inline: its text joins the block being written */
        return 0;
    }
    if (flush(x) < 0)
        return -1;
    if (x->figure) {
        *descend = 1;
        return 0;
    }
    if (x->table) {
        *descend = 1;
        return table_part(x, n);
    }
    if (bt_html_is(n, "figure") || (bt_html_is(n, "table") && picture_table(x, n))) {
        *descend = 1;
        return open_figure(x, n);
    }
    if (bt_html_is(n, "table") && bt_html_data_table(&x->scan, n)) {
        bt_block *b = bt_article_add_block(x->a, BT_BLOCK_TABLE);
        if (!b)
            return oom(x);
        x->table = 1;
        x->table_node = n;
        x->table_block = x->a->nblocks - 1;
        *descend = 1;
        return 0;
    }
    if ((bt_html_is(n, "ul") || bt_html_is(n, "ol")) && !x->in_list) {
        if (link_list(x, n))
            return collect_links(x, n); /* a box of links, likely related news */
        bt_block *b = bt_article_add_block(x->a, BT_BLOCK_LIST);
        if (!b)
            return oom(x);
        b->numbered = bt_html_is(n, "ol");
        x->list_block = x->a->nblocks - 1;
    }
    if (bt_html_is(n, "ul") || bt_html_is(n, "ol"))
        x->in_list++;
    else if (is_heading(n) && !lead_class(n) && in->text <= MAX_HEADING)
        x->heading++;
    else if (bt_html_is(n, "blockquote"))
        x->quote++;
    *descend = 1;
    return 0;
}

static int leave(extract *x, xmlNodePtr n)
{
    bt_html_info *in = bt_html_info_of(&x->scan, n);
    if (!in || (!bt_html_is_block(n) && !in->has_block))
        return 0;
    if (flush(x) < 0)
        return -1;
    if (x->table) {
        if (bt_html_is(n, "caption"))
            x->caption = 0;
        else if (bt_html_is(n, "table") && n == x->table_node) {
            x->table = 0;
            /* rows without cells are no rows */
            bt_block *b = &x->a->blocks[x->table_block];
            size_t out = 0;
            for (size_t i = 0; i < b->nrows; i++) {
                if (b->rows[i].ncells)
                    b->rows[out++] = b->rows[i];
                else
                    free(b->rows[i].cells);
            }
            b->nrows = out;
        }
        return 0;
    }
    if (bt_html_is(n, "figure") || (bt_html_is(n, "table") && x->figure && picture_table(x, n)))
        x->figure = 0;
    else if ((bt_html_is(n, "ul") || bt_html_is(n, "ol")) && x->in_list)
        x->in_list--;
    else if (is_heading(n) && x->heading && !lead_class(n) && in->text <= MAX_HEADING)
        x->heading--;
    else if (bt_html_is(n, "blockquote") && x->quote)
        x->quote--;
    return 0;
}

/* Writes the blocks of one subtree (iteratively). */
static int write_subtree(extract *x, xmlNodePtr root)
{
    x->root = root;
    x->quote = x->heading = x->in_list = x->figure = x->table = x->caption = 0;
    xmlNodePtr n = root;
    while (n) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE) {
            if (enter(x, n, &descend) < 0)
                return -1;
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            if (add_inline(x, n) < 0)
                return -1;
        }
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        if (descend && leave(x, n) < 0)
            return -1;
        while (n && n != root && !n->next) {
            n = n->parent;
            if (leave(x, n) < 0)
                return -1;
        }
        n = n && n != root ? n->next : NULL;
    }
    return flush(x);
}

/* ---- the lead above the article's container ---- */

static int lead_class(xmlNodePtr n)
{
    static const char *const words[] = {"sapo", "lead", "description", "txt-head", "summary",
                                        "chapeau", "intro", "excerpt", "tomtat", "tom-tat"};
    const char *c = bt_html_attr(n, "class");
    if (!c)
        return 0;
    char low[256];
    size_t k = 0;
    for (; c[k] && k + 1 < sizeof low; k++)
        low[k] = (char)((c[k] >= 'A' && c[k] <= 'Z') ? c[k] + 32 : c[k]);
    low[k] = '\0';
    for (size_t i = 0; i < BT_ARRAY_LEN(words); i++)
        if (strstr(low, words[i]))
            return 1;
    return 0;
}

static int is_ancestor(xmlNodePtr a, xmlNodePtr n)
{
    for (; n; n = n->parent)
        if (n == a)
            return 1;
    return 0;
}

/* "(Dân trí) - ", "TT - ", "TTO – ", "VOV.VN - ": how a lead starts. */
static int lead_prefix(const char *s, size_t len)
{
    size_t lim = len < 48 ? len : 48;
    if (s[0] == '(') {
        const char *close = memchr(s, ')', lim);
        if (!close)
            return 0;
        const char *p = close + 1;
        while (p < s + len && *p == ' ')
            p++;
        return (p < s + len && *p == '-') || (s + len - p >= 3 && !memcmp(p, "–", 3));
    }
    for (size_t i = 1; i + 3 <= lim; i++) {
        if (!memcmp(s + i, " - ", 3) || (i + 5 <= lim && !memcmp(s + i, " – ", 5))) {
            /* the agency's short name: no lower-case letter before it */
            for (size_t k = 0; k < i;) {
                uint32_t cp;
                size_t n = bt_utf8_decode((const unsigned char *)s + k, i - k, &cp);
                if (!n || bt_cp_is_lower(cp))
                    return 0;
                k += n;
            }
            return i <= 16;
        }
    }
    return 0;
}

/* The first element before the container that reads as the lead: a
 * "sapo"-like class or the page's own description, with few links. */
static bt_html_info *find_lead(extract *x, bt_html_info *best)
{
    size_t top = (size_t)(best - x->scan.info);
    for (size_t i = 0; i < top; i++) {
        bt_html_info *in = &x->scan.info[i];
        if (in->aside || in->included || in->text < 40 || in->text > MAX_LEAD ||
            in->link * 4 > in->text || is_ancestor(in->node, best->node) || bt_html_is(in->node, "h1"))
            continue;
        int match = lead_class(in->node);
        if (!match && !in->has_block) {
            bt_buf b = BT_BUF_INIT;
            if (bt_html_node_text(in->node, MAX_LEAD * 4, &b) < 0) {
                bt_buf_free(&b);
                return NULL;
            }
            match = b.len >= 40 && (lead_prefix(b.data, b.len) ||
                                    (x->meta.description && strlen(x->meta.description) >= 40 &&
                                     !strncmp(b.data, x->meta.description, 40)));
            bt_buf_free(&b);
        }
        if (match) {
            /* not a wrapper of the title as well */
            for (size_t k = i + 1; k < top && match; k++) {
                bt_html_info *c = &x->scan.info[k];
                if (!is_ancestor(in->node, c->node))
                    break;
                if (bt_html_is(c->node, "h1"))
                    match = 0;
            }
            if (match)
                return in;
        }
    }
    return NULL;
}

/* ---- the text-page rules on the written blocks ---- */

static int all_links(const bt_text *t)
{
    if (!t->nspans)
        return 0;
    size_t linked = 0, total = 0;
    for (size_t i = 0; i < t->nspans; i++) {
        size_t n = strlen(t->spans[i].text);
        total += n;
        if (t->spans[i].href)
            linked += n;
    }
    return linked * 10 >= total * 9;
}

static const char *first_href(const bt_text *t)
{
    for (size_t i = 0; i < t->nspans; i++)
        if (t->spans[i].href)
            return t->spans[i].href;
    return NULL;
}

/* "Đọc thêm: …", "Xem thêm …", "Tin liên quan: …" in one line. */
static int related_prefix(const char *s, size_t len)
{
    char f[64];
    bt_fold_short(s, len < 30 ? len : 30, f, sizeof f);
    static const char *const p[] = {"doc them", "xem them", "tin lien quan", "tin cung chuyen muc",
                                    ">> ", ">>", "bai lien quan", "read more:", "read also", "also read",
                                    "see also:", "related:", "more:", "lesen sie auch", "mehr zum thema",
                                    "lire aussi", "a lire aussi", "leer mas:", "lea tambien", "leia tambem",
                                    "leggi anche", "czytaj tez", "czytaj takze", "lees ook", "ayrica bakiniz"};
    for (size_t i = 0; i < BT_ARRAY_LEN(p); i++)
        if (!strncmp(f, p[i], strlen(p[i])))
            return 1;
    return 0;
}

/* A related link; "Đọc thêm:" and such in front of its title are cut. */
static int add_related_text(extract *x, const char *s, const char *href)
{
    size_t len = strlen(s);
    if (related_prefix(s, len)) {
        const char *colon = memchr(s, ':', len < 40 ? len : 40);
        if (colon) {
            s = colon + 1;
            while (*s == ' ')
                s++;
            len = strlen(s);
        }
    }
    if (bt_count_words(s, len) < 3 || len > 1000)
        return 0;
    for (size_t i = 0; i < x->a->nrelated; i++)
        if (!strcmp(x->a->related[i].text, s))
            return 0;
    return bt_article_add_related(x->a, href, s) < 0 ? oom(x) : 0;
}

static int add_related(extract *x, const bt_text *t)
{
    char *s = plain_of(t);
    if (!s)
        return oom(x);
    int rc = add_related_text(x, s, first_href(t));
    free(s);
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* Drops furniture and related boxes from the blocks, takes the byline,
 * "Nguồn:" and a dateline.  keep[i] = 0 marks a dropped block. */
static int apply_rules(extract *x)
{
    bt_article *a = x->a;
    size_t n = a->nblocks;
    int *keep = calloc(n + 1, sizeof *keep);
    char **text = calloc(n + 1, sizeof *text);
    int rc = 0;
    if (!keep || !text) {
        free(keep);
        free(text);
        return oom(x);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        keep[i] = 1;
        if (a->blocks[i].kind != BT_BLOCK_LIST && !(text[i] = plain_of(&a->blocks[i].text)))
            rc = oom(x);
    }
    int under_related = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        bt_block *b = &a->blocks[i];
        const char *s = text[i];
        size_t len = s ? strlen(s) : 0;
        if (b->kind == BT_BLOCK_FIGURE) {
            keep[i] = b->src || len;
            continue;
        }
        if (b->kind == BT_BLOCK_TABLE) {
            keep[i] = b->nrows > 0;
            continue;
        }
        if (b->kind == BT_BLOCK_LIST) {
            keep[i] = b->nitems > 0;
            if (under_related) {
                for (size_t k = 0; k < b->nitems && !rc; k++)
                    rc = add_related(x, &b->items[k]);
                keep[i] = 0;
            }
            continue;
        }
        int repeated = 0; /* the lead printed twice (above the body and in it) */
        for (size_t k = 0; k < x->lead_blocks && k < i && !repeated && len >= 20; k++)
            repeated = keep[k] && text[k] && a->blocks[k].kind != BT_BLOCK_FIGURE && !strcmp(text[k], s);
        if (repeated || same_text(s, x->title_plain) || bt_rule_furniture(s, len)) {
            keep[i] = 0;
        } else if (bt_rule_related_heading(s, len)) {
            keep[i] = 0;
            under_related = 1;
        } else if (len < 300 && related_prefix(s, len)) {
            keep[i] = 0;
            if (first_href(&b->text))
                rc = add_related(x, &b->text);
        } else if (len < 250 && all_links(&b->text) && b->kind != BT_BLOCK_H) {
            /* a linked subheading is the article's (a list of reviewed
             * games, of places); a linked paragraph is a related story */
            keep[i] = 0;
            rc = add_related(x, &b->text);
        } else if (under_related && len < 250) {
            keep[i] = 0;
            rc = add_related(x, &b->text);
        } else {
            under_related = 0;
        }
    }
    /* a dateline among the first blocks */
    for (size_t i = 0, seen = 0; i < n && seen < 3 && !rc; i++) {
        if (!keep[i] || !text[i] || a->blocks[i].kind == BT_BLOCK_FIGURE || a->blocks[i].kind == BT_BLOCK_TABLE)
            continue;
        seen++;
        bt_date d;
        if (bt_date_line(text[i], strlen(text[i]), &d)) {
            if (!a->date_when && bt_page_set_date(a, &d, x->tz, text[i], strlen(text[i])) < 0)
                rc = oom(x);
            keep[i] = 0;
        }
    }
    /* from the end: "Nguồn: …" and the byline */
    size_t body = 0;
    for (size_t i = 0; i < n; i++)
        body += keep[i] && a->blocks[i].kind != BT_BLOCK_FIGURE;
    for (size_t i = n, seen = 0; i > 0 && seen < MAX_BYLINE_BLOCKS + 1 && !rc; i--) {
        bt_block *b = &a->blocks[i - 1];
        const char *s = text[i - 1];
        if (!keep[i - 1] || b->kind == BT_BLOCK_FIGURE)
            continue;
        seen++;
        if (!s || b->kind == BT_BLOCK_LIST || b->kind == BT_BLOCK_TABLE)
            break;
        size_t len = strlen(s);
        const char *src;
        if (bt_rule_source_line(s, len, &src)) {
            if (*src && !a->source_name && set_str(&a->source_name, src) < 0)
                rc = oom(x);
            keep[i - 1] = 0;
            body--;
            continue;
        }
        if (body > 1 && (same_text(s, a->byline) || bt_rule_byline(s, len))) {
            if (!a->byline && set_str(&a->byline, s) < 0)
                rc = oom(x);
            keep[i - 1] = 0;
            body--;
            continue;
        }
        break;
    }
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep[i])
            a->blocks[out++] = a->blocks[i];
        else
            bt_block_free(&a->blocks[i]);
        free(text[i]);
    }
    a->nblocks = out;
    free(keep);
    free(text);
    return rc;
}

/* ---- metadata into the article ---- */

/* ---- the title ---- */

static const char *const TITLE_SEPS[] = {" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ", " \\ ",
                                         " > ", " _ ", "_", " ~ ", " • "};

/* Case- and space-folded equality of two short texts. */
static int same_words(const char *a, size_t alen, const char *b, size_t blen)
{
    char fa[1024], fb[1024];
    bt_fold_short(a, alen, fa, sizeof fa);
    bt_fold_short(b, blen, fb, sizeof fb);
    return fa[0] && !strcmp(fa, fb);
}

/* The last title separator in t, or NULL. */
static const char *last_sep(const char *t, size_t *seplen)
{
    const char *best = NULL;
    for (size_t i = 0; i < BT_ARRAY_LEN(TITLE_SEPS); i++) {
        const char *q = t, *p;
        while ((p = strstr(q, TITLE_SEPS[i]))) {
            if (!best || p > best) {
                best = p;
                *seplen = strlen(TITLE_SEPS[i]);
            }
            q = p + 1;
        }
    }
    return best;
}

/* s folded (lowercase, no diacritics) with only its letters and digits
 * kept, in any script ("Báo Mẫu" → "baomau", "한국 일보" → "한국일보"),
 * into out; returns how many characters were kept. */
static size_t squeeze_name(const char *s, size_t len, char *out, size_t outsz)
{
    char f[256];
    bt_fold_short(s, len, f, sizeof f);
    size_t k = 0, chars = 0, flen = strlen(f);
    for (size_t i = 0; i < flen;) {
        uint32_t cp;
        size_t l = bt_utf8_next((const unsigned char *)f + i, flen - i, &cp);
        if (bt_cp_is_alnum(cp) && k + l < outsz) {
            memcpy(out + k, f + i, l);
            k += l;
            chars++;
        }
        i += l;
    }
    out[k] = '\0';
    return chars;
}

/* Whether s names the site: its declared name or its host ("cafef.vn" →
 * "cafef"), squeezed, is in s, or s is in it and at least half of it (a
 * word of a blog's name, "藍天" of "史蒂文的家_藍天", is not).  Returns how many characters
 * of s that name takes up (so that "BBC" in a headline can be told from
 * a logo), 0 when s does not name the site. */
static size_t names_site(extract *x, const char *s, size_t len)
{
    char sq[256];
    size_t k = squeeze_name(s, len, sq, sizeof sq);
    if (k < 2)
        return 0;
    if (x->meta.site) {
        char ss[256];
        size_t j = squeeze_name(x->meta.site, strlen(x->meta.site), ss, sizeof ss);
        if (j >= 2 && (strstr(sq, ss) || (2 * k >= j && strstr(ss, sq))))
            return j < k ? j : k;
    }
    const char *url = x->opts->url ? x->opts->url : x->meta.url;
    if (url) {
        const char *h = strstr(url, "://");
        h = h ? h + 3 : url;
        if (!strncasecmp(h, "www.", 4))
            h += 4;
        size_t n = strcspn(h, ".:/?#");
        char host[128];
        size_t j = 0;
        for (size_t i = 0; i < n && j + 1 < sizeof host; i++)
            if ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= '0' && h[i] <= '9') || (h[i] >= 'A' && h[i] <= 'Z'))
                host[j++] = (char)(h[i] | 0x20);
        host[j] = '\0';
        if (j >= 3 && (strstr(sq, host) || (2 * k >= j && strstr(host, sq))))
            return j < k ? j : k;
    }
    return 0;
}

/* s is the site's name, maybe with a word or two ("Báo Mẫu Online",
 * "Tin tức - Báo Mẫu"), not a headline that names the site ("How we
 * designed Dropbox ATF: …"): at most three words, or little more than
 * the name. */
static int is_site_name(extract *x, const char *s, size_t len)
{
    size_t name = names_site(x, s, len);
    if (!name)
        return 0;
    char sq[256];
    return bt_count_words(s, len) <= 3 || squeeze_name(s, len, sq, sizeof sq) <= 2 * name;
}

/* Separators written without spaces, as titles in scripts without spaces
 * between words have them ("제목ㅣ한국일보", "見出し：新聞", "标题｜网"):
 * a title is cut there only before the site's name. */
static const char *const GLUED_SEPS[] = {"\xEF\xBD\x9C" /* ｜ */, "\xE3\x85\xA3" /* ㅣ */,
                                         "\xEF\xBC\x9A" /* ： */, "|"};

/* "Title | Site" → "Title" and "Site - Title" → "Title" when the cut part
 * names the site, or is what the page's <title> ends with too (a part
 * every page of the site repeats).  In place. */
static void cut_site(extract *x, char *t, int repeated_ok)
{
    for (int round = 0; round < 2; round++) {
        size_t seplen = 0;
        const char *p = last_sep(t, &seplen);
        const char *g = NULL;
        size_t glen = 0;
        for (size_t i = 0; i < BT_ARRAY_LEN(GLUED_SEPS); i++) {
            const char *f = t;
            while ((f = strstr(f, GLUED_SEPS[i]))) {
                if (!g || f > g) {
                    g = f;
                    glen = strlen(GLUED_SEPS[i]);
                }
                f++;
            }
        }
        if (g && (!p || g > p) && (size_t)(g - t) >= 8 && names_site(x, g + glen, strlen(g + glen))) {
            size_t end = (size_t)(g - t);
            while (end && t[end - 1] == ' ')
                end--;
            t[end] = '\0';
            continue;
        }
        if (!p || p == t)
            return;
        const char *rest = p + seplen;
        int cut = names_site(x, rest, strlen(rest)) ||
                  (repeated_ok && bt_count_words(rest, strlen(rest)) <= 4 && strlen(rest) < 40);
        if (!cut && x->meta.title && x->meta.title != t) {
            size_t tl = strlen(x->meta.title), rl = strlen(rest);
            cut = rl >= 3 && tl > rl && !strcmp(x->meta.title + tl - rl, rest) && strlen(t) > rl + seplen &&
                  bt_count_words(rest, rl) <= 5;
        }
        if (cut && (size_t)(p - t) >= 8) {
            t[p - t] = '\0';
            continue;
        }
        /* the site first: "Site | Title" */
        const char *q = NULL;
        size_t qlen = 0;
        for (size_t i = 0; i < BT_ARRAY_LEN(TITLE_SEPS) && !q; i++) {
            const char *f = strstr(t, TITLE_SEPS[i]);
            if (f && f > t && is_site_name(x, t, (size_t)(f - t)) && strlen(f + strlen(TITLE_SEPS[i])) >= 8) {
                q = f;
                qlen = strlen(TITLE_SEPS[i]);
            }
        }
        if (q) {
            memmove(t, q + qlen, strlen(q + qlen) + 1);
            continue;
        }
        return;
    }
}

/* Readability's reading of a bare <title>: the part before the last
 * separator (or after the first when that leaves under three words),
 * "Site: Title" cut at the colon unless a heading says it whole; a
 * result of four words or fewer keeps the whole title. */
static char *title_from_doc_title(extract *x, const char *orig)
{
    char *t = bt_strdup(orig);
    if (!t)
        return NULL;
    size_t seplen = 0;
    const char *p = last_sep(t, &seplen);
    int hier = strstr(orig, " / ") || strstr(orig, " > ") || strstr(orig, " » ") || strstr(orig, " \\ ");
    if (p && p > t) {
        t[p - t] = '\0';
        if (bt_count_words(t, strlen(t)) < 3) {
            const char *first = NULL;
            size_t fl = 0;
            for (size_t i = 0; i < BT_ARRAY_LEN(TITLE_SEPS); i++) {
                const char *f = strstr(orig, TITLE_SEPS[i]);
                if (f && (!first || f < first)) {
                    first = f;
                    fl = strlen(TITLE_SEPS[i]);
                }
            }
            if (first)
                memcpy(t, first + fl, strlen(first + fl) + 1);
        }
    } else if (strstr(t, ": ")) {
        int heading = 0;
        for (size_t i = 0; i < x->meta.nh1 && !heading; i++)
            heading = !strcmp(x->meta.h1s[i], t);
        if (!heading) {
            const char *c = strrchr(orig, ':');
            const char *rest = c + 1;
            while (*rest == ' ')
                rest++;
            if (bt_count_words(rest, strlen(rest)) >= 3 &&
                bt_count_words(orig, (size_t)(strchr(orig, ':') - orig)) <= 5)
                memmove(t, rest, strlen(rest) + 1);
        }
    } else if ((strlen(t) > 150 || strlen(t) < 15) && x->meta.nh1 == 1) {
        free(t);
        if (!(t = bt_strdup(x->meta.h1)))
            return NULL;
    }
    size_t wc = bt_count_words(t, strlen(t));
    size_t owc = 0;
    {
        int in = 0;
        for (const char *q = orig; *q; q++) {
            int sep = *q == ' ' || *q == '|' || *q == '-' || *q == '\\' || *q == '/' || *q == '>';
            if (!sep && !in)
                owc++;
            in = !sep;
        }
    }
    if (wc <= 4 && (!hier || wc + 1 != owc)) {
        free(t);
        return bt_strdup(orig);
    }
    return t;
}

/* A byte that starts a separator after a title ("|", "-", "–", "·" …). */
static int sep_byte(char ch)
{
    return ch && (strchr("|-:/_~()[]", ch) || (unsigned char)ch == 0xE2 || (unsigned char)ch == 0xC2);
}

/* An <h1> that is the site's name or a section's, not a headline. */
static int odd_h1(extract *x, const char *h)
{
    size_t len = strlen(h);
    return is_site_name(x, h, len) || bt_count_words(h, len) == 0 || len > MAX_TITLE;
}

static int choose_title(extract *x)
{
    bt_html_meta *m = &x->meta;
    /* what the page declares, in Readability's order */
    const char *decl = m->headline ? m->headline : m->dc_title ? m->dc_title : m->og_title ? m->og_title
                                                                                       : m->meta_title;
    const char *t = NULL;
    char *owned = NULL;
    /* an <h1> the metadata agrees with: the declared title, maybe with
     * the site's name after a separator */
    const char *cands[] = {m->headline, m->dc_title, m->og_title, m->meta_title, m->title};
    for (size_t i = 0; i < m->nh1 && !t; i++) {
        const char *h = m->h1s[i];
        size_t hl = strlen(h);
        if (odd_h1(x, h))
            continue;
        for (size_t k = 0; k < BT_ARRAY_LEN(cands) && !t; k++) {
            const char *c = cands[k];
            if (!c)
                continue;
            size_t cl = strlen(c);
            if (same_words(c, cl, h, hl))
                t = h;
            else if (cl > hl && !strncmp(c, h, hl) && sep_byte(c[hl + (c[hl] == ' ')]))
                t = h;
            else if (cl > hl && !strcmp(c + cl - hl, h) && cl - hl >= 2 &&
                     sep_byte(c[cl - hl - 1 - (c[cl - hl - 1] == ' ')]))
                t = h;
        }
    }
    if (!t && decl) {
        if (!(owned = bt_strdup(decl)))
            return oom(x);
        cut_site(x, owned, 0);
        t = owned;
    }
    if (!t && m->title) {
        if (!(owned = title_from_doc_title(x, m->title)))
            return oom(x);
        cut_site(x, owned, 0);
        /* a <title> that only names the page or the site gives way to
         * the headline in <h1> */
        const char *h = m->nh1 ? m->h1 : NULL;
        for (size_t i = 0; i < m->nh1 && h && odd_h1(x, h); i++)
            h = i + 1 < m->nh1 ? m->h1s[i + 1] : NULL;
        size_t tw = bt_count_words(owned, strlen(owned));
        if (h && !odd_h1(x, h) &&
            ((tw <= 4 && bt_count_words(h, strlen(h)) >= 5) || names_site(x, owned, strlen(owned))))
            t = h;
        else
            t = owned;
    }
    for (size_t i = 0; i < m->nh1 && !t; i++)
        if (!odd_h1(x, m->h1s[i]))
            t = m->h1s[i];
    int rc = 0;
    if (t && *t) {
        if (bt_text_set_plain(&x->a->title, t) < 0 || !(x->title_plain = bt_strdup(t)))
            rc = oom(x);
    }
    free(owned);
    return rc;
}

/* A page without a title: its first subheading, else the first words
 * of its text (as a text page without a title line). */
static int fallback_title(extract *x)
{
    bt_article *a = x->a;
    const bt_text *from = NULL;
    for (size_t i = 0; i < a->nblocks && !from; i++)
        if (a->blocks[i].kind == BT_BLOCK_H && !bt_text_is_empty(&a->blocks[i].text))
            from = &a->blocks[i].text;
    for (size_t i = 0; i < a->nblocks && !from; i++) {
        const bt_block *b = &a->blocks[i];
        if ((b->kind == BT_BLOCK_P || b->kind == BT_BLOCK_QUOTE) && !bt_text_is_empty(&b->text))
            from = &b->text;
        else if (b->kind == BT_BLOCK_LIST && b->nitems)
            from = &b->items[0];
    }
    if (!from)
        return 0;
    char *s = plain_of(from);
    if (!s)
        return oom(x);
    size_t len = strlen(s), n = 0, cut = 0;
    while (n < len && n < 150) {
        if (s[n] == ' ')
            cut = n;
        if ((s[n] == '.' || s[n] == '!' || s[n] == '?') && n > 20) {
            cut = n + 1;
            break;
        }
        n++;
    }
    if (n >= len)
        cut = len;
    if (!cut)
        cut = n;
    while (cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut++;
    s[cut] = '\0';
    int rc = bt_text_set_plain(&a->title, s) < 0 ? oom(x) : 0;
    free(s);
    return rc;
}

/* A date from the page's address: Dân Trí's ids end in the time of
 * publication, yyyyMMddHHmmss plus milliseconds. */
static int url_date(const char *url, bt_date *d)
{
    if (!url)
        return 0;
    for (const char *p = url; *p; p++) {
        if (*p < '0' || *p > '9' || (p > url && p[-1] >= '0' && p[-1] <= '9'))
            continue;
        size_t n = strspn(p, "0123456789");
        if (n != 17 || (strncmp(p, "19", 2) && strncmp(p, "20", 2)))
            continue;
        char iso[32];
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", p, p + 4, p + 6, p + 8, p + 10, p + 12);
        if (bt_when_parse(iso, d) == 0)
            return 1;
    }
    return 0;
}

/* The date printed near the title: an element whose class or id says
 * date or time and whose text is a dateline; one with a time, on the
 * declared day, is preferred. */
static int visible_date(extract *x, const bt_date *declared, bt_buf *text, bt_date *d)
{
    int found = 0;
    bt_buf t = BT_BUF_INIT;
    for (xmlNodePtr node = x->page; node; node = bt_html_next(x->page, node, 1)) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        const char *c = bt_html_attr(node, "class"), *id = bt_html_attr(node, "id");
        int looks = bt_html_is(node, "time");
        for (int k = 0; k < 2 && !looks; k++) {
            const char *v = k ? id : c;
            looks = v && (strstr(v, "date") || strstr(v, "time") || strstr(v, "Date") || strstr(v, "publish"));
        }
        if (!looks || bt_html_is(node, "script") || bt_html_is(node, "style"))
            continue;
        bt_buf_reset(&t);
        if (bt_html_node_text(node, 400, &t) < 0) {
            bt_buf_free(&t);
            return oom(x);
        }
        bt_date here;
        if (!t.len || t.len > 200 || !bt_date_line(t.data, t.len, &here))
            continue;
        int best = here.has_time && (!declared || bt_date_days(declared) == bt_date_days(&here));
        if (!found || best) {
            bt_buf_reset(text);
            if (bt_buf_add(text, t.data, t.len) < 0) {
                bt_buf_free(&t);
                return oom(x);
            }
            *d = here;
            found = 1;
        }
        if (best)
            break;
    }
    bt_buf_free(&t);
    return found;
}

/* A byline printed in an element marked as the author's, or NULL. */
static int visible_byline(extract *x, char **out)
{
    *out = NULL;
    for (xmlNodePtr node = x->page; node; node = bt_html_next(x->page, node, 1)) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        int looks = 0;
        static const char *const attrs[] = {"class", "id", "itemprop", "rel"};
        for (size_t k = 0; k < BT_ARRAY_LEN(attrs) && !looks; k++) {
            const char *v = bt_html_attr(node, attrs[k]);
            looks = v && (strstr(v, "author") || strstr(v, "byline") || strstr(v, "tac-gia") ||
                          strstr(v, "tacgia"));
        }
        if (!looks || bt_html_is(node, "meta") || bt_html_is(node, "link") ||
            bt_html_is(node, "script") || bt_html_is(node, "style"))
            continue;
        bt_buf t = BT_BUF_INIT;
        if (bt_html_node_text(node, 400, &t) < 0) {
            bt_buf_free(&t);
            return oom(x);
        }
        if (t.len && bt_rule_byline(t.data, t.len)) {
            *out = bt_buf_detach(&t);
            return *out ? 0 : oom(x);
        }
        bt_buf_free(&t);
    }
    return 0;
}

/* A declared author that is only the site's own name is no byline. */
static int names_the_site(extract *x, const char *author)
{
    char fa[128], fs[128];
    bt_fold_short(author, strlen(author), fa, sizeof fa);
    if (!fa[0])
        return 0;
    if (x->meta.site) {
        bt_fold_short(x->meta.site, strlen(x->meta.site), fs, sizeof fs);
        if (strstr(fs, fa))
            return 1;
    }
    const char *url = x->a->source_href;
    if (url) {
        char host[128] = "";
        const char *h = strstr(url, "://");
        h = h ? h + 3 : url;
        size_t n = strcspn(h, "/:?#");
        snprintf(host, sizeof host, "%.*s", (int)(n < 127 ? n : 127), h);
        char squeezed[128];
        size_t k = 0;
        for (const char *p = fa; *p && k + 1 < sizeof squeezed; p++)
            if (*p != ' ')
                squeezed[k++] = *p;
        squeezed[k] = '\0';
        for (char *p = host; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        if (k >= 3 && strstr(host, squeezed))
            return 1;
    }
    return 0;
}

static int choose_date(extract *x)
{
    bt_date meta_d, vis_d;
    int have_meta = 0;
    const char *p = x->meta.published;
    if (p)
        have_meta = bt_when_parse(p, &meta_d) == 0 || bt_date_find(p, strlen(p), &meta_d);
    bt_buf vis = BT_BUF_INIT;
    int have_vis = visible_date(x, have_meta ? &meta_d : NULL, &vis, &vis_d);
    if (have_vis < 0) {
        bt_buf_free(&vis);
        return -1;
    }
    const bt_date *d = NULL;
    const char *printed = NULL;
    if (have_meta && have_vis && bt_date_days(&meta_d) == bt_date_days(&vis_d) &&
        (!vis_d.has_time || meta_d.has_time)) {
        d = &meta_d; /* the declared value is more precise */
        printed = vis.data;
    } else if (have_vis) {
        d = &vis_d;
        printed = vis.data;
    } else if (have_meta) {
        d = &meta_d;
        printed = p;
    } else if (url_date(x->opts->url ? x->opts->url : x->meta.url, &meta_d)) {
        d = &meta_d;
    }
    int rc = 0;
    if (d && bt_page_set_date(x->a, d, x->tz, printed, printed ? strlen(printed) : 0) < 0)
        rc = oom(x);
    bt_buf_free(&vis);
    return rc;
}

/* Characters of text outside links (paragraphs, headings, lists,
 * captions; a table's filled cells count one each): what makes an
 * article. */
static size_t article_text(const bt_article *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *b = &a->blocks[i];
        const bt_text *t = &b->text;
        if (b->kind == BT_BLOCK_LIST) {
            for (size_t i = 0; i < b->nitems; i++)
                for (size_t k = 0; k < b->items[i].nspans; k++)
                    if (!b->items[i].spans[k].href)
                        n += strlen(b->items[i].spans[k].text);
            continue;
        }
        if (b->kind == BT_BLOCK_TABLE) {
            for (size_t r = 0; r < b->nrows; r++)
                for (size_t c = 0; c < b->rows[r].ncells; c++)
                    n += bt_text_is_empty(&b->rows[r].cells[c].text) ? 0 : 1;
            continue;
        }
        for (size_t k = 0; k < t->nspans; k++)
            if (!t->spans[k].href)
                n += strlen(t->spans[k].text);
    }
    return n;
}

/* When no block scored (text straight in <body>), the body is the
 * article, as Readability takes it. */
static bt_html_info *body_of(extract *x)
{
    for (xmlNodePtr c = x->page ? x->page->children : NULL; c; c = c->next) {
        bt_html_info *in = bt_html_info_of(&x->scan, c);
        if (bt_html_is(c, "body") && in && in->text) {
            in->included = 1;
            return in;
        }
    }
    return NULL;
}

/* A breadcrumb's item that names a section: not the home page, not the
 * article's own title, short. */
static int section_name(extract *x, const char *s, size_t len)
{
    char f[128];
    if (!len || len > 80 || bt_count_words(s, len) > 6)
        return 0;
    bt_fold_short(s, len, f, sizeof f);
    static const char *const home[] = {"trang chu", "home", "homepage", "accueil", "startseite", "inicio",
                                       "tin tuc", "news", "start"};
    for (size_t i = 0; i < BT_ARRAY_LEN(home); i++)
        if (!strcmp(f, home[i]))
            return 0;
    return !x->title_plain || !same_words(s, len, x->title_plain, strlen(x->title_plain));
}

/* The section the page files the article under: declared (article:section,
 * JSON-LD articleSection or BreadcrumbList), else the last item of a
 * breadcrumb trail (an element marked breadcrumb, by class, id, aria-label
 * or microdata). */
static int choose_section(extract *x)
{
    const char *decl[] = {x->meta.section, x->meta.crumb, x->meta.crumb_prev};
    for (size_t i = 0; i < BT_ARRAY_LEN(decl); i++)
        if (decl[i] && section_name(x, decl[i], strlen(decl[i])))
            return set_str(&x->a->section, decl[i]) < 0 ? oom(x) : 0;
    for (xmlNodePtr n = x->page; n; n = bt_html_next(x->page, n, 1)) {
        if (n->type != XML_ELEMENT_NODE || bt_html_is(n, "script") || bt_html_is(n, "style"))
            continue;
        int crumb = 0;
        static const char *const attrs[] = {"class", "id", "aria-label", "itemtype"};
        for (size_t k = 0; k < BT_ARRAY_LEN(attrs) && !crumb; k++) {
            const char *v = bt_html_attr(n, attrs[k]);
            crumb = v && (strcasestr(v, "breadcrumb") || strcasestr(v, "bread-crumb"));
        }
        if (!crumb)
            continue;
        char *last = NULL;
        for (xmlNodePtr c = n; c; c = bt_html_next(n, c, 1)) {
            if (!bt_html_is(c, "a") && !(bt_html_is(c, "li") && !c->children) && !bt_html_is(c, "span"))
                continue;
            if (bt_html_is(c, "span") && c->parent && bt_html_is(c->parent, "a"))
                continue;
            bt_buf t = BT_BUF_INIT;
            if (bt_html_node_text(c, 200, &t) < 0) {
                bt_buf_free(&t);
                free(last);
                return oom(x);
            }
            if (section_name(x, t.data, t.len) && !bt_rule_breadcrumb(t.data, t.len)) {
                free(last);
                if (!(last = bt_buf_detach(&t)))
                    return oom(x);
            }
            bt_buf_free(&t);
        }
        if (last) {
            x->a->section = last;
            return 0;
        }
    }
    return 0;
}

/* --lang, else what the page declares or its text says; else none. */
static int set_lang(extract *x)
{
    bt_buf text = BT_BUF_INIT;
    if (bt_article_sample(x->a, BT_LANG_SAMPLE, &text) < 0) {
        bt_buf_free(&text);
        return oom(x);
    }
    char lang[16];
    int rc = 0;
    if (bt_page_lang(x->meta.lang, text.data, text.len, lang) && !(x->a->lang = bt_strdup(lang)))
        rc = oom(x);
    bt_buf_free(&text);
    return rc;
}

/* Characters of the article's text once junk boxes are left out. */
static size_t kept_text(const bt_html_scan *s, const bt_html_info *best)
{
    size_t n = 0;
    xmlNodePtr parent = best->node->parent;
    for (xmlNodePtr c = parent ? parent->children : best->node; c; c = c->next) {
        bt_html_info *ci = bt_html_info_of(s, c);
        if (ci && ci->included) {
            n += ci->text;
            size_t i = (size_t)(ci - s->info);
            for (size_t k = i + 1; k < s->n; k++) {
                const bt_html_info *d = &s->info[k];
                if (!d->node)
                    break;
                xmlNodePtr p = d->node->parent;
                while (p && p != c)
                    p = p->parent;
                if (!p)
                    break;
                /* a junk box whose parent is not junk: its text is dropped */
                bt_html_info *pi = bt_html_info_of(s, d->node->parent);
                if (d->junk && pi && !pi->junk && n >= d->text)
                    n -= d->text;
            }
        }
        if (!parent)
            break;
    }
    return n;
}

/* The first <h1> that says the page's title (the headline of the page's
 * own story) into *out, or NULL.  -1: out of memory. */
static int headline_node(extract *x, xmlNodePtr *out)
{
    *out = NULL;
    if (!x->title_plain)
        return 0;
    for (xmlNodePtr n = x->page; n; n = bt_html_next(x->page, n, !bt_html_is(n, "h1"))) {
        if (!bt_html_is(n, "h1"))
            continue;
        bt_buf t = BT_BUF_INIT;
        if (bt_html_node_text(n, MAX_TITLE * 4, &t) < 0) {
            bt_buf_free(&t);
            return oom(x);
        }
        int same = t.len && same_words(t.data, t.len, x->title_plain, strlen(x->title_plain));
        bt_buf_free(&t);
        if (same) {
            *out = n;
            return 0;
        }
    }
    return 0;
}

static int build(extract *x, xmlDocPtr doc)
{
    bt_article *a = x->a;
    x->page = xmlDocGetRootElement(doc);
    if (bt_html_read_meta(doc, &x->meta) < 0)
        return oom(x);
    const char *url = x->opts->url ? x->opts->url : x->meta.url;
    x->base = url;
    if ((url && set_str(&a->source_href, url) < 0) ||
        (x->meta.site && set_str(&a->source_name, x->meta.site) < 0))
        return oom(x);
    if (choose_title(x) < 0)
        return -1;
    /* Readability's attempts: furniture by class words set aside and the
     * article's boxes cleaned, then neither when that leaves little text;
     * the attempt with more text wins. */
    bt_html_info *best = NULL;
    size_t first_text = 0;
    xmlNodePtr headline;
    if (headline_node(x, &headline) < 0)
        return -1;
    for (int strip = 1; strip >= 0; strip--) {
        if (bt_html_scan_doc(doc, strip, &x->scan) < 0)
            return oom(x);
        best = bt_html_best(&x->scan, strip, headline);
        if (!best)
            best = body_of(x);
        size_t got = best ? kept_text(&x->scan, best) : 0;
        if (strip && got >= MIN_RETRY)
            break;
        if (strip) {
            first_text = got;
        } else if (got <= first_text) {
            bt_html_scan_free(&x->scan);
            if (bt_html_scan_doc(doc, 1, &x->scan) < 0)
                return oom(x);
            best = bt_html_best(&x->scan, 1, headline);
            if (!best)
                best = body_of(x);
            break;
        }
        if (strip)
            bt_html_scan_free(&x->scan);
    }
    if (choose_date(x) < 0)
        return -1;
    if (best) {
        bt_html_info *lead = find_lead(x, best);
        if (lead && write_subtree(x, lead->node) < 0)
            return -1;
        x->lead_blocks = x->a->nblocks;
        xmlNodePtr parent = best->node->parent;
        for (xmlNodePtr c = parent ? parent->children : best->node; c; c = c->next) {
            bt_html_info *ci = bt_html_info_of(&x->scan, c);
            if (ci && ci->included && write_subtree(x, c) < 0)
                return -1;
            if (!parent)
                break;
        }
        if (apply_rules(x) < 0)
            return -1;
    }
    /* the byline: printed at the end of the text (apply_rules), in an
     * author element, or declared (unless that is the site's name) */
    if (!a->byline && x->junk_byline) {
        a->byline = x->junk_byline;
        x->junk_byline = NULL;
    }
    if (!a->byline) {
        char *by = NULL;
        if (visible_byline(x, &by) < 0)
            return -1;
        a->byline = by;
    }
    if (!a->byline && x->meta.author && !names_the_site(x, x->meta.author) &&
        set_str(&a->byline, x->meta.author) < 0)
        return oom(x);
    if (!a->lang && set_lang(x) < 0)
        return -1;
    if (choose_section(x) < 0)
        return -1;
    size_t chars = article_text(a);
    if (bt_text_is_empty(&a->title) && chars && fallback_title(x) < 0)
        return -1;
    /* Not an article: no text; a page of links (a home page, a list)
     * unless it says it is an article; one that says it is a website, or
     * is mostly links, with little text outside links. */
    bt_html_info *page = bt_html_info_of(&x->scan, x->page);
    int links = (best && best->text && best->link * 2 > best->text) ||
                (page && page->text && page->link * 2 > page->text);
    if (bt_text_is_empty(&a->title) || !chars ||
        (best && best->text && best->link * 2 > best->text && !x->meta.article_type) ||
        (chars < MIN_ARTICLE && !x->meta.article_type && (links || x->meta.website_type))) {
        bt_error_set(x->err, BT_ERR_INPUT, "%s: not an article (no article text found: a home page or a list?)",
                     x->name);
        return PAGE_NOT_ARTICLE;
    }
    return 0;
}

int bt_htmlpage_extract(const char *text, size_t len, const bt_extract_opts *opts,
                        bt_article *out, bt_error *err)
{
    extract x;
    memset(&x, 0, sizeof x);
    bt_buf_init(&x.run, 0);
    if (bt_page_setup(&opts, &x.name, x.tz, err) < 0)
        return -1;
    x.opts = opts;
    x.a = out;
    x.err = err;
    if (len > INT32_MAX) {
        bt_error_set(err, BT_ERR_LIMIT, "%s: page too large", x.name);
        return -1;
    }
    /* UTF-8 is given, so a <meta charset> in the page cannot switch it */
    htmlDocPtr doc = htmlReadMemory(text ? text : "", text ? (int)len : 0, NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
    if (!doc || !xmlDocGetRootElement(doc)) {
        if (doc)
            xmlFreeDoc(doc);
        bt_error_set(err, BT_ERR_INPUT, "%s: not an article (no HTML content)", x.name);
        return 0;
    }
    int rc = -1;
    if ((opts->lang && !(out->lang = bt_strdup(opts->lang))) ||
        (opts->name && !(out->source_file = bt_strdup(opts->name)))) {
        oom(&x);
    } else {
        rc = build(&x, doc);
    }
    bt_text_free(&x.pending);
    bt_buf_free(&x.run);
    free(x.run_href);
    bt_html_scan_free(&x.scan);
    bt_html_meta_free(&x.meta);
    free(x.title_plain);
    free(x.junk_byline);
    xmlFreeDoc(doc);
    if (!rc)
        bt_article_compute_id(out);
    return rc == 0 ? 1 : rc == PAGE_NOT_ARTICLE ? 0 : -1;
}
