/* Private to the HTML extractor (htmlpage.c, htmlmeta.c). */
#ifndef BT_HTML_INT_H
#define BT_HTML_INT_H

#include "internal.h"

#include <libxml/HTMLparser.h>

/* What a page declares about itself, before its visible text is read. */
typedef struct bt_html_meta {
    char *title;      /* <title> */
    char *og_title;   /* og:title, twitter:title */
    char *headline;   /* JSON-LD headline */
    char *h1;         /* the first <h1> with text */
    char *published;  /* an ISO or similar date: JSON-LD, meta, <time> */
    char *author;     /* JSON-LD author names, or meta author */
    char *url;        /* og:url, canonical, JSON-LD url */
    char *site;       /* og:site_name, JSON-LD publisher */
    char *description; /* og:description or description */
    int article_type; /* og:type article or a JSON-LD *Article */
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

#endif
