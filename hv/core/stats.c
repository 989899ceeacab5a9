/*
 * Exit statistics: reading and printing the counts stats.h describes.
 *
 * A VM's counts are the sum of its vCPUs', read without stopping them: a
 * count read while its vCPU runs may be one event behind, never wrong by
 * more. A hypercall answered in the mode's vector is counted both as an
 * exit (EC 0x16, HVC64) and as a call of its function ID, as one answered
 * in C is. Time in the guest is what the mode's run loop measured around
 * each entry, time in Vireo the rest of the run loop's time, as of the
 * vCPU's last turn that ended: the two add up to the time it had its CPU.
 */
#include "core/stats.h"

#include "core/hypercall.h"
#include "core/printk.h"
#include "core/psci.h"
#include "core/vm.h"

/* The kinds of VIREO_HC_EXIT_STATS (docs/hypercalls.md). */
enum {
	KIND_EXITS,       /* every exit */
	KIND_SYNC,        /* synchronous exits with exception class key */
	KIND_IRQS,        /* exits for a physical interrupt */
	KIND_CALL,        /* HVC/SMC calls of function ID key */
	KIND_SYSREG,      /* trapped accesses to the register encoded key */
	KIND_MMIO,        /* emulated accesses to the device at IPA key */
	KIND_WFI_SLEEPS,  /* WFIs that gave the CPU away */
	KIND_GUEST_TICKS, /* counter ticks in the guest */
	KIND_VIREO_TICKS, /* counter ticks in Vireo for this vCPU */
	KIND_OTHER_SYSREGS, /* register accesses not counted by encoding */
	KIND_OTHER_CALLS,   /* calls not counted by function ID */
	KIND_IRQS_TAKEN,    /* virtual interrupts the guest took (acknowledged) */
};

static const uint32_t fast_ids[STATS_NR_FAST] = {
	[STATS_FAST_NULL] = VIREO_HC_NULL,
	[STATS_FAST_PSCI_VERSION] = PSCI_VERSION,
	[STATS_FAST_SMCCC_VERSION] = SMCCC_VERSION,
};

/* A register's key as VIREO_HC_EXIT_STATS names it (op0:op1:CRn:CRm:op2,
 * as MRS encodes them) and as its table keeps it (ESR_SYS_ENC, what the
 * trap path takes from the syndrome with one AND). */
static uint32_t sysreg_iss(uint64_t key)
{
	return (uint32_t)ESR_SYS_ENC(key >> 14, key >> 11 & 7, key >> 7 & 15, key >> 3 & 15,
				     key & 7);
}

static uint32_t sysreg_key(uint32_t iss)
{
	return (uint32_t)(FIELD_GET(ESR_SYS_OP0, iss) << 14 | FIELD_GET(ESR_SYS_OP1, iss) << 11 |
			  FIELD_GET(ESR_SYS_CRN, iss) << 7 | FIELD_GET(ESR_SYS_CRM, iss) << 3 |
			  FIELD_GET(ESR_SYS_OP2, iss));
}

static uint64_t table_get(const struct stats_table *t, uint32_t key)
{
	const struct stats_slot *s = &t->slot[stats_slot_of(key)];

	return s->n && s->key == key ? s->n : 0;
}

static uint64_t fast_total(const struct vcpu_stats *s)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < STATS_NR_FAST; i++) {
		n += s->fast_calls[i];
	}
	return n;
}

static uint64_t exits(const struct vcpu_stats *s)
{
	uint64_t n = s->irqs + fast_total(s);
	unsigned i;

	for (i = 0; i <= EC_MAX; i++) {
		n += s->sync[i];
	}
	return n;
}

static uint64_t calls_of(const struct vcpu_stats *s, uint32_t fid)
{
	uint64_t n = table_get(&s->calls, fid);
	unsigned i;

	for (i = 0; i < STATS_NR_FAST; i++) {
		n += fast_ids[i] == fid ? s->fast_calls[i] : 0;
	}
	return n;
}

static int mmio_index(const struct vm *vm, uint64_t ipa)
{
	unsigned i;

	for (i = 0; i < vm->mmio.n; i++) {
		if (ipa_addr(vm->mmio.regions[i].base) == ipa) {
			return (int)i;
		}
	}
	return -1;
}

static bool vcpu_read(const struct vm *vm, const struct vcpu *v, uint32_t kind, uint64_t key,
		      uint64_t *n)
{
	const struct vcpu_stats *s = &v->stats;
	int i;

	switch (kind) {
	case KIND_EXITS:
		*n = exits(s);
		return true;
	case KIND_SYNC:
		/* The vector's fast calls are hvc #0s, in the VM's state. */
		*n = key <= EC_MAX ? s->sync[key] : 0;
		*n += key == (vm->aarch32 ? EC_HVC32 : EC_HVC64) ? fast_total(s) : 0;
		return key <= EC_MAX;
	case KIND_IRQS:
		*n = s->irqs;
		return true;
	case KIND_CALL:
		*n = calls_of(s, (uint32_t)key);
		return key <= UINT32_MAX;
	case KIND_SYSREG:
		*n = key < BIT(16) ? table_get(&s->sysregs, sysreg_iss(key)) : 0;
		return key < BIT(16);
	case KIND_MMIO:
		i = mmio_index(vm, key);
		*n = i < 0 ? 0 : s->mmio[i];
		return i >= 0;
	case KIND_WFI_SLEEPS:
		*n = s->wfi_sleeps;
		return true;
	case KIND_IRQS_TAKEN:
		/* The vGIC counts them, as the guest leaves its list registers. */
		*n = vm->has_gic ? vm->vgic.cpu[v->id].taken : 0;
		return true;
	case KIND_GUEST_TICKS:
		*n = s->guest_ticks;
		return true;
	case KIND_VIREO_TICKS:
		*n = s->run_ticks > s->guest_ticks ? s->run_ticks - s->guest_ticks : 0;
		return true;
	case KIND_OTHER_SYSREGS:
		*n = s->sysregs.other;
		return true;
	case KIND_OTHER_CALLS:
		*n = s->calls.other;
		return true;
	}
	return false;
}

bool stats_read(const struct vm *vm, uint32_t vcpu, uint32_t kind, uint64_t key, uint64_t *n)
{
	uint64_t one;
	unsigned i;

	if (vcpu != STATS_ALL_VCPUS) {
		return vcpu < vm->n_vcpus && vcpu_read(vm, &vm->vcpus[vcpu], kind, key, n);
	}
	*n = 0;
	for (i = 0; i < vm->n_vcpus; i++) {
		if (!vcpu_read(vm, &vm->vcpus[i], kind, key, &one)) {
			return false;
		}
		*n += one;
	}
	return true;
}

/* ---- printing ---------------------------------------------------------- */

static const char *const ec_names[EC_MAX + 1] = {
	[EC_WFX] = "wfx",     [EC_HVC64] = "hvc64",   [EC_SMC64] = "smc64",
	[EC_SYS64] = "sysreg", [EC_IABT_LOW] = "iabt", [EC_DABT_LOW] = "dabt",
	/* an AArch32 guest's (trap_aarch32.c) */
	[EC_HVC32] = "hvc32", [EC_SMC32] = "smc32", [EC_CP15_32] = "cp15",
	[EC_CP15_64] = "cp15_64", [EC_CP14_32] = "cp14", [EC_CP14_LS] = "cp14_ls",
	[EC_CP14_64] = "cp14_64", [EC_CP10_ID] = "vmrs",
	/* gdb's (gdb_halt.c) */
	[EC_BREAKPT_LOW] = "breakpoint", [EC_SOFTSTP_LOW] = "step",
	[EC_WATCHPT_LOW] = "watchpoint", [EC_BRK64] = "brk",
};

struct stats_name {
	uint32_t key;
	const char *name;
};

static const struct stats_name call_names[] = {
	{ PSCI_VERSION, "PSCI_VERSION" },
	{ PSCI_CPU_SUSPEND_64, "PSCI_CPU_SUSPEND" },
	{ PSCI_CPU_OFF, "PSCI_CPU_OFF" },
	{ PSCI_CPU_ON_64, "PSCI_CPU_ON" },
	{ PSCI_AFFINITY_INFO_64, "PSCI_AFFINITY_INFO" },
	{ PSCI_MIGRATE_INFO_TYPE, "PSCI_MIGRATE_INFO_TYPE" },
	{ PSCI_SYSTEM_OFF, "PSCI_SYSTEM_OFF" },
	{ PSCI_SYSTEM_RESET, "PSCI_SYSTEM_RESET" },
	{ PSCI_FEATURES, "PSCI_FEATURES" },
	{ SMCCC_VERSION, "SMCCC_VERSION" },
	{ SMCCC_ARCH_FEATURES, "SMCCC_ARCH_FEATURES" },
	{ VIREO_HC_VERSION, "VIREO_HC_VERSION" },
	{ VIREO_HC_NULL, "VIREO_HC_NULL" },
	{ VIREO_HC_SHARED_PAGE, "VIREO_HC_SHARED_PAGE" },
	{ VIREO_HC_CONSOLE_WRITE, "VIREO_HC_CONSOLE_WRITE" },
	{ VIREO_HC_YIELD, "VIREO_HC_YIELD" },
	{ VIREO_HC_CHANNEL_INFO, "VIREO_HC_CHANNEL_INFO" },
	{ VIREO_HC_DOORBELL, "VIREO_HC_DOORBELL" },
	{ VIREO_HC_EXIT_STATS, "VIREO_HC_EXIT_STATS" },
};

/* The registers Vireo emulates, by name; the rest as the assembler writes
 * an encoding. */
static const struct stats_name sysreg_names[] = {
	{ ESR_SYS_ENC(3, 0, 12, 11, 5), "ICC_SGI1R_EL1" },
	{ ESR_SYS_ENC(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1" },
	{ ESR_SYS_ENC(3, 0, 12, 11, 7), "ICC_SGI0R_EL1" },
	{ ESR_SYS_ENC(3, 3, 14, 2, 0), "CNTP_TVAL_EL0" },
	{ ESR_SYS_ENC(3, 3, 14, 2, 1), "CNTP_CTL_EL0" },
	{ ESR_SYS_ENC(3, 3, 14, 2, 2), "CNTP_CVAL_EL0" },
};

static const char *name_of(const struct stats_name *names, unsigned n, uint32_t key)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (names[i].key == key) {
			return names[i].name;
		}
	}
	return NULL;
}

/* Where stats_report() sends each line: stats_print()'s console, or a
 * debugger's monitor command (gdb.c). */
struct report {
	stats_line_fn *fn;
	void *ctx;
};

static void line(const struct report *r, const char *event, uint64_t n)
{
	if (n) {
		r->fn(r->ctx, event, n);
	}
}

static uint64_t total(const struct vm *vm, uint32_t kind, uint64_t key)
{
	uint64_t n = 0;

	stats_read(vm, STATS_ALL_VCPUS, kind, key, &n);
	return n;
}

static void print_call(const struct report *r, const struct vm *vm, uint32_t fid)
{
	const char *name = name_of(call_names, ARRAY_SIZE(call_names), fid);
	char event[48];

	if (name) {
		snprintf(event, sizeof(event), "calls.%s", name);
	} else {
		snprintf(event, sizeof(event), "calls.0x%x", fid);
	}
	line(r, event, total(vm, KIND_CALL, fid));
}

/* iss: the register as its table keeps it. */
static void print_sysreg(const struct report *r, const struct vm *vm, uint32_t iss)
{
	const char *name = name_of(sysreg_names, ARRAY_SIZE(sysreg_names), iss);
	char event[48];

	if (name) {
		snprintf(event, sizeof(event), "sysregs.%s", name);
	} else {
		snprintf(event, sizeof(event), "sysregs.S%lu_%lu_C%lu_C%lu_%lu",
			 FIELD_GET(ESR_SYS_OP0, iss), FIELD_GET(ESR_SYS_OP1, iss),
			 FIELD_GET(ESR_SYS_CRN, iss), FIELD_GET(ESR_SYS_CRM, iss),
			 FIELD_GET(ESR_SYS_OP2, iss));
	}
	line(r, event, total(vm, KIND_SYSREG, sysreg_key(iss)));
}

/* Whether key (as the tables keep it) is in the table of a vCPU before
 * vCPU i: printed already. */
static bool seen_before(const struct vm *vm, unsigned i, bool calls, uint32_t key)
{
	unsigned j;

	for (j = 0; j < i; j++) {
		const struct stats_table *t = calls ? &vm->vcpus[j].stats.calls
						    : &vm->vcpus[j].stats.sysregs;

		if (table_get(t, key)) {
			return true;
		}
	}
	return false;
}

static void print_table(const struct report *r, const struct vm *vm, bool calls)
{
	unsigned i, k;

	for (i = 0; i < vm->n_vcpus; i++) {
		const struct stats_table *t = calls ? &vm->vcpus[i].stats.calls
						    : &vm->vcpus[i].stats.sysregs;

		for (k = 0; k < STATS_KEYS; k++) {
			const struct stats_slot *s = &t->slot[k];

			if (s->n && !seen_before(vm, i, calls, s->key)) {
				if (calls) {
					print_call(r, vm, s->key);
				} else {
					print_sysreg(r, vm, s->key);
				}
			}
		}
	}
}

void stats_report(const struct vm *vm, stats_line_fn *fn, void *ctx)
{
	const struct report report = { fn, ctx }, *r = &report;
	char event[48];
	unsigned i;

	line(r, "exits", total(vm, KIND_EXITS, 0));
	for (i = 0; i <= EC_MAX; i++) {
		if (ec_names[i]) {
			snprintf(event, sizeof(event), "exits.%s", ec_names[i]);
		} else {
			snprintf(event, sizeof(event), "exits.ec_0x%x", i);
		}
		line(r, event, total(vm, KIND_SYNC, i));
	}
	line(r, "exits.irq", total(vm, KIND_IRQS, 0));
	/* The fast path's calls are in no table: each of them once. */
	for (i = 0; i < STATS_NR_FAST; i++) {
		if (!total(vm, KIND_CALL, fast_ids[i]) || seen_before(vm, vm->n_vcpus, true,
								    fast_ids[i])) {
			continue;
		}
		print_call(r, vm, fast_ids[i]);
	}
	print_table(r, vm, true);
	line(r, "calls.other", total(vm, KIND_OTHER_CALLS, 0));
	print_table(r, vm, false);
	line(r, "sysregs.other", total(vm, KIND_OTHER_SYSREGS, 0));
	for (i = 0; i < vm->mmio.n; i++) {
		ipaddr_t base = vm->mmio.regions[i].base;

		snprintf(event, sizeof(event), "mmio.%s@%lx", mmio_name(&vm->mmio.regions[i]),
			 ipa_addr(base));
		line(r, event, total(vm, KIND_MMIO, ipa_addr(base)));
	}
	line(r, "irqs.injected", total(vm, KIND_IRQS_TAKEN, 0));
	line(r, "wfi_sleeps", total(vm, KIND_WFI_SLEEPS, 0));
	line(r, "ticks.guest", total(vm, KIND_GUEST_TICKS, 0));
	line(r, "ticks.vireo", total(vm, KIND_VIREO_TICKS, 0));
}

static void print_line(void *ctx, const char *event, uint64_t n)
{
	const struct vm *vm = ctx;

	printk("vireo: stats: %s: %s %lu\n", vm->name, event, n);
}

void stats_print(const struct vm *vm)
{
	stats_report(vm, print_line, (void *)vm);
}
