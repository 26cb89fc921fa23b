/*
 * The byte stream under the article reader: a file (plain or gzip'd, read
 * with zlib's own gzip reader) or memory, cut into XML documents.
 *
 * `cat a.xml b.xml` is a stream of two documents, each with its prolog and
 * root; libxml2 parses one document per parser and calls what follows the
 * first root "Extra content".  So a small scanner follows the markup as the
 * bytes go to libxml2 — tags, comments, CDATA sections, processing
 * instructions, quoted attribute values — and ends the stream it hands out
 * right after the root element's end tag.  The reader then starts its parser
 * again on the next document.  The scanner also counts lines, so that
 * errors in the second document point into the whole stream, and stops at a
 * DOCTYPE (refused by the format) with its exact position.
 */
#include "xml_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

enum {
    BUF_SIZE = 1 << 16,
    LOOKAHEAD = 9, /* strlen("<![CDATA[") */
};

enum scan_state { S_TEXT, S_TAG, S_END_TAG, S_COMMENT, S_CDATA, S_PI, S_DECL };

struct bt_xml_docs {
    gzFile gz;                 /* file input, or NULL */
    const unsigned char *mem;  /* memory input */
    size_t memlen, mempos;
    unsigned char *buf;        /* file input: bytes read, not yet handed out */
    size_t start, end;         /* buf[start, end) */
    int eof;                   /* nothing more to read */
    char error[200];           /* why reading failed, or "" */

    /* the markup scanner */
    enum scan_state st;
    unsigned depth;            /* elements open */
    int seen_root;
    int doc_over;              /* the root has ended: hand out nothing more */
    char quote;                /* in a tag: the quote of the open attribute value */
    int slash;                 /* in a tag: the last byte that was not space was '/' */
    int run;                   /* "--" before '>' in a comment, "]]" in CDATA, "?" in a PI */
    int doctype;               /* stopped at a DOCTYPE */
    long doctype_line, doctype_col;

    /* positions: lines and columns of the whole stream */
    long line;                 /* lines before the next byte to hand out, 0-based */
    unsigned long long off;    /* bytes handed out or skipped so far */
    unsigned long long line_off; /* offset where the current line starts */
    unsigned long long line_cont; /* UTF-8 continuation bytes on it so far:
                                   * columns count characters, as libxml2's do */
    long doc_line;             /* line of the current document's first byte */
    long doc_col;              /* its column, 1-based */
};

bt_xml_docs *bt_xml_docs_fd(int fd)
{
    bt_xml_docs *d = calloc(1, sizeof *d);
    if (!d || !(d->buf = malloc(BUF_SIZE))) {
        free(d);
        return NULL;
    }
    /* gzdopen owns what it is given: a copy, so the caller keeps fd */
    int copy = dup(fd);
    if (copy < 0 || !(d->gz = gzdopen(copy, "rb"))) {
        if (copy >= 0)
            close(copy);
        free(d->buf);
        free(d);
        return NULL;
    }
    gzbuffer(d->gz, BUF_SIZE);
    d->doc_col = 1;
    return d;
}

bt_xml_docs *bt_xml_docs_memory(const char *data, size_t len)
{
    bt_xml_docs *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->mem = (const unsigned char *)data;
    d->memlen = len;
    d->doc_col = 1;
    return d;
}

void bt_xml_docs_free(bt_xml_docs *d)
{
    if (!d)
        return;
    if (d->gz)
        gzclose(d->gz);
    free(d->buf);
    free(d);
}

/* The bytes at hand: *p, and the count returned. */
static size_t avail(bt_xml_docs *d, const unsigned char **p)
{
    if (d->mem) {
        *p = d->mem + d->mempos;
        return d->memlen - d->mempos;
    }
    *p = d->buf + d->start;
    return d->end - d->start;
}

static void consume(bt_xml_docs *d, size_t n)
{
    if (d->mem)
        d->mempos += n;
    else
        d->start += n;
}

/* Reads more bytes after those at hand (keeping them).  0, or -1 with
 * d->error; at the end of the input d->eof is set and 0 returned. */
static int fill(bt_xml_docs *d)
{
    if (d->mem) {
        d->eof = 1;
        return 0;
    }
    if (d->eof)
        return 0;
    if (d->start > 0) {
        memmove(d->buf, d->buf + d->start, d->end - d->start);
        d->end -= d->start;
        d->start = 0;
    }
    if (d->end == BUF_SIZE)
        return 0;
    int k = gzread(d->gz, d->buf + d->end, (unsigned)(BUF_SIZE - d->end));
    if (k < 0) {
        int zerr;
        const char *msg = gzerror(d->gz, &zerr);
        snprintf(d->error, sizeof d->error, "%s",
                 zerr == Z_ERRNO ? strerror(errno)
                 : zerr == Z_DATA_ERROR ? "damaged gzip data"
                                        : msg && *msg ? msg : "read error");
        return -1;
    }
    if (k == 0) {
        d->eof = 1;
        /* a gzip stream cut short reads as its end: zlib says so here */
        int zerr;
        gzerror(d->gz, &zerr);
        if (zerr == Z_BUF_ERROR) {
            snprintf(d->error, sizeof d->error, "truncated gzip data");
            return -1;
        }
    }
    d->end += (size_t)k;
    return 0;
}

/* Counts the lines of s[0, n), bytes about to be handed out or skipped,
 * and the characters of the last one. */
static void advance(bt_xml_docs *d, const unsigned char *s, size_t n)
{
    const unsigned char *p = s, *end = s + n, *tail = s;
    while ((p = memchr(p, '\n', (size_t)(end - p)))) {
        d->line++;
        tail = ++p;
        d->line_off = d->off + (unsigned long long)(p - s);
        d->line_cont = 0;
    }
    unsigned long long cont = 0;
    for (; tail < end; tail++)
        cont += (*tail & 0xC0) == 0x80;
    d->line_cont += cont;
    d->off += n;
}

/* The 1-based column, in characters, of offset off on the current line
 * (cont: continuation bytes between the line start and off). */
static long column(const bt_xml_docs *d, unsigned long long off, unsigned long long cont)
{
    return (long)(off - d->line_off - cont) + 1;
}

/* Scans the bytes s[0, n) from the scanner's state, with s[n, navail)
 * there to look ahead; returns how many bytes belong to the document (n,
 * or fewer: when the root ends inside, at a DOCTYPE, or before a '<' that
 * needs more lookahead than navail holds — then *need is set). */
static size_t scan(bt_xml_docs *d, const unsigned char *s, size_t n, size_t navail, int *need)
{
    size_t i = 0;
    *need = 0;
    while (i < n && !d->doc_over && !d->doctype) {
        unsigned char c = s[i];
        switch (d->st) {
        case S_TEXT: {
            const unsigned char *lt = memchr(s + i, '<', n - i);
            if (!lt)
                return n;
            i = (size_t)(lt - s);
            size_t left = navail - i;
            if (left < LOOKAHEAD && !d->eof) {
                *need = 1;
                return i;
            }
            const char *m = (const char *)s + i;
            enum scan_state next;
            size_t tl; /* the bytes that open the construct */
            if (left >= 4 && !memcmp(m, "<!--", 4)) {
                next = S_COMMENT, tl = 4;
            } else if (left >= 9 && !memcmp(m, "<![CDATA[", 9)) {
                next = S_CDATA, tl = 9;
            } else if (left >= 9 && !strncasecmp(m, "<!DOCTYPE", 9)) {
                /* its position: the bytes before it are not counted yet */
                d->doctype = 1;
                d->doctype_line = d->line + 1;
                unsigned long long line_off = d->line_off, cont = d->line_cont;
                for (size_t k = 0; k < i; k++) {
                    if (s[k] == '\n')
                        d->doctype_line++, line_off = d->off + k + 1, cont = 0;
                    cont += (s[k] & 0xC0) == 0x80;
                }
                d->doctype_col = (long)(d->off + i - line_off - cont) + 1;
                return i;
            } else if (left >= 2 && m[1] == '!') {
                next = S_DECL, tl = 2;
            } else if (left >= 2 && m[1] == '?') {
                next = S_PI, tl = 2;
            } else if (left >= 2 && m[1] == '/') {
                next = S_END_TAG, tl = 2;
            } else {
                next = S_TAG, tl = 1;
            }
            if (tl > n - i)
                return i; /* hand out what comes before it first */
            d->st = next, d->run = 0, d->quote = 0, d->slash = 0;
            i += tl;
            break;
        }
        case S_TAG:
            i++;
            if (d->quote) {
                if (c == d->quote)
                    d->quote = 0;
            } else if (c == '"' || c == '\'') {
                d->quote = (char)c, d->slash = 0;
            } else if (c == '>') {
                d->st = S_TEXT;
                if (!d->slash)
                    d->depth++;
                d->seen_root = 1;
                if (d->depth == 0)
                    d->doc_over = 1; /* a bare root: <article/> */
            } else if (!bt_xml_space(c)) {
                d->slash = c == '/';
            }
            break;
        case S_END_TAG:
            i++;
            if (c == '>') {
                d->st = S_TEXT;
                if (d->depth && --d->depth == 0 && d->seen_root)
                    d->doc_over = 1;
            }
            break;
        case S_COMMENT:
        case S_CDATA:
            i++;
            if (c == '>' && d->run >= 2)
                d->st = S_TEXT;
            else
                d->run = c == (d->st == S_COMMENT ? '-' : ']') ? d->run + 1 : 0;
            break;
        case S_PI:
            i++;
            if (c == '>' && d->run)
                d->st = S_TEXT;
            else
                d->run = c == '?';
            break;
        case S_DECL:
            i++;
            if (c == '>')
                d->st = S_TEXT;
            break;
        }
    }
    return i;
}

int bt_xml_docs_read(void *ctx, char *out, int len)
{
    bt_xml_docs *d = ctx;
    if (len <= 0 || d->doc_over)
        return 0;
    for (;;) {
        if (d->doctype || d->error[0])
            return -1;
        const unsigned char *p;
        size_t n = avail(d, &p);
        if (n > (size_t)len)
            n = (size_t)len;
        size_t navail = avail(d, &p);
        int need = 0;
        size_t k = n ? scan(d, p, n, navail, &need) : 0;
        if (k) {
            memcpy(out, p, k);
            advance(d, p, k);
            consume(d, k);
            return (int)k;
        }
        if (d->doc_over)
            return 0;
        if (d->doctype)
            return -1;
        if (d->eof)
            return 0;
        if (!need && n == (size_t)len) {
            /* only a read of fewer bytes than a '<…' opening gets here */
            snprintf(d->error, sizeof d->error, "read of %d bytes too short", len);
            return -1;
        }
        if (fill(d) < 0)
            return -1;
    }
}

static int next_document(bt_xml_docs *d)
{
    for (;;) {
        const unsigned char *p;
        size_t n = avail(d, &p), k = 0;
        while (k < n && bt_xml_space(p[k]))
            k++;
        advance(d, p, k);
        consume(d, k);
        if (k < n)
            break;
        if (d->eof)
            return d->error[0] ? -1 : 0;
        if (fill(d) < 0)
            return -1;
    }
    /* A UTF-8 byte order mark is dropped here: a parser reused for the
     * second document of a stream (xmlReaderNewIO) reads one as the end
     * ("Document is empty"), a new one takes it. */
    const unsigned char *p;
    size_t n = avail(d, &p);
    if (n < 3 && !d->eof && fill(d) < 0)
        return -1;
    n = avail(d, &p);
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        advance(d, p, 3);
        consume(d, 3);
    }
    d->st = S_TEXT;
    d->depth = 0;
    d->seen_root = d->doc_over = 0;
    d->doc_line = d->line;
    d->doc_col = column(d, d->off, d->line_cont);
    return 1;
}

int bt_xml_docs_start(bt_xml_docs *d, unsigned char first[BT_XML_PEEK], size_t *nfirst)
{
    int rc = next_document(d);
    if (rc <= 0)
        return rc;
    /* what the document starts with, for a clear message when it is not XML */
    const unsigned char *p;
    size_t n = avail(d, &p);
    if (n < BT_XML_PEEK && !d->eof && fill(d) < 0)
        return -1;
    n = avail(d, &p);
    *nfirst = n < BT_XML_PEEK ? n : BT_XML_PEEK;
    memcpy(first, p, *nfirst);
    return 1;
}

void bt_xml_docs_where(const bt_xml_docs *d, long *line, long *col)
{
    *line = d->line + 1;
    *col = column(d, d->off, d->line_cont);
}

void bt_xml_docs_shift(const bt_xml_docs *d, long *line, long *col)
{
    if (*line <= 1)
        *col += d->doc_col - 1;
    *line += d->doc_line;
}

int bt_xml_docs_in_document(const bt_xml_docs *d)
{
    return !d->doc_over;
}

int bt_xml_docs_at_end(const bt_xml_docs *d)
{
    const unsigned char *p;
    return d->eof && avail((bt_xml_docs *)d, &p) == 0;
}

const char *bt_xml_docs_error(const bt_xml_docs *d)
{
    return d->error[0] ? d->error : NULL;
}

int bt_xml_docs_doctype(const bt_xml_docs *d, long *line, long *col)
{
    if (!d->doctype)
        return 0;
    *line = d->doctype_line;
    *col = d->doctype_col;
    return 1;
}

const char *bt_xml_not_document(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return "UTF-16 text: the article format is UTF-8";
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return NULL; /* a UTF-8 byte order mark: XML may follow */
    if (n && p[0] == '<')
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x09 || (p[i] > 0x0D && p[i] < 0x20) || p[i] == 0x7F)
            return "binary data, not an article document";
    return "text, not an article document (it does not start with '<')";
}

int bt_xml_tag_attr(const char *p, const char *e, const char *name, char *out, size_t outlen)
{
    size_t n = strlen(name);
    for (const char *q = p + 1; q + n < e; q++) {
        if (memcmp(q, name, n) || !bt_xml_space((unsigned char)q[-1]))
            continue;
        const char *v = q + n;
        while (v < e && bt_xml_space((unsigned char)*v))
            v++;
        if (v >= e || *v != '=')
            continue;
        v++;
        while (v < e && bt_xml_space((unsigned char)*v))
            v++;
        if (v >= e || (*v != '"' && *v != '\''))
            return 0;
        const char *close = memchr(v + 1, *v, (size_t)(e - v - 1));
        if (!close)
            return 0;
        size_t l = (size_t)(close - v - 1);
        if (l >= outlen)
            l = outlen - 1;
        memcpy(out, v + 1, l);
        out[l] = '\0';
        for (char *c = out; *c; c++)
            if (bt_xml_space((unsigned char)*c))
                *c = ' '; /* as XML normalises attribute values */
        return 1;
    }
    return 0;
}

int bt_xml_foreign_encoding(const char *p, const char *e, char enc[64])
{
    return e - p > 5 && !memcmp(p, "<?xml", 5) && bt_xml_space((unsigned char)p[5]) &&
           bt_xml_tag_attr(p, e, "encoding", enc, 64) && strcasecmp(enc, "UTF-8") &&
           strcasecmp(enc, "UTF8");
}
