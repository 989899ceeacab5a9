/*
 * Emulated devices, registered per VM as {base, size, ops} ranges of IPA
 * space. A guest access to such a range is a stage-2 fault; trap_abort.c
 * decodes it and calls the range's read or write operation.
 */
#ifndef VIREO_MMIO_H
#define VIREO_MMIO_H

#include "core/types.h"
#include "vdev/vmachine.h"

struct vcpu;

struct mmio_ops {
	/* offset is from the range's base; size is 1, 2, 4 or 8 bytes.
	 * Return false for an access the device does not allow (the guest
	 * then receives an external abort, as from real hardware). */
	bool (*read)(struct vcpu *v, void *dev, uint64_t offset, unsigned size, uint64_t *val);
	bool (*write)(struct vcpu *v, void *dev, uint64_t offset, unsigned size, uint64_t val);
	/* The device's name for messages; NULL: the guest machine's
	 * (vmachine.h). Here, not in struct mmio_region, which the trap path
	 * walks and indexes: kept at 32 bytes. */
	const char *(*name)(const void *dev);
};

struct mmio_region {
	ipaddr_t base;
	uint64_t size;
	const struct mmio_ops *ops;
	void *dev;
};

/* Its own devices, and host devices reached through Vireo (devices.c). */
#define MMIO_MAX_REGIONS 16

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned n;
};

/* A region's name, for messages: its own, or the guest machine's device's. */
static inline const char *mmio_name(const struct mmio_region *r)
{
	return r->ops && r->ops->name ? r->ops->name(r->dev) : vm_region_name(r->base);
}

/* Adds a region; false if the bus is full or it overlaps another. */
bool mmio_register(struct mmio_bus *bus, ipaddr_t base, uint64_t size,
		   const struct mmio_ops *ops, void *dev);
/* The region containing all of [addr, addr + size), or NULL. */
const struct mmio_region *mmio_find(const struct mmio_bus *bus, ipaddr_t addr, unsigned size);

#endif
