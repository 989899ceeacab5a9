/*
 * The physical interrupts that reach Vireo, and who handles each.
 */
#ifndef VIREO_CORE_IRQ_H
#define VIREO_CORE_IRQ_H

#include "core/irqchip.h"

/* What a handler did with its interrupt. */
enum irq_result {
	IRQ_HANDLED,   /* done: irq.c ends it */
	IRQ_FORWARDED, /* handed to a guest, which ends it (irqchip split_eoi) */
};

typedef enum irq_result (*irq_handler_t)(void *ctx);

/* Calls fn(ctx) whenever interrupt irq (an irqchip number) is taken.
 * Boot only; false if irq is out of range or already taken. */
bool irq_register(unsigned irq, irq_handler_t fn, void *ctx);
/* Registers the handlers of Vireo's own sources (enum irq_source). */
void irq_init(void);
/* Acknowledges and handles every pending physical interrupt: called when a
 * guest exits with EXIT_IRQ and after each WFI at Vireo's level. */
void irq_handle_pending(void);
/* Sleeps until an interrupt is pending, then handles it. */
void irq_wait(void);
/* Makes target look at its vCPUs soon (the IRQ_KICK source). */
void irq_kick(struct pcpu *target);

#endif
