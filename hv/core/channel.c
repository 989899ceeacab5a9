/*
 * Channels: memory two VMs share, and a doorbell each can ring in the
 * other.
 *
 * Each channel the configuration declares ("vireo,channel", vmconfig.c)
 * gets its own zeroed pages at boot, mapped into both of its VMs at the same
 * IPA, channel_ipa(id), as normal memory. Ringing the doorbell
 * (VIREO_HC_DOORBELL) raises the edge-triggered SPI channel_intid(id) in the
 * other VM, through its virtual GIC. Only the two VMs a channel names can
 * see it or ring it: for any other VM the channel's IPA is unmapped and the
 * hypercall answers DENIED. What the VMs put in the memory is their own
 * protocol; guests/common/vireo_pv.c has a simple one.
 */
#include "core/channel.h"

#include "core/hypercall.h"
#include "core/mem.h"
#include "core/vm.h"
#include "core/vmode.h"

static struct channel channels[MAX_CHANNELS];
static unsigned nr_channels;
static const struct channel_config *configs;

bool channels_init(const struct channel_config *cfg, unsigned n)
{
	unsigned i;

	configs = cfg;
	nr_channels = n;
	for (i = 0; i < n; i++) {
		channels[i].size = cfg[i].size;
		if (!mem_alloc(cfg[i].size / PAGE_SIZE, 1, &channels[i].mem)) {
			return false;
		}
	}
	return true;
}

bool channels_attach(struct vm *vm, unsigned vm_index)
{
	unsigned i, e;

	for (i = 0; i < nr_channels; i++) {
		for (e = 0; e < 2; e++) {
			if (configs[i].vm[e] != vm_index) {
				continue;
			}
			channels[i].end[e] = vm;
			if (vmode->vm_map(vm, channel_ipa(i), channels[i].mem, channels[i].size,
					  VM_MEM_RAM) != 0) {
				return false;
			}
		}
	}
	return true;
}

void channels_of(const struct vm *vm, void (*fn)(void *ctx, unsigned id, const struct channel *c),
		 void *ctx)
{
	unsigned i;

	for (i = 0; i < nr_channels; i++) {
		if (configs[i].vm[0] == vm->id || configs[i].vm[1] == vm->id) {
			fn(ctx, i, &channels[i]);
		}
	}
}

/* Which end of channel id vm is: 0, 1, or -1 if it is none. */
static int end_of(const struct vm *vm, uint64_t id)
{
	if (configs[id].vm[0] == vm->id) {
		return 0;
	}
	return configs[id].vm[1] == vm->id ? 1 : -1;
}

/* The one check both calls make: the channel exists (else
 * INVALID_PARAMETERS) and the caller is one of its ends (else DENIED). */
static int64_t member(const struct vcpu *v, uint64_t id, int *end)
{
	if (id >= nr_channels) {
		return VIREO_INVALID_PARAMETERS;
	}
	*end = end_of(v->vm, id);
	return *end < 0 ? VIREO_DENIED : VIREO_SUCCESS;
}

int64_t channel_info(struct vcpu *v, uint64_t id)
{
	int64_t err;
	int end;

	if ((err = member(v, id, &end)) != VIREO_SUCCESS) {
		return err;
	}
	vcpu_set_reg(v, 1, ipa_addr(channel_ipa(id)));
	vcpu_set_reg(v, 2, channels[id].size);
	vcpu_set_reg(v, 3, channel_intid(id) | (uint64_t)end << 16);
	return VIREO_SUCCESS;
}

int64_t channel_ring(struct vcpu *v, uint64_t id)
{
	struct vm *peer;
	int64_t err;
	int end;

	if ((err = member(v, id, &end)) != VIREO_SUCCESS) {
		return err;
	}
	peer = channels[id].end[!end];
	if (!peer || !peer->has_gic || !vm_is_running(peer)) {
		return VIREO_DENIED;
	}
	vgic_trigger(&peer->vgic, 0, channel_intid(id));
	return VIREO_SUCCESS;
}
