/* Private to the HTML extractor: block scoring (htmlscore.c). */
#ifndef BT_HTMLSCORE_H
#define BT_HTMLSCORE_H

#include "html_int.h"

/* What the scan knows of one element; elements point at theirs through
 * their _private field while the scan lives.  Index = document order. */
typedef struct bt_html_info {
    xmlNodePtr node;
    size_t text;   /* characters of text, white space runs counted once */
    size_t link;   /* of which inside <a href> */
    size_t commas;
    size_t imgs;
    double score;
    unsigned aside : 1;     /* furniture: never part of the article */
    unsigned has_block : 1; /* holds block-level elements */
    unsigned scored : 1;
    unsigned included : 1;  /* the article, or a sibling taken with it */
} bt_html_info;

typedef struct bt_html_scan {
    bt_html_info *info;
    size_t n;
} bt_html_scan;

/* Scans the page: furniture (by class and id words too when
 * strip_unlikely), counts, scores.  -1: out of memory. */
int bt_html_scan_doc(xmlDocPtr doc, int strip_unlikely, bt_html_scan *s);
/* The best candidate (marked included, with its sibling paragraphs), or
 * NULL when nothing scored. */
bt_html_info *bt_html_best(bt_html_scan *s);
bt_html_info *bt_html_info_of(const bt_html_scan *s, xmlNodePtr n);
int bt_html_is_block(xmlNodePtr n);
/* Furniture by tag, hiddenness, related-box data attributes, and (when
 * strip_unlikely) by class and id words. */
int bt_html_furniture(xmlNodePtr n, int strip_unlikely);
/* A box of related news (by class, id or data attributes). */
int bt_html_related_box(xmlNodePtr n);
void bt_html_scan_free(bt_html_scan *s);

#endif
