/*
 * A guest's addresses, translated as its own MMU translates them.
 *
 * The core needs a guest address translated in three places: to read the
 * instruction that faulted when the syndrome does not describe the access,
 * to find the faulting IPA of an abort, and to check that a guest's
 * exception vector is mapped before sending it there. For an abort,
 * HPFAR_EL2 gives the IPA's page when the fault was on the stage-2 walk;
 * for a permission fault it does not, and the hardware walks the guest's
 * stage 1 again with AT S1E1R, as the KVM/ARM world-switch notes describe.
 * AT walks the loaded vCPU's tables, so these work only while the vCPU is
 * loaded on this CPU, i.e. in trap handlers. AT writes PAR_EL1, a guest
 * register, so its value is kept around it.
 */
#include "arch/aarch64/el2/el2.h"

/* HPFAR_EL2: faulting IPA[47:12] in bits [43:4]; NS and others above. */
#define HPFAR_FIPA GENMASK(43, 4)

bool el2_va_to_ipa(const struct vcpu *v, gvaddr_t va, ipaddr_t *out)
{
	uint64_t saved = read_sysreg(par_el1);
	uint64_t par;

	__asm__ volatile("at s1e1r, %0" : : "r"(gva_addr(va)));
	isb(); /* PAR_EL1 is only valid after the AT completes (D7.7, AT). */
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & PAR_F) {
		return false;
	}
	*out = ipa((par & PAR_PA) | (gva_addr(va) & (PAGE_SIZE - 1)));
	return true;
}

static bool hpfar_valid(uint64_t esr)
{
	uint64_t type = FIELD_GET(FSC_TYPE, FIELD_GET(ESR_ABT_FSC, esr));

	/* HPFAR_EL2 holds the IPA for translation, access flag and address
	 * size faults, and for any fault on a stage-1 table walk. */
	return (esr & ESR_ABT_S1PTW) || type == FSC_TYPE_TRANS || type == FSC_TYPE_ACCESS ||
	       type == 0;
}

bool el2_fault_ipa(const struct vcpu *v, ipaddr_t *out)
{
	uint64_t page_offset = v->trap.far & (PAGE_SIZE - 1);

	if (hpfar_valid(v->trap.esr)) {
		*out = ipa((FIELD_GET(HPFAR_FIPA, v->trap.fault_page) << PAGE_SHIFT) | page_offset);
		return true;
	}
	/* False if another CPU changed the guest's tables under us. */
	return el2_va_to_ipa(v, gva(v->trap.far), out);
}
