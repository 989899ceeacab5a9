/*
 * Per-physical-CPU state. TPIDR_EL2 points at the running CPU's struct
 * pcpu from its first C instruction on (main.c, smp.c), so this_cpu() is
 * one register read. vectors.S reads guest_regs, the first member, to know
 * where to save a trapping guest's registers.
 */
#ifndef VIREO_PCPU_H
#define VIREO_PCPU_H

#include "core/config.h"
#include "arch/aarch64/sysreg.h"

/* A guest's general-purpose state as the vectors save it (asm-offsets.c). */
struct cpu_regs {
	uint64_t x[31];
	uint64_t sp_el0;
	uint64_t pc;     /* ELR_EL2 */
	uint64_t pstate; /* SPSR_EL2 */
};

/* Vireo's own registers at an exception taken at EL2 (vectors.S). */
struct hyp_frame {
	uint64_t x[31];
	uint64_t sp;
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
	bool need_resched;   /* give the CPU up at the next exit */
	struct vcpu *fp_owner; /* whose FP/SIMD registers are in the hardware */
};

extern struct pcpu pcpus[MAX_CPUS];
extern unsigned n_pcpus;

static inline struct pcpu *this_cpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}

/* Points TPIDR_EL2 at cpu; the first thing each CPU does in C. */
static inline void pcpu_set_current(struct pcpu *cpu)
{
	write_sysreg(tpidr_el2, cpu);
}

#endif
