/*
 * The Arm PrimeCell PL011 UART as Vireo's console (core/board.h).
 */
#ifndef VIREO_DRIVERS_PL011_H
#define VIREO_DRIVERS_PL011_H

#include "core/board.h"

extern const struct uart_driver pl011_uart;

#endif
