/*
 * hvc.c: SMCCC calls from a 32-bit guest, over hvc #0.
 *
 * hvc_call() is the instruction under the PSCI calls both runtimes share
 * (guests/common/psci.c). From AArch32 only the SMC32 IDs exist (SMCCC
 * DEN0028, 2.5): arguments in r0..r3, results in r0..r3, r4..r14
 * preserved by the callee, so the asm clobbers r0..r3 alone.
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
