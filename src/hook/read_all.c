// SPDX-License-Identifier: GPL-2.0-or-later
/* Read a whole input (the domain XML) into memory, or fail: never a part. */
#include <errno.h>
#include <stdlib.h>

#include "read_all.h"
#include "read_file.h"

/**
 * read_all() - Everything @fd gives until end of file
 * @fd:		the input (the hook's stdin, a file)
 * @ret_len:	its length, on success
 *
 * A read error is a failure, not an end: acting on a truncated domain
 * definition could prepare the wrong interfaces.
 *
 * Return: a NUL-terminated buffer to free(), or NULL with errno set (EFBIG
 * from READ_ALL_MAX bytes on)
 */
char *read_all(int fd, size_t *ret_len)
{
	/* Only the pages the input fills are ever touched. */
	char *buf = malloc(READ_ALL_MAX);
	int rc;

	if (!buf)
		return NULL;
	rc = read_fd(fd, buf, READ_ALL_MAX, ret_len);
	if (rc < 0) {
		free(buf);
		errno = -rc;
		return NULL;
	}
	return buf;
}
