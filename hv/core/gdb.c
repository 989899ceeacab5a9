/*
 * A GDB stub per VM, the protocol half: packets in, replies out, the
 * queries and the threads; gdb_access.c reads and writes the halted VM
 * (registers, memory, the target description), gdb_monitor.c answers
 * "monitor", gdb_halt.c stops and resumes the VM and owns breakpoints.
 * docs/debugging.md shows a session.
 *
 * The transport is the console. The launcher (./vireo run --gdb) listens
 * for gdb on a TCP port per VM and passes its bytes in frames, Ctrl-] 'g'
 * VM-number BYTES newline, which console_focus.c takes out of the input
 * and feeds to gdb_input() a byte at a time; replies go back the same
 * way, written to the console in one piece, and the launcher takes them
 * out of the output before anyone sees them. RSP needs only printable
 * bytes and Ctrl-C once binary packets are refused (X gets an empty
 * reply), so a frame needs no escaping, and a guest cannot forge one:
 * the virtual UART shows a guest's Ctrl-] as '?' (vpl011.c).
 *
 * Threads are vCPUs: thread N is vCPU N-1. Commands that look at the
 * VM's state are answered only while every vCPU is parked (gdb_halt.c):
 * their state is in memory then, and no CPU touches it.
 */
#include "core/gdb_stub.h"

#include <string.h>

#include "core/config.h"
#include "core/console.h"
#include "core/printk.h"
#include "core/vm.h"

static struct gdb_stub stubs[MAX_VMS];
static bool any_stub;

bool gdb_attach_stub(struct vm *vm)
{
	struct gdb_stub *s = &stubs[vm->id];
	unsigned i;

	*s = (struct gdb_stub){ .lock = SPINLOCK_INIT, .vm = vm };
	vm->gdb = s;
	any_stub = true;
	if (vm->cfg.gdb == VM_GDB_WAIT) {
		/* Parked as each CPU first looks (gdb_park()), before it runs. */
		for (i = 0; i < vm->n_vcpus; i++) {
			vm->vcpus[i].halted = true;
		}
		s->run = GDB_HALTING;
		s->stop.why = WHY_REQUEST;
		printk("vireo: %s: waiting for gdb\n", vm->name);
	}
	return true;
}

bool gdb_configured(void)
{
	return any_stub;
}

bool gdb_holds(const struct vm *vm)
{
	enum gdb_run run;

	if (!vm->gdb) {
		return false;
	}
	run = __atomic_load_n(&vm->gdb->run, __ATOMIC_RELAXED);
	return run == GDB_HALTING || run == GDB_HALTED;
}

const struct gdb_hw *gdb_hw_of(const struct vm *vm)
{
	return vm->gdb && vm->gdb->debugging ? &vm->gdb->hw : NULL;
}

/* --- output -------------------------------------------------------------- */

/* One frame for the launcher: the bytes as they are (a packet, or an
 * acknowledgement). */
static void send_raw(struct gdb_stub *s, const char *bytes, size_t len)
{
	if (len + 4 > sizeof(s->out)) {
		return;
	}
	s->out[0] = CONSOLE_ESCAPE;
	s->out[1] = 'g';
	s->out[2] = (char)('0' + s->vm->id);
	memcpy(s->out + 3, bytes, len);
	s->out[3 + len] = '\n';
	console_write(s->out, len + 4);
}

void gdb_send(struct gdb_stub *s, const char *data, size_t len)
{
	char packet[GDB_PACKET_MAX + 4];
	size_t n = gdb_frame(packet, sizeof(packet), data, len);

	if (n) {
		send_raw(s, packet, n);
	}
}

void gdb_send_str(struct gdb_stub *s, const char *str)
{
	gdb_send(s, str, strlen(str));
}

/* An 'O' packet: text for gdb's console ("monitor" output). */
void gdb_send_text(struct gdb_stub *s, const char *text)
{
	size_t n = MIN(strlen(text), (GDB_PACKET_MAX - 1) / 2);

	s->packet[0] = 'O';
	gdb_hex_encode(s->packet + 1, (const uint8_t *)text, n);
	gdb_send(s, s->packet, 1 + 2 * n);
}

void gdb_send_error(struct gdb_stub *s, unsigned code)
{
	char e[4];

	snprintf(e, sizeof(e), "E%02x", code & 0xff);
	gdb_send_str(s, e);
}

/* --- threads ------------------------------------------------------------- */

static bool valid_tid(const struct gdb_stub *s, int64_t tid)
{
	return tid >= 1 && tid <= (int64_t)s->vm->n_vcpus;
}

static void cmd_thread_list(struct gdb_stub *s)
{
	size_t len = 0;
	unsigned i;

	for (i = 0; i < s->vm->n_vcpus; i++) {
		len += (size_t)snprintf(s->packet + len, sizeof(s->packet) - len, "%c%x",
					i ? ',' : 'm', i + 1);
	}
	gdb_send(s, s->packet, len);
}

static const char *power_name(const struct vcpu *v)
{
	return v->power == VCPU_ON ? "on" : v->power == VCPU_OFF ? "off" : "starting";
}

/* qThreadExtraInfo,TID: what "info threads" shows beside each. */
static void cmd_thread_info(struct gdb_stub *s, const char *args)
{
	int64_t tid;
	char text[64];
	const struct vcpu *v;
	int n;

	if (!gdb_parse_tid(&args, &tid) || *args || !valid_tid(s, tid)) {
		gdb_send_error(s, 22);
		return;
	}
	v = &s->vm->vcpus[tid - 1];
	n = snprintf(text, sizeof(text), "vCPU %u, %s, on CPU %u", v->id, power_name(v),
		     v->home ? v->home->id : 0);
	gdb_hex_encode(s->packet, (const uint8_t *)text, (size_t)n);
	gdb_send(s, s->packet, 2 * (size_t)n);
}

/* T TID: whether that thread is alive (a vCPU always is, on or off). */
static void cmd_thread_alive(struct gdb_stub *s, const char *args)
{
	int64_t tid;

	if (!gdb_parse_tid(&args, &tid) || *args || !valid_tid(s, tid)) {
		gdb_send_error(s, 1);
		return;
	}
	gdb_send_str(s, "OK");
}

/* Hg / Hc: the thread later commands act on (0 and -1: any). Hc's is
 * not kept: gdb resumes with vCont, which names its threads. */
static void cmd_set_thread(struct gdb_stub *s, const char *args)
{
	char which = args[0];
	const char *p = args + 1;
	int64_t tid;

	if ((which != 'g' && which != 'c') || !gdb_parse_tid(&p, &tid) || *p ||
	    (tid > 0 && !valid_tid(s, tid))) {
		gdb_send_error(s, 22);
		return;
	}
	if (which == 'g' && tid > 0) {
		s->cur = (unsigned)(tid - 1);
	}
	gdb_send_str(s, "OK");
}

/* --- packets ------------------------------------------------------------- */

static bool starts(const char *pkt, const char *prefix)
{
	return strncmp(pkt, prefix, strlen(prefix)) == 0;
}

static void cmd_query(struct gdb_stub *s, const char *pkt)
{
	char qc[16];

	if (starts(pkt, "qSupported")) {
		gdb_send_str(s, "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+;"
				"vContSupported+;swbreak+;hwbreak+");
	} else if (starts(pkt, "qXfer:features:read:")) {
		gdb_cmd_features(s, pkt + 20);
	} else if (!strcmp(pkt, "qfThreadInfo")) {
		cmd_thread_list(s);
	} else if (!strcmp(pkt, "qsThreadInfo")) {
		gdb_send_str(s, "l");
	} else if (starts(pkt, "qThreadExtraInfo,")) {
		cmd_thread_info(s, pkt + 17);
	} else if (!strcmp(pkt, "qC")) {
		snprintf(qc, sizeof(qc), "QC%x", s->cur + 1);
		gdb_send_str(s, qc);
	} else if (starts(pkt, "qAttached")) {
		gdb_send_str(s, "1");
	} else if (starts(pkt, "qRcmd,")) {
		gdb_cmd_monitor(s, pkt + 6);
	} else if (starts(pkt, "qSymbol")) {
		gdb_send_str(s, "OK");
	} else {
		gdb_send_str(s, "");
	}
}

/* 'c' and 's' with an optional address: the current thread resumes there;
 * 'c' resumes every vCPU, 's' steps the current one alone. */
static void cmd_resume(struct gdb_stub *s, char how, const char *args)
{
	char actions[VM_MAX_VCPUS];
	uint64_t addr;
	unsigned i;

	if (*args) {
		if (!gdb_parse_num(&args, &addr) || *args) {
			gdb_send_error(s, 22);
			return;
		}
		s->vm->vcpus[s->cur].regs.pc = addr;
	}
	for (i = 0; i < s->vm->n_vcpus; i++) {
		actions[i] = how == 'c' ? 'c' : i == s->cur ? 's' : 0;
	}
	if (!gdb_resume(s, actions)) {
		gdb_send_error(s, 1);
	}
}

static void cmd_vcont(struct gdb_stub *s, const char *args)
{
	char actions[VM_MAX_VCPUS] = { 0 };
	struct gdb_vcont vc;
	unsigned i, k;

	if (!gdb_parse_vcont(args, &vc)) {
		gdb_send_error(s, 22);
		return;
	}
	/* Each thread takes the leftmost action that names it. */
	for (i = 0; i < s->vm->n_vcpus; i++) {
		for (k = 0; k < vc.n && !actions[i]; k++) {
			if (vc.a[k].tid == -1 || vc.a[k].tid == 0 || vc.a[k].tid == (int64_t)i + 1) {
				actions[i] = vc.a[k].action;
			}
		}
	}
	if (!gdb_resume(s, actions)) {
		gdb_send_error(s, 1);
	}
}

static void cmd_point(struct gdb_stub *s, const char *pkt)
{
	uint64_t addr, kind;
	unsigned type;
	int err;

	if (!gdb_parse_point(pkt + 1, &type, &addr, &kind)) {
		gdb_send_error(s, 22);
		return;
	}
	err = gdb_point(s, pkt[0] == 'Z', type, addr, kind);
	if (err < 0) {
		gdb_send_str(s, "");
	} else if (err) {
		gdb_send_error(s, (unsigned)err);
	} else {
		gdb_send_str(s, "OK");
	}
}

/* The commands that need the VM halted: its state is in memory then. */
static bool needs_halt(char c)
{
	return strchr("gGpPmMcsZz", c) != NULL;
}

/* Returns true when gdb asked to kill the VM, which the caller does once
 * the stub's lock is released (vm_crash() reports back here). */
static bool handle(struct gdb_stub *s, const char *pkt)
{
	if (s->run == GDB_EXITED) {
		gdb_send_str(s, pkt[0] == '?' ? "W00" : "E01");
		return false;
	}
	if (needs_halt(pkt[0]) && s->run != GDB_HALTED) {
		gdb_send_error(s, 1);
		return false;
	}
	switch (pkt[0]) {
	case '?':
		if (s->run == GDB_HALTED) {
			gdb_send_stop(s);
		} else {
			s->reply_due = true;
			gdb_halt(s, WHY_REQUEST, s->cur);
		}
		break;
	case 'q':
		cmd_query(s, pkt);
		break;
	case 'Q':
		if (!strcmp(pkt, "QStartNoAckMode")) {
			gdb_send_str(s, "OK");
			s->no_ack = true;
		} else {
			gdb_send_str(s, "");
		}
		break;
	case 'H':
		cmd_set_thread(s, pkt + 1);
		break;
	case 'T':
		cmd_thread_alive(s, pkt + 1);
		break;
	case 'g':
		gdb_cmd_read_regs(s);
		break;
	case 'G':
		gdb_cmd_write_regs(s, pkt + 1);
		break;
	case 'p':
		gdb_cmd_read_reg(s, pkt + 1);
		break;
	case 'P':
		gdb_cmd_write_reg(s, pkt + 1);
		break;
	case 'm':
		gdb_cmd_read_mem(s, pkt + 1);
		break;
	case 'M':
		gdb_cmd_write_mem(s, pkt + 1);
		break;
	case 'c':
	case 's':
		cmd_resume(s, pkt[0], pkt + 1);
		break;
	case 'v':
		if (!strcmp(pkt, "vCont?")) {
			gdb_send_str(s, "vCont;c;C;s;S");
		} else if (starts(pkt, "vCont;")) {
			if (s->run == GDB_HALTED) {
				cmd_vcont(s, pkt + 5);
			} else {
				gdb_send_error(s, 1);
			}
		} else {
			gdb_send_str(s, "");
		}
		break;
	case 'Z':
	case 'z':
		cmd_point(s, pkt);
		break;
	case 'D':
		gdb_detach(s);
		gdb_send_str(s, "OK");
		break;
	case 'k':
		gdb_detach(s);
		return true;
	default:
		gdb_send_str(s, "");
		break;
	}
	return false;
}

void gdb_input(unsigned vm_id, char c)
{
	struct gdb_stub *s;
	bool kill = false;

	if (vm_id >= vm_count() || !(s = vm_by_id(vm_id)->gdb)) {
		return;
	}
	spin_lock(&s->lock);
	switch (gdb_rx_byte(&s->rx, c)) {
	case GDB_RX_PACKET:
		if (!s->no_ack) {
			send_raw(s, "+", 1);
		}
		kill = handle(s, s->rx.data);
		break;
	case GDB_RX_BAD:
		send_raw(s, "-", 1);
		break;
	case GDB_RX_INTERRUPT:
		s->reply_due = true;
		gdb_halt(s, WHY_INTERRUPT, s->cur);
		break;
	default:
		break;
	}
	spin_unlock(&s->lock);
	if (kill) {
		vm_crash(s->vm, "killed by gdb");
	}
}
