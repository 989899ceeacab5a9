/*
 * secondary.S: where the its guest's vCPUs 1-3 start (PSCI CPU_ON's entry).
 *
 * Vireo starts each at EL1h with the MMU off and x0 = the context
 * argument, which main.c makes the top of a stack of its own; interrupts
 * stay masked until its_secondary() has set its CPU interface up, and it
 * never returns.
 */
	.text
	.balign	4
	.globl	its_secondary_entry
its_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	sp, x0
	bl	its_secondary
1:	wfi
	b	1b
