/*
 * entry.S: where the pmu guest's second vCPU starts (PSCI CPU_ON), on a
 * stack of its own.
 */
	.globl	pmu_secondary_entry
pmu_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	adrp	x1, pmu_stack
	add	x1, x1, :lo12:pmu_stack
	add	x1, x1, #8192		/* sizeof(pmu_stack): its top */
	mov	sp, x1
	bl	pmu_secondary
1:	wfi
	b	1b
