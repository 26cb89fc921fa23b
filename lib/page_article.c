/* What the text and HTML extractors set the same way: the settings an
 * extraction starts from, and an article's date fields. */
#include "page_int.h"

#include <stdlib.h>
#include <string.h>

int bt_page_setup(const bt_extract_opts **opts, const char **name, char tz[7], bt_error *err)
{
    static const bt_extract_opts defaults = {0};
    if (!*opts)
        *opts = &defaults;
    *name = (*opts)->name ? (*opts)->name : "(standard input)";
    memcpy(tz, "+07:00", 7);
    if ((*opts)->tz && bt_tz_parse((*opts)->tz, tz) < 0) {
        bt_error_set(err, BT_ERR_USAGE, "invalid time zone '%s'", (*opts)->tz);
        return -1;
    }
    return 0;
}

int bt_page_set_date(bt_article *a, const bt_date *d, const char *tz, const char *text,
                     size_t len)
{
    char when[32];
    bt_date_format_when(d, d->tz[0] ? d->tz : tz, when);
    if (!text)
        text = when, len = strlen(when);
    free(a->date_text);
    free(a->date_when);
    a->date_text = bt_strndup(text, len);
    a->date_when = bt_strdup(when);
    return a->date_text && a->date_when ? 0 : -1;
}
