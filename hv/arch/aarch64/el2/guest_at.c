/*
 * A guest's addresses, translated as its own MMU translates them.
 *
 * The core needs a guest address translated in three places: to read the
 * instruction that faulted when the syndrome does not describe the access,
 * to find the faulting IPA of an abort, and to check that a guest's
 * exception vector is mapped before sending it there. For an abort,
 * HPFAR_EL2 gives the IPA's page when the fault was on the stage-2 walk
 * (el2_abort_ipa() in el2.h, at every abort exit); for a permission fault
 * it does not, and the core asks for the FAR here: the hardware walks the
 * guest's stage 1 again with AT S1E1R, as the KVM/ARM world-switch notes
 * describe.
 * AT walks the loaded vCPU's tables, so these work only while the vCPU is
 * loaded on this CPU, i.e. in trap handlers. AT writes PAR_EL1, a guest
 * register, so its value is kept around it.
 */
#include "arch/aarch64/el2/el2.h"

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


