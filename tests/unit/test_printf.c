/*
 * Unit tests for Vireo's formatter (hv/printf.c), run natively against the
 * C library's printf as the reference.
 *
 * hv/printf.c defines vsnprintf() and snprintf() under the C library's own
 * names; tests/tests.mk compiles this program with -Dvsnprintf=hv_vsnprintf
 * -Dsnprintf=hv_snprintf, so Vireo's versions link as hv_*. This file
 * includes printk.h while those macros are in force, to declare the hv_
 * names from the real header, then drops them to reach the C library's.
 *
 * Every format is run at every buffer size from 0 to one past its length,
 * and both the return value and the whole buffer (bytes after the end
 * included) must match what the C library does.
 */
#ifndef vsnprintf
#error "build with -Dvsnprintf=hv_vsnprintf -Dsnprintf=hv_snprintf (see tests/tests.mk)"
#endif
#include "core/printk.h"
#undef vsnprintf
#undef snprintf

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define BUF 160
#define JUNK 0x7e
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static void compare(int line, const char *fmt, va_list ap)
{
	char want[BUF], got[BUF];
	int wn, gn;
	size_t size;
	va_list aq;

	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, aq);
	va_end(aq);
	assert_in_range(wn, 0, BUF - 2);

	for (size = 0; size <= (size_t)wn + 2; size++) {
		memset(want, JUNK, sizeof(want));
		memset(got, JUNK, sizeof(got));
		va_copy(aq, ap);
		vsnprintf(want, size, fmt, aq);
		va_end(aq);
		va_copy(aq, ap);
		gn = hv_vsnprintf(got, size, fmt, aq);
		va_end(aq);
		if (gn != wn) {
			fail_msg("line %d: \"%s\" size %zu: hv returns %d, libc %d", line, fmt, size,
				 gn, wn);
		}
		if (memcmp(got, want, sizeof(got)) != 0) {
			fail_msg("line %d: \"%s\" size %zu: hv gives \"%.*s\", libc \"%.*s\"", line,
				 fmt, size, (int)MIN(size, sizeof(got)), got,
				 (int)MIN(size, sizeof(want)), want);
		}
	}
}

static void check_fmt(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check_fmt(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare(line, fmt, ap);
	va_end(ap);
}

/* For formats GCC would rightly warn about as literals, e.g. "%-05d". */
static void check_fmt_unchecked(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare(line, fmt, ap);
	va_end(ap);
}

#define CHECK(...) check_fmt(__LINE__, __VA_ARGS__)

static void test_plain(void **state)
{
	check_fmt_unchecked(__LINE__, "");
	CHECK("hello, world");
	CHECK("%%");
	CHECK("100%% sure, %%d is not a conversion here");
}

static void test_signed(void **state)
{
	CHECK("%d", 0);
	CHECK("%d", 1);
	CHECK("%d", -1);
	CHECK("%d|%d", 42, -42);
	CHECK("%d", INT_MAX);
	CHECK("%d", INT_MIN);
	CHECK("%i", -12345);
	CHECK("%i", 987654321);
	CHECK("%ld", 0L);
	CHECK("%ld", LONG_MAX);
	CHECK("%ld", (long)INT64_MIN);
	CHECK("%ld", -4294967296L);
	CHECK("%li", -1L);
	CHECK("%lld", LLONG_MIN);
	CHECK("%lld", LLONG_MAX);
	CHECK("%zd", (ssize_t)-5);
	CHECK("%zd", (ssize_t)SSIZE_MAX);
}

static void test_unsigned(void **state)
{
	CHECK("%u", 0U);
	CHECK("%u", 3000000000U);
	CHECK("%u", UINT_MAX);
	CHECK("%lu", ULONG_MAX);
	CHECK("%llu", ULLONG_MAX);
	CHECK("%zu", (size_t)0);
	CHECK("%zu", SIZE_MAX);
	CHECK("%x", 0U);
	CHECK("%x", 0xdeadbeefU);
	CHECK("%X", 0xdeadbeefU);
	CHECK("%x", UINT_MAX);
	CHECK("%lx", ULONG_MAX);
	CHECK("%lx", 0x123456789abcdefUL);
	CHECK("%lX", 0xfedcba9876543210UL);
	CHECK("%llx", ULLONG_MAX);
	CHECK("%llx", 0x8000000000000000ULL);
	CHECK("%zx", (size_t)0xabcdef);
	/* An int argument read as unsigned. */
	CHECK("%u|%x", (unsigned)-1, (unsigned)-2);
}

static void test_width_and_flags(void **state)
{
	CHECK("[%5d]", 42);
	CHECK("[%5d]", -42);
	CHECK("[%-5d]", 42);
	CHECK("[%-5d]", -42);
	CHECK("[%05d]", 42);
	CHECK("[%05d]", -42);
	CHECK("[%05d]", 0);
	CHECK("[%2d]", 12345);  /* width smaller than the number */
	CHECK("[%1d]", 0);
	CHECK("[%3d]", -100);   /* width equal to the number */
	CHECK("[%016lx]", 0xabcUL);
	CHECK("[%016lx]", 0xfedcba9876543210UL);
	CHECK("[%-8x]", 0xabcU);
	CHECK("[%08X]", 0xabcU);
	CHECK("[%8u]", 7U);
	CHECK("[%-2u]", 7U);
	CHECK("[%-2u]", 123U);
	CHECK("[%021ld]", LONG_MIN);
	CHECK("[%010ld]", LONG_MIN);
	CHECK("[%-25ld]", LONG_MIN);
	CHECK("[%20zu]", SIZE_MAX);
	CHECK("[%40d]", 1);
	CHECK("[%3c]", 'x');
	CHECK("[%-3c]", 'x');
	CHECK("[%10s]", "abc");
	CHECK("[%-10s]", "abc");
	CHECK("[%2s]", "abcdef");
	CHECK("[%5s]", "");
	/* '-' wins over '0', which then pads nothing. */
	check_fmt_unchecked(__LINE__, "[%-05d]", -42);
	check_fmt_unchecked(__LINE__, "[%0-5d]", 42);
	check_fmt_unchecked(__LINE__, "[%-08x]", 0xabcU);
}

static void test_strings_and_chars(void **state)
{
	const char *volatile nul = NULL;
	char buf[16];

	CHECK("%s", "");
	CHECK("%s", "a string");
	CHECK("<%s><%s>", "one", "two");
	CHECK("%s", nul);
	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%s", nul), 6);
	assert_string_equal(buf, "(null)");
	CHECK("[%10s]", nul);
	CHECK("[%-8s]", nul);
	CHECK("%c", 'A');
	CHECK("%c%c%c", 'a', '%', 'z');
	CHECK("[%c]", 0); /* a NUL character is output and counted */
	CHECK("%c", 0x141); /* converted to unsigned char */
}

static void test_pointers(void **state)
{
	int local;

	CHECK("%p", (void *)0x1234abcd);
	CHECK("%p", (void *)&local);
	CHECK("%p", (void *)0xffffffffffffffffUL);
	CHECK("[%20p]", (void *)0x1234abcd);
	CHECK("[%-20p]", (void *)0x1234abcd);
	CHECK("[%4p]", (void *)0x1234abcd);
	/* glibc zero-pads after the "0x"; C leaves '0' with %p undefined. */
	check_fmt_unchecked(__LINE__, "[%018p]", (void *)0x1234abcd);
}

static void test_mixed(void **state)
{
	CHECK("%s=%d, %c%%%x|%lu [%-6s] %p", "key", -7, 'q', 0xbeefU, 99UL, "ab", (void *)0x40);
	CHECK("cpu%u: mpidr %lx", 3U, 0x80000003UL);
	CHECK("vm %u: %lx-%lx %s (%ld KiB)", 1U, 0x40000000UL, 0x7fffffffUL, "ram", 1048576L);
	CHECK("%016lx %016lx %016lx", 0UL, 1UL, ~0UL);
}

/* The bounded-buffer contract, spelled out, in case libc were wrong. */
static void test_truncation(void **state)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(hv_snprintf(buf, 8, "hello %d", 12345), 11);
	assert_string_equal(buf, "hello 1");
	assert_int_equal(buf[8], 'X');

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(hv_snprintf(buf, 1, "hello %d", 12345), 11);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(hv_snprintf(buf, 0, "hello %d", 12345), 11);
	assert_int_equal(buf[0], 'X');
	assert_int_equal(hv_snprintf(NULL, 0, "%s%s", "abc", "defg"), 7);

	/* Exactly fitting, and one short. */
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(hv_snprintf(buf, 6, "%05d", -42), 5);
	assert_string_equal(buf, "-0042");
	assert_int_equal(hv_snprintf(buf, 5, "%05d", -42), 5);
	assert_string_equal(buf, "-004");
	/* Cut inside padding. */
	assert_int_equal(hv_snprintf(buf, 4, "[%10s]", "x"), 12);
	assert_string_equal(buf, "[  ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_strings_and_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
