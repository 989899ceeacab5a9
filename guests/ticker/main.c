/*
 * ticker: shows that a VM goes on running, by printing a numbered line
 * every TICK_MS milliseconds of the counter, until a 'q' arrives on its
 * console (then it powers off) or LIMIT_S seconds have passed (then it
 * says so and powers off: whoever meant to stop it did not).
 *
 * Lines: "ticker: tick N", "ticker: quit", "ticker: gave up".
 */
#include "guest.h"

#define TICK_MS 20
#define LIMIT_S 120

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_RXFE (1U << 4) /* receive FIFO empty */

/* A byte typed on its console, or -1. */
static int uart_getc(void)
{
	volatile uint32_t *uart = (volatile uint32_t *)GUEST_UART_BASE;

	if (uart[UARTFR / 4] & UARTFR_RXFE) {
		return -1;
	}
	return (int)(uart[UARTDR / 4] & 0xff);
}

int main(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntvct_el0);
	uint64_t tick = freq * TICK_MS / 1000, next = start + tick;
	unsigned n = 0;

	for (;;) {
		uint64_t now = read_sysreg(cntvct_el0);

		if (uart_getc() == 'q') {
			puts("ticker: quit");
			break;
		}
		if (now - start > LIMIT_S * freq) {
			puts("ticker: gave up");
			break;
		}
		if (now >= next) {
			printf("ticker: tick %u\n", ++n);
			next += tick;
		}
	}
	psci_system_off();
}
