/*
 * Finding the article in an HTML page, the way Mozilla Readability does:
 * page furniture is set aside by tag and by class/id words (with the
 * Vietnamese ones its English lists miss: tin-lien-quan, quangcao,
 * binh-luan …), every paragraph-like element scores its parent and
 * grandparent by text length and commas, a candidate's score is cut by
 * its link density, and the best candidate is kept with the siblings
 * that read like more of it.  Walks are iterative: a page may nest as
 * deep as the parser allows.
 */
#include "page_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Elements that never hold article text. */
static const char *const REMOVED_TAGS[] = {
    "script", "style", "noscript", "iframe", "form", "svg", "nav", "footer", "aside",
    "button", "input", "select", "textarea", "template", "object", "embed", "canvas",
    "video", "audio", "head", "title", "meta", "link", "map", "dialog", "math",
};

/* Words in class or id that mark furniture (Readability's list, plus
 * what Vietnamese sites call their related boxes, ads and comments). */
static const char *const UNLIKELY[] = {
    "-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "disqus",
    "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss",
    "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "ad-break",
    "agegate", "pagination", "pager", "popup", "share", "modal", "cookie", "newsletter",
    "lienquan", "lien-quan", "lien_quan", "tinkhac", "tin-khac", "tin_khac", "xemthem",
    "xem-them", "xem_them", "quangcao", "quang-cao", "box-qc", "block-qc", "adsbygoogle",
    "binhluan", "binh-luan", "binh_luan", "chiase", "chia-se", "cungchuyenmuc",
    "cung-chuyen-muc", "tin-moi", "docnhieu", "doc-nhieu", "block-key", "list-tool",
    "tool-bar", "toolbar", "topbar", "tags", "keyword", "audio", "login",
    "ads-", "-ads", "advert", "widget", "masthead", "pin-", "sticky", "myvne", "footer-content",
};
/* Words in class or id of readers' comments. */
static const char *const COMMENTS[] = {"comment", "reply", "replies", "disqus", "binhluan", "binh-luan",
                                       "binh_luan", "remark", "discussion", "kommentar"};
/* Words that keep an element even when an unlikely word matched. */
static const char *const MAYBE[] = {"and", "article", "body", "column", "content", "main",
                                    "shadow", "detail", "fck", "singular", "noidung", "story"};
static const char *const POSITIVE[] = {
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
    "blog", "story", "detail", "fck", "singular", "noidung", "noi-dung", "baiviet", "bai-viet",
    "chitiet", "chi-tiet",
};
static const char *const NEGATIVE[] = {
    "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footer",
    "footnote", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
    "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
    "lienquan", "lien-quan", "quangcao", "binh-luan", "binhluan", "tin-khac",
};

static const char *const BLOCK_TAGS[] = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "blockquote",
    "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "address", "center",
    "form", "fieldset", "hr", "details", "summary", "nav", "body", "html", "caption", "picture",
};

static int in_list(xmlNodePtr n, const char *const *list, size_t len)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->name)
        return 0;
    int c = tolower(n->name[0]);
    for (size_t i = 0; i < len; i++)
        if (list[i][0] == c && !strcasecmp((const char *)n->name, list[i]))
            return 1;
    return 0;
}

int bt_html_is_block(xmlNodePtr n)
{
    return in_list(n, BLOCK_TAGS, BT_ARRAY_LEN(BLOCK_TAGS));
}

/* Case-insensitive search of any word of the list in class + id. */
static int attr_has(const char *s, const char *const *words, size_t n)
{
    if (!s || !*s)
        return 0;
    char low[512];
    size_t len = strlen(s);
    if (len >= sizeof low)
        len = sizeof low - 1;
    for (size_t i = 0; i < len; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[len] = '\0';
    for (size_t i = 0; i < n; i++)
        if (strstr(low, words[i]))
            return 1;
    return 0;
}

/* class and id of an element, joined (for the word lists). */
static void class_and_id(xmlNodePtr n, char *out, size_t outsz)
{
    const char *c = bt_html_attr(n, "class"), *id = bt_html_attr(n, "id");
    snprintf(out, outsz, "%s %s", c ? c : "", id ? id : "");
}

/* Markers of related-news boxes in data attributes (data-tin-lien-quan,
 * data-component-type="tin_xemthem"). */
static int related_data_attr(xmlNodePtr n)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        if (!name || strncasecmp(name, "data-", 5))
            continue;
        static const char *const words[] = {"lien-quan", "lienquan", "lien_quan", "xemthem",
                                            "xem-them", "tin-khac", "related"};
        if (attr_has(name, words, BT_ARRAY_LEN(words)))
            return 1;
        const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
        if (strlen(v) < 64 && attr_has(v, words, BT_ARRAY_LEN(words)))
            return 1;
    }
    return 0;
}

int bt_html_related_box(xmlNodePtr n)
{
    static const char *const words[] = {"lienquan", "lien-quan", "lien_quan", "related", "xemthem",
                                        "xem-them", "tinkhac", "tin-khac", "cungchuyenmuc",
                                        "cung-chuyen-muc"};
    if (!n->properties)
        return 0;
    char ci[600];
    class_and_id(n, ci, sizeof ci);
    return related_data_attr(n) || attr_has(ci, words, BT_ARRAY_LEN(words));
}

/* A class that hides the element at every screen size: the CSS
 * frameworks' "hidden", "is-hidden", "d-none", "sr-only" and the like,
 * unless another token shows it from some width on ("md:block",
 * "d-lg-flex"). */
static int hidden_class(const char *c)
{
    static const char *const hide[] = {"hidden", "is-hidden", "d-none", "sr-only", "visually-hidden",
                                       "screen-reader-text", "u-hidden", "hide"};
    int hid = 0;
    for (const char *p = c; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        size_t len = strcspn(p, " \t\n");
        if (!len)
            break;
        if (memchr(p, ':', len) || (len > 4 && !strncmp(p, "d-", 2) && strncmp(p, "d-none", 6)))
            return 0; /* shown at some width */
        for (size_t i = 0; i < BT_ARRAY_LEN(hide) && !hid; i++)
            hid = len == strlen(hide[i]) && !strncasecmp(p, hide[i], len);
        p += len;
    }
    return hid;
}

static int hidden(xmlNodePtr n)
{
    if (hidden_class(bt_html_attr(n, "class")))
        return 1;
    const char *style = bt_html_attr(n, "style");
    if (style) {
        char low[256];
        size_t k = 0;
        for (const char *p = style; *p && k + 1 < sizeof low; p++)
            if (*p != ' ')
                low[k++] = (char)tolower((unsigned char)*p);
        low[k] = '\0';
        if (strstr(low, "display:none") || strstr(low, "visibility:hidden"))
            return 1;
    }
    const char *aria = bt_html_attr(n, "aria-hidden");
    return bt_html_attr(n, "hidden") != NULL || (aria && !strcasecmp(aria, "true"));
}

int bt_html_furniture(xmlNodePtr n, int strip_unlikely)
{
    if (!bt_html_attr(n, "class") && !bt_html_attr(n, "id") && !n->properties &&
        !in_list(n, REMOVED_TAGS, BT_ARRAY_LEN(REMOVED_TAGS)))
        return 0;
    if (in_list(n, REMOVED_TAGS, BT_ARRAY_LEN(REMOVED_TAGS)) || hidden(n) || related_data_attr(n))
        return 1;
    /* a picture and its caption are never furniture by class words
     * ("fig--has-shares") */
    if (bt_html_is(n, "body") || bt_html_is(n, "html") || bt_html_is(n, "a") || bt_html_is(n, "figure") ||
        bt_html_is(n, "figcaption") || !strip_unlikely)
        return 0;
    char ci[600];
    class_and_id(n, ci, sizeof ci);
    /* <article> and <main> hold the article, unless they are readers'
     * comments (one <article> per comment is common) */
    if (bt_html_is(n, "article") || bt_html_is(n, "main"))
        return attr_has(ci, COMMENTS, BT_ARRAY_LEN(COMMENTS));
    return attr_has(ci, UNLIKELY, BT_ARRAY_LEN(UNLIKELY)) && !attr_has(ci, MAYBE, BT_ARRAY_LEN(MAYBE));
}

/* A class or id token that names readers' comments: it starts with
 * "comment" (comments-list, comment-body, comments), but is not
 * "commentary" (an opinion piece, as the German "Kommentar") nor says
 * whether the page takes comments (comments-enabled, comments-off). */
static int comment_token(const char *p, size_t len)
{
    static const char *const states[] = {"enabled", "disabled", "open", "closed", "on", "off",
                                         "allowed", "count", "number", "link", "button", "icon"};
    if (len < 7 || strncasecmp(p, "comment", 7) || (len >= 10 && !strncasecmp(p, "commentary", 10)))
        return 0;
    size_t k = 7;
    if (k < len && (p[k] == 's' || p[k] == 'S'))
        k++;
    if (k == len)
        return 1;
    if (p[k] != '-' && p[k] != '_' && p[k] != 'l' && p[k] != 'L')
        return 0;
    if (p[k] == '-' || p[k] == '_')
        for (size_t i = 0; i < BT_ARRAY_LEN(states); i++)
            if (len - k - 1 == strlen(states[i]) && !strncasecmp(p + k + 1, states[i], len - k - 1))
                return 0;
    return 1;
}

/* Readers' comments by a class or id token, whatever else the class says
 * ("column", "content") and however much prose they hold; a box that
 * holds the headline <h1> is the article's, whatever its class. */
int bt_html_comments(xmlNodePtr n)
{
    if (!n->properties || bt_html_is(n, "body") || bt_html_is(n, "html"))
        return 0;
    static const char *const attrs[] = {"class", "id"};
    int found = 0;
    for (size_t a = 0; a < BT_ARRAY_LEN(attrs) && !found; a++) {
        const char *v = bt_html_attr(n, attrs[a]);
        for (const char *p = v; p && *p && !found;) {
            while (*p == ' ' || *p == '\t' || *p == '\n')
                p++;
            size_t len = strcspn(p, " \t\n");
            found = comment_token(p, len);
            p += len;
        }
    }
    for (xmlNodePtr c = found ? n->children : NULL; c; c = bt_html_next(n, c, 1))
        if (bt_html_is(c, "h1"))
            return 0;
    return found;
}

static double class_weight(xmlNodePtr n)
{
    char ci[600];
    class_and_id(n, ci, sizeof ci);
    double w = 0;
    if (attr_has(ci, NEGATIVE, BT_ARRAY_LEN(NEGATIVE)))
        w -= 25;
    if (attr_has(ci, POSITIVE, BT_ARRAY_LEN(POSITIVE)))
        w += 25;
    return w;
}

static double tag_weight(xmlNodePtr n)
{
    if (bt_html_is(n, "div") || bt_html_is(n, "article") || bt_html_is(n, "section"))
        return 5;
    if (bt_html_is(n, "pre") || bt_html_is(n, "td") || bt_html_is(n, "blockquote"))
        return 3;
    if (bt_html_is(n, "address") || bt_html_is(n, "ol") || bt_html_is(n, "ul") || bt_html_is(n, "dl") ||
        bt_html_is(n, "dd") || bt_html_is(n, "dt") || bt_html_is(n, "li") || bt_html_is(n, "form"))
        return -3;
    if (bt_html_is(n, "h1") || bt_html_is(n, "h2") || bt_html_is(n, "h3") || bt_html_is(n, "h4") ||
        bt_html_is(n, "h5") || bt_html_is(n, "h6") || bt_html_is(n, "th"))
        return -5;
    return 0;
}

bt_html_info *bt_html_info_of(const bt_html_scan *s, xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->_private)
        return NULL;
    size_t i = (size_t)(uintptr_t)n->_private - 1;
    return i < s->n ? &s->info[i] : NULL;
}

/* Characters (not bytes) of a text node, white space runs counted once,
 * and its commas (ASCII, fullwidth, Arabic, ideographic are all seen in
 * news).  The string ends with NUL, so a lead byte's next bytes can be
 * read. */
static void count_text(const char *s, size_t *chars, size_t *commas)
{
    int space = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        int sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (sp && space)
            continue;
        space = sp;
        (*chars)++;
        if (*p == ',' || (p[0] == 0xD8 && p[1] == 0x8C) || /* U+060C Arabic */
            (p[0] == 0xEF && p[1] == 0xBC && p[2] == 0x8C) || /* U+FF0C fullwidth */
            (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x81) || /* U+3001 ideographic */
            (p[0] == 0xEF && p[1] == 0xB8 && (p[2] == 0x90 || p[2] == 0x91)) || /* U+FE10, U+FE11 */
            (p[0] == 0xEF && p[1] == 0xB9 && p[2] == 0x90)) /* U+FE50 small */
            (*commas)++;
    }
}

/* Characters of text outside links under root, script and the like
 * left out (forms, asides and footers counted). */
static size_t text_outside_links(xmlNodePtr root)
{
    static const char *const skip[] = {"script", "style", "noscript", "template", "head", "title",
                                       "svg", "math", "select", "textarea", "button", "a"};
    size_t chars = 0, commas = 0;
    for (xmlNodePtr n = root; n; n = bt_html_next(root, n, !in_list(n, skip, BT_ARRAY_LEN(skip))))
        if (n->type == XML_TEXT_NODE && n->content)
            count_text((const char *)n->content, &chars, &commas);
    return chars;
}

/* A form, aside, footer or hidden box that holds seven tenths of the
 * page's text is a wrapper of the page, not a search box, a poll, a
 * sidebar or a closed menu: ASP.NET pages put all of <body> in one
 * <form>, a tag the parser could not close (an unclosed poll form, a
 * stray </p>) makes a form or an aside swallow the rest of the page, and
 * pages rendered in streamed parts keep them in <div hidden> until a
 * script moves them into place. */
static int wraps_page(const bt_html_scan *s, xmlNodePtr box)
{
    if (!bt_html_is(box, "form") && !bt_html_is(box, "aside") && !bt_html_is(box, "footer") &&
        !hidden(box))
        return 0;
    size_t t = text_outside_links(box);
    return t >= 500 && t * 10 >= s->page_text * 7;
}

static int scores_parents(xmlNodePtr n, const bt_html_info *in)
{
    if (bt_html_is(n, "p") || bt_html_is(n, "pre") || bt_html_is(n, "td") ||
        bt_html_is(n, "figcaption"))
        return 1;
    return (bt_html_is(n, "div") || bt_html_is(n, "section")) && !in->has_block;
}

/* Scores n and four of its ancestors, less and less. */
static void add_score(bt_html_scan *s, xmlNodePtr n, double score)
{
    for (int level = 0; n && level < 5; level++, n = n->parent) {
        bt_html_info *pi = bt_html_info_of(s, n);
        if (!pi || pi->aside)
            break;
        if (!pi->scored) {
            pi->scored = 1;
            pi->score = tag_weight(n) + class_weight(n);
        }
        pi->score += level == 0 ? score : level == 1 ? score / 2 : score / (level * 3);
    }
}

/* A paragraph's score: one, its commas, a point per 100 characters (at
 * most three). */
static double para_score(size_t chars, size_t commas, size_t runs)
{
    size_t len = chars / 100;
    if (len > 3 * runs)
        len = 3 * runs;
    return (double)runs + (double)commas + (double)len;
}

/* Leaving an element: its counts go to its parent; paragraphs score. */
static void leave(bt_html_scan *s, xmlNodePtr n)
{
    bt_html_info *in = bt_html_info_of(s, n);
    if (!in)
        return;
    const char *href = bt_html_is(n, "a") ? bt_html_attr(n, "href") : NULL;
    if (href && strncasecmp(href, "javascript:", 11))
        in->link = in->text;
    int block = bt_html_is_block(n);
    if (n->name && (n->name[0] | 0x20) == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2]) {
        in->heading = in->text;
        if (n->name[1] != '1' && in->text && in->link * 10 >= in->text * 6)
            in->linked_headings++;
    }
    if (bt_html_is(n, "iframe") || bt_html_is(n, "object") || bt_html_is(n, "embed") || bt_html_is(n, "video"))
        in->embeds++;
    bt_html_info *pi = bt_html_info_of(s, n->parent);
    if (pi && !in->aside) {
        pi->text += in->text;
        pi->link += in->link;
        pi->commas += in->commas;
        pi->imgs += in->imgs;
        pi->paras += in->paras + bt_html_is(n, "p");
        pi->lis += in->lis + bt_html_is(n, "li");
        pi->embeds += in->embeds;
        pi->heading += in->heading;
        pi->linked_headings += in->linked_headings;
        if (in->has_block || block)
            pi->has_block = 1;
        if (!block) { /* inline: its text is loose text of the parent */
            pi->loose += in->loose;
            pi->loose_commas += in->loose_commas;
            pi->brs += in->brs + bt_html_is(n, "br");
        }
    }
    if (in->aside)
        return;
    if (in->text >= 25 && scores_parents(n, in)) {
        /* a paragraph of links (names, tags, "kudos") is no prose, whatever
         * its commas */
        double ld = (double)in->link / (double)in->text;
        add_score(s, n->parent, para_score(in->text, in->commas, 1) * (1.0 - ld));
    } else if (in->has_block && in->loose >= 25 && block && !bt_html_is(n, "p") &&
               !bt_html_is(n, "body") && !bt_html_is(n, "html")) {
        /* text beside blocks (a body split by <br> in a div that also
         * holds an ad or a picture) is paragraphs of this element: one
         * per two line breaks */
        add_score(s, n, para_score(in->loose, in->loose_commas, 1 + in->brs / 2));
    }
}

static int scan(xmlDocPtr doc, int strip_unlikely, const xmlNodePtr *keep, size_t nkeep, bt_html_scan *s);

static int cmp_node(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const xmlNodePtr *)a, y = (uintptr_t)*(const xmlNodePtr *)b;
    return x < y ? -1 : x > y;
}

int bt_html_prose_box(const bt_html_info *in)
{
    return !in->aside && in->paras >= 3 && in->text >= 500 && in->link * 10 < in->text * 3 &&
           !bt_html_is(in->node, "ul") && !bt_html_is(in->node, "ol");
}

/* Class and id words set furniture aside, but not a box of prose (three
 * paragraphs and more, 500 characters, few links): a wrapper whose id
 * happens to say "share" or "social" may hold the article.  A first scan
 * without the words finds those boxes. */
int bt_html_scan_doc(xmlDocPtr doc, int strip_unlikely, bt_html_scan *s)
{
    if (!strip_unlikely)
        return scan(doc, 0, NULL, 0, s);
    if (scan(doc, 0, NULL, 0, s) < 0)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        const bt_html_info *in = &s->info[i];
        n += in->node && bt_html_prose_box(in);
    }
    xmlNodePtr *keep = malloc((n ? n : 1) * sizeof *keep);
    if (!keep) {
        bt_html_scan_free(s);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const bt_html_info *in = &s->info[i];
        if (in->node && bt_html_prose_box(in))
            keep[k++] = in->node;
    }
    bt_html_scan_free(s);
    qsort(keep, k, sizeof *keep, cmp_node);
    int rc = scan(doc, 1, keep, k, s);
    free(keep);
    return rc;
}

/* Characters a box needs for its class words to count in full. */
enum { FULL_WEIGHT = 1000 };

static int scan(xmlDocPtr doc, int strip_unlikely, const xmlNodePtr *keep, size_t nkeep, bt_html_scan *s)
{
    memset(s, 0, sizeof *s);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    /* first pass: number the elements in document order */
    size_t count = 0;
    for (xmlNodePtr n = root; n; n = bt_html_next(root, n, 1))
        if (n->type == XML_ELEMENT_NODE)
            count++;
    s->info = calloc(count ? count : 1, sizeof *s->info);
    if (!s->info)
        return -1;
    s->n = count;
    s->page_text = text_outside_links(root);
    /* second pass: what is set aside, text counts, scores */
    size_t i = 0;
    xmlNodePtr n = root;
    while (n) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE && i < count) {
            n->_private = (void *)(uintptr_t)(i + 1);
            bt_html_info *in = &s->info[i];
            in->node = n;
            i++;
            bt_html_info *pi = bt_html_info_of(s, n->parent);
            int prose = nkeep && bsearch(&n, keep, nkeep, sizeof *keep, cmp_node);
            in->aside = (pi && pi->aside) || bt_html_furniture(n, strip_unlikely && !prose) ||
                        bt_html_comments(n);
            if (in->aside && !(pi && pi->aside) && wraps_page(s, n))
                in->aside = 0, in->wrapper = 1;
            descend = n->children != NULL && !in->aside;
            if (bt_html_is(n, "img") && pi)
                in->imgs = 1;
        } else if (n->type == XML_TEXT_NODE && n->content) {
            bt_html_info *pi = bt_html_info_of(s, n->parent);
            if (pi && !pi->aside) {
                size_t chars = 0, commas = 0;
                count_text((const char *)n->content, &chars, &commas);
                pi->text += chars;
                pi->commas += commas;
                pi->loose += chars;
                pi->loose_commas += commas;
            }
        }
        if (descend) {
            n = n->children;
            continue;
        }
        if (n->type == XML_ELEMENT_NODE)
            leave(s, n);
        while (n && n != root && !n->next) {
            n = n->parent;
            leave(s, n);
        }
        n = n && n != root ? n->next : NULL;
    }
    /* a class that says "content" or "main" is a hint, not text: on a box
     * of less than FULL_WEIGHT characters, or a third of the page's text
     * when that is less, it counts in proportion (a newsletter box or a
     * teaser must not outscore the article) */
    double full = s->page_text / 3 < FULL_WEIGHT ? (double)s->page_text / 3 : FULL_WEIGHT;
    for (size_t k = 0; k < s->n; k++) {
        bt_html_info *in = &s->info[k];
        if (!in->scored || in->aside || (double)in->text >= full)
            continue;
        double w = class_weight(in->node);
        if (w > 0)
            in->score -= w * (1.0 - (double)in->text / full);
    }
    return 0;
}

static int ends_with_period(xmlNodePtr n);

static double final_score(const bt_html_info *in)
{
    double ld = in->text ? (double)in->link / (double)in->text : 0;
    return in->score * (1.0 - ld);
}

static int is_ancestor_of(xmlNodePtr a, xmlNodePtr n)
{
    for (n = n ? n->parent : NULL; n; n = n->parent)
        if (n == a)
            return 1;
    return 0;
}

static bt_html_info *scored_info(bt_html_scan *s, xmlNodePtr n, double score)
{
    bt_html_info *in = bt_html_info_of(s, n);
    if (in && !in->scored) {
        in->scored = 1;
        in->score = score;
    }
    return in;
}

/* Readability's cleaning of the article's boxes: a div, list, table or
 * section that reads as furniture rather than text (mostly links, more
 * list items or pictures than paragraphs, a lone embed, almost no text,
 * a class that says so).  Boxes with ten commas or more are text. */
static int junk_box(const bt_html_scan *s, const bt_html_info *in)
{
    xmlNodePtr n = in->node;
    int list = bt_html_is(n, "ul") || bt_html_is(n, "ol");
    if (!list && !bt_html_is(n, "div") && !bt_html_is(n, "section") && !bt_html_is(n, "table") &&
        !bt_html_is(n, "form") && !bt_html_is(n, "fieldset") && !bt_html_is(n, "aside") &&
        !bt_html_is(n, "header") && !bt_html_is(n, "footer"))
        return 0;
    if (bt_html_is(n, "table") && bt_html_data_table(s, n))
        return 0;
    double weight = class_weight(n);
    if (weight + (in->scored ? in->score : 0) < 0)
        return 1;
    double links = in->text ? (double)in->link / (double)in->text : 0;
    if (!list && links > 0.5 && in->text >= 25)
        return 1; /* names, tags, "kudos": their commas make no prose */
    if (in->linked_headings && in->text < 500 && in->paras <= 2 && in->heading * 5 >= in->text / 4)
        return 1; /* a teaser: another story's linked headline and its summary */
    if (in->commas >= 10)
        return 0;
    for (xmlNodePtr p = n->parent; p; p = p->parent)
        if (bt_html_is(p, "figure"))
            return 0;
    double ld = in->text ? (double)in->link / (double)in->text : 0;
    size_t p = in->paras, img = in->imgs;
    if (img > 1 && (double)p / (double)img < 0.5)
        return 1;
    if (!list && in->lis > p + 1 && ld > 0.2)
        return 1;
    double hd = in->text ? (double)in->heading / (double)in->text : 0;
    if (!list && hd < 0.9 && in->text < 25 && (img == 0 || img > 2))
        return 1;
    if (!list && weight < 25 && ld > 0.2 + (in->text > 1000 ? 0.2 : 0))
        return 1;
    if (weight >= 25 && ld > 0.5)
        return 1;
    if ((in->embeds == 1 && in->text < 75) || in->embeds > 1)
        return 1;
    return 0;
}

static void mark_junk(bt_html_scan *s, bt_html_info *top)
{
    size_t first = (size_t)(top - s->info);
    for (size_t i = first + 1; i < s->n; i++) {
        bt_html_info *in = &s->info[i];
        if (!is_ancestor_of(top->node, in->node))
            break;
        if (in->aside || in->junk)
            continue;
        if (junk_box(s, in)) {
            in->junk = 1;
            /* its descendants follow it in document order */
            for (size_t k = i + 1; k < s->n && is_ancestor_of(in->node, s->info[k].node); k++)
                s->info[k].junk = 1;
        }
    }
}

enum { TOP_N = 5 };

/* The best final score of a candidate inside in (in included). */
static double best_inside(const bt_html_scan *s, const bt_html_info *in)
{
    double best = in->scored ? final_score(in) : 0;
    for (size_t k = (size_t)(in - s->info) + 1; k < s->n; k++) {
        const bt_html_info *d = &s->info[k];
        if (!d->node || !is_ancestor_of(in->node, d->node))
            break;
        if (d->scored && !d->aside && final_score(d) > best)
            best = final_score(d);
    }
    return best;
}

/* The nearest element at or above n that holds an <h1> of the page (its
 * story's headline), or NULL. */
static xmlNodePtr story_of(xmlNodePtr n, xmlNodePtr root)
{
    for (; n && n != root; n = n->parent) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr c = n->children; c; c = bt_html_next(n, c, 1))
            if (bt_html_is(c, "h1"))
                return n;
    }
    return NULL;
}

/* A page with several stories (the next one loaded below the first): the
 * best candidate sits under another story's headline while a candidate
 * at least a third as good sits under the page's own: that one. */
static bt_html_info *headline_story(bt_html_info *const *top, size_t ntop, xmlNodePtr headline)
{
    xmlNodePtr root = headline->doc ? xmlDocGetRootElement(headline->doc) : NULL;
    xmlNodePtr own = story_of(top[0]->node, root);
    if (!own || is_ancestor_of(own, headline) || own == headline)
        return top[0];
    double best_f = final_score(top[0]);
    for (size_t k = 1; k < ntop && top[k]; k++) {
        if (final_score(top[k]) < best_f / 3 || is_ancestor_of(top[k]->node, top[0]->node))
            continue;
        xmlNodePtr st = story_of(top[k]->node, root);
        if (st && (is_ancestor_of(st, headline)) && !is_ancestor_of(st, top[0]->node))
            return top[k];
    }
    return top[0];
}

bt_html_info *bt_html_best(bt_html_scan *s, int clean, xmlNodePtr headline)
{
    bt_html_info *top[TOP_N] = {0};
    /* the article is prose: candidates mostly of links (a menu, a list of
     * stories) compete only when nothing else scored */
    int prose = 0;
    for (size_t i = 0; i < s->n && !prose; i++) {
        const bt_html_info *in = &s->info[i];
        prose = in->scored && !in->aside && in->text >= 140 && in->link * 2 <= in->text &&
                !bt_html_is(in->node, "html");
    }
    for (size_t i = 0; i < s->n; i++) {
        bt_html_info *in = &s->info[i];
        if (!in->scored || in->aside || bt_html_is(in->node, "html") ||
            (prose && in->link * 2 > in->text))
            continue;
        double f = final_score(in);
        for (size_t k = 0; k < TOP_N; k++) {
            if (!top[k] || f > final_score(top[k])) {
                memmove(top + k + 1, top + k, (TOP_N - k - 1) * sizeof *top);
                top[k] = in;
                break;
            }
        }
    }
    if (!top[0])
        return NULL;
    bt_html_info *best = headline ? headline_story(top, TOP_N, headline) : top[0];
    double best_f = final_score(best);
    /* Readability: when three of the next best candidates, each nearly
     * as good, share an ancestor with the best, the article is that
     * ancestor (a body split around an ad, a story in sections) */
    size_t alts = 0;
    for (size_t k = 1; k < TOP_N && top[k] && best == top[0]; k++)
        alts += final_score(top[k]) >= 0.75 * best_f;
    if (alts >= 3) {
        for (xmlNodePtr p = best->node->parent; p && !bt_html_is(p, "body") && !bt_html_is(p, "html");
             p = p->parent) {
            size_t holding = 0;
            for (size_t k = 1; k < TOP_N && top[k]; k++)
                holding += final_score(top[k]) >= 0.75 * best_f && is_ancestor_of(p, top[k]->node);
            if (holding >= 3) {
                bt_html_info *pi = scored_info(s, p, best->score);
                if (pi && !pi->aside)
                    best = pi;
                break;
            }
        }
    }
    /* climb while a parent scores more than what it holds (its other
     * children are more of the article) */
    double last = final_score(best), floor = last / 3;
    for (xmlNodePtr p = best->node->parent; p && !bt_html_is(p, "body") && !bt_html_is(p, "html");
         p = p->parent) {
        bt_html_info *pi = bt_html_info_of(s, p);
        if (!pi || pi->aside)
            break;
        if (!pi->scored)
            continue;
        double ps = final_score(pi);
        if (ps < floor)
            break;
        if (ps > last) {
            best = pi;
            break;
        }
        last = ps;
    }
    /* a candidate that is its parent's only child gives way to the
     * parent, which holds the same text and maybe more */
    for (;;) {
        xmlNodePtr p = best->node->parent;
        bt_html_info *pi = bt_html_info_of(s, p);
        if (!pi || pi->aside || bt_html_is(p, "body") || bt_html_is(p, "html"))
            break;
        size_t elems = 0;
        for (xmlNodePtr c = p->children; c; c = c->next)
            elems += c->type == XML_ELEMENT_NODE && !(bt_html_info_of(s, c) && bt_html_info_of(s, c)->aside);
        if (elems != 1)
            break;
        best = scored_info(s, p, best->score);
    }
    best->included = 1;
    /* siblings that read like more of the article */
    double topf = final_score(best);
    double threshold = topf * 0.2 > 10 ? topf * 0.2 : 10;
    const char *best_class = bt_html_attr(best->node, "class");
    xmlNodePtr parent = best->node->parent;
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next) {
        bt_html_info *ci = bt_html_info_of(s, c);
        if (!ci || ci == best || ci->aside ||
            (bt_html_furniture(c, 1) && !bt_html_prose_box(ci) && !ci->wrapper) ||
            (clean && junk_box(s, ci)))
            continue;
        double ld = ci->text ? (double)ci->link / (double)ci->text : 0;
        double bonus = 0;
        const char *cc = bt_html_attr(c, "class");
        if (best_class && cc && *cc && !strcmp(cc, best_class))
            bonus = topf * 0.2;
        if (ci->scored && final_score(ci) + bonus >= threshold) {
            ci->included = 1;
        } else if (ld < 0.3 && best_inside(s, ci) >= threshold && best_inside(s, ci) >= topf * 0.3) {
            /* a wrapper of another part of the article (a story in
             * sections, a body split around an ad slot) */
            ci->included = 1;
        } else if (bt_html_is(c, "p") || (!ci->has_block && bt_html_is(c, "div"))) {
            if ((ci->text > 80 && ld < 0.25) || (ci->text && ci->text <= 80 && ci->link == 0 &&
                                                 ci->text >= 20 && ends_with_period(c)))
                ci->included = 1;
        }
    }
    if (clean)
        for (xmlNodePtr c = parent ? parent->children : best->node; c; c = c->next) {
            bt_html_info *ci = bt_html_info_of(s, c);
            if (ci && ci->included)
                mark_junk(s, ci);
            if (!parent)
                break;
        }
    return best;
}

/* A short paragraph that ends as a sentence does (". " or "." at the end). */
static int ends_with_period(xmlNodePtr n)
{
    xmlNodePtr last = n;
    while (last && last->last)
        last = last->last;
    if (!last || last->type != XML_TEXT_NODE || !last->content)
        return 0;
    const char *t = (const char *)last->content;
    size_t len = strlen(t);
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\n' || t[len - 1] == '\t' || t[len - 1] == '\r'))
        len--;
    return len && (t[len - 1] == '.' || t[len - 1] == '!' || t[len - 1] == '?');
}

/* Rows and columns of a table, not counting nested tables. */
static void table_size(xmlNodePtr table, size_t *rows, size_t *cols, int *nested, int *headers)
{
    *rows = *cols = 0;
    *nested = *headers = 0;
    for (xmlNodePtr n = table->children; n;) {
        int descend = 1;
        if (n->type == XML_ELEMENT_NODE) {
            if (bt_html_is(n, "table")) {
                *nested = 1;
                descend = 0;
            } else if (bt_html_is(n, "tr")) {
                size_t c = 0;
                for (xmlNodePtr cell = n->children; cell; cell = cell->next) {
                    if (!bt_html_is(cell, "td") && !bt_html_is(cell, "th"))
                        continue;
                    const char *span = bt_html_attr(cell, "colspan");
                    long k = span ? strtol(span, NULL, 10) : 1;
                    c += k > 0 && k < 1000 ? (size_t)k : 1;
                    *headers |= bt_html_is(cell, "th");
                }
                (*rows)++;
                if (c > *cols)
                    *cols = c;
            } else if (bt_html_is(n, "thead") || bt_html_is(n, "caption") || bt_html_is(n, "colgroup") ||
                       bt_html_is(n, "col") || bt_html_is(n, "tfoot")) {
                *headers = 1;
            }
        }
        if (descend && n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != table && !n->next)
            n = n->parent;
        n = n && n != table ? n->next : NULL;
    }
}

int bt_html_data_table(const bt_html_scan *s, xmlNodePtr table)
{
    const char *role = bt_html_attr(table, "role");
    if (role && !strcasecmp(role, "presentation"))
        return 0;
    const char *dt = bt_html_attr(table, "datatable");
    if (dt && !strcmp(dt, "0"))
        return 0;
    size_t rows, cols;
    int nested, headers;
    table_size(table, &rows, &cols, &nested, &headers);
    if (nested || rows < 2 || cols < 2)
        return 0; /* a page built from tables, or a frame around one block */
    /* a grid of short cells: a cell of running text is a layout's */
    bt_html_info *ti = bt_html_info_of(s, table);
    for (xmlNodePtr n = table->children; n;) {
        if (bt_html_is(n, "td") || bt_html_is(n, "th")) {
            bt_html_info *ci = bt_html_info_of(s, n);
            if (ci && (ci->text > 400 || ci->paras > 1))
                return 0;
        }
        if (n->type == XML_ELEMENT_NODE && n->children && !bt_html_is(n, "td") && !bt_html_is(n, "th")) {
            n = n->children;
            continue;
        }
        while (n && n != table && !n->next)
            n = n->parent;
        n = n && n != table ? n->next : NULL;
    }
    if (bt_html_attr(table, "summary") || headers)
        return 1;
    if (ti && ti->imgs > rows)
        return 0;
    return rows * cols >= 6;
}

void bt_html_scan_free(bt_html_scan *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->info[i].node)
            s->info[i].node->_private = NULL;
    free(s->info);
    memset(s, 0, sizeof *s);
}
