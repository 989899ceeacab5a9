/*
 * vireo_pv.h: Vireo's paravirtual interface, for a bare-metal or RTOS guest.
 *
 * docs/hypercalls.md is the specification; this header restates its
 * numbers and layouts for C, and vireo_pv.c wraps each call. Nothing here
 * needs the rest of guests/common: only <stdint.h>, an AArch64 compiler and
 * a guest at EL1. Copy the two files into another code base as they are.
 *
 *   - the SMCCC function IDs and return codes of Vireo's vendor service
 *     (owner 6), of Arm PV time (owner 5) and of the SMCCC TRNG (owner 4);
 *   - struct vireo_shared_page, the per-vCPU page Vireo fills in, and a
 *     consistent-read helper for it (its sequence counter);
 *   - one wrapper per call, over HVC or SMC (vireo_pv_conduit);
 *   - a small message protocol over a channel's shared memory, with the
 *     doorbell rung after each message;
 *   - helpers for the VM's GIC, a GICv3 or a GICv2 (QEMU virt's layout),
 *     told apart at run time: bring up this vCPU's CPU interface, enable
 *     and route an SPI (a doorbell) to it, and wait for an interrupt with
 *     interrupts masked (no vector table needed).
 *
 * Memory: with its MMU off a guest's accesses are Device accesses, which
 * bypass the caches while Vireo writes through its own cacheable mapping.
 * QEMU does not model caches, so an MMU-off guest works there; on hardware
 * map the shared page and the channel memory Normal write-back first.
 * Every access this library makes is naturally aligned, as Device memory
 * requires.
 */
#ifndef VIREO_PV_H
#define VIREO_PV_H

#include <stdint.h>

/* --- return codes (x0, as a signed 64-bit value) --------------------------- */

#define VIREO_SUCCESS 0
#define VIREO_NOT_SUPPORTED (-1)      /* unknown ID, or not offered on this machine */
#define VIREO_INVALID_PARAMETERS (-2) /* a bad argument; nothing changed */
#define VIREO_DENIED (-3)             /* the configuration does not allow it */
#define VIREO_TRNG_NO_ENTROPY (-3)    /* TRNG_RND*: no entropy right now */

/* --- Vireo's own calls: vendor-specific hypervisor service (owner 6) -------- */

#define VIREO_FN_VERSION 0x86000000U       /* -> 0x10000 (1.0) */
#define VIREO_FN_NULL 0x86000001U          /* -> 0 */
#define VIREO_FN_SHARED_PAGE 0xc6000002U   /* x1 = IPA or 0 -> 0 / -2 */
#define VIREO_FN_CONSOLE_WRITE 0xc6000003U /* x1 = IPA, x2 = length -> length / -2 */
#define VIREO_FN_YIELD 0x86000004U         /* -> 0 */
#define VIREO_FN_CHANNEL_INFO 0xc6000005U  /* x1 = id -> 0 + x1..x3 / -2 / -3 */
#define VIREO_FN_DOORBELL 0x86000006U      /* w1 = id -> 0 / -2 / -3 */
#define VIREO_FN_EXIT_STATS 0xc6000007U    /* x1 = vCPU, x2 = kind, x3 = key -> count / -2 */
#define VIREO_FN_CALL_UID 0x8600ff01U      /* -> the UUID in w0..w3 */
#define VIREO_FN_REVISION 0x8600ff03U      /* -> w0 = 1, w1 = 0 */

#define VIREO_VERSION_1_0 0x10000U
#define VIREO_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define VIREO_CONSOLE_MAX 4096U /* longest CONSOLE_WRITE */

/* Vireo's UUID 9ce1d6a6-3c5e-4f6b-a8e1-0b5c7d3f2e91 as CALL_UID returns it:
 * first byte in the low byte of w0. */
#define VIREO_UID_W0 0xa6d6e19cU
#define VIREO_UID_W1 0x6b4f5e3cU
#define VIREO_UID_W2 0x5c0be1a8U
#define VIREO_UID_W3 0x912e3f7dU

/* --- Arm PV time (DEN0057A; owner 5) ---------------------------------------- */

#define VIREO_FN_SMCCC_VERSION 0x80000000U
#define VIREO_FN_SMCCC_ARCH_FEATURES 0x80000001U
#define VIREO_FN_PV_TIME_FEATURES 0xc5000020U /* x1 = ID -> 0 / -1 */
#define VIREO_FN_PV_TIME_ST 0xc5000021U       /* -> IPA of this vCPU's record */

#define VIREO_PVTIME_IPA 0x090a0000UL /* the records' page (read-only) */

/* One per vCPU, in vCPU order, 64 bytes apart. */
struct vireo_pvtime_record {
	uint32_t revision;    /* 0 */
	uint32_t attributes;  /* 0 */
	uint64_t stolen_time; /* ns */
	uint8_t padding[48];
};

/* --- SMCCC TRNG (DEN0098; owner 4) -------------------------------------------- */

#define VIREO_FN_TRNG_VERSION 0x84000050U  /* -> 0x10000 */
#define VIREO_FN_TRNG_FEATURES 0x84000051U /* x1 = ID -> 0 / -1 */
#define VIREO_FN_TRNG_GET_UUID 0x84000052U /* -> UUID in w0..w3 */
#define VIREO_FN_TRNG_RND32 0x84000053U    /* x1 = N (1..96) -> bits in w1..w3 */
#define VIREO_FN_TRNG_RND64 0xc4000053U    /* x1 = N (1..192) -> bits in x1..x3 */

/* --- the shared page ------------------------------------------------------ */

#define VIREO_PAGE_SIZE 4096U
#define VIREO_PAGE_LAYOUT 1U
#define VIREO_FEAT_STEAL (1ULL << 0)
#define VIREO_FEAT_CONSOLE (1ULL << 1)
#define VIREO_FEAT_CHANNELS (1ULL << 2)
#define VIREO_FEAT_YIELD (1ULL << 3)

/* Little endian, as docs/hypercalls.md lays it out; 4 KiB, page aligned,
 * in the VM's RAM. Vireo writes it (sequence odd meanwhile) each time the
 * vCPU is scheduled in or out; guest_flags is the guest's alone. */
struct vireo_shared_page {
	uint32_t layout;       /*  0: VIREO_PAGE_LAYOUT */
	uint32_t sequence;     /*  4: odd while Vireo writes */
	uint64_t features;     /*  8: VIREO_FEAT_* */
	uint64_t guest_flags;  /* 16: the guest's own */
	uint32_t vcpu_id;      /* 24: Aff0 of the vCPU's MPIDR */
	uint32_t preempted;    /* 28: 1 while it waits for its CPU */
	uint64_t stolen_ns;    /* 32: runnable but waiting, since the VM started */
	uint64_t running_ns;   /* 40: running, since the VM started */
	uint32_t pending_irqs; /* 48: nonzero when a virtual interrupt waits */
	uint8_t reserved[VIREO_PAGE_SIZE - 52]; /* 52: zero */
} __attribute__((aligned(VIREO_PAGE_SIZE)));

_Static_assert(sizeof(struct vireo_shared_page) == VIREO_PAGE_SIZE, "one page");
_Static_assert(__builtin_offsetof(struct vireo_shared_page, stolen_ns) == 32, "stolen_ns");
_Static_assert(__builtin_offsetof(struct vireo_shared_page, pending_irqs) == 48, "pending");

/* A consistent copy of the fields Vireo writes. */
struct vireo_pv_snapshot {
	uint32_t layout, sequence;
	uint64_t features;
	uint32_t vcpu_id, preempted;
	uint64_t stolen_ns, running_ns;
	uint32_t pending_irqs;
};

/* --- making calls ------------------------------------------------------------ */

/* x0..x3 after a call. */
struct vireo_smccc_res {
	uint64_t a0, a1, a2, a3;
};

enum vireo_conduit { VIREO_CONDUIT_HVC, VIREO_CONDUIT_SMC };

/* The conduit every wrapper below uses; HVC unless set otherwise. Vireo
 * serves both the same. */
extern enum vireo_conduit vireo_pv_conduit;

/* Any SMCCC call: fn in w0, a1..a3 in x1..x3; x4..x17 are clobbered. */
struct vireo_smccc_res vireo_smccc(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* --- one wrapper per call ------------------------------------------------------ */

int64_t vireo_version(void);
int64_t vireo_null(void);
/* ipa: a page-aligned page of RAM, or 0 to stop sharing. */
int64_t vireo_shared_page_set(uint64_t ipa);
static inline int64_t vireo_shared_page_set_ptr(struct vireo_shared_page *p)
{
	return vireo_shared_page_set((uint64_t)(uintptr_t)p); /* MMU off: VA == IPA */
}
/* Returns len, or -2. */
int64_t vireo_console_write(const void *buf, uint64_t len);
int64_t vireo_yield(void);

struct vireo_channel {
	uint32_t id;
	uint64_t ipa;   /* its shared memory */
	uint64_t size;  /* bytes, whole pages */
	uint32_t intid; /* its doorbell: an edge-triggered SPI */
	uint32_t end;   /* which end this VM is: 0 or 1 */
};

/* 0 and *out filled in, -2 (no such channel) or -3 (not an end of it). */
int64_t vireo_channel_info(uint64_t id, struct vireo_channel *out);
/* Raises the channel's doorbell in the other VM: 0, -2 or -3. */
int64_t vireo_doorbell(uint32_t id);
/* Fills w[0..3] with CALL_UID's answer; returns x0. */
int64_t vireo_uid(uint32_t w[4]);

/* VIREO_FN_EXIT_STATS: how often a vCPU of this VM (or all of them) made
 * Vireo do one kind of thing; kinds and keys as docs/hypercalls.md lists. */
#define VIREO_STATS_ALL_VCPUS 0xffffffffU
enum vireo_stats_kind {
	VIREO_STATS_EXITS,          /* every exit to Vireo */
	VIREO_STATS_SYNC,           /* exits of exception class key (ESR_EL2.EC) */
	VIREO_STATS_IRQS,           /* exits for a physical interrupt */
	VIREO_STATS_CALL,           /* HVC/SMC calls of function ID key */
	VIREO_STATS_SYSREG,         /* trapped accesses to register key (op0:op1:CRn:CRm:op2) */
	VIREO_STATS_MMIO,           /* emulated accesses to the device at IPA key */
	VIREO_STATS_WFI_SLEEPS,     /* WFIs that gave the CPU away */
	VIREO_STATS_GUEST_TICKS,    /* counter ticks in the guest */
	VIREO_STATS_VIREO_TICKS,    /* counter ticks in Vireo on its behalf */
	VIREO_STATS_OTHER_SYSREGS,  /* register accesses not counted by encoding */
	VIREO_STATS_OTHER_CALLS,    /* calls not counted by function ID */
	VIREO_STATS_IRQS_TAKEN,     /* virtual interrupts the guest took */
};
int64_t vireo_exit_stats(uint32_t vcpu, enum vireo_stats_kind kind, uint64_t key);
/* REVISION: returns the major revision (w0) and puts the minor (w1) in
 * *minor. */
int64_t vireo_revision(uint32_t *minor);
/* Whether CALL_UID says this is Vireo. */
int vireo_detect(void);

int64_t vireo_pv_time_features(uint32_t fn);
int64_t vireo_pv_time_st(void); /* the IPA of this vCPU's record, or -1 */

/* --- the shared page, read consistently -------------------------------------- */

/* Copies the page's fields while its sequence count is even and unchanged
 * across the copy; retries otherwise. Returns the sequence count. */
uint32_t vireo_shared_page_read(const struct vireo_shared_page *p, struct vireo_pv_snapshot *out);

/* --- messages over a channel ---------------------------------------------------- */
/*
 * The channel's memory holds two one-slot mailboxes, one per direction:
 * end e sends through the one at offset e * size / 2, and receives through
 * the other. A mailbox is
 *
 *     u32 seq;   number of messages sent through it (the sender writes it)
 *     u32 ack;   number of messages taken out of it (the receiver writes it)
 *     u32 len;   bytes in data (the sender writes it)
 *     u32 zero;
 *     u8  data[size / 2 - 16];
 *
 * The slot is full while seq != ack. To send, the sender waits for an
 * empty slot, writes data and len, then seq + 1 (after a barrier), then
 * rings the doorbell. To receive, the receiver reads seq; when it differs
 * from ack it copies data and len out, then writes ack = seq (after a
 * barrier). Memory starts zeroed (Vireo zeroes it at boot): both empty.
 */
struct vireo_mailbox {
	uint32_t seq;
	uint32_t ack;
	uint32_t len;
	uint32_t zero;
	uint8_t data[];
};

#define VIREO_MSG_EMPTY (-100)   /* recv: nothing waiting */
#define VIREO_MSG_FULL (-101)    /* send: the previous message is not taken yet */
#define VIREO_MSG_TOO_LONG (-102) /* send: more than the slot holds;
				    recv: more than the buffer holds (left in place) */

/* Bytes one message can hold on this channel. */
uint32_t vireo_msg_capacity(const struct vireo_channel *ch);
/* Puts a message in this end's outgoing slot and rings the doorbell:
 * 0, VIREO_MSG_FULL, VIREO_MSG_TOO_LONG, or DOORBELL's error (-2, -3; the
 * message is in place even then). */
int64_t vireo_msg_send(const struct vireo_channel *ch, const void *buf, uint32_t len);
/* Takes the message waiting in the incoming slot: its length,
 * VIREO_MSG_EMPTY or VIREO_MSG_TOO_LONG. */
int64_t vireo_msg_recv(const struct vireo_channel *ch, void *buf, uint32_t max);
/* vireo_msg_recv, waiting for the doorbell (vireo_gic_wait_irq) while
 * the slot is empty. The doorbell must be enabled (vireo_gic_enable_spi). */
int64_t vireo_msg_wait(const struct vireo_channel *ch, void *buf, uint32_t max);
/* vireo_msg_send, waiting (polling with YIELD) while the slot is full. */
int64_t vireo_msg_send_wait(const struct vireo_channel *ch, const void *buf, uint32_t len);

/* --- the GIC ------------------------------------------------------------------------- */

/* Where Vireo's VMs find their GIC (QEMU virt's layout): the distributor,
 * and then a GICv3's redistributors or a GICv2's CPU interface. */
#define VIREO_GICD_BASE 0x08000000UL
#define VIREO_GICR_BASE 0x080a0000UL /* GICv3 */
#define VIREO_GICR_STRIDE 0x20000UL
#define VIREO_GICC_BASE 0x08010000UL /* GICv2 */
#define VIREO_INTID_SPURIOUS 1023U

/* The INTID in what vireo_gic_ack() returns (these helpers enable no
 * LPIs, so every INTID fits in 10 bits). */
#define VIREO_GIC_INTID(ack) ((uint32_t)(ack) & 0x3ffU)

/* The VM's GIC: 3 for a GICv3 (or v4: system-register CPU interface,
 * redistributors), 2 for a GICv2 (memory-mapped CPU interface, GICD_SGIR),
 * 0 when the distributor says neither. Read from the distributor's
 * GICD_PIDR2 on the first call (vireo_pv.c says why not ID_AA64PFR0). */
int vireo_gic_version(void);
/* Brings up the calling vCPU's side. GICv3: system-register CPU interface,
 * its redistributor awake, priority mask open, Group 1 on (here and in the
 * distributor). GICv2: priority mask open, Group 0 on in the CPU interface
 * and the distributor (every interrupt stays in Group 0, as under Linux).
 * 0, or -1 when there is no GIC of either kind or (GICv3) no redistributor
 * has this vCPU's affinity. */
int vireo_gic_init(void);
/* Priority prio (lower is more urgent), edge- or level-triggered, routed
 * to the calling vCPU (GICv3: GICD_IROUTER, Group 1; GICv2: its
 * GICD_ITARGETSR bit, Group 0), enabled. */
void vireo_gic_enable_spi(uint32_t intid, uint8_t prio, int edge);
/* Acknowledges the most urgent pending interrupt and returns the
 * acknowledge register's value (ICC_IAR1_EL1 or GICC_IAR): its INTID
 * (VIREO_GIC_INTID; 1020-1023 for none), with, for a GICv2 SGI, the
 * sending CPU's number in bits [12:10]. */
uint32_t vireo_gic_ack(void);
/* Ends it (priority drop and deactivation): ack is what vireo_gic_ack()
 * returned, as it is (a GICv2 wants an SGI's sender back). */
void vireo_gic_eoi(uint32_t ack);
/* Waits with interrupts masked (WFI wakes for a pending one anyway) until
 * an interrupt is pending, then acknowledges and ends it: its INTID. */
uint32_t vireo_gic_wait_irq(void);

#endif
