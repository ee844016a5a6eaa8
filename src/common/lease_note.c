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

#define LEASE_NOTE_MAGIC    "podnet-lease 1"
#define LEASE_NOTE_VM_MAGIC "podnet-vm 1"

static const char *const vm_names[] = {
	[LEASE_NOTE_VM_HERE] = "here",
	[LEASE_NOTE_VM_WAITING] = "waiting",
	[LEASE_NOTE_VM_SWITCHED] = "switched",
	[LEASE_NOTE_VM_LEFT] = "left",
	[LEASE_NOTE_VM_RENUMBER] = "switched-renumber",
};

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

/**
 * lease_note_vm_name() - The word for the VM's whereabouts
 * @where:	the state
 *
 * Return: "here", "waiting", "switched", "switched-renumber" or "left"
 */
const char *lease_note_vm_name(enum lease_note_vm where)
{
	return (size_t)where < sizeof(vm_names) / sizeof(vm_names[0])
		       ? vm_names[where]
		       : "here";
}

/**
 * lease_note_vm_write() - Note where the VM is, in its own slot
 * @fd:		the lease file, opened before the sandbox
 * @where:	the state
 * @time:	since when (seconds since the epoch)
 *
 * Return: 0 or a negative errno
 */
int lease_note_vm_write(int fd, enum lease_note_vm where, long long time)
{
	char slot[LEASE_NOTE_SLOT];
	int len = snprintf(slot, sizeof(slot), LEASE_NOTE_VM_MAGIC " %s %lld",
			   lease_note_vm_name(where), time);

	if (len < 0 || len >= LEASE_NOTE_SLOT - 1)
		return -EINVAL;
	memset(slot + len, ' ', LEASE_NOTE_SLOT - 1 - (size_t)len);
	slot[LEASE_NOTE_SLOT - 1] = '\n';
	if (lseek(fd, (off_t)LEASE_NOTE_VM_SLOT * LEASE_NOTE_SLOT, SEEK_SET) <
	    0)
		return -errno;
	return write(fd, slot, sizeof(slot)) == (ssize_t)sizeof(slot) ? 0
								      : -EIO;
}

/**
 * lease_note_vm_find() - Where the responder last saw the VM
 * @text:	the file's contents (need not be NUL-terminated; untrusted)
 * @len:	their length
 * @ret_time:	since when, if noted (else 0)
 *
 * Return: the state; LEASE_NOTE_VM_HERE when nothing well-formed is noted
 */
enum lease_note_vm lease_note_vm_find(const char *text, size_t len,
				      long long *ret_time)
{
	size_t off = (size_t)LEASE_NOTE_VM_SLOT * LEASE_NOTE_SLOT;
	char slot[LEASE_NOTE_SLOT], word[24];
	long long t;
	int end = 0;

	*ret_time = 0;
	if (len < off + LEASE_NOTE_SLOT)
		return LEASE_NOTE_VM_HERE;
	memcpy(slot, text + off, LEASE_NOTE_SLOT);
	if (slot[LEASE_NOTE_SLOT - 1] != '\n')
		return LEASE_NOTE_VM_HERE;
	slot[LEASE_NOTE_SLOT - 1] = '\0';
	if (sscanf(slot, LEASE_NOTE_VM_MAGIC " %23s %lld %n", word, &t, &end) !=
		    2 ||
	    end == 0 || slot[strspn(slot + end, " ") + (size_t)end])
		return LEASE_NOTE_VM_HERE;
	for (size_t i = 0; i < sizeof(vm_names) / sizeof(vm_names[0]); i++)
		if (strcmp(word, vm_names[i]) == 0) {
			*ret_time = t;
			return (enum lease_note_vm)i;
		}
	return LEASE_NOTE_VM_HERE;
}

/**
 * lease_note_vm_arrived() - Did an incoming migration's VM arrive?
 * @where:	the state
 *
 * Return: true for LEASE_NOTE_VM_SWITCHED and LEASE_NOTE_VM_RENUMBER
 */
bool lease_note_vm_arrived(enum lease_note_vm where)
{
	return where == LEASE_NOTE_VM_SWITCHED ||
	       where == LEASE_NOTE_VM_RENUMBER;
}
