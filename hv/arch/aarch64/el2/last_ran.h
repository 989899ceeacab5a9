/*
 * Which vCPU of a VM each physical CPU last ran, and so whether its TLB
 * may hold another vCPU's translations for the same VMID.
 *
 * All vCPUs of a VM share its VMID, but each has its own stage 1 (its own
 * TTBRs and ASIDs, which the guest may reuse differently on each vCPU), so
 * entries one vCPU left in a CPU's TLB are not the next one's to use: when
 * a CPU switches between two vCPUs of the same VM it must invalidate that
 * VMID's EL1&0 entries locally (KVM keeps the same record, last_vcpu_ran).
 * A CPU that runs vCPUs of different VMs in turn needs nothing: their
 * VMIDs differ.
 */
#ifndef VIREO_EL2_LAST_RAN_H
#define VIREO_EL2_LAST_RAN_H

#include <stdbool.h>
#include <stdint.h>

/* last[cpu] is 1 + the vCPU that CPU last ran of this VM, 0 for none.
 * Records vcpu as the one now running there, and says whether another
 * vCPU of the VM ran there before it. */
static inline bool last_ran_changed(uint8_t *last, unsigned cpu, unsigned vcpu)
{
	uint8_t prev = last[cpu];

	last[cpu] = (uint8_t)(vcpu + 1);
	return prev != 0 && prev != vcpu + 1;
}

#endif
