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

#define HEAD_BYTES 4096

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Walks a JPEG's markers up to its frame header (SOFn): the pixel size and
 * whether PDF readers can show it (baseline or progressive Huffman, 8 bits,
 * gray, RGB or CMYK). */
static int jpeg_info(FILE *f, pdf_image_info *info, const char **why)
{
    unsigned char h[8];
    if (fseek(f, 2, SEEK_SET) != 0)
        return -1;
    for (;;) {
        int c = getc(f);
        if (c == EOF)
            break;
        if (c != 0xFF) {
            *why = "damaged JPEG (no frame header)";
            return -1;
        }
        while (c == 0xFF)
            c = getc(f);
        if (c == EOF)
            break;
        if (c == 0xD8 || (c >= 0xD0 && c <= 0xD7) || c == 0x01)
            continue; /* markers without a length */
        if (c == 0xD9 || c == 0xDA) {
            *why = "damaged JPEG (no frame header)";
            return -1;
        }
        if (fread(h, 1, 2, f) != 2)
            break;
        uint32_t len = be16(h);
        if (len < 2) {
            *why = "damaged JPEG";
            return -1;
        }
        int sof = c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC;
        if (sof) {
            if (len < 8 || fread(h, 1, 6, f) != 6)
                break;
            info->height = be16(h + 1);
            info->width = be16(h + 3);
            unsigned comps = h[5];
            if (c != 0xC0 && c != 0xC1 && c != 0xC2) {
                *why = "JPEG coding PDF readers cannot show (lossless or arithmetic)";
                return -1;
            }
            if (h[0] != 8 || (comps != 1 && comps != 3 && comps != 4)) {
                *why = "JPEG with a sample size or colour model PDF readers cannot show";
                return -1;
            }
            if (!info->width || !info->height) {
                *why = "JPEG without a size";
                return -1;
            }
            info->format = PDF_IMAGE_JPEG;
            return 0;
        }
        if (fseek(f, (long)len - 2, SEEK_CUR) != 0)
            break;
    }
    *why = "truncated JPEG";
    return -1;
}

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
    if (!f) {
        *why = strerror(errno);
        return -1;
    }
    unsigned char h[32];
    size_t n = fread(h, 1, sizeof h, f);
    int rc = -1;
    *why = "not a JPEG or PNG image";
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) {
        rc = jpeg_info(f, info, why);
        if (rc == 0 && !jpeg_ends(f, (long)st.st_size)) {
            *why = "truncated JPEG";
            rc = -1;
        }
    } else if (n >= 24 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8) && !memcmp(h + 12, "IHDR", 4)) {
        info->width = be32(h + 16);
        info->height = be32(h + 20);
        info->format = PDF_IMAGE_PNG;
        rc = info->width && info->height && info->width < (1u << 24) &&
                     info->height < (1u << 24) ? 0 : -1;
        if (rc < 0)
            *why = "PNG without a sane size";
    } else if (n >= 6 && (!memcmp(h, "GIF87a", 6) || !memcmp(h, "GIF89a", 6))) {
        *why = "GIF images are not printed (JPEG or PNG only)";
    } else if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WEBP", 4)) {
        *why = "WebP images are not printed (JPEG or PNG only)";
    }
    fclose(f);
    if (rc == 0 && (double)info->width * info->height > PDF_IMAGE_MAX_PIXELS) {
        *why = "more than 50 million pixels";
        rc = -1;
    }
    if (rc == 0)
        info->bytes = (size_t)st.st_size;
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
