/* Date parsing: the formats Vietnamese news pages print, datelines,
 * zones, command-line dates, and safety on any input. */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>

/* The when value a reader of dates (bt_date_find, bt_date_line) gives
 * for text, caller tz +07:00, or none when it finds no date; the input is
 * in the failure message. */
static void expect_date(int (*read)(const char *, size_t, bt_date *), const char *what,
                        const char *none, const char *text, const char *want)
{
    bt_date d;
    char got[32];
    snprintf(got, sizeof got, "%s", none);
    if (read(text, strlen(text), &d))
        bt_date_format_when(&d, "+07:00", got);
    if (strcmp(got, want))
        fail_msg("%s\"%s\": got %s, want %s", what, text, got, want);
}

/* bt_date_find's date, or "none". */
#define expect_when(text, want) expect_date(bt_date_find, "", "none", text, want)
/* bt_date_line's verdict: "no", or the date when it says yes. */
#define expect_line(text, want) expect_date(bt_date_line, "line ", "no", text, want)

/* The bytes bt_date_find reports as the date. */
static void expect_span(const char *text, const char *want)
{
    bt_date d;
    if (!bt_date_find(text, strlen(text), &d))
        fail_msg("\"%s\": no date found", text);
    if (d.end > strlen(text) || d.start > d.end ||
        strlen(want) != d.end - d.start ||
        memcmp(text + d.start, want, d.end - d.start))
        fail_msg("\"%s\": span \"%.*s\", want \"%s\"", text,
                 (int)(d.end - d.start), text + d.start, want);
}

static void test_issue_formats(void **state)
{
    (void)state;
    expect_when("12/07/2023 - 01:01 PM", "2023-07-12T13:01:00+07:00");
    expect_when("Thứ tư, 12/7/2023, 13:01 (GMT+7)",
                "2023-07-12T13:01:00+07:00");
    expect_when("13:01 12/07/2023", "2023-07-12T13:01:00+07:00");
    expect_when("13:01 - 12/07/2023", "2023-07-12T13:01:00+07:00");
    expect_when("Cập nhật: 08:30 | 05/09/2023", "2023-09-05T08:30:00+07:00");
    expect_when("Ngày 5 tháng 9 năm 2023", "2023-09-05");
    expect_when("12-07-2023", "2023-07-12");
    expect_when("2023-07-12", "2023-07-12");
    expect_when("2023-07-12T13:01:00+07:00", "2023-07-12T13:01:00+07:00");
    expect_when("2023-07-12 13:01", "2023-07-12T13:01:00+07:00");
    expect_when("20201101", "2020-11-01");
    expect_when("# date = 20201101", "2020-11-01");
    expect_when("18h30 12/07/2023", "2023-07-12T18:30:00+07:00");
    expect_when("12/07/2023 18g30", "2023-07-12T18:30:00+07:00");
    expect_when("23/03/2015 08:06 GMT+7", "2015-03-23T08:06:00+07:00");
    expect_when("Thứ tư, 22/10/2025, 19:25 (GMT+7)",
                "2025-10-22T19:25:00+07:00");
    /* more of what pages print */
    expect_when("12.07.2023", "2023-07-12");
    expect_when("2023/07/12", "2023-07-12");
    expect_when("12/07/2023 lúc 13:01", "2023-07-12T13:01:00+07:00");
    expect_when("Đăng lúc 13:01:05 ngày 12/07/2023",
                "2023-07-12T13:01:05+07:00");
    expect_when("ngày 29 tháng 10, năm 2020", "2020-10-29");
    expect_when("12 Tháng 7, 2023", "2023-07-12");
    expect_when("18 giờ 30 phút ngày 12/7/2023", "2023-07-12T18:30:00+07:00");
    expect_when("12 July 2023", "2023-07-12");
    expect_when("July 12, 2023 09:15", "2023-07-12T09:15:00+07:00");
    expect_when("2023-07-12T13:01:00.250Z", "2023-07-12T13:01:00+00:00");
    expect_when("12/07/2023 – 13:01", "2023-07-12T13:01:00+07:00");
    expect_when("2015-03-23 08:06 +07:00", "2015-03-23T08:06:00+07:00");
    expect_when("Thứ Năm, 13/07/2023 | 07:45:10", "2023-07-13T07:45:10+07:00");
}

static void test_leading_zeros(void **state)
{
    (void)state;
    expect_when("5/9/2023", "2023-09-05");
    expect_when("05/09/2023", "2023-09-05");
    expect_when("5/09/2023", "2023-09-05");
    expect_when("05/9/2023", "2023-09-05");
    expect_when("5-9-2023 8:05", "2023-09-05T08:05:00+07:00");
    expect_when("2023-7-5", "2023-07-05");
    expect_when("Ngày 05 tháng 09 năm 2023", "2023-09-05");
    expect_when("8h05 5/9/2023", "2023-09-05T08:05:00+07:00");
    expect_when("8h 5/9/2023", "2023-09-05T08:00:00+07:00");
}

static void test_am_pm(void **state)
{
    (void)state;
    expect_when("12/07/2023 - 12:05 AM", "2023-07-12T00:05:00+07:00");
    expect_when("12/07/2023 - 12:05 PM", "2023-07-12T12:05:00+07:00");
    expect_when("12/07/2023 - 01:01 AM", "2023-07-12T01:01:00+07:00");
    expect_when("12/07/2023 - 11:59 PM", "2023-07-12T23:59:00+07:00");
    expect_when("12/07/2023 - 1:01 pm", "2023-07-12T13:01:00+07:00");
    expect_when("12/07/2023 01:01PM", "2023-07-12T13:01:00+07:00");
    expect_when("12/07/2023 1:01 p.m.", "2023-07-12T13:01:00+07:00");
    expect_when("12/07/2023 - 08:30 SA", "2023-07-12T08:30:00+07:00");
    expect_when("12/07/2023 - 08:30 CH", "2023-07-12T20:30:00+07:00");
    expect_when("12/07/2023 - 12:30 CH", "2023-07-12T12:30:00+07:00");
    expect_when("12/07/2023 - 12:30 SA", "2023-07-12T00:30:00+07:00");
    expect_when("8:30 sáng 12/07/2023", "2023-07-12T08:30:00+07:00");
    expect_when("12/07/2023 3h chiều", "2023-07-12T15:00:00+07:00");
    expect_when("12/07/2023 - 13:01 PM", "2023-07-12T13:01:00+07:00");
    /* 13 in the morning does not exist: the date stands alone */
    expect_when("12/07/2023 - 13:01 AM", "2023-07-12");
    expect_when("12/07/2023 - 00:30 PM", "2023-07-12");
}

static void test_impossible_dates(void **state)
{
    (void)state;
    expect_when("31/02/2023", "none");
    expect_when("29/02/2023", "none");
    expect_when("29/02/2024", "2024-02-29");
    expect_when("29/02/1900", "none");
    expect_when("29/02/2000", "2000-02-29");
    expect_when("31/04/2023", "none");
    expect_when("12/13/2023", "none");
    expect_when("07/13/2023", "none"); /* never month-first */
    expect_when("00/07/2023", "none");
    expect_when("12/00/2023", "none");
    expect_when("2023-02-30", "none");
    expect_when("20231301", "none");
    expect_when("Ngày 32 tháng 1 năm 2023", "none");
    /* year bounds */
    expect_when("31/12/1899", "none");
    expect_when("01/01/1900", "1900-01-01");
    expect_when("31/12/2100", "2100-12-31");
    expect_when("01/01/2101", "none");
    /* impossible times are not attached */
    expect_when("12/07/2023 25:00", "2023-07-12");
    expect_when("12/07/2023 24:00", "2023-07-12");
    expect_when("12/07/2023 13:60", "2023-07-12");
    expect_when("12/07/2023 13:01:61", "2023-07-12");
    /* no year, no date */
    expect_when("30/10", "none");
    expect_when("ngày 30/10 lúc 13:01", "none");
    expect_when("tháng 9/2020", "none");
    expect_when("MEGA 6/45", "none");
    expect_when("12/07/23", "none");
    expect_when("12/07/20231", "none");
    expect_when("12/07/2023/5", "none");
    expect_when("id20201101", "none");
    /* the first possible date wins */
    expect_when("31/02/2023 hoặc 01/03/2023", "2023-03-01");
    expect_when("Ngày 12/7/2023 và 13/7/2023", "2023-07-12");
}

static void test_spans(void **state)
{
    (void)state;
    expect_span("Thứ tư, 12/7/2023, 13:01 (GMT+7)",
                "12/7/2023, 13:01 (GMT+7)");
    expect_span("Cập nhật: 08:30 | 05/09/2023", "08:30 | 05/09/2023");
    expect_span("12/07/2023 - 01:01 PM xem thêm", "12/07/2023 - 01:01 PM");
    expect_span("Ngày 5 tháng 9 năm 2023.", "5 tháng 9 năm 2023");
    expect_span("Đăng 2023-07-12T13:01:00+07:00.", "2023-07-12T13:01:00+07:00");
    expect_span("Hà Nội, 12/7/2023 - ", "12/7/2023");
}

/* The zone bt_date_find reads from the text, and the when it then
 * formats with the caller's zone (when is NULL: not asked). */
static void test_zone_in_text(void **state)
{
    (void)state;
    static const struct {
        const char *text, *tz, *caller, *when;
    } cases[] = {
        /* the zone the page names wins over the caller's */
        {"23/03/2015 08:06 GMT+7", "+07:00", "+09:00", "2015-03-23T08:06:00+07:00"},
        {"2023-07-12T13:01:00-05:30", "-05:30", NULL, NULL},
        {"2023-07-12T13:01:00+0530", "+05:30", NULL, NULL},
        {"12/07/2023 13:01 UTC", "+00:00", "+07:00", "2023-07-12T13:01:00+00:00"},
        {"12/07/2023 13:01 (GMT+07:00)", "+07:00", NULL, NULL},
        /* no zone named: the caller's */
        {"12/07/2023 13:01", "", "+09:00", "2023-07-12T13:01:00+09:00"},
        {"12/07/2023 13:01", "", "-0500", "2023-07-12T13:01:00-05:00"},
        {"12/07/2023 13:01", "", NULL, "2023-07-12T13:01:00+07:00"},
        {"12/07/2023 13:01", "", "garbage", "2023-07-12T13:01:00+07:00"},
        /* "- 12" after a time is a separator, not a zone */
        {"13:01 -12/07/2023", "", NULL, NULL},
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        bt_date d;
        char when[32];
        const char *s = cases[i].text;
        if (bt_date_find(s, strlen(s), &d) != 1)
            fail_msg("\"%s\": no date found", s);
        if (strcmp(d.tz, cases[i].tz))
            fail_msg("\"%s\": zone \"%s\", want \"%s\"", s, d.tz, cases[i].tz);
        if (!cases[i].when)
            continue;
        bt_date_format_when(&d, cases[i].caller, when);
        if (strcmp(when, cases[i].when))
            fail_msg("\"%s\" with the caller at %s: %s, want %s", s,
                     cases[i].caller ? cases[i].caller : "NULL", when, cases[i].when);
    }
}

static void test_no_time_is_date_only(void **state)
{
    (void)state;
    bt_date d;
    char when[32];
    const char *s = "Thứ hai, 12/7/2023";
    assert_int_equal(bt_date_find(s, strlen(s), &d), 1);
    assert_int_equal(d.has_time, 0);
    assert_int_equal(d.year, 2023);
    assert_int_equal(d.month, 7);
    assert_int_equal(d.day, 12);
    bt_date_format_when(&d, "+07:00", when);
    assert_string_equal(when, "2023-07-12");
    /* a zone without a time does not make a time */
    s = "12/07/2023 (GMT+7)";
    assert_int_equal(bt_date_find(s, strlen(s), &d), 1);
    bt_date_format_when(&d, "+07:00", when);
    assert_string_equal(when, "2023-07-12");
}

static void test_weekday_datelines(void **state)
{
    (void)state;
    const char *days[] = {
        "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy",
        "Chủ nhật", "CN", "Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6",
        "Thứ 7", "T2", "THỨ TƯ", "thứ Tư", "CHỦ NHẬT", "Chủ Nhật",
        "Thứ Bảy", "Wednesday", "Wed",
        /* NFD: u + horn + acute, a + breve + hook above */
        "Thu\xcc\x9b\xcc\x81 ba\xcc\x89y",
        /* NFC base letter plus a combining mark (ư + U+0301) */
        "Th\xc6\xb0\xcc\x81 hai",
    };
    char line[128];
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        snprintf(line, sizeof line, "%s, 12/07/2023 - 13:01", days[i]);
        expect_line(line, "2023-07-12T13:01:00+07:00");
        snprintf(line, sizeof line, "%s 12/7/2023", days[i]);
        expect_line(line, "2023-07-12");
    }
    /* "Thứ 8" and "Thứ mười" are not weekdays; "thứ" alone is not one */
    expect_line("Thứ 8, 12/07/2023", "no");
    expect_line("Thứ mười, 12/07/2023", "no");
    expect_line("Thứ, 12/07/2023", "no");
}

static void test_datelines(void **state)
{
    (void)state;
    expect_line("12/07/2023 - 01:01 PM", "2023-07-12T13:01:00+07:00");
    expect_line("Thứ tư, 12/7/2023, 13:01 (GMT+7)",
                "2023-07-12T13:01:00+07:00");
    expect_line("13:01 12/07/2023", "2023-07-12T13:01:00+07:00");
    expect_line("13:01 - 12/07/2023", "2023-07-12T13:01:00+07:00");
    expect_line("Cập nhật: 08:30 | 05/09/2023", "2023-09-05T08:30:00+07:00");
    expect_line("CẬP NHẬT LÚC 08:30 05/09/2023", "2023-09-05T08:30:00+07:00");
    expect_line("Cập nhật lần cuối: 05/09/2023", "2023-09-05");
    expect_line("Ngày 5 tháng 9 năm 2023", "2023-09-05");
    expect_line("  12-07-2023  ", "2023-07-12");
    expect_line("2023-07-12T13:01:00+07:00", "2023-07-12T13:01:00+07:00");
    expect_line("20201101", "2020-11-01");
    expect_line("# date = 20201101", "2020-11-01");
    expect_line("Đăng lúc 13:01 ngày 12/07/2023", "2023-07-12T13:01:00+07:00");
    expect_line("Ngày đăng: 12/07/2023", "2023-07-12");
    expect_line("Thời gian: 12/07/2023 18h30", "2023-07-12T18:30:00+07:00");
    expect_line("Published: 2023-07-12", "2023-07-12");
    expect_line("Last updated: July 12, 2023", "2023-07-12");
    expect_line("23/03/2015 08:06 GMT+7", "2015-03-23T08:06:00+07:00");
    expect_line("(12/07/2023)", "2023-07-12");
    expect_line("Sáng thứ tư, 12/7/2023", "2023-07-12");
    /* "Ngaỳ": the tone on the other vowel */
    expect_line("Nga\xe1\xbb\xb3 đăng: 12/07/2023", "2023-07-12");

    /* a sentence that merely holds a date */
    expect_line("Ngày 12/7/2023, Ban Thường vụ Quận ủy làm việc với "
                "các phường.", "no");
    expect_line("Hà Nội, 12/7/2023", "no");
    expect_line("Theo VnExpress 12/7/2023", "no");
    expect_line("Đăng ký trước 12/7/2023", "no");
    expect_line("12/07/2023 - 14/07/2023", "no");
    expect_line("Số 5, 12/07/2023", "no");
    expect_line("12/7/2023 \xe2\x80\x9cTin\xe2\x80\x9d", "no");
    expect_line("Thứ tư", "no");
    expect_line("13:01", "no");
    expect_line("30/10", "no");
    expect_line("", "no");
}

static void test_long_lines(void **state)
{
    (void)state;
    /* A dateline padded past 200 bytes is not a dateline... */
    char line[400];
    memset(line, ' ', sizeof line);
    memcpy(line, "12/07/2023", 10);
    bt_date d;
    assert_int_equal(bt_date_line(line, 200, &d), 1);
    assert_int_equal(bt_date_line(line, 201, &d), 0);
    assert_int_equal(bt_date_line(line, sizeof line, &d), 0);
    /* ...but bt_date_find still reads it. */
    assert_int_equal(bt_date_find(line, sizeof line, &d), 1);

    /* 16 MB of filler, then a date: found, at the right place. */
    size_t n = 16u << 20;
    char *big = malloc(n + 64);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = "ab 1/2-|:"[i % 9];
    const char *tail = " 12/07/2023 13:01";
    memcpy(big + n, tail, strlen(tail));
    size_t len = n + strlen(tail);
    assert_int_equal(bt_date_find(big, len, &d), 1);
    assert_int_equal(d.start, n + 1);
    assert_int_equal(d.end, len);
    assert_int_equal(d.hour, 13);
    assert_int_equal(bt_date_line(big, len, &d), 0);

    /* one huge number, one huge word, one huge run of marks */
    memset(big, '7', n);
    assert_int_equal(bt_date_find(big, n, &d), 0);
    memset(big, 'x', n);
    assert_int_equal(bt_date_find(big, n, &d), 0);
    for (size_t i = 0; i + 1 < n; i += 2)
        big[i] = '\xcc', big[i + 1] = '\x81';
    assert_int_equal(bt_date_find(big, n, &d), 0);
    free(big);
}

static void test_odd_input(void **state)
{
    (void)state;
    bt_date d;
    assert_int_equal(bt_date_find("", 0, &d), 0);
    assert_int_equal(bt_date_find(NULL, 0, &d), 0);
    assert_int_equal(bt_date_line("", 0, &d), 0);
    assert_int_equal(bt_date_line(NULL, 0, &d), 0);
    /* bytes that are not UTF-8 around a date */
    const char *s = "\xff\xfe\xc3 12/07/2023 \x80\xe1\xbb";
    assert_int_equal(bt_date_find(s, strlen(s), &d), 1);
    assert_int_equal(d.start, 4);
    assert_int_equal(d.end, 14);
    assert_int_equal(bt_date_line(s, strlen(s), &d), 0);
    /* a NUL inside the span given is just a byte */
    const char with_nul[] = "12/07/2023\0 13:01";
    assert_int_equal(bt_date_find(with_nul, sizeof with_nul - 1, &d), 1);
    assert_int_equal(d.has_time, 0);
    /* the length is respected: nothing is read past it */
    assert_int_equal(bt_date_find("12/07/2023", 9, &d), 0);
    assert_int_equal(bt_date_find("12/07/2023 13:01", 15, &d), 1);
    assert_int_equal(d.has_time, 0);
}

/* Random strings made of date-like pieces: whatever is found lies
 * inside the text and is a real date. */
static void test_random_input(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "12", "07", "2023", "/", "-", ".", ":", " ", "T", "Z", "+", "07:00",
        "GMT", "(", ")", "SA", "CH", "PM", "h", "30", "Thứ", "tư", ",",
        "tháng", "năm", "Ngày", "\xcc\x81", "\xff", "\xe1\xbb", "20201101",
        "31", "02", "1899", "|", "lúc", "99999999999999", "\xc2\xa0", "5"};
    unsigned long seed = 12345;
    char buf[256];
    bt_date d;
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        int npieces = (int)((seed >> 33) % 24);
        for (int p = 0; p < npieces; p++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            const char *piece = pieces[(seed >> 33) %
                                       (sizeof pieces / sizeof pieces[0])];
            size_t pl = strlen(piece);
            if (len + pl > sizeof buf)
                break;
            memcpy(buf + len, piece, pl);
            len += pl;
        }
        /* a copy exactly len long, so ASan sees any read past it */
        char *copy = malloc(len ? len : 1);
        assert_non_null(copy);
        memcpy(copy, buf, len);
        int found = bt_date_find(copy, len, &d);
        if (found) {
            assert_true(d.start < d.end && d.end <= len);
            assert_true(d.year >= 1900 && d.year <= 2100);
            assert_true(d.month >= 1 && d.month <= 12);
            assert_true(d.day >= 1 && d.day <= 31);
            assert_true(d.hour >= 0 && d.hour <= 23);
            assert_true(d.minute >= 0 && d.minute <= 59);
            char when[32];
            bt_date_format_when(&d, "+07:00", when);
            bt_date back;
            assert_int_equal(bt_when_parse(when, &back), 0);
            assert_int_equal(bt_date_days(&back), bt_date_days(&d));
        }
        if (bt_date_line(copy, len, &d))
            assert_true(found);
        free(copy);
    }
}

static void test_tz_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"+07:00", "+07:00"}, {"+0700", "+07:00"}, {"+7", "+07:00"},
        {"+07", "+07:00"},    {"-05:30", "-05:30"}, {"-0530", "-05:30"},
        {"Z", "+00:00"},      {"z", "+00:00"},      {"UTC", "+00:00"},
        {"utc", "+00:00"},    {"GMT", "+00:00"},    {"GMT+7", "+07:00"},
        {"UTC+07:00", "+07:00"}, {"GMT-3", "-03:00"}, {"+14:00", "+14:00"},
        {"-00:00", "+00:00"}, {"+5:45", "+05:45"},
    };
    static const char *const bad[] = {
        "", "7", "07:00", "+", "+15", "+07:60", "+14:30", "+070", "+07000",
        "+07:0", "+07:000", "GMT+", "UTC 7", "ICT7", "+7h", "Asia/Ho_Chi_Minh",
        " +07:00", "+07:00 ", "++7", "+-7", "\xff",
    };
    char out[7];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (bt_tz_parse(ok[i].in, out) != 0 || strcmp(out, ok[i].out))
            fail_msg("tz \"%s\": got \"%s\", want %s", ok[i].in, out,
                     ok[i].out);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (bt_tz_parse(bad[i], out) != -1 || out[0])
            fail_msg("tz \"%s\" accepted as \"%s\"", bad[i], out);
    }
    assert_int_equal(bt_tz_parse(NULL, out), -1);
}

static void expect_user(const char *s, long long now, const char *tz,
                        const char *want)
{
    bt_date d;
    char got[32] = "error";
    if (bt_date_parse_user(s, now, tz, &d) == 0)
        bt_date_format_when(&d, "+07:00", got);
    if (strcmp(got, want))
        fail_msg("user date \"%s\": got %s, want %s", s, got, want);
}

static void test_user_dates(void **state)
{
    (void)state;
    /* 2023-07-12T06:01:00Z = 13:01 in Hà Nội */
    const long long now = 1689141660;
    expect_user("today", now, NULL, "2023-07-12");
    expect_user("TODAY", now, "+07:00", "2023-07-12");
    expect_user("yesterday", now, "+07:00", "2023-07-11");
    expect_user("hôm qua", now, "+07:00", "2023-07-11");
    expect_user("Hôm nay", now, "+07:00", "2023-07-12");
    expect_user("7d", now, "+07:00", "2023-07-05");
    expect_user("0d", now, "+07:00", "2023-07-12");
    expect_user("12d", now, "+07:00", "2023-06-30");
    expect_user("2w", now, "+07:00", "2023-06-28");
    expect_user("400d", now, "+07:00", "2022-06-07");
    /* 18:30 UTC is already tomorrow in Hà Nội, still today in New York */
    const long long late = 1689186600; /* 2023-07-12T18:30:00Z */
    expect_user("today", late, "+07:00", "2023-07-13");
    expect_user("today", late, "-05:00", "2023-07-12");
    expect_user("today", late, "Z", "2023-07-12");
    /* before 1970 the day still rounds down */
    expect_user("today", -1, "Z", "1969-12-31");
    expect_user("2023-07-12", now, NULL, "2023-07-12");
    expect_user(" 2023-07-12 ", now, NULL, "2023-07-12");
    expect_user("12/07/2023", now, NULL, "2023-07-12");
    expect_user("12/7/2023", now, NULL, "2023-07-12");
    expect_user("20230712", now, NULL, "2023-07-12");
    expect_user("2023-07-12T13:01:00+07:00", now, NULL,
                "2023-07-12T13:01:00+07:00");
    expect_user("", now, NULL, "error");
    expect_user("7", now, NULL, "error");
    expect_user("d", now, NULL, "error");
    expect_user("-7d", now, NULL, "error");
    expect_user("7 d", now, NULL, "error");
    expect_user("7days", now, NULL, "error");
    expect_user("tomorrow", now, NULL, "error");
    expect_user("31/02/2023", now, NULL, "error");
    expect_user("12/07/2023 and more", now, NULL, "error");
    expect_user("the 12/07/2023", now, NULL, "error");
    expect_user("2023-07", now, NULL, "error");
    expect_user("today", now, "nowhere", "error");
    expect_user("99999d", now, NULL, "error");
    bt_date d;
    assert_int_equal(bt_date_parse_user(NULL, now, NULL, &d), -1);
}

static void test_days(void **state)
{
    (void)state;
    static const struct {
        int year, month, day, days;
    } cases[] = {
        {1970, 1, 1, 0},        {1969, 12, 31, -1},    {2000, 3, 1, 11017},
        {2023, 7, 12, 19550},   {1900, 1, 1, -25567},  {2100, 12, 31, 47846},
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        bt_date d = {0};
        d.year = cases[i].year, d.month = cases[i].month, d.day = cases[i].day;
        if (bt_date_days(&d) != cases[i].days)
            fail_msg("%d-%d-%d: day %lld, want %d", d.year, d.month, d.day,
                     (long long)bt_date_days(&d), cases[i].days);
    }
    /* the time does not count */
    bt_date d = {0};
    d.year = 2023, d.month = 7, d.day = 12, d.hour = 23, d.has_time = 1;
    assert_int_equal(bt_date_days(&d), 19550);
}

static void test_when_parse(void **state)
{
    (void)state;
    static const char *const round_trip[] = {
        "2023-07-12", "2023-07-12T13:01:00+07:00", "1900-01-01",
        "2100-12-31T23:59:59-05:30", "2024-02-29T00:00:00+00:00",
    };
    bt_date d;
    char out[32];
    for (size_t i = 0; i < sizeof round_trip / sizeof round_trip[0]; i++) {
        if (bt_when_parse(round_trip[i], &d) != 0)
            fail_msg("when \"%s\" rejected", round_trip[i]);
        bt_date_format_when(&d, "+09:00", out);
        assert_string_equal(out, round_trip[i]);
    }
    assert_int_equal(bt_when_parse("2023-07-12T13:01Z", &d), 0);
    assert_int_equal(d.hour, 13);
    assert_string_equal(d.tz, "+00:00");
    assert_int_equal(bt_when_parse("2023-07-12T13:01:00.5", &d), 0);
    assert_string_equal(d.tz, "");
    static const char *const bad[] = {
        "", "2023", "2023-7-12", "2023-07-12T", "2023-07-12T25:00:00+07:00",
        "2023-02-30", "12/07/2023", "2023-07-12T13:01:00+07", "1899-12-31",
        "2023-07-12 junk", "2023-07-12T13:01:00+07:00x", "2023-07-12T13",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (bt_when_parse(bad[i], &d) != -1)
            fail_msg("when \"%s\" accepted", bad[i]);
    }
    assert_int_equal(bt_when_parse(NULL, &d), -1);
}

/* Every dantri header "# date = YYYYMMDD" is a dateline with that date,
 * and no line of the corpus upsets the parser. */
static void test_corpus(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", unit_corpus("vi-text/dantri-unc"));
    DIR *dh = opendir(dir);
    if (!dh)
        skip();
    int files = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (!strstr(e->d_name, ".txt"))
            continue;
        char file[sizeof dir + 256];
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        FILE *f = fopen(file, "rb");
        assert_non_null(f);
        char line[65536];
        int saw_date = 0;
        while (fgets(line, sizeof line, f)) {
            size_t n = strcspn(line, "\n");
            bt_date d;
            int is_line = bt_date_line(line, n, &d);
            if (!strncmp(line, "# date = ", 9)) {
                char want[16];
                snprintf(want, sizeof want, "%.4s-%.2s-%.2s", line + 9,
                         line + 13, line + 15);
                char got[32] = "no";
                if (is_line)
                    bt_date_format_when(&d, NULL, got);
                if (strcmp(got, want))
                    fail_msg("%s: header dateline %s, want %s", e->d_name,
                             got, want);
                saw_date = 1;
            } else if (bt_date_find(line, n, &d)) {
                assert_true(d.end <= n);
            }
        }
        fclose(f);
        assert_true(saw_date);
        files++;
    }
    closedir(dh);
    assert_true(files > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_formats),
        cmocka_unit_test(test_leading_zeros),
        cmocka_unit_test(test_am_pm),
        cmocka_unit_test(test_impossible_dates),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_zone_in_text),
        cmocka_unit_test(test_no_time_is_date_only),
        cmocka_unit_test(test_weekday_datelines),
        cmocka_unit_test(test_datelines),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_tz_parse),
        cmocka_unit_test(test_user_dates),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_when_parse),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
