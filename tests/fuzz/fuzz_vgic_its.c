/*
 * Fuzz target: the virtual ITS and LPIs (hv/vdev/vgic_its.c,
 * vgic_its_cmd.c, vgic_lpi.c) as a guest drives them: ITS and
 * redistributor register accesses at guest-chosen offsets, sizes and
 * values, guest-chosen bytes in its RAM (tables, the command queue),
 * commands decoded and executed straight from 32 guest-chosen bytes, and
 * guest entries and exits (vgic_fill_lrs(), vgic_sync_lrs()).
 *
 * The guest's RAM is a heap buffer of exactly RAM_SIZE bytes behind an
 * accessor that, like vm_ram_ptr(), refuses any range not wholly inside
 * it: whatever the guest puts in its tables, an access past the buffer is
 * an AddressSanitizer report.
 *
 * Input: one byte of configuration (bits 0-2: vCPUs - 1), then operations,
 * each an opcode byte and a fixed-size record (the OP_* cases below;
 * tests/fuzz/make_seeds.py writes them).
 *
 * Checked after every operation, besides crashes and sanitizer reports:
 *   - no lock is left held, and kicks happen with it held, for real vCPUs;
 *   - each vCPU's count of pending LPIs is its bitmap's;
 *   - GITS_CREADR is 32-byte aligned inside the queue GITS_CBASER gives;
 *   - a read returns no more bits than its size;
 *   - the decoder's fields are the bits IHI 0069 5.3 puts them in;
 *   - a fill never returns more than nr_lrs list registers, never one
 *     INTID twice, and only LPIs that vCPU can hold.
 */
#include <string.h>

#include "fuzz_input.h"
#include "vdev/vgic_lpi.h"

#define MAX_OPS 256
#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x40000UL /* 256 KiB */

static struct vgic g;
static struct vgic_lpis lpis;
static uint8_t *ram;
static struct input *in;

static void *fake_ram(void *ctx, uint64_t ipa, uint64_t size)
{
	if (ipa < RAM_BASE || ipa - RAM_BASE > RAM_SIZE || size > RAM_SIZE - (ipa - RAM_BASE)) {
		return NULL;
	}
	return ram + (ipa - RAM_BASE);
}

static void kick(struct vgic *vg, unsigned idx)
{
	check(spin_is_held(&vg->lock), "kick without the lock");
	check(idx < vg->nr_vcpus, "kick of vCPU %u of %u", idx, vg->nr_vcpus);
}

static void check_state(void)
{
	const struct vgic_its *its = &lpis.its;
	uint64_t qsize = ((its->cbaser & 0xff) + 1) * 0x1000;
	unsigned i, w, n;

	check(!spin_is_held(&g.lock), "lock left held");
	for (i = 0; i < g.nr_vcpus; i++) {
		for (w = 0, n = 0; w < VGIC_NR_LPIS / 64; w++) {
			n += (unsigned)__builtin_popcountl(lpis.pending[i][w]);
		}
		check(n == lpis.n_pending[i], "vCPU %u: %u pending, counted %u", i, n,
		      lpis.n_pending[i]);
	}
	check(its->creadr % 32 == 0 && (its->creadr == 0 || its->creadr < qsize),
	      "CREADR 0x%lx, queue 0x%lx", its->creadr, qsize);
}

static unsigned size_of(unsigned code)
{
	return 1u << (code & 3);
}

static void check_decode(const uint8_t raw[ITS_CMD_SIZE])
{
	struct its_cmd c;
	uint64_t dw[4];

	memcpy(dw, raw, sizeof(dw));
	if (!vgic_its_decode(raw, &c)) {
		return;
	}
	check(c.op == (dw[0] & 0xff), "op");
	check(c.device == dw[0] >> 32, "DeviceID");
	check(c.event == (uint32_t)dw[1], "EventID");
	check(c.intid == (c.op == ITS_MAPI ? c.event : dw[1] >> 32), "pINTID");
	check(c.icid == (uint16_t)dw[2], "ICID");
	check(c.rd[0] == ((dw[2] >> 16) & ((1UL << 36) - 1)), "RDbase");
	check(c.itt == (dw[2] & 0xfffffffffff00UL), "ITT_addr");
	check(c.valid == (dw[2] >> 63), "V");
	spin_lock(&g.lock);
	vgic_its_execute(&g, &c);
	spin_unlock(&g.lock);
}

static void run_vcpu(unsigned idx)
{
	unsigned nr_lrs = 1 + take_below(in, VGIC_MAX_LRS);
	uint64_t lrs[VGIC_MAX_LRS];
	bool underflow;
	unsigned n = vgic_fill_lrs(&g, idx, lrs, nr_lrs, &underflow), i, j;

	check(n <= nr_lrs, "%u LRs of %u", n, nr_lrs);
	for (i = 0; i < n; i++) {
		unsigned intid = lrs[i] & 0xffffffff;

		check(intid < VGIC_NR_IRQS || vgic_lpi_valid(&g, idx, intid), "INTID %u", intid);
		for (j = 0; j < i; j++) {
			check((lrs[j] & 0xffffffff) != intid, "INTID %u twice", intid);
		}
		/* The guest: took it, or not yet. */
		if (take_bool(in)) {
			lrs[i] = (lrs[i] & ~LR_PENDING) | (take_bool(in) ? LR_ACTIVE : 0);
		}
	}
	vgic_sync_lrs(&g, idx, lrs, n);
}

enum { OP_ITS_READ, OP_ITS_WRITE, OP_RD_READ, OP_RD_WRITE, OP_RAM, OP_CMD, OP_RUN,
       OP_DIST_CTLR, NR_OPS };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input stream = input_of(data, size);
	uint64_t mpidrs[VGIC_MAX_VCPUS], val;
	uint8_t raw[ITS_CMD_SIZE];
	unsigned n, i;

	in = &stream;
	if (!ram) {
		ram = malloc(RAM_SIZE);
	}
	memset(ram, 0, RAM_SIZE);
	n = 1 + (take_u8(in) & 7);
	for (i = 0; i < n; i++) {
		mpidrs[i] = 0x80000000UL | i;
	}
	vgic_init(&g, n, mpidrs);
	lpis.ram = fake_ram;
	vgic_lpi_reset(&lpis);
	g.lpi = &lpis;
	g.kick = kick;
	for (n = 0; n < MAX_OPS && !input_done(in); n++) {
		unsigned op = take_u8(in) % NR_OPS;
		unsigned idx = take_below(in, g.nr_vcpus);

		switch (op) {
		case OP_ITS_READ:
		case OP_ITS_WRITE: {
			uint64_t off = take_u32(in) % VGIC_ITS_SIZE;
			unsigned sz = size_of(take_u8(in));

			if (op == OP_ITS_WRITE) {
				vgic_its_write(&g, off, sz, take_u64(in));
			} else if (vgic_its_read(&g, off, sz, &val)) {
				check(sz == 8 || val >> (8 * sz) == 0, "ITS read 0x%lx", off);
			}
			break;
		}
		case OP_RD_READ:
		case OP_RD_WRITE: {
			uint64_t off = take_u16(in) % 0x100;
			unsigned sz = size_of(take_u8(in));

			if (op == OP_RD_WRITE) {
				vgic_redist_write(&g, idx, off, sz, take_u64(in));
			} else if (vgic_redist_read(&g, idx, off, sz, &val)) {
				check(sz == 8 || val >> (8 * sz) == 0, "GICR read 0x%lx", off);
			}
			break;
		}
		case OP_RAM: {
			uint64_t at = take_u32(in) % (RAM_SIZE - ITS_CMD_SIZE);

			for (i = 0; i < ITS_CMD_SIZE; i++) {
				ram[at + i] = take_u8(in);
			}
			break;
		}
		case OP_CMD:
			for (i = 0; i < ITS_CMD_SIZE; i++) {
				raw[i] = take_u8(in);
			}
			check_decode(raw);
			break;
		case OP_RUN:
			run_vcpu(idx);
			break;
		default:
			vgic_dist_write(&g, idx, 0, 4, take_u8(in) & 3);
			break;
		}
		check_state();
	}
	return 0;
}
