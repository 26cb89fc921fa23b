/* Dates as people read them, in the article's language: what the printers
 * show instead of "2022-12-24T19:25:22+07:00" or "20210411". */
#include "internal.h"

#include <string.h>
#include <strings.h>

int bt_lang_check(const char *lang, bt_error *err)
{
    size_t n = lang ? strlen(lang) : 0, base = lang ? strcspn(lang, "-_") : 0;
    /* A region or script may follow: "vi-VN", "en_GB", "en-Latn-US". */
    int ok = bt_words_for(lang) && n <= 16 &&
             strspn(lang + base, "-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789") == n - base;
    if (!ok) {
        bt_error_set(err, BT_ERR_USAGE, "unknown language '%s' (vi, en or fr)", lang ? lang : "");
        return -1;
    }
    return 0;
}

const char *bt_lang_code(const char *lang)
{
    const bt_words *w = bt_words_for(lang);
    return w ? w->code : "vi";
}

int bt_date_is_machine(const char *text)
{
    if (!text)
        return 0;
    while (*text == ' ')
        text++;
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    if (!n)
        return 0;
    /* Digits only: "20210411", "20210411093000", a Unix time. */
    if (strspn(text, "0123456789") >= n)
        return n == 8 || n == 12 || n == 14 || (n >= 9 && n <= 11);
    /* ISO 8601: a year first, then only digits and - : T Z + . / */
    if (n < 10 || strspn(text, "0123456789") != 4 || (text[4] != '-' && text[4] != '/'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789-:+./TZtz ", text[i]))
            return 0;
    return 1;
}

/* 0 = Sunday. */
static int weekday(const bt_date *d)
{
    long long days = bt_date_days(d);
    int w = (int)((days + 4) % 7); /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

static int add_time(const bt_date *d, bt_buf *out)
{
    return d->has_time ? bt_buf_addf(out, ", %02d:%02d", d->hour, d->minute) : 0;
}

int bt_date_human_from(const bt_date *d, const char *lang, bt_buf *out)
{
    const bt_words *w = bt_words_for(lang);
    if (!w)
        w = bt_words_or_vi(NULL);
    if (!w->month[0])
        return bt_buf_addf(out, "%s, %02d/%02d/%04d", w->weekday[weekday(d)], d->day,
                           d->month, d->year) < 0 ? -1 : add_time(d, out);
    return bt_buf_addf(out, "%s%s %d %s %04d", w->weekday[weekday(d)],
                       strcmp(w->code, "fr") ? "," : "", d->day, w->month[d->month - 1],
                       d->year) < 0 ? -1 : add_time(d, out);
}

int bt_date_long(const bt_date *d, const char *lang, bt_buf *out)
{
    const bt_words *w = bt_words_for(lang);
    if (!w)
        w = bt_words_or_vi(NULL);
    if (!w->month[0])
        return bt_buf_addf(out, "%s, ngày %d tháng %d năm %04d", w->weekday[weekday(d)],
                           d->day, d->month, d->year);
    return bt_buf_addf(out, "%s%s %d %s %04d", w->weekday[weekday(d)],
                       strcmp(w->code, "fr") ? "," : "", d->day, w->month[d->month - 1],
                       d->year);
}

/* A machine-like text read as a date: what bt_when_parse takes, or digits
 * YYYYMMDD[HHMM[SS]]. */
static int parse_machine(const char *text, bt_date *d)
{
    char buf[40];
    size_t n = strlen(text);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, text, n + 1);
    while (n && buf[n - 1] == ' ')
        buf[--n] = '\0';
    const char *s = buf;
    while (*s == ' ')
        s++;
    if (bt_when_parse(s, d) == 0)
        return 0;
    size_t k = strspn(s, "0123456789");
    if (k == strlen(s) && (k == 8 || k == 12 || k == 14)) {
        char iso[32];
        if (k == 8)
            snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
        else
            snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", s, s + 4, s + 6,
                     s + 8, s + 10, k == 14 ? s + 12 : "00");
        return bt_when_parse(iso, d);
    }
    return bt_date_find(s, strlen(s), d) == 1 ? 0 : -1;
}

int bt_date_human(const char *text, const char *when, const char *lang, bt_buf *out)
{
    if (text && *text && !bt_date_is_machine(text))
        return bt_buf_adds(out, text);
    bt_date d;
    if ((when && bt_when_parse(when, &d) == 0) || (text && *text && parse_machine(text, &d) == 0))
        return bt_date_human_from(&d, lang, out);
    /* Unreadable: what there is, as it is. */
    return bt_buf_adds(out, text && *text ? text : when ? when : "");
}
