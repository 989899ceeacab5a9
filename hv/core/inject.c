/*
 * Injecting synchronous exceptions into a guest's EL1: an undefined
 * instruction, or a synchronous external abort on a data access or an
 * instruction fetch, exactly as the hardware would take them (Arm ARM
 * D1.10, "Exception entry"): ELR_EL1 gets the faulting PC, SPSR_EL1 the
 * guest's PSTATE, ESR_EL1 the syndrome (FAR_EL1 the address for aborts),
 * and the guest continues at VBAR_EL1 plus the offset for the mode it was
 * in, at EL1h with DAIF masked and the rest of PSTATE as the architecture
 * sets it on exception entry (entry_pstate()). The guest's EL1 registers
 * are wherever the mode keeps them (vmode->el1_read/el1_write).
 *
 * A guest that could not take the exception, because its vector address
 * does not translate to its memory, or because it faulted inside its own
 * vector table, would only fault again forever; these functions return
 * false instead and the caller stops the VM.
 */
#include "core/trap.h"

#include "arch/aarch64/idregs.h"
#include "core/vm.h"
#include "core/vmode.h"

#define VECTOR_TABLE_SIZE 0x800
#define PSR_AARCH32 BIT(4)

/* Offset of the synchronous vector for an exception from PSTATE's mode. */
static uint64_t sync_vector_offset(uint64_t pstate)
{
	if (pstate & PSR_AARCH32) {
		return 0x600; /* lower EL using AArch32 */
	}
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL1T:
		return 0x000; /* current EL with SP_EL0 */
	case PSR_MODE_EL1H:
		return 0x200; /* current EL with SP_ELx */
	default:
		return 0x400; /* lower EL using AArch64 */
	}
}

static bool from_el0(const struct vcpu *v)
{
	return (v->regs.pstate & PSR_MODE_MASK) == PSR_MODE_EL0T ||
	       (v->regs.pstate & PSR_AARCH32);
}

/* PSTATE on taking an exception to EL1 (the Arm ARM's
 * AArch64.TakeException()), for the features the guest is told it has:
 * the condition flags and DIT stay; PAN stays, and is set when
 * SCTLR_EL1.SPAN is 0; SSBS becomes SCTLR_EL1.DSSBS; SS, IL, UAO and
 * BTYPE clear (by not being kept); D, A, I and F set; EL1h. MTE's TCO
 * and FEAT_NMI's ALLINT would matter only for features guests do not get
 * (idregs.c). From AArch32, whose CPSR keeps DIT elsewhere, only the
 * flags and PAN carry over. */
static uint64_t entry_pstate(const struct vcpu *v)
{
	uint64_t old = v->regs.pstate, sctlr = vmode->el1_read(v, EL1_SCTLR);
	uint64_t pstate = old & (PSR_NZCV | PSR_PAN | ((old & PSR_AARCH32) ? 0 : PSR_DIT));

	if (FIELD_GET(MMFR1_PAN, id_reg_read(7, 1)) && !(sctlr & SCTLR_SPAN)) {
		pstate |= PSR_PAN;
	}
	if (FIELD_GET(PFR1_SSBS, id_reg_read(4, 1)) && (sctlr & SCTLR_DSSBS)) {
		pstate |= PSR_SSBS;
	}
	return pstate | PSR_DAIF | PSR_MODE_EL1H;
}

static bool inject_sync(struct vcpu *v, uint64_t esr, bool has_far, uint64_t far)
{
	uint64_t vbar = vmode->el1_read(v, EL1_VBAR);
	uint64_t target = vbar + sync_vector_offset(v->regs.pstate);
	ipaddr_t vector;

	if (v->regs.pc - vbar < VECTOR_TABLE_SIZE || !vmode->va_to_ipa(v, gva(target), &vector) ||
	    !vm_ram_ptr(v->vm, vector, 4)) {
		return false;
	}
	vmode->el1_write(v, EL1_ELR, v->regs.pc);
	vmode->el1_write(v, EL1_SPSR, v->regs.pstate);
	vmode->el1_write(v, EL1_ESR, esr);
	if (has_far) {
		vmode->el1_write(v, EL1_FAR, far);
	}
	v->regs.pstate = entry_pstate(v);
	v->regs.pc = target;
	return true;
}

bool inject_undef(struct vcpu *v)
{
	return inject_sync(v, FIELD_PREP(ESR_EC, EC_UNKNOWN) | ESR_IL, false, 0);
}

bool inject_brk(struct vcpu *v)
{
	/* BRK's syndrome (EC 0x3c, its immediate) reads the same at EL1. */
	return inject_sync(v, v->trap.esr, false, 0);
}

bool inject_abort(struct vcpu *v, bool instruction, uint64_t far)
{
	uint64_t ec;
	uint64_t esr;

	if (instruction) {
		ec = from_el0(v) ? EC_IABT_LOW : EC_IABT_CUR;
	} else {
		ec = from_el0(v) ? EC_DABT_LOW : EC_DABT_CUR;
	}
	esr = FIELD_PREP(ESR_EC, ec) | ESR_IL | FSC_SEA;
	if (!instruction) {
		esr |= v->trap.esr & ESR_DABT_WNR;
	}
	return inject_sync(v, esr, true, far);
}
