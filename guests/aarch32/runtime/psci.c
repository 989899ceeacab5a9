/*
 * psci.c: SMCCC and PSCI calls from a 32-bit guest, over hvc #0.
 *
 * Vireo (like QEMU's virt machine without EL2) is the guest's PSCI
 * firmware and takes the calls as HVCs. From AArch32 only the SMC32 IDs
 * exist (SMCCC DEN0028, 2.5): arguments in r0..r3, results in r0..r3,
 * r4..r14 preserved by the callee, so the asm clobbers r0..r3 alone.
 */
#include "guest32.h"

uint32_t hvc_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 __asm__("r0") = fn;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;

	__asm__ volatile(".arch_extension virt\n"
			 "hvc #0"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 :
			 : "memory");
	return r0;
}

uint32_t psci_version(void)
{
	return hvc_call(PSCI_VERSION, 0, 0, 0);
}

int32_t psci_features(uint32_t fn)
{
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
