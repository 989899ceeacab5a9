/*
 * psci.c: the PSCI calls every guest makes, for both runtimes.
 *
 * Vireo (like QEMU's virt machine without EL2) is the guest's PSCI
 * firmware and takes the calls as HVCs, through hvc_call(), which each
 * runtime writes for its own instruction set and calling convention
 * (hvc.c). The calls here have SMC32 IDs and 32-bit arguments, so they are
 * the same from AArch64 and AArch32; the 64-bit runtime's CPU_ON, whose
 * addresses are 64 bits, is in its hvc.c.
 */
#include "runtime.h"

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
