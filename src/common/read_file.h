// SPDX-License-Identifier: GPL-2.0-or-later
/* Read a whole small file (a record, a /proc file, resolv.conf) into a
 * bounded buffer, or fail: never a part taken for the whole. */
#ifndef PODNET_READ_FILE_H
#define PODNET_READ_FILE_H

#include <stddef.h>

int read_fd(int fd, char *buf, size_t cap, size_t *ret_len);
int read_file(const char *path, int flags, char *buf, size_t cap,
	      size_t *ret_len);

#endif
