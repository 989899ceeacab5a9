/*
 * probes.S: the hostile guest's probing instructions, each a tiny function
 * in one section bounded by probe_text_start and probe_text_end.
 *
 * main.c's exception handler skips a faulting instruction (ELR += 4) only
 * when it lies in this section; an exception anywhere else means the guest
 * itself is broken, and it stops. Each probing instruction that may fault
 * has a global label (NAME_insn) so the handler's record of ELR_EL1 can be
 * checked against it.
 *
 * Memory probes: uint64_t mem_FORM(uint64_t addr, uint64_t val). A load
 * returns what it loaded, or val if the load was skipped; a writeback form
 * returns its base register afterwards (an aborted access must leave it
 * alone). All accesses are aligned: with the MMU off every data access is
 * Device memory, where an unaligned one is an alignment fault.
 *
 * System registers: four tables of 16384 stubs, "mrs x0, <enc>; ret" or
 * "msr <enc>, x0; ret", one per encoding of op1:CRn:CRm:op2 (14 bits), for
 * op0 = 2 and op0 = 3. The stub for index i is at table + 8 * i.
 */
	.arch	armv8-a
	.arch_extension fp
	.arch_extension simd

	.section .text.probes, "ax"
	.balign	8
	.globl	probe_text_start
probe_text_start:

.macro	probe name
	.globl	\name, \name\()_insn
	.type	\name, %function
\name:
.endm

/* Loads: x2 = address, x0 = the marker val until the load overwrites it. */
probe	mem_ldr
	mov	x2, x0
	mov	x0, x1
mem_ldr_insn:
	ldr	x0, [x2]
	ret

probe	mem_ldrb
	mov	x2, x0
	mov	x0, x1
mem_ldrb_insn:
	ldrb	w0, [x2]
	ret

probe	mem_ldrh
	mov	x2, x0
	mov	x0, x1
mem_ldrh_insn:
	ldrh	w0, [x2]
	ret

probe	mem_ldrw
	mov	x2, x0
	mov	x0, x1
mem_ldrw_insn:
	ldr	w0, [x2]
	ret

probe	mem_ldar
	mov	x2, x0
	mov	x0, x1
mem_ldar_insn:
	ldar	x0, [x2]
	ret

probe	mem_ldtr
	mov	x2, x0
	mov	x0, x1
mem_ldtr_insn:
	ldtr	x0, [x2]
	ret

probe	mem_ldxr
	mov	x2, x0
	mov	x0, x1
mem_ldxr_insn:
	ldxr	x0, [x2]
	clrex
	ret

/* A pair: ISV is clear, so Vireo must decode the instruction itself. */
probe	mem_ldp
	mov	x2, x0
	mov	x0, x1
	mov	x3, x1
mem_ldp_insn:
	ldp	x0, x3, [x2]
	eor	x0, x0, x3
	eor	x0, x0, x1	/* skipped: val ^ val ^ val = val */
	ret

/* A SIMD&FP register: ISV clear, and the FP trap comes first. */
probe	mem_ldq
	mov	x2, x0
	fmov	d0, x1
mem_ldq_insn:
	ldr	q0, [x2]
	fmov	x0, d0
	ret

/* Pre-index writeback: returns the base, which must still be addr - 16. */
probe	mem_ldr_pre
	sub	x3, x0, #16
mem_ldr_pre_insn:
	ldr	x4, [x3, #16]!
	mov	x0, x3
	ret

/* Stores. */
probe	mem_str
mem_str_insn:
	str	x1, [x0]
	ret

probe	mem_strb
mem_strb_insn:
	strb	w1, [x0]
	ret

probe	mem_strw
mem_strw_insn:
	str	w1, [x0]
	ret

probe	mem_stp
mem_stp_insn:
	stp	x1, x1, [x0]
	ret

/* Post-index writeback: returns the base, which must still be addr. */
probe	mem_str_post
	mov	x3, x0
mem_str_post_insn:
	str	x1, [x3], #16
	mov	x0, x3
	ret

probe	mem_stlr
mem_stlr_insn:
	stlr	x1, [x0]
	ret

/* More sizes, for the GIC registers (gicregs): a halfword store, and a
 * pair of words (ISV clear: decoded by Vireo). */
probe	mem_strh
mem_strh_insn:
	strh	w1, [x0]
	ret

probe	mem_ldpw
	mov	x2, x0
	mov	x0, x1
	mov	x3, x1
mem_ldpw_insn:
	ldp	w0, w3, [x2]
	bfi	x0, x3, #32, #32
	ret

/* GIC SGI generation registers, by their generic names. */
probe	sgi1r_write
sgi1r_write_insn:
	msr	S3_0_C12_C11_5, x0	/* ICC_SGI1R_EL1 */
	ret

probe	asgi1r_write
asgi1r_write_insn:
	msr	S3_0_C12_C11_6, x0	/* ICC_ASGI1R_EL1 */
	ret

probe	sgi0r_write
sgi0r_write_insn:
	msr	S3_0_C12_C11_7, x0	/* ICC_SGI0R_EL1 */
	ret

/*
 * SMCCC calls: void call_X(uint64_t r[8]) loads x0..x7 from r, makes the
 * call and stores x0..x7 back. x8..x17 may be clobbered (SMCCC 1.1), which
 * the C calling convention allows anyway.
 */
.macro	call_stub name, insn
probe	\name
	str	x0, [sp, #-16]!
	mov	x8, x0
	ldp	x0, x1, [x8]
	ldp	x2, x3, [x8, #16]
	ldp	x4, x5, [x8, #32]
	ldp	x6, x7, [x8, #48]
\name\()_insn:
	\insn
	ldr	x8, [sp], #16
	stp	x0, x1, [x8]
	stp	x2, x3, [x8, #16]
	stp	x4, x5, [x8, #32]
	stp	x6, x7, [x8, #48]
	ret
.endm

	call_stub call_hvc0, "hvc #0"
	call_stub call_hvc1, "hvc #1"
	call_stub call_hvcffff, "hvc #0xffff"
	call_stub call_smc0, "smc #0"

/* The system register stub tables. */
.macro	sysreg_table name, base
	.balign	8
	.globl	\name
\name:
	.set	i, 0
	.rept	16384
	.inst	\base | (i << 5)
	ret
	.set	i, i + 1
	.endr
.endm

	sysreg_table sysreg_mrs_op0_2, 0xd5300000	/* MRS x0, S2_<op1>_C<n>_C<m>_<op2> */
	sysreg_table sysreg_msr_op0_2, 0xd5100000	/* MSR S2_..., x0 */
	sysreg_table sysreg_mrs_op0_3, 0xd5380000	/* MRS x0, S3_... */
	sysreg_table sysreg_msr_op0_3, 0xd5180000	/* MSR S3_..., x0 */

	.globl	probe_text_end
probe_text_end:

/*
 * The attack page (the fetch phase): a page of its own, which main.c maps
 * at another virtual address in its own stage 1 and then remaps under
 * itself without TLB maintenance, so that the translation Vireo makes of
 * the PC differs from the one the CPU fetched the instruction through.
 * Each routine is a leaf: the exception handler steps over a faulting
 * data access here, and returns to x30 from a faulting fetch.
 *
 * struct pair attack_X(uint64_t addr, uint64_t val): x0 = what was loaded
 * (val where the load was skipped), x1 = the base register afterwards.
 * Each loads from an emulated device with ISV clear (a pair; a
 * post-indexed load), so Vireo must read the instruction at the PC.
 */
	.section .text.attack, "ax"
	.balign	4096
	.globl	attack_page
attack_page:

probe	attack_ldpw
	mov	x2, x0
	mov	x0, x1
	mov	x3, x1
attack_ldpw_insn:
	ldp	w0, w3, [x2]
	bfi	x0, x3, #32, #32
	mov	x1, x2
	ret

probe	attack_ldr_post
	mov	x2, x0
	mov	x0, x1
attack_ldr_post_insn:
	ldr	w0, [x2], #4
	mov	x1, x2
	ret

	.balign	4096
	.globl	attack_page_end
attack_page_end:
