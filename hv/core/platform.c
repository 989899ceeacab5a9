/*
 * Reading the host's device tree (with libfdt) into struct platform.
 *
 * Called once, on the boot CPU, before any guest exists. Debian's libfdt.a
 * was compiled with FP/SIMD instructions, which is safe only because no
 * guest's FP/SIMD state can be live this early.
 *
 * It records memory banks, reserved regions, CPUs by MPIDR, the PSCI
 * conduit (if any), the console UART (the one /chosen/stdout-path names if
 * the board's UART driver drives it, else the first such UART), the GIC
 * (v2 or v3) if the machine has one, the timer frequency if the tree
 * overrides CNTFRQ, the boot modules in /chosen, the wall clock the
 * launcher gives there ("vireo,wallclock"), whether to print statistics
 * ("vireo,stats") and the self-test its tests may ask for
 * ("vireo,selftest"). What only one board's drivers need (another
 * interrupt controller, spin-table release addresses) those drivers read
 * from p->fdt themselves when probed.
 *
 * Devices (the UART, the GIC) may sit on buses that translate addresses,
 * as the Raspberry Pi's peripherals do: their "reg" is read through every
 * "ranges" above them to a CPU physical address (fdt_util_reg_cpu()), and
 * one whose bus has no way to the CPU is refused. /memory, /reserved-memory
 * and the boot modules in /chosen are read as written: by convention they
 * sit on the root's address space, which is the CPU's.
 *
 * A tree Vireo cannot use produces an error that names the node and the
 * property, and Vireo refuses to start.
 */
#include "core/platform.h"

#include "core/mem.h"

#include <libfdt.h>

#include "core/fdt_util.h"
#include "core/printk.h"

#define FAIL(...)                                    \
	do {                                         \
		snprintf(err, errlen, __VA_ARGS__);  \
		return -1;                           \
	} while (0)

/* Reads the first n entries of a device's "reg" into r[0..n-1] as CPU
 * addresses. Returns 0, FDT_UTIL_EREG for the caller to report in words of
 * its own (an entry is missing), or another negative code with the reason
 * an address cannot reach the CPU written to err. */
static int device_regs(const void *fdt, int node, struct mem_range *const *r, int n, char *err,
		       size_t errlen)
{
	int i, rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = fdt_util_reg_cpu(fdt, node, i, r[i]);
	}
	if (rc < 0 && rc != FDT_UTIL_EREG) {
		snprintf(err, errlen, "%s: \"reg\" entry %d is not a CPU address: %s",
			 fdt_get_name(fdt, node, NULL), i - 1, fdt_util_strerror(rc));
	}
	return rc;
}

static int add_reserved(struct platform *p, paddr_t base, uint64_t size, char *err,
			size_t errlen)
{
	if (size == 0) {
		return 0;
	}
	if (p->n_reserved == MAX_RESERVED) {
		FAIL("more than %d reserved memory regions", MAX_RESERVED);
	}
	p->reserved[p->n_reserved++] = (struct mem_range){ base, size };
	return 0;
}

static int parse_memory(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int node, i, n;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_util_string(fdt, node, "device_type");

		if (!type || strcmp(type, "memory") != 0) {
			continue;
		}
		n = fdt_util_reg_count(fdt, node);
		for (i = 0; i < n; i++) {
			struct mem_range r;

			if (fdt_util_reg(fdt, node, i, &r) < 0) {
				FAIL("%s: unreadable \"reg\"", fdt_get_name(fdt, node, NULL));
			}
			if (r.size == 0) {
				continue;
			}
			if (p->n_ram == MAX_RAM_BANKS) {
				FAIL("%s: more than %d memory banks", fdt_get_name(fdt, node, NULL),
				     MAX_RAM_BANKS);
			}
			p->ram[p->n_ram++] = r;
		}
	}
	if (p->n_ram == 0) {
		FAIL("no /memory node with a \"reg\" property");
	}
	return 0;
}

static int parse_reserved(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int i, node, parent;

	for (i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t addr, size;

		fdt_get_mem_rsv(fdt, i, &addr, &size);
		if (add_reserved(p, pa(addr), size, err, errlen) < 0) {
			return -1;
		}
	}
	parent = fdt_path_offset(fdt, "/reserved-memory");
	if (parent < 0) {
		return 0;
	}
	fdt_for_each_subnode(node, fdt, parent) {
		struct mem_range r;

		if (fdt_util_reg(fdt, node, 0, &r) == 0 &&
		    add_reserved(p, r.base, r.size, err, errlen) < 0) {
			return -1;
		}
	}
	return 0;
}

static int parse_cpus(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	if (cpus < 0) {
		FAIL("no /cpus node");
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_util_string(fdt, node, "device_type");
		int ac = fdt_address_cells(fdt, cpus);
		const fdt32_t *cell;
		int len;

		if (!type || strcmp(type, "cpu") != 0) {
			continue;
		}
		cell = fdt_getprop(fdt, node, "reg", &len);
		if (!cell || ac < 1 || ac > 2 || len < ac * 4) {
			FAIL("/cpus/%s: missing or short \"reg\"", fdt_get_name(fdt, node, NULL));
		}
		if (p->n_cpus == MAX_CPUS) {
			continue; /* Vireo uses the first MAX_CPUS CPUs */
		}
		p->cpu_mpidr[p->n_cpus++] = fdt_util_cells(&cell, ac);
	}
	if (p->n_cpus == 0) {
		FAIL("/cpus: no cpu nodes");
	}
	return 0;
}

static int parse_psci(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	const char *method;

	if (node < 0) {
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	}
	if (node < 0) {
		p->psci = PSCI_CONDUIT_NONE;
		return 0;
	}
	method = fdt_util_string(fdt, node, "method");
	if (method && strcmp(method, "smc") == 0) {
		p->psci = PSCI_CONDUIT_SMC;
	} else if (method && strcmp(method, "hvc") == 0) {
		FAIL("%s: \"method\" is \"hvc\": firmware below EL2 must be called with smc",
		     fdt_get_name(fdt, node, NULL));
	} else {
		FAIL("%s: missing or unknown \"method\"", fdt_get_name(fdt, node, NULL));
	}
	return 0;
}

/* The node /chosen/stdout-path names, through an alias if need be. */
static int stdout_node(const void *fdt)
{
	const char *path = fdt_util_string(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path");
	const char *colon;
	int len;

	if (!path) {
		return -1;
	}
	colon = strchr(path, ':');
	len = colon ? colon - path : (int)strlen(path);
	if (path[0] != '/') {
		/* As fdt_get_alias_namelen(), but bounded by the alias's length,
		 * and only to a full path: libfdt would resolve an alias to an
		 * alias again, to the end of the stack if one names itself. */
		int alias_len;
		const char *alias = fdt_getprop_namelen(fdt, fdt_path_offset(fdt, "/aliases"), path,
							len, &alias_len);

		if (!alias || alias_len < 1 || alias[0] != '/') {
			return -1;
		}
		return fdt_path_offset_namelen(fdt, alias, strnlen(alias, alias_len));
	}
	return fdt_path_offset_namelen(fdt, path, len);
}

static int parse_uart(const void *fdt, const char *compatible, struct platform *p, char *err,
		      size_t errlen)
{
	struct mem_range *const regs[] = { &p->uart };
	int node = stdout_node(fdt);
	int rc;

	if (node < 0 || fdt_node_check_compatible(fdt, node, compatible) != 0) {
		node = fdt_node_offset_by_compatible(fdt, -1, compatible);
	}
	if (node < 0) {
		FAIL("no console UART (compatible \"%s\")", compatible);
	}
	rc = device_regs(fdt, node, regs, ARRAY_SIZE(regs), err, errlen);
	if (rc == FDT_UTIL_EREG) {
		FAIL("%s: unreadable \"reg\"", fdt_get_name(fdt, node, NULL));
	}
	if (rc < 0) {
		return -1;
	}
	p->uart_node = node;
	return 0;
}

static int parse_gic(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	static const char *const v2[] = { "arm,gic-400", "arm,cortex-a15-gic" };
	struct gic_desc *g = &p->gic;
	struct mem_range *const v3_regs[] = { &g->dist, &g->redist };
	struct mem_range *const v2_regs[] = { &g->dist, &g->cpuif, &g->hypif, &g->vcpuif };
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	unsigned i;
	int rc;

	if (node >= 0) {
		g->version = 3;
		rc = device_regs(fdt, node, v3_regs, ARRAY_SIZE(v3_regs), err, errlen);
		if (rc == FDT_UTIL_EREG) {
			FAIL("%s: \"reg\" must give the distributor and redistributors",
			     fdt_get_name(fdt, node, NULL));
		}
		return rc < 0 ? -1 : 0;
	}
	for (i = 0; i < ARRAY_SIZE(v2) && node < 0; i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, v2[i]);
	}
	if (node < 0) {
		g->version = 0; /* no GIC: the board's irqchip is something else */
		return 0;
	}
	g->version = 2;
	rc = device_regs(fdt, node, v2_regs, ARRAY_SIZE(v2_regs), err, errlen);
	if (rc == FDT_UTIL_EREG) {
		FAIL("%s: \"reg\" must give GICD, GICC, GICH and GICV (virtualization extensions)",
		     fdt_get_name(fdt, node, NULL));
	}
	return rc < 0 ? -1 : 0;
}

static void parse_timer(const void *fdt, struct platform *p)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	const fdt32_t *freq;
	int len = 0;

	freq = node < 0 ? NULL : fdt_getprop(fdt, node, "clock-frequency", &len);
	p->timer_freq = freq && len >= 4 ? fdt32_to_cpu(*freq) : 0;
}

/* The boot modules in /chosen, the wall clock the launcher gives, and the
 * self-test a test may ask for there. */
static int parse_chosen(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const fdt64_t *wallclock;
	int node, len;

	if (chosen < 0) {
		return 0;
	}
	p->selftest = fdt_util_string(fdt, chosen, "vireo,selftest");
	wallclock = fdt_getprop(fdt, chosen, "vireo,wallclock", &len);
	if (wallclock && len != sizeof(fdt64_t)) {
		FAIL("/chosen: \"vireo,wallclock\" is %d bytes; expected one 64-bit value", len);
	}
	p->wallclock = wallclock ? fdt64_ld(wallclock) : 0;
	p->print_stats = fdt_getprop(fdt, chosen, "vireo,stats", NULL) != NULL;
	fdt_for_each_subnode(node, fdt, chosen) {
		struct boot_module *m;

		if (fdt_node_check_compatible(fdt, node, "multiboot,module") != 0) {
			continue;
		}
		if (p->n_modules == MAX_MODULES) {
			FAIL("/chosen/%s: more than %d boot modules", fdt_get_name(fdt, node, NULL),
			     MAX_MODULES);
		}
		m = &p->modules[p->n_modules++];
		if (fdt_util_reg(fdt, node, 0, &m->range) < 0 || m->range.size == 0) {
			FAIL("/chosen/%s: missing or empty \"reg\"", fdt_get_name(fdt, node, NULL));
		}
		m->kernel = fdt_node_check_compatible(fdt, node, "multiboot,kernel") == 0;
		m->bootargs = fdt_util_string(fdt, node, "bootargs");
		if (add_reserved(p, m->range.base, m->range.size, err, errlen) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Puts the modules in address order: the order in which boot loaders lay
 * them out, and so the order the user listed them in (the tree itself may
 * list them in reverse: QEMU's guest-loader adds each node first). */
static void sort_modules(struct platform *p)
{
	unsigned i, j;

	for (i = 1; i < p->n_modules; i++) {
		struct boot_module m = p->modules[i];

		for (j = i; j > 0 && pa_addr(p->modules[j - 1].range.base) > pa_addr(m.range.base);
		     j--) {
			p->modules[j] = p->modules[j - 1];
		}
		p->modules[j] = m;
	}
}

int platform_parse(const void *fdt, const char *uart_compatible, struct platform *p, char *err,
		   size_t errlen)
{
	int rc = fdt_check_header(fdt);

	*p = (struct platform){ .fdt = fdt };
	if (rc != 0) {
		FAIL("device tree header: %s", fdt_strerror(rc));
	}
	p->model = fdt_util_string(fdt, 0, "model");
	if (!p->model) {
		p->model = "(no model)";
	}
	if (add_reserved(p, virt_to_phys(fdt), fdt_totalsize(fdt), err, errlen) < 0 ||
	    parse_memory(fdt, p, err, errlen) < 0 || parse_reserved(fdt, p, err, errlen) < 0 ||
	    parse_cpus(fdt, p, err, errlen) < 0 || parse_psci(fdt, p, err, errlen) < 0 ||
	    parse_uart(fdt, uart_compatible, p, err, errlen) < 0 || parse_gic(fdt, p, err, errlen) < 0 ||
	    parse_chosen(fdt, p, err, errlen) < 0) {
		return -1;
	}
	parse_timer(fdt, p);
	sort_modules(p);
	return 0;
}
