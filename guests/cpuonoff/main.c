/*
 * cpuonoff: hammers PSCI CPU_OFF/CPU_ON and SYSTEM_RESET on several vCPUs
 * and checks that every start finds the vCPU in its reset state.
 *
 * A vCPU that PSCI starts (CPU_ON, or a VM reset for vCPU 0) must begin
 * with its EL1 registers and its FP/SIMD registers as reset leaves them,
 * whatever it did in its previous life and whichever physical CPU handled
 * the call. Each start here checks, before touching anything: SCTLR_EL1.I
 * clear, VBAR_EL1 (other vCPUs only: start.S sets vCPU 0's), CPACR_EL1,
 * TPIDR_EL1, TPIDR_EL0 and CONTEXTIDR_EL1 zero, then (FP/SIMD enabled at
 * EL1) FPCR and V0 zero. Then it dirties every one of them and goes away
 * again; a start that finds any of them dirty counts as clobbered.
 *
 * The hammer: vCPU 0 makes ROUNDS starts of the other vCPUs, with CPU_ON
 * in a tight loop over them. Each start reports its round and at once
 * calls CPU_OFF; a CPU_ON that finds its target still on (ALREADY_ON: the
 * old life is on its way off) or not yet started (ON_PENDING) is tried
 * again at once, so each start lands the moment its target is off, racing
 * with the end of the old life on the target's own CPU. A CPU_ON succeeds
 * only once its target has reported its last round.
 *
 * The reset: every vCPU then dirties its state and spins, and one of them,
 * chosen by the counter, calls SYSTEM_RESET. Memory does not survive a
 * reset, so the next boot cannot count boots: it checks vCPU 0's state at
 * main(), prints what it found, and hammers and resets again, forever. The
 * integration test reads the lines of several boots.
 *
 * Lines: "cpuonoff: boot: vCPU 0 state clean" (or "... clobbered: ..."),
 * "cpuonoff: N rounds, clobbered=K (...)", "cpuonoff: SYSTEM_RESET from
 * vCPU n".
 */
#include "guest.h"
#include "vireo_pv.h"

#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xc4000003U
#define PSCI_AFFINITY_INFO 0xc4000004U
#define PSCI_SUCCESS 0
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)

#define MAX_VCPUS 8
#define ROUNDS 3000
#define STACK_SIZE 8192 /* secondary.S's */
#define TIMEOUT_S 20

#define SCTLR_I (1UL << 12)
#define CPACR_FPEN (3UL << 20)
#define FPCR_RMODE_ZERO (3UL << 22)

/* The registers a start checks: what reset must leave at zero. */
struct state {
	uint64_t vbar, sctlr_i, cpacr, tpidr_el1, tpidr_el0, contextidr;
	uint64_t fpcr, v0_lo, v0_hi;
};

/* What one secondary vCPU reports, written by it alone. */
struct slot {
	volatile uint32_t done;     /* the last round it finished */
	volatile uint32_t spinning; /* it is spinning for the reset */
	uint32_t el1_clobbers, fp_clobbers;
	uint32_t first_round;       /* the first clobbered start's round */
	struct state first;         /* and what it found */
};

enum phase { PHASE_HAMMER, PHASE_SPIN };

static struct slot slots[MAX_VCPUS];
static volatile enum phase phase;
static volatile unsigned reset_from;
static volatile uint32_t go_reset;
uint8_t cpuonoff_stacks[MAX_VCPUS][STACK_SIZE] __attribute__((aligned(16)));
extern char cpuonoff_secondary_entry[];

static uint64_t now(void)
{
	return read_sysreg(cntvct_el0);
}

static uint64_t seconds(unsigned s)
{
	return read_sysreg(cntfrq_el0) * s;
}

static void store_release(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint32_t load_acquire(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Reads the state as this vCPU started with it. CPACR_EL1 is read before
 * FP/SIMD is enabled at EL1, which reading FPCR and V0 needs. */
static void read_state(struct state *s)
{
	uint64_t lo, hi, fpcr;

	s->vbar = read_sysreg(vbar_el1);
	s->sctlr_i = read_sysreg(sctlr_el1) & SCTLR_I;
	s->cpacr = read_sysreg(cpacr_el1);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->contextidr = read_sysreg(contextidr_el1);
	write_sysreg(cpacr_el1, CPACR_FPEN);
	isb();
	__asm__ volatile(".arch_extension fp\n"
			 ".arch_extension simd\n"
			 "mrs %2, fpcr\n"
			 "fmov %0, d0\n"
			 "fmov %1, v0.d[1]\n"
			 : "=r"(lo), "=r"(hi), "=r"(fpcr));
	s->fpcr = fpcr;
	s->v0_lo = lo;
	s->v0_hi = hi;
}

static int el1_dirty(const struct state *s, int check_vbar)
{
	return (check_vbar && s->vbar) || s->sctlr_i || s->cpacr || s->tpidr_el1 ||
	       s->tpidr_el0 || s->contextidr;
}

static int fp_dirty(const struct state *s)
{
	return s->fpcr || s->v0_lo || s->v0_hi;
}

/* Leaves every checked register nonzero (FP/SIMD is enabled already). */
static void dirty_state(uint64_t mark)
{
	guest_install_vectors();
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_I);
	write_sysreg(tpidr_el1, mark);
	write_sysreg(tpidr_el0, ~mark);
	write_sysreg(contextidr_el1, (mark & 0xffff) | 1);
	isb();
	__asm__ volatile(".arch_extension fp\n"
			 ".arch_extension simd\n"
			 "msr fpcr, %2\n"
			 "fmov d0, %0\n"
			 "fmov v0.d[1], %1\n"
			 :
			 : "r"(mark), "r"(~mark), "r"(FPCR_RMODE_ZERO));
}

static void print_state(const char *who, const struct state *s)
{
	printf("cpuonoff: %s: VBAR 0x%lx SCTLR.I %lu CPACR 0x%lx TPIDR_EL1 0x%lx "
	       "TPIDR_EL0 0x%lx CONTEXTIDR 0x%lx FPCR 0x%lx V0 0x%016lx%016lx\n",
	       who, s->vbar, s->sctlr_i >> 12, s->cpacr, s->tpidr_el1, s->tpidr_el0,
	       s->contextidr, s->fpcr, s->v0_hi, s->v0_lo);
}

/* --- the other vCPUs ---------------------------------------------------- */

static void record(struct slot *sl, uint32_t round, const struct state *s)
{
	int el1 = el1_dirty(s, 1), fp = fp_dirty(s);

	if ((el1 || fp) && sl->el1_clobbers + sl->fp_clobbers == 0) {
		sl->first_round = round;
		sl->first = *s;
	}
	sl->el1_clobbers += el1;
	sl->fp_clobbers += fp;
}

/* Every start of a secondary vCPU (secondary.S): ctx = (round << 8) | index. */
void cpuonoff_secondary(uint64_t ctx)
{
	unsigned t = ctx & 0xff;
	uint32_t round = (uint32_t)(ctx >> 8);
	struct slot *sl = &slots[t];
	struct state s;

	read_state(&s);
	record(sl, round, &s);
	dirty_state(0xc0de000000000000UL | ctx);
	if (phase == PHASE_SPIN) {
		store_release(&sl->spinning, 1);
		if (reset_from == t) {
			while (!load_acquire(&go_reset)) {
			}
			hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		}
		for (;;) {
		}
	}
	store_release(&sl->done, round);
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
	for (;;) {
	}
}

/* --- vCPU 0 --------------------------------------------------------------- */

static int64_t cpu_on(unsigned t, uint32_t round)
{
	__asm__ volatile("dsb ish" ::: "memory");
	return (int64_t)(int32_t)hvc_call(PSCI_CPU_ON, t,
					   (uint64_t)(uintptr_t)cpuonoff_secondary_entry,
					   ((uint64_t)round << 8) | t);
}

static unsigned count_vcpus(void)
{
	unsigned n = 1;

	while (n < MAX_VCPUS &&
	       (int64_t)(int32_t)hvc_call(PSCI_AFFINITY_INFO, n, 0, 0) != PSCI_INVALID_PARAMETERS) {
		n++;
	}
	return n;
}

struct hammer {
	uint32_t round[MAX_VCPUS]; /* the last round started */
	uint64_t since[MAX_VCPUS]; /* when it started */
	unsigned started, already_on, on_pending;
};

static int unexpected(const char *what, unsigned t, int64_t r)
{
	printf("cpuonoff: %s of vCPU %u answered %ld (BUG)\n", what, t, r);
	return 0;
}

/* One CPU_ON of target t for its next round. A refusal (ALREADY_ON while
 * the last life runs or goes off, ON_PENDING before its CPU started it)
 * is tried again at the next step; a success means the target was off,
 * which it is only once it has reported its last round. 0: give up. */
static int step(struct hammer *h, unsigned t)
{
	int64_t r = cpu_on(t, h->round[t] + 1);
	uint32_t done;

	if (r == PSCI_ALREADY_ON) {
		h->already_on++;
	} else if (r == PSCI_ON_PENDING) {
		h->on_pending++;
	}
	if (r == PSCI_ALREADY_ON || r == PSCI_ON_PENDING) {
		if (h->round[t] && now() - h->since[t] > seconds(TIMEOUT_S)) {
			printf("cpuonoff: vCPU %u never went off after round %u (BUG)\n", t,
			       h->round[t]);
			return 0;
		}
		return 1;
	}
	if (r != PSCI_SUCCESS) {
		return unexpected("CPU_ON", t, r);
	}
	/* It may have run its new round already (it shares this CPU). */
	done = load_acquire(&slots[t].done);
	if (done != h->round[t] && done != h->round[t] + 1) {
		printf("cpuonoff: vCPU %u started again before it reported round %u (BUG)\n", t,
		       h->round[t]);
		return 0;
	}
	h->round[t]++;
	h->since[t] = now();
	h->started++;
	return 1;
}

/* CPU_ON in a tight loop over the other vCPUs, each started again the
 * moment its last life is off: ROUNDS starts, then their reports. */
static void hammer(unsigned n)
{
	static struct hammer h; /* zero: main() runs once a boot */
	unsigned t, spins = 0, el1 = 0, fp = 0, rounds = 0;
	uint64_t deadline;

	while (h.started < ROUNDS) {
		for (t = 1; t < n && h.started < ROUNDS; t++) {
			if (!step(&h, t)) {
				return;
			}
		}
		/* A target that shares this vCPU's CPU needs turns. */
		if (++spins % 64 == 0) {
			vireo_yield();
		}
	}
	deadline = now() + seconds(TIMEOUT_S);
	for (t = 1; t < n; t++) {
		while (load_acquire(&slots[t].done) != h.round[t]) {
			if (now() > deadline) {
				printf("cpuonoff: vCPU %u never reported round %u (BUG)\n", t,
				       h.round[t]);
				return;
			}
			vireo_yield();
		}
		rounds += h.round[t];
		el1 += slots[t].el1_clobbers;
		fp += slots[t].fp_clobbers;
	}
	printf("cpuonoff: %u rounds, clobbered=%u (EL1 state %u, FP/SIMD %u)\n", rounds,
	       el1 + fp, el1, fp);
	printf("cpuonoff: CPU_ON refused meanwhile: ALREADY_ON %u, ON_PENDING %u\n",
	       h.already_on, h.on_pending);
	for (t = 1; t < n; t++) {
		if (slots[t].el1_clobbers + slots[t].fp_clobbers) {
			printf("cpuonoff: vCPU %u first clobbered in round %u (of %u clobbered):\n",
			       t, slots[t].first_round,
			       slots[t].el1_clobbers + slots[t].fp_clobbers);
			print_state("  found", &slots[t].first);
		}
	}
}

/* Every vCPU dirty and spinning, then one of them resets the VM. */
static void reset_while_spinning(unsigned n)
{
	uint64_t deadline = now() + seconds(TIMEOUT_S);
	unsigned t;

	phase = PHASE_SPIN;
	reset_from = (unsigned)((read_sysreg(cntpct_el0) >> 4) % n);
	for (t = 1; t < n; t++) {
		int64_t r;

		while ((r = cpu_on(t, 0)) == PSCI_ALREADY_ON || r == PSCI_ON_PENDING) {
		}
		if (r != PSCI_SUCCESS) {
			unexpected("CPU_ON", t, r);
			return;
		}
		while (!load_acquire(&slots[t].spinning)) {
			if (now() > deadline) {
				printf("cpuonoff: vCPU %u never started to spin (BUG)\n", t);
				return;
			}
		}
	}
	dirty_state(0xc0de0000ffff0000UL);
	printf("cpuonoff: SYSTEM_RESET from vCPU %u\n", reset_from);
	if (reset_from == 0) {
		hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		printf("cpuonoff: SYSTEM_RESET returned (BUG)\n");
		return;
	}
	store_release(&go_reset, 1);
	deadline = now() + seconds(TIMEOUT_S);
	while (now() < deadline) {
	}
	printf("cpuonoff: no reset from vCPU %u (BUG)\n", reset_from);
}

int main(void)
{
	struct state s;
	unsigned n;

	read_state(&s);
	if (el1_dirty(&s, 0) || fp_dirty(&s)) {
		printf("cpuonoff: boot: vCPU 0 state clobbered:\n");
		print_state("  found", &s);
	} else {
		printf("cpuonoff: boot: vCPU 0 state clean\n");
	}
	n = count_vcpus();
	printf("cpuonoff: %u vCPUs\n", n);
	if (n < 2) {
		printf("cpuonoff: needs 2 vCPUs or more\n");
		return 0;
	}
	hammer(n);
	reset_while_spinning(n);
	return 0;
}
