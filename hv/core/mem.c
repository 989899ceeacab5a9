/*
 * The physical page allocator, as Vireo uses it.
 *
 * mem_init() describes every RAM bank from the device tree to palloc.c,
 * then takes out what is not free: Vireo's own image, the device tree,
 * firmware's reserved regions and the boot modules (guest images that the
 * loader put in RAM). Everything Vireo hands out is zeroed first, so no VM
 * ever sees another's old data or Vireo's.
 *
 * The bitmap is static and covers MAX_MANAGED_BYTES from the lowest RAM
 * bank; RAM above that is left unused (and said so at boot).
 * Lock order: mem_lock is a leaf; nothing else is taken while holding it.
 */
#include "core/mem.h"

#include <string.h>

#include "core/palloc.h"
#include "core/printk.h"
#include "arch/aarch64/spinlock.h"

#define MAX_MANAGED_BYTES (8UL << 30)
#define MAX_MANAGED_PAGES (MAX_MANAGED_BYTES / PAGE_SIZE)

static struct palloc phys;
static uint64_t phys_bitmap[PALLOC_BITMAP_WORDS(MAX_MANAGED_PAGES)];
static spinlock_t mem_lock = SPINLOCK_INIT;
uint64_t mem_virt_offset;

void mem_init(const struct platform *p, paddr_t image_start, paddr_t image_end)
{
	uint64_t lo = ~0UL, hi = 0;
	unsigned i;

	for (i = 0; i < p->n_ram; i++) {
		lo = MIN(lo, pa_addr(p->ram[i].base));
		hi = MAX(hi, pa_addr(p->ram[i].base) + p->ram[i].size);
	}
	lo = ALIGN_DOWN(lo, PAGE_SIZE);
	if (hi - lo > MAX_MANAGED_BYTES) {
		printk("vireo: using the first %lu MiB of RAM only\n", MAX_MANAGED_BYTES >> 20);
		hi = lo + MAX_MANAGED_BYTES;
	}
	palloc_init(&phys, pa(lo), (hi - lo) / PAGE_SIZE, phys_bitmap);
	for (i = 0; i < p->n_ram; i++) {
		palloc_add(&phys, p->ram[i].base, p->ram[i].size);
	}
	palloc_reserve(&phys, image_start, pa_addr(image_end) - pa_addr(image_start));
	for (i = 0; i < p->n_reserved; i++) {
		palloc_reserve(&phys, p->reserved[i].base, p->reserved[i].size);
	}
}

void mem_reserve(paddr_t start, uint64_t size)
{
	spin_lock(&mem_lock);
	palloc_reserve(&phys, start, size);
	spin_unlock(&mem_lock);
}

bool mem_alloc_uninit(uint64_t npages, uint64_t align_pages, paddr_t *out)
{
	bool ok;

	spin_lock(&mem_lock);
	ok = palloc_alloc(&phys, npages, align_pages, out);
	spin_unlock(&mem_lock);
	return ok;
}

bool mem_alloc(uint64_t npages, uint64_t align_pages, paddr_t *out)
{
	if (!mem_alloc_uninit(npages, align_pages, out)) {
		return false;
	}
	memset(phys_to_virt(*out), 0, npages * PAGE_SIZE);
	return true;
}

void mem_free(paddr_t start, uint64_t npages)
{
	spin_lock(&mem_lock);
	palloc_free(&phys, start, npages);
	spin_unlock(&mem_lock);
}

uint64_t mem_free_pages(void)
{
	return phys.nfree;
}

static bool table_alloc(void *ctx, unsigned npages, paddr_t *out)
{
	return mem_alloc(npages, npages, out);
}

static void table_free(void *ctx, paddr_t page, unsigned npages)
{
	mem_free(page, npages);
}

static void *table_ptr(void *ctx, paddr_t page)
{
	return phys_to_virt(page);
}

const struct pgtable_mm mem_pgtable_mm = {
	.alloc = table_alloc,
	.free = table_free,
	.to_ptr = table_ptr,
};
