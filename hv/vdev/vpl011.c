/*
 * A VM's console: an emulated ARM PL011 UART (PrimeCell UART TRM, DDI 0183).
 *
 * The guest's accesses to the UART's IPA page are stage-2 faults, which
 * trap_abort.c decodes and hands to mmio_read()/mmio_write() below. Each
 * byte the guest transmits goes into a line buffer; a complete line is
 * written to the physical console in one piece, prefixed with "[name] ",
 * so lines of different VMs never interleave. When the vCPU that wrote a
 * partial line (a shell prompt) goes idle, trap_wfx.c shows it early; not
 * when another of the VM's vCPUs does, which would cut a line still being
 * written in two.
 *
 * The transmit FIFO is always empty: output is accepted as fast as the
 * guest writes, so the transmit interrupt is always raised (and Linux's
 * driver, which enables it only while it has data, sends until done).
 * Bytes typed on the console arrive through vpl011_receive() into a 4 KiB
 * ring, so that a paste fits while the guest is busy; the guest sees its
 * oldest 32 bytes as the PL011's 32-byte receive FIFO, which refills from
 * the ring as it reads: RXFF while 32 or more wait, RXFE once none does.
 * The receive and receive-timeout interrupts are raised while the FIFO
 * holds data. The interrupt line, (RIS & IMSC) != 0, is recomputed after
 * every change and handed to the VM's virtual GIC. Control registers keep
 * what the guest writes; the identification registers read as a real
 * PL011's (r1p5) so Linux's AMBA probe knows it.
 *
 * Nothing typed is dropped: the console asks vpl011_can_receive() before
 * it takes a byte from the physical UART, and while the answer is no it
 * leaves the bytes there, where the physical UART holds them back (as
 * QEMU's and a terminal's flow control do). The UART remembers that the
 * console waits (rx_waiting), and the guest's read that brings the ring
 * down to VPL011_RX_RESUME bytes calls the console's room hook, after
 * the UART's lock is released (the console takes its own lock there, and
 * holds it from its vpl011_can_receive() to its masking of the physical
 * UART's interrupt, so the hook cannot come in between and be lost:
 * console.c). vpl011_flush(), when the VM stops or restarts, calls the
 * hook too, so that the console does not wait for a VM that stopped.
 *
 * One lock per UART: input arrives on the CPU that owns the physical UART
 * while the guest reads on its own.
 */
#include "vdev/vpl011.h"

#include <string.h>

#include "core/console.h"
#include "core/printk.h"

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UARTPERIPHID0 0xfe0

#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)
#define RIS_RX (1U << 4)
#define RIS_TX (1U << 5)
#define RIS_RT (1U << 6)

#define CR_RESET 0x300       /* TXE | RXE */
#define IFLS_RESET 0x12      /* both FIFO levels at half */

/* PeriphID0-3 then PCellID0-3: a PL011 r1p5, as QEMU models it. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void (*room_hook)(void);

void vpl011_set_room_hook(void (*fn)(void))
{
	room_hook = fn;
}

/* Whether the console waits for room and the input is down to at_most
 * bytes; clears the mark. Called with the lock held: the caller calls the
 * hook once it has released it. */
static bool room_for_waiter(struct vpl011 *u, unsigned at_most)
{
	if (!u->rx_waiting || u->rx_count > at_most) {
		return false;
	}
	u->rx_waiting = false;
	return room_hook != NULL;
}

void vpl011_init(struct vpl011 *u, const char *owner, void (*set_irq)(void *, bool),
		 void *irq_ctx)
{
	/* Field by field: a compound literal of the whole (with its 4 KiB
	 * ring) could be built on the stack first. */
	memset(u, 0, sizeof(*u));
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
	u->set_irq = set_irq;
	u->irq_ctx = irq_ctx;
	snprintf(u->prefix, sizeof(u->prefix), "[%s] ", owner);
}

/* Writes the buffered bytes to the console as this VM's, a newline after
 * them if the line is complete (console.c adds the "[name] " prefix). */
static void emit(struct vpl011 *u, bool complete)
{
	console_emit(u, u->prefix, u->line, u->len, complete);
	u->len = 0;
}

void vpl011_flush(struct vpl011 *u)
{
	bool wake;

	spin_lock(&u->lock);
	if (u->len > 0) {
		emit(u, true);
	} else {
		console_end_line(u);
	}
	wake = room_for_waiter(u, VPL011_RX_RING);
	spin_unlock(&u->lock);
	if (wake) {
		room_hook();
	}
}

void vpl011_flush_partial(struct vpl011 *u, const struct vcpu *v)
{
	spin_lock(&u->lock);
	if (u->len > 0 && u->writer == v) {
		emit(u, false);
	}
	spin_unlock(&u->lock);
}

static uint32_t raw_status(const struct vpl011 *u)
{
	return RIS_TX | (u->rx_count ? RIS_RX | RIS_RT : 0);
}

/* Recomputes the interrupt line; called with the lock held. */
static void update_irq(struct vpl011 *u)
{
	bool level = (raw_status(u) & u->imsc) != 0;

	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->set_irq) {
			u->set_irq(u->irq_ctx, level);
		}
	}
}

bool vpl011_can_receive(struct vpl011 *u, unsigned n)
{
	bool fits;

	spin_lock(&u->lock);
	fits = VPL011_RX_RING - u->rx_count >= n;
	if (!fits) {
		u->rx_waiting = true;
	}
	spin_unlock(&u->lock);
	return fits;
}

void vpl011_receive(struct vpl011 *u, char c)
{
	spin_lock(&u->lock);
	if (u->rx_count < VPL011_RX_RING) {
		u->rx[(u->rx_head + u->rx_count) % VPL011_RX_RING] = (uint8_t)c;
		u->rx_count++;
		update_irq(u);
	}
	spin_unlock(&u->lock);
}

static uint8_t receive_pop(struct vpl011 *u)
{
	uint8_t c;

	if (u->rx_count == 0) {
		return 0;
	}
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_RX_RING;
	u->rx_count--;
	update_irq(u);
	return c;
}

static void transmit(struct vpl011 *u, char c)
{
	if (c == '\r') {
		return; /* the physical console adds its own */
	}
	if (c == '\n') {
		emit(u, true);
		return;
	}
	/* A Ctrl-] would let the guest start a frame of a GDB stub's on the
	 * console (core/gdb.c), which the launcher takes for the stub's. */
	u->line[u->len++] = c == CONSOLE_ESCAPE ? '?' : c;
	if (u->len == VPL011_LINE_MAX) {
		emit(u, false);
	}
}

void vpl011_write(struct vpl011 *u, const struct vcpu *v, const char *buf, size_t len)
{
	size_t i;

	spin_lock(&u->lock);
	u->writer = v;
	for (i = 0; i < len; i++) {
		transmit(u, buf[i]);
	}
	spin_unlock(&u->lock);
}

static uint32_t *control_reg(struct vpl011 *u, uint64_t offset)
{
	switch (offset) {
	case UARTIBRD:
		return &u->ibrd;
	case UARTFBRD:
		return &u->fbrd;
	case UARTLCR_H:
		return &u->lcr_h;
	case UARTCR:
		return &u->cr;
	case UARTIFLS:
		return &u->ifls;
	case UARTIMSC:
		return &u->imsc;
	case UARTDMACR:
		return &u->dmacr;
	default:
		return NULL;
	}
}

static uint64_t read_locked(struct vpl011 *u, uint64_t offset)
{
	uint32_t *reg = control_reg(u, offset);

	if (reg) {
		return *reg;
	}
	switch (offset) {
	case UARTDR:
		return receive_pop(u);
	case UARTFR:
		return FR_TXFE | (u->rx_count ? 0 : FR_RXFE) |
		       (u->rx_count >= VPL011_RX_FIFO ? FR_RXFF : 0);
	case UARTRIS:
		return raw_status(u);
	case UARTMIS:
		return raw_status(u) & u->imsc;
	default:
		break;
	}
	if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 4 * sizeof(id_regs) &&
	    offset % 4 == 0) {
		return id_regs[(offset - UARTPERIPHID0) / 4];
	}
	return 0; /* RSR (no errors), ILPR, reserved */
}

static bool mmio_read(struct vcpu *v, void *dev, uint64_t offset, unsigned size, uint64_t *val)
{
	struct vpl011 *u = dev;
	bool wake;

	if (size > 4) {
		return false;
	}
	spin_lock(&u->lock);
	*val = read_locked(u, offset);
	wake = offset == UARTDR && room_for_waiter(u, VPL011_RX_RESUME);
	spin_unlock(&u->lock);
	if (wake) {
		room_hook();
	}
	return true;
}

static bool mmio_write(struct vcpu *v, void *dev, uint64_t offset, unsigned size, uint64_t val)
{
	struct vpl011 *u = dev;
	uint32_t *reg = control_reg(u, offset);

	if (size > 4) {
		return false;
	}
	spin_lock(&u->lock);
	if (offset == UARTDR) {
		u->writer = v;
		transmit(u, (char)val);
	} else if (reg) {
		*reg = (uint32_t)val;
		update_irq(u);
	}
	spin_unlock(&u->lock);
	/* ICR, RSR/ECR (error clear) and read-only registers: nothing to keep.
	 * The interrupts are levels of the FIFOs' state, which ICR cannot
	 * clear: the transmit FIFO stays empty, received data stays until read. */
	return true;
}

const struct mmio_ops vpl011_ops = {
	.read = mmio_read,
	.write = mmio_write,
};
