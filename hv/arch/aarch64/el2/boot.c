/*
 * How the hardware-assisted mode starts, and what it does with an
 * exception taken at EL2 itself.
 *
 * entry.S has relocated the image, cleared .bss, given the boot CPU a
 * stack and installed the EL2 vectors; el2_boot() then points TPIDR_EL2 at
 * CPU 0's struct pcpu, sets EL2 up, turns the MMU on over the image and the
 * device tree, and hands the rest of the boot to the core, naming itself
 * as the way guests run. A secondary CPU arrives at el2_secondary() with
 * its MMU already on (entry.S). An exception taken from EL2 is a Vireo
 * bug: hyp_exception() reports it and stops the machine.
 */
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/mmu.h"
#include "core/exit.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/printk.h"

extern char _head[], _end[]; /* linker.ld */

void el2_boot(void *fdt)
{
	pcpu_set_current(&pcpus[0]);
	el2_cpu_init();
	mmu_early_init(pa((uintptr_t)_head), pa((uintptr_t)_end), pa((uintptr_t)fdt));
	boot_main(fdt, &el2_mode, pa((uintptr_t)_head), pa((uintptr_t)_end));
}

void el2_secondary(unsigned idx)
{
	pcpu_set_current(&pcpus[idx]);
	el2_cpu_init();
	secondary_main(idx);
}

void hyp_exception(struct hyp_frame *frame, unsigned kind) __attribute__((noreturn));

void hyp_exception(struct hyp_frame *frame, unsigned kind)
{
	static const char *const kinds[] = { "synchronous exception", "IRQ", "FIQ", "SError" };

	printk("vireo: PANIC: %s taken at EL2\n", kind <= EXIT_SERROR ? kinds[kind] : "exception");
	el2_mode.dump();
	panic_dump_regs("registers", frame->x, 31);
	printk("  sp  %016lx\n", frame->sp);
	panic_stop();
}
