/* File names for one-file-per-article output (-d DIR), shared by xml2docx
 * and xml2pdf: "YYYY-MM-DD-slug.ext", made unique within one run. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Names handed out so far, in a small open-addressing hash set. */
struct bt_namer {
    char **slots;
    size_t cap;
    size_t used;
};

enum { SLUG_MAX = 60 };

bt_namer *bt_namer_new(void)
{
    return calloc(1, sizeof(bt_namer));
}

void bt_namer_free(bt_namer *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->cap; i++)
        free(n->slots[i]);
    free(n->slots);
    free(n);
}

static size_t hash_name(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 ^ (unsigned char)*s;
    return h;
}

static int seen(const bt_namer *n, const char *s)
{
    if (!n->cap)
        return 0;
    for (size_t i = hash_name(s) & (n->cap - 1); n->slots[i]; i = (i + 1) & (n->cap - 1))
        if (!strcmp(n->slots[i], s))
            return 1;
    return 0;
}

static int insert(bt_namer *n, char *s)
{
    if ((n->used + 1) * 2 > n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 64;
        char **slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < n->cap; i++) {
            if (!n->slots[i])
                continue;
            size_t j = hash_name(n->slots[i]) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = n->slots[i];
        }
        free(n->slots);
        n->slots = slots;
        n->cap = cap;
    }
    size_t i = hash_name(s) & (n->cap - 1);
    while (n->slots[i])
        i = (i + 1) & (n->cap - 1);
    n->slots[i] = s;
    n->used++;
    return 0;
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

int bt_namer_name(bt_namer *n, const bt_article *a, const char *ext, bt_buf *out)
{
    bt_buf base = BT_BUF_INIT, name = BT_BUF_INIT;
    const char *w = a->date_when;
    int rc = -1;
    if (is_iso_day(w)) {
        if (bt_buf_add(&base, w, 10) < 0)
            goto done;
    } else if (bt_buf_adds(&base, "undated") < 0) {
        goto done;
    }
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
            (k > 1 && bt_buf_addf(&name, "-%u", k) < 0) ||
            bt_buf_addf(&name, ".%s", ext) < 0)
            goto done;
        if (!seen(n, name.data))
            break;
    }
    char *keep = bt_strdup(name.data);
    if (!keep || insert(n, keep) < 0) {
        free(keep);
        goto done;
    }
    rc = bt_buf_add(out, name.data, name.len);
done:
    bt_buf_free(&base);
    bt_buf_free(&name);
    return rc;
}
