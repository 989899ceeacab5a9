/*
 * LPIs for a GICv3 VM with an ITS (GIC architecture IHI 0069, 5.1): their
 * configuration, their pending state per redistributor, the
 * redistributors' LPI registers, and what the list-register fill needs.
 *
 * The guest gives each redistributor a property table (GICR_PROPBASER: one
 * byte per LPI, priority in bits 7:2, enable in bit 0) and a pending table
 * (GICR_PENDBASER), then sets GICR_CTLR.EnableLPIs. From then on the
 * architecture lets the redistributor cache both (5.1.1, 5.1.2): here the
 * configuration bytes are read from guest memory when EnableLPIs is set,
 * when an LPI becomes pending, and on the ITS's INV and INVALL, and the
 * pending bits live only here (the pending table is read once, when
 * EnableLPIs is set, unless PENDBASER.PTZ said it is zero). EnableLPIs
 * cannot be cleared once set, which the architecture allows; so the
 * pending table never has to be written back. Guest memory is reached
 * through l->ram, vm_ram_ptr() in Vireo: a table outside the VM's RAM
 * reads as LPIs disabled and nothing pending.
 *
 * An LPI is edge-like and has no active state: it goes into a list
 * register as pending, with the priority its configuration gives, in
 * Group 1, and stops being pending here; one the guest has not taken yet
 * when the vCPU exits is pending again (vgic_lpi_sync()). LPIs are
 * ordered with the other interrupts by priority, then INTID, so an LPI
 * loses a tie with an SPI. Called with the vGIC's lock held; pure logic,
 * unit tested on the host.
 */
#include "vdev/vgic_lpi.h"

#include <string.h>

#define GICR_CTLR 0x0000
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_CTLR_ENABLE_LPIS BIT(0)

#define PROPBASER_IDBITS GENMASK(4, 0)
#define PROPBASER_PA GENMASK(51, 12)
#define PROPBASER_MASK (GENMASK(58, 56) | GENMASK(51, 12) | GENMASK(11, 7) | PROPBASER_IDBITS)
#define PENDBASER_PA GENMASK(51, 16)
#define PENDBASER_PTZ BIT(62)
#define PENDBASER_MASK (GENMASK(58, 56) | PENDBASER_PA | GENMASK(11, 7))

#define GICD_CTLR_ENABLE_G1 BIT(1)

/* The pending table's first 1 KiB stands for INTIDs 0-8191. */
#define PENDING_LPI_OFFSET (VGIC_LPI_BASE / 8)

void vgic_lpi_reset(struct vgic_lpis *l)
{
	void *(*ram)(void *, uint64_t, uint64_t) = l->ram;
	void *ctx = l->ram_ctx;

	memset(l, 0, sizeof(*l));
	l->ram = ram;
	l->ram_ctx = ctx;
}

/* The INTIDs a redistributor's property table covers end here. */
static uint32_t lpi_limit(const struct vgic_lpis *l, unsigned idx)
{
	unsigned bits = FIELD_GET(PROPBASER_IDBITS, l->propbaser[idx]) + 1;

	return bits < VGIC_LPI_IDBITS ? VGIC_LPI_BASE : VGIC_LPI_BASE + VGIC_NR_LPIS;
}

bool vgic_lpi_valid(const struct vgic *g, unsigned idx, uint32_t intid)
{
	return g->lpi && idx < g->nr_vcpus && intid >= VGIC_LPI_BASE &&
	       intid < lpi_limit(g->lpi, idx);
}

/* Rereads one LPI's configuration byte. */
static void read_config(struct vgic *g, unsigned idx, uint32_t intid)
{
	struct vgic_lpis *l = g->lpi;
	const uint8_t *byte;

	byte = l->ram(l->ram_ctx, (l->propbaser[idx] & PROPBASER_PA) + intid - VGIC_LPI_BASE, 1);
	l->config[intid - VGIC_LPI_BASE] = byte ? *byte : 0;
}

/* The configuration changed: vCPU idx looks again, now if it can take
 * something. */
static void notify(struct vgic *g, unsigned idx)
{
	g->cpu[idx].dirty = true;
	if (g->kick && vgic_lpi_has_pending(g, idx)) {
		g->kick(g, idx);
	}
}

void vgic_lpi_reload(struct vgic *g, unsigned idx, uint32_t intid)
{
	if (vgic_lpi_valid(g, idx, intid)) {
		read_config(g, idx, intid);
		notify(g, idx);
	}
}

void vgic_lpi_reload_all(struct vgic *g, unsigned idx)
{
	struct vgic_lpis *l = g->lpi;
	const uint8_t *table;
	uint32_t i;

	if (!vgic_lpi_valid(g, idx, VGIC_LPI_BASE)) {
		return;
	}
	table = l->ram(l->ram_ctx, l->propbaser[idx] & PROPBASER_PA, VGIC_NR_LPIS);
	if (table) {
		memcpy(l->config, table, VGIC_NR_LPIS);
	}
	/* Not wholly in RAM: what is, byte by byte. */
	for (i = 0; !table && i < VGIC_NR_LPIS; i++) {
		read_config(g, idx, VGIC_LPI_BASE + i);
	}
	notify(g, idx);
}

static bool deliverable(const struct vgic *g, unsigned idx, uint32_t i)
{
	return g->lpi->enabled[idx] && (g->lpi->config[i] & LPI_CFG_ENABLE) &&
	       (g->ctlr & GICD_CTLR_ENABLE_G1);
}

bool vgic_lpi_pending(const struct vgic *g, unsigned idx, uint32_t intid)
{
	uint32_t i = intid - VGIC_LPI_BASE;

	return vgic_lpi_valid(g, idx, intid) && (g->lpi->pending[idx][i / 64] & BIT(i % 64));
}

void vgic_lpi_set_pending(struct vgic *g, unsigned idx, uint32_t intid, bool pending)
{
	struct vgic_lpis *l = g->lpi;
	uint32_t i = intid - VGIC_LPI_BASE;

	if (!vgic_lpi_valid(g, idx, intid) || vgic_lpi_pending(g, idx, intid) == pending) {
		return;
	}
	l->pending[idx][i / 64] ^= BIT(i % 64);
	if (l->pending[idx][i / 64]) {
		l->pending_words[idx][i / 4096] |= BIT(i / 64 % 64);
	} else {
		l->pending_words[idx][i / 4096] &= ~BIT(i / 64 % 64);
	}
	if (!pending) {
		l->n_pending[idx]--;
		return;
	}
	l->n_pending[idx]++;
	read_config(g, idx, intid);
	g->cpu[idx].dirty = true;
	if (deliverable(g, idx, i) && g->kick) {
		g->kick(g, idx);
	}
}

/* EnableLPIs goes from 0 to 1: the tables are read, and whatever is now
 * deliverable kicks the vCPU. */
static void enable_lpis(struct vgic *g, unsigned idx)
{
	struct vgic_lpis *l = g->lpi;
	const uint64_t *table = NULL;
	unsigned w;

	l->enabled[idx] = true;
	vgic_lpi_reload_all(g, idx);
	if (!(l->pendbaser[idx] & PENDBASER_PTZ)) {
		table = l->ram(l->ram_ctx, (l->pendbaser[idx] & PENDBASER_PA) + PENDING_LPI_OFFSET,
			       VGIC_NR_LPIS / 8);
	}
	for (w = 0; table && w < VGIC_NR_LPIS / 64; w++) {
		uint64_t bits = table[w];

		while (bits) {
			vgic_lpi_set_pending(g, idx, VGIC_LPI_BASE + w * 64 + __builtin_ctzl(bits), true);
			bits &= bits - 1;
		}
	}
	notify(g, idx);
}

/* A 64-bit register read whole or as either 32-bit half. */
static bool reg64_read(uint64_t reg, uint64_t off, unsigned size, uint64_t *val)
{
	if (size == 8 && off % 8 == 0) {
		*val = reg;
	} else if (size == 4) {
		*val = (uint32_t)(reg >> (off % 8 ? 32 : 0));
	} else {
		return false;
	}
	return true;
}

static bool reg64_write(uint64_t *reg, uint64_t off, unsigned size, uint64_t val)
{
	if (size == 8 && off % 8 == 0) {
		*reg = val;
	} else if (size == 4 && off % 8) {
		*reg = (*reg & 0xffffffffUL) | (val & 0xffffffffUL) << 32;
	} else if (size == 4) {
		*reg = (*reg & ~0xffffffffUL) | (val & 0xffffffffUL);
	} else {
		return false;
	}
	return true;
}

bool vgic_lpi_rd_read(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		      uint64_t *val, bool *ok)
{
	struct vgic_lpis *l = g->lpi;

	if (off == GICR_CTLR) {
		*ok = size == 4;
		*val = l->enabled[frame] ? GICR_CTLR_ENABLE_LPIS : 0;
	} else if (off / 8 == GICR_PROPBASER / 8) {
		*ok = reg64_read(l->propbaser[frame], off, size, val);
	} else if (off / 8 == GICR_PENDBASER / 8) {
		/* PTZ reads as zero. */
		*ok = reg64_read(l->pendbaser[frame] & PENDBASER_MASK, off, size, val);
	} else {
		return false;
	}
	return true;
}

bool vgic_lpi_rd_write(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		       uint64_t val, bool *ok)
{
	struct vgic_lpis *l = g->lpi;
	uint64_t reg;

	if (off == GICR_CTLR) {
		*ok = size == 4;
		if (*ok && (val & GICR_CTLR_ENABLE_LPIS) && !l->enabled[frame]) {
			enable_lpis(g, frame);
		}
		return true;
	}
	if (off / 8 != GICR_PROPBASER / 8 && off / 8 != GICR_PENDBASER / 8) {
		return false;
	}
	reg = off / 8 == GICR_PROPBASER / 8 ? l->propbaser[frame] : l->pendbaser[frame];
	*ok = reg64_write(&reg, off, size, val);
	/* Both are read-only while EnableLPIs is set (IHI 0069 12.11.x). */
	if (!*ok || l->enabled[frame]) {
		return true;
	}
	if (off / 8 == GICR_PROPBASER / 8) {
		l->propbaser[frame] = reg & PROPBASER_MASK;
	} else {
		l->pendbaser[frame] = reg & (PENDBASER_MASK | PENDBASER_PTZ);
	}
	return true;
}

/* Keeps best[0..*n) the max highest-priority LPIs seen, in order. */
static void keep_best(struct vgic_lpis *l, struct virq *v, unsigned *intids, unsigned max,
		      unsigned *n, unsigned *more, uint32_t i)
{
	uint8_t prio = l->config[i] & LPI_CFG_PRIORITY;
	unsigned j;

	if (*n == max) {
		if (max == 0 || v[max - 1].priority <= prio) {
			(*more)++;
			return;
		}
		(*more)++; /* the last one drops out */
		(*n)--;
	}
	/* INTIDs arrive in increasing order: a tie stays behind. */
	for (j = *n; j > 0 && v[j - 1].priority > prio; j--) {
		v[j] = v[j - 1];
		intids[j] = intids[j - 1];
	}
	v[j] = (struct virq){ .priority = prio, .enabled = true, .group1 = true, .edge = true,
			      .latched = true };
	intids[j] = VGIC_LPI_BASE + i;
	(*n)++;
}

unsigned vgic_lpi_collect(struct vgic *g, unsigned idx, struct virq *v, unsigned *intids,
			  unsigned max, unsigned *more)
{
	struct vgic_lpis *l = g->lpi;
	unsigned n = 0, s;

	*more = 0;
	if (!l || !l->n_pending[idx]) {
		return 0;
	}
	for (s = 0; s < VGIC_NR_LPIS / 4096; s++) {
		uint64_t words = l->pending_words[idx][s];

		while (words) {
			unsigned w = s * 64 + (unsigned)__builtin_ctzl(words);
			uint64_t bits = l->pending[idx][w];

			words &= words - 1;
			while (bits) {
				uint32_t i = w * 64 + (uint32_t)__builtin_ctzl(bits);

				bits &= bits - 1;
				if (deliverable(g, idx, i)) {
					keep_best(l, v, intids, max, &n, more, i);
				}
			}
		}
	}
	return n;
}

void vgic_lpi_sync(struct vgic *g, unsigned idx, uint32_t intid, uint64_t lr)
{
	/* Still pending: the guest has not taken it. Active (a CPU interface
	 * that keeps LPIs active until their EOI): taken; an LPI's active
	 * state is the CPU interface's business alone. */
	if (lr & LR_PENDING) {
		vgic_lpi_set_pending(g, idx, intid, true);
	}
}

bool vgic_lpi_has_pending(struct vgic *g, unsigned idx)
{
	struct virq v;
	unsigned intid, more;

	return vgic_lpi_collect(g, idx, &v, &intid, 1, &more) > 0;
}
