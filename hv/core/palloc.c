/*
 * A first-fit physical page allocator over a bitmap.
 *
 * Vireo allocates rarely: its own tables at boot, and each VM's RAM and
 * stage-2 tables when the VM is built or reset. So a linear first-fit scan
 * is fast enough and easy to trust. Allocations can ask for an alignment,
 * which lets a VM's RAM start on a 2 MiB or 1 GiB boundary and be mapped
 * with stage-2 blocks. This file is pure logic; mem.c wraps it with a lock.
 */
#include "core/palloc.h"

static bool page_used(const struct palloc *a, uint64_t i)
{
	return a->bitmap[i / 64] & BIT(i % 64);
}

static void mark(struct palloc *a, uint64_t first, uint64_t count, bool used)
{
	uint64_t i;

	for (i = first; i < first + count; i++) {
		if (page_used(a, i) == used) {
			continue;
		}
		if (used) {
			a->bitmap[i / 64] |= BIT(i % 64);
			a->nfree--;
		} else {
			a->bitmap[i / 64] &= ~BIT(i % 64);
			a->nfree++;
		}
	}
}

void palloc_init(struct palloc *a, paddr_t base, uint64_t npages, uint64_t *bitmap)
{
	uint64_t w;

	a->base = base;
	a->npages = npages;
	a->nfree = 0;
	a->bitmap = bitmap;
	for (w = 0; w < PALLOC_BITMAP_WORDS(npages); w++) {
		bitmap[w] = ~0UL;
	}
}

/* Clips the page range [first, last) to the pages the bitmap describes. */
static bool clip(const struct palloc *a, uint64_t start, uint64_t end, uint64_t *first,
		 uint64_t *last)
{
	uint64_t base = pa_addr(a->base);
	uint64_t top = base + a->npages * PAGE_SIZE;

	if (end <= start || end <= base || start >= top) {
		return false;
	}
	start = MAX(start, base);
	end = MIN(end, top);
	*first = (start - base) / PAGE_SIZE;
	*last = (end - base) / PAGE_SIZE;
	return *last > *first;
}

void palloc_add(struct palloc *a, paddr_t start, uint64_t size)
{
	uint64_t s = ALIGN_UP(pa_addr(start), PAGE_SIZE);
	uint64_t e = ALIGN_DOWN(pa_addr(start) + size, PAGE_SIZE);
	uint64_t first, last;

	if (clip(a, s, e, &first, &last)) {
		mark(a, first, last - first, false);
	}
}

void palloc_reserve(struct palloc *a, paddr_t start, uint64_t size)
{
	uint64_t s = ALIGN_DOWN(pa_addr(start), PAGE_SIZE);
	uint64_t e = ALIGN_UP(pa_addr(start) + size, PAGE_SIZE);
	uint64_t first, last;

	if (size > 0 && clip(a, s, e, &first, &last)) {
		mark(a, first, last - first, true);
	}
}

/* Length of the free run starting at page i, counting at most want pages. */
static uint64_t free_run(const struct palloc *a, uint64_t i, uint64_t want)
{
	uint64_t n = 0;

	while (n < want && i + n < a->npages && !page_used(a, i + n)) {
		n++;
	}
	return n;
}

bool palloc_alloc(struct palloc *a, uint64_t npages, uint64_t align_pages, paddr_t *out)
{
	uint64_t base_pfn = pa_addr(a->base) / PAGE_SIZE;
	uint64_t i;

	if (npages == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) ||
	    npages > a->nfree) {
		return false;
	}
	/* First index whose physical page number is a multiple of align_pages. */
	i = ALIGN_UP(base_pfn, align_pages) - base_pfn;
	while (i + npages <= a->npages) {
		uint64_t run = free_run(a, i, npages);

		if (run == npages) {
			mark(a, i, npages, true);
			*out = pa(pa_addr(a->base) + i * PAGE_SIZE);
			return true;
		}
		/* Skip past the used page that ended the run. */
		i = ALIGN_UP(base_pfn + i + run + 1, align_pages) - base_pfn;
	}
	return false;
}

void palloc_free(struct palloc *a, paddr_t start, uint64_t npages)
{
	uint64_t first, last;

	if (clip(a, pa_addr(start), pa_addr(start) + npages * PAGE_SIZE, &first, &last)) {
		mark(a, first, last - first, false);
	}
}
