/*
 * Physical interrupts. Vireo runs with interrupts masked and takes them
 * only at well-defined points: when a guest exits because of one (the
 * mode routes them to Vireo) and after waiting in WFI, which wakes on a
 * pending interrupt even while it is masked. irq_handle_pending() then
 * acknowledges each through the board's irqchip (core/irqchip.h) and calls
 * the handler registered for it, from a table indexed by its number:
 *   - the kick makes this CPU's scheduler look at its vCPUs again
 *     (sched_kicked()); the maintenance interrupt needs nothing more: its
 *     job was to make this CPU leave its guest, so the run loop refills
 *     the list registers;
 *   - the virtual timer's interrupt raises the line of the loaded vCPU's
 *     virtual timer PPI, a level, hardware-linked where the irqchip allows
 *     it, so it stays active until the guest ends it (or the mode finds
 *     the line low again at an exit);
 *   - the PMU's overflow interrupt goes to the mode's virtual PMU
 *     (vmode->pmu_overflow), which raises the loaded vCPU's PMU PPI and
 *     masks the overflowed counters at the source; only a controller that
 *     names this source lets guests see a PMU at all (id_reg_show_pmu());
 *   - Vireo's own timer ends time slices, wakes waiting vCPUs and watches
 *     the loaded vCPU's emulated physical timer and VMs' watchdogs
 *     (sched.c);
 *   - devices' interrupts go to their drivers' handlers (the console's),
 *     and those of devices given to VMs to devices.c, which forwards them
 *     to the VM's virtual GIC and leaves them active for the guest to end.
 */
#include "core/irq.h"

#include "core/pcpu.h"
#include "core/printk.h"
#include "core/sched.h"
#include "core/vm.h"
#include "core/vmode.h"
#include "arch/aarch64/idregs.h"

static struct {
	irq_handler_t fn;
	void *ctx;
} handlers[IRQ_MAX];

bool irq_register(unsigned irq, irq_handler_t fn, void *ctx)
{
	if (irq >= IRQ_MAX || handlers[irq].fn) {
		return false;
	}
	handlers[irq].fn = fn;
	handlers[irq].ctx = ctx;
	return true;
}

/* What ending the virtual timer's interrupt is left to when it goes to
 * a guest: the guest itself where the irqchip has split EOI (irq_init()). */
static enum irq_result vtimer_forwarded;

static enum irq_result vtimer_irq(void *ctx)
{
	struct vcpu *v = this_cpu()->loaded;

	if (v && v->vm->has_gic) {
		vgic_raise_hw_line(&v->vm->vgic, v->id, VIRQ_VTIMER);
		return vtimer_forwarded;
	}
	return IRQ_HANDLED;
}

static enum irq_result hyp_timer_irq(void *ctx)
{
	sched_timer_interrupt();
	return IRQ_HANDLED;
}

static enum irq_result kick_irq(void *ctx)
{
	sched_kicked();
	return IRQ_HANDLED;
}

static enum irq_result maintenance_irq(void *ctx)
{
	return IRQ_HANDLED;
}

static enum irq_result pmu_irq(void *ctx)
{
	struct vcpu *v = this_cpu()->loaded;

	if (v && vmode->pmu_overflow) {
		vmode->pmu_overflow(v);
	}
	return IRQ_HANDLED;
}

void irq_init(void)
{
	static const irq_handler_t own[IRQ_NR_SOURCES] = {
		[IRQ_HYP_TIMER] = hyp_timer_irq,
		[IRQ_VTIMER] = vtimer_irq,
		[IRQ_KICK] = kick_irq,
		[IRQ_MAINTENANCE] = maintenance_irq,
		[IRQ_PMU] = pmu_irq,
	};
	unsigned s;

	vtimer_forwarded = irqchip->split_eoi ? IRQ_FORWARDED : IRQ_HANDLED;
	for (s = 0; s < IRQ_NR_SOURCES; s++) {
		unsigned irq = irqchip->source(s);

		if (irq == IRQ_NONE) {
			continue;
		}
		irq_register(irq, own[s], NULL);
		if (s == IRQ_PMU && vmode->pmu_access && vmode->pmu_overflow) {
			id_reg_show_pmu();
		}
	}
}

static void handle(const struct irqchip *chip, struct irq_ack a)
{
	irq_handler_t fn = handlers[a.irq].fn;
	enum irq_result r = IRQ_HANDLED;

	if (fn) {
		r = fn(handlers[a.irq].ctx);
	} else {
		printk("vireo: CPU %u: unexpected interrupt %u\n", this_cpu()->id, a.irq);
	}
	chip->eoi(a.token);
	if (r == IRQ_HANDLED) {
		chip->deactivate(a.token);
	}
}

void irq_handle_pending(void)
{
	const struct irqchip *chip = irqchip;
	struct irq_ack a;

	if (!chip) {
		return;
	}
	while ((a = chip->ack()).irq < IRQ_MAX) {
		handle(chip, a);
	}
}

void irq_wait(void)
{
	wfi();
	irq_handle_pending();
}

void irq_kick(struct pcpu *target)
{
	if (irqchip) {
		/* Earlier stores (the state the target will read) must be
		 * visible before the interrupt that tells it to look. */
		dsb(ishst);
		irqchip->send_kick(target);
	}
}
