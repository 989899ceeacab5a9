/*
 * The CPU's random number instruction (FEAT_RNG: RNDR), for the TRNG
 * service guests call (core/hypercall.c). Valid at any exception level.
 */
#ifndef VIREO_ARCH_RNDR_H
#define VIREO_ARCH_RNDR_H

#include <stdbool.h>
#include <stdint.h>

/* Whether the CPU implements RNDR (ID_AA64ISAR0_EL1.RNDR). */
bool rndr_present(void);
/* 64 bits from RNDR, or false when it has none to give right now. */
bool rndr_read(uint64_t *out);

#endif
