/*
 * The Raspberry Pi 2/3's BCM2836 local interrupt controller with the
 * BCM2835 ARM controller chained into it, as the core's irqchip
 * (bcm2836.c).
 */
#ifndef VIREO_DRIVERS_BCM2836_H
#define VIREO_DRIVERS_BCM2836_H

#include "core/irqchip.h"

extern const struct irqchip bcm2836_irqchip;

#endif
