/*
 * bantin.h — the public interface of libbantin.
 *
 * libbantin is everything the bantin tools share: the article model, the
 * streaming reader and writer of the article XML format (version 1),
 * Vietnamese text handling, date parsing, page extraction, and the DOCX,
 * PDF and search back ends.  The tools in cmd/ only parse options and wire
 * these calls together.
 *
 * Conventions: functions that can fail return 0 on success and -1 on
 * failure, filling a bt_error when one is given.  Every string in the
 * model is NUL-terminated UTF-8 in NFC, owned by the structure holding it.
 */
#ifndef BANTIN_H
#define BANTIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BT_VERSION "0.1.0"
#define BT_FORMAT_VERSION "1"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* One human-readable line, already prefixed with "file:line:col: " where a
 * position is known.  The tool adds its own name in front. */
typedef struct bt_error {
    char msg[1024];
} bt_error;

void bt_error_set(bt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bt_error_clear(bt_error *err);

/* ------------------------------------------------------------------ */
/* Growable byte buffer (like git's strbuf). Always NUL-terminated.    */
/* ------------------------------------------------------------------ */

typedef struct bt_buf {
    char *data; /* NULL until the first add */
    size_t len;
    size_t cap;
} bt_buf;

#define BT_BUF_INIT {NULL, 0, 0}

int bt_buf_grow(bt_buf *b, size_t extra);
int bt_buf_add(bt_buf *b, const void *data, size_t len);
int bt_buf_adds(bt_buf *b, const char *s);
int bt_buf_addc(bt_buf *b, char c);
int bt_buf_addf(bt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bt_buf_reset(bt_buf *b); /* len = 0, keeps memory */
void bt_buf_free(bt_buf *b);
/* Hands the data over to the caller (never NULL on success: "" when empty). */
char *bt_buf_detach(bt_buf *b);

/* strdup/strndup that return NULL only when out of memory (NULL in => NULL out). */
char *bt_strdup(const char *s);
char *bt_strndup(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* The article model                                                   */
/* ------------------------------------------------------------------ */

/* Inline text: a run of spans, each with its styles and an optional link. */
enum { BT_STYLE_EM = 1u << 0, BT_STYLE_STRONG = 1u << 1 };

typedef struct bt_span {
    char *text;
    unsigned style; /* BT_STYLE_* bits */
    char *href;     /* NULL unless the span is inside <a href> */
} bt_span;

typedef struct bt_text {
    bt_span *spans;
    size_t nspans;
    size_t cap;
} bt_text;

typedef enum bt_block_kind {
    BT_BLOCK_P,      /* <p> */
    BT_BLOCK_H,      /* <h> */
    BT_BLOCK_QUOTE,  /* <quote> */
    BT_BLOCK_LIST,   /* <list><item>…</item></list> */
    BT_BLOCK_FIGURE, /* <figure src><caption>…</caption></figure> */
} bt_block_kind;

typedef struct bt_block {
    bt_block_kind kind;
    bt_text text;    /* P, H, QUOTE; FIGURE: the caption (may be empty) */
    bt_text *items;  /* LIST */
    size_t nitems;
    size_t items_cap;
    int numbered;    /* LIST: 1 for <list type="number">, else bullets */
    char *src;       /* FIGURE: image address, may be NULL */
} bt_block;

typedef struct bt_link {
    char *href; /* may be NULL */
    char *text;
} bt_link;

typedef struct bt_article {
    char id[17];       /* 16 lowercase hex digits + NUL; "" until computed */
    char *lang;        /* "vi", … or NULL */
    bt_text title;
    char *date_text;   /* as printed, or NULL */
    char *date_when;   /* ISO 8601 (with offset) or YYYY-MM-DD, or NULL */
    char *byline;
    char *source_href;
    char *source_file;
    char *source_name; /* site name: element text of <source> */
    bt_block *blocks;
    size_t nblocks;
    size_t blocks_cap;
    bt_link *related;
    size_t nrelated;
    size_t related_cap;
} bt_article;

void bt_article_init(bt_article *a);
void bt_article_free(bt_article *a); /* frees members, leaves *a initialised */

int bt_text_add(bt_text *t, const char *text, size_t len, unsigned style,
                const char *href);
int bt_text_set_plain(bt_text *t, const char *text); /* replaces content */
void bt_text_free(bt_text *t);
/* The text without markup, appended to out. */
int bt_text_plain(const bt_text *t, bt_buf *out);
int bt_text_is_empty(const bt_text *t);

/* Appends a block of the given kind and returns it (NULL: out of memory). */
bt_block *bt_article_add_block(bt_article *a, bt_block_kind kind);
/* For LIST blocks: appends an empty item and returns it. */
bt_text *bt_block_add_item(bt_block *b);
int bt_article_add_para(bt_article *a, bt_block_kind kind, const char *text);
int bt_article_add_related(bt_article *a, const char *href, const char *text);

/* Plain text of the title (malloc'd, NULL when out of memory). */
char *bt_article_title_plain(const bt_article *a);
/* All body text, blocks separated by "\n\n", appended to out. */
int bt_article_body_plain(const bt_article *a, bt_buf *out);

/* Sets a->id: a stable hash of the title, the date and the body text,
 * whitespace runs collapsed, so the same content gives the same id. */
int bt_article_compute_id(bt_article *a);

/* ------------------------------------------------------------------ */
/* Reading the article format (streaming, constant memory)             */
/* ------------------------------------------------------------------ */

typedef struct bt_reader bt_reader;

/* path "-" or NULL reads standard input; name is what errors call it. */
bt_reader *bt_reader_open_file(const char *path, bt_error *err);
bt_reader *bt_reader_open_fd(int fd, const char *name, bt_error *err);
bt_reader *bt_reader_open_memory(const char *data, size_t len,
                                 const char *name, bt_error *err);
/* 1: *out holds the next article (call bt_article_free when done);
 * 0: end of input; -1: error (err says "name:line:col: what"). */
int bt_reader_next(bt_reader *r, bt_article *out, bt_error *err);
void bt_reader_close(bt_reader *r);

/* ------------------------------------------------------------------ */
/* Writing the article format                                          */
/* ------------------------------------------------------------------ */

typedef struct bt_writer bt_writer;

/* Writes to an open stream; the stream stays the caller's. */
bt_writer *bt_writer_open(FILE *out, bt_error *err);
/* Cleans every string on the way out: NFC, no characters XML 1.0 forbids,
 * no stray U+FEFF.  Computes the id when a->id is empty. */
int bt_writer_article(bt_writer *w, const bt_article *a, bt_error *err);
/* Ends the document; returns -1 if anything failed to write. */
int bt_writer_close(bt_writer *w, bt_error *err);

/* ------------------------------------------------------------------ */
/* Unicode and Vietnamese text (lib/vntext.c)                          */
/* ------------------------------------------------------------------ */

/* Appends s cleaned for storage: invalid UTF-8 replaced by U+FFFD,
 * NFC, characters XML 1.0 forbids and U+FEFF dropped.  Nothing else
 * changes (spelling, spaces and case are kept). */
int bt_text_clean(const char *s, size_t len, bt_buf *out);
/* Appends s with every run of white space (including U+00A0 and other
 * Unicode spaces) collapsed to one ASCII space, trimmed at both ends. */
int bt_text_collapse_space(const char *s, size_t len, bt_buf *out);

typedef enum bt_fold_mode {
    BT_FOLD_EXACT,     /* NFC only */
    BT_FOLD_TONES,     /* NFC, one canonical tone-mark placement (ủy = uỷ) */
    BT_FOLD_CASE,      /* FOLD_TONES + case folding */
    BT_FOLD_BASE,      /* FOLD_CASE + all diacritics removed, đ → d */
    BT_FOLD_BASE_KEEPCASE, /* diacritics removed, đ → d, Đ → D, case kept */
} bt_fold_mode;

/* Appends the folded form of s.  offsets, when not NULL, receives for
 * each output byte the offset of the input byte it came from (so a match
 * in the folded text can be shown in the original); *offsets is malloc'd. */
int bt_fold(const char *s, size_t len, bt_fold_mode mode, bt_buf *out,
            size_t **offsets);
/* 1 when s holds a letter with a Vietnamese (or any) diacritic or đ/Đ. */
int bt_has_diacritics(const char *s, size_t len);
/* 1 when s has an upper-case letter. */
int bt_has_upper(const char *s, size_t len);
/* Lowercase ASCII slug: diacritics removed, đ → d, words joined by '-',
 * cut at a word boundary at most max_len bytes long; "" becomes
 * "article". */
int bt_slug(const char *s, size_t max_len, bt_buf *out);

/* ------------------------------------------------------------------ */
/* Character encodings (lib/encoding.c)                                */
/* ------------------------------------------------------------------ */

/* Decodes a whole input to UTF-8: a BOM (UTF-8, UTF-16LE/BE) wins; valid
 * UTF-8 is kept; otherwise Windows-1258 or TCVN3 is chosen by how
 * Vietnamese the result looks.  forced (an iconv name, or NULL) skips the
 * guess.  Fails with "name: cannot decode as …: invalid byte at offset N"
 * when nothing fits.  *detected (may be NULL) gets a static name. */
int bt_decode(const char *data, size_t len, const char *forced,
              const char *name, bt_buf *out, const char **detected,
              bt_error *err);

/* ------------------------------------------------------------------ */
/* Dates (lib/date.c)                                                  */
/* ------------------------------------------------------------------ */

typedef struct bt_date {
    int year, month, day;
    int hour, minute, second;
    int has_time;
    size_t start, end; /* byte span of the date in the parsed text */
} bt_date;

/* Checks and normalises a UTC offset: "+07:00", "+0700", "+7", "-05:30",
 * "Z", "UTC" → "+07:00" style (out must hold 7 bytes). */
int bt_tz_parse(const char *s, char out[7]);

/* Finds a news date in a short line of text (a dateline such as
 * "12/07/2023 - 01:01 PM", "Thứ tư, 12/7/2023, 13:01 (GMT+7)",
 * "Cập nhật: 08:30 | 05/09/2023", "Ngày 5 tháng 9 năm 2023",
 * "2023-07-12T13:01:00+07:00", "20201101").  Returns 1 when found, 0
 * when the text holds no date, and fills *d. */
int bt_date_find(const char *s, size_t len, bt_date *d);
/* 1 when the whole line is a dateline: a date plus only weekday names,
 * labels ("Cập nhật", "Đăng lúc", …), times, zones and punctuation. */
int bt_date_line(const char *s, size_t len, bt_date *d);
/* Writes "YYYY-MM-DDTHH:MM:SS+07:00" (tz from bt_tz_parse) or
 * "YYYY-MM-DD" when the date has no time.  out holds at least 32 bytes. */
void bt_date_format_when(const bt_date *d, const char *tz, char out[32]);

/* ------------------------------------------------------------------ */
/* Page extraction (lib/textpage.c, lib/htmlpage.c)                    */
/* ------------------------------------------------------------------ */

typedef struct bt_extract_opts {
    const char *encoding; /* forced input encoding, or NULL to detect */
    const char *tz;       /* "+07:00" when NULL */
    const char *lang;     /* "vi" when NULL */
    const char *name;     /* the input's name for source/@file and errors */
    const char *url;      /* page URL when known from outside (WARC), or NULL */
} bt_extract_opts;

/* A plain-text news page (already decoded: pass bytes, it decodes). */
int bt_textpage_extract(const char *data, size_t len,
                        const bt_extract_opts *opts, bt_article *out,
                        bt_error *err);

/* ------------------------------------------------------------------ */
/* Safe output files and tool helpers (lib/outfile.c, lib/cli.c)        */
/* ------------------------------------------------------------------ */

/* A file written under a temporary name beside its target and renamed
 * into place by bt_outfile_commit; bt_outfile_abort removes it.  A path of
 * "-" or NULL writes standard output directly. */
typedef struct bt_outfile bt_outfile;
bt_outfile *bt_outfile_open(const char *path, bt_error *err);
FILE *bt_outfile_stream(bt_outfile *o);
const char *bt_outfile_temp_path(bt_outfile *o); /* NULL for stdout */
int bt_outfile_commit(bt_outfile *o, bt_error *err);
void bt_outfile_abort(bt_outfile *o);

/* Makes DIR (and parents) when missing. */
int bt_mkdir_p(const char *dir, bt_error *err);
/* Reads a whole file ("-" = stdin) into out, refusing more than max bytes. */
int bt_read_file(const char *path, size_t max, bt_buf *out, bt_error *err);

/* Output file names for -d DIR: "YYYY-MM-DD-slug.EXT" (date from
 * date_when, "undated" when none), made unique within one run. */
typedef struct bt_namer bt_namer;
bt_namer *bt_namer_new(void);
/* Appends the unique file name (no directory) for a to out. */
int bt_namer_name(bt_namer *n, const bt_article *a, const char *ext,
                  bt_buf *out);
void bt_namer_free(bt_namer *n);

/* Tool conventions. */
void bt_cli_init(const char *prog);        /* sets the name used in messages */
const char *bt_cli_prog(void);
void bt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bt_print_version(void);                /* "prog (bantin) X.Y.Z" */
/* A progress bar on stderr when it is a terminal and not quiet. */
typedef struct bt_progress bt_progress;
bt_progress *bt_progress_new(const char *what, size_t total, int quiet);
void bt_progress_step(bt_progress *p, size_t done);
void bt_progress_done(bt_progress *p);
/* Walks a directory tree in sorted order, calling fn for each regular
 * file; returns the first non-zero result of fn, or -1 on error. */
int bt_walk_dir(const char *dir, int (*fn)(const char *path, void *ctx),
                void *ctx, bt_error *err);

/* ------------------------------------------------------------------ */
/* DOCX writer (lib/docx.c) — see issue 4                              */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* PDF typesetter (lib/pdf.c) — see issue 3                            */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* Search matcher (lib/match.c) — see issue 5                          */
/* ------------------------------------------------------------------ */

#ifdef __cplusplus
}
#endif

#endif /* BANTIN_H */
