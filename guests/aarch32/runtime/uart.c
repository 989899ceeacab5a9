/*
 * uart.c: console output for the 32-bit guests, a polled PL011, and a
 * printf.
 *
 * The same console as the 64-bit guests' (guests/common/uart.c), for an
 * ILP32 C: here long is 32 bits, so "l" means a long and "ll" a 64-bit
 * value (%llx), as -Wformat checks. Numbers are converted with udiv64(),
 * not the compiler's __aeabi_uldivmod, which would need libgcc. The UART
 * is never initialised: Vireo's virtual PL011 (and QEMU's) transmits
 * without it. Accesses are 32-bit, as the PL011's registers require.
 */
#include "guest32.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	(1U << 5) /* transmit FIFO full */

static void uart_tx(char c)
{
	while (mmio_read32(GUEST_UART_BASE + UARTFR) & UARTFR_TXFF) {
	}
	mmio_write32(GUEST_UART_BASE + UARTDR, (uint8_t)c);
}

void putc(char c)
{
	/* A serial terminal wants CR LF; the guests' strings say "\n". */
	if (c == '\n') {
		uart_tx('\r');
	}
	uart_tx(c);
}

void puts(const char *s)
{
	while (*s) {
		putc(*s++);
	}
	putc('\n');
}

static void put_num(uint64_t v, unsigned base, int neg, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		uint64_t digit;

		v = udiv64(v, base, &digit);
		buf[n++] = "0123456789abcdef"[digit];
	} while (v);
	if (neg) {
		buf[n++] = '-';
	}
	for (; width > n; width--) {
		putc(pad);
	}
	while (n) {
		putc(buf[--n]);
	}
}

void vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putc(*fmt);
			continue;
		}
		char pad = ' ';
		int width = 0, lng = 0;

		if (*++fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9') {
			width = width * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'd': {
			int64_t v = lng >= 2 ? va_arg(ap, int64_t) : va_arg(ap, int);
			/* Negate as unsigned so INT64_MIN does not overflow. */
			put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = lng >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_num(v, *fmt == 'x' ? 16 : 10, 0, width, pad);
			break;
		}
		case 'p':
			putc('0');
			putc('x');
			put_num((uintptr_t)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case 'c':
			putc((char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			while (*s) {
				putc(*s++);
			}
			break;
		}
		case '%':
			putc('%');
			break;
		case '\0':
			return; /* a lone '%' ends the string */
		default:
			/* Unknown conversion: show it rather than guess an argument. */
			putc('%');
			putc(*fmt);
			break;
		}
	}
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
