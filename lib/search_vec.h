/*
 * The vector layer of the prefilter's scan (search_scan.h): the handful of
 * byte operations it needs, for one width at a time.  Define VEC_BITS
 * (256: AVX2, 512: AVX-512BW) before including; the operations are named
 * V(op) (V(load), V(eq), …), the width is VW bytes, and a comparison gives
 * a vmask that V(bits) turns into one bit per byte.  Every function is
 * compiled for its instruction set (target attribute) and used only after
 * the CPU was checked at run time (bt_prefilter_new).
 *
 * Private to the search's vector code (lib/search_prefilter.c,
 * lib/search_valid.c), which includes it once per width.
 */
#include <immintrin.h>
#include <stdint.h>

#undef V
#undef VW
#undef V_FN
#undef V_TARGET

#if VEC_BITS == 256

#define V(name) name##_avx2
#define VW 32
#define V_TARGET "avx2"
#define V_FN static inline __attribute__((target("avx2"), always_inline))
typedef __m256i vec_avx2;
typedef __m256i vmask_avx2; /* 0xFF in the lanes that hold */

V_FN vec_avx2 V(load)(const char *p)
{
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}
V_FN vec_avx2 V(splat)(char c) { return _mm256_set1_epi8(c); }
/* A 16-byte table in both lanes, for V(in). */
V_FN vec_avx2 V(table)(const unsigned char t[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t));
}
V_FN vmask_avx2 V(eq)(vec_avx2 a, vec_avx2 b) { return _mm256_cmpeq_epi8(a, b); }
V_FN vmask_avx2 V(and)(vmask_avx2 a, vmask_avx2 b) { return _mm256_and_si256(a, b); }
V_FN vmask_avx2 V(or)(vmask_avx2 a, vmask_avx2 b) { return _mm256_or_si256(a, b); }
V_FN uint64_t V(bits)(vmask_avx2 m) { return (uint32_t)_mm256_movemask_epi8(m); }
/* The ASCII bytes (below 0x80). */
V_FN vmask_avx2 V(ascii)(vec_avx2 v) { return _mm256_cmpgt_epi8(v, _mm256_set1_epi8(-1)); }
V_FN void V(nibbles)(vec_avx2 v, vec_avx2 *lo, vec_avx2 *hi)
{
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    *lo = _mm256_and_si256(v, low4);
    *hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low4);
}
/* The bytes (given as their nibbles) in the set held by the tables lo_t,
 * hi_t (see nibble_set in search_prefilter.c). */
V_FN vmask_avx2 V(in)(vec_avx2 lo_t, vec_avx2 hi_t, vec_avx2 lo, vec_avx2 hi)
{
    __m256i t = _mm256_and_si256(_mm256_shuffle_epi8(lo_t, lo), _mm256_shuffle_epi8(hi_t, hi));
    return _mm256_xor_si256(_mm256_cmpeq_epi8(t, _mm256_setzero_si256()),
                            _mm256_set1_epi8(-1));
}
/* The bytes of table t (V(table)) at the nibbles idx. */
V_FN vec_avx2 V(lookup)(vec_avx2 t, vec_avx2 idx) { return _mm256_shuffle_epi8(t, idx); }
V_FN vec_avx2 V(vand)(vec_avx2 a, vec_avx2 b) { return _mm256_and_si256(a, b); }
/* The lanes where a and b share a bit. */
V_FN vmask_avx2 V(test)(vec_avx2 a, vec_avx2 b)
{
    return _mm256_xor_si256(_mm256_cmpeq_epi8(_mm256_and_si256(a, b), _mm256_setzero_si256()),
                            _mm256_set1_epi8(-1));
}
/* The bytes c or above (unsigned). */
V_FN vmask_avx2 V(geu)(vec_avx2 v, unsigned char c)
{
    return _mm256_cmpeq_epi8(_mm256_max_epu8(v, _mm256_set1_epi8((char)c)), v);
}
V_FN vmask_avx2 V(xor)(vmask_avx2 a, vmask_avx2 b) { return _mm256_xor_si256(a, b); }

#elif VEC_BITS == 512

#define V(name) name##_avx512
#define VW 64
#define V_TARGET "avx512f,avx512bw"
#define V_FN static inline __attribute__((target("avx512f,avx512bw"), always_inline))
typedef __m512i vec_avx512;
typedef __mmask64 vmask_avx512;

V_FN vec_avx512 V(load)(const char *p) { return _mm512_loadu_si512((const void *)p); }
V_FN vec_avx512 V(splat)(char c) { return _mm512_set1_epi8(c); }
V_FN vec_avx512 V(table)(const unsigned char t[16])
{
    return _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)t));
}
V_FN vmask_avx512 V(eq)(vec_avx512 a, vec_avx512 b) { return _mm512_cmpeq_epi8_mask(a, b); }
V_FN vmask_avx512 V(and)(vmask_avx512 a, vmask_avx512 b) { return a & b; }
V_FN vmask_avx512 V(or)(vmask_avx512 a, vmask_avx512 b) { return a | b; }
V_FN uint64_t V(bits)(vmask_avx512 m) { return (uint64_t)m; }
V_FN vmask_avx512 V(ascii)(vec_avx512 v) { return ~_mm512_movepi8_mask(v); }
V_FN void V(nibbles)(vec_avx512 v, vec_avx512 *lo, vec_avx512 *hi)
{
    const __m512i low4 = _mm512_set1_epi8(0x0F);
    *lo = _mm512_and_si512(v, low4);
    *hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), low4);
}
V_FN vmask_avx512 V(in)(vec_avx512 lo_t, vec_avx512 hi_t, vec_avx512 lo, vec_avx512 hi)
{
    return _mm512_test_epi8_mask(_mm512_shuffle_epi8(lo_t, lo), _mm512_shuffle_epi8(hi_t, hi));
}
V_FN vec_avx512 V(lookup)(vec_avx512 t, vec_avx512 idx) { return _mm512_shuffle_epi8(t, idx); }
V_FN vec_avx512 V(vand)(vec_avx512 a, vec_avx512 b) { return _mm512_and_si512(a, b); }
V_FN vmask_avx512 V(test)(vec_avx512 a, vec_avx512 b) { return _mm512_test_epi8_mask(a, b); }
V_FN vmask_avx512 V(geu)(vec_avx512 v, unsigned char c)
{
    return _mm512_cmpge_epu8_mask(v, _mm512_set1_epi8((char)c));
}
V_FN vmask_avx512 V(xor)(vmask_avx512 a, vmask_avx512 b) { return a ^ b; }

#else
#error "VEC_BITS must be 256 or 512"
#endif
