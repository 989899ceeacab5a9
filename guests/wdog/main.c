/*
 * wdog: the VM's SBSA Generic Watchdog, register by register.
 *
 * The watchdog's two frames are at QEMU virt's free 0x09100000 (control)
 * and 0x09110000 (refresh) in every Vireo VM that has one (docs/config.md).
 * In order, this guest checks:
 *   - that it has one: a VM configured with "vireo,watchdog = "off"" gets
 *     a data abort at the control frame, says so and powers off;
 *   - after a reset the watchdog caused, that WCS reads WS1 (and nothing
 *     else), which it prints; then it enables the watchdog again and
 *     powers off with it running, which must not trouble the VMs beside
 *     it (the end of the test);
 *   - the identification register and the reset state (all zero);
 *   - that accesses the device does not allow (a byte, an offset between
 *     the frames) are external aborts;
 *   - that enabling is an explicit refresh (WCV = count + WOR);
 *   - that refreshing every half period keeps WS0 down for 10 periods;
 *   - that without refreshes WS0 rises, as its interrupt (the SPI the
 *     device tree names, level-triggered), with WCV moved on by exactly WOR
 *     (a timeout refresh), and that a refresh lowers it again;
 *   - that a disabled watchdog stays quiet;
 *   - then it enables the watchdog and spins with interrupts masked, never
 *     touching it again: Vireo must notice the expiry by itself and apply
 *     the VM's on-crash policy ("watchdog expired").
 * Anything unexpected prints a line with "UNEXPECTED" and powers off.
 */
#include "guest.h"
#include "vireo_pv.h"

#define CONTROL 0x09100000UL
#define REFRESH 0x09110000UL
#define WCS 0x000
#define WOR 0x008
#define WOR_HI 0x00c
#define WCV 0x010
#define WCV_HI 0x014
#define WRR 0x000
#define W_IIDR 0xfcc
#define WCS_EN 1U
#define WCS_WS0 2U
#define WCS_WS1 4U
#define WS0_INTID 48 /* SPI 16, as the device tree says */

void guest_exception(struct guest_frame *f, int vector)
{
	if (!guest_skip_abort(f, vector)) {
		guest_unhandled(f, vector);
	}
}

static uint32_t rd(uint64_t addr)
{
	return guest_peek32(addr);
}

static void wr(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint64_t wcv(void)
{
	return rd(CONTROL + WCV) | (uint64_t)rd(CONTROL + WCV_HI) << 32;
}

static uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void spin_until(uint64_t t)
{
	while (now() < t) {
	}
}

static void fail(const char *what, uint64_t got, uint64_t want)
{
	printf("wdog: %s: 0x%lx, expected 0x%lx (UNEXPECTED)\n", what, got, want);
	psci_system_off();
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
	if (got != want) {
		fail(what, got, want);
	}
}

int main(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t period = freq / 100; /* WOR: 10 ms */
	uint32_t wcs, ack;
	uint64_t t, v;
	int i;

	wcs = rd(CONTROL + WCS);
	if (guest_aborts) {
		printf("wdog: no watchdog at 0x%lx (data abort)\n", CONTROL);
		psci_system_off();
	}
	if (wcs & WCS_WS1) {
		printf("wdog: wcs after the watchdog's reset: 0x%x\n", wcs);
		/* Due 1 ms after the power-off: long before anything else. */
		wr(CONTROL + WOR, (uint32_t)(freq / 1000));
		wr(CONTROL + WCS, WCS_EN);
		printf("wdog: powering off with the watchdog running\n");
		psci_system_off();
	}
	printf("wdog: iidr 0x%x, refresh frame's 0x%x\n", rd(CONTROL + W_IIDR),
	       rd(REFRESH + W_IIDR));
	expect("wcs at reset", wcs, 0);
	expect("wor at reset", rd(CONTROL + WOR) | (uint64_t)rd(CONTROL + WOR_HI) << 32, 0);

	guest_peek8(CONTROL + WCS);
	rd(CONTROL + 0x1000); /* past the control frame's 4 KiB */
	rd(REFRESH - 4);
	printf("wdog: byte and out-of-frame accesses: %u of 3 aborted\n", guest_aborts);

	wr(CONTROL + WOR, (uint32_t)period);
	wr(CONTROL + WOR_HI, (uint32_t)(period >> 32));
	t = now();
	wr(CONTROL + WCS, WCS_EN);
	v = wcv();
	if (v < t + period || v > now() + period) {
		fail("wcv after enabling, minus the count before", v - t, period);
	}
	printf("wdog: enabled: wcv = count + wor\n");

	for (i = 0; i < 20; i++) {
		spin_until(now() + period / 2);
		wr(REFRESH + WRR, 0);
	}
	expect("wcs after 10 periods of refreshes", rd(CONTROL + WCS), WCS_EN);
	printf("wdog: refreshed every half period: no ws0\n");

	vireo_gic_init();
	vireo_gic_enable_spi(WS0_INTID, 0x80, 0);
	v = wcv();
	ack = vireo_gic_wait_irq();
	expect("the interrupt", ack, WS0_INTID);
	wcs = rd(CONTROL + WCS);
	expect("wcs at the interrupt", wcs, WCS_EN | WCS_WS0);
	expect("wcv moved on by", wcv() - v, period);
	wr(REFRESH + WRR, 0);
	expect("wcs after a refresh", rd(CONTROL + WCS), WCS_EN);
	ack = VIREO_GIC_INTID(vireo_gic_ack());
	expect("an interrupt after the refresh (1023: none)", ack, 1023);
	printf("wdog: ws0 raised interrupt %u, wcv moved on by wor, a refresh lowered it\n",
	       WS0_INTID);

	wr(CONTROL + WCS, 0);
	spin_until(now() + 3 * period);
	expect("wcs, disabled, 3 periods on", rd(CONTROL + WCS), 0);
	printf("wdog: disabled: quiet\n");

	printf("wdog: enabled, spinning with interrupts masked\n");
	wr(CONTROL + WCS, WCS_EN);
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;) {
	}
}
