/* docx_image.c — figures: the image, when its src is a local JPEG, PNG
 * or GIF file, goes into word/media/ (through the media spool, so only
 * one image is in memory at a time) and inline into its own paragraph,
 * sized to the text; then the caption.  Remote images are never fetched,
 * and an image that cannot be used leaves the caption and a notice. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docx_int.h"

#define DEFAULT_MAX_BYTES ((size_t)32 << 20)
#define DEFAULT_MAX_PIXELS 50000000ull
#define EMU_PER_PX 9525.0  /* 914400 EMU an inch, 96 px an inch */
#define EMU_PER_MM 36000.0

/* 1 when src names something remote: "scheme:…" (two letters or more, so
 * "C:" is not one) or "//host/…". */
/* Reads a regular file whole into out (never a FIFO or a device, which
 * could block or never end).  0; 1 with *why when there is none to read;
 * 2 when it is larger than max; -1 out of memory. */
static int read_image(const char *path, size_t max, bt_buf *out, const char **why)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    int rc = 1;

    if (fd < 0) {
        *why = errno == ENOENT ? "no such file" : strerror(errno);
        return 1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        *why = "not a regular file";
        goto done;
    }
    if ((unsigned long long)st.st_size > max) {
        rc = 2;
        goto done;
    }
    bt_buf_reset(out);
    if (bt_buf_grow(out, (size_t)st.st_size) < 0) {
        rc = -1;
        goto done;
    }
    for (;;) {
        ssize_t n;
        if (out->len == out->cap - 1 && bt_buf_grow(out, 65536) < 0) {
            rc = -1;
            goto done;
        }
        n = read(fd, out->data + out->len, out->cap - 1 - out->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = strerror(errno);
            goto done;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        if (out->len > max) { /* it grew while we read */
            rc = 2;
            goto done;
        }
    }
    out->data[out->len] = '\0';
    rc = 0;
done:
    close(fd);
    return rc;
}

/* The image's size in EMU: its pixels at 96 dpi, scaled down (never up)
 * to the text width and to most of the text height, leaving room for
 * the caption. */
static void extent(const bt_docx *d, const bt_image_info *im, long *cx, long *cy)
{
    double w = im->width * EMU_PER_PX, h = im->height * EMU_PER_PX;
    double maxw = (d->page.w - d->page.left - d->page.right) * EMU_PER_MM;
    double maxh = (d->page.h - d->page.top - d->page.bottom) * EMU_PER_MM * 0.8;
    double scale = 1.0;

    if (w > maxw)
        scale = maxw / w;
    if (h * scale > maxh)
        scale = maxh / h;
    *cx = lround(w * scale);
    *cy = lround(h * scale);
    if (*cx < 1)
        *cx = 1;
    if (*cy < 1)
        *cy = 1;
}

/* <w:drawing><wp:inline>…<pic:pic> for image n (1-based) of rel id. */
static void drawing(bt_docx *d, const char *rid, size_t n, long cx, long cy, const char *alt)
{
    bt_xw *x = &d->xbody;
    size_t id = ++d->ndrawings;

    bt_xw_start(x, "w:r");
    bt_xw_start(x, "w:drawing");
    bt_xw_start(x, "wp:inline");
    bt_xw_attr(x, "distT", "0");
    bt_xw_attr(x, "distB", "0");
    bt_xw_attr(x, "distL", "0");
    bt_xw_attr(x, "distR", "0");
    bt_xw_start(x, "wp:extent");
    bt_xw_attrf(x, "cx", "%ld", cx);
    bt_xw_attrf(x, "cy", "%ld", cy);
    bt_xw_end(x);
    bt_xw_empty(x, "wp:effectExtent", "l", "0", "t", "0", "r", "0", "b", "0", NULL);
    bt_xw_start(x, "wp:docPr");
    bt_xw_attrf(x, "id", "%zu", id);
    bt_xw_attrf(x, "name", "Picture %zu", id);
    if (alt && *alt)
        bt_xw_attr(x, "descr", alt);
    bt_xw_end(x);
    bt_xw_start(x, "wp:cNvGraphicFramePr");
    bt_xw_empty(x, "a:graphicFrameLocks", "noChangeAspect", "1", NULL);
    bt_xw_end(x);
    bt_xw_start(x, "a:graphic");
    bt_xw_start(x, "a:graphicData");
    bt_xw_attr(x, "uri", BT_NS_PIC);
    bt_xw_start(x, "pic:pic");
    bt_xw_start(x, "pic:nvPicPr");
    bt_xw_start(x, "pic:cNvPr");
    bt_xw_attr(x, "id", "0");
    bt_xw_attrf(x, "name", "image%zu", n);
    bt_xw_end(x);
    bt_xw_val(x, "pic:cNvPicPr", NULL);
    bt_xw_end(x); /* nvPicPr */
    bt_xw_start(x, "pic:blipFill");
    bt_xw_empty(x, "a:blip", "r:embed", rid, NULL);
    bt_xw_start(x, "a:stretch");
    bt_xw_val(x, "a:fillRect", NULL);
    bt_xw_end(x);
    bt_xw_end(x); /* blipFill */
    bt_xw_start(x, "pic:spPr");
    bt_xw_start(x, "a:xfrm");
    bt_xw_empty(x, "a:off", "x", "0", "y", "0", NULL);
    bt_xw_start(x, "a:ext");
    bt_xw_attrf(x, "cx", "%ld", cx);
    bt_xw_attrf(x, "cy", "%ld", cy);
    bt_xw_end(x);
    bt_xw_end(x); /* xfrm */
    bt_xw_start(x, "a:prstGeom");
    bt_xw_attr(x, "prst", "rect");
    bt_xw_val(x, "a:avLst", NULL);
    bt_xw_end(x);
    bt_xw_end(x); /* spPr */
    bt_xw_end(x); /* pic */
    bt_xw_end(x); /* graphicData */
    bt_xw_end(x); /* graphic */
    bt_xw_end(x); /* inline */
    bt_xw_end(x); /* drawing */
    bt_xw_end(x); /* r */
}

/* Reads, checks and spools the image at path as the next medium, with its
 * relationship.  1: done; 0: it cannot be used (a notice said why);
 * -1: out of memory or the spool failed. */
static int stored(bt_docx *d, const bt_buf *path, const char *src)
{
    size_t max_bytes = d->opts.image_max_bytes ? d->opts.image_max_bytes : DEFAULT_MAX_BYTES;
    uint64_t max_px = d->opts.image_max_pixels ? d->opts.image_max_pixels : DEFAULT_MAX_PIXELS;
    bt_buf *data = &d->scratch;
    const char *why = NULL;
    bt_docx_media *m;
    bt_image_info im;
    char rid[32];
    int got = read_image(path->data, max_bytes, data, &why);

    if (got < 0)
        return -1;
    if (got == 2) {
        bt_docx_notify(d, BT_DOCX_IMAGE_REFUSED, src, "larger than %zu bytes, caption only", max_bytes);
        return 0;
    }
    if (got == 1) {
        bt_docx_notify(d, BT_DOCX_IMAGE_MISSING, src, "%s, caption only", why);
        return 0;
    }
    if (bt_image_probe((const unsigned char *)data->data, data->len, &im, &why) < 0) {
        bt_docx_notify(d, BT_DOCX_IMAGE_REFUSED, src, "%s, caption only", why);
        return 0;
    }
    if (im.type == BT_IMAGE_WEBP) {
        bt_docx_notify(d, BT_DOCX_IMAGE_REFUSED, src,
                       "WebP, which Word cannot show: caption only (convert it to JPEG or PNG)");
        return 0;
    }
    if ((uint64_t)im.width * im.height > max_px) {
        bt_docx_notify(d, BT_DOCX_IMAGE_REFUSED, src, "%ux%u pixels, over the limit of %llu: caption only",
                       im.width, im.height, (unsigned long long)max_px);
        return 0;
    }
    if (bt_grow_array((void **)&d->mediav, &d->media_cap, d->nmedia + 1, sizeof(*d->mediav)) < 0)
        return -1;
    m = &d->mediav[d->nmedia];
    m->off = d->media.size;
    m->len = data->len;
    m->info = im;
    if (!(m->path = bt_strdup(path->data)))
        return -1;
    if (bt_spool_add(&d->media, data->data, data->len) < 0) {
        free(m->path);
        return -1;
    }
    d->nmedia++;
    snprintf(rid, sizeof(rid), "rIdM%zu", d->nmedia);
    bt_xw_start(&d->xrels, "Relationship");
    bt_xw_attr(&d->xrels, "Id", rid);
    bt_xw_attr(&d->xrels, "Type", BT_REL_BASE "image");
    bt_xw_attrf(&d->xrels, "Target", "media/image%zu.%s", d->nmedia, bt_image_ext(im.type));
    bt_xw_end(&d->xrels);
    return 1;
}

/* 1: the image is in the document; 0: it is not (a notice said why);
 * -1: out of memory or the spool failed. */
static int embed(bt_docx *d, const bt_block *b, const char *alt)
{
    const char *src = b->src;
    bt_buf path = BT_BUF_INIT;
    bt_image_info im;
    char rid[32];
    long cx, cy;
    size_t n;

    if (bt_src_is_remote(src)) {
        bt_docx_notify(d, BT_DOCX_IMAGE_REMOTE, src, "remote image not fetched, caption only");
        return 0;
    }
    if (bt_buf_adds(&path, src) < 0) /* a path as given (bt_article_resolve_figures) */
        goto oom;
    for (n = 0; n < d->nmedia; n++)
        if (!strcmp(d->mediav[n].path, path.data))
            break;
    if (n == d->nmedia) {
        int got = stored(d, &path, src);
        if (got <= 0) {
            bt_buf_free(&path);
            return got;
        }
    }
    bt_buf_free(&path);
    im = d->mediav[n].info;
    snprintf(rid, sizeof(rid), "rIdM%zu", n + 1);
    extent(d, &im, &cx, &cy);
    bt_docx_para_start(&d->xbody, "Figure", 0, 0);
    drawing(d, rid, n + 1, cx, cy, alt);
    bt_xw_end(&d->xbody);
    return 1;
oom:
    bt_buf_free(&path);
    return -1;
}

int bt_docx_figure(bt_docx *d, const bt_block *b, const char *lang)
{
    bt_buf alt = BT_BUF_INIT;
    int rc = 0;

    if (b->src && *b->src) {
        if (bt_text_plain(&b->text, &alt) < 0 || embed(d, b, alt.data) < 0)
            rc = -1;
    }
    bt_buf_free(&alt);
    if (rc == 0 && !bt_text_is_empty(&b->text)) {
        bt_docx_para_start(&d->xbody, "Caption", 0, 0);
        rc = bt_docx_runs(d, &d->xbody, &b->text, 0, lang);
        bt_xw_end(&d->xbody);
    }
    return rc;
}
