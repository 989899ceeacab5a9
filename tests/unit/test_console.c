/*
 * The console's input path on the host: bytes typed on the physical
 * console reach the VM with the focus complete and in order, however many
 * arrive while its guest reads none (issue 14).
 *
 * The real code from the physical UART's receive interrupt to the guest's
 * reads: console.c's interrupt handler, console_focus.c's escape key and
 * focus, and each VM's emulated PL011 (vpl011.c), whose registers the
 * tests read as a guest would (UARTDR, UARTFR, UARTRIS/UARTMIS, and the
 * interrupt line it drives). Below it the physical UART is a fake driver:
 * a queue of typed bytes, and a receive interrupt that is raised while
 * bytes wait and the interrupt is enabled, as a PL011's is; deliver()
 * calls the handler the console registered for as long as that holds.
 * The VMs are two struct vm with only what the console uses filled in.
 * The drivers' own set_rx_irq() is tested last, over fake register blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/console.h"
#include "core/irq.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "drivers/uart/bcm2835_aux.h"
#include "drivers/uart/pl011.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define FR_RXFE (1U << 4)
#define FR_RXFF (1U << 6)
#define INT_RX (1U << 4)
#define INT_TX (1U << 5)
#define INT_RT (1U << 6)
#define AUX_MU_IER 0x04

#define BURST 4096
#define ESCAPE 0x1d

/* --- the VMs --------------------------------------------------------- */

static struct vm vms[2];
static unsigned n_vms;
static bool irq_line[2]; /* each VM's UART interrupt, as its vGIC sees it */

unsigned vm_count(void)
{
	return n_vms;
}

struct vm *vm_by_id(unsigned id)
{
	assert_true(id < n_vms);
	return &vms[id];
}

static void set_irq(void *ctx, bool level)
{
	irq_line[(struct vm *)ctx - vms] = level;
}

static uint32_t guest_read(struct vm *vm, uint64_t offset)
{
	uint64_t val = 0;

	assert_true(vpl011_ops.read(NULL, &vm->uart, offset, 4, &val));
	return (uint32_t)val;
}

static void guest_write(struct vm *vm, uint64_t offset, uint32_t val)
{
	assert_true(vpl011_ops.write(NULL, &vm->uart, offset, 4, val));
}

/* Reads what the guest's receive FIFO holds, at most max bytes, as a
 * driver does: UARTDR while UARTFR says it is not empty. */
static size_t guest_drain(struct vm *vm, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (n < max && !(guest_read(vm, UARTFR) & FR_RXFE)) {
		out[n++] = (uint8_t)guest_read(vm, UARTDR);
	}
	return n;
}

/* --- the physical console -------------------------------------------- */

static struct {
	uint8_t in[4 * BURST];
	size_t head, len;  /* typed bytes not yet read from the UART */
	bool rx_irq;       /* its receive interrupt is enabled */
	unsigned masks, unmasks;
	char out[4096];    /* what Vireo printed */
	size_t out_len;
} phys;

static void f_write(volatile void *base, const char *s, size_t len)
{
	if (phys.out_len + len < sizeof(phys.out)) {
		memcpy(phys.out + phys.out_len, s, len);
		phys.out_len += len;
		phys.out[phys.out_len] = '\0';
	}
}

static int f_getc(volatile void *base)
{
	/* The console reads only in its interrupt, which it has not masked. */
	assert_true(phys.rx_irq);
	if (phys.head == phys.len) {
		return -1;
	}
	return phys.in[phys.head++];
}

static void f_enable_rx_irq(volatile void *base)
{
	phys.rx_irq = true;
}

static void f_set_rx_irq(volatile void *base, bool on)
{
	assert_true(on != phys.rx_irq); /* each a change */
	phys.rx_irq = on;
	if (on) {
		phys.unmasks++;
	} else {
		phys.masks++;
	}
}

static const struct uart_driver fake_uart = {
	.name = "fake",
	.write = f_write,
	.getc = f_getc,
	.enable_rx_irq = f_enable_rx_irq,
	.set_rx_irq = f_set_rx_irq,
};

/* The GDB stubs (gdb.c), as what the frames gave them. */
static struct {
	unsigned vm[64];
	char bytes[64];
	size_t n;
} to_gdb;

static bool stubs; /* a VM has a GDB stub */

bool gdb_configured(void)
{
	return stubs;
}

bool gdb_holds(const struct vm *vm)
{
	return false;
}

void gdb_input(unsigned vm_id, char c)
{
	assert_true(to_gdb.n < sizeof(to_gdb.bytes));
	to_gdb.vm[to_gdb.n] = vm_id;
	to_gdb.bytes[to_gdb.n++] = c;
}

static void type(const void *bytes, size_t len)
{
	assert_true(phys.len + len <= sizeof(phys.in));
	memcpy(phys.in + phys.len, bytes, len);
	phys.len += len;
}

/* The interrupt registry and controller, for console_enable_input(). */
#define RX_IRQ 33

static irq_handler_t rx_handler;
static void *rx_ctx;
static unsigned enabled_irq;

bool irq_register(unsigned irq, irq_handler_t fn, void *ctx)
{
	rx_handler = fn;
	rx_ctx = ctx;
	return true;
}

static void f_enable(unsigned irq, struct pcpu *target)
{
	enabled_irq = irq;
}

static const struct irqchip fake_chip = { .name = "fake", .enable = f_enable };
const struct irqchip *irqchip;

static struct pcpu cpu0;

uint64_t fuzz_read_sysreg(const char *name)
{
	return strcmp(name, "tpidr_el2") == 0 ? (uintptr_t)&cpu0 : 0;
}

void fuzz_write_sysreg(const char *name, uint64_t val)
{
}

/* Takes the UART's interrupt for as long as it is raised: bytes waiting
 * and the interrupt enabled. */
static void deliver(void)
{
	unsigned rounds = 0;

	while (phys.rx_irq && phys.head < phys.len) {
		assert_int_equal(rx_handler(rx_ctx), IRQ_HANDLED);
		assert_true(++rounds < 100000);
	}
}

/* --- set-up ------------------------------------------------------------ */

static void init_vms(void)
{
	static const char *const names[] = { "va", "vb" };
	unsigned i;

	n_vms = 2;
	for (i = 0; i < n_vms; i++) {
		vms[i].id = i;
		vms[i].name = names[i];
		vms[i].n_vcpus = 1;
		vms[i].state = VM_RUNNING;
		vpl011_init(&vms[i].uart, names[i], set_irq, &vms[i]);
		/* Linux's driver: receive and receive-timeout interrupts. */
		guest_write(&vms[i], UARTIMSC, INT_RX | INT_RT);
	}
}

/* Two running VMs, the focus on the first, the console taking input. */
static int setup(void **state)
{
	unsigned i;

	memset(&phys, 0, sizeof(phys));
	memset(vms, 0, sizeof(vms));
	memset(irq_line, 0, sizeof(irq_line));
	init_vms();
	/* Lets go of a console that a failed test left held back: as if
	 * each VM stopped with the console waiting for it. */
	for (i = 0; i < n_vms; i++) {
		vms[i].uart.rx_waiting = true;
		vpl011_flush(&vms[i].uart);
	}
	irqchip = &fake_chip;
	console_set_uart(&fake_uart, NULL);
	rx_handler = NULL;
	console_enable_input(RX_IRQ);
	assert_non_null(rx_handler);
	assert_int_equal(enabled_irq, RX_IRQ);
	assert_true(phys.rx_irq);
	/* The focus back on the first VM, whatever an earlier test left. */
	type("\x1d"
	     "0",
	     2);
	deliver();
	memset(&phys, 0, sizeof(phys));
	phys.rx_irq = true;
	init_vms();
	return 0;
}

/* Printable bytes in an order that is not a simple count, without the
 * escape key (or any control character). */
static void fill_printable(uint8_t *buf, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245U + 12345U;
		buf[i] = (uint8_t)(' ' + (seed >> 16) % 95);
	}
}

/* --- the VM's side: the emulated PL011 -------------------------------- */

/* BURST bytes arrive while the guest reads none; then the guest reads,
 * and gets every one of them in order, through a receive FIFO that looks
 * like a PL011's all along: RXFF while 32 or more are waiting, RXFE only
 * once all are read, the receive and timeout interrupts raised until then,
 * and the line dropped at the end. (Before the fix, the 32-byte FIFO kept
 * the first 32 and dropped the rest.) */
static void test_vm_keeps_a_4k_burst(void **state)
{
	static uint8_t sent[BURST], got[BURST + 1];
	static uint32_t fr[BURST + 1], ris[BURST + 1], mis[BURST + 1];
	static bool line[BURST + 1];
	struct vm *vm = &vms[0];
	size_t n = 0, i;

	fill_printable(sent, sizeof(sent), 14);
	for (i = 0; i < BURST; i++) {
		vpl011_receive(&vm->uart, (char)sent[i]);
	}
	/* What the guest sees before each read. */
	while (!(guest_read(vm, UARTFR) & FR_RXFE) && n <= BURST) {
		fr[n] = guest_read(vm, UARTFR);
		ris[n] = guest_read(vm, UARTRIS);
		mis[n] = guest_read(vm, UARTMIS);
		line[n] = irq_line[0];
		got[n++] = (uint8_t)guest_read(vm, UARTDR);
	}
	assert_int_equal(n, BURST);
	assert_memory_equal(got, sent, BURST);
	for (i = 0; i < BURST; i++) {
		assert_int_equal(fr[i] & (FR_RXFE | FR_RXFF), BURST - i >= 32 ? FR_RXFF : 0);
		assert_int_equal(ris[i], INT_TX | INT_RX | INT_RT);
		assert_int_equal(mis[i], INT_RX | INT_RT);
		assert_true(line[i]);
	}
	assert_int_equal(guest_read(vm, UARTRIS), INT_TX);
	assert_int_equal(guest_read(vm, UARTMIS), 0);
	assert_false(irq_line[0]);
}

/* --- the whole path: typed on the console, read by the guest ----------- */

/* A paste of BURST bytes, typed while the guest reads none, all reaches
 * it through the console's interrupt. */
static void test_typed_burst_reaches_vm(void **state)
{
	static uint8_t sent[BURST], got[BURST];

	fill_printable(sent, sizeof(sent), 3);
	type(sent, sizeof(sent));
	deliver();
	assert_int_equal(guest_drain(&vms[0], got, sizeof(got)), BURST);
	assert_memory_equal(got, sent, BURST);
	assert_int_equal(guest_drain(&vms[1], got, sizeof(got)), 0);
}

/* Ctrl-] followed by a key that is no command reaches the VM as typed,
 * both bytes: a letter, and a digit naming no VM. Ctrl-] Ctrl-] sends one
 * Ctrl-]; the commands themselves reach no VM. (Before the fix, both bytes
 * of a non-command were dropped.) */
static void test_escape_then_other_key_passes_both(void **state)
{
	static const uint8_t typed[] = { 'a', ESCAPE, 'z', ESCAPE, '7', ESCAPE, ESCAPE, ESCAPE,
					 'l', 'b' };
	static const uint8_t want[] = { 'a', ESCAPE, 'z', ESCAPE, '7', ESCAPE, 'b' };
	uint8_t got[16];

	type(typed, sizeof(typed));
	deliver();
	assert_int_equal(guest_drain(&vms[0], got, sizeof(got)), sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_non_null(strstr(phys.out, "vireo: * 0 va: running, 1 vCPUs"));
	assert_int_equal(guest_drain(&vms[1], got, sizeof(got)), 0);
}

/* Ctrl-] and a digit moves the focus, and what follows goes there. */
static void test_escape_digit_moves_focus(void **state)
{
	static const uint8_t typed[] = { 'x', ESCAPE, '1', 'y', ESCAPE, '0', 'z' };
	uint8_t got[16];

	type(typed, sizeof(typed));
	deliver();
	assert_int_equal(guest_drain(&vms[0], got, sizeof(got)), 2);
	assert_memory_equal(got, "xz", 2);
	assert_int_equal(guest_drain(&vms[1], got, sizeof(got)), 1);
	assert_int_equal(got[0], 'y');
	assert_non_null(strstr(phys.out, "vireo: console focus: vb"));
}

/* --- back-pressure ----------------------------------------------------- */

/* Reads one byte as the guest, checking it is the next one expected. */
static void guest_read_expect(struct vm *vm, const uint8_t *want, size_t *n)
{
	assert_false(guest_read(vm, UARTFR) & FR_RXFE);
	assert_int_equal(guest_read(vm, UARTDR), want[(*n)++]);
}

/* Far more than the VM's input holds, typed while its guest reads none:
 * the console takes what fits, then masks the UART's receive interrupt and
 * leaves the rest in the UART (its getc() is not called again). The
 * guest's reads unmask it only once they have brought the input down to
 * VPL011_RX_RESUME bytes; then the rest comes in, and the guest reads all
 * of it, in order. */
static void test_full_vm_holds_the_uart_back(void **state)
{
	static uint8_t sent[3 * BURST + 100];
	struct vm *vm = &vms[0];
	size_t n = 0;

	fill_printable(sent, sizeof(sent), 7);
	type(sent, sizeof(sent));
	deliver();
	assert_false(phys.rx_irq);
	assert_int_equal(phys.masks, 1);
	assert_int_equal(phys.head, VPL011_RX_RING); /* the rest waits in the UART */
	assert_true(guest_read(vm, UARTFR) & FR_RXFF);
	while (n < VPL011_RX_RING - VPL011_RX_RESUME - 1) {
		guest_read_expect(vm, sent, &n);
	}
	assert_false(phys.rx_irq); /* not yet: VPL011_RX_RESUME + 1 wait */
	guest_read_expect(vm, sent, &n);
	assert_true(phys.rx_irq); /* the read that made room unmasked it */
	assert_int_equal(phys.unmasks, 1);
	/* From now on, the interrupt whenever it is raised, and the guest. */
	while (n < sizeof(sent)) {
		deliver();
		guest_read_expect(vm, sent, &n);
	}
	assert_true(guest_read(vm, UARTFR) & FR_RXFE);
	assert_int_equal(phys.head, phys.len);
	assert_true(phys.rx_irq);
	assert_int_equal(guest_drain(&vms[1], sent, sizeof(sent)), 0);
}

/* With room for one byte only, the key after a Ctrl-] waits in the UART:
 * it may make two bytes for the VM, the Ctrl-] and itself. Both arrive
 * once the guest has made room. */
static void test_escape_waits_for_room_for_two(void **state)
{
	static uint8_t fill[VPL011_RX_RING - 1], got[VPL011_RX_RING + 2];
	static const uint8_t typed[] = { ESCAPE, 'q' };
	size_t n;

	fill_printable(fill, sizeof(fill), 5);
	type(fill, sizeof(fill));
	deliver();
	assert_true(phys.rx_irq);
	type(typed, sizeof(typed));
	deliver();
	/* The Ctrl-] was taken (it fitted), the key after it waits. */
	assert_int_equal(phys.head, phys.len - 1);
	assert_false(phys.rx_irq);
	assert_int_equal(phys.masks, 1);
	/* The guest's reads make room, and the key comes in. */
	n = guest_drain(&vms[0], got, VPL011_RX_RING - VPL011_RX_RESUME);
	assert_int_equal(n, VPL011_RX_RING - VPL011_RX_RESUME);
	assert_true(phys.rx_irq);
	deliver();
	n += guest_drain(&vms[0], got + n, sizeof(got) - n);
	assert_int_equal(n, sizeof(fill) + 2);
	assert_memory_equal(got, fill, sizeof(fill));
	assert_int_equal(got[sizeof(fill)], ESCAPE);
	assert_int_equal(got[sizeof(fill) + 1], 'q');
}

/* A VM that stops with the console held back for it lets it go: what is
 * typed next goes to the VM the focus moves on to. */
static void test_stopped_vm_lets_the_console_go(void **state)
{
	static uint8_t fill[VPL011_RX_RING];
	uint8_t got[8];

	fill_printable(fill, sizeof(fill), 9);
	type(fill, sizeof(fill));
	type("more", 4);
	deliver();
	assert_false(phys.rx_irq);
	/* vm_stop(): the state first, then vpl011_flush(). */
	vms[0].state = VM_STOPPED;
	vpl011_flush(&vms[0].uart);
	assert_true(phys.rx_irq);
	deliver();
	assert_non_null(strstr(phys.out, "vireo: console focus: vb"));
	assert_int_equal(guest_drain(&vms[1], got, sizeof(got)), 4);
	assert_memory_equal(got, "more", 4);
}

/* Input for a stopped VM when no VM runs is dropped, not held: the console
 * never waits for a VM that will not read. */
static void test_no_running_vm_never_holds(void **state)
{
	static uint8_t fill[2 * BURST];

	vms[0].state = VM_STOPPED;
	vms[1].state = VM_STOPPED;
	fill_printable(fill, sizeof(fill), 11);
	type(fill, sizeof(fill));
	deliver();
	assert_true(phys.rx_irq);
	assert_int_equal(phys.masks, 0);
	assert_int_equal(phys.head, phys.len);
}

/* --- the drivers ------------------------------------------------------ */

/* The PL011's receive and receive-timeout interrupts are masked and
 * unmasked in UARTIMSC, and nothing else is written: UARTICR keeps what
 * waits announced. */
/* A partial line is shown when the vCPU that wrote it goes idle, not when
 * another vCPU of the VM does: that one may be writing it still, and
 * another VM's line would cut it in two. */
/* A GDB frame's bytes go to that VM's stub, none to any VM's UART, and
 * what is typed after it goes on as before. */
static void test_gdb_frame_goes_to_the_stub(void **state)
{
	static const char typed[] = "a\x1dg1$?#3f\x03\n\x1dg0+\nb";
	uint8_t got[16];
	size_t i;

	to_gdb.n = 0;
	stubs = true;
	type(typed, sizeof(typed) - 1);
	deliver();
	stubs = false;
	assert_int_equal(to_gdb.n, 7);
	assert_memory_equal(to_gdb.bytes, "$?#3f\x03+", 7);
	for (i = 0; i < 6; i++) {
		assert_int_equal(to_gdb.vm[i], 1);
	}
	assert_int_equal(to_gdb.vm[6], 0);
	assert_int_equal(guest_drain(&vms[0], got, sizeof(got)), 2);
	assert_memory_equal(got, "ab", 2);
	assert_int_equal(guest_drain(&vms[1], got, sizeof(got)), 0);
}

/* Without a stub, Ctrl-] g is no command: both reach the VM as typed. */
static void test_ctrl_g_without_stubs_is_typed(void **state)
{
	static const char typed[] = "\x1dgx\n";
	uint8_t got[16];

	to_gdb.n = 0;
	type(typed, sizeof(typed) - 1);
	deliver();
	assert_int_equal(to_gdb.n, 0);
	assert_int_equal(guest_drain(&vms[0], got, sizeof(got)), 4);
	assert_memory_equal(got, typed, 4);
}

/* A guest's Ctrl-] never reaches the console: it could start a frame. */
static void test_guest_cannot_write_a_frame(void **state)
{
	struct vm *vm = &vms[0];
	const char *line = "\x1dg0$T05#b9";
	int writer;

	for (; *line; line++) {
		assert_true(vpl011_ops.write((struct vcpu *)&writer, &vm->uart, UARTDR, 4,
					     (uint8_t)*line));
	}
	assert_true(vpl011_ops.write((struct vcpu *)&writer, &vm->uart, UARTDR, 4, '\n'));
	assert_null(memchr(phys.out, 0x1d, phys.out_len));
	assert_non_null(strstr(phys.out, "?g0$T05#b9"));
}

static void test_partial_line_is_its_writers(void **state)
{
	struct vm *vm = &vms[0];
	int writer, other; /* two vCPUs, as opaque identities */

	assert_true(vpl011_ops.write((struct vcpu *)&writer, &vm->uart, UARTDR, 4, 'a'));
	assert_true(vpl011_ops.write((struct vcpu *)&writer, &vm->uart, UARTDR, 4, 'b'));
	vpl011_flush_partial(&vm->uart, (struct vcpu *)&other);
	assert_null(strstr(phys.out, "ab"));
	vpl011_flush_partial(&vm->uart, (struct vcpu *)&writer);
	assert_non_null(strstr(phys.out, "ab"));
}

static void test_pl011_set_rx_irq(void **state)
{
	uint32_t regs[0x1000 / 4] = { 0 };
	unsigned i;

	regs[UARTIMSC / 4] = INT_RX | INT_RT;
	pl011_uart.set_rx_irq(regs, false);
	assert_int_equal(regs[UARTIMSC / 4], 0);
	pl011_uart.set_rx_irq(regs, true);
	assert_int_equal(regs[UARTIMSC / 4], INT_RX | INT_RT);
	regs[UARTIMSC / 4] = 0;
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		assert_int_equal(regs[i], 0);
	}
}

/* The mini UART's receive interrupt is AUX_MU_IER_REG bit 0. */
static void test_aux_set_rx_irq(void **state)
{
	uint32_t regs[0x40 / 4] = { 0 }; /* from AUX_MU_IO_REG */
	unsigned i;

	regs[AUX_MU_IER / 4] = 1;
	bcm2835_aux_uart.set_rx_irq(regs, false);
	assert_int_equal(regs[AUX_MU_IER / 4], 0);
	bcm2835_aux_uart.set_rx_irq(regs, true);
	assert_int_equal(regs[AUX_MU_IER / 4], 1);
	regs[AUX_MU_IER / 4] = 0;
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		assert_int_equal(regs[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gdb_frame_goes_to_the_stub, setup),
		cmocka_unit_test_setup(test_guest_cannot_write_a_frame, setup),
		cmocka_unit_test_setup(test_ctrl_g_without_stubs_is_typed, setup),
		cmocka_unit_test_setup(test_vm_keeps_a_4k_burst, setup),
		cmocka_unit_test_setup(test_typed_burst_reaches_vm, setup),
		cmocka_unit_test_setup(test_escape_then_other_key_passes_both, setup),
		cmocka_unit_test_setup(test_escape_digit_moves_focus, setup),
		cmocka_unit_test_setup(test_full_vm_holds_the_uart_back, setup),
		cmocka_unit_test_setup(test_escape_waits_for_room_for_two, setup),
		cmocka_unit_test_setup(test_stopped_vm_lets_the_console_go, setup),
		cmocka_unit_test_setup(test_no_running_vm_never_holds, setup),
		cmocka_unit_test_setup(test_partial_line_is_its_writers, setup),
		cmocka_unit_test(test_pl011_set_rx_irq),
		cmocka_unit_test(test_aux_set_rx_irq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
