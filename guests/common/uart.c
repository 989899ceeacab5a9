/*
 * uart.c: console output for the guests, a polled PL011, and a printf;
 * compiled into both runtimes, the 64-bit guests' and the 32-bit ones'.
 *
 * printf understands just what the guests print: %c %s %d %u %x and %p,
 * the l/ll length modifiers, a field width and the '0' flag (so %016lx
 * works), and %%. "l" takes a long and "ll" a long long, as -Wformat
 * checks them: in AArch64 (LP64) both are 64 bits, in AArch32 (ILP32) a
 * long is 32. Numbers are converted as 64-bit values, through div_base(),
 * which in the 32-bit build is udiv64(): the compiler's __aeabi_uldivmod
 * would need libgcc. The UART is never initialised here: Vireo's virtual
 * PL011 (and QEMU's) transmits without it, and bare-metal code that
 * reprograms the baud rate of someone else's console does more harm than
 * good. Accesses are 32-bit, as the PL011's registers require.
 */
#include "runtime.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	(1U << 5) /* transmit FIFO full */

static void uart_tx(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)GUEST_UART_BASE;

	while (uart[UARTFR / 4] & UARTFR_TXFF) {
	}
	uart[UARTDR / 4] = (uint8_t)c;
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

/* v / base, and the remainder in *rem. */
static uint64_t div_base(uint64_t v, unsigned base, unsigned *rem)
{
#ifdef __LP64__
	*rem = (unsigned)(v % base);
	return v / base;
#else
	uint64_t r;
	uint64_t q = udiv64(v, base, &r);

	*rem = (unsigned)r;
	return q;
#endif
}

static void put_num(uint64_t v, unsigned base, int neg, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		unsigned digit;

		v = div_base(v, base, &digit);
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
			int64_t v = lng >= 2 ? va_arg(ap, long long)
				  : lng ? va_arg(ap, long) : va_arg(ap, int);
			/* Negate as unsigned so INT64_MIN does not overflow. */
			put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = lng >= 2 ? va_arg(ap, unsigned long long)
				   : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
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
