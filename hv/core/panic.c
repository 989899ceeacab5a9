/*
 * panic(): Vireo found its own invariant broken. It prints the CPU, the
 * mode's fault registers and the general registers of the guest that was
 * running, then powers the machine off: a hypervisor that no longer trusts
 * its own state must not run guests on.
 */
#include "core/panic.h"

#include <stdarg.h>

#include "core/board.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vmode.h"

void panic_dump_regs(const char *what, const uint64_t *x, unsigned n)
{
	unsigned i;

	printk("%s:\n", what);
	for (i = 0; i + 1 < n; i += 2) {
		printk("  x%-2u %016lx  x%-2u %016lx\n", i, x[i], i + 1, x[i + 1]);
	}
	if (n % 2) {
		printk("  x%-2u %016lx\n", n - 1, x[n - 1]);
	}
}

void panic_stop(void)
{
	board_power_off();
}

void __panic(const char *file, int line, const char *fmt, ...)
{
	struct pcpu *cpu = this_cpu();
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("vireo: PANIC: %s (%s:%d)\n", msg, file, line);
	if (vmode) {
		vmode->dump();
	}
	if (cpu && cpu->guest_regs) {
		panic_dump_regs("guest registers", cpu->guest_regs->x, 31);
	}
	panic_stop();
}
