/*
 * The core on a fake architecture: VM lifecycle, PSCI and the scheduler's
 * run loop, with the real hv/core and hv/vdev code and nothing below it.
 *
 * The way of running guests is a fake struct vmode (core/vmode.h): its
 * run() plays a script of guest exits, one per call, each an HVC with
 * the registers the script gives, and records what the core left in the
 * guest's x0 before the next one. Its memory back end records every map;
 * the board's power and irqchip are fakes too, and system registers are
 * served by fuzz_read_sysreg() below (tests/fuzz/fuzz_shim.h redirects
 * read_sysreg() there): TPIDR_EL2 names the current fake CPU, CNTPCT_EL0
 * is a clock the test moves. Physical memory is a host arena that the real
 * page allocator (mem.c, palloc.c) hands out, so guest RAM is real memory
 * that a test can look into.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "core/board.h"
#include "core/console.h"
#include "core/exit.h"
#include "core/hypercall.h"
#include "core/mem.h"
#include "core/psci.h"
#include "core/sched.h"
#include "core/smccc.h"
#include "core/trap.h"
#include "core/vm.h"
#include "core/vmode.h"
#include "arch/aarch64/rndr.h"

/* DEN0022 5.1.5, 5.1.6 (vpsci.c defines them where psci.h does not). */

/* --- the fake machine ------------------------------------------------ */

#define ARENA_SIZE (64UL << 20)
#define VM_MEM (8UL << 20)
#define ESR_HVC0 (((uint64_t)EC_HVC64 << 26) | ESR_IL)

struct pcpu pcpus[MAX_CPUS];
unsigned n_pcpus = 2;
const struct vmode *vmode;

static uint8_t *arena;
static struct pcpu *current;
static uint64_t clock_now;
/* ID_AA64MMFR1_EL1 and ID_AA64PFR1_EL1 as the host has them. */
static uint64_t id_mmfr1, id_pfr1;
static bool no_aarch32_el1; /* the CPU has no AArch32 at EL1 */
/* Called once, at the next read of the counter: what another CPU does at
 * that moment. */
static void (*on_counter_read)(void);
static uint64_t timer_deadline;

uint64_t fuzz_read_sysreg(const char *name)
{
	if (strcmp(name, "tpidr_el2") == 0) {
		return (uintptr_t)current;
	}
	if (strcmp(name, "cntpct_el0") == 0) {
		if (on_counter_read) {
			void (*fn)(void) = on_counter_read;

			on_counter_read = NULL;
			fn();
		}
		return clock_now;
	}
	if (strcmp(name, "s3_0_c0_c7_1") == 0) {
		return id_mmfr1;
	}
	if (strcmp(name, "s3_0_c0_c4_1") == 0) {
		return id_pfr1;
	}
	if (strcmp(name, "id_aa64pfr0_el1") == 0) {
		return no_aarch32_el1 ? 0x11 : 0x21; /* EL0, and EL1: AArch64 (and AArch32) */
	}
	if (strcmp(name, "s3_0_c0_c1_1") == 0) {
		return 0x10011011; /* ID_PFR1: GIC, GenTimer, Virtualization, Security, ProgMod */
	}
	if (strcmp(name, "cntfrq_el0") == 0) {
		return 100000000; /* 100 MHz: a 10 ms slice is 1,000,000 ticks */
	}
	return 0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
}

/* Host memory is coherent: cache maintenance has nothing to do but be
 * recorded, for the tests of what a guest finds with its caches off. */
void dcache_clean_range(const void *p, size_t size)
{
}

static struct {
	const uint8_t *lo, *hi; /* the last range cleaned and invalidated */
} cleaned;

void dcache_clean_inval_range(const void *p, size_t size)
{
	cleaned.lo = p;
	cleaned.hi = (const uint8_t *)p + size;
}

void icache_inval_all(void)
{
}

/* The host has no RNDR: no TRNG service (arch/aarch64/rndr.c). */
bool rndr_present(void)
{
	return false;
}

bool rndr_read(uint64_t *out)
{
	return false;
}

/* One scripted guest exit: an HVC with these arguments. */
struct call {
	uint64_t x[4];
};

static struct {
	const struct call *script;
	unsigned n, next;
	uint64_t results[16]; /* x0 after each call */
	unsigned loads, puts, maps, destroys, kicks, offs;
	uint64_t last_map_ipa[8];
	enum vm_mem_kind last_map_kind[8];
	uint64_t el1[EL1_NR_REGS]; /* the guest's EL1 registers, by enum el1_reg */
	unsigned resets;  /* vmode->vcpu_reset() calls */
	struct pcpu *reset_on[VM_MAX_VCPUS]; /* the CPU of each vCPU's last one */
} fake;

/* Called once, at the start of the next vcpu_put(): what another CPU does
 * while this one takes its vCPU out, its registers not yet saved. */
static void (*on_put)(void);

/* A broken invariant of the core's own (CHECK()) fails the test. */
void __panic(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("panic at %s:%d: %s", file, line, msg);
	abort();
}

static jmp_buf powered_off;

static paddr_t f_secondary_entry(void)
{
	return pa(0);
}

static void f_nothing(void)
{
}

static void f_init(const struct platform *p)
{
}

static volatile void *f_map_device(paddr_t base, uint64_t size)
{
	return NULL;
}

static bool f_vm_init(struct vm *vm)
{
	return true;
}

static int f_vm_map(struct vm *vm, ipaddr_t i, paddr_t p, uint64_t size, enum vm_mem_kind kind)
{
	if (fake.maps < 8) {
		fake.last_map_ipa[fake.maps] = ipa_addr(i);
		fake.last_map_kind[fake.maps] = kind;
	}
	fake.maps++;
	return 0;
}

static void f_vm_destroy(struct vm *vm)
{
	fake.destroys++;
}

static unsigned f_vgic_version(void)
{
	return 0; /* no virtual GIC: nothing here needs one */
}

/* The mode's part of a reset: it forgets what of v this CPU holds. */
static void f_vcpu(struct vcpu *v)
{
	fake.resets++;
	fake.reset_on[v->id] = current;
}

/* Like the EL2 mode, load and put move the EL1 registers between the
 * vCPU and the "hardware", fake.el1 (VBAR and SCTLR of them). */
static void f_load(struct vcpu *v)
{
	fake.loads++;
	current->loaded = v;
	fake.el1[EL1_VBAR] = v->sys.vbar;
	fake.el1[EL1_SCTLR] = v->sys.sctlr;
}

static void f_put(struct vcpu *v)
{
	if (on_put) {
		void (*fn)(void) = on_put;

		on_put = NULL;
		fn();
	}
	v->sys.vbar = fake.el1[EL1_VBAR];
	v->sys.sctlr = fake.el1[EL1_SCTLR];
	fake.puts++;
	current->loaded = NULL;
}

/* Records the answer to the previous call, then plays the next one. */
static unsigned play(struct vcpu *v)
{
	const struct call *c;
	unsigned i;

	if (fake.next > 0 && fake.next <= 16) {
		fake.results[fake.next - 1] = v->regs.x[0];
	}
	if (fake.next == fake.n) {
		fail_msg("the guest ran past the end of its script");
	}
	c = &fake.script[fake.next++];
	for (i = 0; i < 4; i++) {
		v->regs.x[i] = c->x[i];
	}
	v->trap = (struct trap_info){ .esr = ESR_HVC0 };
	return EXIT_SYNC;
}

/* The run loop as vmode.h's contract has it, over the script. */
static void f_run(struct vcpu *v)
{
	while (vcpu_keeps_running(v)) {
		if (trap_handle(v, play(v)) == TRAP_EXIT) {
			break;
		}
	}
	if (fake.next > 0 && fake.next <= 16) {
		fake.results[fake.next - 1] = v->regs.x[0];
	}
}

static bool f_va_to_ipa(const struct vcpu *v, gvaddr_t va, ipaddr_t *out)
{
	*out = ipa(gva_addr(va));
	return true;
}

static uint64_t f_el1_read(const struct vcpu *v, enum el1_reg r)
{
	return fake.el1[r];
}

static void f_el1_write(struct vcpu *v, enum el1_reg r, uint64_t val)
{
	fake.el1[r] = val;
}

static void f_timer_set(uint64_t deadline)
{
	timer_deadline = deadline;
}

static const struct vmode fake_mode = {
	.name = "fake",
	.secondary_entry = f_secondary_entry,
	.init = f_init,
	.map_device = f_map_device,
	.vm_init = f_vm_init,
	.vm_map = f_vm_map,
	.vm_destroy = f_vm_destroy,
	.vgic_version = f_vgic_version,
	.vcpu_reset = f_vcpu,
	.vcpu_load = f_load,
	.vcpu_put = f_put,
	.run = f_run,
	.va_to_ipa = f_va_to_ipa,
	.el1_read = f_el1_read,
	.el1_write = f_el1_write,
	.timer_set = f_timer_set,
	.dump = f_nothing,
};

static void f_system_off(void)
{
	fake.offs++;
	longjmp(powered_off, 1);
}

static const struct power fake_power = { .system_off = f_system_off };

static void f_send_kick(struct pcpu *target)
{
	fake.kicks++;
}

static const struct irqchip fake_irqchip = { .name = "fake", .send_kick = f_send_kick };
static const char *const fake_compatible[] = { "vireo,fake-board", NULL };
static const struct board fake_board = {
	.name = "fake",
	.compatible = fake_compatible,
	.power = &fake_power,
};

BOARD(fake_board);

/* Console output is dropped: the tests look at state, not text. */
static void f_write(volatile void *base, const char *s, size_t len)
{
}

static const struct uart_driver fake_uart = { .name = "fake", .write = f_write };

/* --- building a VM ------------------------------------------------------- */

static struct vm_config cfg;

/* A kernel with the arm64 Image header: the given text_offset and
 * image_size. */
static struct mem_range place_kernel_at(uint64_t text_offset, uint64_t image_size)
{
	uint8_t *img = arena + ARENA_SIZE - (2UL << 20);
	uint32_t magic = 0x644d5241;

	memset(img, 0, 4096);
	memcpy(img + 8, &text_offset, 8);
	memcpy(img + 16, &image_size, 8);
	memcpy(img + 56, &magic, 4);
	memcpy(img + 64, "KERNEL", 6);
	return (struct mem_range){ virt_to_phys(img), 4096 };
}

static struct mem_range place_kernel(void)
{
	return place_kernel_at(0x80000, 0x1000);
}

static int setup(void **state)
{
	struct platform p = { 0 };
	static bool once;

	if (!once) {
		arena = aligned_alloc(2UL << 20, ARENA_SIZE);
		assert_non_null(arena);
		p.ram[0] = (struct mem_range){ virt_to_phys(arena), ARENA_SIZE };
		p.n_ram = 1;
		mem_init(&p, virt_to_phys(arena), virt_to_phys(arena + PAGE_SIZE));
		once = true;
	}
	memset(&fake, 0, sizeof(fake));
	memset(pcpus, 0, sizeof(pcpus));
	pcpus[0].id = 0;
	pcpus[1].id = 1;
	pcpus[1].mpidr = 1;
	/* As smp_init() leaves them: no watchdog deadline yet. */
	pcpus[0].watchdogs_due = pcpus[1].watchdogs_due = UINT64_MAX;
	current = &pcpus[0];
	vmode = &fake_mode;
	board = &fake_board;
	irqchip = &fake_irqchip;
	console_set_uart(&fake_uart, NULL);
	clock_now = 1000;
	on_counter_read = NULL;
	id_mmfr1 = id_pfr1 = 0;
	no_aarch32_el1 = false;
	on_put = NULL;
	cfg = (struct vm_config){ .name = "t", .mem_size = VM_MEM, .ram_ipa = 0x40000000,
				  .nr_vcpus = 2, .affinity = 3, .cpu_of = { 0, 1 } };
	cfg.kernel = place_kernel();
	return 0;
}

/* Ends whatever VM the test left, as its CPUs would, so that the next
 * test starts with none alive; the last one out powers the machine off. */
static void check_out(struct vcpu *v)
{
	if (setjmp(powered_off) == 0) {
		vm_vcpu_exited(v);
	}
}

static int teardown(void **state)
{
	unsigned i, k;

	for (i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_id(i);

		if (vm->state == VM_STOPPED && vm->vcpus[0].checked_out) {
			continue;
		}
		vm_stop(vm, "test over");
		for (k = 0; k < vm->n_vcpus; k++) {
			if (!vm->vcpus[k].checked_out) {
				check_out(&vm->vcpus[k]);
			}
		}
	}
	return 0;
}

/* One pass of cpu's loop before it picks a vCPU (sched.c): the requests
 * of the vCPUs placed there, on that CPU. */
static void home_cpu_runs(struct pcpu *cpu)
{
	struct pcpu *was = current;
	unsigned i;

	current = cpu;
	for (i = 0; i < cpu->nr_vcpus; i++) {
		vcpu_handle_requests(cpu->runq[i]);
	}
	current = was;
}

/* v's CPU picks it and runs it: its loop's pass first, as cpu_loop(). */
static void run_script(struct vcpu *v, const struct call *script, unsigned n)
{
	home_cpu_runs(v->home);
	current = v->home;
	__atomic_store_n(&current->need_resched, false, __ATOMIC_RELEASE);
	fake.script = script;
	fake.n = n;
	fake.next = 0;
	vcpu_run(v);
}

/* --- the tests ----------------------------------------------------------- */

/* vm_create(): RAM and PV time mapped, vCPU 0 at the kernel with x0 = its
 * device tree, vCPU 1 off, each on the CPU its configuration names. */
static void test_create(void **state)
{
	struct vm *vm = vm_create(0, &cfg);
	uint8_t *ram;

	assert_non_null(vm);
	assert_int_equal(vm->vmid, 1);
	assert_true(vm_is_running(vm));
	assert_int_equal(fake.last_map_ipa[0], 0x40000000);
	assert_int_equal(fake.last_map_kind[0], VM_MEM_RAM);
	assert_int_equal(fake.last_map_ipa[1], vm_regions[VM_PVTIME].base);
	assert_int_equal(fake.last_map_kind[1], VM_MEM_RAM_RO);
	/* vCPU 0 is started by its own CPU's loop, like every start. */
	assert_int_equal(vm->vcpus[0].power, VCPU_ON_PENDING);
	home_cpu_runs(&pcpus[0]);
	assert_int_equal(vm->vcpus[0].power, VCPU_ON);
	assert_int_equal(vm->vcpus[1].power, VCPU_OFF);
	assert_int_equal(vm->vcpus[0].regs.pc, 0x40080000);
	assert_int_equal(vm->vcpus[0].regs.x[0], ipa_addr(vm->dtb_ipa));
	assert_ptr_equal(vm->vcpus[1].home, &pcpus[1]);
	ram = vm_ram_ptr(vm, vm->entry, 6);
	assert_memory_equal(ram + 64, "KERNEL", 6);
	/* The checked way in refuses what is not all RAM. */
	assert_null(vm_ram_ptr(vm, ipa(0x40000000 + VM_MEM - 2), 4));
	assert_null(vm_ram_ptr(vm, ipa(0x3ffffffc), 8));
}

/* An Image header whose text_offset and image_size add up past the end of
 * 64 bits (or do not fit, or misplace the code) is refused: the VM is not
 * built, rather than built with nothing copied and its entry outside RAM.
 * (Before the fix, the wrapping ones were built.) */
static void test_image_header_refused(void **state)
{
	static const uint64_t bad[][2] = {
		{ 0xfffffffffffff000UL, 0x2000 }, /* wraps */
		{ 0x2000, 0xfffffffffffff000UL }, /* wraps the other way */
		{ VM_MEM, 0x1000 },               /* starts past the end of RAM */
		{ 0x80002, 0x1000 },              /* code not on a word boundary */
	};
	unsigned i;

	uint64_t free_before = mem_free_pages();

	/* Slots no other test uses: a refused VM is never counted. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cfg.kernel = place_kernel_at(bad[i][0], bad[i][1]);
		assert_null(vm_create(MAX_VMS - 1 - i, &cfg));
	}
	assert_int_equal(mem_free_pages(), free_before); /* refused before it cost anything */
}

/* PSCI from the guest's point of view: CPU_ON starts exactly the vCPU
 * named, once, at the entry given; bad arguments change nothing. (Its
 * CPU, which starts it, does not run here: see test_cpu_on_request.) */
static void test_psci_cpu_on(void **state)
{
	static const struct call script[] = {
		{ { PSCI_CPU_ON_64, 7, 0x40001000, 0 } },      /* no such vCPU */
		{ { PSCI_CPU_ON_64, 1, 0x10, 0 } },            /* entry outside RAM */
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0xc0ffee } },
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0 } },      /* pending */
		{ { PSCI_AFFINITY_INFO_64, 1, 0, 0 } },
		{ { PSCI_SYSTEM_OFF, 0, 0, 0 } },
	};
	struct vm *vm = vm_create(0, &cfg);
	struct vcpu *v1 = &vm->vcpus[1];

	run_script(&vm->vcpus[0], script, 6);
	assert_int_equal((int64_t)fake.results[0], PSCI_INVALID_PARAMETERS);
	assert_int_equal((int64_t)fake.results[1], PSCI_INVALID_ADDRESS);
	assert_int_equal((int64_t)fake.results[2], PSCI_SUCCESS);
	assert_int_equal((int64_t)fake.results[3], PSCI_ON_PENDING);
	assert_int_equal((int64_t)fake.results[4], PSCI_AFFINITY_ON_PENDING);
	assert_int_equal(v1->power, VCPU_ON_PENDING);
	assert_int_equal(ipa_addr(v1->start.entry), 0x40001000);
	assert_int_equal(v1->start.arg, 0xc0ffee);
	/* vCPU 1 lives on the other CPU, which was kicked to start it. */
	assert_true(fake.kicks >= 1);
	/* SYSTEM_OFF ended the run loop and the VM, with the vCPU put back. */
	assert_false(vm_is_running(vm));
	assert_int_equal(fake.loads, 1);
	assert_int_equal(fake.puts, 1);
}

/* The state a vCPU's previous life leaves, for a reset to clear. */
#define OLD_VBAR 0x40010000UL
#define OLD_SCTLR (SCTLR_EL1_RESET | BIT(0) | BIT(2) | BIT(12)) /* M, C, I */

static void dirty(struct vcpu *v)
{
	v->sys.vbar = OLD_VBAR;
	v->sys.sctlr = OLD_SCTLR;
	v->sys.ttbr0 = 0x40200000;
	v->fp.v[0] = 0x1234;
	v->fp.fpcr = 0xc00000;
	v->regs.pc = 0x40005000;
}

/* Reset as PSCI starts a vCPU: at entry, with x0 = arg, EL1h, masked, MMU
 * off, nothing left of its EL1 and FP/SIMD state; done by the mode on
 * the vCPU's own CPU. */
static void assert_started(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	assert_int_equal(v->power, VCPU_ON);
	assert_int_equal(v->regs.pc, entry);
	assert_int_equal(v->regs.x[0], arg);
	assert_int_equal(v->regs.pstate, PSR_MODE_EL1H | PSR_DAIF);
	assert_int_equal(v->sys.sctlr, SCTLR_EL1_RESET);
	assert_int_equal(v->sys.vbar, 0);
	assert_int_equal(v->sys.ttbr0, 0);
	assert_int_equal(v->fp.v[0], 0);
	assert_int_equal(v->fp.fpcr, 0);
	assert_ptr_equal(fake.reset_on[v->id], v->home);
	assert_false(vcpu_has_requests(v));
}

/* CPU_ON is a request (vcpu.c): the target stays ON_PENDING, untouched,
 * until its own CPU's loop resets and starts it; meanwhile another CPU_ON
 * is ON_PENDING and AFFINITY_INFO says ON_PENDING; then the vCPU is ON at
 * the entry with x0 = the context and its EL1 state reset, and CPU_ON is
 * ALREADY_ON. (The reset used to be done at once, on the caller's CPU.) */
static void test_cpu_on_request(void **state)
{
	static const struct call first[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0xc0ffee } },
		{ { PSCI_CPU_ON_64, 1, 0x40002000, 0 } },
		{ { PSCI_AFFINITY_INFO_64, 1, 0, 0 } },
		{ { VIREO_HC_YIELD, 0, 0, 0 } }, /* CPU 0 gives its vCPU up */
	};
	static const struct call then[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40002000, 0 } },
		{ { PSCI_AFFINITY_INFO_64, 1, 0, 0 } },
		{ { PSCI_SYSTEM_OFF, 0, 0, 0 } },
	};
	struct vm *vm = vm_create(0, &cfg);
	struct vcpu *v1 = &vm->vcpus[1];
	unsigned resets, kicks;

	home_cpu_runs(&pcpus[0]); /* the resets of the VM's creation */
	home_cpu_runs(&pcpus[1]);
	dirty(v1);
	resets = fake.resets;
	kicks = fake.kicks;
	run_script(&vm->vcpus[0], first, 4);
	assert_int_equal((int64_t)fake.results[0], PSCI_SUCCESS);
	assert_int_equal((int64_t)fake.results[1], PSCI_ON_PENDING);
	assert_int_equal((int64_t)fake.results[2], PSCI_AFFINITY_ON_PENDING);
	assert_int_equal(fake.kicks, kicks + 1); /* CPU 1, once */
	assert_int_equal(v1->power, VCPU_ON_PENDING);
	assert_int_equal(fake.resets, resets); /* nothing reset on CPU 0 */
	assert_int_equal(v1->sys.vbar, OLD_VBAR);
	assert_int_equal(v1->regs.pc, 0x40005000);

	home_cpu_runs(&pcpus[0]); /* another CPU's loop does not start it */
	assert_int_equal(v1->power, VCPU_ON_PENDING);
	home_cpu_runs(&pcpus[1]);
	assert_started(v1, 0x40001000, 0xc0ffee);

	run_script(&vm->vcpus[0], then, 3);
	assert_int_equal((int64_t)fake.results[0], PSCI_ALREADY_ON);
	assert_int_equal((int64_t)fake.results[1], PSCI_AFFINITY_ON);
	assert_int_equal(v1->regs.pc, 0x40001000);
}

/* The race of issue 14: vCPU 1 calls CPU_OFF on CPU 1, and vCPU 0's
 * CPU_ON on CPU 0 comes after its switch off but before CPU 1 has saved
 * its EL1 registers. The start must not be overwritten by that save: the
 * reset is CPU 1's, after it. (It used to be done on CPU 0 at once, and
 * vCPU 1 restarted with its old VBAR and its MMU on.) */
static struct vm *racing;
static int64_t cpu_on_meanwhile;

static void cpu_on_from_cpu0(void)
{
	struct vcpu *v0 = &racing->vcpus[0];
	struct pcpu *was = current;

	current = &pcpus[0];
	v0->regs.x[0] = PSCI_CPU_ON_64;
	v0->regs.x[1] = 1;
	v0->regs.x[2] = 0x40003000;
	v0->regs.x[3] = 0xbeef;
	assert_int_equal(vpsci_call(v0, PSCI_CPU_ON_64), TRAP_RESUME);
	cpu_on_meanwhile = (int64_t)v0->regs.x[0];
	current = was;
}

static void test_cpu_off_then_on_races_put(void **state)
{
	static const struct call start[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0 } },
		{ { VIREO_HC_YIELD, 0, 0, 0 } },
	};
	static const struct call off[] = { { { PSCI_CPU_OFF, 0, 0, 0 } } };
	struct vm *vm = vm_create(0, &cfg);
	struct vcpu *v1 = &vm->vcpus[1];

	run_script(&vm->vcpus[0], start, 2);
	home_cpu_runs(&pcpus[1]);
	assert_int_equal(v1->power, VCPU_ON);
	dirty(v1); /* what its guest did: it runs with these loaded */
	racing = vm;
	cpu_on_meanwhile = 1;
	on_put = cpu_on_from_cpu0;
	run_script(v1, off, 1);
	assert_null(on_put);
	assert_int_equal(cpu_on_meanwhile, PSCI_SUCCESS);
	assert_true(vm_is_running(vm)); /* a pending start keeps it alive */
	home_cpu_runs(&pcpus[1]);
	assert_started(v1, 0x40003000, 0xbeef);
}

/* SYSTEM_RESET: the last CPU to check out (here CPU 1) reloads the VM but
 * resets no vCPU itself; each vCPU's own CPU does, once the VM runs, and
 * vCPU 0 is ON_PENDING until its CPU has. (The last CPU out used to reset
 * them all, which left vCPU 0's FP/SIMD registers live on CPU 0.) */
static void test_reset_on_home_cpus(void **state)
{
	static const struct call start[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0 } },
		{ { VIREO_HC_YIELD, 0, 0, 0 } },
	};
	static const struct call reset[] = { { { PSCI_SYSTEM_RESET, 0, 0, 0 } } };
	struct vm *vm = vm_create(0, &cfg);
	struct vcpu *v0 = &vm->vcpus[0], *v1 = &vm->vcpus[1];
	unsigned resets;

	run_script(v0, start, 2);
	home_cpu_runs(&pcpus[1]);
	dirty(v0);
	dirty(v1);
	run_script(v0, reset, 1);
	vm_vcpu_exited(v0);
	current = &pcpus[1];
	resets = fake.resets;
	vm_vcpu_exited(v1); /* the last: the VM restarts, from CPU 1 */
	assert_true(vm_is_running(vm));
	assert_int_equal(fake.resets, resets);
	assert_int_equal(v0->power, VCPU_ON_PENDING);
	assert_int_equal(v1->power, VCPU_OFF);
	assert_int_equal(v0->sys.vbar, OLD_VBAR);

	home_cpu_runs(&pcpus[1]);
	assert_int_equal(fake.resets, resets + 1);
	assert_ptr_equal(fake.reset_on[1], &pcpus[1]);
	assert_int_equal(v1->power, VCPU_OFF);
	assert_int_equal(v1->sys.vbar, 0);
	assert_int_equal(v1->fp.v[0], 0);
	assert_int_equal(v0->regs.pc, 0x40005000); /* not CPU 1's to reset */

	home_cpu_runs(&pcpus[0]);
	assert_started(v0, 0x40080000, ipa_addr(vm->dtb_ipa));
}

/* A CPU_ON whose target's CPU has not started it yet when the VM resets
 * is forgotten: the request is not handled while the VM is not running,
 * and the restart leaves that vCPU off. */
static void test_cpu_on_overtaken_by_reset(void **state)
{
	static const struct call script[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0 } },
		{ { PSCI_SYSTEM_RESET, 0, 0, 0 } },
	};
	struct vm *vm = vm_create(0, &cfg);
	struct vcpu *v1 = &vm->vcpus[1];
	unsigned resets;

	home_cpu_runs(&pcpus[1]);
	run_script(&vm->vcpus[0], script, 2);
	resets = fake.resets;
	home_cpu_runs(&pcpus[1]); /* the VM is resetting: nothing to do */
	assert_int_equal(fake.resets, resets);
	assert_int_equal(v1->power, VCPU_ON_PENDING);
	vm_vcpu_exited(&vm->vcpus[0]);
	vm_vcpu_exited(v1);
	assert_true(vm_is_running(vm));
	home_cpu_runs(&pcpus[1]);
	assert_int_equal(v1->power, VCPU_OFF);
	assert_ptr_equal(fake.reset_on[1], &pcpus[1]);
	assert_false(vcpu_has_requests(v1));
}

/* Both vCPUs on one CPU: a CPU_ON of the other ends the caller's turn at
 * once, so that the loop can start it; a kick finding a request pending
 * for a vCPU that is not loaded asks for the CPU back too. */
static void test_cpu_on_same_cpu(void **state)
{
	static const struct call script[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 7 } },
		{ { VIREO_HC_NULL, 0, 0, 0 } },
	};
	static const struct call off[] = { { { PSCI_CPU_OFF, 0, 0, 0 } } };
	struct vm *vm;
	struct vcpu *v1;

	cfg.cpu_of[1] = 0;
	vm = vm_create(0, &cfg);
	v1 = &vm->vcpus[1];
	run_script(&vm->vcpus[0], script, 2);
	assert_int_equal(fake.next, 1); /* left right after the CPU_ON */
	assert_true(pcpus[0].need_resched);
	home_cpu_runs(&pcpus[0]);
	assert_started(v1, 0x40001000, 7);

	run_script(v1, off, 1);
	assert_int_equal(v1->power, VCPU_OFF);
	assert_int_equal(vcpu_request_start(v1, ipa(0x40001000), 8), VCPU_OFF);
	pcpus[0].loaded = &vm->vcpus[0];
	pcpus[0].need_resched = false;
	sched_kicked();
	assert_true(pcpus[0].need_resched);
	pcpus[0].loaded = NULL;
}

/* The last vCPU to check out of a stopped VM frees it; with no VM left,
 * the board powers the machine off. */
static void test_last_vcpu_out_powers_off(void **state)
{
	static const struct call script[] = { { { PSCI_SYSTEM_OFF, 0, 0, 0 } } };
	struct vm *vm = vm_create(0, &cfg);
	uint64_t free_before = mem_free_pages();

	run_script(&vm->vcpus[0], script, 1);
	vm_vcpu_exited(&vm->vcpus[0]);
	assert_int_equal(fake.destroys, 0);
	if (setjmp(powered_off) == 0) {
		vm_vcpu_exited(&vm->vcpus[1]);
		fail_msg("no power-off when the last VM ended");
	}
	assert_int_equal(fake.destroys, 1);
	assert_int_equal(fake.offs, 1);
	assert_true(mem_free_pages() > free_before); /* RAM, tree and PV page back */
}

/* SYSTEM_RESET: once every vCPU checked out, the VM starts again from its
 * images on zeroed memory, vCPU 0 at the kernel and the others off. */
static void test_reset_reloads(void **state)
{
	static const struct call script[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0 } },
		{ { PSCI_SYSTEM_RESET, 0, 0, 0 } },
	};
	struct vm *vm = vm_create(0, &cfg);
	uint8_t *scribble = vm_ram_ptr(vm, ipa(0x40400000), 1);

	*scribble = 0x5a;
	run_script(&vm->vcpus[0], script, 2);
	assert_int_equal(vm->state, VM_RESETTING);
	vm_vcpu_exited(&vm->vcpus[0]);
	vm_vcpu_exited(&vm->vcpus[1]);
	assert_true(vm_is_running(vm));
	assert_int_equal(*scribble, 0);
	assert_memory_equal((uint8_t *)vm_ram_ptr(vm, vm->entry, 70) + 64, "KERNEL", 6);
	assert_int_equal(vm->vcpus[0].regs.pc, 0x40080000);
	assert_int_equal(vm->vcpus[1].power, VCPU_OFF);
	assert_int_equal(fake.destroys, 0);
}

/* Another CPU's scheduler checks its vCPU out while the VM restarts: it
 * must not count it for the run that is starting. (The reset used to clear
 * the vCPUs' flags before marking the VM running, and a check-out in
 * between counted a vCPU of the new run as out; the next stop or reset
 * then came one vCPU early.) */
static struct vm *restarting;

static void check_out_meanwhile(void)
{
	vm_vcpu_exited(&restarting->vcpus[1]);
}

static void test_reset_races_check_out(void **state)
{
	static const struct call script[] = { { { PSCI_SYSTEM_RESET, 0, 0, 0 } } };
	struct vm *vm = vm_create(0, &cfg);

	run_script(&vm->vcpus[0], script, 1);
	vm_vcpu_exited(&vm->vcpus[0]);
	restarting = vm;
	on_counter_read = check_out_meanwhile;
	vm_vcpu_exited(&vm->vcpus[1]); /* the last: the VM restarts */
	assert_null(on_counter_read);
	assert_true(vm_is_running(vm));
	assert_int_equal(vm->checked_out, 0);
	assert_false(vm->vcpus[0].checked_out);
	assert_false(vm->vcpus[1].checked_out);
}

/* An injected exception enters EL1 with the PSTATE the architecture gives
 * (AArch64.TakeException): NZCV and DIT kept, PAN set when SCTLR_EL1.SPAN
 * is 0 and kept otherwise, SSBS from SCTLR_EL1.DSSBS, SS, IL, UAO and
 * BTYPE cleared, DAIF masked, EL1h. (It used to be EL1h and DAIF only.) */
#define NZCV (0xfUL << 28)
#define DIT BIT(24)
#define UAO BIT(23)
#define SSBS BIT(12)
#define BTYPE (3UL << 10)
#define SCTLR_SPAN BIT(23)
#define SCTLR_DSSBS BIT(44)

static void test_inject_pstate(void **state)
{
	struct vm *vm = vm_create(0, &cfg);
	struct vcpu *v = &vm->vcpus[0];
	uint64_t old = NZCV | DIT | UAO | PSR_SS | PSR_IL | BTYPE | PSR_MODE_EL0T;

	id_mmfr1 = 1UL << 20; /* PAN */
	id_pfr1 = 1UL << 4;   /* SSBS */
	fake.el1[EL1_VBAR] = 0x40010000;
	fake.el1[EL1_SCTLR] = SCTLR_DSSBS; /* SPAN clear */
	v->regs.pc = 0x40002000;
	v->regs.pstate = old;
	assert_true(inject_abort(v, false, 0x1234));
	assert_int_equal(v->regs.pc, 0x40010400); /* lower EL, AArch64 */
	assert_int_equal(fake.el1[EL1_SPSR], old);
	assert_int_equal(fake.el1[EL1_ELR], 0x40002000);
	assert_int_equal(v->regs.pstate, NZCV | DIT | PSR_PAN | SSBS | PSR_DAIF | PSR_MODE_EL1H);

	/* SPAN set: PAN as it was (clear); DSSBS clear: SSBS clear. */
	fake.el1[EL1_SCTLR] = SCTLR_SPAN;
	v->regs.pc = 0x40002000;
	v->regs.pstate = PSR_MODE_EL1T | SSBS;
	assert_true(inject_undef(v));
	assert_int_equal(v->regs.pc, 0x40010000); /* current EL, SP_EL0 */
	assert_int_equal(v->regs.pstate, PSR_DAIF | PSR_MODE_EL1H);
	v->regs.pstate = PSR_MODE_EL1H | PSR_PAN;
	v->regs.pc = 0x40002000;
	assert_true(inject_undef(v));
	assert_int_equal(v->regs.pstate, PSR_PAN | PSR_DAIF | PSR_MODE_EL1H);

	/* Without PAN and SSBS in the machine, neither bit appears. */
	id_mmfr1 = id_pfr1 = 0;
	fake.el1[EL1_SCTLR] = SCTLR_DSSBS;
	v->regs.pstate = PSR_MODE_EL0T;
	v->regs.pc = 0x40002000;
	assert_true(inject_undef(v));
	assert_int_equal(v->regs.pstate, PSR_DAIF | PSR_MODE_EL1H);
}

/* A guest starts with its MMU and caches off, reading memory past the
 * caches: all of its RAM, zeroed and loaded, is cleaned and invalidated to
 * the point of coherency before it runs, at creation and at every reset.
 * (Only the images were cleaned before; the zeroes could sit in a cache.) */
static void test_ram_cleaned_to_poc(void **state)
{
	static const struct call script[] = { { { PSCI_SYSTEM_RESET, 0, 0, 0 } } };
	struct vm *vm;
	const uint8_t *ram;

	cleaned.lo = cleaned.hi = NULL;
	vm = vm_create(0, &cfg);
	ram = vm_ram_ptr(vm, vm->ram_ipa, 1);
	assert_ptr_equal(cleaned.lo, ram);
	assert_ptr_equal(cleaned.hi, ram + VM_MEM);
	cleaned.lo = cleaned.hi = NULL;
	run_script(&vm->vcpus[0], script, 1);
	vm_vcpu_exited(&vm->vcpus[0]);
	vm_vcpu_exited(&vm->vcpus[1]);
	assert_true(vm_is_running(vm));
	assert_ptr_equal(cleaned.lo, ram);
	assert_ptr_equal(cleaned.hi, ram + VM_MEM);
}

/* CPU_OFF of the last vCPU that is on stops the VM. */
static void test_cpu_off_last_stops(void **state)
{
	static const struct call script[] = { { { PSCI_CPU_OFF, 0, 0, 0 } } };
	struct vm *vm = vm_create(0, &cfg);

	run_script(&vm->vcpus[0], script, 1);
	assert_int_equal(vm->vcpus[0].power, VCPU_OFF);
	assert_false(vm_is_running(vm));
}

/* Two vCPUs on one CPU: YIELD ends the running turn at once, and a turn
 * lasts one slice, which Vireo's timer is set to end. */
static void test_sched_yield_and_slice(void **state)
{
	static const struct call script[] = {
		{ { VIREO_HC_NULL, 0, 0, 0 } },
		{ { VIREO_HC_YIELD, 0, 0, 0 } },
	};
	struct vm *vm;

	cfg.cpu_of[1] = 0;
	vm = vm_create(0, &cfg);
	assert_false(sched_alone(&vm->vcpus[0]));
	pcpus[0].slice_end = clock_now + 1000000;
	run_script(&vm->vcpus[0], script, 2);
	/* NULL answered, then YIELD asked the CPU back: the loop left. */
	assert_int_equal(fake.results[0], 0);
	assert_true(pcpus[0].need_resched);
	assert_int_equal(fake.next, 2);
	assert_int_equal(fake.puts, 1);
	/* The next deadline the timer watches is the slice's end. */
	sched_program_timer();
	assert_int_equal(timer_deadline, clock_now + 1000000);
	/* When it passes, the running vCPU is asked to give the CPU up. */
	__atomic_store_n(&pcpus[0].need_resched, false, __ATOMIC_RELEASE);
	clock_now += 1000000;
	sched_timer_interrupt();
	assert_true(pcpus[0].need_resched);
}

/* The board comes from the tree's root compatible, any of its strings. */
static void test_board_find(void **state)
{
	static const char compat[] = "acme,unknown\0vireo,fake-board";
	char buf[512];

	assert_int_equal(fdt_create_empty_tree(buf, sizeof(buf)), 0);
	assert_null(board_find(buf));
	assert_int_equal(fdt_setprop(buf, 0, "compatible", compat, sizeof(compat)), 0);
	assert_ptr_equal(board_find(buf), &fake_board);
	assert_int_equal(fdt_setprop_string(buf, 0, "compatible", "acme,other"), 0);
	assert_null(board_find(buf));
	memset(buf, 0, 16); /* no tree at all */
	assert_null(board_find(buf));
}

/* --- AArch32 VMs ----------------------------------------------------------- */

/* A kernel that is a zImage: the magic at 0x24, "ZIMAGE" at 0x40. */
static struct mem_range place_zimage(void)
{
	uint8_t *img = arena + ARENA_SIZE - (2UL << 20);
	uint32_t magic = 0x016f2818;

	memset(img, 0, 4096);
	memcpy(img + 0x24, &magic, 4);
	memcpy(img + 0x40, "ZIMAGE", 6);
	return (struct mem_range){ virt_to_phys(img), 4096 };
}

/* A zImage makes an AArch32 VM, started the 32-bit Linux way: the image
 * at RAM + 0x8000, SVC mode with A, I, F masked, r0 = 0, r1 = ~0, r2 = the
 * device tree; a CPU_ON's vCPU in SVC mode too, Thumb for an odd entry,
 * r0 = the context. 64-bit PSCI IDs and SMC64 calls are unknown to it. */
static void test_aarch32_boot(void **state)
{
	static const struct call script[] = {
		{ { PSCI_CPU_ON_64, 1, 0x40001000, 0 } },
		{ { PSCI_CPU_ON_64 & ~SMCCC_64, 1, 0x40001002, 0 } }, /* ARM: word aligned */
		{ { PSCI_CPU_ON_64 & ~SMCCC_64, 1, 0x40001001, 0xc0ffee } },
		{ { SMCCC_ARCH_FEATURES, VIREO_HC_SHARED_PAGE, 0, 0 } },
		{ { VIREO_HC_SHARED_PAGE, 0x40002000, 0, 0 } },
		{ { PSCI_CPU_OFF, 0, 0, 0 } }, /* vCPU 1's start pending: the VM runs on */
	};
	struct vm *vm;
	struct vcpu *v0, *v1;

	cfg.kernel = place_zimage();
	vm = vm_create(0, &cfg);
	assert_non_null(vm);
	assert_true(vm->aarch32);
	v0 = &vm->vcpus[0];
	v1 = &vm->vcpus[1];
	home_cpu_runs(&pcpus[0]);
	assert_int_equal(v0->regs.pc, 0x40008000);
	assert_int_equal(v0->regs.pstate, 0x1d3);
	assert_int_equal(v0->regs.x[0], 0);
	assert_int_equal(v0->regs.x[1], 0xffffffff);
	assert_int_equal(v0->regs.x[2], ipa_addr(vm->dtb_ipa));
	assert_int_equal(v0->sys.sctlr, SCTLR32_RESET);
	assert_memory_equal((uint8_t *)vm_ram_ptr(vm, vm->entry, 0x46) + 0x40, "ZIMAGE", 6);

	run_script(v0, script, 6);
	/* Answers are 32 bits: r0 is the low half of x0, the upper one zero. */
	assert_int_equal(fake.results[0], (uint32_t)PSCI_NOT_SUPPORTED);
	assert_int_equal(fake.results[1], (uint32_t)PSCI_INVALID_ADDRESS);
	assert_int_equal(fake.results[2], PSCI_SUCCESS);
	assert_int_equal(fake.results[3], (uint32_t)SMCCC_NOT_SUPPORTED);
	assert_int_equal(fake.results[4], (uint32_t)SMCCC_NOT_SUPPORTED);
	assert_null(v0->shared_page);
	home_cpu_runs(&pcpus[1]);
	assert_int_equal(v1->power, VCPU_ON);
	assert_int_equal(v1->regs.pc, 0x40001000);
	assert_int_equal(v1->regs.pstate, 0x1d3 | PSR_T);
	assert_int_equal(v1->regs.x[0], 0xc0ffee);
}

/* What cannot run AArch32 is refused before the VM is built: a CPU
 * without AArch32 at EL1, a GDB stub, RAM that does not end below 4 GiB. */
static void test_aarch32_refused(void **state)
{
	cfg.kernel = place_zimage();
	no_aarch32_el1 = true;
	assert_null(vm_create(MAX_VMS - 1, &cfg));
	no_aarch32_el1 = false;
	cfg.gdb = VM_GDB_WAIT;
	assert_null(vm_create(MAX_VMS - 1, &cfg));
	cfg.gdb = VM_GDB_OFF;
	cfg.ram_ipa = 0xfff00000;
	assert_null(vm_create(MAX_VMS - 1, &cfg));
	/* The configuration may say AArch32 for an image without the magic. */
	cfg.ram_ipa = 0x40000000;
	cfg.kernel = place_kernel();
	cfg.arch = VM_ARCH_AARCH32;
	assert_true(vm_create(0, &cfg)->aarch32);
}

#define ESR_CP(ec, iss) ((uint64_t)(ec) << 26 | ESR_IL | (iss))
#define COND_AL (ESR_CV | FIELD_PREP(ESR_COND, 0xe))
#define COND_EQ (ESR_CV | FIELD_PREP(ESR_COND, 0x0))

static struct vcpu *aarch32_vcpu(void)
{
	struct vm *vm;
	struct vcpu *v;

	cfg.kernel = place_zimage();
	vm = vm_create(0, &cfg);
	v = &vm->vcpus[0];
	home_cpu_runs(&pcpus[0]);
	fake.el1[EL1_VBAR] = 0x40010000;
	fake.el1[EL1_SCTLR] = SCTLR32_RESET;
	v->regs.pc = 0x40002000;
	return v;
}

/* Trapped CP15 accesses: an ID register read through idregs.c's AArch32
 * view; one whose condition fails, or a Thumb one in an IT block whose
 * condition fails, only stepped past (2 bytes for a 16-bit one, the IT
 * state advanced); CNTP_CVAL by MRRC into two registers. */
static void test_aarch32_cp15(void **state)
{
	struct vcpu *v = aarch32_vcpu();
	uint64_t pstate = v->regs.pstate;

	v->trap.esr = ESR_CP(EC_CP15_32, COND_AL | CP32_ENC(0, 0, 1, 1) | 3 << 5 | ESR_CP_READ);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.x[3], 0x10010001); /* no Virtualization, no Security */
	assert_int_equal(v->regs.pc, 0x40002004);

	v->regs.x[3] = 7;
	v->trap.esr = ESR_CP(EC_CP15_32, COND_EQ | CP32_ENC(0, 0, 1, 1) | 3 << 5 | ESR_CP_READ);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME); /* Z clear: not taken */
	assert_int_equal(v->regs.x[3], 7);
	assert_int_equal(v->regs.pc, 0x40002008);

	/* Thumb, IT block "ITT EQ" on its first instruction, Z clear, 16-bit. */
	v->regs.pstate = aarch32_set_itstate(pstate | PSR_T, 0x04);
	v->trap.esr = ((uint64_t)EC_WFX << 26);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.pc, 0x4000200a);
	assert_int_equal(aarch32_itstate(v->regs.pstate), 0x08);

	v->regs.pstate = pstate;
	v->ptimer.cval = 0x123456789aUL;
	v->trap.esr = ESR_CP(EC_CP15_64, COND_AL | CP64_ENC(2, 14) | 4 << 5 |
					 FIELD_PREP(ESR_CP64_RT2, 5) | ESR_CP_READ);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.x[4], 0x3456789a);
	assert_int_equal(v->regs.x[5], 0x12);

	/* DBGDIDR: no debug architecture (Linux reads it on every CPU). */
	v->regs.x[6] = 7;
	v->regs.pc = 0x40002000;
	v->trap.esr = ESR_CP(EC_CP14_32, COND_AL | CP32_ENC(0, 0, 0, 0) | 6 << 5 | ESR_CP_READ);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.x[6], 0);
	assert_int_equal(v->regs.pc, 0x40002004);
}

/* A 32-bit Linux maps only its low memory (about 760 MiB of RAM with the
 * usual 3G/1G split) and finds its initrd at __phys_to_virt() of where it
 * lies (arch/arm/mm/init.c, arm_initrd_init(): no check), and its device
 * tree must be "within the region which will be covered by the kernel's
 * low-memory mapping" (Documentation/arch/arm/booting.rst). So in a big
 * AArch32 VM both go below 512 MiB, not at the end of RAM; a small VM
 * keeps them at its end, and an AArch64 VM always does. */
static void test_aarch32_layout_in_lowmem(void **state)
{
	struct vm vm = { .name = "big", .ram_ipa = ipa(0x40000000), .ram_size = 1UL << 30 };
	uint64_t ram = 0x40000000;

	vm.cfg = cfg;
	vm.cfg.kernel = place_zimage();
	vm.cfg.ramdisk = (struct mem_range){ vm.cfg.kernel.base, 16UL << 20 };
	assert_true(vm_layout(&vm));
	assert_true(vm.aarch32);
	assert_true(ipa_addr(vm.dtb_ipa) + (2UL << 20) <= ram + (512UL << 20));
	assert_true(ipa_addr(vm.initrd_ipa) + vm.initrd_size <= ipa_addr(vm.dtb_ipa));
	assert_true(ipa_addr(vm.initrd_ipa) >= ram + 0x8000 + vm.cfg.kernel.size);

	vm.ram_size = 64UL << 20;
	assert_true(vm_layout(&vm));
	assert_int_equal(ipa_addr(vm.dtb_ipa), ram + (62UL << 20));

	vm.ram_size = 1UL << 30;
	vm.cfg.kernel = place_kernel();
	assert_true(vm_layout(&vm));
	assert_false(vm.aarch32);
	assert_int_equal(ipa_addr(vm.dtb_ipa), ram + (1UL << 30) - (2UL << 20));
}

/* DBGDIDR (MRC p14, 0, Rt, c0, c0, 0) reads as zero, debug version 0:
 * "no debug architecture", as ID_DFR0 says. Linux reads it without
 * looking at ID_DFR0 (arch/arm/kernel/hw_breakpoint.c, get_debug_arch(),
 * an arch_initcall, before it installs its CP14 undef hook), so an
 * undefined instruction there is an Oops in init. MDCR_EL2.TDA traps it
 * (HDCR.TDA: every CP14 debug register but TDRA's and TDOSA's). A write
 * (it is read-only) stays undefined. */
static void test_aarch32_dbgdidr_reads_zero(void **state)
{
	struct vcpu *v = aarch32_vcpu();
	uint64_t svc = 0x600001d3;

	v->regs.pstate = svc;
	v->regs.x[3] = 0xdead;
	v->trap.esr = ESR_CP(EC_CP14_32, COND_AL | CP32_ENC(0, 0, 0, 0) | 3 << 5 | ESR_CP_READ);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.x[3], 0);
	assert_int_equal(v->regs.pc, 0x40002004);
	assert_int_equal(v->regs.pstate, svc);

	v->trap.esr = ESR_CP(EC_CP14_32, COND_AL | CP32_ENC(0, 0, 0, 0) | 3 << 5);
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.pstate & PSR_MODE32_MASK, PSR_MODE32_UND);
	assert_int_equal(v->regs.pc, 0x40010004);
}

/* What is not emulated is an undefined instruction, taken the AArch32
 * way: Undefined mode at VBAR + 4, LR_und (X22) the return address + 4
 * (ARM) or + 2 (Thumb), SPSR_und the CPSR. Aborts go to Abort mode at
 * + 0x10 (data: LR + 8, DFSR and DFAR) or + 0x0c (prefetch: LR + 4, IFSR
 * and IFAR), in the fault status format TTBCR.EAE picks. */
static void test_aarch32_inject(void **state)
{
	struct vcpu *v = aarch32_vcpu();
	uint64_t svc = 0x600001d3;

	v->regs.pstate = svc;
	v->trap.esr = ESR_CP(EC_CP14_32, COND_AL | CP32_ENC(0, 0, 0, 4) | ESR_CP_READ); /* DBGBVR0 */
	assert_int_equal(trap_handle(v, EXIT_SYNC), TRAP_RESUME);
	assert_int_equal(v->regs.pc, 0x40010004);
	assert_int_equal(v->regs.pstate & PSR_MODE32_MASK, PSR_MODE32_UND);
	assert_int_equal(v->regs.pstate & (PSR_NZCV | PSR_I | PSR_T), 0x60000000 | PSR_I);
	assert_int_equal(v->regs.x[22], 0x40002004);
	assert_int_equal(fake.el1[EL1_SPSR_UND], svc);

	v->regs.pstate = svc | PSR_T;
	v->regs.pc = 0x40002000;
	assert_true(inject_undef(v));
	assert_int_equal(v->regs.x[22], 0x40002002);

	v->regs.pstate = svc;
	v->regs.pc = 0x40002000;
	v->trap.esr = ESR_DABT_WNR;
	fake.el1[EL1_FAR] = 0xaaaaaaaa00000000UL;
	assert_true(inject_abort(v, false, 0x20000004));
	assert_int_equal(v->regs.pc, 0x40010010);
	assert_int_equal(v->regs.pstate & (PSR_MODE32_MASK | PSR_A | PSR_I), PSR_MODE32_ABT | PSR_A | PSR_I);
	assert_int_equal(v->regs.x[20], 0x40002008);
	assert_int_equal(fake.el1[EL1_ESR], 0x808); /* WnR, external abort */
	assert_int_equal(fake.el1[EL1_FAR], 0xaaaaaaaa20000004UL);
	assert_int_equal(fake.el1[EL1_SPSR_ABT], svc);

	fake.el1[EL1_TCR] = BIT(31); /* EAE: the long-descriptor format */
	v->regs.pstate = svc;
	v->regs.pc = 0x40002000;
	assert_true(inject_abort(v, true, 0x20000000));
	assert_int_equal(v->regs.pc, 0x4001000c);
	assert_int_equal(v->regs.x[20], 0x40002004);
	assert_int_equal(fake.el1[EL1_IFSR], 0x210);
	assert_int_equal(fake.el1[EL1_FAR], 0x2000000020000004UL);

	/* SCTLR.V: the high vectors, not RAM here: the VM cannot take it. */
	fake.el1[EL1_SCTLR] = SCTLR32_RESET | BIT(13);
	v->regs.pstate = svc;
	assert_false(inject_undef(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_find),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_image_header_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_psci_cpu_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_off_then_on_races_put, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_on_home_cpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_overtaken_by_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_same_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_vcpu_out_powers_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_reloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_races_check_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inject_pstate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ram_cleaned_to_poc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_off_last_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sched_yield_and_slice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aarch32_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aarch32_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aarch32_cp15, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aarch32_inject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aarch32_dbgdidr_reads_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aarch32_layout_in_lowmem, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
