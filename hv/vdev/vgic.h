/*
 * The virtual GICv3 each VM sees: an emulated distributor and one emulated
 * redistributor per vCPU, backed by the CPU's virtual CPU interface (the
 * ICH_* list registers), which the guest drives directly through its ICC_*
 * system registers.
 *
 * With g->v2 it is a GICv2 instead: the same model with that version's
 * distributor registers, SGIs pending per sender and SPIs targeted by CPU
 * masks (GICD_ITARGETSR), and the hardware's GICV or a software GICC as
 * the CPU interface.
 *
 * The model (vgic.c, vgic_mmio.c) is pure logic over struct vgic, indexed
 * by vCPU number, so the host unit tests run it; the mode's interrupt
 * back end (arch/aarch64/el2/vgic_lr.c) moves its decisions in and out of
 * the list registers and kicks vCPUs on other physical CPUs. A VM with an
 * ITS also has LPIs (vgic_lpi.h, vgic_its.h).
 */
#ifndef VIREO_VGIC_H
#define VIREO_VGIC_H

#include "arch/aarch64/spinlock.h"
#include "core/types.h"

#define VGIC_MAX_VCPUS 8
#define VGIC_NR_PRIVATE 32 /* SGIs 0-15 and PPIs 16-31, per vCPU */
#define VGIC_NR_SPIS 96    /* INTIDs 32-127 */
#define VGIC_NR_IRQS (VGIC_NR_PRIVATE + VGIC_NR_SPIS)
#define VGIC_MAX_LRS 16

struct vgic_lpis;

#define VGIC_DIST_SIZE 0x10000UL
#define VGIC_REDIST_STRIDE 0x20000UL /* RD_base and SGI_base frames */

/* One interrupt's state, as the GIC architecture defines it (IHI 0069,
 * 4.1 "Interrupt handling state machine"). */
struct virq {
	uint8_t priority;
	bool enabled;
	bool group1;
	bool edge;    /* ICFGR: edge-triggered, else level-sensitive */
	bool latched; /* pending from an edge, ISPENDR or an SGI */
	bool level;   /* a level-sensitive interrupt's input line */
	bool active;
	bool hw;      /* deactivation also deactivates the same physical INTID */
	uint64_t route; /* SPIs: GICD_IROUTER (Aff3.Aff2.Aff1.Aff0, IRM = 0); on a
			 * GICv2 the one of its targets that takes it */
};

struct vgic_cpu {
	struct virq private_irqs[VGIC_NR_PRIVATE];
	/* Private interrupts that may be pending or active (a superset:
	 * vgic_fill_lrs() clears the bits of those that are not), and whether
	 * anything changed for this vCPU since the last fill. They let the
	 * entry path skip the list registers when nothing is going on. */
	uint32_t live;
	bool dirty;
	uint64_t mpidr;  /* affinity the redistributor reports */
	bool sleeping;   /* GICR_WAKER.ProcessorSleep */
	uint64_t lr[VGIC_MAX_LRS];
	unsigned used_lrs;
	/* List registers a fill made pending that the guest has not taken yet
	 * (bit n: LR n), and how many it took: its interrupts delivered. */
	uint32_t lr_pending;
	uint64_t taken;
	/* Hardware-linked private interrupts whose line is high (bit n: INTID
	 * n), which the mode reads back at each exit (vgic_lower_hw_line()).
	 * Next to used_lrs: an exit with neither has nothing to do. */
	uint32_t hw_high;
};

/* A GICv2 CPU's SGIs, pending once per sending CPU (IHI 0048B 3.2.3):
 * each SGI's senders pending (its latched mirrors "any"), and the one
 * whose SGI is active. Apart from struct virq and struct vgic_cpu, which
 * the entry path walks and which they would make larger for a GICv3. */
struct vgic_v2_sgis {
	uint8_t sources[16];
	uint8_t active_source[16];
};

struct vgic {
	spinlock_t lock;
	bool v2; /* a GICv2 distributor (vgic_v2.c sets it), else a GICv3 */
	uint32_t ctlr; /* GICD_CTLR group enables */
	unsigned nr_vcpus;
	struct virq spis[VGIC_NR_SPIS];
	uint64_t spi_live[(VGIC_NR_SPIS + 63) / 64]; /* as vgic_cpu.live, for SPIs */
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
	/* LPIs and the ITS, for a VM configured with one (vgic_lpi.h); NULL:
	 * none. Kept apart, and allocated only where wanted: it is large. */
	struct vgic_lpis *lpi;
	/* Asks vCPU idx to notice new pending state soon (vgic_lr.c; a fake in
	 * the unit tests). Called with the lock held. */
	void (*kick)(struct vgic *g, unsigned idx);
	void *owner;
	uint8_t spi_targets[VGIC_NR_SPIS]; /* GICv2: GICD_ITARGETSR, CPU masks */
	/* Hardware-linked SPIs (a host device's, core/devices.c): the physical
	 * INTID behind each, 0 for none. Whoever linked them is told, with the
	 * lock held, when a register write changed one: the vCPU it now
	 * targets (-1: none), and whether it is now neither pending nor
	 * active, so that no guest will deactivate its physical twin. */
	uint16_t spi_pintid[VGIC_NR_SPIS];
	void (*hw_spi_changed)(struct vgic *g, unsigned intid, int target, bool idle);
	struct vgic_v2_sgis v2_sgis[VGIC_MAX_VCPUS];
};

/* The state of a vCPU's GIC CPU interface that the vCPU owns while it is
 * not loaded: its priority mask, binary points and group enables (in the
 * layout of the host's virtual machine control register: ICH_VMCR_EL2 on
 * a GICv3, GICH_VMCR on a GICv2 and in the software interface,
 * vgic_cpuif.c) and its active priorities. Whoever delivers the interrupts
 * keeps it here. */
struct vgic_cpu_if {
	uint64_t vmcr;
	uint64_t apr0, apr1;
};

/* ICH_LR<n>_EL2 fields (Arm ARM D19, ICH_LR<n>_EL2; GIC IHI 0069 12.5.x). */
#define LR_VINTID GENMASK(31, 0)
#define LR_PINTID GENMASK(44, 32)
#define LR_EOI BIT(41) /* maintenance interrupt on EOI (HW = 0 only) */
/* Not in ICH_LR: a GICv2 SGI's source CPU (HW = 0 only, in bits a GICv3
 * leaves RES0; vgic_v2.c moves it to GICH_LR.CPUID, vgic_cpuif.c to IAR). */
#define LR_SGI_SOURCE GENMASK(44, 42)
#define LR_PRIORITY GENMASK(55, 48)
#define LR_GROUP BIT(60)
#define LR_HW BIT(61)
#define LR_PENDING BIT(62)
#define LR_ACTIVE BIT(63)

void vgic_init(struct vgic *g, unsigned nr_vcpus, const uint64_t *mpidrs);

/* Interrupt inputs. intid < 32 names vCPU idx's private interrupt. */
void vgic_set_level(struct vgic *g, unsigned idx, unsigned intid, bool level);
void vgic_trigger(struct vgic *g, unsigned idx, unsigned intid);
/* Marks a private interrupt as linked to its physical twin (the timer). */
void vgic_set_hw(struct vgic *g, unsigned idx, unsigned intid);
/* Links SPI intid to physical SPI pintid: its list register has the HW
 * bit, so the guest's deactivation ends the physical one too. Each firing
 * of the physical one makes it pending (vgic_trigger()), whatever its
 * trigger: the physical interrupt stays active until the guest is done,
 * and a level that is still high fires again then. */
void vgic_link_spi(struct vgic *g, unsigned intid, unsigned pintid);
/* The vCPU SPI intid is routed to, or -1. */
int vgic_spi_target(struct vgic *g, unsigned intid);
/* A hardware-linked private interrupt's line (a level: the timer's), high
 * when its physical twin fired, low when an exit finds the device's output
 * low. Lowering returns true when the interrupt is then neither pending
 * nor active, so that nothing will deactivate the physical twin: the
 * caller must. */
void vgic_raise_hw_line(struct vgic *g, unsigned idx, unsigned intid);
bool vgic_lower_hw_line(struct vgic *g, unsigned idx, unsigned intid);
/* A write to ICC_SGI1R_EL1 by vCPU idx. */
void vgic_send_sgi(struct vgic *g, unsigned idx, uint64_t sgi1r);

/* Before entering vCPU idx: the list register values to load (up to
 * nr_lrs), highest priority first; sets *underflow when more interrupts
 * wait than fit. Returns the number used. After the vCPU exits,
 * vgic_sync_lrs() takes back the state the guest left in them. */
unsigned vgic_fill_lrs(struct vgic *g, unsigned idx, uint64_t *lrs, unsigned nr_lrs,
		       bool *underflow);
void vgic_sync_lrs(struct vgic *g, unsigned idx, const uint64_t *lrs, unsigned n);
/* Whether vgic_fill_lrs() has anything to do for vCPU idx: false when no
 * interrupt changed state for it since a fill that found none. A racy read
 * is fine: whoever makes an interrupt pending also kicks the vCPU. */
static inline bool vgic_needs_fill(const struct vgic *g, unsigned idx)
{
	return g->cpu[idx].dirty;
}

/* Whether vCPU idx has an interrupt to take (a reason to leave WFI). */
bool vgic_has_pending(struct vgic *g, unsigned idx);
/* Each interrupt that is enabled, pending or active, for a debugger
 * (gdb.c): private ones with their vCPU, SPIs with 0. Under the lock: fn
 * must not come back here. A vCPU's list registers are its own until it
 * exits, so a running vCPU's interrupts may have moved on. */
typedef void vgic_report_fn(void *ctx, unsigned idx, unsigned intid, const struct virq *v);
void vgic_report(struct vgic *g, vgic_report_fn *fn, void *ctx);

/* Register accesses by vCPU idx, offset from the distributor's base or
 * from a vCPU frame's redistributor base (vgic_mmio.c). False: the access
 * is refused. */
bool vgic_dist_read(struct vgic *g, unsigned idx, uint64_t off, unsigned size, uint64_t *val);
bool vgic_dist_write(struct vgic *g, unsigned idx, uint64_t off, unsigned size, uint64_t val);
bool vgic_redist_read(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		      uint64_t *val);
bool vgic_redist_write(struct vgic *g, unsigned frame, uint64_t off, unsigned size,
		       uint64_t val);

/* Kicks the vCPU that should take intid if it is now deliverable; for
 * register writes (vgic_mmio.c). Called with the lock held. */
void vgic_update(struct vgic *g, unsigned idx, unsigned intid);
/* The same after a write cleared intid's pending or active state
 * (GICD_ICPENDR, GICD_ICACTIVER): a hardware-linked SPI left neither is
 * reported idle to its owner, whose physical twin no guest will end. */
void vgic_cleared(struct vgic *g, unsigned idx, unsigned intid);

/* The interrupt state for intid as seen from vCPU idx, or NULL. */
struct virq *vgic_irq(struct vgic *g, unsigned idx, unsigned intid);

#endif
