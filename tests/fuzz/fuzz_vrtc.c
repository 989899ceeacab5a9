/*
 * Fuzz target: the PL031 real-time clock a VM drives (hv/vdev/vrtc.c):
 * reads and writes at guest-chosen offsets, sizes and values, while the
 * seconds move forward by any amount below 2^32 between accesses.
 *
 * Input: operations, each an opcode byte (even: read, odd: write), a u16
 * offset (taken modulo a little more than the device's 4 KiB), a size byte
 * (1, 2, 4 or 8, by its low two bits), a u32 value (writes) and a u32
 * step of the seconds (tests/fuzz/make_seeds.py writes them).
 *
 * Checked against a model of the PL031 kept here, which is written the
 * other way round (the counter's values passed over each step, not the
 * distance to the match), besides crashes and sanitizer reports:
 *   - an access is refused exactly when its size is not 4, it is not
 *     4-byte aligned or it lies past 4 KiB, and a refused one changes
 *     nothing the guest can see;
 *   - RTCDR is the wall clock plus the seconds, until a load; then the
 *     value loaded plus the seconds since, modulo 2^32;
 *   - RTCRIS rises when a step passes over RTCMR's value and stays up
 *     until RTCICR bit 0 is written; a load jumps without passing over;
 *   - RTCMIS is RTCRIS and RTCIMSC; RTCCR reads 1; RTCMR, RTCLR and
 *     RTCIMSC read back what was written (RTCIMSC bit 0 only).
 */
#include "fuzz_input.h"
#include "vdev/vrtc.h"

#define MAX_OPS 512
#define WALLCLOCK 1893553445U

struct model {
	uint32_t at_zero; /* RTCDR at second 0 */
	uint32_t mr, lr;
	bool imsc, ris;
};

static uint32_t model_dr(const struct model *m, uint64_t secs)
{
	return m->at_zero + (uint32_t)secs;
}

/* The counter goes from its value at from to its value at to, passing
 * over every value between, the last one included. */
static void model_tick(struct model *m, uint64_t from, uint64_t to)
{
	uint32_t passed = model_dr(m, to) - model_dr(m, from);
	uint32_t to_match = m->mr - model_dr(m, from);

	if (to_match != 0 && to_match <= passed) {
		m->ris = true;
	}
}

static uint64_t model_read(const struct model *m, uint64_t off, uint64_t secs)
{
	switch (off) {
	case 0x000:
		return model_dr(m, secs);
	case 0x004:
		return m->mr;
	case 0x008:
		return m->lr;
	case 0x00c:
		return 1;
	case 0x010:
		return m->imsc;
	case 0x014:
		return m->ris;
	case 0x018:
		return m->ris && m->imsc;
	}
	return off >= 0xfe0 ? ~0UL : 0; /* the IDs: not modelled */
}

static void model_write(struct model *m, uint64_t off, uint32_t val, uint64_t secs)
{
	switch (off) {
	case 0x004:
		m->mr = val;
		break;
	case 0x008:
		m->lr = val;
		m->at_zero = val - (uint32_t)secs;
		break;
	case 0x010:
		m->imsc = val & 1;
		break;
	case 0x01c:
		m->ris = m->ris && !(val & 1);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = input_of(data, size);
	struct model m = { .at_zero = WALLCLOCK };
	struct vrtc r;
	uint64_t secs = 0;
	unsigned n;

	vrtc_init(&r, WALLCLOCK);
	for (n = 0; n < MAX_OPS && !input_done(&in); n++) {
		bool write = take_u8(&in) & 1;
		uint64_t off = take_u16(&in) % (VRTC_SIZE + 0x100);
		unsigned sz = 1u << (take_u8(&in) & 3);
		uint32_t val = write ? take_u32(&in) : 0;
		uint64_t step = take_u32(&in);
		bool allowed = sz == 4 && off % 4 == 0 && off < VRTC_SIZE;
		uint64_t got = 0x5a5a, want;
		bool ok;

		model_tick(&m, secs, secs + step);
		secs += step;
		ok = write ? vrtc_write(&r, off, sz, val, secs) : vrtc_read(&r, off, sz, secs, &got);
		check(ok == allowed, "offset 0x%lx size %u: %s", off, sz, ok ? "accepted" : "refused");
		if (ok && write) {
			model_write(&m, off, val, secs);
		}
		if (ok && !write) {
			want = model_read(&m, off, secs);
			check(want == ~0UL || got == want, "offset 0x%lx read 0x%lx, expected 0x%lx",
			      off, got, want);
		}
	}
	return 0;
}
