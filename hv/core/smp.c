/*
 * The physical CPUs: bring-up, per-CPU EL2 setup, and each CPU's loop.
 *
 * The boot CPU asks firmware (PSCI CPU_ON) to start every other CPU the
 * device tree lists, at secondary_entry in entry.S with its index as the
 * context argument. Each secondary turns its MMU on with the boot CPU's
 * tables, does cpu_init(), marks itself online, and waits for the boot
 * CPU's go-ahead. Then every CPU runs cpu_loop() (sched.c): take turns
 * among the vCPUs placed on it, and sleep in WFI when none can run.
 */
#include "core/smp.h"

#include "drivers/firmware/firmware.h"
#include "drivers/irqchip/gic.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vm.h"

struct pcpu pcpus[MAX_CPUS];
unsigned n_pcpus;
uint8_t cpu_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));

static bool go;

void secondary_entry(void); /* entry.S */

void smp_init(const struct platform *p)
{
	uint64_t self = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	unsigned i, next = 1;

	pcpus[0] = (struct pcpu){ .id = 0, .mpidr = self, .online = true };
	for (i = 0; i < p->n_cpus; i++) {
		uint64_t mpidr = p->cpu_mpidr[i] & MPIDR_AFF_MASK;

		if (mpidr != self && next < MAX_CPUS) {
			pcpus[next] = (struct pcpu){ .id = next, .mpidr = mpidr };
			next++;
		}
	}
	n_pcpus = next;
}

void cpu_init(void)
{
	/* No stage 2 and no traps while Vireo itself runs. Guests' accesses to
	 * the debug and PMU registers trap (trap_sysreg.c answers them as
	 * absent): their state is shared by every VM on a CPU, and Vireo does
	 * not switch it. */
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(vttbr_el2, 0);
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TTA);
	write_sysreg(mdcr_el2, MDCR_EL2_TRAPS);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

void secondary_main(unsigned idx)
{
	struct pcpu *cpu = &pcpus[idx];

	pcpu_set_current(cpu);
	cpu_init();
	gic_cpu_init();
	printk("vireo: CPU %u online (MPIDR 0x%lx)\n", idx, cpu->mpidr);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	sev();
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE)) {
		wfe();
	}
	cpu_loop();
}

/* Waits for CPU idx to come online, for about a second of counter time. */
static bool wait_online(unsigned idx)
{
	uint64_t deadline = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0);

	while (!__atomic_load_n(&pcpus[idx].online, __ATOMIC_ACQUIRE)) {
		if (read_sysreg(cntpct_el0) > deadline) {
			return false;
		}
	}
	return true;
}

void smp_start_secondaries(void)
{
	unsigned i, online = 1;

	for (i = 1; i < n_pcpus; i++) {
		int64_t err = firmware_cpu_on(pcpus[i].mpidr, pa((uintptr_t)secondary_entry), i);

		if (err != 0) {
			printk("vireo: CPU %u (MPIDR 0x%lx) did not start: PSCI error %ld\n", i,
			       pcpus[i].mpidr, err);
		} else if (!wait_online(i)) {
			printk("vireo: CPU %u (MPIDR 0x%lx) did not come online\n", i,
			       pcpus[i].mpidr);
		} else {
			online++;
		}
	}
	printk("vireo: %u of %u CPUs online\n", online, n_pcpus);
	__atomic_store_n(&go, true, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}
