/*
 * stage1.c: the hostile guest's own stage-1 map, for the phases that need
 * one (gicregs' misaligned accesses, the fetch phase).
 *
 * A 4 KiB-granule, 32-bit VA space (TCR_EL1.T0SZ 32: the walk starts at
 * level 1): the low GiB through a level-2 table (the GIC's and the UART's
 * 2 MiB as Device blocks, and an alias window of 4 KiB pages at
 * ALIAS_BASE through a level-3 table), the next GiB, where the RAM is, one
 * executable Normal block. Everything Normal is non-cacheable, so turning
 * the MMU on and off again needs no cache maintenance. The alias window's
 * pages point wherever a probe wants them: at the attack page, at the GIC
 * as Normal memory (where a misaligned access is allowed), at the GICC
 * page as executable memory.
 */
#include "hostile.h"

#define PTE_BLOCK 1UL
#define MAIR_DEVICE 0 /* attribute 0: Device-nGnRE; MAIR_NORMAL is 1 */
#define MAIR_VALUE (0x04UL | 0x44UL << 8)
#define S1_DEVICE (PTE_ATTR(MAIR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)
/* T0SZ 32, EPD1 (no TTBR1 walks), walks non-cacheable, 4 KiB, IPS 32 bits. */
#define TCR_VALUE (32UL | 1UL << 23)
#define SCTLR_M (1UL << 0)
#define SCTLR_A (1UL << 1)
#define SCTLR_WXN (1UL << 19)

static uint64_t pt_l1[512] __attribute__((aligned(4096)));
uint64_t pt_l2[512] __attribute__((aligned(4096)));
uint64_t pt_l3[512] __attribute__((aligned(4096)));
static uint64_t saved_sctlr, saved_tcr, saved_mair, saved_ttbr0;

/* Whether the RAM lies where this map puts it: in the second GiB. */
int mmu_possible(void)
{
	return ram_base >= GiB && ram_base + ram_size <= 2 * GiB;
}

void tlbi_all(void)
{
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

static void tlbi_page(uint64_t va)
{
	__asm__ volatile("dsb ishst; tlbi vae1, %0; dsb ish; isb" : : "r"(va >> 12) : "memory");
}

/* D8.16, "TLB maintenance requirements", for the maintenance. */
void alias_set(unsigned slot, uint64_t pte, int maintain)
{
	pt_l3[slot] = pte;
	if (maintain) {
		tlbi_page(ALIAS(slot));
	} else {
		__asm__ volatile("dsb ish; isb" ::: "memory");
	}
}

void mmu_on(void)
{
	for (unsigned i = 0; i < 512; i++) {
		pt_l1[i] = pt_l2[i] = pt_l3[i] = 0;
	}
	pt_l1[0] = (uint64_t)pt_l2 | PTE_TABLE;
	pt_l1[1] = GiB | PTE_BLOCK | S1_NORMAL;
	pt_l2[GICD_BASE >> 21] = (GICD_BASE & ~(2 * MiB - 1)) | PTE_BLOCK | S1_DEVICE;
	pt_l2[UART_BASE >> 21] = (UART_BASE & ~(2 * MiB - 1)) | PTE_BLOCK | S1_DEVICE;
	pt_l2[ALIAS_BASE >> 21] = (uint64_t)pt_l3 | PTE_TABLE;
	saved_sctlr = read_sysreg(sctlr_el1);
	saved_tcr = read_sysreg(tcr_el1);
	saved_mair = read_sysreg(mair_el1);
	saved_ttbr0 = read_sysreg(ttbr0_el1);
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_VALUE);
	write_sysreg(ttbr0_el1, (uint64_t)pt_l1);
	isb();
	tlbi_all();
	write_sysreg(sctlr_el1, (saved_sctlr | SCTLR_M) & ~(SCTLR_A | SCTLR_WXN));
	isb();
}

void mmu_off(void)
{
	write_sysreg(sctlr_el1, saved_sctlr);
	isb();
	write_sysreg(ttbr0_el1, saved_ttbr0);
	write_sysreg(tcr_el1, saved_tcr);
	write_sysreg(mair_el1, saved_mair);
	isb();
	tlbi_all();
	__asm__ volatile("ic iallu; dsb nsh; isb" ::: "memory");
}
