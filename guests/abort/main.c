/*
 * abort: checks that accesses to unmapped IPAs come back to the guest as
 * synchronous external aborts it can handle and survive.
 *
 * A load from 0x30000000 and a store to a device the VM was not given must
 * each arrive as a same-EL data abort (EC 0x25, DFSC 0x10); the handler
 * skips the faulting instruction. A branch to 0x20000000 must arrive as a
 * same-EL instruction abort (EC 0x21, IFSC 0x10); there is no instruction
 * to skip, so the handler returns to the caller through the saved x30.
 * Every line it prints is checked by the integration tests.
 */
#include "guest.h"

#define UNMAPPED_LOAD  0x30000000UL
#define UNMAPPED_STORE 0x0a000000UL /* virt's virtio-mmio: not given to VMs */
#define UNMAPPED_EXEC  0x20000000UL

static volatile int data_aborts, insn_aborts;

void guest_exception(struct guest_frame *f, int vector)
{
	uint32_t ec = ESR_EC(f->esr), fsc = ESR_FSC(f->esr);

	if (vector == VEC_CUR_SPX_SYNC && ec == ESR_EC_DABT_CUR) {
		printf("data abort: ec=0x%x dfsc=0x%x far=0x%lx\n", ec, fsc, f->far);
		f->elr += 4; /* every access below is one A64 instruction */
		data_aborts++;
		return;
	}
	if (vector == VEC_CUR_SPX_SYNC && ec == ESR_EC_IABT_CUR) {
		printf("instruction abort: ec=0x%x ifsc=0x%x far=0x%lx\n", ec, fsc, f->far);
		/* ELR is the unmapped target itself; x30 is where blr came from. */
		f->elr = f->x[30];
		insn_aborts++;
		return;
	}
	guest_unhandled(f, vector);
}

int main(void)
{
	guest_install_vectors();
	printf("abort test: start\n");

	/*
	 * The accesses are single instructions in asm, so that skipping 4
	 * bytes is exactly right. The load's destination starts as a marker:
	 * a skipped load leaves it unchanged.
	 */
	uint32_t val = 0xdeadbeef;
	__asm__ volatile("ldr %w0, [%1]" : "+r"(val) : "r"(UNMAPPED_LOAD) : "memory");
	printf("after data abort\n");
	printf("load skipped: aborts=%d value=0x%x\n", data_aborts, val);

	__asm__ volatile("str %w0, [%1]" : : "r"(0x1U), "r"(UNMAPPED_STORE) : "memory");
	printf("after store abort\n");

	/*
	 * blr writes x30, which the handler resumes at; everything else is as
	 * it was at the fault, so only x16 (the target) and x30 are clobbered.
	 */
	__asm__ volatile("mov x16, %0\n"
			 "blr x16\n"
			 : : "r"(UNMAPPED_EXEC) : "x16", "x30", "memory");
	printf("after instruction abort\n");

	printf("abort test: done\n");
	psci_system_off();
}
