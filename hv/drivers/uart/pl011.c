/*
 * The PL011 UART (ARM PrimeCell UART (PL011) TRM, DDI 0183, 3.2), polled
 * for output, with receive interrupts for input.
 *
 * Vireo does not reprogram the baud rate: firmware (or QEMU) has set the
 * UART up, as for Linux's earlycon. The console (core/console.c) calls
 * these with the UART's mapped registers.
 */
#include "drivers/uart/pl011.h"
#include "drivers/uart/uart.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UARTFR_RXFE (1U << 4) /* receive FIFO empty */
#define UARTFR_TXFF (1U << 5) /* transmit FIFO full */
#define UART_RXIM (1U << 4)
#define UART_RTIM (1U << 6)
#define UART_ALL_INTERRUPTS 0x7ff

static void put(volatile void *base, char c)
{
	while (*uart_reg(base, UARTFR) & UARTFR_TXFF) {
	}
	*uart_reg(base, UARTDR) = (uint8_t)c;
}

static void pl011_write(volatile void *base, const char *s, size_t len)
{
	uart_write_crlf(base, s, len, put);
}

static int pl011_getc(volatile void *base)
{
	if (*uart_reg(base, UARTFR) & UARTFR_RXFE) {
		return -1;
	}
	return (int)(*uart_reg(base, UARTDR) & 0xff);
}

static void pl011_enable_rx_irq(volatile void *base)
{
	*uart_reg(base, UARTICR) = UART_ALL_INTERRUPTS;
	*uart_reg(base, UARTIMSC) = UART_RXIM | UART_RTIM;
}

/* UARTIMSC only masks: the raw receive and receive-timeout status
 * (UARTRIS) stays while received bytes wait in the FIFO, so unmasking
 * raises the interrupt again. No UARTICR write here: that would clear the
 * status of bytes still waiting, and they would sit unannounced. */
static void pl011_set_rx_irq(volatile void *base, bool on)
{
	*uart_reg(base, UARTIMSC) = on ? UART_RXIM | UART_RTIM : 0;
}

const struct uart_driver pl011_uart = {
	.name = "PL011",
	.compatible = "arm,pl011",
	.write = pl011_write,
	.getc = pl011_getc,
	.enable_rx_irq = pl011_enable_rx_irq,
	.set_rx_irq = pl011_set_rx_irq,
};
