/*
 * What gic.c needs from a physical GIC driver (gic_v2.c, gic_v3.c).
 * Interrupt acknowledge values are passed back unchanged to EOI and
 * deactivate: on a GICv2 they carry the source CPU of an SGI.
 */
#ifndef VIREO_GIC_OPS_H
#define VIREO_GIC_OPS_H

#include "drivers/irqchip/gic.h"
#include "core/mem.h"
#include "core/pcpu.h"

/* The private interrupts Vireo uses on every CPU. */
#define GIC_PRIVATE_USED                                                             \
	(BIT(INTID_SGI_KICK) | BIT(INTID_MAINTENANCE) | BIT(INTID_VTIMER) |          \
	 BIT(INTID_HYP_TIMER))

struct gic_ops {
	void (*init)(const struct gic_desc *d);
	void (*cpu_init)(void);
	void (*enable_spi)(unsigned intid, struct pcpu *target);
	uint32_t (*ack)(void);
	void (*eoi)(uint32_t iar);
	void (*deactivate)(uint32_t iar);
	void (*clear_active_private)(unsigned intid);
	void (*set_active_private)(unsigned intid);
	void (*send_sgi)(struct pcpu *target, unsigned intid);
};

extern const struct gic_ops gic_v2_ops, gic_v3_ops;

#endif
