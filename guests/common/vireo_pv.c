/*
 * vireo_pv.c: the calls, the shared-page reader, the channel message
 * protocol and the GIC helpers (GICv3 or GICv2) declared in vireo_pv.h.
 *
 * Self-contained on purpose (only <stdint.h>): a guest other than the
 * in-tree ones can take this file and its header as they are. Copies are
 * byte or word loops through volatile pointers, so the compiler neither
 * calls a memcpy nobody provides nor merges them into unaligned accesses,
 * which Device memory (everything, with the MMU off) does not allow.
 */
#include "vireo_pv.h"

#define sysreg_read(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define barrier(insn) __asm__ volatile(insn ::: "memory")

enum vireo_conduit vireo_pv_conduit = VIREO_CONDUIT_HVC;

struct vireo_smccc_res vireo_smccc(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMCCC 1.1 lets the callee clobber x4..x17; only x0..x3 come back. */
	if (vireo_pv_conduit == VIREO_CONDUIT_SMC) {
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	} else {
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	}
	return (struct vireo_smccc_res){ x0, x1, x2, x3 };
}

static int64_t call0(uint32_t fn)
{
	return (int64_t)vireo_smccc(fn, 0, 0, 0).a0;
}

int64_t vireo_version(void)
{
	return call0(VIREO_FN_VERSION);
}

int64_t vireo_null(void)
{
	return call0(VIREO_FN_NULL);
}

int64_t vireo_shared_page_set(uint64_t ipa)
{
	return (int64_t)vireo_smccc(VIREO_FN_SHARED_PAGE, ipa, 0, 0).a0;
}

int64_t vireo_console_write(const void *buf, uint64_t len)
{
	/* The buffer is read by Vireo from memory: make the stores visible. */
	barrier("dsb ish");
	return (int64_t)vireo_smccc(VIREO_FN_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, len, 0).a0;
}

int64_t vireo_yield(void)
{
	return call0(VIREO_FN_YIELD);
}

int64_t vireo_channel_info(uint64_t id, struct vireo_channel *out)
{
	struct vireo_smccc_res r = vireo_smccc(VIREO_FN_CHANNEL_INFO, id, 0, 0);

	if ((int64_t)r.a0 == VIREO_SUCCESS && out) {
		out->id = (uint32_t)id;
		out->ipa = r.a1;
		out->size = r.a2;
		out->intid = (uint32_t)(r.a3 & 0xffff);
		out->end = (uint32_t)(r.a3 >> 16) & 1;
	}
	return (int64_t)r.a0;
}

int64_t vireo_doorbell(uint32_t id)
{
	return (int64_t)vireo_smccc(VIREO_FN_DOORBELL, id, 0, 0).a0;
}

int64_t vireo_exit_stats(uint32_t vcpu, enum vireo_stats_kind kind, uint64_t key)
{
	return (int64_t)vireo_smccc(VIREO_FN_EXIT_STATS, vcpu, kind, key).a0;
}

int64_t vireo_uid(uint32_t w[4])
{
	struct vireo_smccc_res r = vireo_smccc(VIREO_FN_CALL_UID, 0, 0, 0);

	w[0] = (uint32_t)r.a0;
	w[1] = (uint32_t)r.a1;
	w[2] = (uint32_t)r.a2;
	w[3] = (uint32_t)r.a3;
	return (int64_t)r.a0;
}

int64_t vireo_revision(uint32_t *minor)
{
	struct vireo_smccc_res r = vireo_smccc(VIREO_FN_REVISION, 0, 0, 0);

	if (minor) {
		*minor = (uint32_t)r.a1;
	}
	return (int64_t)r.a0;
}

int vireo_detect(void)
{
	uint32_t w[4];

	vireo_uid(w);
	return w[0] == VIREO_UID_W0 && w[1] == VIREO_UID_W1 && w[2] == VIREO_UID_W2 &&
	       w[3] == VIREO_UID_W3;
}

int64_t vireo_pv_time_features(uint32_t fn)
{
	return (int64_t)vireo_smccc(VIREO_FN_PV_TIME_FEATURES, fn, 0, 0).a0;
}

int64_t vireo_pv_time_st(void)
{
	return call0(VIREO_FN_PV_TIME_ST);
}

/* --- the shared page ------------------------------------------------------ */

uint32_t vireo_shared_page_read(const struct vireo_shared_page *page, struct vireo_pv_snapshot *out)
{
	const volatile struct vireo_shared_page *p = page;
	uint32_t before, after;

	for (;;) {
		before = p->sequence;
		if (before & 1) {
			continue; /* Vireo is writing it right now */
		}
		barrier("dmb ishld"); /* the count before the fields */
		out->layout = p->layout;
		out->features = p->features;
		out->vcpu_id = p->vcpu_id;
		out->preempted = p->preempted;
		out->stolen_ns = p->stolen_ns;
		out->running_ns = p->running_ns;
		out->pending_irqs = p->pending_irqs;
		barrier("dmb ishld"); /* the fields before the count again */
		after = p->sequence;
		if (after == before) {
			out->sequence = after;
			return after;
		}
	}
}

/* --- messages ---------------------------------------------------------------- */

static volatile struct vireo_mailbox *mailbox(const struct vireo_channel *ch, uint32_t end)
{
	return (volatile struct vireo_mailbox *)(uintptr_t)(ch->ipa + end * (ch->size / 2));
}

uint32_t vireo_msg_capacity(const struct vireo_channel *ch)
{
	return (uint32_t)(ch->size / 2 - sizeof(struct vireo_mailbox));
}

int64_t vireo_msg_send(const struct vireo_channel *ch, const void *buf, uint32_t len)
{
	volatile struct vireo_mailbox *mb = mailbox(ch, ch->end);
	const uint8_t *src = buf;
	uint32_t seq = mb->seq, i;

	if (len > vireo_msg_capacity(ch)) {
		return VIREO_MSG_TOO_LONG;
	}
	if (mb->ack != seq) {
		return VIREO_MSG_FULL;
	}
	barrier("dmb ish"); /* the peer's last reads of data before our writes */
	for (i = 0; i < len; i++) {
		mb->data[i] = src[i];
	}
	mb->len = len;
	barrier("dmb ishst"); /* data and len before seq */
	mb->seq = seq + 1;
	barrier("dsb ish"); /* all of it before the doorbell rings */
	return vireo_doorbell(ch->id);
}

int64_t vireo_msg_recv(const struct vireo_channel *ch, void *buf, uint32_t max)
{
	volatile struct vireo_mailbox *mb = mailbox(ch, !ch->end);
	uint8_t *dst = buf;
	uint32_t seq = mb->seq, len, i;

	if (seq == mb->ack) {
		return VIREO_MSG_EMPTY;
	}
	barrier("dmb ishld"); /* seq before data and len */
	len = mb->len;
	if (len > max || len > vireo_msg_capacity(ch)) {
		return VIREO_MSG_TOO_LONG;
	}
	for (i = 0; i < len; i++) {
		dst[i] = mb->data[i];
	}
	barrier("dmb ish"); /* our reads of data before the slot is given back */
	mb->ack = seq;
	return len;
}

int64_t vireo_msg_wait(const struct vireo_channel *ch, void *buf, uint32_t max)
{
	int64_t r;

	/* The doorbell is edge-triggered and latched while pending: one rung
	 * after the check below still wakes the wait. */
	while ((r = vireo_msg_recv(ch, buf, max)) == VIREO_MSG_EMPTY) {
		vireo_gic_wait_irq();
	}
	return r;
}

int64_t vireo_msg_send_wait(const struct vireo_channel *ch, const void *buf, uint32_t len)
{
	int64_t r;

	while ((r = vireo_msg_send(ch, buf, len)) == VIREO_MSG_FULL) {
		vireo_yield();
	}
	return r;
}

/* --- the GIC ---------------------------------------------------------------------- */
/*
 * Each helper asks vireo_gic_version() which GIC the VM has and takes the
 * GICv3 path (IHI 0069: system registers, redistributors, GICD_IROUTER)
 * or the GICv2 one (IHI 0048B: the memory-mapped CPU interface at
 * VIREO_GICC_BASE, GICD_ITARGETSR). Under a GICv2 every interrupt stays in
 * Group 0, which GICC_CTLR.EnableGrp0 signals as an IRQ (FIQEn is 0).
 */

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G0 (1U << 0) /* GICv2 */
#define GICD_CTLR_ENABLE_G1 (1U << 1) /* GICv3, affinity routing on */
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800 /* GICv2: a byte per INTID, a bit per CPU interface */
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000   /* GICv3 */
#define GICD_PIDR2_V2 0x0fe8  /* IHI 0048B, Table 4-1: ICPIDR2, in a 4 KiB frame */
#define GICD_PIDR2_V3 0xffe8  /* IHI 0069: GICD_PIDR2, in a 64 KiB frame */
#define PIDR2_ARCHREV(v) (((v) >> 4) & 0xfU)
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1U << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
#define GICC_CTLR 0x0000
#define GICC_CTLR_ENABLE_G0 (1U << 0) /* EOImode 0: EOIR drops and deactivates */
#define GICC_PMR 0x0004
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010

static volatile uint32_t *reg32(uint64_t addr)
{
	return (volatile uint32_t *)(uintptr_t)addr;
}

/*
 * Which GIC, from the distributor's own identification register: its
 * GICD_PIDR2.ArchRev describes the interrupt controller the VM has.
 * ID_AA64PFR0_EL1.GIC answers another question: whether the CPU has the
 * GICv3 system-register interface. Vireo passes it through from the host
 * unchanged (hv/arch/aarch64/idregs.c), so it describes the host's CPU,
 * not the VM's GIC; the two agree where the VM's GIC is the host's kind,
 * but a host with a GICv3 CPU interface that gave a VM a GICv2 (or a
 * hypervisor that hid the field) would mislead it.
 *
 * GICv2 puts GICD_PIDR2 at 0xfe8, GICv3 at 0xffe8, and each leaves the
 * other's offset reserved (RAZ). The GICv2 offset comes first: a GICv2's
 * distributor may be only 4 KiB, and 0xffe8 beyond it can abort. Vireo's
 * GICv2 model answers at 0xffe8 only (hv/vdev/vgic_mmio.c), so ArchRev 2
 * there means a GICv2 too.
 */
static int gic_probe(void)
{
	uint32_t rev = PIDR2_ARCHREV(*reg32(VIREO_GICD_BASE + GICD_PIDR2_V2));

	if (rev == 1 || rev == 2) {
		return 2; /* GICv1 has the same programmer's model here */
	}
	rev = PIDR2_ARCHREV(*reg32(VIREO_GICD_BASE + GICD_PIDR2_V3));
	if (rev == 2) {
		return 2;
	}
	return rev >= 3 ? 3 : 0;
}

int vireo_gic_version(void)
{
	static int version; /* every vCPU probes the same answer */

	if (!version) {
		version = gic_probe();
	}
	return version;
}

/* This vCPU's affinity as GICR_TYPER[63:32] holds it: Aff3.Aff2.Aff1.Aff0. */
static uint32_t my_affinity(void)
{
	uint64_t mpidr = sysreg_read(mpidr_el1);

	return (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24);
}

static int gic_v3_init(void)
{
	uint32_t aff = my_affinity();
	uint64_t rd = VIREO_GICR_BASE;

	/* Find this vCPU's redistributor by its affinity. */
	for (;;) {
		uint32_t lo = *reg32(rd + GICR_TYPER), hi = *reg32(rd + GICR_TYPER + 4);

		if (hi == aff) {
			break;
		}
		if (lo & GICR_TYPER_LAST) {
			return -1;
		}
		rd += VIREO_GICR_STRIDE;
	}
	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | 1); /* system registers */
	barrier("isb");
	*reg32(rd + GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
	}
	*reg32(VIREO_GICD_BASE + GICD_CTLR) |= GICD_CTLR_ENABLE_G1;
	sysreg_write(icc_pmr_el1, 0xff); /* every priority gets through */
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_ctlr_el1, 0); /* EOImode 0: EOIR drops and deactivates */
	sysreg_write(icc_igrpen1_el1, 1);
	barrier("isb");
	return 0;
}

static int gic_v2_init(void)
{
	*reg32(VIREO_GICD_BASE + GICD_CTLR) |= GICD_CTLR_ENABLE_G0;
	*reg32(VIREO_GICC_BASE + GICC_PMR) = 0xff; /* every priority gets through */
	*reg32(VIREO_GICC_BASE + GICC_CTLR) = GICC_CTLR_ENABLE_G0;
	barrier("dsb sy"); /* done before the caller unmasks interrupts */
	return 0;
}

int vireo_gic_init(void)
{
	switch (vireo_gic_version()) {
	case 3:
		return gic_v3_init();
	case 2:
		return gic_v2_init();
	default:
		return -1;
	}
}

/* GICv2: the calling CPU's interface, the one bit every byte of
 * GICD_ITARGETSR0-7 (its private interrupts) reads as. A uniprocessor GIC
 * may read them as zero; it delivers to its one CPU anyway. */
static uint8_t my_cpu_target(void)
{
	uint8_t mask = *(volatile uint8_t *)(uintptr_t)(VIREO_GICD_BASE + GICD_ITARGETSR);

	return mask ? mask : 1;
}

void vireo_gic_enable_spi(uint32_t intid, uint8_t prio, int edge)
{
	int v3 = vireo_gic_version() == 3;
	volatile uint32_t *cfg = reg32(VIREO_GICD_BASE + GICD_ICFGR + intid / 16 * 4);
	volatile uint32_t *pri = reg32(VIREO_GICD_BASE + GICD_IPRIORITYR + intid / 4 * 4);
	volatile uint32_t *grp = reg32(VIREO_GICD_BASE + GICD_IGROUPR + intid / 32 * 4);
	uint32_t shift = intid % 4 * 8;

	if (v3) {
		/* Route it to this vCPU: Aff3 in [39:32], Aff2.Aff1.Aff0 in [23:0]. */
		*(volatile uint64_t *)(uintptr_t)(VIREO_GICD_BASE + GICD_IROUTER +
						  8 * (uint64_t)intid) =
			sysreg_read(mpidr_el1) & 0xff00ffffffULL;
	} else {
		*(volatile uint8_t *)(uintptr_t)(VIREO_GICD_BASE + GICD_ITARGETSR + intid) =
			my_cpu_target();
	}
	*cfg = (*cfg & ~(2U << intid % 16 * 2)) | (edge ? 2U : 0U) << intid % 16 * 2;
	*pri = (*pri & ~(0xffU << shift)) | (uint32_t)prio << shift;
	if (v3) {
		*grp |= 1U << intid % 32;
	} else {
		*grp &= ~(1U << intid % 32);
	}
	barrier("dsb ish");
	*reg32(VIREO_GICD_BASE + GICD_ISENABLER + intid / 32 * 4) = 1U << intid % 32;
	barrier("dsb ish");
}

uint32_t vireo_gic_ack(void)
{
	uint32_t ack;

	if (vireo_gic_version() == 3) {
		ack = (uint32_t)sysreg_read(icc_iar1_el1) & 0xffffff;
	} else {
		ack = *reg32(VIREO_GICC_BASE + GICC_IAR) & 0x1fff; /* CPUID, INTID */
	}
	barrier("dsb sy"); /* the acknowledge before what the handler does */
	return ack;
}

void vireo_gic_eoi(uint32_t ack)
{
	if (vireo_gic_version() == 3) {
		sysreg_write(icc_eoir1_el1, ack);
		barrier("isb");
	} else {
		*reg32(VIREO_GICC_BASE + GICC_EOIR) = ack;
	}
}

uint32_t vireo_gic_wait_irq(void)
{
	uint64_t daif = sysreg_read(daif);
	uint32_t ack;

	__asm__ volatile("msr daifset, #2" ::: "memory");
	while (VIREO_GIC_INTID(ack = vireo_gic_ack()) >= 1020) {
		/* A pending interrupt wakes WFI even while PSTATE.I masks it. */
		__asm__ volatile("wfi" ::: "memory");
	}
	vireo_gic_eoi(ack);
	sysreg_write(daif, daif);
	return VIREO_GIC_INTID(ack);
}
