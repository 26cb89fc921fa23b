/* PDF look: paper, margins, font, columns and bulletin masthead, set by
 * key (from the command line) or from a "key = value" style file. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pango/pangocairo.h>

#include "pdf_int.h"

#define PT_PER_MM (72.0 / 25.4)
#define DEFAULT_FONT "Noto Serif 10.5"

void bt_pdf_opts_init(bt_pdf_opts *o)
{
    memset(o, 0, sizeof *o);
    o->page_width = 210 * PT_PER_MM;
    o->page_height = 297 * PT_PER_MM;
    for (int i = 0; i < 4; i++)
        o->margin[i] = 20 * PT_PER_MM;
    o->columns = 1;
    o->created = -1;
    o->sort = -1;
}

void bt_pdf_opts_free(bt_pdf_opts *o)
{
    free(o->font);
    free(o->title);
    free(o->issue);
    free(o->date);
    free(o->lang);
    free(o->publisher);
    free(o->notice);
    free(o->logo);
    bt_pdf_opts_init(o);
}

static int set_string(char **field, const char *value, bt_error *err)
{
    char *s = bt_strdup(value);
    if (!s) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    free(*field);
    *field = s;
    return 0;
}

static int valid_date(const char *s)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
        n != 10)
        return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static int yes_no(const char *v, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < BT_ARRAY_LEN(yes); i++) {
        if (!strcasecmp(v, yes[i]))
            return *out = 1, 0;
        if (!strcasecmp(v, no[i]))
            return *out = 0, 0;
    }
    return -1;
}

/* The settings that take one of two words, and the int each word sets. */
static const struct {
    const char *key, *word[2];
    int value[2];
    size_t field; /* offset in bt_pdf_opts */
} two_words[] = {
    {"columns", {"1", "2"}, {1, 2}, offsetof(bt_pdf_opts, columns)},
    {"layout", {"run-on", "page-per-article"}, {0, 1}, offsetof(bt_pdf_opts, page_per_article)},
    {"duplicates", {"drop", "keep"}, {0, 1}, offsetof(bt_pdf_opts, keep_duplicates)},
    {"group-by", {"section", "none"}, {1, 0}, offsetof(bt_pdf_opts, group_by_section)},
};

/* 1 when key is one of two_words (then set, or -1 with err), else 0. */
static int set_two_words(bt_pdf_opts *o, const char *key, const char *value, bt_error *err)
{
    for (size_t i = 0; i < BT_ARRAY_LEN(two_words); i++) {
        if (strcmp(key, two_words[i].key))
            continue;
        for (int k = 0; k < 2; k++) {
            if (!strcmp(value, two_words[i].word[k])) {
                *(int *)((char *)o + two_words[i].field) = two_words[i].value[k];
                return 1;
            }
        }
        bt_error_set(err, BT_ERR_USAGE, "bad %s '%s' (%s or %s)", key, value,
                     two_words[i].word[0], two_words[i].word[1]);
        return -1;
    }
    return 0;
}

/* Keys whose value is kept as text, and where. */
static char **text_field(bt_pdf_opts *o, const char *key)
{
    if (!strcmp(key, "title"))
        return &o->title;
    if (!strcmp(key, "issue"))
        return &o->issue;
    if (!strcmp(key, "publisher"))
        return &o->publisher;
    if (!strcmp(key, "notice"))
        return &o->notice;
    if (!strcmp(key, "logo"))
        return &o->logo;
    return NULL;
}

int bt_pdf_opts_set(bt_pdf_opts *o, const char *key, const char *value,
                    bt_error *err)
{
    if (!strcmp(key, "paper"))
        return bt_paper_parse(value, &o->page_width, &o->page_height, err);
    if (!strcmp(key, "margin"))
        return bt_margins_parse(value, o->margin, err);
    int two = set_two_words(o, key, value, err);
    if (two)
        return two < 0 ? -1 : 0;
    if (!strcmp(key, "font")) {
        PangoFontDescription *d = pango_font_description_from_string(value);
        int ok = d && pango_font_description_get_family(d) &&
                 *pango_font_description_get_family(d);
        int sized = d && (pango_font_description_get_set_fields(d) & PANGO_FONT_MASK_SIZE);
        double size = d ? pango_font_description_get_size(d) / (double)PANGO_SCALE : 0;
        if (d)
            pango_font_description_free(d);
        if (!ok) {
            bt_error_set(err, BT_ERR_USAGE, "bad font '%s' (\"FAMILY SIZE\", e.g. "
                              "\"Noto Serif 11\")", value);
            return -1;
        }
        if (sized && (size < 4 || size > 72)) {
            bt_error_set(err, BT_ERR_USAGE, "bad font size in '%s' (4 to 72 points)", value);
            return -1;
        }
        return set_string(&o->font, value, err);
    }
    char **field = text_field(o, key);
    if (field)
        return set_string(field, value, err);
    if (!strcmp(key, "date")) {
        if (!valid_date(value)) {
            bt_error_set(err, BT_ERR_USAGE, "bad date '%s' (YYYY-MM-DD)", value);
            return -1;
        }
        return set_string(&o->date, value, err);
    }
    if (!strcmp(key, "lang"))
        return bt_lang_check(value, err) < 0 ? -1 : set_string(&o->lang, value, err);
    if (!strcmp(key, "bulletin")) {
        if (yes_no(value, &o->bulletin) < 0) {
            bt_error_set(err, BT_ERR_USAGE, "bad bulletin '%s' (yes or no)", value);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "sort")) {
        bt_sort sort;
        if (bt_sort_parse(value, &sort, err) < 0)
            return -1;
        o->sort = (int)sort;
        return 0;
    }
    bt_error_set(err, BT_ERR_USAGE, "unknown setting '%s' (paper, margin, font, columns, "
                      "lang, bulletin, layout, title, issue, publisher, notice, logo, date, "
                      "sort, duplicates, group-by)", key);
    return -1;
}

void bt_pdf_select_opts(const bt_pdf_opts *o, bt_select_opts *out)
{
    memset(out, 0, sizeof *out);
    out->sort = o->sort >= 0 ? (bt_sort)o->sort : o->bulletin ? BT_SORT_NEWEST
                                                               : BT_SORT_INPUT;
    out->keep_duplicates = o->keep_duplicates;
    out->group_by_section = o->group_by_section;
    out->store = o->bulletin;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int bt_pdf_opts_load(bt_pdf_opts *o, const char *path, bt_error *err)
{
    bt_buf data = BT_BUF_INIT;
    if (bt_read_file(path, 1 << 20, &data, err) < 0) {
        bt_buf_free(&data);
        return -1;
    }
    char *line = data.data;
    int rc = 0;
    for (long lineno = 1; line && *line; lineno++) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *s = trim(line);
        if (*s && *s != '#') {
            char *eq = strchr(s, '=');
            if (!eq) {
                bt_error_set(err, BT_ERR_INPUT, "%s:%ld:1: expected 'key = value'", path, lineno);
                rc = -1;
                break;
            }
            *eq = '\0';
            char *key = trim(s), *value = trim(eq + 1);
            size_t vn = strlen(value);
            /* A value may be quoted to keep outer spaces. */
            if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
                value[vn - 1] = '\0';
                value++;
            }
            bt_error e;
            bt_buf rel = BT_BUF_INIT;
            const char *slash = strrchr(path, '/');
            if (!strcmp(key, "logo") && value[0] != '/' && slash && *value) {
                if (bt_buf_add(&rel, path, (size_t)(slash - path) + 1) < 0 ||
                    bt_buf_adds(&rel, value) < 0) {
                    bt_error_nomem(err, NULL);
                    rc = -1;
                    break;
                }
                value = rel.data;
            }
            int set = bt_pdf_opts_set(o, key, value, &e);
            bt_buf_free(&rel);
            if (set < 0) {
                bt_error_set(err, BT_ERR_INPUT, "%s:%ld:%ld: %s", path, lineno,
                             (long)(key - line) + 1, e.msg);
                rc = -1;
                break;
            }
        }
        line = next;
    }
    bt_buf_free(&data);
    return rc;
}

/* Generic names fontconfig always resolves. */
static int generic_family(const char *f)
{
    static const char *const names[] = {"serif", "sans", "sans-serif",
                                        "monospace", "mono", "cursive",
                                        "fantasy", "system-ui"};
    for (size_t i = 0; i < BT_ARRAY_LEN(names); i++)
        if (!strcasecmp(f, names[i]))
            return 1;
    return 0;
}

/* fontconfig substitutes any font silently, so an unknown family would
 * quietly print in something else: look every listed family up. */
int bt_pdf_opts_check(const bt_pdf_opts *o, bt_error *err)
{
    const char *font = o->font ? o->font : DEFAULT_FONT;
    PangoFontDescription *d = pango_font_description_from_string(font);
    if (!d) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    const char *fam = pango_font_description_get_family(d);
    PangoFontMap *map = pango_cairo_font_map_get_default();
    PangoFontFamily **families = NULL;
    int n = 0, rc = 0;
    pango_font_map_list_families(map, &families, &n);
    /* The description may list several families: "Noto Serif,serif". */
    char *list = bt_strdup(fam ? fam : "");
    if (!list) {
        bt_error_nomem(err, NULL);
        rc = -1;
    }
    for (char *save = NULL, *f = list ? strtok_r(list, ",", &save) : NULL;
         f && rc == 0; f = strtok_r(NULL, ",", &save)) {
        f = trim(f);
        int found = generic_family(f);
        for (int i = 0; i < n && !found; i++)
            found = !strcasecmp(f, pango_font_family_get_name(families[i]));
        if (!found) {
            bt_error_set(err, BT_ERR_USAGE, "font family '%s' is not installed (see fc-list)", f);
            rc = -1;
        }
    }
    free(list);
    g_free(families);
    pango_font_description_free(d);
    if (rc == 0 && bt_page_check(o->page_width, o->page_height, o->margin, err) < 0)
        rc = -1;
    if (rc == 0 && o->logo) {
        pdf_image_info info;
        const char *why;
        if (pdf_image_probe(o->logo, &info, &why) < 0) {
            bt_error_set(err, BT_ERR_USAGE, "logo %s: %s", o->logo, why);
            rc = -1;
        }
    }
    return rc;
}

const char *bt_pdf_default_font(void)
{
    return DEFAULT_FONT;
}
