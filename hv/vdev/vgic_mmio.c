/*
 * The virtual GIC's registers: the distributor (GICD_*) and, for a GICv3,
 * each vCPU's redistributor (GICR_*, an RD_base frame and an SGI_base
 * frame), as the guest reaches them through stage-2 faults (GIC
 * architecture IHI 0069, chapter 12; IHI 0048B, chapter 4, for GICv2).
 *
 * The GICv3 model has one security state (GICD_CTLR.DS = 1) and affinity
 * routing always on (ARE = 1), 128 INTIDs, and LPIs only for a VM
 * configured with an ITS (g->lpi: GICD_TYPER.LPIS and IDbits, GICR_TYPER.PLPIS,
 * the redistributors' LPI registers in vgic_lpi.c). The GICv2
 * model (g->v2) is the same distributor with its private interrupts banked
 * per CPU, SPI targets as GICD_ITARGETSR bytes (CPU masks, kept as
 * written; the lowest target takes the SPI), SGIs sent through GICD_SGIR
 * and pending per sender (GICD_SPENDSGIR, GICD_CPENDSGIR), GICD_ICFGR
 * also by bytes, and five priority bits, as its CPU interfaces have; its
 * CPU interface is the hardware's (vgic_v2.c) or software's (vgic_cpuif.c).
 * The per-interrupt registers (group, enable, pending, active, priority,
 * configuration) have one layout in the distributor, for SPIs, and in the
 * SGI_base frame, for a vCPU's SGIs and PPIs; irq_regs_read() and
 * irq_regs_write() serve both. Registers Vireo does not implement read as
 * zero and ignore writes, as the architecture allows for absent features;
 * an access of a size the register does not support is refused, and the
 * guest gets an external abort. Pure logic: unit tested on the host.
 */
#include "vdev/vgic.h"
#include "vdev/vgic_lpi.h"

/* Distributor. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x7fe0
#define GICD_PIDR2 0xffe8
#define GICD_V2_PIDR2 0x0fe8 /* a GICv2 keeps its ID registers in its 4 KiB frame */

#define GICD_CTLR_ENABLE_MASK 0x3 /* EnableGrp0, EnableGrp1 */
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_DS BIT(6)
/* TYPER: ITLinesNumber = INTIDs / 32 - 1; IDbits = 10 bits - 1. */
#define GICD_TYPER_VALUE ((VGIC_NR_IRQS / 32 - 1) | (9UL << 19))
/* With LPIs: LPIS, and IDbits = the LPIs' INTID bits - 1. */
#define GICD_TYPER_LPIS BIT(17)
#define GICD_TYPER_IDBITS GENMASK(23, 19)
#define PIDR2_GICV3 0x3b /* ArchRev 3 */
#define PIDR2_GICV2 0x2b /* ArchRev 2 */
#define GICD_ITARGETSR 0x0800 /* GICv2 */
#define GICD_SGIR 0x0f00      /* GICv2 */
#define GICD_CPENDSGIR 0x0f10 /* GICv2, and SPENDSGIR after it */
#define GICD_SPENDSGIR 0x0f20
#define GICD_SGI_PEND_END 0x0f30
#define SGIR_FILTER_LIST 0
#define SGIR_FILTER_OTHERS 1
#define SGIR_FILTER_SELF 2
/* A GICv2's priorities have the five bits its CPU interfaces implement
 * (GICH_LR's priority field, vgic_cpuif.c). */
#define V2_PRIORITY_BITS 0xf8
/* A route no vCPU's affinity matches (Aff0 255): an SPI with no target. */
#define ROUTE_NOWHERE 0xff00ffffffUL

/* Per-interrupt registers, at the same offsets in both places. */
#define IGROUPR 0x0080
#define ISENABLER 0x0100
#define ICENABLER 0x0180
#define ISPENDR 0x0200
#define ICPENDR 0x0280
#define ISACTIVER 0x0300
#define ICACTIVER 0x0380
#define IPRIORITYR 0x0400
#define IPRIORITYR_END 0x0800
#define ICFGR 0x0c00
#define ICFGR_END 0x0d00

/* Redistributor. */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_SGI_BASE 0x10000
#define GICR_TYPER_PLPIS BIT(0)
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

enum bit_reg { B_GROUP, B_ENABLE, B_PENDING, B_ACTIVE };

static bool get_bit(const struct virq *v, enum bit_reg r)
{
	switch (r) {
	case B_GROUP:
		return v->group1;
	case B_ENABLE:
		return v->enabled;
	case B_PENDING:
		return v->latched || (!v->edge && v->level);
	default:
		return v->active;
	}
}

static void set_bit(struct virq *v, enum bit_reg r, bool on)
{
	switch (r) {
	case B_GROUP:
		v->group1 = on;
		break;
	case B_ENABLE:
		v->enabled = on;
		break;
	case B_PENDING:
		/* ICPENDR clears the latch; a level line that is high keeps
		 * the interrupt pending, as on hardware. */
		v->latched = on;
		break;
	default:
		v->active = on;
		break;
	}
}

/* The INTIDs a block of per-interrupt registers covers, seen by vCPU idx:
 * its private ones in a GICv3 redistributor frame, the SPIs in a GICv3
 * distributor, and both in a GICv2 distributor (which banks the private
 * ones per CPU). */
struct view {
	unsigned idx;
	bool private_irqs;
	bool spis;
};

static struct virq *irq_here(struct vgic *g, struct view w, unsigned intid)
{
	bool here = intid < VGIC_NR_PRIVATE ? w.private_irqs : w.spis && intid < VGIC_NR_IRQS;

	return here ? vgic_irq(g, w.idx, intid) : NULL;
}

/* Decodes a one-bit-per-interrupt register: which, first INTID, set/clear. */
static bool bit_reg_of(uint64_t off, enum bit_reg *r, unsigned *first, bool *clear)
{
	static const struct {
		uint64_t base;
		enum bit_reg r;
		bool clear;
	} map[] = {
		{ IGROUPR, B_GROUP, false },    { ISENABLER, B_ENABLE, false },
		{ ICENABLER, B_ENABLE, true },  { ISPENDR, B_PENDING, false },
		{ ICPENDR, B_PENDING, true },   { ISACTIVER, B_ACTIVE, false },
		{ ICACTIVER, B_ACTIVE, true },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (off >= map[i].base && off < map[i].base + 0x80) {
			*r = map[i].r;
			*first = (off - map[i].base) / 4 * 32;
			*clear = map[i].clear;
			return true;
		}
	}
	return false;
}

/* GICD_ICFGR: words, and on a GICv2 also bytes (four interrupts each). */
static bool icfgr_size_ok(const struct vgic *g, uint64_t off, unsigned size)
{
	return (size == 4 || (size == 1 && g->v2)) && off % size == 0;
}

static bool irq_regs_read(struct vgic *g, struct view idx, uint64_t off, unsigned size, uint64_t *val)
{
	enum bit_reg r;
	unsigned first, i;
	bool clear;

	*val = 0;
	if (off >= IPRIORITYR && off < IPRIORITYR_END) {
		if (size != 1 && size != 4) {
			return false;
		}
		for (i = 0; i < size; i++) {
			struct virq *v = irq_here(g, idx, off - IPRIORITYR + i);

			*val |= (uint64_t)(v ? v->priority : 0) << (8 * i);
		}
		return true;
	}
	if (off >= ICFGR && off < ICFGR_END && icfgr_size_ok(g, off, size)) {
		first = (off - ICFGR) * 4;
		for (i = 0; i < size * 4; i++) {
			struct virq *v = irq_here(g, idx, first + i);

			*val |= (uint64_t)(v && v->edge ? 2 : 0) << (2 * i);
		}
		return true;
	}
	if (size != 4) {
		return false;
	}
	if (bit_reg_of(off, &r, &first, &clear)) {
		for (i = 0; i < 32; i++) {
			struct virq *v = irq_here(g, idx, first + i);

			*val |= (uint64_t)(v && get_bit(v, r)) << i;
		}
	}
	return true; /* everything else in the block: RAZ */
}

static bool irq_regs_write(struct vgic *g, struct view idx, uint64_t off, unsigned size, uint64_t val)
{
	unsigned self = idx.idx;
	enum bit_reg r;
	unsigned first, i;
	bool clear;

	if (off >= IPRIORITYR && off < IPRIORITYR_END) {
		if (size != 1 && size != 4) {
			return false;
		}
		for (i = 0; i < size; i++) {
			struct virq *v = irq_here(g, idx, off - IPRIORITYR + i);

			if (v) {
				v->priority = (uint8_t)(val >> (8 * i)) &
					      (g->v2 ? V2_PRIORITY_BITS : 0xff);
			}
		}
		return true;
	}
	if (off >= ICFGR && off < ICFGR_END && icfgr_size_ok(g, off, size)) {
		first = (off - ICFGR) * 4;
		for (i = 0; i < size * 4; i++) {
			struct virq *v = irq_here(g, idx, first + i);

			/* SGIs are always edge-triggered. */
			if (v && first + i >= 16) {
				v->edge = val & (2UL << (2 * i));
			}
		}
		return true;
	}
	if (size != 4) {
		return false;
	}
	if (!bit_reg_of(off, &r, &first, &clear)) {
		return true; /* WI */
	}
	for (i = 0; i < 32; i++) {
		struct virq *v = irq_here(g, idx, first + i);
		bool bit = val & BIT(i);

		/* A GICv2's SGIs are pended per sender, through GICD_SPENDSGIR
		 * and GICD_CPENDSGIR: their ISPENDR and ICPENDR bits are WI. */
		if (!v || (r == B_PENDING && g->v2 && first + i < 16)) {
			continue;
		}
		if (r == B_GROUP) {
			set_bit(v, r, bit);
		} else if (bit) {
			set_bit(v, r, !clear);
		}
		if (bit && clear && (r == B_PENDING || r == B_ACTIVE)) {
			vgic_cleared(g, self, first + i);
		} else {
			vgic_update(g, self, first + i);
		}
	}
	return true;
}

static struct view dist_view(const struct vgic *g, unsigned idx)
{
	return (struct view){ idx, g->v2, true };
}

static uint8_t present_cpus(const struct vgic *g)
{
	return (uint8_t)(BIT(g->nr_vcpus) - 1);
}

/* GICv2's GICD_ITARGETSR byte for intid: the CPU interfaces it targets,
 * the reader's own for a private interrupt. With one CPU interface, every
 * interrupt targets it, and the registers are RAZ/WI (IHI 0048B 4.3.12). */
static uint8_t targets_read(struct vgic *g, unsigned idx, unsigned intid)
{
	if (g->nr_vcpus == 1) {
		return 0;
	}
	if (intid < VGIC_NR_PRIVATE) {
		return (uint8_t)BIT(idx);
	}
	return g->spi_targets[intid - VGIC_NR_PRIVATE];
}

/* An SPI's GICD_ITARGETSR byte, kept as written (less the CPUs there are
 * not). The architecture lets one of the targets take it; here the
 * lowest-numbered one does, through the route the model delivers by. */
static void targets_write(struct vgic *g, unsigned intid, uint8_t mask)
{
	struct virq *v = vgic_irq(g, 0, intid);
	uint8_t targets = mask & present_cpus(g);

	if (!v || intid < VGIC_NR_PRIVATE || g->nr_vcpus == 1) {
		return;
	}
	g->spi_targets[intid - VGIC_NR_PRIVATE] = targets;
	v->route = targets ? g->cpu[__builtin_ctz(targets)].mpidr & 0xff00ffffffUL : ROUTE_NOWHERE;
	vgic_update(g, 0, intid);
}

/* GICv2's GICD_SGIR: TargetListFilter, CPUTargetList, SGIINTID. Each
 * target's SGI becomes pending from the writer (the reserved filter, 3,
 * sends nothing). */
static void sgir_write(struct vgic *g, unsigned idx, uint32_t val)
{
	unsigned filter = (val >> 24) & 3, list = (val >> 16) & 0xff, i;

	for (i = 0; i < g->nr_vcpus; i++) {
		bool hit = (filter == SGIR_FILTER_LIST && (list & BIT(i))) ||
			   (filter == SGIR_FILTER_OTHERS && i != idx) ||
			   (filter == SGIR_FILTER_SELF && i == idx);

		if (hit) {
			struct virq *v = vgic_irq(g, i, val & 0xf);

			g->v2_sgis[i].sources[val & 0xf] |= (uint8_t)BIT(idx);
			v->latched = true;
			vgic_update(g, i, val & 0xf);
		}
	}
}

/* GICv2's GICD_CPENDSGIR and GICD_SPENDSGIR: one byte per SGI of the
 * accessing CPU, one bit per sender, set or cleared by writing ones. */
static bool sgi_pending_access(struct vgic *g, unsigned idx, uint64_t off, unsigned size,
			       bool write, uint64_t *val)
{
	bool set = off >= GICD_SPENDSGIR;
	unsigned first = off - (set ? GICD_SPENDSGIR : GICD_CPENDSGIR), i;

	if ((size != 1 && size != 4) || off % size) {
		return false;
	}
	if (!write) {
		*val = 0;
	}
	for (i = 0; i < size; i++) {
		uint8_t *sources = &g->v2_sgis[idx].sources[first + i];
		uint8_t bits = (uint8_t)(*val >> (8 * i)) & present_cpus(g);

		if (!write) {
			*val |= (uint64_t)*sources << (8 * i);
			continue;
		}
		*sources = set ? *sources | bits : *sources & (uint8_t)~bits;
		g->cpu[idx].private_irqs[first + i].latched = *sources != 0;
		vgic_update(g, idx, first + i);
	}
	return true;
}

static bool dist_targets_access(struct vgic *g, unsigned idx, uint64_t off, unsigned size,
				bool write, uint64_t *val)
{
	unsigned i;

	if (size != 1 && size != 4) {
		return false;
	}
	if (!write) {
		*val = 0;
	}
	for (i = 0; i < size; i++) {
		unsigned intid = off - GICD_ITARGETSR + i;

		if (write) {
			targets_write(g, intid, (uint8_t)(*val >> (8 * i)));
		} else if (intid < VGIC_NR_IRQS) {
			*val |= (uint64_t)targets_read(g, idx, intid) << (8 * i);
		}
	}
	return true;
}

static bool irouter_access(struct vgic *g, uint64_t off, unsigned size, bool write,
			   uint64_t *val)
{
	unsigned intid = (off - GICD_IROUTER) / 8;
	struct virq *v = vgic_irq(g, 0, intid);
	uint64_t route = v ? v->route : 0;

	if (!(size == 8 && off % 8 == 0) && size != 4) {
		return false;
	}
	if (!write) {
		*val = size == 8 ? route : (uint32_t)(route >> (off % 8 ? 32 : 0));
		return true;
	}
	if (size == 8) {
		route = *val;
	} else if (off % 8) {
		route = (route & 0xffffffffUL) | (*val & 0xffffffffUL) << 32;
	} else {
		route = (route & ~0xffffffffUL) | (*val & 0xffffffffUL);
	}
	if (v) {
		v->route = route & 0xff00ffffffUL; /* IRM (1-of-N) is not offered */
		vgic_update(g, 0, intid);
	}
	return true;
}

static uint64_t dist_id_read(const struct vgic *g, uint64_t off)
{
	switch (off) {
	case GICD_CTLR:
		return g->v2 ? g->ctlr : g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	case GICD_TYPER:
		if (g->lpi) {
			return (GICD_TYPER_VALUE & ~GICD_TYPER_IDBITS) | GICD_TYPER_LPIS |
			       FIELD_PREP(GICD_TYPER_IDBITS, VGIC_LPI_IDBITS - 1);
		}
		return GICD_TYPER_VALUE | (g->v2 ? (uint64_t)(g->nr_vcpus - 1) << 5 : 0);
	case GICD_PIDR2:
		return g->v2 ? PIDR2_GICV2 : PIDR2_GICV3;
	default:
		/* Tested here, not as a case, to keep GICD_TYPER's path short. */
		if (off == GICD_V2_PIDR2 && g->v2) {
			return PIDR2_GICV2;
		}
		return 0; /* IIDR 0: no implementation quirks to match */
	}
}

static bool dist_access_locked(struct vgic *g, unsigned idx, uint64_t off, unsigned size,
			       bool write, uint64_t *val)
{
	unsigned i, j;

	if (!g->v2 && off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER_END) {
		return irouter_access(g, off, size, write, val);
	}
	if (g->v2 && off >= GICD_ITARGETSR && off < ICFGR) {
		return dist_targets_access(g, idx, off, size, write, val);
	}
	if (g->v2 && off >= GICD_CPENDSGIR && off < GICD_SGI_PEND_END) {
		return sgi_pending_access(g, idx, off, size, write, val);
	}
	if (off >= IGROUPR && off < ICFGR_END) {
		return write ? irq_regs_write(g, dist_view(g, idx), off, size, *val)
			     : irq_regs_read(g, dist_view(g, idx), off, size, val);
	}
	if (size != 4) {
		return false;
	}
	if (!write) {
		*val = dist_id_read(g, off);
	} else if (off == GICD_CTLR) {
		g->ctlr = *val & GICD_CTLR_ENABLE_MASK;
		/* Every vCPU's private interrupts, not only the writer's: one
		 * waiting in WFI must hear that its own became deliverable. */
		for (j = 0; j < g->nr_vcpus; j++) {
			for (i = 0; i < VGIC_NR_PRIVATE; i++) {
				vgic_update(g, j, i);
			}
		}
		for (i = VGIC_NR_PRIVATE; i < VGIC_NR_IRQS; i++) {
			vgic_update(g, idx, i);
		}
		for (j = 0; g->lpi && j < g->nr_vcpus; j++) {
			g->cpu[j].dirty = true;
			if (vgic_lpi_has_pending(g, j) && g->kick) {
				g->kick(g, j);
			}
		}
	} else if (off == GICD_SGIR && g->v2) {
		sgir_write(g, idx, (uint32_t)*val);
	}
	return true;
}

bool vgic_dist_read(struct vgic *g, unsigned idx, uint64_t off, unsigned size, uint64_t *val)
{
	bool ok;

	spin_lock(&g->lock);
	ok = dist_access_locked(g, idx, off, size, false, val);
	spin_unlock(&g->lock);
	return ok;
}

bool vgic_dist_write(struct vgic *g, unsigned idx, uint64_t off, unsigned size, uint64_t val)
{
	bool ok;

	spin_lock(&g->lock);
	ok = dist_access_locked(g, idx, off, size, true, &val);
	spin_unlock(&g->lock);
	return ok;
}

static uint64_t redist_typer(const struct vgic *g, unsigned frame)
{
	uint64_t mpidr = g->cpu[frame].mpidr;
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;

	return aff << 32 | (uint64_t)frame << 8 |
	       (frame == g->nr_vcpus - 1 ? GICR_TYPER_LAST : 0) | (g->lpi ? GICR_TYPER_PLPIS : 0);
}

static bool rd_read(struct vgic *g, unsigned frame, uint64_t off, unsigned size, uint64_t *val)
{
	bool ok;

	if (g->lpi && vgic_lpi_rd_read(g, frame, off, size, val, &ok)) {
		return ok;
	}
	if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		uint64_t typer = redist_typer(g, frame);

		if (size == 8 && off == GICR_TYPER) {
			*val = typer;
		} else if (size == 4) {
			*val = (uint32_t)(typer >> (off == GICR_TYPER ? 0 : 32));
		} else {
			return false;
		}
		return true;
	}
	if (size != 4 && size != 8) {
		return false;
	}
	switch (off) {
	case GICR_WAKER:
		*val = g->cpu[frame].sleeping ? GICR_WAKER_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
		break;
	case GICR_PIDR2:
		*val = PIDR2_GICV3;
		break;
	default:
		*val = 0; /* CTLR (no LPIs, no pending writes), IIDR, PROPBASER... */
		break;
	}
	return true;
}

bool vgic_redist_read(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		      uint64_t *val)
{
	bool ok;

	if (frame >= g->nr_vcpus) {
		return false;
	}
	spin_lock(&g->lock);
	if (off >= GICR_SGI_BASE) {
		ok = irq_regs_read(g, (struct view){ frame, true, false }, off - GICR_SGI_BASE, size,
				   val);
	} else {
		ok = rd_read(g, frame, off, size, val);
	}
	spin_unlock(&g->lock);
	return ok;
}

bool vgic_redist_write(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		       uint64_t val)
{
	bool ok = true;

	if (frame >= g->nr_vcpus) {
		return false;
	}
	spin_lock(&g->lock);
	if (off >= GICR_SGI_BASE) {
		ok = irq_regs_write(g, (struct view){ frame, true, false }, off - GICR_SGI_BASE, size,
				    val);
	} else if (g->lpi && vgic_lpi_rd_write(g, frame, off, size, val, &ok)) {
		/* CTLR.EnableLPIs, PROPBASER, PENDBASER: vgic_lpi.c */
	} else if (off == GICR_WAKER && size == 4) {
		g->cpu[frame].sleeping = val & GICR_WAKER_SLEEP;
	} else if (size != 4 && size != 8) {
		ok = false;
	}
	spin_unlock(&g->lock);
	return ok;
}
