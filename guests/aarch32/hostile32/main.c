/*
 * hostile32: the CP15/CP14 counterpart of guests/hostile's sysreg phase,
 * for a 32-bit guest: every coprocessor register encoding a 32-bit EL1 can
 * name, read and written, must either complete or be undefined, and none
 * of the hypervisor's (opc1 = 4) may complete.
 *
 * Four sweeps, in this order:
 *   cp15     MRC and MCR p15, opc1 0-7, CRn 0-15, CRm 0-15, opc2 0-7;
 *   cp14     the same for p14 (debug, trace, ThumbEE, Jazelle);
 *   cp15-64  MRRC and MCRR p15, opc1 0-15, CRm 0-15;
 *   cp14-64  the same for p14.
 * Each access is generated at run time: the one instruction (Rt = r0, Rt2
 * = r1) and a "bx lr" written to a code buffer, made visible to
 * instruction fetches (clean to the point of unification, invalidate the
 * I-cache and branch predictors, Arm ARM G3.4.4) and called. A read starts
 * with r0 = r1 = MARKER; a write gives a pseudo-random value (a fixed
 * sequence per sweep), or an address in this VM's RAM to the CP15 cache
 * maintenance operations by address, whose random address could be
 * anything. Writes are skipped where they would only break this guest (its
 * translation, vectors, coprocessor access, its timers' control, the PMU's
 * and the debug unit's controls, the GIC CPU interface, whose writes
 * include SGIs); set/way maintenance is written like any other.
 *
 * The answer to each access must be that it completes, or exactly one
 * undefined-instruction exception taken to Undefined mode at that very
 * instruction, from SVC mode in ARM state (the handler steps over it).
 * Anything else (another exception, several, one elsewhere) counts as
 * "other"; the first 8 of each sweep are printed, with any hyp encoding
 * that completed. Interrupts stay
 * masked throughout. Each sweep ends with:
 *   hostile32: SWEEP: attempts=N completed=N undefs=N other=N
 *   hostile32: SWEEP: reads completed=N, writes completed=N, writes skipped=N
 *   hostile32: SWEEP: hyp (opc1 4) encodings completed=N
 * (64-bit forms: opc1 4 and 6, where HTTBR, VTTBR, CNTVOFF and CNTHP_CVAL
 * are), then "hostile32: done" and PSCI SYSTEM_OFF.
 */
#include "guest32.h"

#define MARKER      0x686f7374U /* "host" */
#define MAX_REPORTS 8
#define RAM_BASE    0x40000000U
#define RAM_SIZE    (64U << 20)

/* Instruction encodings (Arm ARM F5.1): cond = AL, coproc, opc1, CRn/Rt2,
 * Rt, opc2, CRm. */
#define MRC(cp, o1, n, m, o2)  (0xee100010U | (o1) << 21 | (n) << 16 | (cp) << 8 | (o2) << 5 | (m))
#define MCR(cp, o1, n, m, o2)  (0xee000010U | (o1) << 21 | (n) << 16 | (cp) << 8 | (o2) << 5 | (m))
#define MRRC(cp, o1, m)        (0xec500000U | 1U << 16 | (cp) << 8 | (o1) << 4 | (m))
#define MCRR(cp, o1, m)        (0xec400000U | 1U << 16 | (cp) << 8 | (o1) << 4 | (m))
#define BX_LR                  0xe12fff1eU
#define MRS_R12_CPSR           0xe10fc000U /* mrs r12, cpsr */
#define MSR_SPSR_R12           0xe16ff00cU /* msr spsr_fsxc, r12 */

/* The code buffer: a page of its own, so that rewriting it makes QEMU
 * drop the translation of nothing else. */
static uint32_t stub[1024] __attribute__((aligned(4096)));
typedef uint64_t (*stub_fn)(uint32_t r0, uint32_t r1);

/* The access the stub makes: after SPSR_svc is set to the CPSR, which
 * Vireo's injected exception would put in SPSR_und anyway. QEMU (7.2)
 * does not load an AArch32 mode's SPSR when an AArch64 EL2 returns into
 * that mode, so that SPSR_und would read as the SPSR of the mode the
 * guest was in (docs/debugging.md); made equal, the two views agree. */
#define ACCESS (&stub[2])

/* What the last access raised. */
static volatile struct {
	unsigned n, und;
	uint32_t vector, pc, spsr;
} trap;

void guest32_exception(struct guest32_frame *f)
{
	uint32_t pc = guest32_fault_pc(f);

	if (pc != (uint32_t)ACCESS) {
		guest32_unhandled(f); /* not a probe: this guest's own bug */
	}
	trap.n++;
	trap.vector = f->vector;
	trap.pc = pc;
	trap.spsr = f->spsr;
	if (f->vector == VEC_UND && PSR_MODE(read_cpsr()) == MODE_UND) {
		trap.und++;
		guest32_skip_undef(f);
		return;
	}
	/* Anything else: back to the stub's caller, in ARM state, and
	 * hope; main() counts it. */
	f->ret = f->lr;
	f->spsr &= ~PSR_T;
}

static uint32_t rng_state;

static void rng_seed(uint32_t seed)
{
	rng_state = seed ^ 0x9e3779b9U;
}

/* xorshift32: a fixed sequence per seed. */
static uint32_t rng(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng_state = x;
	return x;
}


static stub_fn stub_write(uint32_t insn)
{
	stub[0] = MRS_R12_CPSR;
	stub[1] = MSR_SPSR_R12;
	stub[2] = insn;
	stub[3] = BX_LR;
	dsb();
	cp_write(15, 0, 7, 11, 1, (uint32_t)stub); /* DCCMVAU */
	dsb();
	cp_write(15, 0, 7, 5, 0, 0);               /* ICIALLU */
	cp_write(15, 0, 7, 5, 6, 0);               /* BPIALL */
	dsb();
	isb();
	return (stub_fn)stub;
}

struct sweep {
	const char *name;
	unsigned long attempts, completed, undefs, other;
	unsigned long reads, writes, skipped, hyp;
	unsigned reported;
	uint64_t start;
};

static void sweep_begin(struct sweep *s, const char *name, uint32_t seed)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->start = counter();
	rng_seed(seed);
	printf("hostile32: %s: start\n", name);
}

static void sweep_end(struct sweep *s)
{
	uint64_t ms = udiv64((counter() - s->start) * 1000, read_cntfrq(), NULL);

	printf("hostile32: %s: attempts=%lu completed=%lu undefs=%lu other=%lu\n", s->name,
	       s->attempts, s->completed, s->undefs, s->other);
	printf("hostile32: %s: reads completed=%lu, writes completed=%lu, writes skipped=%lu\n",
	       s->name, s->reads, s->writes, s->skipped);
	printf("hostile32: %s: hyp (opc1 4) encodings completed=%lu\n", s->name, s->hyp);
	printf("hostile32: %s: took %u ms\n", s->name, (uint32_t)ms);
}

/* The start of a report line: the access in assembly. */
static void report(const struct sweep *s, const char *mnemonic, unsigned cp, unsigned o1,
		   unsigned n, unsigned m, unsigned o2, int wide)
{
	if (wide) {
		printf("hostile32: %s: %s p%u, %u, r0, r1, c%u: ", s->name, mnemonic, cp, o1, m);
	} else {
		printf("hostile32: %s: %s p%u, %u, r0, c%u, c%u, %u: ", s->name, mnemonic, cp, o1, n,
		       m, o2);
	}
}

/* One access (mnemonic and the operands are for a report); a hyp
 * encoding's completion is printed too, among the first few reports. */
static void access(struct sweep *s, uint32_t insn, int write, int hyp, uint32_t value,
		   const char *mnemonic, unsigned cp, unsigned o1, unsigned n, unsigned m,
		   unsigned o2, int wide)
{
	stub_fn fn = stub_write(insn);

	s->attempts++;
	trap.n = trap.und = 0;
	fn(write ? value : MARKER, write ? rng() : MARKER);
	if (trap.n == 0) {
		s->completed++;
		s->hyp += hyp;
		if (write) {
			s->writes++;
		} else {
			s->reads++;
		}
		if (hyp && s->reported++ < MAX_REPORTS) {
			report(s, mnemonic, cp, o1, n, m, o2, wide);
			printf("completed (a hypervisor's register)\n");
		}
		return;
	}
	if (trap.n == 1 && trap.und == 1 && trap.pc == (uint32_t)ACCESS &&
	    PSR_MODE(trap.spsr) == MODE_SVC && !(trap.spsr & PSR_T)) {
		s->undefs++;
		return;
	}
	s->other++;
	if (s->reported++ >= MAX_REPORTS) {
		return;
	}
	report(s, mnemonic, cp, o1, n, m, o2, wide);
	printf("%u exceptions, the last vector %u at pc 0x%08x (stub 0x%08x), spsr 0x%08x\n",
	       trap.n, trap.vector, trap.pc, (uint32_t)ACCESS, trap.spsr);
}

/* (opc1, CRn, CRm, opc2) of a 32-bit register. */
#define R(o1, n, m, o2) ((o1) << 12 | (n) << 8 | (m) << 4 | (o2))

/* Writes that would break this guest itself: read, never written. */
static const uint32_t cp15_deny[] = {
	R(0, 1, 0, 0),   /* SCTLR */
	R(0, 1, 0, 2),   /* CPACR */
	R(0, 2, 0, 0),   /* TTBR0 */
	R(0, 2, 0, 1),   /* TTBR1 */
	R(0, 2, 0, 2),   /* TTBCR */
	R(0, 3, 0, 0),   /* DACR */
	R(0, 4, 6, 0),   /* ICC_PMR */
	R(0, 9, 12, 0),  /* PMCR */
	R(0, 9, 12, 1),  /* PMCNTENSET */
	R(0, 9, 14, 0),  /* PMUSERENR */
	R(0, 9, 14, 1),  /* PMINTENSET */
	R(0, 9, 14, 3),  /* PMOVSSET */
	R(0, 12, 0, 0),  /* VBAR */
	R(0, 14, 2, 1),  /* CNTP_CTL */
	R(0, 14, 3, 1),  /* CNTV_CTL */
};

static const uint32_t cp14_deny[] = {
	R(0, 0, 2, 2),   /* DBGDSCRext: debug enables */
	R(0, 1, 0, 4),   /* DBGOSLAR: the OS lock */
	R(0, 1, 3, 4),   /* DBGOSDLR: the OS double lock */
};

static int listed(const uint32_t *list, unsigned len, uint32_t reg)
{
	for (unsigned i = 0; i < len; i++) {
		if (list[i] == reg) {
			return 1;
		}
	}
	return 0;
}

static int write_denied(unsigned cp, unsigned o1, unsigned n, unsigned m, unsigned o2)
{
	uint32_t reg = R(o1, n, m, o2);

	if (cp == 14) {
		return listed(cp14_deny, sizeof(cp14_deny) / sizeof(cp14_deny[0]), reg);
	}
	/* The GIC CPU interface (ICC_*, CRn 12, CRm 8-15): EOIs, priorities,
	 * enables and SGIs are for a guest that tests the GIC. */
	if (n == 12 && m >= 8) {
		return 1;
	}
	return listed(cp15_deny, sizeof(cp15_deny) / sizeof(cp15_deny[0]), reg);
}

/* CP15 cache maintenance by address (ICIMVAU, BPIMVA, DCIMVAC, DCCMVAC,
 * DCCMVAU, DCCIMVAC): given an address in this VM's RAM. */
static int by_address(unsigned cp, unsigned o1, unsigned n, unsigned m, unsigned o2)
{
	return cp == 15 && o1 == 0 && n == 7 &&
	       ((o2 == 1 && (m == 5 || m == 6 || m == 10 || m == 11 || m == 14)) ||
		(m == 5 && o2 == 7));
}

static void sweep32(unsigned cp, uint32_t seed)
{
	struct sweep s;

	sweep_begin(&s, cp == 15 ? "cp15" : "cp14", seed);
	for (unsigned o1 = 0; o1 < 8; o1++) {
		for (unsigned n = 0; n < 16; n++) {
			for (unsigned m = 0; m < 16; m++) {
				for (unsigned o2 = 0; o2 < 8; o2++) {
					int hyp = o1 == 4;
					uint32_t v = rng();

					if (by_address(cp, o1, n, m, o2)) {
						v = RAM_BASE + (v & (RAM_SIZE - 1) & ~63U);
					}
					access(&s, MRC(cp, o1, n, m, o2), 0, hyp, 0, "mrc", cp, o1, n, m,
					       o2, 0);
					if (write_denied(cp, o1, n, m, o2)) {
						s.skipped++;
						continue;
					}
					access(&s, MCR(cp, o1, n, m, o2), 1, hyp, v, "mcr", cp, o1, n, m,
					       o2, 0);
				}
			}
		}
	}
	sweep_end(&s);
}

/* 64-bit writes that would break this guest: the translation table bases
 * (TTBR0, TTBR1) and the GIC's SGI registers (ICC_SGI1R, ICC_ASGI1R,
 * ICC_SGI0R), as for the 32-bit forms. */
static int write64_denied(unsigned cp, unsigned o1, unsigned m)
{
	return cp == 15 && ((m == 2 && o1 <= 1) || (m == 12 && o1 <= 2));
}

static void sweep64(unsigned cp, uint32_t seed)
{
	struct sweep s;

	sweep_begin(&s, cp == 15 ? "cp15-64" : "cp14-64", seed);
	for (unsigned o1 = 0; o1 < 16; o1++) {
		for (unsigned m = 0; m < 16; m++) {
			int hyp = o1 == 4 || o1 == 6;

			access(&s, MRRC(cp, o1, m), 0, hyp, 0, "mrrc", cp, o1, 0, m, 0, 1);
			if (write64_denied(cp, o1, m)) {
				s.skipped++;
				continue;
			}
			access(&s, MCRR(cp, o1, m), 1, hyp, rng(), "mcrr", cp, o1, 0, m, 0, 1);
		}
	}
	sweep_end(&s);
}

int main(void)
{
	printf("hostile32: start: mpidr 0x%08x, midr 0x%08x\n", read_mpidr(),
	       cp_read(15, 0, 0, 0, 0));
	sweep32(15, 15);
	sweep32(14, 14);
	sweep64(15, 1564);
	sweep64(14, 1464);
	printf("hostile32: done\n");
	psci_system_off();
}
