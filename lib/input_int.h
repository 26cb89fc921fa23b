/* Private to the input readers (input.c, input_zip.c, input_warc.c). */
#ifndef BT_INPUT_INT_H
#define BT_INPUT_INT_H

#include "internal.h"

#include <stdio.h>
#include <zlib.h>

enum {
    BT_MAX_DEPTH = 2,        /* archives inside archives, at most this deep */
    BT_SRC_CHUNK = 1 << 16,
};

/* Where the articles and problems of one input go. */
typedef struct bt_input_ctx {
    const bt_extract_opts *opts;
    bt_article_fn on_article;
    bt_problem_fn on_problem;
    void *ctx;
    size_t max_page;
} bt_input_ctx;

/* Reports a problem: "fmt…" formatted, failed = 1 for a failure. */
void bt_input_problem(const bt_input_ctx *c, int failed, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One page or archive in memory.  name labels messages; file (may be
 * NULL: name) goes to source/@file; url (may be NULL) is the page's
 * address.  Returns 0, -1 (err) or the stop value of on_article. */
int bt_input_memory(const bt_input_ctx *c, const char *name, const char *file,
                    const char *url, const char *data, size_t len, int depth,
                    bt_error *err);

/* A byte stream: bytes already read (pre), then a file or memory,
 * optionally gunzipped (every gzip member in turn, as .warc.gz has one
 * per record). */
typedef struct bt_src {
    FILE *f;
    const unsigned char *mem;
    size_t memlen, mempos;
    const unsigned char *pre;
    size_t prelen, prepos;
    int gz, zinit, zend, raw_eof;
    z_stream zs;
    unsigned char *zin;      /* BT_SRC_CHUNK bytes when gz */
    unsigned char *back;     /* bytes given back (bt_src_unread), read first */
    size_t backlen, backpos;
    const char *error;       /* why reading failed, or NULL */
    unsigned long long out;  /* bytes delivered so far */
} bt_src;

/* Sets up a source (gz: gunzip it).  -1: out of memory. */
int bt_src_init(bt_src *s, FILE *f, const void *mem, size_t memlen,
                const void *pre, size_t prelen, int gz);
/* Reads up to n bytes: > 0 read, 0 at the end, -1 on error (s->error). */
long bt_src_read(bt_src *s, void *buf, size_t n);
/* Gives bytes back: the next reads return them first.  -1: OOM. */
int bt_src_unread(bt_src *s, const void *data, size_t len);
void bt_src_free(bt_src *s);

/* Zip archives (input_zip.c): from a file path, or from memory. */
int bt_zip_read(const bt_input_ctx *c, const char *name, const char *path,
                const char *data, size_t len, int depth, bt_error *err);
/* WARC records from a source (input_warc.c); the source starts at a record. */
int bt_warc_read(const bt_input_ctx *c, const char *name, bt_src *src,
                 int depth, bt_error *err);

#endif
