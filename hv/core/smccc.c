/*
 * The guest's HVC and SMC traps (EC 0x16, 0x17): calls under the SMC
 * Calling Convention (Arm DEN0028).
 *
 * Both conduits reach the same services: Vireo sets HCR_EL2.TSC, so a
 * guest's SMC never reaches the real firmware. The function ID in w0 names
 * an owning entity; services[] maps each owner Vireo implements to its
 * handler, and every other ID returns NOT_SUPPORTED (-1) in x0, as the
 * convention requires. Nothing a guest passes here can crash or hang
 * Vireo: handlers validate their arguments and answer with error codes.
 *
 * An AArch32 caller has only the SMC32 convention (DEN0028 2.5): an SMC64
 * ID from it is unknown, and SMCCC_ARCH_FEATURES says so too.
 *
 * Implemented: the Arm architecture calls (SMCCC_VERSION 1.1,
 * SMCCC_ARCH_FEATURES with truthful Spectre workaround answers) here, PSCI
 * in vpsci.c, and Vireo's own vendor hypercalls in hypercall.c.
 */
#include "core/smccc.h"

#include "core/hypercall.h"
#include "core/psci.h"

/* SMCCC_ARCH_FEATURES' answer for fid: 0 if implemented, else the value
 * DEN0028 defines for it. */
static int64_t arch_features(const struct vcpu *v, uint32_t fid)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	if ((fid & SMCCC_64) && vcpu_in_aarch32(v)) {
		return SMCCC_NOT_SUPPORTED;
	}
	switch (fid) {
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		return SMCCC_SUCCESS;
	case PV_TIME_FEATURES:
		/* Linux asks this before it asks PV_TIME_FEATURES itself. */
		return SMCCC_SUCCESS;
	case SMCCC_ARCH_WORKAROUND_1:
		/* CSV2 says branch targets cannot be poisoned across contexts,
		 * so the CPU is unaffected (DEN0028 7.5). Otherwise Vireo has
		 * no firmware mitigation to offer: NOT_SUPPORTED. */
		return FIELD_GET(PFR0_CSV2, pfr0) ? SMCCC_ARCH_WORKAROUND_UNAFFECTED :
						    SMCCC_NOT_SUPPORTED;
	case SMCCC_ARCH_WORKAROUND_3:
		return FIELD_GET(PFR0_CSV2, pfr0) && FIELD_GET(PFR0_CSV3, pfr0) ?
			       SMCCC_ARCH_WORKAROUND_UNAFFECTED :
			       SMCCC_NOT_SUPPORTED;
	default:
		/* Includes WORKAROUND_2: Vireo offers no per-guest SSBD control. */
		return SMCCC_NOT_SUPPORTED;
	}
}

static enum trap_action arch_call(struct vcpu *v, uint32_t fid)
{
	int64_t ret;

	switch (fid) {
	case SMCCC_VERSION:
		ret = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		ret = arch_features(v, (uint32_t)vcpu_get_reg(v, 1));
		break;
	default:
		ret = SMCCC_NOT_SUPPORTED;
		break;
	}
	vcpu_set_reg(v, 0, (uint64_t)ret);
	return TRAP_RESUME;
}

/* The standard secure service holds PSCI (functions 0x00-0x1f) and the
 * TRNG (0x50-0x5f). */
static enum trap_action std_secure_call(struct vcpu *v, uint32_t fid)
{
	uint32_t fn = FIELD_GET(SMCCC_FUNC, fid);

	return fn >= 0x50 && fn <= 0x5f ? trng_call(v, fid) : vpsci_call(v, fid);
}

static const smccc_service_t services[] = {
	[SMCCC_OWNER_ARCH] = arch_call,
	[SMCCC_OWNER_STD] = std_secure_call,
	[SMCCC_OWNER_STD_HYP] = pvtime_call,
	[SMCCC_OWNER_VENDOR_HYP] = vireo_hypercall,
};

static enum trap_action smccc_dispatch(struct vcpu *v)
{
	uint32_t fid = (uint32_t)vcpu_get_reg(v, 0);
	uint64_t owner = FIELD_GET(SMCCC_OWNER, fid);

	stats_count(&v->stats.calls, fid);
	if ((fid & SMCCC_FAST) && owner < ARRAY_SIZE(services) && services[owner] &&
	    !((fid & SMCCC_64) && vcpu_in_aarch32(v))) {
		return services[owner](v, fid);
	}
	vcpu_set_reg(v, 0, (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED);
	return TRAP_RESUME;
}

enum trap_action trap_hvc(struct vcpu *v)
{
	/* ELR_EL2 already points past the HVC. HVC #imm other than 0 is
	 * reserved by SMCCC for other uses; Vireo serves only #0. */
	if (FIELD_GET(ESR_ISS, v->trap.esr) & 0xffff) {
		vcpu_set_reg(v, 0, (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED);
		return TRAP_RESUME;
	}
	return smccc_dispatch(v);
}

enum trap_action trap_smc(struct vcpu *v)
{
	/* A trapped SMC leaves ELR_EL2 at the SMC itself (D1.10.4). */
	vcpu_skip_insn(v);
	return smccc_dispatch(v);
}
