/*
 * Generating a VM's device tree with libfdt's sequential writer.
 *
 * The tree describes exactly the machine Vireo gives the VM, which mirrors
 * QEMU's virt machine: its RAM, one cpu node per vCPU (reg = the vCPU's
 * virtual MPIDR, enable-method PSCI), PSCI 1.0+ through HVC, the GIC (v3
 * or v2, as the mode gives) where vdev/vmachine.h puts it, with its ITS
 * if the configuration asks for one, the architected timer with its usual
 * PPIs, the PMU with its PPI when guests are shown one, the PL011 and the
 * PL031 real-time clock with the
 * fixed clock Linux's AMBA bus wants, and the host devices the VM owns,
 * their nodes copied from the host's tree. /chosen carries the command line
 * (console=ttyAMA0 when the configuration gives none), the initrd's
 * location and stdout-path.
 * Deliberately absent: a "xen,xen" /hypervisor node, which would make Linux
 * switch to Xen's interfaces.
 *
 * Built once, when the VM is created (libfdt uses FP/SIMD registers, and
 * no guest's are live then); vm_load.c copies it into guest RAM at every boot.
 */
#include "vdev/guest_fdt.h"

#include <libfdt.h>

#include "arch/aarch64/idregs.h"
#include "core/channel.h"
#include "core/printk.h"
#include "core/vm.h"

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2
#define PHANDLE_ITS 3

#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_EDGE_RISING 1
#define IRQ_LEVEL_HIGH 4

/* "name@base" for a region of the guest machine. */
static const char *node_name(char *buf, size_t len, enum vm_region_id id, uint64_t offset)
{
	snprintf(buf, len, "%s@%lx", vm_regions[id].node, vm_regions[id].base + offset);
	return buf;
}

static int prop_u64s(void *fdt, const char *name, const uint64_t *v, unsigned n)
{
	fdt64_t cells[8];
	unsigned i;

	for (i = 0; i < n; i++) {
		cells[i] = cpu_to_fdt64(v[i]);
	}
	return fdt_property(fdt, name, cells, n * sizeof(cells[0]));
}

static int prop_u32s(void *fdt, const char *name, const uint32_t *v, unsigned n)
{
	fdt32_t cells[12];
	unsigned i;

	for (i = 0; i < n; i++) {
		cells[i] = cpu_to_fdt32(v[i]);
	}
	return fdt_property(fdt, name, cells, n * sizeof(cells[0]));
}

static int add_chosen(void *fdt, const struct vm *vm)
{
	const char *args = vm->cfg.bootargs ? vm->cfg.bootargs : "console=ttyAMA0";
	char path[40];
	int err = fdt_begin_node(fdt, "chosen");

	err |= fdt_property_string(fdt, "bootargs", args);
	path[0] = '/';
	node_name(path + 1, sizeof(path) - 1, VM_UART, 0);
	err |= fdt_property_string(fdt, "stdout-path", path);
	if (vm->initrd_size) {
		err |= fdt_property_u64(fdt, "linux,initrd-start", ipa_addr(vm->initrd_ipa));
		err |= fdt_property_u64(fdt, "linux,initrd-end",
					ipa_addr(vm->initrd_ipa) + vm->initrd_size);
	}
	return err | fdt_end_node(fdt);
}

static int add_memory(void *fdt, const struct vm *vm)
{
	uint64_t reg[2] = { ipa_addr(vm->ram_ipa), vm->ram_size };
	char name[32];
	int err;

	snprintf(name, sizeof(name), "memory@%lx", ipa_addr(vm->ram_ipa));
	err = fdt_begin_node(fdt, name);

	err |= fdt_property_string(fdt, "device_type", "memory");
	err |= prop_u64s(fdt, "reg", reg, 2);
	return err | fdt_end_node(fdt);
}

static int add_cpus(void *fdt, const struct vm *vm)
{
	char name[16];
	unsigned i;
	int err = fdt_begin_node(fdt, "cpus");

	err |= fdt_property_u32(fdt, "#address-cells", 1);
	err |= fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; i < vm->n_vcpus; i++) {
		uint32_t aff = vm->vcpus[i].vmpidr & 0xffffff;

		snprintf(name, sizeof(name), "cpu@%x", aff);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "device_type", "cpu");
		err |= fdt_property_string(fdt, "compatible", "arm,armv8");
		err |= fdt_property_u32(fdt, "reg", aff);
		err |= fdt_property_string(fdt, "enable-method", "psci");
		err |= fdt_end_node(fdt);
	}
	return err | fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int err = fdt_begin_node(fdt, "psci");

	err |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	err |= fdt_property_string(fdt, "method", "hvc");
	return err | fdt_end_node(fdt);
}

/* The ITS, a child of the GICv3 node as on QEMU virt (the binding
 * arm,gic-v3.yaml), for a VM configured with one: an MSI controller whose
 * one cell is the DeviceID. */
static int add_its(void *fdt)
{
	uint64_t reg[2] = { vm_regions[VM_ITS].base, vm_regions[VM_ITS].size };
	char name[32];
	int err = fdt_begin_node(fdt, node_name(name, sizeof(name), VM_ITS, 0));

	err |= fdt_property_string(fdt, "compatible", "arm,gic-v3-its");
	err |= fdt_property(fdt, "msi-controller", NULL, 0);
	err |= fdt_property_u32(fdt, "#msi-cells", 1);
	err |= prop_u64s(fdt, "reg", reg, 2);
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_ITS);
	return err | fdt_end_node(fdt);
}

/* A GICv3 with one redistributor per vCPU, or a GICv2 whose CPU interface
 * is the hardware's virtual one (the EL2 mode maps it at VM_GICC). */
static int add_gic(void *fdt, const struct vm *vm)
{
	uint64_t v3_reg[4] = { vm_regions[VM_GICD].base, vm_regions[VM_GICD].size,
			       vm_regions[VM_GICR].base, vm->n_vcpus * VGIC_REDIST_STRIDE };
	uint64_t v2_reg[4] = { vm_regions[VM_GICD].base, vm_regions[VM_GICD].size,
			       vm_regions[VM_GICC].base, vm_regions[VM_GICC].size };
	bool v3 = !vm->vgic.v2;
	char name[32];
	int err = fdt_begin_node(fdt, node_name(name, sizeof(name), VM_GICD, 0));

	err |= fdt_property_string(fdt, "compatible", v3 ? "arm,gic-v3" : "arm,cortex-a15-gic");
	err |= fdt_property_u32(fdt, "#interrupt-cells", 3);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (v3) {
		err |= fdt_property_u32(fdt, "#redistributor-regions", 1);
	}
	err |= prop_u64s(fdt, "reg", v3 ? v3_reg : v2_reg, 4);
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
	if (v3 && vm->cfg.its) {
		err |= fdt_property_u32(fdt, "#address-cells", 2);
		err |= fdt_property_u32(fdt, "#size-cells", 2);
		err |= fdt_property(fdt, "ranges", NULL, 0);
		err |= add_its(fdt);
	}
	return err | fdt_end_node(fdt);
}

static int add_timer(void *fdt, const struct vm *vm)
{
	/* A GICv2 binding also names the CPUs a PPI reaches, in bits 15:8. */
	uint32_t flags = IRQ_LEVEL_HIGH |
			 (vm->vgic.v2 ? (BIT(vm->n_vcpus) - 1) << 8 : 0);
	/* Secure physical, non-secure physical, virtual, hypervisor PPIs,
	 * numbered from the first PPI, INTID 16. */
	const uint32_t irqs[12] = {
		GIC_PPI, VIRQ_SEC_PTIMER - 16, flags, GIC_PPI, VIRQ_PTIMER - 16, flags,
		GIC_PPI, VIRQ_VTIMER - 16,     flags, GIC_PPI, VIRQ_HYP_TIMER - 16, flags,
	};
	static const char compat[] = "arm,armv8-timer\0arm,armv7-timer";
	int err = fdt_begin_node(fdt, "timer");

	err |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	err |= prop_u32s(fdt, "interrupts", irqs, 12);
	err |= fdt_property(fdt, "always-on", NULL, 0);
	return err | fdt_end_node(fdt);
}

/* The PMU (el2/vpmu.c), when guests are shown one, with its PPI. */
static int add_pmu(void *fdt, const struct vm *vm)
{
	uint32_t flags = IRQ_LEVEL_HIGH |
			 (vm->vgic.v2 ? (BIT(vm->n_vcpus) - 1) << 8 : 0);
	const uint32_t irq[3] = { GIC_PPI, VIRQ_PMU - 16, flags };
	int err = fdt_begin_node(fdt, "pmu");

	err |= fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3");
	err |= prop_u32s(fdt, "interrupts", irq, 3);
	return err | fdt_end_node(fdt);
}

static int add_uart(void *fdt)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	uint64_t reg[2] = { vm_regions[VM_UART].base, vm_regions[VM_UART].size };
	uint32_t irq[3] = { GIC_SPI, vm_regions[VM_UART].intid - 32, IRQ_LEVEL_HIGH };
	uint32_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };
	char name[32];
	int err = fdt_begin_node(fdt, "apb-pclk");

	err |= fdt_property_string(fdt, "compatible", "fixed-clock");
	err |= fdt_property_u32(fdt, "#clock-cells", 0);
	err |= fdt_property_u32(fdt, "clock-frequency", 24000000);
	err |= fdt_property_string(fdt, "clock-output-names", "clk24mhz");
	err |= fdt_property_u32(fdt, "phandle", PHANDLE_CLK);
	err |= fdt_end_node(fdt);

	err |= fdt_begin_node(fdt, node_name(name, sizeof(name), VM_UART, 0));
	err |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	err |= prop_u64s(fdt, "reg", reg, 2);
	err |= prop_u32s(fdt, "interrupts", irq, 3);
	err |= prop_u32s(fdt, "clocks", clocks, 2);
	err |= fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	return err | fdt_end_node(fdt);
}

/* The PL031 real-time clock (vrtc.c): an AMBA device like the PL011,
 * with the same bus clock, and no interrupt, so no alarm. */
static int add_rtc(void *fdt)
{
	static const char compat[] = "arm,pl031\0arm,primecell";
	uint64_t reg[2] = { vm_regions[VM_RTC].base, vm_regions[VM_RTC].size };
	char name[32];
	int err = fdt_begin_node(fdt, node_name(name, sizeof(name), VM_RTC, 0));

	err |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	err |= prop_u64s(fdt, "reg", reg, 2);
	err |= fdt_property_u32(fdt, "clocks", PHANDLE_CLK);
	err |= fdt_property_string(fdt, "clock-names", "apb_pclk");
	return err | fdt_end_node(fdt);
}

/* The SBSA Generic Watchdog (vm_watchdog.c), in the binding Linux's
 * sbsa_gwdt reads: the control frame's registers first, the refresh
 * frame's second, and WS0 as its interrupt. */
static int add_watchdog(void *fdt, const struct vm *vm)
{
	const struct vm_region *r = &vm_regions[VM_WDOG];
	uint64_t reg[4] = { r->base + VWDOG_CONTROL, VWDOG_FRAME_SIZE, r->base + VWDOG_REFRESH,
			    VWDOG_FRAME_SIZE };
	uint32_t irq[3] = { GIC_SPI, r->intid - 32, IRQ_LEVEL_HIGH };
	char name[32];
	int err = fdt_begin_node(fdt, node_name(name, sizeof(name), VM_WDOG, 0));

	err |= fdt_property_string(fdt, "compatible", "arm,sbsa-gwdt");
	err |= prop_u64s(fdt, "reg", reg, 4);
	if (vm->has_gic) {
		err |= prop_u32s(fdt, "interrupts", irq, 3);
	}
	return err | fdt_end_node(fdt);
}

/* Properties of a host device's node that name other host nodes (by
 * phandle) or describe the host's wiring: not copied. */
static bool host_only(const char *name)
{
	static const char *const names[] = {
		"reg", "interrupts", "interrupts-extended", "interrupt-parent",
		"phandle", "linux,phandle", "status", "clocks", "clock-names", "resets",
		"reset-names", "dmas", "dma-names", "power-domains", "iommus", "msi-parent",
		"pinctrl-names", "interrupt-map", "interrupt-map-mask", "assigned-clocks",
		"assigned-clock-parents", "assigned-clock-rates", "phys", "phy-names",
		"memory-region", "mboxes", "nvmem-cells",
	};
	size_t n = strlen(name);
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(name, names[i]) == 0) {
			return true;
		}
	}
	return strncmp(name, "pinctrl-", 8) == 0 || strcmp(name, "gpios") == 0 ||
	       (n > 6 && strcmp(name + n - 6, "-gpios") == 0) ||
	       (n > 7 && strcmp(name + n - 7, "-supply") == 0);
}

/* A host device's clocks, when each is a fixed clock of no cells (QEMU
 * virt's AMBA devices have its 24 MHz apb-pclk): as many of the VM's own
 * fixed clock, with the names. Any other clock has no twin here. */
static int copy_clocks(void *fdt, const struct vm_device *d)
{
	uint32_t clocks[4];
	const void *names;
	int len, names_len, i, n;
	const fdt32_t *cells = fdt_getprop(d->fdt, d->node, "clocks", &len);

	n = cells ? len / 4 : 0;
	if (n < 1 || n > 4) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		int clk = fdt_node_offset_by_phandle(d->fdt, fdt32_to_cpu(cells[i]));
		const fdt32_t *cc = clk >= 0 ? fdt_getprop(d->fdt, clk, "#clock-cells", &len) : NULL;

		if (!cc || len != 4 || fdt32_to_cpu(*cc) != 0 ||
		    fdt_node_check_compatible(d->fdt, clk, "fixed-clock") != 0) {
			return 0;
		}
		clocks[i] = PHANDLE_CLK;
	}
	names = fdt_getprop(d->fdt, d->node, "clock-names", &names_len);
	return prop_u32s(fdt, "clocks", clocks, (unsigned)n) |
	       (names ? fdt_property(fdt, "clock-names", names, names_len) : 0);
}

/* A host device the VM owns (core/devices.c): the host's node, less what
 * names the host's wiring, at the VM's address, with the VM's INTIDs. A
 * device given by "reg" alone has a node only if the configuration gave
 * it a compatible. */
static int add_device(void *fdt, const struct vm_device *d)
{
	uint64_t reg[2] = { d->ipa, d->size };
	uint32_t irqs[VM_DEVICE_MAX_IRQS * 3];
	const char *host_name = d->node >= 0 ? fdt_get_name(d->fdt, d->node, NULL) : "device";
	const char *at;
	char name[64];
	size_t base;
	unsigned i;
	int prop, err;

	if (d->node < 0 && !d->compatible) {
		return 0;
	}
	/* The host's name, with the VM's address after the "@". */
	at = strchr(host_name, '@');
	base = MIN(at ? (size_t)(at - host_name) : strlen(host_name), sizeof(name) - 20);
	memcpy(name, host_name, base);
	snprintf(name + base, sizeof(name) - base, "@%lx", d->ipa);
	err = fdt_begin_node(fdt, name);
	if (d->node < 0) {
		err |= fdt_property_string(fdt, "compatible", d->compatible);
		/* (Only a coherent master is said to be one: "vireo,dma" alone
		 * is not.) */
		if (d->coherent) {
			err |= fdt_property(fdt, "dma-coherent", NULL, 0);
		}
	} else {
		fdt_for_each_property_offset(prop, d->fdt, d->node) {
			const char *pname;
			int len;
			const void *val = fdt_getprop_by_offset(d->fdt, prop, &pname, &len);

			if (val && !host_only(pname)) {
				err |= fdt_property(fdt, pname, val, len);
			}
		}
		err |= copy_clocks(fdt, d);
	}
	err |= prop_u64s(fdt, "reg", reg, 2);
	for (i = 0; i < d->n_irqs; i++) {
		irqs[i * 3] = GIC_SPI;
		irqs[i * 3 + 1] = d->virq[i] - 32u;
		irqs[i * 3 + 2] = d->edge[i] ? IRQ_EDGE_RISING : IRQ_LEVEL_HIGH;
	}
	if (d->n_irqs) {
		err |= prop_u32s(fdt, "interrupts", irqs, d->n_irqs * 3);
	}
	return err | fdt_end_node(fdt);
}

struct channel_ctx {
	void *fdt;
	int err;
};

static void add_channel(void *ctx, unsigned id, const struct channel *c)
{
	struct channel_ctx *x = ctx;
	uint64_t reg[2] = { ipa_addr(channel_ipa(id)), c->size };
	uint32_t irq[3] = { GIC_SPI, channel_intid(id) - 32, 1 /* edge */ };
	char name[32];

	x->err |= fdt_begin_node(x->fdt, node_name(name, sizeof(name), VM_CHANNELS,
						   (uint64_t)id * CHANNEL_MAX_SIZE));
	x->err |= fdt_property_string(x->fdt, "compatible", "vireo,channel");
	x->err |= prop_u64s(x->fdt, "reg", reg, 2);
	x->err |= prop_u32s(x->fdt, "interrupts", irq, 3);
	x->err |= fdt_property_u32(x->fdt, "vireo,id", id);
	x->err |= fdt_end_node(x->fdt);
}

/* Tells a Vireo-aware guest where it runs and what it may use; Linux
 * ignores the node (only "xen,xen" would mean something to it). */
static int add_hypervisor(void *fdt, const struct vm *vm)
{
	struct channel_ctx ctx = { fdt, 0 };
	int err = fdt_begin_node(fdt, "hypervisor");

	err |= fdt_property_string(fdt, "compatible", "vireo,hypervisor-1.0");
	err |= fdt_property_u32(fdt, "#address-cells", 2);
	err |= fdt_property_u32(fdt, "#size-cells", 2);
	err |= fdt_property(fdt, "ranges", NULL, 0);
	channels_of(vm, add_channel, &ctx);
	return err | ctx.err | fdt_end_node(fdt);
}

size_t guest_fdt_build(const struct vm *vm, void *buf)
{
	unsigned i;
	int err = fdt_create(buf, GUEST_FDT_MAX);

	err |= fdt_finish_reservemap(buf);
	err |= fdt_begin_node(buf, "");
	err |= fdt_property_u32(buf, "#address-cells", 2);
	err |= fdt_property_u32(buf, "#size-cells", 2);
	err |= fdt_property_string(buf, "compatible", "linux,dummy-virt");
	err |= fdt_property_string(buf, "model", "Vireo virtual machine");
	if (vm->has_gic) {
		err |= fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC);
	}
	err |= add_chosen(buf, vm);
	err |= add_memory(buf, vm);
	err |= add_cpus(buf, vm);
	err |= add_psci(buf);
	if (vm->has_gic) {
		err |= add_gic(buf, vm);
		err |= add_timer(buf, vm);
		/* An AArch32 VM has no virtual PMU (idregs.c). */
		if (id_pmu_version() && !vm->aarch32) {
			err |= add_pmu(buf, vm);
		}
	}
	err |= add_uart(buf);
	err |= add_rtc(buf);
	if (vm->cfg.watchdog) {
		err |= add_watchdog(buf, vm);
	}
	for (i = 0; i < vm->cfg.n_devices; i++) {
		err |= add_device(buf, &vm->cfg.devices[i]);
	}
	err |= add_hypervisor(buf, vm);
	err |= fdt_end_node(buf);
	err |= fdt_finish(buf);
	return err ? 0 : fdt_totalsize(buf);
}
