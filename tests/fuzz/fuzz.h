/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c) and by their
 * replay in make check (tests/unit/test_fuzz.c, which includes them).
 *
 * A harness feeds bytes to one parser and checks what the library
 * promises about any input, beyond "no crash": errors have a code and
 * one line of text; an article it makes writes out as a document that
 * the schema accepts and reads back as the same article (fuzz_roundtrip).  A broken promise prints what broke and aborts, so that libFuzzer
 * keeps the input.
 */
#ifndef BT_FUZZ_H
#define BT_FUZZ_H

#include "bantin.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BT_FUZZ_RNG
#define BT_FUZZ_RNG "lib/bantin.rng"
#endif

/* A broken promise: says which, then aborts (libFuzzer keeps the input). */
static inline __attribute__((noreturn, format(printf, 1, 2))) void
fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bantin fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* A failure must say what kind it is, in one non-empty line. */
static inline void fuzz_check_error(const bt_error *err, const char *call)
{
    if (err->code == BT_OK || err->code > BT_ERR_INTERNAL)
        fuzz_fail("%s failed with no error code (\"%s\")", call, err->msg);
    if (err->code == BT_ERR_INTERNAL)
        fuzz_fail("%s: internal error: %s", call, err->msg);
    if (!err->msg[0])
        fuzz_fail("%s failed with an empty message", call);
    if (strchr(err->msg, '\n'))
        fuzz_fail("%s: the message is not one line: \"%s\"", call, err->msg);
}

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF
 * (our own reading, not the library's). */
static inline int fuzz_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n;
    }
    return 1;
}

/* A NUL-terminated copy of the input (NULL when out of memory). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

static inline void fuzz_quiet(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/* The article schema, loaded once; libxml2's own messages silenced (the
 * library keeps its errors through its own handlers). */
static inline xmlRelaxNGPtr fuzz_schema(void)
{
    static xmlRelaxNGPtr schema;
    if (schema)
        return schema;
    xmlSetStructuredErrorFunc(NULL, fuzz_quiet);
    const char *path = getenv("BT_FUZZ_RNG");
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path ? path : BT_FUZZ_RNG);
    if (pc)
        schema = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!schema)
        fuzz_fail("cannot load the schema %s (set BT_FUZZ_RNG)", path ? path : BT_FUZZ_RNG);
    return schema;
}

static inline void fuzz_keep_error(void *ctx, xmlErrorPtr e)
{
    char *out = ctx;
    if (!out[0] && e && e->message)
        snprintf(out, 256, "line %d: %s", e->line, e->message);
}

/* Fails when xml[0, len) is not a document the schema accepts. */
static inline void fuzz_check_schema(const char *xml, size_t len, const char *what)
{
    xmlRelaxNGPtr schema = fuzz_schema();
    char why[256] = "";
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "written.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        fprintf(stderr, "%.*s\n", (int)len, xml);
        fuzz_fail("%s: the written XML is not well formed: %s", what,
                  e && e->message ? e->message : "?");
    }
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    if (!vc) {
        xmlFreeDoc(doc);
        return; /* out of memory: nothing to judge */
    }
    xmlRelaxNGSetValidStructuredErrors(vc, fuzz_keep_error, why);
    int rc = xmlRelaxNGValidateDoc(vc, doc);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlFreeDoc(doc);
    if (rc != 0) {
        fprintf(stderr, "%.*s\n", (int)len, xml);
        fuzz_fail("%s: the written XML does not match the schema: %s", what, why);
    }
}

/* Writes one article as a document into out.  0, or -1 when out of
 * memory (the writer must not fail otherwise). */
static inline int fuzz_write(const bt_article *a, bt_buf *out)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    if (!f)
        return -1;
    bt_error err = BT_ERROR_INIT;
    bt_writer *w = bt_writer_open(f, &err);
    int rc = -1;
    if (w) {
        if (bt_writer_article(w, a, &err) < 0) {
            bt_writer_discard(w);
        } else if (bt_writer_close(w, &err) == 0) {
            rc = 0;
        }
    }
    if (rc < 0) {
        fuzz_check_error(&err, "bt_writer");
        if (err.code != BT_ERR_NOMEM)
            fuzz_fail("the writer refused an article: %s", err.msg);
    }
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && bt_buf_add(out, mem, len) < 0)
        rc = -1;
    free(mem);
    return rc;
}

/* Reads xml as a document of exactly one article into *out.  0, or -1
 * when out of memory. */
static inline int fuzz_read_one(const bt_buf *xml, bt_article *out, const char *what)
{
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_memory(xml->data, xml->len, "written.xml", &err);
    if (!r)
        return -1;
    int got = bt_reader_next(r, out, &err);
    if (got != 1) {
        fprintf(stderr, "%s\n", xml->data);
        fuzz_fail("%s: the written article does not read back: %s", what,
                  got < 0 ? err.msg : "no article");
    }
    bt_article extra;
    bt_article_init(&extra);
    got = bt_reader_next(r, &extra, &err);
    bt_article_free(&extra);
    bt_reader_close(r);
    if (got != 0) {
        fprintf(stderr, "%s\n", xml->data);
        fuzz_fail("%s: the written document does not end after its article: %s", what,
                  got < 0 ? err.msg : "a second article");
    }
    return 0;
}

/* The document without its white space: ASCII and Unicode spaces, the
 * character references the writer uses for white space, U+200B and
 * U+00AD (what the reader may collapse or drop in text). */
static inline int fuzz_strip_space(const bt_buf *in, bt_buf *out)
{
    static const char *const drop[] = {
        "&#9;", "&#10;", "&#13;", "\xC2\x85", "\xC2\xA0", "\xC2\xAD", "\xE1\x9A\x80",
        "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80",
    };
    const char *s = in->data, *end = in->data + in->len;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            s++;
            continue;
        }
        /* U+2000 to U+200B */
        if (end - s >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80 &&
            (unsigned char)s[2] >= 0x80 && (unsigned char)s[2] <= 0x8B) {
            s += 3;
            continue;
        }
        size_t k, n = 0;
        for (k = 0; k < sizeof drop / sizeof *drop; k++) {
            n = strlen(drop[k]);
            if ((size_t)(end - s) >= n && !memcmp(s, drop[k], n))
                break;
        }
        if (k < sizeof drop / sizeof *drop) {
            s += n;
            continue;
        }
        if (bt_buf_addc(out, *s++) < 0)
            return -1;
    }
    return 0;
}

/* What any tool's article must survive: written, it is a document the
 * schema accepts; read back, it is one article; written again, the same
 * document but for white space (which the reader treats as layout, not
 * content); and from then on the same bytes every time. */
static inline void fuzz_roundtrip(const bt_article *a, const char *what)
{
    bt_buf x1 = BT_BUF_INIT, x2 = BT_BUF_INIT, x3 = BT_BUF_INIT;
    bt_buf s1 = BT_BUF_INIT, s2 = BT_BUF_INIT;
    bt_article b, c;
    bt_article_init(&b);
    bt_article_init(&c);
    if (fuzz_write(a, &x1) < 0)
        goto done;
    fuzz_check_schema(x1.data, x1.len, what);
    if (fuzz_read_one(&x1, &b, what) < 0 || fuzz_write(&b, &x2) < 0 ||
        fuzz_strip_space(&x1, &s1) < 0 || fuzz_strip_space(&x2, &s2) < 0)
        goto done;
    if (s1.len != s2.len || memcmp(s1.data, s2.data, s1.len)) {
        fprintf(stderr, "--- written:\n%s--- read back and written again:\n%s", x1.data,
                x2.data);
        fuzz_fail("%s: the article changes when read back", what);
    }
    if (fuzz_read_one(&x2, &c, what) < 0 || fuzz_write(&c, &x3) < 0)
        goto done;
    if (x2.len != x3.len || memcmp(x2.data, x3.data, x2.len)) {
        fprintf(stderr, "--- read back and written:\n%s--- once more:\n%s", x2.data, x3.data);
        fuzz_fail("%s: the article read back changes when read back again", what);
    }
done:
    bt_article_free(&b);
    bt_article_free(&c);
    bt_buf_free(&x1);
    bt_buf_free(&x2);
    bt_buf_free(&x3);
    bt_buf_free(&s1);
    bt_buf_free(&s2);
}

/* The extract options every page harness uses. */
static inline bt_extract_opts fuzz_extract_opts(const char *name)
{
    bt_extract_opts o;
    memset(&o, 0, sizeof o);
    o.name = name;
    return o;
}

/* A page extractor (bt_textpage_extract, bt_htmlpage_extract) on any
 * bytes: 1 and an article that survives the article format, or 0 or -1
 * and an error of one line. */
typedef int (*fuzz_extractor)(const char *text, size_t len, const bt_extract_opts *opts,
                              bt_article *out, bt_error *err);

static inline void fuzz_page(fuzz_extractor extract, const char *call, const char *name,
                             const char *what, const uint8_t *data, size_t size)
{
    bt_extract_opts o = fuzz_extract_opts(name);
    bt_article a;
    bt_article_init(&a);
    bt_error err = BT_ERROR_INIT;
    int rc = extract((const char *)data, size, &o, &a, &err);
    if (rc == 1)
        fuzz_roundtrip(&a, what);
    else if (rc == 0 || rc == -1)
        fuzz_check_error(&err, call);
    else
        fuzz_fail("%s returned %d", call, rc);
    bt_article_free(&a);
}

#endif
