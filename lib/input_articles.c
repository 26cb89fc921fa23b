/*
 * The article format itself, given to news2xml (an earlier run's output,
 * an archive of them): the articles pass through, each read back by the
 * article reader (which checks the structure), its id computed again
 * from its content, and written anew by the caller (which normalises the
 * text), instead of becoming one article made of all of them.  The
 * stream is fed to the reader through a pipe by a small thread, so that
 * whatever the bytes come from (a file, standard input, a gzip filter,
 * an archive member) memory stays flat however many articles it holds.
 */
#include "input_int.h"

#include <errno.h>
#include <stdlib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int articles_bid(const bt_item *it)
{
    const char *s = (const char *)it->head, *e = s + it->headlen;
    if (e - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    for (;;) {
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
            s++;
        if (e - s >= 5 && !memcmp(s, "<?xml", 5)) {
            const char *q = memmem(s, (size_t)(e - s), "?>", 2);
            if (!q)
                return 0;
            s = q + 2;
        } else if (e - s >= 4 && !memcmp(s, "<!--", 4)) {
            const char *q = memmem(s, (size_t)(e - s), "-->", 3);
            if (!q)
                return 0;
            s = q + 3;
        } else if (e - s >= 18 && !strncasecmp(s, "<!DOCTYPE article", 17) &&
                   strchr(" \t\r\n>[s", s[17])) {
            return 60; /* an article document with a DOCTYPE: the reader refuses it */
        } else {
            break;
        }
    }
    for (int k = 0; k < 2; k++) {
        const char *root = k ? "<article" : "<articles";
        size_t n = strlen(root);
        if ((size_t)(e - s) > n && !memcmp(s, root, n) && strchr(" \t\r\n>/", s[n]))
            return 60; /* above an HTML page's "<title>" */
    }
    return 0;
}

/* ---- normalising an article read back ---- */

static int norm_str(char **s, bt_buf *tmp)
{
    if (!*s)
        return 0;
    size_t n = strlen(*s);
    if (bt_text_clean_prefix(*s, n) == n)
        return 0;
    bt_buf_reset(tmp);
    if (bt_text_clean(*s, n, tmp) < 0)
        return -1;
    char *c = bt_strndup(tmp->data, tmp->len);
    if (!c)
        return -1;
    free(*s);
    *s = c;
    return 0;
}

static int norm_text(bt_text *t, bt_buf *tmp)
{
    for (size_t i = 0; i < t->nspans; i++)
        if (norm_str(&t->spans[i].text, tmp) < 0 || norm_str(&t->spans[i].href, tmp) < 0)
            return -1;
    return 0;
}

/* Every string in NFC without what XML forbids, as the writer will
 * write it, so that the id is computed on the text that goes out. */
static int normalise(bt_article *a, bt_buf *tmp)
{
    char **strs[] = {&a->lang, &a->date_text, &a->date_when, &a->byline, &a->source_href,
                     &a->source_file, &a->source_name, &a->section};
    for (size_t i = 0; i < BT_ARRAY_LEN(strs); i++)
        if (norm_str(strs[i], tmp) < 0)
            return -1;
    if (norm_text(&a->title, tmp) < 0)
        return -1;
    for (size_t i = 0; i < a->nblocks; i++) {
        bt_block *b = &a->blocks[i];
        if (norm_text(&b->text, tmp) < 0 || norm_str(&b->src, tmp) < 0)
            return -1;
        for (size_t k = 0; k < b->nitems; k++)
            if (norm_text(&b->items[k], tmp) < 0)
                return -1;
        for (size_t r = 0; r < b->nrows; r++)
            for (size_t k = 0; k < b->rows[r].ncells; k++)
                if (norm_text(&b->rows[r].cells[k].text, tmp) < 0)
                    return -1;
    }
    for (size_t i = 0; i < a->nrelated; i++)
        if (norm_str(&a->related[i].href, tmp) < 0 || norm_str(&a->related[i].text, tmp) < 0)
            return -1;
    return 0;
}

typedef struct feeder {
    bt_src *src;
    int fd;
    int failed; /* the stream could not be read to its end */
} feeder;

static void *feed(void *arg)
{
    feeder *f = arg;
    sigset_t pipe_sig;
    sigemptyset(&pipe_sig);
    sigaddset(&pipe_sig, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_sig, NULL); /* a reader that stops early: EPIPE */
    char buf[BT_SRC_CHUNK];
    for (;;) {
        long k = bt_src_read(f->src, buf, sizeof buf);
        if (k < 0)
            f->failed = 1;
        if (k <= 0)
            break;
        for (long at = 0; at < k;) {
            ssize_t w = write(f->fd, buf + at, (size_t)(k - at));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                goto out;
            at += w;
        }
    }
out:
    close(f->fd);
    return NULL;
}

static int articles_read(bt_input_ctx *c, bt_item *it, bt_error *err)
{
    int fds[2];
    if (pipe(fds) < 0) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", it->name, strerror(errno));
        return -1;
    }
    feeder f = {it->src, fds[1], 0};
    pthread_t t;
    if (pthread_create(&t, NULL, feed, &f)) {
        close(fds[0]);
        close(fds[1]);
        bt_error_nomem(err, it->name);
        return -1;
    }
    int rc = 0;
    bt_buf tmp = BT_BUF_INIT;
    bt_reader *r = bt_reader_open_fd(fds[0], it->name, err);
    if (!r)
        rc = -1;
    while (r) {
        bt_article a;
        bt_article_init(&a);
        int k = bt_reader_next(r, &a, err);
        if (k <= 0) {
            rc = k;
            bt_article_free(&a);
            break;
        }
        a.id[0] = '\0';
        if (normalise(&a, &tmp) < 0 || bt_article_compute_id(&a) < 0) {
            bt_error_nomem(err, it->name);
            rc = -1;
        } else if (c->opts->images && bt_images_article(c, it, &a, 1, err) < 0) {
            rc = -1; /* its figures' srcs are paths from the file's folder */
        } else if (c->on_article && c->on_article(&a, c->ctx) != 0) {
            bt_error_set(err, BT_ERR_STOPPED, "%s: stopped", it->name);
            rc = -1;
        }
        bt_article_free(&a);
        if (rc)
            break;
    }
    bt_reader_close(r);
    bt_buf_free(&tmp);
    close(fds[0]);
    pthread_join(t, NULL);
    if (f.failed && rc != 0 && err->code != BT_ERR_STOPPED && err->code != BT_ERR_NOMEM)
        bt_src_error(it->src, it->name, err); /* the stream's own failure says more */
    return rc;
}

const bt_format bt_format_articles = {"articles", BT_INPUT_ARTICLES, articles_bid, articles_read, 1};
