/*
 * bench: Vireo's micro-benchmarks, as a bare-metal guest.
 *
 * Meant for QEMU with -icount shift=0,sleep=off, where virtual time
 * advances one nanosecond per instruction executed at any exception level
 * by any CPU. The generic counter then tells the time to the instruction
 * (bench.S's "ladders"), so every figure is an exact instruction count
 * and repeats exactly. The same image runs natively on QEMU (no EL2: its
 * own PSCI firmware, real devices) for the comparison; tools/bench.py
 * runs both.
 *
 * An operation's cost is the time from just before it to just after it,
 * less the same with nothing in between: the instructions the machine
 * executes for it, the guest's own instruction included when it
 * completes (an hvc does; a trapped load or MSR is emulated and skipped).
 * Each is measured REPS times, after one untimed run.
 *
 * An interrupt's latency is the time of its handler's first instruction
 * less the time the interrupt was due: the timer's deadline (CNTV_CVAL in
 * nanoseconds), or the sender's SGI write, GITS_TRANSLATER store or
 * DOORBELL hvc. All of a VM's vCPUs see one counter, so times taken on
 * two compare. It counts the instructions the whole machine executes
 * from the event to the handler's first instruction, that one included.
 *
 * The VM's GIC may be a GICv3 or a GICv2, as vireo_gic_version() reads it
 * from the distributor (vireo_pv.c says why there). With a GICv3, SGIs
 * are ICC_SGI1R_EL1 writes and the handler uses ICC_IAR1/EOIR1_EL1; with
 * a GICv2 everything stays in Group 0, SGIs are GICD_SGIR writes (trapped
 * MMIO, not a trapped MSR) and the handler uses GICC_IAR and GICC_EOIR. A
 * figure that times a GICv3 operation has its GICv2 counterpart under
 * another name: mmio_gicd_sgir for sysreg_sgi1r, ipi_send_gicd_sgir for
 * ipi_send. With a GICv2, mmio_gicc_iar and mmio_gicc_eoir time the CPU
 * interface's acknowledge (with nothing pending) and end (of the spurious
 * INTID, which it ignores), and vtimer_ack_end the handler's own
 * acknowledge-to-end of the virtual timer's interrupt: a GICv3's system
 * registers and a GICv2's virtual CPU interface answer those without a
 * trap, a CPU interface emulated in software traps each. The other names
 * are the same figure with either GIC.
 *
 * With one vCPU (PSCI AFFINITY_INFO says MPIDR 1 does not exist) it
 * measures the single-CPU figures; with two it also starts vCPU 1 and
 * measures SGIs from vCPU 0 to vCPU 1. Last, if the GIC has LPIs
 * (GICD_TYPER.LPIS), it measures the LPI figures (lpi.c); without them
 * there are none. As an end of a Vireo channel (CHANNEL_INFO(0) answers)
 * it ping-pongs with the other end instead. It prints one fixed line per
 * figure, "bench: NAME instr=N min=A max=B n=R", and "bench: done".
 */
#include <stddef.h>

#include "bench.h"
#include "gic_its.h"
#include "guest.h"
#include "vireo_pv.h"

#define VIREO_HC_NULL      0x86000001U
#define PSCI_CPU_OFF       0x84000002U
#define PSCI_CPU_ON        0xc4000003U
#define PSCI_AFFINITY_INFO 0xc4000004U

#define GICD_BASE      0x08000000UL
#define GICD_CTLR      0x0
#define GICD_TYPER     0x4
#define GICD_ISENABLER 0x100 /* GICv2: the first banked per CPU, as GICR_ISENABLER0 */
#define GICD_SGIR      0xf00 /* GICv2 */
#define GICR_BASE(cpu) (0x080a0000UL + 0x20000UL * (cpu))
#define GICR_WAKER     0x14
#define GICR_SGI       0x10000
#define GICR_IGROUPR0  0x80
#define GICR_ISENABLER0 0x100
#define GICC_BASE      0x08010000UL /* GICv2 */
#define GICC_CTLR      0x0
#define GICC_PMR       0x4
#define GICC_IAR       0xc
#define UARTFR         0x18

#define GICD_CTLR_ENABLE_G0 1U /* GICv2 */
#define GICD_CTLR_ENABLE_G1 2U /* GICv3 */
#define GICC_CTLR_ENABLE_G0 1U

#define INTID_VTIMER 27
#define INTID_PTIMER 30
#define SGI_IPI      3
#define SGI_TO_CPU1 (((uint64_t)SGI_IPI << 24) | (1U << 1)) /* ICC_SGI1R_EL1: Aff0 1 */
#define SGIR_TO_CPU1 ((1U << (16 + 1)) | SGI_IPI) /* GICD_SGIR: CPU interface 1 */

#define CTL_ENABLE 1UL

#define REPS        64
#define TIMER_AHEAD 1000 /* counter ticks: 16000 instructions at 62.5 MHz */

struct bench_cpu cpus[2];
static uint64_t ns_per_tick;
static int gic_v2; /* the VM's GIC is a GICv2, not a GICv3 */

extern char bench_vectors[], bench_vectors_v2[];
extern char bench_secondary_entry[];
void bench_secondary_main(void);

/* bench.S: TIMED functions (two ladders around the operation) and
 * STAMPED ones (a ladder, then the operation). */
typedef uint64_t timed_fn(uint64_t arg, uint64_t out[2 * LADDER]);
timed_fn timed_nothing, op_null_hvc, op_psci_version, op_gicd_typer, op_uartfr, op_sgi1r,
	op_ipi_send, op_cntp_ctl, op_pmccntr, op_loop, op_uart_line, op_pv_line, op_page_read, op_slow_hvc,
	op_gicd_sgir, op_ipi_send_sgir, op_gicc_iar, op_gicc_eoir, op_oslsr;

/* The line the console figures write: 63 characters and a newline. */
static const char console_line[64] __attribute__((aligned(64))) =
	"[console figure] 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH\n";
/* A page for VIREO_HC_SHARED_PAGE (native runs leave it zero). */
static struct vireo_shared_page shared_page __attribute__((aligned(4096)));
uint64_t send_ipi(uint64_t sgi1r, uint64_t out[LADDER]);
uint64_t send_ipi_sgir(uint64_t sgir, uint64_t out[LADDER]);
uint64_t ring(uint64_t fid, uint64_t out[LADDER]);

static void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

/* --- time ---------------------------------------------------------------- */

/*
 * The time in ns (instructions) of read `at` of a ladder: read k, the one
 * where the count went up, happened at the tick's own nanosecond, and
 * the reads are one instruction apart.
 */
uint64_t ladder_time(const uint64_t *v, unsigned at)
{
	unsigned k;

	for (k = 1; k < LADDER && v[k] == v[k - 1]; k++) {
	}
	if (k == LADDER) {
		printf("bench: error: the counter did not tick in a ladder\n");
		psci_system_off();
	}
	return v[k] * ns_per_tick - k + at;
}

uint64_t handler_time(const struct bench_cpu *c)
{
	return ladder_time(c->ladder, 0) - HANDLER_READ;
}

/* --- one operation, timed ----------------------------------------------- */

static uint64_t nothing_cost;

/* From the first ladder's last read to the second's first. */
static uint64_t timed(timed_fn *fn, uint64_t arg, uint64_t *ret)
{
	uint64_t out[2 * LADDER];
	uint64_t r = fn(arg, out);

	if (ret) {
		*ret = r;
	}
	return ladder_time(out + LADDER, 0) - ladder_time(out, LADDER - 1);
}

static void sort(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
}

void report(const char *name, uint64_t *v, int n)
{
	sort(v, n);
	printf("bench: %s instr=%lu min=%lu max=%lu n=%d\n", name, v[n / 2], v[0], v[n - 1], n);
}

/* Times fn(arg) reps times; returns what it returned. */
static uint64_t measure_n(const char *name, timed_fn *fn, uint64_t arg, int reps)
{
	uint64_t v[REPS], ret;

	timed(fn, arg, &ret); /* once untimed: nothing is cold under QEMU, but be fair */
	for (int i = 0; i < reps; i++) {
		v[i] = timed(fn, arg, &ret) - nothing_cost;
	}
	report(name, v, reps);
	return ret;
}

static uint64_t measure(const char *name, timed_fn *fn, uint64_t arg)
{
	return measure_n(name, fn, arg, REPS);
}

/* --- setup ------------------------------------------------------------------ */

static void gic_v3_cpu_init(unsigned cpu)
{
	uint64_t r = GICR_BASE(cpu);

	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	mmio_write32(r + GICR_WAKER, mmio_read32(r + GICR_WAKER) & ~2U);
	while (mmio_read32(r + GICR_WAKER) & 4U) {
	}
	mmio_write32(r + GICR_SGI + GICR_IGROUPR0, ~0U);
	mmio_write32(r + GICR_SGI + GICR_ISENABLER0,
		     (1U << INTID_VTIMER) | (1U << INTID_PTIMER) | (1U << SGI_IPI));
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

/* The same interrupts, left in Group 0; the distributor banks the first
 * GICD_ISENABLER per CPU. */
static void gic_v2_cpu_init(void)
{
	mmio_write32(GICD_BASE + GICD_ISENABLER,
		     (1U << INTID_VTIMER) | (1U << INTID_PTIMER) | (1U << SGI_IPI));
	mmio_write32(GICC_BASE + GICC_PMR, 0xff);
	mmio_write32(GICC_BASE + GICC_CTLR, GICC_CTLR_ENABLE_G0);
}

/* The distributor on, for the group everything is in. */
static NOINLINE void gic_dist_enable(void)
{
	mmio_write32(GICD_BASE + GICD_CTLR, gic_v2 ? GICD_CTLR_ENABLE_G0 : GICD_CTLR_ENABLE_G1);
}

static void cpu_init(unsigned cpu)
{
	write_sysreg(tpidr_el1, (uint64_t)&cpus[cpu]);
	write_sysreg(vbar_el1, (uint64_t)(gic_v2 ? bench_vectors_v2 : bench_vectors));
	isb();
	if (gic_v2) {
		gic_v2_cpu_init();
	} else {
		gic_v3_cpu_init(cpu);
	}
}

/* --- timer interrupt latency --------------------------------------------- */

/*
 * Waiting for the next interrupt with interrupts unmasked, busy or in
 * WFI; one named function per figure, never inlined nor merged with its
 * twin (noipa, bench.h), for tools/bench.py's profile.
 */
static inline __attribute__((always_inline)) void sleep_for_irq(struct bench_cpu *c,
								  uint64_t before)
{
	while (c->count == before) {
		__asm__ volatile("wfi" ::: "memory");
	}
}

static NOIPA void wait_vtimer_busy(struct bench_cpu *c, uint64_t before)
{
	spin_for_irq(c, before);
}

static NOIPA void wait_vtimer_wfi(struct bench_cpu *c, uint64_t before)
{
	sleep_for_irq(c, before);
}

static NOIPA void wait_ptimer_busy(struct bench_cpu *c, uint64_t before)
{
	spin_for_irq(c, before);
}

static NOIPA void wait_ptimer_wfi(struct bench_cpu *c, uint64_t before)
{
	sleep_for_irq(c, before);
}

/*
 * The timer's deadline TIMER_AHEAD ticks from now; the guest waits with
 * interrupts unmasked until the handler has run. Returns the instructions
 * from the deadline to the handler's first instruction, that one
 * included.
 */
static uint64_t timer_latency(int virt, void (*wait)(struct bench_cpu *, uint64_t))
{
	struct bench_cpu *c = &cpus[0];
	uint64_t before = c->count, cval;

	if (virt) {
		cval = read_sysreg(cntvct_el0) + TIMER_AHEAD;
		write_sysreg(cntv_cval_el0, cval);
		write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	} else {
		/* The physical timer compares with CNTPCT: convert its deadline
		 * with the counters' difference, read within one tick. */
		uint64_t vct, pct;

		do {
			vct = read_sysreg(cntvct_el0);
			pct = read_sysreg(cntpct_el0);
		} while (read_sysreg(cntvct_el0) != vct);
		write_sysreg(cntp_cval_el0, pct + TIMER_AHEAD);
		write_sysreg(cntp_ctl_el0, CTL_ENABLE);
		cval = vct + TIMER_AHEAD;
	}
	isb();
	irq_on();
	wait(c, before);
	irq_off();
	if (c->intid != (virt ? INTID_VTIMER : INTID_PTIMER)) {
		printf("bench: error: timer took interrupt %u\n", c->intid);
	}
	return handler_time(c) - cval * ns_per_tick;
}

static void measure_timer(const char *name, int virt, void (*wait)(struct bench_cpu *, uint64_t))
{
	uint64_t v[IRQ_REPS];

	timer_latency(virt, wait);
	for (int i = 0; i < IRQ_REPS; i++) {
		v[i] = timer_latency(virt, wait);
	}
	report(name, v, IRQ_REPS);
}

/* --- two vCPUs ------------------------------------------------------------- */

/*
 * QEMU runs its CPUs one at a time, and a CPU that makes another's
 * interrupt pending does not give way: the receiver runs when the sender
 * stops. So the sender waits with WFE, which QEMU turns into a yield to
 * the next CPU (it never traps, even with HCR_EL2.TWE), and the figure
 * includes the sender's whole trap and return (which hardware would run
 * beside the receiver's path) and its few instructions up to the WFE.
 * ipi_send measures the sender's part alone.
 */
volatile int cpu1_wait; /* CPU1_SLEEP and the like, bench.h */
static volatile int cpu1_stop;  /* vCPU 1 switches itself off */

static NOIPA void cpu1_spin(void)
{
	__asm__ volatile("wfe" ::: "memory"); /* running: a yield */
}

static NOIPA void cpu1_sleep(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static NOIPA void cpu1_sleep_lpi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

void bench_secondary_main(void)
{
	cpu_init(1);
	cpus[1].ready = 1;
	irq_on();
	while (!cpu1_stop) {
		if (cpu1_wait == CPU1_SPIN) {
			cpu1_spin();
		} else if (cpu1_wait == CPU1_SLEEP_LPI) {
			cpu1_sleep_lpi();
		} else {
			cpu1_sleep();
		}
	}
	/* Off, not spinning, when vCPU 0 powers the machine off: a CPU still
	 * running then would add a varying number of instructions to QEMU's
	 * total before the machine stops. */
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

/* From vCPU 0's MSR to ICC_SGI1R_EL1. */
static uint64_t ipi_once(void)
{
	uint64_t before = cpus[1].count, out[LADDER];

	send_ipi(SGI_TO_CPU1, out);
	return cpu1_took(before, out, SGI_IPI);
}

/* From vCPU 0's store to GICD_SGIR. */
static uint64_t ipi_once_v2(void)
{
	uint64_t before = cpus[1].count, out[LADDER];

	send_ipi_sgir(SGIR_TO_CPU1, out);
	return cpu1_took(before, out, SGI_IPI);
}

static void measure_ipi(const char *name, int busy)
{
	uint64_t (*once)(void) = gic_v2 ? ipi_once_v2 : ipi_once;
	uint64_t v[IRQ_REPS];

	cpu1_wait = busy ? CPU1_SPIN : CPU1_SLEEP;
	once(); /* wakes vCPU 1 into its new way of waiting */
	for (int i = 0; i < IRQ_REPS; i++) {
		v[i] = once();
	}
	report(name, v, IRQ_REPS);
}

static int start_cpu1(void)
{
	int64_t r = (int64_t)hvc_call(PSCI_CPU_ON, 1, (uint64_t)bench_secondary_entry, 0);

	if (r != 0) {
		printf("bench: error: CPU_ON(1) returned %ld\n", r);
		return 0;
	}
	while (!cpus[1].ready) {
		yield();
	}
	return 1;
}

static void stop_cpu1(void)
{
	cpu1_stop = 1;
	if (gic_v2) {
		mmio_write32(GICD_BASE + GICD_SGIR, SGIR_TO_CPU1);
	} else {
		__asm__ volatile("msr icc_sgi1r_el1, %0" : : "r"(SGI_TO_CPU1) : "memory");
	}
	while ((int32_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0) != 1) {
		yield();
	}
}

/* --- two VMs on one CPU ------------------------------------------------------ */

/*
 * Two single-vCPU VMs on one physical CPU, ends 0 and 1 of channel 0
 * (guests/bench/vmswitch.dts), ping-pong over the channel's doorbells:
 * end 0 rings (DOORBELL) and waits in WFI; Vireo switches to end 1, whose
 * handler runs; end 1 rings back and waits in WFI; Vireo switches back
 * and end 0's handler runs. End 0 times the round trip: two switches,
 * each with a doorbell call, a WFI trap and an interrupt injected.
 */
#define VMSWITCH_STOP 1 /* the channel's first word: end 1 powers off */

/* Rings the other end's doorbell; out gets the ladder before the HVC. */
static void ring_doorbell(uint64_t out[LADDER])
{
	int64_t r = (int64_t)ring(VIREO_FN_DOORBELL, out);

	if (r != 0) {
		printf("bench: error: DOORBELL returned %ld\n", r);
	}
}

static NOIPA void wait_doorbell(struct bench_cpu *c, uint64_t before)
{
	sleep_for_irq(c, before);
}

static void vm_switch(const struct vireo_channel *ch)
{
	volatile uint32_t *shared = (volatile uint32_t *)ch->ipa;
	struct bench_cpu *c = &cpus[0];
	uint64_t v[IRQ_REPS], out[LADDER];

	if (ch->id != 0) {
		printf("bench: error: channel %u, not 0\n", ch->id);
		psci_system_off();
	}
	gic_dist_enable();
	vireo_gic_enable_spi(ch->intid, 0x80, 1);
	irq_on();
	if (ch->end == 1) {
		/* Answer every doorbell until told to stop. */
		/* Once per doorbell taken: the next one may come before this
		 * end waits again (Vireo may switch at the HVC). */
		uint64_t answered = 0;

		ring_doorbell(out); /* ready */
		for (;;) {
			wait_doorbell(c, answered);
			answered++;
			if (*shared == VMSWITCH_STOP) {
				psci_system_off();
			}
			ring_doorbell(out);
		}
	}
	printf("bench: start vm_switch, channel %u doorbell %u\n", ch->id, ch->intid);
	wait_doorbell(c, 0); /* end 1 is ready */
	for (int i = -1; i < IRQ_REPS; i++) {
		uint64_t before = c->count;

		ring_doorbell(out);
		wait_doorbell(c, before);
		if (c->intid != ch->intid) {
			printf("bench: error: took interrupt %u, not the doorbell\n", c->intid);
		}
		/* From the HVC to the handler's first instruction, both included. */
		if (i >= 0) {
			v[i] = handler_time(c) - (ladder_time(out, LADDER - 1) + RING_AT) + 1;
		}
	}
	report("vm_switch_roundtrip", v, IRQ_REPS);
	*shared = VMSWITCH_STOP;
	ring_doorbell(out);
	printf("bench: done\n");
	psci_system_off();
}

/* --- main -------------------------------------------------------------------- */

/*
 * What differs between the GICs, in functions of their own (and
 * gic_dist_enable() not inlined): main(), into which the compiler inlines
 * vm_switch(), then compiles as it did before there was a GICv2 path, and
 * so do vm_switch()'s loops, whose instructions vm_switch_roundtrip
 * counts.
 */
static NOINLINE void gic_find(void)
{
	int version = vireo_gic_version();

	if (version != 2 && version != 3) {
		printf("bench: error: no GICv2 or GICv3 distributor at 0x%lx\n", GICD_BASE);
		psci_system_off();
	}
	gic_v2 = version == 2;
}

/* An SGI to nobody (empty target list): the trap and its decoding. With a
 * GICv2, also the CPU interface's acknowledge with nothing pending (the
 * distributor is still off): 1023, the spurious INTID; and an end of that
 * INTID, which the CPU interface ignores (IHI 0048B, GICC_EOIR). */
static NOINLINE void measure_gic_ops(void)
{
	uint64_t ret;

	if (!gic_v2) {
		measure("sysreg_sgi1r", op_sgi1r, (uint64_t)SGI_IPI << 24);
		return;
	}
	measure("mmio_gicd_sgir", op_gicd_sgir, SGI_IPI);
	ret = measure("mmio_gicc_iar", op_gicc_iar, GICC_BASE + GICC_IAR);
	if ((ret & 0x3ff) != 1023) {
		printf("bench: error: GICC_IAR read 0x%lx, not spurious\n", ret);
	}
	measure("mmio_gicc_eoir", op_gicc_eoir, 1023);
}

/*
 * GICv2: the virtual timer's handler from its ladder to the one after its
 * GICC_EOIR (bench.S): the acknowledge, the timer masked and the end, as
 * an interrupt really takes them (the timed operations above take them
 * with nothing pending). Its own instructions are the same everywhere; the
 * rest is what the CPU interface costs.
 */
static NOINLINE void measure_ack_end_v2(void)
{
	const struct bench_cpu *c = &cpus[0];
	uint64_t v[IRQ_REPS];

	timer_latency(1, wait_vtimer_busy);
	for (int i = 0; i < IRQ_REPS; i++) {
		timer_latency(1, wait_vtimer_busy);
		v[i] = ladder_time(c->ladder_end, 0) - ladder_time(c->ladder, LADDER - 1);
	}
	report("vtimer_ack_end", v, IRQ_REPS);
}

/* The sender's part of an IPI: the trapped write, to a vCPU this time. */
static NOINLINE void measure_ipi_send(void)
{
	if (gic_v2) {
		measure("ipi_send_gicd_sgir", op_ipi_send_sgir, SGIR_TO_CPU1);
	} else {
		measure("ipi_send", op_ipi_send, SGI_TO_CPU1);
	}
}

int main(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0), ret;
	int64_t aff = (int32_t)hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0);
	int ncpus = aff == 0 || aff == 1 ? 2 : 1, lpis;
	struct vireo_channel ch;

	ns_per_tick = 1000000000UL / freq;
	printf("bench: start cpus=%d cntfrq=%lu\n", ncpus, freq);
	if (ns_per_tick * freq != 1000000000UL) {
		printf("bench: error: CNTFRQ %lu is not a whole number of ns per tick\n", freq);
		psci_system_off();
	}
	gic_find();
	cpu_init(0);
	if (vireo_channel_info(0, &ch) == 0) {
		vm_switch(&ch);
	}

	/* Nothing between the ladders: the 9 stores after the first. */
	nothing_cost = timed(timed_nothing, 0, NULL);
	for (int i = 0; i < 8; i++) {
		if (timed(timed_nothing, 0, NULL) != nothing_cost) {
			printf("bench: error: the ladder is not exact\n");
		}
	}
	/* The method's check: 1,000,000 turns of a 2-instruction loop must
	 * read 2,000,000, natively and under any hypervisor. */
	measure_n("loop_2000000", op_loop, 1000000, 4);

	measure("null_hvc", op_null_hvc, VIREO_HC_NULL);
	ret = measure("psci_version", op_psci_version, PSCI_VERSION);
	if (ret != 0x10001 && ret != 0x10000) {
		printf("bench: error: PSCI_VERSION returned 0x%lx\n", ret);
	}
	measure("mmio_gicd_typer", op_gicd_typer, GICD_BASE + GICD_TYPER);
	measure("mmio_uartfr", op_uartfr, GUEST_UART_BASE + UARTFR);
	measure_gic_ops();
	measure("sysreg_cntp_ctl", op_cntp_ctl, 0);
	measure("sysreg_pmccntr", op_pmccntr, 0);
	measure("sysreg_oslsr", op_oslsr, 0);
	/* What the paravirtual calls save over their trapping equivalents. */
	measure("console_uart_line", op_uart_line, (uint64_t)console_line);
	measure("console_pv_line", op_pv_line, (uint64_t)console_line);
	vireo_shared_page_set((uint64_t)&shared_page);
	measure("page_read", op_page_read, (uint64_t)&shared_page);
	measure("page_hvc", op_slow_hvc, 0);

	gic_dist_enable();
	measure_timer("vtimer_busy", 1, wait_vtimer_busy);
	measure_timer("vtimer_wfi", 1, wait_vtimer_wfi);
	measure_timer("ptimer_busy", 0, wait_ptimer_busy);
	measure_timer("ptimer_wfi", 0, wait_ptimer_wfi);
	if (gic_v2) {
		measure_ack_end_v2();
	}

	lpis = !gic_v2 && gic_has_lpis();
	if (ncpus > 1 && start_cpu1()) {
		measure_ipi("ipi_wfi", 0);
		measure_ipi("ipi_busy", 1);
		measure_ipi_send();
		if (lpis) {
			measure_lpis(2);
		}
		stop_cpu1();
	} else if (lpis) {
		measure_lpis(1);
	}
	printf("bench: done\n");
	psci_system_off();
}
