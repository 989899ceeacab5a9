/*
 * The physical console: a PL011 UART driven by polling, and printk().
 *
 * Vireo does not reprogram the UART's baud rate: firmware (or QEMU) has
 * set it up, as for Linux's earlycon. Every message is formatted into a
 * buffer first and then written under the console lock, so lines from
 * different CPUs never interleave. The lock is switched on once the MMU is
 * on and before secondary CPUs start (exclusives need cacheable memory).
 * Output is the only direction: guests' console input is for the virtual
 * UART (vpl011.c).
 */
#include "console.h"

#include "printk.h"
#include "spinlock.h"

/* PL011 registers (ARM PrimeCell UART (PL011) TRM, DDI 0183, 3.2). */
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF (1U << 5) /* transmit FIFO full */

static volatile uint32_t *uart = (volatile uint32_t *)EARLY_UART_BASE;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool use_lock;

void console_set_base(paddr_t base)
{
	uart = (volatile uint32_t *)pa_addr(base);
}

void console_enable_lock(void)
{
	use_lock = true;
}

static void uart_putc(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF) {
	}
	uart[UARTDR / 4] = (uint8_t)c;
}

void console_write(const char *s, size_t len)
{
	bool locked = use_lock;

	if (locked) {
		spin_lock(&console_lock);
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			uart_putc('\r');
		}
		uart_putc(s[i]);
	}
	if (locked) {
		spin_unlock(&console_lock);
	}
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
