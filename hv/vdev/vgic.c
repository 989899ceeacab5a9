/*
 * The virtual GIC's interrupt state machine (GIC architecture IHI 0069,
 * 4.1): which interrupts are pending, active, enabled, and which vCPU
 * should take them.
 *
 * Interrupts arrive here from devices (vgic_set_level() for level-sensitive
 * lines such as the UART's and the emulated physical timer's,
 * vgic_raise_hw_line() for the virtual timer's, vgic_trigger() for edges) and
 * from guests (vgic_send_sgi() for ICC_SGI1R_EL1 writes, the register
 * writes in vgic_mmio.c). Nothing is delivered directly: before each entry
 * into a vCPU, vgic_fill_lrs() picks the highest-priority interrupts that
 * vCPU should see and encodes them as list register values; the hardware's
 * virtual CPU interface then presents them to the guest, which acknowledges
 * and ends them without trapping. After the exit, vgic_sync_lrs() reads
 * back what the guest did. When more interrupts wait than there are list
 * registers, the caller asks for an underflow maintenance interrupt, so the
 * next batch goes in as soon as the guest has taken the first.
 *
 * Level-sensitive interrupts go in with the LR's EOI bit, so ending one
 * traps (a maintenance interrupt) and the line is sampled again. The
 * virtual timer's interrupt goes in with the HW bit: the guest's
 * deactivation deactivates the physical interrupt too, which keeps the
 * physical timer from firing again until the guest has handled it. Its
 * line is a level too: while it is high (hw_high says so cheaply), the
 * mode reads the timer's output back at each exit and lowers the line when
 * it is low (vgic_lower_hw_line()), ending the physical one itself when no
 * guest will.
 *
 * A GICv2's SGIs are pending once per sending CPU (IHI 0048B 3.2.3): the
 * senders are a mask (struct vgic_v2_sgis), and one at a time goes into
 * the SGI's list register, named in its source field, so that the guest's
 * GICC_IAR says who sent it; while more wait, ending it traps, and the
 * next goes in.
 *
 * A host device's SPI (core/devices.c) is hardware-linked the same way,
 * to a physical SPI of another number perhaps (vgic_link_spi()): each
 * firing makes it pending, and the guest's deactivation ends the physical
 * one, which cannot fire again before that.
 *
 * LPIs (vgic_lpi.c, for a VM with an ITS) join the fill: the best of
 * them are candidates beside the SGIs, PPIs and SPIs, sorted with them,
 * and each that goes into a list register stops being pending there.
 *
 * One lock per VM guards all of it. Pure logic: unit tested on the host.
 */
#include "vdev/vgic.h"

#include <string.h>

#include "vdev/vgic_lpi.h"

#define SGI_INTID GENMASK(27, 24)
#define SGI_TARGETS GENMASK(15, 0)
#define SGI_AFF1 GENMASK(23, 16)
#define SGI_AFF2 GENMASK(39, 32)
#define SGI_IRM BIT(40)
#define SGI_RS GENMASK(47, 44)
#define SGI_AFF3 GENMASK(55, 48)

#define MPIDR_AFF1_3 0xff00ffff00UL /* Aff3, Aff2, Aff1 */

#define GICD_CTLR_ENABLE_G0 BIT(0)
#define GICD_CTLR_ENABLE_G1 BIT(1)

struct virq *vgic_irq(struct vgic *g, unsigned idx, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		return idx < g->nr_vcpus ? &g->cpu[idx].private_irqs[intid] : NULL;
	}
	if (intid < VGIC_NR_IRQS) {
		return &g->spis[intid - VGIC_NR_PRIVATE];
	}
	return NULL;
}

void vgic_init(struct vgic *g, unsigned nr_vcpus, const uint64_t *mpidrs)
{
	unsigned i, j;

	memset(g, 0, sizeof(*g));
	g->nr_vcpus = nr_vcpus;
	for (i = 0; i < nr_vcpus; i++) {
		g->cpu[i].mpidr = mpidrs[i];
		g->cpu[i].sleeping = true;
		/* SGIs are always edge-triggered (GICR_ICFGR0 is read-only). */
		for (j = 0; j < 16; j++) {
			g->cpu[i].private_irqs[j].edge = true;
		}
	}
	/* A GICv2's SPIs target CPU interface 0, where route 0 sends them. */
	memset(g->spi_targets, 1, sizeof(g->spi_targets));
}

static bool is_pending(const struct virq *v)
{
	return v->latched || (!v->edge && v->level);
}

static bool group_enabled(const struct vgic *g, const struct virq *v)
{
	return g->ctlr & (v->group1 ? GICD_CTLR_ENABLE_G1 : GICD_CTLR_ENABLE_G0);
}

/* Whether vCPU idx is where an SPI is routed. */
static bool routed_to(const struct vgic *g, const struct virq *v, unsigned idx)
{
	return (v->route & 0xff00ffffffUL) == (g->cpu[idx].mpidr & 0xff00ffffffUL);
}

/* The vCPU an SPI targets, or -1 if its route names none. */
static int spi_target(const struct vgic *g, const struct virq *v)
{
	unsigned i;

	for (i = 0; i < g->nr_vcpus; i++) {
		if (routed_to(g, v, i)) {
			return (int)i;
		}
	}
	return -1;
}

static bool deliverable(const struct vgic *g, const struct virq *v)
{
	return is_pending(v) && v->enabled && group_enabled(g, v);
}

/* Notes that intid may now be pending or active, for the fill's scan. */
static void mark_live(struct vgic *g, unsigned idx, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		g->cpu[idx].live |= (uint32_t)BIT(intid);
	} else {
		g->spi_live[(intid - VGIC_NR_PRIVATE) / 64] |= BIT((intid - VGIC_NR_PRIVATE) % 64);
	}
}

/* Something changed for intid: its vCPU must look at it at its next entry,
 * and is kicked if it can take it now. */
static void notify(struct vgic *g, unsigned idx, unsigned intid, struct virq *v)
{
	int target = intid < VGIC_NR_PRIVATE ? (int)idx : spi_target(g, v);

	mark_live(g, idx, intid);
	if (target < 0) {
		return;
	}
	g->cpu[target].dirty = true;
	if (deliverable(g, v) && g->kick) {
		g->kick(g, (unsigned)target);
	}
}

/* A register write changed intid; cleared says it cleared its pending or
 * active state, which only then may leave a linked SPI idle. */
static inline __attribute__((always_inline)) void written(struct vgic *g, unsigned idx,
							    unsigned intid, bool cleared)
{
	struct virq *v = vgic_irq(g, idx, intid);

	if (!v) {
		return;
	}
	notify(g, idx, intid, v);
	if (v->hw && intid >= VGIC_NR_PRIVATE && g->hw_spi_changed) {
		g->hw_spi_changed(g, intid, spi_target(g, v),
				  cleared && !is_pending(v) && !v->active);
	}
}

void vgic_update(struct vgic *g, unsigned idx, unsigned intid)
{
	written(g, idx, intid, false);
}

void vgic_cleared(struct vgic *g, unsigned idx, unsigned intid)
{
	written(g, idx, intid, true);
}

void vgic_set_level(struct vgic *g, unsigned idx, unsigned intid, bool level)
{
	struct virq *v;

	spin_lock(&g->lock);
	v = vgic_irq(g, idx, intid);
	if (v && v->level != level) {
		v->level = level;
		notify(g, idx, intid, v);
	}
	spin_unlock(&g->lock);
}

void vgic_trigger(struct vgic *g, unsigned idx, unsigned intid)
{
	struct virq *v;

	spin_lock(&g->lock);
	v = vgic_irq(g, idx, intid);
	if (v) {
		v->latched = true;
		notify(g, idx, intid, v);
	}
	spin_unlock(&g->lock);
}

void vgic_set_hw(struct vgic *g, unsigned idx, unsigned intid)
{
	struct virq *v;

	spin_lock(&g->lock);
	v = vgic_irq(g, idx, intid);
	if (v) {
		v->hw = true;
	}
	/* An SPI so marked is linked to its own number's physical one. */
	if (v && intid >= VGIC_NR_PRIVATE) {
		g->spi_pintid[intid - VGIC_NR_PRIVATE] = (uint16_t)intid;
	}
	spin_unlock(&g->lock);
}

void vgic_link_spi(struct vgic *g, unsigned intid, unsigned pintid)
{
	spin_lock(&g->lock);
	if (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS) {
		g->spis[intid - VGIC_NR_PRIVATE].hw = true;
		g->spi_pintid[intid - VGIC_NR_PRIVATE] = (uint16_t)pintid;
	}
	spin_unlock(&g->lock);
}

int vgic_spi_target(struct vgic *g, unsigned intid)
{
	int target = -1;

	spin_lock(&g->lock);
	if (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS) {
		target = spi_target(g, &g->spis[intid - VGIC_NR_PRIVATE]);
	}
	spin_unlock(&g->lock);
	return target;
}

void vgic_raise_hw_line(struct vgic *g, unsigned idx, unsigned intid)
{
	struct virq *v;

	spin_lock(&g->lock);
	v = intid < VGIC_NR_PRIVATE ? vgic_irq(g, idx, intid) : NULL;
	if (v) {
		g->cpu[idx].hw_high |= (uint32_t)BIT(intid);
	}
	if (v && !v->level) {
		v->level = true;
		notify(g, idx, intid, v);
	}
	spin_unlock(&g->lock);
}

bool vgic_lower_hw_line(struct vgic *g, unsigned idx, unsigned intid)
{
	struct virq *v;
	bool idle = false;

	spin_lock(&g->lock);
	v = intid < VGIC_NR_PRIVATE ? vgic_irq(g, idx, intid) : NULL;
	if (v) {
		v->level = false;
		idle = !is_pending(v) && !v->active;
		g->cpu[idx].dirty = true;
		g->cpu[idx].hw_high &= ~(uint32_t)BIT(intid);
	}
	spin_unlock(&g->lock);
	return idle;
}

/* ICC_SGI1R_EL1 (Arm ARM D19, ICC_SGI1R_EL1): IRM=1 targets every other
 * PE; otherwise the PEs with the given Aff3.Aff2.Aff1 whose Aff0 is
 * RS * 16 + a set bit of TargetList. */
void vgic_send_sgi(struct vgic *g, unsigned idx, uint64_t sgi1r)
{
	unsigned intid = FIELD_GET(SGI_INTID, sgi1r);
	uint64_t aff = FIELD_GET(SGI_AFF3, sgi1r) << 32 | FIELD_GET(SGI_AFF2, sgi1r) << 16 |
		       FIELD_GET(SGI_AFF1, sgi1r) << 8;
	unsigned i;

	for (i = 0; i < g->nr_vcpus; i++) {
		uint64_t mpidr = g->cpu[i].mpidr;
		uint64_t aff0 = mpidr & 0xff;
		bool hit;

		if (sgi1r & SGI_IRM) {
			hit = i != idx;
		} else {
			hit = (mpidr & MPIDR_AFF1_3) == aff && aff0 / 16 == FIELD_GET(SGI_RS, sgi1r) &&
			      (FIELD_GET(SGI_TARGETS, sgi1r) & BIT(aff0 % 16));
		}
		if (hit) {
			vgic_trigger(g, i, intid);
		}
	}
}

struct candidate {
	unsigned intid;
	struct virq *v;
};

static bool wants_lr(const struct vgic *g, const struct virq *v)
{
	return v->active || deliverable(g, v);
}

static bool is_v2_sgi(const struct vgic *g, unsigned intid)
{
	return intid < 16 && g->v2;
}

/* Whether an active interrupt's pending state stays out of its list
 * register: a level's until the guest ends it and the line is sampled
 * anew (the EOI maintenance in encode_lr()), a GICv2 SGI's because the
 * pending one is another sender's, which one list register cannot name
 * beside the active one's. */
static bool pending_held_back(const struct vgic *g, struct candidate c)
{
	return c.v->active && (!c.v->edge || c.v->hw || is_v2_sgi(g, c.intid));
}

/* Collects vCPU idx's candidates for the list registers, scanning only
 * the interrupts marked live, and unmarking those that no longer are. */
static unsigned collect(struct vgic *g, unsigned idx, struct candidate *out)
{
	uint32_t live = g->cpu[idx].live;
	unsigned n = 0, w;

	while (live) {
		unsigned i = __builtin_ctz(live);
		struct virq *v = &g->cpu[idx].private_irqs[i];

		live &= live - 1;
		if (wants_lr(g, v)) {
			out[n++] = (struct candidate){ i, v };
		} else if (!is_pending(v) && !v->active) {
			g->cpu[idx].live &= ~(uint32_t)BIT(i);
		}
	}
	for (w = 0; w < ARRAY_SIZE(g->spi_live); w++) {
		uint64_t bits = g->spi_live[w];

		while (bits) {
			unsigned i = w * 64 + __builtin_ctzl(bits);
			struct virq *v = &g->spis[i];

			bits &= bits - 1;
			if (wants_lr(g, v) && routed_to(g, v, idx)) {
				out[n++] = (struct candidate){ i + VGIC_NR_PRIVATE, v };
			} else if (!is_pending(v) && !v->active) {
				g->spi_live[w] &= ~BIT(i % 64);
			}
		}
	}
	return n;
}

/* Orders candidates by priority (lower value first), then INTID. An
 * insertion sort: there are rarely more than a handful. */
static void sort(struct candidate *c, unsigned n)
{
	unsigned i, j;

	for (i = 1; i < n; i++) {
		struct candidate x = c[i];

		for (j = i; j > 0 && (c[j - 1].v->priority > x.v->priority ||
				      (c[j - 1].v->priority == x.v->priority &&
				       c[j - 1].intid > x.intid));
		     j--) {
			c[j] = c[j - 1];
		}
		c[j] = x;
	}
}

/* A GICv2 SGI goes in one sender at a time: the active one's, or the
 * lowest-numbered pending one's, taken out of the pending senders. While
 * other senders wait, ending it traps (EOI), and the next goes in. */
static uint64_t encode_v2_sgi(struct vgic_v2_sgis *sgis, struct candidate c)
{
	struct virq *v = c.v;
	uint8_t *sources = &sgis->sources[c.intid];
	unsigned source = sgis->active_source[c.intid];
	uint64_t lr = c.intid | FIELD_PREP(LR_PRIORITY, v->priority) | (v->group1 ? LR_GROUP : 0);

	if (v->active) {
		lr |= LR_ACTIVE;
	} else {
		/* (No sender is a latch set some other way: CPU 0's.) */
		source = *sources ? (unsigned)__builtin_ctz(*sources) : 0;
		*sources &= (uint8_t)~BIT(source);
		v->latched = *sources != 0;
		lr |= LR_PENDING;
	}
	return lr | FIELD_PREP(LR_SGI_SOURCE, source) | (*sources ? LR_EOI : 0);
}

static uint64_t encode_lr(const struct vgic *g, struct candidate c)
{
	struct virq *v = c.v;
	uint64_t lr = c.intid | FIELD_PREP(LR_PRIORITY, v->priority);

	if (v->group1) {
		lr |= LR_GROUP;
	}
	if (v->active) {
		lr |= LR_ACTIVE;
	}
	/* An active level interrupt is not pending again until the guest ends
	 * it and its line is sampled anew (the EOI maintenance below); nor is
	 * a hardware-linked one, whose list register cannot be both (its
	 * pending state is the physical interrupt's). */
	if (is_pending(v) && !(v->active && (!v->edge || v->hw))) {
		lr |= LR_PENDING;
	}
	if (v->hw) {
		/* The timer's twin has its INTID; a device's SPI has its own. */
		unsigned pintid = c.intid < VGIC_NR_PRIVATE ? c.intid
							   : g->spi_pintid[c.intid - VGIC_NR_PRIVATE];

		lr |= LR_HW | FIELD_PREP(LR_PINTID, pintid);
	} else if (!v->edge) {
		lr |= LR_EOI;
	}
	/* An edge's pending state moves into the list register; a level
	 * interrupt's latch (from ISPENDR) stays until the guest takes it. */
	if (v->edge && (lr & LR_PENDING)) {
		v->latched = false;
	}
	return lr;
}

/* Adds vCPU idx's best LPIs (vgic_lpi.c) to its candidates; counts in
 * *more those that do not fit in the list registers. */
static unsigned collect_lpis(struct vgic *g, unsigned idx, struct candidate *out,
			     struct virq *lpis, unsigned nr_lrs, unsigned *more)
{
	unsigned intids[VGIC_MAX_LRS], n, i;

	n = vgic_lpi_collect(g, idx, lpis, intids, MIN(nr_lrs, VGIC_MAX_LRS), more);
	for (i = 0; i < n; i++) {
		out[i] = (struct candidate){ intids[i], &lpis[i] };
	}
	return n;
}

unsigned vgic_fill_lrs(struct vgic *g, unsigned idx, uint64_t *lrs, unsigned nr_lrs,
		       bool *underflow)
{
	struct candidate c[VGIC_NR_IRQS + VGIC_MAX_LRS];
	struct virq lpis[VGIC_MAX_LRS];
	unsigned n, i, more;

	spin_lock(&g->lock);
	n = collect(g, idx, c);
	n += collect_lpis(g, idx, c + n, lpis, nr_lrs, &more);
	sort(c, n);
	*underflow = n + more > nr_lrs;
	/* Nothing left over: nothing to fill until something changes. */
	g->cpu[idx].dirty = *underflow;
	n = MIN(n, nr_lrs);
	g->cpu[idx].lr_pending = 0;
	for (i = 0; i < n; i++) {
		lrs[i] = is_v2_sgi(g, c[i].intid) ? encode_v2_sgi(&g->v2_sgis[idx], c[i])
						  : encode_lr(g, c[i]);
		if (lrs[i] & LR_PENDING) {
			g->cpu[idx].lr_pending |= BIT(i);
		}
		/* An LPI's pending state moves into the list register. */
		if (c[i].intid >= VGIC_LPI_BASE) {
			vgic_lpi_set_pending(g, idx, c[i].intid, false);
		}
	}
	spin_unlock(&g->lock);
	return n;
}

/* Its sender stays pending if the guest did not take it, and is the
 * active one's if it did. (A sender that is no vCPU came from no fill.) */
static void sync_v2_sgi(struct vgic *g, unsigned idx, unsigned intid, struct virq *v,
			uint64_t lr)
{
	unsigned source = FIELD_GET(LR_SGI_SOURCE, lr);

	if (source >= g->nr_vcpus) {
		source = 0;
	}
	if (lr & LR_PENDING) {
		g->v2_sgis[idx].sources[intid] |= (uint8_t)BIT(source);
		v->latched = true;
	}
	if (lr & LR_ACTIVE) {
		g->v2_sgis[idx].active_source[intid] = (uint8_t)source;
	}
}

void vgic_sync_lrs(struct vgic *g, unsigned idx, const uint64_t *lrs, unsigned n)
{
	unsigned i;

	spin_lock(&g->lock);
	/* The guest acted on these: look at them again at the next entry. */
	if (n > 0) {
		g->cpu[idx].dirty = true;
	}
	for (i = 0; i < n; i++) {
		unsigned intid = FIELD_GET(LR_VINTID, lrs[i]);
		struct virq *v = vgic_irq(g, idx, intid);

		/* Pending when filled, not now: the guest acknowledged it. */
		if ((g->cpu[idx].lr_pending & BIT(i)) && !(lrs[i] & LR_PENDING)) {
			g->cpu[idx].lr_pending &= ~BIT(i);
			g->cpu[idx].taken++;
		}
		if (!v) {
			vgic_lpi_sync(g, idx, intid, lrs[i]);
			continue;
		}
		mark_live(g, idx, intid);
		v->active = lrs[i] & LR_ACTIVE;
		if (v->edge && is_v2_sgi(g, intid)) {
			sync_v2_sgi(g, idx, intid, v, lrs[i]);
		} else if (v->edge) {
			/* Not taken yet: still pending. */
			v->latched |= (lrs[i] & LR_PENDING) != 0;
		} else if (!(lrs[i] & LR_PENDING)) {
			/* Taken: a latch is consumed, the line is sampled anew. */
			v->latched = false;
		}
	}
	spin_unlock(&g->lock);
}

bool vgic_has_pending(struct vgic *g, unsigned idx)
{
	struct candidate c[VGIC_NR_IRQS];
	unsigned n, i;
	bool any = false;

	spin_lock(&g->lock);
	n = collect(g, idx, c);
	/* Only what the next fill presents as pending. */
	for (i = 0; i < n && !any; i++) {
		any = deliverable(g, c[i].v) && !pending_held_back(g, c[i]);
	}
	any = any || vgic_lpi_has_pending(g, idx);
	spin_unlock(&g->lock);
	return any;
}

void vgic_report(struct vgic *g, vgic_report_fn *fn, void *ctx)
{
	unsigned i, k;

	spin_lock(&g->lock);
	for (i = 0; i < g->nr_vcpus; i++) {
		for (k = 0; k < VGIC_NR_PRIVATE; k++) {
			const struct virq *v = &g->cpu[i].private_irqs[k];

			if (v->enabled || is_pending(v) || v->active) {
				fn(ctx, i, k, v);
			}
		}
	}
	for (k = 0; k < VGIC_NR_SPIS; k++) {
		const struct virq *v = &g->spis[k];

		if (v->enabled || is_pending(v) || v->active) {
			fn(ctx, 0, VGIC_NR_PRIVATE + k, v);
		}
	}
	spin_unlock(&g->lock);
}
