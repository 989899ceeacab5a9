/*
 * The PL031 real-time clock's register file (hv/vdev/vrtc.c): pure,
 * driven here with made-up seconds of the host's counter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vdev/vrtc.h"

#define RTCDR 0x000
#define RTCMR 0x004
#define RTCLR 0x008
#define RTCCR 0x00c
#define RTCIMSC 0x010
#define RTCRIS 0x014
#define RTCMIS 0x018
#define RTCICR 0x01c

static uint64_t rd(struct vrtc *r, uint64_t off, uint64_t secs)
{
	uint64_t v = 0xbad;

	assert_true(vrtc_read(r, off, 4, secs, &v));
	return v;
}

static void wr(struct vrtc *r, uint64_t off, uint64_t val, uint64_t secs)
{
	assert_true(vrtc_write(r, off, 4, val, secs));
}

/* 2030-01-02T03:04:05Z, as the launcher would give it. */
#define WALLCLOCK 1893553445UL

static void test_counts_from_the_wall_clock(void **state)
{
	struct vrtc r;

	vrtc_init(&r, WALLCLOCK);
	assert_int_equal(rd(&r, RTCDR, 0), WALLCLOCK);
	assert_int_equal(rd(&r, RTCDR, 90), WALLCLOCK + 90);
	/* Always started; a write of 0 does not stop it. */
	assert_int_equal(rd(&r, RTCCR, 0), 1);
	wr(&r, RTCCR, 0, 1);
	assert_int_equal(rd(&r, RTCCR, 1), 1);
	assert_int_equal(rd(&r, RTCDR, 2), WALLCLOCK + 2);
	/* RTCDR is read-only. */
	wr(&r, RTCDR, 5, 2);
	assert_int_equal(rd(&r, RTCDR, 2), WALLCLOCK + 2);
}

static void test_primecell_ids(void **state)
{
	static const uint8_t want[8] = { 0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct vrtc r;
	unsigned i;

	vrtc_init(&r, 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(rd(&r, 0xfe0 + 4 * i, 0), want[i]);
	}
	assert_int_equal(rd(&r, 0x800, 0), 0);
}

static void test_load_sets_the_time(void **state)
{
	struct vrtc r;

	vrtc_init(&r, WALLCLOCK);
	wr(&r, RTCLR, 1000, 50);
	assert_int_equal(rd(&r, RTCDR, 50), 1000);
	assert_int_equal(rd(&r, RTCDR, 80), 1030);
	assert_int_equal(rd(&r, RTCLR, 80), 1000);
	/* A time before the counter's seconds so far: modulo 2^32, exact. */
	wr(&r, RTCLR, 3, 100);
	assert_int_equal(rd(&r, RTCDR, 100), 3);
	assert_int_equal(rd(&r, RTCDR, 101), 4);
	/* The counter wraps at 32 bits, as the PL031's does. */
	wr(&r, RTCLR, 0xffffffff, 200);
	assert_int_equal(rd(&r, RTCDR, 201), 0);
}

static void test_match_raises_ris_until_cleared(void **state)
{
	struct vrtc r;

	vrtc_init(&r, 1000);
	wr(&r, RTCMR, 1010, 0);
	assert_int_equal(rd(&r, RTCRIS, 9), 0);
	assert_int_equal(rd(&r, RTCRIS, 10), 1);
	assert_int_equal(rd(&r, RTCRIS, 500), 1);
	/* Masked until RTCIMSC unmasks it. */
	assert_int_equal(rd(&r, RTCMIS, 500), 0);
	wr(&r, RTCIMSC, 1, 500);
	assert_int_equal(rd(&r, RTCIMSC, 500), 1);
	assert_int_equal(rd(&r, RTCMIS, 500), 1);
	/* Cleared, it stays clear: the next match is a full turn away. */
	wr(&r, RTCICR, 1, 500);
	assert_int_equal(rd(&r, RTCRIS, 501), 0);
	assert_int_equal(rd(&r, RTCMIS, 100000), 0);
	/* Writing 0 to RTCICR clears nothing. */
	wr(&r, RTCMR, 1000 + 100010, 100000);
	assert_int_equal(rd(&r, RTCRIS, 100010), 1);
	wr(&r, RTCICR, 0, 100011);
	assert_int_equal(rd(&r, RTCRIS, 100011), 1);
}

static void test_match_survives_later_writes(void **state)
{
	struct vrtc r;

	vrtc_init(&r, 0);
	wr(&r, RTCMR, 5, 0);
	/* Matched at second 5; moving the match or the time keeps that. */
	wr(&r, RTCMR, 1000, 7);
	assert_int_equal(rd(&r, RTCRIS, 8), 1);
	wr(&r, RTCICR, 1, 8);
	assert_int_equal(rd(&r, RTCRIS, 8), 0);
	/* A load that jumps past the match does not match it... */
	wr(&r, RTCLR, 2000, 9);
	assert_int_equal(rd(&r, RTCRIS, 9), 0);
	/* ...a load that lands before it does, when the time comes. */
	wr(&r, RTCLR, 990, 10);
	assert_int_equal(rd(&r, RTCRIS, 19), 0);
	assert_int_equal(rd(&r, RTCRIS, 20), 1);
}

static void test_reset_keeps_the_time(void **state)
{
	struct vrtc r;

	vrtc_init(&r, WALLCLOCK);
	wr(&r, RTCLR, 7000, 10);
	wr(&r, RTCMR, 7005, 10);
	wr(&r, RTCIMSC, 1, 10);
	assert_int_equal(rd(&r, RTCMIS, 20), 1);
	vrtc_reset(&r, 30);
	assert_int_equal(rd(&r, RTCDR, 30), 7020);
	assert_int_equal(rd(&r, RTCMR, 30), 0);
	assert_int_equal(rd(&r, RTCIMSC, 30), 0);
	assert_int_equal(rd(&r, RTCRIS, 40), 0);
}

static void test_refused_accesses(void **state)
{
	struct vrtc r;
	uint64_t v;

	vrtc_init(&r, 0);
	assert_false(vrtc_read(&r, RTCDR, 8, 0, &v));
	assert_false(vrtc_read(&r, RTCDR, 1, 0, &v));
	assert_false(vrtc_read(&r, RTCDR + 2, 4, 0, &v));
	assert_false(vrtc_read(&r, VRTC_SIZE, 4, 0, &v));
	assert_false(vrtc_write(&r, RTCLR, 2, 1, 0));
	assert_false(vrtc_write(&r, RTCLR + 1, 4, 1, 0));
	assert_int_equal(rd(&r, RTCDR, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_from_the_wall_clock),
		cmocka_unit_test(test_primecell_ids),
		cmocka_unit_test(test_load_sets_the_time),
		cmocka_unit_test(test_match_raises_ris_until_cleared),
		cmocka_unit_test(test_match_survives_later_writes),
		cmocka_unit_test(test_reset_keeps_the_time),
		cmocka_unit_test(test_refused_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
