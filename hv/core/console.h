/*
 * Vireo's physical console: the board's UART, polled (console.c).
 */
#ifndef VIREO_CORE_CONSOLE_H
#define VIREO_CORE_CONSOLE_H

#include "core/board.h"

/* Writes through driver to the UART whose registers are mapped at base:
 * the board's early console at first, then the tree's. */
void console_set_uart(const struct uart_driver *driver, volatile void *base);
/* From now on, messages from different CPUs are serialised by a lock. */
void console_enable_lock(void);
/* Takes console input through the UART's interrupt irq (an irqchip
 * number; IRQ_NONE: none). */
void console_enable_input(unsigned irq);
/* console_focus.c: whether the VM the next byte typed goes to has room
 * for it now (true too when no VM would read it: it is dropped). When it
 * has not, that VM's UART calls its room hook once it has. Called with
 * console.c's input lock held, as vm_console_input() is. */
bool console_focus_can_take(void);
/* Ctrl-]: the console's escape key (console_focus.c). */
#define CONSOLE_ESCAPE 0x1d

/* Writes len bytes of a VM's console line: after prefix unless source's
 * line is still open, and ending it when complete. The text holds no
 * CONSOLE_ESCAPE (the virtual UART shows a guest's as '?'): the launcher
 * takes Ctrl-] 'g' for the start of a GDB stub's frame. */
void console_emit(const void *source, const char *prefix, const char *text, size_t len,
		  bool complete);
/* Ends source's line if it is still open. */
void console_end_line(const void *source);
/* Writes len bytes as one unit with respect to other CPUs' messages. */
void console_write(const char *s, size_t len);

#endif
