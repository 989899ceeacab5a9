/*
 * Fuzz target: the SBSA Generic Watchdog a VM drives (hv/vdev/vwdog.c):
 * reads and writes at guest-chosen offsets, sizes and values, at counts
 * the input moves forward by any amount.
 *
 * Input: operations, each an opcode byte (0 read, 1 write, 2 time only),
 * a u32 offset (taken modulo a little more than the device's 128 KiB), a
 * size byte (1, 2, 4 or 8, by its low two bits), a u64 value (writes) and
 * a u32 step of the count, with a u8 saying where in that step a second
 * copy of the device is looked at (tests/fuzz/make_seeds.py writes them).
 *
 * Checked after every operation, besides crashes and sanitizer reports:
 *   - an access is refused exactly when it lies outside the two 4 KiB
 *     frames, or its size is not 4 (or 8 at the control frame's WOR and
 *     WCV) or it is not aligned to its size, and a refused one changes
 *     nothing (not even the passing of time is applied);
 *   - time is exact: a second device, given the same accesses but also
 *     looked at (vwdog_advance()) at a point inside each step, is in the
 *     same state, reads the same and reports the same signals: nothing
 *     depends on when Vireo's timer happened to fire;
 *   - WS1 never without WS0, and only after EN; WCS holds no other bits;
 *     WOR fits 48 bits; WRR reads zero and W_IIDR says version 1;
 *   - the deadline is WCV while enabled and WS1 is down, else never, and
 *     an advance to before the deadline changes nothing;
 *   - WS1 rises once: it is reported by one call only, until a refresh;
 *   - an explicit refresh (accepted writes to WRR, WCS, WOR) leaves both
 *     signals down and WCV at the count plus WOR; a WCV write keeps them,
 *     unless it puts WCV at or before the count while armed: then the next
 *     signal rises at once, WS0 with WCV at the count plus WOR.
 */
#include <string.h>

#include "fuzz_input.h"
#include "vdev/vwdog.h"

#define MAX_OPS 512

#define WCS 0x000
#define WOR 0x008
#define WCV 0x010
#define W_IIDR 0xfcc

static bool allowed(uint64_t off, unsigned size)
{
	bool control = off < VWDOG_FRAME_SIZE;
	bool refresh = off >= VWDOG_REFRESH && off < VWDOG_REFRESH + VWDOG_FRAME_SIZE;

	if (!control && !refresh) {
		return false;
	}
	if (size == 4) {
		return off % 4 == 0;
	}
	return size == 8 && control && (off == WOR || off == WCV);
}

static bool same(const struct vwdog *a, const struct vwdog *b)
{
	return a->wcs == b->wcs && a->wor == b->wor && a->wcv == b->wcv &&
	       a->refreshed_at == b->refreshed_at;
}

static void check_state(const struct vwdog *w)
{
	check((w->wcs & ~(VWDOG_WCS_EN | VWDOG_WCS_WS0 | VWDOG_WCS_WS1)) == 0, "wcs 0x%x", w->wcs);
	check(!(w->wcs & VWDOG_WCS_WS1) || (w->wcs & VWDOG_WCS_WS0), "WS1 without WS0: 0x%x",
	      w->wcs);
	check(w->wor >> 48 == 0, "wor 0x%lx", w->wor);
	if ((w->wcs & VWDOG_WCS_EN) && !(w->wcs & VWDOG_WCS_WS1)) {
		check(vwdog_deadline(w) == w->wcv, "deadline 0x%lx, wcv 0x%lx", vwdog_deadline(w),
		      w->wcv);
	} else {
		check(vwdog_deadline(w) == VWDOG_NEVER, "deadline 0x%lx with wcs 0x%x",
		      vwdog_deadline(w), w->wcs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = input_of(data, size);
	struct vwdog a = { 0 }, b = { 0 }; /* a new device: reset keeps only WS1 */
	uint64_t now = 0;
	bool ws1_seen = false;
	unsigned n;

	vwdog_reset(&a);
	vwdog_reset(&b);
	for (n = 0; n < MAX_OPS && !input_done(&in); n++) {
		unsigned op = take_below(&in, 3);
		uint64_t off = take_u32(&in) % (VWDOG_SIZE + 0x1000);
		unsigned sz = 1u << (take_u8(&in) & 3);
		uint64_t val = op == 1 ? take_u64(&in) : 0;
		uint64_t step = take_u32(&in);
		uint64_t peek = step * take_u8(&in) / 256;
		struct vwdog_change ca = { 0 }, cb = { 0 }, cp = { 0 };
		struct vwdog before = a;
		uint64_t va = 0x5a5a, vb = 0xa5a5;
		bool ok_a, ok_b;

		/* b is looked at inside the step; a is not. */
		vwdog_advance(&b, now + peek, &cp);
		now += step;
		if (op == 2) {
			uint64_t due = vwdog_deadline(&a);

			vwdog_advance(&a, now, &ca);
			if (now < due) {
				check(same(&a, &before), "an advance before the deadline changed it");
			}
			ok_a = ok_b = true;
			vwdog_advance(&b, now, &cb);
		} else if (op == 0) {
			ok_a = vwdog_read(&a, off, sz, now, &va, &ca);
			ok_b = vwdog_read(&b, off, sz, now, &vb, &cb);
		} else {
			ok_a = vwdog_write(&a, off, sz, val, now, &ca);
			ok_b = vwdog_write(&b, off, sz, val, now, &cb);
		}
		check(ok_a == ok_b, "the two answer differently");
		if (op != 2) {
			check(ok_a == allowed(off, sz), "offset 0x%lx size %u: %s", off, sz,
			      ok_a ? "accepted" : "refused");
		}
		if (!ok_a) {
			check(same(&a, &before), "a refused access changed the state");
			check(!ca.ws0_changed && !ca.ws1_rose, "a refused access signalled");
			/* Time still passed: both are looked at now. */
			vwdog_advance(&a, now, &ca);
			vwdog_advance(&b, now, &cb);
		}
		/* What b reported over the step, at the peek or after it, is what
		 * a reported at its end. */
		check(ca.ws1_rose == (cp.ws1_rose || cb.ws1_rose), "WS1 reported differently");
		check(same(&a, &b), "looking inside the step changed the state: "
		      "wcs 0x%x/0x%x wcv 0x%lx/0x%lx", a.wcs, b.wcs, a.wcv, b.wcv);
		if (ok_a && op == 0) {
			check(va == vb, "reads differ: 0x%lx 0x%lx", va, vb);
			check(sz == 8 || va >> 32 == 0, "a 32-bit read gave 0x%lx", va);
			if (off >= VWDOG_REFRESH && off % VWDOG_FRAME_SIZE == 0) {
				check(va == 0, "WRR read 0x%lx", va);
			}
			if (off % VWDOG_REFRESH == W_IIDR) {
				check(va == 0x10000, "W_IIDR 0x%lx", va);
			}
			if (off == WCS) {
				check(va == a.wcs, "WCS read 0x%lx, is 0x%x", va, a.wcs);
			}
		}
		if (ca.ws1_rose) {
			check(!ws1_seen, "WS1 reported twice");
			check(before.wcs & VWDOG_WCS_EN, "WS1 while disabled");
			ws1_seen = true;
		}
		check(!((before.wcs ^ a.wcs) & VWDOG_WCS_WS0) || ca.ws0_changed,
		      "WS0 changed without being reported");
		if (ok_a && op == 1 &&
		    (off == VWDOG_REFRESH || off == WCS || off == WOR || off == WOR + 4)) {
			check(!(a.wcs & (VWDOG_WCS_WS0 | VWDOG_WCS_WS1)),
			      "signals up after a refresh: 0x%x", a.wcs);
			check(a.wcv == now + a.wor, "wcv 0x%lx after a refresh at 0x%lx, wor 0x%lx",
			      a.wcv, now, a.wor);
			ws1_seen = false;
		}
		if (ok_a && op == 1 && (off == WCV || off == WCV + 4)) {
			struct vwdog timed = before; /* what time alone did to it */
			struct vwdog_change ct = { 0 };
			bool armed;

			vwdog_advance(&timed, now, &ct);
			armed = (timed.wcs & VWDOG_WCS_EN) && !(timed.wcs & VWDOG_WCS_WS1);
			if (armed && a.wcs != timed.wcs) {
				/* A compare value put in the past: the condition holds
				 * from now, so the next signal rose now. */
				uint32_t next = timed.wcs & VWDOG_WCS_WS0 ? VWDOG_WCS_WS1 : VWDOG_WCS_WS0;

				check(a.wcs == (timed.wcs | next) ||
					      (next == VWDOG_WCS_WS0 && a.wor == 0 &&
					       a.wcs == (timed.wcs | VWDOG_WCS_WS0 | VWDOG_WCS_WS1)),
				      "a WCV write raised 0x%x from 0x%x", a.wcs, timed.wcs);
				check(next == VWDOG_WCS_WS1 || a.wcv == now + a.wor ||
					      now + a.wor < now,
				      "WCV 0x%lx after crossing at 0x%lx", a.wcv, now);
			} else {
				check(a.wcs == timed.wcs,
				      "a WCV write changed WCS: 0x%x, 0x%x by time alone", a.wcs,
				      timed.wcs);
			}
		}
		check_state(&a);
	}
	return 0;
}
