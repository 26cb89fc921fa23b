/* Private helpers shared by the files of libbantin (not installed). */
#ifndef BT_INTERNAL_H
#define BT_INTERNAL_H

#include "bantin.h"

#include <pthread.h>

#define BT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Grows *items (of *cap elements of size elem) to hold at least need
 * elements; returns -1 when out of memory (the array is left as it was). */
int bt_grow_array(void **items, size_t *cap, size_t need, size_t elem);
/* Appends a zeroed element to *items (*n of them, *cap room), growing it:
 * the new element, or NULL when out of memory (nothing changed). */
void *bt_array_add(void **items, size_t *cap, size_t *n, size_t elem);

/* Decodes one UTF-8 sequence at s[0..len); returns its length (1–4) and
 * stores the code point, or returns 0 for an invalid sequence. */
size_t bt_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* The code point at s[0..len) (len > 0) as text that may hold invalid
 * bytes is read everywhere: an invalid byte is U+FFFD, one byte long.
 * Returns the length (1–4).  Inline: the folding loops call it a
 * character at a time. */
static inline size_t bt_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t l = bt_utf8_decode(s, len, cp);
    if (!l) {
        *cp = 0xFFFD;
        l = 1;
    }
    return l;
}
/* Encodes cp as UTF-8 into out (4 bytes); returns the length. */
size_t bt_utf8_encode(uint32_t cp, char out[4]);
/* 1 when the code point may appear in an XML 1.0 document. */
int bt_xml_char_ok(uint32_t cp);

/* Raw XML as the scanners read it without the parser (the article
 * splitter, the stream splitter, the search's raw reader), inline for
 * their byte loops.  XML's white space: */
static inline int bt_xml_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
/* What ends an element's name in a tag: */
static inline int bt_xml_name_end(unsigned char c)
{
    return bt_xml_space(c) || c == '>' || c == '/';
}
/* One byte c of a tag read for its end, *quote the open attribute quote
 * (or 0): 1 at the '>' that ends the tag, -1 at a '<' (not a tag the
 * format writes), 0 to go on. */
static inline int bt_xml_tag_step(char c, char *quote)
{
    if (*quote) {
        if (c == *quote)
            *quote = 0;
    } else if (c == '"' || c == '\'') {
        *quote = c;
    } else if (c == '>') {
        return 1;
    } else if (c == '<') {
        return -1;
    }
    return 0;
}

/* A library opened when first needed (util_dl.c).  Its user keeps one
 * of these, {soname, what it is needed for, PTHREAD_ONCE_INIT}, and a
 * start function that calls bt_dl_open, then bt_dl_sym for each function
 * of its table; bt_dl_ready runs start once and says why it failed. */
typedef struct bt_dl_lib {
    const char *soname;
    const char *needed_for; /* "reading MHTML needs GMime" */
    pthread_once_t once;
    char why[256];          /* dlerror's words or the missing name; "" if fine */
} bt_dl_lib;
/* The library's handle, or NULL with l->why. */
void *bt_dl_open(bt_dl_lib *l);
/* Stores the function name into the function pointer at fn; nothing once
 * an earlier step failed, so that a table fills in one pass. */
void bt_dl_sym(bt_dl_lib *l, void *h, const char *name, void *fn);
/* 0 once the library and its table are ready, else -1 with err:
 * "NAME: needed_for (why)". */
int bt_dl_ready(bt_dl_lib *l, void (*start)(void), const char *name, bt_error *err);

/* Opens a named input for reading (util_file.c): NULL or "-" is standard
 * input (0, which the caller does not close); -1 with "path: why" when it
 * cannot be opened. */
int bt_open_input(const char *path, bt_error *err);
/* Reads a whole file ("-": standard input) into out, refusing more than
 * max bytes (util_file.c). */
int bt_read_file(const char *path, size_t max, bt_buf *out, bt_error *err);

/* A page's bytes as clean UTF-8 (bt_text_clean's sense), in one step
 * (text_encoding.c): a forced encoding strictly; else a BOM; else clean
 * UTF-8 as it is (*text then points into data: no copy); else, for bytes
 * that are not valid UTF-8, the charset the container declares (HTTP,
 * MIME) or, when html, the page itself (<meta charset>, <?xml
 * encoding?>); else bt_decode's detection.  Otherwise *text points into
 * buf.  *charset (may be NULL) gets what was used.  0, or -1 with err. */
int bt_decode_page(const char *data, size_t len, const char *forced, const char *declared,
                   int html, const char *name, bt_buf *buf, const char **text, size_t *tlen,
                   const char **charset, bt_error *err);

/* The words printers add, in one language (util_words.c). */
typedef struct bt_words {
    const char *code;        /* "vi" */
    const char *weekday[7];  /* from Sunday */
    const char *month[12];   /* NULL: months are written as numbers */
    const char *contents;    /* "Mục lục" */
    const char *related;     /* "Tin liên quan" */
    const char *other;       /* "Tin khác": the head of articles without a section */
    const char *page;        /* "Trang": "Trang 2/5" */
    const char *page_of;     /* "/" ("Page 2 of 5": " of ") */
} bt_words;
/* "vi", "vi-VN", "en_GB" → its words; NULL for a language we have none for. */
const bt_words *bt_words_for(const char *lang);
/* The same, Vietnamese's for any other language. */
const bt_words *bt_words_or_vi(const char *lang);

/* What a reader of the format makes of inline text (model.c): XML white
 * space runs are one space, kept in the span where the run began,
 * trimmed at both ends of the text across spans; spans left empty go.
 * In place.  The writer applies it too, so what it writes reads back the
 * same. */
void bt_text_collapse_layout(bt_text *t);

/* The writer in two halves (xml_write.c), for bt_batch: a renderer is a
 * writer with no stream; bt_writer_render gives an article's bytes as
 * they stand in the document (valid until the writer's next call), and
 * bt_writer_put writes such bytes as the stream's next article. */
bt_writer *bt_writer_open_renderer(bt_error *err);
int bt_writer_render(bt_writer *wr, const bt_article *a, const char **xml, size_t *len,
                     bt_error *err);
int bt_writer_put(bt_writer *wr, const char *xml, size_t len, bt_error *err);

/* The start of an article's text, for guesses about it (its language):
 * the title, then blocks (their text, list items), its first max bytes
 * appended to out (model.c). */
int bt_article_sample(const bt_article *a, size_t max, bt_buf *out);

/* Frees what a block holds (model.c), for code that drops blocks. */
void bt_block_free(bt_block *b);
/* Drops the spaces that end t, and the spans they leave empty (model.c). */
void bt_text_trim_end(bt_text *t);

/* 1 when the n bytes at s (s[n] readable, as a NUL) hold white space only
 * as single spaces: no tab, line break or two spaces in a row; text laid
 * out already, which the writer and the id hash then need not lay out
 * again (text_vn.c). */
int bt_text_single_spaced(const char *s, size_t n);

/* The precomposed letters Vietnamese writes with (text_vn.c), the one table
 * of them: *base gets the ASCII base letter in the letter's case, *tone 1
 * when it carries a tone mark; 0 for any other code point. */
int bt_vn_letter(int32_t cp, char *base, int *tone);

/* Image files told apart by their bytes, not their names (util_image.c). */
typedef enum bt_image_type {
    BT_IMAGE_UNKNOWN,
    BT_IMAGE_JPEG,
    BT_IMAGE_PNG,
    BT_IMAGE_GIF,
    BT_IMAGE_WEBP,
} bt_image_type;

typedef struct bt_image_info {
    bt_image_type type;
    unsigned width, height; /* pixels */
    unsigned jpeg_sof;      /* JPEG: the frame's marker (0xC0 baseline, 0xC2
                             * progressive, …), which says how it is coded */
    unsigned components;    /* JPEG: 1 gray, 3 YCbCr/RGB, 4 CMYK */
    unsigned bits;          /* JPEG: bits per sample */
} bt_image_info;

/* Reads the type and pixel size from an image's first bytes (its header;
 * for JPEG, the segments up to the frame header, so pass the whole file
 * or a generous head).  0, or -1 with why in *why ("not a JPEG, PNG, GIF
 * or WebP image", "broken PNG header", "no size in the JPEG header"). */
int bt_image_probe(const unsigned char *data, size_t len, bt_image_info *info,
                   const char **why);
/* "image/jpeg", … and "jpeg", "png", "gif", "webp" (NULL for UNKNOWN). */
const char *bt_image_media_type(bt_image_type t);
const char *bt_image_ext(bt_image_type t);

#endif
