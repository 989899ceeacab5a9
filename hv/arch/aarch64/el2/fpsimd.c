/*
 * Lazy FP/SIMD switching (the KVM/ARM world-switch seed's scheme), with
 * SVE where the CPU has it.
 *
 * The FP/SIMD registers are large and most traps never touch them, so the
 * world switch does not move them. Each CPU remembers which vCPU's values
 * the registers hold (pcpu->fp_owner). A vCPU that is not the owner runs
 * with CPTR_EL2.TFP (and TZ) set; its first FP/SIMD or SVE instruction, or
 * access to ZCR_EL1, traps here (EC 0x07 or 0x19, caught in switch.c
 * before the core sees it): we save the owner's registers into the owner,
 * load this vCPU's, make it the owner and clear the traps. A vCPU that
 * keeps running on its CPU pays for its FP state once.
 *
 * On a CPU with SVE (ID_AA64PFR0_EL1.SVE), guests have it too, at the
 * CPU's largest vector length: ZCR_EL2 is set to it on every CPU
 * (fpsimd_cpu_init()), so a guest's ZCR_EL1 chooses any length up to it,
 * and Vireo, at EL2, always saves and restores at that length. A vCPU's
 * state is then the scalable registers (Z0-Z31, whose low 128 bits are
 * V0-V31, P0-P15, FFR) in its VM's area (vm_space.sve, allocated with
 * the VM), with FPSR, FPCR and ZCR_EL1 in struct fpsimd_state. SME stays
 * hidden (idregs.c) and trapped (CPTR_EL2.TSM).
 *
 * A vCPU's registers can be in the hardware of its home CPU only, so that
 * CPU alone may forget them: a reset (fpsimd_discard()) is done there,
 * between turns (core/vcpu.c's requests). Done anywhere else it would
 * leave the home CPU believing the registers it holds are the vCPU's,
 * and the vCPU would find its old values again (issue 14).
 *
 * Vireo is built with -mgeneral-regs-only, so its own code never touches
 * these registers, except libfdt (compiled by Debian with FP/SIMD), which
 * runs only at boot and VM construction, before any guest has run.
 */
#include "arch/aarch64/el2/fpsimd.h"
#include "arch/aarch64/el2/el2.h"
#include "arch/aarch64/el2/hyp_regs.h"
#include "core/mem.h"
#include "core/panic.h"
#include "core/vm.h"

#include <string.h>

/* The vector length guests get, in bytes; 0 without SVE. The same on
 * every CPU (checked as each comes up). */
static unsigned sve_vl;

/* CPTR_EL2 with FP/SIMD (and SVE) open to the guest and to EL2. */
static uint64_t cptr_open(void)
{
	return (CPTR_EL2_RES1 | CPTR_TTA) & ~(sve_vl ? CPTR_TZ : 0);
}

void fpsimd_cpu_init(void)
{
	unsigned vl;

	if (!FIELD_GET(PFR0_SVE, read_sysreg(id_aa64pfr0_el1))) {
		return;
	}
	/* ZCR_EL2 is SVE's: reachable once TZ is clear. The CPU gives the
	 * largest length it has up to the one asked for. */
	write_sysreg(cptr_el2, (CPTR_EL2_RES1 | CPTR_TTA) & ~CPTR_TZ);
	isb();
	write_sysreg(s3_4_c1_c2_0, ZCR_LEN); /* ZCR_EL2 */
	isb();
	vl = sve_vector_length();
	write_sysreg(s3_4_c1_c2_0, vl / 16 - 1);
	isb();
	CHECK(!sve_vl || sve_vl == vl);
	sve_vl = vl;
}

size_t fpsimd_sve_size(void)
{
	/* Z0-Z31, then P0-P15 and FFR of an eighth of the length each. */
	return sve_vl ? 32 * sve_vl + 17 * (sve_vl / 8) : 0;
}

/* The pages of a VM's SVE area: all its vCPUs', one after the other. */
static size_t sve_pages(const struct vm *vm)
{
	return (fpsimd_sve_size() * vm->n_vcpus + PAGE_SIZE - 1) / PAGE_SIZE;
}

bool fpsimd_vm_init(struct vm *vm)
{
	size_t pages = sve_pages(vm);
	paddr_t pa;

	vm->space->sve = NULL;
	if (!pages) {
		return true;
	}
	if (!mem_alloc(pages, 1, &pa)) {
		return false;
	}
	vm->space->sve = phys_to_virt(pa);
	return true;
}

void fpsimd_vm_destroy(struct vm *vm)
{
	if (vm->space->sve) {
		mem_free(virt_to_phys(vm->space->sve), sve_pages(vm));
		vm->space->sve = NULL;
	}
}

static uint8_t *sve_area(const struct vcpu *v)
{
	return v->vm->space->sve + v->id * fpsimd_sve_size();
}

uint64_t fpsimd_cptr_for(const struct vcpu *v)
{
	return this_cpu()->fp_owner == v ? cptr_open()
					 : CPTR_EL2_RES1 | CPTR_TTA | CPTR_TFP;
}

void fpsimd_release(void)
{
	struct pcpu *cpu = this_cpu();
	struct vcpu *owner = cpu->fp_owner;

	/* Lets EL2 itself use the registers (TFP and TZ trap EL2 too). */
	write_sysreg(cptr_el2, cptr_open());
	isb();
	if (!owner) {
		return;
	}
	if (sve_vl) {
		owner->fp.zcr = read_sysreg(s3_0_c1_c2_0); /* ZCR_EL1 */
		sve_save(&owner->fp, sve_area(owner));
	} else {
		fpsimd_save(&owner->fp);
	}
	cpu->fp_owner = NULL;
}

void fpsimd_discard(struct vcpu *v)
{
	struct pcpu *home = v->home;

	/* Its home CPU's fp_owner is that CPU's alone to change. */
	CHECK(home == this_cpu());
	if (home->fp_owner == v) {
		home->fp_owner = NULL;
	}
	if (sve_vl) {
		memset(sve_area(v), 0, fpsimd_sve_size());
	}
}

void fpsimd_switch_to(struct vcpu *v)
{
	fpsimd_release();
	if (sve_vl) {
		write_sysreg(s3_0_c1_c2_0, v->fp.zcr); /* ZCR_EL1 */
		sve_restore(&v->fp, sve_area(v));
	} else {
		fpsimd_restore(&v->fp);
	}
	this_cpu()->fp_owner = v;
	/* CPTR_EL2 was left open by fpsimd_release(): v runs freely. */
}

void fpsimd_flush(struct vcpu *v)
{
	if (this_cpu()->fp_owner == v) {
		fpsimd_release();
	}
}

void fpsimd_reg(struct vcpu *v, unsigned n, uint64_t val[2], bool write)
{
	/* Z n's first 16 bytes are V n, as SVE's STR stores them. */
	uint64_t *where = sve_vl ? (uint64_t *)(sve_area(v) + n * sve_vl) : &v->fp.v[2 * n];

	if (write) {
		where[0] = val[0];
		where[1] = val[1];
	} else {
		val[0] = where[0];
		val[1] = where[1];
	}
}
