/*
 * bench.S: the benchmark guest's timing, exact to one instruction.
 *
 * Under QEMU's -icount shift=0 virtual time advances one nanosecond per
 * instruction, and the generic counter (CNTVCT_EL0, 62.5 MHz) ticks every
 * 16 ns. One read of it gives the time to 16 instructions; a "ladder" of
 * 17 back-to-back reads (x2-x18), one instruction apart, has exactly one
 * step where the count goes up, and the read there happened at the tick's
 * very nanosecond: that pins the time of every read of the ladder exactly
 * (main.c, ladder_time()). It needs nothing but the counter, which no
 * hypervisor traps, so it works the same at EL1 under Vireo and natively.
 *
 * TIMED functions: uint64_t NAME(uint64_t arg, uint64_t out[34]) runs a
 * ladder, stores it in out[0..16], runs the operation under test (with
 * x0 = arg still there, and arg in x20 too), runs a second ladder into
 * out[17..33], and returns x0. Between the last read of the first ladder
 * and the first read of the second there are the 9 stores, the operation,
 * and nothing else.
 *
 * STAMPED functions: the same up to the operation, which is the last
 * thing they do: sending an interrupt, whose handler takes the second
 * ladder.
 *
 * TIMED_STORE and STAMPED_STORE functions: the same, for an operation
 * that is a 32-bit store of arg to a fixed device register (a GICv2's
 * GICD_SGIR, where a GICv3 needs no address for its MSR; an ITS's
 * GITS_TRANSLATER): the address is put in x1 before the first ladder, so
 * the store is the operation alone.
 *
 * bench_vectors (GICv3) and bench_vectors_v2 (GICv2): EL1 vector tables
 * whose IRQ slot (current EL, SP_ELx) saves x0-x18 (11 instructions, the
 * first of them the handler's first instruction) and then runs a ladder,
 * stored in this CPU's struct bench_cpu (TPIDR_EL1 points at it); then it
 * acknowledges the interrupt (ICC_IAR1_EL1, or GICC_IAR), masks the timer
 * that raised it, ends it (ICC_EOIR1_EL1, or GICC_EOIR) and counts it.
 * The GICv2 one runs a second ladder after its GICC_EOIR write, stored
 * beside the first (ladder_end), which times the acknowledge and the end:
 * a load and a store on a GIC's CPU interface, two traps where Vireo
 * emulates it. main.c points VBAR_EL1 at the one for the VM's GIC. Every
 * other slot goes to the common runtime's table, which reports the
 * exception and powers off.
 *
 * bench_secondary_entry: where PSCI CPU_ON starts vCPU 1.
 */
#define CPU_COUNT	0	/* struct bench_cpu (main.c) */
#define CPU_INTID	8
#define CPU_LADDER	16
#define CPU_LADDER_END	160

#define INTID_VTIMER	27
#define INTID_PTIMER	30
#define CTL_IMASK	2

#define GICD_BASE	0x08000000	/* the VM's GIC (guests/common/vireo_pv.h) */
#define GICD_SGIR	0x0f00
#define GICC_BASE	0x08010000	/* GICv2's CPU interface */
#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010
#define GITS_TRANSLATION_FRAME	0x08090000	/* the ITS's, 64 KiB above its base */
#define GITS_TRANSLATER	0x0040

.macro LADDER
	mrs	x2, cntvct_el0
	mrs	x3, cntvct_el0
	mrs	x4, cntvct_el0
	mrs	x5, cntvct_el0
	mrs	x6, cntvct_el0
	mrs	x7, cntvct_el0
	mrs	x8, cntvct_el0
	mrs	x9, cntvct_el0
	mrs	x10, cntvct_el0
	mrs	x11, cntvct_el0
	mrs	x12, cntvct_el0
	mrs	x13, cntvct_el0
	mrs	x14, cntvct_el0
	mrs	x15, cntvct_el0
	mrs	x16, cntvct_el0
	mrs	x17, cntvct_el0
	mrs	x18, cntvct_el0
.endm

/* 9 instructions. */
.macro SAVE_LADDER base, off
	stp	x2, x3, [\base, #(\off + 0)]
	stp	x4, x5, [\base, #(\off + 16)]
	stp	x6, x7, [\base, #(\off + 32)]
	stp	x8, x9, [\base, #(\off + 48)]
	stp	x10, x11, [\base, #(\off + 64)]
	stp	x12, x13, [\base, #(\off + 80)]
	stp	x14, x15, [\base, #(\off + 96)]
	stp	x16, x17, [\base, #(\off + 112)]
	str	x18, [\base, #(\off + 128)]
.endm

.macro TIMED name, op:vararg
	.globl	\name
	.type	\name, %function
\name:
	stp	x19, x20, [sp, #-16]!
	mov	x19, x1
	mov	x20, x0
	LADDER
	SAVE_LADDER x19, 0
	\op
	LADDER
	SAVE_LADDER x19, 136
	ldp	x19, x20, [sp], #16
	ret
	.size	\name, . - \name
.endm

.macro STAMPED name, op:vararg
	.globl	\name
	.type	\name, %function
\name:
	stp	x19, x20, [sp, #-16]!
	mov	x19, x1
	mov	x20, x0
	LADDER
	SAVE_LADDER x19, 0
	\op
	ldp	x19, x20, [sp], #16
	ret
	.size	\name, . - \name
.endm

/* A store of w20 (arg) to base + off; timed is 1 for TIMED, 0 for STAMPED.
 * The address is two instructions to build, so it is built before the
 * first ladder, in x1 (free once x19 has out; the ladders use x2-x18). */
.macro STORE_FN name, base, off, timed
	.globl	\name
	.type	\name, %function
\name:
	stp	x19, x20, [sp, #-16]!
	mov	x19, x1
	mov	x20, x0
	mov	x1, #\base
	add	x1, x1, #\off
	LADDER
	SAVE_LADDER x19, 0
	str	w20, [x1]
	.if \timed
	LADDER
	SAVE_LADDER x19, 136
	.endif
	ldp	x19, x20, [sp], #16
	ret
	.size	\name, . - \name
.endm

.macro TIMED_STORE name, base, off
	STORE_FN \name, \base, \off, 1
.endm

.macro STAMPED_STORE name, base, off
	STORE_FN \name, \base, \off, 0
.endm

	.text
/*
 * One function per figure: tools/bench.py's profile names each exit after
 * the guest function it left, so no two figures share one.
 */
	TIMED	timed_nothing
	TIMED	op_null_hvc, hvc #0		/* x0 = VIREO_HC_NULL */
	TIMED	op_psci_version, hvc #0		/* x0 = PSCI_VERSION */
	TIMED	op_gicd_typer, ldr w0, [x20]	/* x0 = its address */
	TIMED	op_uartfr, ldr w0, [x20]
	TIMED	op_sgi1r, msr icc_sgi1r_el1, x20	/* x0 = the value */
	TIMED	op_ipi_send, msr icc_sgi1r_el1, x20
	TIMED_STORE op_gicd_sgir, GICD_BASE, GICD_SGIR	/* x0 = the value */
	TIMED_STORE op_ipi_send_sgir, GICD_BASE, GICD_SGIR
	TIMED	op_gicc_iar, ldr w0, [x20]	/* x0 = its address */
	TIMED_STORE op_gicc_eoir, GICC_BASE, GICC_EOIR	/* x0 = the value */
	TIMED	op_cntp_ctl, mrs x0, cntp_ctl_el0
	TIMED	op_pmccntr, mrs x0, pmccntr_el0
	TIMED	op_oslsr, mrs x0, oslsr_el1	/* OS lock status: always trapped */
	/* A 64-byte console line (x0 = its address): byte by byte through the
	 * UART's data register, one trap each, or in one CONSOLE_WRITE. The
	 * ladder's registers are saved by then, so x1 and x2 are free. */
.macro UART_LINE_OP
	mov	x1, #0x09000000
	mov	x0, #64
1:	ldrb	w2, [x20], #1
	str	w2, [x1]
	subs	x0, x0, #1
	b.ne	1b
.endm
	TIMED	op_uart_line, UART_LINE_OP
.macro PV_LINE_OP
	mov	x1, x20
	mov	x2, #64
	movz	w0, #0xc600, lsl #16	/* VIREO_HC_CONSOLE_WRITE */
	movk	w0, #0x0003
	hvc	#0
.endm
	TIMED	op_pv_line, PV_LINE_OP
	/* The vCPU's running time, x0 = its shared page: a consistent read
	 * under the sequence counter (no trap), or a hypercall through
	 * Vireo's C path (VERSION, the cheapest that takes it). */
.macro PAGE_READ_OP
1:	ldr	w1, [x20, #4]		/* sequence */
	ldr	x0, [x20, #40]		/* running_ns */
	ldr	w2, [x20, #4]
	cmp	w1, w2
	b.ne	1b
	tbnz	w1, #0, 1b
.endm
	TIMED	op_page_read, PAGE_READ_OP
.macro SLOW_HVC_OP
	movz	w0, #0x8600, lsl #16	/* VIREO_HC_VERSION */
	hvc	#0
.endm
	TIMED	op_slow_hvc, SLOW_HVC_OP
	/* x0 = n: n turns of a 2-instruction loop (n > 0). */
.macro LOOP_OP
1:	subs	x20, x20, #1
	b.ne	1b
.endm
	TIMED	op_loop, LOOP_OP

	/* The SGI write (the MSR, the store) is the 10th instruction after
	 * the ladder's last read. */
	STAMPED	send_ipi, msr icc_sgi1r_el1, x20
	STAMPED_STORE send_ipi_sgir, GICD_BASE, GICD_SGIR
	/* An LPI: x0 = the EventID, of DeviceID 0 (a CPU's write); one
	 * function for an LPI to this vCPU, one for an LPI to vCPU 1. */
	STAMPED_STORE send_lpi_self, GITS_TRANSLATION_FRAME, GITS_TRANSLATER
	STAMPED_STORE send_lpi_cpu1, GITS_TRANSLATION_FRAME, GITS_TRANSLATER
	/* DOORBELL(channel 0), x0 = its ID: the hvc is the 11th; returns x0. */
.macro RING_OP
	mov	x1, xzr
	hvc	#0
.endm
	STAMPED	ring, RING_OP

/* An EL1 vector table whose IRQ slot (5) times the handler and goes on in
 * irq; its other slots go to the common runtime's. */
.macro VECTORS name, irq
	.balign	2048
	.globl	\name
\name:
	.irp	n, 0, 1, 2, 3, 4
	.balign	0x80
	b	guest_vectors + \n * 0x80
	.endr

	.balign	0x80			/* 5: IRQ, current EL with SP_ELx */
	sub	sp, sp, #160		/* the handler's first instruction */
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]
	LADDER				/* its first read: the 12th instruction */
	b	\irq

	.irp	n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	b	guest_vectors + \n * 0x80
	.endr
.endm

/* x0 = the INTID taken, x1 = this CPU's struct bench_cpu: notes the INTID
 * and drops the timer's level (off, masked) if a timer raised it, before
 * the end of the interrupt; x2 is scratch. */
.macro TAKE_IRQ
	str	w0, [x1, #CPU_INTID]
	mov	x2, #CTL_IMASK
	cmp	x0, #INTID_VTIMER
	b.ne	1f
	msr	cntv_ctl_el0, x2
1:	cmp	x0, #INTID_PTIMER
	b.ne	2f
	msr	cntp_ctl_el0, x2
2:	isb
.endm

.macro COUNT_IRQ
	ldr	x2, [x1, #CPU_COUNT]
	add	x2, x2, #1
	str	x2, [x1, #CPU_COUNT]
.endm

	VECTORS	bench_vectors, bench_irq
	VECTORS	bench_vectors_v2, bench_irq_v2

bench_irq:
	mrs	x1, tpidr_el1
	SAVE_LADDER x1, CPU_LADDER
	mrs	x0, icc_iar1_el1
	and	x0, x0, #0xffffff
	cmp	x0, #1020
	b.lo	3f
	cmp	x0, #1024		/* 1020-1023: nothing to take; 8192 up: an LPI */
	b.lo	bench_irq_return
3:	TAKE_IRQ
	msr	icc_eoir1_el1, x0
	COUNT_IRQ
bench_irq_return:
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	add	sp, sp, #160
	eret

/* GICv2: GICC_IAR's whole value (an SGI's sender in [12:10]) goes back to
 * GICC_EOIR, as IHI 0048B requires; x3 holds the CPU interface's address
 * and x4 that value meanwhile. The ladder after the end leaves x1 (this
 * CPU's struct) alone. The labels name the exits after the acknowledge
 * (an emulated timer's masking) and at the end for tools/bench.py's
 * profile; TAKE_IRQ's ISB ends QEMU's translation block, so the end's
 * store starts a block of its own. */
bench_irq_v2:
	mrs	x1, tpidr_el1
	SAVE_LADDER x1, CPU_LADDER
	mov	x3, #GICC_BASE
	ldr	w4, [x3, #GICC_IAR]
bench_irq_v2_take:
	and	x0, x4, #0x3ff
	cmp	x0, #1020		/* 1020-1023: nothing to take */
	b.hs	bench_irq_return
	TAKE_IRQ
bench_irq_v2_end:
	str	w4, [x3, #GICC_EOIR]
	LADDER
	SAVE_LADDER x1, CPU_LADDER_END
	COUNT_IRQ
	b	bench_irq_return

/* Entered by PSCI CPU_ON at EL1h, MMU off, x0 = the context (unused). */
	.globl	bench_secondary_entry
bench_secondary_entry:
	msr	daifset, #0xf
	msr	spsel, #1
	adrp	x1, secondary_stack_top
	add	x1, x1, :lo12:secondary_stack_top
	mov	sp, x1
	adr	x1, bench_vectors
	msr	vbar_el1, x1
	isb
	bl	bench_secondary_main
4:	wfi
	b	4b

	.bss
	.balign	16
	.space	8192
secondary_stack_top:
