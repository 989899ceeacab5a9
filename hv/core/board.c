/*
 * Finding the board and its drivers (board.h).
 *
 * The boards built into the image are the entries the linker gathers in
 * the section vireo_boards, between the __start_ and __stop_ symbols it
 * defines for it. board_find() takes the first whose compatible the device
 * tree's root node has. It runs before anything else reads the tree,
 * possibly with the MMU off, when every access is to Device memory and an
 * unaligned one faults: libfdt's loads of the header and of tags are
 * aligned 32-bit ones (the header check refuses a tree that is not 8-byte
 * aligned), and it compares strings a byte at a time.
 */
#include "core/board.h"

#include <libfdt.h>

#include "arch/aarch64/sysreg.h"
#include "core/printk.h"

extern const struct board *const __start_vireo_boards[], *const __stop_vireo_boards[];

const struct board *board;
const struct irqchip *irqchip;

const struct board *board_find(const void *fdt)
{
	const struct board *const *b;

	if (fdt_check_header(fdt) != 0) {
		return NULL;
	}
	for (b = __start_vireo_boards; b < __stop_vireo_boards; b++) {
		const char *const *c;

		for (c = (*b)->compatible; *c; c++) {
			if (fdt_node_check_compatible(fdt, 0, *c) == 0) {
				return *b;
			}
		}
	}
	return NULL;
}

int irqchip_probe(const struct platform *p, char *err, size_t errlen)
{
	const struct irqchip *const *c;

	for (c = board->irqchips; *c; c++) {
		int rc = (*c)->probe(p, err, errlen);

		if (rc < 0) {
			return rc;
		}
		if (rc == 0) {
			irqchip = *c;
			return 0;
		}
	}
	snprintf(err, errlen, "no interrupt controller that %s supports", board->name);
	return -1;
}

void board_power_off(void)
{
	if (board && board->power) {
		board->power->system_off();
	}
	/* Nothing to turn us off: stop here. */
	halt();
}

void halt(void)
{
	for (;;) {
		wfi();
	}
}
