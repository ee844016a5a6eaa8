// SPDX-License-Identifier: GPL-2.0-or-later
/* The last lease each bridge's responder gave, in a file of its own
 * (/run/podnet/UUID.lease) that `podnet status` reads: the log is for
 * people, and its wording may change. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lease_note.h"

#define LEASE_NOTE_MAGIC "podnet-lease 1"

/**
 * lease_note_format() - One slot: "podnet-lease 1 BRIDGE ADDR TIME", padded
 * @slot:	LEASE_NOTE_SLOT bytes, the last one a newline
 * @bridge:	the bridge the lease was given on
 * @n:		the lease
 *
 * Return: 0, or -EINVAL if it does not fit
 */
int lease_note_format(char slot[LEASE_NOTE_SLOT], const char *bridge,
		      const struct lease_note *n)
{
	char a[INET_ADDRSTRLEN];
	int len;

	len = snprintf(slot, LEASE_NOTE_SLOT, LEASE_NOTE_MAGIC " %s %s %lld",
		       bridge, inet_ntop(AF_INET, &n->addr, a, sizeof(a)),
		       n->time);
	if (len < 0 || len >= LEASE_NOTE_SLOT - 1)
		return -EINVAL;
	memset(slot + len, ' ', LEASE_NOTE_SLOT - 1 - (size_t)len);
	slot[LEASE_NOTE_SLOT - 1] = '\n';
	return 0;
}

/**
 * lease_note_write() - Record a lease in slot @index of the open file
 * @fd:		the lease file, opened before the sandbox
 * @index:	the interface's index in the record
 * @bridge:	its bridge
 * @n:		the lease
 *
 * lseek and one write of a whole slot: calls the sandbox already allows,
 * and a reader sees the old line or the new one.
 *
 * Return: 0 or a negative errno
 */
int lease_note_write(int fd, size_t index, const char *bridge,
		     const struct lease_note *n)
{
	char slot[LEASE_NOTE_SLOT];
	int rc = lease_note_format(slot, bridge, n);

	if (rc < 0)
		return rc;
	if (lseek(fd, (off_t)(index * LEASE_NOTE_SLOT), SEEK_SET) < 0)
		return -errno;
	return write(fd, slot, sizeof(slot)) == (ssize_t)sizeof(slot) ? 0
								      : -EIO;
}

/**
 * lease_note_find() - The lease noted for @bridge
 * @text:	the file's contents (need not be NUL-terminated; untrusted)
 * @len:	their length
 * @bridge:	the bridge asked about
 * @ret:	the lease, if found
 *
 * Return: true if a well-formed slot for @bridge was found
 */
bool lease_note_find(const char *text, size_t len, const char *bridge,
		     struct lease_note *ret)
{
	for (size_t off = 0; off + LEASE_NOTE_SLOT <= len;
	     off += LEASE_NOTE_SLOT) {
		char slot[LEASE_NOTE_SLOT], name[IFNAMSIZ],
			addr[INET_ADDRSTRLEN];
		struct lease_note n;
		int end = 0;

		memcpy(slot, text + off, LEASE_NOTE_SLOT);
		if (slot[LEASE_NOTE_SLOT - 1] != '\n')
			continue;
		slot[LEASE_NOTE_SLOT - 1] = '\0';
		if (sscanf(slot, LEASE_NOTE_MAGIC " %15s %15s %lld %n", name,
			   addr, &n.time, &end) != 3 ||
		    end == 0 || slot[strspn(slot + end, " ") + (size_t)end] ||
		    strcmp(name, bridge) != 0 ||
		    inet_pton(AF_INET, addr, &n.addr) != 1)
			continue;
		*ret = n;
		return true;
	}
	return false;
}
