/*
 * exception.c: the C side of the 32-bit guests' vector table.
 *
 * vectors.S calls guest32_exception() for every exception. This file's
 * definition is weak: a guest that expects exceptions (hello32's undefined
 * instructions, abort32's aborts, hostile32's probes) defines its own and
 * falls back on guest32_unhandled() for anything else; a guest that
 * expects none gets a one-line report (the vector, the mode it was taken
 * from, LR, SPSR and the fault registers that apply) and a power-off
 * instead of a silent hang. guest32_skip_undef() steps over the
 * instruction an undefined-instruction exception was taken on, the way the
 * architecture asks of a handler that emulates one: by its length in its
 * instruction set, and with the IT state advanced.
 */
#include "guest32.h"

/* vectors.S hard-codes these. */
_Static_assert(sizeof(struct guest32_frame) == 80, "FRAME_SIZE");
_Static_assert(offsetof(struct guest32_frame, sp) == 52, "FRAME_SP");
_Static_assert(offsetof(struct guest32_frame, lr) == 56, "FRAME_LR");
_Static_assert(offsetof(struct guest32_frame, ret) == 60, "FRAME_RET");
_Static_assert(offsetof(struct guest32_frame, spsr) == 64, "FRAME_SPSR");
_Static_assert(offsetof(struct guest32_frame, vector) == 68, "FRAME_VECTOR");
_Static_assert(offsetof(struct guest32_frame, lr_exc) == 72, "FRAME_LR_EXC");

static const char *const vector_names[8] = {
	"reset", "undefined instruction", "svc", "prefetch abort",
	"data abort", "hyp", "irq", "fiq",
};

const char *mode_name(uint32_t psr)
{
	switch (PSR_MODE(psr)) {
	case MODE_USR: return "usr";
	case MODE_FIQ: return "fiq";
	case MODE_IRQ: return "irq";
	case MODE_SVC: return "svc";
	case MODE_ABT: return "abt";
	case MODE_HYP: return "hyp";
	case MODE_UND: return "und";
	case MODE_SYS: return "sys";
	default: return "?";
	}
}

void guest32_install_vectors(void)
{
	cp_write(15, 0, 12, 0, 0, (uint32_t)guest32_vectors); /* VBAR */
	isb();
}

/*
 * The preferred return address (Arm ARM G1.12.3, "exception return"): LR
 * less the offset the CPU added for this kind of exception.
 */
uint32_t guest32_fault_pc(const struct guest32_frame *f)
{
	switch (f->vector) {
	case VEC_UND:
	case VEC_SVC:
		return f->lr_exc - ((f->spsr & PSR_T) ? 2 : 4);
	case VEC_DABT:
		return f->lr_exc - 8;
	default: /* prefetch abort; irq and fiq: the next instruction */
		return f->lr_exc - 4;
	}
}

/* A 32-bit Thumb instruction's first halfword is 0b11101, 0b11110 or
 * 0b11111 in its top five bits (Arm ARM F3.1). */
static int thumb32(uint16_t hw)
{
	return (hw >> 11) >= 0x1d;
}

/*
 * ITSTATE is SPSR[15:10] (IT[7:2]) and SPSR[26:25] (IT[1:0]). Past an
 * instruction of an IT block it advances as ITAdvance() says (Arm ARM
 * F1.6.3): the mask shifts left, and the block ends when IT[2:0] is 0.
 */
static uint32_t it_advance(uint32_t spsr)
{
	uint32_t it = ((spsr >> 8) & 0xfcU) | ((spsr >> 25) & 3U);

	if ((it & 7U) == 0) {
		it = 0;
	} else {
		it = (it & 0xe0U) | ((it << 1) & 0x1fU);
	}
	spsr &= ~((0x3fU << 10) | (3U << 25));
	return spsr | ((it & 0xfcU) << 8) | ((it & 3U) << 25);
}

uint32_t guest32_skip_undef(struct guest32_frame *f)
{
	uint32_t pc = guest32_fault_pc(f);

	if (f->spsr & PSR_T) {
		f->ret = pc + (thumb32(*(volatile uint16_t *)pc) ? 4 : 2);
		f->spsr = it_advance(f->spsr);
	} else {
		f->ret = pc + 4;
	}
	return pc;
}

void guest32_report(const char *what, struct guest32_frame *f)
{
	printf("%s: %s from %s mode (%s state), lr=0x%08x spsr=0x%08x pc=0x%08x",
	       what, vector_names[f->vector & 7], mode_name(f->spsr),
	       (f->spsr & PSR_T) ? "Thumb" : "ARM", f->lr_exc, f->spsr, guest32_fault_pc(f));
	if (f->vector == VEC_DABT) {
		printf(" dfsr=0x%x dfar=0x%08x", read_dfsr(), read_dfar());
	} else if (f->vector == VEC_PABT) {
		printf(" ifsr=0x%x ifar=0x%08x", read_ifsr(), read_ifar());
	}
	putc('\n');
}

void guest32_unhandled(struct guest32_frame *f)
{
	guest32_report("unexpected exception", f);
	psci_system_off();
}

__attribute__((weak)) void guest32_exception(struct guest32_frame *f)
{
	guest32_unhandled(f);
}
