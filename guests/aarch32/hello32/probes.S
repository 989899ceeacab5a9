/*
 * probes.S: hello32's instructions that must be written exactly: the
 * undefined ones, in each instruction set, and the conditional ones whose
 * condition fails, some of them inside Thumb IT blocks.
 *
 * Each routine is a leaf called from main.c (ARM or Thumb, the linker's
 * interworking makes the calls right); its label *_insn marks the
 * instruction main.c's handler must see fault.
 */
#define MARKER 0x6d61726b	/* "mark" */

	.syntax	unified
	.arch	armv8-a
	.arch_extension	virt
	.text

/* void udf_arm(void), udf_thumb16(void), udf_thumb32(void): one UDF each. */
	.arm
	.globl	udf_arm, udf_arm_insn
	.type	udf_arm, %function
udf_arm:
udf_arm_insn:
	udf	#0x32
	bx	lr

	.thumb
	.globl	udf_thumb16, udf_thumb16_insn
	.type	udf_thumb16, %function
	.thumb_func
udf_thumb16:
udf_thumb16_insn:
	udf	#0x16
	bx	lr

	.globl	udf_thumb32, udf_thumb32_insn
	.type	udf_thumb32, %function
	.thumb_func
udf_thumb32:
udf_thumb32_insn:
	udf.w	#0x3232
	bx	lr

/*
 * uint32_t wfx_cond_fail(void): WFI and WFE whose conditions fail, in ARM
 * state. None may wait: interrupts are masked and nothing is pending, so
 * one that executed would wait for ever. Returns 7 when the flags each
 * one was given were still as set afterwards (ne and eq with Z set and
 * clear).
 */
	.arm
	.globl	wfx_cond_fail
	.type	wfx_cond_fail, %function
wfx_cond_fail:
	mov	r0, #0
	cmp	r0, #0		/* Z = 1 */
	wfine
	wfene
	addeq	r0, r0, #1
	cmp	r0, #0		/* Z = 0 */
	wfieq
	wfeeq
	addne	r0, r0, #2
	movs	r1, #0		/* Z = 1 again, set by a data-processing insn */
	wfine
	addeq	r0, r0, #4
	bx	lr

/*
 * uint32_t it_wfi(void): in Thumb, "itete ne" with Z set: the two WFINEs
 * fail their condition, the two ADDEQs run. A handler that skips a WFI
 * without advancing ITSTATE would run the wrong arms. Returns 3.
 */
	.thumb
	.globl	it_wfi
	.type	it_wfi, %function
	.thumb_func
it_wfi:
	movs	r0, #0
	cmp	r0, #0		/* Z = 1 */
	itete	ne
	wfine
	addeq	r0, r0, #1
	wfine
	addeq	r0, r0, #2
	bx	lr

/*
 * uint32_t it_mrc(uint32_t out[2]): in Thumb, a trapped register (ID_PFR1)
 * read by MRCs inside IT blocks. "itet ne" with Z set: the MRCNEs must
 * leave r1 (the MARKER) alone, the ADDEQ runs; then "ite eq": the MRCEQ
 * runs, the ADDNE does not. out[0] = r1 after the first block, out[1]
 * after the second (ID_PFR1). Returns r0: 1.
 */
	.globl	it_mrc
	.type	it_mrc, %function
	.thumb_func
it_mrc:
	mov	r2, r0
	ldr	r1, =MARKER
	movs	r0, #0
	cmp	r0, #0		/* Z = 1 */
	itet	ne
	mrcne	p15, 0, r1, c0, c1, 1
	addeq	r0, r0, #1
	mrcne	p15, 0, r1, c0, c1, 1
	str	r1, [r2]
	cmp	r0, #1		/* Z = 1 */
	ite	eq
	mrceq	p15, 0, r1, c0, c1, 1
	addne	r0, r0, #8
	str	r1, [r2, #4]
	bx	lr
	.ltorg
