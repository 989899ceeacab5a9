/*
 * The device tree each VM boots with, describing its virtual machine.
 */
#ifndef VIREO_GUEST_FDT_H
#define VIREO_GUEST_FDT_H

#include "core/types.h"

struct vm;

#define GUEST_FDT_MAX (64UL << 10)

/* Writes vm's device tree into buf (GUEST_FDT_MAX bytes). Returns its
 * size, or 0 if it did not fit. Uses libfdt: call with no guest FP/SIMD
 * state live (VM construction). */
size_t guest_fdt_build(const struct vm *vm, void *buf);

#endif
