/*
 * The VM configuration: what each VM is, as the boot device tree declares
 * it. vmconfig.c parses and validates it once, at boot; nothing else reads
 * the configuration nodes.
 */
#ifndef VIREO_CORE_VMCONFIG_H
#define VIREO_CORE_VMCONFIG_H

#include "core/platform.h"
#include "vdev/vmachine.h"

#define VM_NAME_LEN 16
#define VM_MAX_VCPUS 8

/* What happens when a VM crashes (takes a fault it cannot handle). */
enum crash_policy {
	CRASH_STOP,
	CRASH_RESTART,
};

/* Whether a VM has a GDB stub, and how it starts. */
enum vm_gdb {
	VM_GDB_OFF,
	VM_GDB_WAIT,   /* halted before its first instruction until gdb continues */
	VM_GDB_NOWAIT, /* runs; gdb may attach later */
};

/* Host devices a VM may own, and interrupts a device may have. */
#define VM_MAX_DEVICES 8
#define VM_DEVICE_MAX_IRQS 4

/* A host device assigned to a VM: its registers, mapped into the VM (or,
 * for a range smaller than a page, reached through Vireo, which passes
 * the guest's accesses on: core/devices.c), and its interrupts, forwarded
 * to the VM's virtual GIC as hardware-linked SPIs. */
struct vm_device {
	const char *name;    /* for messages: its path, or its "device@" node's name */
	const char *path;    /* its node in the host tree ("vireo,devices"), or NULL */
	const void *fdt;     /* that tree, and the node: copied into the VM's tree */
	int node;            /* -1: none (given by "reg" and "interrupts" only) */
	const char *compatible; /* for the VM's tree when there is no host node; NULL: no node */
	paddr_t pa;          /* its registers in the host */
	uint64_t size;
	uint64_t ipa;        /* where the VM sees them */
	bool coherent;       /* "dma-coherent": its DMA is cache-coherent */
	bool dma;            /* it masters DMA (that, or "vireo,dma"): the VM is direct-mapped */
	unsigned n_irqs;
	uint16_t irq[VM_DEVICE_MAX_IRQS];  /* physical INTIDs, SPIs */
	uint16_t virq[VM_DEVICE_MAX_IRQS]; /* the VM's INTIDs for them */
	bool edge[VM_DEVICE_MAX_IRQS];     /* edge-triggered, else level */
};

/* Whether the device is whole pages, so mapped into its VM; else Vireo
 * makes the guest's accesses to it (core/devices.c). */
static inline bool vm_device_mapped(const struct vm_device *d)
{
	return IS_ALIGNED(pa_addr(d->pa) | d->size, PAGE_SIZE);
}

/* The execution state of a VM's EL1 ("vireo,arch"): AUTO takes it from
 * the kernel image (vm_load.c: a zImage is AArch32). */
enum vm_arch {
	VM_ARCH_AUTO,
	VM_ARCH_AARCH64,
	VM_ARCH_AARCH32,
};

struct vm_config {
	char name[VM_NAME_LEN];
	uint64_t mem_size;         /* bytes of RAM, a multiple of 2 MiB */
	uint64_t ram_ipa;          /* where the RAM starts in the VM */
	unsigned nr_vcpus;
	uint32_t affinity;         /* CPUs its vCPUs may use (bits, as in host_cpus) */
	enum crash_policy on_crash;
	/* More than restart_limit restarts within restart_window seconds is
	 * crash-looping: the VM is stopped (0 and 0: no limit). */
	unsigned restart_limit, restart_window;
	bool watchdog;             /* it has an SBSA Generic Watchdog */
	bool its;                  /* its GICv3 has an ITS, and LPIs */
	enum vm_gdb gdb;           /* a GDB stub (gdb.c), and whether it waits for gdb */
	enum vm_arch arch;
	uint64_t wallclock;        /* its RTC's time at the counter's zero (main.c) */
	bool print_stats;          /* print its exit statistics when it ends (main.c) */
	struct mem_range kernel;   /* the image, where the loader put it */
	struct mem_range ramdisk;  /* size 0: none */
	const char *bootargs;      /* in the host device tree; NULL: none */
	unsigned cpu_of[VM_MAX_VCPUS]; /* the physical CPU each vCPU runs on */
	struct vm_device devices[VM_MAX_DEVICES];
	unsigned n_devices;
	/* Its RAM at IPA = PA: a device it owns does DMA, with no IOMMU to
	 * translate the guest's addresses (core/devices.c). */
	bool direct_map;
	bool ram_ipa_given; /* "vireo,ram-ipa" was in its node */
};

/* A shared-memory channel between two VMs, with a doorbell each way. */
struct channel_config {
	unsigned vm[2];  /* its two ends: indices of VM configurations */
	uint64_t size;   /* bytes of shared memory, whole pages, at most 1 MiB */
};

#define CHANNEL_DEFAULT_SIZE PAGE_SIZE

#define VM_DEFAULT_RESTART_LIMIT 5
#define VM_DEFAULT_RESTART_WINDOW 60
#define RESTART_LIMIT_MAX 64   /* restarts a VM remembers (core/restarts.h) */
#define RESTART_WINDOW_MAX 86400

#define VM_DEFAULT_MEM (64UL << 20)
#define VM_DEFAULT_RAM_IPA 0x40000000UL

/* The physical CPUs vCPUs can be placed on, numbered as Vireo numbers
 * them (smp.c) and as "vireo,affinity" names them: how many there are,
 * and which of them came online (bit i: CPU i). */
struct host_cpus {
	unsigned n;
	uint32_t online;
};

/* Fills cfg[0..*n) from the "vireo,vm" nodes in /chosen, or else from
 * bare kernel modules in /chosen (one default VM each), and places every
 * vCPU on one of the online CPUs in cpus. Returns 0, or -1 with a message
 * naming the VM (or the node) and the property in err. Uses libfdt: boot
 * only. */
int vmconfig_parse_on(const void *fdt, const struct platform *p, const struct host_cpus *cpus,
		      struct vm_config *cfg, unsigned max, unsigned *n, char *err, size_t errlen);
/* The same, as if every CPU the tree lists were online: for a tree on its
 * own (the unit tests, the fuzzer). */
int vmconfig_parse(const void *fdt, const struct platform *p, struct vm_config *cfg,
		   unsigned max, unsigned *n, char *err, size_t errlen);
/* Fills ch[0..*nch) from the "vireo,channel" nodes in /chosen, whose
 * "vireo,vms" name two of the n VMs in cfg. Same error convention. */
int vmconfig_parse_channels(const void *fdt, const struct vm_config *cfg, unsigned n,
			    struct channel_config *ch, unsigned max, unsigned *nch, char *err,
			    size_t errlen);

/* vmconfig_devices.c, for vmconfig.c: the devices of the VM in node
 * ("vireo,devices" and "vireo,device" children), each checked against the
 * machine and the VM's own layout; then the checks across VMs (no device
 * or interrupt given twice). Same error convention. */
int vmconfig_parse_devices(const void *fdt, int node, const struct platform *p,
			   struct vm_config *c, char *err, size_t errlen);
/* A child node's "reg" (base, size) in the cell sizes of VM node vm; -1 if
 * missing, malformed or empty. */
int vmconfig_reg(const void *fdt, int vm, int child, struct mem_range *r);
int vmconfig_check_devices(const struct vm_config *cfg, unsigned n, char *err, size_t errlen);

#endif
