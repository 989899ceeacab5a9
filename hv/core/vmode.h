/*
 * A way of running guests: everything the core asks of the layer that
 * makes a vCPU execute, so that the core never names a register of the
 * exception level it runs at.
 *
 * Vireo has one way today, the hardware-assisted mode in
 * arch/aarch64/el2/: guests at EL1 under a stage-2 translation, traps to
 * EL2, list registers for virtual interrupts. The next one runs guests
 * deprivileged from EL1, on shadow tables (docs/porting.md). A mode is a
 * const struct vmode; the mode's boot code hands it to boot_main()
 * (main.c), which stores it in `vmode` before anything calls it.
 *
 * The contract, in the order the core uses it:
 *   boot       the mode's own boot code sets each CPU up before the core
 *              runs there; init() once the machine is known (its RAM, its
 *              GIC); map_device() for each host device a driver drives.
 *   a VM       vm_init() builds its guest-physical address space (the
 *              memory back end) and vm_map() adds RAM, read-only pages and
 *              device pages to it; vm_irq_attach() gives it its virtual
 *              interrupt controller (the interrupt-delivery back end), and
 *              vm_irq_reset() restores that at a VM reset; vm_destroy()
 *              forgets the address space, its TLB entries included.
 *   a vCPU     vcpu_reset() at power-on, on the vCPU's home CPU while it is
 *              not loaded (core/vcpu.c's requests); vcpu_load() before the vCPU runs on
 *              this CPU and vcpu_put() after, in exactly reverse order;
 *              between the two, run() enters the guest for as long as
 *              vcpu_keeps_running() (vm.h) says, and hands each exit the
 *              core must see to it: irq_handle_pending() for an interrupt,
 *              then trap_handle() with the exit's kind (EXIT_* in exit.h)
 *              and the vCPU's trap record (struct trap_info) filled in; it
 *              returns when that says TRAP_EXIT. Exits the mode can finish
 *              alone (lazy FP/SIMD switching) never reach the core. The
 *              loop is the mode's so that no exit pays for an indirect call.
 *   traps      the trap record's fault_ipa says an abort's IPA when the
 *              hardware told the mode; va_to_ipa() translates a guest
 *              address as the guest's own MMU would; el1_read()/el1_write() reach the
 *              guest's EL1 registers wherever the mode keeps them;
 *              timer_set() programs the hypervisor's own timer (~0: off);
 *              pmu_access() emulates a trapped PMU register access and
 *              pmu_overflow() takes the PMU's interrupt (irq.c), both
 *              optional.
 *   debugging  for a VM's GDB stub (gdb.c): vcpu_flush() on the vCPU's
 *              home CPU, not loaded, puts the rest of its state (lazy
 *              FP/SIMD registers) in memory; fp_reg() then reads or writes
 *              its V register n from any CPU; debug_points() says how many
 *              hardware breakpoints or watchpoints there are;
 *              vm_report_map() lists what the VM's address space maps.
 *              While gdb_hw_of() answers for the VM, the mode routes the
 *              guest's debug exceptions to trap_handle(), loads gdb's
 *              points and steps a vCPU whose step is set.
 * Every function is called on the CPU the vCPU is loaded on, unless it
 * takes a struct vm only.
 */
#ifndef VIREO_CORE_VMODE_H
#define VIREO_CORE_VMODE_H

#include "core/platform.h"
#include "core/types.h"

struct vcpu;
struct vm;

/* What a VM's guest-physical page is (vm_map()). */
enum vm_mem_kind {
	VM_MEM_RAM,    /* normal memory the guest reads, writes and runs */
	VM_MEM_RAM_RO, /* normal memory the guest may only read */
	VM_MEM_DEVICE, /* a host device the guest reaches directly */
};

/* One range of a VM's guest-physical address space (vm_report_map()):
 * kind is an enum vm_mem_kind, or -1 for a mapping of another kind. */
typedef void vm_map_fn(void *ctx, ipaddr_t ipa, paddr_t pa, uint64_t size, int kind);

/* The guest's EL1 registers the core reads or writes outside the mode:
 * to take an exception as the CPU would (inject.c: SCTLR_EL1's bits say
 * what PSTATE becomes) and to emulate an access through SP_EL1. An AArch32
 * EL1 has them too, by other names (SCTLR, VBAR, SPSR_svc, DFSR in
 * ESR_EL1, DFAR and IFAR in FAR_EL1, TTBCR in TCR_EL1), and for its
 * Abort and Undefined modes SPSR_abt and SPSR_und, and IFSR. */
enum el1_reg {
	EL1_SCTLR,
	EL1_VBAR,
	EL1_ELR,
	EL1_SPSR,
	EL1_ESR,
	EL1_FAR,
	EL1_SP,
	EL1_TCR,
	EL1_SPSR_ABT,
	EL1_SPSR_UND,
	EL1_IFSR,
	EL1_NR_REGS
};

struct vmode {
	const char *name; /* for the boot report */
	/* Where a secondary CPU starts, with its CPU index as context. */
	paddr_t (*secondary_entry)(void);
	void (*init)(const struct platform *p);
	/* A host device's registers, mapped for Vireo's drivers. */
	volatile void *(*map_device)(paddr_t base, uint64_t size);

	bool (*vm_init)(struct vm *vm);
	int (*vm_map)(struct vm *vm, ipaddr_t ipa, paddr_t pa, uint64_t size,
		      enum vm_mem_kind kind);
	void (*vm_destroy)(struct vm *vm);
	/* Whether VMs get a virtual GIC, and which version they see. */
	unsigned (*vgic_version)(void);
	bool (*vm_irq_attach)(struct vm *vm);
	void (*vm_irq_reset)(struct vm *vm);

	void (*vcpu_reset)(struct vcpu *v);
	void (*vcpu_load)(struct vcpu *v);
	void (*vcpu_put)(struct vcpu *v);
	void (*run)(struct vcpu *v);

	/* False if the address does not translate (the guest then retries,
	 * or gets an abort: see trap_abort.c). */
	bool (*va_to_ipa)(const struct vcpu *v, gvaddr_t va, ipaddr_t *out);
	uint64_t (*el1_read)(const struct vcpu *v, enum el1_reg r);
	void (*el1_write)(struct vcpu *v, enum el1_reg r, uint64_t val);
	/* A trapped PMU register access, in the ESR_ELx ISS layout; false if
	 * it is undefined for the guest. NULL: the mode has no virtual PMU,
	 * and the PMU is hidden (idregs.c). */
	bool (*pmu_access)(struct vcpu *v, uint64_t esr);
	/* The PMU's physical interrupt came while v was loaded. */
	void (*pmu_overflow)(struct vcpu *v);

	void (*vcpu_flush)(struct vcpu *v);
	void (*fp_reg)(struct vcpu *v, unsigned n, uint64_t val[2], bool write);
	unsigned (*debug_points)(bool watchpoints);
	void (*vm_report_map)(struct vm *vm, vm_map_fn *fn, void *ctx);

	void (*timer_set)(uint64_t deadline);
	/* The mode's own fault registers, for panic(). */
	void (*dump)(void);
};

extern const struct vmode *vmode;

#endif
