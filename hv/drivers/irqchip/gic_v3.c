/*
 * The physical GICv3 (GIC architecture IHI 0069): just enough of it for
 * Vireo, which owns every physical interrupt: the core's irqchip
 * (core/irqchip.h) on a machine with a GICv3.
 *
 * All interrupts are Group 1 at one priority. The CPU interface runs with
 * EOImode = 1, so ending an interrupt is two steps: eoi() drops the
 * priority at once and deactivate() ends it. That split is what lets a
 * guest deactivate the physical virtual-timer interrupt itself through a
 * hardware-linked list register (arch/aarch64/el2/vgic_lr.c).
 * ICC_SRE_EL2.Enable lets guests use the system-register interface of
 * their virtual CPU interface.
 */
#include "core/panic.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vmode.h"
#include "drivers/irqchip/gic.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE_NS BIT(4)
#define GICD_CTLR_ENABLE_G1 BIT(1)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_WAKER_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)
#define ICC_CTLR_EOIMODE BIT(1)

#define PRIORITY 0xa0
#define PRIORITY_ALL 0xa0a0a0a0U

static volatile uint8_t *gicd;
static volatile uint8_t *gicr_base;
static volatile uint8_t *gicr_of[MAX_CPUS];

static uint32_t rd32(volatile uint8_t *base, uint64_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr32(volatile uint8_t *base, uint64_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static uint64_t rd64(volatile uint8_t *base, uint64_t off)
{
	return *(volatile uint64_t *)(base + off);
}

static void wr64(volatile uint8_t *base, uint64_t off, uint64_t v)
{
	*(volatile uint64_t *)(base + off) = v;
}

static void dist_wait(void)
{
	while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP) {
	}
}

static paddr_t dist_base;

static int v3_probe(const struct platform *p, char *err, size_t errlen)
{
	const struct gic_desc *d = &p->gic;
	unsigned lines, i;

	if (d->version != 3) {
		return 1;
	}
	dist_base = d->dist.base;
	gicd = vmode->map_device(d->dist.base, d->dist.size);
	gicr_base = vmode->map_device(d->redist.base, d->redist.size);
	lines = ((rd32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	wr32(gicd, GICD_CTLR, 0);
	dist_wait();
	for (i = 32; i < lines; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0U);
		wr32(gicd, GICD_IGROUPR + i / 8, ~0U);
	}
	for (i = 32; i < lines; i += 4) {
		wr32(gicd, GICD_IPRIORITYR + i, PRIORITY_ALL);
	}
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1);
	dist_wait();
	return 0;
}

static void v3_describe(void)
{
	gic_describe(3, dist_base);
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity is ours. */
static volatile uint8_t *find_redist(uint64_t mpidr)
{
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	volatile uint8_t *r = gicr_base;

	for (;;) {
		uint64_t typer = rd64(r, GICR_TYPER);

		if (typer >> 32 == aff) {
			return r;
		}
		if (typer & GICR_TYPER_LAST) {
			return NULL;
		}
		r += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
}

static void v3_cpu_init(void)
{
	struct pcpu *cpu = this_cpu();
	volatile uint8_t *r;

	r = find_redist(cpu->mpidr);
	if (!r) {
		panic("no GIC redistributor for MPIDR 0x%lx", cpu->mpidr);
	}
	gicr_of[cpu->id] = r;
	wr32(r, GICR_WAKER, rd32(r, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (rd32(r, GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
	}
	wr32(r, GICR_SGI + GICD_ICENABLER, ~0U);
	wr32(r, GICR_SGI + GICD_IGROUPR, ~0U);
	for (unsigned i = 0; i < 32; i += 4) {
		wr32(r, GICR_SGI + GICD_IPRIORITYR + i, PRIORITY_ALL);
	}
	wr32(r, GICR_SGI + GICD_ISENABLER, GIC_PRIVATE_USED);

	write_sysreg(icc_sre_el2, read_sysreg(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static void v3_enable(unsigned intid, struct pcpu *target)
{
	uint64_t target_mpidr = target->mpidr;

	wr64(gicd, GICD_IROUTER + 8 * intid, target_mpidr & 0xff00ffffffUL);
	wr32(gicd, GICD_ISENABLER + intid / 32 * 4, BIT(intid % 32));
}

static struct irq_ack v3_ack(void)
{
	uint32_t iar = read_sysreg(icc_iar1_el1) & 0xffffff;

	/* The acknowledge must complete before the handler acts on it. */
	dsb(sy);
	return (struct irq_ack){ iar < GIC_INTID_SPURIOUS ? iar : IRQ_NONE, iar };
}

static void v3_eoi(uint32_t iar)
{
	write_sysreg(icc_eoir1_el1, iar);
	isb();
}

static void v3_deactivate(uint32_t iar)
{
	write_sysreg(icc_dir_el1, iar);
	isb();
}

static void v3_disable(unsigned intid)
{
	gic_dist_disable(gicd, intid);
}

static void v3_set_trigger(unsigned intid, bool edge)
{
	gic_dist_set_trigger(gicd, intid, edge);
}

/* A private interrupt's state is in this CPU's redistributor, a shared
 * one's in the distributor. */
static void v3_set_active(unsigned intid, bool active)
{
	volatile uint8_t *r = gicr_of[this_cpu()->id];

	if (intid >= 32) {
		wr32(gicd, (active ? GICD_ISACTIVER : GICD_ICACTIVER) + intid / 32 * 4,
		     BIT(intid % 32));
	} else if (r) {
		wr32(r, active ? GICR_ISACTIVER0 : GICR_ICACTIVER0, BIT(intid));
	}
}

static void v3_send_kick(struct pcpu *target)
{
	unsigned intid = GIC_SGI_KICK;
	uint64_t target_mpidr = target->mpidr;
	uint64_t sgi = (uint64_t)intid << 24 | BIT(target_mpidr & 0xf) |
		       ((target_mpidr >> 8) & 0xff) << 16 | ((target_mpidr >> 16) & 0xff) << 32 |
		       ((target_mpidr >> 32) & 0xff) << 48 | ((target_mpidr & 0xf0) >> 4) << 44;

	write_sysreg(icc_sgi1r_el1, sgi);
	isb();
}

const struct irqchip gic_v3_irqchip = {
	.name = "GICv3",
	.probe = v3_probe,
	.describe = v3_describe,
	.cpu_init = v3_cpu_init,
	.source = gic_source,
	.translate = gic_translate,
	.enable = v3_enable,
	.disable = v3_disable,
	.set_trigger = v3_set_trigger,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.deactivate = v3_deactivate,
	.split_eoi = true,
	.set_active = v3_set_active,
	.send_kick = v3_send_kick,
};
