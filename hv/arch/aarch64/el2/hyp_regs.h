/*
 * The EL2 registers the hardware-assisted mode programs, and their fields
 * (Arm ARM D19.2; HPFAR_EL2 is in guest_at.c, its only reader). Kept
 * apart from arch/aarch64/sysreg.h, which holds what every exception
 * level shares, so that only arch/aarch64/el2 sees them.
 */
#ifndef VIREO_EL2_HYP_REGS_H
#define VIREO_EL2_HYP_REGS_H

#include "arch/aarch64/sysreg.h"

/* HCR_EL2: hypervisor configuration (D19.2.48). */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_VF BIT(6)
#define HCR_VI BIT(7)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_RW BIT(31)

/* SCTLR_EL2's RES1 bits. */
#define SCTLR_EL2_RES1 0x30c50830UL
/* SCTLR_EL2.WXN: a writable page is never executable. */
#define SCTLR_WXN BIT(19)

#define TCR_EL2_PS GENMASK(18, 16)
#define TCR_EL2_RES1 (BIT(31) | BIT(23))
#define VTCR_SL0 GENMASK(7, 6)
#define VTCR_PS GENMASK(18, 16)
#define VTCR_RES1 BIT(31)

/* MAIR_EL2 attribute indices used by Vireo's own translation tables. */
#define MAIR_IDX_DEVICE 0 /* Device-nGnRE */
#define MAIR_IDX_NORMAL 1 /* Normal, write-back, read/write-allocate */
#define MAIR_EL2_VALUE ((0x04UL << (8 * MAIR_IDX_DEVICE)) | (0xffUL << (8 * MAIR_IDX_NORMAL)))

/* CPTR_EL2 (E2H == 0): trap FP/SIMD (TFP), trace (TTA), SVE (TZ). The
 * RES1 bits include TZ and TSM, so SVE stays trapped unless fpsimd.c lets
 * a vCPU have it, and SME always. */
#define CPTR_EL2_RES1 0x000033ffUL
#define CPTR_TZ BIT(8)
#define CPTR_TFP BIT(10)
#define CPTR_TTA BIT(20)

/* ZCR_EL2 and ZCR_EL1 (named by their encodings, s3_4_c1_c2_0 and
 * s3_0_c1_c2_0, for an assembler without SVE enabled): LEN (bits 3:0) is
 * the vector length in 128-bit units, minus one. */
#define ZCR_LEN GENMASK(3, 0)

/* MDCR_EL2: trap the PMU (TPMCR, TPM) and the debug registers: TDA (the
 * breakpoints, watchpoints, MDSCR and DCC; cleared per vCPU by debug.c),
 * TDOSA (the OS lock registers) and TDRA (the ROM table address); TDE is
 * clear, so debug exceptions go to EL1. The PMU's HPMN (how many counters
 * are EL1's), HPMD (no event counting at EL2, v3p1) and HCCD (no cycle
 * counting at EL2, v3p5) are vpmu.c's. */
#define MDCR_EL2_HPMN GENMASK(4, 0)
#define MDCR_EL2_HPMD BIT(17)
#define MDCR_EL2_HCCD BIT(23)
#define MDCR_EL2_TPMCR BIT(5)
#define MDCR_EL2_TPM BIT(6)
#define MDCR_EL2_TDA BIT(9)
#define MDCR_EL2_TDOSA BIT(10)
#define MDCR_EL2_TDRA BIT(11)
#define MDCR_EL2_TDE BIT(8) /* debug exceptions to EL2 (a debugger's, gdb.c) */
#define MDCR_EL2_TRAPS                                                          \
	(MDCR_EL2_TPMCR | MDCR_EL2_TPM | MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA)

/* CNTHCTL_EL2 (E2H == 0): EL1 access to the physical counter and timer. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)

#endif
