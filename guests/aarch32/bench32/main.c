/*
 * bench32: the 32-bit counterparts of guests/bench's figures null_hvc,
 * mmio_gicd_typer, mmio_uartfr and vtimer_busy, for an AArch32 VM.
 *
 * Meant, like guests/bench, for QEMU with -icount shift=0,sleep=off, where
 * each instruction is a nanosecond and the counter tells the time to the
 * instruction (bench32.S's ladders); it also runs natively on QEMU for the
 * comparison. An operation's cost is the time from just before it to just
 * after it, less the same with nothing in between, measured REPS times
 * after one untimed run; the virtual timer's latency is the time of its
 * handler's first instruction less the deadline (CNTV_CVAL, in ns), with
 * the guest spinning, IRQ_REPS times. The checks of the method are
 * guests/bench's: the stretch with nothing in it must measure the same
 * every time, and 1,000,000 turns of a 2-instruction loop 2,000,000.
 *
 * The VM's GIC must be a GICv3 (its CPU interface through CP15); with a
 * GICv2 the timer figure is left out with an error line. It prints one
 * line per figure in guests/bench's format, "bench: NAME instr=N min=A
 * max=B n=R", between "bench: start cpus=1 cntfrq=F" and "bench: done".
 */
#include "guest32.h"

#define REPS         64
#define IRQ_REPS     16
#define TIMER_AHEAD  1000 /* counter ticks: 16000 instructions at 62.5 MHz */
#define HANDLER_READ 4    /* the handler's ladder, after its first instruction */
#define LADDER       28   /* reads: two sections of 14 */
#define SECTION      14
#define SECTION_B_AT 24   /* section B's first read, after section A's first */

#define GICD_TYPER   0x4
#define GICD_CTLR    0x0
#define GICD_CTLR_ENABLE_G1 (1U << 1)
#define GICD_PIDR2_V2 0xfe8
#define GICD_PIDR2_V3 0xffe8
#define GICR_BASE    0x080a0000U
#define GICR_WAKER   0x14
#define GICR_SGI     0x10000
#define GICR_IGROUPR0   0x80
#define GICR_ISENABLER0 0x100
#define UARTFR       0x18
#define INTID_VTIMER 27
#define CTL_ENABLE   1U

/* What bench32.S keeps outside registers (its ST_* offsets). */
struct bench32_state {
	volatile uint32_t arg, sp, ret, irq_sp;
	volatile uint32_t count, intid;
};
_Static_assert(offsetof(struct bench32_state, count) == 16, "ST_COUNT");
_Static_assert(offsetof(struct bench32_state, intid) == 20, "ST_INTID");

struct bench32_state bench32_state;
volatile uint32_t bench32_ladder1[LADDER], bench32_ladder2[LADDER], bench32_irq_ladder[LADDER];
extern char bench32_vectors[];

typedef uint32_t timed_fn(uint32_t arg);
timed_fn timed_nothing, op_null_hvc, op_gicd_typer, op_uartfr, op_loop;

static uint32_t ns_per_tick;

/* A time: ticks (the low word of a counter read) and nanoseconds beyond
 * them; told apart this way so that differences survive the low word's
 * wrapping. */
struct when {
	uint32_t ticks;
	int32_t ns;
};

static int slot(unsigned i)
{
	return i < SECTION ? (int)i : SECTION_B_AT + (int)(i - SECTION);
}

/* The time of read `at` of a ladder: a step in either section pins it. */
static struct when ladder_at(const volatile uint32_t *v, unsigned at)
{
	for (unsigned i = 1; i < LADDER; i++) {
		if (i != SECTION && v[i] != v[i - 1]) {
			return (struct when){ v[i], slot(at) - slot(i) };
		}
	}
	printf("bench: error: the counter did not tick in a ladder\n");
	psci_system_off();
}

static int64_t since(struct when a, struct when b)
{
	return (int64_t)(int32_t)(b.ticks - a.ticks) * ns_per_tick + b.ns - a.ns;
}

static int64_t nothing_cost;

static int64_t timed(timed_fn *fn, uint32_t arg, uint32_t *ret)
{
	uint32_t r = fn(arg);

	if (ret) {
		*ret = r;
	}
	return since(ladder_at(bench32_ladder1, SECTION + SECTION - 1),
		     ladder_at(bench32_ladder2, 0));
}

static void sort(int64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
}

static void report(const char *name, int64_t *v, int n)
{
	sort(v, n);
	printf("bench: %s instr=%lld min=%lld max=%lld n=%d\n", name, v[n / 2], v[0], v[n - 1], n);
}

static uint32_t measure_n(const char *name, timed_fn *fn, uint32_t arg, int reps)
{
	int64_t v[REPS];
	uint32_t ret;

	timed(fn, arg, &ret); /* once untimed, as guests/bench does */
	for (int i = 0; i < reps; i++) {
		v[i] = timed(fn, arg, &ret) - nothing_cost;
	}
	report(name, v, reps);
	return ret;
}

static int gic_v3(void)
{
	uint32_t rev = (mmio_read32(GUEST_GICD_BASE + GICD_PIDR2_V2) >> 4) & 0xf;

	if (rev == 1 || rev == 2) {
		return 0;
	}
	return ((mmio_read32(GUEST_GICD_BASE + GICD_PIDR2_V3) >> 4) & 0xf) >= 3;
}

/* This vCPU's redistributor (the first: one vCPU), the virtual timer's
 * PPI enabled in Group 1, the CPU interface through CP15. */
static void gic_init(void)
{
	cp_write(15, 0, 12, 12, 5, cp_read(15, 0, 12, 12, 5) | 1); /* ICC_SRE.SRE */
	isb();
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~2U);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & 4U) {
	}
	mmio_write32(GICR_BASE + GICR_SGI + GICR_IGROUPR0, ~0U);
	mmio_write32(GICR_BASE + GICR_SGI + GICR_ISENABLER0, 1U << INTID_VTIMER);
	cp_write(15, 0, 4, 6, 0, 0xff);   /* ICC_PMR: every priority */
	cp_write(15, 0, 12, 12, 7, 1);    /* ICC_IGRPEN1 */
	isb();
	mmio_write32(GUEST_GICD_BASE + GICD_CTLR,
		     mmio_read32(GUEST_GICD_BASE + GICD_CTLR) | GICD_CTLR_ENABLE_G1);
	guest32_install_vectors();
	cp_write(15, 0, 12, 0, 0, (uint32_t)bench32_vectors); /* VBAR */
	isb();
}

/* Named for tools/bench.py's profile, as guests/bench's is. */
static __attribute__((noipa)) void wait_vtimer_busy(uint32_t before)
{
	while (bench32_state.count == before) {
	}
}

static int64_t timer_latency(void)
{
	uint32_t before = bench32_state.count;
	uint64_t cval = counter() + TIMER_AHEAD;

	cp_write64(15, 3, 14, cval);              /* CNTV_CVAL */
	cp_write(15, 0, 14, 3, 1, CTL_ENABLE);    /* CNTV_CTL */
	isb();
	__asm__ volatile("cpsie i" ::: "memory");
	wait_vtimer_busy(before);
	__asm__ volatile("cpsid i" ::: "memory");
	if (bench32_state.intid != INTID_VTIMER) {
		printf("bench: error: timer took interrupt %u\n", bench32_state.intid);
	}
	struct when handler = ladder_at(bench32_irq_ladder, 0);

	handler.ns -= HANDLER_READ;
	return since((struct when){ (uint32_t)cval, 0 }, handler);
}

static void measure_timer(const char *name)
{
	int64_t v[IRQ_REPS];

	timer_latency();
	for (int i = 0; i < IRQ_REPS; i++) {
		v[i] = timer_latency();
	}
	report(name, v, IRQ_REPS);
}

int main(void)
{
	uint32_t freq = read_cntfrq();

	ns_per_tick = 1000000000U / freq;
	printf("bench: start cpus=1 cntfrq=%u\n", freq);
	if (ns_per_tick * freq != 1000000000U) {
		printf("bench: error: CNTFRQ %u is not a whole number of ns per tick\n", freq);
		psci_system_off();
	}
	nothing_cost = timed(timed_nothing, 0, NULL);
	for (int i = 0; i < 8; i++) {
		if (timed(timed_nothing, 0, NULL) != nothing_cost) {
			printf("bench: error: the ladder is not exact\n");
		}
	}
	measure_n("loop_2000000", op_loop, 1000000, 4);
	measure_n("null_hvc", op_null_hvc, VIREO_HC_NULL, REPS);
	measure_n("mmio_gicd_typer", op_gicd_typer, GUEST_GICD_BASE + GICD_TYPER, REPS);
	measure_n("mmio_uartfr", op_uartfr, GUEST_UART_BASE + UARTFR, REPS);
	if (gic_v3()) {
		gic_init();
		measure_timer("vtimer_busy");
	} else {
		printf("bench: error: not a GICv3: no timer figure\n");
	}
	printf("bench: done\n");
	psci_system_off();
}
