/* Basic types and bit helpers shared by every module. */
#ifndef TANDEM_CORE_TYPES_H
#define TANDEM_CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT64(n) (1ULL << (n))
#define MASK64(len) ((len) >= 64 ? ~0ULL : (1ULL << (len)) - 1)

/* Bits [start+len-1:start] of value. */
static inline uint64_t extract64(uint64_t value, unsigned start, unsigned len)
{
    return (value >> start) & MASK64(len);
}

static inline uint32_t extract32(uint32_t value, unsigned start, unsigned len)
{
    return (uint32_t)extract64(value, start, len);
}

/* Bits [start+len-1:start] of value, sign-extended. */
static inline int64_t sextract64(uint64_t value, unsigned start, unsigned len)
{
    return (int64_t)(value << (64 - len - start)) >> (64 - len);
}

static inline int32_t sextract32(uint32_t value, unsigned start, unsigned len)
{
    return (int32_t)sextract64(value, start, len);
}

/* value with bits [start+len-1:start] replaced by field. */
static inline uint64_t deposit64(uint64_t value, unsigned start, unsigned len, uint64_t field)
{
    uint64_t mask = MASK64(len) << start;
    return (value & ~mask) | ((field << start) & mask);
}

static inline uint64_t sext64(uint64_t value, unsigned bits)
{
    return (uint64_t)sextract64(value, 0, bits);
}

static inline int clz64(uint64_t v) { return v ? __builtin_clzll(v) : 64; }
static inline int ctz64(uint64_t v) { return v ? __builtin_ctzll(v) : 64; }
static inline int popcount64(uint64_t v) { return __builtin_popcountll(v); }

#endif
