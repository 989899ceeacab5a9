/*
 * Guest calls through the SMC Calling Convention (Arm DEN0028), by HVC or
 * by SMC, dispatched on the owning entity in the function ID.
 */
#ifndef VIREO_SMCCC_H
#define VIREO_SMCCC_H

#include "core/trap.h"

/* Function ID fields (DEN0028 2.5). */
#define SMCCC_FAST BIT(31)
#define SMCCC_64 BIT(30)
#define SMCCC_OWNER GENMASK(29, 24)
#define SMCCC_FUNC GENMASK(15, 0)

#define SMCCC_OWNER_ARCH 0
#define SMCCC_OWNER_STD 4 /* standard secure services: PSCI, TRNG */
#define SMCCC_OWNER_STD_HYP 5 /* standard hypervisor services: PV time */

/* A service's handler: reads its arguments from x1.. and writes results to
 * x0..; returns what happens to the vCPU next. */
typedef enum trap_action (*smccc_service_t)(struct vcpu *v, uint32_t fid);

enum trap_action vpsci_call(struct vcpu *v, uint32_t fid); /* vpsci.c */
/* PSCI_FEATURES' answer for a PSCI function ID. */
int64_t vpsci_features(const struct vcpu *v, uint32_t fid);

#endif
