/*
 * The GDB stub's own state, shared by its parts: gdb.c (the protocol:
 * packets, queries, threads), gdb_access.c (registers, memory),
 * gdb_monitor.c (monitor commands) and gdb_halt.c (stopping and
 * resuming the VM, breakpoints, stop replies).
 * Nothing else includes it.
 *
 * Locks: stub->lock guards all of it, and is taken under the console's
 * input lock (gdb_input()) or alone (a vCPU's CPU: traps, parking); the
 * console's output lock nests inside it.
 */
#ifndef VIREO_CORE_GDB_STUB_H
#define VIREO_CORE_GDB_STUB_H

#include "arch/aarch64/spinlock.h"
#include "core/gdb.h"
#include "core/gdb_rsp.h"

#define GDB_MAX_SWBP 64

/* Where the VM is, as gdb sees it. */
enum gdb_run {
	GDB_RUNNING,
	GDB_HALTING, /* asked to stop, some vCPU not parked yet */
	GDB_HALTED,  /* every vCPU parked: gdb may look and change */
	GDB_EXITED,  /* the VM stopped for good */
};

/* Why the VM stopped, for the stop reply. */
enum gdb_why {
	WHY_REQUEST,  /* gdb's '?' or the VM's start: SIGTRAP */
	WHY_INTERRUPT, /* Ctrl-C: SIGINT */
	WHY_SWBREAK,
	WHY_HWBREAK,
	WHY_WATCH,
	WHY_STEP,
};

struct gdb_swbp {
	uint64_t va;
	ipaddr_t ipa;
	uint32_t orig; /* the instruction BRK replaced */
	bool used;
};

/* gdb's view of a hardware watchpoint, for the stop reply. */
struct gdb_watch {
	uint64_t addr, len;
	unsigned type; /* 2 write, 3 read, 4 access (Z2-Z4) */
};

struct gdb_stub {
	spinlock_t lock;
	struct vm *vm;
	struct gdb_rx rx;
	bool no_ack;
	enum gdb_run run;
	bool debugging; /* gdb_hw_of() answers: set once halted, until detached */
	bool reply_due; /* gdb waits for a stop reply */
	struct {
		enum gdb_why why;
		unsigned vcpu;
		uint64_t addr; /* WHY_WATCH: the watched address hit */
		unsigned type; /* WHY_WATCH: Z type */
	} stop;
	unsigned cur;    /* the vCPU 'g', 'm' and the like act on (Hg) */
	bool phys;       /* "monitor phys on": addresses are guest-physical */
	struct gdb_hw hw;
	struct gdb_watch watch[DEBUG_MAX_PAIRS];
	struct gdb_swbp swbp[GDB_MAX_SWBP];
	char packet[GDB_PACKET_MAX + 1]; /* a reply being built */
	char out[GDB_PACKET_MAX + 8];    /* a frame being written */
};

/* gdb.c */
void gdb_send(struct gdb_stub *s, const char *data, size_t len);
void gdb_send_str(struct gdb_stub *s, const char *str);
void gdb_send_text(struct gdb_stub *s, const char *text); /* an 'O' packet */
void gdb_send_error(struct gdb_stub *s, unsigned code);    /* "Exx" */

/* gdb_access.c: the packets g, G, p, P, m, M and qXfer:features:read. */
void gdb_cmd_read_regs(struct gdb_stub *s);
void gdb_cmd_write_regs(struct gdb_stub *s, const char *hex);
void gdb_cmd_read_reg(struct gdb_stub *s, const char *args);
void gdb_cmd_write_reg(struct gdb_stub *s, const char *args);
void gdb_cmd_read_mem(struct gdb_stub *s, const char *args);
void gdb_cmd_write_mem(struct gdb_stub *s, const char *args);
void gdb_cmd_features(struct gdb_stub *s, const char *args);

/* gdb_monitor.c: qRcmd,HEX. */
void gdb_cmd_monitor(struct gdb_stub *s, const char *hex);
/* Copies between guest memory and buf: by virtual address through vCPU
 * cur's stage 1 (or guest-physical with phys), never outside the VM's
 * RAM; false if any byte is not reachable. */
bool gdb_mem_read(struct gdb_stub *s, uint64_t addr, void *buf, size_t len);
bool gdb_mem_write(struct gdb_stub *s, uint64_t addr, const void *buf, size_t len,
		   ipaddr_t *first_ipa);

/* gdb_halt.c */
void gdb_halt(struct gdb_stub *s, enum gdb_why why, unsigned vcpu);
void gdb_send_stop(struct gdb_stub *s);
/* Resumes the VM: each vCPU as its action says ('c', 's', or 0: stays
 * halted). False, and nothing done, if it is not halted or a vCPU to
 * step is off. */
bool gdb_resume(struct gdb_stub *s, const char *actions);
void gdb_detach(struct gdb_stub *s);
/* Z and z: 0 on success, else an errno-like code for "Exx"; -1: this
 * kind of point is not supported (an empty reply). */
int gdb_point(struct gdb_stub *s, bool insert, unsigned type, uint64_t addr, uint64_t kind);

#endif
