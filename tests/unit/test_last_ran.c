/*
 * The EL2 mode's record of which vCPU of a VM each CPU last ran
 * (hv/arch/aarch64/el2/last_ran.h): a CPU that switches between two vCPUs
 * of one VM (one VMID) must flush that VMID's stage-1 TLB entries; a CPU
 * that runs the same vCPU again, or a VM's first vCPU there, need not.
 * (Before it, two vCPUs of a VM sharing a CPU shared its TLB entries; QEMU
 * flushes its TLB whenever HCR_EL2.VM changes, so no guest on QEMU can show
 * that: this test holds the decision.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/aarch64/el2/last_ran.h"

static void test_first_vcpu_needs_no_flush(void **state)
{
	uint8_t last[4] = { 0 };

	assert_false(last_ran_changed(last, 2, 0));
	assert_false(last_ran_changed(last, 2, 0)); /* the same vCPU again */
}

static void test_another_vcpu_of_the_vm_flushes(void **state)
{
	uint8_t last[4] = { 0 };

	assert_false(last_ran_changed(last, 1, 3));
	assert_true(last_ran_changed(last, 1, 0));
	assert_true(last_ran_changed(last, 1, 3));
	assert_false(last_ran_changed(last, 1, 3));
}

static void test_cpus_are_separate(void **state)
{
	uint8_t last[4] = { 0 };

	assert_false(last_ran_changed(last, 0, 0));
	assert_false(last_ran_changed(last, 1, 1)); /* another CPU: its own record */
	assert_false(last_ran_changed(last, 0, 0));
	assert_true(last_ran_changed(last, 1, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_vcpu_needs_no_flush),
		cmocka_unit_test(test_another_vcpu_of_the_vm_flushes),
		cmocka_unit_test(test_cpus_are_separate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
