// SPDX-License-Identifier: GPL-2.0-or-later
/* The pod interface's IPv6 sysctls under /proc/sys/net/ipv6/conf/IFACE/.
 * The hook runs in the pod's network namespace: these are the pod's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read_file.h"
#include "sysctl6.h"

static const char *const names[] = {
	[SYSCTL6_DISABLE_IPV6] = "disable_ipv6",
	[SYSCTL6_ACCEPT_RA] = "accept_ra",
	[SYSCTL6_ACCEPT_DAD] = "accept_dad",
	[SYSCTL6_ADDR_GEN_MODE] = "addr_gen_mode",
};

/**
 * sysctl6_name() - The file name of a sysctl
 * @key:	which
 *
 * Return: e.g. "disable_ipv6"
 */
const char *sysctl6_name(enum sysctl6_key key)
{
	return names[key];
}

static int path_of(char *buf, size_t len, const char *ifname,
		   enum sysctl6_key key)
{
	/* An interface name never holds '/' or is "." / ".." (kernel rule). */
	return snprintf(buf, len, "/proc/sys/net/ipv6/conf/%s/%s", ifname,
			names[key]) < (int)len
		       ? 0
		       : -ENAMETOOLONG;
}

static int read_one(const char *ifname, enum sysctl6_key key)
{
	char path[128], buf[32];
	size_t len;
	long v;
	char *end;

	if (path_of(path, sizeof(path), ifname, key) < 0 ||
	    read_file(path, 0, buf, sizeof(buf), &len) < 0 || len == 0)
		return POD_SYSCTL6_UNKNOWN;
	v = strtol(buf, &end, 10);
	/* accept_ra is 0..2, the others 0..3 or a boolean; disable_ipv6 of
	 * an interface may read back any int a user wrote: keep small ones. */
	if (end == buf || v < 0 || v > 255)
		return POD_SYSCTL6_UNKNOWN;
	return (int)v;
}

/**
 * sysctl6_read() - Read the four IPv6 sysctls of an interface
 * @ifname:	interface name in the current network namespace
 * @ret:	each value, or POD_SYSCTL6_UNKNOWN where it cannot be read
 *		(IPv6 off in the kernel)
 */
void sysctl6_read(const char *ifname, struct pod_sysctl6 *ret)
{
	ret->disable_ipv6 = read_one(ifname, SYSCTL6_DISABLE_IPV6);
	ret->accept_ra = read_one(ifname, SYSCTL6_ACCEPT_RA);
	ret->accept_dad = read_one(ifname, SYSCTL6_ACCEPT_DAD);
	ret->addr_gen_mode = read_one(ifname, SYSCTL6_ADDR_GEN_MODE);
}

/**
 * sysctl6_get() - One value of a reading
 * @y:		the reading
 * @key:	which
 *
 * Return: the value, or POD_SYSCTL6_UNKNOWN
 */
int sysctl6_get(const struct pod_sysctl6 *y, enum sysctl6_key key)
{
	switch (key) {
	case SYSCTL6_DISABLE_IPV6:
		return y->disable_ipv6;
	case SYSCTL6_ACCEPT_RA:
		return y->accept_ra;
	case SYSCTL6_ACCEPT_DAD:
		return y->accept_dad;
	default:
		return y->addr_gen_mode;
	}
}

/**
 * sysctl6_write() - Set one IPv6 sysctl of an interface
 * @ifname:	interface name in the current network namespace
 * @key:	which
 * @value:	the value
 *
 * Return: 0 or a negative errno (-EROFS: /proc/sys read-only, as in an
 * unprivileged container)
 */
int sysctl6_write(const char *ifname, enum sysctl6_key key, int value)
{
	char path[128], buf[16];
	int fd, n, rc = 0;

	if (path_of(path, sizeof(path), ifname, key) < 0)
		return -ENAMETOOLONG;
	n = snprintf(buf, sizeof(buf), "%d\n", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}
