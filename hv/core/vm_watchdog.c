/*
 * A VM's watchdog: the SBSA Generic Watchdog of vdev/vwdog.c, wired to
 * the VM.
 *
 * Every VM has one unless its configuration says "vireo,watchdog =
 * "off"", at VM_WDOG in its machine (vdev/vmachine.h), its WS0 interrupt
 * a level on the VM's virtual GIC. Nothing happens until the guest enables
 * it. Its registers are an MMIO range any vCPU may access; the deadline
 * between accesses is watched by the CPU vCPU 0 lives on, whose timer
 * (sched.c) includes vm_watchdog_due(). A deadline brought nearer is
 * that CPU's to learn: sched_watchdogs_changed() there, or, from another
 * CPU, timer_stale and a kick; one moved later it finds when its timer
 * fires early. When WS1 rises, the VM has crashed: vm_crash(), "watchdog
 * expired", and its on-crash policy decides. A restart resets the
 * watchdog but keeps WS1 set, so that the guest can tell why it restarted
 * (Linux: "System reset by WDT").
 *
 * The lock (wdog_lock) covers the device's state; the interrupt's level is
 * set under it (so levels reach the GIC in order: wdog_lock, then the
 * vGIC's lock), the crash is declared after it.
 */
#include "core/irq.h"
#include "core/sched.h"
#include "core/vm.h"

/* The VM's count: its virtual counter, which the watchdog compares with. */
static uint64_t vm_count_now(const struct vm *vm)
{
	return counter_now() - vm->cntvoff;
}

/* After a change, under the lock: the interrupt follows WS0, and the
 * watching CPU learns of a nearer deadline. */
static void follow(struct vm *vm, const struct vwdog_change *c)
{
	uint64_t d = vwdog_deadline(&vm->wdog);
	uint64_t due = d > UINT64_MAX - vm->cntvoff ? VWDOG_NEVER : d + vm->cntvoff;
	uint64_t was = vm->wdog_due;
	struct pcpu *home = vm->vcpus[0].home;

	if (c->ws0_changed && vm->has_gic) {
		vgic_set_level(&vm->vgic, 0, vm_regions[VM_WDOG].intid, vwdog_ws0(&vm->wdog));
	}
	if (due == was) {
		return;
	}
	__atomic_store_n(&vm->wdog_due, due, __ATOMIC_RELEASE);
	if (due > was) {
		return; /* the watching CPU's timer fires early, finds nothing */
	}
	if (home == this_cpu()) {
		sched_watchdogs_changed();
	} else {
		__atomic_store_n(&home->timer_stale, true, __ATOMIC_RELEASE);
		irq_kick(home);
	}
}

/* Ends a step taken under the lock: follows its change, releases the
 * lock, and, if WS1 rose, declares the crash, with how long the VM went
 * without a refresh (measured now, so it includes how late Vireo
 * noticed). */
static void settle(struct vm *vm, const struct vwdog_change *c)
{
	uint64_t quiet = vm_count_now(vm) - vm->wdog.refreshed_at;

	follow(vm, c);
	spin_unlock(&vm->wdog_lock);
	if (c->ws1_rose) {
		vm_crash(vm, "watchdog expired (not refreshed for %lu ms)",
			 quiet * 1000 / counter_freq());
	}
}

static bool wdog_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct vm *vm = dev;
	struct vwdog_change c = { 0 };
	bool ok;

	spin_lock(&vm->wdog_lock);
	ok = vwdog_read(&vm->wdog, off, size, vm_count_now(vm), val, &c);
	settle(vm, &c);
	return ok;
}

static bool wdog_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct vm *vm = dev;
	struct vwdog_change c = { 0 };
	bool ok;

	spin_lock(&vm->wdog_lock);
	ok = vwdog_write(&vm->wdog, off, size, val, vm_count_now(vm), &c);
	settle(vm, &c);
	return ok;
}

static const struct mmio_ops wdog_ops = {
	.read = wdog_read,
	.write = wdog_write,
};

bool vm_watchdog_attach(struct vm *vm)
{
	vm->wdog_due = VWDOG_NEVER;
	return !vm->cfg.watchdog || mmio_register(&vm->mmio, vm_region_ipa(VM_WDOG),
					      vm_regions[VM_WDOG].size, &wdog_ops, vm);
}

void vm_watchdog_reset(struct vm *vm)
{
	if (!vm->cfg.watchdog) {
		return;
	}
	spin_lock(&vm->wdog_lock);
	vwdog_reset(&vm->wdog);
	__atomic_store_n(&vm->wdog_due, VWDOG_NEVER, __ATOMIC_RELEASE);
	spin_unlock(&vm->wdog_lock);
	/* WS0 is clear: so is its line (the vGIC was reset with the VM). */
}

void vm_watchdog_check(struct vm *vm)
{
	struct vwdog_change c = { 0 };

	if (!vm->cfg.watchdog || !vm_is_running(vm) ||
	    counter_now() < __atomic_load_n(&vm->wdog_due, __ATOMIC_ACQUIRE)) {
		return;
	}
	spin_lock(&vm->wdog_lock);
	vwdog_advance(&vm->wdog, vm_count_now(vm), &c);
	settle(vm, &c);
}
