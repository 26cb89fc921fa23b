/*
 * ARC files, the Internet Archive's format before WARC (.arc, and .arc.gz
 * with one gzip member per record, unpacked by the gzip filter).  A file
 * starts with a filedesc:// record whose block says the version (1 or
 * 2); then each record is one header line, "URL IP DATE TYPE LENGTH" in
 * version 1 (ten fields in version 2, the length last), and LENGTH bytes
 * holding the HTTP response, which input_http.c reads like a WARC
 * response.  URLs may hold spaces, so the fields are taken from the
 * right.  Streamed record by record; a broken record ends the file with
 * one message, the records before are kept.
 */
#include "input_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int arc_bid(const bt_item *it)
{
    return it->headlen >= 11 && !memcmp(it->head, "filedesc://", 11) ? 88 : 0;
}

/* Splits an ARC header line: the URL (everything before the last nfields
 * fields), the media type (field type_at from the right, 1-based) and the
 * length (the last field).  -1 when the line does not have that shape. */
static int header_line(char *line, size_t len, int nfields, int type_at, char **url,
                       const char **type, long long *length)
{
    char *fields[10];
    size_t end = len;
    for (int k = 0; k < nfields; k++) {
        while (end > 0 && line[end - 1] == ' ')
            end--;
        size_t start = end;
        while (start > 0 && line[start - 1] != ' ')
            start--;
        if (start == end || start == 0)
            return -1;
        fields[k] = line + start;
        line[end] = '\0';
        end = start;
    }
    while (end > 0 && line[end - 1] == ' ')
        end--;
    if (!end)
        return -1;
    line[end] = '\0';
    *url = line;
    *type = fields[type_at - 1];
    char *e;
    *length = strtoll(fields[0], &e, 10);
    return *e || *length < 0 || e == fields[0] ? -1 : 0;
}

static int arc_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    bt_webarc a;
    if (bt_webarc_open(&a, c, it, err) < 0)
        return -1;
    bt_buf *line = &a.line, *block = &a.block;
    int rc = 0, version = 1;
    for (size_t records = 0;; records++) {
        int l = bt_webarc_next(&a);
        if (l == 0)
            break;
        char *url = line->data;
        const char *type;
        long long length = -1;
        /* version 2 header lines have ten fields: type is the 7th from the right */
        int ok = l == 1 && (version == 2 ? header_line(line->data, line->len, 9, 7, &url, &type, &length)
                                         : header_line(line->data, line->len, 4, 2, &url, &type, &length)) == 0;
        if (!ok || (records == 0 && strncmp(url, "filedesc://", 11))) {
            const char *why = it->src->error ? it->src->error
                              : l < 0        ? "line too long"
                              : records == 0 && strncmp(line->data, "filedesc://", 11)
                                  ? "not an ARC file (no filedesc:// record)"
                                  : "bad ARC record header (URL IP DATE TYPE LENGTH)";
            if (records == 0) {
                bt_error_set(err, BT_ERR_INPUT, "%s: %s", it->name, why);
                rc = -1;
            } else {
                bt_input_problem(c, BT_PROBLEM_FAILED, "%s: record %zu: %s; the rest is skipped",
                                 it->name, records + 1, why);
            }
            break;
        }
        int wanted = records > 0 && (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) &&
                     (unsigned long long)length <= a.max_block + (1 << 20);
        char *u = bt_strdup(url);
        if (!u) {
            bt_error_nomem(err, it->name);
            rc = -1;
            break;
        }
        int got = bt_webarc_block(&a, length, wanted || records == 0, "ARC", records + 1, u, err);
        if (got <= 0) {
            rc = got;
            free(u);
            break;
        }
        if (records == 0) {
            version = block->len >= 2 && block->data[0] == '2' && block->data[1] == ' ' ? 2 : 1;
        } else if (wanted) {
            bt_buf label = BT_BUF_INIT;
            if (bt_buf_addf(&label, "%s:%s", it->name, u) < 0) {
                free(u);
                bt_error_nomem(err, it->name);
                rc = -1;
                break;
            }
            rc = bt_http_page(c, &a.self, label.data, u, block->data, block->len, 1, "", &a.w, 0,
                              a.at, err);
            bt_buf_free(&label);
        }
        free(u);
        if (rc)
            break;
    }
    return bt_webarc_close(&a, rc, err);
}

const bt_format bt_format_arc = {"arc", BT_INPUT_ARC, arc_bid, arc_read, 1};
