/*
 * Lazy FP/SIMD (and SVE) switching between vCPUs, and lending the
 * registers to Vireo's own code that needs them (libfdt).
 */
#ifndef VIREO_EL2_FPSIMD_H
#define VIREO_EL2_FPSIMD_H

#include "core/vcpu.h"

/* fpsimd_regs.S: all of V0-V31, FPSR and FPCR; with SVE, Z0-Z31, P0-P15
 * and FFR into or out of area (fpsimd_sve_size() bytes), FPSR and FPCR
 * into or out of st; the vector length at EL2, in bytes. */
void fpsimd_save(struct fpsimd_state *st);
void fpsimd_restore(const struct fpsimd_state *st);
void sve_save(struct fpsimd_state *st, void *area);
void sve_restore(const struct fpsimd_state *st, const void *area);
unsigned sve_vector_length(void);

/* On each CPU as it comes up: with SVE, the largest vector length for
 * guests (ZCR_EL2). */
void fpsimd_cpu_init(void);
/* Bytes of SVE registers per vCPU; 0 without SVE. */
size_t fpsimd_sve_size(void);
/* A VM's room for its vCPUs' SVE registers, and giving it back. */
bool fpsimd_vm_init(struct vm *vm);
void fpsimd_vm_destroy(struct vm *vm);

/* CPTR_EL2 for running v on this CPU: FP/SIMD and SVE trapped unless v's
 * state is the one in the registers. */
uint64_t fpsimd_cptr_for(const struct vcpu *v);
/* Saves whatever guest FP/SIMD state this CPU holds and leaves the
 * registers free for Vireo (or for the next vCPU's state). */
void fpsimd_release(void);
/* v's first FP/SIMD or SVE instruction trapped: its registers come in. */
void fpsimd_switch_to(struct vcpu *v);
/* Forgets v's register contents without saving them (v was reset). On
 * v's home CPU only, the one CPU whose registers can hold them. */
void fpsimd_discard(struct vcpu *v);
/* For a debugger (vmode->vcpu_flush, fp_reg): on v's home CPU, v's
 * registers into memory if this CPU holds them; then V register n (the
 * low 128 bits of Z n with SVE) read or written there, from any CPU. */
void fpsimd_flush(struct vcpu *v);
void fpsimd_reg(struct vcpu *v, unsigned n, uint64_t val[2], bool write);

#endif
