/*
 * gic_its.h: LPIs through a GICv3 ITS, for the in-tree guests that use
 * them (guests/its, guests/bench), as a GICv3 driver sets them up (GIC
 * architecture IHI 0069, chapter 5).
 *
 * its_init() gives each redistributor a property table (every LPI
 * enabled at priority 0xa0) and a pending table and sets EnableLPIs,
 * then gives the ITS a device table, a collection table and a command
 * queue, all carved out of a buffer the guest provides, and enables it.
 * The commands are then queued one at a time, each with a GITS_CWRITER
 * write. The layout is QEMU virt's, which a Vireo VM mirrors: the ITS at
 * 0x08080000 (with vireo,its = "on"; natively QEMU's own, its=on by
 * default). The ITSes differ in what GITS_TYPER says: an ITT entry is 8
 * bytes under Vireo and 12 in QEMU (an ITT slot here has room for 16
 * entries of the largest size, 16 bytes), and PTA, read here, says
 * whether a collection's target is a processor number or a
 * redistributor's address.
 *
 * The tables are plain memory accesses with the MMU off (Device memory),
 * which QEMU and Vireo read as they were written; a guest with its MMU
 * on would map them Normal and add the cache maintenance.
 */
#ifndef VIREO_GIC_ITS_H
#define VIREO_GIC_ITS_H

#include <stdbool.h>
#include <stdint.h>

#define GITS_BASE 0x08080000UL
#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_TRANSLATER 0x10040 /* in the translation frame, 64 KiB up */
#define GITS_CWRITER_RETRY 1UL
#define GITS_CREADR_STALLED 1UL

#define LPI_BASE 8192
#define LPI_COUNT 8192 /* the property table's: 14 INTID bits */
#define LPI_PRIORITY 0xa0

#define ITS_CMD_MOVI 0x01
#define ITS_CMD_INT 0x03
#define ITS_CMD_SYNC 0x05
#define ITS_CMD_MAPD 0x08
#define ITS_CMD_MAPC 0x09
#define ITS_CMD_MAPTI 0x0a
#define ITS_CMD_INV 0x0c
#define ITS_CMD_DISCARD 0x0f

#define ITS_MAX_CPUS 4
#define ITS_ITT_SLOTS 8
#define ITS_MAX_EVENT_BITS 4 /* for MAPD of an its_itt() slot */
/* The buffer its_init() carves for nr_cpus redistributors: 64 KiB per
 * pending table (PENDBASER wants that alignment) and one 64 KiB for the
 * rest, plus the slack to align it. */
#define ITS_ARENA_SIZE(nr_cpus) (((nr_cpus) + 2) * 0x10000UL)

/* GICD_TYPER.LPIS: the GICv3 has LPIs (there is an ITS to send them). */
bool gic_has_lpis(void);
/* The tables in arena (ITS_ARENA_SIZE(nr_cpus) bytes), LPIs on in the
 * first nr_cpus redistributors, the ITS enabled with an empty queue. */
void its_init(uint8_t *arena, unsigned nr_cpus);
/* The property table: one byte per LPI from LPI_BASE, which the guest may
 * change (and then send INV). */
extern uint8_t *its_prop;

/* The n-th ITT (n < ITS_ITT_SLOTS), for MAPD. */
uint64_t its_itt(unsigned n);
/* Queues one command and moves GITS_CWRITER past it. */
void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3);
void its_mapd(uint32_t dev, uint64_t itt, unsigned event_bits);
/* Collection icid to this guest's CPU cpu (MPIDR Aff0 = cpu). */
void its_mapc(uint16_t icid, unsigned cpu);
void its_mapti(uint32_t dev, uint32_t event, uint32_t intid, uint16_t icid);
/* INT, INV, DISCARD and the like: a command naming a device and event. */
void its_event_cmd(unsigned op, uint32_t dev, uint32_t event);
void its_sync(unsigned cpu);
/* The queue offset GITS_CWRITER holds: where the next command goes. */
uint64_t its_queue_end(void);
/* The command at a queue offset, to rewrite one the ITS stalled at. */
uint64_t *its_queue_at(uint64_t offset);
/* GITS_CREADR has reached GITS_CWRITER: every command is done. */
bool its_caught_up(void);

#endif
