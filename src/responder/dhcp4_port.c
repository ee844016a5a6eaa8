// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's IPv4 side of one bridge: DHCPv4 from the VM on a packet
 * socket that sees only its requests (a kernel BPF filter), replies sent in
 * batches, one log line per reply kind a second, the lease note for
 * `podnet status`, the gratuitous ARP that moves the node's neighbour entry
 * to the VM after an ACK, and ARP answers for gateways that only a
 * permanent neighbour entry made reachable. */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "dhcp4_port.h"
#include "errmsg.h"
#include "garp.h"
#include "lease.h"
#include "lease_note.h"
#include "log.h"
#include "pkt_batch.h"
#include "pkt_socket.h"
#include "state.h"
#include "udp_frame.h"

/* Gratuitous ARPs after ACKs, at most this many a second per bridge. */
#define DHCP4_ANNOUNCE_PER_SEC 10
/* Batches of a few rounds per wake-up, then the other ports get theirs. */
#define DHCP4_ROUNDS_PER_WAKE 4

/* One port's frames in, and its replies out, per system call: the ports
 * take turns, so they share these. Nothing is allocated once the loop runs. */
static struct pkt_batch rx, tx;
_Static_assert(PKT_BATCH_FRAME >= UDP_FRAME_HEADER_LEN + DHCP_MAX_PACKET,
	       "a slot holds any reply");

/*
 * Keep only UDP to port 67 in unfragmented IPv4 from the VM's own MAC
 * (offsets from the IP header: SOCK_DGRAM packet sockets deliver from the
 * network header; SKF_LL_OFF reaches the Ethernet header). Frames from any
 * other sender never wake the responder, so a flood costs it nothing.
 */
static const struct sock_filter dhcp_filter_template[] = {
	PKT_SOCKET_MATCH_MAC(SKF_LL_OFF + 6, 10),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_SERVER_PORT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0x40000),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/*
 * Keep only ARP requests from the VM's MAC (SOCK_DGRAM: offsets from the
 * ARP header; SKF_LL_OFF reaches the Ethernet header). The target is
 * checked in arp_answer_build().
 */
static const struct sock_filter arp_filter_template[] = {
	PKT_SOCKET_MATCH_MAC(SKF_LL_OFF + 6, 5),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1 /* request */, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 256),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(ARRAY_SIZE(dhcp_filter_template) <= PKT_SOCKET_FILTER_MAX &&
		       ARRAY_SIZE(arp_filter_template) <= PKT_SOCKET_FILTER_MAX,
	       "the filters fit pkt_socket_open_for_mac()");

static int open_dhcp_socket(int ifindex, const uint8_t mac[MAC_LEN])
{
	return pkt_socket_open_for_mac(ifindex, SOCK_DGRAM, ETH_P_IP,
				       dhcp_filter_template,
				       ARRAY_SIZE(dhcp_filter_template), mac);
}

static int open_arp_rx_socket(int ifindex, const uint8_t mac[MAC_LEN])
{
	return pkt_socket_open_for_mac(ifindex, SOCK_DGRAM, ETH_P_ARP,
				       arp_filter_template,
				       ARRAY_SIZE(arp_filter_template), mac);
}

/*
 * An L2-only interface (dhcp off) gets a socket that takes in nothing: it
 * only tells, like the others, when its bridge goes away.
 */
static int open_silent_socket(int ifindex)
{
	static const struct sock_filter none[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	const struct sock_fprog prog = {.len = ARRAY_SIZE(none),
					.filter = (struct sock_filter *)none};

	return pkt_socket_open(ifindex, SOCK_DGRAM, ETH_P_IP, &prog);
}

/**
 * dhcp4_port_open() - The IPv4 side of one bridge
 * @p:		the port
 * @rec:	the domain's record
 * @iface:	index of the interface in @rec
 * @lease_fd:	UUID.lease, where an ACK is noted (kept open by the caller)
 * @err:	a message on failure
 * @err_len:	its size
 *
 * Without DHCPv4 (the tag turns it off, or the pod has no IPv4 address)
 * the port gets only a socket that takes in nothing: it tells, like the
 * others, when its bridge goes away.
 *
 * Return: 0 or a negative errno
 */
int dhcp4_port_open(struct dhcp4_port *p, const struct state_record *rec,
		    size_t iface, int lease_fd, char *err, size_t err_len)
{
	const struct state_iface *s = &rec->ifaces[iface];
	int rc;

	if (!rx.ready) {
		pkt_batch_init(&rx);
		pkt_batch_init(&tx);
	}
	p->fd = p->arp_fd = p->arp_rx_fd = -1;
	p->slot = iface;
	p->lease_fd = lease_fd;
	(void)snprintf(p->bridge, sizeof(p->bridge), "%s", s->bridge);
	if (s->dhcp.no_dhcp || !pod_primary_addr(&s->orig)) {
		p->ifindex = (int)if_nametoindex(s->bridge);
		p->fd = p->ifindex ? open_silent_socket(p->ifindex) : -ENODEV;
		if (p->fd < 0)
			errmsg_set(err, err_len, "bridge '%s': %s", s->bridge,
				   strerror(-p->fd));
		return p->fd < 0 ? p->fd : 0;
	}
	rc = lease_from_record(rec, iface, &p->lease);
	lease_arp_answers(&s->orig, &p->answers);
	if (rc < 0) {
		errmsg_set(err, err_len, "interface '%s': no lease: %s",
			   s->orig.name, strerror(-rc));
		return rc;
	}
	p->ifindex = (int)if_nametoindex(s->bridge);
	if (p->ifindex == 0) {
		errmsg_set(err, err_len, "bridge '%s': not found", s->bridge);
		return -ENODEV;
	}
	dhcp_answer_init(&p->answerer, &p->lease);
	p->to = (struct sockaddr_ll){.sll_family = AF_PACKET,
				     .sll_protocol = htons(ETH_P_IP),
				     .sll_ifindex = p->ifindex,
				     .sll_halen = MAC_LEN};
	memcpy(p->to.sll_addr, p->lease.client_mac, MAC_LEN);
	p->fd = open_dhcp_socket(p->ifindex, p->lease.client_mac);
	/* An incoming migration announces the VM when it arrives, whatever
	 * MAC this pod's interface has. */
	if (p->fd >= 0 && (memcmp(s->vm_mac, s->orig.mac, MAC_LEN) != 0 ||
			   p->answers.n > 0 || rec->incoming))
		p->arp_fd = garp_open_socket(p->ifindex);
	/* The VM's ARP also tells an incoming migration whether the guest
	 * still uses another pod's address (arp_shows_other_addr()). */
	if (p->arp_fd >= 0 && (p->answers.n > 0 || rec->incoming))
		p->arp_rx_fd =
			open_arp_rx_socket(p->ifindex, p->lease.client_mac);
	if (p->fd < 0 ||
	    ((memcmp(s->vm_mac, s->orig.mac, MAC_LEN) != 0 || rec->incoming) &&
	     p->arp_fd < 0) ||
	    ((p->answers.n > 0 || rec->incoming) && p->arp_rx_fd < 0)) {
		rc = p->fd < 0	     ? p->fd
		     : p->arp_fd < 0 ? p->arp_fd
				     : p->arp_rx_fd;
		errmsg_set(err, err_len, "bridge '%s': cannot open socket: %s",
			   s->bridge, strerror(-rc));
		return rc;
	}
	return 0;
}

/*
 * Gratuitous ARP for the pod IP from the VM's MAC, so that the node's
 * neighbour entry (pointing at the pod interface's MAC) moves at once
 * instead of after about 28 s of failed traffic (LAB.md).
 */
static void announce_vm(const struct dhcp4_port *p)
{
	int rc;

	if (p->arp_fd < 0)
		return;
	rc = garp_send(p->arp_fd, p->ifindex, p->lease.client_mac,
		       p->lease.client_addr);
	if (rc < 0)
		log_line("bridge '%s': gratuitous ARP failed: %s", p->bridge,
			 strerror(-rc));
}

/**
 * dhcp4_port_announce() - The VM arrived (a live migration's switchover):
 * gratuitous ARPs for the pod's IPv4 address from the VM's MAC
 * @p:		the port
 * @count:	how many (a short burst: one lost frame must not matter)
 *
 * Sent into the bridge, they leave through the pod interface: the node's
 * neighbour entry and its switches' FDBs move to the VM at once.
 */
void dhcp4_port_announce(const struct dhcp4_port *p, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		announce_vm(p);
}

static void note_lease(const struct dhcp4_port *p)
{
	struct lease_note n = {.addr = p->lease.client_addr};
	struct timespec now;
	int rc;

	(void)clock_gettime(CLOCK_REALTIME, &now);
	n.time = (long long)now.tv_sec;
	rc = lease_note_write(p->lease_fd, p->slot, p->bridge, &n);
	if (rc < 0)
		log_line("bridge '%s': cannot note the lease for status: %s",
			 p->bridge, strerror(-rc));
}

/*
 * One line per reply kind and destination a second, with the number of
 * replies alike that it stands for: a pipelining or looping client costs
 * no formatting per packet, and every new kind of reply is still logged
 * when it happens.
 */
static void log_reply(struct dhcp4_port *p, enum dhcp_action action,
		      const struct dhcp_destination *dst, time_t now)
{
	struct dhcp4_reply_log *l = &p->logged[dhcp_wire_reply_kind(action)];
	char a[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	if (l->sec == now && l->why == dst->why) {
		l->alike++;
		return;
	}
	if (l->alike)
		log_line(
			"bridge '%s': %s %s to %s (%s); %u more since the last such line",
			p->bridge, dhcp_wire_action_name(action),
			inet_ntop(AF_INET, &p->lease.client_addr, a, sizeof(a)),
			inet_ntop(AF_INET, &dst->addr, d, sizeof(d)),
			dst->why ? dst->why : "-", l->alike);
	else
		log_line(
			"bridge '%s': %s %s to %s (%s)", p->bridge,
			dhcp_wire_action_name(action),
			inet_ntop(AF_INET, &p->lease.client_addr, a, sizeof(a)),
			inet_ntop(AF_INET, &dst->addr, d, sizeof(d)),
			dst->why ? dst->why : "-");
	l->sec = now;
	l->why = dst->why;
	l->alike = 0;
}

/* After a sent ACK: the lease note and the node's neighbour entry. */
static void acked(struct dhcp4_port *p, time_t now)
{
	/* The note says when, to the second: rewritten once a second. */
	if (p->noted != now) {
		p->noted = now;
		note_lease(p);
	}
	/*
	 * Every ACK is announced, as before (the node may have let the last
	 * one go), but a looping client cannot make that an ARP storm.
	 */
	if (rate_window_allows(&p->announce_rate, now, DHCP4_ANNOUNCE_PER_SEC))
		announce_vm(p);
}

/* One frame the socket took in: a request from the VM, or nothing. Its
 * reply, if any, is queued into the send batch @tx. */
static void handle_frame(struct dhcp4_port *p, const uint8_t *pkt, size_t n,
			 const struct sockaddr_ll *from, time_t now)
{
	struct udp_view v;
	struct dhcp_answer a;

	if (n == 0 || from->sll_pkttype == PACKET_OUTGOING)
		return;
	/* Only the VM's own MAC, at layer 2 and in chaddr. */
	if (from->sll_halen != MAC_LEN ||
	    memcmp(from->sll_addr, p->lease.client_mac, MAC_LEN) != 0)
		return;
	if (udp_frame_parse(pkt, n, &v) < 0 || v.dst_port != DHCP_SERVER_PORT)
		return;
	/* One reply per frame taken in: the batch always has a slot. */
	if (dhcp_answer_request(&p->answerer, v.payload, v.payload_len,
				&p->rate, now, pkt_batch_next(&tx),
				PKT_BATCH_FRAME, &a) < 0) {
		log_line("bridge '%s': malformed request, ignoring", p->bridge);
		return;
	}
	if (a.len < 0) {
		log_line("bridge '%s': cannot build %s: %s", p->bridge,
			 dhcp_wire_action_name(a.action),
			 strerror((int)-a.len));
		return;
	}
	if (a.len > 0) {
		pkt_batch_add(&tx, (size_t)a.len, &p->to);
		log_reply(p, a.action, &a.dst, now);
		if (a.action == DHCP_ACTION_ACK)
			acked(p, now);
		/* A request for an address that is not this pod's. */
		if (a.action == DHCP_ACTION_NAK)
			p->other_addr = true;
	} else if (a.action == DHCP_ACTION_DECLINED) {
		log_line(
			"bridge '%s': DECLINE: the guest says its address is in use elsewhere on the link; still serving",
			p->bridge);
	} else if (a.action == DHCP_ACTION_RELEASED) {
		log_line("bridge '%s': RELEASE from the guest", p->bridge);
	}
}

/**
 * dhcp4_port_handle() - Serve what the DHCP socket holds (it is readable):
 * each batch in, its replies out, a few rounds
 * @p:		the port
 * @now:	the monotonic second of this wake-up
 */
void dhcp4_port_handle(struct dhcp4_port *p, time_t now)
{
	for (int round = 0; round < DHCP4_ROUNDS_PER_WAKE; round++) {
		int n = pkt_batch_recv(p->fd, &rx), sent;

		if (n <= 0)
			return;
		for (unsigned int i = 0; i < rx.n; i++)
			handle_frame(p, rx.frame[i], rx.msg[i].msg_len,
				     &rx.addr[i], now);
		sent = tx.n ? pkt_batch_send(p->fd, &tx) : 0;
		if (sent < 0)
			log_line("bridge '%s': cannot send a reply: %s",
				 p->bridge, strerror(-sent));
		if (n < PKT_BATCH_MAX)
			return;
	}
}

/**
 * dhcp4_port_handle_arp() - One ARP request from the VM (the ARP socket is
 * readable): it asks for a gateway only a permanent entry made reachable,
 * or it shows the address the guest uses (@p->other_addr)
 * @p:		the port
 * @now:	the monotonic second of this wake-up
 */
void dhcp4_port_handle_arp(struct dhcp4_port *p, time_t now)
{
	static uint8_t arp_rx[64];
	uint8_t frame[ARP_REPLY_FRAME_LEN];
	struct sockaddr_ll from = {0},
			   to = {.sll_family = AF_PACKET, .sll_halen = MAC_LEN};
	socklen_t from_len = sizeof(from);
	char a[INET_ADDRSTRLEN];
	ssize_t n;

	n = recvfrom(p->arp_rx_fd, arp_rx, sizeof(arp_rx), 0,
		     (struct sockaddr *)&from, &from_len);
	if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING ||
	    from.sll_halen != MAC_LEN ||
	    memcmp(from.sll_addr, p->lease.client_mac, MAC_LEN) != 0)
		return;
	if (arp_shows_other_addr(arp_rx, (size_t)n, p->lease.client_mac,
				 p->lease.client_addr))
		p->other_addr = true;
	if (arp_answer_build(arp_rx, (size_t)n, p->lease.client_mac,
			     &p->answers, frame) < 0 ||
	    !rate_window_allows(&p->rate, now, RESPONDER_REPLIES_PER_SEC))
		return;
	to.sll_ifindex = p->ifindex;
	memcpy(to.sll_addr, p->lease.client_mac, MAC_LEN);
	if (sendto(p->arp_fd, frame, sizeof(frame), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		log_line("bridge '%s': cannot send an ARP reply: %s", p->bridge,
			 strerror(errno));
		return;
	}
	log_line("bridge '%s': ARP reply for %s (the pod's permanent entry)",
		 p->bridge, inet_ntop(AF_INET, frame + 28, a, sizeof(a)));
}

/**
 * dhcp4_port_bridge_alive() - Is the bridge still there? (Two system calls:
 * once a second, not per packet.)
 * @p:		the port
 *
 * The bridge is gone when the socket is no longer bound to its index.
 *
 * Return: true while it is
 */
bool dhcp4_port_bridge_alive(const struct dhcp4_port *p)
{
	struct sockaddr_ll sll = {0};
	socklen_t len = sizeof(sll);
	int soerr = 0;
	socklen_t soerr_len = sizeof(soerr);

	(void)getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &soerr_len);
	if (getsockname(p->fd, (struct sockaddr *)&sll, &len) < 0)
		return false;
	return sll.sll_ifindex == p->ifindex;
}
