/*
 * The Performance Monitors Extension (PMUv3, Arm ARM D13 and D19.12): the
 * fields of its registers, and a vCPU's PMU as the guest programmed it
 * (struct vpmu), which the EL2 mode's el2/vpmu.c emulates over the real
 * counters. Kept here, beside sysreg.h, because every exception level
 * reads these registers and the core keeps a struct vpmu in each vCPU.
 */
#ifndef VIREO_PMU_H
#define VIREO_PMU_H

#include "arch/aarch64/sysreg.h"

/* ID_AA64DFR0_EL1.PMUVer: 1 PMUv3, 4 v3p1, 5 v3p4, 6 v3p5, 0xf IMPDEF. */
#define DFR0_PMUVER GENMASK(11, 8)
/* ID_AA64PFR0_EL1.EL3: whether the CPU has an EL3 (the filters' NSK, NSU
 * and M bits exist). */
#define PFR0_EL3 GENMASK(15, 12)
#define PMUVER_V3 1
#define PMUVER_V3P1 4
#define PMUVER_V3P4 5
#define PMUVER_V3P5 6
#define PMUVER_IMPDEF 0xf

/* PMCR_EL0 (D19.12.x). */
#define PMCR_E BIT(0)   /* enable */
#define PMCR_P BIT(1)   /* reset the event counters (write-only) */
#define PMCR_C BIT(2)   /* reset the cycle counter (write-only) */
#define PMCR_D BIT(3)   /* cycle counter counts every 64th cycle */
#define PMCR_X BIT(4)   /* export of events */
#define PMCR_DP BIT(5)  /* cycle counter off where counting is prohibited */
#define PMCR_LC BIT(6)  /* cycle counter overflows at 64 bits */
#define PMCR_LP BIT(7)  /* event counters overflow at 64 bits (v3p5) */
#define PMCR_N GENMASK(15, 11)
#define PMCR_IDCODE GENMASK(23, 16)
#define PMCR_IMP GENMASK(31, 24)

/* PMEVTYPER<n>_EL0 and PMCCFILTR_EL0: the filters by exception level. */
#define PMEVTYPER_P BIT(31)   /* do not count at EL1 */
#define PMEVTYPER_U BIT(30)   /* do not count at EL0 */
#define PMEVTYPER_NSK BIT(29) /* with EL3: EL1 filtered when != P */
#define PMEVTYPER_NSU BIT(28) /* with EL3: EL0 filtered when != U */
#define PMEVTYPER_NSH BIT(27) /* count at EL2 */
#define PMEVTYPER_M BIT(26)   /* with EL3: EL3 filtered when != P */
#define PMEVTYPER_EVT GENMASK(15, 0) /* 9:0 before v3p1 */
#define PMEVTYPER_EVT_V3 GENMASK(9, 0)
#define PMU_EVT_SW_INCR 0x0

/* PMUSERENR_EL0: what EL0 may do. */
#define PMUSERENR_EN BIT(0) /* everything */
#define PMUSERENR_SW BIT(1) /* write PMSWINC */
#define PMUSERENR_CR BIT(2) /* read the cycle counter */
#define PMUSERENR_ER BIT(3) /* read the event counters, PMSELR */
#define PMUSERENR_ALL (PMUSERENR_EN | PMUSERENR_SW | PMUSERENR_CR | PMUSERENR_ER)

#define PMSELR_SEL GENMASK(4, 0)
#define PMU_CYCLE_IDX 31       /* bit 31 of the set/clear registers */
#define PMU_MAX_COUNTERS 31

/* A vCPU's PMU as the guest sees it. The control registers are always
 * here, as the guest wrote them (the hardware gets sanitised copies); the
 * counters, the overflow flags and PMSELR are in the hardware while the
 * vCPU is loaded and active, and here otherwise. */
struct vpmu {
	bool active;  /* touched since reset: moved with the vCPU */
	uint32_t pmcr;  /* E, D, DP, LC, LP */
	uint32_t cnten, inten, ovs; /* bit n counter n, bit 31 the cycle counter */
	uint32_t selr, userenr;
	uint64_t ccfiltr, ccntr;
	uint64_t evtyper[PMU_MAX_COUNTERS];
	uint64_t evcntr[PMU_MAX_COUNTERS];
};

#endif
