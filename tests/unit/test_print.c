/* What both printers share: paper and margins, dates as people read them,
 * choosing what to print (order, duplicates, sections), figure paths. */
#include "unit.h"

#include <math.h>

#define MM (72.0 / 25.4)

static void test_paper(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    double w, h;
    static const struct { const char *name; double w, h; } ok[] = {
        {"A4", 210, 297}, {"a3", 297, 420}, {"A5", 148, 210}, {"B5", 176, 250},
        {"letter", 215.9, 279.4}, {"Legal", 215.9, 355.6}, {"210x297mm", 210, 297},
        {"148x210", 148, 210}, {"8.5x11in", 215.9, 279.4}, {"21cmx29.7cm", 210, 297},
        {"100mmX4in", 100, 101.6}, {"612x792pt", 215.9, 279.4},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(bt_paper_parse(ok[i].name, &w, &h, &err), 0);
        assert_true(fabs(w - ok[i].w * MM) < 0.01 && fabs(h - ok[i].h * MM) < 0.01);
    }
    static const char *const bad[] = {"B3", "", "210x", "x297", "-210x297", "210x297furlongs",
                                      "10x10mm", "3000x3000mm", "nanxinf", "210 x 297 x 3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(bt_paper_parse(bad[i], &w, &h, &err), -1);
    assert_int_equal(err.code, BT_ERR_USAGE);
    assert_int_equal(bt_paper_parse("10x10mm", &w, &h, &err), -1);
    assert_non_null(strstr(err.msg, "out of range"));
}

static void test_margins(void **state)
{
    (void)state;
    bt_error err = BT_ERROR_INIT;
    double m[4];
    assert_int_equal(bt_margins_parse("20mm", m, &err), 0);
    for (int i = 0; i < 4; i++)
        assert_true(fabs(m[i] - 20 * MM) < 0.01);
    assert_int_equal(bt_margins_parse("20,15,20,30mm", m, &err), 0);
    assert_true(fabs(m[0] - 20 * MM) < 0.01 && fabs(m[1] - 15 * MM) < 0.01 &&
                fabs(m[2] - 20 * MM) < 0.01 && fabs(m[3] - 30 * MM) < 0.01);
    assert_int_equal(bt_margins_parse("2cm, 1in ,54pt,30", m, &err), 0);
    assert_true(fabs(m[0] - 20 * MM) < 0.01 && fabs(m[1] - 72) < 0.01 &&
                fabs(m[2] - 54) < 0.01 && fabs(m[3] - 30 * MM) < 0.01);
    assert_int_equal(bt_margins_parse("1,1,1,1in", m, &err), 0); /* the unit for all */
    assert_true(fabs(m[0] - 72) < 0.01 && fabs(m[3] - 72) < 0.01);
    static const char *const bad[] = {"400mm", "20,15,20", "20,15,20,30,5", "-3mm", "",
                                      "3 furlongs", "20,,20,20", "inf", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(bt_margins_parse(bad[i], m, &err), -1);
    assert_int_equal(bt_margins_parse("400mm", m, &err), -1);
    assert_non_null(strstr(err.msg, "out of range (0 to 100 mm)"));
    double a4w = 210 * MM, a4h = 297 * MM;
    assert_int_equal(bt_margins_parse("20,15,20,30mm", m, &err), 0);
    assert_int_equal(bt_page_check(a4w, a4h, m, &err), 0);
    assert_int_equal(bt_margins_parse("100,20,100,20mm", m, &err), 0);
    assert_int_equal(bt_page_check(a4w, a4h, m, &err), 0); /* 97 mm of height */
    assert_int_equal(bt_page_check(148 * MM, 210 * MM, m, &err), -1); /* A5: 10 mm */
    assert_int_equal(bt_margins_parse("20,100,20,80mm", m, &err), 0);
    assert_int_equal(bt_page_check(a4w, a4h, m, &err), -1); /* 30 mm of width */
    double pt;
    assert_int_equal(bt_length_parse("1in", &pt, &err), 0);
    assert_true(fabs(pt - 72) < 0.01);
    assert_int_equal(bt_length_parse("12", &pt, &err), 0);
    assert_true(fabs(pt - 12 * MM) < 0.01);
    assert_int_equal(bt_length_parse("12 parsecs", &pt, &err), -1);
}

static void human(const char *text, const char *when, const char *lang, const char *want)
{
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_date_human(text, when, lang, &b), 0);
    assert_string_equal(b.data, want);
    bt_buf_free(&b);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(bt_date_is_machine("2022-12-24T19:25:22+07:00"));
    assert_true(bt_date_is_machine("2023-07-12"));
    assert_true(bt_date_is_machine("20210411"));
    assert_true(bt_date_is_machine(" 20210411093000 "));
    assert_true(bt_date_is_machine("2023/07/12"));
    assert_false(bt_date_is_machine("12/07/2023 - 01:01 PM"));
    assert_false(bt_date_is_machine("Thứ tư, 12/7/2023, 13:01 (GMT+7)"));
    assert_false(bt_date_is_machine("2023"));
    assert_false(bt_date_is_machine("2023-07-12 lúc 13:01"));
    assert_false(bt_date_is_machine(""));
    assert_false(bt_date_is_machine(NULL));

    human("2022-12-24T19:25:22+07:00", "2022-12-24T19:25:22+07:00", "vi",
          "Thứ bảy, 24/12/2022, 19:25");
    human("20210411", "2021-04-11", "vi", "Chủ nhật, 11/04/2021");
    human("20210411", NULL, "vi", "Chủ nhật, 11/04/2021"); /* from the text */
    human("202104110930", NULL, NULL, "Chủ nhật, 11/04/2021, 09:30");
    human("12/07/2023 - 01:01 PM", "2023-07-12T13:01:00+07:00", "vi",
          "12/07/2023 - 01:01 PM"); /* human already: kept */
    human(NULL, "2023-07-12T13:01:00+07:00", "vi", "Thứ tư, 12/07/2023, 13:01");
    human("2023-07-12T13:01:00Z", NULL, "en", "Wednesday, 12 July 2023, 13:01");
    human("2024-02-29", NULL, "en-GB", "Thursday, 29 February 2024");
    human("1970-01-01", NULL, "vi", "Thứ năm, 01/01/1970");
    human("2100-12-31", NULL, "vi", "Thứ sáu, 31/12/2100");
    human("2023-02-30", NULL, "vi", "2023-02-30"); /* no such day: as printed */
    human(NULL, NULL, "vi", "");
    human("", "", "vi", "");

    bt_date d;
    assert_int_equal(bt_when_parse("2023-07-14", &d), 0);
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_date_long(&d, "vi", &b), 0);
    assert_string_equal(b.data, "Thứ sáu, ngày 14 tháng 7 năm 2023");
    bt_buf_reset(&b);
    assert_int_equal(bt_date_long(&d, "en", &b), 0);
    assert_string_equal(b.data, "Friday, 14 July 2023");
    bt_buf_free(&b);

    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_lang_check("vi", &err), 0);
    assert_int_equal(bt_lang_check("vi-VN", &err), 0);
    assert_int_equal(bt_lang_check("EN_gb", &err), 0);
    assert_int_equal(bt_lang_check("xx", &err), -1);
    assert_non_null(strstr(err.msg, "unknown language 'xx' (vi, en or fr)"));
    assert_int_equal(bt_lang_check("vie", &err), -1);
    assert_int_equal(bt_lang_check("en-G B", &err), -1);
    assert_int_equal(bt_lang_check("", &err), -1);
    assert_string_equal(bt_lang_code("en-US"), "en");
    assert_string_equal(bt_lang_code(NULL), "vi");
}

static void article(bt_article *a, const char *title, const char *when, const char *section,
                    const char *lead)
{
    bt_article_init(a);
    assert_int_equal(bt_text_set_plain(&a->title, title), 0);
    a->date_when = bt_strdup(when);
    a->section = bt_strdup(section);
    assert_int_equal(bt_article_add_para(a, BT_BLOCK_P, lead), 0);
    assert_int_equal(bt_article_add_para(a, BT_BLOCK_P, title), 0); /* differs per story */
}

/* The titles of a selection, in order, "|"-separated, with "[SECTION]"
 * where a group starts. */
static void order(bt_select *s, const char *want)
{
    bt_buf got = BT_BUF_INIT;
    bt_error err = BT_ERROR_INIT;
    const char *prev = NULL;
    for (size_t k = 0; k < bt_select_count(s); k++) {
        bt_article a;
        bt_article_init(&a);
        assert_int_equal(bt_select_get(s, k, &a, &err), 0);
        const char *sec = bt_select_section(s, k);
        if (k == 0 || sec != prev)
            assert_int_equal(bt_buf_addf(&got, "[%s]", sec ? sec : "-"), 0);
        prev = sec;
        char *t = bt_article_title_plain(&a);
        assert_int_equal(bt_buf_addf(&got, "%s|", t), 0);
        free(t);
        bt_article_free(&a);
    }
    assert_string_equal(got.data, want);
    bt_buf_free(&got);
}

static bt_select *fill(bt_sort sort, int keep, int group, int *kept)
{
    bt_select_opts o = {sort, keep, group, 0};
    bt_error err = BT_ERROR_INIT;
    bt_select *s = bt_select_new(&o, &err);
    assert_non_null(s);
    bt_article a[6];
    article(&a[0], "C", "2023-07-12T10:00:00+07:00", "Thời sự", "Lead C.");
    article(&a[1], "A", "2023-07-10", "Kinh tế", "Sáng nay, quận họp bàn.");
    article(&a[2], "D", "2023-07-12T04:00:00Z", "thời  sự", "Lead D."); /* 11:00 +07 */
    article(&a[3], "B", NULL, NULL, "Lead B.");
    /* A's copy: the same story with other case, spaces, punctuation, tone marks. */
    article(&a[4], "a", "2023-07-10", "Kinh tế", "SÁNG NAY quận   họp bàn!");
    bt_text_free(&a[4].blocks[1].text);
    assert_int_equal(bt_text_set_plain(&a[4].blocks[1].text, "another second paragraph"), 0);
    article(&a[5], "E", "2023-07-14T08:00:00+07:00", "Kinh tế", "Lead E.");
    *kept = 0;
    for (int i = 0; i < 6; i++) {
        int rc = bt_select_add(s, &a[i], &err);
        assert_true(rc == 0 || rc == 1);
        *kept += rc;
        bt_article_free(&a[i]);
    }
    assert_int_equal(bt_select_finish(s, &err), 0);
    return s;
}

static void test_select(void **state)
{
    (void)state;
    int kept;
    bt_select *s = fill(BT_SORT_NEWEST, 0, 0, &kept);
    assert_int_equal(kept, 5);
    assert_int_equal(bt_select_count(s), 5);
    assert_int_equal(bt_select_dropped(s), 1);
    order(s, "[-]E|D|C|A|B|"); /* D (11:00) after E, before C (10:00); undated last */
    order(s, "[-]E|D|C|A|B|"); /* read again: the same */
    bt_select_free(s);
    s = fill(BT_SORT_OLDEST, 0, 0, &kept);
    order(s, "[-]A|C|D|E|B|");
    bt_select_free(s);
    s = fill(BT_SORT_INPUT, 1, 0, &kept);
    assert_int_equal(kept, 6);
    bt_select_free(s); /* not stored: nothing to get */
    bt_select_opts o = {BT_SORT_INPUT, 1, 0, 1};
    bt_error err = BT_ERROR_INIT;
    s = bt_select_new(&o, &err);
    bt_article a;
    article(&a, "Một", "2023-07-12", NULL, "x");
    assert_int_equal(bt_select_add(s, &a, &err), 1);
    assert_int_equal(bt_select_add(s, &a, &err), 1); /* kept: keep_duplicates */
    bt_article_free(&a);
    assert_int_equal(bt_select_finish(s, &err), 0);
    order(s, "[-]Một|Một|");
    assert_int_equal(bt_select_get(s, 2, &a, &err), -1);
    bt_select_free(s);
    s = fill(BT_SORT_NEWEST, 0, 1, &kept);
    order(s, "[Kinh tế]E|A|[Thời sự]D|C|[-]B|");
    bt_select_free(s);
    s = fill(BT_SORT_INPUT, 0, 1, &kept);
    order(s, "[Thời sự]C|D|[Kinh tế]A|E|[-]B|");
    bt_select_free(s);

    /* The same id is a duplicate, whatever the text. */
    o = (bt_select_opts){BT_SORT_INPUT, 0, 0, 0};
    s = bt_select_new(&o, &err);
    article(&a, "Một", NULL, NULL, "x");
    memcpy(a.id, "0123456789abcdef", 17);
    assert_int_equal(bt_select_add(s, &a, &err), 1);
    bt_text_free(&a.title);
    assert_int_equal(bt_text_set_plain(&a.title, "Khác hẳn"), 0);
    assert_int_equal(bt_select_add(s, &a, &err), 0);
    memcpy(a.id, "fedcba9876543210", 17);
    assert_int_equal(bt_select_add(s, &a, &err), 1);
    bt_article_free(&a);
    assert_int_equal(bt_select_count(s), 2);
    bt_select_free(s);

    bt_sort so;
    assert_int_equal(bt_sort_parse("date", &so, &err), 0);
    assert_int_equal(so, BT_SORT_NEWEST);
    assert_int_equal(bt_sort_parse("oldest", &so, &err), 0);
    assert_int_equal(so, BT_SORT_OLDEST);
    assert_int_equal(bt_sort_parse("size", &so, &err), -1);
}

/* Many articles: the selection holds keys, not articles. */
static void test_select_many(void **state)
{
    (void)state;
    bt_select_opts o = {BT_SORT_OLDEST, 0, 0, 1};
    bt_error err = BT_ERROR_INIT;
    bt_select *s = bt_select_new(&o, &err);
    assert_non_null(s);
    enum { N = 3000 };
    for (int i = 0; i < N; i++) {
        bt_article a;
        char title[32], when[32];
        snprintf(title, sizeof title, "Bài %04d", i);
        snprintf(when, sizeof when, "2023-%02d-%02dT12:00:00+07:00", 1 + (i * 7) % 12,
                 1 + (i * 13) % 28);
        article(&a, title, when, NULL, title);
        assert_int_equal(bt_select_add(s, &a, &err), 1);
        bt_article_free(&a);
    }
    assert_int_equal(bt_select_finish(s, &err), 0);
    assert_int_equal(bt_select_count(s), N);
    char prev[32] = "";
    for (size_t k = 0; k < N; k += 97) {
        bt_article a;
        bt_article_init(&a);
        assert_int_equal(bt_select_get(s, k, &a, &err), 0);
        assert_true(strcmp(a.date_when, prev) >= 0);
        snprintf(prev, sizeof prev, "%s", a.date_when);
        bt_article_free(&a);
    }
    bt_select_free(s);
}

static void test_figures(void **state)
{
    (void)state;
    bt_article a;
    bt_article_init(&a);
    static const char *const src[] = {"images/a.jpg", "/abs/b.png", "https://x.org/c.jpg",
                                      "data:image/png;base64,AA", "//cdn.x.org/d.jpg",
                                      "file:///tmp/e.jpg", "C:f.jpg", "../g.jpg"};
    static const char *const want[] = {"archive/week/images/a.jpg", "/abs/b.png",
                                       "https://x.org/c.jpg", "data:image/png;base64,AA",
                                       "//cdn.x.org/d.jpg", "/tmp/e.jpg",
                                       "archive/week/C:f.jpg", "archive/week/../g.jpg"};
    for (size_t i = 0; i < sizeof src / sizeof src[0]; i++) {
        bt_block *b = bt_article_add_block(&a, BT_BLOCK_FIGURE);
        assert_non_null(b);
        b->src = bt_strdup(src[i]);
    }
    bt_article_add_block(&a, BT_BLOCK_FIGURE); /* no src */
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_article_resolve_figures(&a, "archive/week", &err), 0);
    for (size_t i = 0; i < sizeof src / sizeof src[0]; i++)
        assert_string_equal(a.blocks[i].src, want[i]);
    assert_null(a.blocks[sizeof src / sizeof src[0]].src);
    assert_true(bt_src_is_remote("HTTPS://x"));
    assert_false(bt_src_is_remote("a:b.jpg"));
    assert_false(bt_src_is_remote("file:x.jpg"));
    bt_article_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper),       cmocka_unit_test(test_margins),
        cmocka_unit_test(test_dates),       cmocka_unit_test(test_select),
        cmocka_unit_test(test_select_many), cmocka_unit_test(test_figures),
    };
    return cmocka_run_group_tests_name("print", tests, NULL, NULL);
}
