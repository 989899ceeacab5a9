/*
 * Fuzz target: the software stage-1 walk (hv/arch/aarch64/s1walk.c), which
 * reads a guest's translation registers and tables, all of them the
 * guest's to choose.
 *
 * Input (tests/fuzz/make_seeds.py writes it): a flags byte (bit 0
 * SCTLR_EL1.M, bit 1 SCTLR_EL1.EE), ID_AA64MMFR0_EL1 and ID_AA64MMFR2_EL1
 * (u32 each, their low halves), TCR_EL1, TTBR0_EL1, TTBR1_EL1 and the VA
 * (u64 each), a byte to put in the VA's top byte for a second walk, and
 * then, to the end, descriptors to write into a 256 KiB guest RAM at IPA 0:
 * a u16 slot (an 8-byte unit, modulo the RAM's size) and the u64 value.
 *
 * Checked, besides crashes and sanitizer reports, with the Arm ARM's
 * encodings written out again here:
 *   - at most four descriptors are read, each 8-byte aligned, none after a
 *     read the RAM refused (which must end the walk as S1_FAULT_WALK at
 *     that descriptor), none with the MMU off or for a fault the registers
 *     alone decide (T*SZ, the VA's range, EPD, an unsupported regime);
 *   - the first read is in the table TTBR0/1 points to (same bits 47:g for
 *     a granule of 2^g bytes), each later one at the VA's index in the
 *     table the previous descriptor points to, which was a table (bits 1:0
 *     0b11);
 *   - the level reported is the start level T*SZ gives plus the reads made,
 *     less one; the descriptor reported is the last one read;
 *   - S1_OK ends on a page at level 3 or a block at a level the granule
 *     allows, and the IPA keeps the VA's offset within the leaf (and so
 *     within the granule) and fits TCR_EL1.IPS and the PA size; with the
 *     MMU off it is the VA within the PA size; invalid and reserved
 *     descriptors are what their names say;
 *   - under TBI for the VA's half, another top byte changes nothing: the
 *     same result, output and reads.
 */
#include <string.h>

#include "fuzz_input.h"
#include "arch/aarch64/s1walk.h"

#define RAM_SIZE (256 * 1024)
#define MAX_LOGGED 8

struct ram {
	uint8_t bytes[RAM_SIZE];
	uint64_t addr[MAX_LOGGED]; /* the reads, in order */
	bool ok[MAX_LOGGED];
	unsigned reads;
};

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8) {
		p[i] = (uint8_t)v;
	}
}

static bool read_ram(void *ctx, ipaddr_t a, uint64_t *desc)
{
	struct ram *m = ctx;
	uint64_t addr = ipa_addr(a);

	check(m->reads < MAX_LOGGED, "read %u", m->reads);
	check(addr % 8 == 0, "unaligned descriptor at %#lx", addr);
	check(m->reads == 0 || m->ok[m->reads - 1], "read at %#lx after a refused one", addr);
	m->addr[m->reads] = addr;
	m->ok[m->reads] = addr < RAM_SIZE;
	m->reads++;
	if (addr >= RAM_SIZE) {
		return false;
	}
	*desc = le64(&m->bytes[addr]);
	return true;
}

/* ---- the encodings, again (Arm ARM D19: TCR_EL1, ID_AA64MMFR0_EL1) ---- */

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & (~0UL >> (63 - (hi - lo)));
}

static unsigned pa_bits(uint64_t code)
{
	static const unsigned size[] = { 32, 36, 40, 42, 44, 48, 52 };

	return code < 7 ? size[code] : 52;
}

/* log2 of the half's granule; 0 for a reserved encoding. */
static unsigned granule(uint64_t tcr, bool upper)
{
	static const unsigned tg0[] = { 12, 16, 14, 0 }, tg1[] = { 0, 14, 12, 16 };

	return upper ? tg1[bits(tcr, 31, 30)] : tg0[bits(tcr, 15, 14)];
}

static bool tbi(uint64_t tcr, bool upper)
{
	return bits(tcr, upper ? 38 : 37, upper ? 38 : 37);
}

static uint64_t desc_at(const struct s1_regime *r, const struct ram *m, unsigned i)
{
	uint64_t d = le64(&m->bytes[m->addr[i]]);

	return (r->sctlr & BIT(25)) ? __builtin_bswap64(d) : d;
}

static void check_mmu_off(const struct s1_regime *r, uint64_t va, enum s1_result res,
			  const struct s1_walk *w, const struct ram *m)
{
	unsigned pa = pa_bits(bits(r->mmfr0, 3, 0));

	check(m->reads == 0, "%u reads with the MMU off", m->reads);
	if (res == S1_OK) {
		check(ipa_addr(w->ipa) == bits(va, pa - 1, 0), "MMU off: %#lx -> %#lx", va,
		      ipa_addr(w->ipa));
		check(bits(va, tbi(r->tcr, va & BIT(55)) ? 55 : 63, pa) == 0,
		      "MMU off: %#lx is beyond %u bits", va, pa);
	} else {
		check(res == S1_FAULT_ADDR_SIZE, "MMU off: %s", s1_result_name(res));
	}
}

static bool block_allowed(unsigned g, unsigned level, unsigned pa)
{
	return level == 2 || (level == 1 && (g == 12 || (g == 16 && pa == 52)));
}

/* The reads were one chain of tables from the TTBR, in the right places:
 * below the first table, each read at level n is at the index VA bits
 * g + stride * (4 - n) - 1 to g + stride * (3 - n) give, in the table the
 * previous descriptor points to. */
static void check_chain(const struct s1_regime *r, uint64_t va, unsigned g, unsigned start,
			const struct ram *m)
{
	uint64_t ttbr = (va & BIT(55)) ? r->ttbr1 : r->ttbr0;
	unsigned i, stride = g - 3, lsb;

	check(bits(m->addr[0], 47, g) == bits(ttbr, 47, g),
	      "first read %#lx is not in TTBR %#lx's table", m->addr[0], ttbr);
	for (i = 1; i < m->reads; i++) {
		uint64_t prev = desc_at(r, m, i - 1);

		lsb = g + stride * (3 - (start + i));
		check((prev & 3) == 3, "read %u after descriptor %#lx, not a table", i, prev);
		check(bits(m->addr[i], 47, 0) ==
			      (bits(prev, 47, g) << g | bits(va, lsb + stride - 1, lsb) << 3),
		      "read %#lx is not VA %#lx's in the table of descriptor %#lx", m->addr[i],
		      va, prev);
	}
}

static void check_leaf(const struct s1_regime *r, uint64_t va, unsigned g, const struct s1_walk *w)
{
	unsigned shift = g + (g - 3) * (3 - w->level);
	unsigned pa = pa_bits(bits(r->mmfr0, 3, 0)), ips = pa_bits(bits(r->tcr, 34, 32));
	unsigned format = g == 16 && pa == 52 ? 52 : 48; /* 52 bits: FEAT_LPA's 64 KiB format */
	uint64_t ipa = ipa_addr(w->ipa);

	if (w->level == 3) {
		check((w->desc & 3) == 3, "level 3 leaf %#lx", w->desc);
	} else {
		check((w->desc & 3) == 1, "level %u leaf %#lx", w->level, w->desc);
		check(block_allowed(g, w->level, pa), "block at level %u, granule 2^%u", w->level, g);
	}
	check(w->shift == shift, "shift %u, not %u", w->shift, shift);
	check(bits(ipa ^ va, shift - 1, 0) == 0, "%#lx -> %#lx loses the offset", va, ipa);
	check((ipa >> MIN(MIN(pa, ips), format)) == 0, "IPA %#lx beyond the output size", ipa);
}

static void check_walk(const struct s1_regime *r, uint64_t va, enum s1_result res,
		       const struct s1_walk *w, const struct ram *m)
{
	bool upper = va & BIT(55);
	unsigned g = granule(r->tcr, upper), ia, start;
	uint64_t last;

	check(s1_result_name(res) != NULL, "no name for %d", res);
	check(m->reads <= 4, "%u reads", m->reads);
	if (!(r->sctlr & BIT(0))) {
		check_mmu_off(r, va, res, w, m);
		return;
	}
	if (res == S1_UNSUPPORTED || res == S1_FAULT_TXSZ || res == S1_FAULT_RANGE ||
	    res == S1_FAULT_EPD || (res == S1_FAULT_ADDR_SIZE && m->reads == 0)) {
		check(m->reads == 0 && w->level == 0, "%s after %u reads, level %u",
		      s1_result_name(res), m->reads, w->level);
		return;
	}
	check(g != 0 && m->reads > 0, "%s: granule 2^%u, %u reads", s1_result_name(res), g,
	      m->reads);
	ia = 64 - (upper ? bits(r->tcr, 21, 16) : bits(r->tcr, 5, 0));
	start = 3 - (ia - 1 - g) / (g - 3);
	check_chain(r, va, g, start, m);
	check(w->level == start + m->reads - 1, "level %u after %u reads from level %u", w->level,
	      m->reads, start);
	check(ipa_addr(w->desc_ipa) == m->addr[m->reads - 1], "descriptor at %#lx, not %#lx",
	      ipa_addr(w->desc_ipa), m->addr[m->reads - 1]);
	check(m->ok[m->reads - 1] == (res != S1_FAULT_WALK), "%s, last read %s",
	      s1_result_name(res), m->ok[m->reads - 1] ? "done" : "refused");
	if (res == S1_FAULT_WALK) {
		return;
	}
	last = desc_at(r, m, m->reads - 1);
	check(w->desc == last, "descriptor %#lx, read %#lx", w->desc, last);
	if (res == S1_FAULT_INVALID) {
		check(!(last & 1), "invalid %#lx", last);
	} else if (res == S1_FAULT_RESERVED) {
		check((last & 3) == 1 && !block_allowed(g, w->level, pa_bits(bits(r->mmfr0, 3, 0))),
		      "reserved %#lx at level %u", last, w->level);
	} else if (res == S1_OK) {
		check_leaf(r, va, g, w);
	} else {
		check(res == S1_FAULT_ADDR_SIZE, "%s", s1_result_name(res));
	}
}

static enum s1_result run(const struct s1_regime *r, uint64_t va, struct ram *m,
			  struct s1_walk *w)
{
	enum s1_result res;

	m->reads = 0;
	res = s1_translate(r, gva(va), read_ram, m, w);
	check_walk(r, va, res, w, m);
	return res;
}

static bool same_walk(const struct s1_walk *a, const struct s1_walk *b)
{
	return ipa_addr(a->ipa) == ipa_addr(b->ipa) && a->shift == b->shift &&
	       a->level == b->level && a->desc == b->desc &&
	       ipa_addr(a->desc_ipa) == ipa_addr(b->desc_ipa);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ram m;
	struct input in = input_of(data, size);
	struct s1_regime r = { 0 };
	struct s1_walk w, w2;
	uint64_t va, va2, addr1[MAX_LOGGED];
	unsigned flags, reads1;
	enum s1_result res;

	flags = take_u8(&in);
	r.sctlr = (flags & 1 ? BIT(0) : 0) | (flags & 2 ? BIT(25) : 0);
	r.mmfr0 = take_u32(&in);
	r.mmfr2 = take_u32(&in);
	r.tcr = take_u64(&in);
	r.ttbr0 = take_u64(&in);
	r.ttbr1 = take_u64(&in);
	va = take_u64(&in);
	va2 = (va & ~(0xffUL << 56)) | (uint64_t)take_u8(&in) << 56;
	memset(m.bytes, 0, sizeof(m.bytes));
	while (!input_done(&in)) {
		unsigned slot = take_u16(&in) % (RAM_SIZE / 8);
		uint64_t desc = take_u64(&in);

		put_le64(&m.bytes[8 * slot], desc);
	}

	res = run(&r, va, &m, &w);
	if (!tbi(r.tcr, va & BIT(55))) {
		return 0;
	}
	reads1 = m.reads;
	memcpy(addr1, m.addr, sizeof(addr1));
	check(run(&r, va2, &m, &w2) == res && same_walk(&w, &w2), "TBI: %#lx and %#lx differ",
	      va, va2);
	check(m.reads == reads1 && memcmp(m.addr, addr1, reads1 * 8) == 0,
	      "TBI: %#lx and %#lx read differently", va, va2);
	return 0;
}
