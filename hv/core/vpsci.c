/*
 * PSCI for guests (Arm DEN0022, version 1.1), reached through smccc.c.
 *
 * Calls are dispatched through a table indexed by the function number (the
 * low bits of the ID), after checking that the ID's 32/64-bit form is one
 * PSCI defines for that function. What each call means for a VM:
 *   PSCI_VERSION        1.1.
 *   PSCI_FEATURES       0 for each implemented function, NOT_SUPPORTED else.
 *   CPU_ON              starts an off vCPU at the given entry point with
 *                       the context ID in x0, EL1h (AArch32: SVC mode, ARM
 *                       or Thumb by the entry's bit 0), MMU off: it is
 *                       ON_PENDING until its own CPU, kicked, has reset it
 *                       (a request, vcpu.c), then ON. ALREADY_ON for a vCPU
 *                       that is on, ON_PENDING for one whose start is
 *                       pending.
 *   CPU_OFF             switches the calling vCPU off; the last one to go
 *                       off (none on or pending) stops the VM.
 *   AFFINITY_INFO       ON, OFF or ON_PENDING for a vCPU, by its MPIDR
 *                       (level 0 only).
 *   CPU_SUSPEND         returns at once, which PSCI allows (a wake-up).
 *   MIGRATE_INFO_TYPE   no Trusted OS that would need migrating.
 *   SYSTEM_OFF          the VM ends; when no VM is left Vireo powers off.
 *   SYSTEM_RESET        the VM restarts from its images, memory zeroed.
 */
#include "core/psci.h"
#include "core/smccc.h"
#include "core/vm.h"

#define PSCI_FN_MASK 0x1f

/* DEN0022 5.1.5 and 5.1.6. (They belong in psci.h with the others.) */

static int64_t psci_version(struct vcpu *v)
{
	return PSCI_VERSION_1_1;
}

/* The vCPU whose MPIDR affinity is target, or NULL. */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t target)
{
	unsigned i;

	for (i = 0; i < vm->n_vcpus; i++) {
		if ((vm->vcpus[i].vmpidr & MPIDR_AFF_MASK) == (target & MPIDR_AFF_MASK)) {
			return &vm->vcpus[i];
		}
	}
	return NULL;
}

/* Whether a vCPU of v's VM can start at entry: an instruction in its
 * RAM. An AArch32 entry point's bit 0 says Thumb state, whose
 * instructions are halfword aligned. */
static bool valid_entry(const struct vcpu *v, uint64_t entry)
{
	uint64_t align = 3;

	if (v->vm->aarch32 && (entry & 1)) {
		entry &= ~1UL;
		align = 1;
	}
	return vm_ram_ptr(v->vm, ipa(entry), align + 1) && !(entry & align);
}

static int64_t psci_cpu_on(struct vcpu *v)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, vcpu_get_reg(v, 1));
	uint64_t entry = vcpu_get_reg(v, 2);

	if (!t) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (!valid_entry(v, entry)) {
		return PSCI_INVALID_ADDRESS;
	}
	/* The reset is t's home CPU's to do: t may still be on its way off
	 * there, its registers not yet saved. */
	switch (vcpu_request_start(t, ipa(entry), vcpu_get_reg(v, 3))) {
	case VCPU_OFF:
		vm_kick(t);
		return PSCI_SUCCESS;
	case VCPU_ON_PENDING:
		return PSCI_ON_PENDING;
	default:
		return PSCI_ALREADY_ON;
	}
}

static int64_t psci_affinity_info(struct vcpu *v)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, vcpu_get_reg(v, 1));

	if (!t || vcpu_get_reg(v, 2) != 0) {
		return PSCI_INVALID_PARAMETERS; /* only affinity level 0 */
	}
	switch (__atomic_load_n(&t->power, __ATOMIC_ACQUIRE)) {
	case VCPU_ON:
		return PSCI_AFFINITY_ON;
	case VCPU_ON_PENDING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_OFF;
	}
}

/* Switches the caller off; the last vCPU to go stops the VM. */
static void cpu_off(struct vcpu *v)
{
	unsigned i, on = 0;

	__atomic_store_n(&v->power, VCPU_OFF, __ATOMIC_RELEASE);
	for (i = 0; i < v->vm->n_vcpus; i++) {
		/* A pending start counts: that vCPU is about to run. */
		on += __atomic_load_n(&v->vm->vcpus[i].power, __ATOMIC_ACQUIRE) != VCPU_OFF;
	}
	if (on == 0) {
		vm_stop(v->vm, "its last vCPU called PSCI CPU_OFF");
	}
}

static int64_t psci_cpu_suspend(struct vcpu *v)
{
	return PSCI_SUCCESS;
}

static int64_t psci_migrate_info_type(struct vcpu *v)
{
	return PSCI_TOS_NOT_PRESENT;
}

static int64_t psci_features_call(struct vcpu *v)
{
	return vpsci_features(v, (uint32_t)vcpu_get_reg(v, 1));
}

struct psci_fn {
	/* The ID in the form PSCI defines (SMC32 or SMC64); an AArch32
	 * caller, which has no SMC64, uses the SMC32 form of every one. */
	uint32_t id;
	int64_t (*call)(struct vcpu *v);
};

/* Calls that return to the caller, by function number. CPU_OFF,
 * SYSTEM_OFF and SYSTEM_RESET do not return and are handled below. */
static const struct psci_fn psci_fns[PSCI_FN_MASK + 1] = {
	[0x00] = { PSCI_VERSION, psci_version },
	[0x01] = { PSCI_CPU_SUSPEND_64, psci_cpu_suspend },
	[0x03] = { PSCI_CPU_ON_64, psci_cpu_on },
	[0x04] = { PSCI_AFFINITY_INFO_64, psci_affinity_info },
	[0x06] = { PSCI_MIGRATE_INFO_TYPE, psci_migrate_info_type },
	[0x0a] = { PSCI_FEATURES, psci_features_call },
};

static bool is_terminal(uint32_t fid)
{
	return fid == PSCI_CPU_OFF || fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET;
}

/* Whether fid is function f's ID in the form v's VM calls it. */
static bool is_form(const struct vcpu *v, const struct psci_fn *f, uint32_t fid)
{
	return f->call && (v->vm->aarch32 ? f->id & ~SMCCC_64 : f->id) == fid;
}

int64_t vpsci_features(const struct vcpu *v, uint32_t fid)
{
	const struct psci_fn *f = &psci_fns[fid & PSCI_FN_MASK];

	if (is_terminal(fid) || fid == SMCCC_VERSION) {
		return PSCI_SUCCESS;
	}
	if (is_form(v, f, fid)) {
		/* CPU_SUSPEND: bit 1 = 0 means the original parameter format. */
		return PSCI_SUCCESS;
	}
	return PSCI_NOT_SUPPORTED;
}

static enum trap_action terminal_call(struct vcpu *v, uint32_t fid)
{
	switch (fid) {
	case PSCI_SYSTEM_RESET:
		vm_request_reset(v->vm);
		break;
	case PSCI_CPU_OFF:
		cpu_off(v);
		break;
	default:
		vm_stop(v->vm, "powered off (PSCI SYSTEM_OFF)");
		break;
	}
	return TRAP_EXIT;
}

enum trap_action vpsci_call(struct vcpu *v, uint32_t fid)
{
	const struct psci_fn *f = &psci_fns[fid & PSCI_FN_MASK];

	if (is_terminal(fid)) {
		return terminal_call(v, fid);
	}
	/* The table entry must hold exactly this ID: same number, same form. */
	if (!is_form(v, f, fid)) {
		vcpu_set_reg(v, 0, (uint64_t)(int64_t)PSCI_NOT_SUPPORTED);
		return TRAP_RESUME;
	}
	vcpu_set_reg(v, 0, (uint64_t)f->call(v));
	return TRAP_RESUME;
}
