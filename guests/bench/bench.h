/*
 * bench.h: what the benchmark guest's C files share (main.c, lpi.c).
 *
 * The timing (bench.S's ladders and main.c's ladder_time()), the per-CPU
 * record its interrupt handler fills, the report line, and vCPU 1's ways
 * of waiting. Everything that runs inside a measured stretch is inline or
 * assembly, so that what a figure counts does not depend on which file
 * holds its code.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

#include "guest.h"

#define IRQ_REPS 16

/* bench.S: a ladder is 17 reads; where the instructions stand. */
#define LADDER       17
#define SEND_AT      10 /* send_ipi's MSR, after its ladder's last read */
#define RING_AT      11 /* ring's HVC */
#define HANDLER_READ 11 /* the handler's ladder, after its first instruction */

#define NOINLINE __attribute__((noinline))
/* A waiting function that names an exit in the profile (main.c). */
#define NOIPA __attribute__((noipa))

/* One per CPU, found through TPIDR_EL1; bench.S knows the first three. */
struct bench_cpu {
	volatile uint64_t count;   /* interrupts taken */
	volatile uint32_t intid;   /* the last one */
	uint32_t pad;
	uint64_t ladder[LADDER];   /* the last one's handler's ladder */
	volatile int ready;
	uint64_t ladder_end[LADDER]; /* GICv2: its ladder after GICC_EOIR */
};
_Static_assert(__builtin_offsetof(struct bench_cpu, intid) == 8, "CPU_INTID");
_Static_assert(__builtin_offsetof(struct bench_cpu, ladder) == 16, "CPU_LADDER");
_Static_assert(__builtin_offsetof(struct bench_cpu, ladder_end) == 160, "CPU_LADDER_END");

extern struct bench_cpu cpus[2];

/* How vCPU 1 waits for its next interrupt: in WFI, running, or in WFI
 * for an LPI (a function of its own, for the profile). */
enum { CPU1_SLEEP, CPU1_SPIN, CPU1_SLEEP_LPI };
extern volatile int cpu1_wait;

/* The time in ns (instructions) of read `at` of a ladder. */
uint64_t ladder_time(const uint64_t *v, unsigned at);
/* The time of an interrupt handler's first instruction on this CPU. */
uint64_t handler_time(const struct bench_cpu *c);
/* Prints the median, the extremes and the count of n samples. */
void report(const char *name, uint64_t *v, int n);

/* lpi.c: the LPI figures, on a GICv3 with LPIs; vCPU 1 is up if ncpus 2. */
void measure_lpis(unsigned ncpus);

static inline void irq_on(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_off(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

static inline void yield(void)
{
	__asm__ volatile("wfe" ::: "memory"); /* QEMU: on to the next CPU */
}

static inline __attribute__((always_inline)) void spin_for_irq(struct bench_cpu *c,
								 uint64_t before)
{
	while (c->count == before) {
	}
}

/*
 * vCPU 0's wait for vCPU 1's handler once it has sent the interrupt (an
 * SGI, or an LPI), then the time from its write (stamped in out) to that
 * handler's first instruction, both included. The sender works its time
 * out only once the receiver has run, so as not to add to what it
 * measures. Inlined into each sender, so that what the sender runs from
 * its write up to the WFE (which the figure counts) is the same few
 * instructions with either GIC and either interrupt, and the GICv3 SGI's
 * are what they always were.
 */
static inline __attribute__((always_inline)) uint64_t cpu1_took(uint64_t before,
								 const uint64_t out[LADDER],
								 uint32_t intid)
{
	uint64_t sent;

	while (cpus[1].count == before) {
		yield();
	}
	sent = ladder_time(out, LADDER - 1) + SEND_AT;
	if (cpus[1].intid != intid) {
		printf("bench: error: vCPU 1 took interrupt %u\n", cpus[1].intid);
	}
	return handler_time(&cpus[1]) - sent + 1;
}

#endif
