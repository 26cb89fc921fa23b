/*
 * Many inputs on several threads, handed back in input order
 * (bt_batch): worker threads each take the next input and convert it
 * with bt_extract_file, keeping what it yields (articles, problems, the
 * result) in the input's slot; the caller's thread replays the slots in
 * the order the inputs were added, so the callbacks see exactly what a
 * run on one thread sees and the output is byte-identical.  A window of
 * slots bounds the inputs in flight, and a slot that is not yet being
 * replayed holds a bounded number of articles (its worker waits), so
 * memory stays flat however many inputs and articles there are.  With a
 * writer (bt_batch_set_writer) each worker also renders its articles'
 * XML, and the caller's thread only writes the bytes in order: writing
 * was a quarter of the work, and done on one thread it kept two workers
 * waiting.  What a worker allocated it also frees (take_spent_locked).
 */
#include "input_int.h"

#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { SLOT_EVENTS = 64, WINDOW_PER_JOB = 64, PUBLISH_EVERY = 4, REPLAY_BATCH = 32 };

typedef struct event {
    struct event *next;
    int kind;       /* -1: an article; else a BT_PROBLEM_* kind */
    bt_article a;
    char *msg;
    unsigned char key[16]; /* BT_PROBLEM_IMAGE: its address's key */
    char *xml;             /* the article rendered for the writer, or NULL */
    size_t xml_len;
} event;

typedef struct slot {
    char *path;
    int listed;
    int state;      /* 0 queued, 1 running, 2 done */
    unsigned worker; /* the thread converting it, from state 1 */
    event *head, **tail;
    size_t nevents;
    int rc;
    bt_error err;
} slot;

struct bt_batch {
    unsigned jobs;
    size_t max_page;
    bt_extract_opts opts, listed_opts;
    bt_article_fn on_article;
    bt_problem_fn on_problem;
    bt_input_done_fn on_done;
    void *ctx;
    bt_writer *wr;        /* where articles are written, or NULL */
    bt_error write_err;   /* why writing stopped the batch */
    pthread_t *threads;
    struct worker_arg *args; /* each thread's */
    unsigned nthreads;
    pthread_mutex_t mu;
    pthread_cond_t work;  /* workers: a new input, or closing */
    pthread_cond_t room;  /* workers: their slot may take more, or stop */
    pthread_cond_t ready; /* the caller: the slot it replays moved on */
    int waiting;          /* the caller waits on ready */
    unsigned long long want;     /* ... until inputs below this number are done */
    unsigned long long done_upto; /* inputs below this number are all done */
    unsigned blocked;     /* workers waiting for room */
    slot *slots;         /* a ring of window slots */
    event **spent;        /* per worker: events replayed, for it to free */
    size_t window;
    unsigned long long added, taken, replayed; /* input numbers */
    unsigned long long filled; /* the caller's: slots filled, published up to added */
    int closing, stop;
    int stop_rc;
};

/* ---- the workers ---- */

static void free_events(event *e)
{
    while (e) {
        event *next = e->next;
        bt_article_free(&e->a);
        free(e->msg);
        free(e->xml);
        free(e);
        e = next;
    }
}

/* A worker's input.  Its events gather here first and reach the slot a
 * handful at a time (LOCAL_EVENTS), or all at once when the input is
 * done: a page of one article then takes the lock once, not twice. */
typedef struct job {
    bt_batch *b;
    slot *s;
    unsigned long long n;
    bt_writer *renderer; /* the worker's, when there is a writer */
    event *head, **tail; /* not yet in the slot */
    size_t nlocal;
} job;

enum { LOCAL_EVENTS = SLOT_EVENTS / 4 };

/* Moves the job's gathered events into its slot; the lock is held.
 * Waits while the slot is full and not being replayed.  Returns 1 (and
 * keeps the events) once the batch stops. */
static int publish_locked(job *j)
{
    bt_batch *b = j->b;
    while (!b->stop && j->s->nevents >= SLOT_EVENTS && j->n != b->replayed) {
        /* the caller may be waiting for a batch this input holds up */
        b->blocked++;
        if (b->waiting)
            pthread_cond_signal(&b->ready);
        pthread_cond_wait(&b->room, &b->mu);
        b->blocked--;
    }
    if (b->stop)
        return 1;
    if (j->head) {
        *j->s->tail = j->head;
        j->s->tail = j->tail;
        j->s->nevents += j->nlocal;
        j->head = NULL;
        j->tail = &j->head;
        j->nlocal = 0;
    }
    return 0;
}

/* Appends an event; returns 1 once the batch stops (the event is then
 * the caller's to free). */
static int push(job *j, event *e)
{
    bt_batch *b = j->b;
    *j->tail = e;
    j->tail = &e->next;
    if (++j->nlocal < LOCAL_EVENTS)
        return 0;
    pthread_mutex_lock(&b->mu);
    int stop = publish_locked(j);
    /* wake the caller only for the input it replays, in batches */
    if (!stop && b->waiting && j->n == b->replayed)
        pthread_cond_signal(&b->ready);
    pthread_mutex_unlock(&b->mu);
    if (stop) { /* the gathered events go but e, the caller's to free */
        for (event *x = j->head; x; x = x->next)
            if (x->next == e)
                x->next = NULL;
        if (j->head != e)
            free_events(j->head);
        j->head = NULL;
        j->tail = &j->head;
        j->nlocal = 0;
    }
    return stop;
}

static int worker_article(bt_article *a, void *ctx)
{
    job *j = ctx;
    event *e = calloc(1, sizeof *e);
    if (!e)
        return 1;
    e->kind = -1;
    e->a = *a; /* taken over: the library frees an empty article */
    bt_article_init(a);
    const char *xml;
    size_t len;
    bt_error err = BT_ERROR_INIT;
    /* rendered here, in parallel; when that fails the caller renders it
     * again and reports what went wrong */
    if (j->renderer && bt_writer_render(j->renderer, &e->a, &xml, &len, &err) == 0 &&
        (e->xml = malloc(len ? len : 1))) {
        memcpy(e->xml, xml, len);
        e->xml_len = len;
    }
    if (push(j, e)) {
        bt_article_free(&e->a);
        free(e->xml);
        free(e);
        return 1;
    }
    return 0;
}

static void worker_event(job *j, const char *msg, int kind, const unsigned char *key)
{
    event *e = calloc(1, sizeof *e);
    if (!e || !(e->msg = bt_strdup(msg))) {
        free(e);
        return; /* out of memory: the message is lost, not the run */
    }
    e->kind = kind;
    if (key)
        memcpy(e->key, key, sizeof e->key);
    bt_article_init(&e->a);
    if (push(j, e)) {
        free(e->msg);
        free(e);
    }
}

static void worker_problem(const char *msg, int kind, void *ctx)
{
    worker_event(ctx, msg, kind, NULL);
}

/* Image problems are de-duplicated when replayed, so that which input
 * reports an address does not depend on the threads. */
static void worker_image(const unsigned char key[16], const char *msg, void *ctx)
{
    worker_event(ctx, msg, BT_PROBLEM_IMAGE, key);
}

/* The events a worker made and the caller replayed come back to it to
 * be freed: freed on the caller's thread, each free took the lock of the
 * worker's malloc arena while the worker allocated from it, and that
 * contention was a third of -j 2's context switches. */
static event *take_spent_locked(bt_batch *b, unsigned w)
{
    event *e = b->spent[w];
    b->spent[w] = NULL;
    return e;
}

typedef struct worker_arg {
    bt_batch *b;
    unsigned w;  /* its index in spent */
} worker_arg;

static void *worker(void *arg)
{
    bt_batch *b = ((worker_arg *)arg)->b;
    unsigned w = ((worker_arg *)arg)->w;
    bt_writer *renderer = NULL;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->stop && b->taken == b->added && !b->closing)
            pthread_cond_wait(&b->work, &b->mu);
        if (b->stop || b->taken == b->added)
            break;
        job j = {b, &b->slots[b->taken % b->window], b->taken, NULL, NULL, NULL, 0};
        j.tail = &j.head;
        b->taken++;
        j.s->state = 1;
        j.s->worker = w;
        int render = b->wr != NULL;
        event *spent = take_spent_locked(b, w);
        pthread_mutex_unlock(&b->mu);
        free_events(spent);
        bt_error rerr = BT_ERROR_INIT;
        if (render && !renderer)
            renderer = bt_writer_open_renderer(&rerr); /* NULL: the caller renders */
        j.renderer = renderer;
        bt_error err = BT_ERROR_INIT;
        int rc = bt_extract_file_keyed(j.s->path, b->max_page,
                                       j.s->listed ? &b->listed_opts : &b->opts, worker_article,
                                       worker_problem, worker_image, &j, &err);
        pthread_mutex_lock(&b->mu);
        if (publish_locked(&j)) {
            pthread_mutex_unlock(&b->mu);
            free_events(j.head);
            pthread_mutex_lock(&b->mu);
        }
        j.s->rc = rc;
        j.s->err = err;
        j.s->state = 2;
        while (b->done_upto < b->added && b->slots[b->done_upto % b->window].state == 2)
            b->done_upto++;
        /* the caller wakes for a batch of inputs, not for each one */
        if (b->waiting && (b->done_upto >= b->want || b->blocked))
            pthread_cond_signal(&b->ready);
    }
    event *spent = take_spent_locked(b, w);
    pthread_mutex_unlock(&b->mu);
    free_events(spent);
    bt_writer_discard(renderer);
    return NULL;
}

/* ---- the caller's side ---- */

/* Why the batch stopped: the writer's error, or on_article's stop. */
static void stopped(const bt_batch *b, bt_error *err)
{
    if (b->write_err.msg[0])
        *err = b->write_err;
    else
        bt_error_set(err, BT_ERR_STOPPED, "stopped");
}

/* Hands the workers the inputs filled in since the last time; the lock
 * is held. */
static void publish_inputs_locked(bt_batch *b)
{
    if (b->filled == b->added)
        return;
    b->added = b->filled;
    pthread_cond_broadcast(&b->work);
}

/* Replays slots in order until fewer than `keep` inputs are in flight
 * (0: all of them).  Returns the stop value once a callback stopped. */
static int replay(bt_batch *b, unsigned long long keep, bt_error *err)
{
    pthread_mutex_lock(&b->mu);
    publish_inputs_locked(b);
    /* down to `keep`, and on over whatever is done already (no wait) */
    while (b->replayed < b->added && (b->added - b->replayed >= (keep ? keep : 1) ||
                                      b->slots[b->replayed % b->window].state == 2)) {
        slot *s = &b->slots[b->replayed % b->window];
        while (s->nevents < SLOT_EVENTS / 4 && s->state != 2) {
            /* woken once a batch is done (or this input has events to
             * go, or a worker waits for room), not for every input */
            b->want = b->added - b->replayed > REPLAY_BATCH ? b->replayed + REPLAY_BATCH : b->added;
            b->waiting = 1;
            pthread_cond_wait(&b->ready, &b->mu);
            b->waiting = 0;
        }
        event *e = s->head, **etail = s->tail;
        s->head = NULL;
        s->tail = &s->head;
        int was_full = s->nevents >= SLOT_EVENTS;
        s->nevents = 0;
        int done = s->state == 2;
        if (was_full)
            pthread_cond_broadcast(&b->room); /* its worker may go on */
        pthread_mutex_unlock(&b->mu);
        for (event *x = e; x; x = x->next) {
            if (b->stop)
                break;
            if (x->kind < 0) {
                int rc = 0;
                if (b->wr && (x->xml ? bt_writer_put(b->wr, x->xml, x->xml_len, &b->write_err)
                                     : bt_writer_article(b->wr, &x->a, &b->write_err)) < 0)
                    rc = 1; /* the output is broken */
                else if (b->on_article)
                    rc = b->on_article(&x->a, b->ctx);
                if (rc) {
                    b->stop_rc = -1; /* the callback stopped: BT_ERR_STOPPED */
                    pthread_mutex_lock(&b->mu);
                    b->stop = 1;
                    pthread_cond_broadcast(&b->room);
                    pthread_cond_broadcast(&b->work);
                    pthread_mutex_unlock(&b->mu);
                }
            } else if (b->on_problem && (x->kind != BT_PROBLEM_IMAGE ||
                                         bt_images_first(b->opts.images, x->key))) {
                b->on_problem(x->msg, x->kind, b->ctx);
            }
        }
        if (done && !b->stop && b->on_done)
            b->on_done(s->path, s->rc, &s->err, b->ctx);
        pthread_mutex_lock(&b->mu);
        if (e) { /* back to the worker that made them */
            *etail = b->spent[s->worker];
            b->spent[s->worker] = e;
        }
        if (done || b->stop) {
            if (b->stop && !done) {
                while (s->state != 2) { /* let its worker notice */
                    b->want = b->replayed + 1;
                    b->waiting = 1;
                    pthread_cond_wait(&b->ready, &b->mu);
                    b->waiting = 0;
                }
                free_events(s->head);
            }
            free(s->path);
            memset(s, 0, sizeof *s);
            b->replayed++;
            pthread_cond_broadcast(&b->room); /* the next input's worker may be full */
        }
        if (b->stop)
            break;
    }
    int rc = b->stop ? b->stop_rc : 0;
    pthread_mutex_unlock(&b->mu);
    if (rc)
        stopped(b, err);
    return rc;
}

/* One thread, with a writer: each article written, then handed on. */
static int direct_article(bt_article *a, void *ctx)
{
    bt_batch *b = ctx;
    if (bt_writer_article(b->wr, a, &b->write_err) < 0)
        return 1; /* the output is broken */
    return b->on_article ? b->on_article(a, b->ctx) : 0;
}

static void direct_problem(const char *msg, int kind, void *ctx)
{
    bt_batch *b = ctx;
    if (b->on_problem)
        b->on_problem(msg, kind, b->ctx);
}

/* One thread: the input is converted and replayed at once. */
static int direct(bt_batch *b, const char *path, int listed, bt_error *stop)
{
    bt_error err = BT_ERROR_INIT;
    int rc = b->wr ? bt_extract_file(path, b->max_page, listed ? &b->listed_opts : &b->opts,
                                     direct_article, direct_problem, b, &err)
                   : bt_extract_file(path, b->max_page, listed ? &b->listed_opts : &b->opts,
                                     b->on_article, b->on_problem, b->ctx, &err);
    if (rc < 0 && err.code == BT_ERR_STOPPED) {
        if (stop)
            stopped(b, stop);
        return -1;
    }
    if (b->on_done)
        b->on_done(path, rc, &err, b->ctx);
    return 0;
}

bt_batch *bt_batch_new(unsigned jobs, size_t max_page, const bt_extract_opts *opts,
                       bt_article_fn on_article, bt_problem_fn on_problem,
                       bt_input_done_fn on_done, void *ctx, bt_error *err)
{
    bt_batch *b = calloc(1, sizeof *b);
    if (!b) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    b->jobs = jobs ? jobs : 1;
    b->max_page = max_page;
    if (opts)
        b->opts = *opts;
    b->listed_opts = b->opts;
    b->listed_opts.skip_other = 1;
    b->on_article = on_article;
    b->on_problem = on_problem;
    b->on_done = on_done;
    b->ctx = ctx;
    if (b->jobs == 1)
        return b;
    xmlInitParser(); /* libxml2's globals, set up once before the threads */
    b->window = (size_t)b->jobs * WINDOW_PER_JOB;
    b->slots = calloc(b->window, sizeof *b->slots);
    b->threads = calloc(b->jobs, sizeof *b->threads);
    b->args = calloc(b->jobs, sizeof *b->args);
    b->spent = calloc(b->jobs, sizeof *b->spent);
    if (!b->slots || !b->threads || !b->args || !b->spent)
        goto nomem;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->work, NULL);
    pthread_cond_init(&b->room, NULL);
    pthread_cond_init(&b->ready, NULL);
    for (; b->nthreads < b->jobs; b->nthreads++) {
        b->args[b->nthreads] = (worker_arg){b, b->nthreads};
        if (pthread_create(&b->threads[b->nthreads], NULL, worker, &b->args[b->nthreads]))
            break;
    }
    if (!b->nthreads) {
        bt_error_set(err, BT_ERR_NOMEM, "cannot start threads");
        bt_batch_free(b);
        return NULL;
    }
    return b;
nomem:
    free(b->slots);
    free(b->threads);
    free(b->args);
    free(b->spent);
    free(b);
    bt_error_nomem(err, NULL);
    return NULL;
}

void bt_batch_set_writer(bt_batch *b, bt_writer *wr)
{
    b->wr = wr;
}

int bt_batch_add(bt_batch *b, const char *path, int listed, bt_error *err)
{
    if (b->jobs == 1)
        return direct(b, path, listed, err);
    /* a full window: replay the oldest inputs, and every one done after
     * them; the caller sleeps until a batch of them is done (a wake-up
     * per input cost -j 2 a third of its CPU time) */
    int rc = b->filled - b->replayed >= b->window ? replay(b, b->window, err) : 0;
    if (rc)
        return rc;
    char *p = bt_strdup(path ? path : "-");
    if (!p) {
        bt_error_nomem(err, path);
        return -1;
    }
    /* slots past `added` are the caller's alone: filled without the lock,
     * and handed over a few at a time (each hand-over is a lock the
     * workers contend for) */
    slot *s = &b->slots[b->filled % b->window];
    s->path = p;
    s->listed = listed;
    s->tail = &s->head;
    b->filled++;
    if (b->filled - b->added >= PUBLISH_EVERY || b->filled <= b->jobs) {
        pthread_mutex_lock(&b->mu);
        publish_inputs_locked(b);
        pthread_mutex_unlock(&b->mu);
    }
    return 0;
}

int bt_batch_finish(bt_batch *b, bt_error *err)
{
    if (b->jobs == 1)
        return 0;
    int rc = replay(b, 0, err);
    pthread_mutex_lock(&b->mu);
    b->closing = 1;
    pthread_cond_broadcast(&b->work);
    pthread_mutex_unlock(&b->mu);
    for (unsigned i = 0; i < b->nthreads; i++)
        pthread_join(b->threads[i], NULL);
    b->nthreads = 0;
    return rc;
}

void bt_batch_free(bt_batch *b)
{
    if (!b)
        return;
    if (b->jobs > 1) {
        pthread_mutex_lock(&b->mu);
        b->closing = 1;
        b->stop = 1;
        pthread_cond_broadcast(&b->work);
        pthread_cond_broadcast(&b->room);
        pthread_mutex_unlock(&b->mu);
        for (unsigned i = 0; i < b->nthreads; i++)
            pthread_join(b->threads[i], NULL);
        for (size_t i = 0; i < b->window; i++) {
            free_events(b->slots[i].head);
            free(b->slots[i].path);
        }
        for (unsigned i = 0; i < b->jobs; i++) /* of workers that stopped first */
            free_events(b->spent[i]);
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->work);
        pthread_cond_destroy(&b->room);
        pthread_cond_destroy(&b->ready);
    }
    free(b->slots);
    free(b->threads);
    free(b->args);
    free(b->spent);
    free(b);
}
