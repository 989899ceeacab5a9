/*
 * A GICv2 CPU interface emulated in software (GIC architecture IHI 0048B,
 * 4.4 "CPU interface register descriptions" and 5.3 "GIC virtual CPU
 * interface"), for a machine whose interrupt controller has no virtual
 * CPU interface of its own (a Raspberry Pi's is not a GIC at all).
 *
 * It works on the same list registers the hardware ones would hold: the
 * mode's software back end (arch/aarch64/el2/vgic_sw.c) keeps a vCPU's in
 * struct vgic_cpu's lr[] (the GICv3 layout, vgic.h) and fills and syncs
 * them with vgic.c exactly as for real ones. What the hardware does with
 * them, this does: every access the guest makes to its GICC page traps
 * and arrives here; acknowledging (GICC_IAR) moves the best pending list
 * register to active and raises the running priority, ending (GICC_EOIR,
 * GICC_DIR) drops it and deactivates, and vgic_cpuif_signals() says when
 * the vCPU's virtual IRQ (or FIQ) line is asserted, as a GICH would.
 *
 * The vCPU's own interface state lives in struct vgic_cpu_if, as a
 * hardware GICv2 keeps it: vmcr in the GICH_VMCR layout (group enables,
 * AckCtl, FIQEn, CBPR, EOImode, binary points, priority mask), apr0 the
 * active priorities, one bit per 5-bit priority. Five priority bits are
 * implemented, as on Arm's GIC-400.
 */
#ifndef VIREO_VDEV_VGIC_CPUIF_H
#define VIREO_VDEV_VGIC_CPUIF_H

#include "vdev/vgic.h"

#define VGIC_CPUIF_SIZE 0x2000UL /* GICC_DIR is in the second page */

/* What vgic_cpuif_signals() asserts. */
#define VGIC_CPUIF_IRQ BIT(0)
#define VGIC_CPUIF_FIQ BIT(1)

/* The guest's 32-bit access to the register at off. False refuses it (a
 * size other than 4, a misaligned offset). A read of GICC_IAR or
 * GICC_AIAR acknowledges. *hw_end is set when a write deactivated a
 * hardware-linked interrupt, whose physical twin the caller must end. */
bool vgic_cpuif_read(struct vgic_cpu *c, struct vgic_cpu_if *s, uint64_t off, unsigned size,
		     uint64_t *val);
bool vgic_cpuif_write(struct vgic_cpu *c, struct vgic_cpu_if *s, uint64_t off, unsigned size,
		      uint64_t val, bool *hw_end);

/* Which of the vCPU's interrupt lines the interface asserts: a pending list
 * register of an enabled group, above the priority mask and the running
 * priority (FIQ for group 0 when FIQEn is set). */
unsigned vgic_cpuif_signals(const struct vgic_cpu *c, const struct vgic_cpu_if *s);

#endif
