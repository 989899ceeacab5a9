/*
 * lpi.c: the benchmark guest's LPI figures, through a GICv3's ITS.
 *
 * main.c calls measure_lpis() last, where GICD_TYPER.LPIS says the GIC
 * has LPIs: a Vireo VM with vireo,its = "on", or QEMU's own GICv3
 * natively, each with its ITS at QEMU virt's address (gic_its.h). The
 * ITS and redistributor tables are set up as a driver would
 * (guests/common/gic_its.c), DeviceID 0's events mapped to an LPI on
 * vCPU 0 and one on vCPU 1, and each figure is an LPI's latency from the
 * guest's store of the EventID to GITS_TRANSLATER (bench.S's
 * send_lpi_self and send_lpi_cpu1, the 10th instruction after their
 * ladder, as an SGI's write) to the first instruction of its handler:
 *   - lpi_self: on the same vCPU, with interrupts unmasked, so the LPI is
 *     taken as soon as it is pending (under Vireo, on the way back from
 *     the store's trap);
 *   - lpi_wfi: on vCPU 1, waiting in WFI; the figure includes the
 *     sender's few instructions up to the WFE that gives QEMU's CPU over,
 *     as the IPI figures do (main.c).
 */
#include "bench.h"
#include "gic_its.h"

/* DeviceID 0's events (a CPU's GITS_TRANSLATER write is DeviceID 0's,
 * under Vireo and in QEMU), collection i on vCPU i. */
#define LPI_EVENT_BITS 1
#define EVENT_SELF     0
#define EVENT_CPU1     1
#define LPI_SELF       (LPI_BASE + EVENT_SELF)
#define LPI_CPU1       (LPI_BASE + EVENT_CPU1)

/* bench.S: the store of the EventID is the operation. */
uint64_t send_lpi_self(uint64_t event, uint64_t out[LADDER]);
uint64_t send_lpi_cpu1(uint64_t event, uint64_t out[LADDER]);

static uint8_t its_arena[ITS_ARENA_SIZE(2)];

/* The tables, and event 0 to LPI 8192 on vCPU 0 and, with two vCPUs,
 * event 1 to LPI 8193 on vCPU 1. */
static void lpi_init(unsigned ncpus)
{
	its_init(its_arena, ncpus);
	its_mapd(0, its_itt(0), LPI_EVENT_BITS);
	for (unsigned i = 0; i < ncpus; i++) {
		its_mapc(i, i);
	}
	its_mapti(0, EVENT_SELF, LPI_SELF, 0);
	if (ncpus > 1) {
		its_mapti(0, EVENT_CPU1, LPI_CPU1, 1);
	}
	its_sync(0);
	if (!its_caught_up()) {
		printf("bench: error: the ITS did not run its commands\n");
	}
}

static NOIPA void wait_lpi_self(struct bench_cpu *c, uint64_t before)
{
	spin_for_irq(c, before);
}

static uint64_t lpi_self_once(void)
{
	struct bench_cpu *c = &cpus[0];
	uint64_t before = c->count, out[LADDER];

	irq_on();
	send_lpi_self(EVENT_SELF, out);
	wait_lpi_self(c, before);
	irq_off();
	if (c->intid != LPI_SELF) {
		printf("bench: error: took interrupt %u, not the LPI\n", c->intid);
	}
	return handler_time(c) - (ladder_time(out, LADDER - 1) + SEND_AT) + 1;
}

static uint64_t lpi_cpu1_once(void)
{
	uint64_t before = cpus[1].count, out[LADDER];

	send_lpi_cpu1(EVENT_CPU1, out);
	return cpu1_took(before, out, LPI_CPU1);
}

/* Once untimed (which also moves vCPU 1 to its new way of waiting),
 * then IRQ_REPS times. */
static void measure_irq(const char *name, uint64_t (*once)(void))
{
	uint64_t v[IRQ_REPS];

	once();
	for (int i = 0; i < IRQ_REPS; i++) {
		v[i] = once();
	}
	report(name, v, IRQ_REPS);
}

void measure_lpis(unsigned ncpus)
{
	lpi_init(ncpus);
	measure_irq("lpi_self", lpi_self_once);
	if (ncpus > 1) {
		cpu1_wait = CPU1_SLEEP_LPI;
		measure_irq("lpi_wfi", lpi_cpu1_once);
	}
}
