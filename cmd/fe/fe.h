/*
 * The tools' front end: what every bantin tool does the same way, kept
 * out of libbantin (libarchive's libarchive_fe/, curl's src/ helpers).
 * The tools link it statically; `make install` does not install it and
 * it is no part of the library's API.  It uses only bantin.h.
 *
 * The one piece of global state is the program's name (fe_init), so that
 * every message is "prog: what".
 */
#ifndef BT_FE_H
#define BT_FE_H

#include "bantin.h"

#include <stdio.h>

/* ---- messages (fe_cli.c) ---- */

/* Takes the program's name from argv[0]. */
void fe_init(const char *argv0);
const char *fe_prog(void);
/* "prog: what" on stderr (clearing a progress bar first). */
void fe_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* err's message, as fe_warn. */
void fe_error(const bt_error *err);
/* For a bad command line: "prog: what" and "Try 'prog --help' for more
 * information."; returns 2, the exit status for it. */
int fe_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What getopt_long's ':' (a value missing) and '?' (an unknown option)
 * mean, as fe_usage_error says it; the optstring starts with ':' and
 * opterr is 0, so that getopt says nothing itself.  Returns 2. */
int fe_option_error(int c, char *const argv[]);
/* "prog (bantin) X.Y.Z" and the format version, on stdout. */
void fe_version(void);
/* The name messages use for a path: "(standard input)" for "-" or NULL. */
const char *fe_name(const char *path);
/* SOURCE_DATE_EPOCH when set and valid, else -1 (a bad one is warned
 * about once). */
long long fe_source_date_epoch(void);

/* ---- option values (fe_args.c) ---- */

/* A size: "120", "64K", "512M", "8G" (powers of two).  0, or -1 when s
 * is not one (or is 0). */
int fe_parse_size(const char *s, unsigned long long *out);
/* A count: "50000000", "50M", "2G", "500k" (powers of ten).  0 or -1. */
int fe_parse_count(const char *s, unsigned long long *out);
/* 1 for an ISO 639-1 code, optionally with a region or script ("vi",
 * "en-US"). */
int fe_known_lang(const char *s);

/* ---- progress bar (fe_progress.c) ---- */

/* A bar on stderr when it is a terminal and quiet is 0; NULL otherwise,
 * and every call below accepts NULL.  total 0: a count without a bar. */
typedef struct fe_progress fe_progress;
fe_progress *fe_progress_new(const char *what, size_t total, int quiet);
void fe_progress_step(fe_progress *p, size_t done);
void fe_progress_done(fe_progress *p);

/* ---- walking directories (fe_walk.c) ---- */

/* What a walk does with the symbolic links it meets: passes over them and
 * counts them (as grep -r and ripgrep do), or with follow treats each as
 * the file or directory it names (--follow; a link back to a directory
 * the walk is inside is passed over with a notice, a broken one is given
 * to fn like any file, for it to fail on). */
typedef struct fe_walk_opts {
    int follow;
    size_t links_skipped;
} fe_walk_opts;

/* Calls fn for each regular file under dir, in sorted order (so output does
 * not depend on the file system).  Returns the first non-zero result of
 * fn, or -1 with err. */
int fe_walk(const char *dir, fe_walk_opts *o, int (*fn)(const char *path, void *ctx),
            void *ctx, bt_error *err);
/* One notice for the links passed over, if any: a tree of links made
 * with cp -s would otherwise give an empty result and not a word. */
void fe_walk_notice(const fe_walk_opts *o);
/* ripgrep's -g rules for a path rel (relative to the directory walked):
 * "GLOB" includes, "!GLOB" excludes; a glob without '/' is matched
 * against the file's name (an exclude also against each directory above
 * it), one with '/' against rel; the last glob that matches decides; a
 * file no glob matches is kept unless some glob includes. */
int fe_glob_keep(char *const *globs, size_t n, const char *rel);
/* Makes dir and its parents when missing; fails when it is not a
 * directory. */
int fe_mkdir_p(const char *dir, bt_error *err);

/* ---- output files (fe_outfile.c) ---- */

enum {
    /* The output is binary (PDF, DOCX): refuse a terminal, and send it to
     * standard output, a FIFO or a device only once it is complete. */
    FE_OUT_BINARY = 1u << 0,
};

/* An output that never leaves a truncated or clobbered file:
 *  - "-" or NULL is standard output;
 *  - a path that exists and is not a regular file (a device, a FIFO, a
 *    socket, /dev/stdout) is written straight into;
 *  - a symbolic link is followed: the file it points at is replaced, the
 *    link stays;
 *  - a regular file (or a new one) is written under a temporary name
 *    beside it and renamed into place by fe_out_commit; an existing file
 *    keeps its mode (and owner and group where allowed), a new one gets
 *    0666 & ~umask;
 *  - with FE_OUT_BINARY, what does not go to a regular file is spooled to
 *    an unnamed temporary file and copied out by fe_out_commit, so a
 *    failed run sends nothing.
 * fe_out_abort drops what was written wherever that is possible. */
typedef struct fe_out fe_out;
fe_out *fe_out_open(const char *path, unsigned flags, bt_error *err);
FILE *fe_out_stream(fe_out *o);
/* What messages call the output. */
const char *fe_out_name(const fe_out *o);
int fe_out_commit(fe_out *o, bt_error *err);
void fe_out_abort(fe_out *o);
/* The folder an output file goes into (where files it refers to are
 * put): "." for standard output under any name, a device, a FIFO or a
 * bare name.  NULL: out of memory. */
char *fe_out_dir(const char *output);

/* ---- file names for -d DIR (fe_namer.c) ---- */

/* "YYYY-MM-DD-slug.EXT" (the day from the article's date, "undated" when
 * it has none), made unique within one run with "-2", "-3", … */
typedef struct fe_namer fe_namer;
fe_namer *fe_namer_new(void);
/* Appends the file name (no directory) for a to out. */
int fe_namer_name(fe_namer *n, const bt_article *a, const char *ext, bt_buf *out);
void fe_namer_free(fe_namer *n);

/* ---- a printer's inputs (fe_inputs.c) ---- */

/* The files named on the command line, in order ("-", or none at all:
 * standard input).  quiet silences the notices and the bar. */
typedef struct fe_inputs fe_inputs;
fe_inputs *fe_inputs_new(char *const *names, size_t n, int quiet, bt_error *err);
void fe_inputs_free(fe_inputs *in);
/* Called for the k-th article (from 0): 0 to go on, -1 to fail with err. */
typedef int (*fe_article_fn)(bt_article *a, size_t k, void *ctx, bt_error *err);
/* Calls fn for each article of each input, in order, one pass, with
 * figure srcs made relative to the input's directory
 * (bt_article_resolve_figures). */
int fe_inputs_each(fe_inputs *in, fe_article_fn fn, void *ctx, bt_error *err);
/* How many articles the inputs hold, for a progress bar: counted with the
 * library's splitter (no parsing) when every input is a regular file;
 * 0 when it cannot tell (standard input, a pipe, gzip). */
size_t fe_inputs_count(fe_inputs *in);
/* Reads every input into a finished selection (see bt_select_new), with
 * a notice for the duplicates left out.  NULL on error. */
bt_select *fe_inputs_select(fe_inputs *in, const bt_select_opts *o, bt_error *err);
/* Calls fn for each article of a finished, storing selection, in order. */
int fe_select_each(bt_select *s, fe_article_fn fn, void *ctx, bt_error *err);

/* ---- what a printer does with its articles (fe_print.c) ---- */

/* Where the articles go: a section head (NULL: not wanted; name NULL: the
 * articles without a section), then each article. */
typedef struct fe_sink {
    int (*section)(void *ctx, const char *name, bt_error *err);
    int (*article)(void *ctx, const bt_article *a, bt_error *err);
    void *ctx;
} fe_sink;

/* The inputs' articles as the selection options say: sorted or grouped
 * (read whole into a selection first, and then as many passes as a
 * two-pass printer needs), or streamed in input order in one pass; each
 * story once unless o->keep_duplicates, with one notice of how many
 * copies were left out (none when quiet). */
typedef struct fe_print fe_print;
fe_print *fe_print_new(fe_inputs *in, const bt_select_opts *o, int quiet, bt_error *err);
/* One pass of the articles to sink; *sent gets how many went. */
int fe_print_run(fe_print *p, const fe_sink *sink, size_t *sent, bt_error *err);
void fe_print_free(fe_print *p);
/* "nothing to VERB: no articles in the input"; returns 1, the exit status
 * for it. */
int fe_nothing_to_print(const char *verb);

/* One document of the articles, to output (fe_out, FE_OUT_BINARY): a
 * pass to layout before the output opens (NULL: none), then start with
 * the output's stream, a pass to draw (NULL: none), finish (the document
 * complete in f, and freed); drop frees what is left of it on any path.
 * A pass that sends no article ends with fe_nothing_to_print(verb).
 * Returns the exit status: 0, 1, or 2 once the error is told. */
typedef struct fe_doc_job {
    const char *output, *verb;
    const fe_sink *layout;
    int (*start)(void *ctx, FILE *f, bt_error *err);
    const fe_sink *draw;
    int (*finish)(void *ctx, FILE *f, bt_error *err);
    void (*drop)(void *ctx);
    void *ctx;
} fe_doc_job;
int fe_print_doc(fe_inputs *in, const bt_select_opts *o, int quiet, const fe_doc_job *job);

/* -d DIR: each article in a file of its own, DIR/YYYY-MM-DD-slug.EXT
 * (fe_namer; DIR made when missing), written into f by write and then
 * committed (fe_out, FE_OUT_BINARY); one pass in input order, each story
 * once unless o->keep_duplicates, a progress bar when someone watches.
 * Returns the exit status: 0, 1 when nothing was written
 * (fe_nothing_to_print(verb)), 2 once the error is told. */
typedef struct fe_dir_job {
    const char *dir, *ext, *verb;
    int (*write)(void *ctx, const bt_article *a, FILE *f, bt_error *err);
    void *ctx;
} fe_dir_job;
int fe_print_dir(fe_inputs *in, const bt_select_opts *o, int quiet, const fe_dir_job *job);

#endif
