/*
 * The prefilter's vector scan, written once over the vector layer
 * (search_vec.h) and included by search_prefilter.c after it, once per
 * width.  See bt_prefilter_scan for what it does; fused_plain is the
 * same, a byte at a time, and does the bytes too near either end for a
 * vector step.
 */

/* A variant's byte sets, loaded into registers once. */
typedef struct V(sets) {
    V(vec) lo[NSETS], hi[NSETS];
    int multi;
} V(sets);

V_FN void V(load_sets)(V(sets) *t, const fused_variant *v)
{
    for (int k = 0; k < NSETS; k++) {
        t->lo[k] = V(table)(v->set_lo[k]);
        t->hi[k] = V(table)(v->set_hi[k]);
    }
    t->multi = v->multi;
}

/* The candidates among the VW bytes at s + i (s[i - 2] to s[i + VW + 3]
 * readable): a spelling of the anchor with a byte before and after it
 * that may go on the pattern.  v0, v1, v2: the bytes at i, i + 1, i + 2. */
V_FN V(vmask) V(candidates)(const V(sets) *t, const char *s, size_t i, V(vec) v0, V(vec) v1,
                            V(vec) v2)
{
    V(vec) vp = V(load)(s + i - 1), vpp = V(load)(s + i - 2);
    V(vec) lo0, hi0, lo1, hi1, lo2, hi2, lop, hip, lopp, hipp;
    V(nibbles)(v0, &lo0, &hi0);
    V(nibbles)(v1, &lo1, &hi1);
    V(nibbles)(v2, &lo2, &hi2);
    V(nibbles)(vp, &lop, &hip);
    V(nibbles)(vpp, &lopp, &hipp);
#define IN(set, l, h) V(in)(t->lo[set], t->hi[set], l, h)
    /* the character after the anchor's spelling starts at i + 1 */
    V(vmask) next = V(and)(IN(SET_N, lo1, hi1), V(or)(V(ascii)(v1), IN(SET_N2, lo2, hi2)));
    V(vmask) prev = V(and)(IN(SET_P, lop, hip), V(or)(V(ascii)(vp), IN(SET_P2, lopp, hipp)));
    V(vmask) in = V(and)(IN(SET_A, lo0, hi0), next);
    if (t->multi) {
        /* at i + 2 after a two-byte spelling, at i + 3 after a three-byte one */
        V(vec) v3 = V(load)(s + i + 3), lo3, hi3;
        V(nibbles)(v3, &lo3, &hi3);
        V(vmask) next2 = IN(SET_N, lo2, hi2), next3 = IN(SET_N, lo3, hi3);
        V(vmask) s1 = IN(SET_S, lo1, hi1);
        in = V(or)(in, V(and)(V(and)(IN(SET_L, lo0, hi0), s1), next2));
        in = V(or)(in, V(and)(V(and)(IN(SET_L3, lo0, hi0), V(and)(s1, IN(SET_T3, lo2, hi2))),
                              next3));
    }
    in = V(and)(in, prev);
#undef IN
    return in;
}

/* How many candidates variant v finds in s[2, len - VW - 5). */
static __attribute__((target(V_TARGET))) size_t V(count)(const fused_variant *v, const char *s,
                                                         size_t len)
{
    V(sets) t;
    V(load_sets)(&t, v);
    size_t n = 0;
    for (size_t i = 2; i + VW + 5 <= len; i += VW)
        n += (size_t)__builtin_popcountll(V(bits)(V(candidates)(
            &t, s, i, V(load)(s + i), V(load)(s + i + 1), V(load)(s + i + 2))));
    return n;
}

/* The scan, for the odd pairs and trios pt needs (pairs, tri: constants
 * where it is called, so that each kind of pattern gets a loop of its
 * own, with registers for its own tables only). */
V_FN size_t V(scan_for)(const bt_prefilter *p, const pattern *pt, const char *s, size_t from,
                        size_t len, unsigned mode, unsigned *flags, const int pairs,
                        const int tri)
{
    const fused_variant *fv = &pt->fv[pt->cur];
    V(sets) t; /* every table is loaded once, out of the loop */
    V(load_sets)(&t, fv);
    const V(vec) olo = V(table)(p->odd_lo), ohi = V(table)(p->odd_hi),
                 tlo = V(table)(p->odd_tri.lo), thi = V(table)(p->odd_tri.hi),
                 tb0 = V(splat)((char)p->odd_tri.b0), tb1 = V(splat)((char)p->odd_tri.b1),
                 pa0 = V(splat)((char)p->odd_pairs[0][0]), pa1 = V(splat)((char)p->odd_pairs[0][1]),
                 pb0 = V(splat)((char)p->odd_pairs[1][0]), pb1 = V(splat)((char)p->odd_pairs[1][1]);
    const V(vec) lt = V(splat)('<'), amp = V(splat)('&'), bang = V(splat)('!'),
                 qm = V(splat)('?'), slash = V(splat)('/'), la = V(splat)('a'),
                 lr = V(splat)('r');
    const int events = (mode & SCAN_EVENTS) != 0;
    const size_t anchor = fv->anchor;
    size_t i = from;
    for (; i < 2 && i < len; i++) /* nothing before them for the vector step */
        if (plain_byte(p, pt, fv, s, i, len, mode, flags))
            return i;
    for (;;) {
        /* The hot loop holds no call, so that every table stays in a
         * register: it only finds the next block with something to do
         * (an event, a '&', a candidate, an odd character), which is
         * then done below. */
        int want = !(*flags & (BT_PF_HIT | BT_PF_ODD));
        uint64_t evbits = 0, ampbits = 0, bits = 0, odd = 0;
        for (; i + VW + 5 <= len; i += VW) {
            V(vec) v0 = V(load)(s + i), v1 = V(load)(s + i + 1), v2 = V(load)(s + i + 2);
            if (events) {
                V(vmask) next = V(or)(V(or)(V(eq)(v1, bang), V(eq)(v1, qm)),
                                      V(or)(V(and)(V(eq)(v1, slash), V(eq)(v2, la)),
                                            V(and)(V(eq)(v1, la), V(eq)(v2, lr))));
                evbits = V(bits)(V(and)(V(eq)(v0, lt), next));
                ampbits = V(bits)(V(eq)(v0, amp));
            }
            if (want) {
                bits = V(bits)(V(candidates)(&t, s, i, v0, v1, v2));
                V(vec) lo0, hi0, lo1, hi1;
                V(nibbles)(v0, &lo0, &hi0);
                V(nibbles)(v1, &lo1, &hi1);
                V(vec) lo2, hi2;
                V(nibbles)(v2, &lo2, &hi2);
                V(vmask) o = V(in)(olo, ohi, lo0, hi0);
                if (pairs)
                    o = V(or)(o, V(or)(V(and)(V(eq)(v0, pa0), V(eq)(v1, pa1)),
                                       V(and)(V(eq)(v0, pb0), V(eq)(v1, pb1))));
                if (tri)
                    o = V(or)(o, V(and)(V(and)(V(eq)(v0, tb0), V(eq)(v1, tb1)),
                                        V(in)(tlo, thi, lo2, hi2)));
                odd = V(bits)(o);
            }
            if (evbits | ampbits | bits | odd)
                break;
        }
        if (i + VW + 5 > len)
            break;
        /* positions from the first event on are left to the next call */
        uint64_t keep = evbits ? (evbits & -evbits) - 1 : ~(uint64_t)0;
        ampbits &= keep;
        while (ampbits) {
            size_t k = (size_t)__builtin_ctzll(ampbits);
            if (!amp_plain(s, i + k, len))
                *flags |= BT_PF_AMP;
            ampbits &= ampbits - 1;
        }
        bits &= keep;
        odd &= keep;
        /* the candidates before the first odd character, then that */
        if (odd)
            bits &= (odd & -odd) - 1;
        while (bits) {
            size_t k = (size_t)__builtin_ctzll(bits);
            if (hit(p, pt, anchor, s, len, i + k)) {
                *flags |= BT_PF_HIT;
                if (mode & SCAN_STOP_HIT)
                    return i + k;
                odd = 0;
                break;
            }
            bits &= bits - 1;
        }
        if (odd && !(*flags & BT_PF_HIT)) {
            *flags |= BT_PF_ODD;
            if (mode & SCAN_STOP_HIT)
                return i + (size_t)__builtin_ctzll(odd);
        }
        if (evbits)
            return i + (size_t)__builtin_ctzll(evbits);
        i += VW;
    }
    return fused_plain(p, pt, fv, s, i, len, mode, flags);
}

static __attribute__((target(V_TARGET))) size_t V(scan)(const bt_prefilter *p, const pattern *pt,
                                                        const char *s, size_t from, size_t len,
                                                        unsigned mode, unsigned *flags)
{
    switch (pt->odd & (ODD_PAIRS | ODD_TRI)) {
    case 0:
        return V(scan_for)(p, pt, s, from, len, mode, flags, 0, 0);
    case ODD_PAIRS:
        return V(scan_for)(p, pt, s, from, len, mode, flags, 1, 0);
    case ODD_TRI:
        return V(scan_for)(p, pt, s, from, len, mode, flags, 0, 1);
    default:
        return V(scan_for)(p, pt, s, from, len, mode, flags, 1, 1);
    }
}
