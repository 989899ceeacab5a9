/*
 * Host devices given to VMs ("vireo,devices": vmconfig_devices.c). From
 * its VM's creation a device is that VM's alone: no driver of Vireo's
 * touches it, and no other VM can reach it.
 *
 * Registers. A device of whole pages is mapped into the VM's address
 * space as device memory, where the configuration puts it: the guest
 * reaches it without an exit. A smaller one cannot be, since the rest of
 * its page may be another VM's (QEMU's virtio-mmio transports are 512
 * bytes, eight to a page): its range, exactly, is registered as an
 * emulated one (mmio.c), and each access the guest makes there is made by
 * Vireo, of the same size at the same offset, on its EL2 mapping of the
 * device. The rest of the page faults like anything else unmapped.
 *
 * Interrupts. Each physical SPI gets the host tree's trigger, is routed
 * to the physical CPU of the vCPU the guest routes the virtual SPI to
 * (GICD_IROUTER or GICD_ITARGETSR, followed at each write through the
 * virtual GIC's hw_spi_changed), and enabled. When it fires, the handler
 * makes the virtual SPI pending and leaves the physical one active
 * (IRQ_FORWARDED); its list register is hardware-linked, so the guest's
 * deactivation ends the physical one too, and it can fire again only
 * then. The CPU that acknowledged it is the vCPU's home, whose list
 * registers the deactivation comes through. Where no guest will end it,
 * Vireo does: after a register write that leaves the virtual SPI neither
 * pending nor active (GICD_ICPENDR, GICD_ICACTIVER) and at a VM's reset.
 * A VM that stops for good has its interrupts disabled.
 *
 * Memory. A device that does DMA writes to the addresses the guest gives
 * it, with no IOMMU to translate them: the VM's RAM is placed at IPA = PA
 * (vm.c), which must then leave room for its machine's devices. Such RAM
 * is not handed out again when the VM stops: the device may still write
 * to it.
 */
#include "core/devices.h"

#include <string.h>

#include "core/printk.h"
#include "core/vm.h"
#include "core/vmode.h"

bool devices_direct_map_ok(struct vm *vm)
{
	uint64_t base = ipa_addr(vm->ram_ipa);
	unsigned i;

	if (ranges_overlap(base, vm->ram_size, VM_DEVICE_START, VM_DEVICE_END - VM_DEVICE_START)) {
		printk("vireo: %s: its RAM cannot be direct-mapped: the free RAM at PA 0x%lx would "
		       "cover its virtual devices at 0x%lx-0x%lx\n",
		       vm->name, base, VM_DEVICE_START, VM_DEVICE_END - 1);
		return false;
	}
	for (i = 0; i < vm->cfg.n_devices; i++) {
		const struct vm_device *d = &vm->cfg.devices[i];

		if (ranges_overlap(base, vm->ram_size, d->ipa, d->size)) {
			printk("vireo: %s: its RAM cannot be direct-mapped: the free RAM at PA 0x%lx "
			       "would cover device %s at 0x%lx\n",
			       vm->name, base, d->name, d->ipa);
			return false;
		}
	}
	return true;
}

/* --- registers reached through Vireo ------------------------------------ */

/* One access of the guest's, made on the device with the same size.
 * Device memory takes no unaligned access: refused, as the device would. */
static bool regs_access(void *dev, uint64_t off, unsigned size, uint64_t *val, bool write)
{
	volatile uint8_t *p = ((struct dev_regs *)dev)->base + off;

	/* The device's own address, which need not be as aligned as its
	 * range's start in the VM. */
	if ((uintptr_t)p % size) {
		return false;
	}
	switch (size) {
	case 1:
		write ? (void)(*p = (uint8_t)*val) : (void)(*val = *p);
		break;
	case 2:
		write ? (void)(*(volatile uint16_t *)p = (uint16_t)*val)
		      : (void)(*val = *(volatile uint16_t *)p);
		break;
	case 4:
		write ? (void)(*(volatile uint32_t *)p = (uint32_t)*val)
		      : (void)(*val = *(volatile uint32_t *)p);
		break;
	default:
		write ? (void)(*(volatile uint64_t *)p = *val) : (void)(*val = *(volatile uint64_t *)p);
		break;
	}
	return true;
}

static bool regs_read(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	return regs_access(dev, off, size, val, false);
}

static bool regs_write(struct vcpu *v, void *dev, uint64_t off, unsigned size, uint64_t val)
{
	return regs_access(dev, off, size, &val, true);
}

static const char *regs_name(const void *dev)
{
	return ((const struct dev_regs *)dev)->name;
}

static const struct mmio_ops regs_ops = {
	.read = regs_read,
	.write = regs_write,
	.name = regs_name,
};

static bool map_regs(struct vm *vm, unsigned i)
{
	const struct vm_device *d = &vm->cfg.devices[i];
	struct dev_regs *r = &vm->devices.regs[i];
	const char *slash;
	char *at;

	if (vm_device_mapped(d)) {
		return vmode->vm_map(vm, ipa(d->ipa), d->pa, d->size, VM_MEM_DEVICE) == 0;
	}
	r->base = vmode->map_device(d->pa, d->size);
	r->size = d->size;
	/* "/virtio_mmio@a003e00" is "virtio_mmio" in the statistics. */
	slash = strrchr(d->name, '/');
	strlcpy(r->name, slash ? slash + 1 : d->name, sizeof(r->name));
	at = strchr(r->name, '@');
	if (at) {
		*at = '\0';
	}
	return mmio_register(&vm->mmio, ipa(d->ipa), d->size, &regs_ops, r);
}

/* --- interrupts --------------------------------------------------------- */

static enum irq_result device_irq(void *ctx)
{
	struct dev_irq *d = ctx;
	struct pcpu *target;

	/* Stopped (devices_detach() will not enable it again) or restarting
	 * (devices_reset() will): nobody to give it to now. A restart that
	 * enabled it between the look and the disable must find it enabled. */
	if (!vm_is_running(d->vm)) {
		irqchip->disable(d->pintid);
		target = __atomic_load_n(&d->target, __ATOMIC_ACQUIRE);
		if (vm_is_running(d->vm) && target) {
			irqchip->enable(d->pintid, target);
		}
		return IRQ_HANDLED;
	}
	vgic_trigger(&d->vm->vgic, 0, d->vintid);
	return IRQ_FORWARDED;
}

static struct dev_irq *irq_of(struct vm *vm, unsigned vintid)
{
	unsigned i;

	for (i = 0; i < vm->devices.n_irqs; i++) {
		if (vm->devices.irqs[i].vintid == vintid) {
			return &vm->devices.irqs[i];
		}
	}
	return NULL;
}

/* Routes d to the home of vCPU idx, if it is not there already. */
static void route(struct vm *vm, struct dev_irq *d, int idx)
{
	struct pcpu *home = idx >= 0 ? vm->vcpus[idx].home : NULL;

	if (home && home != d->target) {
		__atomic_store_n(&d->target, home, __ATOMIC_RELEASE);
		irqchip->enable(d->pintid, home);
	}
}

/* A register write changed a linked SPI (the virtual GIC's lock is held). */
static void spi_changed(struct vgic *g, unsigned intid, int target, bool idle)
{
	struct vm *vm = g->owner;
	struct dev_irq *d = irq_of(vm, intid);

	if (!d) {
		return;
	}
	route(vm, d, target);
	if (idle) {
		irqchip->set_active(d->pintid, false);
	}
}

/* The virtual GIC's side, fresh after each reset of it, and each physical
 * SPI routed where its virtual one now goes, and enabled. */
static void link(struct vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->devices.n_irqs; i++) {
		vgic_link_spi(&vm->vgic, vm->devices.irqs[i].vintid, vm->devices.irqs[i].pintid);
	}
	vm->vgic.hw_spi_changed = spi_changed;
	for (i = 0; i < vm->devices.n_irqs; i++) {
		struct dev_irq *d = &vm->devices.irqs[i];

		__atomic_store_n(&d->target, NULL, __ATOMIC_RELEASE);
		route(vm, d, vgic_spi_target(&vm->vgic, d->vintid));
	}
}

static bool forward_irqs(struct vm *vm, const struct vm_device *dev)
{
	unsigned k;

	if (dev->n_irqs && (!vm->has_gic || !irqchip->disable)) {
		printk("vireo: %s: device %s: this machine cannot forward its interrupts\n",
		       vm->name, dev->name);
		return false;
	}
	for (k = 0; k < dev->n_irqs; k++) {
		struct dev_irq *d = &vm->devices.irqs[vm->devices.n_irqs];

		*d = (struct dev_irq){ vm, dev->irq[k], dev->virq[k], NULL };
		if (!irq_register(d->pintid, device_irq, d)) {
			printk("vireo: %s: device %s: interrupt %u is taken\n", vm->name, dev->name,
			       d->pintid);
			return false;
		}
		vm->devices.n_irqs++;
		irqchip->set_trigger(d->pintid, dev->edge[k]);
	}
	return true;
}

bool devices_attach(struct vm *vm)
{
	char irqs[VM_DEVICE_MAX_IRQS * 24] = "";
	size_t used;
	unsigned i, k;

	for (i = 0; i < vm->cfg.n_devices; i++) {
		const struct vm_device *d = &vm->cfg.devices[i];

		if (!map_regs(vm, i)) {
			printk("vireo: %s: device %s: cannot map it at IPA 0x%lx\n", vm->name, d->name,
			       d->ipa);
			return false;
		}
		if (!forward_irqs(vm, d)) {
			return false;
		}
		used = 0;
		for (k = 0; k < d->n_irqs; k++) {
			used += (size_t)snprintf(irqs + used, sizeof(irqs) - used, "%s %u as %u",
						 k ? "," : ", interrupt", d->irq[k], d->virq[k]);
		}
		printk("vireo: %s: device %s at IPA 0x%lx%s%s\n", vm->name, d->name, d->ipa,
		       vm_device_mapped(d) ? "" : " (through Vireo)",
		       irqs);
	}
	if (vm->devices.n_irqs) {
		link(vm);
	}
	return true;
}

void devices_reset(struct vm *vm)
{
	unsigned i;

	if (!vm->devices.n_irqs) {
		return;
	}
	link(vm);
	for (i = 0; i < vm->devices.n_irqs; i++) {
		irqchip->set_active(vm->devices.irqs[i].pintid, false);
	}
}

void devices_detach(struct vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->devices.n_irqs; i++) {
		irqchip->disable(vm->devices.irqs[i].pintid);
		irqchip->set_active(vm->devices.irqs[i].pintid, false);
	}
}
