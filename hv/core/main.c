/*
 * Vireo's boot path, on the boot CPU, as a list of steps.
 *
 * entry.S has relocated the image, cleared .bss and given us a stack; we
 * are at EL2 with the MMU off and the device tree's address in hand.
 */
#include <string.h>

#include "core/channel.h"
#include "core/console.h"
#include "drivers/firmware/firmware.h"
#include "drivers/irqchip/gic.h"
#include "core/mem.h"
#include "arch/aarch64/el2/mmu.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/smp.h"
#include "core/vm.h"
#include "core/vmconfig.h"

extern char _head[], _end[]; /* linker.ld */

static struct platform platform;

/* Entered at EL1 (or EL3): Vireo needs the virtualization extensions of
 * EL2, so it says so and stops. */
void boot_wrong_el(unsigned el)
{
	printk("vireo: entered at EL%u; Vireo must be started at EL2 (hypervisor mode). "
	       "On QEMU, use -M virt,virtualization=on. Halting.\n",
	       el);
}

static void print_platform(const struct platform *p)
{
	unsigned i;

	printk("vireo: machine: %s\n", p->model);
	for (i = 0; i < p->n_ram; i++) {
		printk("vireo: memory: 0x%lx-0x%lx (%lu MiB)\n", pa_addr(p->ram[i].base),
		       pa_addr(p->ram[i].base) + p->ram[i].size - 1, p->ram[i].size >> 20);
	}
	printk("vireo: cpus: %u, PSCI via %s\n", p->n_cpus,
	       p->psci == PSCI_CONDUIT_SMC ? "smc" : "(none)");
	printk("vireo: uart: PL011 at 0x%lx\n", pa_addr(p->uart.base));
	printk("vireo: gic: GICv%u, distributor at 0x%lx\n", p->gic.version,
	       pa_addr(p->gic.dist.base));
	printk("vireo: timer: %lu Hz\n",
	       p->timer_freq ? (uint64_t)p->timer_freq : read_sysreg(cntfrq_el0));
	printk("vireo: free memory: %lu MiB\n", mem_free_pages() * PAGE_SIZE >> 20);
}

static struct vm_config configs[MAX_VMS];
static struct channel_config channel_configs[MAX_CHANNELS];

/* Reads and checks the whole configuration, then builds every VM; one
 * that cannot be built stops the boot, so no VM runs on half of it. */
static bool create_vms(const struct platform *p)
{
	char err[160];
	uint64_t total = 0;
	unsigned n, nch, i;

	if (vmconfig_parse(p->fdt, p, configs, MAX_VMS, &n, err, sizeof(err)) < 0 ||
	    vmconfig_parse_channels(p->fdt, configs, n, channel_configs, MAX_CHANNELS, &nch, err,
				    sizeof(err)) < 0) {
		printk("vireo: configuration rejected: %s\n", err);
		return false;
	}
	if (n == 0) {
		printk("vireo: no guest to run (boot modules: %u); powering off\n", p->n_modules);
		firmware_system_off();
	}
	for (i = 0; i < n; i++) {
		mem_reserve(configs[i].kernel.base, configs[i].kernel.size);
		mem_reserve(configs[i].ramdisk.base, configs[i].ramdisk.size);
		total += configs[i].mem_size;
	}
	/* Checked whole, so no VM starts and then finds the memory gone. */
	if (total > mem_free_pages() * PAGE_SIZE) {
		printk("vireo: configuration rejected: the VMs need %lu MiB of RAM, %lu MiB is "
		       "free\n",
		       total >> 20, mem_free_pages() * PAGE_SIZE >> 20);
		return false;
	}
	if (!channels_init(channel_configs, nch)) {
		printk("vireo: no memory for the channels; starting no VM\n");
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!vm_create(i, &configs[i])) {
			printk("vireo: %s: cannot be built; starting no VM\n", configs[i].name);
			return false;
		}
	}
	return true;
}

void boot_main(void *fdt)
{
	char err[160];

	pcpu_set_current(&pcpus[0]);
	cpu_init();
	printk("\nVireo hypervisor, booting at EL2\n");
	mmu_early_init(pa((uintptr_t)_head), pa((uintptr_t)_end), pa((uintptr_t)fdt));
	/* libfdt uses FP/SIMD registers: none of a guest's are live yet. */
	if (platform_parse(fdt, &platform, err, sizeof(err)) < 0) {
		printk("vireo: cannot use the device tree at %p: %s. Halting.\n", fdt, err);
		return;
	}
	mem_init(&platform, pa((uintptr_t)_head), pa((uintptr_t)_end));
	mmu_init(&platform);
	console_set_base(platform.uart.base);
	console_enable_lock();
	firmware_init(platform.psci);
	smp_init(&platform);
	gic_init(&platform.gic);
	gic_cpu_init();
	print_platform(&platform);
	/* libfdt again (the configuration, the VMs' device trees): still no
	 * guest FP/SIMD state anywhere. */
	if (!create_vms(&platform)) {
		printk("vireo: halting.\n");
		firmware_system_off();
	}
	console_enable_input(platform.uart_intid);
	smp_start_secondaries();
	cpu_loop();
}
