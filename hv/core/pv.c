/*
 * Paravirtual time: what a vCPU learns about the CPU time it did not get.
 *
 * The scheduler tells this file when a vCPU starts running (pv_running())
 * and when it stops (pv_descheduled()); a vCPU taken off while still
 * runnable waits, and that wait is stolen time. On every start the totals
 * go out to the guest in two forms:
 *   - the stolen-time record of Arm's PV time specification (DEN0057A),
 *     which unmodified Linux reads for /proc/stat's steal column: 64 bytes
 *     per vCPU in a page Vireo maps read-only into the VM (VM_PVTIME in
 *     vdev/vmachine.h, where QEMU's virt machine has it), announced by PV_TIME_ST;
 *   - Vireo's shared page, for guests that asked for one (hypercall.c):
 *     stolen and running time, the preempted flag, pending interrupts,
 *     under a sequence counter.
 */
#include "core/pv.h"

#include "core/mem.h"
#include "core/vm.h"
#include "core/vmode.h"

uint64_t pv_ticks_to_ns(uint64_t ticks)
{
	uint64_t freq = counter_freq();

	return ticks / freq * 1000000000UL + ticks % freq * 1000000000UL / freq;
}

bool pv_attach(struct vm *vm)
{
	paddr_t page;

	if (!mem_alloc(1, 1, &page)) {
		return false;
	}
	vm->pvtime = phys_to_virt(page);
	return vmode->vm_map(vm, vm_region_ipa(VM_PVTIME), page, PAGE_SIZE, VM_MEM_RAM_RO) == 0;
}

/* Writes the shared page under its sequence counter (odd while writing). */
static void publish_page(struct vcpu *v, bool preempted)
{
	struct vireo_shared_page *p = v->shared_page;

	if (!p) {
		return;
	}
	__atomic_store_n(&p->sequence, p->sequence + 1, __ATOMIC_RELAXED);
	dmb(ishst); /* the odd count is seen before the new values */
	p->layout = VIREO_PAGE_LAYOUT;
	p->features = VIREO_FEATURES;
	p->vcpu_id = v->id;
	p->preempted = preempted;
	p->stolen_ns = pv_ticks_to_ns(v->stolen_ticks);
	p->running_ns = pv_ticks_to_ns(v->running_ticks);
	p->pending_irqs = v->vm->has_gic && vgic_has_pending(&v->vm->vgic, v->id);
	dmb(ishst); /* the values are seen before the even count */
	__atomic_store_n(&p->sequence, p->sequence + 1, __ATOMIC_RELAXED);
}

void pv_running(struct vcpu *v)
{
	uint64_t t = counter_now();

	if (v->ready_since) {
		v->stolen_ticks += t - v->ready_since;
		v->ready_since = 0;
	}
	v->running_since = t;
	if (v->vm->pvtime) {
		struct pvtime_record *r = &((struct pvtime_record *)v->vm->pvtime)[v->id];

		__atomic_store_n(&r->stolen_time, pv_ticks_to_ns(v->stolen_ticks), __ATOMIC_RELAXED);
	}
	publish_page(v, false);
}

void pv_descheduled(struct vcpu *v, bool still_runnable)
{
	uint64_t t = counter_now();

	v->running_ticks += t - v->running_since;
	v->ready_since = still_runnable ? t : 0;
	publish_page(v, still_runnable);
}
