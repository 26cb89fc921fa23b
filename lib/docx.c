/* docx.c — articles as an Office Open XML (ECMA-376) WordprocessingML
 * document: the writer's life and the article's text (titles, runs,
 * paragraphs, lists, related links, the table of contents).  Articles
 * stream into word/document.xml through spools that move to temporary
 * files once they grow, so a document of any number of articles is
 * written in bounded memory; docx_package.c zips the parts at close. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docx_int.h"

/* The article's lang as a Word language tag: "vi" → "vi-VN". */
static void word_lang(const char *lang, char out[16])
{
    static const struct { const char *two, *full; } regions[] = {
        {"vi", "vi-VN"}, {"en", "en-US"}, {"fr", "fr-FR"}, {"de", "de-DE"},
        {"zh", "zh-CN"}, {"ja", "ja-JP"}, {"ko", "ko-KR"}, {"ru", "ru-RU"},
        {"lo", "lo-LA"}, {"km", "km-KH"}, {"th", "th-TH"}, {"es", "es-ES"},
    };
    size_t n = lang ? strlen(lang) : 0;

    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)lang[i]) && lang[i] != '-')
            n = 0;
    if (n == 0 || n > 15) {
        strcpy(out, "vi-VN");
        return;
    }
    for (size_t i = 0; i < BT_ARRAY_LEN(regions); i++) {
        if (!strcasecmp(lang, regions[i].two)) {
            strcpy(out, regions[i].full);
            return;
        }
    }
    memcpy(out, lang, n + 1);
}

const char *bt_docx_lang(const bt_docx *d)
{
    return d->lang[0] ? d->lang : "vi-VN";
}

const bt_words *bt_docx_furniture(const bt_docx *d, const char *lang)
{
    const bt_words *w = bt_words_for(d->opts.lang ? d->opts.lang : lang);
    return w ? w : bt_words_for("en");
}

bt_docx *bt_docx_open(const bt_docx_opts *opts, bt_error *err)
{
    bt_docx *d = calloc(1, sizeof(*d));

    if (!d) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    bt_spool_init(&d->body);
    bt_spool_init(&d->toc);
    bt_spool_init(&d->rels);
    bt_spool_init(&d->media);
    bt_buf_init(&d->own.styles, 0);
    bt_buf_init(&d->scratch, 0);
    if (opts)
        d->opts = *opts;
    else
        bt_docx_opts_init(&d->opts);
    if (d->opts.compress_level < 1 || d->opts.compress_level > 9)
        d->opts.compress_level = 6;
    if ((d->opts.font && !(d->font = bt_strdup(d->opts.font))) ||
        (d->opts.reference_doc && !(d->reference_doc = bt_strdup(d->opts.reference_doc))) ||
        (d->opts.lang && !(d->lang_opt = bt_strdup(d->opts.lang))))
        goto oom;
    d->opts.font = d->font;
    d->opts.reference_doc = d->reference_doc;
    d->opts.lang = d->lang_opt;
    d->opts.prepared = NULL; /* the caller's: only read through d->prep */
    if (bt_xw_open_io(&d->xbody, bt_spool_write, &d->body) < 0 ||
        bt_xw_open_io(&d->xtoc, bt_spool_write, &d->toc) < 0 ||
        bt_xw_open_io(&d->xrels, bt_spool_write, &d->rels) < 0)
        goto oom;
    if (opts && opts->prepared) {
        d->prep = opts->prepared;
    } else {
        if (bt_docx_prepare(&d->opts, &d->own, err) < 0) {
            bt_docx_abort(d);
            return NULL;
        }
        d->prep = &d->own;
    }
    bt_docx_page_of(&d->opts, &d->page);
    return d;
oom:
    bt_error_nomem(err, NULL);
    bt_docx_abort(d);
    return NULL;
}

void bt_docx_abort(bt_docx *d)
{
    if (!d)
        return;
    bt_xw_close(&d->xbody);
    bt_xw_close(&d->xtoc);
    bt_xw_close(&d->xrels);
    bt_spool_free(&d->body);
    bt_spool_free(&d->toc);
    bt_spool_free(&d->rels);
    bt_spool_free(&d->media);
    bt_docx_prepared_free(&d->own);
    bt_buf_free(&d->scratch);
    for (size_t i = 0; i < d->nmedia; i++)
        free(d->mediav[i].path);
    free(d->mediav);
    free(d->font);
    free(d->reference_doc);
    free(d->lang_opt);
    free(d->title);
    free(d->byline);
    free(d->when);
    free(d);
}

void bt_docx_notify(bt_docx *d, bt_docx_notice kind, const char *src, const char *fmt, ...)
{
    char why[512], msg[1024];
    va_list ap;

    if (!d->opts.on_notice)
        return;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof(msg), "figure '%.300s': %s", src, why);
    d->opts.on_notice(kind, msg, d->opts.notice_ctx);
}

/* ---- runs and paragraphs ------------------------------------------- */

/* Text of one run: tabs and line breaks become w:tab and w:br. */
static void run_text(bt_xw *x, const char *s, size_t len)
{
    while (len > 0) {
        size_t n = 0;
        while (n < len && s[n] != '\n' && s[n] != '\t' && s[n] != '\r')
            n++;
        if (n > 0) {
            int preserve = s[0] == ' ' || s[n - 1] == ' ' || memmem(s, n, "  ", 2);
            bt_xw_start(x, "w:t");
            if (preserve)
                bt_xw_attr(x, "xml:space", "preserve");
            bt_xw_text(x, s, n);
            bt_xw_end(x);
        }
        if (n < len) {
            if (s[n] == '\t') {
                bt_xw_val(x, "w:tab", NULL);
            } else if (s[n] == '\n' || (s[n] == '\r' && (n + 1 == len || s[n + 1] != '\n'))) {
                bt_xw_val(x, "w:br", NULL);
            }
            n++;
        }
        s += n;
        len -= n;
    }
}

static void run(bt_xw *x, const char *text, size_t len, unsigned style,
                int link, const char *lang)
{
    bt_xw_start(x, "w:r");
    bt_xw_start(x, "w:rPr");
    if (link)
        bt_xw_val(x, "w:rStyle", "Hyperlink");
    if (style & BT_STYLE_STRONG) {
        bt_xw_val(x, "w:b", NULL);
        bt_xw_val(x, "w:bCs", NULL);
    }
    if (style & BT_STYLE_EM) {
        bt_xw_val(x, "w:i", NULL);
        bt_xw_val(x, "w:iCs", NULL);
    }
    bt_xw_val(x, "w:lang", lang);
    bt_xw_end(x);
    run_text(x, text, len);
    bt_xw_end(x);
}

/* An href as a relationship target: bytes outside URI syntax are
 * percent-encoded, so Word and .NET accept it. */
static int uri_target(const char *href, bt_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)href; *p; p++) {
        if (*p > 0x20 && *p < 0x7F && !strchr("\"<>\\^`{|}", *p)) {
            if (bt_buf_addc(out, (char)*p) < 0)
                return -1;
        } else if (bt_buf_addc(out, '%') < 0 || bt_buf_addc(out, hex[*p >> 4]) < 0 ||
                   bt_buf_addc(out, hex[*p & 15]) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Adds a hyperlink relationship; fills id ("rIdH7"), or "" when the href
 * gives no usable target. */
static int add_link(bt_docx *d, const char *href, char id[32])
{
    bt_buf *target = &d->scratch;

    id[0] = '\0';
    bt_buf_reset(target);
    if (uri_target(href, target) < 0)
        return -1;
    if (target->len > 0 && target->len < 2048) {
        snprintf(id, 32, "rIdH%zu", ++d->nlinks);
        bt_xw_empty(&d->xrels, "Relationship",
                    "Id", id, "Type", BT_REL_BASE "hyperlink", "Target", target->data,
                    "TargetMode", "External", NULL);
    }
    return 0;
}

/* The spans of t as runs; consecutive spans with one href share one
 * w:hyperlink. */
int bt_docx_runs(bt_docx *d, bt_xw *x, const bt_text *t, unsigned extra, const char *lang)
{
    size_t i = 0;

    while (i < t->nspans) {
        const bt_span *s = &t->spans[i];
        size_t j = i + 1;
        char id[32] = "";

        if (s->href) {
            while (j < t->nspans && t->spans[j].href && !strcmp(t->spans[j].href, s->href))
                j++;
            if (add_link(d, s->href, id) < 0)
                return -1;
        }
        if (id[0]) {
            bt_xw_start(x, "w:hyperlink");
            bt_xw_attr(x, "r:id", id);
            bt_xw_attr(x, "w:history", "1");
        }
        for (size_t k = i; k < j; k++) {
            const bt_span *sk = &t->spans[k];
            if (sk->text && *sk->text)
                run(x, sk->text, strlen(sk->text), sk->style | extra, id[0] != 0, lang);
        }
        if (id[0])
            bt_xw_end(x);
        i = j;
    }
    return 0;
}

void bt_docx_para_start(bt_xw *x, const char *style, int page_break, int keep_next)
{
    bt_xw_start(x, "w:p");
    if (style || page_break || keep_next) {
        bt_xw_start(x, "w:pPr");
        if (style)
            bt_xw_val(x, "w:pStyle", style);
        if (keep_next)
            bt_xw_val(x, "w:keepNext", NULL);
        if (page_break)
            bt_xw_val(x, "w:pageBreakBefore", NULL);
        bt_xw_end(x);
    }
}

static void list_para_start(bt_xw *x, size_t num_id)
{
    bt_xw_start(x, "w:p");
    bt_xw_start(x, "w:pPr");
    bt_xw_val(x, "w:pStyle", "ListParagraph");
    bt_xw_start(x, "w:numPr");
    bt_xw_vali(x, "w:ilvl", 0);
    bt_xw_vali(x, "w:numId", (long)num_id);
    bt_xw_end(x);
    bt_xw_end(x);
}

void bt_docx_plain_para(bt_xw *x, const char *style, const char *text, const char *lang)
{
    bt_docx_para_start(x, style, 0, 0);
    run(x, text, strlen(text), 0, 0, lang);
    bt_xw_end(x);
}

static int block(bt_docx *d, const bt_block *b, const char *lang)
{
    bt_xw *x = &d->xbody;
    static const char *const styles[] = {
        [BT_BLOCK_P] = NULL, [BT_BLOCK_H] = "Heading1", [BT_BLOCK_QUOTE] = "Quote",
    };

    switch (b->kind) {
    case BT_BLOCK_P:
    case BT_BLOCK_H:
    case BT_BLOCK_QUOTE:
        bt_docx_para_start(x, styles[b->kind], 0, 0);
        if (bt_docx_runs(d, x, &b->text, 0, lang) < 0)
            return -1;
        bt_xw_end(x);
        return 0;
    case BT_BLOCK_FIGURE:
        return bt_docx_figure(d, b, lang);
    case BT_BLOCK_TABLE:
        return bt_docx_table(d, b, lang);
    case BT_BLOCK_LIST: {
        size_t num_id = 1; /* bullets */
        if (b->numbered)
            num_id = 2 + d->nnumbered++;
        for (size_t i = 0; i < b->nitems; i++) {
            list_para_start(x, num_id);
            if (bt_docx_runs(d, x, &b->items[i], 0, lang) < 0)
                return -1;
            bt_xw_end(x);
        }
        return 0;
    }
    }
    return 0;
}

static int related(bt_docx *d, const bt_article *a, const char *lang)
{
    bt_xw *x = &d->xbody;

    if (a->nrelated == 0)
        return 0;
    bt_docx_plain_para(x, "Related", bt_docx_furniture(d, lang)->related, lang);
    for (size_t i = 0; i < a->nrelated; i++) {
        const bt_link *l = &a->related[i];
        const char *text = l->text && *l->text ? l->text : (l->href ? l->href : "");
        char id[32] = "";

        if (l->href && add_link(d, l->href, id) < 0)
            return -1;
        list_para_start(x, 1);
        if (id[0]) {
            bt_xw_start(x, "w:hyperlink");
            bt_xw_attr(x, "r:id", id);
            bt_xw_attr(x, "w:history", "1");
        }
        run(x, text, strlen(text), 0, id[0] != 0, lang);
        if (id[0])
            bt_xw_end(x);
        bt_xw_end(x);
    }
    return 0;
}

/* The bookmark at article n's title, which its contents entry links to. */
static void bookmark_name(size_t n, char out[32])
{
    snprintf(out, 32, "_Toc%09zu", n + 1);
}

/* A contents entry, filled in now (the title, linked to its article), so
 * that nothing asks to update fields on opening.  Page numbers cannot be
 * known before the document is laid out: there are none, rather than a
 * prompt; the entries sit in a TOC field, so Word's "Update Table" adds
 * them if the user wants.  The first entry opens the field. */
/* Opens the TOC field around the entries, before the first one: titles
 * at level 1, or under their section heads at level 2. */
static void toc_open(bt_docx *d)
{
    bt_xw *x = &d->xtoc;
    const char *instr = d->nsections ? " TOC \\h \\z \\t \"heading 1,1,Title,2\" "
                                     : " TOC \\h \\z \\t \"Title,1\" ";
    bt_xw_start(x, "w:r");
    bt_xw_empty(x, "w:fldChar", "w:fldCharType", "begin", NULL);
    bt_xw_end(x);
    bt_xw_start(x, "w:r");
    bt_xw_start(x, "w:instrText");
    bt_xw_attr(x, "xml:space", "preserve");
    bt_xw_text(x, instr, strlen(instr));
    bt_xw_end(x);
    bt_xw_end(x);
    bt_xw_start(x, "w:r");
    bt_xw_empty(x, "w:fldChar", "w:fldCharType", "separate", NULL);
    bt_xw_end(x);
}

/* A contents entry, filled in now (the title, linked to its bookmark), so
 * that nothing asks to update fields on opening.  Page numbers cannot be
 * known before the document is laid out: there are none, rather than a
 * prompt; the entries sit in a TOC field, so Word's "Update Table" adds
 * them if the user wants. */
static void toc_entry(bt_docx *d, const char *style, const char *bookmark, const bt_text *t,
                      const char *plain, const char *lang)
{
    bt_xw *x = &d->xtoc;
    bt_docx_para_start(x, style, 0, 0);
    if (d->narticles + d->nsections == 0)
        toc_open(d);
    bt_xw_start(x, "w:hyperlink");
    bt_xw_attr(x, "w:anchor", bookmark);
    bt_xw_attr(x, "w:history", "1");
    for (size_t i = 0; t && i < t->nspans; i++) {
        const char *s = t->spans[i].text;
        if (s && *s)
            run(x, s, strlen(s), 0, 0, lang);
    }
    if (plain)
        run(x, plain, strlen(plain), 0, 0, lang);
    bt_xw_end(x);
    bt_xw_end(x);
}

/* A bookmarked paragraph of the body: a title or a section head. */
static void bookmark_start(bt_xw *x, size_t id, const char *name)
{
    bt_xw_start(x, "w:bookmarkStart");
    bt_xw_attrf(x, "w:id", "%zu", id);
    bt_xw_attr(x, "w:name", name);
    bt_xw_end(x);
}

static void bookmark_end(bt_xw *x, size_t id)
{
    bt_xw_start(x, "w:bookmarkEnd");
    bt_xw_attrf(x, "w:id", "%zu", id);
    bt_xw_end(x);
}

int bt_docx_section(bt_docx *d, const char *name, bt_error *err)
{
    bt_xw *x = &d->xbody;
    const char *lang = bt_docx_lang(d);
    const char *head = name && *name ? name : bt_docx_furniture(d, lang)->other;
    char mark[32];
    snprintf(mark, sizeof mark, "_Sec%09zu", d->nsections + 1);
    toc_entry(d, "TOC1", mark, NULL, head, lang);
    bt_docx_para_start(x, "Heading1", d->narticles + d->nsections > 0, 0);
    size_t id = 1000000000 + d->nsections; /* apart from the titles' ids */
    bookmark_start(x, id, mark);
    run(x, head, strlen(head), 0, 0, lang);
    bookmark_end(x, id);
    bt_xw_end(x);
    d->nsections++;
    d->after_head = 1;
    if (x->failed || d->xtoc.failed) {
        bt_error_set(err, errno ? BT_ERR_IO : BT_ERR_NOMEM, "cannot write the document body: %s",
                     errno ? strerror(errno) : "out of memory");
        return -1;
    }
    return 0;
}

static int keep_first(bt_docx *d, const bt_article *a)
{
    if (!(d->title = bt_article_title_plain(a)))
        return -1;
    if ((a->byline && !(d->byline = bt_strdup(a->byline))) ||
        (a->date_when && !(d->when = bt_strdup(a->date_when))))
        return -1;
    return 0;
}

int bt_docx_add_article(bt_docx *d, const bt_article *a, bt_error *err)
{
    char lang[16], name[32];
    bt_xw *x = &d->xbody;

    word_lang(a->lang, lang);
    if (d->narticles == 0) {
        memcpy(d->lang, lang, sizeof(lang));
        if (keep_first(d, a) < 0)
            goto oom;
    }
    bookmark_name(d->narticles, name);
    toc_entry(d, d->nsections ? "TOC2" : "TOC1", name, &a->title, NULL, lang);

    /* Each article starts on a new page with its title, bookmarked (right
     * under its section's head when one was just written). */
    bt_docx_para_start(x, "Title", d->narticles + d->nsections > 0 && !d->after_head, 0);
    d->after_head = 0;
    bookmark_start(x, d->narticles + 1, name);
    if (bt_docx_runs(d, x, &a->title, 0, lang) < 0)
        goto oom;
    bookmark_end(x, d->narticles + 1);
    bt_xw_end(x);
    /* the date as people read it ("Thứ tư, 12/07/2023, 13:01"), not
     * "2023-07-12T13:01:00+07:00" or "20230712" */
    bt_buf_reset(&d->scratch);
    if ((a->date_text || a->date_when) &&
        bt_date_human(a->date_text, a->date_when, bt_lang_code(a->lang), &d->scratch) < 0)
        goto oom;
    if (d->scratch.len)
        bt_docx_plain_para(x, "Date", d->scratch.data, lang);
    if (a->byline && *a->byline)
        bt_docx_plain_para(x, "Byline", a->byline, lang);
    for (size_t i = 0; i < a->nblocks; i++)
        if (block(d, &a->blocks[i], lang) < 0)
            goto oom;
    if (related(d, a, lang) < 0)
        goto oom;
    if (x->failed || d->xtoc.failed || d->xrels.failed || d->body.failed ||
        d->toc.failed || d->rels.failed || d->media.failed) {
        bt_error_set(err, errno ? BT_ERR_IO : BT_ERR_NOMEM, "cannot write the document body: %s",
                     errno ? strerror(errno) : "out of memory");
        return -1;
    }
    d->narticles++;
    return 0;
oom:
    bt_error_nomem(err, NULL);
    return -1;
}
