/*
 * Vireo's boot path, on the boot CPU, as a list of steps.
 *
 * The mode's boot code (arch/aarch64/el2/boot.c) has set its level up and
 * turned the MMU on over the image and the device tree; it hands over the
 * tree and itself, the way guests will run (core/vmode.h). From here on
 * nothing depends on the exception level: the board is found by the tree's
 * root compatible, the machine is read from the tree, and every device is
 * reached through the board's drivers.
 *
 * A boot that cannot go on says why in a line that ends "Halting." (or in
 * "configuration rejected: ..." followed by "halting."), which the
 * launcher (./vireo) takes as the end of the run, then turns the machine
 * off if the board's power interface is up, and else stops here.
 */
#include <string.h>

#include "core/board.h"
#include "core/channel.h"
#include "core/console.h"
#include "core/irq.h"
#include "core/main.h"
#include "core/mem.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/smp.h"
#include "core/vm.h"
#include "core/vmconfig.h"

const struct vmode *vmode;
static struct platform platform;
static bool power_up; /* the board's power interface is probed */

/* The end of a boot that cannot go on, once it has said why. */
static void __attribute__((noreturn)) give_up(void)
{
	if (power_up) {
		board_power_off();
	}
	halt();
}

/* Entered at EL1 (or EL3), with the MMU off: Vireo needs the
 * virtualization extensions of EL2, so it says so, through the board's
 * early console if the tree names a board Vireo knows. */
void boot_wrong_el(unsigned el, const void *fdt)
{
	const struct board *b = board_find(fdt);

	if (b) {
		console_set_uart(b->uart, (volatile void *)(uintptr_t)pa_addr(b->early_uart));
	}
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
	printk("vireo: cpus: %u, %s\n", p->n_cpus, board->power->describe());
	printk("vireo: uart: %s at 0x%lx\n", board->uart->name, pa_addr(p->uart.base));
	irqchip->describe();
	printk("vireo: timer: %lu Hz\n", p->timer_freq ? (uint64_t)p->timer_freq : counter_freq());
	printk("vireo: free memory: %lu MiB\n", mem_free_pages() * PAGE_SIZE >> 20);
}

static struct vm_config configs[MAX_VMS];
static struct channel_config channel_configs[MAX_CHANNELS];

/* Reads and checks the whole configuration, placing vCPUs on the CPUs
 * that came online, then builds every VM; one that cannot be built stops
 * the boot, so no VM runs on half of it. */
static bool create_vms(const struct platform *p)
{
	const struct host_cpus cpus = { .n = n_pcpus, .online = smp_online_cpus() };
	char err[160];
	uint64_t total = 0;
	unsigned n, nch, i;

	if (vmconfig_parse_on(p->fdt, p, &cpus, configs, MAX_VMS, &n, err, sizeof(err)) < 0 ||
	    vmconfig_parse_channels(p->fdt, configs, n, channel_configs, MAX_CHANNELS, &nch, err,
				    sizeof(err)) < 0) {
		printk("vireo: configuration rejected: %s\n", err);
		return false;
	}
	if (n == 0) {
		printk("vireo: no guest to run (boot modules: %u); powering off\n", p->n_modules);
		board_power_off();
	}
	for (i = 0; i < n; i++) {
		/* The machine's wall clock, where every VM's RTC starts, and
		 * whether the launcher wants the VMs' statistics at their end. */
		configs[i].wallclock = p->wallclock;
		configs[i].print_stats = p->print_stats;
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

/* Recurses until the stack runs into its guard page. The callee writes to
 * its caller's frame, so no call can be a tail call or become a loop. */
static uint8_t __attribute__((noinline)) overflow_stack(volatile uint8_t *caller, unsigned depth)
{
	volatile uint8_t frame[128];

	frame[0] = caller[0] + 1;
	if (depth > 0) {
		overflow_stack(frame, depth - 1);
	}
	return frame[0];
}

/* The launcher's hidden --selftest (tests/integration/cases.py) asks for a
 * deliberate failure in /chosen "vireo,selftest", for the tests to see it
 * reported: "stack-overflow@N" makes CPU N run off the end of its stack. */
void selftest(unsigned cpu)
{
	volatile uint8_t start = 0;
	char want[24];

	if (!platform.selftest) {
		return;
	}
	snprintf(want, sizeof(want), "stack-overflow@%u", cpu);
	if (strcmp(platform.selftest, want) == 0) {
		printk("vireo: self-test: CPU %u overflows its stack\n", cpu);
		overflow_stack(&start, ~0U);
	}
}

/* The board's early console, before anything else is read from the tree;
 * without a board Vireo knows, it has nowhere to say anything. */
static void find_board(const void *fdt)
{
	board = board_find(fdt);
	if (!board) {
		halt();
	}
	console_set_uart(board->uart, vmode->map_device(board->early_uart, PAGE_SIZE));
}

/* The machine's devices through the board's drivers: the console the tree
 * names, the power interface, the interrupt controller. */
static bool probe_devices(const struct platform *p, char *err, size_t errlen)
{
	console_set_uart(board->uart, vmode->map_device(p->uart.base, p->uart.size));
	console_enable_lock();
	if (board->power->probe(p, err, errlen) < 0) {
		return false;
	}
	power_up = true;
	if (irqchip_probe(p, err, errlen) < 0) {
		return false;
	}
	irq_init();
	irqchip->cpu_init();
	return true;
}

void boot_main(void *fdt, const struct vmode *mode, paddr_t image_start, paddr_t image_end)
{
	char err[160];

	vmode = mode;
	find_board(fdt);
	printk("\nVireo hypervisor, booting at %s\n", vmode->name);
	/* libfdt uses FP/SIMD registers: none of a guest's are live yet. */
	if (platform_parse(fdt, board->uart->compatible, &platform, err, sizeof(err)) < 0) {
		printk("vireo: cannot use the device tree at %p: %s. Halting.\n", fdt, err);
		/* What the tree gave before the problem (the rest is zero) may
		 * still say how to power off; if not, power-off does nothing. */
		power_up = board->power->probe(&platform, err, sizeof(err)) == 0;
		give_up();
	}
	mem_init(&platform, image_start, image_end);
	vmode->init(&platform);
	smp_init(&platform);
	if (!probe_devices(&platform, err, sizeof(err))) {
		printk("vireo: cannot use the device tree at %p: %s. Halting.\n", fdt, err);
		give_up();
	}
	print_platform(&platform);
	/* Before the VMs: their vCPUs go only where a CPU came online. */
	smp_start_secondaries();
	selftest(0);
	/* libfdt again (the configuration, the VMs' device trees): still no
	 * guest FP/SIMD state anywhere. */
	if (!create_vms(&platform)) {
		printk("vireo: halting.\n");
		give_up();
	}
	console_enable_input(irqchip->translate(platform.fdt, platform.uart_node, 0));
	smp_release_secondaries();
	cpu_loop();
}
