// SPDX-License-Identifier: GPL-2.0-or-later
/* Text appended into a fixed buffer: formatting goes on, and an overflow is
 * noted once and reported by the caller at the end. */
#ifndef PODNET_TEXTBUF_H
#define PODNET_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct textbuf {
	char *buf;
	size_t cap, len;
	bool overflow; /* something did not fit: the text is incomplete */
};

__attribute__((format(printf, 2, 3))) void textbuf_put(struct textbuf *t,
						       const char *fmt, ...);

#endif
