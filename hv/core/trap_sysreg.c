/*
 * Trapped MSR and MRS (EC 0x18), dispatched through a table by encoding.
 *
 * Emulated: ICC_SGI1R_EL1 (and ICC_ASGI1R/ICC_SGI0R), which trap because
 * HCR_EL2.IMO is set (a write sends virtual SGIs to the VM's vCPUs), and
 * the EL1 physical timer, trapped by CNTHCTL_EL2.EL1PCEN (vtimer.c), the
 * feature ID registers, trapped by HCR_EL2.TID3 (idregs.c), and the PMU
 * registers, trapped by MDCR_EL2: the mode's virtual PMU emulates
 * them (vmode->pmu_access) when guests are shown a PMU, and they read as
 * zero when they are not. The debug registers (op0 2) are the mode's
 * (el2/debug.c): one that reaches here is an access the guest's CPU
 * refuses too, and is undefined.
 * Everything else Vireo traps on purpose, implementation-defined registers
 * (HCR_EL2.TIDCP) and the auxiliary control register (TACR), is answered as by a
 * CPU that does not implement them: an undefined-instruction exception in
 * the guest. The first few per VM are logged to help whoever debugs it.
 */
#include "arch/aarch64/idregs.h"
#include "core/printk.h"
#include "core/trap.h"
#include "core/vm.h"
#include "core/vmode.h"

#define LOG_LIMIT 4

static unsigned logged[MAX_VMS];

/* Flattened: vgic_send_sgi() is called from trap_aarch32.c too, and the
 * call would cost the AArch64 SGI path 5 instructions (make bench). */
static bool __attribute__((flatten)) sgi_write(struct vcpu *v, uint64_t val)
{
	if (!v->vm->has_gic) {
		return false;
	}
	vgic_send_sgi(&v->vm->vgic, v->id, val);
	return true;
}

#define PTIMER_ACCESSORS(name, reg)                                         \
	static bool name##_read(struct vcpu *v, uint64_t *val)              \
	{                                                                   \
		*val = ptimer_read(v, reg);                                 \
		return true;                                                \
	}                                                                   \
	static bool name##_write(struct vcpu *v, uint64_t val)              \
	{                                                                   \
		ptimer_write(v, reg, val);                                  \
		return true;                                                \
	}

PTIMER_ACCESSORS(cntp_ctl, PTIMER_CTL)
PTIMER_ACCESSORS(cntp_cval, PTIMER_CVAL)
PTIMER_ACCESSORS(cntp_tval, PTIMER_TVAL)

struct sysreg_handler {
	uint64_t enc;
	bool (*read)(struct vcpu *v, uint64_t *val); /* NULL: reads UNDEF */
	bool (*write)(struct vcpu *v, uint64_t val); /* NULL: writes UNDEF */
};

static const struct sysreg_handler handlers[] = {
	{ ESR_SYS_ENC(3, 0, 12, 11, 5), NULL, sgi_write },            /* ICC_SGI1R_EL1 */
	{ ESR_SYS_ENC(3, 0, 12, 11, 6), NULL, sgi_write },            /* ICC_ASGI1R_EL1 */
	{ ESR_SYS_ENC(3, 0, 12, 11, 7), NULL, sgi_write },            /* ICC_SGI0R_EL1 */
	{ ESR_SYS_ENC(3, 3, 14, 2, 0), cntp_tval_read, cntp_tval_write }, /* CNTP_TVAL_EL0 */
	{ ESR_SYS_ENC(3, 3, 14, 2, 1), cntp_ctl_read, cntp_ctl_write },   /* CNTP_CTL_EL0 */
	{ ESR_SYS_ENC(3, 3, 14, 2, 2), cntp_cval_read, cntp_cval_write }, /* CNTP_CVAL_EL0 */
};

/* A read in the feature ID space (HCR_EL2.TID3): op0 3, op1 0, CRn 0,
 * CRm 1-7; false for anything else. */
static bool id_space_read(struct vcpu *v, uint64_t esr, unsigned rt)
{
	unsigned crm = FIELD_GET(ESR_SYS_CRM, esr);

	if ((esr & (ESR_SYS_ENC(3, 7, 15, 0, 0) | ESR_SYS_READ)) !=
		    (ESR_SYS_ENC(3, 0, 0, 0, 0) | ESR_SYS_READ) ||
	    crm < 1 || crm > 7) {
		return false;
	}
	vcpu_set_reg(v, rt, id_reg_read(crm, FIELD_GET(ESR_SYS_OP2, esr)));
	return true;
}

/* Read as zero, writes ignored. */
static bool raz_wi(struct vcpu *v, uint64_t esr, unsigned rt)
{
	if (esr & ESR_SYS_READ) {
		vcpu_set_reg(v, rt, 0);
	}
	return true;
}

/* Whether the access names the PMU's register space: op0 3 and CRn 9,
 * CRm 12-14 (PMCR to PMOVSSET, PMINTEN, PMMIR), or op1 3, CRn 14, CRm 8-15
 * (PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR). */
static bool is_pmu_reg(uint64_t esr)
{
	unsigned op0 = FIELD_GET(ESR_SYS_OP0, esr), op1 = FIELD_GET(ESR_SYS_OP1, esr);
	unsigned crn = FIELD_GET(ESR_SYS_CRN, esr), crm = FIELD_GET(ESR_SYS_CRM, esr);

	return op0 == 3 && ((crn == 9 && crm >= 12) || (op1 == 3 && crn == 14 && crm >= 8));
}

/* PMU registers, trapped by MDCR_EL2: the mode's virtual PMU where guests
 * are shown one (false from it: undefined); else read as zero, writes
 * ignored, so Linux's boot-time PMUSERENR reset goes through. */
static bool pmu_regs(struct vcpu *v, uint64_t esr, unsigned rt, bool *undef)
{
	if (!is_pmu_reg(esr)) {
		return false;
	}
	if (id_pmu_version() && vmode->pmu_access) {
		*undef = !vmode->pmu_access(v, esr);
		return true;
	}
	return raz_wi(v, esr, rt);
}

/* Performs an emulated access; false if this one is not emulated. */
static bool emulate(struct vcpu *v, uint64_t esr)
{
	unsigned rt = FIELD_GET(ESR_SYS_RT, esr);
	uint64_t val;
	unsigned i;
	bool undef = false;

	if (id_space_read(v, esr, rt)) {
		return true;
	}
	if (pmu_regs(v, esr, rt, &undef)) {
		return !undef;
	}
	for (i = 0; i < ARRAY_SIZE(handlers); i++) {
		const struct sysreg_handler *h = &handlers[i];

		if (h->enc != (esr & ESR_SYS_ENC_MASK)) {
			continue;
		}
		if (!(esr & ESR_SYS_READ)) {
			return h->write && h->write(v, vcpu_get_reg(v, rt));
		}
		if (!h->read || !h->read(v, &val)) {
			return false;
		}
		vcpu_set_reg(v, rt, val);
		return true;
	}
	return false;
}

enum trap_action trap_sysreg(struct vcpu *v)
{
	uint64_t esr = v->trap.esr;

	stats_count(&v->stats.sysregs, (uint32_t)(esr & ESR_SYS_ENC_MASK));
	if (emulate(v, esr)) {
		vcpu_skip_insn(v);
		return TRAP_RESUME;
	}
	if (v->vm->id < MAX_VMS && logged[v->vm->id] < LOG_LIMIT) {
		logged[v->vm->id]++;
		printk("vireo: %s: %s S%lu_%lu_C%lu_C%lu_%lu at pc 0x%lx: undefined\n", v->vm->name,
		       (esr & ESR_SYS_READ) ? "mrs" : "msr", FIELD_GET(ESR_SYS_OP0, esr),
		       FIELD_GET(ESR_SYS_OP1, esr), FIELD_GET(ESR_SYS_CRN, esr),
		       FIELD_GET(ESR_SYS_CRM, esr), FIELD_GET(ESR_SYS_OP2, esr), v->regs.pc);
	}
	if (inject_undef(v)) {
		return TRAP_RESUME;
	}
	vm_crash(v->vm, "trapped system register access at pc 0x%lx with no usable vector",
		v->regs.pc);
	return TRAP_EXIT;
}
