/*
 * Paravirtual calls: Vireo's own hypercalls, in the SMCCC vendor-specific
 * hypervisor service range (owner 6, DEN0028 6.2), and the standard ones
 * unmodified Linux looks for: PV time (owner 5, DEN0057A) and the TRNG
 * (owner 4 beside PSCI, DEN0098). smccc.c sends each owner's calls here;
 * each service maps exact function IDs to handlers through a table, and
 * every other ID answers NOT_SUPPORTED. docs/hypercalls.md is the
 * specification a guest author implements from.
 *
 * Every argument a guest passes is checked here, at this one boundary:
 * guest addresses go through vm_ram_ptr(), which refuses ranges outside the
 * VM's RAM and ranges that wrap; sizes have limits; 32-bit calls (SMC32
 * IDs) use only the low halves of their arguments. A bad argument returns
 * INVALID_PARAMETERS (-2) and changes nothing.
 *
 * The vendor service's identity follows the convention of every SMCCC
 * owner: CALL_UID (function 0xff01) returns Vireo's UUID in w0-w3, REVISION
 * (0xff03) its revision; VERSION (function 0) the same as one value. NULL
 * does nothing and returns 0: it measures the cost of a hypercall.
 */
#include "core/hypercall.h"

#include "arch/aarch64/rndr.h"

#include "core/channel.h"
#include "core/psci.h"
#include "core/pv.h"
#include "core/sched.h"
#include "core/vm.h"

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

/* x1 = IPA of a page of the VM's RAM for this vCPU's shared page, or 0 to
 * stop sharing one. */
static int64_t hc_shared_page(struct vcpu *v)
{
	uint64_t addr = vcpu_get_reg(v, 1);
	void *page;

	if (addr == 0) {
		v->shared_page = NULL;
		v->shared_page_ipa = ipa(0);
		return VIREO_SUCCESS;
	}
	page = vm_ram_ptr(v->vm, ipa(addr), PAGE_SIZE);
	if (!page || !IS_ALIGNED(addr, PAGE_SIZE)) {
		return VIREO_INVALID_PARAMETERS;
	}
	v->shared_page = page;
	v->shared_page_ipa = ipa(addr);
	pv_running(v); /* fill it in now */
	return VIREO_SUCCESS;
}

/* x1 = IPA of a buffer in the VM's RAM, x2 = its length: written to the
 * VM's console as if through its UART. Returns the length. */
static int64_t hc_console_write(struct vcpu *v)
{
	uint64_t addr = vcpu_get_reg(v, 1), len = vcpu_get_reg(v, 2);
	const char *buf;

	if (len > VIREO_CONSOLE_MAX) {
		return VIREO_INVALID_PARAMETERS;
	}
	buf = vm_ram_ptr(v->vm, ipa(addr), len);
	if (!buf) {
		return VIREO_INVALID_PARAMETERS;
	}
	vpl011_write(&v->vm->uart, v, buf, len);
	return (int64_t)len;
}

static int64_t hc_yield(struct vcpu *v)
{
	sched_yield_soon(v->home);
	return VIREO_SUCCESS;
}

static int64_t hc_channel_info(struct vcpu *v)
{
	return channel_info(v, vcpu_get_reg(v, 1));
}

static int64_t hc_doorbell(struct vcpu *v)
{
	return channel_ring(v, (uint32_t)vcpu_get_reg(v, 1)); /* an SMC32 call */
}

/* x1 = a vCPU of this VM (0xffffffff: all of them), x2 = a kind, x3 = its
 * key: how often that happened (stats.c). */
static int64_t hc_exit_stats(struct vcpu *v)
{
	uint64_t vcpu = vcpu_get_reg(v, 1), n;

	if (vcpu > UINT32_MAX || vcpu_get_reg(v, 2) > UINT32_MAX ||
	    !stats_read(v->vm, (uint32_t)vcpu, (uint32_t)vcpu_get_reg(v, 2), vcpu_get_reg(v, 3),
			&n)) {
		return VIREO_INVALID_PARAMETERS;
	}
	return (int64_t)(n & ~BIT(63));
}

struct hypercall {
	uint32_t id; /* the exact ID: number and calling convention */
	int64_t (*call)(struct vcpu *v);
};

static const struct hypercall vendor_calls[] = {
	{ VIREO_HC_VERSION, hc_version },
	{ VIREO_HC_NULL, hc_null },
	{ VIREO_HC_SHARED_PAGE, hc_shared_page },
	{ VIREO_HC_CONSOLE_WRITE, hc_console_write },
	{ VIREO_HC_YIELD, hc_yield },
	{ VIREO_HC_CHANNEL_INFO, hc_channel_info },
	{ VIREO_HC_DOORBELL, hc_doorbell },
	{ VIREO_HC_EXIT_STATS, hc_exit_stats },
	{ VIREO_HC_CALL_UID, hc_uid },
	{ VIREO_HC_REVISION, hc_revision },
};

/* PV_TIME_FEATURES(x1 = ID): 0 for the two PV time calls. */
static int64_t pvtime_features(struct vcpu *v)
{
	uint32_t fid = (uint32_t)vcpu_get_reg(v, 1);

	return fid == PV_TIME_FEATURES || fid == PV_TIME_ST ? VIREO_SUCCESS : VIREO_NOT_SUPPORTED;
}

/* PV_TIME_ST: the IPA of the calling vCPU's stolen-time record. */
static int64_t pvtime_st(struct vcpu *v)
{
	return (int64_t)(ipa_addr(vm_region_ipa(VM_PVTIME)) + v->id * sizeof(struct pvtime_record));
}

static const struct hypercall pvtime_calls[] = {
	{ PV_TIME_FEATURES, pvtime_features },
	{ PV_TIME_ST, pvtime_st },
};


static int64_t trng_version(struct vcpu *v)
{
	return 0x10000; /* 1.0 */
}

static int64_t trng_features(struct vcpu *v)
{
	uint32_t fid = (uint32_t)vcpu_get_reg(v, 1);

	/* RND64 is an SMC64 call, which an AArch32 caller cannot make
	 * (smccc.c refuses it): not one of its features either. */
	if (fid >= TRNG_VERSION && fid <= TRNG_RND32) {
		return VIREO_SUCCESS;
	}
	return fid == TRNG_RND64 && !vcpu_in_aarch32(v) ? VIREO_SUCCESS : VIREO_NOT_SUPPORTED;
}

static int64_t trng_uuid(struct vcpu *v)
{
	return hc_uid(v); /* the entropy comes through Vireo: its UUID */
}

/* x1 = bits wanted (w1 for the SMC32 RND32); they come back in x1-x3, x3
 * the least significant. */
static int64_t trng_fill(struct vcpu *v, unsigned max_bits, unsigned reg_bits)
{
	uint64_t bits = reg_bits == 32 ? (uint32_t)vcpu_get_reg(v, 1) : vcpu_get_reg(v, 1);
	uint64_t word;
	unsigned r;

	if (bits == 0 || bits > max_bits) {
		return VIREO_INVALID_PARAMETERS;
	}
	for (r = 3; r >= 1; r--) {
		unsigned have = (3 - r) * reg_bits, take;

		if (have >= bits) {
			vcpu_set_reg(v, r, 0);
			continue;
		}
		if (!rndr_read(&word)) {
			return TRNG_NO_ENTROPY;
		}
		take = MIN(reg_bits, (unsigned)(bits - have));
		vcpu_set_reg(v, r, take == 64 ? word : word & (BIT(take) - 1));
	}
	return VIREO_SUCCESS;
}

static int64_t trng_rnd32(struct vcpu *v)
{
	return trng_fill(v, 96, 32);
}

static int64_t trng_rnd64(struct vcpu *v)
{
	return trng_fill(v, 192, 64);
}

static const struct hypercall trng_calls[] = {
	{ TRNG_VERSION, trng_version }, { TRNG_FEATURES, trng_features },
	{ TRNG_GET_UUID, trng_uuid },   { TRNG_RND32, trng_rnd32 },
	{ TRNG_RND64, trng_rnd64 },
};

static const struct hypercall *find(const struct hypercall *t, unsigned n, uint32_t fid)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (t[i].id == fid) {
			return &t[i];
		}
	}
	return NULL;
}

static enum trap_action dispatch(struct vcpu *v, const struct hypercall *c)
{
	vcpu_set_reg(v, 0, (uint64_t)(c ? c->call(v) : VIREO_NOT_SUPPORTED));
	return TRAP_RESUME;
}

enum trap_action vireo_hypercall(struct vcpu *v, uint32_t fid)
{
	return dispatch(v, find(vendor_calls, ARRAY_SIZE(vendor_calls), fid));
}

enum trap_action pvtime_call(struct vcpu *v, uint32_t fid)
{
	return dispatch(v, find(pvtime_calls, ARRAY_SIZE(pvtime_calls), fid));
}

enum trap_action trng_call(struct vcpu *v, uint32_t fid)
{
	/* No entropy source in the CPU: no TRNG service at all. */
	return dispatch(v, rndr_present() ? find(trng_calls, ARRAY_SIZE(trng_calls), fid) : NULL);
}

bool hypercall_implemented(uint32_t fid)
{
	return find(vendor_calls, ARRAY_SIZE(vendor_calls), fid) ||
	       find(pvtime_calls, ARRAY_SIZE(pvtime_calls), fid) ||
	       (rndr_present() && find(trng_calls, ARRAY_SIZE(trng_calls), fid));
}
