/*
 * Fuzz target: the boot configuration, the device tree Vireo is given
 * (hv/platform.c reads the machine from it, hv/vmconfig.c the VMs).
 *
 * Two kinds of input:
 *   - a flattened device tree (it starts with the FDT magic): parsed as it
 *     is, after copying the totalsize bytes its header claims into a
 *     buffer of exactly that size, so any read beyond the blob is caught;
 *     inputs shorter than their header's totalsize are skipped, since the
 *     boot protocol hands Vireo a blob of that size;
 *   - anything else: edits to one of a few valid trees built below
 *     (opcode byte, then a fixed-size record; tests/fuzz/make_seeds.py
 *     writes them): set, truncate or delete the properties platform.c and
 *     vmconfig.c read, with cells, strings or raw bytes, add and delete
 *     nodes, add reserved memory. Edits go through libfdt's read-write
 *     functions, so the result is a well-formed tree with wrong contents,
 *     which is where a parser's checks matter.
 *
 * Either way platform_parse(), vmconfig_parse() and
 * vmconfig_parse_channels() run, as main.c calls them, and what
 * they accept must satisfy what their headers and docs/config.md promise
 * (check_platform(), check_vms()); what they refuse must come with a
 * message.
 *
 * A property's value is all a parser may read of it, but reading past it
 * mostly stays inside the blob, where AddressSanitizer cannot see it (a
 * cells property shorter than its four bytes, a string without its NUL).
 * So before parsing, poison_structure() poisons the structure block but
 * for the node names and property values in it. libfdt itself comes from
 * the system, uninstrumented: its own walks over the tokens go unchecked,
 * and only the hypervisor's reads (and the C library calls anyone makes)
 * are held to the values.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <sanitizer/asan_interface.h>

#include "fuzz_input.h"
#include "core/vmconfig.h"

/* platform.c reserves the tree by its physical address (core/mem.h); the
 * host's pointers are their own addresses. */
uint64_t mem_virt_offset;

#define MAX_EDITS 64
#define WORK_SLACK 0x4000

static const uint8_t *blob_start, *blob_end;

/* A string the parse kept a pointer to: NUL-terminated inside the blob. */
static void check_string(const char *s, const char *what)
{
	const uint8_t *p = (const uint8_t *)s;

	check(p >= blob_start && p < blob_end, "%s points outside the tree", what);
	check(memchr(p, 0, blob_end - p), "%s runs off the end of the tree", what);
}

static bool inside_ram(const struct platform *p, const struct mem_range *r)
{
	unsigned i;

	for (i = 0; i < p->n_ram; i++) {
		unsigned __int128 b = pa_addr(p->ram[i].base), e = b + p->ram[i].size;
		unsigned __int128 rb = pa_addr(r->base), re = rb + r->size;

		if (rb >= b && re <= e && re <= (unsigned __int128)1 << 64) {
			return true;
		}
	}
	return false;
}

static void check_platform(const struct platform *p)
{
	unsigned i;

	check(p->fdt == blob_start, "fdt");
	check(p->n_ram >= 1 && p->n_ram <= MAX_RAM_BANKS, "%u RAM banks", p->n_ram);
	for (i = 0; i < p->n_ram; i++) {
		check(p->ram[i].size != 0, "empty RAM bank %u", i);
	}
	check(p->n_reserved <= MAX_RESERVED, "%u reserved", p->n_reserved);
	check(p->n_cpus >= 1 && p->n_cpus <= MAX_CPUS, "%u CPUs", p->n_cpus);
	check(p->gic.version == 0 || p->gic.version == 2 || p->gic.version == 3, "GIC version %u",
	      p->gic.version);
	check(p->uart_node >= 0 && fdt_node_check_compatible(p->fdt, p->uart_node, "arm,pl011") == 0,
	      "UART node %d is not a PL011", p->uart_node);
	check(p->psci == PSCI_CONDUIT_NONE || p->psci == PSCI_CONDUIT_SMC, "PSCI conduit %d",
	      p->psci);
	check(p->model != NULL, "no model");
	if ((const uint8_t *)p->model >= blob_start && (const uint8_t *)p->model < blob_end) {
		check_string(p->model, "model");
	} else {
		check(strcmp(p->model, "(no model)") == 0, "model outside the tree");
	}
	check(p->n_modules <= MAX_MODULES, "%u modules", p->n_modules);
	for (i = 0; i < p->n_modules; i++) {
		check(p->modules[i].range.size != 0, "empty module %u", i);
		check(i == 0 || pa_addr(p->modules[i - 1].range.base) <=
				       pa_addr(p->modules[i].range.base),
		      "modules out of order");
		if (p->modules[i].bootargs) {
			check_string(p->modules[i].bootargs, "module bootargs");
		}
	}
}

static bool valid_name(const char *s)
{
	size_t n = strnlen(s, VM_NAME_LEN);

	return n > 0 && n < VM_NAME_LEN && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static void check_vms(const struct platform *p, const struct vm_config *cfg, unsigned n)
{
	uint32_t cpus = (uint32_t)((1UL << p->n_cpus) - 1);
	unsigned i, j;

	check(n <= MAX_VMS, "%u VMs", n);
	for (i = 0; i < n; i++) {
		const struct vm_config *c = &cfg[i];
		unsigned __int128 ram_end = (unsigned __int128)c->ram_ipa + c->mem_size;

		check(valid_name(c->name), "VM %u: name", i);
		for (j = 0; j < i; j++) {
			check(strcmp(c->name, cfg[j].name) != 0, "two VMs named %s", c->name);
		}
		check(c->mem_size != 0 && c->mem_size % SZ_2M == 0, "%s: memory 0x%lx", c->name,
		      c->mem_size);
		check(c->ram_ipa % SZ_2M == 0, "%s: RAM at 0x%lx", c->name, c->ram_ipa);
		check(ram_end <= (unsigned __int128)1 << 64, "%s: RAM 0x%lx+0x%lx wraps", c->name,
		      c->ram_ipa, c->mem_size);
		check(ram_end <= VM_DEVICE_START || c->ram_ipa >= VM_DEVICE_END,
		      "%s: RAM 0x%lx+0x%lx overlaps the devices", c->name, c->ram_ipa, c->mem_size);
		check(c->nr_vcpus >= 1 && c->nr_vcpus <= VM_MAX_VCPUS, "%s: %u vCPUs", c->name,
		      c->nr_vcpus);
		check(c->kernel.size != 0 && inside_ram(p, &c->kernel), "%s: kernel", c->name);
		check(c->ramdisk.size == 0 || inside_ram(p, &c->ramdisk), "%s: ramdisk", c->name);
		check(!c->its || p->gic.version == 3, "%s: an ITS without a GICv3", c->name);
		if (c->bootargs) {
			check_string(c->bootargs, "bootargs");
		}
		check(c->affinity != 0 && (c->affinity & ~cpus) == 0, "%s: affinity 0x%x", c->name,
		      c->affinity);
		for (j = 0; j < c->nr_vcpus; j++) {
			check(c->cpu_of[j] < p->n_cpus && (c->affinity >> c->cpu_of[j]) & 1,
			      "%s: vCPU %u on CPU %u", c->name, j, c->cpu_of[j]);
		}
		check(c->on_crash == CRASH_STOP || c->on_crash == CRASH_RESTART, "%s: on-crash",
		      c->name);
		check((c->restart_limit == 0 && c->restart_window == 0) ||
			      (c->restart_limit >= 1 && c->restart_limit <= RESTART_LIMIT_MAX &&
			       c->restart_window >= 1 && c->restart_window <= RESTART_WINDOW_MAX),
		      "%s: restart limit %u in %u s", c->name, c->restart_limit, c->restart_window);
	}
}

static void check_channels(const struct channel_config *ch, unsigned nch, unsigned n_vms)
{
	unsigned i;

	check(nch <= MAX_CHANNELS, "%u channels", nch);
	for (i = 0; i < nch; i++) {
		check(ch[i].vm[0] < n_vms && ch[i].vm[1] < n_vms && ch[i].vm[0] != ch[i].vm[1],
		      "channel %u between VMs %u and %u of %u", i, ch[i].vm[0], ch[i].vm[1], n_vms);
		check(ch[i].size != 0 && ch[i].size % PAGE_SIZE == 0 && ch[i].size <= CHANNEL_MAX_SIZE,
		      "channel %u of 0x%lx bytes", i, ch[i].size);
	}
}

static void check_error(const char *err, size_t len)
{
	check(memchr(err, 0, len) != NULL, "error message not terminated");
	check(err[0] != 0, "refused without a message");
}

/* libfdt's fdt_stringlist_contains() compares one byte more than a
 * string list holds when the remaining list is exactly as long as the
 * string sought, harmlessly (the comparison stops at the list's NUL), but
 * AddressSanitizer's strict memcmp() checking would report it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "strict_memcmp=0";
}

/* Poisons blob's structure block except the node names and property
 * values libfdt's walk finds there, and whatever of the strings block a
 * crafted header lays over it (libfdt reads property names there with
 * the C library).
 *
 * One more byte stays readable after a "compatible" value: libfdt 1.6's
 * fdt_stringlist_contains() compares a string with the list's last entry
 * one byte too far when the list is not NUL-terminated, and Vireo only
 * reads compatible strings through libfdt. */
static void poison_structure(uint8_t *blob, size_t size)
{
	uint32_t off, len, str_off, str_len;
	int offset = 0, next;

	if (fdt_check_header(blob) != 0 || fdt_version(blob) < 17) {
		return; /* refused at once, or no size_dt_struct */
	}
	off = fdt_off_dt_struct(blob);
	len = fdt_size_dt_struct(blob);
	if (off > size || len > size - off) {
		return;
	}
	ASAN_POISON_MEMORY_REGION(blob + off, len);
	str_off = fdt_off_dt_strings(blob);
	str_len = fdt_size_dt_strings(blob);
	if (str_off < size) {
		ASAN_UNPOISON_MEMORY_REGION(blob + str_off, MIN(str_len, size - str_off));
	}
	for (;;) {
		uint32_t tag = fdt_next_tag(blob, offset, &next);
		const char *name = NULL;
		const uint8_t *value;
		int vlen = 0;

		if (tag == FDT_END || next <= offset) {
			break;
		}
		if (tag == FDT_BEGIN_NODE) {
			ASAN_UNPOISON_MEMORY_REGION(blob + off + offset + 4, next - offset - 4);
		} else if (tag == FDT_PROP) {
			value = fdt_getprop_by_offset(blob, offset, &name, &vlen);
			if (value && vlen > 0) {
				size_t slack = name && strcmp(name, "compatible") == 0 &&
					       value + vlen < blob_end;

				ASAN_UNPOISON_MEMORY_REGION(value, vlen + slack);
			}
		}
		offset = next;
	}
}

/* Parses the tree at data, of exactly size bytes (its totalsize). */
static void parse(const uint8_t *data, size_t size)
{
	static struct platform p;
	static struct vm_config cfg[MAX_VMS];
	static struct channel_config ch[MAX_CHANNELS];
	char err[256];
	uint8_t *blob = malloc(size);
	unsigned n = 0, nch = 0;

	check(blob != NULL, "out of memory");
	memcpy(blob, data, size);
	blob_start = blob;
	blob_end = blob + size;
	poison_structure(blob, size);
	memset(err, 0, sizeof(err));
	if (platform_parse(blob, "arm,pl011", &p, err, sizeof(err)) < 0) {
		check_error(err, sizeof(err));
	} else {
		check_platform(&p);
		memset(cfg, 0x5a, sizeof(cfg));
		if (vmconfig_parse(blob, &p, cfg, MAX_VMS, &n, err, sizeof(err)) < 0) {
			check_error(err, sizeof(err));
		} else {
			check_vms(&p, cfg, n);
			memset(ch, 0x5a, sizeof(ch));
			memset(err, 0, sizeof(err));
			if (vmconfig_parse_channels(blob, cfg, n, ch, MAX_CHANNELS, &nch, err,
						    sizeof(err)) < 0) {
				check_error(err, sizeof(err));
			} else {
				check_channels(ch, nch, n);
			}
		}
	}
	ASAN_UNPOISON_MEMORY_REGION(blob, size);
	free(blob);
}

/* ---- the valid trees the structured inputs edit ------------------------- */

#define CHECKED(call) check((call) == 0, "building a template: %s", #call)

static void cell_prop(void *fdt, const char *name, unsigned n, const uint32_t *cells)
{
	fdt32_t be[16];
	unsigned i;

	check(n <= ARRAY_SIZE(be), "%u cells", n);
	for (i = 0; i < n; i++) {
		be[i] = cpu_to_fdt32(cells[i]);
	}
	CHECKED(fdt_property(fdt, name, be, 4 * n));
}

#define CELLS(fdt, name, ...)                                                    \
	do {                                                                     \
		const uint32_t c_[] = { __VA_ARGS__ };                          \
		cell_prop(fdt, name, sizeof(c_) / 4, c_);                       \
	} while (0)
#define STR(fdt, name, s) CHECKED(fdt_property(fdt, name, s, sizeof(s)))
#define BEGIN(fdt, name) CHECKED(fdt_begin_node(fdt, name))
#define END(fdt) CHECKED(fdt_end_node(fdt))

static void machine(void *t, unsigned gic, unsigned n_cpus, bool psci, bool bare_module)
{
	unsigned i;
	char name[16];

	CELLS(t, "#address-cells", 2);
	CELLS(t, "#size-cells", 2);
	STR(t, "model", "vireo,fuzz");
	BEGIN(t, "memory@40000000");
	STR(t, "device_type", "memory");
	CELLS(t, "reg", 0, 0x40000000, 0, 0x40000000, 1, 0, 0, 0x10000000);
	END(t);
	BEGIN(t, "reserved-memory");
	CELLS(t, "#address-cells", 2);
	CELLS(t, "#size-cells", 2);
	BEGIN(t, "fw@7f000000");
	CELLS(t, "reg", 0, 0x7f000000, 0, 0x100000);
	END(t);
	END(t);
	BEGIN(t, "cpus");
	CELLS(t, "#address-cells", 1);
	CELLS(t, "#size-cells", 0);
	for (i = 0; i < n_cpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		BEGIN(t, name);
		STR(t, "device_type", "cpu");
		CELLS(t, "reg", i);
		END(t);
	}
	END(t);
	if (psci) {
		BEGIN(t, "psci");
		STR(t, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
		STR(t, "method", "smc");
		END(t);
	}
	BEGIN(t, "pl011@9000000");
	STR(t, "compatible", "arm,pl011\0arm,primecell");
	CELLS(t, "reg", 0, 0x9000000, 0, 0x1000);
	CELLS(t, "interrupts", 0, 1, 4);
	END(t);
	BEGIN(t, "intc@8000000");
	if (gic == 3) {
		STR(t, "compatible", "arm,gic-v3");
		CELLS(t, "reg", 0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000);
	} else {
		STR(t, "compatible", "arm,cortex-a15-gic");
		CELLS(t, "reg", 0, 0x8000000, 0, 0x10000, 0, 0x8010000, 0, 0x10000, 0, 0x8030000, 0,
		      0x10000, 0, 0x8040000, 0, 0x10000);
	}
	END(t);
	BEGIN(t, "timer");
	STR(t, "compatible", "arm,armv8-timer");
	CELLS(t, "clock-frequency", 62500000);
	END(t);
	BEGIN(t, "aliases");
	STR(t, "serial0", "/pl011@9000000");
	END(t);
	BEGIN(t, "chosen");
	STR(t, "stdout-path", "serial0:115200n8");
	if (bare_module) {
		BEGIN(t, "module@60000000");
		STR(t, "compatible", "multiboot,kernel\0multiboot,module");
		CELLS(t, "reg", 0, 0x60000000, 0, 0x200000);
		STR(t, "bootargs", "console=ttyAMA0");
		END(t);
	}
}

static void vm_node(void *t, unsigned i, const char *name, unsigned cells, unsigned cpus,
		    bool extras)
{
	char node[16];
	uint32_t base = 0x50000000 + i * 0x4000000;

	snprintf(node, sizeof(node), "vm@%u", i);
	BEGIN(t, node);
	STR(t, "compatible", "vireo,vm");
	CELLS(t, "#address-cells", cells);
	CELLS(t, "#size-cells", cells);
	CHECKED(fdt_property(t, "vireo,name", name, strlen(name) + 1));
	if (cells == 2) {
		CELLS(t, "vireo,memory", 0, 0x10000000);
	} else {
		CELLS(t, "vireo,memory", 0x400000);
	}
	CELLS(t, "vireo,cpus", cpus);
	if (extras) {
		CELLS(t, "vireo,affinity", 1, 2);
		CELLS(t, "vireo,ram-ipa", 0, 0x80000000);
		STR(t, "vireo,on-crash", "restart");
	}
	snprintf(node, sizeof(node), "module@%x", base);
	BEGIN(t, node);
	STR(t, "compatible", "multiboot,kernel\0multiboot,module");
	if (cells == 2) {
		CELLS(t, "reg", 0, base, 0, 0x1400000);
	} else {
		CELLS(t, "reg", base, 0x1400000);
	}
	STR(t, "bootargs", "console=ttyAMA0 rdinit=/init");
	END(t);
	snprintf(node, sizeof(node), "module@%x", base + 0x2000000);
	BEGIN(t, node);
	STR(t, "compatible", "multiboot,ramdisk\0multiboot,module");
	if (cells == 2) {
		CELLS(t, "reg", 0, base + 0x2000000, 0, 0x800000);
	} else {
		CELLS(t, "reg", base + 0x2000000, 0x800000);
	}
	END(t);
	END(t);
}

#define N_TEMPLATES 3
#define TEMPLATE_SIZE 0x2000

static uint8_t templates[N_TEMPLATES][TEMPLATE_SIZE];

static void build_templates(void)
{
	unsigned i;

	for (i = 0; i < N_TEMPLATES; i++) {
		void *t = templates[i];

		CHECKED(fdt_create(t, TEMPLATE_SIZE));
		if (i == 0) {
			CHECKED(fdt_add_reservemap_entry(t, 0x48000000, 0x10000));
		}
		CHECKED(fdt_finish_reservemap(t));
		BEGIN(t, "");
		switch (i) {
		case 0: /* GICv3, four CPUs, two VMs, one with every option */
			machine(t, 3, 4, true, false);
			vm_node(t, 0, "linux", 2, 2, false);
			vm_node(t, 1, "rtos_1", 1, 1, true);
			BEGIN(t, "channel@0");
			STR(t, "compatible", "vireo,channel");
			STR(t, "vireo,vms", "linux\0rtos_1");
			CELLS(t, "vireo,size", 0x2000);
			END(t);
			break;
		case 1: /* GICv2, QEMU's guest-loader: a bare module in /chosen */
			machine(t, 2, 2, false, true);
			break;
		default: /* GICv3, eight CPUs, eight VMs */
			machine(t, 3, 8, true, false);
			for (unsigned v = 0; v < MAX_VMS; v++) {
				char name[8];

				snprintf(name, sizeof(name), "vm-%u", v);
				vm_node(t, v, name, v % 2 + 1, 1, v == 3);
			}
			break;
		}
		END(t); /* chosen */
		END(t); /* root */
		CHECKED(fdt_finish(t));
	}
}

/* ---- edits ---------------------------------------------------------------- */

static const char *const props[] = {
	"reg", "#address-cells", "#size-cells", "device_type", "compatible", "vireo,name",
	"vireo,memory", "vireo,cpus", "vireo,affinity", "vireo,ram-ipa", "vireo,on-crash",
	"bootargs", "stdout-path", "method", "interrupts", "clock-frequency", "model", "serial0",
	"ranges", "status", "vireo,vms", "vireo,size", "vireo,restart-limit", "vireo,watchdog",
	"vireo,its",
};

static const char *const strings[] = {
	"memory", "cpu", "arm,pl011", "arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic",
	"multiboot,module", "multiboot,kernel", "multiboot,ramdisk", "vireo,vm", "smc", "hvc",
	"arm,psci-0.2", "arm,psci", "/pl011@9000000", "serial0:115200n8", "serial0", "/chosen",
	"stop", "restart", "linux", "vm0", "", "arm,armv8-timer", "console=ttyAMA0",
	"ABCDEFGHIJKLMNOPQ", "/pl011@9000000:115200", "nosuch", "/cpus/cpu@0", "vireo,channel",
	"rtos_1", "on", "off",
};

static const char *const node_names[] = {
	"memory@80000000", "cpu@9", "vm@9", "module@44000000", "reserved-memory", "chosen",
	"cpus", "psci", "pl011@9000000", "intc@8000000", "timer", "aliases", "x", "memory",
	"channel@1",
};

/* The node'th node of the tree, in document order (0: the root). */
static int nth_node(const void *fdt, unsigned n)
{
	int node = 0, depth = 0, count = 0, last = 0;

	while (node >= 0) {
		if ((unsigned)count == n) {
			return node;
		}
		last = node;
		count++;
		node = fdt_next_node(fdt, node, &depth);
	}
	return n ? nth_node(fdt, n % count) : last;
}

enum {
	ED_CELLS,  /* u8 node, u8 property, u8 count (0-7), u32 cells[7] */
	ED_STRING, /* u8 node, u8 property, u8 string, u8 second string, u8 cut */
	ED_BYTES,  /* u8 node, u8 property, u8 length (0-15), 16 bytes */
	ED_DELPROP,/* u8 node, u8 property */
	ED_ADD,    /* u8 parent node, u8 name */
	ED_DEL,    /* u8 node */
	ED_RSV,    /* u64 address, u64 size */
	NR_EDITS,
};

static void edit(void *fdt, struct input *in)
{
	unsigned op = take_u8(in) % NR_EDITS;
	int node = nth_node(fdt, take_u8(in));
	const char *prop = props[take_below(in, ARRAY_SIZE(props))];

	switch (op) {
	case ED_CELLS: {
		unsigned n = take_u8(in) % 8, i;
		fdt32_t cells[7];

		for (i = 0; i < 7; i++) {
			cells[i] = cpu_to_fdt32(take_u32(in));
		}
		fdt_setprop(fdt, node, prop, cells, 4 * n);
		break;
	}
	case ED_STRING: {
		char buf[128];
		const char *a = strings[take_below(in, ARRAY_SIZE(strings))];
		unsigned second = take_u8(in), cut = take_u8(in);
		size_t len = strlen(a) + 1;

		memcpy(buf, a, len);
		if (second < ARRAY_SIZE(strings)) { /* a string list */
			memcpy(buf + len, strings[second], strlen(strings[second]) + 1);
			len += strlen(strings[second]) + 1;
		}
		/* cut 1-3: drop as many bytes, the NUL first: an unterminated
		 * string (other values keep it whole) */
		if (cut < 4 && cut < len) {
			len -= cut;
		}
		fdt_setprop(fdt, node, prop, buf, len);
		break;
	}
	case ED_BYTES: {
		uint8_t bytes[16];
		unsigned n = take_u8(in) % 16, i;

		for (i = 0; i < 16; i++) {
			bytes[i] = take_u8(in);
		}
		fdt_setprop(fdt, node, prop, bytes, n);
		break;
	}
	case ED_DELPROP:
		fdt_delprop(fdt, node, prop);
		break;
	case ED_ADD:
		fdt_add_subnode(fdt, node, node_names[take_below(in, ARRAY_SIZE(node_names))]);
		break;
	case ED_DEL:
		if (node > 0) {
			fdt_del_node(fdt, node);
		}
		break;
	default: {
		uint64_t addr = take_u64(in), size = take_u64(in);

		fdt_add_mem_rsv(fdt, addr, size);
		break;
	}
	}
}

static void structured(const uint8_t *data, size_t size)
{
	static uint8_t work[TEMPLATE_SIZE + WORK_SLACK];
	struct input in = input_of(data, size);
	const void *t = templates[take_below(&in, N_TEMPLATES)];
	unsigned n;

	check(fdt_open_into(t, work, sizeof(work)) == 0, "fdt_open_into");
	for (n = 0; n < MAX_EDITS && !input_done(&in); n++) {
		edit(work, &in);
	}
	check(fdt_pack(work) == 0, "fdt_pack");
	parse(work, fdt_totalsize(work));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool built;

	if (!built) {
		build_templates();
		built = true;
	}
	if (size >= 4 && fdt_magic(data) == FDT_MAGIC) {
		if (size >= sizeof(struct fdt_header) && fdt_totalsize(data) <= size &&
		    fdt_totalsize(data) >= sizeof(struct fdt_header)) {
			parse(data, fdt_totalsize(data));
		}
		return 0;
	}
	structured(data, size);
	return 0;
}
