/*
 * The virtual ITS's registers (GIC architecture IHI 0069, 12.19) and its
 * command queue, as a VM reaches them through stage-2 faults on the ITS
 * frame: the control frame (GITS_CTLR, IIDR, TYPER, CBASER, CWRITER,
 * CREADR, BASER<n>) and, 64 KiB above it, the translation frame with
 * GITS_TRANSLATER.
 *
 * What the ITS tells the guest (GITS_TYPER): physical LPIs only, 16
 * DeviceID bits and 16 EventID bits, 8-byte ITT entries, targets named by
 * processor number (PTA = 0), no collections held in the ITS (HCC = 0) and
 * no SError for command errors (SEIS = 0). GITS_BASER0 is the device table
 * and GITS_BASER1 the collection table, flat (Indirect is RAZ/WI), with
 * 4, 16 or 64 KiB pages; the other six are unimplemented.
 *
 * The queue runs when the guest moves GITS_CWRITER, there and then: the
 * commands from GITS_CREADR up to it are read from guest memory (through
 * the checked accessor), decoded and executed (vgic_its_cmd.c) before the
 * write returns, so for any queue a driver writes in one go GITS_CREADR
 * has caught up by the time the guest looks, and SYNC has nothing to wait
 * for. At most ITS_CMDS_PER_ACCESS commands run per access, so that a
 * guest filling a 1 MiB queue with INVALLs cannot hold its CPU (and the
 * other VMs' vCPUs there) for long: the rest run at the next accesses,
 * which a driver waiting for GITS_CREADR to catch up makes anyway. A
 * queue outside the VM's RAM stalls it (GITS_CREADR.Stalled) until the
 * guest writes CWRITER with Retry set.
 *
 * A write to GITS_TRANSLATER raises the event it carries for a DeviceID
 * that, on hardware, comes with the write from the bus (IHI 0069 5.4: how
 * a CPU's writes are identified is IMPLEMENTATION DEFINED). A VM has no
 * devices that send MSIs, so the only writers are its vCPUs: here each of
 * their writes carries DeviceID 0, as QEMU's ITS gives CPU writes.
 *
 * Called with no lock held; takes the vGIC's. Pure logic.
 */
#include "vdev/vgic_lpi.h"

#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER 0x0100
#define GITS_BASER_END 0x0140
#define GITS_PIDR2 0xffe8
#define GITS_TRANSLATER 0x10040

#define GITS_CTLR_ENABLED BIT(0)
#define GITS_CTLR_QUIESCENT BIT(31)
/* Implementer 0, product 0x56 ('V'): no hardware's quirks to match. */
#define GITS_IIDR_VALUE 0x56000000UL
/* Physical; ITT_entry_size 8 - 1; ID_bits 16 - 1; Devbits 16 - 1. */
#define GITS_TYPER_VALUE (BIT(0) | 7UL << 4 | 15UL << 8 | 15UL << 13)
#define PIDR2_GICV3 0x3b

#define CBASER_SIZE GENMASK(7, 0)
#define CBASER_PA GENMASK(51, 12)
#define CBASER_VALID BIT(63)
/* Valid, InnerCache, OuterCache, PA, Shareability, Size. */
#define CBASER_MASK (BIT(63) | GENMASK(61, 59) | GENMASK(55, 53) | CBASER_PA | GENMASK(11, 10) | \
		     CBASER_SIZE)
#define CWRITER_RETRY BIT(0)
#define CQ_OFFSET GENMASK(19, 5)
#define CREADR_STALLED BIT(0)

/* Type (RO) and Entry_Size (RO, 8 - 1) of the two tables. */
#define BASER_TYPE_DEVICES (1UL << 56)
#define BASER_TYPE_COLLECTIONS (4UL << 56)
#define BASER_ENTRY_SIZE (7UL << 48)
#define BASER_PAGE_SIZE GENMASK(9, 8)
#define BASER_PAGE_64K (2UL << 8)
/* Valid, InnerCache, OuterCache, PA, Shareability, Page_Size, Size. */
#define BASER_MASK (BIT(63) | GENMASK(61, 59) | GENMASK(55, 53) | GENMASK(47, 8) | GENMASK(7, 0))

#define ITS_CMDS_PER_ACCESS 512

static const uint64_t baser_ro[2] = { BASER_TYPE_DEVICES | BASER_ENTRY_SIZE,
				      BASER_TYPE_COLLECTIONS | BASER_ENTRY_SIZE };

/* Runs the queue from CREADR towards CWRITER, until it stalls or the
 * budget of one access is spent. */
static void run_queue(struct vgic *g)
{
	struct vgic_its *its = &g->lpi->its;
	uint64_t size = (FIELD_GET(CBASER_SIZE, its->cbaser) + 1) * 0x1000UL;
	unsigned budget = ITS_CMDS_PER_ACCESS;

	if (!its->enabled || !(its->cbaser & CBASER_VALID)) {
		return;
	}
	while (!its->stalled && its->creadr != its->cwriter && budget--) {
		const uint8_t *raw = its->cwriter < size
					     ? g->lpi->ram(g->lpi->ram_ctx,
							   (its->cbaser & CBASER_PA) + its->creadr,
							   ITS_CMD_SIZE)
					     : NULL;
		struct its_cmd cmd;
		enum its_result r = ITS_STALL;

		if (raw) {
			r = vgic_its_decode(raw, &cmd) ? vgic_its_execute(g, &cmd) : ITS_IGNORED;
		}
		if (r == ITS_STALL) {
			its->stalled = true;
			break;
		}
		its->errors += r == ITS_IGNORED;
		its->creadr = (its->creadr + ITS_CMD_SIZE) % size;
	}
}

static uint64_t reg_read(const struct vgic_its *its, uint64_t off)
{
	switch (off) {
	case GITS_CTLR:
		return its->enabled ? GITS_CTLR_ENABLED : GITS_CTLR_QUIESCENT;
	case GITS_IIDR:
		return GITS_IIDR_VALUE;
	case GITS_TYPER:
		return GITS_TYPER_VALUE;
	case GITS_CBASER:
		return its->cbaser;
	case GITS_CWRITER:
		return its->cwriter;
	case GITS_CREADR:
		return its->creadr | (its->stalled ? CREADR_STALLED : 0);
	case GITS_PIDR2:
		return PIDR2_GICV3;
	default:
		if (off >= GITS_BASER && off < GITS_BASER + 16) {
			return its->baser[(off - GITS_BASER) / 8] | baser_ro[(off - GITS_BASER) / 8];
		}
		return 0; /* the other BASERs, MPIDR, STATUSR...: RAZ */
	}
}

static void reg_write(struct vgic *g, uint64_t off, uint64_t val)
{
	struct vgic_its *its = &g->lpi->its;

	if (off == GITS_CTLR) {
		its->enabled = val & GITS_CTLR_ENABLED;
		run_queue(g);
	} else if (off == GITS_CWRITER) {
		its->cwriter = val & CQ_OFFSET;
		if (val & CWRITER_RETRY) {
			its->stalled = false;
		}
		run_queue(g);
	} else if (its->enabled) {
		/* CBASER and BASER<n> are not to change under a live ITS (IHI
		 * 0069 12.19: UNPREDICTABLE); they are left as they are. */
	} else if (off == GITS_CBASER) {
		its->cbaser = val & CBASER_MASK;
		its->creadr = 0;
		its->stalled = false;
	} else if (off >= GITS_BASER && off < GITS_BASER + 16) {
		/* 0b11 is a reserved page size: taken as 64 KiB. */
		if (FIELD_GET(BASER_PAGE_SIZE, val) == 3) {
			val = (val & ~BASER_PAGE_SIZE) | BASER_PAGE_64K;
		}
		its->baser[(off - GITS_BASER) / 8] = val & BASER_MASK;
	}
}

static bool is_64bit(uint64_t off)
{
	return off == GITS_TYPER || off == GITS_CBASER || off == GITS_CWRITER ||
	       off == GITS_CREADR || (off >= GITS_BASER && off < GITS_BASER_END);
}

bool vgic_its_read(struct vgic *g, uint64_t off, unsigned size, uint64_t *val)
{
	const struct vgic_its *its = &g->lpi->its;
	uint64_t base = off & ~7UL;

	if (!(size == 4 || (size == 8 && off % 8 == 0))) {
		return false;
	}
	spin_lock(&g->lock);
	if (base == GITS_CREADR) {
		run_queue(g); /* what an earlier access left over */
	}
	if (is_64bit(base)) {
		uint64_t reg = reg_read(its, base);

		*val = size == 8 ? reg : (uint32_t)(reg >> (off % 8 ? 32 : 0));
	} else {
		*val = (uint32_t)reg_read(its, off);
		if (size == 8) {
			*val |= (uint64_t)(uint32_t)reg_read(its, off + 4) << 32;
		}
	}
	spin_unlock(&g->lock);
	return true;
}

bool vgic_its_write(struct vgic *g, uint64_t off, unsigned size, uint64_t val)
{
	uint64_t base = off & ~7UL, reg;

	if (off == GITS_TRANSLATER) {
		if (size != 2 && size != 4) {
			return false;
		}
		spin_lock(&g->lock);
		vgic_its_translate(g, 0, (uint32_t)val);
		spin_unlock(&g->lock);
		return true;
	}
	if (!(size == 4 || (size == 8 && off % 8 == 0))) {
		return false;
	}
	spin_lock(&g->lock);
	if (is_64bit(base)) {
		/* A 32-bit half changes only its half. */
		reg = reg_read(&g->lpi->its, base);
		if (size == 4) {
			val = off % 8 ? (reg & 0xffffffffUL) | (val & 0xffffffffUL) << 32
				      : (reg & ~0xffffffffUL) | (val & 0xffffffffUL);
		}
		reg_write(g, base, val);
	} else {
		reg_write(g, off, val & 0xffffffffUL);
		if (size == 8) {
			reg_write(g, off + 4, val >> 32);
		}
	}
	spin_unlock(&g->lock);
	return true;
}
