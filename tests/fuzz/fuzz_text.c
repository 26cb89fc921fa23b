/* Text pages: bt_textpage_extract on any bytes (the encoding detected).
 * What it makes must survive the article format (fuzz_roundtrip); what it
 * refuses says why in one line. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_page(bt_textpage_extract, "bt_textpage_extract", "page.txt", "text page", data, size);
    return 0;
}
