/*
 * A guest's virtual addresses translated in software, by walking its EL1&0
 * stage-1 tables as the Arm ARM (D8, the VMSAv8-64 translation system)
 * says its MMU walks them. The hardware's AT instruction (el2/guest_at.c)
 * translates only for the vCPU loaded on this CPU; a debugger reading a
 * stopped VM's memory has its vCPUs' registers in memory instead, and
 * passes them here as a struct s1_regime. Each descriptor is read through
 * the caller's s1_read_fn, which does stage 2: the walk never touches
 * memory itself, so it cannot reach outside the VM, and the IPA it gives
 * back still has to go through stage 2 too.
 *
 * Modelled: the MMU off; TTBR0 or TTBR1 by VA bit 55, T0SZ/T1SZ with the
 * range check, TBI0/TBI1 (for data accesses: TBID is for instruction
 * fetches only), EPD0/EPD1; the 4 KiB, 16 KiB and 64 KiB granules; table,
 * block and page descriptors; 48-bit output addresses, 52-bit ones with
 * 64 KiB pages (FEAT_LPA) and 52-bit VAs with them (FEAT_LVA); small
 * tables (FEAT_TTST); TCR_EL1.IPS bounded by the PA size; big-endian tables
 * (SCTLR_EL1.EE). Not modelled: FEAT_LPA2 (TCR_EL1.DS = 1), reported as
 * S1_UNSUPPORTED. Permissions and the access flag are not checked: a
 * debugger reads and writes through them, and the leaf descriptor is
 * returned for the caller to judge.
 */
#ifndef VIREO_S1WALK_H
#define VIREO_S1WALK_H

#include "core/types.h"

/* The registers a stage-1 walk depends on, as the guest has them. */
struct s1_regime {
	uint64_t sctlr, tcr, ttbr0, ttbr1; /* SCTLR_EL1, TCR_EL1, TTBR0_EL1, TTBR1_EL1 */
	uint64_t mmfr0, mmfr2; /* ID_AA64MMFR0_EL1 and ID_AA64MMFR2_EL1 as it reads them */
};

/* Reads the descriptor at guest-physical address ipa (8-byte aligned) as a
 * little-endian value, i.e. with a plain load on Vireo; false when ipa is
 * not the VM's memory. */
typedef bool s1_read_fn(void *ctx, ipaddr_t ipa, uint64_t *desc);

/* How a walk ended. Each fault says which fault the guest's MMU would take,
 * at s1_walk.level. */
enum s1_result {
	S1_OK,
	S1_FAULT_TXSZ,      /* translation, level 0: T0SZ/T1SZ outside the granule's limits */
	S1_FAULT_RANGE,     /* translation, level 0: the VA is in neither TTBR's range */
	S1_FAULT_EPD,       /* translation, level 0: TCR_EL1.EPD0/EPD1 disables this half */
	S1_FAULT_INVALID,   /* translation: a descriptor with bit 0 clear */
	S1_FAULT_RESERVED,  /* translation: a block where the granule allows none */
	S1_FAULT_ADDR_SIZE, /* address size: a table or output address beyond TCR_EL1.IPS
			     * and the PA size (or, MMU off, the VA beyond the PA size) */
	S1_FAULT_WALK,      /* a descriptor's IPA is not the VM's memory: the guest would
			     * take a stage-2 fault on its walk */
	S1_UNSUPPORTED,     /* a configuration this walk does not model: TCR_EL1.DS, or a
			     * reserved or unimplemented granule (whose choice is the CPU's) */
};

struct s1_walk {
	ipaddr_t ipa;      /* S1_OK: the IPA of va */
	unsigned shift;    /* S1_OK: ipa holds for the aligned 1 << shift bytes around va */
	unsigned level;    /* the level of the leaf or of the fault (0 when nothing was read) */
	uint64_t desc;     /* the last descriptor read: the leaf, or the faulting one */
	ipaddr_t desc_ipa; /* where it was read (or, S1_FAULT_WALK, was to be) */
};

/* Translates va for a data access at EL1. Reads at most four descriptors,
 * one per level, and fills *out whatever the result. */
enum s1_result s1_translate(const struct s1_regime *r, gvaddr_t va, s1_read_fn *read, void *ctx,
			    struct s1_walk *out);

/* A few words for a message, e.g. "invalid descriptor". */
const char *s1_result_name(enum s1_result res);

#endif
