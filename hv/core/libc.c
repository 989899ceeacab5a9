/*
 * The freestanding C library subset that Vireo and the libfdt it links
 * (Debian's static libfdt.a) call: string and memory functions, strtoul,
 * and the stack-protector symbols libfdt was compiled to expect.
 *
 * They are simple loops, except where a VM's size shows: memset() zeroes
 * guest RAM with DC ZVA, a cache block per instruction (Arm ARM D7.5.11),
 * and memcpy()/memmove() move 8 bytes at a time when both sides allow it,
 * which is how a kernel image gets into a VM. They run at boot and when a
 * VM is built or reset, never on a trap path.
 */
#include <stdlib.h>
#include <string.h>

#include "core/panic.h"
#include "arch/aarch64/sysreg.h"

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c) {
			return (void *)p;
		}
	}
	return NULL;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y) {
			return *x - *y;
		}
	}
	return 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	bool words = !(((uintptr_t)d | (uintptr_t)s) & 7);

	if (d < s) {
		/* 32 bytes a turn: the compiler makes it two ldp/stp pairs. */
		for (; words && n >= 32; n -= 32, d += 32, s += 32) {
			uint64_t a = ((const uint64_t *)s)[0], b = ((const uint64_t *)s)[1];
			uint64_t c = ((const uint64_t *)s)[2], e = ((const uint64_t *)s)[3];

			((uint64_t *)d)[0] = a;
			((uint64_t *)d)[1] = b;
			((uint64_t *)d)[2] = c;
			((uint64_t *)d)[3] = e;
		}
		for (; words && n >= 8; n -= 8, d += 8, s += 8) {
			*(uint64_t *)d = *(const uint64_t *)s;
		}
		while (n--) {
			*d++ = *s++;
		}
	} else {
		for (; words && n >= 8 && !(n & 7); n -= 8) {
			*(uint64_t *)(d + n - 8) = *(const uint64_t *)(s + n - 8);
		}
		while (n--) {
			d[n] = s[n];
		}
	}
	return dst;
}

/* DCZID_EL0: the DC ZVA block is 4 << BS bytes; DZP forbids it. */
#define DCZID_BS GENMASK(3, 0)
#define DCZID_DZP BIT(4)

/* Zeroes whole DC ZVA blocks from p while n allows; returns how far. */
static size_t zero_blocks(unsigned char *p, size_t n)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	size_t block = 4UL << FIELD_GET(DCZID_BS, dczid), done = 0;

	if ((dczid & DCZID_DZP) || ((uintptr_t)p & (block - 1))) {
		return 0;
	}
	/* Four blocks a turn: the loop's own instructions otherwise outnumber
	 * the DC ZVAs. */
	for (; n - done >= 4 * block; done += 4 * block) {
		__asm__ volatile("dc zva, %0\n\tdc zva, %1\n\tdc zva, %2\n\tdc zva, %3"
				 :
				 : "r"(p + done), "r"(p + done + block), "r"(p + done + 2 * block),
				   "r"(p + done + 3 * block)
				 : "memory");
	}
	for (; n - done >= block; done += block) {
		__asm__ volatile("dc zva, %0" : : "r"(p + done) : "memory");
	}
	return done;
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	uint64_t pattern = (unsigned char)c * 0x0101010101010101UL;
	size_t done;

	while (n > 0 && ((uintptr_t)p & 7)) {
		*p++ = (unsigned char)c;
		n--;
	}
	if (c == 0 && n >= PAGE_SIZE && !((uintptr_t)p & (PAGE_SIZE - 1))) {
		done = zero_blocks(p, n);
		p += done;
		n -= done;
	}
	for (; n >= 8; n -= 8, p += 8) {
		*(volatile uint64_t *)p = pattern;
	}
	while (n--) {
		*p++ = (unsigned char)c;
	}
	return s;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (*s == '\0') {
			return NULL;
		}
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c) {
			last = s;
		}
		if (*s == '\0') {
			return (char *)last;
		}
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b || *a == '\0') {
			return (unsigned char)*a - (unsigned char)*b;
		}
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n]) {
		n++;
	}
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n]) {
		n++;
	}
	return n;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'Z') {
		return c - 'A' + 10;
	}
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (*s == ' ' || *s == '\t') {
		s++;
	}
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; digit_value(*s) < base; s++) {
		v = v * base + digit_value(*s);
	}
	if (end) {
		*end = (char *)s;
	}
	return v;
}

/* libfdt.a was built with -fstack-protector; a smashed stack is our bug. */
uintptr_t __stack_chk_guard = 0x595e9fbd94fda766UL;

void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed");
}
