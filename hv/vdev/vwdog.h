/*
 * The SBSA Generic Watchdog each VM has (vwdog.c).
 */
#ifndef VIREO_VDEV_VWDOG_H
#define VIREO_VDEV_VWDOG_H

#include "core/types.h"

/* Each frame is 4 KiB at the start of its own 64 KiB, as on SBSA hardware
 * (so that a guest with 64 KiB pages can map one without the other). */
#define VWDOG_CONTROL 0x00000UL /* WCS, WOR, WCV, W_IIDR */
#define VWDOG_REFRESH 0x10000UL /* WRR, W_IIDR */
#define VWDOG_FRAME_SIZE 0x1000UL
#define VWDOG_SIZE 0x20000UL

#define VWDOG_WCS_EN BIT(0)
#define VWDOG_WCS_WS0 BIT(1)
#define VWDOG_WCS_WS1 BIT(2)

#define VWDOG_NEVER UINT64_MAX

struct vwdog {
	uint32_t wcs; /* EN, WS0, WS1 */
	uint64_t wor; /* the offset, 48 bits (architecture version 1) */
	uint64_t wcv; /* the compare value, in the VM's count */
	uint64_t refreshed_at; /* the count at the last explicit refresh */
};

/* What an access or the passing of time did to the two signals. */
struct vwdog_change {
	bool ws0_changed; /* the interrupt's level is now vwdog_ws0() */
	bool ws1_rose;    /* the watchdog expired */
};

/* The state after the machine's reset: disabled, WOR and WCV zero. WS1
 * survives, as where the watchdog's own reset is not the one it causes:
 * the guest can tell that the watchdog reset it. */
void vwdog_reset(struct vwdog *w);
/* Brings the watchdog up to the VM's count now: the timeout refreshes
 * due since the last look, whose changes are added to *c. */
void vwdog_advance(struct vwdog *w, uint64_t now, struct vwdog_change *c);
/* An access of size bytes at off in the device's 128 KiB, at count now
 * (advanced to first); its changes are added to *c. False for one it
 * does not allow: outside the frames, or a size other than 4 (or 8, at
 * the 64-bit WOR and WCV). */
bool vwdog_read(struct vwdog *w, uint64_t off, unsigned size, uint64_t now, uint64_t *val,
		struct vwdog_change *c);
bool vwdog_write(struct vwdog *w, uint64_t off, unsigned size, uint64_t val, uint64_t now,
		 struct vwdog_change *c);
/* The VM's count at which the watchdog next changes by itself, or
 * VWDOG_NEVER. */
uint64_t vwdog_deadline(const struct vwdog *w);

static inline bool vwdog_ws0(const struct vwdog *w)
{
	return w->wcs & VWDOG_WCS_WS0;
}

#endif
