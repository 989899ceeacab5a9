/*
 * Basic types, and the address types that keep Vireo's address spaces apart.
 *
 * Vireo handles four kinds of address: physical addresses (paddr_t), the
 * intermediate physical addresses a guest believes are physical (ipaddr_t),
 * the virtual addresses a guest's own MMU translates (gvaddr_t), and its
 * own virtual addresses, which are plain C pointers. The first three are
 * wrapped in one-member structs so the compiler refuses to pass one where
 * another is wanted; pa()/ipa()/gva() build them and pa_addr()/ipa_addr()/
 * gva_addr() unwrap them. A physical address becomes a pointer only
 * through phys_to_virt() (core/mem.h).
 */
#ifndef VIREO_CORE_TYPES_H
#define VIREO_CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t pa;
} paddr_t;

typedef struct {
	uint64_t ipa;
} ipaddr_t;

static inline paddr_t pa(uint64_t a)
{
	return (paddr_t){ a };
}

static inline uint64_t pa_addr(paddr_t p)
{
	return p.pa;
}

static inline ipaddr_t ipa(uint64_t a)
{
	return (ipaddr_t){ a };
}

static inline uint64_t ipa_addr(ipaddr_t i)
{
	return i.ipa;
}

typedef struct {
	uint64_t va;
} gvaddr_t;

static inline gvaddr_t gva(uint64_t a)
{
	return (gvaddr_t){ a };
}

static inline uint64_t gva_addr(gvaddr_t v)
{
	return v.va;
}

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
#define SZ_4G (1UL << 32)

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a) - 1)) == 0)

/* Whether [a, a + asize) and [b, b + bsize) share a byte (neither wraps). */
static inline bool ranges_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
#define GENMASK(h, l) (((~0UL) >> (63 - (h))) & ~((1UL << (l)) - 1))
/* Extracts the field described by a GENMASK()-style mask. */
#define FIELD_GET(mask, v) (((v) & (mask)) >> __builtin_ctzl(mask))
#define FIELD_PREP(mask, v) (((uint64_t)(v) << __builtin_ctzl(mask)) & (mask))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
