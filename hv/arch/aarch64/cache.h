/*
 * Data and instruction cache maintenance by virtual address, to the point
 * of coherency (Arm ARM D7.5.9): what handing memory between Vireo, a
 * guest and a CPU with its caches off needs. Valid at any exception level.
 */
#ifndef VIREO_ARCH_CACHE_H
#define VIREO_ARCH_CACHE_H

#include <stddef.h>

/* Cleans and/or invalidates the data cache lines of [p, p + size). */
void dcache_clean_range(const void *p, size_t size);
void dcache_inval_range(const void *p, size_t size);
void dcache_clean_inval_range(const void *p, size_t size);
/* Makes code just written visible to every CPU's instruction fetch: the
 * writer cleaned it to the point of unification first (D7.5.2). */
void icache_inval_all(void);

#endif
