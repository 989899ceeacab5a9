/*
 * The machine every VM sees, in one table: where each virtual device and
 * each paravirtual page sits in guest-physical space, how large it is and
 * which interrupt it raises.
 *
 * It mirrors QEMU's virt machine, so software built for that machine runs
 * unmodified. Everything that needs a guest address or a guest interrupt
 * number takes it from here: the checks of the configuration (vmconfig.c:
 * a VM's RAM must not overlap the device window), the registration of the
 * emulated devices (vm.c, the interrupt back ends), the maps of the pages
 * given to a VM (pv.c, channel.c) and the guest's device tree
 * (guest_fdt.c). No guest address is written anywhere else.
 */
#ifndef VIREO_VDEV_VMACHINE_H
#define VIREO_VDEV_VMACHINE_H

#include "core/types.h"

enum vm_region_id {
	VM_GICD,     /* the virtual GIC's distributor */
	VM_GICC,     /* a GICv2's CPU interface (the hardware's virtual one) */
	VM_ITS,      /* a GICv3's ITS, if the VM has one: control, then translation frame */
	VM_GICR,     /* a GICv3's redistributors, one 128 KiB frame per vCPU */
	VM_UART,     /* the PL011 console */
	VM_RTC,      /* the PL031 real-time clock */
	VM_PVTIME,   /* Arm PV time's stolen-time records (DEN0057A) */
	VM_WDOG,     /* the SBSA Generic Watchdog: control, then refresh frame */
	VM_CHANNELS, /* channel i's memory at base + i * CHANNEL_MAX_SIZE */
	VM_NR_REGIONS,
};

struct vm_region {
	const char *node; /* the device tree node's name, without the address */
	uint64_t base;
	uint64_t size;    /* the most it may take */
	unsigned intid;   /* the (first) interrupt it raises, 0 for none */
};

extern const struct vm_region vm_regions[VM_NR_REGIONS];

/* The device tree node name of the region at base ("device" if none). */
const char *vm_region_name(ipaddr_t base);

static inline ipaddr_t vm_region_ipa(enum vm_region_id id)
{
	return ipa(vm_regions[id].base);
}

/* Guest-physical space reserved for devices: RAM may not overlap it. */
#define VM_DEVICE_START 0x08000000UL
#define VM_DEVICE_END 0x0a000000UL

/* The architected timers' private interrupts (PPIs), as on every Arm
 * machine (the Server Base System Architecture's numbers). */
#define VIRQ_HYP_TIMER 26
#define VIRQ_VTIMER 27
#define VIRQ_SEC_PTIMER 29
#define VIRQ_PTIMER 30
/* The PMU's overflow interrupt (the SBSA's PPI too, as on QEMU virt). */
#define VIRQ_PMU 23

#endif
