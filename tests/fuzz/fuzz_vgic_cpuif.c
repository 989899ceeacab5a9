/*
 * Fuzz target: the GICv2 CPU interface emulated in software
 * (hv/vdev/vgic_cpuif.c) as a guest drives it on the Raspberry Pi port,
 * where every GICC access traps (hv/arch/aarch64/el2/vgic_sw.c): reads and
 * writes at guest-chosen offsets, sizes and values, interleaved with list
 * registers set up as the model's refills would leave them, or with any
 * bits at all.
 *
 * Input: operations, each an opcode byte and a record (see the OP_* cases
 * below; tests/fuzz/make_seeds.py writes them). The vCPU's interface state
 * starts zeroed, as a vCPU's does, and no list register is in use.
 *
 * Checked after every operation, besides crashes and sanitizer reports,
 * against a small model of the architecture (GIC IHI 0048B 3.3 and 4.4)
 * built from what the guest can read back:
 *   - an access is refused exactly when its size is not 4 or its offset is
 *     not word aligned (vgic_cpuif.h), and a refused one changes nothing;
 *   - no access changes used_lrs, a list register beyond it, or anything
 *     in a list register but its pending and active bits, and at most one
 *     list register changes per access;
 *   - a read other than GICC_IAR and GICC_AIAR changes nothing and reads
 *     back the same; every read gives 32 bits, the fields read back in
 *     range (PMR five bits, the binary points at least 2 and 3), and
 *     GICC_RPR is the highest priority active in GICC_APR0, or 0xff;
 *   - GICC_IAR and GICC_AIAR return 1022, 1023, or the INTID of the list
 *     register that went from pending to active: the highest priority
 *     pending one of an enabled group (the first of equals), and only when
 *     it is above the priority mask and preempts the running priority;
 *     1022 only from GICC_IAR for group 1 without AckCtl, and GICC_AIAR
 *     only takes group 1; acknowledging sets the one GICC_APR0 bit of its
 *     group priority, which is then the running priority;
 *   - GICC_APR0 only ever holds the bits the guest wrote there, or that
 *     acknowledging set and ending has not cleared;
 *   - GICC_EOIR and GICC_AEOIR with an INTID below 1020 drop the running
 *     priority (the highest active one) and, under EOImode 0, deactivate
 *     the first active list register with that INTID; with a special
 *     INTID they change nothing; GICC_DIR deactivates only under EOImode 1;
 *     *hw_end is set exactly when a hardware-linked one was deactivated;
 *   - GICC_CTLR, PMR, BPR, ABPR and APR0 read back what was written, as
 *     their implemented bits allow, and change nothing else;
 *   - vgic_cpuif_signals() asserts a line exactly when GICC_IAR or GICC_AIAR
 *     would find an interrupt, FIQ only for group 0 with FIQEn, and
 *     GICC_HPPIR and GICC_AHPPIR name the highest priority pending one.
 */
#include <string.h>

#include "fuzz_input.h"
#include "vdev/vgic_cpuif.h"

#define MAX_OPS 256

/* Register offsets (IHI 0048B 4.1.3, table 4-2). */
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

#define CTLR_BITS 0x21fu /* EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode */
#define CTLR_ENABLE_G0 (1u << 0)
#define CTLR_ENABLE_G1 (1u << 1)
#define CTLR_ACK_CTL (1u << 2)
#define CTLR_FIQ_EN (1u << 3)
#define CTLR_CBPR (1u << 4)
#define CTLR_EOI_MODE (1u << 9)

#define INTID_NEEDS_ACKCTL 1022
#define SPURIOUS 1023
#define IDLE 0xffu

#define LR_STATE (LR_PENDING | LR_ACTIVE)

static struct vgic_cpu c;
static struct vgic_cpu_if s;
static uint32_t apr_model; /* what GICC_APR0 may hold: see the top */
static struct input *in;

/* ---- what the guest can read back, and the model built on it ----------- */

struct view {
	uint32_t ctlr, pmr, bpr, abpr, rpr, apr0;
};

static uint32_t peek(uint64_t off)
{
	uint64_t v = 0;

	check(vgic_cpuif_read(&c, &s, off, 4, &v), "read of +0x%lx refused", off);
	return (uint32_t)v;
}

static struct view view_now(void)
{
	struct view v;

	v.ctlr = peek(GICC_CTLR);
	v.pmr = peek(GICC_PMR);
	v.bpr = peek(GICC_BPR);
	v.abpr = peek(GICC_ABPR);
	v.rpr = peek(GICC_RPR);
	v.apr0 = peek(GICC_APR0);
	return v;
}

static unsigned intid_of(uint64_t lr)
{
	return (uint32_t)lr & 0x3ff;
}

/* What GICC_IAR and GICC_HPPIR say of lr: its INTID, and an SGI's sender
 * in CPUID, bits [12:10] (IHI 0048B 4.4.4). */
static unsigned iar_of(uint64_t lr)
{
	return intid_of(lr) | (unsigned)FIELD_GET(LR_SGI_SOURCE, lr) << 10;
}

static unsigned prio_of(uint64_t lr)
{
	return (lr >> 48) & 0xf8; /* five implemented bits */
}

static bool group1(uint64_t lr)
{
	return lr & LR_GROUP;
}

/* The group priority: [7:BPR+1] for group 0 (and group 1 with CBPR),
 * [7:ABPR] for group 1 (IHI 0048B 3.3.3). */
static unsigned group_prio(const struct view *v, uint64_t lr)
{
	unsigned shift = group1(lr) && !(v->ctlr & CTLR_CBPR) ? v->abpr : v->bpr + 1;

	return prio_of(lr) & (0xffu << shift) & 0xff;
}

/* The highest priority pending list register of cpu's of an enabled
 * group, the first of equals, or -1. */
static int model_best(const struct vgic_cpu *cpu, const struct view *v)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < cpu->used_lrs; i++) {
		uint64_t lr = cpu->lr[i];
		unsigned enable = group1(lr) ? CTLR_ENABLE_G1 : CTLR_ENABLE_G0;

		if ((lr & LR_STATE) != LR_PENDING || !(v->ctlr & enable)) {
			continue;
		}
		if (best < 0 || prio_of(lr) < prio_of(cpu->lr[best])) {
			best = (int)i;
		}
	}
	return best;
}

/* ... if it may interrupt now (IHI 0048B 3.3.2), else -1. */
static int model_signalled(const struct vgic_cpu *cpu, const struct view *v)
{
	int best = model_best(cpu, v);

	if (best < 0 || prio_of(cpu->lr[best]) >= v->pmr ||
	    group_prio(v, cpu->lr[best]) >= v->rpr) {
		return -1;
	}
	return best;
}

static void check_view(const struct view *v)
{
	check((v->ctlr & ~CTLR_BITS) == 0, "GICC_CTLR 0x%x", v->ctlr);
	check((v->pmr & ~0xf8u) == 0, "GICC_PMR 0x%x", v->pmr);
	check(v->bpr >= 2 && v->bpr <= 7, "GICC_BPR %u", v->bpr);
	check(v->abpr >= 3 && v->abpr <= 7, "GICC_ABPR %u", v->abpr);
	check(v->rpr == (v->apr0 ? (unsigned)__builtin_ctz(v->apr0) << 3 : IDLE),
	      "GICC_RPR 0x%x with GICC_APR0 0x%x", v->rpr, v->apr0);
	check(v->apr0 == apr_model, "GICC_APR0 0x%x, but only 0x%x was written or acknowledged",
	      v->apr0, apr_model);
}

static void check_signals(void)
{
	struct view v = view_now();
	int i = model_signalled(&c, &v), best = model_best(&c, &v);
	unsigned lines = vgic_cpuif_signals(&c, &s);
	uint32_t hppir = peek(GICC_HPPIR), ahppir = peek(GICC_AHPPIR);
	unsigned want = 0;

	check_view(&v);
	if (i >= 0) {
		want = !group1(c.lr[i]) && (v.ctlr & CTLR_FIQ_EN) ? VGIC_CPUIF_FIQ : VGIC_CPUIF_IRQ;
	}
	check(lines == want, "signals 0x%x, want 0x%x (LR %d)", lines, want, i);
	if (best < 0) {
		check(hppir == SPURIOUS && ahppir == SPURIOUS, "HPPIR %u AHPPIR %u, nothing pending",
		      hppir, ahppir);
		return;
	}
	if (group1(c.lr[best])) {
		check(ahppir == iar_of(c.lr[best]), "AHPPIR %u, LR %d", ahppir, best);
		check(hppir == (v.ctlr & CTLR_ACK_CTL ? iar_of(c.lr[best]) : INTID_NEEDS_ACKCTL),
		      "HPPIR %u, LR %d group 1", hppir, best);
	} else {
		check(ahppir == SPURIOUS, "AHPPIR %u, LR %d group 0", ahppir, best);
		check(hppir == iar_of(c.lr[best]), "HPPIR %u, LR %d", hppir, best);
	}
}

/* ---- one access and what it may have changed --------------------------- */

static struct vgic_cpu c_before;
static struct vgic_cpu_if s_before;
static struct view v_before;

static void snapshot(void)
{
	v_before = view_now();
	memcpy(&c_before, &c, sizeof(c));
	s_before = s;
}

static bool unchanged(void)
{
	return memcmp(&c, &c_before, sizeof(c)) == 0 && memcmp(&s, &s_before, sizeof(s)) == 0;
}

/* Everything but list registers' pending and active bits is the guest's
 * to read, never to change; returns the one list register whose state
 * changed, or -1. */
static int changed_lr(uint64_t off)
{
	static struct vgic_cpu a, b;
	int changed = -1;
	unsigned i;

	memcpy(&a, &c_before, sizeof(c));
	memcpy(&b, &c, sizeof(c));
	for (i = 0; i < c.used_lrs && i < VGIC_MAX_LRS; i++) {
		if (a.lr[i] != b.lr[i]) {
			check(changed < 0, "+0x%lx changed LRs %d and %u", off, changed, i);
			changed = (int)i;
		}
		a.lr[i] &= ~LR_STATE;
		b.lr[i] &= ~LR_STATE;
	}
	check(memcmp(&a, &b, sizeof(a)) == 0,
	      "+0x%lx changed more than the state of a list register in use", off);
	check(s.apr1 == s_before.apr1, "+0x%lx changed apr1", off);
	return changed;
}

/* GICC_IAR (alias false) and GICC_AIAR. */
static void check_acknowledge(bool alias, uint32_t val)
{
	int want = model_signalled(&c_before, &v_before), got = changed_lr(alias ? GICC_AIAR : GICC_IAR);
	uint64_t lr;
	unsigned bit;

	check(val == SPURIOUS || val == INTID_NEEDS_ACKCTL || got >= 0,
	      "IAR gave %u and acknowledged nothing", val);
	if (want >= 0 && alias && !group1(c_before.lr[want])) {
		want = -1; /* group 0: GICC_AIAR gives 1023 */
	}
	if (want >= 0 && !alias && group1(c_before.lr[want]) && !(v_before.ctlr & CTLR_ACK_CTL)) {
		check(got < 0 && val == INTID_NEEDS_ACKCTL, "IAR %u of group 1 without AckCtl", val);
		check(unchanged(), "IAR of group 1 without AckCtl changed something");
		return;
	}
	if (want < 0) {
		check(got < 0 && val == SPURIOUS, "IAR %u (LR %d), want 1023", val, got);
		check(unchanged(), "a spurious IAR changed something");
		return;
	}
	check(got == want, "IAR acknowledged LR %d, want %d", got, want);
	lr = c_before.lr[want];
	check(c.lr[want] == ((lr & ~LR_PENDING) | LR_ACTIVE), "LR %d 0x%lx after IAR of 0x%lx",
	      want, c.lr[want], lr);
	check(val == iar_of(lr), "IAR %u, LR %d has INTID %u", val, want, iar_of(lr));
	bit = group_prio(&v_before, lr) >> 3;
	apr_model |= 1u << bit;
	check(s.vmcr == s_before.vmcr, "IAR changed vmcr");
}

/* Deactivation by GICC_EOIR (EOImode 0) or GICC_DIR (EOImode 1). */
static void check_deactivate(uint64_t off, bool should, uint32_t val, bool hw_end)
{
	int got = changed_lr(off), want = -1;
	unsigned i;

	for (i = 0; should && i < c_before.used_lrs; i++) {
		if ((c_before.lr[i] & LR_ACTIVE) && intid_of(c_before.lr[i]) == (val & 0x3ff)) {
			want = (int)i;
			break;
		}
	}
	check(got == want, "+0x%lx of %u deactivated LR %d, want %d", off, val & 0x3ff, got, want);
	if (want >= 0) {
		check(c.lr[want] == (c_before.lr[want] & ~LR_ACTIVE), "LR %d after deactivation",
		      want);
	}
	check(hw_end == (want >= 0 && (c_before.lr[want] & LR_HW)), "hw_end %d for LR %d", hw_end,
	      want);
}

static void check_write_of(uint64_t off, uint64_t val, bool hw_end)
{
	uint32_t v = (uint32_t)val;
	bool eoimode = v_before.ctlr & CTLR_EOI_MODE;
	struct view now = view_now(), want = v_before;

	switch (off) {
	case GICC_EOIR:
	case GICC_AEOIR:
		if ((v & 0x3ff) >= 1020) {
			check(unchanged() && !hw_end, "EOIR of special INTID %u", v & 0x3ff);
			return;
		}
		apr_model &= apr_model - 1;
		check_deactivate(off, !eoimode, v, hw_end);
		check(s.vmcr == s_before.vmcr, "EOIR changed vmcr");
		return;
	case GICC_DIR:
		check_deactivate(off, eoimode, v, hw_end);
		check(memcmp(&s, &s_before, sizeof(s)) == 0, "DIR changed the interface");
		return;
	case GICC_CTLR:
		want.ctlr = v & CTLR_BITS;
		break;
	case GICC_PMR:
		want.pmr = v & 0xf8;
		break;
	case GICC_BPR:
		want.bpr = (v & 7) < 2 ? 2 : v & 7;
		break;
	case GICC_ABPR:
		want.abpr = (v & 7) < 3 ? 3 : v & 7;
		break;
	case GICC_APR0:
		want.apr0 = v;
		want.rpr = v ? (unsigned)__builtin_ctz(v) << 3 : IDLE;
		apr_model = v;
		break;
	default:
		check(unchanged(), "write of +0x%lx changed something", off);
		break;
	}
	check(!hw_end, "hw_end from a write of +0x%lx", off);
	check(changed_lr(off) < 0, "write of +0x%lx changed a list register", off);
	check(memcmp(&now, &want, sizeof(now)) == 0,
	      "after writing 0x%x to +0x%lx: CTLR 0x%x PMR 0x%x BPR %u ABPR %u APR0 0x%x", v, off,
	      now.ctlr, now.pmr, now.bpr, now.abpr, now.apr0);
}

static void check_read_of(uint64_t off, uint32_t val)
{
	uint64_t again = 0;

	if (off == GICC_IAR || off == GICC_AIAR) {
		check_acknowledge(off == GICC_AIAR, val);
		return;
	}
	check(unchanged(), "a read of +0x%lx changed the state", off);
	check(vgic_cpuif_read(&c, &s, off, 4, &again) && again == val, "two reads of +0x%lx differ",
	      off);
	switch (off) {
	case GICC_IIDR:
		check(val != 0 && ((val >> 16) & 0xf) == 2, "GICC_IIDR 0x%x", val);
		break;
	case GICC_CTLR:
	case GICC_PMR:
	case GICC_BPR:
	case GICC_ABPR:
	case GICC_RPR:
	case GICC_APR0:
	case GICC_HPPIR:
	case GICC_AHPPIR:
		break; /* check_view() and check_signals() */
	default:
		check(val == 0, "+0x%lx read 0x%x", off, val);
		break;
	}
}

static unsigned size_of(unsigned code)
{
	return 1u << (code & 3);
}

static void guest_access(bool write, uint64_t off, unsigned size, uint64_t val)
{
	uint64_t got = 0xdeadbeefcafef00dUL;
	bool hw_end = true, ok, word = size == 4 && off % 4 == 0;

	snapshot();
	ok = write ? vgic_cpuif_write(&c, &s, off, size, val, &hw_end)
		   : vgic_cpuif_read(&c, &s, off, size, &got);
	check(ok == word, "%u-byte %s of +0x%lx %s", size, write ? "write" : "read", off,
	      ok ? "accepted" : "refused");
	if (write) {
		check(!hw_end || ok, "a refused write set hw_end");
	}
	if (!ok) {
		check(unchanged(), "a refused access changed something");
		return;
	}
	check(c.used_lrs == c_before.used_lrs, "+0x%lx changed used_lrs", off);
	if (write) {
		check_write_of(off, val, hw_end);
	} else {
		check(got >> 32 == 0, "read of +0x%lx gave 0x%lx", off, got);
		check_read_of(off, (uint32_t)got);
	}
}

/* ---- list registers ----------------------------------------------------- */

/* A list register as vgic.c fills one (ICH_LR layout, vgic.h), or, with
 * flag bit 7, any 64 bits; with flag bit 5 (and not HW), a GICv2 SGI's
 * sender from one more byte. */
static uint64_t make_lr(unsigned flags, unsigned intid, unsigned prio)
{
	uint64_t lr = intid | (uint64_t)prio << 48;

	if (flags & 0x80) {
		return take_u64(in);
	}
	lr |= flags & 1 ? LR_PENDING : 0;
	lr |= flags & 2 ? LR_ACTIVE : 0;
	lr |= flags & 4 ? LR_GROUP : 0;
	if (flags & 8) {
		lr |= LR_HW | (uint64_t)intid << 32;
	} else {
		lr |= flags & 16 ? LR_EOI : 0;
		lr |= flags & 32 ? FIELD_PREP(LR_SGI_SOURCE, take_u8(in) & 7) : 0;
	}
	return lr;
}

enum {
	OP_READ,  /* u16 offset, u8 size code */
	OP_WRITE, /* ... and u64 value */
	OP_LR,    /* u8 index, u8 flags, u8 INTID, u8 priority [, u64 raw] [, u8 sender] */
	OP_USED,  /* u8 list registers in use */
	NR_OPS,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input stream = input_of(data, size);
	unsigned n;

	in = &stream;
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	apr_model = 0;
	check_signals();
	for (n = 0; n < MAX_OPS && !input_done(in); n++) {
		unsigned op = take_u8(in) % NR_OPS;

		switch (op) {
		case OP_READ:
		case OP_WRITE: {
			uint64_t off = take_u16(in);
			unsigned sz = size_of(take_u8(in));

			guest_access(op == OP_WRITE, off, sz, op == OP_WRITE ? take_u64(in) : 0);
			break;
		}
		case OP_LR: {
			unsigned i = take_below(in, VGIC_MAX_LRS);
			unsigned flags = take_u8(in), intid = take_u8(in);

			c.lr[i] = make_lr(flags, intid, take_u8(in));
			if (c.used_lrs <= i) {
				c.used_lrs = i + 1;
			}
			break;
		}
		default:
			c.used_lrs = take_below(in, VGIC_MAX_LRS + 1);
			break;
		}
		check_signals();
	}
	in = NULL;
	return 0;
}
