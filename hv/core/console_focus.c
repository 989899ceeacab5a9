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
 *   Ctrl-] send a Ctrl-] itself to the focused VM.
 * Anything else is ignored. The focus starts at the first VM and moves on
 * by itself when its VM stops. QEMU keeps Ctrl-A for itself (Ctrl-A x).
 */
#include "core/console.h"
#include "core/printk.h"
#include "core/vm.h"

#define FOCUS_ESCAPE 0x1d

static unsigned focus;
static bool escaped;

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
	if (id >= vm_count()) {
		return;
	}
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

static void command(char c)
{
	if (c >= '0' && c <= '9') {
		set_focus((unsigned)(c - '0'));
	} else if (c == 'n') {
		set_focus(next_running());
	} else if (c == 'l') {
		list_vms();
	} else if (c == FOCUS_ESCAPE) {
		vpl011_receive(&vm_by_id(focus)->uart, c);
	}
}

void vm_console_input(char c)
{
	if (vm_count() == 0) {
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
	if (!vm_is_running(vm_by_id(focus)) && next_running() != focus) {
		set_focus(next_running());
	}
	vpl011_receive(&vm_by_id(focus)->uart, c);
}
