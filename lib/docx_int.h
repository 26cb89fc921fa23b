/* Private to the DOCX writer (lib/docx*.c): XML writing helpers and the
 * generated parts that do not depend on the articles. */
#ifndef BT_DOCX_INT_H
#define BT_DOCX_INT_H

#include <libxml/xmlwriter.h>

#include "internal.h"

/* WordprocessingML and package namespaces. */
#define BT_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define BT_NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define BT_NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define BT_REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

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

void bt_xw_decl(bt_xw *x); /* <?xml … standalone="yes"?> */
void bt_xw_start(bt_xw *x, const char *name);
void bt_xw_end(bt_xw *x);
void bt_xw_attr(bt_xw *x, const char *name, const char *value);
void bt_xw_attrf(bt_xw *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* <name w:val="val"/>, or <name/> when val is NULL. */
void bt_xw_val(bt_xw *x, const char *name, const char *val);
void bt_xw_vali(bt_xw *x, const char *name, long val);
/* Element text, cleaned: invalid UTF-8 becomes U+FFFD and characters
 * XML 1.0 forbids are dropped. */
void bt_xw_text(bt_xw *x, const char *s, size_t len);
/* The cleaning alone, appended to out. */
int bt_docx_clean(const char *s, size_t len, bt_buf *out);

/* word/styles.xml for the options and the main language ("vi-VN"). */
int bt_docx_styles_xml(const bt_docx_opts *o, const char *lang, bt_buf *out);
/* word/numbering.xml: num 1 is bullets, nums 2 … nnumbered+1 are numbered
 * lists, each restarting at 1. */
int bt_docx_numbering_xml(size_t nnumbered, bt_buf *out);
/* word/settings.xml; update_fields asks Word to fill the table of contents. */
int bt_docx_settings_xml(int update_fields, const char *lang, bt_buf *out);

/* Reads a reference .docx: replaces *styles (ours) with its styles, ours
 * added where it lacks a style id we use, and takes its page size and
 * margins into o where o does not set them. */
int bt_docx_reference(const char *path, bt_docx_opts *o, bt_buf *styles,
                      bt_error *err);

#endif
