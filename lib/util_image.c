/* util_image.c — what an image file is and how many pixels it holds,
 * read from its header bytes alone (no decoding), for the writers that
 * embed images.  The name of a file is never trusted. */
#include <string.h>

#include "internal.h"

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[1] << 8 | p[0];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

static unsigned long le24(const unsigned char *p)
{
    return (unsigned long)p[2] << 16 | (unsigned long)p[1] << 8 | p[0];
}

/* Walks the marker segments to the first frame header (SOFn), which
 * holds the size; markers without a length (RSTn, TEM) and fill bytes
 * are stepped over. */
static int jpeg(const unsigned char *d, size_t len, bt_image_info *info, const char **why)
{
    size_t i = 2;

    while (i + 4 <= len) {
        unsigned m;
        if (d[i] != 0xFF) {
            *why = "broken JPEG: bytes between segments";
            return -1;
        }
        m = d[i + 1];
        if (m == 0xFF) { /* fill */
            i++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        if (m == 0xD9 || m == 0xDA)
            break; /* end of image, or scan data before any frame */
        if (be16(d + i + 2) < 2) {
            *why = "broken JPEG: a segment shorter than its header";
            return -1;
        }
        /* SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) */
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (i + 10 > len)
                break;
            info->jpeg_sof = m;
            info->bits = d[i + 4];
            info->height = be16(d + i + 5);
            info->width = be16(d + i + 7);
            info->components = d[i + 9];
            if (!info->width || !info->height) {
                *why = "JPEG without a size in its frame header";
                return -1;
            }
            return 0;
        }
        i += 2 + be16(d + i + 2);
    }
    *why = "JPEG without a frame header";
    return -1;
}

static int png(const unsigned char *d, size_t len, bt_image_info *info, const char **why)
{
    unsigned long w, h;

    if (len < 24 || memcmp(d + 12, "IHDR", 4) != 0 || be32(d + 8) != 13) {
        *why = "broken PNG: no IHDR chunk first";
        return -1;
    }
    w = be32(d + 16);
    h = be32(d + 20);
    if (!w || !h || w > 0x7FFFFFFFul || h > 0x7FFFFFFFul) {
        *why = "broken PNG: impossible size";
        return -1;
    }
    info->width = (unsigned)w;
    info->height = (unsigned)h;
    return 0;
}

static int gif(const unsigned char *d, size_t len, bt_image_info *info, const char **why)
{
    if (len < 10 || !le16(d + 6) || !le16(d + 8)) {
        *why = "broken GIF: no screen size";
        return -1;
    }
    info->width = le16(d + 6);
    info->height = le16(d + 8);
    return 0;
}

/* RIFF container: the first chunk is VP8 (lossy), VP8L (lossless) or
 * VP8X (extended, canvas size stored minus one). */
static int webp(const unsigned char *d, size_t len, bt_image_info *info, const char **why)
{
    *why = "broken WebP header";
    if (len < 30)
        return -1;
    if (!memcmp(d + 12, "VP8 ", 4)) {
        if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A)
            return -1;
        info->width = le16(d + 26) & 0x3FFF;
        info->height = le16(d + 28) & 0x3FFF;
    } else if (!memcmp(d + 12, "VP8L", 4)) {
        unsigned long b = (unsigned long)d[21] | (unsigned long)d[22] << 8 |
                          (unsigned long)d[23] << 16 | (unsigned long)d[24] << 24;
        if (d[20] != 0x2F)
            return -1;
        info->width = (unsigned)(b & 0x3FFF) + 1;
        info->height = (unsigned)((b >> 14) & 0x3FFF) + 1;
    } else if (!memcmp(d + 12, "VP8X", 4)) {
        info->width = (unsigned)le24(d + 24) + 1;
        info->height = (unsigned)le24(d + 27) + 1;
    } else {
        return -1;
    }
    if (!info->width || !info->height)
        return -1;
    return 0;
}

int bt_image_probe(const unsigned char *data, size_t len, bt_image_info *info,
                   const char **why)
{
    static const char unknown[] = "not a JPEG, PNG, GIF or WebP image";

    memset(info, 0, sizeof(*info));
    *why = unknown;
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        info->type = BT_IMAGE_JPEG;
        return jpeg(data, len, info, why);
    }
    if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1A\n", 8)) {
        info->type = BT_IMAGE_PNG;
        return png(data, len, info, why);
    }
    if (len >= 6 && (!memcmp(data, "GIF87a", 6) || !memcmp(data, "GIF89a", 6))) {
        info->type = BT_IMAGE_GIF;
        return gif(data, len, info, why);
    }
    if (len >= 16 && !memcmp(data, "RIFF", 4) && !memcmp(data + 8, "WEBP", 4)) {
        info->type = BT_IMAGE_WEBP;
        return webp(data, len, info, why);
    }
    return -1;
}

const char *bt_image_media_type(bt_image_type t)
{
    static const char *const types[] = {
        [BT_IMAGE_JPEG] = "image/jpeg", [BT_IMAGE_PNG] = "image/png",
        [BT_IMAGE_GIF] = "image/gif", [BT_IMAGE_WEBP] = "image/webp",
    };
    return t > BT_IMAGE_UNKNOWN && t <= BT_IMAGE_WEBP ? types[t] : NULL;
}

const char *bt_image_ext(bt_image_type t)
{
    static const char *const exts[] = {
        [BT_IMAGE_JPEG] = "jpeg", [BT_IMAGE_PNG] = "png",
        [BT_IMAGE_GIF] = "gif", [BT_IMAGE_WEBP] = "webp",
    };
    return t > BT_IMAGE_UNKNOWN && t <= BT_IMAGE_WEBP ? exts[t] : NULL;
}
