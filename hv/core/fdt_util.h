/*
 * The small device-tree helpers Vireo's two tree parsers share:
 * platform.c (the machine) and vmconfig.c (the VMs). They read properties
 * of a tree that is untrusted input, so each checks a property's length
 * before it reads a byte of it, and none writes a message: they return a
 * code, and the caller, who knows which node it asked about and why,
 * writes the error. fdt_util_strerror() gives words for the codes.
 */
#ifndef VIREO_FDT_UTIL_H
#define VIREO_FDT_UTIL_H

#include <libfdt.h>

#include "core/types.h"

struct mem_range;

/* What the reg readers return: 0, or one of these. FDT_UTIL_EREG is the
 * node's own fault; the others are the buses' above it. */
enum {
	FDT_UTIL_EREG = -1,       /* "reg" missing, too short, or its cell sizes unusable */
	FDT_UTIL_ENORANGES = -2,  /* a bus above has no "ranges": not a CPU address */
	FDT_UTIL_EBADRANGES = -3, /* a bus's "ranges" or its cell sizes are malformed */
	FDT_UTIL_EUNMAPPED = -4,  /* no "ranges" entry covers the whole "reg" entry */
	FDT_UTIL_EBADTREE = -5,   /* libfdt could not walk from the node to the root */
};

/* A property's first string, or NULL if it is missing or its bytes do not
 * end in a NUL. */
const char *fdt_util_string(const void *fdt, int node, const char *name);

/* Reads an n-cell big-endian number (n at most 2) and advances *cell. */
uint64_t fdt_util_cells(const fdt32_t **cell, int n);

/* The #address-cells (default 2) or #size-cells (default 1) that applies to
 * node's children: node's own, else its nearest ancestor's. -1 if the
 * property found is shorter than a cell. The value is the tree's and may
 * be anything; callers check it. */
int fdt_util_address_cells(const void *fdt, int node);
int fdt_util_size_cells(const void *fdt, int node);

/* How many whole entries node's "reg" has, in its parent's cell sizes. */
int fdt_util_reg_count(const void *fdt, int node);

/* Entry idx of node's "reg", as written: an address on the parent's bus.
 * Returns 0 or FDT_UTIL_EREG. */
int fdt_util_reg(const void *fdt, int node, int idx, struct mem_range *r);

/* Entry idx of node's "reg", its address translated through the "ranges"
 * of every bus above it to a CPU physical address (Devicetree
 * Specification v0.4, section 2.3.8). Returns 0 or an FDT_UTIL_E* code;
 * *r is written only on success. */
int fdt_util_reg_cpu(const void *fdt, int node, int idx, struct mem_range *r);

/* Words for an FDT_UTIL_E* code, for the caller's message about the node. */
const char *fdt_util_strerror(int err);

#endif
