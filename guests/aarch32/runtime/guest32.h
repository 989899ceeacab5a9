/*
 * guest32.h: the small runtime of Vireo's in-tree 32-bit (AArch32) guests.
 *
 * These guests run in an AArch32 VM (docs/config.md; HCR_EL2.RW = 0) that
 * is otherwise the same machine as a 64-bit guest's, QEMU virt's layout:
 * PL011 at 0x09000000, GIC distributor at 0x08000000, RAM at 0x40000000.
 * Vireo enters them the way Linux's 32-bit boot protocol says (SVC mode,
 * A/I/F masked, ARM state, MMU and caches off, r0 = 0, r1 = ~0, r2 = the
 * device tree) at the image's first byte, which it loads at RAM base +
 * 0x8000. The image is linked there (guest32.ld); start.S copies it there
 * when a loader put it elsewhere (plain QEMU puts a raw 32-bit image at RAM
 * base + 0x10000), so C code may use absolute addresses.
 *
 * The runtime gives them a console (polled PL011 and a printf), PSCI and
 * SMCCC calls over hvc #0 with 32-bit function IDs, a stack for every
 * exception mode and a vector table (VBAR) that saves a guest32_frame and
 * calls guest32_exception(). The console and the PSCI calls are the C of
 * the 64-bit guests' runtime (guests/common/uart.c and psci.c, declared in
 * runtime.h) compiled for AArch32; this directory has the rest. Everything
 * is ARM state (-marm) and general-purpose registers only; nothing needs
 * libgcc (udiv64() is the 64-bit division).
 */
#ifndef VIREO_GUEST32_H
#define VIREO_GUEST32_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The console, PSCI, udiv64() and the PL011's address: what the 64-bit
 * guests' runtime has too. printf's "l" is 32 bits here, like no modifier;
 * a 64-bit value prints with "ll" (%llx). */
#include "../../common/runtime.h"

/* The VM's fixed layout (the virt machine's); the PL011 is in runtime.h. */
#define GUEST_GICD_BASE 0x08000000U

/* SMCCC / PSCI function IDs only the 32-bit guests name, SMC32 forms. */
#define PSCI_CPU_OFF       0x84000002U
#define PSCI_CPU_ON        0x84000003U
#define VIREO_HC_NULL      0x86000001U /* docs/hypercalls.md: returns 0 */

/* Processor modes: CPSR.M (Arm ARM G1.9.1). */
#define MODE_USR 0x10
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_HYP 0x1a
#define MODE_UND 0x1b
#define MODE_SYS 0x1f
#define PSR_MODE(psr) ((psr) & 0x1fU)
#define PSR_T (1U << 5)  /* Thumb state */
#define PSR_F (1U << 6)
#define PSR_I (1U << 7)
#define PSR_A (1U << 8)

/* Short-descriptor fault status (DFSR/IFSR, Arm ARM G5.10.1): FS[4] is
 * bit 10, FS[3:0] bits 3:0; WnR is bit 11, ExT bit 12, CM bit 13. */
#define FSR_FS(fsr)  ((((fsr) >> 6) & 0x10U) | ((fsr) & 0xfU))
#define FSR_WNR      (1U << 11)
#define FSR_EXT      (1U << 12)
#define FSR_CM       (1U << 13)
#define FSR_LPAE     (1U << 9)   /* the long-descriptor format */
#define FS_SYNC_EXT  0x08U       /* synchronous external abort */

/* The vector table's slots: guest32_frame.vector. */
enum {
	VEC_RESET = 0, VEC_UND, VEC_SVC, VEC_PABT, VEC_DABT, VEC_HYP, VEC_IRQ, VEC_FIQ,
};

/*
 * What vectors.S saves on the exception mode's stack. r[], spsr and ret are
 * written back before the return (movs pc): a handler resumes elsewhere by
 * editing ret. ret starts as the exception mode's LR as the CPU set it,
 * which is also kept, unchanged, in lr_exc:
 *   undefined instruction  the instruction + 4 (ARM) or + 2 (Thumb): past an
 *                          ARM or 16-bit Thumb one, mid-way in a 32-bit one
 *   svc                    the next instruction
 *   prefetch abort         the instruction + 4
 *   data abort             the instruction + 8 (ARM and Thumb alike)
 *   irq, fiq               the next instruction + 4
 * sp and lr are the interrupted mode's, for reading only.
 */
struct guest32_frame {
	uint32_t r[13]; /* r0..r12 */
	uint32_t sp;    /* the interrupted mode's sp and lr */
	uint32_t lr;
	uint32_t ret;   /* where the exception returns to */
	uint32_t spsr;  /* the interrupted CPSR; written back */
	uint32_t vector;
	uint32_t lr_exc; /* the exception mode's LR as taken */
	uint32_t pad;    /* 8-byte alignment of the stack, as AAPCS asks */
};

/*
 * Called for every exception. The runtime's definition is weak and reports
 * the exception with guest32_unhandled(); a guest defines its own.
 */
void guest32_exception(struct guest32_frame *f);
/* Prints the report (mode, LR, SPSR and the fault registers) and powers off. */
void guest32_unhandled(struct guest32_frame *f) __attribute__((noreturn));
/* The report alone: one line. */
void guest32_report(const char *what, struct guest32_frame *f);
/* Sets f->ret past the instruction an undefined-instruction exception was
 * taken on, ARM or Thumb, 16- or 32-bit; returns its address. */
uint32_t guest32_skip_undef(struct guest32_frame *f);
/* The address of the instruction that took the exception f. */
uint32_t guest32_fault_pc(const struct guest32_frame *f);
/* "svc", "und", ...: the mode of a CPSR or SPSR value. */
const char *mode_name(uint32_t psr);
/* Points VBAR at the runtime's table (start.S does this once already). */
void guest32_install_vectors(void);
extern char guest32_vectors[];

/* What start.S found at entry. */
extern uint32_t guest32_boot_r0, guest32_boot_r1, guest32_boot_r2, guest32_boot_cpsr;
extern uint32_t guest32_loaded_at; /* where the loader put the image */

/* lib.c: what the compiler may call for a struct's initialisation or copy. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/* A big-endian 32-bit value read a byte at a time (a device tree in Device
 * memory, where an unaligned or merged load would fault). */
uint32_t be32_at(uint32_t addr);
#define FDT_MAGIC 0xd00dfeedU

int main(void);

/*
 * CP15 and CP14 access. The encodings are the instruction's operands:
 * cp_read(15, 0, 0, 1, 1) is MRC p15, 0, Rt, c0, c1, 1 (ID_PFR1).
 */
#define cp_read(cp, opc1, crn, crm, opc2) ({ uint32_t v_; \
	__asm__ volatile("mrc p" #cp ", " #opc1 ", %0, c" #crn ", c" #crm ", " #opc2 \
			 : "=r"(v_)); v_; })
#define cp_write(cp, opc1, crn, crm, opc2, v) \
	__asm__ volatile("mcr p" #cp ", " #opc1 ", %0, c" #crn ", c" #crm ", " #opc2 \
			 : : "r"((uint32_t)(v)) : "memory")
#define cp_read64(cp, opc1, crm) ({ uint64_t v_; \
	__asm__ volatile("mrrc p" #cp ", " #opc1 ", %Q0, %R0, c" #crm : "=r"(v_)); v_; })
#define cp_write64(cp, opc1, crm, v) \
	__asm__ volatile("mcrr p" #cp ", " #opc1 ", %Q0, %R0, c" #crm \
			 : : "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb() __asm__ volatile("dsb sy" ::: "memory")

/* The registers the guests name (Arm ARM G8). */
#define read_sctlr()   cp_read(15, 0, 1, 0, 0)
#define read_cntfrq()  cp_read(15, 0, 14, 0, 0)
#define read_cntvct()  cp_read64(15, 1, 14)
#define read_dfsr()    cp_read(15, 0, 5, 0, 0)
#define read_ifsr()    cp_read(15, 0, 5, 0, 1)
#define read_dfar()    cp_read(15, 0, 6, 0, 0)
#define read_ifar()    cp_read(15, 0, 6, 0, 2)
#define read_mpidr()   cp_read(15, 0, 0, 0, 5)

static inline uint32_t read_cpsr(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

/* The virtual counter, after an isb so it is not read early. */
static inline uint64_t counter(void)
{
	isb();
	return read_cntvct();
}

static inline void mmio_write32(uint32_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

#endif
