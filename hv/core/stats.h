/*
 * Exit statistics: what each vCPU's guest made Vireo do (stats.c).
 *
 * Counting costs an increment where the event happens, nothing more: the
 * trap dispatcher counts synchronous exits by exception class and
 * interrupt exits, the hypercall fast path in the mode's vector counts the
 * calls it answers there, trap_sysreg.c each trapped register access by
 * encoding, smccc.c each call by function ID, trap_abort.c each emulated
 * MMIO access by device, trap_wfx.c each WFI that gave the CPU away, the
 * virtual GIC each interrupt the guest took from a list register
 * (vgic_sync_lrs(): pending when filled, no longer), and the mode's run loop the counter ticks spent in the guest and in the run
 * loop altogether (Vireo's time on the vCPU's behalf is the difference). Encodings and
 * function IDs are kept in small direct-mapped tables: one that finds its
 * slot taken by another is counted as "other", never lost from the total.
 */
#ifndef VIREO_CORE_STATS_H
#define VIREO_CORE_STATS_H

#include "arch/aarch64/sysreg.h"
#include "core/mmio.h"
#include "core/types.h"

#define STATS_KEYS 32 /* slots per table: a power of two */

/* The calls the mode's vector answers without leaving it (fast_calls[]). */
enum stats_fast_call {
	STATS_FAST_NULL,          /* VIREO_HC_NULL */
	STATS_FAST_PSCI_VERSION,  /* PSCI_VERSION */
	STATS_FAST_SMCCC_VERSION, /* SMCCC_VERSION */
	STATS_NR_FAST,
};

struct stats_slot {
	uint32_t key;
	uint64_t n;
};

struct stats_table {
	struct stats_slot slot[STATS_KEYS];
	uint64_t other; /* keys whose slot another key had */
};

struct vcpu_stats {
	uint64_t fast_calls[STATS_NR_FAST]; /* first: vectors.S counts here */
	uint64_t sync[EC_MAX + 1];          /* synchronous exits by exception class */
	uint64_t irqs;                      /* exits for a physical interrupt */
	uint64_t mmio[MMIO_MAX_REGIONS];    /* emulated accesses, by vm->mmio region */
	uint64_t wfi_sleeps;                /* WFIs that gave the CPU away */
	uint64_t guest_ticks;               /* counter ticks spent in the guest */
	uint64_t run_ticks;                 /* in the mode's run loop, turns ended */
	struct stats_table sysregs;         /* trapped MSR/MRS, by ISS encoding (ESR_SYS_ENC) */
	struct stats_table calls;           /* HVC/SMC calls, by function ID */
};

/* The one slot of a table where key may be counted. */
static inline unsigned stats_slot_of(uint32_t key)
{
	return (key * 2654435761U) >> 27 & (STATS_KEYS - 1);
}

static inline void stats_count(struct stats_table *t, uint32_t key)
{
	struct stats_slot *s = &t->slot[stats_slot_of(key)];

	if (s->n == 0 || s->key == key) {
		s->key = key;
		s->n++;
	} else {
		t->other++;
	}
}

struct vm;

/* How often vCPU vcpu of vm (or, for vcpu = STATS_ALL_VCPUS, all of them)
 * did what kind and key name, as VIREO_HC_EXIT_STATS asks
 * (docs/hypercalls.md); false for a kind, key or vCPU that does not exist. */
#define STATS_ALL_VCPUS 0xffffffffU
bool stats_read(const struct vm *vm, uint32_t vcpu, uint32_t kind, uint64_t key, uint64_t *n);
/* Prints every count of vm that is not zero, one "vireo: stats: NAME: EVENT
 * COUNT" line each (Ctrl-] s, and at the VM's end when the boot tree asks:
 * ./vireo run --stats). */
void stats_print(const struct vm *vm);
/* The same counts, each given to fn as an event's name and its count
 * (a debugger's "monitor stats", gdb.c). */
typedef void stats_line_fn(void *ctx, const char *event, uint64_t n);
void stats_report(const struct vm *vm, stats_line_fn *fn, void *ctx);

#endif
