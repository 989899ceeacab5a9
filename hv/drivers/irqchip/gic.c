/*
 * The physical GIC, whichever version the device tree names: gic_init()
 * picks the driver (gic_v2.c or gic_v3.c) and everything else calls it
 * through these functions. Both drivers set the GIC up the same way: all
 * interrupts in one group at one priority, EOI mode 1 (priority drop and
 * deactivation are separate steps), Vireo's private interrupts
 * (GIC_PRIVATE_USED) enabled on every CPU.
 */
#include "drivers/irqchip/gic_ops.h"

static const struct gic_ops *ops;
static unsigned version;

unsigned gic_version(void)
{
	return version;
}

void gic_init(const struct gic_desc *d)
{
	ops = d->version == 3 ? &gic_v3_ops : &gic_v2_ops;
	ops->init(d);
	version = d->version;
}

void gic_cpu_init(void)
{
	if (ops) {
		ops->cpu_init();
	}
}

void gic_enable_spi(unsigned intid, struct pcpu *target)
{
	if (ops) {
		ops->enable_spi(intid, target);
	}
}

uint32_t gic_ack(void)
{
	return ops->ack();
}

void gic_eoi(uint32_t iar)
{
	ops->eoi(iar);
}

void gic_deactivate(uint32_t iar)
{
	ops->deactivate(iar);
}

void gic_clear_active_private(unsigned intid)
{
	ops->clear_active_private(intid);
}

void gic_set_active_private(unsigned intid)
{
	ops->set_active_private(intid);
}

void gic_send_sgi(struct pcpu *target, unsigned intid)
{
	/* Earlier stores (the state the target will read) must be visible
	 * before the interrupt that tells it to look. */
	dsb(ishst);
	ops->send_sgi(target, intid);
}
