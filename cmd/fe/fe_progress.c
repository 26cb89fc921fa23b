/* A progress bar on stderr, for long runs watched from a terminal. */
#include "fe.h"
#include "fe_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int progress_visible; /* a progress line is on the terminal now */

struct fe_progress {
    const char *what;
    size_t total;
    int shown;
    struct timespec last;
};

void fe_progress_clear_line(void)
{
    if (progress_visible) {
        fputs("\r\033[K", stderr);
        progress_visible = 0;
    }
}

fe_progress *fe_progress_new(const char *what, size_t total, int quiet)
{
    if (quiet || !isatty(2))
        return NULL; /* silent: every call accepts NULL */
    fe_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL; /* a bar is not worth failing for */
    p->what = what;
    p->total = total;
    return p;
}

void fe_progress_step(fe_progress *p, size_t done)
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
        fprintf(stderr, "\r%s: [%s] %zu/%zu %s", fe_prog(), bar, done, p->total, p->what);
    } else {
        fprintf(stderr, "\r%s: %zu %s", fe_prog(), done, p->what);
    }
    fflush(stderr);
}

void fe_progress_done(fe_progress *p)
{
    if (!p)
        return;
    fe_progress_clear_line();
    free(p);
}
