/*
 * The per-VM registry of emulated device ranges. Devices register once,
 * when the VM is built; the data-abort handler looks the faulting IPA up
 * here. A VM has a handful of devices, so the lookup is a short linear scan.
 * Pure logic, unit tested on the host.
 */
#include "core/mmio.h"

bool mmio_register(struct mmio_bus *bus, ipaddr_t base, uint64_t size,
		   const struct mmio_ops *ops, void *dev)
{
	unsigned i;

	if (bus->n == MMIO_MAX_REGIONS || size == 0 || ipa_addr(base) + size < ipa_addr(base)) {
		return false;
	}
	for (i = 0; i < bus->n; i++) {
		const struct mmio_region *r = &bus->regions[i];

		if (ranges_overlap(ipa_addr(r->base), r->size, ipa_addr(base), size)) {
			return false;
		}
	}
	bus->regions[bus->n++] = (struct mmio_region){ base, size, ops, dev };
	return true;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, ipaddr_t addr, unsigned size)
{
	uint64_t a = ipa_addr(addr);
	unsigned i;

	for (i = 0; i < bus->n; i++) {
		const struct mmio_region *r = &bus->regions[i];

		if (a >= ipa_addr(r->base) && a + size <= ipa_addr(r->base) + r->size &&
		    a + size > a) {
			return r;
		}
	}
	return NULL;
}
