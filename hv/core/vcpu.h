/*
 * A virtual CPU: the register state of one guest CPU, whichever way it
 * runs, and the run loop that enters it and handles its traps (vcpu.c).
 * Its state changes only on its home CPU; other CPUs ask for a change
 * with a request (vcpu.c says how).
 */
#ifndef VIREO_CORE_VCPU_H
#define VIREO_CORE_VCPU_H

#include "arch/aarch64/aarch32.h"
#include "arch/aarch64/pmu.h"
#include "core/pcpu.h"
#include "core/stats.h"
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

/* What only an AArch32 EL1 has: DACR, IFSR, FPEXC and the banked SPSRs
 * (kept at the end of struct vcpu, away from what every exit touches). */
struct aarch32_sysregs {
	uint64_t dacr32, ifsr32, fpexc32;
	uint64_t spsr_abt, spsr_und, spsr_irq, spsr_fiq;
};

/* V0-V31, FPSR and FPCR (fpsimd_regs.S saves and restores them). With
 * SVE, the mode keeps Z0-Z31 instead of V0-V31 (whose low 128 bits they
 * are), P0-P15 and FFR, and ZCR_EL1 here. */
struct fpsimd_state {
	uint64_t v[64];
	uint64_t fpsr, fpcr;
	uint64_t zcr;
};

/* The self-hosted debug registers a guest owns (Arm ARM D2, D19.3):
 * MDSCR_EL1, the breakpoint and watchpoint pairs (as many as the CPU
 * has, at most 16 each), MDCCINT_EL1, and the OS lock
 * and DBGPRCR_EL1 the mode emulates. The mode keeps the first group in
 * the hardware while the guest uses it (el2/debug.c), and here
 * otherwise; in_hw says which. */
#define DEBUG_MAX_PAIRS 16

struct debug_regs {
	uint64_t mdscr, mdccint;
	uint64_t bcr[DEBUG_MAX_PAIRS], bvr[DEBUG_MAX_PAIRS];
	uint64_t wcr[DEBUG_MAX_PAIRS], wvr[DEBUG_MAX_PAIRS];
	bool os_lock;   /* OSLSR_EL1.OSLK: locked at reset, as on a cold reset */
	bool corenpdrq; /* DBGPRCR_EL1.CORENPDRQ: kept, with no effect */
	bool in_hw;
	bool gdb_in_hw; /* the hardware holds gdb's points instead (gdb.h) */
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

/* PSCI's view of a vCPU (AFFINITY_INFO): off, started by CPU_ON but not
 * yet running its new life (its home CPU has still to reset it), or on. */
enum vcpu_power {
	VCPU_OFF, /* waiting for PSCI CPU_ON */
	VCPU_ON_PENDING,
	VCPU_ON,
};

/* Changes to a vCPU's state that its home CPU makes (vcpu.c), as bits. */
#define VCPU_REQ_RESET BIT(0) /* back to its reset state, and off */
#define VCPU_REQ_START BIT(1) /* reset, to start at vcpu->start, and on */

/* Where a vCPU's pending start goes: the entry point, and x0; or, for
 * the VM's boot (boot set), the device tree's address, which an AArch32
 * VM gets in r2 (vcpu.c). */
struct vcpu_start {
	ipaddr_t entry;
	uint64_t arg;
	bool boot;
};

struct vcpu {
	struct cpu_regs regs; /* first: vectors.S saves here through pcpu */
	struct el1_sysregs sys;
	struct fpsimd_state fp;
	struct debug_regs dbg;
	struct trap_info trap;
	struct vgic_cpu_if gic_if;
	struct ptimer ptimer;
	struct vpmu pmu; /* the mode's virtual PMU (vmode->pmu_access) */
	/* Time accounting for paravirtual time (pv.c), in counter ticks. */
	uint64_t running_ticks, stolen_ticks;
	uint64_t running_since, ready_since; /* 0: not waiting for the CPU */
	struct vcpu_stats stats; /* what its guest made Vireo do (stats.h) */
	struct vireo_shared_page *shared_page; /* NULL until the guest asks */
	ipaddr_t shared_page_ipa;
	struct vm *vm;
	unsigned id;
	uint64_t vmpidr;
	struct pcpu *home;        /* the physical CPU it is pinned to */
	enum vcpu_power power;
	uint32_t requests;        /* VCPU_REQ_*, for its home CPU to handle */
	struct vcpu_start start;  /* VCPU_REQ_START's; set with power ON_PENDING */
	bool checked_out;         /* has seen its VM stop or reset */
	bool blocked;             /* waiting in WFI, off its CPU (sched.c) */
	/* Its VM's debugger (gdb_halt.c) holds it: it does not run, and once
	 * its home CPU has parked it, its whole state is in memory. */
	bool halted, parked;
	bool step;                /* gdb steps it: one instruction, then a stop */
	uint64_t wake_at;         /* physical count at which a blocked vCPU's timer fires */
	struct aarch32_sysregs sys32; /* an AArch32 VM's vCPU only */
};

/* Runs the vCPU on this CPU until its VM stops or resets. */
void vcpu_run(struct vcpu *v);

/* Whether v's home CPU has requests of v's to handle. */
static inline bool vcpu_has_requests(const struct vcpu *v)
{
	return __atomic_load_n(&v->requests, __ATOMIC_ACQUIRE) != 0;
}

/* PSCI CPU_ON from any CPU: if v is off, it becomes ON_PENDING and its
 * home CPU is asked to start it at entry with x0 = arg; the caller kicks
 * that CPU. Returns the power state v had: VCPU_OFF means the start is
 * now v's. */
static inline enum vcpu_power vcpu_request_start(struct vcpu *v, ipaddr_t entry, uint64_t arg)
{
	enum vcpu_power was = VCPU_OFF;

	/* Acquire: v's home CPU read the last start before it put v on. */
	if (!__atomic_compare_exchange_n(&v->power, &was, VCPU_ON_PENDING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		return was;
	}
	v->start = (struct vcpu_start){ .entry = entry, .arg = arg, .boot = false };
	__atomic_fetch_or(&v->requests, VCPU_REQ_START, __ATOMIC_RELEASE);
	return VCPU_OFF;
}

/* A VM (re)starting: v is to be reset by its home CPU, and started at
 * entry with x0 = arg if on, or left off. Only while nothing else can
 * touch v: its VM not running and every vCPU of it checked out, or not
 * yet run. The home CPU acts once the VM runs. */
void vcpu_request_reset(struct vcpu *v, bool on, ipaddr_t entry, uint64_t arg);
/* On v's home CPU, with v not loaded (cpu_loop() between turns): applies
 * v's requests, if its VM runs; a VM that does not will replace them. */
void vcpu_handle_requests(struct vcpu *v);

/* Whether v runs AArch32 code now (its VM is AArch32: vm.h). */
static inline bool vcpu_in_aarch32(const struct vcpu *v)
{
	return v->regs.pstate & PSR_AARCH32;
}

/* General register n as an instruction's Rt sees it: 31 is XZR. An
 * AArch32 register is the low half of its X register, and the upper half
 * stays zero: Vireo writes only 32-bit values to it (vcpu_set_reg()), and
 * an exception from AArch32 leaves the upper halves zero or as they were
 * (Arm ARM, "Registers in AArch32 state", the mapping to X registers).
 * (An AArch64 VM's AArch32 tasks may leave its kernel's upper halves:
 * a handler that combines two of their registers takes 32 bits of each.) */
static inline uint64_t vcpu_get_reg(const struct vcpu *v, unsigned n)
{
	return n < 31 ? v->regs.x[n] : 0;
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned n, uint64_t val)
{
	if (n < 31) {
		v->regs.x[n] = vcpu_in_aarch32(v) ? (uint32_t)val : val;
	}
}

/* Moves the guest past the instruction that trapped, as if it had
 * executed: 4 bytes for an A64 one; for AArch32 code the size its
 * syndrome says (ESR.IL: a 16-bit Thumb instruction is 2), and one step
 * through the IT block it may be in. A software step in progress
 * (PSTATE.SS set, the step "active-not-pending") has now stepped it, so
 * SS clears and the guest takes its step exception before its next
 * instruction, with ELR pointing at it (Arm ARM D2, the software step
 * state machine). */
static inline void vcpu_skip_insn(struct vcpu *v)
{
	if (__builtin_expect(vcpu_in_aarch32(v), 0)) {
		v->regs.pc = (uint32_t)(v->regs.pc + ((v->trap.esr & ESR_IL) ? 4 : 2));
		v->regs.pstate = aarch32_advance(v->regs.pstate);
	} else {
		v->regs.pc += 4;
	}
	v->regs.pstate &= ~PSR_SS;
}


#endif
