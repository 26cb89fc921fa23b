/* Opening a named input, and reading a whole file, bounded. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bt_open_input(const char *path, bt_error *err)
{
    if (!path || !strcmp(path, "-"))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        bt_error_set(err, BT_ERR_IO, "%s: %s", path, strerror(errno));
    return fd;
}

int bt_read_file(const char *path, size_t max, bt_buf *out, bt_error *err)
{
    int use_stdin = !path || !strcmp(path, "-");
    const char *name = use_stdin ? "-" : path;
    int fd = bt_open_input(path, err);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_INPUT, "%s: is a directory", name);
        if (!use_stdin)
            close(fd);
        return -1;
    }
    int rc = 0;
    for (;;) {
        if (bt_buf_grow(out, 65536) < 0) {
            bt_error_nomem(err, name);
            rc = -1;
            break;
        }
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            bt_error_set(err, BT_ERR_IO, "%s: %s", name, strerror(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
        if (out->len > max) {
            bt_error_set(err, BT_ERR_LIMIT, "%s: larger than %zu MB", name, max >> 20);
            rc = -1;
            break;
        }
    }
    if (!use_stdin)
        close(fd);
    return rc;
}
