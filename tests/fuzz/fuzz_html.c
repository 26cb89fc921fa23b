/* HTML pages: bt_htmlpage_extract on any bytes.  An article must survive
 * the article format; a page that is not one says so in one line. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bt_extract_opts o = fuzz_extract_opts("page.html");
    bt_article a;
    bt_article_init(&a);
    bt_error err = BT_ERROR_INIT;
    int rc = bt_htmlpage_extract((const char *)data, size, &o, &a, &err);
    if (rc == 1)
        fuzz_roundtrip(&a, "HTML page");
    else if (rc == 0 || rc == -1)
        fuzz_check_error(&err, "bt_htmlpage_extract");
    else
        fuzz_fail("bt_htmlpage_extract returned %d", rc);
    bt_article_free(&a);
    return 0;
}
