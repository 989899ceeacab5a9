/*
 * Self-hosted debug registers for guests, switched lazily (debug.c).
 */
#ifndef VIREO_EL2_DEBUG_H
#define VIREO_EL2_DEBUG_H

#include "core/vcpu.h"

/* On each CPU as it comes up: learns how many breakpoints and
 * watchpoints it has, and leaves them all disarmed. */
void debug_cpu_init(void);
/* In the world switch: v's debug registers trapped until it touches
 * them, or loaded at once if its debug is enabled; saved and the
 * hardware disarmed again. */
void debug_vcpu_load(struct vcpu *v);
void debug_vcpu_put(struct vcpu *v);
/* A trapped op0 2 access (EC 0x18): true if handled here (the OS lock
 * registers emulated and skipped, or the registers loaded for the access
 * to run again); false for the core, which makes it undefined. */
bool debug_trap(struct vcpu *v, uint64_t esr);
/* How many breakpoints, or watchpoints, the CPU has (vmode->debug_points). */
unsigned debug_points(bool watchpoints);

#endif
