/*
 * A regular file read through one mapping of all of it (for newsgrep's
 * splitter, xml_split.c): the reader moves a window through it and says
 * where (bt_filemap_advance); the pages ahead of the window are made
 * present before it gets there, and those behind it are let go, so that
 * the resident set stays a few windows whatever the file's size.
 *
 * Both are only about time and memory, never about what is read: every
 * byte of the mapping can be read at any time (a page let go comes back
 * from the page cache on the next touch).
 *
 * Mapping in the pages and letting them go is about a third of a search
 * of a big archive (23 ms and 12 ms of 94 for 207 MB, measured with
 * MAP_POPULATE and munmap).  For a file of HELPER_MIN or more, when the
 * process may use more than one CPU, a helper thread does that work
 * beside the search; otherwise the reader does it, a window at a time.
 */
#include "xml_int.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum {
    CHUNK = 2 * 1024 * 1024,       /* populated or let go at a time */
    AHEAD = 2 * 1024 * 1024,       /* populated past the window */
    HELPER_MIN = 32 * 1024 * 1024, /* files this big get a helper */
};

struct bt_filemap {
    char *data;
    unsigned long long size;
    /* how far pages were populated and let go (what the reader touches
     * itself is resident too); kept by whoever does the work: the
     * helper, when there is one */
    unsigned long long populated, dropped;
    int can_populate; /* MADV_POPULATE_READ works (Linux 5.14 on) */
    /* the helper, and what the reader asked of it (under lock) */
    int threaded, stop;
    unsigned long long want_end, want_drop;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

/* Makes the pages up to `to` present, a chunk at a time. */
static void populate(bt_filemap *m, unsigned long long to)
{
#ifdef MADV_POPULATE_READ
    while (m->can_populate && m->populated < to) {
        unsigned long long n = to - m->populated < CHUNK ? to - m->populated : CHUNK;
        if (madvise(m->data + m->populated, (size_t)n, MADV_POPULATE_READ) != 0)
            m->can_populate = 0; /* an older kernel: pages come on demand */
        m->populated += n;
    }
#else
    (void)m;
    (void)to;
#endif
}

/* Lets go of the whole chunks before `to`. */
static void drop(bt_filemap *m, unsigned long long to)
{
    to -= to % CHUNK;
    if (to > m->dropped) {
        madvise(m->data + m->dropped, (size_t)(to - m->dropped), MADV_DONTNEED);
        m->dropped = to;
        if (m->populated < to)
            m->populated = to;
    }
}

static void *helper(void *arg)
{
    bt_filemap *m = arg;
    pthread_mutex_lock(&m->lock);
    for (;;) {
        while (!m->stop && m->populated >= m->want_end && m->want_drop < m->dropped + CHUNK)
            pthread_cond_wait(&m->wake, &m->lock);
        if (m->stop)
            break;
        unsigned long long end = m->want_end, behind = m->want_drop;
        pthread_mutex_unlock(&m->lock);
        drop(m, behind);
        populate(m, end);
        pthread_mutex_lock(&m->lock);
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

/* More than one CPU for this process (its affinity, as taskset sets it). */
static int several_cpus(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1;
}

bt_filemap *bt_filemap_open(int fd, unsigned long long size)
{
    if (!size || size > (unsigned long long)SIZE_MAX)
        return NULL;
    bt_filemap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        free(m);
        return NULL;
    }
    m->data = p;
    m->size = size;
    m->can_populate = 1;
    if (size >= HELPER_MIN && several_cpus() &&
        pthread_mutex_init(&m->lock, NULL) == 0) {
        if (pthread_cond_init(&m->wake, NULL) == 0) {
            if (pthread_create(&m->thread, NULL, helper, m) == 0)
                m->threaded = 1;
            else
                pthread_cond_destroy(&m->wake);
        }
        if (!m->threaded)
            pthread_mutex_destroy(&m->lock);
    }
    return m;
}

const char *bt_filemap_data(const bt_filemap *m)
{
    return m->data;
}

int bt_filemap_threaded(const bt_filemap *m)
{
    return m->threaded;
}

void bt_filemap_advance(bt_filemap *m, unsigned long long keep, unsigned long long end)
{
    if (!m->threaded) {
        drop(m, keep);
        populate(m, end);
        return;
    }
    pthread_mutex_lock(&m->lock);
    m->want_end = end + AHEAD < m->size ? end + AHEAD : m->size;
    m->want_drop = keep;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
}

void bt_filemap_close(bt_filemap *m)
{
    if (!m)
        return;
    if (m->threaded) {
        pthread_mutex_lock(&m->lock);
        m->stop = 1;
        pthread_cond_signal(&m->wake);
        pthread_mutex_unlock(&m->lock);
        pthread_join(m->thread, NULL);
        pthread_cond_destroy(&m->wake);
        pthread_mutex_destroy(&m->lock);
    }
    munmap(m->data, (size_t)m->size);
    free(m);
}
