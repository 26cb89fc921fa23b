/*
 * Zip archives of pages, read with libzip member by member, each member
 * decompressed into memory up to the page limit (a zip bomb stops
 * there) and never written to disk, so "../" in a member's name is only
 * a name.  Members are taken in the archive's order.
 */
#include "input_int.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

static int skipped_member(const char *n)
{
    size_t len = strlen(n);
    return !len || n[len - 1] == '/' || !strncmp(n, "__MACOSX/", 9);
}

/* Reads one member into out; 0, or -1 with a problem reported. */
static int read_member(const bt_input_ctx *c, zip_t *z, zip_uint64_t i, const char *label, bt_buf *out)
{
    zip_file_t *zf = zip_fopen_index(z, i, 0);
    if (!zf) {
        bt_input_problem(c, 1, "%s: cannot read: %s", label, zip_strerror(z));
        return -1;
    }
    int rc = 0;
    for (;;) {
        if (bt_buf_grow(out, BT_SRC_CHUNK) < 0) {
            bt_input_problem(c, 1, "%s: out of memory", label);
            rc = -1;
            break;
        }
        zip_int64_t k = zip_fread(zf, out->data + out->len, BT_SRC_CHUNK);
        if (k < 0) {
            bt_input_problem(c, 1, "%s: cannot read: %s", label, zip_file_strerror(zf));
            rc = -1;
            break;
        }
        if (k == 0)
            break;
        out->len += (size_t)k;
        out->data[out->len] = '\0';
        if (out->len > c->max_page) {
            bt_input_problem(c, 1, "%s: larger than %zu MB; skipped", label, c->max_page >> 20);
            rc = -1;
            break;
        }
    }
    zip_fclose(zf);
    return rc;
}

int bt_zip_read(const bt_input_ctx *c, const char *name, const char *path, const char *data,
                size_t len, int depth, bt_error *err)
{
    zip_t *z = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    if (path) {
        int code = 0;
        z = zip_open(path, ZIP_RDONLY, &code);
        if (!z)
            zip_error_init_with_code(&ze, code);
    } else {
        zip_source_t *s = zip_source_buffer_create(data, len, 0, &ze);
        if (s && !(z = zip_open_from_source(s, ZIP_RDONLY, &ze)))
            zip_source_free(s);
    }
    if (!z) {
        bt_error_set(err, BT_ERR_INPUT, "%s: not a readable zip archive: %s", name, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        if (depth > 0) {
            bt_input_problem(c, 1, "%s", err->msg);
            bt_error_clear(err);
            return 0;
        }
        return -1;
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(z, 0);
    bt_buf page = BT_BUF_INIT;
    int rc = 0;
    for (zip_int64_t i = 0; i < n && !rc; i++) {
        const char *member = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!member || skipped_member(member))
            continue;
        size_t llen = strlen(name) + strlen(member) + 2;
        char *label = malloc(llen);
        if (!label) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            rc = -1;
            break;
        }
        snprintf(label, llen, "%s:%s", name, member);
        bt_buf_reset(&page);
        if (read_member(c, z, (zip_uint64_t)i, label, &page) == 0)
            rc = bt_input_memory(c, label, label, NULL, page.data, page.len,
                                 depth + 1, err);
        free(label);
    }
    bt_buf_free(&page);
    zip_discard(z);
    return rc;
}
