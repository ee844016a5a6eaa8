// SPDX-License-Identifier: GPL-2.0-or-later
/* The last lease each bridge's responder gave, in a file of its own
 * (/run/podnet/UUID.lease) that `podnet status` reads: the log is for
 * people, and its wording may change. */
#ifndef PODNET_LEASE_NOTE_H
#define PODNET_LEASE_NOTE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "podnet_limits.h"

/* One fixed-size line per tagged interface, rewritten in place. */
#define LEASE_NOTE_SLOT 96

struct lease_note {
	struct in_addr addr;
	long long time; /* seconds since the epoch */
};

/*
 * Where the VM is, as the responder saw it on the bridge (the slot after
 * the interfaces'): for `podnet status` and for release, which must not
 * announce the pod's addresses from where the VM is not.
 */
enum lease_note_vm {
	LEASE_NOTE_VM_HERE,	/* an ordinary start (no such slot) */
	LEASE_NOTE_VM_WAITING,	/* incoming migration, the VM not seen yet */
	LEASE_NOTE_VM_SWITCHED, /* incoming migration, the VM arrived */
	LEASE_NOTE_VM_LEFT,	/* it announced itself from elsewhere (RARP) */
	/* SWITCHED, and the guest then used an address that is not this
	 * pod's (its ARP, or a DHCP request NAKed): it must renumber, which
	 * `podnet link-refresh --watch` reads to flap its link. */
	LEASE_NOTE_VM_RENUMBER,
};

/* The slot index of the VM's whereabouts. */
#define LEASE_NOTE_VM_SLOT PODNET_MAX_IFACES

int lease_note_format(char slot[LEASE_NOTE_SLOT], const char *bridge,
		      const struct lease_note *n);
int lease_note_write(int fd, size_t index, const char *bridge,
		     const struct lease_note *n);
bool lease_note_find(const char *text, size_t len, const char *bridge,
		     struct lease_note *ret);
int lease_note_vm_write(int fd, enum lease_note_vm where, long long time);
enum lease_note_vm lease_note_vm_find(const char *text, size_t len,
				      long long *ret_time);
const char *lease_note_vm_name(enum lease_note_vm where);
bool lease_note_vm_arrived(enum lease_note_vm where);

#endif
