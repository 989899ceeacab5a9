/*
 * The emulated PL011 UART each VM has as its console.
 */
#ifndef VIREO_VPL011_H
#define VIREO_VPL011_H

#include "core/mmio.h"
#include "arch/aarch64/spinlock.h"

#define VPL011_LINE_MAX 160
#define VPL011_NAME_MAX 16
#define VPL011_RX_FIFO 32 /* the PL011's own FIFO depth */

struct vpl011 {
	spinlock_t lock;
	char prefix[VPL011_NAME_MAX + 4]; /* "[name] ", before each line */
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr;
	char line[VPL011_LINE_MAX];
	unsigned len;
	uint8_t rx[VPL011_RX_FIFO];
	unsigned rx_head, rx_count;
	bool irq_level;
	/* Drives the UART's interrupt line (the VM's virtual GIC). */
	void (*set_irq)(void *ctx, bool level);
	void *irq_ctx;
};

extern const struct mmio_ops vpl011_ops;

void vpl011_init(struct vpl011 *u, const char *owner, void (*set_irq)(void *, bool),
		 void *irq_ctx);
/* Writes out a partial line, e.g. when the VM stops mid-line. */
void vpl011_flush(struct vpl011 *u);
/* Shows a partial line (a prompt) and continues it later without a new
 * prefix: for when the guest goes idle. */
void vpl011_flush_partial(struct vpl011 *u);
/* Bytes the guest sends through a hypercall instead of the UART's data
 * register: the same line buffer, the same console lines. */
void vpl011_write(struct vpl011 *u, const char *buf, size_t len);
/* A byte arriving from the console; dropped when the FIFO is full, as the
 * real UART would (with an overrun). */
void vpl011_receive(struct vpl011 *u, char c);

#endif
