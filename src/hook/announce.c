// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Release: while the domain ran, the node learnt the pod's addresses at
 * the VM's MAC; with the pod interface's own MAC back in charge, say so
 * (one gratuitous ARP, one unsolicited NA per global IPv6 address), or the
 * node keeps sending to the gone VM until its neighbour entry expires
 * (37-52 s seen).
 *
 * All frames go out on one packet socket. Closing a packet socket waits
 * for an RCU grace period (packet_release() calls synchronize_net():
 * 6-20 ms measured here, more than the rest of a restore), so the socket
 * is closed in a thread, joined after the bridge deletion, whose own
 * kernel wait it then overlaps.
 */
#include <netinet/in.h>
#include <unistd.h>

#include "announce.h"
#include "garp.h"
#include "pod_iface.h"
#include "unsol_na.h"

static void *close_thread(void *arg)
{
	(void)close(*(int *)arg);
	return NULL;
}

/**
 * announce_pod_start() - Send the announcements; the socket's close goes on
 * @a:	the announcement, owned by the caller until announce_pod_finish()
 * @o:	the recorded pod interface, its addresses back on it
 *
 * Best effort: a frame that cannot be sent only leaves the node to learn
 * the MAC by itself. Without a thread, the socket is closed here.
 */
void announce_pod_start(struct announcement *a, const struct pod_iface *o)
{
	const struct pod_addr *v4 = pod_primary_addr(o);

	a->closing = false;
	a->fd = garp_open_socket(o->ifindex);
	if (a->fd < 0)
		return;
	if (v4)
		(void)garp_send(a->fd, o->ifindex, o->mac, v4->local);
	(void)unsol_na_announce_pod(a->fd, o);
	a->closing =
		pthread_create(&a->closer, NULL, close_thread, &a->fd) == 0;
	if (!a->closing)
		(void)close(a->fd);
}

/**
 * announce_pod_finish() - Wait until the announcement socket is closed
 * @a:	the announcement (announce_pod_start() ran; a no-op otherwise)
 */
void announce_pod_finish(struct announcement *a)
{
	if (a->closing) {
		(void)pthread_join(a->closer, NULL);
		a->closing = false;
	}
}
