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
    bt_webarc a;
    if (bt_webarc_open(&a, c, it, err) < 0)
        return -1;
    char *uri = NULL, *refers = NULL;
    int rc = 0;
    for (size_t records = 0;; records++) {
        int l = bt_webarc_next(&a);
        if (l == 0)
            break;
        unsigned long long at = src->out;
        if (l < 0 || strncmp(a.line.data, "WARC/", 5)) {
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
        while ((l = bt_lines_get(&a.r, &a.line)) == 1 && a.line.len) {
            const char *v;
            header_bytes += a.line.len;
            if (header_bytes > MAX_HEADERS) {
                l = -1;
                break;
            }
            if ((v = header_value(&a.line, "WARC-Type")))
                snprintf(type, sizeof type, "%s", v);
            else if ((v = header_value(&a.line, "Content-Type")))
                snprintf(ctype, sizeof ctype, "%s", v);
            else if (header_value(&a.line, "WARC-Truncated"))
                cut = 1; /* the crawler kept only the start of the body */
            else if ((v = header_value(&a.line, "Content-Length"))) {
                char *end;
                length = strtoll(v, &end, 10);
                if (end == v || length < 0)
                    length = -1;
            } else if ((v = header_value(&a.line, "WARC-Target-URI"))) {
                if (set_uri(&uri, v) < 0) {
                    l = -1;
                    break;
                }
            } else if (a.w.src.find && (v = header_value(&a.line, "WARC-Refers-To-Target-URI"))) {
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
                                 ((html_type(ctype) && ctype[0]) || a.w.src.find));
        if (wanted && (unsigned long long)length > a.max_block + (unsigned long long)MAX_HEADERS) {
            bt_input_problem(c, BT_PROBLEM_FAILED, "%s:%s: larger than %zu MB; skipped", name, uri ? uri : "",
                             c->max_page >> 20);
            wanted = 0;
        }
        int got = bt_webarc_block(&a, length, wanted, "WARC", records + 1, uri ? uri : type, err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (refers && uri && !strcasecmp(type, "revisit") &&
            (rc = bt_webimg_alias(&a.w, uri, refers, err)) != 0)
            break; /* the same image as an earlier record, by another URL */
        if (wanted) {
            char label[1200];
            snprintf(label, sizeof label, "%s:%s", name, uri && *uri ? uri : "(no URI)");
            rc = bt_http_page(c, &a.self, label, uri && *uri ? uri : NULL, a.block.data, a.block.len,
                              is_http, ctype, &a.w, cut, a.at, err);
            if (rc)
                break;
        }
    }
    free(uri);
    free(refers);
    return bt_webarc_close(&a, rc, err);
}

const bt_format bt_format_warc = {"warc", BT_INPUT_WARC, warc_bid, warc_read, 1};
