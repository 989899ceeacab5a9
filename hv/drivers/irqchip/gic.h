/*
 * The physical GIC (v2 or v3): Vireo's own interrupts (kicks between CPUs,
 * the virtual CPU interface's maintenance interrupt, the timers, the
 * console UART).
 */
#ifndef VIREO_GIC_H
#define VIREO_GIC_H

#include "core/platform.h"

#define INTID_SGI_KICK 0   /* another CPU wants this one to look at its vCPU */
#define INTID_MAINTENANCE 25
#define INTID_HYP_TIMER 26
#define INTID_VTIMER 27
#define INTID_SPURIOUS 1020 /* 1020-1023: no interrupt to acknowledge */

struct pcpu;

/* The version Vireo drives (2 or 3), or 0 before gic_init(). */
unsigned gic_version(void);
static inline bool gic_present(void)
{
	return gic_version() != 0;
}
void gic_init(const struct gic_desc *d);
/* Per CPU: its private interrupts and its CPU interface. */
void gic_cpu_init(void);
void gic_enable_spi(unsigned intid, struct pcpu *target);
/* Acknowledges the highest-priority pending interrupt; its INTID is
 * gic_intid() of the returned value, INTID_SPURIOUS or above for none. */
uint32_t gic_ack(void);
static inline unsigned gic_intid(uint32_t iar)
{
	return iar & 0x3ff;
}
/* Drops the running priority only (EOI mode 1): the interrupt stays
 * active until gic_deactivate() or a guest's deactivation through a
 * hardware-linked list register. */
void gic_eoi(uint32_t iar);
void gic_deactivate(uint32_t iar);
/* Sets or clears a private interrupt's active state on this CPU. */
void gic_clear_active_private(unsigned intid);
void gic_set_active_private(unsigned intid);
void gic_send_sgi(struct pcpu *target, unsigned intid);

#endif
