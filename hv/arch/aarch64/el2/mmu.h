/*
 * Vireo's own address space at EL2: an identity map of RAM and of the
 * devices Vireo drives.
 */
#ifndef VIREO_MMU_H
#define VIREO_MMU_H

#include "core/platform.h"

/* The registers a CPU loads to turn its MMU on (entry.S reads them). */
struct mmu_regs {
	uint64_t mair;
	uint64_t tcr;
	uint64_t ttbr0;
	uint64_t sctlr;
};

extern struct mmu_regs mmu_boot_regs;

/* Physical address bits this CPU implements (ID_AA64MMFR0_EL1.PARange). */
unsigned arch_pa_bits(void);
uint64_t arch_parange(void);

void mmu_early_init(paddr_t image_start, paddr_t image_end, paddr_t fdt);
/* entry.S: loads *regs into the MMU registers and enables translation. */
void mmu_enable(const struct mmu_regs *regs);

#endif
