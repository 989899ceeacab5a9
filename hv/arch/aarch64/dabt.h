/*
 * Turning a stage-2 data abort into the access the guest attempted.
 */
#ifndef VIREO_DABT_H
#define VIREO_DABT_H

#include "arch/aarch64/insn.h"

/* Describes the access from ESR_EL2 when its ISV bit is set (the hardware
 * did the decoding); false when ISV is clear. */
bool dabt_decode_esr(uint64_t esr, struct insn_ldst *out);
/* The value a load of d->size bytes puts in its register. */
uint64_t dabt_load_value(const struct insn_ldst *d, uint64_t raw);
/* The bytes a store of d->size bytes takes from its register. */
uint64_t dabt_store_value(const struct insn_ldst *d, uint64_t reg);

#endif
