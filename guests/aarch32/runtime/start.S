/*
 * start.S: the first instructions of every in-tree 32-bit guest.
 *
 * The image opens with the header of Linux's zImage (arch/arm/boot/
 * compressed/head.S): eight no-ops and a branch, then at byte 0x24 the
 * magic 0x016F2818, at 0x28 and 0x2C the addresses the image is linked to
 * start and end at (its loaded bytes; .bss and the stacks follow), at 0x30
 * the endianness flag. The magic is what tells Vireo (and any zImage
 * loader) that this is AArch32 code.
 *
 * Entry (Linux's 32-bit boot protocol): SVC mode, interrupts masked, MMU
 * off, r0 = 0, r1 = ~0, r2 = the device tree's address. The image is linked
 * at 0x40008000, where Vireo loads it; when it runs anywhere else (plain
 * QEMU puts a raw image at RAM base + 0x10000) it first copies itself to
 * its link address, position-independently, and continues there. Then it
 * clears .bss, gives each exception mode a stack of its own, points VBAR
 * at guest32_vectors (SCTLR.V = 0, so VBAR is used; SCTLR.TE = 0, so
 * exceptions are taken in ARM state) and calls main() in SVC mode with
 * A, I and F still masked. The boot registers, CPSR and load address are
 * kept for main() in guest32_boot_*.
 */
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define SCTLR_V  (1 << 13)
#define SCTLR_TE (1 << 30)

	.syntax	unified
	.arm
	.section .text.head, "ax"
	.globl	_head
_head:
	.rept	8
	mov	r0, r0		/* a zImage's no-ops: a.out-era loaders jump here */
	.endr
	b	entry
	.word	0x016f2818	/* 0x24: the zImage magic */
	.word	_head		/* 0x28: start address (the link address) */
	.word	_edata		/* 0x2C: end address of the loaded bytes */
	.word	0x04030201	/* 0x30: endianness flag: little-endian */
	.word	0x45454545	/* 0x34: no data table follows */
	.word	0

	/* Still .text.head: the adr below must reach _head. */
entry:
	/* The boot registers and CPSR, kept in registers until .bss is clear. */
	mov	r8, r0
	mov	r9, r1
	mov	r10, r2
	mrs	r11, cpsr
	cpsid	aif

	/* Where we run (PC-relative) against where we are linked. */
	adr	r4, _head
	ldr	r5, =_head
	mov	r12, r4		/* the load address, for guest32_loaded_at */
	cmp	r4, r5
	beq	relocated
	ldr	r6, =_edata
	sub	r6, r6, r5	/* bytes to copy: the loaded image */
	/* Forward when going down, backward when going up: either way no
	 * byte is read after it was overwritten. */
	cmp	r5, r4
	bhi	2f
1:	ldr	r7, [r4], #4
	str	r7, [r5], #4
	subs	r6, r6, #4
	bgt	1b
	b	3f
2:	add	r4, r4, r6
	add	r5, r5, r6
4:	ldr	r7, [r4, #-4]!
	str	r7, [r5, #-4]!
	subs	r6, r6, #4
	bgt	4b
	/*
	 * New code in memory: make it visible to instruction fetches (the
	 * I-cache may be on at entry) before branching into it (Arm ARM
	 * G3.4.4, "ensuring the visibility of updates to instructions").
	 */
3:	dsb	sy
	mov	r0, #0
	mcr	p15, 0, r0, c7, c5, 0	/* ICIALLU */
	mcr	p15, 0, r0, c7, c5, 6	/* BPIALL */
	dsb	sy
	isb
	ldr	pc, =relocated

relocated:
	ldr	sp, =__stack_svc

	/* .bss is 8-byte aligned and sized by the linker script. */
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
	mov	r3, #0
5:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	5b

	ldr	r0, =guest32_boot_r0
	str	r8, [r0]
	ldr	r0, =guest32_boot_r1
	str	r9, [r0]
	ldr	r0, =guest32_boot_r2
	str	r10, [r0]
	ldr	r0, =guest32_boot_cpsr
	str	r11, [r0]
	ldr	r0, =guest32_loaded_at
	str	r12, [r0]

	/* A stack for each mode an exception can enter; cps keeps A/I/F. */
	cps	#MODE_UND
	ldr	sp, =__stack_und
	cps	#MODE_ABT
	ldr	sp, =__stack_abt
	cps	#MODE_IRQ
	ldr	sp, =__stack_irq
	cps	#MODE_FIQ
	ldr	sp, =__stack_fiq
	cps	#MODE_SVC

	/* Vectors at VBAR, taken in ARM state. */
	mrc	p15, 0, r0, c1, c0, 0
	bic	r0, r0, #SCTLR_V
	bic	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	ldr	r0, =guest32_vectors
	mcr	p15, 0, r0, c12, c0, 0
	isb

	bl	main
	/* main returned: there is nothing to go back to, so power off. */
	bl	psci_system_off
6:	wfi
	b	6b
	.ltorg

	.bss
	.balign	4
	.globl	guest32_boot_r0, guest32_boot_r1, guest32_boot_r2
	.globl	guest32_boot_cpsr, guest32_loaded_at
guest32_boot_r0:	.space	4
guest32_boot_r1:	.space	4
guest32_boot_r2:	.space	4
guest32_boot_cpsr:	.space	4
guest32_loaded_at:	.space	4
