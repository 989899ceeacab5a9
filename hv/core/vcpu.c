/*
 * The world switch's C half and the run loop.
 *
 * Vireo is a type-1 hypervisor: nothing but guests runs at EL1, so a
 * vCPU's EL1 registers need to move only when a CPU changes which vCPU it
 * runs, not on every trap. vcpu_load() puts a vCPU's state and its VM's
 * controls into the hardware, vcpu_put() takes the state back out, in
 * exactly the reverse order; between the two, the run loop enters the
 * guest (vectors.S saves and restores only the general registers) and
 * handles each exit, as often as the guest traps.
 *
 * What a guest can change at EL1 and EL0, and so what load/put move:
 * SCTLR, CPACR, TTBR0/1, TCR, MAIR, AMAIR, VBAR, CONTEXTIDR, the TPIDRs,
 * CSSELR, ESR, FAR, AFSR0/1, PAR, SP_EL1, ELR_EL1, SPSR_EL1, CNTKCTL and
 * the virtual timer (CNTV_CTL, CNTV_CVAL). FP/SIMD moves lazily
 * (fpsimd.c). What it must not change is Vireo's at EL2 and reloaded per
 * vCPU: HCR_EL2, VTTBR/VTCR (its VM's stage 2 and VMID), VMPIDR/VPIDR (the
 * identity it reads in MPIDR/MIDR), CNTVOFF, CPTR and CNTHCTL.
 */
#include "core/vcpu.h"

#include "core/exit.h"
#include "arch/aarch64/el2/fpsimd.h"
#include "drivers/irqchip/gic.h"
#include "core/irq.h"
#include "core/pv.h"
#include "core/sched.h"
#include "core/trap.h"
#include "arch/aarch64/el2/vgic_hw.h"
#include "core/vm.h"

/* Traps and routing for every guest (D19.2.48, HCR_EL2):
 * VM: stage 2 on; SWIO: set/way cache ops become clean+invalidate;
 * FMO/IMO/AMO: physical FIQ, IRQ, SError go to EL2; FB/BSU: TLB and cache
 * maintenance is broadcast inner-shareable, so a vCPU that moves between
 * CPUs finds no stale entries; TSC: SMC traps (guests never reach firmware);
 * TIDCP/TACR: implementation-defined and auxiliary registers trap;
 * TID3: feature ID registers trap, so VMs see only what Vireo supports;
 * RW: EL1 is AArch64. With a GIC to wake it, TWI: WFI traps, so a waiting
 * vCPU sleeps in Vireo (trap_wfx.c) until it has an interrupt to take. */
#define GUEST_HCR                                                                    \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS |     \
	 HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TID3 | HCR_RW)

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	fpsimd_discard(v);
	v->regs = (struct cpu_regs){ .pc = entry, .pstate = PSR_MODE_EL1H | PSR_DAIF };
	v->regs.x[0] = arg;
	v->sys = (struct el1_sysregs){ .sctlr = SCTLR_EL1_RESET };
	v->running_ticks = v->stolen_ticks = v->ready_since = 0;
	v->shared_page = NULL;
	v->shared_page_ipa = 0;
	v->ptimer = (struct ptimer){ 0 };
	v->fp = (struct fpsimd_state){ 0 };
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

static void vcpu_load(struct vcpu *v)
{
	struct pcpu *cpu = this_cpu();

	cpu->loaded = v;
	cpu->guest_regs = &v->regs;
	write_sysreg(vttbr_el2, stage2_vttbr(&v->vm->s2));
	write_sysreg(vtcr_el2, v->vm->s2.vtcr);
	write_sysreg(hcr_el2, GUEST_HCR | (v->vm->has_gic ? HCR_TWI : 0));
	write_sysreg(vmpidr_el2, v->vmpidr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cntvoff_el2, v->vm->cntvoff);
	/* The guest reads the physical counter but its physical timer traps. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(cptr_el2, fpsimd_cptr_for(v));
	/* The EL1 registers below belong to the new VMID's context. */
	isb();
	sysregs_restore(&v->sys);
	if (v->vm->has_gic) {
		vgic_hw_load(v);
	}
	isb();
	/* The emulated physical timer's deadline is this CPU's to watch now,
	 * and it may have passed while the vCPU was off. */
	ptimer_sync(v);
	sched_program_timer();
	pv_running(v);
}

static void vcpu_put(struct vcpu *v)
{
	struct pcpu *cpu = this_cpu();

	/* Still runnable: taken off for another vCPU's turn (a vCPU alone on
	 * its CPU is back at once: it waits for nobody). */
	pv_descheduled(v, vm_is_running(v->vm) && v->power == VCPU_ON && !v->blocked &&
				  !sched_alone(v));
	sysregs_save(&v->sys);
	/* A descheduled vCPU's timer must not fire on this CPU. */
	write_sysreg(cntv_ctl_el0, 0);
	if (v->vm->has_gic) {
		vgic_hw_put(v);
	}
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	cpu->guest_regs = NULL;
	cpu->loaded = NULL;
	sched_program_timer();
}

/* Until its VM stops or resets, it goes off or waits, or its turn ends. */
static bool keeps_running(const struct vcpu *v)
{
	return vm_is_running(v->vm) && v->power == VCPU_ON && !v->blocked &&
	       !__atomic_load_n(&v->home->need_resched, __ATOMIC_ACQUIRE);
}

/* Enters the guest once, with its pending interrupts in the list
 * registers, and takes back what it did with them. */
static unsigned enter_once(struct vcpu *v)
{
	unsigned exit;

	if (v->vm->has_gic) {
		vgic_hw_flush(v);
	}
	exit = guest_enter(&v->regs);
	if (v->vm->has_gic) {
		vgic_hw_sync(v);
	}
	return exit;
}

void vcpu_run(struct vcpu *v)
{
	vcpu_load(v);
	while (keeps_running(v)) {
		unsigned exit = enter_once(v);

		if (exit == EXIT_IRQ) {
			irq_handle_pending();
		}
		if (trap_handle(v, exit) == TRAP_EXIT) {
			break;
		}
	}
	vcpu_put(v);
}
