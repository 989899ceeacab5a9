/*
 * The real-time clock each VM has: an Arm PrimeCell PL031 (DDI 0224),
 * where QEMU's virt machine has its own, so that Linux's rtc-pl031 driver
 * finds it and sets the system clock from it at boot ("setting system
 * clock to ...").
 *
 * The PL031 is a 32-bit seconds counter: RTCDR reads it, RTCLR loads it,
 * and RTCMR holds a match value that raises the raw interrupt status
 * (RTCRIS) when the counter reaches it. Here the counter is computed, not
 * kept: base plus the seconds of the host's counter (so every VM's clock
 * runs with the machine's time, also while the VM is descheduled), base
 * being the wall clock the launcher gave (/chosen "vireo,wallclock") until
 * the guest loads a time of its own. A match is found lazily too: it has
 * happened when the counter has moved from where it was when the match
 * was armed (an RTCMR, RTCLR or RTCICR write) by at least the distance to
 * RTCMR.
 *
 * The clock is always running (RTCCR reads 1, as on a board whose firmware
 * started it; writes to it have no effect, as on the PL031 once started).
 * Its interrupt is not wired: the guest's device tree gives the node no
 * "interrupts", so Linux offers no alarm (drivers/rtc/rtc-pl031.c), and a
 * guest that polls RTCRIS still sees matches. Pure: the caller gives the
 * time.
 */
#include "vdev/vrtc.h"

#define RTCDR 0x000
#define RTCMR 0x004
#define RTCLR 0x008
#define RTCCR 0x00c
#define RTCIMSC 0x010
#define RTCRIS 0x014
#define RTCMIS 0x018
#define RTCICR 0x01c
#define PERIPH_ID 0xfe0 /* four ID registers, then four PrimeCell IDs */

/* PeriphID0-3 (part 0x031, designer 0x41 'A', revision 0) and the
 * PrimeCell identification, one byte per register: what Linux's AMBA bus
 * matches the driver by (0x00041031). */
static const uint8_t ids[8] = { 0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vrtc_init(struct vrtc *r, uint64_t base)
{
	*r = (struct vrtc){ .base = base };
}

static uint32_t counter(const struct vrtc *r, uint64_t secs)
{
	return (uint32_t)(r->base + secs);
}

/* Whether the counter has passed over RTCMR's value since the last access:
 * it went through every value from the one after its value then to its
 * value now, all of them if that was 2^32 seconds or more. */
static bool reached(const struct vrtc *r, uint64_t secs)
{
	uint64_t elapsed = secs - r->last;
	uint32_t distance = r->mr - counter(r, r->last);

	return elapsed >> 32 || (distance != 0 && distance <= elapsed);
}

/* Every access first takes in a match since the last one. */
static void catch_up(struct vrtc *r, uint64_t secs)
{
	r->ris |= reached(r, secs);
	r->last = secs;
}

void vrtc_reset(struct vrtc *r, uint64_t secs)
{
	r->mr = 0;
	r->imsc = false;
	r->ris = false;
	r->last = secs;
}

static bool allowed(uint64_t off, unsigned size)
{
	return size == 4 && !(off & 3) && off < VRTC_SIZE;
}

bool vrtc_read(struct vrtc *r, uint64_t off, unsigned size, uint64_t secs, uint64_t *val)
{
	if (!allowed(off, size)) {
		return false;
	}
	catch_up(r, secs);
	switch (off) {
	case RTCDR:
		*val = counter(r, secs);
		break;
	case RTCMR:
		*val = r->mr;
		break;
	case RTCLR:
		*val = r->lr;
		break;
	case RTCCR:
		*val = 1;
		break;
	case RTCIMSC:
		*val = r->imsc;
		break;
	case RTCRIS:
		*val = r->ris;
		break;
	case RTCMIS:
		*val = r->ris && r->imsc;
		break;
	default:
		*val = off >= PERIPH_ID ? ids[(off - PERIPH_ID) / 4] : 0;
		break;
	}
	return true;
}

bool vrtc_write(struct vrtc *r, uint64_t off, unsigned size, uint64_t val, uint64_t secs)
{
	if (!allowed(off, size)) {
		return false;
	}
	catch_up(r, secs);
	switch (off) {
	case RTCMR:
		r->mr = (uint32_t)val;
		break;
	case RTCLR:
		r->lr = (uint32_t)val;
		r->base = r->lr - secs; /* modulo 2^64: the counter reads lr now */
		break;
	case RTCIMSC:
		r->imsc = val & 1;
		break;
	case RTCICR:
		r->ris = r->ris && !(val & 1);
		break;
	}
	return true; /* read-only and unassigned registers ignore writes */
}
