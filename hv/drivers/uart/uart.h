/*
 * What the UART drivers share: their registers, 32 bits wide at byte
 * offsets from the mapped base, and struct uart_driver's write(), which
 * sends each '\n' as CR LF through the driver's own put(). Both are
 * inline, so each driver's put() stays a direct call.
 */
#ifndef VIREO_DRIVERS_UART_H
#define VIREO_DRIVERS_UART_H

#include "core/types.h"

static inline volatile uint32_t *uart_reg(volatile void *base, unsigned off)
{
	return (volatile uint32_t *)((volatile uint8_t *)base + off);
}

static inline void uart_write_crlf(volatile void *base, const char *s, size_t len,
				   void (*put)(volatile void *base, char c))
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			put(base, '\r');
		}
		put(base, s[i]);
	}
}

#endif
