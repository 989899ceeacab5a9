/*
 * hello: the smallest guest that exercises the whole VM contract.
 *
 * It prints through the PL011, reads MPIDR_EL1, asks PSCI and SMCCC for
 * their versions and features, takes an svc through its own vector table,
 * uses the FP/SIMD unit once (which makes Vireo's lazy FP switch trap) and
 * powers off with PSCI SYSTEM_OFF. Every line it prints is checked by the
 * integration tests, so the formats are fixed.
 */
#include "guest.h"

#define SVC_IMM 0x42

/* Doubles as bit patterns: the guest is built without FP registers. */
#define F64_1_5  0x3ff8000000000000UL
#define F64_2_25 0x4002000000000000UL
#define F64_3_75 0x400e000000000000UL

#define CPACR_FPEN_ALL (3UL << 20) /* no FP/SIMD trapping at EL1 or EL0 */

static volatile int svc_taken;

void guest_exception(struct guest_frame *f, int vector)
{
	uint32_t ec = ESR_EC(f->esr), imm = f->esr & 0xffff;

	if (vector == VEC_CUR_SPX_SYNC && ec == ESR_EC_SVC64 && imm == SVC_IMM) {
		/* For an svc, ELR_EL1 already points at the next instruction. */
		printf("svc taken: ec=0x%x imm=0x%x\n", ec, imm);
		svc_taken = 1;
		return;
	}
	guest_unhandled(f, vector);
}

static uint64_t fp_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	/*
	 * The compiler may not touch FP registers (-mgeneral-regs-only), so
	 * the arithmetic is spelled out; the directive lets the assembler
	 * accept FP instructions whatever -march the compiler was given.
	 */
	__asm__ volatile(".arch_extension fp\n"
			 "fmov d0, %1\n"
			 "fmov d1, %2\n"
			 "fadd d0, d0, d1\n"
			 "fmov %0, d0\n"
			 : "=r"(r)
			 : "r"(a), "r"(b)
			 : "d0", "d1");
	return r;
}

int main(void)
{
	printf("hello from a Vireo guest\n");
	printf("mpidr: 0x%016lx\n", read_sysreg(mpidr_el1));

	printf("psci version: 0x%x\n", psci_version());
	printf("psci features(SYSTEM_OFF): %d\n", psci_features(PSCI_SYSTEM_OFF));
	printf("psci features(0xdeadbeef): %d\n", psci_features(0xdeadbeef));
	printf("smccc version: 0x%x\n", (uint32_t)hvc_call(SMCCC_VERSION, 0, 0, 0));

	guest_install_vectors();
	__asm__ volatile("svc #%0" : : "i"(SVC_IMM) : "memory");
	printf(svc_taken ? "back from svc\n" : "back from svc, handler not run (BUG)\n");

	/* Like any bare-metal code, enable FP/SIMD before the first use. */
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_FPEN_ALL);
	isb();
	uint64_t sum = fp_add(F64_1_5, F64_2_25);
	if (sum == F64_3_75) {
		printf("fp: ok\n");
	} else {
		printf("fp: wrong result 0x%lx\n", sum);
	}

	printf("hello: powering off\n");
	psci_system_off();
}
