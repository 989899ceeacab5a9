/*
 * bench32.S: the 32-bit benchmark guest's timing, exact to one
 * instruction, as guests/bench/bench.S's is for the 64-bit one.
 *
 * Under QEMU's -icount shift=0 virtual time advances one nanosecond per
 * instruction and the generic counter ticks every 16 ns (62.5 MHz). A
 * "ladder" of counter reads one instruction apart has a step where the
 * count goes up, and the read there happened at the tick's very
 * nanosecond: that pins the time of every read of the ladder. The 64-bit
 * ladder is 17 reads into 17 registers; AArch32 has 15 (r0-r12, sp, lr),
 * and MRRC writes two. So a ladder here is two sections of 14 reads, each
 * read's high word (Rt2) going to the register the next read overwrites
 * and the last one's to lr: section A at slots 0-13, the 3 instructions
 * that store it (its registers, sp included, with one STM) and 7 no-ops,
 * section B at slots 24-37 and its store. A finds the ticks at slots 1-13
 * of the 16 phases, B those at 25-37, i.e. phases 9-15 and 0-5: between
 * them every phase (main.c's ladder_at()). sp is a ladder register, so
 * the code around it keeps sp in bench32_state while it runs; interrupts
 * are masked there, but the IRQ handler's own ladder, which clobbers the
 * banked sp_irq and lr_irq, saves them the same way.
 *
 * TIMED functions: uint32_t NAME(uint32_t arg) runs a ladder into
 * bench32_ladder1, the operation under test (with r0 = arg, and arg in r4
 * too), a ladder into bench32_ladder2, and returns the operation's r0.
 * Between the first ladder's last read and the second's first there is a
 * fixed stretch of code and the operation; main.c subtracts the stretch
 * (timed_nothing's figure).
 *
 * bench32_vectors: a vector table whose IRQ slot is the handler itself:
 * its first instruction saves r0-r12 and lr, its fifth is its ladder's
 * first read (HANDLER_READ); then it acknowledges the interrupt
 * (ICC_IAR1), masks the virtual timer if that raised it, ends it
 * (ICC_EOIR1) and counts it. The slot after it (FIQ) is never taken: FIQs
 * stay masked. The other slots go to the runtime's table.
 */
#define INTID_VTIMER	27
#define CTL_IMASK	2

/* struct bench32_state (main.c): offsets. */
#define ST_ARG		0
#define ST_SP		4
#define ST_RET		8
#define ST_IRQ_SP	12
#define ST_COUNT	16
#define ST_INTID	20

	.syntax	unified
	.arch	armv8-a
	.arch_extension	virt
	.arm

.macro	SECTION
	mrrc	p15, 1, r0, r1, c14
	mrrc	p15, 1, r1, r2, c14
	mrrc	p15, 1, r2, r3, c14
	mrrc	p15, 1, r3, r4, c14
	mrrc	p15, 1, r4, r5, c14
	mrrc	p15, 1, r5, r6, c14
	mrrc	p15, 1, r6, r7, c14
	mrrc	p15, 1, r7, r8, c14
	mrrc	p15, 1, r8, r9, c14
	mrrc	p15, 1, r9, r10, c14
	mrrc	p15, 1, r10, r11, c14
	mrrc	p15, 1, r11, r12, c14
	mrrc	p15, 1, r12, sp, c14
	mrrc	p15, 1, sp, lr, c14
.endm

/* 14 reads, 10 instructions, 14 reads, 3 instructions; into buf[28]. */
.macro	LADDER buf
	SECTION
	movw	lr, #:lower16:\buf
	movt	lr, #:upper16:\buf
	stm	lr, {r0-r12, sp}
	.rept	7
	nop
	.endr
	SECTION
	movw	lr, #:lower16:(\buf + 56)
	movt	lr, #:upper16:(\buf + 56)
	stm	lr, {r0-r12, sp}
.endm

/* r12 = &bench32_state: 2 instructions. */
.macro	STATE
	movw	r12, #:lower16:bench32_state
	movt	r12, #:upper16:bench32_state
.endm

.macro	TIMED name, op:vararg
	.globl	\name
	.type	\name, %function
\name:
	push	{r4-r11, lr}
	STATE
	str	r0, [r12, #ST_ARG]
	str	sp, [r12, #ST_SP]
	LADDER	bench32_ladder1
	STATE
	ldr	sp, [r12, #ST_SP]
	ldr	r0, [r12, #ST_ARG]
	mov	r4, r0
	\op
	STATE
	str	r0, [r12, #ST_RET]
	LADDER	bench32_ladder2
	STATE
	ldr	sp, [r12, #ST_SP]
	ldr	r0, [r12, #ST_RET]
	pop	{r4-r11, pc}
	.size	\name, . - \name
.endm

.macro	HVC_OP
	hvc	#0
.endm

.macro	LOAD_OP
	ldr	r0, [r4]
.endm

.macro	LOOP_OP
1:	subs	r4, r4, #1
	bne	1b
.endm

	.text
	TIMED	timed_nothing
	TIMED	op_null_hvc, HVC_OP		/* r0 = VIREO_HC_NULL */
	TIMED	op_gicd_typer, LOAD_OP		/* r0 = its address */
	TIMED	op_uartfr, LOAD_OP
	TIMED	op_loop, LOOP_OP		/* r0 = n > 0: n turns of 2 instructions */

	.balign	32
	.globl	bench32_vectors
bench32_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5
	b	guest32_vectors + \n * 4
	.endr
	/* 0x18: IRQ. */
	stmdb	sp!, {r0-r12, lr}	/* the handler's first instruction */
	STATE
	str	sp, [r12, #ST_IRQ_SP]
	LADDER	bench32_irq_ladder	/* its first read: the 5th instruction */
	STATE
	ldr	sp, [r12, #ST_IRQ_SP]
	mrc	p15, 0, r0, c12, c12, 0	/* ICC_IAR1 */
	bic	r0, r0, #0xff000000
	cmp	r0, #1020
	bhs	2f
	str	r0, [r12, #ST_INTID]
	cmp	r0, #INTID_VTIMER
	moveq	r1, #CTL_IMASK
	mcreq	p15, 0, r1, c14, c3, 1	/* CNTV_CTL: off, its level dropped */
	isb
	mcr	p15, 0, r0, c12, c12, 1	/* ICC_EOIR1 */
	ldr	r1, [r12, #ST_COUNT]
	add	r1, r1, #1
	str	r1, [r12, #ST_COUNT]
2:	ldmia	sp!, {r0-r12, lr}
	subs	pc, lr, #4
