/*
 * Self-hosted debug for guests: breakpoints, watchpoints and software
 * step, switched per vCPU, lazily.
 *
 * A guest's debug exceptions are its own: MDCR_EL2.TDE and HCR_EL2.TGE
 * are clear, so the debug target is the guest's EL1 and every
 * breakpoint, watchpoint and step exception goes to its vectors, never
 * through Vireo. Nothing a guest sets up can fire at EL2: debug
 * exceptions are disabled at an exception level above the debug target
 * (Arm ARM chapter D2, the debug exception enable rules, and its
 * AArch64.GenerateDebugExceptionsFrom(): from EL2 with the target EL1,
 * "enabled" is UInt(target) > UInt(from), false),
 * whatever the guest writes in DBGBCR/DBGWCR's HMC, SSC and PMC. So
 * Vireo does not need to refuse EL2-matching combinations, and could
 * not: once the guest owns the registers it writes them directly.
 *
 * The registers are many (MDSCR_EL1, up to 16 breakpoint and 16
 * watchpoint pairs, MDCCINT_EL1) and most guests touch
 * them only at boot, so the world switch moves them only for a vCPU that
 * uses them, as KVM does. A vCPU whose registers are not in the hardware
 * runs with MDCR_EL2.TDA set; its first access traps here (EC 0x18,
 * op0 2, caught in switch.c before the core sees it): its registers are
 * loaded, TDA is cleared, and the instruction runs again, now on the
 * hardware. At vcpu_put() they are saved and the hardware disarmed
 * (MDSCR_EL1 and every DBGBCR/DBGWCR zero, so nothing of this vCPU's
 * can fire in the next, even one that never touches debug), and the
 * next turn traps again until the next touch. A vCPU whose saved MDSCR
 * has debug enabled (MDE, KDE or SS) is loaded at once in vcpu_load():
 * its breakpoints must fire whether or not it touches a register.
 *
 * The OS lock registers trap always (MDCR_EL2.TDOSA) and are emulated
 * here: OSLAR_EL1/OSLSR_EL1 keep the vCPU's lock, locked at reset as on
 * a cold reset (Linux clears it as each CPU comes up), and the lock is
 * put into the hardware's OSLAR_EL1 while the vCPU's registers are
 * there, where it disables the guest's debug exceptions as it should.
 * The OS double lock is hidden (ID_AA64DFR0.DoubleLock reads 0b1111,
 * idregs.c): OSDLR_EL1 is RAZ/WI, as on a CPU without it, since it is
 * for powering a core down, which a vCPU never does. DBGPRCR_EL1 keeps
 * CORENPDRQ, which nothing acts on, and MDRAR_EL1 (MDCR_EL2.TDRA) reads
 * 0: no debug ROM table. The debug communications channel (DCC) belongs
 * to an external debugger: its registers are in the TDA group, so they
 * come with the rest; its status flags are part of MDSCR_EL1 and are
 * saved and restored with it under the OS lock (MDSCR_EL1.RXfull and
 * TXfull are writable while the lock is set, for exactly this), and
 * the hardware's lock is set while no vCPU's registers are loaded. Its
 * data registers (DTRRX/DTRTX, reachable without side effects through
 * OSDTRRX/OSDTRTX_EL1) are not saved: only an external debugger fills
 * or drains them.
 *
 * While gdb debugs the VM (core/gdb.h: gdb_hw_of()), the hardware is
 * gdb's: MDCR_EL2.TDE sends every debug exception to EL2 (where trap.c
 * gives it to gdb_halt.c) and traps every debug register, the registers
 * hold gdb's breakpoints and watchpoints (MDSCR_EL1.MDE if there are any)
 * and a stepping vCPU's MDSCR_EL1.SS, and the OS lock is clear. The
 * guest's own registers stay in struct debug_regs, where its accesses
 * are emulated: it reads back what it wrote, and its points wait there
 * until gdb detaches.
 *
 * Not switched: the claim tags (DBGCLAIMSET/CLR_EL1), a convention
 * between an external debugger and the OS, because QEMU (7.2) does not
 * implement them and Vireo's own access would be undefined at EL2
 * there. On a CPU that has them, a guest that owns the registers
 * reaches the hardware's eight tags, which every vCPU on that CPU
 * shares.
 */
#include "arch/aarch64/el2/debug.h"
#include "arch/aarch64/el2/hyp_regs.h"
#include "core/gdb.h"
#include "core/panic.h"

/* MDSCR_EL1: software step, kernel debug, monitor debug enables. */
#define MDSCR_SS BIT(0)
#define MDSCR_KDE BIT(13)
#define MDSCR_MDE BIT(15)
#define MDSCR_ENABLED (MDSCR_SS | MDSCR_KDE | MDSCR_MDE)

/* ID_AA64DFR0_EL1: breakpoints and watchpoints, minus one. */
#define DFR0_BRPS GENMASK(15, 12)
#define DFR0_WRPS GENMASK(23, 20)

/* OSLSR_EL1: OSLM = 0b10 (the lock is implemented, OSLAR is how to set
 * it; OSLM[1] is bit 3), OSLK in bit 1. */
#define OSLSR_OSLM_IMPLEMENTED BIT(3)
#define OSLSR_OSLK BIT(1)

/* The encodings emulated here (op0 2, the debug registers' space). */
#define DBG_ENC(op1, crn, crm, op2) ESR_SYS_ENC(2, op1, crn, crm, op2)
#define ENC_MDRAR DBG_ENC(0, 1, 0, 0)
#define ENC_OSLAR DBG_ENC(0, 1, 0, 4)
#define ENC_OSLSR DBG_ENC(0, 1, 1, 4)
#define ENC_OSDLR DBG_ENC(0, 1, 3, 4)
#define ENC_DBGPRCR DBG_ENC(0, 1, 4, 4)

/* How many pairs of each the CPU has: the same on every CPU. */
static unsigned n_brps, n_wrps;

/* Each pair's registers are their own encodings: DBGBCR<n>_EL1 is
 * S2_0_C0_C<n>_5, DBGBVR<n> op2 4, DBGWVR<n> op2 6, DBGWCR<n> op2 7. */
#define PAIR_CASE_R(n, op2) case n: return read_sysreg(s2_0_c0_c##n##_##op2)
#define PAIR_CASE_W(n, op2)                                                          \
	case n:                                                                      \
		write_sysreg(s2_0_c0_c##n##_##op2, val);                             \
		break
#define PAIR_CASES(m, op2)                                                           \
	m(0, op2); m(1, op2); m(2, op2); m(3, op2); m(4, op2); m(5, op2);            \
	m(6, op2); m(7, op2); m(8, op2); m(9, op2); m(10, op2); m(11, op2);          \
	m(12, op2); m(13, op2); m(14, op2); m(15, op2)

static uint64_t pair_read(unsigned op2, unsigned n)
{
	switch (op2) {
	case 4:
		switch (n) { PAIR_CASES(PAIR_CASE_R, 4); }
		break;
	case 5:
		switch (n) { PAIR_CASES(PAIR_CASE_R, 5); }
		break;
	case 6:
		switch (n) { PAIR_CASES(PAIR_CASE_R, 6); }
		break;
	default:
		switch (n) { PAIR_CASES(PAIR_CASE_R, 7); }
		break;
	}
	return 0;
}

static void pair_write(unsigned op2, unsigned n, uint64_t val)
{
	switch (op2) {
	case 4:
		switch (n) { PAIR_CASES(PAIR_CASE_W, 4); }
		break;
	case 5:
		switch (n) { PAIR_CASES(PAIR_CASE_W, 5); }
		break;
	case 6:
		switch (n) { PAIR_CASES(PAIR_CASE_W, 6); }
		break;
	default:
		switch (n) { PAIR_CASES(PAIR_CASE_W, 7); }
		break;
	}
}

#define OP2_BVR 4
#define OP2_BCR 5
#define OP2_WVR 6
#define OP2_WCR 7

/* Every breakpoint and watchpoint disabled, debug off, the OS lock set:
 * what the hardware holds while no vCPU's registers are in it. */
static void disarm(void)
{
	unsigned i;

	write_sysreg(oslar_el1, 1);
	isb();
	write_sysreg(mdscr_el1, 0);
	write_sysreg(mdccint_el1, 0);
	for (i = 0; i < n_brps; i++) {
		pair_write(OP2_BCR, i, 0);
	}
	for (i = 0; i < n_wrps; i++) {
		pair_write(OP2_WCR, i, 0);
	}
	isb();
}

void debug_cpu_init(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned brps = FIELD_GET(DFR0_BRPS, dfr0) + 1, wrps = FIELD_GET(DFR0_WRPS, dfr0) + 1;

	CHECK(!n_brps || (n_brps == brps && n_wrps == wrps));
	n_brps = brps;
	n_wrps = wrps;
	disarm();
}

/* Every breakpoint and watchpoint pair the CPU has, from the arrays. */
static void write_pairs(const uint64_t *bvr, const uint64_t *bcr, const uint64_t *wvr,
			const uint64_t *wcr)
{
	unsigned i;

	for (i = 0; i < n_brps; i++) {
		pair_write(OP2_BVR, i, bvr[i]);
		pair_write(OP2_BCR, i, bcr[i]);
	}
	for (i = 0; i < n_wrps; i++) {
		pair_write(OP2_WVR, i, wvr[i]);
		pair_write(OP2_WCR, i, wcr[i]);
	}
}

/* The vCPU's registers into the hardware: under the OS lock, so that
 * MDSCR_EL1's DCC flags are restored too, then the vCPU's own lock. */
static void load(struct vcpu *v)
{
	struct debug_regs *d = &v->dbg;

	write_pairs(d->bvr, d->bcr, d->wvr, d->wcr);
	write_sysreg(mdccint_el1, d->mdccint);
	write_sysreg(mdscr_el1, d->mdscr);
	isb();
	write_sysreg(oslar_el1, d->os_lock);
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) & ~MDCR_EL2_TDA);
	isb();
	d->in_hw = true;
}

static void save(struct vcpu *v)
{
	struct debug_regs *d = &v->dbg;
	unsigned i;

	/* The lock first, so that MDSCR_EL1 reads as it will be written
	 * back; the guest's own lock is in d->os_lock already. */
	write_sysreg(oslar_el1, 1);
	isb();
	d->mdscr = read_sysreg(mdscr_el1);
	d->mdccint = read_sysreg(mdccint_el1);
	for (i = 0; i < n_brps; i++) {
		d->bvr[i] = pair_read(OP2_BVR, i);
		d->bcr[i] = pair_read(OP2_BCR, i);
	}
	for (i = 0; i < n_wrps; i++) {
		d->wvr[i] = pair_read(OP2_WVR, i);
		d->wcr[i] = pair_read(OP2_WCR, i);
	}
	d->in_hw = false;
}

unsigned debug_points(bool watchpoints)
{
	return watchpoints ? n_wrps : n_brps;
}

/* gdb's points, and v's step, into the hardware; the guest's own
 * registers stay where they are. */
static void load_gdb(struct vcpu *v, const struct gdb_hw *hw)
{
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) | MDCR_EL2_TDE | MDCR_EL2_TDA);
	write_pairs(hw->bvr, hw->bcr, hw->wvr, hw->wcr);
	write_sysreg(mdscr_el1, (hw->any ? MDSCR_MDE : 0) | (v->step ? MDSCR_SS : 0));
	isb();
	write_sysreg(oslar_el1, 0);
	isb();
	v->dbg.gdb_in_hw = true;
}

void debug_vcpu_load(struct vcpu *v)
{
	const struct gdb_hw *hw = gdb_hw_of(v->vm);

	if (hw) {
		load_gdb(v, hw);
		return;
	}
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) | MDCR_EL2_TDA);
	if (v->dbg.mdscr & MDSCR_ENABLED) {
		load(v);
	}
}

void debug_vcpu_put(struct vcpu *v)
{
	if (v->dbg.in_hw) {
		save(v);
		disarm();
	}
	if (v->dbg.gdb_in_hw) {
		disarm();
		write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) & ~MDCR_EL2_TDE);
		v->dbg.gdb_in_hw = false;
	}
}

/* While gdb has the hardware: an access to the guest's own breakpoint,
 * watchpoint, MDSCR_EL1 or MDCCINT_EL1, emulated on their saved values;
 * the debug communications channel reads as empty. False for a pair the
 * CPU does not have. */
static bool emulate_saved(struct vcpu *v, uint64_t esr)
{
	struct debug_regs *d = &v->dbg;
	unsigned op1 = FIELD_GET(ESR_SYS_OP1, esr), crn = FIELD_GET(ESR_SYS_CRN, esr);
	unsigned crm = FIELD_GET(ESR_SYS_CRM, esr), op2 = FIELD_GET(ESR_SYS_OP2, esr);
	unsigned rt = FIELD_GET(ESR_SYS_RT, esr);
	bool read = esr & ESR_SYS_READ;
	uint64_t *reg = NULL, zero = 0;

	if (op1 == 0 && crn == 0 && op2 >= OP2_BVR) {
		uint64_t *pairs[] = { d->bvr, d->bcr, d->wvr, d->wcr };

		if (crm >= (op2 >= OP2_WVR ? n_wrps : n_brps)) {
			return false;
		}
		reg = &pairs[op2 - OP2_BVR][crm];
	} else if (op1 == 0 && crn == 0 && crm == 2 && op2 == 2) {
		reg = &d->mdscr;
	} else if (op1 == 0 && crn == 0 && crm == 2 && op2 == 0) {
		reg = &d->mdccint;
	} else {
		reg = &zero; /* the DCC and the rest of the group: RAZ/WI */
	}
	if (read) {
		vcpu_set_reg(v, rt, *reg);
	} else if (reg != &zero) {
		*reg = vcpu_get_reg(v, rt);
	}
	return true;
}

/* The registers trapped always (TDOSA, TDRA), emulated; false for an
 * access the guest's CPU would refuse too (a write of a read-only one, a
 * read of OSLAR), which the core makes undefined. */
static bool emulate(struct vcpu *v, uint64_t enc, bool read, unsigned rt)
{
	uint64_t val = vcpu_get_reg(v, rt);

	switch (enc) {
	case ENC_OSLAR:
		if (read) {
			return false;
		}
		v->dbg.os_lock = val & 1;
		if (v->dbg.in_hw) {
			write_sysreg(oslar_el1, v->dbg.os_lock);
			isb();
		}
		return true;
	case ENC_OSDLR: /* RAZ/WI: no double lock */
		val = 0;
		break;
	case ENC_DBGPRCR:
		if (!read) {
			v->dbg.corenpdrq = val & 1;
			return true;
		}
		val = v->dbg.corenpdrq;
		break;
	case ENC_OSLSR:
		val = OSLSR_OSLM_IMPLEMENTED | (v->dbg.os_lock ? OSLSR_OSLK : 0);
		if (!read) {
			return false;
		}
		break;
	default: /* MDRAR_EL1: no ROM table */
		val = 0;
		if (!read) {
			return false;
		}
		break;
	}
	if (read) {
		vcpu_set_reg(v, rt, val);
	}
	return true;
}

static bool always_trapped(uint64_t enc)
{
	return enc == ENC_OSLAR || enc == ENC_OSLSR || enc == ENC_OSDLR || enc == ENC_DBGPRCR ||
	       enc == ENC_MDRAR;
}

bool debug_trap(struct vcpu *v, uint64_t esr)
{
	uint64_t enc = esr & ESR_SYS_ENC_MASK;

	if (FIELD_GET(ESR_SYS_OP0, esr) != 2) {
		return false;
	}
	if (always_trapped(enc)) {
		if (!emulate(v, enc, esr & ESR_SYS_READ, FIELD_GET(ESR_SYS_RT, esr))) {
			return false;
		}
		vcpu_skip_insn(v);
		return true;
	}
	if (v->dbg.gdb_in_hw) {
		if (!emulate_saved(v, esr)) {
			return false;
		}
		vcpu_skip_insn(v);
		return true;
	}
	/* The TDA group: the guest's first touch this turn. Once loaded, a
	 * trap of the same kind is an access the CPU refuses too: the core
	 * makes it undefined. */
	if (v->dbg.in_hw) {
		return false;
	}
	load(v);
	return true;
}
