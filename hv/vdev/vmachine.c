/*
 * The guest machine's table (vmachine.h), and the checks that keep it
 * consistent: every region inside the device window, none overlapping.
 */
#include "vdev/vmachine.h"

#include "core/config.h"
#include "vdev/vgic.h"
#include "vdev/vgic_its.h"
#include "vdev/vrtc.h"
#include "vdev/vwdog.h"

#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL
#define ITS_BASE 0x08080000UL
#define GICR_BASE 0x080a0000UL
#define UART_BASE 0x09000000UL
#define RTC_BASE 0x09010000UL
#define PVTIME_BASE 0x090a0000UL
#define WDOG_BASE 0x09100000UL
#define CHANNELS_BASE 0x09400000UL

const struct vm_region vm_regions[VM_NR_REGIONS] = {
	[VM_GICD] = { "intc", GICD_BASE, VGIC_DIST_SIZE, 0 },
	[VM_GICC] = { "intc", GICC_BASE, 0x2000, 0 },
	[VM_ITS] = { "its", ITS_BASE, VGIC_ITS_SIZE, 0 },
	[VM_GICR] = { "intc", GICR_BASE, VGIC_MAX_VCPUS * VGIC_REDIST_STRIDE, 0 },
	[VM_UART] = { "pl011", UART_BASE, PAGE_SIZE, 33 /* SPI 1 */ },
	[VM_RTC] = { "pl031", RTC_BASE, VRTC_SIZE, 0 /* not wired: vrtc.c */ },
	[VM_PVTIME] = { "pvtime", PVTIME_BASE, PAGE_SIZE, 0 },
	[VM_WDOG] = { "watchdog", WDOG_BASE, VWDOG_SIZE, 48 /* SPI 16, WS0 */ },
	[VM_CHANNELS] = { "channel", CHANNELS_BASE, MAX_CHANNELS * CHANNEL_MAX_SIZE,
			  64 /* SPI 32, one per channel */ },
};

/* In address order, each region ends before the next begins, and the last
 * one inside the window. */
_Static_assert(GICD_BASE >= VM_DEVICE_START, "GICD below the device window");
_Static_assert(GICD_BASE + VGIC_DIST_SIZE <= GICC_BASE, "GICD overlaps GICC");
_Static_assert(GICC_BASE + 0x2000 <= ITS_BASE, "GICC overlaps the ITS");
_Static_assert(ITS_BASE + VGIC_ITS_SIZE <= GICR_BASE, "the ITS overlaps GICR");
_Static_assert(GICR_BASE + VGIC_MAX_VCPUS * VGIC_REDIST_STRIDE <= UART_BASE,
	       "GICR overlaps the UART");
_Static_assert(UART_BASE + PAGE_SIZE <= RTC_BASE, "the UART overlaps the RTC");
_Static_assert(RTC_BASE + VRTC_SIZE <= PVTIME_BASE, "the RTC overlaps PV time");
_Static_assert(PVTIME_BASE + PAGE_SIZE <= WDOG_BASE, "PV time overlaps the watchdog");
_Static_assert(WDOG_BASE + VWDOG_SIZE <= CHANNELS_BASE, "the watchdog overlaps the channels");
_Static_assert(CHANNELS_BASE + MAX_CHANNELS * CHANNEL_MAX_SIZE <= VM_DEVICE_END,
	       "the channels run past the device window");

const char *vm_region_name(ipaddr_t base)
{
	unsigned r;

	for (r = 0; r < VM_NR_REGIONS; r++) {
		if (vm_regions[r].base == ipa_addr(base)) {
			return vm_regions[r].node;
		}
	}
	return "device";
}
