/*
 * Sharing a physical CPU between the vCPUs placed on it.
 */
#ifndef VIREO_CORE_SCHED_H
#define VIREO_CORE_SCHED_H

#include "core/pcpu.h"

/* A time slice: 10 ms of the counter, as a fraction of a second. */
#define SCHED_SLICE_DIV 100

struct vcpu;

/* Places v on cpu's run queue (at VM creation); false if it is full. */
bool sched_add(struct pcpu *cpu, struct vcpu *v);
/* Whether v is the only vCPU on its CPU (it then waits for interrupts
 * without giving the CPU up). */
bool sched_alone(const struct vcpu *v);
/* Vireo's own timer fired: slice ends, wake-ups, the emulated
 * physical timer, watchdogs. */
void sched_timer_interrupt(void);
/* Another CPU kicked this one: a waiting vCPU here may have an interrupt
 * to take now, and should get a turn. */
void sched_kicked(void);
/* Reprograms Vireo's timer for this CPU's nearest deadline. */
void sched_program_timer(void);
/* On the CPU of a VM's vCPU 0: that VM's watchdog deadline moved
 * (vm_watchdog_due()); looks at them all again, and at the timer. */
void sched_watchdogs_changed(void);
/* Asks the running vCPU to give its CPU up at its next exit. */
void sched_yield_soon(struct pcpu *cpu);

#endif
