/* The article model: construction, plain-text views and the content id. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void bt_article_init(bt_article *a)
{
    memset(a, 0, sizeof *a);
}

void bt_text_free(bt_text *t)
{
    for (size_t i = 0; i < t->nspans; i++) {
        free(t->spans[i].text);
        free(t->spans[i].href);
    }
    free(t->spans);
    memset(t, 0, sizeof *t);
}

void bt_text_trim_end(bt_text *t)
{
    while (t->nspans) {
        bt_span *s = &t->spans[t->nspans - 1];
        size_t n = strlen(s->text);
        while (n && s->text[n - 1] == ' ')
            s->text[--n] = '\0';
        if (n)
            break;
        free(s->text);
        free(s->href);
        t->nspans--;
    }
}

void bt_block_free(bt_block *b)
{
    bt_text_free(&b->text);
    for (size_t i = 0; i < b->nitems; i++)
        bt_text_free(&b->items[i]);
    free(b->items);
    free(b->src);
    free(b->media_type);
    for (size_t i = 0; i < b->nrows; i++) {
        for (size_t j = 0; j < b->rows[i].ncells; j++)
            bt_text_free(&b->rows[i].cells[j].text);
        free(b->rows[i].cells);
    }
    free(b->rows);
}

void bt_article_free(bt_article *a)
{
    free(a->lang);
    bt_text_free(&a->title);
    free(a->date_text);
    free(a->date_when);
    free(a->byline);
    free(a->source_href);
    free(a->source_file);
    free(a->source_name);
    free(a->section);
    for (size_t i = 0; i < a->nblocks; i++)
        bt_block_free(&a->blocks[i]);
    free(a->blocks);
    for (size_t i = 0; i < a->nrelated; i++) {
        free(a->related[i].href);
        free(a->related[i].text);
    }
    free(a->related);
    bt_article_init(a);
}

int bt_text_add(bt_text *t, const char *text, size_t len, unsigned style,
                const char *href)
{
    if (!len)
        return 0;
    /* Adjacent runs with the same look are one span. */
    if (t->nspans) {
        bt_span *last = &t->spans[t->nspans - 1];
        int same_href = (!last->href && !href) ||
                        (last->href && href && !strcmp(last->href, href));
        if (last->style == style && same_href) {
            size_t old = strlen(last->text);
            char *p = realloc(last->text, old + len + 1);
            if (!p)
                return -1;
            memcpy(p + old, text, len);
            p[old + len] = '\0';
            last->text = p;
            return 0;
        }
    }
    if (bt_grow_array((void **)&t->spans, &t->cap, t->nspans + 1, sizeof *t->spans) < 0)
        return -1;
    bt_span *s = &t->spans[t->nspans];
    s->text = bt_strndup(text, len);
    s->href = href ? bt_strdup(href) : NULL;
    s->style = style;
    if (!s->text || (href && !s->href)) {
        free(s->text);
        free(s->href);
        return -1;
    }
    t->nspans++;
    return 0;
}

/* XML white space in prose is layout, not content: runs become one space,
 * kept in the span where the run began, and trimmed at both ends of the
 * block (across span boundaries).  Done in place: text only shrinks. */
void bt_text_collapse_layout(bt_text *t)
{
    int last_space = 1; /* drops leading white space */
    size_t keep = 0;
    for (size_t i = 0; i < t->nspans; i++) {
        char *o = t->spans[i].text;
        for (const char *p = o; *p; p++) {
            int ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
            if (ws && last_space)
                continue;
            *o++ = ws ? ' ' : *p;
            last_space = ws;
        }
        *o = '\0';
        if (o == t->spans[i].text) {
            free(t->spans[i].text);
            free(t->spans[i].href);
            continue;
        }
        t->spans[keep++] = t->spans[i];
    }
    t->nspans = keep;
    bt_text_trim_end(t); /* the trailing space, if any */
}

int bt_text_set_plain(bt_text *t, const char *text)
{
    bt_text_free(t);
    return bt_text_add(t, text, strlen(text), 0, NULL);
}

int bt_text_plain(const bt_text *t, bt_buf *out)
{
    for (size_t i = 0; i < t->nspans; i++)
        if (bt_buf_adds(out, t->spans[i].text) < 0)
            return -1;
    return 0;
}

int bt_text_is_empty(const bt_text *t)
{
    for (size_t i = 0; i < t->nspans; i++)
        if (t->spans[i].text[0])
            return 0;
    return 1;
}

bt_block *bt_article_add_block(bt_article *a, bt_block_kind kind)
{
    bt_block *b = bt_array_add((void **)&a->blocks, &a->blocks_cap, &a->nblocks, sizeof *a->blocks);
    if (!b)
        return NULL;
    b->kind = kind;
    return b;
}

bt_text *bt_block_add_item(bt_block *b)
{
    bt_text *t = bt_array_add((void **)&b->items, &b->items_cap, &b->nitems, sizeof *b->items);
    if (!t)
        return NULL;
    return t;
}

bt_row *bt_block_add_row(bt_block *b)
{
    bt_row *r = bt_array_add((void **)&b->rows, &b->rows_cap, &b->nrows, sizeof *b->rows);
    if (!r)
        return NULL;
    return r;
}

bt_cell *bt_row_add_cell(bt_row *r)
{
    bt_cell *c = bt_array_add((void **)&r->cells, &r->cells_cap, &r->ncells, sizeof *r->cells);
    if (!c)
        return NULL;
    c->colspan = c->rowspan = 1;
    return c;
}

int bt_article_add_para(bt_article *a, bt_block_kind kind, const char *text)
{
    bt_block *b = bt_article_add_block(a, kind);
    if (!b)
        return -1;
    return bt_text_add(&b->text, text, strlen(text), 0, NULL);
}

int bt_article_add_related(bt_article *a, const char *href, const char *text)
{
    if (bt_grow_array((void **)&a->related, &a->related_cap, a->nrelated + 1,
                      sizeof *a->related) < 0)
        return -1;
    bt_link *l = &a->related[a->nrelated];
    l->href = href ? bt_strdup(href) : NULL;
    l->text = bt_strdup(text ? text : "");
    if (!l->text || (href && !l->href)) {
        free(l->href);
        free(l->text);
        return -1;
    }
    a->nrelated++;
    return 0;
}

char *bt_article_title_plain(const bt_article *a)
{
    bt_buf b = BT_BUF_INIT;
    if (bt_text_plain(&a->title, &b) < 0) {
        bt_buf_free(&b);
        return NULL;
    }
    return bt_buf_detach(&b);
}

int bt_article_body_plain(const bt_article *a, bt_buf *out)
{
    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *b = &a->blocks[i];
        if (i && bt_buf_adds(out, "\n\n") < 0)
            return -1;
        if (b->kind == BT_BLOCK_LIST) {
            for (size_t j = 0; j < b->nitems; j++) {
                if ((j && bt_buf_addc(out, '\n') < 0) ||
                    bt_text_plain(&b->items[j], out) < 0)
                    return -1;
            }
        } else if (b->kind == BT_BLOCK_TABLE) {
            /* the caption, then a line per row, cells separated by tabs */
            if (bt_text_plain(&b->text, out) < 0)
                return -1;
            for (size_t j = 0; j < b->nrows; j++) {
                if ((j || !bt_text_is_empty(&b->text)) && bt_buf_addc(out, '\n') < 0)
                    return -1;
                for (size_t k = 0; k < b->rows[j].ncells; k++)
                    if ((k && bt_buf_addc(out, '\t') < 0) ||
                        bt_text_plain(&b->rows[j].cells[k].text, out) < 0)
                        return -1;
            }
        } else if (bt_text_plain(&b->text, out) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Appends what of s fits below max bytes in out. */
static int sample_add(bt_buf *out, const char *s, size_t max)
{
    return out->len < max ? bt_buf_add(out, s, strnlen(s, max - out->len)) : 0;
}

/* The same for t's spans. */
static int sample_text(bt_buf *out, const bt_text *t, size_t max)
{
    for (size_t i = 0; i < t->nspans && out->len < max; i++)
        if (sample_add(out, t->spans[i].text, max) < 0)
            return -1;
    return 0;
}

int bt_article_sample(const bt_article *a, size_t max, bt_buf *out)
{
    /* one buffer of the whole size: the sample is asked for every page */
    if (out->len >= max)
        return 0;
    if (bt_buf_grow(out, max - out->len) < 0 || sample_text(out, &a->title, max) < 0)
        return -1;
    for (size_t i = 0; i < a->nblocks && out->len < max; i++) {
        const bt_block *b = &a->blocks[i];
        if (sample_add(out, "\n\n", max) < 0 || sample_text(out, &b->text, max) < 0)
            return -1;
        for (size_t j = 0; j < b->nitems && out->len < max; j++)
            if (sample_add(out, "\n", max) < 0 || sample_text(out, &b->items[j], max) < 0)
                return -1;
    }
    return 0;
}

/* FNV-1a, 64 bits: tiny, stable across platforms, and good enough to tell
 * articles apart in archives of millions (ids are for de-duplication and
 * file names, not for security). */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

typedef struct {
    uint64_t h;
    int pending_space; /* a white-space run was seen since the last byte */
    int started;
} id_hash;

static void hash_byte(id_hash *s, unsigned char c)
{
    s->h ^= c;
    s->h *= FNV_PRIME;
}

/* Feeds text with white space collapsed and trimmed, so re-wrapped or
 * re-indented copies of the same article hash the same.  The state lives
 * in locals here: this loop sees every byte of every article. */
static void hash_text(id_hash *s, const char *t)
{
    size_t n = strlen(t);
    if (n && bt_text_single_spaced(t, n)) {
        /* laid out already (nearly all text): the bytes as they are, but
         * for a space at either end; no branch on every space */
        const unsigned char *p = (const unsigned char *)t, *e = p + n;
        uint64_t h = s->h;
        if (*p == ' ') {
            s->pending_space = s->started;
            p++;
        }
        int trailing = p < e && e[-1] == ' ';
        e -= trailing;
        if (p < e) {
            if (s->pending_space)
                h = (h ^ ' ') * FNV_PRIME;
            for (; p < e; p++)
                h = (h ^ *p) * FNV_PRIME;
            s->pending_space = 0;
            s->started = 1;
        }
        if (trailing)
            s->pending_space = s->started;
        s->h = h;
        return;
    }
    uint64_t h = s->h;
    int pending = s->pending_space, started = s->started;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        unsigned c = *p;
        if (c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            pending = started;
            continue;
        }
        if (pending) {
            h ^= ' ';
            h *= FNV_PRIME;
            pending = 0;
        }
        started = 1;
        h ^= c;
        h *= FNV_PRIME;
    }
    s->h = h;
    s->pending_space = pending;
    s->started = started;
}

static void hash_field_end(id_hash *s)
{
    hash_byte(s, 0);
    s->pending_space = 0;
    s->started = 0;
}

static void hash_rich(id_hash *s, const bt_text *t)
{
    for (size_t i = 0; i < t->nspans; i++)
        hash_text(s, t->spans[i].text);
}

int bt_article_compute_id(bt_article *a)
{
    id_hash s = {FNV_OFFSET, 0, 0};
    hash_rich(&s, &a->title);
    hash_field_end(&s);
    hash_text(&s, a->date_when ? a->date_when : a->date_text ? a->date_text : "");
    hash_field_end(&s);
    for (size_t i = 0; i < a->nblocks; i++) {
        const bt_block *b = &a->blocks[i];
        hash_rich(&s, &b->text);
        for (size_t j = 0; j < b->nitems; j++) {
            hash_rich(&s, &b->items[j]);
            s.pending_space = s.started;
        }
        for (size_t j = 0; j < b->nrows; j++)
            for (size_t k = 0; k < b->rows[j].ncells; k++) {
                hash_rich(&s, &b->rows[j].cells[k].text);
                s.pending_space = s.started;
            }
        s.pending_space = s.started; /* blocks are separated like words */
    }
    snprintf(a->id, sizeof a->id, "%016llx", (unsigned long long)s.h);
    return 0;
}
