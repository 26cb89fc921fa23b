/* Private to the DOCX writer (lib/docx*.c): the writer's state, XML
 * writing helpers, the spool, and the parts that do not depend on the
 * articles. */
#ifndef BT_DOCX_INT_H
#define BT_DOCX_INT_H

#include <libxml/xmlwriter.h>
#include <zip.h>

#include "internal.h"

/* WordprocessingML, DrawingML and package namespaces. */
#define BT_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define BT_NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define BT_NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define BT_NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define BT_NS_PIC "http://schemas.openxmlformats.org/drawingml/2006/picture"
#define BT_NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define BT_REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* ---- XML writing (docx_xml.c) ---- */

/* An xmlTextWriter that remembers its first failure, so a part is written
 * straight through and checked once at the end. */
typedef struct bt_xw {
    xmlTextWriterPtr w;
    int failed;
    bt_buf clean; /* scratch for cleaned text */
} bt_xw;

/* Writes into a growing buffer (the caller owns out). */
int bt_xw_open_buf(bt_xw *x, bt_buf *out);
/* Writes through a callback, as xmlOutputBufferCreateIO does. */
int bt_xw_open_io(bt_xw *x, xmlOutputWriteCallback write, void *ctx);
/* Flushes and frees the writer; returns -1 if anything failed. */
int bt_xw_close(bt_xw *x);
/* Ends the document, then bt_xw_close. */
int bt_xw_finish(bt_xw *x);

void bt_xw_decl(bt_xw *x); /* <?xml … standalone="yes"?> */
/* A package part into out: bt_xw_open_buf, the declaration, and the root
 * element started with its namespace (xmlns_attr="ns"). */
int bt_xw_open_part(bt_xw *x, bt_buf *out, const char *root, const char *xmlns_attr,
                    const char *ns);
void bt_xw_start(bt_xw *x, const char *name);
void bt_xw_end(bt_xw *x);
void bt_xw_attr(bt_xw *x, const char *name, const char *value);
void bt_xw_attrf(bt_xw *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An empty element with attributes, given as name, value pairs and a
 * NULL: bt_xw_empty(x, "w:ind", "w:left", "720", "w:hanging", "360", NULL). */
void bt_xw_empty(bt_xw *x, const char *name, ...) __attribute__((sentinel));
/* <name w:val="val"/>, or <name/> when val is NULL. */
void bt_xw_val(bt_xw *x, const char *name, const char *val);
void bt_xw_vali(bt_xw *x, const char *name, long val);
/* Element text, cleaned: invalid UTF-8 becomes U+FFFD and characters
 * XML 1.0 forbids are dropped. */
void bt_xw_text(bt_xw *x, const char *s, size_t len);
/* The cleaning alone, appended to out. */
int bt_docx_clean(const char *s, size_t len, bt_buf *out);

/* ---- spool: bytes in memory, then in a temporary file (docx_spool.c) ---- */

typedef struct bt_spool {
    bt_buf mem;
    FILE *fp;   /* tmpfile() once mem outgrew its limit */
    size_t size;
    int failed;
} bt_spool;

void bt_spool_init(bt_spool *s);
int bt_spool_add(bt_spool *s, const void *data, size_t len);
/* An xmlOutputWriteCallback: appends data. */
int bt_spool_write(void *ctx, const char *data, int len);
/* Everything written lands in one place: all in mem, or all in fp. */
int bt_spool_finish(bt_spool *s);
void bt_spool_free(bt_spool *s);

/* A libzip source reading pieces one after another: buffers, or ranges
 * of spools. */
#define BT_CHAIN_MAX 8
typedef struct bt_chain {
    struct {
        const char *mem; /* or */
        FILE *fp;
        size_t off, len;
    } p[BT_CHAIN_MAX];
    int n, cur;
    size_t off; /* within p[cur] */
    zip_error_t error;
} bt_chain;

void bt_chain_init(bt_chain *c);
void bt_chain_fini(bt_chain *c);
void bt_chain_add_mem(bt_chain *c, const char *mem, size_t len);
/* The bytes [off, off + len) of a finished spool. */
void bt_chain_add_spool(bt_chain *c, const bt_spool *s, size_t off, size_t len);
zip_int64_t bt_chain_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd);

/* ---- what bt_docx_opts_load prepares (docx_opts.c, docx_ref.c) ---- */

struct bt_docx_prepared {
    bt_buf styles;          /* word/styles.xml: ours, or merged with the reference's */
    int numbers_in_header;  /* the reference puts its PAGE field in the header */
    char table_style[64];   /* the style id our tables use */
};

/* Fills p for o (checking the options), reading o->reference_doc when set;
 * the reference's page setup goes into o where o does not set it. */
int bt_docx_prepare(bt_docx_opts *o, bt_docx_prepared *p, bt_error *err);
void bt_docx_prepared_free(bt_docx_prepared *p);

/* The page in mm after defaults: size, margins, text width and height. */
typedef struct bt_docx_page {
    double w, h, top, right, bottom, left;
} bt_docx_page;
void bt_docx_page_of(const bt_docx_opts *o, bt_docx_page *pg);
long bt_docx_twips(double mm);

/* ---- the look (docx_styles.c) ---- */

/* word/styles.xml for the options and the main language ("vi-VN"). */
int bt_docx_styles_xml(const bt_docx_opts *o, const char *lang, bt_buf *out);
/* word/numbering.xml: num 1 is bullets, nums 2 … nnumbered+1 are numbered
 * lists, each restarting at 1. */
int bt_docx_numbering_xml(size_t nnumbered, bt_buf *out);
/* word/settings.xml. */
int bt_docx_settings_xml(const char *lang, bt_buf *out);

/* Reads a reference .docx: replaces *styles (ours) with its styles, ours
 * added where it lacks a style id we use; takes its page size and margins
 * into o where o does not set them; says where its page numbers are and
 * which table style it prefers (docx_ref.c). */
int bt_docx_reference(const char *path, bt_docx_opts *o, bt_docx_prepared *p,
                      bt_error *err);

/* ---- words of the page furniture (docx_opts.c) ---- */


/* ---- the writer (docx.c) and its parts ---- */

/* One embedded image, in the media spool. */
typedef struct bt_docx_media {
    size_t off, len;
    bt_image_info info;
    char *path; /* as opened, so that a photo shown twice is stored once */
} bt_docx_media;

struct bt_docx {
    bt_docx_opts opts;
    char *font, *reference_doc, *lang_opt;
    bt_docx_prepared own;        /* when opts came unprepared */
    const bt_docx_prepared *prep;
    bt_docx_page page;
    bt_spool body, toc, rels, media;
    bt_xw xbody, xtoc, xrels;
    size_t narticles;
    size_t nnumbered;  /* numbered lists so far: numIds 2 … */
    size_t nlinks;     /* hyperlink relationships so far */
    size_t ndrawings;  /* wp:docPr ids so far */
    bt_docx_media *mediav; /* embedded images, in order */
    size_t nmedia, media_cap;
    size_t nsections;  /* section heads so far (bt_docx_section) */
    int after_head;    /* a section head was just written: no page break */
    char lang[16];     /* of the first article: "vi-VN" */
    char *title, *byline, *when; /* of the first article, for core.xml */
    bt_buf scratch;
};

/* Runs of inline text into x (hyperlinks become relationships); extra
 * adds BT_STYLE_* bits to every run. */
int bt_docx_runs(bt_docx *d, bt_xw *x, const bt_text *t, unsigned extra,
                 const char *lang);
void bt_docx_para_start(bt_xw *x, const char *style, int page_break, int keep_next);
/* One paragraph of plain text in a style. */
void bt_docx_plain_para(bt_xw *x, const char *style, const char *text, const char *lang);
/* The document's language as Word writes it ("vi-VN"): the first
 * article's. */
const char *bt_docx_lang(const bt_docx *d);
/* The furniture words for an article's language (d's --lang first). */
const bt_words *bt_docx_furniture(const bt_docx *d, const char *lang);
/* Records a notice about a figure. */
void bt_docx_notify(bt_docx *d, bt_docx_notice kind, const char *src, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A figure: the image when it can be embedded, then the caption
 * (docx_image.c). */
int bt_docx_figure(bt_docx *d, const bt_block *b, const char *lang);
/* A table, its caption first (docx_table.c). */
int bt_docx_table(bt_docx *d, const bt_block *b, const char *lang);

/* Zips the package (docx_package.c); frees nothing. */
int bt_docx_package(bt_docx *d, FILE *out, bt_error *err);

#endif
