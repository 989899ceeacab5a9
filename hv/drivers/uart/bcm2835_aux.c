/*
 * The BCM2835 mini UART (BCM2835 ARM Peripherals, 2.2 "Mini UART"), polled
 * for output, with its receive interrupt for input. Its registers are a
 * 16550's, one every four bytes, from the node's "reg" (AUX_MU_IO_REG at
 * 0x7e215040 on the bus): the data register, the interrupt enable
 * register, and the line status register with "data ready" and
 * "transmitter can take a byte".
 *
 * Its baud rate derives from the VideoCore's core clock: the firmware sets
 * both when config.txt has enable_uart=1, and Vireo changes neither. The
 * receive interrupt is the auxiliary block's, shared with its two SPI
 * masters, which nothing else enables.
 */
#include "drivers/uart/bcm2835_aux.h"
#include "drivers/uart/uart.h"

#define AUX_MU_IO 0x00
#define AUX_MU_IER 0x04
#define AUX_MU_LSR 0x14
#define IER_RX BIT(0)
#define LSR_DATA_READY BIT(0)
#define LSR_TX_EMPTY BIT(5)

static void put(volatile void *base, char c)
{
	while (!(*uart_reg(base, AUX_MU_LSR) & LSR_TX_EMPTY)) {
	}
	*uart_reg(base, AUX_MU_IO) = (uint8_t)c;
}

static void aux_write(volatile void *base, const char *s, size_t len)
{
	uart_write_crlf(base, s, len, put);
}

static int aux_getc(volatile void *base)
{
	if (!(*uart_reg(base, AUX_MU_LSR) & LSR_DATA_READY)) {
		return -1;
	}
	return (int)(*uart_reg(base, AUX_MU_IO) & 0xff);
}

static void aux_enable_rx_irq(volatile void *base)
{
	*uart_reg(base, AUX_MU_IER) = IER_RX;
}

/* The receive interrupt is raised while the receive FIFO holds data, so
 * enabling it again while bytes wait raises it at once. */
static void aux_set_rx_irq(volatile void *base, bool on)
{
	*uart_reg(base, AUX_MU_IER) = on ? IER_RX : 0;
}

const struct uart_driver bcm2835_aux_uart = {
	.name = "mini UART",
	.compatible = "brcm,bcm2835-aux-uart",
	.write = aux_write,
	.getc = aux_getc,
	.enable_rx_irq = aux_enable_rx_irq,
	.set_rx_irq = aux_set_rx_irq,
};
