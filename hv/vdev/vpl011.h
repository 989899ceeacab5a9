/*
 * The emulated PL011 UART each VM has as its console.
 */
#ifndef VIREO_VPL011_H
#define VIREO_VPL011_H

#include "core/mmio.h"
#include "arch/aarch64/spinlock.h"

#define VPL011_LINE_MAX 160
#define VPL011_NAME_MAX 16
#define VPL011_RX_FIFO 32 /* the PL011's own FIFO depth: what the guest sees */
/* Typed bytes a VM has not read yet, its FIFO's included: a 4 KiB paste
 * fits whole. Once the console found it full, the console is told it has
 * room again when the guest has read it down to VPL011_RX_RESUME. */
#define VPL011_RX_RING 4096
#define VPL011_RX_RESUME (VPL011_RX_RING / 2)

struct vpl011 {
	spinlock_t lock;
	char prefix[VPL011_NAME_MAX + 4]; /* "[name] ", before each line */
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr;
	char line[VPL011_LINE_MAX];
	unsigned len;
	const void *writer; /* the vCPU whose byte is the line's last */
	/* A ring of rx_count bytes from rx_head; the oldest VPL011_RX_FIFO
	 * of them are the receive FIFO the guest reads. */
	unsigned rx_head, rx_count;
	bool rx_waiting; /* the console found it full and waits for room */
	bool irq_level;
	/* Drives the UART's interrupt line (the VM's virtual GIC). */
	void (*set_irq)(void *ctx, bool level);
	void *irq_ctx;
	uint8_t rx[VPL011_RX_RING]; /* last: the fields above stay near the start */
};

extern const struct mmio_ops vpl011_ops;

void vpl011_init(struct vpl011 *u, const char *owner, void (*set_irq)(void *, bool),
		 void *irq_ctx);
/* The VM stops or restarts: writes out a partial line, and tells the
 * console, if it waits for room in this UART's input, to look again (the
 * VM may no longer be the one that input goes to). */
void vpl011_flush(struct vpl011 *u);
/* Shows a partial line (a prompt) and continues it later without a new
 * prefix: for when vCPU v goes idle, if the line is its own (another vCPU
 * of the VM may be writing it still, and the line would be cut). */
void vpl011_flush_partial(struct vpl011 *u, const struct vcpu *v);
/* Bytes vCPU v sends through a hypercall instead of the UART's data
 * register: the same line buffer, the same console lines. */
void vpl011_write(struct vpl011 *u, const struct vcpu *v, const char *buf, size_t len);
/* Whether n more bytes fit in the input now. If they do not, the UART
 * remembers that the console waits, and calls the room hook once the
 * guest has read its input down to VPL011_RX_RESUME bytes (or at
 * vpl011_flush()). */
bool vpl011_can_receive(struct vpl011 *u, unsigned n);
/* A byte arriving from the console, for the guest to read. The console
 * asks vpl011_can_receive() first; a byte that does not fit is dropped. */
void vpl011_receive(struct vpl011 *u, char c);
/* The console's room hook, for every UART: called on the CPU whose guest
 * made room (or that stopped the VM), with no lock held. */
void vpl011_set_room_hook(void (*fn)(void));

#endif
