/*
 * The Raspberry Pi 2/3's interrupt controllers, as the core's irqchip
 * (core/irqchip.h): the BCM2836 per-core local controller at the top, with
 * the BCM2835 ARM controller (the "GPU" peripherals' interrupts) chained
 * into it. Neither is a GIC: every line is a level, there is no active
 * state, no priority and no end of interrupt. The bindings are Linux's
 * brcm,bcm2836-l1-intc.yaml and brcm,bcm2835-armctrl-ic.yaml; the registers
 * are those of the "Quad-A7 control" document and of the BCM2835 ARM
 * Peripherals manual, chapter 7.
 *
 * Interrupt numbers, as the core sees them (and as translate() makes them
 * from a device tree's two-cell specifiers):
 *   0-31    a local source: bit n of a core's IRQ source register (0-3 the
 *           four timers of that core, CNTPS, CNTPNS, CNTHP and CNTV; 4-7
 *           its mailboxes 0-3; 8 the ARM controller, never itself
 *           returned; 9 the PMU);
 *   32-127  the ARM controller's: 32 + bank * 32 + bit, bank 0 being the
 *           "basic" pending register's own interrupts, banks 1 and 2 the
 *           GPU interrupts 0-31 and 32-63 (the PL011 is bank 2, bit 25).
 * Vireo's sources: its own timer is CNTHP, the guests' CNTV, the kick is
 * mailbox 0, written by the sender into the target core's set register.
 *
 * What stands in for a GIC's active state: the virtual timer's line is
 * masked at its core's timer routing register from ack() until the guest
 * ends the interrupt (deactivate() or set_active(false)), so a timer that
 * stays asserted does not interrupt Vireo again before then. That is the
 * GIC's split EOI, and the core treats it as such (split_eoi). The other
 * sources are ended by their handlers, which take the level away (a
 * reprogrammed timer, a drained UART, a cleared mailbox).
 *
 * LOCAL_CONTROL and the prescaler (which set the generic counter's clock
 * for every core) are written by no one: firmware set them, and guests
 * never see this controller.
 */
#include "core/fdt_util.h"
#include "core/pcpu.h"
#include "core/printk.h"
#include "core/vmode.h"
#include "drivers/irqchip/bcm2836.h"

/* The local controller (one 256-byte block for all four cores). */
#define LOCAL_GPU_ROUTE 0x0c
#define LOCAL_TIMER_CTL(core) (0x40 + 4 * (core))
#define LOCAL_MBOX_CTL(core) (0x50 + 4 * (core))
#define LOCAL_IRQ_SOURCE(core) (0x60 + 4 * (core))
#define LOCAL_MBOX_SET(core, n) (0x80 + 16 * (core) + 4 * (n))
#define LOCAL_MBOX_CLR(core, n) (0xc0 + 16 * (core) + 4 * (n))
#define LOCAL_CORES 4

/* Local source numbers (bits of LOCAL_IRQ_SOURCE; the timers' are also
 * their enable bits in LOCAL_TIMER_CTL). */
#define SRC_CNTHP 2
#define SRC_CNTV 3
#define SRC_MBOX0 4
#define SRC_GPU 8

/* The ARM controller. */
#define ARM_PENDING_BASIC 0x00
#define ARM_PENDING(bank) (0x04 * (bank)) /* banks 1 and 2 */
#define ARM_ENABLE(bank) (0x0c + 0x04 * (bank)) /* 1, 2; 0 (basic) is 0x18 */
#define ARM_ENABLE_BASIC 0x18
#define ARM_DISABLE(bank) (0x18 + 0x04 * (bank))
#define ARM_DISABLE_BASIC 0x24
#define ARM_FIRST 32U
#define ARM_BASIC_BITS 0xffU /* the basic register's own interrupts */

static volatile uint8_t *local, *armctrl;
static paddr_t local_base, armctrl_base;
/* What is enabled at the ARM controller, by bank (0 basic, 1, 2): its
 * pending registers show raw lines, so ack() masks them with this. */
static uint32_t arm_enabled[3];

static uint32_t rd32(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static void wr32(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static int map_node(const struct platform *p, const char *compatible, volatile uint8_t **regs,
		    paddr_t *base, char *err, size_t errlen)
{
	int node = fdt_node_offset_by_compatible(p->fdt, -1, compatible);
	struct mem_range r;
	int rc;

	if (node < 0) {
		return 1;
	}
	rc = fdt_util_reg_cpu(p->fdt, node, 0, &r);
	if (rc < 0) {
		snprintf(err, errlen, "%s: \"reg\" is not a CPU address: %s",
			 fdt_get_name(p->fdt, node, NULL), fdt_util_strerror(rc));
		return -1;
	}
	*base = r.base;
	*regs = vmode->map_device(r.base, r.size);
	return 0;
}

static int bcm_probe(const struct platform *p, char *err, size_t errlen)
{
	unsigned i;
	int rc = map_node(p, "brcm,bcm2836-l1-intc", &local, &local_base, err, errlen);

	if (rc != 0) {
		return rc;
	}
	for (i = 0; i < p->n_cpus; i++) {
		if ((p->cpu_mpidr[i] & 0xff) >= LOCAL_CORES) {
			snprintf(err, errlen, "CPU with MPIDR 0x%lx: the local interrupt controller "
				 "serves cores 0-3 only", p->cpu_mpidr[i]);
			return -1;
		}
	}
	rc = map_node(p, "brcm,bcm2836-armctrl-ic", &armctrl, &armctrl_base, err, errlen);
	if (rc > 0) {
		rc = map_node(p, "brcm,bcm2835-armctrl-ic", &armctrl, &armctrl_base, err, errlen);
	}
	if (rc != 0) {
		if (rc > 0) {
			snprintf(err, errlen, "no BCM2835 ARM interrupt controller beside the "
				 "local one (compatible \"brcm,bcm2836-armctrl-ic\")");
		}
		return -1;
	}
	/* Nothing from the peripherals until a driver asks for it; all of
	 * them to core 0 until then. */
	wr32(armctrl, ARM_DISABLE(1), ~0U);
	wr32(armctrl, ARM_DISABLE(2), ~0U);
	wr32(armctrl, ARM_DISABLE_BASIC, ~0U);
	wr32(local, LOCAL_GPU_ROUTE, 0);
	return 0;
}

static void bcm_describe(void)
{
	printk("vireo: irqchip: BCM2836 local controller at 0x%lx, BCM2835 ARM controller at "
	       "0x%lx\n",
	       pa_addr(local_base), pa_addr(armctrl_base));
}

/* A CPU's core number at the local controller: its MPIDR's Aff0. */
static unsigned core_of(const struct pcpu *cpu)
{
	return cpu->mpidr & 0xff;
}

static unsigned this_core(void)
{
	return core_of(this_cpu());
}

static void bcm_cpu_init(void)
{
	unsigned core = this_core();

	wr32(local, LOCAL_MBOX_CLR(core, 0), ~0U);
	wr32(local, LOCAL_TIMER_CTL(core), BIT(SRC_CNTHP) | BIT(SRC_CNTV));
	wr32(local, LOCAL_MBOX_CTL(core), BIT(0));
}

static unsigned bcm_source(enum irq_source s)
{
	switch (s) {
	case IRQ_HYP_TIMER:
		return SRC_CNTHP;
	case IRQ_VTIMER:
		return SRC_CNTV;
	case IRQ_KICK:
		return SRC_MBOX0;
	default:
		return IRQ_NONE; /* no maintenance interrupt: no list registers */
	}
}

/* The node's interrupt parent: its own or its nearest ancestor's
 * "interrupt-parent", or -1. */
static int interrupt_parent(const void *fdt, int node)
{
	while (node >= 0) {
		const fdt32_t *ph = fdt_getprop(fdt, node, "interrupt-parent", NULL);

		if (ph) {
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
		}
		node = fdt_parent_offset(fdt, node);
	}
	return -1;
}

static unsigned bcm_translate(const void *fdt, int node, int idx)
{
	int parent = interrupt_parent(fdt, node), len;
	const fdt32_t *spec = fdt_getprop(fdt, node, "interrupts", &len);
	uint32_t a, b;

	if (!spec || parent < 0 || idx < 0 || len < (idx + 1) * 8) {
		return IRQ_NONE;
	}
	a = fdt32_to_cpu(spec[idx * 2]);
	b = fdt32_to_cpu(spec[idx * 2 + 1]);
	if (fdt_node_check_compatible(fdt, parent, "brcm,bcm2836-l1-intc") == 0) {
		return a < ARM_FIRST ? a : IRQ_NONE; /* <source flags> */
	}
	if (fdt_node_check_compatible(fdt, parent, "brcm,bcm2836-armctrl-ic") == 0 ||
	    fdt_node_check_compatible(fdt, parent, "brcm,bcm2835-armctrl-ic") == 0) {
		/* <bank bit>: the basic bank has 8 interrupts of its own. */
		if (a > 2 || b >= (a == 0 ? 8 : 32)) {
			return IRQ_NONE;
		}
		return ARM_FIRST + a * 32 + b;
	}
	return IRQ_NONE;
}

static void bcm_enable(unsigned irq, struct pcpu *target)
{
	unsigned core = core_of(target);

	if (irq < ARM_FIRST) {
		if (irq <= SRC_CNTV) {
			wr32(local, LOCAL_TIMER_CTL(core), rd32(local, LOCAL_TIMER_CTL(core)) | BIT(irq));
		} else if (irq >= SRC_MBOX0 && irq < SRC_MBOX0 + 4) {
			wr32(local, LOCAL_MBOX_CTL(core),
			     rd32(local, LOCAL_MBOX_CTL(core)) | BIT(irq - SRC_MBOX0));
		}
		return;
	}
	/* The ARM controller has one route for all of its interrupts: they
	 * go to the core the last one enabled asked for. */
	irq -= ARM_FIRST;
	wr32(local, LOCAL_GPU_ROUTE, core);
	arm_enabled[irq / 32] |= BIT(irq % 32);
	wr32(armctrl, irq / 32 == 0 ? ARM_ENABLE_BASIC : ARM_ENABLE(irq / 32), BIT(irq % 32));
}

static void vtimer_route(bool on)
{
	unsigned core = this_core();
	uint32_t ctl = rd32(local, LOCAL_TIMER_CTL(core));

	wr32(local, LOCAL_TIMER_CTL(core), on ? ctl | BIT(SRC_CNTV) : ctl & ~BIT(SRC_CNTV));
}

/* The first enabled, pending interrupt of the ARM controller, or IRQ_NONE. */
static unsigned arm_pending(void)
{
	uint32_t bits;
	unsigned bank;

	for (bank = 1; bank <= 2; bank++) {
		bits = rd32(armctrl, ARM_PENDING(bank)) & arm_enabled[bank];
		if (bits) {
			return ARM_FIRST + bank * 32 + __builtin_ctz(bits);
		}
	}
	bits = rd32(armctrl, ARM_PENDING_BASIC) & ARM_BASIC_BITS & arm_enabled[0];
	return bits ? ARM_FIRST + __builtin_ctz(bits) : IRQ_NONE;
}

static struct irq_ack bcm_ack(void)
{
	unsigned core = this_core();
	uint32_t src = rd32(local, LOCAL_IRQ_SOURCE(core));
	unsigned irq = IRQ_NONE;

	if (src & BIT(SRC_MBOX0)) {
		/* Cleared before it is handled: a kick sent meanwhile is seen. */
		wr32(local, LOCAL_MBOX_CLR(core, 0), rd32(local, LOCAL_MBOX_CLR(core, 0)));
		irq = SRC_MBOX0;
	} else if (src & BIT(SRC_CNTV)) {
		vtimer_route(false); /* "active" until the guest ends it */
		irq = SRC_CNTV;
	} else if (src & BIT(SRC_CNTHP)) {
		irq = SRC_CNTHP;
	} else if (src & BIT(SRC_GPU)) {
		irq = arm_pending();
	}
	dsb(sy);
	return (struct irq_ack){ irq, irq };
}

/* Levels: nothing to acknowledge at the end. */
static void bcm_eoi(uint32_t token)
{
}

static void bcm_deactivate(uint32_t token)
{
	if (token == SRC_CNTV) {
		vtimer_route(true);
	}
}

static void bcm_set_active(unsigned irq, bool active)
{
	if (irq == SRC_CNTV) {
		vtimer_route(!active);
	}
}

static void bcm_send_kick(struct pcpu *target)
{
	wr32(local, LOCAL_MBOX_SET(core_of(target), 0), 1);
}

const struct irqchip bcm2836_irqchip = {
	.name = "BCM2836",
	.probe = bcm_probe,
	.describe = bcm_describe,
	.cpu_init = bcm_cpu_init,
	.source = bcm_source,
	.translate = bcm_translate,
	.enable = bcm_enable,
	.ack = bcm_ack,
	.eoi = bcm_eoi,
	.deactivate = bcm_deactivate,
	.split_eoi = true,
	.set_active = bcm_set_active,
	.send_kick = bcm_send_kick,
};
