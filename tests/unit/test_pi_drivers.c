/*
 * The Raspberry Pi 3B's host drivers against fake registers: the BCM2836
 * local interrupt controller with the BCM2835 ARM controller chained into
 * it (drivers/irqchip/bcm2836.c), the spin table (drivers/power/
 * spin_table.c), the PM watchdog (drivers/power/bcm2835_pm.c) and the mini
 * UART (drivers/uart/bcm2835_aux.c), compiled for the host.
 *
 * A register block is a page of plain memory that the fake vmode's
 * map_device() hands out for the block's CPU address; a test sets what a
 * register should read before a call and looks at what the driver left
 * after it. Where plain memory cannot show a write (a read-to-clear
 * register written back with what it read, or a data register written
 * twice in one call), the test closes the page and the fault handler below
 * notes each access as it comes: see "Watching accesses".
 *
 * System registers go through tests/fuzz/fuzz_shim.h to fuzz_read_sysreg(),
 * where TPIDR_EL2 names the fake CPU the driver runs on, so this_cpu()
 * works. The trees are tests/unit/dts/pi3-bcm.dts (trimmed from Debian's
 * bcm2837-rpi-3-b.dtb) and two bad-pi3-* variants, compiled into DTB_DIR.
 *
 * The drivers keep what their probes found in static variables, as boot
 * code may; the tests live with that. The irqchip tests probe again before
 * each test; what enable() recorded (which ARM controller interrupts are
 * enabled) outlives a test, so the test of a pending interrupt that is not
 * enabled uses one that no test enables. spin_table_probe() adds to what
 * an earlier probe found: its group probes the good tree once, and the
 * refused tree has no CPU the probe could add before it stops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libfdt.h>

#include "core/irqchip.h"
#include "core/mem.h"
#include "core/pcpu.h"
#include "core/psci.h"
#include "core/vmode.h"
#include "drivers/irqchip/bcm2836.h"
#include "drivers/power/bcm2835_pm.h"
#include "drivers/power/spin_table.h"
#include "drivers/uart/bcm2835_aux.h"
#include "dtb_file.h"

#ifndef DTB_DIR
#define DTB_DIR "build/unit/dts"
#endif

/* ---- the fake machine --------------------------------------------------- */

/* The register blocks, at the CPU addresses the Pi's tree translates to. */
enum { DEV_LOCAL, DEV_ARMCTRL, DEV_PM, N_DEVS };

static const struct {
	uint64_t base, size;
} dev_at[N_DEVS] = {
	[DEV_LOCAL] = { 0x40000000, 0x100 },
	[DEV_ARMCTRL] = { 0x3f00b200, 0x200 },
	[DEV_PM] = { 0x3f100000, 0x114 },
};

static size_t page_size;
static volatile uint8_t *dev_regs[N_DEVS]; /* a page each */

/* Every map_device() call, in order. */
static struct {
	uint64_t base, size;
} maps[8];
static unsigned n_maps;

static volatile void *fake_map_device(paddr_t base, uint64_t size)
{
	unsigned i;

	if (n_maps < 8) {
		maps[n_maps].base = pa_addr(base);
		maps[n_maps].size = size;
	}
	n_maps++;
	for (i = 0; i < N_DEVS; i++) {
		if (dev_at[i].base == pa_addr(base)) {
			assert_true(size <= page_size);
			return dev_regs[i];
		}
	}
	fail_msg("map_device(%#lx, %#lx): no fake device there", pa_addr(base), size);
	return NULL;
}

static const struct vmode fake_mode = {
	.name = "fake",
	.map_device = fake_map_device,
};

const struct vmode *vmode = &fake_mode;

static uint32_t rd(unsigned dev, unsigned off)
{
	return *(volatile uint32_t *)(dev_regs[dev] + off);
}

static void set(unsigned dev, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(dev_regs[dev] + off) = v;
}

static void clear_devs(void)
{
	unsigned i;

	for (i = 0; i < N_DEVS; i++) {
		memset((void *)dev_regs[i], 0, page_size);
	}
	n_maps = 0;
}

/* The CPU the driver runs on: TPIDR_EL2 points at it (this_cpu()). */
static struct pcpu *current;

uint64_t fuzz_read_sysreg(const char *name)
{
	if (strcmp(name, "tpidr_el2") == 0) {
		return (uintptr_t)current;
	}
	fail_msg("read of %s: no fake for it", name);
	return 0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
	fail_msg("write of %s: no fake for it", name);
}

/* What describe() printed. */
static char printed[512];

void printk(const char *fmt, ...)
{
	size_t used = strlen(printed);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(printed + used, sizeof(printed) - used, fmt, ap);
	va_end(ap);
}

/* Physical memory, for the spin table: phys_to_virt(0) is fake_ram. */
uint64_t mem_virt_offset;
static uint8_t fake_ram[4096] __attribute__((aligned(4096)));

/* The cache is the host's, and coherent; the test notes what was cleaned. */
static struct {
	uintptr_t start, end;
} cleaned[8];
static unsigned n_cleaned;

void dcache_clean_range(const void *p, size_t size)
{
	if (n_cleaned < 8) {
		cleaned[n_cleaned].start = (uintptr_t)p;
		cleaned[n_cleaned].end = (uintptr_t)p + size;
	}
	n_cleaned++;
}

static bool was_cleaned(const volatile void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p;
	unsigned i;

	for (i = 0; i < n_cleaned && i < 8; i++) {
		if (cleaned[i].start <= a && a + size <= cleaned[i].end) {
			return true;
		}
	}
	return false;
}

/* The trampoline released CPUs enter (spin_table_entry.S, in the image). */
void spin_table_entry(void)
{
}

/* spin_table.c's slots, as spin_table_entry.S reads them. */
struct spin_slot {
	uint64_t mpidr;
	uint64_t context;
};
extern struct spin_slot spin_slots[MAX_CPUS];
extern uint64_t spin_target;

/* ---- trees --------------------------------------------------------------- */

static void *blob;

static void *load(const char *name)
{
	long len;

	free(blob);
	blob = dtb_file_read(DTB_DIR, name, &len);
	return blob;
}

static int node(const char *path)
{
	int off = fdt_path_offset(blob, path);

	if (off < 0) {
		fail_msg("%s: not in the tree", path);
	}
	return off;
}

/* The machine as platform.c would have read it: n CPUs, MPIDRs 0..n-1. */
static void machine(struct platform *p, unsigned n)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->fdt = blob;
	p->n_cpus = n;
	for (i = 0; i < n; i++) {
		p->cpu_mpidr[i] = i;
	}
}

static void expect_err(const char *err, const char *want)
{
	if (!strstr(err, want)) {
		fail_msg("message \"%s\" does not name %s", err, want);
	}
}

/* ---- watching accesses --------------------------------------------------- */

/*
 * Plain memory keeps only the last value written, so two tests close
 * pages and watch the faults:
 *  - watch_writes(): the device page is read-only; the first write faults,
 *    the handler notes where it went and opens the page, and the write
 *    then goes through.
 *  - the UART's transmit log: the fake's registers straddle two pages,
 *    AUX_MU_IO at the end of the first and AUX_MU_LSR at the start of the
 *    second, and the two take turns being closed. The driver reads LSR
 *    before each byte it writes: that read faults, and the handler logs
 *    the byte the previous write left in IO, then opens LSR and closes IO
 *    to writes; the write to IO faults in turn, and its handler opens IO
 *    and closes LSR again.
 * cmocka installs its own SIGSEGV handler around each test, so a test
 * installs this one itself (trap_begin()) and puts cmocka's back
 * (trap_end()); a fault the handler does not expect goes to cmocka's, which
 * fails the test.
 */
#define AUX_MU_IO 0x00
#define AUX_MU_IER 0x04
#define AUX_MU_LSR 0x14
#define IO_EMPTY 0xffffffffU /* what IO holds until the driver writes */

static uint8_t *uart_pages; /* two */
static volatile uint8_t *uart;  /* the fake mini UART's base */

static struct {
	volatile uint8_t *page; /* closed to writes; NULL once written */
	uintptr_t first_write;
} watch;

static struct {
	bool on;
	char log[64];
	unsigned n;
} tx;

static struct sigaction cmocka_segv;

static uint32_t uart_rd(unsigned off)
{
	return *(volatile uint32_t *)(uart + off);
}

static void uart_set(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uart + off) = v;
}

static bool in_page(uintptr_t a, const volatile void *page)
{
	return a >= (uintptr_t)page && a < (uintptr_t)page + page_size;
}

static void tx_log_io(void)
{
	if (uart_rd(AUX_MU_IO) != IO_EMPTY && tx.n < sizeof(tx.log) - 1) {
		tx.log[tx.n++] = (char)uart_rd(AUX_MU_IO);
	}
	uart_set(AUX_MU_IO, IO_EMPTY);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	uint8_t *io_page = uart_pages, *lsr_page = uart_pages + page_size;

	if (watch.page && in_page(a, watch.page)) {
		watch.first_write = a;
		mprotect((void *)watch.page, page_size, PROT_READ | PROT_WRITE);
		watch.page = NULL;
	} else if (tx.on && in_page(a, lsr_page)) {
		tx_log_io();
		mprotect(io_page, page_size, PROT_READ);
		mprotect(lsr_page, page_size, PROT_READ | PROT_WRITE);
	} else if (tx.on && in_page(a, io_page)) {
		mprotect(io_page, page_size, PROT_READ | PROT_WRITE);
		mprotect(lsr_page, page_size, PROT_NONE);
	} else {
		sigaction(SIGSEGV, &cmocka_segv, NULL); /* the access faults again there */
	}
}

static void trap_begin(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGSEGV, &sa, &cmocka_segv), 0);
}

static void trap_end(void)
{
	sigaction(SIGSEGV, &cmocka_segv, NULL);
}

/* Closes dev's page to writes until the first write. */
static void watch_writes(unsigned dev)
{
	watch.first_write = 0;
	watch.page = dev_regs[dev];
	trap_begin();
	assert_int_equal(mprotect((void *)dev_regs[dev], page_size, PROT_READ), 0);
}

/* The offset in dev of the first write since watch_writes(), or -1. */
static long watched_write(unsigned dev)
{
	trap_end();
	if (watch.page) {
		mprotect((void *)watch.page, page_size, PROT_READ | PROT_WRITE);
		watch.page = NULL;
		return -1;
	}
	return (long)(watch.first_write - (uintptr_t)dev_regs[dev]);
}

static void tx_begin(void)
{
	memset(&tx, 0, sizeof(tx));
	uart_set(AUX_MU_IO, IO_EMPTY);
	trap_begin();
	tx.on = true;
	assert_int_equal(mprotect(uart_pages + page_size, page_size, PROT_NONE), 0);
}

/* What the driver wrote to IO since tx_begin(), as a string. */
static const char *tx_end(void)
{
	mprotect(uart_pages, page_size, PROT_READ | PROT_WRITE);
	mprotect(uart_pages + page_size, page_size, PROT_READ | PROT_WRITE);
	tx.on = false;
	trap_end();
	tx_log_io();
	tx.log[tx.n] = '\0';
	return tx.log;
}

/* ---- the BCM2836 local and BCM2835 ARM interrupt controllers ----------- */

#define LOCAL_GPU_ROUTE 0x0c
#define LOCAL_TIMER_CTL(core) (0x40 + 4 * (core))
#define LOCAL_MBOX_CTL(core) (0x50 + 4 * (core))
#define LOCAL_IRQ_SOURCE(core) (0x60 + 4 * (core))
#define LOCAL_MBOX_SET(core, n) (0x80 + 16 * (core) + 4 * (n))
#define LOCAL_MBOX_CLR(core, n) (0xc0 + 16 * (core) + 4 * (n))
#define ARM_PENDING1 0x04
#define ARM_PENDING2 0x08
#define ARM_ENABLE1 0x10
#define ARM_ENABLE2 0x14
#define ARM_ENABLE_BASIC 0x18
#define ARM_DISABLE1 0x1c
#define ARM_DISABLE2 0x20
#define ARM_DISABLE_BASIC 0x24

#define SRC_CNTHP 2
#define SRC_CNTV 3
#define SRC_MBOX0 4
#define SRC_GPU 8
#define IRQ_PL011 121 /* 32 + bank 2 * 32 + bit 25 */

static const struct irqchip *const chip = &bcm2836_irqchip;

/* The CPU the tests run on: index 1, core 2; and two others. */
static struct pcpu me = { .id = 1, .mpidr = 2 };
static struct pcpu core1 = { .id = 2, .mpidr = 1 };
static struct pcpu core3 = { .id = 3, .mpidr = 3 };

static int probe_pi(const char *tree, unsigned n_cpus, char *err, size_t errlen)
{
	struct platform p;

	load(tree);
	machine(&p, n_cpus);
	return chip->probe(&p, err, errlen);
}

/* The Pi's tree probed, and this CPU's interface set up. */
static int bcm_setup(void **state)
{
	char err[256] = "";

	clear_devs();
	if (probe_pi("pi3-bcm", 4, err, sizeof(err)) != 0) {
		fail_msg("probe refused the Pi's tree: %s", err);
	}
	current = &me;
	chip->cpu_init();
	return 0;
}

static void expect_mapped(uint64_t base, uint64_t size)
{
	unsigned i;

	for (i = 0; i < n_maps && i < 8; i++) {
		if (maps[i].base == base && maps[i].size == size) {
			return;
		}
	}
	fail_msg("[%#lx, +%#lx) was not mapped (%u maps)", base, size, n_maps);
}

static void test_bcm_probe_maps_both_at_cpu_addresses(void **state)
{
	char err[256] = "";

	clear_devs();
	assert_int_equal(probe_pi("pi3-bcm", 4, err, sizeof(err)), 0);
	assert_int_equal(n_maps, 2);
	expect_mapped(0x40000000, 0x100);
	expect_mapped(0x3f00b200, 0x200);
}

static void test_bcm_probe_disables_arm_interrupts(void **state)
{
	char err[256] = "";

	clear_devs();
	assert_int_equal(probe_pi("pi3-bcm", 4, err, sizeof(err)), 0);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_DISABLE1), 0xffffffff);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_DISABLE2), 0xffffffff);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_DISABLE_BASIC), 0xffffffff);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_ENABLE1), 0);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_ENABLE2), 0);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_ENABLE_BASIC), 0);
}

static void test_bcm_probe_routes_gpu_to_core0(void **state)
{
	char err[256] = "";

	clear_devs();
	set(DEV_LOCAL, LOCAL_GPU_ROUTE, 3); /* as firmware might leave it */
	assert_int_equal(probe_pi("pi3-bcm", 4, err, sizeof(err)), 0);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_GPU_ROUTE), 0);
}

static void test_bcm_probe_without_local_controller_is_absent(void **state)
{
	char err[256] = "";

	clear_devs();
	assert_int_equal(probe_pi("virt-gicv3", 4, err, sizeof(err)), 1);
	assert_int_equal(n_maps, 0);
	assert_int_equal(probe_pi("virt-gicv2", 2, err, sizeof(err)), 1);
	assert_int_equal(n_maps, 0);
}

static void test_bcm_probe_refuses_local_without_armctrl(void **state)
{
	char err[256] = "";

	clear_devs();
	assert_int_equal(probe_pi("bad-pi3-no-armctrl", 1, err, sizeof(err)), -1);
	expect_err(err, "ARM interrupt controller");
	expect_err(err, "\"brcm,bcm2836-armctrl-ic\"");
}

static void test_bcm_probe_refuses_core_beyond_3(void **state)
{
	struct platform p;
	char err[256] = "";

	clear_devs();
	load("pi3-bcm");
	machine(&p, 4);
	p.cpu_mpidr[3] = 4;
	assert_int_equal(chip->probe(&p, err, sizeof(err)), -1);
	expect_err(err, "MPIDR 0x4");
	expect_err(err, "cores 0-3");
}

static void test_bcm_describe_names_both(void **state)
{
	printed[0] = '\0';
	chip->describe();
	expect_err(printed, "0x40000000");
	expect_err(printed, "0x3f00b200");
}

static void test_bcm_translate_pl011(void **state)
{
	assert_int_equal(chip->translate(blob, node("/soc/serial@7e201000"), 0), IRQ_PL011);
}

static void test_bcm_translate_mini_uart(void **state)
{
	/* Bank 1, bit 29: the auxiliary block's interrupt. */
	assert_int_equal(chip->translate(blob, node("/soc/serial@7e215040"), 0), 93);
}

static void test_bcm_translate_timer_local_sources(void **state)
{
	int timer = node("/timer");

	assert_int_equal(chip->translate(blob, timer, 0), 0);
	assert_int_equal(chip->translate(blob, timer, 1), 1);
	assert_int_equal(chip->translate(blob, timer, 2), SRC_CNTV);
	assert_int_equal(chip->translate(blob, timer, 3), SRC_CNTHP);
	assert_int_equal(chip->translate(blob, timer, 4), IRQ_NONE);
}

static void test_bcm_translate_armctrl_own_line(void **state)
{
	assert_int_equal(chip->translate(blob, node("/soc/interrupt-controller@7e00b200"), 0),
			 SRC_GPU);
}

static void test_bcm_translate_refuses_out_of_range(void **state)
{
	assert_int_equal(chip->translate(blob, node("/soc/bad-bank"), 0), IRQ_NONE);
	assert_int_equal(chip->translate(blob, node("/soc/bad-basic-bit"), 0), IRQ_NONE);
	assert_int_equal(chip->translate(blob, node("/soc/bad-gpu-bit"), 0), IRQ_NONE);
	assert_int_equal(chip->translate(blob, node("/soc/bad-local-source"), 0), IRQ_NONE);
}

static void test_bcm_translate_refuses_short_property(void **state)
{
	int pl011 = node("/soc/serial@7e201000");

	assert_int_equal(chip->translate(blob, node("/soc/short-interrupts"), 0), IRQ_NONE);
	assert_int_equal(chip->translate(blob, pl011, 1), IRQ_NONE);
	assert_int_equal(chip->translate(blob, pl011, -1), IRQ_NONE);
	assert_int_equal(chip->translate(blob, node("/cpus"), 0), IRQ_NONE);
}

static void test_bcm_translate_refuses_other_parent(void **state)
{
	assert_int_equal(chip->translate(blob, node("/soc/button"), 0), IRQ_NONE);
}

static void test_bcm_source_numbers(void **state)
{
	assert_int_equal(chip->source(IRQ_HYP_TIMER), SRC_CNTHP);
	assert_int_equal(chip->source(IRQ_VTIMER), SRC_CNTV);
	assert_int_equal(chip->source(IRQ_KICK), SRC_MBOX0);
	assert_int_equal(chip->source(IRQ_MAINTENANCE), IRQ_NONE);
}

static void test_bcm_cpu_init_sets_up_own_core(void **state)
{
	unsigned core;

	clear_devs(); /* the registers as they were before cpu_init() */
	chip->cpu_init();
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), (1U << SRC_CNTHP) | (1U << SRC_CNTV));
	assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_CTL(2)), 1);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_CLR(2, 0)), 0xffffffff);
	for (core = 0; core < 4; core++) {
		if (core != 2) {
			assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(core)), 0);
			assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_CTL(core)), 0);
			assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_CLR(core, 0)), 0);
		}
	}
}

static void test_bcm_ack_kick_clears_mailbox0(void **state)
{
	struct irq_ack ack;

	set(DEV_LOCAL, LOCAL_IRQ_SOURCE(2), 1U << SRC_MBOX0);
	set(DEV_LOCAL, LOCAL_MBOX_CLR(2, 0), 1); /* what the sender set */
	watch_writes(DEV_LOCAL);
	ack = chip->ack();
	assert_int_equal(watched_write(DEV_LOCAL), LOCAL_MBOX_CLR(2, 0));
	assert_int_equal(ack.irq, SRC_MBOX0);
	assert_int_equal(ack.token, SRC_MBOX0);
	/* Written back with what it read: each bit that was set, cleared. */
	assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_CLR(2, 0)), 1);
}

static void test_bcm_ack_vtimer_masks_until_deactivate(void **state)
{
	struct irq_ack ack;

	set(DEV_LOCAL, LOCAL_IRQ_SOURCE(2), 1U << SRC_CNTV);
	ack = chip->ack();
	assert_int_equal(ack.irq, SRC_CNTV);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), 1U << SRC_CNTHP);
	chip->eoi(ack.token);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), 1U << SRC_CNTHP);
	chip->deactivate(ack.token);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), (1U << SRC_CNTHP) | (1U << SRC_CNTV));
}

static void test_bcm_ack_hyp_timer_leaves_routes(void **state)
{
	struct irq_ack ack;

	set(DEV_LOCAL, LOCAL_IRQ_SOURCE(2), 1U << SRC_CNTHP);
	ack = chip->ack();
	assert_int_equal(ack.irq, SRC_CNTHP);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), (1U << SRC_CNTHP) | (1U << SRC_CNTV));
}

static void test_bcm_set_active_masks_vtimer(void **state)
{
	chip->set_active(SRC_CNTV, true);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), 1U << SRC_CNTHP);
	chip->set_active(SRC_CNTV, false);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), (1U << SRC_CNTHP) | (1U << SRC_CNTV));
	chip->set_active(SRC_CNTHP, true); /* only the virtual timer has a stand-in */
	assert_int_equal(rd(DEV_LOCAL, LOCAL_TIMER_CTL(2)), (1U << SRC_CNTHP) | (1U << SRC_CNTV));
}

static void test_bcm_ack_gpu_returns_enabled_pending(void **state)
{
	struct irq_ack ack;

	chip->enable(IRQ_PL011, &me);
	set(DEV_LOCAL, LOCAL_IRQ_SOURCE(2), 1U << SRC_GPU);
	set(DEV_ARMCTRL, ARM_PENDING1, 1U << 6);             /* 70, not enabled */
	set(DEV_ARMCTRL, ARM_PENDING2, (1U << 25) | (1U << 1)); /* 121; 97, not enabled */
	ack = chip->ack();
	assert_int_equal(ack.irq, IRQ_PL011);
	assert_int_equal(ack.token, IRQ_PL011);
}

static void test_bcm_ack_gpu_ignores_pending_not_enabled(void **state)
{
	set(DEV_LOCAL, LOCAL_IRQ_SOURCE(2), 1U << SRC_GPU);
	set(DEV_ARMCTRL, ARM_PENDING1, 1U << 5); /* 69: no test enables it */
	assert_int_equal(chip->ack().irq, IRQ_NONE);
}

static void test_bcm_ack_nothing_pending(void **state)
{
	assert_int_equal(chip->ack().irq, IRQ_NONE);
}

static void test_bcm_enable_gpu_sets_bank2_and_route(void **state)
{
	chip->enable(IRQ_PL011, &core1);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_ENABLE2), 1U << 25);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_ENABLE1), 0);
	assert_int_equal(rd(DEV_ARMCTRL, ARM_ENABLE_BASIC), 0);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_GPU_ROUTE), 1);
}

static void test_bcm_send_kick_sets_target_mailbox0(void **state)
{
	chip->send_kick(&core3);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_SET(3, 0)), 1);
	assert_int_equal(rd(DEV_LOCAL, LOCAL_MBOX_SET(2, 0)), 0);
}

/* ---- the spin table ------------------------------------------------------ */

static void *spin_blob; /* the tree spin_table_probe() read, kept */

static int spin_group_setup(void **state)
{
	struct platform p;
	char err[256] = "";
	long len;

	spin_blob = dtb_file_read(DTB_DIR, "pi3-bcm", &len);
	memset(&p, 0, sizeof(p));
	p.fdt = spin_blob;
	if (spin_table_probe(&p, err, sizeof(err)) != 0) {
		fprintf(stderr, "spin_table_probe refused the Pi's tree: %s\n", err);
		return -1;
	}
	mem_virt_offset = (uintptr_t)fake_ram; /* physical 0 is fake_ram[0] */
	return 0;
}

static int spin_group_teardown(void **state)
{
	free(spin_blob);
	return 0;
}

static int spin_setup(void **state)
{
	memset(fake_ram, 0, sizeof(fake_ram));
	n_cleaned = 0;
	spin_target = 0;
	return 0;
}

/* The slot spin_table_entry.S would find for mpidr, or NULL. */
static struct spin_slot *slot_of(uint64_t mpidr)
{
	unsigned i;

	for (i = 0; i < MAX_CPUS; i++) {
		if (spin_slots[i].mpidr == mpidr) {
			return &spin_slots[i];
		}
	}
	return NULL;
}

static uint64_t release_at(uint64_t phys)
{
	uint64_t v;

	memcpy(&v, fake_ram + phys, sizeof(v));
	return v;
}

static uint64_t trampoline_phys(void)
{
	return (uint64_t)(uintptr_t)spin_table_entry - mem_virt_offset;
}

static void test_spin_cpu_on_fills_slot_and_target(void **state)
{
	struct spin_slot *slot;

	assert_int_equal(spin_table_cpu_on(2, pa(0x80000), 5), 0);
	slot = slot_of(2);
	assert_non_null(slot);
	assert_int_equal(slot->context, 5);
	assert_int_equal(spin_target, 0x80000);
}

static void test_spin_cpu_on_writes_each_release_address(void **state)
{
	uint64_t mpidr;

	for (mpidr = 0; mpidr < 4; mpidr++) {
		assert_int_equal(release_at(0xd8 + 8 * mpidr), 0);
		assert_int_equal(spin_table_cpu_on(mpidr, pa(0x80000), mpidr), 0);
		assert_int_equal(release_at(0xd8 + 8 * mpidr), trampoline_phys());
	}
}

static void test_spin_cpu_on_cleans_what_the_cpu_reads(void **state)
{
	assert_int_equal(spin_table_cpu_on(1, pa(0x80000), 1), 0);
	assert_true(was_cleaned(slot_of(1), sizeof(struct spin_slot)));
	assert_true(was_cleaned(&spin_target, sizeof(spin_target)));
	assert_true(was_cleaned(fake_ram + 0xe0, sizeof(uint64_t)));
}

static void test_spin_cpu_on_unknown_mpidr(void **state)
{
	static const uint8_t zero[sizeof(fake_ram)];

	assert_int_equal(spin_table_cpu_on(5, pa(0x80000), 5), PSCI_INVALID_PARAMETERS);
	assert_int_equal(spin_table_cpu_on(0x100, pa(0x80000), 5), PSCI_INVALID_PARAMETERS);
	assert_null(slot_of(5));
	assert_int_equal(spin_target, 0);
	assert_memory_equal(fake_ram, zero, sizeof(fake_ram));
}

static void test_spin_probe_refuses_short_release_addr(void **state)
{
	struct platform p;
	char err[256] = "";

	load("bad-pi3-release-addr");
	machine(&p, 2);
	assert_int_equal(spin_table_probe(&p, err, sizeof(err)), -1);
	expect_err(err, "/cpus/cpu@1");
	expect_err(err, "\"cpu-release-addr\"");
}

/* ---- the PM watchdog ----------------------------------------------------- */

#define PM_RSTC 0x1c
#define PM_RSTS 0x20
#define PM_WDOG 0x24

static int pm_setup(void **state)
{
	struct platform p;
	char err[256] = "";

	clear_devs();
	load("pi3-bcm");
	machine(&p, 4);
	if (bcm2835_pm_probe(&p, err, sizeof(err)) != 0) {
		fail_msg("bcm2835_pm_probe refused the Pi's tree: %s", err);
	}
	return 0;
}

static void test_pm_probe_maps_watchdog(void **state)
{
	assert_int_equal(n_maps, 1);
	expect_mapped(0x3f100000, 0x114);
}

static void test_pm_reset_fires_watchdog(void **state)
{
	set(DEV_PM, PM_RSTC, 0x00000113); /* WRCFG 1, and other bits */
	bcm2835_pm_reset();
	assert_int_equal(rd(DEV_PM, PM_WDOG), 0x5a000000 | 10);
	assert_int_equal(rd(DEV_PM, PM_RSTC), 0x5a000000 | 0x103 | 0x20);
	assert_int_equal(rd(DEV_PM, PM_RSTS), 0);
}

static void test_pm_off_sets_halt_partition(void **state)
{
	set(DEV_PM, PM_RSTS, 0x00001000);
	bcm2835_pm_off();
	assert_int_equal(rd(DEV_PM, PM_RSTS), 0x5a000000 | 0x1000 | 0x555);
	/* and then resets */
	assert_int_equal(rd(DEV_PM, PM_WDOG), 0x5a000000 | 10);
	assert_int_equal(rd(DEV_PM, PM_RSTC), 0x5a000000 | 0x20);
}

static void test_pm_probe_refuses_tree_without_watchdog(void **state)
{
	struct platform p;
	char err[256] = "";

	load("virt-gicv3");
	machine(&p, 4);
	assert_int_equal(bcm2835_pm_probe(&p, err, sizeof(err)), -1);
	expect_err(err, "\"brcm,bcm2835-pm-wdt\"");
}

/* ---- the mini UART ------------------------------------------------------- */

#define LSR_DATA_READY 0x01
#define LSR_TX_EMPTY 0x20

static int uart_setup(void **state)
{
	memset(uart_pages, 0, 2 * page_size);
	return 0;
}

static void test_aux_getc_nothing_waiting(void **state)
{
	uart_set(AUX_MU_IO, 'x');
	uart_set(AUX_MU_LSR, LSR_TX_EMPTY);
	assert_int_equal(bcm2835_aux_uart.getc(uart), -1);
}

static void test_aux_getc_returns_byte(void **state)
{
	uart_set(AUX_MU_IO, 0x100 | 'x');
	uart_set(AUX_MU_LSR, LSR_TX_EMPTY | LSR_DATA_READY);
	assert_int_equal(bcm2835_aux_uart.getc(uart), 'x');
}

static void test_aux_enable_rx_irq(void **state)
{
	bcm2835_aux_uart.enable_rx_irq(uart);
	assert_int_equal(uart_rd(AUX_MU_IER), 1);
}

static void test_aux_write_sends_newline_as_crlf(void **state)
{
	uart_set(AUX_MU_LSR, LSR_TX_EMPTY);
	tx_begin();
	bcm2835_aux_uart.write(uart, "a\nb\n", 4);
	assert_string_equal(tx_end(), "a\r\nb\r\n");
}

/* ---- main ---------------------------------------------------------------- */

static void *page_alloc(size_t n)
{
	void *p = mmap(NULL, n * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

int main(void)
{
#define BCM(f) cmocka_unit_test_setup(f, bcm_setup)
	const struct CMUnitTest irqchip_tests[] = {
		cmocka_unit_test(test_bcm_probe_maps_both_at_cpu_addresses),
		cmocka_unit_test(test_bcm_probe_disables_arm_interrupts),
		cmocka_unit_test(test_bcm_probe_routes_gpu_to_core0),
		cmocka_unit_test(test_bcm_probe_without_local_controller_is_absent),
		cmocka_unit_test(test_bcm_probe_refuses_local_without_armctrl),
		cmocka_unit_test(test_bcm_probe_refuses_core_beyond_3),
		BCM(test_bcm_describe_names_both),
		BCM(test_bcm_translate_pl011),
		BCM(test_bcm_translate_mini_uart),
		BCM(test_bcm_translate_timer_local_sources),
		BCM(test_bcm_translate_armctrl_own_line),
		BCM(test_bcm_translate_refuses_out_of_range),
		BCM(test_bcm_translate_refuses_short_property),
		BCM(test_bcm_translate_refuses_other_parent),
		BCM(test_bcm_source_numbers),
		BCM(test_bcm_cpu_init_sets_up_own_core),
		BCM(test_bcm_ack_kick_clears_mailbox0),
		BCM(test_bcm_ack_vtimer_masks_until_deactivate),
		BCM(test_bcm_ack_hyp_timer_leaves_routes),
		BCM(test_bcm_set_active_masks_vtimer),
		BCM(test_bcm_ack_gpu_returns_enabled_pending),
		BCM(test_bcm_ack_gpu_ignores_pending_not_enabled),
		BCM(test_bcm_ack_nothing_pending),
		BCM(test_bcm_enable_gpu_sets_bank2_and_route),
		BCM(test_bcm_send_kick_sets_target_mailbox0),
	};
#define SPIN(f) cmocka_unit_test_setup(f, spin_setup)
	const struct CMUnitTest spin_tests[] = {
		SPIN(test_spin_cpu_on_fills_slot_and_target),
		SPIN(test_spin_cpu_on_writes_each_release_address),
		SPIN(test_spin_cpu_on_cleans_what_the_cpu_reads),
		SPIN(test_spin_cpu_on_unknown_mpidr),
		SPIN(test_spin_probe_refuses_short_release_addr),
	};
#define PM(f) cmocka_unit_test_setup(f, pm_setup)
	const struct CMUnitTest pm_tests[] = {
		PM(test_pm_probe_maps_watchdog),
		PM(test_pm_reset_fires_watchdog),
		PM(test_pm_off_sets_halt_partition),
		PM(test_pm_probe_refuses_tree_without_watchdog),
	};
#define AUX(f) cmocka_unit_test_setup(f, uart_setup)
	const struct CMUnitTest uart_tests[] = {
		AUX(test_aux_getc_nothing_waiting),
		AUX(test_aux_getc_returns_byte),
		AUX(test_aux_enable_rx_irq),
		AUX(test_aux_write_sends_newline_as_crlf),
	};
	unsigned i;
	int failed = 0;

	page_size = (size_t)sysconf(_SC_PAGESIZE);
	for (i = 0; i < N_DEVS; i++) {
		dev_regs[i] = page_alloc(1);
	}
	uart_pages = page_alloc(2);
	uart = uart_pages + page_size - AUX_MU_LSR; /* LSR opens the second page */

	failed += cmocka_run_group_tests_name("bcm2836", irqchip_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("spin_table", spin_tests, spin_group_setup,
					      spin_group_teardown);
	failed += cmocka_run_group_tests_name("bcm2835_pm", pm_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("bcm2835_aux", uart_tests, NULL, NULL);
	free(blob);
	return failed;
}
