/*
 * RNDR (Arm ARM D19.2, RNDR): a read sets PSTATE.Z when the entropy
 * source could not deliver a number in reasonable time, so the flag comes
 * back with the value.
 */
#include "arch/aarch64/rndr.h"

#include "arch/aarch64/sysreg.h"

#define ISAR0_RNDR GENMASK(63, 60)

bool rndr_present(void)
{
	return FIELD_GET(ISAR0_RNDR, read_sysreg(id_aa64isar0_el1)) != 0;
}

bool rndr_read(uint64_t *out)
{
	uint64_t v, ok;

	/* s3_3_c2_c4_0 is RNDR, spelled out for assemblers without FEAT_RNG. */
	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(v), "=r"(ok) : : "cc");
	*out = v;
	return ok;
}
