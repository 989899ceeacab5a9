/*
 * A virtual PMUv3 per vCPU, over the real counters.
 *
 * MDCR_EL2.TPM and TPMCR trap every guest access to the PMU registers;
 * trap_sysreg.c hands them here (vmode->pmu_access) when the PMU is
 * shown (idregs.c). Each access is emulated with the hardware underneath:
 * the control registers are kept as the guest wrote them (struct vpmu in
 * arch/aarch64/pmu.h) and written to the hardware sanitised, the counters
 * and the overflow flags are the hardware's while the vCPU is loaded. So
 * the isolation rules are enforced in one place:
 *   - nothing counts at EL2 or EL3: the hardware filters always have
 *     NSH = 0 (and, with an EL3, NSK/NSU equal to P/U and M unequal to P),
 *     MDCR_EL2.HPMD (v3p1) and HCCD (v3p5) prohibit counting at EL2 as
 *     well; the guest, which has no EL2 or EL3, reads those bits as 0;
 *   - MDCR_EL2.HPMN = N: every counter is EL1's, enabled by PMCR.E;
 *   - a vCPU's counters run only while it is loaded: el2_vcpu_put()
 *     stops them and saves them, el2_vcpu_load() restores them. A vCPU
 *     that never touched its PMU since its reset costs one test at each.
 *   - EL0's accesses: the hardware's PMUSERENR is the guest's while the
 *     vCPU is loaded (0 for a vCPU that never touched its PMU), so the
 *     CPU itself traps a denied one to the guest's EL1, as the Arm ARM
 *     has it, before MDCR_EL2.TPM; what reaches Vireo is checked again
 *     and is undefined if denied. (QEMU lets EL0 read the counters
 *     PMUSERENR.CR/ER allow without the TPM trap: they are the guest's.)
 *   - PMSELR is the hardware's while the vCPU is loaded, for the same
 *     reason: EL0 may write it without a trap on QEMU.
 * PMSWINC is emulated in software (a hardware write from EL2 would be
 * filtered as an EL2 increment). The overflow interrupt is the guest's
 * PPI VIRQ_PMU, a level: PMCR.E and (PMOVS & PMINTEN). The hardware's
 * own (IRQ_PMU, irq.c) only tells Vireo to look: its PMINTEN is the
 * guest's less the counters already overflowed, so the physical line
 * drops as soon as Vireo has seen it, and rises again only after the
 * guest has cleared the flag (a trapped PMOVSCLR write).
 */
#include "arch/aarch64/el2/vpmu.h"

#include "arch/aarch64/el2/hyp_regs.h"
#include "arch/aarch64/idregs.h"
#include "arch/aarch64/pmu.h"
#include "core/vm.h"
#include "vdev/vmachine.h"

static unsigned nr_counters;    /* PMCR_EL0.N of this machine */
static uint32_t pmcr_ident;     /* PMCR_EL0's IMP, IDCODE and N */
static bool host_el3;           /* the filters' NSK, NSU, M bits exist */

#define CNTR_CASE(n, crm, op2)                                                     \
	case n:                                                                    \
		return read_sysreg(s3_3_c14_c##crm##_##op2)
#define CNTR_SET(n, crm, op2)                                                      \
	case n:                                                                    \
		write_sysreg(s3_3_c14_c##crm##_##op2, val);                        \
		break
#define EIGHT(M, base, crm)                                                        \
	M(base + 0, crm, 0); M(base + 1, crm, 1); M(base + 2, crm, 2);             \
	M(base + 3, crm, 3); M(base + 4, crm, 4); M(base + 5, crm, 5);             \
	M(base + 6, crm, 6); M(base + 7, crm, 7)
#define SEVEN(M, base, crm)                                                        \
	M(base + 0, crm, 0); M(base + 1, crm, 1); M(base + 2, crm, 2);             \
	M(base + 3, crm, 3); M(base + 4, crm, 4); M(base + 5, crm, 5);             \
	M(base + 6, crm, 6)

/* PMEVCNTR<n>_EL0 (CRm 8-11) and PMEVTYPER<n>_EL0 (CRm 12-15), n < 31. */
static uint64_t hw_evcntr(unsigned n)
{
	switch (n) {
		EIGHT(CNTR_CASE, 0, 8); EIGHT(CNTR_CASE, 8, 9);
		EIGHT(CNTR_CASE, 16, 10); SEVEN(CNTR_CASE, 24, 11);
	}
	return 0;
}

static void hw_set_evcntr(unsigned n, uint64_t val)
{
	switch (n) {
		EIGHT(CNTR_SET, 0, 8); EIGHT(CNTR_SET, 8, 9);
		EIGHT(CNTR_SET, 16, 10); SEVEN(CNTR_SET, 24, 11);
	}
}

static void hw_set_evtyper(unsigned n, uint64_t val)
{
	switch (n) {
		EIGHT(CNTR_SET, 0, 12); EIGHT(CNTR_SET, 8, 13);
		EIGHT(CNTR_SET, 16, 14); SEVEN(CNTR_SET, 24, 15);
	}
}

static unsigned pmu_version(void)
{
	return id_pmu_version();
}

/* The counters the guest has, as a mask of the set/clear registers. */
static uint32_t counter_mask(void)
{
	return (uint32_t)(BIT(nr_counters) - 1) | BIT(PMU_CYCLE_IDX);
}

/* What of a filter the guest keeps: P, U and (for PMEVTYPER) the event
 * number; the EL2 and EL3 bits are RES0 for a guest without those levels. */
static uint64_t filter_guest(uint64_t val, bool event)
{
	uint64_t evt = pmu_version() >= PMUVER_V3P1 ? PMEVTYPER_EVT : PMEVTYPER_EVT_V3;

	return val & (PMEVTYPER_P | PMEVTYPER_U | (event ? evt : 0));
}

/* The hardware's filter for a guest's: never EL2 (NSH = 0), never EL3. */
static uint64_t filter_hw(uint64_t guest)
{
	uint64_t hw = guest;

	if (host_el3) {
		hw |= (guest & PMEVTYPER_P) ? PMEVTYPER_NSK : PMEVTYPER_M;
		hw |= (guest & PMEVTYPER_U) ? PMEVTYPER_NSU : 0;
	}
	return hw;
}

static uint32_t pmcr_guest_bits(void)
{
	return PMCR_E | PMCR_D | PMCR_DP | PMCR_LC |
	       (pmu_version() >= PMUVER_V3P5 ? PMCR_LP : 0);
}

/* The hardware PMCR for the guest's: DP always, so that the cycle counter
 * stops where HPMD prohibits counting. */
static void hw_set_pmcr(uint32_t guest, uint32_t actions)
{
	write_sysreg(pmcr_el0, (guest & ~PMCR_DP) | PMCR_DP | actions);
	isb();
}

static uint64_t evcntr_mask(void)
{
	return pmu_version() >= PMUVER_V3P5 ? ~0UL : 0xffffffffUL;
}

/* The overflow interrupt's level, and the hardware's interrupt enables:
 * the guest's, less what has overflowed already (that is Vireo's to
 * report through the vGIC, not the hardware's). */
static void sync_overflow(struct vcpu *v)
{
	struct vpmu *p = &v->pmu;
	uint32_t ovs = (uint32_t)read_sysreg(pmovsset_el0) & counter_mask();

	write_sysreg(pmintenclr_el1, ovs);
	write_sysreg(pmintenset_el1, p->inten & ~ovs);
	isb();
	vgic_set_level(&v->vm->vgic, v->id, VIRQ_PMU, (p->pmcr & PMCR_E) && (ovs & p->inten));
}

/* Puts the guest's whole PMU into the hardware, enables last. */
static void hw_load(struct vcpu *v)
{
	const struct vpmu *p = &v->pmu;
	unsigned n;

	for (n = 0; n < nr_counters; n++) {
		hw_set_evtyper(n, filter_hw(p->evtyper[n]));
		hw_set_evcntr(n, p->evcntr[n]);
	}
	write_sysreg(pmccfiltr_el0, filter_hw(p->ccfiltr));
	write_sysreg(pmccntr_el0, p->ccntr);
	write_sysreg(pmselr_el0, p->selr);
	write_sysreg(pmuserenr_el0, p->userenr);
	write_sysreg(pmovsclr_el0, ~0UL);
	write_sysreg(pmovsset_el0, p->ovs);
	write_sysreg(pmcntenset_el0, p->cnten);
	sync_overflow(v);
	hw_set_pmcr(p->pmcr, 0);
}

/* Stops the counters and takes the guest's values out; the hardware is
 * left quiet for whoever runs next. */
static void hw_save(struct vcpu *v)
{
	struct vpmu *p = &v->pmu;
	unsigned n;

	write_sysreg(pmcr_el0, PMCR_DP);
	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	isb();
	for (n = 0; n < nr_counters; n++) {
		p->evcntr[n] = hw_evcntr(n);
	}
	p->ccntr = read_sysreg(pmccntr_el0);
	p->selr = (uint32_t)read_sysreg(pmselr_el0) & PMSELR_SEL;
	write_sysreg(pmuserenr_el0, 0);
	p->ovs = (uint32_t)read_sysreg(pmovsset_el0) & counter_mask();
	write_sysreg(pmovsclr_el0, ~0UL);
	isb();
}

void vpmu_load(struct vcpu *v)
{
	if (v->pmu.active) {
		hw_load(v);
	}
}

void vpmu_put(struct vcpu *v)
{
	if (v->pmu.active) {
		hw_save(v);
	}
}

void vpmu_overflow(struct vcpu *v)
{
	if (v->pmu.active) {
		sync_overflow(v);
	}
}

/* MDCR_EL2's PMU fields, and the hardware quiet. Every CPU, at boot. */
uint64_t vpmu_cpu_init(void)
{
	unsigned ver = FIELD_GET(DFR0_PMUVER, read_sysreg(id_aa64dfr0_el1));
	uint64_t mdcr;

	if (ver == 0 || ver == PMUVER_IMPDEF) {
		return 0;
	}
	pmcr_ident = (uint32_t)read_sysreg(pmcr_el0) & (PMCR_IMP | PMCR_IDCODE | PMCR_N);
	nr_counters = FIELD_GET(PMCR_N, pmcr_ident);
	host_el3 = FIELD_GET(PFR0_EL3, read_sysreg(id_aa64pfr0_el1)) != 0;
	mdcr = FIELD_PREP(MDCR_EL2_HPMN, nr_counters);
	if (ver >= PMUVER_V3P1) {
		mdcr |= MDCR_EL2_HPMD;
	}
	if (ver >= PMUVER_V3P5) {
		mdcr |= MDCR_EL2_HCCD;
	}
	write_sysreg(pmcr_el0, PMCR_DP);
	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	write_sysreg(pmuserenr_el0, 0); /* EL0 may do nothing */
	return mdcr;
}

/* The PMU registers, by encoding (op1, CRn, CRm, op2). */
#define ENC(op1, crn, crm, op2) (((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
enum {
	R_PMCR = ENC(3, 9, 12, 0),
	R_PMCNTENSET = ENC(3, 9, 12, 1),
	R_PMCNTENCLR = ENC(3, 9, 12, 2),
	R_PMOVSCLR = ENC(3, 9, 12, 3),
	R_PMSWINC = ENC(3, 9, 12, 4),
	R_PMSELR = ENC(3, 9, 12, 5),
	R_PMCEID0 = ENC(3, 9, 12, 6),
	R_PMCEID1 = ENC(3, 9, 12, 7),
	R_PMCCNTR = ENC(3, 9, 13, 0),
	R_PMXEVTYPER = ENC(3, 9, 13, 1),
	R_PMXEVCNTR = ENC(3, 9, 13, 2),
	R_PMUSERENR = ENC(3, 9, 14, 0),
	R_PMOVSSET = ENC(3, 9, 14, 3),
	R_PMINTENSET = ENC(0, 9, 14, 1),
	R_PMINTENCLR = ENC(0, 9, 14, 2),
	R_PMMIR = ENC(0, 9, 14, 6),
};

/* Whether EL0 may make this access, by the guest's PMUSERENR (Arm ARM
 * D19.12, each register's "Accessibility"). */
static bool el0_allowed(const struct vpmu *p, unsigned reg, bool read)
{
	uint32_t u = p->userenr;

	if (reg == R_PMUSERENR) {
		return read;
	}
	if (reg == R_PMINTENSET || reg == R_PMINTENCLR || reg == R_PMMIR) {
		return false;
	}
	if (u & PMUSERENR_EN) {
		return true;
	}
	switch (reg) {
	case R_PMSWINC:
		return !read && (u & PMUSERENR_SW);
	case R_PMCCNTR:
		return read && (u & PMUSERENR_CR);
	case R_PMSELR:
		return u & PMUSERENR_ER;
	case R_PMXEVCNTR:
		return read && (u & PMUSERENR_ER);
	default:
		return (reg >> 7 == ENC(3, 14, 0, 0) >> 7) && (reg & 0x20) == 0 && read &&
		       (u & PMUSERENR_ER); /* PMEVCNTR<n>_EL0 */
	}
}

/* Software increments (PMSWINC): each enabled counter counting SW_INCR,
 * not filtered at the writer's level, counts one. */
static void swinc(struct vcpu *v, uint32_t bits, bool el0)
{
	struct vpmu *p = &v->pmu;
	uint64_t wrap = evcntr_mask();
	unsigned n;

	if (!(p->pmcr & PMCR_E)) {
		return;
	}
	bits &= p->cnten & (uint32_t)(BIT(nr_counters) - 1);
	for (n = 0; n < nr_counters; n++) {
		uint64_t t = p->evtyper[n], c;

		if (!(bits & BIT(n)) || (t & PMEVTYPER_EVT) != PMU_EVT_SW_INCR ||
		    (t & (el0 ? PMEVTYPER_U : PMEVTYPER_P))) {
			continue;
		}
		c = (hw_evcntr(n) + 1) & wrap;
		hw_set_evcntr(n, c);
		if (c == 0) {
			write_sysreg(pmovsset_el0, BIT(n));
		}
	}
	sync_overflow(v);
}

static void pmcr_write(struct vcpu *v, uint64_t val)
{
	struct vpmu *p = &v->pmu;

	p->pmcr = (uint32_t)val & pmcr_guest_bits();
	hw_set_pmcr(p->pmcr, (uint32_t)val & (PMCR_P | PMCR_C));
	sync_overflow(v);
}

/* Counter n's filter register (31: PMCCFILTR), or false if there is none. */
static uint64_t *filter_of(struct vpmu *p, unsigned n)
{
	if (n == PMU_CYCLE_IDX) {
		return &p->ccfiltr;
	}
	return n < nr_counters ? &p->evtyper[n] : NULL;
}

static bool filter_access(struct vcpu *v, unsigned n, bool read, uint64_t *val)
{
	uint64_t *f = filter_of(&v->pmu, n);

	if (!f) {
		return false;
	}
	if (read) {
		*val = *f;
		return true;
	}
	*f = filter_guest(*val, n != PMU_CYCLE_IDX);
	if (n == PMU_CYCLE_IDX) {
		write_sysreg(pmccfiltr_el0, filter_hw(*f));
	} else {
		hw_set_evtyper(n, filter_hw(*f));
	}
	isb();
	return true;
}

static bool counter_access(struct vcpu *v, unsigned n, bool read, uint64_t *val)
{
	uint64_t mask = evcntr_mask();

	if (n >= nr_counters) {
		return false; /* not implemented: UNDEFINED */
	}
	if (read) {
		*val = hw_evcntr(n) & mask;
	} else {
		hw_set_evcntr(n, *val & mask);
	}
	return true;
}

/* The set/clear pairs: cnten, inten, ovs. */
static void set_clear(struct vcpu *v, unsigned reg, uint64_t val)
{
	struct vpmu *p = &v->pmu;
	uint32_t bits = (uint32_t)val & counter_mask();

	switch (reg) {
	case R_PMCNTENSET:
		p->cnten |= bits;
		write_sysreg(pmcntenset_el0, bits);
		break;
	case R_PMCNTENCLR:
		p->cnten &= ~bits;
		write_sysreg(pmcntenclr_el0, bits);
		break;
	case R_PMINTENSET:
		p->inten |= bits;
		break;
	case R_PMINTENCLR:
		p->inten &= ~bits;
		break;
	case R_PMOVSSET:
		write_sysreg(pmovsset_el0, bits);
		break;
	default: /* R_PMOVSCLR */
		write_sysreg(pmovsclr_el0, bits);
		break;
	}
	isb();
	sync_overflow(v);
}

static bool control_read(struct vcpu *v, unsigned reg, uint64_t *val)
{
	struct vpmu *p = &v->pmu;
	uint64_t ceid_mask = pmu_version() >= PMUVER_V3P1 ? ~0UL : 0xffffffffUL;

	switch (reg) {
	case R_PMCR:
		*val = p->pmcr | pmcr_ident;
		return true;
	case R_PMCNTENSET:
	case R_PMCNTENCLR:
		*val = p->cnten;
		return true;
	case R_PMINTENSET:
	case R_PMINTENCLR:
		*val = p->inten;
		return true;
	case R_PMOVSSET:
	case R_PMOVSCLR:
		*val = read_sysreg(pmovsset_el0) & counter_mask();
		return true;
	case R_PMSELR:
		*val = read_sysreg(pmselr_el0) & PMSELR_SEL;
		return true;
	case R_PMUSERENR:
		*val = p->userenr;
		return true;
	case R_PMCEID0:
		*val = read_sysreg(pmceid0_el0) & ceid_mask;
		return true;
	case R_PMCEID1:
		*val = read_sysreg(pmceid1_el0) & ceid_mask;
		return true;
	case R_PMCCNTR:
		*val = read_sysreg(pmccntr_el0);
		return true;
	case R_PMMIR: /* only from PMUv3p4: before, reading it is undefined */
		if (pmu_version() < PMUVER_V3P4) {
			return false;
		}
		*val = read_sysreg(s3_0_c9_c14_6);
		return true;
	}
	return false; /* PMSWINC is write-only */
}

static bool control_write(struct vcpu *v, unsigned reg, uint64_t val, bool el0)
{
	struct vpmu *p = &v->pmu;

	switch (reg) {
	case R_PMCR:
		pmcr_write(v, val);
		return true;
	case R_PMCNTENSET:
	case R_PMCNTENCLR:
	case R_PMINTENSET:
	case R_PMINTENCLR:
	case R_PMOVSSET:
	case R_PMOVSCLR:
		set_clear(v, reg, val);
		return true;
	case R_PMSWINC:
		swinc(v, (uint32_t)val, el0);
		return true;
	case R_PMSELR:
		write_sysreg(pmselr_el0, val & PMSELR_SEL);
		return true;
	case R_PMUSERENR:
		p->userenr = (uint32_t)val & PMUSERENR_ALL;
		write_sysreg(pmuserenr_el0, p->userenr);
		return true;
	case R_PMCCNTR:
		write_sysreg(pmccntr_el0, val);
		return true;
	}
	return false; /* PMCEID0/1 and PMMIR are read-only */
}

static bool emulate(struct vcpu *v, unsigned reg, bool read, uint64_t *val, bool el0)
{
	unsigned crm = (reg >> 3) & 0xf, sel = read_sysreg(pmselr_el0) & PMSELR_SEL;

	if (reg >> 7 == ENC(3, 14, 0, 0) >> 7) { /* PMEVCNTR/PMEVTYPER<n>_EL0 */
		unsigned n = ((crm & 3) << 3) | (reg & 7);

		return crm >= 12 ? filter_access(v, n, read, val)
				 : counter_access(v, n, read, val);
	}
	if (reg == R_PMXEVTYPER) {
		return filter_access(v, sel, read, val);
	}
	if (reg == R_PMXEVCNTR) {
		return counter_access(v, sel, read, val);
	}
	return read ? control_read(v, reg, val) : control_write(v, reg, *val, el0);
}

bool vpmu_access(struct vcpu *v, uint64_t esr)
{
	unsigned reg = ENC(FIELD_GET(ESR_SYS_OP1, esr), FIELD_GET(ESR_SYS_CRN, esr),
			   FIELD_GET(ESR_SYS_CRM, esr), FIELD_GET(ESR_SYS_OP2, esr));
	unsigned rt = FIELD_GET(ESR_SYS_RT, esr);
	bool read = esr & ESR_SYS_READ;
	bool el0 = (v->regs.pstate & PSR_MODE_MASK) == PSR_MODE_EL0T;
	uint64_t val = vcpu_get_reg(v, rt);

	if (el0 && !el0_allowed(&v->pmu, reg, read)) {
		return false;
	}
	if (!v->pmu.active) {
		v->pmu.active = true; /* its reset state, into the hardware */
		hw_load(v);
	}
	if (!emulate(v, reg, read, &val, el0)) {
		return false;
	}
	if (read) {
		vcpu_set_reg(v, rt, val);
	}
	return true;
}
