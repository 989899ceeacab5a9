# Host-side unit tests: each tests/unit/test_X.c is a cmocka program linked
# with the pure-logic hypervisor sources it names in UNIT_SRCS_X, the host
# libraries in UNIT_LIBS_X, extra compiler flags in UNIT_CFLAGS_X, and built
# after the files in UNIT_DEPS_X.
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Ihv
UNIT_TESTS := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))

UNIT_SRCS_insn := hv/arch/aarch64/insn.c
UNIT_SRCS_pgtable := hv/arch/aarch64/pgtable.c hv/arch/aarch64/el2/stage2.c
UNIT_SRCS_palloc := hv/core/palloc.c
UNIT_SRCS_runq := hv/core/runq.c
UNIT_SRCS_dabt := hv/core/mmio.c
UNIT_SRCS_printf := hv/core/printf.c
# hv/core/printf.c defines vsnprintf and snprintf, as the C library does.
UNIT_CFLAGS_printf := -Dvsnprintf=hv_vsnprintf -Dsnprintf=hv_snprintf
UNIT_SRCS_platform := hv/core/platform.c hv/core/fdt_util.c
UNIT_LIBS_platform := -lfdt
UNIT_SRCS_fdt_util := hv/core/fdt_util.c
UNIT_LIBS_fdt_util := -lfdt
# tests/unit/host_shim.h: a host spinlock and strlcpy (see there).
# LPIs and the ITS: linked wherever vgic.c is, which calls them.
VGIC_LPI_SRCS := hv/vdev/vgic_lpi.c hv/vdev/vgic_its.c hv/vdev/vgic_its_cmd.c
UNIT_SRCS_vgic := hv/vdev/vgic.c hv/vdev/vgic_mmio.c $(VGIC_LPI_SRCS)
UNIT_SRCS_vgic_its := hv/vdev/vgic.c hv/vdev/vgic_mmio.c $(VGIC_LPI_SRCS)
UNIT_CFLAGS_vgic_its := -include tests/unit/host_shim.h
UNIT_DEPS_vgic_its := tests/unit/host_shim.h
UNIT_CFLAGS_vgic := -include tests/unit/host_shim.h
UNIT_DEPS_vgic := tests/unit/host_shim.h
# The GICv2 distributor and the timer's line, through the software CPU
# interface (tests/unit/test_vgic_v2.c).
UNIT_SRCS_vgic_v2 := hv/vdev/vgic.c hv/vdev/vgic_mmio.c hv/vdev/vgic_cpuif.c $(VGIC_LPI_SRCS)
UNIT_CFLAGS_vgic_v2 := -include tests/unit/host_shim.h
UNIT_DEPS_vgic_v2 := tests/unit/host_shim.h
UNIT_SRCS_vgic_cpuif := hv/vdev/vgic_cpuif.c
UNIT_CFLAGS_vgic_cpuif := -include tests/unit/host_shim.h
UNIT_DEPS_vgic_cpuif := tests/unit/host_shim.h
UNIT_SRCS_vmconfig := hv/core/vmconfig.c hv/core/vmconfig_devices.c hv/vdev/vmachine.c hv/core/platform.c hv/core/fdt_util.c
UNIT_SRCS_vwdog := hv/vdev/vwdog.c hv/core/restarts.c
UNIT_SRCS_vrtc := hv/vdev/vrtc.c
UNIT_SRCS_gdb_rsp := hv/core/gdb_rsp.c
UNIT_SRCS_stats := hv/core/stats.c hv/vdev/vmachine.c
UNIT_CFLAGS_stats := -include tests/unit/host_shim.h -include tests/fuzz/fuzz_shim.h
UNIT_DEPS_stats := tests/unit/host_shim.h tests/fuzz/fuzz_shim.h
UNIT_LIBS_vmconfig := -lfdt
UNIT_SRCS_vmconfig_devices := $(UNIT_SRCS_vmconfig)
UNIT_SRCS_guest_fdt := hv/vdev/guest_fdt.c $(UNIT_SRCS_vmconfig)
UNIT_LIBS_guest_fdt := -lfdt
UNIT_LIBS_vmconfig_devices := -lfdt

# The core on a fake architecture (tests/unit/test_core.c): the real VM,
# vCPU, scheduler, trap and PSCI code over a fake way of running guests.
UNIT_SRCS_core := hv/core/vm.c hv/core/devices.c hv/core/vm_load.c hv/core/vcpu.c hv/core/sched.c hv/core/runq.c \
	hv/core/trap.c hv/core/trap_abort.c hv/core/trap_sysreg.c hv/core/trap_wfx.c hv/core/trap_aarch32.c hv/core/inject.c \
	hv/core/smccc.c hv/core/vpsci.c hv/core/hypercall.c hv/core/channel.c hv/core/pv.c \
	hv/core/irq.c hv/core/console.c hv/core/console_focus.c hv/core/board.c hv/core/mem.c \
	hv/core/palloc.c hv/core/mmio.c hv/arch/aarch64/insn.c \
	hv/arch/aarch64/idregs.c hv/vdev/vgic.c hv/vdev/vgic_mmio.c $(VGIC_LPI_SRCS) hv/vdev/vpl011.c \
	hv/vdev/vtimer.c hv/vdev/vmachine.c hv/vdev/guest_fdt.c hv/core/vm_watchdog.c \
	hv/core/restarts.c hv/vdev/vwdog.c hv/vdev/vrtc.c hv/core/stats.c \
	hv/core/gdb.c hv/core/gdb_access.c hv/core/gdb_monitor.c hv/core/gdb_halt.c \
	hv/core/gdb_rsp.c hv/arch/aarch64/s1walk.c
UNIT_LIBS_core := -lfdt
UNIT_CFLAGS_core := -include tests/unit/host_shim.h -include tests/fuzz/fuzz_shim.h
UNIT_DEPS_core := tests/unit/host_shim.h tests/fuzz/fuzz_shim.h

# Device trees for test_platform, test_fdt_util and test_vmconfig, compiled
# from tests/unit/dts/*.dts.
UNIT_DTBS := $(patsubst tests/unit/dts/%.dts,$(B)/unit/dts/%.dtb,$(wildcard tests/unit/dts/*.dts))
UNIT_DEPS_platform := $(UNIT_DTBS) tests/unit/dtb_file.h
UNIT_CFLAGS_platform := -DDTB_DIR='"$(abspath $(B)/unit/dts)"'
UNIT_DEPS_fdt_util := $(UNIT_DTBS) tests/unit/dtb_file.h
UNIT_CFLAGS_fdt_util := -DDTB_DIR='"$(abspath $(B)/unit/dts)"'
UNIT_DEPS_vmconfig := $(UNIT_DTBS) tests/unit/host_shim.h tests/unit/dtb_file.h
UNIT_CFLAGS_vmconfig := -DDTB_DIR='"$(abspath $(B)/unit/dts)"' -include tests/unit/host_shim.h
UNIT_DEPS_vmconfig_devices := $(UNIT_DEPS_vmconfig)
UNIT_CFLAGS_vmconfig_devices := $(UNIT_CFLAGS_vmconfig)
UNIT_DEPS_guest_fdt := $(UNIT_DEPS_vmconfig)
UNIT_CFLAGS_guest_fdt := $(UNIT_CFLAGS_vmconfig) -include tests/fuzz/fuzz_shim.h

# -q: several trees are deliberately wrong, and QEMU's own trips dtc's checks.
$(B)/unit/dts/%.dtb: tests/unit/dts/%.dts $(wildcard tests/unit/dts/*.dtsi)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

.PHONY: unit-build
# The trees are named here too, so make neither treats them as intermediate
# files nor deletes them: test_platform reads them when it runs.
unit-build: $(patsubst %,$(B)/unit/test_%,$(UNIT_TESTS)) $(UNIT_DTBS)

.SECONDEXPANSION:
$(B)/unit/test_%: tests/unit/test_%.c $$(UNIT_SRCS_$$*) $$(UNIT_DEPS_$$*) $(HV_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_CFLAGS_$*) -o $@ $< $(UNIT_SRCS_$*) $(UNIT_LIBS_$*) -lcmocka

# The Raspberry Pi's host drivers over fake register blocks
# (tests/unit/test_pi_drivers.c), reading tests/unit/dts/pi3-bcm.dts.
UNIT_SRCS_pi_drivers := hv/drivers/irqchip/bcm2836.c hv/drivers/power/spin_table.c \
	hv/drivers/power/bcm2835_pm.c hv/drivers/uart/bcm2835_aux.c hv/core/fdt_util.c
UNIT_LIBS_pi_drivers := -lfdt
UNIT_CFLAGS_pi_drivers := -DDTB_DIR='"$(abspath $(B)/unit/dts)"' \
	-include tests/unit/host_shim.h -include tests/fuzz/fuzz_shim.h
UNIT_DEPS_pi_drivers := $(UNIT_DTBS) tests/unit/host_shim.h tests/fuzz/fuzz_shim.h \
	tests/unit/dtb_file.h

# The console's input path (tests/unit/test_console.c): the physical UART's
# receive interrupt, the focus and escape key, and each VM's emulated PL011.
UNIT_SRCS_console := hv/core/console.c hv/core/console_focus.c hv/vdev/vpl011.c \
	hv/drivers/uart/pl011.c hv/drivers/uart/bcm2835_aux.c hv/core/stats.c hv/vdev/vmachine.c
UNIT_CFLAGS_console := -include tests/unit/host_shim.h -include tests/fuzz/fuzz_shim.h
UNIT_DEPS_console := tests/unit/host_shim.h tests/fuzz/fuzz_shim.h

# The ID registers guests read (tests/unit/test_idregs.c), over a fake CPU.
UNIT_SRCS_idregs := hv/arch/aarch64/idregs.c
UNIT_CFLAGS_idregs := -include tests/fuzz/fuzz_shim.h
UNIT_DEPS_idregs := tests/fuzz/fuzz_shim.h

# The software stage-1 walk (tests/unit/test_s1walk.c), over tables in a
# fake guest RAM.
UNIT_SRCS_s1walk := hv/arch/aarch64/s1walk.c
