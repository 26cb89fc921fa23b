/* docx.c — articles as an Office Open XML (ECMA-376) WordprocessingML
 * package.  Articles stream into word/document.xml through a spool that
 * moves to a temporary file once it grows, so a document of any number of
 * articles is written in bounded memory; the package is zipped with
 * libzip at close, in a fixed order with fixed timestamps, so the same
 * input gives the same bytes. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#include "docx_int.h"

#define SPOOL_MEM_MAX (1u << 20) /* bytes kept in memory before spilling */

/* ---- spool: a byte stream in memory, then in a temporary file ------ */

typedef struct spool {
    bt_buf mem;
    FILE *fp;   /* tmpfile() once mem outgrew SPOOL_MEM_MAX */
    size_t size;
    int failed;
} spool;

static int spool_spill(spool *s)
{
    if (!s->fp && !(s->fp = tmpfile()))
        return -1;
    if (s->mem.len && fwrite(s->mem.data, 1, s->mem.len, s->fp) != s->mem.len)
        return -1;
    bt_buf_reset(&s->mem);
    return 0;
}

static int spool_write(void *ctx, const char *data, int len)
{
    spool *s = ctx;

    if (s->failed || bt_buf_add(&s->mem, data, (size_t)len) < 0 ||
        (s->mem.len > SPOOL_MEM_MAX && spool_spill(s) < 0)) {
        s->failed = 1;
        return -1;
    }
    s->size += (size_t)len;
    return len;
}

/* Everything written lands in one place: all in mem, or all in fp. */
static int spool_finish(spool *s)
{
    if (s->fp && (spool_spill(s) < 0 || fflush(s->fp) != 0 || ferror(s->fp)))
        s->failed = 1;
    return s->failed ? -1 : 0;
}

static void spool_free(spool *s)
{
    bt_buf_free(&s->mem);
    if (s->fp)
        fclose(s->fp);
    s->fp = NULL;
}

/* ---- a zip source that reads several pieces one after another ------ */

typedef struct piece {
    const char *mem; /* or */
    FILE *fp;
    size_t len;
} piece;

#define MAX_PIECES 6

typedef struct chain {
    piece p[MAX_PIECES];
    int n;
    int cur;
    size_t off; /* within p[cur] */
    zip_error_t error;
} chain;

static void chain_add_mem(chain *c, const char *mem, size_t len)
{
    c->p[c->n].mem = mem ? mem : "";
    c->p[c->n].fp = NULL;
    c->p[c->n].len = mem ? len : 0;
    c->n++;
}

static void chain_add_spool(chain *c, spool *s)
{
    if (s->fp) {
        c->p[c->n].mem = NULL;
        c->p[c->n].fp = s->fp;
        c->p[c->n].len = s->size;
        c->n++;
    } else {
        chain_add_mem(c, s->mem.data, s->mem.len);
    }
}

static zip_int64_t chain_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    chain *c = ud;

    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        c->cur = 0;
        c->off = 0;
        for (int i = 0; i < c->n; i++) {
            if (c->p[i].fp && fseeko(c->p[i].fp, 0, SEEK_SET) != 0) {
                zip_error_set(&c->error, ZIP_ER_SEEK, errno);
                return -1;
            }
        }
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t done = 0;
        while (done < len && c->cur < c->n) {
            piece *p = &c->p[c->cur];
            size_t want = p->len - c->off;
            if (want > len - done)
                want = (size_t)(len - done);
            if (want == 0) {
                c->cur++;
                c->off = 0;
                continue;
            }
            if (p->fp) {
                if (fread((char *)data + done, 1, want, p->fp) != want) {
                    zip_error_set(&c->error, ZIP_ER_READ, errno);
                    return -1;
                }
            } else {
                memcpy((char *)data + done, p->mem + c->off, want);
            }
            c->off += want;
            done += want;
        }
        return (zip_int64_t)done;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_uint64_t total = 0;
        if (len < sizeof(*st))
            return -1;
        for (int i = 0; i < c->n; i++)
            total += c->p[i].len;
        zip_stat_init(st);
        st->size = total;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&c->error, data, len);
    case ZIP_SOURCE_FREE:
        return 0; /* the chain belongs to bt_docx */
    case ZIP_SOURCE_SUPPORTS:
        return ZIP_SOURCE_SUPPORTS_READABLE;
    default:
        zip_error_set(&c->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* ---- the writer ---------------------------------------------------- */

struct bt_docx {
    bt_docx_opts opts;
    char *font, *reference_doc;
    bt_buf styles;     /* word/styles.xml, ready at open */
    spool body, toc, rels;
    bt_xw xbody, xtoc, xrels;
    size_t narticles;
    size_t nnumbered;  /* numbered lists so far: numIds 2 … */
    size_t nlinks;     /* hyperlink relationships so far */
    char lang[16];     /* of the first article: "vi-VN" */
    char *title, *byline, *when; /* of the first article, for core.xml */
};

static const char *doc_lang(const bt_docx *d)
{
    return d->lang[0] ? d->lang : "vi-VN";
}

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

static int is_vi(const char *lang)
{
    return !strncasecmp(lang, "vi", 2);
}

bt_docx *bt_docx_open(const bt_docx_opts *opts, bt_error *err)
{
    bt_docx *d = calloc(1, sizeof(*d));

    if (!d) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        return NULL;
    }
    bt_buf_init(&d->styles, 0);
    bt_buf_init(&d->body.mem, 0);
    bt_buf_init(&d->toc.mem, 0);
    bt_buf_init(&d->rels.mem, 0);
    if (opts)
        d->opts = *opts;
    else
        bt_docx_opts_init(&d->opts);
    if (d->opts.compress_level < 1 || d->opts.compress_level > 9)
        d->opts.compress_level = 6;
    if ((opts && opts->font && !(d->font = bt_strdup(opts->font))) ||
        (opts && opts->reference_doc && !(d->reference_doc = bt_strdup(opts->reference_doc))))
        goto oom;
    d->opts.font = d->font;
    d->opts.reference_doc = d->reference_doc;
    d->opts.loaded_styles = NULL; /* the caller's */
    /* The body streams from the first article on; styles are known now. */
    if (bt_xw_open_io(&d->xbody, spool_write, &d->body) < 0 ||
        bt_xw_open_io(&d->xtoc, spool_write, &d->toc) < 0 ||
        bt_xw_open_io(&d->xrels, spool_write, &d->rels) < 0)
        goto oom;
    if (opts && opts->loaded_styles) {
        if (bt_buf_add(&d->styles, opts->loaded_styles, opts->loaded_styles_len) < 0)
            goto oom;
        return d;
    }
    if (bt_docx_styles_xml(&d->opts, "vi-VN", &d->styles) < 0)
        goto oom;
    if (d->reference_doc &&
        bt_docx_reference(d->reference_doc, &d->opts, &d->styles, err) < 0) {
        bt_docx_abort(d);
        return NULL;
    }
    return d;
oom:
    bt_error_set(err, BT_ERR_NOMEM, "out of memory");
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
    spool_free(&d->body);
    spool_free(&d->toc);
    spool_free(&d->rels);
    bt_buf_free(&d->styles);
    free(d->font);
    free(d->reference_doc);
    free(d->title);
    free(d->byline);
    free(d->when);
    free(d);
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
    bt_buf target = BT_BUF_INIT;

    id[0] = '\0';
    if (uri_target(href, &target) < 0) {
        bt_buf_free(&target);
        return -1;
    }
    if (target.len > 0 && target.len < 2048) {
        snprintf(id, 32, "rIdH%zu", ++d->nlinks);
        bt_xw_start(&d->xrels, "Relationship");
        bt_xw_attr(&d->xrels, "Id", id);
        bt_xw_attr(&d->xrels, "Type", BT_REL_BASE "hyperlink");
        bt_xw_attr(&d->xrels, "Target", target.data);
        bt_xw_attr(&d->xrels, "TargetMode", "External");
        bt_xw_end(&d->xrels);
    }
    bt_buf_free(&target);
    return 0;
}

/* The spans of t as runs; consecutive spans with one href share one
 * w:hyperlink. */
static int runs(bt_docx *d, bt_xw *x, const bt_text *t, const char *lang)
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
                run(x, sk->text, strlen(sk->text), sk->style, id[0] != 0, lang);
        }
        if (id[0])
            bt_xw_end(x);
        i = j;
    }
    return 0;
}

static void para_start(bt_xw *x, const char *style, int page_break)
{
    bt_xw_start(x, "w:p");
    if (style || page_break) {
        bt_xw_start(x, "w:pPr");
        if (style)
            bt_xw_val(x, "w:pStyle", style);
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

static void plain_para(bt_xw *x, const char *style, const char *text, const char *lang)
{
    para_start(x, style, 0);
    run(x, text, strlen(text), 0, 0, lang);
    bt_xw_end(x);
}

static int block(bt_docx *d, const bt_block *b, const char *lang)
{
    bt_xw *x = &d->xbody;
    static const char *const styles[] = {
        [BT_BLOCK_P] = NULL, [BT_BLOCK_H] = "Heading1",
        [BT_BLOCK_QUOTE] = "Quote", [BT_BLOCK_FIGURE] = "Caption",
        [BT_BLOCK_TABLE] = "Caption",
    };

    switch (b->kind) {
    case BT_BLOCK_P:
    case BT_BLOCK_H:
    case BT_BLOCK_QUOTE:
    case BT_BLOCK_FIGURE:
    case BT_BLOCK_TABLE: /* until tables are typeset: the caption */
        if ((b->kind == BT_BLOCK_FIGURE || b->kind == BT_BLOCK_TABLE) && bt_text_is_empty(&b->text))
            return 0; /* images are not embedded: nothing to show */
        para_start(x, styles[b->kind], 0);
        if (runs(d, x, &b->text, lang) < 0)
            return -1;
        bt_xw_end(x);
        return 0;
    case BT_BLOCK_LIST: {
        size_t num_id = 1; /* bullets */
        if (b->numbered)
            num_id = 2 + d->nnumbered++;
        for (size_t i = 0; i < b->nitems; i++) {
            list_para_start(x, num_id);
            if (runs(d, x, &b->items[i], lang) < 0)
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
    plain_para(x, "Related", is_vi(lang) ? "Tin li\xC3\xAAn quan" : "Related", lang);
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

/* A table-of-contents entry; the first one opens the TOC field, which
 * Word refills on open (settings: updateFields). */
static int toc_entry(bt_docx *d, const bt_article *a, const char *lang)
{
    bt_xw *x = &d->xtoc;

    para_start(x, "TOC1", 0);
    if (d->narticles == 0) {
        bt_xw_start(x, "w:r");
        bt_xw_start(x, "w:fldChar");
        bt_xw_attr(x, "w:fldCharType", "begin");
        bt_xw_attr(x, "w:dirty", "true");
        bt_xw_end(x);
        bt_xw_end(x);
        bt_xw_start(x, "w:r");
        bt_xw_start(x, "w:instrText");
        bt_xw_attr(x, "xml:space", "preserve");
        bt_xw_text(x, " TOC \\h \\z \\t \"Title,1\" ", 25);
        bt_xw_end(x);
        bt_xw_end(x);
        bt_xw_start(x, "w:r");
        bt_xw_start(x, "w:fldChar");
        bt_xw_attr(x, "w:fldCharType", "separate");
        bt_xw_end(x);
        bt_xw_end(x);
    }
    for (size_t i = 0; i < a->title.nspans; i++) {
        const char *s = a->title.spans[i].text;
        if (s && *s)
            run(x, s, strlen(s), 0, 0, lang);
    }
    bt_xw_end(x);
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
    char lang[16];
    bt_xw *x = &d->xbody;

    word_lang(a->lang, lang);
    if (d->narticles == 0) {
        memcpy(d->lang, lang, sizeof(lang));
        if (keep_first(d, a) < 0)
            goto oom;
    }
    if (toc_entry(d, a, lang) < 0)
        goto oom;

    /* Each article starts on a new page with its title. */
    para_start(x, "Title", d->narticles > 0);
    if (runs(d, x, &a->title, lang) < 0)
        goto oom;
    bt_xw_end(x);
    if (a->date_text && *a->date_text)
        plain_para(x, "Date", a->date_text, lang);
    if (a->byline && *a->byline)
        plain_para(x, "Byline", a->byline, lang);
    for (size_t i = 0; i < a->nblocks; i++)
        if (block(d, &a->blocks[i], lang) < 0)
            goto oom;
    if (related(d, a, lang) < 0)
        goto oom;
    if (x->failed || d->xtoc.failed || d->xrels.failed || d->body.failed ||
        d->toc.failed || d->rels.failed) {
        bt_error_set(err, errno ? BT_ERR_IO : BT_ERR_NOMEM, "cannot write the document body: %s",
                     errno ? strerror(errno) : "out of memory");
        return -1;
    }
    d->narticles++;
    return 0;
oom:
    bt_error_set(err, BT_ERR_NOMEM, "out of memory");
    return -1;
}

/* ---- the fixed parts ----------------------------------------------- */

static const char XML_DECL[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

static int content_types(bt_buf *out)
{
    static const struct { const char *part, *type; } overrides[] = {
        {"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
        {"/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"},
        {"/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"},
        {"/word/numbering.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"},
        {"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
        {"/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"},
    };
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "Types");
    bt_xw_attr(&x, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    bt_xw_start(&x, "Default");
    bt_xw_attr(&x, "Extension", "rels");
    bt_xw_attr(&x, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
    bt_xw_end(&x);
    bt_xw_start(&x, "Default");
    bt_xw_attr(&x, "Extension", "xml");
    bt_xw_attr(&x, "ContentType", "application/xml");
    bt_xw_end(&x);
    for (size_t i = 0; i < BT_ARRAY_LEN(overrides); i++) {
        bt_xw_start(&x, "Override");
        bt_xw_attr(&x, "PartName", overrides[i].part);
        bt_xw_attr(&x, "ContentType", overrides[i].type);
        bt_xw_end(&x);
    }
    bt_xw_end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

static void relationship(bt_xw *x, const char *id, const char *type, const char *target)
{
    bt_xw_start(x, "Relationship");
    bt_xw_attr(x, "Id", id);
    bt_xw_attr(x, "Type", type);
    bt_xw_attr(x, "Target", target);
    bt_xw_end(x);
}

static int root_rels(bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "Relationships");
    bt_xw_attr(&x, "xmlns", BT_NS_REL);
    relationship(&x, "rId1", BT_REL_BASE "officeDocument", "word/document.xml");
    relationship(&x, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                 "docProps/core.xml");
    relationship(&x, "rId3", BT_REL_BASE "extended-properties", "docProps/app.xml");
    bt_xw_end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

/* word/_rels/document.xml.rels around the spooled hyperlinks. */
static int doc_rels_head(bt_buf *out)
{
    bt_xw x;

    if (bt_buf_adds(out, XML_DECL) < 0 ||
        bt_buf_adds(out, "<Relationships xmlns=\"" BT_NS_REL "\">") < 0 ||
        bt_xw_open_buf(&x, out) < 0)
        return -1;
    relationship(&x, "rId1", BT_REL_BASE "styles", "styles.xml");
    relationship(&x, "rId2", BT_REL_BASE "settings", "settings.xml");
    relationship(&x, "rId3", BT_REL_BASE "numbering", "numbering.xml");
    return bt_xw_close(&x);
}

/* 1 when s is a W3C date-time (YYYY-MM-DD, optionally Thh:mm[:ss] and a zone). */
static int w3cdtf(const char *s)
{
    static const char *const shapes[] = {
        "dddd-dd-dd", "dddd-dd-ddTdd:ddZ", "dddd-dd-ddTdd:dd:ddZ",
        "dddd-dd-ddTdd:dd+dd:dd", "dddd-dd-ddTdd:dd:dd+dd:dd",
    };

    for (size_t i = 0; s && i < BT_ARRAY_LEN(shapes); i++) {
        const char *p = shapes[i], *q = s;
        while (*p && *q) {
            if (*p == 'd' ? !isdigit((unsigned char)*q)
                          : *p == '+' ? (*q != '+' && *q != '-') : *q != *p)
                break;
            p++, q++;
        }
        if (!*p && !*q)
            return 1;
    }
    return 0;
}

static int core_props(const bt_docx *d, bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "cp:coreProperties");
    bt_xw_attr(&x, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    bt_xw_attr(&x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    bt_xw_attr(&x, "xmlns:dcterms", "http://purl.org/dc/terms/");
    bt_xw_attr(&x, "xmlns:dcmitype", "http://purl.org/dc/dcmitype/");
    bt_xw_attr(&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    /* One article: its own title and byline; a collection has neither. */
    if (d->narticles == 1 && d->title && *d->title) {
        bt_xw_start(&x, "dc:title");
        bt_xw_text(&x, d->title, strlen(d->title));
        bt_xw_end(&x);
    }
    if (d->narticles == 1 && d->byline && *d->byline) {
        bt_xw_start(&x, "dc:creator");
        bt_xw_text(&x, d->byline, strlen(d->byline));
        bt_xw_end(&x);
    }
    bt_xw_start(&x, "dc:language");
    bt_xw_text(&x, doc_lang(d), strlen(doc_lang(d)));
    bt_xw_end(&x);
    if (w3cdtf(d->when)) {
        bt_xw_start(&x, "dcterms:created");
        bt_xw_attr(&x, "xsi:type", "dcterms:W3CDTF");
        bt_xw_text(&x, d->when, strlen(d->when));
        bt_xw_end(&x);
    }
    bt_xw_end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

static int app_props(bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_decl(&x);
    bt_xw_start(&x, "Properties");
    bt_xw_attr(&x, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    bt_xw_attr(&x, "xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
    bt_xw_start(&x, "Application");
    bt_xw_text(&x, "bantin", 6);
    bt_xw_end(&x);
    bt_xw_end(&x);
    if (!x.failed && xmlTextWriterEndDocument(x.w) < 0)
        x.failed = 1;
    return bt_xw_close(&x);
}

static long twips(double mm)
{
    return lround(mm * 1440.0 / 25.4);
}

/* The start of word/document.xml, with the TOC heading when there is one. */
static int doc_head(const bt_docx *d, int toc, bt_buf *out)
{
    bt_xw x;

    if (bt_buf_adds(out, XML_DECL) < 0 ||
        bt_buf_adds(out, "<w:document xmlns:w=\"" BT_NS_W "\" xmlns:r=\"" BT_NS_R
                         "\"><w:body>") < 0)
        return -1;
    if (!toc)
        return 0;
    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    plain_para(&x, "TOCHeading", is_vi(doc_lang(d)) ? "M\xE1\xBB\xA5" "c l\xE1\xBB\xA5" "c" : "Contents",
               doc_lang(d));
    return bt_xw_close(&x);
}

/* Between the TOC and the first article: the field end and a page break. */
static int doc_mid(bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_xw_start(&x, "w:p");
    bt_xw_start(&x, "w:r");
    bt_xw_start(&x, "w:fldChar");
    bt_xw_attr(&x, "w:fldCharType", "end");
    bt_xw_end(&x);
    bt_xw_end(&x);
    bt_xw_start(&x, "w:r");
    bt_xw_start(&x, "w:br");
    bt_xw_attr(&x, "w:type", "page");
    bt_xw_end(&x);
    bt_xw_end(&x);
    bt_xw_end(&x);
    return bt_xw_close(&x);
}

/* The page: the section properties, then the end of the document. */
static int doc_tail(const bt_docx *d, bt_buf *out)
{
    const bt_docx_opts *o = &d->opts;
    double w = o->page_w_mm > 0 ? o->page_w_mm : 210;
    double h = o->page_h_mm > 0 ? o->page_h_mm : 297;
    double mt = 20, mr = 15, mb = 20, ml = 30;
    bt_xw x;

    if (o->margins_set) {
        mt = o->margin_top_mm, mr = o->margin_right_mm;
        mb = o->margin_bottom_mm, ml = o->margin_left_mm;
    }
    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    if (d->narticles == 0) /* a body needs something to show */
        bt_xw_val(&x, "w:p", NULL);
    bt_xw_start(&x, "w:sectPr");
    bt_xw_start(&x, "w:pgSz");
    bt_xw_attrf(&x, "w:w", "%ld", twips(w));
    bt_xw_attrf(&x, "w:h", "%ld", twips(h));
    if (w > h)
        bt_xw_attr(&x, "w:orient", "landscape");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:pgMar");
    bt_xw_attrf(&x, "w:top", "%ld", twips(mt));
    bt_xw_attrf(&x, "w:right", "%ld", twips(mr));
    bt_xw_attrf(&x, "w:bottom", "%ld", twips(mb));
    bt_xw_attrf(&x, "w:left", "%ld", twips(ml));
    bt_xw_attr(&x, "w:header", "567");
    bt_xw_attr(&x, "w:footer", "567");
    bt_xw_attr(&x, "w:gutter", "0");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:cols");
    bt_xw_attr(&x, "w:space", "720");
    bt_xw_end(&x);
    bt_xw_end(&x);
    if (bt_xw_close(&x) < 0)
        return -1;
    return bt_buf_adds(out, "</w:body></w:document>");
}

/* ---- zipping ------------------------------------------------------- */

/* SOURCE_DATE_EPOCH as a DOS date and time (UTC), else 1980-01-01. */
static void dos_time(zip_uint16_t *dtime, zip_uint16_t *ddate)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    struct tm tm = {.tm_year = 80, .tm_mday = 1};

    if (env && *env) {
        char *end;
        errno = 0;
        long long v = strtoll(env, &end, 10);
        time_t t = (time_t)v;
        struct tm got;
        if (!errno && *end == '\0' && v >= 315532800LL && v < 4354819200LL &&
            gmtime_r(&t, &got))
            tm = got;
    }
    *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static int zip_entry(zip_t *z, const char *name, zip_source_t *src, int level,
                     zip_uint16_t dtime, zip_uint16_t ddate)
{
    zip_int64_t idx;

    if (!src)
        return -1;
    idx = zip_file_add(z, name, src, 0);
    if (idx < 0) {
        zip_source_free(src);
        return -1;
    }
    if (zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, (zip_uint32_t)level) < 0 ||
        zip_file_set_dostime(z, (zip_uint64_t)idx, dtime, ddate, 0) < 0 ||
        zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                         (zip_uint32_t)0100644 << 16) < 0)
        return -1;
    return 0;
}

static zip_source_t *mem_source(zip_t *z, const bt_buf *b)
{
    return zip_source_buffer(z, b->data, b->len, 0);
}

static int copy_out(const char *path, FILE *out)
{
    char chunk[65536];
    size_t n;
    FILE *in = fopen(path, "rb");
    int rc = 0;

    if (!in)
        return -1;
    while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
        if (fwrite(chunk, 1, n, out) != n) {
            rc = -1;
            break;
        }
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (rc == 0 && fflush(out) != 0)
        rc = -1;
    return rc;
}

/* Copies a finished in-memory archive to out. */
static int copy_source(zip_source_t *src, FILE *out)
{
    char chunk[65536];
    zip_int64_t n;
    int rc = 0;

    if (zip_source_open(src) < 0)
        return -1;
    while ((n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
        if (fwrite(chunk, 1, (size_t)n, out) != (size_t)n) {
            rc = -1;
            break;
        }
    if (n < 0)
        rc = -1;
    zip_source_close(src);
    if (rc == 0 && fflush(out) != 0)
        rc = -1;
    return rc;
}

enum { P_TYPES, P_RELS, P_DOCRELS, P_SETTINGS, P_NUMBERING, P_CORE, P_APP,
       P_HEAD, P_MID, P_TAIL, P_COUNT };

int bt_docx_close(bt_docx *d, FILE *out, bt_error *err)
{
    bt_buf parts[P_COUNT];
    static const char rels_end[] = "</Relationships>";
    chain doc = {.n = 0}, rels = {.n = 0};
    char path[4096];
    const char *tmpdir = getenv("TMPDIR");
    zip_t *z = NULL;
    zip_source_t *mem = NULL; /* the archive, when built in memory */
    zip_uint16_t dtime, ddate;
    int toc = d->opts.toc == 1 || (d->opts.toc < 0 && d->narticles > 1);
    int level = d->opts.compress_level, fd, zerr = 0, rc = -1, made = 0;

    for (int i = 0; i < P_COUNT; i++)
        parts[i] = (bt_buf)BT_BUF_INIT;
    zip_error_init(&doc.error);
    zip_error_init(&rels.error);
    if (toc && d->narticles == 0)
        toc = 0; /* no entries: no field to close */

    if (bt_xw_close(&d->xbody) < 0 || bt_xw_close(&d->xtoc) < 0 ||
        bt_xw_close(&d->xrels) < 0 || spool_finish(&d->body) < 0 ||
        spool_finish(&d->toc) < 0 || spool_finish(&d->rels) < 0) {
        bt_error_set(err, errno ? BT_ERR_IO : BT_ERR_NOMEM, "cannot write the document body: %s",
                     errno ? strerror(errno) : "out of memory");
        goto done;
    }
    if (content_types(&parts[P_TYPES]) < 0 || root_rels(&parts[P_RELS]) < 0 ||
        doc_rels_head(&parts[P_DOCRELS]) < 0 ||
        bt_docx_settings_xml(toc, doc_lang(d), &parts[P_SETTINGS]) < 0 ||
        bt_docx_numbering_xml(d->nnumbered, &parts[P_NUMBERING]) < 0 ||
        core_props(d, &parts[P_CORE]) < 0 || app_props(&parts[P_APP]) < 0 ||
        doc_head(d, toc, &parts[P_HEAD]) < 0 || (toc && doc_mid(&parts[P_MID]) < 0) ||
        doc_tail(d, &parts[P_TAIL]) < 0) {
        bt_error_set(err, BT_ERR_NOMEM, "out of memory");
        goto done;
    }
    chain_add_mem(&doc, parts[P_HEAD].data, parts[P_HEAD].len);
    if (toc) {
        chain_add_spool(&doc, &d->toc);
        chain_add_mem(&doc, parts[P_MID].data, parts[P_MID].len);
    }
    chain_add_spool(&doc, &d->body);
    chain_add_mem(&doc, parts[P_TAIL].data, parts[P_TAIL].len);
    chain_add_mem(&rels, parts[P_DOCRELS].data, parts[P_DOCRELS].len);
    chain_add_spool(&rels, &d->rels);
    chain_add_mem(&rels, rels_end, sizeof(rels_end) - 1);

    /* libzip needs something seekable: a small document is zipped in
     * memory; one whose body spilled to disk goes to a temporary file.
     * Either is then copied to out, which may be a pipe. */
    if (!d->body.fp && !d->toc.fp && !d->rels.fp) {
        zip_error_t ze;
        zip_error_init(&ze);
        if ((mem = zip_source_buffer_create(NULL, 0, 0, &ze)))
            zip_source_keep(mem);
        if (!mem || !(z = zip_open_from_source(mem, ZIP_CREATE | ZIP_TRUNCATE, &ze))) {
            if (mem) /* not taken over: drop the reference meant for z */
                zip_source_free(mem);
            bt_error_set(err, BT_ERR_IO, "cannot create the zip: %s", zip_error_strerror(&ze));
            zip_error_fini(&ze);
            goto done;
        }
        zip_error_fini(&ze);
    } else {
        if (snprintf(path, sizeof(path), "%s/bantin-docx-XXXXXX",
                     tmpdir && *tmpdir ? tmpdir : "/tmp") >= (int)sizeof(path)) {
            bt_error_set(err, BT_ERR_LIMIT, "TMPDIR is too long");
            goto done;
        }
        fd = mkstemp(path);
        if (fd < 0) {
            bt_error_set(err, BT_ERR_IO, "cannot create a temporary file in %s: %s",
                         tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
            goto done;
        }
        close(fd);
        made = 1;
        z = zip_open(path, ZIP_TRUNCATE, &zerr);
        if (!z) {
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            bt_error_set(err, BT_ERR_IO, "cannot create the zip: %s", zip_error_strerror(&ze));
            zip_error_fini(&ze);
            goto done;
        }
    }
    dos_time(&dtime, &ddate);
    /* [Content_Types].xml first: some readers look for it there. */
    if (zip_entry(z, "[Content_Types].xml", mem_source(z, &parts[P_TYPES]), level, dtime, ddate) < 0 ||
        zip_entry(z, "_rels/.rels", mem_source(z, &parts[P_RELS]), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/document.xml", zip_source_function(z, chain_cb, &doc), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/_rels/document.xml.rels", zip_source_function(z, chain_cb, &rels), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/styles.xml", mem_source(z, &d->styles), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/settings.xml", mem_source(z, &parts[P_SETTINGS]), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/numbering.xml", mem_source(z, &parts[P_NUMBERING]), level, dtime, ddate) < 0 ||
        zip_entry(z, "docProps/core.xml", mem_source(z, &parts[P_CORE]), level, dtime, ddate) < 0 ||
        zip_entry(z, "docProps/app.xml", mem_source(z, &parts[P_APP]), level, dtime, ddate) < 0) {
        bt_error_set(err, BT_ERR_IO, "cannot build the zip: %s", zip_strerror(z));
        zip_discard(z);
        goto done;
    }
    if (zip_close(z) < 0) {
        bt_error_set(err, BT_ERR_IO, "cannot write the zip: %s", zip_strerror(z));
        zip_discard(z);
        goto done;
    }
    if ((mem ? copy_source(mem, out) : copy_out(path, out)) < 0) {
        bt_error_set(err, BT_ERR_IO, "cannot write the document: %s", strerror(errno));
        goto done;
    }
    rc = 0;
done:
    if (made)
        unlink(path);
    if (mem)
        zip_source_free(mem);
    zip_error_fini(&doc.error);
    zip_error_fini(&rels.error);
    for (int i = 0; i < P_COUNT; i++)
        bt_buf_free(&parts[i]);
    bt_docx_abort(d);
    return rc;
}
