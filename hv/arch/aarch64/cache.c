/*
 * Cache maintenance by address (cache.h): one DC instruction per line of
 * the smallest data cache, then a DSB so the maintenance is complete before
 * whoever asked relies on it (Arm ARM D7.5.9, D7.5.10).
 */
#include "arch/aarch64/cache.h"

#include "arch/aarch64/sysreg.h"

/* CTR_EL0.DminLine: log2 of the smallest data cache line, in words. */
#define CTR_DMINLINE GENMASK(19, 16)

static size_t dcache_line(void)
{
	return 4UL << FIELD_GET(CTR_DMINLINE, read_sysreg(ctr_el0));
}

/* Four lines a turn while the range allows: the loop's own instructions
 * would otherwise outnumber the DCs (a VM's whole RAM is cleaned at every
 * start). */
#define DCACHE_OP(name, op)                                                          \
	void name(const void *p, size_t size)                                        \
	{                                                                            \
		size_t line = dcache_line();                                         \
		uintptr_t a = ALIGN_DOWN((uintptr_t)p, line), end = (uintptr_t)p + size; \
                                                                                     \
		for (; a + 4 * line <= end; a += 4 * line) {                         \
			__asm__ volatile("dc " #op ", %0\n\tdc " #op ", %1\n\t"       \
					 "dc " #op ", %2\n\tdc " #op ", %3"            \
					 :                                           \
					 : "r"(a), "r"(a + line), "r"(a + 2 * line),  \
					   "r"(a + 3 * line)                         \
					 : "memory");                                \
		}                                                                    \
		for (; a < end; a += line) {                                         \
			__asm__ volatile("dc " #op ", %0" : : "r"(a) : "memory");        \
		}                                                                    \
		dsb(sy);                                                             \
	}

DCACHE_OP(dcache_clean_range, cvac)
DCACHE_OP(dcache_inval_range, ivac)
DCACHE_OP(dcache_clean_inval_range, civac)

void icache_inval_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
