/* Common includes for the cmocka unit tests, and the helpers they share
 * (tests/unit/unit.c, linked into every test). */
#ifndef BT_UNIT_H
#define BT_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bantin.h"
#include "fe.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- files and the corpus ---- */

/* The bytes of a file, NUL-terminated and malloc'd, *len their count;
 * NULL when it cannot be opened (a corpus file that is not there). */
char *unit_read_file(const char *path, size_t *len);

/* The path of SUB in the shared corpus: ../shared/corpus from the top of
 * the checkout (where tests/run.sh runs the tests), or $BANTIN_CORPUS.
 * In a static buffer, good until the next call. */
const char *unit_corpus(const char *sub);

/* s[0, len) is UTF-8 as utf8proc, an independent reader, reads it. */
int unit_valid_utf8(const char *s, size_t len);

/* ---- articles ---- */

/* The article the DOCX and PDF tests print: lang, date, byline set, the
 * title given, no blocks yet. */
void unit_sample_article(bt_article *a, const char *title);

/* bt_writer's document of the n articles into f. */
void unit_write_articles(FILE *f, const bt_article *arts, size_t n);

/* The same document in memory (malloc'd, NUL-terminated). */
char *unit_articles_xml(const bt_article *arts, size_t n);

/* The first article of the document xml[0, len) into *a, initialised
 * here: what bt_reader_next returns (-1 when the reader does not open). */
int unit_read_first(const char *xml, size_t len, bt_article *a, bt_error *err);

/* ---- inputs ---- */

/* Appends to w a WARC/1.0 response record for uri holding the HTTP
 * message http[0, len). */
void unit_warc_response(bt_buf *w, const char *uri, const char *http, size_t len);

#endif
