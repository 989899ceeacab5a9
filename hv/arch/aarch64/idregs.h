/*
 * The feature ID registers as a VM sees them (idregs.c).
 */
#ifndef VIREO_IDREGS_H
#define VIREO_IDREGS_H

#include <stdbool.h>
#include <stdint.h>

#define ID_REG(crm, op2) ((crm) * 8 + (op2))

/* The value of ID register (op0 3, op1 0, CRn 0, crm, op2) for a guest;
 * crm is 1 to 7. */
uint64_t id_reg_read(unsigned crm, unsigned op2);

/* The same for an AArch32 VM's EL1, for the AArch32 ID registers it
 * reads by MRC p15 (crm 1 to 3); 0 for the rest. */
uint64_t id_reg_read_aarch32(unsigned crm, unsigned op2);

/* Whether the CPU implements AArch32 at EL1 (ID_AA64PFR0_EL1.EL1 = 2). */
bool id_aarch32_el1(void);

/* The mode virtualizes the PMU and Vireo gets its overflow interrupt:
 * show guests the CPU's PMU (if it has a PMUv3), from now on. */
void id_reg_show_pmu(void);
/* ID_AA64DFR0_EL1.PMUVer as guests see it; 0: no PMU. */
unsigned id_pmu_version(void);

#endif
