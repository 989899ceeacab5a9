/*
 * The BCM2835 power manager's watchdog (bcm2835_pm.h). Its registers are
 * written with a password in the top byte. A reset is the watchdog set to
 * expire at once (PM_WDOG, in 16 us ticks) with a full reset as its action
 * (PM_RSTC's WRCFG field). Powering off is the same reset with the
 * partition number in PM_RSTS set to 63, which the Pi's boot firmware reads
 * as "halt" and stops (Linux's bcm2835_wdt.c does the same); QEMU, run with
 * -no-reboot, exits on the reset instead.
 */
#include "drivers/power/bcm2835_pm.h"

#include <libfdt.h>

#include "arch/aarch64/sysreg.h"
#include "core/fdt_util.h"
#include "core/printk.h"
#include "core/vmode.h"

#define PM_RSTC 0x1c
#define PM_RSTS 0x20
#define PM_WDOG 0x24
#define PM_PASSWORD 0x5a000000U
#define PM_RSTC_WRCFG_MASK 0x30U
#define PM_RSTC_WRCFG_FULL_RESET 0x20U
#define PM_RSTS_PARTITION_HALT 0x555U /* partition 63, spread over bits 0-10 */
#define PM_WDOG_TICKS 10

static volatile uint32_t *pm;

int bcm2835_pm_probe(const struct platform *p, char *err, size_t errlen)
{
	int node = fdt_node_offset_by_compatible(p->fdt, -1, "brcm,bcm2835-pm-wdt");
	struct mem_range r;
	int rc;

	if (node < 0) {
		node = fdt_node_offset_by_compatible(p->fdt, -1, "brcm,bcm2835-pm");
	}
	if (node < 0) {
		snprintf(err, errlen, "no BCM2835 power manager (compatible "
			 "\"brcm,bcm2835-pm-wdt\"): no way to reset or power off");
		return -1;
	}
	rc = fdt_util_reg_cpu(p->fdt, node, 0, &r);
	if (rc < 0) {
		snprintf(err, errlen, "%s: \"reg\" is not a CPU address: %s",
			 fdt_get_name(p->fdt, node, NULL), fdt_util_strerror(rc));
		return -1;
	}
	pm = vmode->map_device(r.base, r.size);
	return 0;
}

static void wr(unsigned off, uint32_t v)
{
	pm[off / 4] = PM_PASSWORD | v;
}

void bcm2835_pm_reset(void)
{
	if (!pm) {
		return;
	}
	wr(PM_WDOG, PM_WDOG_TICKS);
	wr(PM_RSTC, (pm[PM_RSTC / 4] & ~PM_RSTC_WRCFG_MASK & 0xffffffU) | PM_RSTC_WRCFG_FULL_RESET);
	dsb(sy);
	/* The reset comes within the ticks above: the caller halts meanwhile. */
}

void bcm2835_pm_off(void)
{
	if (!pm) {
		return;
	}
	wr(PM_RSTS, (pm[PM_RSTS / 4] & 0xffffffU) | PM_RSTS_PARTITION_HALT);
	bcm2835_pm_reset();
}
