/*
 * Translation tables in the VMSAv8-64 format with a 4 KiB granule, shared by
 * Vireo's own EL2 tables (mmu.c) and each VM's stage-2 tables (stage2.c).
 * The two differ only in their attribute bits and in where the walk
 * starts, which the caller chooses; this file builds and walks the tree.
 * It is pure logic over memory it obtains through struct pgtable_mm, so the
 * host unit tests run it against a fake memory.
 */
#ifndef VIREO_PGTABLE_H
#define VIREO_PGTABLE_H

#include "core/types.h"

/* Descriptor bits common to every level (Arm ARM D8.3). */
#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1)  /* levels 0-2: next-level table; level 3: page */
#define PTE_TYPE_MASK (PTE_VALID | PTE_TABLE)
#define PTE_ADDR GENMASK(47, 12)
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3UL << 8)
#define PTE_XN BIT(54)

/* Stage-1 (EL2) leaf attributes. */
#define PTE_ATTRINDX(i) ((uint64_t)(i) << 2)
#define PTE_EL2_AP_RW (1UL << 6) /* AP[1] is RES1 in the EL2 regime */

/* Stage-2 leaf attributes (D8.5.5, stage 2 memory region attributes). */
#define PTE_S2_MEMATTR_DEVICE (0x1UL << 2) /* Device-nGnRE */
#define PTE_S2_MEMATTR_NORMAL (0xfUL << 2) /* Normal, inner/outer write-back */
#define PTE_S2_AP_RW (3UL << 6)
#define PTE_S2_AP_RO (1UL << 6)

/* Where the tree's table pages come from, and how Vireo reaches them. */
struct pgtable_mm {
	/* Returns npages zeroed, physically contiguous pages aligned to their
	 * total size, or false when memory is exhausted. */
	bool (*alloc)(void *ctx, unsigned npages, paddr_t *out);
	void (*free)(void *ctx, paddr_t page, unsigned npages);
	void *(*to_ptr)(void *ctx, paddr_t page);
	void *ctx;
};

struct pgtable {
	paddr_t root;
	unsigned va_bits;     /* input address size */
	unsigned start_level; /* 0, 1 or 2 */
	unsigned root_pages;  /* >1 only for concatenated stage-2 roots */
	const struct pgtable_mm *mm;
};

enum pgtable_err {
	PGTABLE_OK = 0,
	PGTABLE_NOMEM = -1,
	PGTABLE_EXISTS = -2, /* part of the range is already mapped */
	PGTABLE_RANGE = -3,  /* unaligned, empty or outside va_bits */
};

/* Number of levels a walk of va_bits needs with 4 KiB pages. */
unsigned pgtable_levels(unsigned va_bits);

int pgtable_init(struct pgtable *pt, unsigned va_bits, unsigned start_level,
		 const struct pgtable_mm *mm);
int pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs);
/* Looks va up. On success gives the output address of va itself, the leaf's
 * attributes (without type and address bits) and the level of the leaf;
 * on failure within the tables, the level of the invalid entry (the hole
 * around va is at least pgtable_level_size() of it). */
bool pgtable_walk(const struct pgtable *pt, uint64_t va, paddr_t *pa, uint64_t *attrs,
		  unsigned *level);
void pgtable_destroy(struct pgtable *pt);
/* The bytes one entry at level maps (4 KiB pages). */
uint64_t pgtable_level_size(unsigned level);

#endif
