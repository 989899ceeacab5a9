/*
 * runtime.h: what the two runtimes of Vireo's bare-metal guests have in
 * common, the 64-bit one (guests/common/, guest.h) and the 32-bit one
 * (guests/aarch32/runtime/, guest32.h), each of which includes this.
 *
 * Both VMs are QEMU virt's machine, so the console is the same PL011 and
 * the PSCI calls are the same SMC32 function IDs; the C that drives them
 * (uart.c, psci.c here) is compiled into both runtimes. It is written for
 * LP64 and ILP32 alike: an SMCCC register (smccc_reg) is as wide as a
 * pointer, 64 bits in AArch64 and 32 in AArch32, and printf's "l" is a
 * long, whichever width that is, and "ll" 64 bits. What differs stays in
 * each runtime: the hvc instruction and its clobbers (hvc.c), and, for the
 * 32-bit one, 64-bit division without libgcc (udiv64(), lib.c).
 */
#ifndef VIREO_GUEST_RUNTIME_H
#define VIREO_GUEST_RUNTIME_H

#include <stdarg.h>
#include <stdint.h>

/* The virt machine's PL011, in both VMs. */
#define GUEST_UART_BASE ((uintptr_t)0x09000000)

/* SMCCC / PSCI function IDs, SMC32 forms (DEN0028, DEN0022). */
#define SMCCC_VERSION      0x80000000U
#define PSCI_VERSION       0x84000000U
#define PSCI_SYSTEM_OFF    0x84000008U
#define PSCI_SYSTEM_RESET  0x84000009U
#define PSCI_FEATURES      0x8400000aU

/* Console (uart.c): polling PL011 output; "\n" goes out as "\r\n".
 * printf knows %c %s %d %u %x %p, the l (long) and ll (64-bit) length
 * modifiers, a field width and the '0' flag (%016llx), and %%. */
void putc(char c);
void puts(const char *s); /* writes s and a newline, like libc's */
void vprintf(const char *fmt, va_list ap);
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* SMCCC over hvc #0 (each runtime's hvc.c): fn and three arguments in
 * the first four registers, the first one's result returned. */
typedef uintptr_t smccc_reg;
smccc_reg hvc_call(smccc_reg fn, smccc_reg a1, smccc_reg a2, smccc_reg a3);

/* PSCI (psci.c). */
uint32_t psci_version(void);
int32_t psci_features(uint32_t fn);
void psci_system_off(void) __attribute__((noreturn));

#ifndef __LP64__
/* 64-bit unsigned division without libgcc (lib.c); *rem may be NULL. */
uint64_t udiv64(uint64_t n, uint64_t d, uint64_t *rem);
#endif

#endif
