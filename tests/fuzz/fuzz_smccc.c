/*
 * Fuzz target: the guest's HVC and SMC calls (hv/core/smccc.c), PSCI
 * (hv/core/vpsci.c) and Vireo's other services (hv/core/hypercall.c: its
 * own vendor hypercalls, PV time, the TRNG), whose arguments are whatever
 * a guest puts in x0-x3; PV time's records sit where the guest machine's
 * table puts them (hv/vdev/vmachine.c).
 *
 * A VM of 1-8 vCPUs (MPIDRs as the input says, duplicates included), RAM
 * somewhere in its IPA space (a real allocation of its size, so that a
 * range the checks let through is checked again by AddressSanitizer),
 * some vCPUs on, and a CPU whose ID_AA64PFR0_EL1 the input gives; then a
 * sequence of calls, each from a vCPU that is on, by HVC (with an
 * immediate) or SMC, with a function ID that is either one Vireo knows or
 * any 32-bit value, and arguments that are either MPIDRs, RAM addresses
 * and lengths of this VM, or any value. The rest of the hypervisor is
 * stubbed below (vm_ram_ptr() as vm.c defines it).
 *
 * After each call the result is compared with what the SMC Calling
 * Convention (DEN0028), PSCI (DEN0022), PV time (DEN0057A) and
 * docs/hypercalls.md say Vireo must answer: the values in x0 (and x1-x3
 * where a call returns more), no other register changed, the PC past an
 * SMC but not an HVC (ELR_EL2 already points past it), and the VM's
 * state: CPU_ON makes exactly the off vCPU named ON_PENDING, with the
 * given entry point and context ID recorded for its own CPU to start it
 * at (core/vcpu.c's requests; the input says when those CPUs get to it),
 * only if the entry is a word in its RAM; CPU_OFF stops the caller, and
 * the VM with its last vCPU that is on or pending; SYSTEM_OFF and SYSTEM_RESET end it; a
 * shared page or console buffer is taken only when it lies in the VM's
 * RAM; exit statistics are read only for this VM's vCPUs, kinds and keys
 * that exist (the counts themselves: tests/unit/test_stats.c). The host
 * has no RNDR instruction, so the TRNG is absent
 * (tests/fuzz/fuzz_shim.h).
 */
#include <stdarg.h>
#include <string.h>

#include "fuzz_input.h"
#include "arch/aarch64/rndr.h"
#include "core/channel.h"
#include "core/hypercall.h"
#include "core/psci.h"
#include "core/pv.h"
#include "core/sched.h"
#include "core/smccc.h"
#include "core/vm.h"

#define MAX_CALLS 64
#define MAX_RAM (256UL << 10)

static struct vm vm;
static struct pcpu cpus[VM_MAX_VCPUS];
static uint8_t *ram; /* the VM's RAM: vm.ram_size bytes */
static uint64_t pfr0;
static struct input *in;

/* What the stubs saw during one call. */
static struct {
	unsigned kick, stop, reboot, running, yield, console, info, ring;
	struct vcpu *kick_target, *running_vcpu;
	struct pcpu *yield_cpu;
	const char *console_buf;
	size_t console_len;
	uint64_t channel_id;
	int64_t channel_ret;
} seen;

/* ---- the rest of the hypervisor ----------------------------------------- */

/* The host has no RNDR (arch/aarch64/rndr.c): no TRNG service. */
bool rndr_present(void)
{
	return false;
}

bool rndr_read(uint64_t *out)
{
	return false;
}

uint64_t fuzz_read_sysreg(const char *name)
{
	check(strcmp(name, "id_aa64pfr0_el1") == 0, "unexpected read of %s", name);
	return pfr0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
	check(false, "unexpected write of %s", name);
}

/* As vm.c's: the range must lie entirely in the VM's RAM. */
void *vm_ram_ptr(const struct vm *m, ipaddr_t addr, uint64_t size)
{
	uint64_t off = ipa_addr(addr) - ipa_addr(m->ram_ipa);

	check(m == &vm, "vm_ram_ptr() of another VM");
	if (ipa_addr(addr) < ipa_addr(m->ram_ipa) || off > m->ram_size || size > m->ram_size - off) {
		return NULL;
	}
	return ram + off;
}

static bool is_vcpu(const struct vcpu *v)
{
	return v >= vm.vcpus && v < vm.vcpus + vm.n_vcpus;
}

/* What each vCPU's own CPU does with a CPU_ON's request (vcpu.c's
 * vcpu_handle_requests(), less the reset of the rest of its state). */
static void home_cpus_run(void)
{
	unsigned i;

	for (i = 0; i < vm.n_vcpus; i++) {
		struct vcpu *v = &vm.vcpus[i];

		if (v->requests & VCPU_REQ_START) {
			memset(&v->regs, 0, sizeof(v->regs));
			v->regs.pc = ipa_addr(v->start.entry);
			v->regs.x[0] = v->start.arg;
			v->regs.pstate = 0x3c5;
			v->power = VCPU_ON;
		}
		v->requests = 0;
	}
}

/* stats.c prints only at the console's request, never from a call. */
void printk(const char *fmt, ...)
{
	check(false, "printk(\"%s\") from a call", fmt);
}

void vm_kick(struct vcpu *v)
{
	check(is_vcpu(v), "kick of a vCPU not in the VM");
	seen.kick_target = v;
	seen.kick++;
}

void vm_stop(struct vm *m, const char *fmt, ...)
{
	check(m == &vm, "vm_stop() of another VM");
	seen.stop++;
}

void vm_request_reset(struct vm *m)
{
	check(m == &vm, "vm_request_reset() of another VM");
	seen.reboot++;
}

void pv_running(struct vcpu *v)
{
	check(is_vcpu(v), "pv_running() of a vCPU not in the VM");
	seen.running_vcpu = v;
	seen.running++;
}

void sched_yield_soon(struct pcpu *cpu)
{
	seen.yield_cpu = cpu;
	seen.yield++;
}

void vpl011_write(struct vpl011 *u, const struct vcpu *v, const char *buf, size_t len)
{
	size_t i;
	unsigned sum = 0;

	check(u == &vm.uart, "console write to another UART");
	for (i = 0; i < len; i++) {
		sum += (uint8_t)buf[i]; /* AddressSanitizer checks the range */
	}
	(void)sum;
	seen.console_buf = buf;
	seen.console_len = len;
	seen.console++;
}

/* channel.c's calls, answering from the input. */
int64_t channel_info(struct vcpu *v, uint64_t id)
{
	seen.channel_id = id;
	seen.info++;
	return seen.channel_ret;
}

int64_t channel_ring(struct vcpu *v, uint64_t id)
{
	seen.channel_id = id;
	seen.ring++;
	return seen.channel_ret;
}

/* ---- what the specifications say ---------------------------------------- */

#define NOT_SUPPORTED ((uint64_t)(int64_t)-1)
#define INVALID_PARAMETERS ((uint64_t)(int64_t)-2)
#define AFF(mpidr) ((mpidr) & 0xff00ffffffUL)

/* The function IDs Vireo implements, and some neighbours it must refuse. */
static const uint32_t known[] = {
	SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2,
	SMCCC_ARCH_WORKAROUND_3, PSCI_VERSION, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF,
	PSCI_CPU_ON_64, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,
	PSCI_SYSTEM_RESET, PSCI_FEATURES,
	VIREO_HC_VERSION, VIREO_HC_NULL, VIREO_HC_SHARED_PAGE, VIREO_HC_CONSOLE_WRITE,
	VIREO_HC_YIELD, VIREO_HC_CHANNEL_INFO, VIREO_HC_DOORBELL, VIREO_HC_EXIT_STATS,
	VIREO_HC_CALL_COUNT,
	VIREO_HC_CALL_UID, VIREO_HC_REVISION, PV_TIME_FEATURES, PV_TIME_ST, TRNG_VERSION,
	TRNG_FEATURES, TRNG_GET_UUID, TRNG_RND32, TRNG_RND64,
	0x84000001, 0x84000003, 0x84000004, 0xc4000000, 0xc4000002, 0xc400000a, 0x84000005,
	0x84000007, 0x8400000b, 0x8400000c, 0x84000012, 0xc4000012, 0x840000ff, 0x84000020,
	0x04000000, 0x00000000, 0xc0000000, 0x86000002, 0xc6000001, 0x86000003, 0x85000020,
	0xc5000022, 0xbf000000, 0x80000002, 0x8000ffff, 0xc600ff01, 0x8600ff02,
};

/* docs/hypercalls.md's EXIT_STATS: a vCPU of the VM or all of them, one
 * of the kinds 0-11, and a key in its kind's range; this VM has no
 * emulated devices, so no MMIO key is one. */
static bool stats_args_valid(uint64_t vcpu, uint64_t kind, uint64_t key)
{
	if (vcpu != 0xffffffffU && vcpu >= vm.n_vcpus) {
		return false;
	}
	switch (kind) {
	case 1:
		return key <= 63;
	case 3:
		return key <= UINT32_MAX;
	case 4:
		return key < 65536;
	case 5:
		return false;
	}
	return kind <= 11;
}

static bool psci_implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION: case PSCI_CPU_SUSPEND_64: case PSCI_CPU_OFF: case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_64: case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET: case PSCI_FEATURES: case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

static uint64_t arch_features(uint32_t fid)
{
	bool csv2 = (pfr0 >> 56) & 0xf, csv3 = (pfr0 >> 60) & 0xf;

	switch (fid) {
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
	case PV_TIME_FEATURES:
		return 0;
	case SMCCC_ARCH_WORKAROUND_1:
		return csv2 ? 1 : NOT_SUPPORTED;
	case SMCCC_ARCH_WORKAROUND_3:
		return csv2 && csv3 ? 1 : NOT_SUPPORTED;
	default:
		return NOT_SUPPORTED;
	}
}

static struct vcpu *by_mpidr(uint64_t mpidr)
{
	unsigned i;

	for (i = 0; i < vm.n_vcpus; i++) {
		if (AFF(vm.vcpus[i].vmpidr) == AFF(mpidr)) {
			return &vm.vcpus[i];
		}
	}
	return NULL;
}

/* Whether [a, a + len) lies in the VM's RAM. */
static bool in_ram(uint64_t a, uint64_t len)
{
	uint64_t b = ipa_addr(vm.ram_ipa);

	return a >= b && a - b <= vm.ram_size && len <= vm.ram_size - (a - b);
}

/* ---- one call ------------------------------------------------------------- */

enum outcome { RESUMES, STOPS };

struct expect {
	enum outcome outcome;
	bool writes_x0;
	uint64_t x0;
	bool x0_counts;        /* x0 is a count, any, rather than x0 */
	bool writes_x1_3;      /* x1-x3 as below */
	uint64_t x1, x2, x3;
	struct vcpu *started, *stopped;
	bool vm_stops, vm_resets;
	bool shares_page;      /* the caller's shared page becomes x1 (or none) */
	bool writes_console;   /* x2 bytes at x1 go to the console */
	bool yields;
	unsigned channel_call; /* 1: channel_info(x1), 2: channel_ring(w1) */
};

static struct expect expected(struct vcpu *v, bool smc, uint16_t imm)
{
	uint32_t fid = (uint32_t)v->regs.x[0];
	uint64_t x1 = v->regs.x[1], x2 = v->regs.x[2];
	struct expect e = { .outcome = RESUMES, .writes_x0 = true, .x0 = NOT_SUPPORTED };
	struct vcpu *t;
	unsigned i, on = 0;

	if (!smc && imm != 0) {
		return e; /* HVC #imm != 0: not an SMCCC call */
	}
	switch (fid) {
	case SMCCC_VERSION:
		e.x0 = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		e.x0 = arch_features((uint32_t)x1);
		break;
	case PSCI_VERSION:
		e.x0 = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_SUSPEND_64:
		e.x0 = PSCI_SUCCESS;
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		e.x0 = PSCI_TOS_NOT_PRESENT;
		break;
	case PSCI_FEATURES:
		e.x0 = psci_implemented((uint32_t)x1) ? 0 : NOT_SUPPORTED;
		break;
	case PSCI_AFFINITY_INFO_64:
		t = by_mpidr(x1);
		e.x0 = !t || x2 != 0	       ? INVALID_PARAMETERS
		       : t->power == VCPU_ON	       ? PSCI_AFFINITY_ON
		       : t->power == VCPU_ON_PENDING ? 2 /* ON_PENDING */
						       : PSCI_AFFINITY_OFF;
		break;
	case PSCI_CPU_ON_64:
		t = by_mpidr(x1);
		if (!t) {
			e.x0 = INVALID_PARAMETERS;
		} else if (x2 % 4 != 0 || !in_ram(x2, 4)) {
			e.x0 = (uint64_t)(int64_t)PSCI_INVALID_ADDRESS;
		} else if (t->power == VCPU_ON) {
			e.x0 = (uint64_t)(int64_t)PSCI_ALREADY_ON;
		} else if (t->power == VCPU_ON_PENDING) {
			e.x0 = (uint64_t)(int64_t)-5; /* ON_PENDING */
		} else {
			e.x0 = PSCI_SUCCESS;
			e.started = t;
		}
		break;
	case PSCI_CPU_OFF:
		e = (struct expect){ .outcome = STOPS, .stopped = v };
		for (i = 0; i < vm.n_vcpus; i++) {
			on += &vm.vcpus[i] != v && vm.vcpus[i].power != VCPU_OFF;
		}
		e.vm_stops = on == 0;
		break;
	case PSCI_SYSTEM_OFF:
		e = (struct expect){ .outcome = STOPS, .vm_stops = true };
		break;
	case PSCI_SYSTEM_RESET:
		e = (struct expect){ .outcome = STOPS, .vm_resets = true };
		break;
	case VIREO_HC_VERSION:
		e.x0 = VIREO_HC_VERSION_1_0;
		break;
	case VIREO_HC_NULL:
		e.x0 = 0;
		break;
	case VIREO_HC_CALL_UID:
		/* 9ce1d6a6-3c5e-4f6b-a8e1-0b5c7d3f2e91, bytes in order from w0's low byte */
		e = (struct expect){ .writes_x0 = true, .x0 = 0xa6d6e19c, .writes_x1_3 = true,
				     .x1 = 0x6b4f5e3c, .x2 = 0x5c0be1a8, .x3 = 0x912e3f7d };
		break;
	case VIREO_HC_REVISION:
		e = (struct expect){ .writes_x0 = true, .x0 = 1, .writes_x1_3 = true, .x1 = 0,
				     .x2 = v->regs.x[2], .x3 = v->regs.x[3] };
		break;
	case VIREO_HC_SHARED_PAGE:
		e.shares_page = x1 == 0 || (x1 % PAGE_SIZE == 0 && in_ram(x1, PAGE_SIZE));
		e.x0 = e.shares_page ? 0 : INVALID_PARAMETERS;
		break;
	case VIREO_HC_CONSOLE_WRITE:
		e.writes_console = x2 <= VIREO_CONSOLE_MAX && in_ram(x1, x2);
		e.x0 = e.writes_console ? x2 : INVALID_PARAMETERS;
		break;
	case VIREO_HC_YIELD:
		e.x0 = 0;
		e.yields = true;
		break;
	case VIREO_HC_CHANNEL_INFO:
		e.x0 = (uint64_t)seen.channel_ret;
		e.channel_call = 1;
		break;
	case VIREO_HC_DOORBELL:
		e.x0 = (uint64_t)seen.channel_ret;
		e.channel_call = 2;
		break;
	case VIREO_HC_EXIT_STATS:
		e.x0_counts = stats_args_valid(x1, x2, v->regs.x[3]);
		e.x0 = INVALID_PARAMETERS;
		break;
	case PV_TIME_FEATURES:
		e.x0 = (uint32_t)x1 == PV_TIME_FEATURES || (uint32_t)x1 == PV_TIME_ST ? 0
										       : NOT_SUPPORTED;
		break;
	case PV_TIME_ST:
		e.x0 = vm_regions[VM_PVTIME].base + v->id * sizeof(struct pvtime_record);
		break;
	default: /* and the TRNG: the host has no RNDR */
		break;
	}
	return e;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* An argument: any value, or one that means something to this VM. */
static uint64_t argument(unsigned mode, uint64_t raw)
{
	uint64_t base = ipa_addr(vm.ram_ipa), size = vm.ram_size;

	switch (mode % 8) {
	case 1: /* a vCPU's MPIDR */
		return vm.vcpus[raw % vm.n_vcpus].vmpidr;
	case 2: /* ... its affinity only, or with other bits flipped (ignored) */
		return raw & 1 ? AFF(vm.vcpus[raw % vm.n_vcpus].vmpidr)
			       : vm.vcpus[raw % vm.n_vcpus].vmpidr ^ (raw & ~0xff00ffffffUL);
	case 3: /* an address in RAM */
		return base + raw % size;
	case 4: /* a page of RAM */
		return base + (raw % size & ~(PAGE_SIZE - 1));
	case 5: /* near the end of RAM, or past it */
		return base + size - raw % 0x2000;
	case 6: /* a length */
		return raw % 0x1800;
	case 7: /* a function ID */
		return known[raw % ARRAY_SIZE(known)];
	default:
		return raw;
	}
}

/* Returns false when the VM has ended. */
static bool one_call(void)
{
	struct vcpu *on[VM_MAX_VCPUS], *v;
	unsigned n_on = 0, i, pick = take_u8(in), conduit = take_u8(in), fidsel = take_u8(in);
	uint16_t imm = take_u16(in);
	uint32_t fid = take_u32(in);
	unsigned x1mode = take_u8(in), x2mode = take_u8(in);
	uint64_t x0hi = take_u32(in), x1 = take_u64(in), x2 = take_u64(in), x3 = take_u64(in);
	bool smc = conduit & 1, homes_run = conduit & 2;
	enum vcpu_power was[VM_MAX_VCPUS];
	struct vireo_shared_page *page_before;
	ipaddr_t page_ipa_before;
	struct cpu_regs before;
	enum trap_action act;
	struct expect e;

	for (i = 0; i < vm.n_vcpus; i++) {
		was[i] = vm.vcpus[i].power;
		if (was[i] == VCPU_ON) {
			on[n_on++] = &vm.vcpus[i];
		}
	}
	if (n_on == 0) {
		return false;
	}
	v = on[pick % n_on];
	if (fidsel < 2 * ARRAY_SIZE(known)) {
		fid = known[fidsel % ARRAY_SIZE(known)];
	}
	for (i = 4; i < 31; i++) {
		v->regs.x[i] = mix(v->regs.x[i] ^ i);
	}
	v->regs.x[0] = x0hi << 32 | fid;
	v->regs.x[1] = argument(x1mode, x1);
	v->regs.x[2] = argument(x2mode, x2);
	v->regs.x[3] = x3;
	v->regs.pc = mix(v->regs.pc) & ~3UL;
	v->trap.esr = (uint64_t)(smc ? EC_SMC64 : EC_HVC64) << 26 | ESR_IL | imm;

	memset(&seen, 0, sizeof(seen));
	seen.channel_ret = (int64_t)mix(x3) % 4 - 3;
	e = expected(v, smc, imm);
	before = v->regs;
	page_before = v->shared_page;
	page_ipa_before = v->shared_page_ipa;

	act = smc ? trap_smc(v) : trap_hvc(v);

	fid = (uint32_t)before.x[0];
	x1 = before.x[1];
	x2 = before.x[2];
	check(act == (e.outcome == STOPS ? TRAP_EXIT : TRAP_RESUME),
	      "fid 0x%08x: trap_action %d", fid, act);
	check(v->regs.pc == before.pc + (smc ? 4 : 0), "fid 0x%08x: PC moved by %ld", fid,
	      (long)(v->regs.pc - before.pc));
	if (e.x0_counts) {
		check((int64_t)v->regs.x[0] >= 0, "fid 0x%08x: a count of 0x%lx", fid, v->regs.x[0]);
	} else if (e.writes_x0) {
		check(v->regs.x[0] == e.x0, "fid 0x%08x (x1 0x%lx, x2 0x%lx): x0 = 0x%lx, not 0x%lx",
		      fid, x1, x2, v->regs.x[0], e.x0);
	} else {
		check(v->regs.x[0] == before.x[0], "fid 0x%08x: x0 written", fid);
	}
	if (e.writes_x1_3) {
		check(v->regs.x[1] == e.x1 && v->regs.x[2] == e.x2 && v->regs.x[3] == e.x3,
		      "fid 0x%08x: x1-x3 = 0x%lx 0x%lx 0x%lx", fid, v->regs.x[1], v->regs.x[2],
		      v->regs.x[3]);
	}
	for (i = e.writes_x1_3 ? 4 : 1; i < 31; i++) {
		/* channel_info() writes x1-x3 itself; its stub does not */
		check(v->regs.x[i] == before.x[i], "fid 0x%08x: x%u changed", fid, i);
	}
	check(v->regs.sp_el0 == before.sp_el0 && v->regs.pstate == before.pstate,
	      "fid 0x%08x: SP_EL0 or PSTATE changed", fid);

	check(seen.kick == (e.started != NULL) && seen.kick_target == e.started,
	      "fid 0x%08x: %u kicks", fid, seen.kick);
	if (e.started) {
		check(ipa_addr(e.started->start.entry) == x2 && e.started->start.arg == before.x[3] &&
			      e.started->requests == VCPU_REQ_START,
		      "CPU_ON: entry, context ID or request lost");
	}
	for (i = 0; i < vm.n_vcpus; i++) {
		struct vcpu *w = &vm.vcpus[i];
		enum vcpu_power want = w == e.started   ? VCPU_ON_PENDING
				       : w == e.stopped ? VCPU_OFF
							: was[i];

		check(w->power == want, "fid 0x%08x: vCPU %u is %d, not %d", fid, i, w->power, want);
	}
	if (homes_run) {
		home_cpus_run();
	}
	check(seen.stop == (unsigned)e.vm_stops, "fid 0x%08x: %u vm_stop()", fid, seen.stop);
	check(seen.reboot == (unsigned)e.vm_resets, "fid 0x%08x: %u vm_request_reset()", fid,
	      seen.reboot);

	if (e.shares_page) {
		check(x1 == 0 ? v->shared_page == NULL && ipa_addr(v->shared_page_ipa) == 0
			      : (uint8_t *)v->shared_page == ram + (x1 - ipa_addr(vm.ram_ipa)) &&
					ipa_addr(v->shared_page_ipa) == x1,
		      "shared page at 0x%lx", x1);
		check(seen.running == (x1 != 0) && (x1 == 0 || seen.running_vcpu == v),
		      "shared page: pv_running() %u times", seen.running);
	} else {
		check(v->shared_page == page_before &&
			      ipa_addr(v->shared_page_ipa) == ipa_addr(page_ipa_before) &&
			      seen.running == 0,
		      "fid 0x%08x: shared page changed", fid);
	}
	check(seen.console == e.writes_console, "fid 0x%08x: %u console writes", fid,
	      seen.console);
	if (e.writes_console) {
		check(seen.console_buf == (const char *)ram + (x1 - ipa_addr(vm.ram_ipa)) &&
			      seen.console_len == x2,
		      "console write of the wrong bytes");
	}
	check(seen.yield == e.yields && (!e.yields || seen.yield_cpu == v->home),
	      "fid 0x%08x: %u yields", fid, seen.yield);
	check(seen.info == (e.channel_call == 1) && seen.ring == (e.channel_call == 2),
	      "fid 0x%08x: channel calls", fid);
	if (e.channel_call) {
		check(seen.channel_id == (e.channel_call == 1 ? x1 : (uint32_t)x1),
		      "channel %lx for x1 0x%lx", seen.channel_id, x1);
	}
	return !e.vm_stops && !e.vm_resets;
}

/* ---- the VM ------------------------------------------------------------- */

static void build_vm(void)
{
	unsigned flags = take_u8(in), i;
	uint8_t powered = take_u8(in) | 1;
	uint64_t base = take_u64(in), size = take_u64(in);

	memset(&vm, 0, sizeof(vm));
	vm.n_vcpus = 1 + (flags & 7);
	pfr0 = take_u64(in);
	for (i = 0; i < vm.n_vcpus; i++) {
		struct vcpu *v = &vm.vcpus[i];

		switch ((flags >> 3) & 3) {
		case 0: /* as vm.c numbers them */
			v->vmpidr = 0x80000000UL | i;
			break;
		case 1: /* clusters of four */
			v->vmpidr = 0x80000000UL | (i / 4) << 8 | (i % 4);
			break;
		case 2: /* all four affinity levels, the MT bit */
			v->vmpidr = 0x80000000UL | 1UL << 24 | (uint64_t)(i + 1) << 32 | i << 16 | i;
			break;
		default: /* anything, duplicates too */
			v->vmpidr = take_u64(in);
			break;
		}
		v->vm = &vm;
		v->id = i;
		v->home = &cpus[i];
		v->power = (powered >> i) & 1 ? VCPU_ON : VCPU_OFF;
	}
	/* RAM: 4 KiB to 256 KiB, at QEMU's 1 GiB, or anywhere (the end of
	 * the address space too), page-aligned or not. */
	vm.ram_size = (4096UL << (size % 7)) - (flags & 0x40 ? (size >> 8) % 4096 : 0);
	if (flags & 0x20) {
		vm.ram_ipa = ipa(flags & 0x80 ? -vm.ram_size - (base % 0x4000) : base);
	} else {
		vm.ram_ipa = ipa(0x40000000UL + (base % 64) * PAGE_SIZE);
	}
	ram = malloc(vm.ram_size);
	check(ram != NULL, "out of memory");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input stream = input_of(data, size);
	unsigned n;

	in = &stream;
	build_vm();
	for (n = 0; n < MAX_CALLS && !input_done(in); n++) {
		if (!one_call()) {
			break;
		}
	}
	free(ram);
	ram = NULL;
	in = NULL;
	return 0;
}
