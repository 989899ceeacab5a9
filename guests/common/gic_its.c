/*
 * gic_its.c: the ITS and LPI setup and command queue of gic_its.h.
 *
 * The arena is carved at 64 KiB boundaries: the first block holds the
 * property table (8 KiB, LPIs 8192-16383), the device and collection
 * tables and the command queue (a 4 KiB page each: 512 devices, 512
 * collections, 128 commands) and the ITTs (256 bytes each); each block
 * after it is one redistributor's pending table, of which the first
 * 2 KiB are used (bits for INTIDs 0-16383), zero as the arena is.
 */
#include "gic_its.h"

#define GICD_BASE 0x08000000UL
#define GICD_TYPER 0x0004
#define GICD_TYPER_LPIS (1U << 17)
#define GICR_BASE(cpu) (0x080a0000UL + 0x20000UL * (cpu))
#define GICR_CTLR 0x0000
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_CTLR_ENABLE_LPIS 1U

#define GITS_TYPER_PTA (1UL << 19)
#define BASER_VALID (1UL << 63)
#define MAPD_VALID (1UL << 63)
#define MAPC_VALID (1UL << 63)

#define SZ_64K 0x10000UL
#define QUEUE_CMDS 128
#define ITT_SIZE 256

uint8_t *its_prop;
static uint64_t *devices, *collections, *queue;
static uint8_t *itts;
static unsigned written; /* commands queued */

static void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }
static void w64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static uint64_t r64(uint64_t a) { return *(volatile uint64_t *)a; }

bool gic_has_lpis(void)
{
	return r32(GICD_BASE + GICD_TYPER) & GICD_TYPER_LPIS;
}

static void carve(uint8_t *arena)
{
	uint8_t *p = (uint8_t *)(((uint64_t)arena + SZ_64K - 1) & ~(SZ_64K - 1));

	its_prop = p;
	devices = (uint64_t *)(p + 0x2000);
	collections = (uint64_t *)(p + 0x3000);
	queue = (uint64_t *)(p + 0x4000);
	itts = p + 0x5000;
}

void its_init(uint8_t *arena, unsigned nr_cpus)
{
	uint8_t *pending;
	unsigned i;

	carve(arena);
	pending = its_prop + SZ_64K;
	for (i = 0; i < LPI_COUNT; i++) {
		its_prop[i] = LPI_PRIORITY | 2 | 1; /* RES1, enabled */
	}
	__asm__ volatile("dsb sy" ::: "memory");
	for (i = 0; i < nr_cpus && i < ITS_MAX_CPUS; i++) {
		/* IDbits 14 - 1: INTIDs up to 16383. */
		w64(GICR_BASE(i) + GICR_PROPBASER, (uint64_t)its_prop | (14 - 1));
		w64(GICR_BASE(i) + GICR_PENDBASER, (uint64_t)(pending + SZ_64K * i));
		w32(GICR_BASE(i) + GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	}
	/* Flat tables of one 4 KiB page (Size 0, Page_Size 0). */
	w64(GITS_BASE + GITS_BASER(0), (uint64_t)devices | BASER_VALID);
	w64(GITS_BASE + GITS_BASER(1), (uint64_t)collections | BASER_VALID);
	w64(GITS_BASE + GITS_CBASER, (uint64_t)queue | BASER_VALID);
	w64(GITS_BASE + GITS_CWRITER, 0);
	w32(GITS_BASE + GITS_CTLR, 1);
}

uint64_t its_itt(unsigned n)
{
	return (uint64_t)(itts + ITT_SIZE * (n % ITS_ITT_SLOTS));
}

uint64_t its_queue_end(void)
{
	return (written % QUEUE_CMDS) * 32;
}

uint64_t *its_queue_at(uint64_t offset)
{
	return queue + 4 * ((offset / 32) % QUEUE_CMDS);
}

void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t *c = its_queue_at(its_queue_end());

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
	written++;
	__asm__ volatile("dsb sy" ::: "memory");
	w64(GITS_BASE + GITS_CWRITER, its_queue_end());
}

bool its_caught_up(void)
{
	return r64(GITS_BASE + GITS_CREADR) == its_queue_end();
}

void its_mapd(uint32_t dev, uint64_t itt, unsigned event_bits)
{
	its_cmd(ITS_CMD_MAPD | (uint64_t)dev << 32, event_bits - 1, itt | MAPD_VALID, 0);
}

/* A collection's or SYNC's target: the processor number or, with
 * GITS_TYPER.PTA, the redistributor's address in 64 KiB units. */
static uint64_t rdbase(unsigned cpu)
{
	return r64(GITS_BASE + GITS_TYPER) & GITS_TYPER_PTA ? GICR_BASE(cpu) >> 16 : cpu;
}

void its_mapc(uint16_t icid, unsigned cpu)
{
	its_cmd(ITS_CMD_MAPC, 0, icid | rdbase(cpu) << 16 | MAPC_VALID, 0);
}

void its_mapti(uint32_t dev, uint32_t event, uint32_t intid, uint16_t icid)
{
	its_cmd(ITS_CMD_MAPTI | (uint64_t)dev << 32, event | (uint64_t)intid << 32, icid, 0);
}

void its_event_cmd(unsigned op, uint32_t dev, uint32_t event)
{
	its_cmd(op | (uint64_t)dev << 32, event, 0, 0);
}

void its_sync(unsigned cpu)
{
	its_cmd(ITS_CMD_SYNC, 0, rdbase(cpu) << 16, 0);
}
