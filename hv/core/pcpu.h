/*
 * Per-physical-CPU state. this_cpu() (arch/aarch64/cpu.h) finds the
 * running CPU's struct pcpu in one register read. The mode's exception
 * vectors read guest_regs, the first member, to know where to save a
 * trapping guest's registers.
 */
#ifndef VIREO_CORE_PCPU_H
#define VIREO_CORE_PCPU_H

#include "arch/aarch64/cpu.h"
#include "core/config.h"
#include "core/types.h"

/* A guest's general-purpose state as the vectors save it (asm-offsets.c). */
struct cpu_regs {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t pc;     /* where the guest resumes */
	uint64_t pstate; /* its PSTATE, in SPSR format */
};

struct vcpu;

struct pcpu {
	struct cpu_regs *guest_regs; /* where the running vCPU's registers go */
	unsigned id;                 /* index into pcpus[] */
	uint64_t mpidr;
	bool online;
	struct vcpu *loaded;   /* the vCPU whose state is in the registers */
	/* The scheduler's (sched.c): the vCPUs placed here, round robin. */
	struct vcpu *runq[SCHED_MAX_PER_CPU];
	unsigned nr_vcpus;
	unsigned last;       /* index of the vCPU that ran last */
	uint64_t slice_end;  /* counter value when the running turn ends */
	uint64_t timer_at;   /* what Vireo's timer is set to (sched.c) */
	/* The nearest deadline of the watchdogs of the VMs whose vCPU 0 is
	 * here (vm_watchdog.c), kept by sched_watchdogs_changed(); another CPU
	 * that brings one nearer sets timer_stale and kicks this one. */
	uint64_t watchdogs_due;
	bool timer_stale;
	bool need_resched;   /* give the CPU up at the next exit */
	struct vcpu *fp_owner; /* whose FP/SIMD registers are in the hardware */
};

extern struct pcpu pcpus[MAX_CPUS];
extern unsigned n_pcpus;

#endif
