/*
 * Unit tests for the VM configuration reader (hv/vmconfig.c), run natively
 * with the host's libfdt, on top of the device-tree reader it needs
 * (hv/platform.c).
 *
 * The trees are the .dts files of tests/unit/dts, compiled by tests/tests.mk
 * into DTB_DIR (build/unit/dts); a directory given as the first argument
 * overrides it. vm-two is QEMU's GICv3 machine with two VM nodes,
 * vm-defaults one VM node with only what it must have, and each bad-vm-*
 * tree breaks one thing in vm-two, which the error message must name. The
 * boundary cases are made by editing vm-two with libfdt instead. Unless a
 * test names the CPUs (vmconfig_parse_on()), every CPU the tree lists is
 * online.
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

/* platform.c reserves the tree by its physical address (core/mem.h); the
 * host's pointers are their own addresses. */
uint64_t mem_virt_offset;

#ifndef DTB_DIR
#define DTB_DIR "build/unit/dts"
#endif

#define MiB (1UL << 20)

static const char *dtb_dir = DTB_DIR;

/* The blob being parsed, with room to grow; the results point into it. */
static void *blob;
#define BLOB_SLACK 4096

static int free_blob(void **state)
{
	free(blob);
	blob = NULL;
	return 0;
}

static void *load(const char *name)
{
	long len;
	void *raw = dtb_file_read(dtb_dir, name, &len);

	free(blob);
	blob = malloc(len + BLOB_SLACK);
	assert_non_null(blob);
	assert_int_equal(fdt_open_into(raw, blob, len + BLOB_SLACK), 0);
	free(raw);
	return blob;
}

static void platform_ok(struct platform *p)
{
	char err[256] = "";

	if (platform_parse(blob, "arm,pl011", p, err, sizeof(err)) != 0) {
		fail_msg("platform refused: %s", err);
	}
}

/* n CPUs, those in online up. */
static struct host_cpus host_cpus(unsigned n, uint32_t online)
{
	return (struct host_cpus){ .n = n, .online = online };
}

/* Parses the loaded tree on these CPUs (NULL: every CPU the tree lists,
 * online), which must be accepted; returns the VM count. */
static unsigned parse_ok_on(const char *what, const struct host_cpus *cpus,
			    struct vm_config *cfg)
{
	struct platform p;
	char err[256] = "";
	unsigned n = ~0u;
	int rc;

	platform_ok(&p);
	rc = cpus ? vmconfig_parse_on(blob, &p, cpus, cfg, MAX_VMS, &n, err, sizeof(err))
		  : vmconfig_parse(blob, &p, cfg, MAX_VMS, &n, err, sizeof(err));
	if (rc != 0) {
		fail_msg("%s: refused: %s", what, err);
	}
	assert_true(n <= MAX_VMS);
	return n;
}

static unsigned parse_ok(const char *what, struct vm_config *cfg)
{
	return parse_ok_on(what, NULL, cfg);
}

static void expect_range(const char *what, const struct mem_range *r, uint64_t base,
			 uint64_t size)
{
	if (pa_addr(r->base) != base || r->size != size) {
		fail_msg("%s is [%#lx, +%#lx), want [%#lx, +%#lx)", what, pa_addr(r->base), r->size,
			 base, size);
	}
}

/* A string that must lie in the blob, as the tree's own property does. */
static void expect_in_blob(const char *s, const char *want)
{
	assert_non_null(s);
	assert_string_equal(s, want);
	assert_true(s > (const char *)blob &&
		    s < (const char *)blob + fdt_totalsize(blob));
}

/* Refusal of the loaded tree (as p describes it, or as platform_parse()
 * reads it if p is NULL; on cpus, or on all the tree's if NULL), with all
 * the words in the message. */
static void expect_refused_on(const char *what, struct platform *p,
			      const struct host_cpus *cpus, unsigned max,
			      const char *const *words, unsigned nwords)
{
	struct vm_config cfg[MAX_VMS];
	struct platform own;
	char err[256];
	unsigned n, i;
	int rc;

	if (!p) {
		platform_ok(&own);
		p = &own;
	}
	memset(err, 'X', sizeof(err));
	rc = cpus ? vmconfig_parse_on(blob, p, cpus, cfg, max, &n, err, sizeof(err))
		  : vmconfig_parse(blob, p, cfg, max, &n, err, sizeof(err));
	if (rc != -1) {
		fail_msg("%s: accepted (%u VMs)", what, n);
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

static void expect_refused_p(const char *what, struct platform *p, unsigned max,
			     const char *const *words, unsigned nwords)
{
	expect_refused_on(what, p, NULL, max, words, nwords);
}

static void expect_refused(const char *what, const char *w0, const char *w1)
{
	const char *const words[] = { w0, w1 };

	expect_refused_p(what, NULL, MAX_VMS, words, 2);
}

/* ---- accepted configurations ---------------------------------------------------- */

static void test_two_vms(void **state)
{
	struct vm_config cfg[MAX_VMS];

	load("vm-two");
	assert_int_equal(parse_ok("vm-two", cfg), 2);

	assert_string_equal(cfg[0].name, "linux");
	assert_int_equal(cfg[0].mem_size, 256 * MiB);
	assert_int_equal(cfg[0].nr_vcpus, 2);
	assert_int_equal(cfg[0].cpu_of[0], 0);
	assert_int_equal(cfg[0].cpu_of[1], 1);
	expect_range("linux kernel", &cfg[0].kernel, 0x50000000, 0x1400000);
	expect_range("linux ramdisk", &cfg[0].ramdisk, 0x52000000, 0x800000);
	expect_in_blob(cfg[0].bootargs, "console=ttyAMA0 rdinit=/init");

	/* One-cell addresses, sizes and memory; "vireo,cpus" absent: one. */
	assert_string_equal(cfg[1].name, "rtos_1");
	assert_int_equal(cfg[1].mem_size, 4 * MiB);
	assert_int_equal(cfg[1].nr_vcpus, 1);
	assert_int_equal(cfg[1].cpu_of[0], 2); /* after linux's two */
	expect_range("rtos_1 kernel", &cfg[1].kernel, 0x58000000, 0x21000);
	expect_range("rtos_1 ramdisk", &cfg[1].ramdisk, 0, 0);
	assert_null(cfg[1].bootargs);
}

static void test_vm_defaults(void **state)
{
	struct vm_config cfg[MAX_VMS];

	load("vm-defaults");
	/* The bare module in /chosen is no VM when VM nodes exist. */
	assert_int_equal(parse_ok("vm-defaults", cfg), 1);
	assert_string_equal(cfg[0].name, "0_plain-vm");
	assert_int_equal(cfg[0].mem_size, VM_DEFAULT_MEM);
	assert_int_equal(cfg[0].mem_size, 64 * MiB);
	assert_int_equal(cfg[0].nr_vcpus, 1);
	assert_int_equal(cfg[0].cpu_of[0], 0);
	assert_int_equal(cfg[0].restart_limit, 5);
	assert_int_equal(cfg[0].restart_window, 60);
	assert_true(cfg[0].watchdog);
	assert_false(cfg[0].its); /* no ITS unless asked for */
	/* Two address cells and one size cell when the VM node says nothing. */
	expect_range("kernel", &cfg[0].kernel, 0x48000000, 0x200000);
	expect_range("ramdisk", &cfg[0].ramdisk, 0, 0);
	assert_null(cfg[0].bootargs);
}

/* Without VM nodes, each kernel module in /chosen is a VM with defaults,
 * named by its place in address order. */
static void test_bare_modules(void **state)
{
	struct vm_config cfg[MAX_VMS];
	unsigned i;

	load("virt-modules");
	assert_int_equal(parse_ok("virt-modules", cfg), 2);
	for (i = 0; i < 2; i++) {
		char name[8];

		snprintf(name, sizeof(name), "vm%u", i);
		assert_string_equal(cfg[i].name, name);
		assert_int_equal(cfg[i].mem_size, 64 * MiB);
		assert_int_equal(cfg[i].nr_vcpus, 1);
		assert_int_equal(cfg[i].cpu_of[0], i);
		assert_true(cfg[i].watchdog);
		assert_false(cfg[i].its);
		assert_int_equal(cfg[i].restart_limit, VM_DEFAULT_RESTART_LIMIT);
		expect_range("ramdisk", &cfg[i].ramdisk, 0, 0);
	}
	/* The module at 0x48000000 is not a kernel: no VM. */
	expect_range("vm0 kernel", &cfg[0].kernel, 0x50000000, 0x1000);
	expect_in_blob(cfg[0].bootargs, "second vm");
	expect_range("vm1 kernel", &cfg[1].kernel, 0x60000000, 3);
	expect_in_blob(cfg[1].bootargs, "hello");

	/* QEMU's tree as it comes: one VM. */
	load("virt-gicv3");
	assert_int_equal(parse_ok("virt-gicv3", cfg), 1);
	assert_string_equal(cfg[0].name, "vm0");
	expect_range("vm0 kernel", &cfg[0].kernel, 0x60000000, 3);

	/* No module, no VM node: nothing to run, which is no error here. */
	load("virt-gicv2");
	assert_int_equal(parse_ok("virt-gicv2", cfg), 0);
}

/* Bare modules need a CPU each too. */
/* More vCPUs than CPUs: they share, the least loaded CPU first. */
static void test_bare_modules_cpus(void **state)
{
	struct vm_config cfg[MAX_VMS];
	struct platform p;
	char err[256];
	unsigned n;

	load("virt-modules");
	platform_ok(&p);
	p.n_cpus = 1;
	assert_int_equal(vmconfig_parse(blob, &p, cfg, MAX_VMS, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cfg[0].cpu_of[0], 0);
	assert_int_equal(cfg[1].cpu_of[0], 0);
}

/* Affinity, RAM placement and crash policy as configured. */
static void test_placement(void **state)
{
	struct vm_config cfg[MAX_VMS];

	load("vm-placement");
	assert_int_equal(parse_ok("vm-placement", cfg), 2);
	assert_int_equal(cfg[0].affinity, 0xc);
	assert_int_equal(cfg[0].cpu_of[0], 2);
	assert_int_equal(cfg[0].cpu_of[1], 3);
	assert_int_equal(cfg[0].ram_ipa, VM_DEFAULT_RAM_IPA);
	assert_int_equal(cfg[0].on_crash, CRASH_STOP);
	assert_int_equal(cfg[0].restart_limit, VM_DEFAULT_RESTART_LIMIT);
	assert_int_equal(cfg[0].restart_window, VM_DEFAULT_RESTART_WINDOW);
	assert_false(cfg[0].watchdog);
	assert_true(cfg[0].its);
	/* rtos_1 may run anywhere: CPU 0 is the least loaded. */
	assert_int_equal(cfg[1].affinity, 0xf);
	assert_int_equal(cfg[1].cpu_of[0], 0);
	assert_int_equal(cfg[1].ram_ipa, 0x80000000UL);
	assert_int_equal(cfg[1].on_crash, CRASH_RESTART);
	assert_int_equal(cfg[1].restart_limit, 3);
	assert_int_equal(cfg[1].restart_window, 10);
	assert_true(cfg[1].watchdog);
	assert_false(cfg[1].its);
}

/* ---- refused configurations --------------------------------------------------- */

struct bad_case {
	const char *name;
	const char *words[4]; /* all must appear in the message */
};

static const struct bad_case bad_cases[] = {
	{ "bad-vm-name-chars", { "/chosen/vm@1", "\"vireo,name\"" } },
	{ "bad-vm-name-long", { "/chosen/vm@1", "\"vireo,name\"" } },
	{ "bad-vm-name-dup", { "linux", "two VMs", "name" } },
	{ "bad-vm-memory-align", { "linux", "\"vireo,memory\"", "0x10100000", "2 MiB" } },
	{ "bad-vm-memory-zero", { "rtos_1", "\"vireo,memory\"" } },
	{ "bad-vm-cpus-zero", { "rtos_1", "\"vireo,cpus\"" } },
	{ "bad-vm-cpus-many", { "linux", "\"vireo,cpus\"", "1 to 8" } },
	{ "bad-vm-affinity", { "rtos_1", "\"vireo,affinity\"", "CPU 7", "has 4" } },
	{ "bad-vm-on-crash", { "linux", "\"vireo,on-crash\"", "reboot", "\"restart\"" } },
	{ "bad-vm-ram-ipa", { "rtos_1", "\"vireo,ram-ipa\"", "0x8000000", "overlap" } },
	{ "bad-vm-watchdog", { "rtos_1", "\"vireo,watchdog\"", "\"yes\"", "\"off\"" } },
	{ "bad-vm-its", { "linux", "\"vireo,its\"", "\"maybe\"", "\"off\"" } },
	{ "bad-vm-its-gicv2", { "msi", "\"vireo,its\"", "GICv3", "GICv2" } },
	{ "bad-vm-restart-limit", { "linux", "\"vireo,restart-limit\"", "<5 0>", "<0 0>" } },
	{ "bad-vm-restart-limit-cells", { "rtos_1", "\"vireo,restart-limit\"", "two cells" } },
	{ "bad-vm-no-kernel", { "rtos_1", "\"multiboot,kernel\"" } },
	{ "bad-vm-module-outside-ram", { "rtos_1/module@90000000", "\"reg\"", "0x90000000",
					 "not in RAM" } },
	{ "bad-vm-second-kernel", { "linux/module@54000000", "second kernel" } },
};

static void test_broken_configs(void **state)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		load(c->name);
		expect_refused_p(c->name, NULL, MAX_VMS, c->words, 4);
	}
}

/* More VM nodes than the caller has room for. */
static void test_too_many_vms(void **state)
{
	static const char *const words[] = { "/chosen/vm@1", "more than 1" };
	struct vm_config cfg[2];
	struct platform p;
	char err[256];
	unsigned n;

	load("vm-two");
	platform_ok(&p);
	expect_refused_p("two VMs, room for one", &p, 1, words, 2);
	/* Room for exactly two is enough. */
	assert_int_equal(vmconfig_parse(blob, &p, cfg, 2, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
}

/* ---- boundaries, by editing vm-two ---------------------------------------------- */

static int node(const char *path)
{
	int off = fdt_path_offset(blob, path);

	if (off < 0) {
		fail_msg("%s: %s", path, fdt_strerror(off));
	}
	return off;
}

static void set_string(const char *path, const char *prop, const char *val)
{
	assert_int_equal(fdt_setprop_string(blob, node(path), prop, val), 0);
}

static void set_cells(const char *path, const char *prop, unsigned n, ...)
{
	fdt32_t cells[4];
	va_list ap;
	unsigned i;

	assert_true(n <= 4);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	}
	va_end(ap);
	assert_int_equal(fdt_setprop(blob, node(path), prop, cells, n * 4), 0);
}

static void test_names(void **state)
{
	static const char *const good[] = { "abcdefghijklmno", "a", "0", "_", "-", "z9_-a" };
	static const char *const bad[] = {
		"",     "abcdefghijklmnop", "Linux", "a b", "a.b", "vm/1", "vm@1", "a,b",
		"tab\t", "\xc3\xa9",        "~",
	};
	struct vm_config cfg[MAX_VMS];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		load("vm-two");
		set_string("/chosen/vm@1", "vireo,name", good[i]);
		assert_int_equal(parse_ok(good[i], cfg), 2);
		assert_string_equal(cfg[1].name, good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char what[64];

		snprintf(what, sizeof(what), "name \"%s\"", bad[i]);
		load("vm-two");
		set_string("/chosen/vm@1", "vireo,name", bad[i]);
		expect_refused(what, "/chosen/vm@1", "\"vireo,name\"");
	}
	/* No name at all. */
	load("vm-two");
	assert_int_equal(fdt_delprop(blob, node("/chosen/vm@0"), "vireo,name"), 0);
	expect_refused("no name", "/chosen/vm@0", "\"vireo,name\"");
	/* A name that begins like another is another name. */
	load("vm-two");
	set_string("/chosen/vm@1", "vireo,name", "linux2");
	assert_int_equal(parse_ok("linux and linux2", cfg), 2);
}

static void test_memory(void **state)
{
	struct vm_config cfg[MAX_VMS];

	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 2, 0x1, 0x0);
	assert_int_equal(parse_ok("4 GiB", cfg), 2);
	assert_int_equal(cfg[0].mem_size, 0x100000000UL);

	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 1, 0x200000);
	assert_int_equal(parse_ok("2 MiB", cfg), 2);
	assert_int_equal(cfg[0].mem_size, 2 * MiB);

	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 2, 0x0, 0x1fffff);
	expect_refused("2 MiB - 1", "linux", "\"vireo,memory\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 2, 0x0, 0x100000);
	expect_refused("1 MiB", "linux", "\"vireo,memory\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 2, 0x1, 0x100000);
	expect_refused("4 GiB + 1 MiB", "linux", "\"vireo,memory\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 2, 0x0, 0x0);
	expect_refused("two zero cells", "linux", "\"vireo,memory\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 3, 0x0, 0x0, 0x200000);
	expect_refused("three cells", "linux", "\"vireo,memory\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,memory", 0);
	expect_refused("empty", "linux", "\"vireo,memory\"");
}

static void test_cpus(void **state)
{
	struct vm_config cfg[MAX_VMS];
	struct platform p;
	char err[256];
	unsigned n;

	/* Exactly the machine's four CPUs. */
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, 3);
	assert_int_equal(parse_ok("3 + 1 vCPUs", cfg), 2);
	assert_int_equal(cfg[0].nr_vcpus, 3);
	assert_int_equal(cfg[0].cpu_of[2], 2);
	assert_int_equal(cfg[1].cpu_of[0], 3);

	/* Eight, the most a VM may have, on a machine with room for 8 + 1. */
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, VM_MAX_VCPUS);
	platform_ok(&p);
	p.n_cpus = VM_MAX_VCPUS + 1;
	assert_int_equal(vmconfig_parse(blob, &p, cfg, MAX_VMS, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cfg[0].nr_vcpus, VM_MAX_VCPUS);
	assert_int_equal(cfg[1].cpu_of[0], VM_MAX_VCPUS);
	/* One short: the ninth vCPU shares the least loaded CPU, the first. */
	p.n_cpus = VM_MAX_VCPUS;
	assert_int_equal(vmconfig_parse(blob, &p, cfg, MAX_VMS, &n, err, sizeof(err)), 0);
	assert_int_equal(cfg[1].cpu_of[0], 0);

	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 2, 0, 2);
	expect_refused("two cells", "linux", "\"vireo,cpus\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 0);
	expect_refused("empty", "linux", "\"vireo,cpus\"");
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, 0xffffffff);
	expect_refused("-1", "linux", "\"vireo,cpus\"");
}

/* A CPU takes turns among at most SCHED_MAX_PER_CPU vCPUs: the VM whose
 * vCPU finds every CPU it may use full is refused, by name, before any VM
 * is built (it used to be found only while building the VMs). */
static void test_capacity(void **state)
{
	static const char *const one_cpu[] = { "rtos_1", "vCPU 0", "CPU 0 already has 8" };
	static const char *const pinned[] = { "rtos_1", "CPU 3 already has 8", "share" };
	static const char *const half[] = { "rtos_1", "vCPU 4", "CPU 0 already has 8" };
	const struct host_cpus one = host_cpus(1, 0x1);
	const struct host_cpus two = host_cpus(2, 0x3);
	struct vm_config cfg[MAX_VMS];
	unsigned i;

	/* One CPU: linux's eight vCPUs fill it; rtos_1 finds no room. */
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, 8);
	expect_refused_on("8 + 1 vCPUs on one CPU", NULL, &one, MAX_VMS, one_cpu, 3);
	/* Exactly full is fine: 7 + 1. */
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, 7);
	assert_int_equal(parse_ok_on("7 + 1 vCPUs on one CPU", &one, cfg), 2);
	for (i = 0; i < 7; i++) {
		assert_int_equal(cfg[0].cpu_of[i], 0);
	}
	assert_int_equal(cfg[1].cpu_of[0], 0);
	/* Four CPUs, but both VMs pinned to CPU 3. */
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, 8);
	set_cells("/chosen/vm@0", "vireo,affinity", 1, 3);
	set_cells("/chosen/vm@1", "vireo,affinity", 1, 3);
	expect_refused_on("8 + 1 vCPUs pinned to CPU 3", NULL, NULL, MAX_VMS, pinned, 3);
	/* rtos_1 may use CPU 1 as well: it goes there. */
	set_cells("/chosen/vm@1", "vireo,affinity", 2, 3, 1);
	assert_int_equal(parse_ok("rtos_1 may use CPU 1", cfg), 2);
	assert_int_equal(cfg[1].cpu_of[0], 1);
	/* Two CPUs hold 16; the first VM in configuration order that does not
	 * fit is the one named. */
	load("vm-two");
	set_cells("/chosen/vm@0", "vireo,cpus", 1, 8);
	set_cells("/chosen/vm@1", "vireo,cpus", 1, 8);
	assert_int_equal(parse_ok_on("8 + 8 vCPUs on two CPUs", &two, cfg), 2);
	assert_int_equal(cfg[0].cpu_of[7], 1);
	assert_int_equal(cfg[1].cpu_of[7], 1);
	/* linux's eight take four on each; rtos_1, pinned to CPU 0, fits four. */
	set_cells("/chosen/vm@1", "vireo,affinity", 1, 0);
	expect_refused_on("8 + 8 vCPUs, rtos_1 on CPU 0", NULL, &two, MAX_VMS, half, 3);
}

/* vCPUs go only to CPUs that came online; a VM whose affinity allows only
 * CPUs that did not is refused by name (it used to be placed there and
 * never run). */
static void test_offline_cpus(void **state)
{
	static const char *const both[] = { "linux", "\"vireo,affinity\"", "CPUs 2, 3",
					    "online" };
	static const char *const one[] = { "rtos_1", "\"vireo,affinity\"", "CPU 1",
					   "which is not online" };
	const struct host_cpus no_2_3 = host_cpus(4, 0x3);
	const struct host_cpus no_2 = host_cpus(4, 0xb);
	const struct host_cpus no_1_3 = host_cpus(4, 0x5);
	const struct host_cpus only_boot = host_cpus(4, 0x1);
	struct vm_config cfg[MAX_VMS];

	/* linux may use CPUs 2 and 3 only. */
	load("vm-placement");
	expect_refused_on("CPUs 2 and 3 offline", NULL, &no_2_3, MAX_VMS, both, 4);
	/* One of them is enough: both vCPUs share CPU 3. */
	assert_int_equal(parse_ok_on("CPU 2 offline", &no_2, cfg), 2);
	assert_int_equal(cfg[0].cpu_of[0], 3);
	assert_int_equal(cfg[0].cpu_of[1], 3);
	assert_int_equal(cfg[0].affinity, 0xc); /* as configured */
	assert_int_equal(cfg[1].cpu_of[0], 0);

	/* Without affinity, the offline CPUs are skipped: linux on 0 and 2,
	 * rtos_1 on the least loaded of those, the lowest, 0. */
	load("vm-two");
	assert_int_equal(parse_ok_on("CPUs 1 and 3 offline", &no_1_3, cfg), 2);
	assert_int_equal(cfg[0].cpu_of[0], 0);
	assert_int_equal(cfg[0].cpu_of[1], 2);
	assert_int_equal(cfg[1].cpu_of[0], 0);
	assert_int_equal(parse_ok_on("only the boot CPU", &only_boot, cfg), 2);
	assert_int_equal(cfg[0].cpu_of[1], 0);

	/* One CPU named, and it is offline. */
	set_cells("/chosen/vm@1", "vireo,affinity", 1, 1);
	expect_refused_on("rtos_1 on offline CPU 1", NULL, &no_1_3, MAX_VMS, one, 4);
}

/* "vireo,affinity" numbers CPUs as Vireo does (struct host_cpus, from
 * smp.c: the boot CPU first), not by the tree's count: a CPU Vireo has
 * beyond the tree's /cpus list can be named, one the tree lists but Vireo
 * does not have cannot. */
static void test_cpu_numbering(void **state)
{
	static const char *const words[] = { "rtos_1", "\"vireo,affinity\"", "CPU 3",
					     "has 3" };
	const struct host_cpus five = host_cpus(5, 0x1f);
	const struct host_cpus three = host_cpus(3, 0x7);
	struct vm_config cfg[MAX_VMS];

	load("vm-two"); /* four CPUs in /cpus */
	set_cells("/chosen/vm@1", "vireo,affinity", 1, 4);
	assert_int_equal(parse_ok_on("CPU 4 of 5", &five, cfg), 2);
	assert_int_equal(cfg[1].cpu_of[0], 4);
	assert_int_equal(cfg[0].affinity, 0x1f); /* the default: all five */

	set_cells("/chosen/vm@1", "vireo,affinity", 1, 3);
	expect_refused_on("CPU 3 of 3", NULL, &three, MAX_VMS, words, 4);
}

static void test_modules(void **state)
{
	struct vm_config cfg[MAX_VMS];
	int vm;

	/* The last 1 MiB of RAM, up to its very end. */
	load("vm-two");
	set_cells("/chosen/vm@1/module@58000000", "reg", 2, 0x7ff00000, 0x100000);
	assert_int_equal(parse_ok("at the end of RAM", cfg), 2);
	expect_range("rtos_1 kernel", &cfg[1].kernel, 0x7ff00000, 0x100000);

	load("vm-two");
	set_cells("/chosen/vm@1/module@58000000", "reg", 2, 0x7ff00000, 0x100001);
	expect_refused("one byte past RAM", "rtos_1/module@58000000", "not in RAM");
	load("vm-two");
	set_cells("/chosen/vm@1/module@58000000", "reg", 2, 0x3ffff000, 0x2000);
	expect_refused("across the start of RAM", "rtos_1/module@58000000", "not in RAM");
	load("vm-two");
	set_cells("/chosen/vm@1/module@58000000", "reg", 2, 0xfffff000, 0x2000);
	expect_refused("above RAM", "rtos_1/module@58000000", "not in RAM");
	/* In RAM, and so big that its end wraps around to RAM again. */
	load("vm-two");
	set_cells("/chosen/vm@0/module@50000000", "reg", 4, 0x0, 0x7ff00000, 0xffffffff,
		  0x80200000);
	expect_refused("wrapping around", "linux/module@50000000", "not in RAM");
	load("vm-two");
	set_cells("/chosen/vm@0/module@52000000", "reg", 4, 0x1, 0x52000000, 0x0, 0x1000);
	expect_refused("ramdisk above 4 GiB", "linux/module@52000000", "not in RAM");

	/* "reg" missing, empty, too short, of size zero. */
	load("vm-two");
	assert_int_equal(fdt_delprop(blob, node("/chosen/vm@1/module@58000000"), "reg"), 0);
	expect_refused("no reg", "rtos_1/module@58000000", "\"reg\"");
	load("vm-two");
	set_cells("/chosen/vm@1/module@58000000", "reg", 1, 0x58000000);
	expect_refused("reg too short", "rtos_1/module@58000000", "\"reg\"");
	load("vm-two");
	set_cells("/chosen/vm@1/module@58000000", "reg", 2, 0x58000000, 0);
	expect_refused("size zero", "rtos_1/module@58000000", "\"reg\"");
	load("vm-two");
	set_cells("/chosen/vm@1", "#size-cells", 1, 3);
	expect_refused("three size cells", "rtos_1/module@58000000", "\"reg\"");

	/* A second ramdisk. */
	load("vm-two");
	vm = node("/chosen/vm@0");
	vm = fdt_add_subnode(blob, vm, "module@56000000");
	assert_true(vm >= 0);
	assert_int_equal(fdt_setprop(blob, vm, "compatible", "multiboot,ramdisk\0multiboot,module",
				     sizeof("multiboot,ramdisk\0multiboot,module")),
			 0);
	set_cells("/chosen/vm@0/module@56000000", "reg", 4, 0, 0x56000000, 0, 0x1000);
	/* fdt_add_subnode() puts the new node first: the original is second. */
	expect_refused("two ramdisks", "linux/module@52000000", "second ramdisk");

	/* The kernel's bootargs, not the ramdisk's. */
	load("vm-two");
	set_string("/chosen/vm@0/module@52000000", "bootargs", "ramdisk args");
	assert_int_equal(parse_ok("ramdisk with bootargs", cfg), 2);
	expect_in_blob(cfg[0].bootargs, "console=ttyAMA0 rdinit=/init");
}

/* A message cut short by the caller's buffer is still terminated. */
static void test_short_error_buffer(void **state)
{
	struct vm_config cfg[MAX_VMS];
	struct platform p;
	char err[12];
	unsigned n;

	load("bad-vm-no-kernel");
	platform_ok(&p);
	memset(err, 'X', sizeof(err));
	assert_int_equal(vmconfig_parse(blob, &p, cfg, MAX_VMS, &n, err, 8), -1);
	assert_int_equal(strlen(err), 7);
	assert_memory_equal(err, "rtos_1:", 7);
	assert_int_equal(err[8], 'X');
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_teardown(f, free_blob)
	const struct CMUnitTest tests[] = {
		T(test_two_vms),
		T(test_vm_defaults),
		T(test_bare_modules),
		T(test_bare_modules_cpus),
		T(test_placement),
		T(test_broken_configs),
		T(test_too_many_vms),
		T(test_names),
		T(test_memory),
		T(test_cpus),
		T(test_capacity),
		T(test_offline_cpus),
		T(test_cpu_numbering),
		T(test_modules),
		T(test_short_error_buffer),
	};
#undef T

	if (argc > 1) {
		dtb_dir = argv[1];
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
