/*
 * A GDB stub per VM, the run-control half: halting every vCPU of the VM
 * while the others VMs go on, resuming and single-stepping them, the
 * guest's debug exceptions while gdb debugs it, and breakpoints.
 *
 * Halting. gdb_halt() marks each vCPU halted and kicks its home CPU. A
 * halted vCPU does not run (vcpu_keeps_running(), the scheduler's
 * runnable, trap_wfx.c's wait all say so); its home CPU, between turns,
 * parks it (gdb_park(): the mode moves the rest of its state, the lazy
 * FP/SIMD registers, into memory) and counts it. When the last vCPU is
 * parked the VM is HALTED: gdb may read and write everything, from the
 * console's CPU, while no CPU touches it; the stop reply goes out from
 * whichever CPU parked last. A VM configured to wait for gdb is created
 * halted (gdb.c), so it stops before its first instruction.
 *
 * Debugging. From its first halt until gdb detaches, the VM is being
 * debugged: gdb_hw_of() tells the mode to route debug exceptions to EL2
 * (MDCR_EL2.TDE on EL2) and to put gdb's hardware breakpoints and
 * watchpoints, and a stepping vCPU's MDSCR_EL1.SS, in the registers; the
 * guest's own debug registers are kept aside, emulated, while that lasts
 * (its breakpoints do not fire), and gdb cannot have hardware points
 * while the guest uses its own (Z1-Z4 fail with E16). A software
 * breakpoint is "brk #0" written over the instruction; a BRK that is not
 * gdb's is the guest's own and goes to its vectors as the CPU would have
 * sent it. A step sets PSTATE.SS: the vCPU runs one instruction and takes
 * the step exception (or one at once if Vireo emulated the instruction,
 * vcpu_skip_insn()).
 */
#include "core/gdb_stub.h"

#include "arch/aarch64/cache.h"
#include "core/printk.h"
#include "core/vm.h"
#include "core/vmode.h"

#define BRK_GDB 0xd4200000U /* brk #0: gdb's own aarch64 breakpoint */

/* MDSCR_EL1: the guest's own kernel and monitor debug enables. */
#define MDSCR_KDE BIT(13)
#define MDSCR_MDE BIT(15)

/* DBGBCR/DBGWCR (Arm ARM D19.3): enabled, for EL1 and EL0 (PMC/PAC 0b11,
 * HMC and SSC 0), an address match; BAS the bytes that match. */
#define DBGBCR_E BIT(0)
#define DBGBCR_EL1_EL0 (3UL << 1)
#define DBGBCR_BAS_A64 (0xfUL << 5)
#define DBGWCR_LSC_SHIFT 3
#define DBGWCR_BAS_SHIFT 5
#define DBGWCR_MASK_SHIFT 24

enum { Z_SW, Z_HW, Z_WRITE, Z_READ, Z_ACCESS };

void gdb_send_stop(struct gdb_stub *s)
{
	static const char *const watch_names[] = { [Z_WRITE] = "watch", [Z_READ] = "rwatch",
						   [Z_ACCESS] = "awatch" };
	char reply[80];
	size_t n;

	n = (size_t)snprintf(reply, sizeof(reply), "T%02xthread:%x;",
			     s->stop.why == WHY_INTERRUPT ? 2 : 5, s->stop.vcpu + 1);
	if (s->stop.why == WHY_SWBREAK) {
		snprintf(reply + n, sizeof(reply) - n, "swbreak:;");
	} else if (s->stop.why == WHY_HWBREAK) {
		snprintf(reply + n, sizeof(reply) - n, "hwbreak:;");
	} else if (s->stop.why == WHY_WATCH) {
		snprintf(reply + n, sizeof(reply) - n, "%s:%lx;", watch_names[s->stop.type],
			 s->stop.addr);
	}
	gdb_send_str(s, reply);
}

/* v steps no more: its step is over, or gdb let it go. */
static void end_step(struct vcpu *v)
{
	v->step = false;
	v->regs.pstate &= ~PSR_SS;
}

/* With the lock held: once every vCPU is parked, the VM is halted. */
static void check_halted(struct gdb_stub *s)
{
	struct vm *vm = s->vm;
	unsigned i;

	if (s->run != GDB_HALTING) {
		return;
	}
	for (i = 0; i < vm->n_vcpus; i++) {
		if (!__atomic_load_n(&vm->vcpus[i].parked, __ATOMIC_ACQUIRE)) {
			return;
		}
	}
	s->run = GDB_HALTED;
	s->debugging = true;
	for (i = 0; i < vm->n_vcpus; i++) {
		end_step(&vm->vcpus[i]); /* one another vCPU's stop cut short */
	}
	s->cur = s->stop.vcpu;
	if (s->reply_due) {
		s->reply_due = false;
		gdb_send_stop(s);
	}
}

void gdb_halt(struct gdb_stub *s, enum gdb_why why, unsigned vcpu)
{
	struct vm *vm = s->vm;
	unsigned i;

	if (s->run != GDB_RUNNING) {
		return;
	}
	s->run = GDB_HALTING;
	s->stop.why = why;
	s->stop.vcpu = vcpu;
	for (i = 0; i < vm->n_vcpus; i++) {
		__atomic_store_n(&vm->vcpus[i].halted, true, __ATOMIC_RELEASE);
	}
	vm_kick_all(vm);
}

void gdb_park(struct vcpu *v)
{
	struct gdb_stub *s = v->vm->gdb;

	if (!s || __atomic_load_n(&v->parked, __ATOMIC_ACQUIRE) ||
	    !__atomic_load_n(&v->halted, __ATOMIC_ACQUIRE)) {
		return;
	}
	vmode->vcpu_flush(v);
	spin_lock(&s->lock);
	/* Still halted: gdb may have let it go meanwhile (a detach while the
	 * VM was halting), and a vCPU parked by mistake would count as
	 * stopped while it runs. */
	if (v->halted) {
		__atomic_store_n(&v->parked, true, __ATOMIC_RELEASE);
		check_halted(s);
	}
	spin_unlock(&s->lock);
}

/* Lets vCPU v run again. Halted is cleared before parked: a CPU that sees
 * it unparked (gdb_park()) sees it not halted either. */
static void release(struct vcpu *v)
{
	__atomic_store_n(&v->halted, false, __ATOMIC_RELEASE);
	__atomic_store_n(&v->parked, false, __ATOMIC_RELEASE);
	vm_kick(v);
}

bool gdb_resume(struct gdb_stub *s, const char *actions)
{
	struct vm *vm = s->vm;
	unsigned i;

	if (s->run != GDB_HALTED) {
		return false;
	}
	/* A vCPU that is off runs no instruction: its step would never end. */
	for (i = 0; i < vm->n_vcpus; i++) {
		if (actions[i] == 's' && vm->vcpus[i].power != VCPU_ON) {
			return false;
		}
	}
	for (i = 0; i < vm->n_vcpus; i++) {
		if (actions[i] == 's') {
			vm->vcpus[i].step = true;
			vm->vcpus[i].regs.pstate |= PSR_SS;
		}
	}
	s->run = GDB_RUNNING;
	s->reply_due = true;
	for (i = 0; i < vm->n_vcpus; i++) {
		if (actions[i]) {
			release(&vm->vcpus[i]);
		}
	}
	return true;
}

/* --- software breakpoints ------------------------------------------------ */

static struct gdb_swbp *find_swbp(struct gdb_stub *s, uint64_t va)
{
	unsigned i;

	for (i = 0; i < GDB_MAX_SWBP; i++) {
		if (s->swbp[i].used && s->swbp[i].va == va) {
			return &s->swbp[i];
		}
	}
	return NULL;
}

static uint32_t *insn_at(struct gdb_stub *s, ipaddr_t at)
{
	return vm_ram_ptr(s->vm, at, sizeof(uint32_t));
}

/* Writes insn at the breakpoint's place, for the guest to fetch. */
static void put_insn(struct gdb_stub *s, const struct gdb_swbp *bp, uint32_t insn)
{
	uint32_t *p = insn_at(s, bp->ipa);

	if (p) {
		*p = insn;
		dcache_clean_range(p, sizeof(*p));
		icache_inval_all();
	}
}

static int swbp(struct gdb_stub *s, bool insert, uint64_t va, uint64_t kind)
{
	struct gdb_swbp *bp = find_swbp(s, va);
	uint32_t brk = BRK_GDB, orig;
	ipaddr_t at;
	unsigned i;

	if (!insert) {
		if (bp) {
			put_insn(s, bp, bp->orig);
			bp->used = false;
		}
		return 0;
	}
	if (bp) {
		return 0;
	}
	if (kind != 4 || va % 4) {
		return 22;
	}
	for (i = 0; i < GDB_MAX_SWBP && s->swbp[i].used; i++) {
	}
	if (i == GDB_MAX_SWBP) {
		return 28;
	}
	/* Read and written where the address leads now; kept by its
	 * guest-physical address, which a remove or a reload finds again. */
	if (!gdb_mem_read(s, va, &orig, sizeof(orig)) ||
	    !gdb_mem_write(s, va, &brk, sizeof(brk), &at)) {
		return 14;
	}
	s->swbp[i] = (struct gdb_swbp){ .va = va, .ipa = at, .orig = orig, .used = true };
	return 0;
}

void gdb_vm_reloaded(struct vm *vm)
{
	struct gdb_stub *s = vm->gdb;
	unsigned i;

	if (!s) {
		return;
	}
	spin_lock(&s->lock);
	for (i = 0; i < GDB_MAX_SWBP; i++) {
		struct gdb_swbp *bp = &s->swbp[i];
		uint32_t *p = bp->used ? insn_at(s, bp->ipa) : NULL;

		if (p) {
			bp->orig = *p;
			put_insn(s, bp, BRK_GDB);
		}
	}
	spin_unlock(&s->lock);
}

/* --- hardware breakpoints and watchpoints -------------------------------- */

/* Whether any vCPU of the VM uses its own debug registers: then they are
 * the guest's, and gdb gets none. */
static bool guest_uses_debug(const struct vm *vm)
{
	unsigned i, k;

	for (i = 0; i < vm->n_vcpus; i++) {
		const struct debug_regs *d = &vm->vcpus[i].dbg;

		if (d->mdscr & (MDSCR_KDE | MDSCR_MDE)) {
			return true;
		}
		for (k = 0; k < DEBUG_MAX_PAIRS; k++) {
			if ((d->bcr[k] | d->wcr[k]) & DBGBCR_E) {
				return true;
			}
		}
	}
	return false;
}

/* DBGWCR for [addr, addr + len) of type t with DBGWVR *wvr; 0 if no
 * single watchpoint covers exactly that: within one doubleword (BAS), or
 * a naturally aligned power of two of at least 8 bytes (MASK). */
static uint64_t watch_control(uint64_t addr, uint64_t len, unsigned t, uint64_t *wvr)
{
	uint64_t lsc = t == Z_WRITE ? 2 : t == Z_READ ? 1 : 3;
	uint64_t base = DBGBCR_E | DBGBCR_EL1_EL0 | lsc << DBGWCR_LSC_SHIFT;
	unsigned shift;

	if (len == 0) {
		return 0;
	}
	if ((addr & 7) + len <= 8) {
		*wvr = addr & ~7UL;
		return base | ((1UL << len) - 1) << (DBGWCR_BAS_SHIFT + (addr & 7));
	}
	for (shift = 3; shift < 31 && (1UL << shift) < len; shift++) {
	}
	if ((1UL << shift) != len || addr & (len - 1)) {
		return 0;
	}
	*wvr = addr;
	return base | 0xffUL << DBGWCR_BAS_SHIFT | (uint64_t)shift << DBGWCR_MASK_SHIFT;
}

static void hw_changed(struct gdb_stub *s)
{
	unsigned k;

	s->hw.any = false;
	for (k = 0; k < DEBUG_MAX_PAIRS; k++) {
		s->hw.any |= s->hw.bcr[k] || s->hw.wcr[k];
	}
}

static int hw_point(struct gdb_stub *s, bool insert, unsigned t, uint64_t addr, uint64_t len)
{
	bool watch = t != Z_HW;
	unsigned n = vmode->debug_points ? vmode->debug_points(watch) : 0, k;
	uint64_t *ctl = watch ? s->hw.wcr : s->hw.bcr, *val = watch ? s->hw.wvr : s->hw.bvr;
	uint64_t control, where = 0;

	if (n == 0) {
		return -1;
	}
	if (watch) {
		control = watch_control(addr, len, t, &where);
	} else {
		control = addr % 4 ? 0 : DBGBCR_E | DBGBCR_EL1_EL0 | DBGBCR_BAS_A64;
		where = addr;
	}
	if (!control) {
		return 22;
	}
	for (k = 0; k < n; k++) {
		bool same = ctl[k] == control && val[k] == where;

		if (!insert && same) {
			ctl[k] = val[k] = 0;
			hw_changed(s);
			return 0;
		}
		if (insert && same) {
			return 0;
		}
	}
	if (!insert) {
		return 0;
	}
	if (guest_uses_debug(s->vm)) {
		return 16;
	}
	for (k = 0; k < n && ctl[k]; k++) {
	}
	if (k == n) {
		return 28;
	}
	ctl[k] = control;
	val[k] = where;
	if (watch) {
		s->watch[k] = (struct gdb_watch){ .addr = addr, .len = len, .type = t };
	}
	hw_changed(s);
	return 0;
}

int gdb_point(struct gdb_stub *s, bool insert, unsigned type, uint64_t addr, uint64_t kind)
{
	if (type == Z_SW) {
		return swbp(s, insert, addr, kind);
	}
	return hw_point(s, insert, type, addr, kind);
}

void gdb_detach(struct gdb_stub *s)
{
	struct vm *vm = s->vm;
	unsigned i;

	for (i = 0; i < GDB_MAX_SWBP; i++) {
		if (s->swbp[i].used) {
			swbp(s, false, s->swbp[i].va, 4);
		}
	}
	s->hw = (struct gdb_hw){ 0 };
	s->phys = false;
	s->no_ack = false;
	s->reply_due = false;
	if (s->run == GDB_EXITED) {
		return;
	}
	/* Every vCPU is parked or halting: none reads what changes here. */
	s->debugging = false;
	s->run = GDB_RUNNING;
	for (i = 0; i < vm->n_vcpus; i++) {
		end_step(&vm->vcpus[i]);
		release(&vm->vcpus[i]);
	}
}

/* --- the guest's debug exceptions ---------------------------------------- */

/* The watchpoint gdb set whose doubleword the access at far touched. */
static void find_watch(struct gdb_stub *s, uint64_t far)
{
	unsigned k;

	s->stop.addr = far;
	s->stop.type = Z_WRITE;
	for (k = 0; k < DEBUG_MAX_PAIRS; k++) {
		const struct gdb_watch *w = &s->watch[k];

		if (s->hw.wcr[k] && far + 8 > w->addr && far < w->addr + w->len + 8) {
			s->stop.addr = w->addr;
			s->stop.type = w->type;
			return;
		}
	}
}

enum trap_action gdb_trap(struct vcpu *v)
{
	struct gdb_stub *s = v->vm->gdb;
	unsigned ec = FIELD_GET(ESR_EC, v->trap.esr);
	enum gdb_why why = ec == EC_BRK64 ? WHY_SWBREAK : ec == EC_BREAKPT_LOW ? WHY_HWBREAK :
			   ec == EC_WATCHPT_LOW ? WHY_WATCH : WHY_STEP;

	if (!s) {
		return TRAP_RESUME; /* cannot be: TDE is set only for a stub's VM */
	}
	spin_lock(&s->lock);
	if (why == WHY_SWBREAK && !(s->debugging && find_swbp(s, v->regs.pc))) {
		/* The guest's own BRK: as the CPU would have delivered it. */
		spin_unlock(&s->lock);
		if (!inject_brk(v)) {
			vm_crash(v->vm, "BRK at pc 0x%lx with no usable vector", v->regs.pc);
			return TRAP_EXIT;
		}
		return TRAP_RESUME;
	}
	if (s->debugging && s->run == GDB_RUNNING) {
		gdb_halt(s, why, v->id);
		if (why == WHY_WATCH) {
			find_watch(s, v->trap.far);
		}
	}
	spin_unlock(&s->lock);
	/* Halted, or not debugged any more (a stale step or hit): it goes
	 * on, and its next entry says which. */
	return TRAP_RESUME;
}

void gdb_vm_stopped(struct vm *vm)
{
	struct gdb_stub *s = vm->gdb;

	if (!s) {
		return;
	}
	spin_lock(&s->lock);
	s->run = GDB_EXITED;
	s->debugging = false;
	if (s->reply_due) {
		s->reply_due = false;
		gdb_send_str(s, "W00");
	}
	spin_unlock(&s->lock);
}
