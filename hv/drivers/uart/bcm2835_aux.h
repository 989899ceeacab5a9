/*
 * The BCM2835's "mini UART" (the auxiliary peripherals' UART1) as Vireo's
 * console (core/board.h): the Raspberry Pi 3's primary UART on GPIO 14/15
 * while the PL011 drives Bluetooth, and the one its device tree's
 * stdout-path names.
 */
#ifndef VIREO_DRIVERS_BCM2835_AUX_H
#define VIREO_DRIVERS_BCM2835_AUX_H

#include "core/board.h"

extern const struct uart_driver bcm2835_aux_uart;

#endif
