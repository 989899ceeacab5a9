/*
 * its: a guest checking the virtual ITS and LPIs, as a GICv3 driver uses
 * them, on a VM with 4 vCPUs and vireo,its = "on" (IHI 0069 chapter 5).
 *
 * vCPU 0 gives each redistributor a property table (all LPIs enabled at
 * priority 0xa0) and a pending table, sets EnableLPIs, gives the ITS a
 * device table, a collection table and a command queue (all of it
 * guests/common/gic_its.c, which guests/bench shares), and maps
 * collection i to vCPU i. vCPUs 1-3 wait with interrupts on, counting each
 * LPI they take. Then, each checked on every vCPU's count:
 *   - INT (device 7, event 0 -> LPI 8292, collection 1) arrives on vCPU 1
 *     and only there;
 *   - a write of event 5 to GITS_TRANSLATER (DeviceID 0 for a CPU's write)
 *     raises LPI 8293 on vCPU 1;
 *   - an LPI disabled in the property table stays pending after INV, and
 *     arrives once it is enabled and INV'd again;
 *   - MOVI to collection 2 sends the next INT to vCPU 2;
 *   - DISCARD: the next INT for that event raises nothing;
 *   - bad commands (MAPTI of an INTID that is no LPI, an unknown command)
 *     are ignored and the queue goes on (GITS_CREADR catches up);
 *   - an ITT outside the VM's RAM stalls the queue at that command
 *     (GITS_CREADR.Stalled); the guest replaces it and writes CWRITER with
 *     Retry, and the queue runs again;
 * and last, one more INT to vCPU 3 still works. Each check prints "ok" or
 * "FAIL"; the guest powers off after "its: done".
 */
#include "gic_its.h"
#include "guest.h"

#define GICD_BASE 0x08000000UL
#define GICR_BASE(i) (0x080a0000UL + 0x20000UL * (i))
#define GICD_TYPER 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014

#define PSCI_CPU_ON 0xc4000003U
#define NR_VCPUS 4

/* The ITS's and redistributors' tables (gic_its.c carves them). */
static uint8_t arena[ITS_ARENA_SIZE(NR_VCPUS)];
static int failures;

static volatile unsigned lpis_taken[NR_VCPUS];
static volatile unsigned last_lpi[NR_VCPUS];
/* Set by each secondary once it takes interrupts (no atomics: the MMU is
 * off, and exclusives need Normal memory). */
static volatile unsigned online[NR_VCPUS];
static uint8_t its_secondary_stacks[NR_VCPUS][8192] __attribute__((aligned(16)));

static void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static uint64_t r64(uint64_t a) { return *(volatile uint64_t *)a; }

static unsigned my_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

void guest_exception(struct guest_frame *f, int vector)
{
	unsigned cpu = my_cpu();
	uint32_t intid;

	if (vector != VEC_CUR_SPX_IRQ) {
		guest_unhandled(f, vector);
	}
	intid = read_sysreg(icc_iar1_el1) & 0xffffff;
	if (intid >= LPI_BASE) {
		last_lpi[cpu] = intid;
		lpis_taken[cpu]++;
	}
	write_sysreg(icc_eoir1_el1, intid);
}

static void cpu_interface_on(unsigned cpu)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	w32(GICR_BASE(cpu) + GICR_WAKER, r32(GICR_BASE(cpu) + GICR_WAKER) & ~2U);
	while (r32(GICR_BASE(cpu) + GICR_WAKER) & 4U) {
	}
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

/* vCPUs 1-3: take LPIs for ever. */
static void its_secondary(void)
{
	guest_install_vectors();
	cpu_interface_on(my_cpu());
	online[my_cpu()] = 1;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	for (;;) {
		__asm__ volatile("wfi" ::: "memory");
	}
}

static void check(const char *what, bool ok)
{
	printf("its: %s: %s\n", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

/* Waits up to 100 ms for vCPU cpu's count to pass before: whether it did. */
static bool arrived(unsigned cpu, unsigned before)
{
	uint64_t end = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) / 10;

	while (lpis_taken[cpu] == before && read_sysreg(cntvct_el0) < end) {
	}
	return lpis_taken[cpu] != before;
}

/* Raises something, then checks that exactly vCPU want (-1: none) took
 * LPI intid, once. */
static void expect_lpi(const char *what, int want, unsigned intid, void (*raise)(void))
{
	unsigned before[NR_VCPUS], i;
	bool ok = true;

	for (i = 0; i < NR_VCPUS; i++) {
		before[i] = lpis_taken[i];
	}
	raise();
	if (want >= 0) {
		ok = arrived((unsigned)want, before[want]) && last_lpi[want] == intid;
	} else {
		arrived(1, before[1]); /* give it the time it would take */
	}
	for (i = 0; i < NR_VCPUS; i++) {
		ok &= lpis_taken[i] - before[i] == ((int)i == want ? 1U : 0U);
	}
	printf("its: %s: LPIs taken by vcpus 0-3: %u %u %u %u\n", what, lpis_taken[0] - before[0],
	       lpis_taken[1] - before[1], lpis_taken[2] - before[2], lpis_taken[3] - before[3]);
	check(what, ok);
}

static void int_7_0(void) { its_event_cmd(ITS_CMD_INT, 7, 0); }
static void int_7_1(void) { its_event_cmd(ITS_CMD_INT, 7, 1); }
static void translate_5(void) { w32(GITS_BASE + GITS_TRANSLATER, 5); }
static void int_0_6(void) { its_event_cmd(ITS_CMD_INT, 0, 6); }
/* INV of device 0's event 5: LPI 8293, pending, is seen enabled now. */
static void inv_0_5(void) { its_event_cmd(ITS_CMD_INV, 0, 5); }

static void start_secondaries(void)
{
	static struct guest_start starts[NR_VCPUS];
	uint64_t end;
	unsigned i;

	for (i = 1; i < NR_VCPUS; i++) {
		starts[i] = (struct guest_start){
			its_secondary_stacks[i] + sizeof(its_secondary_stacks[i]), its_secondary };
		guest_cpu_on(i, &starts[i]);
	}
	end = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) * 5;
	while (online[1] + online[2] + online[3] < NR_VCPUS - 1 && read_sysreg(cntvct_el0) < end) {
	}
}

static void test_identification(void)
{
	uint64_t typer;

	check("GICD_TYPER.LPIS, IDbits 13", (r32(GICD_BASE + GICD_TYPER) & (1U << 17)) &&
						      ((r32(GICD_BASE + GICD_TYPER) >> 19) & 0x1f) == 13);
	check("GICR_TYPER.PLPIS", r64(GICR_BASE(2) + GICR_TYPER) & 1);
	typer = r64(GITS_BASE + GITS_TYPER); /* aborts where there is no ITS */
	check("GITS_TYPER physical, 8-byte ITEs, 16 DeviceID bits",
	      (typer & 1) && ((typer >> 4) & 0xf) == 7 && ((typer >> 13) & 0x1f) == 15);
}

static void test_bad_commands(void)
{
	/* An INTID that is no LPI, and an unknown command (GICv4's VMAPTI). */
	its_mapti(7, 1, 100, 1);
	its_cmd(0x2a, 0, 0, 0);
	check("bad MAPTI and unknown command skipped", its_caught_up());
	expect_lpi("INT of the badly mapped event", -1, 0, int_7_1);
}

static void test_stall(void)
{
	uint64_t at, *cmd;

	/* Device 9's ITT is past the VM's RAM: its MAPTI cannot be done. */
	its_mapd(9, 0x100000000000UL, 2);
	at = its_queue_end();
	its_mapti(9, 0, 8300, 1);
	check("table outside RAM stalls at its command",
	      r64(GITS_BASE + GITS_CREADR) == (at | GITS_CREADR_STALLED));
	/* Replace it with a SYNC, retry. */
	cmd = its_queue_at(at);
	cmd[0] = ITS_CMD_SYNC;
	cmd[2] = 1UL << 16;
	__asm__ volatile("dsb sy" ::: "memory");
	*(volatile uint64_t *)(GITS_BASE + GITS_CWRITER) = its_queue_end() | GITS_CWRITER_RETRY;
	check("Retry runs the queue again", its_caught_up());
}

int main(void)
{
	unsigned i;

	printf("its: start\n");
	cpu_interface_on(0);
	w32(GICD_BASE, 2); /* GICD_CTLR.EnableGrp1 */
	test_identification();
	start_secondaries();
	check("vcpus 1-3 online", online[1] + online[2] + online[3] == NR_VCPUS - 1);
	its_init(arena, NR_VCPUS);

	its_mapd(7, its_itt(0), 4);
	its_mapd(0, its_itt(1), 4);
	for (i = 0; i < NR_VCPUS; i++) {
		its_mapc(i, i);
	}
	its_mapti(7, 0, LPI_BASE + 100, 1);
	its_mapti(0, 5, LPI_BASE + 101, 1);
	its_mapti(0, 6, LPI_BASE + 102, 3);
	its_sync(1);
	check("commands done (CREADR = CWRITER)", its_caught_up());

	expect_lpi("INT to vcpu 1", 1, LPI_BASE + 100, int_7_0);
	expect_lpi("GITS_TRANSLATER to vcpu 1", 1, LPI_BASE + 101, translate_5);

	its_prop[101] = LPI_PRIORITY | 2; /* disabled */
	its_event_cmd(ITS_CMD_INV, 0, 5);
	expect_lpi("disabled LPI held back", -1, 0, translate_5);
	its_prop[101] = LPI_PRIORITY | 2 | 1;
	expect_lpi("enabled again after INV", 1, LPI_BASE + 101, inv_0_5);

	its_cmd(ITS_CMD_MOVI | 7UL << 32, 0, 2, 0);
	expect_lpi("INT after MOVI to vcpu 2", 2, LPI_BASE + 100, int_7_0);
	its_event_cmd(ITS_CMD_DISCARD, 7, 0);
	expect_lpi("INT after DISCARD", -1, 0, int_7_0);
	check("DISCARD then INT of it: queue goes on", its_caught_up());

	test_bad_commands();
	test_stall();
	expect_lpi("INT to vcpu 3 after all that", 3, LPI_BASE + 102, int_0_6);

	printf("its: done, %d failures\n", failures);
	psci_system_off();
}
