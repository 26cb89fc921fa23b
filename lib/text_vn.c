/* Unicode and Vietnamese text: cleaning for storage, white space, folding
 * for search (tones, case, diacritics), slugs.
 *
 * utf8proc supplies the Unicode tables (decomposition, composition, case
 * folding, categories); the loops here are our own so that the common case
 * (ASCII and precomposed Vietnamese letters, already NFC) never allocates
 * and never calls into the normaliser. */
#include "internal.h"
#include "text_vec.h"

#include <string.h>
#include <utf8proc.h>

#define NFC_OPTS (UTF8PROC_COMPOSE | UTF8PROC_STABLE)

/* Longest run of code points normalised as one piece.  Real text has a
 * few combining marks per letter (Unicode's stream-safe format allows 30);
 * the cap keeps hostile input (a megabyte of accents) linear. */
#define SEQ_CAP 128

/* A code point, the input byte offset it came from, and the properties
 * the normaliser asks for again and again. */
typedef struct cpo {
    int32_t cp;
    int16_t ccc;    /* canonical combining class */
    uint8_t second; /* may be the second half of a composition */
    uint8_t cat;    /* utf8proc category */
    size_t off;
} cpo;

/* Recent compositions, so that a long text asks utf8proc once for each
 * pair it uses (Vietnamese has about 150). */
#define COMPOSE_CACHE 256
typedef struct compose_cache {
    int32_t a[COMPOSE_CACHE], b[COMPOSE_CACHE], c[COMPOSE_CACHE];
} compose_cache;

static int is_ascii_alpha(unsigned c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* 1 when cp may be the second half of a canonical composition: the
 * second halves are combining marks (some with class 0, such as Indic
 * vowel signs) and Hangul vowel and trailing jamo.  A superset is fine:
 * compose_pair has the last word.  (utf8proc's own composition index is
 * laid out differently from one version to the next.) */
static int second_of(const utf8proc_property_t *p, int32_t cp)
{
    return p->combining_class || (p->category >= UTF8PROC_CATEGORY_MN &&
                                  p->category <= UTF8PROC_CATEGORY_ME) ||
           (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2);
}

static int may_compose_backward(int32_t cp)
{
    return second_of(utf8proc_get_property(cp), cp);
}

static int32_t compose_pair(int32_t a, int32_t b, compose_cache *cache)
{
    size_t h = 0;
    if (cache) {
        h = ((uint32_t)a * 31u + (uint32_t)b) % COMPOSE_CACHE;
        if (cache->a[h] == a && cache->b[h] == b)
            return cache->c[h];
    }
    utf8proc_int32_t buf[2] = {a, b};
    int32_t c = utf8proc_normalize_utf32(buf, 2, NFC_OPTS) == 1 ? buf[0] : -1;
    if (cache) {
        cache->a[h] = a;
        cache->b[h] = b;
        cache->c[h] = c;
    }
    return c;
}

static cpo make_cpo(int32_t cp, size_t off)
{
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    cpo x;
    x.cp = cp;
    x.ccc = p->combining_class;
    x.cat = (uint8_t)p->category;
    x.second = (uint8_t)second_of(p, cp);
    x.off = off;
    return x;
}

/* 1 when cp is a starter that stays as it is in NFC whatever surrounds it,
 * so a run of such code points needs no normalisation. */
static int nfc_stable(int32_t cp)
{
    if (cp < 0x300 || (cp >= 0x1EA0 && cp <= 0x1EF9))
        return 1; /* Latin-1, Latin Extended-A/B, Vietnamese letters */
    if (may_compose_backward(cp))
        return 0;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0)
        return 1; /* no canonical decomposition */
    /* A canonical decomposition that does not compose back (singletons
     * such as U+2000, composition exclusions) changes under NFC. */
    utf8proc_int32_t d[8];
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE,
                                                 NULL);
    if (n <= 0 || n > 8)
        return 0;
    n = utf8proc_normalize_utf32(d, n, NFC_OPTS);
    return n == 1 && d[0] == cp;
}

/* Canonical ordering: each run of non-starters sorted by combining class,
 * stably.  Runs are at most SEQ_CAP long. */
static void canonical_order(cpo *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int c = a[i].ccc;
        if (!c)
            continue;
        cpo x = a[i];
        size_t j = i;
        while (j > 0) {
            int pc = a[j - 1].ccc;
            if (pc <= c)
                break;
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Canonical composition in place (the algorithm of UAX #15); a composed
 * character keeps the offset of its starter.  Returns the new length. */
static size_t canonical_compose(cpo *a, size_t n, compose_cache *cache)
{
    size_t w = 0;
    size_t starter = SIZE_MAX;
    int maxcc = -1;
    for (size_t r = 0; r < n; r++) {
        cpo cur = a[r];
        int cc = cur.ccc;
        if (starter != SIZE_MAX && cc > maxcc && cur.second) {
            int32_t c = compose_pair(a[starter].cp, cur.cp, cache);
            if (c >= 0) {
                a[starter] = make_cpo(c, a[starter].off);
                continue;
            }
        }
        a[w] = cur;
        if (cc) {
            if (cc > maxcc)
                maxcc = cc;
        } else {
            starter = w;
            maxcc = -1;
        }
        w++;
    }
    return w;
}

/* ------------------------------------------------------------------ */
/* bt_text_clean                                                       */
/* ------------------------------------------------------------------ */

static int drop_for_storage(uint32_t cp)
{
    return cp == 0xFEFF || !bt_xml_char_ok(cp);
}

/* Normalises one piece: the clean UTF-8 already in out from byte `from`
 * on (a starter that may compose with what follows), then input code
 * points from s[*pos] until the next stable starter or SEQ_CAP code
 * points.  Sets *last_starter to the output offset of the last starter
 * written, or SIZE_MAX when the cap cut the piece (what follows is then
 * not joined with it, which keeps hostile input linear). */
static int clean_piece(const unsigned char *s, size_t len, size_t *pos,
                       bt_buf *out, size_t from, size_t *last_starter)
{
    cpo seq[SEQ_CAP + 8]; /* + room for the first character, always taken */
    size_t n = 0;
    int capped = 0;
    utf8proc_int32_t d[8];

    /* The tail already written goes in first. */
    size_t k = from;
    if (out->len - from > SEQ_CAP / 2)
        k = from = out->len; /* too long to join (at most 3 code points a
                                byte after decomposition, so it fits) */
    while (k < out->len) {
        uint32_t cp;
        size_t l = bt_utf8_next((const unsigned char *)out->data + k, out->len - k, &cp);
        utf8proc_ssize_t m = utf8proc_decompose_char((int32_t)cp, d, 8,
                                                     UTF8PROC_DECOMPOSE, NULL);
        if (m <= 0 || m > 8)
            d[0] = (int32_t)cp, m = 1;
        for (utf8proc_ssize_t j = 0; j < m; j++)
            seq[n++] = make_cpo(d[j], 0);
        k += l;
    }
    out->len = from;

    size_t i = *pos;
    while (i < len) {
        uint32_t cp;
        unsigned c = s[i];
        size_t l;
        if (c < 0x80) {
            if (bt_xml_char_ok(c))
                break; /* ASCII is a stable starter: the piece ends */
            i++;       /* forbidden control character: dropped */
            continue;
        }
        l = bt_utf8_decode(s + i, len - i, &cp);
        if (!l)
            break; /* U+FFFD is a stable starter */
        if (drop_for_storage(cp)) {
            i += l;
            continue;
        }
        if (nfc_stable((int32_t)cp))
            break;
        utf8proc_ssize_t m = utf8proc_decompose_char((int32_t)cp, d, 8,
                                                     UTF8PROC_DECOMPOSE, NULL);
        if (m <= 0 || m > 8)
            d[0] = (int32_t)cp, m = 1;
        if (n + (size_t)m > SEQ_CAP && i > *pos) {
            capped = 1;
            break;
        }
        for (utf8proc_ssize_t j = 0; j < m; j++)
            seq[n++] = make_cpo(d[j], 0);
        i += l;
    }
    *pos = i;

    canonical_order(seq, n);
    n = canonical_compose(seq, n, NULL);
    if (bt_buf_grow(out, n * 4) < 0)
        return -1;
    *last_starter = SIZE_MAX;
    for (size_t j = 0; j < n; j++) {
        if (!capped && !seq[j].ccc)
            *last_starter = out->len;
        out->len += bt_utf8_encode((uint32_t)seq[j].cp, out->data + out->len);
    }
    out->data[out->len] = '\0';
    return 0;
}

/* Copies s[run..i), a run of stable starters, and notes where its last
 * character starts: a combining mark after it may compose with it. */
static int copy_run(bt_buf *out, const unsigned char *s, size_t run, size_t i,
                    size_t *last_starter)
{
    if (i == run)
        return 0;
    if (bt_buf_add(out, s + run, i - run) < 0)
        return -1;
    size_t k = out->len - 1;
    while (k > 0 && ((unsigned char)out->data[k] & 0xC0) == 0x80)
        k--;
    *last_starter = k;
    return 0;
}

int bt_text_clean(const char *str, size_t len, bt_buf *out)
{
    return bt_text_clean_count(str, len, out, NULL);
}

/* A high byte (0x80-0xFF) as the value of a signed lane: ranges of high
 * bytes are then one or two signed compares, where unsigned ones cost
 * SSE2 twice as much. */
#define HI(b) ((b) - 256)

/* The lanes where a, b, c (bytes in a row) spell a precomposed
 * Vietnamese letter: E1 BA A0–BF or E1 BB 80–B9, U+1EA0–U+1EF9. */
static inline bt_s8x16 vn_letter_at(bt_s8x16 a, bt_s8x16 b, bt_s8x16 c)
{
    return (a == HI(0xE1)) & (((b == HI(0xBA)) & (c > HI(0x9F)) & (c < HI(0xC0))) |
                              ((b == HI(0xBB)) & (c < HI(0xBA))));
}

/* The lanes of the sixteen bytes at p (p[-2] … p[17] readable) that the
 * fast test cannot pass: anything but printable ASCII, \t \n \r, two-byte
 * letters U+0080–U+02FF and the precomposed Vietnamese letters, each byte
 * judged with its neighbours.  The byte loop decides those. */
static inline bt_s8x16 unclean_lanes(const unsigned char *p)
{
    bt_s8x16 b2 = bt_vec_loads(p - 2), b1 = bt_vec_loads(p - 1), v = bt_vec_loads(p),
             n1 = bt_vec_loads(p + 1), n2 = bt_vec_loads(p + 2);
    bt_s8x16 ok = (v > 0x1F) | (v == '\n') | (v == '\t') | (v == '\r');
    bt_s8x16 lead2_v = (v > HI(0xC1)) & (v < HI(0xCC)), lead2_b1 = (b1 > HI(0xC1)) & (b1 < HI(0xCC));
    ok |= (lead2_v & (n1 < HI(0xC0))) | ((v < HI(0xC0)) & lead2_b1);
    ok |= vn_letter_at(v, n1, n2) | vn_letter_at(b1, v, n1) | vn_letter_at(b2, b1, v);
    return ~ok;
}

/* The byte loop of clean_run_end, from the start of a character i up to
 * upto (or the first byte to change, returned). */
static size_t clean_bytes(const unsigned char *s, size_t i, size_t upto, size_t len)
{
    while (i < upto) {
        /* Eight printable ASCII bytes at a time: no byte has its top bit
         * set or is below 0x20. */
        while (len - i >= 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if ((x | ((x - 0x2020202020202020ull) & ~x)) & 0x8080808080808080ull)
                break;
            i += 8;
        }
        /* then byte by byte: Vietnamese mixes ASCII and letters closely */
        while (i < len && s[i] >= 0x20 && s[i] < 0x80)
            i++;
        if (i >= len)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == '\n' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            return i; /* a control character XML forbids */
        }
        if (c >= 0xC2 && c < 0xCC && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
            i += 2; /* U+0080–U+02FF: always valid, stable and allowed */
            continue;
        }
        uint32_t cp;
        if (c == 0xE1 && i + 2 < len && (s[i + 1] == 0xBA || s[i + 1] == 0xBB) &&
            (s[i + 2] & 0xC0) == 0x80) {
            cp = 0x1E80u | ((uint32_t)(s[i + 1] & 1) << 6) | (s[i + 2] & 0x3F);
            if (cp >= 0x1EA0 && cp <= 0x1EF9) {
                i += 3; /* the precomposed Vietnamese letters */
                continue;
            }
        }
        size_t l = bt_utf8_decode(s + i, len - i, &cp);
        if (!l || drop_for_storage(cp) || !nfc_stable((int32_t)cp))
            return i;
        i += l;
    }
    return i < len ? i : len;
}

/* unclean_lanes for the block at s[i] where it is near either end of
 * the buffer: on a copy with NUL bytes around it, which the test takes
 * for the buffer's ends (a letter cut short there is unclean). */
static bt_s8x16 unclean_lanes_padded(const unsigned char *s, size_t i, size_t len)
{
    unsigned char pad[2 + BT_VEC + 2] = {0};
    size_t from = i >= 2 ? i - 2 : 0, to = len - i > BT_VEC + 2 ? i + BT_VEC + 2 : len;
    memcpy(pad + 2 - (i - from), s + from, to - from);
    return unclean_lanes(pad + 2);
}

/* The end of the run from i on that cleaning leaves as it is: valid UTF-8
 * of stable starters that XML allows.  The one scan both the cleaner and
 * bt_text_clean_prefix make: sixteen bytes at a time while the fast test
 * passes them, the byte loop around a byte it does not. */
static size_t clean_run_end(const unsigned char *s, size_t i, size_t len)
{
    while (i < len) {
        size_t from = i; /* the start of a character */
        unsigned bad;
        for (;;) {
            size_t left = len - i;
            bad = bt_vec_first(i >= 2 && left >= BT_VEC + 2 ? unclean_lanes(s + i)
                                                             : unclean_lanes_padded(s, i, len));
            if (bad < left && bad < BT_VEC)
                break;
            if (left <= BT_VEC)
                return len; /* clean to the end */
            i += BT_VEC;
        }
        size_t upto = i + bad + 1; /* the byte loop decides up to there */
        /* a block may end inside a letter: back to its first byte */
        while (i > from && (s[i] & 0xC0) == 0x80)
            i--;
        size_t end = clean_bytes(s, i, upto, len);
        if (end < upto || end >= len)
            return end;
        i = end;
    }
    return len;
}

size_t bt_text_clean_prefix(const char *s, size_t len)
{
    return clean_run_end((const unsigned char *)s, 0, len);
}

int bt_text_clean_count(const char *str, size_t len, bt_buf *out, size_t *invalid)
{
    const unsigned char *s = (const unsigned char *)str;
    if (invalid)
        *invalid = 0;
    if (bt_buf_grow(out, len) < 0)
        return -1;
    size_t run = 0;                 /* start of bytes to copy as they are */
    size_t last_starter = SIZE_MAX; /* output offset of the last starter */
    size_t i = 0;
    while ((i = clean_run_end(s, i, len)) < len) {
        /* Something to change: copy the clean run first. */
        if (copy_run(out, s, run, i, &last_starter) < 0)
            return -1;
        uint32_t cp = 0;
        size_t l = s[i] < 0x80 ? 1 : bt_utf8_decode(s + i, len - i, &cp);
        if (s[i] < 0x80) {
            i++; /* a control character XML forbids: dropped */
        } else if (!l) {
            /* Invalid UTF-8: one U+FFFD for each bad byte. */
            if (invalid)
                ++*invalid;
            last_starter = out->len;
            if (bt_buf_add(out, "\xEF\xBF\xBD", 3) < 0)
                return -1;
            i++;
        } else if (drop_for_storage(cp)) {
            i += l;
        } else {
            size_t from = last_starter == SIZE_MAX ? out->len : last_starter;
            if (clean_piece(s, len, &i, out, from, &last_starter) < 0)
                return -1;
        }
        run = i;
    }
    return bt_buf_add(out, s + run, len - run);
}

/* ------------------------------------------------------------------ */
/* bt_text_collapse_space                                              */
/* ------------------------------------------------------------------ */

static int is_space_cp(uint32_t cp)
{
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 ||
           cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

/* Invisible characters that only hint at line breaking. */
static int is_vanishing_cp(uint32_t cp)
{
    return cp == 0x200B || cp == 0xAD;
}

/* 1 when the UTF-8 sequence at s may be a space or a vanishing character
 * (see the two functions above); 0 for the other sequences that share
 * their lead bytes, e.g. every Vietnamese letter (E1 BA/BB …). */
static int may_be_space(const unsigned char *s, size_t n)
{
    switch (s[0]) {
    case 0xC2: /* U+0085, U+00A0, U+00AD */
        return n > 1 && (s[1] == 0x85 || s[1] == 0xA0 || s[1] == 0xAD);
    case 0xE1: /* U+1680 */
        return n > 1 && s[1] == 0x9A;
    case 0xE2: /* U+2000–U+200B, U+2028, U+2029, U+202F, U+205F */
        return n > 2 && ((s[1] == 0x80 && (s[2] <= 0x8B || s[2] == 0xA8 || s[2] == 0xA9 ||
                                           s[2] == 0xAF)) ||
                         (s[1] == 0x81 && s[2] == 0x9F));
    case 0xE3: /* U+3000 */
        return n > 2 && s[1] == 0x80 && s[2] == 0x80;
    default:
        return 1; /* ASCII white space and controls */
    }
}

/* Bytes that may begin a space: ASCII up to 0x20 and DEL, and the lead
 * bytes C2, E1, E2, E3.  Everything else is copied in runs. */
static const unsigned char SPACE_LEAD[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1,
    [0x0E] = 1, [0x0F] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1,
    [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1, [0x20] = 1, [0x7F] = 1,
    [0xC2] = 1, [0xE1] = 1, [0xE2] = 1, [0xE3] = 1,
};

/* A combining mark follows at s: a vanishing character before it is kept,
 * since dropping it would join the mark to the letter before (and the
 * text would no longer be NFC). */
static int combining_follows(const unsigned char *s, size_t n)
{
    uint32_t cp;
    return n && bt_utf8_decode(s, n, &cp) &&
           utf8proc_get_property((utf8proc_int32_t)cp)->combining_class != 0;
}

/* The lanes of the sixteen bytes at p (p[1] … p[17] readable) that
 * collapsing may change: controls and white space other than a single
 * space, DEL, and the lead bytes of the spaces and vanishing characters
 * beyond ASCII (see may_be_space) when the bytes after them spell one. */
static inline bt_s8x16 unsettled_lanes(const unsigned char *p)
{
    bt_s8x16 v = bt_vec_loads(p), n1 = bt_vec_loads(p + 1), n2 = bt_vec_loads(p + 2);
    bt_s8x16 e2 = (n1 == HI(0x80)) & ((n2 < HI(0x8C)) | (n2 == HI(0xA8)) | (n2 == HI(0xA9)) |
                                      (n2 == HI(0xAF)));
    e2 |= (n1 == HI(0x81)) & (n2 == HI(0x9F));
    return ((v > -1) & (v < 0x20)) | (v == 0x7F) | ((v == ' ') & (n1 == ' ')) |
           ((v == HI(0xC2)) & ((n1 == HI(0x85)) | (n1 == HI(0xA0)) | (n1 == HI(0xAD)))) |
           ((v == HI(0xE1)) & (n1 == HI(0x9A))) | ((v == HI(0xE2)) & e2) |
           ((v == HI(0xE3)) & (n1 == HI(0x80)) & (n2 == HI(0x80)));
}

int bt_text_collapse_space(const char *str, size_t len, bt_buf *out)
{
    const unsigned char *s = (const unsigned char *)str;
    /* the output is never longer than the input: write it in place */
    if (bt_buf_grow(out, len) < 0)
        return -1;
    char *o = out->data + out->len;
    int pending = 0; /* a space is owed before the next visible character */
    int any = 0;     /* something visible was written */
    size_t retry = 0; /* the block test failed before here */
    size_t i = 0;
    while (i < len) {
        /* text already laid out, sixteen bytes at a time from a visible
         * byte: copied as it is, but for a space at the block's end, owed
         * until what follows */
        while (len - i >= BT_VEC + 2 && i >= retry && s[i] != ' ') {
            unsigned bad = bt_vec_first(unsettled_lanes(s + i));
            if (bad < BT_VEC) {
                retry = i + bad + 1; /* the byte loop takes it from here */
                break;
            }
            if (pending)
                *o++ = ' ';
            size_t keep = BT_VEC - (s[i + BT_VEC - 1] == ' ');
            memcpy(o, s + i, keep);
            o += keep;
            pending = keep < BT_VEC;
            any = 1;
            i += BT_VEC;
        }
        /* the common case first: a run of visible bytes, Vietnamese
         * letters (E1 BA/BB …, but not U+1680) included, and the single
         * spaces between them (left as they are), copied at once */
        size_t run = i;
        for (;;) {
            if (i - run >= BT_VEC && i >= retry)
                break; /* back to the block test */
            while (i < len && !SPACE_LEAD[s[i]])
                i++;
            if (i + 1 < len && s[i] == 0xE1 && s[i + 1] != 0x9A) {
                i++;
                continue;
            }
            if (i > run && i + 2 < len && s[i] == ' ' &&
                (!SPACE_LEAD[s[i + 1]] || (s[i + 1] == 0xE1 && s[i + 2] != 0x9A))) {
                i++;
                continue;
            }
            break;
        }
        if (i > run) {
            if (pending)
                *o++ = ' ';
            memcpy(o, s + run, i - run);
            o += i - run;
            pending = 0;
            any = 1;
            continue;
        }
        unsigned c = s[i];
        if (c == ' ') {
            pending = any;
            i++;
            continue;
        }
        if (c > 0x7F && !may_be_space(s + i, len - i)) {
            if (pending)
                *o++ = ' ';
            *o++ = (char)c;
            pending = 0;
            any = 1;
            i++;
            continue;
        }
        uint32_t cp; /* U+FFFD for a bad byte, passed through as it is */
        size_t l = bt_utf8_next(s + i, len - i, &cp);
        if (is_space_cp(cp)) {
            pending = any;
        } else if (!is_vanishing_cp(cp) || combining_follows(s + i + l, len - i - l)) {
            if (pending)
                *o++ = ' ';
            memcpy(o, s + i, l);
            o += l;
            pending = 0;
            any = 1;
        }
        i += l;
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return 0;
}

int bt_text_single_spaced(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    for (; n - i > BT_VEC; i += BT_VEC) {
        bt_u8x16 v = bt_vec_load(s + i), next = bt_vec_load(s + i + 1);
        if (bt_vec_first((v == '\t') | (v == '\n') | (v == '\r') | ((v == ' ') & (next == ' '))) <
            BT_VEC)
            return 0;
    }
    for (; i < n; i++)
        if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || (s[i] == ' ' && s[i + 1] == ' '))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* bt_fold                                                             */
/* ------------------------------------------------------------------ */

/* The precomposed letters Vietnamese writes with: *base gets the ASCII
 * base letter (in the letter's case), *tone 1 when it carries a tone
 * mark.  Returns 0 for anything else.  A table, because folding meets
 * these letters in every other word and utf8proc's decomposition is the
 * slow part. */
int bt_vn_letter(int32_t cp, char *base, int *tone)
{
    static const struct {
        uint16_t cp;
        char base;
        char tone;
    } latin[] = {
        {0xC0, 'A', 1}, {0xC1, 'A', 1}, {0xC2, 'A', 0}, {0xC3, 'A', 1},
        {0xC8, 'E', 1}, {0xC9, 'E', 1}, {0xCA, 'E', 0}, {0xCC, 'I', 1},
        {0xCD, 'I', 1}, {0xD2, 'O', 1}, {0xD3, 'O', 1}, {0xD4, 'O', 0},
        {0xD5, 'O', 1}, {0xD9, 'U', 1}, {0xDA, 'U', 1}, {0xDD, 'Y', 1},
        {0xE0, 'a', 1}, {0xE1, 'a', 1}, {0xE2, 'a', 0}, {0xE3, 'a', 1},
        {0xE8, 'e', 1}, {0xE9, 'e', 1}, {0xEA, 'e', 0}, {0xEC, 'i', 1},
        {0xED, 'i', 1}, {0xF2, 'o', 1}, {0xF3, 'o', 1}, {0xF4, 'o', 0},
        {0xF5, 'o', 1}, {0xF9, 'u', 1}, {0xFA, 'u', 1}, {0xFD, 'y', 1},
        {0x102, 'A', 0}, {0x103, 'a', 0}, {0x110, 'D', 0}, {0x111, 'd', 0},
        {0x128, 'I', 1}, {0x129, 'i', 1}, {0x168, 'U', 1}, {0x169, 'u', 1},
        {0x1A0, 'O', 0}, {0x1A1, 'o', 0}, {0x1AF, 'U', 0}, {0x1B0, 'u', 0},
    };
    /* U+1EA0–U+1EF9: upper/lower pairs, every one with a tone. */
    static const char block[] = "aaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy";
    if (cp >= 0x1EA0 && cp <= 0x1EF9) {
        char b = block[(cp - 0x1EA0) / 2];
        *base = cp % 2 ? b : (char)(b - 0x20);
        *tone = 1;
        return 1;
    }
    if (cp < 0xC0 || cp > 0x1B0)
        return 0;
    size_t lo = 0, hi = sizeof latin / sizeof latin[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (latin[mid].cp == cp) {
            *base = latin[mid].base;
            *tone = latin[mid].tone;
            return 1;
        }
        if (latin[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The lowercase of a letter vn_precomposed knows (full case folding of
 * these letters is their simple lowercase). */
static int32_t vn_lower(int32_t cp, char base)
{
    if (base >= 'a')
        return cp;
    if (cp < 0x100)
        return cp + 0x20;
    return cp + 1; /* Ă Đ Ĩ Ũ Ơ Ư and the U+1EA0 block */
}

typedef struct folder {
    int casefold, strip, tones;
    bt_buf *out;
    size_t start;    /* out->len when the call began */
    size_t **offsets; /* NULL when not wanted */
    size_t ocap;
    size_t last_off;  /* offsets never go backwards */
    cpo seq[SEQ_CAP];
    size_t n;
    int word;
    compose_cache cache; /* seq holds letters (not a lone symbol and its marks) */
} folder;

static int is_tone_mark(int32_t cp)
{
    return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 ||
           cp == 0x323;
}

static int is_letter_cat(int cat)
{
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

static int is_mark_cat(int cat)
{
    return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

static int offsets_reserve(folder *f, size_t extra)
{
    if (!f->offsets)
        return 0;
    size_t need = f->out->len - f->start + extra + 1;
    return bt_grow_array((void **)f->offsets, &f->ocap, need, sizeof(size_t));
}

static int emit_cp(folder *f, int32_t cp, size_t off)
{
    if (bt_buf_grow(f->out, 4) < 0 || offsets_reserve(f, 4) < 0)
        return -1;
    size_t at = f->out->len;
    size_t l = bt_utf8_encode((uint32_t)cp, f->out->data + at);
    /* Canonical reordering can put a mark before one that came earlier;
     * a mark then shares the offset of what precedes it. */
    if (off < f->last_off)
        off = f->last_off;
    f->last_off = off;
    f->out->len += l;
    f->out->data[f->out->len] = '\0';
    if (f->offsets)
        for (size_t k = 0; k < l; k++)
            (*f->offsets)[at - f->start + k] = off;
    return 0;
}

/* Vietnamese tone placement.  Old and new spelling differ only in the
 * vowel pairs oa, oe, uy: "hòa"/"hoà", "khỏe"/"khoẻ", "thủy"/"thuỷ".  The
 * one rule: a tone mark on the first vowel of such a pair, when neither
 * vowel carries another mark, moves to the second, wherever the pair
 * stands (an open or a closed syllable, a triphthong, a word glued to the
 * next: "hòan" → "hoàn", "khóai" → "khoái", "ThủyTheo" → "ThuỷTheo").  Tone
 * position never tells Vietnamese words apart, so no two words meet. */
static int pair_second(int32_t first, int32_t second)
{
    char a = (char)(first | 0x20), b = (char)(second | 0x20);
    if (first >= 0x80 || second >= 0x80)
        return 0;
    return (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y');
}

static void place_tone(cpo *a, size_t n)
{
    for (size_t k = 0; k + 2 < n; k++) {
        /* a[k] a vowel, a[k + 1] its one mark, a tone, a[k + 2] the
         * second vowel without a mark */
        if (a[k].ccc || !is_tone_mark(a[k + 1].cp) || !pair_second(a[k].cp, a[k + 2].cp) ||
            a[k + 2].ccc || (k + 3 < n && a[k + 3].ccc))
            continue;
        cpo t = a[k + 1];
        a[k + 1] = a[k + 2];
        a[k + 2] = t;
        k += 2;
    }
}

/* Writes out the pending sequence: canonical order, tones, composition. */
static int fold_flush_n(folder *f, size_t n)
{
    cpo *a = f->seq;
    /* Precomposed letters were pushed as they are.  They stay so unless
     * marks follow (NFD input), something may compose, or a tone may have
     * to move (two vowels and a tone). */
    int slow = 0;
    char prev = 0; /* the base of the letter before when it has a tone */
    for (size_t k = 0; k < n && !slow; k++) {
        char base = 0;
        int tone = 0;
        if (a[k].ccc || a[k].second || is_mark_cat(a[k].cat))
            slow = 1;
        else if (a[k].cp < 0x80)
            base = (char)a[k].cp;
        else
            bt_vn_letter(a[k].cp, &base, &tone);
        /* place_tone may move a tone here: let it look */
        if (f->tones && prev && base && pair_second(prev, base))
            slow = 1;
        prev = tone ? base : 0;
    }
    if (!slow) {
        for (size_t k = 0; k < n; k++)
            if (emit_cp(f, a[k].cp, a[k].off) < 0)
                return -1;
        return 0;
    }
    /* Decompose the precomposed letters and do it all properly. */
    cpo full[SEQ_CAP * 4];
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        char base;
        int tone;
        if (a[k].cp >= 0xC0 && bt_vn_letter(a[k].cp, &base, &tone)) {
            utf8proc_int32_t d[4];
            utf8proc_ssize_t dn = utf8proc_decompose_char(a[k].cp, d, 4,
                                                          UTF8PROC_DECOMPOSE, NULL);
            if (dn > 0 && dn <= 4) {
                for (utf8proc_ssize_t j = 0; j < dn; j++)
                    full[m++] = make_cpo(d[j], a[k].off);
                continue;
            }
        }
        full[m++] = a[k];
    }
    canonical_order(full, m);
    if (f->tones)
        place_tone(full, m);
    m = canonical_compose(full, m, &f->cache);
    for (size_t k = 0; k < m; k++)
        if (emit_cp(f, full[k].cp, full[k].off) < 0)
            return -1;
    return 0;
}

static int fold_flush(folder *f)
{
    if (!f->n)
        return 0;
    int r = fold_flush_n(f, f->n);
    f->n = 0;
    f->word = 0;
    return r;
}

static int fold_push(folder *f, cpo x)
{
    if (f->n == SEQ_CAP) {
        /* An absurdly long word: write all but the last combining
         * sequence, which may still take marks. */
        size_t k = f->n - 1;
        while (k > 0 && f->seq[k].ccc)
            k--;
        if (k == 0)
            k = f->n;
        cpo keep[SEQ_CAP];
        size_t rest = f->n - k;
        memcpy(keep, f->seq + k, rest * sizeof *keep);
        if (fold_flush_n(f, k) < 0)
            return -1;
        memcpy(f->seq, keep, rest * sizeof *keep);
        f->n = rest;
    }
    f->seq[f->n++] = x;
    return 0;
}

/* Adds one (decomposed) code point, ending the pending word when it is
 * neither a letter nor a mark. */
static int fold_add(folder *f, int32_t cp, size_t off)
{
    if (f->strip) {
        if (cp == 0x111 || cp == 0xF0)
            cp = 'd'; /* đ; ð, which legacy converters put for đ */
        else if (cp == 0x110 || cp == 0xD0)
            cp = f->casefold ? 'd' : 'D';
    } else if (f->tones && (cp == 0xF0 || cp == 0xD0)) {
        cp = cp == 0xF0 || f->casefold ? 0x111 : 0x110; /* ð → đ, Ð → Đ */
    }
    cpo x = make_cpo(cp, off);
    if (is_mark_cat(x.cat)) {
        if (f->strip && x.cat == UTF8PROC_CATEGORY_MN)
            return 0;
        return fold_push(f, x);
    }
    if (is_letter_cat(x.cat)) {
        if (f->n && !f->word && fold_flush(f) < 0)
            return -1;
        f->word = 1;
        return fold_push(f, x);
    }
    /* A symbol or digit: it ends the word but may itself take marks. */
    if (fold_flush(f) < 0)
        return -1;
    return fold_push(f, x);
}

static int fold_ascii(folder *f, const unsigned char *s, size_t from,
                      size_t to)
{
    size_t n = to - from;
    if (bt_buf_grow(f->out, n) < 0 || offsets_reserve(f, n) < 0)
        return -1;
    char *o = f->out->data + f->out->len;
    if (f->casefold) {
        for (size_t k = 0; k < n; k++) {
            unsigned c = s[from + k];
            o[k] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        }
    } else {
        memcpy(o, s + from, n);
    }
    if (f->offsets) {
        size_t *po = *f->offsets + (f->out->len - f->start);
        for (size_t k = 0; k < n; k++)
            po[k] = from + k;
    }
    f->out->len += n;
    f->out->data[f->out->len] = '\0';
    return 0;
}

int bt_fold(const char *str, size_t len, bt_fold_mode mode, bt_buf *out,
            size_t **offsets)
{
    const unsigned char *s = (const unsigned char *)str;
    folder f;
    f.casefold = mode == BT_FOLD_CASE || mode == BT_FOLD_BASE;
    f.strip = mode == BT_FOLD_BASE || mode == BT_FOLD_BASE_KEEPCASE;
    f.tones = mode == BT_FOLD_TONES || mode == BT_FOLD_CASE;
    f.out = out;
    f.start = out->len;
    f.offsets = offsets;
    f.ocap = 0;
    f.last_off = 0;
    f.n = 0;
    f.word = 0;
    /* Empty slots: no code point pair is (-1, -1). */
    memset(&f.cache, 0xFF, sizeof f.cache);
    if (offsets)
        *offsets = NULL;
    if (bt_buf_grow(out, len) < 0 || offsets_reserve(&f, len) < 0)
        goto fail;

    utf8proc_option_t dopts = UTF8PROC_DECOMPOSE;
    if (f.casefold)
        dopts |= UTF8PROC_CASEFOLD;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (f.n && is_ascii_alpha(c) && f.word) {
                cpo x; /* an ASCII letter: a starter that composes with nothing before it */
                x.cp = f.casefold && c <= 'Z' ? (int32_t)(c | 0x20) : (int32_t)c;
                x.ccc = 0;
                x.second = 0;
                x.cat = x.cp <= 'Z' ? UTF8PROC_CATEGORY_LU : UTF8PROC_CATEGORY_LL;
                x.off = i;
                if (fold_push(&f, x) < 0)
                    goto fail;
                i++;
                continue;
            }
            if (fold_flush(&f) < 0)
                goto fail;
            /* A run of ASCII is copied as it is, except for its last word
             * when more text follows: that word may go on with accented
             * letters, and a symbol may take a combining mark.  (When
             * marks are stripped, neither matters.) */
            size_t j = i;
            while (j < len && s[j] < 0x80)
                j++;
            size_t t = j;
            if (j < len && !f.strip) {
                if (!is_ascii_alpha(s[j - 1]))
                    t = j - 1;
                else
                    while (t > i && is_ascii_alpha(s[t - 1]))
                        t--;
            }
            if (fold_ascii(&f, s, i, t) < 0)
                goto fail;
            for (size_t k = t; k < j; k++) {
                int32_t cp = s[k];
                if (f.casefold && cp >= 'A' && cp <= 'Z')
                    cp |= 0x20;
                if (fold_add(&f, cp, k) < 0)
                    goto fail;
            }
            i = j;
            continue;
        }
        uint32_t cp;
        size_t l = bt_utf8_next(s + i, len - i, &cp);
        char base;
        int tone;
        if (bt_vn_letter((int32_t)cp, &base, &tone)) {
            if (f.strip) {
                if (fold_flush(&f) < 0)
                    goto fail;
                if (f.casefold && base < 'a')
                    base = (char)(base | 0x20);
                if (emit_cp(&f, base, i) < 0)
                    goto fail;
            } else {
                if (f.n && !f.word && fold_flush(&f) < 0)
                    goto fail;
                f.word = 1;
                cpo x;
                x.cp = f.casefold ? vn_lower((int32_t)cp, base) : (int32_t)cp;
                x.ccc = 0;
                x.second = 0;
                x.cat = base < 'a' && !f.casefold ? UTF8PROC_CATEGORY_LU
                                                  : UTF8PROC_CATEGORY_LL;
                x.off = i;
                if (fold_push(&f, x) < 0)
                    goto fail;
            }
            i += l;
            continue;
        }
        utf8proc_int32_t d[16];
        utf8proc_ssize_t m = utf8proc_decompose_char((int32_t)cp, d, 16, dopts,
                                                     NULL);
        if (m <= 0 || m > 16)
            d[0] = (int32_t)cp, m = 1;
        for (utf8proc_ssize_t k = 0; k < m; k++)
            if (fold_add(&f, d[k], i) < 0)
                goto fail;
        i += l;
    }
    if (fold_flush(&f) < 0 || offsets_reserve(&f, 0) < 0)
        goto fail;
    if (offsets)
        (*offsets)[out->len - f.start] = len;
    return 0;
fail:
    if (offsets) {
        free(*offsets);
        *offsets = NULL;
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Questions about text                                                */
/* ------------------------------------------------------------------ */

int bt_has_diacritics(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        uint32_t cp; /* U+FFFD for a bad byte: no diacritic */
        i += bt_utf8_next(s + i, len - i, &cp);
        if (cp < 0x80)
            continue;
        if (cp == 0x110 || cp == 0x111 || cp == 0xD0 || cp == 0xF0)
            return 1; /* đ, and ð that old converters wrote for it */
        utf8proc_int32_t d[8];
        utf8proc_ssize_t m = utf8proc_decompose_char((int32_t)cp, d, 8,
                                                     UTF8PROC_DECOMPOSE, NULL);
        for (utf8proc_ssize_t k = 0; k < m && k < 8; k++)
            if (utf8proc_get_property(d[k])->category == UTF8PROC_CATEGORY_MN)
                return 1;
    }
    return 0;
}

int bt_has_upper(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        uint32_t cp; /* U+FFFD for a bad byte: not a capital */
        i += bt_utf8_next(s + i, len - i, &cp);
        if (cp < 0x80) {
            if (cp >= 'A' && cp <= 'Z')
                return 1;
            continue;
        }
        int cat = utf8proc_get_property((int32_t)cp)->category;
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
            return 1;
    }
    return 0;
}

int bt_slug(const char *s, size_t max_len, bt_buf *out)
{
    bt_buf folded = BT_BUF_INIT;
    size_t start = out->len;
    if (bt_fold(s, strlen(s), BT_FOLD_BASE, &folded, NULL) < 0)
        goto fail;
    int dash = 0; /* a '-' is owed before the next word */
    for (size_t k = 0; k < folded.len; k++) {
        unsigned char c = (unsigned char)folded.data[k];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && out->len > start && bt_buf_addc(out, '-') < 0)
                goto fail;
            if (bt_buf_addc(out, (char)c) < 0)
                goto fail;
            dash = 0;
        } else {
            dash = 1; /* anything else, including letters of other scripts */
        }
    }
    bt_buf_free(&folded);
    size_t n = out->len - start;
    if (max_len && n > max_len) {
        /* Cut before the last word that does not fit whole. */
        size_t cut = max_len;
        if (out->data[start + cut] != '-') {
            while (cut > 0 && out->data[start + cut - 1] != '-')
                cut--;
            if (cut > 0)
                cut--; /* drop the '-' too */
            else
                cut = max_len; /* one long word: cut inside it */
        }
        out->len = start + cut;
        out->data[out->len] = '\0';
    }
    if (out->len == start)
        return bt_buf_adds(out, "article");
    return 0;
fail:
    bt_buf_free(&folded);
    out->len = start;
    if (out->data)
        out->data[start] = '\0';
    return -1;
}
