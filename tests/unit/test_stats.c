/*
 * Exit statistics (hv/core/stats.c): the direct-mapped tables, what
 * stats_read() answers for each kind, summed over vCPUs, and the lines
 * stats_print() writes, over a VM made up here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/hypercall.h"
#include "core/psci.h"
#include "core/stats.h"
#include "core/vm.h"

static char out[8192];

void printk(const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + used, sizeof(out) - used, fmt, ap);
	va_end(ap);
}

/* A register's key as the trap path counts it (trap_sysreg.c). */
#define ISS(op0, op1, crn, crm, op2) ((uint32_t)ESR_SYS_ENC(op0, op1, crn, crm, op2))

enum { EXITS, SYNC, IRQS, CALL, SYSREG, MMIO, WFI, GUEST, VIREO, OTHER_SYSREGS, OTHER_CALLS,
       IRQS_TAKEN };

static struct vm vm;

static void two_vcpus(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(out, 0, sizeof(out));
	vm.name = "vm0";
	vm.n_vcpus = 2;
	vm.vcpus[1].id = 1;
	vm.mmio.n = 1;
	vm.mmio.regions[0].base = ipa(0x09000000);
}

static uint64_t get(uint32_t vcpu, uint32_t kind, uint64_t key)
{
	uint64_t n = 0xbad;

	assert_true(stats_read(&vm, vcpu, kind, key, &n));
	return n;
}

static void test_table_counts_and_collisions(void **state)
{
	struct stats_table t = { 0 };
	uint32_t key = 0x1234, other;

	stats_count(&t, key);
	stats_count(&t, key);
	/* A key that lands in the same slot: counted as other, not lost. */
	for (other = key + 1; stats_slot_of(other) != stats_slot_of(key); other++) {
	}
	stats_count(&t, other);
	assert_int_equal(t.other, 1);
	two_vcpus();
	vm.vcpus[0].stats.calls = t;
	assert_int_equal(get(0, CALL, key), 2);
	assert_int_equal(get(0, CALL, other), 0);
	assert_int_equal(get(0, OTHER_CALLS, 0), 1);
	/* A register is asked for as MRS encodes it, counted as its syndrome. */
	stats_count(&vm.vcpus[1].stats.sysregs, ISS(3, 3, 14, 2, 1));
	assert_int_equal(get(1, SYSREG, 3 << 14 | 3 << 11 | 14 << 7 | 2 << 3 | 1), 1);
}

static void test_kinds_summed_over_vcpus(void **state)
{
	two_vcpus();
	vm.vcpus[0].stats.sync[EC_DABT_LOW] = 3;
	vm.vcpus[1].stats.sync[EC_DABT_LOW] = 4;
	vm.vcpus[0].stats.sync[EC_HVC64] = 2;
	vm.vcpus[1].stats.fast_calls[STATS_FAST_NULL] = 10;
	vm.vcpus[0].stats.irqs = 5;
	vm.vcpus[1].stats.mmio[0] = 7;
	vm.vcpus[0].stats.wfi_sleeps = 1;
	vm.vcpus[0].stats.guest_ticks = 100;
	vm.vcpus[0].stats.run_ticks = 130;
	stats_count(&vm.vcpus[0].stats.calls, VIREO_HC_NULL); /* through SMC, say */
	stats_count(&vm.vcpus[1].stats.calls, PSCI_CPU_ON_64);

	assert_int_equal(get(STATS_ALL_VCPUS, SYNC, EC_DABT_LOW), 7);
	/* Interrupts taken are the vGIC's count, and only with one. */
	vm.vgic.cpu[1].taken = 6;
	assert_int_equal(get(1, IRQS_TAKEN, 0), 0);
	vm.has_gic = true;
	assert_int_equal(get(STATS_ALL_VCPUS, IRQS_TAKEN, 0), 6);
	vm.has_gic = false;
	/* The fast path's calls are HVC exits too. */
	assert_int_equal(get(1, SYNC, EC_HVC64), 10);
	assert_int_equal(get(STATS_ALL_VCPUS, SYNC, EC_HVC64), 12);
	assert_int_equal(get(STATS_ALL_VCPUS, EXITS, 0), 3 + 4 + 2 + 10 + 5);
	assert_int_equal(get(STATS_ALL_VCPUS, CALL, VIREO_HC_NULL), 11);
	assert_int_equal(get(1, CALL, PSCI_CPU_ON_64), 1);
	assert_int_equal(get(0, CALL, PSCI_CPU_ON_64), 0);
	assert_int_equal(get(STATS_ALL_VCPUS, MMIO, 0x09000000), 7);
	assert_int_equal(get(0, WFI, 0), 1);
	assert_int_equal(get(0, GUEST, 0), 100);
	assert_int_equal(get(0, VIREO, 0), 30);
	assert_int_equal(get(0, IRQS, 0), 5);
}

static void test_refusals(void **state)
{
	uint64_t n;

	two_vcpus();
	assert_false(stats_read(&vm, 2, EXITS, 0, &n));           /* no such vCPU */
	assert_false(stats_read(&vm, 0, IRQS_TAKEN + 1, 0, &n)); /* no such kind */
	assert_false(stats_read(&vm, 0, SYNC, EC_MAX + 1, &n));
	assert_false(stats_read(&vm, 0, MMIO, 0x09010000, &n));   /* no device there */
	assert_false(stats_read(&vm, 0, SYSREG, 1 << 16, &n));
	assert_false(stats_read(&vm, STATS_ALL_VCPUS, CALL, 1UL << 32, &n));
}

static void test_print_names_and_skips_zeros(void **state)
{
	two_vcpus();
	vm.vcpus[0].stats.sync[EC_SYS64] = 3;
	vm.vcpus[1].stats.fast_calls[STATS_FAST_PSCI_VERSION] = 2;
	stats_count(&vm.vcpus[0].stats.sysregs, ISS(3, 3, 14, 2, 1));
	stats_count(&vm.vcpus[1].stats.sysregs, ISS(3, 3, 14, 2, 1));
	stats_count(&vm.vcpus[1].stats.sysregs, ISS(3, 0, 1, 0, 0));
	stats_count(&vm.vcpus[0].stats.calls, 0x82000005);
	stats_print(&vm);
	assert_non_null(strstr(out, "vireo: stats: vm0: exits 5\n"));
	assert_non_null(strstr(out, "vireo: stats: vm0: exits.sysreg 3\n"));
	assert_non_null(strstr(out, "vireo: stats: vm0: exits.hvc64 2\n"));
	assert_non_null(strstr(out, "vireo: stats: vm0: calls.PSCI_VERSION 2\n"));
	assert_non_null(strstr(out, "vireo: stats: vm0: calls.0x82000005 1\n"));
	/* Summed over both vCPUs, once. */
	assert_non_null(strstr(out, "vireo: stats: vm0: sysregs.CNTP_CTL_EL0 2\n"));
	assert_null(strstr(strstr(out, "CNTP_CTL_EL0") + 1, "CNTP_CTL_EL0"));
	assert_non_null(strstr(out, "vireo: stats: vm0: sysregs.S3_0_C1_C0_0 1\n"));
	assert_null(strstr(out, "mmio."));
	assert_null(strstr(out, "wfi_sleeps"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_counts_and_collisions),
		cmocka_unit_test(test_kinds_summed_over_vcpus),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_print_names_and_skips_zeros),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
