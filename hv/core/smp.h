/*
 * Bringing up the physical CPUs and running each one's loop.
 */
#ifndef VIREO_CORE_SMP_H
#define VIREO_CORE_SMP_H

#include "core/platform.h"

/* Fills pcpus[] from the platform, the boot CPU first. */
void smp_init(const struct platform *p);
/* Starts the secondaries through the board and waits for each to come
 * online; they then wait for smp_release_secondaries(). */
void smp_start_secondaries(void);
/* The CPUs that came online (bit i: pcpus[i]), the boot CPU among them. */
uint32_t smp_online_cpus(void);
/* Lets the online secondaries run their vCPUs (cpu_loop()). */
void smp_release_secondaries(void);
/* Runs whatever vCPU this CPU is given, forever. */
void cpu_loop(void) __attribute__((noreturn));

#endif
