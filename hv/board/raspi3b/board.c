/*
 * The Raspberry Pi 3 Model B (BCM2837, four Cortex-A53), real or QEMU's
 * "raspi3b" machine: no GIC and no PSCI. Its interrupt controllers are the
 * BCM2836 local controller with the BCM2835 ARM controller chained into it
 * (drivers/irqchip/bcm2836.c); the secondary CPUs wait in firmware's spin
 * table; the PM watchdog resets it and, through the firmware's halt
 * partition, powers it off. The console is the mini UART at 0x3f215040
 * (CPU address; 0x7e215040 on the peripherals' bus): the UART the board's
 * device tree names in stdout-path, on GPIO 14/15 of a real board (with
 * enable_uart=1) and QEMU's second serial port (docs/boards/raspi3b.md).
 * Guests see the same virtual machine as on QEMU virt, with a GICv2 whose
 * CPU interface Vireo emulates.
 */
#include "core/board.h"
#include "drivers/irqchip/bcm2836.h"
#include "drivers/power/bcm2835_pm.h"
#include "drivers/power/spin_table.h"
#include "drivers/uart/bcm2835_aux.h"

static int pi_power_probe(const struct platform *p, char *err, size_t errlen)
{
	if (spin_table_probe(p, err, errlen) < 0 || bcm2835_pm_probe(p, err, errlen) < 0) {
		return -1;
	}
	return 0;
}

static const char *pi_power_describe(void)
{
	return "spin-table, PM watchdog";
}

static const struct power pi_power = {
	.probe = pi_power_probe,
	.describe = pi_power_describe,
	.cpu_on = spin_table_cpu_on,
	.system_off = bcm2835_pm_off,
	.system_reset = bcm2835_pm_reset,
};

static const char *const compatible[] = { "raspberrypi,3-model-b", "brcm,bcm2837", NULL };
static const struct irqchip *const irqchips[] = { &bcm2836_irqchip, NULL };

static const struct board raspi3b = {
	.name = "raspi3b",
	.compatible = compatible,
	.uart = &bcm2835_aux_uart,
	.early_uart = { 0x3f215040 },
	.irqchips = irqchips,
	.power = &pi_power,
};

BOARD(raspi3b);
