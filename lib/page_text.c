/*
 * Articles from plain-text news pages: what people get when they save or
 * copy a web page as text.
 *
 * The page comes decoded and clean (NFC, no forbidden characters: the
 * input layer's one decoding step) and is split into lines with white
 * space collapsed.  Then, in order:
 *   1. "# key = value" header lines (url, date, title, source, author);
 *   2. breadcrumb and category lines before the title are dropped;
 *   3. the title is the first remaining line, the dateline is taken from
 *      the lines just before or after it;
 *   4. trailing boilerplate (share bars, tags, "Tin liên quan" …) is cut
 *      off, and the titles listed under a related-news heading become
 *      <related> links;
 *   5. "Nguồn: …" goes to <source>, a short last line that reads as a name
 *      or an office becomes the byline;
 *   6. what is left are paragraphs: separated by blank lines or one per
 *      line, hard-wrapped lines joined, short title-like lines between
 *      paragraphs kept as subheadings.
 */
#include "page_int.h"

#include <string.h>
#include <utf8proc.h>

enum {
    MAX_TITLE = 1000,     /* a longer first line is not a title */
    MAX_RELATED_TITLE = 250,
    MAX_PARA = 1 << 20,   /* bytes in one paragraph, see add_block */
    DATE_WINDOW = 4,      /* lines around the title searched for a date */
};

typedef struct line {
    const char *s; /* NUL-terminated, white space collapsed */
    size_t len;
    int blank;
} line;

typedef struct page {
    bt_buf text;   /* cleaned page, then the collapsed lines */
    bt_buf lines_text;
    line *lines;
    size_t nlines, cap;
} page;

/* A category label ("Thời sự", "Kinh tế"): at most four words, no
 * digits, no sentence punctuation. */
static int category_words(const char *s, size_t len)
{
    if (!len || len > 40 || bt_count_words(s, len) > 4 || bt_ends_sentence(s, len) || s[len - 1] == ',')
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == ',' || s[i] == '.')
            return 0;
    return bt_cp_is_upper(bt_first_cp(s, len));
}

/* A category line above the title: the line after it reads as a title
 * (several words, no full stop), a dateline or a breadcrumb. */
static int is_category(const line *l, const line *next)
{
    if (!next || !category_words(l->s, l->len))
        return 0;
    bt_date d;
    if (bt_date_line(next->s, next->len, &d) || bt_rule_breadcrumb(next->s, next->len))
        return 1;
    return next->len <= MAX_TITLE && bt_count_words(next->s, next->len) >= 5 &&
           !bt_ends_sentence(next->s, next->len);
}

/* The last item of a breadcrumb ("Trang chủ > Tin tức > Thời sự" →
 * "Thời sự"); *len 0 when there is none but the home page. */
static const char *crumb_last(const char *s, size_t slen, size_t *len)
{
    static const char *const seps[] = {" > ", " » ", " / ", " › ", " >> ", " | ", " - "};
    const char *last = s;
    for (size_t i = 0; i < BT_ARRAY_LEN(seps); i++) {
        const char *q = s, *p;
        size_t n = strlen(seps[i]);
        while ((p = strstr(q, seps[i])) && p < s + slen) {
            if (p + n > last)
                last = p + n;
            q = p + 1;
        }
    }
    *len = (size_t)(s + slen - last);
    while (*len && last[*len - 1] == ' ')
        (*len)--;
    char f[64];
    bt_fold_short(last, *len, f, sizeof f);
    if (!strcmp(f, "trang chu") || !strcmp(f, "home") || !category_words(last, *len))
        *len = 0;
    return last;
}

/* "Thời sự | Thứ tư, 15/11/2023 08:05", "Thời sự - 15/11/2023": a category
 * and a dateline on one line.  Sets *cat and *catlen. */
static int category_dateline(const line *l, bt_date *d, size_t *catlen, const char **date)
{
    static const char *const seps[] = {" | ", " - ", " – ", " · ", " / "};
    for (size_t i = 0; i < BT_ARRAY_LEN(seps); i++) {
        const char *p = strstr(l->s, seps[i]);
        if (!p || p == l->s)
            continue;
        size_t n = (size_t)(p - l->s), k = strlen(seps[i]);
        const char *rest = p + k;
        if (category_words(l->s, n) && bt_date_line(rest, l->len - n - k, d)) {
            *catlen = n;
            *date = rest;
            return 1;
        }
    }
    return 0;
}

/* ---- splitting the page into lines ---- */

static int add_line(page *pg, const char *s, size_t len)
{
    size_t start = pg->lines_text.len;
    if (bt_text_collapse_space(s, len, &pg->lines_text) < 0 ||
        bt_buf_addc(&pg->lines_text, '\0') < 0)
        return -1;
    if (bt_grow_array((void **)&pg->lines, &pg->cap, pg->nlines + 1, sizeof *pg->lines) < 0)
        return -1;
    /* offsets for now: the buffer may still move */
    pg->lines[pg->nlines].s = (const char *)(uintptr_t)start;
    pg->lines[pg->nlines].len = pg->lines_text.len - 1 - start;
    pg->lines[pg->nlines].blank = pg->lines[pg->nlines].len == 0;
    pg->nlines++;
    return 0;
}

static int split_lines(page *pg)
{
    const char *s = pg->text.data, *end = s + pg->text.len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        const char *cr = memchr(s, '\r', (size_t)(e - s));
        /* old Mac files end lines with a lone CR */
        if (cr && cr + 1 < e)
            e = cr;
        size_t len = (size_t)(e - s);
        if (len && s[len - 1] == '\r')
            len--;
        if (add_line(pg, s, len) < 0)
            return -1;
        s = e + 1;
    }
    for (size_t i = 0; i < pg->nlines; i++)
        pg->lines[i].s = pg->lines_text.data + (uintptr_t)pg->lines[i].s;
    return 0;
}

static void page_free(page *pg)
{
    bt_buf_free(&pg->text);
    bt_buf_free(&pg->lines_text);
    free(pg->lines);
}

/* ---- assembling the article ---- */

typedef struct extract {
    const bt_extract_opts *opts;
    bt_article *a;
    char tz[7];
    const char *name;
    bt_error *err;
} extract;

static int oom(extract *x)
{
    bt_error_nomem(x->err, x->name);
    return -1;
}

static int set_str(char **field, const char *s, size_t len)
{
    free(*field);
    *field = bt_strndup(s, len);
    return *field ? 0 : -1;
}

static int set_date(extract *x, const char *text, size_t len, const bt_date *d)
{
    return bt_page_set_date(x->a, d, x->tz, text, len) < 0 ? oom(x) : 0;
}

/* "# url = …" lines at the top of corpus files. */
static size_t read_header(extract *x, page *pg)
{
    size_t i = 0;
    for (; i < pg->nlines; i++) {
        const line *l = &pg->lines[i];
        if (l->blank)
            continue;
        if (l->s[0] != '#')
            break;
        const char *eq = strchr(l->s, '=');
        if (!eq)
            break;
        const char *k = l->s + 1;
        while (*k == ' ')
            k++;
        size_t klen = (size_t)(eq - k);
        while (klen && k[klen - 1] == ' ')
            klen--;
        const char *v = eq + 1;
        while (*v == ' ')
            v++;
        size_t vlen = strlen(v);
        if (!vlen)
            continue;
        int rc = 0;
        if (klen == 3 && !strncmp(k, "url", 3)) {
            rc = set_str(&x->a->source_href, v, vlen);
        } else if ((klen == 4 && !strncmp(k, "date", 4)) ||
                   (klen == 9 && !strncmp(k, "published", 9))) {
            bt_date d;
            if (bt_date_find(v, vlen, &d) && set_date(x, v, vlen, &d) < 0)
                return (size_t)-1;
        } else if (klen == 5 && !strncmp(k, "title", 5)) {
            rc = bt_text_set_plain(&x->a->title, v);
        } else if ((klen == 6 && !strncmp(k, "source", 6)) ||
                   (klen == 4 && !strncmp(k, "site", 4))) {
            rc = set_str(&x->a->source_name, v, vlen);
        } else if ((klen == 7 && !strncmp(k, "section", 7)) ||
                   (klen == 8 && !strncmp(k, "category", 8))) {
            rc = set_str(&x->a->section, v, vlen);
        } else if ((klen == 6 && !strncmp(k, "author", 6)) ||
                   (klen == 6 && !strncmp(k, "byline", 6))) {
            rc = set_str(&x->a->byline, v, vlen);
        }
        if (rc < 0) {
            oom(x);
            return (size_t)-1;
        }
    }
    return i;
}

static size_t next_nonblank(const page *pg, size_t i, size_t end)
{
    while (i < end && pg->lines[i].blank)
        i++;
    return i;
}

/* Takes a dateline among the few lines after the title (or before it). */
static int take_dateline(extract *x, page *pg, size_t from, size_t end, int *used)
{
    size_t seen = 0;
    for (size_t i = from; i < end && seen < DATE_WINDOW; i++) {
        line *l = &pg->lines[i];
        if (l->blank || used[i])
            continue;
        seen++;
        bt_date d;
        if (bt_date_line(l->s, l->len, &d)) {
            used[i] = 1;
            return set_date(x, l->s, l->len, &d);
        }
    }
    return 0;
}

/* "Tác giả: Minh Khôi", "Bài và ảnh: Hoài Nam", "PV": a byline label. */
static int byline_label(const char *s, size_t len, size_t *skip)
{
    char f[64];
    bt_fold_short(s, len < 24 ? len : 24, f, sizeof f);
    static const char *const labels[] = {"tac gia:", "bai va anh:", "bai, anh:", "bai:", "by ", "author:",
                                         "phong vien:", "nhom phong vien:"};
    for (size_t i = 0; i < BT_ARRAY_LEN(labels); i++) {
        size_t n = strlen(labels[i]);
        if (!strncmp(f, labels[i], n)) {
            /* the same count of bytes in s: labels are ASCII once folded,
             * the original may hold diacritics, so find the separator */
            const char *c = labels[i][n - 1] == ':' ? memchr(s, ':', len) : memchr(s, ' ', len);
            if (!c)
                return 0;
            *skip = (size_t)(c - s) + 1;
            while (*skip < len && s[*skip] == ' ')
                (*skip)++;
            return *skip < len;
        }
    }
    return 0;
}

/* The lines between the title and the body: a category line next to the
 * dateline, and a byline printed before the body (a labelled one, or a
 * short name line followed by a paragraph). */
static int take_head_lines(extract *x, page *pg, size_t from, size_t end, int *used)
{
    size_t seen = 0;
    for (size_t i = from; i < end && seen < 3; i++) {
        line *l = &pg->lines[i];
        if (l->blank || used[i])
            continue;
        seen++;
        size_t nx = next_nonblank(pg, i + 1, end);
        size_t body = nx;
        while (body < end && used[body])
            body = next_nonblank(pg, body + 1, end);
        const line *next = body < end ? &pg->lines[body] : NULL;
        size_t skip = 0;
        if (!x->a->byline && byline_label(l->s, l->len, &skip) && l->len - skip <= 60) {
            if (set_str(&x->a->byline, l->s + skip, l->len - skip) < 0)
                return oom(x);
            used[i] = 1;
            continue;
        }
        int near_date = (i > 0 && used[i - 1]) || (nx < end && used[nx]);
        /* names are written with every word capitalised ("Hoài Nam"),
         * Vietnamese section names only their first ("Thời sự") */
        if (!x->a->byline && near_date && bt_rule_byline(l->s, l->len) &&
            bt_count_words(l->s, l->len) <= 5 && next && next->len >= 80) {
            if (set_str(&x->a->byline, l->s, l->len) < 0)
                return oom(x);
            used[i] = 1;
            continue;
        }
        if (!x->a->section && near_date && category_words(l->s, l->len) && next && next->len > 40) {
            if (set_str(&x->a->section, l->s, l->len) < 0)
                return oom(x);
            used[i] = 1;
            continue;
        }
        if (!used[i])
            break; /* the body starts here */
    }
    return 0;
}

/* Finds where trailing page furniture starts: scanning back from the end
 * over short lines, the first related heading or furniture line of that
 * tail.  Returns the index of the first line to drop (end if none). */
static size_t find_tail(page *pg, size_t start, size_t end, int *used)
{
    size_t cut = end;
    for (size_t i = end; i > start; i--) {
        line *l = &pg->lines[i - 1];
        if (l->blank || used[i - 1])
            continue;
        if (bt_rule_related_heading(l->s, l->len) || bt_rule_furniture(l->s, l->len)) {
            cut = i - 1;
            continue;
        }
        if (l->len > MAX_RELATED_TITLE && cut == end)
            break; /* a real paragraph: the article ends here */
        if (l->len > MAX_RELATED_TITLE)
            break;
    }
    return cut;
}

static int take_related(extract *x, page *pg, size_t cut, size_t end, int *used)
{
    int under_heading = 0;
    for (size_t i = cut; i < end; i++) {
        line *l = &pg->lines[i];
        if (l->blank || used[i])
            continue;
        if (bt_rule_related_heading(l->s, l->len)) {
            under_heading = 1;
        } else if (bt_rule_furniture(l->s, l->len)) {
            under_heading = 0;
        } else if (under_heading && l->len <= MAX_RELATED_TITLE &&
                   bt_count_words(l->s, l->len) >= 3) {
            if (bt_article_add_related(x->a, NULL, l->s) < 0)
                return oom(x);
        }
        used[i] = 1;
    }
    return 0;
}

/* Joins hard-wrapped lines of one blank-separated block: a line that does
 * not end a sentence followed by one that starts in lower case. */
static int continues(const line *prev, const line *next)
{
    if (bt_ends_sentence(prev->s, prev->len) || prev->len < 40)
        return 0;
    return bt_cp_is_lower(bt_first_cp(next->s, next->len));
}

/* XML readers refuse text nodes over 10 MB (libxml2's limit without
 * XML_PARSE_HUGE), so a giant paragraph is split, at a space when there
 * is one, into paragraphs of at most MAX_PARA bytes. */
static int add_block(extract *x, bt_block_kind kind, const char *s)
{
    size_t len = strlen(s);
    while (len > MAX_PARA) {
        size_t cut = MAX_PARA;
        while (cut > MAX_PARA / 2 && s[cut] != ' ')
            cut--;
        if (s[cut] != ' ')
            cut = MAX_PARA;
        while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--; /* never inside a UTF-8 sequence */
        bt_block *b = bt_article_add_block(x->a, kind);
        if (!b || bt_text_add(&b->text, s, cut, 0, NULL) < 0)
            return oom(x);
        s += cut;
        len -= cut;
        while (*s == ' ')
            s++, len--;
    }
    if (len && bt_article_add_para(x->a, kind, s) < 0)
        return oom(x);
    return 0;
}

static int take_body(extract *x, page *pg, size_t from, size_t end, int *used)
{
    bt_buf para = BT_BUF_INIT;
    const line *prev = NULL;
    size_t nparas = 0;
    int rc = 0;
    for (size_t i = from; i <= end && !rc; i++) {
        const line *l = i < end ? &pg->lines[i] : NULL;
        int skip = l && (used[i] || l->blank);
        if (l && !skip && prev && continues(prev, l)) {
            if (bt_buf_addc(&para, ' ') < 0 || bt_buf_add(&para, l->s, l->len) < 0)
                rc = oom(x);
            prev = l;
            continue;
        }
        if (l && skip && !l->blank)
            continue; /* a line taken for metadata does not break a paragraph */
        if (para.len) {
            /* a short title-like line followed by more text is a subheading */
            size_t nx = l ? next_nonblank(pg, i, end) : end;
            int sub = nparas > 0 && nx < end && prev && bt_rule_subheading(prev->s, prev->len) &&
                      para.len == prev->len;
            rc = add_block(x, sub ? BT_BLOCK_H : BT_BLOCK_P, para.data);
            nparas++;
            bt_buf_reset(&para);
        }
        prev = NULL;
        if (l && !skip) {
            if (bt_buf_add(&para, l->s, l->len) < 0)
                rc = oom(x);
            prev = l;
        }
    }
    bt_buf_free(&para);
    return rc;
}

/* A title longer than a title can be: the first sentence, or the first
 * words, of a page that has no title line. */
static int set_long_title(extract *x, const line *l)
{
    size_t n = 0, cut = 0;
    while (n < l->len && n < 200) {
        if (l->s[n] == ' ')
            cut = n;
        if (l->s[n] == '.' && n > 20) {
            cut = n + 1;
            break;
        }
        n++;
    }
    if (!cut)
        cut = n;
    while (cut < l->len && ((unsigned char)l->s[cut] & 0xC0) == 0x80)
        cut++;
    char *t = bt_strndup(l->s, cut);
    if (!t)
        return oom(x);
    int rc = bt_text_set_plain(&x->a->title, t);
    free(t);
    return rc < 0 ? oom(x) : 0;
}

static int build_article(extract *x, page *pg)
{
    int *used = calloc(pg->nlines + 1, sizeof *used);
    if (!used)
        return oom(x);
    int rc = -1;
    size_t end = pg->nlines;
    size_t i = read_header(x, pg);
    if (i == (size_t)-1)
        goto done;

    /* a dateline may come before the title */
    i = next_nonblank(pg, i, end);
    for (size_t k = 0; k < 4 && i < end; k++) {
        line *l = &pg->lines[i];
        size_t nx = next_nonblank(pg, i + 1, end);
        bt_date d;
        size_t clen = 0;
        const char *dtext;
        if (!x->a->date_text && bt_date_line(l->s, l->len, &d)) {
            if (set_date(x, l->s, l->len, &d) < 0)
                goto done;
            used[i] = 1;
        } else if (!x->a->date_text && category_dateline(l, &d, &clen, &dtext)) {
            if (set_date(x, dtext, l->len - (size_t)(dtext - l->s), &d) < 0 ||
                (!x->a->section && set_str(&x->a->section, l->s, clen) < 0)) {
                oom(x);
                goto done;
            }
            used[i] = 1;
        } else if (bt_rule_breadcrumb(l->s, l->len)) {
            const char *last = crumb_last(l->s, l->len, &clen);
            if (clen && !x->a->section && set_str(&x->a->section, last, clen) < 0) {
                oom(x);
                goto done;
            }
            used[i] = 1;
        } else if (is_category(l, nx < end ? &pg->lines[nx] : NULL)) {
            if (!x->a->section && set_str(&x->a->section, l->s, l->len) < 0) {
                oom(x);
                goto done;
            }
            used[i] = 1;
        } else {
            break;
        }
        i = nx;
    }
    if (i >= end && bt_text_is_empty(&x->a->title)) {
        bt_error_set(x->err, BT_ERR_INPUT, "%s: no text: the page is empty", x->name);
        goto done;
    }
    if (bt_text_is_empty(&x->a->title) && i < end) {
        line *l = &pg->lines[i];
        if (l->len > MAX_TITLE) {
            if (set_long_title(x, l) < 0)
                goto done;
        } else {
            if (bt_text_set_plain(&x->a->title, l->s) < 0) {
                oom(x);
                goto done;
            }
            used[i] = 1;
        }
    }
    if (!x->a->date_text && take_dateline(x, pg, i, end, used) < 0)
        goto done;
    if (take_head_lines(x, pg, i + 1, end, used) < 0)
        goto done;

    size_t cut = find_tail(pg, i, end, used);
    if (take_related(x, pg, cut, end, used) < 0)
        goto done;
    end = cut;

    /* from the end: "Nguồn: …" and the byline, in either order */
    for (size_t k = end, seen = 0; k > i && seen < 3; k--) {
        line *l = &pg->lines[k - 1];
        if (l->blank || used[k - 1])
            continue;
        seen++;
        const char *src;
        if (bt_rule_source_line(l->s, l->len, &src)) {
            if (*src && set_str(&x->a->source_name, src, strlen(src)) < 0) {
                oom(x);
                goto done;
            }
            used[k - 1] = 1;
            continue;
        }
        /* the byline is not the only thing left in the body */
        size_t body_lines = 0;
        for (size_t j = i; j < k - 1; j++)
            body_lines += !pg->lines[j].blank && !used[j];
        if (!x->a->byline && body_lines > 0 && bt_rule_byline(l->s, l->len)) {
            if (set_str(&x->a->byline, l->s, l->len) < 0) {
                oom(x);
                goto done;
            }
            used[k - 1] = 1;
            continue;
        }
        break;
    }
    rc = take_body(x, pg, i, end, used);
done:
    free(used);
    return rc;
}

int bt_textpage_extract(const char *text, size_t len, const bt_extract_opts *opts,
                        bt_article *out, bt_error *err)
{
    extract x = {NULL, out, "", NULL, err};
    if (bt_page_setup(&opts, &x.name, x.tz, err) < 0)
        return -1;
    x.opts = opts;
    page pg = {0};
    bt_buf_init(&pg.lines_text, 0);
    int rc = -1;
    /* the text comes decoded (bt_decode_page): split it as it is */
    pg.text.data = (char *)(uintptr_t)(text ? text : "");
    pg.text.len = text ? len : 0;
    if (split_lines(&pg) < 0) {
        oom(&x);
        goto done;
    }
    if ((opts->lang && !(out->lang = bt_strdup(opts->lang))) ||
        (opts->name && !(out->source_file = bt_strdup(opts->name))) ||
        (opts->url && !(out->source_href = bt_strdup(opts->url)))) {
        oom(&x);
        goto done;
    }
    rc = build_article(&x, &pg);
    if (!rc && !out->lang) {
        /* the language its text is written in (page_lang.c) */
        char lang[16];
        bt_buf all = BT_BUF_INIT;
        if (bt_article_sample(out, BT_LANG_SAMPLE, &all) < 0 ||
            (bt_page_lang(NULL, all.data, all.len, lang) && !(out->lang = bt_strdup(lang))))
            rc = oom(&x);
        bt_buf_free(&all);
    }
    if (!rc) {
        bt_article_compute_id(out);
    }
done:
    bt_buf_init(&pg.text, 0); /* the caller's text, not ours */
    page_free(&pg);
    return rc < 0 ? -1 : 1;
}
