/*
 * A64 load/store decoder for MMIO emulation.
 *
 * This file owns one question: "what general-purpose-register load or store
 * is this instruction word?".  The stage-2 data abort path calls
 * insn_decode_ldst() when ESR_EL2.ISV == 0, i.e. when the hardware did not
 * describe the access in the syndrome (writeback and pair forms, for
 * instance), after it has fetched the faulting word from guest memory.
 *
 * It works by matching the word against the fixed bits of each supported
 * encoding class of the Arm ARM (DDI 0487) section C4.1, "Loads and Stores",
 * then reading that class's fields through the named accessors below.  Each
 * class decoder checks the fields it needs for allocated, well-defined
 * encodings and fills a struct insn_ldst; the common checks for
 * CONSTRAINED UNPREDICTABLE register overlaps run last.
 *
 * It does not read guest memory or registers, perform the access, compute the
 * address (the fault address register already holds it), or check alignment
 * or permissions.  Anything it is not sure about is refused, so the caller
 * can inject an abort instead of emulating the wrong thing.
 */

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/insn.h"

/* Register number 31 names SP as a base and XZR/WZR as a transfer register. */
#define REG_31 31u

/* Returns the width-bit field of insn starting at bit lsb. */
static uint32_t field(uint32_t insn, unsigned int lsb, unsigned int width)
{
	return (insn >> lsb) & ((1u << width) - 1u);
}

/* Interprets the low width bits of value as a two's complement number. */
static int64_t sign_extend(uint32_t value, unsigned int width)
{
	int64_t sign = (int64_t)1 << (width - 1);

	return ((int64_t)value ^ sign) - sign;
}

/*
 * Fields shared by the load/store classes (C4.1, "Loads and Stores").  Not
 * every class has every field; each decoder only uses the ones its
 * encoding diagram shows.
 */
static uint32_t ldst_rt(uint32_t insn)      { return field(insn, 0, 5); }
static uint32_t ldst_rn(uint32_t insn)      { return field(insn, 5, 5); }
static uint32_t ldst_rt2(uint32_t insn)     { return field(insn, 10, 5); }
static uint32_t ldst_rs(uint32_t insn)      { return field(insn, 16, 5); }
static uint32_t ldst_opc(uint32_t insn)     { return field(insn, 22, 2); }
static uint32_t ldst_size(uint32_t insn)    { return field(insn, 30, 2); }
static bool ldst_is_simd_fp(uint32_t insn)  { return field(insn, 26, 1) != 0; }

/* imm9 classes: bits [11:10] select unscaled, post, unprivileged or pre. */
static uint32_t ldst_imm9_mode(uint32_t insn) { return field(insn, 10, 2); }
static uint32_t ldst_imm9(uint32_t insn)      { return field(insn, 12, 9); }

/* Register offset class: the extend/shift "option" field. */
static uint32_t ldst_option(uint32_t insn)  { return field(insn, 13, 3); }

/* Load/store ordered class (LDAR/STLR): L and o0. */
static bool ordered_is_load(uint32_t insn)  { return field(insn, 22, 1) != 0; }
static uint32_t ordered_o0(uint32_t insn)   { return field(insn, 15, 1); }

/* Pair classes: opc sits where size sits elsewhere. */
static uint32_t pair_opc(uint32_t insn)     { return field(insn, 30, 2); }
static uint32_t pair_mode(uint32_t insn)    { return field(insn, 23, 2); }
static bool pair_is_load(uint32_t insn)     { return field(insn, 22, 1) != 0; }
static uint32_t pair_imm7(uint32_t insn)    { return field(insn, 15, 7); }

/*
 * Encoding classes, as mask/value pairs over the fixed bits of each
 * C4.1 diagram.  The V bit (26) is deliberately left out of the masks of the
 * classes that have one, so SIMD&FP variants reach the class decoder and are
 * refused there explicitly rather than by accident.
 */

/* "Load/store register (unsigned immediate)": size 111 V 01 opc imm12 Rn Rt */
#define CLASS_UIMM_MASK		0x3b000000u
#define CLASS_UIMM_VALUE	0x39000000u

/*
 * "Load/store register (unscaled immediate / immediate post-indexed /
 * unprivileged / immediate pre-indexed)":
 * size 111 V 00 opc 0 imm9 mode Rn Rt
 */
#define CLASS_IMM9_MASK		0x3b200000u
#define CLASS_IMM9_VALUE	0x38000000u

/* "Load/store register (register offset)": size 111 V 00 opc 1 Rm option S 10 Rn Rt */
#define CLASS_REG_MASK		0x3b200c00u
#define CLASS_REG_VALUE		0x38200800u

/*
 * "Load/store no-allocate pair (offset)", "Load/store register pair
 * (post-indexed / offset / pre-indexed)": opc 101 V 0 mode L imm7 Rt2 Rn Rt
 */
#define CLASS_PAIR_MASK		0x3a000000u
#define CLASS_PAIR_VALUE	0x28000000u

/*
 * "Load/store ordered" (LDAR, STLR and the LORegion LDLAR/STLLR):
 * size 001000 1 L 0 Rs o0 Rt2 Rn Rt.  o2 (bit 23) = 1 and o1 (bit 21) = 0
 * keep exclusives (o2 = 0) and CAS (o1 = 1) out.
 */
#define CLASS_ORDERED_MASK	0x3fa00000u
#define CLASS_ORDERED_VALUE	0x08800000u

/*
 * LDAPR/LDAPRB/LDAPRH (FEAT_LRCPC) live inside "Atomic memory operations":
 * size 111 0 00 1 0 1 11111 1 100 00 Rn Rt.  Everything but size, Rn and Rt
 * is fixed, including the should-be-one Rs field.
 */
#define INSN_LDAPR_MASK		0x3ffffc00u
#define INSN_LDAPR_VALUE	0x38bfc000u

/* imm9 class "mode" values, bits [11:10]. */
#define IMM9_UNSCALED		0u	/* LDUR/STUR family */
#define IMM9_POST_INDEX		1u
#define IMM9_UNPRIVILEGED	2u	/* LDTR/STTR family */
#define IMM9_PRE_INDEX		3u

/* Pair class "mode" values, bits [24:23]. */
#define PAIR_NO_ALLOCATE	0u	/* LDNP/STNP */
#define PAIR_POST_INDEX		1u
#define PAIR_SIGNED_OFFSET	2u
#define PAIR_PRE_INDEX		3u

/* Single-register opc values, bits [23:22]. */
#define OPC_STORE		0u
#define OPC_LOAD		1u
#define OPC_LOAD_SIGNED_X	2u	/* LDRSB/LDRSH/LDRSW to an X register */
#define OPC_LOAD_SIGNED_W	3u	/* LDRSB/LDRSH to a W register */

/* size field values that the opc rules depend on, bits [31:30]. */
#define SIZE_32			2u
#define SIZE_64			3u

/* Pair class opc values, bits [31:30]. */
#define PAIR_OPC_W		0u	/* LDP/STP/LDNP/STNP of W registers */
#define PAIR_OPC_LDPSW		1u	/* LDPSW; STGP when L = 0 */
#define PAIR_OPC_X		2u	/* LDP/STP/LDNP/STNP of X registers */

/*
 * Register offset "option" values with bit 1 clear (UXTB, UXTH, SXTB, SXTH)
 * would extend a byte or halfword index; they are unallocated here.
 */
#define OPTION_WORD_OR_DOUBLEWORD	0x2u

static bool insn_in_class(uint32_t insn, uint32_t mask, uint32_t value)
{
	return (insn & mask) == value;
}

/*
 * Common size/opc decode of the single-register classes (C6.2 LDR, LDRB,
 * LDRH, LDRSB, LDRSH, LDRSW, STR, STRB, STRH and their unscaled,
 * unprivileged and register-offset variants all share this table).
 * Returns false for the slots that are not a GPR load or store: PRFM/PRFUM
 * (size 11, opc 10) and the unallocated size 1x, opc 11.
 */
static bool decode_size_opc(uint32_t size, uint32_t opc, struct insn_ldst *d)
{
	d->size = (uint8_t)(1u << size);

	switch (opc) {
	case OPC_STORE:
		d->store = true;
		d->reg64 = (size == SIZE_64);
		return true;
	case OPC_LOAD:
		d->reg64 = (size == SIZE_64);
		return true;
	case OPC_LOAD_SIGNED_X:
		/* Nothing is wider than an X register to sign-extend into. */
		if (size == SIZE_64) {
			return false;
		}
		d->sign_extend = true;
		d->reg64 = true;
		return true;
	case OPC_LOAD_SIGNED_W:
		/* Only bytes and halfwords sign-extend into a W register. */
		if (size >= SIZE_32) {
			return false;
		}
		d->sign_extend = true;
		d->reg64 = false;
		return true;
	default:
		return false;
	}
}

/* Fills the registers every single-register form has. */
static void decode_single_regs(uint32_t insn, struct insn_ldst *d)
{
	d->rt = (uint8_t)ldst_rt(insn);
	d->rn = (uint8_t)ldst_rn(insn);
}

/*
 * C4.1 "Load/store register (unsigned immediate)": LDR Xt, [Xn, #imm] etc.
 * imm12 only forms the address, which the caller already has from the
 * fault, and there is no writeback, so only the transfer is described.
 */
static bool decode_uimm(uint32_t insn, struct insn_ldst *d)
{
	if (ldst_is_simd_fp(insn)) {
		return false;
	}
	if (!decode_size_opc(ldst_size(insn), ldst_opc(insn), d)) {
		return false;
	}
	decode_single_regs(insn, d);
	return true;
}

/*
 * C4.1 imm9 classes.  Pre- and post-indexed forms write back
 * Rn + SignExtend(imm9), unscaled (C6.2 LDR (immediate), "Post-index" and
 * "Pre-index" encodings).  LDUR* and LDTR* use the same imm9 only to form
 * the address and never write back.  The unprivileged forms only differ in
 * which EL's stage-1 permissions applied; by the time of a stage-2 abort
 * that check has already passed, so they are emulated like LDUR.
 */
static bool decode_imm9(uint32_t insn, struct insn_ldst *d)
{
	uint32_t mode = ldst_imm9_mode(insn);

	if (ldst_is_simd_fp(insn)) {
		return false;
	}
	/* Also refuses PRFUM and the unallocated PRFM-slot writeback forms. */
	if (!decode_size_opc(ldst_size(insn), ldst_opc(insn), d)) {
		return false;
	}
	decode_single_regs(insn, d);

	if (mode == IMM9_PRE_INDEX || mode == IMM9_POST_INDEX) {
		d->writeback = true;
		d->offset = sign_extend(ldst_imm9(insn), 9);
	}
	return true;
}

/*
 * C4.1 "Load/store register (register offset)": the option field must have
 * bit 1 set (UXTW, LSL/UXTX, SXTW, SXTX); the other values are unallocated
 * (C6.2 LDR (register), "option<1> == '0'" is UNDEFINED).  Rm, the shift and
 * the extend only feed the address, so they are checked but not returned.
 */
static bool decode_reg_offset(uint32_t insn, struct insn_ldst *d)
{
	if (ldst_is_simd_fp(insn)) {
		return false;
	}
	if ((ldst_option(insn) & OPTION_WORD_OR_DOUBLEWORD) == 0) {
		return false;
	}
	/* Also refuses PRFM (register). */
	if (!decode_size_opc(ldst_size(insn), ldst_opc(insn), d)) {
		return false;
	}
	decode_single_regs(insn, d);
	return true;
}

/*
 * C4.1 "Load/store ordered": LDAR/STLR (o0 = 1).  Rs and Rt2 are
 * should-be-one fields (C6.2 LDAR, STLR); any other value is CONSTRAINED
 * UNPREDICTABLE, so it is refused.  The LORegion forms LDLAR/STLLR
 * (o0 = 0, FEAT_LOR) are not supported.  The acquire/release semantics are
 * not reported: the emulated access happens while the vCPU is stopped in the
 * trap, so it is ordered against the vCPU's own accesses; any ordering
 * needed against other observers is the emulator's business (a barrier).
 */
static bool decode_ordered(uint32_t insn, struct insn_ldst *d)
{
	uint32_t size = ldst_size(insn);

	if (ordered_o0(insn) != 1) {
		return false;
	}
	if (ldst_rs(insn) != REG_31 || ldst_rt2(insn) != REG_31) {
		return false;
	}
	d->size = (uint8_t)(1u << size);
	d->store = !ordered_is_load(insn);
	d->reg64 = (size == SIZE_64);
	decode_single_regs(insn, d);
	return true;
}

/* C6.2 LDAPR, LDAPRB, LDAPRH (FEAT_LRCPC): a zero-extending load-acquire. */
static bool decode_ldapr(uint32_t insn, struct insn_ldst *d)
{
	uint32_t size = ldst_size(insn);

	d->size = (uint8_t)(1u << size);
	d->reg64 = (size == SIZE_64);
	decode_single_regs(insn, d);
	return true;
}

/*
 * C4.1 pair classes (C6.2 LDP, STP, LDPSW, LDNP, STNP).  opc selects the
 * register width: 00 is W, 10 is X, 01 is LDPSW (load only; with L = 0 it
 * is STGP from FEAT_MTE, which stores tags too, so it is refused).  imm7 is
 * scaled by the access size and, for the pre/post-indexed forms, is the
 * writeback amount.  There is no no-allocate form of LDPSW.
 */
static bool decode_pair(uint32_t insn, struct insn_ldst *d)
{
	uint32_t mode = pair_mode(insn);
	bool load = pair_is_load(insn);

	if (ldst_is_simd_fp(insn)) {
		return false;
	}

	switch (pair_opc(insn)) {
	case PAIR_OPC_W:
		d->size = 4;
		d->reg64 = false;
		break;
	case PAIR_OPC_LDPSW:
		if (!load || mode == PAIR_NO_ALLOCATE) {
			return false;
		}
		d->size = 4;
		d->reg64 = true;
		d->sign_extend = true;
		break;
	case PAIR_OPC_X:
		d->size = 8;
		d->reg64 = true;
		break;
	default:
		return false;
	}

	d->pair = true;
	d->store = !load;
	d->rt = (uint8_t)ldst_rt(insn);
	d->rt2 = (uint8_t)ldst_rt2(insn);
	d->rn = (uint8_t)ldst_rn(insn);

	if (mode == PAIR_PRE_INDEX || mode == PAIR_POST_INDEX) {
		d->writeback = true;
		d->offset = sign_extend(pair_imm7(insn), 7) * d->size;
	}
	return true;
}

/*
 * Writeback into a base register that is also transferred is CONSTRAINED
 * UNPREDICTABLE for loads and stores alike (C6.2 LDR/STR (immediate),
 * LDP/STP: "if wback && n == t && n != 31"; Arm ARM appendix K1 lists the
 * permitted behaviours).  The hardware would have picked one; we cannot
 * know which, so refuse.  n == 31 is SP, never the same register as XZR.
 */
static bool writeback_overlaps(const struct insn_ldst *d)
{
	if (!d->writeback || d->rn == REG_31) {
		return false;
	}
	if (d->rn == d->rt) {
		return true;
	}
	return d->pair && d->rn == d->rt2;
}

/*
 * A pair load into the same register twice is CONSTRAINED UNPREDICTABLE
 * (C6.2 LDP, LDPSW, LDNP: "if t == t2").  Stores of one register twice are
 * fine.
 */
static bool pair_load_overlaps(const struct insn_ldst *d)
{
	return d->pair && !d->store && d->rt == d->rt2;
}

/* Routes insn to the decoder of its encoding class, if it has a supported one. */
static bool decode_by_class(uint32_t insn, struct insn_ldst *d)
{
	if (insn_in_class(insn, CLASS_UIMM_MASK, CLASS_UIMM_VALUE)) {
		return decode_uimm(insn, d);
	}
	if (insn_in_class(insn, CLASS_IMM9_MASK, CLASS_IMM9_VALUE)) {
		return decode_imm9(insn, d);
	}
	if (insn_in_class(insn, CLASS_REG_MASK, CLASS_REG_VALUE)) {
		return decode_reg_offset(insn, d);
	}
	if (insn_in_class(insn, CLASS_PAIR_MASK, CLASS_PAIR_VALUE)) {
		return decode_pair(insn, d);
	}
	if (insn_in_class(insn, CLASS_ORDERED_MASK, CLASS_ORDERED_VALUE)) {
		return decode_ordered(insn, d);
	}
	if (insn_in_class(insn, INSN_LDAPR_MASK, INSN_LDAPR_VALUE)) {
		return decode_ldapr(insn, d);
	}
	/*
	 * Everything else: literal loads, exclusives, CAS/CASP, the rest of
	 * the atomics, LDRAA/LDRAB, memory tagging, RCpc immediate forms,
	 * SIMD&FP structure loads, and all non-load/store encodings.
	 */
	return false;
}

bool insn_decode_ldst(uint32_t insn, struct insn_ldst *out)
{
	struct insn_ldst d = { 0 };

	if (!decode_by_class(insn, &d)) {
		return false;
	}
	if (writeback_overlaps(&d) || pair_load_overlaps(&d)) {
		return false;
	}
	*out = d;
	return true;
}
