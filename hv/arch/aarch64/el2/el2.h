/*
 * What the files of the hardware-assisted mode share among themselves;
 * nothing outside arch/aarch64/el2 includes it. The mode itself, as the
 * core sees it, is el2_mode (mode.c), a struct vmode (core/vmode.h).
 */
#ifndef VIREO_EL2_EL2_H
#define VIREO_EL2_EL2_H

#include "arch/aarch64/el2/stage2.h"
#include "core/config.h"
#include "core/vm.h"
#include "core/vmode.h"

/* A VM's guest-physical address space in this mode: its stage 2, and
 * which of its vCPUs each CPU last ran (last_ran.h). */
struct vm_space {
	struct stage2 s2;
	uint8_t last_ran[MAX_CPUS];
	/* Each vCPU's SVE registers, fpsimd_sve_size() bytes apart, with an
	 * SVE host; else NULL (fpsimd.c). */
	uint8_t *sve;
};

/* Vireo's own registers at an exception taken at EL2 (vectors.S). */
struct hyp_frame {
	uint64_t x[31];
	uint64_t sp;
};

/*
 * One CPU's stacks at EL2 (boot.c el2_stacks[], entry.S set_stack), a block
 * aligned to its size, twice STACK_SIZE: the stack is its upper half, so
 * every SP on it has bit STACK_SHIFT set, and an SP that ran off its bottom
 * has that bit clear, which is what the EL2 exception vector tests
 * (vectors.S). The lower half holds the emergency stack the vector moves
 * to then. Below each stack is a guard page that the EL2 map leaves
 * unmapped (mmu.c), so running off a stack faults instead of overwriting
 * the memory below it.
 */
struct el2_stack {
	uint8_t emergency_guard[PAGE_SIZE];
	uint8_t emergency[STACK_SIZE - 2 * PAGE_SIZE];
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[STACK_SIZE];
};

_Static_assert(sizeof(struct el2_stack) == 2 * STACK_SIZE, "a block is twice the stack");

extern struct el2_stack el2_stacks[MAX_CPUS];

/* The least stack an exception at EL2 needs: its struct hyp_frame and
 * hyp_exception()'s printk() (under 1 KiB by -fstack-usage). The vector
 * takes less than this left as an overflow. */
#define EL2_STACK_RESERVE 2048

extern const struct vmode el2_mode;

/* vectors.S: enters the guest whose registers regs holds; returns the
 * EXIT_* kind when it traps back. */
unsigned guest_enter(struct cpu_regs *regs);

/* HPFAR_EL2: faulting IPA[47:12] in bits [43:4]; NS and others above. */
#define HPFAR_FIPA GENMASK(43, 4)

/* An abort's faulting IPA, from HPFAR_EL2 where it holds one: for
 * translation, access flag and address size faults, and for any fault on a
 * stage-1 table walk (Arm ARM D19.2, HPFAR_EL2); else FAULT_IPA_UNKNOWN. */
static inline uint64_t el2_abort_ipa(uint64_t esr, uint64_t far)
{
	uint64_t type = FIELD_GET(FSC_TYPE, FIELD_GET(ESR_ABT_FSC, esr));

	if ((esr & ESR_ABT_S1PTW) || type == FSC_TYPE_TRANS || type == FSC_TYPE_ACCESS ||
	    type == 0) {
		return FIELD_GET(HPFAR_FIPA, read_sysreg(hpfar_el2)) << PAGE_SHIFT |
		       (far & (PAGE_SIZE - 1));
	}
	return FAULT_IPA_UNKNOWN;
}

/* mode.c: EL2 set up for Vireo itself (no stage 2, no traps), on each CPU
 * before the core runs there. */
void el2_cpu_init(void);

/* switch.c: the world switch. */
void el2_vcpu_reset(struct vcpu *v);
void el2_vcpu_load(struct vcpu *v);
void el2_vcpu_put(struct vcpu *v);
void el2_run(struct vcpu *v);
uint64_t el2_el1_read(const struct vcpu *v, enum el1_reg r);
void el2_el1_write(struct vcpu *v, enum el1_reg r, uint64_t val);

/* guest_at.c: the guest's addresses, as the hardware walks them. */
bool el2_va_to_ipa(const struct vcpu *v, gvaddr_t va, ipaddr_t *out);

/* space.c: the memory back end. */
bool el2_vm_init(struct vm *vm);
int el2_vm_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, uint64_t size, enum vm_mem_kind kind);
void el2_vm_destroy(struct vm *vm);
void el2_vm_report_map(struct vm *vm, vm_map_fn *fn, void *ctx);

/* mmu.c: Vireo's own EL2 address space. */
void el2_map_ram(const struct platform *p);
volatile void *el2_map_device(paddr_t base, uint64_t size);

#endif
