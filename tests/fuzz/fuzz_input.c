/* Inputs of any kind: bt_extract_input sniffs the bytes and reads them as
 * a zip archive, a WARC file (plain or gzip'd), one gzip'd page, an HTML
 * or a text page.  Every article must survive the article format; every
 * problem of a member is one line.  The last byte picks the input's name
 * (".html" or none), which sniffing uses to break ties. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input_run {
    size_t articles;
} input_run;

static int input_article(bt_article *a, void *ctx)
{
    input_run *r = ctx;
    if (++r->articles > 64)
        return 0; /* enough checked: a bomb of tiny pages costs time only */
    fuzz_roundtrip(a, "input");
    return 0;
}

static void input_problem(const char *msg, int kind, void *ctx)
{
    (void)ctx;
    if (kind != BT_PROBLEM_NOTICE && kind != BT_PROBLEM_FAILED && kind != BT_PROBLEM_SKIPPED &&
        kind != BT_PROBLEM_IMAGE)
        fuzz_fail("a problem of no known kind (%d): %s", kind, msg);
    if (!msg[0] || strchr(msg, '\n'))
        fuzz_fail("a problem that is not one line: \"%s\"", msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *name = size && (data[size - 1] & 0x20) ? "page.html" : "input";
    bt_extract_opts o = fuzz_extract_opts(name);
    input_run r = {0};
    bt_error err = BT_ERROR_INIT;
    int rc = bt_extract_input(name, (const char *)data, size, &o, input_article,
                              input_problem, &r, &err);
    if (rc == -1)
        fuzz_check_error(&err, "bt_extract_input");
    else if (rc != 0)
        fuzz_fail("bt_extract_input returned %d", rc);
    return 0;
}
