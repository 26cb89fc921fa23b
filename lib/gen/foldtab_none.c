/* No fold table from the build: the prefilter computes it when the first
 * pattern comes.  Linked into lib/gen/mkfoldtab.c, which writes the real
 * one, and into builds that do not run it (make fuzz). */
#include "search_int.h"

const bt_foldtab bt_foldtab_built = {"", 0, NULL, 0, NULL};
