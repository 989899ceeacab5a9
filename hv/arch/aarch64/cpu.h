/*
 * What every exception level offers the core about the CPU it runs on:
 * the running CPU's struct pcpu, and the system counter.
 *
 * this_cpu() is one register read, TPIDR_EL2, which each CPU points at its
 * struct pcpu from its first C instruction on (pcpu_set_current()). The
 * hardware-assisted mode runs at EL2; a mode that runs Vireo at EL1 keeps
 * the pointer in TPIDR_EL1 instead and replaces these two functions'
 * instruction when it boots (docs/porting.md), so the core keeps calling
 * this_cpu() unchanged.
 */
#ifndef VIREO_ARCH_CPU_H
#define VIREO_ARCH_CPU_H

#include "arch/aarch64/sysreg.h"

struct pcpu;

static inline struct pcpu *this_cpu(void)
{
	return (struct pcpu *)read_sysreg(tpidr_el2);
}

static inline void pcpu_set_current(struct pcpu *cpu)
{
	write_sysreg(tpidr_el2, cpu);
}

/* The physical count, which guests see too (CNTPCT_EL0), after earlier
 * instructions: an ISB keeps the read from being taken early (D11.2.2). */
static inline uint64_t counter_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static inline uint64_t counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

static inline uint64_t cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

#endif
