/*
 * Virtual interrupts on a machine without a GIC's virtual CPU interface
 * (the Raspberry Pi's controllers are not GICs): the same struct vgic_hw
 * as vgic_v2.c and vgic_v3.c, over list registers kept in memory, with a
 * GICv2 CPU interface emulated in software (vdev/vgic_cpuif.c) and the
 * virtual IRQ and FIQ lines driven through HCR_EL2.VI and VF.
 *
 * VMs see a GICv2: the emulated distributor at VM_GICD as on a GICv2 host,
 * and a CPU interface at VM_GICC that is not mapped, so each guest access
 * to it traps and is emulated. That costs an interrupt two more exits than
 * on a GIC (the acknowledge and the end, docs/benchmarks.md); everything
 * else is vgic_lr.c's, unchanged: list registers filled before each entry
 * and synced after each exit, and the virtual timer's interrupt linked to
 * the physical one, which the irqchip keeps masked ("active") until the
 * guest ends it here, or an exit finds the timer's output low with nothing
 * left for the guest to end (vgic_lr.c).
 */
#include "arch/aarch64/el2/vgic_hw.h"

#include "arch/aarch64/el2/hyp_regs.h"
#include "core/irqchip.h"
#include "core/vm.h"
#include "vdev/vgic_cpuif.h"

static struct vgic_cpu *loaded_cpu(void)
{
	struct vcpu *v = this_cpu()->loaded;

	return &v->vm->vgic.cpu[v->id];
}

static unsigned nr_lrs(void)
{
	return VGIC_MAX_LRS;
}

static uint64_t read_lr(unsigned n)
{
	return loaded_cpu()->lr[n];
}

static void write_lr(unsigned n, uint64_t lr)
{
	loaded_cpu()->lr[n] = lr;
}

/* The interface's lines, after each change of its list registers. No
 * underflow interrupt is needed: every acknowledge and end traps anyway,
 * and the exit refills the list registers. */
static void set_hcr(bool underflow)
{
	struct vcpu *v = this_cpu()->loaded;
	unsigned lines = vgic_cpuif_signals(&v->vm->vgic.cpu[v->id], &v->gic_if);
	uint64_t hcr = read_sysreg(hcr_el2) & ~(HCR_VI | HCR_VF);

	hcr |= (lines & VGIC_CPUIF_IRQ) ? HCR_VI : 0;
	hcr |= (lines & VGIC_CPUIF_FIQ) ? HCR_VF : 0;
	write_sysreg(hcr_el2, hcr);
}

/*
 * A guest access to its CPU interface. The run loop has synced and emptied
 * the list registers by the time an exit is handled (vgic_lr.c), so the
 * access works on list registers filled for it from the model, and gives
 * their new state back to the model at once, as an exit would; the next
 * entry fills them again with the result.
 */
static bool cpuif_access(struct vcpu *v, uint64_t off, unsigned size, uint64_t *val, bool write)
{
	struct vgic *g = &v->vm->vgic;
	struct vgic_cpu *c = &g->cpu[v->id];
	bool underflow, hw_end = false, ok;
	unsigned n = vgic_fill_lrs(g, v->id, c->lr, VGIC_MAX_LRS, &underflow);

	c->used_lrs = n;
	if (write) {
		ok = vgic_cpuif_write(c, &v->gic_if, off, size, *val, &hw_end);
	} else {
		ok = vgic_cpuif_read(c, &v->gic_if, off, size, val);
	}
	vgic_sync_lrs(g, v->id, c->lr, n);
	c->used_lrs = 0;
	/* The only hardware-linked interrupt is the virtual timer's. */
	if (hw_end) {
		irqchip->set_active(irqchip->source(IRQ_VTIMER), false);
	}
	return ok;
}

static bool cpuif_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return cpuif_access(v, off, size, val, false);
}

static bool cpuif_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return cpuif_access(v, off, size, &val, true);
}

static const struct mmio_ops cpuif_ops = { .read = cpuif_read, .write = cpuif_write };

static bool attach(struct vm *vm)
{
	return mmio_register(&vm->mmio, vm_region_ipa(VM_GICD), vm_regions[VM_GICD].size,
			     &vgic_dist_ops, &vm->vgic) &&
	       mmio_register(&vm->mmio, vm_region_ipa(VM_GICC), VGIC_CPUIF_SIZE, &cpuif_ops, NULL);
}

/* The interface's state stays in the vCPU (gic_if): nothing to move. */
static void load(struct vcpu *v)
{
	set_hcr(false);
}

static void put(struct vcpu *v)
{
}

const struct vgic_hw vgic_sw_hw = {
	.version = 2,
	.attach = attach,
	.load = load,
	.put = put,
	.nr_lrs = nr_lrs,
	.read_lr = read_lr,
	.write_lr = write_lr,
	.set_hcr = set_hcr,
};
