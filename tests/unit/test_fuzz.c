/* The fuzzers' regressions: every input in fixtures/fuzz/ (each broke a
 * promise once, or has a shape a fuzzer found; "html-…" came from
 * tests/fuzz/fuzz_html.c) replayed through every harness, with all of its
 * checks: a broken promise aborts the test.
 * The harnesses are compiled in here as they are (their libFuzzer entry
 * point renamed), so make check runs them without clang. */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>

#define BT_FUZZ_REPLAY 1 /* no libFuzzer here: only the entry points */

#define LLVMFuzzerTestOneInput fuzz_text
#include "../fuzz/fuzz_text.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_html
#include "../fuzz/fuzz_html.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_input
#include "../fuzz/fuzz_input.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_reader
#include "../fuzz/fuzz_reader.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_date
#include "../fuzz/fuzz_date.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_decode
#include "../fuzz/fuzz_decode.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_vntext
#include "../fuzz/fuzz_vntext.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_prefilter
#include "../fuzz/fuzz_prefilter.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_pdf
#include "../fuzz/fuzz_pdf.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_docx
#include "../fuzz/fuzz_docx.c"
#undef LLVMFuzzerTestOneInput

static const char DIR_FUZZ[] = "fixtures/fuzz";

typedef struct harness {
    const char *name;
    int (*run)(const uint8_t *data, size_t size);
} harness;

static const harness HARNESSES[] = {
    {"text", fuzz_text},     {"html", fuzz_html},     {"input", fuzz_input},
    {"reader", fuzz_reader}, {"date", fuzz_date},     {"decode", fuzz_decode},
    {"vntext", fuzz_vntext}, {"prefilter", fuzz_prefilter}, {"pdf", fuzz_pdf},
    {"docx", fuzz_docx},
};
#define NHARNESSES (sizeof HARNESSES / sizeof *HARNESSES)

/* Every fixture through the harness: the one it is named for found it,
 * and any bytes are input to any harness, so all of them take all. */
static void test_replay(void **state)
{
    const harness *h = *state;
    DIR *d = opendir(DIR_FUZZ);
    assert_non_null(d);
    size_t ran = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", DIR_FUZZ, e->d_name);
        size_t len;
        char *data = unit_read_file(path, &len);
        assert_non_null(data);
        assert_int_equal(h->run((const uint8_t *)data, len), 0);
        free(data);
        ran++;
    }
    closedir(d);
    assert_true(ran > 0);
}

/* Every fixture is named for a harness, so none is silently left out. */
static void test_every_fixture_has_a_harness(void **state)
{
    (void)state;
    DIR *d = opendir(DIR_FUZZ);
    assert_non_null(d);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t k = 0;
        while (k < NHARNESSES &&
               !(strncmp(e->d_name, HARNESSES[k].name, strlen(HARNESSES[k].name)) == 0 &&
                 e->d_name[strlen(HARNESSES[k].name)] == '-'))
            k++;
        if (k == NHARNESSES)
            fail_msg("%s/%s is named for no harness", DIR_FUZZ, e->d_name);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
}

int main(void)
{
    static char names[NHARNESSES][64];
    struct CMUnitTest tests[NHARNESSES + 1];
    tests[0] = (struct CMUnitTest)cmocka_unit_test(test_every_fixture_has_a_harness);
    for (size_t k = 0; k < NHARNESSES; k++) {
        snprintf(names[k], sizeof names[k], "%s/* through the %s harness", DIR_FUZZ, HARNESSES[k].name);
        tests[k + 1] = (struct CMUnitTest){names[k], test_replay, NULL, NULL,
                                           (void *)&HARNESSES[k]};
    }
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    bt_pdf_shutdown();
    return rc;
}
