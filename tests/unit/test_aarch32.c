/*
 * The rules trap handlers apply to an AArch32 guest's instructions
 * (hv/arch/aarch64/aarch32.h): the condition a trapped instruction is
 * executed under, from its syndrome or its IT block; the IT block's
 * advance past one instruction; an SPSR_EL2 value in an AArch32 SPSR's
 * layout; the X register of each mode's LR. The conditions are checked
 * against the Arm ARM's table written out flag by flag, over all 16
 * flag combinations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/aarch64/aarch32.h"

#define N BIT(31)
#define Z BIT(30)
#define C BIT(29)
#define V BIT(28)

/* The Arm ARM's condition table, one line per condition. */
static bool reference(unsigned cond, uint64_t f)
{
	bool n = f & N, z = f & Z, c = f & C, v = f & V;

	switch (cond) {
	case 0x0: return z;
	case 0x1: return !z;
	case 0x2: return c;
	case 0x3: return !c;
	case 0x4: return n;
	case 0x5: return !n;
	case 0x6: return v;
	case 0x7: return !v;
	case 0x8: return c && !z;
	case 0x9: return !c || z;
	case 0xa: return n == v;
	case 0xb: return n != v;
	case 0xc: return !z && n == v;
	case 0xd: return z || n != v;
	default: return true;
	}
}

static void test_conditions(void **state)
{
	unsigned cond, flags;

	for (cond = 0; cond < 16; cond++) {
		for (flags = 0; flags < 16; flags++) {
			uint64_t cpsr = (uint64_t)flags << 28 | PSR_MODE32_SVC;
			uint64_t esr = ESR_CV | FIELD_PREP(ESR_COND, cond);

			assert_int_equal(aarch32_cond_holds(cond, cpsr), reference(cond, cpsr));
			assert_int_equal(aarch32_cond_passed(esr, cpsr), reference(cond, cpsr));
		}
	}
}

/* Without CV the condition is the IT block's (IT[7:4]), or none. */
static void test_condition_from_it_block(void **state)
{
	uint64_t thumb = PSR_MODE32_SVC | PSR_T;

	assert_true(aarch32_cond_passed(0, thumb));                         /* no IT block */
	assert_false(aarch32_cond_passed(0, aarch32_set_itstate(thumb, 0x08)));  /* EQ, Z clear */
	assert_true(aarch32_cond_passed(0, aarch32_set_itstate(thumb | Z, 0x08)));
	assert_true(aarch32_cond_passed(0, aarch32_set_itstate(thumb, 0x18)));   /* NE */
	/* CV set: the syndrome's condition, whatever the IT state says. */
	assert_true(aarch32_cond_passed(ESR_CV | FIELD_PREP(ESR_COND, 0xe),
					aarch32_set_itstate(thumb, 0x08)));
}

/* IT[7:2] and IT[1:0] live apart in the CPSR; the block shifts its mask
 * left once per instruction and ends after its last. */
static void test_it_advance(void **state)
{
	/* ITTT EQ: IT[7:4] the condition, IT[3:0] the mask 0b0010. */
	uint64_t cpsr = aarch32_set_itstate(PSR_MODE32_SVC | PSR_T | N, 0x02);

	assert_int_equal(cpsr & ~(PSR_IT_HI | PSR_IT_LO), PSR_MODE32_SVC | PSR_T | N);
	assert_int_equal(aarch32_itstate(cpsr), 0x02);
	cpsr = aarch32_advance(cpsr);
	assert_int_equal(aarch32_itstate(cpsr), 0x04);
	cpsr = aarch32_advance(cpsr);
	assert_int_equal(aarch32_itstate(cpsr), 0x08);
	cpsr = aarch32_advance(cpsr); /* IT[2:0] was 0: the block is over */
	assert_int_equal(aarch32_itstate(cpsr), 0);
	assert_int_equal(cpsr, PSR_MODE32_SVC | PSR_T | N);
	/* ITE NE (0x14): the second instruction's condition is EQ. */
	cpsr = aarch32_advance(aarch32_set_itstate(PSR_MODE32_SVC | PSR_T, 0x14));
	assert_int_equal(aarch32_itstate(cpsr), 0x08);
	assert_int_equal(aarch32_advance(PSR_MODE32_SVC), PSR_MODE32_SVC);
}

/* SPSR_EL2 keeps DIT at bit 24 and SS at 21; an AArch32 SPSR has DIT at 21. */
static void test_spsr_layout(void **state)
{
	assert_int_equal(aarch32_spsr(PSR32_DIT_EL2 | PSR_MODE32_SVC), PSR32_DIT | PSR_MODE32_SVC);
	assert_int_equal(aarch32_spsr(PSR_SS | PSR_MODE32_SVC), PSR_MODE32_SVC);
	assert_int_equal(aarch32_spsr(N | PSR_T | PSR_MODE32_USR), N | PSR_T | PSR_MODE32_USR);
}

static void test_lr_of_each_mode(void **state)
{
	assert_int_equal(aarch32_lr_index(PSR_MODE32_USR), 14);
	assert_int_equal(aarch32_lr_index(PSR_MODE32_SYS), 14);
	assert_int_equal(aarch32_lr_index(PSR_MODE32_IRQ), 16);
	assert_int_equal(aarch32_lr_index(PSR_MODE32_SVC), 18);
	assert_int_equal(aarch32_lr_index(PSR_MODE32_ABT), 20);
	assert_int_equal(aarch32_lr_index(PSR_MODE32_UND), 22);
	assert_int_equal(aarch32_lr_index(PSR_MODE32_FIQ), 30); /* X29 is SP_fiq */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_condition_from_it_block),
		cmocka_unit_test(test_it_advance),
		cmocka_unit_test(test_spsr_layout),
		cmocka_unit_test(test_lr_of_each_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
