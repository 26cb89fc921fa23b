/* The byte-level prefilter of the search matcher (lib/prefilter.c);
 * private to lib/match.c. */
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
void bt_prefilter_free(bt_prefilter *p);

#endif
