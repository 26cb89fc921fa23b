/* Small shared utilities: errors, the growable buffer, UTF-8 code points. */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void bt_error_set(bt_error *err, bt_code code, const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void bt_error_nomem(bt_error *err, const char *name)
{
    if (name)
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
    else
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
}

void bt_error_clear(bt_error *err)
{
    if (err) {
        err->code = BT_OK;
        err->msg[0] = '\0';
    }
}

const char *bt_code_name(bt_code code)
{
    static const char *const names[] = {
        [BT_OK] = "success",          [BT_ERR_INPUT] = "bad input",
        [BT_ERR_IO] = "I/O error",    [BT_ERR_NOMEM] = "out of memory",
        [BT_ERR_LIMIT] = "limit reached", [BT_ERR_USAGE] = "bad usage",
        [BT_ERR_STOPPED] = "stopped", [BT_ERR_INTERNAL] = "internal error",
    };
    return (unsigned)code < BT_ARRAY_LEN(names) && names[code] ? names[code] : "unknown error";
}

int bt_grow_array(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 4;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return -1;
        n *= 2;
    }
    void *p = realloc(*items, n * elem);
    if (!p)
        return -1;
    *items = p;
    *cap = n;
    return 0;
}

void *bt_array_add(void **items, size_t *cap, size_t *n, size_t elem)
{
    if (bt_grow_array(items, cap, *n + 1, elem) < 0)
        return NULL;
    char *e = (char *)*items + (*n)++ * elem;
    memset(e, 0, elem);
    return e;
}

/* What an empty buffer points at: never written (cap 0 means "not ours"). */
char bt_buf_slop[1];

void bt_buf_init(bt_buf *b, size_t max)
{
    b->data = bt_buf_slop;
    b->len = b->cap = 0;
    b->max = max;
}

int bt_buf_grow(bt_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1 || (b->max && extra > b->max - b->len)) {
        errno = b->max ? EFBIG : ENOMEM;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t n = b->cap ? b->cap : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (b->max && n > b->max + 1)
        n = need > b->max + 1 ? need : b->max + 1;
    char *p = realloc(b->cap ? b->data : NULL, n);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = n;
    return 0;
}

int bt_buf_add(bt_buf *b, const void *data, size_t len)
{
    if (bt_buf_grow(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int bt_buf_adds(bt_buf *b, const char *s)
{
    return bt_buf_add(b, s, strlen(s));
}

int bt_buf_addc(bt_buf *b, char c)
{
    return bt_buf_add(b, &c, 1);
}

int bt_buf_addf(bt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || bt_buf_grow(b, (size_t)n) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void bt_buf_reset(bt_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

void bt_buf_free(bt_buf *b)
{
    if (b->cap)
        free(b->data);
    bt_buf_init(b, b->max);
}

char *bt_buf_detach(bt_buf *b)
{
    if (!b->cap && bt_buf_grow(b, 0) < 0)
        return NULL;
    char *p = b->data;
    bt_buf_init(b, b->max);
    return p;
}

void bt_error_buf(bt_error *err, const char *name, const bt_buf *b)
{
    if (errno == EFBIG && b->max)
        bt_error_set(err, BT_ERR_LIMIT, "%s%slarger than %zu bytes", name ? name : "",
                     name ? ": " : "", b->max);
    else
        bt_error_nomem(err, name);
}

char *bt_strdup(const char *s)
{
    return s ? bt_strndup(s, strlen(s)) : NULL;
}

char *bt_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

size_t bt_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (!len)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

size_t bt_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int bt_xml_char_ok(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}
