/*
 * Host devices given to VMs (core/devices.c): their registers in the VM's
 * address space, their interrupts forwarded to its virtual GIC.
 */
#ifndef VIREO_CORE_DEVICES_H
#define VIREO_CORE_DEVICES_H

#include "core/irq.h"
#include "core/vmconfig.h"

struct vm;

/* One forwarded interrupt: the physical SPI, the VM's, and the physical
 * CPU it is routed to now. */
struct dev_irq {
	struct vm *vm;
	uint16_t pintid, vintid;
	struct pcpu *target;
};

/* A device smaller than a page, reached through Vireo: its registers as
 * Vireo maps them. */
struct dev_regs {
	volatile uint8_t *base;
	uint64_t size;
	char name[24]; /* its node's, without the address: its emulated range's */
};

/* What a VM's devices need at run time, in struct vm. */
struct vm_devices {
	struct dev_irq irqs[VM_MAX_DEVICES * VM_DEVICE_MAX_IRQS];
	unsigned n_irqs;
	struct dev_regs regs[VM_MAX_DEVICES];
};

/* Whether the VM's RAM, placed at IPA = PA, leaves room for its devices
 * and its virtual machine's (says why not). */
bool devices_direct_map_ok(struct vm *vm);
/* Maps the VM's devices and forwards their interrupts, once its virtual
 * GIC is attached; false (with a message) if the mode cannot. Boot only. */
bool devices_attach(struct vm *vm);
/* After the VM's virtual GIC was reset (a restart): links its SPIs again,
 * and ends physical interrupts that no guest will now end. */
void devices_reset(struct vm *vm);
/* The VM is gone for good: its interrupts are disabled and ended. */
void devices_detach(struct vm *vm);

#endif
