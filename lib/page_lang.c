/*
 * The language of a page: what it declares (<html lang>, og:locale,
 * Content-Language, JSON-LD inLanguage), else a guess from its text by
 * script: Vietnamese by the letters only Vietnamese writes (ơ ư ă đ and
 * the tone-marked vowels of U+1EA0–U+1EF9), Korean, Japanese, Chinese,
 * Thai, Greek, Hebrew by their scripts, English by its commonest words.
 * Anything else is left unsaid rather than guessed wrong.
 */
#include "page_int.h"

#include <string.h>

/* "vi_VN", "en-US", "EN" → "vi", "en"; 0 when it is not a language tag. */
static int primary_tag(const char *s, char out[16])
{
    while (*s == ' ')
        s++;
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
        n++;
    if (n < 2 || n > 3 || (s[n] && s[n] != '-' && s[n] != '_' && s[n] != ' ' && s[n] != ',' && s[n] != ';'))
        return 0;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(s[i] | 0x20);
    out[n] = '\0';
    return strcmp(out, "und") && strcmp(out, "mul") && strcmp(out, "zxx");
}

static int vietnamese_only(uint32_t cp)
{
    return (cp >= 0x1EA0 && cp <= 0x1EF9) || cp == 0x01A0 || cp == 0x01A1 || cp == 0x01AF || cp == 0x01B0 ||
           cp == 0x0102 || cp == 0x0103 || cp == 0x0110 || cp == 0x0111;
}

/* The commonest English words: a text where they make a tenth of the
 * words is English.  Words of two to four letters, packed lower case into
 * an integer each and kept in a table by a perfect hash of that integer,
 * so that a word costs one compare (this runs on every word of every
 * page's start). */
#define PACK2(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
#define PACK3(a, b, c) (PACK2(a, b) | (uint32_t)(c) << 16)
#define PACK4(a, b, c, d) (PACK3(a, b, c) | (uint32_t)(d) << 24)
/* the multiplier gives the 18 words 18 different slots of 32 */
#define WORD_SLOT(k) ((uint32_t)((uint32_t)(k) * 0x8a9a021fu) >> 27)
#define WORD(k) [WORD_SLOT(k)] = (k)
static int english_word(const char *w, size_t n)
{
    static const uint32_t words[32] = {
        WORD(PACK3('t', 'h', 'e')), WORD(PACK3('a', 'n', 'd')), WORD(PACK2('o', 'f')),
        WORD(PACK2('t', 'o')),      WORD(PACK2('i', 'n')),      WORD(PACK2('i', 's')),
        WORD(PACK4('t', 'h', 'a', 't')), WORD(PACK3('f', 'o', 'r')), WORD(PACK2('i', 't')),
        WORD(PACK4('w', 'i', 't', 'h')), WORD(PACK3('w', 'a', 's')), WORD(PACK2('o', 'n')),
        WORD(PACK2('a', 's')),      WORD(PACK3('a', 'r', 'e')), WORD(PACK2('b', 'e')),
        WORD(PACK4('t', 'h', 'i', 's')), WORD(PACK2('b', 'y')), WORD(PACK2('a', 't')),
    };
    if (n < 2 || n > 4)
        return 0;
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++)
        k |= (uint32_t)(unsigned char)(w[i] | 0x20) << (8 * i);
    return words[WORD_SLOT(k)] == k;
}

static int guess(const char *text, size_t len, char out[16]);

int bt_page_lang(const char *declared, const char *text, size_t len, char out[16])
{
    char g[16];
    int guessed = guess(text, len, g);
    /* pages declare the language of their template, sometimes wrongly
     * (lang="en" on a Vietnamese paper): Vietnamese letters win */
    if (declared && primary_tag(declared, out) && !(guessed && !strcmp(g, "vi")))
        return 1;
    if (guessed)
        memcpy(out, g, strlen(g) + 1);
    return guessed;
}

/* Scripts that name their language once they hold more than 1/share of
 * a text's letters, in the order they are asked. */
static const struct {
    uint32_t lo, hi;
    const char *lang;
    unsigned share;
} scripts[] = {
    {0xAC00, 0xD7AF, "ko", 4}, /* Hangul */
    {0x3040, 0x30FF, "ja", 10}, /* kana */
    {0x4E00, 0x9FFF, "zh", 2}, /* Han */
    {0x0E00, 0x0E7F, "th", 2}, {0x0370, 0x03FF, "el", 2}, {0x0590, 0x05FF, "he", 2},
};

/* The ASCII word begun at *word ends at end: counted, and counted as
 * English when it is one of the commonest words. */
static void end_word(const char **word, const char *end, size_t *words, size_t *english)
{
    ++*words;
    *english += (size_t)english_word(*word, (size_t)(end - *word));
    *word = NULL;
}

static int guess(const char *text, size_t len, char out[16])
{
    if (len > BT_LANG_SAMPLE)
        len = BT_LANG_SAMPLE; /* the start of the text says it */
    size_t letters = 0, vi = 0, in_script[BT_ARRAY_LEN(scripts)] = {0};
    size_t words = 0, english = 0, latin = 0;
    const char *word = NULL;
    for (size_t i = 0; i <= len;) {
        /* a run of ASCII first, most of a page even a Vietnamese one:
         * only its letters and the words they make count */
        for (; i < len && (unsigned char)text[i] < 0x80; i++) {
            if ((unsigned)((text[i] | 0x20) - 'a') < 26u) {
                if (!word)
                    word = text + i;
                latin++, letters++;
            } else if (word) {
                end_word(&word, text + i, &words, &english);
                if (letters >= 400 && words >= 40)
                    goto enough;
            }
        }
        uint32_t cp = ' '; /* past the end: the last word ends */
        size_t n = 1;
        if (i < len && (n = bt_utf8_decode((const unsigned char *)text + i, len - i, &cp)) == 0) {
            n = 1;
            cp = ' ';
        }
        if (word)
            end_word(&word, text + i, &words, &english);
        if ((cp >= 0xC0 && cp < 0x250) || (cp >= 0x1E00 && cp < 0x1F00)) {
            latin++, letters++;
        } else if (cp > 0x250) {
            size_t k = 0;
            while (k < BT_ARRAY_LEN(scripts) && !(cp >= scripts[k].lo && cp <= scripts[k].hi))
                k++;
            if (k < BT_ARRAY_LEN(scripts))
                in_script[k]++, letters++;
            else if (cp < 0x2000)
                letters++; /* another script */
        }
        vi += vietnamese_only(cp);
        i += n;
        if (letters >= 400 && words >= 40)
            break; /* enough to tell: the rest is the same language */
    }
enough:
    if (!letters)
        return 0;
    const char *g = NULL;
    if (latin * 2 > letters && vi * 50 >= latin)
        g = "vi";
    for (size_t k = 0; !g && k < BT_ARRAY_LEN(scripts); k++)
        if (in_script[k] * scripts[k].share > letters)
            g = scripts[k].lang;
    if (!g && latin * 10 > letters * 9 && words >= 20 && english * 10 >= words)
        g = "en";
    if (!g)
        return 0;
    strcpy(out, g);
    return 1;
}
