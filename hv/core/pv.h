/*
 * Paravirtual state Vireo shares with guests: the stolen-time records of
 * Arm's PV time (DEN0057A) and Vireo's own per-vCPU shared page.
 */
#ifndef VIREO_CORE_PV_H
#define VIREO_CORE_PV_H

#include "core/types.h"

struct vcpu;
struct vm;

/* DEN0057A 3.2: one 64-byte record per vCPU, little-endian. */
struct pvtime_record {
	uint32_t revision;
	uint32_t attributes;
	uint64_t stolen_time; /* nanoseconds */
	uint8_t padding[48];
};

/* Vireo's shared page (docs/hypercalls.md), one per vCPU, in guest RAM at
 * an IPA the guest chooses. Vireo writes it with the sequence counter odd;
 * a reader retries while the counter is odd or changed under it. */
struct vireo_shared_page {
	uint32_t layout;     /* VIREO_PAGE_LAYOUT */
	uint32_t sequence;
	uint64_t features;   /* VIREO_FEAT_* that Vireo offers */
	uint64_t guest_flags; /* written by the guest */
	uint32_t vcpu_id;
	uint32_t preempted;  /* 1 while the vCPU waits for its CPU */
	uint64_t stolen_ns;  /* runnable but not running, since boot */
	uint64_t running_ns; /* running, since boot */
	uint32_t pending_irqs; /* virtual interrupts waiting for it */
	uint32_t reserved0;
	uint64_t reserved[57]; /* room to grow (the page is 4 KiB, the layout 512 bytes) */
};

#define VIREO_PAGE_LAYOUT 1
#define VIREO_FEAT_STEAL BIT(0)
#define VIREO_FEAT_CONSOLE BIT(1)
#define VIREO_FEAT_CHANNELS BIT(2)
#define VIREO_FEAT_YIELD BIT(3)
#define VIREO_FEATURES (VIREO_FEAT_STEAL | VIREO_FEAT_CONSOLE | VIREO_FEAT_CHANNELS | VIREO_FEAT_YIELD)

/* Gives the VM its stolen-time records (a page mapped read-only). */
bool pv_attach(struct vm *vm);
/* The scheduler's accounting: the vCPU starts or stops running. */
void pv_running(struct vcpu *v);
void pv_descheduled(struct vcpu *v, bool still_runnable);
/* Converts counter ticks to nanoseconds without overflowing. */
uint64_t pv_ticks_to_ns(uint64_t ticks);

#endif
