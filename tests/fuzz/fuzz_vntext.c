/* Vietnamese text on any bytes: cleaning (bt_text_clean), folding
 * (bt_fold, with offsets), white space (bt_text_collapse_space) and slugs
 * (bt_slug), the steps every page and every search takes.  Checks what
 * bantin.h promises of each: clean text is valid UTF-8 and stays the same
 * when cleaned again, the clean prefix is clean, fold offsets point into
 * the text, slugs are [a-z0-9-].  (The prefix may stop short of clean
 * text: a combining mark left after a letter it does not compose with is
 * NFC but not a "stable starter", so the writer takes its slow path.) */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void vntext_fold(const char *s, size_t len, bt_fold_mode mode)
{
    bt_buf out = BT_BUF_INIT, plain = BT_BUF_INIT;
    size_t *off = NULL;
    if (bt_fold(s, len, mode, &out, &off) < 0)
        goto done; /* out of memory */
    if (!off)
        fuzz_fail("bt_fold (mode %d) gave no offsets", (int)mode);
    if (!fuzz_utf8_valid(out.data, out.len))
        fuzz_fail("bt_fold (mode %d) returned invalid UTF-8", (int)mode);
    if (off[out.len] != len)
        fuzz_fail("bt_fold (mode %d): the last offset is %zu, not the length %zu", (int)mode,
                  off[out.len], len);
    for (size_t k = 0; k < out.len; k++)
        if (off[k] > len)
            fuzz_fail("bt_fold (mode %d): offset %zu is %zu, past the end %zu", (int)mode, k,
                      off[k], len);
    /* the same fold without offsets gives the same text */
    if (bt_fold(s, len, mode, &plain, NULL) == 0 &&
        (plain.len != out.len || memcmp(plain.data, out.data, out.len)))
        fuzz_fail("bt_fold (mode %d) gives another text when asked for offsets", (int)mode);
done:
    free(off);
    bt_buf_free(&out);
    bt_buf_free(&plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bt_buf clean = BT_BUF_INIT, again = BT_BUF_INIT, sp = BT_BUF_INIT, slug = BT_BUF_INIT;
    size_t invalid = 0;
    if (bt_text_clean_count(s, size, &clean, &invalid) < 0)
        goto done;
    if (!fuzz_utf8_valid(clean.data, clean.len))
        fuzz_fail("bt_text_clean returned invalid UTF-8");
    if (invalid > size)
        fuzz_fail("bt_text_clean counted %zu invalid bytes in %zu", invalid, size);
    /* The clean prefix is clean on its own (the character after it may
     * still change its last letter: a combining mark composes with it). */
    size_t keep = bt_text_clean_prefix(s, size);
    if (keep > size)
        fuzz_fail("bt_text_clean_prefix says %zu of %zu bytes are clean", keep, size);
    if (bt_text_clean(s, keep, &again) == 0 &&
        (again.len != keep || memcmp(again.data, s, keep)))
        fuzz_fail("the %zu bytes bt_text_clean_prefix calls clean change when cleaned", keep);
    if (keep == size && (clean.len != size || memcmp(clean.data, s, size) || invalid))
        fuzz_fail("bt_text_clean_prefix says the text is clean, but cleaning changes it");
    bt_buf_reset(&again);
    if (bt_text_clean(clean.data, clean.len, &again) == 0 &&
        (again.len != clean.len || memcmp(again.data, clean.data, clean.len)))
        fuzz_fail("clean text changes when cleaned again");

    for (int mode = BT_FOLD_EXACT; mode <= BT_FOLD_BASE_KEEPCASE; mode++)
        vntext_fold(s, size, (bt_fold_mode)mode);

    if (bt_text_collapse_space(clean.data, clean.len, &sp) == 0) {
        if (sp.len && (sp.data[0] == ' ' || sp.data[sp.len - 1] == ' ' ||
                       strstr(sp.data, "  ") || memchr(sp.data, '\n', sp.len) ||
                       memchr(sp.data, '\t', sp.len)))
            fuzz_fail("bt_text_collapse_space left white space uncollapsed: \"%s\"", sp.data);
    }

    bt_has_diacritics(s, size);
    bt_has_upper(s, size);

    size_t max = size ? data[0] % 64 : 0;
    if (bt_slug(clean.data, max, &slug) == 0) {
        if (!slug.len)
            fuzz_fail("bt_slug gave an empty slug");
        if (max && slug.len > max && strcmp(slug.data, "article"))
            fuzz_fail("bt_slug gave %zu bytes, more than %zu", slug.len, max);
        if (slug.data[0] == '-' || slug.data[slug.len - 1] == '-' || strstr(slug.data, "--"))
            fuzz_fail("bt_slug: stray '-' in \"%s\"", slug.data);
        for (size_t i = 0; i < slug.len; i++) {
            char c = slug.data[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                fuzz_fail("bt_slug: \"%s\" holds a byte outside [a-z0-9-]", slug.data);
        }
    }
done:
    bt_buf_free(&clean);
    bt_buf_free(&again);
    bt_buf_free(&sp);
    bt_buf_free(&slug);
    return 0;
}
