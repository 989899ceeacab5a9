/*
 * its: a guest checking the virtual ITS and LPIs, as a GICv3 driver uses
 * them, on a VM with 4 vCPUs and vireo,its = "on" (IHI 0069 chapter 5).
 *
 * vCPU 0 gives each redistributor a property table (all LPIs enabled at
 * priority 0xa0) and a pending table, sets EnableLPIs, gives the ITS a
 * device table, a collection table and a command queue, and maps
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
#include "guest.h"

#define GICD_BASE 0x08000000UL
#define GITS_BASE 0x08080000UL
#define GICR_BASE(i) (0x080a0000UL + 0x20000UL * (i))
#define GICD_TYPER 0x0004
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_TRANSLATER 0x10040

#define PSCI_CPU_ON 0xc4000003U
#define NR_VCPUS 4
#define LPI_BASE 8192
#define NR_LPIS 8192

#define CMD_MOVI 0x01
#define CMD_INT 0x03
#define CMD_SYNC 0x05
#define CMD_MAPD 0x08
#define CMD_MAPC 0x09
#define CMD_MAPTI 0x0a
#define CMD_INV 0x0c
#define CMD_DISCARD 0x0f
#define QUEUE_CMDS 128 /* one 4 KiB page */

/* Every table, carved out of one buffer at 64 KiB boundaries. */
#define SZ_64K 0x10000UL
static uint8_t arena[12 * SZ_64K];
static uint8_t *prop;            /* 8 KiB: LPIs 8192-16383 */
static uint8_t *pend[NR_VCPUS];  /* 64 KiB aligned, as PENDBASER wants */
static uint64_t *devices, *collections, *queue;
static uint8_t *itt;             /* device 0's and device 7's, 256 bytes each */
static unsigned written;         /* commands written */
static int failures;

static volatile unsigned lpis_taken[NR_VCPUS];
static volatile unsigned last_lpi[NR_VCPUS];
/* Set by each secondary once it takes interrupts (no atomics: the MMU is
 * off, and exclusives need Normal memory). */
static volatile unsigned online[NR_VCPUS];
uint8_t its_secondary_stacks[NR_VCPUS][8192] __attribute__((aligned(16)));
extern char its_secondary_entry[];

static void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static void w64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
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
void its_secondary(void)
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

static void queue_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t *c = queue + 4 * (written % QUEUE_CMDS);

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
	written++;
	__asm__ volatile("dsb sy" ::: "memory");
	w64(GITS_BASE + GITS_CWRITER, (written % QUEUE_CMDS) * 32);
}

static bool caught_up(void)
{
	return r64(GITS_BASE + GITS_CREADR) == (written % QUEUE_CMDS) * 32;
}

static void cmd_event(unsigned op, uint32_t dev, uint32_t event)
{
	queue_cmd(op | (uint64_t)dev << 32, event, 0, 0);
}

static void cmd_mapti(uint32_t dev, uint32_t event, uint32_t intid, uint16_t icid)
{
	queue_cmd(CMD_MAPTI | (uint64_t)dev << 32, event | (uint64_t)intid << 32, icid, 0);
}

static void cmd_mapd(uint32_t dev, uint64_t itt_addr, unsigned event_bits)
{
	queue_cmd(CMD_MAPD | (uint64_t)dev << 32, event_bits - 1, itt_addr | 1UL << 63, 0);
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

static void int_7_0(void) { cmd_event(CMD_INT, 7, 0); }
static void int_7_1(void) { cmd_event(CMD_INT, 7, 1); }
static void translate_5(void) { w32(GITS_BASE + GITS_TRANSLATER, 5); }
static void int_0_6(void) { cmd_event(CMD_INT, 0, 6); }
/* INV of device 0's event 5: LPI 8293, pending, is seen enabled now. */
static void inv_0_5(void) { cmd_event(CMD_INV, 0, 5); }

static void lpi_tables_on(void)
{
	unsigned i;

	for (i = 0; i < NR_LPIS; i++) {
		prop[i] = 0xa0 | 2 | 1; /* priority 0xa0, RES1, enabled */
	}
	for (i = 0; i < NR_VCPUS; i++) {
		w64(GICR_BASE(i) + GICR_PROPBASER, (uint64_t)prop | (14 - 1));
		w64(GICR_BASE(i) + GICR_PENDBASER, (uint64_t)pend[i]);
		w32(GICR_BASE(i) + GICR_CTLR, 1);
	}
	w64(GITS_BASE + GITS_BASER(0), (uint64_t)devices | 1UL << 63);
	w64(GITS_BASE + GITS_BASER(1), (uint64_t)collections | 1UL << 63);
	w64(GITS_BASE + GITS_CBASER, (uint64_t)queue | 1UL << 63);
	w64(GITS_BASE + GITS_CWRITER, 0);
	w32(GITS_BASE + GITS_CTLR, 1);
}

static void carve(void)
{
	uint8_t *p = (uint8_t *)(((uint64_t)arena + SZ_64K - 1) & ~(SZ_64K - 1));
	unsigned i;

	prop = p;
	for (i = 0; i < NR_VCPUS; i++) {
		pend[i] = p + SZ_64K * (1 + i);
	}
	devices = (uint64_t *)(p + SZ_64K * 5);
	collections = (uint64_t *)(p + SZ_64K * 6);
	queue = (uint64_t *)(p + SZ_64K * 7);
	itt = p + SZ_64K * 8;
}

static void start_secondaries(void)
{
	uint64_t end;
	unsigned i;

	for (i = 1; i < NR_VCPUS; i++) {
		hvc_call(PSCI_CPU_ON, i, (uint64_t)its_secondary_entry,
			 (uint64_t)(its_secondary_stacks[i] + sizeof(its_secondary_stacks[i])));
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
	cmd_mapti(7, 1, 100, 1);
	queue_cmd(0x2a, 0, 0, 0);
	check("bad MAPTI and unknown command skipped", caught_up());
	expect_lpi("INT of the badly mapped event", -1, 0, int_7_1);
}

static void test_stall(void)
{
	uint64_t at;

	/* Device 9's ITT is past the VM's RAM: its MAPTI cannot be done. */
	cmd_mapd(9, 0x100000000000UL, 2);
	at = (written % QUEUE_CMDS) * 32;
	cmd_mapti(9, 0, 8300, 1);
	check("table outside RAM stalls at its command",
	      r64(GITS_BASE + GITS_CREADR) == (at | 1));
	/* Replace it with a SYNC, retry. */
	queue[4 * (at / 32)] = CMD_SYNC;
	queue[4 * (at / 32) + 2] = 1UL << 16;
	__asm__ volatile("dsb sy" ::: "memory");
	w64(GITS_BASE + GITS_CWRITER, r64(GITS_BASE + GITS_CWRITER) | 1);
	check("Retry runs the queue again", caught_up());
}

int main(void)
{
	unsigned i;

	printf("its: start\n");
	carve();
	cpu_interface_on(0);
	w32(GICD_BASE, 2); /* GICD_CTLR.EnableGrp1 */
	test_identification();
	start_secondaries();
	check("vcpus 1-3 online", online[1] + online[2] + online[3] == NR_VCPUS - 1);
	lpi_tables_on();

	cmd_mapd(7, (uint64_t)itt, 4);
	cmd_mapd(0, (uint64_t)itt + 256, 4);
	for (i = 0; i < NR_VCPUS; i++) {
		queue_cmd(CMD_MAPC, 0, i | (uint64_t)i << 16 | 1UL << 63, 0);
	}
	cmd_mapti(7, 0, LPI_BASE + 100, 1);
	cmd_mapti(0, 5, LPI_BASE + 101, 1);
	cmd_mapti(0, 6, LPI_BASE + 102, 3);
	queue_cmd(CMD_SYNC, 0, 1UL << 16, 0);
	check("commands done (CREADR = CWRITER)", caught_up());

	expect_lpi("INT to vcpu 1", 1, LPI_BASE + 100, int_7_0);
	expect_lpi("GITS_TRANSLATER to vcpu 1", 1, LPI_BASE + 101, translate_5);

	prop[101] = 0xa0 | 2; /* disabled */
	cmd_event(CMD_INV, 0, 5);
	expect_lpi("disabled LPI held back", -1, 0, translate_5);
	prop[101] = 0xa0 | 2 | 1;
	expect_lpi("enabled again after INV", 1, LPI_BASE + 101, inv_0_5);

	queue_cmd(CMD_MOVI | 7UL << 32, 0, 2, 0);
	expect_lpi("INT after MOVI to vcpu 2", 2, LPI_BASE + 100, int_7_0);
	cmd_event(CMD_DISCARD, 7, 0);
	expect_lpi("INT after DISCARD", -1, 0, int_7_0);
	check("DISCARD then INT of it: queue goes on", caught_up());

	test_bad_commands();
	test_stall();
	expect_lpi("INT to vcpu 3 after all that", 3, LPI_BASE + 102, int_0_6);

	printf("its: done, %d failures\n", failures);
	psci_system_off();
}
