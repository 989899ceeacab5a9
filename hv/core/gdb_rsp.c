/*
 * The GDB remote serial protocol's framing and argument syntax (the
 * protocol is gdb's manual's "Remote Protocol" appendix; gdb_rsp.h says
 * which part of it Vireo's stub speaks).
 *
 * gdb_rx_byte() takes the stream a byte at a time, as the console hands
 * it over (the launcher's frames split it anywhere): it finds the packets,
 * checks their sums and reports gdb's interrupt. Acknowledgements ('+'
 * and '-') and noise between packets are dropped: the stub resends
 * nothing, since its transport, the console, loses nothing.
 */
#include "core/gdb_rsp.h"

#include <string.h>

#define GDB_INTERRUPT 0x03

static const char hex_digits[] = "0123456789abcdef";

int gdb_hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, char c)
{
	int d;

	switch (rx->state) {
	case GDB_RX_IDLE:
		if (c == '$') {
			rx->state = GDB_RX_DATA;
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
		} else if (c == GDB_INTERRUPT) {
			return GDB_RX_INTERRUPT;
		}
		return GDB_RX_NOTHING;
	case GDB_RX_DATA:
		if (c == '#') {
			rx->state = GDB_RX_SUM1;
		} else if (c == '$') {
			/* gdb gave up on the packet and started again. */
			rx->len = 0;
			rx->sum = 0;
			rx->overflow = false;
		} else if (rx->len == GDB_PACKET_MAX) {
			rx->overflow = true;
		} else {
			rx->data[rx->len++] = c;
			rx->sum += (uint8_t)c;
		}
		return GDB_RX_NOTHING;
	case GDB_RX_SUM1:
		d = gdb_hex_digit(c);
		rx->given = d < 0 ? 0 : (uint8_t)(d << 4);
		rx->state = d < 0 ? GDB_RX_IDLE : GDB_RX_SUM2;
		return d < 0 ? GDB_RX_BAD : GDB_RX_NOTHING;
	default:
		rx->state = GDB_RX_IDLE;
		d = gdb_hex_digit(c);
		if (d < 0 || rx->overflow || (uint8_t)(rx->given | d) != rx->sum) {
			return GDB_RX_BAD;
		}
		rx->data[rx->len] = '\0';
		return GDB_RX_PACKET;
	}
}

static bool packet_char(char c)
{
	return c >= 0x20 && c <= 0x7e && c != '$' && c != '#' && c != '}' && c != '*';
}

size_t gdb_frame(char *out, size_t cap, const char *data, size_t len)
{
	uint8_t sum = 0;
	size_t i;

	if (len + 4 > cap) {
		return 0;
	}
	out[0] = '$';
	for (i = 0; i < len; i++) {
		if (!packet_char(data[i])) {
			return 0;
		}
		out[1 + i] = data[i];
		sum += (uint8_t)data[i];
	}
	out[len + 1] = '#';
	out[len + 2] = hex_digits[sum >> 4];
	out[len + 3] = hex_digits[sum & 0xf];
	return len + 4;
}

void gdb_hex_encode(char *out, const uint8_t *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex_digits[bytes[i] >> 4];
		out[2 * i + 1] = hex_digits[bytes[i] & 0xf];
	}
}

bool gdb_hex_decode(uint8_t *out, const char *hex, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = gdb_hex_digit(hex[2 * i]), lo;

		if (hi < 0 || (lo = gdb_hex_digit(hex[2 * i + 1])) < 0) {
			return false;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

bool gdb_parse_num(const char **p, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;
	int d, n = 0;

	while ((d = gdb_hex_digit(*s)) >= 0) {
		if (++n > 16) {
			return false;
		}
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (n == 0) {
		return false;
	}
	*p = s;
	*val = v;
	return true;
}

bool gdb_parse_addr_len(const char *s, char end, uint64_t *addr, uint64_t *len,
			const char **rest)
{
	if (!gdb_parse_num(&s, addr) || *s++ != ',' || !gdb_parse_num(&s, len)) {
		return false;
	}
	if (end == '\0') {
		return *s == '\0';
	}
	if (*s != end) {
		return false;
	}
	*rest = s + 1;
	return true;
}

bool gdb_parse_tid(const char **p, int64_t *tid)
{
	uint64_t v;

	if ((*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*tid = -1;
		return true;
	}
	/* A thread id is positive; 0 ("any thread") fits in 31 bits too. */
	if (!gdb_parse_num(p, &v) || v > 0x7fffffff) {
		return false;
	}
	*tid = (int64_t)v;
	return true;
}

bool gdb_parse_point(const char *s, unsigned *type, uint64_t *addr, uint64_t *kind)
{
	if (s[0] < '0' || s[0] > '4' || s[1] != ',') {
		return false;
	}
	*type = (unsigned)(s[0] - '0');
	return gdb_parse_addr_len(s + 2, '\0', addr, kind, NULL);
}

bool gdb_parse_vcont(const char *s, struct gdb_vcont *out)
{
	out->n = 0;
	while (*s == ';') {
		char action = *++s;
		uint64_t sig;

		if (out->n == GDB_VCONT_MAX) {
			return false;
		}
		if (action != 'c' && action != 's' && action != 'C' && action != 'S') {
			return false;
		}
		s++;
		if ((action == 'C' || action == 'S') && !gdb_parse_num(&s, &sig)) {
			return false;
		}
		out->a[out->n].action = action == 'C' ? 'c' : action == 'S' ? 's' : action;
		out->a[out->n].tid = -1;
		if (*s == ':' && (s++, !gdb_parse_tid(&s, &out->a[out->n].tid))) {
			return false;
		}
		out->n++;
	}
	return *s == '\0' && out->n > 0;
}
