/*
 * A vCPU's life on its CPU: reset, requests, and the run loop.
 *
 * vcpu_run() brackets a turn on the CPU with the mode's vcpu_load() and
 * vcpu_put() (core/vmode.h), which move the vCPU's state into the hardware
 * and back out in exactly reverse order; around them, the scheduler's and
 * PV time's accounting, mirrored the same way. Between the two, the mode's
 * run loop enters the guest and hands each exit to trap.c, as often as the
 * guest traps, until the vCPU must give the CPU up (vcpu_keeps_running()
 * in vm.h): its VM stopped or is resetting, it went off or waits, or its
 * turn ended.
 *
 * A vCPU's state changes only on its home CPU, between its turns, like
 * KVM's vCPU requests. While a vCPU is loaded, and on its way out after a
 * CPU_OFF, part of its state is in its home CPU's registers: its EL1
 * registers until vcpu_put() saves them, its FP/SIMD registers until
 * another vCPU's first FP instruction there (fpsimd.c). A reset done from
 * another CPU is overwritten by that save and misses the FP/SIMD
 * registers (issue 14: a vCPU restarted at once after CPU_OFF kept its
 * VBAR, SCTLR and V0). So other CPUs only ask, and kick:
 *   - CPU_ON (vcpu_request_start(), vcpu.h) makes an off vCPU ON_PENDING
 *     and records where it starts;
 *   - a VM's start and restart (vm.c, vcpu_request_reset()) give vCPU 0 a
 *     start and the others a reset, while no vCPU of the VM runs anywhere.
 * cpu_loop() (sched.c) hands each of its vCPUs to vcpu_handle_requests()
 * before it picks one to run: none is loaded then, and the reset is whole;
 * a start then makes the vCPU ON. Requests are handled only while the VM
 * runs: a stopped VM's are dropped with it, a resetting VM's are replaced
 * by its restart, which comes only once every vCPU of it has checked out
 * on its own CPU, so never while one of them is handling requests.
 */
#include "core/vcpu.h"

#include "core/panic.h"
#include "core/pv.h"
#include "core/sched.h"
#include "core/vm.h"
#include "core/vmode.h"

/* An AArch32 vCPU's start: SVC mode with A, I and F masked, ARM or
 * (entry's bit 0) Thumb state; r0 = arg, or, at the VM's boot, Linux's
 * r0 = 0, r1 = ~0 (no machine number: a device tree) and r2 = its address. */
static void reset_aarch32(struct vcpu *v, const struct vcpu_start *s)
{
	uint64_t entry = ipa_addr(s->entry);

	v->regs.pc = entry & ~1UL;
	v->regs.pstate = PSR_MODE32_SVC | PSR_A | PSR_I | PSR_F | ((entry & 1) ? PSR_T : 0);
	if (s->boot) {
		v->regs.x[0] = 0;
		v->regs.x[1] = 0xffffffffU;
		v->regs.x[2] = (uint32_t)s->arg;
	} else {
		v->regs.x[0] = (uint32_t)s->arg;
	}
	v->sys.sctlr = SCTLR32_RESET;
}

/* The architectural reset state, to start at s->entry (EL1h, MMU off,
 * interrupts masked) with x0 = s->arg, or the AArch32 one; the mode
 * forgets whatever of v it holds on this CPU, v's home. */
static void vcpu_reset(struct vcpu *v, const struct vcpu_start *s)
{
	vmode->vcpu_reset(v);
	v->regs = (struct cpu_regs){ .pc = ipa_addr(s->entry), .pstate = PSR_MODE_EL1H | PSR_DAIF };
	v->regs.x[0] = s->arg;
	v->sys = (struct el1_sysregs){ .sctlr = SCTLR_EL1_RESET };
	v->sys32 = (struct aarch32_sysregs){ 0 };
	if (v->vm->aarch32) {
		reset_aarch32(v, s);
	}
	v->running_ticks = v->stolen_ticks = v->ready_since = 0;
	v->shared_page = NULL;
	v->shared_page_ipa = ipa(0);
	v->ptimer = (struct ptimer){ 0 };
	v->fp = (struct fpsimd_state){ 0 };
	v->dbg = (struct debug_regs){ .os_lock = true };
	v->pmu = (struct vpmu){ 0 };
}

void vcpu_request_reset(struct vcpu *v, bool on, ipaddr_t entry, uint64_t arg)
{
	if (on) {
		v->start = (struct vcpu_start){ .entry = entry, .arg = arg, .boot = true };
	}
	__atomic_store_n(&v->power, on ? VCPU_ON_PENDING : VCPU_OFF, __ATOMIC_RELAXED);
	/* Published by the VM's start (vm.c: VM_RUNNING, released). */
	__atomic_store_n(&v->requests, on ? VCPU_REQ_START : VCPU_REQ_RESET, __ATOMIC_RELAXED);
}

void vcpu_handle_requests(struct vcpu *v)
{
	uint32_t req;

	if (!vm_is_running(v->vm) || !vcpu_has_requests(v)) {
		return;
	}
	CHECK(v->home == this_cpu() && v->home->loaded != v);
	req = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQUIRE);
	if (req & VCPU_REQ_RESET) {
		/* Off: CPU_ON will say where it starts. */
		vcpu_reset(v, &(struct vcpu_start){ .entry = ipa(0) });
	}
	if (req & VCPU_REQ_START) {
		vcpu_reset(v, &v->start);
		/* Release: whoever sees it ON sees it reset. */
		__atomic_store_n(&v->power, VCPU_ON, __ATOMIC_RELEASE);
	}
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
