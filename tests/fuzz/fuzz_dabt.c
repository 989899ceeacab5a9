/*
 * Fuzz target: the data abort path, from the syndrome a guest's access
 * produced to the emulated device's register (hv/core/trap_abort.c,
 * hv/arch/aarch64/dabt.c, hv/arch/aarch64/insn.c, hv/core/mmio.c), with
 * the VM's real emulated devices behind it: the virtual PL011
 * (hv/vdev/vpl011.c) and the virtual GIC's distributor and redistributors
 * (hv/vdev/vgic.c, hv/vdev/vgic_mmio.c), at the addresses of the guest
 * machine's table (hv/vdev/vmachine.c), plus fake devices placed where
 * the input says.
 *
 * Everything trap_dabt() learns is guest controlled and comes from the
 * input: the syndrome, FAR, the HPFAR_EL2 value from which the mode fills
 * the trap record's fault_ipa, the instruction at the guest's PC, the guest's
 * registers and mode, whether its stage 1 translates, whether it can take
 * an abort; so do the fake devices' answers and the device layout. Each
 * input is a short sequence of such traps, with console input for the
 * UART and extra device registrations in between.
 *
 * trap_abort.c no longer reads a register itself: it takes the faulting
 * IPA from the trap record when the mode filled it in, and asks the way of
 * running guests (core/vmode.h) for the FAR's translation otherwise, for
 * the IPA of the PC, and for SP_EL1 and VBAR_EL1. The fake mode below
 * answers from the input. Finding the faulting IPA from HPFAR_EL2, which
 * the Arm ARM makes valid only for translation, access flag and address
 * size faults and for faults on a stage-1 table walk, is the EL2 mode's
 * part (el2_abort_ipa() in hv/arch/aarch64/el2/el2.h); mode_fault_ipa()
 * below mirrors it to fill the record, and the fake's stage-1 walk of FAR
 * fails when the input says so, so that the whole path is checked as the
 * core now sees it. The instruction is fetched as the core
 * does, from the VM's RAM through vm_ram_ptr() (stubbed as vm.c defines
 * it), and the PC's IPA may lie outside RAM.
 *
 * Besides crashes and sanitizer reports, the target checks that
 *   - a device is only ever called for an access entirely inside its
 *     range, at the faulting IPA, with a size of 1, 2, 4 or 8, and never
 *     for a fault on the guest's own stage-1 table walk (S1PTW);
 *   - an emulated access changes exactly the registers it should: the
 *     loaded ones, with dabt_load_value()'s result, and the base register
 *     on writeback; and the PC moves on by one instruction;
 *   - a refused access changes no register (but the first of a pair load
 *     whose second half failed, which the architecture leaves UNKNOWN)
 *     and is answered with an abort, or a crash of the VM;
 *   - dabt_decode_esr(), dabt_load_value() and dabt_store_value() agree
 *     with the Arm ARM's description of the ISS and of loads and stores;
 *   - mmio_register() accepts exactly the non-empty, non-wrapping,
 *     non-overlapping ranges while there is room, and mmio_find() finds
 *     exactly the range containing an access;
 *   - the mode is asked only about the trapping vCPU, for its own PC, and
 *     for no EL1 register but SP_EL1 (read and written) and VBAR_EL1
 *     (read); no system register is touched directly.
 */
#include <stdarg.h>
#include <string.h>

#include "fuzz_input.h"
#include "core/console.h"
#include "arch/aarch64/dabt.h"
#include "core/trap.h"
#include "core/vm.h"
#include "core/vmode.h"

#define MAX_TRAPS 32

static struct input *in; /* what the stubs and fake devices read */
static struct vm vm;
static struct vcpu *trapping; /* the vCPU in trap_dabt(), NULL outside */

/* ---- the rest of the hypervisor, as trap_abort.c sees it ------------- */

/*
 * The guest's RAM: one page at QEMU's 1 GiB. The word at the guest's PC is
 * its last, so that a PC whose IPA is one word further (T_PC_NOT_RAM)
 * tests vm_ram_ptr()'s range check at its edge.
 */
#define RAM_IPA 0x40000000UL
static uint32_t ram[PAGE_SIZE / sizeof(uint32_t)];
#define INSN_WORD (ARRAY_SIZE(ram) - 1)

static bool pc_translates;      /* stage 1 maps the PC */
static unsigned pc_misalign;    /* bytes the PC's IPA is off a word */
static bool pc_outside_ram;     /* ... which is the word after RAM */
static bool far_translates;     /* stage 1 maps FAR (when HPFAR is not valid) */
static uint64_t far_ipa;        /* ... to this IPA */
static bool can_inject;         /* the guest has a usable vector */
static unsigned n_injected, n_crashed;
static uint64_t sp_el1;         /* the trapping vCPU's, as the mode keeps it */

/* As vm.c's: the range must lie entirely in the VM's RAM. */
void *vm_ram_ptr(const struct vm *m, ipaddr_t addr, uint64_t size)
{
	uint64_t off = ipa_addr(addr) - ipa_addr(m->ram_ipa);

	check(m == &vm, "vm_ram_ptr() of another VM");
	if (ipa_addr(addr) < ipa_addr(m->ram_ipa) || off > m->ram_size || size > m->ram_size - off) {
		return NULL;
	}
	return (uint8_t *)ram + off;
}

/* A stage-1 walk of the guest's tables, as the input has them. */
static bool fake_stage1(uint64_t va, ipaddr_t *out)
{
	if (!far_translates) {
		return false;
	}
	*out = ipa(far_ipa);
	return true;
}

/*
 * The EL2 mode's resolution (el2.h's el2_abort_ipa()), mirrored to fill the
 * trap record as the mode does at an abort exit: HPFAR_EL2 holds the IPA's
 * page for translation, access flag and address size faults and for any
 * fault on a stage-1 table walk; otherwise (a permission fault) the record
 * says FAULT_IPA_UNKNOWN and the core walks the guest's stage 1 for FAR
 * through va_to_ipa(). This follows the mode's code; expected_ipa() below
 * is the Arm ARM's, written apart from it.
 */
#define HPFAR_FIPA GENMASK(43, 4)

static bool hpfar_valid(uint64_t esr)
{
	uint64_t type = FIELD_GET(FSC_TYPE, FIELD_GET(ESR_ABT_FSC, esr));

	return (esr & ESR_ABT_S1PTW) || type == FSC_TYPE_TRANS || type == FSC_TYPE_ACCESS ||
	       type == 0;
}

static uint64_t hpfar; /* what HPFAR_EL2 held at the trap */
static bool far_walked; /* the core has asked for the FAR's translation */

static uint64_t mode_fault_ipa(uint64_t esr, uint64_t far)
{
	if (hpfar_valid(esr)) {
		return (FIELD_GET(HPFAR_FIPA, hpfar) << PAGE_SHIFT) | (far & (PAGE_SIZE - 1));
	}
	return FAULT_IPA_UNKNOWN;
}

/* trap_abort.c translates the FAR first when the record has no IPA (once),
 * then only the PC: to fetch the instruction. */
static bool fake_va_to_ipa(const struct vcpu *v, gvaddr_t va, ipaddr_t *out)
{
	uint64_t off = INSN_WORD * sizeof(uint32_t) + (pc_outside_ram ? 4 : 0) + pc_misalign;

	check(v == trapping, "va_to_ipa() outside a trap");
	if (v->trap.fault_ipa == FAULT_IPA_UNKNOWN && !far_walked) {
		far_walked = true;
		check(gva_addr(va) == v->trap.far, "va_to_ipa(0x%lx), not the FAR 0x%lx",
		      gva_addr(va), v->trap.far);
		return fake_stage1(v->trap.far, out);
	}
	check(gva_addr(va) == v->regs.pc, "va_to_ipa(0x%lx), not the PC 0x%lx", gva_addr(va),
	      v->regs.pc);
	if (!pc_translates) {
		return false;
	}
	*out = ipa(RAM_IPA + off);
	return true;
}

static uint64_t fake_el1_read(const struct vcpu *v, enum el1_reg r)
{
	check(v == trapping, "el1_read() outside a trap");
	if (r == EL1_SP) {
		return sp_el1;
	}
	if (r == EL1_VBAR) {
		return 0;
	}
	check(false, "unexpected read of EL1 register %d", r);
	return 0;
}

static void fake_el1_write(struct vcpu *v, enum el1_reg r, uint64_t val)
{
	check(v == trapping, "el1_write() outside a trap");
	check(r == EL1_SP, "unexpected write of EL1 register %d", r);
	sp_el1 = val;
}

/* Only what trap_abort.c calls: any other hook is NULL, and a call of it
 * crashes, which libFuzzer reports. */
static const struct vmode fake_vmode = {
	.name = "fuzz",
	.va_to_ipa = fake_va_to_ipa,
	.el1_read = fake_el1_read,
	.el1_write = fake_el1_write,
};

const struct vmode *vmode = &fake_vmode;

bool inject_abort(struct vcpu *v, bool instruction, uint64_t far)
{
	check(!instruction, "instruction abort injected for a data abort");
	check(far == v->trap.far, "abort injected with FAR 0x%lx, not 0x%lx", far, v->trap.far);
	n_injected++;
	return can_inject;
}

void vm_crash(struct vm *m, const char *fmt, ...)
{
	check(m == &vm, "vm_crash() of another VM");
	n_crashed++;
}

void vm_stop(struct vm *m, const char *fmt, ...)
{
	check(m == &vm, "vm_stop() of another VM");
	n_crashed++;
}

/* The guest's registers are the mode's (above): nothing on this path
 * reads or writes a system register itself any more. */
uint64_t fuzz_read_sysreg(const char *name)
{
	check(false, "unexpected read of %s", name);
	return 0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
	check(false, "unexpected write of %s", name);
}

/* The physical console, where the virtual UART's lines go. */
void console_write(const char *s, size_t len)
{
	check(len <= VPL011_LINE_MAX + VPL011_NAME_MAX + 8, "console write of %zu bytes", len);
}

void console_emit(const void *source, const char *prefix, const char *text, size_t len,
		  bool complete)
{
	check(source == &vm.uart, "console line from elsewhere");
	check(memchr(prefix, 0, VPL011_NAME_MAX + 4) != NULL, "unterminated prefix");
	check(len <= VPL011_LINE_MAX, "console line of %zu bytes", len);
	check(len == 0 || memchr(text, '\n', len) == NULL, "a newline inside a line");
}

void console_end_line(const void *source)
{
	check(source == &vm.uart, "console line from elsewhere");
}

/* ---- devices: every one sits behind a recorder ------------------------ */

struct dev {
	uint64_t size;
	const struct mmio_ops *real; /* NULL: a fake that answers from the input */
	void *real_dev;
};

struct call {
	const struct dev *dev;
	uint64_t off;
	unsigned size;
	bool write, ok;
	uint64_t val;
};

static struct dev devs[MMIO_MAX_REGIONS];
/* The fake devices' answers to this trap's accesses. */
static bool fake_ok[2];
static uint64_t fake_val[2];
static unsigned n_devs;
static struct call calls[4];
static unsigned n_calls;

static bool record(struct vcpu *v, struct dev *d, uint64_t off, unsigned size, bool write,
		   uint64_t *val)
{
	struct call *c;
	bool ok;

	check(v == trapping, "device called outside a trap");
	check(size == 1 || size == 2 || size == 4 || size == 8, "device access of size %u", size);
	check(off < d->size && size <= d->size - off,
	      "access at +0x%lx, %u bytes, outside a 0x%lx-byte device", off, size, d->size);
	check(n_calls < 2, "more than two device accesses in one trap");
	if (d->real) {
		ok = write ? d->real->write(v, d->real_dev, off, size, *val)
			   : d->real->read(v, d->real_dev, off, size, val);
	} else {
		ok = fake_ok[n_calls];
		if (!write) {
			*val = fake_val[n_calls];
		}
	}
	c = &calls[n_calls++];
	*c = (struct call){ d, off, size, write, ok, *val };
	return ok;
}

static bool rec_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	*val = 0x5a5a5a5a5a5a5a5aUL;
	return record(v, dev, off, size, false, val);
}

static bool rec_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return record(v, dev, off, size, true, &val);
}

static const struct mmio_ops rec_ops = { .read = rec_read, .write = rec_write };

/* The GIC's register frames, reached as hv/arch/aarch64/el2/vgic_lr.c and
 * vgic_v3.c do. */
static bool gicd_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return vgic_dist_read(dev, v->id, off, size, val);
}

static bool gicd_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return vgic_dist_write(dev, v->id, off, size, val);
}

static bool gicr_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return vgic_redist_read(dev, off / VGIC_REDIST_STRIDE, off % VGIC_REDIST_STRIDE, size,
				val);
}

static bool gicr_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return vgic_redist_write(dev, off / VGIC_REDIST_STRIDE, off % VGIC_REDIST_STRIDE, size,
				 val);
}

static const struct mmio_ops gicd_ops = { .read = gicd_read, .write = gicd_write };
static const struct mmio_ops gicr_ops = { .read = gicr_read, .write = gicr_write };

/* ---- the registry's oracle ----------------------------------------------- */

static bool contains(const struct mmio_region *r, uint64_t a, uint64_t size)
{
	uint64_t b = ipa_addr(r->base);

	return a >= b && a - b < r->size && size <= r->size - (a - b);
}

static void add_device(uint64_t base, uint64_t size, const struct mmio_ops *real,
		       void *real_dev)
{
	unsigned before = vm.mmio.n, i;
	bool expect = before < MMIO_MAX_REGIONS && size != 0 && base + size > base;
	static struct dev spare;
	struct dev *d = n_devs < MMIO_MAX_REGIONS ? &devs[n_devs] : &spare;
	bool ok;

	for (i = 0; i < before && expect; i++) {
		uint64_t b = ipa_addr(vm.mmio.regions[i].base), e = b + vm.mmio.regions[i].size;

		expect = base >= e || base + size <= b;
	}
	*d = (struct dev){ size, real, real_dev };
	ok = mmio_register(&vm.mmio, ipa(base), size, &rec_ops, d);
	check(ok == expect, "mmio_register(0x%lx, 0x%lx) returned %d with %u regions", base, size,
	      ok, before);
	check(vm.mmio.n == before + ok, "mmio_register() left %u regions", vm.mmio.n);
	if (ok) {
		n_devs++;
	}
}

static void find_one(uint64_t a, unsigned size)
{
	const struct mmio_region *r = mmio_find(&vm.mmio, ipa(a), size), *want = NULL;
	unsigned i;

	for (i = 0; i < vm.mmio.n; i++) {
		if (size != 0 && contains(&vm.mmio.regions[i], a, size)) {
			want = &vm.mmio.regions[i];
		}
	}
	check(r == want || (size == 0 && (r == NULL || contains(r, a, 1))),
	      "mmio_find(0x%lx, %u) gave region %ld", a, size,
	      r ? (long)(r - vm.mmio.regions) : -1L);
}

/* ---- the syndrome, and loads and stores, from the Arm ARM ------------ */

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

static void check_values(const struct insn_ldst *d, uint64_t raw)
{
	uint64_t v = dabt_load_value(d, raw), low = raw & mask_of(d->size);
	unsigned width = d->reg64 ? 64 : 32;
	uint64_t reg_mask = mask_of(width / 8);

	check((v & mask_of(d->size) & reg_mask) == (low & reg_mask), "load keeps its bytes");
	check((v & ~reg_mask) == 0, "a W load wrote the upper half");
	if (d->sign_extend && d->size * 8 < width && (low >> (8 * d->size - 1)) & 1) {
		check((v | mask_of(d->size)) == reg_mask, "0x%lx, %u bytes: not sign-extended to 0x%lx",
		      raw, d->size, v);
	} else {
		check(v == (low & reg_mask), "0x%lx, %u bytes: loads 0x%lx", raw, d->size, v);
	}
	check(dabt_store_value(d, raw) == low, "store of %u bytes takes 0x%lx from 0x%lx", d->size,
	      dabt_store_value(d, raw), raw);
}

static void check_esr(uint64_t esr)
{
	struct insn_ldst d;

	memset(&d, 0x6b, sizeof(d));
	if (!dabt_decode_esr(esr, &d)) {
		check(!(esr & BIT(24)), "ISV set, refused");
		return;
	}
	check(esr & BIT(24), "ISV clear, decoded");
	check(d.size == 1u << ((esr >> 22) & 3), "SAS");
	check(d.store == ((esr >> 6) & 1), "WnR");
	check(d.sign_extend == ((esr >> 21) & 1), "SSE");
	check(d.reg64 == ((esr >> 15) & 1), "SF");
	check(d.rt == ((esr >> 16) & 31), "SRT");
	check(!d.pair && !d.writeback && d.offset == 0 && d.rt2 == 0 && d.rn == 0,
	      "the syndrome describes no pair or writeback");
}

/* ---- one trap -------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* The faulting IPA as the Arm ARM has trap_abort.c find it. */
static bool expected_ipa(const struct vcpu *v, uint64_t *out)
{
	uint64_t esr = v->trap.esr, type = (esr & 0x3f) >> 2;

	if ((esr & BIT(7)) || type <= 2) { /* S1PTW, address size, translation, access flag */
		*out = ((hpfar >> 4) & ((1UL << 40) - 1)) << 12 | (v->trap.far & 0xfff);
		return true;
	}
	*out = far_ipa;
	return far_translates;
}

/* An IPA near a registered region (how >= 16) or anywhere (val). */
static uint64_t aim(unsigned how, uint64_t val)
{
	const struct mmio_region *r;
	uint64_t base, size;

	if (vm.mmio.n == 0 || how < 16) {
		return val;
	}
	r = &vm.mmio.regions[how % vm.mmio.n];
	base = ipa_addr(r->base);
	size = r->size;
	switch ((how >> 4) & 3) {
	case 0: /* a register near the start */
		return base + val % (size < 0x10000 ? size + 16 : 0x10010);
	case 1: /* near the end */
		return base + size - 1 - val % 24;
	case 2: /* anywhere in it */
		return base + val % size;
	default: /* just before it */
		return base - 1 - val % 16;
	}
}

/* Trap flags; all clear is the plain case: the guest's stage 1 maps FAR
 * and PC, the PC is in RAM, the syndrome's HPFAR is the fault's, the guest
 * has a vector. */
#define T_FAR_UNMAPPED BIT(0)
#define T_PC_UNMAPPED BIT(1)
#define T_PC_MISALIGN GENMASK(3, 2)
#define T_NO_VECTOR BIT(4)
#define T_RAW_HPFAR BIT(5)
#define T_HPFAR_NS BIT(6)
#define T_PC_NOT_RAM BIT(7)

/* One trap: a fixed-size record of the input (tests/fuzz/make_seeds.py
 * writes them the same way). */
static void one_trap(void)
{
	struct vcpu *v = &vm.vcpus[take_below(in, vm.n_vcpus)];
	unsigned how = take_u8(in);
	uint64_t a = aim(how, take_u64(in));
	uint64_t esr = take_u32(in), far_hi = take_u64(in), hpfar_raw = take_u64(in);
	unsigned flags = take_u8(in);
	uint32_t insn = take_u32(in);
	uint64_t pstate = take_u8(in) & 0xf, pc = take_u64(in) & ~3UL;
	unsigned reg = take_below(in, 31);
	uint64_t reg_val = take_u64(in), raw, sp0_before, sp1_before, fault;
	struct cpu_regs before;
	unsigned i, changed_ok[2] = { 99, 99 };
	struct insn_ldst d;
	bool have_d, emulated, where_ok;
	enum trap_action act;

	for (i = 0; i < 2; i++) {
		fake_ok[i] = take_below(in, 8) != 7;
		fake_val[i] = take_u64(in);
	}
	raw = take_u64(in);

	v->trap.esr = esr;
	v->trap.far = (far_hi & ~0xfffUL) | (a & 0xfff);
	hpfar = flags & T_RAW_HPFAR ? hpfar_raw
				    : ((a >> 12) << 4) | (flags & T_HPFAR_NS ? BIT(63) : 0);
	v->trap.fault_ipa = mode_fault_ipa(esr, v->trap.far);
	far_walked = false;
	far_translates = !(flags & T_FAR_UNMAPPED);
	far_ipa = a;
	ram[INSN_WORD] = insn;
	pc_translates = !(flags & T_PC_UNMAPPED);
	pc_misalign = FIELD_GET(T_PC_MISALIGN, flags);
	pc_outside_ram = flags & T_PC_NOT_RAM;
	can_inject = !(flags & T_NO_VECTOR);
	v->regs.pstate = pstate;
	v->regs.pc = pc;
	for (i = 0; i < 31; i++) {
		v->regs.x[i] = mix(v->regs.x[i] + i);
	}
	v->regs.x[reg] = reg_val;
	sp_el1 = mix(sp_el1);
	v->regs.sp_el0 = mix(v->regs.sp_el0);

	check_esr(v->trap.esr);
	before = v->regs;
	sp0_before = v->regs.sp_el0;
	sp1_before = sp_el1;
	n_calls = n_injected = n_crashed = 0;
	trapping = v;
	act = trap_dabt(v);
	trapping = NULL;

	/* What the access was, as trap_abort.c should have learnt it. */
	have_d = dabt_decode_esr(v->trap.esr, &d) ||
		 (pc_translates && pc_misalign == 0 && !pc_outside_ram &&
		  insn_decode_ldst(insn, &d));
	where_ok = expected_ipa(v, &fault);
	if (have_d) {
		check_values(&d, raw);
	}
	for (i = 0; i < n_calls; i++) {
		const struct call *c = &calls[i];
		const struct mmio_region *r = NULL;
		unsigned j;

		check(have_d && where_ok, "a device was called for an undecodable access");
		/* The guest's own table walk touched it: never an access to emulate. */
		check(!(v->trap.esr & ESR_ABT_S1PTW), "a stage-1 table walk emulated as MMIO");
		check(c->size == d.size, "access of %u bytes for a %u-byte %s", c->size, d.size,
		      d.pair ? "pair" : "access");
		check(c->write == d.store, "direction");
		for (j = 0; j < vm.mmio.n; j++) {
			if (vm.mmio.regions[j].dev == c->dev) {
				r = &vm.mmio.regions[j];
			}
		}
		check(r && ipa_addr(r->base) + c->off == fault + i * d.size,
		      "access %u at the wrong IPA (fault 0x%lx)", i, fault);
		check(i == 0 || c->dev == calls[0].dev, "a pair across two devices");
		check(i == 0 || calls[0].ok, "second half after a refused first");
		if (c->write) {
			unsigned rt = i ? d.rt2 : d.rt;
			uint64_t src = rt == 31 ? 0 : before.x[rt];

			check(c->val == dabt_store_value(&d, src), "stored 0x%lx, not from x%u", c->val,
			      rt);
		}
	}
	emulated = v->regs.pc == before.pc + 4;
	if (emulated) {
		check(have_d && where_ok, "emulated an undecodable access");
		check(act == TRAP_RESUME, "emulated, then left the run loop");
		check(n_calls == (d.pair ? 2u : 1u) && calls[n_calls - 1].ok, "emulated with %u calls",
		      n_calls);
		check(n_injected == 0 && n_crashed == 0, "emulated and aborted");
		if (!d.store) {
			changed_ok[0] = d.rt;
			check(vcpu_get_reg(v, d.rt) == (d.rt == 31 ? 0 : dabt_load_value(&d, calls[0].val)),
			      "x%u = 0x%lx after a load of 0x%lx", d.rt, vcpu_get_reg(v, d.rt),
			      calls[0].val);
			if (d.pair) {
				changed_ok[1] = d.rt2;
				check(vcpu_get_reg(v, d.rt2) ==
					      (d.rt2 == 31 ? 0 : dabt_load_value(&d, calls[1].val)),
				      "x%u after a pair load", d.rt2);
			}
		}
		if (d.writeback && d.rn != 31) {
			check(v->regs.x[d.rn] == before.x[d.rn] + (uint64_t)d.offset, "writeback of x%u",
			      d.rn);
		}
		if (d.writeback && d.rn == 31) {
			bool el1h = (before.pstate & 0xf) == 5;

			check(v->regs.sp_el0 == sp0_before + (el1h ? 0 : (uint64_t)d.offset), "SP_EL0");
			check(sp_el1 == sp1_before + (el1h ? (uint64_t)d.offset : 0), "SP_EL1");
		} else {
			check(v->regs.sp_el0 == sp0_before && sp_el1 == sp1_before, "SP moved");
		}
	} else {
		check(v->regs.pc == before.pc, "PC moved by 0x%lx", v->regs.pc - before.pc);
		check(v->regs.sp_el0 == sp0_before && sp_el1 == sp1_before, "SP moved");
		if (n_calls == 2 && !d.store) {
			changed_ok[0] = d.rt; /* UNKNOWN after the abort */
		}
		if (n_injected == 0 && n_crashed == 0) {
			/* Only a fault whose IPA could not be found is retried. */
			check(!where_ok && n_calls == 0 && act == TRAP_RESUME, "neither done nor refused");
		} else {
			check(n_injected == 1, "refused without an abort");
			check(can_inject ? (n_crashed == 0 && act == TRAP_RESUME)
					 : (n_crashed == 1 && act == TRAP_EXIT),
			      "abort handling");
		}
	}
	for (i = 0; i < 31; i++) {
		bool may = i == changed_ok[0] || i == changed_ok[1] ||
			   (emulated && d.writeback && i == d.rn);

		check(may || v->regs.x[i] == before.x[i], "x%u changed from 0x%lx to 0x%lx", i,
		      before.x[i], v->regs.x[i]);
	}
	check(v->regs.pstate == before.pstate, "PSTATE changed");
}

/* ---- the VM ------------------------------------------------------------ */

static void uart_irq(void *ctx, bool level)
{
	check(ctx == &vm, "UART interrupt for another VM");
	vgic_set_level(&vm.vgic, 0, vm_regions[VM_UART].intid, level);
}

static void kick(struct vgic *g, unsigned idx)
{
	check(g == &vm.vgic && spin_is_held(&g->lock), "kick without the lock");
	check(idx < vm.n_vcpus, "kick of vCPU %u of %u", idx, vm.n_vcpus);
}

static void build_vm(void)
{
	uint64_t mpidrs[VGIC_MAX_VCPUS];
	unsigned i, flags = take_u8(in);

	memset(&vm, 0, sizeof(vm));
	n_devs = 0;
	vm.n_vcpus = 1 + (flags & 7);
	for (i = 0; i < vm.n_vcpus; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].vmpidr = 0x80000000UL | i;
		mpidrs[i] = vm.vcpus[i].vmpidr;
	}
	vm.name = "fuzz";
	vm.ram_ipa = ipa(RAM_IPA);
	vm.ram_size = sizeof(ram);
	vpl011_init(&vm.uart, vm.name, uart_irq, &vm);
	add_device(vm_regions[VM_UART].base, vm_regions[VM_UART].size, &vpl011_ops, &vm.uart);
	vgic_init(&vm.vgic, vm.n_vcpus, mpidrs);
	vm.vgic.kick = kick;
	vm.vgic.owner = &vm;
	vm.has_gic = true;
	vm.vgic.v2 = flags & 8;
	add_device(vm_regions[VM_GICD].base, vm_regions[VM_GICD].size, &gicd_ops, &vm.vgic);
	if (!vm.vgic.v2) {
		add_device(vm_regions[VM_GICR].base, vm.n_vcpus * VGIC_REDIST_STRIDE, &gicr_ops,
			   &vm.vgic);
	}
	sp_el1 = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input stream = input_of(data, size);
	unsigned n;

	in = &stream;
	build_vm();
	for (n = 0; n < MAX_TRAPS && !input_done(in); n++) {
		unsigned op = take_u8(in);

		switch (op % 16) {
		case 0:
			vpl011_receive(&vm.uart, (char)take_u8(in));
			break;
		case 1: {
			/* A fake device: near another, or anywhere; of a few
			 * pages, or any size. */
			unsigned how = take_u8(in);
			uint64_t base = aim(how, take_u64(in)), size = take_u64(in);

			add_device(base, take_u8(in) & 1 ? size : size & 0xffff, NULL, NULL);
			break;
		}
		case 2: {
			unsigned how = take_u8(in);
			uint64_t a = aim(how, take_u64(in));

			find_one(a, take_u8(in) % 17);
			break;
		}
		case 3:
			vpl011_flush_partial(&vm.uart, NULL);
			break;
		default:
			one_trap();
			break;
		}
		check(!spin_is_held(&vm.uart.lock) && !spin_is_held(&vm.vgic.lock),
		      "a lock left held");
	}
	vpl011_flush(&vm.uart);
	in = NULL;
	return 0;
}
