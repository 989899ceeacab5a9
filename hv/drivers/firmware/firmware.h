/*
 * Calls from Vireo to the firmware below it (EL3, or QEMU's built-in PSCI),
 * through the conduit the device tree names.
 */
#ifndef VIREO_FIRMWARE_H
#define VIREO_FIRMWARE_H

#include "core/types.h"

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_SMC, PSCI_CONDUIT_HVC };

void firmware_init(enum psci_conduit conduit);
int64_t firmware_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);
void firmware_system_off(void) __attribute__((noreturn));

#endif
