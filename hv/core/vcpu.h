/*
 * A virtual CPU: the register state of one guest CPU, whichever way it
 * runs, and the run loop that enters it and handles its traps (vcpu.c).
 */
#ifndef VIREO_CORE_VCPU_H
#define VIREO_CORE_VCPU_H

#include "core/pcpu.h"
#include "vdev/vgic.h"
#include "vdev/vtimer.h"

/* The EL1 (and EL0 thread) registers a guest owns. The mode keeps them in
 * the hardware while the vCPU is loaded on a CPU, and here otherwise. */
struct el1_sysregs {
	uint64_t sctlr, cpacr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, csselr;
	uint64_t esr, far, afsr0, afsr1, par;
	uint64_t sp_el1, elr_el1, spsr_el1;
	uint64_t cntkctl, cntv_ctl, cntv_cval;
};

/* V0-V31, FPSR and FPCR (fpsimd.S saves and restores them). */
struct fpsimd_state {
	uint64_t v[64];
	uint64_t fpsr, fpcr;
};

/* What the hardware said about the trap being handled, in the ESR_ELx
 * layout every exception level shares. */
struct trap_info {
	uint64_t esr;
	uint64_t far; /* aborts only: the faulting virtual address */
	/* An abort's faulting IPA when the mode's hardware reports it (EL2:
	 * HPFAR_EL2 on a stage-2 fault), else FAULT_IPA_UNKNOWN: the core then
	 * translates the FAR through the guest's tables (vmode->va_to_ipa). */
	uint64_t fault_ipa;
};

#define FAULT_IPA_UNKNOWN (~0UL)

struct vm;

enum vcpu_power {
	VCPU_OFF, /* waiting for PSCI CPU_ON */
	VCPU_ON,
};

struct vcpu {
	struct cpu_regs regs; /* first: vectors.S saves here through pcpu */
	struct el1_sysregs sys;
	struct fpsimd_state fp;
	struct trap_info trap;
	struct vgic_cpu_if gic_if;
	struct ptimer ptimer;
	/* Time accounting for paravirtual time (pv.c), in counter ticks. */
	uint64_t running_ticks, stolen_ticks;
	uint64_t running_since, ready_since; /* 0: not waiting for the CPU */
	struct vireo_shared_page *shared_page; /* NULL until the guest asks */
	ipaddr_t shared_page_ipa;
	struct vm *vm;
	unsigned id;
	uint64_t vmpidr;
	struct pcpu *home;        /* the physical CPU it is pinned to */
	enum vcpu_power power;
	bool checked_out;         /* has seen its VM stop or reset */
	bool blocked;             /* waiting in WFI, off its CPU (sched.c) */
	uint64_t wake_at;         /* physical count at which a blocked vCPU's timer fires */
};

/* Puts the vCPU in its architectural reset state, to start at entry
 * (EL1h, MMU off, interrupts masked) with x0 = arg. */
void vcpu_reset(struct vcpu *v, ipaddr_t entry, uint64_t arg);
/* Runs the vCPU on this CPU until its VM stops or resets. */
void vcpu_run(struct vcpu *v);

/* General register n as an instruction's Rt sees it: 31 is XZR. */
static inline uint64_t vcpu_get_reg(const struct vcpu *v, unsigned n)
{
	return n < 31 ? v->regs.x[n] : 0;
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned n, uint64_t val)
{
	if (n < 31) {
		v->regs.x[n] = val;
	}
}

/* Moves the guest past the instruction that trapped (all A64: 4 bytes). */
static inline void vcpu_skip_insn(struct vcpu *v)
{
	v->regs.pc += 4;
}


#endif
