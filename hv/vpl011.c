/*
 * A VM's console: an emulated ARM PL011 UART (PrimeCell UART TRM, DDI 0183).
 *
 * The guest's accesses to the UART's IPA page are stage-2 faults, which
 * trap_abort.c decodes and hands to vpl011_read()/vpl011_write(). Each
 * byte the guest transmits goes into a line buffer; a complete line is
 * written to the physical console in one piece, prefixed with "[name] ",
 * so lines of different VMs never interleave. The transmit FIFO is always
 * empty and never full: output is accepted as fast as the guest writes.
 * Receive is not emulated yet (the receive FIFO is always empty).
 * Control registers keep what the guest writes, so drivers that read back
 * their setup see it; the identification registers read as a real PL011's
 * (r1p5) so Linux's AMBA bus probe recognises it.
 */
#include "vpl011.h"

#include <string.h>

#include "console.h"

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
#define FR_TXFE (1U << 7)
#define RIS_TX (1U << 5)

#define CR_RESET 0x300       /* TXE | RXE */
#define IFLS_RESET 0x12      /* both FIFO levels at half */

/* PeriphID0-3 then PCellID0-3: a PL011 r1p5, as QEMU models it. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vpl011_init(struct vpl011 *u, const char *owner)
{
	*u = (struct vpl011){ .owner = owner, .cr = CR_RESET, .ifls = IFLS_RESET, .ris = RIS_TX };
}

void vpl011_flush(struct vpl011 *u)
{
	char out[VPL011_LINE_MAX + VPL011_NAME_MAX + 8];
	size_t n = 0;

	if (u->len == 0) {
		return;
	}
	out[n++] = '[';
	n += strlcpy(out + n, u->owner, VPL011_NAME_MAX);
	out[n++] = ']';
	out[n++] = ' ';
	memcpy(out + n, u->line, u->len);
	n += u->len;
	out[n++] = '\n';
	console_write(out, n);
	u->len = 0;
}

static void transmit(struct vpl011 *u, char c)
{
	if (c == '\r') {
		return; /* the physical console adds its own */
	}
	if (c == '\n') {
		vpl011_flush(u);
		return;
	}
	u->line[u->len++] = c;
	if (u->len == VPL011_LINE_MAX) {
		vpl011_flush(u);
	}
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

static bool vpl011_read(struct vcpu *v, void *dev, uint64_t offset, unsigned size, uint64_t *val)
{
	struct vpl011 *u = dev;
	uint32_t *reg = control_reg(u, offset);

	if (size > 4) {
		return false;
	}
	if (reg) {
		*val = *reg;
	} else if (offset == UARTFR) {
		*val = FR_TXFE | FR_RXFE;
	} else if (offset == UARTRIS) {
		*val = u->ris;
	} else if (offset == UARTMIS) {
		*val = u->ris & u->imsc;
	} else if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 4 * sizeof(id_regs) &&
		   offset % 4 == 0) {
		*val = id_regs[(offset - UARTPERIPHID0) / 4];
	} else {
		*val = 0; /* UARTDR with nothing received, RSR, ILPR, reserved */
	}
	return true;
}

static bool vpl011_write(struct vcpu *v, void *dev, uint64_t offset, unsigned size, uint64_t val)
{
	struct vpl011 *u = dev;
	uint32_t *reg = control_reg(u, offset);

	if (size > 4) {
		return false;
	}
	if (offset == UARTDR) {
		transmit(u, (char)val);
	} else if (reg) {
		*reg = (uint32_t)val;
	}
	/* ICR, RSR/ECR (error clear) and read-only registers: nothing to keep,
	 * the transmit interrupt stays raised because the FIFO is always empty. */
	return true;
}

const struct mmio_ops vpl011_ops = {
	.read = vpl011_read,
	.write = vpl011_write,
};
