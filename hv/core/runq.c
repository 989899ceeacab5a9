/*
 * The scheduler's run-queue logic (sched.c explains the policy): who may
 * run, whose turn is next in the round robin, and when the EL2 timer has
 * to fire. Pure functions over a snapshot: unit tested on the host.
 */
#include "core/runq.h"

bool runq_runnable(const struct runq_entry *e, uint64_t now)
{
	if (!e->on || !e->vm_running) {
		return false;
	}
	return !e->blocked || e->irq_pending || now >= e->wake_at;
}

int runq_pick(const struct runq_entry *q, unsigned n, unsigned last, uint64_t now)
{
	unsigned i;

	for (i = 1; i <= n; i++) {
		unsigned k = (last + i) % n;

		if (runq_runnable(&q[k], now)) {
			return (int)k;
		}
	}
	return -1;
}

unsigned runq_count_runnable(const struct runq_entry *q, unsigned n, uint64_t now)
{
	unsigned i, count = 0;

	for (i = 0; i < n; i++) {
		count += runq_runnable(&q[i], now);
	}
	return count;
}

uint64_t runq_next_deadline(const struct runq_entry *q, unsigned n, uint64_t slice_end,
			    uint64_t loaded_deadline)
{
	uint64_t next = slice_end < loaded_deadline ? slice_end : loaded_deadline;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (q[i].blocked && q[i].on && q[i].vm_running && q[i].wake_at < next) {
			next = q[i].wake_at;
		}
	}
	return next;
}
