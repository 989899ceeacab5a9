/*
 * WFI and WFE (EC 0x01). A vCPU that waits for an interrupt must not burn
 * its physical CPU: WFI traps (the mode sees to it when the VM has a
 * virtual GIC: HCR_EL2.TWI at EL2). With an interrupt already pending it simply goes on. Otherwise:
 *   - a vCPU alone on its CPU waits in place, in Vireo's own WFI, until it
 *     has an interrupt to take, its VM stops, it is switched off or its
 *     debugger halts it; what
 *     wakes the CPU is a physical interrupt (its own virtual timer, still
 *     loaded, a kick from another CPU, the console);
 *   - a vCPU that shares its CPU gives it up (sched.c) and records when
 *     its timers would wake it, since they do not run while it is off.
 * WFE is not trapped. An AArch32 WFI whose condition fails is only
 * stepped past (trap_aarch32.c).
 *
 * Before waiting, the VM's console gets a chance to show a partial line
 * this vCPU wrote: a shell prompt has no newline, and the guest is now
 * idle waiting for the answer to it.
 */
#include "core/irq.h"
#include "core/sched.h"
#include "core/trap.h"
#include "core/vm.h"

#define ESR_WFX_TI BIT(0) /* 1: WFE */
#define CNTV_CTL_IMASK BIT(1)

/* When the virtual or emulated physical timer would raise its interrupt,
 * as a physical count (the virtual count is offset by CNTVOFF_EL2). */
static uint64_t timer_deadline(const struct vcpu *v)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);
	uint64_t next = ptimer_deadline(v);

	if ((ctl & CNTV_CTL_ENABLE) && !(ctl & CNTV_CTL_IMASK)) {
		next = MIN(next, read_sysreg(cntv_cval_el0) + v->vm->cntvoff);
	}
	return next;
}

static bool can_wake(struct vcpu *v)
{
	return vgic_has_pending(&v->vm->vgic, v->id) || !vm_is_running(v->vm) ||
	       v->power != VCPU_ON || __atomic_load_n(&v->halted, __ATOMIC_ACQUIRE);
}

enum trap_action trap_wfx(struct vcpu *v)
{
	if (vcpu_in_aarch32(v) && trap_cond_failed(v)) {
		return TRAP_RESUME;
	}
	vcpu_skip_insn(v);
	if (v->trap.esr & ESR_WFX_TI) {
		return TRAP_RESUME;
	}
	vpl011_flush_partial(&v->vm->uart, v);
	if (!sched_alone(v)) {
		if (vgic_has_pending(&v->vm->vgic, v->id)) {
			return TRAP_RESUME;
		}
		v->wake_at = timer_deadline(v);
		v->blocked = true;
		v->stats.wfi_sleeps++;
		return TRAP_EXIT;
	}
	v->stats.wfi_sleeps += !can_wake(v);
	while (!can_wake(v)) {
		irq_wait();
	}
	return vm_is_running(v->vm) && v->power == VCPU_ON ? TRAP_RESUME : TRAP_EXIT;
}
