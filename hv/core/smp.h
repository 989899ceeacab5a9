/*
 * Bringing up the physical CPUs and running each one's loop.
 */
#ifndef VIREO_CORE_SMP_H
#define VIREO_CORE_SMP_H

#include "core/platform.h"

/* Fills pcpus[] from the platform, the boot CPU first. */
void smp_init(const struct platform *p);
/* Starts the secondaries through the board and waits for them. */
void smp_start_secondaries(void);
/* Runs whatever vCPU this CPU is given, forever. */
void cpu_loop(void) __attribute__((noreturn));

#endif
