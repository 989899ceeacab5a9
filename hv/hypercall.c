/*
 * Vireo's own hypercalls, in the SMCCC vendor-specific hypervisor service
 * range (owner 6, DEN0028 6.2). smccc.c sends every call of that owner
 * here; calls[] maps each function number to its handler, and every other
 * ID answers NOT_SUPPORTED. docs/hypercalls.md is the specification a guest
 * author implements from.
 *
 * The service's identity follows the convention every SMCCC owner uses:
 * CALL_UID (function 0xff01) returns Vireo's UUID in w0-w3, REVISION
 * (0xff03) its revision; VERSION (function 0) the same as a single value.
 * NULL does nothing and returns 0: it measures the cost of a hypercall.
 */
#include "hypercall.h"

#include "psci.h"

/* Vireo's UUID, 9ce1d6a6-3c5e-4f6b-a8e1-0b5c7d3f2e91, as SMCCC returns a
 * UID: four 32-bit words, first byte of the UUID in the low byte of w0. */
static const uint32_t vireo_uid[4] = { 0xa6d6e19cU, 0x6b4f5e3cU, 0x5c0be1a8U, 0x912e3f7dU };

static int64_t hc_version(struct vcpu *v)
{
	return VIREO_HC_VERSION_1_0;
}

static int64_t hc_null(struct vcpu *v)
{
	return SMCCC_SUCCESS;
}

static int64_t hc_uid(struct vcpu *v)
{
	vcpu_set_reg(v, 1, vireo_uid[1]);
	vcpu_set_reg(v, 2, vireo_uid[2]);
	vcpu_set_reg(v, 3, vireo_uid[3]);
	return vireo_uid[0];
}

static int64_t hc_revision(struct vcpu *v)
{
	vcpu_set_reg(v, 1, 0); /* minor */
	return 1;              /* major */
}

struct hypercall {
	uint32_t id; /* the exact ID: number and calling convention */
	int64_t (*call)(struct vcpu *v);
};

static const struct hypercall calls[] = {
	{ VIREO_HC_VERSION, hc_version },
	{ VIREO_HC_NULL, hc_null },
	{ VIREO_HC_CALL_UID, hc_uid },
	{ VIREO_HC_REVISION, hc_revision },
};

enum trap_action vireo_hypercall(struct vcpu *v, uint32_t fid)
{
	int64_t ret = SMCCC_NOT_SUPPORTED;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		if (calls[i].id == fid) {
			ret = calls[i].call(v);
			break;
		}
	}
	vcpu_set_reg(v, 0, (uint64_t)ret);
	return TRAP_RESUME;
}
