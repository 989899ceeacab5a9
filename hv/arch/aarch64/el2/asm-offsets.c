/*
 * Structure offsets for the assembly files, generated at build time
 * (scripts/gen-asm-offsets.sh turns the markers below into asm-offsets.h),
 * so assembly never hard-codes a C layout.
 */
#include <stddef.h>

#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/mmu.h"
#include "core/hypercall.h"
#include "core/psci.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(REGS_SP_EL0, offsetof(struct cpu_regs, sp_el0));
	DEFINE(REGS_PC, offsetof(struct cpu_regs, pc));
	DEFINE(REGS_PSTATE, offsetof(struct cpu_regs, pstate));
	DEFINE(PCPU_GUEST_REGS, offsetof(struct pcpu, guest_regs));
	DEFINE(HYP_FRAME_SIZE, (sizeof(struct hyp_frame) + 15) & ~15UL);
	DEFINE(HYP_FRAME_SP, offsetof(struct hyp_frame, sp));
	/* A CPU's stacks: the emergency stack's top is its guard page's start. */
	DEFINE(EL2_STACK_EMERGENCY_TOP, offsetof(struct el2_stack, guard));
	DEFINE(EL2_STACK_RESERVE, EL2_STACK_RESERVE);
	DEFINE(FP_V, offsetof(struct fpsimd_state, v));
	DEFINE(FP_FPSR, offsetof(struct fpsimd_state, fpsr));
	DEFINE(FP_FPCR, offsetof(struct fpsimd_state, fpcr));
	DEFINE(MMU_REGS_MAIR, offsetof(struct mmu_regs, mair));
	DEFINE(MMU_REGS_TCR, offsetof(struct mmu_regs, tcr));
	DEFINE(MMU_REGS_TTBR0, offsetof(struct mmu_regs, ttbr0));
	DEFINE(MMU_REGS_SCTLR, offsetof(struct mmu_regs, sctlr));
	/* The calls vectors.S answers itself, and their answers. */
	/* (uint64_t): 32-bit IDs with bit 31 set must not print negative. */
	DEFINE(ESR_HVC64_IMM0, (uint64_t)((EC_HVC64 << 26) | (1 << 25)));
	DEFINE(ESR_HVC32_IMM0, (uint64_t)((EC_HVC32 << 26) | (1 << 25)));
	DEFINE(REGS_FAST_CALLS, offsetof(struct vcpu, stats.fast_calls) - offsetof(struct vcpu, regs));
	DEFINE(FAST_NULL_INDEX, STATS_FAST_NULL);
	DEFINE(FAST_PSCI_VERSION_INDEX, STATS_FAST_PSCI_VERSION);
	DEFINE(FAST_SMCCC_VERSION_INDEX, STATS_FAST_SMCCC_VERSION);
	DEFINE(FAST_HC_NULL, (uint64_t)VIREO_HC_NULL);
	DEFINE(FAST_PSCI_VERSION, (uint64_t)PSCI_VERSION);
	DEFINE(FAST_PSCI_VERSION_ANSWER, (uint64_t)PSCI_VERSION_1_1);
	DEFINE(FAST_SMCCC_VERSION, (uint64_t)SMCCC_VERSION);
	DEFINE(FAST_SMCCC_VERSION_ANSWER, (uint64_t)SMCCC_VERSION_1_1);
}
