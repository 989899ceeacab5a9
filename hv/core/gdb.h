/*
 * A GDB stub per VM: gdb debugs one VM while the others run (gdb.c says
 * how; docs/debugging.md how to use it).
 *
 * The console carries the protocol (console_focus.c takes the launcher's
 * frames apart and hands their bytes to gdb_input()); the scheduler and
 * the run loop keep a halted VM's vCPUs off their CPUs (vcpu.h's halted
 * and parked); the way of running guests routes the guest's debug
 * exceptions to Vireo and loads gdb's hardware breakpoints while the VM
 * is being debugged (gdb_hw_of()), and trap.c hands those exceptions to
 * gdb_trap().
 */
#ifndef VIREO_CORE_GDB_H
#define VIREO_CORE_GDB_H

#include "core/trap.h"
#include "core/vcpu.h"

struct vm;

/* What the mode puts in a debugged VM's vCPUs' debug registers: gdb's
 * hardware breakpoints and watchpoints, in the registers' own format
 * (DBGBCR/DBGBVR, DBGWCR/DBGWVR; a control of 0 is a free slot). */
struct gdb_hw {
	uint64_t bcr[DEBUG_MAX_PAIRS], bvr[DEBUG_MAX_PAIRS];
	uint64_t wcr[DEBUG_MAX_PAIRS], wvr[DEBUG_MAX_PAIRS];
	bool any; /* a slot is in use: the mode sets MDSCR_EL1.MDE */
};

/* At VM creation, for a VM whose configuration asks for a stub: false if
 * there is no room for one. A VM that waits for gdb is created halted. */
bool gdb_attach_stub(struct vm *vm);
/* Whether any VM has a stub: only then is Ctrl-] g a frame (console_focus.c). */
bool gdb_configured(void);
/* Whether the VM's debugger holds it halted (or is halting it): it reads
 * no input meanwhile. */
bool gdb_holds(const struct vm *vm);
/* A byte of a launcher frame for VM vm_id (console_focus.c), on the
 * console's CPU, with the console's input lock held. */
void gdb_input(unsigned vm_id, char c);
/* On v's home CPU between its turns (sched.c): a halted vCPU that is not
 * yet parked gets its whole state into memory and is counted parked. */
void gdb_park(struct vcpu *v);
/* A debug exception (EC 0x30-0x3c) from a debugged VM's guest. */
enum trap_action gdb_trap(struct vcpu *v);
/* The VM stopped for good, or its images were loaded again (a restart):
 * gdb hears that it exited; its software breakpoints go back in. */
void gdb_vm_stopped(struct vm *vm);
void gdb_vm_reloaded(struct vm *vm);
/* While gdb debugs the VM: what its vCPUs' debug registers hold, and
 * debug exceptions come to Vireo. NULL otherwise. Changes only while
 * every vCPU of the VM is parked. */
const struct gdb_hw *gdb_hw_of(const struct vm *vm);

#endif
