/*
 * lib.c: the few library routines the 32-bit guests need, without libgcc.
 *
 * udiv64() is 64-bit division by shift and subtract: the guests divide
 * 64-bit counter values and print 64-bit numbers, and the compiler's own
 * __aeabi_uldivmod lives in the toolchain's hard-float libgcc, which a
 * soft-float, general-registers-only image cannot link. memset() and
 * memcpy() are here because the compiler may call them for a struct's
 * initialisation or copy. be32_at() reads a device tree's fields.
 */
#include "guest32.h"

uint64_t udiv64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	if (d == 0) {
		if (rem) {
			*rem = n;
		}
		return ~0ULL; /* there is no right answer; never trap */
	}
	if ((n >> 32) == 0 && (d >> 32) == 0) {
		/* The common case, in the CPU's own udiv. */
		uint32_t n32 = (uint32_t)n, d32 = (uint32_t)d;

		if (rem) {
			*rem = n32 % d32;
		}
		return n32 / d32;
	}
	for (int bit = 63; bit >= 0; bit--) {
		r = r << 1 | ((n >> bit) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ULL << bit;
		}
	}
	if (rem) {
		*rem = r;
	}
	return q;
}

void *memset(void *s, int c, size_t n)
{
	volatile uint8_t *p = s;

	/* volatile: the compiler must not turn this loop into a memset call. */
	while (n--) {
		*p++ = (uint8_t)c;
	}
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile uint8_t *dp = d;
	const volatile uint8_t *sp = s;

	while (n--) {
		*dp++ = *sp++;
	}
	return d;
}

uint32_t be32_at(uint32_t addr)
{
	volatile const uint8_t *b = (volatile const uint8_t *)addr;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
