/*
 * Shared-memory channels between VMs, with doorbells (channel.c).
 */
#ifndef VIREO_CORE_CHANNEL_H
#define VIREO_CORE_CHANNEL_H

#include "core/vmconfig.h"

struct vm;
struct vcpu;

/* Where channel i's memory appears in each of its VMs, and the SPI its
 * doorbell raises there (VM_CHANNELS in vdev/vmachine.h). */
static inline ipaddr_t channel_ipa(unsigned i)
{
	return ipa(vm_regions[VM_CHANNELS].base + (uint64_t)i * CHANNEL_MAX_SIZE);
}

static inline unsigned channel_intid(unsigned i)
{
	return vm_regions[VM_CHANNELS].intid + i;
}

struct channel {
	struct vm *end[2];
	paddr_t mem;
	uint64_t size;
};

/* Allocates each channel's memory; boot only, before the VMs are built. */
bool channels_init(const struct channel_config *cfg, unsigned n);
/* Maps vm's channels into it (vm_create()). */
bool channels_attach(struct vm *vm, unsigned vm_index);
/* The channels vm is an end of, for its device tree: calls fn for each. */
void channels_of(const struct vm *vm, void (*fn)(void *ctx, unsigned id, const struct channel *c),
		 void *ctx);
/* The hypercalls (hypercall.c): 0 or an error code; info fills x1-x3. */
int64_t channel_info(struct vcpu *v, uint64_t id);
int64_t channel_ring(struct vcpu *v, uint64_t id);

#endif
