/*
 * The vCPU scheduler: a fair, preemptive round robin per physical CPU.
 *
 * Every vCPU lives on one physical CPU, chosen at configuration time
 * (vmconfig.c: the least loaded CPU its VM's affinity allows), so when
 * there are enough CPUs each vCPU has one to itself and this file stays out
 * of the way: a lone vCPU runs until its VM stops, waits for interrupts in
 * place (trap_wfx.c) and is never preempted. When several share a CPU,
 * cpu_loop() takes turns among those that are runnable: switched on, in a
 * running VM, and not waiting in WFI, or waiting but with a reason to wake
 * (an interrupt to take, or its timer's deadline passed). Each turn lasts
 * at most one time slice (10 ms of the counter), enforced by Vireo's own
 * timer (vmode->timer_set()); a vCPU that executes WFI with nothing
 * pending gives the rest of its turn away.
 *
 * Vireo's timer serves four masters on a CPU, so it is always programmed
 * for the nearest of: the current slice's end, the loaded vCPU's emulated
 * physical timer (vtimer.c), the wake-up deadlines of the CPU's waiting
 * vCPUs (their virtual timers, which do not run while they are not loaded)
 * and the watchdogs of the VMs whose vCPU 0 lives here (vm_watchdog.c).
 *
 * Run queues are fixed after boot and each is touched only by its own CPU;
 * other CPUs reach a vCPU only through flags, requests and a kick
 * (vm_kick()). Before each choice, cpu_loop() applies its vCPUs' requests
 * (a CPU_ON's start, a VM reset's: vcpu.c), with none of them loaded.
 */
#include "core/sched.h"

#include "core/gdb.h"
#include "core/irq.h"
#include "core/runq.h"
#include "core/vm.h"
#include "core/vmode.h"

#define NO_DEADLINE RUNQ_NO_DEADLINE

bool sched_add(struct pcpu *cpu, struct vcpu *v)
{
	if (cpu->nr_vcpus == SCHED_MAX_PER_CPU) {
		return false;
	}
	cpu->runq[cpu->nr_vcpus++] = v;
	return true;
}

bool sched_alone(const struct vcpu *v)
{
	return v->home->nr_vcpus == 1;
}

void sched_yield_soon(struct pcpu *cpu)
{
	__atomic_store_n(&cpu->need_resched, true, __ATOMIC_RELEASE);
}

static struct runq_entry entry_of(struct vcpu *v)
{
	bool blocked = v->blocked;

	return (struct runq_entry){
		/* Held by its debugger: as good as off. */
		.on = __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_ON &&
		      !__atomic_load_n(&v->halted, __ATOMIC_ACQUIRE),
		.vm_running = vm_is_running(v->vm),
		.blocked = blocked,
		/* Asked only when it matters: it takes the VM's vGIC lock. */
		.irq_pending = blocked && v->vm->has_gic && vgic_has_pending(&v->vm->vgic, v->id),
		.wake_at = v->wake_at,
	};
}

/* A snapshot of this CPU's vCPUs for runq.c. */
static void snapshot(struct pcpu *cpu, struct runq_entry *q)
{
	unsigned i;

	for (i = 0; i < cpu->nr_vcpus; i++) {
		q[i] = entry_of(cpu->runq[i]);
	}
}

static bool runnable(struct vcpu *v)
{
	struct runq_entry e = entry_of(v);

	return runq_runnable(&e, counter_now());
}

void sched_watchdogs_changed(void)
{
	struct pcpu *cpu = this_cpu();
	uint64_t due = NO_DEADLINE;
	unsigned i;

	/* Only running VMs': a VM stopped or resetting with its watchdog on
	 * leaves a deadline that nothing will move on, which would keep the
	 * timer firing here for ever. */
	for (i = 0; i < cpu->nr_vcpus; i++) {
		struct vcpu *v = cpu->runq[i];

		if (v->id == 0 && vm_is_running(v->vm)) {
			due = MIN(due, vm_watchdog_due(v->vm));
		}
	}
	cpu->watchdogs_due = due;
	sched_program_timer();
}

void sched_program_timer(void)
{
	struct pcpu *cpu = this_cpu();
	struct runq_entry q[SCHED_MAX_PER_CPU];
	uint64_t next;

	snapshot(cpu, q);
	next = runq_next_deadline(q, cpu->nr_vcpus, cpu->slice_end,
				  cpu->loaded ? ptimer_deadline(cpu->loaded) : NO_DEADLINE);
	next = MIN(next, cpu->watchdogs_due);
	/* Most reprogramming finds the deadline it had: leave the timer be. */
	if (next != cpu->timer_at) {
		cpu->timer_at = next;
		vmode->timer_set(next);
	}
}

void sched_timer_interrupt(void)
{
	struct pcpu *cpu = this_cpu();
	uint64_t t = counter_now();
	unsigned i;

	if (t >= cpu->slice_end) {
		cpu->slice_end = NO_DEADLINE;
		sched_yield_soon(cpu);
	}
	for (i = 0; i < cpu->nr_vcpus; i++) {
		struct vcpu *v = cpu->runq[i];

		if (v->blocked && t >= v->wake_at) {
			/* Its timer will fire as soon as it is loaded again. */
			v->blocked = false;
			sched_yield_soon(cpu); /* let it have its turn */
		}
		if (t >= cpu->watchdogs_due && v->id == 0) {
			vm_watchdog_check(v->vm);
		}
	}
	if (cpu->loaded) {
		ptimer_sync(cpu->loaded);
	}
	if (t >= cpu->watchdogs_due) {
		sched_watchdogs_changed(); /* and reprograms the timer */
	} else {
		sched_program_timer();
	}
}

void sched_kicked(void)
{
	struct pcpu *cpu = this_cpu();
	unsigned i;

	/* Another CPU brought a watchdog's deadline nearer. */
	if (__atomic_load_n(&cpu->timer_stale, __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(&cpu->timer_stale, false, __ATOMIC_ACQ_REL)) {
		sched_watchdogs_changed();
	}
	for (i = 0; i < cpu->nr_vcpus; i++) {
		struct vcpu *v = cpu->runq[i];

		/* Runnable now, or to be started, and maybe behind a vCPU whose
		 * turn has no end (it was alone when it started): let the round
		 * robin see it. */
		if (v != cpu->loaded &&
		    (runnable(v) || vcpu_has_requests(v) || !vm_is_running(v->vm) ||
		     (v->halted && !v->parked))) {
			sched_yield_soon(cpu);
		}
	}
}

/* vCPUs whose VM stopped or is resetting check out once (vm.c). */
static void check_out(struct pcpu *cpu)
{
	unsigned i;

	for (i = 0; i < cpu->nr_vcpus; i++) {
		struct vcpu *v = cpu->runq[i];

		if (!vm_is_running(v->vm) && !v->checked_out) {
			vm_vcpu_exited(v);
		}
	}
}

/* Starts and resets asked of this CPU's vCPUs, none of them loaded now. */
static void handle_requests(struct pcpu *cpu)
{
	unsigned i;

	for (i = 0; i < cpu->nr_vcpus; i++) {
		vcpu_handle_requests(cpu->runq[i]);
	}
}

/* vCPUs their debugger halted, none of them loaded now (gdb_halt.c). */
static void park(struct pcpu *cpu)
{
	unsigned i;

	for (i = 0; i < cpu->nr_vcpus; i++) {
		struct vcpu *v = cpu->runq[i];

		if (__atomic_load_n(&v->halted, __ATOMIC_ACQUIRE)) {
			gdb_park(v);
		}
	}
}

void cpu_loop(void)
{
	struct pcpu *cpu = this_cpu();

	for (;;) {
		struct runq_entry q[SCHED_MAX_PER_CPU];
		struct vcpu *v;
		int k;

		check_out(cpu);
		handle_requests(cpu);
		park(cpu);
		snapshot(cpu, q);
		k = runq_pick(q, cpu->nr_vcpus, cpu->last, counter_now());
		if (k < 0) {
			cpu->slice_end = NO_DEADLINE;
			sched_program_timer();
			irq_wait();
			continue;
		}
		v = cpu->runq[k];
		/* The same vCPU again: nobody ran meanwhile, nothing was stolen. */
		if ((unsigned)k == cpu->last) {
			v->ready_since = 0;
		}
		cpu->last = (unsigned)k;
		v->blocked = false;
		v->wake_at = NO_DEADLINE;
		__atomic_store_n(&cpu->need_resched, false, __ATOMIC_RELEASE);
		/* A slice only matters when someone else is waiting for a turn. */
		cpu->slice_end = runq_count_runnable(q, cpu->nr_vcpus, counter_now()) > 1 ?
					 counter_now() + counter_freq() / SCHED_SLICE_DIV :
					 NO_DEADLINE;
		vcpu_run(v);
	}
}
