/*
 * An article's blocks read straight from its raw XML, without the parser:
 * the cheap structural scan that lets a search judge most articles
 * unparsed (search_match.c, search_run.c).
 *
 * It reads what writers of the article format produce: start and end
 * tags with quoted attributes, the inline elements em, strong and a, the
 * five predefined entities, text in NFC.  For anything else — a tag it
 * cannot read, an element where a block's text should be, text that is
 * not clean NFC, a value with an entity — it answers RAW_PARSE, and the
 * parser decides.  The splitter has already sent comments, CDATA, PIs
 * and character references to the parser (bt_rawarticle.must_parse).
 */
#include "search_int.h"

#include <string.h>

typedef struct tag {
    size_t start, end;  /* xml[start] is '<', xml[end - 1] '>' */
    const char *name;
    size_t nlen;
    int closing, empty; /* "</name …>", "<name …/>" */
} tag;

static inline int is_name_char(unsigned char c)
{
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':' || c >= 0x80;
}

/* The start of the tag at x[i] ('<'), up to the end of its name (*t
 * set but for end and empty): where the name ends, 0 when it has none. */
static size_t tag_name(const char *x, size_t len, size_t i, tag *t)
{
    size_t k = i + 1;
    t->start = i;
    t->closing = t->empty = 0;
    if (k < len && x[k] == '/')
        t->closing = 1, k++;
    size_t n0 = k;
    while (k < len && is_name_char((unsigned char)x[k]))
        k++;
    t->name = x + n0;
    t->nlen = k - n0;
    return t->nlen ? k : 0;
}

/* The tag at xml[i] ('<'): 1 with *t set, 0 when it is not a plain start
 * or end tag that closes before len. */
static int read_tag(const char *x, size_t len, size_t i, tag *t)
{
    size_t k = tag_name(x, len, i, t);
    if (!k || k >= len || !bt_xml_name_end((unsigned char)x[k]))
        return 0;
    char quote = 0;
    for (; k < len; k++) {
        int r = bt_xml_tag_step(x[k], &quote);
        if (r < 0)
            return 0;
        if (r > 0) {
            t->empty = !t->closing && x[k - 1] == '/';
            t->end = k + 1;
            return 1;
        }
    }
    return 0;
}

/* The elements of the format (lib/bantin.rng) an article may hold. */
enum {
    E_NONE, E_P, E_A, E_H, E_EM, E_ROW, E_BODY, E_CELL, E_DATE, E_ITEM, E_LINK, E_LIST,
    E_TITLE, E_QUOTE, E_TABLE, E_SOURCE, E_STRONG, E_BYLINE, E_FIGURE, E_ARTICLE,
    E_CAPTION, E_RELATED, E_SECTION
};

/* Which element of the format t names, or E_NONE for any other (the
 * parser's to report).  Read on every tag of an article written out,
 * hence the switch: a memcmp call per name was a tenth of such a search. */
static int known(const tag *t)
{
#define IS(s) (!memcmp(t->name, s, sizeof s - 1))
    const char *n = t->name;
    switch (t->nlen) {
    case 1:
        return n[0] == 'p' ? E_P : n[0] == 'a' ? E_A : n[0] == 'h' ? E_H : E_NONE;
    case 2:
        return IS("em") ? E_EM : E_NONE;
    case 3:
        return IS("row") ? E_ROW : E_NONE;
    case 4:
        return IS("body") ? E_BODY : IS("cell") ? E_CELL : IS("date") ? E_DATE
             : IS("item") ? E_ITEM : IS("link") ? E_LINK : IS("list") ? E_LIST : E_NONE;
    case 5:
        return IS("title") ? E_TITLE : IS("quote") ? E_QUOTE : IS("table") ? E_TABLE : E_NONE;
    case 6:
        return IS("source") ? E_SOURCE : IS("strong") ? E_STRONG : IS("byline") ? E_BYLINE
             : IS("figure") ? E_FIGURE : E_NONE;
    case 7:
        return IS("article") ? E_ARTICLE : IS("caption") ? E_CAPTION
             : IS("related") ? E_RELATED : IS("section") ? E_SECTION : E_NONE;
    default:
        return E_NONE;
    }
#undef IS
}

static int inline_element(int e)
{
    return e == E_EM || e == E_STRONG || e == E_A;
}

static int is_inline(const tag *t)
{
    return inline_element(known(t));
}

/* The field of the element whose text is a block, or 0. */
static unsigned text_field(const tag *t)
{
    switch (known(t)) {
    case E_P: case E_H: case E_ITEM: case E_CELL: case E_QUOTE: case E_CAPTION:
        return BT_FIELD_BODY;
    case E_TITLE:
        return BT_FIELD_TITLE;
    case E_BYLINE:
        return BT_FIELD_BYLINE;
    case E_SOURCE:
        return BT_FIELD_SOURCE;
    case E_LINK:
        return BT_FIELD_RELATED;
    default:
        return 0;
    }
}

/* The end of the block opened by start tag t (b->start set): RAW_YES with
 * b->end at its end tag, or RAW_PARSE when anything but inline tags
 * stands before it. */
static int block_end(const char *x, size_t len, const tag *t, raw_block *b)
{
    size_t i = b->start;
    for (;;) {
        const char *q = i < len ? memchr(x + i, '<', len - i) : NULL;
        tag u;
        if (!q || !read_tag(x, len, (size_t)(q - x), &u))
            return RAW_PARSE;
        if (is_inline(&u)) {
            i = u.end;
            continue;
        }
        if (!u.closing || u.nlen != t->nlen || memcmp(u.name, t->name, t->nlen))
            return RAW_PARSE;
        b->end = u.start;
        return RAW_YES;
    }
}

int bt_raw_block_at(const char *xml, size_t len, size_t h, raw_block *b)
{
    size_t pos = h;
    for (int first = 1;; first = 0) {
        const char *lt = pos ? memrchr(xml, '<', pos) : NULL;
        tag t;
        if (!lt)
            return RAW_NO;
        if (!read_tag(xml, len, (size_t)(lt - xml), &t))
            return RAW_PARSE;
        if (t.end > h)
            return first ? RAW_NO : RAW_PARSE; /* h is inside this tag */
        if (is_inline(&t)) {
            pos = t.start;
            continue;
        }
        if (known(&t) == E_NONE)
            return RAW_PARSE; /* text in an element the format has not */
        unsigned field = t.closing || t.empty ? 0 : text_field(&t);
        if (!field)
            return RAW_NO; /* between elements, or in a date */
        b->field = field;
        b->start = t.end;
        return block_end(xml, len, &t, b);
    }
}

int bt_raw_blocks(const char *xml, size_t len, unsigned fields,
                  int (*fn)(void *ctx, const raw_block *b), void *ctx)
{
    tag t;
    if (!read_tag(xml, len, 0, &t))
        return RAW_PARSE;
    size_t i = t.end;
    for (;;) {
        const char *q = i < len ? memchr(xml + i, '<', len - i) : NULL;
        if (!q || !read_tag(xml, len, (size_t)(q - xml), &t) || known(&t) == E_NONE)
            return RAW_PARSE;
        i = t.end;
        if (t.closing) {
            if (known(&t) == E_ARTICLE)
                return RAW_NO;
            continue;
        }
        if (is_inline(&t))
            return RAW_PARSE; /* inline markup outside a block */
        unsigned field = text_field(&t);
        if (!field || t.empty)
            continue; /* a container, a date; or an empty block */
        raw_block b = {field, t.end, 0};
        int r = block_end(xml, len, &t, &b);
        if (r != RAW_YES)
            return r;
        if ((fields & field) && (r = fn(ctx, &b)) != RAW_NO)
            return r;
        i = b.end;
    }
}

/* The character of the predefined entity at x[i] ('&'), or 0. */
static int entity(const char *x, size_t i, size_t end, size_t *len)
{
    static const struct {
        const char *name; /* after '&', with the ';' */
        size_t len;
        char c;
    } names[] = {{"amp;", 4, '&'}, {"lt;", 3, '<'}, {"gt;", 3, '>'}, {"quot;", 5, '"'},
                 {"apos;", 5, '\''}};
    for (size_t k = 0; k < BT_ARRAY_LEN(names); k++) {
        if (end - i - 1 >= names[k].len && !memcmp(x + i + 1, names[k].name, names[k].len)) {
            *len = names[k].len + 1;
            return names[k].c;
        }
    }
    return 0;
}

int bt_raw_text(const char *xml, const raw_block *b, bt_buf *out)
{
    size_t start = out->len, i = b->start, run = i;
    while (i < b->end) {
        char c = xml[i];
        if (c != '<' && c != '&') {
            i++;
            continue;
        }
        if (bt_buf_add(out, xml + run, i - run) < 0)
            return -1;
        if (c == '<') { /* an inline tag: block_end read it already */
            tag t;
            if (!read_tag(xml, b->end, i, &t))
                return RAW_PARSE;
            i = t.end;
        } else {
            size_t n;
            int e = entity(xml, i, b->end, &n);
            if (!e)
                return RAW_PARSE;
            if (bt_buf_addc(out, (char)e) < 0)
                return -1;
            i += n;
        }
        run = i;
    }
    if (bt_buf_add(out, xml + run, i - run) < 0)
        return -1;
    /* what the parser would read differently: invalid UTF-8, characters
     * XML forbids, U+FEFF, text that is not NFC */
    if (bt_text_clean_prefix(out->data + start, out->len - start) != out->len - start)
        return RAW_PARSE;
    return RAW_YES;
}

int bt_raw_attr(const char *xml, size_t len, const char *elem, const char *attr,
                bt_buf *out)
{
    size_t at = 0;
    if (elem) {
        size_t n = strlen(elem);
        const char *p = xml, *end = xml + len;
        for (;;) {
            p = memchr(p, '<', (size_t)(end - p));
            if (!p)
                return RAW_NO;
            if ((size_t)(end - p) > n + 1 && !memcmp(p + 1, elem, n) &&
                bt_xml_name_end((unsigned char)p[n + 1]))
                break;
            p++;
        }
        at = (size_t)(p - xml);
    }
    tag t;
    if (!read_tag(xml, len, at, &t))
        return RAW_PARSE;
    size_t k = (size_t)(t.name - xml) + t.nlen, an = strlen(attr);
    for (;;) {
        while (k < t.end && bt_xml_space((unsigned char)xml[k]))
            k++;
        size_t n0 = k;
        while (k < t.end && is_name_char((unsigned char)xml[k]))
            k++;
        if (k == n0)
            return RAW_NO; /* '>' or "/>" */
        size_t nlen = k - n0;
        while (k < t.end && bt_xml_space((unsigned char)xml[k]))
            k++;
        if (xml[k] != '=')
            return RAW_PARSE;
        k++;
        while (k < t.end && bt_xml_space((unsigned char)xml[k]))
            k++;
        char q = xml[k];
        if (q != '"' && q != '\'')
            return RAW_PARSE;
        const char *v = xml + k + 1, *close = memchr(v, q, t.end - k - 1);
        if (!close)
            return RAW_PARSE;
        k = (size_t)(close - xml) + 1;
        if (nlen != an || memcmp(xml + n0, attr, an))
            continue;
        size_t vl = (size_t)(close - v);
        for (size_t j = 0; j < vl; j++)
            if (v[j] == '&' || v[j] == '<' || (unsigned char)v[j] < 0x20)
                return RAW_PARSE; /* the parser normalises these */
        return bt_buf_add(out, v, vl) < 0 ? -1 : RAW_YES;
    }
}

/* The tag at x[i] ('<') read as the format writes tags, in one pass: 1
 * with *t set when it is a start tag whose attributes are name="value"
 * pairs (a space before each, no '<' in a value, no name twice, names of
 * ASCII letters, digits, '_', '-', '.', a letter first, none a namespace),
 * an empty one, or an end tag that holds its name only; 0 for anything
 * else. */
static int plain_tag(const char *x, size_t len, size_t i, tag *t)
{
    enum { ATTRS = 8 };
    size_t names[ATTRS], lens[ATTRS], nattr = 0;
    size_t k = tag_name(x, len, i, t);
    if (!k)
        return 0;
    for (;;) {
        size_t sp = k;
        while (k < len && bt_xml_space((unsigned char)x[k]))
            k++;
        if (k >= len)
            return 0;
        if (x[k] == '>' || (x[k] == '/' && !t->closing && k + 1 < len && x[k + 1] == '>')) {
            t->empty = x[k] == '/';
            t->end = k + 1 + (size_t)t->empty;
            return 1;
        }
        if (k == sp || t->closing || nattr == ATTRS)
            return 0;
        /* the format's attribute names: ASCII, a letter first */
        size_t a0 = k;
        if (((unsigned char)x[k] | 0x20) < 'a' || ((unsigned char)x[k] | 0x20) > 'z')
            return 0;
        while (k < len && (unsigned char)x[k] < 0x80 && is_name_char((unsigned char)x[k]) &&
               x[k] != ':')
            k++;
        size_t alen = k - a0;
        if (alen >= 5 && !memcmp(x + a0, "xmlns", 5))
            return 0;
        for (size_t j = 0; j < nattr; j++)
            if (lens[j] == alen && !memcmp(x + names[j], x + a0, alen))
                return 0;
        names[nattr] = a0;
        lens[nattr++] = alen;
        while (k < len && bt_xml_space((unsigned char)x[k]))
            k++;
        if (k >= len || x[k] != '=')
            return 0;
        k++;
        while (k < len && bt_xml_space((unsigned char)x[k]))
            k++;
        if (k >= len || (x[k] != '"' && x[k] != '\''))
            return 0;
        const char *v = x + k + 1, *close = memchr(v, x[k], len - k - 1);
        if (!close || memchr(v, '<', (size_t)(close - v)))
            return 0;
        k = (size_t)(close - x) + 1;
    }
}

/* 1 when the reader (xml_read.c) takes element e inside parent (E_NONE:
 * where the article stands).  Stricter than the reader only where the
 * format's writers never go (an element inside a date, say): the parser
 * then decides. */
static int may_hold(int parent, int e)
{
    switch (parent) {
    case E_NONE:
        return e == E_ARTICLE;
    case E_ARTICLE:
        return e == E_TITLE || e == E_DATE || e == E_BYLINE || e == E_SOURCE ||
               e == E_SECTION || e == E_BODY || e == E_RELATED;
    case E_BODY:
        return e == E_P || e == E_H || e == E_QUOTE || e == E_LIST || e == E_TABLE ||
               e == E_FIGURE;
    case E_LIST:
        return e == E_ITEM;
    case E_TABLE:
        return e == E_CAPTION || e == E_ROW;
    case E_ROW:
        return e == E_CELL;
    case E_FIGURE:
        return e == E_CAPTION;
    case E_RELATED:
        return e == E_LINK;
    case E_TITLE: case E_P: case E_H: case E_QUOTE: case E_ITEM: case E_CAPTION: case E_CELL:
    case E_EM: case E_STRONG: case E_A:
        return inline_element(e);
    default: /* date, byline, source, section, link: their text alone */
        return 0;
    }
}

/* The elements in which the reader takes white space only, not text. */
static int holds_no_text(int e)
{
    return e == E_ARTICLE || e == E_BODY || e == E_LIST || e == E_TABLE || e == E_ROW ||
           e == E_FIGURE || e == E_RELATED;
}

int bt_raw_check(const char *xml, size_t len)
{
    enum { DEPTH = 16 }; /* the format nests 8 deep at most */
    int open[DEPTH];     /* the elements open, by known()'s numbers */
    int depth = 0;
    unsigned seen = 0;   /* the article's children so far, a bit each */
    size_t i = 0;
    for (;;) {
        int parent = depth ? open[depth - 1] : E_NONE;
        const char *q;
        if (holds_no_text(parent)) { /* white space, then the next tag */
            while (i < len && bt_xml_space((unsigned char)xml[i]))
                i++;
            q = i < len && xml[i] == '<' ? xml + i : NULL;
        } else {
            q = i < len ? memchr(xml + i, '<', len - i) : NULL;
        }
        tag t;
        if (!q || (depth == 0 && q != xml) || !plain_tag(xml, len, (size_t)(q - xml), &t))
            return RAW_PARSE;
        int e = known(&t);
        if (e == E_NONE)
            return RAW_PARSE;
        i = t.end;
        if (t.closing) {
            if (parent != e)
                return RAW_PARSE;
            if (--depth == 0) /* the article: its title, its body, its text */
                return i == len && (seen & 1u << E_TITLE) && (seen & 1u << E_BODY) &&
                               bt_xml_text_ok(xml, len)
                           ? RAW_YES
                           : RAW_PARSE;
            continue;
        }
        if (!may_hold(parent, e) || (depth == 0 && t.empty))
            return RAW_PARSE;
        if (parent == E_ARTICLE) { /* each of its children once */
            if (seen & 1u << e)
                return RAW_PARSE;
            seen |= 1u << e;
        }
        if (!t.empty) {
            if (depth == DEPTH)
                return RAW_PARSE;
            open[depth++] = e;
        }
    }
}
