/*
 * The GICv2 CPU interface in software (vgic_cpuif.h).
 *
 * The list registers are c->lr[0..c->used_lrs), filled highest priority
 * first by vgic.c. The highest priority pending interrupt is the best list
 * register that is pending and not active, of an enabled group; it is
 * signalled, and GICC_IAR takes it, when its priority is above
 * (numerically below) the priority mask and its group priority (the bits
 * above the binary point, IHI 0048B 3.3.3) above the running priority
 * (3.3.2). Only that one is checked: when it cannot preempt, nothing is
 * signalled, even if a lower one of the other group, through the other
 * binary point, has a higher group priority. The running priority is the
 * highest of the active priorities in apr0 (bit n: group priority n << 3
 * is active), or idle (0xff) when none is.
 *
 * GICC_IAR and GICC_HPPIR give an SGI's sender in CPUID (bits [12:10]),
 * from its list register's source field (vgic.h), which vgic.c fills.
 *
 * Group 1 interrupts: GICC_IAR acknowledges them only with AckCtl set
 * (else it returns 1022, as the architecture's virtual interface does);
 * GICC_AIAR and GICC_AHPPIR see group 1 only. With CBPR clear, group 1
 * preempts by the binary point in GICC_ABPR. Under EOImode 1, GICC_EOIR
 * only drops the priority and GICC_DIR deactivates.
 */
#include "vdev/vgic_cpuif.h"

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
#define GICC_IIDR 0x00fc
#define GICC_DIR 0x1000

/* GICC_IIDR: architecture version 2, implementer Arm (0x43b). */
#define IIDR_VALUE 0x0002043bU

/* GICH_VMCR's fields (IHI 0048B 5.3.4); the low ten bits are GICC_CTLR's. */
#define VMCR_CTLR 0x21fU
#define CTLR_ENABLE_G0 BIT(0)
#define CTLR_ENABLE_G1 BIT(1)
#define CTLR_ACK_CTL BIT(2)
#define CTLR_FIQ_EN BIT(3)
#define CTLR_CBPR BIT(4)
#define CTLR_EOI_MODE BIT(9)
#define VMCR_ABP GENMASK(20, 18)
#define VMCR_BP GENMASK(23, 21)
#define VMCR_PRIMASK GENMASK(31, 27)

#define INTID_MASK 0x3ffU
#define IAR_CPUID_SHIFT 10
#define INTID_NEEDS_ACKCTL 1022
#define INTID_SPURIOUS 1023
#define PRIORITY_BITS 0xf8U /* five implemented bits */
#define PRIORITY_IDLE 0xffU
/* The smallest binary points five priority bits allow. */
#define MIN_BP 2
#define MIN_ABP 3

static uint32_t ctlr(const struct vgic_cpu_if *s)
{
	return (uint32_t)s->vmcr & VMCR_CTLR;
}

static unsigned bpr(const struct vgic_cpu_if *s)
{
	return MAX((unsigned)FIELD_GET(VMCR_BP, s->vmcr), MIN_BP);
}

static unsigned abpr(const struct vgic_cpu_if *s)
{
	return MAX((unsigned)FIELD_GET(VMCR_ABP, s->vmcr), MIN_ABP);
}

static unsigned priority(uint64_t lr)
{
	return FIELD_GET(LR_PRIORITY, lr) & PRIORITY_BITS;
}

/* The group priority an interrupt preempts with: group 0's field is
 * [7:BPR+1], group 1's through GICC_ABPR [7:ABPR] (or as group 0's when
 * CBPR is set). */
static unsigned group_priority(const struct vgic_cpu_if *s, uint64_t lr)
{
	unsigned mask;

	if ((lr & LR_GROUP) && !(ctlr(s) & CTLR_CBPR)) {
		mask = 0xffU << abpr(s);
	} else {
		mask = 0xffU << (bpr(s) + 1);
	}
	return priority(lr) & mask & 0xff;
}

static unsigned running_priority(const struct vgic_cpu_if *s)
{
	uint32_t apr = (uint32_t)s->apr0;

	return apr ? (unsigned)__builtin_ctz(apr) << 3 : PRIORITY_IDLE;
}

static bool group_enabled(const struct vgic_cpu_if *s, uint64_t lr)
{
	return ctlr(s) & ((lr & LR_GROUP) ? CTLR_ENABLE_G1 : CTLR_ENABLE_G0);
}

static bool is_pending(uint64_t lr)
{
	return (lr & (LR_PENDING | LR_ACTIVE)) == LR_PENDING;
}

/* Whether the interrupt in lr may interrupt the vCPU now: above the
 * priority mask, and preempting the running priority (IHI 0048B 3.3.2). */
static bool may_signal(const struct vgic_cpu_if *s, uint64_t lr)
{
	unsigned pmr = FIELD_GET(VMCR_PRIMASK, s->vmcr) << 3;

	return priority(lr) < pmr && group_priority(s, lr) < running_priority(s);
}

/* The index of the highest-priority pending list register of an enabled
 * group (the first of equals: vgic.c fills them in order), or -1. With
 * signalling, -1 also when that one may not interrupt now: the check is of
 * the highest pending interrupt, not a search for one that passes it. */
static int best_pending(const struct vgic_cpu *c, const struct vgic_cpu_if *s, bool signalling)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < c->used_lrs; i++) {
		uint64_t lr = c->lr[i];

		if (!is_pending(lr) || !group_enabled(s, lr)) {
			continue;
		}
		if (best < 0 || priority(lr) < priority(c->lr[best])) {
			best = (int)i;
		}
	}
	if (best >= 0 && signalling && !may_signal(s, c->lr[best])) {
		return -1;
	}
	return best;
}

unsigned vgic_cpuif_signals(const struct vgic_cpu *c, const struct vgic_cpu_if *s)
{
	int i = best_pending(c, s, true);

	if (i < 0) {
		return 0;
	}
	if (!(c->lr[i] & LR_GROUP) && (ctlr(s) & CTLR_FIQ_EN)) {
		return VGIC_CPUIF_FIQ;
	}
	return VGIC_CPUIF_IRQ;
}

/* What GICC_IAR and GICC_HPPIR say of the interrupt in lr: its INTID and,
 * for an SGI, the CPU that sent it (CPUID, bits [12:10]; vgic.c sets the
 * list register's source for SGIs only). */
static uint32_t interrupt_id(uint64_t lr)
{
	return ((uint32_t)FIELD_GET(LR_VINTID, lr) & INTID_MASK) |
	       (uint32_t)FIELD_GET(LR_SGI_SOURCE, lr) << IAR_CPUID_SHIFT;
}

/* GICC_IAR (alias false) or GICC_AIAR (alias true, group 1 only). */
static uint32_t acknowledge(struct vgic_cpu *c, struct vgic_cpu_if *s, bool alias)
{
	int i = best_pending(c, s, true);
	uint64_t lr;

	if (i < 0) {
		return INTID_SPURIOUS;
	}
	lr = c->lr[i];
	if (alias && !(lr & LR_GROUP)) {
		return INTID_SPURIOUS;
	}
	if (!alias && (lr & LR_GROUP) && !(ctlr(s) & CTLR_ACK_CTL)) {
		return INTID_NEEDS_ACKCTL;
	}
	c->lr[i] = (lr & ~LR_PENDING) | LR_ACTIVE;
	s->apr0 |= BIT(group_priority(s, lr) >> 3);
	return interrupt_id(lr);
}

/* GICC_HPPIR (alias false) or GICC_AHPPIR (alias true). */
static uint32_t highest_pending(const struct vgic_cpu *c, const struct vgic_cpu_if *s, bool alias)
{
	int i = best_pending(c, s, false);

	if (i < 0 || (alias && !(c->lr[i] & LR_GROUP))) {
		return INTID_SPURIOUS;
	}
	if (!alias && (c->lr[i] & LR_GROUP) && !(ctlr(s) & CTLR_ACK_CTL)) {
		return INTID_NEEDS_ACKCTL;
	}
	return interrupt_id(c->lr[i]);
}

/* Ends the active interrupt intid, if a list register holds it. */
static void deactivate(struct vgic_cpu *c, uint32_t intid, bool *hw_end)
{
	unsigned i;

	for (i = 0; i < c->used_lrs; i++) {
		uint64_t lr = c->lr[i];

		if ((lr & LR_ACTIVE) && (FIELD_GET(LR_VINTID, lr) & INTID_MASK) == intid) {
			c->lr[i] = lr & ~LR_ACTIVE;
			if (lr & LR_HW) {
				*hw_end = true;
			}
			return;
		}
	}
}

/* GICC_EOIR and GICC_AEOIR: drop the running priority, and deactivate
 * unless EOImode splits the two. */
static void end_of_interrupt(struct vgic_cpu *c, struct vgic_cpu_if *s, uint32_t val,
			     bool *hw_end)
{
	uint32_t intid = val & INTID_MASK;
	uint32_t apr = (uint32_t)s->apr0;

	if (intid >= 1020) {
		return;
	}
	s->apr0 = apr & (apr - 1); /* the highest active priority */
	if (!(ctlr(s) & CTLR_EOI_MODE)) {
		deactivate(c, intid, hw_end);
	}
}

bool vgic_cpuif_read(struct vgic_cpu *c, struct vgic_cpu_if *s, uint64_t off, unsigned size,
		     uint64_t *val)
{
	if (size != 4 || off % 4) {
		return false;
	}
	switch (off) {
	case GICC_CTLR:
		*val = ctlr(s);
		break;
	case GICC_PMR:
		*val = FIELD_GET(VMCR_PRIMASK, s->vmcr) << 3;
		break;
	case GICC_BPR:
		*val = bpr(s);
		break;
	case GICC_ABPR:
		*val = abpr(s);
		break;
	case GICC_IAR:
		*val = acknowledge(c, s, false);
		break;
	case GICC_AIAR:
		*val = acknowledge(c, s, true);
		break;
	case GICC_RPR:
		*val = running_priority(s);
		break;
	case GICC_HPPIR:
		*val = highest_pending(c, s, false);
		break;
	case GICC_AHPPIR:
		*val = highest_pending(c, s, true);
		break;
	case GICC_APR0:
		*val = (uint32_t)s->apr0;
		break;
	case GICC_IIDR:
		*val = IIDR_VALUE;
		break;
	default:
		*val = 0; /* write-only, other APRs, reserved: read as zero */
		break;
	}
	return true;
}

bool vgic_cpuif_write(struct vgic_cpu *c, struct vgic_cpu_if *s, uint64_t off, unsigned size,
		      uint64_t val, bool *hw_end)
{
	uint32_t v = (uint32_t)val;

	*hw_end = false;
	if (size != 4 || off % 4) {
		return false;
	}
	switch (off) {
	case GICC_CTLR:
		s->vmcr = (s->vmcr & ~(uint64_t)VMCR_CTLR) | (v & VMCR_CTLR);
		break;
	case GICC_PMR:
		s->vmcr = (s->vmcr & ~VMCR_PRIMASK) | FIELD_PREP(VMCR_PRIMASK, (v & 0xff) >> 3);
		break;
	case GICC_BPR:
		s->vmcr = (s->vmcr & ~VMCR_BP) | FIELD_PREP(VMCR_BP, MAX(v & 7, MIN_BP));
		break;
	case GICC_ABPR:
		s->vmcr = (s->vmcr & ~VMCR_ABP) | FIELD_PREP(VMCR_ABP, MAX(v & 7, MIN_ABP));
		break;
	case GICC_EOIR:
	case GICC_AEOIR:
		end_of_interrupt(c, s, v, hw_end);
		break;
	case GICC_DIR:
		if (ctlr(s) & CTLR_EOI_MODE) {
			deactivate(c, v & INTID_MASK, hw_end);
		}
		break;
	case GICC_APR0:
		s->apr0 = v;
		break;
	default:
		break; /* read-only, other APRs, reserved: ignored */
	}
	return true;
}
