/*
 * The virtual ITS (GIC architecture IHI 0069, chapters 5 and 12.19): the
 * Interrupt Translation Service a GICv3 VM configured with one sees at
 * VM_ITS, which turns a (DeviceID, EventID) pair into an LPI pending on one
 * vCPU's redistributor. vgic_its.c has its registers and its command queue,
 * vgic_its_cmd.c the decoder of one 32-byte command and its execution;
 * vgic_lpi.h the LPIs it raises.
 */
#ifndef VIREO_VDEV_VGIC_ITS_H
#define VIREO_VDEV_VGIC_ITS_H

#include "core/types.h"

#define VGIC_ITS_SIZE 0x20000UL /* the control frame, then the translation frame */
#define ITS_CMD_SIZE 32

/* The commands of a physical ITS (IHI 0069 5.3), by their DW0[7:0]. */
enum its_cmd_op {
	ITS_MOVI = 0x01,
	ITS_INT = 0x03,
	ITS_CLEAR = 0x04,
	ITS_SYNC = 0x05,
	ITS_MAPD = 0x08,
	ITS_MAPC = 0x09,
	ITS_MAPTI = 0x0a,
	ITS_MAPI = 0x0b,
	ITS_INV = 0x0c,
	ITS_INVALL = 0x0d,
	ITS_MOVALL = 0x0e,
	ITS_DISCARD = 0x0f,
};

/* One command's fields, as its encoding gives them; which ones mean
 * something depends on op. An ITS with GITS_TYPER.PTA = 0 names a
 * redistributor by its processor number (GICR_TYPER.Processor_Number). */
struct its_cmd {
	enum its_cmd_op op;
	uint32_t device;   /* DeviceID */
	uint32_t event;    /* EventID */
	uint32_t intid;    /* pINTID (MAPTI; MAPI: the EventID) */
	uint16_t icid;     /* collection */
	uint64_t rd[2];    /* RDbase (MAPC, SYNC), RDbase1 and RDbase2 (MOVALL) */
	uint64_t itt;      /* MAPD: the ITT's address, 256-byte aligned */
	unsigned size;     /* MAPD: EventID bits - 1 */
	bool valid;        /* MAPD, MAPC: V */
};

/* Decodes the command in the 32 bytes at raw (little-endian doublewords).
 * False: not a command this ITS knows (a GICv4 one, or none). Pure. */
bool vgic_its_decode(const uint8_t raw[ITS_CMD_SIZE], struct its_cmd *cmd);

/* The ITS's register state. */
struct vgic_its {
	bool enabled;      /* GITS_CTLR.Enabled */
	uint64_t baser[2]; /* GITS_BASER0: devices; GITS_BASER1: collections */
	uint64_t cbaser;
	uint64_t cwriter;  /* offset into the queue */
	uint64_t creadr;   /* offset into the queue */
	bool stalled;      /* GITS_CREADR.Stalled */
	unsigned errors;   /* commands ignored for bad parameters (tests read it) */
};

struct vgic;

/* Accesses by a vCPU to the ITS frame, offset from its base. Processing a
 * CWRITER write runs the queue to the end there and then. */
bool vgic_its_read(struct vgic *g, uint64_t off, unsigned size, uint64_t *val);
bool vgic_its_write(struct vgic *g, uint64_t off, unsigned size, uint64_t val);

/* How one command went: done; ignored for a bad parameter, as IHI 0069
 * 5.3.1 allows ("the command is ignored"); or a stall, for a table or
 * queue outside the VM's RAM (GITS_CREADR.Stalled). */
enum its_result { ITS_DONE, ITS_IGNORED, ITS_STALL };
/* Executes one decoded command; with the vGIC's lock held. */
enum its_result vgic_its_execute(struct vgic *g, const struct its_cmd *cmd);
/* Translates (device, event) to an LPI made pending, for GITS_TRANSLATER
 * and INT. */
enum its_result vgic_its_translate(struct vgic *g, uint32_t device, uint32_t event);

#endif
