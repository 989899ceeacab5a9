/*
 * start.S: the first instructions of every in-tree guest.
 *
 * The image opens with the arm64 Linux Image header (Documentation/arm64/
 * booting.rst) so that Vireo, and QEMU's -kernel, recognise it. The entry
 * code sets up a stack in .bss, clears .bss, installs the EL1 vector table
 * and calls main(). Every address is formed PC-relatively (adr/adrp), never
 * loaded from a literal, because the image is linked at 0x40000000 but QEMU
 * loads a text_offset-0 Image 2 MiB higher; the code must work at either.
 * The boot argument in x0 (the device tree) is kept in guest_boot_arg.
 */
	.section .text.head, "ax"
	.globl _head
_head:
	b	entry			/* code0: branch over the header */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load at the RAM base */
	.quad	__image_size		/* image_size, .bss included */
	.quad	0xa			/* flags: LE, 4K pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

	.text
entry:
	/*
	 * Mask everything and use SP_EL1: the boot contract already says so,
	 * but QEMU's own boot path and a future loader need not.
	 */
	msr	daifset, #0xf
	msr	spsel, #1

	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1

	/* .bss is 16-byte aligned and sized by the linker script. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b

	/* x0 is the boot argument (the device tree, under Vireo and QEMU);
	 * .bss is clear now, so it can be kept there for main(). */
2:	adrp	x1, guest_boot_arg
	str	x0, [x1, :lo12:guest_boot_arg]

	adr	x1, guest_vectors
	msr	vbar_el1, x1
	isb

	bl	main
	/* main returned: there is nothing to go back to, so power off. */
	bl	psci_system_off
3:	wfi
	b	3b
