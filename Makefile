# Vireo: build the hypervisor, its in-tree guests and its tests.
#
#   make         build/vireo.bin and the guests
#   make run     boot the default demo in QEMU (BOARD=raspi3b: on a Pi 3B)
#   make test    every test; ends with "N passed, N failed"
#   make bench   the benchmarks: docs/benchmarks.md, build/bench/results.json
#
# run, test and bench call scripts/setup.sh first; it installs whatever is
# missing from Debian's packages and does nothing on a ready machine.

CROSS    ?= aarch64-linux-gnu-
CC        = $(CROSS)gcc
LD        = $(CROSS)ld
OBJCOPY   = $(CROSS)objcopy
HOSTCC   ?= gcc
BOARD    ?= virt
B        := build
DEPS     := .deps/arm64/usr
LIBFDT_A := $(DEPS)/lib/aarch64-linux-gnu/libfdt.a

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
HV_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-mgeneral-regs-only -march=armv8-a -mcmodel=small -fpie -fvisibility=hidden \
	-fno-stack-protector -fno-omit-frame-pointer -fno-common -include hv/core/hidden.h \
	-mno-outline-atomics -fno-tree-loop-distribute-patterns \
	-Ihv -Ihv/core/libc -I$(B)/include -I$(DEPS)/include -MMD -MP -flto=auto
comma := ,
HV_LDFLAGS := --build-id=none -static -pie --no-dynamic-linker -z norelro -z max-page-size=4096 --no-warn-rwx-segments \
	--gc-sections -T hv/arch/aarch64/linker.ld

# Every source under hv/, whatever its layer (docs/architecture.md).
HV_SRCS := $(shell find hv -name '*.c' | sort)
HV_ASMS := $(shell find hv -name '*.S' | sort)
HV_HDRS := $(shell find hv -name '*.h')
ASM_OFFSETS_C := hv/arch/aarch64/el2/asm-offsets.c
HV_OBJS := $(patsubst hv/%.c,$(B)/hv/%.o,$(filter-out $(ASM_OFFSETS_C),$(HV_SRCS))) \
	   $(patsubst hv/%.S,$(B)/hv/%.o,$(HV_ASMS))

.PHONY: all setup run test bench unit integration clean
all: $(B)/vireo.bin guests

setup:
	@scripts/setup.sh

$(B)/include/asm-offsets.h: $(ASM_OFFSETS_C) $(HV_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(filter-out -flto=auto,$(HV_CFLAGS)) -MMD -MF $(B)/asm-offsets.d -S -o $(B)/asm-offsets.s $<
	scripts/gen-asm-offsets.sh $(B)/asm-offsets.s > $@

$(B)/hv/%.o: hv/%.c | $(B)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(HV_CFLAGS) -c -o $@ $<

$(B)/hv/%.o: hv/%.S $(B)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"; $(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(B)/vireo.elf: $(HV_OBJS) $(LIBFDT_A) hv/arch/aarch64/linker.ld
	$(CC) $(HV_CFLAGS) -nostdlib $(patsubst %,-Wl$(comma)%,$(HV_LDFLAGS)) -o $@ $(HV_OBJS) $(LIBFDT_A)

$(B)/vireo.bin: $(B)/vireo.elf
	$(OBJCOPY) -O binary $< $@

include guests/guests.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk

# setup may install the compiler this Makefile asks about when it is read,
# so the builds run in a fresh make after it.
run: setup
	@$(MAKE) --no-print-directory all
	./vireo run --board $(BOARD) --demo

test: setup
	@$(MAKE) --no-print-directory all unit-build fuzz-build
	@tests/run.py

bench: setup
	@$(MAKE) --no-print-directory all
	@VIREO_BENCH_COMMAND="make bench" tools/bench.py

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
