/* The C library's stdlib.h, as far as libfdt needs it; see libc.c. */
#ifndef VIREO_STDLIB_H
#define VIREO_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
