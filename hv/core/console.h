/*
 * Vireo's physical console: the board's PL011 UART, polled.
 */
#ifndef VIREO_CONSOLE_H
#define VIREO_CONSOLE_H

#include "core/types.h"

/* Until the device tree is read, the console uses this build-time address
 * (QEMU virt's PL011), so early failures can still be reported. */
#ifndef EARLY_UART_BASE
#define EARLY_UART_BASE 0x09000000UL
#endif

void console_set_base(paddr_t base);
/* From now on, messages from different CPUs are serialised by a lock. */
void console_enable_lock(void);
/* Takes console input through the UART's interrupt, INTID intid. */
void console_enable_input(unsigned intid);
/* The UART's INTID once input is enabled, else ~0. */
unsigned console_irq(void);
/* Passes every received byte on to the VM with the console's focus. */
void console_rx_interrupt(void);
/* Writes len bytes of a VM's console line: after prefix unless source's
 * line is still open, and ending it when complete. */
void console_emit(const void *source, const char *prefix, const char *text, size_t len,
		  bool complete);
/* Ends source's line if it is still open. */
void console_end_line(const void *source);
/* Writes len bytes as one unit with respect to other CPUs' messages. */
void console_write(const char *s, size_t len);

#endif
