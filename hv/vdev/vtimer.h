/*
 * The EL1 physical timer, emulated for guests that use it (the virtual
 * timer needs no help: guests drive it directly).
 */
#ifndef VIREO_VDEV_VTIMER_H
#define VIREO_VDEV_VTIMER_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct ptimer {
	uint64_t ctl;  /* ENABLE and IMASK as the guest wrote them */
	uint64_t cval; /* compared against the physical count */
};

/* Emulates an MRS (read) or MSR of CNTP_CTL/CVAL/TVAL_EL0; reg is one of
 * the PTIMER_* encodings below. */
enum ptimer_reg { PTIMER_CTL, PTIMER_CVAL, PTIMER_TVAL };
uint64_t ptimer_read(struct vcpu *v, enum ptimer_reg reg);
void ptimer_write(struct vcpu *v, enum ptimer_reg reg, uint64_t val);
/* Recomputes the interrupt line from the deadline: when the EL2 timer
 * fired, and when the vCPU is loaded again (time passed meanwhile). */
void ptimer_sync(struct vcpu *v);
/* The physical count at which the timer will raise its interrupt, or ~0
 * (disabled, masked or already raised): sched.c watches it. */
uint64_t ptimer_deadline(const struct vcpu *v);

#endif
