/*
 * debug.S: the debug guest's code that must be exactly these
 * instructions: the functions its breakpoints are set on, the
 * single-step trampoline and the instructions it steps, and where its
 * second vCPU starts.
 */
	.text
	.balign	4

/* Breakpoint targets: the breakpoint is on the first instruction, and
 * the handler returns to x30, as if the function had run. */
	.globl	debug_target_a
debug_target_a:
	add	x0, x0, #1
	ret

	.globl	debug_target_b
debug_target_b:
	add	x0, x0, #2
	ret

/*
 * x0: the code to step; x1: x0 for it; x2: x2 for it. Enters the code at
 * EL1h with PSTATE.SS set and D clear (MDSCR_EL1.SS and KDE are the
 * caller's): the step is active-not-pending, so exactly one instruction
 * runs before the software step exception. The handler resumes at
 * debug_step_return, with x0 and x1 as the stepped code left them.
 */
	.globl	debug_step
debug_step:
	stp	x29, x30, [sp, #-16]!
	msr	elr_el1, x0
	mov	x3, #0x1c5		/* EL1h, A, I and F masked, D clear */
	orr	x3, x3, #(1 << 21)	/* SS */
	msr	spsr_el1, x3
	mov	x0, x1
	eret

	.globl	debug_step_return
debug_step_return:
	ldp	x29, x30, [sp], #16
	ret

/* What is stepped: one instruction, then nops, so that a step that ran
 * two would show in ELR; the branch after them is never reached. */
.macro stepped name, insn:vararg
	.globl	\name
\name:
	\insn
	nop
	nop
	b	.
.endm

	stepped	step_add, add x0, x0, #1
	stepped	step_hvc, hvc #0
	stepped	step_mmio, ldr w0, [x2]
	stepped	step_idreg, mrs x0, id_aa64dfr0_el1

