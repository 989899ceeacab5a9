/*
 * timer: the timers and interrupts a guest sees through Vireo's virtual
 * GICv3.
 *
 * It brings up its GIC as any bare-metal program for QEMU virt would
 * (system-register CPU interface, redistributor awake, Group 1 enabled),
 * then takes, with interrupts unmasked and waiting in WFI:
 *   - the EL1 physical timer's interrupt (PPI 30), which Vireo emulates;
 *   - the virtual timer's interrupt (PPI 27), hardware-linked;
 *   - an SGI it sends itself through ICC_SGI1R_EL1.
 * Before that it polls the physical timer's ISTATUS with interrupts off.
 * Every line it prints is checked by the integration tests.
 */
#include "guest.h"

#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080a0000UL /* vCPU 0's redistributor */
#define GICR_SGI_BASE (GICR_BASE + 0x10000)
#define GICR_WAKER 0x14
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100

#define PPI_PTIMER 30
#define PPI_VTIMER 27
#define SGI_TEST 5

#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL

static volatile uint32_t last_irq = 1023;
static volatile int irqs;

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

	if (vector != VEC_CUR_SPX_IRQ) {
		guest_unhandled(f, vector);
	}
	intid = read_sysreg(icc_iar1_el1) & 0xffffff;
	if (intid == PPI_PTIMER) {
		write_sysreg(cntp_ctl_el0, CTL_IMASK); /* drop the level */
	} else if (intid == PPI_VTIMER) {
		write_sysreg(cntv_ctl_el0, CTL_IMASK);
	}
	write_sysreg(icc_eoir1_el1, intid);
	last_irq = intid;
	irqs++;
}

static void gic_init(void)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~2U);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & 4U) {
	}
	mmio_write32(GICR_SGI_BASE + GICR_IGROUPR0, ~0U);
	mmio_write32(GICR_SGI_BASE + GICR_ISENABLER0,
		     (1U << PPI_PTIMER) | (1U << PPI_VTIMER) | (1U << SGI_TEST));
	mmio_write32(GICD_BASE, 2); /* GICD_CTLR.EnableGrp1 */
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

/* Waits, interrupts unmasked, until the next interrupt has been handled. */
static uint32_t wait_irq(void)
{
	int before = irqs;

	__asm__ volatile("msr daifclr, #2" ::: "memory");
	while (irqs == before) {
		__asm__ volatile("wfi" ::: "memory");
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	return last_irq;
}

static void poll_ptimer(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t ctl;

	/* Far enough off that a loaded host cannot pass it before the read. */
	write_sysreg(cntp_tval_el0, freq / 20); /* 50 ms */
	write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
	isb();
	printf("ptimer: armed, istatus=%lu\n", (read_sysreg(cntp_ctl_el0) & CTL_ISTATUS) >> 2);
	do {
		ctl = read_sysreg(cntp_ctl_el0);
	} while (!(ctl & CTL_ISTATUS));
	printf("ptimer: expired, istatus=1, cval<=now=%d\n",
	       read_sysreg(cntp_cval_el0) <= read_sysreg(cntpct_el0));
	write_sysreg(cntp_ctl_el0, 0);
}

int main(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint32_t intid;

	guest_install_vectors();
	printf("timer test: start\n");
	poll_ptimer();
	gic_init();

	write_sysreg(cntp_tval_el0, freq / 100); /* 10 ms */
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	intid = wait_irq();
	printf("irq: %u (physical timer)\n", intid);

	write_sysreg(cntv_tval_el0, freq / 100);
	write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	intid = wait_irq();
	printf("irq: %u (virtual timer)\n", intid);

	/* ICC_SGI1R_EL1: INTID in [27:24], target list bit 0 = vCPU 0. */
	write_sysreg(icc_sgi1r_el1, ((uint64_t)SGI_TEST << 24) | 1);
	isb();
	intid = wait_irq();
	printf("irq: %u (SGI to self)\n", intid);

	printf("timer test: done, %d interrupts\n", irqs);
	psci_system_off();
}
