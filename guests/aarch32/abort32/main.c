/*
 * abort32: checks that a 32-bit guest's accesses outside what it was given
 * come back to it as aborts it can handle and survive, taken the AArch32
 * way (Abort mode, DFSR/DFAR, IFSR/IFAR in the short-descriptor format,
 * its MMU being off).
 *
 * A load and a store at 0x0b000000 in ARM state, and the load in 16-bit
 * Thumb (a hole in the VM's map, and in QEMU virt's own, so that the guest
 * aborts the same way natively: at 0x20000000, in virt's PCIe window, QEMU
 * answers loads and the fetch is of 0xffffffff, an undefined instruction;
 * 0x09100000 is the VM's watchdog), must each arrive as a data abort:
 * vector +0x10, LR_abt = the
 * instruction + 8 in both states, DFSR a synchronous external abort
 * (FS 0b01000) with WnR for the store, DFAR the address; the handler steps
 * over the access. A branch there must arrive as a prefetch abort:
 * vector +0x0C, LR_abt = the address + 4, IFSR an external abort, IFAR the
 * address; the handler returns to the caller through the interrupted
 * mode's lr. Every line starts "abort32: " and is checked by
 * tests/integration/cases_aarch32_guests.py.
 */
#include "guest32.h"

#define UNMAPPED 0x0b000000U
#define MARKER   0x6d61726bU

extern uint32_t load_arm(uint32_t addr, uint32_t marker), load_thumb(uint32_t addr, uint32_t marker);
extern void store_arm(uint32_t addr, uint32_t val), jump_to(uint32_t addr);
extern char load_arm_insn[], store_arm_insn[], load_thumb_insn[];

static volatile struct {
	unsigned data, prefetch;
	uint32_t fsr, far, pc, lr, mode, spsr;
} ab;

void guest32_exception(struct guest32_frame *f)
{
	ab.lr = f->lr_exc;
	ab.mode = PSR_MODE(read_cpsr());
	ab.spsr = f->spsr;
	ab.pc = guest32_fault_pc(f);
	if (f->vector == VEC_DABT) {
		ab.data++;
		ab.fsr = read_dfsr();
		ab.far = read_dfar();
		/* Every access here is one ARM or one 16-bit Thumb instruction. */
		f->ret = ab.pc + ((f->spsr & PSR_T) ? 2 : 4);
		return;
	}
	if (f->vector == VEC_PABT) {
		ab.prefetch++;
		ab.fsr = read_ifsr();
		ab.far = read_ifar();
		/* Nothing to step over at the target: back to blx's caller, in
		 * ARM state (jump_to is ARM code). */
		f->ret = f->lr;
		f->spsr &= ~PSR_T;
		return;
	}
	guest32_unhandled(f);
}

static const char *yes(int ok)
{
	return ok ? "yes" : "no";
}

/* One line for the abort just taken: where, and what the registers said. */
static void report(const char *what, const char *insn)
{
	uint32_t fs = FSR_FS(ab.fsr);

	printf("abort32: %s: in %s mode from %s, fsr=0x%x (fs 0x%x, %s format, wnr %u), "
	       "far=0x%08x, pc=lr-%u: at the %s: %s\n",
	       what, mode_name(ab.mode), mode_name(ab.spsr), ab.fsr, fs,
	       (ab.fsr & FSR_LPAE) ? "long" : "short", (ab.fsr & FSR_WNR) ? 1 : 0, ab.far,
	       ab.lr - ab.pc, insn ? "access" : "target",
	       yes(ab.pc == (insn ? ((uint32_t)insn & ~1U) : UNMAPPED)));
}

int main(void)
{
	printf("abort32: start\n");

	uint32_t v = load_arm(UNMAPPED, MARKER);
	report("data abort (ARM load)", load_arm_insn);
	printf("abort32: load skipped: data aborts=%u value untouched: %s\n", ab.data,
	       yes(v == MARKER));

	store_arm(UNMAPPED + 4, 1);
	report("data abort (ARM store)", store_arm_insn);

	v = load_thumb(UNMAPPED + 8, MARKER);
	report("data abort (Thumb load)", load_thumb_insn);
	printf("abort32: Thumb load skipped: data aborts=%u value untouched: %s\n", ab.data,
	       yes(v == MARKER));

	jump_to(UNMAPPED);
	report("prefetch abort", NULL);
	printf("abort32: back from the prefetch abort: prefetch aborts=%u\n", ab.prefetch);

	printf("abort32: done\n");
	psci_system_off();
}
