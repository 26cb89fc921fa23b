/*
 * The raw article splitter: finds each <article>…</article> in a stream
 * of the article format without parsing it.
 *
 * A search touches every byte of an archive but keeps few articles, so
 * parsing everything (as bt_reader does) would cost most of the time.
 * The splitter hops from '<' to '<' with memchr, checks the structure
 * around the articles (prolog, root element, nothing but white space,
 * comments and PIs between articles; one document after another) and
 * hands out each article's bytes; only the articles a search cannot judge
 * raw are parsed, with the real reader, by bt_artscan_parse.  Memory
 * holds one article plus one read.
 *
 * With a scan hook (bt_artscan_set_hook; a search gives it its
 * prefilter) each article's content is read in one pass of the hook that
 * finds the end tag and whether the article is wanted; with skip, the
 * articles it does not want are never handed out.  Articles holding
 * anything unusual (comments, CDATA, PIs, nested articles) go through the
 * careful '<'-by-'<' loop.  Regular files are mapped whole and read a
 * window at a time (no copy into a buffer; xml_map.c pages the windows
 * in and out), and their lines are counted only when an error needs a
 * position; gzip'd input (told by its magic bytes) is inflated into the
 * buffer as it is read.
 */
#include "xml_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum {
    READ_SIZE = 256 * 1024,          /* bytes asked of each read() */
    MAX_BUFFER = 64 * 1024 * 1024,   /* the largest article we hold */
    WINDOW = 2 * 1024 * 1024,        /* bytes of a regular file read at once */
};

enum scan_state { S_PROLOG, S_ARTICLES, S_EPILOG };

struct bt_artscan {
    int fd;
    char *name;
    char *buf;
    size_t len, cap;
    unsigned long long base; /* stream offset of buf[0] */
    unsigned long long pos;  /* where scanning goes on */
    unsigned long long keep; /* bytes from here on must stay buffered */
    int eof;
    /* A regular file is mapped instead of read (no copy): buf is the
     * mapping (base 0), len how much of it is read so far, cap unused. */
    int mapped;
    bt_filemap *map;
    unsigned long long fsize;
    unsigned long long win; /* where the window read last began */
    enum scan_state state;
    int seen_root;
    unsigned long long doc_start; /* where the current document began */
    /* Line accounting, done only for bytes about to leave the buffer and
     * for error positions: line_no is the line of stream offset line_at,
     * whose line began at line_start. */
    unsigned long long line_at, line_start;
    long line_no;
    unsigned long long art_start; /* offset of the last article returned */
    /* the scan hook, when hooked */
    bt_artscan_hook hook;
    int hooked;
    int tuned; /* hook.tune was called on the start of the input */
    /* gzip'd input: inflated into buf as it is read */
    z_stream *z;
    unsigned char *zin;
    int zend; /* the compressed input is all read */
    bt_reader *reader; /* parses the articles handed out, reused */
};

static int is_gzip(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] == 0x1F && p[1] == 0x8B && p[2] == 8;
}

bt_artscan *bt_artscan_open(int fd, const char *name, bt_error *err)
{
    bt_artscan *s = calloc(1, sizeof *s);
    if (!s || !(s->name = bt_strdup(name ? name : "-")) ||
        !(s->buf = malloc(READ_SIZE))) {
        if (s)
            free(s->name);
        free(s);
        bt_error_nomem(err, name ? name : "-");
        return NULL;
    }
    s->fd = fd;
    s->cap = READ_SIZE;
    s->line_no = 1;
    struct stat st;
    unsigned char magic[3];
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        lseek(fd, 0, SEEK_CUR) == 0 &&
        !(pread(fd, magic, 3, 0) == 3 && is_gzip(magic, 3)) &&
        (s->map = bt_filemap_open(fd, (unsigned long long)st.st_size))) {
        s->mapped = 1;
        s->fsize = (unsigned long long)st.st_size;
        free(s->buf);
        s->buf = (char *)bt_filemap_data(s->map);
        s->cap = 0;
    }
    return s;
}

void bt_artscan_set_hook(bt_artscan *s, const bt_artscan_hook *hook)
{
    s->hooked = hook != NULL;
    s->tuned = 0;
    if (hook)
        s->hook = *hook;
}

void bt_artscan_close(bt_artscan *s)
{
    if (!s)
        return;
    if (s->mapped) {
        bt_filemap_close(s->map);
    } else {
        free(s->buf);
    }
    if (s->z) {
        inflateEnd(s->z);
        free(s->z);
        free(s->zin);
    }
    bt_reader_close(s->reader);
    free(s->name);
    free(s);
}

/* The number of '\n' in p[0, n): 16 bytes a step, the counts summed
 * per byte lane (at most 255 steps at a time, so no lane overflows). */
static size_t count_newlines(const char *p, size_t n)
{
    size_t count = 0, i = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
                _mm_loadu_si128((const __m128i *)(const void *)(p + i)), nl));
        __m128i sums = _mm_sad_epu8(acc, zero);
        count += (size_t)_mm_cvtsi128_si32(sums) +
                 (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums));
    }
#endif
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

/* Counts lines up to stream offset to (which must be buffered).  A
 * mapped file counts only when asked (for an error), read input as its
 * bytes leave the buffer; what lies before the buffer, or before the
 * window of a mapping (its pages let go), is read again from the file. */
static void count_lines_to(bt_artscan *s, unsigned long long to)
{
    if (to <= s->line_at)
        return;
    unsigned long long first = s->mapped ? s->win : s->base;
    unsigned long long upto = to < first ? to : first;
    while (s->line_at < upto) {
        char tmp[16384];
        unsigned long long left = upto - s->line_at;
        ssize_t n = pread(s->fd, tmp, left < sizeof tmp ? (size_t)left : sizeof tmp,
                          (off_t)s->line_at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) { /* cannot happen with a regular file; guess */
            s->line_at = upto;
            break;
        }
        size_t k = count_newlines(tmp, (size_t)n);
        if (k) {
            const char *last = memrchr(tmp, '\n', (size_t)n);
            s->line_no += (long)k;
            s->line_start = s->line_at + (unsigned long long)(last + 1 - tmp);
        }
        s->line_at += (unsigned long long)n;
    }
    if (to <= s->line_at)
        return;
    const char *p = s->buf + (s->line_at - s->base);
    const char *end = s->buf + (to - s->base);
    size_t n = count_newlines(p, (size_t)(end - p));
    if (n) {
        const char *last = memrchr(p, '\n', (size_t)(end - p));
        s->line_no += (long)n;
        s->line_start = s->base + (unsigned long long)(last + 1 - s->buf);
    }
    s->line_at = to;
}

static int fail_at(bt_artscan *s, bt_error *err, unsigned long long at,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The column of offset at (counted by count_lines_to), in characters as
 * libxml2 counts them, so that the reader and the splitter agree; bytes
 * of the line that left the buffer count one each. */
static long column(const bt_artscan *s, unsigned long long at)
{
    if (at < s->line_start)
        return 1;
    unsigned long long from = s->line_start > s->base ? s->line_start : s->base;
    if (at <= from)
        return 1 + (long)(at - s->line_start);
    long col = 1 + (long)(from - s->line_start);
    for (const unsigned char *p = (const unsigned char *)s->buf + (from - s->base),
                             *e = (const unsigned char *)s->buf + (at - s->base);
         p < e; p++)
        col += (*p & 0xC0) != 0x80;
    return col;
}

static int fail_at(bt_artscan *s, bt_error *err, unsigned long long at,
                   const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at > s->base + s->len)
        at = s->base + s->len;
    if (at < s->line_at)
        at = s->line_at;
    count_lines_to(s, at);
    bt_error_set(err, BT_ERR_INPUT, "%s:%ld:%ld: %s", s->name, s->line_no, column(s, at), msg);
    return -1;
}

/* The input stops inside a document: said as the reader says it, at the
 * end of the input. */
static int cut_off(bt_artscan *s, bt_error *err)
{
    return fail_at(s, err, s->base + s->len,
                   "the input ends too early (the document is cut off)");
}

/* more() for a mapped file: reads on a window past what is read now,
 * from the page of s->keep on (doubled until it reaches further). */
static int more_mapped(bt_artscan *s, bt_error *err)
{
    static long page;
    if (!page && (page = sysconf(_SC_PAGESIZE)) <= 0)
        page = 4096;
    unsigned long long have_end = s->len;
    unsigned long long start = s->keep - s->keep % (unsigned long long)page;
    if (have_end >= s->fsize) {
        s->eof = 1;
        return 0;
    }
    if (have_end - s->keep >= MAX_BUFFER)
        return fail_at(s, err, s->keep, "an article larger than %d MB is not supported",
                       MAX_BUFFER / (1024 * 1024));
    unsigned long long want = WINDOW;
    while (start + want <= have_end)
        want *= 2;
    unsigned long long end = start + want < s->fsize ? start + want : s->fsize;
    bt_filemap_advance(s->map, s->keep, end);
    s->win = start;
    s->len = (size_t)end;
    if (end >= s->fsize)
        s->eof = 1;
    return 0;
}

/* Drops what lies before s->keep and makes room for a read.  0 or -1. */
static int make_room(bt_artscan *s, bt_error *err)
{
    size_t drop = (size_t)(s->keep - s->base);
    if (drop) {
        count_lines_to(s, s->keep);
        memmove(s->buf, s->buf + drop, s->len - drop);
        s->len -= drop;
        s->base += drop;
    }
    if (s->cap - s->len < READ_SIZE / 2) {
        if (s->cap >= MAX_BUFFER)
            return fail_at(s, err, s->keep,
                           "an article larger than %d MB is not supported",
                           MAX_BUFFER / (1024 * 1024));
        size_t ncap = s->cap * 2;
        char *nbuf = realloc(s->buf, ncap);
        if (!nbuf) {
            bt_error_nomem(err, s->name);
            return -1;
        }
        s->buf = nbuf;
        s->cap = ncap;
    }
    return 0;
}

/* read() into p, retrying when interrupted: the count, or -1 (err). */
static ssize_t read_some(bt_artscan *s, void *p, size_t n, bt_error *err)
{
    for (;;) {
        ssize_t got = read(s->fd, p, n);
        if (got >= 0)
            return got;
        if (errno != EINTR) {
            bt_error_set(err, BT_ERR_IO, "%s: %s", s->name, strerror(errno));
            return -1;
        }
    }
}

enum { ZIN_SIZE = 64 * 1024 };

/* Switches to gzip'd input; the n bytes at p were read already. */
static int start_gzip(bt_artscan *s, const char *p, size_t n, bt_error *err)
{
    s->z = calloc(1, sizeof *s->z);
    s->zin = malloc(n > ZIN_SIZE ? n : ZIN_SIZE);
    if (!s->z || !s->zin || inflateInit2(s->z, 15 + 16) != Z_OK) {
        free(s->z);
        free(s->zin);
        s->z = NULL;
        s->zin = NULL;
        bt_error_nomem(err, s->name);
        return -1;
    }
    memcpy(s->zin, p, n);
    s->z->next_in = s->zin;
    s->z->avail_in = (uInt)n;
    return 0;
}

/* more() for gzip'd input: inflates until some bytes come out.  gzip
 * members one after another (cat a.gz b.gz) are one stream. */
static int more_gzip(bt_artscan *s, bt_error *err)
{
    z_stream *z = s->z;
    for (;;) {
        if (!z->avail_in && !s->zend) {
            ssize_t n = read_some(s, s->zin, ZIN_SIZE, err);
            if (n < 0)
                return -1;
            if (n == 0)
                s->zend = 1;
            z->next_in = s->zin;
            z->avail_in = (uInt)n;
        }
        size_t room = s->cap - s->len;
        z->next_out = (unsigned char *)s->buf + s->len;
        z->avail_out = (uInt)room;
        int r = inflate(z, Z_NO_FLUSH);
        s->len += room - z->avail_out;
        if (r == Z_STREAM_END) {
            if (!z->avail_in && !s->zend)
                continue; /* read on: another member may follow */
            if (!z->avail_in) {
                s->eof = 1;
                return 0;
            }
            if (!is_gzip(z->next_in, z->avail_in) && z->avail_in >= 3) {
                bt_error_set(err, BT_ERR_INPUT, "%s: not gzip data after the end of a "
                             "gzip member", s->name);
                return -1;
            }
            inflateReset(z);
        } else if (r == Z_BUF_ERROR && s->zend && !z->avail_in) {
            bt_error_set(err, BT_ERR_INPUT, "%s: the gzip data is cut short", s->name);
            return -1;
        } else if (r != Z_OK && r != Z_BUF_ERROR) {
            bt_error_set(err, r == Z_MEM_ERROR ? BT_ERR_NOMEM : BT_ERR_INPUT,
                         "%s: not valid gzip data (%s)", s->name,
                         z->msg ? z->msg : "inflate failed");
            return -1;
        }
        if (room != z->avail_out)
            return 0;
    }
}

/* Reads more input, dropping what lies before s->keep.  0 or -1. */
static int more(bt_artscan *s, bt_error *err)
{
    if (s->mapped)
        return more_mapped(s, err);
    if (make_room(s, err) < 0)
        return -1;
    if (s->z)
        return more_gzip(s, err);
    ssize_t n = read_some(s, s->buf + s->len, s->cap - s->len, err);
    if (n < 0)
        return -1;
    if (n == 0) {
        s->eof = 1;
        return 0;
    }
    if (s->base == 0 && s->len == 0 && is_gzip((unsigned char *)s->buf, (size_t)n)) {
        /* the magic bytes: gzip'd from here on */
        if (start_gzip(s, s->buf, (size_t)n, err) < 0)
            return -1;
        return more_gzip(s, err);
    }
    s->len += (size_t)n;
    return 0;
}

/* Makes n bytes from stream offset at available when the input has
 * them; returns how many are (n or fewer at the end), or -1. */
static long long avail(bt_artscan *s, unsigned long long at, size_t n,
                       bt_error *err)
{
    while (s->base + s->len < at + n && !s->eof)
        if (more(s, err) < 0)
            return -1;
    if (s->base + s->len <= at)
        return 0;
    return (long long)(s->base + s->len - at);
}

static const char *ptr(const bt_artscan *s, unsigned long long at)
{
    return s->buf + (at - s->base);
}

/* 1 when the bytes at stream offset at start with lit (which must fit). */
static int looking_at(bt_artscan *s, unsigned long long at, const char *lit,
                      bt_error *err, int *failed)
{
    size_t n = strlen(lit);
    long long have = avail(s, at, n, err);
    if (have < 0) {
        *failed = 1;
        return 0;
    }
    return (size_t)have >= n && !memcmp(ptr(s, at), lit, n);
}

/* Finds needle at or after from; its offset, or -1 at the end of input
 * (-2 on a read error). */
static long long find(bt_artscan *s, unsigned long long from,
                      const char *needle, bt_error *err)
{
    size_t n = strlen(needle);
    for (;;) {
        size_t have = (size_t)(s->base + s->len - from);
        if (from < s->base + s->len && have >= n) {
            const char *hit = n == 1 ? memchr(ptr(s, from), needle[0], have)
                                     : memmem(ptr(s, from), have, needle, n);
            if (hit)
                return (long long)(s->base + (unsigned long long)(hit - s->buf));
            from += have - (n - 1);
        }
        if (s->eof)
            return -1;
        if (more(s, err) < 0)
            return -2;
    }
}

/* The end of the start tag opened at `at`: the offset just past its '>'
 * (quotes respected); *empty says it ended with "/>".  -1 at the end of
 * input, -2 on a read error, -3 where the tag breaks off (a '<' in it). */
static long long tag_end(bt_artscan *s, unsigned long long at, int *empty,
                         bt_error *err)
{
    char quote = 0;
    unsigned long long i = at + 1;
    for (;;) {
        long long have = avail(s, i, 1, err);
        if (have < 0)
            return -2;
        if (have == 0)
            return -1;
        const char *p = ptr(s, i);
        for (long long k = 0; k < have; k++, i++) {
            int r = bt_xml_tag_step(p[k], &quote);
            if (r < 0)
                return -3;
            if (r > 0) {
                *empty = i > at && *ptr(s, i - 1) == '/';
                return (long long)(i + 1);
            }
        }
    }
}

/* The value of attribute name in the tag [at, end), copied to out. */
static int tag_attr(bt_artscan *s, unsigned long long at, unsigned long long end,
                    const char *name, char *out, size_t outlen)
{
    return bt_xml_tag_attr(ptr(s, at), ptr(s, end), name, out, outlen);
}

/* Skips a comment, PI or XML declaration at `at`; the offset after it. */
static long long skip_special(bt_artscan *s, unsigned long long at,
                              const char *open, const char *close,
                              bt_error *err)
{
    long long end = find(s, at + strlen(open), close, err);
    if (end == -1)
        return cut_off(s, err), -2;
    if (end < 0)
        return -2;
    return end + (long long)strlen(close);
}

/* Checks the XML declaration's encoding: the format is UTF-8. */
static int check_decl(bt_artscan *s, unsigned long long at,
                      unsigned long long end, bt_error *err)
{
    char enc[64];
    if (bt_xml_foreign_encoding(ptr(s, at), ptr(s, end), enc))
        return fail_at(s, err, at,
                       "encoding \"%s\" is not supported (the article format is UTF-8)",
                       enc);
    return 0;
}

/* Reads an element name at `at` (after '<') into out. */
static void read_name(bt_artscan *s, unsigned long long at, char *out,
                      size_t outlen, bt_error *err)
{
    long long have = avail(s, at, outlen, err);
    size_t k = 0;
    const char *p = ptr(s, at);
    while (have > 0 && k + 1 < outlen && (long long)k < have &&
           !bt_xml_name_end((unsigned char)p[k]) && p[k] != '<')
        k++;
    memcpy(out, p, k);
    out[k] = '\0';
}

/* Checks what follows a '&' in an article: the five predefined entities
 * are plain text to the prefilter; anything else needs the parser. */
static int amp_is_plain(const char *p, const char *end)
{
    static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
    for (size_t i = 0; i < BT_ARRAY_LEN(names); i++) {
        size_t n = strlen(names[i]);
        if ((size_t)(end - p) > n && !memcmp(p + 1, names[i], n))
            return 1;
    }
    return 0;
}

/* The hook's pass over the content of the article at `at` (from its
 * offset content on): finds its end tag, notes unusual entities and
 * whether the hook wants the article, in one scan.  1 with
 * *end and *flags set; 0 when the article holds anything unusual
 * (comments, CDATA, PIs, a nested <article>, an unclosed end): the
 * careful loop takes it; -1 on a read error. */
static int fused_article(bt_artscan *s, unsigned long long at, unsigned long long content,
                         unsigned long long *end, unsigned *flags, bt_error *err)
{
    for (;;) {
        const char *a = ptr(s, at);
        size_t n = (size_t)(s->base + s->len - at), from = (size_t)(content - at);
        *flags = 0;
        if (!s->tuned) {
            s->tuned = 1;
            if (s->hook.tune)
                s->hook.tune(s->hook.ctx, a, n < (1u << 18) ? n : (1u << 18));
        }
        for (;;) {
            size_t q = s->hook.scan(s->hook.ctx, a, from, n, flags);
            if (q + 12 > n)
                break; /* too near the end of what is buffered */
            if (a[q + 1] == '/' && !memcmp(a + q + 2, "article", 7) &&
                bt_xml_name_end((unsigned char)a[q + 9])) {
                const char *gt = memchr(a + q + 9, '>', n - q - 9);
                if (!gt || memchr(a + q + 9, '<', (size_t)(gt - a - q - 9)))
                    return 0;
                *end = at + (unsigned long long)(gt - a) + 1;
                return 1;
            }
            if (a[q + 1] == '!' || a[q + 1] == '?' ||
                (!memcmp(a + q + 1, "article", 7) && bt_xml_name_end((unsigned char)a[q + 8])))
                return 0;
            from = q + 1; /* "</a>", "<aria…": ordinary markup */
        }
        if (s->eof)
            return 0; /* the careful loop says what is wrong */
        if (more(s, err) < 0)
            return -1;
    }
}

/* Scans the article whose start tag opens at `at`: 1 when it is handed
 * out, 0 when the filter ruled it out (s->pos moves past it). */
static int scan_article(bt_artscan *s, unsigned long long at, bt_rawarticle *out,
                        bt_error *err)
{
    int empty = 0, must_parse = 0, fused = 0;
    unsigned flags = 0;
    long long i = tag_end(s, at, &empty, err);
    if (i == -1)
        return cut_off(s, err);
    if (i == -3)
        return fail_at(s, err, at, "<article> start tag is not closed");
    if (i < 0)
        return -1;
    if (!empty && s->hooked) {
        unsigned long long end;
        fused = fused_article(s, at, (unsigned long long)i, &end, &flags, err);
        if (fused < 0)
            return -1;
        if (fused) {
            i = (long long)end;
            must_parse = (flags & BT_SCAN_PARSE) != 0;
            if (s->hook.skip && !must_parse && !(flags & BT_SCAN_WANT)) {
                s->pos = end; /* not wanted: skipped unparsed */
                return 0;
            }
        }
    }
    if (empty) {
        must_parse = 1;
    } else if (fused) {
        /* the hook's pass found the end */
    } else {
        for (;;) {
            /* The fast path: a '<' with enough bytes after it buffered,
             * an ordinary tag. */
            const char *b = ptr(s, (unsigned long long)i), *e = s->buf + s->len;
            const char *q = b < e ? memchr(b, '<', (size_t)(e - b)) : NULL;
            if (q && e - q > 16 && q[1] != '!' && q[1] != '?') {
                if (q[1] == '/' && !memcmp(q + 2, "article", 7) &&
                    bt_xml_name_end((unsigned char)q[9])) {
                    /* the end tag: handled below */
                } else {
                    if (q[1] == 'a' && !memcmp(q + 1, "article", 7) &&
                        bt_xml_name_end((unsigned char)q[8]))
                        must_parse = 1; /* nested: the parser says how */
                    i = (long long)(s->base + (unsigned long long)(q - s->buf)) + 1;
                    continue;
                }
            }
            long long lt = find(s, (unsigned long long)i, "<", err);
            if (lt == -1)
                return cut_off(s, err);
            if (lt < 0)
                return -1;
            int failed = 0;
            unsigned long long l = (unsigned long long)lt;
            if (looking_at(s, l, "</article", err, &failed) &&
                avail(s, l + 9, 1, err) > 0 && bt_xml_name_end((unsigned char)*ptr(s, l + 9))) {
                long long gt = find(s, l + 9, ">", err);
                if (gt == -1)
                    return cut_off(s, err);
                if (gt < 0)
                    return -1;
                i = gt + 1;
                break;
            }
            if (failed)
                return -1;
            const char *close = NULL;
            if (looking_at(s, l, "<!--", err, &failed))
                close = "-->";
            else if (looking_at(s, l, "<![CDATA[", err, &failed))
                close = "]]>";
            else if (looking_at(s, l, "<?", err, &failed))
                close = "?>";
            if (failed)
                return -1;
            if (close) {
                must_parse = 1;
                i = skip_special(s, l, "<", close, err);
                if (i < 0)
                    return -1;
                continue;
            }
            if (looking_at(s, l, "<!", err, &failed) ||
                (looking_at(s, l, "<article", err, &failed) &&
                 avail(s, l + 8, 1, err) > 0 && bt_xml_name_end((unsigned char)*ptr(s, l + 8))))
                must_parse = 1; /* malformed: the parser says how */
            if (failed)
                return -1;
            i = lt + 1;
        }
    }
    out->xml = ptr(s, at);
    out->len = (size_t)((unsigned long long)i - at);
    if (!must_parse && !fused) {
        const char *p = out->xml, *end = out->xml + out->len;
        while ((p = memchr(p, '&', (size_t)(end - p)))) {
            if (!amp_is_plain(p, end)) {
                must_parse = 1;
                break;
            }
            p++;
        }
    }
    out->must_parse = must_parse;
    out->wanted = !s->hooked || !fused || (flags & BT_SCAN_WANT) != 0;
    s->art_start = at;
    s->pos = (unsigned long long)i;
    return 1;
}

/* Handles "<…" at s->pos outside any article.  1: an article was
 * returned; 0: go on; -1: error. */
static int at_markup(bt_artscan *s, bt_rawarticle *out, bt_error *err)
{
    unsigned long long at = s->pos;
    int failed = 0;
    long long next;
    /* the usual case first: the next article of <articles> */
    if (s->state == S_ARTICLES && avail(s, at, 9, err) >= 9 &&
        !memcmp(ptr(s, at), "<article", 8) && bt_xml_name_end((unsigned char)*ptr(s, at + 8)))
        return scan_article(s, at, out, err);
    if (looking_at(s, at, "<?", err, &failed)) {
        int decl = (s->state == S_EPILOG || (s->state == S_PROLOG && at - s->doc_start <= 3)) &&
                   looking_at(s, at, "<?xml", err, &failed) &&
                   avail(s, at + 5, 1, err) > 0 && bt_xml_space((unsigned char)*ptr(s, at + 5));
        if (decl && s->state == S_EPILOG) { /* the next document of a concatenation */
            s->state = S_PROLOG;
            s->doc_start = at;
        }
        next = skip_special(s, at, "<?", "?>", err);
        if (next < 0 || (decl && check_decl(s, at, (unsigned long long)next, err) < 0))
            return -1;
        s->pos = (unsigned long long)next;
        return 0;
    }
    if (!failed && looking_at(s, at, "<!--", err, &failed)) {
        next = skip_special(s, at, "<!--", "-->", err);
        if (next < 0)
            return -1;
        s->pos = (unsigned long long)next;
        return 0;
    }
    if (failed)
        return -1;
    if (looking_at(s, at, "<!DOCTYPE", err, &failed))
        return fail_at(s, err, at, "a DOCTYPE is not allowed in the article format");
    if (s->state == S_EPILOG) {
        /* another document may follow, with or without a declaration */
        char root[16];
        if (looking_at(s, at, "</", err, &failed))
            return fail_at(s, err, at, "extra content at the end of the document");
        read_name(s, at + 1, root, sizeof root, err);
        if (strcmp(root, "articles") && strcmp(root, "article"))
            return fail_at(s, err, at, "extra content at the end of the document");
        s->state = S_PROLOG;
        s->doc_start = at;
    }
    if (looking_at(s, at, "</", err, &failed)) {
        char name[64];
        read_name(s, at + 2, name, sizeof name, err);
        if (s->state != S_ARTICLES || strcmp(name, "articles"))
            return fail_at(s, err, at, "unexpected end tag </%s>", name);
        next = find(s, at + 2, ">", err);
        if (next == -1)
            return cut_off(s, err);
        if (next < 0)
            return -1;
        s->pos = (unsigned long long)next + 1;
        s->state = S_EPILOG;
        return 0;
    }
    if (failed)
        return -1;
    char name[64];
    read_name(s, at + 1, name, sizeof name, err);
    if (!strcmp(name, "article")) {
        if (s->state == S_PROLOG)
            s->state = S_EPILOG; /* a bare <article> root */
        return scan_article(s, at, out, err);
    }
    if (s->state == S_ARTICLES)
        return fail_at(s, err, at, "unexpected element <%s> in <articles>", name);
    if (strcmp(name, "articles"))
        return fail_at(s, err, at, "expected <articles> or <article>, found <%s>",
                       name[0] ? name : "?");
    int empty = 0;
    next = tag_end(s, at, &empty, err);
    if (next == -1)
        return cut_off(s, err);
    if (next == -3)
        return fail_at(s, err, at, "<articles> start tag is not closed");
    if (next < 0)
        return -1;
    char version[48];
    if (tag_attr(s, at, (unsigned long long)next, "version", version, sizeof version) &&
        strcmp(version, BT_FORMAT_VERSION))
        return fail_at(s, err, at,
                       "unsupported format version \"%s\" (this is version 1)", version);
    s->pos = (unsigned long long)next;
    s->state = empty ? S_EPILOG : S_ARTICLES;
    return 0;
}

int bt_artscan_next(bt_artscan *s, bt_rawarticle *out, bt_error *err)
{
    bt_error scratch;
    if (!err)
        err = &scratch;
    for (;;) {
        s->keep = s->pos;
        /* white space */
        for (;;) {
            long long have = avail(s, s->pos, 1, err);
            if (have < 0)
                return -1;
            if (have == 0)
                break;
            const char *p = ptr(s, s->pos), *e = p + have, *q = p;
            while (q < e && bt_xml_space((unsigned char)*q))
                q++;
            s->pos += (unsigned long long)(q - p);
            if (q < e)
                break;
            s->keep = s->pos;
        }
        s->keep = s->pos;
        long long have = avail(s, s->pos, 1, err);
        if (have < 0)
            return -1;
        if (have == 0) {
            if (s->state == S_ARTICLES)
                return cut_off(s, err);
            if (s->state == S_PROLOG && s->seen_root)
                return fail_at(s, err, s->pos, "no <articles> element");
            return 0;
        }
        unsigned char c = (unsigned char)*ptr(s, s->pos);
        if (c == 0xEF && ((s->state == S_PROLOG && s->pos == s->doc_start) ||
                          s->state == S_EPILOG)) {
            /* a byte order mark where a document starts */
            int failed = 0;
            if (looking_at(s, s->pos, "\xEF\xBB\xBF", err, &failed)) {
                s->state = S_PROLOG;
                s->doc_start = s->pos;
                s->pos += 3;
                continue;
            }
            if (failed)
                return -1;
        }
        s->seen_root = 1; /* something other than white space */
        if (c != '<') {
            if (s->state == S_ARTICLES)
                return fail_at(s, err, s->pos, "text directly inside <articles>");
            if (s->state == S_EPILOG)
                return fail_at(s, err, s->pos, "extra content at the end of the document");
            long long n = avail(s, s->pos, BT_XML_PEEK, err);
            if (n < 0)
                return -1;
            const char *what = bt_xml_not_document(
                (const unsigned char *)ptr(s, s->pos), n < BT_XML_PEEK ? (size_t)n : BT_XML_PEEK);
            return fail_at(s, err, s->pos, "%s",
                           what ? what : "not the article format (no '<' where the document starts)");
        }
        int rc = at_markup(s, out, err);
        if (rc)
            return rc;
    }
}

void bt_artscan_where(bt_artscan *s, long *line, long *col)
{
    if (s->art_start >= s->line_at)
        count_lines_to(s, s->art_start);
    *line = s->line_no;
    *col = column(s, s->art_start);
}

/* Moves a "name:line:col: what" error from the article's own lines to
 * the stream's. */
static void shift_error(bt_artscan *s, bt_error *err, long line, long col)
{
    size_t n = strlen(s->name);
    if (strncmp(err->msg, s->name, n) || err->msg[n] != ':')
        return;
    long l, c;
    int used = 0;
    if (sscanf(err->msg + n + 1, "%ld:%ld:%n", &l, &c, &used) != 2 || !used)
        return;
    /* libxml2 names other lines in its words too ("mismatch: p line 3
     * and q"): those move with the article */
    char rest[sizeof err->msg];
    size_t o = 0;
    for (const char *p = err->msg + n + 1 + used; *p && o + 1 < sizeof rest;) {
        long other;
        int len = 0;
        if (!strncmp(p, " line ", 6) && sscanf(p + 6, "%ld%n", &other, &len) == 1 && len &&
            p[6] >= '0' && p[6] <= '9') {
            int w = snprintf(rest + o, sizeof rest - o, " line %ld", line + other - 1);
            o = w > 0 && (size_t)w < sizeof rest - o ? o + (size_t)w : sizeof rest - 1;
            p += 6 + len;
        } else {
            rest[o++] = *p++;
        }
    }
    rest[o] = '\0';
    bt_error_set(err, BT_ERR_INPUT, "%s:%ld:%ld:%s", s->name, line + l - 1,
                 l == 1 ? col + c - 1 : c, rest);
}

int bt_artscan_parse(bt_artscan *s, const bt_rawarticle *raw, bt_article *out,
                     bt_error *err)
{
    bt_error scratch;
    if (!err)
        err = &scratch;
    /* one reader for the whole stream, pointed at each article in turn */
    if (!s->reader) {
        s->reader = bt_reader_open_memory(raw->xml, raw->len, s->name, err);
        if (!s->reader)
            return -1;
    } else if (bt_reader_reset_memory(s->reader, raw->xml, raw->len, err) < 0) {
        return -1;
    }
    int rc = bt_reader_next(s->reader, out, err);
    if (rc == 0)
        bt_error_set(err, BT_ERR_INPUT, "%s: no article", s->name);
    if (rc == 1)
        return 0;
    if (s->art_start >= s->line_at) {
        count_lines_to(s, s->art_start);
        shift_error(s, err, s->line_no, column(s, s->art_start));
    }
    return -1;
}
