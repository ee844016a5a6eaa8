// SPDX-License-Identifier: GPL-2.0-or-later
/* Where the VM is, seen from one bridge. A live migration's destination
 * must stay silent until the VM runs there, and a source must not answer or
 * announce once it runs elsewhere. The signs: QEMU's RARP burst from the
 * VM's MAC when the incoming stream completes (about 0, 50, 200, 450 and
 * 800 ms; rarp.c), or any frame of the VM's MAC, and then on which bridge
 * port the kernel learnt that MAC (it learns before it delivers the frame
 * to us): the pod interface's port means the frame came from the node's
 * network (the VM runs in another pod), any other port is the VM's tap.
 * All opened before the sandbox; afterwards only recvfrom, lseek, read. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge_fdb.h"
#include "errmsg.h"
#include "pkt_socket.h"
#include "rarp.h"
#include "state.h"
#include "vm_watch.h"

/*
 * Keep only RARP frames from the VM's MAC (SOCK_DGRAM: offsets from the
 * ARP header; SKF_LL_OFF reaches the Ethernet header); rarp_parse() checks
 * the rest. Anyone else's RARP never wakes the responder.
 */
static const struct sock_filter rarp_filter_template[] = {
	PKT_SOCKET_MATCH_MAC(SKF_LL_OFF + 6, 3),
	BPF_STMT(BPF_RET | BPF_K, 64),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(ARRAY_SIZE(rarp_filter_template) <= PKT_SOCKET_FILTER_MAX,
	       "the filter fits pkt_socket_open_for_mac()");

/* /sys/class/net/IFACE/brport/port_no ("0x1"): the pod interface's port. */
static int read_pod_port(const char *pod_iface)
{
	char path[96], text[16] = "";
	char *end;
	ssize_t n;
	long v;
	int fd;

	if (snprintf(path, sizeof(path), "/sys/class/net/%s/brport/port_no",
		     pod_iface) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	(void)close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	v = strtol(text, &end, 0);
	return end != text && v >= 0 && v <= 0xffff ? (int)v : -1;
}

/**
 * vm_watch_open() - Watch for the VM on one bridge (before the sandbox)
 * @w:		the watch
 * @s:		the interface's record (bridge, pod interface, VM MAC)
 * @ifindex:	the bridge's index
 * @err:	a message on failure
 * @err_len:	its size
 *
 * Without a readable FDB or port number the watch still takes RARP in; it
 * then cannot tell the VM's own port from the pod interface's.
 *
 * Return: 0 or a negative errno (the RARP socket cannot be opened)
 */
int vm_watch_open(struct vm_watch *w, const struct state_iface *s, int ifindex,
		  char *err, size_t err_len)
{
	memcpy(w->mac, s->vm_mac, MAC_LEN);
	(void)snprintf(w->bridge, sizeof(w->bridge), "%s", s->bridge);
	w->rarp_fd = pkt_socket_open_for_mac(
		ifindex, SOCK_DGRAM, ETH_P_RARP, rarp_filter_template,
		ARRAY_SIZE(rarp_filter_template), s->vm_mac);
	if (w->rarp_fd < 0) {
		errmsg_set(err, err_len,
			   "bridge '%s': cannot open the RARP socket: %s",
			   s->bridge, strerror(-w->rarp_fd));
		return w->rarp_fd;
	}
	w->fdb_fd = bridge_fdb_open(s->bridge);
	w->pod_port = read_pod_port(s->orig.name);
	return 0;
}

/**
 * vm_watch_side() - Behind which port the bridge knows the VM's MAC
 * @w:		the watch
 *
 * Return: VM_SIDE_OWN, VM_SIDE_POD, or VM_SIDE_UNKNOWN (no entry, or no FDB
 * or port number to tell)
 */
enum vm_side vm_watch_side(const struct vm_watch *w)
{
	int port;

	if (w->fdb_fd < 0 || w->pod_port < 0)
		return VM_SIDE_UNKNOWN;
	port = bridge_fdb_port(w->fdb_fd, w->mac);
	if (port < 0)
		return VM_SIDE_UNKNOWN;
	return port == w->pod_port ? VM_SIDE_POD : VM_SIDE_OWN;
}

/**
 * vm_watch_read_rarp() - One frame of the RARP socket (it is readable)
 * @w:		the watch
 *
 * Return: 1 if it was QEMU's announcement of the VM's MAC, else 0
 */
int vm_watch_read_rarp(const struct vm_watch *w)
{
	uint8_t pkt[64];
	struct sockaddr_ll from = {0};
	socklen_t from_len = sizeof(from);
	ssize_t n = recvfrom(w->rarp_fd, pkt, sizeof(pkt), 0,
			     (struct sockaddr *)&from, &from_len);

	if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING ||
	    from.sll_halen != MAC_LEN ||
	    memcmp(from.sll_addr, w->mac, MAC_LEN) != 0)
		return 0;
	return rarp_parse(pkt, (size_t)n, w->mac);
}

/**
 * vm_watch_drain() - Discard what a (non-blocking) socket holds
 * @fd:		the socket
 *
 * While the VM is not here, nothing it seems to send is answered.
 */
void vm_watch_drain(int fd)
{
	static uint8_t sink[64];

	/* A bounded number per wake-up: a flood cannot hold the loop. */
	for (int i = 0; fd >= 0 && i < 64; i++)
		if (recvfrom(fd, sink, sizeof(sink), 0, NULL, NULL) < 0)
			return;
}
