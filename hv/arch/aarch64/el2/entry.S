/*
 * The first instructions Vireo runs, on the boot CPU and on each secondary.
 *
 * The image starts with the arm64 Linux Image header, so QEMU's -kernel and
 * U-Boot's booti load it like a kernel: at a 2 MiB-aligned address, MMU off,
 * the device tree's physical address in x0 (Documentation/arch/arm64/
 * booting.rst). The boot CPU then, in order:
 *   1. masks every exception at this level;
 *   2. applies the image's relative relocations (linked at 0, it runs
 *      wherever it was loaded);
 *   3. clears .bss and takes CPU 0's stack;
 *   4. installs the EL2 vectors and calls el2_boot(dtb) in boot.c.
 * If it was entered at EL1 instead of EL2 it calls boot_wrong_el(el, dtb)
 * (core/main.c), which says why it cannot go on, and halts. Secondary CPUs
 * enter at secondary_entry (through the board's CPU bring-up, PSCI CPU_ON
 * on QEMU virt) with their CPU index in x0; they turn their MMU on, take
 * their own stack and call el2_secondary(index). No policy lives here.
 */
#include "arch/aarch64/asm.h"
#include "asm-offsets.h"
#include "core/config.h"

	.section .text.head, "ax"
	.global _head_entry
_head_entry:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load at the 2 MiB base */
	.quad	__image_size		/* image_size, .bss included */
	.quad	0xa			/* flags: little endian, 4 KiB pages, anywhere */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

/* x0: physical address of the device tree. */
primary_entry:
	msr	daifset, #0xf
	mov	x19, x0

	/* Apply R_AARCH64_RELATIVE relocations: *(base + offset) = base + addend. */
	adr	x0, _head_entry
	adr_l	x1, __rela_start
	adr_l	x2, __rela_end
1:	cmp	x1, x2
	b.hs	3f
	ldp	x3, x4, [x1], #24	/* r_offset, r_info */
	ldr	x5, [x1, #-8]		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	2f
	add	x5, x5, x0
	str	x5, [x0, x3]
2:	b	1b
3:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
4:	cmp	x1, x2
	b.hs	5f
	stp	xzr, xzr, [x1], #16
	b	4b
5:
	mov	x0, #0
	bl	set_stack

	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	6f

	adr_l	x0, el2_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	el2_boot
	b	halt_forever

6:	lsr	x0, x0, #2
	mov	x1, x19
	bl	boot_wrong_el
	b	halt_forever

/* x0: this CPU's index, as the boot CPU passed it to PSCI CPU_ON. */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	/* MMU on before the first stack access, so every later access is
	 * cacheable and coherent with the boot CPU's. */
	adr_l	x0, mmu_boot_regs
	bl	mmu_enable
	mov	x0, x19
	bl	set_stack
	adr_l	x0, el2_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	el2_secondary
	b	halt_forever

/* x0: CPU index. Points sp at the top of that CPU's stack, the end of its
 * struct el2_stack (el2.h: twice STACK_SIZE, the stack last). Clobbers x1. */
set_stack:
	adr_l	x1, el2_stacks
	add	x0, x0, #1
	add	x1, x1, x0, lsl #(STACK_SHIFT + 1)
	mov	sp, x1
	ret

/* x0: const struct mmu_regs *. Turns the EL2 MMU and caches on. Uses no
 * stack, so it can run before this CPU has one mapped cacheable. */
	.global mmu_enable
mmu_enable:
	ldr	x1, [x0, #MMU_REGS_MAIR]
	msr	mair_el2, x1
	ldr	x1, [x0, #MMU_REGS_TCR]
	msr	tcr_el2, x1
	ldr	x1, [x0, #MMU_REGS_TTBR0]
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2			/* nothing cached from before may be used */
	dsb	nsh
	isb
	ldr	x1, [x0, #MMU_REGS_SCTLR]
	msr	sctlr_el2, x1
	isb
	ret

	.global halt_forever
halt_forever:
	wfi
	b	halt_forever
