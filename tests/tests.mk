# Host-side unit tests: each tests/unit/test_X.c is a cmocka program linked
# with the pure-logic hypervisor sources it names in UNIT_SRCS_X.
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Ihv/include
UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))

UNIT_SRCS_insn := hv/insn.c

.PHONY: unit-build
unit-build: $(patsubst %,$(B)/unit/test_%,$(UNIT_TESTS))

.SECONDEXPANSION:
$(B)/unit/test_%: tests/unit/test_%.c $$(UNIT_SRCS_$$*) hv/include/*.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_SRCS_$*) $(UNIT_LIBS_$*) -lcmocka
