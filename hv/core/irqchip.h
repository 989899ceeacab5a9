/*
 * The host's interrupt controller, as the core uses it: a small interface
 * that a driver in drivers/irqchip fills (the GICv2 and GICv3 today), so
 * that nothing outside the driver knows an interrupt controller's
 * registers or numbers.
 *
 * The core never names an interrupt number. It asks the driver which
 * hardware interrupt serves each of its logical sources (enum irq_source)
 * and registers a handler for it (irq.c); devices' interrupts come from
 * the device tree through translate(). Interrupts are taken at well-defined
 * points only (irq.c): ack() names the highest-priority pending one, eoi()
 * drops its priority, deactivate() ends it. A controller whose interrupts
 * have an active state that a guest can end through a hardware-linked
 * list register (the GIC) has split_eoi set: the core then leaves the
 * virtual timer's interrupt active after eoi(), for the guest to end.
 */
#ifndef VIREO_CORE_IRQCHIP_H
#define VIREO_CORE_IRQCHIP_H

#include "core/platform.h"
#include "core/types.h"

struct pcpu;

/* Interrupts Vireo itself needs on every CPU. */
enum irq_source {
	IRQ_HYP_TIMER,   /* Vireo's own timer (vmode->timer_set()) */
	IRQ_VTIMER,      /* the loaded vCPU's virtual timer */
	IRQ_KICK,        /* one CPU asks another to look at its vCPUs */
	IRQ_MAINTENANCE, /* the virtual CPU interface wants the vCPU out */
	IRQ_PMU,         /* the PMU's overflow interrupt (the loaded vCPU's) */
	IRQ_NR_SOURCES,
};

#define IRQ_NONE (~0U)
/* Hardware interrupt numbers the core accepts: below this. */
#define IRQ_MAX 1024

/* What ack() found: the interrupt, and the token to end it with. */
struct irq_ack {
	unsigned irq;   /* IRQ_NONE: nothing pending */
	uint32_t token; /* passed back unchanged to eoi() and deactivate() */
};

struct irqchip {
	const char *name;
	/* Finds the controller in the machine's description, maps and sets
	 * it up. 0; 1 if the machine has no such controller; -1 with a
	 * message naming the node and property in err. Boot only. */
	int (*probe)(const struct platform *p, char *err, size_t errlen);
	/* One line for the boot report. */
	void (*describe)(void);
	/* Per CPU: its private interrupts and its CPU interface. */
	void (*cpu_init)(void);
	unsigned (*source)(enum irq_source s);
	/* A device node's interrupt number idx, from its "interrupts". */
	unsigned (*translate)(const void *fdt, int node, int idx);
	/* Enables irq at target, or moves it there if it is enabled. */
	void (*enable)(unsigned irq, struct pcpu *target);
	/* For a shared interrupt given to a VM (core/devices.c); NULL on a
	 * controller that cannot forward interrupts to guests. */
	void (*disable)(unsigned irq);
	void (*set_trigger)(unsigned irq, bool edge);
	struct irq_ack (*ack)(void);
	void (*eoi)(uint32_t token);
	void (*deactivate)(uint32_t token);
	bool split_eoi;
	/* Sets or clears irq's active state: this CPU's, for a private one. */
	void (*set_active)(unsigned irq, bool active);
	/* Raises IRQ_KICK on target. */
	void (*send_kick)(struct pcpu *target);
};

/* The machine's controller, or NULL before irqchip_probe() found one. */
extern const struct irqchip *irqchip;

#endif
