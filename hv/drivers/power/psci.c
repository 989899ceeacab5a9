/*
 * Vireo's calls down to firmware through PSCI: CPU_ON to start the
 * secondary CPUs, SYSTEM_OFF to power the machine off when no VM is left
 * (or after a panic), SYSTEM_RESET. The conduit, SMC or HVC, comes from
 * the device tree's /psci node (platform.c). Running at EL2, an HVC would
 * trap to ourselves, so on the machines Vireo supports the conduit is SMC;
 * HVC is refused at boot (platform.c reports it) rather than silently
 * calling into our own vectors. A machine without PSCI gets no CPU but the
 * boot CPU, and halts instead of powering off.
 */
#include "drivers/power/psci.h"

#include "core/psci.h"

static enum psci_conduit conduit = PSCI_CONDUIT_NONE;

static int psci_probe(const struct platform *p, char *err, size_t errlen)
{
	conduit = p->psci;
	return 0;
}

static const char *psci_describe(void)
{
	return conduit == PSCI_CONDUIT_SMC ? "PSCI via smc" : "PSCI via (none)";
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

static int64_t psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
	if (conduit != PSCI_CONDUIT_SMC) {
		return PSCI_NOT_SUPPORTED;
	}
	return smc_call(PSCI_CPU_ON_64, mpidr, pa_addr(entry), context);
}

static void psci_system_off(void)
{
	if (conduit == PSCI_CONDUIT_SMC) {
		smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
}

static void psci_system_reset(void)
{
	if (conduit == PSCI_CONDUIT_SMC) {
		smc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	}
}

const struct power psci_power = {
	.probe = psci_probe,
	.describe = psci_describe,
	.cpu_on = psci_cpu_on,
	.system_off = psci_system_off,
	.system_reset = psci_system_reset,
};
