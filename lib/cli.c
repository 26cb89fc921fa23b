/* What every tool does the same way: messages, version, progress, walking
 * directories. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *prog_name = "bantin";
static int progress_visible; /* a progress line is on the terminal now */

void bt_cli_init(const char *prog)
{
    const char *slash = strrchr(prog, '/');
    prog_name = slash ? slash + 1 : prog;
}

const char *bt_cli_prog(void)
{
    return prog_name;
}

void bt_warn(const char *fmt, ...)
{
    va_list ap;
    if (progress_visible) { /* the message gets a line of its own */
        fputs("\r\033[K", stderr);
        progress_visible = 0;
    }
    fprintf(stderr, "%s: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void bt_print_version(void)
{
    printf("%s (bantin) %s\narticle format version %s\n", prog_name, BT_VERSION,
           BT_FORMAT_VERSION);
}

struct bt_progress {
    const char *what;
    size_t total;
    int shown;
    struct timespec last;
};

bt_progress *bt_progress_new(const char *what, size_t total, int quiet)
{
    if (quiet || !isatty(2))
        return NULL; /* silent: every call below accepts NULL */
    bt_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->what = what;
    p->total = total;
    return p;
}

void bt_progress_step(bt_progress *p, size_t done)
{
    if (!p)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000;
    if (p->shown && progress_visible && ms < 100 && done != p->total)
        return; /* redraw at most ten times a second */
    p->last = now;
    p->shown = 1;
    progress_visible = 1;
    enum { WIDTH = 30 };
    if (p->total) {
        size_t filled = done >= p->total ? WIDTH : done * WIDTH / p->total;
        char bar[WIDTH + 1];
        memset(bar, '#', filled);
        memset(bar + filled, '.', WIDTH - filled);
        bar[WIDTH] = '\0';
        fprintf(stderr, "\r%s: [%s] %zu/%zu %s", prog_name, bar, done, p->total, p->what);
    } else {
        fprintf(stderr, "\r%s: %zu %s", prog_name, done, p->what);
    }
    fflush(stderr);
}

void bt_progress_done(bt_progress *p)
{
    if (!p)
        return;
    if (progress_visible)
        fputs("\r\033[K", stderr);
    progress_visible = 0;
    free(p);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, so that output order does not depend on the file system. */
int bt_walk_dir(const char *dir, int (*fn)(const char *path, void *ctx), void *ctx,
                bt_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        bt_error_set(err, "%s: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *s = bt_strdup(e->d_name);
        if (!s || bt_grow_array((void **)&names, &cap, n + 1, sizeof *names) < 0) {
            free(s);
            bt_error_set(err, "out of memory");
            rc = -1;
            break;
        }
        names[n++] = s;
    }
    closedir(d);
    if (!rc)
        qsort(names, n, sizeof *names, name_cmp);
    bt_buf path = BT_BUF_INIT;
    for (size_t i = 0; i < n && !rc; i++) {
        bt_buf_reset(&path);
        size_t dl = strlen(dir);
        if (bt_buf_add(&path, dir, dl) < 0 ||
            ((dl == 0 || dir[dl - 1] != '/') && bt_buf_addc(&path, '/') < 0) ||
            bt_buf_adds(&path, names[i]) < 0) {
            bt_error_set(err, "out of memory");
            rc = -1;
            break;
        }
        struct stat st;
        if (lstat(path.data, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = bt_walk_dir(path.data, fn, ctx, err);
        else if (S_ISREG(st.st_mode))
            rc = fn(path.data, ctx);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    bt_buf_free(&path);
    return rc;
}
