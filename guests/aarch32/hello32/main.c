/*
 * hello32: the smallest 32-bit guest that exercises the AArch32 VM
 * contract (issue 18).
 *
 * It prints its entry state (mode, CPSR, r0-r2, the device tree at r2),
 * takes undefined-instruction exceptions in ARM state and in 16- and
 * 32-bit Thumb and returns past each, reads CP15 registers a hypervisor
 * traps (ID_PFR1 and ID_DFR0, the EL1 physical timer) and ones it does not
 * (CNTFRQ, the virtual counter), runs trapped instructions whose condition
 * fails (WFI and WFE, MRC and MCR, in ARM state and in Thumb IT blocks:
 * none may execute, wait or write its register, and the IT state must
 * carry on), asks PSCI and SMCCC their versions (an SMC64 ID must be
 * refused from AArch32) and powers off with PSCI SYSTEM_OFF. Every line
 * starts "hello32: " and is checked by tests/integration/
 * cases_aarch32_guests.py; lines ending in "yes" say "no" when the check
 * fails.
 */
#include "guest32.h"

#define MARKER 0x6d61726bU /* probes.S's */

/* CNTP_CTL (Arm ARM G8.7.8). */
#define CTL_ENABLE  1U
#define CTL_IMASK   2U
#define CTL_ISTATUS 4U

extern void udf_arm(void), udf_thumb16(void), udf_thumb32(void);
extern char udf_arm_insn[], udf_thumb16_insn[], udf_thumb32_insn[];
extern uint32_t wfx_cond_fail(void), it_wfi(void), it_mrc(uint32_t out[2]);

/* What the last undefined-instruction exception looked like. */
static volatile struct {
	unsigned n;
	uint32_t mode, spsr, pc, lr_offset, insn;
} undef;

void guest32_exception(struct guest32_frame *f)
{
	if (f->vector != VEC_UND) {
		guest32_unhandled(f);
	}
	undef.n++;
	undef.mode = PSR_MODE(read_cpsr());
	undef.spsr = f->spsr;
	undef.pc = guest32_skip_undef(f);
	undef.lr_offset = f->lr_exc - undef.pc;
	if (!(f->spsr & PSR_T)) {
		undef.insn = *(volatile uint32_t *)undef.pc;
	} else if (f->ret - undef.pc == 4) { /* a 32-bit Thumb one: first halfword high */
		undef.insn = (uint32_t)*(volatile uint16_t *)undef.pc << 16 |
			     *(volatile uint16_t *)(undef.pc + 2);
	} else {
		undef.insn = *(volatile uint16_t *)undef.pc;
	}
}

static const char *yes(int ok)
{
	return ok ? "yes" : "no";
}

static void entry_state(void)
{
	uint32_t r2 = guest32_boot_r2;
	int fdt = r2 && (r2 & 3) == 0 && be32_at(r2) == FDT_MAGIC;

	printf("hello32: hello from a 32-bit Vireo guest\n");
	printf("hello32: entered in %s mode, cpsr=0x%08x, r0=0x%x r1=0x%08x\n",
	       mode_name(guest32_boot_cpsr), guest32_boot_cpsr, guest32_boot_r0, guest32_boot_r1);
	printf("hello32: r2=0x%08x: device tree magic there: %s\n", r2, yes(fdt));
	printf("hello32: loaded at 0x%08x, running at 0x%08x\n", guest32_loaded_at, 0x40008000U);
	printf("hello32: mpidr=0x%08x\n", read_mpidr());
}

static void one_undef(const char *what, void (*fn)(void), const char *insn_label)
{
	unsigned before = undef.n;

	fn();
	printf("hello32: undefined instruction (%s): taken %u time(s), in %s mode from %s, "
	       "lr = insn + %u, insn 0x%x, at the udf: %s, back past it\n",
	       what, undef.n - before, mode_name(undef.mode), mode_name(undef.spsr),
	       undef.lr_offset, undef.insn, yes(undef.pc == ((uint32_t)insn_label & ~1U)));
}

static void undefs(void)
{
	one_undef("ARM", udf_arm, udf_arm_insn);
	one_undef("Thumb, 16-bit", udf_thumb16, udf_thumb16_insn);
	one_undef("Thumb, 32-bit", udf_thumb32, udf_thumb32_insn);
}

static void id_registers(void)
{
	uint32_t pfr1 = cp_read(15, 0, 0, 1, 1), dfr0 = cp_read(15, 0, 0, 1, 2);

	printf("hello32: id_pfr1=0x%08x: virtualization %u, security %u\n", pfr1,
	       (pfr1 >> 12) & 0xf, (pfr1 >> 4) & 0xf);
	printf("hello32: id_dfr0=0x%08x: perfmon %u, copdbg %u\n", dfr0, (dfr0 >> 24) & 0xf,
	       dfr0 & 0xf);
}

/*
 * The EL1 physical timer, which Vireo traps and emulates: enabled but
 * masked (CNTP_CTL.IMASK), with interrupts masked at the CPU too, so
 * nothing is taken; ISTATUS says whether its condition is met.
 */
static void physical_timer(void)
{
	const uint32_t tval = 0x100000;

	cp_write(15, 0, 14, 2, 1, CTL_ENABLE | CTL_IMASK); /* CNTP_CTL */
	cp_write(15, 0, 14, 2, 0, tval);                   /* CNTP_TVAL */
	isb();
	uint32_t ctl = cp_read(15, 0, 14, 2, 1), left = cp_read(15, 0, 14, 2, 0);

	printf("hello32: cntp: tval=0x%x: ctl=0x%x, tval read back below it: %s\n", tval, ctl,
	       yes(left > 0 && left <= tval));
	/* A conditional write whose condition fails must not reach the timer. */
	__asm__ volatile("cmp %0, %0\n\t"
			 "mcrne p15, 0, %0, c14, c2, 0"
			 : : "r"(5U) : "cc", "memory");
	left = cp_read(15, 0, 14, 2, 0);
	printf("hello32: mcrne cntp_tval with Z set: not written: %s\n",
	       yes(left > 5 && left <= tval));
	cp_write(15, 0, 14, 2, 0, 0);
	isb();
	ctl = cp_read(15, 0, 14, 2, 1);
	printf("hello32: cntp: tval=0: ctl=0x%x, pending and masked, nothing taken: %s\n", ctl,
	       yes(ctl == (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS) && undef.n == 3));
	cp_write(15, 0, 14, 2, 1, 0);
	isb();
}

static void counters(void)
{
	uint32_t freq = read_cntfrq();
	uint64_t a = counter(), b = counter();

	printf("hello32: cntfrq=%u Hz, virtual counter advances: %s\n", freq, yes(b > a));
}

static void conditional(void)
{
	uint32_t v = MARKER, out[2] = { 0, 0 };

	printf("hello32: wfi/wfe whose condition fails: did not wait, flags kept: %s\n",
	       yes(wfx_cond_fail() == 7));
	printf("hello32: Thumb itete ne; wfine: the else arms ran: %s\n", yes(it_wfi() == 3));
	__asm__ volatile("cmp %1, %1\n\t"
			 "mrcne p15, 0, %0, c0, c1, 1"
			 : "+r"(v) : "r"(0) : "cc");
	printf("hello32: mrcne id_pfr1 with Z set: Rt untouched: %s\n", yes(v == MARKER));
	uint32_t r = it_mrc(out);
	printf("hello32: Thumb itet ne; mrcne id_pfr1: Rt untouched: %s, then ite eq; mrceq: "
	       "read it: %s\n", yes(r == 1 && out[0] == MARKER),
	       yes(r == 1 && out[1] == cp_read(15, 0, 0, 1, 1)));
}

static void calls(void)
{
	printf("hello32: psci version: 0x%x\n", psci_version());
	printf("hello32: psci features(SYSTEM_OFF): %d\n", (int)psci_features(PSCI_SYSTEM_OFF));
	printf("hello32: smccc version: 0x%x\n", hvc_call(SMCCC_VERSION, 0, 0, 0));
	printf("hello32: smc64 call from aarch32 (0xc4000003): %d\n",
	       (int)hvc_call(0xc4000003U, 0, 0, 0));
}

int main(void)
{
	entry_state();
	undefs();
	id_registers();
	physical_timer();
	counters();
	conditional();
	calls();
	printf("hello32: undefined-instruction exceptions: %u (3 expected)\n", undef.n);
	printf("hello32: powering off\n");
	psci_system_off();
}
