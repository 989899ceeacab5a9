/*
 * devprobe: what a VM sees of the host's devices (hv/core/devices.c).
 *
 * It looks at fixed addresses of QEMU's virt machine, whether or not the
 * VM was given the devices there, and prints what it finds, each line
 * checked by tests/integration/cases_devices.py:
 *   - where its RAM is (a VM that owns a DMA device has it at IPA = PA);
 *   - the PL061 GPIO controller's identification registers (a page of its
 *     own, mapped when assigned), or that the read aborted;
 *   - the two highest virtio-mmio transports (512 bytes each, eight to a
 *     page, reached through Vireo when assigned): magic, version and
 *     device ID, or the abort;
 *   - with a virtio entropy device among them, it drives it as a driver
 *     would (legacy virtio-mmio, one queue, one buffer the device fills by
 *     DMA), waiting in WFI for the device's interrupt through its virtual
 *     GIC (v3 or v2, whichever it has), and prints how many bytes came, in how many interrupts, and
 *     the instructions from the notify to the handler (the virtual counter
 *     counts instructions under -icount: make bench reads it).
 * Then it powers off.
 */
#include "guest.h"

#define PL061_BASE 0x09030000UL
#define VIRTIO_BASE 0x0a000000UL
#define VIRTIO_STRIDE 0x200UL
#define VIRTIO_SPI0 48 /* transport i raises INTID 48 + i on virt */
#define PROBED_FIRST 30 /* the transports QEMU fills first: 31, then 30 */

#define GICD_BASE 0x08000000UL
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_IROUTER 0x6000
#define GICD_ITARGETSR 0x800
#define GICR_BASE 0x080a0000UL
#define GICR_WAKER 0x14
#define GICC_BASE 0x08010000UL /* a GICv2's CPU interface */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

/* Legacy (version 1) virtio-mmio registers (virtio 1.2, 4.2.4). */
#define VIRTIO_MAGIC 0x000
#define VIRTIO_VERSION 0x004
#define VIRTIO_DEVICE_ID 0x008
#define VIRTIO_GUEST_FEATURES 0x020
#define VIRTIO_GUEST_PAGE_SIZE 0x028
#define VIRTIO_QUEUE_SEL 0x030
#define VIRTIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_QUEUE_NUM 0x038
#define VIRTIO_QUEUE_ALIGN 0x03c
#define VIRTIO_QUEUE_PFN 0x040
#define VIRTIO_QUEUE_NOTIFY 0x050
#define VIRTIO_INTERRUPT_STATUS 0x060
#define VIRTIO_INTERRUPT_ACK 0x064
#define VIRTIO_STATUS 0x070
#define VIRTIO_MAGIC_VALUE 0x74726976 /* "virt" */
#define VIRTIO_ID_ENTROPY 4
#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4

#define QUEUE_SIZE 8
#define DESC_F_WRITE 2
#define RNG_BYTES 16

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* The legacy layout: descriptors and the available ring in the first
 * page, the used ring at the next page boundary (QueueAlign 4096). */
struct vring {
	struct vring_desc desc[QUEUE_SIZE];
	uint16_t avail_flags, avail_idx, avail_ring[QUEUE_SIZE], used_event;
	uint8_t pad[4096 - 16 * QUEUE_SIZE - 6 - 2 * QUEUE_SIZE];
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[QUEUE_SIZE];
};

static bool gicv3; /* else a GICv2, through its memory-mapped CPU interface */
static struct vring ring __attribute__((aligned(4096)));
static uint8_t entropy[RNG_BYTES] __attribute__((aligned(64)));
static volatile unsigned irqs, irq_intid;
static volatile uint32_t irq_status;
static volatile uint64_t irq_at;
static uint64_t rng_base;

static void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

void guest_exception(struct guest_frame *f, int vector)
{
	uint32_t intid;

	if (guest_skip_abort(f, vector)) {
		return;
	}
	if (vector != VEC_CUR_SPX_IRQ) {
		guest_unhandled(f, vector);
	}
	intid = gicv3 ? read_sysreg(icc_iar1_el1) & 0xffffff : mmio_read32(GICC_BASE + GICC_IAR);
	irq_at = read_sysreg(cntvct_el0);
	if (rng_base) {
		irq_status = mmio_read32(rng_base + VIRTIO_INTERRUPT_STATUS);
		mmio_write32(rng_base + VIRTIO_INTERRUPT_ACK, irq_status);
	}
	if (gicv3) {
		write_sysreg(icc_eoir1_el1, intid);
	} else {
		mmio_write32(GICC_BASE + GICC_EOIR, intid);
	}
	intid &= 0x3ff;
	irq_intid = intid;
	irqs++;
}

static void probe_pl061(void)
{
	uint32_t id = 0;
	unsigned i, before = guest_aborts;

	/* PeriphID0-3, one byte each in the low bits of four words. */
	for (i = 0; i < 4; i++) {
		id |= (guest_peek32(PL061_BASE + 0xfe0 + 4 * i) & 0xff) << (8 * i);
	}
	if (guest_aborts != before) {
		printf("devprobe: pl061@%lx: abort\n", PL061_BASE);
	} else {
		printf("devprobe: pl061@%lx: id 0x%08x\n", PL061_BASE, id);
	}
}

/* The transport's device ID, or 0 if it aborted or holds no device. */
static uint32_t probe_virtio(unsigned i)
{
	uint64_t base = VIRTIO_BASE + i * VIRTIO_STRIDE;
	unsigned before = guest_aborts;
	uint32_t magic = guest_peek32(base + VIRTIO_MAGIC);
	uint32_t version = guest_peek32(base + VIRTIO_VERSION);
	uint32_t id = guest_peek32(base + VIRTIO_DEVICE_ID);

	if (guest_aborts != before) {
		printf("devprobe: virtio@%lx: abort\n", base);
		return 0;
	}
	printf("devprobe: virtio@%lx: magic %s, version %u, device %u\n", base,
	       magic == VIRTIO_MAGIC_VALUE ? "ok" : "bad", version, id);
	return magic == VIRTIO_MAGIC_VALUE ? id : 0;
}

/* The SPI in Group 1 to vCPU 0, enabled: a GICv3 through its system
 * registers, a GICv2 (ID_AA64PFR0_EL1.GIC 0) through GICC, Group 0. */
static void gic_init(unsigned intid)
{
	gicv3 = (read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf;
	if (gicv3) {
		write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
		isb();
		mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~2U);
		while (mmio_read32(GICR_BASE + GICR_WAKER) & 4U) {
		}
		mmio_write32(GICD_BASE + GICD_IGROUPR + intid / 32 * 4, 1U << (intid % 32));
		*(volatile uint64_t *)(GICD_BASE + GICD_IROUTER + 8 * intid) = 0; /* vCPU 0 */
	} else {
		*(volatile uint8_t *)(GICD_BASE + GICD_ITARGETSR + intid) = 1; /* CPU 0 */
	}
	mmio_write32(GICD_BASE + GICD_ISENABLER + intid / 32 * 4, 1U << (intid % 32));
	if (gicv3) {
		mmio_write32(GICD_BASE, 2); /* GICD_CTLR.EnableGrp1 */
		write_sysreg(icc_pmr_el1, 0xff);
		write_sysreg(icc_igrpen1_el1, 1);
		isb();
	} else {
		mmio_write32(GICD_BASE, 1); /* GICD_CTLR.EnableGrp0 */
		mmio_write32(GICC_BASE + GICC_PMR, 0xff);
		mmio_write32(GICC_BASE + GICC_CTLR, 1);
	}
}

/* One request to the entropy device at transport i: a buffer it fills. */
static void run_rng(unsigned i)
{
	uint64_t base = VIRTIO_BASE + i * VIRTIO_STRIDE;
	uint64_t sent;
	unsigned k, nonzero = 0;

	gic_init(VIRTIO_SPI0 + i);
	mmio_write32(base + VIRTIO_STATUS, 0);
	mmio_write32(base + VIRTIO_STATUS, STATUS_ACK | STATUS_DRIVER);
	mmio_write32(base + VIRTIO_GUEST_FEATURES, 0);
	mmio_write32(base + VIRTIO_GUEST_PAGE_SIZE, 4096);
	mmio_write32(base + VIRTIO_QUEUE_SEL, 0);
	if (mmio_read32(base + VIRTIO_QUEUE_NUM_MAX) < QUEUE_SIZE) {
		printf("devprobe: virtio-rng: queue too small\n");
		return;
	}
	mmio_write32(base + VIRTIO_QUEUE_NUM, QUEUE_SIZE);
	mmio_write32(base + VIRTIO_QUEUE_ALIGN, 4096);
	/* The device reads the ring and writes the buffer by these addresses:
	 * ours, which are the host's only if the VM is direct-mapped. */
	mmio_write32(base + VIRTIO_QUEUE_PFN, (uint32_t)((uint64_t)&ring >> 12));
	mmio_write32(base + VIRTIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);

	ring.desc[0] = (struct vring_desc){ (uint64_t)entropy, RNG_BYTES, DESC_F_WRITE, 0 };
	ring.avail_ring[0] = 0;
	__asm__ volatile("dmb ishst" ::: "memory");
	ring.avail_idx = 1;
	__asm__ volatile("dsb ish" ::: "memory");
	rng_base = base;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	sent = read_sysreg(cntvct_el0);
	mmio_write32(base + VIRTIO_QUEUE_NOTIFY, 0);
	while (irqs == 0) {
		__asm__ volatile("wfi" ::: "memory");
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	__asm__ volatile("dmb ish" ::: "memory");
	for (k = 0; k < RNG_BYTES; k++) {
		nonzero += entropy[k] != 0;
	}
	printf("devprobe: virtio-rng: interrupt %u, status %u, used %u, %u bytes, %u of them "
	       "nonzero\n",
	       irq_intid, irq_status, ring.used_idx, ring.used_ring[0].len, nonzero);
	printf("devprobe: virtio-rng: notify to handler %lu ticks\n", irq_at - sent);
}

int main(void)
{
	unsigned i, rng = 0;

	guest_install_vectors();
	printf("devprobe: RAM at 0x%lx\n", (uint64_t)&ring & ~0x1fffffUL);
	probe_pl061();
	for (i = 31; i >= PROBED_FIRST; i--) {
		if (probe_virtio(i) == VIRTIO_ID_ENTROPY && !rng) {
			rng = i;
		}
	}
	if (rng) {
		run_rng(rng);
	}
	printf("devprobe: done\n");
	psci_system_off();
}
