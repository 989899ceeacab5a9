/*
 * Building and walking VMSAv8-64 translation tables, 4 KiB granule.
 *
 * A table is one page of 512 eight-byte descriptors; a level-n descriptor
 * covers 1 << (12 + 9 * (3 - n)) bytes: 512 GiB at level 0, 1 GiB at level
 * 1, 2 MiB at level 2 and 4 KiB at level 3. pgtable_map() descends from the
 * root and, at each level, writes a block descriptor where the range and
 * both addresses are aligned to that level's size (levels 1 and 2), a page
 * at level 3, or else a pointer to a next-level table, allocated on demand.
 * It refuses to overwrite an existing mapping rather than splitting a block:
 * Vireo maps each range once, when it builds a VM or its own address space,
 * so an overlap is a caller's bug, reported as PGTABLE_EXISTS.
 *
 * A stage-2 walk may start with up to 16 concatenated tables at its first
 * level (Arm ARM D8.2.7); root_pages says how many, and the root index then
 * simply spans more bits.
 *
 * Nothing here publishes a live table to the MMU: callers build tables before
 * the MMU uses them (boot, VM creation) and issue the barriers themselves.
 */
#include "arch/aarch64/pgtable.h"

#define ENTRIES_PER_TABLE 512
#define BITS_PER_LEVEL 9

static unsigned level_shift(unsigned level)
{
	return PAGE_SHIFT + BITS_PER_LEVEL * (3 - level);
}

uint64_t pgtable_level_size(unsigned level)
{
	return 1UL << level_shift(level);
}

unsigned pgtable_levels(unsigned va_bits)
{
	return (va_bits - PAGE_SHIFT + BITS_PER_LEVEL - 1) / BITS_PER_LEVEL;
}

static uint64_t *table_ptr(const struct pgtable *pt, paddr_t table)
{
	return pt->mm->to_ptr(pt->mm->ctx, table);
}

/* Index of va in a table at level; the root's index may span more bits. */
static unsigned table_index(const struct pgtable *pt, uint64_t va, unsigned level)
{
	uint64_t idx = va >> level_shift(level);

	if (level == pt->start_level) {
		return idx & (pt->root_pages * ENTRIES_PER_TABLE - 1);
	}
	return idx & (ENTRIES_PER_TABLE - 1);
}

int pgtable_init(struct pgtable *pt, unsigned va_bits, unsigned start_level,
		 const struct pgtable_mm *mm)
{
	unsigned root_bits;

	if (va_bits < 25 || va_bits > 48 || start_level > 2) {
		return PGTABLE_RANGE;
	}
	/* The root resolves every input bit above the start level's shift. */
	if (va_bits <= level_shift(start_level)) {
		return PGTABLE_RANGE;
	}
	root_bits = va_bits - level_shift(start_level);
	if (root_bits > BITS_PER_LEVEL + 4) {
		return PGTABLE_RANGE; /* more than 16 concatenated tables */
	}
	pt->va_bits = va_bits;
	pt->start_level = start_level;
	pt->root_pages = root_bits > BITS_PER_LEVEL ? 1U << (root_bits - BITS_PER_LEVEL) : 1;
	pt->mm = mm;
	if (!mm->alloc(mm->ctx, pt->root_pages, &pt->root)) {
		return PGTABLE_NOMEM;
	}
	return PGTABLE_OK;
}

static bool block_allowed(unsigned level, uint64_t va, paddr_t pa, uint64_t size)
{
	uint64_t bs = pgtable_level_size(level);

	/* Level 0 blocks do not exist with a 4 KiB granule without FEAT_LPA2. */
	return level >= 1 && level <= 2 && size >= bs && IS_ALIGNED(va, bs) &&
	       IS_ALIGNED(pa_addr(pa), bs);
}

/* Returns the next-level table under *pte, allocating it if needed. */
static int next_table(const struct pgtable *pt, uint64_t *pte, paddr_t *next)
{
	if ((*pte & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE)) {
		*next = pa(*pte & PTE_ADDR);
		return PGTABLE_OK;
	}
	if (*pte & PTE_VALID) {
		return PGTABLE_EXISTS; /* a block already covers this range */
	}
	if (!pt->mm->alloc(pt->mm->ctx, 1, next)) {
		return PGTABLE_NOMEM;
	}
	*pte = pa_addr(*next) | PTE_VALID | PTE_TABLE;
	return PGTABLE_OK;
}

static int map_range(struct pgtable *pt, paddr_t table, unsigned level, uint64_t va,
		     paddr_t out, uint64_t size, uint64_t attrs)
{
	uint64_t *entries = table_ptr(pt, table);

	while (size > 0) {
		uint64_t *pte = &entries[table_index(pt, va, level)];
		uint64_t end = ALIGN_DOWN(va, pgtable_level_size(level)) + pgtable_level_size(level);
		uint64_t chunk = MIN(size, end - va);
		paddr_t next;
		int err;

		if (level == 3 || block_allowed(level, va, out, chunk)) {
			if (*pte & PTE_VALID) {
				return PGTABLE_EXISTS;
			}
			*pte = pa_addr(out) | attrs | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
		} else {
			err = next_table(pt, pte, &next);
			if (err == PGTABLE_OK) {
				err = map_range(pt, next, level + 1, va, out, chunk, attrs);
			}
			if (err != PGTABLE_OK) {
				return err;
			}
		}
		va += chunk;
		out = pa(pa_addr(out) + chunk);
		size -= chunk;
	}
	return PGTABLE_OK;
}

int pgtable_map(struct pgtable *pt, uint64_t va, paddr_t pa, uint64_t size, uint64_t attrs)
{
	uint64_t limit = 1UL << pt->va_bits;

	if (size == 0 || !IS_ALIGNED(va | pa_addr(pa) | size, PAGE_SIZE) || va >= limit ||
	    size > limit - va) {
		return PGTABLE_RANGE;
	}
	return map_range(pt, pt->root, pt->start_level, va, pa, size, attrs);
}

bool pgtable_walk(const struct pgtable *pt, uint64_t va, paddr_t *out, uint64_t *attrs,
		  unsigned *level_out)
{
	paddr_t table = pt->root;
	unsigned level;

	if (va >> pt->va_bits) {
		return false;
	}
	for (level = pt->start_level; level <= 3; level++) {
		uint64_t pte = table_ptr(pt, table)[table_index(pt, va, level)];
		bool is_table = (pte & PTE_TABLE) && level < 3;

		if (!(pte & PTE_VALID) || (level == 3 && !(pte & PTE_TABLE))) {
			if (level_out) {
				*level_out = level; /* the hole is that level's size */
			}
			return false;
		}
		if (!is_table) {
			uint64_t offset = va & (pgtable_level_size(level) - 1);

			*out = pa((pte & PTE_ADDR & ~(pgtable_level_size(level) - 1)) + offset);
			if (attrs) {
				*attrs = pte & ~(PTE_ADDR | PTE_TYPE_MASK);
			}
			if (level_out) {
				*level_out = level;
			}
			return true;
		}
		table = pa(pte & PTE_ADDR);
	}
	return false;
}

static void free_tree(struct pgtable *pt, paddr_t table, unsigned level, unsigned npages)
{
	uint64_t *entries = table_ptr(pt, table);
	unsigned i;

	/* A level-3 descriptor with both low bits set is a page, not a table. */
	for (i = 0; level < 3 && i < npages * ENTRIES_PER_TABLE; i++) {
		if ((entries[i] & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE)) {
			free_tree(pt, pa(entries[i] & PTE_ADDR), level + 1, 1);
		}
	}
	pt->mm->free(pt->mm->ctx, table, npages);
}

void pgtable_destroy(struct pgtable *pt)
{
	free_tree(pt, pt->root, pt->start_level, pt->root_pages);
	pt->root = pa(0);
}
