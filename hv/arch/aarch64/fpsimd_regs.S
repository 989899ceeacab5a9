/*
 * Saving and restoring the FP/SIMD registers (V0-V31, FPSR, FPCR), or with
 * SVE the scalable ones (Z0-Z31, P0-P15, FFR, FPSR, FPCR), for the lazy
 * switch in fpsimd.c. These are the only instructions in Vireo that touch
 * FP/SIMD state besides libfdt at boot.
 */
#include "asm-offsets.h"

	.arch_extension fp
	.arch_extension simd
	.arch_extension sve
	.text

/* x0: struct fpsimd_state *. */
	.global fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #(FP_V + 0 * 32)]
	stp	q2, q3, [x0, #(FP_V + 1 * 32)]
	stp	q4, q5, [x0, #(FP_V + 2 * 32)]
	stp	q6, q7, [x0, #(FP_V + 3 * 32)]
	stp	q8, q9, [x0, #(FP_V + 4 * 32)]
	stp	q10, q11, [x0, #(FP_V + 5 * 32)]
	stp	q12, q13, [x0, #(FP_V + 6 * 32)]
	stp	q14, q15, [x0, #(FP_V + 7 * 32)]
	stp	q16, q17, [x0, #(FP_V + 8 * 32)]
	stp	q18, q19, [x0, #(FP_V + 9 * 32)]
	stp	q20, q21, [x0, #(FP_V + 10 * 32)]
	stp	q22, q23, [x0, #(FP_V + 11 * 32)]
	stp	q24, q25, [x0, #(FP_V + 12 * 32)]
	stp	q26, q27, [x0, #(FP_V + 13 * 32)]
	stp	q28, q29, [x0, #(FP_V + 14 * 32)]
	stp	q30, q31, [x0, #(FP_V + 15 * 32)]
	mrs	x1, fpsr
	str	x1, [x0, #FP_FPSR]
	mrs	x1, fpcr
	str	x1, [x0, #FP_FPCR]
	ret

/* x0: const struct fpsimd_state *. */
	.global fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #(FP_V + 0 * 32)]
	ldp	q2, q3, [x0, #(FP_V + 1 * 32)]
	ldp	q4, q5, [x0, #(FP_V + 2 * 32)]
	ldp	q6, q7, [x0, #(FP_V + 3 * 32)]
	ldp	q8, q9, [x0, #(FP_V + 4 * 32)]
	ldp	q10, q11, [x0, #(FP_V + 5 * 32)]
	ldp	q12, q13, [x0, #(FP_V + 6 * 32)]
	ldp	q14, q15, [x0, #(FP_V + 7 * 32)]
	ldp	q16, q17, [x0, #(FP_V + 8 * 32)]
	ldp	q18, q19, [x0, #(FP_V + 9 * 32)]
	ldp	q20, q21, [x0, #(FP_V + 10 * 32)]
	ldp	q22, q23, [x0, #(FP_V + 11 * 32)]
	ldp	q24, q25, [x0, #(FP_V + 12 * 32)]
	ldp	q26, q27, [x0, #(FP_V + 13 * 32)]
	ldp	q28, q29, [x0, #(FP_V + 14 * 32)]
	ldp	q30, q31, [x0, #(FP_V + 15 * 32)]
	ldr	x1, [x0, #FP_FPSR]
	msr	fpsr, x1
	ldr	x1, [x0, #FP_FPCR]
	msr	fpcr, x1
	ret

/* x0: struct fpsimd_state * (FPSR and FPCR go there); x1: the Z, P and FFR
 * area, 32 vector lengths of Z0-Z31 then 17 predicate lengths of P0-P15
 * and FFR, at the current vector length. P0 is lost. */
	.global sve_save
sve_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x1, #\n, mul vl]
	.endr
	addvl	x2, x1, #16
	addvl	x2, x2, #16		/* 32 lengths on: the predicates */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x2, #\n, mul vl]
	.endr
	rdffr	p0.b
	str	p0, [x2, #16, mul vl]
	mrs	x3, fpsr
	str	x3, [x0, #FP_FPSR]
	mrs	x3, fpcr
	str	x3, [x0, #FP_FPCR]
	ret

/* The reverse of sve_save: FFR (through P0) first, then P0-P15, Z0-Z31,
 * FPSR and FPCR. */
	.global sve_restore
sve_restore:
	addvl	x2, x1, #16
	addvl	x2, x2, #16		/* 32 lengths on: the predicates */
	ldr	p0, [x2, #16, mul vl]
	wrffr	p0.b
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x2, #\n, mul vl]
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x1, #\n, mul vl]
	.endr
	ldr	x3, [x0, #FP_FPSR]
	msr	fpsr, x3
	ldr	x3, [x0, #FP_FPCR]
	msr	fpcr, x3
	ret

/* The vector length the current exception level has, in bytes. */
	.global sve_vector_length
sve_vector_length:
	rdvl	x0, #1
	ret
