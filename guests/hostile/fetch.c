/*
 * fetch.c: the hostile guest's fetch phase, which tries to make Vireo read
 * device memory on its behalf (issue 14's review finding: fetch_insn() once
 * translated the PC with AT S12E1R and read the result directly, and on a
 * GICv2 host a guest's PC could be made to translate to the GICV page, which
 * EL2 never maps: Vireo faulted at EL2 and powered the machine off).
 *
 * A load Vireo cannot decode from the syndrome (ISV clear) makes it read
 * the instruction at the guest's PC: it translates the PC through the
 * guest's stage 1 (AT S1E1R) and reads the result through vm_ram_ptr().
 * The guest controls that translation. Here it fetches the instruction
 * through one (a TLB entry for the attack page) and then points its table
 * elsewhere without invalidating the entry, so that the walk Vireo asks
 * for resolves to the GICC page (on a GICv2 host the hardware's GICV page,
 * mapped in stage 2 but never in EL2's own map), the distributor, the UART,
 * PV time's page, an IPA outside the RAM or nothing. Or it points the
 * level-2 entry above at such a page, which makes the walk itself read it.
 * Each time the answer must be an external abort ("refused"): Vireo may
 * not read what is not RAM. When the CPU has dropped the entry meanwhile,
 * the fetch itself faults ("fetch-aborted"); "emulated" would mean Vireo
 * read the instruction from the RAM it used to be in (an AT that used the
 * stale entry, which the architecture allows). Each is tried ROUNDS times.
 */
#include "hostile.h"

struct pair {
	uint64_t val, base;
};

typedef struct pair (*attack_fn)(uint64_t addr, uint64_t val);
extern struct pair attack_ldpw(uint64_t, uint64_t), attack_ldr_post(uint64_t, uint64_t);
extern char attack_page[], attack_page_end[], attack_ldpw_insn[], attack_ldr_post_insn[];

#define ROUNDS 8
#define ATTACK_SLOT 0
#define EXEC_SLOT 1

static uint64_t in_alias(const void *p)
{
	return ALIAS(ATTACK_SLOT) + ((uint64_t)p - (uint64_t)attack_page);
}

struct attack {
	const char *name;
	attack_fn fn;
	const char *insn;
	uint64_t addr;
	unsigned step; /* the post-index */
};

/* Calls a routine of the attack page at its alias. */
static struct pair attack_call(const struct attack *a)
{
	attack_fn fn = (attack_fn)in_alias((const void *)a->fn);

	trap_clear();
	return fn(a->addr, MARKER);
}

/* Branches to va, which must not be executable: an instruction abort. */
static void exec_at(struct tally *t, const char *what, uint64_t va)
{
	window_lo = va;
	window_hi = va + 4;
	t->attempts++;
	trap_clear();
	((void (*)(void))va)();
	window_lo = window_hi = 0;
	if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_IABT_CUR && trap.elr == va &&
	    trap.far == va) {
		t->aborts++;
		printf("hostile: fetch: execute from %s: instruction abort (ifsc 0x%lx)\n", what,
		       ESR_FSC(trap.esr));
		return;
	}
	unexpected(t, "execute from %s (0x%lx): %u exceptions, esr 0x%lx elr 0x%lx far 0x%lx",
		   what, va, trap.n, trap.esr, trap.elr, trap.far);
}

/* The control: the attack page through its alias, mapped properly. What
 * it loads must be what a plain load reads. */
static int attack_control(struct tally *t, const struct attack *a)
{
	uint64_t want = a->step ? mmio_read32(a->addr)
				: mmio_read32(a->addr) | (uint64_t)mmio_read32(a->addr + 4) << 32;
	struct pair r;

	alias_set(ATTACK_SLOT, S1_PAGE((uint64_t)attack_page), 1);
	t->attempts++;
	r = attack_call(a);
	if (trap.n || r.val != want || r.base != a->addr + a->step) {
		unexpected(t, "%s from the attack page: %u exceptions (esr 0x%lx), loaded 0x%lx "
			   "(not 0x%lx), base 0x%lx", a->name, trap.n, trap.esr, r.val, want,
			   r.base);
		return 0;
	}
	return 1;
}

struct outcomes {
	unsigned long refused, fetch_aborted, emulated;
};

/* One round: the control (which leaves a TLB entry for the attack page),
 * then the remap by remap(arg) without maintenance, then the attack. */
static void attack_round(struct tally *t, struct outcomes *o, const struct attack *a,
			 void (*remap)(uint64_t), uint64_t arg, const char *target)
{
	uint64_t insn = in_alias(a->insn);
	struct pair r;

	if (!attack_control(t, a)) {
		return;
	}
	remap(arg);
	t->attempts++;
	r = attack_call(a);
	if (trap.n == 0) {
		o->emulated++;
	} else if (ESR_EC(trap.first_esr) == ESR_EC_DABT_CUR) {
		if (ESR_FSC(trap.first_esr) != ESR_DFSC_SEA || trap.first_far != a->addr ||
		    trap.first_elr != insn || (trap.n == 1 && r.base != a->addr) ||
		    (trap.n == 2 && ESR_EC(trap.esr) != ESR_EC_IABT_CUR) || trap.n > 2) {
			unexpected(t, "%s, code page remapped to %s: esr 0x%lx far 0x%lx elr 0x%lx "
				   "(insn 0x%lx), %u exceptions, base 0x%lx", a->name, target,
				   trap.first_esr, trap.first_far, trap.first_elr, insn, trap.n,
				   r.base);
		} else {
			o->refused++;
			t->aborts++;
		}
	} else if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_IABT_CUR &&
		   trap.elr >= ALIAS(ATTACK_SLOT) && trap.elr < ALIAS(ATTACK_SLOT + 1)) {
		o->fetch_aborted++;
		t->aborts++;
	} else {
		unexpected(t, "%s, code page remapped to %s: %u exceptions, esr 0x%lx elr 0x%lx",
			   a->name, target, trap.n, trap.esr, trap.elr);
	}
	/* Put everything back, with the maintenance this time. */
	pt_l2[ALIAS_BASE >> 21] = (uint64_t)pt_l3 | PTE_TABLE;
	alias_set(ATTACK_SLOT, S1_PAGE((uint64_t)attack_page), 1);
	tlbi_all();
}

static void remap_page(uint64_t pte)
{
	alias_set(ATTACK_SLOT, pte, 0);
}

static void remap_table(uint64_t pte)
{
	pt_l2[ALIAS_BASE >> 21] = pte;
	__asm__ volatile("dsb ish; isb" ::: "memory");
}

static void stale_attacks(struct tally *t)
{
	const struct attack attacks[] = {
		{ "ldp w to GICD_CTLR", attack_ldpw, attack_ldpw_insn, GICD_BASE, 0 },
		{ "post-indexed ldr to GICD_TYPER", attack_ldr_post, attack_ldr_post_insn,
		  GICD_BASE + 4, 4 },
		{ "ldp w to UARTFR", attack_ldpw, attack_ldpw_insn, UART_BASE + UARTFR, 0 },
	};
	const struct {
		const char *name;
		void (*remap)(uint64_t);
		uint64_t pte;
		int absent;
	} targets[] = {
		{ "the GICC page", remap_page, S1_PAGE(GICC_BASE), 0 },
		{ "the GICD page", remap_page, S1_PAGE(GICD_BASE), 0 },
		{ "the UART page", remap_page, S1_PAGE(UART_BASE), 0 },
		{ "PV time's page", remap_page, S1_PAGE(pvtime_page), !pvtime_page },
		{ "an IPA past the RAM", remap_page, S1_PAGE(ram_base + ram_size), 0 },
		{ "nothing (an invalid entry)", remap_page, 0, 0 },
		{ "a level-3 table in the GICC page", remap_table, GICC_BASE | PTE_TABLE, 0 },
		{ "a level-3 table in the GICD page", remap_table, GICD_BASE | PTE_TABLE, 0 },
		{ "a level-3 table past the RAM", remap_table, (ram_base + ram_size) | PTE_TABLE,
		  0 },
	};

	for (unsigned i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct outcomes o = { 0 };

		if (targets[i].absent) {
			continue;
		}
		for (unsigned k = 0; k < sizeof(attacks) / sizeof(attacks[0]); k++) {
			for (unsigned n = 0; n < ROUNDS; n++) {
				attack_round(t, &o, &attacks[k], targets[i].remap, targets[i].pte,
					     targets[i].name);
			}
		}
		printf("hostile: fetch: code page remapped to %s without TLB maintenance: "
		       "refused=%lu fetch-aborted=%lu emulated=%lu\n",
		       targets[i].name, o.refused, o.fetch_aborted, o.emulated);
	}
}

/* Hypercalls that read or share guest memory, given devices' IPAs: each
 * must be refused (INVALID_PARAMETERS; NOT_SUPPORTED where not offered). */
static void device_hypercalls(struct tally *t)
{
	const struct {
		uint32_t fid;
		uint64_t a1, a2;
	} calls[] = {
		{ VIREO_FN_CONSOLE_WRITE, GICC_BASE, 16 },
		{ VIREO_FN_CONSOLE_WRITE, GICC_BASE + 0x1000, 4096 },
		{ VIREO_FN_CONSOLE_WRITE, GICD_BASE, 16 },
		{ VIREO_FN_CONSOLE_WRITE, UART_BASE, 16 },
		{ VIREO_FN_CONSOLE_WRITE, pvtime_page ? pvtime_page : VIREO_PVTIME_IPA, 16 },
		{ VIREO_FN_CONSOLE_WRITE, ram_base + ram_size - 8, 16 },
		{ VIREO_FN_SHARED_PAGE, GICC_BASE, 0 },
		{ VIREO_FN_SHARED_PAGE, GICD_BASE, 0 },
		{ VIREO_FN_SHARED_PAGE, pvtime_page ? pvtime_page : VIREO_PVTIME_IPA, 0 },
		{ VIREO_FN_SHARED_PAGE, ram_base + ram_size, 0 },
	};
	unsigned refused = 0, n = sizeof(calls) / sizeof(calls[0]);

	for (unsigned i = 0; i < n; i++) {
		int64_t r;

		t->attempts++;
		trap_clear();
		r = (int64_t)hvc_call(calls[i].fid, calls[i].a1, calls[i].a2, 0);
		if (!trap.n && (r == VIREO_INVALID_PARAMETERS || r == VIREO_NOT_SUPPORTED)) {
			refused++;
		} else {
			unexpected(t, "hypercall 0x%x(0x%lx, 0x%lx) returned %ld (%u exceptions)",
				   calls[i].fid, calls[i].a1, calls[i].a2, r, trap.n);
		}
	}
	printf("hostile: fetch: hypercalls given devices' IPAs: refused=%u of %u\n", refused, n);
}

void phase_fetch(void)
{
	struct tally t;

	tally_begin(&t, "fetch");
	exec_at(&t, "the GICC page, MMU off", GICC_BASE);
	exec_at(&t, "the GICD page, MMU off", GICD_BASE);
	if (mmu_possible()) {
		mmu_on();
		alias_set(EXEC_SLOT, S1_PAGE(GICC_BASE), 1);
		exec_at(&t, "the GICC page, mapped executable", ALIAS(EXEC_SLOT));
		alias_set(EXEC_SLOT, S1_PAGE(GICC_BASE + 0x1000), 1);
		exec_at(&t, "the GICC page's second half, mapped executable", ALIAS(EXEC_SLOT));
		window_lo = ALIAS(ATTACK_SLOT);
		window_hi = ALIAS(ATTACK_SLOT + 1);
		stale_attacks(&t);
		window_lo = window_hi = 0;
		mmu_off();
	} else {
		printf("hostile: fetch: stage-1 attacks skipped (RAM outside our map)\n");
	}
	device_hypercalls(&t);
	tally_end(&t);
}
