/*
 * The EL1 physical timer, emulated.
 *
 * Guests run with the virtual timer in their own hands (its registers are
 * saved and restored with the vCPU, its interrupt is hardware-linked by
 * the mode). The EL1 physical timer, though, is the same for every VM on
 * a CPU, so the mode traps it (CNTHCTL_EL2.EL1PCEN clear at EL2) and Vireo
 * keeps each vCPU's CNTP_CTL and CNTP_CVAL here. Its interrupt, PPI 30
 * (VIRQ_PTIMER), is a level: high while the timer is enabled, unmasked and
 * its deadline has passed (Arm ARM D11.2.4, "Timers"). A deadline in the
 * future is watched with Vireo's own timer (shared with the scheduler
 * through sched_program_timer()), whose interrupt makes Vireo raise the line;
 * every guest write recomputes it. The count it compares against is the
 * physical one, which is what the guest's CNTPCT_EL0 reads.
 */
#include "vdev/vtimer.h"

#include "core/sched.h"
#include "core/vm.h"
#include "vdev/vmachine.h"

#define CTL_ENABLE BIT(0)
#define CTL_IMASK BIT(1)
#define CTL_ISTATUS BIT(2)

static bool expired(const struct ptimer *t)
{
	return (t->ctl & CTL_ENABLE) && counter_now() >= t->cval;
}

uint64_t ptimer_deadline(const struct vcpu *v)
{
	const struct ptimer *t = &v->ptimer;

	if ((t->ctl & CTL_ENABLE) && !(t->ctl & CTL_IMASK) && !expired(t)) {
		return t->cval;
	}
	return ~0UL;
}

/* Recomputes PPI 30 and has Vireo's timer watch a deadline to come. */
static void update(struct vcpu *v)
{
	struct ptimer *t = &v->ptimer;

	if (v->vm->has_gic) {
		vgic_set_level(&v->vm->vgic, v->id, VIRQ_PTIMER,
			       expired(t) && !(t->ctl & CTL_IMASK));
	}
	sched_program_timer();
}

uint64_t ptimer_read(struct vcpu *v, enum ptimer_reg reg)
{
	struct ptimer *t = &v->ptimer;

	switch (reg) {
	case PTIMER_CTL:
		return t->ctl | (expired(t) ? CTL_ISTATUS : 0);
	case PTIMER_CVAL:
		return t->cval;
	default:
		/* TVAL: the signed 32-bit distance to the deadline. */
		return (uint32_t)(t->cval - counter_now());
	}
}

void ptimer_write(struct vcpu *v, enum ptimer_reg reg, uint64_t val)
{
	struct ptimer *t = &v->ptimer;

	switch (reg) {
	case PTIMER_CTL:
		t->ctl = val & (CTL_ENABLE | CTL_IMASK);
		break;
	case PTIMER_CVAL:
		t->cval = val;
		break;
	default:
		t->cval = counter_now() + (uint64_t)(int64_t)(int32_t)val;
		break;
	}
	update(v);
}

void ptimer_sync(struct vcpu *v)
{
	struct ptimer *t = &v->ptimer;

	/* Not update(): sched.c reprograms the timer itself after this. */
	if (v->vm->has_gic) {
		vgic_set_level(&v->vm->vgic, v->id, VIRQ_PTIMER,
			       expired(t) && !(t->ctl & CTL_IMASK));
	}
}
