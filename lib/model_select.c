/* Choosing what a printer prints: duplicates dropped, articles sorted by
 * date and grouped by section.
 *
 * Memory stays flat in what matters: per article only a small record
 * (where its copy is, its time, its section) and two 8-byte keys; the
 * articles themselves go to an unnamed temporary file, written with the
 * article writer and read back with the reader, one at a time. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LEAD_KEY_BYTES 200 /* of the folded lead: enough to tell stories apart */
#define NO_TIME INT64_MIN
#define NO_SECTION UINT32_MAX

typedef struct rec {
    uint64_t off;     /* of its copy in the spool */
    uint32_t len;
    uint32_t section; /* index in names, NO_SECTION */
    int64_t time;     /* seconds since the epoch, NO_TIME when undated */
    size_t index;     /* in input order, among the kept */
    size_t rank;      /* sort key of its group */
} rec;

struct bt_select {
    bt_select_opts o;
    bt_set *ids, *stories;
    size_t seen, dropped;
    rec *recs;
    size_t nrecs, recs_cap;
    char **names;   /* sections, as first printed */
    uint64_t *name_keys;
    size_t nnames, names_cap, keys_cap;
    FILE *spool;
    int finished;
    bt_buf scratch, key;
    bt_reader *reader;
};

static uint64_t hash64(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Appends the folded form of s that only letters and digits survive: no
 * case, no diacritics, no tone placement, no spaces or punctuation, so
 * "Quận ủy: họp" and "QUẬN UỶ HỌP" read the same. */
static int add_key(bt_buf *key, bt_buf *tmp, const char *s, size_t max)
{
    bt_buf_reset(tmp);
    if (bt_fold(s, strlen(s), BT_FOLD_BASE, tmp, NULL) < 0)
        return -1;
    size_t added = 0;
    for (size_t i = 0; i < tmp->len && added < max; i++) {
        unsigned char c = (unsigned char)tmp->data[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            if (bt_buf_addc(key, (char)c) < 0)
                return -1;
            added++;
        }
    }
    return 0;
}

/* The story's key: its title and the start of its lead. */
static int story_key(bt_select *s, const bt_article *a, uint64_t *out)
{
    bt_buf text = BT_BUF_INIT;
    bt_buf_reset(&s->key);
    int rc = bt_text_plain(&a->title, &text);
    if (rc == 0)
        rc = add_key(&s->key, &s->scratch, text.data, (size_t)-1);
    if (rc == 0)
        rc = bt_buf_addc(&s->key, '\n');
    for (size_t i = 0; i < a->nblocks && rc == 0; i++) {
        const bt_block *b = &a->blocks[i];
        if (b->kind != BT_BLOCK_P || bt_text_is_empty(&b->text))
            continue;
        bt_buf_reset(&text);
        rc = bt_text_plain(&b->text, &text);
        if (rc == 0)
            rc = add_key(&s->key, &s->scratch, text.data, LEAD_KEY_BYTES);
        break;
    }
    bt_buf_free(&text);
    *out = hash64(s->key.data, s->key.len, 0xcbf29ce484222325ull);
    return rc;
}

/* Seconds since the epoch of a when attribute, NO_TIME when there is none. */
static int64_t when_time(const char *when)
{
    bt_date d;
    if (!when || bt_when_parse(when, &d) < 0)
        return NO_TIME;
    int64_t t = (int64_t)bt_date_days(&d) * 86400 + d.hour * 3600 + d.minute * 60 + d.second;
    if (d.tz[0] == '+' || d.tz[0] == '-') {
        int off = ((d.tz[1] - '0') * 10 + (d.tz[2] - '0')) * 3600 +
                  ((d.tz[4] - '0') * 10 + (d.tz[5] - '0')) * 60;
        t -= d.tz[0] == '+' ? off : -off;
    } else if (!d.has_time) {
        t -= 7 * 3600; /* a day without a zone: the format's default, +07:00 */
    }
    return t;
}

static int section_of(bt_select *s, const char *name, uint32_t *out)
{
    *out = NO_SECTION;
    if (!s->o.group_by_section || !name)
        return 0;
    bt_buf_reset(&s->key);
    if (add_key(&s->key, &s->scratch, name, (size_t)-1) < 0)
        return -1;
    if (!s->key.len)
        return 0;
    uint64_t k = hash64(s->key.data, s->key.len, 0xcbf29ce484222325ull);
    /* Sections are few: a linear look-up over their keys. */
    for (size_t i = 0; i < s->nnames; i++)
        if (s->name_keys[i] == k) {
            *out = (uint32_t)i;
            return 0;
        }
    if (s->nnames >= NO_SECTION - 1)
        return 0;
    if (bt_grow_array((void **)&s->names, &s->names_cap, s->nnames + 1,
                      sizeof *s->names) < 0 ||
        bt_grow_array((void **)&s->name_keys, &s->keys_cap, s->nnames + 1,
                      sizeof *s->name_keys) < 0)
        return -1;
    char *copy = bt_strdup(name);
    if (!copy)
        return -1;
    s->names[s->nnames] = copy;
    s->name_keys[s->nnames] = k;
    *out = (uint32_t)s->nnames++;
    return 0;
}

bt_select *bt_select_new(const bt_select_opts *o, bt_error *err)
{
    bt_select *s = calloc(1, sizeof *s);
    if (!s) {
        bt_error_nomem(err, NULL);
        return NULL;
    }
    s->o = *o;
    if (s->o.sort != BT_SORT_INPUT || s->o.group_by_section)
        s->o.store = 1;
    bt_buf_init(&s->scratch, 0);
    bt_buf_init(&s->key, 0);
    s->ids = bt_set_new();
    s->stories = bt_set_new();
    if (!s->ids || !s->stories) {
        bt_select_free(s);
        bt_error_nomem(err, NULL);
        return NULL;
    }
    if (s->o.store && !(s->spool = tmpfile())) {
        bt_error_set(err, BT_ERR_IO, "temporary file: %s", strerror(errno));
        bt_select_free(s);
        return NULL;
    }
    return s;
}

static int spool_article(bt_select *s, const bt_article *a, rec *r, bt_error *err)
{
    long start = ftell(s->spool);
    bt_writer *w = start < 0 ? NULL : bt_writer_open(s->spool, err);
    if (!w) {
        if (start < 0)
            bt_error_set(err, BT_ERR_IO, "temporary file: %s", strerror(errno));
        return -1;
    }
    if (bt_writer_article(w, a, err) < 0) {
        bt_writer_discard(w);
        return -1;
    }
    if (bt_writer_close(w, err) < 0)
        return -1;
    long end = ftell(s->spool);
    if (end < start || end - start > (long)UINT32_MAX) {
        bt_error_set(err, end < 0 ? BT_ERR_IO : BT_ERR_LIMIT, "temporary file: %s",
                     end < 0 ? strerror(errno) : "article too large");
        return -1;
    }
    r->off = (uint64_t)start;
    r->len = (uint32_t)(end - start);
    return 0;
}

int bt_select_add(bt_select *s, const bt_article *a, bt_error *err)
{
    if (s->finished) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: bt_select_add after bt_select_finish");
        return -1;
    }
    s->seen++;
    if (!s->o.keep_duplicates) {
        uint64_t story;
        if (story_key(s, a, &story) < 0)
            goto oom;
        if ((a->id[0] && bt_set_has(s->ids, a->id, strlen(a->id))) ||
            bt_set_has(s->stories, &story, sizeof story)) {
            s->dropped++;
            return 0;
        }
        /* Only what is kept counts as seen. */
        if ((a->id[0] && bt_set_add(s->ids, a->id, strlen(a->id)) < 0) ||
            bt_set_add(s->stories, &story, sizeof story) < 0)
            goto oom;
    }
    if (!s->o.store) {
        s->nrecs++;
        return 1;
    }
    if (bt_grow_array((void **)&s->recs, &s->recs_cap, s->nrecs + 1, sizeof *s->recs) < 0)
        goto oom;
    rec *r = &s->recs[s->nrecs];
    memset(r, 0, sizeof *r);
    r->index = s->nrecs;
    r->time = when_time(a->date_when);
    if (section_of(s, a->section, &r->section) < 0)
        goto oom;
    if (spool_article(s, a, r, err) < 0)
        return -1;
    s->nrecs++;
    return 1;
oom:
    bt_error_nomem(err, NULL);
    return -1;
}

static int by_order(const void *pa, const void *pb, void *ctx)
{
    const rec *a = pa, *b = pb;
    bt_sort sort_order = *(const bt_sort *)ctx;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (sort_order != BT_SORT_INPUT && a->time != b->time) {
        if (a->time == NO_TIME || b->time == NO_TIME)
            return a->time == NO_TIME ? 1 : -1; /* undated last */
        int older = a->time < b->time;
        return (sort_order == BT_SORT_OLDEST) == older ? -1 : 1;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

int bt_select_finish(bt_select *s, bt_error *err)
{
    if (s->finished)
        return 0;
    s->finished = 1;
    if (!s->o.store)
        return 0;
    if (fflush(s->spool) != 0) {
        bt_error_set(err, BT_ERR_IO, "temporary file: %s", strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < s->nrecs; i++)
        s->recs[i].rank = 0;
    qsort_r(s->recs, s->nrecs, sizeof *s->recs, by_order, &s->o.sort);
    if (s->o.group_by_section && s->nnames) {
        /* Groups in the order their first article comes; no section last. */
        size_t *first = malloc(s->nnames * sizeof *first);
        if (!first) {
            bt_error_nomem(err, NULL);
            return -1;
        }
        for (size_t i = 0; i < s->nnames; i++)
            first[i] = SIZE_MAX;
        for (size_t i = 0; i < s->nrecs; i++) {
            uint32_t k = s->recs[i].section;
            if (k != NO_SECTION && first[k] == SIZE_MAX)
                first[k] = i;
        }
        for (size_t i = 0; i < s->nrecs; i++) {
            uint32_t k = s->recs[i].section;
            s->recs[i].rank = k == NO_SECTION ? SIZE_MAX : first[k] + 1;
        }
        free(first);
        qsort_r(s->recs, s->nrecs, sizeof *s->recs, by_order, &s->o.sort);
    }
    return 0;
}

size_t bt_select_count(const bt_select *s)
{
    return s->nrecs;
}

size_t bt_select_dropped(const bt_select *s)
{
    return s->dropped;
}

int bt_select_get(bt_select *s, size_t k, bt_article *out, bt_error *err)
{
    if (!s->o.store || !s->finished || k >= s->nrecs) {
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: bt_select_get(%zu) out of order", k);
        return -1;
    }
    const rec *r = &s->recs[k];
    bt_buf_reset(&s->scratch);
    if (bt_buf_grow(&s->scratch, r->len) < 0) {
        bt_error_nomem(err, NULL);
        return -1;
    }
    ssize_t got = pread(fileno(s->spool), s->scratch.data, r->len, (off_t)r->off);
    if (got != (ssize_t)r->len) {
        bt_error_set(err, BT_ERR_IO, "temporary file: %s",
                     got < 0 ? strerror(errno) : "short read");
        return -1;
    }
    s->scratch.len = r->len;
    s->scratch.data[r->len] = '\0';
    static const char name[] = "(selected articles)";
    if (!s->reader) {
        s->reader = bt_reader_open_memory(s->scratch.data, r->len, name, err);
        if (!s->reader)
            return -1;
    } else if (bt_reader_reset_memory(s->reader, s->scratch.data, r->len, err) < 0) {
        return -1;
    }
    int rc = bt_reader_next(s->reader, out, err);
    if (rc == 0)
        bt_error_set(err, BT_ERR_INTERNAL, "internal error: a selected article is missing");
    return rc == 1 ? 0 : -1;
}

const char *bt_select_section(const bt_select *s, size_t k)
{
    if (!s->o.store || k >= s->nrecs || s->recs[k].section == NO_SECTION)
        return NULL;
    return s->names[s->recs[k].section];
}

void bt_select_free(bt_select *s)
{
    if (!s)
        return;
    bt_set_free(s->ids);
    bt_set_free(s->stories);
    free(s->recs);
    for (size_t i = 0; i < s->nnames; i++)
        free(s->names[i]);
    free(s->names);
    free(s->name_keys);
    if (s->spool)
        fclose(s->spool);
    bt_reader_close(s->reader);
    bt_buf_free(&s->scratch);
    bt_buf_free(&s->key);
    free(s);
}

int bt_sort_parse(const char *name, bt_sort *out, bt_error *err)
{
    static const struct { const char *name; bt_sort sort; } sorts[] = {
        {"date", BT_SORT_NEWEST}, {"newest", BT_SORT_NEWEST},
        {"oldest", BT_SORT_OLDEST}, {"input", BT_SORT_INPUT},
    };
    for (size_t i = 0; name && i < BT_ARRAY_LEN(sorts); i++)
        if (!strcmp(name, sorts[i].name)) {
            *out = sorts[i].sort;
            return 0;
        }
    bt_error_set(err, BT_ERR_USAGE, "unknown order '%s' (date, newest, oldest or input)",
                 name ? name : "");
    return -1;
}
