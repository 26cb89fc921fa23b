/* The words the printers add to what they print — page numbers, the
 * contents, weekdays and months in dates — in each language they speak.
 * One table for xml2pdf, xml2docx and the human dates. */
#include "internal.h"

#include <string.h>
#include <strings.h>

static const bt_words langs[] = {
    {"vi",
     {"Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"},
     {NULL},
     "Mục lục", "Tin liên quan", "Tin khác", "Trang", "/"},
    {"en",
     {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
     {"January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"},
     "Contents", "Related", "Other news", "Page", " of "},
    {"fr",
     {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
     {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
      "septembre", "octobre", "novembre", "décembre"},
     "Sommaire", "Articles liés", "Autres articles", "Page", " sur "},
};

const bt_words *bt_words_for(const char *lang)
{
    if (!lang)
        return NULL;
    size_t n = strcspn(lang, "-_");
    for (size_t i = 0; i < BT_ARRAY_LEN(langs); i++)
        if (n == 2 && !strncasecmp(lang, langs[i].code, 2))
            return &langs[i];
    return NULL;
}

const bt_words *bt_words_or_vi(const char *lang)
{
    const bt_words *w = bt_words_for(lang);
    return w ? w : &langs[0];
}
