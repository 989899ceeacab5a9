/*
 * Unit tests for the host devices a VM configuration gives its VMs
 * (hv/core/vmconfig_devices.c), through vmconfig_parse() as Vireo calls
 * it, on tests/unit/dts/vm-devices.dts: what an accepted configuration
 * yields (addresses, interrupts and the VM's numbers for them, DMA and
 * direct mapping), then each refusal, made by changing one property of
 * that tree with libfdt, whose message must name the VM and the problem.
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

#include "core/vmconfig.h"
#include "dtb_file.h"

uint64_t mem_virt_offset;

#ifndef DTB_DIR
#define DTB_DIR "build/unit/dts"
#endif

#define ROOM 4096 /* for the properties a test adds */

static void *tree;
static struct platform plat;
static struct vm_config cfg[MAX_VMS];
static unsigned n_vms;
static char err[256];

static int setup(void **state)
{
	long len;
	void *raw = dtb_file_read(DTB_DIR, "vm-devices", &len);

	tree = malloc(len + ROOM);
	assert_non_null(tree);
	assert_int_equal(fdt_open_into(raw, tree, len + ROOM), 0);
	free(raw);
	assert_int_equal(platform_parse(tree, "arm,pl011", &plat, err, sizeof(err)), 0);
	return 0;
}

static int teardown(void **state)
{
	free(tree);
	return 0;
}

static int parse(void)
{
	memset(err, 0, sizeof(err));
	return vmconfig_parse(tree, &plat, cfg, MAX_VMS, &n_vms, err, sizeof(err));
}

static int node(const char *path)
{
	int off = fdt_path_offset(tree, path);

	assert_true(off >= 0);
	return off;
}

static void set_string(const char *path, const char *prop, const char *value)
{
	assert_int_equal(fdt_setprop_string(tree, node(path), prop, value), 0);
}

static void set_cells(const char *path, const char *prop, const uint32_t *v, unsigned n)
{
	fdt32_t cells[8];
	unsigned i;

	for (i = 0; i < n; i++) {
		cells[i] = cpu_to_fdt32(v[i]);
	}
	assert_int_equal(fdt_setprop(tree, node(path), prop, cells, n * 4), 0);
}

/* The tree as changed must be refused with all of the words. */
static void refused(const char *w0, const char *w1)
{
	if (parse() == 0) {
		fail_msg("accepted; expected a refusal naming \"%s\"", w0);
	}
	if (!strstr(err, w0) || (w1 && !strstr(err, w1))) {
		fail_msg("message \"%s\" does not name \"%s\" and \"%s\"", err, w0, w1 ? w1 : "");
	}
}

#define LINUX_PL061 "/chosen/vm@0/device@0"
#define RTOS_WIDGET "/chosen/vm@1/device@9050000"

static void test_accepted(void **state)
{
	const struct vm_device *d;

	if (parse() != 0) {
		fail_msg("refused: %s", err);
	}
	assert_int_equal(n_vms, 2);

	/* linux: a transport by path, which does DMA, and the PL061 moved. */
	assert_int_equal(cfg[0].n_devices, 2);
	assert_true(cfg[0].direct_map);
	d = &cfg[0].devices[0];
	assert_string_equal(d->name, "/virtio_mmio@a003e00");
	assert_int_equal(pa_addr(d->pa), 0xa003e00);
	assert_int_equal(d->size, 0x200);
	assert_int_equal(d->ipa, 0xa003e00);
	assert_true(d->dma);
	assert_true(d->coherent);
	assert_true(d->node >= 0);
	assert_int_equal(d->n_irqs, 1);
	assert_int_equal(d->irq[0], 79); /* SPI 47 */
	assert_int_equal(d->virq[0], 79); /* free in the VM: the same */
	assert_true(d->edge[0]);
	d = &cfg[0].devices[1];
	assert_string_equal(d->name, "/pl061@9030000");
	assert_int_equal(pa_addr(d->pa), 0x9030000);
	assert_int_equal(d->ipa, 0x9040000);
	assert_false(d->dma);
	assert_int_equal(d->irq[0], 39);
	assert_int_equal(d->virq[0], 39);
	assert_false(d->edge[0]);

	/* rtos: SPI 16 is its watchdog's INTID 48 in the VM: the highest
	 * free one instead; the widget has no host node, its own compatible. */
	assert_int_equal(cfg[1].n_devices, 2);
	assert_true(cfg[1].direct_map);
	d = &cfg[1].devices[0];
	assert_int_equal(d->irq[0], 48);
	assert_int_equal(d->virq[0], 127);
	d = &cfg[1].devices[1];
	assert_string_equal(d->name, "device@9050000");
	assert_int_equal(d->node, -1);
	assert_int_equal(pa_addr(d->pa), 0x9050000);
	assert_int_equal(d->size, 0x1000);
	assert_string_equal(d->compatible, "vendor,widget");
	assert_int_equal(d->irq[0], 41);
	assert_int_equal(d->virq[0], 41);
}

static void test_no_devices(void **state)
{
	assert_int_equal(fdt_delprop(tree, node("/chosen/vm@0"), "vireo,devices"), 0);
	assert_int_equal(fdt_del_node(tree, node(LINUX_PL061)), 0);
	assert_int_equal(parse(), 0);
	assert_int_equal(cfg[0].n_devices, 0);
	assert_false(cfg[0].direct_map);
}

static void test_unknown_path(void **state)
{
	set_string("/chosen/vm@0", "vireo,devices", "/virtio_mmio@a00be00");
	refused("linux", "/virtio_mmio@a00be00: no such node");
}

static void test_not_a_path(void **state)
{
	set_string("/chosen/vm@0", "vireo,devices", "virtio");
	refused("linux", "must list paths");
}

static void test_two_reg_entries(void **state)
{
	set_string("/chosen/vm@0", "vireo,devices", "/intc@8000000");
	refused("linux", "2 \"reg\" entries");
}

static void test_given_twice(void **state)
{
	set_string("/chosen/vm@1", "vireo,devices", "/virtio_mmio@a003e00");
	refused("rtos", "is linux's device /virtio_mmio@a003e00");
}

static void test_given_twice_in_one_vm(void **state)
{
	set_string(LINUX_PL061, "vireo,path", "/virtio_mmio@a003e00");
	set_cells(LINUX_PL061, "vireo,ipa", (const uint32_t[]){ 0, 0xa004000 }, 2);
	refused("linux", "is linux's device /virtio_mmio@a003e00");
}

static void test_shared_interrupt(void **state)
{
	set_cells(RTOS_WIDGET, "interrupts", (const uint32_t[]){ 0, 0x2f, 1 }, 3);
	refused("rtos", "interrupt 79");
}

static void test_ram(void **state)
{
	set_cells(RTOS_WIDGET, "reg", (const uint32_t[]){ 0x40000000, 0x1000 }, 2);
	refused("rtos", "is RAM");
}

static void test_vireos_uart(void **state)
{
	set_cells(RTOS_WIDGET, "reg", (const uint32_t[]){ 0x9000000, 0x1000 }, 2);
	refused("rtos", "console UART, which Vireo uses");
}

static void test_vireos_gic(void **state)
{
	set_cells(RTOS_WIDGET, "reg", (const uint32_t[]){ 0x80a0000, 0x1000 }, 2);
	refused("rtos", "part of the GIC");
}

/* The ITS masters DMA through its tables and is the GIC's: given by path,
 * even moved out of the VM's own ITS's way, it is refused. */
static void test_its(void **state)
{
	set_string(LINUX_PL061, "vireo,path", "/intc@8000000/its@8080000");
	set_cells(LINUX_PL061, "vireo,ipa", (const uint32_t[]){ 0, 0x20000000 }, 2);
	refused("linux", "an interrupt controller's (its@8080000)");
}

static void test_duplicate_interrupt(void **state)
{
	set_cells(RTOS_WIDGET, "interrupts", (const uint32_t[]){ 0, 9, 1, 0, 9, 1 }, 6);
	refused("rtos", "interrupt 41 is listed twice");
}

/* A bus master the tree does not call coherent, named so by hand. */
static void test_vireo_dma(void **state)
{
	assert_int_equal(fdt_delprop(tree, node("/chosen/vm@1"), "vireo,devices"), 0);
	assert_int_equal(parse(), 0);
	assert_false(cfg[1].direct_map);
	assert_int_equal(fdt_setprop(tree, node(RTOS_WIDGET), "vireo,dma", NULL, 0), 0);
	assert_int_equal(parse(), 0);
	assert_true(cfg[1].devices[0].dma);
	assert_false(cfg[1].devices[0].coherent); /* its node in the VM says so */
	assert_true(cfg[1].direct_map);
}

static void test_ppi(void **state)
{
	set_cells(RTOS_WIDGET, "interrupts", (const uint32_t[]){ 1, 14, 4 }, 3);
	refused("rtos", "PPI 14 is private");
}

static void test_uart_interrupt(void **state)
{
	set_cells(RTOS_WIDGET, "interrupts", (const uint32_t[]){ 0, 1, 4 }, 3);
	refused("rtos", "the console UART's");
}

static void test_bad_interrupts(void **state)
{
	set_cells(RTOS_WIDGET, "interrupts", (const uint32_t[]){ 0, 1 }, 2);
	refused("rtos", "three cells");
}

static void test_no_gic(void **state)
{
	plat.gic.version = 0;
	refused("linux", "no GIC");
}

static void test_covers_virtual_device(void **state)
{
	set_cells(LINUX_PL061, "vireo,ipa", (const uint32_t[]){ 0, 0x9000000 }, 2);
	refused("linux", "would cover the VM's pl011");
}

static void test_covers_another_device(void **state)
{
	set_cells(LINUX_PL061, "vireo,ipa", (const uint32_t[]){ 0, 0xa003000 }, 2);
	refused("linux", "would cover device /virtio_mmio@a003e00");
}

static void test_unaligned_page_device(void **state)
{
	set_cells(LINUX_PL061, "vireo,ipa", (const uint32_t[]){ 0, 0x9040800 }, 2);
	refused("linux", "multiple of 4 KiB");
}

static void test_covers_ram(void **state)
{
	/* Without its DMA device, rtos is not direct-mapped: its RAM is at
	 * 0x40000000, where the widget must not go. */
	assert_int_equal(fdt_delprop(tree, node("/chosen/vm@1"), "vireo,devices"), 0);
	set_cells(RTOS_WIDGET, "vireo,ipa", (const uint32_t[]){ 0x40100000 }, 1);
	refused("rtos", "would cover the VM's RAM");
}

static void test_dma_with_ram_ipa(void **state)
{
	set_cells("/chosen/vm@0", "vireo,ram-ipa", (const uint32_t[]){ 0, 0x80000000 }, 2);
	refused("linux", "drop \"vireo,ram-ipa\"");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_accepted),
		T(test_no_devices),
		T(test_unknown_path),
		T(test_not_a_path),
		T(test_two_reg_entries),
		T(test_given_twice),
		T(test_given_twice_in_one_vm),
		T(test_shared_interrupt),
		T(test_ram),
		T(test_vireos_uart),
		T(test_vireos_gic),
		T(test_its),
		T(test_duplicate_interrupt),
		T(test_vireo_dma),
		T(test_ppi),
		T(test_uart_interrupt),
		T(test_bad_interrupts),
		T(test_no_gic),
		T(test_covers_virtual_device),
		T(test_covers_another_device),
		T(test_unaligned_page_device),
		T(test_covers_ram),
		T(test_dma_with_ram_ipa),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
