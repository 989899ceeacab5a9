/*
 * Fuzz target: a 32-bit guest's trapped instructions, from their syndrome
 * to what the guest sees (hv/core/trap_aarch32.c behind the conditions of
 * hv/arch/aarch64/aarch32.h, hv/core/trap.c's rule, and hv/core/vcpu.h's
 * step past an instruction), over the AArch32 ID registers of
 * hv/arch/aarch64/idregs.c.
 *
 * Each input is a sequence of traps: an exception class among the
 * coprocessor ones (MCR/MRC and MCRR/MRRC of p15 and p14, LDC/STC, VMRS)
 * or SMC32,
 * a syndrome and a CPSR, both as the input says, and the guest's
 * registers, handed to the class's handler. The CPU the fake answers for has the input's ID register
 * values. The physical timer, the GIC's SGIs and the undefined-instruction
 * exception are recorded by fakes here. Besides crashes and sanitizer
 * reports, the target checks that each trap ends in exactly one of:
 *   - the condition failed (aarch32_cond_passed(), checked against the
 *     flags written out here): nothing but the step happened;
 *   - emulated: the step, and only the registers a read names (Rt, and
 *     Rt2 for MRRC) changed, each to a 32-bit value; a write changes none;
 *   - undefined: the exception was injected, no register changed, the PC
 *     and CPSR as they were (inject_undef() is the fake's);
 * and that the step is the syndrome's instruction size, with IT advanced
 * and the rest of the CPSR as it was. The ID registers an AArch32 VM reads
 * never show the Security or Virtualization Extensions, debug or a PMU.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_input.h"
#include "arch/aarch64/idregs.h"
#include "core/trap.h"
#include "core/vm.h"

static uint64_t id_values[3][8]; /* c0, c1-c3, opc2: the CPU's AArch32 IDs */
static unsigned undefs, timer_calls, sgis;

uint64_t fuzz_read_sysreg(const char *name)
{
	unsigned crm, op2;

	if (sscanf(name, "s3_0_c0_c%u_%u", &crm, &op2) == 2 && crm >= 1 && crm <= 3 && op2 < 8) {
		return id_values[crm - 1][op2];
	}
	return 0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
}

void printk(const char *fmt, ...)
{
}

void vm_crash(struct vm *vm, const char *fmt, ...)
{
	__builtin_trap(); /* the fake's inject_undef() always succeeds */
}

bool inject_undef(struct vcpu *v)
{
	undefs++;
	return true;
}

uint64_t ptimer_read(struct vcpu *v, enum ptimer_reg reg)
{
	timer_calls++;
	return 0xfedcba9876543210UL;
}

void ptimer_write(struct vcpu *v, enum ptimer_reg reg, uint64_t val)
{
	timer_calls++;
}

void vgic_send_sgi(struct vgic *g, unsigned idx, uint64_t sgi1r)
{
	sgis++;
}

/* SMCCC's part of an SMC32 (smccc.c): the step, and here nothing else. */
enum trap_action trap_smc(struct vcpu *v)
{
	vcpu_skip_insn(v);
	return TRAP_RESUME;
}

static void expect(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_aarch32: %s\n", what);
		__builtin_trap();
	}
}

/* The condition table, flag by flag. */
static bool holds(unsigned cond, uint64_t cpsr)
{
	bool n = cpsr >> 31 & 1, z = cpsr >> 30 & 1, c = cpsr >> 29 & 1, v = cpsr >> 28 & 1;
	bool r;

	switch (cond >> 1) {
	case 0: r = z; break;
	case 1: r = c; break;
	case 2: r = n; break;
	case 3: r = v; break;
	case 4: r = c && !z; break;
	case 5: r = n == v; break;
	case 6: r = n == v && !z; break;
	default: return true;
	}
	return (cond & 1) ? !r : r;
}

static const unsigned classes[] = { EC_CP15_32, EC_CP15_64, EC_CP14_32, EC_CP14_LS,
				    EC_CP10_ID, EC_CP14_64, EC_SMC32 };

static trap_handler_t handler_of(unsigned ec)
{
	switch (ec) {
	case EC_CP15_32: return trap_cp15_32;
	case EC_CP15_64: return trap_cp15_64;
	case EC_CP10_ID: return trap_cp10_id;
	case EC_SMC32: return trap_smc32;
	default: return trap_cp14;
	}
}

static void one_trap(struct input *in, struct vm *vm, struct vcpu *v)
{
	unsigned ec = classes[take_u8(in) % ARRAY_SIZE(classes)];
	uint64_t esr = (uint64_t)ec << 26 | (take_u32(in) & (ESR_IL | ESR_ISS));
	uint64_t cpsr = (take_u32(in) & ~(uint64_t)PSR_MODE32_MASK) | PSR_MODE32_SVC;
	struct cpu_regs before;
	unsigned rt = FIELD_GET(ESR_CP_RT, esr), rt2 = FIELD_GET(ESR_CP64_RT2, esr), i;
	unsigned undefs_before = undefs, it, cond;
	bool passed, is64 = ec == EC_CP15_64 || ec == EC_CP14_64;

	for (i = 0; i < 31; i++) {
		v->regs.x[i] = take_u64(in);
	}
	v->regs.pc = take_u32(in);
	v->regs.pstate = cpsr;
	v->trap.esr = esr;
	before = v->regs;
	it = aarch32_itstate(cpsr);
	cond = (esr & ESR_CV) ? FIELD_GET(ESR_COND, esr) : it ? it >> 4 : 0xe;
	passed = holds(cond, cpsr);
	expect(aarch32_cond_passed(esr, cpsr) == passed, "condition differs from the table");

	expect(handler_of(ec)(v) == TRAP_RESUME, "a coprocessor trap stopped the vCPU");
	if (undefs != undefs_before) {
		expect(passed, "undefined though the condition failed");
		expect(undefs == undefs_before + 1, "more than one exception");
		expect(memcmp(&v->regs, &before, sizeof(before)) == 0, "undefined, yet state changed");
		return;
	}
	expect(v->regs.pc == (uint32_t)(before.pc + ((esr & ESR_IL) ? 4 : 2)), "wrong step");
	/* and PSTATE.SS: a software step is over (vcpu.h) */
	expect(v->regs.pstate == (aarch32_advance(cpsr) & ~PSR_SS), "CPSR beyond the IT block changed");
	for (i = 0; i < 31; i++) {
		bool named = passed && ec != EC_SMC32 && (esr & ESR_CP_READ) &&
			     (i == rt || (is64 && i == rt2));

		if (!named) {
			expect(v->regs.x[i] == before.x[i], "a register the access does not name changed");
		} else if (v->regs.x[i] != before.x[i]) {
			expect(v->regs.x[i] <= 0xffffffffU, "a 32-bit register got 64 bits");
		}
	}
	(void)vm;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm vm;
	static struct vcpu vcpu;
	struct input in = input_of(data, size);
	unsigned i, j;

	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	vm.name = "fuzz";
	vm.aarch32 = true;
	vm.has_gic = take_u8(&in) & 1;
	vcpu.vm = &vm;
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 8; j++) {
			id_values[i][j] = take_u64(&in);
		}
	}
	/* What an AArch32 VM is never told about. */
	expect((id_reg_read_aarch32(1, 1) & (GENMASK(7, 4) | GENMASK(15, 12) | GENMASK(27, 20))) == 0,
	      "ID_PFR1 shows Security or Virtualization");
	expect(id_reg_read_aarch32(1, 2) == 0 && id_reg_read_aarch32(3, 5) == 0,
	      "ID_DFR0/ID_DFR1 show debug or a PMU");
	while (in.left > 0) {
		one_trap(&in, &vm, &vcpu);
	}
	return 0;
}
