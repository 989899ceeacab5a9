/*
 * secondary.S: where gicconf's other vCPUs start (PSCI CPU_ON's entry),
 * with x0 = the vCPU's index: a stack of its own, then
 * gicconf_secondary(index), which never returns.
 */
#define STACK_SIZE	8192

	.text
	.balign	4
	.globl	gicconf_secondary_entry
gicconf_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	add	x1, x0, #1
	adrp	x2, gicconf_stacks
	add	x2, x2, :lo12:gicconf_stacks
	mov	x3, #STACK_SIZE
	madd	x1, x1, x3, x2		/* the top of stack number (index) */
	mov	sp, x1
	bl	gicconf_secondary
1:	wfi
	b	1b
