/*
 * The JSON writer, beside the XML writer: one article as one JSON object
 * (newsgrep --format json).  Every key is always there, null when the
 * article lacks it, so that a consumer (jq, a spreadsheet import) sees one
 * shape.  json-c does the escaping.
 */
#include "internal.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

/* The string, or null (NULL in, or out of memory: *failed then). */
static json_object *str(const char *s, size_t len, int *failed)
{
    if (!s)
        return NULL;
    json_object *o = json_object_new_string_len(s, (int)len);
    if (!o)
        *failed = 1;
    return o;
}

static json_object *cstr(const char *s, int *failed)
{
    return s ? str(s, strlen(s), failed) : NULL;
}

static int add(json_object *o, const char *key, json_object *v)
{
    return json_object_object_add(o, key, v);
}

/* Appends t's plain text to the array (skipping empty text). */
static int add_text(json_object *arr, const bt_text *t, bt_buf *b)
{
    bt_buf_reset(b);
    if (bt_text_plain(t, b) < 0)
        return -1;
    if (!b->len)
        return 0;
    json_object *s = json_object_new_string_len(b->data, (int)b->len);
    return s ? json_object_array_add(arr, s) : -1;
}

static int body_array(json_object *arr, const bt_article *a, bt_buf *b)
{
    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *blk = &a->blocks[i];
        if (blk->kind == BT_BLOCK_LIST) {
            for (size_t k = 0; k < blk->nitems; k++)
                if (add_text(arr, &blk->items[k], b) < 0)
                    return -1;
            continue;
        }
        if (add_text(arr, &blk->text, b) < 0) /* or the caption */
            return -1;
        for (size_t r = 0; blk->kind == BT_BLOCK_TABLE && r < blk->nrows; r++) {
            /* a row: its cells joined by tabs */
            bt_buf_reset(b);
            for (size_t c = 0; c < blk->rows[r].ncells; c++)
                if ((c && bt_buf_addc(b, '\t') < 0) ||
                    bt_text_plain(&blk->rows[r].cells[c].text, b) < 0)
                    return -1;
            json_object *s = json_object_new_string_len(b->data, (int)b->len);
            if (!s || json_object_array_add(arr, s) < 0)
                return -1;
        }
    }
    return 0;
}

int bt_json_article(const bt_article *a, const char *file, bt_buf *out, bt_error *err)
{
    json_object *o = json_object_new_object(), *body = json_object_new_array(),
                *rel = json_object_new_array();
    bt_buf b = BT_BUF_INIT;
    char *title = bt_article_title_plain(a);
    int failed = !o || !body || !rel || !title, rc = -1;
    if (failed)
        goto done;
    failed |= add(o, "file", cstr(file, &failed)) < 0;
    failed |= add(o, "id", a->id[0] ? cstr(a->id, &failed) : NULL) < 0;
    failed |= add(o, "lang", cstr(a->lang, &failed)) < 0;
    failed |= add(o, "title", cstr(title, &failed)) < 0;
    failed |= add(o, "date", cstr(a->date_text, &failed)) < 0;
    failed |= add(o, "when", cstr(a->date_when, &failed)) < 0;
    failed |= add(o, "byline", cstr(a->byline, &failed)) < 0;
    failed |= add(o, "section", cstr(a->section, &failed)) < 0;
    failed |= add(o, "source", cstr(a->source_name, &failed)) < 0;
    failed |= add(o, "href", cstr(a->source_href, &failed)) < 0;
    failed |= add(o, "page", cstr(a->source_file, &failed)) < 0;
    if (failed || body_array(body, a, &b) < 0)
        goto done;
    failed = add(o, "body", body) < 0;
    body = NULL;
    for (size_t i = 0; !failed && i < a->nrelated; i++) {
        json_object *l = json_object_new_object();
        failed = !l || json_object_array_add(rel, l) < 0;
        if (failed) {
            json_object_put(l);
            break;
        }
        failed |= add(l, "href", cstr(a->related[i].href, &failed)) < 0;
        failed |= add(l, "text", cstr(a->related[i].text, &failed)) < 0;
    }
    if (failed || add(o, "related", rel) < 0)
        goto done;
    rel = NULL;
    size_t n;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
    if (s && bt_buf_add(out, s, n) == 0)
        rc = 0;
done:
    if (rc < 0)
        bt_error_nomem(err, "json");
    json_object_put(body);
    json_object_put(rel);
    json_object_put(o);
    free(title);
    bt_buf_free(&b);
    return rc;
}
