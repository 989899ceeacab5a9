/*
 * The trap dispatcher: every exit from a guest comes through trap_handle().
 *
 * The mode's run loop passes the exit's kind and, for a synchronous one,
 * has filled in the vCPU's trap record (the syndrome in the ESR_ELx layout).
 * A synchronous exit is dispatched on its exception class through
 * trap_handlers[], one handler per class, each in the file that owns that
 * kind of trap. A class with no handler is something Vireo does not
 * emulate: the guest gets what a CPU without the feature would give it, an
 * undefined-instruction exception (an AArch32 guest's classes are
 * trap_aarch32.c's, WFI's too). Asynchronous exits (physical
 * IRQ, FIQ) need nothing from the guest yet; an SError stops the VM, since
 * Vireo cannot give it a defined meaning. Each exit is counted here
 * (stats.h).
 */
#include "core/trap.h"

#include "core/exit.h"
#include "core/gdb.h"
#include "core/printk.h"
#include "core/vm.h"

static enum trap_action trap_undefined(struct vcpu *v)
{
	if (inject_undef(v)) {
		return TRAP_RESUME;
	}
	vm_crash(v->vm, "undefined instruction (EC 0x%lx) at pc 0x%lx with no usable vector",
		FIELD_GET(ESR_EC, v->trap.esr), v->regs.pc);
	return TRAP_EXIT;
}

static const trap_handler_t trap_handlers[EC_MAX + 1] = {
	[EC_WFX] = trap_wfx,
	[EC_CP15_32] = trap_cp15_32,
	[EC_CP15_64] = trap_cp15_64,
	[EC_CP14_32] = trap_cp14,
	[EC_CP14_LS] = trap_cp14,
	[EC_CP10_ID] = trap_cp10_id,
	[EC_CP14_64] = trap_cp14,
	[EC_HVC32] = trap_hvc,
	[EC_SMC32] = trap_smc32,
	[EC_HVC64] = trap_hvc,
	[EC_SMC64] = trap_smc,
	[EC_SYS64] = trap_sysreg,
	[EC_IABT_LOW] = trap_iabt,
	[EC_DABT_LOW] = trap_dabt,
	/* Only while gdb debugs the VM (gdb_halt.c) */
	[EC_BREAKPT_LOW] = gdb_trap,
	[EC_SOFTSTP_LOW] = gdb_trap,
	[EC_WATCHPT_LOW] = gdb_trap,
	[EC_BRK64] = gdb_trap,
};

static enum trap_action trap_sync(struct vcpu *v)
{
	unsigned ec = FIELD_GET(ESR_EC, v->trap.esr);
	trap_handler_t handler = trap_handlers[ec];

	v->stats.sync[ec]++;
	return handler ? handler(v) : trap_undefined(v);
}

enum trap_action trap_handle(struct vcpu *v, unsigned exit)
{
	switch (exit) {
	case EXIT_SYNC:
		return trap_sync(v);
	case EXIT_IRQ:
	case EXIT_FIQ:
		v->stats.irqs++;
		return TRAP_RESUME;
	default:
		vm_crash(v->vm, "SError (asynchronous abort) at pc 0x%lx, syndrome 0x%lx", v->regs.pc,
			v->trap.esr);
		return TRAP_EXIT;
	}
}
