/*
 * A VM's stage-2 translation: the map from the IPAs its vCPUs use to the
 * physical pages Vireo gave it.
 */
#ifndef VIREO_STAGE2_H
#define VIREO_STAGE2_H

#include "arch/aarch64/pgtable.h"

struct stage2 {
	struct pgtable pt;
	uint64_t vtcr;  /* VTCR_EL2 for this VM */
	uint16_t vmid;
};

enum stage2_kind { STAGE2_RAM, STAGE2_RAM_RO, STAGE2_DEVICE };

/* Builds empty tables for an IPA space of ipa_bits (at most pa_bits, the
 * implemented physical address size, whose PARange code is parange). */
int stage2_init(struct stage2 *s2, unsigned ipa_bits, uint64_t parange, uint16_t vmid,
		const struct pgtable_mm *mm);
int stage2_map(struct stage2 *s2, ipaddr_t ipa, paddr_t pa, uint64_t size, enum stage2_kind kind);
bool stage2_translate(const struct stage2 *s2, ipaddr_t ipa, paddr_t *pa);
uint64_t stage2_vttbr(const struct stage2 *s2);
void stage2_destroy(struct stage2 *s2);
/* Each range the tables map, in address order, merged where contiguous
 * with the same attributes: kind an enum stage2_kind, or -1 for others. */
typedef void stage2_range_fn(void *ctx, ipaddr_t ipa, paddr_t pa, uint64_t size, int kind);
void stage2_report(const struct stage2 *s2, stage2_range_fn *fn, void *ctx);
/* The start level a stage-2 walk of ipa_bits uses with 4 KiB pages. */
unsigned stage2_start_level(unsigned ipa_bits);

#endif
