/* Figures' images for the PDF: the format told by its bytes (never by the
 * file's name), the pixel size read from the header, limits against
 * decompression bombs, and a cairo surface to paint: a JPEG is embedded
 * as it is (cairo's mime data, no decoding and no re-encoding), a PNG is
 * decoded and embedded losslessly.  One image is held at a time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pdf_int.h"

/* How much of a file's start is read to find its size: a JPEG's frame
 * header comes after its metadata (EXIF, thumbnails, ICC profiles). */
#define HEAD_BYTES (256 * 1024)

/* A whole JPEG ends with its EOI marker (some cameras add bytes after it:
 * look in the last 64 KB).  Readers show a cut one badly or not at all. */
static int jpeg_ends(FILE *f, long size)
{
    enum { TAIL = 65536 };
    unsigned char *tail = malloc(TAIL);
    long from = size > TAIL ? size - TAIL : 0;
    int found = 0;
    if (tail && fseek(f, from, SEEK_SET) == 0) {
        size_t n = fread(tail, 1, TAIL, f);
        for (size_t i = n; i >= 2 && !found; i--)
            found = tail[i - 2] == 0xFF && tail[i - 1] == 0xD9;
    }
    free(tail);
    return found;
}

/* What PDF readers show of what bt_image_probe found: JPEG coded with
 * Huffman tables (baseline or progressive), 8 bits, gray, RGB or CMYK;
 * PNG.  NULL when usable, else why not. */
static const char *printable(const bt_image_info *im)
{
    switch (im->type) {
    case BT_IMAGE_JPEG:
        if (im->jpeg_sof != 0xC0 && im->jpeg_sof != 0xC1 && im->jpeg_sof != 0xC2)
            return "JPEG coding PDF readers cannot show (lossless or arithmetic)";
        if (im->bits != 8 || (im->components != 1 && im->components != 3 && im->components != 4))
            return "JPEG with a sample size or colour model PDF readers cannot show";
        return NULL;
    case BT_IMAGE_PNG:
        return im->width < (1u << 24) && im->height < (1u << 24) ? NULL
                                                                 : "PNG without a sane size";
    case BT_IMAGE_GIF:
        return "GIF images are not printed (JPEG or PNG only)";
    case BT_IMAGE_WEBP:
        return "WebP images are not printed (JPEG or PNG only)";
    default:
        return "not a JPEG or PNG image";
    }
}

int pdf_image_probe(const char *path, pdf_image_info *info, const char **why)
{
    memset(info, 0, sizeof *info);
    struct stat st;
    if (stat(path, &st) < 0) {
        *why = errno == ENOENT ? "not found" : strerror(errno);
        info->missing = errno == ENOENT;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = "not a regular file";
        return -1;
    }
    if (st.st_size > PDF_IMAGE_MAX_BYTES) {
        *why = "larger than 50 MB";
        return -1;
    }
    FILE *f = fopen(path, "rb");
    unsigned char *head = f ? malloc(HEAD_BYTES) : NULL;
    if (!head) {
        *why = f ? "out of memory" : strerror(errno);
        if (f)
            fclose(f);
        return -1;
    }
    size_t n = fread(head, 1, HEAD_BYTES, f);
    bt_image_info im;
    int rc = bt_image_probe(head, n, &im, why);
    free(head);
    if (rc < 0 && im.type == BT_IMAGE_UNKNOWN)
        *why = printable(&im);
    if (rc == 0 && (*why = printable(&im)))
        rc = -1;
    if (rc == 0 && im.type == BT_IMAGE_JPEG && !jpeg_ends(f, (long)st.st_size)) {
        *why = "truncated JPEG";
        rc = -1;
    }
    fclose(f);
    if (rc == 0 && (double)im.width * im.height > PDF_IMAGE_MAX_PIXELS) {
        *why = "more than 50 million pixels";
        rc = -1;
    }
    if (rc == 0) {
        info->format = im.type == BT_IMAGE_JPEG ? PDF_IMAGE_JPEG : PDF_IMAGE_PNG;
        info->width = im.width;
        info->height = im.height;
        info->bytes = (size_t)st.st_size;
    }
    return rc;
}

typedef struct png_src {
    FILE *f;
} png_src;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
    png_src *s = closure;
    return fread(data, 1, len, s->f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR;
}

cairo_surface_t *pdf_image_load(const char *path, const pdf_image_info *info,
                                const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    cairo_surface_t *s = NULL;
    if (info->format == PDF_IMAGE_PNG) {
        png_src src = {f};
        s = cairo_image_surface_create_from_png_stream(png_read, &src);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
            (unsigned)cairo_image_surface_get_width(s) != info->width ||
            (unsigned)cairo_image_surface_get_height(s) != info->height) {
            *why = "damaged PNG";
            cairo_surface_destroy(s);
            s = NULL;
        }
        fclose(f);
        return s;
    }
    /* JPEG: the file's bytes become the image as they are.  The surface
     * painted is a recording of the image's size that holds no pixels:
     * cairo's PDF surface writes the JPEG data it carries. */
    unsigned char *data = malloc(info->bytes ? info->bytes : 1);
    if (!data || fread(data, 1, info->bytes, f) != info->bytes) {
        *why = data ? "cannot read the file" : "out of memory";
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    cairo_rectangle_t r = {0, 0, info->width, info->height};
    s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, info->bytes, free,
                                    data) != CAIRO_STATUS_SUCCESS) {
        *why = "out of memory";
        cairo_surface_destroy(s);
        free(data);
        return NULL;
    }
    return s;
}
