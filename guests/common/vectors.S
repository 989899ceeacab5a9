/*
 * vectors.S: the guests' EL1 exception vector table.
 *
 * Each of the 16 slots saves x0/x1, puts its own number in x1 and joins
 * vector_common, which completes a struct guest_frame (guest.h) on the
 * stack and calls guest_exception(frame, vector). On return, ELR_EL1,
 * SPSR_EL1 and x0..x30 are reloaded from the frame, so a handler resumes
 * the interrupted code elsewhere simply by editing f->elr. The saved sp is
 * for reading only. FP/SIMD registers are not saved: all guest C code is
 * built -mgeneral-regs-only, so no handler can clobber them.
 */
#define FRAME_SIZE	288	/* sizeof(struct guest_frame), 16-aligned */
#define FRAME_X30	240
#define FRAME_ELR	256
#define FRAME_ESR	272

.macro ventry n
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\n
	b	vector_common
.endm

	.text
	.balign	2048		/* VBAR_EL1 ignores bits [10:0] */
	.globl	guest_vectors
guest_vectors:
	ventry	0	/* current EL, SP_EL0: sync, irq, fiq, serror */
	ventry	1
	ventry	2
	ventry	3
	ventry	4	/* current EL, SP_ELx */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x0, sp, #FRAME_SIZE	/* sp before the slot pushed the frame */
	stp	x30, x0, [sp, #FRAME_X30]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #FRAME_ESR]

	mov	x0, sp
	bl	guest_exception

	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #FRAME_X30]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
