/*
 * Ending a Raspberry Pi: the BCM2835 power manager's watchdog, which is
 * the only way the SoC has to reset itself, and with the firmware's "halt"
 * partition the way it powers off (bcm2835_pm.c). A board's struct power
 * (core/board.h) uses these.
 */
#ifndef VIREO_DRIVERS_BCM2835_PM_H
#define VIREO_DRIVERS_BCM2835_PM_H

#include "core/platform.h"

/* Finds and maps the power manager: 0, or -1 with a message in err. */
int bcm2835_pm_probe(const struct platform *p, char *err, size_t errlen);
void bcm2835_pm_off(void);
void bcm2835_pm_reset(void);

#endif
