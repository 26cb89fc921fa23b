/* The encoding detector and decoder: bt_decode on any bytes, guessing or
 * with a forced encoding (picked by the last byte; most bytes guess).
 * What it returns is valid UTF-8 and names the encoding it used. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const forced[16] = {
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        "UTF-8", "CP1258", "TCVN3", "UTF-16LE", "ISO-8859-1",
    };
    const char *enc = size ? forced[data[size - 1] & 15] : NULL;
    bt_buf out = BT_BUF_INIT;
    const char *detected = NULL;
    bt_error err = BT_ERROR_INIT;
    if (bt_decode((const char *)data, size, enc, "input", &out, &detected, &err) == 0) {
        if (!detected)
            fuzz_fail("bt_decode did not say which encoding it used");
        if (!fuzz_utf8_valid(out.data, out.len))
            fuzz_fail("bt_decode (%s, %s) returned invalid UTF-8", enc ? enc : "guessing",
                      detected);
        if (out.data[out.len] != '\0')
            fuzz_fail("bt_decode left its buffer unterminated");
    } else {
        fuzz_check_error(&err, "bt_decode");
    }
    bt_buf_free(&out);
    return 0;
}
