/*
 * Aborts on guest-physical addresses: a guest touched an IPA that its
 * address space does not map (EC 0x24 data abort, 0x20 instruction abort).
 *
 * For a data abort the handler
 *   1. finds the faulting IPA: as the mode's hardware reported it (at EL2
 *      HPFAR_EL2), or, when it did not (a permission fault), by walking
 *      the guest's tables for the FAR;
 *   2. looks the IPA up among the VM's emulated devices (mmio.c);
 *   3. learns the access from the syndrome when ISV is set, or else decodes
 *      the instruction at the guest's PC (insn.c), read from its RAM
 *      through vm_ram_ptr(), refusing what it cannot decode rather than
 *      guessing; an AArch32 guest's access without ISV (LDM, STM, LDRD,
 *      a writeback) is not decoded at all, and gets the abort;
 *   4. performs it through the device's read or write operation, writes a
 *      load's result and any base-register writeback, and steps the PC.
 * Whatever is neither RAM nor a device, an access a device rejects, and a
 * fault on the guest's own page-table walk (ESR S1PTW: its tables point
 * outside its RAM) get what hardware would give: a synchronous external
 * abort in the guest. An
 * instruction fetch from outside RAM gets the same. A guest that cannot
 * take the abort is stopped, with the faulting address and its PC.
 */
#include "arch/aarch64/dabt.h"
#include "core/printk.h"
#include "core/trap.h"
#include "core/vm.h"
#include "core/vmode.h"

/* The faulting IPA, or false if another CPU changed the guest's tables
 * under us; the guest then simply retries the access. */
static bool fault_ipa(const struct vcpu *v, ipaddr_t *out)
{
	if (v->trap.fault_ipa != FAULT_IPA_UNKNOWN) {
		*out = ipa(v->trap.fault_ipa);
		return true;
	}
	return vmode->va_to_ipa(v, gva(v->trap.far), out);
}

/* Reads the 32-bit instruction at the guest's PC from its RAM. */
static bool fetch_insn(const struct vcpu *v, uint32_t *insn)
{
	const uint32_t *p;
	ipaddr_t addr;

	if (!vmode->va_to_ipa(v, gva(v->regs.pc), &addr) || (ipa_addr(addr) & 3)) {
		return false;
	}
	p = vm_ram_ptr(v->vm, addr, sizeof(*insn));
	if (!p) {
		return false;
	}
	*insn = *p;
	return true;
}

static bool decode_access(const struct vcpu *v, struct insn_ldst *d)
{
	uint32_t insn;

	if (dabt_decode_esr(v->trap.esr, d)) {
		return true;
	}
	return !vcpu_in_aarch32(v) && fetch_insn(v, &insn) && insn_decode_ldst(insn, d);
}

/* The stack pointer that register 31 names as a base in the guest's mode. */
static uint64_t *guest_sp(struct vcpu *v, uint64_t *sp_el1)
{
	return (v->regs.pstate & PSR_MODE_MASK) == PSR_MODE_EL1H ? sp_el1 : &v->regs.sp_el0;
}

static void writeback(struct vcpu *v, const struct insn_ldst *d)
{
	uint64_t sp_el1;

	if (!d->writeback) {
		return;
	}
	if (d->rn != 31) {
		v->regs.x[d->rn] += d->offset;
		return;
	}
	sp_el1 = vmode->el1_read(v, EL1_SP);
	*guest_sp(v, &sp_el1) += d->offset;
	vmode->el1_write(v, EL1_SP, sp_el1);
}

static bool emulate(struct vcpu *v, const struct mmio_region *r, ipaddr_t addr,
		    const struct insn_ldst *d)
{
	unsigned n = d->pair ? 2 : 1;
	unsigned i;

	for (i = 0; i < n; i++) {
		uint64_t offset = ipa_addr(addr) - ipa_addr(r->base) + i * d->size;
		unsigned rt = i ? d->rt2 : d->rt;
		uint64_t val;

		if (d->store) {
			if (!r->ops->write(v, r->dev, offset, d->size,
					   dabt_store_value(d, vcpu_get_reg(v, rt)))) {
				return false;
			}
		} else {
			if (!r->ops->read(v, r->dev, offset, d->size, &val)) {
				return false;
			}
			vcpu_set_reg(v, rt, dabt_load_value(d, val));
		}
	}
	writeback(v, d);
	return true;
}

static enum trap_action deliver_abort(struct vcpu *v, bool instruction, ipaddr_t addr)
{
	uint64_t vbar = vmode->el1_read(v, EL1_VBAR);

	if (inject_abort(v, instruction, v->trap.far)) {
		return TRAP_RESUME;
	}
	vm_crash(v->vm,
		"%s abort at IPA 0x%lx (VA 0x%lx), pc 0x%lx: no usable exception vector "
		"(VBAR_EL1 0x%lx)",
		instruction ? "instruction" : "data", ipa_addr(addr), v->trap.far, v->regs.pc, vbar);
	return TRAP_EXIT;
}

enum trap_action trap_dabt(struct vcpu *v)
{
	const struct mmio_region *r;
	struct insn_ldst d;
	ipaddr_t addr;

	if (!fault_ipa(v, &addr)) {
		return TRAP_RESUME;
	}
	/* The guest's own stage-1 walk read a table outside its RAM: no
	 * instruction made that access, so there is nothing to emulate. */
	if ((v->trap.esr & ESR_ABT_S1PTW) || !decode_access(v, &d)) {
		return deliver_abort(v, false, addr);
	}
	r = mmio_find(&v->vm->mmio, addr, d.size * (d.pair ? 2 : 1));
	if (!r || !emulate(v, r, addr, &d)) {
		return deliver_abort(v, false, addr);
	}
	v->stats.mmio[r - v->vm->mmio.regions]++;
	vcpu_skip_insn(v);
	return TRAP_RESUME;
}

enum trap_action trap_iabt(struct vcpu *v)
{
	ipaddr_t addr;

	if (!fault_ipa(v, &addr)) {
		return TRAP_RESUME;
	}
	return deliver_abort(v, true, addr);
}
