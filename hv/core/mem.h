/*
 * Physical memory: the one page allocator for Vireo's tables and its VMs'
 * RAM, and the cache maintenance that goes with handing memory around.
 */
#ifndef VIREO_MEM_H
#define VIREO_MEM_H

#include "arch/aarch64/pgtable.h"
#include "core/platform.h"

void mem_init(const struct platform *p, paddr_t image_start, paddr_t image_end);
/* Takes [start, start + size) out of the free memory for good. */
void mem_reserve(paddr_t start, uint64_t size);
/* npages zeroed, contiguous pages starting at a multiple of align_pages. */
bool mem_alloc(uint64_t npages, uint64_t align_pages, paddr_t *out);
void mem_free(paddr_t start, uint64_t npages);
uint64_t mem_free_pages(void);

static inline void *pa_to_ptr(paddr_t p)
{
	return (void *)(uintptr_t)pa_addr(p); /* Vireo's memory is identity mapped */
}

/* Page-table memory for pgtable.c, from the allocator above. */
extern const struct pgtable_mm mem_pgtable_mm;

/* Cleans and/or invalidates the data cache lines of [p, p + size) to the
 * point of coherency (Arm ARM D7.5.9). */
void dcache_clean_range(const void *p, size_t size);
void dcache_inval_range(const void *p, size_t size);

#endif
