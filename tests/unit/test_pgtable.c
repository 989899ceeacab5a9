/*
 * Unit tests for the translation-table builder (hv/pgtable.c) and the
 * stage-2 layer over it (hv/stage2.c), run natively.
 *
 * The tables live in a fake physical memory: a static arena whose pages
 * have physical addresses starting at FAKE_PA_BASE, a value unrelated to
 * where the arena sits in the test's address space, so code that stores a
 * pointer where a physical address belongs (or the reverse) faults or
 * fails a check here. The fake allocator follows the struct pgtable_mm
 * contract (zeroed, contiguous, aligned to the allocation's size), checks
 * every free against what was allocated, and can be told to run dry.
 *
 * Descriptors are also read back raw, with a lookup written from the Arm
 * ARM's description of the format rather than from pgtable.c, so the
 * tests see block versus table versus page type bits directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/pgtable.h"
#include "arch/aarch64/el2/stage2.h"

/* ---- fake physical memory ---------------------------------------------- */

#define ARENA_PAGES 256
#define ARENA_ALIGN (16 * 4096) /* the largest root: 16 concatenated tables */
/* Not zero, not the arena's address, aligned like the arena. */
#define FAKE_PA_BASE 0x8c3450000UL
#define JUNK 0xa5

static _Alignas(ARENA_ALIGN) uint8_t arena[ARENA_PAGES * 4096];

struct fake_mem {
	unsigned alloc_size[ARENA_PAGES]; /* npages, at an allocation's first page */
	bool used[ARENA_PAGES];
	unsigned alloc_calls, free_calls;
	unsigned pages_allocated, pages_freed;
	int budget; /* successful allocations left; negative: unlimited */
};

static struct fake_mem mem;

static unsigned page_index(paddr_t p)
{
	uint64_t a = pa_addr(p);

	if (a < FAKE_PA_BASE || a >= FAKE_PA_BASE + sizeof(arena) || a % 4096) {
		fail_msg("physical address %#lx is not a page of the fake memory", a);
	}
	return (a - FAKE_PA_BASE) / 4096;
}

static bool fake_alloc(void *ctx, unsigned npages, paddr_t *out)
{
	struct fake_mem *m = ctx;
	unsigned i, j;

	assert_ptr_equal(m, &mem);
	if (npages == 0 || npages > 16 || (npages & (npages - 1))) {
		fail_msg("alloc of %u pages", npages);
	}
	if (m->budget == 0) {
		return false;
	}
	/* Start pages are multiples of npages, so physically aligned to the
	 * allocation's size (FAKE_PA_BASE is aligned to 16 pages). */
	for (i = 0; i + npages <= ARENA_PAGES; i += npages) {
		for (j = 0; j < npages && !m->used[i + j]; j++) {
		}
		if (j < npages) {
			continue;
		}
		for (j = 0; j < npages; j++) {
			m->used[i + j] = true;
		}
		m->alloc_size[i] = npages;
		memset(&arena[i * 4096], 0, npages * 4096);
		m->alloc_calls++;
		m->pages_allocated += npages;
		if (m->budget > 0) {
			m->budget--;
		}
		*out = pa(FAKE_PA_BASE + i * 4096UL);
		return true;
	}
	fail_msg("fake memory of %u pages is too small for this test", ARENA_PAGES);
	return false;
}

static void fake_free(void *ctx, paddr_t page, unsigned npages)
{
	struct fake_mem *m = ctx;
	unsigned i = page_index(page), j;

	if (m->alloc_size[i] != npages) {
		fail_msg("free of %u pages at %#lx, which was allocated with %u", npages,
			 pa_addr(page), m->alloc_size[i]);
	}
	for (j = 0; j < npages; j++) {
		m->used[i + j] = false;
	}
	m->alloc_size[i] = 0;
	memset(&arena[i * 4096], JUNK, npages * 4096);
	m->free_calls++;
	m->pages_freed += npages;
}

static void *fake_to_ptr(void *ctx, paddr_t page)
{
	unsigned i = page_index(page);

	if (!mem.used[i]) {
		fail_msg("access to free page %#lx", pa_addr(page));
	}
	return &arena[i * 4096];
}

static const struct pgtable_mm fake_mm = {
	.alloc = fake_alloc,
	.free = fake_free,
	.to_ptr = fake_to_ptr,
	.ctx = &mem,
};

static int reset_mem(void **state)
{
	memset(&mem, 0, sizeof(mem));
	mem.budget = -1;
	memset(arena, JUNK, sizeof(arena));
	return 0;
}

static unsigned pages_in_use(void)
{
	unsigned i, n = 0;

	for (i = 0; i < ARENA_PAGES; i++) {
		n += mem.used[i];
	}
	return n;
}

/* ---- an independent reading of the tables ------------------------------ */

#define DESC_ADDR 0x0000fffffffff000UL
#define DESC_TYPE 3UL
#define TYPE_BLOCK 1UL      /* levels 1 and 2 */
#define TYPE_TABLE_PAGE 3UL /* table at levels 0-2, page at level 3 */

#define KiB4 0x1000UL
#define MiB2 0x200000UL
#define GiB1 0x40000000UL

static uint64_t *table_at(uint64_t desc_or_root)
{
	paddr_t p = pa(desc_or_root & DESC_ADDR);

	return (uint64_t *)&arena[page_index(p) * 4096];
}

/* The raw descriptor that translates va at level, reached through table
 * descriptors from the root; fails the test if a table is missing. Index
 * bits: va[47:39] level 0, [38:30] level 1, [29:21] level 2, [20:12] level
 * 3; the first level uses every bit of va below va_bits. */
static uint64_t raw_desc(const struct pgtable *pt, uint64_t va, unsigned level)
{
	uint64_t *table = table_at(pa_addr(pt->root));
	unsigned l;

	for (l = pt->start_level;; l++) {
		unsigned shift = 39 - 9 * l;
		uint64_t idx = (va >> shift) & 511;
		uint64_t desc;

		if (l == pt->start_level) {
			idx = (va >> shift) & ((1UL << (pt->va_bits - shift)) - 1);
		}
		desc = table[idx];
		if (l == level) {
			return desc;
		}
		if ((desc & DESC_TYPE) != TYPE_TABLE_PAGE) {
			fail_msg("va %#lx: level %u descriptor %#lx is not a table", va, l, desc);
		}
		table = table_at(desc);
	}
}

/* Asserts that va translates through a leaf at level to out_pa. */
static void expect_leaf(const struct pgtable *pt, uint64_t va, unsigned level, uint64_t out_pa,
			uint64_t attrs)
{
	paddr_t got = pa(0xdead);
	uint64_t got_attrs = 0xdead;
	unsigned got_level = 99;
	uint64_t desc, block = 1UL << (39 - 9 * level);

	if (!pgtable_walk(pt, va, &got, &got_attrs, &got_level)) {
		fail_msg("va %#lx: walk failed", va);
	}
	if (got_level != level || pa_addr(got) != out_pa || got_attrs != attrs) {
		fail_msg("va %#lx: walk gives level %u pa %#lx attrs %#lx, want %u %#lx %#lx", va,
			 got_level, pa_addr(got), got_attrs, level, out_pa, attrs);
	}
	desc = raw_desc(pt, va, level);
	if ((desc & DESC_TYPE) != (level == 3 ? TYPE_TABLE_PAGE : TYPE_BLOCK)) {
		fail_msg("va %#lx: level %u descriptor %#lx has the wrong type bits", va, level,
			 desc);
	}
	if ((desc & DESC_ADDR) != ((out_pa & ~(block - 1)) & DESC_ADDR) ||
	    (desc & ~(DESC_ADDR | DESC_TYPE)) != attrs) {
		fail_msg("va %#lx: descriptor %#lx, want output %#lx attrs %#lx", va, desc,
			 out_pa & ~(block - 1), attrs);
	}
}

static void expect_unmapped(const struct pgtable *pt, uint64_t va)
{
	paddr_t got;

	if (pgtable_walk(pt, va, &got, NULL, NULL)) {
		fail_msg("va %#lx: unexpectedly maps to %#lx", va, pa_addr(got));
	}
}

/* Stage-1 style attributes with bits in both halves of the descriptor. */
#define ATTRS (PTE_ATTRINDX(1) | PTE_EL2_AP_RW | PTE_SH_INNER | PTE_AF | PTE_XN)

/* ---- geometry ------------------------------------------------------------ */

static void test_levels(void **state)
{
	static const struct {
		unsigned va_bits, levels;
	} cases[] = {
		{ 21, 1 }, { 25, 2 }, { 30, 2 }, { 31, 3 }, { 32, 3 }, { 36, 3 },
		{ 39, 3 }, { 40, 4 }, { 42, 4 }, { 44, 4 }, { 48, 4 },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (pgtable_levels(cases[i].va_bits) != cases[i].levels) {
			fail_msg("pgtable_levels(%u) = %u, want %u", cases[i].va_bits,
				 pgtable_levels(cases[i].va_bits), cases[i].levels);
		}
	}
}

static void test_init_stage1(void **state)
{
	static const struct {
		unsigned va_bits, start_level;
	} ok[] = { { 48, 0 }, { 40, 0 }, { 39, 1 }, { 32, 1 }, { 30, 2 }, { 25, 2 } };
	static const struct {
		unsigned va_bits, start_level;
	} bad[] = {
		{ 48, 1 }, /* would need 512 level-1 tables */
		{ 39, 0 }, /* a level-0 root would resolve no bits */
		{ 30, 1 },
		{ 35, 2 }, /* 16384 level-2 entries: more than 16 tables */
		{ 24, 2 }, { 49, 0 }, { 64, 0 }, { 40, 3 },
	};
	struct pgtable pt;
	unsigned i, j;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t *root;

		reset_mem(NULL);
		assert_int_equal(pgtable_init(&pt, ok[i].va_bits, ok[i].start_level, &fake_mm),
				 PGTABLE_OK);
		assert_int_equal(pt.va_bits, ok[i].va_bits);
		assert_int_equal(pt.start_level, ok[i].start_level);
		assert_int_equal(pt.root_pages, 1);
		assert_int_equal(mem.alloc_calls, 1);
		assert_int_equal(mem.pages_allocated, 1);
		root = table_at(pa_addr(pt.root));
		for (j = 0; j < 512; j++) {
			assert_int_equal(root[j], 0);
		}
		pgtable_destroy(&pt);
		assert_int_equal(mem.pages_freed, 1);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset_mem(NULL);
		if (pgtable_init(&pt, bad[i].va_bits, bad[i].start_level, &fake_mm) !=
		    PGTABLE_RANGE) {
			fail_msg("va_bits %u start level %u accepted", bad[i].va_bits,
				 bad[i].start_level);
		}
		assert_int_equal(mem.alloc_calls, 0);
	}
}

static void test_stage2_geometry(void **state)
{
	static const struct {
		unsigned ipa_bits, level, root_pages;
	} cases[] = {
		{ 30, 2, 1 }, { 32, 1, 1 }, { 36, 1, 1 }, { 39, 1, 1 }, { 40, 1, 2 },
		{ 41, 1, 4 }, { 42, 1, 8 }, { 43, 0, 1 }, { 44, 0, 1 }, { 48, 0, 1 },
	};
	unsigned i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stage2 s2;
		uint64_t parange = i % 6; /* any PARange code: it is copied to PS */
		uint64_t vtcr, root;
		uint64_t *table;

		reset_mem(NULL);
		assert_int_equal(stage2_start_level(cases[i].ipa_bits), cases[i].level);
		assert_int_equal(stage2_init(&s2, cases[i].ipa_bits, parange, 1, &fake_mm),
				 PGTABLE_OK);
		if (s2.pt.start_level != cases[i].level || s2.pt.root_pages != cases[i].root_pages) {
			fail_msg("ipa_bits %u: start level %u with %u root pages, want %u and %u",
				 cases[i].ipa_bits, s2.pt.start_level, s2.pt.root_pages,
				 cases[i].level, cases[i].root_pages);
		}
		assert_int_equal(mem.alloc_calls, 1);
		assert_int_equal(mem.pages_allocated, cases[i].root_pages);
		/* Concatenated tables must be aligned to their total size. */
		root = pa_addr(s2.pt.root);
		assert_int_equal(root % (cases[i].root_pages * 4096UL), 0);
		table = table_at(root);
		for (j = 0; j < cases[i].root_pages * 512; j++) {
			assert_int_equal(table[j], 0);
		}

		vtcr = s2.vtcr;
		assert_int_equal(vtcr & 0x3f, 64 - cases[i].ipa_bits);    /* T0SZ */
		assert_int_equal((vtcr >> 6) & 3, 2 - cases[i].level);    /* SL0 */
		assert_int_equal((vtcr >> 8) & 3, 1);                     /* IRGN0 WBWA */
		assert_int_equal((vtcr >> 10) & 3, 1);                    /* ORGN0 WBWA */
		assert_int_equal((vtcr >> 12) & 3, 3);                    /* SH0 inner */
		assert_int_equal((vtcr >> 14) & 3, 0);                    /* TG0 4 KiB */
		assert_int_equal((vtcr >> 16) & 7, parange);              /* PS */
		assert_true(vtcr & (1UL << 31));                          /* RES1 */
		/* Nothing else: VS, HA/HD, the NSW/NSA bits stay 0. */
		assert_int_equal(vtcr & ~(0x3fUL | 0xffc0UL | 0x70000UL | (1UL << 31)), 0);

		stage2_destroy(&s2);
		assert_int_equal(mem.pages_freed, cases[i].root_pages);
		assert_int_equal(pages_in_use(), 0);
	}
}

static void test_stage2_init_rejects(void **state)
{
	struct stage2 s2;

	assert_int_equal(stage2_init(&s2, 24, 2, 1, &fake_mm), PGTABLE_RANGE);
	assert_int_equal(stage2_init(&s2, 49, 5, 1, &fake_mm), PGTABLE_RANGE);
	assert_int_equal(mem.alloc_calls, 0);
	mem.budget = 0;
	assert_int_equal(stage2_init(&s2, 40, 2, 1, &fake_mm), PGTABLE_NOMEM);
	assert_int_equal(mem.alloc_calls, 0);
}

/* ---- block and page choice ----------------------------------------------- */

static void test_map_1g_block(void **state)
{
	struct pgtable pt;
	uint64_t va = 5 * GiB1, out = 0x80 * GiB1;
	unsigned before;

	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
	before = mem.alloc_calls;
	assert_int_equal(pgtable_map(&pt, va, pa(out), GiB1, ATTRS), PGTABLE_OK);
	/* Only the level-1 table under the root: no level-2 table for a block. */
	assert_int_equal(mem.alloc_calls - before, 1);
	expect_leaf(&pt, va, 1, out, ATTRS);
	expect_leaf(&pt, va + 0x12345678, 1, out + 0x12345678, ATTRS);
	expect_leaf(&pt, va + GiB1 - 1, 1, out + GiB1 - 1, ATTRS);
	expect_unmapped(&pt, va - 1);
	expect_unmapped(&pt, va + GiB1);

	/* 512 GiB aligned on both sides is still 1 GiB blocks: a 4 KiB granule
	 * has no level-0 blocks. */
	before = mem.alloc_calls;
	assert_int_equal(pgtable_map(&pt, 512 * GiB1, pa(1024 * GiB1), 512 * GiB1, ATTRS),
			 PGTABLE_OK);
	assert_int_equal(mem.alloc_calls - before, 1);
	expect_leaf(&pt, 512 * GiB1, 1, 1024 * GiB1, ATTRS);
	expect_leaf(&pt, 1024 * GiB1 - 1, 1, 1536 * GiB1 - 1, ATTRS);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

static void test_map_2m_block(void **state)
{
	struct pgtable pt;
	uint64_t va = GiB1 + 3 * MiB2, out = 0x4000000000UL + 7 * MiB2;

	assert_int_equal(pgtable_init(&pt, 39, 1, &fake_mm), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, va, pa(out), 2 * MiB2, ATTRS), PGTABLE_OK);
	assert_int_equal(mem.alloc_calls, 2); /* root and one level-2 table */
	expect_leaf(&pt, va, 2, out, ATTRS);
	expect_leaf(&pt, va + 0x123456, 2, out + 0x123456, ATTRS);
	expect_leaf(&pt, va + MiB2 + 0x1fffff, 2, out + MiB2 + 0x1fffff, ATTRS);
	expect_unmapped(&pt, va - KiB4);
	expect_unmapped(&pt, va + 2 * MiB2);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

/* One range whose ends are only page aligned: pages, then 2 MiB blocks up
 * to the 1 GiB boundary, a 1 GiB block, a 2 MiB block and a page. */
static void test_map_mixed_range(void **state)
{
	struct pgtable pt;
	uint64_t start = GiB1 - MiB2 - KiB4, end = 2 * GiB1 + MiB2 + KiB4;
	uint64_t delta = 0x40 * GiB1; /* keeps every alignment of va in pa */
	unsigned before;

	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
	before = mem.alloc_calls;
	assert_int_equal(pgtable_map(&pt, start, pa(start + delta), end - start, ATTRS),
			 PGTABLE_OK);
	/* Level 1; level 2 and 3 under GiB 0; level 2 and 3 under GiB 2. */
	assert_int_equal(mem.alloc_calls - before, 5);

	expect_leaf(&pt, start, 3, start + delta, ATTRS);
	expect_leaf(&pt, start + 0xabc, 3, start + delta + 0xabc, ATTRS);
	expect_leaf(&pt, GiB1 - MiB2, 2, GiB1 - MiB2 + delta, ATTRS);
	expect_leaf(&pt, GiB1 - 1, 2, GiB1 - 1 + delta, ATTRS);
	expect_leaf(&pt, GiB1, 1, GiB1 + delta, ATTRS);
	expect_leaf(&pt, GiB1 + 0x2345678, 1, GiB1 + 0x2345678 + delta, ATTRS);
	expect_leaf(&pt, 2 * GiB1 - KiB4, 1, 2 * GiB1 - KiB4 + delta, ATTRS);
	expect_leaf(&pt, 2 * GiB1, 2, 2 * GiB1 + delta, ATTRS);
	expect_leaf(&pt, 2 * GiB1 + MiB2 - 8, 2, 2 * GiB1 + MiB2 - 8 + delta, ATTRS);
	expect_leaf(&pt, 2 * GiB1 + MiB2, 3, 2 * GiB1 + MiB2 + delta, ATTRS);
	expect_leaf(&pt, end - 1, 3, end - 1 + delta, ATTRS);
	expect_unmapped(&pt, start - 1);
	expect_unmapped(&pt, end);
	expect_unmapped(&pt, GiB1 - 2 * MiB2); /* same level-3 table as start */

	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
	assert_int_equal(mem.free_calls, mem.alloc_calls);
}

/* A block needs the output address aligned too, not only the input. */
static void test_map_pa_misaligned(void **state)
{
	struct stage2 s2;
	struct pgtable *pt = &s2.pt;
	uint64_t ipa2m = GiB1 + MiB2, pa2m = 0x80000000UL + KiB4;
	uint64_t ipa1g = 3 * GiB1, pa1g = 0x100000000UL + 5 * MiB2;
	unsigned before;
	uint64_t off;

	assert_int_equal(stage2_init(&s2, 40, 2, 1, &fake_mm), PGTABLE_OK);
	before = mem.alloc_calls;
	assert_int_equal(pgtable_map(pt, ipa2m, pa(pa2m), MiB2, ATTRS), PGTABLE_OK);
	assert_int_equal(mem.alloc_calls - before, 2); /* level 2 and level 3 */
	for (off = 0; off < MiB2; off += 0x3f000) {
		expect_leaf(pt, ipa2m + off, 3, pa2m + off, ATTRS);
	}
	expect_leaf(pt, ipa2m + MiB2 - 1, 3, pa2m + MiB2 - 1, ATTRS);

	before = mem.alloc_calls;
	assert_int_equal(pgtable_map(pt, ipa1g, pa(pa1g), GiB1, ATTRS), PGTABLE_OK);
	assert_int_equal(mem.alloc_calls - before, 1); /* level 2, 512 blocks */
	for (off = 0; off < GiB1; off += 0x3ff1000) {
		expect_leaf(pt, ipa1g + off, 2, pa1g + off, ATTRS);
	}
	expect_leaf(pt, ipa1g + GiB1 - 1, 2, pa1g + GiB1 - 1, ATTRS);
	stage2_destroy(&s2);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

/* A range too short for a block at an aligned address still gets pages. */
static void test_map_short_aligned(void **state)
{
	struct pgtable pt;

	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, GiB1, pa(2 * GiB1), MiB2 - KiB4, ATTRS), PGTABLE_OK);
	expect_leaf(&pt, GiB1, 3, 2 * GiB1, ATTRS);
	expect_leaf(&pt, GiB1 + MiB2 - KiB4 - 1, 3, 2 * GiB1 + MiB2 - KiB4 - 1, ATTRS);
	expect_unmapped(&pt, GiB1 + MiB2 - KiB4);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

/* ---- overlaps -------------------------------------------------------------- */

static void test_exists_page_on_page(void **state)
{
	struct pgtable pt;
	uint64_t va = 0x12345000;

	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, va, pa(0x70000000), 3 * KiB4, ATTRS), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, va, pa(0x70000000), KiB4, ATTRS), PGTABLE_EXISTS);
	assert_int_equal(pgtable_map(&pt, va + 2 * KiB4, pa(0x90000000), 2 * KiB4, 0),
			 PGTABLE_EXISTS);
	assert_int_equal(pgtable_map(&pt, va - KiB4, pa(0x90000000), 2 * KiB4, 0),
			 PGTABLE_EXISTS);
	/* The first mapping is intact. */
	expect_leaf(&pt, va, 3, 0x70000000, ATTRS);
	expect_leaf(&pt, va + 2 * KiB4, 3, 0x70000000 + 2 * KiB4, ATTRS);
	/* Neighbours are still free to map. */
	assert_int_equal(pgtable_map(&pt, va + 3 * KiB4, pa(0x90000000), KiB4, 0), PGTABLE_OK);
	expect_leaf(&pt, va + 3 * KiB4, 3, 0x90000000, 0);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

static void test_exists_inside_block(void **state)
{
	struct pgtable pt;
	unsigned before;

	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, GiB1, pa(GiB1), GiB1, ATTRS), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, 4 * GiB1 + MiB2, pa(0), MiB2, ATTRS), PGTABLE_OK);
	before = mem.alloc_calls;

	/* A page or 2 MiB block inside a 1 GiB block. */
	assert_int_equal(pgtable_map(&pt, GiB1 + 0x5000, pa(0x5000), KiB4, ATTRS),
			 PGTABLE_EXISTS);
	assert_int_equal(pgtable_map(&pt, GiB1 + 4 * MiB2, pa(0), MiB2, ATTRS), PGTABLE_EXISTS);
	/* A page inside a 2 MiB block. */
	assert_int_equal(pgtable_map(&pt, 4 * GiB1 + MiB2 + 0x1f000, pa(0), KiB4, ATTRS),
			 PGTABLE_EXISTS);
	/* A block over a table that holds a mapping. */
	assert_int_equal(pgtable_map(&pt, 4 * GiB1, pa(0), GiB1, ATTRS), PGTABLE_EXISTS);
	/* The same block again. */
	assert_int_equal(pgtable_map(&pt, GiB1, pa(GiB1), GiB1, ATTRS), PGTABLE_EXISTS);
	assert_int_equal(mem.alloc_calls, before);

	expect_leaf(&pt, GiB1 + 0x5000, 1, GiB1 + 0x5000, ATTRS);
	expect_leaf(&pt, 4 * GiB1 + MiB2 + 0x1f000, 2, 0x1f000, ATTRS);
	expect_unmapped(&pt, 4 * GiB1);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

/* A page mapped first, then a 2 MiB block over it: the table is in the way. */
static void test_exists_block_over_page(void **state)
{
	struct pgtable pt;

	assert_int_equal(pgtable_init(&pt, 39, 1, &fake_mm), PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, 6 * MiB2 + 0x7000, pa(0x7000), KiB4, ATTRS),
			 PGTABLE_OK);
	assert_int_equal(pgtable_map(&pt, 6 * MiB2, pa(0), MiB2, ATTRS), PGTABLE_EXISTS);
	expect_leaf(&pt, 6 * MiB2 + 0x7000, 3, 0x7000, ATTRS);
	expect_unmapped(&pt, 6 * MiB2);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

/* ---- bad ranges and lookups ------------------------------------------------ */

static void test_map_range_errors(void **state)
{
	static const struct {
		uint64_t va, pa, size;
	} bad[] = {
		{ 0x1800, 0x2000, 0x1000 },               /* va not page aligned */
		{ 0x2000, 0x2800, 0x1000 },               /* pa not page aligned */
		{ 0x2000, 0x2000, 0x1800 },               /* size not a page multiple */
		{ 0x2000, 0x2000, 0x10 },
		{ 0x2000, 0x2000, 0 },                    /* empty */
		{ 1UL << 39, 0, 0x1000 },                 /* first page beyond va_bits */
		{ (1UL << 39) - 0x1000, 0, 0x2000 },      /* runs past va_bits */
		{ 0, 0, (1UL << 39) + 0x1000 },
		{ 0xfffffffffffff000UL, 0, 0x2000 },      /* wraps around */
		{ 0x1000, 0, 0xfffffffffffff000UL },      /* end wraps to 0 */
		{ 0x200000, 0, 0xffffffffffe00000UL },
	};
	struct pgtable pt;
	unsigned i;

	assert_int_equal(pgtable_init(&pt, 39, 1, &fake_mm), PGTABLE_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = pgtable_map(&pt, bad[i].va, pa(bad[i].pa), bad[i].size, ATTRS);

		if (rc != PGTABLE_RANGE) {
			fail_msg("map va %#lx pa %#lx size %#lx gives %d", bad[i].va, bad[i].pa,
				 bad[i].size, rc);
		}
	}
	assert_int_equal(mem.alloc_calls, 1); /* only the root */
	/* The last page below the limit is fine. */
	assert_int_equal(pgtable_map(&pt, (1UL << 39) - KiB4, pa(0x1000), KiB4, ATTRS),
			 PGTABLE_OK);
	expect_leaf(&pt, (1UL << 39) - 1, 3, 0x1fff, ATTRS);
	pgtable_destroy(&pt);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
}

static void test_walk_unmapped(void **state)
{
	struct pgtable pt;
	paddr_t out = pa(0x1234);
	uint64_t attrs = 0x5678;
	unsigned level = 42;

	assert_int_equal(pgtable_init(&pt, 39, 1, &fake_mm), PGTABLE_OK);
	expect_unmapped(&pt, 0);
	assert_int_equal(pgtable_map(&pt, 0x40201000, pa(0x1000), KiB4, ATTRS), PGTABLE_OK);
	expect_leaf(&pt, 0x40201000, 3, 0x1000, ATTRS);
	expect_unmapped(&pt, 0x40200000);        /* same level-3 table */
	expect_unmapped(&pt, 0x40202000);
	expect_unmapped(&pt, 0x40401000);        /* same level-2 table */
	expect_unmapped(&pt, 0x201000);          /* another level-1 entry */
	expect_unmapped(&pt, 0);
	/* Above va_bits, even where the low bits match the mapped page. */
	expect_unmapped(&pt, (1UL << 39) + 0x40201000);
	expect_unmapped(&pt, 0xffffff8040201000UL);
	/* A failed walk leaves the address and attributes alone, and says
	 * at which level it found nothing: the size of the hole. */
	assert_false(pgtable_walk(&pt, 0x40202000, &out, &attrs, &level));
	assert_int_equal(pa_addr(out), 0x1234);
	assert_int_equal(attrs, 0x5678);
	assert_int_equal(level, 3);
	assert_false(pgtable_walk(&pt, 0x201000, &out, &attrs, &level));
	assert_int_equal(level, 1);
	/* Outputs may be omitted. */
	assert_true(pgtable_walk(&pt, 0x40201abc, &out, NULL, NULL));
	assert_int_equal(pa_addr(out), 0x1abc);
	pgtable_destroy(&pt);
}

/* ---- exhaustion and teardown --------------------------------------------- */

static void test_nomem(void **state)
{
	struct pgtable pt;
	int budget;

	mem.budget = 0;
	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_NOMEM);
	assert_int_equal(mem.alloc_calls, 0);

	/* A page in an empty 48-bit tree needs three more tables; give it
	 * fewer each time, then enough, reusing what earlier tries built. */
	for (budget = 0; budget <= 3; budget++) {
		reset_mem(NULL);
		assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
		mem.budget = budget;
		if (budget < 3) {
			assert_int_equal(pgtable_map(&pt, 0x8040201000UL, pa(0x5000), KiB4, ATTRS),
					 PGTABLE_NOMEM);
			assert_int_equal(mem.alloc_calls, 1 + budget);
			expect_unmapped(&pt, 0x8040201000UL);
			mem.budget = -1;
		}
		assert_int_equal(pgtable_map(&pt, 0x8040201000UL, pa(0x5000), KiB4, ATTRS),
				 PGTABLE_OK);
		assert_int_equal(mem.alloc_calls, 4); /* nothing built twice */
		expect_leaf(&pt, 0x8040201000UL, 3, 0x5000, ATTRS);
		pgtable_destroy(&pt);
		assert_int_equal(mem.free_calls, mem.alloc_calls);
		assert_int_equal(pages_in_use(), 0);
	}

	/* Running dry in the middle of a long range. */
	reset_mem(NULL);
	assert_int_equal(pgtable_init(&pt, 39, 1, &fake_mm), PGTABLE_OK);
	mem.budget = 4;
	assert_int_equal(pgtable_map(&pt, 0, pa(0), 8 * MiB2 + KiB4, ATTRS), PGTABLE_OK);
	mem.budget = 2;
	assert_int_equal(pgtable_map(&pt, GiB1 - KiB4, pa(0), 4 * GiB1, ATTRS), PGTABLE_NOMEM);
	pgtable_destroy(&pt);
	assert_int_equal(mem.free_calls, mem.alloc_calls);
	assert_int_equal(pages_in_use(), 0);
}

static void test_destroy_frees_all(void **state)
{
	struct pgtable pt;
	uint64_t va;

	assert_int_equal(pgtable_init(&pt, 48, 0, &fake_mm), PGTABLE_OK);
	/* Pages in several level-3 tables, under several level-0 entries. */
	for (va = 0; va < 3 * (512UL << 30); va += (512UL << 30)) {
		assert_int_equal(pgtable_map(&pt, va + KiB4, pa(KiB4), 5 * KiB4, ATTRS),
				 PGTABLE_OK);
		assert_int_equal(pgtable_map(&pt, va + 3 * MiB2 - KiB4, pa(0), 2 * KiB4, ATTRS),
				 PGTABLE_OK);
		assert_int_equal(pgtable_map(&pt, va + 7 * GiB1 + 5 * MiB2, pa(0), MiB2, ATTRS),
				 PGTABLE_OK);
		assert_int_equal(pgtable_map(&pt, va + 9 * GiB1, pa(0), GiB1, ATTRS), PGTABLE_OK);
	}
	/* Per level-0 entry: 1 L1, 2 L2 (GiB 0 and 7), 3 L3 (2 MiB regions 0, 2, 3). */
	assert_int_equal(mem.alloc_calls, 1 + 3 * 6);
	pgtable_destroy(&pt);
	assert_int_equal(pa_addr(pt.root), 0);
	assert_int_equal(mem.free_calls, mem.alloc_calls);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
	assert_int_equal(pages_in_use(), 0);
}

static void test_destroy_concatenated(void **state)
{
	struct stage2 s2;

	assert_int_equal(stage2_init(&s2, 42, 2, 3, &fake_mm), PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x1000), pa(0x1000), KiB4, STAGE2_RAM), PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa((1UL << 42) - KiB4), pa(0x2000), KiB4, STAGE2_RAM),
			 PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x9000000), pa(0x9000000), KiB4, STAGE2_DEVICE),
			 PGTABLE_OK);
	/* Root; level 2 and 3 for GiB 0; level 2 and 3 for the top GiB; and a
	 * second level 3 under GiB 0 for the device. */
	assert_int_equal(mem.pages_allocated, 8 + 2 + 2 + 1);
	stage2_destroy(&s2);
	assert_int_equal(mem.free_calls, mem.alloc_calls);
	assert_int_equal(mem.pages_freed, mem.pages_allocated);
	assert_int_equal(pages_in_use(), 0);
}

/* ---- stage 2 ----------------------------------------------------------------- */

/* With concatenated roots the first index spans several tables. */
static void test_concatenated_index(void **state)
{
	struct stage2 s2;
	uint64_t *root;
	paddr_t out;
	unsigned i;

	assert_int_equal(stage2_init(&s2, 40, 2, 1, &fake_mm), PGTABLE_OK);
	root = table_at(pa_addr(s2.pt.root));
	assert_int_equal(stage2_map(&s2, ipa(1UL << 39), pa(3 * GiB1), GiB1, STAGE2_RAM),
			 PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa((1UL << 40) - GiB1), pa(GiB1), GiB1, STAGE2_RAM),
			 PGTABLE_OK);
	assert_int_equal(root[512] & (DESC_ADDR | DESC_TYPE), 3 * GiB1 | TYPE_BLOCK);
	assert_int_equal(root[1023] & (DESC_ADDR | DESC_TYPE), GiB1 | TYPE_BLOCK);
	for (i = 0; i < 1024; i++) {
		if (i != 512 && i != 1023) {
			assert_int_equal(root[i], 0);
		}
	}
	assert_true(stage2_translate(&s2, ipa((1UL << 39) + 0x1234), &out));
	assert_int_equal(pa_addr(out), 3 * GiB1 + 0x1234);
	assert_false(stage2_translate(&s2, ipa(0x1234), &out));
	assert_false(stage2_translate(&s2, ipa((1UL << 40) + 0x1234), &out));
	stage2_destroy(&s2);

	reset_mem(NULL);
	assert_int_equal(stage2_init(&s2, 42, 2, 1, &fake_mm), PGTABLE_OK);
	root = table_at(pa_addr(s2.pt.root));
	assert_int_equal(stage2_map(&s2, ipa((1UL << 42) - GiB1), pa(GiB1), GiB1, STAGE2_RAM),
			 PGTABLE_OK);
	assert_int_equal(root[4095] & (DESC_ADDR | DESC_TYPE), GiB1 | TYPE_BLOCK);
	assert_true(stage2_translate(&s2, ipa((1UL << 42) - 1), &out));
	assert_int_equal(pa_addr(out), 2 * GiB1 - 1);
	stage2_destroy(&s2);

	/* A level-2 start: one table of 2 MiB entries covering 1 GiB. */
	reset_mem(NULL);
	assert_int_equal(stage2_init(&s2, 30, 2, 1, &fake_mm), PGTABLE_OK);
	root = table_at(pa_addr(s2.pt.root));
	assert_int_equal(stage2_map(&s2, ipa(GiB1 - MiB2), pa(MiB2), MiB2, STAGE2_RAM),
			 PGTABLE_OK);
	assert_int_equal(root[511] & (DESC_ADDR | DESC_TYPE), MiB2 | TYPE_BLOCK);
	assert_int_equal(stage2_map(&s2, ipa(GiB1), pa(0), KiB4, STAGE2_RAM), PGTABLE_RANGE);
	stage2_destroy(&s2);
}

static void test_vttbr(void **state)
{
	static const uint16_t vmids[] = { 0, 1, 0x1234, 0xffff };
	unsigned i;

	for (i = 0; i < sizeof(vmids) / sizeof(vmids[0]); i++) {
		struct stage2 s2;
		uint64_t v;

		reset_mem(NULL);
		assert_int_equal(stage2_init(&s2, 40, 2, vmids[i], &fake_mm), PGTABLE_OK);
		v = stage2_vttbr(&s2);
		assert_int_equal(v >> 48, vmids[i]);
		assert_int_equal(v & 0xffffffffffffUL, pa_addr(s2.pt.root));
		/* BADDR is a real physical address, aligned for two tables; CnP 0. */
		assert_true(pa_addr(s2.pt.root) >= FAKE_PA_BASE);
		assert_int_equal(v & 0x1fff, 0);
		stage2_destroy(&s2);
	}
}

static void test_stage2_kinds(void **state)
{
	struct stage2 s2;
	uint64_t attrs = 0;
	unsigned level = 0;
	paddr_t out;

	assert_int_equal(stage2_init(&s2, 40, 2, 1, &fake_mm), PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x40000000), pa(0x80200000), MiB2, STAGE2_RAM),
			 PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x08010000), pa(0x08040000), 2 * KiB4, STAGE2_DEVICE),
			 PGTABLE_OK);

	assert_true(pgtable_walk(&s2.pt, 0x40012345, &out, &attrs, &level));
	assert_int_equal(pa_addr(out), 0x80212345);
	assert_int_equal(level, 2);
	assert_false(attrs & (1UL << 54));          /* executable */
	assert_int_equal((attrs >> 2) & 0xf, 0xf);  /* Normal, write-back */
	assert_int_equal((attrs >> 6) & 3, 3);      /* S2AP read/write */
	assert_int_equal((attrs >> 8) & 3, 3);      /* inner shareable */
	assert_true(attrs & (1UL << 10));           /* AF */

	assert_true(pgtable_walk(&s2.pt, 0x08011ffc, &out, &attrs, &level));
	assert_int_equal(pa_addr(out), 0x08041ffc);
	assert_int_equal(level, 3);
	assert_true(attrs & (1UL << 54));           /* XN */
	assert_int_equal((attrs >> 2) & 0xf, 0x1);  /* Device-nGnRE */
	assert_int_equal((attrs >> 6) & 3, 3);
	assert_true(attrs & (1UL << 10));
	assert_int_equal(raw_desc(&s2.pt, 0x08011000, 3) & DESC_TYPE, TYPE_TABLE_PAGE);

	assert_true(stage2_translate(&s2, ipa(0x08010008), &out));
	assert_int_equal(pa_addr(out), 0x08040008);
	assert_false(stage2_translate(&s2, ipa(0x08012000), &out));
	assert_int_equal(stage2_map(&s2, ipa(0x08011000), pa(0), KiB4, STAGE2_RAM),
			 PGTABLE_EXISTS);
	stage2_destroy(&s2);
	assert_int_equal(pages_in_use(), 0);
}

/* What stage2_report() gave, range by range. */
static struct {
	uint64_t ipa[8], pa[8], size[8];
	int kind[8];
	unsigned n;
} got;

static void record(void *ctx, ipaddr_t at, paddr_t to, uint64_t size, int kind)
{
	assert_true(got.n < 8);
	got.ipa[got.n] = ipa_addr(at);
	got.pa[got.n] = pa_addr(to);
	got.size[got.n] = size;
	got.kind[got.n++] = kind;
}

/* The map a debugger lists: each range once, contiguous leaves of one
 * kind merged (a block and the pages after it), holes skipped. */
static void test_stage2_report(void **state)
{
	struct stage2 s2;

	assert_int_equal(stage2_init(&s2, 40, 2, 1, &fake_mm), PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x40000000), pa(0x80200000), MiB2 + 2 * KiB4,
				    STAGE2_RAM), PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x08010000), pa(0x08040000), KiB4, STAGE2_DEVICE),
			 PGTABLE_OK);
	assert_int_equal(stage2_map(&s2, ipa(0x08011000), pa(0x08041000), KiB4, STAGE2_RAM_RO),
			 PGTABLE_OK);
	got.n = 0;
	stage2_report(&s2, record, NULL);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.ipa[0], 0x08010000);
	assert_int_equal(got.size[0], KiB4);
	assert_int_equal(got.kind[0], STAGE2_DEVICE);
	assert_int_equal(got.ipa[1], 0x08011000);
	assert_int_equal(got.pa[1], 0x08041000);
	assert_int_equal(got.kind[1], STAGE2_RAM_RO);
	assert_int_equal(got.ipa[2], 0x40000000);
	assert_int_equal(got.pa[2], 0x80200000);
	assert_int_equal(got.size[2], MiB2 + 2 * KiB4);
	assert_int_equal(got.kind[2], STAGE2_RAM);
	stage2_destroy(&s2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, reset_mem)
	const struct CMUnitTest tests[] = {
		T(test_levels),
		T(test_init_stage1),
		T(test_stage2_geometry),
		T(test_stage2_init_rejects),
		T(test_map_1g_block),
		T(test_map_2m_block),
		T(test_map_mixed_range),
		T(test_map_pa_misaligned),
		T(test_map_short_aligned),
		T(test_exists_page_on_page),
		T(test_exists_inside_block),
		T(test_exists_block_over_page),
		T(test_map_range_errors),
		T(test_walk_unmapped),
		T(test_nomem),
		T(test_destroy_frees_all),
		T(test_destroy_concatenated),
		T(test_concatenated_index),
		T(test_vttbr),
		T(test_stage2_kinds),
		T(test_stage2_report),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
