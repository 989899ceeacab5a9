/*
 * Unit tests for the A64 load/store decoder (hv/insn.c), run natively.
 *
 * Every instruction word below was produced by GNU as 2.40
 * (aarch64-linux-gnu-as, then aarch64-linux-gnu-objdump -d); the string
 * next to each word is the assembly it came from.  Words that the assembler
 * refuses to produce (unallocated or should-be-one violations) were written
 * with ".inst" and confirmed as "undefined" by objdump.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -Werror -Ihv/include \
 *            tests/unit/test_insn.c hv/insn.c -lcmocka -o /tmp/test_insn
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arch/aarch64/insn.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An encoding the decoder must accept, and what it must say about it. */
struct ok_case {
	uint32_t insn;
	const char *text;
	struct insn_ldst want;
};

/* An encoding the decoder must refuse. */
struct bad_case {
	uint32_t insn;
	const char *text;
};

/* Fills the output with junk first, so a field the decoder forgets shows. */
#define JUNK 0x5a

static void check_field(const struct ok_case *c, const char *name,
			long long got, long long want)
{
	if (got != want) {
		fail_msg("%08x (%s): %s is %lld, want %lld",
			 c->insn, c->text, name, got, want);
	}
}

static void check_accepted(const struct ok_case *c)
{
	const struct insn_ldst *w = &c->want;
	struct insn_ldst got;

	memset(&got, JUNK, sizeof(got));
	if (!insn_decode_ldst(c->insn, &got)) {
		fail_msg("%08x (%s): refused", c->insn, c->text);
	}
	check_field(c, "size", got.size, w->size);
	check_field(c, "store", got.store, w->store);
	check_field(c, "sign_extend", got.sign_extend, w->sign_extend);
	check_field(c, "reg64", got.reg64, w->reg64);
	check_field(c, "pair", got.pair, w->pair);
	check_field(c, "rt", got.rt, w->rt);
	if (w->pair) {
		check_field(c, "rt2", got.rt2, w->rt2);
	}
	check_field(c, "writeback", got.writeback, w->writeback);
	check_field(c, "rn", got.rn, w->rn);
	check_field(c, "offset", got.offset, w->offset);
}

static void check_rejected(const struct bad_case *c)
{
	struct insn_ldst got;
	struct insn_ldst before;

	memset(&got, JUNK, sizeof(got));
	memcpy(&before, &got, sizeof(got));
	if (insn_decode_ldst(c->insn, &got)) {
		fail_msg("%08x (%s): accepted", c->insn, c->text);
	}
	/* A refused decode must leave the caller's struct alone. */
	assert_memory_equal(&got, &before, sizeof(got));
}

#define CHECK_ALL(cases, fn)						\
	do {								\
		for (size_t i_ = 0; i_ < ARRAY_SIZE(cases); i_++) {	\
			fn(&(cases)[i_]);				\
		}							\
	} while (0)

/* Shorthands for the expected results; every field not named is 0/false. */
#define X	.reg64 = true
#define ST	.store = true
#define SX	.sign_extend = true
#define WB	.writeback = true
#define PAIR	.pair = true

/* ------------------------------------------------------------------ */
/* Load/store register (unsigned immediate)                            */
/* ------------------------------------------------------------------ */

static const struct ok_case uimm_cases[] = {
	{ 0xf9400441, "ldr x1, [x2, #8]",      { .size = 8, X, .rt = 1, .rn = 2 } },
	{ 0xb94ffc83, "ldr w3, [x4, #4092]",   { .size = 4, .rt = 3, .rn = 4 } },
	{ 0x397ffcc5, "ldrb w5, [x6, #4095]",  { .size = 1, .rt = 5, .rn = 6 } },
	{ 0x79400507, "ldrh w7, [x8, #2]",     { .size = 2, .rt = 7, .rn = 8 } },
	{ 0x39000149, "strb w9, [x10]",        { .size = 1, ST, .rt = 9, .rn = 10 } },
	{ 0x793ffd8b, "strh w11, [x12, #8190]", { .size = 2, ST, .rt = 11, .rn = 12 } },
	{ 0xb90011cd, "str w13, [x14, #16]",   { .size = 4, ST, .rt = 13, .rn = 14 } },
	{ 0xf93fffef, "str x15, [sp, #32760]", { .size = 8, ST, X, .rt = 15, .rn = 31 } },
	{ 0xf900041f, "str xzr, [x0, #8]",     { .size = 8, ST, X, .rt = 31, .rn = 0 } },
	{ 0x3900003f, "strb wzr, [x1]",        { .size = 1, ST, .rt = 31, .rn = 1 } },
	{ 0x39c00420, "ldrsb w0, [x1, #1]",    { .size = 1, SX, .rt = 0, .rn = 1 } },
	{ 0x39800862, "ldrsb x2, [x3, #2]",    { .size = 1, SX, X, .rt = 2, .rn = 3 } },
	{ 0x79c008a4, "ldrsh w4, [x5, #4]",    { .size = 2, SX, .rt = 4, .rn = 5 } },
	{ 0x79800ce6, "ldrsh x6, [x7, #6]",    { .size = 2, SX, X, .rt = 6, .rn = 7 } },
	{ 0xb9800928, "ldrsw x8, [x9, #8]",    { .size = 4, SX, X, .rt = 8, .rn = 9 } },
	{ 0xf94003fe, "ldr x30, [sp]",         { .size = 8, X, .rt = 30, .rn = 31 } },
	/* Base == transfer register is fine without writeback. */
	{ 0xb9400000, "ldr w0, [x0]",          { .size = 4, .rt = 0, .rn = 0 } },
	{ 0xf9400063, "ldr x3, [x3]",          { .size = 8, X, .rt = 3, .rn = 3 } },
};

static void test_unsigned_offset(void **state)
{
	(void)state;
	CHECK_ALL(uimm_cases, check_accepted);
}

/* ------------------------------------------------------------------ */
/* Load/store register (immediate pre-indexed / post-indexed)          */
/* ------------------------------------------------------------------ */

static const struct ok_case pre_index_cases[] = {
	{ 0xf8408c41, "ldr x1, [x2, #8]!",
	  { .size = 8, X, .rt = 1, .rn = 2, WB, .offset = 8 } },
	{ 0xb85fcc41, "ldr w1, [x2, #-4]!",
	  { .size = 4, .rt = 1, .rn = 2, WB, .offset = -4 } },
	{ 0xf81f0fe3, "str x3, [sp, #-16]!",
	  { .size = 8, ST, X, .rt = 3, .rn = 31, WB, .offset = -16 } },
	{ 0x380ffca4, "strb w4, [x5, #255]!",
	  { .size = 1, ST, .rt = 4, .rn = 5, WB, .offset = 255 } },
	{ 0x78900ce6, "ldrsh x6, [x7, #-256]!",
	  { .size = 2, SX, X, .rt = 6, .rn = 7, WB, .offset = -256 } },
	{ 0x38c01d28, "ldrsb w8, [x9, #1]!",
	  { .size = 1, SX, .rt = 8, .rn = 9, WB, .offset = 1 } },
	{ 0xb89f8d6a, "ldrsw x10, [x11, #-8]!",
	  { .size = 4, SX, X, .rt = 10, .rn = 11, WB, .offset = -8 } },
	{ 0x78002d9f, "strh wzr, [x12, #2]!",
	  { .size = 2, ST, .rt = 31, .rn = 12, WB, .offset = 2 } },
	/* Rt == Rn == 31 is XZR vs SP: different registers, no overlap. */
	{ 0xf81f8fff, "str xzr, [sp, #-8]!",
	  { .size = 8, ST, X, .rt = 31, .rn = 31, WB, .offset = -8 } },
	{ 0xf84ffc20, "ldr x0, [x1, #255]!",
	  { .size = 8, X, .rt = 0, .rn = 1, WB, .offset = 255 } },
	{ 0x785fefe0, "ldrh w0, [sp, #-2]!",
	  { .size = 2, .rt = 0, .rn = 31, WB, .offset = -2 } },
};

static void test_pre_index(void **state)
{
	(void)state;
	CHECK_ALL(pre_index_cases, check_accepted);
}

static const struct ok_case post_index_cases[] = {
	{ 0xf8408441, "ldr x1, [x2], #8",
	  { .size = 8, X, .rt = 1, .rn = 2, WB, .offset = 8 } },
	{ 0xf85f8441, "ldr x1, [x2], #-8",
	  { .size = 8, X, .rt = 1, .rn = 2, WB, .offset = -8 } },
	{ 0xb80107e3, "str w3, [sp], #16",
	  { .size = 4, ST, .rt = 3, .rn = 31, WB, .offset = 16 } },
	{ 0x785fe4a4, "ldrh w4, [x5], #-2",
	  { .size = 2, .rt = 4, .rn = 5, WB, .offset = -2 } },
	{ 0x389ff4e6, "ldrsb x6, [x7], #-1",
	  { .size = 1, SX, X, .rt = 6, .rn = 7, WB, .offset = -1 } },
	{ 0x78cff528, "ldrsh w8, [x9], #255",
	  { .size = 2, SX, .rt = 8, .rn = 9, WB, .offset = 255 } },
	{ 0xb880456a, "ldrsw x10, [x11], #4",
	  { .size = 4, SX, X, .rt = 10, .rn = 11, WB, .offset = 4 } },
	{ 0x385005ac, "ldrb w12, [x13], #-256",
	  { .size = 1, .rt = 12, .rn = 13, WB, .offset = -256 } },
	{ 0xf8500420, "ldr x0, [x1], #-256",
	  { .size = 8, X, .rt = 0, .rn = 1, WB, .offset = -256 } },
	{ 0xf80087ff, "str xzr, [sp], #8",
	  { .size = 8, ST, X, .rt = 31, .rn = 31, WB, .offset = 8 } },
};

static void test_post_index(void **state)
{
	(void)state;
	CHECK_ALL(post_index_cases, check_accepted);
}

/* ------------------------------------------------------------------ */
/* Load/store register (unscaled immediate / unprivileged)             */
/* ------------------------------------------------------------------ */

static const struct ok_case unscaled_cases[] = {
	{ 0xf85f8041, "ldur x1, [x2, #-8]",       { .size = 8, X, .rt = 1, .rn = 2 } },
	{ 0xb8401083, "ldur w3, [x4, #1]",        { .size = 4, .rt = 3, .rn = 4 } },
	{ 0x381ff0c5, "sturb w5, [x6, #-1]",      { .size = 1, ST, .rt = 5, .rn = 6 } },
	{ 0x78003107, "sturh w7, [x8, #3]",       { .size = 2, ST, .rt = 7, .rn = 8 } },
	{ 0xf80ff3e9, "stur x9, [sp, #255]",      { .size = 8, ST, X, .rt = 9, .rn = 31 } },
	{ 0x3890016a, "ldursb x10, [x11, #-256]", { .size = 1, SX, X, .rt = 10, .rn = 11 } },
	{ 0x38c05041, "ldursb w1, [x2, #5]",      { .size = 1, SX, .rt = 1, .rn = 2 } },
	{ 0x789fa083, "ldursh x3, [x4, #-6]",     { .size = 2, SX, X, .rt = 3, .rn = 4 } },
	{ 0x78c071ac, "ldursh w12, [x13, #7]",    { .size = 2, SX, .rt = 12, .rn = 13 } },
	{ 0xb89fc1ee, "ldursw x14, [x15, #-4]",   { .size = 4, SX, X, .rt = 14, .rn = 15 } },
	{ 0xf81ff01f, "stur xzr, [x0, #-1]",      { .size = 8, ST, X, .rt = 31, .rn = 0 } },
};

static void test_unscaled(void **state)
{
	(void)state;
	CHECK_ALL(unscaled_cases, check_accepted);
}

static const struct ok_case unprivileged_cases[] = {
	{ 0xf8408841, "ldtr x1, [x2, #8]",       { .size = 8, X, .rt = 1, .rn = 2 } },
	{ 0xb8400883, "ldtr w3, [x4]",           { .size = 4, .rt = 3, .rn = 4 } },
	{ 0xb81fc8c5, "sttr w5, [x6, #-4]",      { .size = 4, ST, .rt = 5, .rn = 6 } },
	{ 0x38001907, "sttrb w7, [x8, #1]",      { .size = 1, ST, .rt = 7, .rn = 8 } },
	{ 0x781fe949, "sttrh w9, [x10, #-2]",    { .size = 2, ST, .rt = 9, .rn = 10 } },
	{ 0x3840098b, "ldtrb w11, [x12]",        { .size = 1, .rt = 11, .rn = 12 } },
	{ 0x784009cd, "ldtrh w13, [x14]",        { .size = 2, .rt = 13, .rn = 14 } },
	{ 0x38801a0f, "ldtrsb x15, [x16, #1]",   { .size = 1, SX, X, .rt = 15, .rn = 16 } },
	{ 0x38c00a51, "ldtrsb w17, [x18]",       { .size = 1, SX, .rt = 17, .rn = 18 } },
	{ 0x78800a93, "ldtrsh x19, [x20]",       { .size = 2, SX, X, .rt = 19, .rn = 20 } },
	{ 0x78c00ad5, "ldtrsh w21, [x22]",       { .size = 2, SX, .rt = 21, .rn = 22 } },
	{ 0xb8900bf7, "ldtrsw x23, [sp, #-256]", { .size = 4, SX, X, .rt = 23, .rn = 31 } },
	{ 0xf8000b38, "sttr x24, [x25]",         { .size = 8, ST, X, .rt = 24, .rn = 25 } },
};

static void test_unprivileged(void **state)
{
	(void)state;
	CHECK_ALL(unprivileged_cases, check_accepted);
}

/* ------------------------------------------------------------------ */
/* Load/store register (register offset)                               */
/* ------------------------------------------------------------------ */

static const struct ok_case reg_offset_cases[] = {
	{ 0xf8636841, "ldr x1, [x2, x3]",               { .size = 8, X, .rt = 1, .rn = 2 } },
	{ 0xb86678a4, "ldr w4, [x5, x6, lsl #2]",       { .size = 4, .rt = 4, .rn = 5 } },
	{ 0xf8695907, "ldr x7, [x8, w9, uxtw #3]",      { .size = 8, X, .rt = 7, .rn = 8 } },
	{ 0x386c696a, "ldrb w10, [x11, x12]",           { .size = 1, .rt = 10, .rn = 11 } },
	{ 0x386cc96a, "ldrb w10, [x11, w12, sxtw]",     { .size = 1, .rt = 10, .rn = 11 } },
	{ 0x786f79cd, "ldrh w13, [x14, x15, lsl #1]",   { .size = 2, .rt = 13, .rn = 14 } },
	{ 0x38b2ea30, "ldrsb x16, [x17, x18, sxtx]",    { .size = 1, SX, X, .rt = 16, .rn = 17 } },
	{ 0x38f54a93, "ldrsb w19, [x20, w21, uxtw]",    { .size = 1, SX, .rt = 19, .rn = 20 } },
	{ 0x78b8daf6, "ldrsh x22, [x23, w24, sxtw #1]", { .size = 2, SX, X, .rt = 22, .rn = 23 } },
	{ 0x78fb6b59, "ldrsh w25, [x26, x27]",          { .size = 2, SX, .rt = 25, .rn = 26 } },
	{ 0xb8be7bbc, "ldrsw x28, [x29, x30, lsl #2]",  { .size = 4, SX, X, .rt = 28, .rn = 29 } },
	{ 0xf8216be0, "str x0, [sp, x1]",               { .size = 8, ST, X, .rt = 0, .rn = 31 } },
	{ 0x38246862, "strb w2, [x3, x4]",              { .size = 1, ST, .rt = 2, .rn = 3 } },
	{ 0x782758c5, "strh w5, [x6, w7, uxtw #1]",     { .size = 2, ST, .rt = 5, .rn = 6 } },
	{ 0xb829f91f, "str wzr, [x8, x9, sxtx #2]",     { .size = 4, ST, .rt = 31, .rn = 8 } },
	{ 0xf83f695f, "str xzr, [x10, xzr]",            { .size = 8, ST, X, .rt = 31, .rn = 10 } },
	{ 0xf83f6800, "str x0, [x0, xzr]",              { .size = 8, ST, X, .rt = 0, .rn = 0 } },
};

static void test_register_offset(void **state)
{
	(void)state;
	CHECK_ALL(reg_offset_cases, check_accepted);
}

/* ------------------------------------------------------------------ */
/* Load-acquire / store-release                                         */
/* ------------------------------------------------------------------ */

static const struct ok_case acquire_release_cases[] = {
	{ 0xc8dffc20, "ldar x0, [x1]",      { .size = 8, X, .rt = 0, .rn = 1 } },
	{ 0x88dfffe2, "ldar w2, [sp]",      { .size = 4, .rt = 2, .rn = 31 } },
	{ 0x08dffc83, "ldarb w3, [x4]",     { .size = 1, .rt = 3, .rn = 4 } },
	{ 0x48dffcc5, "ldarh w5, [x6]",     { .size = 2, .rt = 5, .rn = 6 } },
	{ 0xc89ffd07, "stlr x7, [x8]",      { .size = 8, ST, X, .rt = 7, .rn = 8 } },
	{ 0x889ffd3f, "stlr wzr, [x9]",     { .size = 4, ST, .rt = 31, .rn = 9 } },
	{ 0x089ffd6a, "stlrb w10, [x11]",   { .size = 1, ST, .rt = 10, .rn = 11 } },
	{ 0x489ffdac, "stlrh w12, [x13]",   { .size = 2, ST, .rt = 12, .rn = 13 } },
	{ 0xc8dffc00, "ldar x0, [x0]",      { .size = 8, X, .rt = 0, .rn = 0 } },
	{ 0xf8bfc1ee, "ldapr x14, [x15]",   { .size = 8, X, .rt = 14, .rn = 15 } },
	{ 0xb8bfc230, "ldapr w16, [x17]",   { .size = 4, .rt = 16, .rn = 17 } },
	{ 0x38bfc272, "ldaprb w18, [x19]",  { .size = 1, .rt = 18, .rn = 19 } },
	{ 0x78bfc2b4, "ldaprh w20, [x21]",  { .size = 2, .rt = 20, .rn = 21 } },
};

static void test_acquire_release(void **state)
{
	(void)state;
	CHECK_ALL(acquire_release_cases, check_accepted);
}

/* ------------------------------------------------------------------ */
/* Load/store pair                                                      */
/* ------------------------------------------------------------------ */

static const struct ok_case pair_offset_cases[] = {
	{ 0xa9400861, "ldp x1, x2, [x3]",
	  { .size = 8, X, PAIR, .rt = 1, .rt2 = 2, .rn = 3 } },
	{ 0xa95f8861, "ldp x1, x2, [x3, #504]",
	  { .size = 8, X, PAIR, .rt = 1, .rt2 = 2, .rn = 3 } },
	{ 0xa9600861, "ldp x1, x2, [x3, #-512]",
	  { .size = 8, X, PAIR, .rt = 1, .rt2 = 2, .rn = 3 } },
	{ 0x294114c4, "ldp w4, w5, [x6, #8]",
	  { .size = 4, PAIR, .rt = 4, .rt2 = 5, .rn = 6 } },
	{ 0x296014c4, "ldp w4, w5, [x6, #-256]",
	  { .size = 4, PAIR, .rt = 4, .rt2 = 5, .rn = 6 } },
	{ 0xa9017dbf, "stp xzr, xzr, [x13, #16]",
	  { .size = 8, ST, X, PAIR, .rt = 31, .rt2 = 31, .rn = 13 } },
	{ 0x29007fff, "stp wzr, wzr, [sp]",
	  { .size = 4, ST, PAIR, .rt = 31, .rt2 = 31, .rn = 31 } },
	/* A store may name one register twice; base overlap is fine without writeback. */
	{ 0xa9000441, "stp x1, x1, [x2]",
	  { .size = 8, ST, X, PAIR, .rt = 1, .rt2 = 1, .rn = 2 } },
	{ 0xa9000821, "stp x1, x2, [x1]",
	  { .size = 8, ST, X, PAIR, .rt = 1, .rt2 = 2, .rn = 1 } },
	{ 0xa9400821, "ldp x1, x2, [x1]",
	  { .size = 8, X, PAIR, .rt = 1, .rt2 = 2, .rn = 1 } },
	/* No-allocate pairs never write back. */
	{ 0xa87fdf16, "ldnp x22, x23, [x24, #-8]",
	  { .size = 8, X, PAIR, .rt = 22, .rt2 = 23, .rn = 24 } },
	{ 0x2800eb79, "stnp w25, w26, [x27, #4]",
	  { .size = 4, ST, PAIR, .rt = 25, .rt2 = 26, .rn = 27 } },
	{ 0xa81f87ff, "stnp xzr, x1, [sp, #504]",
	  { .size = 8, ST, X, PAIR, .rt = 31, .rt2 = 1, .rn = 31 } },
	{ 0x28400440, "ldnp w0, w1, [x2]",
	  { .size = 4, PAIR, .rt = 0, .rt2 = 1, .rn = 2 } },
};

static void test_pair_offset(void **state)
{
	(void)state;
	CHECK_ALL(pair_offset_cases, check_accepted);
}

static const struct ok_case pair_writeback_cases[] = {
	{ 0xa9bf7bfd, "stp x29, x30, [sp, #-16]!",
	  { .size = 8, ST, X, PAIR, .rt = 29, .rt2 = 30, .rn = 31, WB, .offset = -16 } },
	{ 0xa8c17bfd, "ldp x29, x30, [sp], #16",
	  { .size = 8, X, PAIR, .rt = 29, .rt2 = 30, .rn = 31, WB, .offset = 16 } },
	{ 0x299fa127, "stp w7, w8, [x9, #252]!",
	  { .size = 4, ST, PAIR, .rt = 7, .rt2 = 8, .rn = 9, WB, .offset = 252 } },
	{ 0x28ffad8a, "ldp w10, w11, [x12], #-4",
	  { .size = 4, PAIR, .rt = 10, .rt2 = 11, .rn = 12, WB, .offset = -4 } },
	{ 0xa9e00861, "ldp x1, x2, [x3, #-512]!",
	  { .size = 8, X, PAIR, .rt = 1, .rt2 = 2, .rn = 3, WB, .offset = -512 } },
	{ 0xa89f94c4, "stp x4, x5, [x6], #504",
	  { .size = 8, ST, X, PAIR, .rt = 4, .rt2 = 5, .rn = 6, WB, .offset = 504 } },
	{ 0x29e02127, "ldp w7, w8, [x9, #-256]!",
	  { .size = 4, PAIR, .rt = 7, .rt2 = 8, .rn = 9, WB, .offset = -256 } },
	{ 0x289fafea, "stp w10, w11, [sp], #252",
	  { .size = 4, ST, PAIR, .rt = 10, .rt2 = 11, .rn = 31, WB, .offset = 252 } },
	{ 0xa9bf7fff, "stp xzr, xzr, [sp, #-16]!",
	  { .size = 8, ST, X, PAIR, .rt = 31, .rt2 = 31, .rn = 31, WB, .offset = -16 } },
};

static void test_pair_writeback(void **state)
{
	(void)state;
	CHECK_ALL(pair_writeback_cases, check_accepted);
}

static const struct ok_case ldpsw_cases[] = {
	{ 0x69413e0e, "ldpsw x14, x15, [x16, #8]",
	  { .size = 4, SX, X, PAIR, .rt = 14, .rt2 = 15, .rn = 16 } },
	{ 0x69603e0e, "ldpsw x14, x15, [x16, #-256]",
	  { .size = 4, SX, X, PAIR, .rt = 14, .rt2 = 15, .rn = 16 } },
	{ 0x69ff4a71, "ldpsw x17, x18, [x19, #-8]!",
	  { .size = 4, SX, X, PAIR, .rt = 17, .rt2 = 18, .rn = 19, WB, .offset = -8 } },
	{ 0x68dfd7f4, "ldpsw x20, x21, [sp], #252",
	  { .size = 4, SX, X, PAIR, .rt = 20, .rt2 = 21, .rn = 31, WB, .offset = 252 } },
};

static void test_ldpsw(void **state)
{
	(void)state;
	CHECK_ALL(ldpsw_cases, check_accepted);
}

/* ------------------------------------------------------------------ */
/* Refused encodings                                                    */
/* ------------------------------------------------------------------ */

static const struct bad_case simd_fp_cases[] = {
	{ 0x3dc00020, "ldr q0, [x1]" },
	{ 0xfc008c62, "str d2, [x3, #8]!" },
	{ 0xbc4044a4, "ldr s4, [x5], #4" },
	{ 0x3c5ff0e6, "ldur b6, [x7, #-1]" },
	{ 0x7c6a6928, "ldr h8, [x9, x10]" },
	{ 0xad400440, "ldp q0, q1, [x2]" },
	{ 0x6dbf13e3, "stp d3, d4, [sp, #-16]!" },
	{ 0x2c4018e5, "ldnp s5, s6, [x7]" },
	{ 0x9c000163, "ldr q3, <literal>" },
};

static void test_reject_simd_fp(void **state)
{
	(void)state;
	CHECK_ALL(simd_fp_cases, check_rejected);
}

static const struct bad_case exclusive_cases[] = {
	{ 0xc85f7c20, "ldxr x0, [x1]" },
	{ 0xc8027c83, "stxr w2, x3, [x4]" },
	{ 0x885ffcc5, "ldaxr w5, [x6]" },
	{ 0x8807fd28, "stlxr w7, w8, [x9]" },
	{ 0x085f7d6a, "ldxrb w10, [x11]" },
	{ 0xc87f35cc, "ldxp x12, x13, [x14]" },
	{ 0xc82f4650, "stxp w15, x16, x17, [x18]" },
	{ 0x887f8440, "ldaxp w0, w1, [x2]" },
};

static void test_reject_exclusive(void **state)
{
	(void)state;
	CHECK_ALL(exclusive_cases, check_rejected);
}

static const struct bad_case atomic_cases[] = {
	{ 0xf8200041, "ldadd x0, x1, [x2]" },
	{ 0xb8e300a4, "ldaddal w3, w4, [x5]" },
	{ 0xf8268107, "swp x6, x7, [x8]" },
	{ 0x38208041, "swpb w0, w1, [x2]" },
	{ 0xc8a97d6a, "cas x9, x10, [x11]" },
	{ 0x88ecfdcd, "casal w12, w13, [x14]" },
	{ 0x48207c82, "casp x0, x1, x2, x3, [x4]" },
	{ 0xb820003f, "stadd w0, [x1]" },
	{ 0x38203041, "ldsetb w0, w1, [x2]" },
};

static void test_reject_atomic(void **state)
{
	(void)state;
	CHECK_ALL(atomic_cases, check_rejected);
}

static const struct bad_case prefetch_cases[] = {
	{ 0xf9800000, "prfm pldl1keep, [x0]" },
	{ 0xf9800433, "prfm pstl2strm, [x1, #8]" },
	{ 0xf89ff040, "prfum pldl1keep, [x2, #-1]" },
	{ 0xf8a47860, "prfm pldl1keep, [x3, x4, lsl #3]" },
	{ 0xd80001e0, "prfm pldl1keep, <literal>" },
};

static void test_reject_prefetch(void **state)
{
	(void)state;
	CHECK_ALL(prefetch_cases, check_rejected);
}

static const struct bad_case literal_cases[] = {
	{ 0x580001c0, "ldr x0, <literal>" },
	{ 0x180001a1, "ldr w1, <literal>" },
	{ 0x98000182, "ldrsw x2, <literal>" },
};

static void test_reject_literal(void **state)
{
	(void)state;
	CHECK_ALL(literal_cases, check_rejected);
}

static const struct bad_case pauth_cases[] = {
	{ 0xf8200420, "ldraa x0, [x1]" },
	{ 0xf8a01c62, "ldrab x2, [x3, #8]!" },
	{ 0xf86004a4, "ldraa x4, [x5, #-4096]" },
};

static void test_reject_pauth(void **state)
{
	(void)state;
	CHECK_ALL(pauth_cases, check_rejected);
}

/* Unallocated slots inside the supported classes (objdump: "undefined"). */
static const struct bad_case unallocated_cases[] = {
	{ 0xb9c00441, "uimm, size=10 opc=11" },
	{ 0xf8c00c41, "pre-index, size=11 opc=11" },
	{ 0xf8800c41, "pre-index, size=11 opc=10 (PRFM slot)" },
	{ 0xf8800841, "unprivileged, size=11 opc=10 (PRFM slot)" },
	{ 0xb8c00441, "post-index, size=10 opc=11" },
	{ 0xe9400861, "pair, opc=11" },
	{ 0x68400861, "no-allocate pair, opc=01 (no LDNPSW)" },
	{ 0xf8630841, "register offset, option=000 (uxtb)" },
	{ 0xf8639841, "register offset, option=100 (sxtb)" },
	{ 0xc8defc20, "ldar x0, [x1] with Rs != 31" },
	{ 0xc8dff820, "ldar x0, [x1] with Rt2 != 31" },
	{ 0xf8bec1ee, "ldapr x14, [x15] with Rs != 31" },
	{ 0xf8e0c1ee, "atomic space, A=1 R=1 o3=1 opc=100" },
};

static void test_reject_unallocated(void **state)
{
	(void)state;
	CHECK_ALL(unallocated_cases, check_rejected);
}

/* CONSTRAINED UNPREDICTABLE register overlaps (gas warns on each). */
static const struct bad_case overlap_cases[] = {
	{ 0xf8408c21, "ldr x1, [x1, #8]!" },
	{ 0xf8008442, "str x2, [x2], #8" },
	{ 0xa9c10821, "ldp x1, x2, [x1, #16]!" },
	{ 0xa8810841, "stp x1, x2, [x2], #16" },
	{ 0xa9400441, "ldp x1, x1, [x2]" },
	{ 0x69400c83, "ldpsw x3, x3, [x4]" },
	{ 0xa84014c5, "ldnp x5, x5, [x6]" },
};

static void test_reject_overlap(void **state)
{
	(void)state;
	CHECK_ALL(overlap_cases, check_rejected);
}

/* Neighbouring load/store features this decoder does not emulate. */
static const struct bad_case other_ldst_cases[] = {
	{ 0x69000440, "stgp x0, x1, [x2]" },
	{ 0xd9200820, "stg x0, [x1]" },
	{ 0xd9600020, "ldg x0, [x1]" },
	{ 0xd95f8020, "ldapur x0, [x1, #-8]" },
	{ 0x99000062, "stlur w2, [x3]" },
	{ 0xc8df7c20, "ldlar x0, [x1]" },
	{ 0x889f7c62, "stllr w2, [x3]" },
};

static void test_reject_other_ldst(void **state)
{
	(void)state;
	CHECK_ALL(other_ldst_cases, check_rejected);
}

static const struct bad_case non_ldst_cases[] = {
	{ 0xd503201f, "nop" },
	{ 0xd65f03c0, "ret" },
	{ 0x8b020020, "add x0, x1, x2" },
	{ 0x00000000, "udf #0" },
	{ 0xffffffff, ".inst 0xffffffff" },
};

static void test_reject_non_ldst(void **state)
{
	(void)state;
	CHECK_ALL(non_ldst_cases, check_rejected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsigned_offset),
		cmocka_unit_test(test_pre_index),
		cmocka_unit_test(test_post_index),
		cmocka_unit_test(test_unscaled),
		cmocka_unit_test(test_unprivileged),
		cmocka_unit_test(test_register_offset),
		cmocka_unit_test(test_acquire_release),
		cmocka_unit_test(test_pair_offset),
		cmocka_unit_test(test_pair_writeback),
		cmocka_unit_test(test_ldpsw),
		cmocka_unit_test(test_reject_simd_fp),
		cmocka_unit_test(test_reject_exclusive),
		cmocka_unit_test(test_reject_atomic),
		cmocka_unit_test(test_reject_prefetch),
		cmocka_unit_test(test_reject_literal),
		cmocka_unit_test(test_reject_pauth),
		cmocka_unit_test(test_reject_unallocated),
		cmocka_unit_test(test_reject_overlap),
		cmocka_unit_test(test_reject_other_ldst),
		cmocka_unit_test(test_reject_non_ldst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
