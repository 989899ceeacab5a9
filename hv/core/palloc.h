/*
 * The physical page allocator's pure core: a bitmap with one bit per 4 KiB
 * page of a physical range, set when the page is in use. mem.c owns the one
 * instance Vireo uses, its lock, and the zeroing of what it hands out.
 */
#ifndef VIREO_PALLOC_H
#define VIREO_PALLOC_H

#include "core/types.h"

struct palloc {
	paddr_t base;      /* first page the bitmap describes */
	uint64_t npages;   /* pages described */
	uint64_t nfree;    /* pages currently free */
	uint64_t *bitmap;  /* npages bits; 1 = in use or not RAM */
};

/* Words of bitmap needed for npages. */
#define PALLOC_BITMAP_WORDS(npages) (((npages) + 63) / 64)

/* Starts with every page in use; palloc_add() then frees the usable RAM. */
void palloc_init(struct palloc *a, paddr_t base, uint64_t npages, uint64_t *bitmap);
/* Marks the pages of [start, start + size) as free RAM (clipped, rounded in). */
void palloc_add(struct palloc *a, paddr_t start, uint64_t size);
/* Marks the pages touching [start, start + size) as in use (rounded out). */
void palloc_reserve(struct palloc *a, paddr_t start, uint64_t size);
/* Finds npages free pages starting at a multiple of align_pages (a power of
 * two) from the base of the physical address space. */
bool palloc_alloc(struct palloc *a, uint64_t npages, uint64_t align_pages, paddr_t *out);
void palloc_free(struct palloc *a, paddr_t start, uint64_t npages);

#endif
