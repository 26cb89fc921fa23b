/*
 * The vector step of bt_xml_text_ok (search_valid.c), written once over
 * the vector layer (search_vec.h) and included after it once per width.
 */

/* 1 when every byte of s[from, len) is right after the bytes before it,
 * VW bytes a step, the last step ending at len (from >= 3, from + VW <=
 * len; the steps may overlap, which is harmless). */
static __attribute__((target(V_TARGET))) int V(blocks_ok)(const unsigned char *s, size_t from,
                                                          size_t len)
{
    const V(vec) b1h = V(table)(first_high), b1l = V(table)(first_low),
                 b2h = V(table)(second_high), clo = V(table)(control_low),
                 chi = V(table)(control_high), low7 = V(splat)(0x7F),
                 bit7 = V(splat)((char)0x80), ef = V(splat)((char)0xEF),
                 bf = V(splat)((char)0xBF), be = V(splat)((char)0xBE),
                 rb = V(splat)(']'), gt = V(splat)('>');
    const char *c = (const char *)s;
    uint64_t bad = 0;
    for (size_t i = from;;) {
        V(vec) v = V(load)(c + i), p1 = V(load)(c + i - 1), p2 = V(load)(c + i - 2),
               p3 = V(load)(c + i - 3), lo, hi, lo1, hi1;
        V(nibbles)(v, &lo, &hi);
        V(nibbles)(p1, &lo1, &hi1);
        V(vec) sc = V(vand)(V(vand)(V(lookup)(b1h, hi1), V(lookup)(b1l, lo1)),
                            V(lookup)(b2h, hi));
        /* a second continuation byte stands where the byte two back
         * starts a 3- or 4-byte form, or the byte three back a 4-byte one */
        V(vmask) must23 = V(or)(V(geu)(p2, 0xE0), V(geu)(p3, 0xF0));
        V(vmask) e = V(or)(V(test)(sc, low7), V(xor)(V(test)(sc, bit7), must23));
        e = V(or)(e, V(in)(clo, chi, lo, hi));
        e = V(or)(e, V(and)(V(and)(V(eq)(p2, ef), V(eq)(p1, bf)),
                            V(or)(V(eq)(v, be), V(eq)(v, bf)))); /* U+FFFE, U+FFFF */
        e = V(or)(e, V(and)(V(and)(V(eq)(p2, rb), V(eq)(p1, rb)), V(eq)(v, gt))); /* ]]> */
        bad |= V(bits)(e);
        if (i + VW >= len)
            break;
        i += VW;
        if (i + VW > len)
            i = len - VW;
    }
    return bad == 0;
}
