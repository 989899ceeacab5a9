/*
 * The GDB remote protocol's framing and argument syntax
 * (hv/core/gdb_rsp.c): packets found in a byte stream, sums checked,
 * replies framed, and the arguments of m, M, Z, H and vCont parsed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/gdb_rsp.h"

/* Feeds s; returns the last event and counts packets in *packets. */
static enum gdb_rx_event feed(struct gdb_rx *rx, const char *s, unsigned *packets)
{
	enum gdb_rx_event last = GDB_RX_NOTHING, e;

	for (; *s; s++) {
		e = gdb_rx_byte(rx, *s);
		if (e != GDB_RX_NOTHING) {
			last = e;
		}
		if (e == GDB_RX_PACKET && packets) {
			(*packets)++;
		}
	}
	return last;
}

static void test_packets_and_sums(void **state)
{
	static struct gdb_rx rx;
	unsigned n = 0;

	/* Acknowledgements and noise around a packet are dropped. */
	assert_int_equal(feed(&rx, "+-x$qSupported#37", &n), GDB_RX_PACKET);
	assert_int_equal(n, 1);
	assert_string_equal(rx.data, "qSupported");
	/* A wrong sum, and a sum that is no hex. */
	assert_int_equal(feed(&rx, "$g#68", NULL), GDB_RX_BAD);
	assert_int_equal(feed(&rx, "$g#6z", NULL), GDB_RX_BAD);
	assert_int_equal(feed(&rx, "$g#67", NULL), GDB_RX_PACKET);
	assert_string_equal(rx.data, "g");
	/* An empty packet; a '$' inside one starts it again. */
	assert_int_equal(feed(&rx, "$#00", NULL), GDB_RX_PACKET);
	assert_int_equal(rx.len, 0);
	assert_int_equal(feed(&rx, "$m0,$?#3f", NULL), GDB_RX_PACKET);
	assert_string_equal(rx.data, "?");
	/* Ctrl-C between packets; inside one it is data. */
	assert_int_equal(gdb_rx_byte(&rx, 0x03), GDB_RX_INTERRUPT);
	/* Two packets in one chunk. */
	n = 0;
	feed(&rx, "$?#3f$g#67", &n);
	assert_int_equal(n, 2);
}

static void test_too_long_is_refused(void **state)
{
	static struct gdb_rx rx;
	unsigned i;

	gdb_rx_byte(&rx, '$');
	for (i = 0; i < GDB_PACKET_MAX + 10; i++) {
		assert_int_equal(gdb_rx_byte(&rx, 'a'), GDB_RX_NOTHING);
	}
	gdb_rx_byte(&rx, '#');
	gdb_rx_byte(&rx, '0');
	assert_int_equal(gdb_rx_byte(&rx, '0'), GDB_RX_BAD);
	/* And the next one is fine. */
	assert_int_equal(feed(&rx, "$g#67", NULL), GDB_RX_PACKET);
}

static void test_frame(void **state)
{
	char out[32];

	assert_int_equal(gdb_frame(out, sizeof(out), "OK", 2), 6);
	assert_memory_equal(out, "$OK#9a", 6);
	assert_int_equal(gdb_frame(out, sizeof(out), "", 0), 4);
	assert_memory_equal(out, "$#00", 4);
	/* Bytes a packet cannot carry unescaped, and no room. */
	assert_int_equal(gdb_frame(out, sizeof(out), "a#b", 3), 0);
	assert_int_equal(gdb_frame(out, sizeof(out), "a$", 2), 0);
	assert_int_equal(gdb_frame(out, sizeof(out), "a\n", 2), 0);
	assert_int_equal(gdb_frame(out, 5, "OK", 2), 0);
}

static void test_hex(void **state)
{
	const uint8_t bytes[] = { 0x00, 0x7f, 0xa5, 0xff };
	uint8_t back[4];
	char hex[8];

	gdb_hex_encode(hex, bytes, 4);
	assert_memory_equal(hex, "007fa5ff", 8);
	assert_true(gdb_hex_decode(back, "007FA5ff", 4));
	assert_memory_equal(back, bytes, 4);
	assert_false(gdb_hex_decode(back, "00g0", 2));
}

static void test_numbers_and_ranges(void **state)
{
	const char *p = "ffff800080000000,40", *rest;
	uint64_t a, l;

	assert_true(gdb_parse_num(&p, &a));
	assert_int_equal(a, 0xffff800080000000UL);
	assert_int_equal(*p, ',');
	p = "10000000000000000";
	assert_false(gdb_parse_num(&p, &a)); /* 17 digits */
	p = ",";
	assert_false(gdb_parse_num(&p, &a));
	assert_true(gdb_parse_addr_len("4000,10", '\0', &a, &l, NULL));
	assert_int_equal(a, 0x4000);
	assert_int_equal(l, 0x10);
	assert_false(gdb_parse_addr_len("4000,10x", '\0', &a, &l, NULL));
	assert_false(gdb_parse_addr_len("4000", '\0', &a, &l, NULL));
	assert_true(gdb_parse_addr_len("4000,2:abcd", ':', &a, &l, &rest));
	assert_string_equal(rest, "abcd");
	assert_false(gdb_parse_addr_len("4000,2abcd", ':', &a, &l, &rest));
}

static void test_points_and_threads(void **state)
{
	unsigned type;
	uint64_t a, k;
	int64_t tid;
	const char *p;

	assert_true(gdb_parse_point("0,40001000,4", &type, &a, &k));
	assert_int_equal(type, 0);
	assert_int_equal(a, 0x40001000);
	assert_int_equal(k, 4);
	assert_true(gdb_parse_point("2,40002008,8", &type, &a, &k));
	assert_int_equal(type, 2);
	assert_false(gdb_parse_point("5,0,4", &type, &a, &k));
	assert_false(gdb_parse_point("0,40001000,4;X1,0", &type, &a, &k)); /* conditions */
	p = "-1";
	assert_true(gdb_parse_tid(&p, &tid));
	assert_int_equal(tid, -1);
	p = "2a";
	assert_true(gdb_parse_tid(&p, &tid));
	assert_int_equal(tid, 0x2a);
	p = "100000000";
	assert_false(gdb_parse_tid(&p, &tid));
}

static void test_vcont(void **state)
{
	struct gdb_vcont vc;

	assert_true(gdb_parse_vcont(";s:2;c", &vc));
	assert_int_equal(vc.n, 2);
	assert_int_equal(vc.a[0].action, 's');
	assert_int_equal(vc.a[0].tid, 2);
	assert_int_equal(vc.a[1].action, 'c');
	assert_int_equal(vc.a[1].tid, -1);
	/* A signal is taken and dropped. */
	assert_true(gdb_parse_vcont(";C05:1", &vc));
	assert_int_equal(vc.a[0].action, 'c');
	assert_int_equal(vc.a[0].tid, 1);
	assert_false(gdb_parse_vcont("", &vc));
	assert_false(gdb_parse_vcont(";t:1", &vc));
	assert_false(gdb_parse_vcont(";c:", &vc));
	assert_false(gdb_parse_vcont(";C", &vc));
	assert_false(gdb_parse_vcont(";c;", &vc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packets_and_sums),
		cmocka_unit_test(test_too_long_is_refused),
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_numbers_and_ranges),
		cmocka_unit_test(test_points_and_threads),
		cmocka_unit_test(test_vcont),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
