/*
 * Device-tree helpers shared by platform.c and vmconfig.c: strings, cells,
 * cell sizes, "reg" entries, and the translation of a device's bus address
 * into the CPU's physical address space.
 *
 * A device's "reg" is written in the address space of the bus it sits on.
 * Each bus's "ranges" maps a window of its own addresses onto its parent's
 * (Devicetree Specification v0.4, section 2.3.8); only the root's address
 * space is the CPU's. The Raspberry Pi 3's peripherals, for one, are on a
 * bus whose 0x7e000000 is the CPU's 0x3f000000. So fdt_util_reg_cpu()
 * walks up from the device, one bus at a time, until it reaches the root:
 * an empty "ranges" passes addresses through unchanged, a missing one means
 * the bus's addresses are not visible to the CPU at all, and otherwise one
 * entry must hold the whole [address, address + size) of the device.
 *
 * Everything here reads the tree only through libfdt and checks every
 * length first: the tree comes from the boot loader, and tests/fuzz feeds
 * it garbage. Nothing here allocates or prints.
 */
#include "core/fdt_util.h"

#include "core/platform.h"

/* The DT spec's defaults, for a tree that gives no cell sizes at all. */
#define DEFAULT_ADDRESS_CELLS 2
#define DEFAULT_SIZE_CELLS 1

const char *fdt_util_string(const void *fdt, int node, const char *name)
{
	/* fdt_stringlist_get() checks the NUL is inside the property, so a
	 * malformed tree cannot make us read past it. */
	return fdt_stringlist_get(fdt, node, name, 0, NULL);
}

uint64_t fdt_util_cells(const fdt32_t **cell, int n)
{
	uint64_t v = 0;

	while (n-- > 0) {
		v = (v << 32) | fdt32_to_cpu(*(*cell)++);
	}
	return v;
}

/* A cell size looked up as Linux does: on the node, else on its nearest
 * ancestor that has it, else the DT spec's default. QEMU's guest-loader
 * relies on this: it puts modules in /chosen, which has no #address-cells,
 * with the root's cell sizes. */
static int inherited_cells(const void *fdt, int node, const char *name, int dflt)
{
	while (node >= 0) {
		int len;
		const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

		if (v) {
			return len >= 4 ? (int)fdt32_to_cpu(*v) : -1; /* too short: unusable */
		}
		node = node == 0 ? -1 : fdt_parent_offset(fdt, node);
	}
	return dflt;
}

int fdt_util_address_cells(const void *fdt, int node)
{
	return inherited_cells(fdt, node, "#address-cells", DEFAULT_ADDRESS_CELLS);
}

int fdt_util_size_cells(const void *fdt, int node)
{
	return inherited_cells(fdt, node, "#size-cells", DEFAULT_SIZE_CELLS);
}

/* Vireo's addresses and sizes are 64 bits: one or two cells of address,
 * and up to two of size (none on buses like /cpus, where "reg" is an ID). */
static bool address_cells_ok(int ac)
{
	return ac >= 1 && ac <= 2;
}

static bool size_cells_ok(int sc)
{
	return sc >= 0 && sc <= 2;
}

int fdt_util_reg_count(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	/* 64 bits: the cell counts are the tree's, and may be anything. */
	int64_t per = (int64_t)fdt_util_address_cells(fdt, parent) +
		      fdt_util_size_cells(fdt, parent);
	int len;

	if (per <= 0 || !fdt_getprop(fdt, node, "reg", &len)) {
		return 0;
	}
	return (int)(len / (per * 4));
}

/* fdt_util_reg() for a node whose parent the caller knows: libfdt finds a
 * parent only by scanning the tree from its start, so it is worth not
 * asking twice. */
static int reg_under(const void *fdt, int parent, int node, int idx, struct mem_range *r)
{
	int ac = fdt_util_address_cells(fdt, parent);
	int sc = fdt_util_size_cells(fdt, parent);
	const fdt32_t *cell;
	int len;

	if (!address_cells_ok(ac) || !size_cells_ok(sc) || idx < 0) {
		return FDT_UTIL_EREG;
	}
	cell = fdt_getprop(fdt, node, "reg", &len);
	/* 64 bits: idx is the caller's, but a huge one must not wrap. */
	if (!cell || len < ((int64_t)idx + 1) * (ac + sc) * 4) {
		return FDT_UTIL_EREG;
	}
	cell += idx * (ac + sc);
	r->base = pa(fdt_util_cells(&cell, ac));
	r->size = fdt_util_cells(&cell, sc);
	return 0;
}

int fdt_util_reg(const void *fdt, int node, int idx, struct mem_range *r)
{
	return reg_under(fdt, fdt_parent_offset(fdt, node), node, idx, r);
}

/* Whether the window [base, base + len) holds all of [addr, addr + size).
 * Written with differences, so that no sum can wrap. An empty entry
 * (size 0, on a bus without sizes) must still lie inside the window. */
static bool window_holds(uint64_t base, uint64_t len, uint64_t addr, uint64_t size)
{
	return addr >= base && addr - base < len && size <= len - (addr - base);
}

/* Maps *addr, the start of size bytes on bus, into the address space of
 * bus's parent, through bus's "ranges". Each entry is (child-bus-address,
 * parent-bus-address, length), in bus's #address-cells, its parent's
 * #address-cells and bus's #size-cells. */
static int translate_up(const void *fdt, int bus, int parent, uint64_t *addr, uint64_t size)
{
	int child_ac, parent_ac, sc, per, len, i;
	const fdt32_t *cell;

	cell = fdt_getprop(fdt, bus, "ranges", &len);
	if (!cell) {
		return len == -FDT_ERR_NOTFOUND ? FDT_UTIL_ENORANGES : FDT_UTIL_EBADTREE;
	}
	if (len == 0) {
		return 0; /* an empty "ranges": the same addresses on both sides */
	}
	child_ac = fdt_util_address_cells(fdt, bus);
	parent_ac = fdt_util_address_cells(fdt, parent);
	sc = fdt_util_size_cells(fdt, bus);
	if (!address_cells_ok(child_ac) || !address_cells_ok(parent_ac) || !size_cells_ok(sc)) {
		return FDT_UTIL_EBADRANGES;
	}
	per = (child_ac + parent_ac + sc) * 4;
	if (len % per != 0) {
		return FDT_UTIL_EBADRANGES;
	}
	for (i = 0; i < len / per; i++) {
		uint64_t child = fdt_util_cells(&cell, child_ac);
		uint64_t target = fdt_util_cells(&cell, parent_ac);
		uint64_t length = fdt_util_cells(&cell, sc);
		uint64_t offset = *addr - child;

		if (!window_holds(child, length, *addr, size)) {
			continue;
		}
		/* The translated range must end inside the 64-bit space (at its
		 * last byte at most: a mem_range cannot end at 2^64). */
		if (offset + size > UINT64_MAX - target) {
			return FDT_UTIL_EBADRANGES;
		}
		*addr = target + offset;
		return 0;
	}
	return FDT_UTIL_EUNMAPPED;
}

int fdt_util_reg_cpu(const void *fdt, int node, int idx, struct mem_range *r)
{
	int depth = fdt_node_depth(fdt, node);
	/* A node on the root's bus (most of a flat tree's devices) needs no
	 * search for its parent. */
	int bus = depth == 1 ? 0 : fdt_parent_offset(fdt, node);
	struct mem_range raw;
	uint64_t addr;
	int level, rc;

	/* A bad "reg" is reported before a tree libfdt cannot walk. */
	rc = bus < 0 ? fdt_util_reg(fdt, node, idx, &raw) : reg_under(fdt, bus, node, idx, &raw);
	if (rc < 0) {
		return rc;
	}
	if (depth < 0 || bus < 0) {
		return FDT_UTIL_EBADTREE;
	}
	addr = pa_addr(raw.base);
	/* A node at depth d has d - 1 buses between it and the root (depth 0):
	 * the walk takes at most that many steps, however damaged the tree. */
	for (level = 1; level < depth && bus > 0; level++) {
		int parent = fdt_parent_offset(fdt, bus);

		if (parent < 0) {
			return FDT_UTIL_EBADTREE;
		}
		rc = translate_up(fdt, bus, parent, &addr, raw.size);
		if (rc < 0) {
			return rc;
		}
		bus = parent;
	}
	if (bus != 0) {
		return FDT_UTIL_EBADTREE;
	}
	*r = (struct mem_range){ pa(addr), raw.size };
	return 0;
}

const char *fdt_util_strerror(int err)
{
	switch (err) {
	case 0:
		return "no error";
	case FDT_UTIL_EREG:
		return "\"reg\" is missing, too short, or in unusable cell sizes";
	case FDT_UTIL_ENORANGES:
		return "a bus above it has no \"ranges\"";
	case FDT_UTIL_EBADRANGES:
		return "a bus above it has a malformed \"ranges\"";
	case FDT_UTIL_EUNMAPPED:
		return "no \"ranges\" entry of a bus above it covers it";
	case FDT_UTIL_EBADTREE:
		return "the tree's structure is damaged";
	default:
		return "unknown error";
	}
}
