/*
 * Unit tests for the software stage-1 walk (hv/arch/aarch64/s1walk.c), run
 * natively.
 *
 * Each test builds real translation tables in a fake guest RAM (4 MiB at
 * IPA 0x40000000, where a QEMU virt guest's RAM starts) and translates
 * addresses through them. The register values are written here from the
 * Arm ARM's field layouts (TCR_EL1, TTBRn_EL1, ID_AA64MMFR0/2_EL1), not
 * from sysreg.h, and every table index is given by hand, each with the VA
 * bits it comes from, so that a wrong shift or encoding in the walk
 * cannot agree with itself here. The fake memory counts the descriptors
 * read and refuses any address outside the RAM, as the VM's stage 2 would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/s1walk.h"

/* ---- register values, from the Arm ARM ----------------------------------- */

#define M BIT(0)   /* SCTLR_EL1.M */
#define EE BIT(25) /* SCTLR_EL1.EE */
#define T0SZ(n) ((uint64_t)(n))
#define T1SZ(n) ((uint64_t)(n) << 16)
#define TG0_4K (0UL << 14)
#define TG0_64K (1UL << 14)
#define TG0_16K (2UL << 14)
#define TG0_RESERVED (3UL << 14)
#define TG1_RESERVED (0UL << 30)
#define TG1_16K (1UL << 30)
#define TG1_4K (2UL << 30)
#define TG1_64K (3UL << 30)
#define EPD0 BIT(7)
#define EPD1 BIT(23)
#define IPS(code) ((uint64_t)(code) << 32) /* 0: 32 bits, 2: 40, 5: 48, 6: 52 */
#define TBI0 BIT(37)
#define TBI1 BIT(38)
#define DS BIT(59)
#define ASID(n) ((uint64_t)(n) << 48) /* TTBRn_EL1 */
#define CNP BIT(0)
/* ID_AA64MMFR0_EL1: PARange 48 bits, every granule (TGran16 = 1). */
#define MMFR0_ALL (0x1UL << 20 | 0x5)
/* Cortex-A72's: PARange 44 bits, no 16 KiB granule. */
#define MMFR0_A72 0x1124UL
#define MMFR0_PA52 (0x1UL << 20 | 0x6)
#define MMFR0_LPA2 (0x1UL << 28 | 0x2UL << 20 | 0x6)
#define MMFR2_LVA (0x1UL << 16)
#define MMFR2_TTST (0x1UL << 28)

/* Descriptors: a table, a block and a page, each with attributes the walk
 * must ignore (APTable and PXNTable; AF, SH, AttrIndx, nG, PXN and UXN). */
#define TABLE(a) ((a) | 0x3 | 3UL << 61 | BIT(59))
#define LEAF_ATTRS (BIT(10) | 3UL << 8 | 2UL << 2 | BIT(11) | 3UL << 53)
#define BLOCK(a) ((a) | 0x1 | LEAF_ATTRS)
#define PAGE(a) ((a) | 0x3 | LEAF_ATTRS)

#define SZ_4K 0x1000UL
#define SZ_16K 0x4000UL
#define SZ_64K 0x10000UL

/* ---- fake guest RAM ------------------------------------------------------- */

#define RAM_BASE 0x40000000UL
#define RAM_SIZE (4UL << 20)
#define OUTSIDE 0x80000000UL /* no RAM there */

static _Alignas(65536) uint8_t ram[RAM_SIZE];
static uint64_t ram_used;
static unsigned reads;
static bool big_endian; /* tables written byte-swapped, as SCTLR_EL1.EE reads them */

static int reset(void **state)
{
	memset(ram, 0, sizeof(ram));
	ram_used = 0;
	reads = 0;
	big_endian = false;
	return 0;
}

/* A zeroed (all-invalid) table of size bytes, aligned to its size. */
static uint64_t new_table(uint64_t size)
{
	uint64_t off = (ram_used + size - 1) & ~(size - 1);

	if (off + size > RAM_SIZE) {
		fail_msg("fake RAM too small");
	}
	ram_used = off + size;
	return RAM_BASE + off;
}

static uint64_t *slot(uint64_t table, uint64_t index)
{
	uint64_t off = table - RAM_BASE + 8 * index;

	if (table < RAM_BASE || off + 8 > RAM_SIZE) {
		fail_msg("descriptor at %#lx is not in the fake RAM", table + 8 * index);
	}
	return (uint64_t *)&ram[off];
}

static void set_desc(uint64_t table, uint64_t index, uint64_t desc)
{
	*slot(table, index) = big_endian ? __builtin_bswap64(desc) : desc;
}

static bool read_ram(void *ctx, ipaddr_t a, uint64_t *desc)
{
	uint64_t addr = ipa_addr(a);

	assert_ptr_equal(ctx, ram);
	assert_int_equal(addr % 8, 0);
	reads++;
	if (addr < RAM_BASE || addr - RAM_BASE >= RAM_SIZE) {
		return false;
	}
	memcpy(desc, &ram[addr - RAM_BASE], 8);
	return true;
}

/* Tables from the root down along idx[0..n-1], one index per level, made as
 * needed (each granule bytes), and leaf at the last. Returns the table the
 * leaf is in. */
static uint64_t map(uint64_t root, uint64_t granule, const unsigned *idx, unsigned n,
		    uint64_t leaf)
{
	uint64_t t = root, d;
	unsigned i;

	for (i = 0; i + 1 < n; i++) {
		d = *slot(t, idx[i]);
		if ((d & 3) != 3) {
			d = TABLE(new_table(granule));
			set_desc(t, idx[i], d);
		}
		t = d & 0xfffffffff000UL & ~(granule - 1);
	}
	set_desc(t, idx[n - 1], leaf);
	return t;
}

#define MAP(root, granule, leaf, ...)                                              \
	map(root, granule, (const unsigned[]){ __VA_ARGS__ },                      \
	    sizeof((const unsigned[]){ __VA_ARGS__ }) / sizeof(unsigned), leaf)

static struct s1_regime regime(uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1)
{
	return (struct s1_regime){ .sctlr = M, .tcr = tcr, .ttbr0 = ttbr0, .ttbr1 = ttbr1,
				   .mmfr0 = MMFR0_ALL };
}

static struct s1_walk translate(const struct s1_regime *r, uint64_t va, enum s1_result want,
				unsigned want_reads)
{
	struct s1_walk w;
	enum s1_result got;

	memset(&w, 0x5a, sizeof(w));
	reads = 0;
	got = s1_translate(r, gva(va), read_ram, ram, &w);
	if (got != want) {
		fail_msg("VA %#lx: %s (level %u), expected %s", va, s1_result_name(got), w.level,
			 s1_result_name(want));
	}
	assert_int_equal(reads, want_reads);
	return w;
}

static void expect_ipa(const struct s1_regime *r, uint64_t va, uint64_t want, unsigned level,
		       unsigned shift, unsigned want_reads)
{
	struct s1_walk w = translate(r, va, S1_OK, want_reads);

	assert_int_equal(ipa_addr(w.ipa), want);
	assert_int_equal(w.level, level);
	assert_int_equal(w.shift, shift);
}

static void expect_fault(const struct s1_regime *r, uint64_t va, enum s1_result want,
			 unsigned level, unsigned want_reads)
{
	struct s1_walk w = translate(r, va, want, want_reads);

	assert_int_equal(w.level, level);
}

/* ---- 4 KiB granule -------------------------------------------------------- */

/* Linux's kernel image at 0xffff800080000000 with 48-bit VAs: bits 47:39
 * are 256, 38:30 are 2, 29:21 and 20:12 zero. TTBR1 carries an ASID and
 * CnP, which are not address bits. Its linear map at 0xffff000040200000
 * (indices 0, 1, 1) is a 2 MiB block. */
static void test_4k_48bit_ttbr1(void **state)
{
	uint64_t root = new_table(SZ_4K), l3;
	struct s1_regime r = regime(T1SZ(16) | TG1_4K | IPS(5) | T0SZ(16), 0,
				    root | ASID(0x1234) | CNP);
	struct s1_walk w;

	l3 = MAP(root, SZ_4K, PAGE(0x41234000UL), 256, 2, 0, 0);
	MAP(root, SZ_4K, BLOCK(0x48000000UL), 0, 1, 1);
	w = translate(&r, 0xffff800080000abcUL, S1_OK, 4);
	assert_int_equal(ipa_addr(w.ipa), 0x41234abcUL);
	assert_int_equal(w.level, 3);
	assert_int_equal(w.shift, 12);
	assert_int_equal(w.desc, PAGE(0x41234000UL));
	assert_int_equal(ipa_addr(w.desc_ipa), l3);
	expect_ipa(&r, 0xffff0000402fedcbUL, 0x480fedcbUL, 2, 21, 3);
	/* The same VA with bits 63:48 clear is TTBR0's, whose table is not RAM;
	 * with only bit 55 clear it is in neither half. */
	expect_fault(&r, 0x0000800080000abcUL, S1_FAULT_WALK, 0, 1);
	expect_fault(&r, 0xff7f800080000abcUL, S1_FAULT_RANGE, 0, 0);
}

/* 39-bit VAs (T1SZ 25): the walk starts at level 1. The kernel image at
 * 0xffffffc008000000 is at indices 256 (bits 38:30), 64 (29:21), 0; a
 * 1 GiB block at level 1 maps 0xffffffc040000000 (index 257). */
static void test_4k_39bit(void **state)
{
	uint64_t root = new_table(SZ_4K);
	struct s1_regime r = regime(T1SZ(25) | TG1_4K | IPS(2), 0, root);

	r.mmfr0 = MMFR0_A72;
	MAP(root, SZ_4K, PAGE(0x40777000UL), 256, 64, 0);
	MAP(root, SZ_4K, BLOCK(0x80000000UL), 257);
	expect_ipa(&r, 0xffffffc008000123UL, 0x40777123UL, 3, 12, 3);
	expect_ipa(&r, 0xffffffc07fffffffUL, 0xbfffffffUL, 1, 30, 1);
}

/* TTBR0 with several sizes: the start level and the first table's size
 * follow from T0SZ (Arm ARM D8.2, the translation table walk). */
static void test_4k_t0sz(void **state)
{
	static const struct {
		unsigned t0sz, root_bytes, start;
		uint64_t va;
		unsigned idx[4];
	} cases[] = {
		/* 48 bits: indices from bits 47:39, 38:30, 29:21, 20:12. */
		{ 16, 4096, 0, 0x123456789000UL, { 36, 209, 179, 393 } },
		/* 39 bits: 38:30, 29:21, 20:12. */
		{ 25, 4096, 1, 0x1234567000UL, { 72, 418, 359 } },
		/* 32 bits: a 4-entry first table for bits 31:30. */
		{ 32, 32, 1, 0xc1234000UL, { 3, 9, 52 } },
		/* 30 bits: start at level 2, bits 29:21. */
		{ 34, 4096, 2, 0x23456000UL, { 282, 86 } },
		/* 25 bits, the largest T0SZ: 16 entries for bits 24:21. */
		{ 39, 128, 2, 0x1234000UL, { 9, 52 } },
	};
	unsigned i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* A small first table is aligned to its size only. */
		uint64_t root = new_table(cases[i].root_bytes);
		struct s1_regime r = regime(T0SZ(cases[i].t0sz) | TG0_4K | IPS(5), root, 0);

		n = 4 - cases[i].start;
		map(root, SZ_4K, cases[i].idx, n, PAGE(0x5550000UL + i * SZ_4K));
		expect_ipa(&r, cases[i].va | 0x321, (0x5550000UL + i * SZ_4K) | 0x321, 3, 12, n);
		/* One more VA bit is outside TTBR0's range. */
		expect_fault(&r, cases[i].va | BIT(64 - cases[i].t0sz), S1_FAULT_RANGE, 0, 0);
	}
}

/* T0SZ outside 16..39 faults; FEAT_TTST allows 48 (a 16-bit VA space,
 * one level-3 table of 16 entries for bits 15:12). */
static void test_txsz_limits(void **state)
{
	uint64_t root = new_table(128);
	struct s1_regime r = regime(T0SZ(48) | TG0_4K | IPS(5), root, 0);

	MAP(root, SZ_4K, PAGE(0x6000000UL), 10);
	expect_fault(&r, 0xa000, S1_FAULT_TXSZ, 0, 0);
	r.mmfr2 = MMFR2_TTST;
	expect_ipa(&r, 0xa123, 0x6000123UL, 3, 12, 1);
	r.tcr = T0SZ(15) | TG0_4K | IPS(5);
	expect_fault(&r, 0xa000, S1_FAULT_TXSZ, 0, 0);
	r.tcr = T0SZ(40) | TG0_4K | IPS(5);
	r.mmfr2 = 0;
	expect_fault(&r, 0xa000, S1_FAULT_TXSZ, 0, 0);
}

/* ---- 16 KiB and 64 KiB granules ---------------------------------------- */

/* 47 bits: level 1 resolves bits 46:36, level 2 35:25 (32 MiB blocks),
 * level 3 24:14. 48 bits adds a 2-entry level 0 for bit 47. */
static void test_16k(void **state)
{
	uint64_t root = new_table(SZ_16K), root48 = new_table(16);
	struct s1_regime r = regime(T0SZ(17) | TG0_16K | IPS(5), root, 0);
	struct s1_regime r48 = regime(T0SZ(16) | TG0_16K | IPS(5), root48, 0);

	MAP(root, SZ_16K, PAGE(0x7654000UL), 1024, 0, 1165);
	MAP(root, SZ_16K, BLOCK(0x12000000UL), 1024, 1);
	MAP(root, SZ_16K, BLOCK(0x100000000UL), 3);
	expect_ipa(&r, 0x400001237abcUL, 0x7657abcUL, 3, 14, 3);
	expect_ipa(&r, 0x400003456789UL, 0x13456789UL, 2, 25, 2);
	/* A table address's bits 13:12 are RES0, and ignored. */
	*slot(root, 1024) |= 0x3000;
	expect_ipa(&r, 0x400001237abcUL, 0x7657abcUL, 3, 14, 3);
	/* No 16 KiB blocks at level 1 without FEAT_LPA2. */
	expect_fault(&r, 0x3000000000UL, S1_FAULT_RESERVED, 1, 1);
	MAP(root48, SZ_16K, PAGE(0x9998000UL), 1, 118, 673, 1156);
	expect_ipa(&r48, 0x876543213210UL, 0x999b210UL, 3, 14, 4);
	/* Cortex-A72 has no 16 KiB granule: the CPU would pick its own. */
	r.mmfr0 = MMFR0_A72;
	expect_fault(&r, 0x400001237abcUL, S1_UNSUPPORTED, 0, 0);
}

/* TTBR1 with 16 KiB pages, TG1's encoding, and T1SZ 39: one level 3 table
 * of 2048 entries (bits 24:14). */
static void test_16k_ttbr1(void **state)
{
	uint64_t root = new_table(SZ_16K);
	struct s1_regime r = regime(T1SZ(39) | TG1_16K | IPS(5), 0, root);

	MAP(root, SZ_16K, PAGE(0x3330000UL), 1165);
	expect_ipa(&r, 0xffffffffff234567UL, 0x3330567UL, 3, 14, 1);
}

/* 48 bits: level 1 resolves bits 47:42 (64 entries), level 2 41:29
 * (512 MiB blocks), level 3 28:16. 42 bits starts at level 2. TTBR1 is
 * 64 KiB too, in TG1's encoding. */
static void test_64k(void **state)
{
	uint64_t root = new_table(512), root42 = new_table(SZ_64K), root1 = new_table(512), l3;
	struct s1_regime r = regime(T0SZ(16) | TG0_64K | IPS(5) | T1SZ(16) | TG1_64K, root,
				    root1);
	struct s1_regime r42 = regime(T0SZ(22) | TG0_64K | IPS(5), root42, 0);

	l3 = MAP(root, SZ_64K, PAGE(0x44440000UL), 33, 6954, 801);
	MAP(root, SZ_64K, BLOCK(0x60000000UL), 33, 6955);
	MAP(root1, SZ_64K, PAGE(0x55550000UL), 32, 0, 4660);
	expect_ipa(&r, 0x87654321fedcUL, 0x4444fedcUL, 3, 16, 3);
	/* Without FEAT_LPA, bits 15:12 of a table or page address are RES0. */
	*slot(root, 33) |= 0xf000;
	*slot(*slot(root, 33) & 0xffffffff0000UL, 6954) |= 0xf000;
	*slot(l3, 801) |= 0xf000;
	expect_ipa(&r, 0x87654321fedcUL, 0x4444fedcUL, 3, 16, 3);
	expect_ipa(&r, 0x876560000001UL, 0x60000001UL, 2, 29, 2);
	expect_ipa(&r, 0xffff80001234abcdUL, 0x5555abcdUL, 3, 16, 3);
	MAP(root42, SZ_64K, PAGE(0x12340000UL), 4514, 5752);
	expect_ipa(&r42, 0x23456789abcUL, 0x12349abcUL, 3, 16, 2);
	/* A level 1 block needs 52-bit PAs (FEAT_LPA). */
	MAP(root, SZ_64K, BLOCK(0x40000000000UL), 1);
	expect_fault(&r, 0x40000000000UL | 0x1234, S1_FAULT_RESERVED, 1, 1);
	r.mmfr0 = MMFR0_PA52;
	expect_ipa(&r, 0x40000000000UL | 0x1234, 0x40000001234UL, 1, 42, 1);
	/* A 4 TiB block at 0 with 40-bit IPAs: its upper part is too far. */
	MAP(root, SZ_64K, BLOCK(0x0UL), 0);
	r.tcr = T0SZ(16) | TG0_64K | IPS(2);
	expect_ipa(&r, 0xffffffffffUL, 0xffffffffffUL, 1, 42, 1);
	expect_fault(&r, 0x10000000000UL, S1_FAULT_ADDR_SIZE, 1, 1);
}

/* FEAT_LPA: with 64 KiB pages and 52-bit PAs, bits 15:12 of a descriptor
 * are address bits 51:48, and with IPS at 52 bits, BADDR[5:2] of the TTBR
 * too. FEAT_LVA: 52-bit VAs with T0SZ 12 (level 1 resolves bits 51:42). */
static void test_64k_52bit(void **state)
{
	uint64_t root = new_table(8192);
	struct s1_regime r = regime(T0SZ(12) | TG0_64K | IPS(6), root, 0);
	uint64_t va = 0xf876543210000UL;
	struct s1_walk w;

	r.mmfr0 = MMFR0_PA52;
	MAP(root, SZ_64K, PAGE(0x70000UL | 0x3UL << 12), 993, 6954, 801);
	expect_fault(&r, va, S1_FAULT_TXSZ, 0, 0);
	r.mmfr2 = MMFR2_LVA;
	expect_ipa(&r, va | 0x42, 0x3000000070042UL, 3, 16, 3);
	/* With IPS at 48 bits, that output address is too large. */
	r.tcr = T0SZ(12) | TG0_64K | IPS(5);
	expect_fault(&r, va, S1_FAULT_ADDR_SIZE, 3, 3);
	/* BADDR[5:2] = 0x1 puts the first table at bit 48: not the VM's RAM. */
	r.tcr = T0SZ(12) | TG0_64K | IPS(6);
	r.ttbr0 = root | 0x1 << 2;
	w = translate(&r, va, S1_FAULT_WALK, 1);
	assert_int_equal(ipa_addr(w.desc_ipa), (root | BIT(48)) + 8 * 993);
}

/* ---- what ends a walk ------------------------------------------------------ */

/* The MMU off: the IPA is the VA, within the PA size (44 bits on a
 * Cortex-A72), the top byte aside under TBI. */
static void test_mmu_off(void **state)
{
	struct s1_regime r = { .sctlr = 0, .mmfr0 = MMFR0_A72 };

	expect_ipa(&r, 0x40001234UL, 0x40001234UL, 0, 44, 0);
	expect_ipa(&r, 0xfffffffffffUL, 0xfffffffffffUL, 0, 44, 0);
	expect_fault(&r, 0x100000000000UL, S1_FAULT_ADDR_SIZE, 0, 0);
	expect_fault(&r, 0x5a00000040001234UL, S1_FAULT_ADDR_SIZE, 0, 0);
	r.tcr = TBI0;
	expect_ipa(&r, 0x5a00000040001234UL, 0x40001234UL, 0, 44, 0);
	/* Bit 55 set picks TBI1, and is itself beyond the PA size. */
	expect_fault(&r, 0x0080000040001234UL, S1_FAULT_ADDR_SIZE, 0, 0);
}

/* Between TTBR0's 39 bits and TTBR1's 39 bits lies a hole. */
static void test_hole(void **state)
{
	uint64_t root0 = new_table(SZ_4K), root1 = new_table(SZ_4K);
	struct s1_regime r = regime(T0SZ(25) | TG0_4K | T1SZ(25) | TG1_4K | IPS(5), root0, root1);

	MAP(root0, SZ_4K, PAGE(0x1000000UL), 511, 511, 511);
	MAP(root1, SZ_4K, PAGE(0x2000000UL), 0, 0, 0);
	expect_ipa(&r, 0x7fffffffffUL, 0x1000fffUL, 3, 12, 3);
	expect_ipa(&r, 0xffffff8000000000UL, 0x2000000UL, 3, 12, 3);
	expect_fault(&r, 0x8000000000UL, S1_FAULT_RANGE, 0, 0);
	expect_fault(&r, 0xffffff7fffffffffUL, S1_FAULT_RANGE, 0, 0);
	expect_fault(&r, 0x0080000000000000UL, S1_FAULT_RANGE, 0, 0);
	expect_fault(&r, 0xff7fffffffffffffUL, S1_FAULT_RANGE, 0, 0);
}

/* EPD0 and EPD1 each disable one half's walks, before any read. */
static void test_epd(void **state)
{
	uint64_t root0 = new_table(SZ_4K), root1 = new_table(SZ_4K);
	uint64_t tcr = T0SZ(25) | TG0_4K | T1SZ(25) | TG1_4K | IPS(5);
	struct s1_regime r = regime(tcr | EPD0, root0, root1);

	MAP(root0, SZ_4K, BLOCK(0x40000000UL), 1);
	MAP(root1, SZ_4K, BLOCK(0x80000000UL), 0);
	expect_fault(&r, 0x40000000UL, S1_FAULT_EPD, 0, 0);
	expect_ipa(&r, 0xffffff8000000000UL, 0x80000000UL, 1, 30, 1);
	r.tcr = tcr | EPD1;
	expect_ipa(&r, 0x40000000UL, 0x40000000UL, 1, 30, 1);
	expect_fault(&r, 0xffffff8000000000UL, S1_FAULT_EPD, 0, 0);
}

/* A descriptor with bit 0 clear at each level of a 4-level walk; the
 * others bits set, as an OS keeps a swapped-out page's whereabouts. */
static void test_invalid_each_level(void **state)
{
	static const unsigned idx[4] = { 36, 209, 179, 393 }; /* VA 0x123456789000 */
	unsigned level;

	for (level = 0; level < 4; level++) {
		uint64_t root = new_table(SZ_4K), t;
		struct s1_regime r = regime(T0SZ(16) | TG0_4K | IPS(5), root, 0);
		struct s1_walk w;

		t = map(root, SZ_4K, idx, level + 1, 0x123456789ab0UL | 0x2);
		w = translate(&r, 0x123456789000UL, S1_FAULT_INVALID, level + 1);
		assert_int_equal(w.level, level);
		assert_int_equal(ipa_addr(w.desc_ipa), t + 8 * idx[level]);
		assert_int_equal(w.desc, 0x123456789ab0UL | 0x2);
	}
}

/* No 4 KiB blocks at level 0 (without FEAT_LPA2), and 0b01 at level 3 is
 * reserved. */
static void test_reserved(void **state)
{
	uint64_t root = new_table(SZ_4K);
	struct s1_regime r = regime(T0SZ(16) | TG0_4K | IPS(5), root, 0);

	MAP(root, SZ_4K, BLOCK(0x8000000000UL), 1);
	MAP(root, SZ_4K, BLOCK(0x5000UL), 0, 0, 0, 5);
	expect_fault(&r, 0x8000000000UL, S1_FAULT_RESERVED, 0, 1);
	expect_fault(&r, 0x5000UL, S1_FAULT_RESERVED, 3, 4);
}

/* A TTBR or a table descriptor outside the VM's RAM: the read fails, and
 * the walk says where it was. */
static void test_outside_ram(void **state)
{
	uint64_t root = new_table(SZ_4K);
	struct s1_regime r = regime(T0SZ(25) | TG0_4K | IPS(5), root, 0);
	struct s1_walk w;

	set_desc(root, 3, TABLE(OUTSIDE));
	w = translate(&r, 0xc0000000UL | 0x5 << 21, S1_FAULT_WALK, 2);
	assert_int_equal(w.level, 2);
	assert_int_equal(ipa_addr(w.desc_ipa), OUTSIDE + 8 * 5);
	r.ttbr0 = OUTSIDE;
	w = translate(&r, 0x7000000000UL, S1_FAULT_WALK, 1);
	assert_int_equal(w.level, 1);
	assert_int_equal(ipa_addr(w.desc_ipa), OUTSIDE + 8 * 448);
}

/* The output size is TCR_EL1.IPS bounded by the PA size: a TTBR (checked
 * at level 0 whatever the start), a table address, a leaf beyond it. */
static void test_address_size(void **state)
{
	uint64_t root = new_table(SZ_4K);
	struct s1_regime r = regime(T0SZ(25) | TG0_4K | IPS(0), root, 0);

	MAP(root, SZ_4K, BLOCK(0x100000000UL), 0);
	MAP(root, SZ_4K, TABLE(0x100000000UL), 1);
	MAP(root, SZ_4K, BLOCK(0xc0000000UL), 2);
	expect_ipa(&r, 0x80000000UL, 0xc0000000UL, 1, 30, 1);
	expect_fault(&r, 0x0UL, S1_FAULT_ADDR_SIZE, 1, 1);
	expect_fault(&r, 0x40000000UL, S1_FAULT_ADDR_SIZE, 1, 1);
	/* IPS says 48 bits, but the PA size is 44. */
	r.tcr = T0SZ(25) | TG0_4K | IPS(5);
	r.mmfr0 = MMFR0_A72;
	expect_ipa(&r, 0x0UL, 0x100000000UL, 1, 30, 1);
	MAP(root, SZ_4K, BLOCK(0x100000000000UL), 3);
	expect_fault(&r, 0xc0000000UL, S1_FAULT_ADDR_SIZE, 1, 1);
	r.ttbr0 = 0x100000000000UL;
	expect_fault(&r, 0x0UL, S1_FAULT_ADDR_SIZE, 0, 0);
}

/* TBI1 and TBI0: the top byte is not part of the address. */
static void test_tbi(void **state)
{
	uint64_t root = new_table(SZ_4K), root0 = new_table(SZ_4K);
	struct s1_regime r = regime(T1SZ(16) | TG1_4K | T0SZ(25) | TG0_4K | IPS(5), root0, root);

	MAP(root, SZ_4K, PAGE(0x41234000UL), 256, 2, 0, 0);
	MAP(root0, SZ_4K, BLOCK(0x40000000UL), 1);
	expect_fault(&r, 0x12ff800080000abcUL, S1_FAULT_RANGE, 0, 0);
	expect_fault(&r, 0x3400000040000001UL, S1_FAULT_RANGE, 0, 0);
	r.tcr |= TBI1;
	expect_ipa(&r, 0x12ff800080000abcUL, 0x41234abcUL, 3, 12, 4);
	expect_fault(&r, 0x3400000040000001UL, S1_FAULT_RANGE, 0, 0);
	r.tcr |= TBI0;
	expect_ipa(&r, 0x3400000040000001UL, 0x40000001UL, 1, 30, 1);
	/* Bits 55:39 still count. */
	expect_fault(&r, 0x3400008040000001UL, S1_FAULT_RANGE, 0, 0);
}

/* SCTLR_EL1.EE: the tables are big-endian. */
static void test_big_endian(void **state)
{
	uint64_t root = new_table(SZ_4K);
	struct s1_regime r = regime(T0SZ(25) | TG0_4K | IPS(5), root, 0);

	big_endian = true;
	MAP(root, SZ_4K, PAGE(0x7770000UL), 1, 2, 3);
	expect_fault(&r, 0x40403000UL, S1_FAULT_INVALID, 1, 1);
	r.sctlr |= EE;
	expect_ipa(&r, 0x40403210UL, 0x7770210UL, 3, 12, 3);
}

/* Reserved granule encodings (TG0 0b11, TG1 0b00), and FEAT_LPA2's
 * format, which the walk does not read; TCR_EL1.DS is RES0 without it. */
static void test_unsupported(void **state)
{
	uint64_t root = new_table(SZ_4K);
	struct s1_regime r = regime(T0SZ(25) | TG0_RESERVED | IPS(5), root, 0);

	MAP(root, SZ_4K, BLOCK(0x40000000UL), 0);
	expect_fault(&r, 0x1000UL, S1_UNSUPPORTED, 0, 0);
	r.tcr = T1SZ(25) | TG1_RESERVED | T0SZ(25) | TG0_4K;
	expect_fault(&r, 0xffffffffffff0000UL, S1_UNSUPPORTED, 0, 0);
	expect_ipa(&r, 0x1000UL, 0x40001000UL, 1, 30, 1);
	r.tcr |= DS;
	expect_ipa(&r, 0x1000UL, 0x40001000UL, 1, 30, 1);
	r.mmfr0 = MMFR0_LPA2;
	expect_fault(&r, 0x1000UL, S1_UNSUPPORTED, 0, 0);
}

static void test_names(void **state)
{
	enum s1_result a, b;

	for (a = S1_OK; a <= S1_UNSUPPORTED; a++) {
		assert_non_null(s1_result_name(a));
		for (b = S1_OK; b < a; b++) {
			assert_string_not_equal(s1_result_name(a), s1_result_name(b));
		}
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, reset)
	const struct CMUnitTest tests[] = {
		T(test_4k_48bit_ttbr1), T(test_4k_39bit), T(test_4k_t0sz), T(test_txsz_limits),
		T(test_16k), T(test_16k_ttbr1), T(test_64k), T(test_64k_52bit), T(test_mmu_off),
		T(test_hole), T(test_epd), T(test_invalid_each_level), T(test_reserved),
		T(test_outside_ram), T(test_address_size), T(test_tbi), T(test_big_endian),
		T(test_unsupported), T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
