/*
 * The physical GICv2 with virtualization extensions (GIC architecture
 * IHI 0048B): the distributor and CPU interface as memory-mapped registers,
 * as the core's irqchip (core/irqchip.h) on a machine with a GICv2. Its
 * virtualization interfaces (GICH, GICV) are the EL2 mode's to drive
 * (arch/aarch64/el2/vgic_v2.c).
 *
 * The distributor's registers for SGIs and PPIs are banked per CPU, so each
 * CPU sets up its own in v2_cpu_init(), where it also learns its CPU
 * interface number (the bit GICD_ITARGETSR0 reads as on that CPU): SGIs
 * and SPI targets name CPUs by that number, not by MPIDR. The CPU
 * interface runs with EOImodeNS, like the v3 driver's EOI mode 1.
 */
#include "core/pcpu.h"
#include "core/vmode.h"
#include "drivers/irqchip/gic.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_DIR 0x1000
/* EnableGrp0, EnableGrp1, EOImode (of the only security state). */
#define GICC_CTLR_VALUE (BIT(0) | BIT(1) | BIT(9))

#define PRIORITY_ALL 0xa0a0a0a0U

static volatile uint8_t *gicd, *gicc;
static uint8_t cpu_mask[MAX_CPUS]; /* each CPU's interface bit */

static uint32_t rd32(volatile uint8_t *base, uint64_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr32(volatile uint8_t *base, uint64_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static paddr_t dist_base;

static int v2_probe(const struct platform *p, char *err, size_t errlen)
{
	const struct gic_desc *d = &p->gic;
	unsigned lines, i;

	if (d->version != 2) {
		return 1;
	}
	dist_base = d->dist.base;
	gicd = vmode->map_device(d->dist.base, d->dist.size);
	gicc = vmode->map_device(d->cpuif.base, d->cpuif.size);
	lines = ((rd32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	wr32(gicd, GICD_CTLR, 0);
	for (i = 32; i < lines; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0U);
	}
	for (i = 32; i < lines; i += 4) {
		wr32(gicd, GICD_IPRIORITYR + i, PRIORITY_ALL);
	}
	wr32(gicd, GICD_CTLR, 1);
	return 0;
}

static void v2_describe(void)
{
	gic_describe(2, dist_base);
}

static void v2_cpu_init(void)
{
	unsigned i;

	cpu_mask[this_cpu()->id] = rd32(gicd, GICD_ITARGETSR) & 0xff;
	wr32(gicd, GICD_ICENABLER, ~0U);
	for (i = 0; i < 32; i += 4) {
		wr32(gicd, GICD_IPRIORITYR + i, PRIORITY_ALL);
	}
	wr32(gicd, GICD_ISENABLER, GIC_PRIVATE_USED);
	wr32(gicc, GICC_PMR, 0xff);
	wr32(gicc, GICC_BPR, 0);
	wr32(gicc, GICC_CTLR, GICC_CTLR_VALUE);
}

static void v2_enable(unsigned intid, struct pcpu *target)
{
	*(volatile uint8_t *)(gicd + GICD_ITARGETSR + intid) = cpu_mask[target->id];
	wr32(gicd, GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
}

static struct irq_ack v2_ack(void)
{
	uint32_t iar = rd32(gicc, GICC_IAR);
	unsigned intid = iar & 0x3ff; /* above it: an SGI's source CPU */

	dsb(sy);
	return (struct irq_ack){ intid < GIC_INTID_SPURIOUS ? intid : IRQ_NONE, iar };
}

static void v2_eoi(uint32_t iar)
{
	wr32(gicc, GICC_EOIR, iar);
}

static void v2_deactivate(uint32_t iar)
{
	wr32(gicc, GICC_DIR, iar);
}

static void v2_disable(unsigned intid)
{
	gic_dist_disable(gicd, intid);
}

static void v2_set_trigger(unsigned intid, bool edge)
{
	gic_dist_set_trigger(gicd, intid, edge);
}

/* (A private interrupt's bit is banked: this CPU's.) */
static void v2_set_active(unsigned intid, bool active)
{
	wr32(gicd, (active ? GICD_ISACTIVER : GICD_ICACTIVER) + intid / 32 * 4, BIT(intid % 32));
}

static void v2_send_kick(struct pcpu *target)
{
	wr32(gicd, GICD_SGIR, (uint32_t)cpu_mask[target->id] << 16 | GIC_SGI_KICK);
}

const struct irqchip gic_v2_irqchip = {
	.name = "GICv2",
	.probe = v2_probe,
	.describe = v2_describe,
	.cpu_init = v2_cpu_init,
	.source = gic_source,
	.translate = gic_translate,
	.enable = v2_enable,
	.disable = v2_disable,
	.set_trigger = v2_set_trigger,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.deactivate = v2_deactivate,
	.split_eoi = true,
	.set_active = v2_set_active,
	.send_kick = v2_send_kick,
};
