/*
 * Reading a fuzzer's input as a stream of small decisions.
 *
 * Every target turns libFuzzer's bytes into calls with take_*(): each
 * takes the next bytes of the input and, once the input is used up,
 * returns zeros, so any input, however short, is a complete and
 * deterministic run. Bytes are taken little-endian, so a seed file written
 * by tests/fuzz/make_seeds.py reads back as the values it packed.
 *
 * check() is the targets' assertion: on failure it prints what broke and
 * aborts, which libFuzzer reports as a crash and saves the input for.
 */
#ifndef VIREO_FUZZ_INPUT_H
#define VIREO_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct input {
	const uint8_t *p;
	size_t left;
};

static inline struct input input_of(const uint8_t *data, size_t size)
{
	return (struct input){ data, size };
}

static inline uint64_t take_bytes(struct input *in, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n && in->left > 0; i++, in->left--) {
		v |= (uint64_t)*in->p++ << (8 * i);
	}
	return v;
}

static inline uint8_t take_u8(struct input *in)
{
	return (uint8_t)take_bytes(in, 1);
}

static inline uint16_t take_u16(struct input *in)
{
	return (uint16_t)take_bytes(in, 2);
}

static inline uint32_t take_u32(struct input *in)
{
	return (uint32_t)take_bytes(in, 4);
}

static inline uint64_t take_u64(struct input *in)
{
	return take_bytes(in, 8);
}

static inline bool take_bool(struct input *in)
{
	return take_u8(in) & 1;
}

/* A value in [0, n), from one byte (n <= 256). */
static inline unsigned take_below(struct input *in, unsigned n)
{
	return n ? take_u8(in) % n : 0;
}

static inline bool input_done(const struct input *in)
{
	return in->left == 0;
}

#define check(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                               \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

#endif
