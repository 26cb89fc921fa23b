/* Private to the PDF typesetter (lib/pdf*.c). */
#ifndef BT_PDF_INTERNAL_H
#define BT_PDF_INTERNAL_H

#include <pango/pangocairo.h>

#include "internal.h"

const char *bt_pdf_default_font(void);

/* The words of the page furniture in one language. */
typedef struct pdf_words {
    const char *page;     /* "Trang" */
    const char *contents; /* "Mục lục" */
    const char *related;  /* "Tin liên quan" */
} pdf_words;
const pdf_words *pdf_words_for(const char *lang);

/* Fonts and the one PangoContext every layout is made in, so that what is
 * measured in the first pass is exactly what is drawn in the second. */
typedef struct pdf_cache pdf_cache;
typedef struct pdf_fonts {
    PangoContext *ctx;
    pdf_cache *cache; /* shaped words, font metrics (see pdf_layout.c) */
    PangoFontDescription *body, *italic, *title, *meta, *head, *small_head,
        *furniture, *masthead, *toc;
    double size; /* body size in points */
} pdf_fonts;

int pdf_fonts_init(pdf_fonts *f, const char *font, bt_error *err);
void pdf_fonts_free(pdf_fonts *f);
/* Forgets the shaped words when there are many (call only when no piece
 * is alive): memory stays flat however long the document. */
void pdf_fonts_trim(pdf_fonts *f);

/* A link over a byte range of a piece's text. */
typedef struct pdf_link {
    int start, end;
    char *href;
} pdf_link;

/* One laid-out line: positions in points from the piece's top left. */
typedef struct pdf_line {
    double x, top, bottom, baseline;
    int start, len;       /* byte range in the piece's text */
    size_t box0, box1;    /* the boxes drawn (trailing space left out) */
    double space_extra;   /* points added to each space (justification) */
} pdf_line;

typedef struct pdf_text pdf_text; /* text, items and boxes (pdf_layout.c) */

/* A laid-out block (paragraph, title, list item…) ready to be placed. */
typedef struct pdf_piece {
    pdf_text *text;
    double indent;       /* from the left of its frame */
    double space_before; /* dropped at the top of a column */
    double gray;         /* 0 = black */
    unsigned keep_next : 1;  /* never ends a page or column */
    unsigned full_width : 1; /* spans all columns (article header) */
    unsigned whole : 1;      /* never split (contents entries) */
    pdf_link *links;
    size_t nlinks, links_cap;
    pdf_line *lines;
    size_t nlines;
} pdf_piece;

typedef struct pdf_pieces {
    pdf_piece *v;
    size_t n, cap;
} pdf_pieces;

/* Widths of the frames pieces are laid out in. */
typedef struct pdf_frame {
    double full_width;   /* the text area */
    double column_width; /* one column */
} pdf_frame;

/* Lays out a whole article as pieces (appended to out). */
int pdf_article_pieces(const pdf_fonts *f, const pdf_frame *fr,
                       const bt_article *a, const pdf_words *w,
                       pdf_pieces *out, bt_error *err);
/* One piece of plain text in a font; align is a PangoAlignment. */
pdf_piece *pdf_plain_piece(const pdf_fonts *f, pdf_pieces *out,
                           const char *text, const PangoFontDescription *font,
                           double width, int align, bt_error *err);
/* Draws line i of pc with the piece's top left at (x0, y0), in the
 * piece's gray (links in blue, underlined). */
void pdf_draw_line(cairo_t *cr, const pdf_piece *pc, size_t i, double x0,
                   double y0);
/* The x extent (from the piece's left) of bytes [s, e) on line i; 0 when
 * nothing of it is printed there. */
int pdf_line_x_range(const pdf_piece *pc, size_t i, int s, int e, double *xa,
                     double *xb);
void pdf_pieces_clear(pdf_pieces *p); /* frees the pieces, keeps the array */
void pdf_pieces_free(pdf_pieces *p);

/* Keeps at most max_chars characters of s, adding "…" when cut. */
char *pdf_shorten(const char *s, size_t max_chars);

#endif
