/* HTML pages: bt_htmlpage_extract on any bytes.  An article must survive
 * the article format; a page that is not one says so in one line. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_page(bt_htmlpage_extract, "bt_htmlpage_extract", "page.html", "HTML page", data, size);
    return 0;
}
