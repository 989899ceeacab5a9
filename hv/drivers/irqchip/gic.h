/*
 * The Arm Generic Interrupt Controller, versions 2 and 3, as the core's
 * irqchip (core/irqchip.h): gic_v3.c and gic_v2.c drive the hardware,
 * gic.c holds what both versions share.
 *
 * Both drivers set the GIC up the same way: all interrupts in one group
 * at one priority, EOI mode 1 (priority drop and deactivation are separate
 * steps, so a guest can end the virtual timer's interrupt itself through a
 * hardware-linked list register), and Vireo's own private interrupts
 * (GIC_PRIVATE_USED) enabled on every CPU.
 */
#ifndef VIREO_DRIVERS_GIC_H
#define VIREO_DRIVERS_GIC_H

#include "core/irqchip.h"

/* The interrupts that serve Vireo's logical sources on every GIC machine:
 * an SGI for kicks, and the PPIs the Server Base System Architecture
 * assigns to the PMU, the maintenance interrupt and the EL2 and virtual
 * timers. */
#define GIC_SGI_KICK 0
#define GIC_PPI_PMU 23
#define GIC_PPI_MAINTENANCE 25
#define GIC_PPI_HYP_TIMER 26
#define GIC_PPI_VTIMER 27
#define GIC_PRIVATE_USED                                                             \
	(BIT(GIC_SGI_KICK) | BIT(GIC_PPI_PMU) | BIT(GIC_PPI_MAINTENANCE) |           \
	 BIT(GIC_PPI_VTIMER) | BIT(GIC_PPI_HYP_TIMER))
#define GIC_INTID_SPURIOUS 1020 /* 1020-1023: nothing to acknowledge */

unsigned gic_source(enum irq_source s);
/* A three-cell GIC interrupt specifier: type (0 SPI, 1 PPI), number, flags. */
unsigned gic_translate(const void *fdt, int node, int idx);
/* Distributor registers both versions lay out alike, for a shared
 * interrupt: disabling it, and its trigger (GICD_ICENABLER, GICD_ICFGR). */
void gic_dist_disable(volatile uint8_t *gicd, unsigned intid);
void gic_dist_set_trigger(volatile uint8_t *gicd, unsigned intid, bool edge);
/* The boot report's line for a GIC of this version. */
void gic_describe(unsigned version, paddr_t dist);

extern const struct irqchip gic_v2_irqchip, gic_v3_irqchip;

#endif
