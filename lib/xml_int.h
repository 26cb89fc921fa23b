/* Private to the article format's reader (xml_read.c), the byte stream
 * under it (xml_docs.c) and newsgrep's splitter (xml_split.c, over
 * xml_map.c). */
#ifndef BT_XML_INT_H
#define BT_XML_INT_H

#include "internal.h"

/* A regular file read through one mapping of all of it: see xml_map.c.
 * open: NULL when it cannot be mapped (the caller reads it instead).
 * advance: the reader now reads [keep, end) and nothing before keep
 * (a hint: any byte can still be read).  threaded: a helper thread does
 * the paging (for the tests). */
typedef struct bt_filemap bt_filemap;
bt_filemap *bt_filemap_open(int fd, unsigned long long size);
const char *bt_filemap_data(const bt_filemap *m);
void bt_filemap_advance(bt_filemap *m, unsigned long long keep, unsigned long long end);
int bt_filemap_threaded(const bt_filemap *m);
void bt_filemap_close(bt_filemap *m);

/* A byte stream cut into XML documents: see xml_docs.c. */
typedef struct bt_xml_docs bt_xml_docs;

/* Reads fd (plain or gzip'd; fd stays the caller's).  NULL: out of memory
 * or no descriptor. */
bt_xml_docs *bt_xml_docs_fd(int fd);
/* Reads data[0, len) (kept by the caller while the stream lives). */
bt_xml_docs *bt_xml_docs_memory(const char *data, size_t len);
void bt_xml_docs_free(bt_xml_docs *d);

/* libxml2's input callback (xmlInputReadCallback): the current document's
 * bytes, then 0 once its root element has ended; -1 at a DOCTYPE or when
 * reading failed. */
int bt_xml_docs_read(void *ctx, char *buf, int len);
/* Moves to the next document, skipping white space: 1 when one starts
 * (first[0, *nfirst) gets up to BT_XML_PEEK of its first bytes), 0 at the
 * end of the input, -1 when reading failed (bt_xml_docs_error). */
enum { BT_XML_PEEK = 128 };
int bt_xml_docs_start(bt_xml_docs *d, unsigned char first[BT_XML_PEEK], size_t *nfirst);

/* What a document that does not start with '<' is, in words, told by
 * its first n bytes (BT_XML_PEEK are enough); NULL when it is XML for the
 * parser to judge.  The reader and newsgrep's splitter say the same. */
const char *bt_xml_not_document(const unsigned char *p, size_t n);

/* The value of attribute name in the tag [p, e), copied to out (white
 * space normalised as XML does): 1, or 0 when it has none. */
int bt_xml_tag_attr(const char *p, const char *e, const char *name, char *out, size_t outlen);
/* 1 when [p, e) starts with an XML declaration naming an encoding other
 * than UTF-8, copied to enc: the format is UTF-8, and libxml2 would
 * convert from it (printing its own messages when that fails). */
int bt_xml_foreign_encoding(const char *p, const char *e, char enc[64]);

/* Where the stream is now (1-based line and column of the next byte). */
void bt_xml_docs_where(const bt_xml_docs *d, long *line, long *col);
/* Turns a position inside the current document (as libxml2 counts it,
 * from its first byte) into one in the whole stream. */
void bt_xml_docs_shift(const bt_xml_docs *d, long *line, long *col);
/* 1 while the current document's root has not ended. */
int bt_xml_docs_in_document(const bt_xml_docs *d);
/* 1 when every byte of the input has been handed out. */
int bt_xml_docs_at_end(const bt_xml_docs *d);
/* Why reading failed ("damaged gzip data", an errno string), or NULL. */
const char *bt_xml_docs_error(const bt_xml_docs *d);
/* 1 (and the position) when the stream stopped at a DOCTYPE. */
int bt_xml_docs_doctype(const bt_xml_docs *d, long *line, long *col);

#endif
