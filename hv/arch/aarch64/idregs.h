/*
 * The feature ID registers as a VM sees them (idregs.c).
 */
#ifndef VIREO_IDREGS_H
#define VIREO_IDREGS_H

#include <stdint.h>

#define ID_REG(crm, op2) ((crm) * 8 + (op2))

/* The value of ID register (op0 3, op1 0, CRn 0, crm, op2) for a guest;
 * crm is 1 to 7. */
uint64_t id_reg_read(unsigned crm, unsigned op2);

/* The mode virtualizes the PMU and Vireo gets its overflow interrupt:
 * show guests the CPU's PMU (if it has a PMUv3), from now on. */
void id_reg_show_pmu(void);
/* ID_AA64DFR0_EL1.PMUVer as guests see it; 0: no PMU. */
unsigned id_pmu_version(void);

#endif
