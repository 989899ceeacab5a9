/*
 * secondary.S: where cpuonoff's other vCPUs start (PSCI CPU_ON's entry).
 *
 * Vireo starts a vCPU here at EL1h with its MMU off and x0 = the context
 * argument, which cpuonoff makes (round << 8) | vCPU index. Each vCPU has
 * a stack of its own, found from its index; x0 is passed on untouched to
 * cpuonoff_secondary(), which never returns. Nothing here touches an
 * FP/SIMD or EL1 system register: the C code checks them as reset left
 * them.
 */
#define STACK_SIZE	8192

	.text
	.balign	4
	.globl	cpuonoff_secondary_entry
cpuonoff_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	and	x1, x0, #0xff
	add	x1, x1, #1
	adrp	x2, cpuonoff_stacks
	add	x2, x2, :lo12:cpuonoff_stacks
	mov	x3, #STACK_SIZE
	madd	x1, x1, x3, x2		/* the top of stack number (index) */
	mov	sp, x1
	bl	cpuonoff_secondary
1:	wfi
	b	1b
