/*
 * secondary.S: where pvtest's second vCPU starts (PSCI CPU_ON's entry).
 *
 * Vireo starts it at EL1h with the MMU off and x0 = the context argument,
 * which pvtest makes the top of a stack of its own; interrupts are masked
 * as on the first vCPU, and pvtest_secondary() never returns.
 */
	.text
	.balign	4
	.globl	pvtest_secondary_entry
pvtest_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	mov	sp, x0
	bl	pvtest_secondary
1:	wfi
	b	1b
