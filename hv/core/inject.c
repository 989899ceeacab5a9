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
 * An AArch32 VM's EL1 takes them its own way (inject32(): Arm ARM G1.12,
 * AArch32.EnterMode()): an undefined instruction in Undefined mode at
 * vector 0x04, a prefetch abort at 0x0c and a data abort at 0x10 in Abort
 * mode, from the vector base that SCTLR.V picks (VBAR or 0xffff0000);
 * the mode's LR gets the return address plus 4 or 2 (the instruction
 * set's offset for an undefined instruction), 4 (prefetch) or 8 (data),
 * its SPSR the CPSR; the fault status goes in DFSR or IFSR, in the
 * short- or long-descriptor format TTBCR.EAE chooses, and the address in
 * DFAR or IFAR, the low and high halves of FAR_EL1.
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
#define VECTOR_TABLE32_SIZE 0x20
#define SCTLR32_V BIT(13)  /* vectors at 0xffff0000 */
#define SCTLR32_TE BIT(30) /* exceptions taken in Thumb state */
#define TTBCR_EAE BIT(31)  /* the long-descriptor translation format */
#define FSR_LPAE BIT(9)    /* the long-descriptor fault status format */
#define FSR_WNR BIT(11)
#define FSR_EXT_ABORT 0x008     /* synchronous external abort, short format */
#define FSR_EXT_ABORT_LPAE 0x10 /* the same, long format (STATUS) */

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

/* What PAN and SSBS become on taking an exception to EL1, in either
 * state, for the features the guest is told it has: PAN set when
 * SCTLR.SPAN is 0 (it is kept otherwise, by the caller); SSBS (at bit
 * ssbs of the state's PSR) as SCTLR's DSSBS bit (dssbs) says. */
static uint64_t entry_pan_ssbs(uint64_t sctlr, uint64_t dssbs, uint64_t ssbs)
{
	uint64_t set = 0;

	if (FIELD_GET(MMFR1_PAN, id_reg_read(7, 1)) && !(sctlr & SCTLR_SPAN)) {
		set |= PSR_PAN;
	}
	if (FIELD_GET(PFR1_SSBS, id_reg_read(4, 1)) && (sctlr & dssbs)) {
		set |= ssbs;
	}
	return set;
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

	pstate |= entry_pan_ssbs(sctlr, SCTLR_DSSBS, PSR_SSBS);
	return pstate | PSR_DAIF | PSR_MODE_EL1H;
}

/* Where an AArch32 exception of one kind goes, and what it records. */
struct entry32 {
	unsigned mode;       /* PSR_MODE32_UND or _ABT */
	unsigned vector;     /* its offset in the table */
	unsigned lr_offset;  /* the return address plus this goes in LR */
	enum el1_reg spsr;   /* the mode's SPSR */
};

/* CPSR on taking an exception to an AArch32 EL1 mode (AArch32.EnterMode()),
 * as SPSR_EL2 holds it: the flags, Q, GE, DIT, A and F kept; IT, SS and IL
 * clear; T becomes SCTLR.TE and E SCTLR.EE; I set, A too for Abort mode.
 * PAN and SSBS follow SCTLR.SPAN and DSSBS as at AArch64 (entry_pstate()). */
static uint64_t entry_cpsr(const struct vcpu *v, unsigned mode)
{
	uint64_t sctlr = vmode->el1_read(v, EL1_SCTLR);
	uint64_t cpsr = v->regs.pstate & ~(PSR_MODE32_MASK | PSR_IT_HI | PSR_IT_LO | PSR_T |
					   PSR_E | PSR_SS | PSR_IL | PSR32_SSBS);

	cpsr |= mode | PSR_AARCH32 | PSR_I | (mode == PSR_MODE32_ABT ? PSR_A : 0);
	cpsr |= (sctlr & SCTLR32_TE) ? PSR_T : 0;
	cpsr |= (sctlr & SCTLR_EE) ? PSR_E : 0;
	return cpsr | entry_pan_ssbs(sctlr, SCTLR32_DSSBS, PSR32_SSBS);
}

static bool inject32(struct vcpu *v, const struct entry32 *e)
{
	uint64_t sctlr = vmode->el1_read(v, EL1_SCTLR);
	uint32_t base = (sctlr & SCTLR32_V) ? 0xffff0000U : (uint32_t)vmode->el1_read(v, EL1_VBAR);
	uint64_t target = (uint32_t)(base + e->vector);
	ipaddr_t vector;

	if (v->regs.pc - base < VECTOR_TABLE32_SIZE ||
	    !vmode->va_to_ipa(v, gva(target), &vector) || !vm_ram_ptr(v->vm, vector, 4)) {
		return false;
	}
	vmode->el1_write(v, e->spsr, aarch32_spsr(v->regs.pstate));
	v->regs.x[aarch32_lr_index(e->mode)] = (uint32_t)(v->regs.pc + e->lr_offset);
	v->regs.pstate = entry_cpsr(v, e->mode);
	v->regs.pc = target;
	return true;
}

/* The fault status of a synchronous external abort, in the guest's format. */
static uint64_t external_abort_fsr(const struct vcpu *v)
{
	if (vmode->el1_read(v, EL1_TCR) & TTBCR_EAE) {
		return FSR_LPAE | FSR_EXT_ABORT_LPAE;
	}
	return FSR_EXT_ABORT;
}

static bool inject_abort32(struct vcpu *v, bool instruction, uint64_t far)
{
	static const struct entry32 pabt = { PSR_MODE32_ABT, 0x0c, 4, EL1_SPSR_ABT };
	static const struct entry32 dabt = { PSR_MODE32_ABT, 0x10, 8, EL1_SPSR_ABT };
	uint64_t fsr = external_abort_fsr(v), far_el1 = vmode->el1_read(v, EL1_FAR);

	if (!inject32(v, instruction ? &pabt : &dabt)) {
		return false;
	}
	if (instruction) {
		vmode->el1_write(v, EL1_IFSR, fsr);
		vmode->el1_write(v, EL1_FAR, (far_el1 & 0xffffffffUL) | (far << 32));
	} else {
		vmode->el1_write(v, EL1_ESR, fsr | ((v->trap.esr & ESR_DABT_WNR) ? FSR_WNR : 0));
		vmode->el1_write(v, EL1_FAR, (far_el1 & ~0xffffffffUL) | (uint32_t)far);
	}
	return true;
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
	if (v->vm->aarch32) {
		struct entry32 und = { PSR_MODE32_UND, 0x04, (v->regs.pstate & PSR_T) ? 2 : 4,
				       EL1_SPSR_UND };

		return inject32(v, &und);
	}
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

	if (v->vm->aarch32) {
		return inject_abort32(v, instruction, far);
	}
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
