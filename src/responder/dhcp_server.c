// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder process: packet sockets on the bridges, sandbox, packet loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <malloc.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arp_answer.h"
#include "dhcp6_port.h"
#include "dhcp_parse_cache.h"
#include "dhcp_prepared.h"
#include "dhcp_server.h"
#include "dhcp_wire.h"
#include "errmsg.h"
#include "garp.h"
#include "lease.h"
#include "lease_note.h"
#include "log.h"
#include "pkt_batch.h"
#include "pkt_socket.h"
#include "rate_window.h"
#include "sandbox.h"
#include "ready_pipe.h"
#include "state.h"
#include "udp_frame.h"

/* The last reply of one kind that was logged, and how many alike since. */
struct reply_log {
	time_t sec; /* monotonic; 0: never */
	const char *why;
	unsigned int alike;
};

/* One bridge: its socket, the one client it serves, and that client's lease. */
struct server_port {
	/* Replies and ARP answers, together. */
	struct rate_window replies_rate;
	/* Gratuitous ARPs after ACKs. */
	struct rate_window announce_rate;
	time_t noted; /* last lease note (monotonic s) */
	/* Per OFFER, ACK, NAK, INFORM-ACK: a line a second, not one a reply. */
	struct reply_log logged[DHCP_REPLY_KINDS];
	/* Gateways whose ARP the responder answers (permanent entries). */
	struct arp_answers answers;
	struct dhcp6_port v6; /* IPv6: RA, DHCPv6, NA (fd -1: none) */
	struct dhcp_lease lease;
	/* Its replies, encoded once (the lease never changes). */
	struct dhcp_reply_cache replies;
	/* Its client's last requests, parsed once. */
	struct dhcp_parse_cache parsed;
	int fd;
	int arp_fd;    /* raw, send only: the VM's announcements, ARP replies */
	int arp_rx_fd; /* the VM's ARP requests; -1 without answers */
	int ifindex;
	struct sockaddr_ll to; /* the VM's MAC on this bridge */
	char bridge[IFNAMSIZ];
};

/* Gratuitous ARPs after ACKs, at most this many a second per bridge. */
#define DHCP_SERVER_ANNOUNCE_PER_SEC 10

/* Fixed buffers: nothing is allocated once the loop runs. */
static struct server_port ports[PODNET_MAX_IFACES];
static size_t n_ports;
/* UUID.lease: the last lease per interface, for `podnet status`. */
static int lease_fd = -1;
/* One port's frames in, and its replies out, per system call. */
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
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_LL_OFF + 6),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0 /* MAC[0..3] */, 0, 10),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_LL_OFF + 10),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0 /* MAC[4..5] */, 0, 8),
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
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_LL_OFF + 6),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0 /* MAC[0..3] */, 0, 5),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_LL_OFF + 10),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0 /* MAC[4..5] */, 0, 3),
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

static int open_port(struct server_port *p, const struct state_record *rec,
		     size_t i, char *err, size_t err_len)
{
	const struct state_iface *s = &rec->ifaces[i];
	int rc;

	p->v6.fd = -1;
	/* No DHCPv4 where the tag says so, nor for an IPv6-only pod (no IPv4
	 * address in the record): only a silent socket keeps the bridge. */
	if (s->dhcp.no_dhcp || !pod_primary_addr(&s->orig)) {
		p->fd = p->arp_fd = p->arp_rx_fd = -1;
		(void)snprintf(p->bridge, sizeof(p->bridge), "%s", s->bridge);
		p->ifindex = (int)if_nametoindex(s->bridge);
		p->fd = p->ifindex ? open_silent_socket(p->ifindex) : -ENODEV;
		if (p->fd < 0)
			errmsg_set(err, err_len, "bridge '%s': %s", s->bridge,
				   strerror(-p->fd));
		if (p->fd < 0 || s->dhcp.no_dhcp)
			return p->fd < 0 ? p->fd : 0;
		return dhcp6_port_open(&p->v6, rec, i, p->ifindex, s->bridge,
				       err, err_len);
	}
	rc = lease_from_record(rec, i, &p->lease);

	p->fd = p->arp_fd = p->arp_rx_fd = -1;
	lease_arp_answers(&s->orig, &p->answers);
	(void)snprintf(p->bridge, sizeof(p->bridge), "%s", s->bridge);
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
	/* Every reply kind's buffer touched now: memory use stays flat. */
	memset(&p->replies, 0, sizeof(p->replies));
	memset(&p->parsed, 0, sizeof(p->parsed));
	p->to = (struct sockaddr_ll){.sll_family = AF_PACKET,
				     .sll_protocol = htons(ETH_P_IP),
				     .sll_ifindex = p->ifindex,
				     .sll_halen = MAC_LEN};
	memcpy(p->to.sll_addr, p->lease.client_mac, MAC_LEN);
	p->fd = open_dhcp_socket(p->ifindex, p->lease.client_mac);
	if (p->fd >= 0 &&
	    (memcmp(s->vm_mac, s->orig.mac, MAC_LEN) != 0 || p->answers.n > 0))
		p->arp_fd = garp_open_socket(p->ifindex);
	if (p->arp_fd >= 0 && p->answers.n > 0)
		p->arp_rx_fd =
			open_arp_rx_socket(p->ifindex, p->lease.client_mac);
	if (p->fd < 0 ||
	    (memcmp(s->vm_mac, s->orig.mac, MAC_LEN) != 0 && p->arp_fd < 0) ||
	    (p->answers.n > 0 && p->arp_rx_fd < 0)) {
		rc = p->fd < 0	     ? p->fd
		     : p->arp_fd < 0 ? p->arp_fd
				     : p->arp_rx_fd;
		errmsg_set(err, err_len, "bridge '%s': cannot open socket: %s",
			   s->bridge, strerror(-rc));
		return rc;
	}
	/* --- IPv6 (dhcp6_port.c): only when the pod had IPv6 --- */
	return dhcp6_port_open(&p->v6, rec, i, p->ifindex, s->bridge, err,
			       err_len);
}

/*
 * Gratuitous ARP for the pod IP from the VM's MAC, so that the node's
 * neighbour entry (pointing at the pod interface's MAC) moves at once
 * instead of after about 28 s of failed traffic (LAB.md).
 */
static void announce_vm(const struct server_port *p)
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

static void note_lease(const struct server_port *p)
{
	struct lease_note n = {.addr = p->lease.client_addr};
	struct timespec now;
	int rc;

	(void)clock_gettime(CLOCK_REALTIME, &now);
	n.time = (long long)now.tv_sec;
	rc = lease_note_write(lease_fd, (size_t)(p - ports), p->bridge, &n);
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
static void log_reply(struct server_port *p, enum dhcp_action action,
		      const struct dhcp_destination *dst, time_t now)
{
	struct reply_log *l = &p->logged[dhcp_wire_reply_kind(action)];
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

/* Queues the reply to @req into the send batch @tx. */
static void reply(struct server_port *p, const struct dhcp_request *req,
		  enum dhcp_action action, time_t now)
{
	struct dhcp_destination dst;
	uint8_t *frame = pkt_batch_next(&tx);
	ssize_t len;

	if (!rate_window_allows(&p->replies_rate, now,
				RESPONDER_REPLIES_PER_SEC))
		return;
	if (!frame) { /* cannot happen: one reply per frame taken in */
		log_line("bridge '%s': send batch full", p->bridge);
		return;
	}
	dst = dhcp_wire_reply_destination(req, &p->lease, action);
	len = dhcp_reply_frame(&p->replies, req, &p->lease, action, &dst, frame,
			       PKT_BATCH_FRAME);
	if (len < 0) {
		log_line("bridge '%s': cannot build %s: %s", p->bridge,
			 dhcp_wire_action_name(action), strerror((int)-len));
		return;
	}
	pkt_batch_add(&tx, (size_t)len, &p->to);
	log_reply(p, action, &dst, now);
	if (action != DHCP_ACTION_ACK)
		return;
	/* The note says when, to the second: rewritten once a second. */
	if (p->noted != now) {
		p->noted = now;
		note_lease(p);
	}
	/*
	 * Every ACK is announced, as before (the node may have let the last
	 * one go), but a looping client cannot make that an ARP storm.
	 */
	if (rate_window_allows(&p->announce_rate, now,
			       DHCP_SERVER_ANNOUNCE_PER_SEC))
		announce_vm(p);
}

/* One frame the socket took in: a request from the VM, or nothing. */
static void handle_frame(struct server_port *p, const uint8_t *pkt, size_t n,
			 const struct sockaddr_ll *from, time_t now)
{
	const struct dhcp_request *req;
	struct udp_view v;
	enum dhcp_action action;

	if (n == 0 || from->sll_pkttype == PACKET_OUTGOING)
		return;
	/* Only the VM's own MAC, at layer 2 and in chaddr. */
	if (from->sll_halen != MAC_LEN ||
	    memcmp(from->sll_addr, p->lease.client_mac, MAC_LEN) != 0)
		return;
	if (udp_frame_parse(pkt, n, &v) < 0 || v.dst_port != DHCP_SERVER_PORT)
		return;
	req = dhcp_parse_cached(&p->parsed, v.payload, v.payload_len);
	if (!req) {
		log_line("bridge '%s': malformed request, ignoring", p->bridge);
		return;
	}
	/* Another chaddr than the VM's is IGNORE. */
	action = dhcp_wire_decide(req, &p->lease);
	switch (action) {
	case DHCP_ACTION_OFFER:
	case DHCP_ACTION_ACK:
	case DHCP_ACTION_NAK:
	case DHCP_ACTION_INFORM_ACK:
		reply(p, req, action, now);
		break;
	case DHCP_ACTION_DECLINED:
		log_line(
			"bridge '%s': DECLINE: the guest says its address is in use elsewhere on the link; still serving",
			p->bridge);
		break;
	case DHCP_ACTION_RELEASED:
		log_line("bridge '%s': RELEASE from the guest", p->bridge);
		break;
	case DHCP_ACTION_IGNORE:
		break;
	}
}

/* Batches of a few rounds per wake-up, then the other ports get theirs. */
#define DHCP_ROUNDS_PER_WAKE 4

/* Serves what the port's socket holds: each batch in, its replies out. */
static void handle_dhcp(struct server_port *p, time_t now)
{
	for (int round = 0; round < DHCP_ROUNDS_PER_WAKE; round++) {
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

/* The VM asks for a gateway that only a permanent entry made reachable. */
static void handle_arp(struct server_port *p, time_t now)
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
	if (arp_answer_build(arp_rx, (size_t)n, p->lease.client_mac,
			     &p->answers, frame) < 0 ||
	    !rate_window_allows(&p->replies_rate, now,
				RESPONDER_REPLIES_PER_SEC))
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

/* The bridge is gone when the socket is no longer bound to its index. */
static bool port_alive(const struct server_port *p)
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

static int serve(void)
{
	/* Per port: the DHCP socket, the ARP requests, IPv6 (fd -1: none). */
	struct pollfd pfd[3 * PODNET_MAX_IFACES];
	time_t checked = 0;

	for (size_t i = 0; i < n_ports; i++) {
		pfd[3 * i] =
			(struct pollfd){.fd = ports[i].fd, .events = POLLIN};
		pfd[3 * i + 1] = (struct pollfd){.fd = ports[i].arp_rx_fd,
						 .events = POLLIN};
		pfd[3 * i + 2] =
			(struct pollfd){.fd = ports[i].v6.fd, .events = POLLIN};
	}
	for (;;) {
		/* Wake up every second to notice a bridge that went away. */
		int rc = poll(pfd, 3 * n_ports, 1000);
		struct timespec now;

		if (rc < 0 && errno != EINTR)
			return -errno;
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
		for (size_t i = 0; i < n_ports; i++) {
			const struct pollfd *d = &pfd[3 * i];
			bool check = now.tv_sec != checked ||
				     (rc > 0 && (d->revents & ~POLLIN));

			/* Two system calls: once a second, not per packet. */
			if (check && !port_alive(&ports[i])) {
				log_line("bridge '%s': gone, exiting",
					 ports[i].bridge);
				return 0;
			}
			if (rc > 0 && (d->revents & POLLIN))
				handle_dhcp(&ports[i], now.tv_sec);
			if (rc > 0 && (d[1].revents & POLLIN))
				handle_arp(&ports[i], now.tv_sec);
			/* IPv6 (dhcp6_port.c): RS/NS/DHCPv6, RA timers. */
			if (rc > 0 && (d[2].revents & POLLIN))
				dhcp6_port_handle(&ports[i].v6);
			if (ports[i].v6.fd >= 0)
				dhcp6_port_tick(&ports[i].v6);
		}
		checked = now.tv_sec;
	}
}

static int start(const char *uuid, char *err, size_t err_len)
{
	struct state_record *rec = calloc(1, sizeof(*rec));
	char path[512];
	int rc;

	if (!rec)
		return -ENOMEM;
	rc = state_read(uuid, rec);
	if (rc < 0) {
		errmsg_set(err, err_len, "cannot read the state record: %s",
			   strerror(-rc));
		free(rec);
		return rc;
	}
	if (snprintf(path, sizeof(path), "%s/%s.log", state_dir(), uuid) <
	    (int)sizeof(path)) {
		log_set_fd(open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				0600));
	}
	if (snprintf(path, sizeof(path), "%s/%s.lease", state_dir(), uuid) <
	    (int)sizeof(path))
		lease_fd =
			open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			     0600);
	if (lease_fd < 0) {
		rc = -errno;
		errmsg_set(err, err_len, "cannot open its lease file: %s",
			   strerror(-rc));
		free(rec);
		return rc;
	}
	for (size_t i = 0; i < rec->n_ifaces && rc == 0; i++) {
		rc = open_port(&ports[i], rec, i, err, err_len);
		n_ports = i + 1;
	}
	free(rec);
	/* The record (and state_parse()'s copy) were all the heap held: give
	 * those pages back, they are most of an idle responder's memory
	 * (glibc keeps a freed heap top below 128 KiB; musl returns it). */
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
	return rc;
}

/**
 * dhcp_server_main() - The responder: serve the domain's VM until it goes
 * @uuid:	domain UUID (its record is read from the state folder)
 * @ready_fd:	pipe to the hook: "ready PID" or "error MESSAGE"
 *
 * Return: exit status
 */
int dhcp_server_main(const char *uuid, int ready_fd)
{
	char err[400] = "";
	int rc;

	if (!state_uuid_valid(uuid)) {
		ready_pipe_report(ready_fd, "invalid domain UUID");
		return 2;
	}
	/* exec of /proc/self/exe names the process "exe": name it. */
	(void)prctl(PR_SET_NAME, "podnet-respond", 0, 0, 0);
	rc = start(uuid, err, sizeof(err));
	if (rc == 0) {
		rc = sandbox_enter();
		if (rc < 0)
			errmsg_set(err, sizeof(err),
				   "cannot drop privileges: %s", strerror(-rc));
	}
	if (rc < 0) {
		log_line("start-up failed: %s", err);
		ready_pipe_report(ready_fd, err);
		return 1;
	}
	pkt_batch_init(&rx);
	pkt_batch_init(&tx);
	log_line("serving %zu interface(s) of domain %s", n_ports, uuid);
	ready_pipe_report(ready_fd, NULL);
	rc = serve();
	return rc < 0 ? 1 : 0;
}
