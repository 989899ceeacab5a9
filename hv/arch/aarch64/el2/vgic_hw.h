/*
 * Connecting a VM's virtual GIC model (vgic.c) to the hardware's virtual
 * CPU interface: a GICv3's ICH_* system registers (vgic_v3.c) or a
 * GICv2's GICH/GICV registers (vgic_v2.c). vgic_lr.c does the work common
 * to both through struct vgic_hw.
 */
#ifndef VIREO_EL2_VGIC_HW_H
#define VIREO_EL2_VGIC_HW_H

#include "core/platform.h"

struct mmio_ops;
struct vm;
struct vcpu;

struct vgic_hw {
	unsigned version;
	/* Registers the VM's emulated GIC parts and maps what the guest
	 * reaches directly (a GICv2's CPU interface). */
	bool (*attach)(struct vm *vm);
	void (*load)(struct vcpu *v);
	void (*put)(struct vcpu *v);
	unsigned (*nr_lrs)(void);
	/* List register values in the GICv3 ICH_LR<n>_EL2 layout (vgic.h),
	 * whatever the hardware's own layout. */
	uint64_t (*read_lr)(unsigned n);
	void (*write_lr)(unsigned n, uint64_t lr);
	/* Enables the virtual CPU interface, with the underflow maintenance
	 * interrupt when underflow is true. */
	void (*set_hcr)(bool underflow);
};

extern const struct vgic_hw vgic_v2_hw, vgic_v3_hw;
/* List registers in memory and a GICv2 CPU interface in software, for a
 * host without a GIC (vgic_sw.c). */
extern const struct vgic_hw vgic_sw_hw;
/* The emulated distributor's register accesses, for either version. */
extern const struct mmio_ops vgic_dist_ops;

struct gic_desc;
/* Where a GICv2's hypervisor and virtual CPU interfaces are. */
void vgic_v2_init(const struct gic_desc *d);

/* vgic_lr.c: the interrupt-delivery back end of the mode (core/vmode.h). */
/* Learns the host GIC's version from the machine's description. */
void vgic_hw_init(const struct platform *p);
/* The version VMs get: the host's, or 2 (the software interface) on a
 * host without a GIC. */
unsigned vgic_hw_version(void);
bool vgic_hw_attach(struct vm *vm);
void vgic_hw_reset(struct vm *vm);
void vgic_hw_load(struct vcpu *v);
void vgic_hw_put(struct vcpu *v);
/* Around each guest entry: list registers in, and their state back out. */
void vgic_hw_flush(struct vcpu *v);
void vgic_hw_sync(struct vcpu *v);

#endif
