# guests.mk: build rules for Vireo's in-tree bare-metal guests.
#
# Included from the top-level Makefile, which provides CC, OBJCOPY and B.
# Each guest is a directory guests/<name>/ of .c/.S files, linked with the
# runtime in guests/common/ into $(B)/guests/<name>.bin, an arm64 Image.
# Adding a guest means adding its name to GUESTS; the rules are patterns.
# Everything here is prefixed GUEST_ so as not to meet the HV_ variables.

GUESTS := hello abort crash mmio reset timer hostile bench pvtest pvchan cpuonoff wdog sve stats gicconf \
	its debug pmu gdbtest ticker devprobe

GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -mgeneral-regs-only \
	-fno-pie -no-pie -Wall -Wextra -Werror \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-Iguests/common -MMD -MP
GUEST_LDSCRIPT := guests/common/guest.ld
# One RWX segment is what a flat image loaded with the MMU off is.
GUEST_LDFLAGS := -static -z max-page-size=4096 -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments -Wl,-T,$(GUEST_LDSCRIPT)

# Sources of a guest directory, as objects under $(B)/guests/<dir>/.
guest_objs = $(patsubst guests/%.c,$(B)/guests/%.o,$(wildcard guests/$(1)/*.c)) \
	     $(patsubst guests/%.S,$(B)/guests/%.o,$(wildcard guests/$(1)/*.S))

GUEST_COMMON_OBJS := $(call guest_objs,common)
GUEST_BINS := $(patsubst %,$(B)/guests/%.bin,$(GUESTS))

.PHONY: guests
guests: $(GUEST_BINS)

$(B)/guests/%.o: guests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(B)/guests/%.o: guests/%.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

# The per-guest objects are added below; $^ then holds them all.
$(B)/guests/%.elf: $(GUEST_COMMON_OBJS) $(GUEST_LDSCRIPT)
	$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(B)/guests/%.bin: $(B)/guests/%.elf
	$(OBJCOPY) -O binary $< $@

$(foreach g,$(GUESTS),$(eval $(B)/guests/$(g).elf: $(call guest_objs,$(g))))

# Keep the ELFs (a debugger wants them next to a .bin) and the shared
# objects, which make would otherwise delete as intermediates.
.SECONDARY: $(GUEST_BINS:.bin=.elf) $(GUEST_COMMON_OBJS)

# The 32-bit guests (guests/aarch32/): their own compiler and rules.
include guests/aarch32/aarch32.mk

-include $(foreach g,common $(GUESTS),$(patsubst %.o,%.d,$(call guest_objs,$(g))))
