/*
 * Writes build/gen/foldtab.c, the prefilter's fold table as computed at
 * build time (bt_foldtab in lib/search_int.h), to standard output.  It is
 * linked with the library's objects and lib/gen/foldtab_none.c, so the
 * table it writes is computed by the very code a search would run.
 */
#include "search_int.h"

int main(void)
{
    if (bt_prefilter_write_foldtab(stdout) < 0) {
        fputs("mkfoldtab: cannot write the fold table\n", stderr);
        return 2;
    }
    return 0;
}
