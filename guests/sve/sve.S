/*
 * sve.S: the SVE instructions of the sve guest, which the C code (built
 * with -mgeneral-regs-only) cannot contain, and where its second vCPU
 * starts.
 *
 * A register image is the layout Vireo's own save uses: Z0-Z31, one
 * vector length each, then P0-P15 and FFR, an eighth of that each.
 */
	.arch_extension sve
	.text
	.balign	4

/* x0: an image to load: FFR (through P0), P0-P15, Z0-Z31. */
	.globl	sve_load_all
sve_load_all:
	addvl	x1, x0, #16
	addvl	x1, x1, #16		/* 32 lengths on: the predicates */
	ldr	p0, [x1, #16, mul vl]
	wrffr	p0.b
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [x1, #\n, mul vl]
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [x0, #\n, mul vl]
	.endr
	ret

/* x0: where to store Z0-Z31, P0-P15 and then FFR (through P0, last). */
	.globl	sve_store_all
sve_store_all:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [x0, #\n, mul vl]
	.endr
	addvl	x1, x0, #16
	addvl	x1, x1, #16		/* 32 lengths on: the predicates */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [x1, #\n, mul vl]
	.endr
	rdffr	p0.b
	str	p0, [x1, #16, mul vl]
	ret

/* The current vector length in bytes. */
	.globl	sve_vl
sve_vl:
	rdvl	x0, #1
	ret

