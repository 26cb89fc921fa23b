/* Text pages: bt_textpage_extract on any bytes (the encoding detected).
 * What it makes must survive the article format (fuzz_roundtrip). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bt_extract_opts o = fuzz_extract_opts("page.txt");
    bt_article a;
    bt_article_init(&a);
    bt_error err = BT_ERROR_INIT;
    if (bt_textpage_extract((const char *)data, size, &o, &a, &err) == 1)
        fuzz_roundtrip(&a, "text page");
    else
        fuzz_check_error(&err, "bt_textpage_extract");
    bt_article_free(&a);
    return 0;
}
