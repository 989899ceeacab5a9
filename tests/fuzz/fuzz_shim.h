/*
 * For fuzz targets whose hypervisor sources touch system registers:
 * tests/fuzz/fuzz.mk passes it with -include, after tests/unit/host_shim.h
 * (the host spinlock and strlcpy).
 *
 * sysreg.h reads and writes system registers with MRS and MSR, which a
 * host assembler rejects. This header takes sysreg.h in first, for its
 * field definitions, and then points its accessors at fuzz_read_sysreg()
 * and fuzz_write_sysreg(), which each target that needs them defines: the
 * register's name arrives as a string. Barriers and WFE/WFI/SEV become
 * no-ops: the targets are single threaded. (RNDR, which no host has, is
 * behind arch/aarch64/rndr.h: a target that links the TRNG defines
 * rndr_present() and rndr_read() itself.) tests/unit/test_core.c uses this
 * header too.
 */
#ifndef VIREO_FUZZ_SHIM_H
#define VIREO_FUZZ_SHIM_H

#include <stdint.h>

#include "arch/aarch64/sysreg.h"

uint64_t fuzz_read_sysreg(const char *name);
void fuzz_write_sysreg(const char *name, uint64_t val);

#undef read_sysreg
#undef write_sysreg
#define read_sysreg(r) fuzz_read_sysreg(#r)
#define write_sysreg(r, v) fuzz_write_sysreg(#r, (uint64_t)(v))

#undef isb
#undef dsb
#undef dmb
#undef wfe
#undef wfi
#undef sev
#undef cpu_relax
#define isb() ((void)0)
#define dsb(opt) ((void)0)
#define dmb(opt) ((void)0)
#define wfe() ((void)0)
#define wfi() ((void)0)
#define sev() ((void)0)
#define cpu_relax() ((void)0)

#endif
