/*
 * Telling a VM that restarts now and then from one that is crash-looping
 * (restarts.c).
 */
#ifndef VIREO_CORE_RESTARTS_H
#define VIREO_CORE_RESTARTS_H

#include "core/vmconfig.h"

/* When the VM's last restarts were, a ring of the newest n. */
struct restart_log {
	uint64_t at[RESTART_LIMIT_MAX]; /* counter values */
	unsigned next, n;
};

/* A restart at count now: recorded, and true, unless limit restarts
 * already happened within the window ticks before now (limit 0: no
 * limit). limit is at most RESTART_LIMIT_MAX. */
bool restart_log_allow(struct restart_log *log, unsigned limit, uint64_t window, uint64_t now);

#endif
