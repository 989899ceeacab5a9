# Host-side libFuzzer targets for the code that reads untrusted bytes
# (tests/fuzz/README.md). Each tests/fuzz/fuzz_X.c is linked with
# the hypervisor sources in FUZZ_SRCS_X and the host libraries in
# FUZZ_LIBS_X, all compiled by clang with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer into build/fuzz/fuzz_X.
#
#   make fuzz-build   build every target
#   make fuzz         run each for FUZZ_SECONDS (default 600), FUZZ_JOBS at
#                     a time (default: one per CPU); FUZZ_TARGETS="insn dabt"
#                     picks some. The corpus each run grows is kept in
#                     build/fuzz/corpus/X; a crashing input lands in
#                     build/fuzz/artifacts/.
#
# make test runs each target briefly over its seed corpus,
# tests/fuzz/corpus/X (tests/run.py; tests/fuzz/make_seeds.py writes it).
FUZZCC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
	-Wno-unused-parameter -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Ihv -Itests/fuzz -include tests/unit/host_shim.h -include tests/fuzz/fuzz_shim.h
FUZZ_TARGETS_ALL := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_TARGETS_ALL)

FUZZ_SRCS_insn := hv/arch/aarch64/insn.c
FUZZ_SRCS_aarch32 := hv/core/trap_aarch32.c hv/arch/aarch64/idregs.c
FUZZ_SRCS_dabt := hv/core/trap_abort.c hv/arch/aarch64/insn.c \
	hv/core/mmio.c hv/vdev/vpl011.c hv/vdev/vgic.c hv/vdev/vgic_mmio.c hv/vdev/vmachine.c \
	$(VGIC_LPI_SRCS)
FUZZ_SRCS_vgic_mmio := hv/vdev/vgic.c hv/vdev/vgic_mmio.c $(VGIC_LPI_SRCS)
FUZZ_SRCS_vgic_its := hv/vdev/vgic.c hv/vdev/vgic_mmio.c $(VGIC_LPI_SRCS)
FUZZ_SRCS_vgic_cpuif := hv/vdev/vgic_cpuif.c
FUZZ_SRCS_vmconfig := hv/core/vmconfig.c hv/core/vmconfig_devices.c hv/vdev/vmachine.c hv/core/platform.c hv/core/fdt_util.c
FUZZ_LIBS_vmconfig := -lfdt
FUZZ_SRCS_vwdog := hv/vdev/vwdog.c
FUZZ_SRCS_vrtc := hv/vdev/vrtc.c
FUZZ_SRCS_s1walk := hv/arch/aarch64/s1walk.c
FUZZ_SRCS_gdb := hv/core/gdb.c hv/core/gdb_access.c hv/core/gdb_monitor.c hv/core/gdb_halt.c \
	hv/core/gdb_rsp.c hv/arch/aarch64/s1walk.c
FUZZ_SRCS_smccc := hv/core/smccc.c hv/core/vpsci.c hv/core/hypercall.c hv/vdev/vmachine.c hv/core/stats.c

.PHONY: fuzz fuzz-build
fuzz-build: $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS_ALL))

# As for run and test: setup may install clang, so the build runs in a
# fresh make after it.
fuzz: setup
	@$(MAKE) --no-print-directory fuzz-build
	tests/fuzz/run_fuzz.py --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) $(FUZZ_TARGETS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) tests/fuzz/*.h tests/unit/host_shim.h \
		$(HV_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*) $(FUZZ_LIBS_$*)
