/* Where a figure's image is: a src relative to the XML file it was read
 * from is made a path the printers can open from anywhere. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "http:", "data:", "file:": a scheme, RFC 3986 (two letters at least, so
 * that "C:" or "a:b.jpg" stay paths). */
static size_t scheme_len(const char *s)
{
    size_t i = 0;
    while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
           (i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
                      s[i] == '.')))
        i++;
    return i >= 2 && s[i] == ':' ? i : 0;
}

int bt_src_is_remote(const char *src)
{
    if (!src)
        return 0;
    size_t n = scheme_len(src);
    if (!strncmp(src, "//", 2))
        return 1; /* scheme-relative: a URL */
    return n && !(n == 4 && !strncasecmp(src, "file", 4));
}

int bt_article_resolve_figures(bt_article *a, const char *dir, bt_error *err)
{
    for (size_t i = 0; i < a->nblocks; i++) {
        bt_block *b = &a->blocks[i];
        if (b->kind != BT_BLOCK_FIGURE || !b->src || !*b->src || bt_src_is_remote(b->src))
            continue;
        const char *path = b->src;
        if (!strncasecmp(path, "file://", 7))
            path += 7; /* file:///abs/path; a host part is not ours to read */
        else if (!strncasecmp(path, "file:", 5))
            path += 5;
        char *resolved;
        if (path[0] == '/' || !dir || !*dir || !strcmp(dir, ".")) {
            resolved = bt_strdup(path);
        } else {
            bt_buf p = BT_BUF_INIT;
            int rc = bt_buf_adds(&p, dir);
            if (rc == 0 && p.data[p.len - 1] != '/')
                rc = bt_buf_addc(&p, '/');
            if (rc == 0)
                rc = bt_buf_adds(&p, path);
            resolved = rc == 0 ? bt_buf_detach(&p) : NULL;
            bt_buf_free(&p);
        }
        if (!resolved) {
            bt_error_nomem(err, NULL);
            return -1;
        }
        free(b->src);
        b->src = resolved;
    }
    return 0;
}
