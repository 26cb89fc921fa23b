/* The whole-file mapping under newsgrep's splitter (lib/xml_map.c): every
 * byte reads as in the file, whether its page is ahead of the window,
 * in it or let go behind it; the pages resident stay a few windows. */
#include "unit.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml_int.h"

enum { MB = 1024 * 1024 };

/* The byte at offset k of the test files. */
static char byte_at(unsigned long long k)
{
    return (char)('a' + (k * 7 + k / 4093) % 26);
}

/* A temporary file of size bytes (unlinked; the descriptor keeps it). */
static int temp_file(unsigned long long size)
{
    char path[] = "/tmp/bantin-filemap-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    static char block[64 * 1024];
    for (unsigned long long at = 0; at < size; at += sizeof block) {
        size_t n = size - at < sizeof block ? (size_t)(size - at) : sizeof block;
        for (size_t j = 0; j < n; j++)
            block[j] = byte_at(at + j);
        assert_int_equal(write(fd, block, n), (ssize_t)n);
    }
    return fd;
}

/* The resident kB of the mapping that starts at p (/proc/self/smaps);
 * -1 when it cannot tell. */
static long resident_kb(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    long kb = -1;
    int in = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = lo == (unsigned long)p;
        else if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
            break;
    }
    fclose(f);
    return kb;
}

/* The resident kB of the mapping at p once it is at most bound kB, or
 * after 5 s: the helper lets pages go when it next runs. */
static long settled_kb(const void *p, long bound)
{
    long kb = resident_kb(p);
    for (int i = 0; i < 5000 && kb > bound; i++) {
        usleep(1000);
        kb = resident_kb(p);
    }
    return kb;
}

/* Reads through the file a 2 MB window at a time, as the splitter does,
 * checking bytes at, ahead of and behind the window; the most resident
 * (settled to bound kB). */
static long walk(int fd, unsigned long long size, int want_threaded, long bound)
{
    bt_filemap *m = bt_filemap_open(fd, size);
    assert_non_null(m);
    if (want_threaded >= 0)
        assert_int_equal(bt_filemap_threaded(m), want_threaded);
    const char *d = bt_filemap_data(m);
    long most = 0;
    for (unsigned long long keep = 0; keep < size; keep += 2 * MB) {
        unsigned long long end = keep + 2 * MB < size ? keep + 2 * MB : size;
        bt_filemap_advance(m, keep, end);
        for (unsigned long long k = keep; k < end; k += 997)
            if (d[k] != byte_at(k))
                fail_msg("byte %llu of %llu", k, size);
        assert_int_equal(d[end - 1], byte_at(end - 1));
        if (keep >= 3 * MB) /* let go: read again from the page cache */
            assert_int_equal(d[keep - 3 * MB + 5], byte_at(keep - 3 * MB + 5));
        long kb = settled_kb(d, bound);
        if (kb > most)
            most = kb;
    }
    assert_int_equal(d[0], byte_at(0));
    bt_filemap_close(m);
    return most;
}

static void small_file_without_helper(void **state)
{
    (void)state;
    int fd = temp_file(9 * MB + 123);
    long most = walk(fd, 9 * MB + 123, 0, 8 * 1024);
    close(fd);
    if (most >= 0)
        assert_true(most <= 8 * 1024);
}

static void big_file_with_helper(void **state)
{
    (void)state;
    unsigned long long size = 40ULL * MB + 4567;
    int fd = temp_file(size);
    cpu_set_t set;
    int several = sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1;
    long most = walk(fd, size, several, 12 * 1024);
    close(fd);
    /* a window, the pages ahead and the chunk behind: never the 40 MB */
    if (most >= 0)
        assert_true(most <= 12 * 1024);
}

/* Advancing only part of the way, then closing, stops the helper. */
static void close_midway(void **state)
{
    (void)state;
    unsigned long long size = 33ULL * MB;
    int fd = temp_file(size);
    bt_filemap *m = bt_filemap_open(fd, size);
    assert_non_null(m);
    bt_filemap_advance(m, 0, 2 * MB);
    assert_int_equal(bt_filemap_data(m)[MB], byte_at(MB));
    bt_filemap_close(m);
    /* nothing to map */
    assert_null(bt_filemap_open(fd, 0));
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_file_without_helper),
        cmocka_unit_test(big_file_with_helper),
        cmocka_unit_test(close_midway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
