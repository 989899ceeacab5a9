/*
 * The scheduler's run-queue logic (hv/runq.c): who may run, round-robin
 * order, and when the EL2 timer must fire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/runq.h"

#define NOW 1000
#define ON_RUNNING { .on = true, .vm_running = true, .wake_at = RUNQ_NO_DEADLINE }

static void test_runnable(void **state)
{
	struct runq_entry e = ON_RUNNING;

	assert_true(runq_runnable(&e, NOW));
	e.on = false; /* PSCI CPU_OFF, or not started yet */
	assert_false(runq_runnable(&e, NOW));
	e.on = true;
	e.vm_running = false; /* its VM stopped or is resetting */
	assert_false(runq_runnable(&e, NOW));
	e.vm_running = true;
	e.blocked = true; /* in WFI with nothing to take and no timer */
	assert_false(runq_runnable(&e, NOW));
	e.irq_pending = true;
	assert_true(runq_runnable(&e, NOW));
	e.irq_pending = false;
	e.wake_at = NOW + 1; /* its timer fires just after now */
	assert_false(runq_runnable(&e, NOW));
	assert_true(runq_runnable(&e, NOW + 1));
	/* Blocked but off: nothing wakes it. */
	e.on = false;
	assert_false(runq_runnable(&e, NOW + 1));
}

static void test_round_robin(void **state)
{
	struct runq_entry q[4] = { ON_RUNNING, ON_RUNNING, ON_RUNNING, ON_RUNNING };
	unsigned last = 3, i;
	const int order[] = { 0, 1, 2, 3, 0, 1 };

	for (i = 0; i < 6; i++) {
		int k = runq_pick(q, 4, last, NOW);

		assert_int_equal(k, order[i]);
		last = (unsigned)k;
	}
	/* Entry 1 waits: it is skipped, and 2 follows 0. */
	q[1].blocked = true;
	assert_int_equal(runq_pick(q, 4, 0, NOW), 2);
	/* The only runnable one gets the CPU again, turn after turn. */
	q[0].blocked = q[2].blocked = q[3].blocked = true;
	q[1].blocked = false;
	assert_int_equal(runq_pick(q, 4, 1, NOW), 1);
	/* Nobody runnable. */
	q[1].on = false;
	assert_int_equal(runq_pick(q, 4, 1, NOW), -1);
	assert_int_equal(runq_pick(q, 0, 0, NOW), -1);
	/* A wake-up deadline that passed makes a waiting vCPU next in turn. */
	q[3].wake_at = NOW - 5;
	assert_int_equal(runq_pick(q, 4, 1, NOW), 3);
}

static void test_count(void **state)
{
	struct runq_entry q[3] = { ON_RUNNING, ON_RUNNING, ON_RUNNING };

	assert_int_equal(runq_count_runnable(q, 3, NOW), 3);
	q[0].blocked = true;
	q[2].vm_running = false;
	assert_int_equal(runq_count_runnable(q, 3, NOW), 1);
	q[0].irq_pending = true;
	assert_int_equal(runq_count_runnable(q, 3, NOW), 2);
}

static void test_next_deadline(void **state)
{
	struct runq_entry q[3] = { ON_RUNNING, ON_RUNNING, ON_RUNNING };

	/* Nothing to watch: no deadline. */
	assert_true(runq_next_deadline(q, 3, RUNQ_NO_DEADLINE, RUNQ_NO_DEADLINE) ==
		    RUNQ_NO_DEADLINE);
	/* The slice end, the loaded vCPU's timer: the nearest wins. */
	assert_int_equal(runq_next_deadline(q, 3, 500, 700), 500);
	assert_int_equal(runq_next_deadline(q, 3, 900, 700), 700);
	/* A blocked vCPU's wake-up counts; a running one's field does not. */
	q[1].blocked = true;
	q[1].wake_at = 600;
	q[2].wake_at = 100;
	assert_int_equal(runq_next_deadline(q, 3, 900, 700), 600);
	/* Not when it is off or its VM is gone: nothing would run it. */
	q[1].on = false;
	assert_int_equal(runq_next_deadline(q, 3, 900, 700), 700);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runnable),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_next_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
