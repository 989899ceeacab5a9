/*
 * gdbtest: a guest for gdb to debug through Vireo's stub
 * (tests/integration/cases_gdb.py), built with symbols as
 * build/guests/gdbtest.elf.
 *
 * It calls gdb_target() ROUNDS times, with a line before and after each
 * call, and powers off. gdb_target() keeps a local variable on the stack
 * (volatile: gdb reads it from memory) and stores it in `watched`, for a
 * watchpoint; its result tells the test what the guest computed, so a
 * register gdb wrote would show.
 *
 * Lines: "gdbtest: calling round N", "gdbtest: round N gave R, watched W",
 * "gdbtest: done".
 */
#include "guest.h"

#define ROUNDS 3

volatile uint64_t watched;

__attribute__((noinline)) uint64_t gdb_target(uint64_t round)
{
	volatile uint64_t local = round * 3 + 1;

	watched = local;
	return local + 1;
}

int main(void)
{
	uint64_t r;

	for (r = 1; r <= ROUNDS; r++) {
		uint64_t got;

		printf("gdbtest: calling round %lu\n", r);
		got = gdb_target(r);
		printf("gdbtest: round %lu gave %lu, watched %lu\n", r, got, watched);
	}
	puts("gdbtest: done");
	psci_system_off();
}
