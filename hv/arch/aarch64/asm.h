/*
 * Helpers for Vireo's few assembly files.
 */
#ifndef VIREO_ASM_H
#define VIREO_ASM_H

#define R_AARCH64_RELATIVE 1027

/* Address of a symbol within +-4 GiB of the PC, position-independently. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#endif
