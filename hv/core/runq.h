/*
 * The scheduler's decisions, as pure functions over a snapshot of a CPU's
 * vCPUs (sched.c takes the snapshot; the host unit tests feed their own).
 */
#ifndef VIREO_RUNQ_H
#define VIREO_RUNQ_H

#include <stdbool.h>
#include <stdint.h>

#define RUNQ_NO_DEADLINE (~0ULL)

/* One vCPU as the scheduler sees it. */
struct runq_entry {
	bool on;          /* PSCI: switched on */
	bool vm_running;  /* its VM neither stopped nor resetting */
	bool blocked;     /* waiting in WFI */
	bool irq_pending; /* has a virtual interrupt to take */
	uint64_t wake_at; /* blocked: when its timer fires, or RUNQ_NO_DEADLINE */
};

bool runq_runnable(const struct runq_entry *e, uint64_t now);
/* The next runnable entry after last, round robin, or -1. */
int runq_pick(const struct runq_entry *q, unsigned n, unsigned last, uint64_t now);
unsigned runq_count_runnable(const struct runq_entry *q, unsigned n, uint64_t now);
/* When the EL2 timer must fire next: the nearest of the slice's end, the
 * loaded vCPU's own deadline and the blocked vCPUs' wake-ups. */
uint64_t runq_next_deadline(const struct runq_entry *q, unsigned n, uint64_t slice_end,
			    uint64_t loaded_deadline);

#endif
