/*
 * vsnprintf(), the one formatter behind printk() and every message Vireo
 * prints. It writes into a bounded buffer and always terminates it; the
 * return value is the length the full output would have had, as in C99, so
 * callers can tell when it was cut. It is pure logic and unit tested on the
 * host against the C library's own printf.
 */
#include "core/printk.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

struct spec {
	bool left;
	char pad;
	unsigned width;
	int length; /* 0: int, 1: long, 2: long long, 3: size_t */
};

/* Writes s[0..n) padded to the width; its first nprefix characters (a sign
 * or "0x") stay in front of a zero pad, as in "-0042". */
static void put_padded(struct out *o, const struct spec *sp, const char *s, size_t n,
		       size_t nprefix)
{
	size_t fill = sp->width > n ? sp->width - n : 0;

	if (!sp->left) {
		if (sp->pad == '0') {
			for (; nprefix > 0; nprefix--, n--) {
				put(o, *s++);
			}
		}
		while (fill--) {
			put(o, sp->pad);
		}
		fill = 0;
	}
	while (n--) {
		put(o, *s++);
	}
	while (fill--) {
		put(o, ' ');
	}
}

/* Writes v after prefix ("", "-" or "0x"), padded as a whole. */
static void put_number(struct out *o, const struct spec *sp, uint64_t v, const char *prefix,
		       unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);
	size_t nprefix = 0;

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	while (prefix[nprefix]) {
		nprefix++;
	}
	i -= nprefix;
	for (size_t k = 0; k < nprefix; k++) {
		tmp[i + k] = prefix[k];
	}
	put_padded(o, sp, &tmp[i], sizeof(tmp) - i, nprefix);
}

static uint64_t arg_unsigned(va_list *ap, int length)
{
	switch (length) {
	case 0:
		return va_arg(*ap, unsigned int);
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	default:
		return va_arg(*ap, size_t);
	}
}

static int64_t arg_signed(va_list *ap, int length)
{
	switch (length) {
	case 0:
		return va_arg(*ap, int);
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	default:
		return (int64_t)va_arg(*ap, size_t);
	}
}

/* Parses flags, width and length of one conversion; returns the next char. */
static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){ .pad = ' ' };
	for (;; f++) {
		if (*f == '-') {
			sp->left = true;
		} else if (*f == '0') {
			sp->pad = '0';
		} else {
			break;
		}
	}
	while (*f >= '0' && *f <= '9') {
		sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == 'z') {
		sp->length = 3;
		f++;
	}
	while (*f == 'l') {
		sp->length++;
		f++;
	}
	return f;
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	int64_t s;
	const char *str;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		s = arg_signed(ap, sp->length);
		put_number(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0 ? "-" : "", 10, false);
		break;
	case 'u':
		put_number(o, sp, arg_unsigned(ap, sp->length), "", 10, false);
		break;
	case 'x':
	case 'X':
		put_number(o, sp, arg_unsigned(ap, sp->length), "", 16, c == 'X');
		break;
	case 'p':
		put_number(o, sp, (uintptr_t)va_arg(*ap, void *), "0x", 16, false);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str) {
			str = "(null)";
		}
		{
			size_t n = 0;

			while (str[n]) {
				n++;
			}
			put_padded(o, sp, str, n, 0);
		}
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, sp, &ch, 1, 0);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		if (c) {
			put(o, c);
		}
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		struct spec sp;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		convert(&o, *fmt, &sp, &args);
		if (*fmt) {
			fmt++;
		}
	}
	va_end(args);
	if (size > 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
