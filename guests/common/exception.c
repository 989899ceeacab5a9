/*
 * exception.c: the C side of the guests' vector table.
 *
 * vectors.S calls guest_exception() for every exception. This file's
 * definition is weak, so a guest that expects exceptions (hello's svc,
 * abort's faults) defines its own and falls back on guest_unhandled() for
 * anything else; a guest that expects none gets a register dump and a
 * power-off instead of a silent hang.
 */
#include <stddef.h>

#include "guest.h"

/* vectors.S hard-codes these offsets. */
_Static_assert(sizeof(struct guest_frame) == 288, "FRAME_SIZE");
_Static_assert(offsetof(struct guest_frame, x[30]) == 240, "FRAME_X30");
_Static_assert(offsetof(struct guest_frame, elr) == 256, "FRAME_ELR");
_Static_assert(offsetof(struct guest_frame, esr) == 272, "FRAME_ESR");

extern char guest_vectors[];

uint64_t guest_boot_arg; /* start.S stores x0 here, after clearing .bss */

void guest_install_vectors(void)
{
	/* guest_vectors is taken PC-relatively: right wherever we were loaded. */
	write_sysreg(vbar_el1, (uint64_t)guest_vectors);
	isb();
}

void guest_unhandled(struct guest_frame *f, int vector)
{
	printf("unexpected exception: vector=%d esr=0x%lx elr=0x%lx far=0x%lx\n",
	       vector, f->esr, f->elr, f->far);
	psci_system_off();
}

volatile unsigned guest_aborts;
volatile uint64_t guest_abort_far;

bool guest_skip_abort(struct guest_frame *f, int vector)
{
	if (vector != VEC_CUR_SPX_SYNC || ESR_EC(f->esr) != ESR_EC_DABT_CUR) {
		return false;
	}
	guest_aborts++;
	guest_abort_far = f->far;
	f->elr += 4; /* skip the load */
	f->x[0] = 0xdead;
	return true;
}

uint32_t guest_peek32(uint64_t addr)
{
	register uint64_t x0 __asm__("x0") = addr;

	__asm__ volatile("ldr w0, [x0]" : "+r"(x0) : : "memory");
	return (uint32_t)x0;
}

uint32_t guest_peek8(uint64_t addr)
{
	register uint64_t x0 __asm__("x0") = addr;

	__asm__ volatile("ldrb w0, [x0]" : "+r"(x0) : : "memory");
	return (uint32_t)x0;
}

__attribute__((weak)) void guest_exception(struct guest_frame *f, int vector)
{
	guest_unhandled(f, vector);
}
