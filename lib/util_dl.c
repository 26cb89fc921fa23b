/*
 * Libraries opened when first needed (dlopen), not linked: a reader for a
 * format most runs never meet should not make every process load it and
 * what it brings (input_mhtml.c: GMime and glib; input_zip.c: libzip and
 * OpenSSL).  Each user lists its functions in a table of typed pointers
 * and fills it once, through bt_dl_ready.
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void *bt_dl_open(bt_dl_lib *l)
{
    void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(l->why, sizeof l->why, "%s", e ? e : l->soname);
    }
    return h;
}

void bt_dl_sym(bt_dl_lib *l, void *h, const char *name, void *fn)
{
    if (l->why[0])
        return; /* an earlier one failed: that is the reason given */
    void *p = dlsym(h, name);
    if (!p) {
        snprintf(l->why, sizeof l->why, "%s has no %s", l->soname, name);
        return;
    }
    /* fn points at a function pointer: memcpy makes the object pointer a
     * function pointer without the cast ISO C leaves undefined */
    memcpy(fn, &p, sizeof p);
}

int bt_dl_ready(bt_dl_lib *l, void (*start)(void), const char *name, bt_error *err)
{
    pthread_once(&l->once, start);
    if (!l->why[0])
        return 0;
    bt_error_set(err, BT_ERR_INPUT, "%s: %s (%s)", name, l->needed_for, l->why);
    return -1;
}
