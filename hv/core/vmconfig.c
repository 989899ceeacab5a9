/*
 * Parsing and checking the VM configuration in the boot device tree.
 *
 * The binding (docs/config.md) follows the Arm convention that Xen's
 * dom0less uses: one node per VM under /chosen, compatible "vireo,vm",
 * with its properties and its boot modules as children:
 *
 *	vm@0 {
 *		compatible = "vireo,vm";
 *		#address-cells = <2>; #size-cells = <2>;
 *		vireo,name = "linux";
 *		vireo,memory = <0x0 0x10000000>;	(default 64 MiB)
 *		vireo,cpus = <2>;			(default 1)
 *		vireo,affinity = <1 2>;			(default: any CPU)
 *		vireo,ram-ipa = <0x0 0x40000000>;	(default 0x40000000)
 *		vireo,on-crash = "restart";		(default "stop")
 *		vireo,restart-limit = <5 60>;		(default <5 60>; <0 0>: none)
 *		vireo,watchdog = "off";			(default "on")
 *		vireo,its = "on";			(default "off"; GICv3 hosts only)
 *		vireo,gdb = "wait";			(default: no GDB stub; or "nowait")
 *		vireo,arch = "aarch32";			(default: the image's; vm_load.c)
 *		vireo,devices = "/virtio_mmio@a003e00"; (host devices it owns:
 *							 vmconfig_devices.c)
 *		module@50000000 { compatible = "multiboot,kernel", "multiboot,module";
 *				  reg = <...>; bootargs = "..."; };
 *		module@52000000 { compatible = "multiboot,ramdisk", "multiboot,module";
 *				  reg = <...>; };
 *	};
 *
 * Boot modules placed directly in /chosen (what QEMU's guest-loader makes)
 * each become a VM with the defaults instead. Everything is checked before
 * any VM is built, and the first problem found is reported with the node
 * and property it concerns: a half-valid configuration starts nothing.
 *
 * Last, each vCPU is placed on a physical CPU: the least loaded online one
 * its VM's affinity allows, lowest index first. So vCPUs get CPUs of their
 * own while there are enough, and share them (sched.c) beyond that. The
 * CPUs are numbered as Vireo numbers them (smp.c: the boot CPU is 0, the
 * others follow in /cpus order, as Linux numbers CPUs), and the caller
 * says which came online: the secondaries are started before this runs,
 * so a vCPU is never placed where it could not run. Placing is checked
 * like the rest: a VM whose affinity allows no online CPU, or whose vCPU
 * would find every CPU it may use full (SCHED_MAX_PER_CPU), is refused by
 * name before any VM is built.
 */
#include "core/vmconfig.h"

#include <libfdt.h>
#include <string.h>

#include "core/fdt_util.h"
#include "core/printk.h"

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		return -1;                          \
	} while (0)

static bool valid_name(const char *s)
{
	size_t n = strnlen(s, VM_NAME_LEN);

	if (n == 0 || n == VM_NAME_LEN) {
		return false;
	}
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-')) {
			return false;
		}
	}
	return true;
}

/* A child's (base, size) in its VM node's own cell sizes. Unlike
 * fdt_util_reg(), which would inherit them from /chosen or the root, a VM
 * node without them gets the DT spec's defaults, 2 and 1. */
int vmconfig_reg(const void *fdt, int vm, int mod, struct mem_range *r)
{
	int alen, slen, len;
	const fdt32_t *ac = fdt_getprop(fdt, vm, "#address-cells", &alen);
	const fdt32_t *sc = fdt_getprop(fdt, vm, "#size-cells", &slen);
	int a = !ac ? 2 : alen >= 4 ? (int)fdt32_to_cpu(*ac) : 0;
	int s = !sc ? 1 : slen >= 4 ? (int)fdt32_to_cpu(*sc) : 0;
	const fdt32_t *reg;

	reg = fdt_getprop(fdt, mod, "reg", &len);
	if (!reg || a < 1 || a > 2 || s < 1 || s > 2 || len < (a + s) * 4) {
		return -1;
	}
	r->base = pa(fdt_util_cells(&reg, a));
	r->size = fdt_util_cells(&reg, s);
	return r->size ? 0 : -1;
}

static bool in_ram(const struct platform *p, const struct mem_range *r)
{
	unsigned i;

	for (i = 0; i < p->n_ram; i++) {
		uint64_t b = pa_addr(p->ram[i].base), e = b + p->ram[i].size;

		if (pa_addr(r->base) >= b && pa_addr(r->base) + r->size <= e &&
		    pa_addr(r->base) + r->size > pa_addr(r->base)) {
			return true;
		}
	}
	return false;
}

static int parse_modules(const void *fdt, int node, const char *name, const struct platform *p,
			 struct vm_config *c, char *err, size_t errlen)
{
	int mod;

	fdt_for_each_subnode(mod, fdt, node) {
		bool kernel = fdt_node_check_compatible(fdt, mod, "multiboot,kernel") == 0;
		bool ramdisk = fdt_node_check_compatible(fdt, mod, "multiboot,ramdisk") == 0;
		struct mem_range *r = kernel ? &c->kernel : &c->ramdisk;

		if (!kernel && !ramdisk) {
			continue;
		}
		if (r->size) {
			FAIL("%s/%s: a second %s module", name, fdt_get_name(fdt, mod, NULL),
			     kernel ? "kernel" : "ramdisk");
		}
		if (vmconfig_reg(fdt, node, mod, r) < 0) {
			FAIL("%s/%s: missing or empty \"reg\"", name, fdt_get_name(fdt, mod, NULL));
		}
		if (!in_ram(p, r)) {
			FAIL("%s/%s: \"reg\" 0x%lx+0x%lx is not in RAM", name,
			     fdt_get_name(fdt, mod, NULL), pa_addr(r->base), r->size);
		}
		if (kernel) {
			c->bootargs = fdt_util_string(fdt, mod, "bootargs");
		}
	}
	if (!c->kernel.size) {
		FAIL("%s: no \"multiboot,kernel\" module", name);
	}
	return 0;
}

/* CPUs 0 to n - 1: the affinity of a VM that names none. */
static uint32_t all_cpus(unsigned n)
{
	return n >= 32 ? ~0U : (uint32_t)(BIT(n) - 1);
}

static int parse_affinity(const void *fdt, int node, const char *name,
			  const struct host_cpus *cpus, struct vm_config *c, char *err,
			  size_t errlen)
{
	const fdt32_t *list;
	int len, i;

	c->affinity = all_cpus(cpus->n);
	list = fdt_getprop(fdt, node, "vireo,affinity", &len);
	if (!list) {
		return 0;
	}
	if (len <= 0 || len % 4) {
		FAIL("%s: \"vireo,affinity\" must list physical CPU numbers", name);
	}
	c->affinity = 0;
	for (i = 0; i < len / 4; i++) {
		uint32_t cpu = fdt32_to_cpu(list[i]);

		if (cpu >= cpus->n || cpu >= 32) {
			FAIL("%s: \"vireo,affinity\" names CPU %u; the machine has %u", name, cpu,
			     cpus->n);
		}
		c->affinity |= BIT(cpu);
	}
	return 0;
}

static int parse_ram_ipa(const void *fdt, int node, const char *name, struct vm_config *c,
			 char *err, size_t errlen)
{
	const fdt32_t *prop;
	int len;

	c->ram_ipa = VM_DEFAULT_RAM_IPA;
	prop = fdt_getprop(fdt, node, "vireo,ram-ipa", &len);
	c->ram_ipa_given = prop != NULL;
	if (prop) {
		c->ram_ipa = (len == 8 || len == 4) ? fdt_util_cells(&prop, len / 4) : 1;
	}
	if (!IS_ALIGNED(c->ram_ipa, SZ_2M)) {
		FAIL("%s: \"vireo,ram-ipa\" must be one or two cells, a multiple of 2 MiB", name);
	}
	if (c->ram_ipa + c->mem_size < c->ram_ipa) {
		FAIL("%s: RAM at 0x%lx of 0x%lx bytes runs past the end of the address space", name,
		     c->ram_ipa, c->mem_size);
	}
	if (c->ram_ipa < VM_DEVICE_END && c->ram_ipa + c->mem_size > VM_DEVICE_START) {
		FAIL("%s: \"vireo,ram-ipa\": RAM at 0x%lx would overlap the devices at "
		     "0x%lx-0x%lx",
		     name, c->ram_ipa, VM_DEVICE_START, VM_DEVICE_END - 1);
	}
	return 0;
}

static int parse_on_crash(const void *fdt, int node, const char *name, struct vm_config *c,
			  char *err, size_t errlen)
{
	const char *policy = fdt_util_string(fdt, node, "vireo,on-crash");

	c->on_crash = CRASH_STOP;
	if (!policy || strcmp(policy, "stop") == 0) {
		return 0;
	}
	if (strcmp(policy, "restart") != 0) {
		FAIL("%s: \"vireo,on-crash\" is \"%s\"; expected \"stop\" or \"restart\"", name,
		     policy);
	}
	c->on_crash = CRASH_RESTART;
	return 0;
}

/* At most limit restarts (SYSTEM_RESET, or crashes under on-crash =
 * "restart") within seconds: one more and the VM is crash-looping. */
static int parse_restart_limit(const void *fdt, int node, const char *name,
			       struct vm_config *c, char *err, size_t errlen)
{
	const fdt32_t *prop;
	int len;

	c->restart_limit = VM_DEFAULT_RESTART_LIMIT;
	c->restart_window = VM_DEFAULT_RESTART_WINDOW;
	prop = fdt_getprop(fdt, node, "vireo,restart-limit", &len);
	if (!prop) {
		return 0;
	}
	if (len != 8) {
		FAIL("%s: \"vireo,restart-limit\" must be two cells: restarts, seconds", name);
	}
	c->restart_limit = fdt32_to_cpu(prop[0]);
	c->restart_window = fdt32_to_cpu(prop[1]);
	if (c->restart_limit == 0 && c->restart_window == 0) {
		return 0; /* no limit */
	}
	if (c->restart_limit < 1 || c->restart_limit > RESTART_LIMIT_MAX ||
	    c->restart_window < 1 || c->restart_window > RESTART_WINDOW_MAX) {
		FAIL("%s: \"vireo,restart-limit\" <%u %u>: expected 1 to %u restarts within 1 to "
		     "%u seconds, or <0 0> for no limit",
		     name, c->restart_limit, c->restart_window, RESTART_LIMIT_MAX,
		     RESTART_WINDOW_MAX);
	}
	return 0;
}

static int parse_watchdog(const void *fdt, int node, const char *name, struct vm_config *c,
			  char *err, size_t errlen)
{
	const char *value = fdt_util_string(fdt, node, "vireo,watchdog");

	c->watchdog = !value || strcmp(value, "on") == 0;
	if (value && !c->watchdog && strcmp(value, "off") != 0) {
		FAIL("%s: \"vireo,watchdog\" is \"%s\"; expected \"on\" or \"off\"", name, value);
	}
	return 0;
}

/* An ITS belongs to a GICv3: a VM whose virtual GIC would be a GICv2 (the
 * host's is one, or the host has none and the software CPU interface
 * gives GICv2) cannot have one. */
static int parse_its(const void *fdt, int node, const char *name, const struct platform *p,
		     struct vm_config *c, char *err, size_t errlen)
{
	const char *value = fdt_util_string(fdt, node, "vireo,its");

	c->its = value && strcmp(value, "on") == 0;
	if (value && !c->its && strcmp(value, "off") != 0) {
		FAIL("%s: \"vireo,its\" is \"%s\"; expected \"on\" or \"off\"", name, value);
	}
	if (c->its && p->gic.version != 3) {
		FAIL("%s: \"vireo,its\" = \"on\" needs a GICv3; this machine's virtual GIC is a "
		     "GICv2",
		     name);
	}
	return 0;
}

/* A GDB stub (gdb.c): the VM waits for gdb before its first instruction,
 * or runs until gdb attaches. */
static int parse_gdb(const void *fdt, int node, const char *name, struct vm_config *c,
		     char *err, size_t errlen)
{
	const char *value = fdt_util_string(fdt, node, "vireo,gdb");

	c->gdb = VM_GDB_OFF;
	if (!value) {
		return 0;
	}
	if (strcmp(value, "wait") == 0) {
		c->gdb = VM_GDB_WAIT;
	} else if (strcmp(value, "nowait") == 0) {
		c->gdb = VM_GDB_NOWAIT;
	} else {
		FAIL("%s: \"vireo,gdb\" is \"%s\"; expected \"wait\" or \"nowait\"", name, value);
	}
	return 0;
}

/* AArch64 or AArch32 at EL1, or (no property) whatever the image is. */
static int parse_arch(const void *fdt, int node, const char *name, struct vm_config *c,
		      char *err, size_t errlen)
{
	const char *value = fdt_util_string(fdt, node, "vireo,arch");

	c->arch = VM_ARCH_AUTO;
	if (!value) {
		return 0;
	}
	if (strcmp(value, "aarch64") == 0) {
		c->arch = VM_ARCH_AARCH64;
	} else if (strcmp(value, "aarch32") == 0) {
		c->arch = VM_ARCH_AARCH32;
	} else {
		FAIL("%s: \"vireo,arch\" is \"%s\"; expected \"aarch64\" or \"aarch32\"", name,
		     value);
	}
	return 0;
}

static int parse_vm(const void *fdt, int node, const struct platform *p,
		    const struct host_cpus *cpus, struct vm_config *c, char *err, size_t errlen)
{
	const char *node_name = fdt_get_name(fdt, node, NULL);
	const char *name = fdt_util_string(fdt, node, "vireo,name");
	const fdt32_t *prop;
	int len;

	if (!name || !valid_name(name)) {
		FAIL("/chosen/%s: \"vireo,name\" missing or not 1-15 of [a-z0-9_-]", node_name);
	}
	strlcpy(c->name, name, sizeof(c->name));
	c->mem_size = VM_DEFAULT_MEM;
	prop = fdt_getprop(fdt, node, "vireo,memory", &len);
	if (prop) {
		if (len != 8 && len != 4) {
			FAIL("%s: \"vireo,memory\" must be one or two cells", name);
		}
		c->mem_size = fdt_util_cells(&prop, len / 4);
		if (c->mem_size == 0 || !IS_ALIGNED(c->mem_size, SZ_2M)) {
			FAIL("%s: \"vireo,memory\" 0x%lx is not a non-zero multiple of 2 MiB", name,
			     c->mem_size);
		}
	}
	c->nr_vcpus = 1;
	prop = fdt_getprop(fdt, node, "vireo,cpus", &len);
	if (prop) {
		c->nr_vcpus = len == 4 ? fdt32_to_cpu(*prop) : 0;
		if (c->nr_vcpus < 1 || c->nr_vcpus > VM_MAX_VCPUS) {
			FAIL("%s: \"vireo,cpus\" must be one cell from 1 to %d", name, VM_MAX_VCPUS);
		}
	}
	if (parse_affinity(fdt, node, name, cpus, c, err, errlen) < 0 ||
	    parse_ram_ipa(fdt, node, name, c, err, errlen) < 0 ||
	    parse_on_crash(fdt, node, name, c, err, errlen) < 0 ||
	    parse_restart_limit(fdt, node, name, c, err, errlen) < 0 ||
	    parse_watchdog(fdt, node, name, c, err, errlen) < 0 ||
	    parse_its(fdt, node, name, p, c, err, errlen) < 0 ||
	    parse_gdb(fdt, node, name, c, err, errlen) < 0 ||
	    parse_arch(fdt, node, name, c, err, errlen) < 0 ||
	    vmconfig_parse_devices(fdt, node, p, c, err, errlen) < 0) {
		return -1;
	}
	return parse_modules(fdt, node, name, p, c, err, errlen);
}

/* Bare modules in /chosen: each kernel is a VM named vmN with defaults. */
static int from_bare_modules(const struct platform *p, const struct host_cpus *cpus,
			     struct vm_config *cfg, unsigned max, unsigned *n, char *err,
			     size_t errlen)
{
	unsigned i;

	for (i = 0; i < p->n_modules && *n < max; i++) {
		struct vm_config *c = &cfg[*n];
		const struct mem_range *r = &p->modules[i].range;

		if (!p->modules[i].kernel) {
			continue;
		}
		if (!in_ram(p, r)) {
			FAIL("/chosen: kernel module 0x%lx+0x%lx is not in RAM", pa_addr(r->base),
			     r->size);
		}
		*c = (struct vm_config){ .mem_size = VM_DEFAULT_MEM, .nr_vcpus = 1,
					 .ram_ipa = VM_DEFAULT_RAM_IPA,
					 .affinity = all_cpus(cpus->n),
					 .restart_limit = VM_DEFAULT_RESTART_LIMIT,
					 .restart_window = VM_DEFAULT_RESTART_WINDOW,
					 .watchdog = true,
					 .kernel = p->modules[i].range,
					 .bootargs = p->modules[i].bootargs };
		snprintf(c->name, sizeof(c->name), "vm%u", *n);
		(*n)++;
	}
	return 0;
}

/* The least loaded CPU in mask, lowest first. */
static unsigned least_loaded(const unsigned *load, unsigned n_cpus, uint32_t mask)
{
	unsigned cpu, best = n_cpus;

	for (cpu = 0; cpu < n_cpus; cpu++) {
		if ((mask & BIT(cpu)) && (best == n_cpus || load[cpu] < load[best])) {
			best = cpu;
		}
	}
	return best;
}

/* "CPU 4" or "CPUs 1, 4": the CPUs in mask, for a message. */
static void cpu_list(char *buf, size_t len, uint32_t mask)
{
	size_t used = strlcpy(buf, (mask & (mask - 1)) ? "CPUs" : "CPU", len);
	const char *sep = " ";
	unsigned cpu;

	for (cpu = 0; cpu < 32 && used < len; cpu++) {
		if (mask & BIT(cpu)) {
			used += (size_t)snprintf(buf + used, len - used, "%s%u", sep, cpu);
			sep = ", ";
		}
	}
}

/* Places each vCPU of c on the least loaded online CPU its affinity
 * allows, counting it in load[]; refuses a VM that cannot run at all and
 * a vCPU that finds every CPU it may use full. */
static int place_vcpus(const struct host_cpus *cpus, unsigned *load, struct vm_config *c,
		       char *err, size_t errlen)
{
	unsigned n_cpus = MIN(cpus->n, 32U);
	uint32_t usable = c->affinity & cpus->online & all_cpus(cpus->n);
	char list[64];
	unsigned i;

	if (!usable) {
		cpu_list(list, sizeof(list), c->affinity);
		FAIL("%s: \"vireo,affinity\" allows only %s, %s online", c->name, list,
		     (c->affinity & (c->affinity - 1)) ? "none of them" : "which is not");
	}
	for (i = 0; i < c->nr_vcpus; i++) {
		unsigned cpu = least_loaded(load, n_cpus, usable);

		if (load[cpu] >= SCHED_MAX_PER_CPU) {
			cpu_list(list, sizeof(list), usable);
			FAIL("%s: no room for vCPU %u: %s already %s %u vCPUs%s, the most a CPU "
			     "can share",
			     c->name, i, list, (usable & (usable - 1)) ? "have" : "has", load[cpu],
			     (usable & (usable - 1)) ? " each" : "");
		}
		c->cpu_of[i] = cpu;
		load[cpu]++;
	}
	return 0;
}

/* Checks what involves several VMs (names, CPU capacity) and places
 * every vCPU, in configuration order. */
static int check_all(const struct host_cpus *cpus, struct vm_config *cfg, unsigned n,
		     char *err, size_t errlen)
{
	unsigned load[32] = { 0 }; /* one per bit of an affinity mask */
	unsigned i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(cfg[i].name, cfg[j].name) == 0) {
				FAIL("%s: two VMs have this name", cfg[i].name);
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (place_vcpus(cpus, load, &cfg[i], err, errlen) < 0) {
			return -1;
		}
	}
	return vmconfig_check_devices(cfg, n, err, errlen);
}

int vmconfig_parse_on(const void *fdt, const struct platform *p, const struct host_cpus *cpus,
		      struct vm_config *cfg, unsigned max, unsigned *n, char *err, size_t errlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int node;

	*n = 0;
	if (chosen >= 0) {
		fdt_for_each_subnode(node, fdt, chosen) {
			if (fdt_node_check_compatible(fdt, node, "vireo,vm") != 0) {
				continue;
			}
			if (*n == max) {
				FAIL("/chosen/%s: more than %u VMs", fdt_get_name(fdt, node, NULL),
				     max);
			}
			memset(&cfg[*n], 0, sizeof(cfg[*n]));
			if (parse_vm(fdt, node, p, cpus, &cfg[*n], err, errlen) < 0) {
				return -1;
			}
			(*n)++;
		}
	}
	if (*n == 0 && from_bare_modules(p, cpus, cfg, max, n, err, errlen) < 0) {
		return -1;
	}
	return check_all(cpus, cfg, *n, err, errlen);
}

int vmconfig_parse(const void *fdt, const struct platform *p, struct vm_config *cfg,
		   unsigned max, unsigned *n, char *err, size_t errlen)
{
	const struct host_cpus all = { .n = p->n_cpus, .online = all_cpus(p->n_cpus) };

	return vmconfig_parse_on(fdt, p, &all, cfg, max, n, err, errlen);
}

/* The index of the VM named name, or -1. */
static int vm_index(const struct vm_config *cfg, unsigned n, const char *name)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (strcmp(cfg[i].name, name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static int parse_channel(const void *fdt, int node, const struct vm_config *cfg, unsigned n,
			 struct channel_config *c, char *err, size_t errlen)
{
	const char *node_name = fdt_get_name(fdt, node, NULL);
	const fdt32_t *size;
	int len, i, end;

	if (fdt_stringlist_count(fdt, node, "vireo,vms") != 2) {
		FAIL("/chosen/%s: \"vireo,vms\" must name two VMs", node_name);
	}
	for (i = 0; i < 2; i++) {
		const char *name = fdt_stringlist_get(fdt, node, "vireo,vms", i, NULL);

		end = name ? vm_index(cfg, n, name) : -1;
		if (end < 0) {
			FAIL("/chosen/%s: \"vireo,vms\" names \"%s\", which is no VM", node_name,
			     name ? name : "");
		}
		c->vm[i] = (unsigned)end;
	}
	if (c->vm[0] == c->vm[1]) {
		FAIL("/chosen/%s: \"vireo,vms\" names the same VM twice", node_name);
	}
	c->size = CHANNEL_DEFAULT_SIZE;
	size = fdt_getprop(fdt, node, "vireo,size", &len);
	if (size) {
		c->size = len == 4 ? fdt32_to_cpu(*size) : 0;
		if (c->size == 0 || c->size > CHANNEL_MAX_SIZE || !IS_ALIGNED(c->size, PAGE_SIZE)) {
			FAIL("/chosen/%s: \"vireo,size\" must be one cell, whole 4 KiB pages, at most "
			     "1 MiB",
			     node_name);
		}
	}
	return 0;
}

int vmconfig_parse_channels(const void *fdt, const struct vm_config *cfg, unsigned n,
			    struct channel_config *ch, unsigned max, unsigned *nch, char *err,
			    size_t errlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int node;

	*nch = 0;
	if (chosen < 0) {
		return 0;
	}
	fdt_for_each_subnode(node, fdt, chosen) {
		if (fdt_node_check_compatible(fdt, node, "vireo,channel") != 0) {
			continue;
		}
		if (*nch == max) {
			FAIL("/chosen/%s: more than %u channels", fdt_get_name(fdt, node, NULL), max);
		}
		if (parse_channel(fdt, node, cfg, n, &ch[*nch], err, errlen) < 0) {
			return -1;
		}
		(*nch)++;
	}
	return 0;
}
