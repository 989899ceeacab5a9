/*
 * The ID registers a guest reads: an allow-list of the hardware's fields.
 *
 * HCR_EL2.TID3 traps EL1 reads of the feature ID space (op0 3, op1 0,
 * CRn 0, CRm 1-7) to trap_sysreg.c, which answers with id_reg_read(): of
 * the value the CPU reports, only the fields listed in allowed[] below,
 * and zero in every other field and register. A new architecture feature
 * is thus hidden from guests until someone decides Vireo supports it (its
 * fields read 0, "not implemented", by the Arm ARM's rule for new ID
 * fields), instead of being handed to them the day a CPU has it.
 *
 * A field is allowed when a VM can use the feature safely and correctly:
 * instruction-set features and properties of the CPU's pipeline need no
 * state; features whose state Vireo switches with the vCPU (FP/SIMD and
 * SVE, el2/fpsimd.c; the EL1 registers in switch.c) work. Hidden, because their state is not
 * switched between VMs or they belong to a level a VM does not have:
 *   - SME (PFR1.SME, SMFR0): its ZA state and streaming mode;
 *   - pointer authentication (ISAR1.APA/API/GPA/GPI, ISAR2.APA3/GPA3,
 *     PAC_frac): its keys;
 *   - MTE (PFR1.MTE): VMs have no tag memory;
 *   - RAS, AMU, MPAM, SPE, the trace unit and buffer, BRBE, LORegions:
 *     their registers are shared by every VM on a CPU;
 *   - EL2 and EL3, and what only they use (PFR0.EL2/EL3/SEL2/RME, VH,
 *     VMIDBits, NV, FWB, EVT, FGT, ECV, HCX, TWED, XNX): a VM's highest
 *     level is EL1;
 *   - WFE/WFI with a timeout (ISAR2.WFxT), MOPS, LS64: not emulated;
 *   - TCR2/SCTLR2 and later (MMFR3, MMFR4): registers not switched.
 * The PMU (DFR0.PMUVer) is shown only once the mode says it virtualizes
 * it, overflow interrupt included (id_reg_show_pmu(), from irq.c), and at
 * most as PMUv3p5, the version el2/vpmu.c emulates; an IMPLEMENTATION
 * DEFINED PMU is never shown.
 * Self-hosted debug (DebugVer, BRPs, WRPs, CTX_CMPs) is the CPU's: its
 * registers are switched per vCPU (el2/debug.c), and context-aware
 * breakpoints compare CONTEXTIDR_EL1, which is the vCPU's own. The OS
 * double lock is not given (DoubleLock reads 0b1111, "not implemented",
 * the one field whose absence is not 0: forced()). The AArch32 ID registers (CRm 1-3)
 * describe the CPU's AArch32 state for 32-bit EL0, and pass through.
 *
 * An AArch32 VM reads the AArch32 ID registers at its own EL1, through
 * id_reg_read_aarch32() and allowed32[]: the instruction sets, the memory
 * model and the timer pass; gone are the Security and Virtualization
 * Extensions (its highest level is EL1, Non-secure), the debug and PMU
 * fields of ID_DFR0/ID_DFR1 (AArch32 debug over CP14 and the PMU over
 * CP15 c9 are not virtualized: their accesses are undefined), RAS and
 * AMU, and ID_MMFR4/5 (stage-2 and trap controls that belong to EL2).
 */
#include "arch/aarch64/idregs.h"

#include "arch/aarch64/pmu.h"
#include "arch/aarch64/sysreg.h"

static unsigned pmu_version; /* DFR0.PMUVer as guests see it, 0: hidden */

/* What each AArch64 feature register keeps; registers not listed (and
 * unallocated encodings) read as zero. */
static const struct {
	unsigned reg;
	uint64_t fields;
} allowed[] = {
	/* ID_AA64PFR0: EL0, EL1, FP, AdvSIMD, GIC, SVE, DIT, CSV2, CSV3. */
	{ ID_REG(4, 0), GENMASK(7, 0) | GENMASK(27, 16) | GENMASK(35, 32) | GENMASK(51, 48) |
				GENMASK(63, 56) },
	/* ID_AA64ZFR0: every field (SVE's instructions: SVE2, AES, BF16, ...). */
	{ ID_REG(4, 4), ~0UL },
	/* ID_AA64PFR1: BT, SSBS, CSV2_frac. */
	{ ID_REG(4, 1), GENMASK(7, 0) | GENMASK(35, 32) },
	/* ID_AA64DFR0: DebugVer, BRPs, WRPs, CTX_CMPs; DoubleLock 0b1111. */
	{ ID_REG(5, 0), GENMASK(3, 0) | GENMASK(15, 12) | GENMASK(23, 20) | GENMASK(31, 28) },
	/* ID_AA64ISAR0: every field (AES to RNDR: instructions only). */
	{ ID_REG(6, 0), ~0UL },
	/* ID_AA64ISAR1: DPB, JSCVT, FCMA, LRCPC, FRINTTS, SB, SPECRES, BF16,
	 * DGH, I8MM, XS. */
	{ ID_REG(6, 1), GENMASK(3, 0) | GENMASK(23, 12) | GENMASK(59, 32) },
	/* ID_AA64ISAR2: RPRES, BC, CLRBHB. */
	{ ID_REG(6, 2), GENMASK(7, 4) | GENMASK(23, 20) | GENMASK(31, 28) },
	/* ID_AA64MMFR0: PARange (the VM's IPA size is the host's), ASIDBits,
	 * BigEnd, SNSMem, BigEndEL0, the granules, ExS. */
	{ ID_REG(7, 0), GENMASK(47, 0) },
	/* ID_AA64MMFR1: HAFDBS, HPDS, PAN, SpecSEI, ETS, AFP, nTLBPA, CMOW,
	 * ECBHB (not LO: the LORegion registers are not switched). */
	{ ID_REG(7, 1), GENMASK(3, 0) | GENMASK(15, 12) | GENMASK(27, 20) | GENMASK(39, 36) |
				GENMASK(51, 44) | GENMASK(63, 56) },
	/* ID_AA64MMFR2: CnP, UAO, LSM, IESB, VARange, CCIDX, ST, AT, IDS, TTL,
	 * BBM, E0PD. */
	{ ID_REG(7, 2), GENMASK(23, 0) | GENMASK(39, 28) | GENMASK(55, 48) | GENMASK(63, 60) },
};

/* What an AArch32 VM's EL1 sees of the AArch32 ID registers. */
static const struct {
	unsigned reg;
	uint64_t fields;
} allowed32[] = {
	/* ID_PFR0: State0-3 (A32, T32, Jazelle, T32EE), CSV2, DIT. */
	{ ID_REG(1, 0), GENMASK(19, 0) | GENMASK(27, 24) },
	/* ID_PFR1: ProgMod, MProgMod, GenTimer, GIC. */
	{ ID_REG(1, 1), GENMASK(3, 0) | GENMASK(11, 8) | GENMASK(19, 16) | GENMASK(31, 28) },
	/* ID_MMFR0-3, ID_ISAR0-6, MVFR0-2: every field. */
	{ ID_REG(1, 4), ~0UL }, { ID_REG(1, 5), ~0UL }, { ID_REG(1, 6), ~0UL },
	{ ID_REG(1, 7), ~0UL },
	{ ID_REG(2, 0), ~0UL }, { ID_REG(2, 1), ~0UL }, { ID_REG(2, 2), ~0UL },
	{ ID_REG(2, 3), ~0UL }, { ID_REG(2, 4), ~0UL }, { ID_REG(2, 5), ~0UL },
	{ ID_REG(2, 7), ~0UL },
	{ ID_REG(3, 0), ~0UL }, { ID_REG(3, 1), ~0UL }, { ID_REG(3, 2), ~0UL },
	/* ID_PFR2: CSV3, SSBS. */
	{ ID_REG(3, 4), GENMASK(7, 0) },
};

/* Each ID register is its own MRS encoding: 7 x 8 of them. */
#define CASE(crm, op2)                                                    \
	case ID_REG(crm, op2):                                            \
		return read_sysreg(s3_0_c0_c##crm##_##op2)
#define CASES(crm)                                                        \
	CASE(crm, 0); CASE(crm, 1); CASE(crm, 2); CASE(crm, 3);           \
	CASE(crm, 4); CASE(crm, 5); CASE(crm, 6); CASE(crm, 7)

static uint64_t hardware_value(unsigned reg)
{
	switch (reg) {
		CASES(1); CASES(2); CASES(3); CASES(4); CASES(5); CASES(6); CASES(7);
	}
	return 0;
}

/* Fields whose value is set whatever the CPU says: ID_AA64DFR0.DoubleLock,
 * whose "not implemented" is 0b1111, and PMUVer, the PMU the mode shows. */
static uint64_t forced(unsigned reg)
{
	return reg == ID_REG(5, 0) ? GENMASK(39, 36) | FIELD_PREP(DFR0_PMUVER, pmu_version) : 0;
}

void id_reg_show_pmu(void)
{
	unsigned host = FIELD_GET(DFR0_PMUVER, read_sysreg(id_aa64dfr0_el1));

	pmu_version = host == PMUVER_IMPDEF ? 0 : host < PMUVER_V3P5 ? host : PMUVER_V3P5;
}

unsigned id_pmu_version(void)
{
	return pmu_version;
}

uint64_t id_reg_read(unsigned crm, unsigned op2)
{
	unsigned reg = ID_REG(crm, op2), i;

	if (crm <= 3) {
		return hardware_value(reg); /* AArch32's, as the CPU has them */
	}
	for (i = 0; i < ARRAY_SIZE(allowed); i++) {
		if (allowed[i].reg == reg) {
			return (hardware_value(reg) & allowed[i].fields) | forced(reg);
		}
	}
	return 0;
}

uint64_t id_reg_read_aarch32(unsigned crm, unsigned op2)
{
	unsigned reg = ID_REG(crm, op2), i;

	for (i = 0; i < ARRAY_SIZE(allowed32); i++) {
		if (allowed32[i].reg == reg) {
			return (uint32_t)(hardware_value(reg) & allowed32[i].fields);
		}
	}
	return 0;
}

bool id_aarch32_el1(void)
{
	return FIELD_GET(PFR0_EL1, read_sysreg(id_aa64pfr0_el1)) == PFR0_EL1_AARCH32;
}
