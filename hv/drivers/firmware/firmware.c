/*
 * Vireo's calls down to firmware: PSCI CPU_ON to start the secondary CPUs
 * and SYSTEM_OFF to power the machine off when no VM is left (or after a
 * panic). The conduit, SMC or HVC, comes from the device tree's /psci node.
 * Running at EL2, an HVC would trap to ourselves, so on the machines Vireo
 * supports the conduit is SMC; HVC is refused at boot (platform.c reports
 * it) rather than silently calling into our own vectors.
 */
#include "drivers/firmware/firmware.h"

#include "core/psci.h"
#include "arch/aarch64/sysreg.h"

static enum psci_conduit psci_conduit = PSCI_CONDUIT_NONE;

void firmware_init(enum psci_conduit conduit)
{
	psci_conduit = conduit;
}

static int64_t smc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.1: x4-x17 may be clobbered by the callee. */
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

int64_t firmware_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
	if (psci_conduit != PSCI_CONDUIT_SMC) {
		return PSCI_NOT_SUPPORTED;
	}
	return smc_call(PSCI_CPU_ON_64, mpidr, pa_addr(entry), context);
}

void firmware_system_off(void)
{
	if (psci_conduit == PSCI_CONDUIT_SMC) {
		smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	/* No firmware to turn us off: stop here. */
	for (;;) {
		wfi();
	}
}
