/*
 * The boot path's entry points, called by the mode's boot code
 * (arch/aarch64/el2/boot.c) once it has a stack and an MMU.
 */
#ifndef VIREO_CORE_MAIN_H
#define VIREO_CORE_MAIN_H

#include "core/vmode.h"

/* The boot CPU, from the mode: the device tree, the way guests run, and
 * the physical extent of Vireo's image. */
void boot_main(void *fdt, const struct vmode *mode, paddr_t image_start, paddr_t image_end)
	__attribute__((noreturn));
/* A secondary CPU, set up by the mode, with its index. */
void secondary_main(unsigned idx) __attribute__((noreturn));
/* Each CPU once it is online: the failure a test asked for, if any. */
void selftest(unsigned cpu);
/* Entered at an exception level Vireo cannot run at: says so. */
void boot_wrong_el(unsigned el, const void *fdt);

#endif
