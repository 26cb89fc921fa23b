/* Safe output files, reading files, directory walks, streaming memory. */
#include "unit.h"
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/bt-outfile-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static size_t count_entries(const char *d)
{
    size_t n = 0;
    DIR *h = opendir(d);
    struct dirent *e;
    while (h && (e = readdir(h)))
        n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, ".."));
    if (h)
        closedir(h);
    return n;
}

static void test_commit_and_abort(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/out.xml", dir);
    bt_error err = BT_ERROR_INIT;
    fe_out *o = fe_out_open(path, 0, &err);
    assert_non_null(o);
    fputs("first", fe_out_stream(o));
    /* nothing at the target until the commit */
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(fe_out_commit(o, &err), 0);
    bt_buf b = BT_BUF_INIT;
    assert_int_equal(bt_read_file(path, 1 << 20, &b, &err), 0);
    assert_string_equal(b.data, "first");

    /* an aborted run leaves the old file and no temporary behind */
    o = fe_out_open(path, 0, &err);
    fputs("second, half", fe_out_stream(o));
    fe_out_abort(o);
    bt_buf_reset(&b);
    assert_int_equal(bt_read_file(path, 1 << 20, &b, &err), 0);
    assert_string_equal(b.data, "first");
    assert_int_equal(count_entries(dir), 1);
    bt_buf_free(&b);

    assert_null(fe_out_open("/nonexistent-dir/x.xml", 0, &err));
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.xml"));
}

static void test_read_file_limits(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/big", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < 3000; i++)
        fputs("0123456789", f);
    fclose(f);
    bt_buf b = BT_BUF_INIT;
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(bt_read_file(path, 1000, &b, &err), -1);
    assert_non_null(strstr(err.msg, "larger than"));
    bt_buf_reset(&b);
    assert_int_equal(bt_read_file(path, 1 << 20, &b, &err), 0);
    assert_int_equal(b.len, 30000);
    assert_int_equal(bt_read_file(dir, 1 << 20, &b, &err), -1);
    assert_non_null(strstr(err.msg, "is a directory"));
    assert_int_equal(bt_read_file("/nonexistent", 10, &b, &err), -1);
    bt_buf_free(&b);
}

static int collect(const char *path, void *ctx)
{
    bt_buf *b = ctx;
    const char *base = strrchr(path, '/');
    bt_buf_adds(b, base ? base + 1 : path);
    bt_buf_addc(b, ',');
    return 0;
}

static void test_walk_sorted(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/tree/b", dir);
    bt_error err = BT_ERROR_INIT;
    assert_int_equal(fe_mkdir_p(path, &err), 0);
    const char *files[] = {"tree/z.txt", "tree/a.txt", "tree/b/m.txt"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "w");
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/tree", dir);
    bt_buf b = BT_BUF_INIT;
    fe_walk_opts o = {0};
    assert_int_equal(fe_walk(path, &o, collect, &b, &err), 0);
    assert_string_equal(b.data, "a.txt,m.txt,z.txt,");
    assert_int_equal(o.links_skipped, 0);
    /* a link to a file and one back up the tree: counted, or followed */
    char target[256];
    snprintf(target, sizeof target, "%s/tree/a.txt", dir);
    snprintf(path, sizeof path, "%s/tree/b/l.txt", dir);
    assert_int_equal(symlink(target, path), 0);
    snprintf(target, sizeof target, "%s/tree", dir);
    snprintf(path, sizeof path, "%s/tree/b/up", dir);
    assert_int_equal(symlink(target, path), 0);
    snprintf(path, sizeof path, "%s/tree", dir);
    bt_buf_reset(&b);
    assert_int_equal(fe_walk(path, &o, collect, &b, &err), 0);
    assert_string_equal(b.data, "a.txt,m.txt,z.txt,");
    assert_int_equal(o.links_skipped, 2);
    fe_walk_opts follow = {1, 0};
    bt_buf_reset(&b);
    assert_int_equal(fe_walk(path, &follow, collect, &b, &err), 0);
    assert_string_equal(b.data, "a.txt,l.txt,m.txt,z.txt,"); /* up: a loop, not walked */
    assert_int_equal(follow.links_skipped, 0);
    bt_buf_free(&b);
    assert_int_equal(fe_walk("/nonexistent", &o, collect, &b, &err), -1);
}

/* Reading 50,000 articles must not grow memory with their number. */
static void test_reader_streams(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan keeps freed memory in quarantine: RSS says nothing */
#else
    char path[256];
    snprintf(path, sizeof path, "%s/many.xml", dir);
    FILE *f = fopen(path, "w");
    fputs("<articles version=\"1\">\n", f);
    for (int i = 0; i < 50000; i++)
        fprintf(f, "<article><title>Bài số %d về Quận ủy</title><body><p>Đoạn văn %d "
                   "có nội dung dài vừa phải để chiếm chỗ trong bộ nhớ.</p></body></article>\n",
                i, i);
    fputs("</articles>\n", f);
    fclose(f);
    struct rusage before, after;
    bt_error err = BT_ERROR_INIT;
    bt_reader *r = bt_reader_open_file(path, &err);
    assert_non_null(r);
    bt_article a;
    bt_article_init(&a);
    /* warm up, then measure the growth over the rest */
    for (int i = 0; i < 100; i++)
        assert_int_equal(bt_reader_next(r, &a, &err), 1);
    getrusage(RUSAGE_SELF, &before);
    int n = 100;
    while (bt_reader_next(r, &a, &err) == 1)
        n++;
    getrusage(RUSAGE_SELF, &after);
    assert_int_equal(n, 50000);
    bt_article_free(&a);
    bt_reader_close(r);
    /* the file is ~9 MB: a DOM of it would be several times that */
    assert_true(after.ru_maxrss - before.ru_maxrss < 4096);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_and_abort),
        cmocka_unit_test(test_read_file_limits),
        cmocka_unit_test(test_walk_sorted),
        cmocka_unit_test(test_reader_streams),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
