/*
 * psci.c: SMCCC and PSCI calls from a guest, over hvc #0.
 *
 * Vireo (like QEMU's virt machine without EL2) is the guest's PSCI
 * firmware and takes the calls as HVCs. Per SMCCC, x0..x17 may be
 * clobbered by the callee, so the asm says so rather than trusting the
 * implementation to preserve them.
 */
#include "guest.h"

uint64_t hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

uint32_t psci_version(void)
{
	return (uint32_t)hvc_call(PSCI_VERSION, 0, 0, 0);
}

int32_t psci_features(uint32_t fn)
{
	/* PSCI return values are 32-bit signed (NOT_SUPPORTED is -1). */
	return (int32_t)hvc_call(PSCI_FEATURES, fn, 0, 0);
}

void psci_system_off(void)
{
	hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	/*
	 * SYSTEM_OFF does not return. If it did, printing would only add
	 * noise to the log a test is checking, so just stop quietly.
	 */
	for (;;) {
		__asm__ volatile("wfi");
	}
}

#define PSCI_CPU_ON 0xc4000003U

extern char guest_secondary_entry[];

int64_t guest_cpu_on(uint64_t mpidr, const struct guest_start *start)
{
	return (int64_t)hvc_call(PSCI_CPU_ON, mpidr, (uint64_t)(uintptr_t)guest_secondary_entry,
				 (uint64_t)(uintptr_t)start);
}
