/*
 * The emulated PL011 UART each VM has as its console.
 */
#ifndef VIREO_VPL011_H
#define VIREO_VPL011_H

#include "mmio.h"

#define VPL011_LINE_MAX 160
#define VPL011_NAME_MAX 16

struct vpl011 {
	const char *owner; /* VM name, printed before each line */
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	char line[VPL011_LINE_MAX];
	unsigned len;
};

extern const struct mmio_ops vpl011_ops;

void vpl011_init(struct vpl011 *u, const char *owner);
/* Writes out a partial line, e.g. when the VM stops mid-line. */
void vpl011_flush(struct vpl011 *u);

#endif
