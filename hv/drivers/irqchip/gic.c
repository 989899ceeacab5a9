/*
 * What the GICv2 and GICv3 drivers share: the interrupts that serve
 * Vireo's logical sources, and how a device tree names an interrupt
 * (the binding arm,gic.yaml and arm,gic-v3.yaml: three cells), and the
 * distributor registers whose layout is the same in both.
 */
#include "drivers/irqchip/gic.h"

#include <libfdt.h>

#include "core/printk.h"

unsigned gic_source(enum irq_source s)
{
	static const unsigned intid[IRQ_NR_SOURCES] = {
		[IRQ_HYP_TIMER] = GIC_PPI_HYP_TIMER,
		[IRQ_VTIMER] = GIC_PPI_VTIMER,
		[IRQ_KICK] = GIC_SGI_KICK,
		[IRQ_MAINTENANCE] = GIC_PPI_MAINTENANCE,
		[IRQ_PMU] = GIC_PPI_PMU,
	};

	return s < IRQ_NR_SOURCES ? intid[s] : IRQ_NONE;
}

#define SPEC_SPI 0
#define SPEC_PPI 1

unsigned gic_translate(const void *fdt, int node, int idx)
{
	const fdt32_t *spec;
	uint32_t type, number;
	int len;

	spec = fdt_getprop(fdt, node, "interrupts", &len);
	if (!spec || idx < 0 || len < (idx + 1) * 12) {
		return IRQ_NONE;
	}
	type = fdt32_to_cpu(spec[idx * 3]);
	number = fdt32_to_cpu(spec[idx * 3 + 1]);
	/* SPIs are INTIDs 32-1019, PPIs 16-31 (GIC architecture 2.2). */
	if (type == SPEC_SPI && number <= 1019 - 32) {
		return number + 32;
	}
	if (type == SPEC_PPI && number < 16) {
		return number + 16;
	}
	return IRQ_NONE;
}

void gic_describe(unsigned version, paddr_t dist)
{
	printk("vireo: gic: GICv%u, distributor at 0x%lx\n", version, pa_addr(dist));
}

#define GICD_ICENABLER 0x0180
#define GICD_ICFGR 0x0c00

void gic_dist_disable(volatile uint8_t *gicd, unsigned intid)
{
	*(volatile uint32_t *)(gicd + GICD_ICENABLER + intid / 32 * 4) = (uint32_t)BIT(intid % 32);
}

/* Two bits per interrupt; the upper one says edge-triggered. */
void gic_dist_set_trigger(volatile uint8_t *gicd, unsigned intid, bool edge)
{
	volatile uint32_t *icfgr = (volatile uint32_t *)(gicd + GICD_ICFGR + intid / 16 * 4);
	uint32_t bit = (uint32_t)BIT(intid % 16 * 2 + 1);

	*icfgr = edge ? *icfgr | bit : *icfgr & ~bit;
}
