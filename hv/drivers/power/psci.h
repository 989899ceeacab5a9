/*
 * CPU bring-up and power through firmware's PSCI (Arm DEN0022), as a
 * board's struct power (core/board.h).
 */
#ifndef VIREO_DRIVERS_PSCI_H
#define VIREO_DRIVERS_PSCI_H

#include "core/board.h"

extern const struct power psci_power;

#endif
