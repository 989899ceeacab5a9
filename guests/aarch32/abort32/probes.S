/*
 * probes.S: abort32's faulting accesses, each one instruction at a label
 * main.c's handler compares the fault's pc with.
 *
 * uint32_t load_arm(uint32_t addr, uint32_t marker): ldr r1, [r0];
 * returns r1 (the marker when the load was skipped).
 * void store_arm(uint32_t addr, uint32_t val): str r1, [r0].
 * uint32_t load_thumb(uint32_t addr, uint32_t marker): the same load in
 * 16-bit Thumb.
 * void jump_to(uint32_t addr): blx r0; the handler returns to our caller
 * through lr, which blx set to the instruction after it.
 *
 * Each first sets SPSR_svc to the CPSR, what the abort puts in SPSR_abt:
 * QEMU (7.2) does not load an AArch32 mode's SPSR when an AArch64 EL2
 * returns into that mode, so an abort Vireo injects would otherwise show
 * the SPSR of the mode the guest was in (docs/debugging.md).
 */
.macro	spsr_is_cpsr thumb=0
	mrs	r12, cpsr
	.if \thumb
	orr	r12, r12, #0x20		/* T, which MRS reads as 0 */
	.endif
	msr	spsr_fsxc, r12
.endm
	.syntax	unified
	.text

	.arm
	.globl	load_arm, load_arm_insn, store_arm, store_arm_insn, jump_to
	.type	load_arm, %function
load_arm:
	spsr_is_cpsr
load_arm_insn:
	ldr	r1, [r0]
	mov	r0, r1
	bx	lr

	.type	store_arm, %function
store_arm:
	spsr_is_cpsr
store_arm_insn:
	str	r1, [r0]
	bx	lr

	.type	jump_to, %function
jump_to:
	spsr_is_cpsr
	push	{r4, lr}
	blx	r0
	pop	{r4, pc}

	.thumb
	.globl	load_thumb, load_thumb_insn
	.type	load_thumb, %function
	.thumb_func
load_thumb:
	spsr_is_cpsr 1
load_thumb_insn:
	ldr	r1, [r0]
	mov	r0, r1
	bx	lr
