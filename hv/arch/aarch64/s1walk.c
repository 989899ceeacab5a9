/*
 * Walking a guest's stage-1 tables in software: what s1walk.h says is
 * modelled, in the steps of the Arm ARM's pseudocode for a translation
 * (AArch64.S1Translate() and AArch64.S1Walk(), whose helpers the comments
 * below name):
 *
 *  1. With SCTLR_EL1.M clear, the IPA is the VA, if the VA fits the PA size
 *     (its top byte left out under TBI).
 *  2. VA bit 55 picks the half: TTBR0_EL1 with T0SZ, TG0, TBI0 and EPD0, or
 *     TTBR1_EL1 with T1SZ, TG1, TBI1 and EPD1; walk_params() reads them and
 *     what the ID registers allow.
 *  3. A VA whose bits above the half's size are not all 0s (TTBR0) or all
 *     1s (TTBR1) lies in the hole between the halves; bits 63:56 are left
 *     out of that under TBI.
 *  4. The walk starts at the level T*SZ and the granule give and reads one
 *     descriptor per level: a table descriptor leads one level down, a
 *     block or a page ends the walk, anything else is a fault. Level 3 has
 *     no tables, so whatever the tables hold there are at most four reads
 *     and no cycles.
 *  5. Every table address and the output address must fit the output size:
 *     TCR_EL1.IPS, bounded by the PA size and by the descriptor format.
 *
 * A granule of 2^g bytes holds 2^(g - 3) eight-byte descriptors, so each
 * level resolves g - 3 bits of the VA (the stride: 9, 11 or 13); level 3
 * resolves bits g + stride - 1 to g, and a leaf at level n maps
 * 2^(g + stride * (3 - n)) bytes. The first table resolves whatever bits
 * are left above its level, and is smaller than a granule when fewer than
 * a stride are left.
 *
 * Pure logic: no globals and no memory but through the caller's s1_read_fn,
 * so the host unit test and fuzzer run it as it is.
 */
#include "arch/aarch64/s1walk.h"
#include "arch/aarch64/pgtable.h"
#include "arch/aarch64/sysreg.h"

#define FINAL_LEVEL 3
#define DESC_SIZE_LOG2 3
#define GRANULE_4K 12
#define GRANULE_16K 14
#define GRANULE_64K 16
#define TGRAN_ABSENT 0xf /* ID_AA64MMFR0_EL1.TGran4 and TGran64 */
/* Output address bits 47:0 of a descriptor; with 64 KiB pages and FEAT_LPA,
 * bits 15:12 hold bits 51:48 (D8.3, the 52-bit output address format). */
#define DESC_OA_47_0 GENMASK(47, 0)
#define DESC_OA_51_48 GENMASK(15, 12)
#define OA_MAX_BITS 52
#define PS_52_BITS 6 /* TCR_EL1.IPS for 52 bits */

/* What a walk of one half of the VA space depends on (AArch64.S1TTWParams). */
struct walk_params {
	uint64_t ttbr;
	unsigned granule; /* log2 of its size: 12, 14 or 16 */
	unsigned ia_bits; /* the half's VA size, 64 - T*SZ */
	unsigned oa_bits; /* the output size */
	bool oa52;        /* descriptors hold bits 51:48 (64 KiB pages, FEAT_LPA) */
	bool ttb52;       /* so does the TTBR (that, and TCR_EL1.IPS says 52 bits) */
	bool tbi, epd, big_endian;
};

/* Bits hi:lo of v, shifted down. */
static uint64_t field(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & (~0UL >> (63 - (hi - lo)));
}

static bool fits(uint64_t addr, unsigned bits)
{
	return (addr >> bits) == 0;
}

/* AArch64.AddrTop(): the highest VA bit that is part of the address. */
static unsigned addr_top(bool tbi)
{
	return tbi ? 55 : 63;
}

/* The PARange and IPS encoding, in bits; encodings beyond 52 bits need
 * FEAT_D128's descriptors, which this walk does not read. */
static unsigned pa_size_bits(uint64_t code)
{
	static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return code < ARRAY_SIZE(bits) ? bits[code] : OA_MAX_BITS;
}

static unsigned guest_pa_bits(const struct s1_regime *r)
{
	return pa_size_bits(FIELD_GET(MMFR0_PARANGE, r->mmfr0));
}

/* Step 1, AArch64.S1DisabledOutput(): a flat map of the PA size. */
static enum s1_result mmu_off(const struct s1_regime *r, uint64_t va, bool upper,
			      struct s1_walk *out)
{
	unsigned pa_bits = guest_pa_bits(r);
	unsigned top = addr_top(r->tcr & (upper ? TCR_TBI1 : TCR_TBI0));

	if (field(va, top, pa_bits) != 0) {
		return S1_FAULT_ADDR_SIZE;
	}
	out->ipa = ipa(field(va, pa_bits - 1, 0));
	out->shift = pa_bits;
	return S1_OK;
}

/* The granule TG0 or TG1 selects (the two encode it differently), in
 * bits, or 0 for a reserved encoding (AArch64.S1DecodeTG0/TG1()). */
static unsigned granule_selected(uint64_t tcr, bool upper)
{
	static const uint8_t tg0[] = { GRANULE_4K, GRANULE_64K, GRANULE_16K, 0 };
	static const uint8_t tg1[] = { 0, GRANULE_16K, GRANULE_4K, GRANULE_64K };

	return upper ? tg1[FIELD_GET(TCR_TG1, tcr)] : tg0[FIELD_GET(TCR_TG0, tcr)];
}

static bool granule_implemented(uint64_t mmfr0, unsigned granule)
{
	switch (granule) {
	case GRANULE_4K:
		return FIELD_GET(MMFR0_TGRAN4, mmfr0) != TGRAN_ABSENT;
	case GRANULE_16K:
		return FIELD_GET(MMFR0_TGRAN16, mmfr0) != 0;
	case GRANULE_64K:
		return FIELD_GET(MMFR0_TGRAN64, mmfr0) != TGRAN_ABSENT;
	}
	return false;
}

/* TCR_EL1.DS takes effect with 4 KiB and 16 KiB pages where FEAT_LPA2 is. */
static bool lpa2_format(const struct s1_regime *r, unsigned granule)
{
	bool lpa2 = FIELD_GET(MMFR0_TGRAN4, r->mmfr0) == 1 ||
		    FIELD_GET(MMFR0_TGRAN16, r->mmfr0) == 2;

	return (r->tcr & TCR_DS) && lpa2 && granule != GRANULE_64K;
}

/* AArch64.S1MinTxSZ() and AArch64.MaxTxSZ(). Outside them it is
 * IMPLEMENTATION DEFINED whether the CPU takes a level 0 translation fault
 * or uses the nearest limit; this walk faults, as QEMU does. */
static bool txsz_valid(const struct s1_regime *r, unsigned granule, unsigned txsz)
{
	bool lva = granule == GRANULE_64K && FIELD_GET(MMFR2_VARANGE, r->mmfr2) == 1;
	bool ttst = FIELD_GET(MMFR2_ST, r->mmfr2) == 1;
	unsigned min = lva ? 12 : 16;
	unsigned max = !ttst ? 39 : granule == GRANULE_64K ? 47 : 48;

	return txsz >= min && txsz <= max;
}

/* Step 2: the half's parameters, or why there is no walk to make. */
static enum s1_result walk_params(const struct s1_regime *r, bool upper, struct walk_params *p)
{
	unsigned txsz = upper ? FIELD_GET(TCR_T1SZ, r->tcr) : FIELD_GET(TCR_T0SZ, r->tcr);
	unsigned ips = FIELD_GET(TCR_IPS, r->tcr);
	unsigned pa_bits = guest_pa_bits(r);

	/* A reserved or missing granule is one of the CPU's own choice. */
	p->granule = granule_selected(r->tcr, upper);
	if (!granule_implemented(r->mmfr0, p->granule) || lpa2_format(r, p->granule)) {
		return S1_UNSUPPORTED;
	}
	if (!txsz_valid(r, p->granule, txsz)) {
		return S1_FAULT_TXSZ;
	}
	p->ia_bits = 64 - txsz;
	/* FEAT_LPA is what a PARange of 52 bits means (AArch64.PhysicalAddressSize()). */
	p->oa52 = p->granule == GRANULE_64K && pa_bits == OA_MAX_BITS;
	p->ttb52 = p->oa52 && ips == PS_52_BITS;
	/* Without FEAT_LPA2, 4 KiB and 16 KiB descriptors hold 48 bits. */
	p->oa_bits = MIN(MIN(pa_size_bits(ips), pa_bits), p->oa52 ? 52U : 48U);
	p->ttbr = upper ? r->ttbr1 : r->ttbr0;
	p->tbi = r->tcr & (upper ? TCR_TBI1 : TCR_TBI0);
	p->epd = r->tcr & (upper ? TCR_EPD1 : TCR_EPD0);
	p->big_endian = r->sctlr & SCTLR_EE;
	return S1_OK;
}

/* Step 3, AArch64.VAIsOutOfRange(). Bit 55 is among the bits checked, and
 * it chose the half, so a VA in the hole fails in either. */
static bool va_in_range(const struct walk_params *p, uint64_t va, bool upper)
{
	unsigned top = addr_top(p->tbi);
	uint64_t above = field(va, top, p->ia_bits);

	return above == (upper ? field(~0UL, top, p->ia_bits) : 0);
}

static unsigned stride(const struct walk_params *p)
{
	return p->granule - DESC_SIZE_LOG2;
}

/* The VA bits below those level resolves: a leaf there maps 2^this bytes. */
static unsigned level_shift(const struct walk_params *p, unsigned level)
{
	return p->granule + stride(p) * (FINAL_LEVEL - level);
}

/* AArch64.S1StartLevel(): as many levels as the VA's bits above the page
 * offset need. */
static unsigned start_level(const struct walk_params *p)
{
	return FINAL_LEVEL - (p->ia_bits - 1 - p->granule) / stride(p);
}

/* AArch64.S1TTBaseAddress(): the first table, aligned to its size. The
 * TTBR's bits 63:48 are the ASID, bit 0 is CnP, and bits below the table's
 * size are ignored; in the 52-bit format bits 5:2 are address bits 51:48
 * instead (which also makes the table 64-byte aligned at least). */
static uint64_t first_table(const struct walk_params *p, unsigned start)
{
	unsigned size_log2 = p->ia_bits - level_shift(p, start) + DESC_SIZE_LOG2;
	uint64_t base = p->ttbr & TTBR_BADDR;

	if (p->ttb52) {
		base = (base & ~TTBR_BADDR_51_48) | FIELD_GET(TTBR_BADDR_51_48, p->ttbr) << 48;
	}
	return ALIGN_DOWN(base, 1UL << size_log2);
}

/* The address of va's descriptor in the table at level; the first table's
 * index takes every VA bit left above it. */
static uint64_t desc_address(const struct walk_params *p, uint64_t table, uint64_t va,
			     unsigned level, unsigned start)
{
	unsigned lsb = level_shift(p, level);
	unsigned msb = level == start ? p->ia_bits - 1 : lsb + stride(p) - 1;

	return table | field(va, msb, lsb) << DESC_SIZE_LOG2;
}

enum desc_type { DESC_INVALID, DESC_RESERVED, DESC_TABLE, DESC_LEAF };

/* AArch64.BlockDescSupported(), without FEAT_LPA2's level 0 blocks. */
static bool block_allowed(const struct walk_params *p, unsigned level)
{
	switch (p->granule) {
	case GRANULE_4K:
		return level == 1 || level == 2;
	case GRANULE_16K:
		return level == 2;
	}
	return level == 2 || (level == 1 && p->oa52);
}

/* AArch64.DecodeDescriptorType(): bits 1:0 are 0b11 for a table, or a page
 * at level 3, and 0b01 for a block. Never a table at level 3. */
static enum desc_type desc_type(const struct walk_params *p, uint64_t desc, unsigned level)
{
	if (!(desc & PTE_VALID)) {
		return DESC_INVALID;
	}
	if (desc & PTE_TABLE) {
		return level == FINAL_LEVEL ? DESC_LEAF : DESC_TABLE;
	}
	return block_allowed(p, level) ? DESC_LEAF : DESC_RESERVED;
}

static uint64_t desc_oa_51_48(const struct walk_params *p, uint64_t desc)
{
	return p->oa52 ? FIELD_GET(DESC_OA_51_48, desc) << 48 : 0;
}

/* AArch64.NextTableBase(): granule-aligned, bits below it RES0. */
static uint64_t next_table(const struct walk_params *p, uint64_t desc)
{
	return (desc & DESC_OA_47_0 & ~((1UL << p->granule) - 1)) | desc_oa_51_48(p, desc);
}

/* AArch64.LeafBase() plus va's offset in the leaf. The output size is
 * checked on the whole address: a 4 TiB block is larger than a 40-bit
 * output size. */
static enum s1_result leaf(const struct walk_params *p, uint64_t va, uint64_t desc,
			   unsigned level, struct s1_walk *out)
{
	unsigned shift = level_shift(p, level);
	uint64_t base = (desc & DESC_OA_47_0 & ~((1UL << shift) - 1)) | desc_oa_51_48(p, desc);
	uint64_t oa = base | field(va, shift - 1, 0);

	if (!fits(oa, p->oa_bits)) {
		return S1_FAULT_ADDR_SIZE;
	}
	out->ipa = ipa(oa);
	out->shift = shift;
	return S1_OK;
}

/* Steps 4 and 5. out->level is the level whose descriptor is being read or
 * used, which is the level a fault is reported at; the first table's
 * address alone is checked at level 0, whatever the start. */
static enum s1_result walk(const struct walk_params *p, uint64_t va, s1_read_fn *read, void *ctx,
			   struct s1_walk *out)
{
	unsigned start = start_level(p), level;
	uint64_t table = first_table(p, start), desc;

	if (!fits(table, p->oa_bits)) {
		return S1_FAULT_ADDR_SIZE;
	}
	/* Ends by level 3, which desc_type() gives no tables. */
	for (level = start;; level++) {
		out->level = level;
		out->desc_ipa = ipa(desc_address(p, table, va, level, start));
		if (!read(ctx, out->desc_ipa, &desc)) {
			return S1_FAULT_WALK;
		}
		desc = p->big_endian ? __builtin_bswap64(desc) : desc;
		out->desc = desc;
		switch (desc_type(p, desc, level)) {
		case DESC_INVALID:
			return S1_FAULT_INVALID;
		case DESC_RESERVED:
			return S1_FAULT_RESERVED;
		case DESC_LEAF:
			return leaf(p, va, desc, level, out);
		case DESC_TABLE:
			break;
		}
		table = next_table(p, desc);
		if (!fits(table, p->oa_bits)) {
			return S1_FAULT_ADDR_SIZE;
		}
	}
}

enum s1_result s1_translate(const struct s1_regime *r, gvaddr_t gv, s1_read_fn *read, void *ctx,
			    struct s1_walk *out)
{
	uint64_t va = gva_addr(gv);
	bool upper = va & BIT(55);
	struct walk_params p;
	enum s1_result res;

	*out = (struct s1_walk){ 0 };
	if (!(r->sctlr & SCTLR_M)) {
		return mmu_off(r, va, upper, out);
	}
	res = walk_params(r, upper, &p);
	if (res != S1_OK) {
		return res;
	}
	if (!va_in_range(&p, va, upper)) {
		return S1_FAULT_RANGE;
	}
	if (p.epd) {
		return S1_FAULT_EPD;
	}
	return walk(&p, va, read, ctx, out);
}

const char *s1_result_name(enum s1_result res)
{
	static const char *const names[] = {
		[S1_OK] = "translated",
		[S1_FAULT_TXSZ] = "T0SZ/T1SZ out of range",
		[S1_FAULT_RANGE] = "address outside both TTBR ranges",
		[S1_FAULT_EPD] = "table walks disabled (TCR_EL1.EPDn)",
		[S1_FAULT_INVALID] = "invalid descriptor",
		[S1_FAULT_RESERVED] = "block descriptor not allowed at this level",
		[S1_FAULT_ADDR_SIZE] = "address beyond the output address size",
		[S1_FAULT_WALK] = "translation table outside the VM's memory",
		[S1_UNSUPPORTED] = "translation regime not modelled",
	};

	return (unsigned)res < ARRAY_SIZE(names) ? names[res] : "unknown result";
}
