/*
 * panic(): Vireo found its own invariant broken. It prints the CPU, the
 * EL2 fault registers and the general registers (of the exception frame,
 * or of the guest that was running), then powers the machine off: a
 * hypervisor that no longer trusts its own state must not run guests on.
 */
#include "core/panic.h"

#include <stdarg.h>

#include "core/exit.h"
#include "drivers/firmware/firmware.h"
#include "core/pcpu.h"
#include "core/printk.h"

static void dump_regs(const char *what, const uint64_t *x, unsigned n)
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

static void dump_el2(void)
{
	struct pcpu *cpu = this_cpu();

	printk("  CPU %u  ESR_EL2 %016lx  ELR_EL2 %016lx\n", cpu ? cpu->id : 0,
	       read_sysreg(esr_el2), read_sysreg(elr_el2));
	printk("  FAR_EL2 %016lx  HPFAR_EL2 %016lx  SPSR_EL2 %016lx\n", read_sysreg(far_el2),
	       read_sysreg(hpfar_el2), read_sysreg(spsr_el2));
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
	dump_el2();
	if (cpu && cpu->guest_regs) {
		dump_regs("guest registers", cpu->guest_regs->x, 31);
	}
	firmware_system_off();
}

void hyp_exception(struct hyp_frame *frame, unsigned kind)
{
	static const char *const kinds[] = { "synchronous exception", "IRQ", "FIQ", "SError" };

	printk("vireo: PANIC: %s taken at EL2\n", kind <= EXIT_SERROR ? kinds[kind] : "exception");
	dump_el2();
	dump_regs("registers", frame->x, 31);
	printk("  sp  %016lx\n", frame->sp);
	firmware_system_off();
}
