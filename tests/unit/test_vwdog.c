/*
 * The SBSA Generic Watchdog's register file and state machine
 * (hv/vdev/vwdog.c), and the restart log that tells a crash loop
 * (hv/core/restarts.c): both pure, driven here with made-up counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/restarts.h"
#include "vdev/vwdog.h"

#define WCS 0x000
#define WOR 0x008
#define WOR_HI 0x00c
#define WCV 0x010
#define WCV_HI 0x014
#define IIDR 0xfcc
#define RF(off) (VWDOG_REFRESH + (off))

static uint64_t rd(struct vwdog *w, uint64_t off, uint64_t now, struct vwdog_change *c)
{
	uint64_t v = 0xbad;

	assert_true(vwdog_read(w, off, 4, now, &v, c));
	return v;
}

static void wr(struct vwdog *w, uint64_t off, uint64_t val, uint64_t now, struct vwdog_change *c)
{
	assert_true(vwdog_write(w, off, 4, val, now, c));
}

/* Enabled at count 1000 with WOR 100. */
static struct vwdog running(void)
{
	struct vwdog w;
	struct vwdog_change c = { 0 };

	vwdog_reset(&w);
	wr(&w, WOR, 100, 990, &c);
	wr(&w, WCS, VWDOG_WCS_EN, 1000, &c);
	assert_false(c.ws0_changed || c.ws1_rose);
	return w;
}

static void test_reset_state_and_id(void **state)
{
	struct vwdog w = { .wcs = VWDOG_WCS_EN | VWDOG_WCS_WS0, .wor = 5, .wcv = 9 };
	struct vwdog_change c = { 0 };

	vwdog_reset(&w);
	assert_int_equal(rd(&w, WCS, 0, &c), 0);
	assert_int_equal(rd(&w, WOR, 0, &c), 0);
	assert_int_equal(rd(&w, WCV, 0, &c), 0);
	/* Architecture version 1, in both frames. */
	assert_int_equal(rd(&w, IIDR, 0, &c), 0x10000);
	assert_int_equal(rd(&w, RF(IIDR), 0, &c), 0x10000);
	assert_int_equal(vwdog_deadline(&w), VWDOG_NEVER);
}

static void test_enable_is_an_explicit_refresh(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	assert_int_equal(rd(&w, WCV, 1000, &c), 1100);
	assert_int_equal(vwdog_deadline(&w), 1100);
	/* A refresh through the refresh frame moves WCV; WRR reads as 0. */
	wr(&w, RF(0), 0xffffffff, 1050, &c);
	assert_int_equal(vwdog_deadline(&w), 1150);
	assert_int_equal(rd(&w, RF(0), 1060, &c), 0);
	/* So does a write of WOR, with the new offset. */
	wr(&w, WOR, 30, 1070, &c);
	assert_int_equal(vwdog_deadline(&w), 1100);
	assert_false(c.ws0_changed || c.ws1_rose);
}

static void test_two_stages(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	vwdog_advance(&w, 1099, &c);
	assert_false(c.ws0_changed);
	/* WS0 at WCV, and WCV moves on by WOR from where it was due, however
	 * late it is noticed. */
	vwdog_advance(&w, 1130, &c);
	assert_true(c.ws0_changed);
	assert_false(c.ws1_rose);
	assert_true(vwdog_ws0(&w));
	assert_int_equal(rd(&w, WCS, 1130, &c), VWDOG_WCS_EN | VWDOG_WCS_WS0);
	assert_int_equal(vwdog_deadline(&w), 1200);
	/* WS1 at the second, and then nothing more happens by itself. */
	c = (struct vwdog_change){ 0 };
	vwdog_advance(&w, 1200, &c);
	assert_true(c.ws1_rose);
	assert_false(c.ws0_changed);
	assert_int_equal(rd(&w, WCS, 1200, &c), VWDOG_WCS_EN | VWDOG_WCS_WS0 | VWDOG_WCS_WS1);
	assert_int_equal(vwdog_deadline(&w), VWDOG_NEVER);
	c = (struct vwdog_change){ 0 };
	vwdog_advance(&w, 5000, &c);
	assert_false(c.ws1_rose || c.ws0_changed);
}

static void test_both_stages_at_once_when_late(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	/* Nobody looked for 3 periods: an access then finds both due. */
	rd(&w, WCS, 1400, &c);
	assert_true(c.ws0_changed);
	assert_true(c.ws1_rose);
}

static void test_refresh_lowers_ws0(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	vwdog_advance(&w, 1100, &c);
	assert_true(vwdog_ws0(&w));
	c = (struct vwdog_change){ 0 };
	wr(&w, RF(0), 0, 1150, &c);
	assert_true(c.ws0_changed);
	assert_false(vwdog_ws0(&w));
	assert_int_equal(vwdog_deadline(&w), 1250);
}

static void test_disabled_is_quiet(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	wr(&w, WCS, 0, 1050, &c);
	vwdog_advance(&w, 1000000, &c);
	assert_false(c.ws0_changed || c.ws1_rose);
	assert_int_equal(vwdog_deadline(&w), VWDOG_NEVER);
	/* Only EN of WCS is writable. */
	wr(&w, WCS, VWDOG_WCS_WS0 | VWDOG_WCS_WS1, 1000001, &c);
	assert_int_equal(rd(&w, WCS, 1000001, &c), 0);
}

static void test_wor_is_48_bits_in_halves(void **state)
{
	struct vwdog w;
	struct vwdog_change c = { 0 };
	uint64_t v;

	vwdog_reset(&w);
	wr(&w, WOR, 0x89abcdef, 0, &c);
	wr(&w, WOR_HI, 0xffff1234, 0, &c);
	assert_int_equal(rd(&w, WOR, 0, &c), 0x89abcdef);
	assert_int_equal(rd(&w, WOR_HI, 0, &c), 0x1234);
	assert_true(vwdog_read(&w, WOR, 8, 0, &v, &c));
	assert_int_equal(v, 0x123489abcdefUL);
	assert_true(vwdog_write(&w, WOR, 8, UINT64_MAX, 0, &c));
	assert_int_equal(w.wor, 0xffffffffffffUL);
}

static void test_wcv_write_keeps_signals(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };
	uint64_t v;

	vwdog_advance(&w, 1100, &c);
	c = (struct vwdog_change){ 0 };
	wr(&w, WCV, 0x5000, 1110, &c);
	wr(&w, WCV_HI, 0x1, 1110, &c);
	assert_true(vwdog_ws0(&w));
	assert_false(c.ws0_changed);
	assert_true(vwdog_read(&w, WCV, 8, 1110, &v, &c));
	assert_int_equal(v, 0x100005000UL);
	assert_int_equal(vwdog_deadline(&w), 0x100005000UL);
	/* A compare value near the top of the count cannot wrap WOR past it. */
	assert_true(vwdog_write(&w, WCV, 8, UINT64_MAX - 10, 1110, &c));
	wr(&w, RF(0), 0, 1120, &c); /* clears WS0 */
	assert_true(vwdog_write(&w, WCV, 8, UINT64_MAX - 10, 1130, &c));
	vwdog_advance(&w, UINT64_MAX - 5, &c);
	assert_true(vwdog_ws0(&w));
	assert_int_equal(vwdog_deadline(&w), UINT64_MAX);
}

/* A compare value written into the past: the condition is true from the
 * write on, and the timeout refresh counts from then, not from WCV. */
static void test_wcv_in_the_past_crosses_now(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	wr(&w, RF(0), 0, 1050, &c); /* due at 1150 */
	wr(&w, WCV, 0, 1100, &c);
	assert_true(c.ws0_changed);
	assert_false(c.ws1_rose);
	assert_int_equal(rd(&w, WCS, 1101, &c), VWDOG_WCS_EN | VWDOG_WCS_WS0);
	assert_int_equal(rd(&w, WCV, 1101, &c), 1200);
	vwdog_advance(&w, 1199, &c);
	assert_false(c.ws1_rose);
	vwdog_advance(&w, 1200, &c);
	assert_true(c.ws1_rose);
	/* With WS0 up already, the same write is WS1 at once. */
	w = running();
	c = (struct vwdog_change){ 0 };
	vwdog_advance(&w, 1100, &c);
	c = (struct vwdog_change){ 0 };
	wr(&w, WCV_HI, 0, 1150, &c); /* WCV's high half: 1200 stays 1200 */
	assert_false(c.ws1_rose);
	wr(&w, WCV, 1000, 1150, &c);
	assert_true(c.ws1_rose);
}

static void test_refused_accesses(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };
	uint64_t v;

	assert_false(vwdog_read(&w, WCS, 1, 1000, &v, &c));
	assert_false(vwdog_read(&w, WCS, 2, 1000, &v, &c));
	assert_false(vwdog_read(&w, WCS, 8, 1000, &v, &c));
	assert_false(vwdog_read(&w, WCS + 2, 4, 1000, &v, &c));
	assert_false(vwdog_read(&w, RF(0), 8, 1000, &v, &c));
	assert_false(vwdog_write(&w, WCS, 1, 0, 1000, &c));
	/* Between and after the frames. */
	assert_false(vwdog_read(&w, VWDOG_FRAME_SIZE, 4, 1000, &v, &c));
	assert_false(vwdog_read(&w, VWDOG_REFRESH - 4, 4, 1000, &v, &c));
	assert_false(vwdog_write(&w, VWDOG_REFRESH + VWDOG_FRAME_SIZE, 4, 0, 1000, &c));
	/* A refused write refreshes nothing and leaves EN as it was. */
	assert_int_equal(vwdog_deadline(&w), 1100);
	/* Unassigned offsets within a frame: zero, and writes ignored. */
	assert_int_equal(rd(&w, 0x100, 1000, &c), 0);
	wr(&w, RF(0x100), 0, 1010, &c);
	assert_int_equal(vwdog_deadline(&w), 1100);
}

static void test_reset_keeps_ws1_only(void **state)
{
	struct vwdog w = running();
	struct vwdog_change c = { 0 };

	vwdog_advance(&w, 2000, &c);
	assert_true(c.ws1_rose);
	vwdog_reset(&w);
	assert_int_equal(w.wcs, VWDOG_WCS_WS1);
	assert_int_equal(vwdog_deadline(&w), VWDOG_NEVER);
	/* Enabling again clears it. */
	wr(&w, WCS, VWDOG_WCS_EN, 3000, &c);
	assert_int_equal(w.wcs, VWDOG_WCS_EN);
}

static void test_restarts_within_the_window(void **state)
{
	struct restart_log log = { 0 };
	uint64_t t;

	/* 3 within 100: the 4th inside the window is refused... */
	assert_true(restart_log_allow(&log, 3, 100, 1000));
	assert_true(restart_log_allow(&log, 3, 100, 1010));
	assert_true(restart_log_allow(&log, 3, 100, 1020));
	assert_false(restart_log_allow(&log, 3, 100, 1099));
	/* ...and a refusal is not counted: once the first falls out of the
	 * window, one more is allowed, then refused again. */
	assert_true(restart_log_allow(&log, 3, 100, 1100));
	assert_false(restart_log_allow(&log, 3, 100, 1109));
	assert_true(restart_log_allow(&log, 3, 100, 1110));
	/* Restarting slower than the limit goes on forever, past the ring. */
	for (t = 2000; t < 2000 + 50 * 3 * RESTART_LIMIT_MAX; t += 50) {
		assert_true(restart_log_allow(&log, 3, 100, t));
	}
}

static void test_restart_limits(void **state)
{
	struct restart_log log = { 0 };
	unsigned i;

	/* The largest limit the ring holds. */
	for (i = 0; i < RESTART_LIMIT_MAX; i++) {
		assert_true(restart_log_allow(&log, RESTART_LIMIT_MAX, 1000, i));
	}
	assert_false(restart_log_allow(&log, RESTART_LIMIT_MAX, 1000, RESTART_LIMIT_MAX));
	assert_true(restart_log_allow(&log, RESTART_LIMIT_MAX, 1000, 1000));
	/* No limit. */
	for (i = 0; i < 3 * RESTART_LIMIT_MAX; i++) {
		assert_true(restart_log_allow(&log, 0, 0, 5000));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state_and_id),
		cmocka_unit_test(test_enable_is_an_explicit_refresh),
		cmocka_unit_test(test_two_stages),
		cmocka_unit_test(test_both_stages_at_once_when_late),
		cmocka_unit_test(test_refresh_lowers_ws0),
		cmocka_unit_test(test_disabled_is_quiet),
		cmocka_unit_test(test_wor_is_48_bits_in_halves),
		cmocka_unit_test(test_wcv_write_keeps_signals),
		cmocka_unit_test(test_wcv_in_the_past_crosses_now),
		cmocka_unit_test(test_refused_accesses),
		cmocka_unit_test(test_reset_keeps_ws1_only),
		cmocka_unit_test(test_restarts_within_the_window),
		cmocka_unit_test(test_restart_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
