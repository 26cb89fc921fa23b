/* Messages and the other conventions every tool shares. */
#include "fe.h"
#include "fe_int.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *prog_name = "bantin";

void fe_init(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    prog_name = slash ? slash + 1 : argv0 && *argv0 ? argv0 : "bantin";
}

const char *fe_prog(void)
{
    return prog_name;
}

static void vwarn(const char *fmt, va_list ap)
{
    fe_progress_clear_line();
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void fe_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void fe_error(const bt_error *err)
{
    fe_warn("%s", err->msg[0] ? err->msg : bt_code_name(err->code));
}

int fe_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
    return 2;
}

int fe_option_error(int c, char *const argv[])
{
    if (c == ':')
        return fe_usage_error("option '%s' needs a value", argv[optind - 1]);
    if (optopt)
        return fe_usage_error("unknown option '-%c'", optopt);
    return fe_usage_error("unknown option '%s'", argv[optind - 1]);
}

void fe_version(void)
{
    printf("%s (bantin) %s\narticle format version %s\n", prog_name, BT_VERSION,
           BT_FORMAT_VERSION);
}

const char *fe_name(const char *path)
{
    return !path || !strcmp(path, "-") ? "(standard input)" : path;
}

long long fe_source_date_epoch(void)
{
    static int warned;
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL) {
        if (!warned++)
            fe_warn("ignoring invalid SOURCE_DATE_EPOCH '%s'", s);
        return -1;
    }
    return v;
}
