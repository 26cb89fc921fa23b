/*
 * newsgrep's prefilter against its full matcher, a differential harness.
 *
 * Input: one line of options and patterns, then an article stream:
 *
 *     OPTS <TAB> PATTERN [<TAB> PATTERN]... <LF> STREAM
 *
 * (a line without a tab is one pattern, no options).  OPTS letters are
 * newsgrep's: w (-w), i (-i), s (-s), x (--exact), a (--all), E (-E),
 * t (the first pattern is -t, searched in the title and required), and
 * the fields of --in: T title, B body, Y byline, S source, R related
 * (title and body when none is given).
 *
 * The reference reads the stream without a filter, parses every article
 * and asks bt_matcher_article.  For each article it accepts, the byte
 * prefilter (bt_matcher_may_match) must not say no, and a scan filtered
 * by the matcher (bt_artscan_filter: the fused vector pass newsgrep
 * uses) must hand it out, from a mapped file and from read() alike.
 * abort() when either drops an article the matcher accepts.
 */
#include "fuzz.h"
#include "search_int.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { PF_MAX_PATTERNS = 4, PF_MAX_ARTICLES = 256 };

/* The articles the matcher accepted, their bytes one after the other. */
typedef struct pf_accepted {
    bt_buf bytes;
    size_t len[PF_MAX_ARTICLES];
    size_t n;
} pf_accepted;

static int pf_each(void *ctx, unsigned field, const char *text, size_t len,
                   size_t start, size_t end)
{
    (void)ctx;
    if (!strcmp(bt_field_name(field), "?"))
        fuzz_fail("bt_matcher_each: a match in no field (%u)", field);
    if (start > end || end > len)
        fuzz_fail("bt_matcher_each: a match [%zu, %zu) outside the %zu bytes of %s", start,
                  end, len, bt_field_name(field));
    (void)text;
    return 0;
}

/* Options and patterns from the first line; NULL when there is none. */
static bt_matcher *pf_matcher(const char *line, size_t len)
{
    const char *tab = memchr(line, '\t', len);
    const char *opts = line, *pats = line;
    size_t nopts = 0;
    if (tab) {
        nopts = (size_t)(tab - line);
        pats = tab + 1;
    }
    bt_match_opts mo = {0, 0, 0, 0, 0};
    unsigned fields = 0;
    int title = 0;
    for (size_t i = 0; i < nopts; i++) {
        switch (opts[i]) {
        case 'w': mo.word = 1; break;
        case 'i': mo.ignore_case = 1; break;
        case 's': mo.ignore_case = -1; break;
        case 'x': mo.exact = 1; break;
        case 'a': mo.all = 1; break;
        case 'E': mo.regex = 1; break;
        case 't': title = 1; break;
        case 'T': fields |= BT_FIELD_TITLE; break;
        case 'B': fields |= BT_FIELD_BODY; break;
        case 'Y': fields |= BT_FIELD_BYLINE; break;
        case 'S': fields |= BT_FIELD_SOURCE; break;
        case 'R': fields |= BT_FIELD_RELATED; break;
        default: break;
        }
    }
    if (!fields)
        fields = BT_FIELD_TITLE | BT_FIELD_BODY;
    bt_error err = BT_ERROR_INIT;
    bt_matcher *m = bt_matcher_new(&mo, &err);
    if (!m)
        return NULL;
    const char *end = line + len;
    for (int k = 0; k < PF_MAX_PATTERNS && pats <= end; k++) {
        const char *stop = memchr(pats, '\t', (size_t)(end - pats));
        if (!stop)
            stop = end;
        char *p = bt_strndup(pats, (size_t)(stop - pats)); /* ends at a NUL too */
        int rc = p ? bt_matcher_add(m, p, k == 0 && title ? BT_FIELD_TITLE : fields,
                                    k == 0 && title, &err)
                   : -1;
        free(p);
        if (rc < 0) {
            if (p)
                fuzz_check_error(&err, "bt_matcher_add");
            bt_matcher_free(m);
            return NULL;
        }
        pats = stop + 1;
    }
    return m;
}

/* The reference: every article parsed and judged by the matcher. */
static void pf_reference(bt_matcher *m, int fd, pf_accepted *acc)
{
    bt_error err = BT_ERROR_INIT;
    lseek(fd, 0, SEEK_SET);
    bt_artscan *s = bt_artscan_open(fd, "stream.xml", &err);
    if (!s)
        return;
    bt_rawarticle raw;
    int n;
    while ((n = bt_artscan_next(s, &raw, &err)) == 1) {
        int may = raw.must_parse || bt_matcher_may_match(m, raw.xml, raw.len);
        bt_article a;
        bt_article_init(&a);
        int r = -1;
        /* what newsgrep writes unparsed, the parser must take */
        int unparsed = !raw.must_parse && bt_raw_check(raw.xml, raw.len) == RAW_YES;
        if (bt_artscan_parse(s, &raw, &a, &err) == 0)
            r = bt_matcher_article(m, &a, &err);
        else if (unparsed && err.code != BT_ERR_NOMEM) {
            fprintf(stderr, "%.*s\n", (int)raw.len, raw.xml);
            fuzz_fail("bt_raw_check let through an article the parser refuses: %s", err.msg);
        }
        if (r == 1) {
            if (!may) {
                fprintf(stderr, "%.*s\n", (int)raw.len, raw.xml);
                fuzz_fail("bt_matcher_may_match rejected an article the matcher accepts");
            }
            if (bt_matcher_each(m, &a, pf_each, NULL, &err) < 0)
                fuzz_check_error(&err, "bt_matcher_each");
            if (acc->n < PF_MAX_ARTICLES && bt_buf_add(&acc->bytes, raw.xml, raw.len) == 0)
                acc->len[acc->n++] = raw.len;
        }
        bt_article_free(&a);
        if (r < 0) {
            fuzz_check_error(&err, "parsing or matching an article");
            break; /* newsgrep gives up the stream here */
        }
    }
    if (n < 0)
        fuzz_check_error(&err, "bt_artscan_next");
    bt_artscan_close(s);
}

/* The filtered scan from stream offset off must hand out each accepted
 * article, in order, and they must parse and match as before. */
static void pf_filtered(bt_matcher *m, int fd, off_t off, const pf_accepted *acc,
                        const char *how)
{
    bt_error err = BT_ERROR_INIT;
    lseek(fd, off, SEEK_SET);
    bt_artscan *s = bt_artscan_open(fd, "stream.xml", &err);
    if (!s)
        return;
    bt_artscan_filter(s, m);
    size_t j = 0, at = 0;
    bt_rawarticle raw;
    int n = 1;
    while (j < acc->n && (n = bt_artscan_next(s, &raw, &err)) == 1) {
        if (raw.len != acc->len[j] || memcmp(raw.xml, acc->bytes.data + at, raw.len))
            continue; /* one the matcher refused, let through */
        bt_article a;
        bt_article_init(&a);
        int r = bt_artscan_parse(s, &raw, &a, &err);
        if (r == 0)
            r = bt_matcher_article(m, &a, &err);
        bt_article_free(&a);
        if (r != 1)
            fuzz_fail("the filtered scan (%s): accepted article %zu now %s: %s", how, j,
                      r ? "fails" : "does not match", r ? err.msg : "");
        at += acc->len[j++];
    }
    if (j < acc->n) {
        fprintf(stderr, "%.*s\n", (int)acc->len[j], acc->bytes.data + at);
        fuzz_fail("the filtered scan (%s) lost accepted article %zu of %zu%s%s", how, j + 1,
                  acc->n, n < 0 ? ": " : "", n < 0 ? err.msg : "");
    }
    bt_artscan_close(s);
}

/* A matcher costs a fold of the whole BMP (the prefilter's table), so
 * the last 512 are kept by their first line, as newsgrep keeps its one
 * matcher for every file.  What a matcher carries from one input to the
 * next is its prefilter's anchor, chosen afresh on each stream. */
static bt_matcher *pf_cached(const char *line, size_t len)
{
    enum { PF_CACHE = 512 }; /* about 300 KB each */
    static struct {
        char *line;
        size_t len;
        bt_matcher *m;
    } cache[PF_CACHE];
    static size_t next;
    for (size_t i = 0; i < PF_CACHE; i++)
        if (cache[i].m && cache[i].len == len && !memcmp(cache[i].line, line, len))
            return cache[i].m;
    bt_matcher *m = pf_matcher(line, len);
    char *copy = m ? malloc(len + 1) : NULL;
    if (!copy) {
        bt_matcher_free(m);
        return NULL;
    }
    memcpy(copy, line, len);
    bt_matcher_free(cache[next].m);
    free(cache[next].line);
    cache[next].line = copy;
    cache[next].len = len;
    cache[next].m = m;
    next = (next + 1) % PF_CACHE;
    return m;
}

/* Puts the stream into fd at offset off (what lies before is one pad
 * byte, so that the scanner reads instead of mapping). */
static int pf_store(int fd, const uint8_t *data, size_t size, off_t off)
{
    if (ftruncate(fd, 0) < 0 || (off && pwrite(fd, "\n", 1, 0) != 1))
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t k = pwrite(fd, data + done, size - done, off + (off_t)done);
        if (k <= 0)
            return -1;
        done += (size_t)k;
    }
    return 0;
}

#ifndef BT_FUZZ_REPLAY
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed);

/* A new first line costs a new matcher (pf_cached), so nine mutations in
 * ten leave it alone and change the stream only. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned seed)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) + 1 : 0;
    if (!nl || seed % 10 == 0 || max <= head)
        return LLVMFuzzerMutate(data, size, max);
    return head + LLVMFuzzerMutate(data + head, size - head, max - head);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(__x86_64__)
    /* the vector steps of bt_xml_text_ok say what the plain one says */
    int plain = bt_xml_text_ok_isa((const char *)data, size, 0);
    if (__builtin_cpu_supports("avx2") && bt_xml_text_ok_isa((const char *)data, size, 256) != plain)
        fuzz_fail("bt_xml_text_ok: the AVX2 step says %d, the plain one %d", !plain, plain);
    if (__builtin_cpu_supports("avx512bw") &&
        bt_xml_text_ok_isa((const char *)data, size, 512) != plain)
        fuzz_fail("bt_xml_text_ok: the AVX-512 step says %d, the plain one %d", !plain, plain);
#endif
    static int fd = -1;
    if (fd < 0 && (fd = memfd_create("bantin-fuzz-stream", MFD_CLOEXEC)) < 0)
        fuzz_fail("memfd_create failed");
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    bt_matcher *m = pf_cached((const char *)data, (size_t)(nl - data));
    if (!m)
        return 0;
    const uint8_t *stream = nl + 1;
    size_t len = size - (size_t)(stream - data);
    pf_accepted acc;
    memset(&acc, 0, sizeof acc);
    bt_buf_init(&acc.bytes, 0);
    if (pf_store(fd, stream, len, 0) == 0) {
        pf_reference(m, fd, &acc);
        pf_filtered(m, fd, 0, &acc, "mapped");
        if (pf_store(fd, stream, len, 1) == 0)
            pf_filtered(m, fd, 1, &acc, "read");
    }
    bt_buf_free(&acc.bytes);
    return 0;
}
