/*
 * Building, resetting and ending VMs.
 *
 * vm_create() turns one VM configuration (vmconfig.c) into a VM:
 *   1. its vCPUs, each placed on a physical CPU (vmconfig.c), with virtual
 *      MPIDRs 0, 1, ...; vCPU 0 starts, the others wait for PSCI CPU_ON;
 *   2. its RAM: contiguous pages from the allocator (zeroed), 2 MiB aligned
 *      so the mode can map it with blocks, at the configured IPA;
 *   3. its guest-physical address space, built by the mode (vmode->vm_init:
 *      stage 2 at EL2) and tagged with its VMID (VM id + 1; 0 is never a
 *      guest's), mapping that RAM;
 *   4. its devices, where the guest machine has them (vdev/vmachine.h):
 *      the PL011 console and the PL031 real-time clock (vrtc.c, with the
 *      machine's wall clock), registered as IPA ranges, the PV-time page and
 *      its channels' memory, mapped, its virtual GIC from the mode's
 *      interrupt-delivery back end (which, on a GICv2 host, also maps the
 *      hardware's virtual CPU interface), its watchdog (vm_watchdog.c) and
 *      the host devices it owns (devices.c), with RAM at IPA = PA when one
 *      of them does DMA;
 *   5. its device tree (guest_fdt.c) and the places of its images
 *      (vm_load.c), which are then copied in.
 * Everything else in the IPA space stays unmapped and so faults to Vireo.
 *
 * A VM ends with vm_stop(), which records and prints the first reason and
 * kicks its vCPUs out of their guests; vm_crash() does the same, or resets
 * the VM instead when its configuration says "vireo,on-crash = restart".
 * Every restart, asked for or after a crash, is counted first (restarts.c):
 * one more than "vireo,restart-limit" allows stops the VM as crash-looping
 * instead. Each vCPU's CPU then checks out
 * (vm_vcpu_exited()); the last one frees the VM's memory and, when no VM is
 * left, powers the machine off. SYSTEM_RESET goes the same way, but the
 * last vCPU out reloads the images and asks each vCPU's CPU to reset it
 * and to start vCPU 0 again (vcpu.c's requests).
 * Lock order: vm_lock, then a VM's vgic lock, then mem_lock (mem.c); a
 * VM's wdog_lock (vm_watchdog.c) comes before its vgic lock, and is never
 * held with vm_lock.
 */
#include "core/vm.h"

#include <stdarg.h>
#include <string.h>

#include "core/board.h"
#include "core/channel.h"
#include "core/gdb.h"
#include "core/irq.h"
#include "core/mem.h"
#include "core/printk.h"
#include "core/pv.h"
#include "core/sched.h"
#include "core/vmode.h"
#include "vdev/guest_fdt.h"
#include "vdev/vgic_lpi.h"

static struct vm vms[MAX_VMS];
static unsigned vms_created;
static unsigned vms_alive;
static spinlock_t vm_lock = SPINLOCK_INIT;

unsigned vm_count(void)
{
	return __atomic_load_n(&vms_created, __ATOMIC_ACQUIRE);
}

struct vm *vm_by_id(unsigned id)
{
	return &vms[id];
}

void *vm_ram_ptr(const struct vm *vm, ipaddr_t addr, uint64_t size)
{
	uint64_t off = ipa_addr(addr) - ipa_addr(vm->ram_ipa);

	if (ipa_addr(addr) < ipa_addr(vm->ram_ipa) || off > vm->ram_size ||
	    size > vm->ram_size - off) {
		return NULL;
	}
	return phys_to_virt(pa(pa_addr(vm->ram_pa) + off));
}

void vm_kick(struct vcpu *v)
{
	struct pcpu *cpu = this_cpu();

	if (!v->home) {
		return;
	}
	if (v->home != cpu) {
		irq_kick(v->home);
	} else if (v != cpu->loaded) {
		/* Another vCPU of this very CPU (woken, or switched on): let the
		 * round robin see it now, even if the running one's turn was
		 * started without an end because it was alone then. */
		sched_yield_soon(cpu);
	}
}

void vm_kick_all(struct vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->n_vcpus; i++) {
		vm_kick(&vm->vcpus[i]);
	}
}

/* vCPU 0 starts at the kernel with x0 = the device tree; the others are
 * off until the guest starts them with PSCI CPU_ON. Each vCPU's own CPU
 * does the reset, once the VM runs (vcpu.c: only there is all of its
 * state, FP/SIMD registers included, within reach); nothing of the VM
 * runs meanwhile, and vCPU 0 is ON_PENDING until then. */
static void reset_vcpus(struct vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->n_vcpus; i++) {
		vcpu_request_reset(&vm->vcpus[i], i == 0, vm->entry, ipa_addr(vm->dtb_ipa));
	}
	/* Each VM's virtual counter starts near zero when it (re)starts. */
	vm->cntvoff = counter_now();
}

/* The VM runs again, none of its vCPUs checked out: one step under the
 * lock, so that no CPU's check-out (vm_vcpu_exited()) falls between the
 * two and counts a vCPU of the new run as out. */
static void start_running(struct vm *vm)
{
	unsigned i;

	spin_lock(&vm_lock);
	for (i = 0; i < vm->n_vcpus; i++) {
		vm->vcpus[i].checked_out = false;
	}
	vm->checked_out = 0;
	__atomic_store_n(&vm->state, VM_RUNNING, __ATOMIC_RELEASE);
	spin_unlock(&vm_lock);
}

static void uart_irq(void *ctx, bool level)
{
	struct vm *vm = ctx;

	if (vm->has_gic) {
		vgic_set_level(&vm->vgic, 0, vm_regions[VM_UART].intid, level);
	}
}

/* The real-time clock's time: whole seconds of the machine's counter. */
static uint64_t rtc_seconds(void)
{
	return counter_now() / counter_freq();
}

static bool rtc_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct vm *vm = dev;
	bool ok;

	spin_lock(&vm->rtc_lock);
	ok = vrtc_read(&vm->rtc, off, size, rtc_seconds(), val);
	spin_unlock(&vm->rtc_lock);
	return ok;
}

static bool rtc_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct vm *vm = dev;
	bool ok;

	spin_lock(&vm->rtc_lock);
	ok = vrtc_write(&vm->rtc, off, size, val, rtc_seconds());
	spin_unlock(&vm->rtc_lock);
	return ok;
}

static const struct mmio_ops rtc_ops = {
	.read = rtc_read,
	.write = rtc_write,
};

#define LPI_PAGES ((sizeof(struct vgic_lpis) + PAGE_SIZE - 1) / PAGE_SIZE)

/* The ITS reaches the tables the guest gives it only inside its RAM. */
static void *lpi_ram(void *ctx, uint64_t addr, uint64_t size)
{
	return vm_ram_ptr(ctx, ipa(addr), size);
}

/* The state of a VM's LPIs and ITS, which vm_irq_attach() puts in its
 * virtual GIC. Only a VM configured with an ITS pays for it. */
static bool alloc_lpis(struct vm *vm)
{
	paddr_t pa;

	if (!vm->cfg.its) {
		return true;
	}
	if (!mem_alloc(LPI_PAGES, 1, &pa)) {
		printk("vireo: %s: not enough memory for its ITS\n", vm->name);
		return false;
	}
	vm->lpis = phys_to_virt(pa);
	vm->lpis->ram = lpi_ram;
	vm->lpis->ram_ctx = vm;
	return true;
}

static bool add_devices(struct vm *vm)
{
	vpl011_init(&vm->uart, vm->name, uart_irq, vm);
	vrtc_init(&vm->rtc, vm->cfg.wallclock);
	if (!mmio_register(&vm->mmio, vm_region_ipa(VM_UART), vm_regions[VM_UART].size,
			   &vpl011_ops, &vm->uart) ||
	    !mmio_register(&vm->mmio, vm_region_ipa(VM_RTC), vm_regions[VM_RTC].size, &rtc_ops,
			   vm)) {
		return false;
	}
	vm->has_gic = vmode->vgic_version() != 0;
	return pv_attach(vm) && channels_attach(vm, vm->id) && alloc_lpis(vm) &&
	       (!vm->has_gic || vmode->vm_irq_attach(vm)) && vm_watchdog_attach(vm) &&
	       devices_attach(vm);
}

static bool build_memory(struct vm *vm)
{
	/* Zeroed when the images go in (vm_load_images()). */
	if (!mem_alloc_uninit(vm->ram_size / PAGE_SIZE, SZ_2M / PAGE_SIZE, &vm->ram_pa)) {
		printk("vireo: %s: not enough memory for %lu MiB of RAM\n", vm->name,
		       vm->ram_size >> 20);
		return false;
	}
	/* A device of it does DMA: its RAM is where the device sees it. */
	if (vm->cfg.direct_map) {
		vm->ram_ipa = ipa(pa_addr(vm->ram_pa));
		if (!devices_direct_map_ok(vm) || !vm_layout(vm)) {
			return false;
		}
	}
	if (!vmode->vm_init(vm) ||
	    vmode->vm_map(vm, vm->ram_ipa, vm->ram_pa, vm->ram_size, VM_MEM_RAM) != 0) {
		printk("vireo: %s: cannot build its address space\n", vm->name);
		return false;
	}
	return true;
}

static bool build_dtb(struct vm *vm)
{
	paddr_t buf;

	if (!mem_alloc(GUEST_FDT_MAX / PAGE_SIZE, 1, &buf)) {
		return false;
	}
	vm->dtb = phys_to_virt(buf);
	/* libfdt: no guest has run on this CPU yet, so no FP state is live. */
	vm->dtb_size = guest_fdt_build(vm, vm->dtb);
	if (!vm->dtb_size) {
		printk("vireo: %s: device tree does not fit in %lu KiB\n", vm->name,
		       GUEST_FDT_MAX >> 10);
	}
	return vm->dtb_size != 0;
}

static void init_vcpus(struct vm *vm)
{
	unsigned i;

	vm->n_vcpus = vm->cfg.nr_vcpus;
	for (i = 0; i < vm->n_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->vmpidr = MPIDR_RES1 | FIELD_PREP(MPIDR_AFF0, i);
		v->home = &pcpus[vm->cfg.cpu_of[i]];
	}
}

struct vm *vm_create(unsigned id, const struct vm_config *cfg)
{
	struct vm *vm;
	unsigned i;

	if (id >= MAX_VMS) {
		return NULL;
	}
	vm = &vms[id];
	*vm = (struct vm){ .id = id, .vmid = id + 1, .cfg = *cfg, .ram_ipa = ipa(cfg->ram_ipa),
			   .ram_size = cfg->mem_size };
	vm->name = vm->cfg.name;
	init_vcpus(vm);
	/* The layout first: a VM whose images cannot fit costs nothing. */
	if (!vm_layout(vm) || !build_memory(vm) || !add_devices(vm) || !build_dtb(vm)) {
		return NULL;
	}
	vm_load_images(vm);
	reset_vcpus(vm);
	/* Halted before it starts, if it waits for gdb. */
	if (vm->cfg.gdb != VM_GDB_OFF && !gdb_attach_stub(vm)) {
		return NULL;
	}
	start_running(vm);
	spin_lock(&vm_lock);
	vms_alive++;
	vms_created = id + 1;
	spin_unlock(&vm_lock);
	printk("vireo: %s: %lu MiB RAM at IPA 0x%lx (PA 0x%lx), VMID %u, entry 0x%lx\n", vm->name,
	       vm->ram_size >> 20, ipa_addr(vm->ram_ipa), pa_addr(vm->ram_pa), vm->vmid,
	       ipa_addr(vm->entry));
	for (i = 0; i < vm->n_vcpus; i++) {
		if (!sched_add(vm->vcpus[i].home, &vm->vcpus[i])) {
			printk("vireo: %s: CPU %u has no room for another vCPU\n", vm->name,
			       vm->vcpus[i].home->id);
			return NULL;
		}
	}
	return vm;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	/* Room for a crash's reason (vm_crash(): 160) after "crash-looping:
	 * ...", within printk()'s line of 256. */
	char reason[224];
	va_list ap;

	spin_lock(&vm_lock);
	if (vm->state == VM_STOPPED) {
		spin_unlock(&vm_lock); /* the first reason is the one that counts */
		return;
	}
	__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_RELEASE);
	spin_unlock(&vm_lock);
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	vpl011_flush(&vm->uart);
	printk("vireo: %s stopped: %s\n", vm->name, reason);
	gdb_vm_stopped(vm);
	vm_kick_all(vm);
}

/* Marks a running VM for a restart once it is counted, in one step (two
 * vCPUs crashing at once make one restart): false if it was not running
 * (someone else stops or restarts it) or if this restart is one too many,
 * which stops it as crash-looping. Its vCPUs then check out, the last one
 * reloading it; that cannot happen before the caller has said why, since
 * the caller is one of its vCPUs' traps, or vCPU 0's CPU (the watchdog). */
static bool restart_counted(struct vm *vm, const char *why)
{
	bool ok;

	spin_lock(&vm_lock);
	if (vm->state != VM_RUNNING) {
		spin_unlock(&vm_lock);
		return false;
	}
	ok = restart_log_allow(&vm->restarts, vm->cfg.restart_limit,
			       (uint64_t)vm->cfg.restart_window * counter_freq(), counter_now());
	if (ok) {
		__atomic_store_n(&vm->state, VM_RESETTING, __ATOMIC_RELEASE);
	}
	spin_unlock(&vm_lock);
	if (!ok) {
		vm_stop(vm, "crash-looping: %u restarts within %u s already; then %s",
			vm->cfg.restart_limit, vm->cfg.restart_window, why);
	}
	return ok;
}

void vm_crash(struct vm *vm, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (vm->cfg.on_crash != CRASH_RESTART) {
		vm_stop(vm, "%s", reason);
		return;
	}
	if (restart_counted(vm, reason)) {
		vpl011_flush(&vm->uart);
		printk("vireo: %s crashed: %s; restarting it\n", vm->name, reason);
		vm_kick_all(vm);
	}
}

void vm_request_reset(struct vm *vm)
{
	if (restart_counted(vm, "it asked for a reset (PSCI SYSTEM_RESET)")) {
		vm_kick_all(vm);
	}
}

/* Returns the VM's memory, once the mode has forgotten its address space
 * (and so every TLB entry that could still reach that memory). */
static void destroy(struct vm *vm)
{
	devices_detach(vm);
	vmode->vm_destroy(vm);
	/* A device that does DMA may go on writing to it (devices.c). */
	if (!vm->cfg.direct_map) {
		mem_free(vm->ram_pa, vm->ram_size / PAGE_SIZE);
	}
	mem_free(virt_to_phys(vm->dtb), GUEST_FDT_MAX / PAGE_SIZE);
	mem_free(virt_to_phys(vm->pvtime), 1);
	if (vm->lpis) {
		mem_free(virt_to_phys(vm->lpis), LPI_PAGES);
	}
}

static void restart(struct vm *vm)
{
	vpl011_flush(&vm->uart);
	printk("vireo: %s: resetting\n", vm->name);
	if (vm->has_gic) {
		vmode->vm_irq_reset(vm);
	}
	vm_load_images(vm);
	gdb_vm_reloaded(vm);
	memset(vm->pvtime, 0, PAGE_SIZE);
	vm_watchdog_reset(vm);
	spin_lock(&vm->rtc_lock);
	vrtc_reset(&vm->rtc, rtc_seconds());
	spin_unlock(&vm->rtc_lock);
	reset_vcpus(vm);
	start_running(vm);
	/* Once it runs: an interrupt that fires from now on is its. */
	devices_reset(vm);
	vm_kick_all(vm);
}

void vm_vcpu_exited(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool last;
	unsigned left = 1;

	spin_lock(&vm_lock);
	/* Checked out already, or the VM runs again (its restart began before
	 * this CPU looked): nothing to count. */
	if (v->checked_out || vm->state == VM_RUNNING) {
		spin_unlock(&vm_lock);
		return;
	}
	v->checked_out = true;
	last = ++vm->checked_out == vm->n_vcpus;
	spin_unlock(&vm_lock);
	if (!last) {
		return;
	}
	if (vm->state == VM_RESETTING) {
		restart(vm);
		return;
	}
	if (vm->cfg.print_stats) {
		stats_print(vm);
	}
	destroy(vm);
	spin_lock(&vm_lock);
	left = --vms_alive;
	spin_unlock(&vm_lock);
	if (left == 0) {
		printk("vireo: no VM left; powering off\n");
		board_power_off();
	}
}
