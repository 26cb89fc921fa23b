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
 * 0: end of input (an empty input, or one of only white space, holds no
 * article: it is not an error); -1: error (err says "name:line:col:
 * what"). */
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
/* The length of the start of s that is certainly clean (a check that
 * copies nothing): len for clean text without combining marks, the
 * common case; less means that the rest must go through bt_text_clean to
 * be sure (it may still come out unchanged). */
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
 * TONES puts tone marks in one place: a tone on the first vowel of oa,
 * oe or uy, when neither vowel has another mark, moves to the second,
 * wherever the pair stands (hòa → hoà, thủy → thuỷ, khỏe → khoẻ, hòan →
 * hoàn, khóai → khoái); other marks stay where they are.  Every mode but
 * EXACT reads ð/Ð, which legacy converters put for đ/Đ, as đ/Đ (BASE
 * modes then map them to d/D).
 * offsets, when not NULL, gets a malloc'd array of (bytes appended + 1)
 * entries: entry k is the offset in s of the character that output byte
 * k came from (a composed letter: its base letter), and the last entry
 * is len, so a match [a, b) in the folded text is s[offsets[a] ..
 * offsets[b]) when b ends a character.  Free it with free(); on failure
 * *offsets is NULL. */
BT_API int bt_fold(const char *s, size_t len, bt_fold_mode mode, bt_buf *out,
            size_t **offsets);
/* 1 when s holds a letter with a Vietnamese (or any) diacritic, a
 * combining mark, or đ/Đ (or ð/Ð). */
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

/* Where the images of the articles are stored (bt_images_open, below). */
typedef struct bt_images bt_images;

typedef struct bt_extract_opts {
    const char *encoding; /* forced input encoding, or NULL to detect */
    const char *tz;       /* "+07:00" when NULL */
    const char *lang;     /* NULL: as the page declares, else guessed from its text */
    const char *name;     /* the input's name for source/@file and errors */
    const char *url;      /* page URL when known from outside (WARC), or NULL */
    /* What one archive may unpack, all its members together: max_ratio
     * times its own size (0: 100) and at most max_unpacked bytes (0:
     * 8 GB).  Past either, the rest of the archive is skipped with one
     * message naming it. */
    unsigned max_ratio;
    unsigned long long max_unpacked;
    /* 1: a file that is not a news page (a script, a style sheet, an
     * image, JSON …) is skipped with a BT_PROBLEM_SKIPPED problem instead
     * of failing (files found by walking a directory).  Inside archives
     * such members are always skipped so. */
    int skip_other;
    /* Not NULL: every figure's image that the input itself holds is
     * stored there and the figure points at the copy (see bt_images_open);
     * NULL: figures keep the page's addresses. */
    bt_images *images;
} bt_extract_opts;

/* A plain-text news page.  text is UTF-8 as the input layer decodes it
 * (clean: valid, NFC, nothing XML forbids; bt_extract_input and
 * bt_extract_file decode any bytes first); other bytes are not refused
 * but come out as the writer repairs them.  1: *out holds the article
 * (free it); -1: error (err). */
BT_API int bt_textpage_extract(const char *text, size_t len,
                        const bt_extract_opts *opts, bt_article *out,
                        bt_error *err);

/* An HTML news page, as decoded text (UTF-8, as for
 * bt_textpage_extract: a <meta charset> in it is not looked at).
 * Metadata (og:*, JSON-LD NewsArticle, <time>, canonical link) first,
 * then the article's blocks found by scoring, with related boxes, share
 * bars, comments and ads left out.  1: *out holds the article; 0: the
 * page holds none (a home page, a category list: err says why, for a
 * notice); -1: error (err).  *out is to be freed in every case. */
BT_API int bt_htmlpage_extract(const char *text, size_t len,
                        const bt_extract_opts *opts, bt_article *out,
                        bt_error *err);

/* ------------------------------------------------------------------ */
/* Inputs of any kind (lib/input*.c)                                   */
/* ------------------------------------------------------------------ */

/* What an input is, sniffed from its first bytes (and its name only to
 * break a tie): */
typedef enum bt_input_kind {
    BT_INPUT_TEXT,  /* a plain-text page */
    BT_INPUT_HTML,  /* an HTML page */
    BT_INPUT_ZIP,   /* a zip archive of pages */
    BT_INPUT_WARC,  /* a web archive (WARC 1.0/1.1) */
    BT_INPUT_GZIP,  /* gzip: a .warc.gz, an .arc.gz, or one gzip'd page */
    BT_INPUT_ARC,   /* an Internet Archive ARC file */
    BT_INPUT_MHTML, /* a page saved as one file (.mhtml, .mht) */
    BT_INPUT_ARTICLES, /* the article format itself */
    BT_INPUT_OTHER, /* not a news page: a script, a style, an image, JSON … */
} bt_input_kind;

BT_API bt_input_kind bt_input_sniff(const char *name, const char *head, size_t len);

/* Called for each article found; return 0 to go on, anything else to
 * stop (bt_extract_* then fail with BT_ERR_STOPPED).  The article is the callback's
 * for the call only: it is freed afterwards, unless the callback takes
 * its contents over (moves them out and bt_article_init's it). */
typedef int (*bt_article_fn)(bt_article *a, void *ctx);
/* What a problem is: */
enum {
    BT_PROBLEM_NOTICE = 0,  /* a page that is not an article */
    BT_PROBLEM_FAILED = 1,  /* a page or an archive that could not be read */
    BT_PROBLEM_SKIPPED = 2, /* a file that is not a news page, left out */
    BT_PROBLEM_IMAGE = 3,   /* with opts->images: a figure's image that was
                               not stored (not in the input, not an image,
                               over a limit); the figure keeps its address */
};
/* Called for what went wrong with one page of an archive, for a page
 * that is not an article, or for a file skipped; msg is "name: what"
 * (names of archive members are "ARCHIVE:MEMBER", standard input is
 * "(standard input)"); kind is a BT_PROBLEM_* value. */
typedef void (*bt_problem_fn)(const char *msg, int kind, void *ctx);

/* One input held in memory: a page, or an archive of pages.  Returns 0
 * when the input was read (its pages' problems went to on_problem), -1
 * when the input as a whole failed or on_article stopped (err). */
BT_API int bt_extract_input(const char *name, const char *data, size_t len,
                     const bt_extract_opts *opts, bt_article_fn on_article,
                     bt_problem_fn on_problem, void *ctx, bt_error *err);
/* The same for a file ("-" or NULL: standard input).  Archives are
 * streamed (WARC, ARC, gzip, the article format) or read member by member
 * (zip), never loaded whole; a single page is read whole, up to max_page
 * bytes. */
BT_API int bt_extract_file(const char *path, size_t max_page,
                    const bt_extract_opts *opts, bt_article_fn on_article,
                    bt_problem_fn on_problem, void *ctx, bt_error *err);

/* The images of the articles (news2xml --images, lib/input_images.c).
 * With opts->images set, the input layer looks for each figure's image
 * in the input itself, never on the network:
 *  - a data: URI (base64 or percent-encoded);
 *  - in a WARC or ARC file, the response (or resource) record whose
 *    target URI is the figure's absolute URL, before or after the page
 *    (a web archive's articles are then handed on at its end, in order);
 *  - in a zip, the member at the src's path relative to the page's
 *    member, or at the path of its URL (host/path or path, under any of
 *    the page's folders);
 *  - in an MHTML file, the part whose Content-Location is the URL (or
 *    whose Content-ID a cid: URL names);
 *  - beside a page file (a page saved "complete": page_files/...): the
 *    src relative to the page's folder (also when the page's own URL made
 *    it absolute), or a file: URL into that folder; never a file outside
 *    it.  For an article file (the format itself), any local path, as
 *    the printers read them.
 * An image must be a JPEG, PNG, GIF or WebP file by its bytes, within
 * the size and pixel limits; it is stored once, named by the SHA-256 of
 * its bytes in hex and its type's extension ("3a7bd3….jpeg"), and the
 * figure gets the copy's path relative to the output's folder as src,
 * with width, height and media_type.  Any other figure keeps its src (a
 * data: URI goes, as without images) and is a BT_PROBLEM_IMAGE problem,
 * "NAME: image ADDRESS not stored: why"; each address is reported once
 * for all the inputs read with the same bt_images (in input order with
 * bt_batch).  A data: image of at most 4 pixels is a lazy loader's
 * stand-in: it goes quietly.  A bt_images may be shared by threads (open
 * it before starting them). */
typedef struct bt_images_opts {
    const char *dir;      /* an existing directory the images go into */
    const char *out_dir;  /* the directory the output is written to (srcs
                             are relative to it); NULL: the current one */
    size_t max_bytes;     /* one image's size; 0: 32 MiB */
    uint64_t max_pixels;  /* width × height; 0: 50 million */
} bt_images_opts;

/* Fails when dir is not a directory that can be written or out_dir
 * cannot be found. */
BT_API bt_images *bt_images_open(const bt_images_opts *o, bt_error *err);
BT_API void bt_images_close(bt_images *im);

/* Many inputs converted on several threads (news2xml -j), handed back in
 * input order: the callbacks are called from the caller's thread (inside
 * bt_batch_add and bt_batch_finish) exactly as bt_extract_file would call
 * them on each input in turn, so the output does not depend on jobs.
 * on_done gets each input's result (bt_extract_file's, with its error),
 * in order.  Memory stays bounded: a few inputs per thread are in
 * flight, and an input that is not being handed back yet holds a few
 * dozen articles at most. */
typedef void (*bt_input_done_fn)(const char *path, int rc, const bt_error *err, void *ctx);
typedef struct bt_batch bt_batch;
/* jobs 0 or 1: no threads, each input is converted inside bt_batch_add. */
BT_API bt_batch *bt_batch_new(unsigned jobs, size_t max_page, const bt_extract_opts *opts,
                              bt_article_fn on_article, bt_problem_fn on_problem,
                              bt_input_done_fn on_done, void *ctx, bt_error *err);
/* Articles go to wr (set before the first bt_batch_add): each is
 * rendered on the worker threads and written in input order, then handed
 * to on_article, which must not write it again.  The output is the same
 * as bt_writer_article's in a loop, on any number of threads.  A write
 * error stops the batch: bt_batch_add or bt_batch_finish returns -1 with
 * the writer's error. */
BT_API void bt_batch_set_writer(bt_batch *b, bt_writer *wr);
/* Queues one input ("-": standard input); listed 1 for a file found by
 * walking a directory (skip_other).  0, or -1 with err (BT_ERR_STOPPED:
 * on_article stopped; then stop adding). */
BT_API int bt_batch_add(bt_batch *b, const char *path, int listed, bt_error *err);
/* Waits for every input and hands the rest back: 0, or -1 with err. */
BT_API int bt_batch_finish(bt_batch *b, bt_error *err);
BT_API void bt_batch_free(bt_batch *b);

/* ------------------------------------------------------------------ */
/* What to print (lib/model_select.c, lib/model_figures.c)              */
/* ------------------------------------------------------------------ */

/* Both printers (xml2pdf, xml2docx) print a selection of their input:
 * duplicates dropped, sorted by date, grouped by section.  The usual run:
 *
 *     bt_select *s = bt_select_new(&opts, err);
 *     for each article a read from the inputs, in input order:
 *         bt_select_add(s, &a, err);          (1: kept, 0: a duplicate)
 *     bt_select_finish(s, err);
 *     for (k = 0; k < bt_select_count(s); k++) {
 *         bt_select_get(s, k, &a, err);       (the k-th article to print)
 *         section = bt_select_section(s, k);  (its group's head, or NULL)
 *         … print a, bt_article_free(&a) …
 *     }
 *     bt_select_free(s);
 *
 * Memory stays flat however many articles: the selection keeps per article
 * a small record and two 8-byte keys; the articles themselves are copied
 * to an unnamed temporary file and read back one at a time, as often as
 * the printer needs (a bulletin reads them twice). */
typedef enum bt_sort {
    BT_SORT_INPUT,  /* as they come */
    BT_SORT_NEWEST, /* by date (the when attribute), newest first */
    BT_SORT_OLDEST, /* by date, oldest first */
} bt_sort;
/* "input", "date" (= "newest"), "newest", "oldest".  0, or -1 with err. */
BT_API int bt_sort_parse(const char *name, bt_sort *out, bt_error *err);

typedef struct bt_select_opts {
    bt_sort sort;         /* articles without a date come last, in input order */
    int keep_duplicates;  /* 0: drop an article whose id, or whose title and
                             lead (folded: no case, diacritics, tone placement,
                             spaces or punctuation; the lead's first 200
                             letters), an earlier one had: the desktop and
                             mobile copies of one story */
    int group_by_section; /* articles under their section (bt_article.section,
                             compared folded, printed as first seen), groups
                             in the order their first article comes, those
                             without a section last */
    int store;            /* keep copies for bt_select_get even in input order
                             (always on when sorting or grouping); without it
                             bt_select only drops duplicates as they stream
                             by, for a one-pass printer */
} bt_select_opts;

typedef struct bt_select bt_select;
BT_API bt_select *bt_select_new(const bt_select_opts *o, bt_error *err);
/* 1: a is kept (a copy is stored when the selection stores); 0: a is a
 * duplicate of an earlier article and left out; -1 on error. */
BT_API int bt_select_add(bt_select *s, const bt_article *a, bt_error *err);
/* Sorts and groups; call once, after the last add and before any get. */
BT_API int bt_select_finish(bt_select *s, bt_error *err);
BT_API size_t bt_select_count(const bt_select *s);   /* articles kept */
BT_API size_t bt_select_dropped(const bt_select *s); /* duplicates left out */
/* The k-th article to print (0 ≤ k < count, any order, any number of
 * times) into *out (bt_article_free it).  Only when the selection stores. */
BT_API int bt_select_get(bt_select *s, size_t k, bt_article *out, bt_error *err);
/* The section of the k-th article when grouping, else NULL (also for the
 * group of articles without a section).  A new group starts where the
 * pointer differs from the one before.  Valid until bt_select_free. */
BT_API const char *bt_select_section(const bt_select *s, size_t k);
BT_API void bt_select_free(bt_select *s);

/* 1 when a figure's src is a URL (a scheme such as "https:", "data:", or
 * "//host"), which printers never fetch; "file:" URLs and paths are 0. */
BT_API int bt_src_is_remote(const char *src);
/* Makes every local figure src of a (relative to the XML file the article
 * came from) a path from dir, the directory of that file: "images/a.jpg"
 * read from "archive/week.xml" becomes "archive/images/a.jpg".  Absolute
 * paths stay, "file:" URLs become paths, remote srcs are left alone.  dir
 * NULL, "" or "." changes only file: URLs. */
BT_API int bt_article_resolve_figures(bt_article *a, const char *dir, bt_error *err);

/* ------------------------------------------------------------------ */
/* Dates as people read them (lib/date_print.c)                         */
/* ------------------------------------------------------------------ */

/* The languages the printers have words for: "vi", "en", with or without
 * a region or script ("vi-VN", "en_GB").  0, or -1 (BT_ERR_USAGE, "unknown
 * language 'xx' (vi or en)"). */
BT_API int bt_lang_check(const char *lang, bt_error *err);
/* "vi" or "en" for a language bt_lang_check accepts, "vi" otherwise. */
BT_API const char *bt_lang_code(const char *lang);
/* 1 when a printed date reads as a machine wrote it: ISO 8601
 * ("2022-12-24T19:25:22+07:00", "2023-07-12"), or digits only
 * ("20210411", "202104110930", a Unix time); 0 for what people write
 * ("12/07/2023 - 01:01 PM", "Thứ tư, 12/7/2023"). */
BT_API int bt_date_is_machine(const char *text);
/* Appends an article's date as people read it, in lang (NULL: "vi"):
 * text itself when it is human (kept as printed), else the date of when
 * (or of text, when when is missing), vi "Thứ tư, 12/07/2023, 13:01",
 * en "Wednesday, 12 July 2023, 13:01" (no time when there is none; the
 * time of day as the source's zone has it).  Appends nothing when both
 * are NULL or empty. */
BT_API int bt_date_human(const char *text, const char *when, const char *lang,
                         bt_buf *out);
/* The same from a parsed date. */
BT_API int bt_date_human_from(const bt_date *d, const char *lang, bt_buf *out);
/* A long date for a masthead: vi "Thứ sáu, ngày 14 tháng 7 năm 2023",
 * en "Friday, 14 July 2023". */
BT_API int bt_date_long(const bt_date *d, const char *lang, bt_buf *out);

/* ------------------------------------------------------------------ */
/* Paper and margins (lib/util_paper.c)                                 */
/* ------------------------------------------------------------------ */

/* Every length is in points (1/72 in; 1 mm = 72/25.4 pt).  A length is a
 * number and a unit, mm, cm, in or pt (a bare number is millimetres);
 * error messages say what is wrong with the value only, the caller names
 * the option ("--margin: …"). */
BT_API int bt_length_parse(const char *s, double *pt, bt_error *err);
/* "A3", "A4", "A5", "B5", "Letter", "Legal" (any case), or
 * "WIDTHxHEIGHT" with units ("210x297mm", "8.5x11in", "148mmx210mm"; a
 * unit written once applies to both), each side 50 to 2000 mm. */
BT_API int bt_paper_parse(const char *s, double *width, double *height, bt_error *err);
/* One length for all four sides, or four: "TOP,RIGHT,BOTTOM,LEFT" as in
 * CSS ("20,15,20,30mm", the margins of Vietnamese administrative
 * documents; a unit written once applies to those without), into
 * m[0..3] = top, right, bottom, left; each side 0 to 100 mm. */
BT_API int bt_margins_parse(const char *s, double m[4], bt_error *err);
/* Fails when the margins leave less than 40 mm of text either way. */
BT_API int bt_page_check(double width, double height, const double m[4], bt_error *err);

/* ------------------------------------------------------------------ */
/* DOCX writer (lib/docx*.c)                                           */
/* ------------------------------------------------------------------ */

/* Why a figure's image was left out of a document (its caption stays). */
typedef enum bt_docx_notice {
    BT_DOCX_IMAGE_REMOTE,  /* src is a URL: images are never fetched */
    BT_DOCX_IMAGE_MISSING, /* no readable regular file at src */
    BT_DOCX_IMAGE_REFUSED, /* not JPEG, PNG or GIF by its bytes (WebP,
                              which Word cannot show, included), broken,
                              or over the size or pixel limits */
} bt_docx_notice;
/* msg is "FILE: figure 'SRC': why" (FILE: the XML file, see
 * bt_docx_set_source). */
typedef void (*bt_docx_notice_fn)(bt_docx_notice kind, const char *msg, void *ctx);

/* What bt_docx_opts_load prepares once for many documents (opaque). */
typedef struct bt_docx_prepared bt_docx_prepared;

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
     * margins are given) replace ours, as pandoc's --reference-doc; page
     * numbers go in its header when its header holds a PAGE field. */
    const char *reference_doc;
    int toc;                      /* -1: when more than one article; 0 no; 1 yes */
    int compress_level;           /* deflate level 1–9; 0: 6 */
    /* Words of the page furniture ("Trang 2/5", "Mục lục", "Tin liên
     * quan"): "vi", "en" or "fr" (bt_docx_parse_lang); NULL: the first
     * article's language, Vietnamese when it is none of these. */
    const char *lang;
    size_t image_max_bytes;       /* an image file's size; 0: 32 MiB */
    uint64_t image_max_pixels;    /* width × height; 0: 50 million */
    bt_docx_notice_fn on_notice;  /* NULL: notices are dropped */
    void *notice_ctx;
    bt_docx_prepared *prepared;   /* bt_docx_opts_load's; NULL before */
} bt_docx_opts;

BT_API void bt_docx_opts_init(bt_docx_opts *o);
/* Checks the options (the margins must leave room on the page) and reads
 * reference_doc once, so that many documents opened with o (one per
 * article) share it; keep o loaded until they are closed.  Optional:
 * bt_docx_open does the same itself when this was not called. */
BT_API int bt_docx_opts_load(bt_docx_opts *o, bt_error *err);
BT_API void bt_docx_opts_free(bt_docx_opts *o); /* frees what _load kept */
/* "A4", "A5", "A3", "B5", "Letter", "Legal", or "WIDTHxHEIGHT" with a
 * unit (mm, cm, in, pt; mm when none), e.g. "210x297mm". */
BT_API int bt_docx_parse_paper(bt_docx_opts *o, const char *s, bt_error *err);
/* One length (all four sides) or "TOP,RIGHT,BOTTOM,LEFT", each with an
 * optional unit as above, like CSS; at most 200 mm each. */
BT_API int bt_docx_parse_margin(bt_docx_opts *o, const char *s, bt_error *err);
/* Sets o->lang ("vi", "en", "fr", or a tag of one: "vi-VN"); fails for a
 * language whose words we do not have.  s must outlive o. */
BT_API int bt_docx_parse_lang(bt_docx_opts *o, const char *s, bt_error *err);

/* One .docx being written.  Articles are streamed: the document body and
 * the images are spooled (to temporary files once they grow), never held
 * whole. */
typedef struct bt_docx bt_docx;
BT_API bt_docx *bt_docx_open(const bt_docx_opts *opts, bt_error *err);
/* Starts a section: its head (Heading 1) on a new page, the articles
 * that follow under it, in the body and in the contents (name NULL or
 * "": the articles without a section, "Tin khác"). */
BT_API int bt_docx_section(bt_docx *d, const char *name, bt_error *err);
/* Figures embed their image when src is a local JPEG, PNG or GIF file
 * (a path as given: see bt_article_resolve_figures), sized to the text
 * width and never past its pixel size at 96 dpi; otherwise the caption
 * alone is written and opts->on_notice says why.  Tables become Word
 * tables with their header rows repeated on each page.  The date is
 * written as people read it (bt_date_human). */
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
 * a style file of "key = value" lines (bt_pdf_opts_load), so that a cron
 * job holds the whole look in one file.  Keys and values:
 *   paper     A3, A4, A5, B5, Letter, Legal, WIDTHxHEIGHT (bt_paper_parse)
 *   margin    one length or TOP,RIGHT,BOTTOM,LEFT (bt_margins_parse)
 *   font      "FAMILY SIZE", any fontconfig family, size 4 to 72 points
 *   columns   1 or 2
 *   lang      the words the PDF adds (bt_lang_check: vi, en)
 *   bulletin  yes or no: masthead, contents, running header and footer
 *   layout    run-on (articles follow one another, a bulletin's default)
 *             or page-per-article
 *   title, issue, publisher, notice   the masthead's lines ("Lưu hành nội bộ")
 *   date      the bulletin's date, YYYY-MM-DD
 *   logo      a PNG or JPEG file for the masthead (a relative path in a
 *             style file is relative to the style file)
 *   sort      date, newest, oldest, input (bt_sort_parse)
 *   duplicates  drop or keep
 *   group-by  section or none
 * Values are checked when set: a bad one fails with BT_ERR_USAGE and
 * changes nothing. */
typedef struct bt_pdf_opts {
    double page_width, page_height; /* points; A4 by default */
    double margin[4];               /* top, right, bottom, left, points; 20 mm */
    char *font;                     /* pango font description */
    int columns;                    /* 1 or 2 */
    int bulletin;                   /* masthead, contents, header, footer */
    int page_per_article;           /* a bulletin's articles each from a new
                                       page (plain PDFs always are) */
    char *title, *issue;            /* bulletin masthead (may be NULL) */
    char *publisher;                /* the issuing body, top left */
    char *notice;                   /* a line such as "Lưu hành nội bộ", top right */
    char *logo;                     /* image file for the masthead, or NULL */
    char *date;                     /* bulletin date YYYY-MM-DD (may be NULL) */
    char *lang;                     /* words of the page furniture ("vi",
                                       "en"); NULL: from the articles */
    long long created;              /* CreationDate, seconds since the epoch;
                                       -1: the bulletin date, else the first
                                       article's date */
    /* What to print (for the caller's bt_select, see bt_pdf_select_opts). */
    int sort;                       /* -1: newest first for a bulletin, input
                                       order otherwise; else a bt_sort */
    int keep_duplicates;
    int group_by_section;
    /* Notices (an image not found, a remote image not fetched), each once,
     * when the page holding it is drawn; NULL: none. */
    bt_problem_fn on_notice;
    void *notice_ctx;
} bt_pdf_opts;

BT_API void bt_pdf_opts_init(bt_pdf_opts *o);
BT_API void bt_pdf_opts_free(bt_pdf_opts *o);
BT_API int bt_pdf_opts_set(bt_pdf_opts *o, const char *key, const char *value,
                    bt_error *err);
BT_API int bt_pdf_opts_load(bt_pdf_opts *o, const char *path, bt_error *err);
/* Fails with a clear message when the font's family is not installed,
 * the margins leave no room on the paper, or the logo is not a JPEG or
 * PNG file that can be read. */
BT_API int bt_pdf_opts_check(const bt_pdf_opts *o, bt_error *err);
/* The selection o asks for (sort, duplicates, sections), storing copies
 * when the PDF takes two passes (a bulletin). */
BT_API void bt_pdf_select_opts(const bt_pdf_opts *o, bt_select_opts *out);

/* A PDF being typeset.  Plain documents take one pass: bt_pdf_start, then
 * bt_pdf_add for each article (each starts a new page), bt_pdf_finish.
 * Bulletins take two passes over the same articles in the same order:
 * bt_pdf_measure for each (paginates without drawing and keeps only where
 * each article starts, its title and date, for the contents and "Trang
 * N/M"), then bt_pdf_start, bt_pdf_add for each, bt_pdf_finish.  A
 * bulletin's articles run on, each headed by its title and separated by
 * a rule (with two columns the title spans them and the columns are
 * balanced at the article's end); page_per_article starts each on a new
 * page.  Figures' src are paths as given (see
 * bt_article_resolve_figures). */
typedef struct bt_pdf bt_pdf;
BT_API bt_pdf *bt_pdf_new(const bt_pdf_opts *o, bt_error *err);
BT_API int bt_pdf_measure(bt_pdf *p, const bt_article *a, bt_error *err);
/* Starts a section: its head comes before the next article, in the body
 * and in the contents (name NULL: the articles without a section, "Tin
 * khác").  Call it in both passes at the same places. */
BT_API int bt_pdf_section(bt_pdf *p, const char *name, bt_error *err);
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
/* Search (lib/search_*.c, lib/xml_split.c, lib/xml_json.c)            */
/* ------------------------------------------------------------------ */

/* The fields of an article a pattern can be searched in (--in).  Each
 * field is a list of blocks, and a match never runs from one block into
 * the next. */
enum {
    BT_FIELD_TITLE = 1u << 0,
    BT_FIELD_BODY = 1u << 1,    /* p, h, quote, each list item, each caption
                                   (figure, table) and each table cell */
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
    int exact;       /* --exact: no folding (NFC only, case kept); with
                        ignore_case 1, tone placement and case are folded */
    int all;         /* --all: every pattern must match, not just one */
} bt_match_opts;

/* A set of patterns, each matched block by block against the text of a
 * block as a reader sees it: NFC, white space collapsed to single spaces
 * and trimmed, U+200B and U+00AD gone.  Each pattern is folded on its own:
 *  - --exact: the text as written (case counts unless -i);
 *  - a pattern with diacritics (or --exact -i): they must match, but a
 *    tone mark on either vowel of oa, oe or uy is the same, wherever the
 *    pair stands (hòa = hoà, thủy = thuỷ, hòan = hoàn, khóai = khoái);
 *  - a pattern without: the text's diacritics are ignored (đ = d);
 *  - always: ð and Ð, which old converters wrote for đ and Đ, are đ/Đ.
 * White space inside a literal pattern is one space; a space at either
 * edge matches white space or that edge of a block (" ha " is ha as a
 * word between spaces); a pattern of only white space is the empty
 * pattern, which matches every article.  ^ and $ of a regular expression
 * are the edges of a block. */
typedef struct bt_matcher bt_matcher;
BT_API bt_matcher *bt_matcher_new(const bt_match_opts *o, bt_error *err);
/* Adds a pattern searched in fields (BT_FIELD_* bits).  A required
 * pattern (-t) must match whatever --all says. */
BT_API int bt_matcher_add(bt_matcher *m, const char *pattern, unsigned fields,
                   int required, bt_error *err);
/* 1 when the patterns, taken together, match the article (before -v),
 * 0 when they do not, -1 on error (out of memory; BT_ERR_LIMIT: a
 * regular expression needed more work than PCRE2's limits allow). */
BT_API int bt_matcher_article(bt_matcher *m, const bt_article *a, bt_error *err);
/* Calls fn for every match of every pattern in its fields, in pattern,
 * field and block order: text[0..len) is the block's text as matched
 * (see above) and [start, end) the match in it.  A non-zero result of fn
 * stops the walk and is returned; -1 on error. */
typedef int (*bt_match_fn)(void *ctx, unsigned field, const char *text,
                           size_t len, size_t start, size_t end);
BT_API int bt_matcher_each(bt_matcher *m, const bt_article *a, bt_match_fn fn,
                    void *ctx, bt_error *err);
/* A match in its context, for people to read, appended to out: up to
 * context characters of text either side of text[start, end) (… where
 * more is cut off), the match between on and off (terminal colours, or
 * "").  0 or -1 (out of memory). */
BT_API int bt_snippet(const char *text, size_t len, size_t start, size_t end,
                      unsigned context, const char *on, const char *off, bt_buf *out);
/* The byte-level prefilter on an article's raw XML (as the stream holds
 * it, with no comments, CDATA or character references: see
 * bt_rawarticle.must_parse).  0 when the article certainly does not
 * match, 1 when it may. */
BT_API int bt_matcher_may_match(bt_matcher *m, const char *xml, size_t len);
BT_API void bt_matcher_free(bt_matcher *m);

/* Splits a stream of the article format into the raw bytes of each
 * <article> element without parsing them, checking only the structure
 * around them (prolog, root, what stands between articles), so that a
 * search can parse only the articles it cannot judge raw.  The stream may
 * be gzip-compressed (told by its first bytes) and may be several
 * documents one after another (cat a.xml b.xml), each with its own XML
 * declaration and root. */
typedef struct bt_artscan bt_artscan;
typedef struct bt_rawarticle {
    const char *xml; /* "<article …>…</article>", valid until the next call */
    size_t len;
    int must_parse;  /* comments, CDATA, PIs, character or unknown entity
                        references, or odd markup inside: only the parser
                        can read it */
    int wanted;      /* the scan hook marked it (BT_SCAN_WANT); 1 without
                        a hook */
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
/* Where the article last returned starts in the stream (1-based). */
BT_API void bt_artscan_where(bt_artscan *s, long *line, long *col);

/* A scan hook reads each article's content in the same pass that finds
 * its end, so that a search looks at every byte once.  scan reads
 * s[from, len) (s is where the article starts; len is what is buffered of
 * it and after it) and returns the offset of the first '<' the splitter
 * must look at — one followed by '/' 'a', 'a' 'r', '!' or '?', or one too
 * near len to tell — or len.  On the way it adds to *flags BT_SCAN_PARSE
 * for a '&' that is not one of the five predefined entities, and
 * BT_SCAN_WANT when the article is wanted (once set, the hook need not
 * look again).  tune (may be NULL) is called once with the start of the
 * input.  With skip, articles marked neither are not handed out (their
 * structure is still checked). */
enum { BT_SCAN_WANT = 1, BT_SCAN_PARSE = 2 };
typedef struct bt_artscan_hook {
    size_t (*scan)(void *ctx, const char *s, size_t from, size_t len, unsigned *flags);
    void (*tune)(void *ctx, const char *sample, size_t len);
    void *ctx;
    int skip;
} bt_artscan_hook;
/* NULL removes the hook. */
BT_API void bt_artscan_set_hook(bt_artscan *s, const bt_artscan_hook *hook);
/* From now on hand out only the articles that matcher m may match (as
 * bt_matcher_may_match says) or that it cannot judge unparsed, through a
 * hook on m's prefilter: the others are skipped in the same vector pass
 * that finds their end.  Nothing changes when m has no pattern that every
 * match needs and the prefilter can judge.  NULL removes the hook. */
BT_API void bt_artscan_filter(bt_artscan *s, bt_matcher *m);
BT_API void bt_artscan_close(bt_artscan *s);

/* What a search keeps besides its patterns (newsgrep's filters). */
typedef struct bt_search_opts {
    int invert;           /* -v: the articles that do not match */
    int unique;           /* an article whose id was already selected is
                             dropped (ids are content hashes) */
    char lang[16];        /* "": any; "vi" also keeps "vi-VN" */
    int has_since, has_until;
    long long since, until; /* calendar days (bt_date_days), inclusive */
} bt_search_opts;

BT_API void bt_search_opts_init(bt_search_opts *o);
/* --lang: an ISO 639-1 code, optionally with a region ("vi", "en-US");
 * anything else fails (BT_ERR_USAGE). */
BT_API int bt_search_opts_lang(bt_search_opts *o, const char *code, bt_error *err);
/* --since/--until (either may be NULL), as bt_date_parse_user reads them
 * with now_epoch as today; fails for an unreadable date and when since
 * comes after until (BT_ERR_USAGE). */
BT_API int bt_search_opts_dates(bt_search_opts *o, const char *since, const char *until,
                         long long now_epoch, bt_error *err);

/* A search: the matcher (which stays the caller's) and the options, run
 * over one input after another.  Articles are parsed only when their raw
 * form is ambiguous (entities other than the five predefined ones,
 * comments, text that is not clean NFC, odd markup) or when the caller
 * asks for the article (bt_search_article); the others are judged on
 * their raw bytes, with the same result. */
typedef struct bt_search bt_search;
typedef struct bt_found {
    const char *file;      /* the input's name */
    const char *xml;       /* the article as the input holds it */
    size_t len;
    const char *id;        /* its id (16 hex digits) when already known, or "" */
} bt_found;
/* Called for each selected article: 0 to go on, else the search stops. */
typedef int (*bt_found_fn)(bt_search *s, const bt_found *f, void *ctx);
/* on_problem (may be NULL) hears of the articles that could not be
 * searched ("file:line:col: what"), which are left out and the search
 * goes on. */
BT_API bt_search *bt_search_new(bt_matcher *m, const bt_search_opts *o,
                                bt_problem_fn on_problem, void *ctx, bt_error *err);
/* Searches one input (path "-": standard input): the number of articles
 * selected in it, or -1 when the input could not be read to its end (err;
 * the articles before were handed out) or fn stopped it (BT_ERR_STOPPED). */
BT_API long long bt_search_file(bt_search *s, const char *path, bt_found_fn fn,
                                void *ctx, bt_error *err);
/* The article being handed out, parsed (for the time of the call). */
BT_API const bt_article *bt_search_article(bt_search *s, bt_error *err);
/* Before the article being handed out is written as the input holds it
 * (bt_found.xml): an article judged on its raw bytes was read only as far
 * as the search needed, so it is read whole now: without the parser
 * when its markup and text are plainly the format's (a twentieth of the
 * cost of parsing it), else with it.  0, or -1 with the parser's error
 * ("file:line:col: what"): the article must not be written. */
BT_API int bt_search_check_raw(bt_search *s, bt_error *err);
/* 1 when some article was left out for a problem. */
BT_API int bt_search_had_problems(const bt_search *s);
BT_API void bt_search_free(bt_search *s);

/* One article as one line of JSON (no newline), appended to out: an
 * object with every key present, null when the article lacks it:
 * "file" (file, the input searched), "id", "lang", "title", "date" (as
 * printed), "when", "byline", "section", "source" (the site name),
 * "href" and "page" (source/@href and source/@file), "body" (an array:
 * one string per paragraph, heading, quote, list item and caption, and
 * per table row its cells joined by tabs) and "related" (an array of
 * {"href", "text"}). */
BT_API int bt_json_article(const bt_article *a, const char *file, bt_buf *out,
                           bt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* BANTIN_H */
