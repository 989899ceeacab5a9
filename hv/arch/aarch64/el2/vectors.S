/*
 * EL2's exception vectors, and the assembly half of the world switch.
 *
 * guest_enter(regs) is called from the mode's run loop (switch.c) with the vCPU's
 * EL1 state already loaded. It pushes the hypervisor's callee-saved
 * registers on this CPU's stack, loads the guest's general registers, PC
 * (ELR_EL2), PSTATE (SPSR_EL2) and SP_EL0 from *regs, and erets into the
 * guest. The guest then runs until something traps to EL2.
 *
 * A trap from the guest (a "lower EL" vector) does the mirror image: it
 * saves the guest's general registers, SP_EL0, ELR_EL2 and SPSR_EL2 into
 * the struct cpu_regs that this CPU's struct pcpu points at, pops the
 * callee-saved registers and returns from guest_enter() with the exit kind
 * (EXIT_SYNC, EXIT_IRQ, ...) in x0; an AArch32 guest's exits come through
 * the same paths (its r0-r14 are in x0-x30, as the architecture maps
 * them). Everything else is C: switch.c reads
 * ESR_EL2, core/trap.c decides what the trap means.
 *
 * One exception to "everything else is C": a few hypercalls whose answer
 * is a constant (VIREO_HC_NULL, PSCI_VERSION, SMCCC_VERSION, all through
 * hvc #0, from AArch64 or AArch32) are answered right in the vector, before any register is saved,
 * as KVM answers its SMCCC workaround calls. They change no state, so
 * nothing is lost by not going round the run loop; the IDs and answers
 * come from the C headers through asm-offsets.h.
 *
 * An exception taken from EL2 itself is a Vireo bug: the vector saves the
 * registers in a frame on the stack and calls hyp_exception(), which panics.
 * A synchronous one first checks that the stack has room for that: an EL2
 * stack overflow faults on the guard page below the stack (mmu.c) with SP
 * at or just above the guard, and pushing the frame there would fault
 * again, for ever. Such an exception moves to the CPU's emergency stack
 * and calls hyp_stack_overflow() instead. Only these current-EL vectors
 * check; a guest's exits are not slowed down by it.
 */
#include "arch/aarch64/asm.h"
#include "asm-offsets.h"
#include "core/config.h"
#include "core/exit.h"

.macro ventry target
	.align 7
	b	\target
.endm

	.section .text
	.align 11
	.global el2_vectors
el2_vectors:
	ventry	hyp_sync		/* current EL, SP_EL0 */
	ventry	hyp_irq
	ventry	hyp_fiq
	ventry	hyp_serror
	ventry	hyp_sync		/* current EL, SP_ELx */
	ventry	hyp_irq
	ventry	hyp_fiq
	ventry	hyp_serror
	ventry	guest_sync		/* lower EL, AArch64 */
	ventry	guest_irq
	ventry	guest_fiq
	ventry	guest_serror
	ventry	guest_sync32		/* lower EL, AArch32 */
	ventry	guest_irq
	ventry	guest_fiq
	ventry	guest_serror

/* x0: struct cpu_regs *. Returns an EXIT_* code when the guest traps. */
	.global guest_enter
guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]

	ldr	x1, [x0, #REGS_SP_EL0]
	msr	sp_el0, x1
	ldr	x1, [x0, #REGS_PC]
	msr	elr_el2, x1
	ldr	x1, [x0, #REGS_PSTATE]
	msr	spsr_el2, x1

	ldp	x2, x3, [x0, #(2 * 8)]
	ldp	x4, x5, [x0, #(4 * 8)]
	ldp	x6, x7, [x0, #(6 * 8)]
	ldp	x8, x9, [x0, #(8 * 8)]
	ldp	x10, x11, [x0, #(10 * 8)]
	ldp	x12, x13, [x0, #(12 * 8)]
	ldp	x14, x15, [x0, #(14 * 8)]
	ldp	x16, x17, [x0, #(16 * 8)]
	ldp	x18, x19, [x0, #(18 * 8)]
	ldp	x20, x21, [x0, #(20 * 8)]
	ldp	x22, x23, [x0, #(22 * 8)]
	ldp	x24, x25, [x0, #(24 * 8)]
	ldp	x26, x27, [x0, #(26 * 8)]
	ldp	x28, x29, [x0, #(28 * 8)]
	ldr	x30, [x0, #(30 * 8)]
	ldp	x0, x1, [x0]
	eret
	/* No speculation past the eret (Arm ARM B2.3.8, speculative execution). */
	dsb	nsh
	isb

/*
 * Saves the guest's registers into pcpu->guest_regs, then returns from
 * guest_enter() with \code. Entered with the guest's x0-x30 live.
 */
.macro guest_exit code
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PCPU_GUEST_REGS]
	stp	x2, x3, [x0, #(2 * 8)]
	stp	x4, x5, [x0, #(4 * 8)]
	stp	x6, x7, [x0, #(6 * 8)]
	stp	x8, x9, [x0, #(8 * 8)]
	stp	x10, x11, [x0, #(10 * 8)]
	stp	x12, x13, [x0, #(12 * 8)]
	stp	x14, x15, [x0, #(14 * 8)]
	stp	x16, x17, [x0, #(16 * 8)]
	stp	x18, x19, [x0, #(18 * 8)]
	stp	x20, x21, [x0, #(20 * 8)]
	stp	x22, x23, [x0, #(22 * 8)]
	stp	x24, x25, [x0, #(24 * 8)]
	stp	x26, x27, [x0, #(26 * 8)]
	stp	x28, x29, [x0, #(28 * 8)]
	str	x30, [x0, #(30 * 8)]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x1, sp_el0
	str	x1, [x0, #REGS_SP_EL0]
	mrs	x1, elr_el2
	str	x1, [x0, #REGS_PC]
	mrs	x1, spsr_el2
	str	x1, [x0, #REGS_PSTATE]
	mov	x0, #\code
	b	guest_return
.endm

/* Loads a 32-bit constant into wN: the IDs do not fit one instruction. */
.macro mov32 reg, val
	movz	\reg, #((\val) >> 16), lsl #16
	movk	\reg, #((\val) & 0xffff)
.endm

/* Compares w0 (the call's function ID) with id; on a match, counts it in
 * the vCPU's fast_calls[index] (core/stats.h: pcpu->guest_regs is the
 * vCPU's regs, a fixed distance before its statistics) and answers it. */
.macro fast_call id, index, answer
	mov32	w1, \id
	cmp	w0, w1
	b.ne	1f
	mrs	x1, tpidr_el2
	ldr	x1, [x1, #PCPU_GUEST_REGS]
	ldr	x0, [x1, #(REGS_FAST_CALLS + 8 * \index)]
	add	x0, x0, #1
	str	x0, [x1, #(REGS_FAST_CALLS + 8 * \index)]
	mov32	w0, \answer
	b	fast_return
1:
.endm

guest_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	mov32	w0, ESR_HVC64_IMM0
	cmp	w1, w0			/* hvc #0 from AArch64 */
	ldr	x0, [sp]		/* the guest's x0 again */
	b.ne	guest_sync_slow
fast_calls:
	fast_call FAST_HC_NULL, FAST_NULL_INDEX, 0
	fast_call FAST_PSCI_VERSION, FAST_PSCI_VERSION_INDEX, FAST_PSCI_VERSION_ANSWER
	fast_call FAST_SMCCC_VERSION, FAST_SMCCC_VERSION_INDEX, FAST_SMCCC_VERSION_ANSWER
guest_sync_slow:
	ldp	x0, x1, [sp], #16
	guest_exit EXIT_SYNC

/* x0: the answer (32 bits, zero-extended as SMCCC wants). The guest's x1
 * is on the stack; ELR_EL2 already points past the hvc. */
fast_return:
	ldr	x1, [sp, #8]
	add	sp, sp, #16
	eret
	dsb	nsh
	isb

/* The same from AArch32, whose hvc #0 has its own syndrome; r0 is the
 * low half of x0, and the answer's upper half is nothing to it. */
guest_sync32:
	stp	x0, x1, [sp, #-16]!
	mrs	x1, esr_el2
	mov32	w0, ESR_HVC32_IMM0
	cmp	w1, w0
	ldr	x0, [sp]
	b.eq	fast_calls
	b	guest_sync_slow

guest_irq:	guest_exit EXIT_IRQ
guest_fiq:	guest_exit EXIT_FIQ
guest_serror:	guest_exit EXIT_SERROR

guest_return:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/* Pushes a struct hyp_frame holding x0-x30 as they are; the caller fills in
 * its sp. */
.macro push_hyp_frame
	sub	sp, sp, #HYP_FRAME_SIZE
	stp	x0, x1, [sp, #(0 * 8)]
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	stp	x28, x29, [sp, #(28 * 8)]
	str	x30, [sp, #(30 * 8)]
.endm

/* Saves a struct hyp_frame on the stack and calls hyp_exception(frame, kind). */
.macro hyp_trap kind
	push_hyp_frame
	add	x1, sp, #HYP_FRAME_SIZE
	str	x1, [sp, #HYP_FRAME_SP]
	mov	x0, sp
	mov	x1, #\kind
	bl	hyp_exception
	b	halt_forever
.endm

/*
 * Is EL2_STACK_RESERVE left below SP? A CPU's stack is the upper half of a
 * block aligned to twice its size (el2.h, struct el2_stack), so SP less the
 * reserve has bit STACK_SHIFT set while it is on the stack, and clear once
 * it is in the lower half: the guard page and the emergency stack. The test
 * needs a register, and SP_EL0 holds x0 meanwhile: at EL2 it is free, as
 * every guest exit has saved the guest's value (guest_exit) and guest_enter
 * loads it again.
 */
hyp_sync:
	msr	sp_el0, x0
	mov	x0, sp
	sub	x0, x0, #EL2_STACK_RESERVE
	tbz	x0, #STACK_SHIFT, hyp_overflow
	mrs	x0, sp_el0
	hyp_trap EXIT_SYNC

hyp_irq:	hyp_trap EXIT_IRQ
hyp_fiq:	hyp_trap EXIT_FIQ
hyp_serror:	hyp_trap EXIT_SERROR

/*
 * x0: SP less the reserve, in the lower half of this CPU's block; the
 * exception's x0 is in SP_EL0. Moves to the emergency stack at the top of
 * that lower half, saves the frame there with the SP that ran out, and
 * calls hyp_stack_overflow(frame).
 */
hyp_overflow:
	bic	x0, x0, #(2 * STACK_SIZE - 1)	/* the block */
	add	x0, x0, #EL2_STACK_EMERGENCY_TOP
	/* Swap SP and x0 without a third register: SP becomes the emergency
	 * stack's top, x0 the SP that ran out. */
	add	sp, sp, x0
	sub	x0, sp, x0
	sub	sp, sp, x0
	push_hyp_frame
	str	x0, [sp, #HYP_FRAME_SP]
	mrs	x0, sp_el0
	str	x0, [sp, #(0 * 8)]
	mov	x0, sp
	bl	hyp_stack_overflow
	b	halt_forever
