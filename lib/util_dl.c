/*
 * Libraries opened when first needed (dlopen), not linked: a reader for a
 * format most runs never meet should not make every process load it and
 * what it brings (input_mhtml.c: GMime and glib; input_zip.c: libzip and
 * OpenSSL).  Each user lists its functions in a table of typed pointers
 * and fills it with bt_dl_sym once, under pthread_once.
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void *bt_dl_open(const char *soname, char *why, size_t whylen)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, whylen, "%s", e ? e : soname);
    }
    return h;
}

int bt_dl_sym(void *h, const char *name, void *fn, const char *soname, char *why,
              size_t whylen)
{
    if (why[0])
        return -1; /* an earlier one failed: that is the reason given */
    void *p = dlsym(h, name);
    if (!p) {
        snprintf(why, whylen, "%s has no %s", soname, name);
        return -1;
    }
    /* fn points at a function pointer: memcpy makes the object pointer a
     * function pointer without the cast ISO C leaves undefined */
    memcpy(fn, &p, sizeof p);
    return 0;
}
