/*
 * Lazy FP/SIMD switching between vCPUs, and lending the registers to
 * Vireo's own code that needs them (libfdt).
 */
#ifndef VIREO_EL2_FPSIMD_H
#define VIREO_EL2_FPSIMD_H

#include "core/vcpu.h"

/* fpsimd_regs.S: all of V0-V31, FPSR and FPCR. */
void fpsimd_save(struct fpsimd_state *st);
void fpsimd_restore(const struct fpsimd_state *st);

/* CPTR_EL2 for running v on this CPU: FP/SIMD trapped unless v's state is
 * the one in the registers. */
uint64_t fpsimd_cptr_for(const struct vcpu *v);
/* Saves whatever guest FP/SIMD state this CPU holds and leaves the
 * registers free for Vireo (or for the next vCPU's state). */
void fpsimd_release(void);
/* v's first FP/SIMD instruction trapped: its registers come in. */
void fpsimd_switch_to(struct vcpu *v);
/* Forgets v's register contents without saving them (v was reset). On
 * v's home CPU only, the one CPU whose registers can hold them. */
void fpsimd_discard(struct vcpu *v);

#endif
