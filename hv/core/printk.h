/*
 * Formatted output to Vireo's console.
 *
 * printk() writes one message atomically with respect to other CPUs. The
 * format language is a subset of C's: %d %i %u %x %X %p %s %c %%, with
 * flags '0' and '-', a width, and the length modifiers l, ll and z.
 */
#ifndef VIREO_PRINTK_H
#define VIREO_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
