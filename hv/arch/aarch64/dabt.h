/*
 * Decoding a data abort's syndrome (Arm ARM D19.2.37, ISS for a Data
 * Abort). When ISV is 1 the hardware reports the access's size (SAS),
 * direction (WnR), register (SRT), sign extension (SSE) and register width
 * (SF); dabt_decode_esr() turns that into the same struct insn_ldst that
 * insn.c produces from the instruction itself when ISV is 0, so the
 * emulation in core/trap_abort.c has one input either way. The other two
 * apply the load and store width rules. Pure logic, inline because every
 * emulated device access runs it, and unit tested on the host.
 */
#ifndef VIREO_ARCH_DABT_H
#define VIREO_ARCH_DABT_H

#include "arch/aarch64/insn.h"
#include "arch/aarch64/sysreg.h"

/* Describes the access from the syndrome when its ISV bit is set (the
 * hardware did the decoding); false when ISV is clear. */
static inline bool dabt_decode_esr(uint64_t esr, struct insn_ldst *out)
{
	if (!(esr & ESR_DABT_ISV)) {
		return false;
	}
	*out = (struct insn_ldst){
		.size = 1U << FIELD_GET(ESR_DABT_SAS, esr),
		.store = esr & ESR_DABT_WNR,
		.sign_extend = esr & ESR_DABT_SSE,
		.reg64 = esr & ESR_DABT_SF,
		.rt = FIELD_GET(ESR_DABT_SRT, esr),
	};
	return true;
}

static inline uint64_t dabt_size_mask(unsigned size)
{
	return size >= 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

/* The value a load of d->size bytes puts in its register. */
static inline uint64_t dabt_load_value(const struct insn_ldst *d, uint64_t raw)
{
	uint64_t v = raw & dabt_size_mask(d->size);
	unsigned bits = 8 * d->size;

	if (d->sign_extend && bits < 64 && (v & BIT(bits - 1))) {
		v |= ~dabt_size_mask(d->size);
	}
	/* A W register receives 32 bits; the upper half of Xn becomes zero. */
	return d->reg64 ? v : v & 0xffffffffUL;
}

/* The bytes a store of d->size bytes takes from its register. */
static inline uint64_t dabt_store_value(const struct insn_ldst *d, uint64_t reg)
{
	return reg & dabt_size_mask(d->size);
}

#endif
