/*
 * The physical GICv2 with virtualization extensions (GIC architecture
 * IHI 0048B): the distributor and CPU interface as memory-mapped registers.
 * gic.c calls it through gic_v2_ops.
 *
 * The distributor's registers for SGIs and PPIs are banked per CPU, so each
 * CPU sets up its own in v2_cpu_init(), where it also learns its CPU
 * interface number (the bit GICD_ITARGETSR0 reads as on that CPU): SGIs
 * and SPI targets name CPUs by that number, not by MPIDR. The CPU
 * interface runs with EOImodeNS, like the v3 driver's EOI mode 1.
 */
#include "drivers/irqchip/gic_ops.h"
#include "arch/aarch64/el2/vgic_hw.h"

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

static void v2_init(const struct gic_desc *d)
{
	unsigned lines, i;

	gicd = pa_to_ptr(d->dist.base);
	gicc = pa_to_ptr(d->cpuif.base);
	lines = ((rd32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	wr32(gicd, GICD_CTLR, 0);
	for (i = 32; i < lines; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0U);
	}
	for (i = 32; i < lines; i += 4) {
		wr32(gicd, GICD_IPRIORITYR + i, PRIORITY_ALL);
	}
	wr32(gicd, GICD_CTLR, 1);
	/* The same GIC's virtualization interfaces, for guests' vCPUs. */
	vgic_v2_init(d);
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

static void v2_enable_spi(unsigned intid, struct pcpu *target)
{
	*(volatile uint8_t *)(gicd + GICD_ITARGETSR + intid) = cpu_mask[target->id];
	wr32(gicd, GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
}

static uint32_t v2_ack(void)
{
	uint32_t iar = rd32(gicc, GICC_IAR);

	dsb(sy);
	return iar;
}

static void v2_eoi(uint32_t iar)
{
	wr32(gicc, GICC_EOIR, iar);
}

static void v2_deactivate(uint32_t iar)
{
	wr32(gicc, GICC_DIR, iar);
}

static void v2_clear_active_private(unsigned intid)
{
	wr32(gicd, GICD_ICACTIVER, BIT(intid));
}

static void v2_set_active_private(unsigned intid)
{
	wr32(gicd, GICD_ISACTIVER, BIT(intid));
}

static void v2_send_sgi(struct pcpu *target, unsigned intid)
{
	wr32(gicd, GICD_SGIR, (uint32_t)cpu_mask[target->id] << 16 | intid);
}

const struct gic_ops gic_v2_ops = {
	.init = v2_init,
	.cpu_init = v2_cpu_init,
	.enable_spi = v2_enable_spi,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.deactivate = v2_deactivate,
	.clear_active_private = v2_clear_active_private,
	.set_active_private = v2_set_active_private,
	.send_sgi = v2_send_sgi,
};
