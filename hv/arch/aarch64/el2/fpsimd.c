/*
 * Lazy FP/SIMD switching (the KVM/ARM world-switch seed's scheme).
 *
 * The FP/SIMD registers are large and most traps never touch them, so the
 * world switch does not move them. Each CPU remembers which vCPU's values
 * the registers hold (pcpu->fp_owner). A vCPU that is not the owner runs
 * with CPTR_EL2.TFP set; its first FP/SIMD instruction traps here (EC
 * 0x07, caught in switch.c before the core sees it), we save the owner's registers into the owner, load this vCPU's,
 * make it the owner and clear the trap. A vCPU that keeps running on its
 * CPU pays for its FP state once.
 *
 * A vCPU's registers can be in the hardware of its home CPU only, so that
 * CPU alone may forget them: a reset (fpsimd_discard()) is done there,
 * between turns (core/vcpu.c's requests). Done anywhere else it would
 * leave the home CPU believing the registers it holds are the vCPU's,
 * and the vCPU would find its old values again (issue 14).
 *
 * Vireo is built with -mgeneral-regs-only, so its own code never touches
 * these registers, except libfdt (compiled by Debian with FP/SIMD), which
 * runs only at boot and VM construction, before any guest has run.
 */
#include "arch/aarch64/el2/fpsimd.h"
#include "arch/aarch64/el2/hyp_regs.h"
#include "core/panic.h"

uint64_t fpsimd_cptr_for(const struct vcpu *v)
{
	uint64_t cptr = CPTR_EL2_RES1 | CPTR_TTA;

	return this_cpu()->fp_owner == v ? cptr : cptr | CPTR_TFP;
}

/* Lets EL2 itself use the registers (CPTR_EL2.TFP traps EL2 too). */
static void enable_at_el2(void)
{
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TTA);
	isb();
}

void fpsimd_release(void)
{
	struct pcpu *cpu = this_cpu();

	enable_at_el2();
	if (cpu->fp_owner) {
		fpsimd_save(&cpu->fp_owner->fp);
		cpu->fp_owner = NULL;
	}
}

void fpsimd_discard(struct vcpu *v)
{
	struct pcpu *home = v->home;

	/* Its home CPU's fp_owner is that CPU's alone to change. */
	CHECK(home == this_cpu());
	if (home->fp_owner == v) {
		home->fp_owner = NULL;
	}
}

void fpsimd_switch_to(struct vcpu *v)
{
	fpsimd_release();
	fpsimd_restore(&v->fp);
	this_cpu()->fp_owner = v;
	/* CPTR_EL2 was left without TFP by fpsimd_release(): v runs freely. */
}
