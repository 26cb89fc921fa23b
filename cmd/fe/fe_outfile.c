/*
 * Output files that never harm what is there.  A regular file is written
 * under a temporary name beside it (same directory, so rename(2) is atomic)
 * and renamed into place only when everything was written; anything else
 * that exists (a device, a FIFO, a socket, standard output under one of
 * its names) is written straight into, since renaming over it would
 * replace it.  Symbolic links are followed to the file they name.  A run
 * stopped by a signal (^C, kill, a hang-up) removes its temporary files
 * before it dies of the signal.
 */
#include "fe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

enum { MAX_LINKS = 40 }; /* as the kernel's ELOOP limit */

struct fe_out {
    FILE *stream;  /* what the caller writes to */
    char *name;    /* for messages: the path as given */
    char *final;   /* the regular file to rename onto, or NULL */
    char *temp;    /* the temporary file beside it, or NULL */
    int dest_fd;   /* direct output: where the bytes go (-1: none) */
    int own_dest;  /* dest_fd is ours to close */
    int spooled;   /* stream is an unnamed temporary copied to dest_fd */
    char *vbuf;    /* stream's buffer (freed after it is closed), or NULL */
};

/* Output goes out in large writes: stdio's default for a file is one
 * write(2) per 4 KiB (2,170 of them for the corpus's 9 MB).  A terminal
 * keeps its line buffering. */
enum { OUT_BUFFER = 1 << 16 };
static char stdout_buffer[OUT_BUFFER];

static void buffer_stream(fe_out *o)
{
    if (o->stream == stdout) {
        if (!isatty(1))
            setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
        return;
    }
    if ((o->vbuf = malloc(OUT_BUFFER)) && setvbuf(o->stream, o->vbuf, _IOFBF, OUT_BUFFER) != 0) {
        free(o->vbuf);
        o->vbuf = NULL; /* stdio's own buffer then */
    }
}

/* The temporary files alive now, for the signal handler: a slot is set
 * only once its path is complete and cleared before the path is freed,
 * so the handler never reads a half-made name.  Past MAX_TEMPS live
 * outputs (no tool has more than one or two) a temporary is not watched. */
enum { MAX_TEMPS = 16 };
static char *volatile live_temps[MAX_TEMPS];
static const int fatal_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGPIPE};

static void remove_temps(int sig)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (live_temps[i])
            unlink(live_temps[i]); /* async-signal-safe */
    /* then die of the signal, as the run would have without us */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The handlers, once, for the signals the user has not ignored (nohup's
 * SIGHUP stays ignored). */
static void watch_signals(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        struct sigaction old, sa = {.sa_handler = remove_temps};
        sigemptyset(&sa.sa_mask);
        for (size_t k = 0; k < sizeof fatal_signals / sizeof fatal_signals[0]; k++)
            sigaddset(&sa.sa_mask, fatal_signals[k]);
        sa.sa_flags = SA_RESETHAND;
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
            sigaction(fatal_signals[i], &sa, NULL);
    }
}

static void watch_temp(char *path)
{
    watch_signals();
    for (int i = 0; i < MAX_TEMPS; i++)
        if (!live_temps[i]) {
            live_temps[i] = path;
            return;
        }
}

static void forget_temp(const char *path)
{
    for (int i = 0; i < MAX_TEMPS; i++)
        if (live_temps[i] == path)
            live_temps[i] = NULL;
}

static void out_free(fe_out *o)
{
    if (o->own_dest && o->dest_fd >= 0)
        close(o->dest_fd);
    if (o->temp)
        forget_temp(o->temp);
    free(o->name);
    free(o->final);
    free(o->temp);
    free(o->vbuf);
    free(o);
}

/* The descriptor a path names when it is one of the names of an open
 * descriptor of ours (/dev/stdout, /dev/fd/N, /proc/self/fd/N), else -1.
 * Writing to a copy of it keeps the shell's redirection as it is: opening
 * the path again would truncate a file opened for appending. */
static int fd_alias(const char *p)
{
    static const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
    if (!strcmp(p, "/dev/stdout"))
        return 1;
    if (!strcmp(p, "/dev/stderr"))
        return 2;
    char own[64];
    snprintf(own, sizeof own, "/proc/%ld/fd/", (long)getpid());
    for (size_t i = 0; i <= sizeof dirs / sizeof dirs[0]; i++) {
        const char *d = i < sizeof dirs / sizeof dirs[0] ? dirs[i] : own;
        size_t n = strlen(d);
        if (strncmp(p, d, n) || !p[n])
            continue;
        char *end;
        errno = 0;
        long fd = strtol(p + n, &end, 10);
        if (!errno && !*end && fd >= 0 && fd <= INT_MAX)
            return (int)fd;
    }
    return -1;
}

/* Follows path through symbolic links to what they finally name (which
 * may not exist yet).  *alias gets the descriptor of a /dev/fd-style name
 * met on the way, else -1.  NULL with errno on failure. */
static char *resolve(const char *path, int *alias)
{
    char *p = strdup(path);
    *alias = -1;
    for (int hops = 0; p; hops++) {
        if ((*alias = fd_alias(p)) >= 0)
            return p;
        struct stat st;
        if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
            return p; /* the end: a file, something else, or nothing yet */
        if (hops == MAX_LINKS) {
            free(p);
            errno = ELOOP;
            return NULL;
        }
        bt_buf target = BT_BUF_INIT;
        ssize_t n;
        if (bt_buf_grow(&target, PATH_MAX) < 0 ||
            (n = readlink(p, target.data, target.cap - 1)) < 0) {
            int e = errno;
            bt_buf_free(&target);
            free(p);
            errno = e;
            return NULL;
        }
        target.len = (size_t)n;
        target.data[n] = '\0';
        /* a relative link is relative to the directory holding it */
        const char *slash = strrchr(p, '/');
        bt_buf next = BT_BUF_INIT;
        int rc = target.data[0] != '/' && slash
                     ? bt_buf_add(&next, p, (size_t)(slash - p + 1))
                     : 0;
        if (rc == 0)
            rc = bt_buf_add(&next, target.data, target.len);
        bt_buf_free(&target);
        free(p);
        p = rc == 0 ? bt_buf_detach(&next) : NULL;
        bt_buf_free(&next);
        if (!p)
            errno = ENOMEM;
    }
    return NULL;
}

static int open_socket(const char *p)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(p) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, p);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* A temporary file beside o->final, with the mode (and owner) the result
 * must have.  0 or -1 with err. */
static int open_temp(fe_out *o, const struct stat *existing, bt_error *err)
{
    bt_buf t = BT_BUF_INIT;
    const char *slash = strrchr(o->final, '/');
    if ((slash && bt_buf_add(&t, o->final, (size_t)(slash - o->final + 1)) < 0) ||
        bt_buf_addf(&t, ".%s.XXXXXX", slash ? slash + 1 : o->final) < 0 ||
        !(o->temp = bt_buf_detach(&t))) {
        bt_buf_free(&t);
        bt_error_nomem(err, o->name);
        return -1;
    }
    int fd = mkstemp(o->temp);
    if (fd >= 0)
        watch_temp(o->temp);
    if (fd < 0) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", o->name, strerror(errno));
        free(o->temp);
        o->temp = NULL;
        return -1;
    }
    if (existing) {
        /* keep what the file was: its owner and group when we may set
         * them (root, or a group of ours), then its mode, setuid bits and
         * all, once the owner can no longer clear them */
        if (fchown(fd, existing->st_uid, existing->st_gid) < 0 &&
            fchown(fd, (uid_t)-1, existing->st_gid) < 0) {
            /* not allowed: the file becomes ours, as with any editor */
        }
        fchmod(fd, existing->st_mode & 07777);
    } else {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (!(o->stream = fdopen(fd, "wb"))) {
        bt_error_set(err, BT_ERR_NOMEM, "%s: %s", o->name, strerror(errno));
        close(fd);
        unlink(o->temp);
        return -1;
    }
    buffer_stream(o);
    return 0;
}

/* Output straight into dest_fd, or spooled to it at the commit. */
static int open_direct(fe_out *o, unsigned flags, bt_error *err)
{
    if ((flags & FE_OUT_BINARY) && isatty(o->dest_fd)) {
        bt_error_set(err, BT_ERR_USAGE,
                     "%s: will not write a binary document to a terminal (use -o FILE)",
                     o->name);
        return -1;
    }
    if (flags & FE_OUT_BINARY) {
        o->spooled = 1;
        o->stream = tmpfile();
    } else if (o->dest_fd == 1) {
        o->stream = stdout;
    } else {
        int fd = o->own_dest ? o->dest_fd : dup(o->dest_fd);
        o->own_dest = 0; /* the stream owns it now */
        o->stream = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!o->stream && fd >= 0)
            close(fd);
        o->dest_fd = -1;
    }
    if (!o->stream) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", o->spooled ? "temporary file" : o->name,
                     strerror(errno));
        return -1;
    }
    buffer_stream(o);
    return 0;
}

fe_out *fe_out_open(const char *path, unsigned flags, bt_error *err)
{
    fe_out *o = calloc(1, sizeof *o);
    int is_stdout = !path || !strcmp(path, "-");
    if (!o || !(o->name = strdup(is_stdout ? "(standard output)" : path))) {
        free(o);
        bt_error_nomem(err, NULL);
        return NULL;
    }
    o->dest_fd = -1;
    if (is_stdout) {
        o->dest_fd = 1;
        if (open_direct(o, flags, err) < 0)
            goto fail;
        return o;
    }
    int alias;
    char *final = resolve(path, &alias);
    if (!final) {
        bt_error_set(err, errno == ENOMEM ? BT_ERR_NOMEM : BT_ERR_IO, "%s: %s", path,
                     strerror(errno));
        goto fail;
    }
    if (alias >= 0) {
        free(final);
        o->dest_fd = alias;
        if (fcntl(alias, F_GETFD) < 0) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", path, strerror(errno));
            goto fail;
        }
        if (open_direct(o, flags, err) < 0)
            goto fail;
        return o;
    }
    o->final = final;
    struct stat st;
    if (stat(final, &st) < 0) {
        if (errno != ENOENT) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", path, strerror(errno));
            goto fail;
        }
        if (open_temp(o, NULL, err) < 0)
            goto fail;
        return o;
    }
    if (S_ISREG(st.st_mode)) {
        if (open_temp(o, &st, err) < 0)
            goto fail;
        return o;
    }
    if (S_ISDIR(st.st_mode)) {
        bt_error_set(err, BT_ERR_USAGE, "%s: is a directory", path);
        goto fail;
    }
    /* a device, a FIFO (waits for its reader) or a socket */
    int fd = S_ISSOCK(st.st_mode) ? open_socket(final)
                                  : open(final, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        bt_error_set(err, BT_ERR_IO, "%s: %s", path, strerror(errno));
        goto fail;
    }
    free(o->final);
    o->final = NULL;
    o->dest_fd = fd;
    o->own_dest = 1;
    if (open_direct(o, flags, err) < 0)
        goto fail;
    return o;
fail:
    out_free(o);
    return NULL;
}

FILE *fe_out_stream(fe_out *o)
{
    return o->stream;
}

const char *fe_out_name(const fe_out *o)
{
    return o->name;
}

/* Copies the spool to dest_fd. */
static int copy_spool(fe_out *o)
{
    if (fflush(o->stream) != 0 || fseek(o->stream, 0, SEEK_SET) != 0)
        return -1;
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, o->stream)) > 0) {
        for (size_t off = 0; off < n;) {
            ssize_t k = write(o->dest_fd, buf + off, n - off);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                return -1;
            off += (size_t)k;
        }
    }
    return ferror(o->stream) ? -1 : 0;
}

int fe_out_commit(fe_out *o, bt_error *err)
{
    int rc = 0;
    errno = 0;
    if (fflush(o->stream) != 0 || ferror(o->stream)) {
        bt_error_set(err, BT_ERR_IO, "%s: write error: %s", o->name,
                     strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (!rc && o->spooled && copy_spool(o) < 0) {
        bt_error_set(err, BT_ERR_IO, "%s: write error: %s", o->name,
                     strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (o->stream != stdout && fclose(o->stream) != 0 && !rc) {
        bt_error_set(err, BT_ERR_IO, "%s: write error: %s", o->name, strerror(errno));
        rc = -1;
    }
    if (o->temp) {
        if (!rc && rename(o->temp, o->final) < 0) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", o->name, strerror(errno));
            rc = -1;
        }
        if (rc)
            unlink(o->temp);
    }
    out_free(o);
    return rc;
}

void fe_out_abort(fe_out *o)
{
    if (!o)
        return;
    if (o->stream != stdout)
        fclose(o->stream);
    if (o->temp)
        unlink(o->temp);
    out_free(o);
}

/* The folder of an output file: "." for standard output (also named, as
 * /dev/stdout, or a device or FIFO) or a bare name. */
char *fe_out_dir(const char *output)
{
    struct stat st, out;
    if (!output || !strcmp(output, "-") ||
        (stat(output, &st) == 0 && (!S_ISREG(st.st_mode) ||
                                    (fstat(1, &out) == 0 && out.st_dev == st.st_dev &&
                                     out.st_ino == st.st_ino))))
        return bt_strdup(".");
    const char *slash = strrchr(output, '/');
    if (!slash)
        return bt_strdup(".");
    return bt_strndup(output, slash == output ? 1 : (size_t)(slash - output));
}
