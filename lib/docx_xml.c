/* docx_xml.c — small helpers over libxml2's xmlTextWriter for the DOCX
 * parts: failures are remembered, text is cleaned on the way out. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "docx_int.h"

static int buf_write(void *ctx, const char *data, int len)
{
    return bt_buf_add(ctx, data, (size_t)len) == 0 ? len : -1;
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

int bt_xw_open_io(bt_xw *x, xmlOutputWriteCallback write, void *ctx)
{
    xmlOutputBufferPtr ob;

    memset(x, 0, sizeof(*x));
    bt_buf_init(&x->clean, 0);
    ob = xmlOutputBufferCreateIO(write, io_close, ctx, NULL);
    if (!ob)
        return -1;
    x->w = xmlNewTextWriter(ob); /* owns ob from here on */
    if (!x->w) {
        xmlOutputBufferClose(ob);
        return -1;
    }
    return 0;
}

int bt_xw_open_buf(bt_xw *x, bt_buf *out)
{
    return bt_xw_open_io(x, buf_write, out);
}

int bt_xw_close(bt_xw *x)
{
    int failed = x->failed;

    if (x->w) {
        if (xmlTextWriterFlush(x->w) < 0)
            failed = 1;
        xmlFreeTextWriter(x->w);
        x->w = NULL;
    }
    bt_buf_free(&x->clean);
    return failed ? -1 : 0;
}

int bt_xw_finish(bt_xw *x)
{
    if (!x->failed && xmlTextWriterEndDocument(x->w) < 0)
        x->failed = 1;
    return bt_xw_close(x);
}

void bt_xw_decl(bt_xw *x)
{
    if (!x->failed && xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", "yes") < 0)
        x->failed = 1;
}

int bt_xw_open_part(bt_xw *x, bt_buf *out, const char *root, const char *xmlns_attr,
                    const char *ns)
{
    if (bt_xw_open_buf(x, out) < 0)
        return -1;
    bt_xw_decl(x);
    bt_xw_start(x, root);
    bt_xw_attr(x, xmlns_attr, ns);
    return 0;
}

void bt_xw_start(bt_xw *x, const char *name)
{
    if (!x->failed && xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
        x->failed = 1;
}

void bt_xw_end(bt_xw *x)
{
    if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
        x->failed = 1;
}

void bt_xw_attr(bt_xw *x, const char *name, const char *value)
{
    if (x->failed)
        return;
    bt_buf_reset(&x->clean);
    if (bt_docx_clean(value, strlen(value), &x->clean) < 0 ||
        xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
                                    BAD_CAST x->clean.data) < 0)
        x->failed = 1;
}

void bt_xw_attrf(bt_xw *x, const char *name, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        x->failed = 1;
        return;
    }
    bt_xw_attr(x, name, tmp);
}

void bt_xw_empty(bt_xw *x, const char *name, ...)
{
    va_list ap;
    bt_xw_start(x, name);
    va_start(ap, name);
    for (const char *k; (k = va_arg(ap, const char *));)
        bt_xw_attr(x, k, va_arg(ap, const char *));
    va_end(ap);
    bt_xw_end(x);
}

void bt_xw_val(bt_xw *x, const char *name, const char *val)
{
    bt_xw_start(x, name);
    if (val)
        bt_xw_attr(x, "w:val", val);
    bt_xw_end(x);
}

void bt_xw_vali(bt_xw *x, const char *name, long val)
{
    bt_xw_start(x, name);
    bt_xw_attrf(x, "w:val", "%ld", val);
    bt_xw_end(x);
}

void bt_xw_text(bt_xw *x, const char *s, size_t len)
{
    if (x->failed)
        return;
    bt_buf_reset(&x->clean);
    if (bt_docx_clean(s, len, &x->clean) < 0) {
        x->failed = 1;
        return;
    }
    if (x->clean.len &&
        xmlTextWriterWriteString(x->w, BAD_CAST x->clean.data) < 0)
        x->failed = 1;
}

int bt_docx_clean(const char *s, size_t len, bt_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;

    if (bt_buf_grow(out, len) < 0)
        return -1;
    while (i < len) {
        uint32_t cp;
        size_t n;

        if (p[i] >= 0x20 && p[i] < 0x80) { /* the common case: keep a run */
            i++;
            continue;
        }
        if (bt_buf_add(out, s + run, i - run) < 0)
            return -1;
        n = bt_utf8_decode(p + i, len - i, &cp);
        if (n == 0) { /* invalid UTF-8: U+FFFD for the byte */
            if (bt_buf_adds(out, "\xEF\xBF\xBD") < 0)
                return -1;
            n = 1;
        } else if (bt_xml_char_ok(cp) && cp != 0xFEFF) {
            if (bt_buf_add(out, s + i, n) < 0)
                return -1;
        }
        i += n;
        run = i;
    }
    if (bt_buf_add(out, s + run, i - run) < 0)
        return -1;
    return 0;
}
