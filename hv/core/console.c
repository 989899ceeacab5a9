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
 * Nothing typed is dropped. Before each byte is taken from the UART, the
 * focus is asked whether its VM has room for it (console_focus_can_take());
 * when it has not, the UART's receive interrupt is masked (the driver's
 * set_rx_irq()) and the bytes stay in the UART, which holds further input
 * back, until the VM's guest has read enough of its input: its virtual
 * UART then calls input_room() on the guest's CPU, which unmasks it, and
 * the boot CPU takes the interrupt again.
 *
 * Locks: console_lock serialises output. input_lock serialises input: it is
 * held across each interrupt's whole loop (which asks for room, reads the
 * UART and masks its interrupt) and by input_room(), so that a guest making
 * room cannot unmask the interrupt between the question and the masking.
 * Lock order: input_lock, a virtual UART's lock, console_lock (the focus
 * messages take it under input_lock, a virtual UART's lines under its
 * own); a virtual UART calls input_room() with its own lock released.
 */
#include "core/console.h"

#include <string.h>

#include "arch/aarch64/spinlock.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vm.h"
#include "vdev/vpl011.h"

static const struct uart_driver *uart;
static volatile void *uart_base;
static spinlock_t console_lock = SPINLOCK_INIT;
static bool use_lock;
static const void *open_line; /* whose line is still open, or NULL */
static spinlock_t input_lock = SPINLOCK_INIT;
static bool input_held; /* receive interrupt masked: no room for input */

void console_set_uart(const struct uart_driver *driver, volatile void *base)
{
	uart = driver;
	uart_base = base;
}

void console_enable_lock(void)
{
	use_lock = true;
}

/* Passes the received bytes on to the VM with the console's focus while
 * it has room for them; leaves the rest in the UART when it has not. */
static enum irq_result rx_interrupt(void *ctx)
{
	int c;

	spin_lock(&input_lock);
	while (!input_held) {
		if (!console_focus_can_take()) {
			uart->set_rx_irq(uart_base, false);
			input_held = true;
		} else if ((c = uart->getc(uart_base)) >= 0) {
			vm_console_input((char)c);
		} else {
			break;
		}
	}
	spin_unlock(&input_lock);
	return IRQ_HANDLED;
}

/* A virtual UART's room hook (vpl011.c): the VM input was held back for has
 * room again, or stopped. On that guest's CPU; the interrupt, once unmasked,
 * is the boot CPU's again, and asks for room anew. */
static void input_room(void)
{
	spin_lock(&input_lock);
	if (input_held) {
		input_held = false;
		uart->set_rx_irq(uart_base, true);
	}
	spin_unlock(&input_lock);
}

void console_enable_input(unsigned irq)
{
	if (!uart || !irqchip || irq == IRQ_NONE || !irq_register(irq, rx_interrupt, NULL)) {
		return;
	}
	vpl011_set_room_hook(input_room);
	uart->enable_rx_irq(uart_base);
	irqchip->enable(irq, this_cpu());
	/* Bytes typed while Vireo booted wait in the UART, and enabling may
	 * have cleared the interrupt they raised: a PL011 holding a byte then
	 * takes no more and never interrupts again. Take them now. */
	rx_interrupt(NULL);
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
