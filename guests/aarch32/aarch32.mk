# aarch32.mk: build rules for Vireo's in-tree 32-bit (AArch32) guests.
#
# Included from guests/guests.mk. Each guest is a directory
# guests/aarch32/<name>/ of .c/.S files, linked with the 32-bit runtime in
# guests/aarch32/runtime/ into $(B)/guests/aarch32/<name>.bin: a flat image
# with a zImage header, linked at 0x40008000. The runtime includes the
# files of guests/common/ written for both runtimes (GUEST32_SHARED: the
# console and PSCI), built here as $(B)/guests/aarch32/common/*.o.
# The compiler is Debian's gcc-arm-linux-gnueabihf, used freestanding: ARM state, ARMv8-A's AArch32
# (hvc, udiv and the virtualization extensions' banked registers), soft
# float and general-purpose registers only, so no code touches VFP/NEON,
# and no libgcc (guest32.h's udiv64()). -mno-unaligned-access because
# with the MMU off every data access is Device-like, where an unaligned
# one faults. The rules are static pattern rules over explicit lists, so
# guests.mk's patterns for the 64-bit guests ($(B)/guests/%.o and the
# like) never build these files.
# Everything here is prefixed GUEST32_.

GUEST32_CROSS ?= arm-linux-gnueabihf-
GUEST32_CC := $(GUEST32_CROSS)gcc
GUEST32_OBJCOPY := $(GUEST32_CROSS)objcopy

GUESTS32 := hello32 abort32 hostile32 bench32

GUEST32_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -marm -march=armv8-a \
	-mfloat-abi=soft -mgeneral-regs-only -mno-unaligned-access \
	-fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-tree-loop-distribute-patterns -Wall -Wextra -Werror \
	-Iguests/aarch32/runtime -MMD -MP
GUEST32_LDSCRIPT := guests/aarch32/runtime/guest32.ld
GUEST32_LDFLAGS := -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,-T,$(GUEST32_LDSCRIPT)

# Sources of a directory under guests/aarch32/, as objects under $(B).
guest32_c = $(patsubst guests/aarch32/%.c,$(B)/guests/aarch32/%.o,$(wildcard guests/aarch32/$(1)/*.c))
guest32_s = $(patsubst guests/aarch32/%.S,$(B)/guests/aarch32/%.o,$(wildcard guests/aarch32/$(1)/*.S))
guest32_objs = $(call guest32_c,$(1)) $(call guest32_s,$(1))

# guests/common/*.c that are LP64- and ILP32-clean (runtime.h says so).
GUEST32_SHARED := uart psci
GUEST32_SHARED_OBJS := $(patsubst %,$(B)/guests/aarch32/common/%.o,$(GUEST32_SHARED))

GUEST32_RUNTIME_OBJS := $(call guest32_objs,runtime) $(GUEST32_SHARED_OBJS)
GUEST32_C_OBJS := $(foreach d,runtime $(GUESTS32),$(call guest32_c,$(d)))
GUEST32_S_OBJS := $(foreach d,runtime $(GUESTS32),$(call guest32_s,$(d)))
GUEST32_ELFS := $(patsubst %,$(B)/guests/aarch32/%.elf,$(GUESTS32))
GUEST32_BINS := $(GUEST32_ELFS:.elf=.bin)

.PHONY: guests32
guests: guests32
guests32: $(GUEST32_BINS)

# Without the compiler, say what to install rather than fail obscurely.
ifeq ($(shell command -v $(GUEST32_CC) 2>/dev/null),)
$(GUEST32_C_OBJS) $(GUEST32_S_OBJS) $(GUEST32_SHARED_OBJS): guest32-no-compiler
.PHONY: guest32-no-compiler
guest32-no-compiler:
	@echo "$(GUEST32_CC) is missing: apt-get install gcc-arm-linux-gnueabihf (scripts/setup.sh)"; false
endif

$(GUEST32_C_OBJS): $(B)/guests/aarch32/%.o: guests/aarch32/%.c
	@mkdir -p $(dir $@)
	$(GUEST32_CC) $(GUEST32_CFLAGS) -c -o $@ $<

$(GUEST32_SHARED_OBJS): $(B)/guests/aarch32/common/%.o: guests/common/%.c
	@mkdir -p $(dir $@)
	$(GUEST32_CC) $(GUEST32_CFLAGS) -c -o $@ $<

$(GUEST32_S_OBJS): $(B)/guests/aarch32/%.o: guests/aarch32/%.S
	@mkdir -p $(dir $@)
	$(GUEST32_CC) $(GUEST32_CFLAGS) -c -o $@ $<

$(GUEST32_ELFS): $(B)/guests/aarch32/%.elf: $(GUEST32_RUNTIME_OBJS) $(GUEST32_LDSCRIPT)
	$(GUEST32_CC) $(GUEST32_CFLAGS) $(GUEST32_LDFLAGS) -o $@ $(filter %.o,$^)

$(GUEST32_BINS): $(B)/guests/aarch32/%.bin: $(B)/guests/aarch32/%.elf
	$(GUEST32_OBJCOPY) -O binary $< $@

$(foreach g,$(GUESTS32),$(eval $(B)/guests/aarch32/$(g).elf: $(call guest32_objs,$(g))))

.SECONDARY: $(GUEST32_ELFS) $(GUEST32_RUNTIME_OBJS)

# The headers each object was built from (-MMD), so that editing one, such
# as the shared runtime.h, rebuilds the 32-bit objects too.
-include $(patsubst %.o,%.d,$(GUEST32_C_OBJS) $(GUEST32_S_OBJS) $(GUEST32_SHARED_OBJS))
