/*
 * Physical interrupts. Vireo runs with interrupts masked at EL2 and takes
 * them only at well-defined points: when a guest exits because of one
 * (HCR_EL2.IMO routes them to EL2) and after waiting in WFI, which wakes on
 * a pending interrupt even while it is masked. irq_handle_pending() then
 * acknowledges each and acts:
 *   - the kick SGI and the maintenance interrupt need nothing more: their
 *     job was to make this CPU leave its guest, so the run loop refills the
 *     list registers;
 *   - the virtual timer's interrupt becomes the loaded vCPU's virtual PPI
 *     27, hardware-linked, so it stays active until the guest ends it;
 *   - Vireo's own EL2 timer ends time slices, wakes waiting vCPUs and
 *     watches the loaded vCPU's emulated physical timer (sched.c);
 *   - the console UART's receive interrupt feeds the console (console.c).
 */
#include "core/irq.h"

#include "core/console.h"
#include "drivers/irqchip/gic.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/sched.h"
#include "core/vcpu.h"
#include "core/vm.h"

static void handle(uint32_t iar)
{
	struct vcpu *v = this_cpu()->loaded;
	unsigned intid = gic_intid(iar);

	switch (intid) {
	case INTID_VTIMER:
		gic_eoi(iar);
		if (v && v->vm->has_gic) {
			vgic_trigger(&v->vm->vgic, v->id, INTID_VTIMER);
		} else {
			gic_deactivate(iar);
		}
		return;
	case INTID_HYP_TIMER:
		sched_timer_interrupt();
		break;
	case INTID_SGI_KICK:
		sched_kicked();
		break;
	case INTID_MAINTENANCE:
		break;
	default:
		if (intid == console_irq()) {
			console_rx_interrupt();
		} else {
			printk("vireo: CPU %u: unexpected interrupt %u\n", this_cpu()->id, intid);
		}
		break;
	}
	gic_eoi(iar);
	gic_deactivate(iar);
}

void irq_handle_pending(void)
{
	uint32_t iar;

	if (!gic_present()) {
		return;
	}
	while (gic_intid(iar = gic_ack()) < INTID_SPURIOUS) {
		handle(iar);
	}
}

void irq_wait(void)
{
	wfi();
	irq_handle_pending();
}
