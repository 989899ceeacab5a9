/*
 * The traps only an AArch32 guest takes: coprocessor accesses, MCR/MRC
 * and MCRR/MRRC to CP15 (EC 0x03, 0x04) and CP14 (0x05, 0x06, 0x0c), and
 * VMRS of the floating-point ID registers (0x08), and SMC32 (0x13). Each
 * may be conditional, and the CPU may trap one whose condition fails
 * (aarch32.h): trap_cond_failed() steps past those before anything else,
 * here and in trap_wfx.c, so the AArch64 classes never pay for the test.
 *
 * Emulated, on the same models as the AArch64 system registers
 * (trap_sysreg.c):
 *   - the AArch32 ID registers (MRC p15, 0, c0, c1-c7, trapped by
 *     HCR_EL2.TID3) and MVFR0-2 (VMRS), as idregs.c shows them to an
 *     AArch32 VM;
 *   - the EL1 physical timer: CNTP_TVAL and CNTP_CTL (MRC/MCR p15, 0, c14,
 *     c2, 0 and 1) and CNTP_CVAL (MRRC/MCRR p15, 2, c14), trapped by
 *     CNTHCTL_EL2.EL1PCEN (vtimer.c);
 *   - a GICv3's SGI registers, ICC_SGI1R, ICC_ASGI1R and ICC_SGI0R
 *     (MCRR p15, 0/1/2, c12), trapped by HCR_EL2.IMO.
 * Everything else that traps is what Vireo does not give AArch32 guests:
 * the implementation-defined and auxiliary registers (TIDCP, TACR), the
 * PMU (MDCR_EL2.TPM) and the CP14 debug and trace registers (TDA, TDOSA,
 * TDRA); idregs.c says they are absent, and an access is an undefined
 * instruction, as on a CPU without them (DBGDIDR, which says the same,
 * reads as zero). The first few per VM are logged.
 */
#include "arch/aarch64/idregs.h"
#include "core/printk.h"
#include "core/trap.h"
#include "core/vm.h"

#define LOG_LIMIT 4

static unsigned logged[MAX_VMS];

static void log_undefined(struct vcpu *v, const char *what)
{
	uint64_t esr = v->trap.esr;
	unsigned ec = FIELD_GET(ESR_EC, esr);
	bool read = esr & ESR_CP_READ;

	if (v->vm->id >= MAX_VMS || logged[v->vm->id] >= LOG_LIMIT) {
		return;
	}
	logged[v->vm->id]++;
	if (ec == EC_CP14_LS) {
		printk("vireo: %s: ldc/stc p14 at pc 0x%lx: undefined\n", v->vm->name, v->regs.pc);
	} else if (ec == EC_CP15_64 || ec == EC_CP14_64) {
		printk("vireo: %s: %s %s, %lu, c%lu at pc 0x%lx: undefined\n", v->vm->name,
		       read ? "mrrc" : "mcrr", what, FIELD_GET(ESR_CP64_OPC1, esr),
		       FIELD_GET(ESR_CP_CRM, esr), v->regs.pc);
	} else {
		printk("vireo: %s: %s %s, %lu, c%lu, c%lu, %lu at pc 0x%lx: undefined\n",
		       v->vm->name, read ? "mrc" : "mcr", what, FIELD_GET(ESR_CP32_OPC1, esr),
		       FIELD_GET(ESR_CP32_CRN, esr), FIELD_GET(ESR_CP_CRM, esr),
		       FIELD_GET(ESR_CP32_OPC2, esr), v->regs.pc);
	}
}

/* The access is not emulated: an undefined instruction for the guest. */
static enum trap_action undefined(struct vcpu *v, const char *what)
{
	log_undefined(v, what);
	if (inject_undef(v)) {
		return TRAP_RESUME;
	}
	vm_crash(v->vm, "trapped %s access at pc 0x%lx with no usable vector", what,
		 v->regs.pc);
	return TRAP_EXIT;
}

bool trap_cond_failed(struct vcpu *v)
{
	if (aarch32_cond_passed(v->trap.esr, v->regs.pstate)) {
		return false;
	}
	vcpu_skip_insn(v);
	return true;
}

static enum trap_action done(struct vcpu *v)
{
	vcpu_skip_insn(v);
	return TRAP_RESUME;
}

/* MRC p15, 0, Rt, c0, CRm, opc2 with CRm 1-7: the ID registers. */
static bool id_read(struct vcpu *v, uint64_t esr, unsigned rt)
{
	unsigned crm = FIELD_GET(ESR_CP_CRM, esr);

	if (!(esr & ESR_CP_READ) || FIELD_GET(ESR_CP32_OPC1, esr) != 0 ||
	    FIELD_GET(ESR_CP32_CRN, esr) != 0 || crm < 1 || crm > 7) {
		return false;
	}
	vcpu_set_reg(v, rt, id_reg_read_aarch32(crm, FIELD_GET(ESR_CP32_OPC2, esr)));
	return true;
}

/* CNTP_TVAL and CNTP_CTL, by MRC/MCR. */
static bool ptimer32(struct vcpu *v, uint64_t esr, unsigned rt)
{
	enum ptimer_reg reg;

	switch (esr & CP32_ENC_MASK) {
	case CP32_ENC(0, 14, 2, 0):
		reg = PTIMER_TVAL;
		break;
	case CP32_ENC(0, 14, 2, 1):
		reg = PTIMER_CTL;
		break;
	default:
		return false;
	}
	if (esr & ESR_CP_READ) {
		vcpu_set_reg(v, rt, ptimer_read(v, reg));
	} else {
		ptimer_write(v, reg, vcpu_get_reg(v, rt));
	}
	return true;
}

enum trap_action trap_cp15_32(struct vcpu *v)
{
	uint64_t esr = v->trap.esr;
	unsigned rt = FIELD_GET(ESR_CP_RT, esr);

	if (trap_cond_failed(v)) {
		return TRAP_RESUME;
	}
	if (id_read(v, esr, rt) || ptimer32(v, esr, rt)) {
		return done(v);
	}
	return undefined(v, "p15");
}

enum trap_action trap_cp15_64(struct vcpu *v)
{
	uint64_t esr = v->trap.esr;
	unsigned rt = FIELD_GET(ESR_CP_RT, esr), rt2 = FIELD_GET(ESR_CP64_RT2, esr);
	bool read = esr & ESR_CP_READ;
	/* 32 bits each: an AArch64 VM's AArch32 task leaves its kernel's
	 * upper halves in the X registers (vcpu.h). */
	uint64_t val = (uint64_t)(uint32_t)vcpu_get_reg(v, rt2) << 32 |
		       (uint32_t)vcpu_get_reg(v, rt);

	if (trap_cond_failed(v)) {
		return TRAP_RESUME;
	}
	switch (esr & CP64_ENC_MASK) {
	case CP64_ENC(2, 14): /* CNTP_CVAL */
		if (read) {
			val = ptimer_read(v, PTIMER_CVAL);
			vcpu_set_reg(v, rt, val);
			vcpu_set_reg(v, rt2, val >> 32);
		} else {
			ptimer_write(v, PTIMER_CVAL, val);
		}
		return done(v);
	case CP64_ENC(0, 12): /* ICC_SGI1R */
	case CP64_ENC(1, 12): /* ICC_ASGI1R */
	case CP64_ENC(2, 12): /* ICC_SGI0R */
		if (read || !v->vm->has_gic) {
			break;
		}
		vgic_send_sgi(&v->vm->vgic, v->id, val);
		return done(v);
	}
	return undefined(v, "p15");
}

/* CP14 is undefined but for DBGDIDR (MRC p14, 0, Rt, c0, c0, 0), which
 * reads as zero: no debug architecture, as ID_DFR0.CopDbg says. Linux
 * reads it before anything else of debug (get_debug_arch(), every CPU),
 * and takes a version it does not know to mean no hardware breakpoints. */
enum trap_action trap_cp14(struct vcpu *v)
{
	uint64_t esr = v->trap.esr;

	if (trap_cond_failed(v)) {
		return TRAP_RESUME;
	}
	if (FIELD_GET(ESR_EC, esr) == EC_CP14_32 && (esr & ESR_CP_READ) &&
	    (esr & CP32_ENC_MASK) == CP32_ENC(0, 0, 0, 0)) {
		vcpu_set_reg(v, FIELD_GET(ESR_CP_RT, esr), 0);
		return done(v);
	}
	return undefined(v, "p14");
}

/* VMRS Rt, MVFR0/1/2: the syndrome's CRn is the register's number in
 * VMRS (MVFR0 7, MVFR1 6, MVFR2 5), which idregs.c keeps at c0, c3, 0-2. */
enum trap_action trap_cp10_id(struct vcpu *v)
{
	uint64_t esr = v->trap.esr;
	unsigned reg = FIELD_GET(ESR_CP32_CRN, esr);

	if (trap_cond_failed(v)) {
		return TRAP_RESUME;
	}
	if (!(esr & ESR_CP_READ) || reg < 5 || reg > 7) {
		return undefined(v, "vmrs");
	}
	vcpu_set_reg(v, FIELD_GET(ESR_CP_RT, esr), id_reg_read_aarch32(3, 7 - reg));
	return done(v);
}

/* SMC from AArch32, which SMCCC serves like any SMC (smccc.c). */
enum trap_action trap_smc32(struct vcpu *v)
{
	return trap_cond_failed(v) ? TRAP_RESUME : trap_smc(v);
}
