/*
 * The writer of the article format: libxml2's xmlTextWriter, indented,
 * UTF-8.  Every string is cleaned on the way out (NFC, no characters that
 * XML 1.0 forbids, no stray U+FEFF), so any tool that writes articles
 * writes a valid document whatever the input held.
 *
 * Each article is rendered on its own into memory (bt_writer_render) by
 * an xmlTextWriter kept inside <articles>, then its bytes go to the
 * stream (bt_writer_put) between a prolog and an end tag written here.
 * A renderer (bt_writer_open_renderer) does the first half alone, so
 * bt_batch renders articles on its worker threads and the caller's
 * thread only writes bytes: the output is the same on any number of
 * threads, by construction.
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/uri.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

struct bt_writer {
    xmlTextWriterPtr w; /* renders one article at a time into rendered */
    bt_buf rendered;    /* the article just rendered */
    int render_failed;  /* rendered could not take libxml2's bytes */
    FILE *out;          /* NULL: a renderer, or discarded */
    int write_errno;    /* first failed write, 0 if none */
    int failed;
    bt_buf clean;       /* scratch for cleaned strings */
    bt_buf markup;      /* scratch for inline markup */
    bt_buf span;        /* scratch: one span's text, cleaned and escaped */
    int started;        /* the prolog and <articles> are out */
};

/* What the document starts and ends with, around the rendered articles
 * (the bytes libxml2's writer made when it wrote the whole document). */
static const char PROLOG[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<articles version=\"" BT_FORMAT_VERSION "\">\n";
static const char EPILOG[] = "</articles>\n";
static const char EMPTY[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<articles version=\"" BT_FORMAT_VERSION "\"/>\n";

/* libxml2's output, into the article being rendered. */
static int add_rendered(void *ctx, const char *data, int len)
{
    bt_writer *wr = ctx;
    if (len > 0 && bt_buf_add(&wr->rendered, data, (size_t)len) < 0)
        wr->render_failed = 1;
    return len; /* a failure is told by the writer, not by libxml2 */
}

/* Bytes to the stream.  A failed write is kept and reported by the next
 * call. */
static void put_bytes(bt_writer *wr, const char *data, size_t len)
{
    /* stdio may take the bytes and fail only to flush them: ferror says */
    if (wr->out && !wr->write_errno && len &&
        (fwrite(data, 1, len, wr->out) != len || ferror(wr->out)))
        wr->write_errno = errno ? errno : EIO;
}

static const xmlChar *X(const char *s)
{
    return (const xmlChar *)s;
}

static int fail_write(bt_writer *wr, bt_error *err)
{
    wr->failed = 1;
    if (wr->write_errno)
        bt_error_set(err, BT_ERR_IO, "write error: %s", strerror(wr->write_errno));
    else
        bt_error_set(err, BT_ERR_NOMEM, "cannot write XML (out of memory?)");
    return -1;
}

/* A writer with its xmlTextWriter inside <articles>, the prolog and the
 * root's start tag finished by a first child rendered and dropped: every
 * article then renders as "  <article …>…</article>\n", as it stands in
 * the document. */
static bt_writer *writer_new(FILE *out, bt_error *err)
{
    bt_writer *wr = calloc(1, sizeof *wr);
    if (!wr) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    wr->out = out;
    bt_buf_init(&wr->rendered, 0);
    bt_buf_init(&wr->clean, 0);
    bt_buf_init(&wr->markup, 0);
    bt_buf_init(&wr->span, 0);
    xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(add_rendered, NULL, wr, NULL);
    if (ob)
        wr->w = xmlNewTextWriter(ob); /* owns ob from here on */
    if (!wr->w) {
        if (ob)
            xmlOutputBufferClose(ob);
        free(wr);
        bt_error_nomem(err, NULL);
        return NULL;
    }
    if (xmlTextWriterSetIndent(wr->w, 1) < 0 ||
        xmlTextWriterSetIndentString(wr->w, X("  ")) < 0 ||
        /* the declaration tells libxml2 the output is UTF-8: without it,
         * it writes every other letter of an attribute as "&#xFC;" */
        xmlTextWriterStartDocument(wr->w, "1.0", "UTF-8", NULL) < 0 ||
        xmlTextWriterStartElement(wr->w, X("articles")) < 0 ||
        xmlTextWriterStartElement(wr->w, X("article")) < 0 ||
        xmlTextWriterEndElement(wr->w) < 0 || xmlTextWriterFlush(wr->w) < 0 ||
        wr->render_failed) {
        bt_error_nomem(err, NULL);
        xmlFreeTextWriter(wr->w);
        bt_buf_free(&wr->rendered);
        free(wr);
        return NULL;
    }
    bt_buf_reset(&wr->rendered);
    return wr;
}

bt_writer *bt_writer_open(FILE *out, bt_error *err)
{
    return writer_new(out, err);
}

bt_writer *bt_writer_open_renderer(bt_error *err)
{
    return writer_new(NULL, err);
}

/* The cleaned form of s, valid until the next call. */
static const xmlChar *cleaned(bt_writer *wr, const char *s)
{
    bt_buf_reset(&wr->clean);
    if (bt_text_clean(s, strlen(s), &wr->clean) < 0 || bt_buf_grow(&wr->clean, 0) < 0)
        return NULL;
    return X(wr->clean.data);
}

/* An attribute with its value already cleaned (v NULL: out of memory). */
static int write_attr(bt_writer *wr, const char *name, const xmlChar *v)
{
    return v && xmlTextWriterWriteAttribute(wr->w, X(name), v) >= 0 ? 0 : -1;
}

static int put_attr(bt_writer *wr, const char *name, const char *value)
{
    return value ? write_attr(wr, name, cleaned(wr, value)) : 0;
}

/* ---- attributes the schema types ----
 * The model may hold anything (a page's href, a reader's lang), so a
 * value is written only in its type: a URI libxml2 cannot parse is
 * percent-encoded, other values are left out. */

/* The schema's anyURI as libxml2 checks it: white space trimmed, the
 * characters it escapes itself replaced, then parsed as RFC 3986. */
static int uri_ok(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    char *t = bt_strdup(s);
    if (!t)
        return -1;
    size_t n = strlen(t);
    while (n && strchr(" \t\n\r", t[n - 1]))
        t[--n] = '\0';
    for (unsigned char *c = (unsigned char *)t; *c; c++)
        if (*c <= ' ' || *c >= 127 || strchr("<>\"{}|\\^`'", *c))
            *c = '_';
    xmlURIPtr uri = *t ? xmlParseURI(t) : NULL;
    int ok = !*t || uri;
    xmlFreeURI(uri);
    free(t);
    return ok;
}

/* The cleaned value of a URI attribute (valid until the next call), or
 * NULL when out of memory.  One that is not a URI is percent-encoded but
 * for letters, digits, "-_.!~*'()", '/' and its own %XX escapes, so that
 * decoding it gives back what the page had. */
static const xmlChar *cleaned_uri(bt_writer *wr, const char *s)
{
    const xmlChar *v = cleaned(wr, s);
    int ok = v ? uri_ok((const char *)v) : -1;
    if (ok)
        return ok < 0 ? NULL : v;
    bt_buf t = BT_BUF_INIT;
    int rc = 0;
    for (const char *p = (const char *)v; *p && !rc; p++)
        rc = *p == '%' && !(isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2]))
                 ? bt_buf_adds(&t, "%25")
                 : bt_buf_addc(&t, *p);
    xmlChar *esc = rc ? NULL : xmlURIEscapeStr(X(t.data), X("/%"));
    bt_buf_free(&t);
    if (!esc)
        return NULL;
    bt_buf_reset(&wr->clean);
    rc = bt_buf_adds(&wr->clean, (const char *)esc);
    xmlFree(esc);
    return rc < 0 ? NULL : X(wr->clean.data);
}

static int put_uri_attr(bt_writer *wr, const char *name, const char *value)
{
    return value ? write_attr(wr, name, cleaned_uri(wr, value)) : 0;
}

/* lang: the schema's language, [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
static int is_language(const char *s)
{
    for (int first = 1;; first = 0) {
        size_t n = 0;
        while (((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z') ||
               (!first && s[n] >= '0' && s[n] <= '9'))
            n++;
        if (n < 1 || n > 8)
            return 0;
        if (!s[n])
            return 1;
        if (s[n] != '-')
            return 0;
        s += n + 1;
    }
}

/* when: YYYY-MM-DD, or with THH:MM:SS and Z or an offset ±HH:MM */
static int is_when(const char *s)
{
    static const char *const forms[] = {"0000-00-00", "0000-00-00T00:00:00Z",
                                        "0000-00-00T00:00:00+00:00"};
    for (size_t f = 0; f < BT_ARRAY_LEN(forms); f++) {
        const char *p = forms[f];
        size_t i = 0;
        for (; p[i] && s[i]; i++)
            if (p[i] == '0' ? !(s[i] >= '0' && s[i] <= '9')
                            : p[i] == '+' ? s[i] != '+' && s[i] != '-' : s[i] != p[i])
                break;
        if (!p[i] && !s[i])
            return 1;
    }
    return 0;
}

/* a figure's type: image/[a-z0-9.+-]+ */
static int is_media_type(const char *s)
{
    if (strncmp(s, "image/", 6) || !s[6])
        return 0;
    return s[6 + strspn(s + 6, "abcdefghijklmnopqrstuvwxyz0123456789.+-")] == '\0';
}

/* Text content: copied as it is when it is clean already (the common
 * case: a check, no copy), else cleaned. */
static const xmlChar *cleaned_text(bt_writer *wr, const char *s)
{
    size_t len = strlen(s);
    return bt_text_clean_prefix(s, len) == len ? X(s) : cleaned(wr, s);
}

/* The text of a plain field (byline, date, section, a related link) as a
 * reader reads it back, into wr->span: cleaned, white space collapsed and
 * trimmed (bt_text_collapse_space).  1 when that leaves nothing (absent,
 * or only what cleaning and layout drop), so that an optional element is
 * left out rather than written empty: a reader takes "<byline/>" for no
 * byline.  -1: out of memory. */
static int blank(bt_writer *wr, const char *s)
{
    if (!s || !*s)
        return 1;
    const xmlChar *v = cleaned_text(wr, s);
    if (!v)
        return -1;
    bt_buf_reset(&wr->span);
    if (bt_text_collapse_space((const char *)v, strlen((const char *)v), &wr->span) < 0)
        return -1;
    return wr->span.len == 0;
}

/* That text, written; nothing at all when there is none, so that the
 * element is written empty ("<link/>"). */
static int put_string(bt_writer *wr, const char *s)
{
    int none = blank(wr, s);
    if (none < 0)
        return -1;
    return none || xmlTextWriterWriteString(wr->w, X(wr->span.data)) >= 0 ? 0 : -1;
}

/* <name attr=…>text</name> on one line. */
static int put_simple(bt_writer *wr, const char *name, const char *text,
                      const char *a1, const char *v1, const char *a2, const char *v2)
{
    if (xmlTextWriterStartElement(wr->w, X(name)) < 0)
        return -1;
    if ((a1 && (strcmp(a1, "href") ? put_attr(wr, a1, v1) : put_uri_attr(wr, a1, v1)) < 0) ||
        (a2 && put_attr(wr, a2, v2) < 0))
        return -1;
    if (put_string(wr, text) < 0)
        return -1;
    return xmlTextWriterEndElement(wr->w) < 0 ? -1 : 0;
}

/* Appends s to out with the characters XML reserves escaped (in an
 * attribute also quotes and the white space a parser would normalise).
 * strcspn finds the next one at SIMD speed. */
static int add_escaped(bt_buf *out, const char *s, int in_attr)
{
    const char *special = in_attr ? "&<>\"\n\r\t" : "&<>\r";
    for (;;) {
        size_t run = strcspn(s, special);
        if (bt_buf_add(out, s, run) < 0)
            return -1;
        s += run;
        if (!*s)
            return 0;
        const char *rep = *s == '&'    ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\n' ? "&#10;"
                          : *s == '\r' ? "&#13;"
                                        : "&#9;";
        if (bt_buf_adds(out, rep) < 0)
            return -1;
        s++;
    }
}

/* Appends cleaned, escaped text to the inline markup being built. */
static int add_clean(bt_writer *wr, bt_buf *markup, const char *s, int in_attr)
{
    const xmlChar *v = in_attr ? cleaned(wr, s) : cleaned_text(wr, s);
    return v ? add_escaped(markup, (const char *)v, in_attr) : -1;
}

/* The inline elements open at a point of mixed content, outermost first. */
enum { IN_A, IN_STRONG, IN_EM };
typedef struct inline_stack {
    int kind[3];
    size_t n;
    const char *href; /* of the open <a>, when there is one */
} inline_stack;

/* 1 when t reads back as it is: clean text, white space only as single
 * spaces, none at either end nor twice across spans (the common case,
 * checked without a copy). */
static int reads_back_as_is(const bt_text *t)
{
    int prev_space = 1; /* a space at the very start would be dropped */
    for (size_t i = 0; i < t->nspans; i++) {
        const unsigned char *s = (const unsigned char *)t->spans[i].text;
        size_t n = strlen((const char *)s);
        if (!n || (prev_space && s[0] == ' ') || !bt_text_single_spaced((const char *)s, n) ||
            bt_text_clean_prefix((const char *)s, n) != n)
            return 0;
        prev_space = s[n - 1] == ' ';
    }
    return !t->nspans || !prev_space;
}

/* t as a reader will see it: each span cleaned, then white space laid out
 * as the reader does (bt_text_collapse_layout), into out. */
static int normalised(const bt_text *t, bt_text *out, bt_buf *tmp)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < t->nspans; i++) {
        bt_buf_reset(tmp);
        if (bt_text_clean(t->spans[i].text, strlen(t->spans[i].text), tmp) < 0)
            return -1;
        /* not bt_text_add: it would merge spans the layout step must see apart */
        if (bt_grow_array((void **)&out->spans, &out->cap, out->nspans + 1, sizeof *out->spans) < 0)
            return -1;
        bt_span *sp = &out->spans[out->nspans];
        sp->text = bt_strndup(tmp->data, tmp->len);
        sp->href = t->spans[i].href ? bt_strdup(t->spans[i].href) : NULL;
        sp->style = t->spans[i].style;
        out->nspans++;
        if (!sp->text || (t->spans[i].href && !sp->href))
            return -1;
    }
    bt_text_collapse_layout(out);
    return 0;
}

static int put_spans(bt_writer *wr, const bt_text *t, int clean);

static int put_inline_content(bt_writer *wr, const bt_text *t)
{
    if (reads_back_as_is(t))
        return put_spans(wr, t, 1);
    bt_text n;
    int rc = normalised(t, &n, &wr->clean);
    if (rc == 0)
        rc = put_spans(wr, &n, 0);
    bt_text_free(&n);
    return rc;
}

/* Mixed content is written as one raw run of markup built here, so the
 * writer's indentation never adds spaces inside the text.  The elements
 * open are a stack: to change the look, close from the top down to the
 * deepest element the next span still wants (so no element is ever
 * closed before one opened inside it), then open what is missing in the
 * order <a><strong><em>.  "<strong>a <em>b</em></strong>" comes back out as
 * it went in, and any sequence of spans gives well-formed markup. */
/* Here: the spans of t as markup; clean: their text is known clean already. */
static int put_spans(bt_writer *wr, const bt_text *t, int clean)
{
    static const char *const close_tag[] = {"</a>", "</strong>", "</em>"};
    bt_buf *m = &wr->markup;
    bt_buf_reset(m);
    inline_stack st = {{0}, 0, NULL};
    int rc = 0;
    for (size_t i = 0; i <= t->nspans && !rc; i++) {
        const bt_span *sp = i < t->nspans ? &t->spans[i] : NULL;
        if (sp && !clean) {
            /* the text first: a span that cleaning empties (a lone U+FEFF)
             * opens no element, or "<strong></strong>" would not read back;
             * clean spans are never empty (reads_back_as_is) */
            bt_buf_reset(&wr->span);
            if (add_clean(wr, &wr->span, sp->text, 0) < 0)
                return -1;
            if (!wr->span.len)
                continue;
        }
        const char *href = sp ? sp->href : NULL;
        int want[3] = {href != NULL, sp && (sp->style & BT_STYLE_STRONG),
                       sp && (sp->style & BT_STYLE_EM)};
        /* keep the open elements from the bottom while each is wanted */
        size_t keep = 0;
        while (keep < st.n && want[st.kind[keep]] &&
               (st.kind[keep] != IN_A || !strcmp(st.href, href)))
            keep++;
        while (st.n > keep)
            rc |= bt_buf_adds(m, close_tag[st.kind[--st.n]]);
        if (!sp)
            break;
        int open[3] = {0, 0, 0};
        for (size_t k = 0; k < st.n; k++)
            open[st.kind[k]] = 1;
        if (want[IN_A] && !open[IN_A]) {
            rc |= bt_buf_adds(m, "<a href=\"");
            const xmlChar *v = cleaned_uri(wr, href);
            rc |= v ? add_escaped(m, (const char *)v, 1) : -1;
            rc |= bt_buf_adds(m, "\">");
            st.kind[st.n++] = IN_A;
            st.href = href;
        }
        if (want[IN_STRONG] && !open[IN_STRONG])
            rc |= bt_buf_adds(m, "<strong>"), st.kind[st.n++] = IN_STRONG;
        if (want[IN_EM] && !open[IN_EM])
            rc |= bt_buf_adds(m, "<em>"), st.kind[st.n++] = IN_EM;
        /* clean text is escaped straight into the markup, not copied twice */
        rc |= clean ? add_escaped(m, sp->text, 0) : bt_buf_add(m, wr->span.data, wr->span.len);
    }
    return rc || (m->len && xmlTextWriterWriteRawLen(wr->w, X(m->data), (int)m->len) < 0) ? -1 : 0;
}

/* <name>inline content</name> */
static int put_inline(bt_writer *wr, const char *name, const bt_text *t)
{
    return xmlTextWriterStartElement(wr->w, X(name)) < 0 || put_inline_content(wr, t) < 0 ||
                   xmlTextWriterEndElement(wr->w) < 0
               ? -1
               : 0;
}

static int put_uint_attr(bt_writer *wr, const char *name, unsigned v)
{
    char num[16];
    snprintf(num, sizeof num, "%u", v);
    return put_attr(wr, name, num);
}

static int put_table(bt_writer *wr, const bt_block *b)
{
    if (!b->nrows)
        return 0; /* the format wants at least one row */
    if (xmlTextWriterStartElement(wr->w, X("table")) < 0 ||
        (!bt_text_is_empty(&b->text) && put_inline(wr, "caption", &b->text) < 0))
        return -1;
    for (size_t i = 0; i < b->nrows; i++) {
        const bt_row *r = &b->rows[i];
        if (!r->ncells)
            continue; /* a row holds at least one cell */
        if (xmlTextWriterStartElement(wr->w, X("row")) < 0)
            return -1;
        for (size_t j = 0; j < r->ncells; j++) {
            const bt_cell *c = &r->cells[j];
            if (xmlTextWriterStartElement(wr->w, X("cell")) < 0 ||
                (c->header && put_attr(wr, "type", "header") < 0) ||
                (c->colspan > 1 && put_uint_attr(wr, "colspan", c->colspan) < 0) ||
                (c->rowspan > 1 && put_uint_attr(wr, "rowspan", c->rowspan) < 0) ||
                put_inline_content(wr, &c->text) < 0 || xmlTextWriterEndElement(wr->w) < 0)
                return -1;
        }
        if (xmlTextWriterEndElement(wr->w) < 0)
            return -1;
    }
    return xmlTextWriterEndElement(wr->w) < 0 ? -1 : 0;
}

static int put_block(bt_writer *wr, const bt_block *b)
{
    switch (b->kind) {
    case BT_BLOCK_P:
        return put_inline(wr, "p", &b->text);
    case BT_BLOCK_H:
        return put_inline(wr, "h", &b->text);
    case BT_BLOCK_QUOTE:
        return put_inline(wr, "quote", &b->text);
    case BT_BLOCK_LIST:
        if (!b->nitems)
            return 0; /* the format wants at least one item */
        if (xmlTextWriterStartElement(wr->w, X("list")) < 0 ||
            (b->numbered && put_attr(wr, "type", "number") < 0))
            return -1;
        for (size_t i = 0; i < b->nitems; i++)
            if (put_inline(wr, "item", &b->items[i]) < 0)
                return -1;
        return xmlTextWriterEndElement(wr->w) < 0 ? -1 : 0;
    case BT_BLOCK_FIGURE:
        if (xmlTextWriterStartElement(wr->w, X("figure")) < 0 ||
            put_uri_attr(wr, "src", b->src) < 0 ||
            (b->width && put_uint_attr(wr, "width", b->width) < 0) ||
            (b->height && put_uint_attr(wr, "height", b->height) < 0) ||
            (b->media_type && is_media_type(b->media_type) &&
             put_attr(wr, "type", b->media_type) < 0))
            return -1;
        if (!bt_text_is_empty(&b->text) && put_inline(wr, "caption", &b->text) < 0)
            return -1;
        return xmlTextWriterEndElement(wr->w) < 0 ? -1 : 0;
    case BT_BLOCK_TABLE:
        return put_table(wr, b);
    }
    return 0;
}

static int put_article(bt_writer *wr, const bt_article *a)
{
    bt_article copy_id;
    const char *id = a->id;
    if (!id[0]) {
        /* compute on a shallow copy: the caller's article stays const */
        copy_id = *a;
        bt_article_compute_id(&copy_id);
        id = copy_id.id;
    }
    if (xmlTextWriterStartElement(wr->w, X("article")) < 0 ||
        put_attr(wr, "id", id) < 0 ||
        (a->lang && is_language(a->lang) && put_attr(wr, "lang", a->lang) < 0))
        return -1;
    if (put_inline(wr, "title", &a->title) < 0)
        return -1;
    int no_date_text, no_when_text, no_byline, no_source, no_section;
    if ((no_date_text = blank(wr, a->date_text)) < 0 ||
        (no_when_text = blank(wr, a->date_when)) < 0 || (no_byline = blank(wr, a->byline)) < 0 ||
        (no_source = blank(wr, a->source_name)) < 0 || (no_section = blank(wr, a->section)) < 0)
        return -1;
    const char *when = a->date_when && is_when(a->date_when) ? a->date_when : NULL;
    const char *date = !no_date_text ? a->date_text : !no_when_text ? a->date_when : NULL;
    if ((date || when) && put_simple(wr, "date", date, "when", when, NULL, NULL) < 0)
        return -1;
    if (!no_byline && put_simple(wr, "byline", a->byline, NULL, NULL, NULL, NULL) < 0)
        return -1;
    if ((a->source_href || a->source_file || !no_source) &&
        put_simple(wr, "source", a->source_name, "href", a->source_href,
                   "file", a->source_file) < 0)
        return -1;
    if (!no_section && put_simple(wr, "section", a->section, NULL, NULL, NULL, NULL) < 0)
        return -1;
    if (xmlTextWriterStartElement(wr->w, X("body")) < 0)
        return -1;
    for (size_t i = 0; i < a->nblocks; i++)
        if (put_block(wr, &a->blocks[i]) < 0)
            return -1;
    if (xmlTextWriterEndElement(wr->w) < 0)
        return -1;
    if (a->nrelated) {
        if (xmlTextWriterStartElement(wr->w, X("related")) < 0)
            return -1;
        for (size_t i = 0; i < a->nrelated; i++)
            if (put_simple(wr, "link", a->related[i].text, "href", a->related[i].href,
                           NULL, NULL) < 0)
                return -1;
        if (xmlTextWriterEndElement(wr->w) < 0)
            return -1;
    }
    return xmlTextWriterEndElement(wr->w) < 0 ? -1 : 0;
}

int bt_writer_render(bt_writer *wr, const bt_article *a, const char **xml, size_t *len,
                     bt_error *err)
{
    bt_buf_reset(&wr->rendered);
    if (wr->failed || put_article(wr, a) < 0 || xmlTextWriterFlush(wr->w) < 0 ||
        wr->render_failed)
        return fail_write(wr, err);
    *xml = wr->rendered.data;
    *len = wr->rendered.len;
    return 0;
}

int bt_writer_put(bt_writer *wr, const char *xml, size_t len, bt_error *err)
{
    if (wr->failed)
        return fail_write(wr, err);
    if (!wr->started) {
        wr->started = 1;
        put_bytes(wr, PROLOG, sizeof PROLOG - 1);
    }
    put_bytes(wr, xml, len);
    return wr->write_errno ? fail_write(wr, err) : 0;
}

int bt_writer_article(bt_writer *wr, const bt_article *a, bt_error *err)
{
    const char *xml;
    size_t len;
    if (bt_writer_render(wr, a, &xml, &len, err) < 0)
        return -1;
    return bt_writer_put(wr, xml, len, err);
}

static void writer_free(bt_writer *wr)
{
    xmlFreeTextWriter(wr->w);
    bt_buf_free(&wr->rendered);
    bt_buf_free(&wr->clean);
    bt_buf_free(&wr->markup);
    bt_buf_free(&wr->span);
    free(wr);
}

int bt_writer_close(bt_writer *wr, bt_error *err)
{
    if (!wr)
        return 0;
    if (!wr->failed) {
        if (wr->started)
            put_bytes(wr, EPILOG, sizeof EPILOG - 1);
        else
            put_bytes(wr, EMPTY, sizeof EMPTY - 1);
    }
    int rc = wr->failed || wr->write_errno ? fail_write(wr, err) : 0;
    writer_free(wr);
    return rc;
}

void bt_writer_discard(bt_writer *wr)
{
    if (!wr)
        return;
    /* nothing more reaches the stream */
    wr->failed = 1;
    wr->out = NULL;
    writer_free(wr);
}

