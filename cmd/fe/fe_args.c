/* Option values the tools share: sizes, counts, language codes. */
#include "fe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "120", "64K", "512M", "8G" */
int fe_parse_size(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    int shift = !strcmp(end, "") ? 0 : !strcasecmp(end, "k") ? 10 : !strcasecmp(end, "m") ? 20
                : !strcasecmp(end, "g") ? 30 : !strcasecmp(end, "t") ? 40 : -1;
    if (errno || end == s || *s == '-' || shift < 0 || !v || v > (~0ull >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

/* A count: "50000000", "50M", "2G", "500k" (powers of ten). */
int fe_parse_count(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10), m;
    m = !strcmp(end, "") ? 1 : !strcasecmp(end, "k") ? 1000ull : !strcasecmp(end, "m") ? 1000000ull
        : !strcasecmp(end, "g") ? 1000000000ull : 0;
    if (errno || end == s || *s == '-' || !m || !v || v > ~0ull / m)
        return -1;
    *out = v * m;
    return 0;
}

/* ISO 639-1 codes, optionally with a region or script ("vi", "en-US"). */
int fe_known_lang(const char *s)
{
    static const char codes[] =
        " aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv"
        " cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho"
        " hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku"
        " kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn"
        " no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm"
        " sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi"
        " vo wa wo xh yi yo za zh zu ";
    char code[5] = " xx ";
    if (strlen(s) < 2 || (s[2] && s[2] != '-'))
        return 0;
    code[1] = (char)(s[0] | 0x20);
    code[2] = (char)(s[1] | 0x20);
    if (!strstr(codes, code))
        return 0;
    for (const char *p = s + 2; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            return 0;
    return strlen(s) == 2 || strlen(s) >= 4;
}
