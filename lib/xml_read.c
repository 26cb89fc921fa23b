/*
 * The streaming reader of the article format.
 *
 * libxml2's xmlTextReader pulls the document one node at a time; each
 * <article> is expanded into a small DOM subtree, converted into a
 * bt_article and then skipped, so memory stays flat however many articles
 * a stream holds.  Parsing is safe for untrusted input: no network, no DTD
 * loading, no entity substitution (a DOCTYPE is refused outright), and
 * libxml2's default size limits stay on (no XML_PARSE_HUGE).
 */
#include "xml_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum reader_state { NO_DOCUMENT, BEFORE_ROOT, IN_ARTICLES, AFTER_ROOT };

struct bt_reader {
    xmlTextReaderPtr xr; /* parses the current document */
    bt_xml_docs *docs;   /* the byte stream, cut into documents */
    char *name;
    int fd;              /* ours to close, or -1 */
    enum reader_state state;
    size_t ndocs;        /* documents started so far */
    int skip_subtree;    /* the last article was expanded: step over it */
    int have_error;      /* libxml2 reported an error, kept in error */
    int spoiled;         /* a parse failed: xr is not to be used again */
    int error_code;      /* its xmlParserErrors code */
    long error_line, error_col;
    bt_error error;
};

static const int PARSE_OPTIONS = XML_PARSE_NONET | XML_PARSE_NOCDATA |
                                 XML_PARSE_COMPACT;

/* Keeps libxml2's first error, with its position in the whole stream. */
static void on_xml_error(void *arg, xmlErrorPtr e)
{
    bt_reader *r = arg;
    if (r->have_error || !e || e->level < XML_ERR_ERROR)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (char *p = msg; (p = strchr(p, '\n')) != NULL;)
        *p = ' '; /* "…encoding !\nBytes: 0xC3 …": one line */
    long line = e->line > 0 ? e->line : 1, col = e->int2 > 0 ? e->int2 : 1;
    bt_xml_docs_shift(r->docs, &line, &col);
    /* "tag mismatch: title line 4 and …" counts from the document's start */
    char *ln = strstr(msg, " line ");
    if (ln && ln[6] >= '0' && ln[6] <= '9') {
        char *end;
        long l = strtol(ln + 6, &end, 10), c = 1;
        bt_xml_docs_shift(r->docs, &l, &c);
        char rest[512];
        snprintf(rest, sizeof rest, "%s", end);
        snprintf(ln, sizeof msg - (size_t)(ln - msg), " line %ld%s", l, rest);
    }
    r->error_code = e->code;
    r->error_line = line;
    r->error_col = col;
    bt_error_set(&r->error, BT_ERR_INPUT, "%s:%ld:%ld: %s", r->name, line, col, msg);
    r->have_error = 1;
}

static bt_reader *reader_new(const char *name, bt_error *err)
{
    if (!name || !strcmp(name, "-"))
        name = "(standard input)";
    bt_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = bt_strdup(name))) {
        free(r);
        bt_error_nomem(err, name);
        return NULL;
    }
    r->fd = -1;
    return r;
}

bt_reader *bt_reader_open_fd(int fd, const char *name, bt_error *err)
{
    bt_reader *r = reader_new(name, err);
    if (!r)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_USAGE, "%s: is a directory", r->name);
        bt_reader_close(r);
        return NULL;
    }
    if (!(r->docs = bt_xml_docs_fd(fd))) {
        bt_error_set(err, errno == EBADF ? BT_ERR_IO : BT_ERR_NOMEM, "%s: %s", r->name,
                     strerror(errno ? errno : ENOMEM));
        bt_reader_close(r);
        return NULL;
    }
    return r;
}

bt_reader *bt_reader_open_file(const char *path, bt_error *err)
{
    if (!path || !strcmp(path, "-"))
        return bt_reader_open_fd(0, NULL, err);
    int fd = bt_open_input(path, err);
    if (fd < 0)
        return NULL;
    bt_reader *r = bt_reader_open_fd(fd, path, err);
    if (!r) {
        close(fd);
        return NULL;
    }
    r->fd = fd;
    return r;
}

bt_reader *bt_reader_open_memory(const char *data, size_t len,
                                 const char *name, bt_error *err)
{
    bt_reader *r = reader_new(name, err);
    if (!r)
        return NULL;
    if (!(r->docs = bt_xml_docs_memory(data, len))) {
        bt_error_nomem(err, r->name);
        bt_reader_close(r);
        return NULL;
    }
    return r;
}

int bt_reader_reset_memory(bt_reader *r, const char *data, size_t len, bt_error *err)
{
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
    bt_xml_docs *docs = bt_xml_docs_memory(data, len);
    if (!docs) {
        bt_error_nomem(err, r->name);
        return -1;
    }
    bt_xml_docs_free(r->docs);
    r->docs = docs;
    r->state = NO_DOCUMENT;
    r->ndocs = 0;
    r->skip_subtree = 0;
    r->have_error = 0;
    return 0;
}

void bt_reader_close(bt_reader *r)
{
    if (!r)
        return;
    if (r->xr)
        xmlFreeTextReader(r->xr);
    bt_xml_docs_free(r->docs);
    if (r->fd >= 0)
        close(r->fd);
    free(r->name);
    free(r);
}

/* ---- errors about the structure of the document ---- */

static int fail_at(bt_reader *r, bt_error *err, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* libxml2 keeps no column for DOM nodes, so structure errors point at the
 * start of the node's line. */
static int fail_at(bt_reader *r, bt_error *err, long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long col = 1;
    if (line < 1)
        line = 1;
    bt_xml_docs_shift(r->docs, &line, &col);
    bt_error_set(err, BT_ERR_INPUT, "%s:%ld:1: %s", r->name, line, msg);
    return -1;
}

/* libxml2's words for an input that stops in the middle of the markup. */
static int premature_end(int code)
{
    return code == XML_ERR_TAG_NOT_FINISHED || code == XML_ERR_LTSLASH_REQUIRED ||
           code == XML_ERR_GT_REQUIRED || code == XML_ERR_ATTRIBUTE_NOT_STARTED ||
           code == XML_ERR_ATTRIBUTE_NOT_FINISHED || code == XML_ERR_LITERAL_NOT_FINISHED ||
           code == XML_ERR_NAME_REQUIRED || code == XML_ERR_DOCUMENT_END ||
           code == XML_ERR_COMMENT_NOT_FINISHED || code == XML_ERR_CDATA_NOT_FINISHED ||
           code == XML_ERR_PI_NOT_FINISHED || code == XML_ERR_EXTRA_CONTENT ||
           code == XML_ERR_INTERNAL_ERROR; /* a character cut in two */
}

/* libxml2's error is at the very end of the input (the last few bytes of
 * its last line): the input was cut there, whatever libxml2 makes of it. */
static int near_end(const bt_reader *r)
{
    long line, col;
    bt_xml_docs_where(r->docs, &line, &col);
    return r->error_line == line && col - r->error_col <= 64 &&
           r->error_code != XML_ERR_TAG_NAME_MISMATCH;
}

static int fail_parse(bt_reader *r, bt_error *err)
{
    long line, col;
    const char *why = bt_xml_docs_error(r->docs);
    if (bt_xml_docs_doctype(r->docs, &line, &col)) {
        bt_error_set(err, BT_ERR_INPUT, "%s:%ld:%ld: a DOCTYPE is not allowed in the article format",
                     r->name, line, col);
    } else if (why) {
        bt_error_set(err, strstr(why, "gzip") ? BT_ERR_INPUT : BT_ERR_IO, "%s: %s", r->name,
                     why);
    } else if (bt_xml_docs_at_end(r->docs) && bt_xml_docs_in_document(r->docs) &&
               (!r->have_error || premature_end(r->error_code) || near_end(r))) {
        /* the input stops inside the document: say so, at its end */
        bt_xml_docs_where(r->docs, &line, &col);
        bt_error_set(err, BT_ERR_INPUT, "%s:%ld:%ld: the input ends too early (the document is "
                     "cut off)", r->name, line, col);
    } else if (r->have_error) {
        *err = r->error;
    } else {
        bt_error_set(err, BT_ERR_INPUT, "%s:%d:%d: malformed XML", r->name,
                     xmlTextReaderGetParserLineNumber(r->xr),
                     xmlTextReaderGetParserColumnNumber(r->xr));
    }
    return -1;
}

static int fail_oom(bt_reader *r, bt_error *err)
{
    bt_error_nomem(err, r->name);
    return -1;
}

/* ---- converting one expanded <article> subtree ---- */

static int is_el(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static int is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* Only white space may stand between the structural elements. */
static int check_no_text(bt_reader *r, const xmlNode *n, const char *parent,
                         bt_error *err)
{
    if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
        !is_blank(n->content))
        return fail_at(r, err, xmlGetLineNo(n), "text directly inside <%s>", parent);
    if (n->type == XML_ENTITY_REF_NODE)
        return fail_at(r, err, xmlGetLineNo(n), "entity reference inside <%s>", parent);
    return 0;
}

/* A child of <parent> that is none of the elements it holds: an element
 * is an error, and so are text and entities (check_no_text). */
static int other_child(bt_reader *r, const xmlNode *c, const char *parent, bt_error *err)
{
    if (c->type == XML_ELEMENT_NODE)
        return fail_at(r, err, xmlGetLineNo(c), "unexpected element <%s> in <%s>", c->name,
                       parent);
    return check_no_text(r, c, parent, err);
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = bt_strdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Plain text content; NULL only when out of memory. */
static char *plain_text(const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    bt_buf b = BT_BUF_INIT;
    int rc = bt_text_collapse_space((const char *)(v ? v : (const xmlChar *)""),
                                    v ? strlen((const char *)v) : 0, &b);
    xmlFree(v);
    if (rc < 0) {
        bt_buf_free(&b);
        return NULL;
    }
    return bt_buf_detach(&b);
}

/* Text with <em>, <strong> and <a href>, nested freely. */
static int inline_text(bt_reader *r, const xmlNode *n, unsigned style,
                       const char *href, bt_text *out, bt_error *err)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const char *t = (const char *)c->content;
            if (t && bt_text_add(out, t, strlen(t), style, href) < 0)
                return fail_oom(r, err);
        } else if (is_el(c, "em") || is_el(c, "strong")) {
            unsigned s = style | (is_el(c, "em") ? BT_STYLE_EM : BT_STYLE_STRONG);
            if (inline_text(r, c, s, href, out, err) < 0)
                return -1;
        } else if (is_el(c, "a")) {
            char *h = attr(c, "href");
            int rc = inline_text(r, c, style, h ? h : href, out, err);
            free(h);
            if (rc < 0)
                return -1;
        } else if (c->type == XML_ELEMENT_NODE) {
            return fail_at(r, err, xmlGetLineNo(c), "unexpected element <%s> in <%s>",
                           c->name, n->name);
        }
    }
    return 0;
}

static int read_inline(bt_reader *r, const xmlNode *n, bt_text *out, bt_error *err)
{
    if (inline_text(r, n, 0, NULL, out, err) < 0)
        return -1;
    bt_text_collapse_layout(out);
    return 0;
}

/* A positive count in an attribute (width, colspan, …), 0 when absent or
 * not a number a reader could use. */
static unsigned count_attr(const xmlNode *n, const char *name)
{
    char *v = attr(n, name);
    char *end = NULL;
    unsigned long k = v && *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : 0;
    if (!end || *end || k > 1000000)
        k = 0;
    free(v);
    return (unsigned)k;
}

static int read_row(bt_reader *r, bt_row *row, const xmlNode *n, bt_error *err)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_el(c, "cell")) {
            bt_cell *cell = bt_row_add_cell(row);
            if (!cell)
                return fail_oom(r, err);
            char *type = attr(c, "type");
            cell->header = type && !strcmp(type, "header");
            free(type);
            unsigned span = count_attr(c, "colspan");
            cell->colspan = span ? span : 1;
            span = count_attr(c, "rowspan");
            cell->rowspan = span ? span : 1;
            if (read_inline(r, c, &cell->text, err) < 0)
                return -1;
        } else if (other_child(r, c, "row", err) < 0) {
            return -1;
        }
    }
    return 0;
}

static int read_table(bt_reader *r, bt_article *a, const xmlNode *n, bt_error *err)
{
    bt_block *b = bt_article_add_block(a, BT_BLOCK_TABLE);
    if (!b)
        return fail_oom(r, err);
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_el(c, "caption")) {
            if (read_inline(r, c, &b->text, err) < 0)
                return -1;
        } else if (is_el(c, "row")) {
            bt_row *row = bt_block_add_row(b);
            if (!row)
                return fail_oom(r, err);
            if (read_row(r, row, c, err) < 0)
                return -1;
        } else if (other_child(r, c, "table", err) < 0) {
            return -1;
        }
    }
    return 0;
}

static int read_block(bt_reader *r, bt_article *a, const xmlNode *n, bt_error *err)
{
    static const struct { const char *name; bt_block_kind kind; } simple[] = {
        {"p", BT_BLOCK_P}, {"h", BT_BLOCK_H}, {"quote", BT_BLOCK_QUOTE}};
    for (size_t i = 0; i < BT_ARRAY_LEN(simple); i++) {
        if (!is_el(n, simple[i].name))
            continue;
        bt_block *b = bt_article_add_block(a, simple[i].kind);
        if (!b)
            return fail_oom(r, err);
        return read_inline(r, n, &b->text, err);
    }
    if (is_el(n, "list")) {
        bt_block *b = bt_article_add_block(a, BT_BLOCK_LIST);
        if (!b)
            return fail_oom(r, err);
        char *type = attr(n, "type");
        b->numbered = type && !strcmp(type, "number");
        free(type);
        for (const xmlNode *c = n->children; c; c = c->next) {
            if (is_el(c, "item")) {
                bt_text *item = bt_block_add_item(b);
                if (!item)
                    return fail_oom(r, err);
                if (read_inline(r, c, item, err) < 0)
                    return -1;
            } else if (other_child(r, c, "list", err) < 0) {
                return -1;
            }
        }
        return 0;
    }
    if (is_el(n, "table"))
        return read_table(r, a, n, err);
    if (is_el(n, "figure")) {
        bt_block *b = bt_article_add_block(a, BT_BLOCK_FIGURE);
        if (!b)
            return fail_oom(r, err);
        b->src = attr(n, "src");
        b->media_type = attr(n, "type");
        b->width = count_attr(n, "width");
        b->height = count_attr(n, "height");
        for (const xmlNode *c = n->children; c; c = c->next) {
            if (is_el(c, "caption")) {
                if (read_inline(r, c, &b->text, err) < 0)
                    return -1;
            } else if (other_child(r, c, "figure", err) < 0) {
                return -1;
            }
        }
        return 0;
    }
    return fail_at(r, err, xmlGetLineNo(n), "unexpected element <%s> in <body>",
                   n->name);
}

static int read_body(bt_reader *r, bt_article *a, const xmlNode *n, bt_error *err)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (read_block(r, a, c, err) < 0)
                return -1;
        } else if (check_no_text(r, c, "body", err) < 0) {
            return -1;
        }
    }
    return 0;
}

static int read_related(bt_reader *r, bt_article *a, const xmlNode *n, bt_error *err)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_el(c, "link")) {
            char *href = attr(c, "href");
            char *text = plain_text(c);
            int rc = text ? bt_article_add_related(a, href, text) : -1;
            free(href);
            free(text);
            if (rc < 0)
                return fail_oom(r, err);
        } else if (other_child(r, c, "related", err) < 0) {
            return -1;
        }
    }
    return 0;
}

static int is_hex_id(const char *s)
{
    if (!s || strlen(s) != 16)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

/* Stores a plain-text field, refusing a second occurrence. */
static int set_once(bt_reader *r, char **field, const xmlNode *n, bt_error *err)
{
    if (*field)
        return fail_at(r, err, xmlGetLineNo(n), "more than one <%s> in <article>",
                       n->name);
    if (!(*field = plain_text(n)))
        return fail_oom(r, err);
    return 0;
}

static int read_article(bt_reader *r, const xmlNode *n, bt_article *a, bt_error *err)
{
    int have_title = 0, have_body = 0, have_related = 0;
    char *id = attr(n, "id");
    if (is_hex_id(id))
        memcpy(a->id, id, 17);
    free(id);
    a->lang = attr(n, "lang");

    for (const xmlNode *c = n->children; c; c = c->next) {
        int rc = 0;
        if (c->type != XML_ELEMENT_NODE) {
            rc = check_no_text(r, c, "article", err);
        } else if (is_el(c, "title")) {
            if (have_title++)
                return fail_at(r, err, xmlGetLineNo(c), "more than one <title> in <article>");
            rc = read_inline(r, c, &a->title, err);
        } else if (is_el(c, "date")) {
            rc = set_once(r, &a->date_text, c, err);
            if (!rc)
                a->date_when = attr(c, "when");
        } else if (is_el(c, "byline")) {
            rc = set_once(r, &a->byline, c, err);
        } else if (is_el(c, "source")) {
            rc = set_once(r, &a->source_name, c, err);
            if (!rc) {
                a->source_href = attr(c, "href");
                a->source_file = attr(c, "file");
            }
        } else if (is_el(c, "section")) {
            rc = set_once(r, &a->section, c, err);
        } else if (is_el(c, "body")) {
            if (have_body++)
                return fail_at(r, err, xmlGetLineNo(c), "more than one <body> in <article>");
            rc = read_body(r, a, c, err);
        } else if (is_el(c, "related")) {
            if (have_related++)
                return fail_at(r, err, xmlGetLineNo(c), "more than one <related> in <article>");
            rc = read_related(r, a, c, err);
        } else {
            rc = other_child(r, c, "article", err);
        }
        if (rc < 0)
            return -1;
    }
    if (!have_title)
        return fail_at(r, err, xmlGetLineNo(n), "<article> has no <title>");
    if (!have_body)
        return fail_at(r, err, xmlGetLineNo(n), "<article> has no <body>");
    if (!a->id[0])
        bt_article_compute_id(a);
    return 0;
}

/* ---- walking the stream ---- */

/* A structure error at the reader's current node: its line, column 1. */
static int where(bt_reader *r, bt_error *err, const char *fmt, const char *arg)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(r->xr);
    long line = n && n->type == XML_ELEMENT_NODE ? xmlGetLineNo(n) : -1;
    if (line < 1)
        line = xmlTextReaderGetParserLineNumber(r->xr);
    return fail_at(r, err, line, fmt, arg);
}

static int take_article(bt_reader *r, bt_article *out, bt_error *err)
{
    xmlNodePtr node = xmlTextReaderExpand(r->xr);
    if (!node)
        return fail_parse(r, err);
    bt_article_free(out);
    if (read_article(r, node, out, err) < 0) {
        bt_article_free(out);
        return -1;
    }
    r->skip_subtree = 1;
    return 1;
}

static int check_root(bt_reader *r, const char *name, bt_error *err)
{
    if (xmlTextReaderConstNamespaceUri(r->xr))
        return where(r, err, "<%s> has a namespace; the article format has none", name);
    if (!strcmp(name, "article"))
        return 0;
    if (strcmp(name, "articles"))
        return where(r, err, "expected <articles> or <article>, found <%s>", name);
    xmlChar *v = xmlTextReaderGetAttribute(r->xr, (const xmlChar *)"version");
    int ok = !v || !strcmp((const char *)v, BT_FORMAT_VERSION);
    if (!ok) {
        char ver[64];
        snprintf(ver, sizeof ver, "%.40s", (const char *)v);
        xmlFree(v);
        return where(r, err, "unsupported format version \"%s\" (this is version 1)", ver);
    }
    xmlFree(v);
    return 0;
}

/* Starts the parser on the next document of the stream: 1, 0 at the end
 * of the input, -1 on error. */
static int start_document(bt_reader *r, bt_error *err)
{
    unsigned char first[BT_XML_PEEK];
    size_t nfirst = 0;
    int rc = bt_xml_docs_start(r->docs, first, &nfirst);
    if (rc < 0)
        return fail_parse(r, err);
    if (rc == 0)
        return 0; /* the end; an empty input holds no article (newsgrep's
                   * output when nothing matched: "nothing to print") */
    /* what libxml2 would take badly, said in our words at the start */
    const char *what = bt_xml_not_document(first, nfirst);
    const char *decl_end = memmem(first, nfirst, "?>", 2);
    char enc[64], foreign[128];
    if (!what && bt_xml_foreign_encoding((const char *)first,
                                         decl_end ? decl_end : (const char *)first + nfirst, enc)) {
        snprintf(foreign, sizeof foreign,
                 "encoding \"%s\" is not supported (the article format is UTF-8)", enc);
        what = foreign;
    }
    if (what) {
        long line, col;
        bt_xml_docs_where(r->docs, &line, &col);
        bt_error_set(err, BT_ERR_INPUT, "%s:%ld:%ld: %s", r->name, line, col, what);
        return -1;
    }
    if (r->xr && r->spoiled) {
        /* a parser that met an error keeps some of it (after bad UTF-8,
         * libxml2 has switched its input to Latin-1): a new one */
        xmlFreeTextReader(r->xr);
        r->xr = NULL;
    }
    r->spoiled = 0;
    if (r->xr) {
        rc = xmlReaderNewIO(r->xr, bt_xml_docs_read, NULL, r->docs, NULL, NULL, PARSE_OPTIONS);
    } else {
        r->xr = xmlReaderForIO(bt_xml_docs_read, NULL, r->docs, NULL, NULL, PARSE_OPTIONS);
        rc = r->xr ? 0 : -1;
    }
    if (rc < 0) {
        bt_error_nomem(err, r->name);
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(r->xr, on_xml_error, r);
    r->ndocs++;
    r->state = BEFORE_ROOT;
    r->skip_subtree = 0;
    return 1;
}

static int reader_next(bt_reader *r, bt_article *out, bt_error *err);

int bt_reader_next(bt_reader *r, bt_article *out, bt_error *err)
{
    bt_error scratch;
    if (!err)
        err = &scratch;
    int rc = reader_next(r, out, err);
    if (rc < 0)
        r->spoiled = 1;
    return rc;
}

static int reader_next(bt_reader *r, bt_article *out, bt_error *err)
{
    for (;;) {
        int rc;
        if (r->state == NO_DOCUMENT) {
            rc = start_document(r, err);
            if (rc <= 0)
                return rc;
        }
        if (r->skip_subtree) {
            r->skip_subtree = 0;
            rc = xmlTextReaderNext(r->xr);
        } else {
            rc = xmlTextReaderRead(r->xr);
        }
        if (rc < 0 || r->have_error)
            return fail_parse(r, err);
        if (rc == 0) {
            if (r->state == BEFORE_ROOT)
                return fail_parse(r, err);
            r->state = NO_DOCUMENT; /* this one is over: the next, if any */
            continue;
        }
        int type = xmlTextReaderNodeType(r->xr);
        int depth = xmlTextReaderDepth(r->xr);
        const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return where(r, err, "%s", "a DOCTYPE is not allowed in the article format");
        if (type == XML_READER_TYPE_ENTITY_REFERENCE)
            return where(r, err, "%s", "entity references are not allowed");
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
            if (depth == 1)
                return where(r, err, "%s", "text directly inside <articles>");
            continue;
        }
        if (type == XML_READER_TYPE_END_ELEMENT && depth == 0) {
            r->state = AFTER_ROOT;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (r->state == BEFORE_ROOT) {
            if (check_root(r, name, err) < 0)
                return -1;
            if (!strcmp(name, "article")) {
                r->state = AFTER_ROOT;
                return take_article(r, out, err);
            }
            r->state = IN_ARTICLES;
            continue;
        }
        if (depth == 1 && !strcmp(name, "article") &&
            !xmlTextReaderConstNamespaceUri(r->xr))
            return take_article(r, out, err);
        return where(r, err, "unexpected element <%s> in <articles>", name);
    }
}
