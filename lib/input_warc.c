/*
 * Web archives (WARC 1.0/1.1, ISO 28500), as written by wget
 * --warc-file and by crawlers, plain or gzip'd record by record.  The
 * archive is streamed: each record's header is read, an HTML response
 * (or resource) record's block is read (up to the page limit) and
 * goes on to the dispatcher as a page (input_http.c undoes the HTTP
 * framing) with source/@href from WARC-Target-URI; any other record is
 * skipped without being kept (with --images, an image record goes to
 * the archive's image index, input_webimg.c).  Broken records (no
 * Content-Length, cut off) end the archive with one message; the records
 * before are kept.
 */
#include "input_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_HEADERS = 1 << 20 };

static int html_type(const char *type)
{
    return !type[0] || strstr(type, "html") != NULL;
}

static const char *header_value(const bt_buf *line, const char *key)
{
    size_t n;
    const char *v = bt_header_value(line->data, line->len, key, &n);
    return v;
}

/* A URI header's value (WARC 1.0 wrote it in angle brackets). */
static int set_uri(char **to, const char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
        v++, n -= 2;
    free(*to);
    return (*to = bt_strndup(v, n)) ? 0 : -1;
}

static int warc_bid(const bt_item *it)
{
    return it->headlen >= 8 && !memcmp(it->head, "WARC/", 5) && it->head[5] >= '0' &&
                   it->head[5] <= '9'
               ? 48
               : 0;
}

static int warc_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    const char *name = it->name;
    bt_src *src = it->src;
    bt_budget budget;
    bt_item_budget(&budget, it, c);
    bt_item self = *it;
    self.budget = &budget;
    bt_webimg w;
    bt_webimg_init(&w, c, it);
    if (w.src.find)
        self.images = &w.src;
    size_t max_block = c->max_page;
    if (c->opts->images && bt_images_max_bytes(c->opts->images) > max_block)
        max_block = bt_images_max_bytes(c->opts->images);
    bt_lines r = {src, malloc(BT_SRC_CHUNK), 0, 0, 0};
    bt_buf line = BT_BUF_INIT, block = BT_BUF_INIT;
    char *uri = NULL, *refers = NULL;
    int rc = 0;
    if (!r.buf) {
        bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
        return -1;
    }
    for (size_t records = 0; !bt_item_stopped(&self); records++) {
        int l;
        do /* records are separated by blank lines */
            l = bt_lines_get(&r, &line);
        while (l == 1 && line.len == 0);
        if (l == 0)
            break;
        unsigned long long at = src->out;
        if (l < 0 || strncmp(line.data, "WARC/", 5)) {
            const char *why = src->error ? src->error : "not a WARC record header";
            if (records == 0) {
                bt_error_set(err, BT_ERR_INPUT, "%s: %s", name, why);
                rc = -1;
            } else {
                bt_input_problem(c, BT_PROBLEM_FAILED, "%s: record %zu (near byte %llu): %s; the rest is skipped",
                                 name, records + 1, at, why);
            }
            break;
        }
        char type[64] = "", ctype[128] = "";
        long long length = -1;
        int cut = 0;
        free(uri);
        free(refers);
        uri = refers = NULL;
        size_t header_bytes = 0;
        while ((l = bt_lines_get(&r, &line)) == 1 && line.len) {
            const char *v;
            header_bytes += line.len;
            if (header_bytes > MAX_HEADERS) {
                l = -1;
                break;
            }
            if ((v = header_value(&line, "WARC-Type")))
                snprintf(type, sizeof type, "%s", v);
            else if ((v = header_value(&line, "Content-Type")))
                snprintf(ctype, sizeof ctype, "%s", v);
            else if (header_value(&line, "WARC-Truncated"))
                cut = 1; /* the crawler kept only the start of the body */
            else if ((v = header_value(&line, "Content-Length"))) {
                char *end;
                length = strtoll(v, &end, 10);
                if (end == v || length < 0)
                    length = -1;
            } else if ((v = header_value(&line, "WARC-Target-URI"))) {
                if (set_uri(&uri, v) < 0) {
                    l = -1;
                    break;
                }
            } else if (w.src.find && (v = header_value(&line, "WARC-Refers-To-Target-URI"))) {
                if (set_uri(&refers, v) < 0) {
                    l = -1;
                    break;
                }
            }
        }
        if (l != 1 || length < 0) {
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s: record %zu: %s; the rest is skipped", name, records + 1,
                             src->error ? src->error
                             : l == 0  ? "truncated WARC record header"
                                       : "bad WARC record header (no Content-Length)");
            break;
        }
        int is_http = !strcasecmp(type, "response") && !strncasecmp(ctype, "application/http", 16);
        int wanted = is_http || (!strcasecmp(type, "resource") &&
                                 ((html_type(ctype) && ctype[0]) || w.src.find));
        int terr = 0;
        if (wanted && (unsigned long long)length > max_block + (unsigned long long)MAX_HEADERS) {
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s:%s: larger than %zu MB; skipped", name, uri ? uri : "",
                             c->max_page >> 20);
            wanted = 0;
        }
        bt_buf_reset(&block);
        long long block_at = bt_webimg_at(&w, &r);
        unsigned long long got = bt_lines_take(&r, (unsigned long long)length, wanted ? &block : NULL, &terr);
        if (terr == 2) {
            bt_error_set(err, BT_ERR_NOMEM, "%s: out of memory", name);
            rc = -1;
            break;
        }
        if (got < (unsigned long long)length) {
            if (bt_item_stopped(&self))
                break;
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s: record %zu (%s): truncated WARC record (%llu of %lld bytes)%s%s",
                             name, records + 1, uri ? uri : type, got, length,
                             src->error ? ": " : "", src->error ? src->error : "");
            break;
        }
        if (refers && uri && !strcasecmp(type, "revisit") &&
            (rc = bt_webimg_alias(&w, uri, refers, err)) != 0)
            break; /* the same image as an earlier record, by another URL */
        if (wanted) {
            char label[1200];
            snprintf(label, sizeof label, "%s:%s", name, uri && *uri ? uri : "(no URI)");
            rc = bt_http_page(c, &self, label, uri && *uri ? uri : NULL, block.data, block.len,
                              is_http, ctype, &w, cut, block_at, err);
            if (rc)
                break;
        }
    }
    free(uri);
    free(refers);
    free(r.buf);
    bt_buf_free(&line);
    bt_buf_free(&block);
    if (rc == 0)
        rc = bt_webimg_flush(&w, c, err);
    bt_webimg_free(&w);
    bt_budget_report(c, &budget);
    return rc;
}

const bt_format bt_format_warc = {"warc", BT_INPUT_WARC, warc_bid, warc_read, 1};
