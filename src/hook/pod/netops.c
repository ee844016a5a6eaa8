// SPDX-License-Identifier: GPL-2.0-or-later
/* Single netlink changes to links, addresses and routes (libnl), errno results.
 */
/* net/if.h first: linux/if.h (via libnl) defers to it, not the reverse. */
#include <net/if.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>

#include "netlink.h"
#include "netops.h"

static int nle(int rc)
{
	return rc < 0 ? -netlink_errno(rc) : 0;
}

static struct nl_addr *in_to_nl(struct in_addr a, unsigned int prefix_len)
{
	struct nl_addr *n = nl_addr_build(AF_INET, &a, sizeof(a));

	if (n)
		nl_addr_set_prefixlen(n, (int)prefix_len);
	return n;
}

/*
 * No IPv6 link-local address on the new bridge (it is still down), so no
 * RS, NS or MLD of its own toward the node. By netlink, because /proc/sys
 * is read-only in an unprivileged container (bridge.c also writes
 * disable_ipv6 where it can). The kernel takes this on a change, not at
 * creation. Best effort: a kernel without it has IPv6 off anyway.
 */
static void no_ipv6_address(struct nl_sock *sk, struct rtnl_link *bridge)
{
	struct rtnl_link *req = rtnl_link_alloc();

	if (req &&
	    rtnl_link_inet6_set_addr_gen_mode(req, IN6_ADDR_GEN_MODE_NONE) == 0)
		(void)rtnl_link_change(sk, bridge, req, 0);
	if (req)
		rtnl_link_put(req);
}

/**
 * netops_bridge_create() - Create a bridge that must not exist yet
 * @sk:		netlink socket
 * @name:	bridge name
 * @mtu:	MTU to give it (the pod interface's)
 * @mac:	its fixed MAC, so that ports joining later never change it
 *
 * Return: the new bridge's ifindex, or a negative errno (-EEXIST if taken)
 */
int netops_bridge_create(struct nl_sock *sk, const char *name, uint32_t mtu,
			 const uint8_t mac[MAC_LEN])
{
	struct rtnl_link *link = rtnl_link_bridge_alloc();
	struct nl_addr *addr = nl_addr_build(AF_LLC, mac, MAC_LEN);
	struct rtnl_link *got = NULL;
	int rc = -ENOMEM;

	if (!link || !addr)
		goto out;
	rtnl_link_set_name(link, name);
	rtnl_link_set_mtu(link, mtu);
	rtnl_link_set_addr(link, addr);
	rc = nle(rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL));
	if (rc < 0)
		goto out;
	rc = nle(rtnl_link_get_kernel(sk, 0, name, &got));
	if (rc == 0) {
		rc = rtnl_link_get_ifindex(got);
		no_ipv6_address(sk, got);
	}
out:
	if (got)
		rtnl_link_put(got);
	if (addr)
		nl_addr_put(addr);
	if (link)
		rtnl_link_put(link);
	return rc;
}

/**
 * netops_link_delete() - Delete a link by index
 * @sk:		netlink socket
 * @ifindex:	the link
 *
 * Return: 0 or negative errno
 */
int netops_link_delete(struct nl_sock *sk, int ifindex)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int rc;

	if (!link)
		return -ENOMEM;
	rtnl_link_set_ifindex(link, ifindex);
	rc = nle(rtnl_link_delete(sk, link));
	rtnl_link_put(link);
	return rc;
}

/* Apply the attributes set on @req to the link @ifindex (RTM_NEWLINK). */
static int link_change(struct nl_sock *sk, int ifindex, struct rtnl_link *req)
{
	struct rtnl_link *orig = NULL;
	int rc = nle(rtnl_link_get_kernel(sk, ifindex, NULL, &orig));

	if (rc == 0)
		rc = nle(rtnl_link_change(sk, orig, req, 0));
	if (orig)
		rtnl_link_put(orig);
	return rc;
}

/**
 * netops_link_set_mac() - Set a link's MAC address
 * @sk:		netlink socket
 * @ifindex:	the link
 * @mac:	new address
 *
 * Return: 0 or negative errno
 */
int netops_link_set_mac(struct nl_sock *sk, int ifindex,
			const uint8_t mac[MAC_LEN])
{
	struct rtnl_link *req = rtnl_link_alloc();
	struct nl_addr *addr = nl_addr_build(AF_LLC, mac, MAC_LEN);
	int rc = -ENOMEM;

	if (req && addr) {
		rtnl_link_set_addr(req, addr);
		rc = link_change(sk, ifindex, req);
	}
	if (addr)
		nl_addr_put(addr);
	if (req)
		rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_set_mtu() - Set a link's MTU
 * @sk:		netlink socket
 * @ifindex:	the link
 * @mtu:	new MTU
 *
 * Return: 0 or negative errno
 */
int netops_link_set_mtu(struct nl_sock *sk, int ifindex, uint32_t mtu)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	rtnl_link_set_mtu(req, mtu);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_set_up() - Set a link administratively up or down
 * @sk:		netlink socket
 * @ifindex:	the link
 * @up:		true for up
 *
 * Return: 0 or negative errno
 */
int netops_link_set_up(struct nl_sock *sk, int ifindex, bool up)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	if (up)
		rtnl_link_set_flags(req, IFF_UP);
	else
		rtnl_link_unset_flags(req, IFF_UP);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}

/**
 * netops_link_set_master() - Make a link a port of @master, or of nothing
 * @sk:		netlink socket
 * @ifindex:	the link
 * @master:	bridge ifindex, or 0 to release the link
 *
 * Return: 0 or negative errno
 */
int netops_link_set_master(struct nl_sock *sk, int ifindex, int master)
{
	if (master == 0)
		return nle(rtnl_link_release_ifindex(sk, ifindex));
	return nle(rtnl_link_enslave_ifindex(sk, master, ifindex));
}

/**
 * netops_link_get() - Read a link's current name, MAC, MTU, master, kind
 * @sk:			netlink socket
 * @ifindex:		the link
 * @ret_name:		IFNAMSIZ buffer, or NULL
 * @ret_mac:		MAC, or NULL
 * @ret_mtu:		MTU, or NULL
 * @ret_master:		master ifindex (0: none), or NULL
 * @ret_is_bridge:	whether it is a bridge, or NULL
 *
 * Return: 0, -ENODEV if there is no such link, or another negative errno
 */
int netops_link_get(struct nl_sock *sk, int ifindex, char *ret_name,
		    uint8_t ret_mac[MAC_LEN], uint32_t *ret_mtu,
		    int *ret_master, bool *ret_is_bridge)
{
	struct rtnl_link *link = NULL;
	const struct nl_addr *mac;
	const char *kind;
	int rc = nle(rtnl_link_get_kernel(sk, ifindex, NULL, &link));

	if (rc < 0)
		return rc;
	mac = rtnl_link_get_addr(link);
	kind = rtnl_link_get_type(link);
	if (ret_name)
		(void)snprintf(ret_name, IFNAMSIZ, "%s",
			       rtnl_link_get_name(link));
	if (ret_mac && mac && nl_addr_get_len(mac) == MAC_LEN)
		memcpy(ret_mac, nl_addr_get_binary_addr(mac), MAC_LEN);
	if (ret_mtu)
		*ret_mtu = rtnl_link_get_mtu(link);
	if (ret_master)
		*ret_master = rtnl_link_get_master(link);
	if (ret_is_bridge)
		*ret_is_bridge = kind && strcmp(kind, "bridge") == 0;
	rtnl_link_put(link);
	return 0;
}

static struct rtnl_addr *addr_build(int ifindex, const struct pod_addr *a)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = in_to_nl(a->local, a->prefix_len);
	struct nl_addr *brd = NULL;

	if (!ra || !local)
		goto fail;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	if (rtnl_addr_set_local(ra, local) < 0)
		goto fail;
	rtnl_addr_set_prefixlen(ra, a->prefix_len);
	rtnl_addr_set_scope(ra, a->scope);
	/* The kernel sets IFA_F_SECONDARY itself; passing it in is refused. */
	rtnl_addr_set_flags(ra, a->flags & ~(unsigned int)IFA_F_SECONDARY);
	if (a->label[0])
		(void)rtnl_addr_set_label(ra, a->label);
	/* A CNI's address lives forever; a finite one keeps what it had left.
	 */
	if (a->valid_lft && a->valid_lft != POD_LIFETIME_FOREVER) {
		rtnl_addr_set_valid_lifetime(ra, a->valid_lft);
		rtnl_addr_set_preferred_lifetime(ra, a->preferred_lft);
	}
	if (a->broadcast.s_addr != INADDR_ANY) {
		brd = in_to_nl(a->broadcast, 32);
		if (!brd || rtnl_addr_set_broadcast(ra, brd) < 0)
			goto fail;
		nl_addr_put(brd);
	}
	nl_addr_put(local);
	return ra;
fail:
	if (brd)
		nl_addr_put(brd);
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return NULL;
}

/**
 * netops_addr_add() - Add an IPv4 address as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link
 * @a:		the address
 *
 * Return: 0 (also when it is already there) or negative errno
 */
int netops_addr_add(struct nl_sock *sk, int ifindex, const struct pod_addr *a)
{
	struct rtnl_addr *ra = addr_build(ifindex, a);
	int rc;

	if (!ra)
		return -ENOMEM;
	rc = nle(rtnl_addr_add(sk, ra, NLM_F_CREATE | NLM_F_EXCL));
	rtnl_addr_put(ra);
	return rc == -EEXIST ? 0 : rc;
}

/**
 * netops_addr_del() - Remove an IPv4 address
 * @sk:		netlink socket
 * @ifindex:	the link
 * @a:		the address
 *
 * Return: 0 (also when it is already gone) or negative errno
 */
int netops_addr_del(struct nl_sock *sk, int ifindex, const struct pod_addr *a)
{
	struct rtnl_addr *ra = addr_build(ifindex, a);
	int rc;

	if (!ra)
		return -ENOMEM;
	rc = nle(rtnl_addr_delete(sk, ra, 0));
	rtnl_addr_put(ra);
	return rc == -EADDRNOTAVAIL || rc == -ENODEV ? 0 : rc;
}

static struct rtnl_route *route_build(int ifindex, const struct pod_route *r)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = in_to_nl(r->dst, r->dst_len);
	struct nl_addr *gw = NULL, *src = NULL;
	bool ok = false;

	if (!rt || !nh || !dst)
		goto out;
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, r->table);
	if (rtnl_route_set_dst(rt, dst) < 0)
		goto out;
	rtnl_route_set_tos(rt, r->tos);
	rtnl_route_set_protocol(rt, r->protocol);
	rtnl_route_set_scope(rt, r->scope);
	rtnl_route_set_type(rt, r->type);
	rtnl_route_set_priority(rt, r->priority);
	for (int m = 1; m < POD_ROUTE_METRICS; m++)
		if ((r->metric_mask & (1u << m)) &&
		    rtnl_route_set_metric(rt, m, r->metrics[m]) < 0)
			goto out;
	if (r->prefsrc.s_addr != INADDR_ANY) {
		src = in_to_nl(r->prefsrc, 32);
		if (!src || rtnl_route_set_pref_src(rt, src) < 0)
			goto out;
	}
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_nh_set_flags(nh, r->nh_flags);
	if (r->gateway.s_addr != INADDR_ANY) {
		gw = in_to_nl(r->gateway, 32);
		if (!gw)
			goto out;
		rtnl_route_nh_set_gateway(nh, gw);
	}
	rtnl_route_add_nexthop(rt, nh);
	nh = NULL; /* owned by the route now */
	ok = true;
out:
	if (gw)
		nl_addr_put(gw);
	if (src)
		nl_addr_put(src);
	if (dst)
		nl_addr_put(dst);
	if (nh)
		rtnl_route_nh_free(nh);
	if (!ok && rt) {
		rtnl_route_put(rt);
		rt = NULL;
	}
	return rt;
}

/**
 * netops_route_add() - Add an IPv4 route as it was recorded
 * @sk:		netlink socket
 * @ifindex:	the link the route goes through
 * @r:		the route, with its metrics (mtu, advmss, ...)
 *
 * Return: 0, -EEXIST if a route with its key (table, dst, tos, metric) is
 * there already, or another negative errno
 */
int netops_route_add(struct nl_sock *sk, int ifindex, const struct pod_route *r)
{
	struct rtnl_route *rt = route_build(ifindex, r);
	int rc;

	if (!rt)
		return -ENOMEM;
	rc = nle(rtnl_route_add(sk, rt, NLM_F_CREATE | NLM_F_EXCL));
	rtnl_route_put(rt);
	return rc;
}

/**
 * netops_route_del() - Delete an IPv4 route
 * @sk:		netlink socket
 * @ifindex:	the link the route goes through
 * @r:		the route
 *
 * Return: 0 (also when it is already gone) or negative errno
 */
int netops_route_del(struct nl_sock *sk, int ifindex, const struct pod_route *r)
{
	struct rtnl_route *rt = route_build(ifindex, r);
	int rc;

	if (!rt)
		return -ENOMEM;
	rc = nle(rtnl_route_delete(sk, rt, 0));
	rtnl_route_put(rt);
	return rc == -ESRCH ? 0 : rc;
}

/**
 * netops_neigh_set() - Add or replace a static IPv4 neighbour entry
 * @sk:		netlink socket
 * @ifindex:	the link
 * @n:		the entry (state NUD_PERMANENT or NUD_NOARP)
 *
 * Return: 0 or negative errno
 */
int netops_neigh_set(struct nl_sock *sk, int ifindex, const struct pod_neigh *n)
{
	struct rtnl_neigh *ne = rtnl_neigh_alloc();
	struct nl_addr *dst = in_to_nl(n->dst, 32);
	struct nl_addr *ll = nl_addr_build(AF_LLC, n->lladdr, MAC_LEN);
	int rc = -ENOMEM;

	if (ne && dst && ll) {
		rtnl_neigh_set_ifindex(ne, ifindex);
		rtnl_neigh_set_family(ne, AF_INET);
		rc = nle(rtnl_neigh_set_dst(ne, dst));
		if (rc == 0) {
			rtnl_neigh_set_lladdr(ne, ll);
			rtnl_neigh_set_state(ne, n->state);
			rtnl_neigh_set_flags(ne, n->flags);
			rc = nle(rtnl_neigh_add(sk, ne,
						NLM_F_CREATE | NLM_F_REPLACE));
		}
	}
	if (ll)
		nl_addr_put(ll);
	if (dst)
		nl_addr_put(dst);
	if (ne)
		rtnl_neigh_put(ne);
	return rc;
}

/**
 * netops_link_set_flags() - Set the kept IFF_* flags of a link as recorded
 * @sk:		netlink socket
 * @ifindex:	the link
 * @flags:	the flags wanted, among POD_LINK_FLAGS_KEPT
 *
 * Return: 0 or negative errno
 */
int netops_link_set_flags(struct nl_sock *sk, int ifindex, uint32_t flags)
{
	struct rtnl_link *req = rtnl_link_alloc();
	int rc;

	if (!req)
		return -ENOMEM;
	rtnl_link_set_flags(req, flags & POD_LINK_FLAGS_KEPT);
	rtnl_link_unset_flags(req, ~flags & POD_LINK_FLAGS_KEPT);
	rc = link_change(sk, ifindex, req);
	rtnl_link_put(req);
	return rc;
}
