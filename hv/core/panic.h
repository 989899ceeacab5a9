/*
 * Vireo's error policy, in two parts.
 *
 * A broken invariant of Vireo's own is a bug: CHECK(cond) and panic() print
 * what went wrong with file and line, dump the CPU's state and stop the
 * machine. Nothing a guest does may lead here: a guest's mistake gets an
 * architectural answer (an injected abort or UNDEF, an SMCCC error code) or
 * stops that one VM (vm_stop() in vm.h), and the rest of the system goes on.
 */
#ifndef VIREO_CORE_PANIC_H
#define VIREO_CORE_PANIC_H

#include "core/types.h"

void __panic(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
/* The end of every panic: the machine powers off (or this CPU halts). */
void panic_stop(void) __attribute__((noreturn));
/* Prints registers x0 .. x(n-1) two to a line, under the heading what. */
void panic_dump_regs(const char *what, const uint64_t *x, unsigned n);

#define panic(...) __panic(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond)                                          \
	do {                                                 \
		if (!(cond)) {                               \
			panic("CHECK failed: %s", #cond);    \
		}                                            \
	} while (0)

#endif
