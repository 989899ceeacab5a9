/*
 * Unit tests for the GICv2 CPU interface emulated in software
 * (hv/vdev/vgic_cpuif.c), run natively.
 *
 * The guest's side is played through vgic_cpuif_read() and
 * vgic_cpuif_write() at the offsets of the GICC registers (GIC IHI 0048B,
 * 4.1.3 table 4-2, and 4.4 for each register), and the interrupt lines
 * through vgic_cpuif_signals(). The list registers are built from the Arm
 * ARM's description of ICH_LR<n>_EL2, not from vgic.h's macros, as the
 * model (vgic.c) would fill them: highest priority first. The interface
 * state (struct vgic_cpu_if) starts zeroed, as a vCPU's does, and is set
 * up only through register writes; the tests never look inside it.
 *
 * Five priority bits are implemented (vgic_cpuif.h), so priorities are
 * multiples of 8, the smallest binary point is 2 (group priority [7:3])
 * and GICC_ABPR's is 3 (IHI 0048B 3.3.3, table 3-2 and its footnotes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vdev/vgic_cpuif.h"

/* ---- GICC register offsets (IHI 0048B 4.1.3, table 4-2) ------------------ */

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_RPR 0x0014
#define GICC_HPPIR 0x0018
#define GICC_ABPR 0x001c
#define GICC_AIAR 0x0020
#define GICC_AEOIR 0x0024
#define GICC_AHPPIR 0x0028
#define GICC_APR0 0x00d0
#define GICC_APR1 0x00d4
#define GICC_NSAPR0 0x00e0
#define GICC_IIDR 0x00fc
#define GICC_DIR 0x1000

/* GICC_CTLR as the virtual interface has it (IHI 0048B 5.6.1, GICV_CTLR). */
#define CTLR_ENABLE_G0 (1u << 0)
#define CTLR_ENABLE_G1 (1u << 1)
#define CTLR_ACK_CTL (1u << 2)
#define CTLR_FIQ_EN (1u << 3)
#define CTLR_CBPR (1u << 4)
#define CTLR_EOI_MODE (1u << 9)

/* Special INTIDs (IHI 0048B 3.2.5). */
#define INTID_NEEDS_ACKCTL 1022
#define SPURIOUS 1023

#define IDLE 0xff /* GICC_RPR with nothing active (4.4.6) */

/* ---- ICH_LR<n>_EL2 (Arm ARM D19) ----------------------------------------- */

#define ICH_LR_EOI (1UL << 41)
#define ICH_LR_GROUP (1UL << 60)
#define ICH_LR_HW (1UL << 61)
#define ICH_LR_PENDING (1UL << 62)
#define ICH_LR_ACTIVE (1UL << 63)

static uint64_t lr_val(unsigned intid, unsigned prio, uint64_t bits)
{
	return intid | (uint64_t)prio << 48 | bits;
}

/* A pending interrupt of group 0, or of group 1. */
static uint64_t g0(unsigned intid, unsigned prio)
{
	return lr_val(intid, prio, ICH_LR_PENDING);
}

static uint64_t g1(unsigned intid, unsigned prio)
{
	return lr_val(intid, prio, ICH_LR_PENDING | ICH_LR_GROUP);
}

/* A hardware-linked one (its physical INTID in bits [44:32]). */
static uint64_t hw(unsigned intid, unsigned prio)
{
	return lr_val(intid, prio, ICH_LR_PENDING | ICH_LR_HW | (uint64_t)intid << 32);
}

/* ---- the interface under test --------------------------------------------- */

static struct vgic_cpu c;
static struct vgic_cpu_if s;

static int setup(void **state)
{
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	return 0;
}

/* Loads the list registers, as vgic_sw.c does before an access. */
static void set_lrs(unsigned n, ...)
{
	va_list ap;
	unsigned i;

	assert_true(n <= VGIC_MAX_LRS);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		c.lr[i] = va_arg(ap, uint64_t);
	}
	va_end(ap);
	c.used_lrs = n;
}

static bool is_pending(unsigned i)
{
	return c.lr[i] & ICH_LR_PENDING;
}

static bool is_active(unsigned i)
{
	return c.lr[i] & ICH_LR_ACTIVE;
}

/* A 32-bit read, which must be accepted and give 32 bits. Only the two
 * acknowledge registers may change anything. */
static uint32_t rd(uint64_t off)
{
	static struct vgic_cpu c_before;
	struct vgic_cpu_if s_before = s;
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL;

	c_before = c;
	if (!vgic_cpuif_read(&c, &s, off, 4, &v)) {
		fail_msg("GICC %#lx: read refused", off);
	}
	if (v >> 32) {
		fail_msg("GICC %#lx: read gave %#lx", off, v);
	}
	if (off != GICC_IAR && off != GICC_AIAR) {
		assert_memory_equal(&c, &c_before, sizeof(c));
		assert_memory_equal(&s, &s_before, sizeof(s));
	}
	assert_int_equal(c.used_lrs, c_before.used_lrs);
	return (uint32_t)v;
}

/* A 32-bit write, which must be accepted; returns *hw_end. */
static bool wr(uint64_t off, uint32_t val)
{
	bool hw_end = true; /* the write must clear it */

	if (!vgic_cpuif_write(&c, &s, off, 4, val, &hw_end)) {
		fail_msg("GICC %#lx: write of %#x refused", off, val);
	}
	return hw_end;
}

static unsigned signals(void)
{
	return vgic_cpuif_signals(&c, &s);
}

/* The usual guest setup: group 0 enabled, nothing masked. */
static void enable_g0(void)
{
	wr(GICC_CTLR, CTLR_ENABLE_G0);
	wr(GICC_PMR, 0xff);
}

/* ---- idle ------------------------------------------------------------------ */

static void test_nothing_pending(void **state)
{
	enable_g0();
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_int_equal(rd(GICC_HPPIR), SPURIOUS);
	assert_int_equal(rd(GICC_AIAR), SPURIOUS);
	assert_int_equal(rd(GICC_AHPPIR), SPURIOUS);
	assert_int_equal(rd(GICC_RPR), IDLE);
	assert_int_equal(rd(GICC_APR0), 0);

	/* List registers that hold nothing pending: invalid, or active. */
	set_lrs(2, lr_val(40, 0x80, 0), lr_val(41, 0x80, ICH_LR_ACTIVE));
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_HPPIR), SPURIOUS);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_int_equal(c.lr[0], lr_val(40, 0x80, 0));
	assert_int_equal(c.lr[1], lr_val(41, 0x80, ICH_LR_ACTIVE));
}

/* A zeroed interface (reset, IHI 0048B 4.4.1 and 4.4.2): both groups off
 * and PMR 0, which masks everything. */
static void test_reset_state_signals_nothing(void **state)
{
	set_lrs(1, g0(40, 0x00));
	assert_int_equal(rd(GICC_CTLR), 0);
	assert_int_equal(rd(GICC_PMR), 0);
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_true(is_pending(0));
}

/* ---- acknowledge and end --------------------------------------------------- */

static void test_ack_and_eoi_group0(void **state)
{
	enable_g0();
	wr(GICC_PMR, 0xf0);
	set_lrs(1, g0(40, 0xa0));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_HPPIR), 40);

	assert_int_equal(rd(GICC_IAR), 40);
	assert_true(is_active(0));
	assert_false(is_pending(0));
	assert_int_equal(c.lr[0], lr_val(40, 0xa0, ICH_LR_ACTIVE)); /* nothing else changed */
	assert_int_equal(rd(GICC_RPR), 0xa0);
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_HPPIR), SPURIOUS);
	assert_int_equal(rd(GICC_IAR), SPURIOUS); /* nothing more to take */

	assert_false(wr(GICC_EOIR, 40));
	assert_int_equal(rd(GICC_RPR), IDLE);
	assert_false(is_active(0));
	assert_false(is_pending(0));
	assert_int_equal(c.lr[0], lr_val(40, 0xa0, 0));
	assert_int_equal(signals(), 0);
}

/* A list register both pending and active (an edge that came again while
 * the guest handled the first): the pending half cannot be taken until the
 * active one is ended (IHI 0048B 3.2.4, "active and pending"). */
static void test_active_and_pending_waits_for_end(void **state)
{
	enable_g0();
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(rd(GICC_IAR), 40);
	c.lr[0] |= ICH_LR_PENDING; /* the model's refill: pending again */
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);

	wr(GICC_EOIR, 40);
	assert_false(is_active(0));
	assert_true(is_pending(0));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_IAR), 40);
}

/* ---- priority mask ---------------------------------------------------------- */

/* IHI 0048B 3.3.2 and 4.4.2: only an interrupt of higher priority (a lower
 * value) than GICC_PMR is signalled. */
static void test_priority_mask(void **state)
{
	enable_g0();
	set_lrs(1, g0(40, 0x80));

	wr(GICC_PMR, 0x80); /* equal: masked */
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_true(is_pending(0));
	assert_false(is_active(0));

	wr(GICC_PMR, 0x40); /* above: masked */
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_true(is_pending(0));

	wr(GICC_PMR, 0x88); /* one step below: signalled */
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_IAR), 40);
}

/* With five priority bits, PMR's bits [2:0] are RAZ/WI (4.4.2): what is
 * written reads back with them clear. */
static void test_pmr_reads_five_bits(void **state)
{
	static const uint32_t writes[] = { 0x00, 0x07, 0x08, 0x87, 0x8f, 0xf0, 0xff };
	unsigned i;

	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		wr(GICC_PMR, writes[i]);
		assert_int_equal(rd(GICC_PMR), writes[i] & 0xf8);
	}
	wr(GICC_PMR, 0xffffff00); /* bits [31:8] are reserved */
	assert_int_equal(rd(GICC_PMR), 0);
}

/* The lowest priority a five-bit interface has, 0xf8, is masked even by a
 * PMR of 0xff (which reads as 0xf8): nothing is strictly below it. */
static void test_lowest_priority_never_signalled(void **state)
{
	enable_g0();
	set_lrs(1, g0(40, 0xf8));
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	set_lrs(1, g0(40, 0xf0));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
}

/* ---- group enables ------------------------------------------------------------ */

static void test_group_disabled(void **state)
{
	wr(GICC_PMR, 0xff);
	set_lrs(1, g0(40, 0x80));

	wr(GICC_CTLR, 0);
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_int_equal(rd(GICC_HPPIR), SPURIOUS);

	wr(GICC_CTLR, CTLR_ENABLE_G1 | CTLR_ACK_CTL); /* only the other group */
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_true(is_pending(0));

	set_lrs(1, g1(41, 0x80));
	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_ACK_CTL);
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_int_equal(rd(GICC_AIAR), SPURIOUS);
	assert_true(is_pending(0));
}

/* An interrupt of a disabled group does not hide one of an enabled group
 * behind it. */
static void test_disabled_group_skipped(void **state)
{
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G0);
	set_lrs(2, g1(41, 0x10), g0(40, 0x80));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_IAR), 40);
	assert_true(is_pending(0));
}

/* ---- preemption ----------------------------------------------------------------- */

/* IHI 0048B 3.3.2: a pending interrupt preempts the active one only with a
 * higher group priority than the running priority. */
static void test_preemption(void **state)
{
	enable_g0();
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x80);

	c.lr[1] = g0(41, 0xa0);
	c.used_lrs = 2;
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_true(is_pending(1));

	c.lr[1] = g0(41, 0x80); /* equal: no preemption either */
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);

	c.lr[1] = g0(41, 0x40);
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_IAR), 41);
	assert_int_equal(rd(GICC_RPR), 0x40);

	/* Ending the nested one returns to the first one's priority. */
	wr(GICC_EOIR, 41);
	assert_false(is_active(1));
	assert_true(is_active(0));
	assert_int_equal(rd(GICC_RPR), 0x80);
	wr(GICC_EOIR, 40);
	assert_false(is_active(0));
	assert_int_equal(rd(GICC_RPR), IDLE);
}

/* IHI 0048B 3.3.3, table 3-2: group 0's group priority is bits
 * [7:BPR+1]. With BPR 4 it is [7:5], so 0x80 and 0x90 share one and 0x80
 * does not preempt 0x90; with BPR 3 ([7:4]) it does. */
static void test_binary_point(void **state)
{
	enable_g0();
	wr(GICC_BPR, 4);
	assert_int_equal(rd(GICC_BPR), 4);
	set_lrs(1, g0(40, 0x90));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x80); /* the group priority (4.4.6) */

	c.lr[1] = g0(41, 0x80);
	c.used_lrs = 2;
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	c.lr[1] = g0(41, 0x60); /* another group priority */
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);

	/* The same with BPR 3, from the start. */
	setup(state);
	enable_g0();
	wr(GICC_BPR, 3);
	set_lrs(1, g0(40, 0x90));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x90);
	c.lr[1] = g0(41, 0x80);
	c.used_lrs = 2;
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_IAR), 41);
}

/* 4.4.3: a binary point below the minimum (2, with five priority bits)
 * reads as the minimum; GICC_ABPR's minimum is one more (4.4.8). */
static void test_binary_point_minimum(void **state)
{
	wr(GICC_BPR, 0);
	assert_int_equal(rd(GICC_BPR), 2);
	wr(GICC_BPR, 7);
	assert_int_equal(rd(GICC_BPR), 7);
	wr(GICC_BPR, 1);
	assert_int_equal(rd(GICC_BPR), 2);
	wr(GICC_ABPR, 0);
	assert_int_equal(rd(GICC_ABPR), 3);
	wr(GICC_ABPR, 7);
	assert_int_equal(rd(GICC_ABPR), 7);
	wr(GICC_ABPR, 5);
	assert_int_equal(rd(GICC_ABPR), 5);
	assert_int_equal(rd(GICC_BPR), 2); /* separate fields */
}

/* Group 1 preempts by GICC_ABPR ([7:ABPR]) while CBPR is clear, and by
 * GICC_BPR ([7:BPR+1]) when it is set (4.4.1, CBPR; 3.3.3). */
static void test_group1_binary_point(void **state)
{
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G1 | CTLR_ACK_CTL);
	wr(GICC_BPR, 2);
	wr(GICC_ABPR, 5); /* [7:5] */
	set_lrs(1, g1(40, 0x90));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x80);
	c.lr[1] = g1(41, 0x80);
	c.used_lrs = 2;
	assert_int_equal(signals(), 0);

	setup(state);
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G1 | CTLR_ACK_CTL);
	wr(GICC_BPR, 2);
	wr(GICC_ABPR, 4); /* [7:4] */
	set_lrs(1, g1(40, 0x90));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x90);
	c.lr[1] = g1(41, 0x80);
	c.used_lrs = 2;
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);

	/* CBPR: GICC_BPR's 4 ([7:5]) now rules group 1, ABPR's 4 no more. */
	setup(state);
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G1 | CTLR_ACK_CTL | CTLR_CBPR);
	wr(GICC_BPR, 4);
	wr(GICC_ABPR, 4);
	set_lrs(1, g1(40, 0x90));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x80);
	c.lr[1] = g1(41, 0x80);
	c.used_lrs = 2;
	assert_int_equal(signals(), 0);
}

/* IHI 0048B 3.3.2 (and 3.2.2, "the CPU interface signals the highest
 * priority pending interrupt if it has sufficient priority"): what is
 * checked against the running priority is the highest priority pending
 * interrupt, not the best of those that would pass. With CBPR clear the
 * two groups' binary points differ, so a lower-priority group 1 interrupt
 * can have a higher group priority than a group 0 one: here group 0's
 * 0x48 is the highest pending, cannot preempt the active 0x40, and so
 * nothing is signalled, although group 1's 0x50 has group priority 0x00
 * through GICC_ABPR 7 ([7:7]). */
static void test_preemption_checks_highest_pending_only(void **state)
{
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_ENABLE_G1 | CTLR_ACK_CTL);
	wr(GICC_BPR, 2);
	wr(GICC_ABPR, 7);
	set_lrs(1, g0(40, 0x40));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x40);

	c.lr[1] = g0(41, 0x48);
	c.lr[2] = g1(42, 0x50);
	c.used_lrs = 3;
	assert_int_equal(rd(GICC_HPPIR), 41);
	assert_int_equal(signals(), 0);
	assert_int_equal(rd(GICC_IAR), SPURIOUS);
	assert_int_equal(rd(GICC_AIAR), SPURIOUS);
	assert_true(is_pending(1) && is_pending(2));
}

/* ---- choosing among list registers -------------------------------------------------- */

static void test_highest_priority_wins(void **state)
{
	enable_g0();
	set_lrs(4, g0(40, 0xa0), g0(41, 0x60), g0(42, 0x40), g0(43, 0x50));
	assert_int_equal(rd(GICC_HPPIR), 42);
	assert_int_equal(rd(GICC_IAR), 42);
	assert_true(is_active(2));
	assert_true(is_pending(0) && is_pending(1) && is_pending(3));
	wr(GICC_EOIR, 42);
	assert_int_equal(rd(GICC_IAR), 43);
	wr(GICC_EOIR, 43);
	assert_int_equal(rd(GICC_IAR), 41);
	wr(GICC_EOIR, 41);
	assert_int_equal(rd(GICC_IAR), 40);
}

/* Equal priorities: the first list register (vgic.c fills them in order,
 * lowest INTID first among equals). */
static void test_equal_priorities_first_lr(void **state)
{
	enable_g0();
	set_lrs(3, g0(45, 0x40), g0(41, 0x40), g0(43, 0x40));
	assert_int_equal(rd(GICC_HPPIR), 45);
	assert_int_equal(rd(GICC_IAR), 45);
	assert_true(is_active(0));
	assert_true(is_pending(1) && is_pending(2));
	wr(GICC_EOIR, 45);
	assert_int_equal(rd(GICC_IAR), 41);
}

/* Priorities compare on the five implemented bits only: 0x47 is 0x40, and
 * equal to an earlier list register's 0x40. */
static void test_unimplemented_priority_bits_ignored(void **state)
{
	enable_g0();
	set_lrs(2, g0(40, 0x47), g0(41, 0x40));
	assert_int_equal(rd(GICC_IAR), 40);
	assert_int_equal(rd(GICC_RPR), 0x40);
}

/* ---- EOImode ---------------------------------------------------------------------------- */

/* 4.4.1 EOImode, 4.4.5 and 4.4.15: with EOImode 1, GICC_EOIR only drops the
 * running priority; GICC_DIR deactivates. */
static void test_eoimode1_split(void **state)
{
	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_EOI_MODE);
	wr(GICC_PMR, 0xff);
	assert_int_equal(rd(GICC_CTLR), CTLR_ENABLE_G0 | CTLR_EOI_MODE);
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(rd(GICC_IAR), 40);

	wr(GICC_EOIR, 40);
	assert_int_equal(rd(GICC_RPR), IDLE);
	assert_true(is_active(0));

	wr(GICC_DIR, 41); /* another INTID: nothing */
	assert_true(is_active(0));

	wr(GICC_DIR, 40);
	assert_false(is_active(0));
	assert_false(is_pending(0));
	assert_int_equal(c.lr[0], lr_val(40, 0x80, 0));
}

/* With EOImode 0, GICC_DIR's effect is UNPREDICTABLE (4.4.15); this
 * interface ignores it, and GICC_EOIR still deactivates. */
static void test_dir_ignored_under_eoimode0(void **state)
{
	enable_g0();
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(rd(GICC_IAR), 40);

	assert_false(wr(GICC_DIR, 40));
	assert_true(is_active(0));
	assert_int_equal(rd(GICC_RPR), 0x80);

	wr(GICC_EOIR, 40);
	assert_false(is_active(0));
	assert_int_equal(rd(GICC_RPR), IDLE);
}

/* ---- hardware-linked interrupts ---------------------------------------------------------- */

/* IHI 0048B 5.4.1 (GICH_LRn.HW): deactivating a hardware-linked virtual
 * interrupt deactivates its physical twin, which the caller must do. */
static void test_hw_end(void **state)
{
	enable_g0();
	set_lrs(2, hw(27, 0x40), g0(40, 0x80));
	assert_int_equal(rd(GICC_IAR), 27);
	assert_true(wr(GICC_EOIR, 27));
	assert_false(is_active(0));

	assert_int_equal(rd(GICC_IAR), 40);
	assert_false(wr(GICC_EOIR, 40));
	assert_false(is_active(1));

	/* A write that ends nothing reports nothing. */
	assert_false(wr(GICC_EOIR, 27));
	assert_false(wr(GICC_PMR, 0xff));
}

/* Under EOImode 1 the physical twin ends with GICC_DIR, not GICC_EOIR. */
static void test_hw_end_eoimode1(void **state)
{
	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_EOI_MODE);
	wr(GICC_PMR, 0xff);
	set_lrs(1, hw(27, 0x40));
	assert_int_equal(rd(GICC_IAR), 27);
	assert_false(wr(GICC_EOIR, 27));
	assert_true(is_active(0));
	assert_true(wr(GICC_DIR, 27));
	assert_false(is_active(0));
	assert_false(wr(GICC_DIR, 27)); /* already inactive */
}

/* ---- group 1 ------------------------------------------------------------------------------ */

/* 4.4.4 and 3.2.5 (special INTID 1022): with AckCtl clear, a read of
 * GICC_IAR whose best interrupt is group 1 returns 1022 and acknowledges
 * nothing; with it set, it acknowledges. */
static void test_group1_ackctl(void **state)
{
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G1);
	set_lrs(1, g1(40, 0x80));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
	assert_int_equal(rd(GICC_HPPIR), INTID_NEEDS_ACKCTL);
	assert_int_equal(rd(GICC_IAR), INTID_NEEDS_ACKCTL);
	assert_true(is_pending(0));
	assert_false(is_active(0));
	assert_int_equal(rd(GICC_RPR), IDLE);
	assert_int_equal(rd(GICC_APR0), 0);

	wr(GICC_CTLR, CTLR_ENABLE_G1 | CTLR_ACK_CTL);
	assert_int_equal(rd(GICC_HPPIR), 40);
	assert_int_equal(rd(GICC_IAR), 40);
	assert_true(is_active(0));
	assert_false(is_pending(0));
	assert_int_equal(rd(GICC_RPR), 0x80);
}

/* 4.4.9 and 4.4.11: GICC_AIAR and GICC_AHPPIR see group 1, and return 1023
 * when the best pending interrupt is group 0. */
static void test_aiar(void **state)
{
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_ENABLE_G1);
	set_lrs(1, g1(40, 0x80));
	assert_int_equal(rd(GICC_AHPPIR), 40);
	assert_int_equal(rd(GICC_AIAR), 40); /* no AckCtl needed */
	assert_true(is_active(0));
	assert_int_equal(rd(GICC_RPR), 0x80);
	assert_false(wr(GICC_AEOIR, 40));
	assert_false(is_active(0));
	assert_int_equal(rd(GICC_RPR), IDLE);

	set_lrs(2, g0(41, 0x40), g1(42, 0x80));
	assert_int_equal(rd(GICC_AHPPIR), SPURIOUS);
	assert_int_equal(rd(GICC_AIAR), SPURIOUS);
	assert_true(is_pending(0) && is_pending(1));
	assert_false(is_active(0) || is_active(1));
	assert_int_equal(rd(GICC_RPR), IDLE);

	/* GICC_IAR takes the group 0 one. */
	assert_int_equal(rd(GICC_HPPIR), 41);
	assert_int_equal(rd(GICC_IAR), 41);
	assert_true(is_active(0));
}

/* 4.4.1 FIQEn: group 0 is signalled as FIQ when it is set, as IRQ when not;
 * group 1 is always IRQ. */
static void test_fiq(void **state)
{
	wr(GICC_PMR, 0xff);
	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_ENABLE_G1 | CTLR_FIQ_EN);
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(signals(), VGIC_CPUIF_FIQ);
	set_lrs(1, g1(40, 0x80));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);

	wr(GICC_CTLR, CTLR_ENABLE_G0 | CTLR_ENABLE_G1);
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);
}

/* ---- special INTIDs ------------------------------------------------------------------------- */

/* 4.4.5: a write of a special INTID (1020-1023) to GICC_EOIR has no effect. */
static void test_eoir_special_intid(void **state)
{
	unsigned id;

	enable_g0();
	set_lrs(1, g0(40, 0x80));
	assert_int_equal(rd(GICC_IAR), 40);
	for (id = 1020; id <= 1023; id++) {
		assert_false(wr(GICC_EOIR, id));
		assert_false(wr(GICC_AEOIR, id));
		assert_int_equal(rd(GICC_RPR), 0x80);
		assert_true(is_active(0));
	}
	wr(GICC_EOIR, 40);
	assert_int_equal(rd(GICC_RPR), IDLE);
}

/* ---- accesses ------------------------------------------------------------------------------------ */

/* The GICC registers are word-accessible only (4.1.4; vgic_cpuif.h). */
static void test_refused_accesses(void **state)
{
	static const unsigned sizes[] = { 1, 2, 8 };
	static const uint64_t misaligned[] = { 0x1, 0x2, 0x3, 0xe, 0xfd, 0x1002 };
	struct vgic_cpu_if s_before;
	uint64_t v;
	bool hw_end;
	unsigned i;

	enable_g0();
	set_lrs(1, g0(40, 0x80));
	s_before = s;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_false(vgic_cpuif_read(&c, &s, GICC_IAR, sizes[i], &v));
		assert_false(vgic_cpuif_read(&c, &s, GICC_CTLR, sizes[i], &v));
		assert_false(vgic_cpuif_write(&c, &s, GICC_PMR, sizes[i], 0, &hw_end));
		assert_false(vgic_cpuif_write(&c, &s, GICC_CTLR, sizes[i], 0, &hw_end));
	}
	for (i = 0; i < sizeof(misaligned) / sizeof(misaligned[0]); i++) {
		assert_false(vgic_cpuif_read(&c, &s, misaligned[i], 4, &v));
		assert_false(vgic_cpuif_write(&c, &s, misaligned[i], 4, 0, &hw_end));
	}
	/* Nothing was acknowledged, nothing written. */
	assert_true(is_pending(0));
	assert_false(is_active(0));
	assert_memory_equal(&s, &s_before, sizeof(s));
	assert_int_equal(rd(GICC_IAR), 40);
}

/* Reserved and unimplemented offsets read as zero and ignore writes; so do
 * the write-only registers on reads and the read-only ones on writes. */
static void test_reserved_offsets(void **state)
{
	static const uint64_t reserved[] = { 0x002c, 0x003c, 0x0040, 0x00cc, GICC_APR1,
					     0x00dc, GICC_NSAPR0, 0x00ec, 0x00f0, 0x00f8,
					     0x0100, 0x0ffc, 0x1004, 0x1ffc };
	static const uint64_t read_only[] = { GICC_IAR, GICC_RPR, GICC_HPPIR, GICC_AIAR,
					      GICC_AHPPIR, GICC_IIDR };
	static struct vgic_cpu c_before;
	struct vgic_cpu_if s_before;
	unsigned i;

	enable_g0();
	set_lrs(2, g0(40, 0x80), g0(41, 0x40));
	assert_int_equal(rd(GICC_IAR), 41);
	c_before = c;
	s_before = s;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		assert_int_equal(rd(reserved[i]), 0);
		assert_false(wr(reserved[i], 0xffffffff));
		assert_false(wr(reserved[i], 41));
	}
	for (i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
		assert_false(wr(read_only[i], 41));
	}
	assert_int_equal(rd(GICC_EOIR), 0);
	assert_int_equal(rd(GICC_AEOIR), 0);
	assert_int_equal(rd(GICC_DIR), 0);
	assert_memory_equal(&c, &c_before, sizeof(c));
	assert_memory_equal(&s, &s_before, sizeof(s));
}

/* 4.4.14: GICC_IIDR names the implementer and, in bits [19:16], the
 * architecture version, 2. */
static void test_iidr(void **state)
{
	uint32_t iidr = rd(GICC_IIDR);

	assert_int_not_equal(iidr, 0);
	assert_int_equal((iidr >> 16) & 0xf, 2);
	assert_int_equal(rd(GICC_IIDR), iidr);
}

/* GICC_CTLR keeps the bits the virtual interface has (GICV_CTLR, 5.6.1:
 * EnableGrp0, EnableGrp1, AckCtl, FIQEn, CBPR, EOImode) and no others. */
static void test_ctlr_bits(void **state)
{
	uint32_t all = CTLR_ENABLE_G0 | CTLR_ENABLE_G1 | CTLR_ACK_CTL | CTLR_FIQ_EN |
		       CTLR_CBPR | CTLR_EOI_MODE;

	wr(GICC_CTLR, 0xffffffff);
	assert_int_equal(rd(GICC_CTLR), all);
	wr(GICC_CTLR, 0);
	assert_int_equal(rd(GICC_CTLR), 0);
	/* Writing it leaves the priority mask and binary points alone. */
	wr(GICC_PMR, 0x90);
	wr(GICC_BPR, 5);
	wr(GICC_ABPR, 6);
	wr(GICC_CTLR, all);
	assert_int_equal(rd(GICC_PMR), 0x90);
	assert_int_equal(rd(GICC_BPR), 5);
	assert_int_equal(rd(GICC_ABPR), 6);
	wr(GICC_PMR, 0x10);
	assert_int_equal(rd(GICC_CTLR), all);
}

/* ---- active priorities -------------------------------------------------------------------------- */

/* 4.4.12 and vgic_cpuif.h: GICC_APR0 holds one bit per active group
 * priority, bit n for priority n << 3. */
static void test_apr0_after_ack(void **state)
{
	enable_g0();
	set_lrs(2, g0(40, 0x80), g0(41, 0x40));
	assert_int_equal(rd(GICC_IAR), 41);
	assert_int_equal(rd(GICC_APR0), 1u << (0x40 >> 3));
	c.lr[1] = g0(42, 0x08); /* a refill: 41 gone, 42 pending */
	assert_int_equal(rd(GICC_IAR), 42);
	assert_int_equal(rd(GICC_APR0), 1u << (0x40 >> 3) | 1u << 1);
	wr(GICC_EOIR, 42);
	assert_int_equal(rd(GICC_APR0), 1u << (0x40 >> 3));
	wr(GICC_EOIR, 41);
	assert_int_equal(rd(GICC_APR0), 0);
}

/* A write to GICC_APR0 (a restore) is kept and sets the running priority. */
static void test_apr0_write_kept(void **state)
{
	enable_g0();
	wr(GICC_APR0, 0x00010100);
	assert_int_equal(rd(GICC_APR0), 0x00010100);
	assert_int_equal(rd(GICC_RPR), 0x40);

	set_lrs(1, g0(40, 0x40));
	assert_int_equal(signals(), 0);
	c.lr[0] = g0(40, 0x38);
	assert_int_equal(signals(), VGIC_CPUIF_IRQ);

	wr(GICC_APR0, 0);
	assert_int_equal(rd(GICC_APR0), 0);
	assert_int_equal(rd(GICC_RPR), IDLE);
	wr(GICC_APR0, 0x80000000);
	assert_int_equal(rd(GICC_RPR), 0xf8);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_nothing_pending),
		T(test_reset_state_signals_nothing),
		T(test_ack_and_eoi_group0),
		T(test_active_and_pending_waits_for_end),
		T(test_priority_mask),
		T(test_pmr_reads_five_bits),
		T(test_lowest_priority_never_signalled),
		T(test_group_disabled),
		T(test_disabled_group_skipped),
		T(test_preemption),
		T(test_binary_point),
		T(test_binary_point_minimum),
		T(test_group1_binary_point),
		T(test_preemption_checks_highest_pending_only),
		T(test_highest_priority_wins),
		T(test_equal_priorities_first_lr),
		T(test_unimplemented_priority_bits_ignored),
		T(test_eoimode1_split),
		T(test_dir_ignored_under_eoimode0),
		T(test_hw_end),
		T(test_hw_end_eoimode1),
		T(test_group1_ackctl),
		T(test_aiar),
		T(test_fiq),
		T(test_eoir_special_intid),
		T(test_refused_accesses),
		T(test_reserved_offsets),
		T(test_iidr),
		T(test_ctlr_bits),
		T(test_apr0_after_ack),
		T(test_apr0_write_kept),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
