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
 */
	.syntax	unified
	.text

	.arm
	.globl	load_arm, load_arm_insn, store_arm, store_arm_insn, jump_to
	.type	load_arm, %function
load_arm:
load_arm_insn:
	ldr	r1, [r0]
	mov	r0, r1
	bx	lr

	.type	store_arm, %function
store_arm:
store_arm_insn:
	str	r1, [r0]
	bx	lr

	.type	jump_to, %function
jump_to:
	push	{r4, lr}
	blx	r0
	pop	{r4, pc}

	.thumb
	.globl	load_thumb, load_thumb_insn
	.type	load_thumb, %function
	.thumb_func
load_thumb:
load_thumb_insn:
	ldr	r1, [r0]
	mov	r0, r1
	bx	lr
