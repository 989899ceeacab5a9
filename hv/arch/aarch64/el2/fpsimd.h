/*
 * Lazy FP/SIMD switching between vCPUs, and lending the registers to
 * Vireo's own code that needs them (libfdt).
 */
#ifndef VIREO_FPSIMD_H
#define VIREO_FPSIMD_H

#include "core/vcpu.h"

/* CPTR_EL2 for running v on this CPU: FP/SIMD trapped unless v's state is
 * the one in the registers. */
uint64_t fpsimd_cptr_for(const struct vcpu *v);
/* Saves whatever guest FP/SIMD state this CPU holds and leaves the
 * registers free for Vireo: call before libfdt once guests have run. */
void fpsimd_release(void);
/* Forgets v's register contents without saving them (v was reset). */
void fpsimd_discard(struct vcpu *v);

#endif
