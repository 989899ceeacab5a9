/*
 * A virtual machine: its memory, its devices, its vCPUs and its life cycle.
 */
#ifndef VIREO_CORE_VM_H
#define VIREO_CORE_VM_H

#include "core/devices.h"
#include "core/mmio.h"
#include "core/restarts.h"
#include "core/vcpu.h"
#include "core/vmconfig.h"
#include "vdev/vgic.h"
#include "vdev/vmachine.h"
#include "vdev/vpl011.h"
#include "vdev/vrtc.h"
#include "vdev/vwdog.h"

/* A VM's guest-physical address space, as the way of running guests keeps
 * it (core/vmode.h); the core only passes it around. */
struct vm_space;
struct gdb_stub;

enum vm_state {
	VM_RUNNING,
	VM_RESETTING, /* SYSTEM_RESET: restart from its images */
	VM_STOPPED,
};

struct vm {
	struct vm_config cfg;
	const char *name; /* cfg.name */
	unsigned id;
	enum vm_state state;
	struct vm_space *space; /* vmode->vm_init() sets it */
	uint16_t vmid;          /* tags its address space: id + 1 (0 is Vireo's) */
	ipaddr_t ram_ipa;
	uint64_t ram_size;
	paddr_t ram_pa;
	/* Where the images go (vm_load.c). */
	uint64_t kernel_offset; /* from RAM base */
	ipaddr_t entry;
	ipaddr_t initrd_ipa;
	uint64_t initrd_size;
	ipaddr_t dtb_ipa;
	void *dtb; /* built once, copied in at every boot */
	size_t dtb_size;
	bool has_gic; /* a virtual GIC: vgic.v2 says which version */
	bool aarch32; /* its EL1 runs AArch32 code (vm_load.c decides) */
	struct mmio_bus mmio;
	struct vpl011 uart;
	struct vgic vgic;
	struct vgic_lpis *lpis; /* LPIs and the ITS, if cfg.its (vdev/vgic_lpi.h) */
	uint64_t cntvoff;
	spinlock_t wdog_lock;
	struct vwdog wdog;      /* its SBSA Generic Watchdog (vm_watchdog.c) */
	uint64_t wdog_due;      /* when it next changes, in Vireo's count */
	spinlock_t rtc_lock;
	struct vrtc rtc;        /* its PL031 real-time clock */
	struct restart_log restarts; /* to tell a crash loop (restarts.c) */
	void *pvtime; /* its vCPUs' stolen-time records (pv.c) */
	struct gdb_stub *gdb; /* its GDB stub (gdb.c), if configured with one */
	struct vm_devices devices; /* the host devices it owns (devices.c) */
	unsigned n_vcpus;
	unsigned checked_out; /* vCPUs that saw it stop or reset */
	struct vcpu vcpus[VM_MAX_VCPUS];
};

/* Builds VM number id from its configuration; prints why on failure.
 * Uses libfdt (guest_fdt.c): boot only. */
struct vm *vm_create(unsigned id, const struct vm_config *cfg);
/* Ends the VM for good and says why on the console. Callable from its own
 * trap handlers; its vCPUs leave their run loops at their next exit. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The VM took a fault it cannot handle: stopped or restarted, as its
 * configuration's crash policy says. */
void vm_crash(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Marks the VM for a restart from its images (PSCI SYSTEM_RESET). */
void vm_request_reset(struct vm *vm);
/* Called by a vCPU's CPU once it has seen its VM stop or reset and left
 * the run loop; the last vCPU out frees or reloads the VM. */
void vm_vcpu_exited(struct vcpu *v);
static inline bool vm_is_running(const struct vm *vm)
{
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING;
}
/* Makes vCPU v's CPU look at it again soon (irq_kick()). */
void vm_kick(struct vcpu *v);
/* The same for each of the VM's vCPUs. */
void vm_kick_all(struct vm *vm);
/* A byte typed on the physical console, for the VM that has the focus
 * (console_focus.c). */
void vm_console_input(char c);
/* The VMs built at boot, numbered 0 .. vm_count() - 1. */
unsigned vm_count(void);
struct vm *vm_by_id(unsigned id);

/* Whether v goes on running: until its VM stops or resets, it goes off or
 * waits, or its turn ends. The mode's run loop asks before every entry. */
static inline bool vcpu_keeps_running(const struct vcpu *v)
{
	return vm_is_running(v->vm) && v->power == VCPU_ON && !v->blocked &&
	       !__atomic_load_n(&v->halted, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&v->home->need_resched, __ATOMIC_ACQUIRE);
}

/* Reaches guest RAM: the host pointer for [ipa, ipa + size), or NULL if
 * that range is not entirely this VM's RAM. The one checked way in. */
void *vm_ram_ptr(const struct vm *vm, ipaddr_t ipa, uint64_t size);

/* vm_watchdog.c: the VM's SBSA Generic Watchdog. */
bool vm_watchdog_attach(struct vm *vm);
/* The VM restarts: the watchdog is reset (WS1 kept, for the guest to see). */
void vm_watchdog_reset(struct vm *vm);
/* On the CPU of the VM's vCPU 0, when Vireo's timer fires: a watchdog
 * whose deadline passed moves on, and its expiry crashes the VM. */
void vm_watchdog_check(struct vm *vm);
/* The counter value at which that CPU must look again (VWDOG_NEVER). */
static inline uint64_t vm_watchdog_due(const struct vm *vm)
{
	return __atomic_load_n(&vm->wdog_due, __ATOMIC_ACQUIRE);
}

/* vm_load.c: the boot protocol. */
bool vm_layout(struct vm *vm);
/* Zeroes the VM's RAM and copies the images in, all of it to the point of
 * coherency (the guest starts with its caches off). */
void vm_load_images(struct vm *vm);

#endif
