// SPDX-License-Identifier: GPL-2.0-or-later
/* Where the VM is, seen from one bridge: behind its own port (its tap) or
 * behind the pod interface (it runs elsewhere on the node's network), from
 * QEMU's RARP and the bridge's forwarding database. */
#ifndef PODNET_VM_WATCH_H
#define PODNET_VM_WATCH_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct state_iface;

struct vm_watch {
	int rarp_fd;  /* RARP from the VM's MAC on the bridge */
	int fdb_fd;   /* the bridge's brforward; -1: not readable */
	int pod_port; /* the pod interface's bridge port; -1: unknown */
	uint8_t mac[MAC_LEN];
	char bridge[IFNAMSIZ];
};

enum vm_side {
	VM_SIDE_UNKNOWN, /* the bridge has not learnt the VM's MAC */
	VM_SIDE_OWN,	 /* behind a port other than the pod interface */
	VM_SIDE_POD,	 /* behind the pod interface: elsewhere */
};

int vm_watch_open(struct vm_watch *w, const struct state_iface *s, int ifindex,
		  char *err, size_t err_len);
enum vm_side vm_watch_side(const struct vm_watch *w);
int vm_watch_read_rarp(const struct vm_watch *w);
void vm_watch_drain(int fd);

#endif
