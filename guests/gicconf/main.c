/*
 * gicconf: checks of the interrupt state a guest sees, register by
 * register, as an architecture test suite would make them.
 *
 * The timers' interrupts are levels (Arm ARM D11.2.4; GIC IHI 0069 4.1,
 * IHI 0048B 1.4.2): with interrupts masked at PSTATE, the virtual timer
 * (PPI 27) and the EL1 physical timer (PPI 30) are made to fire, and their
 * pending bits (GICR_ISPENDR0, or GICD_ISPENDR0 on a GICv2) must show it;
 * then disabling the timer, masking it (IMASK) or rearming it into the
 * future must clear the bit, and no interrupt may arrive once PSTATE
 * unmasks; the interrupt disabled at the GIC while the timer fires, then
 * the timer disabled and the interrupt enabled again, must stay quiet too.
 * After all that, the virtual timer rearmed into the past must still
 * interrupt (its physical interrupt neither lost nor left active).
 *
 * On a GICv2 (the distributor says so in GICD_PIDR2), with 4 vCPUs:
 *   - an SGI carries its sender in GICC_IAR (CPUID, bits [12:10]): vCPU 2
 *     sends to vCPU 0; vCPUs 1 and 3 both send the same SGI to vCPU 0,
 *     which, interrupts masked, sees both senders in GICD_SPENDSGIR and
 *     then takes it once from each;
 *   - GICD_SGIR's filters reach exactly the right vCPUs: all but self,
 *     self only, and the list;
 *   - GICD_ITARGETSR keeps what a word or a byte write put there, and an
 *     SPI pended with two targets is taken by one of them only;
 *   - GICD_ICFGR by a byte, GICD_IPRIORITYR's five bits.
 * The other vCPUs run a loop that writes GICD_SGIR when vCPU 0 asks, and
 * take interrupts throughout, logging what GICC_IAR said.
 *
 * Every check prints one line, "gicconf: NAME: ok" or "gicconf: NAME:
 * FAILED (...)", then "gicconf: done, N failed". The integration tests
 * (tests/integration/cases_gic.py) read them.
 */
#include "guest.h"

#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL
#define GICR_BASE 0x080a0000UL /* vCPU 0's redistributor */
#define GICR_SGI_BASE (GICR_BASE + 0x10000)

#define GICD_CTLR 0x000
#define ISENABLER 0x100
#define ICENABLER 0x180
#define ISPENDR 0x200
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_SPENDSGIR 0xf20
#define GICD_V2_PIDR2 0xfe8
#define GICR_WAKER 0x14
#define GICR_IGROUPR0 0x80
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

#define SGIR(filter, list, intid) ((uint32_t)(filter) << 24 | (uint32_t)(list) << 16 | (intid))
#define FILTER_LIST 0
#define FILTER_OTHERS 1
#define FILTER_SELF 2

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define SPI_TEST 120 /* no device's */

#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL

#define NR_CPUS 4
#define LOG_SIZE 16
#define STACK_SIZE 8192
#define PSCI_CPU_ON 0xc4000003U

uint8_t gicconf_stacks[NR_CPUS][STACK_SIZE] __attribute__((aligned(16)));
extern char gicconf_secondary_entry[];

/* Per vCPU: what it took (GICC_IAR values), and its mailbox from vCPU 0. */
static struct cpu {
	volatile uint32_t n;
	volatile uint32_t iar[LOG_SIZE];
	volatile uint32_t online;
	volatile uint32_t asked, done; /* sequence numbers */
	volatile uint32_t sgir;
} cpus[NR_CPUS];

static bool v2;
static int failures;

static void wr32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static uint32_t rd32(uint64_t a)
{
	return *(volatile uint32_t *)a;
}

static void wr8(uint64_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static unsigned cpu_index(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static void check(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("gicconf: %s: ", name);
	if (ok) {
		printf("ok\n");
		return;
	}
	failures++;
	printf("FAILED (");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

/* ---- interrupts ------------------------------------------------------------ */

static uint32_t ack(void)
{
	return v2 ? rd32(GICC_BASE + GICC_IAR) : (uint32_t)read_sysreg(icc_iar1_el1);
}

static void end(uint32_t iar)
{
	if (v2) {
		wr32(GICC_BASE + GICC_EOIR, iar);
	} else {
		write_sysreg(icc_eoir1_el1, iar);
	}
}

void guest_exception(struct guest_frame *f, int vector)
{
	struct cpu *c = &cpus[cpu_index()];
	uint32_t iar, intid;

	if (vector != VEC_CUR_SPX_IRQ) {
		guest_unhandled(f, vector);
	}
	iar = ack();
	intid = iar & 0x3ff;
	if (intid >= 1020) {
		return;
	}
	/* Take the timers' levels away, or they would interrupt again. */
	if (intid == PPI_VTIMER) {
		write_sysreg(cntv_ctl_el0, CTL_IMASK);
	} else if (intid == PPI_PTIMER) {
		write_sysreg(cntp_ctl_el0, CTL_IMASK);
	}
	isb();
	end(iar);
	if (c->n < LOG_SIZE) {
		c->iar[c->n] = iar;
	}
	c->n++;
}

/* The per-interrupt registers of the reader's private interrupts. */
static uint64_t private_regs(void)
{
	return v2 ? GICD_BASE : GICR_SGI_BASE;
}

static bool pending(unsigned intid)
{
	return rd32(private_regs() + ISPENDR) & (1U << intid);
}

static void set_enabled(unsigned intid, bool on)
{
	wr32(private_regs() + (on ? ISENABLER : ICENABLER), 1U << intid);
}

static void cpu_interface_on(void)
{
	if (v2) {
		wr32(GICC_BASE + GICC_PMR, 0xff);
		wr32(GICC_BASE + GICC_CTLR, 1); /* group 0, as IRQs */
		wr32(GICD_BASE + ISENABLER, 0xffff);
		return;
	}
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	wr32(GICR_BASE + GICR_WAKER, rd32(GICR_BASE + GICR_WAKER) & ~2U);
	while (rd32(GICR_BASE + GICR_WAKER) & 4U) {
	}
	wr32(GICR_SGI_BASE + GICR_IGROUPR0, ~0U);
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void irqs_on(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static void irqs_off(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Interrupts unmasked for ms milliseconds: how many vCPU 0 took. */
static unsigned taken_in(unsigned ms)
{
	uint64_t end_at = now() + read_sysreg(cntfrq_el0) / 1000 * ms;
	unsigned before = cpus[0].n;

	irqs_on();
	while (now() < end_at) {
	}
	irqs_off();
	return cpus[0].n - before;
}

static unsigned all_taken(void)
{
	unsigned i, n = 0;

	for (i = 0; i < NR_CPUS; i++) {
		n += cpus[i].n;
	}
	return n;
}

/* Interrupts unmasked until the vCPUs have taken want in all (at most 2 s:
 * the other vCPUs' host CPUs may be busy), then 20 ms more for any extra. */
static void settle(unsigned want)
{
	uint64_t end_at = now() + 2 * read_sysreg(cntfrq_el0);

	irqs_on();
	while (all_taken() < want && now() < end_at) {
	}
	irqs_off();
	taken_in(20);
}

/* Waits for the pending bit to be as wanted: at most 5 s of the counter,
 * which is host time when QEMU runs without -icount, as these cases do (a
 * fresh-clone CI run on a loaded host once saw 1 s pass on the Raspberry
 * Pi without the emulated physical timer's interrupt turning up). */
static bool wait_pending(unsigned intid, bool want)
{
	uint64_t end_at = now() + 5 * read_sysreg(cntfrq_el0);

	while (pending(intid) != want) {
		if (now() > end_at) {
			return false;
		}
	}
	return true;
}

/* ---- the timers' levels ------------------------------------------------------ */

enum timer_kind { VIRT, PHYS };

static void timer_write(enum timer_kind t, uint64_t ctl, uint64_t cval)
{
	if (t == VIRT) {
		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, ctl);
	} else {
		write_sysreg(cntp_cval_el0, cval);
		write_sysreg(cntp_ctl_el0, ctl);
	}
	isb();
}

static uint64_t counter(enum timer_kind t)
{
	isb();
	return t == VIRT ? read_sysreg(cntvct_el0) : read_sysreg(cntpct_el0);
}

/* The timer fired (its deadline just passed), interrupts masked: its
 * interrupt must be pending. */
static bool fire(enum timer_kind t, unsigned intid)
{
	timer_write(t, CTL_ENABLE, counter(t) + read_sysreg(cntfrq_el0) / 1000);
	return wait_pending(intid, true);
}

enum how { DISABLE, MASK, REARM };

static void check_lowered(enum timer_kind t, enum how how)
{
	static const char *const names[2][3] = {
		{ "vtimer disabled", "vtimer masked", "vtimer rearmed" },
		{ "ptimer disabled", "ptimer masked", "ptimer rearmed" },
	};
	unsigned intid = t == VIRT ? PPI_VTIMER : PPI_PTIMER;
	uint64_t far = counter(t) + 1000 * read_sysreg(cntfrq_el0);
	bool fired = fire(t, intid), still;
	unsigned taken;

	if (how == DISABLE) {
		timer_write(t, 0, far);
	} else if (how == MASK) {
		timer_write(t, CTL_ENABLE | CTL_IMASK, 0);
	} else {
		timer_write(t, CTL_ENABLE, far);
	}
	still = pending(intid);
	taken = taken_in(20);
	check(names[t][how], fired && !still && taken == 0, "fired=%d pending after=%d taken=%u",
	      fired, still, taken);
	timer_write(t, 0, 0);
}

/* Disabled at the GIC while it fires, the timer then disabled: enabling
 * the interrupt again must bring nothing. */
static void check_enabled_late(void)
{
	unsigned before = cpus[0].n, taken;
	bool fired, still;

	set_enabled(PPI_VTIMER, false);
	fired = fire(VIRT, PPI_VTIMER);
	timer_write(VIRT, 0, 0);
	irqs_on();
	set_enabled(PPI_VTIMER, true);
	irqs_off();
	still = pending(PPI_VTIMER);
	taken = taken_in(20) + (cpus[0].n - before);
	check("vtimer enabled at the GIC after disabling", fired && !still && taken == 0,
	      "fired=%d pending after=%d taken=%u", fired, still, taken);
}

/* After all the above the timer still interrupts: once. */
static void check_still_fires(void)
{
	unsigned before = all_taken(), taken;

	timer_write(VIRT, CTL_ENABLE, 0);
	settle(before + 1);
	taken = all_taken() - before;
	check("vtimer fires after", taken == 1 && (cpus[0].iar[cpus[0].n - 1] & 0x3ff) == PPI_VTIMER,
	      "taken=%u", taken);
	timer_write(VIRT, 0, 0);
}

static void timer_checks(void)
{
	enum how how;

	set_enabled(PPI_VTIMER, true);
	set_enabled(PPI_PTIMER, true);
	for (how = DISABLE; how <= REARM; how++) {
		check_lowered(VIRT, how);
		check_lowered(PHYS, how);
	}
	check_enabled_late();
	check_still_fires();
}

/* ---- GICv2: SGIs, targets, configuration -------------------------------------- */

void gicconf_secondary(uint64_t idx)
{
	struct cpu *c = &cpus[idx];

	guest_install_vectors();
	cpu_interface_on();
	c->online = 1;
	irqs_on();
	for (;;) {
		if (c->asked != c->done) {
			wr32(GICD_BASE + GICD_SGIR, c->sgir);
			c->done = c->asked;
		}
	}
}

/* vCPU idx writes GICD_SGIR; returns once it has. */
static void sgir_from(unsigned idx, uint32_t val)
{
	struct cpu *c = &cpus[idx];

	if (idx == 0) {
		wr32(GICD_BASE + GICD_SGIR, val);
		return;
	}
	c->sgir = val;
	c->asked++;
	while (c->done != c->asked) {
	}
}

static void clear_logs(void)
{
	unsigned i;

	for (i = 0; i < NR_CPUS; i++) {
		cpus[i].n = 0;
	}
}

/* Which vCPUs took interrupt intid once want interrupts were taken (vCPU
 * 0 with interrupts unmasked meanwhile), and how often in all. */
static unsigned takers(unsigned intid, unsigned want, unsigned *count)
{
	unsigned i, j, mask = 0;

	settle(want);
	*count = 0;
	for (i = 0; i < NR_CPUS; i++) {
		for (j = 0; j < cpus[i].n && j < LOG_SIZE; j++) {
			if ((cpus[i].iar[j] & 0x3ff) == intid) {
				mask |= 1U << i;
				(*count)++;
			}
		}
	}
	return mask;
}

static void check_sgi_sources(void)
{
	unsigned taken;
	uint32_t spend;

	clear_logs();
	sgir_from(2, SGIR(FILTER_LIST, 0x1, 3));
	settle(1);
	taken = cpus[0].n;
	check("sgi source in iar", taken == 1 && cpus[0].iar[0] == (3 | 2 << 10),
	      "taken=%u iar=0x%x", taken, cpus[0].iar[0]);

	clear_logs();
	sgir_from(1, SGIR(FILTER_LIST, 0x1, 4));
	sgir_from(3, SGIR(FILTER_LIST, 0x1, 4));
	spend = rd32(GICD_BASE + GICD_SPENDSGIR + 4) & 0xff;
	settle(2);
	taken = cpus[0].n;
	check("sgi pending per sender", spend == 0x0a && taken == 2 &&
	      cpus[0].iar[0] == (4 | 1 << 10) && cpus[0].iar[1] == (4 | 3 << 10),
	      "spendsgir=0x%x taken=%u iars=0x%x,0x%x", spend, taken, cpus[0].iar[0], cpus[0].iar[1]);
}

static unsigned bits_set(unsigned mask)
{
	unsigned n = 0;

	for (; mask; mask &= mask - 1) {
		n++;
	}
	return n;
}

static void check_filter(const char *name, unsigned from, uint32_t sgir, unsigned want)
{
	unsigned mask, count;

	clear_logs();
	sgir_from(from, sgir);
	mask = takers(sgir & 0xf, bits_set(want), &count);
	check(name, mask == want && count == bits_set(want),
	      "taken by 0x%x, %u times, want 0x%x", mask, count, want);
}

static void check_targets(void)
{
	uint32_t word, bytes;
	unsigned mask, count;

	wr32(GICD_BASE + GICD_ITARGETSR + 100, 0x0103020f);
	word = rd32(GICD_BASE + GICD_ITARGETSR + 100);
	wr8(GICD_BASE + GICD_ITARGETSR + 105, 0x04);
	wr8(GICD_BASE + GICD_ITARGETSR + 106, 0x0a);
	bytes = rd32(GICD_BASE + GICD_ITARGETSR + 104);
	check("itargetsr reads back", word == 0x0103020f && (bytes & 0x00ffff00) == 0x000a0400,
	      "word 0x%x, bytes 0x%x", word, bytes);

	/* Two targets: one of them takes it, once. */
	clear_logs();
	wr8(GICD_BASE + GICD_ITARGETSR + SPI_TEST, 0x0c);
	wr32(GICD_BASE + ISENABLER + SPI_TEST / 32 * 4, 1U << (SPI_TEST % 32));
	wr32(GICD_BASE + ISPENDR + SPI_TEST / 32 * 4, 1U << (SPI_TEST % 32));
	mask = takers(SPI_TEST, 1, &count);
	check("spi to one of its targets", (mask == 0x4 || mask == 0x8) && count == 1,
	      "taken by 0x%x, %u times", mask, count);
}

static void check_config(void)
{
	uint32_t cfg, prio;

	wr8(GICD_BASE + GICD_ICFGR + SPI_TEST / 4 + 1, 0x82); /* 124 and 127 edge */
	cfg = rd32(GICD_BASE + GICD_ICFGR + SPI_TEST / 16 * 4);
	check("icfgr byte", ((cfg >> (2 * (SPI_TEST % 16))) & 0xffff) == 0x8200, "icfgr 0x%x", cfg);
	wr8(GICD_BASE + GICD_IPRIORITYR + SPI_TEST + 1, 0xff);
	prio = rd32(GICD_BASE + GICD_IPRIORITYR + SPI_TEST);
	check("ipriorityr five bits", ((prio >> 8) & 0xff) == 0xf8, "ipriorityr 0x%x", prio);
}

static bool start_others(void)
{
	unsigned i;
	uint64_t end_at;

	for (i = 1; i < NR_CPUS; i++) {
		if (hvc_call(PSCI_CPU_ON, i, (uint64_t)gicconf_secondary_entry, i) != 0) {
			return false;
		}
	}
	end_at = now() + read_sysreg(cntfrq_el0);
	for (i = 1; i < NR_CPUS; i++) {
		while (!cpus[i].online) {
			if (now() > end_at) {
				return false;
			}
		}
	}
	return true;
}

static void v2_checks(void)
{
	if (!start_others()) {
		check("other vCPUs online", false, "needs %d vCPUs", NR_CPUS);
		return;
	}
	check_sgi_sources();
	check_filter("sgir all but self", 1, SGIR(FILTER_OTHERS, 0, 6), 0xd);
	check_filter("sgir self", 3, SGIR(FILTER_SELF, 0x1, 7), 0x8);
	check_filter("sgir list", 0, SGIR(FILTER_LIST, 0x6, 8), 0x6);
	check_targets();
	check_config();
}

int main(void)
{
	v2 = ((rd32(GICD_BASE + GICD_V2_PIDR2) >> 4) & 0xf) == 2;
	printf("gicconf: start, GICv%d\n", v2 ? 2 : 3);
	cpu_interface_on();
	wr32(GICD_BASE + GICD_CTLR, v2 ? 1 : 2); /* group 0 (v2), group 1 (v3) */
	timer_checks();
	if (v2) {
		v2_checks();
	}
	printf("gicconf: done, %d failed\n", failures);
	psci_system_off();
}
