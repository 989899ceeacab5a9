/*
 * The GICv3 side of virtual interrupts (Arm ARM D19, ICH_*_EL2; GIC
 * architecture IHI 0069, chapter 6): the ICH_LR<n>_EL2 list registers and
 * the virtual CPU interface's state, which the guest drives directly
 * through its ICC_* system registers, plus the guest's emulated
 * distributor and redistributors where the guest machine has them
 * (vdev/vmachine.h), and its ITS if the VM has one (vdev/vgic_its.c).
 */
#include "arch/aarch64/el2/vgic_hw.h"

#include "core/vm.h"
#include "vdev/vgic_its.h"

#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)
#define ICH_VTR_LISTREGS GENMASK(4, 0)

/* ICH_LR<n>_EL2 are sixteen separately named registers. */
#define LR_CASE_READ(n)                             \
	case n:                                     \
		return read_sysreg(ich_lr##n##_el2)
#define LR_CASE_WRITE(n)                            \
	case n:                                     \
		write_sysreg(ich_lr##n##_el2, v);   \
		break

static uint64_t read_lr(unsigned n)
{
	switch (n) {
		LR_CASE_READ(0); LR_CASE_READ(1); LR_CASE_READ(2); LR_CASE_READ(3);
		LR_CASE_READ(4); LR_CASE_READ(5); LR_CASE_READ(6); LR_CASE_READ(7);
		LR_CASE_READ(8); LR_CASE_READ(9); LR_CASE_READ(10); LR_CASE_READ(11);
		LR_CASE_READ(12); LR_CASE_READ(13); LR_CASE_READ(14); LR_CASE_READ(15);
	}
	return 0;
}

static void write_lr(unsigned n, uint64_t v)
{
	switch (n) {
		LR_CASE_WRITE(0); LR_CASE_WRITE(1); LR_CASE_WRITE(2); LR_CASE_WRITE(3);
		LR_CASE_WRITE(4); LR_CASE_WRITE(5); LR_CASE_WRITE(6); LR_CASE_WRITE(7);
		LR_CASE_WRITE(8); LR_CASE_WRITE(9); LR_CASE_WRITE(10); LR_CASE_WRITE(11);
		LR_CASE_WRITE(12); LR_CASE_WRITE(13); LR_CASE_WRITE(14); LR_CASE_WRITE(15);
	}
}

static unsigned nr_lrs(void)
{
	return FIELD_GET(ICH_VTR_LISTREGS, read_sysreg(ich_vtr_el2)) + 1;
}

static void set_hcr(bool underflow)
{
	write_sysreg(ich_hcr_el2, ICH_HCR_EN | (underflow ? ICH_HCR_UIE : 0));
}

static bool redist_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return vgic_redist_read(dev, off / VGIC_REDIST_STRIDE, off % VGIC_REDIST_STRIDE, size,
				val);
}

static bool redist_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return vgic_redist_write(dev, off / VGIC_REDIST_STRIDE, off % VGIC_REDIST_STRIDE, size,
				 val);
}

static const struct mmio_ops redist_ops = { .read = redist_read, .write = redist_write };

static bool its_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return vgic_its_read(dev, off, size, val);
}

static bool its_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return vgic_its_write(dev, off, size, val);
}

static const struct mmio_ops its_ops = { .read = its_read, .write = its_write };

static bool attach(struct vm *vm)
{
	return mmio_register(&vm->mmio, vm_region_ipa(VM_GICD), vm_regions[VM_GICD].size,
			     &vgic_dist_ops, &vm->vgic) &&
	       mmio_register(&vm->mmio, vm_region_ipa(VM_GICR), vm->n_vcpus * VGIC_REDIST_STRIDE,
			     &redist_ops, &vm->vgic) &&
	       (!vm->lpis || mmio_register(&vm->mmio, vm_region_ipa(VM_ITS),
					   vm_regions[VM_ITS].size, &its_ops, &vm->vgic));
}

static void load(struct vcpu *v)
{
	write_sysreg(ich_vmcr_el2, v->gic_if.vmcr);
	write_sysreg(ich_ap0r0_el2, v->gic_if.apr0);
	write_sysreg(ich_ap1r0_el2, v->gic_if.apr1);
	set_hcr(false);
}

static void put(struct vcpu *v)
{
	v->gic_if.vmcr = read_sysreg(ich_vmcr_el2);
	v->gic_if.apr0 = read_sysreg(ich_ap0r0_el2);
	v->gic_if.apr1 = read_sysreg(ich_ap1r0_el2);
	write_sysreg(ich_hcr_el2, 0);
}

const struct vgic_hw vgic_v3_hw = {
	.version = 3,
	.attach = attach,
	.load = load,
	.put = put,
	.nr_lrs = nr_lrs,
	.read_lr = read_lr,
	.write_lr = write_lr,
	.set_hcr = set_hcr,
};
