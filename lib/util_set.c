/*
 * A set of byte strings: open addressing over 64-bit hashes, the keys
 * copied into the set.  The one hash set of libbantin (ids for --unique
 * and de-duplication, file names for -d).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t hash; /* 0: empty (hashes are never 0) */
    char *key;     /* len bytes, NUL-terminated */
    size_t len;
} slot;

struct bt_set {
    slot *slots;
    size_t cap, n; /* cap is 0 or a power of two */
};

/* FNV-1a, then a final mix so that the low bits spread well. */
static uint64_t hash_key(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

bt_set *bt_set_new(void)
{
    return calloc(1, sizeof(bt_set));
}

static slot *find(const bt_set *s, uint64_t h, const void *key, size_t len)
{
    for (size_t i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        slot *sl = &s->slots[i];
        if (!sl->hash || (sl->hash == h && sl->len == len && !memcmp(sl->key, key, len)))
            return sl;
    }
}

static int grow(bt_set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64;
    slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].hash)
            continue;
        size_t j = (size_t)s->slots[i].hash & (cap - 1);
        while (slots[j].hash)
            j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return 0;
}

int bt_set_add(bt_set *s, const void *key, size_t len)
{
    if ((s->n + 1) * 4 > s->cap * 3 && grow(s) < 0)
        return -1;
    uint64_t h = hash_key(key, len);
    slot *sl = find(s, h, key, len);
    if (sl->hash)
        return 0;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    *sl = (slot){h, copy, len};
    s->n++;
    return 1;
}

int bt_set_has(const bt_set *s, const void *key, size_t len)
{
    return s->cap && find(s, hash_key(key, len), key, len)->hash;
}

size_t bt_set_count(const bt_set *s)
{
    return s->n;
}

void bt_set_free(bt_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++)
        free(s->slots[i].key);
    free(s->slots);
    free(s);
}
