/* Private to the search family (lib/search_*.c): the byte-level
 * prefilter, the raw article reader and what the search loop asks of the
 * matcher. */
#ifndef BT_SEARCH_INT_H
#define BT_SEARCH_INT_H

#include "internal.h"

/* ---- the prefilter (search_prefilter.c) ---- */

typedef struct bt_prefilter bt_prefilter;

bt_prefilter *bt_prefilter_new(void);
/* Adds a literal pattern (any folding: the prefilter always folds as
 * loosely as BT_FOLD_BASE does, and ignores white space at the edges).
 * Returns its index, or -1 when out of memory.  A pattern it cannot
 * judge (empty, or without an ASCII letter or digit once folded) "may"
 * match anywhere. */
long bt_prefilter_add(bt_prefilter *p, const char *pattern, size_t len);
int bt_prefilter_judges(const bt_prefilter *p, size_t i);
/* 1 when pattern i may occur in the raw XML of an article (one without
 * comments, CDATA or character references), 0 when it cannot. */
int bt_prefilter_may(const bt_prefilter *p, size_t i, const char *xml, size_t len);

/* The scan over s[from, len) (s is where the article starts; len what is
 * buffered of it and after it):
 *  - with SCAN_EVENTS, it stops at the first '<' the splitter must look
 *    at (see bt_artscan_hook) and returns its offset, and adds BT_PF_AMP
 *    to *flags for a '&' that is not one of the five predefined entities;
 *  - unless *flags holds BT_PF_HIT or BT_PF_ODD, it looks for the places
 *    where pattern i may match and adds BT_PF_HIT at the first, or
 *    BT_PF_ODD at a character its byte sets leave out (a combining mark,
 *    an astral character): the article may then match anywhere; with
 *    SCAN_STOP_HIT it returns that place's offset (for a hit, an anchor
 *    byte of the match).
 * Otherwise it returns len.  Anchors are checked against all of
 * s[0, len), so a "no" is certain only once the article's end is known to
 * lie within len. */
enum { BT_PF_HIT = BT_SCAN_WANT, BT_PF_AMP = BT_SCAN_PARSE, BT_PF_ODD = 4 };
enum { SCAN_EVENTS = 1, SCAN_STOP_HIT = 2 };
size_t bt_prefilter_scan(const bt_prefilter *p, size_t i, const char *s, size_t from,
                         size_t len, unsigned mode, unsigned *flags);
/* Where the loose match through place h (one bt_prefilter_scan returned
 * for pattern i) lies: 1 with s[*start, *end) holding it, 0 when there is
 * none after all, 2 when it cannot tell (markup or characters only the
 * parser reads next to it). */
int bt_prefilter_span(const bt_prefilter *p, size_t i, const char *s, size_t len, size_t h,
                      size_t *start, size_t *end);
/* 1 when bt_prefilter_scan has a vector path for pattern i (else it goes
 * byte by byte and the splitter does better on its own). */
int bt_prefilter_can_fuse(const bt_prefilter *p, size_t i);
/* Chooses the anchor of pattern i that finds the fewest candidates in
 * sample[0, len) (the start of the input). */
void bt_prefilter_tune(bt_prefilter *p, size_t i, const char *sample, size_t len);
void bt_prefilter_free(bt_prefilter *p);

/* The prefilter's fold table (what each BMP code point folds to), as the
 * build computed it: lib/gen/mkfoldtab.c runs the same code the first
 * pattern would run and writes build/gen/foldtab.c.  Computing it takes
 * about 3 ms, the whole of a search of a small file; taking it from here
 * takes a few microseconds.  It is used only when the utf8proc found at
 * run time is the one it was computed with (utf8proc_version()); else,
 * and when utf8proc is "" (lib/gen/foldtab_none.c), the table is computed.
 * entries: every code point from U+0080 whose entry is not itself;
 * multi: the folds to several code points, their count first. */
enum { BT_FOLDTAB_MULTI_MAX = 6 };
typedef struct bt_foldtab {
    const char *utf8proc;
    size_t n;
    const uint32_t (*entries)[2];
    size_t nmulti;
    const uint32_t (*multi)[1 + BT_FOLDTAB_MULTI_MAX];
} bt_foldtab;
extern const bt_foldtab bt_foldtab_built;
/* Computes the table and writes it as the C source of bt_foldtab_built:
 * 0, or -1 when out of memory or when out fails. */
int bt_prefilter_write_foldtab(FILE *out);

/* ---- raw articles (search_raw.c) ---- */

/* What a question about the raw bytes can answer besides yes and no:
 * only the parser can tell. */
enum { RAW_NO = 0, RAW_YES = 1, RAW_PARSE = 2 };

/* A block of an article's text in its raw XML: the content of a <title>,
 * <p>, <h>, <quote>, <item>, <caption>, <cell>, <byline>, <source> or
 * <link> element, xml[start, end). */
typedef struct raw_block {
    unsigned field; /* BT_FIELD_* */
    size_t start, end;
} raw_block;

/* The block whose text holds byte h: RAW_YES (*b set), RAW_NO (h is in a
 * tag or between elements) or RAW_PARSE. */
int bt_raw_block_at(const char *xml, size_t len, size_t h, raw_block *b);
/* Calls fn for each block of the fields wanted, in order: RAW_NO when
 * every call returned RAW_NO, else the first other result of fn, or
 * RAW_PARSE when the markup is unusual. */
int bt_raw_blocks(const char *xml, size_t len, unsigned fields,
                  int (*fn)(void *ctx, const raw_block *b), void *ctx);
/* The text of block b appended to out as the parser would give it (inline
 * tags dropped, the five entities read): RAW_YES, RAW_PARSE (it is not
 * clean NFC, or holds markup the parser must read) or -1 (out of memory). */
int bt_raw_text(const char *xml, const raw_block *b, bt_buf *out);
/* The article xml[0, len) (one bt_rawarticle.must_parse does not flag),
 * read before it is written out as it stands: RAW_YES when every tag is
 * one of the format's elements, with its attributes quoted, the tags nest
 * from <article> to its end tag, and the bytes are text XML takes
 * (bt_xml_text_ok); else RAW_PARSE, and the parser says what is wrong,
 * if anything. */
int bt_raw_check(const char *xml, size_t len);

/* ---- text an XML reader takes (search_valid.c) ---- */

/* 1 when text[0, len) is UTF-8 holding only characters XML 1.0 allows,
 * else 0; with the widest vector step the CPU runs. */
int bt_xml_text_ok(const char *text, size_t len);
/* The same with the step of isa: 512 (AVX-512BW), 256 (AVX2) or 0 (a
 * character at a time), which the CPU must run (the tests compare them). */
int bt_xml_text_ok_isa(const char *text, size_t len, int isa);
/* The value of attribute attr of the first element named elem (NULL: the
 * article itself) into out: RAW_YES, RAW_NO (no such attribute or
 * element) or RAW_PARSE (a value the parser must read), -1 (out of
 * memory). */
int bt_raw_attr(const char *xml, size_t len, const char *elem, const char *attr,
                bt_buf *out);

/* ---- the matcher (search_match.c) for the search loop ---- */

/* The patterns on a raw article (one bt_rawarticle.must_parse does not
 * flag): 1, 0, RAW_PARSE (ask bt_matcher_article), or -1 (err). */
int bt_matcher_raw(bt_matcher *m, const char *xml, size_t len, bt_error *err);
/* A hook (bt_artscan_hook) that wants the articles m may match: 1 and
 * *hook set, or 0 when m has no pattern that every match needs and the
 * prefilter can judge. */
int bt_matcher_hook(bt_matcher *m, int skip, bt_artscan_hook *hook);

#endif
