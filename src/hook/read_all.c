// SPDX-License-Identifier: GPL-2.0-or-later
/* Read a whole input (the domain XML) into memory, or fail: never a part. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "read_all.h"

/**
 * read_all() - Everything @fd gives until end of file
 * @fd:		the input (the hook's stdin, a file)
 * @ret_len:	its length, on success
 *
 * A read error is a failure, not an end: acting on a truncated domain
 * definition could prepare the wrong interfaces.
 *
 * Return: a NUL-terminated buffer to free(), or NULL with errno set (EFBIG
 * past READ_ALL_MAX)
 */
char *read_all(int fd, size_t *ret_len)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap + 1);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len)) != 0) {
		char *bigger;

		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			errno = e;
			return NULL;
		}
		len += (size_t)n;
		if (len < cap)
			continue;
		bigger = cap < READ_ALL_MAX ? realloc(buf, cap * 2 + 1) : NULL;
		if (!bigger) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		buf = bigger;
		cap *= 2;
	}
	if (!buf)
		return NULL;
	buf[len] = '\0';
	*ret_len = len;
	return buf;
}
