/*
 * Handling the physical interrupts that reach Vireo.
 */
#ifndef VIREO_IRQ_H
#define VIREO_IRQ_H

#include "core/types.h"

/* Acknowledges and handles every pending physical interrupt: called when a
 * guest exits with EXIT_IRQ and after each WFI at EL2. */
void irq_handle_pending(void);
/* Sleeps until an interrupt is pending, then handles it. */
void irq_wait(void);

#endif
