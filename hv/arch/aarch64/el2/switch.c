/*
 * The world switch: moving a vCPU's state into this CPU and out again,
 * and entering it.
 *
 * Vireo is a type-1 hypervisor: nothing but guests runs at EL1, so a
 * vCPU's EL1 registers need to move only when a CPU changes which vCPU it
 * runs, not on every trap. el2_vcpu_load() puts a vCPU's state and its
 * VM's controls into the hardware, el2_vcpu_put() takes the state back
 * out, in exactly the reverse order; between the two, el2_run() enters
 * the guest (vectors.S saves and restores only the general registers) and
 * hands each exit to the core, with the vCPU's pending interrupts in the
 * list registers at every entry.
 *
 * What a guest can change at EL1 and EL0, and so what load/put move:
 * SCTLR, CPACR, TTBR0/1, TCR, MAIR, AMAIR, VBAR, CONTEXTIDR, the TPIDRs,
 * CSSELR, ESR, FAR, AFSR0/1, PAR, SP_EL1, ELR_EL1, SPSR_EL1, CNTKCTL and
 * the virtual timer (CNTV_CTL, CNTV_CVAL); for an AArch32 VM also the
 * registers only AArch32 has (DACR32, IFSR32, FPEXC32, SPSR_abt/und/irq/
 * fiq: the banked R13 and R14 are X registers). FP/SIMD and SVE move lazily
 * (fpsimd.c), and so do the self-hosted debug registers (debug.c): their
 * traps are handled here and never reach the core. The PMU's counters
 * move only for a vCPU that has used them (vpmu.c), and stop while it is
 * out. What
 * the guest must not change is Vireo's at EL2 and reloaded per vCPU:
 * HCR_EL2, VTTBR/VTCR (its VM's stage 2 and VMID), VMPIDR/VPIDR (the
 * identity it reads in MPIDR/MIDR), CNTVOFF, CPTR and CNTHCTL.
 */
#include "arch/aarch64/el2/debug.h"
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/fpsimd.h"
#include "arch/aarch64/el2/hyp_regs.h"
#include "arch/aarch64/el2/last_ran.h"
#include "arch/aarch64/el2/vgic_hw.h"
#include "arch/aarch64/el2/vpmu.h"
#include "core/exit.h"
#include "core/irq.h"
#include "core/trap.h"

/* Traps and routing for every guest (D19.2.48, HCR_EL2):
 * VM: stage 2 on; SWIO: set/way cache ops become clean+invalidate;
 * FMO/IMO/AMO: physical FIQ, IRQ, SError go to EL2; FB/BSU: TLB and cache
 * maintenance is broadcast inner-shareable, so a vCPU that moves between
 * CPUs finds no stale entries; TSC: SMC traps (guests never reach firmware);
 * TIDCP/TACR: implementation-defined and auxiliary registers trap;
 * TID3: feature ID registers trap, so VMs see only what Vireo supports;
 * RW: EL1 is AArch64, unless the VM is AArch32. With a GIC to wake it,
 * TWI: WFI traps, so a waiting vCPU sleeps in Vireo (trap_wfx.c) until it
 * has an interrupt to take. */
#define GUEST_HCR                                                                    \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS |     \
	 HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TID3)

void el2_vcpu_reset(struct vcpu *v)
{
	fpsimd_discard(v);
}

static void sysregs_restore(const struct el1_sysregs *s)
{
	write_sysreg(sctlr_el1, s->sctlr);
	write_sysreg(cpacr_el1, s->cpacr);
	write_sysreg(ttbr0_el1, s->ttbr0);
	write_sysreg(ttbr1_el1, s->ttbr1);
	write_sysreg(tcr_el1, s->tcr);
	write_sysreg(mair_el1, s->mair);
	write_sysreg(amair_el1, s->amair);
	write_sysreg(vbar_el1, s->vbar);
	write_sysreg(contextidr_el1, s->contextidr);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(csselr_el1, s->csselr);
	write_sysreg(esr_el1, s->esr);
	write_sysreg(far_el1, s->far);
	write_sysreg(afsr0_el1, s->afsr0);
	write_sysreg(afsr1_el1, s->afsr1);
	write_sysreg(par_el1, s->par);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(cntkctl_el1, s->cntkctl);
	write_sysreg(cntv_cval_el0, s->cntv_cval);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl);
}

static void sysregs_save(struct el1_sysregs *s)
{
	s->sctlr = read_sysreg(sctlr_el1);
	s->cpacr = read_sysreg(cpacr_el1);
	s->ttbr0 = read_sysreg(ttbr0_el1);
	s->ttbr1 = read_sysreg(ttbr1_el1);
	s->tcr = read_sysreg(tcr_el1);
	s->mair = read_sysreg(mair_el1);
	s->amair = read_sysreg(amair_el1);
	s->vbar = read_sysreg(vbar_el1);
	s->contextidr = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->csselr = read_sysreg(csselr_el1);
	s->esr = read_sysreg(esr_el1);
	s->far = read_sysreg(far_el1);
	s->afsr0 = read_sysreg(afsr0_el1);
	s->afsr1 = read_sysreg(afsr1_el1);
	s->par = read_sysreg(par_el1);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->cntkctl = read_sysreg(cntkctl_el1);
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	s->cntv_cval = read_sysreg(cntv_cval_el0);
}

/* An AArch32 EL1's own registers. FPEXC32_EL2 is an FP register to
 * CPTR_EL2.TFP, even at EL2: both functions leave CPTR_EL2 trapping
 * nothing, for el2_vcpu_load() to set after. */
static void aarch32_restore(const struct aarch32_sysregs *s)
{
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	isb();
	write_sysreg(fpexc32_el2, s->fpexc32);
	write_sysreg(dacr32_el2, s->dacr32);
	write_sysreg(ifsr32_el2, s->ifsr32);
	write_sysreg(spsr_abt, s->spsr_abt);
	write_sysreg(spsr_und, s->spsr_und);
	write_sysreg(spsr_irq, s->spsr_irq);
	write_sysreg(spsr_fiq, s->spsr_fiq);
}

static void aarch32_save(struct aarch32_sysregs *s)
{
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	isb();
	s->fpexc32 = read_sysreg(fpexc32_el2);
	s->dacr32 = read_sysreg(dacr32_el2);
	s->ifsr32 = read_sysreg(ifsr32_el2);
	s->spsr_abt = read_sysreg(spsr_abt);
	s->spsr_und = read_sysreg(spsr_und);
	s->spsr_irq = read_sysreg(spsr_irq);
	s->spsr_fiq = read_sysreg(spsr_fiq);
}

void el2_vcpu_load(struct vcpu *v)
{
	struct pcpu *cpu = this_cpu();
	const struct stage2 *s2 = &v->vm->space->s2;

	cpu->loaded = v;
	cpu->guest_regs = &v->regs;
	write_sysreg(vttbr_el2, stage2_vttbr(s2));
	write_sysreg(vtcr_el2, s2->vtcr);
	write_sysreg(hcr_el2, GUEST_HCR | (v->vm->has_gic ? HCR_TWI : 0) |
				      (v->vm->aarch32 ? 0 : HCR_RW));
	write_sysreg(vmpidr_el2, v->vmpidr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cntvoff_el2, v->vm->cntvoff);
	/* The guest reads the physical counter but its physical timer traps. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	if (v->vm->aarch32) {
		aarch32_restore(&v->sys32);
	}
	write_sysreg(cptr_el2, fpsimd_cptr_for(v));
	/* The EL1 registers below belong to the new VMID's context. */
	isb();
	/* Another vCPU of this VM ran here last: its stage-1 entries, tagged
	 * with the same VMID, must not serve this one (last_ran.h). */
	if (last_ran_changed(v->vm->space->last_ran, cpu->id, v->id)) {
		__asm__ volatile("tlbi vmalle1\n\tic iallu" ::: "memory");
		dsb(nsh);
		isb();
	}
	sysregs_restore(&v->sys);
	debug_vcpu_load(v);
	if (v->vm->has_gic) {
		vgic_hw_load(v);
	}
	vpmu_load(v);
	isb();
}

void el2_vcpu_put(struct vcpu *v)
{
	struct pcpu *cpu = this_cpu();

	vpmu_put(v);
	sysregs_save(&v->sys);
	if (v->vm->aarch32) {
		aarch32_save(&v->sys32);
	}
	/* A descheduled vCPU's timer must not fire on this CPU. */
	write_sysreg(cntv_ctl_el0, 0);
	if (v->vm->has_gic) {
		vgic_hw_put(v);
	}
	debug_vcpu_put(v);
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	cpu->guest_regs = NULL;
	cpu->loaded = NULL;
}

/* Enters the guest once, with its pending interrupts in the list
 * registers, and takes back what it did with them. The time between is
 * the guest's (stats.h); no ISB orders the counter reads, which may each
 * be a few instructions early. */
static unsigned enter_once(struct vcpu *v)
{
	unsigned exit;
	uint64_t t;

	if (v->vm->has_gic) {
		vgic_hw_flush(v);
	}
	t = read_sysreg(cntpct_el0);
	exit = guest_enter(&v->regs);
	v->stats.guest_ticks += read_sysreg(cntpct_el0) - t;
	if (v->vm->has_gic) {
		vgic_hw_sync(v);
	}
	return exit;
}

/* The run loop of this mode, which the core's contract describes
 * (vmode.h): enter, and hand each exit to the core, whose handlers say
 * whether the vCPU goes on. An FP/SIMD or SVE trap (the guest's first FP
 * or SVE instruction since it was loaded) is this mode's own business:
 * its registers come in, and it goes on at once; so is a debug register
 * access (debug.c: the registers come in, or the OS lock is emulated). */
void el2_run(struct vcpu *v)
{
	uint64_t start = read_sysreg(cntpct_el0);

	while (vcpu_keeps_running(v)) {
		unsigned exit = enter_once(v);

		if (exit == EXIT_SYNC) {
			uint64_t esr = read_sysreg(esr_el2), far;

			v->trap.esr = esr;
			switch (FIELD_GET(ESR_EC, esr)) {
			case EC_WATCHPT_LOW: /* gdb's (gdb_halt.c): what was touched */
				v->trap.far = read_sysreg(far_el2);
				break;
			case EC_DABT_LOW:
			case EC_IABT_LOW:
				/* Only aborts have a faulting address. */
				far = read_sysreg(far_el2);
				v->trap.far = far;
				v->trap.fault_ipa = el2_abort_ipa(esr, far);
				break;
			case EC_FP_ASIMD:
			case EC_SVE:
				fpsimd_switch_to(v);
				continue;
			case EC_SYS64:
				if (debug_trap(v, esr)) {
					continue;
				}
				break;
			}
		} else if (exit == EXIT_IRQ) {
			irq_handle_pending();
		} else if (exit == EXIT_SERROR) {
			v->trap.esr = read_sysreg(esr_el2);
		}
		if (trap_handle(v, exit) == TRAP_EXIT) {
			break;
		}
	}
	v->stats.run_ticks += read_sysreg(cntpct_el0) - start;
}

uint64_t el2_el1_read(const struct vcpu *v, enum el1_reg r)
{
	/* The vCPU is loaded: its EL1 registers are the hardware's. */
	switch (r) {
	case EL1_TCR:
		return read_sysreg(tcr_el1);
	case EL1_SPSR_ABT:
		return read_sysreg(spsr_abt);
	case EL1_SPSR_UND:
		return read_sysreg(spsr_und);
	case EL1_IFSR:
		return read_sysreg(ifsr32_el2);
	case EL1_SCTLR:
		return read_sysreg(sctlr_el1);
	case EL1_VBAR:
		return read_sysreg(vbar_el1);
	case EL1_ELR:
		return read_sysreg(elr_el1);
	case EL1_SPSR:
		return read_sysreg(spsr_el1);
	case EL1_ESR:
		return read_sysreg(esr_el1);
	case EL1_FAR:
		return read_sysreg(far_el1);
	default:
		return read_sysreg(sp_el1);
	}
}

void el2_el1_write(struct vcpu *v, enum el1_reg r, uint64_t val)
{
	switch (r) {
	case EL1_TCR:
		write_sysreg(tcr_el1, val);
		break;
	case EL1_SPSR_ABT:
		write_sysreg(spsr_abt, val);
		break;
	case EL1_SPSR_UND:
		write_sysreg(spsr_und, val);
		break;
	case EL1_IFSR:
		write_sysreg(ifsr32_el2, val);
		break;
	case EL1_SCTLR:
		write_sysreg(sctlr_el1, val);
		break;
	case EL1_VBAR:
		write_sysreg(vbar_el1, val);
		break;
	case EL1_ELR:
		write_sysreg(elr_el1, val);
		break;
	case EL1_SPSR:
		write_sysreg(spsr_el1, val);
		break;
	case EL1_ESR:
		write_sysreg(esr_el1, val);
		break;
	case EL1_FAR:
		write_sysreg(far_el1, val);
		break;
	default:
		write_sysreg(sp_el1, val);
		break;
	}
}
