/*
 * The PL031 real-time clock each VM has (vrtc.c).
 */
#ifndef VIREO_VDEV_VRTC_H
#define VIREO_VDEV_VRTC_H

#include "core/types.h"

#define VRTC_SIZE 0x1000UL

struct vrtc {
	/* What RTCDR reads at the host's second 0 (the counter's zero): the
	 * wall clock the launcher gave, then whatever the guest loaded. */
	uint64_t base;
	uint32_t lr;       /* RTCLR, the value last loaded */
	uint32_t mr;       /* RTCMR, the match value */
	uint64_t last;     /* the seconds at the last access */
	bool ris;          /* RTCRIS: a match seen, until RTCICR clears it */
	bool imsc;         /* RTCIMSC: the interrupt unmasked */
};

/* The clock at power-on of the machine: reading base at second 0. */
void vrtc_init(struct vrtc *r, uint64_t base);
/* A VM reset: the match and its interrupt state go, the time stays (the
 * clock has its own battery). */
void vrtc_reset(struct vrtc *r, uint64_t secs);
/* An access of size bytes at off, secs seconds after the counter's zero
 * (which never goes back).
 * False for one the device does not allow: a size other than 4, or an
 * offset not 4-byte aligned. */
bool vrtc_read(struct vrtc *r, uint64_t off, unsigned size, uint64_t secs,
	       uint64_t *val);
bool vrtc_write(struct vrtc *r, uint64_t off, unsigned size, uint64_t val, uint64_t secs);

#endif
