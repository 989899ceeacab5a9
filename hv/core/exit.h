/*
 * Why guest_enter() returned: which vector the guest trapped through.
 * Shared by vectors.S and C, so plain #defines.
 */
#ifndef VIREO_EXIT_H
#define VIREO_EXIT_H

#define EXIT_SYNC 0
#define EXIT_IRQ 1
#define EXIT_FIQ 2
#define EXIT_SERROR 3

#endif
