/*
 * How the hardware-assisted mode starts, and what it does with an
 * exception taken at EL2 itself.
 *
 * entry.S has relocated the image, cleared .bss, given the boot CPU a
 * stack and installed the EL2 vectors; el2_boot() then points TPIDR_EL2 at
 * CPU 0's struct pcpu, sets EL2 up, turns the MMU on over the image and the
 * device tree, and hands the rest of the boot to the core, naming itself
 * as the way guests run. A secondary CPU arrives at el2_secondary() with
 * its MMU already on (entry.S). Each CPU's stacks are here too
 * (el2_stacks[], laid out in el2.h). An exception taken from EL2 is a
 * Vireo bug: hyp_exception() reports it and stops the machine, and
 * hyp_stack_overflow() does the same for one that found the stack used up.
 */
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/mmu.h"
#include "core/board.h"
#include "core/exit.h"
#include "core/main.h"
#include "core/panic.h"
#include "core/printk.h"

extern char _head[], _end[]; /* linker.ld */

struct el2_stack el2_stacks[MAX_CPUS] __attribute__((aligned(sizeof(struct el2_stack))));

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

void hyp_stack_overflow(struct hyp_frame *frame) __attribute__((noreturn));

/* vectors.S, on this CPU's emergency stack: an exception at EL2 found less
 * than EL2_STACK_RESERVE left on the stack, so frame->sp is where the stack
 * ran out, and FAR_EL2 usually the guard-page address that faulted. */
void hyp_stack_overflow(struct hyp_frame *frame)
{
	static unsigned entries[MAX_CPUS];
	struct pcpu *cpu = this_cpu();
	unsigned id = cpu ? cpu->id : 0;

	/* A fault while reporting comes back here through the same check:
	 * then only power off, and if even that faults, stop this CPU. */
	entries[id]++;
	if (entries[id] > 2) {
		halt();
	}
	if (entries[id] == 1) {
		printk("vireo: PANIC: CPU %u: EL2 stack overflow (sp 0x%lx, far 0x%lx)\n", id,
		       frame->sp, read_sysreg(far_el2));
		el2_mode.dump();
		panic_dump_regs("registers", frame->x, 31);
	}
	panic_stop();
}
