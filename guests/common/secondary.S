/*
 * secondary.S: where a guest's other vCPUs start, for guest_cpu_on()
 * (hvc.c). Vireo starts each at EL1h with the MMU off and x0 = PSCI
 * CPU_ON's context argument, here a struct guest_start (guest.h): the
 * top of a stack of the vCPU's own, then the C function to run on it,
 * which never returns. Interrupts stay masked until that function
 * unmasks them.
 */
	.text
	.balign	4
	.globl	guest_secondary_entry
guest_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	ldp	x1, x2, [x0]		/* stack_top, fn */
	mov	sp, x1
	blr	x2
1:	wfi
	b	1b
