/*
 * Unit tests for LPIs and the virtual ITS (hv/vdev/vgic_lpi.c,
 * vgic_its.c, vgic_its_cmd.c), run natively.
 *
 * The guest's side is played as a GICv3 driver would: commands are built
 * byte by byte from IHI 0069 5.3's encodings (not from vgic_its.h's field
 * macros), written into a command queue in a fake guest RAM, and the ITS
 * is told through GITS_CWRITER; the redistributors get their property and
 * pending tables through GICR_PROPBASER/PENDBASER and GICR_CTLR. The
 * hardware's side is vgic_fill_lrs() and vgic_sync_lrs(), as before a
 * vCPU's entry and after its exit.
 *
 * The fake RAM is 1 MiB at IPA 0x40000000; its accessor refuses anything
 * outside it, as vm_ram_ptr() does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vdev/vgic_lpi.h"

#define NR_VCPUS 4
#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x100000UL

/* Where the test's guest keeps its tables, in the fake RAM. */
#define PROP_TABLE (RAM_BASE + 0x00000)  /* 8 KiB: LPIs 8192-16383 */
#define PEND_TABLE(i) (RAM_BASE + 0x10000 + 0x10000 * (i)) /* 64 KiB aligned */
#define DEVICE_TABLE (RAM_BASE + 0x60000) /* one 4 KiB page: 512 devices */
#define COLL_TABLE (RAM_BASE + 0x70000)   /* one 4 KiB page */
#define ITT(dev) (RAM_BASE + 0x80000 + 0x1000 * (dev))
#define CMDQ (RAM_BASE + 0xf0000)          /* one 4 KiB page: 128 commands */

/* Registers (IHI 0069 12.19, 12.10, 12.11). */
#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_PIDR2 0xffe8
#define GITS_TRANSLATER 0x10040
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICD_IPRIORITYR(intid) (0x0400 + (intid))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))

/* GITS_BASER<n>'s Type and Entry_Size. */
#define RO_FIELDS (7UL << 56 | 0x1fUL << 48)
#define LR_PEND (1UL << 62)
#define LR_ACT (1UL << 63)
#define LR_GRP1 (1UL << 60)
#define LR_EOI_BIT (1UL << 41)

static uint8_t ram[RAM_SIZE];
static struct vgic g;
static struct vgic_lpis lpis;
static unsigned kicks[NR_VCPUS];
static unsigned queued; /* commands written to the queue */

static void *fake_ram(void *ctx, uint64_t ipa, uint64_t size)
{
	assert_ptr_equal(ctx, ram);
	if (ipa < RAM_BASE || ipa - RAM_BASE > RAM_SIZE || size > RAM_SIZE - (ipa - RAM_BASE)) {
		return NULL;
	}
	return ram + (ipa - RAM_BASE);
}

static void kick(struct vgic *vg, unsigned idx)
{
	assert_true(spin_is_held(&vg->lock));
	assert_true(idx < NR_VCPUS);
	kicks[idx]++;
}

static uint64_t its_read(uint64_t off)
{
	uint64_t v = ~0UL;

	assert_true(vgic_its_read(&g, off, 8, &v));
	return v;
}

static void its_write(uint64_t off, uint64_t v)
{
	assert_true(vgic_its_write(&g, off, 8, v));
}

static uint8_t *at(uint64_t ipa)
{
	return ram + (ipa - RAM_BASE);
}

/* ---- commands, encoded as IHI 0069 5.3 gives them ------------------------ */

struct raw_cmd {
	uint64_t dw[4];
};

static void push(struct raw_cmd c)
{
	memcpy(at(CMDQ) + 32 * (queued % 128), c.dw, 32);
	queued++;
	its_write(GITS_CWRITER, (uint64_t)(queued % 128) * 32);
}

static struct raw_cmd mapd(uint32_t dev, uint64_t itt, unsigned bits, bool valid)
{
	return (struct raw_cmd){ { 0x08 | (uint64_t)dev << 32, bits - 1,
				   itt | (uint64_t)valid << 63, 0 } };
}

static struct raw_cmd mapc(uint16_t icid, uint64_t rd, bool valid)
{
	return (struct raw_cmd){ { 0x09, 0, icid | rd << 16 | (uint64_t)valid << 63, 0 } };
}

static struct raw_cmd mapti(uint32_t dev, uint32_t event, uint32_t intid, uint16_t icid)
{
	return (struct raw_cmd){ { 0x0a | (uint64_t)dev << 32, event | (uint64_t)intid << 32,
				   icid, 0 } };
}

static struct raw_cmd event_op(uint8_t op, uint32_t dev, uint32_t event)
{
	return (struct raw_cmd){ { op | (uint64_t)dev << 32, event, 0, 0 } };
}

static struct raw_cmd movi(uint32_t dev, uint32_t event, uint16_t icid)
{
	return (struct raw_cmd){ { 0x01 | (uint64_t)dev << 32, event, icid, 0 } };
}

#define INT 0x03
#define CLEAR 0x04
#define INV 0x0c
#define DISCARD 0x0f

/* ---- set-up: what a GICv3 driver does before its first MSI -------------- */

static int setup(void **state)
{
	uint64_t mpidrs[NR_VCPUS];
	unsigned i;

	memset(ram, 0, sizeof(ram));
	memset(kicks, 0, sizeof(kicks));
	queued = 0;
	for (i = 0; i < NR_VCPUS; i++) {
		mpidrs[i] = 0x80000000UL | i;
	}
	vgic_init(&g, NR_VCPUS, mpidrs);
	lpis.ram = fake_ram;
	lpis.ram_ctx = ram;
	vgic_lpi_reset(&lpis);
	g.lpi = &lpis;
	g.kick = kick;
	return 0;
}

/* LPIs 8192.. get priority 0xa0 and are enabled; every redistributor is
 * given its tables and EnableLPIs; the ITS its tables and queue. */
static void enable_all(void)
{
	unsigned i;

	for (i = 0; i < VGIC_NR_LPIS; i++) {
		at(PROP_TABLE)[i] = 0xa0 | 0x2 | 0x1; /* bit 1 is RES1 */
	}
	assert_true(vgic_dist_write(&g, 0, GICD_CTLR, 4, 0x2));
	for (i = 0; i < NR_VCPUS; i++) {
		assert_true(vgic_redist_write(&g, i, GICR_PROPBASER, 8, PROP_TABLE | (14 - 1)));
		assert_true(vgic_redist_write(&g, i, GICR_PENDBASER, 8, PEND_TABLE(i)));
		assert_true(vgic_redist_write(&g, i, GICR_CTLR, 4, 1));
	}
	/* Devices, then collections: 8-byte entries, 4 KiB pages, one page. */
	its_write(GITS_BASER(0), DEVICE_TABLE | 1UL << 63);
	its_write(GITS_BASER(1), COLL_TABLE | 1UL << 63);
	its_write(GITS_CBASER, CMDQ | 1UL << 63);
	its_write(GITS_CWRITER, 0);
	its_write(GITS_CTLR, 1);
}

/* What vgic_fill_lrs() gives vCPU idx, in lrs[]; the count. */
static unsigned fill(unsigned idx, uint64_t *lrs)
{
	bool underflow;

	return vgic_fill_lrs(&g, idx, lrs, 4, &underflow);
}

static void assert_nothing(unsigned idx)
{
	uint64_t lrs[4];

	assert_int_equal(fill(idx, lrs), 0);
}

/* vCPU idx gets exactly intid, pending, Group 1, priority prio, no EOI
 * maintenance (an LPI has no active state to end). */
static void assert_lpi(unsigned idx, uint32_t intid, uint8_t prio)
{
	uint64_t lrs[4];

	assert_int_equal(fill(idx, lrs), 1);
	assert_int_equal(lrs[0] & 0xffffffffUL, intid);
	assert_true(lrs[0] & LR_PEND);
	assert_false(lrs[0] & (LR_ACT | LR_EOI_BIT));
	assert_true(lrs[0] & LR_GRP1);
	assert_int_equal((lrs[0] >> 48) & 0xff, prio);
}

/* Device 5 (8 events) at ITT(5); collections 0-3 on vCPUs 0-3; event 2 ->
 * LPI 8200 in collection 1. */
static void map_basic(void)
{
	unsigned i;

	enable_all();
	push(mapd(5, ITT(5), 3, true));
	for (i = 0; i < NR_VCPUS; i++) {
		push(mapc((uint16_t)i, i, true));
	}
	push(mapti(5, 2, 8200, 1));
}

/* ---- the decoder ---------------------------------------------------------- */

static bool decode(struct raw_cmd c, struct its_cmd *out)
{
	uint8_t raw[32];

	memcpy(raw, c.dw, sizeof(raw));
	return vgic_its_decode(raw, out);
}

static void test_decode_fields(void **state)
{
	struct its_cmd c;

	assert_true(decode(mapd(0x1234, 0x4567800, 5, true), &c));
	assert_int_equal(c.op, ITS_MAPD);
	assert_int_equal(c.device, 0x1234);
	assert_int_equal(c.itt, 0x4567800);
	assert_int_equal(c.size, 4);
	assert_true(c.valid);

	assert_true(decode(mapti(7, 0xabcd, 9000, 0x33), &c));
	assert_int_equal(c.op, ITS_MAPTI);
	assert_int_equal(c.device, 7);
	assert_int_equal(c.event, 0xabcd);
	assert_int_equal(c.intid, 9000);
	assert_int_equal(c.icid, 0x33);

	/* MAPI: the pINTID is the EventID. */
	assert_true(decode((struct raw_cmd){ { 0x0b | 3UL << 32, 8300, 2, 0 } }, &c));
	assert_int_equal(c.op, ITS_MAPI);
	assert_int_equal(c.intid, 8300);
	assert_int_equal(c.icid, 2);

	assert_true(decode(mapc(9, 3, false), &c));
	assert_int_equal(c.icid, 9);
	assert_int_equal(c.rd[0], 3);
	assert_false(c.valid);

	/* MOVALL: RDbase1 in DW2, RDbase2 in DW3. */
	assert_true(decode((struct raw_cmd){ { 0x0e, 0, 2UL << 16, 1UL << 16 } }, &c));
	assert_int_equal(c.rd[0], 2);
	assert_int_equal(c.rd[1], 1);
}

static void test_decode_unknown(void **state)
{
	static const uint8_t known[] = { 0x01, 0x03, 0x04, 0x05, 0x08, 0x09, 0x0a,
					 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	struct its_cmd c;
	unsigned op, i;

	for (op = 0; op < 256; op++) {
		bool is_known = false;

		for (i = 0; i < sizeof(known); i++) {
			is_known |= known[i] == op;
		}
		assert_int_equal(decode((struct raw_cmd){ { op, 0, 0, 0 } }, &c), is_known);
	}
}

/* ---- registers ------------------------------------------------------------ */

static void test_identification(void **state)
{
	uint64_t v;
	uint64_t typer = its_read(GITS_TYPER);

	assert_int_equal(typer & 1, 1);                   /* Physical */
	assert_int_equal((typer >> 4) & 0xf, 7);          /* ITT entries of 8 bytes */
	assert_int_equal((typer >> 8) & 0x1f, 15);        /* 16 EventID bits */
	assert_int_equal((typer >> 13) & 0x1f, 15);       /* 16 DeviceID bits */
	assert_int_equal((typer >> 19) & 1, 0);           /* PTA: processor numbers */
	assert_int_equal((its_read(GITS_PIDR2) >> 4) & 0xf, 3);
	/* Disabled and quiescent at reset. */
	assert_int_equal(its_read(GITS_CTLR) & 0xffffffffUL, 1UL << 31);
	/* The two tables' types: devices and collections; the rest none. */
	assert_int_equal((its_read(GITS_BASER(0)) >> 56) & 7, 1);
	assert_int_equal((its_read(GITS_BASER(1)) >> 56) & 7, 4);
	assert_int_equal(its_read(GITS_BASER(2)), 0);
	/* The distributor and redistributors say there are LPIs. */
	assert_true(vgic_dist_read(&g, 0, GICD_TYPER, 4, &v));
	assert_true(v & (1UL << 17));
	assert_int_equal((v >> 19) & 0x1f, 13);
	assert_true(vgic_redist_read(&g, 2, GICR_TYPER, 8, &v));
	assert_true(v & 1);
	/* Without LPIs, neither does. */
	g.lpi = NULL;
	assert_true(vgic_dist_read(&g, 0, GICD_TYPER, 4, &v));
	assert_false(v & (1UL << 17));
	assert_true(vgic_redist_read(&g, 2, GICR_TYPER, 8, &v));
	assert_false(v & 1);
}

static void test_baser_writes(void **state)
{
	/* Indirect is RAZ/WI; the read-only fields stay; Page_Size kept. */
	its_write(GITS_BASER(0), DEVICE_TABLE | 1UL << 62 | 1UL << 8 | 3);
	assert_int_equal(its_read(GITS_BASER(0)) & ~RO_FIELDS,
			 DEVICE_TABLE | 1UL << 8 | 3);
	assert_int_equal((its_read(GITS_BASER(0)) >> 48) & 0x1f, 7);
	/* Not while the ITS is enabled. */
	its_write(GITS_CTLR, 1);
	its_write(GITS_BASER(0), 0);
	assert_int_equal(its_read(GITS_BASER(0)) & 0xfff, 1UL << 8 | 3);
	/* A 32-bit write changes only its half. */
	its_write(GITS_CTLR, 0);
	assert_true(vgic_its_write(&g, GITS_BASER(1) + 4, 4, 0x80000000UL));
	assert_int_equal(its_read(GITS_BASER(1)) & ~RO_FIELDS, 1UL << 63);
}

static void test_redist_lpi_regs(void **state)
{
	uint64_t v;

	assert_true(vgic_redist_write(&g, 1, GICR_PROPBASER, 8, PROP_TABLE | 13));
	assert_true(vgic_redist_read(&g, 1, GICR_PROPBASER, 8, &v));
	assert_int_equal(v, PROP_TABLE | 13);
	/* PTZ is write-only. */
	assert_true(vgic_redist_write(&g, 1, GICR_PENDBASER, 8, PEND_TABLE(1) | 1UL << 62));
	assert_true(vgic_redist_read(&g, 1, GICR_PENDBASER, 8, &v));
	assert_int_equal(v, PEND_TABLE(1));
	assert_true(vgic_redist_write(&g, 1, GICR_CTLR, 4, 1));
	assert_true(vgic_redist_read(&g, 1, GICR_CTLR, 4, &v));
	assert_int_equal(v & 1, 1);
	/* Once set, EnableLPIs stays, and the tables' registers are frozen. */
	assert_true(vgic_redist_write(&g, 1, GICR_CTLR, 4, 0));
	assert_true(vgic_redist_read(&g, 1, GICR_CTLR, 4, &v));
	assert_int_equal(v & 1, 1);
	assert_true(vgic_redist_write(&g, 1, GICR_PROPBASER, 8, 0));
	assert_true(vgic_redist_read(&g, 1, GICR_PROPBASER, 8, &v));
	assert_int_equal(v, PROP_TABLE | 13);
	/* Other redistributors are their own. */
	assert_true(vgic_redist_read(&g, 2, GICR_CTLR, 4, &v));
	assert_int_equal(v & 1, 0);
}

/* ---- the command queue and delivery --------------------------------------- */

static void test_int_reaches_its_target_only(void **state)
{
	map_basic();
	assert_int_equal(its_read(GITS_CREADR), its_read(GITS_CWRITER));
	assert_int_equal(lpis.its.errors, 0);
	memset(kicks, 0, sizeof(kicks));
	push(event_op(INT, 5, 2));
	assert_int_equal(kicks[1], 1);
	assert_int_equal(kicks[0] + kicks[2] + kicks[3], 0);
	assert_nothing(0);
	assert_nothing(2);
	assert_nothing(3);
	assert_lpi(1, 8200, 0xa0);
	/* Its pending state moved into the list register. */
	assert_nothing(1);
}

static void test_translater(void **state)
{
	/* A CPU's write to GITS_TRANSLATER is DeviceID 0's. */
	enable_all();
	push(mapd(0, ITT(0), 4, true));
	push(mapc(7, 3, true));
	push(mapti(0, 9, 8192 + 77, 7));
	assert_true(vgic_its_write(&g, GITS_TRANSLATER, 4, 9));
	assert_lpi(3, 8192 + 77, 0xa0);
	/* An event with no mapping raises nothing. */
	assert_true(vgic_its_write(&g, GITS_TRANSLATER, 4, 10));
	assert_nothing(3);
	/* TRANSLATER takes 16 and 32-bit writes only. */
	assert_false(vgic_its_write(&g, GITS_TRANSLATER, 8, 9));
	assert_true(vgic_its_write(&g, GITS_TRANSLATER, 2, 9));
	assert_lpi(3, 8192 + 77, 0xa0);
}

static void test_not_taken_stays_pending(void **state)
{
	uint64_t lrs[4];

	map_basic();
	push(event_op(INT, 5, 2));
	assert_int_equal(fill(1, lrs), 1);
	vgic_sync_lrs(&g, 1, lrs, 1); /* exit before the guest took it */
	assert_true(vgic_has_pending(&g, 1));
	assert_lpi(1, 8200, 0xa0);
	/* Taken (the LR came back active, or empty): gone. */
	lrs[0] = (lrs[0] & ~LR_PEND) | LR_ACT;
	vgic_sync_lrs(&g, 1, lrs, 1);
	assert_false(vgic_has_pending(&g, 1));
	assert_nothing(1);
}

/* LPIs at both ends of the range, in words the pending summary keeps in
 * its two halves: each found, and once taken, gone. */
static void test_lpis_far_apart(void **state)
{
	uint64_t lrs[4];

	enable_all();
	push(mapd(0, ITT(0), 4, true));
	push(mapc(2, 2, true));
	push(mapti(0, 1, VGIC_LPI_BASE, 2));
	push(mapti(0, 2, VGIC_LPI_BASE + VGIC_NR_LPIS - 1, 2));
	assert_true(vgic_its_write(&g, GITS_TRANSLATER, 4, 2));
	assert_lpi(2, VGIC_LPI_BASE + VGIC_NR_LPIS - 1, 0xa0);
	assert_true(vgic_its_write(&g, GITS_TRANSLATER, 4, 1));
	assert_true(vgic_its_write(&g, GITS_TRANSLATER, 4, 2));
	assert_int_equal(fill(2, lrs), 2);
	/* Both moved into list registers; the guest took the first only. */
	assert_false(vgic_has_pending(&g, 2));
	lrs[0] = (lrs[0] & ~LR_PEND) | LR_ACT;
	vgic_sync_lrs(&g, 2, lrs, 2);
	assert_true(vgic_has_pending(&g, 2));
	assert_int_equal(fill(2, lrs), 1);
	lrs[0] = (lrs[0] & ~LR_PEND) | LR_ACT;
	vgic_sync_lrs(&g, 2, lrs, 1);
	assert_false(vgic_has_pending(&g, 2));
	assert_nothing(2);
}

static void test_priority_with_spis(void **state)
{
	uint64_t lrs[4];

	map_basic();
	/* SPI 40 at 0x90 on vCPU 1; the LPI at 0xa0 comes after it. A second
	 * LPI at 0x80 comes first. */
	assert_true(vgic_dist_write(&g, 0, 0x6000 + 8 * 40, 8, 1));
	assert_true(vgic_dist_write(&g, 0, GICD_IPRIORITYR(40), 1, 0x90));
	assert_true(vgic_dist_write(&g, 0, GICD_IGROUPR(1), 4, 1u << 8));
	assert_true(vgic_dist_write(&g, 0, GICD_ISENABLER(1), 4, 1u << 8));
	assert_true(vgic_dist_write(&g, 0, GICD_ISPENDR(1), 4, 1u << 8));
	at(PROP_TABLE)[8300 - 8192] = 0x80 | 3;
	push(mapti(5, 3, 8300, 1));
	push(event_op(INT, 5, 2));
	push(event_op(INT, 5, 3));
	assert_int_equal(fill(1, lrs), 3);
	assert_int_equal(lrs[0] & 0xffffffff, 8300);
	assert_int_equal(lrs[1] & 0xffffffff, 40);
	assert_int_equal(lrs[2] & 0xffffffff, 8200);
}

static void test_underflow_when_more_wait(void **state)
{
	uint64_t lrs[4];
	bool underflow;
	unsigned e;

	map_basic();
	for (e = 0; e < 6; e++) {
		push(mapti(5, e, 9000 + e, 2));
		push(event_op(INT, 5, e));
	}
	assert_int_equal(vgic_fill_lrs(&g, 2, lrs, 4, &underflow), 4);
	assert_true(underflow);
	assert_int_equal(lrs[0] & 0xffffffff, 9000);
	assert_int_equal(lrs[3] & 0xffffffff, 9003);
	assert_int_equal(vgic_fill_lrs(&g, 2, lrs, 4, &underflow), 2);
	assert_false(underflow);
}

static void test_config_cached_until_inv(void **state)
{
	map_basic();
	/* Disabled in the table: pending, but not delivered. */
	at(PROP_TABLE)[8200 - 8192] = 0xa0 | 2;
	push(event_op(INT, 5, 2));
	assert_nothing(1);
	assert_false(vgic_has_pending(&g, 1));
	/* Enabled in memory: not seen until INV. */
	at(PROP_TABLE)[8200 - 8192] = 0x60 | 3;
	assert_nothing(1);
	memset(kicks, 0, sizeof(kicks));
	push(event_op(INV, 5, 2));
	/* A vCPU waiting in WFI hears of it. */
	assert_int_equal(kicks[1], 1);
	assert_lpi(1, 8200, 0x60);
}

static void test_movi_moves_pending(void **state)
{
	map_basic();
	/* Delivered on vCPU 1, then moved: the next INT lands on vCPU 2. */
	push(event_op(INT, 5, 2));
	push(movi(5, 2, 2));
	assert_nothing(1);
	assert_lpi(2, 8200, 0xa0);
	push(event_op(INT, 5, 2));
	assert_nothing(1);
	assert_lpi(2, 8200, 0xa0);
}

static void test_clear_and_discard(void **state)
{
	map_basic();
	push(event_op(INT, 5, 2));
	push(event_op(CLEAR, 5, 2));
	assert_nothing(1);
	push(event_op(INT, 5, 2));
	push(event_op(DISCARD, 5, 2));
	assert_nothing(1);
	assert_int_equal(lpis.its.errors, 0);
	/* Unmapped now: INT is a command error, and ignored. */
	push(event_op(INT, 5, 2));
	assert_int_equal(lpis.its.errors, 1);
	assert_nothing(1);
	assert_int_equal(its_read(GITS_CREADR), its_read(GITS_CWRITER));
}

static void test_movall(void **state)
{
	map_basic();
	push(event_op(INT, 5, 2));
	push((struct raw_cmd){ { 0x0e, 0, 1UL << 16, 3UL << 16 } });
	assert_nothing(1);
	assert_lpi(3, 8200, 0xa0);
}

static void test_bad_commands_ignored(void **state)
{
	map_basic();
	/* Unmapped device, event past the ITT's size, INTID that is no LPI,
	 * ICID past the collection table, MAPC to a vCPU that is not there,
	 * DeviceID past the device table, an unknown command, SYNC to
	 * nowhere: each is ignored, and the queue goes on. */
	push(mapti(6, 0, 8300, 1));
	push(mapti(5, 8, 8300, 1));
	push(mapti(5, 3, 8191, 1));
	push(mapti(5, 3, 16384, 1));
	push(mapti(5, 3, 8300, 512));
	push(mapc(2, NR_VCPUS, true));
	push(mapd(512, ITT(0), 2, true));
	push((struct raw_cmd){ { 0x2a, 0, 0, 0 } });
	push((struct raw_cmd){ { 0x05, 0, (uint64_t)NR_VCPUS << 16, 0 } });
	assert_int_equal(lpis.its.errors, 9);
	assert_int_equal(its_read(GITS_CREADR), its_read(GITS_CWRITER));
	/* And what follows works. */
	push(event_op(INT, 5, 2));
	assert_lpi(1, 8200, 0xa0);
}

static void test_tables_outside_ram_stall(void **state)
{
	uint64_t creadr;

	map_basic();
	/* An ITT outside the VM's RAM: MAPTI cannot write it; the ITS stalls
	 * at that command. */
	push(mapd(9, RAM_BASE + RAM_SIZE, 2, true));
	creadr = its_read(GITS_CREADR);
	push(mapti(9, 0, 8300, 1));
	assert_int_equal(its_read(GITS_CREADR), creadr | 1);
	/* Later commands wait. */
	push(event_op(INT, 5, 2));
	assert_nothing(1);
	/* The guest fixes the command and retries: both run. */
	memcpy(at(CMDQ) + (creadr & 0xfffe0), mapd(9, ITT(9), 2, true).dw, 32);
	its_write(GITS_CWRITER, its_read(GITS_CWRITER) | 1);
	assert_int_equal(its_read(GITS_CREADR), its_read(GITS_CWRITER));
	assert_lpi(1, 8200, 0xa0);
}

static void test_queue_outside_ram_stalls(void **state)
{
	enable_all();
	its_write(GITS_CTLR, 0);
	its_write(GITS_CBASER, (RAM_BASE + RAM_SIZE) | 1UL << 63);
	its_write(GITS_CTLR, 1);
	its_write(GITS_CWRITER, 32);
	assert_int_equal(its_read(GITS_CREADR), 1); /* offset 0, Stalled */
	/* A CWRITER past the queue's end stalls too. */
	its_write(GITS_CTLR, 0);
	its_write(GITS_CBASER, CMDQ | 1UL << 63);
	assert_int_equal(its_read(GITS_CREADR), 0);
	its_write(GITS_CWRITER, 0);
	its_write(GITS_CTLR, 1);
	its_write(GITS_CWRITER, 0x2000);
	assert_int_equal(its_read(GITS_CREADR), 1);
}

static void test_long_queue_in_steps(void **state)
{
	unsigned i;

	/* A 32 KiB queue (1024 commands) of 600 SYNCs: one access runs 512
	 * of them, the next read of CREADR the rest. */
	enable_all();
	its_write(GITS_CTLR, 0);
	its_write(GITS_CBASER, CMDQ | 1UL << 63 | 7);
	for (i = 0; i < 600; i++) {
		memcpy(at(CMDQ) + 32 * i, (uint64_t[4]){ 0x05, 0, 0, 0 }, 32);
	}
	its_write(GITS_CTLR, 1);
	its_write(GITS_CWRITER, 600 * 32);
	assert_int_equal(lpis.its.creadr, 512 * 32);
	assert_int_equal(its_read(GITS_CREADR), 600 * 32);
	assert_int_equal(lpis.its.errors, 0);
}

static void test_pending_table_read_at_enable(void **state)
{
	unsigned i;

	for (i = 0; i < VGIC_NR_LPIS; i++) {
		at(PROP_TABLE)[i] = 0xa0 | 3;
	}
	assert_true(vgic_dist_write(&g, 0, GICD_CTLR, 4, 0x2));
	/* LPI 8195 pending in vCPU 2's table before EnableLPIs. */
	at(PEND_TABLE(2))[8195 / 8] = 1u << (8195 % 8);
	assert_true(vgic_redist_write(&g, 2, GICR_PROPBASER, 8, PROP_TABLE | 13));
	assert_true(vgic_redist_write(&g, 2, GICR_PENDBASER, 8, PEND_TABLE(2)));
	assert_true(vgic_redist_write(&g, 2, GICR_CTLR, 4, 1));
	assert_lpi(2, 8195, 0xa0);
	/* With PTZ, the table is taken as zero. */
	at(PEND_TABLE(3))[8195 / 8] = 1u << (8195 % 8);
	assert_true(vgic_redist_write(&g, 3, GICR_PROPBASER, 8, PROP_TABLE | 13));
	assert_true(vgic_redist_write(&g, 3, GICR_PENDBASER, 8, PEND_TABLE(3) | 1UL << 62));
	assert_true(vgic_redist_write(&g, 3, GICR_CTLR, 4, 1));
	assert_nothing(3);
}

static void test_no_lpis_without_enable(void **state)
{
	map_basic();
	/* vCPU 1's EnableLPIs is set; a fresh vGIC where it is not... */
	setup(NULL);
	enable_all();
	lpis.enabled[1] = false; /* as if the guest never set it */
	push(mapd(5, ITT(5), 3, true));
	push(mapc(1, 1, true));
	push(mapti(5, 2, 8200, 1));
	push(event_op(INT, 5, 2));
	assert_nothing(1);
	/* ...and with the distributor's Group 1 off, nothing either. */
	setup(NULL);
	map_basic();
	assert_true(vgic_dist_write(&g, 0, GICD_CTLR, 4, 0));
	push(event_op(INT, 5, 2));
	assert_nothing(1);
	memset(kicks, 0, sizeof(kicks));
	assert_true(vgic_dist_write(&g, 0, GICD_CTLR, 4, 2));
	assert_int_equal(kicks[1], 1);
	assert_lpi(1, 8200, 0xa0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_decode_fields),
		T(test_decode_unknown),
		T(test_identification),
		T(test_baser_writes),
		T(test_redist_lpi_regs),
		T(test_int_reaches_its_target_only),
		T(test_translater),
		T(test_not_taken_stays_pending),
		T(test_lpis_far_apart),
		T(test_priority_with_spis),
		T(test_underflow_when_more_wait),
		T(test_config_cached_until_inv),
		T(test_movi_moves_pending),
		T(test_clear_and_discard),
		T(test_movall),
		T(test_bad_commands_ignored),
		T(test_tables_outside_ram_stall),
		T(test_queue_outside_ram_stalls),
		T(test_long_queue_in_steps),
		T(test_pending_table_read_at_enable),
		T(test_no_lpis_without_enable),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
