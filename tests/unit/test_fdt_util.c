/*
 * Unit tests for the shared device-tree helpers (hv/core/fdt_util.c), run
 * natively with the host's libfdt.
 *
 * The trees are tests/unit/dts/fdt-*.dts, compiled by tests/tests.mk into
 * DTB_DIR (build/unit/dts); a directory given as the first argument
 * overrides it. fdt-pi is the Raspberry Pi 3B's bus layout, fdt-nested has
 * buses inside buses and 2-cell windows, fdt-bad-ranges has only buses
 * whose devices must be refused, and fdt-props the strings and cell sizes.
 * Each device is looked up by its full path, so a test names exactly the
 * node its comment in the .dts describes.
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

#include "core/fdt_util.h"
#include "core/platform.h"
#include "dtb_file.h"

#ifndef DTB_DIR
#define DTB_DIR "build/unit/dts"
#endif

static const char *dtb_dir = DTB_DIR;

/* The blob being read. */
static void *blob;

static int free_blob(void **state)
{
	free(blob);
	blob = NULL;
	return 0;
}

static void load(const char *name)
{
	long len;

	free(blob);
	blob = dtb_file_read(dtb_dir, name, &len);
	assert_int_equal(fdt_check_header(blob), 0);
}

static int node(const char *path)
{
	int off = fdt_path_offset(blob, path);

	if (off < 0) {
		fail_msg("%s: no such node", path);
	}
	return off;
}

/* Entry idx of path's "reg" is [base, base + size) as the CPU sees it. */
static void expect_cpu(const char *path, int idx, uint64_t base, uint64_t size)
{
	struct mem_range r = { pa(0xdead), 0xbeef };
	int rc = fdt_util_reg_cpu(blob, node(path), idx, &r);

	if (rc != 0) {
		fail_msg("%s reg[%d]: refused: %s", path, idx, fdt_util_strerror(rc));
	}
	if (pa_addr(r.base) != base || r.size != size) {
		fail_msg("%s reg[%d] is [%#lx, +%#lx), want [%#lx, +%#lx)", path, idx,
			 pa_addr(r.base), r.size, base, size);
	}
}

/* Entry idx of path's "reg" is refused with err, and *r left alone. */
static void expect_refused(const char *path, int idx, int err)
{
	struct mem_range r = { pa(0xdead), 0xbeef };
	int rc = fdt_util_reg_cpu(blob, node(path), idx, &r);

	if (rc != err) {
		fail_msg("%s reg[%d]: got %d (%s), want %d (%s)", path, idx, rc,
			 fdt_util_strerror(rc), err, fdt_util_strerror(err));
	}
	assert_int_equal(pa_addr(r.base), 0xdead);
	assert_int_equal(r.size, 0xbeef);
}

/* Entry idx of path's "reg" as written, untranslated. */
static void expect_raw(const char *path, int idx, uint64_t base, uint64_t size)
{
	struct mem_range r;

	assert_int_equal(fdt_util_reg(blob, node(path), idx, &r), 0);
	if (pa_addr(r.base) != base || r.size != size) {
		fail_msg("%s raw reg[%d] is [%#lx, +%#lx), want [%#lx, +%#lx)", path, idx,
			 pa_addr(r.base), r.size, base, size);
	}
}

/* ---- the Raspberry Pi 3B ------------------------------------------------------ */

static void test_pi_soc(void **state)
{
	load("fdt-pi");
	/* The PL011: bus address 0x7e201000, CPU address 0x3f201000. */
	expect_raw("/soc/serial@7e201000", 0, 0x7e201000, 0x200);
	expect_cpu("/soc/serial@7e201000", 0, 0x3f201000, 0x200);
	/* The local interrupt controller's window maps one to one. */
	expect_cpu("/soc/local_intc@40000000", 0, 0x40000000, 0x100);
	/* Every entry is translated, up to the window's last byte. */
	expect_cpu("/soc/dma@7e007000", 0, 0x3f007000, 0xf00);
	expect_cpu("/soc/dma@7e007000", 1, 0x3ffff000, 0x1000);
	expect_refused("/soc/dma@7e007000", 2, FDT_UTIL_EREG);
}

static void test_pi_outside(void **state)
{
	load("fdt-pi");
	expect_refused("/soc/outside@7f000000", 0, FDT_UTIL_EUNMAPPED);
	expect_refused("/soc/cpu-address@3f201000", 0, FDT_UTIL_EUNMAPPED);
	/* Its first page is in the window, its second not: all or nothing. */
	expect_refused("/soc/straddle@7efff000", 0, FDT_UTIL_EUNMAPPED);
}

/* ---- nested buses and 2-cell addresses ------------------------------------------ */

static void test_nested(void **state)
{
	load("fdt-nested");
	/* inner's 0x100 is bus@f0000000's 0x8100, the CPU's 0xf0008100. */
	expect_raw("/bus@f0000000/inner@8000/uart@100", 0, 0x100, 0x100);
	expect_cpu("/bus@f0000000/inner@8000/uart@100", 0, 0xf0008100, 0x100);
	/* Past inner's window, though inside the outer bus's. */
	expect_refused("/bus@f0000000/inner@8000/beyond@1000", 0, FDT_UTIL_EUNMAPPED);
	/* The inner bus itself, read on the outer bus. */
	expect_refused("/bus@f0000000/inner@8000", 0, FDT_UTIL_EREG);
	expect_cpu("/device@9000000", 0, 0x9000000, 0x1000);
}

static void test_empty_ranges(void **state)
{
	load("fdt-nested");
	/* identity@20000's "ranges;" passes 0x20040 through; the outer bus
	 * then maps it. */
	expect_cpu("/bus@f0000000/identity@20000/dev@20040", 0, 0xf0020040, 0x40);
}

static void test_two_cells(void **state)
{
	load("fdt-nested");
	expect_cpu("/bus@810000000/dev@10001000", 0, 0x810001000, 0x1000);
	expect_cpu("/bus@810000000/big@180000000", 0, 0x1080000000, 0x80000000);
	expect_refused("/bus@810000000/gap@20000000", 0, FDT_UTIL_EUNMAPPED);
}

static void test_top_of_address_space(void **state)
{
	load("fdt-nested");
	expect_cpu("/bus@fffffffffffff000/fits@0", 0, 0xfffffffffffff000, 0x800);
	/* 0xffff_ffff_ffff_f000 + 0x1000 + 0x800 would wrap past 2^64. */
	expect_refused("/bus@fffffffffffff000/wraps@1000", 0, FDT_UTIL_EBADRANGES);
}

/* ---- buses that do not reach the CPU --------------------------------------------- */

static void test_missing_ranges(void **state)
{
	load("fdt-bad-ranges");
	expect_refused("/no-ranges/dev@1000", 0, FDT_UTIL_ENORANGES);
	/* The bus without "ranges" is the second one up. */
	expect_refused("/outer/inner/dev@1000", 0, FDT_UTIL_ENORANGES);
	/* Read as written, the entries are still there. */
	expect_raw("/no-ranges/dev@1000", 0, 0x1000, 0x100);
}

static void test_malformed_ranges(void **state)
{
	load("fdt-bad-ranges");
	expect_refused("/short-ranges/dev@0", 0, FDT_UTIL_EBADRANGES);
	expect_refused("/long-ranges/dev@0", 0, FDT_UTIL_EBADRANGES);
	expect_refused("/byte-ranges/dev@0", 0, FDT_UTIL_EBADRANGES);
	expect_refused("/wide/narrow/dev@0", 0, FDT_UTIL_EBADRANGES);
	expect_refused("/short-size-cells/inner/dev@0", 0, FDT_UTIL_EBADRANGES);
}

static void test_strerror(void **state)
{
	static const int codes[] = {
		FDT_UTIL_EREG,	    FDT_UTIL_ENORANGES, FDT_UTIL_EBADRANGES,
		FDT_UTIL_EUNMAPPED, FDT_UTIL_EBADTREE,
	};
	unsigned i, j;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		assert_string_not_equal(fdt_util_strerror(codes[i]), "unknown error");
		for (j = 0; j < i; j++) {
			assert_string_not_equal(fdt_util_strerror(codes[i]),
						fdt_util_strerror(codes[j]));
		}
	}
	assert_string_equal(fdt_util_strerror(-99), "unknown error");
}

/* ---- strings, cells and raw "reg" ------------------------------------------------ */

static void test_strings(void **state)
{
	int n;

	load("fdt-props");
	n = node("/strings");
	assert_string_equal(fdt_util_string(blob, n, "list"), "first");
	assert_string_equal(fdt_util_string(blob, n, "empty"), "");
	assert_null(fdt_util_string(blob, n, "unterminated"));
	assert_null(fdt_util_string(blob, n, "missing"));
}

static void test_cells(void **state)
{
	const fdt32_t *cell, *start;
	int len;

	load("fdt-props");
	start = fdt_getprop(blob, node("/strings"), "cells", &len);
	assert_non_null(start);
	assert_int_equal(len, 8);
	cell = start;
	assert_int_equal(fdt_util_cells(&cell, 2), 0x123456789abcdef0);
	assert_ptr_equal(cell, start + 2);
	cell = start;
	assert_int_equal(fdt_util_cells(&cell, 1), 0x12345678);
	assert_int_equal(fdt_util_cells(&cell, 1), 0x9abcdef0);
	assert_int_equal(fdt_util_cells(&cell, 0), 0);
	assert_ptr_equal(cell, start + 2);
}

static void test_inherited_cells(void **state)
{
	load("fdt-props");
	/* /inherits has none of its own: the root's 2 and 2. */
	assert_int_equal(fdt_util_address_cells(blob, node("/inherits")), 2);
	assert_int_equal(fdt_util_size_cells(blob, node("/inherits")), 2);
	assert_int_equal(fdt_util_address_cells(blob, node("/inherits/sizes")), 1);
	assert_int_equal(fdt_util_size_cells(blob, node("/inherits/sizes")), 0);
	assert_int_equal(fdt_util_address_cells(blob, node("/short-cells")), -1);
	/* Its #size-cells is the root's. */
	assert_int_equal(fdt_util_size_cells(blob, node("/short-cells")), 2);
}

static void test_raw_reg(void **state)
{
	struct mem_range r;

	load("fdt-props");
	/* Two whole entries in the root's 2+2 cells; the ninth cell is not one. */
	assert_int_equal(fdt_util_reg_count(blob, node("/inherits/dev@0")), 2);
	expect_raw("/inherits/dev@0", 0, 0x100000002, 0x300000004);
	expect_raw("/inherits/dev@0", 1, 0x500000006, 0x700000008);
	assert_int_equal(fdt_util_reg(blob, node("/inherits/dev@0"), 2, &r), FDT_UTIL_EREG);
	assert_int_equal(fdt_util_reg(blob, node("/inherits/dev@0"), -1, &r), FDT_UTIL_EREG);
	assert_int_equal(fdt_util_reg(blob, node("/inherits/dev@0"), 0x7fffffff, &r),
			 FDT_UTIL_EREG);
	/* No size cells: a size of 0. */
	assert_int_equal(fdt_util_reg_count(blob, node("/inherits/sizes/id@7")), 2);
	expect_raw("/inherits/sizes/id@7", 1, 0x8, 0);
	/* An unusable #address-cells makes "reg" unreadable. */
	assert_int_equal(fdt_util_reg(blob, node("/short-cells/dev@0"), 0, &r), FDT_UTIL_EREG);
	assert_int_equal(fdt_util_reg_cpu(blob, node("/short-cells/dev@0"), 0, &r),
			 FDT_UTIL_EREG);
	/* No "reg" at all. */
	assert_int_equal(fdt_util_reg_count(blob, node("/strings")), 0);
	assert_int_equal(fdt_util_reg(blob, node("/strings"), 0, &r), FDT_UTIL_EREG);
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_teardown(f, free_blob)
	const struct CMUnitTest tests[] = {
		T(test_pi_soc),
		T(test_pi_outside),
		T(test_nested),
		T(test_empty_ranges),
		T(test_two_cells),
		T(test_top_of_address_space),
		T(test_missing_ranges),
		T(test_malformed_ranges),
		T(test_strerror),
		T(test_strings),
		T(test_cells),
		T(test_inherited_cells),
		T(test_raw_reg),
	};
#undef T

	if (argc > 1) {
		dtb_dir = argv[1];
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
