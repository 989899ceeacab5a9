/*
 * entry.S: the pmu guest's way down to EL0 and back.
 *
 * pmu_run_el0(entry, stack): runs entry at EL0 on stack, until it makes
 * an SVC, whose handler (main.c) resumes EL1 at pmu_el0_return.
 */
	.globl	pmu_run_el0
pmu_run_el0:
	stp	x29, x30, [sp, #-16]!
	msr	elr_el1, x0
	msr	sp_el0, x1
	msr	spsr_el1, xzr		/* EL0t, interrupts unmasked */
	isb
	eret
	.globl	pmu_el0_return
pmu_el0_return:
	ldp	x29, x30, [sp], #16
	ret

/* EL0's code: a cycle counter read, which PMUSERENR may forbid, then
 * back to EL1 with the value in x0. */
	.globl	pmu_el0_code
pmu_el0_code:
	mov	x0, #0xbad
	mrs	x0, pmccntr_el0
	svc	#0
