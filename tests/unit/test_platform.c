/*
 * Unit tests for the device-tree reader (hv/core/platform.c), run natively
 * with the host's libfdt.
 *
 * The trees are the .dts files of tests/unit/dts, compiled by tests/tests.mk into
 * DTB_DIR (build/unit/dts); a directory given as the first argument
 * overrides it. virt-gicv3 and virt-gicv2 are QEMU's own trees, trimmed;
 * the virt-* variants add what QEMU does not produce, pi3-soc is a
 * Raspberry Pi 3B with its devices behind a translating bus, and each bad-*
 * tree breaks one thing, which the error message must name.
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

#include "core/platform.h"
#include "dtb_file.h"

/* platform.c reserves the tree by its physical address (core/mem.h); the
 * host's pointers are their own addresses. */
uint64_t mem_virt_offset;

#ifndef DTB_DIR
#define DTB_DIR "build/unit/dts"
#endif

static const char *dtb_dir = DTB_DIR;

/* The blob being parsed; struct platform points into it. */
static void *blob;

static int free_blob(void **state)
{
	free(blob);
	blob = NULL;
	return 0;
}

static void *load(const char *name)
{
	long len;

	free(blob);
	blob = dtb_file_read(dtb_dir, name, &len);
	return blob;
}

static void parse_ok(const char *name, struct platform *p)
{
	char err[256] = "";
	void *fdt = load(name);

	if (platform_parse(fdt, "arm,pl011", p, err, sizeof(err)) != 0) {
		fail_msg("%s: refused: %s", name, err);
	}
	assert_ptr_equal(p->fdt, fdt);
}

static void expect_range(const char *what, const struct mem_range *r, uint64_t base,
			 uint64_t size)
{
	if (pa_addr(r->base) != base || r->size != size) {
		fail_msg("%s is [%#lx, +%#lx), want [%#lx, +%#lx)", what, pa_addr(r->base), r->size,
			 base, size);
	}
}

static bool is_reserved(const struct platform *p, uint64_t base, uint64_t size)
{
	unsigned i;

	for (i = 0; i < p->n_reserved; i++) {
		if (pa_addr(p->reserved[i].base) == base && p->reserved[i].size == size) {
			return true;
		}
	}
	return false;
}

static void expect_reserved(const struct platform *p, uint64_t base, uint64_t size)
{
	if (!is_reserved(p, base, size)) {
		fail_msg("[%#lx, +%#lx) is not in the %u reserved ranges", base, size,
			 p->n_reserved);
	}
}

/* The tree itself is always reserved, where it lies. */
static void expect_fdt_reserved(const struct platform *p)
{
	expect_reserved(p, (uintptr_t)blob, fdt_totalsize(blob));
}

/* ---- QEMU's trees ------------------------------------------------------------ */

static void test_qemu_gicv3(void **state)
{
	struct platform p;
	const char *end;
	unsigned i;

	parse_ok("virt-gicv3", &p);
	assert_string_equal(p.model, "linux,dummy-virt");
	assert_int_equal(p.wallclock, 0); /* none given */

	assert_int_equal(p.n_ram, 1);
	expect_range("RAM", &p.ram[0], 0x40000000, 0x40000000);

	assert_int_equal(p.n_cpus, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(p.cpu_mpidr[i], i);
	}
	assert_int_equal(p.psci, PSCI_CONDUIT_SMC);
	expect_range("UART", &p.uart, 0x9000000, 0x1000);

	assert_int_equal(p.gic.version, 3);
	expect_range("GICD", &p.gic.dist, 0x8000000, 0x10000);
	expect_range("GICR", &p.gic.redist, 0x80a0000, 0xf60000);
	expect_range("GICC", &p.gic.cpuif, 0, 0);
	expect_range("GICH", &p.gic.hypif, 0, 0);
	assert_int_equal(p.timer_freq, 0);

	/* /chosen has no #address-cells: the module's "reg" has the root's
	 * two-cell sizes, so its size is 3 (a reader using the DT spec's
	 * defaults, 2 and 1, would see size 0 here). */
	assert_int_equal(p.n_modules, 1);
	expect_range("module", &p.modules[0].range, 0x60000000, 3);
	assert_true(p.modules[0].kernel);
	assert_non_null(p.modules[0].bootargs);
	assert_string_equal(p.modules[0].bootargs, "hello");
	end = (const char *)blob + fdt_totalsize(blob);
	assert_true(p.modules[0].bootargs > (const char *)blob && p.modules[0].bootargs < end);

	assert_int_equal(p.n_reserved, 2);
	expect_fdt_reserved(&p);
	expect_reserved(&p, 0x60000000, 3);
}

static void test_qemu_gicv2(void **state)
{
	struct platform p;

	parse_ok("virt-gicv2", &p);
	assert_int_equal(p.gic.version, 2);
	expect_range("GICD", &p.gic.dist, 0x8000000, 0x10000);
	expect_range("GICC", &p.gic.cpuif, 0x8010000, 0x10000);
	expect_range("GICH", &p.gic.hypif, 0x8030000, 0x10000);
	expect_range("GICV", &p.gic.vcpuif, 0x8040000, 0x10000);
	expect_range("GICR", &p.gic.redist, 0, 0);
	assert_int_equal(p.n_cpus, 2);
	assert_int_equal(p.cpu_mpidr[0], 0);
	assert_int_equal(p.cpu_mpidr[1], 1);
	assert_int_equal(p.psci, PSCI_CONDUIT_SMC);
	expect_range("UART", &p.uart, 0x9000000, 0x1000);
	assert_int_equal(p.n_ram, 1);
	expect_range("RAM", &p.ram[0], 0x40000000, 0x40000000);
	assert_int_equal(p.n_modules, 0);
	assert_int_equal(p.n_reserved, 1);
	expect_fdt_reserved(&p);
}

/* ---- variants ----------------------------------------------------------------- */

static void test_reserved_memory(void **state)
{
	struct platform p;
	unsigned i;

	parse_ok("virt-reserved", &p);
	expect_fdt_reserved(&p);
	expect_reserved(&p, 0x48000000, 0x100000);   /* /memreserve/ */
	expect_reserved(&p, 0x7ff00000, 0x1000);     /* /memreserve/ */
	expect_reserved(&p, 0x4e000000, 0x200000);   /* /reserved-memory, 1-cell */
	expect_reserved(&p, 0x7fe00000, 0x100000);
	expect_reserved(&p, 0x60000000, 3);          /* the module */
	assert_int_equal(p.n_reserved, 6);
	for (i = 0; i < p.n_reserved; i++) {
		assert_int_not_equal(p.reserved[i].size, 0x4000000); /* linux,cma has no reg */
	}
	/* Reserved memory is still RAM. */
	assert_int_equal(p.n_ram, 1);
	expect_range("RAM", &p.ram[0], 0x40000000, 0x40000000);
}

static void test_console_alias(void **state)
{
	struct platform p;

	parse_ok("virt-console-alias", &p);
	expect_range("UART", &p.uart, 0x9040000, 0x1000);
}

static void test_console_path(void **state)
{
	struct platform p;

	parse_ok("virt-console-path", &p);
	expect_range("UART", &p.uart, 0x9040000, 0x1000);
}

static void test_modules_sorted(void **state)
{
	struct platform p;

	parse_ok("virt-modules", &p);
	assert_int_equal(p.n_modules, 3);
	expect_range("module 0", &p.modules[0].range, 0x48000000, 0x200000);
	assert_false(p.modules[0].kernel);
	assert_null(p.modules[0].bootargs);
	expect_range("module 1", &p.modules[1].range, 0x50000000, 0x1000);
	assert_true(p.modules[1].kernel);
	assert_string_equal(p.modules[1].bootargs, "second vm");
	expect_range("module 2", &p.modules[2].range, 0x60000000, 3);
	assert_true(p.modules[2].kernel);
	assert_string_equal(p.modules[2].bootargs, "hello");
	assert_int_equal(p.wallclock, 1893553445); /* 2030-01-02T03:04:05Z */

	expect_reserved(&p, 0x48000000, 0x200000);
	expect_reserved(&p, 0x50000000, 0x1000);
	expect_reserved(&p, 0x60000000, 3);
	expect_fdt_reserved(&p);
	assert_int_equal(p.n_reserved, 4);
	assert_false(is_reserved(&p, 0x70000000, 0x100000)); /* not a module */
}

static void test_topology(void **state)
{
	static const uint64_t mpidrs[] = {
		0x0, 0x1, 0x2, 0x3, 0xff00ffffff, 0x100000000, 0x10100, 0x100,
	};
	struct platform p;
	unsigned i;

	parse_ok("virt-topology", &p);
	assert_int_equal(p.n_ram, 3);
	expect_range("bank 0", &p.ram[0], 0x40000000, 0x20000000);
	expect_range("bank 1", &p.ram[1], 0x80000000, 0x10000000);
	expect_range("bank 2", &p.ram[2], 0x100000000, 0x40000000);
	/* Ten CPU nodes and a cache node: the first MAX_CPUS CPUs, in order. */
	assert_int_equal(MAX_CPUS, 8);
	assert_int_equal(p.n_cpus, 8);
	for (i = 0; i < 8; i++) {
		if (p.cpu_mpidr[i] != mpidrs[i]) {
			fail_msg("cpu %u: mpidr %#lx, want %#lx", i, p.cpu_mpidr[i], mpidrs[i]);
		}
	}
	assert_int_equal(p.timer_freq, 62500000);
}

/* The Pi's devices are on a bus whose 0x7e000000 is the CPU's 0x3f000000;
 * its RAM is at 0, written in the root's one-cell sizes. */
static void test_pi3_soc(void **state)
{
	struct platform p;

	parse_ok("pi3-soc", &p);
	assert_string_equal(p.model, "Raspberry Pi 3 Model B Rev 1.2");
	assert_int_equal(p.n_ram, 1);
	expect_range("RAM", &p.ram[0], 0x0, 0x3b400000);
	assert_int_equal(p.n_cpus, 2);
	assert_int_equal(p.psci, PSCI_CONDUIT_NONE);
	/* serial0, not the mini UART before it. */
	expect_range("UART", &p.uart, 0x3f201000, 0x200);
	assert_string_equal(fdt_get_name(p.fdt, p.uart_node, NULL), "serial@7e201000");
	assert_int_equal(p.gic.version, 2);
	expect_range("GICD", &p.gic.dist, 0x3f841000, 0x1000);
	expect_range("GICC", &p.gic.cpuif, 0x3f842000, 0x2000);
	expect_range("GICH", &p.gic.hypif, 0x3f844000, 0x2000);
	expect_range("GICV", &p.gic.vcpuif, 0x3f846000, 0x2000);
	assert_int_equal(p.n_modules, 0);
}

/* A machine without a GIC is no error here: the board's irqchip decides
 * (a Raspberry Pi's interrupt controllers are not GICs). */
static void test_no_gic(void **state)
{
	struct platform p;

	parse_ok("no-gic", &p);
	assert_int_equal(p.gic.version, 0);
	expect_range("GICD", &p.gic.dist, 0, 0);
}

/* ---- broken trees -------------------------------------------------------------- */

struct bad_case {
	const char *name;
	const char *words[3]; /* all must appear in the message */
};

static const struct bad_case bad_cases[] = {
	{ "bad-no-memory", { "memory", "\"reg\"" } },
	{ "bad-memory-no-reg", { "memory", "\"reg\"" } },
	{ "bad-memory-banks", { "memory@40000000", "memory banks" } },
	{ "bad-psci-hvc", { "psci", "\"method\"", "hvc" } },
	{ "bad-psci-no-method", { "psci", "\"method\"" } },
	{ "bad-no-pl011", { "console UART", "arm,pl011" } },
	{ "bad-gicv2-no-virt", { "intc@8000000", "\"reg\"", "GICH" } },
	{ "bad-gicv3-one-reg", { "intc@8000000", "\"reg\"", "redistributor" } },
	{ "bad-cpu-no-reg", { "/cpus/cpu@2", "\"reg\"" } },
	{ "bad-no-cpus", { "/cpus" } },
	{ "bad-module-no-reg", { "/chosen/module@0x60000000", "\"reg\"" } },
	{ "bad-uart-no-ranges", { "pl011@9040000", "\"reg\"", "\"ranges\"" } },
	{ "bad-wallclock", { "/chosen", "\"vireo,wallclock\"", "64-bit" } },
};

static void expect_refused(const char *what, const void *fdt, const char *const *words,
			   unsigned nwords)
{
	struct platform p;
	char err[256];
	unsigned i;

	memset(err, 'X', sizeof(err));
	if (platform_parse(fdt, "arm,pl011", &p, err, sizeof(err)) != -1) {
		fail_msg("%s: accepted", what);
	}
	if (!memchr(err, '\0', sizeof(err))) {
		fail_msg("%s: message not terminated", what);
	}
	for (i = 0; i < nwords && words[i]; i++) {
		if (!strstr(err, words[i])) {
			fail_msg("%s: message \"%s\" does not mention %s", what, err, words[i]);
		}
	}
}

static void test_broken_trees(void **state)
{
	unsigned i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		expect_refused(c->name, load(c->name), c->words, 3);
	}
}

static void test_bad_header(void **state)
{
	static const char *const magic[] = { "header", "FDT_ERR_BADMAGIC" };
	static const char *const version[] = { "header", "FDT_ERR_BADVERSION" };
	static uint32_t junk[64];
	uint32_t x = 0x2545f491;
	unsigned i;

	/* Random bytes (xorshift; the first word is not the FDT magic). */
	for (i = 0; i < 64; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = x;
	}
	assert_int_not_equal(fdt_magic(junk), FDT_MAGIC);
	expect_refused("random bytes", junk, magic, 2);
	memset(junk, 0, sizeof(junk));
	expect_refused("zeros", junk, magic, 2);

	/* A real tree claiming an unsupported version. */
	load("virt-gicv3");
	fdt_set_version(blob, 1);
	expect_refused("version 1", blob, version, 2);
}

static void test_short_error_buffer(void **state)
{
	struct platform p;
	char err[12];

	memset(err, 'X', sizeof(err));
	assert_int_equal(platform_parse(load("bad-psci-hvc"), "arm,pl011", &p, err, 8), -1);
	assert_int_equal(strlen(err), 7);
	assert_memory_equal(err, "psci: \"", 7);
	assert_int_equal(err[8], 'X');
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_teardown(f, free_blob)
	const struct CMUnitTest tests[] = {
		T(test_qemu_gicv3),
		T(test_qemu_gicv2),
		T(test_reserved_memory),
		T(test_console_alias),
		T(test_console_path),
		T(test_modules_sorted),
		T(test_topology),
		T(test_pi3_soc),
		T(test_no_gic),
		T(test_broken_trees),
		T(test_bad_header),
		T(test_short_error_buffer),
	};
#undef T

	if (argc > 1) {
		dtb_dir = argv[1];
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
