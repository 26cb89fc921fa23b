/*
 * MHTML, a page saved "as a single file" (.mhtml, .mht): a MIME
 * multipart/related message whose first text/html part is the page, the
 * others its images and styles.  GMime parses the message and undoes the
 * part's transfer encoding (quoted-printable, base64); the page goes back
 * to the dispatcher with the charset of its part's Content-Type and its
 * Content-Location as the address.  With --images its figures are looked
 * for among the other parts (by Content-Location, or cid: by Content-ID).
 *
 * GMime is opened (dlopen) the first time an MHTML file is read, not
 * linked: with the thirteen libraries it brings (glib, gio, gpgme, ...)
 * it cost every process 3.4 ms at start-up, more than news2xml spends on
 * a page, and most runs read no MHTML at all (GNU parallel starts one
 * news2xml a page).  Its header still gives the types.
 */
#include "input_int.h"

#include <gmime/gmime.h>
#include <libxml/uri.h>
#include <string.h>
#include <strings.h>

#ifndef BT_GMIME_SONAME
#define BT_GMIME_SONAME "libgmime-3.0.so.0"
#endif

/* The functions used, each called as gm.name(...). */
#define GM_FUNCS(X)                                                                  \
    X(g_mime_init) X(g_mime_multipart_get_type) X(g_mime_part_get_type)              \
    X(g_mime_multipart_get_count) X(g_mime_multipart_get_part)                       \
    X(g_mime_object_get_content_type) X(g_mime_content_type_is_type)                 \
    X(g_mime_object_get_content_id) X(g_mime_object_get_content_type_parameter)      \
    X(g_mime_part_get_content_location) X(g_mime_part_get_content)                   \
    X(g_mime_stream_mem_new) X(g_mime_stream_mem_new_with_buffer)                    \
    X(g_mime_stream_mem_get_byte_array) X(g_mime_data_wrapper_write_to_stream)       \
    X(g_mime_parser_new_with_stream) X(g_mime_parser_construct_message)              \
    X(g_mime_message_get_mime_part) X(g_object_unref) X(g_type_check_instance_is_a)

static struct {
#define GM_FIELD(f) __typeof__(&f) f;
    GM_FUNCS(GM_FIELD)
#undef GM_FIELD
} gm;

static bt_dl_lib gmime = {BT_GMIME_SONAME, "reading MHTML needs GMime", PTHREAD_ONCE_INIT, ""};

static void gmime_start(void)
{
    void *h = bt_dl_open(&gmime);
    if (!h)
        return;
#define GM_SYM(f) bt_dl_sym(&gmime, h, #f, &gm.f);
    GM_FUNCS(GM_SYM)
#undef GM_SYM
    if (!gmime.why[0])
        gm.g_mime_init();
}

static int is_a(void *o, GType t)
{
    return o && gm.g_type_check_instance_is_a((GTypeInstance *)o, t);
}

static int has_ci(const unsigned char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp((const char *)s + i, w, k))
            return 1;
    return 0;
}

static int mhtml_bid(const bt_item *it)
{
    static const char *const exts[] = {".mhtml", ".mht", NULL};
    const unsigned char *u = it->head;
    size_t n = it->headlen;
    /* a message starts with a header line, "Name: value" */
    size_t k = 0;
    while (k < n && k < 40 && (((u[k] | 0x20) >= 'a' && (u[k] | 0x20) <= 'z') || u[k] == '-'))
        k++;
    if (!k || k >= n || u[k] != ':')
        return 0;
    /* the message's own header block: up to the first blank line */
    size_t end = 0;
    while (end + 1 < n && !(u[end] == '\n' && (u[end + 1] == '\n' || u[end + 1] == '\r')))
        end++;
    int mime = has_ci(u, end, "MIME-Version:");
    int related = has_ci(u, end, "multipart/related");
    if (mime && related)
        return 64;
    if (related && bt_name_has_ext(it->name, exts))
        return 40;
    return 0;
}

/* The first text/html part under o, or NULL. */
static GMimePart *html_part(GMimeObject *o)
{
    if (is_a(o, gm.g_mime_multipart_get_type())) {
        GMimeMultipart *mp = (GMimeMultipart *)o;
        int n = gm.g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            GMimePart *p = html_part(gm.g_mime_multipart_get_part(mp, i));
            if (p)
                return p;
        }
        return NULL;
    }
    if (is_a(o, gm.g_mime_part_get_type())) {
        GMimeContentType *t = gm.g_mime_object_get_content_type(o);
        if (t && gm.g_mime_content_type_is_type(t, "text", "html"))
            return (GMimePart *)o;
    }
    return NULL;
}

/* ---- the page's images: the other parts ---- */

typedef struct mhtimg {
    bt_imgsrc src;
    GMimeObject *root;
} mhtimg;

/* The part whose Content-ID is cid, or whose Content-Location (made
 * absolute against base) has key. */
static GMimePart *image_part(GMimeObject *o, const char *cid, const unsigned char key[16],
                             const char *base)
{
    if (is_a(o, gm.g_mime_multipart_get_type())) {
        GMimeMultipart *mp = (GMimeMultipart *)o;
        int n = gm.g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            GMimePart *p = image_part(gm.g_mime_multipart_get_part(mp, i), cid, key, base);
            if (p)
                return p;
        }
        return NULL;
    }
    if (!is_a(o, gm.g_mime_part_get_type()))
        return NULL;
    if (cid) {
        const char *id = gm.g_mime_object_get_content_id(o);
        return id && !strcmp(id, cid) ? (GMimePart *)o : NULL;
    }
    const char *loc = gm.g_mime_part_get_content_location((GMimePart *)o);
    if (!loc || !*loc)
        return NULL;
    xmlChar *abs = base ? xmlBuildURI((const xmlChar *)loc, (const xmlChar *)base) : NULL;
    unsigned char k[16];
    int ok = bt_url_key(abs ? (const char *)abs : loc, k) == 0 && !memcmp(k, key, 16);
    xmlFree(abs);
    return ok ? (GMimePart *)o : NULL;
}

static int mhtml_find(bt_imgsrc *s, bt_input_ctx *c, const char *src, const char *base, int local,
                      bt_imglook *lk, bt_error *err)
{
    (void)c, (void)local;
    mhtimg *mi = s->ctx;
    unsigned char key[16] = {0};
    const char *cid = strncasecmp(src, "cid:", 4) ? NULL : src + 4;
    if (!cid && bt_url_key(src, key) < 0) {
        bt_error_nomem(err, src);
        return -1;
    }
    GMimePart *part = image_part(mi->root, cid, key, base);
    if (!part) {
        lk->why = "not in the MHTML file";
        return 0;
    }
    GMimeDataWrapper *dw = gm.g_mime_part_get_content(part);
    GMimeStream *out = gm.g_mime_stream_mem_new();
    int r = 0;
    if (dw && gm.g_mime_data_wrapper_write_to_stream(dw, out) >= 0) {
        GByteArray *bytes = gm.g_mime_stream_mem_get_byte_array((GMimeStreamMem *)out);
        size_t n = bytes->len > lk->max ? lk->max + 1 : bytes->len;
        bt_buf_reset(lk->bytes);
        if (bt_buf_add(lk->bytes, bytes->data, n) < 0) {
            bt_error_nomem(err, src);
            r = -1;
        } else {
            r = 1;
        }
    } else {
        lk->why = "its part in the MHTML file cannot be decoded";
    }
    gm.g_object_unref(out);
    return r;
}

static int mhtml_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    if (bt_dl_ready(&gmime, gmime_start, it->name, err) < 0)
        return -1;
    bt_buf held = BT_BUF_INIT;
    const char *data;
    size_t len;
    if (bt_src_rest(it->src, BT_MAX_MEMBER, it->name, &held, &data, &len, err) < 0) {
        bt_buf_free(&held);
        return -1;
    }
    int rc = -1;
    GMimeStream *in = gm.g_mime_stream_mem_new_with_buffer(data, len);
    GMimeParser *parser = gm.g_mime_parser_new_with_stream(in);
    GMimeMessage *msg = gm.g_mime_parser_construct_message(parser, NULL);
    GMimePart *part = msg ? html_part(gm.g_mime_message_get_mime_part(msg)) : NULL;
    if (!part) {
        bt_error_set(err, BT_ERR_INPUT, "%s: no HTML page in this MHTML file", it->name);
    } else {
        GMimeStream *out = gm.g_mime_stream_mem_new();
        GMimeDataWrapper *w = gm.g_mime_part_get_content(part);
        if (w && gm.g_mime_data_wrapper_write_to_stream(w, out) >= 0) {
            GByteArray *page = gm.g_mime_stream_mem_get_byte_array((GMimeStreamMem *)out);
            const char *cs = gm.g_mime_object_get_content_type_parameter((GMimeObject *)part, "charset");
            const char *loc = gm.g_mime_part_get_content_location(part);
            bt_src ps;
            bt_src_mem(&ps, page->data, page->len);
            bt_item m;
            bt_item_member(&m, it, it->name, &ps);
            m.file = it->file;
            m.in_archive = it->in_archive; /* one page: its failure is the file's */
            m.url = loc && *loc ? loc : NULL;
            m.charset = cs && *cs ? cs : NULL;
            mhtimg mi = {{mhtml_find, NULL, NULL, 0}, gm.g_mime_message_get_mime_part(msg)};
            mi.src.ctx = &mi;
            if (c->opts->images)
                m.images = &mi.src;
            rc = c->member(c, &m, err);
            bt_src_free(&ps);
        } else {
            bt_error_set(err, BT_ERR_INPUT, "%s: the HTML part of this MHTML file cannot be decoded",
                         it->name);
        }
        gm.g_object_unref(out);
    }
    if (msg)
        gm.g_object_unref(msg);
    gm.g_object_unref(parser);
    gm.g_object_unref(in);
    bt_buf_free(&held);
    return rc;
}

const bt_format bt_format_mhtml = {"mhtml", BT_INPUT_MHTML, mhtml_bid, mhtml_read, 1};
