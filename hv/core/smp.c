/*
 * The physical CPUs: bring-up, per-CPU setup, and each CPU's loop.
 *
 * The CPUs are numbered as Linux numbers them: the boot CPU is 0, the
 * others follow in the order of the device tree's /cpus. That index is
 * what Vireo's messages call "CPU n", what "vireo,affinity" names and
 * where each CPU's struct pcpu and stack are.
 *
 * The boot CPU asks the board (struct power: PSCI CPU_ON on QEMU virt) to
 * start every other CPU the device tree lists, at the mode's secondary
 * entry point with its index as the context argument. Each secondary sets
 * itself up there (its MMU, its exception level), then comes here: it sets
 * up its interrupt controller interface, marks itself online, and waits
 * for the boot CPU's go-ahead. The boot CPU starts them before it builds
 * any VM, so that vCPUs are placed only on CPUs that came online
 * (vmconfig.c), and gives the go-ahead once the VMs exist. Then every CPU
 * runs cpu_loop() (sched.c): take turns among the vCPUs placed on it, and
 * sleep in WFI when none can run.
 */
#include "core/smp.h"

#include "core/board.h"
#include "core/irq.h"
#include "core/main.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vm.h"

struct pcpu pcpus[MAX_CPUS];
unsigned n_pcpus;

static bool go;
/* The CPUs smp_start_secondaries() saw come online, the boot CPU first. */
static uint32_t online_cpus = BIT(0);
static unsigned n_online = 1;

void smp_init(const struct platform *p)
{
	uint64_t self = cpu_mpidr();
	unsigned i, next = 1;

	pcpus[0] = (struct pcpu){ .id = 0, .mpidr = self, .online = true,
				  .watchdogs_due = UINT64_MAX /* none */ };
	for (i = 0; i < p->n_cpus; i++) {
		uint64_t mpidr = p->cpu_mpidr[i] & MPIDR_AFF_MASK;

		if (mpidr != self && next < MAX_CPUS) {
			pcpus[next] = (struct pcpu){ .id = next, .mpidr = mpidr,
						     .watchdogs_due = UINT64_MAX };
			next++;
		}
	}
	n_pcpus = next;
}

void secondary_main(unsigned idx)
{
	struct pcpu *cpu = &pcpus[idx];

	irqchip->cpu_init();
	printk("vireo: CPU %u online (MPIDR 0x%lx)\n", idx, cpu->mpidr);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	sev();
	selftest(idx);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE)) {
		wfe();
	}
	cpu_loop();
}

/* Waits for CPU idx to come online, for about a second of counter time.
 * The wait yields as it spins: under QEMU's -icount every CPU runs on one
 * thread in turn, and a spin that never yields left the CPU it waits for
 * almost no turns (CPU 1 of a Pi missed its second every time). */
static bool wait_online(unsigned idx)
{
	uint64_t deadline = counter_now() + counter_freq();

	while (!__atomic_load_n(&pcpus[idx].online, __ATOMIC_ACQUIRE)) {
		if (counter_now() > deadline) {
			return false;
		}
		cpu_relax();
	}
	return true;
}

void smp_start_secondaries(void)
{
	paddr_t entry = vmode->secondary_entry();
	unsigned i;

	for (i = 1; i < n_pcpus; i++) {
		int64_t err = board->power->cpu_on(pcpus[i].mpidr, entry, i);

		if (err != 0) {
			printk("vireo: CPU %u (MPIDR 0x%lx) did not start: error %ld\n", i,
			       pcpus[i].mpidr, err);
		} else if (!wait_online(i)) {
			printk("vireo: CPU %u (MPIDR 0x%lx) did not come online\n", i,
			       pcpus[i].mpidr);
		} else {
			online_cpus |= BIT(i);
			n_online++;
		}
	}
}

uint32_t smp_online_cpus(void)
{
	return online_cpus;
}

/* A CPU that comes online too late to be counted finds nothing placed on
 * it: it runs cpu_loop() idle. */
void smp_release_secondaries(void)
{
	printk("vireo: %u of %u CPUs online\n", n_online, n_pcpus);
	__atomic_store_n(&go, true, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}
