/*
 * Fuzz target: the virtual GIC (hv/vgic.c, hv/vgic_mmio.c) as a guest
 * drives it: register accesses to the distributor and the redistributors
 * at guest-chosen offsets, sizes and values, from guest-chosen vCPUs,
 * interleaved with what the rest of Vireo does around them: devices'
 * interrupt lines (vgic_set_level, vgic_trigger), ICC_SGI1R_EL1 writes
 * (vgic_send_sgi), and guest entries and exits (vgic_fill_lrs, then
 * vgic_sync_lrs with what the guest did to the list registers).
 *
 * Input: one byte of configuration (bits 0-2: vCPUs - 1; bit 3: a GICv2
 * distributor; bits 4-5: how the vCPUs' MPIDRs are numbered), then
 * operations, each an opcode byte and a fixed-size record (see the
 * OP_* cases below; tests/fuzz/make_seeds.py writes them).
 *
 * Checked after every operation, besides crashes and sanitizer reports:
 *   - no lock is left held, and kicks happen with it held, for real vCPUs;
 *   - the model's state stays in range: GICD_CTLR has only its enable
 *     bits, SGIs stay edge-triggered, SPI routes only affinity bits; on a
 *     GICv2, SGI senders and SPI targets only name vCPUs there are;
 *   - a read changes nothing, reads back the same, returns no more bits
 *     than its size, and a 32-bit aligned access to any register of an
 *     existing frame succeeds (IHI 0069 12.1.3: every register allows
 *     word accesses); a priority written reads back;
 *   - vgic_fill_lrs() never returns more than nr_lrs list registers nor
 *     an INTID >= 128, never the same INTID twice, only interrupts the
 *     vCPU may take, each with a pending or active state, in priority
 *     order, and reports underflow exactly when more were waiting;
 *   - vgic_has_pending() agrees with what a fill would present;
 *   - the timer's line, raised and lowered as the mode does, is the level
 *     and hw_high bit, and lowering says when the interrupt is left idle;
 *   - vgic_send_sgi() makes the SGI pending on exactly the vCPUs that
 *     ICC_SGI1R_EL1's fields name (Arm ARM D19), and a GICv2's GICD_SGIR
 *     pending from its writer on exactly those its filter names (IHI 0048B
 *     4.3.15); a list register holds a GICv2 SGI's sender, a vCPU, and no
 *     other interrupt has one.
 */
#include <string.h>

#include "fuzz_input.h"
#include "vdev/vgic.h"

#define MAX_OPS 256
#define ALL_LRS VGIC_NR_IRQS

#define LR_STATE (LR_PENDING | LR_ACTIVE)
#define AFF_MASK 0xff00ffffffUL

static struct vgic g;
static struct input *in;

static void kick(struct vgic *vg, unsigned idx)
{
	check(vg == &g, "kick of another vGIC");
	check(spin_is_held(&vg->lock), "kick without the lock");
	check(idx < vg->nr_vcpus, "kick of vCPU %u of %u", idx, vg->nr_vcpus);
}

static void check_state(void)
{
	unsigned i, j;

	check(!spin_is_held(&g.lock), "lock left held");
	check((g.ctlr & ~3u) == 0, "GICD_CTLR 0x%x", g.ctlr);
	for (i = 0; i < g.nr_vcpus; i++) {
		for (j = 0; j < 16; j++) {
			check(g.cpu[i].private_irqs[j].edge, "vCPU %u SGI %u level-sensitive", i, j);
		}
	}
	for (i = 0; i < VGIC_NR_SPIS; i++) {
		check((g.spis[i].route & ~AFF_MASK) == 0, "SPI %u route 0x%lx", i + 32,
		      g.spis[i].route);
		check(!g.v2 || g.nr_vcpus == 1 || (g.spi_targets[i] >> g.nr_vcpus) == 0,
		      "SPI %u targets 0x%x", i + 32, g.spi_targets[i]);
	}
	for (i = 0; g.v2 && i < g.nr_vcpus; i++) {
		for (j = 0; j < 16; j++) {
			check((g.v2_sgis[i].sources[j] >> g.nr_vcpus) == 0,
			      "vCPU %u SGI %u senders 0x%x", i, j, g.v2_sgis[i].sources[j]);
		}
	}
}

/* ---- register accesses ------------------------------------------------ */

static unsigned size_of(unsigned code)
{
	return 1u << (code & 3);
}

static bool word_ok_dist(uint64_t off)
{
	return off % 4 == 0 && off < VGIC_DIST_SIZE;
}

static void check_read(bool dist, unsigned who, uint64_t off, unsigned size)
{
	static struct vgic saved;
	uint64_t val = 0xdeadbeefcafef00dUL, again = 0;
	bool ok, ok2;

	memcpy(&saved, &g, sizeof(g));
	ok = dist ? vgic_dist_read(&g, who, off, size, &val)
		  : vgic_redist_read(&g, who, off, size, &val);
	check(memcmp(&saved, &g, sizeof(g)) == 0, "a read of +0x%lx changed the state", off);
	if (!dist && who >= g.nr_vcpus) {
		check(!ok, "read of redistributor %u of %u", who, g.nr_vcpus);
		return;
	}
	if (size == 4 && (dist ? word_ok_dist(off) : off % 4 == 0 && off < VGIC_REDIST_STRIDE)) {
		check(ok, "32-bit read of %s+0x%lx refused", dist ? "GICD" : "GICR", off);
	}
	if (!ok) {
		return;
	}
	check(size == 8 || val >> (8 * size) == 0, "%u-byte read of +0x%lx gave 0x%lx", size, off,
	      val);
	ok2 = dist ? vgic_dist_read(&g, who, off, size, &again)
		   : vgic_redist_read(&g, who, off, size, &again);
	check(ok2 && again == val, "two reads of +0x%lx differ", off);
}

/* Whether intid's priority byte is reachable through this frame. */
static bool priority_here(bool dist, unsigned intid)
{
	if (intid >= VGIC_NR_IRQS) {
		return false;
	}
	if (dist) {
		return g.v2 || intid >= VGIC_NR_PRIVATE;
	}
	return intid < VGIC_NR_PRIVATE;
}

static void check_write_of(bool dist, unsigned who, uint64_t off, unsigned size, uint64_t val);

/* GICD_SGIR on a GICv2: the writer is now a sender of the SGI to exactly
 * the vCPUs its filter names (0 the list, 1 all but the writer, 2 the
 * writer; 3 is reserved), and nothing else changed. */
static void check_sgir(unsigned who, uint32_t val, const uint8_t *before)
{
	unsigned filter = (val >> 24) & 3, intid = val & 0xf, i;

	for (i = 0; i < g.nr_vcpus; i++) {
		bool target = (filter == 0 && ((val >> 16) & (1u << i))) ||
			      (filter == 1 && i != who) || (filter == 2 && i == who);
		uint8_t want = before[i] | (target ? 1u << who : 0);

		check(g.v2_sgis[i].sources[intid] == want,
		      "GICD_SGIR 0x%x from vCPU %u: vCPU %u's senders 0x%x, want 0x%x", val, who, i,
		      g.v2_sgis[i].sources[intid], want);
	}
}

static void check_write(bool dist, unsigned who, uint64_t off, unsigned size, uint64_t val)
{
	uint8_t senders[VGIC_MAX_VCPUS];
	bool sgir = dist && g.v2 && off == 0xf00 && size == 4;

	for (unsigned i = 0; i < g.nr_vcpus; i++) {
		senders[i] = g.v2_sgis[i].sources[val & 0xf];
	}
	check_write_of(dist, who, off, size, val);
	if (sgir) {
		check_sgir(who, (uint32_t)val, senders);
	}
}

static void check_write_of(bool dist, unsigned who, uint64_t off, unsigned size, uint64_t val)
{
	uint64_t prio_base = dist ? 0x400 : 0x10400, back;
	bool ok = dist ? vgic_dist_write(&g, who, off, size, val)
		       : vgic_redist_write(&g, who, off, size, val);
	unsigned i;

	if (!dist && who >= g.nr_vcpus) {
		check(!ok, "write of redistributor %u of %u", who, g.nr_vcpus);
		return;
	}
	if (size == 4 && (dist ? word_ok_dist(off) : off % 4 == 0 && off < VGIC_REDIST_STRIDE)) {
		check(ok, "32-bit write of %s+0x%lx refused", dist ? "GICD" : "GICR", off);
	}
	if (!ok || off < prio_base || off >= prio_base + 0x400 || (size != 1 && size != 4)) {
		return;
	}
	/* GICD_IPRIORITYR / GICR_IPRIORITYR: byte-accessible, read back. */
	for (i = 0; i < size && off + i < prio_base + 0x400; i++) {
		unsigned intid = off - prio_base + i;

		check(dist ? vgic_dist_read(&g, who, off + i, 1, &back)
			   : vgic_redist_read(&g, who, off + i, 1, &back),
		      "byte read of a priority refused");
		/* A GICv2's have five bits (vgic_mmio.c). */
		check(back == (priority_here(dist, intid) ? (uint8_t)(val >> (8 * i)) &
								(g.v2 ? 0xf8 : 0xff)
							  : 0),
		      "priority of INTID %u: wrote 0x%x, read 0x%lx", intid,
		      (unsigned)(uint8_t)(val >> (8 * i)), back);
	}
}

/* ---- list registers --------------------------------------------------- */

static bool may_take(unsigned idx, unsigned intid)
{
	const struct virq *v = vgic_irq(&g, idx, intid);

	if (intid < VGIC_NR_PRIVATE) {
		return true;
	}
	return (v->route & AFF_MASK) == (g.cpu[idx].mpidr & AFF_MASK);
}

static void check_lrs(unsigned idx, const uint64_t *lrs, unsigned n)
{
	bool seen[VGIC_NR_IRQS] = { false };
	unsigned i;

	for (i = 0; i < n; i++) {
		uint64_t lr = lrs[i];
		unsigned intid = FIELD_GET(LR_VINTID, lr);
		unsigned prio = FIELD_GET(LR_PRIORITY, lr);
		const struct virq *v;

		check(intid < VGIC_NR_IRQS, "LR %u: INTID %u", i, intid);
		check(!seen[intid], "LR %u: INTID %u twice", i, intid);
		seen[intid] = true;
		check(may_take(idx, intid), "LR %u: INTID %u is not vCPU %u's", i, intid, idx);
		check(lr & LR_STATE, "LR %u: INTID %u neither pending nor active", i, intid);
		v = vgic_irq(&g, idx, intid);
		check(prio == v->priority, "LR %u: priority", i);
		check(!!(lr & LR_GROUP) == v->group1, "LR %u: group", i);
		if (lr & LR_HW) {
			/* A private interrupt's twin has its number; an SPI's the
			 * one it was linked to. */
			unsigned pintid = intid < VGIC_NR_PRIVATE
						  ? intid
						  : g.spi_pintid[intid - VGIC_NR_PRIVATE];

			check(FIELD_GET(LR_PINTID, lr) == pintid && v->hw, "LR %u: HW", i);
		} else {
			unsigned src = FIELD_GET(LR_SGI_SOURCE, lr);

			check(g.v2 && intid < 16 ? src < g.nr_vcpus : src == 0,
			      "LR %u: INTID %u from sender %u", i, intid, src);
		}
		if (i > 0) {
			unsigned prev = FIELD_GET(LR_PRIORITY, lrs[i - 1]);

			check(prev < prio || (prev == prio && FIELD_GET(LR_VINTID, lrs[i - 1]) < intid),
			      "LR %u out of priority order", i);
		}
	}
}

/* What the guest leaves in list register i after running: two bits of
 * actions each. The hardware keeps the guest from writing anything else
 * there, but one register may be garbage too (garbage_at), for
 * robustness. */
static uint64_t guest_did(uint64_t lr, unsigned i, uint32_t actions)
{
	switch ((actions >> (2 * i)) & 3) {
	case 0: /* acknowledged: pending -> active */
		return lr & LR_PENDING ? (lr & ~LR_STATE) | LR_ACTIVE : lr;
	case 1: /* acknowledged and ended (invalid) */
		return lr & ~LR_STATE;
	case 2: /* ended an active one, another edge arrived meanwhile */
		return (lr & ~LR_STATE) | LR_PENDING;
	default: /* untouched */
		return lr;
	}
}

static void enter_and_exit(unsigned idx, unsigned nr_lrs, uint32_t actions, unsigned garbage_at,
			   uint64_t garbage)
{
	static struct vgic copy;
	uint64_t lrs[VGIC_MAX_LRS], all[ALL_LRS];
	unsigned n, n_all, i;
	bool underflow = false, under_all, any = false;
	bool pending;

	/* Everything waiting, from a copy of the state: the fill changes it. */
	memcpy(&copy, &g, sizeof(g));
	n_all = vgic_fill_lrs(&g, idx, all, ALL_LRS, &under_all);
	check(!under_all, "underflow with %u list registers", ALL_LRS);
	check_lrs(idx, all, n_all);
	for (i = 0; i < n_all; i++) {
		const struct virq *v = vgic_irq(&copy, idx, FIELD_GET(LR_VINTID, all[i]));

		any |= (all[i] & LR_PENDING) && v->enabled &&
		       (copy.ctlr & (v->group1 ? 2u : 1u));
	}
	memcpy(&g, &copy, sizeof(g));
	pending = vgic_has_pending(&g, idx);
	check(pending == any, "vgic_has_pending() %d, but a fill presents %d", pending, any);

	n = vgic_fill_lrs(&g, idx, lrs, nr_lrs, &underflow);
	check(n <= nr_lrs, "%u list registers filled of %u", n, nr_lrs);
	check(n == (n_all < nr_lrs ? n_all : nr_lrs), "filled %u, %u waiting", n, n_all);
	check(underflow == (n_all > nr_lrs), "underflow %d with %u waiting for %u", underflow, n_all,
	      nr_lrs);
	for (i = 0; i < n; i++) {
		check(lrs[i] == all[i], "LR %u differs from the full fill", i);
	}
	check_state();
	for (i = 0; i < n; i++) {
		lrs[i] = i == garbage_at ? garbage : guest_did(lrs[i], i, actions);
	}
	vgic_sync_lrs(&g, idx, lrs, n);
}

/* ---- SGIs --------------------------------------------------------------- */

static void send_sgi(unsigned idx, uint64_t sgi1r)
{
	unsigned intid = (sgi1r >> 24) & 0xf, i;
	bool before[VGIC_MAX_VCPUS];

	for (i = 0; i < g.nr_vcpus; i++) {
		before[i] = g.cpu[i].private_irqs[intid].latched;
	}
	vgic_send_sgi(&g, idx, sgi1r);
	for (i = 0; i < g.nr_vcpus; i++) {
		uint64_t mpidr = g.cpu[i].mpidr, aff0 = mpidr & 0xff;
		bool target;

		if (sgi1r & BIT(40)) { /* IRM: every PE but the sender */
			target = i != idx;
		} else {
			target = ((mpidr >> 8) & 0xff) == ((sgi1r >> 16) & 0xff) &&
				 ((mpidr >> 16) & 0xff) == ((sgi1r >> 32) & 0xff) &&
				 ((mpidr >> 32) & 0xff) == ((sgi1r >> 48) & 0xff) &&
				 aff0 >> 4 == ((sgi1r >> 44) & 0xf) && (sgi1r >> (aff0 & 0xf)) & 1;
		}
		check(g.cpu[i].private_irqs[intid].latched == (before[i] || target),
		      "SGI %u to vCPU %u (MPIDR 0x%lx): ICC_SGI1R 0x%lx", intid, i, mpidr, sgi1r);
	}
}

/* ---- hardware-linked lines ------------------------------------------------- */

/* The timer's line as the mode drives it: raised, the level and the hw_high
 * bit are set; lowered, both are clear, and the mode is told to end the
 * physical twin exactly when the interrupt is neither pending nor active.
 * Only private interrupts have such lines. */
static void hw_line(unsigned idx, unsigned intid, bool raise)
{
	const struct virq *v = vgic_irq(&g, idx, intid);
	bool idle;

	if (raise) {
		vgic_raise_hw_line(&g, idx, intid);
	} else {
		idle = vgic_lower_hw_line(&g, idx, intid);
		check(!idle || (v && intid < VGIC_NR_PRIVATE), "INTID %u lowered", intid);
		if (v && intid < VGIC_NR_PRIVATE) {
			check(idle == (!v->latched && !(v->level && !v->edge) && !v->active),
			      "lowered INTID %u: idle %d", intid, idle);
		}
	}
	if (!v || intid >= VGIC_NR_PRIVATE) {
		return;
	}
	check(v->level == raise, "INTID %u line %d after %s", intid, v->level,
	      raise ? "raising" : "lowering");
	check(!!(g.cpu[idx].hw_high & (1u << intid)) == raise, "vCPU %u hw_high 0x%x", idx,
	      g.cpu[idx].hw_high);
}

/* ---- the run ------------------------------------------------------------- */

enum {
	OP_DIST_READ,   /* u8 vCPU, u16 offset, u8 size code */
	OP_DIST_WRITE,  /* ... and u64 value */
	OP_REDIST_READ, /* u32 offset into the redistributor region, u8 size code */
	OP_REDIST_WRITE,/* ... and u64 value */
	OP_RUN,         /* u8 vCPU, u8 list registers, u32 guest actions, u8 + u64 garbage */
	OP_SGI,         /* u8 vCPU, u64 ICC_SGI1R_EL1 */
	OP_LEVEL,       /* u8 vCPU, u8 INTID, u8 level */
	OP_TRIGGER,     /* u8 vCPU, u8 INTID */
	OP_HW,          /* u8 vCPU, u8 INTID */
	OP_HW_LINE,     /* u8 vCPU, u8 INTID, u8 raise */
	NR_OPS,
};

static void setup(unsigned flags)
{
	uint64_t mpidrs[VGIC_MAX_VCPUS];
	unsigned n = 1 + (flags & 7), i;

	for (i = 0; i < n; i++) {
		switch ((flags >> 4) & 3) {
		case 0: /* QEMU's: Aff0 = i */
			mpidrs[i] = 0x80000000UL | i;
			break;
		case 1: /* clusters of two */
			mpidrs[i] = 0x80000000UL | (i / 2) << 8 | (i % 2);
			break;
		case 2: /* Aff0 beyond 15 (SGI1R's RS field), Aff2 and Aff3 */
			mpidrs[i] = 0x0100000000UL | 0x20000UL | (16 * i + 3);
			break;
		default: /* anything */
			mpidrs[i] = take_u64(in);
			break;
		}
	}
	vgic_init(&g, n, mpidrs);
	g.kick = kick;
	g.v2 = flags & 8;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input stream = input_of(data, size);
	unsigned n;

	in = &stream;
	setup(take_u8(in));
	check_state();
	for (n = 0; n < MAX_OPS && !input_done(in); n++) {
		unsigned op = take_u8(in) % NR_OPS;
		unsigned idx = take_below(in, g.nr_vcpus);

		switch (op) {
		case OP_DIST_READ:
		case OP_DIST_WRITE: {
			uint64_t off = take_u16(in);
			unsigned sz = size_of(take_u8(in));

			if (op == OP_DIST_READ) {
				check_read(true, idx, off, sz);
			} else {
				check_write(true, idx, off, sz, take_u64(in));
			}
			break;
		}
		case OP_REDIST_READ:
		case OP_REDIST_WRITE: {
			/* As vgic_v3.c splits its region, with one frame beyond. */
			uint64_t off = take_u32(in) % ((g.nr_vcpus + 1) * VGIC_REDIST_STRIDE);
			unsigned sz = size_of(take_u8(in));
			unsigned frame = off / VGIC_REDIST_STRIDE;

			off %= VGIC_REDIST_STRIDE;
			if (op == OP_REDIST_READ) {
				check_read(false, frame, off, sz);
			} else {
				check_write(false, frame, off, sz, take_u64(in));
			}
			break;
		}
		case OP_RUN: {
			unsigned nr_lrs = take_below(in, VGIC_MAX_LRS + 1);
			uint32_t actions = take_u32(in);
			unsigned garbage_at = take_u8(in);

			enter_and_exit(idx, nr_lrs, actions, garbage_at, take_u64(in));
			break;
		}
		case OP_SGI:
			send_sgi(idx, take_u64(in));
			break;
		case OP_LEVEL: {
			unsigned intid = take_u8(in);

			vgic_set_level(&g, idx, intid, take_bool(in));
			break;
		}
		case OP_TRIGGER:
			vgic_trigger(&g, idx, take_u8(in));
			break;
		case OP_HW: {
			unsigned intid = take_u8(in);

			/* Half of them linked as a device's SPI is, to another
			 * physical number (core/devices.c). */
			if (intid >= VGIC_NR_PRIVATE && (intid & 1)) {
				vgic_link_spi(&g, intid, 32 + (intid ^ 0x40) % 988);
			} else {
				vgic_set_hw(&g, idx, intid);
			}
			break;
		}
		default: {
			unsigned intid = take_u8(in);

			hw_line(idx, intid, take_bool(in));
			break;
		}
		}
		check_state();
	}
	in = NULL;
	return 0;
}
