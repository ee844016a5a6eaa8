// SPDX-License-Identifier: GPL-2.0-or-later
/* Does the bridge know on which port a MAC is? A frame to a MAC the bridge
 * does not know (the VM has not sent yet, its tap is gone, or its entry aged
 * out) is flooded to every port, the pod interface toward the node included.
 * The responder asks before it sends anything unprompted to the VM, by
 * reading /sys/class/net/BRIDGE/brforward (the kernel's FDB as an array of
 * struct __fdb_entry) on a file opened before the sandbox: lseek and read
 * only, no new system call. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bridge_fdb.h"

/* Offsets in struct __fdb_entry: mac_addr[6], port_no, is_local,
 * ageing_timer_value (4), port_hi, ... */
#define FDB_PORT_NO_OFF	 6
#define FDB_IS_LOCAL_OFF 7
#define FDB_PORT_HI_OFF	 12
/* brforward is read a page at a time; a pod bridge has a few entries. */
#define FDB_READ_MAX 8

/**
 * bridge_fdb_scan() - Is @mac a learnt (non-local) entry in @buf?
 * @buf:	brforward contents (kernel data)
 * @len:	bytes in @buf; a partial last entry is ignored
 * @mac:	the MAC
 *
 * Return: 1 if it is, 0 if not
 */
int bridge_fdb_scan(const uint8_t *buf, size_t len, const uint8_t mac[MAC_LEN])
{
	for (size_t i = 0; i + BRIDGE_FDB_ENTRY_LEN <= len;
	     i += BRIDGE_FDB_ENTRY_LEN)
		if (memcmp(buf + i, mac, MAC_LEN) == 0 &&
		    !buf[i + FDB_IS_LOCAL_OFF])
			return 1;
	return 0;
}

/**
 * bridge_fdb_scan_port() - The port of @mac's learnt entry in @buf
 * @buf:	brforward contents (kernel data)
 * @len:	bytes in @buf; a partial last entry is ignored
 * @mac:	the MAC
 *
 * Return: the bridge port number (port_no and port_hi), or -1 if @buf has
 * no learnt entry for @mac
 */
int bridge_fdb_scan_port(const uint8_t *buf, size_t len,
			 const uint8_t mac[MAC_LEN])
{
	for (size_t i = 0; i + BRIDGE_FDB_ENTRY_LEN <= len;
	     i += BRIDGE_FDB_ENTRY_LEN)
		if (memcmp(buf + i, mac, MAC_LEN) == 0 &&
		    !buf[i + FDB_IS_LOCAL_OFF])
			return buf[i + FDB_PORT_NO_OFF] |
			       buf[i + FDB_PORT_HI_OFF] << 8;
	return -1;
}

/* One read of brforward; touched at open, so that memory stays flat. */
static uint8_t fdb_buf[4096];

/**
 * bridge_fdb_open() - Open the bridge's brforward (before the sandbox)
 * @bridge:	the bridge's name
 *
 * Return: the file, or a negative errno (no sysfs for this namespace)
 */
int bridge_fdb_open(const char *bridge)
{
	char path[96];
	int fd;

	if (snprintf(path, sizeof(path), "/sys/class/net/%s/brforward",
		     bridge) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(fdb_buf, 0, sizeof(fdb_buf));
	return fd;
}

/**
 * bridge_fdb_knows() - Does the bridge forward @mac to one port only?
 * @fd:		from bridge_fdb_open()
 * @mac:	the MAC
 *
 * Return: 1 if it has a learnt entry for @mac, 0 if not, a negative errno
 * if brforward cannot be read
 */
int bridge_fdb_knows(int fd, const uint8_t mac[MAC_LEN])
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (int r = 0; r < FDB_READ_MAX; r++) {
		ssize_t n = read(fd, fdb_buf, sizeof(fdb_buf));

		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (bridge_fdb_scan(fdb_buf, (size_t)n, mac))
			return 1;
	}
	return 0;
}

/**
 * bridge_fdb_port() - On which port does the bridge know @mac?
 * @fd:		from bridge_fdb_open()
 * @mac:	the MAC
 *
 * Return: the port number, -1 if the bridge has no learnt entry for it,
 * or -2 if brforward cannot be read
 */
int bridge_fdb_port(int fd, const uint8_t mac[MAC_LEN])
{
	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return -2;
	for (int r = 0; r < FDB_READ_MAX; r++) {
		ssize_t n = read(fd, fdb_buf, sizeof(fdb_buf));
		int port;

		if (n < 0)
			return -2;
		if (n == 0)
			return -1;
		port = bridge_fdb_scan_port(fdb_buf, (size_t)n, mac);
		if (port >= 0)
			return port;
	}
	return -1;
}
