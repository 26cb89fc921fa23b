/*
 * bantin.h — the public interface of libbantin, and the whole of it: the
 * shared library exports exactly what this header declares (BT_API), all
 * of it prefixed bt_ or BT_.
 *
 * libbantin is everything the bantin tools share: the article model, the
 * streaming reader and writer of the article format (version 1),
 * Unicode and Vietnamese text, dates, page extraction, and the DOCX, PDF
 * and search back ends.
 *
 * The return convention, everywhere:
 *  - a function returning int returns 0 on success and -1 on failure;
 *  - one that hands out items one at a time (bt_reader_next, …) returns 1
 *    for an item, 0 at the end and -1 on failure;
 *  - one returning a pointer returns NULL on failure;
 *  - on failure the bt_error given (it may be NULL) holds a code saying what
 *    kind of failure it was and one line saying what happened;
 *  - a callback returns 0 to go on, anything else to stop; the function
 *    that called it then fails with BT_ERR_STOPPED.
 * Every string in the model is NUL-terminated UTF-8 in NFC, owned by the
 * structure holding it.
 */
#ifndef BANTIN_H
#define BANTIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(BT_BUILDING_LIB) && defined(__GNUC__)
#define BT_API __attribute__((visibility("default")))
#else
#define BT_API
#endif

#define BT_VERSION "0.2.0"
#define BT_FORMAT_VERSION "1"

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* What kind of failure an error is, so that a caller can tell bad input
 * from a full disk or an exhausted limit. */
typedef enum bt_code {
    BT_OK = 0,
    BT_ERR_INPUT,    /* the input is malformed or not what was expected */
    BT_ERR_IO,       /* reading or writing a file or stream failed */
    BT_ERR_NOMEM,    /* out of memory */
    BT_ERR_LIMIT,    /* a size, depth or work limit was reached */
    BT_ERR_USAGE,    /* an argument or setting that is not allowed */
    BT_ERR_STOPPED,  /* a callback asked to stop */
    BT_ERR_INTERNAL, /* a bug in libbantin */
} bt_code;

/* One human-readable line, prefixed with "file:line:col: " or "file: "
 * where the input is known (standard input is "(standard input)").  A
 * tool adds its own name in front. */
typedef struct bt_error {
    bt_code code;
    char msg[1024];
} bt_error;

#define BT_ERROR_INIT {BT_OK, ""}

BT_API void bt_error_set(bt_error *err, bt_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "NAME: out of memory" (NAME may be NULL), code BT_ERR_NOMEM. */
BT_API void bt_error_nomem(bt_error *err, const char *name);
BT_API void bt_error_clear(bt_error *err);
/* "input", "I/O", "out of memory", … */
BT_API const char *bt_code_name(bt_code code);

/* ------------------------------------------------------------------ */
/* Growable byte buffer (git's strbuf, with curl's dynbuf size cap)    */
/* ------------------------------------------------------------------ */

/* Invariants: data is never NULL and data[len] is always '\0', so the
 * contents can be used as a C string at any time.  A buffer that has not
 * grown points at a shared, read-only "" (do not write through it before
 * bt_buf_grow).  max, when not 0, caps len: an add that would pass it
 * fails with errno EFBIG and leaves the buffer as it was; an add that
 * cannot get memory fails with errno ENOMEM. */
typedef struct bt_buf {
    char *data;
    size_t len;
    size_t cap; /* 0 while data is the shared "" */
    size_t max; /* 0: no cap */
} bt_buf;

BT_API extern char bt_buf_slop[];
#define BT_BUF_INIT {bt_buf_slop, 0, 0, 0}
#define BT_BUF_INIT_MAX(max) {bt_buf_slop, 0, 0, (max)}

BT_API void bt_buf_init(bt_buf *b, size_t max);
BT_API int bt_buf_grow(bt_buf *b, size_t extra);
BT_API int bt_buf_add(bt_buf *b, const void *data, size_t len);
BT_API int bt_buf_adds(bt_buf *b, const char *s);
BT_API int bt_buf_addc(bt_buf *b, char c);
BT_API int bt_buf_addf(bt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
BT_API void bt_buf_reset(bt_buf *b); /* len = 0, keeps memory */
BT_API void bt_buf_free(bt_buf *b);  /* back to BT_BUF_INIT (max kept) */
/* Hands the data over to the caller (malloc'd, "" when empty; NULL only
 * when out of memory); the buffer is left empty. */
BT_API char *bt_buf_detach(bt_buf *b);
/* Fills err for a failed add to b: "NAME: larger than N bytes"
 * (BT_ERR_LIMIT) or "NAME: out of memory" (BT_ERR_NOMEM), by errno. */
BT_API void bt_error_buf(bt_error *err, const char *name, const bt_buf *b);

/* A set of byte strings (the keys are copied in). */
typedef struct bt_set bt_set;
BT_API bt_set *bt_set_new(void); /* NULL: out of memory */
/* 1 when key was added, 0 when it was there already, -1 out of memory. */
BT_API int bt_set_add(bt_set *s, const void *key, size_t len);
BT_API int bt_set_has(const bt_set *s, const void *key, size_t len);
BT_API size_t bt_set_count(const bt_set *s);
BT_API void bt_set_free(bt_set *s);

/* strdup/strndup that return NULL only when out of memory (NULL in => NULL out). */
BT_API char *bt_strdup(const char *s);
BT_API char *bt_strndup(const char *s, size_t n);

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
    BT_BLOCK_TABLE,  /* <table><caption/><row><cell>…</cell></row></table> */
} bt_block_kind;

/* One cell of a table. */
typedef struct bt_cell {
    bt_text text;
    int header;         /* <cell type="header">: a heading of its row or column */
    unsigned colspan;   /* columns it covers: 1 (0 reads as 1) */
    unsigned rowspan;   /* rows it covers: 1 (0 reads as 1) */
} bt_cell;

typedef struct bt_row {
    bt_cell *cells;
    size_t ncells;
    size_t cells_cap;
} bt_row;

typedef struct bt_block {
    bt_block_kind kind;
    bt_text text;    /* P, H, QUOTE; FIGURE and TABLE: the caption (may be empty) */
    bt_text *items;  /* LIST */
    size_t nitems;
    size_t items_cap;
    int numbered;    /* LIST: 1 for <list type="number">, else bullets */
    char *src;       /* FIGURE: image address, may be NULL */
    unsigned width, height; /* FIGURE: the image's size in pixels, 0: unknown */
    char *media_type; /* FIGURE: "image/jpeg", …, or NULL */
    bt_row *rows;    /* TABLE, in order; a row of header cells heads the table */
    size_t nrows;
    size_t rows_cap;
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
    char *section;     /* the section the page files it under ("Thời sự"), or NULL */
    bt_block *blocks;
    size_t nblocks;
    size_t blocks_cap;
    bt_link *related;
    size_t nrelated;
    size_t related_cap;
} bt_article;

BT_API void bt_article_init(bt_article *a);
BT_API void bt_article_free(bt_article *a); /* frees members, leaves *a initialised */

BT_API int bt_text_add(bt_text *t, const char *text, size_t len, unsigned style,
                const char *href);
BT_API int bt_text_set_plain(bt_text *t, const char *text); /* replaces content */
BT_API void bt_text_free(bt_text *t);
/* The text without markup, appended to out. */
BT_API int bt_text_plain(const bt_text *t, bt_buf *out);
BT_API int bt_text_is_empty(const bt_text *t);

/* Appends a block of the given kind and returns it (NULL: out of memory). */
BT_API bt_block *bt_article_add_block(bt_article *a, bt_block_kind kind);
/* For LIST blocks: appends an empty item and returns it. */
BT_API bt_text *bt_block_add_item(bt_block *b);
/* For TABLE blocks: appends an empty row, and to a row an empty cell
 * (colspan and rowspan 1).  NULL: out of memory. */
BT_API bt_row *bt_block_add_row(bt_block *b);
BT_API bt_cell *bt_row_add_cell(bt_row *r);
BT_API int bt_article_add_para(bt_article *a, bt_block_kind kind, const char *text);
BT_API int bt_article_add_related(bt_article *a, const char *href, const char *text);

/* Plain text of the title (malloc'd, NULL when out of memory). */
BT_API char *bt_article_title_plain(const bt_article *a);
/* All body text, blocks separated by "\n\n", appended to out. */
BT_API int bt_article_body_plain(const bt_article *a, bt_buf *out);

/* Sets a->id: a stable hash of the title, the date and the body text,
 * whitespace runs collapsed, so the same content gives the same id. */
BT_API int bt_article_compute_id(bt_article *a);

/* ------------------------------------------------------------------ */
/* Reading the article format (streaming, constant memory)             */
/* ------------------------------------------------------------------ */

typedef struct bt_reader bt_reader;

/* path "-" or NULL reads standard input; name is what errors call it. */
BT_API bt_reader *bt_reader_open_file(const char *path, bt_error *err);
BT_API bt_reader *bt_reader_open_fd(int fd, const char *name, bt_error *err);
BT_API bt_reader *bt_reader_open_memory(const char *data, size_t len,
                                 const char *name, bt_error *err);
/* Points an open reader at another buffer, keeping its parser (much
 * cheaper than a new reader for each of many small documents). */
BT_API int bt_reader_reset_memory(bt_reader *r, const char *data, size_t len, bt_error *err);
/* 1: *out holds the next article (call bt_article_free when done);
 * 0: end of input; -1: error (err says "name:line:col: what"). */
BT_API int bt_reader_next(bt_reader *r, bt_article *out, bt_error *err);
BT_API void bt_reader_close(bt_reader *r);

/* ------------------------------------------------------------------ */
/* Writing the article format                                          */
/* ------------------------------------------------------------------ */

typedef struct bt_writer bt_writer;

/* Writes one <articles> document to an open stream (which stays the
 * caller's).  Nothing is written before the first article or the close,
 * so a run that fails early can bt_writer_discard and leave the stream
 * untouched. */
BT_API bt_writer *bt_writer_open(FILE *out, bt_error *err);
/* Cleans every string on the way out: NFC, no characters XML 1.0 forbids,
 * no stray U+FEFF.  Whatever the spans hold, the inline markup written is
 * well formed.  Computes the id when a->id is empty. */
BT_API int bt_writer_article(bt_writer *w, const bt_article *a, bt_error *err);
/* Ends the document (an empty one when no article was written). */
BT_API int bt_writer_close(bt_writer *w, bt_error *err);
/* Frees the writer without ending the document: what it still buffers is
 * dropped. */
BT_API void bt_writer_discard(bt_writer *w);

/* ------------------------------------------------------------------ */
/* Unicode and Vietnamese text (lib/text_vn.c)                          */
/* ------------------------------------------------------------------ */

/* Appends s cleaned for storage: each invalid UTF-8 byte replaced by
 * U+FFFD, NFC, characters XML 1.0 forbids (U+0008 …) and U+FEFF dropped.
 * Nothing else changes (spelling, spaces and case are kept).  Text that
 * is already clean NFC is copied without normalising (fast path).  Runs
 * of more than 128 combining marks are normalised piecewise. */
BT_API int bt_text_clean(const char *s, size_t len, bt_buf *out);
/* The same, counting in *invalid the bytes that were not valid UTF-8. */
BT_API int bt_text_clean_count(const char *s, size_t len, bt_buf *out, size_t *invalid);
/* How many bytes at the start of s bt_text_clean would copy unchanged:
 * len when s is already clean (a check that copies nothing). */
BT_API size_t bt_text_clean_prefix(const char *s, size_t len);
/* Appends s with every run of white space (ASCII, U+0085, U+00A0,
 * U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000)
 * collapsed to one ASCII space, trimmed at both ends; U+200B and U+00AD
 * vanish.  Invalid bytes pass through. */
BT_API int bt_text_collapse_space(const char *s, size_t len, bt_buf *out);

typedef enum bt_fold_mode {
    BT_FOLD_EXACT,     /* NFC only */
    BT_FOLD_TONES,     /* NFC, one canonical tone-mark placement (ủy = uỷ) */
    BT_FOLD_CASE,      /* FOLD_TONES + case folding */
    BT_FOLD_BASE,      /* FOLD_CASE + all diacritics removed, đ → d */
    BT_FOLD_BASE_KEEPCASE, /* diacritics removed, đ → d, Đ → D, case kept */
} bt_fold_mode;

/* Appends the folded form of s (invalid bytes become U+FFFD).  The result
 * does not depend on the input's normalisation form (NFD in, same out).
 * TONES moves the tone mark of a syllable whose only vowels are oa, oe
 * or uy onto the second vowel (hòa → hoà, thủy → thuỷ, khỏe → khoẻ);
 * other syllables keep their marks where they are.  BASE modes also map
 * đ/Đ (and ð/Ð, which legacy converters put for them) to d/D.
 * offsets, when not NULL, gets a malloc'd array of (bytes appended + 1)
 * entries: entry k is the offset in s of the character that output byte
 * k came from (a composed letter: its base letter), and the last entry
 * is len, so a match [a, b) in the folded text is s[offsets[a] ..
 * offsets[b]) when b ends a character.  Free it with free(); on failure
 * *offsets is NULL. */
BT_API int bt_fold(const char *s, size_t len, bt_fold_mode mode, bt_buf *out,
            size_t **offsets);
/* 1 when s holds a letter with a Vietnamese (or any) diacritic, a
 * combining mark, or đ/Đ. */
BT_API int bt_has_diacritics(const char *s, size_t len);
/* 1 when s has an upper-case (or title-case) letter, in any script. */
BT_API int bt_has_upper(const char *s, size_t len);
/* Appends a lowercase ASCII slug of the NUL-terminated s: diacritics
 * removed, đ → d, every run of other characters (punctuation, other
 * scripts) one '-', none at either end; cut at a word boundary to at most
 * max_len bytes (0: no limit; a single longer word is cut inside);
 * nothing left becomes "article". */
BT_API int bt_slug(const char *s, size_t max_len, bt_buf *out);

/* ------------------------------------------------------------------ */
/* Character encodings (lib/text_encoding.c)                                */
/* ------------------------------------------------------------------ */

/* Decodes a whole input to UTF-8 (appended to out).  In order:
 *  - forced (an iconv name, or "TCVN3"/"ABC"; NULL or "" to guess) is
 *    used strictly: any invalid byte fails ("UTF-8" is validated);
 *  - a BOM wins: UTF-8 (stripped), UTF-16LE, UTF-16BE;
 *  - NUL bytes at every other position mean UTF-16 without a BOM;
 *  - valid UTF-8 is kept as it is (not even normalised);
 *  - damaged UTF-8 (at least twice as many valid multi-byte sequences as
 *    invalid bytes) is kept with U+FFFD for each invalid byte;
 *  - else Windows-1258 and TCVN3 are tried on the first 256 KB, and the
 *    one in which more non-ASCII words are plausible Vietnamese syllables
 *    wins, if at least half of them are; Windows-1258 also wins when all
 *    it sees outside ASCII is common punctuation (“ ” – € no-break
 *    space), unless TCVN3 reads five or more good words.
 * What was not valid UTF-8 goes through bt_text_clean (NFC, no U+FEFF,
 * no forbidden controls).  Failures: "NAME: cannot decode: invalid byte
 * 0xNN at offset N" (first invalid UTF-8 byte) when nothing fits,
 * "NAME: cannot decode as ENC: invalid byte 0xNN at offset N", "NAME:
 * unknown encoding 'X'".  *detected (may be NULL) gets "UTF-8",
 * "UTF-16LE", "UTF-16BE", "CP1258", "TCVN3", or forced itself. */
BT_API int bt_decode(const char *data, size_t len, const char *forced,
              const char *name, bt_buf *out, const char **detected,
              bt_error *err);

/* ------------------------------------------------------------------ */
/* Dates (lib/date.c)                                                  */
/* ------------------------------------------------------------------ */

/* A calendar date, day-first as Vietnamese writes it.  Day, month and
 * year (1900–2100) are always checked; the time fields are 0 unless
 * has_time. */
typedef struct bt_date {
    int year, month, day;
    int hour, minute, second;
    int has_time;
    char tz[7];        /* "+07:00" when the text names a zone (GMT+7, UTC,
                        * +07:00, Z), else "" (then the caller's --tz) */
    size_t start, end; /* byte span of the date (with its time and zone)
                        * in the parsed text */
} bt_date;

/* Checks and normalises a UTC offset: "+07:00", "+0700", "+7", "-05:30",
 * "Z", "UTC", "GMT+7" → "+07:00" style (out must hold 7 bytes).
 * Returns 0, or -1 (and out = "") for anything else. */
BT_API int bt_tz_parse(const char *s, char out[7]);

/* Finds the first news date in a short text (a dateline such as
 * "12/07/2023 - 01:01 PM", "Thứ tư, 12/7/2023, 13:01 (GMT+7)",
 * "Cập nhật: 08:30 | 05/09/2023", "Ngày 5 tháng 9 năm 2023",
 * "2023-07-12T13:01:00+07:00", "20201101", "18h30 12-07-2023").  A time
 * just before or after the date (spaces, "-", "|", ",", "lúc" between) is
 * attached.  Dates without a year and impossible dates or times are
 * ignored.  Any bytes are safe; cost is linear in len.  Returns 1 when
 * found (and fills *d), 0 when the text holds no date. */
BT_API int bt_date_find(const char *s, size_t len, bt_date *d);
/* 1 when the whole line is a dateline: a date plus only weekday names,
 * labels ("Cập nhật", "Đăng lúc", "Ngày đăng", "Thời gian",
 * "Published", …), times, zones and punctuation.  Lines longer than 200
 * bytes never are.  *d is filled as by bt_date_find. */
BT_API int bt_date_line(const char *s, size_t len, bt_date *d);
/* Writes "YYYY-MM-DDTHH:MM:SS+07:00" or "YYYY-MM-DD" when the date has no
 * time.  The zone is d->tz when the text named one, else tz (anything
 * bt_tz_parse accepts), else "+07:00".  out holds at least 32 bytes. */
BT_API void bt_date_format_when(const bt_date *d, const char *tz, char out[32]);

/* Parses a date given on the command line (newsgrep --since/--until):
 * "2023-07-12", "12/07/2023" (anything bt_date_find reads, filling the
 * whole string), "today", "yesterday", "7d" (7 days before today), "2w".
 * now_epoch and tz (NULL: "+07:00") say what today is.  0 or -1. */
BT_API int bt_date_parse_user(const char *s, long long now_epoch, const char *tz,
                       bt_date *d);
/* Days from 1970-01-01 to the date (negative before), ignoring the time:
 * compare two dates' calendar days with it. */
BT_API long long bt_date_days(const bt_date *d);
/* Reads a when attribute back ("2023-07-12" or
 * "2023-07-12T13:01:00+07:00", also "…Z" or without seconds or zone).
 * 0 or -1. */
BT_API int bt_when_parse(const char *when, bt_date *d);

/* ------------------------------------------------------------------ */
/* Page extraction (lib/page_text.c, lib/page_html.c)                    */
/* ------------------------------------------------------------------ */

typedef struct bt_extract_opts {
    const char *encoding; /* forced input encoding, or NULL to detect */
    const char *tz;       /* "+07:00" when NULL */
    const char *lang;     /* NULL: as the page declares, else guessed from its text */
    const char *name;     /* the input's name for source/@file and errors */
    const char *url;      /* page URL when known from outside (WARC), or NULL */
} bt_extract_opts;

/* A plain-text news page (already decoded: pass bytes, it decodes). */
BT_API int bt_textpage_extract(const char *data, size_t len,
                        const bt_extract_opts *opts, bt_article *out,
                        bt_error *err);

/* Returned by bt_htmlpage_extract for a page that holds no article (a
 * home page, a category list): err says so, *out is to be freed. */
#define BT_NOT_ARTICLE 1

/* An HTML news page (bytes in any charset it declares or that is
 * detected).  Metadata (og:*, JSON-LD NewsArticle, <time>, canonical
 * link) first, then the article's blocks found by scoring, with related
 * boxes, share bars, comments and ads left out.  0: *out holds the
 * article; BT_NOT_ARTICLE; -1: error (err says why). */
BT_API int bt_htmlpage_extract(const char *data, size_t len,
                        const bt_extract_opts *opts, bt_article *out,
                        bt_error *err);

/* ------------------------------------------------------------------ */
/* Inputs of any kind (lib/input.c, lib/input_zip.c, lib/input_warc.c)          */
/* ------------------------------------------------------------------ */

/* What an input is, sniffed from its first bytes (and its name only to
 * break a tie): */
typedef enum bt_input_kind {
    BT_INPUT_TEXT,  /* a plain-text page */
    BT_INPUT_HTML,  /* an HTML page */
    BT_INPUT_ZIP,   /* a zip archive of pages */
    BT_INPUT_WARC,  /* a web archive (WARC 1.0/1.1) */
    BT_INPUT_GZIP,  /* gzip: a .warc.gz, or one gzip'd page */
} bt_input_kind;

BT_API bt_input_kind bt_input_sniff(const char *name, const char *head, size_t len);

/* Called for each article found; return 0 to go on, or a positive value
 * to stop (bt_extract_* then returns it).  The article is the callback's
 * for the call only: it is freed afterwards. */
typedef int (*bt_article_fn)(bt_article *a, void *ctx);
/* Called for what went wrong with one page of an archive, or for a page
 * that is not an article; msg is "name: what" (names of archive members
 * are "ARCHIVE:MEMBER").  failed is 1 for failures, 0 for notices. */
typedef void (*bt_problem_fn)(const char *msg, int failed, void *ctx);

/* One input held in memory: a page, or an archive of pages.  Returns 0
 * when the input was read (its pages' problems went to on_problem), -1
 * when the input as a whole failed (err), or on_article's stop value. */
BT_API int bt_extract_input(const char *name, const char *data, size_t len,
                     const bt_extract_opts *opts, bt_article_fn on_article,
                     bt_problem_fn on_problem, void *ctx, bt_error *err);
/* The same for a file ("-": standard input).  Archives are streamed
 * (WARC, gzip) or read member by member (zip), never loaded whole; a
 * single page is read whole, up to max_page bytes. */
BT_API int bt_extract_file(const char *path, size_t max_page,
                    const bt_extract_opts *opts, bt_article_fn on_article,
                    bt_problem_fn on_problem, void *ctx, bt_error *err);

/* ------------------------------------------------------------------ */
/* DOCX writer (lib/docx.c)                              */
/* ------------------------------------------------------------------ */

/* Page and font settings; zero/NULL fields take the defaults of a
 * Vietnamese administrative document: A4, Times New Roman 13 pt,
 * margins top/bottom 20 mm, left 30 mm, right 15 mm. */
typedef struct bt_docx_opts {
    double page_w_mm, page_h_mm;  /* 0: A4 (210 × 297) */
    double margin_top_mm, margin_right_mm, margin_bottom_mm, margin_left_mm;
    int margins_set;              /* 1: the four margins above are used */
    const char *font;             /* NULL: "Times New Roman" */
    double font_pt;               /* 0: 13 */
    /* A user's .docx whose styles (and page setup, unless paper or
     * margins are given) replace ours, as pandoc's --reference-doc. */
    const char *reference_doc;
    int toc;                      /* -1: when more than one article; 0 no; 1 yes */
    int compress_level;           /* deflate level 1–9; 0: 6 */
    /* Set by bt_docx_opts_load: the reference styles, read once. */
    char *loaded_styles;
    size_t loaded_styles_len;
} bt_docx_opts;

BT_API void bt_docx_opts_init(bt_docx_opts *o);
/* Reads reference_doc once (styles and page setup into o), so that many
 * documents opened with o (one per article) share it.  Optional:
 * bt_docx_open reads reference_doc itself when this was not called. */
BT_API int bt_docx_opts_load(bt_docx_opts *o, bt_error *err);
BT_API void bt_docx_opts_free(bt_docx_opts *o); /* frees what _load kept */
/* "A4", "A5", "A3", "B5", "Letter", "Legal", or "WIDTHxHEIGHT" with a
 * unit (mm, cm, in, pt; mm when none), e.g. "210x297mm". */
BT_API int bt_docx_parse_paper(bt_docx_opts *o, const char *s, bt_error *err);
/* One length (all four sides) or "TOP,RIGHT,BOTTOM,LEFT", each with an
 * optional unit as above, like CSS. */
BT_API int bt_docx_parse_margin(bt_docx_opts *o, const char *s, bt_error *err);

/* One .docx being written.  Articles are streamed: the document body is
 * spooled (to a temporary file once it grows), never held whole. */
typedef struct bt_docx bt_docx;
BT_API bt_docx *bt_docx_open(const bt_docx_opts *opts, bt_error *err);
BT_API int bt_docx_add_article(bt_docx *d, const bt_article *a, bt_error *err);
/* Zips the package into out (the stream stays the caller's) and frees d,
 * whatever the result.  An empty document (no article) is still valid. */
BT_API int bt_docx_close(bt_docx *d, FILE *out, bt_error *err);
/* Frees d without writing anything. */
BT_API void bt_docx_abort(bt_docx *d);

/* ------------------------------------------------------------------ */
/* PDF typesetter (lib/pdf.c)                            */
/* ------------------------------------------------------------------ */

/* The look of a PDF: set field by field, by key (bt_pdf_opts_set), or from
 * a style file of "key = value" lines (bt_pdf_opts_load).  Keys: paper
 * (A4, A5, Letter), margin (a length: "20mm", "2cm", "1in", "54pt"; a bare
 * number is millimetres), font ("FAMILY SIZE", any fontconfig family),
 * columns (1 or 2), title, issue, date (YYYY-MM-DD), lang. */
typedef struct bt_pdf_opts {
    double page_width, page_height; /* points; A4 by default */
    double margin;                  /* points */
    char *font;                     /* pango font description */
    int columns;                    /* 1 or 2 */
    int bulletin;                   /* masthead, contents, header, footer */
    char *title, *issue;            /* bulletin masthead (may be NULL) */
    char *date;                     /* bulletin date YYYY-MM-DD (may be NULL) */
    char *lang;                     /* words of the page furniture ("vi",
                                       "en"); NULL: from the articles */
    long long created;              /* CreationDate, seconds since the epoch;
                                       -1: the bulletin date, else the first
                                       article's date */
} bt_pdf_opts;

BT_API void bt_pdf_opts_init(bt_pdf_opts *o);
BT_API void bt_pdf_opts_free(bt_pdf_opts *o);
BT_API int bt_pdf_opts_set(bt_pdf_opts *o, const char *key, const char *value,
                    bt_error *err);
BT_API int bt_pdf_opts_load(bt_pdf_opts *o, const char *path, bt_error *err);
/* Fails with a clear message when the font's family is not installed. */
BT_API int bt_pdf_opts_check(const bt_pdf_opts *o, bt_error *err);

/* A PDF being typeset.  Plain documents take one pass: bt_pdf_start, then
 * bt_pdf_add for each article (each starts a new page), bt_pdf_finish.
 * Bulletins take two passes over the same articles in the same order:
 * bt_pdf_measure for each (paginates without drawing and keeps only each
 * article's page count, title and date, for the contents and "Trang N/M"),
 * then bt_pdf_start, bt_pdf_add for each, bt_pdf_finish. */
typedef struct bt_pdf bt_pdf;
BT_API bt_pdf *bt_pdf_new(const bt_pdf_opts *o, bt_error *err);
BT_API int bt_pdf_measure(bt_pdf *p, const bt_article *a, bt_error *err);
/* Output goes to out (which stays the caller's) as it is made. */
BT_API int bt_pdf_start(bt_pdf *p, FILE *out, bt_error *err);
BT_API int bt_pdf_add(bt_pdf *p, const bt_article *a, bt_error *err);
/* Ends the document; -1 when nothing was typeset or writing failed. */
BT_API int bt_pdf_finish(bt_pdf *p, bt_error *err);
BT_API int bt_pdf_pages(const bt_pdf *p); /* pages typeset (or measured) so far */
BT_API void bt_pdf_free(bt_pdf *p);
/* Drops pango's process-wide font map and its caches (call once at exit,
 * after every bt_pdf is freed, so leak checkers see a clean heap). */
BT_API void bt_pdf_shutdown(void);

/* ------------------------------------------------------------------ */
/* Search matcher (lib/search_match.c)                          */
/* ------------------------------------------------------------------ */

/* The fields of an article a pattern can be searched in (--in). */
enum {
    BT_FIELD_TITLE = 1u << 0,
    BT_FIELD_BODY = 1u << 1,    /* every block: p, h, quote, item, caption */
    BT_FIELD_BYLINE = 1u << 2,
    BT_FIELD_SOURCE = 1u << 3,  /* the site name (element text of <source>) */
    BT_FIELD_RELATED = 1u << 4, /* the text of each related link */
};
/* Parses a comma-separated list such as "title,body" into BT_FIELD_*
 * bits.  0, or -1 with err naming the unknown field. */
BT_API int bt_fields_parse(const char *list, unsigned *fields, bt_error *err);
/* "title", "body", … for one BT_FIELD_* bit. */
BT_API const char *bt_field_name(unsigned field);

typedef struct bt_match_opts {
    int regex;       /* -E: patterns are PCRE2 regular expressions */
    int word;        /* -w: matches must be whole words */
    int ignore_case; /* 1: -i; 0: smart case (a pattern without a
                        capital letter ignores case); -1: case counts */
    int exact;       /* --exact: no diacritic or tone folding, no NFD
                        equivalence beyond NFC, case kept unless -i */
    int all;         /* --all: every pattern must match, not just one */
} bt_match_opts;

/* A set of patterns.  Without --exact each pattern is folded on its own:
 * no diacritics in it => the text's diacritics (and đ) are ignored; with
 * diacritics => they must match, but either tone placement (ủy = uỷ) and
 * NFC or NFD do.  Field text has white space collapsed first, so a space
 * in a literal pattern matches any run of white space within a block;
 * matches never cross blocks. */
typedef struct bt_matcher bt_matcher;
BT_API bt_matcher *bt_matcher_new(const bt_match_opts *o, bt_error *err);
/* Adds a pattern searched in fields (BT_FIELD_* bits).  A required
 * pattern (-t) must match whatever --all says. */
BT_API int bt_matcher_add(bt_matcher *m, const char *pattern, unsigned fields,
                   int required, bt_error *err);
/* 1 when the patterns, taken together, match the article (before -v),
 * 0 when they do not, -1 on error (out of memory, PCRE2 limits). */
BT_API int bt_matcher_article(bt_matcher *m, const bt_article *a, bt_error *err);
/* Calls fn for every match of every pattern in its fields, in pattern,
 * field and text order: text[0..len) is the field's plain text (blocks
 * separated by '\n', white space collapsed) and [start, end) the match.
 * A non-zero result of fn stops the walk and is returned; -1 on error. */
typedef int (*bt_match_fn)(void *ctx, unsigned field, const char *text,
                           size_t len, size_t start, size_t end);
BT_API int bt_matcher_each(bt_matcher *m, const bt_article *a, bt_match_fn fn,
                    void *ctx, bt_error *err);
/* The byte-level prefilter on an article's raw XML (as the stream holds
 * it, with no comments, CDATA or character references: see
 * bt_rawarticle.must_parse).  0 when the article certainly does not
 * match, 1 when it may (then parse it and ask bt_matcher_article). */
BT_API int bt_matcher_may_match(bt_matcher *m, const char *xml, size_t len);
BT_API void bt_matcher_free(bt_matcher *m);

/* Splits a stream of the article format into the raw bytes of each
 * <article> element without parsing them, checking only the structure
 * around them (prolog, root, what stands between articles), so that a
 * search can parse only the articles its prefilter lets through. */
typedef struct bt_artscan bt_artscan;
typedef struct bt_rawarticle {
    const char *xml; /* "<article …>…</article>", valid until the next call */
    size_t len;
    int must_parse;  /* comments, CDATA, PIs, character or unknown entity
                        references, or odd markup inside: the prefilter
                        cannot judge it, parse it */
} bt_rawarticle;
/* Reads fd (not closed by the scanner); name is what errors call it. */
BT_API bt_artscan *bt_artscan_open(int fd, const char *name, bt_error *err);
/* 1: *out holds the next article; 0: end of the stream (an empty input
 * holds no article); -1: error ("name:line:col: what"). */
BT_API int bt_artscan_next(bt_artscan *s, bt_rawarticle *out, bt_error *err);
/* Parses the article last returned into *out (bt_article_free it);
 * errors point into the whole stream.  0 or -1. */
BT_API int bt_artscan_parse(bt_artscan *s, const bt_rawarticle *raw,
                     bt_article *out, bt_error *err);
/* From now on hand out only the articles that matcher m may match (as
 * bt_matcher_may_match says, or that it cannot judge unparsed): the
 * others are skipped in the same vector pass that finds their end, their
 * structure still checked.  NULL hands out every article again.  Not for
 * -v, which must see every article. */
BT_API void bt_artscan_filter(bt_artscan *s, bt_matcher *m);
BT_API void bt_artscan_close(bt_artscan *s);

#ifdef __cplusplus
}
#endif

#endif /* BANTIN_H */
