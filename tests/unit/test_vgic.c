/*
 * Unit tests for the virtual GICv3 (hv/vgic.c, hv/vgic_mmio.c), run
 * natively.
 *
 * The guest's side is played through the register interface, at the
 * offsets the GIC architecture specification (IHI 0069, chapter 12) gives,
 * and through list register values built from the Arm ARM's description of
 * ICH_LR<n>_EL2, not from vgic.h's macros. The hardware's side is played
 * by calling vgic_fill_lrs() as Vireo does before entering a vCPU, and
 * vgic_sync_lrs() with what the guest would have left in the list
 * registers: "acknowledged" (active), "ended" (invalid), or untouched.
 *
 * The kick callback is a fake that logs which vCPU it was asked to kick,
 * and checks that it was called with the lock held (tests/unit/host_shim.h
 * replaces the spinlock with one that aborts on misuse).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vdev/vgic.h"

#define NR_VCPUS 4
#define MPIDR(i) (0x80000000UL | (i)) /* bit 31 is RES1 */

/* ---- register offsets (IHI 0069, 12.9 and 12.11) -------------------------- */

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ICPENDR(n) (0x0280 + 4 * (n))
#define GICD_ISACTIVER(n) (0x0300 + 4 * (n))
#define GICD_ICACTIVER(n) (0x0380 + 4 * (n))
#define GICD_IPRIORITYR(intid) (0x0400 + (intid)) /* one byte each */
#define GICD_ICFGR(n) (0x0c00 + 4 * (n))
#define GICD_IGRPMODR(n) (0x0d00 + 4 * (n))
#define GICD_IROUTER(intid) (0x6000 + 8 * (intid))
#define GICD_PIDR2 0xffe8

#define GICD_CTLR_ENABLE_G0 (1u << 0)
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)

/* A redistributor's RD_base frame, then its SGI_base frame 64 KiB on. */
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_SGI 0x10000 /* + the GICD_ offsets of the first register */
#define GICR_IGROUPR0 (GICR_SGI + GICD_IGROUPR(0))
#define GICR_ISENABLER0 (GICR_SGI + GICD_ISENABLER(0))
#define GICR_ICENABLER0 (GICR_SGI + GICD_ICENABLER(0))
#define GICR_ISPENDR0 (GICR_SGI + GICD_ISPENDR(0))
#define GICR_ICPENDR0 (GICR_SGI + GICD_ICPENDR(0))
#define GICR_ISACTIVER0 (GICR_SGI + GICD_ISACTIVER(0))
#define GICR_IPRIORITYR(intid) (GICR_SGI + GICD_IPRIORITYR(intid))
#define GICR_ICFGR0 (GICR_SGI + GICD_ICFGR(0))
#define GICR_ICFGR1 (GICR_SGI + GICD_ICFGR(1))

#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_TYPER_LAST (1u << 4)

/* ---- ICH_LR<n>_EL2 (Arm ARM D19) ----------------------------------------- */

#define ICH_LR_EOI (1UL << 41)
#define ICH_LR_GROUP (1UL << 60)
#define ICH_LR_HW (1UL << 61)
#define ICH_LR_PENDING (1UL << 62)
#define ICH_LR_ACTIVE (1UL << 63)
#define ICH_LR_STATE (ICH_LR_PENDING | ICH_LR_ACTIVE)

static uint64_t lr_val(unsigned intid, unsigned prio, uint64_t bits)
{
	return intid | (uint64_t)prio << 48 | bits;
}

static uint64_t lr_pintid(unsigned pintid)
{
	return (uint64_t)pintid << 32;
}

/* What the guest leaves in an LR after acknowledging, and after ending. */
static uint64_t acked(uint64_t lr)
{
	return (lr & ~ICH_LR_STATE) | ICH_LR_ACTIVE;
}

static uint64_t ended(uint64_t lr)
{
	return lr & ~ICH_LR_STATE;
}

/* ---- ICC_SGI1R_EL1 (Arm ARM D19) ----------------------------------------- */

static uint64_t sgi1r(unsigned intid, unsigned aff3, unsigned aff2, unsigned aff1, unsigned rs,
		      unsigned targets)
{
	return (uint64_t)aff3 << 48 | (uint64_t)rs << 44 | (uint64_t)aff2 << 32 |
	       (uint64_t)intid << 24 | (uint64_t)aff1 << 16 | targets;
}

#define SGI1R_IRM (1UL << 40)

/* ---- the vGIC under test and its fake kick ------------------------------- */

static struct vgic g;
static unsigned kick_log[64];
static unsigned n_kicks;

static void fake_kick(struct vgic *vg, unsigned idx)
{
	assert_ptr_equal(vg, &g);
	assert_true(spin_is_held(&vg->lock));
	if (idx >= vg->nr_vcpus) {
		fail_msg("kick of vCPU %u, of %u", idx, vg->nr_vcpus);
	}
	if (n_kicks == ARRAY_SIZE(kick_log)) {
		fail_msg("more than %zu kicks", ARRAY_SIZE(kick_log));
	}
	kick_log[n_kicks++] = idx;
}

static void init_mpidrs(unsigned n, const uint64_t *mpidrs)
{
	vgic_init(&g, n, mpidrs);
	assert_false(spin_is_held(&g.lock));
	g.kick = fake_kick;
	n_kicks = 0;
}

static int setup(void **state)
{
	uint64_t mpidrs[NR_VCPUS];
	unsigned i;

	for (i = 0; i < NR_VCPUS; i++) {
		mpidrs[i] = MPIDR(i);
	}
	init_mpidrs(NR_VCPUS, mpidrs);
	return 0;
}

/* The kicks since the last check must be exactly these vCPUs, in order. */
static void expect_kicks(const char *what, unsigned n, ...)
{
	va_list ap;
	unsigned i;

	if (n_kicks != n) {
		fail_msg("%s: %u kicks (first to vCPU %d), want %u", what, n_kicks,
			 n_kicks ? (int)kick_log[0] : -1, n);
	}
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		unsigned want = va_arg(ap, unsigned);

		if (kick_log[i] != want) {
			fail_msg("%s: kick %u went to vCPU %u, want %u", what, i, kick_log[i], want);
		}
	}
	va_end(ap);
	n_kicks = 0;
}

static void expect_no_kick(const char *what)
{
	expect_kicks(what, 0);
}

/* ---- register access helpers ---------------------------------------------- */

/* Distributor accesses are vCPU 0's unless a test says otherwise. */
static uint64_t dist_read(uint64_t off, unsigned size)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL;

	if (!vgic_dist_read(&g, 0, off, size, &v)) {
		fail_msg("GICD %#lx: %u-byte read refused", off, size);
	}
	if (size < 8 && v >> (8 * size)) {
		fail_msg("GICD %#lx: %u-byte read gave %#lx", off, size, v);
	}
	assert_false(spin_is_held(&g.lock));
	return v;
}

static uint32_t dread(uint64_t off)
{
	return (uint32_t)dist_read(off, 4);
}

static void dist_write_by(unsigned idx, uint64_t off, unsigned size, uint64_t val)
{
	if (!vgic_dist_write(&g, idx, off, size, val)) {
		fail_msg("GICD %#lx: %u-byte write by vCPU %u refused", off, size, idx);
	}
	assert_false(spin_is_held(&g.lock));
}

static void dist_write(uint64_t off, unsigned size, uint64_t val)
{
	dist_write_by(0, off, size, val);
}

static void dwrite(uint64_t off, uint32_t val)
{
	dist_write(off, 4, val);
}

static uint64_t redist_read(unsigned frame, uint64_t off, unsigned size)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL;

	if (!vgic_redist_read(&g, frame, off, size, &v)) {
		fail_msg("GICR%u %#lx: %u-byte read refused", frame, off, size);
	}
	if (size < 8 && v >> (8 * size)) {
		fail_msg("GICR%u %#lx: %u-byte read gave %#lx", frame, off, size, v);
	}
	assert_false(spin_is_held(&g.lock));
	return v;
}

static uint32_t rread(unsigned frame, uint64_t off)
{
	return (uint32_t)redist_read(frame, off, 4);
}

static void redist_write(unsigned frame, uint64_t off, unsigned size, uint64_t val)
{
	if (!vgic_redist_write(&g, frame, off, size, val)) {
		fail_msg("GICR%u %#lx: %u-byte write refused", frame, off, size);
	}
	assert_false(spin_is_held(&g.lock));
}

static void rwrite(unsigned frame, uint64_t off, uint32_t val)
{
	redist_write(frame, off, 4, val);
}

static bool dist_refuses(uint64_t off, unsigned size)
{
	uint64_t v;

	return !vgic_dist_read(&g, 0, off, size, &v) && !vgic_dist_write(&g, 0, off, size, 0);
}

static bool redist_refuses(unsigned frame, uint64_t off, unsigned size)
{
	uint64_t v;

	return !vgic_redist_read(&g, frame, off, size, &v) &&
	       !vgic_redist_write(&g, frame, off, size, 0);
}

/* IROUTER's value for vCPU idx: Aff3.Aff2.Aff1.Aff0 of its MPIDR. */
static uint64_t route_to(unsigned idx)
{
	return g.cpu[idx].mpidr & 0xff00ffffffUL;
}

/* An SPI as a guest would set it up: group 1, the given priority, routed
 * to vCPU `to`, enabled. */
static void setup_spi(unsigned intid, unsigned prio, unsigned to)
{
	unsigned n = intid / 32;

	dwrite(GICD_IGROUPR(n), dread(GICD_IGROUPR(n)) | 1u << (intid % 32));
	dist_write(GICD_IPRIORITYR(intid), 1, prio);
	dist_write(GICD_IROUTER(intid), 8, route_to(to));
	dwrite(GICD_ISENABLER(n), 1u << (intid % 32));
}

/* The same for an SGI or PPI of vCPU idx, in its redistributor. */
static void setup_private(unsigned idx, unsigned intid, unsigned prio)
{
	rwrite(idx, GICR_IGROUPR0, rread(idx, GICR_IGROUPR0) | 1u << intid);
	redist_write(idx, GICR_IPRIORITYR(intid), 1, prio);
	rwrite(idx, GICR_ISENABLER0, 1u << intid);
}

static void set_edge(unsigned intid)
{
	unsigned n = intid / 16;

	dwrite(GICD_ICFGR(n), dread(GICD_ICFGR(n)) | 2u << (2 * (intid % 16)));
}

/* ---- list register helpers ------------------------------------------------- */

#define LR_SENTINEL 0x0123456789abcdefUL

static unsigned fill(unsigned idx, uint64_t *lrs, unsigned nr_lrs, bool *underflow)
{
	unsigned i, n;

	for (i = 0; i < VGIC_MAX_LRS; i++) {
		lrs[i] = LR_SENTINEL;
	}
	n = vgic_fill_lrs(&g, idx, lrs, nr_lrs, underflow);
	assert_false(spin_is_held(&g.lock));
	assert_true(n <= nr_lrs);
	for (i = n; i < VGIC_MAX_LRS; i++) {
		if (lrs[i] != LR_SENTINEL) {
			fail_msg("vCPU %u: LR %u of %u written", idx, i, n);
		}
	}
	return n;
}

/* vCPU idx's list registers, which must be exactly the n values given,
 * without underflow (up to 4 LRs, as on Cortex-A cores). */
static void expect_lrs(const char *what, unsigned idx, unsigned n, const uint64_t *want,
		       uint64_t *lrs)
{
	bool underflow = false;
	unsigned got = fill(idx, lrs, 4, &underflow), i;

	if (got != n) {
		fail_msg("%s: vCPU %u got %u LRs (first %#lx), want %u", what, idx, got,
			 got ? lrs[0] : 0, n);
	}
	assert_false(underflow);
	for (i = 0; i < n; i++) {
		if (lrs[i] != want[i]) {
			fail_msg("%s: vCPU %u LR %u is %#018lx, want %#018lx", what, idx, i, lrs[i],
				 want[i]);
		}
	}
}

static void expect_one_lr(const char *what, unsigned idx, uint64_t want, uint64_t *lr)
{
	uint64_t lrs[VGIC_MAX_LRS];

	expect_lrs(what, idx, 1, &want, lrs);
	if (lr) {
		*lr = lrs[0];
	}
}

static void expect_no_lr(const char *what, unsigned idx)
{
	uint64_t lrs[VGIC_MAX_LRS];

	expect_lrs(what, idx, 0, NULL, lrs);
}

static void sync1(unsigned idx, uint64_t lr)
{
	vgic_sync_lrs(&g, idx, &lr, 1);
	assert_false(spin_is_held(&g.lock));
}

/* ---- reset state ------------------------------------------------------------ */

static void test_dist_reset(void **state)
{
	uint32_t typer = dread(GICD_TYPER);
	unsigned n, i;

	assert_int_equal(typer & 0x1f, 3);          /* ITLinesNumber: 128 INTIDs */
	assert_int_equal((typer >> 19) & 0x1f, 9);  /* IDbits: 10 bits */
	assert_int_equal(typer & (1u << 17), 0);    /* no LPIs */
	assert_int_equal(typer & (1u << 10), 0);    /* one security state */
	assert_int_equal(dread(GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_DS);
	assert_int_equal((dread(GICD_PIDR2) >> 4) & 0xf, 3); /* ArchRev: GICv3 */

	for (n = 0; n < 4; n++) {
		assert_int_equal(dread(GICD_IGROUPR(n)), 0);
		assert_int_equal(dread(GICD_ISENABLER(n)), 0);
		assert_int_equal(dread(GICD_ICENABLER(n)), 0);
		assert_int_equal(dread(GICD_ISPENDR(n)), 0);
		assert_int_equal(dread(GICD_ICPENDR(n)), 0);
		assert_int_equal(dread(GICD_ISACTIVER(n)), 0);
		assert_int_equal(dread(GICD_ICACTIVER(n)), 0);
	}
	/* SPIs are level-sensitive: Int_config[1] = 0. */
	for (n = 2; n < 8; n++) {
		assert_int_equal(dread(GICD_ICFGR(n)), 0);
	}
	for (i = 32; i < 128; i += 4) {
		assert_int_equal(dread(GICD_IPRIORITYR(i)), 0);
	}
	for (i = 32; i < 128; i++) {
		assert_int_equal(dist_read(GICD_IROUTER(i), 8), 0);
	}
	for (i = 0; i < NR_VCPUS; i++) {
		assert_false(vgic_has_pending(&g, i));
		expect_no_lr("reset", i);
	}
}

/* A GICv2 distributor says so where a GICv2 keeps its ID registers (in
 * its 4 KiB frame) and where a GICv3 does. */
static void test_v2_identification(void **state)
{
	g.v2 = true;
	assert_int_equal((dread(0x0fe8) >> 4) & 0xf, 2);
	assert_int_equal((dread(GICD_PIDR2) >> 4) & 0xf, 2);
	g.v2 = false;
	assert_int_equal(dread(0x0fe8), 0);
}

static void test_redist_reset(void **state)
{
	unsigned f;

	for (f = 0; f < NR_VCPUS; f++) {
		uint64_t typer = redist_read(f, GICR_TYPER, 8);

		assert_int_equal(typer >> 32, f);                /* Affinity: Aff0 = f */
		assert_int_equal((typer >> 8) & 0xffff, f);      /* Processor_Number */
		assert_int_equal(typer & GICR_TYPER_LAST, f == NR_VCPUS - 1 ? GICR_TYPER_LAST : 0);
		assert_int_equal(typer & 1, 0);                  /* PLPIS */
		assert_int_equal(rread(f, GICR_TYPER), (uint32_t)typer);
		assert_int_equal(rread(f, GICR_TYPER + 4), typer >> 32);
		assert_int_equal((rread(f, GICR_PIDR2) >> 4) & 0xf, 3);
		assert_int_equal(rread(f, GICR_CTLR), 0);
		/* Asleep until the guest wakes it. */
		assert_int_equal(rread(f, GICR_WAKER),
				 GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP);

		assert_int_equal(rread(f, GICR_IGROUPR0), 0);
		assert_int_equal(rread(f, GICR_ISENABLER0), 0);
		assert_int_equal(rread(f, GICR_ISPENDR0), 0);
		assert_int_equal(rread(f, GICR_ISACTIVER0), 0);
		assert_int_equal(rread(f, GICR_IPRIORITYR(0)), 0);
		assert_int_equal(rread(f, GICR_IPRIORITYR(28)), 0);
		/* SGIs edge-triggered, PPIs level-sensitive. */
		assert_int_equal(rread(f, GICR_ICFGR0), 0xaaaaaaaa);
		assert_int_equal(rread(f, GICR_ICFGR1), 0);
	}
}

static void test_redist_waker(void **state)
{
	rwrite(1, GICR_WAKER, 0);
	assert_int_equal(rread(1, GICR_WAKER), 0);
	/* Only frame 1 woke. */
	assert_int_equal(rread(0, GICR_WAKER),
			 GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP);
	rwrite(1, GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	assert_int_equal(rread(1, GICR_WAKER),
			 GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP);
	/* ChildrenAsleep is read-only. */
	rwrite(2, GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP);
	assert_int_equal(rread(2, GICR_WAKER), 0);
}

/* Redistributor frames exist for vCPUs 0 .. nr_vcpus - 1 only. */
static void test_redist_frames(void **state)
{
	uint64_t v;

	assert_true(vgic_redist_read(&g, NR_VCPUS - 1, GICR_TYPER, 8, &v));
	assert_true(redist_refuses(NR_VCPUS, GICR_TYPER, 8));
	assert_true(redist_refuses(NR_VCPUS, GICR_WAKER, 4));
	assert_true(redist_refuses(NR_VCPUS, GICR_ISENABLER0, 4));
	assert_true(redist_refuses(VGIC_MAX_VCPUS, GICR_TYPER, 4));
	assert_true(redist_refuses(~0u, GICR_TYPER, 4));
}

/* GICR_TYPER.Affinity is Aff3.Aff2.Aff1.Aff0, from MPIDR bits [39:32] and
 * [23:0]; MT, U and RES1 (bits 24, 30, 31) are not part of it. */
static void test_redist_affinity(void **state)
{
	static const uint64_t mpidrs[] = { 0x80000000, 0x81000100, 0xab81123411 };

	init_mpidrs(3, mpidrs);
	assert_int_equal(redist_read(0, GICR_TYPER, 8) >> 32, 0);
	assert_int_equal(redist_read(1, GICR_TYPER, 8) >> 32, 0x100);
	assert_int_equal(redist_read(2, GICR_TYPER, 8) >> 32, 0xab123411);
	assert_int_equal(redist_read(2, GICR_TYPER, 8) & GICR_TYPER_LAST, GICR_TYPER_LAST);
	assert_int_equal(redist_read(1, GICR_TYPER, 8) & GICR_TYPER_LAST, 0);
	assert_true(redist_refuses(3, GICR_TYPER, 8));
}

/* ---- per-interrupt registers ------------------------------------------------ */

/* One pair of set/clear registers on SPIs 32-63: writing 1 sets (clears),
 * writing 0 changes nothing, both read the current state. */
static void check_set_clear(const char *what, uint64_t set, uint64_t clear)
{
	assert_int_equal(dread(set), 0);
	dwrite(set, 0x00000005);
	assert_int_equal(dread(set), 0x00000005);
	assert_int_equal(dread(clear), 0x00000005);
	dwrite(set, 0x80000000);
	assert_int_equal(dread(set), 0x80000005);
	dwrite(set, 0);
	assert_int_equal(dread(set), 0x80000005);
	dwrite(clear, 0);
	assert_int_equal(dread(set), 0x80000005);
	dwrite(clear, 0x00000001);
	assert_int_equal(dread(set), 0x80000004);
	assert_int_equal(dread(clear), 0x80000004);
	dwrite(clear, 0xffffffff);
	if (dread(set) != 0) {
		fail_msg("%s: %#x after clearing all", what, dread(set));
	}
}

static void test_dist_set_clear(void **state)
{
	check_set_clear("enable", GICD_ISENABLER(1), GICD_ICENABLER(1));
	check_set_clear("pending", GICD_ISPENDR(1), GICD_ICPENDR(1));
	check_set_clear("active", GICD_ISACTIVER(1), GICD_ICACTIVER(1));

	/* The registers address the right INTIDs: bit 2 of ISENABLER2 is 66. */
	dwrite(GICD_ISENABLER(2), 1u << 2);
	assert_true(vgic_irq(&g, 0, 66)->enabled);
	assert_false(vgic_irq(&g, 0, 65)->enabled);
	assert_false(vgic_irq(&g, 0, 98)->enabled);
	dwrite(GICD_ISPENDR(3), 1u << 31);
	assert_true(vgic_irq(&g, 0, 127)->latched);
	dwrite(GICD_ISACTIVER(3), 1u << 0);
	assert_true(vgic_irq(&g, 0, 96)->active);

	/* IGROUPR is not set/clear: it holds what was written. */
	dwrite(GICD_IGROUPR(1), 0xf0f0f0f0);
	assert_int_equal(dread(GICD_IGROUPR(1)), 0xf0f0f0f0);
	dwrite(GICD_IGROUPR(1), 0x0000ffff);
	assert_int_equal(dread(GICD_IGROUPR(1)), 0x0000ffff);
	expect_no_kick("set/clear without group enable");
}

/* A level-sensitive interrupt is pending while its line is high, whatever
 * ICPENDR says; ISPENDR latches it pending besides. */
static void test_dist_pending_level(void **state)
{
	vgic_set_level(&g, 0, 40, true);
	assert_int_equal(dread(GICD_ISPENDR(1)), 1u << 8);
	dwrite(GICD_ICPENDR(1), 1u << 8);
	assert_int_equal(dread(GICD_ISPENDR(1)), 1u << 8);
	vgic_set_level(&g, 0, 40, false);
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);

	dwrite(GICD_ISPENDR(1), 1u << 8);
	assert_int_equal(dread(GICD_ISPENDR(1)), 1u << 8);
	dwrite(GICD_ICPENDR(1), 1u << 8);
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);
}

/* The distributor's registers for INTIDs 0-31 are RAZ/WI with affinity
 * routing (the redistributors hold them), and so are those beyond 127. */
static void test_dist_raz_wi(void **state)
{
	static const uint64_t regs[] = {
		GICD_IGROUPR(0), GICD_ISENABLER(0), GICD_ISPENDR(0), GICD_ISACTIVER(0),
		GICD_IPRIORITYR(0), GICD_IPRIORITYR(16), GICD_IPRIORITYR(28),
		GICD_ICFGR(0), GICD_ICFGR(1),
		GICD_IGROUPR(4), GICD_ISENABLER(4), GICD_ISPENDR(4), GICD_ISACTIVER(4),
		GICD_ISENABLER(31), GICD_IPRIORITYR(128), GICD_IPRIORITYR(1016),
		GICD_ICFGR(8), GICD_ICFGR(63), GICD_IGRPMODR(1), 0x0f00 /* GICD_SGIR */,
	};
	unsigned i, f;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		dwrite(regs[i], 0xffffffff);
		if (dread(regs[i]) != 0) {
			fail_msg("GICD %#lx reads %#x after writing ones", regs[i], dread(regs[i]));
		}
	}
	/* The writes reached nothing: no private interrupt of any vCPU, no SPI. */
	for (f = 0; f < NR_VCPUS; f++) {
		assert_int_equal(rread(f, GICR_IGROUPR0), 0);
		assert_int_equal(rread(f, GICR_ISENABLER0), 0);
		assert_int_equal(rread(f, GICR_ISPENDR0), 0);
		assert_int_equal(rread(f, GICR_ISACTIVER0), 0);
		assert_int_equal(rread(f, GICR_IPRIORITYR(0)), 0);
		assert_int_equal(rread(f, GICR_ICFGR1), 0);
	}
	for (i = 1; i < 4; i++) {
		assert_int_equal(dread(GICD_ISENABLER(i)), 0);
		assert_int_equal(dread(GICD_ISPENDR(i)), 0);
	}
	assert_int_equal(dread(GICD_IPRIORITYR(124)), 0);

	/* IROUTER<n> exists for SPIs only: 0-31 reserved, 128 and on absent. */
	dist_write(GICD_IROUTER(128), 8, 1);
	assert_int_equal(dist_read(GICD_IROUTER(128), 8), 0);
	dist_write(GICD_IROUTER(1019), 8, 1);
	assert_int_equal(dist_read(GICD_IROUTER(1019), 8), 0);
	dwrite(GICD_IROUTER(5), 1);
	assert_int_equal(dread(GICD_IROUTER(5)), 0);
	assert_int_equal(dist_read(GICD_IROUTER(127), 8), 0);

	/* GICD_CTLR: only the group enables are writable. */
	dwrite(GICD_CTLR, 0xffffffff);
	assert_int_equal(dread(GICD_CTLR),
			 GICD_CTLR_ARE | GICD_CTLR_DS | GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1);
	dwrite(GICD_CTLR, 0);
	assert_int_equal(dread(GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_DS);
	dwrite(GICD_TYPER, 0);
	assert_int_equal(dread(GICD_TYPER) & 0x1f, 3);

	/* Out-of-range inputs are ignored, out-of-range LRs skipped. */
	vgic_set_level(&g, 0, 128, true);
	vgic_trigger(&g, 0, 1023);
	vgic_set_hw(&g, 0, 200);
	vgic_trigger(&g, NR_VCPUS, 3);
	vgic_sync_lrs(&g, 0, (uint64_t[]){ lr_val(1023, 0, ICH_LR_PENDING) }, 1);
	assert_null(vgic_irq(&g, NR_VCPUS, 3));
	assert_null(vgic_irq(&g, 0, 128));
	for (f = 0; f < NR_VCPUS; f++) {
		expect_no_lr("out-of-range inputs", f);
	}
	expect_no_kick("out-of-range inputs");
}

static void test_priority_regs(void **state)
{
	/* Byte and word views of the same registers. */
	dist_write(GICD_IPRIORITYR(33), 1, 0xa0);
	assert_int_equal(dread(GICD_IPRIORITYR(32)), 0x0000a000);
	dwrite(GICD_IPRIORITYR(36), 0x40302010);
	assert_int_equal(dist_read(GICD_IPRIORITYR(36), 1), 0x10);
	assert_int_equal(dist_read(GICD_IPRIORITYR(37), 1), 0x20);
	assert_int_equal(dist_read(GICD_IPRIORITYR(39), 1), 0x40);
	assert_int_equal(dist_read(GICD_IPRIORITYR(33), 1), 0xa0);
	assert_int_equal(vgic_irq(&g, 0, 38)->priority, 0x30);
	dist_write(GICD_IPRIORITYR(127), 1, 0xf8);
	assert_int_equal(dread(GICD_IPRIORITYR(124)), 0xf8000000);

	/* Each redistributor has its own SGIs' and PPIs' priorities. */
	redist_write(2, GICR_IPRIORITYR(27), 1, 0x60);
	rwrite(1, GICR_IPRIORITYR(0), 0x04030201);
	assert_int_equal(rread(2, GICR_IPRIORITYR(24)), 0x60000000);
	assert_int_equal(rread(1, GICR_IPRIORITYR(24)), 0);
	assert_int_equal(redist_read(1, GICR_IPRIORITYR(3), 1), 0x04);
	assert_int_equal(rread(2, GICR_IPRIORITYR(0)), 0);
	assert_int_equal(vgic_irq(&g, 2, 27)->priority, 0x60);
	/* The SGI frame covers INTIDs 0-31 only. */
	rwrite(1, GICR_IPRIORITYR(32), 0xffffffff);
	assert_int_equal(rread(1, GICR_IPRIORITYR(32)), 0);
	assert_int_equal(dread(GICD_IPRIORITYR(32)), 0x0000a000);
}

static void test_config_regs(void **state)
{
	/* Int_config[1] (odd bits) selects edge; Int_config[0] is reserved. */
	dwrite(GICD_ICFGR(2), 0xffffffff);
	assert_int_equal(dread(GICD_ICFGR(2)), 0xaaaaaaaa);
	assert_true(vgic_irq(&g, 0, 47)->edge);
	dwrite(GICD_ICFGR(2), 0);
	assert_false(vgic_irq(&g, 0, 47)->edge);
	set_edge(50); /* ICFGR3, bits [5:4] */
	assert_int_equal(dread(GICD_ICFGR(3)), 1u << 5);
	assert_true(vgic_irq(&g, 0, 50)->edge);
	assert_false(vgic_irq(&g, 0, 49)->edge);

	/* GICR_ICFGR0: SGIs are always edge-triggered. */
	rwrite(1, GICR_ICFGR0, 0);
	assert_int_equal(rread(1, GICR_ICFGR0), 0xaaaaaaaa);
	/* GICR_ICFGR1: PPIs 16-31, here configurable, per vCPU. */
	rwrite(1, GICR_ICFGR1, 2u << (2 * (20 - 16)));
	assert_int_equal(rread(1, GICR_ICFGR1), 2u << 8);
	assert_int_equal(rread(0, GICR_ICFGR1), 0);
	assert_true(vgic_irq(&g, 1, 20)->edge);
	assert_false(vgic_irq(&g, 0, 20)->edge);
}

static void test_redist_set_clear(void **state)
{
	rwrite(2, GICR_ISENABLER0, 0x08000009); /* SGIs 0 and 3, PPI 27 */
	assert_int_equal(rread(2, GICR_ISENABLER0), 0x08000009);
	assert_int_equal(rread(2, GICR_ICENABLER0), 0x08000009);
	assert_int_equal(rread(1, GICR_ISENABLER0), 0);
	rwrite(2, GICR_ISENABLER0, 0);
	rwrite(2, GICR_ICENABLER0, 0);
	assert_int_equal(rread(2, GICR_ISENABLER0), 0x08000009);
	rwrite(2, GICR_ICENABLER0, 0x00000001);
	assert_int_equal(rread(2, GICR_ISENABLER0), 0x08000008);

	rwrite(3, GICR_ISPENDR0, 1u << 5);
	assert_int_equal(rread(3, GICR_ISPENDR0), 1u << 5);
	assert_int_equal(rread(3, GICR_ICPENDR0), 1u << 5);
	rwrite(3, GICR_ICPENDR0, 1u << 5);
	assert_int_equal(rread(3, GICR_ISPENDR0), 0);

	rwrite(0, GICR_ISACTIVER0, 1u << 16);
	assert_int_equal(rread(0, GICR_ISACTIVER0), 1u << 16);
	assert_true(vgic_irq(&g, 0, 16)->active);

	/* INTIDs 32 and up have no bits in an SGI frame. */
	rwrite(0, GICR_SGI + GICD_ISENABLER(1), 0xffffffff);
	assert_int_equal(rread(0, GICR_SGI + GICD_ISENABLER(1)), 0);
	assert_int_equal(dread(GICD_ISENABLER(1)), 0);
	expect_no_kick("redistributor set/clear");
}

static void test_access_sizes(void **state)
{
	uint64_t v;

	/* IPRIORITYR: bytes and words. */
	dist_write(GICD_IPRIORITYR(45), 1, 0x55);
	assert_int_equal(dist_read(GICD_IPRIORITYR(45), 1), 0x55);
	assert_true(dist_refuses(GICD_IPRIORITYR(44), 2));
	assert_true(dist_refuses(GICD_IPRIORITYR(40), 8));
	redist_write(0, GICR_IPRIORITYR(3), 1, 0x33);
	assert_int_equal(redist_read(0, GICR_IPRIORITYR(3), 1), 0x33);
	assert_true(redist_refuses(0, GICR_IPRIORITYR(2), 2));

	/* The bit registers, ICFGR, CTLR, TYPER: words only. */
	assert_true(dist_refuses(GICD_ISENABLER(1), 1));
	assert_true(dist_refuses(GICD_ISENABLER(1), 2));
	assert_true(dist_refuses(GICD_ISENABLER(1), 8));
	assert_true(dist_refuses(GICD_ICPENDR(1), 1));
	assert_true(dist_refuses(GICD_ICFGR(2), 1));
	assert_true(dist_refuses(GICD_CTLR, 1));
	assert_true(dist_refuses(GICD_CTLR, 8));
	assert_true(dist_refuses(GICD_TYPER, 2));
	assert_true(dist_refuses(GICD_PIDR2, 1));
	assert_true(redist_refuses(1, GICR_ISENABLER0, 1));
	assert_true(redist_refuses(1, GICR_ICFGR1, 2));
	assert_true(redist_refuses(1, GICR_WAKER, 1));
	assert_true(redist_refuses(1, GICR_TYPER, 2));
	assert_false(vgic_redist_read(&g, 1, GICR_TYPER + 4, 8, &v));
	/* Nothing was written by the refused accesses. */
	assert_int_equal(dread(GICD_ISENABLER(1)), 0);
	assert_int_equal(dread(GICD_IPRIORITYR(44)), 0x00005500);

	/* IROUTER: a doubleword, or either word of it. */
	dist_write(GICD_IROUTER(40), 8, 0x0000000400030201UL); /* 4.3.2.1 */
	assert_int_equal(dist_read(GICD_IROUTER(40), 8), 0x0000000400030201UL);
	assert_int_equal(dread(GICD_IROUTER(40)), 0x00030201);
	assert_int_equal(dread(GICD_IROUTER(40) + 4), 0x04);
	dwrite(GICD_IROUTER(40), 0x00070605);
	assert_int_equal(dist_read(GICD_IROUTER(40), 8), 0x0000000400070605UL);
	dwrite(GICD_IROUTER(40) + 4, 0x09);
	assert_int_equal(dist_read(GICD_IROUTER(40), 8), 0x0000000900070605UL);
	/* Only Aff3.Aff2.Aff1.Aff0 are kept: IRM (bit 31, 1-of-N) is not
	 * offered, bits 24-30 and 40-63 are RES0. */
	dist_write(GICD_IROUTER(41), 8, ~0UL);
	assert_int_equal(dist_read(GICD_IROUTER(41), 8), 0xff00ffffffUL);
	dwrite(GICD_IROUTER(42), 0xffffffff);
	dwrite(GICD_IROUTER(42) + 4, 0xffffffff);
	assert_int_equal(dist_read(GICD_IROUTER(42), 8), 0xff00ffffffUL);
	/* Neighbours untouched. */
	assert_int_equal(dist_read(GICD_IROUTER(39), 8), 0);
	assert_int_equal(dist_read(GICD_IROUTER(43), 8), 0);
	assert_true(dist_refuses(GICD_IROUTER(40) + 4, 8));
	assert_true(dist_refuses(GICD_IROUTER(40), 2));
	assert_true(dist_refuses(GICD_IROUTER(40), 1));
	assert_int_equal(dist_read(GICD_IROUTER(40), 8), 0x0000000900070605UL);

	/* GICR_TYPER: a doubleword or either word; the RD frame's other
	 * registers words or doublewords. */
	assert_true(vgic_redist_read(&g, 0, GICR_TYPER, 8, &v));
	assert_true(vgic_redist_read(&g, 0, GICR_TYPER + 4, 4, &v));
	assert_true(vgic_redist_read(&g, 0, GICR_CTLR, 8, &v));
}

/* ---- delivery -------------------------------------------------------------- */

/* An SPI routed to vCPU 1 goes to vCPU 1's list registers only, and only
 * while its group is enabled. */
static void test_spi_routing(void **state)
{
	const uint64_t lr = lr_val(40, 0x80, ICH_LR_GROUP | ICH_LR_PENDING | ICH_LR_EOI);
	unsigned i;

	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	setup_spi(40, 0x80, 1);
	expect_no_kick("setup");
	vgic_set_level(&g, 0, 40, true);
	expect_kicks("line raised", 1, 1);

	assert_true(vgic_has_pending(&g, 1));
	for (i = 0; i < NR_VCPUS; i++) {
		if (i != 1) {
			expect_no_lr("routed elsewhere", i);
			assert_false(vgic_has_pending(&g, i));
		}
	}
	expect_one_lr("routed to vCPU 1", 1, lr, NULL);
	/* Not taken: offered again. */
	sync1(1, lr);
	expect_one_lr("not taken", 1, lr, NULL);

	/* Group 1 disabled, or only group 0 enabled: not delivered. */
	dwrite(GICD_CTLR, 0);
	expect_no_lr("groups disabled", 1);
	assert_false(vgic_has_pending(&g, 1));
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G0);
	expect_no_lr("group 0 only", 1);
	expect_no_kick("group 1 stays disabled");
	/* As a group 0 interrupt it is: LR group bit clear. */
	dwrite(GICD_IGROUPR(1), 0);
	expect_kicks("group 0 interrupt with group 0 on", 1, 1);
	expect_one_lr("group 0", 1, lr & ~ICH_LR_GROUP, NULL);
	dwrite(GICD_IGROUPR(1), 1u << 8);
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	expect_kicks("group 1 enabled", 1, 1);
	expect_one_lr("group 1 again", 1, lr, NULL);

	/* Disabled: not delivered, though still pending. */
	dwrite(GICD_ICENABLER(1), 1u << 8);
	expect_no_lr("disabled", 1);
	assert_false(vgic_has_pending(&g, 1));
	assert_int_equal(dread(GICD_ISPENDR(1)), 1u << 8);
	expect_no_kick("disabled");
}

/* A level-sensitive SPI through acknowledge and end, with its line high
 * and then low. */
static void test_level_lifecycle(void **state)
{
	const uint64_t lr = lr_val(40, 0x80, ICH_LR_GROUP | ICH_LR_PENDING | ICH_LR_EOI);
	const uint64_t active = lr_val(40, 0x80, ICH_LR_GROUP | ICH_LR_ACTIVE | ICH_LR_EOI);

	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	setup_spi(40, 0x80, 1);
	vgic_set_level(&g, 0, 40, true);
	expect_one_lr("line high", 1, lr, NULL);

	/* Acknowledged: active, not pending again while active. */
	sync1(1, acked(lr));
	assert_int_equal(dread(GICD_ISACTIVER(1)), 1u << 8);
	expect_one_lr("acknowledged", 1, active, NULL);
	sync1(1, active);
	expect_one_lr("still active", 1, active, NULL);

	/* Ended with the line still high: pending again. */
	sync1(1, ended(active));
	assert_int_equal(dread(GICD_ISACTIVER(1)), 0);
	expect_one_lr("ended, line high", 1, lr, NULL);

	/* Taken and ended again, and the line is low by then. */
	sync1(1, acked(lr));
	vgic_set_level(&g, 0, 40, false);
	expect_one_lr("acknowledged, line low", 1, active, NULL);
	sync1(1, ended(active));
	expect_no_lr("ended, line low", 1);
	assert_false(vgic_has_pending(&g, 1));
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);

	/* A line that drops before the guest takes it takes it back. */
	vgic_set_level(&g, 0, 40, true);
	expect_one_lr("raised again", 1, lr, NULL);
	sync1(1, lr);
	vgic_set_level(&g, 0, 40, false);
	expect_no_lr("dropped before taken", 1);
	expect_kicks("raised twice", 2, 1, 1);
}

/* A level-sensitive SPI made pending by ISPENDR stays pending until the
 * guest takes it, with its line low. */
static void test_level_ispendr(void **state)
{
	const uint64_t lr = lr_val(41, 0x10, ICH_LR_GROUP | ICH_LR_PENDING | ICH_LR_EOI);

	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	setup_spi(41, 0x10, 2);
	dwrite(GICD_ISPENDR(1), 1u << 9);
	expect_kicks("ISPENDR", 1, 2);
	expect_one_lr("latched", 2, lr, NULL);
	sync1(2, lr);
	expect_one_lr("latched, not taken", 2, lr, NULL);
	sync1(2, acked(lr));
	expect_one_lr("taken", 2, acked(lr), NULL);
	sync1(2, ended(lr));
	expect_no_lr("ended", 2);
	assert_int_equal(dread(GICD_ISPENDR(1)), 0);
}

/* Edge-triggered: the pending state moves into the list register. */
static void test_edge_lifecycle(void **state)
{
	const uint64_t lr = lr_val(50, 0x40, ICH_LR_GROUP | ICH_LR_PENDING);
	uint64_t lrs[VGIC_MAX_LRS];
	bool underflow = false;

	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	set_edge(50);
	setup_spi(50, 0x40, 2);
	vgic_trigger(&g, 0, 50);
	expect_kicks("triggered", 1, 2);
	assert_true(vgic_has_pending(&g, 2));
	expect_one_lr("edge", 2, lr, NULL);
	/* The guest did not take it: still pending. */
	sync1(2, lr);
	expect_one_lr("not taken", 2, lr, NULL);

	/* Taken: active only; a new edge while active: active and pending. */
	sync1(2, acked(lr));
	expect_one_lr("taken", 2, acked(lr), NULL);
	sync1(2, acked(lr));
	vgic_trigger(&g, 0, 50);
	expect_kicks("edge while active", 1, 2);
	expect_one_lr("edge while active", 2, lr | ICH_LR_ACTIVE, NULL);
	/* Ended, the second edge still pending. */
	sync1(2, ended(lr) | ICH_LR_PENDING);
	expect_one_lr("second edge", 2, lr, NULL);
	sync1(2, ended(lr));
	expect_no_lr("all ended", 2);

	/* Two edges before delivery are one interrupt. */
	vgic_trigger(&g, 0, 50);
	vgic_trigger(&g, 0, 50);
	expect_kicks("two edges", 2, 2, 2);
	assert_int_equal(fill(2, lrs, 4, &underflow), 1);
	assert_false(underflow);
	assert_int_equal(lrs[0], lr);
	sync1(2, ended(lr));
	expect_no_lr("one interrupt for two edges", 2);
}

/* A private interrupt linked to its physical twin, like the virtual timer:
 * HW with the physical INTID, and no maintenance interrupt on EOI. */
static void test_hw_ppi(void **state)
{
	const uint64_t lr =
		lr_val(27, 0xa0, ICH_LR_GROUP | ICH_LR_HW | ICH_LR_PENDING) | lr_pintid(27);

	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	vgic_set_hw(&g, 1, 27);
	setup_private(1, 27, 0xa0);
	setup_private(0, 27, 0xa0);
	expect_no_kick("setup");
	vgic_trigger(&g, 1, 27);
	expect_kicks("timer fired", 1, 1);

	expect_no_lr("vCPU 0's PPI 27", 0);
	expect_one_lr("HW", 1, lr, NULL);
	assert_int_equal((lr >> 32) & 0x1fff, 27);
	assert_int_equal(lr & ICH_LR_EOI, 0);
	assert_int_equal(rread(1, GICR_ISPENDR0), 1u << 27); /* level: latched */

	sync1(1, acked(lr));
	expect_one_lr("acknowledged", 1, acked(lr), NULL);
	assert_false(vgic_has_pending(&g, 1));
	/* The guest's deactivation deactivates the physical one: nothing to do. */
	sync1(1, ended(lr));
	expect_no_lr("deactivated", 1);
	assert_int_equal(rread(1, GICR_ISPENDR0), 0);

	/* Only vCPU 1's PPI 27 is linked. */
	vgic_trigger(&g, 0, 27);
	expect_one_lr("not linked", 0,
		      lr_val(27, 0xa0, ICH_LR_GROUP | ICH_LR_PENDING | ICH_LR_EOI), NULL);
}

/* What the fake hw_spi_changed was last told, and how often. */
static struct {
	unsigned calls, intid;
	int target;
	bool idle;
} hw_spi;

static void fake_hw_spi_changed(struct vgic *vg, unsigned intid, int target, bool idle)
{
	assert_true(spin_is_held(&vg->lock));
	hw_spi.calls++;
	hw_spi.intid = intid;
	hw_spi.target = target;
	hw_spi.idle = idle;
}

/* A host device's SPI (core/devices.c): the VM's INTID 127 linked to the
 * physical 48. Its list register has the HW bit and the physical INTID,
 * no EOI maintenance even as a level; register writes tell the owner
 * where it is routed and when nothing is left for a guest to end. */
static void test_hw_spi(void **state)
{
	const uint64_t lr =
		lr_val(127, 0xa0, ICH_LR_GROUP | ICH_LR_HW | ICH_LR_PENDING) | lr_pintid(48);

	memset(&hw_spi, 0, sizeof(hw_spi));
	g.hw_spi_changed = fake_hw_spi_changed;
	vgic_link_spi(&g, 127, 48);
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	setup_spi(127, 0xa0, 1);
	assert_true(hw_spi.calls > 0);
	assert_int_equal(hw_spi.intid, 127);
	assert_int_equal(hw_spi.target, 1);
	assert_false(hw_spi.idle); /* nothing was cleared */
	assert_int_equal(vgic_spi_target(&g, 127), 1);
	expect_no_kick("setup");

	set_edge(127); /* as QEMU's virtio-mmio transports are */
	vgic_trigger(&g, 0, 127); /* the physical one fired */
	expect_kicks("fired", 1, 1);
	expect_no_lr("vCPU 0", 0);
	expect_one_lr("HW, physical 48", 1, lr, NULL);
	/* While it is in vCPU 1's list register (running, not synced), other
	 * vCPUs' writes to its registers' words must not call it idle. */
	hw_spi.calls = 0;
	dwrite(GICD_ISENABLER(3), 1u << 5);
	dwrite(GICD_ICENABLER(3), 1u << 5);
	dist_write(GICD_IROUTER(127), 8, route_to(1));
	assert_true(hw_spi.calls >= 3);
	assert_false(hw_spi.idle);
	n_kicks = 0; /* (those writes kick vCPU 1: it has one deliverable) */
	sync1(1, acked(lr));
	expect_one_lr("acknowledged", 1, acked(lr), NULL);
	/* Fired again while the guest handles it (an edge, or ISPENDR): a
	 * hardware-linked list register is never pending and active at
	 * once; the pending state waits in the model for the end. */
	vgic_trigger(&g, 0, 127);
	expect_kicks("fired while active", 1, 1);
	expect_one_lr("active only", 1, acked(lr), NULL);
	assert_false(vgic_has_pending(&g, 1));
	sync1(1, ended(lr)); /* its end went to the physical one */
	expect_one_lr("pending again after the end", 1, lr, NULL);
	sync1(1, ended(lr));
	expect_no_lr("ended", 1);

	/* Rerouted: the owner hears the new target. */
	hw_spi.calls = 0;
	dist_write(GICD_IROUTER(127), 8, route_to(0));
	assert_int_equal(hw_spi.calls, 1);
	assert_int_equal(hw_spi.target, 0);

	/* Pending, then cleared by the guest: nothing will end the physical
	 * one but its owner. */
	vgic_trigger(&g, 0, 127);
	expect_kicks("fired again", 1, 0);
	hw_spi.calls = 0;
	dwrite(GICD_ISENABLER(3), 1u << 31); /* a write that changes nothing */
	assert_int_equal(hw_spi.calls, 1);
	assert_false(hw_spi.idle);
	dwrite(GICD_ICPENDR(3), 1u << 31);
	assert_true(hw_spi.idle);
	expect_no_lr("cleared", 0);

	/* An SPI not linked tells nobody. */
	hw_spi.calls = 0;
	setup_spi(90, 0xa0, 0); /* (registers of other words) */
	assert_int_equal(hw_spi.calls, 0);
}

/* Highest priority (lowest value) first, then lowest INTID; underflow when
 * more wait than fit, and the rest go in next time. */
static void test_priority_order(void **state)
{
	const uint64_t g1p = ICH_LR_GROUP | ICH_LR_PENDING;
	const uint64_t want[] = {
		lr_val(45, 0x20, g1p),
		lr_val(20, 0x60, g1p),
		lr_val(33, 0xa0, g1p),
		lr_val(34, 0xa0, g1p),
	};
	uint64_t lrs[VGIC_MAX_LRS];
	bool underflow = false;

	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	dwrite(GICD_ICFGR(2), 0xaaaaaaaa); /* SPIs 32-47 edge */
	setup_spi(34, 0xa0, 3);
	setup_spi(33, 0xa0, 3);
	setup_spi(45, 0x20, 3);
	rwrite(3, GICR_ICFGR1, 2u << (2 * 4)); /* PPI 20 edge */
	setup_private(3, 20, 0x60);
	setup_spi(46, 0x00, 2); /* elsewhere */
	vgic_trigger(&g, 0, 34);
	vgic_trigger(&g, 3, 20);
	vgic_trigger(&g, 0, 46);
	vgic_trigger(&g, 0, 33);
	vgic_trigger(&g, 0, 45);
	expect_kicks("five edges", 5, 3, 3, 2, 3, 3);

	expect_lrs("four LRs for four", 3, 4, want, lrs);

	/* The guest took none; now only two LRs. */
	vgic_sync_lrs(&g, 3, lrs, 4);
	assert_int_equal(fill(3, lrs, 2, &underflow), 2);
	assert_true(underflow);
	assert_int_equal(lrs[0], want[0]);
	assert_int_equal(lrs[1], want[1]);
	/* It took and ended both: the other two go in. */
	lrs[0] = ended(lrs[0]);
	lrs[1] = ended(lrs[1]);
	vgic_sync_lrs(&g, 3, lrs, 2);
	assert_int_equal(fill(3, lrs, 2, &underflow), 2);
	assert_false(underflow);
	assert_int_equal(lrs[0], want[2]);
	assert_int_equal(lrs[1], want[3]);
	/* Only three fit in two: underflow, and the third waits. */
	vgic_sync_lrs(&g, 3, lrs, 2);
	vgic_trigger(&g, 3, 20);
	n_kicks = 0;
	assert_int_equal(fill(3, lrs, 2, &underflow), 2);
	assert_true(underflow);
	assert_int_equal(lrs[0], want[1]);
	assert_int_equal(lrs[1], want[2]);
	lrs[0] = ended(lrs[0]);
	lrs[1] = ended(lrs[1]);
	vgic_sync_lrs(&g, 3, lrs, 2);
	expect_one_lr("the third", 3, want[3], NULL);

	/* Active interrupts keep their place by priority too. */
	sync1(3, acked(want[3]));
	vgic_trigger(&g, 0, 45);
	n_kicks = 0;
	assert_int_equal(fill(3, lrs, 1, &underflow), 1);
	assert_true(underflow);
	assert_int_equal(lrs[0], want[0]);
}

static void test_has_pending(void **state)
{
	uint64_t lrs[VGIC_MAX_LRS];
	bool underflow = false;

	set_edge(60);
	vgic_trigger(&g, 0, 60);
	assert_false(vgic_has_pending(&g, 0)); /* disabled, group 0 disabled */
	setup_spi(60, 0, 0);
	assert_false(vgic_has_pending(&g, 0)); /* group 1 disabled */
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	assert_true(vgic_has_pending(&g, 0));
	assert_false(vgic_has_pending(&g, 1));
	/* Taken: active, nothing pending. */
	assert_int_equal(fill(0, lrs, 4, &underflow), 1);
	sync1(0, acked(lrs[0]));
	assert_false(vgic_has_pending(&g, 0));
	/* A private interrupt counts for its own vCPU only. */
	setup_private(2, 7, 0);
	vgic_trigger(&g, 2, 7);
	assert_true(vgic_has_pending(&g, 2));
	assert_false(vgic_has_pending(&g, 1));
	/* has_pending does not consume anything. */
	assert_true(vgic_has_pending(&g, 2));
	expect_one_lr("SGI 7", 2, lr_val(7, 0, ICH_LR_GROUP | ICH_LR_PENDING), NULL);
}

/* ---- SGIs ------------------------------------------------------------------ */

static void enable_sgi_everywhere(unsigned intid, unsigned prio)
{
	unsigned i;

	for (i = 0; i < NR_VCPUS; i++) {
		setup_private(i, intid, prio);
	}
}

/* The vCPUs with SGI intid in their list registers, as a bit mask; each
 * is taken and ended. */
static unsigned sgi_targets(unsigned intid, unsigned prio)
{
	uint64_t lrs[VGIC_MAX_LRS];
	unsigned mask = 0, i, n;
	bool underflow = false;

	for (i = 0; i < NR_VCPUS; i++) {
		n = fill(i, lrs, 4, &underflow);
		if (n == 0) {
			continue;
		}
		assert_int_equal(n, 1);
		if (lrs[0] != lr_val(intid, prio, ICH_LR_GROUP | ICH_LR_PENDING)) {
			fail_msg("vCPU %u: LR %#lx for SGI %u", i, lrs[0], intid);
		}
		sync1(i, ended(lrs[0]));
		mask |= 1u << i;
	}
	return mask;
}

/* The kicks since the last check, as a bit mask (each vCPU at most once). */
static unsigned kicked(void)
{
	unsigned mask = 0, i;

	for (i = 0; i < n_kicks; i++) {
		if (mask & (1u << kick_log[i])) {
			fail_msg("vCPU %u kicked twice", kick_log[i]);
		}
		mask |= 1u << kick_log[i];
	}
	n_kicks = 0;
	return mask;
}

static void test_sgi_targets(void **state)
{
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	enable_sgi_everywhere(3, 0x50);
	expect_no_kick("setup");

	/* TargetList bit 2, Aff3.Aff2.Aff1 = 0.0.0: vCPU 2. */
	vgic_send_sgi(&g, 0, sgi1r(3, 0, 0, 0, 0, 1u << 2));
	assert_int_equal(kicked(), 1u << 2);
	assert_int_equal(sgi_targets(3, 0x50), 1u << 2);

	/* Several targets, the sender among them. */
	vgic_send_sgi(&g, 3, sgi1r(3, 0, 0, 0, 0, 0xb));
	assert_int_equal(kicked(), 0xb);
	assert_int_equal(sgi_targets(3, 0x50), 0xb);

	/* IRM = 1: everyone but the sender, whatever the other fields say. */
	vgic_send_sgi(&g, 1, sgi1r(3, 0, 0, 0, 0, 0) | SGI1R_IRM);
	assert_int_equal(kicked(), 0xd);
	assert_int_equal(sgi_targets(3, 0x50), 0xd);
	vgic_send_sgi(&g, 0, sgi1r(3, 7, 7, 7, 3, 0x2) | SGI1R_IRM);
	assert_int_equal(kicked(), 0xe);
	assert_int_equal(sgi_targets(3, 0x50), 0xe);

	/* An affinity nobody has: nobody. */
	vgic_send_sgi(&g, 0, sgi1r(3, 0, 0, 1, 0, 0xf));
	vgic_send_sgi(&g, 0, sgi1r(3, 0, 1, 0, 0, 0xf));
	vgic_send_sgi(&g, 0, sgi1r(3, 1, 0, 0, 0, 0xf));
	vgic_send_sgi(&g, 0, sgi1r(3, 0, 0, 0, 1, 0xf)); /* RS 1: Aff0 16-31 */
	vgic_send_sgi(&g, 0, sgi1r(3, 0, 0, 0, 0, 0xfff0)); /* Aff0 4-15 */
	vgic_send_sgi(&g, 0, sgi1r(3, 0, 0, 0, 0, 0));
	assert_int_equal(kicked(), 0);
	assert_int_equal(sgi_targets(3, 0x50), 0);

	/* Other SGI numbers land on their own INTIDs. */
	enable_sgi_everywhere(15, 0x50);
	vgic_send_sgi(&g, 2, sgi1r(15, 0, 0, 0, 0, 0x1));
	assert_int_equal(kicked(), 0x1);
	assert_int_equal(sgi_targets(15, 0x50), 0x1);
}

/* Targets named by Aff3.Aff2.Aff1 and RS:TargetList, on vCPUs with
 * affinities beyond Aff0 (the MT, U and RES1 bits play no part). */
static void test_sgi_affinity(void **state)
{
	static const uint64_t mpidrs[] = { 0x80000000, 0x81000100, 0xab81123411 };
	unsigned i;

	init_mpidrs(3, mpidrs);
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	for (i = 0; i < 3; i++) {
		setup_private(i, 1, 0);
	}
	vgic_send_sgi(&g, 0, sgi1r(1, 0, 0, 1, 0, 0x1));
	assert_int_equal(kicked(), 1u << 1);
	vgic_send_sgi(&g, 0, sgi1r(1, 0xab, 0x12, 0x34, 1, 1u << 1));
	assert_int_equal(kicked(), 1u << 2);
	vgic_send_sgi(&g, 0, sgi1r(1, 0xab, 0x12, 0x34, 0, 1u << 1)); /* RS 0 */
	vgic_send_sgi(&g, 0, sgi1r(1, 0xab, 0x12, 0x33, 1, 1u << 1));
	vgic_send_sgi(&g, 0, sgi1r(1, 0x00, 0x12, 0x34, 1, 1u << 1));
	vgic_send_sgi(&g, 0, sgi1r(1, 0, 0, 0, 0, 1u << 1));
	assert_int_equal(kicked(), 0);
	vgic_send_sgi(&g, 2, sgi1r(1, 0, 0, 0, 0, 0) | SGI1R_IRM);
	assert_int_equal(kicked(), 0x3);

	/* SPIs follow the same affinities. */
	setup_spi(70, 0, 2);
	assert_int_equal(dist_read(GICD_IROUTER(70), 8), 0xab00123411UL);
	vgic_set_level(&g, 0, 70, true);
	assert_int_equal(kicked(), 1u << 2);
	expect_lrs("SGI 1 and SPI 70 on vCPU 2", 2, 2,
		   (const uint64_t[]){ lr_val(1, 0, ICH_LR_GROUP | ICH_LR_PENDING),
				       lr_val(70, 0, ICH_LR_GROUP | ICH_LR_PENDING | ICH_LR_EOI) },
		   (uint64_t[VGIC_MAX_LRS]){ 0 });
}

/* An SGI is kicked only when deliverable, and registers that make it so
 * kick then. */
static void test_sgi_deliverable(void **state)
{
	/* SGI 5: group 1 but not enabled in vCPU 1's redistributor. */
	rwrite(1, GICR_IGROUPR0, 1u << 5);
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	vgic_send_sgi(&g, 0, sgi1r(5, 0, 0, 0, 0, 1u << 1));
	assert_int_equal(kicked(), 0);
	assert_int_equal(rread(1, GICR_ISPENDR0), 1u << 5);
	expect_no_lr("not enabled", 1);
	assert_false(vgic_has_pending(&g, 1));
	rwrite(1, GICR_ISENABLER0, 1u << 5);
	assert_int_equal(kicked(), 1u << 1);
	expect_one_lr("enabled", 1, lr_val(5, 0, ICH_LR_GROUP | ICH_LR_PENDING), NULL);
}

/* An interrupt counts as taken (the statistics' "irqs.injected") once the
 * guest acknowledges the list register a fill made pending: not while it
 * stays pending, and once only. */
static void test_taken_counted_once(void **state)
{
	uint64_t lr;

	setup_private(1, 6, 0);
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	vgic_send_sgi(&g, 0, sgi1r(6, 0, 0, 0, 0, 1u << 1));
	expect_one_lr("sent", 1, lr_val(6, 0, ICH_LR_GROUP | ICH_LR_PENDING), &lr);
	sync1(1, lr); /* not taken yet */
	assert_int_equal(g.cpu[1].taken, 0);
	sync1(1, (lr & ~ICH_LR_PENDING) | ICH_LR_ACTIVE); /* acknowledged */
	assert_int_equal(g.cpu[1].taken, 1);
	sync1(1, lr & ~ICH_LR_PENDING); /* ended: nothing more taken */
	assert_int_equal(g.cpu[1].taken, 1);
	assert_int_equal(g.cpu[0].taken, 0);
}

/* Enabling a group in GICD_CTLR makes what is pending in it deliverable,
 * private interrupts included: their vCPUs may be waiting in WFI. */
static void test_group_enable_kicks(void **state)
{
	setup_private(2, 5, 0);
	setup_private(3, 27, 0);
	setup_spi(40, 0, 1);
	vgic_send_sgi(&g, 0, sgi1r(5, 0, 0, 0, 0, 1u << 2));
	vgic_trigger(&g, 3, 27);
	vgic_set_level(&g, 0, 40, true);
	assert_int_equal(kicked(), 0);
	assert_false(vgic_has_pending(&g, 2));
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	assert_int_equal(kicked(), 0xe);
	assert_true(vgic_has_pending(&g, 1));
	assert_true(vgic_has_pending(&g, 2));
	assert_true(vgic_has_pending(&g, 3));
	/* Disabling kicks nobody. */
	dwrite(GICD_CTLR, 0);
	assert_int_equal(kicked(), 0);
}

/* ---- kicks from register writes --------------------------------------------- */

static void test_register_kicks(void **state)
{
	dwrite(GICD_CTLR, GICD_CTLR_ENABLE_G1);
	dwrite(GICD_IGROUPR(1), 1u << 28);
	dist_write(GICD_IROUTER(60), 8, route_to(3));
	vgic_set_level(&g, 0, 60, true);
	expect_no_kick("pending but disabled");

	/* Enabling a pending SPI kicks its target. */
	dwrite(GICD_ISENABLER(1), 1u << 28);
	expect_kicks("enabled", 1, 3);
	/* Re-routing it kicks its new target, which then has it. */
	dist_write(GICD_IROUTER(60), 8, route_to(2));
	expect_kicks("re-routed", 1, 2);
	expect_no_lr("old target", 3);
	expect_one_lr("new target", 2, lr_val(60, 0, ICH_LR_GROUP | ICH_LR_PENDING | ICH_LR_EOI),
		      NULL);
	/* Through the low word of IROUTER too. */
	dwrite(GICD_IROUTER(60), (uint32_t)route_to(0));
	expect_kicks("re-routed by word", 1, 0);
	assert_true(vgic_has_pending(&g, 0));
	assert_false(vgic_has_pending(&g, 2));
	/* Routed to no vCPU: nobody has it. */
	dist_write(GICD_IROUTER(60), 8, 0x100);
	expect_no_kick("routed nowhere");
	assert_false(vgic_has_pending(&g, 0));

	/* Disabling, clearing kick nobody. */
	dist_write(GICD_IROUTER(60), 8, route_to(1));
	expect_kicks("routed to vCPU 1", 1, 1);
	dwrite(GICD_ICENABLER(1), 1u << 28);
	vgic_set_level(&g, 0, 60, false);
	expect_no_kick("disabled, line low");

	/* Setting an enabled SPI pending kicks its target. */
	dwrite(GICD_ISENABLER(1), 1u << 28);
	expect_no_kick("enabled, not pending");
	dwrite(GICD_ISPENDR(1), 1u << 28);
	expect_kicks("ISPENDR", 1, 1);
	dwrite(GICD_ICPENDR(1), 1u << 28);
	expect_no_kick("ICPENDR");

	/* The same in a redistributor, for its own vCPU. */
	rwrite(2, GICR_IGROUPR0, 1u << 9);
	rwrite(2, GICR_ISPENDR0, 1u << 9);
	expect_no_kick("SGI 9 pending, disabled");
	rwrite(2, GICR_ISENABLER0, 1u << 9);
	expect_kicks("SGI 9 enabled", 1, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_v2_identification),
		T(test_dist_reset),
		T(test_redist_reset),
		T(test_redist_waker),
		T(test_redist_frames),
		T(test_redist_affinity),
		T(test_dist_set_clear),
		T(test_dist_pending_level),
		T(test_dist_raz_wi),
		T(test_priority_regs),
		T(test_config_regs),
		T(test_redist_set_clear),
		T(test_access_sizes),
		T(test_spi_routing),
		T(test_level_lifecycle),
		T(test_level_ispendr),
		T(test_edge_lifecycle),
		T(test_hw_ppi),
		T(test_hw_spi),
		T(test_priority_order),
		T(test_has_pending),
		T(test_sgi_targets),
		T(test_sgi_affinity),
		T(test_sgi_deliverable),
		T(test_taken_counted_once),
		T(test_group_enable_kicks),
		T(test_register_kicks),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
