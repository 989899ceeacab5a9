/*
 * A ticket spinlock: CPUs are served in the order they arrived, so no CPU
 * starves on the console lock while others print. Waiters sleep in WFE and
 * the holder's release sends SEV. Only used with the MMU on: exclusives
 * need the lock in Normal cacheable memory (Arm ARM B2.9).
 */
#ifndef VIREO_SPINLOCK_H
#define VIREO_SPINLOCK_H

#include <stdint.h>

typedef struct {
	uint16_t owner;
	uint16_t next;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		__asm__ volatile("wfe" ::: "memory");
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
	/* Wake the waiters' WFE; the plain store alone need not generate an event. */
	__asm__ volatile("dsb ishst\n\tsev" ::: "memory");
}

#endif
