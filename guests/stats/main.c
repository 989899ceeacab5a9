/*
 * stats: a guest that knows exactly what it made Vireo do, and asks.
 *
 * It makes NULLS null hypercalls (answered in Vireo's vector), VERSIONS
 * VIREO_HC_VERSION calls (answered in C), UART_READS reads of the UART's
 * flag register (emulated MMIO) and TIMER_READS reads of CNTP_CTL_EL0 (a
 * trapped system register), then reads its exit statistics back through
 * VIREO_HC_EXIT_STATS and prints them beside what it did. Between the
 * first reading and the second, every count must have grown by exactly
 * what it did since: the prints of the first lines and the calls of the
 * first reading are counted too.
 *
 * Lines: "stats: KIND: did N, counted N" for each, then "stats: all
 * counted" or "stats: MISCOUNTED", and a power-off.
 */
#include "guest.h"
#include "vireo_pv.h"

#define NULLS 1000
#define VERSIONS 200
#define UART_READS 300
#define TIMER_READS 50

#define UARTFR 0x18
#define SYSREG_CNTP_CTL (3 << 14 | 3 << 11 | 14 << 7 | 2 << 3 | 1)

static int64_t stat(enum vireo_stats_kind kind, uint64_t key)
{
	return vireo_exit_stats(0, kind, key);
}

struct counts {
	int64_t nulls, versions, uart, timer, stats_calls;
};

static struct counts now(void)
{
	struct counts c;

	/* Each reading is a call itself: the last one counts the four
	 * before it and itself. */
	c.nulls = stat(VIREO_STATS_CALL, VIREO_FN_NULL);
	c.versions = stat(VIREO_STATS_CALL, VIREO_FN_VERSION);
	c.uart = stat(VIREO_STATS_MMIO, GUEST_UART_BASE);
	c.timer = stat(VIREO_STATS_SYSREG, SYSREG_CNTP_CTL);
	c.stats_calls = stat(VIREO_STATS_CALL, VIREO_FN_EXIT_STATS);
	return c;
}

static bool report(const char *what, int64_t did, int64_t counted)
{
	printf("stats: %s: did %ld, counted %ld\n", what, did, counted);
	return did == counted;
}

int main(void)
{
	volatile uint32_t *uart = (volatile uint32_t *)GUEST_UART_BASE;
	struct counts a, b;
	bool ok = true;
	unsigned i;

	a = now();
	for (i = 0; i < NULLS; i++) {
		vireo_null();
	}
	for (i = 0; i < VERSIONS; i++) {
		vireo_version();
	}
	for (i = 0; i < UART_READS; i++) {
		(void)uart[UARTFR / 4];
	}
	for (i = 0; i < TIMER_READS; i++) {
		(void)read_sysreg(cntp_ctl_el0);
	}
	b = now();
	ok &= report("null hypercalls", NULLS, b.nulls - a.nulls);
	ok &= report("version calls", VERSIONS, b.versions - a.versions);
	ok &= report("UART reads", UART_READS, b.uart - a.uart);
	ok &= report("CNTP_CTL_EL0 reads", TIMER_READS, b.timer - a.timer);
	ok &= report("stats calls", 5, b.stats_calls - a.stats_calls);
	ok &= report("bad vCPU refused", VIREO_INVALID_PARAMETERS,
		     vireo_exit_stats(7, VIREO_STATS_EXITS, 0));
	ok &= report("bad kind refused", VIREO_INVALID_PARAMETERS,
		     vireo_exit_stats(0, 99, 0));
	puts(ok ? "stats: all counted" : "stats: MISCOUNTED");
	psci_system_off();
}
