/*
 * WFI and WFE (EC 0x01). A vCPU that waits for an interrupt must not burn
 * its physical CPU: WFI traps (HCR_EL2.TWI, set when the VM has a virtual
 * GIC), and Vireo waits in its own WFI until the vCPU has an interrupt to
 * take, its VM stops, or it is switched off. Whatever wakes the physical
 * CPU is a physical interrupt: the vCPU's own virtual timer (still loaded,
 * so it still fires), a kick from another CPU that made something pending
 * here, or the console. WFE is not trapped.
 *
 * Before sleeping, the VM's console gets a chance to show a partial line:
 * a shell prompt has no newline, and the guest is now idle waiting for the
 * answer to it.
 */
#include "irq.h"
#include "trap.h"
#include "vm.h"

#define ESR_WFX_TI BIT(0) /* 1: WFE */

enum trap_action trap_wfx(struct vcpu *v)
{
	struct vm *vm = v->vm;

	vcpu_skip_insn(v);
	if (v->trap.esr & ESR_WFX_TI) {
		return TRAP_RESUME;
	}
	vpl011_flush_partial(&vm->uart);
	while (!vgic_has_pending(&vm->vgic, v->id)) {
		if (!vm_is_running(vm) || v->power != VCPU_ON) {
			return TRAP_EXIT;
		}
		irq_wait();
	}
	return TRAP_RESUME;
}
