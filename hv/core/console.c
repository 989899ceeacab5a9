/*
 * The physical console: a PL011 UART driven by polling, and printk().
 *
 * Vireo does not reprogram the UART's baud rate: firmware (or QEMU) has
 * set it up, as for Linux's earlycon. Every message is formatted into a
 * buffer first and then written under the console lock, so lines from
 * different CPUs never interleave. A VM's console may leave a line open (a
 * prompt, console_emit() with complete = false); anything else written
 * before that VM continues it first ends the line, and the VM's
 * continuation starts a new one with its prefix again: each line on the
 * console carries one source's text. The lock is switched on once the MMU is
 * on and before secondary CPUs start (exclusives need cacheable memory).
 *
 * Input is interrupt-driven: the UART's receive interrupts go to the boot
 * CPU, and each byte typed goes to the VM that has the console's focus
 * (vm_console_input()), whose virtual UART raises its own interrupt.
 */
#include "core/console.h"

#include <string.h>

#include "drivers/irqchip/gic.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "arch/aarch64/spinlock.h"
#include "core/vm.h"

/* PL011 registers (ARM PrimeCell UART (PL011) TRM, DDI 0183, 3.2). */
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UARTFR_RXFE (1U << 4) /* receive FIFO empty */
#define UARTFR_TXFF (1U << 5) /* transmit FIFO full */
#define UART_RXIM (1U << 4)
#define UART_RTIM (1U << 6)

static volatile uint32_t *uart = (volatile uint32_t *)EARLY_UART_BASE;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool use_lock;
static const void *open_line; /* whose line is still open, or NULL */
static unsigned rx_intid = ~0U;

void console_set_base(paddr_t base)
{
	uart = (volatile uint32_t *)pa_addr(base);
}

void console_enable_lock(void)
{
	use_lock = true;
}

void console_enable_input(unsigned intid)
{
	if (!gic_present() || intid == 0) {
		return;
	}
	rx_intid = intid;
	uart[UARTICR / 4] = 0x7ff;
	uart[UARTIMSC / 4] = UART_RXIM | UART_RTIM;
	gic_enable_spi(intid, this_cpu());
}

unsigned console_irq(void)
{
	return rx_intid;
}

void console_rx_interrupt(void)
{
	while (!(uart[UARTFR / 4] & UARTFR_RXFE)) {
		vm_console_input((char)(uart[UARTDR / 4] & 0xff));
	}
}

static void uart_putc(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF) {
	}
	uart[UARTDR / 4] = (uint8_t)c;
}

static void lock(void)
{
	if (use_lock) {
		spin_lock(&console_lock);
	}
}

static void unlock(void)
{
	if (use_lock) {
		spin_unlock(&console_lock);
	}
}

static void put_bytes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			uart_putc('\r');
		}
		uart_putc(s[i]);
	}
}

/* Ends another source's open line before source writes. */
static void close_open_line(const void *source)
{
	if (open_line && open_line != source) {
		put_bytes("\n", 1);
		open_line = NULL;
	}
}

void console_write(const char *s, size_t len)
{
	lock();
	close_open_line(NULL);
	put_bytes(s, len);
	unlock();
}

void console_emit(const void *source, const char *prefix, const char *text, size_t len,
		  bool complete)
{
	lock();
	close_open_line(source);
	if (open_line != source) {
		put_bytes(prefix, strlen(prefix));
	}
	put_bytes(text, len);
	if (complete) {
		put_bytes("\n", 1);
	}
	open_line = complete ? NULL : source;
	unlock();
}

void console_end_line(const void *source)
{
	lock();
	if (open_line == source) {
		put_bytes("\n", 1);
		open_line = NULL;
	}
	unlock();
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
