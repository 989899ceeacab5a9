/*
 * The physical console, and printk(): one UART that the board's driver
 * drives (core/board.h), first at the board's early address and then at
 * the one the device tree names. Every message is formatted into a
 * buffer first and then written under the console lock, so lines from
 * different CPUs never interleave. A VM's console may leave a line open (a
 * prompt, console_emit() with complete = false); anything else written
 * before that VM continues it first ends the line, and the VM's
 * continuation starts a new one with its prefix again: each line on the
 * console carries one source's text. The lock is switched on once the MMU is
 * on and before secondary CPUs start (exclusives need cacheable memory).
 *
 * Until a UART is set, output is dropped: nothing is known to write it to.
 *
 * Input is interrupt-driven: the UART's receive interrupts go to the boot
 * CPU, and each byte typed goes to the VM that has the console's focus
 * (vm_console_input()), whose virtual UART raises its own interrupt.
 */
#include "core/console.h"

#include <string.h>

#include "arch/aarch64/spinlock.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vm.h"

static const struct uart_driver *uart;
static volatile void *uart_base;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool use_lock;
static const void *open_line; /* whose line is still open, or NULL */

void console_set_uart(const struct uart_driver *driver, volatile void *base)
{
	uart = driver;
	uart_base = base;
}

void console_enable_lock(void)
{
	use_lock = true;
}

/* Passes every received byte on to the VM with the console's focus. */
static enum irq_result rx_interrupt(void *ctx)
{
	int c;

	while ((c = uart->getc(uart_base)) >= 0) {
		vm_console_input((char)c);
	}
	return IRQ_HANDLED;
}

void console_enable_input(unsigned irq)
{
	if (!uart || !irqchip || irq == IRQ_NONE || !irq_register(irq, rx_interrupt, NULL)) {
		return;
	}
	uart->enable_rx_irq(uart_base);
	irqchip->enable(irq, this_cpu());
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
	if (uart) {
		uart->write(uart_base, s, len);
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
