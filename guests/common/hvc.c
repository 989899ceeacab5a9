/*
 * hvc.c: SMCCC calls from a 64-bit guest, over hvc #0, and PSCI CPU_ON.
 *
 * hvc_call() is the instruction under the PSCI calls both runtimes share
 * (psci.c). Per SMCCC, x0..x17 may be clobbered by the callee, so the asm
 * says so rather than trusting the implementation to preserve them.
 * CPU_ON is here rather than in psci.c because only the 64-bit runtime
 * starts other vCPUs (secondary.S), with its SMC64 form.
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

#define PSCI_CPU_ON 0xc4000003U

extern char guest_secondary_entry[];

int64_t guest_cpu_on(uint64_t mpidr, const struct guest_start *start)
{
	return (int64_t)hvc_call(PSCI_CPU_ON, mpidr, (uint64_t)(uintptr_t)guest_secondary_entry,
				 (uint64_t)(uintptr_t)start);
}
