/* Private to page extraction (page_*.c): the rules shared by the text and
 * HTML extractors, what an HTML page declares about itself, and the block
 * scoring that finds its article. */
#ifndef BT_PAGE_INT_H
#define BT_PAGE_INT_H

#include "internal.h"

/* What the HTML extractor's steps return for a page that holds no article
 * (bt_htmlpage_extract then returns 0). */
enum { PAGE_NOT_ARTICLE = 1 };

#include <libxml/HTMLparser.h>

/* What a page declares about itself, before its visible text is read. */
typedef struct bt_html_meta {
    char *title;      /* <title> */
    char *og_title;   /* og:title, twitter:title */
    char *headline;   /* JSON-LD headline */
    char *h1;         /* the first <h1> with text */
    char *h1s[8];     /* the first <h1>s with text (h1s[0] == h1) */
    size_t nh1;
    char *dc_title;   /* dc:title, dcterm:title; else DC.title (the name form) */
    char *dc_name_title; /* DC.title, DCTERMS.title, until read_meta ends */
    char *meta_title; /* name=title, parsely-title, weibo:article:title */
    char *lang;       /* <html lang>, og:locale, Content-Language */
    char *section;    /* article:section, JSON-LD articleSection */
    char *crumb;      /* the last item of a JSON-LD BreadcrumbList */
    char *crumb_prev; /* and the one before it */
    char *published;  /* an ISO or similar date: JSON-LD, meta, <time> */
    char *author;     /* JSON-LD author names, or meta author */
    char *url;        /* og:url, canonical, JSON-LD url */
    char *site;       /* og:site_name, JSON-LD publisher */
    char *description; /* og:description or description */
    int article_type; /* og:type article or a JSON-LD *Article */
    int website_type; /* og:type website: a home or section page */
} bt_html_meta;

/* Reads the metadata of a parsed page; -1 only when out of memory. */
int bt_html_read_meta(xmlDocPtr doc, bt_html_meta *m);
void bt_html_meta_free(bt_html_meta *m);

/* The text of a subtree (script and style left out) with white space
 * collapsed, appended to out; stops adding after max bytes.  -1: OOM. */
int bt_html_node_text(xmlNodePtr n, size_t max, bt_buf *out);
/* 1 when the element's name is tag (ASCII, case-insensitive). */
int bt_html_is(xmlNodePtr n, const char *tag);
/* An attribute's value or NULL (points into the tree: do not free). */
const char *bt_html_attr(xmlNodePtr n, const char *name);
/* Document order, iteratively (a tree may be as deep as libxml2 allows):
 * the node after n under root, into n's children when descend, NULL past
 * the end.  Inline: every walk over a page calls it for each node. */
static inline xmlNodePtr bt_html_next(xmlNodePtr root, xmlNodePtr n, int descend)
{
    if (descend && n->type == XML_ELEMENT_NODE && n->children)
        return n->children;
    while (n && n != root && !n->next)
        n = n->parent;
    return n && n != root ? n->next : NULL;
}

/* ---- what both extractors set alike (page_article.c) ---- */

/* The settings an extraction starts from: *opts (NULL: the defaults),
 * *name for messages, tz for dates that name no zone (opts->tz, else
 * +07:00).  -1 with err for a bad zone. */
int bt_page_setup(const bt_extract_opts **opts, const char **name, char tz[7], bt_error *err);
/* a's date: date_when from d, in d's zone or else tz; date_text the len
 * bytes at text (NULL: date_when).  -1 when out of memory. */
int bt_page_set_date(bt_article *a, const bt_date *d, const char *tz, const char *text,
                     size_t len);

/* ---- page rules shared by the text and HTML extractors (page_rules.c) ----
 * Each takes one line or block of text with white space collapsed. */
uint32_t bt_first_cp(const char *s, size_t len); /* 0 when invalid */
int bt_cp_is_upper(uint32_t cp);
int bt_cp_is_lower(uint32_t cp);
int bt_cp_is_alnum(uint32_t cp); /* a letter or a digit, any script */
size_t bt_count_words(const char *s, size_t len);
/* The text ends with sentence punctuation (. ! ? : ; … quotes, brackets). */
int bt_ends_sentence(const char *s, size_t len);
/* Lower-case, diacritic-free form of a short text into out ("" if long). */
void bt_fold_short(const char *s, size_t len, char *out, size_t outsz);
/* "Tin liên quan", "Các tin tức khác", "Xem thêm:" … */
int bt_rule_related_heading(const char *s, size_t len);
/* Share bars, tags, "Bình luận (0)", "In bài", "Quay lại" … */
int bt_rule_furniture(const char *s, size_t len);
/* "Trang chủ > Tin tức > Thời sự" */
int bt_rule_breadcrumb(const char *s, size_t len);
/* "Nguồn: …": sets *name to the source's name inside s. */
int bt_rule_source_line(const char *s, size_t len, const char **name);
/* A short line that reads as a name or an office ("Minh Khôi", "PV",
 * "Nguyễn Văn A - TTXVN", "Theo Reuters"). */
int bt_rule_byline(const char *s, size_t len);
/* A short, title-like line (a subheading between paragraphs). */
int bt_rule_subheading(const char *s, size_t len);

/* ---- the language (page_lang.c) ----
 * The primary tag of what the page declares ("vi_VN" → "vi"), else a
 * guess from the text; 0 when neither says (out holds 16 bytes). */
int bt_page_lang(const char *declared, const char *text, size_t len, char out[16]);
/* How much of an article's text the guess reads (its start says it). */
enum { BT_LANG_SAMPLE = 4000 };

/* ---- block scoring (page_html_score.c) ---- */

/* What the scan knows of one element; elements point at theirs through
 * their _private field while the scan lives.  Index = document order. */
typedef struct bt_html_info {
    xmlNodePtr node;
    size_t text;   /* characters of text, white space runs counted once */
    size_t link;   /* of which inside <a href> */
    size_t commas;
    size_t imgs;
    size_t loose;  /* characters not inside a block child (text beside <br>) */
    size_t loose_commas;
    size_t brs;    /* <br> among that loose text */
    size_t paras;  /* <p> inside */
    size_t lis;    /* <li> inside */
    size_t embeds; /* iframe, object, embed, video inside */
    size_t heading; /* characters inside <h1>…<h6> */
    size_t linked_headings; /* <h2>…<h6> mostly a link (a teaser's headline) */
    double score;
    unsigned aside : 1;     /* furniture: never part of the article */
    unsigned has_block : 1; /* holds block-level elements */
    unsigned scored : 1;
    unsigned included : 1;  /* the article, or a sibling taken with it */
    unsigned junk : 1;      /* inside the article, but reads as furniture */
    unsigned wrapper : 1;   /* a form or aside holding most of the page's text */
} bt_html_info;

typedef struct bt_html_scan {
    bt_html_info *info;
    size_t n;
    size_t page_text; /* characters outside links in the whole page */
} bt_html_scan;

/* Scans the page: furniture (by class and id words too when
 * strip_unlikely), counts, scores.  -1: out of memory. */
int bt_html_scan_doc(xmlDocPtr doc, int strip_unlikely, bt_html_scan *s);
/* The best candidate (marked included, with its sibling paragraphs), or
 * NULL when nothing scored.  With clean, the link boxes, image strips and
 * widgets inside what is included are marked junk.  headline: the <h1>
 * that says the page's title, or NULL. */
bt_html_info *bt_html_best(bt_html_scan *s, int clean, xmlNodePtr headline);
bt_html_info *bt_html_info_of(const bt_html_scan *s, xmlNodePtr n);
int bt_html_is_block(xmlNodePtr n);
/* Furniture by tag, hiddenness, related-box data attributes, and (when
 * strip_unlikely) by class and id words. */
int bt_html_furniture(xmlNodePtr n, int strip_unlikely);
/* A box of prose (three paragraphs and more, 500 characters, few links):
 * never furniture by its class or id words. */
int bt_html_prose_box(const bt_html_info *in);
/* Readers' comments by a class or id token (comments-list, comment-body):
 * furniture even when the class also says "column" or the box holds prose. */
int bt_html_comments(xmlNodePtr n);
/* A box of related news (by class, id or data attributes). */
int bt_html_related_box(xmlNodePtr n);
/* A <table> that holds data (headers, a caption, a grid of short cells),
 * not the layout of a page or a frame around one block. */
int bt_html_data_table(const bt_html_scan *s, xmlNodePtr table);
void bt_html_scan_free(bt_html_scan *s);

#endif
