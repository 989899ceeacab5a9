/*
 * What the hypervisor's freestanding headers assume and the host lacks,
 * for unit tests whose sources need it. tests/tests.mk passes this file
 * with -include, so it comes before anything else in every file of the
 * test program.
 *
 * spinlock.h spins with WFE and wakes with SEV, which a host assembler
 * rejects. Defining its include guard here keeps it out, and puts in its
 * place a lock that checks its use instead: the tests are single threaded,
 * so taking a lock already held would deadlock on hardware, and releasing
 * one not held is a bug. Both abort at once. spin_is_held() lets a test's
 * callback check that it was called with the lock held.
 *
 * strlcpy() is in Vireo's C library (hv/libc.c) but in glibc only from
 * 2.38 on (other C libraries have had it for long).
 */
#ifndef VIREO_TEST_HOST_SHIM_H
#define VIREO_TEST_HOST_SHIM_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIREO_SPINLOCK_H

typedef struct {
	int held;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline void spin_lock(spinlock_t *l)
{
	if (l->held) {
		fprintf(stderr, "spin_lock(%p): already held, would deadlock\n", (void *)l);
		abort();
	}
	l->held = 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->held) {
		fprintf(stderr, "spin_unlock(%p): not held\n", (void *)l);
		abort();
	}
	l->held = 0;
}

static inline bool spin_is_held(const spinlock_t *l)
{
	return l->held;
}

#if defined(__GLIBC__) && __GLIBC__ == 2 && __GLIBC_MINOR__ < 38
static inline size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#endif

#endif
