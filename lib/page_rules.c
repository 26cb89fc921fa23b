/*
 * Rules that tell the parts of a news page apart, shared by the text-page
 * and HTML-page extractors: related-news headings, page furniture,
 * breadcrumbs, "Nguồn:" lines, bylines and subheadings.  Each looks at one
 * line (or block) of text, white space already collapsed.
 */
#include "page_int.h"

#include <string.h>
#include <utf8proc.h>

enum { MAX_BYLINE = 60 };

typedef struct bt_line {
    const char *s;
    size_t len;
} bt_line;


uint32_t bt_first_cp(const char *s, size_t len)
{
    uint32_t cp = 0;
    if (!bt_utf8_decode((const unsigned char *)s, len, &cp))
        return 0;
    return cp;
}

int bt_cp_is_upper(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int bt_cp_is_alnum(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

int bt_cp_is_lower(uint32_t cp)
{
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

size_t bt_count_words(const char *s, size_t len)
{
    size_t n = 0;
    int in = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ') {
            in = 0;
        } else if (!in) {
            in = 1;
            n++;
        }
    }
    return n;
}

/* The last character is sentence punctuation. */
int bt_ends_sentence(const char *s, size_t len)
{
    static const char *const ends[] = {".", "!", "?", ":", ";", "…", "\"", "”",
                                       ")", "»", "'", "’"};
    for (size_t i = 0; i < BT_ARRAY_LEN(ends); i++) {
        size_t n = strlen(ends[i]);
        if (len >= n && !memcmp(s + len - n, ends[i], n))
            return 1;
    }
    return 0;
}

/* Folded (lowercase, no diacritics, đ → d) form of a short line, for
 * comparing with the marker tables below.  "" when too long. */
void bt_fold_short(const char *s, size_t len, char *out, size_t outsz)
{
    out[0] = '\0';
    if (len >= outsz * 2)
        return;
    bt_buf b = BT_BUF_INIT;
    if (bt_fold(s, len, BT_FOLD_BASE, &b, NULL) == 0 && b.len < outsz)
        memcpy(out, b.data, b.len + 1);
    bt_buf_free(&b);
}

static int has_prefix(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

/* Headings under which a page lists other articles. */
static const char *const RELATED_HEADINGS[] = {
    "tin lien quan", "tin khac", "cac tin khac", "cac tin tuc khac", "tin tuc khac",
    "bai viet lien quan", "bai lien quan", "tin cung chuyen muc", "bai cung chuyen muc",
    "tin cung chu de", "doc them", "xem them", "co the ban quan tam", "tin moi",
    "tin moi hon", "tin cu hon", "tin da dua", "tin doc nhieu", "tin noi bat",
    "danh muc tin tuc", "related", "related articles", "related news", "read more",
    "more news", "see also", "more stories", "more from", "recommended", "recommended for you",
    "you may also like", "you might also like", "most read", "most popular", "trending",
    "lesen sie auch", "mehr zum thema", "das konnte sie auch interessieren", "weitere artikel",
    "lire aussi", "a lire aussi", "sur le meme sujet", "leer mas", "lea tambien", "tambien te puede interesar",
    "noticias relacionadas", "leia tambem", "veja tambem", "leggi anche", "articoli correlati",
    "lees ook", "czytaj tez", "czytaj takze", "cti take", "les ogsa", "las aven", "lue myos",
    "daha fazla", "ilgili haberler",
};

/* Lines of page furniture that never belong to the article. */
static const char *const FURNITURE[] = {
    "chia se", "binh luan", "in bai", "ban in", "quay lai", "tro ve", "tu khoa",
    "tags", "tag", "gui bai", "gui bai viet", "gui binh luan", "len dau trang",
    "y kien ban doc", "y kien", "share", "facebook", "twitter", "zalo", "email",
    "print", "back", "comments", "top", "like", "tweet", "luu", "luu bai",
    "bao loi", "gop y", "theo doi", "dang ky", "xem tiep", "tai ve",
    /* the same bars in other languages */
    "share this", "share this article", "share on facebook", "share on twitter", "follow us",
    "subscribe", "sign up", "newsletter", "advertisement", "advertising", "sponsored", "comment",
    "teilen", "artikel teilen", "kommentare", "kommentieren", "anzeige", "werbung", "drucken",
    "partager", "commentaires", "publicite", "imprimer", "compartir", "comentarios", "publicidad",
    "imprimir", "compartilhar", "condividi", "commenti", "pubblicita", "stampa", "delen", "reacties",
    "del", "dela", "kommentarer", "jaa", "udostepnij", "komentarze", "reklama", "sdilet", "komentare",
    "paylas", "yorumlar", "reklam",
};

/* "Tin liên quan", "Tin liên quan:", "TIN LIÊN QUAN (3)"… */
static int matches_table(const char *folded, const char *const *table, size_t n,
                         int allow_rest)
{
    for (size_t i = 0; i < n; i++) {
        /* the first letter turns nearly every entry away at once: these
         * tables are asked about most short lines of every page */
        if (table[i][0] != folded[0])
            continue;
        size_t k = strlen(table[i]);
        if (strncmp(folded, table[i], k))
            continue;
        const char *rest = folded + k;
        if (!*rest)
            return 1;
        if (*rest == ':' || *rest == ' ' || *rest == '(' || *rest == '>' || *rest == '|') {
            if (allow_rest)
                return 1;
            /* only a count or punctuation may follow */
            int only_punct = 1;
            for (const char *p = rest; *p; p++)
                if ((*p >= 'a' && *p <= 'z'))
                    only_punct = 0;
            if (only_punct)
                return 1;
        }
    }
    return 0;
}

int bt_rule_related_heading(const char *s, size_t len)
{
    char f[96];
    if (len > 80)
        return 0;
    bt_fold_short(s, len, f, sizeof f);
    return matches_table(f, RELATED_HEADINGS, BT_ARRAY_LEN(RELATED_HEADINGS), 0);
}

int bt_rule_furniture(const char *s, size_t len)
{
    char f[128];
    if (len > 120)
        return 0;
    bt_fold_short(s, len, f, sizeof f);
    /* "Từ khóa: a, b, c" and "Tags: …" carry their list on the same line */
    if (has_prefix(f, "tu khoa") || has_prefix(f, "tags:") || has_prefix(f, "tag:"))
        return 1;
    return matches_table(f, FURNITURE, BT_ARRAY_LEN(FURNITURE), 0);
}

/* "Trang chủ > Tin tức > Thời sự", "Home / News / World". */
int bt_rule_breadcrumb(const char *s, size_t len)
{
    if (len > 200)
        return 0;
    static const char *const seps[] = {" > ", " » ", " / ", " › ", " >> ", " | "};
    for (size_t i = 0; i < BT_ARRAY_LEN(seps); i++)
        if (strstr(s, seps[i]))
            return bt_count_words(s, len) <= 16;
    char f[96];
    bt_fold_short(s, len, f, sizeof f);
    return has_prefix(f, "trang chu") || has_prefix(f, "home");
}

/* "Nguồn: Báo Hà Nội mới" */
int bt_rule_source_line(const char *s, size_t len, const char **name)
{
    char f[64];
    if (len > 200)
        return 0;
    bt_fold_short(s, len < 40 ? len : 40, f, sizeof f);
    if (!has_prefix(f, "nguon:") && !has_prefix(f, "nguon :") && !has_prefix(f, "source:"))
        return 0;
    const char *colon = strchr(s, ':');
    if (!colon)
        return 0;
    colon++;
    while (*colon == ' ')
        colon++;
    *name = colon;
    return 1;
}

/* A short line that reads as a name or an office: every word starts with
 * a capital (or is a connector such as "-", "và"), or it is "Theo …". */
int bt_rule_byline(const char *s, size_t len)
{
    bt_line part = {s, len}, *l = &part;
    if (!l->len || l->len > MAX_BYLINE)
        return 0;
    /* "Mai Chi (tổng hợp)": a trailing remark in brackets is allowed */
    const char *open = l->s[l->len - 1] == ')' ? memchr(l->s, '(', l->len) : NULL;
    if (open && open > l->s) {
        l->len = (size_t)(open - l->s);
        while (l->len && l->s[l->len - 1] == ' ')
            l->len--;
    }
    if (!l->len || bt_ends_sentence(l->s, l->len) || l->s[l->len - 1] == ',')
        return 0;
    size_t words = bt_count_words(l->s, l->len);
    if (words == 0 || words > 8)
        return 0;
    char f[96];
    bt_fold_short(l->s, l->len, f, sizeof f);
    if (has_prefix(f, "theo ") || !strcmp(f, "tong hop") || has_prefix(f, "(theo "))
        return 1;
    const char *p = l->s, *end = l->s + l->len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        if (p == w)
            break;
        size_t wl = (size_t)(p - w);
        if ((wl == 1 && strchr("-/&,", *w)) || (wl == 3 && !memcmp(w, "–", 3)))
            continue;
        uint32_t cp = bt_first_cp(w, wl);
        if (cp == '(')
            cp = bt_first_cp(w + 1, wl - 1);
        if (!bt_cp_is_upper(cp))
            return 0;
    }
    return 1;
}

/* A subheading between paragraphs: a short title-like line. */
int bt_rule_subheading(const char *s, size_t len)
{
    if (len < 12 || len > 160 || bt_ends_sentence(s, len))
        return 0;
    size_t words = bt_count_words(s, len);
    if (words < 3 || words > 18)
        return 0;
    uint32_t cp = bt_first_cp(s, len);
    return bt_cp_is_upper(cp) || (cp >= '0' && cp <= '9');
}

