/*
 * Fuzz target: the GDB stub (hv/core/gdb.c, gdb_halt.c, gdb_rsp.c) over a
 * fake VM of two vCPUs and 64 KiB of RAM, fed what a debugger could send:
 * any bytes, in frames as console_focus.c hands them over, with the
 * vCPUs' CPUs parking them when halted and debug exceptions arriving.
 *
 * Input: a byte choosing the vCPUs' translation regime (MMU off, or 4 KiB
 * pages through tables at the RAM's start), 512 bytes of RAM from its
 * start (the first level's descriptors, code) and then commands:
 * a byte (below 0xf0: a byte for the stub; 0xf0-0xf7: the vCPUs' home
 * CPUs look at them, gdb_park(); 0xf8-0xfb: vCPU 0 takes a debug
 * exception, the next byte its class; 0xfc: a packet from the input,
 * length byte then bytes, framed with its sum; others: the VM
 * stops). tests/fuzz/make_seeds.py writes seeds of real gdb sessions.
 *
 * Checked, besides crashes and sanitizer reports (the RAM is an exact
 * allocation, so a reach outside it is caught):
 *   - every frame the stub writes is Ctrl-] 'g' '0', a payload of
 *     printable bytes without '$', '#' or Ctrl-] inside a packet, '\n';
 *   - a vCPU's PSTATE is AArch64 EL0 or EL1 whatever gdb writes;
 *   - the stub reads registers only of parked vCPUs: a halted VM is one
 *     whose vCPUs are all parked.
 */
#include "fuzz_input.h"

#include "core/gdb_stub.h"
#include "core/vm.h"
#include "core/vmode.h"

#define RAM_IPA 0x40000000UL
#define RAM_SIZE 0x10000UL

static struct vm the_vm;
static uint8_t *ram;

unsigned vm_count(void)
{
	return 1;
}

struct vm *vm_by_id(unsigned id)
{
	return id == 0 ? &the_vm : NULL;
}

void *vm_ram_ptr(const struct vm *vm, ipaddr_t at, uint64_t size)
{
	uint64_t a = ipa_addr(at);

	if (a < RAM_IPA || size > RAM_SIZE || a - RAM_IPA > RAM_SIZE - size) {
		return NULL;
	}
	return ram + (a - RAM_IPA);
}

/* The frames the stub writes: checked as they come. */
void console_write(const char *s, size_t len)
{
	size_t i;

	if (len < 4 || s[0] != 0x1d || s[1] != 'g' || s[2] != '0' || s[len - 1] != '\n') {
		abort();
	}
	for (i = 3; i < len - 1; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			abort();
		}
	}
}

void printk(const char *fmt, ...)
{
}

void vm_kick(struct vcpu *v)
{
}

void vm_kick_all(struct vm *vm)
{
}

void vm_crash(struct vm *vm, const char *fmt, ...)
{
	gdb_vm_stopped(vm);
}

bool inject_brk(struct vcpu *v)
{
	return true;
}

uint64_t id_reg_read(unsigned crm, unsigned op2)
{
	return crm == 7 && op2 == 0 ? 0x5 : 0; /* 48-bit PA, every granule */
}

void dcache_clean_range(const void *p, size_t size)
{
}

void icache_inval_all(void)
{
}

void stats_report(const struct vm *vm, stats_line_fn *fn, void *ctx)
{
	fn(ctx, "exits", 3);
}

void vgic_report(struct vgic *g, vgic_report_fn *fn, void *ctx)
{
	struct virq q = { .enabled = true };

	fn(ctx, 0, 27, &q);
}

const char *vm_region_name(ipaddr_t base)
{
	return "device";
}

static void fake_flush(struct vcpu *v)
{
	/* Only between turns, of a halted vCPU. */
	if (!v->halted) {
		abort();
	}
}

static void fake_fp_reg(struct vcpu *v, unsigned n, uint64_t val[2], bool write)
{
	if (n >= 32 || !v->parked) {
		abort();
	}
	if (write) {
		v->fp.v[2 * n] = val[0];
		v->fp.v[2 * n + 1] = val[1];
	} else {
		val[0] = v->fp.v[2 * n];
		val[1] = v->fp.v[2 * n + 1];
	}
}

static unsigned fake_points(bool watch)
{
	return watch ? 4 : 6;
}

static void fake_report(struct vm *vm, vm_map_fn *fn, void *ctx)
{
	fn(ctx, ipa(RAM_IPA), pa(0x80000000UL), RAM_SIZE, VM_MEM_RAM);
}

static const struct vmode fake_mode = {
	.vcpu_flush = fake_flush,
	.fp_reg = fake_fp_reg,
	.debug_points = fake_points,
	.vm_report_map = fake_report,
};
const struct vmode *vmode = &fake_mode;

static void check_vcpus(void)
{
	unsigned i;

	for (i = 0; i < the_vm.n_vcpus; i++) {
		uint64_t m = the_vm.vcpus[i].regs.pstate & 0x1f;

		if (m != PSR_MODE_EL0T && m != PSR_MODE_EL1T && m != PSR_MODE_EL1H) {
			abort();
		}
	}
}

static void park_all(void)
{
	unsigned i;

	for (i = 0; i < the_vm.n_vcpus; i++) {
		gdb_park(&the_vm.vcpus[i]);
	}
}

static void feed_packet(struct input *in)
{
	unsigned len = (unsigned)take_bytes(in, 1), i;
	uint8_t sum = 0;
	char hex[3];

	gdb_input(0, '$');
	for (i = 0; i < len && in->left; i++) {
		char c = (char)take_bytes(in, 1);

		sum += (uint8_t)c;
		gdb_input(0, c);
	}
	snprintf(hex, sizeof(hex), "%02x", sum);
	gdb_input(0, '#');
	gdb_input(0, hex[0]);
	gdb_input(0, hex[1]);
}

static void setup(struct input *in)
{
	uint8_t regime = (uint8_t)take_bytes(in, 1);
	unsigned i;

	memset(&the_vm, 0, sizeof(the_vm));
	memset(ram, 0, RAM_SIZE);
	the_vm.name = "vm0";
	the_vm.n_vcpus = 2;
	the_vm.cfg.gdb = regime & 1 ? VM_GDB_WAIT : VM_GDB_NOWAIT;
	for (i = 0; i < 2; i++) {
		struct vcpu *v = &the_vm.vcpus[i];

		v->vm = &the_vm;
		v->id = i;
		v->power = VCPU_ON;
		v->regs.pc = RAM_IPA;
		v->regs.pstate = PSR_MODE_EL1H;
		if (regime & 2) {
			/* 4 KiB pages, 39-bit VAs, tables from RAM's first page. */
			v->sys.sctlr = 1;
			v->sys.tcr = 25 | 25UL << 16 | 2UL << 30 | 5UL << 32;
			v->sys.ttbr0 = v->sys.ttbr1 = RAM_IPA;
		}
	}
	gdb_attach_stub(&the_vm);
	/* The next 512 bytes of input: RAM's first, where the tables start. */
	for (i = 0; i < 512 && in->left; i += 8) {
		uint64_t w = take_bytes(in, 8);

		memcpy(ram + i, &w, sizeof(w));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ecs[] = { EC_BRK64, EC_BREAKPT_LOW, EC_SOFTSTP_LOW, EC_WATCHPT_LOW };
	struct input in = input_of(data, size);
	unsigned steps = 0;

	if (!ram) {
		ram = malloc(RAM_SIZE);
	}
	setup(&in);
	while (in.left && steps++ < 4096) {
		uint8_t b = (uint8_t)take_bytes(&in, 1);

		if (b < 0xf0) {
			gdb_input(0, (char)b);
		} else if (b < 0xf8) {
			park_all();
		} else if (b < 0xfc) {
			struct vcpu *v = &the_vm.vcpus[0];

			if (!v->halted) {
				v->trap.esr = (uint64_t)ecs[take_bytes(&in, 1) % 4] << 26;
				v->trap.far = RAM_IPA + take_bytes(&in, 2);
				gdb_trap(v);
			}
		} else if (b == 0xfc) {
			feed_packet(&in);
		} else {
			gdb_vm_stopped(&the_vm);
		}
		check_vcpus();
	}
	return 0;
}
