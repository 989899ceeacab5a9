/*
 * The memory back end of the hardware-assisted mode: a VM's guest-physical
 * address space is its stage 2 (stage2.c), tagged with its VMID.
 *
 * el2_vm_init() builds empty tables for an IPA space as large as the
 * physical address size (at most 48 bits, PARange 5), and takes the room
 * for the vCPUs' SVE registers (fpsimd.c); the core then maps the VM's RAM
 * and whatever else it gives the VM through el2_vm_map(). el2_vm_destroy() removes the VM's
 * TLB entries before the tables go, so that the VMID can be used again:
 * TLBI by VMID needs that VMID in VTTBR_EL2 (Arm ARM D8.13).
 */
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/fpsimd.h"
#include "arch/aarch64/el2/mmu.h"
#include "core/mem.h"

#include <string.h>

static struct vm_space spaces[MAX_VMS];

bool el2_vm_init(struct vm *vm)
{
	if (vm->id >= MAX_VMS) {
		return false;
	}
	vm->space = &spaces[vm->id];
	memset(vm->space->last_ran, 0, sizeof(vm->space->last_ran));
	if (!fpsimd_vm_init(vm)) {
		return false;
	}
	return stage2_init(&vm->space->s2, arch_pa_bits(), MIN(arch_parange(), 5UL), vm->vmid,
			   &mem_pgtable_mm) == PGTABLE_OK;
}

int el2_vm_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, uint64_t size, enum vm_mem_kind kind)
{
	static const enum stage2_kind kinds[] = {
		[VM_MEM_RAM] = STAGE2_RAM,
		[VM_MEM_RAM_RO] = STAGE2_RAM_RO,
		[VM_MEM_DEVICE] = STAGE2_DEVICE,
	};

	return stage2_map(&vm->space->s2, ipa, pa, size, kinds[kind]);
}

void el2_vm_destroy(struct vm *vm)
{
	write_sysreg(vttbr_el2, stage2_vttbr(&vm->space->s2));
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, 0);
	stage2_destroy(&vm->space->s2);
	fpsimd_vm_destroy(vm);
}

/* stage2_report()'s kinds are the memory back end's (el2_vm_map()). */
struct report_ctx {
	vm_map_fn *fn;
	void *ctx;
};

static void report_range(void *c, ipaddr_t at, paddr_t to, uint64_t size, int kind)
{
	static const int kinds[] = {
		[STAGE2_RAM] = VM_MEM_RAM,
		[STAGE2_RAM_RO] = VM_MEM_RAM_RO,
		[STAGE2_DEVICE] = VM_MEM_DEVICE,
	};
	const struct report_ctx *r = c;

	r->fn(r->ctx, at, to, size, kind < 0 ? -1 : kinds[kind]);
}

void el2_vm_report_map(struct vm *vm, vm_map_fn *fn, void *ctx)
{
	struct report_ctx r = { fn, ctx };

	stage2_report(&vm->space->s2, report_range, &r);
}
