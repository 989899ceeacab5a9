/*
 * System registers: one idiom to access them, and the fields Vireo uses,
 * each defined next to the register it belongs to. Logic never shifts a
 * register by a bare number; it names the field here and uses FIELD_GET().
 * References are to the Arm Architecture Reference Manual for A-profile
 * (DDI 0487), chapter D19 "AArch64 System Register Descriptions".
 */
#ifndef VIREO_SYSREG_H
#define VIREO_SYSREG_H

#include "core/types.h"

#define read_sysreg(r)                                              \
	({                                                          \
		uint64_t __v;                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));        \
		__v;                                                \
	})

#define write_sysreg(r, v)                                                  \
	do {                                                                \
		uint64_t __wv = (uint64_t)(v);                               \
		__asm__ volatile("msr " #r ", %x0" : : "rZ"(__wv));          \
	} while (0)

/* Barriers. Callers say why they need one; these only name the instruction. */
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
/* A spin-wait's hint that another thread of execution may have the CPU
 * (a no-op on most cores; QEMU's round-robin TCG runs another CPU). */
#define cpu_relax() __asm__ volatile("yield" ::: "memory")

/* CurrentEL */
#define CURRENTEL_EL GENMASK(3, 2)

/* MPIDR_EL1: the affinity fields identify a CPU. */
#define MPIDR_AFF_MASK 0xff00ffffffUL
#define MPIDR_AFF0 GENMASK(7, 0)
#define MPIDR_RES1 BIT(31)

/* ESR_ELx: exception syndrome (D19.2.37). */
#define ESR_EC GENMASK(31, 26)
#define ESR_IL BIT(25)
#define ESR_ISS GENMASK(24, 0)

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_FP_ASIMD 0x07
#define EC_ILLEGAL 0x0e
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_SVE 0x19
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR 0x2f
#define EC_BREAKPT_LOW 0x30 /* the debug exceptions from a lower EL */
#define EC_SOFTSTP_LOW 0x32
#define EC_WATCHPT_LOW 0x34
#define EC_BRK64 0x3c
#define EC_MAX 0x3f

/* ISS of data and instruction aborts (D19.2.37, "ISS encoding for an
 * exception from a Data Abort"). */
#define ESR_DABT_ISV BIT(24)
#define ESR_DABT_SAS GENMASK(23, 22)
#define ESR_DABT_SSE BIT(21)
#define ESR_DABT_SRT GENMASK(20, 16)
#define ESR_DABT_SF BIT(15)
#define ESR_DABT_AR BIT(14)
#define ESR_ABT_FNV BIT(10)
#define ESR_ABT_EA BIT(9)
#define ESR_DABT_CM BIT(8)
#define ESR_ABT_S1PTW BIT(7)
#define ESR_DABT_WNR BIT(6)
#define ESR_ABT_FSC GENMASK(5, 0)
#define FSC_TYPE GENMASK(5, 2)    /* fault type without the level */
#define FSC_TYPE_TRANS 0x1        /* translation fault, levels 0-3 */
#define FSC_TYPE_ACCESS 0x2       /* access flag fault */
#define FSC_TYPE_PERM 0x3         /* permission fault */
#define FSC_SEA 0x10              /* synchronous external abort */

/* ISS of a trapped MSR/MRS (EC 0x18). */
#define ESR_SYS_OP0 GENMASK(21, 20)
#define ESR_SYS_OP2 GENMASK(19, 17)
#define ESR_SYS_OP1 GENMASK(16, 14)
#define ESR_SYS_CRN GENMASK(13, 10)
#define ESR_SYS_RT GENMASK(9, 5)
#define ESR_SYS_CRM GENMASK(4, 1)
#define ESR_SYS_READ BIT(0)
/* A system register's encoding in that layout (op0, op1, CRn, CRm, op2),
 * Rt and the direction left out, and the mask that takes it from an ISS. */
#define ESR_SYS_ENC(op0, op1, crn, crm, op2)                                         \
	(FIELD_PREP(ESR_SYS_OP0, op0) | FIELD_PREP(ESR_SYS_OP1, op1) |               \
	 FIELD_PREP(ESR_SYS_CRN, crn) | FIELD_PREP(ESR_SYS_CRM, crm) |               \
	 FIELD_PREP(ESR_SYS_OP2, op2))
#define ESR_SYS_ENC_MASK (ESR_SYS_OP0 | ESR_SYS_OP1 | ESR_SYS_CRN | ESR_SYS_CRM | ESR_SYS_OP2)

/* PAR_EL1 after an AT instruction. */
#define PAR_F BIT(0)
#define PAR_PA GENMASK(47, 12)

/* SCTLR_ELx. */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_SPAN BIT(23)  /* 0: taking an exception to EL1 sets PAN */
#define SCTLR_EE BIT(25)    /* big-endian data, and stage-1 table walks */
#define SCTLR_DSSBS BIT(44) /* PSTATE.SSBS on taking an exception to EL1 */
/* SCTLR_EL1 at reset as a guest first sees it: MMU and caches off, RES1
 * bits set (D19.2.118). */
#define SCTLR_EL1_RESET 0x30d00800UL

/* The walk fields TCR_ELx (TTBR0 half) and VTCR_EL2 share. */
#define TCR_T0SZ GENMASK(5, 0)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_TG0_4K (0UL << 14)
/* TCR_EL1's own fields, for the software stage-1 walk (s1walk.c). TG0 and
 * TG1 encode the granules differently (D19, TCR_EL1). */
#define TCR_EPD0 BIT(7)
#define TCR_TG0 GENMASK(15, 14)
#define TCR_T1SZ GENMASK(21, 16)
#define TCR_EPD1 BIT(23)
#define TCR_TG1 GENMASK(31, 30)
#define TCR_IPS GENMASK(34, 32) /* the PARange encoding */
#define TCR_TBI0 BIT(37)
#define TCR_TBI1 BIT(38)
#define TCR_DS BIT(59) /* FEAT_LPA2's descriptor format */
/* TTBRn_ELx: the table's base address, and the Common-not-Private bit. With
 * 52-bit addresses (FEAT_LPA, 64 KiB granule), BADDR[5:2] holds bits 51:48. */
#define TTBR_CNP BIT(0)
#define TTBR_BADDR GENMASK(47, 1)
#define TTBR_BADDR_51_48 GENMASK(5, 2)
/* ID_AA64MMFR0_EL1.PARange: physical address size. */
#define MMFR0_PARANGE GENMASK(3, 0)
/* ID_AA64MMFR0_EL1: the stage-1 granules. TGran4 and TGran64 are 0b1111 when
 * absent, TGran16 0b0000; TGran4 0b0001 and TGran16 0b0010 add FEAT_LPA2. */
#define MMFR0_TGRAN16 GENMASK(23, 20)
#define MMFR0_TGRAN64 GENMASK(27, 24)
#define MMFR0_TGRAN4 GENMASK(31, 28)
/* ID_AA64MMFR2_EL1.VARange (1: 52-bit VAs with 64 KiB pages, FEAT_LVA) and
 * ST (1: small translation tables, FEAT_TTST). */
#define MMFR2_VARANGE GENMASK(19, 16)
#define MMFR2_ST GENMASK(31, 28)
/* ID_AA64MMFR1_EL1.PAN, ID_AA64PFR1_EL1.SSBS: the features, if nonzero. */
#define MMFR1_PAN GENMASK(23, 20)
#define PFR1_SSBS GENMASK(7, 4)

/* ID_AA64PFR0_EL1: EL1's execution states, SVE, and the Spectre-v2/v3 mitigation fields (CSV2,
 * CSV3). */
#define PFR0_EL1 GENMASK(7, 4)
#define PFR0_EL1_AARCH32 2 /* EL1 can run AArch64 or AArch32 */
#define PFR0_SVE GENMASK(35, 32)
#define PFR0_CSV2 GENMASK(59, 56)
#define PFR0_CSV3 GENMASK(63, 60)

/* SPSR_ELx / PSTATE. */
#define PSR_MODE_MASK 0xfUL
#define PSR_MODE_EL0T 0x0UL
#define PSR_MODE_EL1T 0x4UL
#define PSR_MODE_EL1H 0x5UL
#define PSR_MODE_EL2H 0x9UL
#define PSR_F BIT(6)
#define PSR_I BIT(7)
#define PSR_A BIT(8)
#define PSR_D BIT(9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_IL BIT(20)
#define PSR_SS BIT(21)
#define PSR_PAN BIT(22)
#define PSR_SSBS BIT(12)
#define PSR_DIT BIT(24)
#define PSR_NZCV GENMASK(31, 28)

/* CNTV_CTL_EL0 */
#define CNTV_CTL_ENABLE BIT(0)

#endif
