// SPDX-License-Identifier: GPL-2.0-or-later
/* One-line error messages that end in "..." rather than fail when too long. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

/* vsnprintf() into @err, ending a message that does not fit in "...". */
static void put(char *err, size_t len, const char *fmt, va_list ap)
{
	int n = vsnprintf(err, len, fmt, ap);

	if (n < 0)
		err[0] = '\0';
	else if ((size_t)n >= len && len > 3)
		memcpy(err + len - 4, "...", 4);
}

/**
 * errmsg_set() - Write a message, ending it in "..." when it does not fit
 * @err:	the buffer (may be NULL)
 * @len:	its size
 * @fmt:	printf format
 *
 * A shortened message is still the right message, so truncation is not an
 * error here.
 */
void errmsg_set(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	put(err, len, fmt, ap);
	va_end(ap);
}

/**
 * errmsg_append() - Add to a message already written, the same way
 * @err:	the buffer holding a message (may be NULL)
 * @len:	its size
 * @fmt:	printf format
 *
 * For what a later step adds to the first failure ("; the record stays").
 */
void errmsg_append(char *err, size_t len, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (!err || !len)
		return;
	used = strnlen(err, len);
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	put(err + used, len - used, fmt, ap);
	va_end(ap);
}

/**
 * first_err_note() - Keep a failure if it is the first, pass it on if not
 * @e:		the accumulator
 * @rc:		the step's result: >= 0 is success, nothing to note
 * @fmt:	printf format of the failure's words
 */
void first_err_note(struct first_err *e, int rc, const char *fmt, ...)
{
	char msg[sizeof(e->msg)];
	va_list ap;

	if (rc >= 0)
		return;
	va_start(ap, fmt);
	put(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->rc < 0) {
		if (e->also)
			e->also(msg);
		return;
	}
	e->rc = rc;
	memcpy(e->msg, msg, sizeof(msg));
}
