/* The date parser on any bytes: bt_date_find, bt_date_line,
 * bt_date_parse_user, bt_when_parse and bt_tz_parse.  A date found is a
 * real calendar date inside the text, and the "when" news2xml writes
 * from it reads back (newsgrep --since reads it) as the same date. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void date_check_tz(const char tz[7], const char *what)
{
    if (!tz[0])
        return;
    if (strlen(tz) != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3] != ':')
        fuzz_fail("%s: a zone \"%s\" not in the +HH:MM form", what, tz);
    for (int i = 1; i < 6; i++)
        if (i != 3 && (tz[i] < '0' || tz[i] > '9'))
            fuzz_fail("%s: a zone \"%s\" not in the +HH:MM form", what, tz);
}

static int date_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The date is one that exists, within the text it came from. */
static void date_check(const bt_date *d, size_t len, const char *what)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d->year < 1900 || d->year > 2100 || d->month < 1 || d->month > 12 || d->day < 1 ||
        d->day > mdays[d->month - 1] + (d->month == 2 && date_leap(d->year)))
        fuzz_fail("%s: an impossible date %d-%d-%d", what, d->year, d->month, d->day);
    if (d->has_time ? (d->hour < 0 || d->hour > 23 || d->minute < 0 || d->minute > 59 ||
                       d->second < 0 || d->second > 59)
                    : (d->hour || d->minute || d->second))
        fuzz_fail("%s: an impossible time %d:%d:%d (has_time %d)", what, d->hour,
                  d->minute, d->second, d->has_time);
    if (d->start > d->end || d->end > len)
        fuzz_fail("%s: the span [%zu, %zu) is not inside the %zu bytes", what, d->start,
                  d->end, len);
    date_check_tz(d->tz, what);

    /* news2xml writes when=…, newsgrep reads it back */
    char when[32];
    bt_date_format_when(d, NULL, when);
    bt_date back;
    if (bt_when_parse(when, &back) < 0)
        fuzz_fail("%s: the when \"%s\" written for it does not read back", what, when);
    if (back.year != d->year || back.month != d->month || back.day != d->day ||
        back.has_time != d->has_time || back.hour != d->hour ||
        back.minute != d->minute || back.second != d->second)
        fuzz_fail("%s: \"%s\" reads back as another date", what, when);
    if (bt_date_days(&back) != bt_date_days(d))
        fuzz_fail("%s: \"%s\" reads back as another day", what, when);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bt_date d;
    if (bt_date_find(s, size, &d) == 1)
        date_check(&d, size, "bt_date_find");
    if (bt_date_line(s, size, &d) == 1)
        date_check(&d, size, "bt_date_line");

    char *z = fuzz_cstr(data, size);
    if (!z)
        return 0;
    size_t zlen = strlen(z);
    /* now: 2023-11-14 and 1969-12-31 (before the epoch: floor division) */
    static const long long nows[] = {1700000000LL, -3600LL};
    for (size_t i = 0; i < sizeof nows / sizeof *nows; i++)
        if (bt_date_parse_user(z, nows[i], i ? "-05:30" : NULL, &d) == 0)
            date_check(&d, zlen, "bt_date_parse_user");
    if (bt_when_parse(z, &d) == 0) {
        date_check(&d, zlen, "bt_when_parse");
        if (d.end != zlen)
            fuzz_fail("bt_when_parse: accepted \"%s\" but read %zu of %zu bytes", z, d.end, zlen);
    }
    char tz[7];
    if (bt_tz_parse(z, tz) == 0) {
        if (!tz[0])
            fuzz_fail("bt_tz_parse: accepted \"%s\" with an empty zone", z);
        date_check_tz(tz, "bt_tz_parse");
        char again[7];
        if (bt_tz_parse(tz, again) < 0 || strcmp(tz, again))
            fuzz_fail("bt_tz_parse: its own \"%s\" does not read back", tz);
    }
    free(z);
    return 0;
}
