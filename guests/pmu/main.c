/*
 * pmu: the PMU a guest is told of counts, filters, overflows and stays
 * its own.
 *
 * Phases, each a line the integration tests check:
 *   - "pmu: PMUv3 version V, N counters, implementer 0x.." from
 *     ID_AA64DFR0_EL1 and PMCR_EL0 (N > 0 is required); "pmu: none" and
 *     power-off without a PMU;
 *   - the cycle counter increases monotonically over 1000 reads;
 *   - counts only the guest: over 1000 trapped accesses (reads of
 *     PMCEID0, each hundreds of instructions in Vireo at EL2), the cycle
 *     counter and an INST_RETIRED counter (where the PMU has the event;
 *     exact under -icount) grow by the guest's few instructions;
 *   - an event counter (CPU_CYCLES) with EL1 filtered out counts nothing
 *     while one without the filter counts;
 *   - PMSWINC increments a SW_INCR counter;
 *   - an overflow interrupt (PPI 23) arrives from a counter preloaded
 *     near 0xffffffff, and stops once PMOVSCLR clears the flag;
 *   - at EL0, a cycle counter read traps to EL1 with PMUSERENR 0 and
 *     allowed with PMUSERENR.CR;
 *   - with two vCPUs on one physical CPU (the test places them), each
 *     vCPU's counters keep the values it gave them while the other counts.
 */
#include "guest.h"

#define PSCI_CPU_ON 0xc4000003U

#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080a0000UL /* vCPU 0's redistributor */
#define GICR_SGI_BASE (GICR_BASE + 0x10000)
#define GICR_WAKER 0x14
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define PPI_PMU 23

#define PMCR_E (1UL << 0)
#define PMCR_P (1UL << 1)
#define PMCR_C (1UL << 2)
#define PMCR_N(v) (((v) >> 11) & 0x1f)
#define PMCR_IMP(v) (((v) >> 24) & 0xff)
#define FILTER_P (1UL << 31)
#define CYCLE (1UL << 31)
#define EVT_SW_INCR 0x00
#define EVT_INST_RETIRED 0x08
#define EVT_CPU_CYCLES 0x11

void pmu_run_el0(void (*entry)(void), uint8_t *stack);
void pmu_el0_code(void);
extern char pmu_el0_return[];
static uint8_t pmu_stack[8192] __attribute__((aligned(16))); /* vCPU 1's */
static uint8_t el0_stack[4096] __attribute__((aligned(16)));
static volatile int el0_undefs;
static volatile uint64_t el0_x0, el0_ec = ~0UL;

static volatile uint32_t last_irq = 1023;
static volatile int irqs;
static volatile uint64_t irq_ovs;
static volatile int phase[2];
static volatile int failures;

static void fail(const char *what, uint64_t a, uint64_t b)
{
	printf("pmu: FAILED: %s (0x%lx, 0x%lx)\n", what, a, b);
	failures++;
}

void guest_exception(struct guest_frame *f, int vector)
{
	uint32_t intid;

	if (vector == VEC_LOW64_SYNC && ESR_EC(f->esr) == ESR_EC_SVC64) {
		el0_x0 = f->x[0];
		f->elr = (uint64_t)pmu_el0_return;
		f->spsr = 0x3c5; /* EL1h, DAIF masked */
		return;
	}
	/* A trapped MRS (EC 0x18), as the Arm ARM has PMUSERENR trap it, or
	 * an undefined instruction (EC 0): either way EL0 did not read. */
	if (vector == VEC_LOW64_SYNC && (ESR_EC(f->esr) == 0x18 || ESR_EC(f->esr) == 0)) {
		el0_undefs++;
		el0_ec = ESR_EC(f->esr);
		f->elr += 4;
		return;
	}
	if (vector != VEC_CUR_SPX_IRQ) {
		guest_unhandled(f, vector);
	}
	intid = read_sysreg(icc_iar1_el1) & 0xffffff;
	if (intid == PPI_PMU) {
		irq_ovs = read_sysreg(pmovsset_el0);
		write_sysreg(pmovsclr_el0, irq_ovs); /* drops the level */
		isb();
	}
	write_sysreg(icc_eoir1_el1, intid);
	last_irq = intid;
	irqs++;
}

static void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static void gic_init(void)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~2U);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & 4U) {
	}
	mmio_write32(GICR_SGI_BASE + GICR_IGROUPR0, ~0U);
	mmio_write32(GICR_SGI_BASE + GICR_ISENABLER0, 1U << PPI_PMU);
	mmio_write32(GICD_BASE, 2); /* GICD_CTLR.EnableGrp1 */
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static void monotonic(void)
{
	uint64_t prev, now;
	int i;

	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmcntenset_el0, CYCLE);
	write_sysreg(pmcr_el0, PMCR_E | PMCR_C);
	isb();
	prev = read_sysreg(pmccntr_el0);
	for (i = 0; i < 1000; i++) {
		now = read_sysreg(pmccntr_el0);
		if (now < prev) {
			fail("cycle counter went back", prev, now);
			return;
		}
		prev = now;
	}
	printf("pmu: cycle counter monotonic over 1000 reads, %s\n",
	       now > 0 ? "moving" : "STOPPED");
}

/* 1000 trapped accesses: a few guest instructions each, many in Vireo. */
static void __attribute__((noinline)) trap_loop(void)
{
	for (int i = 0; i < 1000; i++) {
		uint64_t v = read_sysreg(pmceid0_el0);

		__asm__ volatile("" : : "r"(v));
	}
}

static void guest_only(void)
{
	bool inst = read_sysreg(pmceid0_el0) & (1UL << EVT_INST_RETIRED);
	uint64_t c0, c1, i0 = 0, i1 = 0;

	write_sysreg(pmevtyper0_el0, EVT_INST_RETIRED);
	write_sysreg(pmevcntr0_el0, 0);
	write_sysreg(pmcntenset_el0, CYCLE | 1);
	isb();
	c0 = read_sysreg(pmccntr_el0);
	i0 = read_sysreg(pmevcntr0_el0);
	trap_loop();
	c1 = read_sysreg(pmccntr_el0);
	i1 = read_sysreg(pmevcntr0_el0);
	write_sysreg(pmcntenclr_el0, 1);
	printf("pmu: 1000 trapped reads: %lu cycles, %s %lu instructions\n", c1 - c0,
	       inst ? "INST_RETIRED" : "no INST_RETIRED event,", i1 - i0);
	if (c1 - c0 > 50000) {
		fail("the cycle counter counted Vireo", c0, c1);
	}
	if (inst && (i1 - i0 < 1000 || i1 - i0 > 20000)) {
		fail("INST_RETIRED counted more than the guest", i0, i1);
	}
}

static void filtered(void)
{
	uint64_t f, u;

	write_sysreg(pmevtyper0_el0, FILTER_P | EVT_CPU_CYCLES);
	write_sysreg(pmevtyper1_el0, EVT_CPU_CYCLES);
	write_sysreg(pmevcntr0_el0, 0);
	write_sysreg(pmevcntr1_el0, 0);
	write_sysreg(pmcntenset_el0, 3);
	isb();
	for (volatile int i = 0; i < 10000; i++) {
	}
	write_sysreg(pmcntenclr_el0, 3);
	isb();
	f = read_sysreg(pmevcntr0_el0);
	u = read_sysreg(pmevcntr1_el0);
	printf("pmu: CPU_CYCLES with EL1 filtered out: %lu, unfiltered: %s\n", f,
	       u > 10000 ? "counting" : "STOPPED");
	if (f != 0 || u <= 10000) {
		fail("EL1 filter", f, u);
	}
}

static void swinc(void)
{
	uint64_t c;

	write_sysreg(pmevtyper2_el0, EVT_SW_INCR);
	write_sysreg(pmevcntr2_el0, 5);
	write_sysreg(pmcntenset_el0, 4);
	isb();
	write_sysreg(pmswinc_el0, 4);
	write_sysreg(pmswinc_el0, 4 | 1); /* counter 0 is disabled: no effect */
	c = read_sysreg(pmevcntr2_el0);
	write_sysreg(pmcntenclr_el0, 4);
	printf("pmu: PMSWINC: SW_INCR counter 5 -> %lu\n", c);
	if (c != 7) {
		fail("PMSWINC", c, 7);
	}
}

static void overflow(void)
{
	write_sysreg(pmevtyper2_el0, EVT_CPU_CYCLES);
	write_sysreg(pmevcntr2_el0, 0xffffff00UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	write_sysreg(pmintenset_el1, 4);
	write_sysreg(pmcntenset_el0, 4);
	isb();
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	/* Trapped reads in the loop: QEMU notices a counter's overflow when
	 * the CPU changes exception level, not as it happens. */
	for (int i = 0; i < 10000 && irqs == 0; i++) {
		uint64_t v = read_sysreg(pmceid0_el0);

		__asm__ volatile("" : : "r"(v));
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	write_sysreg(pmcntenclr_el0, 4);
	write_sysreg(pmintenclr_el1, 4);
	isb();
	printf("pmu: overflow: %d interrupt(s), intid %u, pmovs 0x%lx\n", irqs, last_irq,
	       irq_ovs);
	if (irqs != 1 || last_irq != PPI_PMU || irq_ovs != 4 || read_sysreg(pmovsset_el0)) {
		fail("overflow interrupt", irqs, irq_ovs);
	}
}

/* PMUSERENR: EL0 reads the cycle counter only when it says so. */
static void el0_access(void)
{
	uint64_t denied, allowed;

	write_sysreg(pmuserenr_el0, 0);
	isb();
	pmu_run_el0(pmu_el0_code, el0_stack + sizeof(el0_stack));
	denied = el0_x0;
	write_sysreg(pmuserenr_el0, 1UL << 2); /* CR */
	isb();
	pmu_run_el0(pmu_el0_code, el0_stack + sizeof(el0_stack));
	allowed = el0_x0;
	write_sysreg(pmuserenr_el0, 0);
	printf("pmu: EL0 PMCCNTR read: PMUSERENR 0 %s (ec 0x%lx), CR %s\n",
	       el0_undefs == 1 && denied == 0xbad ? "trapped" : "ALLOWED", el0_ec,
	       el0_undefs == 1 && allowed != 0xbad ? "allowed" : "UNDEFINED");
	if (el0_undefs != 1 || denied != 0xbad || allowed == 0xbad) {
		fail("PMUSERENR", denied, allowed);
	}
}

/* Two vCPUs on one CPU: each gives counter 0 (stopped) a value of its
 * own and waits in turns with the other, whose cycle counter and counter
 * 1 run; its own must not move. */
static void keep_own(unsigned id)
{
	uint64_t mine = id ? 0x1234 : 0xabcdef, got;
	unsigned other = 1 - id;

	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmevtyper0_el0, EVT_CPU_CYCLES);
	write_sysreg(pmevtyper1_el0, EVT_CPU_CYCLES);
	write_sysreg(pmevcntr0_el0, mine);
	write_sysreg(pmccntr_el0, mine);
	write_sysreg(pmcntenset_el0, 2);
	write_sysreg(pmcr_el0, PMCR_E);
	isb();
	for (int r = 1; r <= 8; r++) {
		phase[id] = r;
		while (phase[other] < r) {
		}
	}
	got = read_sysreg(pmevcntr0_el0);
	if (got != mine || read_sysreg(pmccntr_el0) != mine || read_sysreg(pmevcntr1_el0) == 0) {
		fail("counters changed while the other vCPU ran", got, read_sysreg(pmccntr_el0));
	}
	printf("pmu: vCPU %u: own counters kept (0x%lx)\n", id, got);
	phase[id] = 100;
}

static void pmu_secondary(void)
{
	guest_install_vectors();
	keep_own(1);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

int main(void)
{
	unsigned ver = (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf;
	uint64_t pmcr;

	guest_install_vectors();
	if (ver == 0 || ver == 0xf) {
		puts("pmu: none");
		psci_system_off();
	}
	pmcr = read_sysreg(pmcr_el0);
	printf("pmu: PMUv3 version %u, %lu counters, implementer 0x%lx\n", ver, PMCR_N(pmcr),
	       PMCR_IMP(pmcr));
	if (PMCR_N(pmcr) < 3) {
		fail("fewer than 3 counters", pmcr, 0);
		psci_system_off();
	}
	gic_init();
	monotonic();
	guest_only();
	filtered();
	swinc();
	overflow();
	el0_access();
	static const struct guest_start start = { pmu_stack + sizeof(pmu_stack), pmu_secondary };

	if (guest_cpu_on(1, &start) == 0) {
		keep_own(0);
		while (phase[1] != 100) {
		}
	} else {
		puts("pmu: one vCPU only");
	}
	puts(failures ? "pmu: FAILED" : "pmu: done");
	psci_system_off();
}
