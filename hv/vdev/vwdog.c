/*
 * The SBSA Generic Watchdog each VM has (Arm Base System Architecture,
 * "Generic Watchdog"; device tree compatible "arm,sbsa-gwdt", which
 * Linux's sbsa_gwdt driver and its watchdog core drive).
 *
 * Two frames: the control frame (WCS, the enable and the two signals;
 * WOR, the offset; WCV, the compare value) and the refresh frame (WRR).
 * While enabled, the watchdog compares the VM's count (what its
 * CNTVCT_EL0 reads) with WCV. When the count reaches it the first time,
 * WS0 rises, which is its interrupt, a level, and WCV moves WOR further
 * on (a "timeout refresh"); the second time, WS1 rises: the signal a board
 * wires to its reset, which Vireo takes as the VM having crashed (vm.c
 * applies the VM's on-crash policy: "watchdog expired"). Writing WRR, WOR
 * or WCS is an "explicit refresh": WCV becomes the count plus WOR and
 * both signals clear. Linux runs it single-stage: WOR is half the timeout,
 * WS0 goes unheeded, WS1 ends it.
 *
 * Time is evaluated lazily and exactly: each access first brings the
 * state up to the current count (vwdog_advance()), taking each timeout
 * refresh at the count where it was due (WCV, or the moment of a WCV
 * write that put it in the past), so the result does not depend on when
 * anyone looked. Between accesses, Vireo's timer is set for
 * vwdog_deadline() (sched.c), so a guest that stopped refreshing (a
 * panicked kernel spinning with interrupts masked) is still noticed.
 *
 * This file is the register file and that state machine, pure: the caller
 * gives it the VM's count, holds the lock, drives the interrupt and acts
 * on WS1. Architecture version 1 (a 48-bit WOR); registers are 32 bits
 * wide, and WOR and WCV may also be accessed whole. Unassigned offsets
 * within a frame read as zero and ignore writes.
 */
#include "vdev/vwdog.h"

#define WCS 0x000
#define WOR 0x008
#define WOR_HI 0x00c
#define WCV 0x010
#define WCV_HI 0x014
#define WRR 0x000
#define W_IIDR 0xfcc

#define WOR_MASK GENMASK(47, 0)
/* Architecture version 1, implementer and product 0 (no JEP106 code). */
#define IIDR_VALUE (1U << 16)

void vwdog_reset(struct vwdog *w)
{
	*w = (struct vwdog){ .wcs = w->wcs & VWDOG_WCS_WS1 };
}

/* The compare condition (count >= WCV, enabled) became true at count at,
 * which is now or before: the timeout refresh it made then, and WS1 if
 * the next one is due by now too. */
static void crossed(struct vwdog *w, uint64_t at, uint64_t now, struct vwdog_change *c)
{
	if (!(w->wcs & VWDOG_WCS_WS0)) {
		w->wcs |= VWDOG_WCS_WS0;
		c->ws0_changed = true;
		w->wcv = at > UINT64_MAX - w->wor ? UINT64_MAX : at + w->wor;
		if (now < w->wcv) {
			return;
		}
	}
	w->wcs |= VWDOG_WCS_WS1;
	c->ws1_rose = true;
}

static bool armed(const struct vwdog *w)
{
	return (w->wcs & VWDOG_WCS_EN) && !(w->wcs & VWDOG_WCS_WS1);
}

void vwdog_advance(struct vwdog *w, uint64_t now, struct vwdog_change *c)
{
	/* Reached at WCV, whenever we notice. */
	if (armed(w) && now >= w->wcv) {
		crossed(w, w->wcv, now, c);
	}
}

uint64_t vwdog_deadline(const struct vwdog *w)
{
	return armed(w) ? w->wcv : VWDOG_NEVER;
}

static void explicit_refresh(struct vwdog *w, uint64_t now, struct vwdog_change *c)
{
	if (w->wcs & VWDOG_WCS_WS0) {
		c->ws0_changed = true;
	}
	w->wcs &= ~(VWDOG_WCS_WS0 | VWDOG_WCS_WS1);
	w->wcv = now + w->wor; /* both below 2^63 for centuries */
	w->refreshed_at = now;
}

/* The frame an offset is in, or -1 outside both frames. */
static int frame_of(uint64_t off)
{
	if (off >= VWDOG_REFRESH && off < VWDOG_REFRESH + VWDOG_FRAME_SIZE) {
		return 1;
	}
	return off < VWDOG_FRAME_SIZE ? 0 : -1;
}

static bool size_ok(int frame, uint64_t reg, unsigned size)
{
	if (size == 4) {
		return (reg & 3) == 0;
	}
	return size == 8 && frame == 0 && (reg == WOR || reg == WCV);
}

/* The frame (0 control, 1 refresh) and register of an access the device
 * allows; false for one it refuses. */
static bool decode(uint64_t off, unsigned size, int *frame, uint64_t *reg)
{
	*frame = frame_of(off);
	*reg = off & (VWDOG_FRAME_SIZE - 1);
	return *frame >= 0 && size_ok(*frame, *reg, size);
}

static uint64_t set_half(uint64_t old, uint64_t reg, uint64_t lo, unsigned size, uint64_t val)
{
	if (size == 8) {
		return val;
	}
	if (reg == lo) {
		return (old & ~0xffffffffUL) | (val & 0xffffffffUL);
	}
	return (old & 0xffffffffUL) | ((val & 0xffffffffUL) << 32);
}

bool vwdog_read(struct vwdog *w, uint64_t off, unsigned size, uint64_t now, uint64_t *val,
		struct vwdog_change *c)
{
	int frame;
	uint64_t reg;

	if (!decode(off, size, &frame, &reg)) {
		return false;
	}
	vwdog_advance(w, now, c);
	*val = 0;
	if (reg == W_IIDR) {
		*val = IIDR_VALUE;
	} else if (frame == 1) {
		return true; /* WRR reads as zero */
	} else if (reg == WCS) {
		*val = w->wcs;
	} else if (reg == WOR) {
		*val = size == 8 ? w->wor : w->wor & 0xffffffffUL;
	} else if (reg == WOR_HI) {
		*val = w->wor >> 32;
	} else if (reg == WCV) {
		*val = size == 8 ? w->wcv : w->wcv & 0xffffffffUL;
	} else if (reg == WCV_HI) {
		*val = w->wcv >> 32;
	}
	return true;
}

bool vwdog_write(struct vwdog *w, uint64_t off, unsigned size, uint64_t val, uint64_t now,
		 struct vwdog_change *c)
{
	int frame;
	uint64_t reg;

	if (!decode(off, size, &frame, &reg)) {
		return false;
	}
	vwdog_advance(w, now, c);
	if (frame == 1) {
		if (reg == WRR) {
			explicit_refresh(w, now, c);
		}
	} else if (reg == WCS) {
		w->wcs = (w->wcs & ~VWDOG_WCS_EN) | (val & VWDOG_WCS_EN);
		explicit_refresh(w, now, c);
	} else if (reg == WOR || reg == WOR_HI) {
		w->wor = set_half(w->wor, reg, WOR, size, val) & WOR_MASK;
		explicit_refresh(w, now, c);
	} else if (reg == WCV || reg == WCV_HI) {
		/* A new compare value; the signals stay as they are, unless the
		 * count has passed it: then the condition is true from now. */
		w->wcv = set_half(w->wcv, reg, WCV, size, val);
		if (armed(w) && now >= w->wcv) {
			crossed(w, now, now, c);
		}
	}
	return true;
}
