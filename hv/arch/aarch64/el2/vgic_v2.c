/*
 * The GICv2 side of virtual interrupts (GIC architecture IHI 0048B,
 * chapter 5, "GIC Support for Virtualization"): the GICH list registers
 * and control registers, which Vireo programs, and the GICV virtual CPU
 * interface, which is mapped into the guest's stage 2 where a GICv2
 * machine has its CPU interface (VM_GICC in vdev/vmachine.h), so the guest
 * acknowledges and ends interrupts without trapping. The guest's
 * distributor is emulated (vgic_mmio.c in its GICv2 form).
 *
 * vgic_lr.c speaks GICv3 list register values; this file converts them
 * to and from GICH_LR's 32-bit layout: VirtualID [9:0], PhysicalID [19:10]
 * (or, when not hardware-linked, EOI [19] and an SGI's source CPU [12:10],
 * which the guest's GICV_IAR reports), priority [27:23], state [29:28],
 * Group 1 [30], HW [31].
 */
#include "arch/aarch64/el2/vgic_hw.h"

#include "arch/aarch64/el2/el2.h"
#include "core/vm.h"

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_APR 0x0f0
#define GICH_LR0 0x100
#define GICH_HCR_EN BIT(0)
#define GICH_HCR_UIE BIT(1)

#define V2_VID GENMASK(9, 0)
#define V2_PID GENMASK(19, 10)
#define V2_EOI BIT(19)
#define V2_CPUID GENMASK(12, 10)
#define V2_PRIORITY GENMASK(27, 23)
#define V2_PENDING BIT(28)
#define V2_ACTIVE BIT(29)
#define V2_GROUP1 BIT(30)
#define V2_HW BIT(31)

static volatile uint32_t *gich;
static paddr_t gicv;

static unsigned nr_lrs(void)
{
	return (gich[GICH_VTR / 4] & 0x3f) + 1;
}

static uint64_t read_lr(unsigned n)
{
	uint32_t lr = gich[GICH_LR0 / 4 + n];
	uint64_t v3 = FIELD_GET(V2_VID, lr) | FIELD_PREP(LR_PRIORITY, FIELD_GET(V2_PRIORITY, lr) << 3);

	v3 |= (lr & V2_PENDING) ? LR_PENDING : 0;
	v3 |= (lr & V2_ACTIVE) ? LR_ACTIVE : 0;
	v3 |= (lr & V2_GROUP1) ? LR_GROUP : 0;
	if (lr & V2_HW) {
		v3 |= LR_HW | FIELD_PREP(LR_PINTID, FIELD_GET(V2_PID, lr));
	} else {
		v3 |= FIELD_PREP(LR_SGI_SOURCE, FIELD_GET(V2_CPUID, lr));
	}
	return v3;
}

static void write_lr(unsigned n, uint64_t v3)
{
	uint32_t lr = FIELD_PREP(V2_VID, FIELD_GET(LR_VINTID, v3)) |
		      FIELD_PREP(V2_PRIORITY, FIELD_GET(LR_PRIORITY, v3) >> 3);

	lr |= (v3 & LR_PENDING) ? V2_PENDING : 0;
	lr |= (v3 & LR_ACTIVE) ? V2_ACTIVE : 0;
	lr |= (v3 & LR_GROUP) ? V2_GROUP1 : 0;
	if (v3 & LR_HW) {
		lr |= V2_HW | FIELD_PREP(V2_PID, FIELD_GET(LR_PINTID, v3));
	} else {
		lr |= FIELD_PREP(V2_CPUID, FIELD_GET(LR_SGI_SOURCE, v3));
		lr |= (v3 & LR_EOI) ? V2_EOI : 0;
	}
	gich[GICH_LR0 / 4 + n] = lr;
}

static void set_hcr(bool underflow)
{
	gich[GICH_HCR / 4] = GICH_HCR_EN | (underflow ? GICH_HCR_UIE : 0);
}

static bool attach(struct vm *vm)
{
	return mmio_register(&vm->mmio, vm_region_ipa(VM_GICD), vm_regions[VM_GICD].size,
			     &vgic_dist_ops, &vm->vgic) &&
	       el2_vm_map(vm, vm_region_ipa(VM_GICC), gicv, vm_regions[VM_GICC].size,
			  VM_MEM_DEVICE) == PGTABLE_OK;
}

static void load(struct vcpu *v)
{
	gich[GICH_VMCR / 4] = (uint32_t)v->gic_if.vmcr;
	gich[GICH_APR / 4] = (uint32_t)v->gic_if.apr0;
	set_hcr(false);
}

static void put(struct vcpu *v)
{
	v->gic_if.vmcr = gich[GICH_VMCR / 4];
	v->gic_if.apr0 = gich[GICH_APR / 4];
	gich[GICH_HCR / 4] = 0;
}

void vgic_v2_init(const struct gic_desc *d)
{
	gich = el2_map_device(d->hypif.base, d->hypif.size);
	gicv = d->vcpuif.base;
}

const struct vgic_hw vgic_v2_hw = {
	.version = 2,
	.attach = attach,
	.load = load,
	.put = put,
	.nr_lrs = nr_lrs,
	.read_lr = read_lr,
	.write_lr = write_lr,
	.set_hcr = set_hcr,
};
