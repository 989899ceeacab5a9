/*
 * Moving interrupts between a VM's virtual GIC model (vgic.c) and the
 * hardware's list registers, for either GIC version, or their software
 * stand-in on a host without a GIC (struct vgic_hw).
 *
 * Before every entry into a vCPU, vgic_hw_flush() asks vgic.c which
 * interrupts the vCPU should see and writes them into the list registers;
 * after every exit, vgic_hw_sync() reads them back, so vgic.c learns what
 * the guest acknowledged and ended, and empties them. (Emptying at once
 * matters: an ended level-sensitive interrupt, whose LR asked for an EOI
 * maintenance interrupt, keeps that interrupt asserted for as long as its
 * LR stays as it is.) When more interrupts wait than there are list
 * registers, the underflow maintenance interrupt brings the vCPU back out
 * as soon as the first ones are taken, to load the rest.
 *
 * Each vCPU is pinned to one physical CPU (vcpu->home). When an interrupt
 * becomes pending for a vCPU on another CPU, that CPU is kicked
 * (vm_kick()): it exits its guest, or wakes from WFI, and flushes again.
 * The virtual timer's interrupt is hardware-linked: its virtual INTID
 * names the same physical one, which the GIC driver reports as the
 * IRQ_VTIMER source. It is a level, as the timer's output is (Arm ARM
 * D11.2.4): irq.c raises it when the physical interrupt fires, and the
 * physical one stays active from then on, so it does not fire again. The
 * guest drives its timer without trapping, so at every exit the line is
 * read back from the timer (CNTV_CTL_EL0: enabled, condition met, not
 * masked) while the model holds it high; found low (the guest disabled,
 * masked or rearmed the timer), it is lowered, and when nothing is then
 * pending or active that a guest's end could deactivate, the physical
 * interrupt is deactivated here, ready for the timer's next deadline.
 * Registers read after that exit (GICR_ISPENDR0, GICD_ISPENDR) and the
 * next entry see the line as it is. Between exits nothing notices: another
 * vCPU's read of a running vCPU's pending bit sees it as of that vCPU's
 * last exit, and a guest that masks its timer and unmasks interrupts with
 * no exit in between still takes what its list register already held.
 */
#include "arch/aarch64/el2/vgic_hw.h"
#include "core/irqchip.h"
#include "core/vm.h"
#include "vdev/vgic_lpi.h"
#include "vdev/vmachine.h"

#define CNTV_CTL_IMASK BIT(1)
#define CNTV_CTL_ISTATUS BIT(2)

static bool dist_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return vgic_dist_read(dev, v->id, off, size, val);
}

static bool dist_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return vgic_dist_write(dev, v->id, off, size, val);
}

/* The distributor is emulated for both GIC versions. */
const struct mmio_ops vgic_dist_ops = { .read = dist_read, .write = dist_write };

/* The host GIC's list registers, in either version's form, or software's. */
static const struct vgic_hw *hw;

void vgic_hw_init(const struct platform *p)
{
	switch (p->gic.version) {
	case 3:
		hw = &vgic_v3_hw;
		break;
	case 2:
		vgic_v2_init(&p->gic);
		hw = &vgic_v2_hw;
		break;
	default:
		/* No GIC: the list registers and the CPU interface in software. */
		hw = &vgic_sw_hw;
		break;
	}
}

unsigned vgic_hw_version(void)
{
	return hw ? hw->version : 0;
}

static void kick(struct vgic *g, unsigned idx)
{
	struct vm *vm = g->owner;

	vm_kick(&vm->vcpus[idx]);
}

void vgic_hw_reset(struct vm *vm)
{
	uint64_t mpidrs[VGIC_MAX_VCPUS];
	unsigned i;

	for (i = 0; i < vm->n_vcpus; i++) {
		mpidrs[i] = vm->vcpus[i].vmpidr;
		vm->vcpus[i].gic_if = (struct vgic_cpu_if){ 0 };
	}
	vgic_init(&vm->vgic, vm->n_vcpus, mpidrs);
	vm->vgic.v2 = hw->version == 2;
	if (vm->lpis) {
		vgic_lpi_reset(vm->lpis);
		vm->vgic.lpi = vm->lpis;
	}
	vm->vgic.kick = kick;
	vm->vgic.owner = vm;
	/* The virtual timer's interrupt is linked to the physical one. */
	for (i = 0; i < vm->n_vcpus; i++) {
		vgic_set_hw(&vm->vgic, i, VIRQ_VTIMER);
	}
}

bool vgic_hw_attach(struct vm *vm)
{
	vgic_hw_reset(vm);
	return hw->attach(vm);
}

void vgic_hw_load(struct vcpu *v)
{
	struct virq *timer = vgic_irq(&v->vm->vgic, v->id, VIRQ_VTIMER);

	hw->load(v);
	/* The guest has a timer interrupt to take or is still handling one:
	 * the physical one must be active too, or it would fire again before
	 * the guest's deactivation (which goes to it through the list
	 * register). */
	if (timer->active || timer->level) {
		irqchip->set_active(irqchip->source(IRQ_VTIMER), true);
	}
}

void vgic_hw_put(struct vcpu *v)
{
	hw->put(v);
	/* A timer interrupt the guest never ended would keep the physical one
	 * active, and this CPU deaf to its next vCPU's timer. */
	irqchip->set_active(irqchip->source(IRQ_VTIMER), false);
	isb();
}

void vgic_hw_flush(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vm->vgic.cpu[v->id];
	uint64_t lrs[VGIC_MAX_LRS];
	bool underflow;
	unsigned n, i;

	/* The common case on the trap path: no interrupt in sight. */
	if (!vgic_needs_fill(&v->vm->vgic, v->id)) {
		return;
	}
	n = vgic_fill_lrs(&v->vm->vgic, v->id, lrs, MIN(hw->nr_lrs(), VGIC_MAX_LRS), &underflow);
	/* vgic_hw_sync() left every list register empty. */
	for (i = 0; i < n; i++) {
		hw->write_lr(i, lrs[i]);
	}
	c->used_lrs = n;
	hw->set_hcr(underflow);
}

/* The loaded vCPU's virtual timer output (Arm ARM D11.2.4; ISTATUS means
 * nothing while the timer is disabled). */
static bool vtimer_line(void)
{
	uint64_t ctl = read_sysreg(cntv_ctl_el0);

	return (ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK | CNTV_CTL_ISTATUS)) ==
	       (CNTV_CTL_ENABLE | CNTV_CTL_ISTATUS);
}

/* Lowers the timer's line, which the guest took away: once the list
 * registers came back, so the model knows whether the guest is still
 * handling the interrupt. */
static void vtimer_lower(struct vcpu *v)
{
	if (vgic_lower_hw_line(&v->vm->vgic, v->id, VIRQ_VTIMER)) {
		irqchip->set_active(irqchip->source(IRQ_VTIMER), false);
	}
}

void vgic_hw_sync(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vm->vgic.cpu[v->id];
	/* (A racy read is fine: only this CPU raises the timer's line, and
	 * only here is it lowered.) */
	bool timer_low = (c->hw_high & BIT(VIRQ_VTIMER)) && !vtimer_line();
	uint64_t lrs[VGIC_MAX_LRS];
	unsigned i;

	if (c->used_lrs != 0) {
		for (i = 0; i < c->used_lrs; i++) {
			lrs[i] = hw->read_lr(i);
			hw->write_lr(i, 0);
		}
		hw->set_hcr(false);
		isb();
		vgic_sync_lrs(&v->vm->vgic, v->id, lrs, c->used_lrs);
		c->used_lrs = 0;
	}
	if (timer_low) {
		vtimer_lower(v);
	}
}
