/*
 * Vireo's EL2 translation tables: an identity map (virtual == physical),
 * so a physical address is a usable pointer and guest RAM is reachable
 * without mapping it on demand.
 *
 * One table tree, grown in two steps on the boot CPU:
 *   1. mmu_early_init(), before the device tree is read: Vireo's image in
 *      pages (its code executable and read-only, its read-only data
 *      read-only, the rest writable; nothing writable is executable:
 *      SCTLR_EL2.WXN), less the guard page below each CPU's stack and
 *      emergency stack (el2.h, struct el2_stack), and the 2 MiB around the
 *      device tree as Normal memory; then the MMU goes on, and the board's
 *      early console is mapped like any device.
 *      This lets libfdt and C run with caches on and without the alignment
 *      faults that Device memory (all memory, MMU off) would give.
 *   2. el2_map_ram(), once the machine is known: every RAM bank as Normal
 *      memory, added around what step 1 mapped; then el2_map_device() for
 *      each device a driver asks for, as Device memory. Only invalid
 *      entries are written, so no break-before-make is needed (Arm ARM
 *      D8.16). The guard pages are never mapped, by either step, and
 *      el2_map_ram() asks the MMU itself that they fault.
 * The tables live in a static pool inside Vireo's image, which step 1
 * maps: they can be written before the page allocator's memory is mapped.
 * Secondary CPUs enable their MMU on the same tables in entry.S, from the
 * register values in mmu_boot_regs. Guest memory is mapped for guests by
 * stage2.c, not here.
 */
#include "arch/aarch64/el2/mmu.h"

#include "arch/aarch64/cache.h"
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/hyp_regs.h"
#include "core/mem.h"
#include "core/panic.h"

/* AP[2] set: read-only (the EL2 regime has no unprivileged access). */
#define PTE_EL2_AP_RO (PTE_EL2_AP_RW | BIT(7))
#define EL2_MEM (PTE_ATTRINDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF)
#define EL2_NORMAL (EL2_MEM | PTE_EL2_AP_RW | PTE_XN)
#define EL2_TEXT (EL2_MEM | PTE_EL2_AP_RO)
#define EL2_RODATA (EL2_MEM | PTE_EL2_AP_RO | PTE_XN)
#define EL2_DEVICE (PTE_ATTRINDX(MAIR_IDX_DEVICE) | PTE_EL2_AP_RW | PTE_AF | PTE_XN)

struct mmu_regs mmu_boot_regs;

uint64_t arch_parange(void)
{
	return FIELD_GET(MMFR0_PARANGE, read_sysreg(id_aa64mmfr0_el1));
}

unsigned arch_pa_bits(void)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t r = arch_parange();

	/* 52-bit output needs the LPA formats; Vireo uses 48 bits at most. */
	return r < ARRAY_SIZE(bits) ? MIN(bits[r], 48U) : 48;
}

static struct mmu_regs regs_for(const struct pgtable *pt)
{
	return (struct mmu_regs){
		.mair = MAIR_EL2_VALUE,
		.tcr = FIELD_PREP(TCR_T0SZ, 64 - pt->va_bits) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		       TCR_SH0_INNER | TCR_TG0_4K | FIELD_PREP(TCR_EL2_PS, MIN(arch_parange(), 5UL)) |
		       TCR_EL2_RES1,
		.ttbr0 = pa_addr(pt->root),
		.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN,
	};
}

static unsigned start_level(unsigned va_bits)
{
	return 4 - pgtable_levels(va_bits);
}

/* The tables come from this pool, in .bss: enough for the image, the
 * device tree, 16 GiB of RAM in 2 MiB blocks and the devices. */
#define TABLE_POOL_PAGES 40
static uint64_t table_pool[TABLE_POOL_PAGES][PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
static unsigned pool_used;
static struct pgtable el2_pt;

static bool pool_alloc(void *ctx, unsigned npages, paddr_t *out)
{
	if (npages != 1 || pool_used == TABLE_POOL_PAGES) {
		return false;
	}
	*out = pa((uintptr_t)table_pool[pool_used++]);
	return true;
}

static void *pool_ptr(void *ctx, paddr_t page)
{
	return (void *)(uintptr_t)pa_addr(page);
}

static const struct pgtable_mm pool_mm = { .alloc = pool_alloc, .to_ptr = pool_ptr };

/* Is a the address of one of the stacks' guard pages? */
static bool is_stack_guard(uint64_t a)
{
	uint64_t base = (uintptr_t)el2_stacks;
	uint64_t off;

	if (a < base || a - base >= sizeof(el2_stacks)) {
		return false;
	}
	off = (a - base) % sizeof(struct el2_stack);
	return off == offsetof(struct el2_stack, guard) ||
	       off == offsetof(struct el2_stack, emergency_guard);
}

/* Is all of [a, a + size) mapped already, by a page or block holding a?
 * The image starts a block that it maps only partly, in pages: that
 * block's first page being mapped does not make the block so. */
static bool mapped_whole(uint64_t a, uint64_t size)
{
	paddr_t unused;
	unsigned level;

	return pgtable_walk(&el2_pt, a, &unused, NULL, &level) &&
	       PAGE_SIZE << (9 * (3 - level)) >= size;
}

/* Maps [start, end) (rounded out to granule) wherever nothing is mapped
 * yet, in granule-sized pieces, trying a whole 1 GiB block first where
 * one fits, but never a stack's guard page. Mappings that exist already
 * are kept as they are. A block never covers a guard page: the image is
 * mapped in pages first, and the page above each guard page, in the same
 * block, is the image's. */
static void map_missing(uint64_t start, uint64_t end, uint64_t granule, uint64_t attrs)
{
	uint64_t a = ALIGN_DOWN(start, granule);

	end = ALIGN_UP(end, granule);
	while (a < end) {
		uint64_t step = granule;

		if (IS_ALIGNED(a, SZ_1G) && end - a >= SZ_1G) {
			/* Fails with PGTABLE_EXISTS where part of the GiB is mapped
			 * already; the pieces below then fill in around it. */
			if (pgtable_map(&el2_pt, a, pa(a), SZ_1G, attrs) == PGTABLE_OK) {
				a += SZ_1G;
				continue;
			}
		}
		if (step == PAGE_SIZE && is_stack_guard(a)) {
			a += step;
			continue;
		}
		if (!mapped_whole(a, step)) {
			int err = pgtable_map(&el2_pt, a, pa(a), step, attrs);

			/* Part of the block is mapped in pages (the image): fill in
			 * the rest of it in pages too. */
			if (err == PGTABLE_EXISTS && step > PAGE_SIZE) {
				map_missing(a, a + step, PAGE_SIZE, attrs);
			} else if (err != PGTABLE_OK) {
				panic("EL2 map of 0x%lx failed (%d): table pool exhausted?", a, err);
			}
		}
		a += step;
	}
}

extern char _etext[], _erodata[]; /* linker.ld */

void mmu_early_init(paddr_t image_start, paddr_t image_end, paddr_t fdt)
{
	struct mmu_regs regs;
	unsigned va_bits = arch_pa_bits();
	uint64_t text_end = (uintptr_t)_etext; /* the identity map */
	uint64_t rodata_end = (uintptr_t)_erodata;

	CHECK(pgtable_init(&el2_pt, va_bits, start_level(va_bits), &pool_mm) == PGTABLE_OK);
	/* The image in pages: code executable and read-only, what only the
	 * relocation wrote read-only, the rest writable and never executable
	 * (and SCTLR_EL2.WXN makes sure nothing is both). */
	map_missing(pa_addr(image_start), text_end, PAGE_SIZE, EL2_TEXT);
	map_missing(text_end, rodata_end, PAGE_SIZE, EL2_RODATA);
	map_missing(rodata_end, pa_addr(image_end), PAGE_SIZE, EL2_NORMAL);
	/* A device tree is at most 2 MiB (booting.rst). */
	map_missing(pa_addr(fdt), pa_addr(fdt) + SZ_2M, SZ_2M, EL2_NORMAL);
	/* Whatever the loader left in the caches for our image is stale: we
	 * wrote relocations and .bss with the caches off. */
	dcache_inval_range((void *)pa_addr(image_start), pa_addr(image_end) - pa_addr(image_start));
	regs = regs_for(&el2_pt);
	mmu_enable(&regs);
}

volatile void *el2_map_device(paddr_t base, uint64_t size)
{
	map_missing(pa_addr(base), pa_addr(base) + size, PAGE_SIZE, EL2_DEVICE);
	/* New entries must be visible to the table walker before we use them. */
	dsb(ishst);
	isb();
	return (volatile void *)(uintptr_t)pa_addr(base);
}

/* Does a read of va at EL2 fault? The MMU itself answers (AT S1E2R). Only
 * at boot: AT writes PAR_EL1, which is a guest's once one runs. */
static bool el2_read_faults(uint64_t va)
{
	__asm__ volatile("at s1e2r, %0" : : "r"(va));
	isb(); /* PAR_EL1 is only valid after the AT completes (D7.7, AT). */
	return read_sysreg(par_el1) & PAR_F;
}

/* Checks what the guard pages are for: an access to one faults. */
static void check_stack_guards(void)
{
	unsigned i;

	for (i = 0; i < MAX_CPUS; i++) {
		CHECK(el2_read_faults((uintptr_t)el2_stacks[i].guard));
		CHECK(el2_read_faults((uintptr_t)el2_stacks[i].emergency_guard));
	}
}

void el2_map_ram(const struct platform *p)
{
	unsigned i;

	for (i = 0; i < p->n_ram; i++) {
		map_missing(pa_addr(p->ram[i].base), pa_addr(p->ram[i].base) + p->ram[i].size,
			    SZ_2M, EL2_NORMAL);
	}
	/* New entries must be visible to the table walker before we use them. */
	dsb(ishst);
	isb();
	check_stack_guards();

	mmu_boot_regs = regs_for(&el2_pt);
	/* Secondaries read these with their MMU and caches off. */
	dcache_clean_range(&mmu_boot_regs, sizeof(mmu_boot_regs));
}
