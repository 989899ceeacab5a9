/*
 * The ITS's commands (GIC architecture IHI 0069, 5.3): decoding one from
 * its 32 bytes (vgic_its_decode(), pure), and carrying it out over the
 * translation tables in guest memory.
 *
 * The tables are the guest's, as on hardware: a flat device table
 * (GITS_BASER0, one entry per DeviceID), a flat collection table
 * (GITS_BASER1, one per ICID) and one interrupt translation table per
 * device, wherever MAPD puts it. Their entry formats are the
 * implementation's to choose (IHI 0069 5.2); here each entry is 8 bytes:
 *
 *	device (DTE):     bit 0 valid, bits 5:1 EventID bits - 1,
 *	                  bits 51:8 the ITT's address
 *	event (ITE):      bit 63 valid, bits 47:32 ICID, bits 31:0 pINTID
 *	collection (CTE): bit 63 valid, bits 15:0 the target's processor number
 *
 * Every entry is reached through the VM's checked RAM accessor, bounded by
 * the table size its register gives: an index past the end of its table,
 * an unmapped device, event or collection, or an INTID that is no LPI is a
 * command error, and the command is ignored (one of the behaviours IHI
 * 0069 5.3.1 allows); a table entry outside the VM's RAM stalls the queue
 * instead (GITS_CREADR.Stalled), since no later command could be trusted
 * to see the effects of this one. A guest that scribbles over its own
 * tables gets unpredictable translations, never an access outside its RAM.
 */
#include "vdev/vgic_lpi.h"

#include <string.h>

#define DW0_OP GENMASK(7, 0)
#define DW0_DEVICE GENMASK(63, 32)
#define DW1_EVENT GENMASK(31, 0)
#define DW1_INTID GENMASK(63, 32)
#define DW1_SIZE GENMASK(4, 0)
#define DW2_ICID GENMASK(15, 0)
#define DW2_RDBASE GENMASK(51, 16)
#define DW2_ITT GENMASK(51, 8)
#define DW2_VALID BIT(63)

#define DTE_VALID BIT(0)
#define DTE_SIZE GENMASK(5, 1)
#define DTE_ITT GENMASK(51, 8)
#define ITE_VALID BIT(63)
#define ITE_ICID GENMASK(47, 32)
#define ITE_INTID GENMASK(31, 0)
#define CTE_VALID BIT(63)
#define CTE_TARGET GENMASK(15, 0)

#define ITS_ENTRY_SIZE 8
#define ITS_EVENT_BITS 16 /* GITS_TYPER.ID_bits + 1 */
#define ITS_DEVICE_BITS 16 /* GITS_TYPER.Devbits + 1 */

#define BASER_SIZE GENMASK(7, 0)
#define BASER_PAGE_SIZE GENMASK(9, 8)
#define BASER_PA GENMASK(47, 12)
#define BASER_PA_64K_HIGH GENMASK(15, 12) /* PA bits 51:48 with 64 KiB pages */
#define BASER_VALID BIT(63)
#define SZ_4K 0x1000UL
#define SZ_16K 0x4000UL
#define SZ_64K 0x10000UL

static uint64_t dw(const uint8_t *raw, unsigned i)
{
	uint64_t v;

	memcpy(&v, raw + 8 * i, sizeof(v));
	return v;
}

bool vgic_its_decode(const uint8_t raw[ITS_CMD_SIZE], struct its_cmd *cmd)
{
	uint64_t d0 = dw(raw, 0), d1 = dw(raw, 1), d2 = dw(raw, 2), d3 = dw(raw, 3);

	*cmd = (struct its_cmd){
		.op = (enum its_cmd_op)FIELD_GET(DW0_OP, d0),
		.device = (uint32_t)FIELD_GET(DW0_DEVICE, d0),
		.event = (uint32_t)FIELD_GET(DW1_EVENT, d1),
		.intid = (uint32_t)FIELD_GET(DW1_INTID, d1),
		.icid = (uint16_t)FIELD_GET(DW2_ICID, d2),
		.rd = { FIELD_GET(DW2_RDBASE, d2), FIELD_GET(DW2_RDBASE, d3) },
		.itt = d2 & DW2_ITT,
		.size = (unsigned)FIELD_GET(DW1_SIZE, d1),
		.valid = d2 & DW2_VALID,
	};
	switch (cmd->op) {
	case ITS_MAPI:
		cmd->intid = cmd->event;
		return true;
	case ITS_MOVI: case ITS_INT: case ITS_CLEAR: case ITS_SYNC: case ITS_MAPD:
	case ITS_MAPC: case ITS_MAPTI: case ITS_INV: case ITS_INVALL: case ITS_MOVALL:
	case ITS_DISCARD:
		return true;
	default:
		return false;
	}
}

/* Table n's base and size in bytes, or false if it is not valid. */
static bool table(const struct vgic_its *its, unsigned n, uint64_t *base, uint64_t *size)
{
	uint64_t b = its->baser[n];
	unsigned psz = FIELD_GET(BASER_PAGE_SIZE, b);
	uint64_t page = psz == 0 ? SZ_4K : psz == 1 ? SZ_16K : SZ_64K;

	*base = (b & BASER_PA) & ~(page - 1);
	if (page == SZ_64K) {
		*base |= FIELD_GET(BASER_PA_64K_HIGH, b) << 48;
	}
	*size = (FIELD_GET(BASER_SIZE, b) + 1) * page;
	return b & BASER_VALID;
}

/* The host pointer to entry id of table n; *r says why there is none. */
static void *entry(struct vgic *g, unsigned n, uint64_t id, enum its_result *r)
{
	uint64_t base, size;
	void *p;

	if (!table(&g->lpi->its, n, &base, &size) || id >= size / ITS_ENTRY_SIZE) {
		*r = ITS_IGNORED;
		return NULL;
	}
	p = g->lpi->ram(g->lpi->ram_ctx, base + id * ITS_ENTRY_SIZE, ITS_ENTRY_SIZE);
	*r = p ? ITS_DONE : ITS_STALL;
	return p;
}

static uint64_t load(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void store(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Event event of device device's ITT: its entry, or NULL with *r. */
static void *event_entry(struct vgic *g, uint32_t device, uint32_t event, enum its_result *r)
{
	void *d = entry(g, 0, device, r);
	uint64_t dte;
	void *p;

	if (!d) {
		return NULL;
	}
	dte = load(d);
	if (!(dte & DTE_VALID) || event >> (FIELD_GET(DTE_SIZE, dte) + 1)) {
		*r = ITS_IGNORED;
		return NULL;
	}
	p = g->lpi->ram(g->lpi->ram_ctx, (dte & DTE_ITT) + (uint64_t)event * ITS_ENTRY_SIZE,
			ITS_ENTRY_SIZE);
	*r = p ? ITS_DONE : ITS_STALL;
	return p;
}

/* The vCPU collection icid is mapped to, or -1 with *r. */
static int collection_target(struct vgic *g, uint16_t icid, enum its_result *r)
{
	void *c = entry(g, 1, icid, r);
	uint64_t cte;

	if (!c) {
		return -1;
	}
	cte = load(c);
	if (!(cte & CTE_VALID) || FIELD_GET(CTE_TARGET, cte) >= g->nr_vcpus) {
		*r = ITS_IGNORED;
		return -1;
	}
	return (int)FIELD_GET(CTE_TARGET, cte);
}

/* A mapped event: its ITE (in *ite), where that lives, and its target. */
struct mapping {
	void *where;
	uint64_t ite;
	int target;
};

static enum its_result lookup(struct vgic *g, uint32_t device, uint32_t event, struct mapping *m)
{
	enum its_result r;

	m->where = event_entry(g, device, event, &r);
	if (!m->where) {
		return r;
	}
	m->ite = load(m->where);
	if (!(m->ite & ITE_VALID)) {
		return ITS_IGNORED;
	}
	m->target = collection_target(g, (uint16_t)FIELD_GET(ITE_ICID, m->ite), &r);
	return r;
}

enum its_result vgic_its_translate(struct vgic *g, uint32_t device, uint32_t event)
{
	struct mapping m;
	enum its_result r = lookup(g, device, event, &m);

	if (r == ITS_DONE) {
		vgic_lpi_set_pending(g, (unsigned)m.target, FIELD_GET(ITE_INTID, m.ite), true);
	}
	return r;
}

static enum its_result mapd(struct vgic *g, const struct its_cmd *c)
{
	enum its_result r;
	void *d;

	if (c->device >> ITS_DEVICE_BITS || c->size >= ITS_EVENT_BITS) {
		return ITS_IGNORED;
	}
	d = entry(g, 0, c->device, &r);
	if (d) {
		store(d, c->valid ? DTE_VALID | FIELD_PREP(DTE_SIZE, c->size) | c->itt : 0);
	}
	return r;
}

static enum its_result mapc(struct vgic *g, const struct its_cmd *c)
{
	enum its_result r;
	void *p;

	if (c->valid && c->rd[0] >= g->nr_vcpus) {
		return ITS_IGNORED;
	}
	p = entry(g, 1, c->icid, &r);
	if (p) {
		store(p, c->valid ? CTE_VALID | c->rd[0] : 0);
	}
	return r;
}

static enum its_result mapti(struct vgic *g, const struct its_cmd *c)
{
	enum its_result r;
	void *e;
	uint64_t base, size;

	if (c->intid < VGIC_LPI_BASE || c->intid >= VGIC_LPI_BASE + VGIC_NR_LPIS ||
	    !table(&g->lpi->its, 1, &base, &size) || c->icid >= size / ITS_ENTRY_SIZE) {
		return ITS_IGNORED;
	}
	e = event_entry(g, c->device, c->event, &r);
	if (e) {
		store(e, ITE_VALID | FIELD_PREP(ITE_ICID, c->icid) | c->intid);
	}
	return r;
}

/* INT, CLEAR, DISCARD and INV: one mapped event's LPI. */
static enum its_result event_cmd(struct vgic *g, const struct its_cmd *c)
{
	struct mapping m;
	enum its_result r = lookup(g, c->device, c->event, &m);
	uint32_t intid;

	if (r != ITS_DONE) {
		return r;
	}
	intid = FIELD_GET(ITE_INTID, m.ite);
	switch (c->op) {
	case ITS_INT:
		vgic_lpi_set_pending(g, (unsigned)m.target, intid, true);
		break;
	case ITS_INV:
		vgic_lpi_reload(g, (unsigned)m.target, intid);
		break;
	default: /* CLEAR; DISCARD also forgets the mapping */
		vgic_lpi_set_pending(g, (unsigned)m.target, intid, false);
		if (c->op == ITS_DISCARD) {
			store(m.where, 0);
		}
		break;
	}
	return ITS_DONE;
}

/* MOVI: the event goes to another collection, its pending state with it. */
static enum its_result movi(struct vgic *g, const struct its_cmd *c)
{
	struct mapping m;
	enum its_result r = lookup(g, c->device, c->event, &m);
	uint32_t intid;
	int to;

	if (r != ITS_DONE) {
		return r;
	}
	intid = FIELD_GET(ITE_INTID, m.ite);
	to = collection_target(g, c->icid, &r);
	if (to < 0) {
		return r;
	}
	store(m.where, (m.ite & ~ITE_ICID) | FIELD_PREP(ITE_ICID, c->icid));
	if (to != m.target && vgic_lpi_pending(g, (unsigned)m.target, intid)) {
		vgic_lpi_set_pending(g, (unsigned)m.target, intid, false);
		vgic_lpi_set_pending(g, (unsigned)to, intid, true);
	}
	return ITS_DONE;
}

/* MOVALL: every LPI pending on one redistributor moves to another. */
static enum its_result movall(struct vgic *g, const struct its_cmd *c)
{
	unsigned from = (unsigned)c->rd[0], to = (unsigned)c->rd[1], w;

	if (c->rd[0] >= g->nr_vcpus || c->rd[1] >= g->nr_vcpus) {
		return ITS_IGNORED;
	}
	for (w = 0; from != to && w < VGIC_NR_LPIS / 64; w++) {
		uint64_t bits = g->lpi->pending[from][w];

		while (bits) {
			uint32_t intid = VGIC_LPI_BASE + w * 64 + __builtin_ctzl(bits);

			bits &= bits - 1;
			vgic_lpi_set_pending(g, from, intid, false);
			vgic_lpi_set_pending(g, to, intid, true);
		}
	}
	return ITS_DONE;
}

static enum its_result invall(struct vgic *g, const struct its_cmd *c)
{
	enum its_result r;
	int target = collection_target(g, c->icid, &r);

	if (target >= 0) {
		vgic_lpi_reload_all(g, (unsigned)target);
	}
	return r;
}

enum its_result vgic_its_execute(struct vgic *g, const struct its_cmd *c)
{
	switch (c->op) {
	case ITS_MAPD:
		return mapd(g, c);
	case ITS_MAPC:
		return mapc(g, c);
	case ITS_MAPTI:
	case ITS_MAPI:
		return mapti(g, c);
	case ITS_MOVI:
		return movi(g, c);
	case ITS_MOVALL:
		return movall(g, c);
	case ITS_INVALL:
		return invall(g, c);
	case ITS_SYNC:
		/* Every command takes effect before the next: nothing to wait for. */
		return c->rd[0] < g->nr_vcpus ? ITS_DONE : ITS_IGNORED;
	default:
		return event_cmd(g, c);
	}
}
