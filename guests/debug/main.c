/*
 * debug: self-hosted debug reaches the guest, and stays its own.
 *
 * At EL1, with the OS lock cleared and MDSCR_EL1.MDE and KDE set, the
 * guest (1) sets a hardware breakpoint (DBGBCR0/BVR0) on a function and
 * takes the breakpoint exception (EC 0x31) at its address; (2) sets a
 * watchpoint (DBGWCR0/WVR0) on a variable and takes the watchpoint
 * exception (EC 0x35) with the variable's address in FAR; (3) single-
 * steps (MDSCR.SS, SPSR.SS through an ERET to EL1) exactly one
 * instruction, also when that instruction traps to Vireo: an hvc Vireo
 * answers in its vector, one answered in C, an emulated MMIO load and a
 * trapped ID register read; each step exception (EC 0x33) must come
 * with ELR just past the instruction. (4) Its two vCPUs, which the test
 * places on one physical CPU, take turns there: vCPU 0 with a
 * breakpoint on debug_target_a, vCPU 1 first with no debug at all, then
 * with one on debug_target_b; each calls both functions every round and
 * must hit only its own breakpoint. (5) A watchpoint set to match at
 * EL2 too (HMC) over the low 2 GiB, where Vireo's code, data and
 * devices are, with KDE clear so that it matches nothing of the guest's
 * own: the hypercalls and MMIO that follow must not make Vireo take it.
 *
 * Lines: "debug: ..." per check, "debug: done" or "debug: FAILED".
 */
#include "guest.h"
#include "vireo_pv.h"

#define PSCI_CPU_ON 0xc4000003U
#define ROUNDS 8

#define MDSCR_SS (1UL << 0)
#define MDSCR_KDE (1UL << 13)
#define MDSCR_MDE (1UL << 15)

/* DBGBCR: E, PMC = EL1 and EL0, BAS = all four bytes. */
#define BCR_ENABLED (1UL | 3UL << 1 | 0xfUL << 5)
/* DBGWCR: E, PAC = EL1 and EL0, LSC = loads and stores, BAS = 8 bytes. */
#define WCR_ENABLED (1UL | 3UL << 1 | 3UL << 3 | 0xffUL << 5)
#define WCR_HMC (1UL << 13)
#define WCR_MASK(bits) ((uint64_t)(bits) << 24)

#define EC_BREAKPOINT_CUR 0x31
#define EC_STEP_CUR 0x33
#define EC_WATCHPOINT_CUR 0x35

uint64_t debug_target_a(uint64_t);
uint64_t debug_target_b(uint64_t);
void debug_step(void (*code)(void), uint64_t x0, uint64_t x2);
extern char debug_step_return[];
extern char step_add[], step_hvc[], step_mmio[], step_idreg[];
static uint8_t debug_stack[8192] __attribute__((aligned(16))); /* vCPU 1's */

/* What each vCPU's handler saw. */
struct seen {
	unsigned n;
	uint64_t esr, elr, far, x0;
	unsigned hits_a, hits_b;
};
static volatile struct seen seen[2];
static volatile uint64_t watched __attribute__((aligned(8)));
static volatile unsigned announced[2], failures;

static unsigned cpu_id(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

void guest_exception(struct guest_frame *f, int vector)
{
	volatile struct seen *s = &seen[cpu_id()];
	unsigned ec = ESR_EC(f->esr);

	if (vector != VEC_CUR_SPX_SYNC) {
		guest_unhandled(f, vector);
	}
	s->n++;
	s->esr = f->esr;
	s->elr = f->elr;
	s->far = f->far;
	s->x0 = f->x[0];
	if (ec == EC_BREAKPOINT_CUR && f->elr == (uint64_t)debug_target_a) {
		s->hits_a++;
		f->elr = f->x[30]; /* as if the function had returned */
	} else if (ec == EC_BREAKPOINT_CUR && f->elr == (uint64_t)debug_target_b) {
		s->hits_b++;
		f->elr = f->x[30];
	} else if (ec == EC_WATCHPOINT_CUR) {
		write_sysreg(dbgwcr0_el1, 0); /* the access then completes */
	} else if (ec == EC_STEP_CUR) {
		write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) & ~MDSCR_SS);
		f->elr = (uint64_t)debug_step_return;
		f->spsr = 0x3c5; /* EL1h, DAIF masked, SS clear */
	} else {
		guest_unhandled(f, vector);
	}
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		failures++;
	}
	printf("debug: %s: %s\n", what, ok ? "ok" : "WRONG");
}

static void debug_on(void)
{
	write_sysreg(oslar_el1, 0);
	isb();
	write_sysreg(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	isb();
	__asm__ volatile("msr daifclr, #8" ::: "memory");
}

static void test_idregs(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	printf("debug: %lu breakpoints, %lu watchpoints, double lock field 0x%lx\n",
	       (dfr0 >> 12 & 0xf) + 1, (dfr0 >> 20 & 0xf) + 1, dfr0 >> 36 & 0xf);
	printf("debug: OSLSR_EL1 at reset 0x%lx\n", read_sysreg(oslsr_el1));
	write_sysreg(oslar_el1, 0);
	isb();
	printf("debug: OSLSR_EL1 unlocked 0x%lx\n", read_sysreg(oslsr_el1));
	write_sysreg(osdlr_el1, 1);
	isb();
	printf("debug: OSDLR_EL1 after writing 1: 0x%lx\n", read_sysreg(osdlr_el1));
}

static void test_breakpoint(void)
{
	volatile struct seen *s = &seen[0];
	uint64_t r;

	write_sysreg(dbgbvr0_el1, (uint64_t)debug_target_a);
	write_sysreg(dbgbcr0_el1, BCR_ENABLED);
	isb();
	s->n = 0;
	r = debug_target_a(41);
	check(s->n == 1 && ESR_EC(s->esr) == EC_BREAKPOINT_CUR &&
		      s->elr == (uint64_t)debug_target_a && r == 41,
	      "breakpoint taken at the function, EC 0x31");
	printf("debug: breakpoint: esr 0x%lx\n", s->esr);
	write_sysreg(dbgbcr0_el1, 0);
	isb();
	check(debug_target_a(41) == 42 && s->n == 1, "breakpoint disabled: the function runs");
}

static void test_watchpoint(void)
{
	volatile struct seen *s = &seen[0];

	write_sysreg(dbgwvr0_el1, (uint64_t)&watched);
	write_sysreg(dbgwcr0_el1, WCR_ENABLED);
	isb();
	s->n = 0;
	watched = 7;
	check(s->n == 1 && ESR_EC(s->esr) == EC_WATCHPOINT_CUR &&
		      s->far == (uint64_t)&watched && watched == 7,
	      "watchpoint taken with the variable's address in FAR, EC 0x35");
	printf("debug: watchpoint: esr 0x%lx\n", s->esr);
}

static void step(const char *what, char *code, uint64_t x0, uint64_t x2, uint64_t want_x0)
{
	volatile struct seen *s = &seen[0];
	char line[96];
	unsigned i = 0;

	s->n = 0;
	/* With D clear, MDSCR.SS and PSTATE.SS 0 would be a step pending at
	 * once, here: D is masked until debug_step()'s ERET. */
	__asm__ volatile("msr daifset, #8" ::: "memory");
	write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) | MDSCR_SS);
	isb();
	debug_step((void (*)(void))code, x0, x2);
	__asm__ volatile("msr daifclr, #8" ::: "memory");
	for (const char *p = "one step over "; *p; p++) {
		line[i++] = *p;
	}
	for (; *what && i < sizeof(line) - 1; what++) {
		line[i++] = *what;
	}
	line[i] = 0;
	check(s->n == 1 && ESR_EC(s->esr) == EC_STEP_CUR && s->elr == (uint64_t)code + 4 &&
		      s->x0 == want_x0,
	      line);
	if (s->elr != (uint64_t)code + 4 || s->x0 != want_x0) {
		printf("debug: step: elr code+%ld, x0 0x%lx\n", (long)(s->elr - (uint64_t)code),
		       s->x0);
	}
}

static void test_step(void)
{
	step("an add", step_add, 1, 0, 2);
	step("an hvc answered in Vireo's vector", step_hvc, VIREO_FN_NULL, 0, 0);
	step("an hvc answered in C", step_hvc, VIREO_FN_VERSION, 0, 0x10000);
	step("an emulated MMIO load", step_mmio, 0, GUEST_UART_BASE + 0xfe0, 0x11);
	step("a trapped ID register read", step_idreg, 0, 0, read_sysreg(id_aa64dfr0_el1));
}

/* Calls both targets every round, in turns with the other vCPU. */
static void rounds(unsigned id, unsigned from, unsigned to)
{
	unsigned other = 1 - id, r;

	for (r = from; r < to; r++) {
		debug_target_a(0);
		debug_target_b(0);
		announced[id] = r + 1;
		while (announced[other] < r + 1) {
		}
	}
}

static void debug_secondary(void)
{
	volatile struct seen *s = &seen[1];

	guest_install_vectors();
	rounds(1, 0, ROUNDS); /* no debug at all: vCPU 0's must not fire here */
	printf("debug: vCPU 1 without debug: hits a=%u b=%u\n", s->hits_a, s->hits_b);
	debug_on();
	write_sysreg(dbgbvr0_el1, (uint64_t)debug_target_b);
	write_sysreg(dbgbcr0_el1, BCR_ENABLED);
	isb();
	rounds(1, ROUNDS, 2 * ROUNDS);
	printf("debug: vCPU 1 with its own: hits a=%u b=%u\n", s->hits_a, s->hits_b);
	announced[1] = 100;
	for (;;) {
		__asm__ volatile("wfi");
	}
}

static void test_two_vcpus(void)
{
	volatile struct seen *s = &seen[0];

	write_sysreg(dbgbvr0_el1, (uint64_t)debug_target_a);
	write_sysreg(dbgbcr0_el1, BCR_ENABLED);
	isb();
	s->hits_a = s->hits_b = 0;
	static const struct guest_start start = { debug_stack + sizeof(debug_stack),
						  debug_secondary };

	if (guest_cpu_on(1, &start) != 0) {
		check(false, "CPU_ON");
		return;
	}
	rounds(0, 0, 2 * ROUNDS);
	while (announced[1] != 100) {
	}
	printf("debug: vCPU 0: hits a=%u b=%u\n", s->hits_a, s->hits_b);
	check(s->hits_a == 2 * ROUNDS && s->hits_b == 0 && seen[1].hits_a == 0 &&
		      seen[1].hits_b == ROUNDS,
	      "two vCPUs on one CPU each take only their own breakpoint");
	write_sysreg(dbgbcr0_el1, 0);
	isb();
}

static void test_el2_untouched(void)
{
	unsigned i, sum = 0;

	write_sysreg(mdscr_el1, MDSCR_MDE); /* KDE clear: nothing at the guest's EL1 */
	isb();
	write_sysreg(dbgwvr1_el1, 0);
	write_sysreg(dbgwcr1_el1, WCR_ENABLED | WCR_HMC | WCR_MASK(31));
	isb();
	seen[0].n = 0;
	for (i = 0; i < 100; i++) {
		sum += (unsigned)hvc_call(VIREO_FN_VERSION, 0, 0, 0) == 0x10000;
		sum += guest_peek32(GUEST_UART_BASE + 0xfe0) == 0x11;
	}
	write_sysreg(dbgwcr1_el1, 0);
	write_sysreg(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	isb();
	check(sum == 200 && seen[0].n == 0,
	      "a watchpoint matching EL2 over 2 GiB: 100 hypercalls and 100 MMIO loads, none taken");
}

int main(void)
{
	puts("debug: start");
	test_idregs();
	debug_on();
	test_breakpoint();
	test_watchpoint();
	test_step();
	test_el2_untouched();
	test_two_vcpus();
	puts(failures ? "debug: FAILED" : "debug: done");
	psci_system_off();
}
