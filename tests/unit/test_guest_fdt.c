/*
 * Unit tests for the host devices' nodes in a VM's device tree
 * (hv/vdev/guest_fdt.c's add_device()): a VM configured from
 * tests/unit/dts/vm-devices.dts by vmconfig_parse(), its tree built by
 * guest_fdt_build() and read back with libfdt. A host node comes over
 * with its own properties, less those that name the host's wiring, at
 * the VM's address and with the VM's interrupt numbers; a fixed clock
 * becomes the VM's; a device given by "reg" alone gets a node only with
 * "vireo,compatible". Channels and the PMU are stubbed out: the VM has
 * neither.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "core/channel.h"
#include "core/vm.h"
#include "dtb_file.h"
#include "vdev/guest_fdt.h"

uint64_t mem_virt_offset;

#ifndef DTB_DIR
#define DTB_DIR "build/unit/dts"
#endif

void channels_of(const struct vm *vm, void (*fn)(void *, unsigned, const struct channel *),
		 void *ctx)
{
}

unsigned id_pmu_version(void)
{
	return 0;
}

#define PHANDLE_CLK 2 /* guest_fdt.c's */

static void *host;
static struct vm vm;
static uint8_t guest[GUEST_FDT_MAX];

/* VM index (0 "linux", 1 "rtos") of vm-devices.dts, with a GICv3, built. */
static void build(unsigned index)
{
	struct vm_config cfg[MAX_VMS];
	struct platform p;
	char err[256];
	unsigned n;
	long len;

	free(host);
	host = dtb_file_read(DTB_DIR, "vm-devices", &len);
	assert_int_equal(platform_parse(host, "arm,pl011", &p, err, sizeof(err)), 0);
	if (vmconfig_parse(host, &p, cfg, MAX_VMS, &n, err, sizeof(err)) != 0) {
		fail_msg("refused: %s", err);
	}
	memset(&vm, 0, sizeof(vm));
	vm.cfg = cfg[index];
	vm.name = vm.cfg.name;
	vm.n_vcpus = 1;
	vm.has_gic = true;
	vm.ram_ipa = ipa(0x40000000);
	vm.ram_size = vm.cfg.mem_size;
	assert_true(guest_fdt_build(&vm, guest) > 0);
	assert_int_equal(fdt_check_header(guest), 0);
}

static int teardown(void **state)
{
	free(host);
	host = NULL;
	return 0;
}

static int node(const char *path)
{
	int off = fdt_path_offset(guest, path);

	if (off < 0) {
		fail_msg("the VM's tree has no %s", path);
	}
	return off;
}

static uint32_t cell(int off, const char *prop, int i)
{
	int len;
	const fdt32_t *v = fdt_getprop(guest, off, prop, &len);

	if (!v || len < (i + 1) * 4) {
		fail_msg("%s has no cell %d", prop, i);
	}
	return fdt32_to_cpu(v[i]);
}

static void expect_reg(int off, uint64_t base, uint64_t size)
{
	assert_int_equal((uint64_t)cell(off, "reg", 0) << 32 | cell(off, "reg", 1), base);
	assert_int_equal((uint64_t)cell(off, "reg", 2) << 32 | cell(off, "reg", 3), size);
}

static void expect_irq(int off, unsigned intid, unsigned flags)
{
	assert_int_equal(cell(off, "interrupts", 0), 0); /* SPI */
	assert_int_equal(cell(off, "interrupts", 1), intid - 32);
	assert_int_equal(cell(off, "interrupts", 2), flags);
}

static void test_transport_copied(void **state)
{
	int off;

	build(0);
	off = node("/virtio_mmio@a003e00");
	assert_string_equal(fdt_getprop(guest, off, "compatible", NULL), "virtio,mmio");
	assert_non_null(fdt_getprop(guest, off, "dma-coherent", NULL));
	expect_reg(off, 0xa003e00, 0x200);
	expect_irq(off, 79, 1); /* edge, as the host's */
}

/* Moved to 0x9040000: named and placed there; its phandle (the host's
 * gpio-keys would point at it) and its clock's are the host's, so gone,
 * the clock replaced by the VM's own. */
static void test_primecell_moved(void **state)
{
	int len, off;

	build(0);
	assert_true(fdt_path_offset(guest, "/pl061@9030000") < 0);
	off = node("/pl061@9040000");
	assert_int_equal(fdt_stringlist_count(guest, off, "compatible"), 2);
	assert_non_null(fdt_getprop(guest, off, "gpio-controller", NULL));
	assert_int_equal(cell(off, "#gpio-cells", 0), 2);
	expect_reg(off, 0x9040000, 0x1000);
	expect_irq(off, 39, 4);
	assert_null(fdt_getprop(guest, off, "phandle", &len));
	assert_int_equal(cell(off, "clocks", 0), PHANDLE_CLK);
	assert_string_equal(fdt_getprop(guest, off, "clock-names", NULL), "apb_pclk");
}

/* rtos: SPI 16 is its INTID 127; the widget has no host node, and its
 * node is made from the configuration's compatible. */
static void test_renumbered_and_by_hand(void **state)
{
	int off;

	build(1);
	expect_irq(node("/virtio_mmio@a003c00"), 127, 1);
	off = node("/device@9050000");
	assert_string_equal(fdt_getprop(guest, off, "compatible", NULL), "vendor,widget");
	expect_reg(off, 0x9050000, 0x1000);
	expect_irq(off, 41, 1);
	assert_null(fdt_getprop(guest, off, "dma-coherent", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_transport_copied, teardown),
		cmocka_unit_test_teardown(test_primecell_moved, teardown),
		cmocka_unit_test_teardown(test_renumbered_and_by_hand, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
