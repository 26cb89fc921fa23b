/* Directory trees: walking them in a stable order, making them. */
#include "fe.h"

#include <dirent.h>
#include <fnmatch.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Each name is kept behind one byte, its d_type from readdir: the walk
 * needs no lstat(2) per file where the file system says what each entry
 * is (a tenth of news2xml's system calls on a tree of small pages). */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* The names in dir, each behind its type byte, sorted; *n of them.  -1
 * with err. */
static int sorted_names(const char *dir, char ***out, size_t *n, bt_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **p = realloc(names, ncap * sizeof *p);
            if (!p)
                goto nomem;
            names = p;
            cap = ncap;
        }
        size_t len = strlen(e->d_name);
        if (!(names[*n] = malloc(len + 2)))
            goto nomem;
        names[*n][0] = (char)e->d_type;
        memcpy(names[*n] + 1, e->d_name, len + 1);
        ++*n;
    }
    closedir(d);
    if (*n) /* an empty folder has no array, and qsort's may not be NULL */
        qsort(names, *n, sizeof *names, name_cmp);
    *out = names;
    return 0;
nomem:
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        free(names[i]);
    free(names);
    bt_error_nomem(err, dir);
    return -1;
}

/* The directories the walk is inside, for --follow to see a loop. */
typedef struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *up;
} ancestor;

static int inside(const ancestor *a, const struct stat *st)
{
    for (; a; a = a->up)
        if (a->dev == st->st_dev && a->ino == st->st_ino)
            return 1;
    return 0;
}

static int walk(const char *dir, const ancestor *up, fe_walk_opts *o,
                int (*fn)(const char *path, void *ctx), void *ctx, bt_error *err)
{
    char **names;
    size_t n;
    if (sorted_names(dir, &names, &n, err) < 0)
        return -1;
    bt_buf path = BT_BUF_INIT;
    size_t dl = strlen(dir);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        bt_buf_reset(&path);
        if (bt_buf_add(&path, dir, dl) < 0 ||
            ((dl == 0 || dir[dl - 1] != '/') && bt_buf_addc(&path, '/') < 0) ||
            bt_buf_adds(&path, names[i] + 1) < 0) {
            bt_error_nomem(err, dir);
            rc = -1;
            break;
        }
        unsigned char type = (unsigned char)names[i][0];
        struct stat st;
        if (type == DT_UNKNOWN) {
            if (lstat(path.data, &st) < 0)
                continue; /* gone since readdir */
            type = S_ISDIR(st.st_mode)   ? DT_DIR
                   : S_ISREG(st.st_mode) ? DT_REG
                   : S_ISLNK(st.st_mode) ? DT_LNK
                                         : DT_UNKNOWN;
        }
        if (type == DT_LNK && !o->follow) {
            o->links_skipped++;
            continue;
        }
        if (type == DT_LNK || (type == DT_DIR && o->follow)) {
            if (stat(path.data, &st) < 0) {
                rc = fn(path.data, ctx); /* broken: fn says what is wrong */
                continue;
            }
            type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
        }
        if (type == DT_DIR) {
            if (!o->follow) {
                rc = walk(path.data, NULL, o, fn, ctx, err);
            } else if (inside(up, &st)) {
                fe_warn("%s: a link back to a directory it is in, not followed", path.data);
            } else {
                ancestor here = {st.st_dev, st.st_ino, up};
                rc = walk(path.data, &here, o, fn, ctx, err);
            }
        } else if (type == DT_REG) {
            rc = fn(path.data, ctx);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    bt_buf_free(&path);
    return rc;
}

int fe_walk(const char *dir, fe_walk_opts *o, int (*fn)(const char *path, void *ctx),
            void *ctx, bt_error *err)
{
    struct stat st;
    if (o->follow && stat(dir, &st) == 0) {
        ancestor top = {st.st_dev, st.st_ino, NULL};
        return walk(dir, &top, o, fn, ctx, err);
    }
    return walk(dir, NULL, o, fn, ctx, err);
}

void fe_walk_notice(const fe_walk_opts *o)
{
    if (o->links_skipped)
        fe_warn("skipped %zu symbolic link%s (--follow follows them)", o->links_skipped,
                o->links_skipped == 1 ? "" : "s");
}

int fe_mkdir_p(const char *dir, bt_error *err)
{
    bt_buf p = BT_BUF_INIT;
    if (bt_buf_adds(&p, dir) < 0) {
        bt_error_nomem(err, dir);
        return -1;
    }
    for (char *s = p.data + 1; p.len; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p.data, 0777) < 0 && errno != EEXIST) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", p.data, strerror(errno));
            bt_buf_free(&p);
            return -1;
        }
        *s = c;
        if (!c)
            break;
    }
    bt_buf_free(&p);
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_IO, "%s: not a directory", dir);
        return -1;
    }
    return 0;
}

/* A component of rel (a file or a directory above it) that glob matches. */
static int matches(const char *glob, const char *rel)
{
    if (strchr(glob, '/'))
        return fnmatch(glob, rel, 0) == 0;
    const char *p = rel;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char part[4096];
        if (n < sizeof part) {
            memcpy(part, p, n);
            part[n] = '\0';
            if (fnmatch(glob, part, 0) == 0)
                return 1;
        }
        if (!slash)
            return 0;
        p = slash + 1;
    }
}

int fe_glob_keep(char *const *globs, size_t n, const char *rel)
{
    int includes = 0;
    for (size_t i = 0; i < n; i++)
        includes += globs[i][0] != '!';
    /* the last glob that matches decides, as ripgrep's -g */
    for (size_t i = n; i-- > 0;) {
        int exclude = globs[i][0] == '!';
        const char *g = globs[i] + exclude;
        if (exclude ? matches(g, rel) : fnmatch(g, strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel, 0) == 0 ||
                          (strchr(g, '/') && fnmatch(g, rel, 0) == 0))
            return !exclude;
    }
    return !includes;
}
