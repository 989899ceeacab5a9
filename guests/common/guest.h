/*
 * guest.h: the small runtime shared by Vireo's in-tree bare-metal guests.
 *
 * These guests run inside a Vireo VM (a mirror of QEMU's virt machine):
 * entered at EL1h with the MMU off, so every address below is both a VA and
 * an IPA. The runtime gives them a console (PL011), PSCI/SMCCC calls over
 * hvc, and an EL1 exception vector table that saves a guest_frame and calls
 * guest_exception(). Nothing here depends on where the image was loaded: all
 * code and data references are PC-relative, so the same binary also runs
 * under plain QEMU, which puts an Image 2 MiB above the base of RAM.
 */
#ifndef VIREO_GUEST_H
#define VIREO_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* The console, PSCI and the virt machine's PL011, as in the 32-bit guests. */
#include "runtime.h"

/* ESR_ELx fields used by the guests' handlers (Arm ARM D17.2.37). */
#define ESR_EC(esr)        (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr)       ((esr) & 0x1ffffff)
#define ESR_FSC(esr)       ((esr) & 0x3f) /* DFSC / IFSC */
#define ESR_EC_SVC64       0x15
#define ESR_EC_IABT_CUR    0x21
#define ESR_EC_DABT_CUR    0x25

/* Vector numbers passed to guest_exception(): the table's 16 slots. */
enum {
	VEC_CUR_SP0_SYNC = 0, VEC_CUR_SP0_IRQ, VEC_CUR_SP0_FIQ, VEC_CUR_SP0_SERR,
	VEC_CUR_SPX_SYNC = 4, VEC_CUR_SPX_IRQ, VEC_CUR_SPX_FIQ, VEC_CUR_SPX_SERR,
	VEC_LOW64_SYNC = 8, VEC_LOW64_IRQ, VEC_LOW64_FIQ, VEC_LOW64_SERR,
	VEC_LOW32_SYNC = 12, VEC_LOW32_IRQ, VEC_LOW32_FIQ, VEC_LOW32_SERR,
};

/*
 * What vectors.S saves on the stack. A handler may change any field; elr,
 * spsr and x[] are written back before the eret. Keep in sync with the
 * FRAME_* offsets in vectors.S.
 */
struct guest_frame {
	uint64_t x[31];  /* x0..x30 */
	uint64_t sp;     /* SP at the time of the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/*
 * Called for every exception. The runtime's definition is weak and reports
 * the exception with guest_unhandled(); a guest defines its own to take over.
 */
void guest_exception(struct guest_frame *f, int vector);
/* Print the frame and power off: for exceptions a guest did not expect. */
void guest_unhandled(struct guest_frame *f, int vector) __attribute__((noreturn));

/* Probing addresses that may abort: guest_peek32()/guest_peek8() are one
 * plain load each into x0; a guest_exception() that first calls
 * guest_skip_abort() turns a data abort on such a load into 0xdead, counted
 * in guest_aborts with its address in guest_abort_far. guest_skip_abort()
 * returns false for any other exception. */
extern volatile unsigned guest_aborts;
extern volatile uint64_t guest_abort_far;
bool guest_skip_abort(struct guest_frame *f, int vector);
uint32_t guest_peek32(uint64_t addr);
uint32_t guest_peek8(uint64_t addr);
/* Point VBAR_EL1 at the runtime's table (start.S does this once already). */
void guest_install_vectors(void);

/* Where another vCPU starts (secondary.S): on stack_top, running fn,
 * which never returns. The struct must outlive the start. */
struct guest_start {
	void *stack_top;
	void (*fn)(void);
};
/* PSCI CPU_ON of the vCPU with affinity mpidr, into start->fn: its result. */
int64_t guest_cpu_on(uint64_t mpidr, const struct guest_start *start);

int main(void);

/* x0 at entry, saved by start.S: the device tree's address under Vireo. */
extern uint64_t guest_boot_arg;

/* System register access. */
#define read_sysreg(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")

#endif
