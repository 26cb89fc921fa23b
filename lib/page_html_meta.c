/*
 * What an HTML page declares about itself: <title>, <meta> tags (Open
 * Graph, article:published_time, author), <link rel=canonical>, <time
 * datetime>, and JSON-LD NewsArticle objects (read with json-c).  The
 * visible text is page_html.c's business.
 */
#include "page_int.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    MAX_META = 4096,     /* bytes kept from one metadata value */
    MAX_JSONLD = 1 << 20 /* a larger script is not metadata */
};

int bt_html_is(xmlNodePtr n, const char *tag)
{
    /* tag is lower case; the first letter decides most calls cheaply */
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           (n->name[0] | 0x20) == tag[0] && !strcasecmp((const char *)n->name, tag);
}

const char *bt_html_attr(xmlNodePtr n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (a->name && !strcasecmp((const char *)a->name, name)) {
            if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
                return (const char *)a->children->content;
            return "";
        }
    }
    return NULL;
}

static int skipped_element(xmlNodePtr n)
{
    return bt_html_is(n, "script") || bt_html_is(n, "style") || bt_html_is(n, "noscript") ||
           bt_html_is(n, "template");
}

/* Iterative walk: the tree may be as deep as libxml2 allows. */
int bt_html_node_text(xmlNodePtr root, size_t max, bt_buf *out)
{
    bt_buf raw = BT_BUF_INIT;
    int rc = 0;
    xmlNodePtr n = root;
    while (n && raw.len < max) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            if (bt_buf_adds(&raw, (const char *)n->content) < 0) {
                rc = -1;
                break;
            }
        } else if (n->type == XML_ELEMENT_NODE && bt_html_is(n, "br")) {
            if (bt_buf_addc(&raw, ' ') < 0) {
                rc = -1;
                break;
            }
        }
        n = bt_html_next(root, n, !skipped_element(n));
    }
    if (!rc && raw.len)
        rc = bt_text_collapse_space(raw.data, raw.len < max ? raw.len : max, out);
    bt_buf_free(&raw);
    return rc;
}

/* Character references left in a value once parsed ("&#8216;",
 * "&quot;"): the page escaped it twice.  Decoded in place (a reference
 * is never shorter than its UTF-8); an unknown one is kept as it is. */
static void decode_refs(char *s)
{
    char *out = s;
    for (const char *p = s; *p;) {
        const char *semi = *p == '&' ? strchr(p, ';') : NULL;
        uint32_t cp = 0;
        if (semi && semi - p >= 3 && semi - p <= 12) {
            if (p[1] == '#') {
                char *end;
                long v = (p[2] == 'x' || p[2] == 'X') ? strtol(p + 3, &end, 16) : strtol(p + 2, &end, 10);
                if (end == semi && v > 0 && v <= 0x10FFFF && (v < 0xD800 || v > 0xDFFF))
                    cp = (uint32_t)v;
            } else {
                char name[16];
                memcpy(name, p + 1, (size_t)(semi - p - 1));
                name[semi - p - 1] = '\0';
                const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
                if (e)
                    cp = e->value;
            }
        }
        if (cp) {
            char u[4];
            size_t n = bt_utf8_encode(cp, u);
            memcpy(out, u, n);
            out += n;
            p = semi + 1;
        } else {
            *out++ = *p++;
        }
    }
    *out = '\0';
}

/* Replaces *field with s (collapsed, references left by a second
 * escaping decoded), unless it is already set. */
static int keep_first(char **field, const char *s)
{
    if (*field || !s)
        return 0;
    bt_buf b = BT_BUF_INIT;
    size_t len = strlen(s);
    if (bt_text_collapse_space(s, len < MAX_META ? len : MAX_META, &b) < 0) {
        bt_buf_free(&b);
        return -1;
    }
    if (memchr(b.data, '&', b.len)) {
        decode_refs(b.data);
        b.len = strlen(b.data);
    }
    if (!b.len) {
        bt_buf_free(&b);
        return 0;
    }
    *field = bt_buf_detach(&b);
    return *field ? 0 : -1;
}

/* ---- JSON-LD ---- */

static const char *json_str(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static int is_article_type(json_object *o)
{
    static const char *const types[] = {"NewsArticle", "Article", "ReportageNewsArticle",
                                        "AnalysisNewsArticle", "BlogPosting", "OpinionNewsArticle",
                                        "LiveBlogPosting", "Report"};
    json_object *t;
    if (!json_object_object_get_ex(o, "@type", &t))
        return 0;
    size_t n = json_object_is_type(t, json_type_array) ? json_object_array_length(t) : 1;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_is_type(t, json_type_array) ? json_object_array_get_idx(t, i) : t;
        const char *s = json_object_get_string(e);
        for (size_t k = 0; s && k < BT_ARRAY_LEN(types); k++)
            if (!strcmp(s, types[k]))
                return 1;
    }
    return 0;
}

/* "author": "A", {"name": "A"}, or an array of either: names joined. */
static int read_authors(json_object *a, bt_html_meta *m)
{
    if (m->author || !a)
        return 0;
    bt_buf names = BT_BUF_INIT;
    size_t n = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 1;
    int rc = 0;
    for (size_t i = 0; i < n && i < 10 && !rc; i++) {
        json_object *e = json_object_is_type(a, json_type_array) ? json_object_array_get_idx(a, i) : a;
        const char *name = json_object_is_type(e, json_type_string) ? json_object_get_string(e)
                                                                    : json_str(e, "name");
        if (!name || !*name)
            continue;
        if ((names.len && bt_buf_adds(&names, ", ") < 0) || bt_buf_adds(&names, name) < 0)
            rc = -1;
    }
    if (!rc && names.len)
        rc = keep_first(&m->author, names.data);
    bt_buf_free(&names);
    return rc;
}

static int read_article_object(json_object *o, bt_html_meta *m)
{
    json_object *v;
    m->article_type = 1;
    json_object *sec;
    if (json_object_object_get_ex(o, "articleSection", &sec)) {
        if (json_object_is_type(sec, json_type_array) && json_object_array_length(sec) > 0)
            sec = json_object_array_get_idx(sec, 0);
        if (json_object_is_type(sec, json_type_string) && keep_first(&m->section, json_object_get_string(sec)) < 0)
            return -1;
    }
    if (keep_first(&m->headline, json_str(o, "headline")) < 0 ||
        keep_first(&m->headline, json_str(o, "name")) < 0 ||
        keep_first(&m->lang, json_str(o, "inLanguage")) < 0 ||
        keep_first(&m->published, json_str(o, "datePublished")) < 0 ||
        keep_first(&m->url, json_str(o, "url")) < 0)
        return -1;
    if (json_object_object_get_ex(o, "author", &v) && read_authors(v, m) < 0)
        return -1;
    if (json_object_object_get_ex(o, "publisher", &v) && keep_first(&m->site, json_str(v, "name")) < 0)
        return -1;
    return 0;
}

/* A BreadcrumbList: its last item names the section, or the article
 * itself (then the item before it is the section). */
static int read_breadcrumb_list(json_object *o, bt_html_meta *m)
{
    json_object *t, *items;
    if (m->crumb || !json_object_object_get_ex(o, "@type", &t) || !json_object_is_type(t, json_type_string) ||
        strcmp(json_object_get_string(t), "BreadcrumbList") ||
        !json_object_object_get_ex(o, "itemListElement", &items) || !json_object_is_type(items, json_type_array))
        return 0;
    size_t n = json_object_array_length(items), found = 0;
    for (size_t i = n; i > 0 && found < 2; i--) {
        json_object *e = json_object_array_get_idx(items, i - 1), *item;
        const char *name = json_str(e, "name");
        if (!name && json_object_object_get_ex(e, "item", &item))
            name = json_str(item, "name");
        if (name && *name && keep_first(found ? &m->crumb_prev : &m->crumb, name) < 0)
            return -1;
        found += name && *name;
    }
    return 0;
}

/* Objects may sit at the top, in an array, or in "@graph". */
static int read_jsonld(const char *text, size_t len, bt_html_meta *m)
{
    if (len > MAX_JSONLD)
        return 0;
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok)
        return -1;
    json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    json_tokener_free(tok);
    if (!root)
        return 0; /* broken JSON-LD is common: ignore it */
    json_object *list[2] = {root, NULL};
    json_object *g;
    if (json_object_is_type(root, json_type_object) && json_object_object_get_ex(root, "@graph", &g))
        list[1] = g;
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        json_object *o = list[k];
        if (!o)
            continue;
        size_t n = json_object_is_type(o, json_type_array) ? json_object_array_length(o) : 1;
        for (size_t i = 0; i < n && i < 64 && !rc; i++) {
            json_object *e = json_object_is_type(o, json_type_array) ? json_object_array_get_idx(o, i) : o;
            if (json_object_is_type(e, json_type_object) && is_article_type(e))
                rc = read_article_object(e, m);
            else if (json_object_is_type(e, json_type_object))
                rc = read_breadcrumb_list(e, m);
        }
    }
    json_object_put(root);
    return rc;
}

/* ---- <meta>, <link>, <title>, <time>, <h1> ---- */

static int read_meta_key(const char *key, const char *v, bt_html_meta *m);

/* property="dc:title og:title" names several keys at once. */
static int read_meta_tag(xmlNodePtr n, bt_html_meta *m)
{
    const char *v = bt_html_attr(n, "content");
    const char *equiv = bt_html_attr(n, "http-equiv");
    if (equiv && v && !strcasecmp(equiv, "content-language"))
        return keep_first(&m->lang, v);
    static const char *const attrs[] = {"property", "name", "itemprop"};
    for (size_t a = 0; a < BT_ARRAY_LEN(attrs) && v; a++) {
        const char *keys = bt_html_attr(n, attrs[a]);
        while (keys && *keys) {
            while (*keys == ' ')
                keys++;
            size_t len = strcspn(keys, " ");
            char key[64];
            if (len && len < sizeof key) {
                memcpy(key, keys, len);
                key[len] = '\0';
                if (read_meta_key(key, v, m) < 0)
                    return -1;
            }
            keys += len;
        }
    }
    return 0;
}

static int read_meta_key(const char *key, const char *v, bt_html_meta *m)
{
    while (*v == ' ' || *v == '\n' || *v == '\t')
        v++;
    if (!*v)
        return 0; /* an empty value is no value */
    if (!strcasecmp(key, "dc:title") || !strcasecmp(key, "dcterm:title") || !strcasecmp(key, "dcterms:title"))
        return keep_first(&m->dc_title, v);
    /* Dublin Core's own HTML convention, name="DC.title": a page that also
     * says dc:title as an RDFa property means that one */
    if (!strcasecmp(key, "dc.title") || !strcasecmp(key, "dcterms.title"))
        return keep_first(&m->dc_name_title, v);
    if (!strcasecmp(key, "parsely-title") || !strcasecmp(key, "title") || !strcasecmp(key, "weibo:article:title"))
        return keep_first(&m->meta_title, v);
    if (!strcasecmp(key, "og:locale") || !strcasecmp(key, "dc:language") || !strcasecmp(key, "language") ||
        !strcasecmp(key, "content-language"))
        return keep_first(&m->lang, v);
    if (!strcasecmp(key, "article:section") || !strcasecmp(key, "section") || !strcasecmp(key, "parsely-section"))
        return keep_first(&m->section, v);
    if (!strcasecmp(key, "og:title") || !strcasecmp(key, "twitter:title"))
        return keep_first(&m->og_title, v);
    if (!strcasecmp(key, "og:url"))
        return keep_first(&m->url, v);
    if (!strcasecmp(key, "og:site_name"))
        return keep_first(&m->site, v);
    if (!strcasecmp(key, "og:description") || !strcasecmp(key, "description"))
        return keep_first(&m->description, v);
    if (!strcasecmp(key, "og:type")) {
        if (!strncasecmp(v, "article", 7))
            m->article_type = 1;
        else if (!strcasecmp(v, "website"))
            m->website_type = 1;
        return 0;
    }
    if (!strcasecmp(key, "article:published_time") || !strcasecmp(key, "datePublished") ||
        !strcasecmp(key, "pubdate") || !strcasecmp(key, "publishdate") ||
        !strcasecmp(key, "dc.date.issued") || !strcasecmp(key, "article:published")) {
        if (!strcasecmp(key, "article:published_time"))
            m->article_type = 1;
        return keep_first(&m->published, v);
    }
    if (!strcasecmp(key, "author") || !strcasecmp(key, "article:author")) {
        /* a site name or an address is not a byline */
        if (strchr(v, '.') || strchr(v, '/') || strchr(v, '@'))
            return 0;
        return keep_first(&m->author, v);
    }
    return 0;
}

int bt_html_read_meta(xmlDocPtr doc, bt_html_meta *m)
{
    memset(m, 0, sizeof *m);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr n = root;
    int rc = 0;
    while (n && !rc) {
        int descend = 1;
        if (n->type == XML_ELEMENT_NODE) {
            if (bt_html_is(n, "meta")) {
                rc = read_meta_tag(n, m);
            } else if (bt_html_is(n, "link")) {
                const char *rel = bt_html_attr(n, "rel");
                if (rel && !strcasecmp(rel, "canonical"))
                    rc = keep_first(&m->url, bt_html_attr(n, "href"));
            } else if (bt_html_is(n, "title") && !m->title) {
                bt_buf b = BT_BUF_INIT;
                rc = bt_html_node_text(n, MAX_META, &b);
                if (!rc && b.len)
                    rc = keep_first(&m->title, b.data);
                bt_buf_free(&b);
                descend = 0;
            } else if (bt_html_is(n, "h1") && m->nh1 < BT_ARRAY_LEN(m->h1s)) {
                bt_buf b = BT_BUF_INIT;
                rc = bt_html_node_text(n, MAX_META, &b);
                if (!rc && b.len) {
                    rc = keep_first(&m->h1s[m->nh1], b.data);
                    if (!rc && m->h1s[m->nh1]) {
                        if (!m->h1)
                            m->h1 = m->h1s[m->nh1];
                        m->nh1++;
                    }
                }
                bt_buf_free(&b);
                descend = 0;
            } else if (bt_html_is(n, "html") && n == root) {
                rc = keep_first(&m->lang, bt_html_attr(n, "lang"));
                if (!rc)
                    rc = keep_first(&m->lang, bt_html_attr(n, "xml:lang"));
            } else if (bt_html_is(n, "time") && !m->published) {
                rc = keep_first(&m->published, bt_html_attr(n, "datetime"));
            } else if (bt_html_is(n, "script")) {
                const char *type = bt_html_attr(n, "type");
                if (type && !strcasecmp(type, "application/ld+json")) {
                    bt_buf b = BT_BUF_INIT;
                    for (xmlNodePtr c = n->children; c && !rc; c = c->next)
                        if (c->content)
                            rc = bt_buf_adds(&b, (const char *)c->content);
                    if (!rc && b.len)
                        rc = read_jsonld(b.data, b.len, m);
                    bt_buf_free(&b);
                }
                descend = 0;
            } else if (bt_html_is(n, "style")) {
                descend = 0;
            }
        }
        n = bt_html_next(root, n, descend);
    }
    if (!m->dc_title) {
        m->dc_title = m->dc_name_title;
        m->dc_name_title = NULL;
    }
    return rc;
}

void bt_html_meta_free(bt_html_meta *m)
{
    free(m->title);
    free(m->og_title);
    free(m->headline);
    for (size_t i = 0; i < m->nh1; i++)
        free(m->h1s[i]);
    free(m->dc_title);
    free(m->dc_name_title);
    free(m->meta_title);
    free(m->lang);
    free(m->section);
    free(m->crumb);
    free(m->crumb_prev);
    free(m->published);
    free(m->author);
    free(m->url);
    free(m->site);
    free(m->description);
    memset(m, 0, sizeof *m);
}
