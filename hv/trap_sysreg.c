/*
 * Trapped MSR and MRS (EC 0x18). Vireo traps the registers a guest must
 * not reach directly: implementation-defined ones (HCR_EL2.TIDCP), the
 * auxiliary control register (TACR) and the EL1 physical timer
 * (CNTHCTL_EL2.EL1PCEN clear). None of them is emulated yet, so each access
 * is answered as by a CPU that does not implement the register: an
 * undefined-instruction exception in the guest. The first few per VM are
 * logged to help whoever debugs the guest.
 */
#include "printk.h"
#include "trap.h"
#include "vm.h"

#define LOG_LIMIT 4

static unsigned logged[MAX_VMS];

enum trap_action trap_sysreg(struct vcpu *v)
{
	uint64_t esr = v->trap.esr;

	if (v->vm->id < MAX_VMS && logged[v->vm->id] < LOG_LIMIT) {
		logged[v->vm->id]++;
		printk("vireo: %s: %s S%lu_%lu_C%lu_C%lu_%lu at pc 0x%lx: undefined\n", v->vm->name,
		       (esr & ESR_SYS_READ) ? "mrs" : "msr", FIELD_GET(ESR_SYS_OP0, esr),
		       FIELD_GET(ESR_SYS_OP1, esr), FIELD_GET(ESR_SYS_CRN, esr),
		       FIELD_GET(ESR_SYS_CRM, esr), FIELD_GET(ESR_SYS_OP2, esr), v->regs.pc);
	}
	if (inject_undef(v)) {
		return TRAP_RESUME;
	}
	vm_stop(v->vm, "trapped system register access at pc 0x%lx with no usable vector",
		v->regs.pc);
	return TRAP_EXIT;
}
