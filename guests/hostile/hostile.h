/*
 * hostile.h: what the hostile guest's phases share.
 *
 * main.c has the exception handler, the tallies every phase reports with,
 * what the device tree says this VM was given, the GIC helpers and the
 * phases up to sgi; stage1.c is the guest's own stage-1 map, which
 * gicregs.c (the GIC's registers) and fetch.c (making Vireo read a device)
 * turn on while they run. probes.S has every instruction that may fault on
 * purpose.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "guest.h"
#include "vireo_pv.h"

/* The VM's layout (QEMU virt's, as Vireo gives it). */
#define GICD_BASE 0x08000000UL
#define GICD_SIZE 0x10000UL
#define GICR_BASE 0x080a0000UL
#define GICR_SIZE 0x20000UL /* one vCPU: RD_base and SGI_base frames */
#define GICC_BASE 0x08010000UL /* GICv2: the CPU interface (Vireo maps GICV here) */
#define GICC_SIZE 0x2000UL
#define UART_BASE GUEST_UART_BASE
#define UART_SIZE 0x1000UL
#define UARTFR 0x18

#define MiB (1UL << 20)
#define GiB (1UL << 30)

#define MARKER 0x686f7374696c6521UL /* "hostile!" */

#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_SYS64 0x18
#define ESR_DFSC_SEA 0x10
#define ESR_DFSC_ALIGN 0x21

#define SGI_SELF_TEST 9
#define GICD_SGIR 0xf00 /* GICv2 */
#define SGIR_FILTER_OTHERS (1U << 24)
#define SGIR_FILTER_SELF (2U << 24)
#define SGIR_FILTER_RESERVED (3U << 24)

/* What the last probe raised; trap_clear() before each. */
struct trap_record {
	unsigned n; /* synchronous exceptions taken */
	uint64_t esr, far, elr;
	uint64_t first_esr, first_far, first_elr; /* the first of them */
	unsigned serrors;
};

extern volatile struct trap_record trap;
extern volatile unsigned irqs, last_irq; /* interrupts taken, the last one's INTID */
/* More code that may fault on purpose (the fetch phase's): [lo, hi). */
extern volatile uint64_t window_lo, window_hi;
extern int gic_v2; /* the VM's GIC is a GICv2 (vireo_gic_version()) */
extern uint64_t ram_base, ram_size;
extern uint64_t pvtime_page; /* PV time's stolen-time page; 0: none */

void trap_clear(void);

/* One phase's count of attempts and answers, and its report. */
struct tally {
	const char *phase;
	unsigned long attempts, aborts, undefs, other;
	unsigned reported;
	uint64_t start;
};

void tally_begin(struct tally *t, const char *phase);
/* Counts an unexpected answer; prints the first few with their details. */
void unexpected(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tally_end(struct tally *t);

uint64_t counter(void);
void wait_ms(unsigned ms);

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

/* This vCPU's side of the GIC brought up, every SGI enabled. */
void gic_init(void);
/* The end of an SGI test: interrupts masked, the CPU interface off. */
void gic_quiesce(void);
/* Sends an SGI to ourselves (GICv2: with GICD_SGIR's sgir_filter, or
 * filter 0 and CPU interface 0 when it is 0) and waits up to a second for
 * it; the number of interrupts that arrived (last_irq says which). */
unsigned self_sgi(unsigned intid, uint32_t sgir_filter);

/* probes.S: uint64_t mem_FORM(uint64_t addr, uint64_t val), each with its
 * one faulting instruction at mem_FORM_insn. */
typedef uint64_t (*mem_fn)(uint64_t addr, uint64_t val);
extern uint64_t mem_ldrb(uint64_t, uint64_t), mem_ldrh(uint64_t, uint64_t),
	mem_ldrw(uint64_t, uint64_t), mem_ldr(uint64_t, uint64_t), mem_ldpw(uint64_t, uint64_t),
	mem_ldp(uint64_t, uint64_t), mem_strb(uint64_t, uint64_t), mem_strh(uint64_t, uint64_t),
	mem_strw(uint64_t, uint64_t), mem_str(uint64_t, uint64_t), mem_stp(uint64_t, uint64_t);
extern char mem_ldrb_insn[], mem_ldrh_insn[], mem_ldrw_insn[], mem_ldr_insn[], mem_ldpw_insn[],
	mem_ldp_insn[], mem_strb_insn[], mem_strh_insn[], mem_strw_insn[], mem_str_insn[],
	mem_stp_insn[];

/* stage1.c: our own stage-1 map (what it maps is described there). */
#define ALIAS_BASE 0x20000000UL
#define ALIAS(slot) (ALIAS_BASE + 0x1000UL * (slot))
#define PTE_TABLE 3UL /* a table entry, and a level-3 page */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define MAIR_NORMAL 1 /* attribute 1: Normal, non-cacheable */
#define S1_NORMAL (PTE_ATTR(MAIR_NORMAL) | PTE_AF)
/* An executable Normal page at pa, for the alias window. */
#define S1_PAGE(pa) (((pa) & ~0xfffUL) | PTE_TABLE | S1_NORMAL)

extern uint64_t pt_l2[512], pt_l3[512]; /* pt_l3: the alias window's pages */

int mmu_possible(void);
void mmu_on(void);
void mmu_off(void);
void tlbi_all(void);
/* Rewrites an alias page's entry, with the TLB maintenance the
 * architecture asks for or without it. */
void alias_set(unsigned slot, uint64_t pte, int maintain);

/* The phases in their own files. */
void phase_gicregs(void);
void phase_fetch(void);

#endif
