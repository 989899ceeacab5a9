/*
 * Unit tests for data-abort syndrome decoding and the load/store width
 * rules (hv/dabt.c), and for the emulated-device registry (hv/mmio.c),
 * run natively.
 *
 * Syndromes are assembled here from the field positions of the Arm ARM's
 * "ISS encoding for an exception from a Data Abort" (D19.2.37), not from
 * hv/include/sysreg.h, so a wrong field definition there shows up too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/dabt.h"
#include "core/mmio.h"

/* ---- syndromes -------------------------------------------------------------- */

#define EC_DABT_LOWER (0x24UL << 26)
#define IL (1UL << 25)
#define ISV (1UL << 24)
#define SAS(n) ((uint64_t)(n) << 22)
#define SSE (1UL << 21)
#define SRT(n) ((uint64_t)(n) << 16)
#define SF (1UL << 15)
#define AR (1UL << 14)
#define WNR (1UL << 6)
#define FSC_TRANS_L3 0x07UL

/* Bits outside the decoded fields that must not change the result: EC, IL,
 * AR, VNCR, SET, FnV, EA, CM, S1PTW, DFSC, and ISS2 above bit 31. */
#define OTHER_BITS (EC_DABT_LOWER | IL | AR | (1UL << 13) | (3UL << 11) | (0x1fUL << 6 & ~WNR) | \
		    0x3fUL | (0x1fUL << 32))

#define JUNK 0x5a

static void expect_decode(uint64_t esr, unsigned size, bool store, bool sse, bool sf, unsigned rt)
{
	struct insn_ldst d;

	memset(&d, JUNK, sizeof(d));
	if (!dabt_decode_esr(esr, &d)) {
		fail_msg("esr %#lx: refused", esr);
	}
	if (d.size != size || d.store != store || d.sign_extend != sse || d.reg64 != sf ||
	    d.rt != rt) {
		fail_msg("esr %#lx: size %u store %d sse %d sf %d rt %u, want %u %d %d %d %u", esr,
			 d.size, d.store, d.sign_extend, d.reg64, d.rt, size, store, sse, sf, rt);
	}
	/* The syndrome never describes a pair or a writeback. */
	assert_false(d.pair);
	assert_false(d.writeback);
	assert_int_equal(d.offset, 0);
}

static void test_decode_isv_clear(void **state)
{
	struct insn_ldst d, before;
	uint64_t esr = EC_DABT_LOWER | IL | SAS(2) | SRT(3) | SF | WNR | FSC_TRANS_L3;

	memset(&d, JUNK, sizeof(d));
	memcpy(&before, &d, sizeof(d));
	assert_false(dabt_decode_esr(esr, &d));
	assert_false(dabt_decode_esr(0, &d));
	assert_false(dabt_decode_esr(~ISV, &d));
	assert_memory_equal(&d, &before, sizeof(d));
}

static void test_decode_sizes(void **state)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	unsigned sas;

	for (sas = 0; sas < 4; sas++) {
		uint64_t esr = EC_DABT_LOWER | IL | ISV | SAS(sas) | SRT(1) | FSC_TRANS_L3;

		expect_decode(esr, sizes[sas], false, false, false, 1);
		expect_decode(esr | WNR | SF, sizes[sas], true, false, true, 1);
	}
}

static void test_decode_flags(void **state)
{
	uint64_t base = EC_DABT_LOWER | IL | ISV | FSC_TRANS_L3;

	/* LDRSB w5: sign-extending byte load into a W register. */
	expect_decode(base | SAS(0) | SSE | SRT(5), 1, false, true, false, 5);
	/* LDRSH x6. */
	expect_decode(base | SAS(1) | SSE | SF | SRT(6), 2, false, true, true, 6);
	/* LDRSW x7. */
	expect_decode(base | SAS(2) | SSE | SF | SRT(7), 4, false, true, true, 7);
	/* STR w8. */
	expect_decode(base | SAS(2) | WNR | SRT(8), 4, true, false, false, 8);
	/* STR x9. */
	expect_decode(base | SAS(3) | WNR | SF | SRT(9), 8, true, false, true, 9);
	/* Every decoded field at once, and none. */
	expect_decode(base | SAS(3) | SSE | SF | WNR | SRT(31), 8, true, true, true, 31);
	expect_decode(ISV, 1, false, false, false, 0);
}

static void test_decode_every_register(void **state)
{
	unsigned rt;

	for (rt = 0; rt < 32; rt++) {
		expect_decode(ISV | SAS(2) | SRT(rt), 4, false, false, false, rt);
		expect_decode(ISV | SAS(3) | SF | WNR | SRT(rt), 8, true, false, true, rt);
	}
}

static void test_decode_ignores_other_bits(void **state)
{
	expect_decode(OTHER_BITS | ISV | SAS(1) | SRT(12), 2, false, false, false, 12);
	expect_decode(OTHER_BITS | ISV | SAS(2) | SRT(30) | WNR | SF, 4, true, false, true, 30);
}

/* ---- load and store widths ---------------------------------------------------- */

static uint64_t load(unsigned size, bool sse, bool reg64, uint64_t raw)
{
	struct insn_ldst d = { .size = size, .sign_extend = sse, .reg64 = reg64 };

	return dabt_load_value(&d, raw);
}

static void test_load_value(void **state)
{
	static const struct {
		unsigned size;
		bool sse, reg64;
		uint64_t raw, want;
	} cases[] = {
		/* LDRB / LDRH / LDR w: zero-extended, junk above the size dropped. */
		{ 1, false, false, 0x80, 0x80 },
		{ 1, false, false, 0xffffffffffffff80UL, 0x80 },
		{ 1, false, true, 0x1234567890abcdefUL, 0xef },
		{ 2, false, false, 0xdeadbeefcafef00dUL, 0xf00d },
		{ 4, false, false, 0xdeadbeefcafef00dUL, 0xcafef00d },
		{ 4, false, true, 0xdeadbeefcafef00dUL, 0xcafef00d },
		/* LDRSB w / x. */
		{ 1, true, false, 0x80, 0xffffff80 },
		{ 1, true, true, 0x80, 0xffffffffffffff80UL },
		{ 1, true, false, 0xff, 0xffffffff },
		{ 1, true, true, 0x7f, 0x7f },
		{ 1, true, true, 0x1234567f, 0x7f },
		{ 1, true, true, 0x12345680, 0xffffffffffffff80UL },
		/* LDRSH w / x. */
		{ 2, true, false, 0x8000, 0xffff8000 },
		{ 2, true, true, 0x8000, 0xffffffffffff8000UL },
		{ 2, true, true, 0x7fff, 0x7fff },
		{ 2, true, false, 0xabcd1234ffff8001UL, 0xffff8001 },
		/* LDRSW x. */
		{ 4, true, true, 0x80000000, 0xffffffff80000000UL },
		{ 4, true, true, 0xffffffff7fffffffUL, 0x7fffffff },
		/* LDR x: everything. */
		{ 8, false, true, 0xdeadbeefcafef00dUL, 0xdeadbeefcafef00dUL },
		{ 8, true, true, 0x8000000000000000UL, 0x8000000000000000UL },
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t got = load(cases[i].size, cases[i].sse, cases[i].reg64, cases[i].raw);

		if (got != cases[i].want) {
			fail_msg("size %u sse %d %s raw %#lx: %#lx, want %#lx", cases[i].size,
				 cases[i].sse, cases[i].reg64 ? "X" : "W", cases[i].raw, got,
				 cases[i].want);
		}
	}
}

static void test_store_value(void **state)
{
	struct insn_ldst d = { .store = true, .reg64 = true };
	uint64_t reg = 0x123456789abcdef0UL;

	d.size = 1;
	assert_int_equal(dabt_store_value(&d, reg), 0xf0);
	d.size = 2;
	assert_int_equal(dabt_store_value(&d, reg), 0xdef0);
	d.size = 4;
	assert_int_equal(dabt_store_value(&d, reg), 0x9abcdef0);
	d.size = 8;
	assert_int_equal(dabt_store_value(&d, reg), reg);
	/* Sign extension is for loads only. */
	d.sign_extend = true;
	d.size = 1;
	assert_int_equal(dabt_store_value(&d, 0xff80), 0x80);
	d.size = 4;
	assert_int_equal(dabt_store_value(&d, 0xffffffff80000000UL), 0x80000000);
}

/* ---- MMIO registry ------------------------------------------------------------- */

static const struct mmio_ops ops_a, ops_b;
static int dev_a, dev_b;

static void test_mmio_register_and_find(void **state)
{
	struct mmio_bus bus = { .n = 0 };
	const struct mmio_region *r;

	assert_null(mmio_find(&bus, ipa(0x9000000), 4));
	assert_true(mmio_register(&bus, ipa(0x9000000), 0x1000, &ops_a, &dev_a));
	assert_true(mmio_register(&bus, ipa(0x8000000), 0x10000, &ops_b, &dev_b));
	assert_int_equal(bus.n, 2);

	r = mmio_find(&bus, ipa(0x8000000), 4);
	assert_non_null(r);
	assert_int_equal(ipa_addr(r->base), 0x8000000);
	assert_int_equal(r->size, 0x10000);
	assert_ptr_equal(r->ops, &ops_b);
	assert_ptr_equal(r->dev, &dev_b);

	r = mmio_find(&bus, ipa(0x9000018), 4);
	assert_non_null(r);
	assert_ptr_equal(r->ops, &ops_a);
	assert_ptr_equal(r->dev, &dev_a);
	assert_ptr_equal(r, &bus.regions[0]);
}

static void test_mmio_find_bounds(void **state)
{
	struct mmio_bus bus = { .n = 0 };
	const uint64_t base = 0x9000000, size = 0x1000;

	assert_true(mmio_register(&bus, ipa(base), size, &ops_a, &dev_a));
	assert_non_null(mmio_find(&bus, ipa(base), 1));
	assert_non_null(mmio_find(&bus, ipa(base), 8));
	assert_non_null(mmio_find(&bus, ipa(base + size - 1), 1));  /* last byte */
	assert_non_null(mmio_find(&bus, ipa(base + size - 4), 4));
	assert_non_null(mmio_find(&bus, ipa(base + size - 8), 8));
	assert_null(mmio_find(&bus, ipa(base + size - 3), 4));      /* straddles the end */
	assert_null(mmio_find(&bus, ipa(base + size - 1), 2));
	assert_null(mmio_find(&bus, ipa(base + size - 4), 8));
	assert_null(mmio_find(&bus, ipa(base + size), 1));          /* just after */
	assert_null(mmio_find(&bus, ipa(base - 1), 1));             /* just before */
	assert_null(mmio_find(&bus, ipa(base - 2), 4));             /* straddles the start */
	assert_null(mmio_find(&bus, ipa(base), 0));                 /* empty access */
}

static void test_mmio_find_no_wrap(void **state)
{
	struct mmio_bus bus = { .n = 0 };
	const uint64_t base = 0xfffffffffffff000UL;

	assert_true(mmio_register(&bus, ipa(base), 0xff0, &ops_a, &dev_a));
	assert_non_null(mmio_find(&bus, ipa(base + 0xfe8), 8));
	/* An access running past 2^64 wraps to a small end address. */
	assert_null(mmio_find(&bus, ipa(0xfffffffffffffffcUL), 8));
	assert_null(mmio_find(&bus, ipa(base + 0xfec), 8));
}

static void test_mmio_register_overlap(void **state)
{
	static const struct {
		uint64_t base, size;
	} overlapping[] = {
		{ 0x10000, 0x1000 }, /* the same */
		{ 0xf000, 0x1001 },  /* the first byte */
		{ 0x10fff, 0x10 },   /* the last byte */
		{ 0x10800, 0x8 },    /* inside */
		{ 0xf000, 0x3000 },  /* around */
		{ 0x0, ~0UL },       /* around, nearly everything */
	};
	struct mmio_bus bus = { .n = 0 };
	unsigned i;

	assert_true(mmio_register(&bus, ipa(0x10000), 0x1000, &ops_a, &dev_a));
	for (i = 0; i < sizeof(overlapping) / sizeof(overlapping[0]); i++) {
		if (mmio_register(&bus, ipa(overlapping[i].base), overlapping[i].size, &ops_b,
				  &dev_b)) {
			fail_msg("[%#lx, +%#lx) accepted over [0x10000, +0x1000)",
				 overlapping[i].base, overlapping[i].size);
		}
	}
	assert_int_equal(bus.n, 1);
	/* Touching on either side is fine. */
	assert_true(mmio_register(&bus, ipa(0xf000), 0x1000, &ops_b, &dev_b));
	assert_true(mmio_register(&bus, ipa(0x11000), 0x1000, &ops_b, &dev_b));
	assert_int_equal(bus.n, 3);
	/* Overlapping a later region is caught too. */
	assert_false(mmio_register(&bus, ipa(0x11fff), 1, &ops_b, &dev_b));
	assert_ptr_equal(mmio_find(&bus, ipa(0xffff), 1), &bus.regions[1]);
	assert_ptr_equal(mmio_find(&bus, ipa(0x10000), 1), &bus.regions[0]);
	assert_ptr_equal(mmio_find(&bus, ipa(0x11000), 1), &bus.regions[2]);
	/* An access spanning two adjacent regions belongs to neither. */
	assert_null(mmio_find(&bus, ipa(0xfffe), 4));
}

static void test_mmio_register_rejects(void **state)
{
	struct mmio_bus bus = { .n = 0 };
	unsigned i;

	assert_false(mmio_register(&bus, ipa(0x1000), 0, &ops_a, &dev_a));
	assert_false(mmio_register(&bus, ipa(0xfffffffffffff000UL), 0x2000, &ops_a, &dev_a));
	assert_false(mmio_register(&bus, ipa(0x1000), ~0UL, &ops_a, &dev_a));
	assert_int_equal(bus.n, 0);
	/* A region after a zero-size attempt at the same place still works. */
	assert_true(mmio_register(&bus, ipa(0x1000), 0x1000, &ops_a, &dev_a));

	for (i = 1; i < MMIO_MAX_REGIONS; i++) {
		assert_true(mmio_register(&bus, ipa(0x100000 * i), 0x1000, &ops_a, &dev_a));
	}
	assert_int_equal(bus.n, MMIO_MAX_REGIONS);
	assert_false(mmio_register(&bus, ipa(0x40000000), 0x1000, &ops_b, &dev_b));
	assert_int_equal(bus.n, MMIO_MAX_REGIONS);
	assert_null(mmio_find(&bus, ipa(0x40000000), 4));
	assert_non_null(mmio_find(&bus, ipa(0x100000 * (MMIO_MAX_REGIONS - 1)), 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_isv_clear),
		cmocka_unit_test(test_decode_sizes),
		cmocka_unit_test(test_decode_flags),
		cmocka_unit_test(test_decode_every_register),
		cmocka_unit_test(test_decode_ignores_other_bits),
		cmocka_unit_test(test_load_value),
		cmocka_unit_test(test_store_value),
		cmocka_unit_test(test_mmio_register_and_find),
		cmocka_unit_test(test_mmio_find_bounds),
		cmocka_unit_test(test_mmio_find_no_wrap),
		cmocka_unit_test(test_mmio_register_overlap),
		cmocka_unit_test(test_mmio_register_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
