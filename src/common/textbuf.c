// SPDX-License-Identifier: GPL-2.0-or-later
/* Text appended into a fixed buffer: formatting goes on, and an overflow is
 * noted once and reported by the caller at the end. */
#include <stdarg.h>
#include <stdio.h>

#include "textbuf.h"

/**
 * textbuf_put() - Append formatted text, or note that it does not fit
 * @t:		the buffer; after an overflow, nothing more is appended
 * @fmt:	printf format
 */
void textbuf_put(struct textbuf *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->overflow = true;
	else
		t->len += (size_t)n;
}
