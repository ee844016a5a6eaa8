// SPDX-License-Identifier: GPL-2.0-or-later
/* One-line error messages that end in "..." rather than fail when too long. */
#ifndef PODNET_ERRMSG_H
#define PODNET_ERRMSG_H

#include <stddef.h>

__attribute__((format(printf, 3, 4))) void errmsg_set(char *err, size_t len,
						      const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void errmsg_append(char *err, size_t len,
							 const char *fmt, ...);

#endif
