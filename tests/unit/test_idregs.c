/*
 * The ID registers guests read (hv/arch/aarch64/idregs.c), over a fake CPU
 * that implements every feature it can name: each field of each register
 * reads all ones. What reaches a guest is exactly the allow-list: a field
 * Vireo has not decided to give (a new feature, RAS, the PMU, EL2) reads
 * zero, "not implemented", the PMU until the mode virtualizes it. (The list was a deny-list before: the all-ones
 * CPU's RAS, AMU, PMU, EL2 and every future field reached guests.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/idregs.h"
#include "arch/aarch64/sysreg.h"

/* The PMUVer the CPU reports to id_reg_show_pmu(), by its register's name. */
static uint64_t host_pmuver;

uint64_t fuzz_read_sysreg(const char *name)
{
	if (strcmp(name, "id_aa64dfr0_el1") == 0) {
		return host_pmuver << 8;
	}
	return strncmp(name, "s3_0_c0_c", 9) == 0 ? ~0UL : 0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
}

#define FIELD(hi, lo) GENMASK(hi, lo)

static void test_pfr0(void **state)
{
	uint64_t v = id_reg_read(4, 0);

	assert_int_equal(v & FIELD(7, 0), FIELD(7, 0));     /* EL0, EL1 */
	assert_int_equal(v & FIELD(11, 8), 0);              /* EL2: a VM has none */
	assert_int_equal(v & FIELD(15, 12), 0);             /* EL3 */
	assert_int_equal(v & FIELD(27, 16), FIELD(27, 16)); /* FP, AdvSIMD, GIC */
	assert_int_equal(v & FIELD(31, 28), 0);             /* RAS */
	assert_int_equal(v & FIELD(35, 32), FIELD(35, 32)); /* SVE (el2/fpsimd.c) */
	assert_int_equal(v & FIELD(47, 44), 0);             /* AMU */
	assert_int_equal(v & FIELD(51, 48), FIELD(51, 48)); /* DIT */
	assert_int_equal(v & FIELD(63, 56), FIELD(63, 56)); /* CSV2, CSV3 */
	assert_int_equal(id_reg_read(4, 4), ~0UL); /* ZFR0: SVE's instructions */
}

static void test_pfr1_and_dfr0(void **state)
{
	uint64_t pfr1 = id_reg_read(4, 1), dfr0 = id_reg_read(5, 0);

	assert_int_equal(pfr1 & FIELD(7, 4), FIELD(7, 4)); /* SSBS */
	assert_int_equal(pfr1 & FIELD(11, 8), 0);          /* MTE */
	assert_int_equal(pfr1 & FIELD(27, 24), 0);         /* SME */
	assert_int_equal(dfr0 & FIELD(3, 0), FIELD(3, 0)); /* DebugVer */
	assert_int_equal(dfr0 & FIELD(11, 8), 0);          /* PMUVer */
	assert_int_equal(dfr0 & FIELD(35, 32), 0);         /* PMSVer (SPE) */
	assert_int_equal(dfr0 & FIELD(15, 12), FIELD(15, 12)); /* BRPs */
}

static void test_isars(void **state)
{
	uint64_t isar1 = id_reg_read(6, 1), isar2 = id_reg_read(6, 2);

	assert_int_equal(id_reg_read(6, 0), ~0UL);          /* instructions only */
	assert_int_equal(isar1 & FIELD(11, 4), 0);          /* APA, API */
	assert_int_equal(isar1 & FIELD(31, 24), 0);         /* GPA, GPI */
	assert_int_equal(isar1 & FIELD(63, 60), 0);         /* LS64 */
	assert_int_equal(isar1 & FIELD(23, 12), FIELD(23, 12));
	assert_int_equal(isar2 & FIELD(3, 0), 0);           /* WFxT */
	assert_int_equal(isar2 & FIELD(15, 8), 0);          /* GPA3, APA3 */
	assert_int_equal(isar2 & FIELD(19, 16), 0);         /* MOPS */
}

static void test_mmfrs(void **state)
{
	uint64_t mmfr1 = id_reg_read(7, 1), mmfr2 = id_reg_read(7, 2);

	assert_int_equal(id_reg_read(7, 0), FIELD(47, 0)); /* not FGT, ECV */
	assert_int_equal(mmfr1 & FIELD(11, 4), 0);         /* VMIDBits, VH */
	assert_int_equal(mmfr1 & FIELD(19, 16), 0);        /* LO */
	assert_int_equal(mmfr1 & FIELD(23, 20), FIELD(23, 20)); /* PAN */
	assert_int_equal(mmfr2 & FIELD(27, 24), 0);        /* NV */
	assert_int_equal(mmfr2 & FIELD(43, 40), 0);        /* FWB */
	assert_int_equal(mmfr2 & FIELD(63, 60), FIELD(63, 60)); /* E0PD */
	assert_int_equal(id_reg_read(7, 3), 0);            /* MMFR3: TCR2, SCTLR2... */
	assert_int_equal(id_reg_read(7, 4), 0);
}

static void test_unlisted_read_zero(void **state)
{
	assert_int_equal(id_reg_read(4, 5), 0); /* SMFR0 */
	assert_int_equal(id_reg_read(5, 1), 0); /* DFR1 */
	assert_int_equal(id_reg_read(5, 4), 0); /* AFR0 */
	assert_int_equal(id_reg_read(4, 7), 0); /* unallocated */
	assert_int_equal(id_reg_read(1, 0), ~0UL); /* AArch32's ID_PFR0 passes */
}

/* The PMU is hidden until the mode says it virtualizes it; then shown as
 * the CPU's, at most PMUv3p5 (6), and never an IMPLEMENTATION DEFINED one. */
static void test_pmu_shown_when_virtualized(void **state)
{
	static const struct {
		uint64_t host, guest;
	} cases[] = { { 1, 1 }, { 4, 4 }, { 6, 6 }, { 8, 6 }, { 0xf, 0 }, { 0, 0 } };
	unsigned i;

	assert_int_equal(id_pmu_version(), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		host_pmuver = cases[i].host;
		id_reg_show_pmu();
		assert_int_equal(id_pmu_version(), cases[i].guest);
		assert_int_equal(id_reg_read(5, 0) & FIELD(11, 8), cases[i].guest << 8);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfr0),
		cmocka_unit_test(test_pfr1_and_dfr0),
		cmocka_unit_test(test_isars),
		cmocka_unit_test(test_mmfrs),
		cmocka_unit_test(test_unlisted_read_zero),
		cmocka_unit_test(test_pmu_shown_when_virtualized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
