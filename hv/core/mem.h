/*
 * Physical memory: the one page allocator for Vireo's tables and its VMs'
 * RAM, and the one way from a physical address to a pointer.
 */
#ifndef VIREO_CORE_MEM_H
#define VIREO_CORE_MEM_H

#include "arch/aarch64/pgtable.h"
#include "core/platform.h"

void mem_init(const struct platform *p, paddr_t image_start, paddr_t image_end);
/* Takes [start, start + size) out of the free memory for good. */
void mem_reserve(paddr_t start, uint64_t size);
/* npages zeroed, contiguous pages starting at a multiple of align_pages. */
bool mem_alloc(uint64_t npages, uint64_t align_pages, paddr_t *out);
/* The same pages, not zeroed: for a caller that writes all of them
 * itself (a VM's RAM, zeroed to the point of coherency by vm_load.c). */
bool mem_alloc_uninit(uint64_t npages, uint64_t align_pages, paddr_t *out);
void mem_free(paddr_t start, uint64_t npages);
uint64_t mem_free_pages(void);

/* Vireo reaches all of RAM through a linear map at a fixed offset from
 * the physical address; the mode says which (0 at EL2, whose map is the
 * identity: arch/aarch64/el2/mmu.c). */
extern uint64_t mem_virt_offset;

static inline void *phys_to_virt(paddr_t p)
{
	return (void *)(uintptr_t)(pa_addr(p) + mem_virt_offset);
}

static inline paddr_t virt_to_phys(const void *v)
{
	return pa((uintptr_t)v - mem_virt_offset);
}

/* Page-table memory for pgtable.c, from the allocator above. */
extern const struct pgtable_mm mem_pgtable_mm;


#endif
