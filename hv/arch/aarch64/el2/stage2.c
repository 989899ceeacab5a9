/*
 * Stage-2 translation tables: how a VM's IPAs become physical addresses.
 *
 * Each VM has its own tables and VMID; VTTBR_EL2 holds both while one of
 * its vCPUs runs, so TLB entries of different VMs never mix. RAM is mapped
 * Normal write-back, read/write/execute; devices a VM is given directly are
 * mapped Device-nGnRE and never executable. Everything else is unmapped,
 * so an access there is a stage-2 translation fault that traps to Vireo:
 * emulated devices (mmio.c) are exactly such holes.
 *
 * The walk starts at level 1 for IPA spaces of 31 to 42 bits, with two to
 * eight concatenated level-1 tables above 39 bits, and at level 0 above
 * 42 bits: a level-0 start is only allowed when the physical address size
 * is at least 44 bits (Arm ARM D8.2.7, and VTCR_EL2.SL0's description).
 * This file is pure logic over pgtable.c and is unit tested on the host.
 */
#include "arch/aarch64/el2/stage2.h"

#include "arch/aarch64/el2/hyp_regs.h"

#define S2_RAM (PTE_S2_MEMATTR_NORMAL | PTE_S2_AP_RW | PTE_SH_INNER | PTE_AF)
#define S2_RAM_RO (PTE_S2_MEMATTR_NORMAL | PTE_S2_AP_RO | PTE_SH_INNER | PTE_AF | PTE_XN)
#define S2_DEVICE (PTE_S2_MEMATTR_DEVICE | PTE_S2_AP_RW | PTE_AF | PTE_XN)

#define VTTBR_VMID_SHIFT 48

unsigned stage2_start_level(unsigned ipa_bits)
{
	if (ipa_bits > 42) {
		return 0;
	}
	if (ipa_bits > 30) {
		return 1;
	}
	return 2;
}

/* VTCR_EL2.SL0 for a 4 KiB granule: 0 means level 2, 1 level 1, 2 level 0. */
static uint64_t sl0_for(unsigned start_level)
{
	return 2 - start_level;
}

int stage2_init(struct stage2 *s2, unsigned ipa_bits, uint64_t parange, uint16_t vmid,
		const struct pgtable_mm *mm)
{
	unsigned level = stage2_start_level(ipa_bits);
	int err = pgtable_init(&s2->pt, ipa_bits, level, mm);

	if (err != PGTABLE_OK) {
		return err;
	}
	s2->vmid = vmid;
	s2->vtcr = FIELD_PREP(TCR_T0SZ, 64 - ipa_bits) | FIELD_PREP(VTCR_SL0, sl0_for(level)) |
		   TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
		   FIELD_PREP(VTCR_PS, parange) | VTCR_RES1;
	return PGTABLE_OK;
}

int stage2_map(struct stage2 *s2, ipaddr_t ipa, paddr_t pa, uint64_t size, enum stage2_kind kind)
{
	static const uint64_t attrs[] = {
		[STAGE2_RAM] = S2_RAM,
		[STAGE2_RAM_RO] = S2_RAM_RO,
		[STAGE2_DEVICE] = S2_DEVICE,
	};

	return pgtable_map(&s2->pt, ipa_addr(ipa), pa, size, attrs[kind]);
}

bool stage2_translate(const struct stage2 *s2, ipaddr_t ipa, paddr_t *pa)
{
	return pgtable_walk(&s2->pt, ipa_addr(ipa), pa, NULL, NULL);
}

uint64_t stage2_vttbr(const struct stage2 *s2)
{
	return pa_addr(s2->pt.root) | ((uint64_t)s2->vmid << VTTBR_VMID_SHIFT);
}

void stage2_destroy(struct stage2 *s2)
{
	pgtable_destroy(&s2->pt);
}

/* One range of the map being reported, grown while the next leaf
 * continues it. */
struct map_run {
	uint64_t ipa, pa, size, attrs;
};

static int kind_of(uint64_t attrs)
{
	return attrs == S2_RAM ? STAGE2_RAM : attrs == S2_RAM_RO ? STAGE2_RAM_RO :
	       attrs == S2_DEVICE ? STAGE2_DEVICE : -1;
}

void stage2_report(const struct stage2 *s2, stage2_range_fn *fn, void *ctx)
{
	const struct pgtable *pt = &s2->pt;
	struct map_run run = { 0 };
	uint64_t at = 0;

	while (!(at >> pt->va_bits)) {
		unsigned level = pt->start_level;
		uint64_t attrs = 0, step;
		paddr_t to = pa(0);
		bool mapped = pgtable_walk(pt, at, &to, &attrs, &level);

		step = pgtable_level_size(level) - (at & (pgtable_level_size(level) - 1));
		if (run.size && (!mapped || run.ipa + run.size != at ||
				 run.pa + run.size != pa_addr(to) || run.attrs != attrs)) {
			fn(ctx, ipa(run.ipa), pa(run.pa), run.size, kind_of(run.attrs));
			run.size = 0;
		}
		if (mapped) {
			if (!run.size) {
				run = (struct map_run){ at, pa_addr(to), 0, attrs };
			}
			run.size += step;
		}
		at += step;
	}
	if (run.size) {
		fn(ctx, ipa(run.ipa), pa(run.pa), run.size, kind_of(run.attrs));
	}
}
