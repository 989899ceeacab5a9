/*
 * A vCPU's life on its CPU: reset, and the run loop.
 *
 * vcpu_run() brackets a turn on the CPU with the mode's vcpu_load() and
 * vcpu_put() (core/vmode.h), which move the vCPU's state into the hardware
 * and back out in exactly reverse order; around them, the scheduler's and
 * PV time's accounting, mirrored the same way. Between the two, the mode's
 * run loop enters the guest and hands each exit to trap.c, as often as the
 * guest traps, until the vCPU must give the CPU up (vcpu_keeps_running()
 * in vm.h): its VM stopped or is resetting, it went off or waits, or its
 * turn ended.
 */
#include "core/vcpu.h"

#include "core/pv.h"
#include "core/sched.h"
#include "core/vm.h"
#include "core/vmode.h"

void vcpu_reset(struct vcpu *v, ipaddr_t entry, uint64_t arg)
{
	vmode->vcpu_reset(v);
	v->regs = (struct cpu_regs){ .pc = ipa_addr(entry), .pstate = PSR_MODE_EL1H | PSR_DAIF };
	v->regs.x[0] = arg;
	v->sys = (struct el1_sysregs){ .sctlr = SCTLR_EL1_RESET };
	v->running_ticks = v->stolen_ticks = v->ready_since = 0;
	v->shared_page = NULL;
	v->shared_page_ipa = ipa(0);
	v->ptimer = (struct ptimer){ 0 };
	v->fp = (struct fpsimd_state){ 0 };
}

static void vcpu_load(struct vcpu *v)
{
	vmode->vcpu_load(v);
	/* The emulated physical timer's deadline is this CPU's to watch now,
	 * and it may have passed while the vCPU was off. */
	ptimer_sync(v);
	sched_program_timer();
	pv_running(v);
}

static void vcpu_put(struct vcpu *v)
{
	/* Still runnable: taken off for another vCPU's turn (a vCPU alone on
	 * its CPU is back at once: it waits for nobody). */
	pv_descheduled(v, vm_is_running(v->vm) && v->power == VCPU_ON && !v->blocked &&
				  !sched_alone(v));
	vmode->vcpu_put(v);
	sched_program_timer();
}

void vcpu_run(struct vcpu *v)
{
	vcpu_load(v);
	vmode->run(v);
	vcpu_put(v);
}
