/*
 * Output files that never end up truncated or clobbered: the data goes to
 * a temporary file beside the target (same directory, so rename(2) is
 * atomic) and is renamed into place only when everything was written.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bt_outfile {
    FILE *stream;
    char *path; /* NULL for standard output */
    char *temp;
};

bt_outfile *bt_outfile_open(const char *path, bt_error *err)
{
    bt_outfile *o = calloc(1, sizeof *o);
    if (!o) {
        bt_error_set(err, "out of memory");
        return NULL;
    }
    if (!path || !strcmp(path, "-")) {
        o->stream = stdout;
        return o;
    }
    bt_buf t = BT_BUF_INIT;
    const char *slash = strrchr(path, '/');
    if (slash)
        bt_buf_add(&t, path, (size_t)(slash - path + 1));
    if (bt_buf_addf(&t, ".%s.XXXXXX", slash ? slash + 1 : path) < 0 ||
        !(o->path = bt_strdup(path))) {
        bt_buf_free(&t);
        free(o);
        bt_error_set(err, "out of memory");
        return NULL;
    }
    o->temp = bt_buf_detach(&t);
    int fd = o->temp ? mkstemp(o->temp) : -1;
    if (fd < 0) {
        bt_error_set(err, "%s: %s", path, strerror(errno));
        free(o->temp);
        free(o->path);
        free(o);
        return NULL;
    }
    /* mkstemp makes 0600; give the file the usual umask-based mode */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->stream = fdopen(fd, "wb");
    if (!o->stream) {
        bt_error_set(err, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(o->temp);
        free(o->temp);
        free(o->path);
        free(o);
        return NULL;
    }
    return o;
}

FILE *bt_outfile_stream(bt_outfile *o)
{
    return o->stream;
}

const char *bt_outfile_temp_path(bt_outfile *o)
{
    return o->temp;
}

int bt_outfile_commit(bt_outfile *o, bt_error *err)
{
    if (!o)
        return 0;
    int rc = 0;
    if (!o->path) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            bt_error_set(err, "write error: %s", strerror(errno ? errno : EIO));
            rc = -1;
        }
        free(o);
        return rc;
    }
    if (fflush(o->stream) != 0 || ferror(o->stream)) {
        bt_error_set(err, "%s: write error: %s", o->path, strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (fclose(o->stream) != 0 && !rc) {
        bt_error_set(err, "%s: %s", o->path, strerror(errno));
        rc = -1;
    }
    if (!rc && rename(o->temp, o->path) < 0) {
        bt_error_set(err, "%s: %s", o->path, strerror(errno));
        rc = -1;
    }
    if (rc)
        unlink(o->temp);
    free(o->temp);
    free(o->path);
    free(o);
    return rc;
}

void bt_outfile_abort(bt_outfile *o)
{
    if (!o)
        return;
    if (o->path) {
        fclose(o->stream);
        unlink(o->temp);
    }
    free(o->temp);
    free(o->path);
    free(o);
}

int bt_mkdir_p(const char *dir, bt_error *err)
{
    char *p = bt_strdup(dir);
    if (!p) {
        bt_error_set(err, "out of memory");
        return -1;
    }
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) < 0 && errno != EEXIST) {
                bt_error_set(err, "%s: %s", p, strerror(errno));
                free(p);
                return -1;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        bt_error_set(err, "%s: not a directory", dir);
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

int bt_read_file(const char *path, size_t max, bt_buf *out, bt_error *err)
{
    int use_stdin = !path || !strcmp(path, "-");
    const char *name = use_stdin ? "-" : path;
    int fd = use_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        bt_error_set(err, "%s: %s", name, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        bt_error_set(err, "%s: is a directory", name);
        if (!use_stdin)
            close(fd);
        return -1;
    }
    int rc = 0;
    for (;;) {
        if (bt_buf_grow(out, 65536) < 0) {
            bt_error_set(err, "%s: out of memory", name);
            rc = -1;
            break;
        }
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            bt_error_set(err, "%s: %s", name, strerror(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (out->len > max) {
            bt_error_set(err, "%s: larger than %zu MB", name, max >> 20);
            rc = -1;
            break;
        }
    }
    if (!use_stdin)
        close(fd);
    return rc;
}
