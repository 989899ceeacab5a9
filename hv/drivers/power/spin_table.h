/*
 * Starting CPUs through a spin table (Linux's
 * Documentation/arch/arm64/booting.rst, "spin-table"): each secondary CPU
 * waits in firmware, reading its "cpu-release-addr" until it holds an
 * entry point. A board's struct power (core/board.h) uses these; the
 * table has no way to end the machine.
 */
#ifndef VIREO_DRIVERS_SPIN_TABLE_H
#define VIREO_DRIVERS_SPIN_TABLE_H

#include "core/platform.h"

/* Reads each CPU's release address from /cpus: 0, or -1 with a message
 * naming the CPU node in err. Boot only. */
int spin_table_probe(const struct platform *p, char *err, size_t errlen);
/* struct power's cpu_on(): 0, or PSCI_INVALID_PARAMETERS for a CPU without
 * a release address. */
int64_t spin_table_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);

#endif
