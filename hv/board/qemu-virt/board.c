/*
 * QEMU's "virt" machine (hw/arm/virt.c): a GICv2 or GICv3, firmware's
 * PSCI through SMC (with virtualization=on QEMU implements it for EL2),
 * and a PL011 at 0x09000000, which QEMU connects to its first serial port
 * and which is the early console.
 */
#include "core/board.h"
#include "drivers/irqchip/gic.h"
#include "drivers/power/psci.h"
#include "drivers/uart/pl011.h"

static const char *const compatible[] = { "linux,dummy-virt", NULL };
static const struct irqchip *const irqchips[] = { &gic_v3_irqchip, &gic_v2_irqchip, NULL };

static const struct board qemu_virt = {
	.name = "qemu-virt",
	.compatible = compatible,
	.uart = &pl011_uart,
	.early_uart = { 0x09000000 },
	.irqchips = irqchips,
	.power = &psci_power,
};

BOARD(qemu_virt);
