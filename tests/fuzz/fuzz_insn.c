/*
 * Fuzz target: the A64 load/store decoder (hv/insn.c), which reads the
 * instruction word a guest faulted on.
 *
 * The input is a sequence of 32-bit little-endian instruction words. For
 * each, insn_decode_ldst() must not crash or hit undefined behaviour, must
 * leave its output alone when it refuses, and when it accepts, must
 * describe an access the MMIO emulation can carry out safely: a size of
 * 1, 2, 4 or 8, register numbers read from the fields the encoding has,
 * a writeback amount within its immediate's range, and none of the
 * CONSTRAINED UNPREDICTABLE register overlaps it promises to refuse.
 */
#include <string.h>

#include "fuzz_input.h"
#include "arch/aarch64/insn.h"

static unsigned bits(uint32_t insn, unsigned lsb, unsigned width)
{
	return (insn >> lsb) & ((1u << width) - 1u);
}

static void check_accepted(uint32_t insn, const struct insn_ldst *d)
{
	unsigned sz = d->size;

	check(sz == 1 || sz == 2 || sz == 4 || sz == 8, "%08x: size %u", insn, sz);
	/* Every load/store encoding has op0 = x1x0 (C4.1) and V = 0 for GPRs. */
	check((insn & 0x0a000000u) == 0x08000000u, "%08x: not in the load/store group", insn);
	check(bits(insn, 26, 1) == 0, "%08x: SIMD&FP accepted", insn);
	check(d->rt == bits(insn, 0, 5), "%08x: rt %u", insn, d->rt);
	check(d->rn == bits(insn, 5, 5), "%08x: rn %u", insn, d->rn);
	if (d->pair) {
		check(sz == 4 || sz == 8, "%08x: pair of size %u", insn, sz);
		check(d->rt2 == bits(insn, 10, 5), "%08x: rt2 %u", insn, d->rt2);
		check(d->store || d->rt != d->rt2, "%08x: pair load into one register", insn);
	} else {
		check(d->rt2 == 0, "%08x: rt2 %u without pair", insn, d->rt2);
	}
	if (d->writeback) {
		int64_t lim = d->pair ? 64 * (int64_t)sz : 256;

		check(d->offset >= -lim && d->offset < lim, "%08x: writeback %lld", insn,
		      (long long)d->offset);
		check(!d->pair || d->offset % sz == 0, "%08x: unscaled pair writeback", insn);
		check(d->rn == 31 || (d->rn != d->rt && (!d->pair || d->rn != d->rt2)),
		      "%08x: writeback into a transferred register", insn);
	} else {
		check(d->offset == 0, "%08x: offset %lld without writeback", insn,
		      (long long)d->offset);
	}
	check(!(d->store && d->sign_extend), "%08x: sign-extending store", insn);
	check(!d->sign_extend || sz < 8, "%08x: sign-extends 8 bytes", insn);
	check(d->reg64 || sz <= 4, "%08x: %u bytes into a W register", insn, sz);
	check(d->reg64 || !d->sign_extend || sz <= 2, "%08x: W sign-extension of %u", insn, sz);
	/* An X register is only partly written by a sign-extending load. */
	check(!d->reg64 || sz == 8 || d->sign_extend, "%08x: %u-byte X transfer", insn, sz);
}

static bool same(const struct insn_ldst *a, const struct insn_ldst *b)
{
	return a->size == b->size && a->store == b->store && a->sign_extend == b->sign_extend &&
	       a->reg64 == b->reg64 && a->pair == b->pair && a->rt == b->rt && a->rt2 == b->rt2 &&
	       a->writeback == b->writeback && a->rn == b->rn && a->offset == b->offset;
}

static void one(uint32_t insn)
{
	struct insn_ldst d, again, untouched;

	memset(&d, 0xa5, sizeof(d));
	untouched = d;
	if (!insn_decode_ldst(insn, &d)) {
		check(memcmp(&d, &untouched, sizeof(d)) == 0, "%08x: refused but wrote *out",
		      insn);
		return;
	}
	check_accepted(insn, &d);
	memset(&again, 0, sizeof(again));
	check(insn_decode_ldst(insn, &again) && same(&d, &again),
	      "%08x: two decodes differ", insn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = input_of(data, size);

	do {
		one(take_u32(&in));
	} while (!input_done(&in));
	return 0;
}
