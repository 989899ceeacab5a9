/*
 * Where a CPU released from a spin table starts (spin_table.c): at the
 * exception level firmware left it in, MMU off, x0-x3 zero. It looks its
 * MPIDR up in spin_slots[] and enters spin_target with the context found
 * there in x0, as PSCI CPU_ON would have. A CPU without a slot (released
 * by someone else) waits for good.
 */
#include "arch/aarch64/asm.h"
#include "core/config.h"

	.text
	.global spin_table_entry
spin_table_entry:
	mrs	x1, mpidr_el1
	mov	x2, #0xffff		/* MPIDR_AFF_MASK: Aff3, Aff2-Aff0 */
	movk	x2, #0xff, lsl #16
	movk	x2, #0xff, lsl #32
	and	x1, x1, x2
	adr_l	x2, spin_slots
	mov	x3, #MAX_CPUS
1:	ldp	x4, x5, [x2], #16	/* mpidr, context */
	cmp	x4, x1
	b.eq	2f
	subs	x3, x3, #1
	b.ne	1b
3:	wfe
	b	3b
2:	mov	x0, x5
	adr_l	x2, spin_target
	ldr	x2, [x2]
	br	x2
