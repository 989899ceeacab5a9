/*
 * gicregs.c: the hostile guest's gicregs phase, the GIC's registers with
 * every access size, INTIDs past the model's, and (through its own stage 1)
 * misaligned and page-straddling accesses.
 *
 * The emulated distributor and a GICv3's redistributor must answer as
 * hv/vdev/vgic_mmio.c documents: a register takes the sizes it takes,
 * any other is refused with an external abort, and nothing a refused
 * store carried may take effect (it would have made SGIs pending here). A
 * GICv2's CPU interface is the hardware's GICV page, reached without
 * Vireo (or, on a host without a GIC, Vireo's software one): whatever it
 * answers must be a completion or one abort, and an SGI to ourselves must
 * still arrive afterwards. "skipped (GICv2)" and
 * "skipped (GICv3)" name what the VM's GIC does not have.
 */
#include "hostile.h"

/* An access: a probe of probes.S and what it does. */
struct access {
	const char *name;
	mem_fn fn;
	const char *insn;
	int store;
	unsigned size, pair;
};

#define ACCESS(fn, name, store, size, pair) { name, mem_##fn, mem_##fn##_insn, store, size, pair }

static const struct access gic_loads[] = {
	ACCESS(ldrb, "ldrb", 0, 1, 0), ACCESS(ldrh, "ldrh", 0, 2, 0),
	ACCESS(ldrw, "ldr w", 0, 4, 0), ACCESS(ldr, "ldr x", 0, 8, 0),
	ACCESS(ldpw, "ldp w", 0, 4, 1), ACCESS(ldp, "ldp x", 0, 8, 1),
};
static const struct access gic_stores[] = {
	ACCESS(strb, "strb", 1, 1, 0), ACCESS(strh, "strh", 1, 2, 0),
	ACCESS(strw, "str w", 1, 4, 0), ACCESS(str, "str x", 1, 8, 0),
	ACCESS(stp, "stp x", 1, 8, 1),
};
#define N_LOADS (sizeof(gic_loads) / sizeof(gic_loads[0]))
#define N_STORES (sizeof(gic_stores) / sizeof(gic_stores[0]))

/* Were it taken, each refused store below would make SGI 11 (or, in a
 * pending register, SGIs 0, 1 and 3) pending here: the stray count shows it. */
#define BAD_STORE_VALUE ((uint64_t)(SGIR_FILTER_SELF | 11) * 0x100000001UL)

/* vgic_mmio.c's rule for the distributor: which sizes a register takes
 * (the same for loads and stores). */
static int gicd_takes(uint64_t off, unsigned size, int store)
{
	(void)store;
	switch (size) {
	case 4:
		return 1;
	case 1: /* IPRIORITYR; GICv2's ITARGETSR, ICFGR, CPENDSGIR and SPENDSGIR */
		return (off >= 0x400 && off < 0x800) || (gic_v2 && off >= 0x800 && off < 0xd00) ||
		       (gic_v2 && off >= 0xf10 && off < 0xf30);
	case 8: /* GICv3's IROUTER, for the SPIs */
		return !gic_v2 && off >= 0x6100 && off < 0x7fe0 && off % 8 == 0;
	default:
		return 0;
	}
}

/* ... and for a GICv3 redistributor (RD_base, then SGI_base at 64 KiB). */
static int gicr_takes(uint64_t off, unsigned size, int store)
{
	if (off >= 0x10000) {
		off -= 0x10000;
		return size == 4 || (size == 1 && off >= 0x400 && off < 0x800);
	}
	if (off == 0xc && !store) { /* GICR_TYPER's upper half, read alone */
		return size == 4;
	}
	return size == 4 || size == 8;
}

typedef int (*takes_fn)(uint64_t off, unsigned size, int store);

static int takes_all(takes_fn takes, uint64_t off, const struct access *a)
{
	return takes(off, a->size, a->store) &&
	       (!a->pair || takes(off + a->size, a->size, a->store));
}

enum answer { COMPLETED, ABORTED, WRONG };

/* Makes one access; COMPLETED, ABORTED (exactly one data abort, at the
 * probe, naming addr when it is an external abort) or WRONG. */
static enum answer try_access(const struct access *a, uint64_t addr, uint64_t val,
			      uint64_t *ret)
{
	uint64_t r;

	trap_clear();
	r = a->fn(addr, val);
	if (ret) {
		*ret = r;
	}
	if (trap.n == 0) {
		return COMPLETED;
	}
	/* A fault's address is in the access (where one straddles pages, the
	 * architecture lets it be the second page's). */
	if (trap.n == 1 && ESR_EC(trap.esr) == ESR_EC_DABT_CUR && trap.elr == (uint64_t)a->insn &&
	    trap.far >= addr && trap.far - addr < a->size * (a->pair + 1)) {
		return ABORTED;
	}
	return WRONG;
}

/* An access to an emulated register, whose answer vgic_mmio.c defines. */
static void emulated_access(struct tally *t, const char *what, uint64_t base, uint64_t off,
			    const struct access *a, takes_fn takes)
{
	int ok = takes_all(takes, off, a);
	enum answer ans;

	t->attempts++;
	ans = try_access(a, base + off, BAD_STORE_VALUE, 0);
	if (ans == ABORTED && !ok && ESR_FSC(trap.esr) == ESR_DFSC_SEA) {
		t->aborts++;
	} else if (ans != COMPLETED || !ok) {
		unexpected(t, "%s+0x%lx %s: %s (esr 0x%lx far 0x%lx), not %s", what, off, a->name,
			   ans == COMPLETED ? "completed" : ans == ABORTED ? "aborted" : "wrong",
			   trap.esr, trap.far, ok ? "completed" : "an external abort");
	}
}

/* Whether a reaches Vireo at off with the MMU off: inside the frame, and
 * aligned (Device memory faults an unaligned access in the CPU). */
static int fits(uint64_t off, uint64_t size, const struct access *a)
{
	return off % a->size == 0 && off + a->size * (a->pair + 1) <= size;
}

/* Every size at each of offs: loads, and stores only of the sizes a
 * register refuses, so that nothing changes. */
static void emulated_sizes(struct tally *t, const char *what, uint64_t base, uint64_t size,
			   const uint32_t *offs, unsigned n, takes_fn takes)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < N_LOADS; k++) {
			if (fits(offs[i], size, &gic_loads[k])) {
				emulated_access(t, what, base, offs[i], &gic_loads[k], takes);
			}
		}
		for (unsigned k = 0; k < N_STORES; k++) {
			if (fits(offs[i], size, &gic_stores[k]) &&
			    !takes_all(takes, offs[i], &gic_stores[k])) {
				emulated_access(t, what, base, offs[i], &gic_stores[k], takes);
			}
		}
	}
}

/* Every word of an emulated frame reads without an abort (RAZ or not). */
static void read_every_word(struct tally *t, const char *what, uint64_t base, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += 4) {
		t->attempts++;
		if (try_access(&gic_loads[2], base + off, MARKER, 0) != COMPLETED) {
			unexpected(t, "%s+0x%lx: a word read faulted (esr 0x%lx)", what, off,
				   trap.esr);
		}
	}
}

/* Registers of INTIDs past the model's (128 of them) and up to 1023, set
 * to all ones at a size they take: each must read back as zero. */
static void out_of_range_intids(struct tally *t)
{
	static const struct {
		uint32_t first, end, step;
		int v3_only, v2_only;
	} blocks[] = {
		{ 0x090, 0x100, 4, 0, 0 }, /* IGROUPR4..31 */
		{ 0x110, 0x180, 4, 0, 0 }, /* ISENABLER4..31 */
		{ 0x210, 0x280, 4, 0, 0 }, /* ISPENDR4..31 */
		{ 0x310, 0x380, 4, 0, 0 }, /* ISACTIVER4..31 */
		{ 0x480, 0x800, 4, 0, 0 }, /* IPRIORITYR, INTIDs 128..1023 */
		{ 0x880, 0xc00, 4, 0, 1 }, /* ITARGETSR, INTIDs 128..1023 */
		{ 0xc20, 0xd00, 4, 0, 0 }, /* ICFGR8..63 */
		{ 0x6400, 0x7fe0, 8, 1, 0 }, /* IROUTER, INTIDs 128..1019 */
	};
	unsigned long kept = 0;

	for (unsigned b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		const struct access *st = blocks[b].step == 8 ? &gic_stores[3] : &gic_stores[2];
		const struct access *ld = blocks[b].step == 8 ? &gic_loads[3] : &gic_loads[2];

		if ((blocks[b].v3_only && gic_v2) || (blocks[b].v2_only && !gic_v2)) {
			continue;
		}
		for (uint32_t off = blocks[b].first; off < blocks[b].end; off += blocks[b].step) {
			uint64_t v;

			t->attempts++;
			if (try_access(st, GICD_BASE + off, ~0UL, 0) != COMPLETED ||
			    try_access(ld, GICD_BASE + off, MARKER, &v) != COMPLETED) {
				unexpected(t, "GICD+0x%x (out-of-range INTIDs): faulted, esr 0x%lx", off,
					   trap.esr);
			} else if (v) {
				kept++;
				unexpected(t, "GICD+0x%x (out-of-range INTIDs) reads 0x%lx after a write",
					   off, v);
			}
		}
	}
	printf("hostile: gicregs: out-of-range INTIDs: state kept=%lu\n", kept);
}

/*
 * The GICv2 CPU interface is the hardware's GICV page (on a host without a
 * GIC, vdev/vgic_cpuif.c): what it answers to an odd size is its business,
 * a completion or an abort, but it must be one of the two, and this vCPU's
 * interface must still work after.
 * Stores go only where they change nothing: the end-of-interrupt and
 * deactivation registers, with INTIDs that are not active (spurious,
 * reserved, out of range, an SGI from a CPU that never sent one), and the
 * read-only registers.
 */
static void gicc_hammer(struct tally *t, unsigned long *done)
{
	static const uint32_t reads[] = { 0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x20,
					  0x24, 0x28, 0xd0, 0xe0, 0xfc, 0x1000, 0x1ff8 };
	static const uint32_t eoi_regs[] = { 0x10, 0x24, 0x1000 }; /* EOIR, AEOIR, DIR */
	static const uint32_t ro_regs[] = { 0x0c, 0x14, 0x18, 0xfc }; /* IAR, RPR, HPPIR, IIDR */
	static const uint64_t intids[] = { 1020, 1021, 1022, 1023, 1019, 0x1c09, 0x12345,
					   0xffffffffUL, 127, 128 };
	enum answer ans;
	uint64_t v;

	for (uint64_t off = 0; off < GICC_SIZE; off += 4) {
		t->attempts++;
		ans = try_access(&gic_loads[2], GICC_BASE + off, MARKER, &v);
		*done += ans == COMPLETED;
		t->aborts += ans == ABORTED;
		if (ans == WRONG) {
			unexpected(t, "GICC+0x%lx ldr w: %u exceptions, esr 0x%lx", off, trap.n,
				   trap.esr);
		}
		/* Nothing is pending, but if an acknowledge found something, end it. */
		if (ans == COMPLETED && (off == 0x0c || off == 0x20) && (v & 0x3ff) < 1020) {
			mmio_write32(GICC_BASE + off + 4, (uint32_t)v);
		}
	}
	for (unsigned i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		for (unsigned k = 0; k < N_LOADS; k++) {
			t->attempts++;
			ans = try_access(&gic_loads[k], GICC_BASE + reads[i], MARKER, &v);
			*done += ans == COMPLETED;
			t->aborts += ans == ABORTED;
			if (ans == WRONG) {
				unexpected(t, "GICC+0x%x %s: %u exceptions, esr 0x%lx", reads[i],
					   gic_loads[k].name, trap.n, trap.esr);
			}
		}
	}
	for (unsigned i = 0; i < sizeof(eoi_regs) / sizeof(eoi_regs[0]); i++) {
		for (unsigned j = 0; j < sizeof(intids) / sizeof(intids[0]); j++) {
			for (unsigned k = 0; k < N_STORES; k++) {
				t->attempts++;
				ans = try_access(&gic_stores[k], GICC_BASE + eoi_regs[i],
						 intids[j] * 0x100000001UL, 0);
				*done += ans == COMPLETED;
				t->aborts += ans == ABORTED;
				if (ans == WRONG) {
					unexpected(t, "GICC+0x%x %s 0x%lx: %u exceptions, esr 0x%lx",
						   eoi_regs[i], gic_stores[k].name, intids[j], trap.n,
						   trap.esr);
				}
			}
		}
	}
	for (unsigned i = 0; i < sizeof(ro_regs) / sizeof(ro_regs[0]); i++) {
		for (unsigned k = 0; k < N_STORES; k++) {
			t->attempts++;
			ans = try_access(&gic_stores[k], GICC_BASE + ro_regs[i], ~0UL, 0);
			*done += ans == COMPLETED;
			t->aborts += ans == ABORTED;
			if (ans == WRONG) {
				unexpected(t, "GICC+0x%x %s: %u exceptions, esr 0x%lx", ro_regs[i],
					   gic_stores[k].name, trap.n, trap.esr);
			}
		}
	}
}

/*
 * Misaligned and page-straddling accesses, with the GIC and the UART mapped
 * as Normal memory in our own stage 1 (Device memory would stop them with
 * an alignment fault before they left the CPU). What the architecture
 * leaves open here Vireo may answer either way, but with one exception at
 * most, a data abort. Stores write zero where they could change anything.
 */
static void misaligned(struct tally *t)
{
	static const struct {
		unsigned slot;
		uint64_t ipa;
	} map[] = {
		{ 2, GICD_BASE },           { 3, GICD_BASE + 0x1000 },
		{ 4, GICD_BASE + 0xf000 },  { 5, GICC_BASE },
		{ 6, GICC_BASE + 0x1000 },  { 7, GICC_BASE + 0x2000 },
		{ 8, GICR_BASE + 0xf000 },  { 9, GICR_BASE + 0x10000 },
		{ 10, UART_BASE },
		{ 11, 0 /* a page of our RAM */ }, { 12, GICD_BASE }, /* RAM, then a device */
		{ 13, GICD_BASE + 0x1000 }, { 14, 0 },                 /* a device, then RAM */
	};
	static uint8_t scratch[4096] __attribute__((aligned(4096)));
	static const struct {
		uint64_t va;
		unsigned load; /* index into gic_loads, or 100 + index into gic_stores */
	} probes[] = {
		{ ALIAS(2) + 0x1, 2 },      { ALIAS(2) + 0x2, 2 },   { ALIAS(2) + 0x3, 2 },
		{ ALIAS(2) + 0x101, 2 },    { ALIAS(2) + 0x4, 3 },   { ALIAS(2) + 0x402, 2 },
		{ ALIAS(2) + 0x401, 1 },    { ALIAS(2) + 0x803, 2 }, { ALIAS(2) + 0xffe, 2 },
		{ ALIAS(2) + 0xffc, 3 },    { ALIAS(2) + 0xff8, 5 }, { ALIAS(3) + 0xf04, 3 },
		{ ALIAS(4) + 0xffe, 2 },    { ALIAS(4) + 0xffc, 3 }, { ALIAS(4) + 0xff8, 5 },
		{ ALIAS(5) + 0x1, 2 },      { ALIAS(5) + 0x6, 3 },   { ALIAS(6) + 0xffe, 2 },
		{ ALIAS(6) + 0xffc, 3 },    { ALIAS(8) + 0xffe, 2 }, { ALIAS(8) + 0xffc, 3 },
		{ ALIAS(10) + 0x19, 2 },    { ALIAS(10) + 0x1e, 2 }, { ALIAS(10) + 0x14, 3 },
		{ ALIAS(11) + 0xffe, 2 },   { ALIAS(11) + 0xffc, 3 }, { ALIAS(11) + 0xff8, 5 },
		{ ALIAS(13) + 0xffe, 2 },   { ALIAS(13) + 0xffc, 3 },
		/* Stores of zero: ISENABLER0 + 1, TYPER + 1, the UART's FR + 1,
		 * and the straddles, which may land on GICD_CTLR. */
		{ ALIAS(2) + 0x101, 102 },  { ALIAS(2) + 0x5, 102 },  { ALIAS(2) + 0xc01, 102 },
		{ ALIAS(10) + 0x19, 102 },  { ALIAS(11) + 0xffe, 102 }, { ALIAS(11) + 0xffc, 103 },
		{ ALIAS(13) + 0xffe, 102 }, { ALIAS(4) + 0xffc, 103 },
	};
	unsigned long done = 0, aborted = 0, align = 0;

	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint64_t ipa = map[i].ipa ? map[i].ipa : (uint64_t)scratch;

		pt_l3[map[i].slot] = ipa | PTE_TABLE | S1_NORMAL | PTE_PXN | PTE_UXN;
	}
	tlbi_all();
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const struct access *a = probes[i].load >= 100 ? &gic_stores[probes[i].load - 100]
							       : &gic_loads[probes[i].load];
		enum answer ans;

		t->attempts++;
		ans = try_access(a, probes[i].va, a->store ? 0 : MARKER, 0);
		if (ans == COMPLETED) {
			done++;
		} else if (ans == ABORTED) {
			t->aborts++;
			aborted++;
			align += ESR_FSC(trap.esr) == ESR_DFSC_ALIGN;
		} else {
			unexpected(t, "misaligned %s at VA 0x%lx: %u exceptions, last esr 0x%lx far 0x%lx",
				   a->name, probes[i].va, trap.n, trap.esr, trap.far);
		}
	}
	printf("hostile: gicregs: misaligned: completed=%lu aborted=%lu (alignment faults %lu)\n",
	       done, aborted, align);
}

void phase_gicregs(void)
{
	/* Every kind of distributor register, at its start and end, and
	 * those of INTIDs the model does not have. */
	static const uint32_t gicd_regs[] = {
		0x0, 0x4, 0x8, 0xc, 0x80, 0x8c, 0xfc, 0x100, 0x104, 0x17c, 0x180, 0x200,
		0x280, 0x300, 0x380, 0x400, 0x47c, 0x480, 0x7f8, 0x800, 0x81c, 0x820, 0xbf8,
		0xc00, 0xc08, 0xcf8, 0xe00, 0xf00, 0xf10, 0xf20, 0xfe8, 0xff8, 0x6000, 0x6100,
		0x6104, 0x7fd8, 0x7fe0, 0xc000, 0xffe8, 0xfff0, 0xfff8,
	};
	static const uint32_t gicr_regs[] = {
		0x0, 0x4, 0x8, 0xc, 0x14, 0x70, 0xffe8, 0xfff8, 0x10080, 0x10100, 0x10200,
		0x10400, 0x1041c, 0x10c00, 0x10c04, 0x1fff8,
	};
	struct tally t;
	unsigned long done = 0;
	unsigned stray, self;

	tally_begin(&t, "gicregs");
	gic_init(); /* so that a refused store that was taken shows as a stray */
	read_every_word(&t, "GICD", GICD_BASE, GICD_SIZE);
	emulated_sizes(&t, "GICD", GICD_BASE, GICD_SIZE, gicd_regs,
		       sizeof(gicd_regs) / sizeof(gicd_regs[0]), gicd_takes);
	if (gic_v2) {
		printf("hostile: gicregs: redistributor: skipped (GICv2)\n");
		gicc_hammer(&t, &done);
		printf("hostile: gicregs: GICC (the CPU interface): completed=%lu\n", done);
	} else {
		read_every_word(&t, "GICR", GICR_BASE, GICR_SIZE);
		emulated_sizes(&t, "GICR", GICR_BASE, GICR_SIZE, gicr_regs,
			       sizeof(gicr_regs) / sizeof(gicr_regs[0]), gicr_takes);
		printf("hostile: gicregs: GICC: skipped (GICv3)\n");
	}
	out_of_range_intids(&t);
	if (mmu_possible()) {
		mmu_on();
		misaligned(&t);
		mmu_off();
	} else {
		printf("hostile: gicregs: misaligned: skipped (RAM outside our map)\n");
	}
	/* Nothing refused may have been taken, and the GIC must still work. */
	gic_init();
	irqs = 0;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	wait_ms(50);
	stray = irqs;
	if (stray) {
		unexpected(&t, "%u interrupts arrived, the last %u, after refused writes", stray,
			   last_irq);
	}
	self = self_sgi(SGI_SELF_TEST, 0);
	if (self != 1 || last_irq != SGI_SELF_TEST) {
		unexpected(&t, "an SGI to ourselves arrived %u times after (last intid %u)", self,
			   last_irq);
	}
	gic_quiesce();
	printf("hostile: gicregs: stray=%u self=%u\n", stray, self);
	tally_end(&t);
}
