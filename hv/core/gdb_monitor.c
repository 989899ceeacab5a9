/*
 * gdb's "monitor" commands (qRcmd), Vireo's view of the VM being
 * debugged: its stage-2 map (vmode->vm_report_map()) and emulated
 * devices, its exit statistics (stats_report()), its virtual interrupts
 * (vgic_report()), and whether addresses are virtual or guest-physical.
 * Output goes to gdb's console as 'O' packets, then "OK".
 */
#include "core/gdb_stub.h"

#include <stdarg.h>
#include <string.h>

#include "core/printk.h"
#include "core/vm.h"
#include "core/vmode.h"

/* --- monitor commands ---------------------------------------------------- */

static void mon_printf(struct gdb_stub *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void mon_printf(struct gdb_stub *s, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	gdb_send_text(s, text);
}

static void mon_stat(void *ctx, const char *event, uint64_t n)
{
	mon_printf(ctx, "%-40s %lu\n", event, n);
}

static const char *const kind_names[] = {
	[VM_MEM_RAM] = "RAM",
	[VM_MEM_RAM_RO] = "RAM, read-only",
	[VM_MEM_DEVICE] = "device, passed through",
};

static void mon_map(void *ctx, ipaddr_t at, paddr_t to, uint64_t size, int kind)
{
	mon_printf(ctx, "0x%010lx-0x%010lx -> 0x%010lx  %s\n", ipa_addr(at),
		   ipa_addr(at) + size - 1, pa_addr(to),
		   kind >= 0 ? kind_names[kind] : "other attributes");
}

static void mon_stage2(struct gdb_stub *s)
{
	const struct vm *vm = s->vm;
	unsigned i;

	mon_printf(s, "%s: stage 2 (guest-physical -> host-physical), VMID %u\n", vm->name,
		   vm->vmid);
	vmode->vm_report_map(s->vm, mon_map, s);
	mon_printf(s, "emulated (they trap; nothing mapped):\n");
	for (i = 0; i < vm->mmio.n; i++) {
		const struct mmio_region *r = &vm->mmio.regions[i];

		mon_printf(s, "0x%010lx-0x%010lx  %s\n", ipa_addr(r->base),
			   ipa_addr(r->base) + r->size - 1, mmio_name(r));
	}
}

static void mon_irq(void *ctx, unsigned vcpu, unsigned intid, const struct virq *q)
{
	mon_printf(ctx, "vCPU %u INTID %3u: %s%s%s%s priority 0x%02x%s\n", vcpu, intid,
		   q->enabled ? "enabled" : "disabled", q->latched || q->level ? ", pending" : "",
		   q->active ? ", active" : "", q->edge ? ", edge" : ", level", q->priority,
		   q->hw ? ", hardware" : "");
}

static void mon_irqs(struct gdb_stub *s)
{
	if (!s->vm->has_gic) {
		mon_printf(s, "%s has no virtual GIC\n", s->vm->name);
		return;
	}
	mon_printf(s, "%s: virtual interrupts enabled, pending or active (SPIs as vCPU 0%s)\n",
		   s->vm->name, s->vm->lpis ? "; LPIs not listed" : "");
	vgic_report(&s->vm->vgic, mon_irq, s);
}

static void mon_help(struct gdb_stub *s)
{
	mon_printf(s, "monitor commands of Vireo's stub for %s:\n", s->vm->name);
	mon_printf(s, "  stage2       the VM's guest-physical memory map\n");
	mon_printf(s, "  stats        its exit statistics so far\n");
	mon_printf(s, "  irqs         its virtual interrupts' state\n");
	mon_printf(s, "  phys on|off  memory addresses are guest-physical, or virtual\n");
}

/* qRcmd,HEX: "monitor TEXT" */
void gdb_cmd_monitor(struct gdb_stub *s, const char *hex)
{
	char text[64];
	size_t n = strlen(hex) / 2;

	if (strlen(hex) % 2 || n >= sizeof(text) || !gdb_hex_decode((uint8_t *)text, hex, n)) {
		gdb_send_error(s, 22);
		return;
	}
	text[n] = '\0';
	if (!strcmp(text, "stats")) {
		stats_report(s->vm, mon_stat, s);
	} else if (!strcmp(text, "stage2")) {
		mon_stage2(s);
	} else if (!strcmp(text, "irqs")) {
		mon_irqs(s);
	} else if (!strcmp(text, "phys on") || !strcmp(text, "phys off")) {
		s->phys = text[6] == 'n';
		mon_printf(s, "addresses are guest-%s\n", s->phys ? "physical" : "virtual");
	} else if (!strcmp(text, "help") || !strcmp(text, "")) {
		mon_help(s);
	} else {
		mon_printf(s, "unknown command \"%s\"; \"monitor help\" lists them\n", text);
	}
	gdb_send_str(s, "OK");
}
