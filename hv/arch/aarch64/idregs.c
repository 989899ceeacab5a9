/*
 * The ID registers a guest reads: the hardware's, less the features Vireo
 * does not give VMs.
 *
 * HCR_EL2.TID3 traps EL1 reads of the feature ID space (op0 3, op1 0,
 * CRn 0, CRm 1-7) to trap_sysreg.c, which answers with id_reg_read(): the
 * value the CPU reports to EL2, with these fields cleared, because Vireo
 * does not switch their state between VMs (a guest that saw them would use
 * registers another VM then finds changed, or trap on every use):
 *   - SVE and SME (ID_AA64PFR0.SVE, ID_AA64PFR1.SME, ID_AA64ZFR0,
 *     ID_AA64SMFR0): their vector and ZA state is not saved;
 *   - pointer authentication (ID_AA64ISAR1.APA/API/GPA/GPI,
 *     ID_AA64ISAR2.APA3/GPA3): its keys are not saved; a guest that does
 *     not enable it runs its hint-space PAC instructions as NOPs;
 *   - MTE (ID_AA64PFR1.MTE): VMs have no tag memory.
 * Everything else, including unallocated encodings (which read as zero),
 * passes through unchanged.
 */
#include "arch/aarch64/idregs.h"

#include "arch/aarch64/sysreg.h"

#define ID_AA64PFR0 ID_REG(4, 0)
#define ID_AA64PFR1 ID_REG(4, 1)
#define ID_AA64ZFR0 ID_REG(4, 4)
#define ID_AA64SMFR0 ID_REG(4, 5)
#define ID_AA64ISAR1 ID_REG(6, 1)
#define ID_AA64ISAR2 ID_REG(6, 2)

#define PFR0_SVE GENMASK(35, 32)
#define PFR1_MTE GENMASK(11, 8)
#define PFR1_SME GENMASK(27, 24)
#define ISAR1_APA GENMASK(7, 4)
#define ISAR1_API GENMASK(11, 8)
#define ISAR1_GPA GENMASK(27, 24)
#define ISAR1_GPI GENMASK(31, 28)
#define ISAR2_GPA3 GENMASK(11, 8)
#define ISAR2_APA3 GENMASK(15, 12)

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

uint64_t id_reg_read(unsigned crm, unsigned op2)
{
	unsigned reg = ID_REG(crm, op2);
	uint64_t v = hardware_value(reg);

	switch (reg) {
	case ID_AA64PFR0:
		return v & ~PFR0_SVE;
	case ID_AA64PFR1:
		return v & ~(PFR1_SME | PFR1_MTE);
	case ID_AA64ZFR0:
	case ID_AA64SMFR0:
		return 0;
	case ID_AA64ISAR1:
		return v & ~(ISAR1_APA | ISAR1_API | ISAR1_GPA | ISAR1_GPI);
	case ID_AA64ISAR2:
		return v & ~(ISAR2_APA3 | ISAR2_GPA3);
	default:
		return v;
	}
}
