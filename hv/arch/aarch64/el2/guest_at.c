/*
 * Translating a guest's virtual addresses with the hardware's own walker.
 *
 * Vireo needs a guest address translated in three places: to read the
 * instruction that faulted when ESR_EL2 does not describe the access, to
 * find the faulting IPA when HPFAR_EL2 is not valid (a permission fault,
 * as the KVM/ARM world-switch notes describe), and to check that a guest's
 * exception vector is mapped before sending it there. The AT instructions
 * walk the loaded vCPU's stage-1 tables (and, for S12, stage 2), so these
 * only work while the vCPU is loaded on this CPU, i.e. in trap handlers.
 * AT writes PAR_EL1, a guest register, so its value is kept around it.
 */
#include "core/trap.h"

static bool at_translate(uint64_t va, bool both_stages, uint64_t *out)
{
	uint64_t saved = read_sysreg(par_el1);
	uint64_t par;

	if (both_stages) {
		__asm__ volatile("at s12e1r, %0" : : "r"(va));
	} else {
		__asm__ volatile("at s1e1r, %0" : : "r"(va));
	}
	isb(); /* PAR_EL1 is only valid after the AT completes (D7.7, AT). */
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & PAR_F) {
		return false;
	}
	*out = (par & PAR_PA) | (va & (PAGE_SIZE - 1));
	return true;
}

bool guest_va_to_pa(uint64_t va, paddr_t *out)
{
	uint64_t a;

	if (!at_translate(va, true, &a)) {
		return false;
	}
	*out = pa(a);
	return true;
}

bool guest_va_to_ipa(uint64_t va, ipaddr_t *out)
{
	uint64_t a;

	if (!at_translate(va, false, &a)) {
		return false;
	}
	*out = ipa(a);
	return true;
}
