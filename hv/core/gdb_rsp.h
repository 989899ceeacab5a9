/*
 * The GDB remote serial protocol's framing and argument syntax, as pure
 * functions (gdb_rsp.c): what gdb.c, the stub, parses and builds, and
 * what the unit test and the fuzzer check on their own.
 *
 * A packet is "$" DATA "#" two hex digits of the sum of DATA's bytes
 * modulo 256. Outside packets gdb sends "+" and "-" (acknowledgements,
 * until no-ack mode) and the byte 0x03 (an interrupt: Ctrl-C). Vireo's
 * stub never takes or sends binary data (it answers X with an empty
 * reply, so gdb uses M), so a packet's DATA is printable ASCII without
 * "$", "#", "}" or "*", both ways.
 */
#ifndef VIREO_CORE_GDB_RSP_H
#define VIREO_CORE_GDB_RSP_H

#include "core/types.h"

/* The largest packet either way: gdb is told so (qSupported's
 * PacketSize), and a 'g' reply with the FP/SIMD registers fits. */
#define GDB_PACKET_MAX 4096

enum gdb_rx_state {
	GDB_RX_IDLE, /* between packets */
	GDB_RX_DATA, /* after '$' */
	GDB_RX_SUM1, /* after '#' */
	GDB_RX_SUM2,
};

/* A packet being received. */
struct gdb_rx {
	enum gdb_rx_state state;
	size_t len;
	bool overflow; /* longer than GDB_PACKET_MAX: refused with '-' */
	uint8_t sum, given;
	char data[GDB_PACKET_MAX + 1]; /* NUL-terminated once complete */
};

enum gdb_rx_event {
	GDB_RX_NOTHING,   /* the byte was taken; nothing complete yet */
	GDB_RX_PACKET,    /* rx->data holds a packet (rx->len bytes) */
	GDB_RX_BAD,       /* a packet with a wrong checksum or too long */
	GDB_RX_INTERRUPT, /* 0x03 outside a packet */
};

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, char c);

/* "$" data "#" checksum into out (cap bytes); the length, or 0 if data
 * does not fit or holds a byte a packet cannot carry. */
size_t gdb_frame(char *out, size_t cap, const char *data, size_t len);

/* Hex: one digit's value or -1; n bytes as 2n lowercase digits (no NUL);
 * 2n digits into n bytes, false if any is not a digit. */
int gdb_hex_digit(char c);
void gdb_hex_encode(char *out, const uint8_t *bytes, size_t n);
bool gdb_hex_decode(uint8_t *out, const char *hex, size_t n);

/* A hex number of 1 to 16 digits at *p, advancing *p past it. */
bool gdb_parse_num(const char **p, uint64_t *val);
/* The whole of s is "ADDR,LEN" (end == NULL) or "ADDR,LEN" followed by
 * end's character, *rest then pointing after it ("M": ':'). */
bool gdb_parse_addr_len(const char *s, char end, uint64_t *addr, uint64_t *len,
			const char **rest);
/* A thread id: hex (at least 1), or -1 (all threads): *tid = -1. */
bool gdb_parse_tid(const char **p, int64_t *tid);
/* "Z" / "z" arguments: "TYPE,ADDR,KIND" (anything after KIND, a
 * condition list, is refused). */
bool gdb_parse_point(const char *s, unsigned *type, uint64_t *addr, uint64_t *kind);

/* vCont's actions: ";ACTION[:TID]" repeated, ACTION one of c, s, C sig
 * and S sig (the signal is ignored: a vCPU takes no signals). */
#define GDB_VCONT_MAX 16
struct gdb_vcont {
	unsigned n;
	struct {
		char action; /* 'c' or 's' */
		int64_t tid; /* -1: every thread without an earlier action */
	} a[GDB_VCONT_MAX];
};
bool gdb_parse_vcont(const char *s, struct gdb_vcont *out);

#endif
