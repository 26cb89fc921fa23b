/*
 * Single pages: an HTML page, a plain-text page, and what is neither (a
 * script, a style sheet, an image, JSON, binary data: the other files
 * of a page saved "complete").  A page is read whole (up to the page
 * limit), decoded once into clean UTF-8 (bt_decode_page: the charset its
 * container declares, a BOM, the page's own <meta charset>, UTF-16,
 * legacy Vietnamese encodings, repair) and the extractor gets the text.
 */
#include "input_int.h"
#include "text_vec.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- bids ---- */

/* word starts with '<': only the places holding a '<' are compared, so a
 * text page (few or no '<') is sniffed at memchr speed. */
static int has_ci(const char *s, size_t len, const char *word)
{
    size_t w = strlen(word);
    const char *end = s + len;
    for (const char *p = s; (size_t)(end - p) >= w; p++) {
        p = memchr(p, word[0], (size_t)(end - p) - w + 1);
        if (!p)
            return 0;
        if (!strncasecmp(p, word, w))
            return 1;
    }
    return 0;
}

/* The head as ASCII: UTF-16 (BOM) keeps one byte of each pair. */
static size_t ascii_head(const bt_item *it, char *out, size_t outsz)
{
    const unsigned char *u = it->head;
    size_t len = it->headlen, n = 0;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        for (size_t i = u[0] == 0xFF ? 2 : 3; i < len && n < outsz; i += 2)
            out[n++] = (char)u[i];
        return n;
    }
    n = len < outsz ? len : outsz;
    memcpy(out, u, n);
    return n;
}

static const char *const html_exts[] = {".html", ".htm", ".xhtml", ".shtml", ".jsp",
                                        ".php", ".asp", ".aspx", NULL};

static int html_bid(const bt_item *it)
{
    char ascii[BT_SNIFF];
    size_t n = ascii_head(it, ascii, sizeof ascii);
    static const char *const marks[] = {"<html", "<!doctype html", "<head", "<body", "<meta ",
                                        "<title>"};
    for (size_t i = 0; i < BT_ARRAY_LEN(marks); i++)
        if (has_ci(ascii, n, marks[i]))
            return 30;
    if (bt_name_has_ext(it->name, html_exts) && memchr(ascii, '<', n))
        return 20;
    return 0;
}

static int text_bid(const bt_item *it)
{
    (void)it;
    return 1; /* whatever nothing else takes */
}

/* UTF-16 by its BOM or by NUL bytes at every other position. */
static int utf16_like(const unsigned char *u, size_t len)
{
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return 1;
    size_t even = 0, odd = 0, n = len & ~(size_t)1;
    for (size_t i = 0; i < n; i += 2) {
        even += !u[i];
        odd += !u[i + 1];
    }
    return n >= 16 && ((odd * 4 >= n / 2 && even * 20 <= odd) || (even * 4 >= n / 2 && odd * 20 <= even));
}

/* NUL bytes (not UTF-16) or many control codes. */
static int binary_like(const unsigned char *u, size_t len)
{
    if (memchr(u, 0, len))
        return !utf16_like(u, len);
    /* the control codes no text holds (all but \t \n \f \r and ESC) */
    static const unsigned char ctrl_of[32] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1,
                                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1};
    size_t ctrl = 0, i = 0;
    for (; len - i >= BT_VEC; i += BT_VEC) {
        bt_u8x16 v = bt_vec_load(u + i);
        ctrl += bt_vec_count((v < 32) & (v != '\t') & (v != '\n') & (v != '\f') & (v != '\r') &
                             (v != 0x1B));
    }
    for (; i < len; i++)
        ctrl += u[i] < 32 ? ctrl_of[u[i]] : 0;
    return ctrl > 8 && ctrl * 50 > len;
}

/* What a file that is not a page is, or NULL. */
static const char *other_kind(const bt_item *it, int *bid)
{
    static const struct {
        const char *magic;
        size_t len, at;
        const char *what;
    } magics[] = {
        {"\x89PNG\r\n\x1a\n", 8, 0, "a PNG image"}, {"\xFF\xD8\xFF", 3, 0, "a JPEG image"},
        {"GIF87a", 6, 0, "a GIF image"},            {"GIF89a", 6, 0, "a GIF image"},
        {"WEBP", 4, 8, "a WebP image"},             {"%PDF-", 5, 0, "a PDF document"},
        {"wOFF", 4, 0, "a font"},                   {"wOF2", 4, 0, "a font"},
        {"OTTO", 4, 0, "a font"},                   {"\0\1\0\0\0", 5, 0, "a font"},
        {"\0\0\1\0", 4, 0, "an icon"},              {"ftyp", 4, 4, "a video"},
        {"\x1a\x45\xdf\xa3", 4, 0, "a video"},      {"ID3", 3, 0, "a sound file"},
        {"OggS", 4, 0, "a sound file"},             {"BM", 2, 0, NULL},
    };
    const unsigned char *u = it->head;
    size_t n = it->headlen;
    for (size_t i = 0; i < BT_ARRAY_LEN(magics); i++)
        if (magics[i].what && n >= magics[i].at + magics[i].len &&
            !memcmp(u + magics[i].at, magics[i].magic, magics[i].len)) {
            *bid = 50;
            return magics[i].what;
        }
    static const struct {
        const char *ext[8];
        const char *what;
    } names[] = {
        {{".js", ".mjs", ".cjs", NULL}, "a script"},
        {{".css", ".scss", ".less", NULL}, "a style sheet"},
        {{".json", ".map", ".jsonld", ".webmanifest", NULL}, "JSON data"},
        {{".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".avif"}, "an image"},
        {{".woff", ".woff2", ".ttf", ".otf", ".eot", NULL}, "a font"},
        {{".mp4", ".webm", ".mp3", ".ogg", ".wav", ".m4a", NULL}, "a media file"},
        {{".pdf", ".wasm", ".swf", NULL}, "not a page"},
    };
    for (size_t i = 0; i < BT_ARRAY_LEN(names); i++) {
        const char *exts[9];
        memcpy(exts, names[i].ext, sizeof names[i].ext);
        exts[8] = NULL;
        if (bt_name_has_ext(it->name, exts)) {
            *bid = 40; /* above an HTML page's marks: a script may hold "<html" */
            return names[i].what;
        }
    }
    size_t i = 0;
    if (n >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (u[i] == ' ' || u[i] == '\n' || u[i] == '\r' || u[i] == '\t'))
        i++;
    if (i + 1 < n && (u[i] == '{' || u[i] == '[')) {
        size_t k = i + 1;
        while (k < n && (u[k] == ' ' || u[k] == '\n' || u[k] == '\r' || u[k] == '\t'))
            k++;
        if (k < n && (u[k] == '"' || (u[i] == '[' && (u[k] == '{' || u[k] == '[')))) {
            *bid = 25; /* below the marks of an HTML page */
            return "JSON data";
        }
    }
    if (binary_like(u, n)) {
        *bid = 10; /* below every format with a magic number */
        return "binary data";
    }
    return NULL;
}

static int other_bid(const bt_item *it)
{
    int bid = 0;
    return other_kind(it, &bid) ? bid : 0;
}

/* ---- reading ---- */

static int other_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    int bid;
    const char *what = other_kind(it, &bid);
    if (it->listed || it->in_archive) {
        bt_input_problem(c, BT_PROBLEM_SKIPPED, "%s: skipped: not a news page (%s)", it->name,
                         what);
        return 0;
    }
    bt_error_set(err, BT_ERR_INPUT, "%s: not a news page (%s)", it->name, what);
    return -1;
}

static int page_read(bt_input_ctx *c, bt_item *it, int html, bt_error *err)
{
    bt_buf raw = BT_BUF_INIT, dec = BT_BUF_INIT;
    const char *data, *text;
    size_t len, tlen;
    int rc = -1;
    if (bt_src_rest(it->src, c->max_page, it->name, &raw, &data, &len, err) < 0)
        goto done;
    if (bt_decode_page(data, len, c->opts->encoding, it->charset, html, it->name, &dec, &text,
                       &tlen, NULL, err) < 0)
        goto done;
    /* clean text has no NUL: only bytes that needed decoding are looked at */
    if (!html && text != data && binary_like((const unsigned char *)data, len)) {
        bt_error_set(err, BT_ERR_INPUT, "%s: binary data, not a text page", it->name);
        goto done;
    }
    /* the bytes are not needed once decoded into dec */
    if (text == dec.data)
        bt_buf_free(&raw);
    bt_extract_opts opts = *c->opts;
    /* messages name the item; source/@file is set from it->file after
     * (standard input read as one page has no file name to record) */
    opts.name = it->file ? it->name : NULL;
    opts.url = it->url ? it->url : c->opts->url;
    opts.encoding = NULL;
    bt_article a;
    bt_article_init(&a);
    rc = html ? bt_htmlpage_extract(text, tlen, &opts, &a, err)
              : bt_textpage_extract(text, tlen, &opts, &a, err);
    if (rc == 0) { /* not an article: a notice saying why */
        bt_input_problem(c, BT_PROBLEM_NOTICE, "%s", err->msg);
        bt_error_clear(err);
    } else if (rc == 1) {
        rc = bt_input_article(c, it, &a, err);
    }
    bt_article_free(&a);
done:
    bt_buf_free(&raw);
    bt_buf_free(&dec);
    return rc;
}

static int html_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    return page_read(c, it, 1, err);
}

static int text_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    return page_read(c, it, 0, err);
}

const bt_format bt_format_html = {"html", BT_INPUT_HTML, html_bid, html_read, 0};
const bt_format bt_format_text = {"text", BT_INPUT_TEXT, text_bid, text_read, 0};
const bt_format bt_format_other = {"other", BT_INPUT_OTHER, other_bid, other_read, 0};
