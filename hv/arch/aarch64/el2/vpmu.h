/*
 * The virtual PMU (vpmu.c): its hooks in the world switch, the trap path
 * and the PMU's physical interrupt.
 */
#ifndef VIREO_EL2_VPMU_H
#define VIREO_EL2_VPMU_H

#include "core/types.h"

struct vcpu;

/* MDCR_EL2's PMU bits for this CPU (HPMN, HPMD, HCCD); the PMU quiet. */
uint64_t vpmu_cpu_init(void);
/* In el2_vcpu_load() and el2_vcpu_put(): the guest's counters in, out. */
void vpmu_load(struct vcpu *v);
void vpmu_put(struct vcpu *v);
/* A trapped PMU register access (vmode->pmu_access): false if it is
 * undefined for the guest. */
bool vpmu_access(struct vcpu *v, uint64_t esr);
/* The PMU's interrupt fired with v loaded (vmode->pmu_overflow). */
void vpmu_overflow(struct vcpu *v);

#endif
