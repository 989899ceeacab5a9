/*
 * The hardware-assisted way of running guests, as the core sees it: the
 * struct vmode that names this folder's functions, and the few that are
 * too small to live anywhere else.
 *
 * What each part of the contract (core/vmode.h) is here:
 *   CPU setup     el2_cpu_init(): no stage 2 and no traps while Vireo runs;
 *   memory        stage 2 with a VMID per VM (space.c, stage2.c);
 *   interrupts    the GIC's list registers (vgic_lr.c, with vgic_v3.c or
 *                 vgic_v2.c), so a guest acknowledges and ends its
 *                 interrupts without trapping; on a host without a GIC,
 *                 list registers in memory and a software GICv2 CPU
 *                 interface (vgic_sw.c), delivering through HCR_EL2.VI;
 *   vCPUs         the world switch (switch.c), lazy FP/SIMD (fpsimd.c),
 *                 lazy self-hosted debug (debug.c) and the virtual PMU
 *                 over the real one (vpmu.c);
 *   addresses     the hardware's own walker (guest_at.c);
 *   own timer     the EL2 physical timer, CNTHP.
 */
#include "arch/aarch64/el2/debug.h"
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/fpsimd.h"
#include "arch/aarch64/el2/hyp_regs.h"
#include "arch/aarch64/el2/vgic_hw.h"
#include "arch/aarch64/el2/vpmu.h"
#include "core/printk.h"

void secondary_entry(void); /* entry.S */

static paddr_t el2_secondary_entry(void)
{
	return pa((uintptr_t)secondary_entry);
}

void el2_cpu_init(void)
{
	/* No stage 2 and no traps while Vireo itself runs. Guests' accesses to
	 * the PMU registers trap: the PMU's state is emulated per vCPU over
	 * the real counters (vpmu.c). The debug registers trap until a vCPU's
	 * are loaded (debug.c), the OS lock and debug ROM registers always;
	 * TDE stays clear, so the guests' debug exceptions go to their own
	 * EL1. HSTR_EL2, whose bit n traps an AArch32 EL1's CP15 accesses
	 * with CRn (or, for MCRR/MRRC, CRm) n, resets to an UNKNOWN value:
	 * left as firmware had it, an AArch32 VM's SCTLR or TTBR writes could
	 * trap and be made undefined (trap_aarch32.c). */
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(hstr_el2, 0);
	write_sysreg(vttbr_el2, 0);
	fpsimd_cpu_init();
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TTA);
	write_sysreg(mdcr_el2, MDCR_EL2_TRAPS | vpmu_cpu_init());
	debug_cpu_init();
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	isb();
}

/* Vireo's own address space now has all of RAM; VMs will get the host
 * GIC's list registers, or software's where it has none. */
static void el2_init(const struct platform *p)
{
	el2_map_ram(p);
	vgic_hw_init(p);
}

/* Vireo's own timer: the EL2 physical timer, whose interrupt the irqchip
 * names IRQ_HYP_TIMER. */
static void el2_timer_set(uint64_t deadline)
{
	if (deadline == ~0UL) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, deadline);
		write_sysreg(cnthp_ctl_el2, 1); /* ENABLE, not masked */
	}
	isb();
}

static void el2_dump(void)
{
	struct pcpu *cpu = this_cpu();

	printk("  CPU %u  ESR_EL2 %016lx  ELR_EL2 %016lx\n", cpu ? cpu->id : 0,
	       read_sysreg(esr_el2), read_sysreg(elr_el2));
	printk("  FAR_EL2 %016lx  HPFAR_EL2 %016lx  SPSR_EL2 %016lx\n", read_sysreg(far_el2),
	       read_sysreg(hpfar_el2), read_sysreg(spsr_el2));
}

const struct vmode el2_mode = {
	.name = "EL2",
	.secondary_entry = el2_secondary_entry,
	.init = el2_init,
	.map_device = el2_map_device,
	.vm_init = el2_vm_init,
	.vm_map = el2_vm_map,
	.vm_destroy = el2_vm_destroy,
	.vgic_version = vgic_hw_version,
	.vm_irq_attach = vgic_hw_attach,
	.vm_irq_reset = vgic_hw_reset,
	.vcpu_reset = el2_vcpu_reset,
	.vcpu_load = el2_vcpu_load,
	.vcpu_put = el2_vcpu_put,
	.run = el2_run,
	.va_to_ipa = el2_va_to_ipa,
	.el1_read = el2_el1_read,
	.el1_write = el2_el1_write,
	.pmu_access = vpmu_access,
	.pmu_overflow = vpmu_overflow,
	.vcpu_flush = fpsimd_flush,
	.fp_reg = fpsimd_reg,
	.debug_points = debug_points,
	.vm_report_map = el2_vm_report_map,
	.timer_set = el2_timer_set,
	.dump = el2_dump,
};
