/*
 * What an AArch64 hypervisor needs to know about a guest at AArch32 EL1
 * (HCR_EL2.RW = 0): the CPSR's layout as SPSR_EL2 holds it, the syndromes
 * of the traps only AArch32 code takes, and the three rules that trap
 * handlers apply to an AArch32 instruction (Arm ARM G1, "The AArch32
 * System Level Programmers' Model", and D17.2.37, ESR_ELx):
 *
 *   - a trapped instruction may be conditional, and a CPU may trap one
 *     whose condition fails; the handler then does nothing but step past
 *     it (aarch32_cond_passed(): the syndrome's COND, or the IT block's);
 *   - stepping past it moves the PC by the instruction's size (ESR.IL:
 *     2 or 4 bytes) and advances a Thumb IT block (aarch32_advance());
 *   - the registers the syndromes name (SRT, Rt, Rt2) are already the
 *     AArch64 view: X0-X30 as the architecture maps the AArch32 banked
 *     registers onto them, so handlers index v->regs.x directly.
 *     Only exception entry needs the map itself: aarch32_lr_index() says
 *     which X register is a mode's banked LR.
 *
 * Pure logic, inline, unit tested on the host (tests/unit/test_aarch32.c).
 */
#ifndef VIREO_ARCH_AARCH32_H
#define VIREO_ARCH_AARCH32_H

#include "arch/aarch64/sysreg.h"

/* CPSR (SPSR_EL2 from AArch32). M[4] set says AArch32. */
#define PSR_AARCH32 BIT(4)
#define PSR_T BIT(5)             /* Thumb */
#define PSR_E BIT(9)             /* big-endian data */
#define PSR_IT_LO GENMASK(26, 25) /* IT[1:0] */
#define PSR_IT_HI GENMASK(15, 10) /* IT[7:2] */
#define PSR32_SSBS BIT(23)
/* DIT is bit 24 in SPSR_EL2 (where an AArch32 SPSR has J) and bit 21 in
 * an AArch32 SPSR (where SPSR_EL2 has SS). */
#define PSR32_DIT_EL2 BIT(24)
#define PSR32_DIT BIT(21)
#define PSR_MODE32_MASK 0x1fUL
#define PSR_MODE32_USR 0x10UL
#define PSR_MODE32_FIQ 0x11UL
#define PSR_MODE32_IRQ 0x12UL
#define PSR_MODE32_SVC 0x13UL
#define PSR_MODE32_ABT 0x17UL
#define PSR_MODE32_UND 0x1bUL
#define PSR_MODE32_SYS 0x1fUL

#define SCTLR32_DSSBS BIT(31) /* CPSR.SSBS on taking an exception */

/* SCTLR at reset as an AArch32 guest first sees it: MMU, caches and
 * alignment checks off, exception vectors at VBAR, the CP15 barrier
 * instructions enabled (CP15BEN: a zImage's decompressor uses them), WFI
 * and WFE not trapped, and the RES1 bits. */
#define SCTLR32_RESET 0x00c50838UL

/* The AArch32-only exception classes. */
#define EC_CP15_32 0x03 /* MCR/MRC p15 */
#define EC_CP15_64 0x04 /* MCRR/MRRC p15 */
#define EC_CP14_32 0x05 /* MCR/MRC p14 */
#define EC_CP14_LS 0x06 /* LDC/STC p14 */
#define EC_CP10_ID 0x08 /* VMRS of an ID register (MVFR0-2, FPSID) */
#define EC_CP14_64 0x0c /* MRRC/MCRR p14 */
#define EC_HVC32 0x12
#define EC_SMC32 0x13

/* The ISS of every trap from AArch32 that can be conditional. */
#define ESR_CV BIT(24)
#define ESR_COND GENMASK(23, 20)

/* MCR/MRC (EC 0x03, 0x05) and VMRS (0x08). */
#define ESR_CP32_OPC2 GENMASK(19, 17)
#define ESR_CP32_OPC1 GENMASK(16, 14)
#define ESR_CP32_CRN GENMASK(13, 10)
#define ESR_CP_RT GENMASK(9, 5)
#define ESR_CP_CRM GENMASK(4, 1)
#define ESR_CP_READ BIT(0) /* MRC, MRRC, VMRS */
/* MCRR/MRRC (EC 0x04, 0x0c). */
#define ESR_CP64_OPC1 GENMASK(19, 16)
#define ESR_CP64_RT2 GENMASK(14, 10)

/* An MCR/MRC's identity in its syndrome, without Rt and direction: compare
 * (esr & CP32_ENC_MASK) with CP32_ENC(...). */
#define CP32_ENC(opc1, crn, crm, opc2)                                              \
	(FIELD_PREP(ESR_CP32_OPC1, opc1) | FIELD_PREP(ESR_CP32_CRN, crn) |             \
	 FIELD_PREP(ESR_CP_CRM, crm) | FIELD_PREP(ESR_CP32_OPC2, opc2))
#define CP32_ENC_MASK (ESR_CP32_OPC1 | ESR_CP32_CRN | ESR_CP_CRM | ESR_CP32_OPC2)
#define CP64_ENC(opc1, crm) (FIELD_PREP(ESR_CP64_OPC1, opc1) | FIELD_PREP(ESR_CP_CRM, crm))
#define CP64_ENC_MASK (ESR_CP64_OPC1 | ESR_CP_CRM)

/* The IT state, IT[7:0], from a CPSR. */
static inline unsigned aarch32_itstate(uint64_t cpsr)
{
	return (unsigned)(FIELD_GET(PSR_IT_HI, cpsr) << 2 | FIELD_GET(PSR_IT_LO, cpsr));
}

static inline uint64_t aarch32_set_itstate(uint64_t cpsr, unsigned it)
{
	cpsr &= ~(PSR_IT_HI | PSR_IT_LO);
	return cpsr | FIELD_PREP(PSR_IT_HI, it >> 2) | FIELD_PREP(PSR_IT_LO, it & 3);
}

/* Whether condition cond (0-15) holds for the flags in cpsr (the Arm
 * ARM's ConditionHolds()). */
static inline bool aarch32_cond_holds(unsigned cond, uint64_t cpsr)
{
	bool n = cpsr & BIT(31), z = cpsr & BIT(30), c = cpsr & BIT(29), v = cpsr & BIT(28);
	bool result;

	switch (cond >> 1) {
	case 0: result = z; break;                /* EQ / NE */
	case 1: result = c; break;                /* CS / CC */
	case 2: result = n; break;                /* MI / PL */
	case 3: result = v; break;                /* VS / VC */
	case 4: result = c && !z; break;          /* HI / LS */
	case 5: result = n == v; break;           /* GE / LT */
	case 6: result = n == v && !z; break;     /* GT / LE */
	default: return true;                     /* AL, and 0b1111 */
	}
	return (cond & 1) ? !result : result;
}

/* Whether the trapped instruction with syndrome esr, taken with CPSR cpsr,
 * passes its condition: from the syndrome when CV says it is valid, else
 * from the IT block a Thumb instruction is in (none: unconditional). */
static inline bool aarch32_cond_passed(uint64_t esr, uint64_t cpsr)
{
	unsigned cond, it;

	if (esr & ESR_CV) {
		cond = FIELD_GET(ESR_COND, esr);
	} else {
		it = aarch32_itstate(cpsr);
		if (it == 0) {
			return true;
		}
		cond = it >> 4;
	}
	return aarch32_cond_holds(cond, cpsr);
}

/* The CPSR after one instruction of an IT block (the Arm ARM's
 * ITAdvance()): the block ends after its last instruction. */
static inline uint64_t aarch32_advance(uint64_t cpsr)
{
	unsigned it = aarch32_itstate(cpsr);

	if ((it & 7) == 0) {
		it = 0;
	} else {
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	}
	return aarch32_set_itstate(cpsr, it);
}

/* A CPSR as SPSR_EL2 holds it, in the layout of an AArch32 mode's SPSR:
 * DIT moves, and SS, which AArch32 does not save, goes. */
static inline uint64_t aarch32_spsr(uint64_t cpsr)
{
	bool dit = cpsr & PSR32_DIT_EL2;

	cpsr &= ~(PSR32_DIT_EL2 | PSR32_DIT);
	return cpsr | (dit ? PSR32_DIT : 0);
}

/* The X register that holds a mode's banked LR (the Arm ARM's "Mapping
 * of AArch32 registers to AArch64"): R14_usr/sys X14, R14_irq X16,
 * R14_svc X18, R14_abt X20, R14_und X22, R14_fiq X30 (X24-X29 are
 * R8_fiq-R12_fiq and SP_fiq). */
static inline unsigned aarch32_lr_index(unsigned mode)
{
	switch (mode) {
	case PSR_MODE32_FIQ: return 30;
	case PSR_MODE32_IRQ: return 16;
	case PSR_MODE32_SVC: return 18;
	case PSR_MODE32_ABT: return 20;
	case PSR_MODE32_UND: return 22;
	default: return 14;
	}
}

#endif
