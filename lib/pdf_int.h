/* Private to the PDF typesetter (lib/pdf*.c). */
#ifndef BT_PDF_INTERNAL_H
#define BT_PDF_INTERNAL_H

#include <pango/pangocairo.h>

#include "internal.h"

const char *bt_pdf_default_font(void);

/* The words of the page furniture in one language. */

/* ---- images (pdf_image.c) ---- */

#define PDF_IMAGE_MAX_BYTES (50L << 20)
#define PDF_IMAGE_MAX_PIXELS 50e6

enum { PDF_IMAGE_JPEG = 1, PDF_IMAGE_PNG };
typedef struct pdf_image_info {
    int format;             /* PDF_IMAGE_*, 0 when unusable */
    unsigned width, height; /* pixels */
    size_t bytes;           /* of the file */
    int missing;            /* the file is not there */
} pdf_image_info;

/* Looks at the file's first bytes: format and pixel size, within the
 * limits.  0, or -1 with *why saying what is wrong ("not found", …). */
int pdf_image_probe(const char *path, pdf_image_info *info, const char **why);
/* The image as a surface to paint at its pixel size (JPEG: its bytes as
 * mime data, no pixels decoded).  NULL with *why. */
cairo_surface_t *pdf_image_load(const char *path, const pdf_image_info *info,
                                const char **why);

/* Fonts and the one PangoContext every layout is made in, so that what is
 * measured in the first pass is exactly what is drawn in the second. */
typedef struct pdf_cache pdf_cache;
typedef struct pdf_fonts {
    PangoContext *ctx;
    pdf_cache *cache; /* shaped words, font metrics (see pdf_layout.c) */
    PangoFontDescription *body, *italic, *title, *meta, *head, *small_head,
        *furniture, *masthead, *toc, *cell, *section, *run_on_title;
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
typedef struct pdf_table pdf_table; /* a laid-out table (pdf_table.c) */

enum {
    PDF_PIECE_TEXT,  /* lines of text */
    PDF_PIECE_IMAGE, /* a figure's image, width x height */
    PDF_PIECE_FRAME, /* an empty frame where an image could not be had */
    PDF_PIECE_RULE,  /* a horizontal rule across the frame (between articles) */
    PDF_PIECE_ROW,   /* a group of table rows; its lines are bands that can
                        be cut between (no cell's line straddles a cut) */
};

/* A laid-out block (paragraph, title, list item…) ready to be placed. */
typedef struct pdf_piece {
    unsigned kind;       /* PDF_PIECE_* */
    pdf_text *text;      /* TEXT only */
    double indent;       /* from the left of its frame */
    double space_before; /* dropped at the top of a column */
    double gray;         /* 0 = black */
    unsigned keep_next : 1;  /* never ends a page or column */
    unsigned full_width : 1; /* spans all columns (article header) */
    unsigned whole : 1;      /* never split (contents entries) */
    unsigned header : 1;     /* ROW: the table's header, repeated after a break */
    double width, height;    /* IMAGE, FRAME, RULE: the box */
    char *src;               /* IMAGE: the file */
    pdf_image_info img;      /* IMAGE */
    pdf_table *table;        /* ROW: owned by the pieces list */
    size_t group;            /* ROW: which row group of the table */
    pdf_link *links;
    size_t nlinks, links_cap;
    pdf_line *lines;
    size_t nlines;
} pdf_piece;

typedef struct pdf_pieces {
    pdf_piece *v;
    size_t n, cap;
    pdf_table **tables; /* the tables the ROW pieces point into */
    size_t ntables, tables_cap;
} pdf_pieces;

/* The frames pieces are laid out in, and where notices go. */
typedef struct pdf_frame {
    double full_width;    /* the text area */
    double column_width;  /* one column */
    double column_height; /* the text area's height */
    bt_problem_fn notice; /* NULL: none */
    void *notice_ctx;
    int report;           /* 1: this layout is the one drawn, say what fails */
    int run_on;           /* articles follow one another: smaller titles */
} pdf_frame;

/* Lays out a whole article as pieces (appended to out). */
int pdf_article_pieces(const pdf_fonts *f, const pdf_frame *fr,
                       const bt_article *a, const bt_words *w,
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

/* Keeps at most max_chars characters of s, cut at a space when there is
 * one (never inside a word unless it is one word), adding "…" when cut. */
char *pdf_shorten(const char *s, size_t max_chars);

/* For tables (pdf_table.c): one piece of inline text in font, appended to
 * out; NULL when out of memory.  The text is capped (a cell is not a
 * chapter). */
pdf_piece *pdf_text_piece(const pdf_fonts *f, pdf_pieces *out, const bt_text *t,
                          const PangoFontDescription *font, int align,
                          double width, bt_error *err);
/* All of t as pieces (several when it is enormous) appended to out;
 * returns how many, -1 when out of memory. */
int pdf_text_pieces(const pdf_fonts *f, pdf_pieces *out, const bt_text *t,
                    const PangoFontDescription *font, int align, double width);
/* The widest word and the whole text on one line, in points. */
void pdf_piece_widths(const pdf_piece *pc, double *min, double *max);
/* Breaks pc's text again into lines of width (points). */
int pdf_piece_rebreak(const pdf_fonts *f, pdf_piece *pc, double width, int align);
/* Frees a piece's contents (text, links, lines, src). */
void pdf_piece_clear(pdf_piece *pc);

/* Lays a table block out as pieces appended to out: its caption, its
 * header row groups (header set), its other row groups. */
int pdf_table_pieces(const pdf_fonts *f, const pdf_frame *fr, const bt_block *b,
                     pdf_pieces *out, bt_error *err);
/* Draws line i of a text piece with the piece's top left at (x0, y0). */
typedef void (*pdf_line_drawer)(void *ctx, const pdf_piece *pc, size_t i, double x0,
                                double y0);
/* Draws lines (bands) [k, k+n) of a ROW piece with its top left at
 * (x0, y0): the grid, and the cells' text through draw. */
void pdf_table_draw(cairo_t *cr, const pdf_piece *pc, size_t k, size_t n, double x0,
                    double y0, pdf_line_drawer draw, void *ctx);
void pdf_table_free(pdf_table *t);

/* ---- the document (pdf.c, pdf_flow.c, pdf_front.c) ---- */

typedef struct pdf_toc_entry {
    char *title;  /* shortened at a word, or the section's name */
    char *date;   /* as people read it, may be NULL */
    int section;  /* 1: a section's head */
    int page;     /* where it starts, counting from the first page after
                     the front pages */
    int end;      /* where it ends, counted the same way */
} pdf_toc_entry;

struct bt_pdf {
    bt_pdf_opts o; /* strings owned by this copy */
    pdf_fonts fonts;
    pdf_frame frame;
    const bt_words *words;
    double left, top, bottom, gutter;

    FILE *out;
    cairo_surface_t *surface;
    cairo_t *cr; /* NULL while measuring (and in dry runs) */
    int started;

    /* Where the next line goes. */
    int page;      /* current page number, 0 before the first */
    int page_open;
    int col, ncols;
    double y, col_top;
    double fresh_y;  /* y at which the column holds nothing yet (col_top,
                        or under a table header repeated there) */
    double zone_low; /* the lowest end of the columns on this page */
    /* Two-column balancing: on page bal_page the columns end at
     * bal_bottom instead of the page's bottom (0: no balancing). */
    int bal_page;
    double bal_bottom;
    /* Where the last placed piece's first line landed. */
    double last_top, last_baseline;
    int last_page;
    /* The first line of piece mark_piece (an article's title): where it
     * landed; when drawing, the destination dest and the outline entry
     * outline (under a section's, when one is pending) are put there. */
    size_t mark_piece;
    int mark_page;
    double mark_top;
    char dest[32];
    char *outline, *section_outline;
    int section_id;
    const pdf_table *table; /* the table whose rows are being placed */

    /* Bulletin: what the first pass found. */
    pdf_toc_entry *toc;
    size_t ntoc, toc_cap;
    size_t next_entry; /* second pass: the entry typeset next */
    size_t narticles;  /* articles typeset so far */
    int front_pages, total_pages;
    char *section;     /* the head to put before the next article */
    int section_pending;

    int have_meta_title, have_author, have_date;
    pdf_pieces pieces, furniture;
};

/* pdf_flow.c: pages, columns and placing pieces. */
void pdf_page_begin(bt_pdf *p);
void pdf_page_end(bt_pdf *p);
/* The running header and the footer of the current page (bulletins). */
void pdf_draw_furniture(bt_pdf *p);
/* Draws lines [k, k+n) of pc (of any kind) with its top left at (x0, y0). */
void pdf_draw_lines(bt_pdf *p, const pdf_piece *pc, size_t k, size_t n, double x0,
                    double y0);
double pdf_piece_height(const pdf_piece *pc, size_t nlines);
/* Places piece i of v (n pieces) in the flow. */
void pdf_place_piece(bt_pdf *p, const pdf_piece *v, size_t i, size_t n);
/* Places all of ps; with two columns, balanced on its last page. */
void pdf_place_all(bt_pdf *p, const pdf_pieces *ps);
/* A rule across the text area at y. */
void pdf_rule(bt_pdf *p, double y, double width);

/* pdf_front.c: a bulletin's masthead and contents; returns the number of
 * pages they take (-1 on error).  Draws when p->cr is set. */
int pdf_typeset_front(bt_pdf *p, bt_error *err);

#endif
