/* The byte-level prefilter of the search matcher (lib/search_prefilter.c);
 * private to lib/search_match.c. */
#ifndef BT_PREFILTER_H
#define BT_PREFILTER_H

#include "internal.h"

typedef struct bt_prefilter bt_prefilter;

bt_prefilter *bt_prefilter_new(void);
/* Adds a literal pattern (any folding: the prefilter always folds as
 * loosely as BT_FOLD_BASE does).  Returns its index, or -1 when out of
 * memory.  A pattern it cannot judge (empty, or with markup characters)
 * always "may" match. */
long bt_prefilter_add(bt_prefilter *p, const char *pattern, size_t len);
/* 1 when pattern i may occur in the raw XML of an article (one without
 * comments, CDATA or character references), 0 when it cannot. */
int bt_prefilter_may(bt_prefilter *p, size_t i, const char *xml, size_t len);
/* The fused pass of the splitter (lib/xml_split.c) over an article's
 * content: scans s[from, len) (s is where the article starts, len what
 * is buffered of it and after it) and returns the offset of the first
 * '<' that the splitter must look at ("</a", "<ar", "<!", "<?", or one
 * too near len to tell), or len.  On the way it adds to *flags
 * BT_PF_AMP for a '&' that is not one of the five predefined entities,
 * and BT_PF_HIT when pattern i may match around some byte before the
 * returned offset (once set, it is not looked for again).  Anchors are
 * checked against all of s[0, len), so a "no" is certain only once the
 * article's end is known to lie within len. */
enum { BT_PF_HIT = 1, BT_PF_AMP = 2 };
size_t bt_prefilter_structure(const bt_prefilter *p, size_t i, const char *s,
                              size_t from, size_t len, unsigned *flags);
/* 1 when bt_prefilter_structure has a vector path for pattern i (else it
 * goes byte by byte and the splitter does better on its own). */
int bt_prefilter_can_fuse(const bt_prefilter *p, size_t i);
/* Chooses the anchor of pattern i's fused pass that finds the fewest
 * candidates in sample[0, len) (the start of the input). */
void bt_prefilter_tune(bt_prefilter *p, size_t i, const char *sample, size_t len);
/* The pattern whose "no" rules an article out for matcher m: 1 and *pf,
 * *i set when there is one the fused pass can take, else 0. */
int bt_matcher_gate(bt_matcher *m, bt_prefilter **pf, size_t *i);
void bt_prefilter_free(bt_prefilter *p);

#endif
