// SPDX-License-Identifier: GPL-2.0-or-later
/* The pod's IPv6 router as the VM must see it: a link-local address the
 * real next hop answers for, and its MAC. Read before any change. */
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "eventlog.h"
#include "netlink.h"
#include "pod_nl.h"
#include "router6.h"

/* How long one echo waits for its answer: the node is one hop away. */
#define ROUTER6_ECHO_MS 300
/*
 * Echoes to a gateway that does not answer: a pod made a moment ago may
 * find the node's gateway address still in duplicate address detection
 * (1 s by default), and an unanswered first echo would leave the VM with no
 * IPv6 router. 8 x 300 ms outlasts DAD; a pod that answers costs one.
 */
#define ROUTER6_GATEWAY_TRIES 8

/**
 * router6_default_route() - The pod's IPv6 default route
 * @o:		the recorded pod interface
 *
 * Return: the main table's default route with a gateway and the lowest
 * metric, else any table's, or NULL when the pod has none
 */
const struct pod_route *router6_default_route(const struct pod_iface *o)
{
	const struct pod_route *best = NULL;
	const struct pod_route *r;

	pod_for_each (r, o->routes, o->n_routes, AF_INET6) {
		bool main_r = r->table == RT_TABLE_MAIN;

		if (r->dst_len != 0 || inany_is_any(&r->gateway) ||
		    r->type != RTN_UNICAST)
			continue;
		if (!best || (main_r && best->table != RT_TABLE_MAIN) ||
		    (main_r == (best->table == RT_TABLE_MAIN) &&
		     r->priority < best->priority))
			best = r;
	}
	return best;
}

struct neigh_find {
	int ifindex;
	const struct in6_addr *dst; /* find this entry's MAC, or */
	const uint8_t *mac;	    /* a link-local entry with this MAC */
	bool found;
	struct in6_addr ll;
	uint8_t lladdr[MAC_LEN];
};

static int on_neigh(const struct nlmsghdr *h, void *arg)
{
	struct neigh_find *f = arg;
	struct nl_neigh e;
	const struct in6_addr *d = &e.n.dst.a6;
	int rc = pod_nl_neigh(h, &e);

	if (rc <= 0 || f->found || e.n.family != AF_INET6 ||
	    e.ifindex != f->ifindex ||
	    (e.n.state & (NUD_FAILED | NUD_INCOMPLETE)))
		return rc;
	if (f->dst ? !IN6_ARE_ADDR_EQUAL(d, f->dst)
		   : (!IN6_IS_ADDR_LINKLOCAL(d) ||
		      memcmp(e.n.lladdr, f->mac, MAC_LEN) != 0))
		return 0;
	f->found = true;
	f->ll = *d;
	memcpy(f->lladdr, e.n.lladdr, MAC_LEN);
	return 0;
}

static bool neigh_lookup(struct nl_sock *sk, struct neigh_find *f)
{
	struct nlmsg_req req;
	struct ndmsg *nd = nlmsg_begin(&req, RTM_GETNEIGH, 0, sizeof(*nd));

	if (nd)
		nd->ndm_family = AF_INET6;
	return netlink_dump(sk, &req, on_neigh, f) == 0 && f->found;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The pod interface's link-local address, for an echo that must not speak
 * for the pod's global addresses: at an incoming migration's destination
 * the VM still runs on the source with those addresses, and an echo from
 * one of them (its NS for the router carries our MAC) would move the
 * router's neighbour entry here. Return: false when it has none.
 */
static bool link_local(const struct pod_iface *o, struct in6_addr *ret)
{
	const struct pod_addr *a;

	pod_for_each (a, o->addrs, o->n_addrs, AF_INET6)
		if (IN6_IS_ADDR_LINKLOCAL(&a->local.a6)) {
			*ret = a->local.a6;
			return true;
		}
	return false;
}

/* Set by router6_find(): echoes only from the link-local address. */
static bool echo_quiet;

/* One ICMPv6 echo to @to through @o; true if it was answered. The
 * echo also makes the kernel resolve @to into the neighbour table. */
static bool echo(const struct pod_iface *o, const struct in6_addr *to)
{
	const char *ifname = o->name;
	int ifindex = o->ifindex;
	struct sockaddr_in6 src = {.sin6_family = AF_INET6,
				   .sin6_scope_id = (uint32_t)ifindex};
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = *to};
	struct icmp6_hdr req = {.icmp6_type = ICMP6_ECHO_REQUEST};
	struct icmp6_filter filt;
	struct timespec t0;
	bool answered = false;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);

	if (fd < 0)
		return false;
	if (echo_quiet &&
	    (!link_local(o, &src.sin6_addr) ||
	     bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0)) {
		(void)close(fd);
		return false;
	}
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filt);
	req.icmp6_id = (uint16_t)getpid();
	req.icmp6_seq = 1;
	if (IN6_IS_ADDR_LINKLOCAL(to))
		sa.sin6_scope_id = (uint32_t)ifindex;
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof(filt)) <
		    0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		       (socklen_t)strlen(ifname)) < 0 ||
	    sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		(void)close(fd);
		return false;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!answered && ms_since(&t0) < ROUTER6_ECHO_MS) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		struct sockaddr_in6 from = {0};
		socklen_t fl = sizeof(from);
		struct icmp6_hdr rep = {0};

		if (poll(&p, 1, (int)(ROUTER6_ECHO_MS - ms_since(&t0))) <= 0)
			break;
		if (recvfrom(fd, &rep, sizeof(rep), 0, (struct sockaddr *)&from,
			     &fl) >= (ssize_t)sizeof(rep) &&
		    IN6_ARE_ADDR_EQUAL(&from.sin6_addr, to) &&
		    rep.icmp6_type == ICMP6_ECHO_REPLY &&
		    rep.icmp6_id == req.icmp6_id)
			answered = true;
	}
	(void)close(fd);
	return answered;
}

/* The gateway's MAC: from the neighbour table, after an echo if needed. */
static bool gateway_mac(struct nl_sock *sk, const struct pod_iface *o,
			const struct in6_addr *gw, uint8_t mac[MAC_LEN])
{
	struct neigh_find f = {.ifindex = o->ifindex, .dst = gw};

	for (int i = 0; !neigh_lookup(sk, &f); i++) {
		if (i == ROUTER6_GATEWAY_TRIES)
			return false;
		(void)echo(o, gw);
		f.found = false;
	}
	memcpy(mac, f.lladdr, MAC_LEN);
	return true;
}

/**
 * router6_find() - Fill @o->v6.router_ll and @o->v6.router_mac
 * @sk:		netlink socket
 * @o:		the pod interface, its IPv6 routes discovered
 * @quiet:	an incoming migration's destination: the echoes go from the
 *		pod interface's link-local address only (none: no echo),
 *		never from an address the VM still holds on the source
 *
 * A link-local gateway (Calico's fe80::ecee:eeff:feee:eeee) is the router
 * itself. For a global gateway: the link-local neighbour entry with the
 * gateway's MAC (the gateway resolved first by an echo), else the EUI-64
 * link-local of that MAC if it answers an echo, else that guess with a
 * warning. No IPv6 default route: :: and no MAC.
 */
void router6_find(struct nl_sock *sk, struct pod_iface *o, bool quiet)
{
	const struct pod_route *def = router6_default_route(o);
	struct neigh_find f = {.ifindex = o->ifindex};
	char a[INET6_ADDRSTRLEN];
	uint8_t mac[MAC_LEN] = {0};

	echo_quiet = quiet;
	memset(&o->v6.router_ll, 0, sizeof(o->v6.router_ll));
	memset(o->v6.router_mac, 0, MAC_LEN);
	if (!def)
		return;
	(void)inet_ntop(AF_INET6, &def->gateway.a6, a, sizeof(a));
	if (IN6_IS_ADDR_LINKLOCAL(&def->gateway.a6)) {
		o->v6.router_ll = def->gateway.a6;
		if (gateway_mac(sk, o, &def->gateway.a6, mac) ||
		    pod_eui64_mac(&def->gateway.a6, mac))
			memcpy(o->v6.router_mac, mac, MAC_LEN);
		return;
	}
	if (!gateway_mac(sk, o, &def->gateway.a6, mac)) {
		eventlog(
			LOG_WARNING,
			"interface '%s': IPv6 gateway %s does not answer: the VM gets no IPv6 router",
			o->name, a);
		return;
	}
	memcpy(o->v6.router_mac, mac, MAC_LEN);
	f.mac = mac;
	if (neigh_lookup(sk, &f)) {
		o->v6.router_ll = f.ll;
		return;
	}
	pod_eui64_ll(mac, &o->v6.router_ll);
	if (!echo(o, &o->v6.router_ll))
		eventlog(
			LOG_WARNING,
			"interface '%s': the link-local address of IPv6 gateway %s is a guess (EUI-64 of its MAC)",
			o->name, a);
}
