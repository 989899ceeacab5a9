/*
 * Handling what a guest's trap to Vireo means.
 *
 * The mode's run loop (vmode->run(), e.g. arch/aarch64/el2/switch.c)
 * calls trap_handle() after every exit the core must see. A trap
 * handler receives the vCPU whose registers and trap information are
 * filled in, with its EL1 state still loaded on this CPU, and returns what
 * happens next:
 *   TRAP_RESUME  enter the same vCPU again (its PC already adjusted);
 *   TRAP_EXIT    leave the run loop: the VM was stopped or is resetting.
 */
#ifndef VIREO_CORE_TRAP_H
#define VIREO_CORE_TRAP_H

#include "core/vcpu.h"

enum trap_action {
	TRAP_RESUME,
	TRAP_EXIT,
};

typedef enum trap_action (*trap_handler_t)(struct vcpu *v);

enum trap_action trap_handle(struct vcpu *v, unsigned exit);

/* One handler per exception class, each in its own file. */
enum trap_action trap_dabt(struct vcpu *v);     /* trap_abort.c */
enum trap_action trap_iabt(struct vcpu *v);     /* trap_abort.c */
enum trap_action trap_hvc(struct vcpu *v);      /* smccc.c */
enum trap_action trap_smc(struct vcpu *v);      /* smccc.c */
enum trap_action trap_sysreg(struct vcpu *v);   /* trap_sysreg.c */
enum trap_action trap_wfx(struct vcpu *v);      /* trap_wfx.c */
enum trap_action trap_cp15_32(struct vcpu *v);  /* trap_aarch32.c */
enum trap_action trap_cp15_64(struct vcpu *v);  /* trap_aarch32.c */
enum trap_action trap_cp14(struct vcpu *v);     /* trap_aarch32.c */
enum trap_action trap_cp10_id(struct vcpu *v);  /* trap_aarch32.c */
enum trap_action trap_smc32(struct vcpu *v);    /* trap_aarch32.c */
/* An AArch32 instruction that trapped although its condition failed
 * (trap_aarch32.c): true once it has been stepped past, for the caller to
 * do nothing else. */
bool trap_cond_failed(struct vcpu *v);

/* Injecting exceptions into the guest's EL1 (inject.c). Both return false
 * when the guest cannot take the exception (its vector is not mapped); the
 * caller then stops the VM. */
bool inject_undef(struct vcpu *v);
bool inject_abort(struct vcpu *v, bool instruction, uint64_t far);
/* The guest's own BRK, which came to Vireo while gdb debugs the VM. */
bool inject_brk(struct vcpu *v);


#endif
