/*
 * A board: the machine Vireo runs on, as a small description that names
 * its drivers. The core picks one at boot by the host device tree's root
 * "compatible" (board.c), before anything else is read from the tree, so
 * that the first line Vireo prints already goes to the board's own early
 * console.
 *
 * Each board is a const struct board in hv/board/<name>/, registered with
 * BOARD(); the linker gathers them in the section vireo_boards. A board
 * says:
 *   - which root compatibles it answers to;
 *   - its early console: a UART driver and the UART's address, usable
 *     before the tree is parsed (the full console then comes from the
 *     tree's /chosen/stdout-path);
 *   - its interrupt controller drivers, tried in order (core/irqchip.h);
 *   - how its CPUs start and how it powers off and resets (struct power).
 * Everything else about the machine (memory, CPUs, addresses) comes from
 * the tree. docs/porting.md tells how to add one.
 */
#ifndef VIREO_CORE_BOARD_H
#define VIREO_CORE_BOARD_H

#include "core/irqchip.h"
#include "core/platform.h"

/* A UART Vireo can use as its console, driven by polling, with receive
 * interrupts for input. base is the device's mapped registers. */
struct uart_driver {
	const char *name;       /* for the boot report: "PL011" */
	const char *compatible; /* the device tree's */
	/* Sends len bytes, each '\n' as CR LF (a terminal's line end),
	 * waiting for room as it goes. */
	void (*write)(volatile void *base, const char *s, size_t len);
	/* The next received byte, or -1 when none is waiting. */
	int (*getc)(volatile void *base);
	/* Turns the receive interrupt on, once, at boot. */
	void (*enable_rx_irq)(volatile void *base);
	/* Masks (false) or unmasks (true) the receive interrupt, losing
	 * nothing: received bytes stay in the UART, and its interrupt is
	 * raised again on unmasking if any wait. While they stay, the UART
	 * holds further input back (or loses it with an overrun, if the
	 * other end does not wait). The console's back-pressure. */
	void (*set_rx_irq)(volatile void *base, bool on);
};

/* Starting CPUs and ending the machine: firmware's (PSCI) or the board's. */
struct power {
	/* Learns how to call it from the machine's description: 0, or -1
	 * with a message in err. Boot only. */
	int (*probe)(const struct platform *p, char *err, size_t errlen);
	/* For the boot report: "PSCI via smc". */
	const char *(*describe)(void);
	/* Starts the CPU with affinity mpidr at entry, context in x0: 0 or
	 * a negative error code, which the boot report prints. */
	int64_t (*cpu_on)(uint64_t mpidr, paddr_t entry, uint64_t context);
	void (*system_off)(void);
	void (*system_reset)(void);
};

struct board {
	const char *name;
	const char *const *compatible; /* NULL-terminated */
	const struct uart_driver *uart;
	paddr_t early_uart;
	const struct irqchip *const *irqchips; /* NULL-terminated */
	const struct power *power;
};

#define BOARD(var)                                                                   \
	static const struct board *const board_entry_##var                           \
		__attribute__((used, section("vireo_boards"))) = &(var)

/* The board whose compatible the tree's root has, or NULL. Works with
 * the MMU off too (libfdt's loads are aligned: board.c). */
const struct board *board_find(const void *fdt);
/* The board Vireo runs on, once boot_main() found it. */
extern const struct board *board;

/* Probes the board's interrupt controllers in order; the first present
 * one becomes irqchip. 0, or -1 with a message in err. */
int irqchip_probe(const struct platform *p, char *err, size_t errlen);

/* Ends the machine through the board, or halts this CPU when it cannot. */
void board_power_off(void) __attribute__((noreturn));
/* Stops this CPU for good, leaving the machine as it is (for a boot that
 * cannot go on: what it printed stays readable). */
void halt(void) __attribute__((noreturn));

#endif
