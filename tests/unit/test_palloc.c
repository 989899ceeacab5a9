/*
 * Unit tests for the physical page allocator's core (hv/palloc.c), run
 * natively.
 *
 * The allocator describes NPAGES pages from BASE, an address that is page
 * aligned but not 2 MiB aligned, so alignment has to be computed from the
 * physical page number, not from the index in the bitmap. NPAGES is not a
 * multiple of 64, and guard words follow the bitmap to catch writes past
 * its end. The tests read the bitmap directly and, after every step, check
 * that nfree agrees with it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/palloc.h"

#define BASE 0x40001000UL
#define BASE_PFN (BASE >> 12)
#define NPAGES 1630UL
#define TOP (BASE + NPAGES * 4096)
#define GUARD 0x0123456789abcdefUL
#define P(i) (BASE + (uint64_t)(i) * 4096)

static struct {
	uint64_t bitmap[PALLOC_BITMAP_WORDS(NPAGES)];
	uint64_t guard[2];
} store;

static struct palloc a;

static bool used(uint64_t i)
{
	return store.bitmap[i / 64] & (1UL << (i % 64));
}

/* nfree matches the bitmap, and nothing past it was written. */
static void check_consistent(void)
{
	uint64_t i, n = 0;

	for (i = 0; i < NPAGES; i++) {
		n += !used(i);
	}
	if (n != a.nfree) {
		fail_msg("nfree is %lu but %lu pages are free in the bitmap", a.nfree, n);
	}
	assert_int_equal(store.guard[0], GUARD);
	assert_int_equal(store.guard[1], GUARD);
}

/* Asserts that exactly the pages in [first, last) are free. */
static void expect_free_exactly(uint64_t first, uint64_t last)
{
	uint64_t i;

	for (i = 0; i < NPAGES; i++) {
		bool want_free = i >= first && i < last;

		if (used(i) == want_free) {
			fail_msg("page %lu is %s, want %s", i, used(i) ? "used" : "free",
				 want_free ? "free" : "used");
		}
	}
	check_consistent();
}

static int setup(void **state)
{
	memset(&store, 0, sizeof(store));
	store.guard[0] = store.guard[1] = GUARD;
	memset(&a, 0x5a, sizeof(a));
	palloc_init(&a, pa(BASE), NPAGES, store.bitmap);
	return 0;
}

/* Frees everything, as boot does with one RAM bank. */
static void add_all(void)
{
	palloc_add(&a, pa(BASE), NPAGES * 4096);
	assert_int_equal(a.nfree, NPAGES);
}

static void expect_alloc(uint64_t npages, uint64_t align, uint64_t want_index)
{
	paddr_t out = pa(0xdead);
	uint64_t before = a.nfree;

	if (!palloc_alloc(&a, npages, align, &out)) {
		fail_msg("alloc of %lu pages aligned to %lu failed", npages, align);
	}
	if (pa_addr(out) != P(want_index)) {
		fail_msg("alloc of %lu pages aligned to %lu gave page %ld, want %lu", npages, align,
			 (long)(pa_addr(out) - BASE) / 4096, want_index);
	}
	assert_int_equal((pa_addr(out) >> 12) % align, 0);
	assert_int_equal(a.nfree, before - npages);
	for (uint64_t i = want_index; i < want_index + npages; i++) {
		assert_true(used(i));
	}
	check_consistent();
}

/* An allocation that must fail and leave everything as it was. */
static void expect_no_alloc(uint64_t npages, uint64_t align)
{
	uint64_t snapshot[PALLOC_BITMAP_WORDS(NPAGES)];
	uint64_t before = a.nfree;
	paddr_t out = pa(0xdead);

	memcpy(snapshot, store.bitmap, sizeof(snapshot));
	if (palloc_alloc(&a, npages, align, &out)) {
		fail_msg("alloc of %lu pages aligned to %lu succeeded at %#lx", npages, align,
			 pa_addr(out));
	}
	assert_int_equal(pa_addr(out), 0xdead);
	assert_int_equal(a.nfree, before);
	assert_memory_equal(snapshot, store.bitmap, sizeof(snapshot));
	check_consistent();
}

static void test_init_all_used(void **state)
{
	assert_int_equal(pa_addr(a.base), BASE);
	assert_int_equal(a.npages, NPAGES);
	assert_int_equal(a.nfree, 0);
	assert_ptr_equal(a.bitmap, store.bitmap);
	expect_free_exactly(0, 0);
	expect_no_alloc(1, 1);
}

static void test_add_rounds_in(void **state)
{
	/* Half a page, two whole pages, half a page: the two. */
	palloc_add(&a, pa(P(1) - 0x800), 3 * 4096);
	expect_free_exactly(1, 3);
	assert_int_equal(a.nfree, 2);
	/* Less than a whole page, even across a page boundary. */
	palloc_add(&a, pa(P(10) + 1), 4096);
	palloc_add(&a, pa(P(20) - 0x800), 0xfff);
	palloc_add(&a, pa(P(30)), 0xfff);
	palloc_add(&a, pa(P(40)), 0);
	expect_free_exactly(1, 3);
	/* Adding again counts nothing twice. */
	palloc_add(&a, pa(P(0)), 3 * 4096);
	expect_free_exactly(0, 3);
	assert_int_equal(a.nfree, 3);
}

static void test_add_clips(void **state)
{
	/* Wholly outside, on either side. */
	palloc_add(&a, pa(0x1000), BASE - 0x1000);
	palloc_add(&a, pa(TOP), 0x100000);
	palloc_add(&a, pa(TOP + 0x1000), 0x1000);
	expect_free_exactly(0, 0);
	/* Straddling the top and the bottom. */
	palloc_add(&a, pa(TOP - 2 * 4096), 5 * 4096);
	expect_free_exactly(NPAGES - 2, NPAGES);
	palloc_add(&a, pa(BASE - 0x3000), 0x5000);
	for (uint64_t i = 0; i < NPAGES; i++) {
		assert_int_equal(used(i), !(i < 2 || i >= NPAGES - 2));
	}
	check_consistent();
	/* Much larger than the range. */
	palloc_add(&a, pa(0), TOP + 0x10000000);
	expect_free_exactly(0, NPAGES);
}

static void test_reserve_rounds_out(void **state)
{
	add_all();
	/* A page's worth across a page boundary touches two pages. */
	palloc_reserve(&a, pa(P(5) + 0x800), 0x1000);
	assert_true(used(5) && used(6));
	assert_false(used(4) || used(7));
	/* One byte. */
	palloc_reserve(&a, pa(P(9) + 0xfff), 1);
	assert_true(used(9));
	assert_false(used(8) || used(10));
	/* Nothing at all. */
	palloc_reserve(&a, pa(P(12) + 0x10), 0);
	assert_false(used(12));
	assert_int_equal(a.nfree, NPAGES - 3);
	/* Reserving again counts nothing twice. */
	palloc_reserve(&a, pa(P(5)), 2 * 4096);
	assert_int_equal(a.nfree, NPAGES - 3);
	check_consistent();
}

static void test_reserve_clips(void **state)
{
	add_all();
	palloc_reserve(&a, pa(0x1000), BASE - 0x1000); /* ends at the base */
	palloc_reserve(&a, pa(TOP), 0x1000);
	palloc_reserve(&a, pa(TOP + 0x5000), 0x1000);
	assert_int_equal(a.nfree, NPAGES);
	palloc_reserve(&a, pa(BASE - 0x10), 0x20);
	assert_true(used(0));
	assert_false(used(1));
	palloc_reserve(&a, pa(TOP - 1), 0x10000);
	assert_true(used(NPAGES - 1));
	assert_false(used(NPAGES - 2));
	assert_int_equal(a.nfree, NPAGES - 2);
	check_consistent();
	palloc_reserve(&a, pa(0), TOP + 0x100000);
	expect_free_exactly(0, 0);
}

static void test_alloc_alignment(void **state)
{
	add_all();
	/* BASE is page 0x40001: the first 2 MiB boundary is index 511. */
	expect_alloc(512, 512, 511);
	expect_alloc(1, 512, 1023);
	/* The next 2 MiB boundary (index 1535) leaves too few pages above. */
	expect_no_alloc(512, 512);
	expect_alloc(95, 512, 1535);
	/* Smaller alignments still use the low pages. */
	expect_alloc(4, 4, 3);
	expect_alloc(1, 1, 0);
	expect_alloc(2, 2, 1);
	expect_alloc(1, 1, 7);
	/* An alignment no page of the range meets. */
	expect_no_alloc(1, 1UL << 20);
}

static void test_alloc_aligned_skips_used(void **state)
{
	add_all();
	/* Candidates for align 4 are indexes 3, 7, 11...; 5 breaks the first. */
	palloc_reserve(&a, pa(P(5)), 4096);
	expect_alloc(4, 4, 7);
	expect_alloc(2, 4, 3);
	/* 11..14 free, then 15 used: a run of 8 must start at 19 at the earliest. */
	palloc_reserve(&a, pa(P(15)), 4096);
	expect_alloc(8, 4, 19);
}

static void test_first_fit(void **state)
{
	add_all();
	palloc_reserve(&a, pa(P(2)), 4096);
	palloc_reserve(&a, pa(P(7)), 3 * 4096);
	expect_alloc(3, 1, 3);  /* 0-1 is too short */
	expect_alloc(2, 1, 0);
	expect_alloc(1, 1, 6);
	expect_alloc(1, 1, 10);
	expect_alloc(5, 1, 11);
}

static void test_exhaustion(void **state)
{
	uint64_t i;

	palloc_add(&a, pa(P(100)), 10 * 4096);
	for (i = 0; i < 10; i++) {
		expect_alloc(1, 1, 100 + i);
	}
	assert_int_equal(a.nfree, 0);
	expect_no_alloc(1, 1);
	/* Two free pages apart are not two contiguous pages. */
	palloc_free(&a, pa(P(102)), 1);
	palloc_free(&a, pa(P(105)), 1);
	assert_int_equal(a.nfree, 2);
	expect_no_alloc(2, 1);
	expect_no_alloc(3, 1);
	expect_alloc(1, 1, 102);
	expect_alloc(1, 1, 105);
	expect_no_alloc(1, 1);
}

static void test_alloc_at_top(void **state)
{
	palloc_add(&a, pa(TOP - 3 * 4096), 3 * 4096);
	expect_no_alloc(4, 1);
	expect_alloc(3, 1, NPAGES - 3);
	expect_no_alloc(1, 1);
	palloc_add(&a, pa(TOP - 4096), 4096);
	expect_alloc(1, 1, NPAGES - 1);
}

static void test_free_and_reuse(void **state)
{
	paddr_t first, second;

	add_all();
	assert_true(palloc_alloc(&a, 8, 1, &first));
	assert_true(palloc_alloc(&a, 8, 1, &second));
	assert_int_equal(pa_addr(first), BASE);
	assert_int_equal(pa_addr(second), P(8));
	assert_int_equal(a.nfree, NPAGES - 16);
	palloc_free(&a, first, 8);
	assert_int_equal(a.nfree, NPAGES - 8);
	/* Freeing again counts nothing twice. */
	palloc_free(&a, first, 8);
	assert_int_equal(a.nfree, NPAGES - 8);
	check_consistent();
	expect_alloc(8, 1, 0);
	palloc_free(&a, second, 4);
	expect_alloc(2, 1, 8);
	expect_alloc(2, 1, 10);
	expect_alloc(1, 1, 16);
	check_consistent();
}

static void test_free_clips(void **state)
{
	/* Everything used: frees straddling the ends free only what is inside. */
	palloc_free(&a, pa(TOP - 4096), 4);
	expect_free_exactly(NPAGES - 1, NPAGES);
	palloc_free(&a, pa(BASE - 2 * 4096), 2);
	palloc_free(&a, pa(TOP), 3);
	palloc_free(&a, pa(BASE), 0);
	expect_free_exactly(NPAGES - 1, NPAGES);
	palloc_free(&a, pa(BASE - 2 * 4096), 3);
	assert_false(used(0));
	assert_int_equal(a.nfree, 2);
	check_consistent();
}

static void test_alloc_rejects_bad_arguments(void **state)
{
	add_all();
	expect_no_alloc(0, 1);
	expect_no_alloc(1, 0);
	expect_no_alloc(1, 3);
	expect_no_alloc(2, 6);
	expect_no_alloc(4, 384);
	expect_no_alloc(NPAGES + 1, 1);
	expect_alloc(NPAGES, 1, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_init_all_used),
		T(test_add_rounds_in),
		T(test_add_clips),
		T(test_reserve_rounds_out),
		T(test_reserve_clips),
		T(test_alloc_alignment),
		T(test_alloc_aligned_skips_used),
		T(test_first_fit),
		T(test_exhaustion),
		T(test_alloc_at_top),
		T(test_free_and_reuse),
		T(test_free_clips),
		T(test_alloc_rejects_bad_arguments),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
