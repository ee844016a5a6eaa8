// SPDX-License-Identifier: GPL-2.0-or-later
/* Read a whole small file (a record, a /proc file, resolv.conf) into a
 * bounded buffer, or fail: never a part taken for the whole. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "read_file.h"

/**
 * read_fd() - Everything @fd gives until end of file, NUL-terminated
 * @fd:		the input
 * @buf:	where it goes
 * @cap:	size of @buf: at most @cap - 1 bytes fit, and the NUL
 * @ret_len:	the length read, on success
 *
 * An interrupted read is retried, and a read error is a failure, not an
 * end: a truncated record or domain definition must never be acted on.
 *
 * Return: 0, -EFBIG if @fd holds more than fits, or another negative errno
 */
int read_fd(int fd, char *buf, size_t cap, size_t *ret_len)
{
	size_t len = 0;
	char more;

	if (cap == 0)
		return -EFBIG;
	for (;;) {
		/* Full: one byte more tells a file that fits from a bigger one.
		 */
		ssize_t n = len + 1 < cap ? read(fd, buf + len, cap - 1 - len)
					  : read(fd, &more, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		if (len + 1 >= cap)
			return -EFBIG;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret_len = len;
	return 0;
}

/**
 * read_file() - The whole of the file at @path, NUL-terminated
 * @path:	the file
 * @flags:	open flags added to O_RDONLY | O_CLOEXEC | O_NOCTTY (O_NOFOLLOW)
 * @buf:	where it goes
 * @cap:	size of @buf: at most @cap - 1 bytes fit, and the NUL
 * @ret_len:	the length read, on success
 *
 * Return: 0, -EFBIG if the file holds more than fits, or another negative
 * errno (-ENOENT when there is no such file)
 */
int read_file(const char *path, int flags, char *buf, size_t cap,
	      size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | flags);
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_fd(fd, buf, cap, ret_len);
	(void)close(fd);
	return rc;
}
