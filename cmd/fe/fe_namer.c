/* File names for one file per article (-d DIR): "YYYY-MM-DD-slug.ext",
 * made unique within one run. */
#include "fe.h"

#include <stdlib.h>
#include <string.h>

enum { SLUG_MAX = 60 };

struct fe_namer {
    bt_set *given; /* the names handed out so far */
};

fe_namer *fe_namer_new(void)
{
    fe_namer *n = calloc(1, sizeof *n);
    if (n && !(n->given = bt_set_new())) {
        free(n);
        return NULL;
    }
    return n;
}

void fe_namer_free(fe_namer *n)
{
    if (!n)
        return;
    bt_set_free(n->given);
    free(n);
}

/* Only "YYYY-MM-DD…" from the date goes into a name: anything else in
 * @when (say "../../x") could lead the file out of its directory. */
static int is_iso_day(const char *w)
{
    static const char shape[] = "dddd-dd-dd";
    if (!w || strlen(w) < 10)
        return 0;
    for (int i = 0; i < 10; i++) {
        if (shape[i] == 'd' ? (w[i] < '0' || w[i] > '9') : w[i] != '-')
            return 0;
    }
    return 1;
}

int fe_namer_name(fe_namer *n, const bt_article *a, const char *ext, bt_buf *out)
{
    bt_buf base = BT_BUF_INIT, name = BT_BUF_INIT;
    int rc = -1;
    if (is_iso_day(a->date_when) ? bt_buf_add(&base, a->date_when, 10) < 0
                                 : bt_buf_adds(&base, "undated") < 0)
        goto done;
    char *title = bt_article_title_plain(a);
    if (!title || bt_buf_addc(&base, '-') < 0 || bt_slug(title, SLUG_MAX, &base) < 0) {
        free(title);
        goto done;
    }
    free(title);
    /* the same slug twice in one run: -2, -3, … */
    for (unsigned k = 1;; k++) {
        bt_buf_reset(&name);
        if (bt_buf_add(&name, base.data, base.len) < 0 ||
            (k > 1 && bt_buf_addf(&name, "-%u", k) < 0) || bt_buf_addf(&name, ".%s", ext) < 0)
            goto done;
        int added = bt_set_add(n->given, name.data, name.len);
        if (added < 0)
            goto done;
        if (added)
            break;
    }
    rc = bt_buf_add(out, name.data, name.len);
done:
    bt_buf_free(&base);
    bt_buf_free(&name);
    return rc;
}
