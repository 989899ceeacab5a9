/*
 * The machine Vireo runs on, as its device tree describes it. platform.c
 * reads the tree once at boot into struct platform; nothing else in Vireo
 * parses the host device tree.
 */
#ifndef VIREO_CORE_PLATFORM_H
#define VIREO_CORE_PLATFORM_H

#include "core/config.h"
#include "core/types.h"

/* How the tree says firmware's PSCI is called. */
enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_SMC, PSCI_CONDUIT_HVC };

struct mem_range {
	paddr_t base;
	uint64_t size;
};

struct gic_desc {
	unsigned version;        /* 2 or 3; 0: the machine has no GIC */
	struct mem_range dist;   /* GICD */
	struct mem_range redist; /* GICR (v3): the first redistributor region */
	struct mem_range cpuif;  /* GICC (v2) */
	struct mem_range hypif;  /* GICH (v2) */
	struct mem_range vcpuif; /* GICV (v2) */
};

/* A boot module, as QEMU's guest-loader or a boot loader declares it in
 * /chosen (the "multiboot,module" binding Xen also reads). */
struct boot_module {
	struct mem_range range;
	bool kernel;          /* "multiboot,kernel": starts a VM */
	const char *bootargs; /* points into the device tree; may be NULL */
};

struct platform {
	const void *fdt;
	const char *model;
	struct mem_range ram[MAX_RAM_BANKS];
	unsigned n_ram;
	/* Memory that is RAM but not Vireo's to hand out: firmware's, the
	 * device tree itself, boot modules. */
	struct mem_range reserved[MAX_RESERVED];
	unsigned n_reserved;
	uint64_t cpu_mpidr[MAX_CPUS];
	unsigned n_cpus;
	enum psci_conduit psci;
	struct mem_range uart; /* the console UART */
	int uart_node;         /* its node: the irqchip reads its "interrupts" */
	struct gic_desc gic;
	uint32_t timer_freq; /* from the tree, or 0: read CNTFRQ_EL0 */
	struct boot_module modules[MAX_MODULES];
	unsigned n_modules;
	/* /chosen "vireo,wallclock": the wall clock, in seconds since
	 * 1970-01-01 UTC, when the counter read zero; 0 if none was given.
	 * Every VM's real-time clock starts from it (vdev/vrtc.c). */
	uint64_t wallclock;
	/* /chosen "vireo,stats": print each VM's exit statistics as it ends. */
	bool print_stats;
	/* /chosen "vireo,selftest": a failure to provoke (core/main.c), or NULL */
	const char *selftest;
};

/* Fills *p from the flattened device tree at fdt; the console is a UART
 * with the given compatible (the board's UART driver's). Returns 0, or a
 * negative value with a message naming the node and property in err.
 * Calls libfdt, which uses FP/SIMD registers: no guest FP state may be
 * live (boot only). */
int platform_parse(const void *fdt, const char *uart_compatible, struct platform *p, char *err,
		   size_t errlen);

#endif
