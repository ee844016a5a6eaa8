// SPDX-License-Identifier: GPL-2.0-or-later
/* One-line error messages that end in "..." rather than fail when too long. */
#ifndef PODNET_ERRMSG_H
#define PODNET_ERRMSG_H

#include <stddef.h>

__attribute__((format(printf, 3, 4))) void errmsg_set(char *err, size_t len,
						      const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void errmsg_append(char *err, size_t len,
							 const char *fmt, ...);

/*
 * The first failure of steps that go on regardless (an undo, a restore):
 * its errno and words make the user's one line; each later one is handed
 * to @also (may be NULL), so that it is never lost.
 */
struct first_err {
	int rc; /* 0, or the first negative errno */
	char msg[400];
	void (*also)(const char *msg);
};

__attribute__((format(printf, 3, 4))) void
first_err_note(struct first_err *e, int rc, const char *fmt, ...);

#endif
