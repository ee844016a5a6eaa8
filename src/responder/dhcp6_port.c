// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's IPv6 side of one bridge: a packet socket that sees only
 * the VM's RS, NS and DHCPv6 (a kernel BPF filter), Router Advertisements
 * (solicited, a few at start, then every 200-600 s), DHCPv6 answers, and the
 * unsolicited NA that moves the node's neighbour entry to the VM. */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge_fdb.h"
#include "dhcp6_port.h"
#include "dhcp6_wire.h"
#include "errmsg.h"
#include "ip6_frame.h"
#include "log.h"
#include "ndp.h"
#include "pkt_socket.h"
#include "state.h"
#include "unsol_na.h"

/* RFC 4861 6.2.1 / 6.2.4: unsolicited RAs every MinRtrAdvInterval (200 s)
 * to MaxRtrAdvInterval (600 s), the first three at most 16 s apart. Router
 * lifetime 1800 s is three times the longest interval (KubeVirt #13191: a
 * lapsed lifetime is a lost default route). */
#define RA_INTERVAL_MIN	    200
#define RA_INTERVAL_MAX	    600
#define RA_INITIAL_COUNT    3
#define RA_INITIAL_INTERVAL 16
/*
 * An RA goes to the VM's MAC; if the bridge does not know where that MAC is
 * (its tap is gone, or the FDB aged the entry out after 300 s), it floods
 * the frame to every port, the pod interface toward the node included. So
 * an unsolicited RA waits until the bridge's FDB has the VM's MAC
 * (bridge_fdb.c); without a readable FDB, until the VM was heard from
 * within this many seconds.
 */
#define FDB_FRESH_SECONDS 240
/* Without the router's MAC the NA goes to all nodes, the VM included: wait
 * until the guest's DAD for the address is over (RFC 4862: about 1 s). */
#define NA_MULTICAST_DELAY 3

static uint8_t rx6[2048];
static uint8_t tx6[IP6_FRAME_MAX];
static uint8_t reply6[IP6_MIN_MTU];

static const struct in6_addr all_nodes = {.s6_addr = {0xff, 0x02, [15] = 0x01}};

/*
 * Keep only frames from the VM's MAC that are IPv6 with ICMPv6 RS (133) or
 * NS (135), or UDP to port 547, directly after the fixed header (SOCK_RAW:
 * offsets from the Ethernet header). An extension header anywhere in front
 * of them fails the next-header test: nothing the responder answers needs
 * one, and the parser would refuse it anyway.
 */
static const struct sock_filter v6_filter_template[] = {
	/* 0-3 */ PKT_SOCKET_MATCH_MAC(6, 13),
	/* 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 9),
	/* 6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
	/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMPV6, 0, 3),
	/* 8 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 54),
	/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NDP_RS, 4, 0),
	/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NDP_NS, 3, 4),
	/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 3),
	/* 12 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 56),
	/* 13 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP6_SERVER_PORT, 0, 1),
	/* 14 */ BPF_STMT(BPF_RET | BPF_K, sizeof(rx6)),
	/* 15 */ BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(ARRAY_SIZE(v6_filter_template) <= PKT_SOCKET_FILTER_MAX,
	       "the filter fits pkt_socket_open_for_mac()");

static time_t now_sec(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* xorshift32: enough to spread RAs; seeded before the sandbox. */
static uint32_t rnd(struct dhcp6_port *p, uint32_t lo, uint32_t hi)
{
	uint32_t x = p->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	p->rng = x ? x : 1;
	return lo + p->rng % (hi - lo + 1);
}

/**
 * dhcp6_port_open() - The IPv6 side of one bridge, if it has any
 * @p:		the port
 * @rec:	the domain's record
 * @iface:	index of the interface in @rec
 * @ifindex:	the bridge's index
 * @bridge:	the bridge's name (logs)
 * @err:	a message on failure
 * @err_len:	its size
 *
 * An interface whose pod had no IPv6 address gets no socket (fd -1).
 *
 * Return: 0 or a negative errno
 */
int dhcp6_port_open(struct dhcp6_port *p, const struct state_record *rec,
		    size_t iface, int ifindex, const char *bridge, char *err,
		    size_t err_len)
{
	struct timespec ts;
	char a[INET6_ADDRSTRLEN];

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->fdb_fd = -1;
	if (iface >= rec->n_ifaces ||
	    !pod_count(rec->ifaces[iface].orig.addrs,
		       rec->ifaces[iface].orig.n_addrs, AF_INET6) ||
	    lease6_from_record(rec, iface, &p->lease) < 0)
		return 0;
	p->ifindex = ifindex;
	(void)snprintf(p->bridge, sizeof(p->bridge), "%s", bridge);
	/* The frame buffers touched now: memory stays flat however late the
	 * first RS, DHCPv6 message or RA comes (endurance.sh pins the RSS). */
	memset(rx6, 0, sizeof(rx6));
	memset(tx6, 0, sizeof(tx6));
	memset(reply6, 0, sizeof(reply6));
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	p->rng = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16 ^
		 (uint32_t)iface;
	if (!p->rng)
		p->rng = 1;
	p->fd = pkt_socket_open_for_mac(
		ifindex, SOCK_RAW, ETH_P_IPV6, v6_filter_template,
		ARRAY_SIZE(v6_filter_template), p->lease.client_mac);
	if (p->fd < 0) {
		errmsg_set(err, err_len,
			   "bridge '%s': cannot open the IPv6 socket: %s",
			   bridge, strerror(-p->fd));
		return p->fd;
	}
	p->fdb_fd = bridge_fdb_open(bridge);
	if (p->fdb_fd < 0)
		log_line(
			"bridge '%s': cannot read its FDB (%s): unsolicited RAs "
			"only while the VM is heard from",
			bridge, strerror(-p->fdb_fd));
	log_line("bridge '%s': IPv6: %zu address(es), router %s lifetime %u, "
		 "%zu on-link prefix(es), %zu route(s), %zu not carried",
		 bridge, p->lease.n_addrs,
		 inet_ntop(AF_INET6, ndp_ra_source(&p->lease), a, sizeof(a)),
		 p->lease.router_lifetime, p->lease.n_prefixes,
		 p->lease.n_routes, p->lease.n_skipped_routes);
	return 0;
}

static bool rate_allows6(struct dhcp6_port *p)
{
	return rate_window_allows(&p->rate, now_sec(),
				  RESPONDER_REPLIES_PER_SEC);
}

static void send_frame(const struct dhcp6_port *p, const uint8_t *frame,
		       size_t len, const char *what)
{
	struct sockaddr_ll to = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_IPV6),
				 .sll_ifindex = p->ifindex,
				 .sll_halen = MAC_LEN};

	memcpy(to.sll_addr, frame, MAC_LEN);
	if (sendto(p->fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) <
	    0)
		log_line("bridge '%s': cannot send %s: %s", p->bridge, what,
			 strerror(errno));
}

static void send_ra(struct dhcp6_port *p, const struct in6_addr *dst,
		    const char *why)
{
	char a[INET6_ADDRSTRLEN];
	ssize_t n = ndp_build_ra(&p->lease, dst, tx6, sizeof(tx6));

	if (n < 0) {
		log_line("bridge '%s': cannot build an RA: %s", p->bridge,
			 strerror((int)-n));
		return;
	}
	send_frame(p, tx6, (size_t)n, "an RA");
	log_line("bridge '%s': RA (%s) to %s", p->bridge, why,
		 inet_ntop(AF_INET6, dst, a, sizeof(a)));
}

/*
 * The NA goes toward the node (IPv6 ff02::1, out through the bridge and the
 * pod interface to the node's veth): that is its purpose, to move the
 * node's neighbour entry for each pod address to the VM's MAC. With the
 * router's MAC known it is unicast at layer 2 to the node, so it never
 * reaches the VM (whose DAD would take it for a duplicate).
 */
static void send_nas(struct dhcp6_port *p)
{
	static const uint8_t all_nodes_mac[MAC_LEN] = {0x33, 0x33, 0, 0, 0, 1};
	const uint8_t *dst =
		p->lease.has_router_mac ? p->lease.router_mac : all_nodes_mac;
	uint8_t frame[UNSOL_NA_FRAME_LEN];

	p->na_pending = false;
	for (size_t i = 0; i < p->lease.n_addrs; i++) {
		unsol_na_build_frame(frame, dst, p->lease.client_mac,
				     &p->lease.addrs[i]);
		send_frame(p, frame, sizeof(frame), "an NA");
	}
	log_line("bridge '%s': unsolicited NA for %zu address(es) toward the "
		 "node",
		 p->bridge, p->lease.n_addrs);
}

static void handle_dhcp6(struct dhcp6_port *p, const struct ip6_view *v)
{
	struct dhcp6_request req;
	enum dhcp6_action action;
	const char *why = NULL;
	char a[INET6_ADDRSTRLEN];
	ssize_t len, n;

	if (dhcp6_wire_parse(v->payload, v->payload_len, &req) < 0) {
		log_line("bridge '%s': malformed DHCPv6 message, ignoring",
			 p->bridge);
		return;
	}
	action = dhcp6_wire_decide(&req, &p->lease, &why);
	if (action == DHCP6_ACTION_IGNORE) {
		log_line("bridge '%s': DHCPv6 %s ignored: %s", p->bridge,
			 dhcp6_wire_msg_name(req.type), why ? why : "-");
		return;
	}
	if (!rate_allows6(p))
		return;
	len = dhcp6_reply_build(&req, &p->lease, action, reply6,
				sizeof(reply6));
	if (len < 0) {
		log_line("bridge '%s': cannot build the DHCPv6 %s: %s",
			 p->bridge, dhcp6_wire_action_name(action),
			 strerror((int)-len));
		return;
	}
	n = ip6_frame_build_udp(tx6, sizeof(tx6), p->lease.client_mac,
				p->lease.server_mac, &p->lease.server_ll,
				&v->src, DHCP6_SERVER_PORT, DHCP6_CLIENT_PORT,
				reply6, (size_t)len);
	if (n < 0)
		return;
	send_frame(p, tx6, (size_t)n, "a DHCPv6 reply");
	log_line("bridge '%s': DHCPv6 %s -> %s to %s", p->bridge,
		 dhcp6_wire_msg_name(req.type), dhcp6_wire_action_name(action),
		 inet_ntop(AF_INET6, &v->src, a, sizeof(a)));
	if (action == DHCP6_ACTION_RELEASED || action == DHCP6_ACTION_DECLINED)
		log_line("bridge '%s': %s from the guest; still serving",
			 p->bridge, dhcp6_wire_msg_name(req.type));
	/* A REPLY that gives the addresses (not an ADVERTISE): the guest now
	 * holds them. An extra RA helps clients (dhcpcd 6.x) that ignored an
	 * RA without prefixes before they held a lease. */
	if (action == DHCP6_ACTION_REPLY ||
	    (action == DHCP6_ACTION_ADVERTISE && req.rapid_commit)) {
		send_ra(p, &all_nodes, "after the REPLY");
		p->na_pending = true;
		p->na_due = now_sec() +
			    (p->lease.has_router_mac ? 0 : NA_MULTICAST_DELAY);
		if (p->lease.has_router_mac)
			send_nas(p);
	}
}

/**
 * dhcp6_port_handle() - One frame from the VM (the socket is readable)
 * @p:	the port
 */
void dhcp6_port_handle(struct dhcp6_port *p)
{
	struct sockaddr_ll from = {0};
	socklen_t from_len = sizeof(from);
	struct ip6_view v;
	struct ndp_msg m;
	ssize_t n;

	n = recvfrom(p->fd, rx6, sizeof(rx6), 0, (struct sockaddr *)&from,
		     &from_len);
	if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING ||
	    from.sll_halen != MAC_LEN ||
	    memcmp(from.sll_addr, p->lease.client_mac, MAC_LEN) != 0)
		return;
	if (ip6_frame_parse(rx6, (size_t)n, &v) < 0 ||
	    memcmp(v.eth_src, p->lease.client_mac, MAC_LEN) != 0)
		return;
	p->last_seen = now_sec();
	if (!p->seen) {
		/* The bridge has learnt the VM's port: RAs can start. */
		p->seen = true;
		p->initial_left = RA_INITIAL_COUNT;
		p->next_ra = p->last_seen;
	}
	if (v.next == IPPROTO_UDP) {
		if (v.dst_port == DHCP6_SERVER_PORT &&
		    v.src_port == DHCP6_CLIENT_PORT)
			handle_dhcp6(p, &v);
		return;
	}
	if (ndp_parse(&v, &m) < 0 || m.type != NDP_RS || !rate_allows6(p))
		return;
	/* RFC 4861 6.2.6: to the soliciting host, or all nodes from ::. */
	send_ra(p, IN6_IS_ADDR_UNSPECIFIED(&v.src) ? &all_nodes : &v.src,
		"solicited");
}

/**
 * dhcp6_port_announce() - The VM arrived (a live migration's switchover):
 * unsolicited NAs for its addresses from its MAC, and this pod's router to
 * the VM
 * @p:		the port (fd -1: nothing to do)
 * @count:	how many NAs per address (a short burst)
 *
 * The router the VM knew was the source pod's: this pod's may have another
 * link-local address and MAC, so it is advertised at once, and the
 * initial unsolicited RAs follow as after a first frame.
 */
void dhcp6_port_announce(struct dhcp6_port *p, unsigned int count)
{
	if (p->fd < 0)
		return;
	for (unsigned int i = 0; i < count; i++)
		send_nas(p);
	send_ra(p, &all_nodes, "the VM arrived");
	p->last_seen = now_sec();
	p->seen = true;
	p->initial_left = RA_INITIAL_COUNT;
	p->next_ra = p->last_seen + RA_INITIAL_INTERVAL;
}

/**
 * dhcp6_port_tick() - Timers: the unsolicited RAs and a delayed NA
 * @p:	the port (called at least once a second)
 */
void dhcp6_port_tick(struct dhcp6_port *p)
{
	time_t now;

	if (p->fd < 0 || !p->seen)
		return;
	now = now_sec();
	if (p->na_pending && now >= p->na_due)
		send_nas(p);
	if (now < p->next_ra)
		return;
	if (p->fdb_fd >= 0
		    ? bridge_fdb_knows(p->fdb_fd, p->lease.client_mac) <= 0
		    : now - p->last_seen > FDB_FRESH_SECONDS)
		return; /* tried again next second */
	send_ra(p, &all_nodes, "unsolicited");
	if (p->initial_left > 0)
		p->initial_left--;
	p->next_ra =
		now + (p->initial_left > 0 ? RA_INITIAL_INTERVAL
					   : (time_t)rnd(p, RA_INTERVAL_MIN,
							 RA_INTERVAL_MAX));
}
