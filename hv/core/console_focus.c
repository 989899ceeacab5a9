/*
 * Where the console's input goes: the VM with the focus, and the keys that
 * move it.
 *
 * Every byte typed on the physical console arrives here (console.c, from
 * the UART's receive interrupt) and goes to the focused VM's virtual UART,
 * except after the escape key, Ctrl-] (0x1d, as telnet's), whose next key
 * is a command for Vireo:
 *   0-9   give the focus to that VM (numbered in configuration order);
 *   n     give it to the next running VM;
 *   l     list the VMs with their state and say which has the focus;
 *   s     print the focused VM's exit statistics (stats.c);
 *   g     when a VM has a GDB stub (gdb.c), a frame of the GDB protocol
 *         from the launcher: a VM's number, bytes for that VM's stub, and
 *         a newline;
 *   Ctrl-] send a Ctrl-] itself to the focused VM.
 * Any other key, a digit naming no VM too, is no command: it reaches the
 * VM as typed, with the Ctrl-] before it (as ssh passes on "~" and a key
 * that is no escape). Nothing typed is lost. The focus starts at the first
 * VM and moves on by itself when its VM stops. QEMU keeps Ctrl-A for
 * itself (Ctrl-A x).
 *
 * console.c asks console_focus_can_take() before it reads each byte from
 * the physical UART, and holds input back while the answer is no: the VM
 * the byte would go to has no room for it (for two bytes after a Ctrl-],
 * which may turn out to be the escape and the key); a GDB frame's bytes
 * are taken at once, never held, and a VM its debugger holds halted gets
 * what it has room for and loses the rest, so that gdb's frames never
 * wait behind input it will not read until gdb lets it. A stopped VM reads
 * nothing any more, and what would go to it is dropped instead of held.
 * Everything here runs with console.c's input lock held: the focus and
 * the escape state are that lock's.
 */
#include "core/console.h"
#include "core/gdb.h"
#include "core/printk.h"
#include "core/vm.h"

#define FOCUS_ESCAPE CONSOLE_ESCAPE

/* Where a GDB frame is: its VM's number next, or its bytes. */
enum gdb_frame_state {
	FRAME_NONE,
	FRAME_VM,
	FRAME_BYTES,
};

static unsigned focus;
static bool escaped;
static enum gdb_frame_state frame;
static unsigned frame_vm;

static const char *state_name(const struct vm *vm)
{
	switch (vm->state) {
	case VM_RUNNING:
		return "running";
	case VM_RESETTING:
		return "resetting";
	default:
		return "stopped";
	}
}

static void list_vms(void)
{
	unsigned i;

	for (i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_by_id(i);

		printk("vireo: %c %u %s: %s, %u vCPUs\n", i == focus ? '*' : ' ', i, vm->name,
		       state_name(vm), vm->n_vcpus);
	}
}

static void set_focus(unsigned id)
{
	focus = id;
	printk("vireo: console focus: %s (Ctrl-] l lists the VMs)\n", vm_by_id(id)->name);
}

/* The next running VM after the focused one, or the focused one. */
static unsigned next_running(void)
{
	unsigned i;

	for (i = 1; i <= vm_count(); i++) {
		unsigned id = (focus + i) % vm_count();

		if (vm_is_running(vm_by_id(id))) {
			return id;
		}
	}
	return focus;
}

/* The VM a byte typed now goes to: the focused one, or the next running
 * one when it is not running and another is. */
static unsigned input_target(void)
{
	if (vm_is_running(vm_by_id(focus))) {
		return focus;
	}
	return next_running();
}

static bool is_stopped(const struct vm *vm)
{
	return __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED;
}

bool console_focus_can_take(void)
{
	struct vm *vm;

	if (vm_count() == 0 || frame != FRAME_NONE) {
		return true;
	}
	vm = vm_by_id(input_target());
	if (is_stopped(vm) || gdb_holds(vm) || vpl011_can_receive(&vm->uart, escaped ? 2 : 1)) {
		return true;
	}
	/* The VM may have stopped since: vm_stop() marks it stopped before
	 * vpl011_flush() looks for a waiting console, so either that saw the
	 * mark vpl011_can_receive() left, or this sees the stop. */
	return is_stopped(vm);
}

/* Passes a byte typed to the VM with the focus, moving the focus on first
 * when that VM is not running and another is. */
static void deliver(char c)
{
	unsigned id = input_target();

	if (id != focus) {
		set_focus(id);
	}
	vpl011_receive(&vm_by_id(focus)->uart, c);
}

/* The key after Ctrl-]. */
static void command(char c)
{
	if (c >= '0' && c <= '9' && (unsigned)(c - '0') < vm_count()) {
		set_focus((unsigned)(c - '0'));
	} else if (c == 'n') {
		set_focus(next_running());
	} else if (c == 'l') {
		list_vms();
	} else if (c == 's') {
		stats_print(vm_by_id(focus));
	} else if (c == 'g' && gdb_configured()) {
		frame = FRAME_VM;
	} else if (c == FOCUS_ESCAPE) {
		deliver(c);
	} else {
		deliver(FOCUS_ESCAPE);
		deliver(c);
	}
}

/* A byte of a GDB frame: its VM's number, then what goes to its stub. */
static void frame_byte(char c)
{
	if (c == '\n') {
		frame = FRAME_NONE;
	} else if (frame == FRAME_VM) {
		frame_vm = (unsigned)(c - '0');
		frame = FRAME_BYTES;
	} else {
		gdb_input(frame_vm, c);
	}
}

void vm_console_input(char c)
{
	if (vm_count() == 0) {
		return;
	}
	if (frame != FRAME_NONE) {
		frame_byte(c);
		return;
	}
	if (escaped) {
		escaped = false;
		command(c);
		return;
	}
	if (c == FOCUS_ESCAPE) {
		escaped = true;
		return;
	}
	deliver(c);
}
