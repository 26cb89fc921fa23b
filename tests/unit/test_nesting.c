/* The writer's inline markup is well formed whatever the spans hold:
 * thousands of generated nestings of em, strong and a, each checked by
 * xmllint --relaxng (an independent reader) and read back unchanged. */
#include "unit.h"

#include <stdio.h>
#include <unistd.h>

enum { ARTICLES = 4000, MAX_SPANS = 9 };

static const char *const HREFS[] = {NULL, "https://a.vn/1", "https://b.vn/?x=1&y=2", "h"};
static const char *const WORDS[] = {"a", "Quận", "uỷ", "x&y", "<b>", "Đống", "1", "ngày"};

static unsigned long long rng = 88172645463325252ull;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Random spans: every combination of styles and links, in any order. */
static void random_text(bt_text *t)
{
    unsigned n = 1 + next(MAX_SPANS);
    for (unsigned i = 0; i < n; i++) {
        const char *w = WORDS[next(sizeof WORDS / sizeof *WORDS)];
        unsigned style = next(4); /* none, em, strong, both */
        const char *href = HREFS[next(sizeof HREFS / sizeof *HREFS)];
        assert_int_equal(bt_text_add(t, w, strlen(w), style, href), 0);
    }
}

/* What a reader sees of a text: each byte with its look. */
static void flatten(const bt_text *t, bt_buf *out)
{
    for (size_t i = 0; i < t->nspans; i++) {
        const bt_span *s = &t->spans[i];
        for (const char *p = s->text; *p; p++)
            assert_int_equal(bt_buf_addf(out, "%c%u%s|", *p, s->style, s->href ? s->href : "-"), 0);
    }
}

/* Writes the articles into a file, has xmllint validate it and reads it
 * back, then frees the articles. */
static void write_and_check(bt_article *arts, size_t n)
{
    char path[] = "/tmp/bt-nesting-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    unit_write_articles(f, arts, n);
    assert_int_equal(fclose(f), 0);
    bt_error err = BT_ERROR_INIT;

    char cmd[512];
    snprintf(cmd, sizeof cmd, "xmllint --noout --relaxng lib/bantin.rng '%s' 2>/dev/null", path);
    assert_int_equal(system(cmd), 0);

    bt_reader *r = bt_reader_open_file(path, &err);
    assert_non_null(r);
    bt_article back;
    bt_article_init(&back);
    bt_buf want = BT_BUF_INIT, got = BT_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(bt_reader_next(r, &back, &err), 1);
        bt_buf_reset(&want);
        bt_buf_reset(&got);
        flatten(&arts[i].title, &want);
        flatten(&back.title, &got);
        assert_string_equal(got.data, want.data);
        bt_buf_reset(&want);
        bt_buf_reset(&got);
        flatten(&arts[i].blocks[0].text, &want);
        flatten(&back.blocks[0].text, &got);
        assert_string_equal(got.data, want.data);
        bt_article_free(&back);
    }
    assert_int_equal(bt_reader_next(r, &back, &err), 0);
    bt_reader_close(r);
    bt_buf_free(&want);
    bt_buf_free(&got);
    unlink(path);
    for (size_t i = 0; i < n; i++)
        bt_article_free(&arts[i]);
}

static void test_generated_nestings(void **state)
{
    (void)state;
    bt_article *arts = calloc(ARTICLES, sizeof *arts);
    assert_non_null(arts);
    for (size_t i = 0; i < ARTICLES; i++) {
        bt_article_init(&arts[i]);
        random_text(&arts[i].title);
        bt_block *b = bt_article_add_block(&arts[i], BT_BLOCK_P);
        assert_non_null(b);
        random_text(&b->text);
    }
    write_and_check(arts, ARTICLES);
    free(arts);
}

/* The shapes a fuzzing campaign and a public test suite found: a strong
 * or em span followed by a span with a link, and one em around several
 * links. */
static void test_found_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned style;
        const char *href;
    } shapes[][4] = {
        {{"bold ", BT_STYLE_STRONG, NULL}, {"link", BT_STYLE_STRONG | BT_STYLE_EM, "u"}},
        {{"it ", BT_STYLE_EM, NULL}, {"link", BT_STYLE_EM, "u"}, {" after", BT_STYLE_EM, NULL}},
        {{"The second half can be found here", BT_STYLE_EM, "u"}, {". More", BT_STYLE_EM, NULL}},
        {{"one", BT_STYLE_EM, "u"}, {" and ", BT_STYLE_EM, NULL}, {"two", BT_STYLE_EM, "v"},
         {" end", BT_STYLE_EM, NULL}},
        {{"x", BT_STYLE_EM, "u"}, {"y", BT_STYLE_STRONG, "u"}, {"z", BT_STYLE_EM, NULL}},
    };
    enum { N = sizeof shapes / sizeof shapes[0] };
    bt_article arts[N];
    for (size_t i = 0; i < N; i++) {
        bt_article_init(&arts[i]);
        bt_text_set_plain(&arts[i].title, "t");
        bt_block *b = bt_article_add_block(&arts[i], BT_BLOCK_P);
        assert_non_null(b);
        for (size_t k = 0; k < 4 && shapes[i][k].text; k++)
            assert_int_equal(bt_text_add(&b->text, shapes[i][k].text, strlen(shapes[i][k].text),
                                         shapes[i][k].style, shapes[i][k].href),
                             0);
    }
    write_and_check(arts, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found_shapes),
        cmocka_unit_test(test_generated_nestings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
