/*
 * Unit tests for what a GICv2 VM's distributor adds to the GICv3 model
 * (hv/vdev/vgic.c, hv/vdev/vgic_mmio.c with g.v2 set), and for the virtual
 * timer's interrupt as a level, run natively.
 *
 * The guest's side is played through the distributor's registers at the
 * offsets of GIC IHI 0048B, 4.1.2 table 4-1, and through the software CPU
 * interface (hv/vdev/vgic_cpuif.c) over the list registers the model
 * fills, as vgic_sw.c does on a Raspberry Pi: GICC_IAR must name an SGI's
 * sender in its CPUID field (4.4.4). List register values are built from
 * the Arm ARM's ICH_LR<n>_EL2, not from vgic.h's macros; only the SGI
 * source field, which no ICH_LR has, is vgic.h's own.
 *
 * The rules checked: GICD_SGIR's three target filters and its reserved
 * one; one pending state per sender for SGIs, read and written through
 * GICD_SPENDSGIR and GICD_CPENDSGIR (4.3.20-21), with the SGI bits of
 * GICD_ISPENDR and GICD_ICPENDR write-ignored; GICD_ITARGETSR as a CPU
 * mask, by words and bytes, masked to the CPUs there are, RAZ/WI with one
 * CPU (4.3.12), delivered to one target; GICD_ICFGR by bytes; five
 * priority bits; and a hardware-linked level's line (the timer's) raised
 * and lowered (vgic_raise_hw_line(), vgic_lower_hw_line()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vdev/vgic_cpuif.h"

#define NR_VCPUS 4
#define MPIDR(i) (0x80000000UL | (i))

/* ---- registers (IHI 0048B 4.1.2, 4.1.3) ----------------------------------- */

#define GICD_CTLR 0x0000
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ICPENDR(n) (0x0280 + 4 * (n))
#define GICD_ISACTIVER(n) (0x0300 + 4 * (n))
#define GICD_IPRIORITYR(intid) (0x0400 + (intid))
#define GICD_ITARGETSR(intid) (0x0800 + (intid))
#define GICD_ICFGR(n) (0x0c00 + 4 * (n))
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR(sgi) (0x0f10 + (sgi)) /* one byte per SGI */
#define GICD_SPENDSGIR(sgi) (0x0f20 + (sgi))

#define SGIR(filter, list, intid) ((uint32_t)(filter) << 24 | (uint32_t)(list) << 16 | (intid))

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_HPPIR 0x0018
#define SPURIOUS 1023
#define IAR(intid, cpu) ((intid) | (cpu) << 10)

/* ICH_LR<n>_EL2 (Arm ARM D19). */
#define ICH_LR_EOI (1UL << 41)
#define ICH_LR_HW (1UL << 61)
#define ICH_LR_PENDING (1UL << 62)
#define ICH_LR_ACTIVE (1UL << 63)
#define ICH_LR_STATE (ICH_LR_PENDING | ICH_LR_ACTIVE)
#define INTID(lr) ((unsigned)((lr)&0xffffffffUL))

#define VTIMER 27

/* ---- the vGIC under test -------------------------------------------------- */

static struct vgic g;
static unsigned kicks[NR_VCPUS];

static void fake_kick(struct vgic *vg, unsigned idx)
{
	assert_true(spin_is_held(&vg->lock));
	assert_true(idx < vg->nr_vcpus);
	kicks[idx]++;
}

static void init_v2(unsigned n)
{
	uint64_t mpidrs[NR_VCPUS];
	unsigned i;

	for (i = 0; i < NR_VCPUS; i++) {
		mpidrs[i] = MPIDR(i);
	}
	vgic_init(&g, n, mpidrs);
	g.v2 = true;
	g.kick = fake_kick;
	memset(kicks, 0, sizeof(kicks));
}

static int setup(void **state)
{
	init_v2(NR_VCPUS);
	return 0;
}

static uint64_t dread_sz(unsigned idx, uint64_t off, unsigned size)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL;

	if (!vgic_dist_read(&g, idx, off, size, &v)) {
		fail_msg("vCPU %u: GICD %#lx: %u-byte read refused", idx, off, size);
	}
	return v;
}

static uint32_t dread(unsigned idx, uint64_t off)
{
	return (uint32_t)dread_sz(idx, off, 4);
}

static void dwrite_sz(unsigned idx, uint64_t off, unsigned size, uint64_t val)
{
	if (!vgic_dist_write(&g, idx, off, size, val)) {
		fail_msg("vCPU %u: GICD %#lx: %u-byte write refused", idx, off, size);
	}
}

static void dwrite(unsigned idx, uint64_t off, uint32_t val)
{
	dwrite_sz(idx, off, 4, val);
}

/* SGIs enabled everywhere, the distributor on. */
static void enable_sgis(void)
{
	unsigned i;

	dwrite(0, GICD_CTLR, 1);
	for (i = 0; i < g.nr_vcpus; i++) {
		dwrite(i, GICD_ISENABLER(0), 0xffff);
	}
	memset(kicks, 0, sizeof(kicks));
}

/* ---- a vCPU's software CPU interface, as vgic_sw.c drives it --------------- */

static struct vgic_cpu_if cpuif[NR_VCPUS];

static void cpuif_on(unsigned idx)
{
	bool hw_end;

	assert_true(vgic_cpuif_write(&g.cpu[idx], &cpuif[idx], GICC_CTLR, 4, 1, &hw_end));
	assert_true(vgic_cpuif_write(&g.cpu[idx], &cpuif[idx], GICC_PMR, 4, 0xff, &hw_end));
}

/* One trapped access: the list registers filled from the model, the
 * access, and their state back into the model. */
static uint32_t cpuif_access(unsigned idx, uint64_t off, bool write, uint32_t val)
{
	struct vgic_cpu *c = &g.cpu[idx];
	bool underflow, hw_end;
	uint64_t r = 0;
	unsigned n = vgic_fill_lrs(&g, idx, c->lr, VGIC_MAX_LRS, &underflow);

	c->used_lrs = n;
	if (write) {
		assert_true(vgic_cpuif_write(c, &cpuif[idx], off, 4, val, &hw_end));
	} else {
		assert_true(vgic_cpuif_read(c, &cpuif[idx], off, 4, &r));
	}
	vgic_sync_lrs(&g, idx, c->lr, n);
	c->used_lrs = 0;
	return (uint32_t)r;
}

static uint32_t ack(unsigned idx)
{
	return cpuif_access(idx, GICC_IAR, false, 0);
}

static void eoi(unsigned idx, uint32_t iar)
{
	cpuif_access(idx, GICC_EOIR, true, iar);
}

/* ---- GICD_SGIR -------------------------------------------------------------- */

/* Which vCPUs have SGI intid pending, from sender src. */
static unsigned pending_from(unsigned intid, unsigned src)
{
	unsigned i, mask = 0;

	for (i = 0; i < g.nr_vcpus; i++) {
		if (dread_sz(i, GICD_SPENDSGIR(intid), 1) & (1u << src)) {
			mask |= 1u << i;
		}
	}
	return mask;
}

static void test_sgir_filters(void **state)
{
	enable_sgis();
	dwrite(1, GICD_SGIR, SGIR(0, 0x0a, 3)); /* the list: vCPUs 1 and 3 */
	assert_int_equal(pending_from(3, 1), 0x0a);
	assert_int_equal(kicks[1] + kicks[3], 2);
	assert_int_equal(kicks[0] + kicks[2], 0);

	dwrite(2, GICD_SGIR, SGIR(1, 0xff, 4)); /* all but self */
	assert_int_equal(pending_from(4, 2), 0x0b);

	dwrite(3, GICD_SGIR, SGIR(2, 0x01, 5)); /* self only, whatever the list */
	assert_int_equal(pending_from(5, 3), 0x08);

	dwrite(0, GICD_SGIR, SGIR(3, 0xff, 6)); /* reserved: nothing */
	assert_int_equal(pending_from(6, 0), 0);
	assert_int_equal(dread(0, GICD_ISPENDR(0)) & (1u << 6), 0);

	/* List bits beyond the CPUs there are name no one. */
	dwrite(0, GICD_SGIR, SGIR(0, 0xf0, 7));
	assert_int_equal(pending_from(7, 0), 0);
}

/* Each receiver takes each sender's SGI once, told who sent it. */
static void test_sgir_delivery(void **state)
{
	unsigned i;

	enable_sgis();
	for (i = 0; i < NR_VCPUS; i++) {
		cpuif_on(i);
	}
	dwrite(2, GICD_SGIR, SGIR(1, 0, 1)); /* vCPU 2 to all others */
	dwrite(0, GICD_SGIR, SGIR(2, 0, 1)); /* vCPU 0 to itself */
	assert_int_equal(ack(0), IAR(1, 0));
	eoi(0, IAR(1, 0));
	assert_int_equal(ack(0), IAR(1, 2));
	eoi(0, IAR(1, 2));
	assert_int_equal(ack(0), SPURIOUS);
	assert_int_equal(ack(1), IAR(1, 2));
	eoi(1, IAR(1, 2));
	assert_int_equal(ack(1), SPURIOUS);
	assert_int_equal(ack(2), SPURIOUS);
	assert_int_equal(ack(3), IAR(1, 2));
}

/* ---- per-sender pending state ----------------------------------------------- */

static void test_sgi_per_sender(void **state)
{
	uint64_t lr;
	bool underflow;

	enable_sgis();
	cpuif_on(0);
	dwrite(2, GICD_SGIR, SGIR(0, 0x01, 5));
	dwrite(1, GICD_SGIR, SGIR(0, 0x01, 5));
	dwrite(1, GICD_SGIR, SGIR(0, 0x01, 5)); /* again: still one from 1 */
	assert_int_equal(dread_sz(0, GICD_SPENDSGIR(5), 1), 0x06);
	assert_int_equal(dread(0, GICD_SPENDSGIR(4)), 0x0600);
	assert_int_equal(dread(0, GICD_CPENDSGIR(4)), 0x0600);
	assert_int_equal(dread(0, GICD_ISPENDR(0)), 1u << 5);

	/* One list register, for the lowest sender, ending with a trap while
	 * the other waits; untaken, it stays that sender's. */
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	assert_int_equal(INTID(lr), 5);
	assert_int_equal(lr & ICH_LR_STATE, ICH_LR_PENDING);
	assert_true(lr & ICH_LR_EOI);
	assert_int_equal(FIELD_GET(LR_SGI_SOURCE, lr), 1);
	vgic_sync_lrs(&g, 0, &lr, 1);
	assert_int_equal(dread_sz(0, GICD_SPENDSGIR(5), 1), 0x06);

	/* Taken from 1: active with sender 1, and sender 2's stays out of the
	 * list register until it is ended. */
	assert_int_equal(cpuif_access(0, GICC_HPPIR, false, 0), IAR(5, 1));
	assert_int_equal(ack(0), IAR(5, 1));
	assert_int_equal(dread_sz(0, GICD_SPENDSGIR(5), 1), 0x04);
	assert_int_equal(dread(0, GICD_ISACTIVER(0)), 1u << 5);
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	assert_int_equal(lr & ICH_LR_STATE, ICH_LR_ACTIVE);
	assert_int_equal(FIELD_GET(LR_SGI_SOURCE, lr), 1);
	assert_true(lr & ICH_LR_EOI);
	vgic_sync_lrs(&g, 0, &lr, 1);
	assert_int_equal(ack(0), SPURIOUS);
	eoi(0, IAR(5, 1));
	assert_int_equal(ack(0), IAR(5, 2));
	eoi(0, IAR(5, 2));
	assert_int_equal(dread(0, GICD_ISPENDR(0)), 0);
	assert_int_equal(dread(0, GICD_ISACTIVER(0)), 0);
	assert_int_equal(ack(0), SPURIOUS);
}

static void test_sgi_pending_regs(void **state)
{
	enable_sgis();
	/* Set by bytes and words, masked to the CPUs there are; banked. */
	dwrite_sz(1, GICD_SPENDSGIR(2), 1, 0xff);
	assert_int_equal(dread(1, GICD_SPENDSGIR(0)), 0x0f0000);
	assert_int_equal(dread(0, GICD_SPENDSGIR(0)), 0);
	assert_int_equal(kicks[1], 1);
	dwrite(1, GICD_SPENDSGIR(12), 0x01000300);
	assert_int_equal(dread(1, GICD_SPENDSGIR(12)), 0x01000300);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << 2 | 1u << 13 | 1u << 15);
	dwrite_sz(1, GICD_CPENDSGIR(2), 1, 0x05);
	assert_int_equal(dread_sz(1, GICD_SPENDSGIR(2), 1), 0x0a);
	dwrite(1, GICD_CPENDSGIR(12), 0xffffffff);
	assert_int_equal(dread(1, GICD_SPENDSGIR(12)), 0);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << 2);

	/* GICD_ISPENDR and GICD_ICPENDR do not touch SGIs. */
	dwrite(1, GICD_ICPENDR(0), 0xffff);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << 2);
	dwrite(1, GICD_ISPENDR(0), 1u << 9);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << 2);
	/* A PPI's still do. */
	dwrite(1, GICD_ISPENDR(0), 1u << 20);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << 2 | 1u << 20);

	/* Halfwords are refused, as for the other byte registers. */
	uint64_t v;
	assert_false(vgic_dist_read(&g, 1, GICD_SPENDSGIR(0), 2, &v));
	assert_false(vgic_dist_write(&g, 1, GICD_CPENDSGIR(1), 4, 0));
}

/* A GICv3's SGIs carry no sender in their list registers. */
static void test_v3_sgi_no_source(void **state)
{
	uint64_t lr;
	bool underflow;

	g.v2 = false;
	vgic_send_sgi(&g, 2, (uint64_t)3 << 24 | 1);
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 0); /* disabled */
	g.cpu[0].private_irqs[3].enabled = true;
	g.ctlr = 1;
	g.cpu[0].dirty = true;
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	assert_int_equal(INTID(lr), 3);
	assert_int_equal(FIELD_GET(LR_SGI_SOURCE, lr), 0);
	assert_false(lr & ICH_LR_EOI);
}

/* ---- GICD_ITARGETSR ----------------------------------------------------------- */

static void test_itargetsr_readback(void **state)
{
	/* Reset: CPU interface 0, where SPIs go by default. */
	assert_int_equal(dread(0, GICD_ITARGETSR(32)), 0x01010101);
	dwrite(0, GICD_ITARGETSR(32), 0x0103020f);
	assert_int_equal(dread(0, GICD_ITARGETSR(32)), 0x0103020f);
	assert_int_equal(dread(3, GICD_ITARGETSR(32)), 0x0103020f);
	dwrite_sz(0, GICD_ITARGETSR(37), 1, 0x0c);
	dwrite_sz(0, GICD_ITARGETSR(38), 1, 0xf2); /* CPUs 4-7 are not there */
	assert_int_equal(dread(0, GICD_ITARGETSR(36)), 0x01020c01);
	assert_int_equal(dread_sz(0, GICD_ITARGETSR(37), 1), 0x0c);
	/* The private ones: the reader's own CPU, read-only. */
	assert_int_equal(dread(2, GICD_ITARGETSR(0)), 0x04040404);
	dwrite(2, GICD_ITARGETSR(28), 0x0f0f0f0f);
	assert_int_equal(dread(2, GICD_ITARGETSR(28)), 0x04040404);

	/* Two CPUs: the mask keeps the two there are. */
	init_v2(2);
	dwrite(0, GICD_ITARGETSR(32), 0x0103020f);
	assert_int_equal(dread(0, GICD_ITARGETSR(32)), 0x01030203);

	/* One: RAZ/WI. */
	init_v2(1);
	assert_int_equal(dread(0, GICD_ITARGETSR(0)), 0);
	dwrite(0, GICD_ITARGETSR(32), 0x01010101);
	assert_int_equal(dread(0, GICD_ITARGETSR(32)), 0);
}

/* An SPI goes to one of its targets, and to none without any. */
static void test_itargetsr_delivery(void **state)
{
	uint64_t lr;
	bool underflow;
	unsigned i;

	dwrite(0, GICD_CTLR, 1);
	dwrite(0, GICD_ISENABLER(1), 1u << 8); /* SPI 40 */
	dwrite_sz(0, GICD_ITARGETSR(40), 1, 0x0c);
	memset(kicks, 0, sizeof(kicks));
	dwrite(0, GICD_ISPENDR(1), 1u << 8);
	assert_int_equal(kicks[2], 1);
	assert_int_equal(kicks[0] + kicks[1] + kicks[3], 0);
	for (i = 0; i < NR_VCPUS; i++) {
		g.cpu[i].dirty = true;
		assert_int_equal(vgic_fill_lrs(&g, i, &lr, 1, &underflow), i == 2);
	}
	assert_int_equal(INTID(lr), 40);
	vgic_sync_lrs(&g, 2, &lr, 1);

	/* Retargeted to nobody: pending, but no one's. */
	dwrite_sz(0, GICD_ITARGETSR(40), 1, 0);
	for (i = 0; i < NR_VCPUS; i++) {
		assert_int_equal(vgic_fill_lrs(&g, i, &lr, 1, &underflow), 0);
		assert_false(vgic_has_pending(&g, i));
	}
	assert_int_equal(dread(0, GICD_ISPENDR(1)), 1u << 8);
	/* And to vCPU 1 (with 3): it goes there. */
	memset(kicks, 0, sizeof(kicks));
	dwrite_sz(0, GICD_ITARGETSR(40), 1, 0x0a);
	assert_int_equal(kicks[1], 1);
	assert_true(vgic_has_pending(&g, 1));
	assert_false(vgic_has_pending(&g, 3));
}

/* ---- GICD_ICFGR, GICD_IPRIORITYR ---------------------------------------------- */

static void test_icfgr_bytes(void **state)
{
	/* SGIs: edge, read-only. */
	assert_int_equal(dread_sz(0, GICD_ICFGR(0), 1), 0xaa);
	dwrite_sz(0, GICD_ICFGR(0) + 1, 1, 0);
	assert_int_equal(dread(0, GICD_ICFGR(0)), 0xaaaaaaaa);
	/* SPIs 36-39 by a byte; the word and the other bytes agree. */
	dwrite_sz(0, GICD_ICFGR(2) + 1, 1, 0x82); /* 36 and 39 edge */
	assert_int_equal(dread(0, GICD_ICFGR(2)), 0x8200);
	assert_int_equal(dread_sz(0, GICD_ICFGR(2) + 1, 1), 0x82);
	assert_int_equal(dread_sz(0, GICD_ICFGR(2), 1), 0);
	assert_true(g.spis[36 - 32].edge && g.spis[39 - 32].edge);
	assert_false(g.spis[37 - 32].edge);
	dwrite(0, GICD_ICFGR(2), 0x20000000); /* word: only 46 edge */
	assert_int_equal(dread_sz(0, GICD_ICFGR(2) + 3, 1), 0x20);
	assert_int_equal(dread_sz(0, GICD_ICFGR(2) + 1, 1), 0);
	/* Halfwords are refused. */
	uint64_t v;
	assert_false(vgic_dist_read(&g, 0, GICD_ICFGR(2), 2, &v));
	/* A GICv3's GICD_ICFGR stays word-only. */
	g.v2 = false;
	assert_false(vgic_dist_read(&g, 0, GICD_ICFGR(2), 1, &v));
}

static void test_priority_bits(void **state)
{
	dwrite_sz(0, GICD_IPRIORITYR(33), 1, 0xff);
	dwrite_sz(1, GICD_IPRIORITYR(5), 1, 0x47);
	assert_int_equal(dread(0, GICD_IPRIORITYR(32)), 0xf800);
	assert_int_equal(dread_sz(1, GICD_IPRIORITYR(5), 1), 0x40);
	dwrite(0, GICD_IPRIORITYR(40), 0x12345678);
	assert_int_equal(dread(0, GICD_IPRIORITYR(40)), 0x10305078);
	/* A GICv3 distributor keeps eight bits, as before. */
	g.v2 = false;
	dwrite_sz(0, GICD_IPRIORITYR(33), 1, 0xff);
	assert_int_equal(dread_sz(0, GICD_IPRIORITYR(33), 1), 0xff);
}

/* ---- the timer's line ------------------------------------------------------ */

static void timer_on(unsigned idx)
{
	dwrite(0, GICD_CTLR, 1);
	dwrite(idx, GICD_ISENABLER(0), 1u << VTIMER);
	vgic_set_hw(&g, idx, VTIMER);
}

/* Lowered before the guest took it: gone from the pending registers and
 * the list registers, and nothing will end the physical one but Vireo. */
static void test_timer_lowered_pending(void **state)
{
	uint64_t lr;
	bool underflow;

	timer_on(1);
	vgic_raise_hw_line(&g, 1, VTIMER);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << VTIMER);
	assert_int_equal(vgic_fill_lrs(&g, 1, &lr, 1, &underflow), 1);
	assert_int_equal(lr & (ICH_LR_STATE | ICH_LR_HW), ICH_LR_PENDING | ICH_LR_HW);
	vgic_sync_lrs(&g, 1, &lr, 1); /* untouched: the guest had IRQs masked */
	/* The mode is told to read the line back at exits while it is high. */
	assert_int_equal(g.cpu[1].hw_high, 1u << VTIMER);
	assert_true(vgic_lower_hw_line(&g, 1, VTIMER));
	assert_int_equal(g.cpu[1].hw_high, 0);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 0);
	assert_false(vgic_has_pending(&g, 1));
	assert_int_equal(vgic_fill_lrs(&g, 1, &lr, 1, &underflow), 0);
	/* ICPENDR does not take a high line away, as on hardware. */
	vgic_raise_hw_line(&g, 1, VTIMER);
	dwrite(1, GICD_ICPENDR(0), 1u << VTIMER);
	assert_int_equal(dread(1, GICD_ISPENDR(0)), 1u << VTIMER);
}

/* Lowered while the guest handles it: its end (through the list
 * register's HW bit) deactivates the physical one, so Vireo must not. */
static void test_timer_lowered_active(void **state)
{
	uint64_t lr;
	bool underflow;

	timer_on(0);
	vgic_raise_hw_line(&g, 0, VTIMER);
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	lr = (lr & ~ICH_LR_STATE) | ICH_LR_ACTIVE; /* acknowledged */
	vgic_sync_lrs(&g, 0, &lr, 1);
	assert_false(vgic_lower_hw_line(&g, 0, VTIMER));
	assert_int_equal(dread(0, GICD_ISPENDR(0)), 0);
	assert_int_equal(dread(0, GICD_ISACTIVER(0)), 1u << VTIMER);
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	assert_int_equal(lr & ICH_LR_STATE, ICH_LR_ACTIVE);
	lr &= ~ICH_LR_STATE; /* ended */
	vgic_sync_lrs(&g, 0, &lr, 1);
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 0);
	/* A pending latch (GICD_ISPENDR) outlives the line: the guest's end
	 * will deactivate the physical one. */
	vgic_raise_hw_line(&g, 0, VTIMER);
	dwrite(0, GICD_ISPENDR(0), 1u << VTIMER);
	assert_false(vgic_lower_hw_line(&g, 0, VTIMER));
	assert_int_equal(dread(0, GICD_ISPENDR(0)), 1u << VTIMER);
}

/* A line still high when the guest ended the interrupt: pending again at
 * the next entry, as a level is. */
static void test_timer_level_stays(void **state)
{
	uint64_t lr;
	bool underflow;

	timer_on(0);
	vgic_raise_hw_line(&g, 0, VTIMER);
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	lr &= ~ICH_LR_STATE; /* taken and ended without touching the timer */
	vgic_sync_lrs(&g, 0, &lr, 1);
	assert_true(vgic_has_pending(&g, 0));
	assert_int_equal(vgic_fill_lrs(&g, 0, &lr, 1, &underflow), 1);
	assert_int_equal(lr & ICH_LR_STATE, ICH_LR_PENDING);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_sgir_filters),
		T(test_sgir_delivery),
		T(test_sgi_per_sender),
		T(test_sgi_pending_regs),
		T(test_v3_sgi_no_source),
		T(test_itargetsr_readback),
		T(test_itargetsr_delivery),
		T(test_icfgr_bytes),
		T(test_priority_bits),
		T(test_timer_lowered_pending),
		T(test_timer_lowered_active),
		T(test_timer_level_stays),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
