/* docx_package.c — the parts of the package that do not hold the
 * articles ([Content_Types].xml, relationships, properties, the page
 * setup, the footer with the page numbers), and the zip: entries in a
 * fixed order with fixed timestamps, so the same input gives the same
 * bytes; images are stored, not deflated again. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#include "docx_int.h"

/* The footer (or header) part's name: "word/footer1.xml", "/word/…" for
 * [Content_Types].xml, "footer1.xml" from the document's relationships. */
static const char *numbers_part(const bt_docx *d, int slash)
{
    static const char *const names[2][2] = {
        {"footer1.xml", "/word/footer1.xml"}, {"header1.xml", "/word/header1.xml"},
    };
    return names[d->prep->numbers_in_header != 0][slash];
}



static const char XML_DECL[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

static int content_types(const bt_docx *d, bt_buf *out)
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

    if (bt_xw_open_part(&x, out, "Types", "xmlns",
                        "http://schemas.openxmlformats.org/package/2006/content-types") < 0)
        return -1;
    bt_xw_empty(&x, "Default",
                "Extension", "rels",
                "ContentType", "application/vnd.openxmlformats-package.relationships+xml", NULL);
    bt_xw_empty(&x, "Default", "Extension", "xml", "ContentType", "application/xml", NULL);
    for (int t = BT_IMAGE_JPEG; t <= BT_IMAGE_GIF; t++) {
        int used = 0;
        for (size_t i = 0; i < d->nmedia && !used; i++)
            used = d->mediav[i].info.type == (bt_image_type)t;
        if (used) {
            bt_xw_empty(&x, "Default",
                        "Extension", bt_image_ext((bt_image_type)t),
                        "ContentType", bt_image_media_type((bt_image_type)t), NULL);
        }
    }
    for (size_t i = 0; i < BT_ARRAY_LEN(overrides); i++) {
        bt_xw_empty(&x, "Override",
                    "PartName", overrides[i].part, "ContentType", overrides[i].type, NULL);
    }
    bt_xw_start(&x, "Override");
    bt_xw_attr(&x, "PartName", numbers_part(d, 1));
    bt_xw_attr(&x, "ContentType", d->prep->numbers_in_header
                   ? "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
                   : "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml");
    bt_xw_end(&x);
    bt_xw_end(&x);
    return bt_xw_finish(&x);
}

static void relationship(bt_xw *x, const char *id, const char *type, const char *target)
{
    bt_xw_empty(x, "Relationship", "Id", id, "Type", type, "Target", target, NULL);
}

static int root_rels(bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_part(&x, out, "Relationships", "xmlns", BT_NS_REL) < 0)
        return -1;
    relationship(&x, "rId1", BT_REL_BASE "officeDocument", "word/document.xml");
    relationship(&x, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                 "docProps/core.xml");
    relationship(&x, "rId3", BT_REL_BASE "extended-properties", "docProps/app.xml");
    bt_xw_end(&x);
    return bt_xw_finish(&x);
}

/* word/_rels/document.xml.rels around the spooled hyperlinks. */
static int doc_rels_head(const bt_docx *d, bt_buf *out)
{
    bt_xw x;

    if (bt_buf_adds(out, XML_DECL) < 0 ||
        bt_buf_adds(out, "<Relationships xmlns=\"" BT_NS_REL "\">") < 0 ||
        bt_xw_open_buf(&x, out) < 0)
        return -1;
    relationship(&x, "rId1", BT_REL_BASE "styles", "styles.xml");
    relationship(&x, "rId2", BT_REL_BASE "settings", "settings.xml");
    relationship(&x, "rId3", BT_REL_BASE "numbering", "numbering.xml");
    relationship(&x, "rId4", d->prep->numbers_in_header ? BT_REL_BASE "header" : BT_REL_BASE "footer",
                 numbers_part(d, 0));
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

    if (bt_xw_open_part(&x, out, "cp:coreProperties", "xmlns:cp",
                        "http://schemas.openxmlformats.org/package/2006/metadata/core-properties") < 0)
        return -1;
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
    bt_xw_text(&x, bt_docx_lang(d), strlen(bt_docx_lang(d)));
    bt_xw_end(&x);
    if (w3cdtf(d->when)) {
        bt_xw_start(&x, "dcterms:created");
        bt_xw_attr(&x, "xsi:type", "dcterms:W3CDTF");
        bt_xw_text(&x, d->when, strlen(d->when));
        bt_xw_end(&x);
    }
    bt_xw_end(&x);
    return bt_xw_finish(&x);
}

static int app_props(bt_buf *out)
{
    bt_xw x;

    if (bt_xw_open_part(&x, out, "Properties", "xmlns",
                        "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties") < 0)
        return -1;
    bt_xw_attr(&x, "xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
    bt_xw_start(&x, "Application");
    bt_xw_text(&x, "bantin", 6);
    bt_xw_end(&x);
    bt_xw_end(&x);
    return bt_xw_finish(&x);
}

/* The start of word/document.xml, with the TOC heading when there is one. */
static int doc_head(const bt_docx *d, int toc, bt_buf *out)
{
    bt_xw x;

    if (bt_buf_adds(out, XML_DECL) < 0 ||
        bt_buf_adds(out, "<w:document xmlns:w=\"" BT_NS_W "\" xmlns:r=\"" BT_NS_R
                         "\" xmlns:wp=\"" BT_NS_WP "\" xmlns:a=\"" BT_NS_A
                         "\" xmlns:pic=\"" BT_NS_PIC "\"><w:body>") < 0)
        return -1;
    if (!toc)
        return 0;
    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    bt_docx_plain_para(&x, "TOCHeading", bt_docx_furniture(d, bt_docx_lang(d))->contents, bt_docx_lang(d));
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
    bt_xw_empty(&x, "w:fldChar", "w:fldCharType", "end", NULL);
    bt_xw_end(&x);
    bt_xw_start(&x, "w:r");
    bt_xw_empty(&x, "w:br", "w:type", "page", NULL);
    bt_xw_end(&x);
    bt_xw_end(&x);
    return bt_xw_close(&x);
}

static void simple_field(bt_xw *x, const char *instr, const char *shown, const char *lang)
{
    bt_xw_start(x, "w:fldSimple");
    bt_xw_attr(x, "w:instr", instr);
    bt_xw_start(x, "w:r");
    bt_xw_start(x, "w:rPr");
    bt_xw_val(x, "w:noProof", NULL);
    bt_xw_val(x, "w:lang", lang);
    bt_xw_end(x);
    bt_xw_start(x, "w:t");
    bt_xw_text(x, shown, strlen(shown));
    bt_xw_end(x);
    bt_xw_end(x);
    bt_xw_end(x);
}

static void words_run(bt_xw *x, const char *s, const char *lang)
{
    if (!*s)
        return;
    bt_xw_start(x, "w:r");
    bt_xw_start(x, "w:rPr");
    bt_xw_val(x, "w:lang", lang);
    bt_xw_end(x);
    bt_xw_start(x, "w:t");
    bt_xw_attr(x, "xml:space", "preserve");
    bt_xw_text(x, s, strlen(s));
    bt_xw_end(x);
    bt_xw_end(x);
}

/* "Trang N/M": PAGE and NUMPAGES fields, which Word and LibreOffice work
 * out at every layout (headers and footers are never "updated"), in the
 * Footer (or Header) style of the document. */
static int numbers_xml(const bt_docx *d, bt_buf *out)
{
    const bt_words *w = bt_docx_furniture(d, bt_docx_lang(d));
    const char *style = d->prep->numbers_in_header ? "Header" : "Footer";
    bt_xw x;

    if (bt_xw_open_part(&x, out, d->prep->numbers_in_header ? "w:hdr" : "w:ftr", "xmlns:w",
                        BT_NS_W) < 0)
        return -1;
    bt_xw_attr(&x, "xmlns:r", BT_NS_R);
    bt_docx_para_start(&x, style, 0, 0);
    char page[64];
    snprintf(page, sizeof page, "%s ", w->page);
    words_run(&x, page, bt_docx_lang(d));
    simple_field(&x, " PAGE ", "1", bt_docx_lang(d));
    words_run(&x, w->page_of, bt_docx_lang(d));
    simple_field(&x, " NUMPAGES ", "1", bt_docx_lang(d));
    bt_xw_end(&x); /* p */
    bt_xw_end(&x);
    return bt_xw_finish(&x);
}

/* The page: the section properties, then the end of the document. */
static int doc_tail(const bt_docx *d, bt_buf *out)
{
    const bt_docx_page *pg = &d->page;
    bt_xw x;

    if (bt_xw_open_buf(&x, out) < 0)
        return -1;
    if (d->narticles == 0) /* a body needs something to show */
        bt_xw_val(&x, "w:p", NULL);
    bt_xw_start(&x, "w:sectPr");
    bt_xw_start(&x, d->prep->numbers_in_header ? "w:headerReference" : "w:footerReference");
    bt_xw_attr(&x, "w:type", "default");
    bt_xw_attr(&x, "r:id", "rId4");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:pgSz");
    bt_xw_attrf(&x, "w:w", "%ld", bt_docx_twips(pg->w));
    bt_xw_attrf(&x, "w:h", "%ld", bt_docx_twips(pg->h));
    if (pg->w > pg->h)
        bt_xw_attr(&x, "w:orient", "landscape");
    bt_xw_end(&x);
    bt_xw_start(&x, "w:pgMar");
    bt_xw_attrf(&x, "w:top", "%ld", bt_docx_twips(pg->top));
    bt_xw_attrf(&x, "w:right", "%ld", bt_docx_twips(pg->right));
    bt_xw_attrf(&x, "w:bottom", "%ld", bt_docx_twips(pg->bottom));
    bt_xw_attrf(&x, "w:left", "%ld", bt_docx_twips(pg->left));
    bt_xw_attr(&x, "w:header", "567");
    bt_xw_attr(&x, "w:footer", "567");
    bt_xw_attr(&x, "w:gutter", "0");
    bt_xw_end(&x);
    bt_xw_empty(&x, "w:cols", "w:space", "720", NULL);
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
    /* level 0: stored (images are compressed already) */
    if (zip_set_file_compression(z, (zip_uint64_t)idx, level ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                 (zip_uint32_t)level) < 0 ||
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

enum { P_TYPES, P_RELS, P_DOCRELS, P_SETTINGS, P_NUMBERING, P_NUMBERS, P_CORE, P_APP,
       P_HEAD, P_MID, P_TAIL, P_COUNT };

/* libzip needs something seekable: a small document is zipped in memory;
 * one whose parts spilled to disk goes to a temporary file (*path).
 * Either is then copied to out, which may be a pipe. */
static zip_t *zip_start(const bt_docx *d, zip_source_t **mem, char *path, size_t pathlen,
                        int *made, bt_error *err)
{
    const char *tmpdir = getenv("TMPDIR");
    zip_t *z;
    int fd, zerr = 0;

    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    if (!d->body.fp && !d->toc.fp && !d->rels.fp && !d->media.fp) {
        zip_error_t ze;
        zip_error_init(&ze);
        if ((*mem = zip_source_buffer_create(NULL, 0, 0, &ze)))
            zip_source_keep(*mem);
        if (!*mem || !(z = zip_open_from_source(*mem, ZIP_CREATE | ZIP_TRUNCATE, &ze))) {
            if (*mem) /* not taken over: drop the reference meant for z */
                zip_source_free(*mem);
            *mem = NULL;
            bt_error_set(err, BT_ERR_IO, "cannot create the zip: %s", zip_error_strerror(&ze));
            zip_error_fini(&ze);
            return NULL;
        }
        zip_error_fini(&ze);
        return z;
    }
    if (snprintf(path, pathlen, "%s/bantin-docx-XXXXXX", tmpdir) >= (int)pathlen) {
        bt_error_set(err, BT_ERR_LIMIT, "TMPDIR is too long");
        return NULL;
    }
    fd = mkstemp(path);
    if (fd < 0) {
        bt_error_set(err, BT_ERR_IO, "cannot create a temporary file in %s: %s", tmpdir,
                     strerror(errno));
        return NULL;
    }
    close(fd);
    *made = 1;
    z = zip_open(path, ZIP_TRUNCATE, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        bt_error_set(err, BT_ERR_IO, "cannot create the zip: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
    }
    return z;
}

int bt_docx_close(bt_docx *d, FILE *out, bt_error *err)
{
    bt_buf parts[P_COUNT];
    static const char rels_end[] = "</Relationships>";
    bt_chain doc, rels, *media = NULL;
    char path[4096], name[64];
    zip_t *z = NULL;
    zip_source_t *mem = NULL; /* the archive, when built in memory */
    zip_uint16_t dtime, ddate;
    int toc = d->opts.toc == 1 || (d->opts.toc < 0 && d->narticles > 1);
    int level = d->opts.compress_level, rc = -1, made = 0, failed;

    for (int i = 0; i < P_COUNT; i++)
        bt_buf_init(&parts[i], 0);
    bt_chain_init(&doc);
    bt_chain_init(&rels);
    if (toc && d->narticles == 0)
        toc = 0; /* no entries: no field to close */

    if (bt_xw_close(&d->xbody) < 0 || bt_xw_close(&d->xtoc) < 0 ||
        bt_xw_close(&d->xrels) < 0 || bt_spool_finish(&d->body) < 0 ||
        bt_spool_finish(&d->toc) < 0 || bt_spool_finish(&d->rels) < 0 ||
        bt_spool_finish(&d->media) < 0) {
        bt_error_set(err, errno ? BT_ERR_IO : BT_ERR_NOMEM, "cannot write the document body: %s",
                     errno ? strerror(errno) : "out of memory");
        goto done;
    }
    if (d->nmedia && !(media = calloc(d->nmedia, sizeof(*media)))) {
        bt_error_nomem(err, NULL);
        goto done;
    }
    if (content_types(d, &parts[P_TYPES]) < 0 || root_rels(&parts[P_RELS]) < 0 ||
        doc_rels_head(d, &parts[P_DOCRELS]) < 0 ||
        bt_docx_settings_xml(bt_docx_lang(d), &parts[P_SETTINGS]) < 0 ||
        bt_docx_numbering_xml(d->nnumbered, &parts[P_NUMBERING]) < 0 ||
        numbers_xml(d, &parts[P_NUMBERS]) < 0 ||
        core_props(d, &parts[P_CORE]) < 0 || app_props(&parts[P_APP]) < 0 ||
        doc_head(d, toc, &parts[P_HEAD]) < 0 || (toc && doc_mid(&parts[P_MID]) < 0) ||
        doc_tail(d, &parts[P_TAIL]) < 0) {
        bt_error_nomem(err, NULL);
        goto done;
    }
    bt_chain_add_mem(&doc, parts[P_HEAD].data, parts[P_HEAD].len);
    if (toc) {
        bt_chain_add_spool(&doc, &d->toc, 0, d->toc.size);
        bt_chain_add_mem(&doc, parts[P_MID].data, parts[P_MID].len);
    }
    bt_chain_add_spool(&doc, &d->body, 0, d->body.size);
    bt_chain_add_mem(&doc, parts[P_TAIL].data, parts[P_TAIL].len);
    bt_chain_add_mem(&rels, parts[P_DOCRELS].data, parts[P_DOCRELS].len);
    bt_chain_add_spool(&rels, &d->rels, 0, d->rels.size);
    bt_chain_add_mem(&rels, rels_end, sizeof(rels_end) - 1);

    if (!(z = zip_start(d, &mem, path, sizeof(path), &made, err)))
        goto done;
    dos_time(&dtime, &ddate);
    /* [Content_Types].xml first: some readers look for it there. */
    failed = zip_entry(z, "[Content_Types].xml", mem_source(z, &parts[P_TYPES]), level, dtime, ddate) < 0 ||
        zip_entry(z, "_rels/.rels", mem_source(z, &parts[P_RELS]), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/document.xml", zip_source_function(z, bt_chain_cb, &doc), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/_rels/document.xml.rels", zip_source_function(z, bt_chain_cb, &rels), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/styles.xml", mem_source(z, &d->prep->styles), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/settings.xml", mem_source(z, &parts[P_SETTINGS]), level, dtime, ddate) < 0 ||
        zip_entry(z, "word/numbering.xml", mem_source(z, &parts[P_NUMBERING]), level, dtime, ddate) < 0 ||
        zip_entry(z, numbers_part(d, 1) + 1, mem_source(z, &parts[P_NUMBERS]), level, dtime, ddate) < 0;
    for (size_t i = 0; i < d->nmedia && !failed; i++) {
        bt_chain_init(&media[i]);
        bt_chain_add_spool(&media[i], &d->media, d->mediav[i].off, d->mediav[i].len);
        snprintf(name, sizeof(name), "word/media/image%zu.%s", i + 1, bt_image_ext(d->mediav[i].info.type));
        failed = zip_entry(z, name, zip_source_function(z, bt_chain_cb, &media[i]), 0, dtime, ddate) < 0;
    }
    if (failed ||
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
    bt_chain_fini(&doc);
    bt_chain_fini(&rels);
    for (size_t i = 0; media && i < d->nmedia; i++)
        bt_chain_fini(&media[i]);
    free(media);
    for (int i = 0; i < P_COUNT; i++)
        bt_buf_free(&parts[i]);
    bt_docx_abort(d);
    return rc;
}
