/*
 * A VM's restarts, counted: a sliding window over the counter.
 *
 * Every restart a VM asks for (PSCI SYSTEM_RESET) or earns (a crash under
 * on-crash = "restart", which includes its watchdog expiring) is checked
 * here first (vm.c). The log keeps the times of the last restarts; the
 * next is allowed if fewer than the limit fall within the window that ends
 * now, so a VM that resets every few minutes runs forever, and one that
 * fails at once over and over is stopped after limit tries instead of
 * spinning through boots until someone looks.
 */
#include "core/restarts.h"

bool restart_log_allow(struct restart_log *log, unsigned limit, uint64_t window, uint64_t now)
{
	if (limit == 0) {
		return true;
	}
	/* The oldest of the last limit restarts: if it is within the window,
	 * so are all the others. */
	if (log->n >= limit) {
		unsigned oldest = (log->next + RESTART_LIMIT_MAX - limit) % RESTART_LIMIT_MAX;

		if (now - log->at[oldest] < window) {
			return false;
		}
	}
	log->at[log->next] = now;
	log->next = (log->next + 1) % RESTART_LIMIT_MAX;
	if (log->n < RESTART_LIMIT_MAX) {
		log->n++;
	}
	return true;
}
