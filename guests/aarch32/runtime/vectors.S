/*
 * vectors.S: the 32-bit guests' exception vector table (VBAR).
 *
 * Eight slots, one branch each (Arm ARM G1.12.1: reset, undefined, svc,
 * prefetch abort, data abort, the unused hyp slot, irq, fiq). Each slot
 * pushes r0-r12 onto its mode's stack (start.S gave every mode one), puts
 * its number in r0 and joins vector_common, which completes a struct
 * guest32_frame (guest32.h): the LR as taken (twice: lr_exc and ret), the
 * SPSR, and the interrupted mode's sp and lr, read by visiting that mode
 * (User's through System's, which shares them) with interrupts masked.
 * It calls guest32_exception(frame); on return SPSR, r0-r12 and the return
 * address come back from the frame and "movs pc, lr" resumes at ret with
 * the CPSR restored from the SPSR, Thumb bit and IT state included.
 * Nothing here may be nested: an exception in a handler that enters the
 * same mode overwrites its LR and SPSR.
 */
#define FRAME_SIZE	80	/* sizeof(struct guest32_frame), a multiple of 8 */
#define FRAME_SP	52
#define FRAME_LR	56
#define FRAME_RET	60
#define FRAME_SPSR	64
#define FRAME_VECTOR	68
#define FRAME_LR_EXC	72

	.syntax	unified
	.arm

.macro	ventry n
vec_\n:
	sub	sp, sp, #FRAME_SIZE
	stmia	sp, {r0-r12}
	mov	r0, #\n
	b	vector_common
.endm

	.text
	.balign	32		/* VBAR's bits [4:0] are RES0 */
	.globl	guest32_vectors
guest32_vectors:
	b	vec_0
	b	vec_1
	b	vec_2
	b	vec_3
	b	vec_4
	b	vec_5
	b	vec_6
	b	vec_7

	ventry	0	/* reset: only through a jump to the table */
	ventry	1	/* undefined instruction */
	ventry	2	/* svc */
	ventry	3	/* prefetch abort */
	ventry	4	/* data abort */
	ventry	5	/* hyp: never taken at EL1 */
	ventry	6	/* irq */
	ventry	7	/* fiq */

vector_common:
	str	r0, [sp, #FRAME_VECTOR]
	str	lr, [sp, #FRAME_RET]
	str	lr, [sp, #FRAME_LR_EXC]
	mrs	r1, spsr
	str	r1, [sp, #FRAME_SPSR]

	/* The interrupted mode's sp and lr. */
	mrs	r4, cpsr
	and	r2, r1, #0x1f
	cmp	r2, #0x10		/* User: System mode shares its sp and lr */
	moveq	r2, #0x1f
	orr	r2, r2, #0xc0		/* I and F masked while there */
	msr	cpsr_c, r2
	mov	r5, sp
	mov	r6, lr
	msr	cpsr_c, r4
	str	r5, [sp, #FRAME_SP]
	str	r6, [sp, #FRAME_LR]

	mov	r0, sp
	bl	guest32_exception

	ldr	r1, [sp, #FRAME_SPSR]
	msr	spsr_cxsf, r1
	ldr	lr, [sp, #FRAME_RET]
	ldmia	sp, {r0-r12}
	add	sp, sp, #FRAME_SIZE
	movs	pc, lr
