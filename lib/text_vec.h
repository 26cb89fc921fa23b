/*
 * Sixteen bytes at a time for the byte scans every page goes through
 * (cleaning, white-space collapsing, binary sniffing), in GCC's and
 * Clang's generic vectors: SSE2 on
 * x86-64, NEON on arm64, plain integer code elsewhere, with no run-time
 * dispatch.  Vietnamese puts a letter outside ASCII every few bytes, so a
 * byte loop mispredicts a branch on nearly every word; these tests judge
 * sixteen bytes with none, and the byte loops handle only the blocks that
 * hold something to change.
 *
 * A comparison gives a mask vector: 0xFF in the lanes that hold, 0 in the
 * others.  The loads are unaligned (memcpy): callers load at p-2 … p+2
 * around a block, and keep every load inside the buffer.
 *
 * Private to libbantin.
 */
#ifndef BT_TEXT_VEC_H
#define BT_TEXT_VEC_H

#include <stdint.h>
#include <string.h>

typedef unsigned char bt_u8x16 __attribute__((vector_size(16)));
typedef signed char bt_s8x16 __attribute__((vector_size(16)));
typedef bt_s8x16 bt_m8x16; /* a mask */

enum { BT_VEC = 16 };

static inline bt_u8x16 bt_vec_load(const unsigned char *p)
{
    bt_u8x16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The same bytes as signed lanes (0x80-0xFF below zero). */
static inline bt_s8x16 bt_vec_loads(const unsigned char *p)
{
    bt_s8x16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The first lane m holds, or BT_VEC when it holds in none. */
static inline unsigned bt_vec_first(bt_m8x16 m)
{
    uint64_t half[2];
    memcpy(half, &m, sizeof half);
    for (unsigned k = 0; k < 2; k++)
        if (half[k]) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return 8 * k + (unsigned)__builtin_ctzll(half[k]) / 8;
#else
            const unsigned char *b = (const unsigned char *)&half[k];
            unsigned j = 0;
            while (!b[j])
                j++;
            return 8 * k + j;
#endif
        }
    return BT_VEC;
}

/* How many lanes m holds. */
static inline unsigned bt_vec_count(bt_m8x16 m)
{
    uint64_t half[2];
    memcpy(half, &m, sizeof half);
    /* each lane holding gives one 0x01 byte; the multiply adds them up */
    const uint64_t ones = 0x0101010101010101ull;
    return (unsigned)((((half[0] & ones) * ones) >> 56) + (((half[1] & ones) * ones) >> 56));
}

#endif
