/*
 * CPU bring-up through a spin table (spin_table.h).
 *
 * Firmware enters a released CPU at the address it finds in its release
 * location with x0-x3 zero, so it cannot pass the context argument that
 * struct power's cpu_on() promises (the CPU's index, which it needs before
 * anything else). The CPU is therefore released to spin_table_entry
 * (spin_table_entry.S), which finds its own MPIDR in spin_slots[], takes
 * the context written beside it into x0 and jumps on to the entry point.
 * The released CPU runs with its MMU and caches off: everything it reads
 * (the slots, the release location) is cleaned to the point of coherency
 * before the SEV that wakes it.
 */
#include "drivers/power/spin_table.h"

#include <libfdt.h>

#include "arch/aarch64/cache.h"
#include "arch/aarch64/sysreg.h"
#include "core/fdt_util.h"
#include "core/mem.h"
#include "core/printk.h"
#include "core/psci.h"

struct spin_slot {
	uint64_t mpidr;
	uint64_t context;
};

/* Read by spin_table_entry.S (MMU off): mpidr ~0 is an empty slot. */
struct spin_slot spin_slots[MAX_CPUS];
uint64_t spin_target;

void spin_table_entry(void); /* spin_table_entry.S */

static struct {
	uint64_t mpidr;
	paddr_t release;
} cpus[MAX_CPUS];
static unsigned n_cpus;

int spin_table_probe(const struct platform *p, char *err, size_t errlen)
{
	int parent = fdt_path_offset(p->fdt, "/cpus"), node;
	int ac = fdt_address_cells(p->fdt, parent);
	unsigned i;

	n_cpus = 0;
	for (i = 0; i < MAX_CPUS; i++) {
		spin_slots[i].mpidr = ~0UL;
	}
	fdt_for_each_subnode(node, p->fdt, parent) {
		const char *method = fdt_util_string(p->fdt, node, "enable-method");
		const fdt32_t *reg, *rel;
		int len;

		if (!method || strcmp(method, "spin-table") != 0 || n_cpus == MAX_CPUS) {
			continue;
		}
		reg = fdt_getprop(p->fdt, node, "reg", &len);
		if (!reg || ac < 1 || ac > 2 || len < ac * 4) {
			continue; /* platform.c has refused such a CPU already */
		}
		rel = fdt_getprop(p->fdt, node, "cpu-release-addr", &len);
		if (!rel || len != 8) {
			snprintf(err, errlen, "/cpus/%s: \"cpu-release-addr\" must be one 64-bit "
				 "address",
				 fdt_get_name(p->fdt, node, NULL));
			return -1;
		}
		cpus[n_cpus].mpidr = fdt_util_cells(&reg, ac) & MPIDR_AFF_MASK;
		cpus[n_cpus].release = pa(fdt_util_cells(&rel, 2));
		n_cpus++;
	}
	return 0;
}

int64_t spin_table_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
	volatile uint64_t *release;
	unsigned i;

	for (i = 0; i < n_cpus && cpus[i].mpidr != mpidr; i++) {
	}
	if (i == n_cpus) {
		return PSCI_INVALID_PARAMETERS;
	}
	spin_slots[i] = (struct spin_slot){ mpidr, context };
	spin_target = pa_addr(entry);
	dcache_clean_range(spin_slots, sizeof(spin_slots));
	dcache_clean_range(&spin_target, sizeof(spin_target));
	release = phys_to_virt(cpus[i].release);
	*release = pa_addr(virt_to_phys((const void *)spin_table_entry));
	dcache_clean_range((const void *)release, sizeof(*release));
	dsb(sy);
	sev();
	return 0;
}
