/*
 * hostile: a guest that attacks the isolation Vireo gives it, one way after
 * another, and checks that every attempt gets a defined answer.
 *
 * It runs in a one-vCPU VM with RAM (where the device tree says; 64 MiB at
 * IPA 0x40000000 by default), a GIC (distributor 0x08000000, and either a
 * GICv3's redistributor at 0x080a0000 or a GICv2's CPU interface at
 * 0x08010000, told apart at run time by vireo_gic_version()) and a PL011
 * at 0x09000000, and nothing else. On a GICv2 host the CPU interface is
 * the hardware's GICV page, which Vireo maps into the VM's stage 2: the
 * one device a VM reaches without a trap. After a start signal (any
 * byte on its console) it runs these phases:
 *
 *   ram      its own RAM outside its image and device tree must read as
 *            zero: nothing of Vireo or of another VM left in it;
 *   memory   loads and stores, in many instruction forms, at every 2 MiB
 *            of the low 4 GiB of IPA space outside its RAM and devices, at
 *            every 1 GiB above that up to the top of the IPA space
 *            (ID_AA64MMFR0_EL1.PARange, at most 48 bits), and at a list of
 *            interesting places: every one must take a synchronous external
 *            abort (EC 0x25, DFSC 0x10) with the right FAR, WnR and ELR,
 *            and leave a writeback base register alone;
 *   devices  the same at the machine's devices it was not given;
 *   sysreg   MRS and MSR of every encoding with op0 = 2 or 3 (writes only
 *            where they would not break this guest itself): each must
 *            complete or be undefined (EC 0x00, or FEAT_IDST's EC 0x18 in
 *            the ID space), and every EL2/EL3 encoding (op1 4, 5 or 6)
 *            must be undefined;
 *   calls    HVC and SMC with thousands of pseudo-random function IDs and
 *            arguments, and the documented IDs with odd arguments: each
 *            must return exactly what docs/hypercalls.md says and leave
 *            x1..x7 alone (Vireo's growing paravirtual services are only
 *            required to return, with x4..x7 kept);
 *   sgi      tens of thousands of SGIs to vCPUs it does not have (GICv3:
 *            ICC_SGI1R_EL1 and its siblings; GICv2: GICD_SGIR with target
 *            lists that name no one here, of every size, and the ICC_*
 *            registers, which must be undefined): none may come back to
 *            it, while one it sends itself must;
 *   gicregs  the GIC's registers with every access size, out-of-range
 *            INTIDs and (through its own stage 1) misaligned and
 *            page-straddling accesses: the emulated distributor and
 *            redistributor must answer as vgic_mmio.c documents (a size a
 *            register does not take is an external abort), the GICv2 CPU
 *            interface (hardware) with a completion or an abort, and an SGI
 *            to itself must still arrive afterwards;
 *   fetch    tries to make Vireo read device memory on its behalf: branches
 *            into the GICC page (with its MMU off, and mapped executable in
 *            its own stage 1), then makes loads Vireo must decode from the
 *            instruction (ISV clear) from a code page whose stage-1 entry,
 *            or the table holding it, it has pointed at the GICC page, the
 *            distributor or nothing, without TLB maintenance, so that the
 *            translation of the PC Vireo makes differs from the one the CPU
 *            fetched through; and points hypercalls at devices. Every
 *            attempt must end in an abort (or an error code), never in a
 *            device read by Vireo;
 *   spin     seconds' worth of spinning with every interrupt masked (a
 *            fixed number of loop turns, not a time).
 *
 * Each phase ends with a line the integration tests check:
 *   hostile: PHASE: attempts=N aborts=N undefs=N other=N
 * where "other" counts every answer that is not the defined one (a leak, a
 * wrong return value, an unexpected exception). The first few such
 * answers are printed, each on its own line. Everything is deterministic
 * (a fixed pseudo-random seed per phase) but the fetch phase's split
 * between its outcomes, which depends on when the CPU's TLB lets go of an
 * entry. What does not apply to the VM's GIC is skipped with a line
 * saying "skipped (GICv2)" or "skipped (GICv3)". Then "hostile: done" and
 * PSCI SYSTEM_OFF.
 *
 * This file has the exception handler, the tallies, the discovery of what
 * the VM was given and the phases up to sgi; gicregs.c and fetch.c have
 * those two phases, stage1.c the guest's own stage-1 map they run with,
 * hostile.h what they share, and probes.S every instruction that may
 * fault on purpose.
 */
#include "hostile.h"

#define DEFAULT_RAM_BASE 0x40000000UL
#define DEFAULT_RAM_SIZE (64UL << 20)

#define MAX_REPORTS 8 /* unexpected answers printed per phase */

#define ESR_WNR (1UL << 6)
#define DAIF_ALL 0xf

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */
/* ------------------------------------------------------------------ */

extern char probe_text_start[], probe_text_end[];

volatile struct trap_record trap;
volatile unsigned irqs, last_irq;
volatile uint64_t window_lo, window_hi;
int gic_v2;

static int probe_code(uint64_t elr)
{
	return (elr >= (uint64_t)probe_text_start && elr < (uint64_t)probe_text_end) ||
	       (elr >= window_lo && elr < window_hi);
}

void guest_exception(struct guest_frame *f, int vector)
{
	if (vector == VEC_CUR_SPX_SYNC && probe_code(f->elr)) {
		if (trap.n++ == 0) {
			trap.first_esr = f->esr;
			trap.first_far = f->far;
			trap.first_elr = f->elr;
		}
		trap.esr = f->esr;
		trap.far = f->far;
		trap.elr = f->elr;
		if (ESR_EC(f->esr) == ESR_EC_IABT_CUR) {
			/* A fetch that faulted: every routine that may be
			 * fetched from where it cannot be is a leaf, called
			 * with BLR, so return to its caller. */
			f->elr = f->x[30];
		} else {
			f->elr += 4; /* every probe is a single A64 instruction */
		}
		return;
	}
	if (vector == VEC_CUR_SPX_IRQ) {
		uint32_t ack = vireo_gic_ack(); /* ICC_IAR1_EL1 or GICC_IAR */
		uint32_t intid = gic_v2 ? VIREO_GIC_INTID(ack) : ack;

		if (intid < 1020) {
			irqs++;
			last_irq = intid;
			vireo_gic_eoi(ack);
		}
		return;
	}
	if (vector == VEC_CUR_SPX_SERR) {
		trap.serrors++;
		return;
	}
	guest_unhandled(f, vector);
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed ^ 0x9e3779b97f4a7c15UL;
}

/* xorshift64*: fixed sequence per seed. */
static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dUL;
}

uint64_t counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static uint64_t ms_since(uint64_t start)
{
	return (counter() - start) * 1000 / read_sysreg(cntfrq_el0);
}

void tally_begin(struct tally *t, const char *phase)
{
	t->phase = phase;
	t->attempts = t->aborts = t->undefs = t->other = 0;
	t->reported = 0;
	t->start = counter();
	printf("hostile: %s: start\n", phase);
}

/* Counts an unexpected answer; prints the first few with their details. */
void unexpected(struct tally *t, const char *fmt, ...)
{
	va_list ap;

	t->other++;
	if (t->reported++ >= MAX_REPORTS) {
		return;
	}
	printf("hostile: %s: ", t->phase);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putc('\n');
}

void tally_end(struct tally *t)
{
	if (trap.serrors) {
		unexpected(t, "%u SErrors", trap.serrors);
		trap.serrors = 0;
	}
	printf("hostile: %s: attempts=%lu aborts=%lu undefs=%lu other=%lu\n", t->phase,
	       t->attempts, t->aborts, t->undefs, t->other);
	printf("hostile: %s: took %lu ms\n", t->phase, ms_since(t->start));
}

void trap_clear(void)
{
	trap.n = 0;
	trap.esr = trap.far = trap.elr = 0;
	trap.first_esr = trap.first_far = trap.first_elr = 0;
}

/* ------------------------------------------------------------------ */
/* The device tree: what this VM was given                            */
/* ------------------------------------------------------------------ */

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4

/* Byte reads: the tree is in Device memory (MMU off), where the merged
 * unaligned load a compiler might make of plain reads would fault. */
static uint32_t be32(uint64_t addr)
{
	volatile const uint8_t *b = (volatile const uint8_t *)addr;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t cells(uint64_t addr, unsigned n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | be32(addr);
		addr += 4;
	}
	return v;
}

static int str_eq(uint64_t addr, const char *s)
{
	volatile const char *p = (volatile const char *)addr;

	while (*s && *p == *s) {
		p++;
		s++;
	}
	return *p == *s;
}

static int is_memory_node(uint64_t name)
{
	volatile const char *p = (volatile const char *)name;
	const char *m = "memory";

	while (*m && *p == *m) {
		p++;
		m++;
	}
	return !*m && (*p == 0 || *p == '@');
}

static uint64_t str_len(uint64_t addr)
{
	volatile const char *p = (volatile const char *)addr;
	uint64_t n = 0;

	while (p[n]) {
		n++;
	}
	return n;
}

#define ALIGN4(x) (((x) + 3) & ~3UL)
#define MAX_DEPTH 8
#define MAX_GIVEN 32

/* Everything this VM was given: its RAM and device ranges. */
static struct region {
	uint64_t base, size;
} given_regions[MAX_GIVEN];
static unsigned n_given;

uint64_t ram_base = DEFAULT_RAM_BASE, ram_size = DEFAULT_RAM_SIZE;
static uint64_t dtb_base, dtb_size;

static void add_given(uint64_t base, uint64_t size)
{
	if (n_given < MAX_GIVEN && size) {
		given_regions[n_given++] = (struct region){ base, size };
	}
}

/*
 * Reads the device tree Vireo made for this VM: every "reg" range of a node
 * whose addresses are the VM's own (the root's children, and the children
 * of identity-mapped buses, which have an empty "ranges"; not /cpus, whose
 * "reg" are MPIDRs with no size). The /memory range is the RAM. False if
 * there is no tree to read.
 */
static int fdt_scan(uint64_t dtb)
{
	/* Per depth: the cells of that node's children, and whether its
	 * children's addresses are IPAs. Depth 0 is outside the root. */
	unsigned ac[MAX_DEPTH] = { 2 }, sc[MAX_DEPTH] = { 1 }, depth = 0;
	int ipas[MAX_DEPTH] = { 1 }, memory = 0;
	uint64_t p, strings;

	if (!dtb || (dtb & 7) || be32(dtb) != FDT_MAGIC) {
		return 0;
	}
	dtb_base = dtb;
	dtb_size = be32(dtb + 4);
	p = dtb + be32(dtb + 8);
	strings = dtb + be32(dtb + 12);
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			if (++depth >= MAX_DEPTH) {
				return 0;
			}
			/* Until its properties say otherwise (the spec's defaults). */
			ac[depth] = 2;
			sc[depth] = 1;
			ipas[depth] = depth == 1; /* the root's children: yes */
			memory = depth == 2 && is_memory_node(p);
			p += ALIGN4(str_len(p) + 1);
		} else if (tok == FDT_END_NODE) {
			if (depth-- == 0) {
				return 0;
			}
			if (depth == 0) {
				return 1; /* the end of the root */
			}
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), name = be32(p + 4);
			unsigned pac = ac[depth - 1], psc = sc[depth - 1];

			p += 8;
			if (str_eq(strings + name, "#address-cells")) {
				ac[depth] = be32(p);
			} else if (str_eq(strings + name, "#size-cells")) {
				sc[depth] = be32(p);
			} else if (str_eq(strings + name, "ranges")) {
				ipas[depth] = len == 0 && ipas[depth - 1];
			} else if (str_eq(strings + name, "reg") && ipas[depth - 1] && psc &&
				   pac <= 2 && psc <= 2) {
				for (uint32_t off = 0; off + 4 * (pac + psc) <= len; off += 4 * (pac + psc)) {
					uint64_t base = cells(p + off, pac);
					uint64_t size = cells(p + off + 4 * pac, psc);

					if (memory && off == 0) {
						ram_base = base;
						ram_size = size;
					}
					add_given(base, size);
				}
			}
			p += ALIGN4(len);
		} else if (tok != FDT_NOP) {
			return 0;
		}
	}
}

/* ------------------------------------------------------------------ */
/* What this VM has                                                    */
/* ------------------------------------------------------------------ */

static unsigned ipa_bits;
static uint64_t ipa_top; /* 1 << ipa_bits */

static int in_range(uint64_t a, uint64_t base, uint64_t size)
{
	return a >= base && a - base < size;
}

static int in_ram(uint64_t a)
{
	return in_range(a, ram_base, ram_size);
}

/* Whether [a, a + len) touches anything this VM was given. */
static int given(uint64_t a, uint64_t len)
{
	for (unsigned i = 0; i < n_given; i++) {
		if (a < given_regions[i].base + given_regions[i].size &&
		    given_regions[i].base < a + len) {
			return 1;
		}
	}
	return 0;
}

#define PV_TIME_FEATURES 0xc5000020U
#define PV_TIME_ST 0xc5000021U
#define PV_TIME_RECORD 64 /* bytes per vCPU */

uint64_t pvtime_page;

static void discover(void)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	ipa_bits = pa < sizeof(bits) / sizeof(bits[0]) ? bits[pa] : 48;
	if (ipa_bits > 48) {
		ipa_bits = 48;
	}
	ipa_top = 1UL << ipa_bits;
	gic_v2 = vireo_gic_version() == 2;
	if (!fdt_scan(guest_boot_arg)) {
		/* No tree: what Vireo gives a VM by default. */
		n_given = 0;
		add_given(DEFAULT_RAM_BASE, DEFAULT_RAM_SIZE);
		add_given(GICD_BASE, GICD_SIZE);
		if (gic_v2) {
			add_given(GICC_BASE, GICC_SIZE);
		} else {
			add_given(GICR_BASE, GICR_SIZE);
		}
		add_given(UART_BASE, UART_SIZE);
	}
	/* Arm's PV time (DEN0057A) announces its page by hypercall, not in
	 * the tree: the stolen-time records are given too, if there are any. */
	if ((int64_t)hvc_call(PV_TIME_FEATURES, PV_TIME_ST, 0, 0) == 0) {
		int64_t st = (int64_t)hvc_call(PV_TIME_ST, 0, 0, 0);

		if (st > 0) {
			pvtime_page = (uint64_t)st & ~0xfffUL;
			add_given(pvtime_page, 0x1000);
		}
	}
	printf("hostile: ram 0x%lx-0x%lx, ipa space %u bits, mpidr 0x%lx\n", ram_base,
	       ram_base + ram_size - 1, ipa_bits, read_sysreg(mpidr_el1));
	printf("hostile: gic: GICv%d\n", vireo_gic_version());
	for (unsigned i = 0; i < n_given; i++) {
		printf("hostile: given 0x%lx-0x%lx\n", given_regions[i].base,
		       given_regions[i].base + given_regions[i].size - 1);
	}
}

/* ------------------------------------------------------------------ */
/* Start signal                                                        */
/* ------------------------------------------------------------------ */

#define UARTDR 0x00
#define UARTFR_RXFE (1U << 4)

/* Waits for a byte on the console, so that a test can start the attacks
 * when the VM beside it is ready. Without a time limit: the counter runs
 * with the host's clock, and how long the VM beside takes to get ready
 * depends on how loaded the host is, so any limit here could run out
 * first; the test's own timeout ends a run that is never signalled. */
static void wait_for_start(void)
{
	volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;
	uint64_t freq = read_sysreg(cntfrq_el0);

	printf("hostile: waiting for a byte on the console\n");
	while (uart[UARTFR / 4] & UARTFR_RXFE) {
		/* About a millisecond between polls: each one is a trap. */
		for (uint64_t t = counter(); counter() - t < freq / 1000;) {
		}
	}
	while (!(uart[UARTFR / 4] & UARTFR_RXFE)) {
		(void)uart[UARTDR / 4];
	}
	printf("hostile: start (signalled)\n");
}

/* ------------------------------------------------------------------ */
/* ram: our own memory holds nothing we did not put there              */
/* ------------------------------------------------------------------ */

extern char _head[], _end[];

static void phase_ram(void)
{
	struct tally t;
	uint64_t image_end = ((uint64_t)_end + 0xfff) & ~0xfffUL;
	uint64_t dtb_end = (dtb_base + dtb_size + 0xfff) & ~0xfffUL;

	tally_begin(&t, "ram");
	for (uint64_t page = ram_base; page < ram_base + ram_size; page += 0x1000) {
		volatile const uint64_t *p = (volatile const uint64_t *)page;
		uint64_t any = 0;

		if (page < image_end && page + 0x1000 > (uint64_t)_head) {
			continue; /* our image, .bss and stack */
		}
		if (dtb_size && page < dtb_end && page + 0x1000 > (dtb_base & ~0xfffUL)) {
			continue; /* the device tree Vireo wrote */
		}
		t.attempts++;
		trap_clear();
		for (unsigned i = 0; i < 512; i++) {
			any |= p[i];
		}
		if (trap.n) {
			unexpected(&t, "own RAM page 0x%lx faulted", page);
		} else if (any) {
			unexpected(&t, "own RAM page 0x%lx not zero (LEAK?)", page);
		}
	}
	tally_end(&t);
}

/* ------------------------------------------------------------------ */
/* memory and devices: every access outside what we were given aborts  */
/* ------------------------------------------------------------------ */

#define FORM(name, store, wb, align) \
	{ #name, mem_##name, mem_##name##_insn, store, wb, align }
#define WB_NONE 0
#define WB_PRE 1  /* returns the base, which must stay addr - 16 */
#define WB_POST 2 /* returns the base, which must stay addr */

extern uint64_t mem_ldr(uint64_t, uint64_t), mem_ldrb(uint64_t, uint64_t),
	mem_ldrh(uint64_t, uint64_t), mem_ldrw(uint64_t, uint64_t), mem_ldar(uint64_t, uint64_t),
	mem_ldtr(uint64_t, uint64_t), mem_ldxr(uint64_t, uint64_t), mem_ldp(uint64_t, uint64_t),
	mem_ldq(uint64_t, uint64_t), mem_ldr_pre(uint64_t, uint64_t), mem_str(uint64_t, uint64_t),
	mem_strb(uint64_t, uint64_t), mem_strw(uint64_t, uint64_t), mem_stp(uint64_t, uint64_t),
	mem_str_post(uint64_t, uint64_t), mem_stlr(uint64_t, uint64_t);
extern char mem_ldr_insn[], mem_ldrb_insn[], mem_ldrh_insn[], mem_ldrw_insn[], mem_ldar_insn[],
	mem_ldtr_insn[], mem_ldxr_insn[], mem_ldp_insn[], mem_ldq_insn[], mem_ldr_pre_insn[],
	mem_str_insn[], mem_strb_insn[], mem_strw_insn[], mem_stp_insn[], mem_str_post_insn[],
	mem_stlr_insn[];

static const struct form {
	const char *name;
	mem_fn fn;
	const char *insn;
	int store, wb;
	unsigned align; /* the access's alignment requirement */
} forms[] = {
	/* The first two are the ones used at every 1 GiB step. */
	FORM(ldr, 0, WB_NONE, 8),
	FORM(str, 1, WB_NONE, 8),
	FORM(ldrb, 0, WB_NONE, 1),
	FORM(ldrh, 0, WB_NONE, 2),
	FORM(ldrw, 0, WB_NONE, 4),
	FORM(ldar, 0, WB_NONE, 8),
	FORM(ldtr, 0, WB_NONE, 8),
	FORM(ldxr, 0, WB_NONE, 8),
	FORM(ldp, 0, WB_NONE, 8),
	FORM(ldq, 0, WB_NONE, 16),
	FORM(ldr_pre, 0, WB_PRE, 8),
	FORM(strb, 1, WB_NONE, 1),
	FORM(strw, 1, WB_NONE, 4),
	FORM(stp, 1, WB_NONE, 8),
	FORM(str_post, 1, WB_POST, 8),
	FORM(stlr, 1, WB_NONE, 8),
};
#define N_FORMS (sizeof(forms) / sizeof(forms[0]))

/* One access that must abort: checks the whole answer. */
static void must_abort(struct tally *t, uint64_t addr, const struct form *f)
{
	uint64_t ret, ec, dfsc;

	t->attempts++;
	trap_clear();
	ret = f->fn(addr, MARKER);
	if (trap.n == 0) {
		if (f->store) {
			unexpected(t, "STORE ACCEPTED at 0x%lx (%s)", addr, f->name);
		} else {
			unexpected(t, "LEAK at 0x%lx (%s): read 0x%lx", addr, f->name, ret);
		}
		return;
	}
	ec = ESR_EC(trap.esr);
	dfsc = ESR_FSC(trap.esr);
	if (trap.n != 1 || ec != ESR_EC_DABT_CUR) {
		if (trap.n == 1 && ec == ESR_EC_UNKNOWN) {
			t->undefs++; /* counted, but not the answer asked for */
		}
		unexpected(t, "0x%lx (%s): %u exceptions, last esr 0x%lx elr 0x%lx", addr, f->name,
			   trap.n, trap.esr, trap.elr);
		return;
	}
	if (dfsc != ESR_DFSC_SEA || trap.far != addr || trap.elr != (uint64_t)f->insn ||
	    !!(trap.esr & ESR_WNR) != f->store) {
		unexpected(t, "0x%lx (%s): abort with esr 0x%lx far 0x%lx elr 0x%lx (insn 0x%lx)",
			   addr, f->name, trap.esr, trap.far, trap.elr, (uint64_t)f->insn);
		return;
	}
	if ((f->wb == WB_PRE && ret != addr - 16) || (f->wb == WB_POST && ret != addr)) {
		unexpected(t, "0x%lx (%s): base register changed to 0x%lx by an aborted access",
			   addr, f->name, ret);
		return;
	}
	t->aborts++;
}

/* Every form that suits addr's alignment, or just the first n forms. */
static void probe_all(struct tally *t, uint64_t addr, unsigned n)
{
	for (unsigned i = 0; i < n && i < N_FORMS; i++) {
		if (!(addr & (forms[i].align - 1))) {
			must_abort(t, addr, &forms[i]);
		}
	}
}

/* Accesses inside our own RAM that must simply work (controls). */
static void must_work(struct tally *t, uint64_t addr)
{
	uint64_t v;

	trap_clear();
	v = mem_ldr(addr, MARKER);
	mem_str(addr, v);
	if (trap.n) {
		unexpected(t, "own RAM at 0x%lx faulted: esr 0x%lx", addr, trap.esr);
	}
}

static void phase_memory(void)
{
	/* Just outside our RAM, where another VM's or Vireo's memory would be
	 * as IPAs on QEMU virt, and at the edges of the IPA space. */
	const uint64_t interesting[] = {
		0x0, 0x8, 0x1000, 0x3ffffff0, 0x3ffffff8, 0x40000000 - 0x1000,
		ram_base + ram_size, ram_base + ram_size + 0x8, ram_base + ram_size + 0x1000,
		0x48000000, 0x50000000, 0x52400000, 0x7ffffff0, 0x80000000, 0xbffffff0,
		0xc0000000, 0xfffffff0, 0xfffffff8, 0x100000000, 0x4000000000, 0x8000000000,
		ipa_top - 0x1000, ipa_top - 0x10, ipa_top - 0x8,
	};
	struct tally t;
	uint64_t a;

	tally_begin(&t, "memory");
	/* Controls: the edges of our own RAM work. */
	must_work(&t, ram_base + ram_size - 8);
	must_work(&t, ram_base + ram_size - 0x1000);

	for (unsigned i = 0; i < sizeof(interesting) / sizeof(interesting[0]); i++) {
		a = interesting[i];
		if (a < ipa_top && !given(a, 16)) {
			probe_all(&t, a, N_FORMS);
		}
	}
	for (a = 0; a < 4 * GiB && a < ipa_top; a += 2 * MiB) {
		if (!given(a, 16)) {
			probe_all(&t, a, N_FORMS);
		}
	}
	for (a = 4 * GiB; a < ipa_top; a += GiB) {
		probe_all(&t, a, 2);
	}
	tally_end(&t);
}

static void phase_devices(void)
{
	/* QEMU virt's devices that this VM was not given (hw/arm/virt.c),
	 * whether another VM was given them or not (the tests give the
	 * highest virtio-mmio transports to the VM beside it). */
	static const struct {
		const char *name;
		uint64_t addr;
	} devs[] = {
		{ "flash0", 0x00000000 },
		{ "flash1", 0x04000000 },
		{ "gicv2-cpu", 0x08010000 },
		{ "gicv2-cpu-dir", 0x08011000 },
		{ "gicv2-cpu-end", 0x08012000 },
		{ "gicv2-hyp", 0x08030000 },
		{ "gicv2-vcpu", 0x08040000 },
		{ "gicv2m", 0x08020000 },
		{ "its", 0x08080000 },
		{ "its-translater", 0x08090000 },
		{ "gicr-vcpu0", GICR_BASE },
		{ "gicr-vcpu1", GICR_BASE + GICR_SIZE },
		{ "gicr-vcpu1-sgi", GICR_BASE + GICR_SIZE + 0x10000 },
		{ "gicr-last", 0x08fe0000 },
		{ "gicd-end", GICD_BASE + GICD_SIZE },
		{ "uart-end", UART_BASE + UART_SIZE },
		{ "rtc", 0x09010000 },
		{ "fw-cfg", 0x09020000 },
		{ "fw-cfg-data", 0x09020008 },
		{ "fw-cfg-dma", 0x09020010 },
		{ "gpio", 0x09030000 },
		{ "secure-uart", 0x09040000 },
		{ "smmu", 0x09050000 },
		{ "pcdimm-acpi", 0x09070000 },
		{ "acpi-ged", 0x09080000 },
		{ "nvdimm-acpi", 0x09090000 },
		{ "pvtime", 0x090a0000 },
		{ "secure-gpio", 0x090b0000 },
		{ "mmio-virtio0", 0x0a000000 },
		{ "mmio-virtio1", 0x0a000200 },
		{ "mmio-virtio30", 0x0a003c00 },
		{ "mmio-virtio31", 0x0a003e00 },
		{ "mmio-virtio31-end", 0x0a003ff8 },
		{ "platform-bus", 0x0c000000 },
		{ "secure-mem", 0x0e000000 },
		{ "pcie-mmio", 0x10000000 },
		{ "pcie-pio", 0x3eff0000 },
		{ "pcie-ecam", 0x3f000000 },
		{ "pcie-ecam-high", 0x4010000000 },
		{ "pcie-mmio-high", 0x8000000000 },
	};
	struct tally t;

	tally_begin(&t, "devices");
	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		uint64_t a = devs[i].addr;

		if (a >= ipa_top) {
			continue;
		}
		if (given(a, 16)) {
			/* Vireo gives VMs some of these (PV time's page). */
			printf("hostile: devices: %s at 0x%lx is this VM's: skipped\n",
			       devs[i].name, a);
			continue;
		}
		/* Registers are read and written as 32-bit words, and as more. */
		must_abort(&t, a, &forms[4]);  /* ldr w */
		must_abort(&t, a, &forms[12]); /* str w */
		must_abort(&t, a, &forms[0]);  /* ldr x */
		must_abort(&t, a, &forms[1]);  /* str x */
		must_abort(&t, a, &forms[2]);  /* ldrb */
		must_abort(&t, a, &forms[11]); /* strb */
		must_abort(&t, a, &forms[8]);  /* ldp */
		must_abort(&t, a, &forms[13]); /* stp */
	}
	/* PV time's page is ours to read, not to write, and holds nothing
	 * beyond our one vCPU's stolen-time record. */
	if (pvtime_page) {
		static const uint64_t offsets[] = { 0, 8, PV_TIME_RECORD, 0x800, 0xff0 };

		for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
			must_abort(&t, pvtime_page + offsets[i], &forms[1]);  /* str x */
			must_abort(&t, pvtime_page + offsets[i], &forms[11]); /* strb */
			must_abort(&t, pvtime_page + offsets[i], &forms[13]); /* stp */
		}
		for (uint64_t off = PV_TIME_RECORD; off < 0x1000; off += 8) {
			uint64_t v = *(volatile const uint64_t *)(pvtime_page + off);

			if (v) {
				unexpected(&t, "PV time page 0x%lx reads 0x%lx beyond our record (LEAK?)",
					   pvtime_page + off, v);
			}
		}
	}
	tally_end(&t);
}

/* ------------------------------------------------------------------ */
/* sysreg: every MRS/MSR encoding completes or is undefined            */
/* ------------------------------------------------------------------ */

typedef uint64_t (*stub_fn)(uint64_t);
extern char sysreg_mrs_op0_2[], sysreg_msr_op0_2[], sysreg_mrs_op0_3[], sysreg_msr_op0_3[];

#define ENC(op0, op1, crn, crm, op2) \
	((unsigned)(op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

/*
 * Registers this guest owns and needs as they are, or whose writes would
 * only break this guest (its translation, vectors, stack, flags and
 * interrupt masking, its timers and interrupt controller, which the later
 * phases use, and its debug and PMU state): read, never written.
 */
static const unsigned write_deny[] = {
	ENC(3, 0, 1, 0, 0),  /* SCTLR_EL1 */
	ENC(3, 0, 1, 0, 2),  /* CPACR_EL1 */
	ENC(3, 0, 1, 0, 3),  /* SCTLR2_EL1 */
	ENC(3, 0, 2, 0, 0),  /* TTBR0_EL1 */
	ENC(3, 0, 2, 0, 1),  /* TTBR1_EL1 */
	ENC(3, 0, 2, 0, 2),  /* TCR_EL1 */
	ENC(3, 0, 2, 0, 3),  /* TCR2_EL1 */
	ENC(3, 0, 4, 0, 0),  /* SPSR_EL1 */
	ENC(3, 0, 4, 0, 1),  /* ELR_EL1 */
	ENC(3, 0, 4, 1, 0),  /* SP_EL0 */
	ENC(3, 0, 4, 2, 0),  /* SPSel */
	ENC(3, 0, 4, 3, 0),  /* ALLINT */
	ENC(3, 0, 4, 6, 0),  /* ICC_PMR_EL1 */
	ENC(3, 0, 9, 14, 1), /* PMINTENSET_EL1 */
	ENC(3, 0, 10, 2, 0), /* MAIR_EL1 */
	ENC(3, 0, 12, 0, 0), /* VBAR_EL1 */
	ENC(3, 0, 12, 0, 2), /* RMR_EL1 */
	ENC(3, 3, 4, 2, 0),  /* NZCV */
	ENC(3, 3, 4, 2, 1),  /* DAIF */
	ENC(3, 3, 4, 4, 0),  /* FPCR */
	ENC(3, 3, 4, 4, 1),  /* FPSR */
	ENC(3, 3, 9, 12, 0), /* PMCR_EL0 */
	ENC(3, 3, 9, 12, 1), /* PMCNTENSET_EL0 */
	ENC(3, 3, 9, 14, 0), /* PMUSERENR_EL0 */
	ENC(3, 3, 9, 14, 3), /* PMOVSSET_EL0 */
	ENC(3, 3, 14, 2, 1), /* CNTP_CTL_EL0 */
	ENC(3, 3, 14, 3, 1), /* CNTV_CTL_EL0 */
	ENC(2, 0, 0, 2, 2),  /* MDSCR_EL1 */
	ENC(2, 0, 1, 0, 4),  /* OSLAR_EL1 */
	ENC(2, 0, 1, 3, 4),  /* OSDLR_EL1 */
};

static int write_denied(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	unsigned enc = ENC(op0, op1, crn, crm, op2);

	/* The GIC CPU interface's registers (ICC_*: SGIs, EOI, priorities,
	 * enables), at op1 0, 1 and 2: the sgi phase is for those. */
	if (op0 == 3 && op1 <= 2 && crn == 12 && crm >= 8) {
		return 1;
	}
	for (unsigned i = 0; i < sizeof(write_deny) / sizeof(write_deny[0]); i++) {
		if (write_deny[i] == enc) {
			return 1;
		}
	}
	return 0;
}

struct sysreg_counts {
	unsigned long el2_attempts, el2_undefs;
	unsigned long completed_reads, completed_writes, skipped_writes;
	unsigned long idst; /* undefined, reported as EC 0x18 (FEAT_IDST) */
};

static void sysreg_access(struct tally *t, struct sysreg_counts *c, unsigned op0, unsigned idx,
			  int write)
{
	char *table = op0 == 2 ? (write ? sysreg_msr_op0_2 : sysreg_mrs_op0_2)
			       : (write ? sysreg_msr_op0_3 : sysreg_mrs_op0_3);
	stub_fn fn = (stub_fn)(uint64_t)(table + 8UL * idx);
	unsigned op1 = idx >> 11 & 7, crn = idx >> 7 & 15, crm = idx >> 3 & 15, op2 = idx & 7;
	int el2 = op1 >= 4 && op1 <= 6;
	/* ESR's ISS for this access, Rt = 0 (Arm ARM D17.2.37, EC 0x18). */
	uint64_t iss = (uint64_t)op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | crm << 1 | !write;

	t->attempts++;
	c->el2_attempts += el2;
	trap_clear();
	fn(write ? rng() : MARKER);
	if (trap.n == 0) {
		if (write) {
			c->completed_writes++;
		} else {
			c->completed_reads++;
		}
		if (el2) {
			unexpected(t, "%s S%u_%u_C%u_C%u_%u completed at EL1 (an EL2/EL3 register)",
				   write ? "msr" : "mrs", op0, op1, crn, crm, op2);
		}
		return;
	}
	if (trap.n == 1 && trap.elr == (uint64_t)fn &&
	    (ESR_EC(trap.esr) == ESR_EC_UNKNOWN ||
	     (ESR_EC(trap.esr) == ESR_EC_SYS64 && ESR_ISS(trap.esr) == iss))) {
		/* An undefined instruction, or its FEAT_IDST form for the ID
		 * register space: a trapped-MSR/MRS syndrome naming this very
		 * access, taken to EL1. */
		t->undefs++;
		c->el2_undefs += el2;
		c->idst += ESR_EC(trap.esr) == ESR_EC_SYS64;
		return;
	}
	unexpected(t, "%s S%u_%u_C%u_C%u_%u: %u exceptions, esr 0x%lx elr 0x%lx (stub 0x%lx)",
		   write ? "msr" : "mrs", op0, op1, crn, crm, op2, trap.n, trap.esr, trap.elr,
		   (uint64_t)fn);
}

static void phase_sysreg(void)
{
	struct sysreg_counts c = { 0 };
	struct tally t;

	tally_begin(&t, "sysreg");
	rng_seed(3);
	for (unsigned op0 = 2; op0 <= 3; op0++) {
		for (unsigned idx = 0; idx < 16384; idx++) {
			unsigned op1 = idx >> 11 & 7, crn = idx >> 7 & 15, crm = idx >> 3 & 15;

			sysreg_access(&t, &c, op0, idx, 0);
			if (write_denied(op0, op1, crn, crm, idx & 7)) {
				c.skipped_writes++;
				continue;
			}
			sysreg_access(&t, &c, op0, idx, 1);
		}
	}
	printf("hostile: sysreg: completed reads=%lu writes=%lu, writes skipped=%lu, "
	       "undefined as EC 0x18=%lu\n",
	       c.completed_reads, c.completed_writes, c.skipped_writes, c.idst);
	printf("hostile: sysreg: el2/el3 encodings: attempts=%lu undefs=%lu\n", c.el2_attempts,
	       c.el2_undefs);
	tally_end(&t);
}

/* ------------------------------------------------------------------ */
/* calls: SMCCC answers exactly as documented                          */
/* ------------------------------------------------------------------ */

#define NOT_SUPPORTED (-1L)
#define SMCCC_ARCH_FEATURES 0x80000001U
#define WORKAROUND_1 0x80008000U
#define WORKAROUND_2 0x80007fffU
#define WORKAROUND_3 0x80003fffU
#define PSCI_CPU_SUSPEND_32 0x84000001U
#define PSCI_CPU_SUSPEND_64 0xc4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON_64 0xc4000003U
#define PSCI_AFFINITY_INFO_64 0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define MPIDR_AFF_MASK 0xff00ffffffUL

enum conduit { HVC0, HVC1, HVCFFFF, SMC0 };
static const char *const conduit_name[] = { "hvc #0", "hvc #1", "hvc #0xffff", "smc #0" };

extern void call_hvc0(uint64_t *r), call_hvc1(uint64_t *r), call_hvcffff(uint64_t *r),
	call_smc0(uint64_t *r);

static void (*const conduit_fn[])(uint64_t *) = { call_hvc0, call_hvc1, call_hvcffff, call_smc0 };

/* PSCI calls that end, reset or suspend the caller or its VM, whether
 * Vireo offers them today or not (PSCI 1.3's list): never made. */
static int forbidden(uint32_t fid)
{
	static const uint32_t ids[] = {
		PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF, PSCI_SYSTEM_OFF,
		PSCI_SYSTEM_RESET,
		0x8400000bU,              /* CPU_FREEZE */
		0x8400000cU, 0xc400000cU, /* CPU_DEFAULT_SUSPEND */
		0x8400000eU, 0xc400000eU, /* SYSTEM_SUSPEND */
		0x84000012U, 0xc4000012U, /* SYSTEM_RESET2 */
		0x84000013U,              /* MEM_PROTECT */
		0x84000015U, 0xc4000015U, /* SYSTEM_OFF2 */
	};

	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (fid == ids[i]) {
			return 1;
		}
	}
	return 0;
}

#define UNMODELLED INT64_MIN

/*
 * docs/hypercalls.md as a function: the x0 a call must return. Vireo's
 * paravirtual services, which grow call by call (the standard and vendor
 * hypervisor services, owners 5 and 6, and the TRNG beside PSCI), are
 * UNMODELLED: any x0 will do, but the call must return, with x4..x7 kept.
 */
static int64_t documented(enum conduit how, const uint64_t *x)
{
	uint32_t fid = (uint32_t)x[0];
	unsigned owner = fid >> 24 & 0x3f, fn = fid & 0xffff;
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	int csv2 = (pfr0 >> 56 & 0xf) != 0, csv3 = (pfr0 >> 60 & 0xf) != 0;

	if (how == HVC1 || how == HVCFFFF || !(fid & 0x80000000U)) {
		return NOT_SUPPORTED; /* other immediates; yielding calls */
	}
	if (owner == 5 || owner == 6 || (owner == 4 && fn >= 0x50 && fn <= 0x5f)) {
		return UNMODELLED;
	}
	switch (fid) {
	case SMCCC_VERSION:
	case PSCI_VERSION:
		return 0x10001;
	case SMCCC_ARCH_FEATURES:
		switch ((uint32_t)x[1]) {
		case SMCCC_VERSION:
		case SMCCC_ARCH_FEATURES:
			return 0;
		case WORKAROUND_1:
			return csv2 ? 1 : NOT_SUPPORTED;
		case WORKAROUND_3:
			return csv2 && csv3 ? 1 : NOT_SUPPORTED;
		default:
			return NOT_SUPPORTED;
		}
	case PSCI_CPU_ON_64:
		/* This VM has one vCPU, ours, which is on. */
		if ((x[1] & MPIDR_AFF_MASK) != (read_sysreg(mpidr_el1) & MPIDR_AFF_MASK)) {
			return -2; /* INVALID_PARAMETERS */
		}
		if (!in_ram(x[2]) || !in_ram(x[2] + 3) || (x[2] & 3)) {
			return -9; /* INVALID_ADDRESS */
		}
		return -4; /* ALREADY_ON */
	case PSCI_AFFINITY_INFO_64:
		if ((x[1] & MPIDR_AFF_MASK) != (read_sysreg(mpidr_el1) & MPIDR_AFF_MASK) || x[2]) {
			return -2;
		}
		return 0; /* ON */
	case PSCI_MIGRATE_INFO_TYPE:
		return 2;
	case PSCI_FEATURES:
		switch ((uint32_t)x[1]) {
		case PSCI_VERSION:
		case PSCI_CPU_SUSPEND_64:
		case PSCI_CPU_OFF:
		case PSCI_CPU_ON_64:
		case PSCI_AFFINITY_INFO_64:
		case PSCI_MIGRATE_INFO_TYPE:
		case PSCI_SYSTEM_OFF:
		case PSCI_SYSTEM_RESET:
		case PSCI_FEATURES:
		case SMCCC_VERSION:
			return 0;
		default:
			return NOT_SUPPORTED;
		}
	default:
		return NOT_SUPPORTED;
	}
}

struct call_counts {
	unsigned long not_supported, answered, unmodelled;
};

static void one_call(struct tally *t, struct call_counts *c, enum conduit how, const uint64_t *x)
{
	uint64_t r[8];
	int64_t want = documented(how, x);

	for (unsigned i = 0; i < 8; i++) {
		r[i] = x[i];
	}
	t->attempts++;
	trap_clear();
	conduit_fn[how](r);
	if (trap.n) {
		if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_UNKNOWN) {
			t->undefs++;
		}
		unexpected(t, "%s fid 0x%lx: %u exceptions, esr 0x%lx", conduit_name[how], x[0],
			   trap.n, trap.esr);
		return;
	}
	if (want != UNMODELLED && (int64_t)r[0] != want) {
		unexpected(t, "%s fid 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx: returned 0x%lx, not 0x%lx",
			   conduit_name[how], x[0], x[1], x[2], x[3], r[0], (uint64_t)want);
		return;
	}
	/* x1..x3 may hold an unmodelled call's results. */
	for (unsigned i = want == UNMODELLED ? 4 : 1; i < 8; i++) {
		if (r[i] != x[i]) {
			unexpected(t, "%s fid 0x%lx: x%u changed from 0x%lx to 0x%lx",
				   conduit_name[how], x[0], i, x[i], r[i]);
			return;
		}
	}
	if (want == UNMODELLED) {
		c->unmodelled++;
	} else if (want == NOT_SUPPORTED) {
		c->not_supported++;
	} else {
		c->answered++;
	}
}

/* A function ID from every corner: any owner, fast or yielding, 32 or 64
 * bit, small function numbers (where the real ones are) or any. */
static uint32_t random_fid(void)
{
	uint64_t r = rng();
	uint32_t fid;

	switch (r & 3) {
	case 0:
		fid = (uint32_t)rng();
		break;
	case 1:
		fid = (uint32_t)(r >> 2) & 0xc0000000U;           /* fast, SMC64 */
		fid |= (uint32_t)((r >> 8) % 64) << 24;           /* owner */
		fid |= (uint32_t)(r >> 16) & 0xffff;              /* function */
		break;
	case 2:
		fid = (uint32_t)(r >> 2) & 0xc0000000U;
		fid |= (uint32_t)((r >> 8) % 64) << 24;
		fid |= (uint32_t)(r >> 16) % 0x40;
		break;
	default:
		/* Owners 0 (Arm) and 4 (PSCI), where Vireo answers. */
		fid = (uint32_t)(r >> 2) & 0xc0000000U;
		fid |= (r >> 4 & 1) ? 0x04000000U : 0;
		fid |= (uint32_t)(r >> 16) % 0x20;
		if (r >> 40 & 1) {
			fid |= (uint32_t)(r >> 48) & 0x00ff0000U; /* reserved bits */
		}
		break;
	}
	return fid;
}

static void phase_calls(void)
{
	static const uint32_t known[] = {
		SMCCC_VERSION, SMCCC_ARCH_FEATURES, WORKAROUND_1, WORKAROUND_2, WORKAROUND_3,
		PSCI_VERSION, PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE,
		PSCI_FEATURES,
		/* Their other forms, and some PSCI calls Vireo does not offer. */
		0xc0000000U, 0xc0000001U, 0xc4000000U, 0x84000003U, 0x84000004U, 0xc4000006U,
		0xc400000aU, 0x84000005U, 0xc4000005U, 0x84000007U, 0xc4000007U, 0xc400000dU,
		0x8400000fU, 0x84000010U, 0xc4000011U, 0x84000014U, 0xc4000014U, 0x8400001fU,
		0x84000020U, 0x04000000U, 0x00000000U, 0xffffffffU, 0x87000000U, 0xbf00ff00U,
		0xb0000000U, 0xf100ffffU,
	};
	/* Arguments that reach each branch of the documented answers. */
	const uint64_t args[] = {
		0, 1, 0x80000000UL, read_sysreg(mpidr_el1), read_sysreg(mpidr_el1) | (1UL << 40),
		0x100, 0x10000, 0x100000000UL, ram_base, ram_base + 2, ram_base + ram_size - 4,
		ram_base + ram_size, ~0UL, SMCCC_VERSION, SMCCC_ARCH_FEATURES, WORKAROUND_1,
		WORKAROUND_2, WORKAROUND_3, PSCI_VERSION, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF,
		PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, PSCI_CPU_SUSPEND_32,
		0xc4000002UL, 0x1c4000003UL,
	};
	const unsigned n_args = sizeof(args) / sizeof(args[0]);
	struct call_counts c = { 0 };
	struct tally t;
	uint64_t x[8];

	tally_begin(&t, "calls");
	rng_seed(4);
	/* Random IDs and arguments, through both conduits. */
	for (unsigned n = 0; n < 4096; n++) {
		uint32_t fid;

		do {
			fid = random_fid();
		} while (forbidden(fid));
		x[0] = (rng() & 0xffffffff00000000UL) | fid; /* the upper half is ignored */
		for (unsigned i = 1; i < 8; i++) {
			x[i] = rng();
		}
		one_call(&t, &c, n & 1 ? SMC0 : HVC0, x);
	}
	/* The documented IDs with pointed arguments. */
	for (unsigned k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		for (unsigned n = 0; n < 3 * n_args; n++) {
			x[0] = known[k];
			x[1] = args[n % n_args];
			x[2] = n < n_args ? 0 : args[(n * 7 + k) % n_args];
			for (unsigned i = 3; i < 8; i++) {
				x[i] = rng();
			}
			one_call(&t, &c, n & 1 ? SMC0 : HVC0, x);
		}
	}
	/* HVC with other immediates: NOT_SUPPORTED, whatever the ID. */
	for (unsigned k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		x[0] = known[k];
		for (unsigned i = 1; i < 8; i++) {
			x[i] = rng();
		}
		one_call(&t, &c, HVC1, x);
		one_call(&t, &c, HVCFFFF, x);
	}
	printf("hostile: calls: not_supported=%lu answered=%lu unmodelled=%lu\n", c.not_supported,
	       c.answered, c.unmodelled);
	tally_end(&t);
}

/* ------------------------------------------------------------------ */
/* sgi: a flood of SGIs to vCPUs we do not have                        */
/* ------------------------------------------------------------------ */

#define GICR_SGI_BASE (GICR_BASE + 0x10000)
#define GICR_WAKER 0x14
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_ICENABLER0 0x180

#define SGI_IRM (1UL << 40)

extern void sgi1r_write(uint64_t), asgi1r_write(uint64_t), sgi0r_write(uint64_t);
extern char sgi1r_write_insn[], asgi1r_write_insn[], sgi0r_write_insn[];

#define GICD_ISENABLER0 0x100
#define GICC_CTLR 0x0

/* GICv2: the CPU interface and the distributor on (vireo_pv.c), and every
 * SGI enabled; everything stays in Group 0. */
static void gic_v2_init(void)
{
	vireo_gic_init();
	mmio_write32(GICD_BASE + GICD_ISENABLER0, 0xffff);
}

void gic_init(void)
{
	if (gic_v2) {
		gic_v2_init();
		return;
	}
	write_sysreg(S3_0_C12_C12_5, read_sysreg(S3_0_C12_C12_5) | 1); /* ICC_SRE_EL1.SRE */
	isb();
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~2U);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & 4U) {
	}
	mmio_write32(GICR_SGI_BASE + GICR_IGROUPR0, ~0U);
	mmio_write32(GICR_SGI_BASE + GICR_ISENABLER0, 0xffff); /* every SGI */
	mmio_write32(GICD_BASE, 2);                            /* GICD_CTLR.EnableGrp1 */
	write_sysreg(S3_0_C4_C6_0, 0xff);                      /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1);                       /* ICC_IGRPEN1_EL1 */
	isb();
}

/* An SGI value that never names us (vCPU 0: Aff3.Aff2.Aff1.Aff0 = 0). */
static uint64_t foreign_sgi(unsigned n)
{
	uint64_t r = rng();
	uint64_t intid = (r & 0xf) << 24;
	uint64_t targets = (r >> 8) & 0xffff;

	switch (n % 4) {
	case 0: /* vCPUs 1..15 of our own cluster */
		targets &= ~1UL;
		if (!targets) {
			targets = 1UL << (1 + n % 15);
		}
		return intid | targets;
	case 1: /* everyone but us */
		return intid | SGI_IRM | (r & ~(SGI_IRM | 0xf000000UL) & 0x00ff00ff00ffffffUL);
	case 2: { /* another cluster: Aff1, Aff2 or Aff3 nonzero, any targets */
		uint64_t aff1 = (r >> 24) & 0xff, aff2 = (r >> 32) & 0xff, aff3 = (r >> 40) & 0xff;

		if (!(aff1 | aff2 | aff3)) {
			aff1 = 1 + n % 255;
		}
		return intid | targets | aff1 << 16 | aff2 << 32 | aff3 << 48 |
		       (((r >> 50) & 0xf) << 44);
	}
	default: { /* range selector 1..15: Aff0 16 and up */
		uint64_t rs = 1 + (r >> 52) % 15;

		return intid | targets | rs << 44;
	}
	}
}

void gic_quiesce(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
	if (gic_v2) {
		mmio_write32(GICC_BASE + GICC_CTLR, 0);
	} else {
		write_sysreg(S3_0_C12_C12_7, 0); /* ICC_IGRPEN1_EL1 */
	}
	isb();
}

void wait_ms(unsigned ms)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	for (uint64_t start = counter(); counter() - start < freq * ms / 1000;) {
	}
}

/* An SGI this vCPU sends itself is taken a few instructions after the
 * write that sends it. The wait for it is a budget of this vCPU's own loop
 * turns, a hundred million, not a time: the counter runs on while a loaded
 * host keeps QEMU's thread waiting, or while Vireo runs another VM on this
 * CPU, and neither may use the wait up. */
#define IRQ_WAIT_TURNS 100000000UL

static void wait_for_irq(void)
{
	for (uint64_t n = 0; !irqs && n < IRQ_WAIT_TURNS; n++) {
	}
}

unsigned self_sgi(unsigned intid, uint32_t sgir_filter)
{
	irqs = 0;
	if (gic_v2) {
		/* Filter 0 with CPU interface 0 in the list, or the filter given. */
		mmio_write32(GICD_BASE + GICD_SGIR,
			     (sgir_filter ? sgir_filter : 1U << 16) | intid);
	} else {
		sgi1r_write((uint64_t)intid << 24 | 1);
	}
	wait_for_irq();
	wait_ms(10); /* and a little longer, for a second copy */
	return irqs;
}

/* GICD_SGIR values that never name us, CPU interface 0, with junk in its
 * reserved bits ([31:26], NSATT and [14:4], which a one-security-state
 * GIC ignores). */
static uint32_t foreign_sgir(unsigned n)
{
	uint64_t r = rng();
	uint32_t intid = r & 0xf, junk = (uint32_t)(r >> 32) & 0xfc00fff0U;

	switch (n % 4) {
	case 0:
	case 1: { /* a target list of CPU interfaces 1..7 only */
		uint32_t list = (uint32_t)(r >> 8) & 0xfe;

		if (!list) {
			list = 2U << (n % 7);
		}
		return junk | list << 16 | intid;
	}
	case 2: /* everyone but us, which in this VM is no one */
		return junk | SGIR_FILTER_OTHERS | ((uint32_t)(r >> 16) & 0xff) << 16 | intid;
	default: /* an empty target list */
		return junk | intid;
	}
}

/*
 * The GICv2 form of the sgi phase. GICD_SGIR is a trapped MMIO register:
 * the flood goes there, then the sizes it does not take (each must abort,
 * and send nothing), and the GICv3 system registers, which a GICv2 VM does
 * not have (undefined, the CPU's answer on a GICv2 host).
 */
static unsigned phase_sgi_v2(struct tally *t)
{
	/* Each of these would send SGI 11 to us, were it taken. */
	static const struct form bad[] = {
		{ "strb", mem_strb, mem_strb_insn, 1, WB_NONE, 1 },
		{ "strh", mem_strh, mem_strh_insn, 1, WB_NONE, 2 },
		{ "str x", mem_str, mem_str_insn, 1, WB_NONE, 8 },
		{ "stp x", mem_stp, mem_stp_insn, 1, WB_NONE, 8 },
	};
	static const struct {
		const char *name;
		void (*fn)(uint64_t);
	} icc[] = {
		{ "ICC_SGI1R_EL1", sgi1r_write },
		{ "ICC_ASGI1R_EL1", asgi1r_write },
		{ "ICC_SGI0R_EL1", sgi0r_write },
	};
	const uint64_t self11 = (uint64_t)(SGIR_FILTER_SELF | 11) * 0x100000001UL;
	unsigned sent = 0, reserved, stray;

	for (unsigned n = 0; n < 34000; n++) {
		uint32_t v = foreign_sgir(n);

		t->attempts++;
		trap_clear();
		mem_strw(GICD_BASE + GICD_SGIR, v);
		if (trap.n) {
			unexpected(t, "GICD_SGIR 0x%x: %u exceptions, esr 0x%lx", v, trap.n,
				   trap.esr);
		}
	}
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t->attempts++;
		trap_clear();
		bad[i].fn(GICD_BASE + GICD_SGIR, self11);
		if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_DABT_CUR &&
		    ESR_FSC(trap.esr) == ESR_DFSC_SEA && trap.far == GICD_BASE + GICD_SGIR) {
			t->aborts++;
		} else {
			unexpected(t, "GICD_SGIR written with %s: %u exceptions, esr 0x%lx (not refused)",
				   bad[i].name, trap.n, trap.esr);
		}
	}
	for (unsigned k = 0; k < sizeof(icc) / sizeof(icc[0]); k++) {
		for (unsigned n = 0; n < 100; n++) {
			t->attempts++;
			trap_clear();
			icc[k].fn((uint64_t)12 << 24 | 1); /* SGI 12 to ourselves */
			if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_UNKNOWN) {
				t->undefs++;
			} else {
				unexpected(t, "%s on a GICv2: %u exceptions, esr 0x%lx (not undefined)",
					   icc[k].name, trap.n, trap.esr);
			}
		}
	}
	/* Give anything misdelivered 100 ms to arrive. */
	wait_ms(100);
	stray = irqs;
	if (stray) {
		unexpected(t, "%u interrupts arrived, the last %u, from SGIs sent elsewhere or "
			   "refused", stray, last_irq);
	}
	/* The reserved TargetListFilter, 0b11: hardware may take it as anything
	 * (QEMU's GICv2 as every CPU, Vireo's as the sender); whatever comes
	 * back is counted here, apart from the strays. */
	irqs = 0;
	for (unsigned n = 0; n < 16; n++) {
		t->attempts++;
		trap_clear();
		mem_strw(GICD_BASE + GICD_SGIR, SGIR_FILTER_RESERVED | 0xff0000U | 13);
		sent += trap.n == 0;
		if (trap.n) {
			unexpected(t, "GICD_SGIR with the reserved filter: %u exceptions, esr 0x%lx",
				   trap.n, trap.esr);
		}
		wait_ms(1);
	}
	wait_ms(10);
	reserved = irqs;
	printf("hostile: sgi: GICD_SGIR with the reserved filter: %u sent, %u came back "
	       "(either is allowed)\n", sent, reserved);
	return stray;
}

static void phase_sgi(void)
{
	static const struct {
		const char *name;
		void (*fn)(uint64_t);
		const char *insn;
		unsigned count;
	} regs[] = {
		{ "ICC_SGI1R_EL1", sgi1r_write, sgi1r_write_insn, 30000 },
		{ "ICC_ASGI1R_EL1", asgi1r_write, asgi1r_write_insn, 2000 },
		{ "ICC_SGI0R_EL1", sgi0r_write, sgi0r_write_insn, 2000 },
	};
	struct tally t;
	unsigned stray, self;
	uint64_t freq = read_sysreg(cntfrq_el0), start;

	tally_begin(&t, "sgi");
	rng_seed(5);
	gic_init();
	irqs = 0;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	if (gic_v2) {
		stray = phase_sgi_v2(&t);
		self = self_sgi(SGI_SELF_TEST, 0);
		if (self != 1 || last_irq != SGI_SELF_TEST) {
			unexpected(&t, "an SGI to ourselves arrived %u times (last intid %u)", self,
				   last_irq);
		}
		if (self_sgi(SGI_SELF_TEST + 1, SGIR_FILTER_SELF) != 1 ||
		    last_irq != SGI_SELF_TEST + 1) {
			unexpected(&t, "an SGI to ourselves by GICD_SGIR's self filter arrived %u "
				   "times (last intid %u)", irqs, last_irq);
		}
		gic_quiesce();
		printf("hostile: sgi: stray=%u self=%u\n", stray, self);
		tally_end(&t);
		return;
	}
	for (unsigned k = 0; k < sizeof(regs) / sizeof(regs[0]); k++) {
		for (unsigned n = 0; n < regs[k].count; n++) {
			uint64_t v = foreign_sgi(n);

			t.attempts++;
			trap_clear();
			regs[k].fn(v);
			if (trap.n == 0) {
				continue;
			}
			if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_UNKNOWN) {
				t.undefs++;
			}
			unexpected(&t, "%s 0x%lx: %u exceptions, esr 0x%lx", regs[k].name, v, trap.n,
				   trap.esr);
		}
	}
	/* Give anything misdelivered 100 ms to arrive. */
	for (start = counter(); counter() - start < freq / 10;) {
	}
	stray = irqs;
	if (stray) {
		unexpected(&t, "%u interrupts arrived, the last %u, from SGIs sent elsewhere", stray,
			   last_irq);
	}
	/* The control: an SGI to ourselves (Aff0 0, target list bit 0). */
	irqs = 0;
	sgi1r_write((uint64_t)SGI_SELF_TEST << 24 | 1);
	wait_for_irq();
	self = irqs;
	if (self != 1 || last_irq != SGI_SELF_TEST) {
		unexpected(&t, "an SGI to ourselves arrived %u times (last intid %u)", self, last_irq);
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	write_sysreg(S3_0_C12_C12_7, 0); /* ICC_IGRPEN1_EL1 */
	isb();
	printf("hostile: sgi: stray=%u self=%u\n", stray, self);
	tally_end(&t);
}

/* ------------------------------------------------------------------ */
/* spin: seconds with every interrupt masked                           */
/* ------------------------------------------------------------------ */

/* The spin is a number of turns of the loop, not a time: a VM beside this
 * one must show that it ran meanwhile (the Linux cases count its
 * heartbeats during the spin), and how far it gets in a given time
 * depends on how loaded the host is, while how far it gets in a given
 * amount of this guest's own work does not (on a CPU of its own, QEMU's
 * threads share the host alike; on a shared CPU, Vireo's slices do). Each
 * turn reads the counter, as a timed spin would; 60 million of them take
 * about 3 s on an idle host. */
#define SPIN_TURNS 60000000UL

static void phase_spin(void)
{
	uint64_t start;
	struct tally t;

	tally_begin(&t, "spin");
	__asm__ volatile("msr daifset, #%0" : : "i"(DAIF_ALL) : "memory");
	t.attempts++;
	start = counter();
	for (uint64_t n = 0; n < SPIN_TURNS; n++) {
		(void)counter();
	}
	printf("hostile: spin: %lu turns with interrupts masked, %lu ms\n", SPIN_TURNS,
	       ms_since(start));
	tally_end(&t);
}

int main(void)
{
	/* Our own choice: FP/SIMD, SVE and SME unlocked at EL1, so that what
	 * stops them is Vireo's traps, not ours. */
	write_sysreg(cpacr_el1, (3UL << 20) | (3UL << 16) | (3UL << 24));
	isb();
	guest_install_vectors();
	printf("hostile: isolation test\n");
	discover();
	wait_for_start();
	/* Debug state that no one here has written: nonzero would be another
	 * VM's, left on a CPU this VM shares (Vireo switches it per vCPU). */
	printf("hostile: MDSCR_EL1 as found: 0x%lx\n", read_sysreg(S2_0_C0_C2_2));

	phase_ram();
	phase_memory();
	phase_devices();
	phase_sysreg();
	phase_calls();
	phase_sgi();
	phase_gicregs();
	phase_fetch();
	phase_spin();

	printf("hostile: done\n");
	psci_system_off();
}
