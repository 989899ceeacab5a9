/*
 * The host devices a VM owns, as its configuration node names them, and
 * the checks that keep each device one VM's alone (docs/config.md):
 *
 *	vm@0 {
 *		...
 *		vireo,devices = "/virtio_mmio@a003e00", "/pl061@9030000";
 *		device@9040000 {			(or given by hand)
 *			compatible = "vireo,device";
 *			reg = <0x0 0x9040000 0x0 0x1000>;	(in the VM node's cells)
 *			interrupts = <0 8 4>;		(as the host GIC's binding writes them)
 *			vireo,ipa = <0x0 0x9040000>;	(default: reg's address)
 *			vireo,compatible = "arm,pl061";	(for the VM's tree; default: no node)
 *			dma-coherent;			(it masters DMA, coherently)
 *			vireo,dma;			(it masters DMA, whatever the tree says)
 *		};
 *	};
 *
 * A path names a node of the host tree: its one "reg" entry, translated to
 * a CPU address (fdt_util.c), its "interrupts" (which must be the GIC's)
 * and "dma-coherent" are the device; a "device@" child may name one with
 * "vireo,path" instead of "reg", to give it "vireo,ipa". Each device is
 * refused, by name, when it is RAM, or Vireo's own (the console UART, any
 * interrupt or MSI controller's registers: the GIC's, its ITS's), or an
 * interrupt of it is listed twice, or is private (a PPI: Vireo's timers and the
 * like are those) or the console's; when, in the VM, it would cover the
 * VM's RAM, a virtual device or another assigned device; and, across
 * VMs, when a device or one of its interrupts is given twice.
 *
 * A device does DMA when its host node is "dma-coherent" or its
 * "vireo,device" child says "vireo,dma" (a non-coherent bus master must
 * be named so: the tree has no other sign of one). That makes its VM
 * direct-mapped (RAM at IPA = PA,
 * placed at creation: core/devices.c), so such a VM may not choose its
 * RAM's IPA. Each interrupt gets an INTID in the VM: the host's own where
 * the VM's machine (vdev/vmachine.h) leaves it free and the VM's GIC has
 * it, else the highest free one.
 */
#include <libfdt.h>
#include <string.h>

#include "core/fdt_util.h"
#include "core/printk.h"
#include "core/vmconfig.h"
#include "vdev/vgic.h"

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		return -1;                          \
	} while (0)

/* The GIC binding's first cell and its trigger flags (arm,gic.yaml). */
#define GIC_SPEC_SPI 0
#define GIC_SPEC_PPI 1
#define GIC_EDGE_FLAGS 0x3

static bool overlaps_range(const struct mem_range *r, uint64_t base, uint64_t size)
{
	return r->size && ranges_overlap(pa_addr(r->base), r->size, base, size);
}

/* The first interrupt of node, as an INTID, from GIC cells; 0 if none. */
static unsigned first_spi(const void *fdt, int node)
{
	int len;
	const fdt32_t *spec = node >= 0 ? fdt_getprop(fdt, node, "interrupts", &len) : NULL;

	if (!spec || len < 12 || fdt32_to_cpu(spec[0]) != GIC_SPEC_SPI) {
		return 0;
	}
	return fdt32_to_cpu(spec[1]) + 32;
}

/* Whether node's interrupts go to the machine's GIC: its "interrupt-parent",
 * or its nearest ancestor's, names the node whose first "reg" is the GIC's
 * distributor. */
static bool gic_is_parent(const void *fdt, int node, const struct platform *p)
{
	struct mem_range r;
	int len, parent;

	while (node >= 0 && !fdt_getprop(fdt, node, "interrupt-parent", &len)) {
		node = node == 0 ? -1 : fdt_parent_offset(fdt, node);
	}
	if (node < 0 || len != 4) {
		return false;
	}
	parent = fdt_node_offset_by_phandle(
		fdt, fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, node, "interrupt-parent",
								 NULL)));
	return parent >= 0 && fdt_util_reg_cpu(fdt, parent, 0, &r) == 0 &&
	       pa_addr(r.base) == pa_addr(p->gic.dist.base);
}

/* The interrupts in spec (three GIC cells each), checked and stored. */
static int parse_irqs(const fdt32_t *spec, int len, const char *vm, const char *dev,
		      const struct platform *p, struct vm_device *d, char *err, size_t errlen)
{
	unsigned i, k;

	if (len % 12 || len / 12 > VM_DEVICE_MAX_IRQS) {
		FAIL("%s: device %s: \"interrupts\" must be 1 to %u interrupts of three cells", vm,
		     dev, VM_DEVICE_MAX_IRQS);
	}
	if (len && p->gic.version == 0) {
		FAIL("%s: device %s has interrupts, and this machine has no GIC to forward them", vm,
		     dev);
	}
	d->n_irqs = (unsigned)len / 12;
	for (i = 0; i < d->n_irqs; i++) {
		uint32_t type = fdt32_to_cpu(spec[i * 3]);
		uint32_t number = fdt32_to_cpu(spec[i * 3 + 1]);

		if (type == GIC_SPEC_PPI) {
			FAIL("%s: device %s: interrupt PPI %u is private to each CPU; Vireo keeps "
			     "those (its timers, the PMU's): only SPIs can be given to a VM",
			     vm, dev, number);
		}
		if (type != GIC_SPEC_SPI || number > 1019 - 32) {
			FAIL("%s: device %s: interrupt <%u %u> is not an SPI", vm, dev, type, number);
		}
		d->irq[i] = (uint16_t)(number + 32);
		d->edge[i] = fdt32_to_cpu(spec[i * 3 + 2]) & GIC_EDGE_FLAGS;
		for (k = 0; k < i; k++) {
			if (d->irq[k] == d->irq[i]) {
				FAIL("%s: device %s: interrupt %u is listed twice", vm, dev, d->irq[i]);
			}
		}
	}
	return 0;
}

/* A device named by its node in the host tree. */
static int from_host_node(const void *fdt, const char *path, const char *vm,
			  const struct platform *p, struct vm_device *d, char *err,
			  size_t errlen)
{
	struct mem_range r;
	const fdt32_t *spec;
	int node, n, e, len = 0;

	node = fdt_path_offset(fdt, path);
	if (node < 0) {
		FAIL("%s: device %s: no such node in the machine's device tree", vm, path);
	}
	n = fdt_util_reg_count(fdt, node);
	if (n != 1) {
		FAIL("%s: device %s has %d \"reg\" entries; a device of one register range can "
		     "be given to a VM",
		     vm, path, n);
	}
	e = fdt_util_reg_cpu(fdt, node, 0, &r);
	if (e < 0) {
		FAIL("%s: device %s: \"reg\": %s", vm, path, fdt_util_strerror(e));
	}
	spec = fdt_getprop(fdt, node, "interrupts", &len);
	if (fdt_getprop(fdt, node, "interrupts-extended", NULL) ||
	    (spec && !gic_is_parent(fdt, node, p))) {
		FAIL("%s: device %s: its interrupts are not the GIC's", vm, path);
	}
	*d = (struct vm_device){ .name = path, .path = path, .fdt = fdt, .node = node, .pa = r.base,
				 .size = r.size, .ipa = pa_addr(r.base),
				 .coherent = fdt_getprop(fdt, node, "dma-coherent", NULL) != NULL };
	return parse_irqs(spec, spec ? len : 0, vm, path, p, d, err, errlen);
}

/* A "vireo,device" child: "vireo,path", or "reg" and "interrupts" of its own. */
static int from_child(const void *fdt, int vm_node, int child, const char *vm,
		      const struct platform *p, struct vm_device *d, char *err, size_t errlen)
{
	const char *dev = fdt_get_name(fdt, child, NULL);
	const char *path = fdt_util_string(fdt, child, "vireo,path");
	const fdt32_t *prop;
	struct mem_range r;
	int len;

	if (path) {
		if (from_host_node(fdt, path, vm, p, d, err, errlen) < 0) {
			return -1;
		}
	} else {
		if (vmconfig_reg(fdt, vm_node, child, &r) < 0) {
			FAIL("%s: device %s: \"vireo,path\" or a non-empty \"reg\" is needed", vm,
			     dev);
		}
		prop = fdt_getprop(fdt, child, "interrupts", &len);
		*d = (struct vm_device){ .name = dev, .fdt = fdt, .node = -1, .pa = r.base, .size = r.size,
					 .ipa = pa_addr(r.base),
					 .compatible = fdt_util_string(fdt, child, "vireo,compatible"),
					 .coherent = fdt_getprop(fdt, child, "dma-coherent", NULL) != NULL };
		if (parse_irqs(prop, prop ? len : 0, vm, dev, p, d, err, errlen) < 0) {
			return -1;
		}
	}
	/* A bus master the host's tree does not call coherent. */
	d->dma |= fdt_getprop(fdt, child, "vireo,dma", NULL) != NULL;
	prop = fdt_getprop(fdt, child, "vireo,ipa", &len);
	if (prop) {
		if (len != 8 && len != 4) {
			FAIL("%s: device %s: \"vireo,ipa\" must be one or two cells", vm, dev);
		}
		d->ipa = fdt_util_cells(&prop, len / 4);
	}
	return 0;
}

/* The node whose registers overlap [base, base + size) among those that
 * are interrupt or MSI controllers (the GIC's every frame, its ITS, the
 * Pi's local controller): Vireo's, or, for an ITS, a DMA master no VM may
 * drive. -1 if none. */
static int controller_at(const void *fdt, uint64_t base, uint64_t size)
{
	struct mem_range r;
	int node, i;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		if (!fdt_getprop(fdt, node, "interrupt-controller", NULL) &&
		    !fdt_getprop(fdt, node, "msi-controller", NULL)) {
			continue;
		}
		for (i = 0; fdt_util_reg_cpu(fdt, node, i, &r) == 0; i++) {
			if (overlaps_range(&r, base, size)) {
				return node;
			}
		}
	}
	return -1;
}

/* The host's side: a device, not RAM, and none of Vireo's own, nor one
 * of their interrupts. */
static int check_host(const struct vm_device *d, const char *vm, const char *dev,
		      const struct platform *p, char *err, size_t errlen)
{
	const struct gic_desc *g = &p->gic;
	const struct mem_range *gic[] = { &g->dist, &g->redist, &g->cpuif, &g->hypif, &g->vcpuif };
	uint64_t base = pa_addr(d->pa);
	unsigned i, uart_irq = first_spi(p->fdt, p->uart_node);
	int ctl;

	if (d->size == 0 || base + d->size < base) {
		FAIL("%s: device %s: its registers 0x%lx+0x%lx are no range", vm, dev, base,
		     d->size);
	}
	for (i = 0; i < p->n_ram; i++) {
		if (overlaps_range(&p->ram[i], base, d->size)) {
			FAIL("%s: device %s at 0x%lx is RAM, not a device", vm, dev, base);
		}
	}
	if (overlaps_range(&p->uart, base, d->size)) {
		FAIL("%s: device %s at 0x%lx is the console UART, which Vireo uses", vm, dev, base);
	}
	for (i = 0; i < ARRAY_SIZE(gic); i++) {
		if (overlaps_range(gic[i], base, d->size)) {
			FAIL("%s: device %s at 0x%lx is part of the GIC, which Vireo uses", vm, dev,
			     base);
		}
	}
	ctl = controller_at(p->fdt, base, d->size);
	if (ctl >= 0) {
		FAIL("%s: device %s at 0x%lx is an interrupt controller's (%s), which Vireo uses", vm,
		     dev, base, fdt_get_name(p->fdt, ctl, NULL));
	}
	for (i = 0; i < d->n_irqs; i++) {
		if (d->irq[i] == uart_irq) {
			FAIL("%s: device %s: interrupt %u (SPI %u) is the console UART's, which "
			     "Vireo uses",
			     vm, dev, d->irq[i], d->irq[i] - 32);
		}
	}
	return 0;
}

/* The VM's side: where it sees the device. A device of whole pages is
 * mapped, so its address in the VM must be a page's; a smaller one is
 * reached through Vireo at any address. */
static int check_ipa(const struct vm_config *c, const struct vm_device *d, const char *dev,
		     char *err, size_t errlen)
{
	bool pages = vm_device_mapped(d);
	unsigned r, i;

	if (d->ipa + d->size < d->ipa) {
		FAIL("%s: device %s: IPA 0x%lx runs past the end of the address space", c->name,
		     dev, d->ipa);
	}
	if (pages && !IS_ALIGNED(d->ipa, PAGE_SIZE)) {
		FAIL("%s: device %s: \"vireo,ipa\" 0x%lx must be a multiple of 4 KiB, as its "
		     "registers are",
		     c->name, dev, d->ipa);
	}
	if (!pages && !IS_ALIGNED(d->ipa ^ pa_addr(d->pa), 8)) {
		FAIL("%s: device %s: \"vireo,ipa\" 0x%lx must keep the registers' alignment "
		     "(8 bytes)",
		     c->name, dev, d->ipa);
	}
	for (r = 0; r < VM_NR_REGIONS; r++) {
		if (ranges_overlap(d->ipa, d->size, vm_regions[r].base, vm_regions[r].size)) {
			FAIL("%s: device %s at IPA 0x%lx would cover the VM's %s at 0x%lx", c->name,
			     dev, d->ipa, vm_regions[r].node, vm_regions[r].base);
		}
	}
	for (i = 0; i < c->n_devices; i++) {
		if (ranges_overlap(d->ipa, d->size, c->devices[i].ipa, c->devices[i].size)) {
			FAIL("%s: device %s at IPA 0x%lx would cover device %s", c->name, dev, d->ipa,
			     c->devices[i].name);
		}
	}
	return 0;
}

/* Whether the VM's INTID intid is its machine's or another device's. */
static bool virq_taken(const struct vm_config *c, const struct vm_device *d, unsigned intid)
{
	unsigned r, i, k;

	for (r = 0; r < VM_NR_REGIONS; r++) {
		unsigned first = vm_regions[r].intid;
		unsigned n = r == VM_CHANNELS ? MAX_CHANNELS : 1;

		if (first && intid >= first && intid < first + n) {
			return true;
		}
	}
	for (i = 0; i <= c->n_devices; i++) {
		const struct vm_device *o = i < c->n_devices ? &c->devices[i] : d;

		for (k = 0; k < (o == d ? 0U : o->n_irqs); k++) {
			if (o->virq[k] == intid) {
				return true;
			}
		}
	}
	for (k = 0; k < d->n_irqs; k++) {
		if (d->virq[k] == intid) {
			return true;
		}
	}
	return false;
}

/* The VM's INTID for each of d's interrupts: the same as the host's when
 * it can be, else the highest free SPI of the VM's GIC. */
static int assign_virqs(const struct vm_config *c, struct vm_device *d, const char *dev,
			char *err, size_t errlen)
{
	unsigned i, intid;

	for (i = 0; i < d->n_irqs; i++) {
		d->virq[i] = 0;
		intid = d->irq[i];
		if (intid >= VGIC_NR_IRQS || virq_taken(c, d, intid)) {
			for (intid = VGIC_NR_IRQS - 1; intid >= VGIC_NR_PRIVATE; intid--) {
				if (!virq_taken(c, d, intid)) {
					break;
				}
			}
		}
		if (intid < VGIC_NR_PRIVATE) {
			FAIL("%s: device %s: no SPI left in the VM's GIC for interrupt %u", c->name,
			     dev, d->irq[i]);
		}
		d->virq[i] = (uint16_t)intid;
	}
	return 0;
}

static int add_device(struct vm_config *c, struct vm_device *d, const char *dev,
		      const struct platform *p, char *err, size_t errlen)
{
	if (c->n_devices == VM_MAX_DEVICES) {
		FAIL("%s: more than %u devices", c->name, VM_MAX_DEVICES);
	}
	if (check_host(d, c->name, dev, p, err, errlen) < 0 ||
	    check_ipa(c, d, dev, err, errlen) < 0 || assign_virqs(c, d, dev, err, errlen) < 0) {
		return -1;
	}
	d->dma |= d->coherent;
	c->devices[c->n_devices++] = *d;
	c->direct_map |= d->dma;
	return 0;
}

int vmconfig_parse_devices(const void *fdt, int node, const struct platform *p,
			   struct vm_config *c, char *err, size_t errlen)
{
	int n = fdt_stringlist_count(fdt, node, "vireo,devices");
	struct vm_device d;
	int i, child;

	c->n_devices = 0;
	c->direct_map = false;
	if (n < 0 && fdt_getprop(fdt, node, "vireo,devices", NULL)) {
		FAIL("%s: \"vireo,devices\" must be a list of strings", c->name);
	}
	for (i = 0; i < n; i++) {
		const char *path = fdt_stringlist_get(fdt, node, "vireo,devices", i, NULL);

		if (!path || path[0] != '/') {
			FAIL("%s: \"vireo,devices\" must list paths in the machine's device tree",
			     c->name);
		}
		if (from_host_node(fdt, path, c->name, p, &d, err, errlen) < 0 ||
		    add_device(c, &d, path, p, err, errlen) < 0) {
			return -1;
		}
	}
	fdt_for_each_subnode(child, fdt, node) {
		if (fdt_node_check_compatible(fdt, child, "vireo,device") != 0) {
			continue;
		}
		if (from_child(fdt, node, child, c->name, p, &d, err, errlen) < 0 ||
		    add_device(c, &d, d.name, p, err, errlen) < 0) {
			return -1;
		}
	}
	if (c->direct_map && c->ram_ipa_given) {
		FAIL("%s: a device of it does DMA, so its RAM must be at IPA = PA; drop "
		     "\"vireo,ram-ipa\"",
		     c->name);
	}
	for (i = 0; !c->direct_map && i < (int)c->n_devices; i++) {
		if (ranges_overlap(c->devices[i].ipa, c->devices[i].size, c->ram_ipa, c->mem_size)) {
			FAIL("%s: device %s at IPA 0x%lx would cover the VM's RAM", c->name,
			     c->devices[i].name, c->devices[i].ipa);
		}
	}
	return 0;
}

/* An interrupt that devices a and b both have, or 0. */
static unsigned shared_irq(const struct vm_device *a, const struct vm_device *b)
{
	unsigned i, k;

	for (i = 0; i < a->n_irqs; i++) {
		for (k = 0; k < b->n_irqs; k++) {
			if (a->irq[i] == b->irq[k]) {
				return a->irq[i];
			}
		}
	}
	return 0;
}

int vmconfig_check_devices(const struct vm_config *cfg, unsigned n, char *err, size_t errlen)
{
	unsigned i, j, k, l, irq;

	for (i = 0; i < n; i++) {
		for (k = 0; k < cfg[i].n_devices; k++) {
			const struct vm_device *a = &cfg[i].devices[k];

			for (j = 0; j <= i; j++) {
				for (l = 0; l < (j == i ? k : cfg[j].n_devices); l++) {
					const struct vm_device *b = &cfg[j].devices[l];

					if (ranges_overlap(pa_addr(a->pa), a->size, pa_addr(b->pa),
						    b->size)) {
						FAIL("%s: device %s at 0x%lx is %s's device %s "
						     "already",
						     cfg[i].name, a->name, pa_addr(a->pa),
						     cfg[j].name, b->name);
					}
					irq = shared_irq(a, b);
					if (irq) {
						FAIL("%s: device %s has interrupt %u, which device "
						     "%s of %s has too",
						     cfg[i].name, a->name, irq, b->name,
						     cfg[j].name);
					}
				}
			}
		}
	}
	return 0;
}
