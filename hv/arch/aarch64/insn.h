/*
 * A64 load/store instruction decoder for MMIO emulation.
 *
 * When a guest access to an emulated device faults at stage 2 and the
 * syndrome carries no instruction details (ESR_EL2.ISV == 0, e.g. for
 * writeback or pair forms), the data abort handler fetches the faulting
 * instruction and passes it here.  The decoder only describes the access;
 * it never touches guest state.  See hv/arch/aarch64/insn.c for the details.
 */
#ifndef VIREO_INSN_H
#define VIREO_INSN_H
#include <stdbool.h>
#include <stdint.h>

/* One decoded general-purpose-register load or store (A64). */
struct insn_ldst {
	uint8_t size;      /* bytes per register transferred: 1, 2, 4 or 8 */
	bool store;        /* true: STR, STRB, STRH, STTR*, STLR*, STP, STNP; false: a load */
	bool sign_extend;  /* loads: sign-extend the value to the register width */
	bool reg64;        /* Rt (and Rt2) are X registers, not W registers */
	bool pair;         /* LDP/STP/LDPSW: a second register rt2 at address + size */
	uint8_t rt;        /* 31 means XZR/WZR here (never SP for a transfer register) */
	uint8_t rt2;       /* valid when pair */
	bool writeback;    /* pre- or post-indexed: rn += offset after the access */
	uint8_t rn;        /* base register; 31 means SP (meaningful when writeback) */
	int64_t offset;    /* signed amount added to rn on writeback (already scaled);
			    * 0 when !writeback */
};

/* Decodes insn; returns true and fills *out when it is a load/store the MMIO
 * emulator can perform, false for anything else (exclusives, atomics,
 * SIMD/FP loads, literal loads, prefetches, non-load/store encodings).
 * *out is written only when true is returned. */
bool insn_decode_ldst(uint32_t insn, struct insn_ldst *out);
#endif
