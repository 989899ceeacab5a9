/*
 * LPIs (GIC architecture IHI 0069, 5.1): the message-based interrupts an
 * ITS raises, INTIDs from 8192, each with a configuration byte (priority,
 * enable) in a table in guest memory that GICR_PROPBASER names, and a
 * pending bit per redistributor. vgic_lpi.c keeps their state for a VM
 * that has an ITS (struct vgic.lpi; NULL: no LPIs) and serves the
 * redistributors' LPI registers.
 */
#ifndef VIREO_VDEV_VGIC_LPI_H
#define VIREO_VDEV_VGIC_LPI_H

#include "vdev/vgic.h"
#include "vdev/vgic_its.h"

#define VGIC_LPI_BASE 8192
/* INTIDs 8192-16383: 14 INTID bits (GICD_TYPER.IDbits = 13), the fewest a
 * GIC with LPIs may have. */
#define VGIC_LPI_IDBITS 14
#define VGIC_NR_LPIS ((1U << VGIC_LPI_IDBITS) - VGIC_LPI_BASE)

#define LPI_CFG_ENABLE BIT(0)
#define LPI_CFG_PRIORITY GENMASK(7, 2)

struct vgic_lpis {
	/* The configuration bytes as last read from the property table:
	 * the redistributor may cache them until INV or INVALL (IHI 0069
	 * 5.1.1). */
	uint8_t config[VGIC_NR_LPIS];
	/* Pending bits, per vCPU's redistributor: held here, not in the
	 * guest's pending table, while EnableLPIs is set (IHI 0069 5.1.2). */
	uint64_t pending[VGIC_MAX_VCPUS][VGIC_NR_LPIS / 64];
	unsigned n_pending[VGIC_MAX_VCPUS];
	/* Which words of pending are not zero (bit w: word w), so that a
	 * look for pending LPIs reads only those. */
	uint64_t pending_words[VGIC_MAX_VCPUS][VGIC_NR_LPIS / 64 / 64];
	_Static_assert(VGIC_NR_LPIS % 4096 == 0, "pending_words: whole words of words");
	uint64_t propbaser[VGIC_MAX_VCPUS];
	uint64_t pendbaser[VGIC_MAX_VCPUS];
	bool enabled[VGIC_MAX_VCPUS]; /* GICR_CTLR.EnableLPIs, never cleared */
	struct vgic_its its;
	/* The host pointer for [ipa, ipa + size) of the VM's RAM, or NULL:
	 * vm_ram_ptr() (a fake in the unit tests). */
	void *(*ram)(void *ctx, uint64_t ipa, uint64_t size);
	void *ram_ctx;
};

/* Forgets every LPI and the ITS's state (a reset), keeping ram. */
void vgic_lpi_reset(struct vgic_lpis *l);

/* GICR_CTLR, GICR_PROPBASER and GICR_PENDBASER of frame's redistributor:
 * true if off is one of them (the access is done, or refused in *ok). */
bool vgic_lpi_rd_read(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		      uint64_t *val, bool *ok);
bool vgic_lpi_rd_write(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		       uint64_t val, bool *ok);

/* Whether intid is an LPI vCPU idx's redistributor can hold. */
bool vgic_lpi_valid(const struct vgic *g, unsigned idx, uint32_t intid);
/* Makes an LPI pending (or not) on vCPU idx; the lock is held. */
void vgic_lpi_set_pending(struct vgic *g, unsigned idx, uint32_t intid, bool pending);
bool vgic_lpi_pending(const struct vgic *g, unsigned idx, uint32_t intid);
/* Rereads the configuration of one LPI, or of all, from the property table
 * of vCPU idx's redistributor (INV, INVALL). */
void vgic_lpi_reload(struct vgic *g, unsigned idx, uint32_t intid);
void vgic_lpi_reload_all(struct vgic *g, unsigned idx);

/* For vgic.c's list-register fill: up to max of vCPU idx's deliverable
 * LPIs, highest priority first, as candidate state in v[] and INTIDs in
 * intids[]; *more counts those left out. Each that goes into a list
 * register stops being pending here (vgic_lpi_set_pending()), and
 * vgic_lpi_sync() takes back each that comes out of one. */
unsigned vgic_lpi_collect(struct vgic *g, unsigned idx, struct virq *v, unsigned *intids,
			  unsigned max, unsigned *more);
void vgic_lpi_sync(struct vgic *g, unsigned idx, uint32_t intid, uint64_t lr);
bool vgic_lpi_has_pending(struct vgic *g, unsigned idx);

#endif
